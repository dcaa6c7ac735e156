import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { WebhooksView } from "@/components/webhooks/webhooks-view";
import { load } from "@/lib/api/load";
import { serverApi } from "@/lib/api/server";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const api = await serverApi();
  const endpoints = await load(api.GET("/api/webhooks"));
  return (
    <>
      <PageHeader title="Webhooks" description="Benachrichtigen Sie andere Systeme, wenn Rechnungen erstellt, versendet oder bezahlt werden." />
      <WebhooksView endpoints={endpoints} />
    </>
  );
}
