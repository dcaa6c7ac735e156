/**
 * Names for the API types the UI uses, looked up by path and status code rather than by
 * the backend's schema names: FastAPI names schemas after Pydantic classes, which may be
 * renamed freely, while paths and status codes are the contract.
 */
import type { paths } from "./schema";

type JsonOf<T> = T extends { content: { "application/json": infer B } } ? B : never;

export type PortalInvoice = JsonOf<paths["/api/portal/{token}"]["get"]["responses"][200]>;
export type PortalLine = PortalInvoice["lines"][number];
export type PortalParty = PortalInvoice["seller"];
export type PortalBuyer = PortalInvoice["buyer"];
export type PortalTotals = PortalInvoice["totals"];
export type PortalPayment = NonNullable<PortalInvoice["payment"]>;

export type RegisterBody = JsonOf<NonNullable<paths["/api/auth/register"]["post"]["requestBody"]>>;
export type LoginBody = JsonOf<NonNullable<paths["/api/auth/login"]["post"]["requestBody"]>>;
export type TokenResponse = JsonOf<paths["/api/auth/login"]["post"]["responses"][200]>;

export type Me = JsonOf<paths["/api/auth/me"]["get"]["responses"][200]>;
export type AppNotification = JsonOf<paths["/api/notifications"]["get"]["responses"][200]>[number];
