"use client";
import { FileText, MoreHorizontal, Pencil, Plus, Trash2 } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { toast } from "@/components/ui/toast";
import { api, ApiError, unwrap } from "@/lib/api/browser";
import type { Contact } from "@/lib/api/types";
import { countryName } from "@/lib/countries";
import { ContactDialog } from "./contact-dialog";

/** The "Neuer Kunde" button of the page header; opens the same dialog as the list. */
export function NewContactButton() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  return (
    <Button
      onClick={() => {
        const sp = new URLSearchParams(params.toString());
        sp.set("edit", "new");
        router.replace(`${pathname}?${sp.toString()}`, { scroll: false });
      }}
    >
      <Plus aria-hidden="true" />
      Neuer Kunde
    </Button>
  );
}

/**
 * The customer list with its dialogs. Which dialog is open lives in the URL (?edit=<id> or
 * ?edit=new, plus &field=email to focus a field), so the finalize check of an invoice can
 * link straight to "this customer's missing e-mail address".
 */
export function ContactsView({ items }: { items: Contact[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const editParam = params.get("edit");
  const focusField = params.get("field");
  const [editing, setEditing] = useState<Contact | null>(null);
  const [deleting, setDeleting] = useState<Contact | null>(null);

  useEffect(() => {
    if (!editParam || editParam === "new") {
      setEditing(null);
      return;
    }
    const id = Number(editParam);
    const here = items.find((c) => c.id === id);
    if (here) {
      setEditing(here);
      return;
    }
    // Not on this page of the list: fetch it.
    let stale = false;
    unwrap(api.GET("/api/contacts/{contact_id}", { params: { path: { contact_id: id } } }))
      .then((c) => !stale && setEditing(c))
      .catch(() => !stale && toast({ title: "Kunde nicht gefunden", tone: "error" }));
    return () => {
      stale = true;
    };
  }, [editParam, items]);

  function setEditParam(value: string | null) {
    const sp = new URLSearchParams(params.toString());
    if (value) sp.set("edit", value);
    else {
      sp.delete("edit");
      sp.delete("field");
    }
    const qs = sp.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  }

  const dialogOpen = editParam === "new" || (editParam !== null && editing !== null);

  return (
    <>
      {items.length ? (
        <div className="overflow-hidden rounded-lg border border-border bg-card shadow-sm">
          <table className="w-full border-collapse text-sm">
            <caption className="sr-only">Kunden</caption>
            <thead className="hidden border-b border-border bg-muted/40 sm:table-header-group">
              <tr>
                <th scope="col" className="h-9 px-4 text-left text-xs font-medium text-muted-foreground">
                  Name
                </th>
                <th scope="col" className="hidden h-9 px-3 text-left text-xs font-medium text-muted-foreground md:table-cell">
                  E-Mail
                </th>
                <th scope="col" className="hidden h-9 px-3 text-left text-xs font-medium text-muted-foreground lg:table-cell">
                  Ort
                </th>
                <th scope="col" className="h-9 w-12 px-3">
                  <span className="sr-only">Aktionen</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} data-testid="contact-row" className="border-b border-border last:border-0 hover:bg-muted/40">
                  <td className="px-4 py-3">
                    <button
                      type="button"
                      onClick={() => setEditParam(String(c.id))}
                      className="rounded-sm text-left font-medium text-foreground hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                    >
                      {c.name}
                    </button>
                    <p className="text-xs text-muted-foreground">
                      {[c.contact_name, c.customer_number ? `Kd.-Nr. ${c.customer_number}` : null, c.buyer_reference ? `Leitweg-ID/Ref. ${c.buyer_reference}` : null]
                        .filter(Boolean)
                        .join(" · ")}
                    </p>
                    <p className="text-xs text-muted-foreground md:hidden">{c.email}</p>
                  </td>
                  <td className="hidden px-3 py-3 text-muted-foreground md:table-cell">{c.email ?? "—"}</td>
                  <td className="hidden px-3 py-3 text-muted-foreground lg:table-cell">
                    {[c.postal_code, c.city].filter(Boolean).join(" ") || "—"}
                    {c.country_code !== "DE" ? <span>, {countryName(c.country_code)}</span> : null}
                  </td>
                  <td className="px-3 py-2 text-right">
                    <DropdownMenu>
                      <DropdownMenuTrigger asChild>
                        <Button variant="ghost" size="icon" aria-label={`Aktionen für ${c.name}`}>
                          <MoreHorizontal aria-hidden="true" />
                        </Button>
                      </DropdownMenuTrigger>
                      <DropdownMenuContent>
                        <DropdownMenuItem onSelect={() => setEditParam(String(c.id))}>
                          <Pencil aria-hidden="true" />
                          Bearbeiten
                        </DropdownMenuItem>
                        <DropdownMenuItem asChild>
                          <Link href={`/invoices/new?contact_id=${c.id}`}>
                            <Plus aria-hidden="true" />
                            Rechnung schreiben
                          </Link>
                        </DropdownMenuItem>
                        <DropdownMenuItem asChild>
                          <Link href={`/invoices?contact_id=${c.id}`}>
                            <FileText aria-hidden="true" />
                            Rechnungen ansehen
                          </Link>
                        </DropdownMenuItem>
                        <DropdownMenuSeparator />
                        <DropdownMenuItem onSelect={() => setDeleting(c)} className="text-destructive focus:text-destructive [&_svg]:text-destructive">
                          <Trash2 aria-hidden="true" />
                          Löschen
                        </DropdownMenuItem>
                      </DropdownMenuContent>
                    </DropdownMenu>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      <ContactDialog
        open={dialogOpen}
        onOpenChange={(o) => !o && setEditParam(null)}
        contact={editParam === "new" ? null : editing}
        focusField={focusField}
        onSaved={(c) => {
          toast({ title: editParam === "new" ? `${c.name} angelegt` : "Änderungen gespeichert", tone: "success" });
          router.refresh();
        }}
      />

      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title="Kunden löschen?"
        description={`${deleting?.name ?? ""} wird gelöscht. Kunden mit Rechnungen bleiben erhalten.`}
        confirmLabel="Kunden löschen"
        destructive
        onConfirm={async () => {
          if (!deleting) return;
          try {
            await unwrap(api.DELETE("/api/contacts/{contact_id}", { params: { path: { contact_id: deleting.id } } }));
            toast({ title: `${deleting.name} gelöscht`, tone: "success" });
            router.refresh();
          } catch (e) {
            // Retrying would not help (e.g. the customer has invoices): close and say why.
            toast({ title: "Nicht gelöscht", description: e instanceof ApiError ? e.message : undefined, tone: "error" });
          }
        }}
      />
    </>
  );
}
