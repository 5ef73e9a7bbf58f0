from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .qms_input_guard import check_input
from .qms_workflow_mixin import Gate, Step

# Clause 4.4.2, second sentence: "where useful the company tells customers about product
# improvements". Sales (or Quality, who knows what the action changed) prepares the notice and finds
# the customers; the Sales Supervisor reviews the list and sends it (a message in the company's name
# to many customers); the background job marks it sent when every recipient has it.
STEPS = {
    "review": Step(("draft",), "reviewed", group="qms_customer.group_qms_sales_supervisor",
                   stamp=("reviewed_by_id", "reviewed_date"), check="_check_can_review"),
    "reset": Step(("reviewed",), "draft", group=("qms_customer.group_qms_sales", "qms_customer.group_qms_quality"),
                  clears=("reviewed_by_id", "reviewed_date")),
    "send": Step(("reviewed",), "sending", group="qms_customer.group_qms_sales_supervisor",
                 stamp=("sent_by_id", "send_date"), check="_check_can_send", then="_after_send"),
    # taken by the job when the last recipient has the notice; its check is the invariant itself
    "done": Step(("sending",), "sent", check="_check_all_sent"),
}
PREPARERS = ("qms_customer.group_qms_sales", "qms_customer.group_qms_quality")
GATES = {
    "definition": Gate(("draft",), ("product_ids", "lot_ids", "date_from", "date_to", "subject", "message"),
                       group=PREPARERS),
}


