"use client";
/**
 * The client for components running in the browser. It talks to our own origin; the
 * `/api/*` route handler forwards to the API with the bearer token from the httpOnly
 * session cookie. A 401 means the session is gone: go through /logout so the stale cookie
 * is cleared before the login page (otherwise the guard would bounce between the two).
 */
import { createApiClient } from "./client";

export const api = createApiClient({
  baseUrl: "",
  onUnauthorized() {
    const here = window.location.pathname + window.location.search;
    if (!here.startsWith("/login") && !here.startsWith("/register") && !here.startsWith("/portal")) {
      window.location.assign(`/logout?reason=expired&next=${encodeURIComponent(here)}`);
    }
  },
});

export { unwrap } from "./client";
export { ApiError } from "./errors";
