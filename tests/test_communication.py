from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import QmsCommunicationCommon


@tagged("post_install", "-at_install")
class TestCommunication(QmsCommunicationCommon):

    def test_outputs_of_424(self):
        communication = self._communication(
            satisfaction_score=4, satisfaction_comment="Good", market_trends="Sit-stand desks",
            competitor_information="Free delivery",
            product_requirement_ids=[
                (0, 0, {"kind": "packaging", "product_id": self.product.id, "description": "Corners"})],
            service_requirement_ids=[(0, 0, {"kind": "service", "description": "Installation"})],
            market_information_ids=[(0, 0, {"kind": "competitor", "description": "Cheaper offer"})],
        )
        self.assertTrue(communication.name.startswith("COM/"))
        self.assertEqual(len(communication.requirement_ids), 3)
        self.assertEqual(communication.product_requirement_ids.kind, "packaging")
        self.assertEqual(communication.service_requirement_ids.kind, "service")
        self.assertEqual(communication.market_information_ids.kind, "competitor")
        self.assertEqual(communication.requirement_ids.partner_id, self.customer_a)

    def test_satisfaction_score_on_scale(self):
        for score in (1, 5, 0):
            self.assertEqual(self._communication(satisfaction_score=score).satisfaction_score, score)
        for score in (6, -1):
            with self.assertRaisesRegex(ValidationError, "between 1 and 5"):
                self._communication(satisfaction_score=score)

    def test_visit_needs_a_channel(self):
        with self.assertRaises(ValidationError):
            self._communication(channel=False)
        self.assertFalse(self._communication(communication_type="trade_show", channel=False).channel)

    def test_existing_or_new_customer(self):
        self.assertEqual(self._communication().customer_status, "existing")
        new = self._communication(partner=self.customer_new, communication_type="enquiry", channel=False)
        self.assertEqual(new.customer_status, "new")

    def test_plan_line_must_be_with_the_same_customer(self):
        plan = self._plan()
        line = self._line(plan)
        with self.assertRaises(ValidationError):
            self._communication(partner=self.customer_b, plan_line_id=line.id)

    def test_partner_smart_buttons_and_latest_satisfaction(self):
        plan = self._plan()
        self._line(plan)
        self._visit(partner=self.contact_a)
        self._communication(satisfaction_score=2, date=f"{self.YEAR}-02-01 10:00:00")
        self._communication(satisfaction_score=5, date=f"{self.YEAR}-06-01 10:00:00")
        self._communication(satisfaction_score=0, date=f"{self.YEAR}-07-01 10:00:00")
        partner = self.customer_a
        partner.invalidate_recordset()
        self.assertEqual((partner.qms_visit_count, partner.qms_communication_count, partner.qms_plan_line_count),
                         (1, 3, 1))
        self.assertEqual(partner.qms_satisfaction_score, 5)
        action = partner.action_view_qms_communications()
        self.assertEqual(len(self.env["qms.communication"].search(action["domain"])), 3)
        self.assertEqual(len(self.env["qms.customer.visit"].search(partner.action_view_qms_visits()["domain"])), 1)
