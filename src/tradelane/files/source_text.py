"""Read a seller's input file (orders, products, hand-offs) as text: size limit, UTF-8 (BOM
allowed), clear errors."""

from __future__ import annotations

from pathlib import Path

from tradelane.domain.errors import ValidationError
from tradelane.files.errors import read_utf8

__all__ = ["MAX_SOURCE_BYTES", "read_source_text"]

MAX_SOURCE_BYTES = 512 * 1024 * 1024


def read_source_text(path: Path, *, what: str, max_bytes: int = MAX_SOURCE_BYTES) -> str:
    """The file's text; ValidationError naming the file when over `max_bytes`, unreadable or not
    UTF-8."""
    where = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ValidationError(
                f"file is larger than {max_bytes // 2**20} MiB; split it",
                field="size",
                value=size,
                where=where,
            )
        return read_utf8(path.read_bytes(), where=where)
    except OSError as exc:
        raise ValidationError(f"cannot read {what}: {exc.strerror}", where=where) from exc
