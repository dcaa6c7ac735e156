import { startMockApi } from "./mock/mock-api";
import { MOCK_API_PORT } from "./ports";

/** Starts the mock portal API before the tests; Playwright calls the returned function at the end. */
export default async function globalSetup() {
  const mock = await startMockApi(MOCK_API_PORT);
  return async () => {
    await mock.close();
  };
}
