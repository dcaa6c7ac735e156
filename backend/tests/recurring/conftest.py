"""Helpers for the recurring tests.

Every run bills all due templates in the (shared, per-session) test database, so each test
starts and ends with every template switched off; otherwise a test travelling to another
date would bill the templates of other tests too.
"""

from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any

import pytest
from app import events
from sqlalchemy import update


async def _deactivate_all_templates() -> None:
    from app.db import get_sessionmaker
    from app.recurring.models import RecurringInvoice

    async with get_sessionmaker()() as s:
        await s.execute(update(RecurringInvoice).values(is_active=False))
        await s.commit()


@pytest.fixture(autouse=True)
async def _only_this_tests_templates_are_active() -> AsyncIterator[None]:
    # Before: templates other test modules left active; after: this test's own.
    await _deactivate_all_templates()
    yield
    await _deactivate_all_templates()


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
def emitted() -> Iterator[list[tuple[int, str, dict[str, Any]]]]:
    """Business events as subscribers (the webhook fan-out) receive them."""
    seen: list[tuple[int, str, dict[str, Any]]] = []

    async def record(session: Any, organization_id: int, event_type: str, data: dict[str, Any]) -> None:
        seen.append((organization_id, event_type, data))

    events.subscribe(record)
    yield seen
    events._subscribers.remove(record)
