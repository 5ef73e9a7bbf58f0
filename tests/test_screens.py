"""What the screens show each role (issue 12, item 10): where the module opens, which buttons."""
from lxml import etree

from odoo.tests import tagged

from .common import QmsCommon, QmsComplaintCommon

# Where each role lands when it opens "Customer Processes": the action and its default filters.
LANDINGS = {
    "supervisor": ("qms_customer.qms_complaint_action", {"search_default_awaiting_supervisor"}),
    "quality": ("qms_customer.qms_complaint_action_quality",
                {"search_default_awaiting_disposition", "search_default_actions_open"}),
    "mgmt_rep": ("qms_customer.qms_complaint_action_quality",
                 {"search_default_actions_to_approve", "search_default_awaiting_verification"}),
    "gm": ("qms_customer.qms_annual_report_action", set()),
    "sales": ("qms_customer.qms_complaint_action_my", {"search_default_my_complaints"}),
    # no role of the procedure: the open corrective actions of their departments
    "employee": ("qms_customer.qms_corrective_action_action", {"search_default_my_departments", "search_default_open"}),
    "production": ("qms_customer.qms_corrective_action_action",
                   {"search_default_my_departments", "search_default_open"}),
}

# Buttons that take a step under another name than action_<step>.
BUTTON_STEPS = {
    ("qms.communication.plan", "action_draft"): ("reset",),
    ("qms.communication.plan.line", "action_log_communication"): ("done",),
    ("qms.communication.plan.line", "action_send_evaluation"): ("done",),
    # reconsider when the company is responsible, reinvestigate when not
    ("qms.complaint", "action_reconsider"): ("reconsider", "reinvestigate"),
}
# Steps no one clicks: taken by the server when their condition holds.
AUTOMATIC_STEPS = {
    ("qms.complaint", "actions_implemented"),  # the last corrective action carried out
    ("qms.corrective.action", "cancel"),  # the slip cancelled
    ("qms.annual.report", "approve"),  # the last signature
    ("qms.communication.plan.line", "reopen"),  # its communication removed
    ("qms.communication.plan.line", "reopen_late"),
    ("qms.communication.plan.line", "mark_missed"),  # the scheduled action, the plan closed
    ("qms.complaint.line", "remedy"),  # the remedy buttons take it, one per remedy (below)
    ("qms.improvement.notice", "done"),  # the sending job, when its last customer is notified
}
REMEDY_BUTTONS = ("action_remedy_refund", "action_remedy_replacement", "action_remedy_repair")


@tagged("post_install", "-at_install")
class TestLandings(QmsCommon):

    def _landing(self, user):
        return self.env.ref("qms_customer.qms_home_action").with_user(user).run()

    def test_each_role_lands_on_its_own_work(self):
        for role, (xmlid, filters) in LANDINGS.items():
            with self.subTest(role=role):
                action = self._landing(getattr(self, role))
                expected = self.env.ref(xmlid)
                self.assertEqual(action["id"], expected.id)
                context = action["context"]
                self.assertEqual({key for key in context if key.startswith("search_default_")}, filters)
                # each default filter is one of the action's search view, or the web client ignores it
                search_view = expected.search_view_id or self.env["ir.ui.view"].search(
                    [("model", "=", expected.res_model), ("type", "=", "search"), ("mode", "=", "primary")], limit=1)
                names = set(etree.fromstring(search_view.get_combined_arch()).xpath("//filter/@name"))
                self.assertLessEqual({key.removeprefix("search_default_") for key in filters}, names)
                # the landing is the action of a menu the role reaches from the app (the menu and
                # every menu above it visible), else the web client shows it without the app's menus
                Menu = self.env["ir.ui.menu"].with_user(getattr(self, role))
                visible = Menu._visible_menu_ids()
                menus = Menu.search([("action", "=", f"ir.actions.act_window,{expected.id}")])
                self.assertTrue(any(all(int(menu_id) in visible for menu_id in menu.parent_path.strip("/").split("/"))
                                    for menu in menus), f"{role} lands on {xmlid}, which no menu it reaches opens")

    def test_the_module_opens_on_the_landing(self):
        root = self.env.ref("qms_customer.menu_qms_root")
        self.assertEqual(root.action, self.env.ref("qms_customer.qms_home_action"))

    def test_supervisor_filter_finds_the_slips_to_review(self):
        action = self._landing(self.supervisor)
        search_view = self.env.ref(LANDINGS["supervisor"][0]).search_view_id
        arch = etree.fromstring(search_view.get_combined_arch())
        (domain,) = arch.xpath("//filter[@name='awaiting_supervisor']/@domain")
        self.assertEqual(domain, "[('state', '=', 'supervisor_review')]")
        self.assertEqual(action["res_model"], "qms.complaint")


