/**
 * Names for the API types the UI uses, looked up by path and status code rather than by
 * the backend's schema names: FastAPI names schemas after Pydantic classes, which may be
 * renamed freely, while paths and status codes are the contract.
 */
import type { paths } from "./schema";

type JsonOf<T> = T extends { content: { "application/json": infer B } } ? B : never;
type BodyOf<T> = T extends { requestBody?: infer R } ? JsonOf<NonNullable<R>> : never;

export type PortalInvoice = JsonOf<paths["/api/portal/{token}"]["get"]["responses"][200]>;
export type PortalLine = PortalInvoice["lines"][number];
export type PortalParty = PortalInvoice["seller"];
export type PortalBuyer = PortalInvoice["buyer"];
export type PortalTotals = PortalInvoice["totals"];
export type PortalPayment = NonNullable<PortalInvoice["payment"]>;

export type RegisterBody = BodyOf<paths["/api/auth/register"]["post"]>;
export type LoginBody = BodyOf<paths["/api/auth/login"]["post"]>;
export type TokenResponse = JsonOf<paths["/api/auth/login"]["post"]["responses"][200]>;

export type Me = JsonOf<paths["/api/auth/me"]["get"]["responses"][200]>;
export type NotificationPage = JsonOf<paths["/api/notifications"]["get"]["responses"][200]>;
export type AppNotification = NotificationPage["items"][number];

export type Organization = JsonOf<paths["/api/organization"]["get"]["responses"][200]>;
export type OrganizationUpdate = BodyOf<paths["/api/organization"]["patch"]>;

export type ContactPage = JsonOf<paths["/api/contacts"]["get"]["responses"][200]>;
export type Contact = JsonOf<paths["/api/contacts/{contact_id}"]["get"]["responses"][200]>;
export type ContactCreate = BodyOf<paths["/api/contacts"]["post"]>;
export type ContactUpdate = BodyOf<paths["/api/contacts/{contact_id}"]["patch"]>;

export type InvoicePage = JsonOf<paths["/api/invoices"]["get"]["responses"][200]>;
export type InvoiceListItem = InvoicePage["items"][number];
export type InvoiceListQuery = NonNullable<paths["/api/invoices"]["get"]["parameters"]["query"]>;
export type InvoiceStats = JsonOf<paths["/api/invoices/stats"]["get"]["responses"][200]>;
export type Invoice = JsonOf<paths["/api/invoices/{invoice_id}"]["get"]["responses"][200]>;
export type InvoiceLine = Invoice["lines"][number];
export type InvoiceCreate = BodyOf<paths["/api/invoices"]["post"]>;
export type InvoiceUpdate = BodyOf<paths["/api/invoices/{invoice_id}"]["patch"]>;
export type LineInput = InvoiceCreate["lines"][number];
export type AuditEvent = JsonOf<paths["/api/invoices/{invoice_id}/audit"]["get"]["responses"][200]>[number];
export type ValidationResult = JsonOf<paths["/api/invoices/{invoice_id}/validation"]["get"]["responses"][200]>;
export type SyntaxReport = ValidationResult["ubl"];
export type Finding = SyntaxReport["findings"][number];

export type ShareLink = NonNullable<JsonOf<paths["/api/invoices/{invoice_id}/share-link"]["get"]["responses"][200]>>;
export type PortalAccess = JsonOf<paths["/api/invoices/{invoice_id}/portal-activity"]["get"]["responses"][200]>["items"][number];
export type SendEmailBody = BodyOf<paths["/api/invoices/{invoice_id}/send-email"]["post"]>;
export type SendEmailAccepted = JsonOf<paths["/api/invoices/{invoice_id}/send-email"]["post"]["responses"][202]>;
export type Email = JsonOf<paths["/api/emails/{email_id}"]["get"]["responses"][200]>;


export type RecurringPage = JsonOf<paths["/api/recurring"]["get"]["responses"][200]>;
export type Recurring = RecurringPage["items"][number];
export type RecurringDetail = JsonOf<paths["/api/recurring/{template_id}"]["get"]["responses"][200]>;
export type RecurringCreate = BodyOf<paths["/api/recurring"]["post"]>;
export type RecurringUpdate = BodyOf<paths["/api/recurring/{template_id}"]["patch"]>;
export type RecurringPeriod = JsonOf<paths["/api/recurring/preview"]["post"]["responses"][200]>["periods"][number];
export type Frequency = RecurringCreate["frequency"];
