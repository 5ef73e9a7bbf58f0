from odoo import api, models
from odoo.tools import SQL

# A slip at a stage must carry the stamps of every gate it passed (clause 4.3): checked in SQL so
# that it can run on a database of any size, after a crash or an upgrade (tools/loadtest --kill,
# tests/test_fuzz.py, tests/test_faults.py).
PAST = {
    "submitted_date": ("supervisor_review", "quality_review", "action", "investigation", "reply",
                       "verification", "done"),
    "supervisor_date": ("quality_review", "action", "investigation", "reply", "verification", "done"),
    "quality_date": ("action", "investigation", "reply", "verification", "done"),
    "reply_date": ("verification", "done"),
    "verified_date": ("done",),
    "cancelled_date": ("cancel",),
}
def _checks():
    for stamp, states in PAST.items():
        yield (f"slip at {', '.join(states)} without {stamp}",
               SQL("SELECT name FROM qms_complaint WHERE state IN %s AND %s IS NULL",
                   tuple(states), SQL.identifier(stamp)))
    fixed = [
        ("slip without a number", "SELECT id::text FROM qms_complaint WHERE name IS NULL OR name = '/'"),
        ("slip number used twice", "SELECT name FROM qms_complaint GROUP BY company_id, name HAVING count(*) > 1"),
        ("recorded slip carrying a submission stamp",
         "SELECT name FROM qms_complaint WHERE state = 'draft' AND submitted_date IS NOT NULL"),
        ("slip answered although the company was not responsible and no cause was found",
         "SELECT name FROM qms_complaint WHERE state IN ('reply', 'verification', 'done') "
         "AND NOT company_responsible AND investigation_date IS NULL"),
        ("line without its slip",
         "SELECT l.id::text FROM qms_complaint_line l LEFT JOIN qms_complaint c ON c.id = l.complaint_id "
         "WHERE c.id IS NULL"),
        ("line of another company than its slip",
         "SELECT c.name FROM qms_complaint_line l JOIN qms_complaint c ON c.id = l.complaint_id "
         "WHERE l.company_id <> c.company_id"),
        ("corrective action on a slip that never reached corrective action",
         "SELECT a.name FROM qms_corrective_action a JOIN qms_complaint c ON c.id = a.complaint_id "
         "WHERE c.state IN ('draft', 'supervisor_review', 'quality_review', 'investigation') "
         "OR (c.state <> 'cancel' AND NOT c.company_responsible)"),
        ("closed slip with a corrective action not verified effective",
         "SELECT c.name FROM qms_corrective_action a JOIN qms_complaint c ON c.id = a.complaint_id "
         "WHERE c.state = 'done' AND a.state <> 'effective'"),
        ("approved corrective action without its approval stamp",
         "SELECT name FROM qms_corrective_action WHERE state IN ('approved', 'in_progress', 'implemented', "
         "'effective', 'ineffective') AND approved_date IS NULL"),
    ]
    for label, query in fixed:
        yield label, SQL(query)  # pylint: disable=sql-injection


INTEGRITY_CHECKS = list(_checks())


class QmsComplaint(models.Model):
    _inherit = "qms.complaint"

    @api.model
    def _qms_integrity_problems(self, limit=5):
        """Slips whose stored state contradicts their gate stamps, duplicated numbers, orphan lines:
        ``[(problem, [example names...]), ...]``; empty when the records are consistent."""
        self.env.flush_all()
        problems = []
        for label, query in INTEGRITY_CHECKS:
            self.env.cr.execute(SQL("%s LIMIT %s", query, limit))
            rows = [row[0] for row in self.env.cr.fetchall()]
            if rows:
                problems.append((label, rows))
        return problems
