from odoo import api, models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "qms.complaint.link.mixin"]

    @api.model_create_multi
    def create(self, vals_list):
        self._qms_check_complaint_link(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._qms_check_complaint_link([vals])
        return super().write(vals)
