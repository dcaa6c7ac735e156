from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, field_validator

from app.invoices.numbering import validate_format
from app.kit import validators as v


def _tax_number(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    from stdnum.de import stnr

    if not stnr.is_valid(value):
        raise ValueError("Keine gültige Steuernummer (z. B. 21/815/08150)")
    return value.strip()


OptIban = Annotated[str | None, AfterValidator(v.optional(v.iban))]
OptBic = Annotated[str | None, AfterValidator(v.optional(v.bic))]
OptVatId = Annotated[str | None, AfterValidator(v.optional(v.vat_id))]
CountryCode = Annotated[str, AfterValidator(v.country_code)]
OptStr = Annotated[str | None, Field(max_length=200)]


class OrganizationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    street: str | None
    postal_code: str | None
    city: str | None
    country_code: str
    vat_id: str | None
    tax_number: str | None
    iban: str | None
    bic: str | None
    bank_name: str | None
    contact_name: str | None
    phone: str | None
    email: str | None
    website: str | None
    register_court: str | None
    register_number: str | None
    small_business: bool
    has_logo: bool = False
    logo_url: str | None = None
    default_payment_days: int
    number_format: str
    attach_pdf_to_emails: bool
    next_invoice_number: str | None = None
    created_at: datetime


class OrganizationUpdate(BaseModel):
    """PATCH: only the fields sent are changed; "" or null clears an optional field."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=200)
    street: OptStr = None
    postal_code: Annotated[str | None, Field(max_length=20)] = None
    city: Annotated[str | None, Field(max_length=100)] = None
    country_code: CountryCode | None = None
    vat_id: OptVatId = None
    tax_number: Annotated[str | None, AfterValidator(_tax_number)] = None
    iban: OptIban = None
    bic: OptBic = None
    bank_name: Annotated[str | None, Field(max_length=100)] = None
    contact_name: OptStr = None
    phone: Annotated[str | None, Field(max_length=50)] = None
    email: EmailStr | None = None
    website: OptStr = None
    register_court: Annotated[str | None, Field(max_length=100)] = None
    register_number: Annotated[str | None, Field(max_length=50)] = None
    small_business: bool | None = None
    default_payment_days: int | None = Field(default=None, ge=0, le=365)
    number_format: Annotated[str | None, AfterValidator(lambda s: validate_format(s) if s else None)] = None
    attach_pdf_to_emails: bool | None = None

    @field_validator("name", "number_format", "country_code", "small_business", "default_payment_days", "attach_pdf_to_emails", mode="before")
    @classmethod
    def _required_if_sent(cls, value: object) -> object:
        # These have no "empty" state: sending null would leave the seller without one.
        if value is None:
            raise ValueError("Darf nicht leer sein")
        return value

    @field_validator("email", mode="before")
    @classmethod
    def _empty_email(cls, value: object) -> object:
        return None if value == "" else value
