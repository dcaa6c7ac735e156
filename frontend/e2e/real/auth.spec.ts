import { expect } from "@playwright/test";
import { expectNoSeriousA11yViolations, hasHorizontalScroll, registerViaApi, test, uniqueEmail, waitHydrated } from "../helpers";

test.describe("sign up, sign in, session", () => {
  test("registration through the form lands on the dashboard with the session in an httpOnly cookie", async ({ page }) => {
    await page.goto("/register");
    await page.getByLabel("Ihr Name").fill("Anna Mustermann");
    await page.getByLabel("Firma").fill("Mustermann Webdesign GmbH");
    await page.getByLabel("E-Mail-Adresse").fill(uniqueEmail("register"));
    await page.getByLabel("Passwort").fill("kurz");
    await page.getByRole("button", { name: "Konto anlegen" }).click();
    // The API's own message, at the field it concerns.
    await expect(page.getByLabel("Passwort")).toHaveAttribute("aria-invalid", "true");
    await page.getByLabel("Passwort").fill("lang-genug-1");
    await page.getByRole("button", { name: "Konto anlegen" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("org-name")).toHaveText("Mustermann Webdesign GmbH");
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "rw_session")?.httpOnly).toBe(true);
  });

  test("a taken e-mail address is reported at the field", async ({ page, browser }) => {
    const taken = await registerViaApi(page);
    const fresh = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const p = await fresh.newPage();
    await p.goto("/register");
    await waitHydrated(p);
    await p.getByLabel("Ihr Name").fill("Jemand Anderes");
    await p.getByLabel("Firma").fill("Andere GmbH");
    await p.getByLabel("E-Mail-Adresse").fill(taken.email);
    await p.getByLabel("Passwort").fill("lang-genug-1");
    await p.getByRole("button", { name: "Konto anlegen" }).click();
    await expect(p.getByLabel("E-Mail-Adresse")).toHaveAttribute("aria-invalid", "true");
    await fresh.close();
  });

  test("signed-out visitors are sent to /login, and back after signing in", async ({ page, browser }) => {
    const account = await registerViaApi(page);
    const fresh = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const p = await fresh.newPage();
    await p.goto("/invoices");
    await expect(p).toHaveURL(/\/login\?next=%2Finvoices$/);
    await waitHydrated(p);
    await p.getByLabel("E-Mail-Adresse").fill(account.email);
    await p.getByLabel("Passwort").fill("falsch-falsch");
    await p.getByRole("button", { name: "Anmelden" }).click();
    await expect(p.getByRole("alert").first()).toBeVisible();
    await p.getByLabel("Passwort").fill(account.password);
    await p.getByRole("button", { name: "Anmelden" }).click();
    await expect(p).toHaveURL(/\/invoices$/);
    await expect(p.getByRole("heading", { name: "Rechnungen", exact: true })).toBeVisible();
    await fresh.close();
  });

  test("shell: navigation, user menu, sign out", async ({ page }) => {
    await registerViaApi(page, { organization: "Vogt Übersetzungen" });
    await page.goto("/dashboard");
    await expect(page.getByTestId("org-name")).toHaveText("Vogt Übersetzungen");
    await expect(page.getByRole("button", { name: "Benachrichtigungen" })).toBeVisible();
    for (const label of ["Übersicht", "Rechnungen", "Kunden", "Wiederkehrend", "Webhooks", "Einstellungen"]) {
      await expect(page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: label })).toBeVisible();
    }
    await page.getByRole("button", { name: /Benutzermenü/ }).click();
    await page.getByRole("menuitem", { name: "Abmelden" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login/);
  });

  test("a rejected token ends the session instead of looping", async ({ page, context }) => {
    const url = new URL(test.info().project.use.baseURL!);
    await context.addCookies([{ name: "rw_session", value: "stale", domain: url.hostname, path: "/" }]);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?expired=1/);
    await expect(page.getByRole("status").filter({ hasText: "Sitzung" })).toContainText("Sitzung ist abgelaufen");
  });

  for (const path of ["/login", "/register"]) {
    test(`axe finds no serious or critical violations: ${path}`, async ({ page }) => {
      await page.goto(path);
      await expectNoSeriousA11yViolations(page);
    });
  }

  test("the shell has no horizontal scroll on a phone", async ({ page }) => {
    await registerViaApi(page);
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto("/dashboard");
    await expect(page.getByRole("button", { name: "Menü öffnen" })).toBeVisible();
    expect(await hasHorizontalScroll(page)).toBe(false);
  });
});
