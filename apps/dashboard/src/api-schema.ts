// Generated from the api's OpenAPI document by `npm run contract`; do not edit.

export interface paths {
    readonly "/health/live": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** 200 for as long as the process can answer at all. */
        readonly get: operations["HealthController_live"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/health/ready": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** 200 when Postgres, Redis and the event store all answer; 503 naming the ones that do not. */
        readonly get: operations["HealthController_ready"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/admin/api-keys": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** Every key, revoked ones included; never the key or its hash. */
        readonly get: operations["ApiKeysController_list"];
        readonly put?: never;
        /** Mints a key. The response is the only time the key is ever shown. */
        readonly post: operations["ApiKeysController_create"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/admin/api-keys/{id}": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        readonly post?: never;
        /** Revokes a key; it is refused from the next request on. */
        readonly delete: operations["ApiKeysController_revoke"];
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/admin/emails": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** Filters `status, from, to, tag, sendAfter, sendBefore, tenant`; keyset paging by (sendAt, id). */
        readonly get: operations["AdminEmailsController_emails"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/admin/outbox": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** Newest first: `{items: [{id, receivedAt, from, to, messageId, subject, size}], nextCursor}`. */
        readonly get: operations["OutboxController_list"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/admin/outbox/{id}": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** One caught message with its headers and raw text (the first 1 MiB). */
        readonly get: operations["OutboxController_get"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/admin/projections": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get: operations["ProjectionsController_projections"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/admin/projections/{name}/rebuild": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** 202: the active projector rebuilds into fresh tables beside the live ones, then swaps. */
        readonly post: operations["ProjectionsController_rebuild"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/admin/stats": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** Counts by status, sends per sender per hour and lateness over `[since, until)` (default 24 h), projection lag. */
        readonly get: operations["AdminStatsController_stats"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/auth/methods": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** How the dashboard's sign-in page offers to sign in. */
        readonly get: operations["OidcController_methods"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/auth/oidc/callback": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get: operations["OidcController_callback"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/auth/oidc/login": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get: operations["OidcController_login"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/emails": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** Filters `status, from, to, tag, sendAfter, sendBefore`; keyset paging by (sendAt, id). */
        readonly get: operations["EmailsController_list"];
        readonly put?: never;
        /** 201 with the new email; with an Idempotency-Key seen before, 200 with the same email (or 422). */
        readonly post: operations["EmailsController_schedule"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/emails/{id}": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /**
         * The read-model view. Read-your-writes: `?minPosition=` (or `X-Min-Position`), a write's
         *     `position`, waits up to `?wait=` seconds (default 5, at most 30) for the projection to reach
         *     it; if it does not, the row as it stands with `X-Projection-Stale: true` (404 if none yet).
         */
        readonly get: operations["EmailsController_get"];
        readonly put?: never;
        readonly post?: never;
        readonly delete: operations["EmailsController_cancel"];
        readonly options?: never;
        readonly head?: never;
        readonly patch: operations["EmailsController_reschedule"];
        readonly trace?: never;
    };
    readonly "/v1/emails/{id}/history": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** The stream itself, folded; `?revision=N` / `?at=ISO` stop the replay there. */
        readonly get: operations["EmailsController_history"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/emails/batch": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** Per-item results in request order; the valid items are scheduled whatever the others hold. */
        readonly post: operations["EmailsController_batch"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/emails/import": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /**
         * `multipart/form-data`: an optional field `from` (the sender of rows without one; it must come
         *     before the file), then the CSV as the part `file`. 200 with `{accepted, rejected, rows, ids}`;
         *     413 past a limit on bytes or parts, 408 past IMPORT_TIMEOUT_MS, 429 (Retry-After) while the
         *     key runs IMPORTS_PER_KEY imports already.
         */
        readonly post: operations["ImportController_import"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/session": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get: operations["SessionController_whoAmI"];
        readonly put?: never;
        /** 200 with the session and an HttpOnly session cookie; 401 for a wrong key. */
        readonly post: operations["SessionController_signIn"];
        /** Ends the session (204) and clears the cookie. */
        readonly delete: operations["SessionController_signOut"];
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/stats": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** Counts by status, sends per hour and lateness of the caller's tenant; projection lag. */
        readonly get: operations["StatsController_stats"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        readonly AddressView: {
            readonly address: string;
            readonly name?: string;
        };
        readonly BatchScheduleDto: {
            readonly emails: readonly Record<string, never>[];
        };
        readonly CaughtMailHeaders: {
            readonly from: string | null;
            readonly to: string | null;
        };
        readonly CaughtMailPageView: {
            readonly items: readonly components["schemas"]["CaughtMailSummaryView"][];
            /** @description Pass as `cursor` for the next (older) page; null on the last one. */
            readonly nextCursor: string | null;
        };
        readonly CaughtMailSummaryView: {
            /** @description The envelope's MAIL FROM ('' for a null sender). */
            readonly from: string;
            readonly id: string;
            readonly messageId: string | null;
            readonly receivedAt: string;
            /** @description Bytes of the whole message as received. */
            readonly size: number;
            readonly subject: string | null;
            /** @description The envelope's RCPT TO: every recipient, Bcc included. */
            readonly to: readonly string[];
        };
        readonly CaughtMailView: {
            /** @description The envelope's MAIL FROM ('' for a null sender). */
            readonly from: string;
            /** @description The From and To header fields, decoded. */
            readonly headers: components["schemas"]["CaughtMailHeaders"];
            readonly id: string;
            readonly messageId: string | null;
            /** @description The message as received, cut after its first MiB (then `rawTruncated`). */
            readonly raw: string;
            readonly rawTruncated: boolean;
            readonly receivedAt: string;
            /** @description Bytes of the whole message as received. */
            readonly size: number;
            readonly subject: string | null;
            /** @description The envelope's RCPT TO: every recipient, Bcc included. */
            readonly to: readonly string[];
        };
        readonly CreateApiKeyDto: {
            readonly name?: string;
            /** @enum {string} */
            readonly role: "admin" | "sender";
            readonly tenantId?: string;
        };
        readonly EmailHistory: {
            readonly events: readonly components["schemas"]["HistoryEventView"][];
            readonly id: string;
            /** @description The revision of the last event replayed; null when the cut-off is before the first event. */
            readonly revision: number | null;
            /** @description The email as its events fold up to the cut-off (the domain's EmailState). */
            readonly state: {
                readonly [key: string]: unknown;
            };
        };
        readonly EmailPage: {
            readonly items: readonly components["schemas"]["EmailView"][];
            /** @description Pass as `cursor` for the next page; null on the last one. */
            readonly nextCursor: string | null;
        };
        /** @enum {string} */
        readonly EmailStatus: "scheduled" | "attempting" | "sent" | "failed" | "cancelled";
        readonly EmailView: {
            readonly attempts: number;
            readonly bcc: readonly components["schemas"]["AddressView"][];
            readonly cancelledAt: string | null;
            readonly cc: readonly components["schemas"]["AddressView"][];
            readonly createdAt: string;
            /** @description When the next attempt is due (scheduled emails only, retries included). */
            readonly dueAt: string | null;
            readonly failedAt: string | null;
            readonly from: components["schemas"]["AddressView"];
            readonly id: string;
            readonly lastError: components["schemas"]["LastErrorView"] | null;
            readonly maxAttempts: number;
            readonly messageId: string | null;
            /** @description The category position the row reflects, `"<commit>/<prepare>"`. */
            readonly position: string;
            /** @description The sendAt the email was first scheduled with. */
            readonly requestedSendAt: string;
            /** @description The stream revision the row reflects (the ETag). */
            readonly revision: number;
            /** @description When it is (now) meant to go out: moved by reschedules and rate-limit deferrals. */
            readonly sendAt: string;
            readonly sentAt: string | null;
            readonly status: components["schemas"]["EmailStatus"];
            readonly subject: string;
            readonly tags: readonly string[];
            readonly tenant: string;
            readonly to: readonly components["schemas"]["AddressView"][];
            readonly updatedAt: string;
        };
        readonly EmailWriteResultView: {
            readonly id: string;
            /** @description Where in the store the write is: pass as `minPosition` to read your write. */
            readonly position: string;
            /** @description The stream revision after the write (the ETag). */
            readonly revision: number;
            readonly sendAt: string | null;
            readonly status: components["schemas"]["EmailStatus"];
        };
        /** @enum {string} */
        readonly FailureKind: "transient" | "permanent" | "relay-unavailable" | "in-doubt";
        readonly FieldIssue: {
            readonly field: string;
            readonly reason: string;
        };
        readonly HistoryEventView: {
            readonly data: {
                readonly [key: string]: unknown;
            };
            readonly recordedAt: string;
            readonly revision: number;
            readonly type: string;
        };
        readonly ImportedRow: {
            readonly id: string;
            readonly row: number;
        };
        readonly ImportReport: {
            readonly accepted: number;
            readonly ids: readonly components["schemas"]["ImportedRow"][];
            readonly rejected: number;
            readonly rows: readonly components["schemas"]["ImportRowResult"][];
        };
        readonly ImportRowResult: {
            readonly errors?: readonly components["schemas"]["FieldIssue"][];
            readonly id?: string;
            readonly row: number;
            readonly status: number;
        };
        readonly LastErrorView: {
            readonly at: string;
            readonly attempt: number;
            /** @description The SMTP reply code, when there was one. */
            readonly code?: number;
            readonly errorCode?: string;
            readonly kind: components["schemas"]["FailureKind"];
            readonly message: string;
        };
        readonly LatenessStats: {
            readonly count: number;
            readonly p50Ms: number | null;
            readonly p95Ms: number | null;
            readonly p99Ms: number | null;
        };
        readonly OidcSignIn: {
            /** @description Names the provider for the sign-in button. */
            readonly label: string;
        };
        readonly ProjectionStats: {
            readonly head: string | null;
            readonly lagEvents: number;
            readonly lagEventsCapped: boolean;
            readonly lagSeconds: number;
            readonly position: string | null;
            /** @enum {string} */
            readonly state: "live" | "rebuilding";
        };
        readonly RescheduleEmailDto: {
            /** @description ISO-8601 with an offset. */
            readonly sendAt: string;
        };
        /** @enum {string} */
        readonly Role: "admin" | "sender";
        readonly ScheduleEmailDto: {
            readonly bcc?: Record<string, never>;
            readonly cc?: Record<string, never>;
            readonly from: Record<string, never>;
            readonly html?: string;
            readonly maxAttempts?: number;
            /** @description ISO-8601 with an offset; absent means now. */
            readonly sendAt?: string;
            readonly subject: string;
            readonly tags?: readonly string[];
            readonly text?: string;
            readonly to: Record<string, never>;
        };
        readonly SenderHourSends: {
            readonly count: number;
            /** @description The hour's start, UTC. */
            readonly hour: string;
            readonly sender: string;
            readonly tenant: string;
        };
        readonly SessionView: {
            /** @description Send as `X-CSRF-Token` with POST, PATCH and DELETE; null for bearer-key callers. */
            readonly csrfToken: string | null;
            readonly expiresAt: string | null;
            /**
             * @description How this request was authenticated.
             * @enum {string}
             */
            readonly method: "api-key" | "oidc" | "bearer";
            readonly role: components["schemas"]["Role"];
            readonly subject: string;
            readonly tenantId: string;
        };
        readonly SignInDto: {
            readonly apiKey: string;
        };
        readonly SignInMethods: {
            /** @enum {boolean} */
            readonly apiKey: true;
            /** @description Null when OIDC_ISSUER is unset. */
            readonly oidc: components["schemas"]["OidcSignIn"] | null;
        };
        readonly Stats: {
            /** @description Every email in the read model by its current status (all time, not the window). */
            readonly countsByStatus: {
                readonly [key: string]: number;
            };
            readonly lateness: components["schemas"]["LatenessStats"];
            readonly projection: components["schemas"]["ProjectionStats"];
            /** @description Emails sent per sender per hour, for the hours of the window. */
            readonly sendsPerSenderPerHour: readonly components["schemas"]["SenderHourSends"][];
            readonly tenant: string | null;
            readonly window: components["schemas"]["StatsWindow"];
        };
        readonly StatsWindow: {
            readonly since: string;
            readonly until: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    readonly HealthController_live: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    readonly HealthController_ready: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": Record<string, never>;
                };
            };
        };
    };
    readonly ApiKeysController_list: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    readonly ApiKeysController_create: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody: {
            readonly content: {
                readonly "application/json": components["schemas"]["CreateApiKeyDto"];
            };
        };
        readonly responses: {
            readonly 201: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": Record<string, never>;
                };
            };
        };
    };
    readonly ApiKeysController_revoke: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path: {
                readonly id: string;
            };
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 204: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    readonly AdminEmailsController_emails: {
        readonly parameters: {
            readonly query?: {
                /** @description The previous page's `nextCursor`. */
                readonly cursor?: string;
                /** @description The sender's address, any case. */
                readonly from?: string;
                readonly limit?: number;
                /** @description Inclusive lower bound on sendAt. */
                readonly sendAfter?: string;
                /** @description Exclusive upper bound on sendAt. */
                readonly sendBefore?: string;
                readonly status?: "scheduled" | "attempting" | "sent" | "failed" | "cancelled";
                readonly tag?: string;
                /** @description Admin keys see every tenant; this narrows to one. */
                readonly tenant?: string;
                /** @description Any to, cc or bcc address, any case. */
                readonly to?: string;
            };
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["EmailPage"];
                };
            };
        };
    };
    readonly OutboxController_list: {
        readonly parameters: {
            readonly query?: {
                /** @description The `nextCursor` of the previous page. */
                readonly cursor?: string;
                /** @description Messages per page, newest first (default 50). */
                readonly limit?: number;
            };
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["CaughtMailPageView"];
                };
            };
        };
    };
    readonly OutboxController_get: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path: {
                readonly id: string;
            };
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["CaughtMailView"];
                };
            };
        };
    };
    readonly ProjectionsController_projections: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    readonly ProjectionsController_rebuild: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path: {
                readonly name: string;
            };
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 202: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": Record<string, never>;
                };
            };
        };
    };
    readonly AdminStatsController_stats: {
        readonly parameters: {
            readonly query?: {
                /** @description Inclusive; default `until` − 24 h. */
                readonly since?: string;
                readonly tenant?: string;
                /** @description Exclusive; default now. */
                readonly until?: string;
            };
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["Stats"];
                };
            };
        };
    };
    readonly OidcController_methods: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["SignInMethods"];
                };
            };
        };
    };
    readonly OidcController_callback: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    readonly OidcController_login: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    readonly EmailsController_list: {
        readonly parameters: {
            readonly query?: {
                /** @description The previous page's `nextCursor`. */
                readonly cursor?: string;
                /** @description The sender's address, any case. */
                readonly from?: string;
                readonly limit?: number;
                /** @description Inclusive lower bound on sendAt. */
                readonly sendAfter?: string;
                /** @description Exclusive upper bound on sendAt. */
                readonly sendBefore?: string;
                readonly status?: "scheduled" | "attempting" | "sent" | "failed" | "cancelled";
                readonly tag?: string;
                /** @description Any to, cc or bcc address, any case. */
                readonly to?: string;
            };
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["EmailPage"];
                };
            };
        };
    };
    readonly EmailsController_schedule: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody: {
            readonly content: {
                readonly "application/json": components["schemas"]["ScheduleEmailDto"];
            };
        };
        readonly responses: {
            /** @description An Idempotency-Key seen before */
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["EmailWriteResultView"];
                };
            };
            /** @description Scheduled */
            readonly 201: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["EmailWriteResultView"];
                };
            };
        };
    };
    readonly EmailsController_get: {
        readonly parameters: {
            readonly query?: {
                /** @description `"<commit>/<prepare>"`, as a write's response `position`; also the `X-Min-Position` header. */
                readonly minPosition?: string;
                /** @description Seconds to wait for minPosition, 0–30 (default 5). */
                readonly wait?: number;
            };
            readonly header?: never;
            readonly path: {
                readonly id: string;
            };
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["EmailView"];
                };
            };
        };
    };
    readonly EmailsController_cancel: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path: {
                readonly id: string;
            };
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["EmailWriteResultView"];
                };
            };
        };
    };
    readonly EmailsController_reschedule: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path: {
                readonly id: string;
            };
            readonly cookie?: never;
        };
        readonly requestBody: {
            readonly content: {
                readonly "application/json": components["schemas"]["RescheduleEmailDto"];
            };
        };
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["EmailWriteResultView"];
                };
            };
        };
    };
    readonly EmailsController_history: {
        readonly parameters: {
            readonly query?: {
                /** @description ISO-8601 instant with an offset. */
                readonly at?: string;
                readonly revision?: number;
            };
            readonly header?: never;
            readonly path: {
                readonly id: string;
            };
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["EmailHistory"];
                };
            };
        };
    };
    readonly EmailsController_batch: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody: {
            readonly content: {
                readonly "application/json": components["schemas"]["BatchScheduleDto"];
            };
        };
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    readonly ImportController_import: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["ImportReport"];
                };
            };
        };
    };
    readonly SessionController_whoAmI: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["SessionView"];
                };
            };
        };
    };
    readonly SessionController_signIn: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody: {
            readonly content: {
                readonly "application/json": components["schemas"]["SignInDto"];
            };
        };
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["SessionView"];
                };
            };
        };
    };
    readonly SessionController_signOut: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 204: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    readonly StatsController_stats: {
        readonly parameters: {
            readonly query?: {
                /** @description Inclusive; default `until` − 24 h. */
                readonly since?: string;
                /** @description Exclusive; default now. */
                readonly until?: string;
            };
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["Stats"];
                };
            };
        };
    };
}
type FlattenedDeepRequired<T> = {
    [K in keyof T]-?: FlattenedDeepRequired<T[K] extends unknown[] | undefined | null ? Extract<T[K], unknown[]>[number] : T[K]>;
};
type ReadonlyArray<T> = [
    Exclude<T, undefined>
] extends [
    unknown[]
] ? Readonly<Exclude<T, undefined>> : Readonly<Exclude<T, undefined>[]>;
export const pathsV1AdminEmailsGetParametersQueryStatusValues: ReadonlyArray<FlattenedDeepRequired<paths>["/v1/admin/emails"]["get"]["parameters"]["query"]["status"]> = ["scheduled", "attempting", "sent", "failed", "cancelled"];
export const pathsV1EmailsGetParametersQueryStatusValues: ReadonlyArray<FlattenedDeepRequired<paths>["/v1/emails"]["get"]["parameters"]["query"]["status"]> = ["scheduled", "attempting", "sent", "failed", "cancelled"];
export const createApiKeyDtoRoleValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["CreateApiKeyDto"]["role"]> = ["admin", "sender"];
export const emailStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["EmailStatus"]> = ["scheduled", "attempting", "sent", "failed", "cancelled"];
export const failureKindValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["FailureKind"]> = ["transient", "permanent", "relay-unavailable", "in-doubt"];
export const projectionStatsStateValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ProjectionStats"]["state"]> = ["live", "rebuilding"];
export const roleValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Role"]> = ["admin", "sender"];
export const sessionViewMethodValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["SessionView"]["method"]> = ["api-key", "oidc", "bearer"];
