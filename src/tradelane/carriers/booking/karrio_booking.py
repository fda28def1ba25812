"""Book labels through karrio: karrio builds the carrier's request and parses its answer;
the HTTP exchange in between goes through our Transport (the one I/O seam).

    BookingRequest ─▶ karrio ShipmentRequest (shipper from the account; recipient, parcel,
        customs lines from the order; service from the channel)
        ─▶ karrio gateway: mapper builds the carrier payload ─▶ TransportProxy ─▶ Transport
        ─▶ karrio parses the answer ─▶ Booking (tracking number, charge, label) or an error
           naming the carrier's message
"""

from __future__ import annotations

import base64
import binascii
from decimal import Decimal
from typing import Any

import karrio.lib as lib
import karrio.sdk as karrio
from karrio.api.proxy import Proxy
from karrio.core import models
from loguru import logger

from tradelane.carriers.booking.accounts import KarrioAccount
from tradelane.carriers.booking.endpoints import ENDPOINTS
from tradelane.carriers.booking.transport import CarrierUnreachable, Transport
from tradelane.domain.errors import TradelaneError, ValidationError
from tradelane.domain.money import Money
from tradelane.domain.orders import Order, OrderLine
from tradelane.services.ports import Booking, BookingRequest

__all__ = ["KarrioBooking", "shipment_request"]


# karrio logs every failure with a traceback through loguru; ours are raised to the caller.
logger.disable("karrio")


class TransportProxy(Proxy):  # type: ignore[misc]
    """A karrio proxy whose create_shipment sends through a Transport. karrio turns any
    exception of a proxy into an opaque message, so a transport failure is kept in
    `failure` for the booking to raise as it is."""

    def __init__(self, settings: Any, *, carrier: str, transport: Transport) -> None:
        super().__init__(settings)
        self._endpoint = ENDPOINTS[carrier]
        self._transport = transport
        self.failure: TradelaneError | None = None

    def create_shipment(self, request: lib.Serializable) -> lib.Deserializable:
        call = self._endpoint.shipment_call(self.settings, request.serialize())
        try:
            reply = self._transport.send(call)
            if reply.status >= 500:
                raise CarrierUnreachable(f"{call.url} answered HTTP {reply.status}")
        except TradelaneError as exc:
            self.failure = exc
            raise
        return lib.Deserializable(reply.body.decode("utf-8"), self._endpoint.decode, request.ctx)


class KarrioBooking:
    """Books parcels of one karrio carrier with one account."""

    def __init__(self, account: KarrioAccount, *, transport: Transport) -> None:
        self._account = account
        self._gateway = karrio.gateway[account.karrio_carrier].create(dict(account.credentials))
        self._proxy = TransportProxy(
            self._gateway.settings, carrier=account.karrio_carrier, transport=transport
        )
        self._gateway.proxy = self._proxy

    def book(self, request: BookingRequest) -> Booking:
        payload = shipment_request(request, self._account)
        carrier = self._account.karrio_carrier
        self._proxy.failure = None
        details, messages = karrio.Shipment.create(payload).from_(self._gateway).parse()
        if self._proxy.failure is not None:
            raise self._proxy.failure
        if details is None or not details.tracking_number:
            shown = "; ".join(f"{m.message} (code {m.code})" for m in messages[:3])
            raise ValidationError(
                f"{carrier} refused the booking: {shown or 'no tracking number in its answer'}",
                field="booking",
                value=request.order.order_id,
                where=f"channel {request.channel.id}",
            )
        return Booking(
            tracking_number=str(details.tracking_number),
            label_cost=_charge(details) or request.quoted_cost,
            booked_via=f"karrio:{carrier}",
            label=_label(details),
            label_format=(details.label_type or "pdf").lower(),
        )


def shipment_request(request: BookingRequest, account: KarrioAccount) -> models.ShipmentRequest:
    """The karrio request for one order on one channel (no I/O)."""
    order, channel = request.order, request.channel
    destination = order.destination
    return models.ShipmentRequest(
        service=account.service_for(channel.service),
        shipper=models.Address(**account.shipper),
        recipient=models.Address(
            country_code=destination.country,
            postal_code=destination.postcode,
            city=destination.city,
        ),
        parcels=[_parcel(order)],
        customs=models.Customs(
            commodities=[_commodity(line, order.currency) for line in order.lines],
            incoterm=channel.customs_model.value,
        ),
        reference=order.order_id,
    )


def _parcel(order: Order) -> models.Parcel:
    box = order.parcel
    return models.Parcel(
        weight=order.weight_kg,
        weight_unit="KG",
        length=None if box is None else box.length_cm,
        width=None if box is None else box.width_cm,
        height=None if box is None else box.height_cm,
        dimension_unit="CM",
    )


def _commodity(line: OrderLine, currency: str) -> models.Commodity:
    return models.Commodity(
        sku=line.sku,
        quantity=line.quantity,
        value_amount=float(line.unit_value),
        value_currency=currency,
        weight=line.unit_weight_kg,
        weight_unit="KG",
        hs_code=line.hs_code,
        description=line.sku,
    )


def _charge(details: Any) -> Money | None:
    rate = details.selected_rate
    if rate is None or rate.total_charge is None or not rate.currency:
        return None
    return Money(amount=Decimal(str(rate.total_charge)), currency=rate.currency)


def _label(details: Any) -> bytes | None:
    encoded = details.docs.label if details.docs is not None else None
    if not encoded:
        return None
    try:
        return base64.b64decode(encoded, validate=True)
    except binascii.Error:
        return None
