"""The readiness checker agrees with the official validators in both directions.

- Every scenario (complete data) has no missing fields, and validates (proven per syntax in
  test_official_validation; here once more directly on the checker's verdict).
- Each gap the checker names is one the validators raise: for every case below, the field is
  named, and rendering the same document yields one of the checker's rule ids as a finding.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.einvoice.cii import render_cii
from app.einvoice.document import Address
from app.einvoice.readiness import missing_for_einvoice
from app.einvoice.ubl import render_ubl
from app.einvoice.validation import validate_xml
from tests.einvoice import scenarios as sc


@pytest.mark.parametrize("name", sorted(sc.SCENARIOS))
def test_complete_scenarios_have_nothing_missing(name):
    assert missing_for_einvoice(sc.SCENARIOS[name]()) == []


def _seller(**changes):
    return lambda doc: replace(doc, seller=replace(doc.seller, **changes))


def _seller_address(**changes):
    return lambda doc: replace(doc, seller=replace(doc.seller, address=replace(doc.seller.address, **changes)))


def _buyer(**changes):
    return lambda doc: replace(doc, buyer=replace(doc.buyer, **changes))


def _buyer_address(**changes):
    return lambda doc: replace(doc, buyer=replace(doc.buyer, address=replace(doc.buyer.address, **changes)))


def _payment(**changes):
    return lambda doc: replace(doc, payment=replace(doc.payment, **changes))


def _invoice(**changes):
    return lambda doc: replace(doc, **changes)


def _line_rate(rate):
    def change(doc):
        return replace(doc, lines=(replace(doc.lines[0], vat_rate=Decimal(rate)),) + doc.lines[1:])

    return change


def _mix_in_standard_line(doc):
    extra = replace(doc.lines[0], position=len(doc.lines) + 1, vat_category=sc.VatCategory.STANDARD, vat_rate=Decimal("19"))
    lines = [*doc.lines, extra]
    rebuilt = sc.make_document(
        [sc.Line(ln.description, ln.quantity, ln.unit_price, ln.vat_rate, ln.vat_category.value, ln.unit_code) for ln in lines],
        buyer=doc.buyer,
        legal_notes=doc.legal_notes,
    )
    return rebuilt


def _blank_line_name(doc):
    return replace(doc, lines=(replace(doc.lines[0], description=" "),) + doc.lines[1:])


# Findings that follow from one specific gap in one syntax: a line without a name leaves the
# CII product element without its mandatory Name (XSD) and empty (PEPPOL-EN16931-R008).
_CASE_COLLATERAL = {"invoice.lines[0].description": {"XSD", "PEPPOL-EN16931-R008"}}

CASES = [
    # (base scenario, change, field the checker must name)
    ("standard", _seller(contact_name=None), "organization.contact_name"),
    ("standard", _seller(phone=None), "organization.phone"),
    ("standard", _seller(phone="12"), "organization.phone"),
    ("standard", _seller(email=None), "organization.email"),
    ("standard", _seller(email="rechnung-at-example"), "organization.email"),
    ("standard", _seller(contact_name=None, phone=None, email=None), "organization.contact_name"),
    ("standard", _seller_address(city=None), "organization.city"),
    ("standard", _seller_address(postal_code=" "), "organization.postal_code"),
    ("standard", _seller(vat_id=None, tax_number=None), "organization.vat_id"),
    ("small_business", _seller(tax_number=None), "organization.vat_id"),
    ("intra_community_supply", _seller(vat_id=None), "organization.vat_id"),
    ("export_outside_eu", _seller(vat_id=None), "organization.vat_id"),
    ("not_subject_to_vat", _seller(tax_number=None, register_number=None), "organization.tax_number"),
    ("standard", _payment(iban=None), "organization.iban"),
    ("standard", _payment(iban="DE00 1234 5678 9012 3456 78"), "organization.iban"),
    ("standard", _buyer(name=" "), "contact.name"),
    ("standard", _buyer_address(city=None), "contact.city"),
    ("standard", _buyer_address(postal_code=None), "contact.postal_code"),
    ("standard", _buyer(email=None), "contact.email"),
    ("reverse_charge_eu", _buyer(vat_id=None), "contact.vat_id"),
    ("intra_community_supply", _buyer(vat_id=None), "contact.vat_id"),
    ("standard", _invoice(buyer_reference=None), "invoice.buyer_reference"),
    ("intra_community_supply", _invoice(service_date=None), "invoice.service_date"),
    ("public_authority", _invoice(service_period_end=date(2024, 12, 1)), "invoice.service_period_end"),
    ("standard", _line_rate("0"), "invoice.lines[0].vat_rate"),
    ("standard", _blank_line_name, "invoice.lines[0].description"),
    ("reverse_charge_eu", _line_rate("19"), "invoice.lines[0].vat_rate"),
    ("not_subject_to_vat", _mix_in_standard_line, "invoice.lines"),
]


@pytest.mark.parametrize(("base", "change", "field"), CASES, ids=[f"{b}:{f}" for b, _, f in CASES])
def test_each_named_gap_is_flagged_by_the_validators(base, change, field):
    doc = change(sc.SCENARIOS[base]())
    missing = missing_for_einvoice(doc)
    named = [m for m in missing if m.field == field]
    assert named, f"{field} not named; got {missing}"
    assert all(m.message and m.rules for m in named)
    rules = {r for m in missing for r in m.rules}
    for syntax, render in (("ubl", render_ubl), ("cii", render_cii)):
        report = validate_xml(render(doc), syntax)
        found = report.rule_ids("fatal", "error", "warning")
        assert found & {r for m in named for r in m.rules}, (
            f"{syntax}: validators raised {sorted(found)}, checker named {named}"
        )
        # Nothing the validators raise is left unnamed by the checker.
        allowed = rules | _COLLATERAL | _CASE_COLLATERAL.get(field, set())
        assert found <= allowed, f"{syntax}: unnamed findings {sorted(found - allowed)}"


# Rules that fire as a consequence of a gap already named (the same gap seen by a second rule).
_COLLATERAL = {
    "BR-CO-26",  # no seller identifier at all: the named VAT id / tax number gap
    "BR-S-02", "BR-E-02", "BR-AE-02", "BR-IC-02", "BR-G-02", "BR-O-02",
    "BR-S-08", "BR-AE-08", "BR-IC-08", "BR-O-08",  # breakdown follows the wrong line rate
    "BR-CO-17", "BR-S-09", "BR-AE-09",
    "BR-DE-19",  # an invalid or missing IBAN
    "BR-DE-27", "BR-DE-28",  # phone / e-mail format next to a missing phone / e-mail
    "BR-O-09", "BR-O-10", "BR-O-11", "BR-O-12", "BR-O-13", "BR-O-14", "BR-O-01",
    "BR-DE-16",
    "BR-DE-10", "BR-DE-11",  # the deliver-to address defaults to the buyer's
}


def test_german_messages_name_the_gap():
    doc = replace(sc.standard(), payment=replace(sc.PAYMENT, iban=None))
    [gap] = missing_for_einvoice(doc)
    assert gap.field == "organization.iban"
    assert gap.message == "Bankverbindung (IBAN) fehlt"


def test_buyer_without_address_fields_is_named_field_by_field():
    doc = replace(sc.standard(), buyer=replace(sc.BUYER, address=Address(None, None, None, "DE")))
    fields = {m.field for m in missing_for_einvoice(doc)}
    assert {"contact.city", "contact.postal_code"} <= fields
