/**
 * `make screenshots` (E2E_SCREENSHOTS=1): full-page PNGs of every page at 1280 px and 375 px
 * into e2e/screenshots/ (not committed), for a person to look at. The signed-in pages run
 * against the real stack with realistic data; the portal states against the mock portal API.
 * It asserts only that the pages render; the real and mock projects do the checking.
 */
import { expect, type Page } from "@playwright/test";
import { isoDay } from "../mock/fixtures";
import { apiPost, COMPLETE_SELLER, createContact, createInvoice, registerViaApi, test, updateOrganization } from "../helpers";
import { MOCK_WEB_PORT } from "../ports";

const MOCK = `http://127.0.0.1:${MOCK_WEB_PORT}`;
const OUT = "e2e/screenshots";
const SIZES = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 375, height: 812 },
] as const;

const PORTAL = ["open", "overdue", "paid", "cancelled", "small", "hostile", "expired", "ratelimited", "broken"];

async function shot(page: Page, name: string, fullPage = true) {
  await page.evaluate(() => document.fonts.ready);
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage });
}

/** A seller with a month of history: customers, a draft, open, overdue, paid and cancelled invoices. */
async function seed(page: Page) {
  await registerViaApi(page, { organization: "Mustermann Webdesign GmbH" });
  await updateOrganization(page, COMPLETE_SELLER);
  const baecker = await createContact(page);
  const amt = await createContact(page, {
    name: "Stadtverwaltung Musterstadt, Amt für Kultur",
    email: "rechnungseingang@musterstadt.example",
    street: "Rathausplatz 1",
    postal_code: "01067",
    city: "Dresden",
    contact_name: null,
    buyer_reference: "04011000-12345-67",
  });
  const cafe = await createContact(page, { name: "Café Lindner", email: "hallo@cafe-lindner.example", street: "Lindenstraße 3", postal_code: "50674", city: "Köln", buyer_reference: "CL-7" });
  const web = [
    { description: "Konzeption und Design der neuen Website", quantity: "12", unit_code: "HUR", unit_price: "95.00", vat_rate: "19" },
    { description: "Umsetzung der responsiven Startseite inkl. Kontaktformular", quantity: "1", unit_code: "LS", unit_price: "850.00", vat_rate: "19" },
    { description: "Fachbuch „Barrierefreies Webdesign“", quantity: "2", unit_code: "C62", unit_price: "34.50", vat_rate: "7" },
  ];
  const paid = await createInvoice(page, { contact_id: cafe.id, issue_date: isoDay(-20), payment_days: 14, finalize: true, lines: [{ description: "Hosting-Paket „Business“ (12 Monate)", quantity: "12", unit_code: "MON", unit_price: "9.90", vat_rate: "19" }] });
  await apiPost(page, `/api/invoices/${paid.id}/mark-paid`, { paid_on: isoDay(-3), reference: "Überweisung Café Lindner" });
  await createInvoice(page, { contact_id: amt.id, issue_date: isoDay(-40), payment_days: 30, finalize: true, lines: [{ description: "Übersetzung Ausstellungskatalog DE → EN (14.250 Wörter)", quantity: "14250", unit_code: "C62", unit_price: "0.12", vat_rate: "19" }] });
  const cancelled = await createInvoice(page, { contact_id: baecker.id, issue_date: isoDay(-10), finalize: true, lines: [web[1]!] });
  await apiPost(page, `/api/invoices/${cancelled.id}/cancel`);
  const open = await createInvoice(page, { contact_id: baecker.id, issue_date: isoDay(-2), finalize: true, note: "Vielen Dank für die angenehme Zusammenarbeit!", lines: web });
  const draft = await createInvoice(page, { contact_id: cafe.id, lines: [{ description: "Wartung Januar", quantity: "3.5", unit_code: "HUR", unit_price: "80", vat_rate: "19" }] });
  return { open, draft, paid, baecker };
}

