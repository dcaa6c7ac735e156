import { FileText } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Rechnungen" };

// TODO(api): list (GET /api/invoices) with status/payment badges, search, filters; /invoices/new and /invoices/[id].
export default function Page() {
  return (
    <>
      <PageHeader title="Rechnungen" description="Alle Rechnungen mit Status und Zahlungseingang." />
      <EmptyState icon={<FileText />} title="Noch keine Rechnungen" description="Hier erscheinen Ihre Rechnungen – vom Entwurf bis „Bezahlt“." />
    </>
  );
}
