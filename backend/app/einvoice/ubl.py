"""XRechnung 3.0 in OASIS UBL 2.1: `render_ubl(doc) -> bytes`.

Commercial invoices (380 and the other invoice codes) are UBL `Invoice` documents; credit
notes (381) are UBL `CreditNote` documents, which is what KoSIT's CreditNote scenario and
receivers' software expect. Amounts in a credit note stay positive: the type code says it
is a credit (EN 16931 has no negative-total convention for 381).

Element order follows the UBL 2.1 XSD sequences exactly; the XSD test proves it.
"""

from app.einvoice import _xml as x
from app.einvoice.document import CREDIT_NOTE, Address, InvoiceDocument, Party
from app.invoices.vat import VatCategory, exemption_reason

_NS = (
    ' xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"'
    ' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
)
_ROOT_NS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
_VAT_SCHEME = "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>"


def render_ubl(doc: InvoiceDocument) -> bytes:
    credit = doc.type_code == CREDIT_NOTE
    root = "CreditNote" if credit else "Invoice"
    cur = x.attr(doc.currency)
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<ubl:{root} xmlns:ubl="{_ROOT_NS[root]}"{_NS}>',
        f"<cbc:CustomizationID>{x.SPEC_XRECHNUNG}</cbc:CustomizationID>",
        f"<cbc:ProfileID>{x.PROCESS_BILLING}</cbc:ProfileID>",
    ]
    a = out.append
    if doc.number:
        a(f"<cbc:ID>{x.text(doc.number)}</cbc:ID>")
    a(f"<cbc:IssueDate>{x.iso_date(doc.issue_date)}</cbc:IssueDate>")
    if doc.due_date and not credit:
        a(f"<cbc:DueDate>{x.iso_date(doc.due_date)}</cbc:DueDate>")
    a(f"<cbc:{root}TypeCode>{x.text(doc.type_code)}</cbc:{root}TypeCode>")
    for note in x.notes(doc):
        a(f"<cbc:Note>{x.text(note)}</cbc:Note>")
    a(f"<cbc:DocumentCurrencyCode>{x.text(doc.currency)}</cbc:DocumentCurrencyCode>")
    buyer_reference = x.compact(doc.buyer_reference)
    if buyer_reference:
        a(f"<cbc:BuyerReference>{x.text(buyer_reference)}</cbc:BuyerReference>")
    if doc.service_period_start or doc.service_period_end:
        a("<cac:InvoicePeriod>")
        if doc.service_period_start:
            a(f"<cbc:StartDate>{x.iso_date(doc.service_period_start)}</cbc:StartDate>")
        if doc.service_period_end:
            a(f"<cbc:EndDate>{x.iso_date(doc.service_period_end)}</cbc:EndDate>")
        a("</cac:InvoicePeriod>")
    preceding = x.compact(doc.preceding_invoice_number)
    if preceding:
        a("<cac:BillingReference><cac:InvoiceDocumentReference>")
        a(f"<cbc:ID>{x.text(preceding)}</cbc:ID>")
        if doc.preceding_invoice_date:
            a(f"<cbc:IssueDate>{x.iso_date(doc.preceding_invoice_date)}</cbc:IssueDate>")
        a("</cac:InvoiceDocumentReference></cac:BillingReference>")

    a("<cac:AccountingSupplierParty>")
    _party(
        a,
        doc.seller,
        vat_id=x.seller_vat_id(doc),
        tax_number=x.compact(doc.seller.tax_number),
        identifier=x.seller_identifier(doc),
        legal_id=x.legal_registration(doc.seller),
        with_contact=True,
    )
    a("</cac:AccountingSupplierParty>")
    a("<cac:AccountingCustomerParty>")
    _party(
        a,
        doc.buyer,
        vat_id=x.buyer_vat_id(doc),
        tax_number=None,
        identifier=x.compact(doc.buyer.customer_number),
        legal_id=None,
        with_contact=bool(doc.buyer.contact_name or doc.buyer.phone),
    )
    a("</cac:AccountingCustomerParty>")

    deliver_to = x.delivery_address(doc)
    if doc.service_date or deliver_to:
        a("<cac:Delivery>")
        if doc.service_date:
            a(f"<cbc:ActualDeliveryDate>{x.iso_date(doc.service_date)}</cbc:ActualDeliveryDate>")
        if deliver_to:
            a("<cac:DeliveryLocation>")
            _address(a, deliver_to, "cac:Address")
            a("</cac:DeliveryLocation>")
        a("</cac:Delivery>")

    _payment(a, doc, credit)

    t = doc.totals
    a(f'<cac:TaxTotal><cbc:TaxAmount currencyID="{cur}">{x.amount(t.vat_total)}</cbc:TaxAmount>')
    for group in t.vat_breakdown:
        a("<cac:TaxSubtotal>")
        a(f'<cbc:TaxableAmount currencyID="{cur}">{x.amount(group.taxable_amount)}</cbc:TaxableAmount>')
        a(f'<cbc:TaxAmount currencyID="{cur}">{x.amount(group.tax_amount)}</cbc:TaxAmount>')
        a(f"<cac:TaxCategory><cbc:ID>{group.category.value}</cbc:ID>")
        # BT-119 is always given, 0 included: KoSIT's BR-DE-14 requires it for every group.
        a(f"<cbc:Percent>{x.number(group.rate)}</cbc:Percent>")
        reason = exemption_reason(group.category, doc.small_business)
        if reason:
            code, reason_text = reason
            if code:
                a(f"<cbc:TaxExemptionReasonCode>{code}</cbc:TaxExemptionReasonCode>")
            a(f"<cbc:TaxExemptionReason>{x.text(reason_text)}</cbc:TaxExemptionReason>")
        a(f"{_VAT_SCHEME}</cac:TaxCategory></cac:TaxSubtotal>")
    a("</cac:TaxTotal>")

    a("<cac:LegalMonetaryTotal>")
    a(f'<cbc:LineExtensionAmount currencyID="{cur}">{x.amount(t.line_total)}</cbc:LineExtensionAmount>')
    a(f'<cbc:TaxExclusiveAmount currencyID="{cur}">{x.amount(t.net_total)}</cbc:TaxExclusiveAmount>')
    a(f'<cbc:TaxInclusiveAmount currencyID="{cur}">{x.amount(t.gross_total)}</cbc:TaxInclusiveAmount>')
    if t.paid_amount:
        a(f'<cbc:PrepaidAmount currencyID="{cur}">{x.amount(t.paid_amount)}</cbc:PrepaidAmount>')
    a(f'<cbc:PayableAmount currencyID="{cur}">{x.amount(t.amount_due)}</cbc:PayableAmount>')
    a("</cac:LegalMonetaryTotal>")

    line_tag = "CreditNoteLine" if credit else "InvoiceLine"
    qty_tag = "CreditedQuantity" if credit else "InvoicedQuantity"
    for line in doc.lines:
        name, description = x.item_name_and_description(line.description)
        a(f"<cac:{line_tag}><cbc:ID>{line.position}</cbc:ID>")
        a(f'<cbc:{qty_tag} unitCode="{x.attr(line.unit_code)}">{x.number(line.quantity)}</cbc:{qty_tag}>')
        a(f'<cbc:LineExtensionAmount currencyID="{cur}">{x.amount(line.net_amount)}</cbc:LineExtensionAmount>')
        a("<cac:Item>")
        if description:
            a(f"<cbc:Description>{x.text(description)}</cbc:Description>")
        if name:  # a blank name is left out (BR-25 then names the gap), never written empty
            a(f"<cbc:Name>{x.text(name)}</cbc:Name>")
        a(f"<cac:ClassifiedTaxCategory><cbc:ID>{line.vat_category.value}</cbc:ID>")
        # BR-O-05: a line "not subject to VAT" carries no rate at all.
        if line.vat_category != VatCategory.NOT_SUBJECT:
            a(f"<cbc:Percent>{x.number(line.vat_rate)}</cbc:Percent>")
        a(f"{_VAT_SCHEME}</cac:ClassifiedTaxCategory></cac:Item>")
        a(f'<cac:Price><cbc:PriceAmount currencyID="{cur}">{x.number(line.unit_price)}</cbc:PriceAmount></cac:Price>')
        a(f"</cac:{line_tag}>")
    a(f"</ubl:{root}>")
    return "".join(out).encode("utf-8")


