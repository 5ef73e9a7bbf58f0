"""Slip numbers are gap-free per company and year (issue #11.7): an ISO auditor asks why
CS/2026/00041 is missing. A refused create gives its number back; each company and each year
start at 1. Concurrency is proven by tools/loadtest (no duplicate, no gap after the run)."""
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import QmsComplaintCommon, QmsHttpCommon


def _number(name):
    prefix, _sep, number = name.rpartition("/")
    return prefix, int(number)


@tagged("post_install", "-at_install")
class TestComplaintNumbersHttp(QmsHttpCommon):

    def _create(self, **vals):
        return self.json2(self.sales, "qms.complaint", "create", vals_list=[{
            "partner_id": self.customer.id, "contact_id": self.contact.id, "description": "<p>Scratched</p>",
            **vals}])

    def test_refused_create_uses_no_number(self):
        ok, ids = self._create()
        self.assertTrue(ok, ids)
        first = self.env["qms.complaint"].browse(ids).name
        # refused by a constraint, after the number was drawn: the order is another customer's
        self.assertRefused(self.sales, "qms.complaint", "create", "belongs to", vals_list=[{
            "partner_id": self.customer.id, "sale_order_id": self.other_order.id}])
        # refused by a line's constraint (written with the slip, after numbering)
        self.assertRefused(self.sales, "qms.complaint", "create", "greater than zero", vals_list=[{
            "partner_id": self.customer.id,
            "line_ids": [[0, 0, {"product_id": self.product_a.id, "qty_complained": -1}]]}])
        ok, ids = self._create()
        self.assertTrue(ok, ids)
        second = self.env["qms.complaint"].browse(ids).name
        prefix, number = _number(first)
        self.assertEqual(second, f"{prefix}/{number + 1:05d}",
                         f"the refused creates must not have used numbers: no gap after {first}")


@tagged("post_install", "-at_install")
class TestComplaintNumbers(QmsComplaintCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Numbering Company B"})

    def _slip(self, company):
        return self.env["qms.complaint"].create({
            "partner_id": self.customer.id, "company_id": company.id, "description": "<p>n</p>"})

    def test_sequence_is_gap_free_per_year(self):
        sequence = self.env["ir.sequence"].search([("code", "=", "qms.complaint"),
                                                   ("company_id", "=", self.company_b.id)])
        self.assertEqual(len(sequence), 1, "a new company gets its slip sequence at creation")
        self.assertEqual((sequence.implementation, sequence.use_date_range), ("no_gap", True))
        self.assertEqual(len(self.env["ir.sequence"].search([("code", "=", "qms.complaint"),
                                                              ("company_id", "=", self.env.company.id)])), 1)

    def test_numbers_start_at_one_per_company_and_year_without_hole(self):
        main = self.env.company
        with freeze_time("2031-03-01 10:00:00"):
            names = [self._slip(self.company_b).name]
            with self.assertRaises(ValidationError):  # refused after numbering: gives the number back
                self.env["qms.complaint"].create({
                    "partner_id": self.customer.id, "company_id": self.company_b.id,
                    "line_ids": [(0, 0, {"product_id": self.product_a.id, "qty_complained": 0})]})
            names.append(self._slip(self.company_b).name)
            main_2031 = self._slip(main).name
        with freeze_time("2031-12-31 15:00:00"):
            names.append(self._slip(self.company_b).name)
        with freeze_time("2032-01-02 09:00:00"):
            next_year = [self._slip(self.company_b).name, self._slip(self.company_b).name]
            main_2032 = self._slip(main).name
        self.assertEqual(names, ["CS/2031/00001", "CS/2031/00002", "CS/2031/00003"])
        self.assertEqual(next_year, ["CS/2032/00001", "CS/2032/00002"])
        # the main company numbers its own years: 2031 and 2032 had no slip of it before
        self.assertEqual((main_2031, main_2032), ("CS/2031/00001", "CS/2032/00001"))

    def test_several_slips_in_one_create(self):
        with freeze_time("2033-05-05 10:00:00"):
            slips = self.env["qms.complaint"].create([
                {"partner_id": self.customer.id, "company_id": self.company_b.id} for _i in range(3)])
        self.assertEqual(slips.mapped("name"), ["CS/2033/00001", "CS/2033/00002", "CS/2033/00003"])
