from odoo import fields, models


class QmsServiceAcceptance(models.TransientModel):
    """Asks who accepted the service for the customer, and when (clause 4.4.1): the acceptance is
    written on the request together with its step, which credits who recorded it."""

    _name = "qms.service.acceptance"
    _description = "Customer Acceptance of a Service"

    request_ids = fields.Many2many("qms.service.request", string="Service Requests", required=True)
    acceptance_name = fields.Char(string="Accepted By (Customer)", required=True)
    acceptance_date = fields.Date(string="Accepted On", required=True, default=fields.Date.context_today)
    acceptance_remarks = fields.Text(string="Customer Remarks")

    def action_accept(self):
        self.request_ids._do_accept(self.acceptance_name, self.acceptance_date, self.acceptance_remarks)
        return {"type": "ir.actions.act_window_close"}
