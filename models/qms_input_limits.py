"""Limits of what the procedure's records accept (issue #11.8): sizes of texts and e-mail
addresses, dates that make sense, and ids that exist.

The limits are model constraints (``@api.constrains`` ``_check_*`` methods of each model), so
they hold on create, write, import and one2many commands, for every user; the functions below only
build the checks and their translated messages. ``check_references`` is the exception: a missing
id fails at the flush on the foreign key, before any constraint runs, so it is called on the
values themselves, from ``check_input``.
"""
from datetime import date, datetime, timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tools import email_split, format_date, html2plaintext

# Text of a rich-text (HTML) field, as the reader sees it; its markup may take up to ten times more.
RICH_TEXT_MAX_CHARS = 20_000
RICH_TEXT_MARKUP_FACTOR = 10
# A plain-text note (a comment, a disposition, a cause, a defect).
PLAIN_TEXT_MAX_CHARS = 5_000
# A one-line text (a place, the names of the people who took part).
LINE_TEXT_MAX_CHARS = 500
# RFC 5321: a forward-path is at most 256 octets, its address 254 characters.
EMAIL_MAX_CHARS = 254
# A complaint line that names no sales order cannot be bounded by what was delivered: by this.
LINE_QTY_MAX = 1_000_000
# No record of the procedure predates this; dates planned ahead stay within this many years.
EARLIEST_DATE = date(2000, 1, 1)
YEARS_AHEAD = 10


def check_text_sizes(records, limits):
    """``limits``: ``{field name: maximum number of characters}``; an HTML field counts the text
    its reader sees, and its markup may be at most ``RICH_TEXT_MARKUP_FACTOR`` times longer."""
    env = records.env
    for record in records:
        for name, limit in limits.items():
            value = record[name]
            if not value:
                continue
            field = record._fields[name]
            if field.type == "html":
                markup_limit = limit * RICH_TEXT_MARKUP_FACTOR
                if len(value) > markup_limit:
                    raise ValidationError(env._(
                        "\"%(field)s\" is too large: %(size)s characters with its formatting, at most "
                        "%(limit)s are accepted. Attach long documents as files instead.",
                        field=field._description_string(env), size=len(value), limit=markup_limit))
                size = len(html2plaintext(value))
            else:
                size = len(value)
            if size > limit:
                raise ValidationError(env._(
                    "\"%(field)s\" is too long: %(size)s characters, at most %(limit)s are accepted. "
                    "Attach long documents as files instead.",
                    field=field._description_string(env), size=size, limit=limit))


def check_email(records, name):
    """One e-mail address (a display name may come with it), on one line, of at most 254
    characters: a list of addresses or a line break would be copied into the headers of the
    mails sent about the record (header injection)."""
    env = records.env
    for record in records:
        value = record[name]
        if not value:
            continue
        label = record._fields[name]._description_string(env)
        if len(value) > EMAIL_MAX_CHARS:
            raise ValidationError(env._(
                "\"%(field)s\" is too long: %(size)s characters, an e-mail address has at most %(limit)s.",
                field=label, size=len(value), limit=EMAIL_MAX_CHARS))
        if "\r" in value or "\n" in value:
            raise ValidationError(env._("\"%(field)s\" must be on one line: it contains a line break.", field=label))
        if len(email_split(value)) != 1:
            raise ValidationError(env._(
                "\"%(field)s\" must be exactly one e-mail address, such as name@example.com (got %(value)s).",
                field=label, value=value[:80]))


def as_date(value):
    return value.date() if isinstance(value, datetime) else value


def latest_planned_date(env):
    """The latest date a record may be planned for: ``YEARS_AHEAD`` years from today."""
    today = fields.Date.context_today(env["res.users"])
    return today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28))


def check_date_between(records, name, earliest, latest, latest_label=None):
    """The date (or date and time) of ``name`` is between ``earliest`` and ``latest`` (dates),
    both included; ``latest_label`` names the latest bound in the message ("tomorrow")."""
    env = records.env
    for record in records:
        value = as_date(record[name])
        if value and not earliest <= value <= latest:
            raise ValidationError(env._(
                "\"%(field)s\" must be between %(earliest)s and %(latest)s (got %(value)s).",
                field=record._fields[name]._description_string(env), earliest=format_date(env, earliest),
                latest=latest_label or format_date(env, latest), value=format_date(env, value)))


def tomorrow(env):
    return fields.Date.context_today(env["res.users"]) + timedelta(days=1)


def check_references(records, vals_list):
    """Refuse the ids of ``vals_list`` (many2one values, many2many and one2many links) that point to
    no record, naming the model and the id: the foreign key would otherwise fail at the flush with
    "another model is using the record you are trying to delete". One query per comodel; under
    sudo, because whether the user may read the record is the access rules' business, not this."""
    env = records.env
    wanted = {}  # comodel -> {id: field}
    for vals in vals_list:
        if not isinstance(vals, dict):
            continue
        for name, value in vals.items():
            field = records._fields.get(name)
            if field is None or not value or field.type not in ("many2one", "many2many", "one2many"):
                continue
            for id_ in _linked_ids(field, value):
                wanted.setdefault(field.comodel_name, {}).setdefault(id_, field)
    missing = []
    for comodel, ids in wanted.items():
        existing = set(env[comodel].sudo().browse(list(ids)).exists().ids)
        missing += [(comodel, id_, field) for id_, field in ids.items() if id_ not in existing]
    if missing:
        raise ValidationError("\n".join(env._(
            "%(field)s: there is no %(model)s (%(technical)s) with the id %(id)s; it was deleted or never existed.",
            field=field._description_string(env), model=env["ir.model"].sudo()._get(comodel).name or comodel,
            technical=comodel, id=id_) for comodel, id_, field in missing))


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _linked_ids(field, value):
    if field.type == "many2one":
        if _is_id(value):
            yield value
        return
    if not isinstance(value, (list, tuple)):
        return
    for command in value:
        if _is_id(command):  # a bare list of ids
            yield command
        elif isinstance(command, (list, tuple)) and command and _is_id(command[0]):
            if command[0] in (1, 2, 3, 4) and len(command) > 1 and _is_id(command[1]):
                yield command[1]
            elif command[0] == 6 and len(command) > 2 and isinstance(command[2], (list, tuple)):
                yield from (id_ for id_ in command[2] if _is_id(id_))
