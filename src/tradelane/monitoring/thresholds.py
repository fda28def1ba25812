"""Rule windows per channel and lane, layered from general to specific.

    defaults  ◀─ country override  ◀─ channel override  ◀─ channel + country override

A more specific layer replaces the windows it names and adds the rules it switches off;
everything else is inherited. `scopes()` lists the distinct cases most specific first, which is
the order a SQL CASE needs; `thresholds_for()` answers one (channel, country) directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tradelane.domain.geo import CountryCode
from tradelane.monitoring.rules import RuleId

__all__ = ["MonitoringConfig", "Scope", "ThresholdOverride", "Thresholds"]

Hours = float


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Thresholds(_Model):
    """The window of every rule in hours; rules in `disabled` never fire.

    Defaults are the strategy's (DESIGN.md): 48 h, 7 d, 72 h, 5 d and the promise itself.
    """

    no_departure_hours: Hours = Field(default=48, ge=0)
    no_arrival_hours: Hours = Field(default=7 * 24, ge=0)
    customs_hold_hours: Hours = Field(default=72, ge=0)
    no_event_in_transit_hours: Hours = Field(default=5 * 24, ge=0)
    promise_at_risk_hours: Hours = Field(default=0, ge=0)  # after hand-over, before it counts
    late_delivery_hours: Hours = Field(default=0, ge=0)  # grace after the promised time
    # hours after pickup before a late parcel counts (None: none; lanes derive their own)
    late_delivery_floor_hours: Hours | None = Field(default=None, ge=0)
    disabled: frozenset[RuleId] = frozenset()

    def window(self, rule_id: RuleId) -> timedelta | None:
        """The rule's window, or None when the rule is switched off here."""
        if rule_id in self.disabled:
            return None
        return timedelta(hours=getattr(self, f"{rule_id.value}_hours"))

    def floor(self, rule_id: RuleId) -> timedelta | None:
        """The rule's floor window after its floor anchor (None: no floor)."""
        hours = getattr(self, f"{rule_id.value}_floor_hours", None)
        return None if hours is None else timedelta(hours=hours)


class ThresholdOverride(_Model):
    """Windows for one channel, one destination country, or one channel on one country."""

    channel_id: str | None = Field(default=None, min_length=1, max_length=64)
    country: CountryCode | None = None
    no_departure_hours: Hours | None = Field(default=None, ge=0)
    no_arrival_hours: Hours | None = Field(default=None, ge=0)
    customs_hold_hours: Hours | None = Field(default=None, ge=0)
    no_event_in_transit_hours: Hours | None = Field(default=None, ge=0)
    promise_at_risk_hours: Hours | None = Field(default=None, ge=0)
    late_delivery_hours: Hours | None = Field(default=None, ge=0)
    late_delivery_floor_hours: Hours | None = Field(default=None, ge=0)
    disabled: frozenset[RuleId] = frozenset()

    @model_validator(mode="after")
    def _scoped(self) -> ThresholdOverride:
        if self.channel_id is None and self.country is None:
            raise ValueError("an override needs a channel_id, a country or both")
        return self

    def windows_named(self) -> dict[str, Hours]:
        """The windows this override sets, by field name."""
        named = self.model_dump(exclude={"channel_id", "country", "disabled"})
        return {name: value for name, value in named.items() if value is not None}

    def applied_to(self, base: Thresholds) -> Thresholds:
        windows: dict[str, Any] = dict(self.windows_named())
        windows["disabled"] = base.disabled | self.disabled
        return base.model_copy(update=windows)


@dataclass(frozen=True, slots=True)
class Scope:
    """Shipments of `channel_id` to `country` (None: any) use `thresholds`."""

    channel_id: str | None
    country: str | None
    thresholds: Thresholds


class MonitoringConfig(_Model):
    defaults: Thresholds = Thresholds()
    overrides: tuple[ThresholdOverride, ...] = ()

    @model_validator(mode="after")
    def _unique_scopes(self) -> MonitoringConfig:
        seen: set[tuple[str | None, str | None]] = set()
        for override in self.overrides:
            key = (override.channel_id, override.country)
            if key in seen:
                raise ValueError(f"two overrides for channel {key[0]!r} and country {key[1]!r}")
            seen.add(key)
        return self

    def thresholds_for(self, channel_id: str | None, country: str | None) -> Thresholds:
        """Defaults, then the country's, the channel's and the pair's overrides on top."""
        found = self.defaults
        for layer in self._layers(channel_id, country):
            found = layer.applied_to(found)
        return found

    def overridden(self, channel_id: str | None, country: str | None) -> frozenset[str]:
        """Names of the windows an override sets for this channel and country."""
        return frozenset(
            name for layer in self._layers(channel_id, country) for name in layer.windows_named()
        )

    def _layers(self, channel_id: str | None, country: str | None) -> list[ThresholdOverride]:
        by_scope = {(o.channel_id, o.country): o for o in self.overrides}
        keys: list[tuple[str | None, str | None]] = []
        if country is not None:
            keys.append((None, country))
        if channel_id is not None:
            keys.append((channel_id, None))
            if country is not None:
                keys.append((channel_id, country))
        return [by_scope[key] for key in keys if key in by_scope]

    def scopes(self) -> list[Scope]:
        """Every distinct case, most specific first; the last scope (None, None) is the default."""
        channels = sorted({o.channel_id for o in self.overrides if o.channel_id is not None})
        countries = sorted({o.country for o in self.overrides if o.country is not None})
        keys: list[tuple[str | None, str | None]] = [
            (ch, co) for ch in channels for co in countries
        ]
        keys += [(ch, None) for ch in channels] + [(None, co) for co in countries]
        keys.append((None, None))
        return [Scope(ch, co, self.thresholds_for(ch, co)) for ch, co in keys]
