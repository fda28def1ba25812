"""Group commit for inbound webhooks: concurrent requests share one transaction.

    request ─▶ submit(delivery) ─▶ queue ─▶ one writer at a time takes everything queued
        (at most `max_batch`) ─▶ write(batch) in a worker thread ─▶ each request's result

A request is answered only after its batch committed, so a 200 still means "stored". While one
batch commits the next one gathers; a lone request is a batch of one (no waiting for company).
When a batch of several fails, each delivery is retried alone so one bad delivery cannot fail
the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

__all__ = ["GroupCommit"]

D = TypeVar("D")
R = TypeVar("R")


class GroupCommit(Generic[D, R]):
    def __init__(self, write: Callable[[Sequence[D]], list[R]], *, max_batch: int) -> None:
        self._write = write
        self._max_batch = max_batch
        self._queue: list[tuple[D, asyncio.Future[R]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def submit(self, item: D) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._queue:
            batch = self._queue[: self._max_batch]
            del self._queue[: self._max_batch]
            await self._commit(batch)

    async def _commit(self, batch: list[tuple[D, asyncio.Future[R]]]) -> None:
        try:
            results = await asyncio.to_thread(self._write, [item for item, _ in batch])
        except Exception as exc:
            if len(batch) > 1:
                for one in batch:
                    await self._commit([one])
                return
            _settle(batch[0][1], exc)
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)


def _settle(future: asyncio.Future[R], exc: Exception) -> None:
    if not future.done():
        future.set_exception(exc)
