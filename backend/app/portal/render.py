"""The portal's JSON answer, pre-serialized.

A finalized invoice never changes (GoBD), and a share link's token never does: so almost all
of a link's portal answer is rendered once, to bytes, and stored with the link
(`InvoiceShareLink.portal_render`). Per request only the fields that can still change are
serialized and spliced in: status, payment_status, paid_on, payment_confirmed_by, payment
(with the GiroCode only while a transfer is expected), can_confirm_payment and
link_expires_at. The result is byte for byte what `PortalInvoice.model_dump_json()` gives for
the same data (tests/portal/test_portal_render.py), at a tiny fraction of the cost.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic_core import to_json

from app.invoices.derive import effective_status
from app.invoices.models import InvoiceStatus
from app.portal.schemas import PortalInvoice

# Bump whenever the answer's shape or rendering changes: a stored render of another version
# is rendered again on first use.
VERSION = "portal-render-1"
_SEP = "\x1e"  # JSON escapes every control character, so it never occurs inside the pieces

PAYABLE = (InvoiceStatus.OPEN, InvoiceStatus.OVERDUE)
CREDIT_NOTE = "381"
_STATE_FIELDS = ("status", "payment_status", "paid_on", "payment_confirmed_by")
_PAYMENT_FIELDS = ("payment", "can_confirm_payment", "link_expires_at")
_DYNAMIC = (*_STATE_FIELDS, *_PAYMENT_FIELDS)


def _segments() -> list[list[str]]:
    """PortalInvoice's fields in order, as the static runs around the two dynamic groups."""
    runs: list[list[str]] = [[]]
    names = list(PortalInvoice.model_fields)
    for i, name in enumerate(names):
        if name in _DYNAMIC:
            if names[i - 1] not in _DYNAMIC:
                runs.append([])
        else:
            runs[-1].append(name)
    # head, [state], middle, [payment], tail: the splice in `answer` depends on this order.
    order = [n for n in names if n in _DYNAMIC]
    assert len(runs) == 3 and order == list(_DYNAMIC), (runs, order)
    return runs


_HEAD, _MIDDLE, _TAIL = _segments()


@dataclass(frozen=True, slots=True)
class Fragments:
    head: bytes  # '{"number":…,"currency":"EUR",'
    middle: bytes  # '"buyer_reference":…,"legal_notes":[…],'
    tail: bytes  # '"downloads":{…},"confirm_payment_url":"…"' (no closing brace)
    payment: bytes  # the payment block without GiroCode, or null
    payment_with_girocode: bytes  # with GiroCode (or the same as `payment`)
    credit_note: bool

    def dumps(self) -> str:
        parts = (self.head, self.middle, self.tail, self.payment, self.payment_with_girocode)
        return _SEP.join((VERSION, *(p.decode() for p in parts), "1" if self.credit_note else "0"))

    @staticmethod
    def loads(text: str | None) -> "Fragments | None":
        """The stored render, or None when there is none or it is of another version."""
        if not text:
            return None
        parts = text.split(_SEP)
        if len(parts) != 7 or parts[0] != VERSION:
            return None
        head, middle, tail, payment, with_code = (p.encode() for p in parts[1:6])
        return Fragments(head, middle, tail, payment, with_code, parts[6] == "1")

    def answer(self, state: Any, expires_at: datetime | None, extra: bytes = b"") -> bytes:
        """The whole JSON body. `state` carries status, due_date, payment_status, paid_at and
        paid_confirmed_by (an Invoice or a row with those names); `extra` is appended as
        further members (it starts with a comma)."""
        status = effective_status(state)
        can_pay = status in PAYABLE and not self.credit_note
        paid_on: date | None = state.paid_at
        return b"".join((
            self.head,
            b'"status":', to_json(status),
            b',"payment_status":', to_json(state.payment_status),
            b',"paid_on":', to_json(paid_on),
            b',"payment_confirmed_by":', to_json(state.paid_confirmed_by),
            b",", self.middle,
            # The GiroCode only while a transfer is expected: a paid invoice must not invite a second one.
            b'"payment":', self.payment_with_girocode if can_pay else self.payment,
            b',"can_confirm_payment":', b"true" if can_pay else b"false",
            b',"link_expires_at":', to_json(expires_at),
            b",", self.tail, extra, b"}",
        ))


def _members(dumped: dict[str, Any], names: list[str]) -> bytes:
    return b"".join(to_json(name) + b":" + to_json(dumped[name]) + b"," for name in names)


def fragments(base: PortalInvoice, payment: Any, payment_with_girocode: Any, token: str) -> Fragments:
    """Render a link's answer. `base` is the invoice's PortalInvoice (placeholders in the
    dynamic fields); the token's URLs are filled in here."""
    url = f"/api/portal/{token}"
    seller = base.seller.model_copy(update={"logo_url": f"{url}/logo"}) if base.seller.has_logo else base.seller
    doc = base.model_copy(
        update={
            "seller": seller,
            "downloads": base.downloads.model_copy(
                update={"pdf": f"{url}/download-pdf", "xml_ubl": f"{url}/download-xml?syntax=ubl",
                        "xml_cii": f"{url}/download-xml?syntax=cii"}
            ),
            "confirm_payment_url": f"{url}/confirm-payment",
        }
    )
    dumped = doc.model_dump(mode="json")
    return Fragments(
        head=b"{" + _members(dumped, _HEAD),
        middle=_members(dumped, _MIDDLE),
        tail=_members(dumped, _TAIL)[:-1],
        payment=to_json(payment.model_dump(mode="json") if payment is not None else None),
        payment_with_girocode=to_json(
            payment_with_girocode.model_dump(mode="json") if payment_with_girocode is not None else None
        ),
        credit_note=base.type_code == CREDIT_NOTE,
    )
