import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import type { Metadata, Viewport } from "next";
import { HydrationMark } from "@/components/hydration-mark";
import "./globals.css";

// Geist comes from the `geist` npm package through next/font/local: served by this app,
// no download at build time (next/font/google would need the internet).

export const metadata: Metadata = {
  title: { default: "RechnungsWerk", template: "%s · RechnungsWerk" },
  description: "E-Rechnungen (XRechnung, ZUGFeRD) schreiben, versenden und bezahlt bekommen.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: "#0e7069",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="de" className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body className="min-h-dvh">
        {children}
        <HydrationMark />
      </body>
    </html>
  );
}
