import { defineConfig, devices } from "@playwright/test";
import { MOCK_API_PORT, MOCK_WEB_PORT, REAL_WEB_URL } from "./e2e/ports";

/**
 * Playwright against `next start` (a production build, as users get it) and Debian's
 * Chromium. No browser is downloaded: playwright-core drives /usr/bin/chromium
 * (scripts/ensure-chromium.sh installs it). The flags keep Chromium from reaching for
 * Google's hosts, which this machine cannot reach and which would only slow it down.
 *
 * Projects:
 * - unit:  pure functions, and the web app's arithmetic and unit list against the backend's;
 * - mock:  the portal's states that the real stack cannot produce on demand, against a
 *          second `next start` in front of e2e/mock/mock-api.ts;
 * - real:  everything else, against the real stack (PostgreSQL, Redis, API, ARQ worker,
 *          `next start`) that scripts/e2e-stack.py starts and tears down. Without
 *          E2E_WEB_URL (i.e. not started through that script) this project is left out.
 * - screenshots: PNGs of every page for a person to look at (E2E_SCREENSHOTS=1);
 * - bench: the portal's first-load JS and LCP for `make bench` (E2E_BENCH=<result.json>).
 */
const chromium = {
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
  ],
};

const mockWeb = `http://127.0.0.1:${MOCK_WEB_PORT}`;
const browser = { ...devices["Desktop Chrome"], launchOptions: chromium, channel: undefined };

export default defineConfig({
  testDir: "./e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: true,
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  // Generous: other test suites share this 2-core machine, and a loaded machine is slow,
  // not broken. Tests wait for conditions, never for fixed times.
  timeout: 45_000,
  expect: { timeout: 15_000 },
  use: {
    headless: true,
    launchOptions: chromium,
    locale: "de-DE",
    timezoneId: "Europe/Berlin",
    trace: "retain-on-failure",
  },
  projects: [
    { name: "unit", testDir: "./e2e/unit" },
    { name: "mock", testDir: "./e2e/mock", use: { ...browser, baseURL: mockWeb } },
    ...(REAL_WEB_URL
      ? [
          { name: "real", testDir: "./e2e/real", use: { ...browser, baseURL: REAL_WEB_URL } },
        ]
      : []),
    // Only on request (E2E_BENCH=<result.json>, `make bench`): measures, asserts nothing.
    ...(REAL_WEB_URL && process.env.E2E_BENCH
      ? [{ name: "bench", testDir: "./e2e/bench", testMatch: /\.bench\.ts$/, use: { ...browser, baseURL: REAL_WEB_URL } }]
      : []),
    // Only on request (E2E_SCREENSHOTS=1, `make screenshots`): they assert little and take a while.
    ...(REAL_WEB_URL && process.env.E2E_SCREENSHOTS
      ? [{ name: "screenshots", testDir: "./e2e/shots", use: { launchOptions: chromium, baseURL: REAL_WEB_URL } }]
      : []),
  ],
  webServer: {
    command: `npx next start -H 127.0.0.1 -p ${MOCK_WEB_PORT}`,
    url: `${mockWeb}/login`,
    env: { API_URL: `http://127.0.0.1:${MOCK_API_PORT}`, NEXT_TELEMETRY_DISABLED: "1" },
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
