import { Skeleton } from "@/components/ui/skeleton";

// Shown while the API answers. It cannot know the language yet, so its only words are
// for screen readers, in both languages.
export default function PortalLoading() {
  return (
    <div className="min-h-dvh bg-surface" aria-busy="true">
      <p role="status" className="sr-only">
        Rechnung wird geladen … / Loading invoice …
      </p>
      <div className="mx-auto grid w-full max-w-3xl gap-4 px-3 pt-14 sm:gap-6 sm:px-6 sm:pt-20" data-portal-state="loading">
        <div className="grid gap-5 rounded-xl border border-border bg-card p-5 shadow-sm sm:p-8">
          <div className="flex justify-between">
            <div className="grid gap-2">
              <Skeleton className="h-4 w-48" />
              <Skeleton className="h-4 w-32" />
            </div>
            <Skeleton className="h-6 w-16 rounded-full" />
          </div>
          <div className="grid gap-2">
            <Skeleton className="h-4 w-28" />
            <Skeleton className="h-11 w-56" />
            <Skeleton className="h-4 w-36" />
          </div>
          <Skeleton className="h-40 w-full" />
          <Skeleton className="h-11 w-full sm:w-48" />
        </div>
        <div className="grid gap-4 rounded-xl border border-border bg-card p-5 shadow-sm sm:p-10">
          <Skeleton className="h-5 w-40" />
          <Skeleton className="h-4 w-64" />
          <Skeleton className="h-24 w-full" />
        </div>
      </div>
    </div>
  );
}
