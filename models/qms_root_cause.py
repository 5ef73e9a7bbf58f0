from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The 5M1E fishbone (人、机、料、法、环、测): the category every root cause falls under.
CAUSE_CATEGORIES = [
    ("man", "Man"),
    ("machine", "Machine"),
    ("material", "Material"),
    ("method", "Method"),
    ("environment", "Environment"),
    ("measurement", "Measurement"),
]


class QmsRootCause(models.Model):
    """A root cause of the company's list (clause 4.3.2), under one 5M1E category, with
    sub-levels ("Method / Packing instruction / Corner protection"), so that the causes of
    corrective actions can be counted. Kept by Quality and the Management Representative."""

    _name = "qms.root.cause"
    _description = "Root Cause"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "category, complete_name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", recursive=True, store=True)
    category = fields.Selection(
        CAUSE_CATEGORIES, string="Cause Category (5M1E)", required=True, index=True,
        compute="_compute_category", recursive=True, store=True, readonly=False, precompute=True)
    parent_id = fields.Many2one(
        "qms.root.cause", string="Parent Cause", index=True, ondelete="restrict", check_company=True)
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("qms.root.cause", "parent_id", string="Sub-causes")
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for cause in self:
            parent = cause.parent_id.complete_name
            cause.complete_name = f"{parent} / {cause.name}" if parent else cause.name

    @api.depends("parent_id.category")
    def _compute_category(self):
        # a sub-cause falls under its parent's category
        for cause in self:
            if cause.parent_id:
                cause.category = cause.parent_id.category

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A cause cannot be its own sub-cause."))

    @api.constrains("parent_id", "category")
    def _check_category(self):
        for cause in self:
            if cause.parent_id and cause.parent_id.category != cause.category:
                raise ValidationError(self.env._(
                    "The sub-cause %(cause)s falls under the category of %(parent)s.",
                    cause=cause.name, parent=cause.parent_id.complete_name))
