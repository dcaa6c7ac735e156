"""ARQ functions of the e-mail domain. They take ids only; the row holds the rest."""

from typing import Any

from app.email import sending


async def send_email(ctx: dict[str, Any], email_id: int) -> str:
    return await sending.send(email_id)


async def send_emails(ctx: dict[str, Any], email_ids: list[int]) -> dict[str, int]:
    return await sending.send_many(email_ids)


async def sweep_emails(ctx: dict[str, Any]) -> dict[str, int]:
    return await sending.sweep()
