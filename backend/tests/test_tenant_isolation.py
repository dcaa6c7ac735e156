"""Every tenant-owned route answers 404 for another organization's id.

The routes are taken from the OpenAPI schema, not listed by hand: a new route with a path
parameter fails this test until a factory for its parameter exists below, so isolation is
checked for routes nobody remembered to test.
"""

import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tests.fixtures.factories import Tenant

PUBLIC_PREFIXES = ("/api/portal/", "/api/auth/", "/api/health", "/api/brevo/", "/api/files/")

Factory = Callable[[Tenant, Any], Awaitable[Any]]


async def _invoice(owner: Tenant, session: Any) -> int:
    return (await owner.finalized_invoice())["id"]


async def _contact(owner: Tenant, session: Any) -> int:
    return (await owner.contact())["id"]


async def _notification(owner: Tenant, session: Any) -> int:
    from app.db import commit
    from app.notifications.service import notify

    n = notify(session, organization_id=owner.organization_id, kind="test", title="Hallo")
    await session.flush()
    await commit(session)
    return n.id


async def _recurring_template(owner: Tenant, session: Any) -> int:
    contact = await owner.contact()
    body = {
        "contact_id": contact["id"], "name": "Wartung", "frequency": "monthly", "start_date": "2026-01-01",
        "lines": [{"description": "Wartung", "quantity": "1", "unit_price": "100.00", "vat_rate": "19"}],
        # Paused: a worker's recurring cron in a later test must not bill it.
        "is_active": False,
    }
    r = await owner.post("/api/recurring", body)
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _email(owner: Tenant, session: Any) -> int:
    from app.db import commit
    from app.email.service import queue_email

    message = await queue_email(
        session, organization_id=owner.organization_id, to="kunde@beispiel.de", subject="Test", text_body="x", html_body="<p>x</p>"
    )
    await commit(session)
    return message.id


async def _webhook(owner: Tenant, session: Any) -> int:
    r = await owner.post("/api/webhooks", {"url": "https://93.184.215.14/hook", "events": ["invoice.paid"]})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _delivery(owner: Tenant, session: Any) -> int:
    r = await owner.post(f"/api/webhooks/{await _webhook(owner, session)}/test")
    assert r.status_code == 202, r.text
    return r.json()["id"]


# Parameter name -> how to create a resource of that kind owned by the victim organization.
# Other domains register theirs here (webhooks, e-mails, recurring templates, ...).
FACTORIES: dict[str, Factory] = {
    "invoice_id": _invoice,
    "contact_id": _contact,
    "notification_id": _notification,
    "template_id": _recurring_template,
    "email_id": _email,
    "webhook_id": _webhook,
    "delivery_id": _delivery,
}

# Request bodies that pass validation, so that the 404 (not a 422) is what is tested.
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/invoices/{invoice_id}/send-email"): {"to": "einkauf@beispiel-handel.de"},
}


def _tenant_routes(app: Any) -> list[tuple[str, str, list[str]]]:
    routes = []
    for path, ops in app.openapi()["paths"].items():
        if path.startswith(PUBLIC_PREFIXES):
            continue
        params = re.findall(r"\{(\w+)\}", path)
        if not params:
            continue
        for method in ops:
            routes.append((method.upper(), path, params))
    return routes


async def test_route_table_is_covered(app):
    missing = {p for _, _, params in _tenant_routes(app) for p in params if p not in FACTORIES}
    assert not missing, f"add a factory for these path parameters: {sorted(missing)}"
    assert len(_tenant_routes(app)) >= 13


async def test_foreign_ids_answer_404_everywhere(app, tenant, other_tenant, session):
    victim_ids: dict[str, Any] = {}
    for param, factory in FACTORIES.items():
        victim_ids[param] = await factory(tenant, session)

    checked = 0
    for method, path, params in _tenant_routes(app):
        url = path
        for p in params:
            url = url.replace("{" + p + "}", str(victim_ids[p]))
        body = BODIES.get((method, path), {} if method in ("POST", "PATCH", "PUT") else None)
        r = await other_tenant.client.request(method, url, json=body, headers=other_tenant.headers)
        assert r.status_code == 404, f"{method} {path} as another organization -> {r.status_code} {r.text[:200]}"
        assert r.json()["code"] in ("not_found",), r.json()
        checked += 1
    assert checked >= 13

    # And nothing the intruder tried changed the owner's data.
    for method, path, params in _tenant_routes(app):
        if method != "GET":
            continue
        url = path
        for p in params:
            url = url.replace("{" + p + "}", str(victim_ids[p]))
        r = await tenant.get(url)
        assert r.status_code == 200, f"owner GET {path} -> {r.status_code}"


async def test_lists_show_only_own_rows(tenant, other_tenant):
    await tenant.finalized_invoice()
    await other_tenant.finalized_invoice()
    for url in ("/api/invoices", "/api/contacts"):
        mine = (await tenant.get(url)).json()["items"]
        theirs = (await other_tenant.get(url)).json()["items"]
        assert mine and theirs
        assert not {i["id"] for i in mine} & {i["id"] for i in theirs}


@pytest.mark.parametrize("token", ["", "Bearer kaputt", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"])
async def test_routes_need_a_valid_token(client, token):
    r = await client.get("/api/invoices", headers={"Authorization": token} if token else {})
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"
