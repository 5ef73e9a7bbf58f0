from odoo.tests import tagged

from .common import QmsHttpCommon


@tagged("post_install", "-at_install")
class TestAttackComplaint(QmsHttpCommon):
    """Holes of issue #11 tried over /json/2 as the demo roles would: each call must be refused
    with a business error and leave the records as they were."""

    def test_harness_reads_and_refuses(self):
        complaint = self._complaint()
        rows = self.assertAccepted(self.sales, "qms.complaint", "read", ids=complaint.ids, fields=["name"])
        self.assertEqual(rows[0]["name"], complaint.name)
        self.assertRefused(self.sales, "qms.complaint", "write", ids=complaint.ids, vals={"state": "done"})
        self.assertEqual(complaint.state, "draft")

    def test_corrective_action_cannot_move_to_another_slip(self):
        first, second = self._to_action(self._complaint()), self._to_action(self._complaint())
        action = self._add_action(first)
        self.assertRefused(self.quality, "qms.corrective.action", "write",
                           ids=action.ids, vals={"complaint_id": second.id})
        self.assertEqual(action.complaint_id, first)
