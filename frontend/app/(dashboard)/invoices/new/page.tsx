import type { Metadata } from "next";
import Link from "next/link";
import { InvoiceEditor } from "@/components/invoices/invoice-editor";
import { PageHeader } from "@/components/shell/page-header";
import { CONTACTS_PRELOAD, load, param, type SearchParams } from "@/lib/api/load";
import { serverApi } from "@/lib/api/server";

export const metadata: Metadata = { title: "Neue Rechnung" };

export default async function NewInvoicePage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const contactId = Number(param(sp.contact_id)) || null;
  const api = await serverApi();
  const [organization, contacts] = await Promise.all([
    load(api.GET("/api/organization")),
    load(api.GET("/api/contacts", { params: { query: { limit: CONTACTS_PRELOAD } } })),
  ]);
  let initial = contactId ? (contacts.items.find((c) => c.id === contactId) ?? null) : null;
  if (contactId && !initial) {
    const res = await api.GET("/api/contacts/{contact_id}", { params: { path: { contact_id: contactId } } });
    initial = res.data ?? null;
  }
  return (
    <>
      <nav aria-label="Brotkrumen" className="mb-2 text-sm text-muted-foreground">
        <Link href="/invoices" className="hover:text-foreground hover:underline">
          Rechnungen
        </Link>
      </nav>
      <PageHeader title="Neue Rechnung" description="Erst als Entwurf gespeichert; festgeschrieben wird, wenn alles stimmt." />
      <InvoiceEditor
        organization={organization}
        contacts={contacts.items}
        contactsComplete={contacts.total <= contacts.items.length}
        invoice={null}
        initialContact={initial}
      />
    </>
  );
}
