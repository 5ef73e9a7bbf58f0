from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import QmsCommon

# Which section of "Customer Processes" each role must see, and no other.
SECTIONS = {
    "menu_qms_sales": {"sales", "supervisor", "gm"},
    "menu_qms_quality": {"quality", "mgmt_rep", "gm"},
    "menu_qms_management_review": {"supervisor", "quality", "mgmt_rep", "gm"},
    "menu_qms_configuration": {"supervisor", "quality", "mgmt_rep"},
}
ROLES = ("employee", "sales", "supervisor", "quality", "mgmt_rep", "gm")


@tagged("post_install", "-at_install")
class TestRoles(QmsCommon):

    def test_every_internal_user_is_a_qms_employee(self):
        self.assertTrue(self.employee.has_group("qms_customer.group_qms_employee"))
        self.assertFalse(self.employee.has_group("qms_customer.group_qms_sales"))

    def test_group_implications(self):
        expected = {
            "sales": {"group_qms_employee", "group_qms_sales"},
            "supervisor": {"group_qms_employee", "group_qms_sales", "group_qms_sales_supervisor"},
            "quality": {"group_qms_employee", "group_qms_quality"},
            "mgmt_rep": {"group_qms_employee", "group_qms_management_representative"},
            "gm": {"group_qms_employee", "group_qms_general_manager"},
        }
        privilege = self.env.ref("qms_customer.res_groups_privilege_qms_customer")
        for role, groups in expected.items():
            user = getattr(self, role)
            held = {g.get_external_id()[g.id].split(".")[1] for g in user.all_group_ids if g.privilege_id == privilege}
            self.assertEqual(held, groups, role)

    def test_each_role_sees_exactly_its_menus(self):
        Menu = self.env["ir.ui.menu"]
        root = self.env.ref("qms_customer.menu_qms_root")
        sections = {xmlid: self.env.ref(f"qms_customer.{xmlid}") for xmlid in SECTIONS}
        for role in ROLES:
            user = getattr(self, role)
            visible = Menu.with_user(user)._visible_menu_ids()
            self.assertIn(root.id, visible, role)
            seen = {xmlid for xmlid, menu in sections.items() if menu.id in visible}
            wanted = {xmlid for xmlid, roles in SECTIONS.items() if role in roles}
            self.assertEqual(seen, wanted, f"menus seen by {role}")

    def test_portal_user_sees_no_menu(self):
        portal = self.env["res.users"].create({
            "name": "Portal", "login": "t_portal",
            "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
        })
        self.assertFalse(portal.has_group("qms_customer.group_qms_employee"))
        # portal users cannot even read the back-end menus
        with self.assertRaises(AccessError):
            self.env["ir.ui.menu"].with_user(portal)._visible_menu_ids()

    def test_demo_users_exist_with_demo_data(self):
        # the test database is built with demo data; tests/test_install.py checks the opposite
        demo_logins = ["sales", "sales_supervisor", "quality", "mgmt_rep", "gm"]
        logins = self.env["res.users"].search([("login", "in", demo_logins)])
        self.assertEqual(len(logins), 5)
        self.assertTrue(self.env.ref("qms_customer.user_mgmt_rep").has_group(
            "qms_customer.group_qms_management_representative"))
        self.assertEqual(self.env.ref("qms_customer.user_quality").employee_ids.department_id,
                         self.env.ref("qms_customer.dep_quality"))
