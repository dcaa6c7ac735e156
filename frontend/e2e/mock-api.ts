/**
 * A stand-in for the backend on 127.0.0.1, speaking the API's HTTP shapes, until the real
 * backend can be started by the test run. Only the network edge is faked: the Next.js
 * server, its proxy, the typed client and the pages run for real against it.
 *
 * Portal tokens select a fixture: fixture-open, -overdue, -paid, -cancelled, -small,
 * -hostile, -confirm (becomes paid after confirm-payment), -slow (answers after 1.5 s),
 * -expired (422), -ratelimited (429), -broken (500); anything else is 404.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AppNotification, Me, PortalInvoice } from "../lib/api/types";
import { cancelledInvoice, hostileInvoice, isoDay, openInvoice, overdueInvoice, paidInvoice, smallBusinessInvoice } from "./fixtures/portal";

export const MOCK_TOKEN = "mock-session-token";
export const DEMO_USER = { email: "anna@mustermann-webdesign.de", password: "richtig-geheim" };

const FIXTURES: Record<string, () => PortalInvoice> = {
  "fixture-open": openInvoice,
  "fixture-overdue": overdueInvoice,
  "fixture-paid": paidInvoice,
  "fixture-cancelled": cancelledInvoice,
  "fixture-small": smallBusinessInvoice,
  "fixture-hostile": hostileInvoice,
  "fixture-slow": openInvoice,
};

const ME: Me = {
  user: { id: 1, email: DEMO_USER.email, full_name: "Anna Mustermann" },
  organization: { id: 1, name: "Mustermann Webdesign GmbH" },
};

function notifications(): AppNotification[] {
  const now = Date.now();
  return [
    { id: 3, type: "invoice.payment_confirmed", title: "Zahlung bestätigt: RE-2026-0042", body: "Bäckerei Schmidt & Söhne OHG hat die Zahlung über das Portal bestätigt.", link: "/invoices/42", is_read: false, created_at: new Date(now - 12 * 60_000).toISOString() },
    { id: 2, type: "recurring.invoice_generated", title: "Wiederkehrende Rechnung erstellt", body: "„Hosting Business“ für Café Lindner wurde als RE-2026-0041 erzeugt.", link: "/invoices/41", is_read: false, created_at: new Date(now - 5 * 3600_000).toISOString() },
    { id: 1, type: "invoice.viewed", title: "Rechnung geöffnet: RE-2026-0040", body: "Ihr Kunde hat die Rechnung im Portal angesehen.", link: "/invoices/40", is_read: true, created_at: new Date(now - 2 * 86400_000).toISOString() },
  ];
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (!raw) return {};
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export interface MockApi {
  url: string;
  /** Every request seen, "METHOD /path", for assertions. */
  requests: string[];
  close(): Promise<void>;
}

export async function startMockApi(port: number): Promise<MockApi> {
  const confirmed = new Set<string>();
  const requests: string[] = [];

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://mock");
    const path = url.pathname;
    requests.push(`${req.method} ${path}`);
    const authed = req.headers.authorization === `Bearer ${MOCK_TOKEN}`;

    const portal = /^\/api\/portal\/([^/]+)(\/[a-z-]+)?$/.exec(path);
    if (portal) {
      const token = decodeURIComponent(portal[1]!);
      const action = portal[2] ?? "";
      if (token === "fixture-expired") return send(res, 422, { detail: "Dieser Link ist abgelaufen. Bitte fordern Sie beim Rechnungssteller einen neuen Link an.", code: "share_link_expired" });
      if (token === "fixture-ratelimited") return send(res, 429, { detail: "Zu viele Anfragen.", code: "rate_limited" }, { "retry-after": "42" });
      if (token === "fixture-broken") return send(res, 500, { detail: "Internal Server Error", code: "internal_error" });
      // Every "fixture-confirm…" token has its own paid/unpaid state, so parallel runs do not meet.
      const make = token.startsWith("fixture-confirm") ? openInvoice : FIXTURES[token];
      if (!make) return send(res, 404, { detail: "Link nicht gefunden.", code: "share_link_not_found" });

      const paidNow = (): PortalInvoice => ({ ...paidInvoice(), paid_on: isoDay(0), payment_confirmed_by: "customer" });
      if (action === "" && req.method === "GET") {
        if (token === "fixture-slow") await new Promise((r) => setTimeout(r, 1500));
        return send(res, 200, confirmed.has(token) ? paidNow() : make());
      }
      if (action === "/confirm-payment" && req.method === "POST") {
        await readJson(req);
        if (token === "fixture-cancelled") return send(res, 409, { detail: "Diese Rechnung wurde storniert.", code: "invoice_cancelled" });
        confirmed.add(token);
        return send(res, 200, paidNow());
      }
      const number = make().number;
      if (action === "/download-pdf" && req.method === "GET") {
        res.writeHead(200, { "content-type": "application/pdf", "content-disposition": `attachment; filename="Rechnung_${number}.pdf"` });
        return res.end("%PDF-1.7\n% mock\n%%EOF\n");
      }
      if (action === "/download-xml" && req.method === "GET") {
        res.writeHead(200, { "content-type": "application/xml", "content-disposition": `attachment; filename="Rechnung_${number}.xml"` });
        return res.end(`<?xml version="1.0" encoding="UTF-8"?><Invoice><ID>${number}</ID></Invoice>`);
      }
      return send(res, 405, { detail: "Method not allowed", code: "method_not_allowed" });
    }

    if (path === "/api/auth/login" && req.method === "POST") {
      const body = await readJson(req);
      if (body.email === DEMO_USER.email && body.password === DEMO_USER.password) {
        return send(res, 200, { access_token: MOCK_TOKEN, token_type: "bearer", expires_in: 3600 });
      }
      return send(res, 401, { detail: "E-Mail-Adresse oder Passwort ist falsch.", code: "invalid_credentials" });
    }
    if (path === "/api/auth/register" && req.method === "POST") {
      const body = await readJson(req);
      const errors: { field: string; message: string }[] = [];
      if (body.email === "vergeben@example.com") errors.push({ field: "email", message: "Diese E-Mail-Adresse ist bereits registriert." });
      if (typeof body.password !== "string" || body.password.length < 8) errors.push({ field: "password", message: "Das Passwort muss mindestens 8 Zeichen lang sein." });
      if (errors.length) return send(res, 422, { detail: "Bitte prüfen Sie Ihre Eingaben.", code: "validation_error", errors });
      return send(res, 201, { access_token: MOCK_TOKEN, token_type: "bearer", expires_in: 3600 });
    }
    if (path === "/api/auth/me" && req.method === "GET") {
      return authed ? send(res, 200, ME) : send(res, 401, { detail: "Nicht angemeldet.", code: "not_authenticated" });
    }
    if (path === "/api/notifications" && req.method === "GET") {
      return authed ? send(res, 200, notifications()) : send(res, 401, { detail: "Nicht angemeldet.", code: "not_authenticated" });
    }
    const read = /^\/api\/notifications\/(\d+)\/read$/.exec(path);
    if (read && req.method === "POST") {
      const n = notifications().find((x) => x.id === Number(read[1]));
      return n ? send(res, 200, { ...n, is_read: true }) : send(res, 404, { detail: "Nicht gefunden.", code: "not_found" });
    }
    if (path === "/api/notifications/read-all" && req.method === "POST") return send(res, 204);
    if (path === "/api/health") return send(res, 200, { status: "ok", db: "ok", redis: "ok", worker: "ok" });
    return send(res, 404, { detail: "Not Found", code: "not_found" });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
