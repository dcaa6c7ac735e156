"""XRechnung 3.0 / Factur-X EN 16931 in UN/CEFACT CII D16B: `render_cii(doc, profile=...)`.

One writer, two guideline ids (BT-24):
- profile="xrechnung": `urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0`,
  what KoSIT's XRechnung scenario matches on;
- profile="facturx": `urn:cen.eu:en16931:2017`, the only id the Factur-X 1.09 / ZUGFeRD 2.3
  EN 16931 profile rules accept (FX-SCH-A-000556). This is the XML the PDF embeds.
Everything else is identical, and the content satisfies the XRechnung rules in both cases,
so the embedded XML carries the XRechnung data (BT-10, electronic addresses, contact).

Element order follows the D16B XSD sequences (the Factur-X EN 16931 XSD, a restriction of
D16B, checks it in the tests).
"""

from typing import Literal

from app.einvoice import _xml as x
from app.einvoice.document import Address, InvoiceDocument, Party
from app.invoices.vat import VatCategory, exemption_reason

Profile = Literal["xrechnung", "facturx"]

_GUIDELINE = {"xrechnung": x.SPEC_XRECHNUNG, "facturx": x.SPEC_FACTURX_EN16931}

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"'
    ' xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"'
    ' xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"'
    ' xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">'
)


def _date(tag: str, value, prefix: str = "udt") -> str:
    return f'<{tag}><{prefix}:DateTimeString format="102">{x.cii_date(value)}</{prefix}:DateTimeString></{tag}>'


