import { FileQuestion } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function DashboardNotFound() {
  return (
    <EmptyState
      icon={<FileQuestion />}
      title="Nicht gefunden"
      description="Diesen Eintrag gibt es nicht (mehr), oder er gehört zu einer anderen Organisation."
      action={
        <Button asChild variant="secondary">
          <Link href="/dashboard">Zur Übersicht</Link>
        </Button>
      }
    />
  );
}
