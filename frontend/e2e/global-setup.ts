import { startMockApi } from "./mock-api";
import { MOCK_API_PORT } from "./ports";

/** Starts the mock API before the tests; Playwright calls the returned function at the end. */
export default async function globalSetup() {
  if (process.env.E2E_REAL_API) return; // the test run started the real backend
  const mock = await startMockApi(MOCK_API_PORT);
  return async () => {
    await mock.close();
  };
}
