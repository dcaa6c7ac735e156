"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { api, unwrap } from "@/lib/api/browser";
import { FormAlert } from "./form-alert";
import { useApiSubmit } from "@/lib/use-api-submit";

export function LoginForm({ next, expired }: { next: string; expired: boolean }) {
  const router = useRouter();
  const { pending, formError, fieldErrors, run, clearField } = useApiSubmit();

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    void run(async () => {
      // The /api proxy stores the token in an httpOnly cookie; the page never keeps it.
      await unwrap(api.POST("/api/auth/login", { body: { email: String(data.get("email")), password: String(data.get("password")) } }));
      router.replace(next);
      router.refresh();
    }, { keepPending: true });
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle as="h1" className="text-xl">
          Anmelden
        </CardTitle>
        <CardDescription>Willkommen zurück bei RechnungsWerk.</CardDescription>
      </CardHeader>
      {/* method="post": a submit before the page's script has loaded must not put the password into a URL. */}
      <form onSubmit={onSubmit} method="post" noValidate aria-describedby={formError ? "login-error" : undefined}>
        <CardContent className="grid gap-4">
          {expired && !formError ? <FormAlert tone="info">Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.</FormAlert> : null}
          {formError ? (
            <div id="login-error">
              <FormAlert>{formError}</FormAlert>
            </div>
          ) : null}
          <FormField label="E-Mail-Adresse" error={fieldErrors.email}>
            <Input name="email" type="email" autoComplete="email" required autoFocus onChange={() => clearField("email")} />
          </FormField>
          <FormField label="Passwort" error={fieldErrors.password}>
            <Input name="password" type="password" autoComplete="current-password" required onChange={() => clearField("password")} />
          </FormField>
          <Button type="submit" size="lg" className="mt-1 w-full" disabled={pending}>
            {pending ? "Anmelden …" : "Anmelden"}
          </Button>
        </CardContent>
      </form>
      <CardFooter className="justify-center text-sm text-muted-foreground">
        Noch kein Konto?
        <Link href="/register" className="font-medium text-primary underline-offset-4 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring rounded-sm">
          Kostenlos registrieren
        </Link>
      </CardFooter>
    </Card>
  );
}
