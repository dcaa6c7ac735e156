import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations, hasHorizontalScroll, signIn } from "./helpers";
import { DEMO_USER } from "./mock-api";

test.describe("auth and dashboard shell", () => {
  test("signed-out visitors are sent to /login, and back after signing in", async ({ page }) => {
    await page.goto("/invoices");
    await expect(page).toHaveURL(/\/login\?next=%2Finvoices$/);
    await page.getByLabel("E-Mail-Adresse").fill(DEMO_USER.email);
    await page.getByLabel("Passwort").fill("falsch");
    await page.getByRole("button", { name: "Anmelden" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "falsch" })).toContainText("E-Mail-Adresse oder Passwort ist falsch.");
    await page.getByLabel("Passwort").fill(DEMO_USER.password);
    await page.getByRole("button", { name: "Anmelden" }).click();
    await expect(page).toHaveURL(/\/invoices$/);
    await expect(page.getByRole("heading", { name: "Rechnungen", exact: true })).toBeVisible();
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "rw_session")?.httpOnly).toBe(true);
  });

  test("registration shows the API's messages at the fields", async ({ page }) => {
    await page.goto("/register");
    await page.getByLabel("Ihr Name").fill("Anna Mustermann");
    await page.getByLabel("Firma").fill("Mustermann Webdesign GmbH");
    await page.getByLabel("E-Mail-Adresse").fill("vergeben@example.com");
    await page.getByLabel("Passwort").fill("kurz");
    await page.getByRole("button", { name: "Konto anlegen" }).click();
    await expect(page.getByText("Diese E-Mail-Adresse ist bereits registriert.")).toBeVisible();
    await expect(page.getByLabel("Passwort")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Passwort")).toHaveAccessibleDescription("Das Passwort muss mindestens 8 Zeichen lang sein.");
    await page.getByLabel("E-Mail-Adresse").fill("neu@example.com");
    await page.getByLabel("Passwort").fill("lang-genug-1");
    await page.getByRole("button", { name: "Konto anlegen" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("org-name")).toHaveText("Mustermann Webdesign GmbH");
  });

  test("shell: organisation, notifications with unread count, sign out", async ({ page, context }) => {
    await signIn(context);
    await page.goto("/dashboard");
    await expect(page.getByTestId("org-name")).toHaveText("Mustermann Webdesign GmbH");
    const bell = page.getByRole("button", { name: "Benachrichtigungen, 2 ungelesen" });
    await expect(bell).toBeVisible();
    await bell.click();
    await expect(page.getByRole("menuitem", { name: /Zahlung bestätigt: RE-2026-0042/ })).toBeVisible();
    await page.keyboard.press("Escape");
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
    await context.addCookies([{ name: "rw_session", value: "stale", domain: "127.0.0.1", path: "/" }]);
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

  test("axe: dashboard shell", async ({ page, context }) => {
    await signIn(context);
    await page.goto("/dashboard");
    await expectNoSeriousA11yViolations(page);
  });

  test("dashboard has no horizontal scroll on a phone", async ({ page, context }) => {
    await signIn(context);
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto("/dashboard");
    await expect(page.getByRole("button", { name: "Menü öffnen" })).toBeVisible();
    expect(await hasHorizontalScroll(page)).toBe(false);
  });
});
