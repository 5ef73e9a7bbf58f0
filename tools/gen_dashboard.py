"""Write the Customer Processes dashboard of Odoo's Dashboards app (data/files/qms_customer_dashboard.json).

Odoo Community cannot edit a dashboard in the browser, so the spreadsheet is described here: the
filters, the figures (pivots on a hidden data sheet), the charts and the tables. Run it after a
change and commit both files; tests/test_dashboard.py fails when the JSON is stale.

    .venv/bin/python tools/gen_dashboard.py
"""
import json
import pathlib
import sys

TARGET = pathlib.Path(__file__).resolve().parent.parent / "data" / "files" / "qms_customer_dashboard.json"

# global filters: every figure is matched on its own date, company and customer fields
PERIOD, COMPANY, CUSTOMER = "qms-filter-period", "qms-filter-company", "qms-filter-customer"
GLOBAL_FILTERS = [
    {"id": PERIOD, "type": "date", "label": "Period", "defaultValue": "this_year"},
    {"id": COMPANY, "type": "relation", "label": "Company", "modelName": "res.company",
     "defaultValueDisplayNames": []},
    {"id": CUSTOMER, "type": "relation", "label": "Customer", "modelName": "res.partner",
     "defaultValueDisplayNames": []},
]
# model -> (date field, its type, company field, customer field)
MATCHING = {
    "qms.complaint": ("received_date", "datetime", "company_id", "commercial_partner_id"),
    "qms.corrective.action": ("complaint_id.received_date", "datetime", "company_id", "partner_id"),
    "qms.communication": ("date", "datetime", "company_id", "commercial_partner_id"),
    "qms.communication.plan.line": ("date_planned", "date", "company_id", "partner_id"),
}
OPEN_COMPLAINT = [["state", "not in", ["done", "cancel"]]]
OPEN_ACTION = [["state", "not in", ["effective", "cancel"]]]
ACTION_NOT_CANCELLED = [["state", "!=", "cancel"]]


def field_matching(model):
    date, date_type, company, customer = MATCHING[model]
    matching = {PERIOD: {"chain": date, "type": date_type, "offset": 0},
                COMPANY: {"chain": company, "type": "many2one"}}
    if customer:
        matching[CUSTOMER] = {"chain": customer, "type": "many2one"}
    return matching


def pivot(pivot_id, name, model, measures, rows=(), domain=(), sort=None):
    spec = {
        "type": "ODOO", "id": pivot_id, "formulaId": pivot_id, "name": name, "model": model,
        "domain": list(domain), "context": {}, "fieldMatching": field_matching(model),
        "measures": [{"id": m, "fieldName": m} for m in measures],
        "rows": [{"fieldName": r} for r in rows], "columns": [],
    }
    if sort:
        spec["sortedColumn"] = {"measure": sort, "order": "desc", "domain": []}
    return spec


