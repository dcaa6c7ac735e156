import type { Metadata } from "next";
import Link from "next/link";
import { RecurringEditor } from "@/components/recurring/recurring-editor";
import { PageHeader } from "@/components/shell/page-header";
import { CONTACTS_PRELOAD, load } from "@/lib/api/load";
import { serverApi } from "@/lib/api/server";

export const metadata: Metadata = { title: "Neue wiederkehrende Rechnung" };

export default async function NewRecurringPage() {
  const api = await serverApi();
  const [organization, contacts] = await Promise.all([
    load(api.GET("/api/organization")),
    load(api.GET("/api/contacts", { params: { query: { limit: CONTACTS_PRELOAD } } })),
  ]);
  return (
    <>
      <nav aria-label="Brotkrumen" className="mb-2 text-sm text-muted-foreground">
        <Link href="/recurring" className="hover:text-foreground hover:underline">
          Wiederkehrende Rechnungen
        </Link>
      </nav>
      <PageHeader title="Neue Vorlage" description="Einmal anlegen – die Rechnungen entstehen zu jedem Termin von selbst." />
      <RecurringEditor organization={organization} contacts={contacts.items} contactsComplete={contacts.total <= contacts.items.length} template={null} initialContact={null} />
    </>
  );
}
