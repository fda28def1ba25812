"""Standard Webhooks signatures, checked against the specification's reference values."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from tradelane.domain.errors import ValidationError
from tradelane.notifications.signing import sign, signature_headers

# The symmetric test vector of the Standard Webhooks reference library's test suite
# (github.com/standard-webhooks/standard-webhooks, libraries/python/tests/test_webhooks.py,
# test_sign_function).
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_PAYLOAD = '{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def _expected(secret: str, msg_id: str, timestamp: int, body: str) -> str:
    """Built here from the spec's words, independently of the code under test."""
    key = base64.b64decode(secret.split("_", 1)[1])
    mac = hmac.new(key, f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode()


def test_signature_matches_the_specification_example() -> None:
    signature = sign(SPEC_SECRET, SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_PAYLOAD)
    assert signature == _expected(SPEC_SECRET, SPEC_MSG_ID, SPEC_TIMESTAMP, SPEC_PAYLOAD)
    assert signature == SPEC_SIGNATURE


def test_headers_carry_id_timestamp_and_signature_of_the_attempt() -> None:
    secret = "whsec_" + base64.b64encode(bytes(range(32))).decode()
    body = '{"type":"alert.opened"}'
    headers = signature_headers(secret, "msg_42", 1_800_000_000, body)
    assert headers == {
        "webhook-id": "msg_42",
        "webhook-timestamp": "1800000000",
        "webhook-signature": _expected(secret, "msg_42", 1_800_000_000, body),
    }


def test_a_changed_body_changes_the_signature() -> None:
    tampered = SPEC_PAYLOAD.replace("2432232314", "2432232315")
    assert sign(SPEC_SECRET, SPEC_MSG_ID, SPEC_TIMESTAMP, tampered) != SPEC_SIGNATURE


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "must start with 'whsec_'"),
        ("whsec_not*base64", "not valid base64"),
        ("whsec_" + base64.b64encode(b"short").decode(), "key must be 24 to 64 bytes, not 5"),
    ],
)
def test_malformed_secrets_are_refused_without_echoing_them(secret: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem) as caught:
        sign(secret, "msg_1", 1, "{}")
    assert secret not in str(caught.value)


def test_a_webhook_id_with_a_full_stop_is_refused() -> None:
    with pytest.raises(ValidationError, match="must not contain"):
        sign(SPEC_SECRET, "msg.1", 1, "{}")
