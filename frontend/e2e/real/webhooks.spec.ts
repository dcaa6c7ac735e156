/**
 * Webhooks through the browser, delivered for real: the worker of the real stack POSTs to a
 * receiver this test runs on 127.0.0.1, and the test checks the Standard Webhooks signature
 * with the secret the page showed once.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "@playwright/test";
import { expectNoHorizontalScroll, expectNoSeriousA11yViolations, expectToast, registerViaApi, test } from "../helpers";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

async function receiver() {
  const received: Received[] = [];
  let status = 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "kaputt");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/rechnungswerk`,
    received,
    answer(code: number) {
      status = code;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Standard Webhooks: base64(HMAC-SHA256(base64-decoded secret, "id.timestamp.body")). */
function verify(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signed = `${r.headers["webhook-id"]}.${r.headers["webhook-timestamp"]}.${r.body}`;
  const expected = createHmac("sha256", key).update(signed).digest("base64");
  return String(r.headers["webhook-signature"])
    .split(" ")
    .some((s) => s === `v1,${expected}`);
}

test("endpoint with the secret shown once, signed test delivery, failure with retry time, redelivery", async ({ page }) => {
  test.setTimeout(90_000);
  const hook = await receiver();
  try {
    await registerViaApi(page);
    await page.goto("/webhooks");
    await expectNoSeriousA11yViolations(page);
    await page.getByRole("button", { name: "Endpunkt hinzufügen" }).click();
    const dialog = page.getByRole("dialog", { name: "Endpunkt hinzufügen" });
    await dialog.getByLabel("URL").fill("kein-url");
    await dialog.getByRole("button", { name: "Endpunkt hinzufügen" }).click();
    await expect(dialog.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");
    await dialog.getByLabel("URL").fill(hook.url);
    await dialog.getByLabel("Beschreibung (optional)").fill("Buchhaltung");
    await dialog.getByRole("button", { name: "keine" }).click();
    await dialog.getByLabel(/Rechnung festgeschrieben/).check();
    await dialog.getByLabel(/Zahlung vom Kunden bestätigt/).check();
    await dialog.getByRole("button", { name: "Endpunkt hinzufügen" }).click();

    const secretDialog = page.getByRole("dialog", { name: "Signaturschlüssel" });
    const secret = (await secretDialog.getByTestId("webhook-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    await expectNoSeriousA11yViolations(page);
    await secretDialog.getByRole("button", { name: "Fertig" }).click();
    await expect(page).toHaveURL(/\/webhooks\/\d+$/);
    // Shown once: the page itself never has it again.
    await expect(page.getByText(secret)).toHaveCount(0);
    await expect(page.getByLabel("Abonnierte Ereignisse")).toContainText("Rechnung festgeschrieben");
    await expect(page.getByLabel("Abonnierte Ereignisse")).not.toContainText("Rechnung angelegt");

    // A signed test delivery, watched arriving.
    await page.getByRole("button", { name: "Test-Ereignis senden" }).click();
    await expect(page.getByTestId("delivery").first()).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
    await expect(page.getByTestId("delivery").first().getByTestId("response-code")).toHaveText(" · HTTP 200");
    expect(hook.received).toHaveLength(1);
    expect(verify(secret, hook.received[0]!)).toBe(true);
    expect(JSON.parse(hook.received[0]!.body).type).toBe("webhook.test");

    // The receiver fails: the attempt is logged with its code and the next try is scheduled.
    hook.answer(500);
    await page.getByRole("button", { name: "Test-Ereignis senden" }).click();
    const failing = page.getByTestId("delivery").first();
    await expect(failing.getByTestId("response-code")).toHaveText(" · HTTP 500", { timeout: 20_000 });
    await expect(failing).toHaveAttribute("data-status", "pending");
    await expect(failing.getByTestId("next-attempt")).toContainText(/nächster Versuch (in 1 Min\.|gleich)/);
    await failing.getByText("Versuche und Inhalt").click();
    await expect(failing.locator("table")).toContainText("500");

    // Fixed on the receiving side: deliver again by hand, same event id.
    hook.answer(200);
    const before = hook.received.length;
    await failing.getByRole("button", { name: /erneut zustellen/ }).click();
    await expectToast(page, "Wird erneut zugestellt");
    await expect(page.getByTestId("delivery").first()).toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
    await expect(page.getByTestId("delivery").first()).toContainText("erneute Zustellung");
    const redelivered = hook.received.slice(before).at(-1)!;
    expect(redelivered.headers["webhook-id"]).toBe(hook.received[1]!.headers["webhook-id"]);
    expect(verify(secret, redelivered)).toBe(true);

    // Rotating the secret shows the new one once; deliveries are signed with it.
    await page.getByRole("button", { name: "Weitere Aktionen" }).click();
    await page.getByRole("menuitem", { name: "Signaturschlüssel erneuern" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Schlüssel erneuern" }).click();
    const rotated = (await page.getByRole("dialog", { name: "Neuer Signaturschlüssel" }).getByTestId("webhook-secret").textContent())!.trim();
    expect(rotated).not.toBe(secret);
    await page.getByRole("button", { name: "Fertig" }).click();
    await page.getByRole("button", { name: "Test-Ereignis senden" }).click();
    await expect.poll(() => hook.received.length, { timeout: 20_000 }).toBe(before + 2);
    expect(verify(rotated, hook.received.at(-1)!)).toBe(true);
    expect(verify(secret, hook.received.at(-1)!)).toBe(false);

    await page.setViewportSize({ width: 375, height: 812 });
    await expectNoHorizontalScroll(page);

    // Pause, then delete.
    await page.getByRole("button", { name: "Pausieren" }).click();
    await expect(page.getByRole("button", { name: "Test-Ereignis senden" })).toBeDisabled();
    await page.getByRole("button", { name: "Weitere Aktionen" }).click();
    await page.getByRole("menuitem", { name: "Endpunkt löschen" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Endpunkt löschen" }).click();
    await expect(page).toHaveURL(/\/webhooks$/);
    await expect(page.getByText("Noch keine Webhooks")).toBeVisible();
  } finally {
    await hook.close();
  }
});
