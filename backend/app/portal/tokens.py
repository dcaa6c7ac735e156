"""Share-link tokens: random UUID v4 strings (122 random bits), the link's only credential.

Lookups go through the unique index; a timing difference in comparing 122 random bits is
not exploitable over a network, and guessing is throttled per address (see ratelimit).
"""

import re
import uuid

_UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def new_token() -> str:
    return str(uuid.uuid4())


def normalize_token(raw: str) -> str | None:
    """The canonical token, or None when `raw` cannot be one (answered 404 without a query)."""
    if len(raw) != 36:
        return None
    token = raw.lower()
    return token if _UUID4.fullmatch(token) else None
