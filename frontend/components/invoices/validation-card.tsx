"use client";
import { CircleCheck, CircleX, Loader2, RefreshCw } from "lucide-react";
import { useCallback, useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { api, ApiError, unwrap } from "@/lib/api/browser";
import type { SyntaxReport, ValidationResult } from "@/lib/api/types";
import { MissingFields } from "./missing-fields";

const SYNTAX: { key: "ubl" | "cii" | "facturx"; label: string; hint: string }[] = [
  { key: "ubl", label: "XRechnung (UBL)", hint: "UBL 2.1 – XSD, EN 16931, KoSIT XRechnung" },
  { key: "cii", label: "XRechnung (CII)", hint: "UN/CEFACT CII – XSD, EN 16931, KoSIT XRechnung" },
  { key: "facturx", label: "ZUGFeRD-PDF", hint: "Factur-X EN 16931 (eingebettetes CII)" },
];

type State = { kind: "loading" } | { kind: "done"; result: ValidationResult } | { kind: "error"; message: string };

/**
 * The official rules, run by the backend on this invoice: a badge "gültige XRechnung" (or
 * not), per syntax the count of errors and warnings, and every finding. Loaded after the page,
 * because the validators take a moment and the rest of the page should not wait for them.
 */
export function ValidationCard({ invoiceId, contactId, isDraft }: { invoiceId: number; contactId: number; isDraft: boolean }) {
  const [state, setState] = useState<State>({ kind: "loading" });

  const run = useCallback(async () => {
    setState({ kind: "loading" });
    try {
      const result = await unwrap(api.GET("/api/invoices/{invoice_id}/validation", { params: { path: { invoice_id: invoiceId } } }));
      setState({ kind: "done", result });
    } catch (e) {
      setState({ kind: "error", message: e instanceof ApiError ? e.message : "Die Prüfung ist fehlgeschlagen." });
    }
  }, [invoiceId]);

  useEffect(() => {
    void run();
  }, [run]);

  return (
    <section aria-labelledby="validation-title" className="grid gap-3" data-testid="validation">
      <div className="flex items-center justify-between gap-2">
        <h2 id="validation-title" className="text-sm font-semibold">
          {isDraft ? "E-Rechnungs-Prüfung (Vorschau)" : "E-Rechnungs-Prüfung"}
        </h2>
        {state.kind !== "loading" ? (
          <Button variant="ghost" size="sm" className="h-7 px-2 text-muted-foreground" onClick={() => void run()} aria-label="Erneut prüfen">
            <RefreshCw aria-hidden="true" className="size-3.5" />
          </Button>
        ) : null}
      </div>
      <div aria-live="polite" aria-busy={state.kind === "loading"}>
        {state.kind === "loading" ? (
          <p className="flex items-center gap-2 text-sm text-muted-foreground">
            <Loader2 aria-hidden="true" className="size-4 animate-spin" />
            Wird nach den offiziellen Regeln geprüft …
          </p>
        ) : state.kind === "error" ? (
          <p className="text-sm text-destructive">{state.message}</p>
        ) : (
          <Result result={state.result} invoiceId={invoiceId} contactId={contactId} isDraft={isDraft} />
        )}
      </div>
    </section>
  );
}

function Result({ result, invoiceId, contactId, isDraft }: { result: ValidationResult; invoiceId: number; contactId: number; isDraft: boolean }) {
  return (
    <div className="grid gap-3">
      <div>
        <Badge tone={result.valid ? "success" : "danger"} data-testid="validation-badge" className="text-[13px]">
          {result.valid ? <CircleCheck aria-hidden="true" className="size-3.5" /> : <CircleX aria-hidden="true" className="size-3.5" />}
          {result.label}
        </Badge>
        {isDraft && result.valid ? <p className="mt-1.5 text-xs text-muted-foreground">So, wie der Entwurf jetzt ist, wäre er beim Festschreiben gültig.</p> : null}
      </div>
      {result.missing.length ? (
        <MissingFields
          items={result.missing}
          invoiceId={invoiceId}
          contactId={contactId}
          id="validation-missing"
          title="Es fehlen Angaben"
          compact
        />
      ) : null}
      <ul className="grid gap-2">
        {SYNTAX.map((s) => (
          <SyntaxRow key={s.key} label={s.label} hint={s.hint} report={result[s.key]} />
        ))}
      </ul>
    </div>
  );
}

function SyntaxRow({ label, hint, report }: { label: string; hint: string; report: SyntaxReport }) {
  const summary = report.valid
    ? report.warnings
      ? `gültig, ${report.warnings} ${report.warnings === 1 ? "Hinweis" : "Hinweise"}`
      : "gültig"
    : `${report.errors} ${report.errors === 1 ? "Fehler" : "Fehler"}${report.warnings ? `, ${report.warnings} ${report.warnings === 1 ? "Hinweis" : "Hinweise"}` : ""}`;
  return (
    <li className="rounded-md border border-border px-3 py-2 text-sm">
      <div className="flex flex-wrap items-baseline justify-between gap-x-2">
        <span className="font-medium" title={hint}>
          {label}
        </span>
        <span className={report.valid ? "text-success" : "font-medium text-destructive"}>{summary}</span>
      </div>
      {report.findings.length ? (
        <details className="mt-1.5">
          <summary className="cursor-pointer text-xs text-muted-foreground hover:text-foreground">
            {report.findings.length} {report.findings.length === 1 ? "Befund" : "Befunde"} anzeigen
          </summary>
          <ul className="mt-2 grid gap-2">
            {report.findings.map((f, i) => (
              <li key={i} className="text-xs">
                <span className={f.severity === "warning" || f.severity === "info" ? "font-medium text-warning" : "font-medium text-destructive"}>
                  {f.rule_id ?? f.severity}
                </span>{" "}
                <span className="text-foreground/80">{f.message}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </li>
  );
}
