import type { ScheduleEmail } from '@app/domain';
import type { Principal } from '../../auth/principal';

/** The caller's part of ScheduleEmail: what the request body says. */
export type ScheduleEmailInput = Omit<
  ScheduleEmail['data'],
  'emailId' | 'tenantId' | 'idempotencyKey' | 'senderIdentity' | 'now'
>;

/** Who schedules: the tenant the emails belong to, and the role that decides which `from` it may use. */
export type Requester = Pick<Principal, 'tenantId' | 'role'>;

/** One email to schedule. */
export interface ScheduleEmailItem {
  readonly emailId: string;
  readonly input: ScheduleEmailInput;
  /** With a key, `emailId` is derived from (tenant, key) and `requestHash` identifies the body. */
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
  /** With `input.batchId`: its place in the batch (request index, CSV row), recorded before the append. */
  readonly position?: number;
  /** The bytes of `input.attachments`, by SHA-256: stored only once the email is decided on. */
  readonly files?: ReadonlyMap<string, Buffer>;
}

export class ScheduleEmailCommand {
  constructor(
    readonly requester: Requester,
    readonly item: ScheduleEmailItem,
  ) {}
}
