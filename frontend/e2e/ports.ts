/** Ports of the e2e run, apart from `make run`'s 3000/8000 so both can run side by side. */
export const WEB_PORT = Number(process.env.E2E_WEB_PORT ?? 3100);
export const MOCK_API_PORT = Number(process.env.E2E_API_PORT ?? 8790);
