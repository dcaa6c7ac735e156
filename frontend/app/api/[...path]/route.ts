/**
 * Same-origin gateway to the API: the browser calls /api/..., this forwards to API_URL.
 *
 * Why a route handler and not `rewrites` in next.config: rewrites are fixed at build time,
 * this reads API_URL per request; and it is the one place that turns the httpOnly session
 * cookie into `Authorization: Bearer …` and sets that cookie after login/registration.
 */
import { type NextRequest, NextResponse } from "next/server";
import { apiOrigin, DEFAULT_SESSION_SECONDS, SESSION_COOKIE } from "@/lib/api/config";

export const dynamic = "force-dynamic";

/** Request headers the API may see. Cookies stay here: the API authenticates by bearer token. */
const FORWARD_REQUEST = ["accept", "accept-language", "content-type", "if-none-match", "user-agent", "x-forwarded-for", "x-request-id"];
/**
 * Hop-by-hop, or invalidated by `fetch` (which already decoded the body); and Set-Cookie,
 * because on this origin only this app sets cookies (the API works with bearer tokens).
 */
const DROP_RESPONSE = new Set(["connection", "content-encoding", "content-length", "keep-alive", "transfer-encoding", "set-cookie"]);
/** Answers that start a session. */
const SESSION_ROUTES = new Set(["auth/login", "auth/register"]);

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

async function forward(req: NextRequest, ctx: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const { path } = await ctx.params;
  const subpath = path.map(encodeURIComponent).join("/");

  // The session cookie rides along with any request the browser makes to us, also one that
  // another site triggers. SameSite=Lax stops cross-site POSTs already; refusing what the
  // browser itself labels cross-site closes the rest (old browsers, same-site subdomains).
  if (UNSAFE.has(req.method) && req.headers.get("sec-fetch-site") === "cross-site") {
    return NextResponse.json({ detail: "Cross-site request refused.", code: "csrf" }, { status: 403 });
  }

  const headers = new Headers();
  for (const name of FORWARD_REQUEST) {
    const v = req.headers.get(name);
    if (v) headers.set(name, v);
  }
  headers.set("x-forwarded-proto", req.nextUrl.protocol.replace(":", ""));
  headers.set("x-forwarded-host", req.headers.get("host") ?? "");
  const token = req.cookies.get(SESSION_COOKIE)?.value;
  const isPortal = path[0] === "portal";
  // The portal is public and must not act as the seller even if the seller opens it while signed in.
  if (token && !isPortal) headers.set("authorization", `Bearer ${token}`);

  const target = `${apiOrigin()}/api/${subpath}${req.nextUrl.search}`;
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: req.method,
      headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer(),
      redirect: "manual",
      cache: "no-store",
    });
  } catch {
    return NextResponse.json(
      { detail: "Der Server ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.", code: "api_unreachable" },
      { status: 502 },
    );
  }

  const outHeaders = new Headers();
  upstream.headers.forEach((value, key) => {
    if (!DROP_RESPONSE.has(key.toLowerCase())) outHeaders.set(key, value);
  });
  if (!outHeaders.has("cache-control")) outHeaders.set("cache-control", "no-store");

  if (req.method === "POST" && SESSION_ROUTES.has(subpath) && upstream.ok) {
    const body = (await upstream.json()) as { access_token?: unknown; expires_in?: unknown };
    const res = NextResponse.json(body, { status: upstream.status, headers: outHeaders });
    if (typeof body.access_token === "string") {
      res.cookies.set(SESSION_COOKIE, body.access_token, {
        httpOnly: true,
        sameSite: "lax",
        secure: req.nextUrl.protocol === "https:" || req.headers.get("x-forwarded-proto") === "https",
        path: "/",
        maxAge: typeof body.expires_in === "number" ? body.expires_in : DEFAULT_SESSION_SECONDS,
      });
    }
    return res;
  }

  return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: outHeaders });
}

export { forward as GET, forward as POST, forward as PUT, forward as PATCH, forward as DELETE, forward as HEAD };
