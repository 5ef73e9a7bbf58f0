from odoo import models


class QmsPortalAllowlistMixin(models.AbstractModel):
    """What a portal user reads of a record is an allow-list (as Odoo's ``project.task``): the
    fields ``_portal_accessible_fields`` names, nothing else, whatever record rules allow. A field
    added later stays unreadable, unsearchable and unsortable by customers until it is named."""

    _name = "qms.portal.allowlist.mixin"
    _description = "Portal Allow-List"

    def _portal_accessible_fields(self):
        """(readable, writable) field names for portal users."""
        return frozenset(), frozenset()

    def _has_field_access(self, field, operation):
        if not super()._has_field_access(field, operation):
            return False
        if not self.env.su and self.env.user.share:
            readable, writable = self._portal_accessible_fields()
            return field.name in (readable if operation == "read" else writable)
        return True
