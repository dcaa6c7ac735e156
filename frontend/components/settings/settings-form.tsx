"use client";
import { CircleAlert, CircleCheck } from "lucide-react";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { FormAlert } from "@/components/auth/form-alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { toast } from "@/components/ui/toast";
import { api, unwrap } from "@/lib/api/browser";
import type { Organization, OrganizationUpdate } from "@/lib/api/types";
import { countryOptions } from "@/lib/countries";
import { formatIBAN, todayInBerlin } from "@/lib/format";
import { counterOf, formatProblem, renderNumber } from "@/lib/numbering";
import { useApiSubmit } from "@/lib/use-api-submit";
import { useFocusFromHash } from "@/lib/use-focus-hash";
import { LogoUpload } from "./logo-upload";

const TEXT_FIELDS = [
  "name", "street", "postal_code", "city", "country_code", "contact_name", "phone", "email", "website",
  "tax_number", "vat_id", "iban", "bic", "bank_name", "register_court", "register_number", "number_format",
] as const;
type TextField = (typeof TEXT_FIELDS)[number];
type Values = Record<TextField, string> & { small_business: boolean; attach_pdf_to_emails: boolean; default_payment_days: string };

function valuesOf(org: Organization): Values {
  const v = {} as Values;
  for (const f of TEXT_FIELDS) v[f] = (org[f] as string | null) ?? "";
  v.iban = org.iban ? formatIBAN(org.iban) : "";
  v.small_business = org.small_business;
  v.attach_pdf_to_emails = org.attach_pdf_to_emails;
  v.default_payment_days = String(org.default_payment_days);
  return v;
}

/** The seller data XRechnung requires (the seller part of backend/app/einvoice/readiness.py). */
function missingSellerData(v: Values): { field: TextField; label: string }[] {
  const out: { field: TextField; label: string }[] = [];
  const blank = (f: TextField) => !v[f].trim();
  if (blank("name")) out.push({ field: "name", label: "Firmenname" });
  if (blank("postal_code")) out.push({ field: "postal_code", label: "PLZ" });
  if (blank("city")) out.push({ field: "city", label: "Ort" });
  if (blank("contact_name")) out.push({ field: "contact_name", label: "Ansprechpartner" });
  if (blank("phone")) out.push({ field: "phone", label: "Telefon" });
  if (blank("email")) out.push({ field: "email", label: "E-Mail" });
  if (blank("vat_id") && blank("tax_number")) out.push({ field: "tax_number", label: "Steuernummer oder USt-IdNr." });
  if (blank("iban")) out.push({ field: "iban", label: "IBAN" });
  return out;
}

/**
 * Seller master data: everything that appears on every invoice. One form, one save; only
 * changed fields are sent, a cleared optional field is sent as null so it is really cleared.
 * Every input's id is its API field name, so /settings#iban lands in the IBAN field.
 */
