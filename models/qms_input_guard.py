import math

from odoo import models
from odoo.exceptions import ValidationError

from .qms_input_limits import check_references

# PostgreSQL "integer" columns: a bigger Python int makes the INSERT fail with a DataError, which
# the RPC layer reports as an internal server error instead of a message the user can act on.
PG_INT_MIN, PG_INT_MAX = -(2 ** 31), 2 ** 31 - 1
SCALAR_TYPES = ("char", "text", "html", "integer", "float", "monetary", "boolean", "selection",
                "date", "datetime", "many2one")


def check_input(self, vals_list):
    """Turns malformed values sent by an external client (json/2, import, a buggy script) into a
    translated ValidationError before anything is written.

    Odoo's own field conversion raises bare ``ValueError``/``TypeError`` (an "internal error" for the
    caller) for a string in a float field, an unknown selection key, a malformed date or a list
    where an id is expected, and PostgreSQL raises a ``DataError`` for an integer out of range or
    a non-finite float. Found by ``tests/test_fuzz.py``; called by the create/write of the addon's models."""
    for vals in vals_list:
        if not isinstance(vals, dict):
            raise ValidationError(self.env._("Expected a record's values, got %s.", type(vals).__name__))
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or value is False or value is None:
                continue
            if field.type in ("one2many", "many2many"):
                _check_commands(self, field, value)
            elif field.type in SCALAR_TYPES:
                _check_value(self, field, value)
    check_references(self, vals_list)


def _check_commands(self, field, value):
    def bad():
        return ValidationError(self.env._(
            "%(model)s: the lines given for \"%(field)s\" are not valid.",
            model=self._description, field=field._description_string(self.env)))

    if not isinstance(value, (list, tuple)):
        raise bad()
    for command in value:
        if isinstance(command, int) and not isinstance(command, bool):
            continue
        if not isinstance(command, (list, tuple)) or not command or command[0] not in range(7) \
                or isinstance(command[0], bool):
            raise bad()
        if command[0] in (0, 1) and (len(command) < 3 or not isinstance(command[2], dict)):
            raise bad()
        if command[0] in (1, 2, 3, 4) and (len(command) < 2 or isinstance(command[1], bool)
                                            or not isinstance(command[1], int)):
            raise bad()
        if command[0] == 6 and (len(command) < 3 or not isinstance(command[2], (list, tuple))):
            raise bad()


def _check_value(self, field, value):
    def bad():
        return ValidationError(self.env._(
            "%(model)s: the value given for \"%(field)s\" is not valid (%(value)s).",
            model=self._description, field=field._description_string(self.env), value=repr(value)[:80]))

    kind = field.type
    is_text = isinstance(value, str) or (kind in ("date", "datetime") and hasattr(value, "year"))
    if kind in ("char", "text", "html", "selection", "date", "datetime") and not is_text:
        raise bad()
    if kind == "many2one" and isinstance(value, models.BaseModel):
        return
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if kind in ("integer", "many2one") and not (is_int and PG_INT_MIN <= value <= PG_INT_MAX):
        raise bad()
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind in ("float", "monetary") and not (is_number and math.isfinite(value) and abs(value) < 1e15):
        raise bad()
    if kind == "boolean" and not isinstance(value, (bool, int)):
        raise bad()
    if kind in ("char", "text", "html") and "\x00" in value:
        raise bad()  # PostgreSQL refuses NUL characters in text
    try:
        field.convert_to_cache(value, self.browse(), validate=True)
    except (ValueError, TypeError) as exc:
        raise bad() from exc
