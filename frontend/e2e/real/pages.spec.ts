/**
 * The signed-in pages one by one against the real stack: lists, filters, the editor's edge
 * cases, invoice actions, customers, Kleinunternehmer — plus axe and the 375 px check on each.
 * Data is set up through the API (fast); the page under test is driven in the browser.
 */
import { expect, type Page } from "@playwright/test";
import type { Invoice, InvoiceListItem } from "../../lib/api/types";
import { formatEUR } from "../../lib/format";
import { apiGet, apiPost, COMPLETE_SELLER, createContact, createInvoice, expectNoHorizontalScroll, expectNoSeriousA11yViolations, expectToast, readySeller, registerViaApi, test, updateOrganization } from "../helpers";

const LINE = { description: "Beratung", quantity: "2", unit_code: "HUR", unit_price: "120.00", vat_rate: "19" };

/** A seller with one invoice in each state; returns their ids. */
async function sellerWithInvoices(page: Page) {
  const { contact } = await readySeller(page);
  const draft = await createInvoice(page, { contact_id: contact.id, lines: [LINE] });
  const open = await createInvoice(page, { contact_id: contact.id, finalize: true, lines: [LINE, { ...LINE, description: "Buch", unit_code: "C62", vat_rate: "7", unit_price: "24.90", quantity: "1" }] });
  const paid = await createInvoice(page, { contact_id: contact.id, finalize: true, lines: [LINE] });
  await apiPost(page, `/api/invoices/${paid.id}/mark-paid`, {});
  return { contact, draft, open, paid };
}

