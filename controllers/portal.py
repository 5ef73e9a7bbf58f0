import math
from urllib.parse import urlencode

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import html2plaintext

# Bounds of the intake form's texts (the slip's own constraints bound what any caller writes).
PORTAL_TEXT_MAX_CHARS = 5000
PORTAL_DEFECT_MAX_CHARS = 1000


class QmsComplaintPortal(CustomerPortal):
    """My complaints: counter on the portal home, list, detail page with the chatter, and the
    form to record a complaint against one of the customer's own sales orders."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "qms_complaint_count" in counters:
            Complaint = request.env["qms.complaint"]
            values["qms_complaint_count"] = Complaint.search_count(
                self._prepare_qms_complaints_domain(request.env.user.partner_id)) \
                if Complaint.has_access("read") else 0
        return values

    def _prepare_qms_complaints_domain(self, partner):
        return [("commercial_partner_id", "=", partner.commercial_partner_id.id)]

    def _get_qms_complaint_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "received_date desc, id desc"},
            "name": {"label": request.env._("Reference"), "order": "name desc"},
            "state": {"label": request.env._("Stage"), "order": "state, received_date desc"},
        }

    @http.route(["/my/complaints", "/my/complaints/page/<int:page>"], type="http", auth="user", website=True,
                readonly=True)
    def portal_my_qms_complaints(self, page=1, sortby=None, **kw):
        Complaint = request.env["qms.complaint"]
        values = self._prepare_portal_layout_values()
        domain = self._prepare_qms_complaints_domain(request.env.user.partner_id)
        sortings = self._get_qms_complaint_searchbar_sortings()
        sortby = sortby if sortby in sortings else "date"
        can_read = Complaint.has_access("read")
        pager = portal_pager(
            url="/my/complaints", url_args={"sortby": sortby},
            total=Complaint.search_count(domain) if can_read else 0, page=page, step=self._items_per_page)
        # the slips the customer may read (rules applied), sorted by fields they may not read (the stage)
        complaints = Complaint.sudo().search(
            [("id", "in", Complaint._search(domain))], order=sortings[sortby]["order"],
            limit=self._items_per_page, offset=pager["offset"]) if can_read else Complaint
        request.session["my_qms_complaints_history"] = complaints.ids[:100]
        values.update({
            "complaints": complaints,
            "page_name": "qms_complaint",
            "pager": pager,
            "default_url": "/my/complaints",
            "searchbar_sortings": sortings,
            "sortby": sortby,
            "can_record": bool(request.env["sale.order"].sudo().search_count(
                Complaint._portal_orders_domain(request.env.user.partner_id), limit=1)),
        })
        return request.render("qms_customer.portal_my_qms_complaints", values)

    @http.route(["/my/complaints/<int:complaint_id>"], type="http", auth="public", website=True, readonly=True)
    def portal_my_qms_complaint(self, complaint_id, access_token=None, **kw):
        try:
            complaint_sudo = self._document_check_access("qms.complaint", complaint_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._render_qms_complaint(complaint_sudo, access_token, **kw)

    def _render_qms_complaint(self, complaint_sudo, access_token, verdict_error=None, **kw):
        values = self._prepare_portal_layout_values()
        values.update({
            "complaint": complaint_sudo,
            "page_name": "qms_complaint",
            "actions": complaint_sudo._get_portal_action_summary(),
            "show_reply": complaint_sudo._portal_reply_visible(),
            "created": kw.get("created"),
            # the customer's verdict on the answer (issue 13.5)
            "verdict_refusal": complaint_sudo._portal_verdict_refusal(),
            "verdict_error": verdict_error,
            "verdict_given": kw.get("verdict_given"),
            "access_token": access_token,
        })
        values = self._get_page_view_values(
            complaint_sudo, access_token, values, "my_qms_complaints_history", False, **kw)
        return request.render("qms_customer.portal_my_qms_complaint", values)

    @http.route(["/my/complaints/<int:complaint_id>/copy"], type="http", auth="public", website=True, readonly=True)
    def portal_qms_complaint_copy(self, complaint_id, access_token=None, download=False, **kw):
        """The customer's copy of the slip (issue #13.7), for its customer (or the holder of its
        access token) only: anyone else gets "not found", as for a slip that does not exist."""
        try:
            complaint_sudo = self._document_check_access("qms.complaint", complaint_id, access_token=access_token)
        except (AccessError, MissingError):
            raise NotFound() from None
        return self._show_report(model=complaint_sudo, report_type="pdf", download=download,
                                 report_ref="qms_customer.action_report_qms_complaint_customer")
    # The customer's verdict on the answer (issue 13.5): a form on the slip's page, reached logged in
    # or by the access token of the answer e-mail's link.
    @http.route(["/my/complaints/<int:complaint_id>/verdict"], type="http", auth="public", website=True,
                methods=["POST"])
    def portal_qms_complaint_verdict(self, complaint_id, access_token=None, verdict=None, handling_score=None,
                                     comment=None, **kw):
        try:
            complaint_sudo = self._document_check_access("qms.complaint", complaint_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            with request.env.cr.savepoint():  # a refusal leaves nothing behind
                request.env["qms.complaint"].browse(complaint_sudo.id)._portal_give_verdict(
                    verdict=verdict or "", handling_score=self._qms_form_id(handling_score),
                    comment=self._qms_form_text(comment, PORTAL_TEXT_MAX_CHARS), access_token=access_token)
        except (UserError, ValidationError, AccessError) as error:
            return self._render_qms_complaint(complaint_sudo, access_token, verdict_error=error.args[0])
        query = {"verdict_given": 1, **({"access_token": access_token} if access_token else {})}
        return request.redirect(f"/my/complaints/{complaint_id}?{urlencode(query)}#verdict")

    @http.route(["/my/complaints/new"], type="http", auth="user", website=True, methods=["GET"], readonly=True)
    def portal_new_qms_complaint(self, order_id=None, **kw):
        return request.render("qms_customer.portal_new_qms_complaint", self._prepare_new_complaint_values(order_id))

    def _prepare_new_complaint_values(self, order_id=None, error=None, form=None):
        Complaint = request.env["qms.complaint"]
        orders = request.env["sale.order"].sudo().search(
            Complaint._portal_orders_domain(request.env.user.partner_id), order="date_order desc", limit=50)
        order = orders.filtered(lambda o: str(o.id) == str(order_id or "")) or orders[:1]
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "qms_complaint_new",
            "orders": orders,
            "order": order,
            "order_lines": order.order_line.filtered(lambda line: not line.display_type and line.product_id),
            # issue 15: the serials delivered to the customer on each line of a serial-tracked product
            "order_line_serials": {line.id: line._qms_portal_serials(order.partner_id) for line in order.order_line},
            "requests": Complaint._fields["customer_request"]._description_selection(request.env),
            "error": error,
            "form": form or {},
        })
        return values

    @http.route(["/my/complaints/new"], type="http", auth="user", website=True, methods=["POST"])
    def portal_submit_qms_complaint(self, order_id=None, description=None, customer_request="explanation", **post):
        try:
            # a refusal met half-way (a line's constraint after the slip's row) leaves nothing behind
            with request.env.cr.savepoint():
                complaint = request.env["qms.complaint"]._portal_create_complaint(
                    **self._parse_qms_complaint_form(order_id, description, customer_request, post))
        except (UserError, ValidationError) as error:
            values = self._prepare_new_complaint_values(order_id, error=error.args[0], form=post | {
                "description": description or "", "customer_request": customer_request})
            return request.render("qms_customer.portal_new_qms_complaint", values)
        return request.redirect(f"/my/complaints/{complaint.id}?created=1")

    # ------------------------------------------------------------------------------------------
    # The intake form's strings into the typed values qms.complaint._portal_create_complaint takes.
    # What the form cannot read is refused here; what the values mean is checked by the model.
    # ------------------------------------------------------------------------------------------
    def _parse_qms_complaint_form(self, order_id, description, customer_request, post):
        """:param post: the other form fields: qty_<sale line id>, defect_<sale line id> and
            lot_<sale line id> (the serial chosen, issue 15)
        :return: the keyword arguments of ``_portal_create_complaint``
        """
        lines = []
        for key, qty in post.items():
            line_id = key.removeprefix("qty_")
            if line_id == key or not (qty or "").strip():
                continue  # not a quantity field, or a product left blank
            lines.append({
                "sale_line_id": self._qms_form_id(line_id),
                "qty": self._qms_form_quantity(qty),
                "defect": self._qms_form_text(post.get(f"defect_{line_id}"), PORTAL_DEFECT_MAX_CHARS),
                "lot_id": self._qms_form_serial(post.get(f"lot_{line_id}")),
            })
        return {
            "order_id": self._qms_form_id(order_id),
            "lines": lines,
            "description": self._qms_form_text(description, PORTAL_TEXT_MAX_CHARS),
            "customer_request": customer_request or "",
            "attachments": [(f.filename, f.read())
                            for f in request.httprequest.files.getlist("photos") if f.filename],
        }

    @staticmethod
    def _qms_form_id(value):
        """A record id typed in a form; 0 (no record) when it is not one of PostgreSQL's integers."""
        value = str(value or "").strip()
        number = int(value) if value.isdecimal() and value.isascii() else 0
        return number if number < 2**31 else 0

    @classmethod
    def _qms_form_serial(cls, value):
        """The serial chosen on a line: None when none is chosen; else its id, or -1 for a value
        that is no id (the model then refuses it as a serial not delivered to the customer)."""
        value = str(value or "").strip()
        if not value:
            return None
        return cls._qms_form_id(value) or -1

    @staticmethod
    def _qms_form_quantity(value):
        try:
            qty = float(value)
        except (TypeError, ValueError):
            qty = math.nan
        if not math.isfinite(qty):
            raise ValidationError(request.env._("Quantities must be numbers."))
        return qty

    @staticmethod
    def _qms_form_text(value, max_chars):
        """Plain text from a form field: markup dropped, stripped, bounded."""
        text = value or ""
        if "<" in text:
            text = html2plaintext(text)
        return text.strip()[:max_chars]
