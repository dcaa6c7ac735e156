"""Demo data so that a first `make run` shows a working product, not an empty screen."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import service as auth
from app.contacts.models import Contact
from app.invoices import service as invoices
from app.invoices.schemas import InvoiceCreate, LineIn
from app.kit.timeutil import today_berlin
from app.organizations.models import User
from app.recurring import service as recurring
from app.recurring.periods import Frequency, add_months
from app.recurring.schemas import RecurringCreate


async def database_is_empty(session: AsyncSession) -> bool:
    return (await session.scalar(select(func.count()).select_from(User))) == 0


async def seed_demo(session: AsyncSession, email: str, password: str) -> None:
    user, org = await auth.register(
        session, email=email, password=password, full_name="Maria Muster", organization_name="Muster Webdesign GmbH"
    )
    org.street = "Hauptstraße 12"
    org.postal_code = "10115"
    org.city = "Berlin"
    org.country_code = "DE"
    org.vat_id = "DE123456788"
    org.tax_number = "30/123/45678"
    org.iban = "DE89370400440532013000"
    org.bic = "COBADEFFXXX"
    org.bank_name = "Commerzbank"
    org.phone = "+49 30 1234567"
    org.email = email
    org.register_court = "Amtsgericht Berlin-Charlottenburg"
    org.register_number = "HRB 123456"
    kunde = Contact(
        organization_id=org.id,
        name="Beispiel Handels GmbH",
        street="Marktplatz 5",
        postal_code="80331",
        city="München",
        country_code="DE",
        email="einkauf@beispiel-handel.de",
        contact_name="Jonas Beispiel",
        customer_number="K-1001",
    )
    amt = Contact(
        organization_id=org.id,
        name="Stadtverwaltung Musterstadt",
        street="Rathausplatz 1",
        postal_code="50667",
        city="Köln",
        country_code="DE",
        email="rechnungseingang@musterstadt.de",
        buyer_reference="05315000-12345-67",
        customer_number="K-1002",
    )
    session.add_all([kunde, amt])
    await session.flush()
    today = today_berlin()
    await invoices.create(
        session,
        org,
        InvoiceCreate(
            contact_id=kunde.id,
            service_period_start=today.replace(day=1),
            service_period_end=today,
            note="Vielen Dank für Ihren Auftrag!",
            lines=[
                LineIn(description="Webdesign Startseite", quantity=Decimal("12"), unit_code="HUR", unit_price=Decimal("95")),
                LineIn(description="Hosting (monatlich)", quantity=Decimal("1"), unit_code="MON", unit_price=Decimal("19.90")),
                LineIn(
                    description="Fachbuch „E-Rechnung in der Praxis“",
                    quantity=Decimal("2"),
                    unit_code="C62",
                    unit_price=Decimal("34.50"),
                    vat_rate=Decimal("7"),
                ),
            ],
            due_date=today + timedelta(days=14),
        ),
        invoices.Actor.user(user.id),
    )
    # A recurring invoice, so the /recurring page shows a series with its next date.
    await recurring.create(
        session,
        org,
        RecurringCreate(
            contact_id=kunde.id,
            name="Hosting und Wartung",
            frequency=Frequency.MONTHLY,
            start_date=add_months(today.replace(day=1), 1),
            note="Leistungszeitraum {period_start} – {period_end}",
            lines=[
                LineIn(description="Hosting", quantity=Decimal("1"), unit_code="MON", unit_price=Decimal("19.90")),
                LineIn(description="Wartung und Updates", quantity=Decimal("2"), unit_code="HUR", unit_price=Decimal("95")),
            ],
        ),
        invoices.Actor.user(user.id),
    )
