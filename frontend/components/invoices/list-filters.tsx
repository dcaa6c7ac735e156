"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTransition } from "react";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { PERIODS } from "@/lib/dates";

const ALL = "all";

/** "Zeitraum": a named period in the URL (?period=this_month), turned into dates by the page. */
export function PeriodSelect() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [, startTransition] = useTransition();
  const current = params.get("period") ?? ALL;

  function change(value: string) {
    const sp = new URLSearchParams(params.toString());
    if (value === ALL) sp.delete("period");
    else sp.set("period", value);
    sp.delete("offset");
    const qs = sp.toString();
    startTransition(() => router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false }));
  }

  return (
    <Select value={current in PERIODS ? current : ALL} onValueChange={change}>
      <SelectTrigger aria-label="Zeitraum" className="w-full sm:w-44">
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        <SelectItem value={ALL}>Gesamter Zeitraum</SelectItem>
        {Object.entries(PERIODS).map(([value, label]) => (
          <SelectItem key={value} value={value}>
            {label}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
