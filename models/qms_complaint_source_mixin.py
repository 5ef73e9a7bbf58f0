from odoo import api, fields, models


class QmsComplaintSourceMixin(models.AbstractModel):
    """A document a complaint slip can be recorded from (clause 4.3.1): a sales order, a delivery
    order, a customer invoice. The slip names the document in its field
    ``_qms_complaint_source_field``; the document counts and lists its slips, and opens a new one
    pre-filled by its own ``_prepare_qms_complaint_context``."""

    _name = "qms.complaint.source.mixin"
    _description = "Document a Complaint Is Recorded From"

    _qms_complaint_source_field = None
    """The complaint slip's field naming the document."""

    qms_complaint_count = fields.Integer(
        string="Complaint Count", compute="_compute_qms_complaint_count", groups="qms_customer.group_qms_employee")

    def _compute_qms_complaint_count(self):
        field = self._qms_complaint_source_field
        counts = dict(self.env["qms.complaint"]._read_group([(field, "in", self.ids)], [field], ["__count"]))
        for document in self:
            document.qms_complaint_count = counts.get(document, 0)

    @api.readonly
    def action_view_qms_complaints(self):
        """The complaint slips recorded from this document."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.qms_complaint_action")
        action.update(domain=[(self._qms_complaint_source_field, "=", self.id)],
                      context=self._prepare_qms_complaint_context())
        return action

    @api.readonly
    def action_record_qms_complaint(self):
        """Open a new complaint slip pre-filled with this document's customer and products."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Complaint"),
            "res_model": "qms.complaint",
            "view_mode": "form",
            "target": "current",
            "context": self._prepare_qms_complaint_context(),
        }

    def _prepare_qms_complaint_context(self):
        """The new slip's defaults (``default_<field>`` keys) taken from this document."""
        raise NotImplementedError
