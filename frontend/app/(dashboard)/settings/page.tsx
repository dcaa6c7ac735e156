import type { Metadata } from "next";
import { SettingsForm } from "@/components/settings/settings-form";
import { PageHeader } from "@/components/shell/page-header";
import { load } from "@/lib/api/load";
import { serverApi } from "@/lib/api/server";

export const metadata: Metadata = { title: "Einstellungen" };

export default async function SettingsPage() {
  const api = await serverApi();
  const organization = await load(api.GET("/api/organization"));
  return (
    <>
      <PageHeader title="Einstellungen" description="Firmendaten, Bankverbindung und Rechnungsnummern – die Pflichtangaben jeder Rechnung." />
      <SettingsForm organization={organization} />
    </>
  );
}