test.describe("a11y and phone layout", () => {
  test("axe finds no serious or critical violations on the dashboard, invoice, contact and settings pages", async ({ page }) => {
    test.setTimeout(90_000);
    const { draft, open } = await sellerWithInvoices(page);
    for (const path of ["/dashboard", "/invoices", "/invoices/new", `/invoices/${open.id}`, `/invoices/${draft.id}`, `/invoices/${draft.id}/edit`, "/contacts", "/settings"]) {
      await page.goto(path);
      await expect(page.locator("main h1").first()).toBeVisible();
      await test.step(`axe ${path}`, () => expectNoSeriousA11yViolations(page));
    }
    // Opened widgets are pages too.
    await page.goto("/invoices/new");
    await page.getByRole("combobox", { name: "Kunde" }).click();
    await expect(page.getByRole("listbox", { name: "Kunden" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await page.goto("/contacts?edit=new");
    await expect(page.getByRole("dialog")).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await page.goto(`/invoices/${open.id}`);
    await page.getByRole("button", { name: "Als bezahlt markieren" }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });

  test("no page scrolls sideways, at 375 px nor at 1280 px", async ({ page }) => {
    test.setTimeout(90_000);
    const { draft, open } = await sellerWithInvoices(page);
    // Long unbroken values are what push layouts wider than the screen.
    await apiPost(page, `/api/invoices/${open.id}/send-email`, { to: "rechnungseingang.buchhaltung.abteilung@sehr-lange-domain-eines-kunden.example" });
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      for (const path of ["/dashboard", "/invoices", "/invoices/new", `/invoices/${open.id}`, `/invoices/${draft.id}/edit`, "/contacts", "/settings", "/recurring", "/recurring/new", "/webhooks"]) {
        await page.goto(path);
        await expect(page.locator("main h1").first()).toBeVisible();
        await expectNoHorizontalScroll(page, `${path} at ${width} px`);
      }
    }
  });
});

test.describe("invoice list", () => {
  test("status tabs, search, period and pagination", async ({ page }) => {
    test.setTimeout(60_000);
    const { contact } = await readySeller(page);
    const other = await createContact(page, { name: "Café Lindner", buyer_reference: "CL" });
    for (let i = 0; i < 26; i++) await createInvoice(page, { contact_id: contact.id, lines: [LINE] });
    const open = await createInvoice(page, { contact_id: other.id, finalize: true, lines: [LINE] });

    await page.goto("/invoices");
    await expect(page.getByTestId("invoice-row")).toHaveCount(25);
    await expect(page.getByRole("navigation", { name: "Seiten der Rechnungsliste" })).toContainText("1–25 von 27");
    await page.getByRole("link", { name: "Weiter" }).click();
    await expect(page).toHaveURL(/offset=25/);
    await expect(page.getByTestId("invoice-row")).toHaveCount(2);

    const tabs = page.getByRole("navigation", { name: "Nach Status filtern" });
    await expect(tabs.getByRole("link", { name: /Entwürfe/ })).toContainText("26");
    await tabs.getByRole("link", { name: /Offen/ }).click();
    await expect(page).toHaveURL(/status=open/);
    await expect(page.getByTestId("invoice-row")).toHaveCount(1);
    await expect(page.getByTestId("invoice-row")).toContainText(open.number!);
    await expect(tabs.getByRole("link", { name: /Offen/ })).toHaveAttribute("aria-current", "page");

    await tabs.getByRole("link", { name: "Alle" }).click();
    await page.getByRole("searchbox", { name: "Rechnungen durchsuchen" }).fill("lindner");
    await expect(page).toHaveURL(/q=lindner/);
    await expect(page.getByTestId("invoice-row")).toHaveCount(1);
    await page.getByRole("searchbox", { name: "Rechnungen durchsuchen" }).fill("gibt-es-nicht");
    await expect(page.getByText("Keine passenden Rechnungen")).toBeVisible();
    await page.getByRole("link", { name: "Alle Rechnungen zeigen" }).click();
    await expect(page.getByTestId("invoice-row")).toHaveCount(25);

    await page.getByRole("combobox", { name: "Zeitraum" }).click();
    await page.getByRole("option", { name: "Letztes Jahr" }).click();
    await expect(page).toHaveURL(/period=last_year/);
    await expect(page.getByText("Keine passenden Rechnungen")).toBeVisible();
  });
});

test.describe("invoice editor", () => {
  test("client checks, the API's field errors at the line, editing a draft", async ({ page }) => {
    const { contact } = await readySeller(page);
    await page.goto("/invoices/new");
    await page.getByRole("button", { name: "Entwurf speichern" }).click();
    await expect(page.getByText("Bitte einen Kunden wählen oder neu anlegen")).toBeVisible();
    await expect(page.locator("#line-0-description")).toHaveAttribute("aria-invalid", "true");
    await page.locator("#line-0-quantity").fill("1,23456");
    await expect(page.locator("#line-0-quantity")).toHaveAccessibleDescription("Höchstens 4 Nachkommastellen");

    await page.getByRole("combobox", { name: "Kunde" }).click();
    await page.getByRole("option", { name: new RegExp(contact.name) }).click();
    // Longer than the API allows: only the API knows, and its message lands at the line.
    await page.locator("#line-0-description").fill("x".repeat(2001));
    await page.locator("#line-0-quantity").fill("2");
    await page.locator("#line-0-price").fill("50");
    await page.getByRole("button", { name: "Entwurf speichern" }).click();
    await expect(page.locator("#line-0-description")).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#line-0-description")).toHaveAccessibleDescription("Zu lang");

    await page.locator("#line-0-description").fill("Workshop");
    await page.getByRole("button", { name: "Entwurf speichern" }).click();
    await expect(page).toHaveURL(/\/invoices\/\d+$/);
    await expect(page.getByTestId("doc-gross")).toHaveText(formatEUR("119.00"));

    await page.getByRole("link", { name: "Bearbeiten" }).click();
    await expect(page.locator("#line-0-quantity")).toHaveValue("2");
    await expect(page.locator("#line-0-price")).toHaveValue("50,00");
    await page.locator("#line-0-quantity").fill("3");
    await page.getByRole("button", { name: "Position hinzufügen" }).click();
    await page.locator("#line-1-description").fill("Reisekosten");
    await page.locator("#line-1-price").fill("42");
    await page.locator("#line-1-vat").selectOption("O");
    await expect(page.getByTestId("total-gross")).toHaveText(formatEUR("220.50"));
    await page.getByRole("button", { name: "Position 2 nach oben" }).click();
    await expect(page.locator("#line-0-description")).toHaveValue("Reisekosten");
    await page.getByRole("button", { name: "Entwurf speichern" }).click();
    await expect(page.getByTestId("document-line")).toHaveCount(2);
    await expect(page.getByTestId("document-line").first()).toContainText("Reisekosten");
    await expect(page.getByTestId("doc-gross")).toHaveText(formatEUR("220.50"));
  });

  test("Kleinunternehmer: no VAT choices, no VAT, the § 19 note", async ({ page }) => {
    const { contact } = await readySeller(page);
    await page.goto("/settings");
    await page.getByLabel("Kleinunternehmer nach § 19 UStG").check();
    await page.getByRole("button", { name: "Speichern" }).click();
    await expectToast(page, "Einstellungen gespeichert");
    await page.goto(`/invoices/new?contact_id=${contact.id}`);
    await expect(page.getByTestId("customer-summary")).toContainText(contact.name);
    const options = await page.locator("#line-0-vat option").allTextContents();
    expect(options).not.toContain("19 %");
    expect(options[0]).toBe("steuerfrei (§ 19 UStG)");
    await page.locator("#line-0-description").fill("Übersetzung");
    await page.locator("#line-0-price").fill("1.710,00");
    await expect(page.getByTestId("total-gross")).toHaveText(formatEUR("1710.00"));
    await page.getByRole("button", { name: "Entwurf speichern" }).click();
    await expect(page.getByTestId("doc-gross")).toHaveText(formatEUR("1710.00"));
    await expect(page.getByText(/§ 19 UStG/).first()).toBeVisible();
  });
});

test.describe("invoice actions", () => {
  test("mark paid with the payment date and a reference", async ({ page }) => {
    const { open } = await sellerWithInvoices(page);
    await page.goto(`/invoices/${open.id}`);
    await page.getByRole("button", { name: "Als bezahlt markieren" }).click();
    const dialog = page.getByRole("dialog", { name: "Zahlungseingang erfassen" });
    await expect(dialog).toContainText(formatEUR(open.gross_total));
    await dialog.getByLabel("Zahlungseingang am").fill("2026-01-15");
    await dialog.getByLabel("Referenz (optional)").fill("Kontoauszug 47");
    await dialog.getByRole("button", { name: "Als bezahlt markieren" }).click();
    await expect(page.locator("[data-status=paid]").first()).toBeVisible();
    await expect(page.getByTestId("audit-trail")).toContainText("Zahlungseingang 15.01.2026 · Kontoauszug 47");
    const saved = await apiGet<Invoice>(page, `/api/invoices/${open.id}`);
    expect([saved.payment_status, saved.paid_at, saved.payment_reference]).toEqual(["paid", "2026-01-15", "Kontoauszug 47"]);
  });

  test("mark unpaid, duplicate, cancel, delete a draft", async ({ page }) => {
    const { draft, open, paid } = await sellerWithInvoices(page);

    await page.goto(`/invoices/${paid.id}`);
    await page.getByRole("button", { name: "Weitere Aktionen" }).click();
    await page.getByRole("menuitem", { name: "Als unbezahlt markieren" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Als unbezahlt markieren" }).click();
    await expect(page.locator("[data-status=open]").first()).toBeVisible();
    expect((await apiGet<Invoice>(page, `/api/invoices/${paid.id}`)).payment_status).toBe("unpaid");

    await page.goto(`/invoices/${open.id}`);
    await page.getByRole("button", { name: "Weitere Aktionen" }).click();
    await page.getByRole("menuitem", { name: "Duplizieren" }).click();
    await expect(page).toHaveURL(/\/invoices\/\d+\/edit$/);
    await expect(page.locator("#line-1-description")).toHaveValue("Buch");

    await page.goto(`/invoices/${open.id}`);
    await page.getByRole("button", { name: "Weitere Aktionen" }).click();
    await page.getByRole("menuitem", { name: "Stornieren" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Stornieren" }).click();
    await expect(page.locator("[data-status=cancelled]").first()).toBeVisible();
    await expect(page.getByRole("button", { name: "Als bezahlt markieren" })).toHaveCount(0);

    await page.goto(`/invoices/${draft.id}`);
    await page.getByRole("button", { name: "Weitere Aktionen" }).click();
    await page.getByRole("menuitem", { name: "Entwurf löschen" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Entwurf löschen" }).click();
    await expect(page).toHaveURL(/\/invoices$/);
    const res = await page.request.get(`/api/invoices/${draft.id}`);
    expect(res.status()).toBe(404);
  });

  test("a customer's missing e-mail links to that customer's e-mail field", async ({ page }) => {
    await registerViaApi(page);
    await updateOrganization(page, COMPLETE_SELLER);
    const contact = await createContact(page, { email: null });
    const draft = await createInvoice(page, { contact_id: contact.id, lines: [LINE] });
    await page.goto(`/invoices/${draft.id}`);
    await page.getByRole("button", { name: "Festschreiben" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Festschreiben" }).click();
    const missing = page.locator("#finalize-missing");
    await expect(missing.locator("[data-field]")).toHaveCount(1);
    await missing.getByRole("link", { name: /E-Mail-Adresse des Kunden fehlt/ }).click();
    await expect(page).toHaveURL(new RegExp(`/contacts\\?edit=${contact.id}&field=email`));
    const dialog = page.getByRole("dialog", { name: "Kunde bearbeiten" });
    await expect(dialog.getByLabel("E-Mail-Adresse")).toBeFocused();
    await dialog.getByLabel("E-Mail-Adresse").fill("einkauf@kunde.example");
    await dialog.getByRole("button", { name: "Änderungen speichern" }).click();
    await expect(dialog).toBeHidden();
    await page.goto(`/invoices/${draft.id}`);
    await page.getByRole("button", { name: "Festschreiben" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Festschreiben" }).click();
    await expect(page.getByTestId("invoice-title")).toHaveText(/^Rechnung RE-/);
  });
});

test.describe("customers", () => {
  test("create inline from the invoice editor, edit, search, delete", async ({ page }) => {
    const { contact } = await readySeller(page);
    const used = await createInvoice(page, { contact_id: contact.id, lines: [LINE] });
    await page.goto("/invoices/new");
    await page.getByRole("combobox", { name: "Kunde" }).fill("Neue Kundin GmbH");
    await page.getByRole("option", { name: /„Neue Kundin GmbH“ als neuen Kunden anlegen/ }).click();
    const dialog = page.getByRole("dialog", { name: "Neuer Kunde" });
    await expect(dialog.getByLabel("Name / Firma")).toHaveValue("Neue Kundin GmbH");
    await dialog.getByLabel("E-Mail-Adresse").fill("keine-mail");
    await dialog.getByRole("button", { name: "Kunde anlegen" }).click();
    await expect(dialog.getByLabel("E-Mail-Adresse")).toHaveAttribute("aria-invalid", "true");
    await dialog.getByLabel("E-Mail-Adresse").fill("post@neue-kundin.example");
    await dialog.getByRole("button", { name: "Kunde anlegen" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("customer-summary")).toContainText("Neue Kundin GmbH");
    await expect(page.getByTestId("customer-summary")).toContainText("Für die E-Rechnung fehlt: PLZ, Ort");

    await page.goto("/contacts");
    await expect(page.getByTestId("contact-row")).toHaveCount(2);
    await page.getByRole("searchbox", { name: "Kunden durchsuchen" }).fill("neue");
    await expect(page.getByTestId("contact-row")).toHaveCount(1);
    await page.getByRole("button", { name: "Neue Kundin GmbH", exact: true }).click();
    const edit = page.getByRole("dialog", { name: "Kunde bearbeiten" });
    await edit.getByLabel("Ort").fill("Hamburg");
    await edit.getByRole("button", { name: "Änderungen speichern" }).click();
    await expect(page.getByTestId("contact-row")).toContainText("Hamburg");

    await page.getByRole("searchbox", { name: "Kunden durchsuchen" }).fill("");
    await expect(page.getByTestId("contact-row")).toHaveCount(2);
    // A customer with invoices is kept: the API says why.
    await page.getByRole("button", { name: `Aktionen für ${contact.name}` }).click();
    await page.getByRole("menuitem", { name: "Löschen" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Kunden löschen" }).click();
    await expectToast(page, "Nicht gelöscht");
    await expect(page.locator("[data-toast-title]").filter({ hasText: "Nicht gelöscht" }).locator("..")).toContainText("Rechnungen");
    await expect(page.getByRole("alertdialog")).toBeHidden();
    await page.getByRole("button", { name: "Aktionen für Neue Kundin GmbH" }).click();
    await page.getByRole("menuitem", { name: "Löschen" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Kunden löschen" }).click();
    await expect(page.getByTestId("contact-row")).toHaveCount(1);
    const list = await apiGet<{ items: InvoiceListItem[] }>(page, "/api/invoices");
    expect(list.items.map((i) => i.id)).toEqual([used.id]);
  });
});
