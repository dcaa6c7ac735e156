/**
 * The client for server components and route handlers: straight to the API (no hop through
 * our own proxy), with the bearer token from the session cookie.
 */
import { cookies, headers } from "next/headers";
import { createApiClient, type ApiClient } from "./client";
import { apiOrigin, SESSION_COOKIE } from "./config";

export async function sessionToken(): Promise<string | null> {
  return (await cookies()).get(SESSION_COOKIE)?.value ?? null;
}

/**
 * Headers that let the API see the real client (the portal's access log records a
 * truncated IP and the user agent; the portal answers in the customer's language).
 * The API should trust X-Forwarded-For only from this server's address.
 */
export async function forwardedClientHeaders(): Promise<Record<string, string>> {
  const h = await headers();
  const out: Record<string, string> = {};
  for (const name of ["x-forwarded-for", "user-agent", "accept-language"]) {
    const v = h.get(name);
    if (v) out[name] = v;
  }
  return out;
}

export async function serverApi(): Promise<ApiClient> {
  return createApiClient({
    baseUrl: apiOrigin(),
    token: await sessionToken(),
    headers: await forwardedClientHeaders(),
  });
}

/** For public endpoints (portal): no session token is ever sent along. */
export async function publicServerApi(): Promise<ApiClient> {
  return createApiClient({ baseUrl: apiOrigin(), headers: await forwardedClientHeaders() });
}
