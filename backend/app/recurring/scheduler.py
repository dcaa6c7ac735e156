"""The daily recurring run: one code path for the ARQ cron job and `rechnungswerk recurring run`.

Exactly once, never skipped:
- Templates are claimed in batches with `SELECT ... FOR UPDATE SKIP LOCKED`, so two workers
  (or a cron run and a CLI run) never bill the same template at the same time; each takes
  what the other has not locked. A second pass then waits for templates that were locked by
  someone else (an API edit, another run) and bills whatever is still due.
- A batch is one transaction: every template-period in it (occurrence record, invoice with
  lines and number, audit, notification, events, the template's advance) is written with
  it or not at all. A crash loses the uncommitted batch entirely and the next run bills it;
  nothing is ever half written, nothing committed is billed again.
- Expected refusals are decided in Python before anything is written (a finalize check
  fails: the invoice stays a draft; the invoice cannot be built: the template is paused),
  so they never abort the transaction. Anything unexpected rolls the batch back, and its
  templates are then billed one per transaction, so one broken template cannot block the
  others; it is reported and retried by the next run.
- `recurring_occurrences` has a unique (template, period start): even a bug in all of the
  above could not store a second invoice for a period.
- On SQLite, FOR UPDATE is not rendered; there, the `BEGIN IMMEDIATE` of every transaction
  (app.db) serializes writers, so a batch reads `next_due` only once it owns the write lock.

Why batches and not one transaction per invoice: a commit costs a WAL flush (about 4 ms on
the development machine) and every statement a round trip; per invoice that alone would eat
the time budget for 10,000 templates. A batch writes each kind of row with one statement
and draws the number blocks of all its organizations with one upsert, which locks the
sequence rows in organization order, so two concurrent batches cannot deadlock on them.
"""

import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app import events
from app.config import get_settings
from app.contacts.models import Contact
from app.db import commit, get_sessionmaker, rollback
from app.errors import AppError, NotFound
from app.invoices import numbering
from app.invoices import service as invoices
from app.invoices.checks import check_einvoice_ready
from app.invoices.models import Invoice
from app.invoices.schemas import InvoiceCreate
from app.invoices.service import SYSTEM
from app.kit.money import fmt_eur_de
from app.kit.timeutil import BERLIN, today_berlin, utcnow
from app.notifications.service import notify
from app.organizations.models import Organization
from app.portal import service as portal
from app.recurring import periods
from app.recurring import service as recurring
from app.recurring.models import RecurringInvoice, RecurringOccurrence, RecurringRun
from app.recurring.periods import Period, german_date

log = logging.getLogger("rechnungswerk.recurring")

DEFAULT_BATCH_SIZE = 100


