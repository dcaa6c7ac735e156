/** Where the Next.js server finds the API. Read at request time, so one build runs anywhere. */
export function apiOrigin(): string {
  return (process.env.API_URL || "http://127.0.0.1:8000").replace(/\/+$/, "");
}

/**
 * The session cookie holds the API's bearer token. It is httpOnly: page scripts never see
 * the token, so an injected script cannot steal it; the `/api/*` proxy and server
 * components turn it into the `Authorization` header.
 */
export const SESSION_COOKIE = "rw_session";

/** Used when the API does not say how long its token lives. */
export const DEFAULT_SESSION_SECONDS = 7 * 24 * 60 * 60;
