"use client";
import { TriangleAlert } from "lucide-react";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

/** A page of the signed-in area failed to load: say so calmly, offer a retry, keep the shell. */
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <EmptyState
      icon={<TriangleAlert />}
      title="Diese Seite konnte nicht geladen werden"
      description="Der Server hat gerade nicht geantwortet. Ihre Daten sind sicher – bitte versuchen Sie es gleich noch einmal."
      action={
        <Button variant="secondary" onClick={reset}>
          Erneut versuchen
        </Button>
      }
    />
  );
}
