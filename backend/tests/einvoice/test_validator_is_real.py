"""The validator finds real defects with their official rule ids, and its engine is robust."""

import multiprocessing
import threading
from dataclasses import replace
from decimal import Decimal

import pytest

from app.einvoice import validation
from app.einvoice.cii import render_cii
from app.einvoice.ubl import render_ubl
from app.einvoice.validation import validate_facturx_cii, validate_xml
from tests.einvoice.scenarios import BUYER, SELLER, credit_note, standard

RENDER = {"ubl": render_ubl, "cii": render_cii}


def _errors(xml: bytes, syntax: str) -> set[str]:
    return validate_xml(xml, syntax).rule_ids("fatal", "error")


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_wrong_grand_total_is_br_co_15(syntax):
    doc = standard()
    broken = replace(doc, totals=replace(doc.totals, gross_total=doc.totals.gross_total + Decimal("0.01")))
    assert "BR-CO-15" in _errors(RENDER[syntax](broken), syntax)


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_wrong_line_net_is_br_co_10(syntax):
    doc = standard()
    lines = (replace(doc.lines[0], net_amount=doc.lines[0].net_amount + 1),) + doc.lines[1:]
    assert "BR-CO-10" in _errors(RENDER[syntax](replace(doc, lines=lines)), syntax)


@pytest.mark.parametrize(
    ("syntax", "rules"),
    [("ubl", {"BR-61", "BR-DE-23-a"}), ("cii", {"CII-SR-470", "BR-DE-23-a"})],
)
def test_missing_iban_is_flagged_by_cen_and_kosit(syntax, rules):
    doc = standard()
    broken = replace(doc, payment=replace(doc.payment, iban=None))
    assert rules <= _errors(RENDER[syntax](broken), syntax)


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_missing_buyer_reference_is_br_de_15(syntax):
    assert "BR-DE-15" in _errors(RENDER[syntax](replace(standard(), buyer_reference=None)), syntax)


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
@pytest.mark.parametrize(
    ("missing", "rule"), [("contact_name", "BR-DE-5"), ("phone", "BR-DE-6"), ("email", "BR-DE-7")]
)
def test_incomplete_seller_contact_is_br_de_5_6_7(syntax, missing, rule):
    seller = replace(SELLER, **{missing: None})
    assert rule in _errors(RENDER[syntax](replace(standard(), seller=seller)), syntax)


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_no_seller_contact_at_all_is_br_de_2(syntax):
    seller = replace(SELLER, contact_name=None, phone=None, email=None)
    assert "BR-DE-2" in _errors(RENDER[syntax](replace(standard(), seller=seller)), syntax)


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_missing_buyer_electronic_address_is_peppol_r010(syntax):
    buyer = replace(BUYER, email=None, electronic_address=None)
    assert "PEPPOL-EN16931-R010" in _errors(RENDER[syntax](replace(standard(), buyer=buyer)), syntax)


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_unknown_unit_code_is_only_a_warning_in_xrechnung(syntax):
    # BR-CL-23 is fatal in the CEN rules; KoSIT's scenario lowers it to a warning.
    doc = standard()
    lines = (replace(doc.lines[0], unit_code="FOO"),) + doc.lines[1:]
    report = validate_xml(RENDER[syntax](replace(doc, lines=lines)), syntax)
    assert report.valid
    assert [(f.severity, f.rule_id) for f in report.findings] == [("warning", "BR-CL-23")]


def test_schema_violation_is_an_xsd_error():
    xml = render_ubl(standard()).replace(b"<cbc:IssueDate>", b"<cbc:Bogus>x</cbc:Bogus><cbc:IssueDate>", 1)
    report = validate_xml(xml, "ubl")
    assert not report.valid
    assert any(f.rule_id == "XSD" and "Bogus" in f.message for f in report.errors)


def test_malformed_xml_is_fatal():
    report = validate_xml(b"<Invoice><unclosed></Invoice>", "ubl")
    assert not report.valid
    assert report.findings[0].severity == "fatal"
    assert report.findings[0].rule_id == "XML"


