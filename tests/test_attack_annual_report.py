import base64
import hashlib
import json

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import QmsHttpCommon, migration

FORGED = b"%PDF-1.4 forged figures"
QMS_GROUPS = ",".join(f"qms_customer.group_qms_{group}" for group in (
    "sales", "sales_supervisor", "quality", "management_representative", "general_manager"))
# the report's frozen copies and where their SHA-256 is kept
COPIES = (("submitted_pdf_id", "submitted_pdf_sha256"), ("signed_pdf_id", "signed_pdf_sha256"),
          ("presented_pdf_id", "presented_pdf_sha256"))


def sha256(data):
    return hashlib.sha256(data).hexdigest()


@tagged("post_install", "-at_install")
class TestAttackAnnualReport(QmsHttpCommon):
    """Issue #11, "frozen is real": the PDFs kept by a yearly report once submitted (the
    submitted, signed and presented copies) cannot be rewritten, renamed, moved, deleted or
    replaced over /json/2 by the report's own signers, nor by an administrator, while the report
    exists; their SHA-256 is kept with the report and checked."""

    YEAR = 2031  # far from the demo reports

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(cls.env, login="t_qms_admin", name="Qms Admin",
                                  groups=f"base.group_user,base.group_system,{QMS_GROUPS}")
        cls.complaint_report = cls._presented(
            "complaint", cls.supervisor, [(cls.supervisor, "action_sign_supervisor"),
                                          (cls.quality, "action_sign_quality")], cls.quality)
        cls.satisfaction_report = cls._presented(
            "satisfaction", cls.mgmt_rep, [(cls.mgmt_rep, "action_sign_mgmt_rep")], cls.mgmt_rep)
        Report = cls.env["qms.annual.report"]
        cls.drafts = {
            "complaint": Report.with_user(cls.supervisor).create({"kind": "complaint", "year": cls.YEAR + 1}),
            "satisfaction": Report.with_user(cls.mgmt_rep).create({"kind": "satisfaction", "year": cls.YEAR + 1}),
        }
        # the files kept on freezing (the only files of these reports so far), oldest first
        Attachment = cls.env["ir.attachment"]
        cls.frozen = {report.id: Attachment.search([("res_model", "=", report._name), ("res_id", "=", report.id)],
                                                   order="id")
                      for report in (cls.complaint_report, cls.satisfaction_report)}
        # each attacker and the frozen report its role may write
        cls.attackers = [
            (cls.supervisor, cls.complaint_report), (cls.quality, cls.complaint_report),
            (cls.mgmt_rep, cls.satisfaction_report),
            (cls.admin, cls.complaint_report), (cls.admin, cls.satisfaction_report),
        ]

    @classmethod
    def _presented(cls, kind, author, signatures, presenter):
        report = cls.env["qms.annual.report"].with_user(author).create(
            {"kind": kind, "year": cls.YEAR, "tz": "UTC"})
        report.action_submit()
        for user, method in signatures:
            getattr(report.with_user(user), method)()
        report.with_user(presenter).write({"review_date": f"{cls.YEAR + 1}-02-01"})
        report.with_user(presenter).action_present()
        return report.with_user(cls.env.user)

    def _copies(self, report):
        copies = self.frozen[report.id]
        self.assertEqual(len(copies), 3, f"{report.name} keeps its submitted, signed and presented copies")
        return copies

    def _snapshot(self, report):
        """What must not change: each copy's bytes, name and owner, and the copy printed."""
        self.env.invalidate_all()
        return ([(a.id, a.name, a.res_model, a.res_id, a.mimetype, a.type, sha256(a.raw))
                 for a in self._copies(report).sudo().exists()], report.pdf_attachment_id.id)

    def assertIntact(self, report, before):
        self.assertEqual(self._snapshot(report), before)

    # --- the files themselves ------------------------------------------------------------------
    def test_frozen_copies_cannot_be_rewritten_renamed_or_moved(self):
        for user, report in self.attackers:
            before = self._snapshot(report)
            draft = self.drafts[report.kind]
            for attachment in self._copies(report):
                for vals in (
                    {"datas": base64.b64encode(FORGED).decode()},
                    {"raw": FORGED.decode()},
                    {"name": "forged.pdf"},
                    {"res_id": draft.id},
                    {"res_model": "res.users", "res_id": user.id},
                    {"mimetype": "application/octet-stream"},
                    {"type": "url", "url": "https://example.com/forged.pdf"},
                    {"public": True}, {"description": "superseded"},
                ):
                    with self.subTest(user=user.login, report=report.kind, copy=attachment.name, vals=list(vals)):
                        self.assertRefused(user, "ir.attachment", "write", ids=attachment.ids, vals=vals)
            self.assertIntact(report, before)

    def test_frozen_copies_cannot_be_deleted(self):
        for user, report in self.attackers:
            before = self._snapshot(report)
            copies = self._copies(report)
            for attachment in copies:
                with self.subTest(user=user.login, report=report.kind, copy=attachment.name):
                    self.assertRefused(user, "ir.attachment", "unlink", ids=attachment.ids)
            with self.subTest(user=user.login, report=report.kind, copy="all at once"):
                self.assertRefused(user, "ir.attachment", "unlink", ids=[a.id for a in copies])
            self.assertIntact(report, before)

    def test_no_new_file_replaces_a_frozen_copy(self):
        """A file posted on the report under a frozen copy's name would be what printing the
        report returns (Odoo looks the printed copy up by name): refused, and printing returns
        the copy the report points to whatever files the report carries."""
        for user, report in self.attackers:
            before = self._snapshot(report)
            for attachment in self._copies(report):
                vals = {"name": attachment.name, "res_model": report._name, "res_id": report.id,
                        "datas": base64.b64encode(FORGED).decode(), "mimetype": "application/pdf"}
                with self.subTest(user=user.login, report=report.kind, copy=attachment.name):
                    self.assertRefused(user, "ir.attachment", "create", vals_list=[vals])
                    self.assertRefused(user, "ir.attachment", "copy", ids=attachment.ids)
                    # nor by renaming a file of the report to the frozen copy's name
                    other = self.assertAccepted(user, "ir.attachment", "create", vals_list=[
                        dict(vals, name="minutes of the review.pdf")])
                    self.assertRefused(user, "ir.attachment", "write", ids=other, vals={"name": attachment.name})
            self.assertIntact(report, before)
        # a file that carries the printed copy's name all the same (attached before the copy was
        # frozen, or renamed in the database): printing still returns the frozen copy
        report = self.complaint_report
        forged = self.env["ir.attachment"].create({"name": "forged.pdf", "res_model": report._name,
                                                   "res_id": report.id, "raw": FORGED})
        self.env.flush_all()
        self.env.cr.execute("UPDATE ir_attachment SET name = %s WHERE id = %s",
                            [report.pdf_attachment_id.name, forged.id])
        self.env.invalidate_all()
        printed, _kind = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            "qms_customer.action_report_qms_annual_report", report.ids)
        self.assertEqual(sha256(printed), sha256(self.frozen[report.id][-1].raw))

    # --- the report's links to its files -------------------------------------------------------
    def test_report_keeps_its_links_to_the_frozen_copies(self):
        for user, report in self.attackers:
            before = self._snapshot(report)
            forged = self.assertAccepted(user, "ir.attachment", "create", vals_list=[{
                "name": "another copy.pdf", "res_model": report._name, "res_id": report.id,
                "datas": base64.b64encode(FORGED).decode(), "mimetype": "application/pdf"}])
            for field in ("pdf_attachment_id", *(f for f, _sha in COPIES)):
                with self.subTest(user=user.login, report=report.kind, field=field):
                    self.assertRefused(user, report._name, "write", ids=report.ids, vals={field: forged[0]})
            for _field, sha_field in COPIES:
                with self.subTest(user=user.login, report=report.kind, field=sha_field):
                    self.assertRefused(user, report._name, "write", ids=report.ids,
                                       vals={sha_field: sha256(FORGED)})
            with self.subTest(user=user.login, report=report.kind, method="copy"):
                self.assertRefused(user, report._name, "copy", ids=report.ids)
                self.assertRefused(user, report._name, "copy", ids=report.ids, default={
                    "year": self.YEAR + 5, "state": report.state,
                    "pdf_attachment_id": report.pdf_attachment_id.id,
                    "presented_pdf_id": report.presented_pdf_id.id,
                })
            self.assertIntact(report, before)

    def test_administrator_cannot_bend_them_either(self):
        """Not through sudo() inside a server action or a script either: the rule is on the
        file, whoever writes it."""
        report = self.complaint_report
        before = self._snapshot(report)
        attachment = report.submitted_pdf_id.sudo()
        for vals in ({"raw": FORGED}, {"name": "forged.pdf"}, {"res_id": self.drafts["complaint"].id}):
            with self.subTest(vals=list(vals)), self.assertRaises(UserError) as caught, self.env.cr.savepoint():
                attachment.write(vals)
            self.assertIn("frozen", str(caught.exception))
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            attachment.unlink()
        self.assertIn("frozen", str(caught.exception))
        # moving the files to another storage rewrites the same bytes: allowed
        attachment.write({"raw": attachment.raw, "mimetype": attachment.mimetype, "name": attachment.name})
        self.assertIntact(report, before)

    # --- the SHA-256 and the integrity check ----------------------------------------------------
    def test_sha256_kept_shown_and_checked(self):
        report = self.complaint_report
        self.assertEqual([report[field] for field, _sha in COPIES], list(self._copies(report)))
        self.assertEqual(report.pdf_attachment_id, report.presented_pdf_id)
        for field, sha_field in COPIES:
            self.assertEqual(report[sha_field], sha256(report[field].raw))
            self.assertEqual(len(report[sha_field]), 64)
        # on the form, read-only
        arch = self.env["qms.annual.report"].get_views([(False, "form")])["views"]["form"]["arch"]
        for _field, sha_field in COPIES:
            self.assertIn(f'name="{sha_field}"', arch)
            self.assertTrue(report._fields[sha_field].readonly)
        self.assertEqual(report._qms_frozen_pdf_problems(), [])
        # a file swapped behind the ORM's back (another file's bytes in its place) is reported
        other = self.satisfaction_report.submitted_pdf_id
        self.env.flush_all()
        self.env.cr.execute("UPDATE ir_attachment SET store_fname = %s, db_datas = %s WHERE id = %s",
                            [other.store_fname, other.db_datas or None, report.signed_pdf_id.id])
        self.env.invalidate_all()
        [(problem, names)] = report._qms_frozen_pdf_problems()
        self.assertIn("SHA-256", problem)
        self.assertEqual(names, [f"{report.name}: {report.signed_pdf_id.name}"])

    def test_copy_frozen_before_the_hash_was_kept(self):
        """A report frozen before 19.0.1.2.0 has only its last copy, without hash: the migration
        records it, and the check names a copy it cannot hash."""
        report = self.satisfaction_report
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE qms_annual_report SET submitted_pdf_id = NULL, signed_pdf_id = NULL, presented_pdf_id = NULL, "
            "submitted_pdf_sha256 = NULL, signed_pdf_sha256 = NULL, presented_pdf_sha256 = NULL WHERE id = %s",
            report.ids)
        self.env.invalidate_all()
        [(problem, names)] = report._qms_frozen_pdf_problems()
        self.assertIn("without a SHA-256", problem)
        self.assertEqual(names, [f"{report.name}: {report.pdf_attachment_id.name}"])
        migrate = migration("19.0.1.2.0")
        migrate(self.env.cr, "19.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual(report.presented_pdf_id, report.pdf_attachment_id)
        self.assertEqual(report.presented_pdf_sha256, sha256(report.pdf_attachment_id.raw))
        self.assertFalse(report.submitted_pdf_id)
        self.assertEqual(report._qms_frozen_pdf_problems(), [])
        # a copy whose file cannot be read when the migration runs keeps no hash: the check says so
        self.env.cr.execute("UPDATE qms_annual_report SET presented_pdf_sha256 = NULL WHERE id = %s", report.ids)
        self.env.invalidate_all()
        [(problem, names)] = report._qms_frozen_pdf_problems()
        self.assertIn("without a SHA-256", problem)
        self.assertEqual(names, [f"{report.name}: {report.presented_pdf_id.name}"])

    # --- what stays possible --------------------------------------------------------------------
    def test_draft_and_chatter_files_behave_as_before(self):
        for user, report in self.attackers:
            for target in (self.drafts[report.kind], report):
                with self.subTest(user=user.login, report=target.display_name):
                    [attachment] = self.assertAccepted(user, "ir.attachment", "create", vals_list=[{
                        "name": "photo of the review.pdf", "res_model": target._name, "res_id": target.id,
                        "datas": base64.b64encode(b"%PDF minutes").decode()}])
                    self.assertAccepted(user, "ir.attachment", "write", ids=[attachment], vals={
                        "name": "minutes.pdf", "datas": base64.b64encode(b"%PDF minutes v2").decode()})
                    self.assertAccepted(user, "ir.attachment", "unlink", ids=[attachment])
            # a note with a file in the frozen report's chatter
            [attachment] = self.assertAccepted(user, "ir.attachment", "create", vals_list=[{
                "name": "minutes.pdf", "res_model": "mail.compose.message", "res_id": 0,
                "datas": base64.b64encode(b"%PDF minutes").decode()}])
            self.assertAccepted(user, report._name, "message_post", ids=report.ids, body="See the minutes",
                                message_type="comment", subtype_xmlid="mail.mt_note", attachment_ids=[attachment])
            self.assertEqual(self.env["ir.attachment"].browse(attachment).res_id, report.id)


@tagged("post_install", "-at_install")
class TestAttackTranslatedCopies(QmsHttpCommon):
    """The copies a yearly report freezes in the other active languages (translated_pdf_ids, their
    SHA-256 in translated_pdf_json, their figures in translated_figures_json) are frozen like the
    English ones: no role, the administrator included, replaces, deletes, re-points or forges them,
    printing in Chinese returns the Chinese copy the report froze, and the integrity check names
    a tampered one."""

    YEAR = 2033

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.admin = new_test_user(cls.env, login="t_qms_admin_zh", name="Qms Admin Zh",
                                  groups=f"base.group_user,base.group_system,{QMS_GROUPS}")
        cls.report = TestAttackAnnualReport._presented.__func__(
            cls, "complaint", cls.supervisor, [(cls.supervisor, "action_sign_supervisor"),
                                               (cls.quality, "action_sign_quality")], cls.quality)
        cls.draft = cls.env["qms.annual.report"].with_user(cls.supervisor).create(
            {"kind": "complaint", "year": cls.YEAR + 1})

    def _state(self):
        self.env.invalidate_all()
        report = self.report.sudo()
        return ([(a.id, a.name, a.res_model, a.res_id, sha256(a.raw)) for a in report.translated_pdf_ids],
                report.translated_pdf_json, report.translated_figures_json)

    def test_translated_copies_are_frozen(self):
        report = self.report
        chinese = report.translated_pdf_ids
        self.assertEqual(len(chinese), 3, "a Chinese copy of the submitted, signed and presented copies")
        before = self._state()
        forged = self.env["ir.attachment"].create({"name": "forged.pdf", "res_model": report._name,
                                                   "res_id": report.id, "raw": FORGED})
        forged_data = {str(forged.id): {"lang": "zh_CN", "copy_of": report.pdf_attachment_id.id,
                                        "sha256": sha256(FORGED)}}
        for user in (self.supervisor, self.quality, self.admin):
            for attachment in chinese:
                for vals in ({"datas": base64.b64encode(FORGED).decode()}, {"name": "forged.pdf"},
                             {"res_id": self.draft.id}, {"res_model": "res.users", "res_id": user.id}):
                    with self.subTest(user=user.login, copy=attachment.name, vals=list(vals)):
                        self.assertRefused(user, "ir.attachment", "write", ids=attachment.ids, vals=vals)
                with self.subTest(user=user.login, copy=attachment.name, method="unlink/create/copy"):
                    self.assertRefused(user, "ir.attachment", "unlink", ids=attachment.ids)
                    self.assertRefused(user, "ir.attachment", "copy", ids=attachment.ids)
                    self.assertRefused(user, "ir.attachment", "create", vals_list=[{
                        "name": attachment.name, "res_model": report._name, "res_id": report.id,
                        "raw": "forged", "mimetype": "application/pdf"}])
            for vals in ({"translated_pdf_ids": [(6, 0, [forged.id])]}, {"translated_pdf_ids": [(4, forged.id)]},
                         {"translated_pdf_ids": [(3, chinese[0].id)]}, {"translated_pdf_ids": [(5, 0, 0)]},
                         {"translated_pdf_json": json.dumps(forged_data)}, {"translated_pdf_json": False},
                         {"translated_figures_json": json.dumps({"zh_CN": {"total": 999}})}):
                with self.subTest(user=user.login, vals=list(vals)):
                    self.assertRefused(user, report._name, "write", ids=report.ids, vals=vals)
                    if any(vals.values()) and vals != {"translated_pdf_ids": [(5, 0, 0)]}:
                        self.assertRefused(user, report._name, "copy", ids=report.ids,
                                           default=dict(vals, year=self.YEAR + 7))
            with self.subTest(user=user.login, method="load"):
                ok, result = self.json2(user, report._name, "load", fields=[".id", "translated_pdf_json"],
                                        data=[[str(report.id), json.dumps(forged_data)]])
                self.assertFalse(ok and not result.get("messages"), result)
        self.assertEqual(self._state(), before)
        # printing in Chinese returns the Chinese copy of the last frozen copy, never another file
        self.env.flush_all()
        self.env.cr.execute("UPDATE ir_attachment SET name = %s WHERE id = %s",
                            [report.with_context(lang="zh_CN")._qms_printed_copy().name, forged.id])
        self.env.invalidate_all()
        printed_copy = report.with_context(lang="zh_CN")._qms_printed_copy()
        self.assertIn(printed_copy, chinese)
        self.assertEqual(json.loads(report.translated_pdf_json)[str(printed_copy.id)]["copy_of"],
                         report.pdf_attachment_id.id)
        printed, _kind = self.env["ir.actions.report"].with_context(
            force_report_rendering=True, lang="zh_CN")._render_qweb_pdf(
            "qms_customer.action_report_qms_annual_report", report.ids)
        self.assertEqual(sha256(printed), sha256(printed_copy.raw))

    def test_integrity_check_covers_translated_copies(self):
        report = self.report
        self.assertEqual(report._qms_frozen_pdf_problems(), [])
        chinese = report.translated_pdf_ids.sorted("id")
        # bytes swapped behind the ORM's back
        self.env.flush_all()
        self.env.cr.execute("UPDATE ir_attachment SET store_fname = %s, db_datas = %s WHERE id = %s",
                            [report.submitted_pdf_id.store_fname, report.submitted_pdf_id.db_datas or None,
                             chinese[0].id])
        self.env.invalidate_all()
        [(problem, names)] = report._qms_frozen_pdf_problems()
        self.assertIn("SHA-256", problem)
        self.assertEqual(names, [f"{report.name}: {chinese[0].name}"])
        # a copy dropped from the report's list (the relation row deleted in SQL) is named
        self.env.cr.execute("DELETE FROM qms_annual_report_translated_pdf_rel WHERE attachment_id = %s",
                            [chinese[1].id])
        self.env.invalidate_all()
        problems = dict(report._qms_frozen_pdf_problems())
        self.assertIn(f"{report.name}: {chinese[1].name}", [name for names in problems.values() for name in names])
        # a copy whose record says it translates a file the report never froze
        data = json.loads(report.translated_pdf_json)
        data[str(chinese[2].id)]["copy_of"] = chinese[0].id
        self.env.cr.execute("UPDATE qms_annual_report SET translated_pdf_json = %s WHERE id = %s",
                            [json.dumps(data), report.id])
        self.env.invalidate_all()
        problems = dict(report._qms_frozen_pdf_problems())
        self.assertIn(f"{report.name}: {chinese[2].name}", [name for names in problems.values() for name in names])
