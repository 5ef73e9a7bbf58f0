from odoo.tests import TransactionCase, new_test_user


class QmsCommon(TransactionCase):
    """Users for each role of the procedure, in their departments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_create_nosubscribe=True))
        Department = cls.env["hr.department"]
        cls.dep_sales = Department.create({"name": "Test Sales"})
        cls.dep_quality = Department.create({"name": "Test Quality"})
        cls.dep_production = Department.create({"name": "Test Production"})
        cls.dep_warehouse = Department.create({"name": "Test Warehouse"})
        cls.employee = cls._user("t_employee", "base.group_user", cls.dep_warehouse)
        cls.production = cls._user("t_production", "base.group_user", cls.dep_production)
        cls.sales = cls._user("t_sales", "qms_customer.group_qms_sales", cls.dep_sales)
        cls.supervisor = cls._user("t_supervisor", "qms_customer.group_qms_sales_supervisor", cls.dep_sales)
        cls.quality = cls._user("t_quality", "qms_customer.group_qms_quality", cls.dep_quality)
        cls.mgmt_rep = cls._user("t_mgmt_rep", "qms_customer.group_qms_management_representative", cls.dep_quality)
        cls.gm = cls._user("t_gm", "qms_customer.group_qms_general_manager", None)
        cls.dep_production.manager_id = cls.production.employee_ids[:1]
        cls.dep_quality.manager_id = cls.quality.employee_ids[:1]

    @classmethod
    def _user(cls, login, groups, department):
        groups = "base.group_user" if groups == "base.group_user" else f"base.group_user,{groups}"
        user = new_test_user(cls.env, login=login, groups=groups, name=login.replace("t_", "").title())
        cls.env["hr.employee"].create({
            "name": user.name, "user_id": user.id,
            "department_id": department.id if department else False,
        })
        return user
