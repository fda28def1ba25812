"""Service advisories: disruptions announced by someone outside, before tracking shows them.

A port authority's queue report, a carrier's service alert or a customs notice says that a
port, a carrier, an air type or one warehouse channel is disrupted from `starts_at` (until
`ends_at`, or until the advisory is ended). Each kind names exactly one scope:

| kind                 | scope    | lanes hit                                              |
| port_congestion      | port     | lanes clearing at the port (clearance_port, else the   |
| customs_slowdown     | port     | lane's country); overseas-warehouse channels clear none |
| carrier_outage       | carrier  | every lane of the carrier's channels                   |
| flight_cancellations | air_type | every lane of the channels flying that air type        |
| warehouse_overload   | channel  | every lane of that channel                             |

`lanes_hit` is the one definition of these rules: the simulator's disruption windows use it too.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from tradelane.domain.catalog import AirType, Catalogue, LaneKey, Mode

__all__ = [
    "ADVISORY_ID",
    "ADVISORY_ID_MAX",
    "SCOPE_FIELDS",
    "Advisory",
    "AdvisoryKind",
    "CarrierScope",
    "ChannelScope",
    "Note",
    "PortScope",
    "Severity",
    "Source",
    "lanes_hit",
]

ADVISORY_ID_MAX = 64
ADVISORY_ID = Annotated[
    str, Field(min_length=1, max_length=ADVISORY_ID_MAX, pattern=r"^[A-Za-z0-9._:-]+$")
]
# the fields an advisory is written with, one definition for the model and the API's schema
PortScope = Annotated[str | None, Field(default=None, min_length=1, max_length=16)]
CarrierScope = Annotated[str | None, Field(default=None, min_length=1, max_length=64)]
ChannelScope = Annotated[str | None, Field(default=None, min_length=1, max_length=64)]
Severity = Annotated[float, Field(ge=0, le=1)]
Source = Annotated[str, Field(min_length=1, max_length=200)]
Note = Annotated[str, Field(default="", max_length=2000)]


class AdvisoryKind(StrEnum):
    PORT_CONGESTION = "port_congestion"
    CUSTOMS_SLOWDOWN = "customs_slowdown"
    CARRIER_OUTAGE = "carrier_outage"
    FLIGHT_CANCELLATIONS = "flight_cancellations"
    WAREHOUSE_OVERLOAD = "warehouse_overload"


_SCOPE_FIELD = {
    AdvisoryKind.PORT_CONGESTION: "port",
    AdvisoryKind.CUSTOMS_SLOWDOWN: "port",
    AdvisoryKind.CARRIER_OUTAGE: "carrier",
    AdvisoryKind.FLIGHT_CANCELLATIONS: "air_type",
    AdvisoryKind.WAREHOUSE_OVERLOAD: "channel",
}
_CAUSE_KIND = {"port": "clearance_port", "carrier": "carrier", "air_type": "air_type"}
SCOPE_FIELDS = ("port", "carrier", "air_type", "channel")


class Advisory(BaseModel):
    """One announced disruption. `severity` 0..1 is the announcer's word for how bad it is
    (switching treats >= 0.5 as failed); it is active from `starts_at` until `ends_at`
    (ends_at == starts_at: withdrawn before it started, never active)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: ADVISORY_ID
    kind: AdvisoryKind
    port: PortScope = None
    carrier: CarrierScope = None
    air_type: AirType | None = None
    channel: ChannelScope = None
    severity: Severity
    starts_at: AwareDatetime
    ends_at: AwareDatetime | None = None
    source: Source
    note: Note = ""

    @model_validator(mode="after")
    def _one_scope(self) -> Self:
        wanted = _SCOPE_FIELD[self.kind]
        if getattr(self, wanted) is None:
            raise ValueError(f"{self.kind.value} needs {wanted}")
        extra = [name for name in SCOPE_FIELDS if name != wanted and getattr(self, name)]
        if extra:
            raise ValueError(f"{self.kind.value} takes only {wanted}, not {', '.join(extra)}")
        if self.air_type is AirType.NONE:
            raise ValueError("air_type none flies nothing to cancel")
        if self.ends_at is not None and self.ends_at < self.starts_at:
            raise ValueError(f"ends_at {self.ends_at.isoformat()} is before starts_at")
        return self

    @property
    def scope(self) -> tuple[str, str]:
        """(cause kind, value): what the hit lanes share, e.g. ("clearance_port", "US-LGB")."""
        name = _SCOPE_FIELD[self.kind]
        value = getattr(self, name)
        return _CAUSE_KIND.get(name, name), str(value.value if name == "air_type" else value)

    def active(self, at: datetime) -> bool:
        return self.starts_at <= at and (self.ends_at is None or at < self.ends_at)

    def describe(self) -> str:
        kind, value = self.scope
        return f"advisory {self.id} ({self.source}): {self.kind.value} at {kind} {value}"


def lanes_hit(advisory: Advisory, catalogue: Catalogue) -> set[LaneKey]:
    """The (channel, country) lanes of `catalogue` the advisory touches (table above)."""
    found: set[LaneKey] = set()
    for channel in catalogue.channels:
        if advisory.port is not None:
            if channel.mode is Mode.OVERSEAS_WAREHOUSE:
                continue
            found |= {
                (channel.id, lane.country)
                for lane in channel.lanes
                if (lane.clearance_port or lane.country) == advisory.port
            }
        elif (
            channel.carrier == advisory.carrier
            or channel.air_type is advisory.air_type
            or channel.id == advisory.channel
        ):
            found |= {(channel.id, lane.country) for lane in channel.lanes}
    return found