def render_cii(doc: InvoiceDocument, profile: Profile = "xrechnung") -> bytes:
    try:
        guideline = _GUIDELINE[profile]
    except KeyError:
        raise ValueError(f"unknown CII profile {profile!r}") from None
    cur = x.attr(doc.currency)
    out: list[str] = [
        _HEAD,
        "<rsm:ExchangedDocumentContext>",
        "<ram:BusinessProcessSpecifiedDocumentContextParameter>"
        f"<ram:ID>{x.PROCESS_BILLING}</ram:ID></ram:BusinessProcessSpecifiedDocumentContextParameter>",
        "<ram:GuidelineSpecifiedDocumentContextParameter>"
        f"<ram:ID>{guideline}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>",
        "</rsm:ExchangedDocumentContext>",
        "<rsm:ExchangedDocument>",
    ]
    a = out.append
    if doc.number:
        a(f"<ram:ID>{x.text(doc.number)}</ram:ID>")
    a(f"<ram:TypeCode>{x.text(doc.type_code)}</ram:TypeCode>")
    a(_date("ram:IssueDateTime", doc.issue_date))
    for note in x.notes(doc):
        a(f"<ram:IncludedNote><ram:Content>{x.text(note)}</ram:Content></ram:IncludedNote>")
    a("</rsm:ExchangedDocument>")

    a("<rsm:SupplyChainTradeTransaction>")
    for line in doc.lines:
        name, description = x.item_name_and_description(line.description)
        a("<ram:IncludedSupplyChainTradeLineItem>")
        a(f"<ram:AssociatedDocumentLineDocument><ram:LineID>{line.position}</ram:LineID></ram:AssociatedDocumentLineDocument>")
        a("<ram:SpecifiedTradeProduct>")
        if name:  # a blank name is left out (BR-25 then names the gap), never written empty
            a(f"<ram:Name>{x.text(name)}</ram:Name>")
        if description:
            a(f"<ram:Description>{x.text(description)}</ram:Description>")
        a("</ram:SpecifiedTradeProduct>")
        a(
            "<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice>"
            f"<ram:ChargeAmount>{x.number(line.unit_price)}</ram:ChargeAmount>"
            "</ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>"
        )
        a(
            "<ram:SpecifiedLineTradeDelivery>"
            f'<ram:BilledQuantity unitCode="{x.attr(line.unit_code)}">{x.number(line.quantity)}</ram:BilledQuantity>'
            "</ram:SpecifiedLineTradeDelivery>"
        )
        a("<ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode>")
        a(f"<ram:CategoryCode>{line.vat_category.value}</ram:CategoryCode>")
        # BR-O-05: a line "not subject to VAT" carries no rate at all.
        if line.vat_category != VatCategory.NOT_SUBJECT:
            a(f"<ram:RateApplicablePercent>{x.number(line.vat_rate)}</ram:RateApplicablePercent>")
        a("</ram:ApplicableTradeTax>")
        a(
            "<ram:SpecifiedTradeSettlementLineMonetarySummation>"
            f"<ram:LineTotalAmount>{x.amount(line.net_amount)}</ram:LineTotalAmount>"
            "</ram:SpecifiedTradeSettlementLineMonetarySummation>"
        )
        a("</ram:SpecifiedLineTradeSettlement></ram:IncludedSupplyChainTradeLineItem>")

    a("<ram:ApplicableHeaderTradeAgreement>")
    buyer_reference = x.compact(doc.buyer_reference)
    if buyer_reference:
        a(f"<ram:BuyerReference>{x.text(buyer_reference)}</ram:BuyerReference>")
    _party(
        a,
        "ram:SellerTradeParty",
        doc.seller,
        identifier=x.seller_identifier(doc),
        legal_id=x.legal_registration(doc.seller),
        vat_id=x.seller_vat_id(doc),
        tax_number=x.compact(doc.seller.tax_number),
        with_contact=True,
    )
    _party(
        a,
        "ram:BuyerTradeParty",
        doc.buyer,
        identifier=x.compact(doc.buyer.customer_number),
        legal_id=None,
        vat_id=x.buyer_vat_id(doc),
        tax_number=None,
        with_contact=bool(doc.buyer.contact_name or doc.buyer.phone),
    )
    a("</ram:ApplicableHeaderTradeAgreement>")

    # The header delivery element is mandatory in the XSD even when it is empty.
    a("<ram:ApplicableHeaderTradeDelivery>")
    deliver_to = x.delivery_address(doc)
    if deliver_to:
        a("<ram:ShipToTradeParty>")
        _address(a, deliver_to)
        a("</ram:ShipToTradeParty>")
    if doc.service_date:
        a(
            "<ram:ActualDeliverySupplyChainEvent>"
            + _date("ram:OccurrenceDateTime", doc.service_date)
            + "</ram:ActualDeliverySupplyChainEvent>"
        )
    a("</ram:ApplicableHeaderTradeDelivery>")

    a("<ram:ApplicableHeaderTradeSettlement>")
    p = doc.payment
    remittance = x.compact(p.remittance_text)
    if remittance:
        a(f"<ram:PaymentReference>{x.text(remittance)}</ram:PaymentReference>")
    a(f"<ram:InvoiceCurrencyCode>{x.text(doc.currency)}</ram:InvoiceCurrencyCode>")
    a("<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode>")
    account = x.iban(p.iban)
    if account:
        a(f"<ram:PayeePartyCreditorFinancialAccount><ram:IBANID>{x.text(account)}</ram:IBANID>")
        account_name = x.compact(p.account_name)
        if account_name:
            a(f"<ram:AccountName>{x.text(account_name)}</ram:AccountName>")
        a("</ram:PayeePartyCreditorFinancialAccount>")
        bic = x.compact(p.bic)
        if bic:
            a(
                "<ram:PayeeSpecifiedCreditorFinancialInstitution>"
                f"<ram:BICID>{x.text(bic)}</ram:BICID></ram:PayeeSpecifiedCreditorFinancialInstitution>"
            )
    a("</ram:SpecifiedTradeSettlementPaymentMeans>")

    t = doc.totals
    for group in t.vat_breakdown:
        reason = exemption_reason(group.category, doc.small_business)
        a(f"<ram:ApplicableTradeTax><ram:CalculatedAmount>{x.amount(group.tax_amount)}</ram:CalculatedAmount>")
        a("<ram:TypeCode>VAT</ram:TypeCode>")
        if reason:
            a(f"<ram:ExemptionReason>{x.text(reason[1])}</ram:ExemptionReason>")
        a(f"<ram:BasisAmount>{x.amount(group.taxable_amount)}</ram:BasisAmount>")
        a(f"<ram:CategoryCode>{group.category.value}</ram:CategoryCode>")
        if reason and reason[0]:
            a(f"<ram:ExemptionReasonCode>{reason[0]}</ram:ExemptionReasonCode>")
        # BT-119 is always given, 0 included: KoSIT's BR-DE-14 requires it for every group.
        a(f"<ram:RateApplicablePercent>{x.number(group.rate)}</ram:RateApplicablePercent>")
        a("</ram:ApplicableTradeTax>")

    if doc.service_period_start or doc.service_period_end:
        a("<ram:BillingSpecifiedPeriod>")
        if doc.service_period_start:
            a(_date("ram:StartDateTime", doc.service_period_start))
        if doc.service_period_end:
            a(_date("ram:EndDateTime", doc.service_period_end))
        a("</ram:BillingSpecifiedPeriod>")

    terms = x.compact(p.terms)
    if terms or doc.due_date:
        a("<ram:SpecifiedTradePaymentTerms>")
        if terms:
            a(f"<ram:Description>{x.text(terms)}</ram:Description>")
        if doc.due_date:
            a(_date("ram:DueDateDateTime", doc.due_date))
        a("</ram:SpecifiedTradePaymentTerms>")

    a("<ram:SpecifiedTradeSettlementHeaderMonetarySummation>")
    a(f"<ram:LineTotalAmount>{x.amount(t.line_total)}</ram:LineTotalAmount>")
    a(f"<ram:TaxBasisTotalAmount>{x.amount(t.net_total)}</ram:TaxBasisTotalAmount>")
    a(f'<ram:TaxTotalAmount currencyID="{cur}">{x.amount(t.vat_total)}</ram:TaxTotalAmount>')
    a(f"<ram:GrandTotalAmount>{x.amount(t.gross_total)}</ram:GrandTotalAmount>")
    if t.paid_amount:
        a(f"<ram:TotalPrepaidAmount>{x.amount(t.paid_amount)}</ram:TotalPrepaidAmount>")
    a(f"<ram:DuePayableAmount>{x.amount(t.amount_due)}</ram:DuePayableAmount>")
    a("</ram:SpecifiedTradeSettlementHeaderMonetarySummation>")

    preceding = x.compact(doc.preceding_invoice_number)
    if preceding:
        a(f"<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>{x.text(preceding)}</ram:IssuerAssignedID>")
        if doc.preceding_invoice_date:
            a(_date("ram:FormattedIssueDateTime", doc.preceding_invoice_date, prefix="qdt"))
        a("</ram:InvoiceReferencedDocument>")
    a("</ram:ApplicableHeaderTradeSettlement>")
    a("</rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>")
    return "".join(out).encode("utf-8")


