/**
 * A stand-in for the backend's public portal API on 127.0.0.1, for the portal states that
 * the real stack cannot produce on demand (an expired link, a 429, a 500, a slow answer,
 * hostile markup in every field). Everything else runs against the real stack
 * (scripts/e2e-stack.py). Only the network edge is faked: the Next.js server, its proxy,
 * the typed client and the portal page run for real against it.
 *
 * Portal tokens select a fixture: fixture-open, -overdue, -paid, -cancelled, -small,
 * -hostile, -confirm (becomes paid after confirm-payment), -slow (answers after 1.5 s),
 * -expired (422), -ratelimited (429), -broken (500); anything else is 404.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { PortalInvoice } from "../../lib/api/types";
import { cancelledInvoice, hostileInvoice, isoDay, links, openInvoice, overdueInvoice, paidInvoice, smallBusinessInvoice } from "./fixtures";

const FIXTURES: Record<string, () => PortalInvoice> = {
  "fixture-open": openInvoice,
  "fixture-overdue": overdueInvoice,
  "fixture-paid": paidInvoice,
  "fixture-cancelled": cancelledInvoice,
  "fixture-small": smallBusinessInvoice,
  "fixture-hostile": hostileInvoice,
  "fixture-slow": openInvoice,
};

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

      const paidNow = (): PortalInvoice => ({ ...paidInvoice(), paid_on: isoDay(0), payment_confirmed_by: "customer", can_confirm_payment: false });
      if (action === "" && req.method === "GET") {
        if (token === "fixture-slow") await new Promise((r) => setTimeout(r, 1500));
        return send(res, 200, { ...(confirmed.has(token) ? paidNow() : make()), ...links(token) });
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
