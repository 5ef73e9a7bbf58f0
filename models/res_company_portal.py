from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    qms_portal_share_actions = fields.Boolean(
        string="Share Corrective Actions on the Portal",
        help="Default for new complaint slips: show customers a summary of the corrective actions taken.")
    qms_complaint_alias_id = fields.Many2one(
        "mail.alias", string="Complaints Alias", copy=False, ondelete="set null",
        help="Incoming e-mails to this address create recorded complaint slips of this company.")

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._qms_ensure_complaint_alias()
        return companies

    @api.model
    def _qms_install_complaint_aliases(self):
        """At install: every existing company gets its complaints alias."""
        self.sudo().with_context(active_test=False).search([], order="id")._qms_ensure_complaint_alias()

    def _qms_ensure_complaint_alias(self):
        """Give each company its complaints alias (default complaints@<company domain>)."""
        Alias = self.env["mail.alias"].sudo()
        model_id = self.env["ir.model"]._get_id("qms.complaint")
        for company in self.sudo().filtered(lambda c: not c.qms_complaint_alias_id):
            name = "complaints"
            domain = company.alias_domain_id
            if Alias.search_count([("alias_name", "=", name), ("alias_domain_id", "=", domain.id)], limit=1):
                name = f"complaints-{company.id}"
            company.qms_complaint_alias_id = Alias.create(company._qms_prepare_complaint_alias_vals(name, model_id))

    def _qms_prepare_complaint_alias_vals(self, name, model_id):
        self.ensure_one()
        return {
            "alias_name": name,
            "alias_domain_id": self.alias_domain_id.id,
            "alias_model_id": model_id,
            "alias_contact": "everyone",
            "alias_defaults": repr({"company_id": self.id}),
        }