PIVOTS = [
    pivot("1", "Complaints", "qms.complaint", ["__count", "days_to_close"]),
    pivot("2", "Open complaints", "qms.complaint", ["__count"], domain=OPEN_COMPLAINT),
    pivot("3", "Open corrective actions", "qms.corrective.action", ["__count"], domain=OPEN_ACTION),
    pivot("4", "Satisfaction", "qms.communication", ["satisfaction_score"],
          domain=[["satisfaction_score", ">", 0]]),
    pivot("5", "Planned communications", "qms.communication.plan.line", ["__count"],
          domain=[["state", "!=", "cancel"]]),
    pivot("6", "Done communications", "qms.communication.plan.line", ["__count"],
          domain=[["state", "=", "done"]]),
    pivot("7", "Complaints by category", "qms.complaint", ["__count", "days_to_close"],
          rows=["category"], sort="__count"),
    pivot("8", "Cause categories", "qms.corrective.action", ["__count"],
          rows=["cause_category"], domain=[["cause_category", "!=", False]], sort="__count"),
    # the clocks (issue 13.1): answers given on time among the answers given
    pivot("9", "Answered on time", "qms.complaint", ["__count"], domain=[["answer_status", "=", "on_time"]]),
    pivot("10", "Answered", "qms.complaint", ["__count", "answer_working_days"],
          domain=[["answer_status", "in", ["on_time", "late"]]]),
    pivot("11", "Waiting for the customer", "qms.complaint", ["__count"],
          domain=[["waiting_customer", "=", True], ["state", "not in", ["done", "cancel"]]]),
    # the cost of poor quality (issue 14.5): the stored total of the slips, by complaint category
    pivot("12", "Cost of poor quality", "qms.complaint", ["cost_total"], rows=["category"],
          domain=[["state", "!=", "cancel"]], sort="cost_total"),
    # the recurrence rate (issue 14.3/14.7), counted as the yearly summary counts it
    # (qms.annual.report._action_statistics): of the actions not cancelled, those judged effective at
    # their first attempt, those whose problem came back on a later slip, those revised
    pivot("13", "Corrective actions", "qms.corrective.action", ["__count"], domain=ACTION_NOT_CANCELLED),
    pivot("14", "Effective at first attempt", "qms.corrective.action", ["__count"],
          domain=[["state", "=", "effective"], ["revision", "=", 1]]),
    pivot("15", "Recurred", "qms.corrective.action", ["__count"],
          domain=[*ACTION_NOT_CANCELLED, ["recurred", "=", True]]),
    pivot("16", "Revised", "qms.corrective.action", ["__count"],
          domain=[*ACTION_NOT_CANCELLED, ["revision", ">", 1]]),
]

# key figures on the hidden data sheet: label, formula of the value
KEY_FIGURES = [
    ("KPI - Complaints", '=PIVOT.VALUE(1,"__count")'),
    ("KPI - Open complaints", '=PIVOT.VALUE(2,"__count")'),
    ("KPI - Mean days to close", '=ROUND(PIVOT.VALUE(1,"days_to_close"),1)'),
    ("KPI - Open corrective actions", '=PIVOT.VALUE(3,"__count")'),
    ("KPI - Mean satisfaction", '=ROUND(PIVOT.VALUE(4,"satisfaction_score"),2)'),
    ("KPI - Communication plan done", '=IFERROR(PIVOT.VALUE(6,"__count")/PIVOT.VALUE(5,"__count"),0)'),
    ("KPI - Answered on time", '=IFERROR(PIVOT.VALUE(9,"__count")/PIVOT.VALUE(10,"__count"),0)'),
    ("KPI - Mean working days to answer", '=ROUND(PIVOT.VALUE(10,"answer_working_days"),1)'),
    ("KPI - Waiting for the customer", '=PIVOT.VALUE(11,"__count")'),
    ("KPI - Cost of poor quality", '=ROUND(PIVOT.VALUE(12,"cost_total"),2)'),
    ("KPI - Corrective actions", '=PIVOT.VALUE(13,"__count")'),
    ("KPI - Effective at first attempt", '=PIVOT.VALUE(14,"__count")'),
    ("KPI - Recurred", '=PIVOT.VALUE(15,"__count")'),
    ("KPI - Revised", '=PIVOT.VALUE(16,"__count")'),
    ("KPI - Recurrence rate", '=IFERROR(PIVOT.VALUE(15,"__count")/PIVOT.VALUE(13,"__count"),0)'),
    ("KPI - Effective at first attempt rate", '=IFERROR(PIVOT.VALUE(14,"__count")/PIVOT.VALUE(13,"__count"),0)'),
]
SCORECARDS = [  # title, data cell, background, format
    ("Complaints", "Data!B1", "#EFF6FF"),
    ("Open complaints", "Data!B2", "#FFF7ED"),
    ("Mean days to close", "Data!B3", "#FFF7ED"),
    ("Open corrective actions", "Data!B4", "#FFF7ED"),
    ("Mean satisfaction (1-5)", "Data!B5", "#F0FDF4"),
    ("Communication plan done", "Data!B6", "#F0FDF4"),
    ("Answered on time", "Data!B7", "#F0FDF4"),
    ("Mean working days to answer", "Data!B8", "#FFF7ED"),
    ("Waiting for the customer", "Data!B9", "#FFF7ED"),
]


