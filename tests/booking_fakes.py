"""A carrier API at the I/O edge: answers recorded responses, keeps every request it got."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tradelane.carriers.booking.transport import HttpCall, HttpReply

RECORDED = Path(__file__).parent / "unit" / "carriers" / "recorded"
MYDHL_ACCOUNT = {
    "karrio_carrier": "mydhl",
    "credentials": {"username": "apikey", "password": "secret", "account_number": "123456789"},
    "shipper": {
        "company_name": "Example Seller Ltd",
        "person_name": "Dispatch desk",
        "address_line1": "88 Keji Road",
        "city": "Shenzhen",
        "postal_code": "518000",
        "country_code": "CN",
        "phone_number": "+8675512345678",
    },
    "services": {"express-worldwide": "mydhl_express_worldwide"},
}


@dataclass
class RecordedCarrier:
    """Answers every request with `status` and the recorded file `answer`."""

    answer: str = "mydhl_create_shipment_response.json"
    status: int = 201
    calls: list[HttpCall] = field(default_factory=list)

    def send(self, call: HttpCall) -> HttpReply:
        self.calls.append(call)
        return HttpReply(status=self.status, body=(RECORDED / self.answer).read_bytes())
