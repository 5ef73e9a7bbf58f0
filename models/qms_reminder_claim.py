"""Claiming a reminder once, whatever the number of workers sending reminders at once."""
import logging

from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def claim_reminders(records, stamp, source):
    """Lock and stamp ``stamp = source`` on the rows of ``records`` where the two differ (their
    reminder for the current ``source`` value was not sent yet); return the records claimed.

    Two workers may run the reminders at once (the scheduler and a manual "Run", or two servers):
    each takes only the rows nobody else holds (``SKIP LOCKED``) and stamps them in the same
    statement. A worker whose snapshot predates another worker's commit cannot lock the rows that
    worker stamped (PostgreSQL reports a serialization failure under Odoo's REPEATABLE READ): that
    batch is left alone, the next run sees it reminded."""
    if not records:
        return records
    records.flush_recordset([stamp, source])
    table = SQL.identifier(records._table)
    query = SQL("""
        UPDATE %(table)s row
           SET %(stamp)s = row.%(source)s
         WHERE row.id IN (SELECT id FROM %(table)s
                           WHERE id = ANY(%(ids)s) AND %(stamp)s IS DISTINCT FROM %(source)s
                           ORDER BY id
                             FOR NO KEY UPDATE SKIP LOCKED)
     RETURNING row.id
    """, table=table, stamp=SQL.identifier(stamp), source=SQL.identifier(source), ids=records.ids)
    try:
        with records.env.cr.savepoint(flush=False):
            records.env.cr.execute(query, log_exceptions=False)
            claimed = [row[0] for row in records.env.cr.fetchall()]
    except (SerializationFailure, LockNotAvailable):
        _logger.info("%s reminders: %s records are being reminded by another worker, skipped",
                     records._description, len(records))
        return records.browse()
    records.invalidate_recordset([stamp])
    return records.browse(claimed)
