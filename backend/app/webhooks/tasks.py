"""ARQ functions of the webhook domain. They take ids only; the row holds the rest."""

from typing import Any

from app.webhooks import delivery


async def deliver_webhook(ctx: dict[str, Any], delivery_id: int) -> str:
    return await delivery.deliver(delivery_id)


async def deliver_webhooks(ctx: dict[str, Any], delivery_ids: list[int]) -> dict[str, int]:
    return await delivery.deliver_many(delivery_ids)


async def sweep_webhooks(ctx: dict[str, Any]) -> dict[str, int]:
    return await delivery.sweep()
