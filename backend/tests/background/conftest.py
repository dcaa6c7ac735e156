from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from app.config import Settings, get_settings
from tests.stubs.brevo import BrevoStub
from tests.stubs.receiver import WebhookReceiver


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Change settings for one test: `settings.set(email_backend="brevo")`."""

    class _Setter:
        def __init__(self, s: Settings) -> None:
            self.s = s

        def set(self, **values: Any) -> None:
            for name, value in values.items():
                monkeypatch.setattr(self.s, name, value)

    yield _Setter(get_settings())


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    r = WebhookReceiver().start()
    yield r
    r.stop()


@pytest.fixture
def brevo(settings: Any) -> Iterator[BrevoStub]:
    stub = BrevoStub().start()
    settings.set(email_backend="brevo", brevo_api_url=stub.api_url, brevo_api_key=stub.api_key)
    yield stub
    stub.stop()


@pytest.fixture
async def db() -> AsyncIterator[Any]:
    """A session for looking at rows; each query sees the latest committed state."""
    from app.db import get_sessionmaker

    async with get_sessionmaker()() as s:
        yield s


async def _park_leftovers() -> None:
    """Finish every still-queued e-mail and pending delivery of earlier tests.

    All tests of a run share one database; a worker started by this test would otherwise
    also pick up other tests' unfinished work and, say, consume a stub's scripted answers.
    """
    from sqlalchemy import update

    from app.db import session_scope
    from app.email.models import EmailMessage
    from app.webhooks.models import WebhookDelivery

    async with session_scope() as session:
        await session.execute(
            update(EmailMessage)
            .where(EmailMessage.status.in_(("queued", "sending")))
            .values(status="failed", lease_until=None, last_error="(Testende)")
        )
        await session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.status == "pending")
            .values(status="failed", locked_until=None, last_error="(Testende)")
        )


@pytest.fixture(autouse=True)
async def _isolated_outbox() -> AsyncIterator[None]:
    await _park_leftovers()
    yield
    await _park_leftovers()
