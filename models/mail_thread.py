import logging

from odoo import api, models

_logger = logging.getLogger(__name__)


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _detect_loop_sender(self, message, message_dict, routes):
        """Mail routed to new complaint slips: auto-replies (out of office, autoresponders) are
        dropped, and the sender's loop limit counts the slips made by a mail server as well.

        The one override of the e-mail intake, because no per-model hook sees every route that
        creates a slip: core asks the alias's model (``_routing_check_route``) only for alias
        routes, while the route of an incoming mail server set to create slips is checked on
        mail.thread itself, and a route refused there ends in "No possible route found" instead of
        a quietly ignored message. Mail to other models goes to core untouched.
        tests/test_mail_intake.py pins the core behaviour this relies on (new records counted
        only for routes with thread id 0)."""
        if not any(route and route[0] == "qms.complaint" and not route[1] for route in routes or ()):
            return super()._detect_loop_sender(message, message_dict, routes)
        if self.env["qms.complaint"]._qms_is_auto_reply(message):
            _logger.info("Ignored auto-reply from %s to %s with Message-Id %s: no complaint slip created",
                         message_dict.get("email_from"), message_dict.get("to"), message_dict.get("message_id"))
            return True
        # core counts the routes with thread id 0 (an alias) as new records, not those of a mail
        # server set to create slips (thread id None)
        routes = [(route[0], route[1] or 0, *route[2:]) if route and route[0] == "qms.complaint" else route
                  for route in routes]
        return super()._detect_loop_sender(message, message_dict, routes)
