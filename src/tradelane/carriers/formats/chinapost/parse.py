"""China Post / EMS trace XML (`<traces><trace>…</trace></traces>`).

Each `<trace>` becomes one event: `acceptTime` is China local time without an offset (read in
Asia/Shanghai, wall time kept), `acceptAddress` its location (in China unless the event is a
destination-side UPU event), the UPU code of `<code>`/`<opCode>` or of the `remark` wording
its milestone. The answer names no parcel: the number comes from a `<mailNo>` element, else
from the name of the file or request (`where`, e.g. `EA123456789CN.xml`). An XML answer
without traces but with `code`/`description` is the carrier's refusal; `<traces/>` is
TrackingNotFound.
"""

from __future__ import annotations

import re
from datetime import UTC, tzinfo
from pathlib import PurePath
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from tradelane.carriers.formats.chinapost.codes import REMARKS, UPU_EVENTS
from tradelane.carriers.formats.dhl_express.parse import read_xml
from tradelane.carriers.formats.karrio_adapter import TrackingNotFound
from tradelane.carriers.formats.parsed import Entry, ParsedTracking, tracking_text
from tradelane.carriers.formats.scans import event, from_wall
from tradelane.domain.errors import ValidationError
from tradelane.domain.shipments import Milestone

__all__ = ["parse"]

CHINA = ZoneInfo("Asia/Shanghai")
_S10 = re.compile(r"[A-Z]{2}\d{9}[A-Z]{2}")
DESTINATION_SIDE = frozenset({"EMD", "EDA", "EDB", "EME", "EDC", "EMF", "EMG", "EMH", "EMI"})


def parse(
    payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "chinapost"
) -> ParsedTracking:
    """`assume_tz` is not used: China Post writes Beijing time."""
    root = read_xml(payload, where=where)
    traces = list(root.iter("trace"))
    if not traces:
        code, description = root.findtext(".//code"), root.findtext(".//description")
        if code is None and description is None and root.tag == "traces":
            raise TrackingNotFound("chinapost", _number(root, where) or "", "no traces", "-")
        raise ValidationError(
            f"China Post refused the request: {description} (code {code})",
            field="traces",
            where=where,
        )
    number = _number(root, where)
    if number is None:
        raise ValidationError(
            "China Post traces name no parcel: add <mailNo> or name the file after the number",
            field="mailNo",
            where=where,
        )
    return ParsedTracking(
        entries=[_trace(t, number, f"{where}, trace {i + 1}") for i, t in enumerate(traces)]
    )


def _number(root: ElementTree.Element, where: str) -> str | None:
    for tag in ("mailNo", "mailnum", "trackingNumber"):
        found = root.findtext(f".//{tag}")
        if found and found.strip():
            return tracking_text(found, where=where, field=tag)
    found_in_name = _S10.search(PurePath(where).name.upper())
    return found_in_name.group(0) if found_in_name else None


def upu_code(remark: str) -> str:
    """The UPU EMSEVT code of a remark's wording ('' when none matches)."""
    text = " ".join(remark.lower().split())
    hits = [words for words in REMARKS if words in text]
    return REMARKS[max(hits, key=len)] if hits else ""


def _trace(trace: ElementTree.Element, number: str, where: str) -> Entry:
    remark = (trace.findtext("remark") or "").strip()
    try:
        when = from_wall(trace.findtext("acceptTime"), None, assume_tz=CHINA)
    except ValueError:
        return ValidationError(
            "not a date and time",
            field="acceptTime",
            value=trace.findtext("acceptTime"),
            where=where,
        )
    code = (trace.findtext("code") or trace.findtext("opCode") or "").strip().upper()
    code = code or upu_code(remark)
    reached = UPU_EVENTS.get(code)
    return event(
        where=where,
        when=when,
        country=None if code in DESTINATION_SIDE else "CN",
        carrier="chinapost",
        tracking_number=number,
        milestone=reached or Milestone.IN_TRANSIT,
        status_code=code,
        status_text=remark,
        location=" ".join((trace.findtext("acceptAddress") or "").split()),
        unknown_code=bool(code) and reached is None,
    )