@tagged("post_install", "-at_install")
class TestButtons(QmsCommon):
    """Each workflow button shows by its step's can_<step> flag, never by a copy of states or groups."""

    def _workflow_models(self):
        return {name: model for name, model in self.env.items()
                if getattr(model, "_qms_steps", None) and not model._abstract and name.startswith("qms.")}

    def _buttons(self):
        """(model, button element) for every object button of the addon's primary views, with the
        model of the list or form it stands in (a one2many's sub-view is its comodel's)."""
        views = self.env["ir.ui.view"].search([
            ("model", "in", list(self._workflow_models())), ("mode", "=", "primary"),
            ("type", "in", ("form", "list", "kanban"))])
        for view in views:
            arch = etree.fromstring(view.get_combined_arch())
            for button in arch.iter("button"):
                if button.get("type") != "object":
                    continue
                model = self.env[view.model]
                for ancestor in reversed(list(button.iterancestors())):
                    if ancestor.tag == "field" and ancestor.get("name") in model._fields:
                        model = self.env[model._fields[ancestor.get("name")].comodel_name]
                yield view, model, button

    def test_every_workflow_button_uses_its_can_flag(self):
        checked = set()
        for view, model, button in self._buttons():
            name = button.get("name")
            steps = BUTTON_STEPS.get((model._name, name))
            if not steps and name.startswith("action_") and name.removeprefix("action_") in model._qms_steps:
                steps = (name.removeprefix("action_"),)
            if name in REMEDY_BUTTONS:
                steps = ("remedy",)
            if name == "action_open_override":
                steps = ("override",)
            if not steps:
                continue
            invisible = button.get("invisible") or ""
            for step in steps:
                with self.subTest(view=view.name, button=name, step=step):
                    self.assertIn(f"can_{step}", model._fields, "the model declares the flag")
                    self.assertIn(f"not can_{step}" if len(steps) == 1 else f"can_{step}", invisible)
                    checked.add((model._name, step))
            with self.subTest(view=view.name, button=name):
                # a step open to "whoever may write the document" (group None) leaves write access to
                # the ACL, which can_<step> does not read: such a button may name the writers' group
                if any(model._qms_steps[step].group for step in steps):
                    self.assertFalse(button.get("groups"), "the step's role is in can_<step>, not in groups")
                self.assertNotIn("state ", invisible.replace("plan_state", ""), "the step's stages are in can_<step>")
        # the other way round: every step of every table has its button, or is taken by the server
        for model_name, model in self._workflow_models().items():
            for step in model._qms_steps:
                with self.subTest(model=model_name, step=step):
                    self.assertTrue((model_name, step) in checked or (model_name, step) in AUTOMATIC_STEPS,
                                    "a step without a button must be listed as automatic")


@tagged("post_install", "-at_install")
class TestNewSlipTitle(QmsComplaintCommon):

    def test_new_slip_is_called_new_not_slash(self):
        """The breadcrumb of a slip being entered shows its display_name: "New" (新建 in
        Chinese), never the "/" the number holds until the slip is saved."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"], overwrite=True)
        Complaint = self.env["qms.complaint"].with_user(self.sales)
        self.assertEqual(Complaint.new({}).display_name, "New")
        self.assertEqual(Complaint.with_context(lang="zh_CN").new({}).display_name, "新建")
        complaint = self._complaint()
        self.assertNotEqual(complaint.name, "/")
        self.assertEqual(complaint.display_name, complaint.name)
