from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import QmsCommunicationCommon


@tagged("post_install", "-at_install")
class TestCustomerVisit(QmsCommunicationCommon):

    def test_visit_records_time_place_people_and_requirements(self):
        visit = self._visit(
            visitor_ids=[(0, 0, {"name": "Edwin Hansen", "title": "Buyer", "contact": "edwin@example.com"})],
            requirement_ids=[(0, 0, {"kind": "function", "product_id": self.product.id,
                                     "description": "Height adjustable"})],
        )
        self.assertTrue(visit.name.startswith("VIS/"), visit.name)
        self.assertAlmostEqual(visit.duration, 2.5)
        requirement = visit.requirement_ids
        self.assertEqual(requirement.partner_id, self.customer_a)
        self.assertEqual(str(requirement.date), f"{self.YEAR}-04-14")
        self.assertEqual(requirement.source, visit.name)
        self.assertEqual(visit.visitor_ids.title, "Buyer")

    def test_requirement_of_a_contact_goes_to_the_company(self):
        visit = self._visit(partner=self.contact_a, requirement_ids=[(0, 0, {"kind": "service", "description": "x"})])
        self.assertEqual(visit.requirement_ids.partner_id, self.customer_a)

    def test_visit_cannot_end_before_it_starts(self):
        with self.assertRaisesRegex(ValidationError, "cannot end before it starts"):
            self._visit(date_start=f"{self.YEAR}-04-14 11:00:00", date_end=f"{self.YEAR}-04-14 10:00:00")
        visit = self._visit()
        with self.assertRaises(ValidationError):
            visit.date_end = f"{self.YEAR}-04-13 10:00:00"

    def test_workflow_draft_done_cancel(self):
        visit = self._visit(date_end=False)
        with self.assertRaisesRegex(UserError, "ended"):
            visit.action_done()
        visit.date_end = f"{self.YEAR}-04-14 10:00:00"
        visit.action_done()
        self.assertEqual(visit.state, "done")
        with self.assertRaises(UserError):
            visit.action_done()
        with self.assertRaises(UserError):
            visit.unlink()
        visit.action_cancel()
        self.assertEqual(visit.state, "cancel")
        with self.assertRaises(UserError):
            visit.action_cancel()
        visit.action_draft()
        self.assertEqual(visit.state, "draft")

    def test_done_only_through_the_button(self):
        visit = self._visit(date_end=False).with_user(self.sales)
        with self.assertRaises(UserError):
            visit.write({"state": "done"})  # would skip the end time check
        self.assertEqual(visit.state, "draft")

    def test_state_change_is_tracked_in_chatter(self):
        visit = self._visit()
        self.env.cr.flush()  # close the creation's tracking: changes made at creation are not tracked
        visit.action_done()
        self.env.flush_all()
        self.env.cr.flush()  # tracking values are written when the cursor flushes its precommit hooks
        visit.invalidate_recordset(["message_ids"])
        tracked = visit.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertTrue(tracked, "the state change must be tracked in the chatter")

    def test_visit_follow_up_activity(self):
        visit = self._visit()
        visit.activity_schedule("mail.mail_activity_data_todo", summary="Send samples", user_id=self.sales.id)
        self.assertEqual(visit.activity_ids.summary, "Send samples")

    def test_requirements_smart_button(self):
        visit = self._visit(requirement_ids=[(0, 0, {"kind": "service", "description": "x"})])
        action = visit.action_view_requirements()
        self.assertEqual(self.env["qms.customer.requirement"].search(action["domain"]), visit.requirement_ids)
