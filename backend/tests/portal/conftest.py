"""Portal test helpers: a client with its own address per test (the per-IP limit on
unknown tokens is real and shared through Redis), archived documents, captured events."""

import hashlib
import itertools
import random
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from sqlalchemy import update

from app.db import get_sessionmaker
from app.invoices.models import Invoice
from app.storage import get_storage

_ip_counter = itertools.count(random.randrange(1, 200) * 256)


def fresh_ip() -> str:
    # 198.18.0.0/15 is reserved for benchmarks: never a real customer's address.
    n = next(_ip_counter)
    return f"198.18.{(n // 256) % 256}.{n % 256 or 1}"


@pytest.fixture
def client_ip() -> str:
    return fresh_ip()


@pytest.fixture
async def client(app, client_ip: str) -> AsyncIterator[Any]:  # type: ignore[no-untyped-def]
    import httpx

    transport = httpx.ASGITransport(app=app, client=(client_ip, 43210))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
def captured_events() -> Iterator[list[tuple[int, str, dict[str, Any]]]]:
    from app import events

    seen: list[tuple[int, str, dict[str, Any]]] = []

    async def _capture(session: Any, organization_id: int, event_type: str, data: dict[str, Any]) -> None:
        seen.append((organization_id, event_type, data))

    events.subscribe(_capture)
    yield seen
    events._subscribers.remove(_capture)


async def share(tenant: Any, invoice_id: int, **body: Any) -> dict[str, Any]:
    r = await tenant.post(f"/api/invoices/{invoice_id}/share-link", body or None)
    assert r.status_code in (200, 201), r.text
    return r.json()


async def shared_invoice(tenant: Any, **invoice_kw: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    invoice = await tenant.finalized_invoice(**invoice_kw)
    return invoice, await share(tenant, invoice["id"])


async def set_invoice(invoice_id: int, **values: Any) -> None:
    async with get_sessionmaker()() as s:
        await s.execute(update(Invoice).where(Invoice.id == invoice_id).values(**values))
        await s.commit()


async def archive(invoice_id: int, number: str) -> dict[str, bytes]:
    """What the e-invoice archive does at finalize: store each document once, record its hash."""
    docs = {
        "pdf": b"%PDF-1.7\n% archived ZUGFeRD of " + number.encode() + b"\n%%EOF\n",
        "ubl": f'<?xml version="1.0"?><Invoice><ID>{number}</ID></Invoice>'.encode(),
        "cii": f'<?xml version="1.0"?><CrossIndustryInvoice><ID>{number}</ID></CrossIndustryInvoice>'.encode(),
    }
    storage = get_storage()
    values: dict[str, Any] = {}
    for kind, data in docs.items():
        path = f"invoices/{invoice_id}/archive/{kind}-{hashlib.sha256(data).hexdigest()[:12]}"
        storage.save(path, data)
        values[f"{kind}_path"] = path
        values[f"{kind}_sha256"] = hashlib.sha256(data).hexdigest()
    await set_invoice(invoice_id, **values)
    return docs
