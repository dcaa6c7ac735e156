import { Webhook } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Webhooks" };

// TODO(api): endpoints (POST /api/webhooks, secret shown once), deliveries log, redeliver.
export default function Page() {
  return (
    <>
      <PageHeader title="Webhooks" description="Benachrichtigen Sie andere Systeme, wenn Rechnungen erstellt, versendet oder bezahlt werden." />
      <EmptyState icon={<Webhook />} title="Noch keine Webhooks" description="Ein Endpunkt erhält signierte Ereignisse nach dem Standard-Webhooks-Verfahren." />
    </>
  );
}
