import { Users } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Kunden" };

// TODO(api): list and create/edit (GET/POST /api/contacts).
export default function Page() {
  return (
    <>
      <PageHeader title="Kunden" description="Ihre Kunden mit Adresse, E-Mail und Leitweg-ID." />
      <EmptyState icon={<Users />} title="Noch keine Kunden" description="Legen Sie Ihren ersten Kunden an, um ihm eine Rechnung zu schreiben." />
    </>
  );
}
