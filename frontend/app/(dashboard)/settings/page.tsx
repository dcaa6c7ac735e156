import { Settings } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Einstellungen" };

// TODO(api): seller data form (PATCH /api/organization), logo upload, number format.
export default function Page() {
  return (
    <>
      <PageHeader title="Einstellungen" description="Firmendaten, Bankverbindung und Rechnungsnummern." />
      <EmptyState icon={<Settings />} title="Firmendaten folgen hier" description="Adresse, Steuernummer, USt-IdNr., Bankverbindung, Logo und Kleinunternehmer-Regelung." />
    </>
  );
}
