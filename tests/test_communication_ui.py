from odoo.tests import HttpCase, tagged

# Wait until the web client shows the view, then signal success; a traceback, a console error
# or an error dialog fails the test.
WAIT_FOR_VIEW = """
(async () => {
    const selector = %r;
    await new Promise((resolve) => {
        const look = () => (document.querySelector(selector) ? resolve() : setTimeout(look, 50));
        look();
    });
    if (document.querySelector(".o_error_dialog")) {
        throw new Error("error dialog on " + location.href);
    }
    console.log("test successful");
})();
"""


@tagged("post_install", "-at_install")
class TestCommunicationUi(HttpCase):
    """Every view of visits, plans, communications and the register opens in the browser.

    Needs Chromium and the websocket-client package; Odoo skips these tests without them.
    """

    # the renderer, not only the view's frame: the graph renderer loads Chart.js first, and a test
    # that ends before would leave a failed asset load behind (an error under Odoo's runner)
    RENDERERS = {"list": ".o_list_renderer", "kanban": ".o_kanban_renderer", "calendar": ".o_calendar_renderer",
                 "graph": ".o_graph_renderer", "form": ".o_form_renderer"}

    def _open(self, path, view_type, login="sales_supervisor"):
        selector = f".o_action_manager .o_{view_type}_view {self.RENDERERS.get(view_type, '')}".strip()
        self.browser_js(path, WAIT_FOR_VIEW % selector, ready="odoo.isReady", login=login)

    def test_list_and_analysis_views(self):
        views = {
            "qms_customer.qms_customer_visit_action": ("list", "kanban", "calendar", "pivot", "graph"),
            "qms_customer.qms_communication_action": ("list", "kanban", "calendar", "pivot", "graph"),
            "qms_customer.qms_communication_plan_action": ("list",),
            "qms_customer.qms_communication_plan_line_action": ("list", "calendar", "pivot", "graph"),
            "qms_customer.qms_customer_requirement_action": ("list", "pivot", "graph"),
        }
        for action, view_types in views.items():
            for view_type in view_types:
                # no subTest: a browser-less machine must report this test skipped, not passed
                self._open(f"/odoo/action-{action}?view_type={view_type}", view_type)

    def test_forms_of_demo_records(self):
        forms = {
            "qms_customer.qms_customer_visit_action": "qms_customer.demo_visit_gemini",
            "qms_customer.qms_communication_action": "qms_customer.demo_communication_lumber_email",
            "qms_customer.qms_communication_plan_action": "qms_customer.demo_plan_this_year",
            "qms_customer.qms_communication_plan_line_action": "qms_customer.demo_plan_line_azure_online",
        }
        for action, record in forms.items():
            self._open(f"/odoo/action-{action}/{self.env.ref(record).id}", "form")
        partner = self.env.ref("base.res_partner_3")
        self._open(f"/odoo/action-base.action_partner_form/{partner.id}", "form")

    def test_satisfaction_for_management_review(self):
        action = "qms_customer.qms_communication_satisfaction_action"
        self._open(f"/odoo/action-{action}?view_type=pivot", "pivot", login="gm")
