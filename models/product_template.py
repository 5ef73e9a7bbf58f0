from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    qms_requires_installation = fields.Boolean(
        string="Requires Installation", help="Confirming an order of this product plans an installation.")
    qms_requires_commissioning = fields.Boolean(
        string="Requires Commissioning", help="Confirming an order of this product plans a commissioning.")
    qms_requires_training = fields.Boolean(
        string="Requires Training", help="Confirming an order of this product plans a training.")
