"""Turn pydantic's validation errors into tradelane ValidationErrors that name path and value."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import pydantic
import yaml

from tradelane.domain.errors import InputErrors, ValidationError

__all__ = ["format_loc", "from_pydantic", "read_document", "read_model", "read_utf8"]

M = TypeVar("M", bound=pydantic.BaseModel)


def format_loc(loc: Sequence[int | str]) -> str:
    """('channels', 3, 'limits', 'max_weight_kg') -> 'channels[3].limits.max_weight_kg'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in {"function-after", "function-before"} or part.startswith(
            ("function-", "tagged-")
        ):
            continue
        else:
            text += f".{part}" if text else str(part)
    return text


def from_pydantic(
    exc: pydantic.ValidationError, *, where: str, prefix: Sequence[int | str] = ()
) -> list[ValidationError]:
    """One ValidationError per pydantic error, located at `where` and the field path."""
    found = []
    for error in exc.errors(include_url=False):
        loc = [*prefix, *error["loc"]]
        path = format_loc(loc)
        message = str(error["msg"]).removeprefix("Value error, ")
        value: Any = error.get("input")
        if isinstance(value, dict):
            value = None  # the whole object was wrong; the message says why
        found.append(ValidationError(message, field=path, value=value, where=where))
    return found


def read_utf8(raw: bytes, *, where: str) -> str:
    """Decode UTF-8 (a BOM is allowed); ValidationError naming the byte offset otherwise."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"file is not UTF-8 (invalid byte at offset {exc.start})",
            field="encoding",
            value=raw[exc.start : exc.start + 4].hex(),
            where=where,
        ) from exc


def read_document(path: Path, *, what: str) -> Any:
    """Read a UTF-8 YAML file (TOML when the name ends in .toml) into plain data.

    ValidationError located at the file when it cannot be read ("cannot read {what}"), is not
    UTF-8, or does not parse ("not valid YAML" / "not valid TOML").
    """
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"cannot read {what}: {exc.strerror}", where=where) from exc
    text = read_utf8(raw, where=where)
    toml = path.suffix == ".toml"
    try:
        return tomllib.loads(text) if toml else yaml.safe_load(text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        kind = "TOML" if toml else "YAML"
        raise ValidationError(f"not valid {kind}: {exc}", where=where) from exc
    except ValueError as exc:  # a scalar YAML resolves but cannot build, e.g. hour 90
        raise ValidationError(
            f"not valid YAML: a value cannot be read ({exc})", where=where
        ) from exc


def read_model(path: Path, model: type[M], *, what: str) -> M:
    """read_document, then `model` validated from it; InputErrors naming each bad path and
    value."""
    document = read_document(path, what=what)
    try:
        return model.model_validate(document)
    except pydantic.ValidationError as exc:
        raise InputErrors(str(path), from_pydantic(exc, where=str(path))) from None
