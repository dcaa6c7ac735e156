"use client";
import { MoreHorizontal, Pause, Pencil, Play, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { toast } from "@/components/ui/toast";
import { api, ApiError, unwrap } from "@/lib/api/browser";
import type { RecurringDetail } from "@/lib/api/types";

/** Pause, resume (optionally billing the periods missed meanwhile), edit, delete. */
export function RecurringActions({ template }: { template: RecurringDetail }) {
  const router = useRouter();
  const [dialog, setDialog] = useState<"resume" | "delete" | null>(null);
  const [catchUp, setCatchUp] = useState(false);
  const [busy, setBusy] = useState(false);
  const path = { params: { path: { template_id: template.id } } };

  async function act(call: () => Promise<unknown>, success: string) {
    setBusy(true);
    try {
      await call();
      toast({ title: success, tone: "success" });
      router.refresh();
    } catch (e) {
      toast({ title: "Nicht ausgeführt", description: e instanceof ApiError ? e.message : undefined, tone: "error" });
      throw e;
    } finally {
      setBusy(false);
    }
  }

  const finished = template.status === "finished";
  return (
    <div className="flex flex-wrap gap-2">
      {template.status === "active" ? (
        <Button variant="secondary" disabled={busy} onClick={() => void act(() => unwrap(api.POST("/api/recurring/{template_id}/pause", path)), "Pausiert").catch(() => undefined)}>
          <Pause aria-hidden="true" />
          Pausieren
        </Button>
      ) : null}
      {template.status === "paused" ? (
        <Button
          disabled={busy}
          onClick={() => {
            setCatchUp(false);
            setDialog("resume");
          }}
        >
          <Play aria-hidden="true" />
          Fortsetzen
        </Button>
      ) : null}
      {!finished ? (
        <Button asChild variant="secondary">
          <Link href={`/recurring/${template.id}/edit`}>
            <Pencil aria-hidden="true" />
            Bearbeiten
          </Link>
        </Button>
      ) : null}
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon" aria-label="Weitere Aktionen">
            <MoreHorizontal aria-hidden="true" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent>
          <DropdownMenuItem onSelect={() => setDialog("delete")} className="text-destructive focus:text-destructive [&_svg]:text-destructive">
            <Trash2 aria-hidden="true" />
            Vorlage löschen
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>

      <ConfirmDialog
        open={dialog === "resume"}
        onOpenChange={(o) => !o && setDialog(null)}
        title="Serie fortsetzen?"
        description="Die nächste Rechnung entsteht zum nächsten Termin."
        confirmLabel="Fortsetzen"
        onConfirm={() => act(() => unwrap(api.POST("/api/recurring/{template_id}/resume", { ...path, body: { catch_up: catchUp } })), "Fortgesetzt")}
      >
        <label className="flex items-start gap-3 rounded-md border border-border p-3 text-sm has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring">
          <input type="checkbox" checked={catchUp} onChange={(e) => setCatchUp(e.target.checked)} className="mt-0.5 size-4 accent-[var(--primary)]" />
          <span className="grid gap-0.5">
            <span className="font-medium">Verpasste Zeiträume nachberechnen</span>
            <span className="text-muted-foreground">Für jeden Zeitraum, der während der Pause begonnen hat, entsteht eine eigene Rechnung.</span>
          </span>
        </label>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "delete"}
        onOpenChange={(o) => !o && setDialog(null)}
        title="Vorlage löschen?"
        description="Es entstehen keine weiteren Rechnungen. Bereits erzeugte Rechnungen bleiben erhalten."
        confirmLabel="Vorlage löschen"
        destructive
        onConfirm={() =>
          act(async () => {
            await unwrap(api.DELETE("/api/recurring/{template_id}", path));
            router.push("/recurring");
          }, "Vorlage gelöscht")
        }
      />
    </div>
  );
}