PERCENT_CELLS = ("Data!B6", "Data!B7")
ROW_HEIGHT = 23  # the grid's default: a chart sits under the heading of its row


def chart(chart_id, model, group_by, measure, mode, row, *, height=344, width=1000, x=0, title="",
          domain=(), stacked=False, menu="qms_customer.qms_complaint_menu_analysis"):
    chart_type = {"bar": "odoo_bar", "line": "odoo_line", "pie": "odoo_pie"}[mode]
    data = {
        "title": {"text": title}, "background": "#FFFFFF", "legendPosition": "top",
        "metaData": {"groupBy": group_by, "measure": measure, "order": None, "resModel": model, "mode": mode},
        "searchParams": {"comparison": None, "context": {}, "domain": list(domain), "groupBy": group_by,
                         "orderBy": []},
        "type": chart_type, "dataSets": [{} for _g in group_by], "verticalAxisPosition": "left",
        "stacked": stacked, "chartId": chart_id, "fieldMatching": field_matching(model),
    }
    if mode == "line":
        data.update(cumulatedStart=False, fillArea=True)
    figure = {"id": chart_id, "width": width, "height": height, "tag": "chart", "data": data,
              "offset": {"x": x, "y": (row - 1) * ROW_HEIGHT + 42}, "col": 0, "row": 0}
    return figure, menu


