"use client";
import { ImageIcon, Trash2, Upload } from "lucide-react";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import { api, ApiError, unwrap } from "@/lib/api/browser";
import { apiErrorFrom } from "@/lib/api/errors";
import type { Organization } from "@/lib/api/types";

const MAX_BYTES = 1_000_000;

/**
 * Logo upload with a preview. The file goes to the API as multipart form data through our
 * proxy; the preview is the API's own copy (GET /api/organization/logo), so what is shown is
 * what the PDF will use.
 */
export function LogoUpload({ organization, onChange }: { organization: Organization; onChange: (org: Organization) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Bumped after each upload so the <img> fetches the new file instead of its cached copy.
  const [version, setVersion] = useState(() => Date.now());

  async function upload(file: File) {
    setError(null);
    if (!["image/png", "image/jpeg"].includes(file.type)) {
      setError("Bitte ein PNG- oder JPEG-Bild wählen.");
      return;
    }
    if (file.size > MAX_BYTES) {
      setError("Das Logo darf höchstens 1 MB groß sein.");
      return;
    }
    setPending(true);
    try {
      const body = new FormData();
      body.append("file", file);
      const res = await fetch("/api/organization/logo", { method: "POST", body });
      const json: unknown = await res.json().catch(() => null);
      if (!res.ok) throw apiErrorFrom(res.status, json, res.headers);
      onChange(json as Organization);
      setVersion(Date.now());
      toast({ title: "Logo gespeichert", tone: "success" });
    } catch (e) {
      setError(e instanceof ApiError ? (e.field("file") ?? e.message) : "Das Hochladen hat nicht geklappt.");
    } finally {
      setPending(false);
      if (input.current) input.current.value = "";
    }
  }

  async function remove() {
    setPending(true);
    try {
      await unwrap(api.DELETE("/api/organization/logo"));
      onChange({ ...organization, has_logo: false, logo_url: null });
      toast({ title: "Logo entfernt", tone: "success" });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "Das Entfernen hat nicht geklappt.");
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="flex flex-col gap-4 sm:flex-row sm:items-center">
      <div className="flex h-24 w-48 shrink-0 items-center justify-center overflow-hidden rounded-md border border-dashed border-border bg-muted/40 p-2">
        {organization.has_logo ? (
          // eslint-disable-next-line @next/next/no-img-element -- the API's bytes, behind the session; next/image cannot forward cookies
          <img src={`/api/organization/logo?v=${version}`} alt="Ihr Logo" className="max-h-full max-w-full object-contain" data-testid="logo-preview" />
        ) : (
          <ImageIcon aria-hidden="true" className="size-6 text-muted-foreground" />
        )}
      </div>
      <div className="grid gap-2">
        <input
          ref={input}
          id="logo"
          type="file"
          accept="image/png,image/jpeg"
          className="sr-only"
          aria-label="Logo-Datei (PNG oder JPEG) wählen"
          tabIndex={-1}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void upload(f);
          }}
          aria-describedby={error ? "logo-error" : undefined}
        />
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" onClick={() => input.current?.click()} disabled={pending}>
            <Upload aria-hidden="true" />
            {organization.has_logo ? "Anderes Logo hochladen" : "Logo hochladen"}
          </Button>
          {organization.has_logo ? (
            <Button variant="ghost" onClick={() => void remove()} disabled={pending} className="text-muted-foreground">
              <Trash2 aria-hidden="true" />
              Entfernen
            </Button>
          ) : null}
        </div>
        {pending ? <p className="text-sm text-muted-foreground">Wird hochgeladen …</p> : null}
        {error ? (
          <p id="logo-error" role="alert" className="text-[13px] font-medium text-destructive">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
