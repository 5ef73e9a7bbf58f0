from odoo.tests import tagged

from .common import QmsCommunicationCommon


@tagged("post_install", "-at_install")
class TestCustomerRequirementRegister(QmsCommunicationCommon):

    def test_register_groups_visits_and_communications(self):
        other = self.env["product.product"].create({"name": "Test Cabinet"})
        self._visit(requirement_ids=[
            (0, 0, {"kind": "function", "product_id": self.product.id, "description": "Adjustable"}),
            (0, 0, {"kind": "appearance", "product_id": self.product.id, "description": "Oak"}),
        ])
        self._communication(requirement_ids=[
            (0, 0, {"kind": "function", "product_id": self.product.id, "description": "Electric"}),
            (0, 0, {"kind": "service", "description": "Installation"}),
        ])
        self._communication(partner=self.customer_b, requirement_ids=[
            (0, 0, {"kind": "function", "product_id": other.id, "description": "Lockable"}),
        ])
        Requirement = self.env["qms.customer.requirement"]
        domain = [("partner_id", "in", (self.customer_a | self.customer_b).ids)]
        by_partner_kind = {
            (partner, kind): count
            for partner, kind, count in Requirement._read_group(domain, ["partner_id", "kind"], ["__count"])
        }
        self.assertEqual(by_partner_kind, {
            (self.customer_a, "function"): 2, (self.customer_a, "appearance"): 1, (self.customer_a, "service"): 1,
            (self.customer_b, "function"): 1,
        })
        by_product = dict(Requirement._read_group(domain, ["product_id"], ["__count"]))
        self.assertEqual(by_product, {self.product: 3, other: 1, self.env["product.product"]: 1})
        from_visits = Requirement.search_count([*domain, ("visit_id", "!=", False)])
        self.assertEqual(from_visits, 2)
