"""Every scenario, in both syntaxes, passes the official rules; broken ones fail them.

The bar for a scenario: zero fatal findings, zero errors, and zero warnings (a warning that
had to stay would be listed here with its reason; at present there is none).
"""

import pytest

from app.einvoice.cii import render_cii
from app.einvoice.ubl import render_ubl
from app.einvoice.validation import validate_facturx_cii, validate_xml
from tests.einvoice.scenarios import SCENARIOS


def _describe(report) -> str:
    return "\n".join(f"{f.severity} {f.rule_id} [{f.source}] {f.message}" for f in report.findings)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_ubl_passes_xsd_cen_and_kosit(name):
    report = validate_xml(render_ubl(SCENARIOS[name]()), "ubl")
    assert report.valid, _describe(report)
    assert report.findings == [], _describe(report)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_cii_passes_xsd_cen_and_kosit(name):
    report = validate_xml(render_cii(SCENARIOS[name]()), "cii")
    assert report.valid, _describe(report)
    assert report.findings == [], _describe(report)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_facturx_cii_passes_facturx_en16931_rules(name):
    report = validate_facturx_cii(render_cii(SCENARIOS[name](), profile="facturx"))
    assert report.valid, _describe(report)
    assert report.findings == [], _describe(report)


@pytest.mark.parametrize("name", ["standard", "public_authority", "credit_note"])
def test_facturx_cii_also_passes_the_xrechnung_rules_except_the_guideline_id(name):
    # The PDF's XML differs from the XRechnung CII only in BT-24, so it carries XRechnung's
    # data; KoSIT answers the foreign guideline id with BR-DE-21 (a warning) and nothing else.
    report = validate_xml(render_cii(SCENARIOS[name](), profile="facturx"), "cii")
    assert report.valid, _describe(report)
    assert report.rule_ids() == {"BR-DE-21"}, _describe(report)
