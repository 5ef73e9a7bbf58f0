from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import QmsComplaintCommon


@tagged("post_install", "-at_install")
class TestCommunicationComplaint(QmsComplaintCommon):
    """Complaint handling is customer communication too (4.2.3): it links to the slip (4.3)."""

    def _communication(self, **vals):
        values = {"partner_id": self.contact.id, "communication_type": "complaint", "user_id": self.sales.id}
        values.update(vals)
        return self.env["qms.communication"].with_user(self.sales).create(values)

    def test_complaint_communication_links_the_slip(self):
        complaint = self._complaint()
        communication = self._communication(complaint_id=complaint.id, satisfaction_score=2,
                                            satisfaction_comment="Unhappy about the scratches")
        self.assertEqual(communication.complaint_id, complaint)
        self.assertEqual(communication.customer_status, "existing")
        found = self.env["qms.communication"].search([("complaint_id", "=", complaint.id)])
        self.assertEqual(found, communication)

    def test_form_prefills_type_and_order_from_the_slip(self):
        complaint = self._complaint()
        form = Form(self.env["qms.communication"].with_user(self.sales))
        form.partner_id = self.customer
        form.communication_type = "complaint"
        form.complaint_id = complaint
        communication = form.save()
        self.assertEqual(communication.sale_order_id, self.order)

    def test_only_complaint_handling_links_a_slip(self):
        complaint = self._complaint()
        with self.assertRaisesRegex(ValidationError, "complaint handling"):
            self._communication(complaint_id=complaint.id, communication_type="enquiry")

    def test_slip_of_another_customer_is_refused(self):
        complaint = self._complaint()
        with self.assertRaisesRegex(ValidationError, "another customer"):
            self._communication(partner_id=self.other_customer.id, complaint_id=complaint.id)
