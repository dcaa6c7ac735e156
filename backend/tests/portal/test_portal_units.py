"""Small pure helpers of the portal."""

import uuid

import pytest

from app.portal.service import truncate_ip
from app.portal.tokens import new_token, normalize_token


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::/48"),
        ("::ffff:198.51.100.23", "198.51.100.0/24"),
        ("testclient", None),
        (None, None),
    ],
)
def test_ip_is_truncated(host, expected):
    assert truncate_ip(host) == expected


def test_tokens_are_uuid4_and_normalized():
    token = new_token()
    assert uuid.UUID(token).version == 4 and normalize_token(token) == token
    assert normalize_token(token.upper()) == token
    assert normalize_token(str(uuid.uuid1())) is None
    assert normalize_token(token + "x") is None and normalize_token("") is None

