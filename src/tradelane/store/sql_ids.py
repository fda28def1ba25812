"""`random_webhook_id()`: a fresh webhook id per row, made inside SQL on both databases.

Same form as `notifications.messages.new_webhook_id` ("msg_" + 32 hex digits of 128 random
bits), for messages written with INSERT … SELECT.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from tradelane.notifications.messages import WEBHOOK_ID_PREFIX

__all__ = ["random_webhook_id"]


class _RandomWebhookId(FunctionElement[str]):
    type = String()
    inherit_cache = True


@compiles(_RandomWebhookId)
def _sqlite(element: _RandomWebhookId, compiler: SQLCompiler, **kw: Any) -> str:
    return f"('{WEBHOOK_ID_PREFIX}' || lower(hex(randomblob(16))))"


@compiles(_RandomWebhookId, "postgresql")
def _postgresql(element: _RandomWebhookId, compiler: SQLCompiler, **kw: Any) -> str:
    return f"('{WEBHOOK_ID_PREFIX}' || replace(gen_random_uuid()::text, '-', ''))"


def random_webhook_id() -> _RandomWebhookId:
    return _RandomWebhookId()
