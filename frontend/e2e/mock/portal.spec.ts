import { gzipSync } from "node:zlib";
import { expect } from "@playwright/test";
import { expectNoSeriousA11yViolations, hasHorizontalScroll, test } from "../helpers";

const STATES = ["fixture-open", "fixture-overdue", "fixture-paid", "fixture-cancelled", "fixture-small", "fixture-hostile", "fixture-expired", "fixture-ratelimited", "fixture-broken", "does-not-exist-123"];

test.describe("portal", () => {
  test("shows amount due, due date, bank details and lines of an open invoice", async ({ page }) => {
    await page.goto("/portal/fixture-open");
    await expect(page.getByTestId("portal-amount")).toHaveText("2.583,30\u00a0€");
    await expect(page.getByText(/^Fällig am \d\d\.\d\d\.\d{4}$/)).toBeVisible();
    await expect(page.locator("[data-status=open]").first()).toHaveText("Offen");
    await expect(page.getByText("DE02 1203 0000 0000 2020 51").first()).toBeVisible();
    await expect(page.getByRole("img", { name: /GiroCode/ })).toBeVisible();
    await expect(page.getByTestId("portal-line")).toHaveCount(4);
    await expect(page.getByText("zzgl. USt. 19 %")).toBeVisible();
    await expect(page.getByRole("link", { name: "PDF herunterladen" })).toHaveAttribute("href", "/api/portal/fixture-open/download-pdf");
    await expect(page.getByText(/ZUGFeRD-PDF/)).toBeVisible();
    await expect(page.getByText(/XRechnung \(XML\)/)).toBeVisible();
  });

  test("is not indexed by search engines", async ({ page }) => {
    const res = await page.goto("/portal/fixture-open");
    expect(res?.headers()["x-robots-tag"]).toContain("noindex");
    await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);
  });

  for (const token of STATES) {
    test(`no horizontal scroll at 375 px: ${token}`, async ({ page }) => {
      await page.setViewportSize({ width: 375, height: 812 });
      await page.goto(`/portal/${token}`);
      await expect(page.locator("main")).toBeVisible();
      expect(await hasHorizontalScroll(page)).toBe(false);
    });
  }

  for (const token of ["fixture-open", "fixture-paid", "fixture-expired", "fixture-small"]) {
    test(`axe finds no serious or critical violations: ${token}`, async ({ page }) => {
      await page.goto(`/portal/${token}`);
      await expect(page.locator("main")).toBeVisible();
      await expectNoSeriousA11yViolations(page);
    });
  }

  test("axe is also satisfied with the confirmation step open, on a phone", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto("/portal/fixture-open");
    await page.getByRole("button", { name: "Zahlung bestätigen" }).click();
    await expect(page.getByRole("heading", { name: "Haben Sie den Betrag überwiesen?" })).toBeFocused();
    await expectNoSeriousA11yViolations(page);
  });

  test("markup in invoice data is shown as text and never runs", async ({ page }) => {
    await page.goto("/portal/fixture-hostile");
    await expect(page.getByText("<script>window.__xss=1</script>Beratung")).toBeVisible();
    await expect(page.getByText('<img src=x onerror="window.__xss=1">Bild')).toBeVisible();
    await expect(page.getByTestId("portal-note")).toHaveText('<img src=x onerror="window.__xss=1">Hinweis');
    await expect(page.getByText("<script>window.__xss=1</script>Kunde")).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('main img[src="x"]').count()).toBe(0);
  });

  test("expired link shows the expired state", async ({ page }) => {
    await page.goto("/portal/fixture-expired");
    await expect(page.getByRole("heading", { name: "Dieser Link ist abgelaufen" })).toBeVisible();
    await expect(page.locator("[data-portal-state=expired]")).toBeVisible();
    await expect(page.getByText(/neuen Link/)).toBeVisible();
  });

  test("unknown link, rate limit and server error each get their own page", async ({ page }) => {
    await page.goto("/portal/does-not-exist-123");
    await expect(page.getByRole("heading", { name: "Diese Rechnung gibt es hier nicht" })).toBeVisible();
    await page.goto("/portal/fixture-ratelimited");
    await expect(page.getByRole("heading", { name: "Einen Moment bitte" })).toBeVisible();
    await expect(page.getByText(/in 42 Sekunden/)).toBeVisible();
    await page.goto("/portal/fixture-broken");
    await expect(page.getByRole("heading", { name: "Die Rechnung kann gerade nicht angezeigt werden" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Erneut versuchen" })).toBeVisible();
  });

  test("paid invoice shows 'Bezahlt am' instead of the button", async ({ page }) => {
    await page.goto("/portal/fixture-paid");
    await expect(page.getByTestId("portal-paid-on")).toHaveText(/^Bezahlt am \d\d\.\d\d\.\d{4}/);
    await expect(page.getByRole("button", { name: "Zahlung bestätigen" })).toHaveCount(0);
  });

  test("confirm payment asks once more, then thanks", async ({ page }) => {
    // Every "fixture-confirm…" token has its own paid state in the mock: one per run of this test.
    await page.goto(`/portal/fixture-confirm-${test.info().repeatEachIndex}-${test.info().retry}`);
    await page.getByRole("button", { name: "Zahlung bestätigen" }).click();
    await expect(page.getByRole("heading", { name: "Haben Sie den Betrag überwiesen?" })).toBeVisible();
    await page.getByRole("button", { name: "Abbrechen" }).click();
    await expect(page.getByRole("button", { name: "Zahlung bestätigen" })).toBeFocused();
    await page.getByRole("button", { name: "Zahlung bestätigen" }).click();
    await page.getByRole("button", { name: "Ja, ich habe überwiesen" }).click();
    await expect(page.getByTestId("portal-thanks")).toContainText("Vielen Dank!");
    await expect(page).toHaveURL(/confirmed=1/);
    await expect(page.getByTestId("portal-paid-on")).toContainText("Bezahlt am");
    await expect(page.getByTestId("portal-thanks")).toBeVisible();
  });

  test("copy buttons put the IBAN without spaces on the clipboard", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto("/portal/fixture-open");
    await page.getByRole("button", { name: "IBAN kopieren" }).click();
    await expect(page.getByRole("button", { name: "IBAN kopieren" })).toContainText("Kopiert"); // the live region
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("DE02120300000000202051");
  });

  test("downloads go through the same-origin proxy", async ({ request }) => {
    const pdf = await request.get("/api/portal/fixture-open/download-pdf");
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toContain("application/pdf");
    expect(pdf.headers()["content-disposition"]).toContain("Rechnung_RE-2026-0042.pdf");
    const xml = await request.get("/api/portal/fixture-open/download-xml");
    expect(xml.headers()["content-type"]).toContain("xml");
  });

  test("speaks English by Accept-Language and switches back by the toggle", async ({ browser }) => {
    const context = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "accept-language": "en-US,en;q=0.9" } });
    const page = await context.newPage();
    await page.goto("/portal/fixture-open");
    await expect(page.getByText("Amount due", { exact: true })).toBeVisible();
    await expect(page.getByTestId("portal-amount")).toHaveText("€2,583.30");
    await page.getByRole("link", { name: "Deutsch" }).click();
    await page.waitForURL(/lang=de/);
    await expect(page.getByText("Offener Betrag", { exact: true })).toBeVisible();
    await context.close();
  });

  test("first-load JavaScript stays within 120 KB gzipped", async ({ page }) => {
    const bodies: Promise<Buffer>[] = [];
    page.on("response", (res) => {
      if (res.request().resourceType() === "script" && res.url().includes("/_next/")) bodies.push(res.body());
    });
    await page.goto("/portal/fixture-open", { waitUntil: "networkidle" });
    const sizes = (await Promise.all(bodies)).map((b) => gzipSync(b, { level: 9 }).length);
    const total = sizes.reduce((a, b) => a + b, 0);
    console.log(`portal first-load JS: ${(total / 1024).toFixed(1)} KB gzipped in ${sizes.length} files`);
    expect(total).toBeLessThanOrEqual(120 * 1024);
  });
});