@dataclass
class RunResult:
    run_date: date
    templates: int = 0  # templates billed or looked at
    generated: int = 0  # invoices created
    finalized: int = 0  # of those, finalized (numbered)
    drafts: int = 0  # of those, left as drafts (auto_finalize off or a finalize check failed)
    paused: int = 0  # templates paused because their invoice could not be created
    failed: int = 0  # templates with an unexpected error; the next run retries them
    sent: int = 0  # invoices e-mailed to the customer (auto_send)
    send_failed: int = 0  # auto_send invoices that could not be e-mailed (the seller is told)
    failed_template_ids: list[int] = field(default_factory=list)

    def add(self, other: "RunResult") -> None:
        for name in ("templates", "generated", "finalized", "drafts", "paused", "failed", "sent", "send_failed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failed_template_ids += other.failed_template_ids

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["run_date"] = self.run_date.isoformat()
        return out


@dataclass
class _Planned:
    """One period of one template on its way to becoming an invoice."""

    tpl: RecurringInvoice
    org: Organization
    contact: Contact
    period: Period
    invoice: Invoice
    error: str | None = None  # why a finalize check refused it (it stays a draft)


def _message(exc: AppError) -> str:
    details = [e["message"] for e in exc.errors if e.get("message") and e["message"] != exc.message]
    return exc.message + (f" ({'; '.join(details)})" if details else "")


def _advance(tpl: RecurringInvoice, now: datetime) -> None:
    tpl.next_index += 1
    tpl.occurrences_count += 1
    tpl.last_generated_at = now
    recurring.refresh_schedule(tpl, now)


def _pause_for_error(session: AsyncSession, tpl: RecurringInvoice, p: Period, exc: AppError) -> None:
    # The invoice itself cannot be built (e.g. the lines no longer fit the seller's VAT
    # status): it would fail again every day, so pause the series and tell the seller why.
    reason = _message(exc)
    tpl.is_active = False
    tpl.paused_at = utcnow()
    tpl.last_error = reason
    notify(
        session,
        organization_id=tpl.organization_id,
        kind="recurring.paused",
        title=f"Serienrechnung „{tpl.name}“ pausiert",
        body=(
            f"Die Rechnung für den Leistungszeitraum {german_date(p.start)} – {german_date(p.end)} "
            f"konnte nicht erstellt werden: {reason}. Bitte korrigieren Sie die Vorlage und setzen "
            "Sie die Serie fort."
        ),
        link=f"/recurring/{tpl.id}",
    )


def _invoice_body(tpl: RecurringInvoice, p: Period, today: date) -> InvoiceCreate:
    return InvoiceCreate(
        contact_id=tpl.contact_id,
        # Issued on the run day: after downtime the invoice is written today, while its
        # service period (BT-73/74) says which period it bills.
        issue_date=today,
        payment_days=tpl.payment_days,
        service_period_start=p.start,
        service_period_end=p.end,
        buyer_reference=tpl.buyer_reference,
        note=periods.render_note(tpl.note, p),
        lines=recurring.template_lines(tpl),
    )


async def _claim(
    session: AsyncSession, today: date, *, after_id: int = 0, only_id: int | None = None, limit: int,
    skip_locked: bool, exclude: Iterable[int] = (),
) -> list[RecurringInvoice]:
    stmt = (
        select(RecurringInvoice)
        .where(
            RecurringInvoice.is_active.is_(True),
            RecurringInvoice.next_due <= today,
            RecurringInvoice.id > after_id,
        )
        .order_by(RecurringInvoice.id)
        .limit(limit)
        .with_for_update(skip_locked=skip_locked)
    )
    if only_id is not None:
        stmt = stmt.where(RecurringInvoice.id == only_id)
    excluded = list(exclude)
    if excluded:
        stmt = stmt.where(RecurringInvoice.id.not_in(excluded))
    return list(await session.scalars(stmt))


async def _bill(session: AsyncSession, batch: list[RecurringInvoice], today: date) -> RunResult:
    """Bill every due period of the claimed (locked) templates, in the caller's transaction.

    In phases, so that each kind of row is written with one statement for the whole batch
    instead of one per invoice: build every invoice and run the e-invoice check in Python,
    draw each organization's numbers as one block, insert all invoices already numbered
    (as create(finalize_now=True) does), then audit, events, occurrences and notifications.
    The steps are invoices.service's own functions, so a generated invoice is exactly what
    the API would have made.
    """
    result = RunResult(today)
    now = utcnow()
    orgs = {o.id: o for o in await session.scalars(
        select(Organization).where(Organization.id.in_({t.organization_id for t in batch}))
    )}
    contacts = {c.id: c for c in await session.scalars(
        select(Contact).where(Contact.id.in_({t.contact_id for t in batch}))
    )}

    planned: list[_Planned] = []
    to_number: dict[int, list[_Planned]] = {}
    for tpl in batch:
        result.templates += 1
        org, contact = orgs[tpl.organization_id], contacts.get(tpl.contact_id)
        # Catch-up: after downtime (or a resume with catch_up) several periods may be due;
        # each gets its own invoice with its own service period.
        while tpl.is_active and tpl.next_due is not None and tpl.next_due <= today:
            p = recurring.current_period(tpl)
            try:
                if contact is None or contact.organization_id != org.id:
                    raise NotFound("Kunde nicht gefunden", field="contact_id")
                invoice = invoices.build_draft(org, contact, _invoice_body(tpl, p, today), SYSTEM)
            except AppError as exc:
                _pause_for_error(session, tpl, p, exc)
                result.paused += 1
                break
            x = _Planned(tpl, org, contact, p, invoice)
            planned.append(x)
            _advance(tpl, now)
            if tpl.auto_finalize:
                try:
                    check_einvoice_ready(org, invoice, contact)
                except AppError as exc:
                    # E.g. the seller's IBAN is missing: the draft stays, the seller is told why.
                    x.error = _message(exc)
                else:
                    to_number.setdefault(org.id, []).append(x)
    if not planned:
        return result

    if to_number:
        # Every drawn number is used right below, in this transaction: the sequences stay
        # gapless. One statement for all organizations, locked in organization order.
        numbers = await numbering.next_numbers_bulk(
            session, {org_id: (group[0].org.number_format, len(group)) for org_id, group in to_number.items()}, today
        )
        for org_id, group in to_number.items():
            for x, number in zip(group, numbers[org_id], strict=True):
                invoices.freeze(x.invoice, x.org, x.contact)
                x.invoice.number = number
    session.add_all([x.invoice for x in planned])
    await session.flush()  # every invoice with its lines, and the templates' advance

    # No autoflush while recording: every look-up a subscriber makes (the webhook fan-out
    # reads each organization's endpoints) would otherwise flush the batch's rows piecemeal;
    # they go out together with the commit.
    with session.no_autoflush:
        for x in planned:
            await invoices.record_created(session, x.org, x.invoice, x.contact, SYSTEM)
            finalized = x.invoice.number is not None
            if finalized:
                await invoices.record_finalized(session, x.org, x.invoice, x.contact, SYSTEM)
            session.add(
                RecurringOccurrence(
                    recurring_invoice_id=x.tpl.id,
                    organization_id=x.org.id,
                    period_index=x.period.index,
                    period_start=x.period.start,
                    period_end=x.period.end,
                    invoice_id=x.invoice.id,
                    status="finalized" if finalized else "draft",
                    error=x.error,
                    created_at=now,
                )
            )
            data = invoices.event_data(x.invoice, x.contact)
            data["recurring_invoice"] = {"id": x.tpl.id, "name": x.tpl.name}
            data["service_period"] = {"start": x.period.start.isoformat(), "end": x.period.end.isoformat()}
            await events.emit(session, x.org.id, "recurring.invoice_generated", data)
            result.generated += 1
            if finalized:
                result.finalized += 1
            else:
                result.drafts += 1

    for x in planned:
        summary = _Summary(x.invoice.id, x.invoice.number, x.invoice.gross_total)
        if summary.number is not None and x.tpl.auto_send:
            summary.sent_to, summary.send_error = await _auto_send(session, x)
            if summary.sent_to:
                result.sent += 1
            else:
                result.send_failed += 1
        _notify_generated(session, x, summary)
    return result


@dataclass
class _Summary:
    """What the seller's notification says, captured before sending (a failed send rolls back
    its savepoint, which leaves the invoice object to be reloaded)."""

    invoice_id: int
    number: str | None
    gross_total: Decimal
    sent_to: str | None = None
    send_error: str | None = None


async def _auto_send(session: AsyncSession, x: _Planned) -> tuple[str | None, str | None]:
    """E-mail the invoice with its portal link, as "Per E-Mail senden" does: (address, None)
    when queued, (None, reason) when not. In this transaction, so the e-mail exists exactly
    when the invoice does."""
    to = (x.contact.email or "").strip()
    if not to:
        return None, "Für den Kunden ist keine E-Mail-Adresse hinterlegt"
    try:
        # Its own savepoint: whatever fails while sending (an address the mail system refuses,
        # rendering the PDF attachment) undoes the sending, never the invoice.
        async with session.begin_nested():
            await portal.send_invoice_email(session, x.org, x.invoice.id, SYSTEM, to=to)
    except AppError as exc:
        await session.refresh(x.invoice)
        return None, _message(exc)
    except Exception:
        log.exception("recurring template %s: e-mail for invoice %s failed", x.tpl.id, x.invoice.id)
        await session.refresh(x.invoice)
        return None, "interner Fehler beim Versand"
    return to, None


def _notify_generated(session: AsyncSession, x: _Planned, summary: _Summary) -> None:
    period_text = f"{german_date(x.period.start)} – {german_date(x.period.end)}"
    link, invoice_id = f"/invoices/{summary.invoice_id}", summary.invoice_id
    if x.error is not None:
        notify(
            session,
            organization_id=x.org.id,
            kind="recurring.finalize_failed",
            title="Serienrechnung konnte nicht festgeschrieben werden",
            body=(
                f"Die Rechnung aus „{x.tpl.name}“ für {x.contact.name} (Leistungszeitraum {period_text}) "
                f"liegt als Entwurf vor: {x.error}. Bitte ergänzen Sie die Angaben und schreiben Sie "
                "die Rechnung fest."
                + (" Sie wurde deshalb auch nicht per E-Mail versendet." if x.tpl.auto_send else "")
            ),
            link=link,
            invoice_id=invoice_id,
        )
        return
    body = f"„{x.tpl.name}“ für {x.contact.name}, Leistungszeitraum {period_text}: {fmt_eur_de(summary.gross_total)}."
    if summary.number is None:
        notify(
            session, organization_id=x.org.id, kind="recurring.invoice_generated",
            title="Serienrechnung als Entwurf erstellt", body=body + " Bitte prüfen und festschreiben.",
            link=link, invoice_id=invoice_id,
        )
    elif summary.send_error is not None:
        notify(
            session, organization_id=x.org.id, kind="recurring.send_failed",
            title=f"Serienrechnung {summary.number} erstellt, aber nicht versendet",
            body=(
                f"{body} Die E-Mail an den Kunden konnte nicht verschickt werden: {summary.send_error}. "
                "Bitte senden Sie die Rechnung über „Per E-Mail senden“."
            ),
            link=link, invoice_id=invoice_id,
        )
    else:
        sent = f" Per E-Mail an {summary.sent_to} versendet." if summary.sent_to else ""
        notify(
            session, organization_id=x.org.id, kind="recurring.invoice_generated",
            title=f"Serienrechnung {summary.number} erstellt", body=body + sent, link=link, invoice_id=invoice_id,
        )


async def _bill_one(maker: async_sessionmaker[AsyncSession], template_id: int, today: date, result: RunResult) -> None:
    """A template on its own transaction: isolates the one that broke a batch."""
    async with maker() as session:
        try:
            batch = await _claim(session, today, only_id=template_id, limit=1, skip_locked=True)
            if not batch:
                await rollback(session)
                return
            partial = await _bill(session, batch, today)
            await commit(session)
            result.add(partial)
        except Exception:
            await rollback(session)
            _record_failure(result, template_id, today)
        except BaseException:
            await rollback(session)
            raise


def _record_failure(result: RunResult, template_id: int, today: date) -> None:
    log.exception("recurring template %s failed on %s; the next run retries it", template_id, today)
    result.failed += 1
    result.failed_template_ids.append(template_id)


async def _next_batch(
    maker: async_sessionmaker[AsyncSession], today: date, *, after_id: int, batch_size: int, skip_locked: bool,
    result: RunResult,
) -> list[int] | None:
    """Claim and bill one batch. Returns the claimed ids, or None when nothing is left."""
    async with maker() as session:
        batch = await _claim(
            session, today, after_id=after_id, limit=batch_size, skip_locked=skip_locked,
            exclude=result.failed_template_ids,
        )
        if not batch:
            await rollback(session)
            return None
        ids = [t.id for t in batch]
        try:
            partial = await _bill(session, batch, today)
            await commit(session)
        except Exception:
            await rollback(session)
            if len(ids) == 1:
                _record_failure(result, ids[0], today)
                return ids
            log.warning("recurring batch %s..%s failed; billing its templates one by one", ids[0], ids[-1])
        except BaseException:
            await rollback(session)
            raise
        else:
            result.add(partial)
            return ids
    # Nothing of the failed batch was written. Bill its templates one per transaction, so a
    # single broken template cannot hold the others back.
    for template_id in ids:
        await _bill_one(maker, template_id, today, result)
    return ids


async def run(
    today: date | None = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    sessionmaker: async_sessionmaker[AsyncSession] | None = None,
) -> RunResult:
    """Bill every period due on or before `today` (default: today in Europe/Berlin)."""
    today = today or today_berlin()
    maker = sessionmaker or get_sessionmaker()
    result = RunResult(today)
    # Pass 1 skips what others hold locked; pass 2 waits for it, so nothing due is left
    # behind because an API request or another run happened to hold a lock.
    for skip_locked in (True, False):
        after_id = 0
        while (
            ids := await _next_batch(
                maker, today, after_id=after_id, batch_size=batch_size, skip_locked=skip_locked, result=result
            )
        ) is not None:
            after_id = ids[-1]
    log.info("recurring run for %s: %s", today, result.as_dict())
    return result


# --- the cron tick ---------------------------------------------------------------------


def run_time() -> time:
    raw = get_settings().recurring_run_time
    try:
        hours, minutes = (int(x) for x in raw.split(":"))
        return time(hours, minutes)
    except ValueError:
        raise ValueError(f"RECURRING_RUN_TIME muss HH:MM sein, nicht {raw!r}") from None


def cron_minutes() -> set[int]:
    """The minutes of each hour at which the cron tick fires.

    ARQ evaluates cron fields in the worker's system time zone, which need not be Berlin.
    Every real time zone is offset from Berlin by a multiple of 15 minutes, so ticking at
    the configured minute and every quarter hour from it hits the configured Berlin time
    exactly, in winter and in summer, whatever zone the worker runs in.
    """
    minute = run_time().minute
    return {(minute + 15 * k) % 60 for k in range(4)}


async def cron_tick() -> RunResult | None:
    """Run today's check once the Berlin wall clock has passed RECURRING_RUN_TIME.

    The decision uses the Berlin wall clock, never a UTC hour, so the change to and from
    summer time moves nothing. A tick after a worker outage still runs the day's check
    (late rather than never); a tick after the day's run has finished does nothing.
    """
    local = utcnow().astimezone(BERLIN)
    if local.time() < run_time():
        return None
    today = local.date()
    maker = get_sessionmaker()
    async with maker() as session:
        done = await session.scalar(
            select(RecurringRun.finished_at).where(RecurringRun.run_date == today)
        )
        await rollback(session)
    if done is not None:
        return None
    async with maker() as session:
        dialect = session.bind.dialect.name if session.bind else "postgresql"
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        await session.execute(
            insert(RecurringRun)
            .values(run_date=today, started_at=utcnow(), generated=0, failed=0)
            .on_conflict_do_nothing(index_elements=["run_date"])
        )
        await commit(session)
    result = await run(today)
    async with maker() as session:
        await session.execute(
            update(RecurringRun)
            .where(RecurringRun.run_date == today)
            .values(
                # Two workers may run the same day concurrently; their counts add up.
                generated=RecurringRun.generated + result.generated,
                failed=RecurringRun.failed + result.failed,
                # A run with failures stays unfinished, so a later tick retries them today.
                finished_at=utcnow() if result.failed == 0 else None,
            )
        )
        await commit(session)
    return result
