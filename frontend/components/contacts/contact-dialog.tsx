"use client";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import type { Contact } from "@/lib/api/types";
import { ContactForm } from "./contact-form";

export function ContactDialog({
  open,
  onOpenChange,
  contact,
  onSaved,
  focusField,
  defaultName,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  contact?: Contact | null;
  onSaved: (contact: Contact) => void;
  focusField?: string | null;
  defaultName?: string;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-2xl">
        <DialogHeader>
          <DialogTitle>{contact ? "Kunde bearbeiten" : "Neuer Kunde"}</DialogTitle>
          <DialogDescription>
            Name, Anschrift und E-Mail-Adresse genügen für eine gültige E-Rechnung; Behörden brauchen zusätzlich ihre Leitweg-ID.
          </DialogDescription>
        </DialogHeader>
        {open ? (
          <ContactForm
            key={contact?.id ?? "new"}
            contact={contact}
            focusField={focusField}
            defaultName={defaultName}
            onCancel={() => onOpenChange(false)}
            onSaved={(c) => {
              onSaved(c);
              onOpenChange(false);
            }}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
