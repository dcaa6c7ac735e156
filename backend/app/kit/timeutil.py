"""Time helpers: timestamps are aware UTC; business "today" is Europe/Berlin."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def utcnow() -> datetime:
    return datetime.now(UTC)


def today_berlin() -> date:
    return datetime.now(BERLIN).date()


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; we store UTC, so naive means UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
