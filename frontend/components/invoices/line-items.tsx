"use client";
import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { formatEUR } from "@/lib/format";
import { UNIT_GROUP_LABEL, UNITS } from "@/lib/units";
import { cn } from "@/lib/utils";
import { categoryOf, vatChoices } from "@/lib/vat";

export interface LineState {
  key: string;
  description: string;
  /** As typed ("1,5"); parsed on every render, sent as an API decimal. */
  quantity: string;
  unit_code: string;
  unit_price: string;
  /** Picker value: "S:19", "S:7", "S:other" or a zero-rate category. */
  vat_choice: string;
  /** The rate for "S:other", as typed. */
  other_rate: string;
}

export type LineErrors = Partial<Record<"description" | "quantity" | "unit_code" | "unit_price" | "vat_rate" | "vat_category", string>>;

/** The units a small business picks most, on top; then every unit in the backend's groups. */
const COMMON = ["C62", "HUR", "DAY", "LS", "MON", "KGM"];
const COMMON_UNITS = COMMON.map((c) => UNITS.find((u) => u.code === c)).filter((u) => u !== undefined);
const UNIT_GROUPS = [...new Set(UNITS.map((u) => u.group))].map((g) => ({
  label: UNIT_GROUP_LABEL[g] ?? g,
  units: UNITS.filter((u) => u.group === g && !COMMON.includes(u.code)),
}));

let keySeq = 0;
export function newLine(smallBusiness: boolean, partial: Partial<LineState> = {}): LineState {
  keySeq += 1;
  return {
    key: `line-${Date.now().toString(36)}-${keySeq}`,
    description: "",
    quantity: "1",
    unit_code: "C62",
    unit_price: "",
    vat_choice: smallBusiness ? "E" : "S:19",
    other_rate: "",
    ...partial,
  };
}

/**
 * The invoice lines. One grid row per line on wide screens (description, quantity, unit,
 * price, VAT, amount), a card per line on a phone. Each input has its own label (visible on
 * the phone, for screen readers only on wide screens where the column header says it).
 */
