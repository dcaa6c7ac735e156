import Link from "next/link";
import { BrandWordmark } from "@/components/brand";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-4 bg-surface px-4 text-center">
      <BrandWordmark />
      <h1 className="text-xl font-semibold">Diese Seite gibt es nicht</h1>
      <p className="max-w-sm text-sm text-muted-foreground">Vielleicht hat sich ein Tippfehler in die Adresse geschlichen.</p>
      <Link href="/dashboard" className="text-sm font-medium text-primary underline-offset-4 hover:underline">
        Zur Übersicht
      </Link>
    </main>
  );
}
