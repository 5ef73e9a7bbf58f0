from odoo import api, models


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    # --- evidence of closed complaint slips (issue #11.3) ---------------------------------------
    # What a closed slip's chatter says was changed, from what to what, is evidence as its messages
    # are (models/mail_message.py): no one rewrites or removes it, the administrator included.
    def write(self, vals):
        self.mail_message_id._qms_existing()._check_qms_complaint_evidence()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed_slip_evidence(self):
        self.mail_message_id._qms_existing()._check_qms_complaint_evidence()
