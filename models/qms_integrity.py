"""SQL diagnostics of the stored slips, for old data and after a crash, an upgrade or a load test
(tools/loadtest, tests/test_fuzz.py, tests/test_faults.py): they run on a database of any size.
What a constraint refuses today (a stage without its stamps, a closed slip with open actions) is
checked here for records written before the constraint existed; the stamps each stage needs are read
from the transition table (qms.workflow.mixin._qms_required_stamps), not written again here."""
from odoo.tools import SQL

FIXED_CHECKS = [
    ("slip without a number", "SELECT id::text FROM qms_complaint WHERE name IS NULL OR name = '/'"),
    ("slip number used twice", "SELECT name FROM qms_complaint GROUP BY company_id, name HAVING count(*) > 1"),
    ("recorded slip carrying a submission stamp",
     "SELECT name FROM qms_complaint WHERE state = 'draft' AND submitted_date IS NOT NULL"),
    ("slip answered although the company was not responsible and no cause was found",
     "SELECT name FROM qms_complaint WHERE state IN ('reply', 'verification', 'done') "
     "AND NOT company_responsible AND investigation_date IS NULL"),
    ("answered slip without the answer given in its history (qms.complaint.answer)",
     "SELECT c.name FROM qms_complaint c WHERE c.reply_date IS NOT NULL "
     "AND NOT EXISTS (SELECT 1 FROM qms_complaint_answer a WHERE a.complaint_id = c.id)"),
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
     "WHERE c.state = 'done' AND a.state NOT IN ('effective', 'cancel')"),
    ("approved corrective action without its approval stamp",
     "SELECT name FROM qms_corrective_action WHERE state IN ('approved', 'in_progress', 'implemented', "
     "'effective', 'ineffective') AND approved_date IS NULL"),
    ("slip whose stored action departments (the employees' read rule) differ from its own and its actions'",
     "WITH actual AS (SELECT DISTINCT a.complaint_id, d.id AS department_id FROM qms_corrective_action a "
     "CROSS JOIN LATERAL unnest(ARRAY[a.responsible_department_id, a.implementing_department_id, "
     "a.verifying_department_id]) AS d(id) WHERE d.id IS NOT NULL "
     "UNION SELECT id, responsible_department_id FROM qms_complaint WHERE responsible_department_id IS NOT NULL), "
     "stored AS (SELECT complaint_id, department_id FROM qms_complaint_action_department_rel) "
     "SELECT DISTINCT c.name FROM qms_complaint c JOIN ((SELECT * FROM actual EXCEPT SELECT * FROM stored) "
     "UNION (SELECT * FROM stored EXCEPT SELECT * FROM actual)) diff ON diff.complaint_id = c.id"),
]


def integrity_checks(required_stamps):
    """(label, SQL) pairs: a slip at a stage without a stamp that stage requires, then the fixed checks."""
    states_by_stamp = {}
    for state, stamps in required_stamps.items():
        for stamp in stamps:
            states_by_stamp.setdefault(stamp, []).append(state)
    for stamp, states in sorted(states_by_stamp.items()):
        yield (f"slip at {', '.join(sorted(states))} without {stamp}",
               SQL("SELECT name FROM qms_complaint WHERE state IN %s AND %s IS NULL",
                   tuple(sorted(states)), SQL.identifier(stamp)))
    for label, query in FIXED_CHECKS:
        yield label, SQL(query)  # pylint: disable=sql-injection
