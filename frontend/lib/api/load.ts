/**
 * Loading API data in server components: the typed body, or the page the failure calls for.
 * A 401 ends the session (through /logout, which clears the stale cookie), a 404 renders
 * the not-found page; anything else reaches the nearest error boundary.
 */
import { notFound, redirect } from "next/navigation";
import { unwrap } from "./client";
import { ApiError } from "./errors";

type Outcome<D> = { data?: D; error?: unknown; response: Response };

export async function load<D>(call: Promise<Outcome<D>>): Promise<D> {
  try {
    return await unwrap(call);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) redirect("/logout?reason=expired");
    if (e instanceof ApiError && e.status === 404) notFound();
    throw e;
  }
}

/** First value of a search parameter. */
export function param(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Customers loaded with an editor page; beyond that many the picker asks the API as you type. */
export const CONTACTS_PRELOAD = 200;
