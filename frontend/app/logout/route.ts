/**
 * Ends the session by deleting the httpOnly cookie (page scripts cannot).
 * POST from the user menu; GET from the API client when the API said 401, which also
 * breaks the loop "guard sends to /login, stale cookie sends back".
 */
import { type NextRequest, NextResponse } from "next/server";
import { SESSION_COOKIE } from "@/lib/api/config";

function safeNext(value: string | null): string | null {
  // Only same-site paths: "//evil.example" would be an open redirect.
  return value && value.startsWith("/") && !value.startsWith("//") ? value : null;
}

function logout(req: NextRequest): NextResponse {
  const url = new URL("/login", req.url);
  if (req.nextUrl.searchParams.get("reason") === "expired") url.searchParams.set("expired", "1");
  const next = safeNext(req.nextUrl.searchParams.get("next"));
  if (next) url.searchParams.set("next", next);
  const res = NextResponse.redirect(url, 303);
  res.cookies.delete(SESSION_COOKIE);
  return res;
}

export { logout as GET, logout as POST };