export function LineItems({
  lines,
  nets,
  errors,
  smallBusiness,
  onChange,
  onAdd,
  onRemove,
  onMove,
}: {
  lines: LineState[];
  /** The line's net amount as computed for the live totals, or null while it is incomplete. */
  nets: (string | null)[];
  errors: LineErrors[];
  smallBusiness: boolean;
  onChange: (index: number, patch: Partial<LineState>) => void;
  onAdd: () => void;
  onRemove: (index: number) => void;
  onMove: (index: number, delta: -1 | 1) => void;
}) {
  const choices = vatChoices(smallBusiness);
  return (
    <div className="grid gap-3">
      <div
        aria-hidden="true"
        className="hidden gap-2 px-1 text-xs font-medium text-muted-foreground lg:grid lg:grid-cols-[minmax(0,1fr)_5.5rem_8.5rem_7.5rem_9rem_7rem_4.5rem]"
      >
        <span>Beschreibung</span>
        <span>Menge</span>
        <span>Einheit</span>
        <span>Einzelpreis (netto)</span>
        <span>USt.</span>
        <span className="text-right">Betrag (netto)</span>
        <span />
      </div>
      <ol className="grid gap-3 lg:gap-2" aria-label="Positionen">
        {lines.map((line, i) => {
          const err = errors[i] ?? {};
          const id = (f: string) => `line-${i}-${f}`;
          const describedBy = (f: keyof LineErrors) => (err[f] ? `${id(f)}-error` : undefined);
          const category = categoryOf(line.vat_choice);
          return (
            <li
              key={line.key}
              data-testid="invoice-line"
              className="grid grid-cols-2 gap-x-3 gap-y-2 rounded-lg border border-border bg-card p-3 sm:grid-cols-4 lg:grid-cols-[minmax(0,1fr)_5.5rem_8.5rem_7.5rem_9rem_7rem_4.5rem] lg:items-start lg:gap-2 lg:border-0 lg:bg-transparent lg:p-0"
            >
              <div className="col-span-2 grid gap-1 sm:col-span-4 lg:col-span-1">
                <label htmlFor={id("description")} className="text-xs font-medium text-muted-foreground lg:sr-only">
                  Beschreibung Position {i + 1}
                </label>
                <Textarea
                  id={id("description")}
                  rows={1}
                  value={line.description}
                  onChange={(e) => onChange(i, { description: e.target.value })}
                  aria-invalid={err.description ? true : undefined}
                  aria-describedby={describedBy("description")}
                  placeholder="Leistung oder Artikel"
                  className="min-h-9 resize-none py-1.5 sm:min-h-9 [field-sizing:content]"
                />
                <FieldError id={`${id("description")}-error`} message={err.description} />
              </div>
              <div className="grid gap-1">
                <label htmlFor={id("quantity")} className="text-xs font-medium text-muted-foreground lg:sr-only">
                  Menge
                </label>
                <Input
                  id={id("quantity")}
                  inputMode="decimal"
                  value={line.quantity}
                  onChange={(e) => onChange(i, { quantity: e.target.value })}
                  aria-invalid={err.quantity ? true : undefined}
                  aria-describedby={describedBy("quantity")}
                  className="tabular text-right"
                />
                <FieldError id={`${id("quantity")}-error`} message={err.quantity} />
              </div>
              <div className="grid gap-1">
                <label htmlFor={id("unit")} className="text-xs font-medium text-muted-foreground lg:sr-only">
                  Einheit
                </label>
                <NativeSelect
                  id={id("unit")}
                  value={line.unit_code}
                  onChange={(e) => onChange(i, { unit_code: e.target.value })}
                  aria-invalid={err.unit_code ? true : undefined}
                >
                  <optgroup label="Häufig">
                    {COMMON_UNITS.map((u) => (
                      <option key={u.code} value={u.code}>
                        {u.label}
                      </option>
                    ))}
                  </optgroup>
                  {UNIT_GROUPS.map((g) =>
                    g.units.length ? (
                      <optgroup key={g.label} label={g.label}>
                        {g.units.map((u) => (
                          <option key={u.code} value={u.code}>
                            {u.label}
                          </option>
                        ))}
                      </optgroup>
                    ) : null,
                  )}
                </NativeSelect>
                <FieldError id={`${id("unit")}-error`} message={err.unit_code} />
              </div>
              <div className="grid gap-1">
                <label htmlFor={id("price")} className="text-xs font-medium text-muted-foreground lg:sr-only">
                  Einzelpreis (netto, €)
                </label>
                <div className="relative">
                  <Input
                    id={id("price")}
                    inputMode="decimal"
                    value={line.unit_price}
                    onChange={(e) => onChange(i, { unit_price: e.target.value })}
                    aria-invalid={err.unit_price ? true : undefined}
                    aria-describedby={describedBy("unit_price")}
                    placeholder="0,00"
                    className="tabular pr-6 text-right"
                  />
                  <span aria-hidden="true" className="pointer-events-none absolute right-2.5 top-1/2 -translate-y-1/2 text-sm text-muted-foreground">
                    €
                  </span>
                </div>
                <FieldError id={`${id("price")}-error`} message={err.unit_price} />
              </div>
              <div className="grid gap-1">
                <label htmlFor={id("vat")} className="text-xs font-medium text-muted-foreground lg:sr-only">
                  Umsatzsteuer
                </label>
                <NativeSelect
                  id={id("vat")}
                  value={line.vat_choice}
                  onChange={(e) => onChange(i, { vat_choice: e.target.value })}
                  aria-invalid={err.vat_category || (err.vat_rate && category !== "S") ? true : undefined}
                  aria-describedby={err.vat_category ? `${id("vat")}-error` : undefined}
                >
                  {choices.map((c) => (
                    <option key={c.value} value={c.value} title={c.hint}>
                      {c.label}
                    </option>
                  ))}
                  {!choices.some((c) => c.value === line.vat_choice) ? <option value={line.vat_choice}>{line.vat_choice}</option> : null}
                </NativeSelect>
                {line.vat_choice === "S:other" ? (
                  <div className="relative">
                    <label htmlFor={id("rate")} className="sr-only">
                      Steuersatz in Prozent
                    </label>
                    <Input
                      id={id("rate")}
                      inputMode="decimal"
                      value={line.other_rate}
                      onChange={(e) => onChange(i, { other_rate: e.target.value })}
                      aria-invalid={err.vat_rate ? true : undefined}
                      aria-describedby={describedBy("vat_rate")}
                      placeholder="z. B. 16"
                      className="tabular pr-7 text-right"
                    />
                    <span aria-hidden="true" className="pointer-events-none absolute right-2.5 top-1/2 -translate-y-1/2 text-sm text-muted-foreground">
                      %
                    </span>
                  </div>
                ) : null}
                <FieldError id={`${id("vat")}-error`} message={err.vat_category ?? err.vat_rate} />
              </div>
              <div className="col-span-2 flex items-center justify-between gap-2 border-t border-border pt-2 sm:col-span-4 lg:col-span-2 lg:grid lg:grid-cols-[7rem_4.5rem] lg:border-0 lg:pt-0">
                <p className="flex h-9 items-center justify-end text-sm lg:text-right">
                  <span className="mr-2 text-muted-foreground lg:sr-only">Betrag:</span>
                  <output
                    htmlFor={`${id("quantity")} ${id("price")}`}
                    className={cn("tabular font-medium", nets[i] === null && "text-muted-foreground")}
                    data-testid="line-net"
                  >
                    {nets[i] === null ? "—" : formatEUR(nets[i]!)}
                  </output>
                </p>
                <div className="flex items-center justify-end gap-0.5">
                  <Button
                    variant="ghost"
                    size="icon"
                    className="size-8 text-muted-foreground"
                    onClick={() => onMove(i, -1)}
                    disabled={i === 0}
                    aria-label={`Position ${i + 1} nach oben`}
                  >
                    <ArrowUp aria-hidden="true" />
                  </Button>
                  <Button
                    variant="ghost"
                    size="icon"
                    className="size-8 text-muted-foreground lg:hidden"
                    onClick={() => onMove(i, 1)}
                    disabled={i === lines.length - 1}
                    aria-label={`Position ${i + 1} nach unten`}
                  >
                    <ArrowDown aria-hidden="true" />
                  </Button>
                  <Button
                    variant="ghost"
                    size="icon"
                    className="size-8 text-muted-foreground hover:text-destructive"
                    onClick={() => onRemove(i)}
                    disabled={lines.length === 1}
                    aria-label={`Position ${i + 1} entfernen`}
                  >
                    <Trash2 aria-hidden="true" />
                  </Button>
                </div>
              </div>
            </li>
          );
        })}
      </ol>
      <div>
        <Button variant="secondary" size="sm" onClick={onAdd}>
          <Plus aria-hidden="true" />
          Position hinzufügen
        </Button>
      </div>
    </div>
  );
}

function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="text-[13px] font-medium text-destructive">
      {message}
    </p>
  );
}
