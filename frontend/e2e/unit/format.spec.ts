// Pure functions, run by the Playwright runner without a browser (no page fixture used).
import { expect, test } from "@playwright/test";
import { apiErrorFrom } from "../../lib/api/errors";
import { formatDate, formatDecimal, formatEUR, formatIBAN, formatPercent } from "../../lib/format";
import { negotiateLocale } from "../../lib/i18n/portal";
import { displayStatus } from "../../lib/invoice-status";

const NBSP = "\u00a0";

test("formatEUR formats the API's decimal strings exactly", () => {
  expect(formatEUR("119.00")).toBe(`119,00${NBSP}€`);
  expect(formatEUR("1234.56")).toBe(`1.234,56${NBSP}€`);
  expect(formatEUR("0.1")).toBe(`0,10${NBSP}€`);
  expect(formatEUR("-0.00")).toBe(`0,00${NBSP}€`);
  expect(formatEUR("0.005")).toBe(`0,01${NBSP}€`); // half away from zero, no float artefact
  expect(formatEUR("1.005")).toBe(`1,01${NBSP}€`); // 1.005 as a float would round to 1,00
  expect(formatEUR("90071992547409.99")).toBe(`90.071.992.547.409,99${NBSP}€`);
  expect(formatEUR("1234.5", "en")).toBe("€1,234.50");
  expect(() => formatEUR("12,50")).toThrow();
});

test("formatDate keeps calendar dates and shows timestamps in Berlin", () => {
  expect(formatDate("2026-11-26")).toBe("26.11.2026");
  expect(formatDate("2026-11-26", "en")).toBe("26 November 2026");
  expect(formatDate("2026-11-26T23:30:00Z")).toBe("27.11.2026"); // already the 27th in Berlin
});

test("quantities, rates and IBANs", () => {
  expect(formatDecimal("1.5000")).toBe("1,5");
  expect(formatDecimal("14250")).toBe("14.250");
  expect(formatPercent("19.00")).toBe(`19${NBSP}%`);
  expect(formatIBAN("DE02120300000000202051")).toBe("DE02 1203 0000 0000 2020 51");
});

test("display status follows ui.md", () => {
  const today = "2026-11-26";
  expect(displayStatus({ status: "draft" }, today)).toBe("draft");
  expect(displayStatus({ status: "open", due_date: "2026-11-26" }, today)).toBe("open");
  expect(displayStatus({ status: "open", due_date: "2026-11-25" }, today)).toBe("overdue");
  expect(displayStatus({ status: "open", payment_status: "paid", due_date: "2026-01-01" }, today)).toBe("paid");
  expect(displayStatus({ status: "cancelled", payment_status: "paid" }, today)).toBe("cancelled");
});

test("API errors carry messages per field, in both error shapes", () => {
  const ours = apiErrorFrom(422, { detail: "Bitte prüfen", code: "validation_error", errors: [{ field: "email", message: "vergeben" }] });
  expect(ours.message).toBe("Bitte prüfen");
  expect(ours.field("email")).toBe("vergeben");
  const fastapi = apiErrorFrom(422, { detail: [{ loc: ["body", "lines", 0, "quantity"], msg: "must be > 0", type: "x" }] });
  expect(fastapi.field("lines.0.quantity")).toBe("must be > 0");
  const limited = apiErrorFrom(429, null, new Headers({ "retry-after": "42" }));
  expect(limited.retryAfter).toBe(42);
});

test("portal language negotiation", () => {
  expect(negotiateLocale(undefined, "en-US,en;q=0.9,de;q=0.8")).toBe("en");
  expect(negotiateLocale(undefined, "fr-FR,de;q=0.5,en;q=0.3")).toBe("de");
  expect(negotiateLocale("en", "de-DE")).toBe("en");
  expect(negotiateLocale(undefined, null)).toBe("de");
});