def test_doctype_is_refused_before_any_parser_resolves_entities():
    xml = render_ubl(standard()).replace(
        b"<ubl:Invoice ",
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ubl:Invoice ',
        1,
    )
    report = validate_xml(xml, "ubl")
    assert [(f.severity, f.rule_id) for f in report.findings] == [("fatal", "XML")]
    assert "DOCTYPE" in report.findings[0].message


def test_other_encodings_are_validated_too():
    xml = render_cii(standard()).decode("utf-8")
    latin1 = xml.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"', 1).encode("iso-8859-1")
    assert validate_xml(latin1, "cii").valid


def test_wrong_syntax_is_fatal_not_a_crash():
    report = validate_xml(render_ubl(standard()), "cii")
    assert not report.valid and report.findings[0].rule_id == "XML"


def test_xrechnung_guideline_id_is_rejected_by_facturx_rules():
    # Why render_cii has two profiles: Factur-X EN 16931 accepts only urn:cen.eu:en16931:2017.
    report = validate_facturx_cii(render_cii(standard(), profile="xrechnung"))
    assert "FX-SCH-A-000556" in report.rule_ids("error")


def test_credit_note_uses_the_creditnote_schema():
    xml = render_ubl(credit_note())
    assert b"<ubl:CreditNote " in xml
    # Forcing an Invoice-only element into the CreditNote is caught by the CreditNote XSD.
    broken = xml.replace(b"<cbc:CreditNoteTypeCode>", b"<cbc:DueDate>2025-01-01</cbc:DueDate><cbc:CreditNoteTypeCode>")
    assert "XSD" in validate_xml(broken, "ubl").rule_ids("error")


def test_report_serialises_for_the_api():
    doc = standard()
    data = validate_xml(render_ubl(replace(doc, buyer_reference=None)), "ubl").to_dict()
    assert data["valid"] is False
    finding = next(f for f in data["findings"] if f["rule_id"] == "BR-DE-15")
    assert finding["severity"] == "fatal"
    assert "KoSIT" in finding["source"]
    assert finding["location"]


# ---- engine robustness -------------------------------------------------------------------


def test_worker_crash_is_recovered_transparently():
    xml = render_cii(standard())
    assert validate_xml(xml, "cii").valid
    validation._engine._proc.kill()
    validation._engine._proc.wait()
    assert validate_xml(xml, "cii").valid


def test_concurrent_calls_from_threads():
    good, bad = render_ubl(standard()), render_ubl(replace(standard(), buyer_reference=None))
    results: dict[int, bool] = {}

    def work(i: int) -> None:
        results[i] = validate_xml(good if i % 2 else bad, "ubl").valid

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert results == {i: bool(i % 2) for i in range(8)}


def _validate_in_child(queue):
    report = validate_xml(render_cii(replace(standard(), buyer_reference=None)), "cii")
    queue.put(sorted(report.rule_ids("fatal", "error")))


def test_validation_works_in_a_forked_child():
    # Pre-forking servers and job runners fork after the parent has started the worker.
    assert validate_xml(render_cii(standard()), "cii").valid
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_validate_in_child, args=(queue,))
    child.start()
    try:
        assert queue.get(timeout=120) == ["BR-DE-15"]
    finally:
        child.join(timeout=30)
    assert child.exitcode == 0
    # ... and the parent's worker is untouched.
    assert validate_xml(render_cii(standard()), "cii").valid


def test_a_hanging_worker_times_out_and_is_replaced():
    engine = validation.SchematronEngine(timeout=0.05)  # far less than Saxon needs to start
    sheet = [validation.RULE_FILES["kosit-cii"].file]
    xml = render_cii(standard())
    try:
        with pytest.raises(validation.ValidationEngineError, match="timed out"):
            engine.run(xml, sheet)
        engine.timeout = 120
        [findings] = engine.run(xml, sheet)
        assert findings == []
    finally:
        engine.close()
