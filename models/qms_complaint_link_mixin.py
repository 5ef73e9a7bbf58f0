from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError


class QmsComplaintLinkMixin(models.AbstractModel):
    """Lets a document created by a remedy of the three guarantees (clause 4.4.2) point back to
    its complaint slip: credit notes, return and replacement transfers, repair orders."""

    _name = "qms.complaint.link.mixin"
    _description = "Link to a Complaint Slip"

    qms_complaint_id = fields.Many2one(
        "qms.complaint", string="Complaint Slip", index="btree_not_null", copy=False, readonly=True)

    @api.readonly
    def action_view_qms_complaint(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "qms.complaint", "view_mode": "form",
                "res_id": self.qms_complaint_id.id}

    @api.model_create_multi
    def create(self, vals_list):
        self._qms_check_complaint_link(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._qms_check_complaint_link([vals])
        return super().write(vals)

    def _qms_check_complaint_link(self, vals_list):
        """Only a remedy's own step links a document to a slip (it does so in sudo, after checking the
        role and the three guarantees): a client that could point any document at a slip could
        forge the remedy a line shows."""
        if self.env.su or self.env.uid == SUPERUSER_ID:
            return
        if any(vals.get("qms_complaint_id") for vals in vals_list) or (
                self and any("qms_complaint_id" in vals for vals in vals_list)):
            raise UserError(self.env._(
                "A document is linked to a complaint slip by the remedy buttons of the slip only."))
