import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { EndpointDetail } from "@/components/webhooks/endpoint-detail";
import { load } from "@/lib/api/load";
import { serverApi } from "@/lib/api/server";

export const metadata: Metadata = { title: "Webhook-Endpunkt" };

export default async function WebhookPage({ params }: { params: Promise<{ id: string }> }) {
  const id = Number((await params).id);
  const api = await serverApi();
  const [endpoint, deliveries] = await Promise.all([
    load(api.GET("/api/webhooks/{webhook_id}", { params: { path: { webhook_id: id } } })),
    load(api.GET("/api/webhooks/{webhook_id}/deliveries", { params: { path: { webhook_id: id }, query: { limit: 50 } } })),
  ]);
  return (
    <>
      <nav aria-label="Brotkrumen" className="mb-2 text-sm text-muted-foreground">
        <Link href="/webhooks" className="hover:text-foreground hover:underline">
          Webhooks
        </Link>
      </nav>
      <PageHeader title="Endpunkt" />
      <EndpointDetail endpoint={endpoint} deliveries={deliveries} />
    </>
  );
}
