"""Helpers for the recurring tests.

Every run bills all due templates in the (shared, per-session) test database, so each test
switches its templates off afterwards; otherwise a later test travelling to another date
would bill them too.
"""

from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any

import pytest
from app import events
from app.errors import Unprocessable
from app.invoices import service as invoices
from sqlalchemy import update


@pytest.fixture(autouse=True)
async def _deactivate_templates_afterwards() -> AsyncIterator[None]:
    yield
    from app.db import get_sessionmaker
    from app.recurring.models import RecurringInvoice

    async with get_sessionmaker()() as s:
        await s.execute(update(RecurringInvoice).values(is_active=False))
        await s.commit()


LINES = [
    {"description": "Wartungspauschale", "quantity": "1", "unit_price": "100.00", "vat_rate": "19"},
    {"description": "Hosting", "quantity": "2", "unit_code": "MON", "unit_price": "12.50", "vat_rate": "19"},
    {"description": "Fachzeitschrift", "quantity": "1", "unit_price": "10.00", "vat_rate": "7"},
]


async def make_template(tenant: Any, contact_id: int | None = None, **overrides: Any) -> dict[str, Any]:
    if contact_id is None:
        contact_id = (await tenant.contact())["id"]
    body: dict[str, Any] = {
        "contact_id": contact_id,
        "name": "Wartungsvertrag",
        "frequency": "monthly",
        "start_date": "2026-01-01",
        "lines": LINES,
    }
    body.update(overrides)
    r = await tenant.post("/api/recurring", body)
    assert r.status_code == 201, r.text
    return r.json()


async def run(day: date, **kw: Any) -> Any:
    from app.recurring import scheduler

    return await scheduler.run(day, **kw)


@pytest.fixture
def iban_required() -> Iterator[None]:
    """The finalize rule the e-invoice package enforces: no IBAN, no finalized invoice."""

    async def check(session: Any, org: Any, invoice: Any, contact: Any) -> None:
        if not org.iban:
            raise Unprocessable("Die IBAN des Rechnungsstellers fehlt", field="iban")

    invoices.register_finalize_check(check)
    yield
    invoices._finalize_checks.remove(check)


@pytest.fixture
def emitted() -> Iterator[list[tuple[int, str, dict[str, Any]]]]:
    """Business events as subscribers (the webhook fan-out) receive them."""
    seen: list[tuple[int, str, dict[str, Any]]] = []

    async def record(session: Any, organization_id: int, event_type: str, data: dict[str, Any]) -> None:
        seen.append((organization_id, event_type, data))

    events.subscribe(record)
    yield seen
    events._subscribers.remove(record)
