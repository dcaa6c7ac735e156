"""create_app(): routers, middleware, error handlers. `uvicorn app.main:app`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app import models  # noqa: F401 - registers every table with the ORM
from app.auth.endpoints import router as auth_router
from app.config import get_settings
from app.contacts.endpoints import router as contacts_router
from app.db import dispose_engine, get_engine
from app.email.endpoints import brevo_router
from app.email.endpoints import router as emails_router
from app.errors import install_error_handlers
from app.health import router as health_router
from app.invoices.documents_endpoints import router as documents_router
from app.invoices.endpoints import router as invoices_router
from app.kit.ratelimit import install_rate_limiting
from app.notifications.endpoints import router as notifications_router
from app.organizations.endpoints import router as organization_router
from app.portal.endpoints import public_router as portal_public_router
from app.portal.endpoints import router as portal_router
from app.recurring.endpoints import router as recurring_router
from app.storage.endpoints import router as files_router
from app.tasks.queue import close_pool
from app.webhooks.endpoints import router as webhooks_router


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    get_engine()
    yield
    await close_pool()
    await dispose_engine()


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        title="RechnungsWerk API",
        version="0.1.0",
        description="E-Rechnungen (XRechnung, ZUGFeRD) für kleine Unternehmen.",
        lifespan=lifespan,
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=["Retry-After", "Content-Disposition", "ETag"],
    )
    install_error_handlers(app)
    install_rate_limiting(app)
    # Routes are matched in this order, one by one: the public portal (the busiest route, see
    # bench/portal.py) comes first so its requests skip matching every other route.
    for router in (
        portal_public_router,
        health_router,
        auth_router,
        organization_router,
        contacts_router,
        invoices_router,
        documents_router,
        notifications_router,
        recurring_router,
        files_router,
        emails_router,
        brevo_router,
        webhooks_router,
        portal_router,
    ):
        app.include_router(router)
    return app


app = create_app()
