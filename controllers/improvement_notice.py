from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError
from odoo.http import request


class QmsImprovementNoticePortal(CustomerPortal):
    """Product notices (clause 4.4.2): the product improvement notices sent to the customer's
    company, as they were e-mailed. Read as the portal user: the record rule
    ``qms_improvement_notice_recipient_rule_portal`` decides, another customer's notice is a 404."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "qms_notice_count" in counters:
            Recipient = request.env["qms.improvement.notice.recipient"]
            values["qms_notice_count"] = Recipient.search_count([]) if Recipient.has_access("read") else 0
        return values

    @http.route(["/my/product-notices", "/my/product-notices/page/<int:page>"], type="http", auth="user",
                website=True, readonly=True)
    def portal_my_qms_notices(self, page=1, **kw):
        Recipient = request.env["qms.improvement.notice.recipient"]
        can_read = Recipient.has_access("read")
        pager = portal_pager(url="/my/product-notices", total=Recipient.search_count([]) if can_read else 0,
                             page=page, step=self._items_per_page)
        notices = Recipient.search([], order="sent_date desc, id desc", limit=self._items_per_page,
                                   offset=pager["offset"]) if can_read else Recipient
        values = self._prepare_portal_layout_values()
        values.update({"notices": notices, "pager": pager, "page_name": "qms_notice",
                       "default_url": "/my/product-notices"})
        return request.render("qms_customer.portal_my_qms_notices", values)

    @http.route(["/my/product-notices/<int:recipient_id>"], type="http", auth="user", website=True, readonly=True)
    def portal_my_qms_notice(self, recipient_id, **kw):
        notice = request.env["qms.improvement.notice.recipient"].browse(recipient_id)
        try:
            notice.check_access("read")
            notice.sent_subject  # noqa: B018 (a deleted record raises here)
        except (AccessError, MissingError):
            return request.not_found()
        values = self._prepare_portal_layout_values()
        values.update({"notice": notice, "page_name": "qms_notice"})
        return request.render("qms_customer.portal_my_qms_notice", values)
