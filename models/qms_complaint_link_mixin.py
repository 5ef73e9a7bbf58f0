from odoo import fields, models


class QmsComplaintLinkMixin(models.AbstractModel):
    """Lets a document created by a remedy of the three guarantees (clause 4.4.2) point back to
    its complaint slip: credit notes, return and replacement transfers, repair orders."""

    _name = "qms.complaint.link.mixin"
    _description = "Link to a Complaint Slip"

    qms_complaint_id = fields.Many2one(
        "qms.complaint", string="Complaint Slip", index="btree_not_null", copy=False, readonly=True)

    def action_view_qms_complaint(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "qms.complaint", "view_mode": "form",
                "res_id": self.qms_complaint_id.id}
