import { defineConfig, devices } from "@playwright/test";
import { MOCK_API_PORT, WEB_PORT } from "./e2e/ports";

/**
 * Playwright against `next start` (a production build, as users get it) and Debian's
 * Chromium. No browser is downloaded: playwright-core drives /usr/bin/chromium
 * (scripts/ensure-chromium.sh installs it). The flags keep Chromium from reaching for
 * Google's hosts, which this machine cannot reach and which would only slow it down.
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

const apiUrl = process.env.E2E_REAL_API ?? `http://127.0.0.1:${MOCK_API_PORT}`;

export default defineConfig({
  testDir: "./e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  timeout: 30_000,
  expect: { timeout: 7_000 },
  use: {
    baseURL: `http://127.0.0.1:${WEB_PORT}`,
    headless: true,
    launchOptions: chromium,
    locale: "de-DE",
    timezoneId: "Europe/Berlin",
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "e2e",
      testIgnore: /screenshots\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], launchOptions: chromium, channel: undefined },
    },
    {
      // `npm run screenshots`: PNGs of every page and state for a person to look at.
      name: "screenshots",
      testMatch: /screenshots\.spec\.ts/,
      use: { launchOptions: chromium },
    },
  ],
  webServer: {
    command: `npx next start -H 127.0.0.1 -p ${WEB_PORT}`,
    url: `http://127.0.0.1:${WEB_PORT}/login`,
    env: { API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: "1" },
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
