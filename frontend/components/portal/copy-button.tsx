"use client";
import { Check, Copy } from "lucide-react";
import { useEffect, useState } from "react";

/**
 * Copies one value (IBAN, amount, Verwendungszweck). Typing an IBAN from a screen is
 * where transfers go wrong, so every value a customer must enter gets one.
 */
export function CopyButton({ value, label, copiedText, copyText }: { value: string; label: string; copiedText: string; copyText: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(t);
  }, [copied]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // Clipboard can be refused (http, old browser): select the value so Ctrl+C works.
      const el = document.querySelector<HTMLElement>(`[data-copy-source="${CSS.escape(value)}"]`);
      if (el) window.getSelection()?.selectAllChildren(el);
    }
  }

  return (
    <button
      type="button"
      onClick={copy}
      aria-label={label}
      className="no-print inline-flex size-8 shrink-0 items-center justify-center gap-1.5 rounded-md border border-input bg-card text-[13px] font-medium text-foreground hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring sm:w-auto sm:px-2.5"
    >
      {copied ? <Check aria-hidden="true" className="size-3.5 text-success" /> : <Copy aria-hidden="true" className="size-3.5 text-muted-foreground" />}
      {/* On a phone the icon alone leaves the IBAN room for one line; the aria-label names the button. */}
      <span aria-live="polite" className="sr-only sm:not-sr-only">
        {copied ? copiedText : copyText}
      </span>
    </button>
  );
}
