import hashlib
import json
from datetime import date, datetime

import pytz
from markupsafe import Markup, escape

from odoo import SUPERUSER_ID, api, fields, models
from odoo.addons.base.models.res_partner import _tz_get
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from .ir_actions_report import self_contained_pdf
from .qms_complaint import CLOCKS as CLOCK_KINDS
from .qms_input_guard import check_input
from .qms_workflow_mixin import Gate, Step

# Who signs which kind of report (clause 4.3.3 and 4.4.3): the signature fields and the role
# each one needs.
SIGNATURES = {
    "complaint": (
        ("supervisor_sign", "qms_customer.group_qms_sales_supervisor"),
        ("quality_sign", "qms_customer.group_qms_quality"),
    ),
    "satisfaction": (
        ("mgmt_rep_sign", "qms_customer.group_qms_management_representative"),
    ),
}
SUPERVISOR = "qms_customer.group_qms_sales_supervisor"
QUALITY = "qms_customer.group_qms_quality"
MGMT_REP = "qms_customer.group_qms_management_representative"
# Clauses 4.3.3 and 4.4.3, the transition table of a yearly report: submitted (figures and PDF
# frozen) by an author, signed by each signing role of its kind, approved once every signature is
# there, presented at the management review.
STEPS = {
    "submit": Step(("draft",), "submitted", group=(SUPERVISOR, QUALITY, MGMT_REP),
                   stamp=("submitted_by_id", "submitted_date"), check="_check_can_submit",
                   prepare="_prepare_figures_vals", then="_after_submit"),
    "sign_supervisor": Step(("submitted",), None, group=SUPERVISOR,
                            stamp=("supervisor_sign_id", "supervisor_sign_date"),
                            check="_check_can_sign", then="_after_sign"),
    "sign_quality": Step(("submitted",), None, group=QUALITY, stamp=("quality_sign_id", "quality_sign_date"),
                         check="_check_can_sign", then="_after_sign"),
    "sign_mgmt_rep": Step(("submitted",), None, group=MGMT_REP, stamp=("mgmt_rep_sign_id", "mgmt_rep_sign_date"),
                          check="_check_can_sign", then="_after_sign"),
    "approve": Step(("submitted",), "approved", check="_check_all_signed", then="_freeze_pdf"),
    "present": Step(("approved",), "presented", group=(SUPERVISOR, QUALITY, MGMT_REP),
                    stamp=("presented_by_id", "presented_date"), check="_check_can_present", then="_freeze_pdf"),
}
# What is written while the report stands where: its definition while a draft, the management
# review's date and notes until it is presented.
GATES = {
    "definition": Gate(("draft",), ("kind", "year", "company_id", "close_target_days", "tz", "satisfaction_analysis")),
    "review": Gate(("draft", "submitted", "approved"), ("review_date", "review_notes")),
}
TOP = 5
# The copies of the PDF a report keeps from its submission on: for the state it has just reached,
# the field pointing to that copy and the field keeping its SHA-256. ir.attachment refuses to
# change or delete them (models/ir_attachment.py); _qms_frozen_pdf_problems checks their bytes.
FROZEN_COPIES = {
    "submitted": ("submitted_pdf_id", "submitted_pdf_sha256"),
    "approved": ("signed_pdf_id", "signed_pdf_sha256"),
    "presented": ("presented_pdf_id", "presented_pdf_sha256"),
}
# Each copy is frozen in English (the reference copy above) and again in every other active
# language (translated_pdf_ids, their SHA-256 in translated_pdf_json): printing picks the reader's.
FROZEN_FILE_FIELDS = ("pdf_attachment_id", *(field for field, _sha in FROZEN_COPIES.values()), "translated_pdf_ids")
REFERENCE_LANG = "en_US"


