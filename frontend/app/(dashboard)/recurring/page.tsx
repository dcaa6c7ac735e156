import { Repeat } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Wiederkehrende Rechnungen" };

// TODO(api): templates with next_due (GET/POST /api/recurring), pause/resume, generated invoices.
export default function Page() {
  return (
    <>
      <PageHeader title="Wiederkehrende Rechnungen" description="Vorlagen, die regelmäßig von selbst eine Rechnung erzeugen." />
      <EmptyState icon={<Repeat />} title="Noch keine Vorlagen" description="Für Wartungsverträge, Hosting oder Miete: einmal anlegen, RechnungsWerk erzeugt die Rechnung zum nächsten Termin." />
    </>
  );
}
