"""Standard Webhooks symmetric signatures (spec v1.0.0, "Signature scheme").

    secret     "whsec_" + base64(key bytes)       (24 to 64 random bytes)
    signed     f"{webhook_id}.{timestamp}.{body}"  (timestamp: integer unix seconds)
    signature  "v1," + base64(HMAC-SHA256(key, signed))

Pure functions: the caller supplies the attempt's timestamp.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from tradelane.domain.errors import ValidationError

__all__ = ["SECRET_PREFIX", "decode_secret", "sign", "signature_headers"]

SECRET_PREFIX = "whsec_"
MIN_KEY_BYTES = 24  # the spec: "Random. At least 24 bytes (192 bits, 512 maximum)"
MAX_KEY_BYTES = 64


def decode_secret(secret: str, *, field: str = "webhook secret") -> bytes:
    """The key bytes of a `whsec_…` secret; ValidationError (value hidden) when malformed."""
    if not secret.startswith(SECRET_PREFIX):
        raise ValidationError(f"must start with {SECRET_PREFIX!r}", field=field)
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except binascii.Error as exc:
        raise ValidationError("is not valid base64 after the prefix", field=field) from exc
    if not MIN_KEY_BYTES <= len(key) <= MAX_KEY_BYTES:
        raise ValidationError(
            f"key must be {MIN_KEY_BYTES} to {MAX_KEY_BYTES} bytes, not {len(key)}", field=field
        )
    return key


def sign(secret: str, webhook_id: str, timestamp: int, body: str) -> str:
    """The `webhook-signature` value for one attempt."""
    if "." in webhook_id:
        raise ValidationError("must not contain '.'", field="webhook-id", value=webhook_id)
    signed = f"{webhook_id}.{timestamp}.{body}".encode()
    digest = hmac.new(decode_secret(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signature_headers(secret: str, webhook_id: str, timestamp: int, body: str) -> dict[str, str]:
    """The three Standard Webhooks headers for one attempt."""
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, webhook_id, timestamp, body),
    }
