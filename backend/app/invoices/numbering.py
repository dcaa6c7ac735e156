"""Invoice numbers: gapless and unique per organization, in the organization's format.

Format placeholders: {YYYY} year, {YY} two-digit year, {MM} month, {N...} the running number
zero-padded to as many digits as there are Ns (at least one N is required). When the format
contains the year, numbering restarts every year (the common German practice).
"""

import re
from datetime import date

from functools import lru_cache

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.invoices.models import InvoiceNumberSequence

_COUNTER = re.compile(r"\{(N+)\}")
_ALLOWED = re.compile(r"\{(YYYY|YY|MM|N+)\}")


def validate_format(fmt: str) -> str:
    fmt = fmt.strip()
    if len(_COUNTER.findall(fmt)) != 1:
        raise ValueError("Das Format braucht genau einen Zähler, z. B. {NNNN}")
    leftover = _ALLOWED.sub("", fmt)
    if "{" in leftover or "}" in leftover:
        raise ValueError("Erlaubte Platzhalter: {YYYY}, {YY}, {MM}, {NNNN}")
    if not re.fullmatch(r"[A-Za-z0-9_\-/.#]*", leftover):
        raise ValueError("Erlaubt sind Buchstaben, Ziffern und - _ / . #")
    if len(render(fmt, date(2099, 12, 31), 10**6)) > 30:
        raise ValueError("Das Format ergibt zu lange Rechnungsnummern (höchstens 30 Zeichen)")
    return fmt


def period_for(fmt: str, on: date) -> int:
    return on.year if ("{YYYY}" in fmt or "{YY}" in fmt) else 0


def render(fmt: str, on: date, value: int) -> str:
    prefix, width, suffix = split_format(fmt, on)
    return prefix + str(value).zfill(width) + suffix


def split_format(fmt: str, on: date) -> tuple[str, int, str]:
    """(text before the counter, its minimum width, text after it) with the date filled in:
    what SQL needs to render a number itself (see invoices.finalize_pg)."""
    out = fmt.replace("{YYYY}", f"{on.year:04d}").replace("{YY}", f"{on.year % 100:02d}")
    out = out.replace("{MM}", f"{on.month:02d}")
    m = _COUNTER.search(out)
    assert m is not None, fmt
    return out[: m.start()], len(m.group(1)), out[m.end() :]


@lru_cache(maxsize=4)
def _upsert_statement(dialect: str):  # type: ignore[no-untyped-def]
    # Built once per dialect: statement construction costs more than its execution here.
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(InvoiceNumberSequence).values(
        organization_id=bindparam("org"), period=bindparam("period"), next_value=2
    )
    return stmt.on_conflict_do_update(
        index_elements=["organization_id", "period"],
        set_={"next_value": InvoiceNumberSequence.next_value + 1},
    ).returning(InvoiceNumberSequence.next_value - 1)


async def next_number(session: AsyncSession, organization_id: int, fmt: str, on: date) -> str:
    """Draw the next number inside the caller's transaction (see InvoiceNumberSequence).

    One upsert statement: the first number of a period creates the row, every later one
    increments it; the row lock it takes is held until the caller commits.
    """
    period = period_for(fmt, on)
    dialect = session.bind.dialect.name if session.bind else "postgresql"
    stmt = _upsert_statement(dialect)
    value = await session.scalar(stmt, {"org": organization_id, "period": period})
    assert value is not None
    return render(fmt, on, value)


async def peek_next_number(session: AsyncSession, organization_id: int, fmt: str, on: date) -> str:
    period = period_for(fmt, on)
    value = await session.scalar(
        select(InvoiceNumberSequence.next_value).where(
            InvoiceNumberSequence.organization_id == organization_id, InvoiceNumberSequence.period == period
        )
    )
    return render(fmt, on, value or 1)


async def next_numbers_bulk(session: AsyncSession, wanted: dict[int, tuple[str, int]], on: date) -> dict[int, list[str]]:
    """Draw a block of consecutive numbers for each of many organizations in one upsert (bulk
    finalization: the recurring run). `wanted` maps organization id -> (format, count).

    The caller must use every drawn number in this transaction (or roll back), so the
    sequences stay gapless. The rows go in organization order, which is the order in which
    the upsert locks them: two concurrent callers wait for each other in the same order and
    cannot deadlock.
    """
    if not wanted:
        return {}
    dialect = session.bind.dialect.name if session.bind else "postgresql"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    rows = [
        {"organization_id": org_id, "period": period_for(fmt, on), "next_value": count + 1}
        for org_id, (fmt, count) in sorted(wanted.items())
    ]
    stmt = insert(InvoiceNumberSequence).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["organization_id", "period"],
        # excluded.next_value - 1 is the block size of that row.
        set_={"next_value": InvoiceNumberSequence.next_value + stmt.excluded.next_value - 1},
    ).returning(InvoiceNumberSequence.organization_id, InvoiceNumberSequence.next_value)
    out: dict[int, list[str]] = {}
    for org_id, after in (await session.execute(stmt)).all():
        fmt, count = wanted[org_id]
        out[org_id] = [render(fmt, on, value) for value in range(after - count, after)]
    assert out.keys() == wanted.keys()
    return out
