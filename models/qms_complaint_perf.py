from odoo import api, fields, models

from .qms_input_guard import IN_WORKFLOW_STEP, check_input


class QmsComplaint(models.Model):
    """Indexes and batching asked for by tools/bench (see BENCHMARKS.md)."""

    _inherit = "qms.complaint"

    # the employee record rule filters on who received the slip: indexed like create_uid's owner
    received_by_id = fields.Many2one(index=True)
    # the list's default order (received_date desc, id desc): the first page is read from the
    # index instead of sorting every slip, as sale.order does with date_order
    _received_date_id_idx = models.Index("(received_date DESC, id DESC)")

    @api.model_create_multi
    def create(self, vals_list):
        """Number the slips of one call with one sequence lookup per company (the lookup costs
        three queries per slip otherwise); nextval stays per slip, as numbers must stay unique."""
        check_input(self, vals_list, creating=True)  # what the caller sent, before numbering
        todo = [vals for vals in vals_list if vals.get("name", "/") == "/"]
        by_company = {}
        for vals in todo:
            by_company.setdefault(vals.get("company_id") or self.env.company.id, []).append(vals)
        for company_id, company_vals in by_company.items():
            company = self.env["res.company"].browse(company_id)
            company_vals[0]["name"] = company._qms_next_complaint_number()  # creates the sequence if needed
            sequence = self.env["ir.sequence"].sudo().with_company(company).search(
                [("code", "=", "qms.complaint"), ("company_id", "in", [company.id, False])],
                order="company_id", limit=1)
            for vals in company_vals[1:]:
                vals["name"] = sequence._next() if sequence else company._qms_next_complaint_number()
        token = IN_WORKFLOW_STEP.set(True)  # the numbers above are ours, not the caller's
        try:
            return super().create(vals_list)
        finally:
            IN_WORKFLOW_STEP.reset(token)
