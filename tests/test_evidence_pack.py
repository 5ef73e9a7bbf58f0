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
from odoo.exceptions import AccessError
from odoo.tests import tagged

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

    def test_resumes_after_a_kill(self):
        """The job keeps what it printed: a batch that dies leaves the earlier batches' parts, and the
        next run goes on from them."""
        pack = self._pack()
        with patch.object(self.env.cr, "commit"):
            self.env["qms.evidence.pack"]._cron_generate(batch_size=1)
        self.assertEqual(pack.state, "running")
        printed = pack._qms_parts().mapped("name")
        self.assertTrue(printed)
        with patch.object(type(pack), "_qms_render", side_effect=RuntimeError("killed")), \
                patch.object(self.env.cr, "commit"), \
                self.assertLogs("odoo.addons.qms_customer.models.qms_evidence_pack", "ERROR"):
            self.env["qms.evidence.pack"]._cron_generate(batch_size=1)
        self.assertEqual(pack.state, "failed")
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
