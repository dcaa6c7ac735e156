"""The schedule arithmetic: anchored to the start date, month ends, leap years, no DST drift."""

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.recurring import periods
from app.recurring.periods import Frequency


def starts(start: date, frequency: str, count: int) -> list[date]:
    return [periods.period_start(start, frequency, n) for n in range(count)]


def test_month_end_start_is_computed_from_the_start_not_the_previous_date():
    assert starts(date(2026, 1, 31), "monthly", 6) == [
        date(2026, 1, 31),
        date(2026, 2, 28),  # clamped ...
        date(2026, 3, 31),  # ... and back to the 31st: no drift to the 28th
        date(2026, 4, 30),
        date(2026, 5, 31),
        date(2026, 6, 30),
    ]
    # In a leap year February has the 29th.
    assert starts(date(2028, 1, 31), "monthly", 3) == [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31)]


def test_period_ends_the_day_before_the_next_period_starts():
    p = [periods.period(date(2026, 1, 31), "monthly", n) for n in range(3)]
    assert [(x.start, x.end) for x in p] == [
        (date(2026, 1, 31), date(2026, 2, 27)),
        (date(2026, 2, 28), date(2026, 3, 30)),
        (date(2026, 3, 31), date(2026, 4, 29)),
    ]


def test_yearly_from_29_february():
    assert starts(date(2024, 2, 29), "yearly", 5) == [
        date(2024, 2, 29),
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),  # a leap year again: back to the 29th
    ]
    assert periods.period(date(2024, 2, 29), "yearly", 0).end == date(2025, 2, 27)
    assert periods.period(date(2024, 2, 29), "yearly", 3).end == date(2028, 2, 28)


def test_quarterly_and_half_yearly_clamp_each_time_from_the_start():
    assert starts(date(2026, 11, 30), "quarterly", 4) == [
        date(2026, 11, 30), date(2027, 2, 28), date(2027, 5, 30), date(2027, 8, 30),
    ]
    assert starts(date(2026, 8, 31), "half_yearly", 3) == [date(2026, 8, 31), date(2027, 2, 28), date(2027, 8, 31)]


def test_weekly_across_the_summer_time_changes_keeps_seven_days():
    # Sunday 29 March 2026 and Sunday 25 October 2026 are the change days in Germany.
    march = starts(date(2026, 3, 22), "weekly", 3)
    assert march == [date(2026, 3, 22), date(2026, 3, 29), date(2026, 4, 5)]
    october = starts(date(2026, 10, 18), "weekly", 3)
    assert october == [date(2026, 10, 18), date(2026, 10, 25), date(2026, 11, 1)]
    assert periods.period(date(2026, 3, 22), "weekly", 1).end == date(2026, 4, 4)


def test_end_date_clamps_the_last_period_and_stops_the_schedule():
    kw = dict(from_index=0, count=10, end_date=date(2026, 3, 20), max_occurrences=None, generated=0)
    upcoming = periods.upcoming(date(2026, 1, 15), "monthly", **kw)
    assert [(p.start, p.end) for p in upcoming] == [
        (date(2026, 1, 15), date(2026, 2, 14)),
        (date(2026, 2, 15), date(2026, 3, 14)),
        (date(2026, 3, 15), date(2026, 3, 20)),  # the service ends with the contract
    ]


def test_max_occurrences_counts_generated_invoices():
    kw = dict(end_date=None, max_occurrences=3)
    assert len(periods.upcoming(date(2026, 1, 1), "weekly", from_index=0, count=10, generated=0, **kw)) == 3
    # Two already billed (maybe with skipped periods in between): one left, wherever it is.
    left = periods.upcoming(date(2026, 1, 1), "weekly", from_index=7, count=10, generated=2, **kw)
    assert [p.start for p in left] == [date(2026, 2, 19)]


@pytest.mark.parametrize(
    ("start", "frequency", "day", "expected"),
    [
        (date(2026, 1, 31), "monthly", date(2026, 1, 31), 0),
        (date(2026, 1, 31), "monthly", date(2026, 2, 28), 1),
        (date(2026, 1, 31), "monthly", date(2026, 3, 1), 2),
        (date(2026, 1, 1), "weekly", date(2026, 1, 8), 1),
        (date(2026, 1, 1), "weekly", date(2026, 1, 9), 2),
        (date(2024, 2, 29), "yearly", date(2026, 11, 26), 3),
        (date(2026, 5, 1), "quarterly", date(2026, 1, 1), 0),
    ],
)
def test_first_index_on_or_after(start, frequency, day, expected):
    assert periods.first_index_on_or_after(start, frequency, day) == expected


def test_note_placeholders_render_in_german():
    p = periods.period(date(2026, 11, 1), "monthly", 0)
    note = "Leistungszeitraum {period_start} – {period_end} ({month} {year}), Preis {netto}"
    with pytest.raises(ValueError, match="netto"):
        periods.check_note(note)
    ok = "Leistungszeitraum {period_start} – {period_end} ({month} {year}), Tarif {A-1}"
    assert periods.check_note(ok) == ok
    assert periods.render_note(ok, p) == "Leistungszeitraum 01.11.2026 – 30.11.2026 (November 2026), Tarif {A-1}"
    assert periods.render_note("{month}", periods.period(date(2026, 3, 1), "monthly", 0)) == "März"


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    frequency=st.sampled_from(list(Frequency)),
    n=st.integers(min_value=0, max_value=120),
)
def test_periods_tile_the_calendar_and_never_drift(start, frequency, n):
    this, following = periods.period(start, frequency, n), periods.period(start, frequency, n + 1)
    # Contiguous, no gap and no overlap.
    assert this.start <= this.end
    assert this.end + timedelta(days=1) == following.start
    if frequency == Frequency.WEEKLY:
        assert (this.start - start).days == 7 * n
    else:
        step = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}[frequency.value]
        months = (this.start.year - start.year) * 12 + this.start.month - start.month
        assert months == step * n
        # The anchor day wherever the month has it, else the month's last day.
        assert this.start.day == min(start.day, calendar.monthrange(this.start.year, this.start.month)[1])
    # And the inverse the scheduler relies on.
    assert periods.first_index_on_or_after(start, frequency, this.start) == n