def scorecard(index, title, key, background):
    chart_id = f"qms-kpi-{index}"
    data = {"title": {"text": title, "bold": True, "color": "#434343"}, "type": "scorecard",
            "background": background, "keyValue": key, "humanize": False, "chartId": chart_id,
            "baselineColorDown": "#DC6965", "baselineColorUp": "#00A04A", "baselineMode": "difference"}
    if key in PERCENT_CELLS:
        data["format"] = "0%"
    figure = {"id": chart_id, "width": 300, "height": 106, "tag": "chart", "data": data,
              "offset": {"x": 10 + index % 3 * 310, "y": 12 + index // 3 * 116}, "col": 0, "row": 0}
    return figure, "qms_customer.qms_complaint_menu_analysis"


def link(title, model, view_type, group_by, measure=None, domain=()):
    """A heading cell that opens the matching analysis, as core dashboards do."""
    context = {"group_by": group_by}
    if measure:
        context.update(graph_measure=measure, pivot_measures=[measure])
    action = {"viewType": view_type, "action": {
        "domain": list(domain), "context": context, "modelName": model,
        "views": [[False, "graph"], [False, "pivot"], [False, "list"], [False, "form"]]},
        "threshold": 0, "name": title}
    return f"[{title}](odoo://view/{json.dumps(action, separators=(',', ':'))})"


def dashboard():
    figures, menus = [], {}
    for index, (title, key, background) in enumerate(SCORECARDS):
        figure, menu = scorecard(index, title, key, background)
        figures.append(figure)
        menus[figure["id"]] = menu
    charts = [
        chart("qms-chart-month-category", "qms.complaint", ["received_date:month", "category"], "__count",
              "bar", 17, stacked=True),
        chart("qms-chart-satisfaction", "qms.communication", ["date:month"], "satisfaction_score", "line",
              35, domain=[["satisfaction_score", ">", 0]], menu="qms_customer.qms_communication_satisfaction_menu"),
        chart("qms-chart-plan", "qms.communication.plan.line", ["date_planned:month", "state"], "__count",
              "bar", 53, stacked=True, menu="qms_customer.qms_communication_plan_line_menu"),
        chart("qms-chart-state", "qms.complaint", ["state"], "__count", "pie", 89, width=480, height=330,
              domain=OPEN_COMPLAINT),
        # issue 14.7: how many actions saw their problem come back
        chart("qms-chart-recurred", "qms.corrective.action", ["recurred"], "__count", "pie", 107, x=500,
              width=480, height=330, domain=ACTION_NOT_CANCELLED, menu="qms_customer.qms_corrective_action_menu"),
    ]
    for figure, menu in charts:
        figures.append(figure)
        menus[figure["id"]] = menu
    cells = {
        "A17": link("Complaints by month and category", "qms.complaint", "graph",
                   ["received_date:month", "category"]),
        "A35": link("Customer satisfaction by month", "qms.communication", "graph", ["date:month"],
                    "satisfaction_score", [["satisfaction_score", ">", 0]]),
        "A53": link("Communication plan: planned and done", "qms.communication.plan.line", "graph",
                    ["date_planned:month", "state"]),
        "A71": link("Complaints by category", "qms.complaint", "pivot", ["category"]),
        "A72": "=PIVOT(7)",
        "E71": link("Corrective actions by cause category (Pareto)", "qms.corrective.action", "pivot",
                    ["cause_category"]),
        "E72": "=PIVOT(8)",
        "A89": link("Open complaints by stage", "qms.complaint", "pivot", ["state"], domain=OPEN_COMPLAINT),
        "E89": link("Cost of poor quality by category", "qms.complaint", "pivot", ["category"], "cost_total",
                    [["state", "!=", "cancel"]]),
        "E90": "=PIVOT(12)",
        # issue 14.7: the recurrence rate, as the yearly complaint summary counts it
        "A107": link("Recurrence rate of corrective actions", "qms.corrective.action", "pivot",
                     ["recurred"], domain=ACTION_NOT_CANCELLED),
        "A108": '=_t("Corrective actions")', "B108": "=Data!B11",
        "A109": '=_t("Effective at first attempt")', "B109": "=Data!B12", "C109": "=Data!B16",
        "A110": '=_t("Recurred")', "B110": "=Data!B13", "C110": "=Data!B15",
        "A111": '=_t("Revised")', "B111": "=Data!B14",
    }
    sheet = {
        "id": "qms-sheet-dashboard", "name": "Dashboard", "colNumber": 8, "rowNumber": 120,
        "rows": {}, "cols": {"0": {"size": 250}, "1": {"size": 90}, "2": {"size": 110}, "3": {"size": 40},
                             "4": {"size": 250}, "5": {"size": 90}, "6": {"size": 90}},
        "merges": [], "cells": cells,
        "styles": dict.fromkeys(("A17", "A35", "A53", "A71", "E71", "A89", "E89", "A107"), 1),
        "formats": {"C109": 1, "C110": 1}, "borders": {}, "conditionalFormats": [], "dataValidationRules": [],
        "figures": figures, "tables": [], "areGridLinesVisible": False, "isVisible": True,
        "headerGroups": {"ROW": [], "COL": []}, "comments": {},
    }
    data_cells = {}
    for row, (label, formula) in enumerate(KEY_FIGURES, start=1):
        data_cells[f"A{row}"] = f'=_t("{label}")'
        data_cells[f"B{row}"] = formula
    data_sheet = {
        "id": "qms-sheet-data", "name": "Data", "colNumber": 4, "rowNumber": 20, "rows": {}, "cols": {},
        "merges": [], "cells": data_cells, "styles": {}, "borders": {},
        "formats": {"B6": 1, "B7": 1, "B15": 1, "B16": 1},
        "conditionalFormats": [], "dataValidationRules": [], "figures": [], "tables": [],
        "areGridLinesVisible": True, "isVisible": False, "headerGroups": {"ROW": [], "COL": []},
        "comments": {},
    }
    return {
        "version": "18.5.10", "sheets": [sheet, data_sheet],
        "styles": {"1": {"textColor": "#01666b", "bold": True, "fontSize": 16}},
        "formats": {"1": "0%"}, "borders": {}, "revisionId": "START_REVISION", "uniqueFigureIds": True,
        "settings": {"locale": {"name": "English (US)", "code": "en_US", "thousandsSeparator": ",",
                                "decimalSeparator": ".", "dateFormat": "mm/dd/yyyy", "timeFormat": "hh:mm:ss",
                                "formulaArgSeparator": ",", "weekStart": 7}},
        "pivots": {spec["id"]: spec for spec in PIVOTS}, "pivotNextId": len(PIVOTS) + 1,
        "customTableStyles": {}, "globalFilters": GLOBAL_FILTERS, "lists": {}, "listNextId": 1,
        "chartOdooMenusReferences": menus,
    }


def render():
    return json.dumps(dashboard(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"written {TARGET}\n")
