from odoo import fields, models

from .qms_workflow_mixin import Gate

# A visitor is part of the visit's record: written by Sales while the visit is being recorded.
GATES = {
    "reception": Gate(("draft",), ("sequence", "name", "title", "contact", "contact_id"),
                      group="qms_customer.group_qms_sales"),
}


class QmsCustomerVisitVisitor(models.Model):
    """A person who came with a customer visit: name, title and how to reach them."""

    _name = "qms.customer.visit.visitor"
    _description = "Customer Visitor"
    _inherit = ["qms.workflow.mixin"]
    _qms_parent_field = "visit_id"
    _order = "visit_id, sequence, id"
    _qms_gates = GATES
    _qms_fixed_fields = ("visit_id",)

    visit_id = fields.Many2one("qms.customer.visit", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="visit_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Full Name", required=True)
    title = fields.Char(string="Job Title")
    contact = fields.Char(string="Contact Details", help="Phone, e-mail or any other way to reach this visitor.")
    contact_id = fields.Many2one("res.partner", string="Contact Card")

    def _qms_create_step_state(self, vals):
        # a visit id that does not exist gives no stage (a refusal), not a MissingError
        return self.env["qms.customer.visit"].browse(vals.get("visit_id")).exists().state
