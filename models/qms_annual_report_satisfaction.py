from datetime import date

from markupsafe import Markup

from odoo import fields, models

from .qms_annual_report import TOP


class QmsAnnualReport(models.Model):
    """The customer satisfaction report (clause 4.4.3): service verification organised by the
    management representative, who reports customer satisfaction to the general manager each
    year. Figures come from the satisfaction scores of the year's customer communications (the
    customer evaluations answered through the survey among them) and from the requirements
    register; they are frozen on submission like those of the complaint summary."""

    _inherit = "qms.annual.report"

    satisfaction_analysis = fields.Text(
        string="Analysis and Conclusions",
        help="The management representative's analysis and evaluation of the customer communication "
             "results (service verification, 4.4.3); frozen with the figures on submission.")

    def _compute_figures(self):
        self.ensure_one()
        if self.kind == "satisfaction":
            return self._compute_satisfaction_figures(self.year)
        return super()._compute_figures()

    @staticmethod
    def _mean(total, count):
        return round(total / count, 2) if count else None

    def _compute_satisfaction_figures(self, year, with_previous=True):
        """Satisfaction of `year` (UTC) by grouped reads only: the number of queries does not
        depend on the number of communications, customers or requirements."""
        self.ensure_one()
        Communication = self.env["qms.communication"].sudo().with_context(tz="UTC", active_test=False)
        start, end = self._year_bounds(year)
        domain = [("company_id", "=", self.company_id.id), ("date", ">=", start), ("date", "<", end),
                  ("satisfaction_score", ">", 0)]
        [(count, total)] = Communication._read_group(domain, [], ["__count", "satisfaction_score:sum"])
        figures = {
            "kind": "satisfaction",
            "year": year,
            "total": count,
            "cancelled": 0,
            "mean": self._mean(total or 0, count),
        }
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

    # --- submission: the general manager is told (4.4.3) -----------------------------------------
    def action_submit(self):
        res = super().action_submit()
        for report in self.filtered(lambda r: r.kind == "satisfaction"):
            if not report.has_data:
                report.message_post(body=self.env._("No customer satisfaction score was recorded in %s.",
                                                    report.year))
            report._notify_general_manager()
        return res

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

    # --- printing --------------------------------------------------------------------------------
    def _get_report_values(self):
        values = super()._get_report_values()
        if self.kind != "satisfaction":
            return values
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
        values["chart_quarter"] = self._svg_bar_chart([[row[0], row[2] or 0] for row in values["by_quarter"]])
        values["chart_score"] = self._svg_bar_chart(values["by_score"])
        return values