def _address(a, address: Address, tag: str) -> None:
    a(f"<{tag}>")
    street = x.compact(address.street)
    if street:
        a(f"<cbc:StreetName>{x.text(street)}</cbc:StreetName>")
    city = x.compact(address.city)
    if city:
        a(f"<cbc:CityName>{x.text(city)}</cbc:CityName>")
    postal = x.compact(address.postal_code)
    if postal:
        a(f"<cbc:PostalZone>{x.text(postal)}</cbc:PostalZone>")
    a(f"<cac:Country><cbc:IdentificationCode>{x.text(address.country_code)}</cbc:IdentificationCode></cac:Country>")
    a(f"</{tag}>")


def _party(
    a,
    party: Party,
    *,
    vat_id: str | None,
    tax_number: str | None,
    identifier: str | None,
    legal_id: str | None,
    with_contact: bool,
) -> None:
    a("<cac:Party>")
    endpoint = x.electronic_address(party)
    if endpoint:
        a(f'<cbc:EndpointID schemeID="{x.attr(endpoint[1])}">{x.text(endpoint[0])}</cbc:EndpointID>')
    if identifier:
        a(f"<cac:PartyIdentification><cbc:ID>{x.text(identifier)}</cbc:ID></cac:PartyIdentification>")
    _address(a, party.address, "cac:PostalAddress")
    if vat_id:
        a(f"<cac:PartyTaxScheme><cbc:CompanyID>{x.text(vat_id)}</cbc:CompanyID>{_VAT_SCHEME}</cac:PartyTaxScheme>")
    if tax_number:
        # BT-32: a tax registration that is not a VAT id; "FC" as in KoSIT's own examples.
        a(
            f"<cac:PartyTaxScheme><cbc:CompanyID>{x.text(tax_number)}</cbc:CompanyID>"
            "<cac:TaxScheme><cbc:ID>FC</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>"
        )
    name = x.compact(party.name)
    if name or legal_id:
        a("<cac:PartyLegalEntity>")
        if name:
            a(f"<cbc:RegistrationName>{x.text(name)}</cbc:RegistrationName>")
        if legal_id:
            a(f"<cbc:CompanyID>{x.text(legal_id)}</cbc:CompanyID>")
        a("</cac:PartyLegalEntity>")
    if with_contact:
        contact = [
            ("cbc:Name", x.compact(party.contact_name)),
            ("cbc:Telephone", x.compact(party.phone)),
            ("cbc:ElectronicMail", x.compact(party.email)),
        ]
        if any(v for _, v in contact):
            a("<cac:Contact>")
            for tag, value in contact:
                if value:
                    a(f"<{tag}>{x.text(value)}</{tag}>")
            a("</cac:Contact>")
    a("</cac:Party>")


