/**
 * One error type for every failed API call.
 *
 * The backend answers every 4xx/5xx with `{detail, code, errors: [{field, message}]}`; forms
 * show `fieldErrors` next to their inputs and `message` above the form. FastAPI's own
 * validation shape (`detail: [{loc, msg}]`) is understood too, so a route that slipped past
 * the backend's error handler still produces messages per field instead of "[object Object]".
 */
export interface FieldErrorItem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: Record<string, string>;
  /** Seconds, from `Retry-After` on 429/503. */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    message: string;
    code?: string;
    fieldErrors?: Record<string, string>;
    retryAfter?: number | null;
  }) {
    super(init.message);
    this.name = "ApiError";
    this.status = init.status;
    this.code = init.code ?? `http_${init.status}`;
    this.fieldErrors = init.fieldErrors ?? {};
    this.retryAfter = init.retryAfter ?? null;
  }

  /** The message for one form field, if the API complained about it. */
  field(name: string): string | undefined {
    return this.fieldErrors[name];
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

const FALLBACK_MESSAGES: Record<number, string> = {
  0: "Der Server ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.",
  400: "Die Anfrage war ungültig.",
  401: "Bitte melden Sie sich an.",
  403: "Dafür fehlt Ihnen die Berechtigung.",
  404: "Nicht gefunden.",
  409: "Das geht in diesem Zustand nicht.",
  422: "Bitte prüfen Sie Ihre Eingaben.",
  429: "Zu viele Anfragen. Bitte warten Sie einen Moment.",
};

function fallbackMessage(status: number): string {
  return FALLBACK_MESSAGES[status] ?? (status >= 500 ? "Ein Fehler auf dem Server ist aufgetreten." : "Die Anfrage ist fehlgeschlagen.");
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** FastAPI's `loc` is ["body", "lines", 0, "quantity"]; forms know "lines.0.quantity". */
function locToField(loc: unknown): string {
  if (!Array.isArray(loc)) return "";
  const parts = loc.map(String);
  if (parts[0] === "body" || parts[0] === "query" || parts[0] === "path") parts.shift();
  return parts.join(".");
}

/** Builds an ApiError from a non-2xx response and its (already parsed, maybe absent) body. */
export function apiErrorFrom(status: number, body: unknown, headers?: Headers): ApiError {
  const retryAfter = parseRetryAfter(headers?.get("retry-after") ?? null);
  const fieldErrors: Record<string, string> = {};
  let message = fallbackMessage(status);
  let code: string | undefined;

  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    if (typeof b.code === "string") code = b.code;
    if (typeof b.detail === "string" && b.detail.trim()) message = b.detail;
    if (Array.isArray(b.errors)) {
      for (const e of b.errors) {
        if (e && typeof e === "object" && typeof e.field === "string" && typeof e.message === "string") {
          fieldErrors[e.field] ??= e.message;
        }
      }
    }
    if (Array.isArray(b.detail)) {
      for (const e of b.detail) {
        if (e && typeof e === "object" && typeof e.msg === "string") {
          const field = locToField(e.loc);
          if (field) fieldErrors[field] ??= e.msg;
        }
      }
      code ??= "validation_error";
    }
  } else if (typeof body === "string" && body.trim() && body.length < 300 && !body.trimStart().startsWith("<")) {
    message = body.trim();
  }
  return new ApiError({ status, message, code, fieldErrors, retryAfter });
}

export function networkError(cause: unknown): ApiError {
  const err = new ApiError({ status: 0, message: fallbackMessage(0), code: "network_error" });
  (err as { cause?: unknown }).cause = cause;
  return err;
}
