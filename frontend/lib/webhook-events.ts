/** Webhook event types (backend/app/events.py) in the seller's words. */
export const EVENT_LABEL: Record<string, string> = {
  "invoice.created": "Rechnung angelegt",
  "invoice.finalized": "Rechnung festgeschrieben",
  "invoice.sent": "Rechnung versendet",
  "invoice.viewed": "Rechnung vom Kunden geöffnet",
  "invoice.paid": "Rechnung als bezahlt markiert",
  "invoice.payment_confirmed": "Zahlung vom Kunden bestätigt",
  "invoice.cancelled": "Rechnung storniert",
  "recurring.invoice_generated": "Wiederkehrende Rechnung erzeugt",
  "webhook.test": "Test-Ereignis",
};

export function eventLabel(type: string): string {
  return EVENT_LABEL[type] ?? type;
}

export const DELIVERY_STATUS: Record<string, { label: string; tone: "neutral" | "info" | "success" | "danger" | "warning" }> = {
  pending: { label: "Ausstehend", tone: "info" },
  succeeded: { label: "Zugestellt", tone: "success" },
  failed: { label: "Fehlgeschlagen", tone: "danger" },
};
