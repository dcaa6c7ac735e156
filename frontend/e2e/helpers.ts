import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";
import type { Contact, ContactCreate, Invoice, InvoiceCreate, Organization, OrganizationUpdate } from "../lib/api/types";
import { runBackendScript } from "./unit/backend";

/**
 * Waits until React has hydrated the page (components/hydration-mark.tsx). Playwright waits
 * for an element to be visible and enabled, not for its handler: on a loaded machine a click
 * right after `goto` can land on server-rendered HTML that does nothing yet.
 */
export async function waitHydrated(page: Page) {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached", timeout: 30_000 });
}

/** `test` whose page waits for hydration after every `goto` and `reload` of an HTML page. */
export const test = base.extend({
  page: async ({ page }, use) => {
    const goto = page.goto.bind(page);
    const reload = page.reload.bind(page);
    const settle = async (res: Awaited<ReturnType<Page["goto"]>>) => {
      if (res && (res.headers()["content-type"] ?? "").includes("text/html")) await waitHydrated(page);
      return res;
    };
    page.goto = async (url, options) => settle(await goto(url, options));
    page.reload = async (options) => settle(await reload(options));
    await use(page);
  },
});

/** Fails with the list of serious and critical axe findings, if any. */
export async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join("\n  ")}`);
  expect(report, report.join("\n")).toEqual([]);
}

/** True when the page is wider than the viewport, i.e. the user would scroll sideways. */
export async function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

/** Fails naming the elements that stick out on the right, if the page scrolls sideways. */
export async function expectNoHorizontalScroll(page: Page, label = page.url()) {
  const offenders = await page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= vw + 1) return [];
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > vw + 1) out.push(`<${el.tagName.toLowerCase()} class="${(el.getAttribute("class") ?? "").slice(0, 90)}"> right=${Math.round(r.right)}`);
    }
    return [`page ${document.documentElement.scrollWidth}px wide in a ${vw}px viewport`, ...out.slice(0, 6)];
  });
  expect(offenders, `${label} scrolls sideways:\n${offenders.join("\n")}`).toEqual([]);
}

export const NBSP = "\u00a0";
/** "1.234,56 €" as Intl formats it (with a no-break space). */
export const eur = (s: string) => `${s}${NBSP}€`;

// ---- the real stack: shortcuts through the web app's own /api proxy --------------------------
// Tests that are about one page set up the rest through the API (fast, and the page under
// test is still driven by the browser). `page.request` shares the browser context's cookies,
// so registering through it signs the page in exactly as the registration form would.

export interface Account {
  email: string;
  password: string;
  fullName: string;
  organization: string;
}

let counter = 0;
export function uniqueEmail(prefix = "e2e"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 7)}@e2e.example`;
}

async function ok<T>(res: Awaited<ReturnType<APIRequestContext["get"]>>, what: string): Promise<T> {
  if (!res.ok()) throw new Error(`${what}: HTTP ${res.status()} ${await res.text()}`);
  return (res.status() === 204 ? undefined : await res.json()) as T;
}

export async function registerViaApi(page: Page, overrides: Partial<Account> = {}): Promise<Account> {
  const account: Account = {
    email: uniqueEmail(),
    password: "sicheres-passwort-1",
    fullName: "Anna Mustermann",
    organization: "Mustermann Webdesign GmbH",
    ...overrides,
  };
  await ok(
    await page.request.post("/api/auth/register", {
      data: { email: account.email, password: account.password, full_name: account.fullName, organization_name: account.organization },
    }),
    "register",
  );
  return account;
}

/** Seller data that satisfies every XRechnung rule (BR-DE-*), so invoices can be finalized. */
export const COMPLETE_SELLER: OrganizationUpdate = {
  street: "Kastanienallee 12",
  postal_code: "10435",
  city: "Berlin",
  country_code: "DE",
  vat_id: "DE123456788",
  contact_name: "Anna Mustermann",
  phone: "+49 30 1234567",
  email: "rechnung@mustermann-webdesign.de",
  iban: "DE02120300000000202051",
  bic: "BYLADEM1001",
  bank_name: "Deutsche Kreditbank Berlin",
};

export async function updateOrganization(page: Page, body: OrganizationUpdate): Promise<Organization> {
  return ok(await page.request.patch("/api/organization", { data: body }), "PATCH /api/organization");
}

export const COMPLETE_CUSTOMER: ContactCreate = {
  name: "Bäckerei Schmidt & Söhne OHG",
  email: "buchhaltung@baeckerei-schmidt.example",
  street: "Hauptstraße 5",
  postal_code: "80331",
  city: "München",
  country_code: "DE",
  contact_name: "Jonas Schmidt",
  buyer_reference: "BS-2026-17",
};

export async function createContact(page: Page, body: Partial<ContactCreate> = {}): Promise<Contact> {
  return ok(await page.request.post("/api/contacts", { data: { ...COMPLETE_CUSTOMER, ...body } }), "POST /api/contacts");
}

export async function createInvoice(page: Page, body: InvoiceCreate): Promise<Invoice> {
  return ok(await page.request.post("/api/invoices", { data: body }), "POST /api/invoices");
}

export async function apiGet<T>(page: Page, path: string): Promise<T> {
  return ok(await page.request.get(path), `GET ${path}`);
}

export async function apiPost<T>(page: Page, path: string, data?: unknown): Promise<T> {
  return ok(await page.request.post(path, data === undefined ? undefined : { data }), `POST ${path}`);
}

/** A signed-in seller with complete master data and one complete customer. */
export async function readySeller(page: Page): Promise<{ account: Account; contact: Contact }> {
  const account = await registerViaApi(page);
  await updateOrganization(page, COMPLETE_SELLER);
  const contact = await createContact(page);
  return { account, contact };
}

/** A toast with this title is on screen. */
export async function expectToast(page: Page, title: string | RegExp) {
  await expect(page.locator("[data-toast-title]").filter({ hasText: title }).first()).toBeVisible();
}

// ---- the file e-mail backend's outbox (EMAIL_BACKEND=file, DATA_DIR/outbox/*.eml) ---

export interface OutboxMail {
  path: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: string[];
}

/** Every e-mail the stack has "sent" so far, parsed by Python's e-mail parser. */
export async function readOutbox(): Promise<OutboxMail[]> {
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error("E2E_DATA_DIR is not set: run through scripts/e2e-stack.py");
  const dir = path.join(dataDir, "outbox");
  let files: string[] = [];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith(".eml")).map((f) => path.join(dir, f));
  } catch {
    return [];
  }
  if (!files.length) return [];
  return runBackendScript<OutboxMail[]>(path.join(__dirname, "real", "read_eml.py"), files);
}

/** Waits for the e-mail to `to` to arrive in the outbox. */
export async function waitForMail(to: string, timeoutMs = 20_000): Promise<OutboxMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = (await readOutbox()).find((m) => m.to.includes(to));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no e-mail to ${to} in the outbox after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs `rechnungswerk <args>` against the stack (same database, queue and DATA_DIR). */
export function runBackendCli(args: string[]): string {
  const envFile = process.env.E2E_BACKEND_ENV;
  const bin = process.env.E2E_BACKEND_BIN;
  if (!envFile || !bin) throw new Error("E2E_BACKEND_ENV is not set: run through scripts/e2e-stack.py");
  const env = { ...process.env, ...(JSON.parse(readFileSync(envFile, "utf8")) as Record<string, string>) };
  return execFileSync(path.join(bin, "rechnungswerk"), args, { env, cwd: env.PYTHONPATH }).toString("utf8");
}
