import { redirect } from "next/navigation";
import { BrandWordmark } from "@/components/brand";
import { MobileNav } from "@/components/shell/mobile-nav";
import { NotificationBell } from "@/components/shell/notification-bell";
import { SidebarNav } from "@/components/shell/sidebar-nav";
import { UserMenu } from "@/components/shell/user-menu";
import { Toaster } from "@/components/ui/toast";
import { unwrap } from "@/lib/api/client";
import { ApiError } from "@/lib/api/errors";
import { serverApi } from "@/lib/api/server";
import type { AppNotification, Me } from "@/lib/api/types";

// Per user, per request: never prerender or cache.
export const dynamic = "force-dynamic";

async function loadShell(): Promise<{ me: Me | null; notifications: AppNotification[]; apiDown: boolean }> {
  const api = await serverApi();
  try {
    const [me, notifications] = await Promise.all([
      unwrap(api.GET("/api/auth/me")),
      unwrap(api.GET("/api/notifications")).catch((e: unknown) => {
        // The bell is not worth a broken page; a 401 is handled by /api/auth/me.
        if (e instanceof ApiError && e.status !== 401) return [] as AppNotification[];
        throw e;
      }),
    ]);
    return { me, notifications, apiDown: false };
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) redirect("/logout?reason=expired");
    if (e instanceof ApiError && (e.isNetworkError || e.status >= 500)) return { me: null, notifications: [], apiDown: true };
    throw e;
  }
}

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const { me, notifications, apiDown } = await loadShell();
  const orgName = me?.organization.name ?? null;

  return (
    <div className="min-h-dvh bg-surface lg:grid lg:grid-cols-[15rem_1fr]">
      <a
        href="#content"
        className="sr-only z-50 rounded-md bg-card px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:left-3 focus:top-3"
      >
        Zum Inhalt springen
      </a>
      <aside className="hidden border-r border-border bg-card lg:sticky lg:top-0 lg:flex lg:h-dvh lg:flex-col lg:gap-6 lg:px-3 lg:py-4">
        <div className="px-2.5">
          <BrandWordmark />
        </div>
        <SidebarNav />
      </aside>
      <div className="flex min-w-0 flex-col">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b border-border bg-card/95 px-3 backdrop-blur sm:px-6">
          <MobileNav orgName={orgName} />
          <div className="min-w-0 flex-1">
            <p className="truncate text-sm font-semibold" data-testid="org-name">
              {orgName ?? "RechnungsWerk"}
            </p>
          </div>
          <NotificationBell initial={notifications} />
          {me ? <UserMenu name={me.user.full_name} email={me.user.email} /> : null}
        </header>
        {apiDown ? (
          <div role="alert" className="border-b border-warning/25 bg-warning-soft px-4 py-2.5 text-sm text-warning sm:px-6">
            Der RechnungsWerk-Server ist gerade nicht erreichbar. Ihre Daten sind sicher – bitte laden Sie die Seite gleich neu.
          </div>
        ) : null}
        <main id="content" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:px-6 sm:py-8">
          {children}
        </main>
      </div>
      <Toaster />
    </div>
  );
}
