"""Billing periods of a recurring template: pure date arithmetic, no database.

The schedule is anchored to `start_date`: the n-th period starts at start + n x step and is
computed from the start every time, never from the previous period. Stepping from the
previous date would drift (31 Jan -> 28 Feb -> 28 Mar -> ...); computing from the start
clamps only where a month is too short (31 Jan -> 28/29 Feb -> 31 Mar -> 30 Apr -> 31 May).

Periods are plain dates, so the change to and from summer time cannot shift them; only
"today" depends on a clock, and that is today in Europe/Berlin (app.kit.timeutil).
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Frequency(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"


FREQUENCY_LABELS = {
    Frequency.WEEKLY: "wöchentlich",
    Frequency.MONTHLY: "monatlich",
    Frequency.QUARTERLY: "vierteljährlich",
    Frequency.HALF_YEARLY: "halbjährlich",
    Frequency.YEARLY: "jährlich",
}

# Months per period; weekly is the only day-based frequency.
_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}

GERMAN_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)


def add_months(start: date, months: int) -> date:
    """`start` moved by whole months, the day clamped to the target month's last day."""
    zero_based = start.month - 1 + months
    year, month = start.year + zero_based // 12, zero_based % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def period_start(start: date, frequency: Frequency | str, index: int) -> date:
    """Start of the period with 0-based `index`."""
    frequency = Frequency(frequency)
    if frequency == Frequency.WEEKLY:
        return start + timedelta(weeks=index)
    return add_months(start, _MONTHS[frequency] * index)


@dataclass(frozen=True)
class Period:
    index: int  # 0-based position in the schedule
    start: date
    end: date  # inclusive: the day before the next period starts (or the template's end date)


def period(start: date, frequency: Frequency | str, index: int, end_date: date | None = None) -> Period:
    first = period_start(start, frequency, index)
    last = period_start(start, frequency, index + 1) - timedelta(days=1)
    # Services end with the contract: the last period stops at the end date, not after it.
    if end_date is not None and end_date < last:
        last = end_date
    return Period(index, first, last)


def first_index_on_or_after(start: date, frequency: Frequency | str, day: date, *, minimum: int = 0) -> int:
    """The smallest index >= `minimum` whose period starts on or after `day`."""
    frequency = Frequency(frequency)
    if day <= start:
        return minimum
    if frequency == Frequency.WEEKLY:
        guess = -(-(day - start).days // 7)  # ceiling division
    else:
        months = (day.year - start.year) * 12 + day.month - start.month
        guess = max(months // _MONTHS[frequency] - 1, 0)
    index = max(guess, minimum)
    while period_start(start, frequency, index) < day:
        index += 1
    return index


def schedule_exhausted(
    start: date,
    frequency: Frequency | str,
    index: int,
    *,
    end_date: date | None,
    max_occurrences: int | None,
    generated: int,
) -> bool:
    """True when no period with `index` (or later) may be billed any more."""
    if max_occurrences is not None and generated >= max_occurrences:
        return True
    return end_date is not None and period_start(start, frequency, index) > end_date


def upcoming(
    start: date,
    frequency: Frequency | str,
    *,
    from_index: int,
    count: int,
    end_date: date | None,
    max_occurrences: int | None,
    generated: int,
    starting_by: date | None = None,
) -> list[Period]:
    """The next `count` periods from `from_index` that the schedule will still bill (only
    those starting on or before `starting_by`, if given)."""
    out: list[Period] = []
    index = from_index
    while len(out) < count and not schedule_exhausted(
        start, frequency, index, end_date=end_date, max_occurrences=max_occurrences, generated=generated + len(out)
    ):
        p = period(start, frequency, index, end_date)
        if starting_by is not None and p.start > starting_by:
            break
        out.append(p)
        index += 1
    return out


# --- note placeholders ---------------------------------------------------------------

PLACEHOLDERS = ("period_start", "period_end", "month", "year")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


def german_date(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def check_note(note: str) -> str:
    """Reject unknown `{name}` placeholders: a typo would otherwise land on every invoice."""
    unknown = sorted({m for m in _PLACEHOLDER.findall(note) if m not in PLACEHOLDERS})
    if unknown:
        allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
        raise ValueError(f"Unbekannter Platzhalter {{{unknown[0]}}}; erlaubt sind {allowed}")
    return note


def render_note(note: str | None, p: Period) -> str | None:
    if note is None:
        return None
    values = {
        "period_start": german_date(p.start),
        "period_end": german_date(p.end),
        "month": GERMAN_MONTHS[p.start.month - 1],
        "year": str(p.start.year),
    }
    # Only known names are replaced; other braces in the text stay as the seller wrote them.
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), note)
