/**
 * Texts of the public portal page, German and English. The portal is the only page a
 * seller's customer sees, and that customer may not read German.
 */
import type { Locale } from "@/lib/format";

export type { Locale };

/** `?lang=` wins (the switch), then the browser's Accept-Language, then German. */
export function negotiateLocale(langParam: string | string[] | undefined, acceptLanguage: string | null): Locale {
  const explicit = Array.isArray(langParam) ? langParam[0] : langParam;
  if (explicit === "de" || explicit === "en") return explicit;
  if (!acceptLanguage) return "de";
  const ranked = acceptLanguage
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((x) => x.tag)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith("de")) return "de";
    if (tag.startsWith("en")) return "en";
  }
  return "de";
}

const de = {
  pageTitle: "Ihre Rechnung",
  invoiceFrom: "Rechnung von",
  invoice: "Rechnung",
  amountDue: "Offener Betrag",
  dueOn: "Fällig am",
  dueImmediately: "Zahlbar sofort",
  overdueSince: "Überfällig seit",
  paidOn: "Bezahlt am",
  paidConfirmedByYou: "Sie haben die Zahlung bestätigt.",
  paidThanks: "Vielen Dank, diese Rechnung ist beglichen.",
  cancelledNote: "Diese Rechnung wurde storniert. Bitte zahlen Sie sie nicht.",
  total: "Rechnungsbetrag",
  seller: "Rechnungssteller",
  buyer: "Rechnungsempfänger",
  number: "Rechnungsnummer",
  issueDate: "Rechnungsdatum",
  serviceDate: "Leistungsdatum",
  servicePeriod: "Leistungszeitraum",
  dueDate: "Fälligkeitsdatum",
  buyerReference: "Ihre Referenz",
  leitwegId: "Leitweg-ID",
  vatExempt: "Umsatzsteuerfrei.",
  status: "Status",
  lines: "Positionen",
  pos: "Pos.",
  description: "Beschreibung",
  quantity: "Menge",
  unitPrice: "Einzelpreis",
  lineTotal: "Gesamt",
  vat: "USt.",
  net: "Nettobetrag",
  vatAmount: (rate: string) => `zzgl. USt. ${rate}`,
  vatOn: (base: string) => `auf ${base}`,
  gross: "Gesamtbetrag",
  paidAmount: "Bereits bezahlt",
  due: "Offener Betrag",
  note: "Hinweis",
  vatId: "USt-IdNr.",
  taxNumber: "Steuernummer",
  email: "E-Mail",
  phone: "Telefon",
  contact: "Ansprechpartner",
  payByTransfer: "Per Überweisung bezahlen",
  payByTransferHint: "Scannen Sie den GiroCode mit Ihrer Banking-App oder übertragen Sie die Daten.",
  recipient: "Empfänger",
  iban: "IBAN",
  bic: "BIC",
  bank: "Bank",
  amount: "Betrag",
  remittance: "Verwendungszweck",
  girocodeAlt: (amount: string, recipient: string) => `GiroCode für die Überweisung von ${amount} an ${recipient}`,
  girocodeCaption: "GiroCode",
  copied: "Kopiert",
  copyLabel: (what: string) => `${what} kopieren`,
  confirmPayment: "Zahlung bestätigen",
  confirmQuestion: "Haben Sie den Betrag überwiesen?",
  confirmExplain: (amount: string, seller: string) =>
    `Bestätigen Sie nur, wenn Sie ${amount} bereits überwiesen haben. ${seller} wird benachrichtigt und prüft den Zahlungseingang.`,
  confirmYes: "Ja, ich habe überwiesen",
  confirmNo: "Abbrechen",
  confirming: "Wird bestätigt …",
  thanksTitle: "Vielen Dank!",
  thanksText: (seller: string) => `Ihre Zahlung ist vermerkt. ${seller} wurde benachrichtigt.`,
  confirmFailed: "Die Bestätigung hat nicht geklappt. Bitte versuchen Sie es noch einmal.",
  downloads: "Rechnung herunterladen",
  downloadPdf: "PDF herunterladen",
  downloadPdfHint: "ZUGFeRD-PDF: zum Ansehen, Drucken und Ablegen – die Rechnungsdaten sind für Buchhaltungsprogramme eingebettet.",
  downloadXml: "XML herunterladen",
  downloadXmlHint: "XRechnung (XML): die elektronische Rechnung für Ihr Buchhaltungs- oder ERP-System, z. B. für Behörden.",
  print: "Drucken",
  linkValidUntil: (date: string) => `Dieser Link ist gültig bis ${date}.`,
  poweredBy: "Powered by",
  legalNote: (seller: string) =>
    `Diese Seite stellt RechnungsWerk im Auftrag von ${seller} bereit. Maßgeblich ist die elektronische Rechnung (XRechnung bzw. ZUGFeRD). Fragen zur Rechnung richten Sie bitte an ${seller}.`,
  legalNoteGeneric:
    "Diese Seite stellt RechnungsWerk im Auftrag des Rechnungsstellers bereit. Fragen zu einer Rechnung richten Sie bitte an den Absender.",
  language: "Sprache",
  loading: "Rechnung wird geladen …",
  notFoundTitle: "Diese Rechnung gibt es hier nicht",
  notFoundText:
    "Der Link ist ungültig oder wurde vom Rechnungssteller zurückgezogen. Prüfen Sie, ob Sie ihn vollständig kopiert haben, oder bitten Sie den Absender der Rechnung um einen neuen Link.",
  expiredTitle: "Dieser Link ist abgelaufen",
  expiredText:
    "Aus Sicherheitsgründen sind Rechnungslinks nur begrenzt gültig. Bitte wenden Sie sich an den Absender der Rechnung – er kann Ihnen mit einem Klick einen neuen Link schicken.",
  rateLimitedTitle: "Einen Moment bitte",
  rateLimitedText: (seconds: number | null) =>
    seconds
      ? `Dieser Link wurde in kurzer Zeit sehr oft aufgerufen. Bitte versuchen Sie es in ${seconds} Sekunden noch einmal.`
      : "Dieser Link wurde in kurzer Zeit sehr oft aufgerufen. Bitte versuchen Sie es in einer Minute noch einmal.",
  errorTitle: "Die Rechnung kann gerade nicht angezeigt werden",
  errorText: "Bitte versuchen Sie es in ein paar Minuten noch einmal. Ihre Rechnung und der Link bleiben gültig.",
  tryAgain: "Erneut versuchen",
  units: {
    C62: "Stk.",
    H87: "Stk.",
    HUR: "Std.",
    DAY: "Tag(e)",
    MON: "Monat(e)",
    ANN: "Jahr(e)",
    KGM: "kg",
    MTR: "m",
    LTR: "l",
    KMT: "km",
    MIN: "Min.",
    LS: "pauschal",
    WEE: "Woche(n)",
  } as Record<string, string>,
};

