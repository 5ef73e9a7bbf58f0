"""Issue 13.1: the clocks of a slip in working days (acknowledge, answer, close), paused while
waiting for the customer, and the daily escalation of late slips (clause 4.3.1).

Dates (2030): Tuesday 1 January; Friday 4 January is the reception of every slip below. The
company's calendar works Monday to Friday; Wednesday 9 January is a public holiday where a test says
so. A day counts once it has passed: the day of reception is not counted."""
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import QmsComplaintCommon, QmsHttpCommon

FRIDAY = "2030-01-04 10:00:00"


class ClockCommon(QmsComplaintCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create({
            "name": "Test Mon-Fri", "tz": "UTC", "company_id": cls.env.company.id,
            "attendance_ids": [(0, 0, {"name": f"Day {day}", "dayofweek": str(day), "hour_from": 8, "hour_to": 17,
                                       "day_period": "morning"}) for day in range(5)]})
        cls.env.company.write({"resource_calendar_id": cls.calendar.id, "qms_ack_working_days": 1,
                               "qms_answer_working_days": 7, "qms_close_working_days": 30,
                               "qms_escalate_gm_days": 5})

    def _holiday(self, day="2030-01-09"):
        return self.env["resource.calendar.leaves"].create({
            "name": "Public holiday", "calendar_id": self.calendar.id, "resource_id": False,
            "date_from": f"{day} 00:00:00", "date_to": f"{day} 23:59:59"})

    def _slip(self, **vals):
        with freeze_time(FRIDAY):
            return self._complaint(received_date=FRIDAY, **vals)


@tagged("post_install", "-at_install")
class TestComplaintClocks(ClockCommon):

    def test_deadlines_across_a_weekend(self):
        slip = self._slip()
        # Friday + 1 working day = Monday; + 7 = Tuesday 15; + 30 = six weeks later, Friday 15 February
        self.assertEqual((slip.deadline_ack, slip.deadline_answer, slip.deadline_close),
                         (date(2030, 1, 7), date(2030, 1, 15), date(2030, 2, 15)))
        self.assertEqual((slip.ack_status, slip.answer_status, slip.close_status), ("running",) * 3)
        self.assertEqual(slip.next_deadline, date(2030, 1, 7))

    def test_a_deadline_never_met_stops_when_the_slip_is_closed(self):
        slip = self._slip()
        with freeze_time("2030-01-10 10:00:00"):
            slip.with_user(self.supervisor)._do_cancel("Recorded twice")
        # never acknowledged: not "running" on a closed slip, and out of the late list
        self.assertEqual((slip.ack_status, slip.answer_status, slip.close_status), ("not_met",) * 3)
        self.assertEqual((slip.ack_working_days, slip.next_deadline), (0, False))

    def test_a_company_holiday_is_not_a_working_day(self):
        self._holiday()
        slip = self._slip()
        # Mon 7, Tue 8, (Wed 9 off), Thu 10, Fri 11, Mon 14, Tue 15, Wed 16
        self.assertEqual((slip.deadline_ack, slip.deadline_answer), (date(2030, 1, 7), date(2030, 1, 16)))
        # a leave of one employee (with a resource) is no public holiday
        self.env["resource.calendar.leaves"].create({
            "name": "Someone's leave", "calendar_id": self.calendar.id,
            "resource_id": self.sales.employee_ids[:1].resource_id.id,
            "date_from": "2030-01-10 00:00:00", "date_to": "2030-01-10 23:59:59"})
        slip_2 = self._slip()
        self.assertEqual(slip_2.deadline_answer, date(2030, 1, 16))

    def test_an_agreed_answer_date_replaces_the_computed_one(self):
        slip = self._slip(answer_agreed_date="2030-01-25")
        self.assertEqual(slip.deadline_answer, date(2030, 1, 25))

    def test_waiting_for_the_customer_moves_every_open_deadline(self):
        self._holiday()
        slip = self._slip()
        with freeze_time("2030-01-07 08:00:00"):
            slip.with_user(self.sales).action_acknowledge()
        with freeze_time("2030-01-07 09:00:00"):
            slip.with_user(self.sales).waiting_reason = "Photos of the damaged desks"
            slip.with_user(self.sales).action_pause()
            self.assertTrue(slip.waiting_customer)
            self.assertFalse(slip.next_deadline, "a waiting slip is not late")
        with freeze_time("2030-01-10 15:00:00"):
            slip.with_user(self.sales).action_resume()
        self.assertFalse(slip.waiting_customer)
        self.assertFalse(slip.waiting_reason)
        pause = slip.pause_ids
        self.assertEqual((pause.reason, pause.date_start, pause.date_end),
                         ("Photos of the damaged desks", datetime(2030, 1, 7, 9), datetime(2030, 1, 10, 15)))
        # waited Tue 8 and Thu 10 (Wed 9 is a holiday): 2 working days
        self.assertEqual(slip.paused_working_days, 2)
        # acknowledged before the pause: its deadline does not move, met on time in 1 working day
        self.assertEqual((slip.deadline_ack, slip.ack_status, slip.ack_working_days), (date(2030, 1, 7), "on_time", 1))
        # the answer (Wed 16) and the closing (Fri 15 Feb, Mon 18 with the holiday) move by 2 working days
        self.assertEqual(slip.deadline_answer, date(2030, 1, 18))
        self.assertEqual(slip.deadline_close, date(2030, 2, 20))
        self.assertEqual(slip.next_deadline, date(2030, 1, 18))
        # answered on Monday 21: 10 working days since Friday 4, 2 of them waiting: 8, late
        self._to_quality_review(slip)
        slip.with_user(self.quality).write({"quality_disposition": "Within specification",
                                            "responsibility_finding": "normal_use"})
        slip.with_user(self.quality).action_confirm_not_responsible()
        slip.with_user(self.sales).investigation_cause = "Used outdoors"
        slip.with_user(self.sales).action_investigation_done()
        with freeze_time("2030-01-21 11:00:00"):
            self._reply(slip)
        self.assertEqual((slip.answer_status, slip.answer_working_days), ("late", 8))
        self.assertEqual(slip.next_deadline, date(2030, 2, 20), "the closing is still open")
        # the history shows the pause
        bodies = " ".join(slip.message_ids.mapped("body"))
        self.assertIn("Photos of the damaged desks", bodies)

    def test_acknowledging_is_once(self):
        slip = self._slip()
        with freeze_time("2030-01-07 08:00:00"):
            slip.with_user(self.sales).action_acknowledge()
        stamp = slip.acknowledged_date
        with self.assertRaises(UserError):
            slip.with_user(self.sales).action_acknowledge()
        with freeze_time("2030-01-08 08:00:00"):
            self.assertFalse(slip._stamp_acknowledged(), "the server's stamp is idempotent")
        self.assertEqual(slip.acknowledged_date, stamp)
        self.assertEqual((slip.ack_status, slip.acknowledged_by_id), ("on_time", self.sales))

    def test_bad_input_is_refused_with_nothing_written(self):
        slip = self._slip()
        with self.assertRaises(ValidationError):
            slip.with_user(self.sales).answer_agreed_date = "2030-01-03"
        self.assertFalse(slip.answer_agreed_date)
        with self.assertRaises(ValidationError), freeze_time(FRIDAY):
            self._complaint(received_date=FRIDAY, answer_agreed_date="2030-01-01")
        with self.assertRaises(UserError):
            slip.with_user(self.sales).action_pause()
        self.assertFalse(slip.waiting_customer)
        self.assertFalse(slip.pause_ids)
        # a colleague who is not Sales neither acknowledges nor stops the clocks
        own = self._complaint(user=self.employee)
        with self.assertRaises(AccessError):
            own.with_user(self.employee).action_acknowledge()
        self.assertFalse(own.acknowledged_date)

    def test_settings_refuse_zero_days(self):
        with self.assertRaises(Exception), self.cr.savepoint():  # noqa: B017 (the database's CHECK)
            self.env.company.qms_answer_working_days = 0

    def test_deadlines_of_a_page_in_constant_queries(self):
        self._holiday()
        Slip = self.env["qms.complaint"].sudo()
        with freeze_time(FRIDAY):
            slips = Slip.create([{"partner_id": self.customer.id, "category": "service", "received_date": FRIDAY}
                                 for _i in range(80)])
        with freeze_time("2030-01-07 09:00:00"):
            for slip in slips[::4]:
                slip.sudo().write({"waiting_reason": "Sample"})
            slips[::4].with_user(self.sales).action_pause()
        names = [name for name in slips._fields if name in (
            "paused_working_days", "next_deadline", "deadline_ack", "deadline_answer", "deadline_close",
            "ack_working_days", "answer_working_days", "close_working_days", "ack_status", "answer_status",
            "close_status")]
        fields_ = [slips._fields[name] for name in names]
        counts = []
        for page in (slips[:10], slips):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            with self.env.protecting(fields_, page):
                page._compute_clocks()
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1], counts)
        self.env.invalidate_all()
        page = slips.browse(slips.ids)
        with self.assertQueryCount(counts[1]), self.env.protecting(fields_, page):
            page._compute_clocks()
        self.assertLessEqual(counts[1], 8, counts)
        self.assertEqual(page[1].deadline_answer, date(2030, 1, 16))

    def test_escalation_once_per_person_and_deadline(self):
        slip = self._slip(severity="minor")
        critical = self._slip(severity="critical")
        Slip = self.env["qms.complaint"]

        def escalate(today):
            # the demo's slips are late too: look at these two, and at the test's supervisor and GM
            made = Slip._cron_escalate_late(today=today)
            return sorted((e.complaint_id.id, e.user_id.id, e.deadline) for e in made
                          if e.complaint_id in slip | critical and e.user_id in self.supervisor | self.gm)

        # Monday 7 was the deadline to acknowledge: on Tuesday 8 the supervisor hears of both, the
        # General Manager of the critical one
        self.assertEqual(escalate(date(2030, 1, 8)), sorted([
            (slip.id, self.supervisor.id, "ack"), (critical.id, self.supervisor.id, "ack"),
            (critical.id, self.gm.id, "ack")]))
        self.assertEqual(escalate(date(2030, 1, 8)), [], "never twice")
        self.assertEqual(escalate(date(2030, 1, 9)), [])
        activities = slip.activity_ids.filtered(lambda a: a.user_id == self.supervisor and "Late" in a.summary)
        self.assertEqual(len(activities), 1)
        # late by 5 working days (Tue 8 .. Mon 14): the General Manager hears of the minor slip too
        self.assertEqual(escalate(date(2030, 1, 14)), [(slip.id, self.gm.id, "ack")])
        # the answer deadline (Tue 15) passes: escalated for it, once
        self.assertEqual(escalate(date(2030, 1, 16)), sorted([
            (slip.id, self.supervisor.id, "answer"), (slip.id, self.gm.id, "answer"),
            (critical.id, self.supervisor.id, "answer"), (critical.id, self.gm.id, "answer")]))
        # waiting for the customer: not escalated
        with freeze_time("2030-01-17 09:00:00"):
            slip.with_user(self.sales).waiting_reason = "Sample"
            slip.with_user(self.sales).action_pause()
        self.assertEqual(escalate(date(2030, 3, 30)), sorted([
            (critical.id, self.supervisor.id, "close"), (critical.id, self.gm.id, "close")]))

    def test_portal_and_email_intake_acknowledge(self):
        slip = self._slip()
        slip.sudo()._qms_acknowledge_email_intake()
        self.assertTrue(slip.acknowledged_date)
        self.assertIn(slip.name, slip.message_ids.filtered(lambda m: m.message_type == "comment")[:1].body)


