"""One error shape for every 4xx (and the rare 5xx):

    {"detail": "<German message>", "code": "<machine code>",
     "errors": [{"field": "lines.0.quantity", "message": "..."}]}

`detail` keeps FastAPI's familiar key; `errors` names the fields a form must highlight.
"""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("rechnungswerk")


class AppError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        errors: list[dict[str, str]] | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or ([{"field": field, "message": message}] if field else [])
        if code:
            self.code = code
        self.headers = headers


class NotFound(AppError):
    status_code = 404
    code = "not_found"


class Conflict(AppError):
    status_code = 409
    code = "conflict"


class Unprocessable(AppError):
    status_code = 422
    code = "validation_error"


class Unauthorized(AppError):
    status_code = 401
    code = "unauthorized"


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"


def error_body(message: str, code: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"detail": message, "code": code, "errors": errors or []}


_GERMAN = {
    "missing": "Pflichtfeld fehlt",
    "json_invalid": "Ungültiges JSON",
    "decimal_parsing": "Keine gültige Zahl",
    "decimal_type": "Keine gültige Zahl",
    "finite_number": "Keine gültige Zahl",
    "int_parsing": "Keine gültige ganze Zahl",
    "int_type": "Keine gültige ganze Zahl",
    "float_parsing": "Keine gültige Zahl",
    "date_from_datetime_parsing": "Datum im Format JJJJ-MM-TT erwartet",
    "date_parsing": "Datum im Format JJJJ-MM-TT erwartet",
    "date_type": "Datum im Format JJJJ-MM-TT erwartet",
    "datetime_parsing": "Zeitpunkt im ISO-8601-Format erwartet",
    "string_type": "Text erwartet",
    "bool_parsing": "true oder false erwartet",
    "bool_type": "true oder false erwartet",
    "list_type": "Liste erwartet",
    "model_type": "Objekt erwartet",
    "dict_type": "Objekt erwartet",
    "extra_forbidden": "Unbekanntes Feld",
    "too_short": "Zu wenige Einträge",
    "too_long": "Zu viele Einträge",
    "string_too_short": "Darf nicht leer sein",
    "string_too_long": "Zu lang",
    "enum": "Ungültiger Wert",
    "literal_error": "Ungültiger Wert",
    "greater_than": "Wert zu klein",
    "greater_than_equal": "Wert zu klein",
    "less_than_equal": "Wert zu groß",
    "decimal_max_places": "Zu viele Nachkommastellen",
    "decimal_max_digits": "Zahl zu groß",
    "decimal_whole_digits": "Zahl zu groß",
    "value_error": "Ungültiger Wert",
}


def _field_path(loc: tuple[Any, ...]) -> str:
    # Drop the "body"/"query"/"path" prefix: clients care about the field name they sent.
    parts = list(loc[1:]) if loc and loc[0] in ("body", "query", "path", "header") else list(loc)
    # Pydantic adds the union/function tag to the location of some errors; hide it.
    parts = [p for p in parts if not (isinstance(p, str) and ("[" in p or p.startswith("function-")))]
    return ".".join(str(p) for p in parts) or (str(loc[0]) if loc else "body")


def validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    out = []
    for err in exc.errors():
        field = _field_path(tuple(err.get("loc", ())))
        etype = err.get("type", "")
        if etype == "value_error":
            raw = str(err.get("ctx", {}).get("error", "")) or err.get("msg", "")
            # email-validator speaks English; our own validators raise German sentences.
            msg = "Keine gültige E-Mail-Adresse" if "email address" in raw else raw
        else:
            msg = _GERMAN.get(etype, err.get("msg", "Ungültiger Wert"))
        out.append({"field": field, "message": msg})
    return out


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        return JSONResponse(
            error_body(exc.message, exc.code, exc.errors), status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = validation_errors(exc)
        fields = ", ".join(e["field"] for e in errors)
        return JSONResponse(
            error_body(f"Ungültige Eingabe: {fields}", "validation_error", errors), status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {404: "Nicht gefunden", 405: "Methode nicht erlaubt", 401: "Nicht angemeldet"}
        message = exc.detail if isinstance(exc.detail, str) and exc.status_code not in messages else messages.get(exc.status_code, str(exc.detail))
        return JSONResponse(
            error_body(message, f"http_{exc.status_code}"), status_code=exc.status_code, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(error_body("Interner Fehler", "internal_error"), status_code=500)
