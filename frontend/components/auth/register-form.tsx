"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { api, unwrap } from "@/lib/api/browser";
import type { RegisterBody } from "@/lib/api/types";
import { FormAlert } from "./form-alert";
import { useApiSubmit } from "@/lib/use-api-submit";

export function RegisterForm() {
  const router = useRouter();
  const { pending, formError, fieldErrors, run, clearField } = useApiSubmit();

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const body: RegisterBody = {
      full_name: String(data.get("full_name")).trim(),
      organization_name: String(data.get("organization_name")).trim(),
      email: String(data.get("email")).trim(),
      password: String(data.get("password")),
    };
    void run(async () => {
      await unwrap(api.POST("/api/auth/register", { body }));
      router.replace("/dashboard");
      router.refresh();
    }, { keepPending: true });
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle as="h1" className="text-xl">
          Konto anlegen
        </CardTitle>
        <CardDescription>In zwei Minuten zur ersten gültigen E-Rechnung.</CardDescription>
      </CardHeader>
      {/* method="post": a submit before the page's script has loaded must not put the password into a URL. */}
      <form onSubmit={onSubmit} method="post" noValidate>
        <CardContent className="grid gap-4">
          {formError ? <FormAlert>{formError}</FormAlert> : null}
          <FormField label="Ihr Name" error={fieldErrors.full_name}>
            <Input name="full_name" autoComplete="name" required autoFocus onChange={() => clearField("full_name")} />
          </FormField>
          <FormField label="Firma" hint="So erscheint Ihr Unternehmen auf Rechnungen. Später änderbar." error={fieldErrors.organization_name}>
            <Input name="organization_name" autoComplete="organization" required onChange={() => clearField("organization_name")} />
          </FormField>
          <FormField label="E-Mail-Adresse" error={fieldErrors.email}>
            <Input name="email" type="email" autoComplete="email" required onChange={() => clearField("email")} />
          </FormField>
          <FormField label="Passwort" hint="Mindestens 8 Zeichen." error={fieldErrors.password}>
            <Input name="password" type="password" autoComplete="new-password" minLength={8} required onChange={() => clearField("password")} />
          </FormField>
          <Button type="submit" size="lg" className="mt-1 w-full" disabled={pending}>
            {pending ? "Konto wird angelegt …" : "Konto anlegen"}
          </Button>
        </CardContent>
      </form>
      <CardFooter className="justify-center text-sm text-muted-foreground">
        Schon registriert?
        <Link href="/login" className="rounded-sm font-medium text-primary underline-offset-4 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
          Anmelden
        </Link>
      </CardFooter>
    </Card>
  );
}
