"use client";
import { useState } from "react";
import { ApiError } from "@/lib/api/errors";

/**
 * Submit state for API-backed forms: pending flag, a form-level message and messages per
 * field from the API's `errors: [{field, message}]`.
 */
export function useApiSubmit() {
  const [pending, setPending] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  async function run(action: () => Promise<void>) {
    setPending(true);
    setFormError(null);
    setFieldErrors({});
    try {
      await action();
    } catch (e) {
      if (e instanceof ApiError) {
        setFieldErrors(e.fieldErrors);
        // With messages at the fields, the summary only needs to point at them.
        setFormError(Object.keys(e.fieldErrors).length ? "Bitte prüfen Sie die markierten Felder." : e.message);
      } else {
        setFormError("Etwas ist schiefgegangen. Bitte versuchen Sie es noch einmal.");
      }
      setPending(false);
    }
  }

  return { pending, formError, fieldErrors, run, clearField: (name: string) => setFieldErrors(({ [name]: _, ...rest }) => rest) };
}
