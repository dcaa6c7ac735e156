from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class EmailAttemptRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempt: int
    created_at: datetime
    outcome: str = Field(description="sent | retry | failed | lost")
    status_code: int | None
    duration_ms: int | None
    error: str | None


class EmailAttachmentRead(BaseModel):
    filename: str
    content_type: str


class EmailRead(BaseModel):
    id: int
    invoice_id: int | None
    kind: str
    to: str
    subject: str
    status: str = Field(description="queued | sending | sent | failed")
    status_label: str
    attempts: int = Field(description="Anzahl der bisherigen Versandversuche")
    next_attempt_at: datetime | None
    last_error: str | None
    provider: str | None
    provider_message_id: str | None
    delivery_status: str | None = Field(
        description="Vom Versanddienst gemeldet: accepted, delivered, soft_bounce, hard_bounce, blocked, spam, …"
    )
    delivery_status_label: str | None
    delivery_detail: str | None
    delivery_updated_at: datetime | None
    attachments: list[EmailAttachmentRead]
    created_at: datetime
    sent_at: datetime | None
    failed_at: datetime | None
    attempt_log: list[EmailAttemptRead] | None = None


class EmailPage(BaseModel):
    items: list[EmailRead]
    total: int
    limit: int
    offset: int


class BrevoEventsAccepted(BaseModel):
    matched: int
    ignored: int
