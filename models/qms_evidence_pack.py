import hashlib
import io
import json
import logging
import re
import zipfile
from datetime import date, datetime, time

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .ir_actions_report import self_contained_pdf
from .qms_workflow_mixin import Gate, Step

_logger = logging.getLogger(__name__)

QUALITY = "qms_customer.group_qms_quality"
MGMT_REP = "qms_customer.group_qms_management_representative"
GM = "qms_customer.group_qms_general_manager"
PACK_ROLES = (QUALITY, MGMT_REP, GM)

# The request is written while the pack waits in the queue; the rest is the server's.
GATES = {
    "request": Gate(("queued",), ("date_from", "date_to"), group=PACK_ROLES),
}

# A failed pack goes back to the queue, its printed parts kept; the requester takes the step (the
# record rule lets only the requester write a pack): the pack is made as them, in their language.
STEPS = {
    "retry": Step(("failed",), "queued", group=PACK_ROLES, clears=("error_message",), then="_qms_trigger"),
}

# What the job prints for each slip (issue 14.6): the printed slip, its 8D when it has a corrective
# action, and each corrective action's report; then the period's communication plans and visit records.
SLIP_REPORT = "qms_customer.action_report_qms_complaint"
EIGHT_D_REPORT = "qms_customer.action_report_qms_complaint_8d"
ACTION_REPORT = "qms_customer.action_report_qms_corrective_action"
PLAN_REPORT = "qms_customer.action_report_qms_communication_plan"
VISIT_REPORT = "qms_customer.action_report_qms_customer_visit"
INDEX_REPORT = "qms_customer.action_report_qms_evidence_pack_index"
# A part printed by the job and kept on the pack until the ZIP is built (resumable after a kill)
PART_PREFIX = "part:"
MANIFESTS = ("manifest.txt", "manifest.json")
SLIP_NUMBER = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")


def _file_name(number):
    """A document number as a file name: CS/2025/00001 → CS-2025-00001."""
    return re.sub(r"[^\w.-]+", "-", number or "").strip("-") or "unnumbered"