for (const size of SIZES) {
  test.describe(size.name, () => {
    test.use({ viewport: { width: size.width, height: size.height }, deviceScaleFactor: 1 });

    test("signed-in pages with data", async ({ page }) => {
      test.setTimeout(120_000);
      const { open, draft, paid } = await seed(page);
      await page.goto("/dashboard");
      await shot(page, `${size.name}-dashboard`);
      await page.goto("/invoices");
      await shot(page, `${size.name}-invoices`);
      await page.goto("/invoices?status=overdue");
      await shot(page, `${size.name}-invoices-overdue`);
      await page.goto(`/invoices/${open.id}`);
      await expect(page.locator("[data-testid=validation] [aria-busy=false]")).toBeVisible({ timeout: 30_000 });
      await shot(page, `${size.name}-invoice-open`);
      await page.getByRole("button", { name: "Per E-Mail senden" }).click();
      await shot(page, `${size.name}-invoice-send-email`, false);
      await page.getByRole("dialog").getByLabel("Nachricht (optional)").fill("Vielen Dank für den Auftrag!");
      await page.getByRole("dialog").getByRole("button", { name: "Senden" }).click();
      await expect(page.getByTestId("email-status")).toHaveAttribute("data-status", "sent", { timeout: 30_000 });
      await shot(page, `${size.name}-invoice-send-email-sent`, false);
      await page.getByRole("button", { name: "Fertig" }).click();
      await page.getByTestId("portal-card").getByRole("button", { name: "Teilen" }).click();
      const shareUrl = await page.getByTestId("share-url").inputValue();
      await shot(page, `${size.name}-invoice-share`, false);
      await page.keyboard.press("Escape");
      // The real portal page of this invoice, as the customer sees it.
      await page.goto(shareUrl);
      await expect(page.getByTestId("portal-amount")).toBeVisible();
      await shot(page, `${size.name}-portal-real`);
      await page.goto(`/invoices/${open.id}`);
      await shot(page, `${size.name}-invoice-open-sent`);
      await page.goto(`/invoices/${paid.id}`);
      await expect(page.locator("[data-testid=validation] [aria-busy=false]")).toBeVisible({ timeout: 30_000 });
      await shot(page, `${size.name}-invoice-paid`);
      await page.goto(`/invoices/${draft.id}`);
      await expect(page.locator("[data-testid=validation] [aria-busy=false]")).toBeVisible({ timeout: 30_000 });
      await shot(page, `${size.name}-invoice-draft`);
      await page.goto(`/invoices/${draft.id}/edit`);
      await shot(page, `${size.name}-invoice-edit`);
      await page.goto("/invoices/new");
      await shot(page, `${size.name}-invoice-new`);
      await page.getByRole("combobox", { name: "Kunde" }).click();
      await shot(page, `${size.name}-invoice-new-picker`, false);
      await page.goto("/contacts");
      await shot(page, `${size.name}-contacts`);
      await page.getByRole("button", { name: "Neuer Kunde" }).first().click();
      await expect(page.getByRole("dialog")).toBeVisible();
      await shot(page, `${size.name}-contacts-new`, false);
      await page.goto("/settings");
      await shot(page, `${size.name}-settings`);
      // A webhook to a port where nobody listens: a failed attempt with its retry time.
      const hook = await apiPost<{ id: number }>(page, "/api/webhooks", { url: "http://127.0.0.1:9/hooks", events: ["invoice.finalized", "invoice.paid"], description: "Buchhaltung" });
      await apiPost(page, `/api/webhooks/${hook.id}/test`);
      await page.goto("/webhooks");
      await shot(page, `${size.name}-webhooks`);
      await page.goto(`/webhooks/${hook.id}`);
      await expect(page.getByTestId("response-code").or(page.locator("[data-status=pending] .text-destructive")).first()).toBeVisible({ timeout: 20_000 });
      await shot(page, `${size.name}-webhook`);
      await page.getByRole("button", { name: /Benachrichtigungen/ }).click();
      await shot(page, `${size.name}-notifications`, false);
      await page.keyboard.press("Escape");
      if (size.name === "phone") {
        await page.getByRole("button", { name: "Menü öffnen" }).click();
        await expect(page.getByRole("dialog")).toBeVisible();
        await shot(page, `${size.name}-menu`, false);
      }
    });

    test("a new seller: empty pages and the finalize check", async ({ page }) => {
      test.setTimeout(90_000);
      await registerViaApi(page, { organization: "Lena Vogt – Übersetzungen" });
      await page.goto("/dashboard");
      await shot(page, `${size.name}-dashboard-empty`);
      await page.goto("/invoices");
      await shot(page, `${size.name}-invoices-empty`);
      await page.goto("/settings");
      await shot(page, `${size.name}-settings-empty`);
      const contact = await createContact(page, { email: null, postal_code: null, buyer_reference: null });
      const draft = await createInvoice(page, { contact_id: contact.id, lines: [{ description: "Übersetzung", quantity: "1", unit_price: "100", vat_rate: "19" }] });
      await page.goto(`/invoices/${draft.id}`);
      await page.getByRole("button", { name: "Festschreiben" }).click();
      await page.getByRole("alertdialog").getByRole("button", { name: "Festschreiben" }).click();
      await expect(page.getByTestId("missing-fields").first()).toBeVisible();
      await shot(page, `${size.name}-invoice-finalize-missing`);
    });

    test("recurring invoices", async ({ page }) => {
      test.setTimeout(90_000);
      await registerViaApi(page);
      await updateOrganization(page, COMPLETE_SELLER);
      const contact = await createContact(page);
      const tpl = await apiPost<{ id: number }>(page, "/api/recurring", {
        contact_id: contact.id,
        name: "Wartungsvertrag Website",
        frequency: "monthly",
        start_date: isoDay(-40),
        lines: [{ description: "Wartung und Updates", quantity: "1", unit_code: "MON", unit_price: "149.00", vat_rate: "19" }],
        note: "Leistungszeitraum {period_start} bis {period_end}",
      });
      await apiPost(page, "/api/recurring", {
        contact_id: contact.id,
        name: "Hosting Business",
        frequency: "yearly",
        start_date: isoDay(20),
        lines: [{ description: "Hosting-Paket „Business“", quantity: "12", unit_code: "MON", unit_price: "9.90", vat_rate: "19" }],
      });
      await page.goto("/recurring");
      await shot(page, `${size.name}-recurring`);
      await page.goto(`/recurring/${tpl.id}`);
      await shot(page, `${size.name}-recurring-detail`);
      await page.goto("/recurring/new");
      await shot(page, `${size.name}-recurring-new`);
    });

    test("auth pages", async ({ page }) => {
      await page.goto("/login");
      await shot(page, `${size.name}-login`);
      await page.goto("/register");
      await page.getByLabel("Passwort").fill("kurz");
      await page.getByRole("button", { name: "Konto anlegen" }).click();
      await expect(page.getByLabel("Passwort")).toHaveAttribute("aria-invalid", "true");
      await shot(page, `${size.name}-register-errors`);
    });

    test("portal states", async ({ page }) => {
      for (const s of PORTAL) {
        await page.goto(`${MOCK}/portal/fixture-${s}`);
        await expect(page.locator("main")).toBeVisible();
        await shot(page, `${size.name}-portal-${s}`);
      }
      await page.goto(`${MOCK}/portal/does-not-exist-123`);
      await shot(page, `${size.name}-portal-notfound`);
      await page.goto(`${MOCK}/portal/fixture-open?lang=en`);
      await shot(page, `${size.name}-portal-open-en`);
    });
  });
}
