import AxeBuilder from "@axe-core/playwright";
import { expect, type BrowserContext, type Page } from "@playwright/test";
import { MOCK_TOKEN } from "./mock-api";
import { WEB_PORT } from "./ports";

/** Signs in the way the login form would leave the browser: with the httpOnly session cookie. */
export async function signIn(context: BrowserContext) {
  await context.addCookies([{ name: "rw_session", value: MOCK_TOKEN, domain: "127.0.0.1", path: "/", httpOnly: true, sameSite: "Lax" }]);
}

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

export const WEB_ORIGIN = `http://127.0.0.1:${WEB_PORT}`;
