"""Countries (ISO 3166-1 alpha-2 through pycountry) and the market groupings the strategy uses."""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Annotated

import pycountry
from pydantic import AfterValidator

from tradelane.domain.errors import ValidationError

__all__ = ["EU_COUNTRIES", "CountryCode", "Market", "country_code", "market_of"]

# EU member states (27 since 2020-02-01).
EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
SOUTHEAST_ASIA = frozenset(["SG", "MY", "TH", "ID", "PH", "VN", "BN", "KH", "LA", "MM"])
LATIN_AMERICA = frozenset(
    ["MX", "BR", "AR", "CL", "CO", "PE", "EC", "UY", "PY", "BO", "VE", "CR", "PA", "GT", "DO"]
)


class Market(StrEnum):
    US = "us"
    EU = "eu"
    UK = "uk"
    SOUTHEAST_ASIA = "southeast_asia"
    LATIN_AMERICA = "latin_america"
    OTHER = "other"


@cache
def _lookup(code: str) -> str | None:
    found = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if found is None and len(code) == 3:
        found = pycountry.countries.get(alpha_3=code)
    return str(found.alpha_2) if found is not None else None


def country_code(value: str, *, field: str = "country") -> str:
    """Normalise an ISO 3166-1 alpha-2/alpha-3 code to alpha-2; ValidationError if unknown."""
    code = str(value).strip().upper()
    if code == "UK":  # common alias; ISO says GB
        code = "GB"
    found = _lookup(code)
    if found is None:
        raise ValidationError("unknown ISO 3166 country code", field=field, value=value)
    return found


def _country(value: str) -> str:
    try:
        return country_code(value)
    except ValidationError as exc:
        raise ValueError(exc.message) from exc


CountryCode = Annotated[str, AfterValidator(_country)]


def market_of(country: str) -> Market:
    if country == "US":
        return Market.US
    if country == "GB":
        return Market.UK
    if country in EU_COUNTRIES:
        return Market.EU
    if country in SOUTHEAST_ASIA:
        return Market.SOUTHEAST_ASIA
    if country in LATIN_AMERICA:
        return Market.LATIN_AMERICA
    return Market.OTHER
