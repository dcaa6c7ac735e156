/**
 * Issue 7's flow through the browser, against the real stack: sign up, seller data (with the
 * logo), a customer, an invoice with mixed VAT rates whose live totals must equal what the
 * backend stores, the finalize check naming missing data, finalize, the PDF and both
 * XRechnung downloads, the validation badge, "Per E-Mail senden", the e-mail in the file
 * outbox, the customer opening the portal URL taken from that e-mail, downloading PDF and XML
 * and confirming the payment — and the seller's notification and dashboard.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import type { Invoice } from "../../lib/api/types";
import { formatEUR } from "../../lib/format";
import { computeTotals } from "../../lib/totals";
import { apiGet, expectNoHorizontalScroll, expectNoSeriousA11yViolations, expectToast, test, uniqueEmail, waitForMail, waitHydrated } from "../helpers";

const LOGO = path.join(__dirname, "../fixtures/logo.png");

async function fillLine(page: Page, i: number, line: { description: string; quantity: string; unit: string; price: string; vat: string; otherRate?: string }) {
  await page.locator(`#line-${i}-description`).fill(line.description);
  await page.locator(`#line-${i}-quantity`).fill(line.quantity);
  await page.locator(`#line-${i}-unit`).selectOption(line.unit);
  await page.locator(`#line-${i}-price`).fill(line.price);
  await page.locator(`#line-${i}-vat`).selectOption(line.vat);
  if (line.otherRate) await page.locator(`#line-${i}-rate`).fill(line.otherRate);
}

test("register → seller data → customer → invoice → finalize → e-mail → portal → payment confirmed → dashboard", async ({ page, browser }) => {
  test.setTimeout(180_000);

  // --- sign up ------------------------------------------------------------------------------
  await page.goto("/register");
  await page.getByLabel("Ihr Name").fill("Anna Mustermann");
  await page.getByLabel("Firma").fill("Mustermann Webdesign GmbH");
  await page.getByLabel("E-Mail-Adresse").fill(uniqueEmail("flow"));
  await page.getByLabel("Passwort").fill("sicheres-passwort-1");
  await page.getByRole("button", { name: "Konto anlegen" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Erste Schritte" })).toBeVisible();

  // --- seller data, deliberately without IBAN and phone (the finalize check must name them) --
  await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Einstellungen" }).click();
  await expect(page.getByTestId("seller-readiness")).toContainText("fehlen noch Angaben");
  await page.getByLabel("Straße und Hausnummer").fill("Kastanienallee 12");
  await page.getByLabel("PLZ").fill("10435");
  await page.getByLabel("Ort", { exact: true }).fill("Berlin");
  await page.getByLabel("Ansprechpartner").fill("Anna Mustermann");
  await page.getByLabel("E-Mail für Rechnungen").fill("rechnung@mustermann-webdesign.de");
  await page.getByLabel("USt-IdNr.").fill("DE123456788");
  // A number format the backend would refuse is caught while typing; a good one is previewed.
  await page.getByLabel("Format der Rechnungsnummer").fill("MW-{YYYY}");
  await expect(page.getByText("Das Format braucht genau einen Zähler")).toBeVisible();
  await page.getByLabel("Format der Rechnungsnummer").fill("MW-{YYYY}-{NNN}");
  const year = new Date().getFullYear();
  await expect(page.getByTestId("number-preview")).toHaveText(`MW-${year}-001`);
  await page.getByLabel("Zahlungsziel in Tagen").fill("21");
  await page.getByRole("button", { name: "Speichern" }).click();
  await expectToast(page, "Einstellungen gespeichert");
  await expect(page.getByTestId("seller-readiness")).toContainText("Telefon");
  await expect(page.getByTestId("seller-readiness")).toContainText("IBAN");
  // An invalid IBAN is refused by the API and shown at the field.
  await page.getByLabel("IBAN").fill("DE00 1234");
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByLabel("IBAN")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Keine gültige IBAN")).toBeVisible();
  await page.getByRole("button", { name: "Verwerfen" }).click();
  // The logo.
  await page.locator("#logo").setInputFiles(LOGO);
  await expect(page.getByTestId("logo-preview")).toBeVisible();
  expect(await page.getByTestId("logo-preview").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(240);

  // --- a customer ---------------------------------------------------------------------------
  await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Kunden" }).click();
  await page.getByRole("button", { name: "Neuer Kunde" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Neuer Kunde" });
  // Unique per run: the outbox is searched by this address.
  const customerEmail = uniqueEmail("buchhaltung");
  await dialog.getByLabel("Name / Firma").fill("Bäckerei Schmidt & Söhne OHG");
  await dialog.getByLabel("E-Mail-Adresse").fill(customerEmail);
  await dialog.getByLabel("Straße und Hausnummer").fill("Hauptstraße 5");
  await dialog.getByLabel("PLZ").fill("80331");
  await dialog.getByLabel("Ort").fill("München");
  await dialog.getByLabel("Leitweg-ID / Käuferreferenz").fill("BS-2026-17");
  await dialog.getByRole("button", { name: "Kunde anlegen" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("contact-row")).toHaveCount(1);
  await expect(page.getByTestId("contact-row")).toContainText("Bäckerei Schmidt & Söhne OHG");

  // --- an invoice with 19 %, 7 % and a half-cent line ---------------------------------------
  await page.goto("/invoices/new");
  await page.getByRole("combobox", { name: "Kunde" }).fill("bäcker");
  await page.getByRole("option", { name: /Bäckerei Schmidt/ }).click();
  await expect(page.getByTestId("customer-summary")).toContainText("80331 München");
  await expect(page.getByLabel("Käuferreferenz / Leitweg-ID")).toHaveValue("BS-2026-17");
  const lines = [
    { description: "Konzeption und Design <script>window.__xss=1</script>", quantity: "12", unit: "HUR", price: "95,00", vat: "S:19" },
    { description: "Fachbuch „Barrierefreies Webdesign“", quantity: "2", unit: "C62", price: "34,50", vat: "S:7" },
    { description: "Kleinteile", quantity: "3", unit: "C62", price: "0,335", vat: "S:19" },
    { description: "Druckkosten zum Sondersatz", quantity: "1,5", unit: "LS", price: "10,01", vat: "S:other", otherRate: "5,5" },
  ];
  await fillLine(page, 0, lines[0]!);
  for (let i = 1; i < lines.length; i++) {
    await page.getByRole("button", { name: "Position hinzufügen" }).click();
    await fillLine(page, i, lines[i]!);
  }
  const expected = computeTotals([
    { quantity: "12", unit_price: "95.00", vat_category: "S", vat_rate: "19" },
    { quantity: "2", unit_price: "34.50", vat_category: "S", vat_rate: "7" },
    { quantity: "3", unit_price: "0.335", vat_category: "S", vat_rate: "19" },
    { quantity: "1.5", unit_price: "10.01", vat_category: "S", vat_rate: "5.5" },
  ]);
  await expect(page.getByTestId("line-net").nth(2)).toHaveText(formatEUR("1.01"));
  await expect(page.getByTestId("total-net")).toHaveText(formatEUR(expected.net_total));
  await expect(page.getByTestId("total-vat-group")).toHaveCount(3);
  await expect(page.getByTestId("total-gross")).toHaveText(formatEUR(expected.gross_total));
  const liveGross = await page.getByTestId("total-gross").textContent();
  await page.getByRole("button", { name: "Entwurf speichern" }).click();
  await expect(page).toHaveURL(/\/invoices\/\d+$/);
  const invoiceId = Number(/\/invoices\/(\d+)$/.exec(page.url())![1]);

  // What the backend stored equals what the editor showed, to the cent.
  const saved = await apiGet<Invoice>(page, `/api/invoices/${invoiceId}`);
  expect(formatEUR(saved.gross_total)).toBe(liveGross);
  expect(saved.net_total).toBe(expected.net_total);
  expect(saved.vat_total).toBe(expected.vat_total);
  expect(saved.lines.map((l) => l.net_amount)).toEqual(expected.line_nets);
  expect(saved.vat_breakdown.map((g) => [g.category, g.tax_amount])).toEqual(expected.vat_breakdown.map((g) => [g.category, g.tax_amount]));
  await expect(page.getByTestId("doc-gross")).toHaveText(formatEUR(expected.gross_total));
  // Markup typed into a line is text on every page.
  await expect(page.getByText("Konzeption und Design <script>window.__xss=1</script>")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

  // --- finalize: refused with the missing fields, each linked to where it is fixed ----------
  await page.getByRole("button", { name: "Festschreiben" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Festschreiben" }).click();
  const missing = page.locator("#finalize-missing");
  await expect(missing).toBeVisible();
  await expect(missing).toBeFocused();
  await expect(missing.locator('[data-field="organization.iban"]')).toContainText("Bankverbindung (IBAN) fehlt");
  await expect(missing.locator('[data-field="organization.phone"]')).toContainText("Telefon");
  await expect(page.getByTestId("invoice-title")).toHaveText("Entwurf");
  await missing.getByRole("link", { name: /IBAN/ }).click();
  await expect(page).toHaveURL(/\/settings#iban$/);
  await expect(page.getByLabel("IBAN")).toBeFocused();
  await page.getByLabel("IBAN").fill("DE02 1203 0000 0000 2020 51");
  await page.getByLabel("BIC").fill("BYLADEM1001");
  await page.getByLabel("Telefon").fill("+49 30 1234567");
  await page.getByRole("button", { name: "Speichern" }).click();
  await expect(page.getByTestId("seller-readiness")).toContainText("vollständig");

  await page.goto(`/invoices/${invoiceId}`);
  await page.getByRole("button", { name: "Festschreiben" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Festschreiben" }).click();
  const number = `MW-${year}-001`;
  await expect(page.getByTestId("invoice-title")).toHaveText(`Rechnung ${number}`);
  await expect(page.locator("[data-status=open]").first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Bearbeiten" })).toHaveCount(0);

  // --- the official rules say: valid ----------------------------------------------------------
  await expect(page.getByTestId("validation-badge")).toHaveText("gültige XRechnung", { timeout: 45_000 });

  // --- downloads: ZUGFeRD PDF and both XRechnung syntaxes, through the web app's proxy -------
  const [pdf] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "PDF" }).click()]);
  expect(pdf.suggestedFilename()).toBe(`Rechnung_${number}.pdf`);
  expect((await readFile((await pdf.path())!)).subarray(0, 5).toString()).toBe("%PDF-");
  for (const [label, root] of [
    ["XRechnung UBL", "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"],
    ["XRechnung CII", "CrossIndustryInvoice"],
  ] as const) {
    await page.getByRole("button", { name: "XRechnung" }).click();
    const [xml] = await Promise.all([page.waitForEvent("download"), page.getByRole("menuitem", { name: label }).click()]);
    expect(xml.suggestedFilename()).toMatch(new RegExp(`^Rechnung_${number}_xrechnung-(ubl|cii)\\.xml$`));
    const text = (await readFile((await xml.path())!)).toString("utf8");
    expect(text).toContain(root);
    expect(text).toContain(number);
  }

  // --- "Per E-Mail senden": pre-filled, queued, watched until sent --------------------------
  await page.getByRole("button", { name: "Per E-Mail senden" }).click();
  const send = page.getByRole("dialog", { name: "Per E-Mail senden" });
  await expect(send.getByLabel("An")).toHaveValue(customerEmail);
  await expect(send.getByLabel("Betreff")).toHaveValue(`Ihre Rechnung ${number}`);
  await send.getByLabel("Nachricht (optional)").fill("Vielen Dank für den Auftrag!");
  await expectNoSeriousA11yViolations(page);
  await send.getByRole("button", { name: "Senden" }).click();
  await expect(send.getByTestId("email-status")).toHaveAttribute("data-status", "sent", { timeout: 30_000 });
  await expect(send.getByTestId("email-status")).toContainText("Versendet");
  await send.getByRole("button", { name: "Fertig" }).click();
  await expect(page.getByTestId("invoice-emails")).toContainText(customerEmail);
  await expect(page.getByTestId("audit-trail")).toContainText("Per E-Mail an den Kunden übergeben");

  // --- the e-mail in the outbox, and the portal URL in it -------------------------------------
  const mail = await waitForMail(customerEmail);
  expect(mail.subject).toBe(`Ihre Rechnung ${number}`);
  expect(mail.text).toContain("Vielen Dank für den Auftrag!");
  const portalUrl = /https?:\/\/\S+\/portal\/[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
  expect(portalUrl, `no portal URL in the e-mail:\n${mail.text}`).toBeTruthy();
  expect(new URL(portalUrl!).origin).toBe(new URL(page.url()).origin);

  // --- the customer: no account, another browser ---------------------------------------------
  const customer = await browser.newContext({ locale: "de-DE", viewport: { width: 375, height: 812 } });
  try {
    const portal = await customer.newPage();
    await portal.goto(portalUrl!);
    await waitHydrated(portal);
    await expect(portal.getByTestId("portal-amount")).toHaveText(formatEUR(expected.gross_total));
    await expect(portal.getByText(`Rechnung von Mustermann Webdesign GmbH`)).toBeVisible();
    await expect(portal.getByTestId("portal-line")).toHaveCount(4);
    await expect(portal.getByText("Konzeption und Design <script>window.__xss=1</script>")).toBeVisible();
    await expect(portal.getByTestId("portal-logo")).toBeVisible();
    await expectNoHorizontalScroll(portal);
    await expectNoSeriousA11yViolations(portal);
    const [portalPdf] = await Promise.all([portal.waitForEvent("download"), portal.getByRole("link", { name: "PDF herunterladen" }).click()]);
    expect((await readFile((await portalPdf.path())!)).subarray(0, 5).toString()).toBe("%PDF-");
    const [portalXml] = await Promise.all([portal.waitForEvent("download"), portal.getByRole("link", { name: "XML herunterladen" }).click()]);
    expect((await readFile((await portalXml.path())!)).toString("utf8")).toContain(number);
    await portal.getByRole("button", { name: "Zahlung bestätigen" }).click();
    await portal.getByRole("button", { name: "Ja, ich habe überwiesen" }).click();
    await expect(portal.getByTestId("portal-thanks")).toContainText("Vielen Dank!");
    await expect(portal.getByTestId("portal-paid-on")).toContainText("Bezahlt am");
  } finally {
    await customer.close();
  }

  // --- the seller is told, and the invoice is paid ---------------------------------------------
  await page.reload();
  await expect(page.getByRole("button", { name: "Benachrichtigungen, 1 ungelesen" })).toBeVisible();
  await page.getByRole("button", { name: "Benachrichtigungen, 1 ungelesen" }).click();
  await page.getByRole("menuitem", { name: new RegExp(`Zahlung bestätigt: ${number}`) }).click();
  await expect(page).toHaveURL(new RegExp(`/invoices/${invoiceId}$`));
  await expect(page.getByRole("button", { name: "Benachrichtigungen" })).toBeVisible();
  await expect(page.locator("[data-status=paid]").first()).toBeVisible();
  await expect(page.getByTestId("audit-trail")).toContainText("Zahlung vom Kunden bestätigt");
  await expect(page.getByTestId("portal-activity")).toContainText("PDF heruntergeladen");
  await expect(page.getByTestId("portal-activity")).toContainText("Zahlung bestätigt");
  await expect(page.getByTestId("link-access")).toContainText("geöffnet");

  // --- the dashboard's figures -----------------------------------------------------------------
  await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Übersicht" }).click();
  const paidKpi = page.getByTestId("kpi-Bezahlt (30 Tage)");
  await expect(paidKpi.getByTestId("kpi-amount")).toHaveText(formatEUR(expected.gross_total));
  await expect(paidKpi.getByTestId("kpi-count")).toHaveText("1 Rechnung");
  await expect(page.getByTestId("kpi-Offen").getByTestId("kpi-amount")).toHaveText(formatEUR("0"));
  await expect(page.getByTestId("recent-payments")).toContainText(number);
  await expect(page.getByRole("heading", { name: "Erste Schritte" })).toHaveCount(0);
});
