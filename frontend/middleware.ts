/**
 * Optimistic auth guard: without a session cookie, signed-in pages redirect to /login at
 * once, before any rendering. Whether the token is still valid is decided by the API
 * (a 401 there sends the user through /logout).
 */
import { type NextRequest, NextResponse } from "next/server";
import { SESSION_COOKIE } from "@/lib/api/config";

export function middleware(req: NextRequest) {
  if (req.cookies.has(SESSION_COOKIE)) return NextResponse.next();
  const url = new URL("/login", req.url);
  const next = req.nextUrl.pathname + req.nextUrl.search;
  if (next !== "/" && next !== "/dashboard") url.searchParams.set("next", next);
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/", "/dashboard/:path*", "/invoices/:path*", "/contacts/:path*", "/recurring/:path*", "/webhooks/:path*", "/settings/:path*"],
};
