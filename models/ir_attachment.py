import base64
import binascii

from odoo import api, models
from odoo.exceptions import UserError

from .qms_complaint import EVIDENCE_MODELS

# What makes a file what it is: its bytes, its type, its name and the record it belongs to.
CONTENT_FIELDS = ("datas", "raw", "db_datas")
ANNUAL_REPORT = "qms.annual.report"
# Files created by the current transaction (cleared at commit and rollback with the precommit data).
QMS_NEW_ATTACHMENTS = "qms_customer.new_attachment_ids"


def _as_bytes(name, value):
    """The bytes a write of ``value`` to the content field ``name`` stores (None: not decodable)."""
    if not value:
        return b""
    if isinstance(value, str):
        value = value.encode()
    if name == "datas":
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return None
    return value


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    # --- the frozen copies of the yearly reports (qms.annual.report) ------------------------------
    # A submitted report keeps the PDFs it froze (submitted, signed, presented copies): nobody,
    # the administrator and sudo() included, changes their bytes, name or owner, nor deletes them,
    # while the report exists. Keyed on the files the report points to, not on their names.

    def _qms_frozen_reports(self):
        """{attachment id: report} for the attachments of self that a submitted report keeps."""
        if ANNUAL_REPORT not in self.env:
            return {}
        # a frozen copy is always attached to its report (qms.annual.report._check_frozen_files)
        candidates = self.sudo().filtered(lambda attachment: attachment.res_model == ANNUAL_REPORT)
        return self.env[ANNUAL_REPORT]._qms_reports_keeping(set(candidates.ids))

    def _qms_changes(self, vals):
        """Whether writing ``vals`` would change the file (its bytes, name, owner, visibility...);
        writing the same bytes again, as moving a file to another storage does, changes nothing,
        and neither does the access token the portal gives it."""
        self.ensure_one()
        for name, value in vals.items():
            if name == "access_token":
                continue
            if name in CONTENT_FIELDS:
                current = (self.db_datas if name == "db_datas" else self.raw) or b""
                if _as_bytes(name, value) != current:
                    return True
                continue
            field = self._fields.get(name)
            if field is None or (field.convert_to_write(self[name], self) or False) != (value or False):
                return True
        return False

    def _qms_check_frozen_write(self, vals):
        frozen = self._qms_frozen_reports()
        for attachment in self.sudo().filtered(lambda attachment: attachment.id in frozen):
            if attachment._qms_changes(vals):
                raise UserError(self.env._(
                    "\"%(file)s\" is a frozen copy of %(report)s: its content, name and the record it "
                    "belongs to cannot be changed.",
                    file=attachment.name, report=frozen[attachment.id].display_name))

    def _qms_check_not_posing_as_frozen(self, vals):
        """A file moved or renamed onto a submitted report must not take a frozen copy's name."""
        for attachment in self.sudo():
            res_model, res_id = vals.get("res_model", attachment.res_model), vals.get("res_id", attachment.res_id)
            if res_model == ANNUAL_REPORT and isinstance(res_id, int) and res_id:
                self.env[ANNUAL_REPORT].browse(res_id)._qms_check_file_name_free(
                    vals.get("name", attachment.name), attachment)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            res_id = vals.get("res_id")
            if vals.get("res_model") == ANNUAL_REPORT and isinstance(res_id, int) and res_id \
                    and ANNUAL_REPORT in self.env:
                self.env[ANNUAL_REPORT].browse(res_id)._qms_check_file_name_free(vals.get("name"))
        attachments = super().create(vals_list)
        # a file uploaded for a new message is attached to it afterwards, in the same transaction
        self.env.cr.precommit.data.setdefault(QMS_NEW_ATTACHMENTS, set()).update(attachments.ids)
        return attachments

    def write(self, vals):
        if ANNUAL_REPORT in self.env and set(vals) - {"access_token"}:
            self._qms_check_frozen_write(vals)  # content, name, owner, and visibility too
            if vals.keys() & {"name", "res_model", "res_id"}:
                self._qms_check_not_posing_as_frozen(vals)
        self._qms_existing()._check_qms_complaint_evidence(vals)
        if not self.env.su and vals.keys() & {"res_model", "res_id"}:
            # a file moved into a closed slip's thread would be forged evidence (posting attaches
            # files in sudo)
            for attachment in self.sudo():
                res_model, res_id = vals.get("res_model", attachment.res_model), vals.get("res_id", attachment.res_id)
                if isinstance(res_id, int) and self.env["qms.complaint"]._qms_closed_evidence(res_model, [res_id]):
                    raise UserError(self.env._(
                        "%s cannot be moved into a closed complaint slip: its files are evidence.", attachment.name))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen_report_copy(self):
        frozen = self._qms_frozen_reports()
        if frozen:
            attachment = self.browse(next(iter(frozen))).sudo()
            raise UserError(self.env._(
                "\"%(file)s\" is a frozen copy of %(report)s: it cannot be deleted while the report exists.",
                file=attachment.name, report=frozen[attachment.id].display_name))

    # --- evidence of closed complaint slips (issue #11.3) ---------------------------------------
    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed_slip_evidence(self):
        self._qms_existing()._check_qms_complaint_evidence()

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
            if vals is not None and not attachment._qms_changes(vals):
                continue
            if not Complaint._qms_closed_evidence(attachment.res_model, [attachment.res_id]):
                continue
            raise UserError(self.env._(
                "%(file)s is a file of a closed complaint slip (%(slip)s): it is evidence and can no "
                "longer be changed or deleted.", file=attachment.name,
                slip=self.env[attachment.res_model].sudo().browse(attachment.res_id).display_name))
