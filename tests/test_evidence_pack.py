"""The auditor's evidence pack (issue 14.6): what the ZIP holds for a small hand-built period, its
checksums, the job run by its scheduled action's method in batches, the company rule, and who may do
what over /json/2."""

import hashlib
import io
import json
import subprocess
import tempfile
import zipfile
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.addons.bus.models.bus import channel_with_db, json_dump
from odoo.addons.qms_customer.models.ir_actions_report import self_contained_pdf
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from ..models.qms_evidence_pack import _file_name
from .common import QmsComplaintCommon, QmsHttpCommon

YEAR = 2019  # a year the demo data does not touch: its slips are numbered CS/2019/...


def run_pack_job(env, batch_size=20, limit=50):
    """Run the scheduled action's method until no pack waits, as the cron worker would; its commits
    (ir.cron progress) are what a test cannot do."""
    Pack = env["qms.evidence.pack"]
    with patch.object(env.cr, "commit"):
        for _run in range(limit):
            if not Pack.sudo().search_count([("state", "in", ("queued", "running"))]):
                return
            Pack._cron_generate(batch_size=batch_size)
    raise AssertionError("the evidence pack job did not finish")


def pdf_text(content):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        return subprocess.run(["pdftotext", "-layout", pdf.name, "-"], capture_output=True, check=True,
                              text=True).stdout


