from datetime import date

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .qms_complaint import INTAKE_STATES, QUALITY, SALES
from .qms_input_guard import check_input
from .qms_input_limits import LINE_QTY_MAX, PLAIN_TEXT_MAX_CHARS, check_text_sizes
from .qms_workflow_mixin import Gate, Step

# States of the slip in which a remedy may be decided: from the Quality review to the verification.
REMEDY_STATES = ("quality_review", "action", "investigation", "reply", "verification")
# The documents each remedy creates (4.4.2): the line links to them, and they link back to the slip.
REMEDY_DOCUMENTS = {
    "refund": ("refund_move_id",),
    "replacement": ("return_picking_id", "replacement_picking_id"),
    "repair": ("repair_id",),
}
# What a portal user may read of a line (issue #11.4): what the customer reported, nothing of the
# remedies, the guarantees' windows or the documents the company made (see qms.complaint).
PORTAL_READABLE_FIELDS = frozenset((
    "id", "display_name", "complaint_id", "company_id", "sequence", "product_id", "qty_complained", "uom_id",
    "defect_description",
))

# Clause 4.4.2, the steps on a line, read against its slip's stage: Quality's override of the
# windows, and the remedy with the documents it created.
STEPS = {
    "override": Step(REMEDY_STATES, None, group=QUALITY, stamp=("remedy_override_by_id", "remedy_override_date"),
                     check="_check_can_override", then="_after_override"),
    "remedy": Step(REMEDY_STATES, None, group=(SALES, QUALITY), stamp=("remedy_by_id", "remedy_date"),
                   fields=("remedy", *(name for names in REMEDY_DOCUMENTS.values() for name in names)),
                   check="_check_can_remedy"),
}
# issue 15.7: the returned unit received back (for a repair, or examined when the company is not
# responsible) and delivered back to the customer, by Sales or Quality while the slip is open.
STEPS["receive_unit"] = Step(REMEDY_STATES, None, group=(SALES, QUALITY),
                             stamp=("unit_receipt_by_id", "unit_receipt_date"), check="_check_can_receive_unit")
STEPS["return_to_customer"] = Step(REMEDY_STATES, None, group=(SALES, QUALITY),
                                   stamp=("return_to_customer_by_id", "return_to_customer_date"),
                                   check="_check_can_return_to_customer")
# What may be written on a line, by whom, while its slip stands where.
GATES = {
    "intake": Gate(INTAKE_STATES, (
        "sequence", "sale_line_id", "product_id", "qty_complained", "qty_returned", "uom_id", "defect_description",
        "lot_id")),
    "override": Gate(REMEDY_STATES, ("remedy_override_reason",), group=QUALITY),
}

