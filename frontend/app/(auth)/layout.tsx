import Link from "next/link";
import { BrandWordmark } from "@/components/brand";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col bg-surface">
      <header className="px-4 pt-6 sm:px-8 sm:pt-8">
        <Link href="/login" className="inline-flex rounded-md focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
          <BrandWordmark />
        </Link>
      </header>
      <main className="flex flex-1 items-start justify-center px-4 py-10 sm:items-center sm:py-12">
        <div className="w-full max-w-[26rem]">{children}</div>
      </main>
      <footer className="px-4 pb-6 text-center text-xs text-muted-foreground">
        E-Rechnungen nach XRechnung und ZUGFeRD · Daten in Deutschland verarbeitet
      </footer>
    </div>
  );
}
