import { FileText, LayoutDashboard, Repeat, Settings, Users, Webhook, type LucideIcon } from "lucide-react";

export interface NavItem {
  href: string;
  label: string;
  icon: LucideIcon;
}

export const NAV: NavItem[] = [
  { href: "/dashboard", label: "Übersicht", icon: LayoutDashboard },
  { href: "/invoices", label: "Rechnungen", icon: FileText },
  { href: "/contacts", label: "Kunden", icon: Users },
  { href: "/recurring", label: "Wiederkehrend", icon: Repeat },
  { href: "/webhooks", label: "Webhooks", icon: Webhook },
  { href: "/settings", label: "Einstellungen", icon: Settings },
];
