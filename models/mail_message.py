from odoo import api, models
from odoo.exceptions import UserError

from .qms_complaint import EVIDENCE_MODELS

# What may still change on a message of a closed slip: who starred or pinned it, reactions, link
# previews, notifications and the recipients the mail gateway sets on a reply it has just posted.
# Its text, author, date, files, visibility and document stay as recorded.
QMS_EVIDENCE_FREE_FIELDS = frozenset((
    "starred_partner_ids", "pinned_at", "reaction_ids", "link_preview_ids", "notification_ids", "partner_ids",
))
# Messages created by the current transaction (cleared at commit and rollback with the precommit data).
QMS_NEW_MESSAGES = "qms_customer.new_mail_message_ids"


class MailMessage(models.Model):
    _inherit = "mail.message"

    # --- evidence of closed complaint slips (issue #11.3) ---------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_qms_thread_author(vals_list)
        messages = super().create(vals_list)
        # posting still completes a new message after creating it (its e-mail, the gateway's
        # recipients): only messages already in the thread before this transaction are evidence
        self.env.cr.precommit.data.setdefault(QMS_NEW_MESSAGES, set()).update(messages.ids)
        return messages

    def write(self, vals):
        if set(vals) - QMS_EVIDENCE_FREE_FIELDS:
            self._qms_existing()._check_qms_complaint_evidence()
            if vals.get("model") or vals.get("res_id"):  # moved into a closed thread: forged evidence
                for message in self:
                    self.browse()._check_qms_complaint_evidence(
                        vals.get("model", message.model), vals.get("res_id", message.res_id))
        return super().write(vals)

    def unlink(self):
        self._qms_existing()._check_qms_complaint_evidence()
        return super().unlink()

    @api.model
    def _check_qms_thread_author(self, vals_list):
        """A message in a complaint slip's thread is written now, by its author: a client may not
        post in the customer's name or back-date it (the mail gateway and the portal's token, which
        run in sudo, name the sender themselves)."""
        if self.env.su:
            return
        for vals in vals_list:
            if vals.get("model") not in EVIDENCE_MODELS:
                continue
            if vals.get("date") or vals.get("author_id") not in (None, False, self.env.user.partner_id.id):
                raise UserError(self.env._(
                    "A message of a complaint slip is posted by its author, now: its author and date are not "
                    "chosen by the client."))

    def _qms_existing(self):
        """The messages of ``self`` that were not created by the current transaction."""
        return self - self.browse(self.env.cr.precommit.data.get(QMS_NEW_MESSAGES, ()))

    def _check_qms_complaint_evidence(self, model=None, res_id=None):
        """Refuse, for everyone (the administrator included), to change or delete a message already
        in the thread of a closed or cancelled complaint slip or of one of its corrective actions."""
        Complaint = self.env["qms.complaint"]
        pairs = {(model, res_id)} if model else {(message.model, message.res_id) for message in self.sudo()}
        for thread_model in {pair[0] for pair in pairs}:
            res_ids = [pair[1] for pair in pairs if pair[0] == thread_model]
            closed = Complaint._qms_closed_evidence(thread_model, res_ids)
            if closed:
                record = self.env[thread_model].sudo().browse(min(closed))
                raise UserError(self.env._(
                    "%s belongs to a closed complaint slip: the messages in its thread are evidence and can "
                    "no longer be edited, moved or deleted. Post a new message instead.", record.display_name))

    # --- text that came by e-mail reaches the customer as plain text (issue #11.9) ----------------
    def _to_store(self, store, fields, **kwargs):
        # the chatter's own routes (/mail/thread/messages), which a logged-in portal user may call too
        formatted = "message_format" in fields  # super() takes it out of the list
        super()._to_store(store, fields, **kwargs)
        if self.env.user.share and formatted:
            Complaint = self.env["qms.complaint"]
            for message in self.sudo().filtered(lambda m: m.model == "qms.complaint" and m.message_type == "email"):
                store.add(message.with_env(self.env), {"body": Complaint._qms_plain_html(message.body)})

    def _portal_message_format(self, properties_names, options=None):
        vals_list = super()._portal_message_format(properties_names, options=options)
        Complaint = self.env["qms.complaint"]
        for message, values in zip(self.sudo(), vals_list, strict=True):
            if message.model == "qms.complaint" and message.message_type == "email" and "body" in values:
                values["body"] = ["markup", Complaint._qms_plain_html(message.body)]
        return vals_list
