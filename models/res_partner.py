from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    qms_complaint_ids = fields.One2many("qms.complaint", "commercial_partner_id", string="Complaints")
    qms_complaint_count = fields.Integer(
        compute="_compute_qms_complaint_count", groups="qms_customer.group_qms_employee")

    def _compute_qms_complaint_count(self):
        counts = dict(self.env["qms.complaint"]._read_group(
            [("commercial_partner_id", "in", self.commercial_partner_id.ids)], ["commercial_partner_id"], ["__count"]))
        for partner in self:
            partner.qms_complaint_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_qms_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.qms_complaint_action")
        action.update(
            domain=[("commercial_partner_id", "=", self.commercial_partner_id.id)],
            context={"default_partner_id": self.commercial_partner_id.id},
        )
        return action
