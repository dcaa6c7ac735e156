import { Eye } from "lucide-react";
import { daysBetween, relativeDays } from "@/lib/dates";
import { formatDate, todayInBerlin } from "@/lib/format";
import { cn } from "@/lib/utils";

interface PaymentFields {
  status: string;
  due_date: string | null;
  paid_at: string | null;
  viewed_at?: string | null;
  paid_confirmed_by?: string | null;
}

/**
 * The second thing a seller wants to know about an invoice after its status: when the money
 * came, or when it is due (and how late it is). Quiet text, colour only when overdue.
 */
export function PaymentInfo({ invoice, today = todayInBerlin(), className }: { invoice: PaymentFields; today?: string; className?: string }) {
  let text: string | null = null;
  let tone = "text-muted-foreground";
  if (invoice.status === "paid" && invoice.paid_at) {
    text = `Bezahlt am ${formatDate(invoice.paid_at)}`;
    // The seller must know the money is only announced, not yet seen on the account.
    if (invoice.paid_confirmed_by === "customer") text += " · vom Kunden bestätigt";
  } else if ((invoice.status === "open" || invoice.status === "overdue") && invoice.due_date) {
    const rel = relativeDays(invoice.due_date, today);
    if (invoice.status === "overdue" || invoice.due_date < today) {
      const late = -daysBetween(invoice.due_date, today) ;
      text = `Fällig seit ${formatDate(invoice.due_date)} · ${late === 1 ? "1 Tag" : `${late} Tage`}`;
      tone = "text-warning font-medium";
    } else {
      text = `Fällig ${rel === "heute" || rel === "morgen" ? rel : `am ${formatDate(invoice.due_date)}`}`;
    }
  }
  if (!text) return <span className={cn("text-muted-foreground", className)}>—</span>;
  const viewed = invoice.viewed_at && (invoice.status === "open" || invoice.status === "overdue");
  return (
    <span className={cn("inline-flex items-center gap-1.5", tone, className)}>
      {text}
      {viewed ? (
        <span title="Vom Kunden im Portal angesehen" className="inline-flex items-center text-muted-foreground">
          <Eye aria-hidden="true" className="size-3.5" />
          <span className="sr-only">, vom Kunden angesehen</span>
        </span>
      ) : null}
    </span>
  );
}
