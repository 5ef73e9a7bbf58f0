import logging

from odoo import api, models

_logger = logging.getLogger(__name__)


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _detect_loop_sender(self, message, message_dict, routes):
        """Auto-replies (out of office, autoresponders) sent to the complaints alias never become
        complaint slips: answering them could start a mail loop with the customer's robot."""
        # Every route that creates a slip counts against the sender's loop limit: core counts the
        # routes with thread id 0 (an alias), not those of a mail server set to create slips, whose
        # thread id is None.
        routes = [(route[0], route[1] or 0, *route[2:]) if route and route[0] == "qms.complaint" else route
                  for route in routes or []]
        if super()._detect_loop_sender(message, message_dict, routes):
            return True
        new_complaint = any(route[0] == "qms.complaint" and not route[1] for route in routes or [])
        if new_complaint and self.env["qms.complaint"]._qms_is_auto_reply(message):
            _logger.info("Ignored auto-reply from %s to %s with Message-Id %s: no complaint slip created",
                         message_dict.get("email_from"), message_dict.get("to"), message_dict.get("message_id"))
            return True
        return False
