import base64

from odoo import api, models
from odoo.exceptions import UserError

from .qms_complaint import EVIDENCE_MODELS

# Files created by the current transaction (cleared at commit and rollback with the precommit data).
QMS_NEW_ATTACHMENTS = "qms_customer.new_attachment_ids"


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    # --- evidence of closed complaint slips (issue #11.3) ---------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        attachments = super().create(vals_list)
        # a file uploaded for a new message is attached to it afterwards, in the same transaction
        self.env.cr.precommit.data.setdefault(QMS_NEW_ATTACHMENTS, set()).update(attachments.ids)
        return attachments

    def write(self, vals):
        self._qms_existing()._check_qms_complaint_evidence(vals)
        return super().write(vals)

    def unlink(self):
        self._qms_existing()._check_qms_complaint_evidence()
        return super().unlink()

    def _qms_existing(self):
        """The files of ``self`` that were not created by the current transaction."""
        return self - self.browse(self.env.cr.precommit.data.get(QMS_NEW_ATTACHMENTS, ()))

    def _check_qms_complaint_evidence(self, vals=None):
        """Refuse, for everyone (the administrator included), to change or delete a file of a closed or
        cancelled complaint slip or of one of its corrective actions: its photos are evidence. The
        portal may still give it an access token, and moving its storage (same content) still works."""
        Complaint = self.env["qms.complaint"]
        for attachment in self.sudo():
            if attachment.res_model not in EVIDENCE_MODELS or not attachment.res_id:
                continue
            if vals is not None and not attachment._qms_evidence_changes(vals):
                continue
            if not Complaint._qms_closed_evidence(attachment.res_model, [attachment.res_id]):
                continue
            raise UserError(self.env._(
                "%(file)s is a file of a closed complaint slip (%(slip)s): it is evidence and can no "
                "longer be changed or deleted.", file=attachment.name,
                slip=self.env[attachment.res_model].sudo().browse(attachment.res_id).display_name))

    def _qms_evidence_changes(self, vals):
        """Whether ``vals`` would change what the file is (content, name, document, visibility)."""
        self.ensure_one()
        for name, value in vals.items():
            if name == "access_token":
                continue
            if name in ("raw", "datas"):
                raw = value if name == "raw" else base64.b64decode(value or b"")
                raw = raw.encode() if isinstance(raw, str) else (raw or b"")
                if self._compute_checksum(raw) != self.checksum:
                    return True
                continue
            field = self._fields.get(name)
            if field is None or field.convert_to_write(self[name], self) != value:
                return True
        return False
