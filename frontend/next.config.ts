import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The API is reached through app/api/[...path]/route.ts, not through `rewrites`:
  // rewrites are frozen into the build, while API_URL must be read when the server starts
  // (one build, run against any backend).
  async headers() {
    return [
      {
        // Belt and braces next to the <meta name="robots">: crawlers that only read headers
        // (and PDFs/XML proxied below /portal) must not index a customer's invoice either.
        source: "/portal/:path*",
        headers: [
          { key: "X-Robots-Tag", value: "noindex, nofollow, noarchive" },
          // The token in the URL is the customer's key: never hand it to another site.
          { key: "Referrer-Policy", value: "no-referrer" },
        ],
      },
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
