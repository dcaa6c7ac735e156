"""Standard Webhooks signing (https://www.standardwebhooks.com), via the reference library.

Headers: `webhook-id` (the event's id, identical on every retry so receivers can drop
duplicates), `webhook-timestamp` (seconds, fresh per attempt so receivers can refuse
replays) and `webhook-signature` ("v1,<base64 HMAC-SHA256 of id.timestamp.body>").
"""

import base64
import secrets
from datetime import datetime
from functools import lru_cache

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    # 32 random bytes, as the specification recommends (between 24 and 64).
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


@lru_cache(maxsize=4096)
def _signer(secret: str) -> Webhook:
    # Decoding the secret costs more than the HMAC; endpoints are few, deliveries many.
    return Webhook(secret)


def signature_headers(secret: str, msg_id: str, body: str, when: datetime) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": _signer(secret).sign(msg_id, when, body),
    }
