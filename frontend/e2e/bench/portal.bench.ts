/**
 * `make bench` (bench/portal_web.py → scripts/e2e-stack.py --project=bench): how fast the
 * public portal page is for a customer, on the real stack. Measures, never asserts a time:
 * the first-load JavaScript (gzipped, as the wire would carry it) and the Largest Contentful
 * Paint from the browser's own Performance API, each over cold loads in fresh contexts.
 * Writes {"js_kb", "lcp_ms": [...], "ttfb_ms": [...]} to the file named by E2E_BENCH.
 */
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { test } from "@playwright/test";
import { apiPost, createInvoice, readySeller } from "../helpers";

const ROUNDS = 5;

test("portal page: first-load JS and LCP", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const { contact } = await readySeller(page);
  const invoice = await createInvoice(page, {
    contact_id: contact.id,
    finalize: true,
    lines: Array.from({ length: 6 }, (_, i) => ({ description: `Leistung ${i + 1}`, quantity: "2", unit_code: "HUR", unit_price: "95.00", vat_rate: i % 3 ? "19" : "7" })),
  });
  const link = await apiPost<{ url: string }>(page, `/api/invoices/${invoice.id}/share-link`, {});
  // One warm-up load: the server's first render of a route compiles nothing in production,
  // but it fills the API's document cache, as every real visit after the first finds it.
  const warm = await browser.newContext();
  await (await warm.newPage()).goto(link.url, { waitUntil: "networkidle" });
  await warm.close();

  const lcp: number[] = [];
  const ttfb: number[] = [];
  let jsBytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const ctx = await browser.newContext({ viewport: { width: 375, height: 812 } });
    const p = await ctx.newPage();
    const scripts: Promise<Buffer>[] = [];
    p.on("response", (res) => {
      if (res.request().resourceType() === "script" && res.url().includes("/_next/")) scripts.push(res.body());
    });
    await p.goto(link.url, { waitUntil: "networkidle" });
    const timing = await p.evaluate(
      () =>
        new Promise<{ lcp: number; ttfb: number }>((resolve) => {
          const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
          new PerformanceObserver((list) => {
            const entries = list.getEntries();
            resolve({ lcp: entries[entries.length - 1]!.startTime, ttfb: nav.responseStart - nav.startTime });
          }).observe({ type: "largest-contentful-paint", buffered: true });
        }),
    );
    lcp.push(Math.round(timing.lcp));
    ttfb.push(Math.round(timing.ttfb));
    if (round === 0) jsBytes = (await Promise.all(scripts)).reduce((sum, b) => sum + gzipSync(b, { level: 9 }).length, 0);
    await ctx.close();
  }
  const out = process.env.E2E_BENCH;
  const result = { js_kb: Math.round((jsBytes / 1024) * 10) / 10, lcp_ms: lcp, ttfb_ms: ttfb };
  console.log(`portal bench: ${JSON.stringify(result)}`);
  if (out) writeFileSync(out, JSON.stringify(result));
});
