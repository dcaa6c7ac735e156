"use client";
import { useRef } from "react";
import { FormAlert } from "@/components/auth/form-alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { api, unwrap } from "@/lib/api/browser";
import type { Contact, ContactCreate } from "@/lib/api/types";
import { countryOptions } from "@/lib/countries";
import { useApiSubmit } from "@/lib/use-api-submit";

const TEXT_FIELDS = ["name", "contact_name", "email", "phone", "street", "postal_code", "city", "vat_id", "buyer_reference", "customer_number"] as const;
type TextField = (typeof TEXT_FIELDS)[number];

/**
 * Create or edit a customer. Used on /contacts and inline in the invoice editor
 * ("Neuer Kunde"), so a seller never has to leave an invoice half-written to add one.
 *
 * On edit only changed fields are sent (PATCH semantics), and a cleared field is sent as
 * null so it is really cleared.
 */
export function ContactForm({
  contact,
  onSaved,
  onCancel,
  focusField,
  submitLabel,
  defaultName,
}: {
  contact?: Contact | null;
  onSaved: (contact: Contact) => void;
  onCancel?: () => void;
  /** Field to focus first (from a "fehlt" link of the finalize check). */
  focusField?: string | null;
  submitLabel?: string;
  /** Prefill for a new customer's name (what was typed into the customer picker). */
  defaultName?: string;
}) {
  const { pending, formError, fieldErrors, run, clearField } = useApiSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const idPrefix = contact ? `contact-${contact.id}` : "contact-new";

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const value = (name: string) => String(data.get(name) ?? "").trim();
    void run(async () => {
      let saved: Contact;
      if (contact) {
        const patch: Record<string, string | null> = {};
        for (const f of TEXT_FIELDS) {
          const v = value(f);
          if (v !== (contact[f] ?? "")) patch[f] = v === "" && f !== "name" ? null : v;
        }
        if (value("country_code") !== contact.country_code) patch.country_code = value("country_code");
        saved = Object.keys(patch).length
          ? await unwrap(api.PATCH("/api/contacts/{contact_id}", { params: { path: { contact_id: contact.id } }, body: patch }))
          : contact;
      } else {
        const body: ContactCreate = { name: value("name"), country_code: value("country_code") || "DE" };
        for (const f of TEXT_FIELDS) {
          const v = value(f);
          if (f !== "name" && v) (body as Record<TextField, string | null | undefined>)[f] = v;
        }
        saved = await unwrap(api.POST("/api/contacts", { body }));
      }
      onSaved(saved);
    });
  }

  const field = (name: TextField) => ({
    name,
    defaultValue: contact?.[name] ?? (name === "name" ? (defaultName ?? "") : ""),
    onChange: () => clearField(name),
    autoFocus: focusField ? focusField === name : name === "name",
  });

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="grid gap-4" aria-label={contact ? "Kunde bearbeiten" : "Neuer Kunde"}>
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      <FormField label="Name / Firma" error={fieldErrors.name} id={`${idPrefix}-name`}>
        <Input {...field("name")} required autoComplete="off" />
      </FormField>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField label="Ansprechpartner" error={fieldErrors.contact_name} id={`${idPrefix}-contact_name`}>
          <Input {...field("contact_name")} autoComplete="off" />
        </FormField>
        <FormField label="Kundennummer" error={fieldErrors.customer_number} id={`${idPrefix}-customer_number`}>
          <Input {...field("customer_number")} autoComplete="off" />
        </FormField>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          label="E-Mail-Adresse"
          hint="Hierhin gehen Rechnungen per E-Mail; für die XRechnung Pflicht."
          error={fieldErrors.email}
          id={`${idPrefix}-email`}
        >
          <Input {...field("email")} type="email" autoComplete="off" />
        </FormField>
        <FormField label="Telefon" error={fieldErrors.phone} id={`${idPrefix}-phone`}>
          <Input {...field("phone")} type="tel" autoComplete="off" />
        </FormField>
      </div>
      <FormField label="Straße und Hausnummer" error={fieldErrors.street} id={`${idPrefix}-street`}>
        <Input {...field("street")} autoComplete="off" />
      </FormField>
      <div className="grid gap-4 sm:grid-cols-[8rem_1fr_12rem]">
        <FormField label="PLZ" error={fieldErrors.postal_code} id={`${idPrefix}-postal_code`}>
          <Input {...field("postal_code")} inputMode="numeric" autoComplete="off" />
        </FormField>
        <FormField label="Ort" error={fieldErrors.city} id={`${idPrefix}-city`}>
          <Input {...field("city")} autoComplete="off" />
        </FormField>
        <FormField label="Land" error={fieldErrors.country_code} id={`${idPrefix}-country_code`}>
          <NativeSelect name="country_code" defaultValue={contact?.country_code ?? "DE"} onChange={() => clearField("country_code")}>
            {countryOptions(contact?.country_code).map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </NativeSelect>
        </FormField>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          label="USt-IdNr."
          hint="Nötig bei Reverse Charge und Lieferungen in andere EU-Länder."
          error={fieldErrors.vat_id}
          id={`${idPrefix}-vat_id`}
        >
          <Input {...field("vat_id")} autoComplete="off" placeholder="z. B. ATU12345678" />
        </FormField>
        <FormField
          label="Leitweg-ID / Käuferreferenz"
          hint="Bei Behörden die Leitweg-ID; wird in neue Rechnungen übernommen."
          error={fieldErrors.buyer_reference}
          id={`${idPrefix}-buyer_reference`}
        >
          <Input {...field("buyer_reference")} autoComplete="off" />
        </FormField>
      </div>
      <div className="flex flex-col-reverse gap-2 pt-1 sm:flex-row sm:justify-end">
        {onCancel ? (
          <Button variant="secondary" onClick={onCancel} disabled={pending}>
            Abbrechen
          </Button>
        ) : null}
        <Button type="submit" disabled={pending}>
          {pending ? "Wird gespeichert …" : (submitLabel ?? (contact ? "Änderungen speichern" : "Kunde anlegen"))}
        </Button>
      </div>
    </form>
  );
}
