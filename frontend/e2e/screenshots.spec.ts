/**
 * `npm run screenshots`: full-page PNGs of every page and portal state at 1280 px and
 * 375 px, into e2e/screenshots/ (not committed), for a person to look at. It asserts
 * nothing beyond the pages rendering; the e2e project does the checking.
 */
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

const OUT = "e2e/screenshots";
const SIZES = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 375, height: 812 },
] as const;

const PORTAL = ["open", "overdue", "paid", "cancelled", "small", "hostile", "expired", "ratelimited", "broken"];

async function shot(page: Page, name: string, fullPage = true) {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage });
}

for (const size of SIZES) {
  test.describe(size.name, () => {
    test.use({ viewport: { width: size.width, height: size.height }, deviceScaleFactor: 1 });

    test("auth pages", async ({ page }) => {
      await page.goto("/login");
      await shot(page, `${size.name}-login`);
      await page.goto("/register");
      await page.getByLabel("E-Mail-Adresse").fill("vergeben@example.com");
      await page.getByLabel("Passwort").fill("kurz");
      await page.getByRole("button", { name: "Konto anlegen" }).click();
      await expect(page.getByText("bereits registriert")).toBeVisible();
      await shot(page, `${size.name}-register-errors`);
    });

    test("dashboard shell", async ({ page, context }) => {
      await signIn(context);
      await page.goto("/dashboard");
      await shot(page, `${size.name}-dashboard`);
      await page.getByRole("button", { name: /Benachrichtigungen/ }).click();
      await expect(page.getByRole("menu")).toBeVisible();
      await shot(page, `${size.name}-dashboard-notifications`, false);
      await page.keyboard.press("Escape");
      if (size.name === "phone") {
        await page.getByRole("button", { name: "Menü öffnen" }).click();
        await expect(page.getByRole("dialog")).toBeVisible();
        await shot(page, `${size.name}-dashboard-menu`, false);
      }
    });

    test("portal states", async ({ page }) => {
      for (const s of PORTAL) {
        await page.goto(`/portal/fixture-${s}`);
        await expect(page.locator("main")).toBeVisible();
        await shot(page, `${size.name}-portal-${s}`);
      }
      await page.goto("/portal/does-not-exist-123");
      await shot(page, `${size.name}-portal-notfound`);
      await page.goto("/portal/fixture-open?lang=en");
      await shot(page, `${size.name}-portal-open-en`);
      await page.goto("/portal/fixture-open");
      await page.getByRole("button", { name: "Zahlung bestätigen" }).click();
      await shot(page, `${size.name}-portal-confirm-step`);
    });

    test("portal loading and thank-you", async ({ page }) => {
      void page.goto("/portal/fixture-slow");
      await expect(page.locator("[data-portal-state=loading]")).toBeVisible();
      await shot(page, `${size.name}-portal-loading`, false);
      await expect(page.getByTestId("portal-amount")).toBeVisible();
      await page.goto(`/portal/fixture-confirm-${size.name}`);
      await page.getByRole("button", { name: "Zahlung bestätigen" }).click();
      await page.getByRole("button", { name: "Ja, ich habe überwiesen" }).click();
      await expect(page.getByTestId("portal-paid-on")).toBeVisible();
      await shot(page, `${size.name}-portal-thanks`);
    });

    test("portal print", async ({ page }) => {
      await page.emulateMedia({ media: "print" });
      await page.goto("/portal/fixture-open");
      await shot(page, `${size.name}-portal-print`);
    });
  });
}