class QmsComplaintLine(models.Model):
    """One product complained about on a slip, with the quantities complained and returned, and
    the three guarantees (三包, clause 4.4.2) on it: which remedy the customer is still entitled
    to, and the real document (credit note, return and replacement delivery, repair order) that
    the chosen remedy creates."""

    _name = "qms.complaint.line"
    _description = "Complaint Line"
    _inherit = ["qms.workflow.mixin", "qms.portal.allowlist.mixin"]
    _qms_parent_field = "complaint_id"
    _order = "complaint_id, sequence, id"
    _check_company_auto = True
    _qms_steps = STEPS
    _qms_gates = GATES
    _qms_fixed_fields = ("complaint_id",)

    complaint_id = fields.Many2one("qms.complaint", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Order Line", index="btree_not_null", check_company=True,
        domain="[('order_id', '=', parent.sale_order_id), ('display_type', '=', False)]")
    product_id = fields.Many2one(
        "product.product", string="Product", required=True, check_company=True,
        compute="_compute_product_id", store=True, readonly=False, precompute=True)
    qty_complained = fields.Float(
        string="Quantity Complained", digits="Product Unit", default=1.0, required=True)
    qty_returned = fields.Float(string="Quantity Returned", digits="Product Unit", default=0.0)
    uom_id = fields.Many2one(
        "uom.uom", string="Unit", compute="_compute_uom_id", store=True, readonly=False, precompute=True)
    defect_description = fields.Text(string="Defect")

    # --- 4.4.2 three guarantees ---------------------------------------------------------------
    warranty_start_date = fields.Date(
        string="Guarantee Starts", compute="_compute_warranty", compute_sudo=True,
        help="Delivery (of the unit, when its serial is known), installation acceptance or invoice date "
             "(see the policy or the company's setting).")
    warranty_days_elapsed = fields.Integer(
        string="Days Counted", compute="_compute_warranty", compute_sudo=True,
        help="Calendar days since the start, less the days the unit spent in repair.")
    remedy_eligible = fields.Selection([
        ("refund", "Refund"),
        ("replacement", "Replacement"),
        ("repair", "Repair"),
        ("none", "None (Guarantee Expired)"),
        ("unknown", "Not Delivered / Invoiced Yet"),
        ("not_started", "Not Started (Installation Not Accepted)"),
    ], string="Eligible Remedy", compute="_compute_warranty", compute_sudo=True,
        help="The best remedy of the three guarantees still open: refund, then replacement, then repair.")
    remedy_days_left = fields.Integer(
        string="Days Left", compute="_compute_warranty", compute_sudo=True,
        help="Days left for the eligible remedy.")
    remedy = fields.Selection([
        ("refund", "Refund"),
        ("replacement", "Replacement"),
        ("repair", "Repair"),
    ], string="Remedy Given", readonly=True, copy=False)
    remedy_by_id = fields.Many2one("res.users", string="Remedy Given By", readonly=True, copy=False)
    remedy_date = fields.Datetime(string="Remedy Given On", readonly=True, copy=False)
    remedy_override_reason = fields.Text(
        string="Override Reason", copy=False,
        help="Why Quality grants a remedy outside the days of the three guarantees.")
    remedy_override_by_id = fields.Many2one("res.users", string="Override By", readonly=True, copy=False)
    remedy_override_date = fields.Datetime(string="Override On", readonly=True, copy=False)
    refund_move_id = fields.Many2one("account.move", string="Credit Note", readonly=True, copy=False)
    return_picking_id = fields.Many2one("stock.picking", string="Return", readonly=True, copy=False)
    replacement_picking_id = fields.Many2one("stock.picking", string="Replacement Delivery", readonly=True, copy=False)
    repair_id = fields.Many2one("repair.order", string="Repair Order", readonly=True, copy=False)
    can_remedy = fields.Boolean(compute="_compute_can_steps")
    can_override = fields.Boolean(compute="_compute_can_steps")
    remedy_document_state = fields.Char(string="Remedy Status", compute="_compute_remedy_document_state")

    # --- 4.4.2 the three guarantees per unit (issue 15 items 1-4) -----------------------------
    lot_id = fields.Many2one(
        "stock.lot", string="Serial / Lot", index="btree_not_null", check_company=True,
        domain="[('id', 'in', delivered_lot_ids)]",
        help="The serial or lot of the unit complained about, among those delivered to this customer: "
             "the guarantees are then counted for this unit.")
    delivered_lot_ids = fields.Many2many(
        "stock.lot", string="Serials Delivered", compute="_compute_delivered_lot_ids",
        help="The serials and lots delivered to this customer on the order line (or, without one, on the "
             "slip's order).")
    warranty_repair_days = fields.Integer(
        string="Days in Repair", compute="_compute_warranty", compute_sudo=True,
        help="Days between the creation and the completion of the unit's repair orders since the start: "
             "they do not count.")
    refund_days_left = fields.Integer(
        string="Refund Days Left", compute="_compute_warranty", compute_sudo=True)
    replacement_days_left = fields.Integer(
        string="Replacement Days Left", compute="_compute_warranty", compute_sudo=True)
    repair_days_left = fields.Integer(
        string="Repair Days Left", compute="_compute_warranty", compute_sudo=True)
    warranty_repaired_twice = fields.Boolean(
        string="Repaired Twice", compute="_compute_warranty", compute_sudo=True,
        help="The unit was repaired twice within its warranty period and fails again: it is replaced or "
             "refunded, outside the days of these remedies.")
    warranty_earlier_repair_ids = fields.Many2many(
        "repair.order", string="Earlier Repairs", compute="_compute_warranty", compute_sudo=True,
        help="The repair orders, done, of the same unit on earlier slips.")
    warranty_note = fields.Char(string="Guarantee Status", compute="_compute_warranty", compute_sudo=True)

    # the repeat counters (issue 13.4, qms.complaint._qms_repeat_counts) and the recurrence matching
    # (issue 14.3, models/qms_complaint_recurrence.py) look the lines of a product up
    _product_complaint_idx = models.Index("(product_id, complaint_id)")

    @api.depends("sale_line_id")
    def _compute_product_id(self):
        for line in self.filtered("sale_line_id"):
            line.product_id = line.sale_line_id.product_id

    @api.depends("product_id", "sale_line_id")
    def _compute_uom_id(self):
        for line in self:
            line.uom_id = line.sale_line_id.product_uom_id or line.product_id.uom_id

    @api.constrains("qty_complained", "qty_returned", "sale_line_id", "product_id", "complaint_id")
    def _check_quantities(self):
        for line in self:
            if line.qty_complained <= 0:
                raise ValidationError(self.env._("The quantity complained about must be greater than zero."))
            if line.qty_returned < 0:
                raise ValidationError(self.env._("The quantity returned cannot be negative."))
            if line.qty_returned > line.qty_complained:
                raise ValidationError(self.env._(
                    "%(product)s: %(returned)s returned is more than the %(complained)s complained about.",
                    product=line.product_id.display_name, returned=line.qty_returned,
                    complained=line.qty_complained))
            # whoever records the slip may not read sales orders: the check itself may
            order_line = line.sale_line_id.sudo()
            if not order_line:
                line._check_quantity_without_order_line()
                continue
            if order_line.order_id != line.complaint_id.sudo().sale_order_id:
                raise ValidationError(self.env._(
                    "Order line %(line)s is not on the sales order of this complaint.", line=order_line.display_name))
            if line.product_id != order_line.product_id:
                raise ValidationError(self.env._(
                    "The product of a complaint line must be the product of its order line (%s).",
                    order_line.product_id.display_name))
            if line.qty_complained > order_line.product_uom_qty:
                raise ValidationError(self.env._(
                    "%(product)s: %(qty)s complained about is more than the %(ordered)s ordered.",
                    product=line.product_id.display_name, qty=line.qty_complained,
                    ordered=order_line.product_uom_qty))
            # a customer complains about what was delivered (about what was ordered before delivery,
            # or when the complaint is about the delivery itself: units missing)
            if (order_line.qty_delivered and line.qty_complained > order_line.qty_delivered
                    and line.complaint_id.category != "delivery"):
                raise ValidationError(self.env._(
                    "%(product)s: %(qty)s complained about is more than the %(delivered)s delivered.",
                    product=line.product_id.display_name, qty=line.qty_complained,
                    delivered=order_line.qty_delivered))
            # what came back cannot exceed what went out (what was ordered when nothing is delivered yet)
            delivered = order_line.qty_delivered or order_line.product_uom_qty
            if line.qty_returned > delivered:
                raise ValidationError(self.env._(
                    "%(product)s: %(qty)s returned is more than the %(delivered)s delivered.",
                    product=line.product_id.display_name, qty=line.qty_returned, delivered=delivered))

    def _check_quantity_without_order_line(self):
        """A line without its order line: bounded by what the slip's order delivered of the product
        (ordered, before delivery), else by LINE_QTY_MAX (issue #11.8: one billion was accepted)."""
        self.ensure_one()
        order_lines = self.complaint_id.sudo().sale_order_id.order_line.filtered(
            lambda ol: ol.product_id == self.product_id and not ol.display_type)
        if order_lines:
            delivery = self.complaint_id.category == "delivery"
            bound = sum(ol.product_uom_qty if delivery else (ol.qty_delivered or ol.product_uom_qty)
                        for ol in order_lines)
            if self.qty_complained > bound:
                raise ValidationError(self.env._(
                    "%(product)s: %(qty)s complained about is more than the %(bound)s delivered on order %(order)s "
                    "(ordered, when nothing is delivered yet).", product=self.product_id.display_name,
                    qty=self.qty_complained, bound=bound, order=order_lines.order_id.name))
        elif self.qty_complained > LINE_QTY_MAX:
            raise ValidationError(self.env._(
                "%(product)s: %(qty)s complained about is more than %(max)s; link the line to its sales order.",
                product=self.product_id.display_name, qty=self.qty_complained, max=LINE_QTY_MAX))

    # --- input limits (issue #11.8) -------------------------------------------------------------
    @api.constrains("defect_description", "remedy_override_reason")
    def _check_text_sizes(self):
        check_text_sizes(self, {"defect_description": PLAIN_TEXT_MAX_CHARS,
                                "remedy_override_reason": PLAIN_TEXT_MAX_CHARS})

    @api.model_create_multi
    def create(self, vals_list):
        check_input(self, vals_list)
        lines = super().create(vals_list)
        if self.env.uid != SUPERUSER_ID:  # the system loads slips with their lines in any stage
            lines._check_complaint_editable()
        return lines

    def write(self, vals):
        check_input(self, [vals])
        return super().write(vals)

    @api.depends("complaint_id.name", "product_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.complaint_id.name or ''} · {line.product_id.display_name or ''}"

    @api.ondelete(at_uninstall=False)
    def _unlink_only_at_intake(self):
        self._check_complaint_editable()

    def _check_complaint_editable(self):
        for complaint in self.complaint_id:
            if complaint.state not in INTAKE_STATES:
                raise UserError(self.env._(
                    "The lines of %s can no longer be changed: the slip has passed the supervisor review.",
                    complaint.name))

    # --- outside the company: what the customer reads on the portal ---------------------------
    @api.model
    def _portal_accessible_fields(self):
        """Fields a portal user may read of a line, and write (none)."""
        return PORTAL_READABLE_FIELDS, frozenset()

    # --- the windows --------------------------------------------------------------------------
    def _delivered_moves(self):
        self.ensure_one()
        return self.sale_line_id.move_ids.filtered(
            lambda m: m.state == "done" and m.location_dest_id.usage == "customer")

    def _posted_invoice_lines(self):
        self.ensure_one()
        return self.sale_line_id.invoice_lines.filtered(
            lambda line: line.move_id.move_type == "out_invoice" and line.move_id.state == "posted")

    def _warranty_start(self):
        self.ensure_one()
        return self._qms_unit_windows()[self.id]["start"]

    def _warranty_windows(self):
        self.ensure_one()
        return self.env["qms.warranty.policy"]._get_windows(self.product_id, self.company_id or self.env.company)

    @api.depends("sale_line_id", "product_id", "company_id", "lot_id", "repair_id.state")
    @api.depends_context("uid")
    def _compute_warranty(self):
        # the slip's users need not read sales, stock, repair or accounting documents themselves
        # (compute_sudo: the earlier repairs are written in sudo too, as Odoo checks a many2many's targets)
        units = self._qms_unit_windows()
        for line in self:
            unit = units[line.id]
            line.warranty_start_date = unit["start"]
            line.warranty_repair_days = unit["repair_days"]
            line.warranty_days_elapsed = unit["elapsed"]
            line.warranty_repaired_twice = unit["repaired_twice"]
            line.warranty_earlier_repair_ids = unit["earlier_repairs"]
            line.warranty_note = unit["note"]
            for remedy in REMEDY_DOCUMENTS:
                line[f"{remedy}_days_left"] = unit["days_left"][remedy]
            line.remedy_eligible, line.remedy_days_left = unit["eligible"], unit["eligible_days_left"]

    # --- the three guarantees per unit (issue 15 items 1-4) -------------------------------------
    def _qms_delivered_move_lines(self):
        """The done move lines that delivered this line's product to its customer: on its order
        line (the replacement deliveries included), else on the slip's order, else to the customer."""
        self.ensure_one()
        customer = self.complaint_id.partner_id.commercial_partner_id
        if self.sale_line_id:
            move_lines = self._delivered_moves().move_line_ids
        else:
            domain = [("state", "=", "done"), ("product_id", "=", self.product_id.id),
                      ("location_dest_id.usage", "=", "customer"),
                      ("picking_partner_id", "child_of", customer.id)]
            if self.complaint_id.sale_order_id:
                domain.append(("move_id.sale_line_id.order_id", "=", self.complaint_id.sale_order_id.id))
            move_lines = self.env["stock.move.line"].search(domain)
        return move_lines.filtered(
            lambda ml: ml.lot_id and ml.picking_partner_id.commercial_partner_id == customer)

    @api.depends("sale_line_id", "product_id", "complaint_id.partner_id", "complaint_id.sale_order_id")
    def _compute_delivered_lot_ids(self):
        for line in self:
            line.delivered_lot_ids = line.product_id and line.sudo()._qms_delivered_move_lines().lot_id

    @api.constrains("lot_id", "sale_line_id", "product_id", "complaint_id")
    def _check_lot_delivered(self):
        """A serial names a unit this customer received (issue 15 item 1)."""
        # whoever records the slip may not read stock: the check itself may
        for line in self.sudo().filtered("lot_id"):
            if line.lot_id.product_id != line.product_id:
                raise ValidationError(self.env._(
                    "Serial/lot %(lot)s is not a serial of %(product)s.",
                    lot=line.lot_id.name, product=line.product_id.display_name))
            if line.lot_id not in line._qms_delivered_move_lines().lot_id:
                raise ValidationError(self.env._(
                    "Serial/lot %(lot)s of %(product)s was not delivered to %(customer)s (%(order)s).",
                    lot=line.lot_id.name, product=line.product_id.display_name,
                    customer=line.complaint_id.partner_id.commercial_partner_id.display_name,
                    order=(line.sale_line_id.order_id or line.complaint_id.sale_order_id).name or "-"))

    def _qms_unit_windows(self):
        """The three guarantees of each line's unit, for the lines in ``self`` (read as they are:
        call on sudo): ``{line.id: {start, repair_days, elapsed, windows, days_left, eligible,
        eligible_days_left, repaired_twice, earlier_repairs, note}}``.

        The unit is the serial/lot when the line names one, else the order line. Its start is the
        policy's rule: the delivery of the unit (the last delivery of the order line without a
        serial; a replacement's delivery is the start of the unit it delivered), or the customer's
        acceptance of the installation (installed products, or the "installation" rule), or the
        invoice date. The days the unit spent in repair since its start (repair orders with its
        serial, or linked from complaint lines of the same unit: creation to completion, to today
        while under repair) do not count. A unit repaired twice (done repairs of earlier slips)
        within its repair period that fails again may be replaced or refunded.

        In a bounded number of queries for the lines of a slip: one search each for the service
        requests, the earlier lines and the repairs, whatever the number of lines."""
        today = fields.Date.context_today(self)
        lines = self.filtered("sale_line_id")
        sale_lines = lines.sale_line_id
        terms_cache = {}

        def terms(line):
            key = (line.product_id.id, (line.company_id or self.env.company).id)
            if key not in terms_cache:
                terms_cache[key] = self.env["qms.warranty.policy"]._get_terms(
                    line.product_id, line.company_id or self.env.company)
            return terms_cache[key]

        requests = self.env["qms.service.request"].search([
            ("sale_line_id", "in", sale_lines._origin.ids), ("service_type", "=", "installation"),
            ("state", "!=", "cancel"),
        ]) if sale_lines else self.env["qms.service.request"]
        lots = lines.lot_id
        earlier_lines = self.search([
            ("sale_line_id", "in", sale_lines._origin.ids), ("repair_id", "!=", False),
            ("complaint_id", "not in", self.complaint_id._origin.ids),
        ]) if sale_lines else self.browse()
        repairs = (self.env["repair.order"].search([("lot_id", "in", lots._origin.ids), ("state", "!=", "cancel")])
                   if lots else self.env["repair.order"]) | earlier_lines.repair_id | lines.repair_id
        tz_date = lambda value: fields.Datetime.context_timestamp(self, value).date()  # noqa: E731

        result = {}
        for line in self:
            unit = {"start": False, "repair_days": 0, "elapsed": 0, "windows": {},
                    "days_left": dict.fromkeys(REMEDY_DOCUMENTS, 0), "eligible": "unknown",
                    "eligible_days_left": 0, "repaired_twice": False,
                    "earlier_repairs": self.env["repair.order"], "note": False}
            result[line.id] = unit
            if not line.sale_line_id:
                continue
            rule = terms(line)
            start, unit["note"] = line._qms_unit_start(rule["start"], requests, tz_date)
            if not start:
                unit["eligible"] = "not_started" if unit["note"] else "unknown"
                continue
            # the days in repair of this unit since its start (a replaced unit's repairs are not its own)
            if line.lot_id:
                same_unit = earlier_lines.filtered(lambda e, lot=line.lot_id: e.lot_id == lot)
                own = repairs.filtered(lambda r, lot=line.lot_id: r.lot_id == lot)
            else:
                same_unit = earlier_lines.filtered(lambda e, sol=line.sale_line_id: e.sale_line_id == sol)
                own = line.repair_id
            own = (own | same_unit.repair_id).filtered(
                lambda r, start=start: r.state != "cancel" and tz_date(r.create_date) >= start)
            repair_days = 0
            for repair in own:
                end = tz_date(repair.move_id.date or repair.write_date) if repair.state == "done" else today
                repair_days += max(0, (end - tz_date(repair.create_date)).days)
            elapsed = (today - start).days - repair_days
            # two repairs done on earlier slips, and a third failure within the repair period
            earlier = (same_unit.repair_id & own).filtered(lambda r: r.state == "done")
            twice = len(earlier) >= 2 and elapsed <= rule["repair"]
            # a unit repaired twice is replaced or refunded for the rest of its repair period
            windows = {remedy: max(rule[remedy], rule["repair"]) if twice else rule[remedy]
                       for remedy in REMEDY_DOCUMENTS}
            unit.update(start=start, repair_days=repair_days, elapsed=elapsed, windows=windows,
                        repaired_twice=twice, earlier_repairs=earlier if twice else earlier.browse(),
                        days_left={remedy: max(0, days - elapsed) for remedy, days in windows.items()},
                        eligible="none")
            for remedy in ("refund", "replacement", "repair"):
                if elapsed <= windows[remedy]:
                    unit["eligible"], unit["eligible_days_left"] = remedy, windows[remedy] - elapsed
                    break
            if twice:
                unit["note"] = self.env._(
                    "Repaired twice (%(repairs)s) and failing again within the warranty period: "
                    "replacement or refund.", repairs=", ".join(earlier.sorted("id").mapped("name")))
            elif repair_days:
                unit["note"] = self.env._("%s days in repair do not count.", repair_days)
        return result

    @api.readonly
    def action_view_earlier_repairs(self):
        """The two repairs that make the unit 'repaired twice' (issue 15 item 4)."""
        self.ensure_one()
        return self.complaint_id._action_view_documents("repair.order", self.sudo().warranty_earlier_repair_ids)

    def _qms_unit_start(self, rule, requests, tz_date):
        """The start of this line's unit under ``rule`` and, when it has not started, why."""
        self.ensure_one()
        if rule == "invoice":
            dates = self._posted_invoice_lines().move_id.mapped("invoice_date")
            return (min(dates) if dates else False), False
        moves = self._delivered_moves()
        if self.lot_id:
            moves = moves.filtered(lambda m: self.lot_id in m.move_line_ids.lot_id)
        delivered = tz_date(max(moves.mapped("date"))) if moves else False
        if rule == "delivery" and not self.product_id.qms_requires_installation:
            return delivered, False
        installs = requests.filtered(lambda r: r.sale_line_id == self.sale_line_id)
        accepted = installs.filtered(lambda r: r.state == "accepted" and r.acceptance_date)
        if not accepted:
            return False, self.env._(
                "Not started: the installation (%s) has not been accepted by the customer yet.",
                ", ".join(installs.mapped("name")) or self.env._("no installation service request"))
        # a unit delivered after the acceptance (a replacement) starts at its own delivery
        return max(max(accepted.mapped("acceptance_date")), delivered or date.min), False

    @api.depends("remedy", "refund_move_id.state", "return_picking_id.state", "replacement_picking_id.state",
                 "repair_id.state")
    def _compute_remedy_document_state(self):
        for line in self.sudo():
            docs = {
                "refund": line.refund_move_id,
                "replacement": line.replacement_picking_id,
                "repair": line.repair_id,
            }
            doc = docs.get(line.remedy)
            if not doc:
                line.remedy_document_state = False
                continue
            label = dict(doc._fields["state"]._description_selection(self.env)).get(doc.state, doc.state)
            line.remedy_document_state = f"{doc.display_name}: {label}"

    # --- Quality's override ---------------------------------------------------------------------
    def action_override_window(self):
        """Quality grants a remedy outside the days of the three guarantees, with a reason."""
        return self._qms_take("override")

    def _check_can_override(self, vals):
        if not (self.remedy_override_reason or "").strip():
            raise UserError(self.env._(
                "%s: give the reason for granting a remedy outside the three guarantees.",
                self.product_id.display_name))

    def _after_override(self):
        self.complaint_id.message_post(body=self.env._(
            "%(product)s: remedy outside the three guarantees granted by %(user)s: %(reason)s",
            product=self.product_id.display_name, user=self.env.user.name, reason=self.remedy_override_reason))

    @api.readonly
    def action_open_override(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Grant a Remedy Outside the Three Guarantees"),
            "res_model": "qms.remedy.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_id": self.id},
        }

    # --- the remedies ---------------------------------------------------------------------------
    def action_remedy_refund(self):
        return self._create_remedy("refund")

    def action_remedy_replacement(self):
        return self._create_remedy("replacement")

    def action_remedy_repair(self):
        return self._create_remedy("repair")

    def _remedy_qty(self):
        return self.qty_returned or self.qty_complained

    def _check_can_remedy(self, vals):
        """The remedy step records a remedy once, with the documents created for this slip."""
        remedy = vals.get("remedy")
        if self.remedy:
            raise UserError(self.env._("%(product)s already has a remedy on %(slip)s.",
                                       product=self.product_id.display_name, slip=self.complaint_id.name))
        if remedy not in REMEDY_DOCUMENTS or set(vals) & {n for names in REMEDY_DOCUMENTS.values() for n in names} \
                != set(REMEDY_DOCUMENTS[remedy]):
            raise UserError(self.env._("%s: a remedy is given with the documents it creates, by its button.",
                                       self.product_id.display_name))
        # the documents exist only if the remedy's button created them for this slip, after checking
        # the windows, the override and the quantities (qms_complaint_id is the buttons' own): each
        # serves one line
        for name in REMEDY_DOCUMENTS[remedy]:
            document = self[name].browse(vals[name]).sudo().exists()
            used = self.sudo().search_count([(name, "=", document.id), ("id", "!=", self.id)], limit=1)
            if not document or document.qms_complaint_id != self.complaint_id or used:
                raise UserError(self.env._(
                    "%(product)s: the %(document)s given was not created for %(slip)s.",
                    product=self.product_id.display_name, slip=self.complaint_id.name,
                    document=self._fields[name]._description_string(self.env)))

    def _check_remedy_allowed(self, remedy):
        self.ensure_one()
        complaint = self.complaint_id
        if complaint.state not in REMEDY_STATES:
            raise UserError(self.env._(
                "%s: a remedy is given once the Quality department has reviewed the slip, "
                "and before it is closed.", complaint.name))
        if self.remedy:
            raise UserError(self.env._("%(product)s already has a remedy on %(slip)s.",
                                       product=self.product_id.display_name, slip=complaint.name))
        if not self.sale_line_id:
            raise UserError(self.env._(
                "%s: link the complaint line to its sales order line first.", self.product_id.display_name))
        self._check_remedy_after_receipt(remedy)
        qty = self._remedy_qty()
        if remedy == "refund":
            invoiced = sum(self._posted_invoice_lines().mapped("quantity"))
            if not invoiced:
                raise UserError(self.env._(
                    "%s has not been invoiced: there is nothing to refund.", self.sale_line_id.display_name))
            if qty > self.sale_line_id.qty_invoiced:
                raise UserError(self.env._(
                    "%(product)s: %(qty)s to refund is more than the %(invoiced)s invoiced.",
                    product=self.product_id.display_name, qty=qty, invoiced=self.sale_line_id.qty_invoiced))
        else:
            if not self._delivered_moves():
                raise UserError(self.env._(
                    "%s has not been delivered: it cannot be replaced or repaired.", self.sale_line_id.display_name))
            if qty > self.sale_line_id.qty_delivered:
                raise UserError(self.env._(
                    "%(product)s: %(qty)s is more than the %(delivered)s delivered.",
                    product=self.product_id.display_name, qty=qty, delivered=self.sale_line_id.qty_delivered))
        # the unit's windows (issue 15): its start, its days in repair, repaired twice
        unit = self._qms_unit_windows()[self.id]
        if not unit["start"]:
            raise UserError(unit["note"] or self.env._(
                "%s: the start of the three guarantees is not known yet (not delivered or invoiced).",
                self.product_id.display_name))
        elapsed, window = unit["elapsed"], unit["windows"][remedy]
        if elapsed > window and not self.remedy_override_by_id:
            raise UserError(self.env._(
                "%(product)s: %(elapsed)s days have passed, beyond the %(window)s days of the %(remedy)s "
                "guarantee. The Quality department must grant an override with a reason.",
                product=self.product_id.display_name, elapsed=elapsed, window=window,
                remedy=dict(self._fields["remedy"]._description_selection(self.env))[remedy]))

    def _create_remedy(self, remedy):
        self.check_access("read")
        for line in self:
            line._qms_ensure_can("remedy")
            line.sudo()._check_remedy_allowed(remedy)
            vals = getattr(line.sudo(), f"_create_remedy_{remedy}")()
            # the Sales user may not write lines past the intake: the step checked them above
            line.sudo()._qms_take("remedy", remedy=remedy, **vals)
            line.complaint_id.message_post(body=self.env._(
                "%(product)s: %(remedy)s given (%(docs)s).", product=line.product_id.display_name,
                remedy=dict(self._fields["remedy"]._description_selection(self.env))[remedy],
                docs=line.sudo().remedy_document_state or ""))
        return True

    def _prepare_refund_vals(self):
        self.ensure_one()
        invoice_line = self._posted_invoice_lines()[-1:]
        invoice = invoice_line.move_id
        return {
            "move_type": "out_refund",
            "partner_id": invoice.partner_id.id,
            "journal_id": invoice.journal_id.id,
            "company_id": invoice.company_id.id,
            "currency_id": invoice.currency_id.id,
            "reversed_entry_id": invoice.id,
            "invoice_origin": invoice.invoice_origin,
            "ref": self.env._("Refund for complaint %s", self.complaint_id.name),
            "qms_complaint_id": self.complaint_id.id,
            "invoice_line_ids": [Command.create({
                "product_id": self.product_id.id,
                "name": invoice_line.name,
                "quantity": self._remedy_qty(),
                "product_uom_id": invoice_line.product_uom_id.id,
                "price_unit": invoice_line.price_unit,
                "discount": invoice_line.discount,
                "tax_ids": [Command.set(invoice_line.tax_ids.ids)],
                "sale_line_ids": [Command.set(self.sale_line_id.ids)],
            })],
        }

    def _create_remedy_refund(self):
        move = self.env["account.move"].with_company(self.company_id).create(self._prepare_refund_vals())
        return {"refund_move_id": move.id}

    def _create_return(self):
        """Return the goods through Odoo's own return wizard, from the last delivery of the line."""
        self.ensure_one()
        moves = self._delivered_moves().sorted("date")
        picking = moves[-1].picking_id
        wizard = self.env["stock.return.picking"].with_context(
            active_id=picking.id, active_ids=picking.ids, active_model="stock.picking",
        ).create({"picking_id": picking.id})
        qty, found = self._remedy_qty(), False
        for return_line in wizard.product_return_moves:
            if not found and return_line.move_id.sale_line_id == self.sale_line_id:
                return_line.quantity, found = qty, True
            else:
                return_line.quantity = 0
        return_picking = wizard._create_return()
        return_picking.qms_complaint_id = self.complaint_id
        return picking, return_picking

    def _prepare_replacement_picking_vals(self, delivery):
        self.ensure_one()
        return {
            "picking_type_id": delivery.picking_type_id.id,
            "partner_id": delivery.partner_id.id,
            "location_id": delivery.location_id.id,
            "location_dest_id": delivery.location_dest_id.id,
            "origin": self.env._("Replacement for %s", self.complaint_id.name),
            "qms_complaint_id": self.complaint_id.id,
            "move_ids": [Command.create({
                "product_id": self.product_id.id,
                "product_uom_qty": self._remedy_qty(),
                "product_uom": self.sale_line_id.product_uom_id.id,
                "location_id": delivery.location_id.id,
                "location_dest_id": delivery.location_dest_id.id,
                "partner_id": delivery.partner_id.id,
                "sale_line_id": self.sale_line_id.id,
            })],
        }

    def _create_remedy_replacement(self):
        delivery, return_picking = self._create_return()
        replacement = self.env["stock.picking"].with_company(self.company_id).create(
            self._prepare_replacement_picking_vals(delivery))
        replacement.action_confirm()
        return {"return_picking_id": return_picking.id, "replacement_picking_id": replacement.id}

    def _prepare_repair_vals(self):
        self.ensure_one()
        return {
            "product_id": self.product_id.id,
            "product_qty": self._remedy_qty(),
            "product_uom": self.sale_line_id.product_uom_id.id,
            "partner_id": self.complaint_id.partner_id.id,
            "company_id": self.company_id.id,
            "under_warranty": True,
            "internal_notes": self.defect_description or False,
            "qms_complaint_id": self.complaint_id.id,
            "lot_id": self.lot_id.id,
        }

    def _create_remedy_repair(self):
        repair = self.env["repair.order"].with_company(self.company_id).create(self._prepare_repair_vals())
        return {"repair_id": repair.id}

    # --- issue 15.7: the returned unit, where it is, and the goods back to the customer ---------
    # Like OCA rma's "receive" and "return to customer": the unit the customer sent back is received
    # through a return of its delivery (the unit stays the customer's: the sales order's delivered
    # quantity is not reduced), and, when the company was found not responsible or the repair is
    # done, it goes back by an outgoing delivery linked to the line. Both documents are written by
    # their buttons' steps in sudo only (_qms_server_fields): no client names a picking of its own.
    _qms_server_fields = ("return_picking_id", "return_to_customer_picking_id")

    unit_receipt_by_id = fields.Many2one("res.users", string="Unit Received By", readonly=True, copy=False)
    unit_receipt_date = fields.Datetime(string="Unit Receipt Requested On", readonly=True, copy=False)
    return_to_customer_picking_id = fields.Many2one(
        "stock.picking", string="Delivery Back to Customer", readonly=True, copy=False, index="btree_not_null")
    return_to_customer_by_id = fields.Many2one("res.users", string="Returned to Customer By", readonly=True, copy=False)
    return_to_customer_date = fields.Datetime(string="Returned to Customer On", readonly=True, copy=False)
    can_receive_unit = fields.Boolean(compute="_compute_can_steps")
    can_return_to_customer = fields.Boolean(compute="_compute_can_steps")
    unit_status = fields.Selection([
        ("with_customer", "With the Customer"),
        ("return_in_transit", "Return on Its Way"),
        ("received", "Received"),
        ("in_repair", "In Repair"),
        ("repaired", "Repaired"),
        ("back_in_transit", "On Its Way Back"),
        ("back_with_customer", "Back with the Customer"),
    ], string="Unit Status", compute="_compute_unit_status", compute_sudo=True,
        help="Where the unit the customer complained about is, from its return, repair and delivery back.")
    unit_location_id = fields.Many2one(
        "stock.location", string="Unit Location", compute="_compute_unit_status", compute_sudo=True,
        help="The stock location holding the returned unit while it is in the company's hands.")
    unit_whereabouts = fields.Char(string="Where the Unit Is", compute="_compute_unit_status", compute_sudo=True)

    @api.depends("return_picking_id.state", "return_picking_id.location_dest_id", "repair_id.state",
                 "repair_id.product_location_dest_id", "return_to_customer_picking_id.state", "remedy")
    def _compute_unit_status(self):
        labels = dict(self._fields["unit_status"]._description_selection(self.env))
        for line in self:
            status, location = line._unit_status()
            line.unit_status, line.unit_location_id = status, location
            if location:
                line.unit_whereabouts = self.env._("%(status)s at %(location)s", status=labels[status],
                                                   location=location.display_name)
            else:
                line.unit_whereabouts = labels[status]

    def _unit_status(self):
        """(status, location): the delivery back first, then the repair, then the return."""
        self.ensure_one()
        back, repair, receipt = self.return_to_customer_picking_id, self.repair_id, self.return_picking_id
        if back.state == "done":
            return "back_with_customer", self.env["stock.location"]
        if back and back.state != "cancel":
            return "back_in_transit", back.location_id
        received = receipt.state == "done"
        if repair.state == "done":
            return "repaired", repair.product_location_dest_id
        if repair.state in ("confirmed", "under_repair") and received:
            return "in_repair", repair.product_location_src_id
        if received:
            return "received", receipt.location_dest_id
        if receipt and receipt.state != "cancel":
            return "return_in_transit", self.env["stock.location"]
        return "with_customer", self.env["stock.location"]

    def _goods_kept_reason(self):
        """Why the returned unit stays with the company (a replacement or a refund was given for
        it), or False."""
        self.ensure_one()
        if self.remedy in ("replacement", "refund"):
            return self.env._(
                "%(product)s: a %(remedy)s was given for this unit on %(slip)s: the company keeps it.",
                product=self.product_id.display_name, slip=self.complaint_id.name,
                remedy=dict(self._fields["remedy"]._description_selection(self.env))[self.remedy])
        return False

    # receive the unit back (for a repair, or for the examination when the company is not responsible)
    def action_receive_unit(self):
        """Create the return of the unit from its last delivery (Odoo's return wizard); the
        warehouse validates it when the unit arrives."""
        self.check_access("read")
        for line in self:
            line._qms_ensure_can("receive_unit")
            line.sudo()._check_receive_unit_allowed()
            _delivery, receipt = line.sudo()._create_return()
            # the unit comes back to be repaired or examined, not sold back: the order keeps it delivered
            receipt.move_ids.to_refund = False
            receipt.origin = self.env._("Unit received back for %s", line.complaint_id.name)
            line.sudo()._qms_take("receive_unit", return_picking_id=receipt.id)
            line.complaint_id.message_post(body=self.env._(
                "%(product)s: return of the unit created (%(picking)s).",
                product=line.product_id.display_name, picking=receipt.display_name))
        return True

    def _check_receive_unit_allowed(self):
        self.ensure_one()
        reason = self._receive_unit_refusal()
        if reason:
            raise UserError(reason)

    def _receive_unit_refusal(self):
        """Why the unit cannot be received back now, or False. A cancelled return does not stand in
        the way: a new one replaces it (the line then links the new one; the cancelled one stays in
        the slip's Returns, linked to the slip). The same answer drives ``can_receive_unit``."""
        self.ensure_one()
        reason = self._goods_kept_reason()
        if reason:
            return reason
        if self.return_picking_id.state not in (False, "cancel"):
            return self.env._("%(product)s: the unit is already coming back (%(picking)s).",
                              product=self.product_id.display_name, picking=self.return_picking_id.display_name)
        if not self.sale_line_id or not self._delivered_moves():
            return self.env._(
                "%s: link the line to the order line it was delivered from: the unit is returned from its delivery.",
                self.product_id.display_name)
        return False

    @api.depends_context("uid")
    def _compute_can_steps(self):
        # the Receive Unit button shows when the server would receive the unit: also after a
        # cancelled return, never while a return is under way or done (issue 15 leftovers)
        super()._compute_can_steps()
        for line in self:
            if line.can_receive_unit and line.sudo()._receive_unit_refusal():
                line.can_receive_unit = False

    def _check_can_receive_unit(self, vals):
        # the return is created by the button (in sudo, as a server field): a stamp alone is refused
        if not vals.get("return_picking_id"):
            raise UserError(self.env._("%s: the unit is received back by its button, which creates the return.",
                                       self.product_id.display_name))

    def _check_remedy_after_receipt(self, remedy):
        """Called from _check_remedy_allowed: a replacement takes the unit back by its own return."""
        self.ensure_one()
        if remedy == "replacement" and self.return_picking_id.state not in (False, "cancel"):
            raise UserError(self.env._(
                "%(product)s: the unit was already received back (%(picking)s) to be repaired or examined; "
                "send it back to the customer or give a refund.",
                product=self.product_id.display_name, picking=self.return_picking_id.display_name))

    # the unit back to the customer
    def action_return_to_customer(self):
        """Deliver the returned unit back to the customer: after the repair, or when the company was
        found not responsible for the complaint."""
        self.check_access("read")
        for line in self:
            line._qms_ensure_can("return_to_customer")
            line.sudo()._check_return_to_customer_allowed()
            picking = self.env["stock.picking"].sudo().with_company(line.company_id).create(
                line.sudo()._prepare_return_to_customer_picking_vals())
            picking.action_confirm()
            if not picking.move_ids.move_line_ids:
                picking.action_assign()
            line.sudo()._qms_take("return_to_customer", return_to_customer_picking_id=picking.id)
            line.complaint_id.message_post(body=self.env._(
                "%(product)s: the unit goes back to the customer (%(picking)s).",
                product=line.product_id.display_name, picking=picking.display_name))
        return True

    def _check_return_to_customer_allowed(self):
        self.ensure_one()
        product = self.product_id.display_name
        back = self.return_to_customer_picking_id
        if back and back.state != "cancel":
            raise UserError(self.env._("%(product)s: the unit is already sent back to the customer (%(picking)s).",
                                       product=product, picking=back.display_name))
        reason = self._goods_kept_reason()
        if reason:
            raise UserError(reason)
        if self.return_picking_id.state != "done":
            raise UserError(self.env._(
                "%s: the unit has not been received back: validate its return first.", product))
        complaint = self.complaint_id
        not_responsible = complaint.quality_date and not complaint.company_responsible
        if self.repair_id.state != "done" and not not_responsible:
            raise UserError(self.env._(
                "%s: the unit goes back to the customer once its repair is done, or when the Quality department "
                "has found the company not responsible.", product))

    def _check_can_return_to_customer(self, vals):
        if not vals.get("return_to_customer_picking_id"):
            raise UserError(self.env._(
                "%s: the unit is returned to the customer by its button, which creates the delivery.",
                self.product_id.display_name))

    def _prepare_return_to_customer_picking_vals(self):
        """The unit received (same product, quantity and lot) from where it is now to the customer's
        delivery address, by the delivery operation of the warehouse that received it."""
        self.ensure_one()
        receipt = self.return_picking_id
        moves = receipt.move_ids.filtered(lambda m: m.product_id == self.product_id and m.state == "done")
        delivery = moves.origin_returned_move_id.picking_id[:1]
        complaint = self.complaint_id
        partner = complaint.sale_order_id.partner_shipping_id or delivery.partner_id or complaint.partner_id
        _status, source = self._unit_status()
        picking_type = delivery.picking_type_id or receipt.picking_type_id.warehouse_id.out_type_id
        destination = delivery.location_dest_id or partner.property_stock_customer
        lots = moves.move_line_ids.lot_id
        qty = sum(move.product_uom._compute_quantity(move.quantity, self.product_id.uom_id) for move in moves)
        move_vals = {
            "product_id": self.product_id.id,
            "product_uom_qty": qty,
            "product_uom": self.product_id.uom_id.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "partner_id": partner.id,
        }
        if len(lots) == 1:  # the very unit (serial) or lot that came back, not another one of the stock
            move_vals["move_line_ids"] = [Command.create({
                "product_id": self.product_id.id,
                "lot_id": lots.id,
                "quantity": qty,
                "product_uom_id": self.product_id.uom_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
            })]
        return {
            "picking_type_id": picking_type.id,
            "partner_id": partner.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "origin": self.env._("Return to customer for %s", complaint.name),
            "qms_complaint_id": complaint.id,
            "move_ids": [Command.create(move_vals)],
        }

    def _qms_pickings_not_costed(self):
        """The unit's return for repair or examination and its delivery back: the customer's goods in
        the company's hands, no cost of poor quality (qms.complaint._compute_costs)."""
        kept = self.filtered(lambda line: line.remedy in ("replacement", "refund"))
        return (self - kept).return_picking_id | self.return_to_customer_picking_id
