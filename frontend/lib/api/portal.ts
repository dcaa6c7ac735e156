/**
 * Loads what the portal page shows, on the server. Each way a link can fail becomes its own
 * state, because each needs its own words for the customer (ui.md: "never a stack trace or
 * a blank page").
 */
import { unwrap } from "./client";
import { ApiError } from "./errors";
import { publicServerApi } from "./server";
import type { PortalInvoice } from "./types";

export type PortalResult =
  | { kind: "ok"; invoice: PortalInvoice }
  | { kind: "not_found" }
  | { kind: "expired" }
  | { kind: "rate_limited"; retryAfter: number | null }
  | { kind: "error" };

/** Tokens are UUIDs; anything else cannot exist and need not cost the API a request. */
const TOKEN_RE = /^[A-Za-z0-9_-]{8,64}$/;

export async function loadPortal(token: string): Promise<PortalResult> {
  if (!TOKEN_RE.test(token)) return { kind: "not_found" };
  const api = await publicServerApi();
  try {
    const invoice = await unwrap(api.GET("/api/portal/{token}", { params: { path: { token } } }));
    return { kind: "ok", invoice };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 404) return { kind: "not_found" };
    // The API's own message is German; the page has its words in both languages.
    if (e.status === 422) return { kind: "expired" };
    if (e.status === 429) return { kind: "rate_limited", retryAfter: e.retryAfter };
    console.error(`portal: API answered ${e.status} (${e.code})`);
    return { kind: "error" };
  }
}
