import type { Metadata } from "next";
import Link from "next/link";
import { RecurringEditor } from "@/components/recurring/recurring-editor";
import { PageHeader } from "@/components/shell/page-header";
import { CONTACTS_PRELOAD, load } from "@/lib/api/load";
import { serverApi } from "@/lib/api/server";

export const metadata: Metadata = { title: "Vorlage bearbeiten" };

export default async function EditRecurringPage({ params }: { params: Promise<{ id: string }> }) {
  const id = Number((await params).id);
  const api = await serverApi();
  const template = await load(api.GET("/api/recurring/{template_id}", { params: { path: { template_id: id } } }));
  const [organization, contacts, contact] = await Promise.all([
    load(api.GET("/api/organization")),
    load(api.GET("/api/contacts", { params: { query: { limit: CONTACTS_PRELOAD } } })),
    load(api.GET("/api/contacts/{contact_id}", { params: { path: { contact_id: template.contact_id } } })),
  ]);
  return (
    <>
      <nav aria-label="Brotkrumen" className="mb-2 text-sm text-muted-foreground">
        <Link href="/recurring" className="hover:text-foreground hover:underline">
          Wiederkehrende Rechnungen
        </Link>
        <span aria-hidden="true"> / </span>
        <Link href={`/recurring/${id}`} className="hover:text-foreground hover:underline">
          {template.name}
        </Link>
      </nav>
      <PageHeader title="Vorlage bearbeiten" description="Änderungen gelten für die nächsten Rechnungen; erzeugte Rechnungen bleiben, wie sie sind." />
      <RecurringEditor
        organization={organization}
        contacts={contacts.items}
        contactsComplete={contacts.total <= contacts.items.length}
        template={template}
        initialContact={contact}
      />
    </>
  );
}
