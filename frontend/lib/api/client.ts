/**
 * The typed API client (openapi-fetch over the generated `schema.d.ts`).
 *
 * Usage:
 *   const me = await unwrap(api.GET("/api/auth/me"));
 * `unwrap` returns the typed body or throws one `ApiError` (HTTP error or network failure),
 * so callers handle failure in one `catch` instead of checking `error` at every call site.
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";
import { ApiError, apiErrorFrom, networkError } from "./errors";
import type { paths } from "./schema";

export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  /** "" in the browser (same origin, through the `/api/*` proxy); the API origin on the server. */
  baseUrl: string;
  /** Bearer token; the browser never has one (the proxy adds it from the session cookie). */
  token?: string | null;
  /** Extra headers on every request, e.g. forwarded client headers on the server. */
  headers?: Record<string, string>;
  onUnauthorized?: () => void;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    headers: options.headers,
    // API answers are per user and change underneath us; never let Next or the browser cache them.
    cache: "no-store",
  });
  const auth: Middleware = {
    onRequest({ request }) {
      if (options.token) request.headers.set("Authorization", `Bearer ${options.token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) options.onUnauthorized?.();
      return response;
    },
  };
  client.use(auth);
  return client;
}

type Outcome<D> = { data?: D; error?: unknown; response: Response };

/** The body of a successful call, or an `ApiError`. */
export async function unwrap<D>(call: Promise<Outcome<D>>): Promise<D> {
  let outcome: Outcome<D>;
  try {
    outcome = await call;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw networkError(e);
  }
  const { data, error, response } = outcome;
  if (!response.ok) throw apiErrorFrom(response.status, error, response.headers);
  return data as D;
}
