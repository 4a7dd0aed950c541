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
        /** Filters `status, from, to, tag, batchId, scheduleId, sendAfter, sendBefore, tenant`; keyset paging by (sendAt, id). */
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
    readonly "/v1/admin/sessions": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get: operations["AdminSessionsController_list"];
        readonly put?: never;
        readonly post?: never;
        /** 200 with how many sessions ended (0 when none matched). */
        readonly delete: operations["AdminSessionsController_end"];
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
    readonly "/v1/admin/tenants": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** Every tenant an admin has configured, by id. A tenant not listed has no sender domains. */
        readonly get: operations["SenderDomainsController_list"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/admin/tenants/{tenantId}/limits": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get: operations["TenantLimitsController_get"];
        /**
         * Replaces the tenant's overrides (a limit left out takes the default). The api applies them from its next
         *     request; the workers within their settings cache (30 s).
         */
        readonly put: operations["TenantLimitsController_put"];
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/admin/tenants/{tenantId}/sender-domains": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get: operations["SenderDomainsController_get"];
        /** Replaces the tenant's sender domains (at most 100; lower-cased, duplicates dropped). */
        readonly put: operations["SenderDomainsController_put"];
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
    readonly "/v1/batches": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** Newest first; admins see every tenant's unless `tenantId` narrows it. */
        readonly get: operations["BatchesController_list"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/batches/{id}": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** Counts by status from the read model; `pending` are members it has not shown yet. */
        readonly get: operations["BatchesController_get"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/batches/{id}/cancel": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** Cancels every email of the batch that is still scheduled or paused; a line per email. */
        readonly post: operations["BatchesController_cancel"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/batches/{id}/pause": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** Pauses every email of the batch that is still scheduled: none of them starts an attempt until resumed. */
        readonly post: operations["BatchesController_pause"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/batches/{id}/resume": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** Resumes every paused email of the batch, due at its old due time or now, whichever is later. */
        readonly post: operations["BatchesController_resume"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/batches/{id}/retry": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** Gives every failed email of the batch a new attempt budget, due now. */
        readonly post: operations["BatchesController_retry"];
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
        /** Filters `status, from, to, tag, batchId, scheduleId, sendAfter, sendBefore`; keyset paging by (sendAt, id). */
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
         * The read-model view. Read-your-writes: `?minRevision=`, a write's `revision` of this email (or,
         *     admins only, `?minPosition=` / `X-Min-Position`, an admin write's `position`), waits up to
         *     `?wait=` seconds (default 5, at most 30) for the projection to reach it; if it does not, the row
         *     as it stands with `X-Projection-Stale: true` (404 if none yet).
         */
        readonly get: operations["EmailsController_get"];
        readonly put?: never;
        readonly post?: never;
        readonly delete: operations["EmailsController_cancel"];
        readonly options?: never;
        readonly head?: never;
        /**
         * A JSON merge patch of the email before it goes: `sendAt` moves it, the content fields change it, `null`
         *     removes an optional part. A time and content together are one write: both apply, or neither.
         */
        readonly patch: operations["EmailsController_edit"];
        readonly trace?: never;
    };
    readonly "/v1/emails/{id}/attachments/{index}": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /**
         * One attachment's bytes (by its place in the email's `attachments`), as stored when it was scheduled;
         *     410 once they were purged after the email's retention. Served as a download that no browser renders.
         */
        readonly get: operations["EmailsController_attachment"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
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
    readonly "/v1/emails/{id}/pause": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** Holds a scheduled email: no attempt starts until it is resumed. 409 in any other state. */
        readonly post: operations["EmailActionsController_pause"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/emails/{id}/resume": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** Releases a paused email, due at its old due time or now, whichever is later. 409 unless paused. */
        readonly post: operations["EmailActionsController_resume"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/emails/{id}/retry": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** A failed email gets a new attempt budget and is due now. 409 unless failed. */
        readonly post: operations["EmailActionsController_retry"];
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
        /**
         * Per-item results in request order; the valid items are scheduled whatever the others hold. `batchId`
         *     names the batch (GET /v1/batches/:id); with an Idempotency-Key, a repeat names the same one.
         */
        readonly post: operations["EmailsController_batch"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/emails/bulk/cancel": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** Cancels the matching emails still scheduled or paused (at most 10,000 a call). */
        readonly post: operations["EmailActionsController_bulkCancel"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/emails/bulk/pause": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** Pauses the matching scheduled emails (at most 10,000 a call). */
        readonly post: operations["EmailActionsController_bulkPause"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/emails/bulk/resume": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** Resumes the matching paused emails (at most 10,000 a call). */
        readonly post: operations["EmailActionsController_bulkResume"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/emails/bulk/retry": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** Retries the matching failed emails with a new attempt budget (at most 10,000 a call). */
        readonly post: operations["EmailActionsController_bulkRetry"];
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
    readonly "/v1/schedules": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** The caller's tenant's schedules, newest first. */
        readonly get: operations["SchedulesController_list"];
        readonly put?: never;
        readonly post: operations["SchedulesController_create"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/schedules/{id}": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get: operations["SchedulesController_get"];
        readonly put?: never;
        readonly post?: never;
        /** Ends the schedule for good (its history stays); emails already created are not touched. */
        readonly delete: operations["SchedulesController_remove"];
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/schedules/{id}/history": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** The schedule stream's events, oldest first. */
        readonly get: operations["SchedulesController_history"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/schedules/{id}/pause": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** No occurrence is created while paused; 409 unless active. */
        readonly post: operations["SchedulesController_pause"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/schedules/{id}/resume": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** Occurrences that fell while paused are not made up for; 409 unless paused. */
        readonly post: operations["SchedulesController_resume"];
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
        /**
         * Counts by status, sends per hour and lateness of the caller's tenant; projection lag (for a
         *     sender key, only in seconds).
         */
        readonly get: operations["StatsController_stats"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/templates": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** Newest first; keyset-paged by `nextCursor`. */
        readonly get: operations["TemplatesController_list"];
        readonly put?: never;
        /** 201 with the template and its version 1, a draft. */
        readonly post: operations["TemplatesController_create"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/templates/{id}": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get: operations["TemplatesController_get"];
        readonly put?: never;
        readonly post?: never;
        /** 204: gone for new emails; those already scheduled keep the content rendered for them. */
        readonly delete: operations["TemplatesController_delete"];
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/templates/{id}/preview": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** What an email would say with these variables, without scheduling one; drafts too. */
        readonly post: operations["TemplatesController_preview"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/templates/{id}/versions": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** 201 with a new draft, numbered after the highest version. */
        readonly post: operations["TemplatesController_addVersion"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/templates/{id}/versions/{version}": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get: operations["TemplatesController_getVersion"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        /** A draft's parts given replace its own (null removes text or html); 409 for a published version. */
        readonly patch: operations["TemplatesController_updateVersion"];
        readonly trace?: never;
    };
    readonly "/v1/templates/{id}/versions/{version}/publish": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /** The version becomes immutable and the default for emails that name no version; 409 if it already is. */
        readonly post: operations["TemplatesController_publish"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/webhooks": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** The caller's tenant's endpoints, oldest first (an admin: `?tenantId=` for another tenant's). */
        readonly get: operations["WebhooksController_list"];
        readonly put?: never;
        /** 201 with the endpoint and its secret, the only answer besides rotate-secret that shows it. */
        readonly post: operations["WebhooksController_create"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/webhooks/{id}": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get: operations["WebhooksController_get"];
        readonly put?: never;
        readonly post?: never;
        /** 204; its deliveries and their attempts go with it. */
        readonly delete: operations["WebhooksController_delete"];
        readonly options?: never;
        readonly head?: never;
        /** Changes the fields given. A new url is checked as at creation. */
        readonly patch: operations["WebhooksController_update"];
        readonly trace?: never;
    };
    readonly "/v1/webhooks/{id}/deliveries": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** The delivery log, newest first; keyset paging by (createdAt, id). */
        readonly get: operations["WebhooksController_deliveries"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/webhooks/{id}/deliveries/{deliveryId}": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        /** One delivery with its attempt log and the payload it sends. */
        readonly get: operations["WebhooksController_delivery"];
        readonly put?: never;
        readonly post?: never;
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/webhooks/{id}/deliveries/{deliveryId}/retry": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /**
         * 202: the delivery is pending and due now whatever its status (a delivered one is sent again), with the
         *     same `webhook-id` and payload; its attempt log is kept and goes on counting.
         */
        readonly post: operations["WebhooksController_retry"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/webhooks/{id}/replay": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /**
         * 202: sends the endpoint's subscribed messages of its tenant's events recorded in [since, until] again
         *     (until: default now; at most 31 days). At most 10,000 messages a call, the earliest first: past that,
         *     `truncated` and `nextSince`, the `since` of the next call.
         */
        readonly post: operations["WebhooksController_replay"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/webhooks/{id}/rotate-secret": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /**
         * A new secret, shown this once. Deliveries are signed by both the new and the previous secret until
         *     `previousSecretExpiresAt` (WEBHOOK_SECRET_OVERLAP, default 24 h), so receivers can switch without losing
         *     one. Only one previous secret is kept: rotating again inside the overlap ends the older one at once.
         */
        readonly post: operations["WebhooksController_rotateSecret"];
        readonly delete?: never;
        readonly options?: never;
        readonly head?: never;
        readonly patch?: never;
        readonly trace?: never;
    };
    readonly "/v1/webhooks/{id}/test": {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly get?: never;
        readonly put?: never;
        /**
         * 202: queues a signed `webhook.test` message (`data.webhookId`: this endpoint), a fresh `webhook-id` each
         *     time. It is delivered like any other, and not while the endpoint is disabled.
         */
        readonly post: operations["WebhooksController_test"];
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
        readonly ActionReportView: {
            readonly action: components["schemas"]["EmailAction"];
            /** @description Set for a batch's action. */
            readonly batchId?: string;
            readonly done: number;
            readonly results: readonly components["schemas"]["ActionResultView"][];
            readonly skipped: number;
            readonly total: number;
            /** @description Bulk actions only: more emails matched than one call takes (10,000); call again for the rest. */
            readonly truncated?: boolean;
        };
        readonly ActionRequestDto: {
            /** @description Recorded in each email's history (cancel, pause, retry); resume takes none. */
            readonly reason?: string;
        };
        readonly ActionResultView: {
            readonly emailId: string;
            /** @enum {string} */
            readonly outcome: "done" | "skipped";
            readonly reason?: string;
            /** @description After the action (done) or the status that refused it (skipped); null when not found. */
            readonly status: components["schemas"]["EmailActionStatus"] | null;
        };
        readonly AddressView: {
            readonly address: string;
            readonly name?: string;
        };
        readonly AdminSessionView: {
            /** @description API-key sessions: the key signed in with; null for OIDC. */
            readonly apiKeyId: string | null;
            readonly createdAt: string;
            /** @description OIDC: the account's email; null for API-key sessions. */
            readonly email: string | null;
            readonly expiresAt: string;
            /** @description Ends just this session: `DELETE /v1/admin/sessions?id=`. */
            readonly id: string;
            /** @description OIDC: the issuer the subject belongs to; null for API-key sessions. */
            readonly issuer: string | null;
            /** @enum {string} */
            readonly method: "api-key" | "oidc";
            readonly role: components["schemas"]["Role"];
            /** @description OIDC: the provider's `sub`; API key: the key's name. */
            readonly subject: string;
            readonly tenantId: string;
        };
        readonly AttachmentDto: {
            /** @description The bytes, base64 (RFC 4648, padding optional). */
            readonly content: string;
            /** @description Makes it an inline part the html references as `cid:<contentId>`. */
            readonly contentId?: string;
            /** @description MIME type; absent: guessed from the file name, else application/octet-stream. */
            readonly contentType?: string;
            /** @description As the recipient sees it: any Unicode, no controls, no / or \\. */
            readonly filename: string;
        };
        readonly AttachmentView: {
            /** @description Set for an inline part, which the html references as `cid:<contentId>`. */
            readonly contentId?: string;
            readonly contentType: string;
            readonly filename: string;
            /** @description Lower-case hex SHA-256 of the bytes. */
            readonly sha256: string;
            /** @description Bytes. */
            readonly size: number;
        };
        readonly BatchCountsView: {
            readonly attempting: number;
            readonly cancelled: number;
            readonly expired: number;
            readonly failed: number;
            readonly paused: number;
            readonly pending: number;
            readonly scheduled: number;
            readonly sent: number;
        };
        readonly BatchPage: {
            readonly items: readonly components["schemas"]["BatchSummaryView"][];
            /** @description Pass as `cursor` for the next page; null on the last one. */
            readonly nextCursor: string | null;
        };
        readonly BatchScheduleDto: {
            readonly emails: readonly Record<string, never>[];
        };
        readonly BatchSummaryView: {
            readonly createdAt: string;
            readonly id: string;
            /** @enum {string} */
            readonly source: "batch" | "import";
            /** @description Admin keys only. */
            readonly tenantId?: string;
            /** @description Emails the batch holds. */
            readonly total: number;
        };
        readonly BatchView: {
            readonly counts: components["schemas"]["BatchCountsView"];
            readonly createdAt: string;
            readonly id: string;
            /** @enum {string} */
            readonly source: "batch" | "import";
            /** @description Admin keys only. */
            readonly tenantId?: string;
            /** @description Emails the batch holds. */
            readonly total: number;
        };
        readonly BulkActionDto: {
            readonly filter: components["schemas"]["BulkFilterDto"];
            /** @description Recorded in each email's history (cancel, pause, retry); resume takes none. */
            readonly reason?: string;
        };
        readonly BulkFilterDto: {
            /** @description The sender's address, any case. */
            readonly from?: string;
            /** @description Exclusive upper bound on sendAt, ISO-8601 with an offset. */
            readonly sendBefore?: string;
            readonly tag?: string;
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
        readonly CreatedWebhookView: {
            readonly createdAt: string;
            readonly description: string | null;
            readonly disabledAt: string | null;
            /** @description Why it is disabled; null while enabled. */
            readonly disabledReason: string | null;
            /** @description False once disabled (through the api, or by the dispatcher after failing for too long). */
            readonly enabled: boolean;
            /** @description Webhook event types (`email.sent`, ...) or `*` for every one, present and future. */
            readonly events: readonly components["schemas"]["WebhookEventSubscription"][];
            /** @description When its current run of failed attempts began; null after a success. */
            readonly failingSince: string | null;
            readonly id: string;
            /** @description `whsec_…`: verify each delivery's `webhook-signature` with it (Standard Webhooks). */
            readonly secret: string;
            /** @description The tenant whose events it receives. */
            readonly tenantId: string;
            readonly updatedAt: string;
            readonly url: string;
        };
        readonly CreateScheduleDto: {
            /**
             * @description What happens to occurrences missed while nothing ran: 'skip' (default) or 'all'.
             * @enum {string}
             */
            readonly catchUp?: "skip" | "all";
            readonly cron?: string;
            readonly email: components["schemas"]["ScheduleEmailTemplateDto"];
            readonly rrule?: string;
            /** @description A wall-clock time in timeZone (2027-01-04T09:00) or an instant with an offset. */
            readonly startAt: string;
            /** @description IANA zone name. */
            readonly timeZone: string;
            readonly until?: string;
        };
        readonly CreateTemplateDto: {
            /** @description Variables are HTML-escaped here. Null or absent as for text. */
            readonly html?: string | null;
            readonly name: string;
            readonly subject: string;
            /** @description Null or absent: no text part (on PATCH, null removes it and absent keeps it). */
            readonly text?: string | null;
        };
        readonly CreateWebhookDto: {
            readonly description?: string | null;
            /** @description Webhook event types, or `*` for every one, present and future; 1–20, no repeats. */
            readonly events: readonly components["schemas"]["WebhookEventSubscription"][];
            /** @description Admin keys only: the tenant whose events it receives (default: the key's own). */
            readonly tenantId?: string;
            /**
             * @description Where deliveries are POSTed: http(s), at most 2048 characters, no user name or password. Its host must
             *     resolve to public addresses only (unless WEBHOOKS_ALLOW_PRIVATE_NETWORKS).
             */
            readonly url: string;
        };
        readonly DeliveryAttemptView: {
            /** @description 1 for the first attempt. */
            readonly attempt: number;
            readonly error: string | null;
            readonly latencyMs: number | null;
            readonly responseExcerpt: string | null;
            readonly startedAt: string;
            readonly statusCode: number | null;
        };
        readonly DeliveryDetailView: {
            readonly attemptLog: readonly components["schemas"]["DeliveryAttemptView"][];
            readonly attempts: number;
            readonly createdAt: string;
            readonly deliveredAt: string | null;
            /** @description Null for `webhook.test`. */
            readonly emailId: string | null;
            /** @description `email.sent`, ..., or `webhook.test`. */
            readonly eventType: string;
            readonly id: string;
            readonly lastAttemptAt: string | null;
            /** @description What went wrong with the last attempt when no answer came (timeout, connection refused, ...). */
            readonly lastError: string | null;
            readonly lastLatencyMs: number | null;
            /** @description The start of the receiver's answer to the last attempt, capped and sanitised. */
            readonly lastResponse: string | null;
            /** @description The receiver's HTTP status of the last attempt; null when it got none (timeout, refused). */
            readonly lastStatusCode: number | null;
            /** @description `webhook-id`: the same on every attempt, retry and replay of this message. */
            readonly messageId: string;
            /** @description While pending: not before then (the next retry); null once delivered or failed. */
            readonly nextAttemptAt: string | null;
            /** @description The message's JSON body, as signed and sent on every attempt. */
            readonly payload: {
                readonly [key: string]: unknown;
            };
            readonly status: components["schemas"]["WebhookDeliveryStatus"];
        };
        readonly DeliveryPage: {
            readonly items: readonly components["schemas"]["DeliveryView"][];
            /** @description Pass as `cursor` for the next page; null on the last one. */
            readonly nextCursor: string | null;
        };
        readonly DeliveryView: {
            readonly attempts: number;
            readonly createdAt: string;
            readonly deliveredAt: string | null;
            /** @description Null for `webhook.test`. */
            readonly emailId: string | null;
            /** @description `email.sent`, ..., or `webhook.test`. */
            readonly eventType: string;
            readonly id: string;
            readonly lastAttemptAt: string | null;
            /** @description What went wrong with the last attempt when no answer came (timeout, connection refused, ...). */
            readonly lastError: string | null;
            readonly lastLatencyMs: number | null;
            /** @description The start of the receiver's answer to the last attempt, capped and sanitised. */
            readonly lastResponse: string | null;
            /** @description The receiver's HTTP status of the last attempt; null when it got none (timeout, refused). */
            readonly lastStatusCode: number | null;
            /** @description `webhook-id`: the same on every attempt, retry and replay of this message. */
            readonly messageId: string;
            /** @description While pending: not before then (the next retry); null once delivered or failed. */
            readonly nextAttemptAt: string | null;
            readonly status: components["schemas"]["WebhookDeliveryStatus"];
        };
        readonly DeliveryWindowDto: {
            readonly days: readonly components["schemas"]["Weekday"][];
            /** @description "HH:MM"; at or before start, the window crosses midnight. */
            readonly end: string;
            /** @description "HH:MM", 24 h. */
            readonly start: string;
            /** @description IANA zone the hours are in. */
            readonly timeZone: string;
        };
        readonly DeliveryWindowView: {
            readonly days: readonly components["schemas"]["Weekday"][];
            /** @description "HH:MM"; at or before start, the window crosses midnight. */
            readonly end: string;
            /** @description "HH:MM". */
            readonly start: string;
            readonly timeZone: string;
        };
        readonly EditEmailDto: {
            /** @description Replaces every attachment (base64 as when scheduling); null or [] removes them. */
            readonly attachments?: readonly components["schemas"]["AttachmentDto"][] | null;
            readonly bcc?: Record<string, never> | null;
            readonly cc?: Record<string, never> | null;
            /** @description Replaces every header of your own: `{ "X-Campaign": "summer" }`. */
            readonly headers?: {
                readonly [key: string]: string;
            } | null;
            readonly html?: string | null;
            /** @description Replaces the metadata as a whole. */
            readonly metadata?: {
                readonly [key: string]: string;
            } | null;
            readonly replyTo?: Record<string, never> | null;
            /** @description ISO-8601 with an offset, or without one: wall-clock time in `timeZone`, else in the email's own zone. */
            readonly sendAt?: string;
            readonly subject?: string;
            /** @description Re-renders subject, text and html from the email's pinned template version with these variables. */
            readonly template?: components["schemas"]["TemplateVariablesDto"];
            readonly text?: string | null;
            /** @description IANA zone for an offset-less sendAt; the email keeps the zone it was scheduled with. */
            readonly timeZone?: string;
            readonly to?: Record<string, never>;
        };
        /** @enum {string} */
        readonly EmailAction: "cancel" | "pause" | "resume" | "retry";
        /**
         * @description After the action (done) or the status that refused it (skipped); null when not found.
         * @enum {string}
         */
        readonly EmailActionStatus: "scheduled" | "paused" | "attempting" | "sent" | "failed" | "cancelled" | "expired";
        readonly EmailHeaderView: {
            readonly name: string;
            readonly value: string;
        };
        readonly EmailHistory: {
            readonly events: readonly components["schemas"]["HistoryEventView"][];
            readonly id: string;
            /** @description The revision of the last event replayed; null when the cut-off is before the first event. */
            readonly revision: number | null;
            /**
             * @description The email as its events fold up to the cut-off (the domain's EmailState). For a sender key, without
             *     the worker and job of an attempt or the relay's reply, and with a failure's reason instead of its text.
             */
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
        readonly EmailStatus: "scheduled" | "paused" | "attempting" | "sent" | "failed" | "cancelled" | "expired";
        readonly EmailView: {
            readonly attachments?: readonly components["schemas"]["AttachmentView"][];
            /** @description Once the attachments' bytes were deleted (a retention after the email became final). */
            readonly attachmentsPurgedAt?: string;
            readonly attempts: number;
            /** @description The batch (POST /v1/emails/batch, a CSV import) it came in with. */
            readonly batchId?: string;
            readonly bcc: readonly components["schemas"]["AddressView"][];
            readonly cancelledAt: string | null;
            readonly cc: readonly components["schemas"]["AddressView"][];
            readonly createdAt: string;
            readonly deliveryWindow?: components["schemas"]["DeliveryWindowView"];
            /** @description When the next attempt is due (scheduled emails only, retries included). */
            readonly dueAt: string | null;
            /** @description Once expired: when, and why. */
            readonly expiredAt?: string;
            /** @description The send-by deadline: never sent at or after it. */
            readonly expiresAt?: string;
            readonly expiryReason?: components["schemas"]["ExpiryReason"];
            readonly failedAt: string | null;
            readonly from: components["schemas"]["AddressView"];
            readonly headers?: readonly components["schemas"]["EmailHeaderView"][];
            readonly id: string;
            readonly lastError: components["schemas"]["LastErrorView"] | null;
            /** @description That wall-clock sendAt as asked (`sendAt` is the instant it resolved to). */
            readonly localSendAt?: string;
            readonly maxAttempts: number;
            readonly messageId: string | null;
            /** @description The owner's own string pairs: never sent, filterable with `?metadata=key:value`. */
            readonly metadata?: {
                readonly [key: string]: string;
            };
            readonly occurrenceAt?: string;
            /** @description While paused: since when. */
            readonly pausedAt?: string;
            /**
             * @description The category position the row reflects, `"<commit>/<prepare>"`. Admins only: the position counts
             *     every tenant's writes.
             */
            readonly position?: string;
            /** @description Where replies go; absent: to `from`. */
            readonly replyTo?: readonly components["schemas"]["AddressView"][];
            /** @description The sendAt the email was first scheduled with. */
            readonly requestedSendAt: string;
            /** @description The stream revision the row reflects (the ETag). */
            readonly revision: number;
            /** @description The recurring schedule it is an occurrence of, and that occurrence's instant. */
            readonly scheduleId?: string;
            /** @description When it is (now) meant to go out: moved by reschedules and rate-limit deferrals. */
            readonly sendAt: string;
            readonly sentAt: string | null;
            readonly status: components["schemas"]["EmailStatus"];
            readonly subject: string;
            readonly tags: readonly string[];
            readonly template?: components["schemas"]["TemplatePinView"];
            readonly tenant: string;
            /** @description Set when sendAt was asked as wall-clock time: the IANA zone it was resolved in. */
            readonly timeZone?: string;
            readonly to: readonly components["schemas"]["AddressView"][];
            readonly updatedAt: string;
        };
        readonly EmailWriteResultView: {
            /** @description The send-by deadline, an instant. */
            readonly expiresAt?: string;
            readonly id: string;
            /** @description The wall-clock sendAt as asked, in `timeZone`. */
            readonly localSendAt?: string;
            /**
             * @description Admins only: where in the store the write is (`minPosition` waits for it). A sender does not get
             *     it: the position counts every tenant's writes.
             */
            readonly position?: string;
            /** @description The stream revision after the write (the ETag): pass as `minRevision` to read your write. */
            readonly revision: number;
            /** @description An instant, also when asked as wall-clock time (then `timeZone` and `localSendAt` say how). */
            readonly sendAt: string | null;
            readonly status: components["schemas"]["EmailStatus"];
            /** @description The IANA zone an offset-less sendAt was resolved in. */
            readonly timeZone?: string;
        };
        readonly EndedSessions: {
            readonly ended: number;
        };
        /** @enum {string} */
        readonly ExpiryReason: "deadline-passed" | "retry-after-deadline" | "rate-limit-after-deadline" | "window-after-deadline";
        /** @enum {string} */
        readonly FailureKind: "transient" | "permanent" | "relay-unavailable" | "in-doubt";
        readonly FieldIssue: {
            readonly field: string;
            readonly reason: string;
        };
        readonly HistoryEventView: {
            /**
             * @description The event's payload. For a sender key, without a claim's worker and job ids or the relay's reply,
             *     and a failure's `message` is a fixed reason per `kind` instead of the relay's text.
             */
            readonly data: {
                readonly [key: string]: unknown;
            };
            readonly recordedAt: string;
            /** @description The event's revision in the email's own stream. */
            readonly revision: number;
            readonly type: string;
        };
        readonly ImportedRow: {
            readonly id: string;
            readonly row: number;
        };
        readonly ImportReport: {
            readonly accepted: number;
            /** @description The import's batch (GET /v1/batches/:id): every accepted row's email is in it. */
            readonly batchId: string;
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
            /** @description The transport's error code (ECONNREFUSED, say); never shown to a sender key. */
            readonly errorCode?: string;
            readonly kind: components["schemas"]["FailureKind"];
            /**
             * @description What went wrong: the relay's reply or the error's text, sanitised; for a sender key a fixed reason
             *     per `kind` instead, and no `code` when the kind is 'relay-unavailable' (it is about our relay).
             */
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
        readonly PreviewTemplateDto: {
            readonly variables?: {
                readonly [key: string]: unknown;
            };
            /** @description Any version, drafts too; absent: the latest published one. */
            readonly version?: number;
        };
        readonly ProjectionStats: {
            /** @description Admins only. */
            readonly head?: string | null;
            /** @description Admins only. */
            readonly lagEvents?: number;
            /** @description Admins only. */
            readonly lagEventsCapped?: boolean;
            readonly lagSeconds: number;
            /** @description Admins only. */
            readonly position?: string | null;
            /** @enum {string} */
            readonly state: "live" | "rebuilding";
        };
        readonly PutSenderDomainsDto: {
            /** @description DNS names as in an address (`acme.com`); exact matches only, no wildcards, case ignored. */
            readonly domains: readonly string[];
        };
        readonly ReplayResultView: {
            /** @description With `truncated`: the `since` of the next call (the same `until`). */
            readonly nextSince?: string;
            /** @description Messages queued again (or for the first time) for this endpoint. */
            readonly queued: number;
            readonly since: string;
            /** @description True when the range held more than one call replays: call again from `nextSince`. */
            readonly truncated?: boolean;
            readonly until: string;
        };
        readonly ReplayWebhookDto: {
            /** @description The first instant whose events are sent again (inclusive). */
            readonly since: string;
            /** @description The last instant (inclusive); default now. At most 31 days after `since`, never in the future. */
            readonly until?: string;
        };
        readonly RetryRequestDto: {
            /** @description Recorded in each email's history (cancel, pause, retry); resume takes none. */
            readonly reason?: string;
            /**
             * @description Required (true) to retry an email that failed in doubt: its last attempt may have reached the recipient,
             *     so a retry may deliver it twice. Batch and filter retries never do it: they skip such emails.
             */
            readonly resendInDoubt?: boolean;
        };
        /** @enum {string} */
        readonly Role: "admin" | "sender";
        readonly RotatedWebhookView: {
            readonly createdAt: string;
            readonly description: string | null;
            readonly disabledAt: string | null;
            /** @description Why it is disabled; null while enabled. */
            readonly disabledReason: string | null;
            /** @description False once disabled (through the api, or by the dispatcher after failing for too long). */
            readonly enabled: boolean;
            /** @description Webhook event types (`email.sent`, ...) or `*` for every one, present and future. */
            readonly events: readonly components["schemas"]["WebhookEventSubscription"][];
            /** @description When its current run of failed attempts began; null after a success. */
            readonly failingSince: string | null;
            readonly id: string;
            /**
             * @description Until then deliveries carry a signature by the previous secret too (WEBHOOK_SECRET_OVERLAP after the
             *     rotation). A second rotation before it ends drops the older secret at once.
             */
            readonly previousSecretExpiresAt: string;
            /** @description `whsec_…`: verify each delivery's `webhook-signature` with it (Standard Webhooks). */
            readonly secret: string;
            /** @description The tenant whose events it receives. */
            readonly tenantId: string;
            readonly updatedAt: string;
            readonly url: string;
        };
        readonly ScheduleEmailDto: {
            readonly attachments?: readonly components["schemas"]["AttachmentDto"][];
            readonly bcc?: Record<string, never>;
            readonly cc?: Record<string, never>;
            /** @description When it may go out: `{timeZone, days: ["mon", ...], start: "09:00", end: "17:30"}`; due outside, it waits. */
            readonly deliveryWindow?: components["schemas"]["DeliveryWindowDto"];
            /** @description Send-by deadline (same forms as sendAt): not sent by then, the email ends `expired`. */
            readonly expiresAt?: string;
            readonly from: Record<string, never>;
            /** @description Headers of your own, `{ "X-Campaign": "spring" }`; the ones the service sets are refused. */
            readonly headers?: {
                readonly [key: string]: string;
            };
            readonly html?: string;
            readonly maxAttempts?: number;
            /** @description Your own string key/value pairs: never sent, shown in the email, its history and webhooks, filterable. */
            readonly metadata?: {
                readonly [key: string]: string;
            };
            /** @description Where replies go: one address or a list. */
            readonly replyTo?: Record<string, never>;
            /**
             * @description ISO-8601 with an offset, or without one together with `timeZone` (that wall-clock time there: a time a
             *     DST change skips moves forward by the gap, a repeated one is its first occurrence); absent means now.
             */
            readonly sendAt?: string;
            /** @description Required unless `template` renders it. */
            readonly subject?: string;
            readonly tags?: readonly string[];
            /** @description Instead of subject, text and html: a template and its variables. */
            readonly template?: components["schemas"]["TemplateUseDto"];
            readonly text?: string;
            /** @description IANA zone, e.g. Europe/Paris: makes an offset-less sendAt (and expiresAt) wall-clock time there. */
            readonly timeZone?: string;
            readonly to: Record<string, never>;
        };
        readonly ScheduleEmailTemplateDto: {
            readonly bcc?: Record<string, never>;
            readonly cc?: Record<string, never>;
            /** @description `{timeZone, days, start, end}`, checked by the domain. */
            readonly deliveryWindow?: {
                readonly [key: string]: unknown;
            };
            /** @description ISO-8601 duration (PT2H): each occurrence's expiresAt is the occurrence plus it. */
            readonly expiresAfter?: string;
            readonly from: Record<string, never>;
            readonly html?: string;
            readonly maxAttempts?: number;
            readonly subject: string;
            readonly tags?: readonly string[];
            readonly text?: string;
            readonly to: Record<string, never>;
        };
        readonly ScheduleHistoryEventView: {
            readonly data: {
                readonly [key: string]: unknown;
            };
            /** Format: date-time */
            readonly recordedAt: string;
            readonly revision: number;
            readonly type: string;
        };
        readonly ScheduleHistoryView: {
            readonly events: readonly components["schemas"]["ScheduleHistoryEventView"][];
            /** Format: uuid */
            readonly id: string;
        };
        readonly ScheduleList: {
            readonly items: readonly components["schemas"]["ScheduleView"][];
            readonly nextCursor: string | null;
        };
        readonly ScheduleView: {
            /** @enum {string} */
            readonly catchUp: "skip" | "all";
            /** Format: date-time */
            readonly createdAt: string;
            readonly cron?: string;
            /** @description The email each occurrence becomes */
            readonly email: Record<string, never>;
            /** Format: uuid */
            readonly id: string;
            /** Format: date-time */
            readonly lastOccurrenceAt: string | null;
            /** @description The wall-clock start, when it was given as one */
            readonly localStartAt?: string;
            /** @description The next occurrences still to be created (up to 5; none when deleted or ended) */
            readonly nextOccurrences: readonly string[];
            readonly occurrencesCreated: number;
            readonly occurrencesSkipped: number;
            /** @description The schedule stream's revision */
            readonly revision: number;
            readonly rrule?: string;
            /** Format: date-time */
            readonly startAt: string;
            /** @enum {string} */
            readonly status: "active" | "paused" | "deleted";
            readonly tenantId: string;
            readonly timeZone: string;
            /** Format: date-time */
            readonly until: string | null;
        };
        readonly SenderHourSends: {
            readonly count: number;
            /** @description The hour's start, UTC. */
            readonly hour: string;
            readonly sender: string;
            readonly tenant: string;
        };
        readonly SessionList: {
            readonly items: readonly components["schemas"]["AdminSessionView"][];
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
            /** @description The tenant's limits in effect and their usage now (docs/OPERATIONS.md); null over all tenants. */
            readonly limits: readonly components["schemas"]["TenantLimitUsage"][] | null;
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
        readonly TemplateDetailView: {
            readonly createdAt: string;
            readonly id: string;
            /** @description The highest version number, draft or published. */
            readonly latestVersion: number;
            readonly name: string;
            /** @description What scheduling without a version uses; null until one is published. */
            readonly publishedVersion: number | null;
            readonly updatedAt: string;
            readonly versions: readonly components["schemas"]["TemplateVersionView"][];
        };
        readonly TemplatePage: {
            readonly items: readonly components["schemas"]["TemplateView"][];
            readonly nextCursor: string | null;
        };
        readonly TemplatePinView: {
            readonly id: string;
            readonly version: number;
        };
        readonly TemplatePreviewView: {
            readonly html?: string;
            readonly subject: string;
            readonly text?: string;
        };
        readonly TemplateUseDto: {
            readonly id: string;
            /** @description The values the template's `{{ name }}` placeholders take. */
            readonly variables?: {
                readonly [key: string]: unknown;
            };
            /** @description A published version; absent: the latest published one. */
            readonly version?: number;
        };
        readonly TemplateVariablesDto: {
            readonly variables: {
                readonly [key: string]: unknown;
            };
        };
        readonly TemplateVersionDto: {
            /** @description Variables are HTML-escaped here. Null or absent as for text. */
            readonly html?: string | null;
            readonly subject: string;
            /** @description Null or absent: no text part (on PATCH, null removes it and absent keeps it). */
            readonly text?: string | null;
        };
        /**
         * @description A published version never changes; emails pin one when scheduled.
         * @enum {string}
         */
        readonly TemplateVersionStatus: "draft" | "published";
        readonly TemplateVersionView: {
            readonly createdAt: string;
            readonly html: string | null;
            readonly publishedAt: string | null;
            /** @description A published version never changes; emails pin one when scheduled. */
            readonly status: components["schemas"]["TemplateVersionStatus"];
            readonly subject: string;
            readonly templateId: string;
            readonly text: string | null;
            readonly version: number;
        };
        readonly TemplateView: {
            readonly createdAt: string;
            readonly id: string;
            /** @description The highest version number, draft or published. */
            readonly latestVersion: number;
            readonly name: string;
            /** @description What scheduling without a version uses; null until one is published. */
            readonly publishedVersion: number | null;
            readonly updatedAt: string;
        };
        readonly TenantLimitsDto: {
            /** @description Emails accepted for scheduling per calendar day (UTC). */
            readonly emailsPerDay?: number;
            /** @description Emails accepted for scheduling per calendar hour (UTC). */
            readonly emailsPerHour?: number;
            /** @description Emails accepted for scheduling per calendar minute (UTC). */
            readonly emailsPerMinute?: number;
            /** @description UTF-8 bytes of subject, text and html of the pending emails. */
            readonly pendingBytes?: number;
            /** @description Emails scheduled and not yet sent, failed or cancelled. */
            readonly pendingEmails?: number;
            /** @description Worker sends per RATE_LIMIT_WINDOW_MS over all the tenant's senders. */
            readonly sendsPerWindow?: number;
            /** @description Worker sends per RATE_LIMIT_WINDOW_MS per (tenant, from address). */
            readonly sendsPerWindowPerSender?: number;
        };
        readonly TenantLimitsView: {
            readonly limits: readonly components["schemas"]["TenantLimitUsage"][];
            /** @description What an admin set for this tenant (absent: the default). */
            readonly overrides: components["schemas"]["TenantLimitsDto"];
            readonly tenantId: string;
        };
        readonly TenantLimitUsage: {
            /** @enum {string} */
            readonly name: "emailsPerMinute" | "emailsPerHour" | "emailsPerDay" | "pendingEmails" | "pendingBytes" | "sendsPerWindow" | "sendsPerWindowPerSender";
            /** @description Whether an admin set this limit for the tenant. */
            readonly overridden: boolean;
            /** @description value − used; null when unlimited or not counted here. */
            readonly remaining: number | null;
            /** @description When the calendar window ends and its count starts again; null for the others. */
            readonly resetsAt: string | null;
            /**
             * @description Emails in the current calendar window, or pending emails / bytes (as of the read model); null for the
             *     send rates, which the worker enforces (a deferral names the one that bound).
             */
            readonly used: number | null;
            /** @description The limit in effect: the tenant's override, else the default; 0 = unlimited. */
            readonly value: number;
        };
        readonly TenantSettingsList: {
            readonly items: readonly components["schemas"]["TenantSettingsView"][];
        };
        readonly TenantSettingsView: {
            readonly limits: components["schemas"]["TenantLimitsView"];
            /** @description The domains its sender keys may send from (exactly; lower-cased). Empty: its senders cannot send. */
            readonly senderDomains: readonly string[];
            readonly tenantId: string;
            /** @description When an admin last changed them; null for a tenant nobody has configured. */
            readonly updatedAt: string | null;
        };
        readonly TestDeliveryView: {
            readonly deliveryId: string;
            readonly messageId: string;
        };
        readonly UpdateTemplateVersionDto: {
            readonly html?: string | null;
            /** @description Absent: unchanged; null is refused (IsOptional would let it through). */
            readonly subject?: string;
            readonly text?: string | null;
        };
        readonly UpdateWebhookDto: {
            readonly description?: string | null;
            /** @description `true` re-enables a disabled endpoint: its reason and failing run are cleared, its deliveries resume. */
            readonly enabled?: boolean;
            readonly events?: readonly components["schemas"]["WebhookEventSubscription"][];
            readonly url?: string;
        };
        /** @enum {string} */
        readonly WebhookDeliveryStatus: "pending" | "delivered" | "failed";
        /**
         * @description Webhook event types, or `*` for every one, present and future; 1–20, no repeats.
         * @enum {string}
         */
        readonly WebhookEventSubscription: "email.scheduled" | "email.rescheduled" | "email.cancelled" | "email.deferred" | "email.attempt_failed" | "email.sent" | "email.failed" | "email.in_doubt" | "email.paused" | "email.resumed" | "email.expired" | "email.retry_requested" | "email.content_edited" | "email.attachments_purged" | "*";
        readonly WebhookList: {
            readonly items: readonly components["schemas"]["WebhookView"][];
        };
        readonly WebhookView: {
            readonly createdAt: string;
            readonly description: string | null;
            readonly disabledAt: string | null;
            /** @description Why it is disabled; null while enabled. */
            readonly disabledReason: string | null;
            /** @description False once disabled (through the api, or by the dispatcher after failing for too long). */
            readonly enabled: boolean;
            /** @description Webhook event types (`email.sent`, ...) or `*` for every one, present and future. */
            readonly events: readonly components["schemas"]["WebhookEventSubscription"][];
            /** @description When its current run of failed attempts began; null after a success. */
            readonly failingSince: string | null;
            readonly id: string;
            /** @description The tenant whose events it receives. */
            readonly tenantId: string;
            readonly updatedAt: string;
            readonly url: string;
        };
        /** @enum {string} */
        readonly Weekday: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
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
                /** @description The batch (POST /v1/emails/batch, a CSV import) the emails came in with. */
                readonly batchId?: string;
                /** @description The previous page's `nextCursor`. */
                readonly cursor?: string;
                /** @description The sender's address, any case. */
                readonly from?: string;
                readonly limit?: number;
                /** @description `key:value`, repeatable: emails whose metadata holds every pair given. */
                readonly metadata?: readonly string[];
                /** @description The recurring schedule whose occurrences they are. */
                readonly scheduleId?: string;
                /** @description Inclusive lower bound on sendAt. */
                readonly sendAfter?: string;
                /** @description Exclusive upper bound on sendAt. */
                readonly sendBefore?: string;
                readonly status?: "scheduled" | "paused" | "attempting" | "sent" | "failed" | "cancelled" | "expired";
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
    readonly AdminSessionsController_list: {
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
                    readonly "application/json": components["schemas"]["SessionList"];
                };
            };
        };
    };
    readonly AdminSessionsController_end: {
        readonly parameters: {
            readonly query?: {
                /** @description Every session signed in with this API key. */
                readonly apiKeyId?: string;
                /** @description One session, by the id the list shows. */
                readonly id?: string;
                readonly issuer?: string;
                /** @description Every session of one OIDC account: the provider's subject, with `issuer`. */
                readonly subject?: string;
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
                    readonly "application/json": components["schemas"]["EndedSessions"];
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
    readonly SenderDomainsController_list: {
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
                    readonly "application/json": components["schemas"]["TenantSettingsList"];
                };
            };
        };
    };
    readonly TenantLimitsController_get: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path: {
                readonly tenantId: string;
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
                    readonly "application/json": components["schemas"]["TenantLimitsView"];
                };
            };
        };
    };
    readonly TenantLimitsController_put: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path: {
                readonly tenantId: string;
            };
            readonly cookie?: never;
        };
        readonly requestBody: {
            readonly content: {
                readonly "application/json": components["schemas"]["TenantLimitsDto"];
            };
        };
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["TenantLimitsView"];
                };
            };
        };
    };
    readonly SenderDomainsController_get: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path: {
                readonly tenantId: string;
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
                    readonly "application/json": components["schemas"]["TenantSettingsView"];
                };
            };
        };
    };
    readonly SenderDomainsController_put: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path: {
                readonly tenantId: string;
            };
            readonly cookie?: never;
        };
        readonly requestBody: {
            readonly content: {
                readonly "application/json": components["schemas"]["PutSenderDomainsDto"];
            };
        };
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["TenantSettingsView"];
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
    readonly BatchesController_list: {
        readonly parameters: {
            readonly query?: {
                /** @description The previous page's `nextCursor`. */
                readonly cursor?: string;
                readonly limit?: number;
                /** @description Admin keys only: another tenant's batches (a sender key lists its own tenant's). */
                readonly tenantId?: string;
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
                    readonly "application/json": components["schemas"]["BatchPage"];
                };
            };
        };
    };
    readonly BatchesController_get: {
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
                    readonly "application/json": components["schemas"]["BatchView"];
                };
            };
        };
    };
    readonly BatchesController_cancel: {
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
                readonly "application/json": components["schemas"]["ActionRequestDto"];
            };
        };
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["ActionReportView"];
                };
            };
        };
    };
    readonly BatchesController_pause: {
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
                readonly "application/json": components["schemas"]["ActionRequestDto"];
            };
        };
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["ActionReportView"];
                };
            };
        };
    };
    readonly BatchesController_resume: {
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
                readonly "application/json": components["schemas"]["ActionRequestDto"];
            };
        };
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["ActionReportView"];
                };
            };
        };
    };
    readonly BatchesController_retry: {
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
                readonly "application/json": components["schemas"]["ActionRequestDto"];
            };
        };
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["ActionReportView"];
                };
            };
        };
    };
    readonly EmailsController_list: {
        readonly parameters: {
            readonly query?: {
                /** @description The batch (POST /v1/emails/batch, a CSV import) the emails came in with. */
                readonly batchId?: string;
                /** @description The previous page's `nextCursor`. */
                readonly cursor?: string;
                /** @description The sender's address, any case. */
                readonly from?: string;
                readonly limit?: number;
                /** @description `key:value`, repeatable: emails whose metadata holds every pair given. */
                readonly metadata?: readonly string[];
                /** @description The recurring schedule whose occurrences they are. */
                readonly scheduleId?: string;
                /** @description Inclusive lower bound on sendAt. */
                readonly sendAfter?: string;
                /** @description Exclusive upper bound on sendAt. */
                readonly sendBefore?: string;
                readonly status?: "scheduled" | "paused" | "attempting" | "sent" | "failed" | "cancelled" | "expired";
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
                /**
                 * @description Admins only: `"<commit>/<prepare>"`, as an admin's write answers `position`; also the
                 *     `X-Min-Position` header.
                 */
                readonly minPosition?: string;
                /** @description Read your write: a write's `revision` of this email; the answer reflects at least that revision. */
                readonly minRevision?: number;
                /** @description Seconds to wait for minRevision or minPosition, 0–30 (default 5). */
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
    readonly EmailsController_edit: {
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
                readonly "application/json": components["schemas"]["EditEmailDto"];
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
    readonly EmailsController_attachment: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path: {
                readonly id: string;
                readonly index: number;
            };
            readonly cookie?: never;
        };
        readonly requestBody?: never;
        readonly responses: {
            /** @description The file's bytes, with its stored Content-Type */
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/octet-stream": string;
                };
            };
            /** @description Purged after the retention that follows the email's end */
            readonly 410: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content?: never;
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
    readonly EmailActionsController_pause: {
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
                readonly "application/json": components["schemas"]["ActionRequestDto"];
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
    readonly EmailActionsController_resume: {
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
                readonly "application/json": components["schemas"]["ActionRequestDto"];
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
    readonly EmailActionsController_retry: {
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
                readonly "application/json": components["schemas"]["RetryRequestDto"];
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
    readonly EmailActionsController_bulkCancel: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody: {
            readonly content: {
                readonly "application/json": components["schemas"]["BulkActionDto"];
            };
        };
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["ActionReportView"];
                };
            };
        };
    };
    readonly EmailActionsController_bulkPause: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody: {
            readonly content: {
                readonly "application/json": components["schemas"]["BulkActionDto"];
            };
        };
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["ActionReportView"];
                };
            };
        };
    };
    readonly EmailActionsController_bulkResume: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody: {
            readonly content: {
                readonly "application/json": components["schemas"]["BulkActionDto"];
            };
        };
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["ActionReportView"];
                };
            };
        };
    };
    readonly EmailActionsController_bulkRetry: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody: {
            readonly content: {
                readonly "application/json": components["schemas"]["BulkActionDto"];
            };
        };
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["ActionReportView"];
                };
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
    readonly SchedulesController_list: {
        readonly parameters: {
            readonly query?: {
                /** @description The `nextCursor` of the previous page. */
                readonly cursor?: string;
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
                    readonly "application/json": components["schemas"]["ScheduleList"];
                };
            };
        };
    };
    readonly SchedulesController_create: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody: {
            readonly content: {
                readonly "application/json": components["schemas"]["CreateScheduleDto"];
            };
        };
        readonly responses: {
            readonly 201: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["ScheduleView"];
                };
            };
        };
    };
    readonly SchedulesController_get: {
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
                    readonly "application/json": components["schemas"]["ScheduleView"];
                };
            };
        };
    };
    readonly SchedulesController_remove: {
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
                    readonly "application/json": components["schemas"]["ScheduleView"];
                };
            };
        };
    };
    readonly SchedulesController_history: {
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
                    readonly "application/json": components["schemas"]["ScheduleHistoryView"];
                };
            };
        };
    };
    readonly SchedulesController_pause: {
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
                    readonly "application/json": components["schemas"]["ScheduleView"];
                };
            };
        };
    };
    readonly SchedulesController_resume: {
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
                    readonly "application/json": components["schemas"]["ScheduleView"];
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
    readonly TemplatesController_list: {
        readonly parameters: {
            readonly query?: {
                /** @description The previous page's `nextCursor`. */
                readonly cursor?: string;
                /** @description 1–100, default 50. */
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
                    readonly "application/json": components["schemas"]["TemplatePage"];
                };
            };
        };
    };
    readonly TemplatesController_create: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody: {
            readonly content: {
                readonly "application/json": components["schemas"]["CreateTemplateDto"];
            };
        };
        readonly responses: {
            readonly 201: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["TemplateDetailView"];
                };
            };
        };
    };
    readonly TemplatesController_get: {
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
                    readonly "application/json": components["schemas"]["TemplateDetailView"];
                };
            };
        };
    };
    readonly TemplatesController_delete: {
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
    readonly TemplatesController_preview: {
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
                readonly "application/json": components["schemas"]["PreviewTemplateDto"];
            };
        };
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["TemplatePreviewView"];
                };
            };
        };
    };
    readonly TemplatesController_addVersion: {
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
                readonly "application/json": components["schemas"]["TemplateVersionDto"];
            };
        };
        readonly responses: {
            readonly 201: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["TemplateVersionView"];
                };
            };
        };
    };
    readonly TemplatesController_getVersion: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path: {
                readonly id: string;
                readonly version: number;
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
                    readonly "application/json": components["schemas"]["TemplateVersionView"];
                };
            };
        };
    };
    readonly TemplatesController_updateVersion: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path: {
                readonly id: string;
                readonly version: number;
            };
            readonly cookie?: never;
        };
        readonly requestBody: {
            readonly content: {
                readonly "application/json": components["schemas"]["UpdateTemplateVersionDto"];
            };
        };
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["TemplateVersionView"];
                };
            };
        };
    };
    readonly TemplatesController_publish: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path: {
                readonly id: string;
                readonly version: number;
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
                    readonly "application/json": components["schemas"]["TemplateVersionView"];
                };
            };
        };
    };
    readonly WebhooksController_list: {
        readonly parameters: {
            readonly query?: {
                /** @description Admin keys only: another tenant's endpoints (default: the key's own tenant's). */
                readonly tenantId?: string;
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
                    readonly "application/json": components["schemas"]["WebhookList"];
                };
            };
        };
    };
    readonly WebhooksController_create: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path?: never;
            readonly cookie?: never;
        };
        readonly requestBody: {
            readonly content: {
                readonly "application/json": components["schemas"]["CreateWebhookDto"];
            };
        };
        readonly responses: {
            readonly 201: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["CreatedWebhookView"];
                };
            };
        };
    };
    readonly WebhooksController_get: {
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
                    readonly "application/json": components["schemas"]["WebhookView"];
                };
            };
        };
    };
    readonly WebhooksController_delete: {
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
    readonly WebhooksController_update: {
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
                readonly "application/json": components["schemas"]["UpdateWebhookDto"];
            };
        };
        readonly responses: {
            readonly 200: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["WebhookView"];
                };
            };
        };
    };
    readonly WebhooksController_deliveries: {
        readonly parameters: {
            readonly query?: {
                /** @description The previous page's `nextCursor`. */
                readonly cursor?: string;
                /** @description 1–100, default 50. */
                readonly limit?: number;
                readonly status?: components["schemas"]["WebhookDeliveryStatus"];
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
                    readonly "application/json": components["schemas"]["DeliveryPage"];
                };
            };
        };
    };
    readonly WebhooksController_delivery: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path: {
                readonly deliveryId: string;
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
                    readonly "application/json": components["schemas"]["DeliveryDetailView"];
                };
            };
        };
    };
    readonly WebhooksController_retry: {
        readonly parameters: {
            readonly query?: never;
            readonly header?: never;
            readonly path: {
                readonly deliveryId: string;
                readonly id: string;
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
                    readonly "application/json": components["schemas"]["DeliveryView"];
                };
            };
        };
    };
    readonly WebhooksController_replay: {
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
                readonly "application/json": components["schemas"]["ReplayWebhookDto"];
            };
        };
        readonly responses: {
            readonly 202: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["ReplayResultView"];
                };
            };
        };
    };
    readonly WebhooksController_rotateSecret: {
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
                    readonly "application/json": components["schemas"]["RotatedWebhookView"];
                };
            };
        };
    };
    readonly WebhooksController_test: {
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
            readonly 202: {
                headers: {
                    readonly [name: string]: unknown;
                };
                content: {
                    readonly "application/json": components["schemas"]["TestDeliveryView"];
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
export const pathsV1AdminEmailsGetParametersQueryStatusValues: ReadonlyArray<FlattenedDeepRequired<paths>["/v1/admin/emails"]["get"]["parameters"]["query"]["status"]> = ["scheduled", "paused", "attempting", "sent", "failed", "cancelled", "expired"];
export const pathsV1EmailsGetParametersQueryStatusValues: ReadonlyArray<FlattenedDeepRequired<paths>["/v1/emails"]["get"]["parameters"]["query"]["status"]> = ["scheduled", "paused", "attempting", "sent", "failed", "cancelled", "expired"];
export const actionResultViewOutcomeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ActionResultView"]["outcome"]> = ["done", "skipped"];
export const adminSessionViewMethodValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["AdminSessionView"]["method"]> = ["api-key", "oidc"];
export const batchSummaryViewSourceValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["BatchSummaryView"]["source"]> = ["batch", "import"];
export const batchViewSourceValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["BatchView"]["source"]> = ["batch", "import"];
export const createApiKeyDtoRoleValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["CreateApiKeyDto"]["role"]> = ["admin", "sender"];
export const createScheduleDtoCatchUpValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["CreateScheduleDto"]["catchUp"]> = ["skip", "all"];
export const emailActionValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["EmailAction"]> = ["cancel", "pause", "resume", "retry"];
export const emailActionStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["EmailActionStatus"]> = ["scheduled", "paused", "attempting", "sent", "failed", "cancelled", "expired"];
export const emailStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["EmailStatus"]> = ["scheduled", "paused", "attempting", "sent", "failed", "cancelled", "expired"];
export const expiryReasonValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ExpiryReason"]> = ["deadline-passed", "retry-after-deadline", "rate-limit-after-deadline", "window-after-deadline"];
export const failureKindValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["FailureKind"]> = ["transient", "permanent", "relay-unavailable", "in-doubt"];
export const projectionStatsStateValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ProjectionStats"]["state"]> = ["live", "rebuilding"];
export const roleValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Role"]> = ["admin", "sender"];
export const scheduleViewCatchUpValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ScheduleView"]["catchUp"]> = ["skip", "all"];
export const scheduleViewStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ScheduleView"]["status"]> = ["active", "paused", "deleted"];
export const sessionViewMethodValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["SessionView"]["method"]> = ["api-key", "oidc", "bearer"];
export const templateVersionStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TemplateVersionStatus"]> = ["draft", "published"];
export const tenantLimitUsageNameValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["TenantLimitUsage"]["name"]> = ["emailsPerMinute", "emailsPerHour", "emailsPerDay", "pendingEmails", "pendingBytes", "sendsPerWindow", "sendsPerWindowPerSender"];
export const webhookDeliveryStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookDeliveryStatus"]> = ["pending", "delivered", "failed"];
export const webhookEventSubscriptionValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookEventSubscription"]> = ["email.scheduled", "email.rescheduled", "email.cancelled", "email.deferred", "email.attempt_failed", "email.sent", "email.failed", "email.in_doubt", "email.paused", "email.resumed", "email.expired", "email.retry_requested", "email.content_edited", "email.attachments_purged", "*"];
export const weekdayValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Weekday"]> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
