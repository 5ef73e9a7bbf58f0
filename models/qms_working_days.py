"""Working days of a company's working calendar, for the complaint clocks (issue 13).

A :class:`WorkingDays` holds the weekdays the calendar works and its public holidays (the leaves of
no resource); the arithmetic is plain Python on dates. :func:`load_working_days` builds them for a
set of calendars with two queries whatever their number (the attendances, then the leaves), so that
the deadlines of a page of slips cost a constant number of queries.

Conventions: a day counts once it has *ended*: ``count(a, b)`` is the number of working days ``d``
with ``a < d <= b``, and ``add(a, n)`` is the ``n``-th working day after ``a`` (the day a complaint
is received is not counted, as a Chinese "within 7 working days" is read).
"""
from datetime import timedelta

import pytz

# a week with no working day, or a calendar on leave for ever, must not loop: ten years at most
MAX_SPAN_DAYS = 3660
DEFAULT_WEEKDAYS = frozenset(range(5))  # Monday to Friday, when a calendar has no attendance


class WorkingDays:
    def __init__(self, weekdays, holidays, tz="UTC"):
        self.weekdays = frozenset(weekdays) or DEFAULT_WEEKDAYS
        self.holidays = frozenset(holidays)
        self.tz = tz or "UTC"

    def is_working(self, day):
        return day.weekday() in self.weekdays and day not in self.holidays

    def local_date(self, value):
        """The calendar's local date of a UTC datetime (as Odoo stores them), or a date as it is."""
        if not value:
            return False
        if not hasattr(value, "hour"):
            return value
        return pytz.utc.localize(value).astimezone(pytz.timezone(self.tz)).date()

    def add(self, start, days):
        """The ``days``-th working day after ``start``; ``start`` itself when ``days`` is 0."""
        day = start
        for _step in range(MAX_SPAN_DAYS):
            if days <= 0:
                return day
            day += timedelta(days=1)
            if self.is_working(day):
                days -= 1
        return False

    def count(self, start, end):
        """Working days after ``start`` up to ``end`` included (0 when ``end`` is not after ``start``)."""
        if not start or not end or end <= start:
            return 0
        span = min((end - start).days, MAX_SPAN_DAYS)
        return sum(1 for offset in range(1, span + 1) if self.is_working(start + timedelta(days=offset)))


def load_working_days(env, calendars):
    """{calendar id: WorkingDays} for ``calendars`` (resource.calendar), in two queries: their
    attendances, and their public holidays (leaves of no resource: the calendar's own, and the
    company-wide ones of no calendar)."""
    calendars = calendars.sudo()
    if not calendars:
        return {}
    weekdays = {calendar.id: set() for calendar in calendars}
    for calendar_id, dayofweek in env["resource.calendar.attendance"].sudo()._read_group(
            [("calendar_id", "in", calendars.ids), ("day_period", "!=", "lunch")], ["calendar_id", "dayofweek"]):
        weekdays[calendar_id.id].add(int(dayofweek))
    tzs = {calendar.id: calendar.tz for calendar in calendars}
    holidays = {calendar.id: set() for calendar in calendars}
    companies = {calendar.id: calendar.company_id.id for calendar in calendars}
    leaves = env["resource.calendar.leaves"].sudo().search_fetch(
        [("resource_id", "=", False), "|", ("calendar_id", "in", calendars.ids), ("calendar_id", "=", False)],
        ["calendar_id", "company_id", "date_from", "date_to"])
    for leave in leaves:
        for calendar_id in holidays:
            if leave.calendar_id.id not in (calendar_id, False):
                continue
            if not leave.calendar_id and leave.company_id.id not in (companies[calendar_id], False):
                continue
            tz = pytz.timezone(tzs[calendar_id] or "UTC")
            first = pytz.utc.localize(leave.date_from).astimezone(tz).date()
            # a leave ending at midnight does not take the next day
            last = pytz.utc.localize(leave.date_to - timedelta(seconds=1)).astimezone(tz).date()
            for offset in range(min((last - first).days, MAX_SPAN_DAYS) + 1):
                holidays[calendar_id].add(first + timedelta(days=offset))
    return {calendar.id: WorkingDays(weekdays[calendar.id], holidays[calendar.id], tzs[calendar.id])
            for calendar in calendars}