def _address(a, address: Address) -> None:
    a("<ram:PostalTradeAddress>")
    postal = x.compact(address.postal_code)
    if postal:
        a(f"<ram:PostcodeCode>{x.text(postal)}</ram:PostcodeCode>")
    street = x.compact(address.street)
    if street:
        a(f"<ram:LineOne>{x.text(street)}</ram:LineOne>")
    city = x.compact(address.city)
    if city:
        a(f"<ram:CityName>{x.text(city)}</ram:CityName>")
    a(f"<ram:CountryID>{x.text(address.country_code)}</ram:CountryID>")
    a("</ram:PostalTradeAddress>")


def _party(
    a,
    tag: str,
    party: Party,
    *,
    identifier: str | None,
    legal_id: str | None,
    vat_id: str | None,
    tax_number: str | None,
    with_contact: bool,
) -> None:
    a(f"<{tag}>")
    if identifier:
        a(f"<ram:ID>{x.text(identifier)}</ram:ID>")
    name = x.compact(party.name)
    if name:
        a(f"<ram:Name>{x.text(name)}</ram:Name>")
    if legal_id:
        a(f"<ram:SpecifiedLegalOrganization><ram:ID>{x.text(legal_id)}</ram:ID></ram:SpecifiedLegalOrganization>")
    if with_contact:
        name = x.compact(party.contact_name)
        phone = x.compact(party.phone)
        email = x.compact(party.email)
        if name or phone or email:
            a("<ram:DefinedTradeContact>")
            if name:
                a(f"<ram:PersonName>{x.text(name)}</ram:PersonName>")
            if phone:
                a(
                    "<ram:TelephoneUniversalCommunication>"
                    f"<ram:CompleteNumber>{x.text(phone)}</ram:CompleteNumber></ram:TelephoneUniversalCommunication>"
                )
            if email:
                a(f"<ram:EmailURIUniversalCommunication><ram:URIID>{x.text(email)}</ram:URIID></ram:EmailURIUniversalCommunication>")
            a("</ram:DefinedTradeContact>")
    _address(a, party.address)
    endpoint = x.electronic_address(party)
    if endpoint:
        a(
            f'<ram:URIUniversalCommunication><ram:URIID schemeID="{x.attr(endpoint[1])}">'
            f"{x.text(endpoint[0])}</ram:URIID></ram:URIUniversalCommunication>"
        )
    if vat_id:
        a(f'<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{x.text(vat_id)}</ram:ID></ram:SpecifiedTaxRegistration>')
    if tax_number:
        a(f'<ram:SpecifiedTaxRegistration><ram:ID schemeID="FC">{x.text(tax_number)}</ram:ID></ram:SpecifiedTaxRegistration>')
    a(f"</{tag}>")
