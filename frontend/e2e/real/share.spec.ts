/**
 * "Teilen" on the invoice page against the real portal API: create a link, copy it, see it
 * opened, change its validity, regenerate it (the old one stops working), revoke it.
 */
import { expect, type Browser } from "@playwright/test";
import { formatDate } from "../../lib/format";
import { createInvoice, expectNoSeriousA11yViolations, readySeller, test } from "../helpers";

async function openAsCustomer(browser: Browser, url: string) {
  const ctx = await browser.newContext({ locale: "de-DE" });
  const page = await ctx.newPage();
  await page.goto(url);
  return { page, close: () => ctx.close() };
}

test("create, copy, open, extend, regenerate and revoke the portal link", async ({ page, browser, context }) => {
  test.setTimeout(90_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const { contact } = await readySeller(page);
  const invoice = await createInvoice(page, {
    contact_id: contact.id,
    finalize: true,
    lines: [{ description: "Beratung", quantity: "1", unit_price: "500", vat_rate: "19" }],
  });
  await page.goto(`/invoices/${invoice.id}`);
  const card = page.getByTestId("portal-card");
  await expect(card).toContainText("Noch kein Link");

  await card.getByRole("button", { name: "Teilen" }).click();
  const share = page.getByRole("dialog", { name: "Rechnung teilen" });
  await share.getByLabel("Gültigkeit").selectOption("7");
  await share.getByRole("button", { name: "Link erstellen" }).click();
  const urlField = share.getByTestId("share-url");
  await expect(urlField).toHaveValue(/\/portal\/[A-Za-z0-9_-]{16,}$/);
  const first = await urlField.inputValue();
  const in7 = new Date(Date.now() + 7 * 86_400_000);
  await expect(share).toContainText(`Gültig bis ${formatDate(in7)}`);
  await expectNoSeriousA11yViolations(page);
  await share.getByRole("button", { name: "Kopieren" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);
  await page.keyboard.press("Escape");

  // The customer opens it: the seller sees the count and the activity.
  const customer = await openAsCustomer(browser, first);
  await expect(customer.page.getByTestId("portal-amount")).toBeVisible();
  await customer.close();
  await page.reload();
  await expect(card.getByTestId("link-access")).toContainText("1× geöffnet");
  await expect(page.getByTestId("portal-activity")).toContainText("Geöffnet");

  // Longer validity keeps the same link.
  await card.getByRole("button", { name: "Teilen" }).click();
  await share.getByLabel("Gültigkeit").selectOption("90");
  await share.getByRole("button", { name: "Gültigkeit ändern" }).click();
  await expect(share).toContainText(`Gültig bis ${formatDate(new Date(Date.now() + 90 * 86_400_000))}`);
  await expect(urlField).toHaveValue(first);

  // A new link: the old one shows the "not found" page from now on.
  await share.getByRole("button", { name: "Neuen Link erzeugen" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Neuen Link erzeugen" }).click();
  await expect(urlField).not.toHaveValue(first);
  const second = await urlField.inputValue();
  const old = await openAsCustomer(browser, first);
  await expect(old.page.getByRole("heading", { name: "Diese Rechnung gibt es hier nicht" })).toBeVisible();
  await old.close();

  // Revoked: the new one stops working too.
  await share.getByRole("button", { name: "Link widerrufen" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Link widerrufen" }).click();
  await expect(share.getByTestId("share-url")).toHaveCount(0);
  const revoked = await openAsCustomer(browser, second);
  await expect(revoked.page.getByRole("heading", { name: "Diese Rechnung gibt es hier nicht" })).toBeVisible();
  await revoked.close();
  await expect(page.getByTestId("audit-trail")).toContainText("Portal-Link widerrufen");
});
