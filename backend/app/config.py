"""All configuration in one pydantic-settings class; every field is an environment variable.

`.env.example` and the README list every variable. Production refuses default secrets so a
forgotten setting can never ship a guessable signing key.
"""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-only-insecure-secret-change-me-in-production"
DEFAULT_BREVO_WEBHOOK_TOKEN = "dev-brevo-webhook-token"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    secret_key: str = DEFAULT_SECRET
    access_token_expire_minutes: int = 60 * 12
    # Argon2id cost (RFC 9106 "low memory" profile by default); tests lower it for speed.
    password_hash_time_cost: int = 3
    password_hash_memory_kib: int = 65536

    data_dir: Path = Path("data")
    database_url: str = ""  # empty: SQLite file under data_dir
    redis_url: str = "redis://127.0.0.1:6379/0"
    # Separate queues let several installations (or test runs) share one Redis safely.
    arq_queue_name: str = "arq:queue"

    api_base_url: str = "http://127.0.0.1:8000"
    public_base_url: str = "http://127.0.0.1:3000"
    cors_origins: list[str] = Field(default_factory=lambda: ["http://127.0.0.1:3000", "http://localhost:3000"])

    login_rate_limit: str = "10/minute"
    register_rate_limit: str = "20/hour"
    # Rate limits are shared across API processes through Redis (slowapi/limits).
    rate_limit_storage_url: str = ""  # empty: redis_url

    # Customer portal (share links). The per-token limit is shared by every portal route;
    # the per-IP limit counts only requests for tokens that do not exist, so a customer
    # behind the same NAT as a scanner keeps access while guessing stays slow.
    portal_rate_limit: str = "10/minute"
    portal_unknown_token_rate_limit: str = "20/minute"
    portal_link_default_days: int = Field(default=30, ge=1, le=3650)
    portal_link_max_days: int = Field(default=365, ge=1, le=3650)

    storage_backend: Literal["local", "s3"] = "local"
    aws_bucket: str = ""
    aws_region: str = "eu-central-1"
    aws_access_key_id: str = ""
    aws_secret_access_key: str = ""
    aws_endpoint_url: str = ""
    storage_url_expire_seconds: int = 900

    email_backend: Literal["brevo", "file", "smtp", ""] = ""  # empty: brevo if key set, else file
    email_from: str = "rechnungen@rechnungswerk.de"
    email_from_name: str = "RechnungsWerk"
    brevo_api_key: str = ""
    brevo_api_url: str = "https://api.brevo.com/v3"
    brevo_webhook_token: str = DEFAULT_BREVO_WEBHOOK_TOKEN
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True

    # Webhook targets on loopback/private networks: refused unless allowed. Unset means
    # allowed only in development, so `make run` can post to a receiver on this machine.
    webhook_allow_private_targets: bool | None = None
    webhook_timeout_seconds: float = 10.0
    email_timeout_seconds: float = 15.0

    # Outbox (e-mails, webhook deliveries): a row claimed by a worker counts as in flight
    # for this long; after that the sweeper assumes the worker died and hands it out again.
    # It must exceed the longest send (the HTTP timeouts above) by a wide margin.
    outbox_lease_seconds: int = 120
    # How often the sweeper re-enqueues due work that Redis lost (60 = once a minute).
    outbox_sweep_seconds: int = 60
    # Jobs one worker process runs concurrently, and how often it polls Redis for new ones.
    worker_max_jobs: int = 200
    worker_poll_delay_seconds: float = 0.05

    recurring_run_time: str = "06:00"  # Europe/Berlin

    demo_email: str = "demo@rechnungswerk.de"
    demo_password: str = "demo1234"

    @model_validator(mode="after")
    def _refuse_defaults_in_production(self) -> "Settings":
        if self.environment == "production":
            if self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32:
                raise ValueError("SECRET_KEY must be set to a random value of at least 32 characters in production")
            if self.brevo_webhook_token == DEFAULT_BREVO_WEBHOOK_TOKEN:
                raise ValueError("BREVO_WEBHOOK_TOKEN must be set in production")
            if self.webhook_allow_private_targets:
                raise ValueError("WEBHOOK_ALLOW_PRIVATE_TARGETS must not be enabled in production")
        if self.outbox_lease_seconds <= max(self.webhook_timeout_seconds, self.email_timeout_seconds):
            raise ValueError("OUTBOX_LEASE_SECONDS must be longer than WEBHOOK_TIMEOUT_SECONDS and EMAIL_TIMEOUT_SECONDS")
        if not 1 <= self.outbox_sweep_seconds <= 60 or 60 % self.outbox_sweep_seconds:
            raise ValueError("OUTBOX_SWEEP_SECONDS must divide 60 (1, 2, 3, 5, 10, 15, 20, 30 or 60)")
        return self

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'rechnungswerk.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    @property
    def effective_email_backend(self) -> str:
        if self.email_backend:
            return self.email_backend
        return "brevo" if self.brevo_api_key else "file"

    @property
    def effective_webhook_allow_private_targets(self) -> bool:
        if self.webhook_allow_private_targets is None:
            return self.environment == "development"
        return self.webhook_allow_private_targets

    @property
    def effective_rate_limit_storage_url(self) -> str:
        return self.rate_limit_storage_url or self.redis_url


@lru_cache
def get_settings() -> Settings:
    return Settings()
