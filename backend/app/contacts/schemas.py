from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, field_validator

from app.kit import validators as v

OptVatId = Annotated[str | None, AfterValidator(v.optional(v.vat_id))]
CountryCode = Annotated[str, AfterValidator(v.country_code)]


class ContactBase(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    email: EmailStr | None = None
    street: str | None = Field(default=None, max_length=200)
    postal_code: str | None = Field(default=None, max_length=20)
    city: str | None = Field(default=None, max_length=100)
    country_code: CountryCode = "DE"
    phone: str | None = Field(default=None, max_length=50)
    vat_id: OptVatId = None
    buyer_reference: str | None = Field(default=None, max_length=100)
    contact_name: str | None = Field(default=None, max_length=200)
    customer_number: str | None = Field(default=None, max_length=50)

    @field_validator("email", mode="before")
    @classmethod
    def _empty_email(cls, value: object) -> object:
        return None if value == "" else value


class ContactCreate(ContactBase):
    pass


class ContactUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: EmailStr | None = None
    street: str | None = Field(default=None, max_length=200)
    postal_code: str | None = Field(default=None, max_length=20)
    city: str | None = Field(default=None, max_length=100)
    country_code: CountryCode | None = None
    phone: str | None = Field(default=None, max_length=50)
    vat_id: OptVatId = None
    buyer_reference: str | None = Field(default=None, max_length=100)
    contact_name: str | None = Field(default=None, max_length=200)
    customer_number: str | None = Field(default=None, max_length=50)

    @field_validator("name", "country_code", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("Darf nicht leer sein")
        return value

    @field_validator("email", mode="before")
    @classmethod
    def _empty_email(cls, value: object) -> object:
        return None if value == "" else value


class ContactRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    email: str | None
    street: str | None
    postal_code: str | None
    city: str | None
    country_code: str
    phone: str | None
    vat_id: str | None
    buyer_reference: str | None
    contact_name: str | None
    customer_number: str | None
    created_at: datetime
