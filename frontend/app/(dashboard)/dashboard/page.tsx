import { Building2, FileText, Send, Users } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Übersicht" };

// TODO(api): the figures (GET invoices aggregated: open, overdue, paid this month) and the
// recent invoices/payments once the invoices API exists.
const KPIS = [
  { label: "Offen", hint: "Summe aller offenen Rechnungen" },
  { label: "Überfällig", hint: "Fälligkeitsdatum überschritten" },
  { label: "Bezahlt diesen Monat", hint: "Zahlungseingänge seit dem 1." },
];

const STEPS = [
  { icon: Building2, title: "Firmendaten und Bankverbindung", text: "Adresse, Steuernummer oder USt-IdNr. und IBAN – Pflichtangaben jeder Rechnung.", href: "/settings" },
  { icon: Users, title: "Ersten Kunden anlegen", text: "Mit Adresse und E-Mail; für Behörden mit Leitweg-ID.", href: "/contacts" },
  { icon: FileText, title: "Rechnung schreiben", text: "Positionen, Steuersätze – Summen rechnet RechnungsWerk nach EN 16931.", href: "/invoices" },
  { icon: Send, title: "Per E-Mail senden", text: "Ihr Kunde öffnet die Rechnung im Portal, lädt PDF und XML und bestätigt die Zahlung.", href: "/invoices" },
];

export default function DashboardPage() {
  return (
    <>
      <PageHeader title="Übersicht" description="Was offen ist, was überfällig ist und was gerade bezahlt wurde." />
      <div className="grid gap-4 sm:grid-cols-3">
        {KPIS.map((k) => (
          <Card key={k.label}>
            <CardHeader className="gap-2">
              <CardDescription>{k.label}</CardDescription>
              <p className="tabular text-2xl font-semibold tracking-tight text-muted-foreground/70" aria-label={`${k.label}: noch keine Daten`}>
                —
              </p>
              <p className="text-xs text-muted-foreground">{k.hint}</p>
            </CardHeader>
          </Card>
        ))}
      </div>

      <div className="mt-6 grid gap-6 lg:grid-cols-[1fr_22rem]">
        <Card>
          <CardHeader>
            <CardTitle>Letzte Rechnungen</CardTitle>
          </CardHeader>
          <CardContent>
            <EmptyState
              icon={<FileText />}
              title="Noch keine Rechnungen"
              description="Sobald Sie Rechnungen schreiben, sehen Sie hier Status und Zahlungseingang auf einen Blick."
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Erste Schritte</CardTitle>
            <CardDescription>In vier Schritten zur ersten bezahlten E-Rechnung.</CardDescription>
          </CardHeader>
          <CardContent>
            <ol className="grid gap-1">
              {STEPS.map(({ icon: Icon, title, text, href }, i) => (
                <li key={title}>
                  <Link
                    href={href}
                    className="flex gap-3 rounded-md p-2 hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                  >
                    <span aria-hidden="true" className="flex size-8 shrink-0 items-center justify-center rounded-full bg-accent text-accent-foreground">
                      <Icon className="size-4" />
                    </span>
                    <span className="grid gap-0.5">
                      <span className="text-sm font-medium">
                        <span className="sr-only">Schritt {i + 1}: </span>
                        {title}
                      </span>
                      <span className="text-xs text-muted-foreground">{text}</span>
                    </span>
                  </Link>
                </li>
              ))}
            </ol>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
