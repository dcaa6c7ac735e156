"use client";
import { CalendarClock } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { FormAlert } from "@/components/auth/form-alert";
import { CustomerPicker } from "@/components/invoices/customer-picker";
import { type LineErrors, LineItems, type LineState, newLine } from "@/components/invoices/line-items";
import { linesFromApi, parseLine, saveErrors, TotalsPanel } from "@/components/invoices/line-model";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/components/ui/toast";
import { api, ApiError, unwrap } from "@/lib/api/browser";
import type { Contact, Frequency, LineInput, Organization, RecurringCreate, RecurringDetail, RecurringPeriod } from "@/lib/api/types";
import { addDays } from "@/lib/dates";
import { formatDate, formatEUR, todayInBerlin } from "@/lib/format";
import { FREQUENCIES, NOTE_PLACEHOLDERS } from "@/lib/recurring";
import { computeTotals } from "@/lib/totals";
import { cn } from "@/lib/utils";

type EndMode = "never" | "date" | "count";

/**
 * A recurring invoice template: who, how often from when until when, the lines, and whether
 * the generated invoices are finalized and e-mailed by themselves. The schedule preview comes
 * from the API (POST /api/recurring/preview), so it shows exactly the periods the run will bill.
 */
export function RecurringEditor({
  organization,
  contacts,
  contactsComplete,
  template,
  initialContact,
}: {
  organization: Organization;
  contacts: Contact[];
  contactsComplete: boolean;
  template: RecurringDetail | null;
  initialContact: Contact | null;
}) {
  const router = useRouter();
  const smallBusiness = organization.small_business;
  const billed = (template?.occurrences_count ?? 0) > 0;
  const [name, setName] = useState(template?.name ?? "");
  const [contact, setContact] = useState<Contact | null>(initialContact);
  const [frequency, setFrequency] = useState<Frequency>(template?.frequency ?? "monthly");
  const [startDate, setStartDate] = useState(template?.start_date ?? firstOfNextMonth());
  const [endMode, setEndMode] = useState<EndMode>(template?.end_date ? "date" : template?.max_occurrences ? "count" : "never");
  const [endDate, setEndDate] = useState(template?.end_date ?? "");
  const [maxOccurrences, setMaxOccurrences] = useState(template?.max_occurrences ? String(template.max_occurrences) : "12");
  const [paymentDays, setPaymentDays] = useState(String(template?.payment_days ?? organization.default_payment_days));
  const [buyerReference, setBuyerReference] = useState(template?.buyer_reference ?? initialContact?.buyer_reference ?? "");
  const [note, setNote] = useState(template?.note ?? "");
  const [autoFinalize, setAutoFinalize] = useState(template?.auto_finalize ?? true);
  const [autoSend, setAutoSend] = useState(template?.auto_send ?? false);
  const [lines, setLines] = useState<LineState[]>(() => linesFromApi(template?.lines ?? [], smallBusiness));
  const [showErrors, setShowErrors] = useState(false);
  const [apiLineErrors, setApiLineErrors] = useState<LineErrors[]>([]);
  const [headerErrors, setHeaderErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [preview, setPreview] = useState<{ periods: RecurringPeriod[]; error: string | null } | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  const parsed = useMemo(() => lines.map(parseLine), [lines]);
  const totals = useMemo(() => computeTotals(parsed.flatMap((p) => (p.totals ? [p.totals] : []))), [parsed]);
  const nets = parsed.map((p) => (p.totals ? computeTotals([p.totals]).line_nets[0]! : null));
  const lineErrors: LineErrors[] = lines.map((_, i) => ({ ...(showErrors ? parsed[i]!.errors : {}), ...(apiLineErrors[i] ?? {}) }));

  // The schedule as the backend computes it, refreshed while the seller edits it.
  useEffect(() => {
    if (!startDate) return;
    const t = setTimeout(() => {
      unwrap(
        api.POST("/api/recurring/preview", {
          body: {
            frequency,
            start_date: startDate,
            end_date: endMode === "date" && endDate ? endDate : null,
            max_occurrences: endMode === "count" && /^\d+$/.test(maxOccurrences) ? Number(maxOccurrences) : null,
            note: note.trim() || null,
            count: 4,
          },
        }),
      )
        .then((r) => setPreview({ periods: r.periods, error: null }))
        .catch((e: unknown) => setPreview({ periods: [], error: e instanceof ApiError ? (Object.values(e.fieldErrors)[0] ?? e.message) : null }));
    }, 300);
    return () => clearTimeout(t);
  }, [frequency, startDate, endMode, endDate, maxOccurrences, note]);

  function pickContact(c: Contact) {
    if (!buyerReference.trim() || buyerReference === contact?.buyer_reference) setBuyerReference(c.buyer_reference ?? "");
    setContact(c);
    setHeaderErrors(({ contact_id: _, ...rest }) => rest);
  }

  async function save() {
    setShowErrors(true);
    setFormError(null);
    const header: Record<string, string> = {};
    if (!name.trim()) header.name = "Bitte einen Namen vergeben, z. B. „Hosting Business“";
    if (!contact) header.contact_id = "Bitte einen Kunden wählen oder neu anlegen";
    if (!startDate) header.start_date = "Bitte ein Startdatum angeben";
    if (endMode === "date" && !endDate) header.end_date = "Bitte ein Enddatum angeben";
    if (endMode === "count" && !/^[1-9]\d*$/.test(maxOccurrences)) header.max_occurrences = "Eine Anzahl ab 1";
    if (!/^\d+$/.test(paymentDays.trim()) || Number(paymentDays) > 365) header.payment_days = "0 bis 365 Tage";
    setHeaderErrors(header);
    const bodies = parsed.map((p) => p.body);
    if (Object.keys(header).length || bodies.some((b) => b === null) || !contact) {
      setFormError("Bitte prüfen Sie die markierten Felder.");
      requestAnimationFrame(() => errorRef.current?.focus());
      return;
    }
    const body: RecurringCreate = {
      name: name.trim(),
      contact_id: contact.id,
      frequency,
      start_date: startDate,
      end_date: endMode === "date" ? endDate : null,
      max_occurrences: endMode === "count" ? Number(maxOccurrences) : null,
      payment_days: Number(paymentDays),
      buyer_reference: buyerReference.trim() || null,
      note: note.trim() || null,
      auto_finalize: autoFinalize,
      auto_send: autoFinalize && autoSend,
      lines: bodies as LineInput[],
    };
    setPending(true);
    try {
      let saved: RecurringDetail;
      if (template) {
        // Start and rhythm are fixed once the first invoice went out (the backend says so too).
        const { frequency: f, start_date: s, ...rest } = body;
        saved = await unwrap(
          api.PATCH("/api/recurring/{template_id}", { params: { path: { template_id: template.id } }, body: billed ? rest : { ...rest, frequency: f, start_date: s } }),
        );
      } else {
        saved = await unwrap(api.POST("/api/recurring", { body }));
      }
      toast({ title: template ? "Vorlage gespeichert" : "Vorlage angelegt", tone: "success" });
      router.push(`/recurring/${saved.id}`);
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
      className="grid grid-cols-[minmax(0,1fr)] gap-6"
      aria-label={template ? "Vorlage bearbeiten" : "Neue wiederkehrende Rechnung"}
    >
      {formError ? (
        <div ref={errorRef} tabIndex={-1} className="outline-none">
          <FormAlert>{formError}</FormAlert>
        </div>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle>Vorlage</CardTitle>
          <CardDescription>Wer bekommt die Rechnung, und wie heißt die Serie bei Ihnen?</CardDescription>
        </CardHeader>
        <CardContent className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-2">
          <FormField label="Name" hint="Nur für Sie, z. B. „Wartungsvertrag Praxis Dr. Weber“" error={headerErrors.name} id="name">
            <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
          </FormField>
          <div className="grid content-start gap-1.5">
            <Label htmlFor="customer">Kunde</Label>
            <CustomerPicker contacts={contacts} complete={contactsComplete} value={contact} onChange={pickContact} error={headerErrors.contact_id} />
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Zeitplan</CardTitle>
          <CardDescription>
            {billed
              ? "Rhythmus und Start stehen fest, seit die erste Rechnung erzeugt wurde."
              : "Jede Rechnung wird am ersten Tag ihres Zeitraums erzeugt; der Zeitraum steht als Leistungszeitraum darauf."}
          </CardDescription>
        </CardHeader>
        <CardContent className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-2">
          <div className="grid content-start gap-4">
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField label="Rhythmus" error={headerErrors.frequency} id="frequency">
                <NativeSelect value={frequency} onChange={(e) => setFrequency(e.target.value as Frequency)} disabled={billed}>
                  {FREQUENCIES.map((f) => (
                    <option key={f.value} value={f.value}>
                      {f.label}
                    </option>
                  ))}
                </NativeSelect>
              </FormField>
              <FormField label="Erste Rechnung am" error={headerErrors.start_date} id="start_date">
                <Input type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} disabled={billed} />
              </FormField>
            </div>
            <fieldset className="grid gap-2">
              <legend className="mb-1.5 text-sm font-medium">Ende</legend>
              <div className="flex flex-wrap gap-1 rounded-md bg-muted p-1" role="radiogroup" aria-label="Ende der Serie">
                {(
                  [
                    ["never", "unbefristet"],
                    ["date", "an einem Datum"],
                    ["count", "nach Anzahl"],
                  ] as const
                ).map(([mode, label]) => (
                  <label
                    key={mode}
                    className={cn(
                      "min-w-0 flex-1 cursor-pointer rounded px-2.5 py-1 text-center text-[13px] font-medium has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring",
                      endMode === mode ? "bg-card text-foreground shadow-sm" : "text-muted-foreground hover:text-foreground",
                    )}
                  >
                    <input type="radio" name="end_mode" value={mode} checked={endMode === mode} onChange={() => setEndMode(mode)} className="sr-only" />
                    {label}
                  </label>
                ))}
              </div>
              {endMode === "date" ? (
                <FormField label="Letzter Zeitraum beginnt spätestens am" error={headerErrors.end_date} id="end_date">
                  <Input type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} />
                </FormField>
              ) : null}
              {endMode === "count" ? (
                <FormField label="Anzahl Rechnungen" error={headerErrors.max_occurrences} id="max_occurrences">
                  <Input inputMode="numeric" value={maxOccurrences} onChange={(e) => setMaxOccurrences(e.target.value)} className="tabular" />
                </FormField>
              ) : null}
            </fieldset>
          </div>
          <section aria-labelledby="schedule-preview-title" className="grid content-start gap-2 rounded-md border border-border bg-muted/40 p-4">
            <h3 id="schedule-preview-title" className="flex items-center gap-2 text-sm font-medium">
              <CalendarClock aria-hidden="true" className="size-4 text-muted-foreground" />
              Die nächsten Rechnungen
            </h3>
            {preview?.error ? <p className="text-sm text-destructive">{preview.error}</p> : null}
            {preview && !preview.error && preview.periods.length === 0 ? <p className="text-sm text-muted-foreground">Keine weiteren Termine.</p> : null}
            <ol className="grid gap-1.5 text-sm" data-testid="schedule-preview" aria-live="polite">
              {preview?.periods.map((p) => (
                <li key={p.number} className="grid grid-cols-[auto_1fr] gap-x-3">
                  <span className="tabular font-medium">{formatDate(p.period_start)}</span>
                  <span className="text-muted-foreground">
                    Leistung {formatDate(p.period_start)} – {formatDate(p.period_end)}
                  </span>
                </li>
              ))}
            </ol>
          </section>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Positionen</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-6">
          <LineItems
            lines={lines}
            nets={nets}
            errors={lineErrors}
            smallBusiness={smallBusiness}
            onChange={(i, patch) => {
              setLines((xs) => xs.map((l, j) => (j === i ? { ...l, ...patch } : l)));
              setApiLineErrors((es) => es.map((e, j) => (j === i ? {} : e)));
            }}
            onAdd={() => setLines((xs) => [...xs, newLine(smallBusiness, { vat_choice: xs[xs.length - 1]?.vat_choice, unit_code: xs[xs.length - 1]?.unit_code })])}
            onRemove={(i) => setLines((xs) => xs.filter((_, j) => j !== i))}
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
          <TotalsPanel totals={totals} incomplete={parsed.some((p) => !p.totals)} />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Rechnungen</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4 lg:grid-cols-2">
          <div className="grid content-start gap-4">
            <label className="flex items-start gap-3 rounded-md border border-border p-3 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring">
              <input type="checkbox" checked={autoFinalize} onChange={(e) => setAutoFinalize(e.target.checked)} className="mt-0.5 size-4 accent-[var(--primary)]" />
              <span className="grid gap-0.5 text-sm">
                <span className="font-medium">Automatisch festschreiben</span>
                <span className="text-muted-foreground">Sonst entsteht ein Entwurf, den Sie prüfen und selbst festschreiben.</span>
              </span>
            </label>
            <label className={cn("flex items-start gap-3 rounded-md border border-border p-3 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring", !autoFinalize && "opacity-60")}>
              <input
                type="checkbox"
                checked={autoFinalize && autoSend}
                disabled={!autoFinalize}
                onChange={(e) => setAutoSend(e.target.checked)}
                className="mt-0.5 size-4 accent-[var(--primary)]"
              />
              <span className="grid gap-0.5 text-sm">
                <span className="font-medium">Automatisch per E-Mail senden</span>
                <span className="text-muted-foreground">An {contact?.email ?? "die E-Mail-Adresse des Kunden"}, mit Link ins Kundenportal.</span>
              </span>
            </label>
            <FormField label="Zahlungsziel (Tage)" error={headerErrors.payment_days} id="payment_days">
              <Input inputMode="numeric" value={paymentDays} onChange={(e) => setPaymentDays(e.target.value)} className="tabular sm:w-32" />
            </FormField>
          </div>
          <div className="grid content-start gap-4">
            <FormField label="Käuferreferenz / Leitweg-ID" hint="Pflichtangabe der XRechnung." error={headerErrors.buyer_reference} id="buyer_reference">
              <Input value={buyerReference} onChange={(e) => setBuyerReference(e.target.value)} maxLength={100} />
            </FormField>
            <FormField
              label="Hinweis auf der Rechnung"
              hint={<>Platzhalter: {NOTE_PLACEHOLDERS.map((p) => p.name).join(", ")} – z. B. „Hosting für {"{month}"} {"{year}"}“.</>}
              error={headerErrors.note}
              id="note"
            >
              <Textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} maxLength={5000} />
            </FormField>
          </div>
        </CardContent>
      </Card>

      <div className="sticky bottom-0 z-20 -mx-4 -mb-6 border-t border-border bg-card/95 backdrop-blur sm:-mx-6 sm:-mb-8">
        <div className="flex w-full items-center justify-between gap-3 px-4 py-3 sm:px-6">
          <p className="text-sm text-muted-foreground">
            Je Rechnung <span className="tabular ml-1 text-base font-semibold text-foreground">{formatEUR(totals.gross_total)}</span>
          </p>
          <div className="flex gap-2">
            <Button asChild variant="secondary" className="hidden sm:inline-flex">
              <Link href={template ? `/recurring/${template.id}` : "/recurring"}>Abbrechen</Link>
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Wird gespeichert …" : template ? "Vorlage speichern" : "Vorlage anlegen"}
            </Button>
          </div>
        </div>
      </div>
    </form>
  );
}

function firstOfNextMonth(): string {
  const today = todayInBerlin();
  const [y, m] = today.split("-").map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
  // A date in the past is allowed (the run catches up), but the default is the next 1st.
  return next < today ? addDays(today, 1) : next;
}
