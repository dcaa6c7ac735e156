import { SearchX, Users } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { ContactsView, NewContactButton } from "@/components/contacts/contacts-view";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { load, param, type SearchParams } from "@/lib/api/load";
import { serverApi } from "@/lib/api/server";

export const metadata: Metadata = { title: "Kunden" };

const PAGE_SIZE = 50;

export default async function ContactsPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const q = param(sp.q)?.trim() || undefined;
  const offset = Math.max(0, Number(param(sp.offset)) || 0);
  const api = await serverApi();
  const page = await load(api.GET("/api/contacts", { params: { query: { q, limit: PAGE_SIZE, offset } } }));

  const href = (o: number) => {
    const out = new URLSearchParams();
    if (q) out.set("q", q);
    if (o) out.set("offset", String(o));
    const qs = out.toString();
    return qs ? `/contacts?${qs}` : "/contacts";
  };

  return (
    <>
      <PageHeader title="Kunden" description="Ihre Kunden mit Anschrift, E-Mail und Leitweg-ID." actions={<NewContactButton />} />
      {page.total > 0 || q ? (
        <div className="mb-4">
          <SearchInput label="Kunden durchsuchen" placeholder="Name, E-Mail oder Kundennummer" />
        </div>
      ) : null}
      <ContactsView items={page.items} />
      {page.items.length ? (
        <Pagination total={page.total} limit={page.limit} offset={page.offset} href={href} label="Seiten der Kundenliste" />
      ) : q ? (
        <EmptyState
          icon={<SearchX />}
          title="Kein Kunde gefunden"
          description={`Kein Kunde passt zu „${q}“.`}
          action={
            <Button asChild variant="secondary">
              <Link href="/contacts">Alle Kunden zeigen</Link>
            </Button>
          }
        />
      ) : (
        <EmptyState
          icon={<Users />}
          title="Noch keine Kunden"
          description="Legen Sie Ihren ersten Kunden an, um ihm eine Rechnung zu schreiben."
          action={<NewContactButton />}
        />
      )}
    </>
  );
}
