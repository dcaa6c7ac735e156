"""The worker's heartbeat: a Redis key with a short expiry, refreshed while it runs.

`/api/health` reports the worker "ok" only while the key exists, so a crashed or stopped
worker shows up within HEARTBEAT_TTL seconds.
"""

import asyncio
import contextlib
import time

from redis.asyncio import Redis

from app.config import get_settings

HEARTBEAT_INTERVAL = 5
HEARTBEAT_TTL = 20


def heartbeat_key() -> str:
    return f"rw:worker-heartbeat:{get_settings().arq_queue_name}"


async def beat_forever(redis: Redis) -> None:
    while True:
        with contextlib.suppress(Exception):
            await redis.set(heartbeat_key(), str(time.time()), ex=HEARTBEAT_TTL)
        await asyncio.sleep(HEARTBEAT_INTERVAL)


async def is_alive(redis: Redis) -> bool:
    return bool(await redis.exists(heartbeat_key()))
