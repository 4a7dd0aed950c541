// The shapes of the api's answers the dashboard reads (see apps/api and the OpenAPI at /docs).

export type Role = 'admin' | 'sender';
export type EmailStatus = 'scheduled' | 'attempting' | 'sent' | 'failed' | 'cancelled';

export interface Session {
  readonly role: Role;
  readonly tenantId: string;
  readonly subject: string;
  readonly method: 'api-key' | 'oidc' | 'bearer';
  readonly csrfToken: string | null;
  readonly expiresAt: string | null;
}

export interface SignInMethods {
  readonly apiKey: true;
  readonly oidc: { readonly label: string } | null;
}

export interface Address {
  readonly address: string;
  readonly name?: string;
}

export interface LastError {
  readonly kind?: string;
  readonly code?: number;
  readonly message?: string;
}

export interface EmailView {
  readonly id: string;
  readonly tenant: string;
  readonly status: EmailStatus;
  readonly from: Address;
  readonly to: readonly Address[];
  readonly cc: readonly Address[];
  readonly bcc: readonly Address[];
  readonly subject: string;
  readonly tags: readonly string[];
  readonly sendAt: string;
  readonly requestedSendAt: string;
  readonly dueAt: string | null;
  readonly maxAttempts: number;
  readonly attempts: number;
  readonly lastError: LastError | null;
  readonly sentAt: string | null;
  readonly messageId: string | null;
  readonly cancelledAt: string | null;
  readonly failedAt: string | null;
  readonly revision: number;
  readonly position: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface EmailPage {
  readonly items: readonly EmailView[];
  readonly nextCursor: string | null;
}

export interface HistoryEvent {
  readonly revision: number;
  readonly type: string;
  readonly recordedAt: string;
  readonly data: Record<string, unknown>;
}

export interface EmailHistory {
  readonly id: string;
  readonly revision: number | null;
  readonly events: readonly HistoryEvent[];
}

export interface WriteResult {
  readonly id: string;
  readonly status: string;
  readonly sendAt: string | null;
  readonly revision: number;
  readonly position: string;
}

export interface Stats {
  readonly tenant: string | null;
  readonly window: { readonly since: string; readonly until: string };
  readonly countsByStatus: Record<string, number>;
  readonly sendsPerSenderPerHour: readonly {
    readonly tenant: string;
    readonly sender: string;
    readonly hour: string;
    readonly count: number;
  }[];
  readonly lateness: {
    readonly count: number;
    readonly p50Ms: number | null;
    readonly p95Ms: number | null;
    readonly p99Ms: number | null;
  };
  readonly projection: {
    readonly state: 'live' | 'rebuilding';
    readonly position: string | null;
    readonly head: string | null;
    readonly lagEvents: number;
    readonly lagEventsCapped: boolean;
    readonly lagSeconds: number;
  };
}

export interface FieldIssue {
  readonly field: string;
  readonly reason: string;
}

export interface ImportReport {
  readonly accepted: number;
  readonly rejected: number;
  readonly rows: readonly {
    readonly row: number;
    readonly status: number;
    readonly errors?: readonly FieldIssue[];
  }[];
  readonly ids: readonly { readonly row: number; readonly id: string }[];
}

export interface CaughtMailSummary {
  readonly id: string;
  readonly receivedAt: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly messageId: string | null;
  readonly subject: string | null;
  readonly size: number;
}

export interface CaughtMail extends CaughtMailSummary {
  readonly raw: string;
  readonly rawTruncated: boolean;
}

export interface CaughtMailPage {
  readonly items: readonly CaughtMailSummary[];
  readonly nextCursor: string | null;
}
