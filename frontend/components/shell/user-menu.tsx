"use client";
import { ChevronDown, LogOut, Settings } from "lucide-react";
import Link from "next/link";
import { useRef } from "react";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "")).toUpperCase() || "?";
}

export function UserMenu({ name, email }: { name: string; email: string }) {
  // The form sits outside the menu: the menu unmounts on select, which would take a form
  // inside it away before the browser submits it. A POST, so no link can log anyone out.
  const logoutForm = useRef<HTMLFormElement>(null);
  return (
    <>
    <form ref={logoutForm} action="/logout" method="post" hidden />
    <DropdownMenu>
      <DropdownMenuTrigger
        aria-label={`Benutzermenü für ${name}`}
        className="inline-flex h-9 items-center gap-2 rounded-md pl-1 pr-2 text-sm hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
      >
        <span aria-hidden="true" className="flex size-7 items-center justify-center rounded-full bg-accent text-xs font-semibold text-accent-foreground">
          {initials(name)}
        </span>
        <span className="hidden max-w-40 truncate font-medium sm:inline">{name}</span>
        <ChevronDown aria-hidden="true" className="size-4 text-muted-foreground" />
      </DropdownMenuTrigger>
      <DropdownMenuContent className="w-60">
        <DropdownMenuLabel className="grid gap-0.5">
          <span className="truncate">{name}</span>
          <span className="truncate text-xs font-normal text-muted-foreground">{email}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/settings">
            <Settings aria-hidden="true" />
            Einstellungen
          </Link>
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => logoutForm.current?.requestSubmit()}>
          <LogOut aria-hidden="true" />
          Abmelden
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
    </>
  );
}