class QmsEvidencePack(models.Model):
    """The auditor's evidence pack (审核证据包, issue 14.6): for a company and a period, one ZIP with
    the index of every slip, each slip's printed form and 8D, each corrective action report, the
    yearly reports' frozen PDFs, the communication plans and visit records, and a manifest with the
    SHA-256 of every file.

    Requested by Quality, the Management Representative or the General Manager; built by the
    scheduled action ``ir_cron_qms_evidence_pack`` in batches of slips (``ir.cron`` progress), as
    the requester reads the records and in the requester's language. Everything but the request
    (company and period) is written by the server only."""

    _name = "qms.evidence.pack"
    _description = "Evidence Pack"
    _inherit = ["mail.thread", "qms.workflow.mixin"]
    _order = "id desc"

    _qms_gates = GATES
    _qms_steps = STEPS
    _qms_server_fields = ("state", "requester_id", "progress_done", "progress_total", "attachment_id",
                          "zip_sha256", "error_message", "date_done", "file_count", "part_ids")
    _qms_fixed_fields = ("company_id",)

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    date_from = fields.Date(string="From", required=True, default=lambda self: date(date.today().year - 1, 1, 1))
    date_to = fields.Date(string="To", required=True, default=lambda self: date(date.today().year - 1, 12, 31))
    requester_id = fields.Many2one("res.users", string="Requested By", readonly=True, copy=False, index=True,
                                   default=lambda self: self.env.user)
    state = fields.Selection([
        ("queued", "Queued"),
        ("running", "Running"),
        ("done", "Done"),
        ("failed", "Failed"),
    ], default="queued", required=True, readonly=True, copy=False, tracking=True, index=True)
    progress_done = fields.Integer(string="Done", readonly=True, copy=False)
    progress_total = fields.Integer(string="Total", readonly=True, copy=False)
    progress = fields.Float(compute="_compute_progress", string="Progress (%)")
    attachment_id = fields.Many2one("ir.attachment", string="ZIP File", readonly=True, copy=False)
    zip_sha256 = fields.Char(string="SHA-256 of the ZIP", readonly=True, copy=False)
    file_count = fields.Integer(string="Files", readonly=True, copy=False)
    date_done = fields.Datetime(string="Ready On", readonly=True, copy=False)
    error_message = fields.Text(string="Error", readonly=True, copy=False)
    # the PDFs the job printed and keeps until the ZIP is built: listed by the job itself, since a file
    # named like a part can reach the pack otherwise (a follower's message moves its files there)
    part_ids = fields.Many2many("ir.attachment", "qms_evidence_pack_part_rel", "pack_id", "attachment_id",
                                string="Printed Parts", readonly=True, copy=False)
    can_edit_request = fields.Boolean(compute="_compute_can_edit_gates")
    can_download = fields.Boolean(compute="_compute_can_download")
    can_retry = fields.Boolean(compute="_compute_can_steps")

    _period_valid = models.Constraint("CHECK(date_from <= date_to)", "The period must end after it starts.")

    @api.depends("date_from", "date_to")
    def _compute_name(self):
        for pack in self:
            pack.name = self.env._("Evidence Pack %(from)s to %(to)s", **{"from": pack.date_from, "to": pack.date_to})

    @api.depends("progress_done", "progress_total")
    def _compute_progress(self):
        for pack in self:
            pack.progress = 100.0 * pack.progress_done / pack.progress_total if pack.progress_total else 0.0

    @api.depends("state", "attachment_id")
    def _compute_can_download(self):
        for pack in self:
            pack.can_download = pack.state == "done" and bool(pack.attachment_id)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for pack in self:
            if (pack.date_to - pack.date_from).days > 3660:
                raise ValidationError(self.env._("An evidence pack covers ten years at most."))

    # --- request -----------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        packs = super().create(vals_list)
        for pack in packs:
            pack.message_subscribe(partner_ids=pack.requester_id.partner_id.ids)
        self._qms_trigger()
        return packs

    @api.ondelete(at_uninstall=False)
    def _unlink_except_running(self):
        if any(pack.state == "running" for pack in self):
            raise UserError(self.env._("An evidence pack is deleted once its job has finished or failed."))

    def unlink(self):
        # the parts and the ZIP go with the pack
        files = self.env["ir.attachment"].sudo().search([("res_model", "=", self._name), ("res_id", "in", self.ids)])
        result = super().unlink()
        files.exists().unlink()  # a message's files went with the message
        return result

    def _qms_trigger(self):
        cron = self.env.ref("qms_customer.ir_cron_qms_evidence_pack", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    def action_download(self):
        self.ensure_one()
        if not self.can_download:
            raise UserError(self.env._("The evidence pack is not ready yet."))
        return {"type": "ir.actions.act_url", "target": "self",
                "url": f"/web/content/{self.attachment_id.id}?download=true"}

    # --- retry (a failed pack) ---------------------------------------------------------------------
    @api.depends_context("uid")
    def _compute_can_steps(self):
        super()._compute_can_steps()
        for pack in self:  # the record rule lets the requester only write the pack
            pack.can_retry = pack.can_retry and pack.requester_id == self.env.user

    def _qms_closed_reason(self):
        # a pack the job has started keeps its period: the parts printed for it are kept on a retry
        if self.progress_total:
            return self.env._("%s has been started: its period stays as printed (copy it for another period).",
                              self.display_name)
        return super()._qms_closed_reason()

    def action_retry(self):
        """Put a failed pack back in the queue: the job goes on from the parts it printed."""
        return self._qms_take("retry")

    # --- what goes into the pack ---------------------------------------------------------------
    def _qms_bounds(self):
        """The period as stored datetimes (UTC): from the first to the last day, inclusive."""
        self.ensure_one()
        return datetime.combine(self.date_from, time.min), datetime.combine(self.date_to, time.max)

    def _qms_slips(self):
        """The company's slips received in the period, in number order, as the requester reads them."""
        start, end = self._qms_bounds()
        return self.env["qms.complaint"].search([
            ("company_id", "=", self.company_id.id), ("received_date", ">=", start), ("received_date", "<=", end),
        ], order="name, id")

    def _qms_other_documents(self):
        """[(member, report, record)] of the period's communication plans and customer visit records."""
        start, end = self._qms_bounds()
        plans = self.env["qms.communication.plan"].search([
            ("company_id", "=", self.company_id.id),
            ("year", ">=", self.date_from.year), ("year", "<=", self.date_to.year)], order="year, id")
        visits = self.env["qms.customer.visit"].search([
            ("company_id", "=", self.company_id.id), ("date_start", ">=", start), ("date_start", "<=", end),
        ], order="date_start, id")
        return ([(f"communication_plans/{plan.year}-{plan.id}.pdf", PLAN_REPORT, plan) for plan in plans]
                + [(f"customer_visits/{_file_name(visit.name)}.pdf", VISIT_REPORT, visit) for visit in visits])

    @api.model
    def _qms_slip_members(self, slip, printed=None):
        """[(member, report, record)] printed for one slip: the slip, its 8D when a corrective action
        serves it (its own or another slip's), and the report of each of those actions not in
        ``printed`` (a set of actions, updated: an action serving several slips is printed once)."""
        number = _file_name(slip.name)
        members = [(f"slips/{number}.pdf", SLIP_REPORT, slip)]
        actions = slip._qms_all_actions()
        if actions:
            members.append((f"8d/{number}.pdf", EIGHT_D_REPORT, slip))
        printed = set() if printed is None else printed
        for action in actions.sorted("id"):
            if action not in printed:
                printed.add(action)
                members.append((f"corrective_actions/{_file_name(action.name)}.pdf", ACTION_REPORT, action))
        return members

    def _qms_annual_members(self):
        """[(member, attachment)]: the frozen PDFs of the yearly reports of the period's years, in the
        requester's language where one was frozen in it."""
        reports = self.env["qms.annual.report"].search([
            ("company_id", "=", self.company_id.id), ("state", "!=", "draft"),
            ("year", ">=", self.date_from.year), ("year", "<=", self.date_to.year)], order="year, kind, id")
        members = []
        for report in reports:
            copy = report._qms_printed_copy()
            if copy:
                members.append((f"annual_reports/{_file_name(copy.sudo().name[:-4])}.pdf", copy))
        return members

    def _qms_gaps(self, slips):
        """Numbers never given to a slip of the company, in the ranges of the period's years and of the
        years its slips were numbered in: between the first number of each range and the last one
        the sequence handed out, those no slip carries."""
        self.ensure_one()
        sequence = self.company_id.sudo()._qms_complaint_sequence()
        years = range(self.date_from.year, self.date_to.year + 1)
        ranges = self.env["ir.sequence.date_range"].sudo().search([("sequence_id", "=", sequence.id)])
        taken = {}
        numbers = self.env["qms.complaint"].sudo().search_fetch(
            [("company_id", "=", self.company_id.id), ("name", "!=", "/")], ["name"])
        for name in numbers.mapped("name"):
            match = SLIP_NUMBER.match(name)
            if match:
                taken.setdefault(match["prefix"], set()).add(int(match["number"]))
        # a slip is numbered in the year it was recorded, which may follow the year it was received
        prefixes = {match["prefix"] for match in map(SLIP_NUMBER.match, slips.mapped("name")) if match}
        gaps = []
        for year_range in ranges.sorted("date_from"):
            seq = sequence.with_context(ir_sequence_date=year_range.date_from,
                                        ir_sequence_date_range=year_range.date_from)
            prefix = SLIP_NUMBER.match(seq.get_next_char(1))["prefix"]
            if year_range.date_from.year not in years and prefix not in prefixes:
                continue
            last = year_range.number_next_actual - sequence.number_increment
            gaps += [seq.get_next_char(number) for number in range(1, last + 1)
                     if number not in taken.get(prefix, ())]
        return gaps

    def _qms_index_values(self):
        """What the index prints, prepared here (the template only loops)."""
        self.ensure_one()
        slips = self._qms_slips()
        return {"slips": slips, "gaps": self._qms_gaps(slips)}

    # --- the job -------------------------------------------------------------------------------
    def _qms_as_requester(self):
        """The pack as its requester reads the records, in the requester's language and the pack's company."""
        requester = self.requester_id
        return self.with_user(requester).with_company(self.company_id).with_context(
            lang=requester.lang or "en_US", tz=requester.tz or "UTC",
            allowed_company_ids=[self.company_id.id], force_report_rendering=True,
            report_pdf_no_attachment=True)

    def _qms_parts(self):
        """The parts the job printed for this pack (those it listed, whatever else is attached)."""
        return self.sudo().part_ids.sorted("id")

    def _qms_pending_units(self):
        """([[(member, report, record)]], count of all units): the slips, plans and visits not
        printed yet, one unit each, and how many units the pack has in all."""
        pack = self._qms_as_requester()
        done = {name[len(PART_PREFIX):] for name in self._qms_parts().mapped("name")}
        slips = pack._qms_slips()
        # prefetch the actions of every slip at once, their own and those serving them
        (slips.corrective_action_ids | slips.served_action_ids).mapped("name")
        printed = set()
        units = [self._qms_slip_members(slip, printed) for slip in slips]
        units += [[member] for member in pack._qms_other_documents()]
        pending = [unit for unit in units if not all(member in done for member, _report, _record in unit)]
        return pending, len(units)

    def _qms_run_batch(self, batch_size):
        """Print the next ``batch_size`` units of this pack and keep them as parts; the last call
        builds the index and the ZIP. Returns the units processed."""
        self.ensure_one()
        pending, total = self._qms_pending_units()
        if self.state == "queued":  # a retried pack counts the parts it kept as done
            self.sudo().write({"state": "running", "progress_total": total + 1,
                               "progress_done": total - len(pending), "error_message": False})
        if not pending:
            self._qms_build_zip()
            return 1
        batch = pending[:batch_size]
        self._qms_print_parts([member for unit in batch for member in unit])
        self.sudo().write({"progress_done": self.progress_total - len(pending) + len(batch) - 1})
        return len(batch)

    def _qms_render(self, report, records):
        """{record id: PDF bytes} of ``report`` for ``records``: one rendering for the batch, split per
        record by the report engine."""
        pack = self._qms_as_requester()
        Report = pack.env["ir.actions.report"]
        report = pack.env.ref(report).sudo()  # the action once, not once per record by its XML id
        with self_contained_pdf():
            streams = Report._render_qweb_pdf_prepare_streams(report, {}, res_ids=records.ids)
        result = {}
        for record in records:
            stream = streams.get(record.id, {}).get("stream")
            if stream is None:  # the engine could not split the batch: print this one alone
                with self_contained_pdf():
                    alone = Report._render_qweb_pdf_prepare_streams(report, {}, res_ids=record.ids)
                stream = alone[record.id]["stream"]
            result[record.id] = stream.getvalue()
        return result

    def _qms_print_parts(self, members):
        by_report = {}
        for member, report, record in members:
            by_report.setdefault(report, []).append((member, record))
        vals_list = []
        for report, items in by_report.items():
            records = items[0][1].browse([record.id for _member, record in items])
            contents = self._qms_render(report, records)
            vals_list += [{"name": f"{PART_PREFIX}{member}", "raw": contents[record.id], "res_model": self._name,
                           "res_id": self.id, "mimetype": "application/pdf"} for member, record in items]
        self.sudo().part_ids |= self.env["ir.attachment"].sudo().create(vals_list)

    def _qms_build_zip(self):
        """The index, the parts and the frozen yearly reports in one ZIP with its manifests; the parts
        are then dropped (the ZIP keeps them)."""
        self.ensure_one()
        pack = self._qms_as_requester()
        with self_contained_pdf():
            index, _type = pack.env["ir.actions.report"]._render_qweb_pdf(INDEX_REPORT, self.ids)
        parts = self._qms_parts()
        entries = []
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            def add(member, content):
                archive.writestr(member, content)
                entries.append({"name": member, "size": len(content),
                                "sha256": hashlib.sha256(content).hexdigest()})
            add("index.pdf", index)
            for part in parts:
                add(part.name[len(PART_PREFIX):], part.raw)
                part.invalidate_recordset(["raw"])  # one PDF in memory at a time
            for member, attachment in pack._qms_annual_members():
                add(member, attachment.sudo().raw)
            manifest = {"company": self.company_id.name, "date_from": str(self.date_from),
                        "date_to": str(self.date_to), "files": entries}
            text = "".join(f"{entry['sha256']}  {entry['size']:>10}  {entry['name']}\n" for entry in entries)
            archive.writestr("manifest.txt", text.encode())
            archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False).encode())
        content = buffer.getvalue()
        attachment = self.env["ir.attachment"].sudo().create({
            "name": f"evidence-pack-{_file_name(self.company_id.name)}-{self.date_from}-{self.date_to}.zip",
            "raw": content, "res_model": self._name, "res_id": self.id, "mimetype": "application/zip"})
        parts.unlink()
        self.sudo().write({"state": "done", "attachment_id": attachment.id,
                           "zip_sha256": hashlib.sha256(content).hexdigest(), "file_count": len(entries) + 2,
                           "progress_done": self.progress_total, "date_done": fields.Datetime.now()})
        self._qms_notify(self.env._("The evidence pack is ready: %(files)s files, SHA-256 %(sha)s.",
                                    files=len(entries) + 2, sha=self.zip_sha256), "success")

    def _qms_fail(self, error):
        self.sudo().write({"state": "failed", "error_message": error})
        self._qms_notify(self.env._("The evidence pack could not be made: %s", error), "danger")

    def _qms_notify(self, message, kind):
        """The requester hears of it as core tells a user: a message on the pack to the requester's
        inbox (or e-mail, as the user chose), and a notification in the open web client."""
        requester = self.requester_id
        pack = self.with_context(lang=requester.lang or "en_US")
        pack.sudo().message_post(body=message, partner_ids=requester.partner_id.ids,
                                 message_type="comment", subtype_xmlid="mail.mt_comment")
        requester._bus_send("simple_notification", {"type": kind, "title": pack.name, "message": message})

    @api.model
    def _cron_generate(self, batch_size=20):
        """The scheduled action: the next batch of the oldest pack waiting, its progress committed
        (ir.cron progress), so that a worker is never held for minutes and a killed job resumes
        where it stopped (the printed parts stay on the pack)."""
        domain = [("state", "in", ("queued", "running"))]
        packs = self.sudo().search(domain, order="id")
        pack = packs[:1].try_lock_for_update()
        if not pack:
            return
        processed = 0
        try:
            with self.env.cr.savepoint():
                processed = pack._qms_run_batch(batch_size)
        except Exception as error:  # whatever went wrong, the requester is told
            _logger.exception("Evidence pack %s failed", pack.id)
            self.env.invalidate_all()
            pack._qms_fail(str(error.args[0]) if getattr(error, "args", None) else repr(error))
            processed = 1
        remaining = max(pack.progress_total - pack.progress_done, 0) if pack.state == "running" else 0
        remaining += len(packs) - 1
        self.env["ir.cron"]._commit_progress(processed, remaining=remaining)
        if remaining:
            self._qms_trigger()
