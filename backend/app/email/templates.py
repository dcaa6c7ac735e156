"""German e-mail templates (plain text and HTML) for what the app sends.

Public and stable (the portal's "Per E-Mail senden" and the recurring auto-send use it):

    render_invoice_email(org, invoice_number, amount_due, due_date, portal_url, message)
        -> (subject, text_body, html_body)

Every value that ends up in the HTML is escaped; the layout is a single table with inline
styles because that is what mail clients render reliably.
"""

import hashlib
import hmac
from datetime import date
from decimal import Decimal
from html import escape

from app.config import get_settings
from app.kit.money import fmt_eur_de
from app.organizations.models import Organization


def logo_signature(org_id: int, logo_path: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"email-logo:{org_id}:{logo_path}".encode(), hashlib.sha256).hexdigest()[:32]


def logo_url(org: Organization) -> str | None:
    """A stable public URL of the seller's logo for e-mails (signed; see the emails router).

    A remote image rather than an inline attachment: Brevo's API has no inline images,
    and one mechanism for every provider keeps the three backends' mails identical.
    """
    if not org.logo_path:
        return None
    base = get_settings().api_base_url.rstrip("/")
    return f"{base}/api/emails/logo/{org.id}/{logo_signature(org.id, org.logo_path)}"


def _date_de(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def _address_lines(org: Organization) -> list[str]:
    lines = []
    if org.street:
        lines.append(org.street)
    place = " ".join(p for p in (org.postal_code, org.city) if p)
    if place:
        lines.append(place)
    contact = " · ".join(p for p in (org.email, org.phone) if p)
    if contact:
        lines.append(contact)
    return lines


def render_invoice_email(
    org: Organization,
    invoice_number: str,
    amount_due: Decimal,
    due_date: date | None,
    portal_url: str,
    message: str | None = None,
) -> tuple[str, str, str]:
    """Subject, plain text and HTML of the e-mail that brings an invoice to the customer."""
    seller = org.name
    subject = f"Rechnung {invoice_number} von {seller}"
    amount = fmt_eur_de(amount_due)
    due = f"fällig am {_date_de(due_date)}" if due_date else "zahlbar sofort"
    message = (message or "").strip()
    address = _address_lines(org)

    text_parts = [
        "Guten Tag,",
        "",
        f"anbei erhalten Sie die Rechnung {invoice_number} von {seller} über {amount}, {due}.",
    ]
    if message:
        text_parts += ["", f"Nachricht von {seller}:", message]
    text_parts += [
        "",
        "Sie können die Rechnung online ansehen, als PDF oder als E-Rechnung (XML) herunterladen "
        "und uns mitteilen, dass Sie bezahlt haben:",
        portal_url,
        "",
        "Mit freundlichen Grüßen",
        seller,
        *address,
        "",
        "--",
        "Versendet mit RechnungsWerk.",
    ]
    text = "\n".join(text_parts) + "\n"

    logo = logo_url(org)
    logo_html = (
        f'<img src="{escape(logo)}" alt="{escape(seller)}" style="max-height:60px;max-width:240px;display:block;margin-bottom:16px">'
        if logo
        else f'<div style="font-size:20px;font-weight:bold;margin-bottom:16px">{escape(seller)}</div>'
    )
    message_html = ""
    if message:
        paragraphs = "<br>".join(escape(line) for line in message.splitlines())
        message_html = (
            '<tr><td style="padding:0 24px 16px">'
            f'<div style="border-left:3px solid #2563eb;padding:8px 12px;background:#f8fafc">'
            f'<div style="font-size:12px;color:#64748b;margin-bottom:4px">Nachricht von {escape(seller)}</div>'
            f"{paragraphs}</div></td></tr>"
        )
    address_html = "<br>".join(escape(line) for line in address)
    url = escape(portal_url, quote=True)
    html = f"""<!DOCTYPE html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{escape(subject)}</title></head>
<body style="margin:0;padding:0;background:#f1f5f9;font-family:Arial,Helvetica,sans-serif;color:#0f172a">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f1f5f9;padding:24px 0">
<tr><td align="center">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;border-radius:8px">
<tr><td style="padding:24px 24px 8px">{logo_html}
<h1 style="font-size:20px;margin:0 0 12px">Ihre Rechnung {escape(invoice_number)}</h1>
<p style="margin:0 0 16px;line-height:1.5">Guten Tag,<br>anbei erhalten Sie die Rechnung {escape(invoice_number)} von {escape(seller)}.</p>
</td></tr>
<tr><td style="padding:0 24px 16px">
<table role="presentation" cellpadding="0" cellspacing="0" style="width:100%;background:#f8fafc;border-radius:6px">
<tr><td style="padding:12px 16px;color:#64748b">Rechnungsbetrag</td><td style="padding:12px 16px;text-align:right;font-weight:bold;font-size:18px">{escape(amount)}</td></tr>
<tr><td style="padding:0 16px 12px;color:#64748b">Fälligkeit</td><td style="padding:0 16px 12px;text-align:right">{escape(due)}</td></tr>
</table></td></tr>
{message_html}
<tr><td style="padding:8px 24px 24px" align="center">
<a href="{url}" style="display:inline-block;background:#2563eb;color:#ffffff;text-decoration:none;padding:12px 24px;border-radius:6px;font-weight:bold">Rechnung ansehen</a>
<p style="font-size:13px;color:#64748b;line-height:1.5;margin:16px 0 0">Dort können Sie die Rechnung als PDF oder als E-Rechnung (XML) herunterladen und uns mitteilen, dass Sie bezahlt haben.<br>
Falls der Knopf nicht funktioniert: <a href="{url}" style="color:#2563eb">{escape(portal_url)}</a></p>
</td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid #e2e8f0;font-size:13px;color:#475569;line-height:1.5">
Mit freundlichen Grüßen<br><strong>{escape(seller)}</strong><br>{address_html}
</td></tr>
</table>
<p style="font-size:11px;color:#94a3b8;margin:12px 0 0">Versendet mit RechnungsWerk.</p>
</td></tr></table>
</body></html>
"""
    return subject, text, html
