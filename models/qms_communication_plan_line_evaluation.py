from odoo import models
from odoo.exceptions import UserError


class QmsCommunicationPlanLine(models.Model):
    _inherit = "qms.communication.plan.line"

    def action_send_evaluation(self):
        """Send the evaluation survey of a planned customer evaluation: the communication that
        fulfils the activity is created first when there is none yet."""
        Communication = self.env["qms.communication"]
        for line in self:
            if line.method != "evaluation":
                raise UserError(self.env._(
                    "%(activity)s is not a customer evaluation: no survey to send.", activity=line.display_name))
            if line.state == "cancel" or line.plan_id.state == "closed":
                raise UserError(self.env._(
                    "%(activity)s is cancelled or its plan is closed.", activity=line.display_name))
            communication = line.communication_ids.filtered(
                lambda c: c.communication_type == "evaluation").sorted("date")[:1]
            if not communication:
                communication = Communication.create(
                    {**line._prepare_communication_vals(), "company_id": line.company_id.id})
            communication.action_send_evaluation()
        return True
