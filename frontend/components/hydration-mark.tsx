"use client";
import { useEffect } from "react";

/**
 * Marks the document once React has hydrated it (`<html data-hydrated>`). A click that lands
 * before hydration hits a button without its handler and does nothing; the e2e helpers wait
 * for this mark after every full page load, instead of sleeping and hoping.
 */
export function HydrationMark() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return null;
}