def _payment(a, doc: InvoiceDocument, credit: bool) -> None:
    p = doc.payment
    a("<cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>")
    if credit and doc.due_date:
        # A UBL CreditNote has no cbc:DueDate; EN 16931 maps BT-9 here for credit notes.
        a(f"<cbc:PaymentDueDate>{x.iso_date(doc.due_date)}</cbc:PaymentDueDate>")
    remittance = x.compact(p.remittance_text)
    if remittance:
        a(f"<cbc:PaymentID>{x.text(remittance)}</cbc:PaymentID>")
    account = x.iban(p.iban)
    if account:
        a(f"<cac:PayeeFinancialAccount><cbc:ID>{x.text(account)}</cbc:ID>")
        account_name = x.compact(p.account_name)
        if account_name:
            a(f"<cbc:Name>{x.text(account_name)}</cbc:Name>")
        bic = x.compact(p.bic)
        if bic:
            a(f"<cac:FinancialInstitutionBranch><cbc:ID>{x.text(bic)}</cbc:ID></cac:FinancialInstitutionBranch>")
        a("</cac:PayeeFinancialAccount>")
    a("</cac:PaymentMeans>")
    terms = x.compact(p.terms)
    if terms:
        a(f"<cac:PaymentTerms><cbc:Note>{x.text(terms)}</cbc:Note></cac:PaymentTerms>")
