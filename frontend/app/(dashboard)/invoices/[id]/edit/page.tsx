import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { InvoiceEditor } from "@/components/invoices/invoice-editor";
import { PageHeader } from "@/components/shell/page-header";
import { CONTACTS_PRELOAD, load } from "@/lib/api/load";
import { serverApi } from "@/lib/api/server";

export const metadata: Metadata = { title: "Entwurf bearbeiten" };

export default async function EditInvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const id = Number((await params).id);
  const api = await serverApi();
  const invoice = await load(api.GET("/api/invoices/{invoice_id}", { params: { path: { invoice_id: id } } }));
  // Finalized invoices are immutable (GoBD): there is nothing to edit, show the invoice.
  if (invoice.status !== "draft") redirect(`/invoices/${id}`);
  const [organization, contacts, contact] = await Promise.all([
    load(api.GET("/api/organization")),
    load(api.GET("/api/contacts", { params: { query: { limit: CONTACTS_PRELOAD } } })),
    load(api.GET("/api/contacts/{contact_id}", { params: { path: { contact_id: invoice.contact_id } } })),
  ]);
  return (
    <>
      <nav aria-label="Brotkrumen" className="mb-2 text-sm text-muted-foreground">
        <Link href="/invoices" className="hover:text-foreground hover:underline">
          Rechnungen
        </Link>
        <span aria-hidden="true"> / </span>
        <Link href={`/invoices/${id}`} className="hover:text-foreground hover:underline">
          Entwurf
        </Link>
      </nav>
      <PageHeader title="Entwurf bearbeiten" />
      <InvoiceEditor
        organization={organization}
        contacts={contacts.items}
        contactsComplete={contacts.total <= contacts.items.length}
        invoice={invoice}
        initialContact={contact}
      />
    </>
  );
}
