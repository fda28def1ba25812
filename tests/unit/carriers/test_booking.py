"""Booking adapters: karrio builds the carrier request from the order and channel and reads
the recorded answer; the manual line makes up a stable number or takes the given one."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.booking_fakes import MYDHL_ACCOUNT, RecordedCarrier
from tests.builders import NOW, an_order
from tradelane.carriers.booking.accounts import KarrioAccount
from tradelane.carriers.booking.desk import BookingDesk
from tradelane.carriers.booking.karrio_booking import KarrioBooking
from tradelane.carriers.booking.manual import ManualBooking
from tradelane.carriers.booking.transport import CarrierUnreachable
from tradelane.domain.errors import ValidationError
from tradelane.domain.money import Money
from tradelane.files.catalogue_file import default_catalogue
from tradelane.services.ports import BookingRequest

CATALOGUE = default_catalogue()
DHL = CATALOGUE.channel("dhl-express-cn")
EPACKET = CATALOGUE.channel("epacket-cn")
QUOTE = Money(amount=Decimal("41.00"), currency="USD")


def a_request(channel_id: str = "dhl-express-cn", **fields: object) -> BookingRequest:
    order = an_order("SO-1001", country="DE", postcode="10115", weight_kg=1.1, value="60")
    document: dict[str, object] = {
        "order": order,
        "channel": CATALOGUE.channel(channel_id),
        "quoted_cost": QUOTE,
        "at": NOW,
        **fields,
    }
    return BookingRequest(**document)  # type: ignore[arg-type]


def test_karrio_books_the_order_on_the_channels_service_with_its_parcel() -> None:
    carrier = RecordedCarrier()
    booking = KarrioBooking(KarrioAccount.model_validate(MYDHL_ACCOUNT), transport=carrier)
    booked = booking.book(a_request())
    [call] = carrier.calls
    assert call.method == "POST" and call.url.endswith("/shipments")
    sent = json.loads(call.body)
    assert sent["productCode"] == "P"  # MyDHL's code of Express Worldwide
    receiver = sent["customerDetails"]["receiverDetails"]["postalAddress"]
    assert (receiver["countryCode"], receiver["postalCode"]) == ("DE", "10115")
    assert sent["content"]["packages"][0]["weight"] == 1.1
    assert sent["content"]["packages"][0]["dimensions"] == {"length": 20, "width": 15, "height": 5}
    assert sent["customerDetails"]["shipperDetails"]["postalAddress"]["countryCode"] == "CN"
    assert booked.tracking_number == "2613348450"
    assert booked.booked_via == "karrio:mydhl"
    assert booked.label_cost == Money(amount=Decimal("38.62"), currency="USD")
    assert booked.label is not None and booked.label.startswith(b"%PDF")


def test_karrio_refusal_names_the_carriers_message() -> None:
    carrier = RecordedCarrier(answer="mydhl_create_shipment_error.json", status=422)
    booking = KarrioBooking(KarrioAccount.model_validate(MYDHL_ACCOUNT), transport=carrier)
    with pytest.raises(ValidationError, match=r"mydhl refused the booking: Invalid value for"):
        booking.book(a_request())


def test_a_carrier_server_error_is_unreachable_not_a_crash() -> None:
    carrier = RecordedCarrier(answer="mydhl_create_shipment_error.json", status=503)
    booking = KarrioBooking(KarrioAccount.model_validate(MYDHL_ACCOUNT), transport=carrier)
    with pytest.raises(CarrierUnreachable, match="HTTP 503"):
        booking.book(a_request())


def test_manual_line_makes_up_the_same_number_for_the_same_parcel() -> None:
    first = ManualBooking().book(a_request("epacket-cn"))
    again = ManualBooking().book(a_request("epacket-cn"))
    other_line = ManualBooking().book(a_request("yun-line-cn"))
    assert first.tracking_number == again.tracking_number != other_line.tracking_number
    assert (first.booked_via, first.label_cost) == ("manual", QUOTE)


def test_manual_line_takes_the_number_the_line_gave() -> None:
    booked = ManualBooking().book(a_request("epacket-cn", tracking_number="LX123456785CN"))
    assert booked.tracking_number == "LX123456785CN"


def test_desk_books_karrio_for_carriers_with_an_account_else_manual() -> None:
    account = KarrioAccount.model_validate(MYDHL_ACCOUNT)
    desk = BookingDesk({DHL.carrier: account}, transport=RecordedCarrier())
    assert isinstance(desk(DHL), KarrioBooking)
    assert isinstance(desk(EPACKET), ManualBooking)


def test_an_account_for_a_carrier_karrio_cannot_book_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot book yet"):
        KarrioAccount.model_validate({**MYDHL_ACCOUNT, "karrio_carrier": "landmark"})
