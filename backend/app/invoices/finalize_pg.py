"""Creating and finalizing invoices on PostgreSQL: each write is ONE statement, in autocommit.

Why: a number is drawn by locking the organization's sequence row (numbering.py), and that
lock is held until commit, so every finalization of an organization waits for the one
before it to commit. Drawn in an ordinary transaction, the lock was held across every later
round trip (invoice, lines, audit, webhook rows, COMMIT) and across the waits of a busy
event loop between them; throughput per organization was 1 / that hold time. Here the draw,
every row that contains the number, and the commit are one statement: the lock is held only
while PostgreSQL executes it. Everything the statement needs is read and checked before, on
the same connection in autocommit (db.autocommit_connection: no transaction around the
reads, so none holds anything when the statement runs).

The statements write the same rows as the generic path in service.py (which SQLite and any
other database take): the invoice and its lines, audit events, and the webhook outbox
(webhooks.service.OUTBOX_CTES). JSON that contains the number (audit details, webhook
payloads) is rendered in Python with NUMBER in its place (and ID for a new invoice's id);
the statement replaces their JSON form with the drawn number and the id. A failed statement leaves nothing behind and consumes no number.
"""

import json
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app import db, events
from app.invoices import numbering
from app.invoices.models import Invoice, InvoiceLine, InvoiceStatus
from app.kit.timeutil import utcnow
from app.organizations.models import Organization
from app.webhooks import service as webhooks

# Stand for the invoice number and id in JSON rendered before they exist. PostgreSQL text
# cannot contain NUL, so no real value can look like them.
NUMBER = "\x00number\x00"
ID = "\x00id\x00"


def applies(session: AsyncSession) -> bool:
    """True on PostgreSQL while the webhook fan-out is the only event subscriber: the
    statements write its rows themselves, so another subscriber would miss these events."""
    return (
        session.bind is not None
        and session.bind.dialect.name == "postgresql"
        and events.subscribers() == (webhooks.fan_out,)
    )


# The number: `source` yields a row when (and only when) a number is to be drawn. The upsert
# creates the period's sequence row or increments it (and locks it until commit); the number
# is rendered in SQL exactly like numbering.render (lpad truncates, hence greatest()).
_NUMBER_CTES = """
seq AS (
    INSERT INTO invoice_number_sequences (organization_id, period, next_value)
    SELECT CAST(:org AS integer), CAST(:period AS integer), 2 FROM {source}
    ON CONFLICT (organization_id, period) DO UPDATE SET next_value = invoice_number_sequences.next_value + 1
    RETURNING next_value - 1 AS value
),
num AS (
    SELECT CAST(:prefix AS text)
           || lpad(value::text, greatest(CAST(:width AS integer), length(value::text)), '0')
           || CAST(:suffix AS text) AS number
    FROM seq
)"""

# Audit events of the invoice `inv(id)`, in order; :number_hole in details becomes the number.
_AUDIT_CTE = """
audit AS (
    INSERT INTO audit_events (organization_id, invoice_id, actor_type, actor_user_id, action, details, created_at)
    SELECT CAST(:org AS integer), inv.id, CAST(:actor_type AS text), CAST(:actor_user_id AS integer), a.action,
           CAST(replace(a.details, CAST(:number_hole AS text), coalesce(to_json(num.number)::text, 'null')) AS json),
           CAST(:now AS timestamptz)
    FROM inv, num, unnest(CAST(:audit_actions AS text[]), CAST(:audit_details AS text[])) WITH ORDINALITY AS a(action, details, ord)
    ORDER BY a.ord
)"""

_INVOICE_COLUMNS = (
    "organization_id", "contact_id", "type_code", "status", "payment_status", "currency", "issue_date", "due_date",
    "payment_days", "service_date", "service_period_start", "service_period_end", "buyer_reference", "note",
    "preceding_invoice_id", "net_total", "vat_total", "gross_total", "seller_snapshot", "buyer_snapshot",
    "finalized_at", "created_by", "created_at", "updated_at",
)
_INVOICE_TYPES = {
    "organization_id": "integer", "contact_id": "integer", "type_code": "text", "status": "text",
    "payment_status": "text", "currency": "text", "issue_date": "date", "due_date": "date",
    "payment_days": "integer", "service_date": "date", "service_period_start": "date", "service_period_end": "date",
    "buyer_reference": "text", "note": "text", "preceding_invoice_id": "integer", "net_total": "numeric",
    "vat_total": "numeric", "gross_total": "numeric", "seller_snapshot": "json", "buyer_snapshot": "json",
    "finalized_at": "timestamptz", "created_by": "integer", "created_at": "timestamptz", "updated_at": "timestamptz",
}
_LINE_COLUMNS = {
    "position": "integer", "description": "text", "quantity": "numeric", "unit_code": "text",
    "unit_price": "numeric", "vat_category": "text", "vat_rate": "numeric", "net_amount": "numeric",
}


