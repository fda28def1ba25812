"""Carrier accounts for booking through karrio, from TRADELANE_CARRIER_ACCOUNTS (JSON):

    {"dhl": {"karrio_carrier": "mydhl",
             "credentials": {"username": "...", "password": "...", "account_number": "...",
                             "test_mode": true},
             "shipper": {"company_name": "...", "address_line1": "...", "city": "Shenzhen",
                         "postal_code": "518000", "country_code": "CN", "phone_number": "..."},
             "services": {"express-worldwide": "mydhl_express_worldwide"}}}

keyed by the catalogue's carrier name. A channel whose carrier has no account is booked
manually.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tradelane.carriers.booking.endpoints import ENDPOINTS

__all__ = ["KarrioAccount"]


class KarrioAccount(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    karrio_carrier: str
    credentials: dict[str, Any]
    shipper: dict[str, Any]
    services: dict[str, str] = Field(default_factory=dict)  # channel service -> karrio service

    @field_validator("karrio_carrier")
    @classmethod
    def _bookable(cls, name: str) -> str:
        if name not in ENDPOINTS:
            raise ValueError(f"karrio carrier {name!r} cannot book yet; known: {sorted(ENDPOINTS)}")
        return name

    def service_for(self, channel_service: str) -> str:
        return self.services.get(channel_service, channel_service)
