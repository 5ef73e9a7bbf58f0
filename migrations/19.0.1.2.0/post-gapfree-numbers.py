import re
from datetime import date

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Slip numbers are gap-free per company and year since 19.0.1.2.0: each company's sequence
    becomes ``no_gap`` with a range per year. A year already numbered goes on after its highest
    number (its range starts there), so no number is handed out twice; the years to come start at 1.
    Numbers lost before (refused creates of the old PostgreSQL sequence) stay lost: they are in the
    past and the integrity check does not hide them."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    Sequence = env["ir.sequence"].with_context(active_test=False)
    for sequence in Sequence.search([("code", "=", "qms.complaint")]):
        if sequence.implementation == "no_gap" and sequence.use_date_range:
            continue
        prefix = sequence.prefix or ""
        pattern = re.compile("^" + re.escape(prefix).replace(re.escape("%(year)s"), r"(\d{4})")
                             .replace(re.escape("%(range_year)s"), r"(\d{4})") + r"(\d+)$")
        last = {}
        cr.execute("SELECT name FROM qms_complaint WHERE company_id = %s", [sequence.company_id.id])
        for (name,) in cr.fetchall():
            match = pattern.match(name or "")
            if match and match.re.groups == 2:
                year, number = int(match.group(1)), int(match.group(2))
                last[year] = max(last.get(year, 0), number)
        sequence.date_range_ids.unlink()  # none in the old set-up (no date range); be sure
        sequence.write({
            "implementation": "no_gap", "use_date_range": True,
            "prefix": prefix.replace("%(year)s", "%(range_year)s"),
        })
        env["ir.sequence.date_range"].create([{
            "sequence_id": sequence.id, "date_from": date(year, 1, 1), "date_to": date(year, 12, 31),
            "number_next_actual": number + 1,  # number_next would be reset by its default
        } for year, number in sorted(last.items())])
    env["res.company"]._qms_install_complaint_sequences()