@tagged("post_install", "-at_install")
class TestComplaintClocksHttp(QmsHttpCommon, ClockCommon):
    """The clocks' rules over /json/2, as the demo roles would try to get around them."""

    def test_wrong_role_cannot_acknowledge_or_pause(self):
        own = self._complaint(user=self.employee)
        self.assertRefused(self.employee, "qms.complaint", "action_acknowledge", ids=own.ids)
        self.assertRefused(self.employee, "qms.complaint", "write", ids=own.ids,
                           vals={"acknowledged_by_id": self.employee.id})
        self.assertRefused(self.employee, "qms.complaint", "write", ids=own.ids,
                           vals={"acknowledged_date": "2030-01-05 10:00:00"})
        self.assertRefused(self.employee, "qms.complaint", "write", ids=own.ids, vals={"waiting_reason": "x"})
        self.assertRefused(self.employee, "qms.complaint", "action_pause", ids=own.ids)
        self.assertRefused(self.employee, "qms.complaint", "write", ids=own.ids,
                           vals={"paused_by_id": self.employee.id, "waiting_reason": "Sample"})
        self.assertFalse(own.acknowledged_date or own.waiting_customer or own.pause_ids)

    def test_sales_paths_refuse_bad_input(self):
        slip = self._complaint()
        self.assertRefused(self.sales, "qms.complaint", "action_pause", "Say what", ids=slip.ids)
        self.assertRefused(self.sales, "qms.complaint", "write", ids=slip.ids, vals={"waiting_customer": True})
        self.assertRefused(self.sales, "qms.complaint", "write", ids=slip.ids,
                           vals={"answer_agreed_date": "2000-01-01"})
        self.assertRefused(self.sales, "qms.complaint", "create", vals_list=[{
            "partner_id": self.customer.id, "category": "service", "answer_agreed_date": "2000-01-01"}])
        self.assertRefused(self.sales, "qms.complaint", "copy", ids=slip.ids,
                           default={"acknowledged_date": "2030-01-05 10:00:00"})
        self.assertRefused(self.sales, "qms.complaint.pause", "create", vals_list=[{
            "complaint_id": slip.id, "reason": "x", "date_start": "2030-01-05 10:00:00"}])
        self.assertFalse(slip.waiting_customer or slip.pause_ids or slip.answer_agreed_date)
        # the right way: the reason, then the step
        self.assertAccepted(self.sales, "qms.complaint", "write", ids=slip.ids, vals={"waiting_reason": "Sample"})
        self.assertAccepted(self.sales, "qms.complaint", "action_pause", ids=slip.ids)
        self.assertTrue(slip.waiting_customer)
        self.assertEqual(slip.pause_ids.reason, "Sample")
        self.assertAccepted(self.sales, "qms.complaint", "action_acknowledge", ids=slip.ids)
        self.assertTrue(slip.acknowledged_date)
