"""Group commit for the worker: many concurrent jobs, few database round trips.

Each ARQ job handles one row (one e-mail, one webhook delivery) and stays simple and
idempotent. But a worker running hundreds of jobs at once would spend most of its time on
per-row transactions. A `Coalescer` lets every job `await submit(item)` as if it ran its
own query, while the items that arrive together are handled by one function call (one
UPDATE ... WHERE id IN (...), one executemany): while a batch is in the database, the next
one fills up. Under load (the previous batch ended moments ago) a batch also waits a few
milliseconds for company, since on a busy machine every round trip costs far more than
the wait; after a quiet spell the first item goes at once, so a lone job pays nothing.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar
from weakref import WeakKeyDictionary

T = TypeVar("T")
R = TypeVar("R")


class Coalescer(Generic[T, R]):
    def __init__(
        self, fn: Callable[[list[T]], Awaitable[Sequence[R]]], *, max_batch: int = 250, window: float = 0.005
    ) -> None:
        self._fn = fn
        self._max_batch = max_batch
        self._window = window
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._runner: asyncio.Task[None] | None = None
        self._last_batch_end = 0.0

    async def submit(self, item: T) -> R:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self._pending.append((item, future))
        if self._runner is None or self._runner.done():
            self._runner = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        busy = time.monotonic() - self._last_batch_end < 10 * self._window
        # At least one turn of the loop, so the jobs that are ready right now join this batch.
        await asyncio.sleep(self._window if busy else 0)
        while self._pending:
            batch = self._pending[: self._max_batch]
            del self._pending[: self._max_batch]
            try:
                results = await self._fn([item for item, _ in batch])
            except BaseException as exc:  # noqa: BLE001 - handed to every waiting job
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                if isinstance(exc, asyncio.CancelledError):
                    raise
                continue
            finally:
                self._last_batch_end = time.monotonic()
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)


_per_loop: "WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, Coalescer]]" = WeakKeyDictionary()  # type: ignore[type-arg]


def coalescer(name: str, fn: Callable[[list[T]], Awaitable[Sequence[R]]], *, max_batch: int = 250) -> Coalescer[T, R]:
    """The process-wide coalescer `name` for the running event loop."""
    registry = _per_loop.setdefault(asyncio.get_running_loop(), {})
    found = registry.get(name)
    if found is None:
        found = registry[name] = Coalescer(fn, max_batch=max_batch)
    return found