export function SettingsForm({ organization }: { organization: Organization }) {
  const router = useRouter();
  const [org, setOrg] = useState(organization);
  const [values, setValues] = useState<Values>(() => valuesOf(organization));
  const { pending, formError, fieldErrors, run, clearField } = useApiSubmit();
  useFocusFromHash();

  const initial = useMemo(() => valuesOf(org), [org]);
  const dirty = (Object.keys(values) as (keyof Values)[]).filter((k) => values[k] !== initial[k]);
  const missing = missingSellerData(initial);

  const set = (f: keyof Values) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    const value = e.target.type === "checkbox" ? (e.target as HTMLInputElement).checked : e.target.value;
    setValues((v) => ({ ...v, [f]: value }));
    clearField(f);
  };

  const fmtProblem = values.number_format.trim() ? formatProblem(values.number_format) : "Darf nicht leer sein";
  const counter = (org.next_invoice_number && counterOf(org.number_format, org.next_invoice_number)) || 1;
  const preview = fmtProblem ? null : renderNumber(values.number_format.trim(), todayInBerlin(), counter);

  function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    void run(async () => {
      const patch: Record<string, unknown> = {};
      for (const k of dirty) {
        if (k === "small_business" || k === "attach_pdf_to_emails") patch[k] = values[k];
        else if (k === "default_payment_days") patch[k] = Number.parseInt(values[k], 10);
        else if (k === "iban") patch[k] = values.iban.replace(/\s+/g, "") || null;
        else {
          const v = values[k].trim();
          patch[k] = v === "" ? null : v;
        }
      }
      if (!Object.keys(patch).length) return;
      const saved = await unwrap(api.PATCH("/api/organization", { body: patch as OrganizationUpdate }));
      setOrg(saved);
      setValues(valuesOf(saved));
      toast({ title: "Einstellungen gespeichert", tone: "success" });
      router.refresh();
    });
  }

  const text = (f: TextField, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <Input name={f} value={values[f]} onChange={set(f)} autoComplete="off" {...props} />
  );

  return (
    <form onSubmit={onSubmit} noValidate className="grid grid-cols-[minmax(0,1fr)] gap-6" aria-label="Einstellungen">
      {formError ? <FormAlert>{formError}</FormAlert> : null}

      <div
        className={
          missing.length
            ? "flex items-start gap-3 rounded-lg border border-warning/30 bg-warning-soft p-4 text-sm"
            : "flex items-start gap-3 rounded-lg border border-success/25 bg-success-soft p-4 text-sm"
        }
        data-testid="seller-readiness"
      >
        {missing.length ? (
          <>
            <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-warning" />
            <div>
              <p className="font-medium text-warning">Für gültige E-Rechnungen fehlen noch Angaben</p>
              <p className="mt-1 text-foreground/80">
                {missing.map((m, i) => (
                  <span key={m.field}>
                    {i ? ", " : ""}
                    <a href={`#${m.field}`} className="underline underline-offset-2 hover:text-foreground">
                      {m.label}
                    </a>
                  </span>
                ))}
              </p>
            </div>
          </>
        ) : (
          <>
            <CircleCheck aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-success" />
            <p className="font-medium text-success">Ihre Firmendaten sind vollständig für XRechnung und ZUGFeRD.</p>
          </>
        )}
      </div>

      <Section title="Firma" description="So erscheint Ihr Unternehmen als Rechnungssteller." className="grid gap-4">
          <FormField label="Firmenname" error={fieldErrors.name} id="name">
            {text("name", { autoComplete: "organization" })}
          </FormField>
          <FormField label="Straße und Hausnummer" error={fieldErrors.street} id="street">
            {text("street")}
          </FormField>
          <div className="grid gap-4 sm:grid-cols-[8rem_1fr_12rem]">
            <FormField label="PLZ" error={fieldErrors.postal_code} id="postal_code">
              {text("postal_code", { inputMode: "numeric" })}
            </FormField>
            <FormField label="Ort" error={fieldErrors.city} id="city">
              {text("city")}
            </FormField>
            <FormField label="Land" error={fieldErrors.country_code} id="country_code">
              <NativeSelect name="country_code" value={values.country_code} onChange={set("country_code")}>
                {countryOptions(values.country_code).map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </NativeSelect>
            </FormField>
          </div>
      </Section>

      <Section title="Kontakt" description="Die XRechnung verlangt einen Ansprechpartner mit Telefon und E-Mail." className="grid gap-4 sm:grid-cols-2">
          <FormField label="Ansprechpartner" error={fieldErrors.contact_name} id="contact_name">
            {text("contact_name", { autoComplete: "name" })}
          </FormField>
          <FormField label="Telefon" error={fieldErrors.phone} id="phone">
            {text("phone", { type: "tel", autoComplete: "tel" })}
          </FormField>
          <FormField label="E-Mail für Rechnungen" error={fieldErrors.email} id="email">
            {text("email", { type: "email", autoComplete: "email" })}
          </FormField>
          <FormField label="Website" error={fieldErrors.website} id="website">
            {text("website", { placeholder: "www.beispiel.de" })}
          </FormField>
      </Section>

      <Section title="Steuer" description="Steuernummer oder USt-IdNr. muss auf jeder Rechnung stehen." className="grid gap-4">
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField label="Steuernummer" hint="z. B. 21/815/08150" error={fieldErrors.tax_number} id="tax_number">
              {text("tax_number")}
            </FormField>
            <FormField label="USt-IdNr." hint="z. B. DE123456789" error={fieldErrors.vat_id} id="vat_id">
              {text("vat_id")}
            </FormField>
          </div>
          <label className="flex items-start gap-3 rounded-md border border-border p-3 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring">
            <input
              type="checkbox"
              id="small_business"
              checked={values.small_business}
              onChange={set("small_business")}
              className="mt-0.5 size-4 shrink-0 accent-[var(--primary)]"
            />
            <span className="grid gap-0.5 text-sm">
              <span className="font-medium">Kleinunternehmer nach § 19 UStG</span>
              <span className="text-muted-foreground">
                Rechnungen weisen keine Umsatzsteuer aus und tragen den gesetzlichen Hinweis. Gilt für neue Entwürfe.
              </span>
            </span>
          </label>
          {fieldErrors.small_business ? <p className="text-[13px] font-medium text-destructive">{fieldErrors.small_business}</p> : null}
      </Section>

      <Section title="Bankverbindung" description="Steht auf der Rechnung, im GiroCode und im Kundenportal." className="grid gap-4 sm:grid-cols-[1fr_12rem]">
          <FormField label="IBAN" error={fieldErrors.iban} id="iban">
            {text("iban", { className: "font-mono tracking-wide", spellCheck: false })}
          </FormField>
          <FormField label="BIC" error={fieldErrors.bic} id="bic">
            {text("bic", { className: "font-mono tracking-wide", spellCheck: false })}
          </FormField>
          <FormField label="Bank" error={fieldErrors.bank_name} id="bank_name" className="sm:col-span-2">
            {text("bank_name")}
          </FormField>
      </Section>

      <Section title="Handelsregister" description="Nur wenn Ihr Unternehmen eingetragen ist (z. B. GmbH, UG, e. K.)." className="grid gap-4 sm:grid-cols-2">
          <FormField label="Registergericht" hint="z. B. Amtsgericht Berlin-Charlottenburg" error={fieldErrors.register_court} id="register_court">
            {text("register_court")}
          </FormField>
          <FormField label="Registernummer" hint="z. B. HRB 123456 B" error={fieldErrors.register_number} id="register_number">
            {text("register_number")}
          </FormField>
      </Section>

      <Section title="Rechnungen" description="Nummernkreis und Zahlungsziel für neue Rechnungen." className="grid gap-4 sm:grid-cols-2">
          <FormField
            label="Format der Rechnungsnummer"
            hint={
              <>
                Platzhalter: {"{YYYY}"} Jahr, {"{YY}"}, {"{MM}"} Monat, {"{NNNN}"} laufende Nummer. Mit Jahr beginnt die Zählung jedes Jahr neu.
              </>
            }
            error={fieldErrors.number_format ?? (values.number_format !== initial.number_format ? (fmtProblem ?? undefined) : undefined)}
            id="number_format"
          >
            {text("number_format", { className: "font-mono", spellCheck: false })}
          </FormField>
          <div className="grid content-start gap-1.5">
            <p className="text-sm font-medium">Nächste Rechnungsnummer</p>
            <p className="tabular flex h-9 items-center rounded-md bg-muted px-3 font-mono text-sm" data-testid="number-preview" aria-live="polite">
              {preview ?? "—"}
            </p>
          </div>
          <FormField label="Zahlungsziel in Tagen" error={fieldErrors.default_payment_days} id="default_payment_days">
            <Input name="default_payment_days" inputMode="numeric" value={values.default_payment_days} onChange={set("default_payment_days")} className="tabular" />
          </FormField>
          <label className="flex items-start gap-3 self-end rounded-md border border-border p-3 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring">
            <input
              type="checkbox"
              id="attach_pdf_to_emails"
              checked={values.attach_pdf_to_emails}
              onChange={set("attach_pdf_to_emails")}
              className="mt-0.5 size-4 shrink-0 accent-[var(--primary)]"
            />
            <span className="grid gap-0.5 text-sm">
              <span className="font-medium">PDF an E-Mails anhängen</span>
              <span className="text-muted-foreground">Zusätzlich zum Link ins Kundenportal.</span>
            </span>
          </label>
      </Section>

      <Section title="Logo" description="Erscheint auf dem PDF und im Kundenportal. PNG oder JPEG, höchstens 1 MB.">
        <LogoUpload organization={org} onChange={setOrg} />
      </Section>

      {/* Sticky, not fixed: it rides along at the bottom of the screen while the form is longer,
          and ends with the form instead of covering what follows. */}
      <div className="sticky bottom-0 z-20 -mx-4 -mb-6 border-t border-border bg-card/95 backdrop-blur sm:-mx-6 sm:-mb-8">
        <div className="flex w-full items-center justify-between gap-3 px-4 py-3 sm:px-6">
          <p className="text-sm text-muted-foreground" aria-live="polite">
            {dirty.length ? `${dirty.length} ${dirty.length === 1 ? "Änderung" : "Änderungen"} nicht gespeichert` : "Alle Änderungen gespeichert"}
          </p>
          <div className="flex gap-2">
            {dirty.length ? (
              <Button variant="secondary" onClick={() => setValues(initial)} disabled={pending}>
                Verwerfen
              </Button>
            ) : null}
            <Button type="submit" disabled={pending || !dirty.length}>
              {pending ? "Wird gespeichert …" : "Speichern"}
            </Button>
          </div>
        </div>
      </div>
    </form>
  );
}

/** One settings group: what it is and why on the left, its fields on the right (stacked on a phone). */
function Section({ title, description, className, children }: { title: string; description: React.ReactNode; className?: string; children: React.ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <Card className="grid gap-5 p-5 sm:p-6 lg:grid-cols-[15rem_minmax(0,1fr)] lg:gap-8">
      <div className="grid content-start gap-1">
        <h2 id={id} className="text-base font-semibold leading-tight tracking-tight">
          {title}
        </h2>
        <p className="text-sm text-muted-foreground">{description}</p>
      </div>
      <section aria-labelledby={id} className={className ?? "grid gap-4"}>
        {children}
      </section>
    </Card>
  );
}
