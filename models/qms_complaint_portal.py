from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize, html2plaintext, plaintext2html
from odoo.tools.mail import parse_contact_from_email
from odoo.tools.mimetypes import guess_mimetype

# What a customer may attach on the portal: photos (and a PDF, e.g. a delivery note).
PORTAL_ATTACHMENT_MIMETYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf")
PORTAL_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
PORTAL_ATTACHMENT_MAX_COUNT = 10
PORTAL_TEXT_MAX_CHARS = 5000

# Fields of the company's internal handling: never readable outside the company (portal, public),
# whatever record rules allow (see _has_field_access). The portal pages read what they show through
# sudo, field by field.
INTERNAL_FIELDS = frozenset((
    "received_by_id", "submitted_by_id", "submitted_date", "severity",
    "supervisor_id", "supervisor_date", "supervisor_comment",
    "quality_user_id", "quality_date", "quality_disposition", "company_responsible", "responsible_department_id",
    "corrective_action_ids", "corrective_action_count",
    "investigation_cause", "investigation_user_id", "investigation_date",
    "reply_text", "reply_channel", "reply_user_id", "reply_date",
    "verification_notes", "customer_satisfied", "verified_by_id", "verified_date",
    "cancel_reason", "cancelled_by_id", "cancelled_date", "days_to_close",
    "email_from", "portal_user_id", "portal_share_actions",
    "activity_ids", "activity_user_id", "activity_summary", "activity_type_id", "activity_state",
    "activity_date_deadline", "activity_exception_decoration", "activity_exception_icon", "my_activity_date_deadline",
))

# What the customer is told of each stage of clause 4.3.
PORTAL_STATES = {
    "draft": "Received",
    "supervisor_review": "Under Review",
    "quality_review": "Under Review",
    "action": "Being Handled",
    "investigation": "Being Handled",
    "reply": "Being Handled",
    "verification": "Answered",
    "done": "Closed",
    "cancel": "Cancelled",
}