export type PortalMessages = typeof de;

const en: PortalMessages = {
  pageTitle: "Your invoice",
  invoiceFrom: "Invoice from",
  invoice: "Invoice",
  amountDue: "Amount due",
  dueOn: "Due",
  dueImmediately: "Due on receipt",
  overdueSince: "Overdue since",
  paidOn: "Paid on",
  paidConfirmedByYou: "You confirmed this payment.",
  paidThanks: "Thank you, this invoice has been paid.",
  cancelledNote: "This invoice has been cancelled. Please do not pay it.",
  total: "Invoice total",
  seller: "From",
  buyer: "Bill to",
  number: "Invoice number",
  issueDate: "Invoice date",
  serviceDate: "Date of supply",
  servicePeriod: "Service period",
  dueDate: "Due date",
  buyerReference: "Your reference",
  leitwegId: "Leitweg-ID (routing ID)",
  vatExempt: "Exempt from VAT.",
  status: "Status",
  lines: "Items",
  pos: "No.",
  description: "Description",
  quantity: "Qty",
  unitPrice: "Unit price",
  lineTotal: "Amount",
  vat: "VAT",
  net: "Subtotal",
  vatAmount: (rate: string) => `VAT ${rate}`,
  vatOn: (base: string) => `on ${base}`,
  gross: "Total",
  paidAmount: "Already paid",
  due: "Amount due",
  note: "Note",
  vatId: "VAT ID",
  taxNumber: "Tax number",
  email: "Email",
  phone: "Phone",
  contact: "Contact",
  payByTransfer: "Pay by bank transfer",
  payByTransferHint: "Scan the GiroCode with your banking app or copy the details below.",
  recipient: "Recipient",
  iban: "IBAN",
  bic: "BIC",
  bank: "Bank",
  amount: "Amount",
  remittance: "Reference",
  girocodeAlt: (amount: string, recipient: string) => `GiroCode for a transfer of ${amount} to ${recipient}`,
  girocodeCaption: "GiroCode",
  copied: "Copied",
  copyLabel: (what: string) => `Copy ${what}`,
  confirmPayment: "Confirm payment",
  confirmQuestion: "Have you transferred the amount?",
  confirmExplain: (amount: string, seller: string) =>
    `Only confirm once you have transferred ${amount}. ${seller} will be notified and will check that the money has arrived.`,
  confirmYes: "Yes, I have paid",
  confirmNo: "Cancel",
  confirming: "Confirming …",
  thanksTitle: "Thank you!",
  thanksText: (seller: string) => `Your payment has been noted. ${seller} has been notified.`,
  confirmFailed: "That did not work. Please try again.",
  downloads: "Download invoice",
  downloadPdf: "Download PDF",
  downloadPdfHint: "ZUGFeRD PDF: to view, print and file. The invoice data is embedded for accounting software.",
  downloadXml: "Download XML",
  downloadXmlHint: "XRechnung (XML): the e-invoice for your accounting or ERP system, e.g. for public authorities.",
  print: "Print",
  linkValidUntil: (date: string) => `This link is valid until ${date}.`,
  poweredBy: "Powered by",
  legalNote: (seller: string) =>
    `RechnungsWerk provides this page on behalf of ${seller}. The electronic invoice (XRechnung or ZUGFeRD) is authoritative. Please direct questions about this invoice to ${seller}.`,
  legalNoteGeneric:
    "RechnungsWerk provides this page on behalf of the invoice's sender. Please direct questions about an invoice to its sender.",
  language: "Language",
  loading: "Loading invoice …",
  notFoundTitle: "We can't find this invoice",
  notFoundText:
    "This link is invalid or has been withdrawn by the sender. Check that you copied the whole link, or ask the sender of the invoice for a new one.",
  expiredTitle: "This link has expired",
  expiredText:
    "For your security, invoice links are only valid for a limited time. Please contact the sender of the invoice, who can send you a new link in one click.",
  rateLimitedTitle: "One moment, please",
  rateLimitedText: (seconds: number | null) =>
    seconds
      ? `This link has been opened very often in a short time. Please try again in ${seconds} seconds.`
      : "This link has been opened very often in a short time. Please try again in a minute.",
  errorTitle: "This invoice can't be shown right now",
  errorText: "Please try again in a few minutes. Your invoice and this link remain valid.",
  tryAgain: "Try again",
  units: {
    C62: "pcs",
    H87: "pcs",
    HUR: "h",
    DAY: "day(s)",
    MON: "month(s)",
    ANN: "year(s)",
    KGM: "kg",
    MTR: "m",
    LTR: "l",
    KMT: "km",
    MIN: "min",
    LS: "lump sum",
    WEE: "week(s)",
  },
};

export const portalMessages: Record<Locale, PortalMessages> = { de, en };
