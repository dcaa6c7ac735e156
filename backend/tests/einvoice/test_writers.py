"""What the writers put where: the business terms the rules and receivers rely on."""

from dataclasses import replace
from decimal import Decimal

import pytest
from lxml import etree

from app.einvoice.cii import render_cii
from app.einvoice.ubl import render_ubl
from app.invoices.vat import SMALL_BUSINESS_NOTE
from tests.einvoice import scenarios as sc

NS = {
    "ubl": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
XR = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
PEPPOL = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


def ubl(doc):
    return etree.fromstring(render_ubl(doc))


def cii(doc, profile="xrechnung"):
    return etree.fromstring(render_cii(doc, profile=profile))


def xp(tree, path):
    return tree.xpath(path, namespaces=NS)


def one(tree, path) -> str:
    values = xp(tree, path)
    assert len(values) == 1, f"{path}: {values}"
    value = values[0]
    return value if isinstance(value, str) else value.text


SELLER_C = "//ram:SellerTradeParty"
BUYER_C = "//ram:BuyerTradeParty"


def test_specification_process_and_buyer_reference():
    doc = sc.standard()
    u, c = ubl(doc), cii(doc)
    assert one(u, "/ubl:Invoice/cbc:CustomizationID") == XR
    assert one(u, "/ubl:Invoice/cbc:ProfileID") == PEPPOL
    assert one(u, "/ubl:Invoice/cbc:BuyerReference") == "PO-4711"
    assert one(c, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") == XR
    assert one(c, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID") == PEPPOL
    assert one(c, "//ram:ApplicableHeaderTradeAgreement/ram:BuyerReference") == "PO-4711"


def test_facturx_profile_changes_only_the_guideline_id():
    doc = sc.standard()
    xr, fx = render_cii(doc), render_cii(doc, profile="facturx")
    assert one(etree.fromstring(fx), "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") == "urn:cen.eu:en16931:2017"
    assert fx.replace(b"urn:cen.eu:en16931:2017<", XR.encode() + b"<") == xr
    with pytest.raises(ValueError):
        render_cii(doc, profile="zugferd-basic")


def test_electronic_addresses_default_to_email_with_scheme_em():
    doc = sc.standard()
    u, c = ubl(doc), cii(doc)
    seller = xp(u, "//cac:AccountingSupplierParty//cbc:EndpointID")[0]
    assert (seller.text, seller.get("schemeID")) == ("rechnung@mueller-soehne.de", "EM")
    buyer = xp(c, f"{BUYER_C}/ram:URIUniversalCommunication/ram:URIID")[0]
    assert (buyer.text, buyer.get("schemeID")) == ("einkauf@beispiel-handel.de", "EM")


def test_public_authority_gets_leitweg_id_as_0204_address_and_buyer_reference():
    doc = sc.public_authority()
    u, c = ubl(doc), cii(doc)
    endpoint = xp(u, "//cac:AccountingCustomerParty//cbc:EndpointID")[0]
    assert (endpoint.text, endpoint.get("schemeID")) == (sc.LEITWEG_ID, "0204")
    assert one(u, "/ubl:Invoice/cbc:BuyerReference") == sc.LEITWEG_ID
    uri = xp(c, f"{BUYER_C}/ram:URIUniversalCommunication/ram:URIID")[0]
    assert (uri.text, uri.get("schemeID")) == (sc.LEITWEG_ID, "0204")
    # The billing period (BG-14) instead of a single service date:
    assert one(u, "//cac:InvoicePeriod/cbc:StartDate") == "2025-01-01"
    assert one(c, "//ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString") == "20250331"


def test_seller_contact_tax_ids_and_payment():
    doc = sc.standard()
    u, c = ubl(doc), cii(doc)
    assert one(u, "//cac:AccountingSupplierParty//cac:Contact/cbc:Name") == "Anna Müller"
    assert one(u, "//cac:AccountingSupplierParty//cac:Contact/cbc:Telephone") == "+49 211 1234567"
    assert one(c, f"{SELLER_C}/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:URIID") == "rechnung@mueller-soehne.de"
    assert one(u, "//cac:AccountingSupplierParty//cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID") == "DE123456789"
    assert one(u, "//cac:AccountingSupplierParty//cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='FC']/cbc:CompanyID") == "103/5678/1234"
    assert one(c, f"{SELLER_C}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']") == "DE123456789"
    assert one(c, f"{SELLER_C}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='FC']") == "103/5678/1234"
    assert one(c, f"{SELLER_C}/ram:SpecifiedLegalOrganization/ram:ID") == "HRB 12345, Amtsgericht Düsseldorf"
    # Payment means 58 (SEPA credit transfer) with the IBAN in electronic form and the BIC.
    assert one(u, "//cac:PaymentMeans/cbc:PaymentMeansCode") == "58"
    assert one(u, "//cac:PayeeFinancialAccount/cbc:ID") == "DE89370400440532013000"
    assert one(u, "//cac:FinancialInstitutionBranch/cbc:ID") == "COBADEFFXXX"
    assert one(c, "//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode") == "58"
    assert one(c, "//ram:PayeePartyCreditorFinancialAccount/ram:IBANID") == "DE89370400440532013000"
    assert one(c, "//ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID") == "COBADEFFXXX"
    assert one(u, "/ubl:Invoice/cbc:DueDate") == "2025-03-28"
    assert one(c, "//ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString") == "20250328"
    assert one(c, "//ram:SpecifiedTradePaymentTerms/ram:Description") == sc.PAYMENT.terms
    assert one(u, "//cac:Delivery/cbc:ActualDeliveryDate") == "2025-03-10"


def test_mixed_rates_make_one_breakdown_group_per_rate():
    doc = sc.mixed_rates()
    u, c = ubl(doc), cii(doc)
    groups = [
        (one(g, "cac:TaxCategory/cbc:ID"), one(g, "cac:TaxCategory/cbc:Percent"), one(g, "cbc:TaxableAmount"), one(g, "cbc:TaxAmount"))
        for g in xp(u, "//cac:TaxTotal/cac:TaxSubtotal")
    ]
    assert groups == [("S", "19", "1285.00", "244.15"), ("S", "7", "145.05", "10.15")]
    assert [one(g, "ram:BasisAmount") for g in xp(c, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax")] == ["1285.00", "145.05"]
    assert one(c, "//ram:TaxTotalAmount") == "254.30"
    assert xp(c, "//ram:TaxTotalAmount/@currencyID") == ["EUR"]
    assert one(u, "//cac:LegalMonetaryTotal/cbc:PayableAmount") == "1684.35"


def test_small_business_is_exempt_with_the_paragraph_19_text():
    doc = sc.small_business()
    u, c = ubl(doc), cii(doc)
    assert one(u, "//cac:TaxSubtotal/cac:TaxCategory/cbc:ID") == "E"
    assert one(u, "//cac:TaxSubtotal/cac:TaxCategory/cbc:Percent") == "0"
    assert one(u, "//cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReason") == SMALL_BUSINESS_NOTE
    assert one(c, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:ExemptionReason") == SMALL_BUSINESS_NOTE
    assert one(u, "//cac:TaxTotal/cbc:TaxAmount") == "0.00"
    assert SMALL_BUSINESS_NOTE in [n.text for n in xp(u, "/ubl:Invoice/cbc:Note")]
    # Only a Steuernummer: it identifies the seller (BT-29) as well, for BR-CO-26.
    assert xp(c, f"{SELLER_C}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']") == []
    assert one(c, f"{SELLER_C}/ram:ID") == "217/5123/4567"


def test_reverse_charge_carries_buyer_vat_id_and_vatex_code():
    doc = sc.reverse_charge_eu()
    u, c = ubl(doc), cii(doc)
    assert one(u, "//cac:AccountingCustomerParty//cac:PartyTaxScheme/cbc:CompanyID") == "ATU12345678"
    assert one(u, "//cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode") == "VATEX-EU-AE"
    assert one(c, f"{BUYER_C}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']") == "ATU12345678"
    assert one(c, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:ExemptionReasonCode") == "VATEX-EU-AE"
    assert one(c, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode") == "AE"


def test_intra_community_supply_has_deliver_to_country_and_date():
    doc = sc.intra_community_supply()
    u, c = ubl(doc), cii(doc)
    assert one(u, "//cac:Delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode") == "FR"
    assert one(c, "//ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID") == "FR"
    assert one(c, "//ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString") == "20250310"
    assert one(u, "//cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode") == "VATEX-EU-IC"


def test_explicit_delivery_address_wins():
    doc = replace(sc.intra_community_supply(), delivery_address=sc.Address("Via Roma 1", "00184", "Roma", "IT"))
    assert one(ubl(doc), "//cac:DeliveryLocation//cbc:IdentificationCode") == "IT"
    assert one(cii(doc), "//ram:ShipToTradeParty//ram:CityName") == "Roma"


def test_export_is_g_with_vatex_code():
    u = ubl(sc.export_outside_eu())
    assert one(u, "//cac:TaxSubtotal/cac:TaxCategory/cbc:ID") == "G"
    assert one(u, "//cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode") == "VATEX-EU-G"


def test_not_subject_to_vat_drops_vat_ids_and_line_rates():
    doc = sc.not_subject_to_vat()
    u, c = ubl(doc), cii(doc)
    assert xp(u, "//cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']") == []
    assert xp(c, "//ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']") == []
    assert xp(u, "//cac:ClassifiedTaxCategory/cbc:Percent") == []
    assert xp(c, "//ram:IncludedSupplyChainTradeLineItem//ram:RateApplicablePercent") == []
    assert one(u, "//cac:TaxSubtotal/cac:TaxCategory/cbc:Percent") == "0"  # BR-DE-14


@pytest.mark.parametrize("render", [ubl, cii])
def test_unit_codes_quantities_and_prices_are_kept(render):
    doc = sc.unit_codes()
    tree = render(doc)
    if render is ubl:
        quantities = xp(tree, "//cac:InvoiceLine/cbc:InvoicedQuantity")
        prices = [p.text for p in xp(tree, "//cac:Price/cbc:PriceAmount")]
    else:
        quantities = xp(tree, "//ram:BilledQuantity")
        prices = [p.text for p in xp(tree, "//ram:NetPriceProductTradePrice/ram:ChargeAmount")]
    assert [q.get("unitCode") for q in quantities] == list(sc.UNIT_CODES)
    assert [q.text for q in quantities] == ["7.25", "2", "12.5", "40", "3.75", "1234", "1", "3", "4"]
    assert prices == ["85", "680", "3.99", "1.859", "12.4", "0.3412", "250", "29", "17.5"]


def test_many_lines_are_all_written_in_order():
    doc = sc.many_lines()
    assert len(doc.lines) >= 60
    u, c = ubl(doc), cii(doc)
    assert [e.text for e in xp(u, "//cac:InvoiceLine/cbc:ID")] == [str(i) for i in range(1, len(doc.lines) + 1)]
    assert len(xp(c, "//ram:IncludedSupplyChainTradeLineItem")) == len(doc.lines)
    line_sum = sum(Decimal(e.text) for e in xp(c, "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"))
    assert line_sum == Decimal(one(c, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:LineTotalAmount"))


@pytest.mark.parametrize("render", [render_ubl, render_cii])
def test_special_characters_survive_escaping(render):
    doc = sc.special_characters()
    raw = render(doc)
    assert b"\x0b" not in raw and b"\x01" not in raw
    tree = etree.fromstring(raw)  # well-formed despite & < > " ' and control characters
    texts = set(tree.itertext())
    assert 'Bäckerei Groß & Söhne "Zur Brezel" <Filiale Süd>' in texts
    assert "Bestellung #42 & <Rahmenvertrag>" in texts
    assert "Steuerzeichenwerden entfernt, Emoji bleibt 🧾" in texts
    assert sc.LONG_TEXT in texts  # the complete long text is kept as the item description
    first_line = sc.LONG_TEXT.split("\n")[0]
    names = [t for t in texts if t.startswith("Konzeption")]
    assert any(n.endswith("…") and len(n) <= 100 and first_line.startswith(n[:-1]) for n in names)


def test_credit_note_is_a_ubl_creditnote_with_preceding_invoice():
    doc = sc.credit_note()
    u, c = ubl(doc), cii(doc)
    assert etree.QName(u).localname == "CreditNote"
    assert one(u, "/cn:CreditNote/cbc:CreditNoteTypeCode") == "381"
    assert one(u, "//cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") == "RE-2025-0001"
    assert one(u, "//cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate") == "2025-03-14"
    assert len(xp(u, "//cac:CreditNoteLine/cbc:CreditedQuantity")) == 1
    assert one(u, "//cac:PaymentMeans/cbc:PaymentDueDate") == "2025-03-28"
    assert one(c, "//rsm:ExchangedDocument/ram:TypeCode") == "381"
    assert one(c, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID") == "RE-2025-0001"
    assert one(c, "//ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString") == "20250314"


def test_prepaid_amount_reduces_amount_due():
    doc = sc.partially_paid_period()
    u, c = ubl(doc), cii(doc)
    assert one(u, "//cac:LegalMonetaryTotal/cbc:PrepaidAmount") == "500.00"
    assert one(u, "//cac:LegalMonetaryTotal/cbc:PayableAmount") == str(doc.totals.amount_due)
    assert one(c, "//ram:TotalPrepaidAmount") == "500.00"
    assert one(c, "//ram:DuePayableAmount") == str(doc.totals.amount_due)


@pytest.mark.parametrize("name", sorted(sc.SCENARIOS))
def test_ubl_and_cii_agree_on_the_totals(name):
    doc = sc.SCENARIOS[name]()
    u, c = ubl(doc), cii(doc)
    assert one(u, "//cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount") == one(c, "//ram:TaxBasisTotalAmount")
    assert one(u, "//cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount") == one(c, "//ram:GrandTotalAmount")
    assert one(u, "//cac:TaxTotal/cbc:TaxAmount") == one(c, "//ram:TaxTotalAmount")
    assert one(u, "//cac:LegalMonetaryTotal/cbc:PayableAmount") == str(doc.totals.amount_due)


@pytest.mark.parametrize("render", [render_ubl, render_cii])
def test_no_empty_elements_are_written(render):
    # PEPPOL-EN16931-R008; blank optional data must leave the element out, not empty.
    doc = replace(
        sc.standard(),
        note="  ",
        buyer=replace(sc.BUYER, contact_name=" ", customer_number=""),
        payment=replace(sc.PAYMENT, bic="", account_name=None),
    )
    tree = etree.fromstring(render(doc))
    empty = [e.tag for e in tree.iter() if len(e) == 0 and not (e.text or "").strip()]
    assert empty == []
