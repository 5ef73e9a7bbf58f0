from odoo import api, fields, models


class ResPartner(models.Model):
    """Complaints, visits, communications and planned activities seen from the customer."""

    _inherit = "res.partner"

    qms_complaint_ids = fields.One2many("qms.complaint", "commercial_partner_id", string="Complaints")
    qms_complaint_count = fields.Integer(
        compute="_compute_qms_complaint_count", groups="qms_customer.group_qms_employee")

    qms_visit_count = fields.Integer(
        compute="_compute_qms_counts", string="Customer Visits", groups="qms_customer.group_qms_employee")
    qms_communication_count = fields.Integer(
        compute="_compute_qms_counts", string="Customer Communications", groups="qms_customer.group_qms_employee")
    qms_plan_line_count = fields.Integer(
        compute="_compute_qms_counts", string="Planned Communications", groups="qms_customer.group_qms_employee")
    qms_satisfaction_score = fields.Integer(
        compute="_compute_qms_satisfaction", string="Latest Satisfaction",
        groups="qms_customer.group_qms_employee",
        help="The latest satisfaction score (1-5) given by this customer in a communication.")
    qms_satisfaction_date = fields.Datetime(
        compute="_compute_qms_satisfaction", string="Satisfaction Given On", groups="qms_customer.group_qms_employee")

    def _compute_qms_complaint_count(self):
        counts = dict(self.env["qms.complaint"]._read_group(
            [("commercial_partner_id", "in", self.commercial_partner_id.ids)], ["commercial_partner_id"], ["__count"]))
        for partner in self:
            partner.qms_complaint_count = counts.get(partner.commercial_partner_id, 0)

    @api.readonly
    def action_view_qms_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.qms_complaint_action")
        action.update(
            domain=[("commercial_partner_id", "=", self.commercial_partner_id.id)],
            context={"default_partner_id": self.commercial_partner_id.id},
        )
        return action

    def _qms_count_by_partner(self, model):
        # Count on the commercial entity, so that contacts of a company count for the company;
        # only what the current user may see (record rules apply).
        groups = self.env[model]._read_group(
            [("partner_id", "child_of", self.commercial_partner_id.ids)], ["partner_id"], ["__count"])
        counts = {}
        for partner, count in groups:
            key = partner.commercial_partner_id.id
            counts[key] = counts.get(key, 0) + count
        return counts

    def _compute_qms_counts(self):
        if not self.ids:
            self.qms_visit_count = self.qms_communication_count = self.qms_plan_line_count = 0
            return
        visits = self._qms_count_by_partner("qms.customer.visit")
        communications = self._qms_count_by_partner("qms.communication")
        lines = self._qms_count_by_partner("qms.communication.plan.line")
        for partner in self:
            key = partner.commercial_partner_id.id
            partner.qms_visit_count = visits.get(key, 0)
            partner.qms_communication_count = communications.get(key, 0)
            partner.qms_plan_line_count = lines.get(key, 0)

    def _compute_qms_satisfaction(self):
        for partner in self:
            latest = self.env["qms.communication"].search([
                ("partner_id", "child_of", partner.commercial_partner_id.id), ("satisfaction_score", ">", 0),
            ], order="date desc, id desc", limit=1) if partner.id else self.env["qms.communication"]
            partner.qms_satisfaction_score = latest.satisfaction_score
            partner.qms_satisfaction_date = latest.date

    def _qms_action(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    @api.readonly
    def action_view_qms_visits(self):
        """Smart button: the customer's visits."""
        return self._qms_action("qms_customer.qms_customer_visit_action")

    @api.readonly
    def action_view_qms_communications(self):
        """Smart button: the communications with the customer."""
        return self._qms_action("qms_customer.qms_communication_action")

    @api.readonly
    def action_view_qms_plan_lines(self):
        """Smart button: the customer's planned communication activities."""
        return self._qms_action("qms_customer.qms_communication_plan_line_action")

    @api.model
    def _qms_existing_customers(self, company, date_from, date_to):
        """Commercial partners with a confirmed sales order between the two dates (inclusive)."""
        orders = self.env["sale.order"].search([
            ("state", "=", "sale"), ("company_id", "=", company.id),
            ("date_order", ">=", fields.Datetime.to_datetime(date_from)),
            ("date_order", "<", fields.Datetime.to_datetime(fields.Date.add(date_to, days=1))),
        ])
        return orders.partner_id.commercial_partner_id.filtered("active")
