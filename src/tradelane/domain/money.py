"""Money: a Decimal amount with an ISO 4217 currency. Never a float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Annotated

import pycountry
from pydantic import AfterValidator, BaseModel, ConfigDict

from tradelane.domain.errors import ValidationError

__all__ = [
    "AMOUNT_DECIMAL_PLACES",
    "AMOUNT_MAX_DIGITS",
    "DECIMAL_TEXT_CHARS",
    "CurrencyCode",
    "Money",
    "to_decimal",
]

CENT = Decimal("0.01")
# A unit value has at most 18 digits, 6 of them after the point; an order's total (500 lines
# x 10,000 units) then has at most 25 digits and always fits the store's 40-character text.
AMOUNT_MAX_DIGITS = 18
AMOUNT_DECIMAL_PLACES = 6
DECIMAL_TEXT_CHARS = 40


@cache
def _iso_4217(code: str) -> bool:
    return pycountry.currencies.get(alpha_3=code) is not None


def _currency(code: str) -> str:
    code = code.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValueError(f"currency must be a 3-letter ISO 4217 code, got {code!r}")
    if not _iso_4217(code):
        raise ValueError(f"unknown ISO 4217 currency code {code!r}")
    return code


CurrencyCode = Annotated[str, AfterValidator(_currency)]


def to_decimal(value: object, *, field: str) -> Decimal:
    """Parse a decimal number from text or number; ValidationError naming `field` otherwise."""
    try:
        result = Decimal(str(value).strip())
    except ArithmeticError as exc:
        raise ValidationError("not a number", field=field, value=value) from exc
    if not result.is_finite():
        raise ValidationError("not a finite number", field=field, value=value)
    return result


class Money(BaseModel):
    """An amount in one currency; arithmetic refuses to mix currencies."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal
    currency: CurrencyCode

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(amount=self.amount + other.amount, currency=self.currency)

    def times(self, factor: Decimal | int) -> Money:
        return Money(amount=self.amount * Decimal(factor), currency=self.currency)

    def rounded(self) -> Money:
        return Money(amount=self.amount.quantize(CENT, ROUND_HALF_UP), currency=self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValidationError(
                "cannot combine amounts in different currencies",
                field="currency",
                value=f"{self.currency}/{other.currency}",
            )

    def __str__(self) -> str:
        return f"{self.currency} {self.amount.quantize(CENT, ROUND_HALF_UP)}"