class QmsComplaint(models.Model):
    """The complaint slip seen from outside the company: the customer portal (issue #7.1) and
    the e-mail intake through the company's complaints alias (issue #7.2)."""

    _name = "qms.complaint"
    _inherit = ["qms.complaint", "portal.mixin"]
    _mail_post_access = "read"
    _primary_email = "email_from"

    email_from = fields.Char(
        string="Sender E-mail", copy=False, index="btree_not_null",
        help="Address the complaint came from, when it was received by e-mail.")
    portal_user_id = fields.Many2one(
        "res.users", string="Submitted on the Portal By", readonly=True, copy=False,
        help="Customer portal user who recorded this complaint.")
    portal_share_actions = fields.Boolean(
        string="Share Corrective Actions with the Customer", copy=False,
        compute="_compute_portal_share_actions", store=True, readonly=False,
        help="Show the customer, on the portal, a summary of the corrective actions taken "
             "(what is done and its stage; never departments, causes or verification notes).")
    customer_contact_id = fields.Many2one(
        "res.partner", compute="_compute_customer_contact_id",
        help="Whom the company writes to about this complaint: the contact, else the customer.")

    @api.depends("company_id")
    def _compute_portal_share_actions(self):
        for complaint in self:
            complaint.portal_share_actions = complaint.company_id.qms_portal_share_actions

    @api.depends("contact_id", "partner_id")
    def _compute_customer_contact_id(self):
        for complaint in self:
            complaint.customer_contact_id = complaint.contact_id or complaint.partner_id

    def _has_field_access(self, field, operation):
        # the company's internal handling stays internal, whatever portal users may read otherwise
        if field.name in INTERNAL_FIELDS and not self.env.su and self.env.user.share:
            return False
        return super()._has_field_access(field, operation)

    def _compute_access_url(self):
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"

    def _get_portal_return_action(self):
        self.ensure_one()
        return self.env.ref("qms_customer.qms_complaint_action")

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Complaint %s", self.name)

    def _mail_get_partner_fields(self, introspect_fields=False):
        # the portal button with the access token goes to the person we write to; a notice meant
        # for colleagues (an activity) carries none: building the customer's signed link writes the
        # customer's row (auth_signup), which serialised concurrent gates on slips of one customer
        if self.env.context.get("qms_colleague_notice"):
            return []
        return ["customer_contact_id"]

    def _portal_state_label(self):
        """The stage in the customer's words: internal gates are not shown one by one."""
        self.ensure_one()
        labels = {
            "Received": self.env._("Received"),
            "Under Review": self.env._("Under Review"),
            "Being Handled": self.env._("Being Handled"),
            "Answered": self.env._("Answered"),
            "Closed": self.env._("Closed"),
            "Cancelled": self.env._("Cancelled"),
        }
        return labels[PORTAL_STATES[self.state]]

    def _portal_reply_visible(self):
        """The company's answer is shown once it was given (clause 4.3.2), not while drafted."""
        self.ensure_one()
        return self.state in ("verification", "done") and bool(self.sudo().reply_date)

    def _get_portal_action_summary(self):
        """Plain values of the corrective actions when the company shares them; else nothing."""
        self.ensure_one()
        complaint = self.sudo()
        if not complaint.portal_share_actions:
            return []
        labels = dict(complaint.corrective_action_ids._fields["state"]._description_selection(self.env))
        return [{
            "name": action.name,
            "description": action.description or "",
            "state": labels[action.state],
        } for action in complaint.corrective_action_ids.filtered(lambda a: a.state != "cancel")]

    # ------------------------------------------------------------------------------------------
    # Portal intake: the customer records a complaint against one of their own sales orders.
    # ------------------------------------------------------------------------------------------
    @api.model
    def _portal_orders_domain(self, partner):
        return [("partner_id", "child_of", partner.commercial_partner_id.id), ("state", "=", "sale")]

    @api.model
    def _portal_clean_text(self, text, max_chars=PORTAL_TEXT_MAX_CHARS):
        """Plain text from a portal form: markup dropped, bounded, stripped."""
        text = html2plaintext(text or "") if "<" in (text or "") else (text or "")
        return text.strip()[:max_chars]

    @api.model
    def _portal_create_complaint(self, order_id, lines, description, customer_request="explanation",
                                 attachments=None):
        """Record a complaint from the customer portal, as the logged-in portal user.

        :param order_id: id of one of the user's confirmed sales orders
        :param lines: list of dicts {sale_line_id, qty, defect} (quantities as typed)
        :param description: plain text
        :param attachments: list of (filename, bytes) photos
        Everything is checked before anything is written; the slip is then created with sudo.
        """
        user = self.env.user
        if not user.share:
            raise UserError(self.env._("Only customers record complaints on the portal."))
        partner = user.partner_id
        order_id = str(order_id or "")
        order = self.env["sale.order"].sudo().search(
            [("id", "=", int(order_id)), *self._portal_orders_domain(partner)], limit=1) \
            if order_id.isdigit() else self.env["sale.order"]
        if not order:
            raise ValidationError(self.env._("Choose one of your confirmed orders."))
        vals_lines = self._portal_prepare_line_vals(order, lines)
        description = self._portal_clean_text(description)
        if not description:
            raise ValidationError(self.env._("Describe the problem you met."))
        requests = dict(self._fields["customer_request"]._description_selection(self.env))
        if customer_request not in requests:
            raise ValidationError(self.env._("Choose what you ask for."))
        files = self._portal_check_attachments(attachments or [])
        complaint = self.sudo().with_context(mail_create_nosubscribe=True).create(
            self._prepare_portal_complaint_vals(order, partner, vals_lines, description, customer_request))
        complaint.message_subscribe(partner_ids=partner.ids)
        # the photos go into the thread, from the customer, attached to the slip
        complaint.message_post(
            body=self.env._("Complaint recorded on the customer portal."), author_id=partner.id,
            message_type="comment", subtype_xmlid="mail.mt_comment", attachments=files)
        complaint._notify_new_external_complaint(self.env._("New complaint %(slip)s from the portal (%(customer)s)",
                                                            slip=complaint.name,
                                                            customer=complaint.partner_id.display_name))
        return complaint.with_env(self.env)

    @api.model
    def _portal_prepare_line_vals(self, order, lines):
        order_lines = order.order_line.filtered(lambda line: not line.display_type and line.product_id)
        vals_list = []
        for line in lines:
            try:
                qty = float(line.get("qty") or 0)
            except (TypeError, ValueError) as error:
                raise ValidationError(self.env._("Quantities must be numbers.")) from error
            if not qty:
                continue
            line_id = str(line.get("sale_line_id") or "")
            sale_line = order_lines.filtered(lambda ol, lid=line_id: str(ol.id) == lid)
            if not sale_line:
                raise ValidationError(self.env._("A line you chose is not on order %s.", order.name))
            if qty < 0:
                raise ValidationError(self.env._("Quantities must be positive."))
            if qty > sale_line.product_uom_qty:
                raise ValidationError(self.env._(
                    "%(product)s: you ordered %(ordered)s, not %(qty)s.",
                    product=sale_line.product_id.display_name, ordered=sale_line.product_uom_qty, qty=qty))
            vals_list.append({
                "sale_line_id": sale_line.id,
                "product_id": sale_line.product_id.id,
                "qty_complained": qty,
                "defect_description": self._portal_clean_text(line.get("defect"), 1000) or False,
            })
        if not vals_list:
            raise ValidationError(self.env._("Give the quantity of at least one product you complain about."))
        return vals_list

    @api.model
    def _portal_check_attachments(self, attachments):
        if len(attachments) > PORTAL_ATTACHMENT_MAX_COUNT:
            raise ValidationError(self.env._("Attach at most %s files.", PORTAL_ATTACHMENT_MAX_COUNT))
        files = []
        for name, content in attachments:
            if not content:
                continue
            if len(content) > PORTAL_ATTACHMENT_MAX_BYTES:
                raise ValidationError(self.env._("%s is larger than 10 MB.", name))
            if guess_mimetype(content) not in PORTAL_ATTACHMENT_MIMETYPES:
                raise ValidationError(self.env._("%s is not a photo (JPEG, PNG, GIF, WebP) or a PDF.", name))
            files.append(((name or "photo")[:200], content))
        return files

    def _prepare_portal_complaint_vals(self, order, partner, line_vals, description, customer_request):
        receiver = order.user_id if order.user_id and not order.user_id.share else self.env["res.users"]
        receiver = receiver or self._users_of_company("qms_customer.group_qms_sales_supervisor", order.company_id)[:1]
        return {
            "partner_id": order.partner_id.commercial_partner_id.id,
            "contact_id": partner.id,
            "sale_order_id": order.id,
            "company_id": order.company_id.id,
            "channel": "online",
            "category": "product",
            "customer_request": customer_request,
            "received_by_id": (receiver or self.env.ref("base.user_root")).id,
            "description": plaintext2html(description),
            "portal_user_id": self.env.user.id,
            "line_ids": [fields.Command.create(vals) for vals in line_vals],
        }

    @api.model
    def _users_of_company(self, group_xmlid, company):
        # sudo: whoever triggers the step may not read the other users' companies
        group = self.env.ref(group_xmlid).sudo()
        return group.all_user_ids.filtered(lambda u: not u.share and company in u.company_ids)

    def _notify_new_external_complaint(self, summary):
        """A complaint arrived from outside (portal, e-mail): the Sales supervisors get an activity
        to check it and submit it for review (clause 4.3.1: report it at once)."""
        for complaint in self:
            complaint._schedule_review_activity(
                self._users_of_company("qms_customer.group_qms_sales_supervisor", complaint.company_id), summary)

    # ------------------------------------------------------------------------------------------
    # E-mail intake: the company's complaints alias creates a recorded slip.
    # ------------------------------------------------------------------------------------------
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        values = dict(custom_values or {})
        values.update(self._prepare_email_complaint_vals(msg_dict, values))
        complaint = super(QmsComplaint, self.with_context(mail_create_nosubscribe=True)).message_new(
            msg_dict, custom_values=values)
        complaint._notify_new_external_complaint(self.env._(
            "New complaint %(slip)s by e-mail from %(sender)s", slip=complaint.name, sender=msg_dict.get("email_from")))
        return complaint

    @api.model
    def _prepare_email_complaint_vals(self, msg_dict, values):
        """Sender → the known contact and its customer, else a new contact; subject and body →
        description."""
        company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
        email_from = msg_dict.get("email_from") or ""
        normalized = email_normalize(email_from)
        contact = self.env["res.partner"]
        if msg_dict.get("author_id"):
            contact = self.env["res.partner"].browse(msg_dict["author_id"])
        if not contact and normalized:
            contact = self.env["res.partner"].search(
                [("email_normalized", "=", normalized), ("company_id", "in", [False, company.id])], limit=1)
        if not contact:
            name, email = parse_contact_from_email(email_from)
            contact = self.env["res.partner"].create({"name": name or email or email_from, "email": email})
        subject = msg_dict.get("subject") or ""
        body = msg_dict.get("body") or ""
        description = (f"<p><strong>{plaintext2html(subject)[3:-4]}</strong></p>" if subject else "") + body
        receiver = self.env.user if not self.env.user.share else self.env.ref("base.user_root")
        return {
            "name": "/",  # numbered from the company's sequence, not named after the subject
            "partner_id": contact.commercial_partner_id.id,
            "contact_id": contact.id,
            "company_id": company.id,
            "channel": "email",
            "category": values.get("category", "other"),
            "received_by_id": receiver.id,
            "received_date": fields.Datetime.now(),
            "description": description,
            "email_from": normalized or email_from,
        }

    @api.model
    def _qms_is_auto_reply(self, message):
        """Auto-replies (out of office, autoresponders, bulk mail) never become slips."""
        auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
        if auto_submitted and auto_submitted != "no":
            return True
        if message.get("X-Autoreply") or message.get("X-Autorespond") or message.get("X-Autogenerated"):
            return True
        precedence = (message.get("Precedence") or "").strip().lower()
        return precedence in ("auto_reply", "bulk", "junk", "list")
