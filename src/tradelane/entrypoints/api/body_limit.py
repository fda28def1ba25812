"""Cap request bodies while they stream in (pure ASGI middleware).

Content-Length over the cap ─▶ 413 at once, nothing read (even if the client lies)
chunked / unannounced body  ─▶ bytes counted as they arrive; past the cap ─▶ 413, the rest
                               is never read and whatever the app began to answer is dropped
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tradelane.entrypoints.api.problems import MAX_BODY_BYTES, PayloadTooLarge, too_large

__all__ = ["BodySizeLimit"]


@dataclass
class _Stream:
    received: int = 0
    exceeded: bool = False
    started: bool = False


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = (Headers(scope=scope).get("content-length") or "").strip()
        if declared.isdigit() and int(declared) > self.max_bytes:
            await too_large(PayloadTooLarge(int(declared)))(scope, receive, send)
            return
        stream = _Stream()

        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                stream.received += len(message.get("body", b""))
                if stream.received > self.max_bytes:
                    stream.exceeded = True
                    raise PayloadTooLarge(stream.received, field="body")
            return message

        async def unless_refused(message: Message) -> None:
            if stream.exceeded:
                return
            stream.started = stream.started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, unless_refused)
        except PayloadTooLarge:
            if not stream.exceeded:
                raise
        if stream.exceeded and not stream.started:
            await too_large(PayloadTooLarge(stream.received, field="body"))(scope, receive, send)
