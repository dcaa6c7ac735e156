from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.events import EVENT_TYPES

TEST_EVENT = "webhook.test"


def _check_events(value: list[str]) -> list[str]:
    unknown = [e for e in value if e not in EVENT_TYPES]
    if unknown:
        raise ValueError(f"Unbekannte Ereignistypen: {', '.join(unknown)}; erlaubt: {', '.join(EVENT_TYPES)}")
    # Keep the order the user chose, once each.
    return list(dict.fromkeys(value))


class EndpointCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=2000)
    events: list[str] = Field(min_length=1)
    description: str = Field(default="", max_length=500)
    is_active: bool = True

    @field_validator("events")
    @classmethod
    def _events(cls, value: list[str]) -> list[str]:
        return _check_events(value)


class EndpointUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, min_length=1, max_length=2000)
    events: list[str] | None = Field(default=None, min_length=1)
    description: str | None = Field(default=None, max_length=500)
    is_active: bool | None = None

    @field_validator("events")
    @classmethod
    def _events(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _check_events(value)


class EndpointRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    description: str
    events: list[str]
    is_active: bool
    disabled_reason: str | None
    created_at: datetime
    updated_at: datetime


class EndpointCreated(EndpointRead):
    secret: str = Field(description="Signaturschlüssel (whsec_…); wird nur jetzt angezeigt")


class AttemptRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempt: int
    created_at: datetime
    outcome: str
    status_code: int | None
    response_excerpt: str | None
    duration_ms: int | None
    error: str | None


class DeliveryRead(BaseModel):
    id: int
    endpoint_id: int
    event_id: str = Field(description="Die Ereignis-ID; gleich dem Header webhook-id")
    event_type: str
    status: str = Field(description="pending | succeeded | failed")
    attempts: int = Field(description="Anzahl der bisherigen Zustellversuche")
    next_attempt_at: datetime | None
    response_code: int | None = Field(description="HTTP-Status des letzten Versuchs")
    last_error: str | None
    created_at: datetime
    succeeded_at: datetime | None
    failed_at: datetime | None
    redelivery_of_id: int | None
    payload: dict[str, Any]
    attempt_log: list[AttemptRead]


class DeliveryPage(BaseModel):
    items: list[DeliveryRead]
    total: int
    limit: int
    offset: int
