from odoo import fields, models


class QmsCustomerVisitVisitor(models.Model):
    """A person who came with a customer visit: name, title and how to reach them."""

    _name = "qms.customer.visit.visitor"
    _description = "Customer Visitor"
    _order = "visit_id, sequence, id"

    visit_id = fields.Many2one("qms.customer.visit", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="visit_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    title = fields.Char(string="Job Title")
    contact = fields.Char(help="Phone, e-mail or any other way to reach this visitor.")
    contact_id = fields.Many2one("res.partner", string="Contact Card")
