"""The settings this work added, and the guards on them."""

import pytest
from pydantic import ValidationError

from app.config import Settings

PROD = {"environment": "production", "secret_key": "s" * 40, "brevo_webhook_token": "geheim-und-lang"}


def test_private_webhook_targets_only_by_default_in_development() -> None:
    assert Settings(environment="development", webhook_allow_private_targets=None).effective_webhook_allow_private_targets
    assert not Settings(**PROD, webhook_allow_private_targets=None).effective_webhook_allow_private_targets
    assert not Settings(environment="test", webhook_allow_private_targets=None).effective_webhook_allow_private_targets
    with pytest.raises(ValidationError, match="WEBHOOK_ALLOW_PRIVATE_TARGETS"):
        Settings(**PROD, webhook_allow_private_targets=True)


def test_lease_must_outlast_the_timeouts() -> None:
    with pytest.raises(ValidationError, match="OUTBOX_LEASE_SECONDS"):
        Settings(outbox_lease_seconds=10, webhook_timeout_seconds=10)
    assert Settings(outbox_lease_seconds=11, webhook_timeout_seconds=10, email_timeout_seconds=10).outbox_lease_seconds == 11


@pytest.mark.parametrize(("seconds", "ok"), [(60, True), (15, True), (1, True), (7, False), (0, False), (120, False)])
def test_sweep_interval_divides_a_minute(seconds: int, ok: bool) -> None:
    if ok:
        assert Settings(outbox_sweep_seconds=seconds).outbox_sweep_seconds == seconds
    else:
        with pytest.raises(ValidationError, match="OUTBOX_SWEEP_SECONDS"):
            Settings(outbox_sweep_seconds=seconds)