def _create_sql(numbered: bool) -> str:
    number = _NUMBER_CTES.format(source="(VALUES (1)) AS go") if numbered else "num AS (SELECT CAST(NULL AS text) AS number)"
    values = ", ".join(
        f"CAST(:inv_{c} AS {_INVOICE_TYPES[c]})" if c != "organization_id" else "CAST(:org AS integer)"
        for c in _INVOICE_COLUMNS
    )
    line_arrays = ", ".join(f"CAST(:line_{c} AS {t}[])" for c, t in _LINE_COLUMNS.items())
    return f"""
WITH {number},
inv AS (
    INSERT INTO invoices (number, {", ".join(_INVOICE_COLUMNS)})
    SELECT num.number, {values} FROM num
    RETURNING id
),
lines AS (
    INSERT INTO invoice_lines (invoice_id, {", ".join(_LINE_COLUMNS)})
    SELECT inv.id, l.* FROM inv, unnest({line_arrays}) AS l
),
{_AUDIT_CTE},
{webhooks.OUTBOX_CTES}
SELECT inv.id, num.number, ARRAY(SELECT id FROM wh_deliveries) AS deliveries FROM inv, num
"""


_CREATE_DRAFT = text(_create_sql(numbered=False))
_CREATE_FINALIZED = text(_create_sql(numbered=True))

# A loaded draft: the row lock is taken here, by the statement, and only if the draft is
# unchanged since it was read and checked (the reads ran outside a transaction); otherwise no
# row, no number, and the caller answers 409.
_FINALIZE = text(f"""
WITH target AS (
    SELECT id FROM invoices
    WHERE id = CAST(:invoice_id AS integer) AND organization_id = CAST(:org AS integer)
      AND status = 'draft' AND updated_at = CAST(:seen_updated_at AS timestamptz)
    FOR UPDATE
),
{_NUMBER_CTES.format(source="target")},
inv AS (
    UPDATE invoices SET number = num.number, status = 'open', finalized_at = CAST(:now AS timestamptz),
        seller_snapshot = CAST(:seller_snapshot AS json), buyer_snapshot = CAST(:buyer_snapshot AS json),
        updated_at = CAST(:now AS timestamptz)
    FROM num WHERE invoices.id = CAST(:invoice_id AS integer)
    RETURNING invoices.id
),
{_AUDIT_CTE},
{webhooks.OUTBOX_CTES}
SELECT num.number, ARRAY(SELECT id FROM wh_deliveries) AS deliveries FROM num
""")


def _common(
    org: Organization, actor_type: str, actor_user_id: int | None, now: datetime,
    audit: list[tuple[str, dict[str, Any]]], outbox: list[tuple[str, dict[str, Any]]],
) -> dict[str, Any]:
    return {
        "org": org.id,
        "now": now,
        "number_hole": json.dumps(NUMBER),
        "id_hole": json.dumps(ID),
        "actor_type": actor_type,
        "actor_user_id": actor_user_id,
        "audit_actions": [action for action, _ in audit],
        "audit_details": [json.dumps(details) for _, details in audit],
        **webhooks.outbox_params(outbox, now),
    }


def _number_params(org: Organization, invoice: Invoice) -> dict[str, Any]:
    prefix, width, suffix = numbering.split_format(org.number_format, invoice.issue_date)
    return {
        "period": numbering.period_for(org.number_format, invoice.issue_date),
        "prefix": prefix,
        "width": width,
        "suffix": suffix,
    }


def _json(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value)


async def insert(
    session: AsyncSession,
    org: Organization,
    invoice: Invoice,
    *,
    actor_type: str,
    actor_user_id: int | None,
    audit: list[tuple[str, dict[str, Any]]],
    outbox: list[tuple[str, dict[str, Any]]],
) -> None:
    """Insert the (not yet persisted) `invoice` from service.build_draft with its lines;
    numbered when it is frozen (status open). Sets id, number and timestamps on the object."""
    numbered = invoice.status == InvoiceStatus.OPEN
    now = invoice.finalized_at or utcnow()
    invoice.created_at = invoice.updated_at = now
    params = _common(org, actor_type, actor_user_id, now, audit, outbox)
    for c in _INVOICE_COLUMNS[1:]:
        value = getattr(invoice, c)
        params[f"inv_{c}"] = _json(value) if c.endswith("_snapshot") else value
    lines: list[InvoiceLine] = invoice.lines
    for c in _LINE_COLUMNS:
        params[f"line_{c}"] = [getattr(line, c) for line in lines]
    if numbered:
        params.update(_number_params(org, invoice))
    conn = await db.autocommit_connection(session)
    row = (await conn.execute(_CREATE_FINALIZED if numbered else _CREATE_DRAFT, params)).one()
    invoice.id, invoice.number = row.id, row.number
    webhooks.enqueue_after_commit(session, row.deliveries)


async def finalize(
    session: AsyncSession,
    org: Organization,
    invoice: Invoice,
    seen_updated_at: datetime,
    *,
    actor_type: str,
    actor_user_id: int | None,
    audit: list[tuple[str, dict[str, Any]]],
    outbox: list[tuple[str, dict[str, Any]]],
) -> bool:
    """Number and store the frozen `invoice` (a draft read at `seen_updated_at`, detached from
    the session). False when the draft changed or was finalized meanwhile (nothing written)."""
    assert invoice.finalized_at is not None
    now = invoice.finalized_at
    params = _common(org, actor_type, actor_user_id, now, audit, outbox)
    params.update(_number_params(org, invoice))
    params.update(
        invoice_id=invoice.id,
        seen_updated_at=seen_updated_at,
        seller_snapshot=_json(invoice.seller_snapshot),
        buyer_snapshot=_json(invoice.buyer_snapshot),
    )
    conn = await db.autocommit_connection(session)
    row = (await conn.execute(_FINALIZE, params)).first()
    if row is None:
        return False
    invoice.number = row.number
    invoice.updated_at = now
    webhooks.enqueue_after_commit(session, row.deliveries)
    return True

