"use client";
import { useEffect } from "react";

/**
 * Arriving at /settings#iban (from "IBAN fehlt" on an invoice) should land in that field:
 * scroll it into view, focus it and mark it briefly, so the seller sees where to type.
 */
export function useFocusFromHash() {
  useEffect(() => {
    const id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    const el = document.getElementById(id);
    if (!el) return;
    el.scrollIntoView({ block: "center" });
    el.focus({ preventScroll: true });
    el.setAttribute("data-highlight", "true");
    const t = setTimeout(() => el.removeAttribute("data-highlight"), 2500);
    return () => clearTimeout(t);
  }, []);
}
