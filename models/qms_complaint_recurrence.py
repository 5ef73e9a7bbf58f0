from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .qms_complaint import CLOSED_STATES
from .qms_complaint import QmsComplaint as QmsComplaintBase

# The states of an earlier corrective action that a recurrence concerns: judged effective, or
# implemented and waiting for its effectiveness check (a recurrence in the window refuses "effective").
RECURRENCE_ACTION_STATES = ("effective", "implemented")
RECURRENCE_SLIP_FIELDS = ("recurrence_of_id", "recurrence_action_id", "recurrence_ids")


class QmsComplaint(models.Model):
    """Recurrence detection (ISO 9001 §10.2 "check whether similar nonconformities exist or could
    occur", clause 4.3.2): a new slip that repeats an earlier one whose corrective actions were
    judged effective (or wait for their check) is linked to it, and the earlier actions are flagged.

    A slip repeats an earlier one of the same company when a product of its lines is the same (or
    of the same product category, a company setting), its complaint category is the same, and the
    earlier slip was received within the look-back (company setting, in months) before it; the most
    recent such slip with an action judged effective or waiting for its check is the one repeated. Found
    on create, on every path (form, portal, e-mail intake, /json/2), by one query per new slip
    whatever the number of slips (tools/bench)."""

    _inherit = "qms.complaint"
    # found and written by the server only
    _qms_server_fields = (*QmsComplaintBase._qms_server_fields, *RECURRENCE_SLIP_FIELDS)

    recurrence_of_id = fields.Many2one(
        "qms.complaint", string="Recurrence Of", readonly=True, copy=False, index="btree_not_null",
        help="The earlier complaint slip whose corrective actions this slip shows did not prevent the problem.")
    recurrence_action_id = fields.Many2one(
        "qms.corrective.action", string="Recurred Corrective Action", readonly=True, copy=False,
        help="The earlier corrective action this slip's corrective actions start from.")
    recurrence_ids = fields.One2many(
        "qms.complaint", "recurrence_of_id", string="Later Recurrences", readonly=True,
        help="Later complaint slips that repeat this one.")

    # what the matching reads: the slips of a company and complaint category by reception date
    _recurrence_idx = models.Index("(company_id, category, received_date)")

    @api.model_create_multi
    def create(self, vals_list):
        complaints = super().create(vals_list)
        complaints._qms_detect_recurrence()
        return complaints

    def _qms_detect_recurrence(self):
        """Link each slip to the earlier slip it repeats and flag that slip's actions as recurred."""
        Action = self.env["qms.corrective.action"].sudo()
        # a slip recorded now starts open; one loaded closed (history, migrations) is not a new recurrence
        for complaint in self.sudo().filtered(lambda c: c.state not in CLOSED_STATES):
            action_ids = complaint._qms_recurred_action_ids()
            if not action_ids:
                continue
            actions = Action.browse(action_ids)
            latest = actions[0]  # the actions of one slip
            actions._flag_recurred(complaint)
            complaint.write({"recurrence_of_id": latest.complaint_id.id, "recurrence_action_id": latest.id})
            complaint.message_post(body=self.env._(
                "This complaint repeats %(slip)s: its corrective action %(action)s was implemented or judged "
                "effective. The corrective actions of this slip start from its analysis.",
                slip=latest.complaint_id.name, action=latest.name))

    def _qms_recurred_action_ids(self):
        """Ids of the corrective actions (judged effective or waiting for their check) of the most
        recent earlier slip this slip repeats. One query: the slip index on (company, category,
        reception date) is read backwards from this slip's date and stops at the first slip with such
        an action and a line of the product (line index on product). The older slips' actions were
        flagged when that slip was recorded, if they stood effective then: flagging the latest slip's
        only keeps the writes and notifications of one recording bounded too."""
        self.ensure_one()
        products = self.line_ids.product_id
        company = self.company_id
        if not products or not self.received_date or not company.qms_recurrence_months:
            return []  # no product to match, or the company switched the detection off (0 months)
        self.env["qms.complaint"].flush_model(["company_id", "category", "received_date"])
        self.env["qms.complaint.line"].flush_model(["complaint_id", "product_id"])
        self.env["qms.corrective.action"].flush_model(["complaint_id", "state"])
        if company.qms_recurrence_match == "category":
            same_products = SQL(
                """l.product_id IN (SELECT pp.id FROM product_product pp
                                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                                     WHERE pt.categ_id IN %s)""",
                tuple(products.product_tmpl_id.categ_id.ids) or (0,))
        else:
            same_products = SQL("l.product_id IN %s", tuple(products.ids))
        since = self.received_date - relativedelta(months=company.qms_recurrence_months)
        self.env.cr.execute(SQL(
            """WITH latest AS (
                   SELECT c.id FROM qms_complaint c
                    WHERE c.company_id = %(company)s AND c.category = %(category)s AND c.id <> %(slip)s
                      AND c.received_date >= %(since)s AND c.received_date <= %(until)s
                      AND EXISTS (SELECT 1 FROM qms_corrective_action a
                                   WHERE a.complaint_id = c.id AND a.state IN %(states)s)
                      AND EXISTS (SELECT 1 FROM qms_complaint_line l WHERE l.complaint_id = c.id AND %(products)s)
                 ORDER BY c.received_date DESC, c.id DESC
                    LIMIT 1)
               SELECT a.id FROM qms_corrective_action a JOIN latest ON latest.id = a.complaint_id
                WHERE a.state IN %(states)s
             ORDER BY a.id""",
            states=RECURRENCE_ACTION_STATES, company=company.id, category=self.category, slip=self.id,
            since=since, until=self.received_date, products=same_products))
        return [row[0] for row in self.env.cr.fetchall()]