@tagged("post_install", "-at_install")
class TestEvidencePack(QmsComplaintCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # the demo's pack of last year waits for the scheduled action: out of these tests' way
        env["qms.evidence.pack"].search([("state", "in", ("queued", "running"))]).write({"state": "failed"})
        with freeze_time(f"{YEAR}-03-05 09:00:00"):
            cls.slip_1 = cls._make_slip()
            # a number handed out by the sequence that no slip carries: the gap the index lists
            cls.gap = env.company._qms_next_complaint_numbers(1)[0]
            cls.slip_3 = cls._make_slip()
        with freeze_time(f"{YEAR}-03-06 09:00:00"):
            cls.action = cls._make_action(cls.slip_1)
        with freeze_time(f"{YEAR}-04-14 09:00:00"):
            cls.plan = env["qms.communication.plan"].create({"year": YEAR, "user_id": cls.sales.id})
            cls.visit = env["qms.customer.visit"].create({
                "partner_id": cls.customer.id, "date_start": f"{YEAR}-04-14 09:00:00",
                "date_end": f"{YEAR}-04-14 10:00:00", "user_id": cls.sales.id,
                "receptionist_ids": [Command.set(cls.sales.ids)]})
        with freeze_time(f"{YEAR + 1}-01-10 09:00:00"):
            cls.annual = env["qms.annual.report"].with_user(cls.supervisor).create({"kind": "complaint", "year": YEAR})
            # real PDFs frozen, as outside the tests (Odoo keeps HTML in tests otherwise)
            cls.annual.with_context(force_report_rendering=True).action_submit()

    @classmethod
    def _make_slip(cls):
        return cls.env["qms.complaint"].with_user(cls.sales).create({
            "partner_id": cls.customer.id, "sale_order_id": cls.order.id, "channel": "phone",
            "severity": "major", "category": "product", "description": "<p>Scratched tops</p>",
            "line_ids": [(0, 0, {"sale_line_id": cls.order.order_line[0].id, "qty_complained": 2,
                                 "defect_description": "Scratched"})]})

    @classmethod
    def _make_action(cls, slip):
        slip.with_user(slip.received_by_id).action_submit()
        slip.with_user(cls.supervisor).action_supervisor_review()
        slip.with_user(cls.quality).write({
            "quality_disposition": "Confirmed: transport damage", "responsibility_finding": "transport",
            "responsible_department_id": cls.dep_production.id})
        slip.with_user(cls.quality).action_confirm_responsible()
        return cls.env["qms.corrective.action"].with_user(cls.quality).create({
            "complaint_id": slip.id, "description": "Add foam corners", "root_cause": "No protection",
            "cause_category": "method", "why_1": "Why damaged?", "because_1": "Corners unprotected.",
            "responsible_department_id": cls.dep_production.id, "implementing_department_id": cls.dep_production.id,
            "verifying_department_id": cls.dep_quality.id, "date_deadline": f"{YEAR}-04-30"})

    def _pack(self, user=None, **vals):
        return self.env["qms.evidence.pack"].with_user(user or self.mgmt_rep).create({
            "date_from": f"{YEAR}-01-01", "date_to": f"{YEAR}-12-31", **vals})

    @staticmethod
    def _number(record):
        return _file_name(record.name)

    def test_zip_contents_and_checksums(self):
        """The ZIP of a hand-built year: the exact list of files, the index naming each slip and the
        gap, and a manifest whose SHA-256 and sizes are those of the members."""
        pack = self._pack()
        self.assertEqual(pack.state, "queued")
        run_pack_job(self.env, batch_size=1)
        self.assertEqual(pack.state, "done", pack.error_message)
        self.assertEqual(pack.progress_done, pack.progress_total)
        content = pack.attachment_id.raw
        self.assertEqual(pack.zip_sha256, hashlib.sha256(content).hexdigest())
        archive = zipfile.ZipFile(io.BytesIO(content))
        annual_copy = self.annual._qms_printed_copy()
        expected = sorted([
            "index.pdf", "manifest.txt", "manifest.json",
            f"slips/{self._number(self.slip_1)}.pdf", f"slips/{self._number(self.slip_3)}.pdf",
            f"8d/{self._number(self.slip_1)}.pdf",
            f"corrective_actions/{self._number(self.action)}.pdf",
            f"communication_plans/{YEAR}-{self.plan.id}.pdf",
            f"customer_visits/{self._number(self.visit)}.pdf",
            f"annual_reports/{_file_name(annual_copy.name[:-4])}.pdf",
        ])
        self.assertEqual(sorted(archive.namelist()), expected)
        for name in archive.namelist():
            if name.endswith(".pdf"):
                self.assertTrue(archive.read(name).startswith(b"%PDF"), name)
        # the manifest: every other file, with its SHA-256 and size recomputed from the member
        manifest = json.loads(archive.read("manifest.json"))
        listed = {entry["name"]: entry for entry in manifest["files"]}
        self.assertEqual(set(listed), set(expected) - {"manifest.txt", "manifest.json"})
        for name, entry in listed.items():
            member = archive.read(name)
            self.assertEqual(entry["sha256"], hashlib.sha256(member).hexdigest(), name)
            self.assertEqual(entry["size"], len(member), name)
        text_manifest = archive.read("manifest.txt").decode()
        for name, entry in listed.items():
            self.assertIn(f"{entry['sha256']}  {entry['size']:>10}  {name}", text_manifest)
        # the index: each slip, its corrective action, and the number no slip carries
        index = pdf_text(archive.read("index.pdf"))
        for number in (self.slip_1.name, self.slip_3.name, self.action.name):
            self.assertIn(number, index)
        self.assertIn("Gaps in the Numbering", index)
        self.assertIn(self.gap, index)
        # the printed parts were dropped once in the ZIP; the requester was told
        self.assertFalse(pack._qms_parts())
        message = pack.message_ids.filtered(lambda m: self.mgmt_rep.partner_id in m.partner_ids)
        self.assertTrue(message, "the requester is notified on the pack")

    def test_gaps(self):
        """The gap is the number the sequence handed out that no slip carries, and only it."""
        pack = self._pack()
        self.assertEqual(pack._qms_gaps(pack._qms_slips()), [self.gap])

    def _pack_killed_after_one_batch(self):
        """A pack whose first batch was printed and whose second died: (the failed pack, its parts)."""
        pack = self._pack()
        with patch.object(self.env.cr, "commit"):
            self.env["qms.evidence.pack"]._cron_generate(batch_size=1)
        self.assertEqual(pack.state, "running")
        printed = pack._qms_parts()
        self.assertTrue(printed)
        with patch.object(type(pack), "_qms_render", side_effect=RuntimeError("killed")), \
                patch.object(self.env.cr, "commit"), \
                self.assertLogs("odoo.addons.qms_customer.models.qms_evidence_pack", "ERROR"):
            self.env["qms.evidence.pack"]._cron_generate(batch_size=1)
        self.assertEqual(pack.state, "failed")
        return pack, printed

    def test_resumes_after_a_kill(self):
        """The job keeps what it printed: a batch that dies leaves the earlier batches' parts (that the
        next run goes on from them to the ZIP is test_retry_keeps_the_printed_parts)."""
        pack, printed = self._pack_killed_after_one_batch()
        printed = printed.mapped("name")
        self.assertIn("killed", pack.error_message)
        self.assertEqual(pack._qms_parts().mapped("name"), printed, "a failed batch keeps the parts before it")

    def test_other_company_cannot_be_read(self):
        """A pack of another company is out of reach, whatever the role."""
        other = self.env["res.company"].create({"name": "Evidence Other Company"})
        pack = self.env["qms.evidence.pack"].create({"company_id": other.id, "date_from": f"{YEAR}-01-01",
                                                      "date_to": f"{YEAR}-12-31", "requester_id": self.gm.id})
        for user in (self.quality, self.mgmt_rep, self.gm):
            with self.assertRaises(AccessError):
                pack.with_user(user).check_access("read")
        self.assertFalse(self.env["qms.evidence.pack"].with_user(self.gm).search([("id", "=", pack.id)]))

    def test_batch_queries_do_not_grow_with_the_slips(self):
        """A batch of 20 slips costs the queries of a batch of 5 but for one per slip: the slips'
        records are read together, each report prints the batch in one rendering, and the pages
        share their inlined stylesheets. The one query per slip left is Odoo's page layout looking
        up the paper format of each page (web.minimal_layout does the same)."""
        counts = {}
        for year, size in ((YEAR - 4, 2), (YEAR - 2, 5), (YEAR - 3, 20)):  # the first warms the caches
            with freeze_time(f"{year}-05-05 09:00:00"):
                for _index in range(size):
                    self._make_slip()
            pack = self._pack(date_from=f"{year}-01-01", date_to=f"{year}-12-31")
            pack.sudo().write({"state": "running", "progress_total": size + 1})
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            pack.sudo()._qms_run_batch(size)
            self.env.flush_all()
            counts[size] = self.cr.sql_log_count - before
            self.assertEqual(len(pack._qms_parts()), size)
        self.assertLessEqual(counts[20] - counts[5], 15, counts)

    # --- the requester hears of it (issue 14.6, item 3) ------------------------------------------
    def _notifications(self, user):
        """The web client notifications sent to ``user`` (bus.bus rows, created at commit)."""
        self.env.cr.precommit.run()  # the bus rows are written when the transaction commits
        channel = json_dump(channel_with_db(self.env.cr.dbname, user.partner_id))
        rows = self.env["bus.bus"].sudo().search([("channel", "=", channel)], order="id")
        return [json.loads(row.message) for row in rows
                if json.loads(row.message)["type"] == "simple_notification"]

    def test_requester_notified_when_done(self):
        self._notifications(self.mgmt_rep)
        self.env["bus.bus"].sudo().search([]).unlink()
        pack = self._pack()
        run_pack_job(self.env)
        self.assertEqual(pack.state, "done", pack.error_message)
        notes = self._notifications(self.mgmt_rep)
        self.assertEqual(len(notes), 1, notes)
        self.assertEqual(notes[0]["payload"]["type"], "success")
        self.assertEqual(notes[0]["payload"]["title"], pack.name)
        self.assertIn(pack.zip_sha256, notes[0]["payload"]["message"])
        self.assertFalse(self._notifications(self.quality), "only the requester is told")

    def test_requester_notified_when_failed(self):
        self._notifications(self.mgmt_rep)
        self.env["bus.bus"].sudo().search([]).unlink()
        pack = self._pack()
        with patch.object(type(pack), "_qms_render", side_effect=RuntimeError("engine down")), \
                self.assertLogs("odoo.addons.qms_customer.models.qms_evidence_pack", "ERROR"):
            run_pack_job(self.env)
        self.assertEqual(pack.state, "failed")
        notes = self._notifications(self.mgmt_rep)
        self.assertEqual(len(notes), 1, notes)
        self.assertEqual(notes[0]["payload"]["type"], "danger")
        self.assertIn("engine down", notes[0]["payload"]["message"])

    # --- retry (item 2) ----------------------------------------------------------------------------
    def test_retry_keeps_the_printed_parts(self):
        """A failed pack retried by its requester goes back to the queue with the parts it printed,
        triggers the scheduled action, and the job goes on from them to the full ZIP."""
        pack, printed = self._pack_killed_after_one_batch()
        self.assertTrue(pack.with_user(self.mgmt_rep).can_retry)
        self.assertFalse(pack.with_user(self.quality).can_retry, "the requester retries")
        cron = self.env.ref("qms_customer.ir_cron_qms_evidence_pack")
        self.env["ir.cron.trigger"].sudo().search([("cron_id", "=", cron.id)]).unlink()
        pack.with_user(self.mgmt_rep).action_retry()
        self.assertEqual(pack.state, "queued")
        self.assertFalse(pack.error_message)
        self.assertEqual(pack._qms_parts(), printed, "the parts printed before the failure are kept")
        self.assertTrue(self.env["ir.cron.trigger"].sudo().search([("cron_id", "=", cron.id)]))
        with patch.object(self.env.cr, "commit"):
            self.env["qms.evidence.pack"]._cron_generate(batch_size=1)
        self.assertEqual(pack.state, "running")
        self.assertEqual(pack.progress_done, 2, "the unit printed before the failure counts as done")
        parts = pack._qms_parts()
        self.assertLess(printed, parts, "the kept parts are not printed again")
        self.assertEqual(len(parts), len(set(parts.mapped("name"))))
        run_pack_job(self.env, batch_size=1)
        self.assertEqual(pack.state, "done", pack.error_message)
        self.assertIn(f"slips/{self._number(self.slip_1)}.pdf",
                      zipfile.ZipFile(io.BytesIO(pack.attachment_id.raw)).namelist())

    # --- an action that serves other slips (item 4) ------------------------------------------------
    def test_served_action_is_listed_for_each_slip_and_printed_once(self):
        """slip_1's action also serves slip_3: the index lists it under both slips, slip_3 gets its
        8D, and the action's report is in the ZIP once (printed in the batch of either slip)."""
        # (who may link which slip is the action's tests'; slip_3 is a draft only its receiver reads)
        self.action.with_env(self.env).write({"other_complaint_ids": [Command.link(self.slip_3.id)]})
        self.assertIn(self.action, self.slip_3._qms_all_actions())
        pack = self._pack()
        run_pack_job(self.env, batch_size=1)
        self.assertEqual(pack.state, "done", pack.error_message)
        archive = zipfile.ZipFile(io.BytesIO(pack.attachment_id.raw))
        names = archive.namelist()
        report = f"corrective_actions/{self._number(self.action)}.pdf"
        self.assertEqual(names.count(report), 1, names)
        self.assertEqual(len(names), len(set(names)), names)
        self.assertIn(f"8d/{self._number(self.slip_3)}.pdf", names)
        manifest = [entry["name"] for entry in json.loads(archive.read("manifest.json"))["files"]]
        self.assertEqual(manifest.count(report), 1)
        index = pdf_text(archive.read("index.pdf"))
        slip_3_part = index[index.index(self.slip_3.name):]
        if self.slip_1.name > self.slip_3.name:
            slip_3_part = slip_3_part[:slip_3_part.index(self.slip_1.name)]
        self.assertIn(self.action.name, slip_3_part, "the action is listed under the slip it serves")
        self.assertIn("also serving this slip", " ".join(slip_3_part.split()))
        self.assertEqual(index.count(self.action.name), 2, index)

    # --- a batch of 8D and corrective action reports is one wkhtmltopdf run (item 1) ---------------
    def test_batches_of_long_8d_and_action_reports_are_printed_once(self):
        """As the slip form: 8D reports and corrective action reports of several pages printed
        together are split per record by their outline entries, one wkhtmltopdf run per batch."""
        with freeze_time(f"{YEAR}-03-06 09:00:00"):
            slips = self.slip_1 | self._make_action(self.slip_3).complaint_id
        actions = slips.corrective_action_ids
        long_text = "<p>%s</p>" % ("The drawer rail jams half way and scratches the side panel. " * 40)
        # past their gates these texts are closed to every path: lengthen them behind the ORM's back
        self.env.cr.execute("UPDATE qms_complaint SET description = %s WHERE id IN %s",
                            [long_text * 6, tuple(slips.ids)])
        self.env.cr.execute("UPDATE qms_corrective_action SET description = %s WHERE id IN %s",
                            [long_text * 6, tuple(actions.ids)])
        self.env.invalidate_all()
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        run_wkhtmltopdf = type(Report)._run_wkhtmltopdf
        for report, records in (("qms_customer.action_report_qms_complaint_8d", slips),
                                ("qms_customer.action_report_qms_corrective_action", actions)):
            runs = []

            def count_runs(report_model, *args, _runs=runs, **kwargs):
                _runs.append(1)
                return run_wkhtmltopdf(report_model, *args, **kwargs)

            with patch.object(type(Report), "_run_wkhtmltopdf", count_runs), self_contained_pdf():
                streams = Report._render_qweb_pdf_prepare_streams(report, None, res_ids=records.ids)
            pages = [len(PdfFileReader(streams[record.id]["stream"]).pages) for record in records]
            self.assertGreater(min(pages), 1, f"{report}: the documents must run over a page")
            self.assertEqual(len(runs), 1, report)
            for record in records:
                first_page = PdfFileReader(streams[record.id]["stream"]).pages[0].extract_text()
                self.assertIn(record.name, first_page, report)


@tagged("post_install", "-at_install")
class TestEvidencePackHttp(QmsHttpCommon):
    """Each demo role over /json/2: who requests, reads, changes and deletes a pack, and that none
    writes what the server writes (the state, the ZIP, its checksum, the requester)."""

    def _create(self, user, **vals):
        return self.assertAccepted(user, "qms.evidence.pack", "create",
                                   vals_list=[{"date_from": "2019-01-01", "date_to": "2019-12-31", **vals}])[0]

    def test_roles(self):
        Pack = self.env["qms.evidence.pack"]
        for user in (self.employee, self.sales, self.supervisor, self.production):
            self.assertRefused(user, "qms.evidence.pack", "create",
                               vals_list=[{"date_from": "2019-01-01", "date_to": "2019-12-31"}])
        own = self._create(self.quality)
        self._create(self.mgmt_rep)
        gm_pack = self._create(self.gm)
        pack = Pack.browse(own)
        self.assertEqual(pack.requester_id, self.quality)
        self.assertEqual(pack.state, "queued")
        attachment = self.env["ir.attachment"].create({"name": "forged.zip", "raw": b"PK"})
        # the server's fields, on create and on write, for the requester too
        for vals in ({"state": "done"}, {"zip_sha256": "0" * 64}, {"attachment_id": attachment.id},
                     {"requester_id": self.gm.id}, {"progress_done": 5}, {"error_message": "x"}):
            self.assertRefused(self.quality, "qms.evidence.pack", "create",
                               vals_list=[{"date_from": "2019-01-01", "date_to": "2019-12-31", **vals}])
            self.assertRefused(self.quality, "qms.evidence.pack", "write", ids=[own], vals=vals)
        self.assertEqual(pack.state, "queued")
        self.assertFalse(pack.zip_sha256)
        # the requester changes the period while it waits; another role does not
        self.assertAccepted(self.quality, "qms.evidence.pack", "write", ids=[own], vals={"date_to": "2019-06-30"})
        self.assertRefused(self.mgmt_rep, "qms.evidence.pack", "write", ids=[own], vals={"date_to": "2019-03-31"})
        self.assertRefused(self.sales, "qms.evidence.pack", "read", ids=[own], fields=["name"])
        self.assertAccepted(self.gm, "qms.evidence.pack", "read", ids=[own], fields=["name", "state"])
        # a copy is a new request of the one who copies, queued, without the ZIP
        copy = self.assertAccepted(self.gm, "qms.evidence.pack", "copy", ids=[own])[0]
        copy = Pack.browse(copy)
        self.assertEqual((copy.requester_id, copy.state), (self.gm, "queued"))
        # once made, nothing of it changes, not even the period
        pack.sudo().write({"state": "done"})
        self.assertRefused(self.quality, "qms.evidence.pack", "write", ids=[own], vals={"date_to": "2019-12-31"})
        # only the requester deletes
        self.assertRefused(self.quality, "qms.evidence.pack", "unlink", ids=[gm_pack])
        self.assertRefused(self.sales, "qms.evidence.pack", "unlink", ids=[own])
        self.assertAccepted(self.quality, "qms.evidence.pack", "unlink", ids=[own])
        self.assertFalse(pack.exists())

    def test_retry_over_json2(self):
        """Retry is the requester's, on a failed pack only; over /json/2 the button and the plain
        write of the state are refused to the other roles and in the other states."""
        own = self._create(self.quality)
        pack = self.env["qms.evidence.pack"].browse(own)
        # queued: nothing to retry
        self.assertRefused(self.quality, "qms.evidence.pack", "action_retry", ids=[own])
        pack.sudo().write({"state": "failed", "error_message": "engine down", "progress_total": 3})
        for user in (self.mgmt_rep, self.gm, self.sales, self.employee):
            self.assertRefused(user, "qms.evidence.pack", "action_retry", ids=[own])
            self.assertRefused(user, "qms.evidence.pack", "write", ids=[own], vals={"state": "queued"})
        # the requester cannot put it anywhere else, nor change the period of a started pack
        for state in ("running", "done"):
            self.assertRefused(self.quality, "qms.evidence.pack", "write", ids=[own], vals={"state": state})
        pack.sudo().write({"state": "queued"})
        self.assertRefused(self.quality, "qms.evidence.pack", "write", ids=[own], vals={"date_to": "2019-06-30"})
        pack.sudo().write({"state": "failed"})
        self.assertEqual(pack.state, "failed")
        self.assertAccepted(self.quality, "qms.evidence.pack", "action_retry", ids=[own])
        self.assertEqual((pack.state, pack.error_message), ("queued", False))
        # done: no retry
        pack.sudo().write({"state": "done"})
        self.assertRefused(self.quality, "qms.evidence.pack", "action_retry", ids=[own])
        self.assertRefused(self.quality, "qms.evidence.pack", "write", ids=[own], vals={"state": "queued"})
