/**
 * Where the e2e run finds its servers. scripts/e2e-stack.py picks free ports and sets these;
 * the defaults keep clear of `make run`'s 3000/8000 so both can run side by side.
 *
 * - the real stack (API + worker + `next start`), started by scripts/e2e-stack.py:
 *   E2E_WEB_URL (the web app), E2E_API_URL (the API, for setup shortcuts), E2E_DATA_DIR
 *   (the stack's DATA_DIR, where the file e-mail backend writes its outbox);
 * - the mock portal API and a second `next start` in front of it, started by Playwright.
 */
export const MOCK_WEB_PORT = Number(process.env.E2E_MOCK_WEB_PORT ?? 3100);
export const MOCK_API_PORT = Number(process.env.E2E_MOCK_API_PORT ?? 8790);
export const REAL_WEB_URL = process.env.E2E_WEB_URL ?? null;
export const REAL_API_URL = process.env.E2E_API_URL ?? null;
export const REAL_DATA_DIR = process.env.E2E_DATA_DIR ?? null;
