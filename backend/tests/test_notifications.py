from app.db import commit
from app.notifications.service import notify


async def test_notifications_newest_first_unread_count_and_mark_read(tenant, other_tenant, session):
    for i in range(3):
        notify(session, organization_id=tenant.organization_id, kind="test", title=f"Nachricht {i}")
        await session.flush()
    notify(session, organization_id=other_tenant.organization_id, kind="test", title="Fremd")
    await commit(session)

    page = (await tenant.get("/api/notifications")).json()
    assert [n["title"] for n in page["items"]] == ["Nachricht 2", "Nachricht 1", "Nachricht 0"]
    assert page["unread_count"] == 3 and all(not n["is_read"] for n in page["items"])
    first = page["items"][0]["id"]
    assert (await tenant.post(f"/api/notifications/{first}/read")).json()["is_read"] is True
    assert (await tenant.get("/api/notifications/unread-count")).json() == {"unread_count": 2}
    unread = (await tenant.get("/api/notifications", params={"unread_only": True})).json()
    assert len(unread["items"]) == 2
    await tenant.post("/api/notifications/read-all")
    assert (await tenant.get("/api/notifications/unread-count")).json() == {"unread_count": 0}
    assert (await other_tenant.get("/api/notifications/unread-count")).json() == {"unread_count": 1}
