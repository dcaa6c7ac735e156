"""Recurring templates: create, read, change, pause/resume, delete, preview.

Generation itself is the scheduler's (app/recurring/scheduler.py). Functions here take the
session and the caller's organization explicitly and only flush; the edge commits.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.contacts import service as contacts
from app.contacts.models import Contact
from app.errors import Conflict, NotFound, Unprocessable
from app.invoices import service as invoices
from app.invoices.models import Invoice
from app.invoices.schemas import ContactSummary, LineIn
from app.invoices.service import Actor
from app.invoices.totals import Totals, compute_totals
from app.kit.timeutil import today_berlin, utcnow
from app.organizations.models import Organization
from app.recurring import periods
from app.recurring.models import RecurringInvoice, RecurringOccurrence
from app.recurring.periods import FREQUENCY_LABELS, Frequency, Period
from app.recurring.schemas import (
    GeneratedInvoiceRead,
    PeriodRead,
    RecurringCreate,
    RecurringRead,
    RecurringUpdate,
    TemplateLineRead,
)

# How far `due_periods` counts; a bigger backlog is shown as this number.
_DUE_COUNT_CAP = 1000


@dataclass(frozen=True)
class _Line:
    """A stored template line in the shape compute_totals() reads."""

    quantity: Decimal
    unit_price: Decimal
    vat_category: str
    vat_rate: Decimal


# --- lines ---------------------------------------------------------------------------


def validated_lines(lines: list[LineIn], org: Organization) -> list[dict[str, Any]]:
    """Check the lines exactly as an invoice would (including the seller's VAT status) and
    store them with category and rate resolved, so every generated invoice bills what the
    seller saw when saving the template."""
    built = invoices._build_lines(lines, org.small_business)  # raises 422 naming lines.N.field
    return [
        LineIn(
            description=b.description,
            quantity=b.quantity,
            unit_code=b.unit_code,
            unit_price=b.unit_price,
            vat_rate=b.vat_rate,
            vat_category=b.vat_category,
        ).model_dump(mode="json")
        for b in built
    ]


def template_lines(tpl: RecurringInvoice) -> list[LineIn]:
    return [LineIn.model_validate(line) for line in tpl.lines]


def template_totals(tpl: RecurringInvoice) -> Totals:
    return compute_totals(
        _Line(Decimal(x["quantity"]), Decimal(x["unit_price"]), x["vat_category"], Decimal(x["vat_rate"]))
        for x in tpl.lines
    )


# --- schedule state ------------------------------------------------------------------


def status_of(tpl: RecurringInvoice) -> str:
    if tpl.finished_at is not None:
        return "finished"
    return "active" if tpl.is_active else "paused"


def exhausted(tpl: RecurringInvoice) -> bool:
    return periods.schedule_exhausted(
        tpl.start_date,
        tpl.frequency,
        tpl.next_index,
        end_date=tpl.end_date,
        max_occurrences=tpl.max_occurrences,
        generated=tpl.occurrences_count,
    )


def refresh_schedule(tpl: RecurringInvoice, now: datetime | None = None) -> None:
    """Derive next_due and the finished state from next_index and the limits."""
    if exhausted(tpl):
        tpl.next_due = None
        tpl.is_active = False
        if tpl.finished_at is None:
            tpl.finished_at = now or utcnow()
        return
    if tpl.finished_at is not None:
        # A limit was widened after the end: the series lives again, but paused, so the
        # seller decides with "resume" whether the missed periods are billed.
        tpl.finished_at = None
        tpl.is_active = False
        tpl.paused_at = now or utcnow()
    tpl.next_due = periods.period_start(tpl.start_date, tpl.frequency, tpl.next_index)


def current_period(tpl: RecurringInvoice) -> Period:
    return periods.period(tpl.start_date, tpl.frequency, tpl.next_index, tpl.end_date)


def due_periods(tpl: RecurringInvoice, today: date) -> int:
    """Periods already due (start <= today) that the next run bills, up to a cap."""
    if not tpl.is_active or tpl.next_due is None or tpl.next_due > today:
        return 0
    return len(periods.upcoming(
        tpl.start_date, tpl.frequency, from_index=tpl.next_index, count=_DUE_COUNT_CAP, end_date=tpl.end_date,
        max_occurrences=tpl.max_occurrences, generated=tpl.occurrences_count, starting_by=today,
    ))


# --- reads ---------------------------------------------------------------------------


def period_read(p: Period, note: str | None) -> PeriodRead:
    return PeriodRead(number=p.index + 1, period_start=p.start, period_end=p.end, note=periods.render_note(note, p))


def to_read(tpl: RecurringInvoice, contact: Contact | None, today: date | None = None) -> RecurringRead:
    totals = template_totals(tpl)
    return RecurringRead(
        id=tpl.id,
        name=tpl.name,
        contact_id=tpl.contact_id,
        contact=ContactSummary(id=contact.id, name=contact.name, email=contact.email) if contact else None,
        frequency=Frequency(tpl.frequency),
        frequency_label=FREQUENCY_LABELS[Frequency(tpl.frequency)],
        start_date=tpl.start_date,
        end_date=tpl.end_date,
        max_occurrences=tpl.max_occurrences,
        next_due=tpl.next_due,
        next_period=period_read(current_period(tpl), tpl.note) if tpl.next_due is not None else None,
        status=status_of(tpl),  # type: ignore[arg-type]
        is_active=tpl.is_active,
        auto_finalize=tpl.auto_finalize,
        auto_send=tpl.auto_send,
        payment_days=tpl.payment_days,
        note=tpl.note,
        buyer_reference=tpl.buyer_reference,
        lines=[
            TemplateLineRead(
                description=x["description"],
                quantity=Decimal(x["quantity"]),
                unit_code=x["unit_code"],
                unit_price=Decimal(x["unit_price"]),
                vat_rate=Decimal(x["vat_rate"]),
                vat_category=x["vat_category"],
                net_amount=net,
            )
            for x, net in zip(tpl.lines, totals.line_nets, strict=True)
        ],
        net_total=totals.net_total,
        vat_total=totals.vat_total,
        gross_total=totals.gross_total,
        occurrences_count=tpl.occurrences_count,
        due_periods=due_periods(tpl, today or today_berlin()),
        last_generated_at=tpl.last_generated_at,
        last_error=tpl.last_error,
        paused_at=tpl.paused_at,
        finished_at=tpl.finished_at,
        created_at=tpl.created_at,
        updated_at=tpl.updated_at,
    )


async def get(session: AsyncSession, organization_id: int, template_id: int, *, for_update: bool = False) -> RecurringInvoice:
    stmt = select(RecurringInvoice).where(
        RecurringInvoice.id == template_id, RecurringInvoice.organization_id == organization_id
    )
    if for_update:
        # The scheduler holds this lock while it bills the template; a change waits for it
        # instead of racing the run (e.g. a pause landing between two catch-up periods).
        stmt = stmt.with_for_update()
    tpl = await session.scalar(stmt)
    if tpl is None:
        raise NotFound("Serienrechnung nicht gefunden")
    return tpl


async def list_templates(
    session: AsyncSession,
    organization_id: int,
    *,
    status: str | None,
    contact_id: int | None,
    limit: int,
    offset: int,
) -> tuple[list[tuple[RecurringInvoice, Contact]], int]:
    stmt = (
        select(RecurringInvoice, Contact)
        .join(Contact, Contact.id == RecurringInvoice.contact_id)
        .where(RecurringInvoice.organization_id == organization_id)
    )
    if status == "active":
        stmt = stmt.where(RecurringInvoice.is_active.is_(True))
    elif status == "paused":
        stmt = stmt.where(RecurringInvoice.is_active.is_(False), RecurringInvoice.finished_at.is_(None))
    elif status == "finished":
        stmt = stmt.where(RecurringInvoice.finished_at.is_not(None))
    if contact_id is not None:
        stmt = stmt.where(RecurringInvoice.contact_id == contact_id)
    total = await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = await session.execute(
        stmt.order_by(RecurringInvoice.next_due.is_(None), RecurringInvoice.next_due, RecurringInvoice.id)
        .limit(limit)
        .offset(offset)
    )
    return [(r[0], r[1]) for r in rows.all()], total


async def generated_invoices(
    session: AsyncSession, tpl: RecurringInvoice, *, limit: int, offset: int
) -> tuple[list[GeneratedInvoiceRead], int]:
    base = select(RecurringOccurrence).where(RecurringOccurrence.recurring_invoice_id == tpl.id)
    total = await session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = await session.execute(
        select(RecurringOccurrence, Invoice)
        .outerjoin(Invoice, Invoice.id == RecurringOccurrence.invoice_id)
        .where(RecurringOccurrence.recurring_invoice_id == tpl.id)
        .order_by(RecurringOccurrence.period_start.desc())
        .limit(limit)
        .offset(offset)
    )
    items = []
    for occ, inv in rows.all():
        items.append(
            GeneratedInvoiceRead(
                invoice_id=inv.id if inv else None,
                number=inv.number if inv else None,
                status=invoices.effective_status(inv) if inv else "deleted",
                gross_total=inv.gross_total if inv else None,
                issue_date=inv.issue_date if inv else None,
                period_start=occ.period_start,
                period_end=occ.period_end,
                error=occ.error,
                sent_at=inv.sent_at if inv else None,
                created_at=occ.created_at,
            )
        )
    return items, total


# --- writes --------------------------------------------------------------------------


async def create(
    session: AsyncSession, org: Organization, body: RecurringCreate, actor: Actor
) -> tuple[RecurringInvoice, Contact]:
    contact = await contacts.get(session, org.id, body.contact_id, field="contact_id")
    now = utcnow()
    tpl = RecurringInvoice(
        organization_id=org.id,
        contact_id=contact.id,
        name=body.name,
        frequency=body.frequency.value,
        start_date=body.start_date,
        end_date=body.end_date,
        max_occurrences=body.max_occurrences,
        lines=validated_lines(body.lines, org),
        note=body.note,
        buyer_reference=body.buyer_reference,
        payment_days=body.payment_days,
        auto_finalize=body.auto_finalize,
        auto_send=body.auto_send,
        is_active=body.is_active,
        paused_at=None if body.is_active else now,
        next_index=0,
        occurrences_count=0,
        created_by=actor.user_id,
    )
    refresh_schedule(tpl, now)
    session.add(tpl)
    await session.flush()
    return tpl, contact


_NOT_NULL = ("contact_id", "name", "frequency", "start_date", "lines", "auto_finalize", "auto_send", "is_active")


async def update(session: AsyncSession, org: Organization, tpl: RecurringInvoice, body: RecurringUpdate) -> RecurringInvoice:
    data = body.model_dump(exclude_unset=True, exclude={"lines"})
    sent = body.model_fields_set
    for field in _NOT_NULL:
        if field in sent and getattr(body, field) is None:
            raise Unprocessable("Darf nicht leer sein", field=field)

    schedule_change = {
        f for f in ("frequency", "start_date") if f in data and data[f] != getattr(tpl, f)
    }
    if schedule_change and tpl.occurrences_count > 0:
        field = sorted(schedule_change)[0]
        raise Conflict(
            "Startdatum und Rhythmus lassen sich nach der ersten Rechnung nicht mehr ändern; "
            "legen Sie dafür eine neue Serienrechnung an",
            field=field,
            code="schedule_locked",
        )
    if "contact_id" in data:
        await contacts.get(session, org.id, data["contact_id"], field="contact_id")
    if body.lines is not None:
        tpl.lines = validated_lines(body.lines, org)

    is_active = data.pop("is_active", None)
    for field, value in data.items():
        setattr(tpl, field, value.value if isinstance(value, Frequency) else value)
    if tpl.end_date is not None and tpl.end_date < tpl.start_date:
        raise Unprocessable("Das Enddatum liegt vor dem Startdatum", field="end_date")
    if schedule_change:
        tpl.next_index = 0  # nothing billed yet: the schedule starts over at the new start
    refresh_schedule(tpl)

    if is_active is True and status_of(tpl) == "paused":
        resume(tpl, catch_up=False)
    elif is_active is False and status_of(tpl) == "active":
        pause(tpl)
    await session.flush()
    return tpl


def pause(tpl: RecurringInvoice) -> None:
    if status_of(tpl) == "finished":
        raise Conflict("Die Serienrechnung ist beendet", code="recurring_finished")
    if tpl.is_active:
        tpl.is_active = False
        tpl.paused_at = utcnow()


def resume(tpl: RecurringInvoice, *, catch_up: bool, today: date | None = None) -> None:
    if status_of(tpl) == "finished":
        raise Conflict("Die Serienrechnung ist beendet", code="recurring_finished")
    if tpl.is_active:
        return
    if not catch_up:
        # Periods that began while paused are skipped; the next one starting today or later
        # is billed as usual.
        tpl.next_index = periods.first_index_on_or_after(
            tpl.start_date, tpl.frequency, today or today_berlin(), minimum=tpl.next_index
        )
    tpl.is_active = True
    tpl.paused_at = None
    tpl.last_error = None
    refresh_schedule(tpl)


async def delete(session: AsyncSession, tpl: RecurringInvoice) -> None:
    # Generated invoices are accounting records and stay; only the template and its
    # occurrence log go.
    await session.delete(tpl)
    await session.flush()


def preview(tpl: RecurringInvoice, count: int) -> list[PeriodRead]:
    if tpl.finished_at is not None:
        return []
    upcoming = periods.upcoming(
        tpl.start_date, tpl.frequency, from_index=tpl.next_index, count=count, end_date=tpl.end_date,
        max_occurrences=tpl.max_occurrences, generated=tpl.occurrences_count,
    )
    return [period_read(p, tpl.note) for p in upcoming]


def preview_schedule(
    frequency: Frequency, start_date: date, *, end_date: date | None, max_occurrences: int | None, note: str | None, count: int
) -> list[PeriodRead]:
    upcoming = periods.upcoming(
        start_date, frequency, from_index=0, count=count, end_date=end_date, max_occurrences=max_occurrences, generated=0
    )
    return [period_read(p, note) for p in upcoming]
