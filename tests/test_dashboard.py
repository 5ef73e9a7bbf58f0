import importlib.util
import json
from pathlib import Path

from odoo.tests import tagged
from odoo.tools.translate import code_translations

from .common import QmsHttpCommon

GENERATOR = Path(__file__).resolve().parent.parent / "tools" / "gen_dashboard.py"


@tagged("post_install", "-at_install")
class TestDashboard(QmsHttpCommon):
    """The Customer Processes dashboard of Odoo's Dashboards app: every figure it asks the server
    for is a query the readers may run, on fields that exist, with values that exist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref("qms_customer.spreadsheet_dashboard_customer_processes")
        cls.spreadsheet = json.loads(cls.dashboard.spreadsheet_data)

    def _queries(self):
        """(model, domain, group by, measures, field matching) of every pivot and chart."""
        for spec in self.spreadsheet["pivots"].values():
            yield (spec["model"], spec["domain"], [row["fieldName"] for row in spec["rows"]],
                   [m["fieldName"] for m in spec["measures"]], spec["fieldMatching"])
        for sheet in self.spreadsheet["sheets"]:
            for figure in sheet["figures"]:
                meta = figure["data"].get("metaData")
                if meta:
                    yield (meta["resModel"], figure["data"]["searchParams"]["domain"], meta["groupBy"],
                           [meta["measure"]], figure["data"]["fieldMatching"])

    def test_json_is_the_generators(self):
        if not GENERATOR.is_file():
            self.skipTest("tools/gen_dashboard.py is not shipped with the addon (wheel): checked in its repository")
        spec = importlib.util.spec_from_file_location("qms_gen_dashboard", GENERATOR)
        generator = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(generator)
        self.assertEqual(json.loads(generator.render()), self._file_json(),
                         "data/files/qms_customer_dashboard.json is stale: run .venv/bin/python tools/gen_dashboard.py")

    def _file_json(self):
        path = Path(__file__).resolve().parent.parent / "data" / "files" / "qms_customer_dashboard.json"
        return json.loads(path.read_text(encoding="utf-8"))

    def test_every_figure_is_a_query_the_readers_may_run(self):
        complaint = self._complaint()
        self.assertTrue(complaint)
        filters = {f["id"] for f in self.spreadsheet["globalFilters"]}
        checked = 0
        for user in (self.gm, self.mgmt_rep, self.quality):
            for model, domain, group_by, measures, matching in self._queries():
                Model = self.env[model].with_user(user)
                self.assertEqual(set(matching), filters, f"{model}: every global filter applies to it")
                for leaf in domain:
                    field = Model._fields[leaf[0]]
                    if field.type == "selection":
                        values = leaf[2] if isinstance(leaf[2], list) else [leaf[2]]
                        keys = {key for key, _label in field._description_selection(self.env)}
                        self.assertLessEqual(set(values) - {False}, keys, f"{model} domain {leaf}")
                for match in matching.values():
                    # the filter's field chain resolves and can be searched on
                    Model.search_count([(match["chain"], "!=", False)])
                aggregates = ["__count" if m == "__count" else f"{m}:{Model._fields[m].aggregator}"
                              for m in measures]
                groups = Model.formatted_read_group(domain, group_by, aggregates)
                self.assertIsInstance(groups, list)
                checked += 1
        self.assertGreaterEqual(checked, 3 * 12)

    def test_open_complaints_figure_counts_open_slips(self):
        self._complaint()
        spec = self.spreadsheet["pivots"]["2"]
        self.assertEqual(spec["name"], "Open complaints")
        Complaint = self.env["qms.complaint"].with_user(self.gm)
        (group,) = Complaint.formatted_read_group(spec["domain"], [], ["__count"])
        self.assertEqual(group["__count"], Complaint.search_count([("state", "not in", ("done", "cancel"))]))
        self.assertGreater(group["__count"], 0)

    def test_readers_and_not_the_sales_staff(self):
        Dashboard = self.env["spreadsheet.dashboard"]
        for user in (self.gm, self.mgmt_rep, self.quality):
            self.assertIn(self.dashboard, Dashboard.with_user(user).search([]), user.login)
        self.assertNotIn(self.dashboard, Dashboard.with_user(self.sales).search([]))
        self.authenticate(self.gm.login, self.gm.login)
        response = self.url_open(f"/spreadsheet/dashboard/data/{self.dashboard.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Customer Processes", self.dashboard.with_user(self.gm).name)
        self.assertEqual(response.json()["snapshot"]["pivots"]["1"]["model"], "qms.complaint")

    def test_labels_are_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"], overwrite=True)
        self.assertEqual(self.dashboard.with_context(lang="zh_CN").name, "顾客相关过程")
        # what the web client receives for the dashboard's translation namespace (its module)
        self.assertEqual(self.dashboard._get_dashboard_translation_namespace(), "qms_customer")
        messages = code_translations.get_web_translations("qms_customer", "zh_CN")["messages"]
        labels = {m["id"]: m["string"] for m in messages}
        for label in ("Period", "KPI - Open complaints", "Complaints by month and category"):
            self.assertIn(label, labels)
            self.assertNotEqual(labels[label], label)

    def test_dashboard_opens_in_the_dashboards_app(self):
        """The web client loads the spreadsheet (a malformed one fails with a console error) and
        draws its nine key figures."""
        self._complaint()
        ready = "document.querySelectorAll('canvas.o-scorecard').length >= 9"
        code = """
            const titles = [...document.querySelectorAll('canvas.o-scorecard')].map((c) => c.title);
            if (titles.length !== 9 || !titles.includes('Open complaints')) {
                console.error('key figures drawn: ' + JSON.stringify(titles));
            } else if (document.querySelector('.o_error_dialog')) {
                console.error('error dialog: ' + document.querySelector('.o_error_dialog').innerText);
            } else {
                console.log('test successful');
            }
        """
        self.browser_js(f"/odoo/dashboards?dashboard_id={self.dashboard.id}", code, ready, login=self.gm.login)

    def test_recurrence_rate_counts_as_the_yearly_summary(self):
        """Issue 14.7: the recurrence figures (actions, effective at first attempt, recurred, revised)
        are the yearly complaint summary's counts (qms.annual.report._action_statistics)."""
        first = self._to_action(self._complaint())
        action = self._add_action(first)
        self._implement(action)
        action.with_user(self.quality).action_verify_effective()
        self._complaint()  # repeats the first slip: the action recurred
        revised = self._add_action(self._to_action(self._complaint(category="service")))
        self._implement(revised)
        revised.with_user(self.quality).verification_notes = "Damage again"
        revised.with_user(self.quality).action_verify_ineffective()
        revised.with_user(self.production).action_revise()
        self.assertTrue(action.recurred)
        stats = self.env["qms.annual.report"]._action_statistics([("id", "!=", False)])
        pivots = {spec["name"]: spec for spec in self.spreadsheet["pivots"].values()}
        expected = {"Corrective actions": stats["count"],
                    "Effective at first attempt": stats["effective_first_attempt"],
                    "Recurred": stats["recurred"], "Revised": stats["revised"]}
        self.assertGreater(min(expected.values()), 0, expected)
        for name, count in expected.items():
            spec = pivots[name]
            self.assertEqual(spec["model"], "qms.corrective.action")
            (group,) = self.env[spec["model"]].with_user(self.gm).formatted_read_group(spec["domain"], [], ["__count"])
            self.assertEqual(group["__count"], count, name)
        data = next(sheet for sheet in self.spreadsheet["sheets"] if sheet["name"] == "Data")["cells"]
        rate = next(cell for key, cell in data.items() if cell == '=_t("KPI - Recurrence rate")')
        self.assertTrue(rate)