class QmsImprovementNotice(models.Model):
    """Product improvement notice — 产品改进通知 (clause 4.4.2): tells the customers who received a
    product that a corrective action judged effective improved it."""

    _name = "qms.improvement.notice"
    _description = "Product Improvement Notice"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.workflow.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _qms_steps = STEPS
    _qms_gates = GATES
    _qms_fixed_fields = ("name", "action_id")
    _qms_server_fields = ("done_date",)

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index="trigram")
    action_id = fields.Many2one(
        "qms.corrective.action", string="Corrective Action", required=True, index=True, ondelete="restrict",
        check_company=True, domain="[('state', '=', 'effective')]")
    company_id = fields.Many2one(related="action_id.company_id", store=True, index=True)
    state = fields.Selection([
        ("draft", "Draft"),
        ("reviewed", "Reviewed"),
        ("sending", "Sending"),
        ("sent", "Sent"),
    ], default="draft", required=True, readonly=True, copy=False, tracking=True, index=True)
    product_ids = fields.Many2many(
        "product.product", "qms_improvement_notice_product_rel", "notice_id", "product_id", string="Products",
        required=True, tracking=True, help="The products the corrective action improved.")
    lot_ids = fields.Many2many(
        "stock.lot", "qms_improvement_notice_lot_rel", "notice_id", "lot_id", string="Lots/Serial Numbers",
        domain="[('product_id', 'in', product_ids)]", groups="stock.group_stock_user",
        help="Only the customers who received these lots or serial numbers; empty: every unit.")
    date_from = fields.Date(string="Delivered From", required=True, tracking=True)
    date_to = fields.Date(string="Delivered To", required=True, tracking=True)
    subject = fields.Char(required=True, translate=True, tracking=True)
    message = fields.Html(required=True, translate=True, sanitize_style=True,
                          help="Translate it (the language button) to send each customer the notice in their "
                               "own language.")
    recipient_ids = fields.One2many("qms.improvement.notice.recipient", "notice_id", string="Affected Customers")
    recipient_count = fields.Integer(string="Customers", compute="_compute_counts")
    to_send_count = fields.Integer(string="To Notify", compute="_compute_counts")
    sent_count = fields.Integer(string="Notified", compute="_compute_counts")
    reviewed_by_id = fields.Many2one("res.users", string="Reviewed By", readonly=True, copy=False)
    reviewed_date = fields.Datetime(string="Reviewed On", readonly=True, copy=False)
    sent_by_id = fields.Many2one("res.users", string="Sent By", readonly=True, copy=False)
    send_date = fields.Datetime(string="Sending Started On", readonly=True, copy=False)
    done_date = fields.Datetime(string="Sent On", readonly=True, copy=False)
    can_review = fields.Boolean(compute="_compute_can_steps")
    can_reset = fields.Boolean(compute="_compute_can_steps")
    can_send = fields.Boolean(compute="_compute_can_steps")
    can_edit_definition = fields.Boolean(compute="_compute_can_edit_gates")

    @api.depends("recipient_ids.excluded", "recipient_ids.sent")
    def _compute_counts(self):
        for notice in self:
            recipients = notice.recipient_ids
            notice.recipient_count = len(recipients)
            notice.sent_count = len(recipients.filtered("sent"))
            notice.to_send_count = len(recipients.filtered(lambda r: not r.excluded and not r.sent))

    @api.constrains("action_id")
    def _check_action_effective(self):
        for notice in self:
            if notice.action_id.state != "effective":
                raise ValidationError(self.env._(
                    "%s has not been judged effective: customers are told of an improvement once it is verified.",
                    notice.action_id.display_name))

    @api.constrains("action_id", "state")
    def _check_one_open_notice(self):
        # one notice of an action at a time is being prepared or sent; a later one (another period,
        # other lots) once the earlier is sent
        for notice in self.filtered(lambda n: n.state != "sent"):
            if self.search_count([("action_id", "=", notice.action_id.id), ("state", "!=", "sent"),
                                  ("id", "!=", notice.id)], limit=1):
                raise ValidationError(self.env._(
                    "A product improvement notice of %s is already being prepared or sent: finish it before "
                    "starting another.", notice.action_id.display_name))

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for notice in self:
            if notice.date_from and notice.date_to and notice.date_from > notice.date_to:
                raise ValidationError(self.env._("The delivery period of %s ends before it starts.",
                                                 notice.display_name))

    @api.constrains("lot_ids", "product_ids")
    def _check_lots(self):
        for notice in self.sudo():
            if not notice.product_ids:
                raise ValidationError(self.env._("Name the products that %s is about.", notice.display_name))
            if notice.lot_ids.product_id - notice.product_ids:
                raise ValidationError(self.env._(
                    "The lots/serial numbers of %s must be of its products.", notice.display_name))

    @api.model
    def default_get(self, fields):
        # the form opened by Notify Affected Customers
        defaults = super().default_get(fields)
        action_id = defaults.get("action_id") or self.env.context.get("default_action_id")
        defaults.update({name: value for name, value in self._defaults_from_action(action_id).items()
                         if name in fields and not defaults.get(name)})
        return defaults

    def _add_missing_default_values(self, values):
        # ... and every other path of create (/json/2, a script)
        values = super()._add_missing_default_values(values)
        for name, value in self._defaults_from_action(values.get("action_id")).items():
            if not values.get(name):
                values[name] = value
        return values

    @api.model
    def _defaults_from_action(self, action_id):
        """The notice an action suggests: the products of its slip's lines, the slip's year."""
        # only an action the user may read suggests anything (an id of another company's is not)
        action = self.env["qms.corrective.action"].browse(
            action_id if isinstance(action_id, int) else None).exists()._filtered_access("read")
        if not action:
            return {}
        complaint = action.sudo().complaint_id
        products = complaint.line_ids.product_id
        received = complaint.received_date or fields.Datetime.now()
        return {
            "product_ids": [Command.set(products.ids)],
            "date_from": received.date().replace(month=1, day=1),
            "date_to": fields.Date.context_today(self),
            "subject": self.env._("Product improvement: %s", ", ".join(products.mapped("display_name"))),
        }

    @api.model_create_multi
    def create(self, vals_list):
        check_input(self, vals_list)
        Sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            # the number is the server's, in the company of the action
            action = self.env["qms.corrective.action"].sudo().browse(vals.get("action_id")).exists()
            vals["name"] = Sequence.with_company(action.company_id or self.env.company).next_by_code(
                "qms.improvement.notice") or "/"
        return super().create(vals_list)

    def write(self, vals):
        check_input(self, [vals])
        return super().write(vals)

    def update_field_translations(self, field_name, translations, source_lang=""):
        # the translation dialog writes the subject and message too: in their gate only
        if field_name in GATES["definition"].fields and not self.env.su:
            reason = self._qms_gate_refusal("definition")
            if reason:
                raise (AccessError if reason[0] == "role" else UserError)(reason[1])
        return super().update_field_translations(field_name, translations, source_lang=source_lang)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(notice.state != "draft" for notice in self):
            raise UserError(self.env._("Only a draft product improvement notice can be deleted."))

    # ==========================================================================================
    # Find Customers: every customer who received the products (lots) in the period, in one query.
    # ==========================================================================================
    def action_find_customers(self):
        """(Re)fill the affected customers from the done deliveries; keeps nothing of an earlier list."""
        self.ensure_one()
        self.check_access("write")
        reason = self._qms_gate_refusal("definition")
        if reason:
            raise (AccessError if reason[0] == "role" else UserError)(reason[1])
        rows = self._affected_customers()
        notified = self._already_notified()
        Recipient = self.env["qms.improvement.notice.recipient"].sudo()
        self.sudo().recipient_ids.unlink()
        Recipient.create([{
            "notice_id": self.id, "partner_id": partner_id, "quantity": quantity, "delivery_count": deliveries,
            "last_delivery_date": last_date, "lot_ids": [Command.set(lot_ids or [])],
            "excluded": partner_id in notified,
            "exclusion_reason": notified.get(partner_id) and self.env._(
                "Already notified of this corrective action by %s.", notified[partner_id]),
        } for partner_id, quantity, deliveries, last_date, lot_ids in rows])
        self.message_post(body=self.env._("%s affected customers found.", len(rows)))
        return True

    def _affected_customers_query(self):
        """SQL: one row per customer company that received the products (lots) in the period:
        (commercial partner, quantity, deliveries, last delivery, lots). Done moves into customer
        locations; the customer is the move's partner, or its picking's."""
        self.ensure_one()
        lots = self.sudo().lot_ids  # narrowed by whoever may read lots; found by whoever finds customers
        lot_filter = SQL("AND sml.lot_id IN %s", tuple(lots.ids)) if lots else SQL()
        return SQL("""
            SELECT partner.commercial_partner_id, SUM(sml.quantity_product_uom),
                   COUNT(DISTINCT COALESCE(sml.picking_id, -sml.move_id)), MAX(sml.date),
                   ARRAY_AGG(DISTINCT sml.lot_id) FILTER (WHERE sml.lot_id IS NOT NULL)
              FROM stock_move_line sml
              JOIN stock_move move ON move.id = sml.move_id
              JOIN stock_location dest ON dest.id = sml.location_dest_id
         LEFT JOIN stock_picking picking ON picking.id = sml.picking_id
              JOIN res_partner partner ON partner.id = COALESCE(move.partner_id, picking.partner_id)
             WHERE sml.state = 'done' AND dest.usage = 'customer' AND sml.company_id = %(company)s
               AND sml.product_id IN %(products)s AND sml.date >= %(start)s AND sml.date < %(end)s %(lots)s
          GROUP BY partner.commercial_partner_id
          ORDER BY MAX(sml.date) DESC
        """, company=self.company_id.id, products=tuple(self.product_ids.ids) or (0,),
                   start=self.date_from, end=fields.Date.add(self.date_to, days=1), lots=lot_filter)

    def _affected_customers(self):
        self.env["stock.move.line"].flush_model()
        self.env["stock.move"].flush_model(["partner_id"])
        self.env["stock.picking"].flush_model(["partner_id"])
        self.env.cr.execute(self._affected_customers_query())
        return self.env.cr.fetchall()

    def _already_notified(self):
        """{customer: notice} of the earlier notices of the same action that reached them."""
        earlier = self.env["qms.improvement.notice.recipient"].sudo().search_fetch(
            [("notice_id.action_id", "=", self.action_id.id), ("notice_id", "!=", self.id), ("sent", "=", True)],
            ["partner_id", "notice_id"])
        return {recipient.partner_id.id: recipient.notice_id.name for recipient in earlier}

    # ==========================================================================================
    # Review and send.
    # ==========================================================================================
    def action_review(self):
        """The Sales Supervisor has reviewed the list of customers."""
        return self._qms_take("review")

    def _check_can_review(self, vals):
        self._check_someone_to_notify()

    def action_reset(self):
        """Back to the draft: change the products, the period or the list."""
        return self._qms_take("reset")

    def action_send(self):
        """Send the notice to every customer of the list who is not excluded, in the background."""
        return self._qms_take("send")

    def _check_can_send(self, vals):
        self._check_someone_to_notify()

    def _check_someone_to_notify(self):
        if not self.recipient_ids.filtered(lambda recipient: not recipient.excluded):
            raise UserError(self.env._(
                "%s has no affected customer to notify: find the customers who received the products in the "
                "period, or widen the period.", self.display_name))

    def _after_send(self):
        self.message_post(body=self.env._("Sending to %s customers in the background.", self.to_send_count))
        self.env.ref("qms_customer.ir_cron_qms_improvement_notice_send")._trigger()

    def _check_all_sent(self, vals):
        if self.recipient_ids.filtered(lambda recipient: not recipient.excluded and not recipient.sent):
            raise UserError(self.env._("%s is still being sent.", self.display_name))

    @api.model
    def _cron_send_notices(self, batch_size=50):
        """The background job: each recipient gets the notice once — the mail, the portal copy, the
        customer communication and the recipient's "sent" mark are committed together, one recipient
        at a time; a job stopped half-way resumes with the recipients not yet marked."""
        Recipient = self.env["qms.improvement.notice.recipient"].sudo()
        domain = [("notice_id.state", "=", "sending"), ("excluded", "=", False), ("sent", "=", False)]
        recipients = Recipient.search(domain, limit=batch_size, order="notice_id, id")
        Cron = self.env["ir.cron"]
        Cron._commit_progress(remaining=Recipient.search_count(domain))
        for recipient in recipients:
            # another worker may hold it, or have sent it since the search: skip it then
            recipient = recipient.try_lock_for_update(allow_referencing=True).filtered_domain(domain)
            if recipient:
                recipient._send()
            if not Cron._commit_progress(1):
                break
        self.sudo().search([("state", "=", "sending")])._mark_sent()
        if Recipient.search_count(domain, limit=1):
            self.env.ref("qms_customer.ir_cron_qms_improvement_notice_send")._trigger()
        Cron._commit_progress()

    def _mark_sent(self):
        """The notices whose every recipient (not excluded) has them are sent."""
        for notice in self.filtered(lambda n: n.state == "sending" and not n.to_send_count):
            notice.write({"state": "sent", "done_date": fields.Datetime.now()})
            notice.message_post(body=self.env._("Sent to %s customers.", notice.sent_count))

    def _send_now(self):
        """Notify every recipient at once, in the current transaction (the demo data; a few
        recipients). The job does the same one recipient per commit."""
        for notice in self.sudo().filtered(lambda n: n.state == "sending"):
            for recipient in notice.recipient_ids.filtered(lambda r: not r.excluded and not r.sent):
                recipient._send()
            notice._mark_sent()
        return True
