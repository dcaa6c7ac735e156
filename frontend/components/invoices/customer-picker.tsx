"use client";
import { Check, ChevronsUpDown, Pencil, Plus, TriangleAlert } from "lucide-react";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { ContactDialog } from "@/components/contacts/contact-dialog";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/input";
import { api, unwrap } from "@/lib/api/browser";
import type { Contact } from "@/lib/api/types";
import { countryName } from "@/lib/countries";
import { cn } from "@/lib/utils";

/** What the XRechnung needs from a customer (backend/app/einvoice/readiness.py, buyer part). */
export function missingForEinvoice(c: Contact): string[] {
  const out: string[] = [];
  if (!c.postal_code?.trim()) out.push("PLZ");
  if (!c.city?.trim()) out.push("Ort");
  if (!c.email?.trim()) out.push("E-Mail-Adresse");
  return out;
}

/**
 * Customer picker: a combobox (WAI-ARIA 1.2 pattern) over the seller's customers, with
 * "Neuer Kunde" right there. Filters what was loaded; when the seller has more customers
 * than that, it also asks the API.
 */
export function CustomerPicker({
  contacts: initial,
  complete,
  value,
  onChange,
  error,
}: {
  contacts: Contact[];
  /** false when the server sent only the first page of customers. */
  complete: boolean;
  value: Contact | null;
  onChange: (contact: Contact) => void;
  error?: string;
}) {
  const [contacts, setContacts] = useState(initial);
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [dialog, setDialog] = useState<"new" | "edit" | null>(null);
  const [newName, setNewName] = useState("");
  const [remote, setRemote] = useState<Contact[] | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const id = useId();
  const listId = `${id}-list`;
  const errorId = `${id}-error`;

  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    const pool = remote ?? contacts;
    if (!q) return pool.slice(0, 50);
    return pool
      .filter((c) => [c.name, c.email, c.city, c.customer_number, c.contact_name].some((f) => f?.toLowerCase().includes(q)))
      .slice(0, 50);
  }, [contacts, query, remote]);

  useEffect(() => {
    if (complete || !query.trim()) {
      setRemote(null);
      return;
    }
    const t = setTimeout(() => {
      unwrap(api.GET("/api/contacts", { params: { query: { q: query.trim(), limit: 50 } } }))
        .then((page) => setRemote(page.items))
        .catch(() => setRemote(null));
    }, 250);
    return () => clearTimeout(t);
  }, [query, complete]);

  useEffect(() => setActive(0), [query]);

  useEffect(() => {
    if (!open) return;
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: "nearest" });
  }, [active, open]);

  // One extra row at the end: "Neuen Kunden anlegen".
  const rowCount = matches.length + 1;

  function choose(index: number) {
    if (index === matches.length) {
      setNewName(query.trim());
      setOpen(false);
      setDialog("new");
      return;
    }
    const c = matches[index];
    if (!c) return;
    onChange(c);
    setQuery("");
    setOpen(false);
  }

  function onKeyDown(e: React.KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (!open) setOpen(true);
      else setActive((a) => Math.min(a + 1, rowCount - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === "Enter") {
      if (open) {
        e.preventDefault();
        choose(active);
      }
    } else if (e.key === "Escape") {
      if (open) {
        e.preventDefault();
        setOpen(false);
        setQuery("");
      }
    }
  }

  function saved(c: Contact) {
    setContacts((xs) => [c, ...xs.filter((x) => x.id !== c.id)].sort((a, b) => a.name.localeCompare(b.name, "de")));
    onChange(c);
  }

  const missing = value ? missingForEinvoice(value) : [];
  const optionId = (i: number) => `${id}-opt-${i}`;

  return (
    <div className="grid gap-2">
      <div className="relative">
        <input
          ref={inputRef}
          id="customer"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open ? optionId(active) : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          autoComplete="off"
          className={cn(inputClass, "pr-9")}
          placeholder={value ? value.name : "Kunden suchen oder neu anlegen …"}
          value={open ? query : (value?.name ?? query)}
          onChange={(e) => {
            setQuery(e.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onClick={() => setOpen(true)}
          onBlur={(e) => {
            // Keep it open while the pointer is on the list (the list handles its own clicks).
            if (!listRef.current?.contains(e.relatedTarget as Node)) {
              setOpen(false);
              setQuery("");
            }
          }}
          onKeyDown={onKeyDown}
        />
        <ChevronsUpDown aria-hidden="true" className="pointer-events-none absolute right-2.5 top-1/2 size-4 -translate-y-1/2 text-muted-foreground" />
        {open ? (
          <ul
            ref={listRef}
            id={listId}
            role="listbox"
            aria-label="Kunden"
            tabIndex={-1}
            className="absolute z-40 mt-1 max-h-72 w-full overflow-y-auto rounded-lg border border-border bg-card p-1 shadow-lg"
          >
            {matches.map((c, i) => (
              <li
                key={c.id}
                id={optionId(i)}
                data-index={i}
                role="option"
                aria-selected={i === active}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => choose(i)}
                onMouseMove={() => setActive(i)}
                className={cn("flex cursor-default items-start gap-2 rounded-md px-2.5 py-2 text-sm", i === active && "bg-muted")}
              >
                <Check aria-hidden="true" className={cn("mt-0.5 size-4 shrink-0 text-primary", value?.id === c.id ? "opacity-100" : "opacity-0")} />
                <span className="grid min-w-0">
                  <span className="truncate font-medium">{c.name}</span>
                  <span className="truncate text-xs text-muted-foreground">{[c.email, [c.postal_code, c.city].filter(Boolean).join(" ")].filter(Boolean).join(" · ") || "keine Anschrift"}</span>
                </span>
              </li>
            ))}
            {matches.length === 0 ? <li className="px-2.5 py-2 text-sm text-muted-foreground" role="presentation">Kein Kunde gefunden.</li> : null}
            <li
              id={optionId(matches.length)}
              data-index={matches.length}
              role="option"
              aria-selected={active === matches.length}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(matches.length)}
              onMouseMove={() => setActive(matches.length)}
              className={cn(
                "mt-1 flex cursor-default items-center gap-2 rounded-md border-t border-border px-2.5 py-2 text-sm font-medium text-primary",
                active === matches.length && "bg-muted",
              )}
            >
              <Plus aria-hidden="true" className="size-4" />
              {query.trim() ? `„${query.trim()}“ als neuen Kunden anlegen` : "Neuen Kunden anlegen"}
            </li>
          </ul>
        ) : null}
      </div>
      {error ? (
        <p id={errorId} className="text-[13px] font-medium text-destructive">
          {error}
        </p>
      ) : null}

      {value ? (
        <div className="flex items-start justify-between gap-3 rounded-md border border-border bg-muted/40 px-3 py-2.5 text-sm" data-testid="customer-summary">
          <div className="grid min-w-0 gap-0.5">
            <p className="font-medium">{value.name}</p>
            <p className="text-muted-foreground">
              {[value.street, [value.postal_code, value.city].filter(Boolean).join(" "), value.country_code !== "DE" ? countryName(value.country_code) : null]
                .filter(Boolean)
                .join(", ") || "Keine Anschrift"}
            </p>
            {value.email ? <p className="text-muted-foreground">{value.email}</p> : null}
            {missing.length ? (
              <p className="mt-1 flex items-center gap-1.5 text-[13px] font-medium text-warning">
                <TriangleAlert aria-hidden="true" className="size-3.5 shrink-0" />
                Für die E-Rechnung fehlt: {missing.join(", ")}
              </p>
            ) : null}
          </div>
          <Button variant="ghost" size="sm" onClick={() => setDialog("edit")} aria-label={`${value.name} bearbeiten`}>
            <Pencil aria-hidden="true" />
            Bearbeiten
          </Button>
        </div>
      ) : (
        <div>
          <Button
            variant="link"
            size="sm"
            className="h-auto px-0"
            onClick={() => {
              setNewName("");
              setDialog("new");
            }}
          >
            <Plus aria-hidden="true" />
            Neuer Kunde
          </Button>
        </div>
      )}

      <ContactDialog
        open={dialog !== null}
        onOpenChange={(o) => {
          if (!o) {
            setDialog(null);
            inputRef.current?.focus();
          }
        }}
        contact={dialog === "edit" ? value : null}
        defaultName={dialog === "new" ? newName : undefined}
        onSaved={saved}
      />
    </div>
  );
}
