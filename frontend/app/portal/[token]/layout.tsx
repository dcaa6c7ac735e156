import type { Metadata } from "next";

// A customer's invoice must never end up in a search index or a link preview cache.
export const metadata: Metadata = {
  robots: { index: false, follow: false, nocache: true, googleBot: { index: false, follow: false } },
  referrer: "no-referrer",
};

export default function PortalLayout({ children }: { children: React.ReactNode }) {
  return children;
}
