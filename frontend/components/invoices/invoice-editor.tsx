"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState } from "react";
import { useFocusFromHash } from "@/lib/use-focus-hash";
import { FormAlert } from "@/components/auth/form-alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/components/ui/toast";
import { api, unwrap } from "@/lib/api/browser";
import type { Contact, Invoice, InvoiceCreate, LineInput, Organization } from "@/lib/api/types";
import { addDays } from "@/lib/dates";
import { formatDate, formatEUR, todayInBerlin } from "@/lib/format";
import { computeTotals, lineNet } from "@/lib/totals";
import { cn } from "@/lib/utils";
import { CustomerPicker } from "./customer-picker";
import { type LineErrors, LineItems, type LineState, newLine } from "./line-items";
import { linesFromApi, parseLine, saveErrors, TotalsPanel } from "./line-model";

type ServiceMode = "issue_date" | "date" | "period";

/**
 * New invoice and draft editing. Totals are computed live with the backend's EN 16931 steps
 * (lib/totals.ts), so the amounts shown while typing are the ones the saved invoice has.
 */
export function InvoiceEditor({
  organization,
  contacts,
  contactsComplete,
  invoice,
  initialContact,
}: {
  organization: Organization;
  contacts: Contact[];
  contactsComplete: boolean;
  /** The draft being edited; null for a new invoice. */
  invoice: Invoice | null;
  initialContact: Contact | null;
}) {
  const router = useRouter();
  const smallBusiness = organization.small_business;
  const today = todayInBerlin();
  const [contact, setContact] = useState<Contact | null>(initialContact);
  const [issueDate, setIssueDate] = useState(invoice?.issue_date ?? today);
  const [paymentDays, setPaymentDays] = useState(String(invoice?.payment_days ?? organization.default_payment_days));
  const [serviceMode, setServiceMode] = useState<ServiceMode>(
    invoice?.service_period_start ? "period" : invoice?.service_date ? "date" : "issue_date",
  );
  const [serviceDate, setServiceDate] = useState(invoice?.service_date ?? today);
  const [periodStart, setPeriodStart] = useState(invoice?.service_period_start ?? "");
  const [periodEnd, setPeriodEnd] = useState(invoice?.service_period_end ?? "");
  const [buyerReference, setBuyerReference] = useState(invoice?.buyer_reference ?? initialContact?.buyer_reference ?? "");
  const [note, setNote] = useState(invoice?.note ?? "");
  const [lines, setLines] = useState<LineState[]>(() => linesFromApi(invoice?.lines ?? [], smallBusiness));
  const [showErrors, setShowErrors] = useState(false);
  const [apiLineErrors, setApiLineErrors] = useState<LineErrors[]>([]);
  const [headerErrors, setHeaderErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const errorRef = useRef<HTMLDivElement>(null);
  useFocusFromHash();

  const parsed = useMemo(() => lines.map(parseLine), [lines]);
  const totals = useMemo(() => computeTotals(parsed.flatMap((p) => (p.totals ? [p.totals] : []))), [parsed]);
  const nets = parsed.map((p) => (p.totals ? lineNet(p.totals.quantity, p.totals.unit_price) : null));
  const incomplete = parsed.some((p) => !p.totals);

  const days = Number.parseInt(paymentDays, 10);
  const dueDate = issueDate && Number.isFinite(days) && days >= 0 ? addDays(issueDate, days) : null;

  const lineErrors: LineErrors[] = lines.map((_, i) => ({ ...(showErrors ? parsed[i]!.errors : {}), ...(apiLineErrors[i] ?? {}) }));

  function changeLine(index: number, patch: Partial<LineState>) {
    setLines((xs) => xs.map((l, i) => (i === index ? { ...l, ...patch } : l)));
    // The API's complaint about a field no longer applies once it is edited.
    setApiLineErrors((es) => es.map((e, i) => (i === index ? {} : e)));
  }

  function pickContact(c: Contact) {
    // Take over the customer's Leitweg-ID unless the seller typed a reference of their own.
    if (!buyerReference.trim() || buyerReference === contact?.buyer_reference) setBuyerReference(c.buyer_reference ?? "");
    setContact(c);
    setHeaderErrors(({ contact_id: _, ...rest }) => rest);
  }

  async function save() {
    setShowErrors(true);
    setFormError(null);
    const header: Record<string, string> = {};
    if (!contact) header.contact_id = "Bitte einen Kunden wählen oder neu anlegen";
    if (!issueDate) header.issue_date = "Bitte ein Rechnungsdatum angeben";
    if (!Number.isFinite(days) || days < 0 || days > 365 || !/^\d+$/.test(paymentDays.trim())) header.payment_days = "0 bis 365 Tage";
    if (serviceMode === "date" && !serviceDate) header.service_date = "Bitte ein Leistungsdatum angeben";
    if (serviceMode === "period") {
      if (!periodStart) header.service_period_start = "Beginn fehlt";
      if (!periodEnd) header.service_period_end = "Ende fehlt";
      else if (periodStart && periodEnd < periodStart) header.service_period_end = "Das Ende liegt vor dem Beginn";
    }
    setHeaderErrors(header);
    const bodies = parsed.map((p) => p.body);
    if (Object.keys(header).length || bodies.some((b) => b === null) || !contact) {
      setFormError("Bitte prüfen Sie die markierten Felder.");
      requestAnimationFrame(() => errorRef.current?.focus());
      return;
    }
    const body: InvoiceCreate = {
      contact_id: contact.id,
      issue_date: issueDate,
      payment_days: days,
      service_date: serviceMode === "date" ? serviceDate : null,
      service_period_start: serviceMode === "period" ? periodStart : null,
      service_period_end: serviceMode === "period" ? periodEnd : null,
      buyer_reference: buyerReference.trim() || null,
      note: note.trim() || null,
      lines: bodies as LineInput[],
    };
    setPending(true);
    try {
      const saved = invoice
        ? await unwrap(api.PATCH("/api/invoices/{invoice_id}", { params: { path: { invoice_id: invoice.id } }, body: { ...body, due_date: null } }))
        : await unwrap(api.POST("/api/invoices", { body }));
      toast({ title: invoice ? "Entwurf gespeichert" : "Entwurf angelegt", tone: "success" });
      router.push(`/invoices/${saved.id}`);
      router.refresh();
    } catch (e) {
      setPending(false);
      const failed = saveErrors(e, lines.length);
      setApiLineErrors(failed.lines);
      setHeaderErrors(failed.header);
      setFormError(failed.form);
      requestAnimationFrame(() => errorRef.current?.focus());
    }
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      // minmax(0, 1fr): a long unbreakable value must not widen the page on a phone.
      className="grid grid-cols-[minmax(0,1fr)] gap-6"
      aria-label={invoice ? "Entwurf bearbeiten" : "Neue Rechnung"}
    >
      {formError ? (
        <div ref={errorRef} tabIndex={-1} className="outline-none">
          <FormAlert>{formError}</FormAlert>
        </div>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle>Kunde und Daten</CardTitle>
          <CardDescription>
            Die Rechnungsnummer wird beim Festschreiben vergeben
            {organization.next_invoice_number ? (
              <>
                {" "}
                – voraussichtlich <span className="tabular font-medium text-foreground">{organization.next_invoice_number}</span>
              </>
            ) : null}
            .
          </CardDescription>
        </CardHeader>
        <CardContent className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-2">
          <div className="grid content-start gap-1.5">
            <Label htmlFor="customer">Kunde</Label>
            <CustomerPicker contacts={contacts} complete={contactsComplete} value={contact} onChange={pickContact} error={headerErrors.contact_id} />
          </div>
          <div className="grid content-start gap-4">
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField label="Rechnungsdatum" error={headerErrors.issue_date} id="issue_date">
                <Input type="date" value={issueDate} onChange={(e) => setIssueDate(e.target.value)} required />
              </FormField>
              <FormField
                label="Zahlungsziel (Tage)"
                error={headerErrors.payment_days ?? headerErrors.due_date}
                hint={dueDate ? `Fällig am ${formatDate(dueDate)}` : undefined}
                id="payment_days"
              >
                <Input inputMode="numeric" value={paymentDays} onChange={(e) => setPaymentDays(e.target.value)} className="tabular" />
              </FormField>
            </div>
            <fieldset className="grid gap-2">
              <legend className="mb-1.5 text-sm font-medium">Leistungsdatum</legend>
              <div className="flex flex-wrap gap-1 rounded-md bg-muted p-1" role="radiogroup" aria-label="Art des Leistungsdatums">
                {(
                  [
                    ["issue_date", "wie Rechnungsdatum"],
                    ["date", "Datum"],
                    ["period", "Zeitraum"],
                  ] as const
                ).map(([mode, label]) => (
                  <label
                    key={mode}
                    className={cn(
                      "min-w-0 flex-1 cursor-pointer rounded px-2.5 py-1 text-center text-[13px] font-medium has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring",
                      serviceMode === mode ? "bg-card text-foreground shadow-sm" : "text-muted-foreground hover:text-foreground",
                    )}
                  >
                    <input type="radio" name="service_mode" value={mode} checked={serviceMode === mode} onChange={() => setServiceMode(mode)} className="sr-only" />
                    {label}
                  </label>
                ))}
              </div>
              {serviceMode === "date" ? (
                <FormField label="Datum der Leistung" error={headerErrors.service_date} id="service_date">
                  <Input type="date" value={serviceDate} onChange={(e) => setServiceDate(e.target.value)} />
                </FormField>
              ) : null}
              {serviceMode === "period" ? (
                <div className="grid gap-4 sm:grid-cols-2">
                  <FormField label="Von" error={headerErrors.service_period_start} id="service_period_start">
                    <Input type="date" value={periodStart} onChange={(e) => setPeriodStart(e.target.value)} />
                  </FormField>
                  <FormField label="Bis" error={headerErrors.service_period_end} id="service_period_end">
                    <Input type="date" value={periodEnd} onChange={(e) => setPeriodEnd(e.target.value)} />
                  </FormField>
                </div>
              ) : null}
            </fieldset>
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Positionen</CardTitle>
          {smallBusiness ? (
            <CardDescription>Als Kleinunternehmer (§ 19 UStG) weisen Sie keine Umsatzsteuer aus; der Hinweis steht automatisch auf der Rechnung.</CardDescription>
          ) : null}
        </CardHeader>
        <CardContent className="grid gap-6">
          <LineItems
            lines={lines}
            nets={nets}
            errors={lineErrors}
            smallBusiness={smallBusiness}
            onChange={changeLine}
            onAdd={() => setLines((xs) => [...xs, newLine(smallBusiness, { vat_choice: xs[xs.length - 1]?.vat_choice, unit_code: xs[xs.length - 1]?.unit_code })])}
            onRemove={(i) => {
              setLines((xs) => xs.filter((_, j) => j !== i));
              setApiLineErrors((es) => es.filter((_, j) => j !== i));
            }}
            onMove={(i, d) =>
              setLines((xs) => {
                const j = i + d;
                if (j < 0 || j >= xs.length) return xs;
                const next = [...xs];
                [next[i], next[j]] = [next[j]!, next[i]!];
                return next;
              })
            }
          />
          <TotalsPanel totals={totals} incomplete={incomplete} />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Weitere Angaben</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4 lg:grid-cols-2">
          <FormField
            label="Käuferreferenz / Leitweg-ID"
            hint="Pflichtangabe der XRechnung: bei Behörden die Leitweg-ID, sonst z. B. Bestellnummer oder Zeichen des Kunden."
            error={headerErrors.buyer_reference}
            id="buyer_reference"
          >
            <Input value={buyerReference} onChange={(e) => setBuyerReference(e.target.value)} maxLength={100} />
          </FormField>
          <FormField label="Hinweis auf der Rechnung" hint="Erscheint unter den Positionen, z. B. ein Dank oder Zahlungshinweis." error={headerErrors.note} id="note">
            <Textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} maxLength={5000} />
          </FormField>
        </CardContent>
      </Card>

      {/* Sticky, not fixed: it rides along at the bottom of the screen while the form is longer,
          and ends with the form instead of covering what follows. */}
      <div className="sticky bottom-0 z-20 -mx-4 -mb-6 border-t border-border bg-card/95 backdrop-blur sm:-mx-6 sm:-mb-8">
        <div className="flex w-full items-center justify-between gap-3 px-4 py-3 sm:px-6">
          <p className="text-sm text-muted-foreground">
            Gesamt <span className="tabular ml-1 text-base font-semibold text-foreground" data-testid="sticky-gross">{formatEUR(totals.gross_total)}</span>
          </p>
          <div className="flex gap-2">
            {/* On a phone the back gesture is "Abbrechen"; the bar keeps room for the total. */}
            <Button asChild variant="secondary" className="hidden sm:inline-flex">
              <Link href={invoice ? `/invoices/${invoice.id}` : "/invoices"}>Abbrechen</Link>
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Wird gespeichert …" : "Entwurf speichern"}
            </Button>
          </div>
        </div>
      </div>
    </form>
  );
}