class QmsAnnualReport(models.Model):
    """Yearly report for the management review: the customer complaint summary report
    (客户投诉综合报告, clause 4.3.3) or the customer satisfaction report (clause 4.4.3).

    The figures are computed while the report is a draft; on submission they are stored as JSON
    and the PDF is rendered and kept as an attachment: neither changes afterwards."""

    _name = "qms.annual.report"
    _description = "Annual Customer Report"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.workflow.mixin"]
    _order = "year desc, kind, id desc"
    _check_company_auto = True
    _qms_steps = STEPS
    _qms_gates = GATES
    # computed and frozen by the server (sudo), never written by a client
    _qms_server_fields = ("figures_json", "translated_figures_json", "figures_date", "has_data", *FROZEN_FILE_FIELDS,
                          *(sha for _field, sha in FROZEN_COPIES.values()), "translated_pdf_json")

    name = fields.Char(compute="_compute_name", store=True)
    kind = fields.Selection([
        ("complaint", "Customer Complaint Summary"),
        ("satisfaction", "Customer Satisfaction"),
    ], required=True, default="complaint", tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year - 1,
                          tracking=True)
    state = fields.Selection([
        ("draft", "Draft"),
        ("submitted", "Submitted"),
        ("approved", "Approved"),
        ("presented", "Presented"),
    ], default="draft", required=True, readonly=True, copy=False, tracking=True, index=True)
    tz = fields.Selection(
        _tz_get, string="Timezone", required=True, compute="_compute_tz", store=True, readonly=False,
        precompute=True,
        help="Complaints and communications are counted in the month and year of this timezone.")
    close_target_days = fields.Integer(
        string="Target Days to Close", default=lambda self: self.env.company.qms_complaint_close_days or 30,
        help="Complaints closed within this number of days count as closed on time.")
    figures_json = fields.Text(string="Figures", readonly=True, copy=False)
    translated_figures_json = fields.Text(
        string="Figures in Other Languages", readonly=True, copy=False,
        help="The same frozen figures with their names (products, departments, segments) in each other "
             "active language, for the copies printed in that language.")
    figures_date = fields.Datetime(string="Figures Computed On", readonly=True, copy=False)
    has_data = fields.Boolean(readonly=True, copy=False)
    satisfaction_analysis = fields.Text(
        string="Analysis and Conclusions",
        help="The management representative's analysis and evaluation of the customer communication "
             "results (service verification, 4.4.3); frozen with the figures on submission.")
    summary_html = fields.Html(compute="_compute_summary_html", sanitize=False)
    pdf_attachment_id = fields.Many2one("ir.attachment", string="Frozen PDF", readonly=True, copy=False)
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    submitted_date = fields.Datetime(readonly=True, copy=False)
    supervisor_sign_id = fields.Many2one(
        "res.users", string="Signed by the Sales Supervisor", readonly=True, copy=False)
    supervisor_sign_date = fields.Datetime(string="Sales Supervisor Signed On", readonly=True, copy=False)
    quality_sign_id = fields.Many2one("res.users", string="Signed by Quality", readonly=True, copy=False)
    quality_sign_date = fields.Datetime(string="Quality Signed On", readonly=True, copy=False)
    mgmt_rep_sign_id = fields.Many2one(
        "res.users", string="Signed by the Management Representative", readonly=True, copy=False)
    mgmt_rep_sign_date = fields.Datetime(string="Management Representative Signed On", readonly=True, copy=False)
    review_date = fields.Date(string="Management Review Date", copy=False, tracking=True)
    review_notes = fields.Text(string="Management Review Notes", copy=False)
    presented_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    presented_date = fields.Datetime(string="Presented On", readonly=True, copy=False)
    can_submit = fields.Boolean(compute="_compute_can_steps")
    can_sign_supervisor = fields.Boolean(compute="_compute_can_steps")
    can_sign_quality = fields.Boolean(compute="_compute_can_steps")
    can_sign_mgmt_rep = fields.Boolean(compute="_compute_can_steps")
    can_present = fields.Boolean(compute="_compute_can_steps")
    can_edit_definition = fields.Boolean(compute="_compute_can_edit_gates")
    can_edit_review = fields.Boolean(compute="_compute_can_edit_gates")
    # the frozen copies (restrict: not even a database-level delete removes one)
    submitted_pdf_id = fields.Many2one(
        "ir.attachment", string="Submitted Copy", readonly=True, copy=False, ondelete="restrict")
    submitted_pdf_sha256 = fields.Char(
        string="Submitted Copy SHA-256", readonly=True, copy=False,
        help="SHA-256 of the submitted copy's bytes, kept when it was frozen.")
    signed_pdf_id = fields.Many2one(
        "ir.attachment", string="Signed Copy", readonly=True, copy=False, ondelete="restrict")
    signed_pdf_sha256 = fields.Char(
        string="Signed Copy SHA-256", readonly=True, copy=False,
        help="SHA-256 of the signed copy's bytes, kept when it was frozen.")
    presented_pdf_id = fields.Many2one(
        "ir.attachment", string="Presented Copy", readonly=True, copy=False, ondelete="restrict")
    presented_pdf_sha256 = fields.Char(
        string="Presented Copy SHA-256", readonly=True, copy=False,
        help="SHA-256 of the presented copy's bytes, kept when it was frozen.")
    translated_pdf_ids = fields.Many2many(
        "ir.attachment", "qms_annual_report_translated_pdf_rel", "report_id", "attachment_id",
        string="Copies in Other Languages", readonly=True, copy=False,
        help="Each frozen copy rendered again in the other active languages at the time it was frozen.")
    translated_pdf_json = fields.Text(
        string="Copies in Other Languages (SHA-256)", readonly=True, copy=False,
        help="For each copy in another language: its language, the English copy it translates and the "
             "SHA-256 of its bytes, kept when it was frozen.")

    _kind_company_year_uniq = models.UniqueIndex(
        "(kind, company_id, year)", "There is already a report of this kind for this company and year.")
    _year_valid = models.Constraint("CHECK(year > 1900 AND year < 3000)", "Give a valid year.")

    @api.depends("company_id")
    def _compute_tz(self):
        # the report company's working time, as Odoo's HR and planning apps use it; else the user's
        for report in self:
            report.tz = report.company_id.resource_calendar_id.tz or self.env.user.tz or "UTC"

    @api.depends("kind", "year")
    def _compute_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for report in self:
            report.name = f"{labels.get(report.kind, '')} {report.year or ''}".strip()

    @api.depends("figures_json")
    def _compute_summary_html(self):
        for report in self:
            if not report.figures_json:
                report.summary_html = False
                continue
            report.summary_html = self.env["ir.qweb"]._render(
                "qms_customer.report_qms_annual_report_body", {"o": report, "v": report._prepare_figures_print_data()})

    # --- creation and edits -----------------------------------------------------------------
    def _check_duplicate(self, kind, company_id, year, exclude_ids=()):
        domain = [("kind", "=", kind), ("company_id", "=", company_id), ("year", "=", year),
                  ("id", "not in", list(exclude_ids))]
        if self.sudo().search_count(domain, limit=1):
            raise ValidationError(self.env._(
                "There is already a report of this kind for %(year)s in this company.", year=year))

    @api.model_create_multi
    def create(self, vals_list):
        check_input(self, vals_list)
        for vals in vals_list:
            self._check_duplicate(
                vals.get("kind") or "complaint", vals.get("company_id") or self.env.company.id,
                vals.get("year") or self.default_get(["year"])["year"])
        return super().create(vals_list)

    def write(self, vals):
        check_input(self, [vals])
        if {"kind", "company_id", "year"} & set(vals):
            for report in self:
                report._check_duplicate(
                    vals.get("kind", report.kind), vals.get("company_id", report.company_id.id),
                    vals.get("year", report.year), exclude_ids=report.ids)
        res = super().write(vals)
        if {"kind", "year", "company_id", "close_target_days", "tz"} & set(vals):
            # stale figures of a draft are dropped; they are recomputed on demand
            self.filtered(lambda r: r.state == "draft").sudo().write(
                {"figures_json": False, "translated_figures_json": False, "has_data": False})
        return res

    @api.constrains("state", *{name for step in STEPS.values() for name in step.stamp})
    def _check_stage_stamps(self):
        self._qms_check_required_stamps(self)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(report.state != "draft" for report in self):
            raise UserError(self.env._(
                "A submitted report is a record of the management review: it cannot be deleted."))

    # --- the figures ----------------------------------------------------------------------------
    def action_compute(self):
        """Recompute the figures of a draft (a preview: submitting computes them again and freezes them)."""
        for report in self:
            if report.state != "draft":
                raise UserError(self.env._("%s is frozen: its figures are recomputed only in draft.", report.name))
            report.check_access("write")
            # the figures are the server's: written in sudo, which no client can reach
            report.sudo().write(report._prepare_figures_vals())
        return True

    def _prepare_figures_vals(self):
        """The figures as frozen: with their names in English (the reference copy), and the same
        figures named in each other active language, read in the same transaction."""
        self.ensure_one()
        figures, translated = None, {}
        for lang in [REFERENCE_LANG, *sorted({code for code, _name in self.env["res.lang"].get_installed()}
                                             - {REFERENCE_LANG})]:
            # names computed in another language (a department's complete name) are not reused
            self.env.invalidate_all(flush=True)
            lang_figures = self.with_context(lang=lang)._compute_figures()
            if lang == REFERENCE_LANG:
                figures = lang_figures
            else:
                translated[lang] = lang_figures
        return {
            "figures_json": json.dumps(figures, sort_keys=True),
            "translated_figures_json": json.dumps(translated, sort_keys=True) if translated else False,
            "figures_date": fields.Datetime.now(),
            "has_data": bool(figures.get("total") or figures.get("cancelled")),
        }

    def _get_figures(self):
        self.ensure_one()
        return json.loads(self.figures_json) if self.figures_json else {}

    def _compute_figures(self):
        self.ensure_one()
        if self.kind == "satisfaction":
            return self._compute_satisfaction_figures(self.year)
        return self._compute_complaint_figures(self.year, self.close_target_days)

    def _year_bounds(self, year):
        """Start and end (UTC, as stored) of `year` in the report's timezone."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or "UTC")
        return tuple(tz.localize(datetime(y, 1, 1)).astimezone(pytz.utc).replace(tzinfo=None)
                     for y in (year, year + 1))

    def _compute_complaint_figures(self, year, target_days, with_previous=True):
        """Figures of the complaints received in `year` (in the report's timezone), by grouped SQL
        reads only: the number of queries does not depend on the number of complaints."""
        self.ensure_one()
        Complaint = self.env["qms.complaint"].sudo().with_context(tz=self.tz, active_test=False)
        start, end = self._year_bounds(year)
        base = [("company_id", "=", self.company_id.id), ("received_date", ">=", start), ("received_date", "<", end)]
        valid = [*base, ("state", "!=", "cancel")]
        by_state = dict(Complaint._read_group(base, ["state"], ["__count"]))
        cancelled = by_state.pop("cancel", 0)
        total = sum(by_state.values())
        # still open at the end of the year: neither closed nor cancelled before it
        open_at_end = Complaint.search_count(Domain.AND([base, Domain.OR([
            [("state", "not in", ("done", "cancel"))],
            [("state", "=", "done"), ("verified_date", ">=", end)],
            [("state", "=", "cancel"), ("cancelled_date", ">=", end)],
        ])]))
        responsible = dict(Complaint._read_group(
            [*valid, ("quality_date", "!=", False)], ["company_responsible"], ["__count"]))
        by_category = dict(Complaint._read_group(valid, ["category"], ["__count"]))
        closing = self._closing_statistics(base, target_days)
        figures = {
            "kind": "complaint",
            "year": year,
            "tz": self.tz,
            "target_days": target_days,
            "total": total,
            "cancelled": cancelled,
            "open_at_year_end": open_at_end,
            "company_responsible": responsible.get(True, 0),
            "company_not_responsible": responsible.get(False, 0),
            "not_yet_decided": total - responsible.get(True, 0) - responsible.get(False, 0),
            "by_category": by_category,
            **closing,
            # issue 13.6: the deadlines of the handling, frozen with the other figures
            "clocks": self._clock_statistics(valid, breakdown=with_previous),
        }
        figures["cost"] = self._cost_figures(Complaint, valid)  # issue 14.5
        figures["pareto"] = self._pareto_figures(valid)  # issue 14.1
        if not with_previous:
            return figures
        by_month = dict(Complaint._read_group(valid, ["received_date:month_number"], ["__count"]))
        figures["by_month"] = [by_month.get(month, 0) for month in range(1, 13)]
        figures["by_severity"] = dict(Complaint._read_group(valid, ["severity"], ["__count"]))
        figures["by_channel"] = dict(Complaint._read_group(valid, ["channel"], ["__count"]))
        figures["by_department"] = sorted(
            ([department.display_name, count] for department, count in Complaint._read_group(
                [*valid, ("company_responsible", "=", True)], ["responsible_department_id"], ["__count"])),
            key=lambda row: (-row[1], row[0]))
        figures["by_customer"] = sorted(
            ([partner.display_name, count] for partner, count in Complaint._read_group(
                valid, ["commercial_partner_id"], ["__count"])),
            key=lambda row: (-row[1], row[0]))
        Line = self.env["qms.complaint.line"].sudo().with_context(active_test=False)
        line_domain = [("complaint_id.company_id", "=", self.company_id.id),
                       ("complaint_id.received_date", ">=", start), ("complaint_id.received_date", "<", end),
                       ("complaint_id.state", "!=", "cancel")]
        figures["by_product"] = sorted(
            ([product.display_name, count, qty] for product, count, qty in Line._read_group(
                line_domain, ["product_id"], ["complaint_id:count_distinct", "qty_complained:sum"])),
            key=lambda row: (-row[1], -row[2], row[0]))
        figures["top_customers"] = figures["by_customer"][:TOP]
        figures["top_products"] = figures["by_product"][:TOP]
        figures["actions"] = self._action_statistics(valid)
        previous = self._compute_complaint_figures(year - 1, target_days, with_previous=False)
        figures["previous"] = previous
        return figures

    def _cost_figures(self, Complaint, domain):
        """Issue 14.5: the cost of poor quality of the year's slips, in total, by part and by category
        (one grouped read: the stored costs of the slips, in the company's currency)."""
        parts = ("cost_credit_notes", "cost_returns", "cost_replacements", "cost_repairs", "cost_entered")
        currency = self.company_id.currency_id
        rows = Complaint._read_group(domain, ["category"], [f"{name}:sum" for name in ("cost_total", *parts)])
        by_category = {category: currency.round(sums[0] or 0.0) for category, *sums in rows}
        totals = [sum(row[column] or 0.0 for row in rows) for column in range(1, len(parts) + 2)]
        return {
            "total": currency.round(totals[0]),
            **{name: currency.round(value) for name, value in zip(parts, totals[1:], strict=True)},
            "by_category": by_category,
        }

    def _pareto_figures(self, complaint_domain):
        """Issue 14.1: the corrective actions of the year's slips by 5M1E cause category and cause
        (where set), most frequent first, with their share and cumulative share (%), in one grouped
        read. An action without a category yet (a draft) is not counted."""
        Action = self.env["qms.corrective.action"].sudo().with_context(active_test=False)
        groups = Action._read_group(
            [("complaint_id", "any", complaint_domain), ("state", "!=", "cancel"), ("cause_category", "!=", False)],
            ["cause_category", "cause_id"], ["__count"])
        rows = sorted(([category, cause.complete_name or "", count] for category, cause, count in groups),
                      key=lambda row: (-row[2], row[0], row[1]))
        total = sum(row[2] for row in rows)
        cumulative, pareto = 0, []
        for category, cause, count in rows:
            cumulative += count
            pareto.append({"category": category, "cause": cause, "count": count,
                           "share": round(100.0 * count / total, 1),
                           "cumulative": round(100.0 * cumulative / total, 1)})
        return pareto

    def _prepare_pareto_print_data(self, figures):
        """Issue 14.1: the Pareto rows as printed, with the category's label in the reader's language
        and last year's count of the same category and cause; None for a report frozen before."""
        pareto = figures.get("pareto")
        if pareto is None:
            return None
        labels = self._selection_labels("qms.corrective.action", "cause_category")
        previous = {(row["category"], row["cause"]): row["count"]
                    for row in figures.get("previous", {}).get("pareto") or []}
        return [{**row, "category_label": labels.get(row["category"], row["category"]),
                 "previous": previous.get((row["category"], row["cause"]), 0)} for row in pareto]

    def _closing_statistics(self, base, target_days):
        """Days from receipt to closing of the complaints closed: mean, median, 90th percentile
        and the share closed within the target, in one query."""
        Complaint = self.env["qms.complaint"].sudo()
        Complaint.flush_model(["days_to_close", "state", "company_id", "received_date"])
        query = Complaint._search([*base, ("state", "=", "done")])
        self.env.cr.execute(query.select(SQL(
            """count(*), avg(%(days)s), percentile_cont(0.5) WITHIN GROUP (ORDER BY %(days)s),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY %(days)s),
               count(*) FILTER (WHERE %(days)s <= %(target)s)""",
            days=SQL.identifier(Complaint._table, "days_to_close"), target=target_days)))
        closed, mean, median, p90, on_time = self.env.cr.fetchone()
        return {
            "closed": closed,
            "days_mean": round(float(mean), 1) if mean is not None else None,
            "days_median": round(float(median), 1) if median is not None else None,
            "days_p90": round(float(p90), 1) if p90 is not None else None,
            "closed_on_time": on_time,
            "closed_on_time_pct": round(100.0 * on_time / closed, 1) if closed else None,
        }

    def _action_statistics(self, complaint_domain):
        Action = self.env["qms.corrective.action"].sudo()
        domain = [("complaint_id", "any", complaint_domain), ("state", "!=", "cancel")]
        # the recurrence rate (issue 14): judged effective at the first attempt, recurred (the problem
        # came back on a later slip, whatever the judgement), revised after an ineffective attempt. An
        # action judged effective at its first attempt that recurred later counts in both: the first
        # figure is what the verification found, the second what happened next.
        stats = {"count": 0, "effective": 0, "effective_first_attempt": 0, "revised": 0, "earlier_attempts": 0,
                 "recurred": 0}
        groups = Action._read_group(domain, ["state", "revision", "recurred"], ["__count"])
        for state, revision, recurred, count in groups:
            stats["count"] += count
            if state == "effective":
                stats["effective"] += count
                if revision == 1:
                    stats["effective_first_attempt"] += count
            if revision > 1:
                stats["revised"] += count
                stats["earlier_attempts"] += count * (revision - 1)
            if recurred:
                stats["recurred"] += count
        stats["recurred_pct"] = round(100.0 * stats["recurred"] / stats["count"], 1) if stats["count"] else None
        return stats

    # --- the procedure: submit (freeze), sign, present (STEPS) -------------------------------------
    def _author_groups(self):
        self.ensure_one()
        return [group for _field, group in SIGNATURES[self.kind]]

    def _check_author(self, groups):
        if self.env.uid != SUPERUSER_ID and not any(self.env.user.has_group(g) for g in groups):
            raise AccessError(self.env._("You do not hold a role that may do this step of %s.", self.name))

    def action_submit(self):
        """Freeze the figures and the PDF; the report then waits for its signatures."""
        return self._qms_take("submit")

    def _check_can_submit(self, vals):
        self._check_author(self._author_groups())

    def _after_submit(self):
        self._freeze_pdf()
        if self.kind == "complaint":
            if not self.has_data:
                self.message_post(body=self.env._("No complaint was received in %s.", self.year))
            return
        # 4.4.3: the management representative reports customer satisfaction to the general manager
        if not self.has_data:
            self.message_post(body=self.env._("No customer satisfaction score was recorded in %s.", self.year))
        self._notify_general_manager()

    def _pdf_attachment_name(self):
        """File name of the frozen PDF: the copy made on submission, the signed copy, then the
        copy presented at the management review."""
        self.ensure_one()
        if self.state == "submitted":
            return f"{self.name}.pdf"
        if self.state == "presented":
            return self.env._("%s (presented).pdf", self.name)
        return self.env._("%s (signed).pdf", self.name)

    def _render_frozen_copy(self, lang):
        """The PDF of the report in ``lang``, dates printed in the report's timezone like its
        figures: (bytes, mimetype)."""
        self.ensure_one()
        with self_contained_pdf():
            content, report_type = self.env["ir.actions.report"].with_context(
                report_pdf_no_attachment=True, tz=self.tz, lang=lang,
            ).sudo()._render_qweb_pdf("qms_customer.action_report_qms_annual_report", self.ids)
        content = content if isinstance(content, bytes) else content.encode()
        return content, "application/pdf" if report_type == "pdf" else "text/html"

    def _freeze_pdf(self):
        """Render the PDF from the frozen figures and keep it: the English reference copy, and one
        copy in each other active language (the user's among them), so that a reader in Chinese
        gets the Chinese copy of what was signed. Earlier copies stay attached."""
        self.ensure_one()
        Attachment = self.env["ir.attachment"].sudo()
        content, mimetype = self._render_frozen_copy(REFERENCE_LANG)
        attachment = Attachment.create({
            "name": self.with_context(lang=REFERENCE_LANG)._pdf_attachment_name(),
            "raw": content, "res_model": self._name, "res_id": self.id, "mimetype": mimetype,
        })
        copy_field, sha_field = FROZEN_COPIES[self.state]
        translated = self._get_translated_copies_data()
        langs = {code for code, _name in self.env["res.lang"].get_installed()} | {self.env.lang or REFERENCE_LANG}
        new_copies = Attachment
        for lang in sorted(langs - {REFERENCE_LANG}):
            lang_content, lang_mimetype = self._render_frozen_copy(lang)
            copy = Attachment.create({
                "name": f"{self.with_context(lang=lang)._pdf_attachment_name()[:-4]} [{lang}].pdf",
                "raw": lang_content, "res_model": self._name, "res_id": self.id, "mimetype": lang_mimetype,
            })
            new_copies |= copy
            translated[str(copy.id)] = {"lang": lang, "copy_of": attachment.id,
                                        "sha256": hashlib.sha256(lang_content).hexdigest()}
        # the server's own files: written in sudo, after the step checked the role
        self.sudo().write({
            "pdf_attachment_id": attachment.id, copy_field: attachment.id,
            sha_field: hashlib.sha256(content).hexdigest(),
            "translated_pdf_ids": [(4, copy.id) for copy in new_copies],
            "translated_pdf_json": json.dumps(translated, sort_keys=True) if translated else False,
        })

    def _get_translated_copies_data(self):
        """{attachment id (str): {"lang", "copy_of" (the English copy's id), "sha256"}} of the
        copies frozen in other languages."""
        self.ensure_one()
        return json.loads(self.translated_pdf_json) if self.translated_pdf_json else {}

    def _signature_of(self, vals):
        return next(name for names in SIGNATURES.values() for name, _group in names if f"{name}_id" in vals)

    def _check_can_sign(self, vals):
        field = self._signature_of(vals)
        if field not in dict(SIGNATURES[self.kind]):
            raise UserError(self.env._("This signature does not belong to %s.", self.name))
        if self[f"{field}_id"]:
            raise UserError(self.env._("%s is already signed for this role.", self.name))

    def _after_sign(self):
        self.message_post(body=self.env._("Signed by %s.", self.env.user.name))
        if all(self[f"{name}_id"] for name, _group in SIGNATURES[self.kind]):
            # auditors get the copy that carries every signature; the submitted copy stays attached
            self.sudo()._qms_take("approve")

    def _check_all_signed(self, vals):
        if not all(self[f"{name}_id"] for name, _group in SIGNATURES[self.kind]):
            raise UserError(self.env._("%s is approved once every signature is there.", self.name))

    def action_sign_supervisor(self):
        """The Sales supervisor co-signs the complaint summary report."""
        return self._qms_take("sign_supervisor")

    def action_sign_quality(self):
        """The Quality department co-signs the complaint summary report."""
        return self._qms_take("sign_quality")

    def action_sign_mgmt_rep(self):
        """The management representative signs the satisfaction report."""
        return self._qms_take("sign_mgmt_rep")

    def action_present(self):
        """The report was presented at the management review."""
        return self._qms_take("present")

    def _check_can_present(self, vals):
        self._check_author([*self._author_groups(), MGMT_REP])
        if not self.review_date:
            raise UserError(self.env._("Give the date of the management review where %s was presented.", self.name))

    @api.readonly
    def action_view_pdf(self):
        self.ensure_one()
        copy = self._qms_printed_copy()
        if not copy:
            raise UserError(self.env._("The PDF is kept once the report is submitted."))
        return {"type": "ir.actions.act_url", "url": f"/web/content/{copy.id}?download=true", "target": "self"}

    # --- the frozen copies: kept, printed, checked ------------------------------------------------
    @api.constrains(*FROZEN_FILE_FIELDS)
    def _check_frozen_files(self):
        """A frozen copy is a file the report kept on submission: attached to the report itself, and
        only once it is submitted (the administrator, a copy() or an import cannot borrow another
        report's file)."""
        for report in self:
            files = report._qms_frozen_files().sudo()
            if files and (report.state == "draft" or any(
                    (file.res_model, file.res_id) != (report._name, report.id) for file in files)):
                raise ValidationError(self.env._(
                    "Only the PDFs that %s kept when it was submitted, signed and presented can be its "
                    "frozen copies.", report.display_name))

    def _qms_frozen_files(self):
        """The files this report keeps as frozen copies (none while it is a draft)."""
        files = self.env["ir.attachment"]
        for report in self:
            for name in FROZEN_FILE_FIELDS:
                files |= report[name]
        return files

    @api.model
    def _qms_reports_keeping(self, attachment_ids):
        """{attachment id: report} for the attachments that a submitted report keeps as one of its
        frozen copies."""
        if not attachment_ids:
            return {}
        reports = self.sudo().with_context(active_test=False).search_fetch(Domain.AND([
            [("state", "!=", "draft")],
            Domain.OR([[(name, "in", list(attachment_ids))] for name in FROZEN_FILE_FIELDS]),
        ]), [*FROZEN_FILE_FIELDS, "name"])
        return {file.id: report for report in reports for file in report._qms_frozen_files()
                if file.id in attachment_ids}

    def _qms_check_file_name_free(self, name, attachment=None):
        """A file attached to a submitted report must not take the name of one of its frozen copies:
        it would pass for it (Odoo's printing looks the printed copy up by name, so do people)."""
        for report in self.sudo().exists():
            if report.state == "draft":
                continue
            clash = report._qms_frozen_files().filtered(lambda file: file.name == name)
            if attachment is not None:
                clash -= attachment
            if clash:
                raise UserError(self.env._(
                    "%(report)s keeps its frozen copy \"%(file)s\": give this file another name.",
                    report=report.display_name, file=name))

    def _qms_printed_copy(self):
        """What printing a submitted report returns: the last copy it froze in the reader's
        language (else the English one), never a file that merely carries its name."""
        self.ensure_one()
        if self.state == "draft":
            return self.env["ir.attachment"]
        lang = self.env.lang or REFERENCE_LANG
        if lang != REFERENCE_LANG:
            ids = [int(attachment_id) for attachment_id, data in self.sudo()._get_translated_copies_data().items()
                   if data["lang"] == lang and data["copy_of"] == self.pdf_attachment_id.id]
            copy = self.translated_pdf_ids.filtered(lambda file: file.id in ids)[:1]
            if copy:
                return copy
        return self.pdf_attachment_id

    def _qms_frozen_pdf_problems(self, limit=5):
        """Frozen copies whose bytes no longer have the SHA-256 kept when they were frozen, that have
        no SHA-256 (frozen before 19.0.1.2.0 and unreadable by its migration), or that are missing
        or moved: ``[(problem, ["report: file", ...]), ...]`` as qms.complaint's
        _qms_integrity_problems; empty when every frozen PDF is intact. Checks the reports of self,
        or every submitted report when called on the empty model."""
        self.env.flush_all()
        reports = (self or self.search([])).sudo().with_context(active_test=False).filtered(
            lambda report: report.state != "draft")
        found = {}

        def problem(label, report, file):
            found.setdefault(label, []).append(f"{report.name}: {file.name}" if file else report.name)

        for report in reports:
            if not report.pdf_attachment_id:
                problem("submitted report without its frozen PDF", report, None)
            checked = self.env["ir.attachment"]
            for field, sha_field in FROZEN_COPIES.values():
                file = report[field]
                if not file:
                    continue
                checked |= file
                if (file.res_model, file.res_id) != (report._name, report.id):
                    problem("frozen PDF no longer attached to its report", report, file)
                if not report[sha_field]:
                    problem("frozen PDF without a SHA-256 (frozen before 19.0.1.2.0, unreadable then)",
                            report, file)
                    continue
                if hashlib.sha256(file.raw or b"").hexdigest() != report[sha_field]:
                    problem("frozen PDF whose bytes differ from the SHA-256 kept when it was frozen",
                            report, file)
            if report.pdf_attachment_id and report.pdf_attachment_id not in checked:
                problem("frozen PDF without a SHA-256 (frozen before 19.0.1.2.0, unreadable then)",
                        report, report.pdf_attachment_id)
            translated = report._get_translated_copies_data()
            english = checked | report.pdf_attachment_id
            for file in report.translated_pdf_ids:
                if (file.res_model, file.res_id) != (report._name, report.id):
                    problem("frozen PDF no longer attached to its report", report, file)
                data = translated.get(str(file.id))
                if not data:
                    problem("frozen PDF without a SHA-256 (frozen before 19.0.1.2.0, unreadable then)",
                            report, file)
                    continue
                if hashlib.sha256(file.raw or b"").hexdigest() != data["sha256"]:
                    problem("frozen PDF whose bytes differ from the SHA-256 kept when it was frozen",
                            report, file)
                if data["copy_of"] not in english.ids:
                    problem("frozen PDF in another language of no copy the report froze", report, file)
            # a copy recorded with its SHA-256 that the report no longer lists (or that is gone)
            recorded = self.env["ir.attachment"].sudo().browse(int(file_id) for file_id in translated)
            for file in recorded.exists() - report.translated_pdf_ids:
                problem("frozen PDF no longer listed by its report", report, file)
            if len(recorded.exists()) != len(recorded):
                problem("submitted report without its frozen PDF", report, None)
        return [(label, names[:limit]) for label, names in found.items()]

    # --- printing ------------------------------------------------------------------------------
    def _selection_labels(self, model, field):
        return dict(self.env[model]._fields[field]._description_selection(self.env))

    def _prepare_figures_print_data(self):
        """The figures as printed (PDF and form): the numbers as frozen on submission, their labels
        (selection values, product and department names) in the reader's language. A draft prints
        figures computed now, in the reader's language; a frozen report never recomputes."""
        self.ensure_one()
        if self.state == "draft":
            figures = self._compute_figures()
        else:
            translated = json.loads(self.translated_figures_json) if self.translated_figures_json else {}
            figures = translated.get(self.env.lang) or self._get_figures()
        values = {
            "figures": figures,
            "kind": self.kind,
            "has_data": bool(figures.get("total") or figures.get("cancelled")),
        }
        if self.kind == "satisfaction":
            return self._prepare_satisfaction_print_data(values)
        complaint = "qms.complaint"
        months = [str(m) for m in range(1, 13)]

        def labelled(field, counts):
            labels = self._selection_labels(complaint, field)
            return [[labels.get(key, key), counts.get(key, 0)] for key in labels if counts.get(key)]

        previous = figures.get("previous", {})
        values.update({
            "by_month": list(zip(months, figures.get("by_month", [0] * 12), strict=True)),
            "by_category": labelled("category", figures.get("by_category", {})),
            "by_severity": labelled("severity", figures.get("by_severity", {})),
            "by_channel": labelled("channel", figures.get("by_channel", {})),
            "comparison": [
                [self.env._("Complaints received"), previous.get("total", 0), figures.get("total", 0)],
                [self.env._("Company responsible"), previous.get("company_responsible", 0),
                 figures.get("company_responsible", 0)],
                [self.env._("Closed"), previous.get("closed", 0), figures.get("closed", 0)],
                [self.env._("Mean days to close"), previous.get("days_mean"), figures.get("days_mean")],
                [self.env._("Still open at year end"), previous.get("open_at_year_end", 0),
                 figures.get("open_at_year_end", 0)],
                [self.env._("Cancelled"), previous.get("cancelled", 0), figures.get("cancelled", 0)],
            ],
        })
        values["chart_month"] = self._svg_bar_chart(values["by_month"])
        values["chart_category"] = self._svg_bar_chart(values["by_category"])
        # issue 13.6: the deadlines of the handling (nothing for reports frozen before they were counted)
        values["clocks"] = self._prepare_clock_print_data(figures)
        values["comparison"] += self._clock_comparison_rows(figures, previous)
        values["cost"] = self._prepare_cost_print_data(figures)
        values["pareto"] = self._prepare_pareto_print_data(figures)
        return values

    def _prepare_cost_print_data(self, figures):
        """Issue 14.5: [label, last year, this year] rows of the cost of poor quality, or None for a
        report frozen before the figure existed."""
        cost = figures.get("cost")
        if cost is None:
            return None
        previous = figures.get("previous", {}).get("cost") or {}
        labels = {
            "total": self.env._("Cost of poor quality"),
            "cost_credit_notes": self.env._("Credit notes"),
            "cost_returns": self.env._("Returns (at cost)"),
            "cost_replacements": self.env._("Replacements (at cost)"),
            "cost_repairs": self.env._("Repairs (at cost)"),
            "cost_entered": self.env._("Entered costs (labour, freight, travel, samples, penalties)"),
        }
        rows = [[label, previous.get(key, 0.0), cost.get(key, 0.0)] for key, label in labels.items()]
        categories = self._selection_labels("qms.complaint", "category")
        by_category = [[categories.get(key, key), (previous.get("by_category") or {}).get(key, 0.0), value]
                       for key, value in cost.get("by_category", {}).items() if value]
        return {"rows": rows, "by_category": sorted(by_category, key=lambda row: -row[2])}

    @api.model
    def _svg_bar_chart(self, rows, width=520, bar_height=16):
        """A horizontal bar chart as inline SVG, drawn on the server (no JavaScript in the PDF)."""
        rows = [(str(label), value or 0) for label, value in rows]
        if not rows:
            return Markup("")
        top = max(value for _label, value in rows) or 1
        label_width, gap = 140, 4
        scale = (width - label_width - 40) / top
        height = len(rows) * (bar_height + gap) + gap
        parts = [Markup('<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" class="qms-chart">')
                 % (width, height)]
        for index, (label, value) in enumerate(rows):
            y = gap + index * (bar_height + gap)
            bar = round(value * scale, 1)
            parts.append(Markup(
                '<text x="%s" y="%s" font-size="11" text-anchor="end">%s</text>'
                '<rect x="%s" y="%s" width="%s" height="%s" fill="#4c72b0"/>'
                '<text x="%s" y="%s" font-size="11">%s</text>') % (
                label_width - 6, y + bar_height - 4, escape(label),
                label_width, y, bar, bar_height,
                label_width + bar + 4, y + bar_height - 4, value))
        parts.append(Markup("</svg>"))
        return Markup("").join(parts)

    # --- issue 13.6: the deadlines of the complaint handling in the yearly summary ---------------------
    def _clock_statistics(self, domain, breakdown=True):
        """On-time rate (met on time among met) and mean working days of each deadline (acknowledge,
        answer, close) of the slips of ``domain``: in all and, with ``breakdown``, by month of
        reception, by category and by responsible department. One grouped read whatever the number
        of slips (the groups are bounded by 12 months x categories x departments x statuses)."""
        Complaint = self.env["qms.complaint"].sudo().with_context(tz=self.tz, active_test=False)
        statuses = [f"{kind}_status" for kind in CLOCK_KINDS]
        groupby = [*(("received_date:month_number", "category", "responsible_department_id") if breakdown else ()),
                   *statuses]
        sums = {}  # (dimension, key) -> kind -> [met, on time, working days]

        def add(key, row_statuses, count, days):
            bucket = sums.setdefault(key, {})
            for kind, status, kind_days in zip(CLOCK_KINDS, row_statuses, days, strict=True):
                if status in ("on_time", "late"):  # met (a running deadline has no working days yet)
                    met = bucket.setdefault(kind, [0, 0, 0])
                    met[0] += count
                    met[1] += count if status == "on_time" else 0
                    met[2] += kind_days or 0

        for row in Complaint._read_group(
                domain, groupby, ["__count", *(f"{kind}_working_days:sum" for kind in CLOCK_KINDS)]):
            keys, row_statuses = row[:len(groupby) - 3], row[len(groupby) - 3:len(groupby)]
            count, days = row[len(groupby)], row[len(groupby) + 1:]
            add(("total", None), row_statuses, count, days)
            if breakdown:
                month, category, department = keys
                add(("month", month), row_statuses, count, days)
                add(("category", category), row_statuses, count, days)
                add(("department", department), row_statuses, count, days)

        def stats(key):
            bucket = sums.get(key, {})
            result = {}
            for kind in CLOCK_KINDS:
                met, on_time, days = bucket.get(kind, (0, 0, 0))
                result[kind] = {"met": met, "on_time": on_time,
                                "on_time_pct": round(100.0 * on_time / met, 1) if met else None,
                                "days_mean": round(days / met, 1) if met else None}
            return result

        clocks = {"total": stats(("total", None))}
        if breakdown:
            clocks["by_month"] = [stats(("month", month)) for month in range(1, 13)]
            clocks["by_category"] = {category: stats(("category", category))
                                     for (dimension, category) in sums if dimension == "category"}
            # named in the language being computed; the slips without a department last (named on printing)
            departments = [key for dimension, key in sums if dimension == "department"]
            clocks["by_department"] = sorted(
                ([department.display_name if department else None, stats(("department", department))]
                 for department in departments),
                key=lambda row: (row[0] is None, row[0] or ""))
        return clocks

    def _prepare_clock_print_data(self, figures):
        """The deadlines' figures as printed, labelled in the reader's language; None for a report
        frozen before they were counted (it prints nothing of them)."""
        clocks = figures.get("clocks")
        if not clocks:
            return None
        categories = self._selection_labels("qms.complaint", "category")
        by_category = clocks.get("by_category", {})
        return {
            # the deadlines named as on the slip (the labels of its clock fields)
            "kinds": [[kind, self.env["qms.complaint"]._fields[f"{kind}_status"]._description_string(self.env)]
                      for kind in CLOCK_KINDS],
            "total": clocks["total"],
            "by_month": [[str(month), row] for month, row in enumerate(clocks.get("by_month", []), start=1)],
            "by_category": [[label, by_category[key]] for key, label in categories.items() if key in by_category],
            "by_department": [[name or self.env._("No responsible department"), row]
                              for name, row in clocks.get("by_department", [])],
        }

    def _clock_comparison_rows(self, figures, previous):
        """Rows of the comparison with the previous year: the on-time rate and the mean working days
        of each deadline (only when both years have them)."""
        now, before = figures.get("clocks", {}).get("total"), previous.get("clocks", {}).get("total")
        if not (now and before):
            return []
        rates = [self.env._("Acknowledged on time (%)"), self.env._("Answered on time (%)"),
                 self.env._("Closed by the deadline in working days (%)")]
        means = [self.env._("Mean working days to acknowledge"), self.env._("Mean working days to answer"),
                 self.env._("Mean working days to close")]
        rows = []
        for kind, rate, mean in zip(CLOCK_KINDS, rates, means, strict=True):
            rows += [[rate, before[kind]["on_time_pct"], now[kind]["on_time_pct"]],
                     [mean, before[kind]["days_mean"], now[kind]["days_mean"]]]
        return rows

    # --- the customer satisfaction report (clause 4.4.3) -----------------------------------------
    @staticmethod
    def _mean(total, count):
        return round(total / count, 2) if count else None

    def _compute_satisfaction_figures(self, year, with_previous=True):
        """Satisfaction of `year` (in the report's timezone) by grouped reads only: the number of
        queries does not depend on the number of communications, customers or requirements."""
        self.ensure_one()
        Communication = self.env["qms.communication"].sudo().with_context(tz=self.tz, active_test=False)
        start, end = self._year_bounds(year)
        domain = [("company_id", "=", self.company_id.id), ("date", ">=", start), ("date", "<", end),
                  ("satisfaction_score", ">", 0)]
        [(count, total)] = Communication._read_group(domain, [], ["__count", "satisfaction_score:sum"])
        figures = {
            "kind": "satisfaction",
            "year": year,
            "tz": self.tz,
            "total": count,
            "cancelled": 0,
            "mean": self._mean(total or 0, count),
        }
        # the customers' verdicts on the complaint answers and the handling (issue 13.5)
        figures["handling"] = self._handling_verdict_figures(start, end)
        if not with_previous:
            return figures
        by_quarter = {quarter: (n, s) for quarter, n, s in Communication._read_group(
            domain, ["date:quarter_number"], ["__count", "satisfaction_score:sum"])}
        figures["by_quarter"] = []
        for quarter in range(1, 5):
            n, s = by_quarter.get(quarter, (0, 0))
            figures["by_quarter"].append([quarter, n, self._mean(s, n)])
        per_customer = Communication._read_group(
            domain, ["commercial_partner_id"], ["__count", "satisfaction_score:sum"])
        customers, segments = [], {}
        no_segment = self.env._("No segment")
        for partner, n, s in per_customer:
            customers.append([partner.display_name, n, self._mean(s, n)])
            for segment in (partner.category_id.mapped("display_name") or [no_segment]):
                seg_n, seg_s = segments.get(segment, (0, 0))
                segments[segment] = (seg_n + n, seg_s + s)
        figures["by_customer"] = sorted(customers, key=lambda row: row[0])
        figures["lowest_customers"] = sorted(customers, key=lambda row: (row[2], -row[1], row[0]))[:TOP]
        figures["by_segment"] = sorted(
            ([segment, n, self._mean(s, n)] for segment, (n, s) in segments.items()), key=lambda row: row[0])
        figures["by_score"] = {str(score): n for score, n in Communication._read_group(
            domain, ["satisfaction_score"], ["__count"])}
        figures["evaluations"] = self._evaluation_statistics(start, end)
        figures.update(self._requirement_themes(year))
        figures["previous"] = self._compute_satisfaction_figures(year - 1, with_previous=False)
        return figures

    def _handling_verdict_figures(self, start, end):
        """The customers' verdicts given in the year on the answers to their complaints: how many,
        how many accepted the outcome, and their satisfaction with the handling (1-5). Grouped reads."""
        Verdict = self.env["qms.complaint.verdict"].sudo().with_context(tz=self.tz)
        domain = [("company_id", "=", self.company_id.id), ("date", ">=", start), ("date", "<", end)]
        by_verdict = {verdict: (n, s) for verdict, n, s in Verdict._read_group(
            domain, ["verdict"], ["__count", "handling_score:sum"])}
        count = sum(n for n, _s in by_verdict.values())
        accepted = by_verdict.get("accepted", (0, 0))[0]
        return {
            "verdicts": count,
            "accepted": accepted,
            "rejected": by_verdict.get("rejected", (0, 0))[0],
            "accepted_pct": round(100.0 * accepted / count, 1) if count else None,
            "mean": self._mean(sum(s for _n, s in by_verdict.values()), count),
            "by_score": {str(score): n for score, n in Verdict._read_group(domain, ["handling_score"], ["__count"])},
        }

    def _evaluation_statistics(self, start, end):
        """Evaluation surveys sent for the year's communications, and how many were answered."""
        UserInput = self.env["survey.user_input"].sudo()
        domain = [("qms_communication_id.company_id", "=", self.company_id.id),
                  ("qms_communication_id.date", ">=", start), ("qms_communication_id.date", "<", end),
                  ("test_entry", "=", False)]
        by_state = dict(UserInput._read_group(domain, ["state"], ["__count"]))
        sent = sum(by_state.values())
        answered = by_state.get("done", 0)
        return {"sent": sent, "answered": answered,
                "answered_pct": round(100.0 * answered / sent, 1) if sent else None}

    def _requirement_themes(self, year):
        """Recurring requirement themes of the year: requirements by kind, and the products most
        often named."""
        Requirement = self.env["qms.customer.requirement"].sudo()
        domain = [("company_id", "=", self.company_id.id),
                  ("date", ">=", date(year, 1, 1)), ("date", "<", date(year + 1, 1, 1))]
        by_kind = dict(Requirement._read_group(domain, ["kind"], ["__count"]))
        products = sorted(
            ([product.display_name, n] for product, n in Requirement._read_group(
                [*domain, ("product_id", "!=", False)], ["product_id"], ["__count"])),
            key=lambda row: (-row[1], row[0]))
        return {"requirements_by_kind": by_kind, "requirements_total": sum(by_kind.values()),
                "requirement_products": products[:TOP]}

    def _notify_general_manager(self):
        """An activity and a notification for each general manager of the report's company."""
        self.ensure_one()
        managers = self.env.ref("qms_customer.group_qms_general_manager").sudo().all_user_ids.filtered(
            lambda user: user.active and not user.share and self.company_id in user.company_ids)
        summary = self.env._("Customer satisfaction report %(year)s to read", year=self.year)
        for manager in managers:
            self.activity_schedule(
                "mail.mail_activity_data_todo", user_id=manager.id, summary=summary,
                note=self.env._("The management representative submitted the customer satisfaction report."))
        if managers:
            self.message_post(
                body=Markup("<p>%s</p>") % self.env._(
                    "The customer satisfaction report %(year)s is submitted to the General Manager.",
                    year=self.year),
                partner_ids=managers.partner_id.ids, subtype_xmlid="mail.mt_comment")

    def _prepare_satisfaction_print_data(self, values):
        """Plain values of the satisfaction report for the PDF and the form."""
        figures = values["figures"]
        previous = figures.get("previous", {})
        kinds = self._selection_labels("qms.customer.requirement", "kind")
        by_kind = figures.get("requirements_by_kind", {})
        quarters = figures.get("by_quarter", [])
        values.update({
            "analysis": self.satisfaction_analysis or "",
            "requirements_by_kind": [[kinds[key], by_kind[key]] for key in kinds if by_kind.get(key)],
            "by_quarter": [[self.env._("Q%s", row[0]), row[1], row[2]] for row in quarters],
            "by_score": [[str(score), figures.get("by_score", {}).get(str(score), 0)] for score in range(1, 6)],
            "comparison": [
                [self.env._("Responses"), previous.get("total", 0), figures.get("total", 0)],
                [self.env._("Mean satisfaction (1-5)"), previous.get("mean"), figures.get("mean")],
            ],
        })
        # the customers' verdicts on the complaint answers (issue 13.5)
        handling, previous_handling = figures.get("handling", {}), previous.get("handling", {})
        values["comparison"] += [
            [self.env._("Verdicts on complaint answers"), previous_handling.get("verdicts", 0),
             handling.get("verdicts", 0)],
            [self.env._("Answers accepted (%)"), previous_handling.get("accepted_pct"), handling.get("accepted_pct")],
            [self.env._("Mean satisfaction with complaint handling (1-5)"), previous_handling.get("mean"),
             handling.get("mean")],
        ]
        values["handling"] = handling
        values["handling_by_score"] = [[str(score), handling.get("by_score", {}).get(str(score), 0)]
                                       for score in range(1, 6)]
        values["chart_quarter"] = self._svg_bar_chart([[row[0], row[2] or 0] for row in values["by_quarter"]])
        values["chart_score"] = self._svg_bar_chart(values["by_score"])
        return values
