from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .qms_improvement_notice import PREPARERS
from .qms_input_guard import check_input
from .qms_workflow_mixin import Gate

# What the server writes: the customers found in the deliveries, and what sending did. No client
# adds a customer by hand nor marks one notified.
DELIVERY_FIELDS = ("partner_id", "quantity", "delivery_count", "last_delivery_date", "lot_ids")
SENT_FIELDS = ("sent", "sent_date", "sent_subject", "sent_body", "message_id", "communication_id")


class QmsImprovementNoticeRecipient(models.Model):
    """A customer (company) affected by a product improvement notice: what they received, whether
    Sales excluded them (and why), and when they were notified."""

    _name = "qms.improvement.notice.recipient"
    _description = "Product Improvement Notice Recipient"
    _inherit = ["qms.workflow.mixin"]
    _order = "notice_id, excluded, id"
    _rec_name = "partner_id"
    _check_company_auto = True
    _qms_parent_field = "notice_id"
    # Sales reviews the list (Quality, who prepared it, too) while the notice is a draft
    _qms_gates = {"review": Gate(("draft",), ("excluded", "exclusion_reason"), group=PREPARERS)}
    _qms_fixed_fields = ("notice_id",)
    _qms_server_fields = DELIVERY_FIELDS + SENT_FIELDS

    notice_id = fields.Many2one(
        "qms.improvement.notice", string="Notice", required=True, index=True, ondelete="cascade")
    notice_name = fields.Char(related="notice_id.name", string="Notice Number")
    company_id = fields.Many2one(related="notice_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, readonly=True)
    quantity = fields.Float(string="Quantity Received", digits="Product Unit", readonly=True)
    delivery_count = fields.Integer(string="Deliveries", readonly=True)
    last_delivery_date = fields.Datetime(string="Last Delivery", readonly=True)
    lot_ids = fields.Many2many(
        "stock.lot", "qms_improvement_notice_recipient_lot_rel", "recipient_id", "lot_id",
        string="Lots/Serial Numbers Received", readonly=True, groups="stock.group_stock_user")
    excluded = fields.Boolean(help="Not notified: say why.")
    exclusion_reason = fields.Char()
    sent = fields.Boolean(string="Notified", readonly=True, copy=False)
    sent_date = fields.Datetime(string="Notified On", readonly=True, copy=False)
    sent_subject = fields.Char(string="Subject Sent", readonly=True, copy=False)
    sent_body = fields.Html(string="Notice Sent", readonly=True, copy=False, sanitize=False)
    message_id = fields.Many2one("mail.message", string="E-mail", readonly=True, copy=False, index="btree_not_null")
    communication_id = fields.Many2one(
        "qms.communication", string="Customer Communication", readonly=True, copy=False, index="btree_not_null")

    _one_line_per_customer = models.UniqueIndex(
        "(notice_id, partner_id)", "A customer is listed once per product improvement notice.")

    @api.constrains("excluded", "exclusion_reason")
    def _check_exclusion_reason(self):
        for recipient in self:
            if recipient.excluded and not (recipient.exclusion_reason or "").strip():
                raise ValidationError(self.env._("Say why %s is not notified.", recipient.partner_id.display_name))

    @api.model_create_multi
    def create(self, vals_list):
        check_input(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_input(self, [vals])
        return super().write(vals)

    def _send(self):
        """Notify this customer once: the mail (in their language) posted on a new customer
        communication of type after-sales service, the copy their portal shows, the "sent" mark."""
        self.ensure_one()
        template = self.env.ref("qms_customer.mail_template_qms_improvement_notice")
        rendered = template._generate_template(self.ids, ("subject", "body_html"))[self.id]
        notice = self.notice_id
        communication = self.env["qms.communication"].sudo().create({
            "partner_id": self.partner_id.id,
            "communication_type": "after_sales",
            "channel": "email",
            "company_id": notice.company_id.id,
            "user_id": notice.sent_by_id.id,
            "participant_ids": [fields.Command.set(notice.sent_by_id.ids)],
            "summary": rendered["body_html"],
        })
        message = communication.with_context(mail_create_nosubscribe=True).message_post(
            body=rendered["body_html"], subject=rendered["subject"], partner_ids=self.partner_id.ids,
            message_type="comment", subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light", author_id=notice.sent_by_id.partner_id.id)
        self.write({"sent": True, "sent_date": fields.Datetime.now(), "sent_subject": rendered["subject"],
                    "sent_body": rendered["body_html"], "message_id": message.id,
                    "communication_id": communication.id})

    def _get_portal_url(self):
        self.ensure_one()
        return f"/my/product-notices/{self.id}"
