"use client";
import { Check, Copy } from "lucide-react";
import { useEffect, useState } from "react";

/**
 * Copies one value (IBAN, amount, Verwendungszweck). Typing an IBAN from a screen is
 * where transfers go wrong, so every value a customer must enter gets one.
 */
export function CopyButton({ value, label, copiedText }: { value: string; label: string; copiedText: string }) {
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
      title={copied ? copiedText : label}
      className="no-print inline-flex size-8 shrink-0 items-center justify-center rounded-md border border-input bg-card text-foreground hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
    >
      {copied ? <Check aria-hidden="true" className="size-4 text-success" /> : <Copy aria-hidden="true" className="size-4 text-muted-foreground" />}
      {/* Icon only, so the IBAN keeps one line beside it; the aria-label names the button and
          the live region tells screen-reader users that it worked. */}
      <span aria-live="polite" className="sr-only">
        {copied ? copiedText : ""}
      </span>
    </button>
  );
}
