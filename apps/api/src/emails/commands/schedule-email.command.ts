import type { ScheduleEmail } from '@app/domain';

/** The caller's part of ScheduleEmail: what the request body says. */
export type ScheduleEmailInput = Omit<
  ScheduleEmail['data'],
  'emailId' | 'tenantId' | 'idempotencyKey' | 'now'
>;

/** One email to schedule. */
export interface ScheduleEmailItem {
  readonly emailId: string;
  readonly input: ScheduleEmailInput;
  /** With a key, `emailId` is derived from (tenant, key) and `requestHash` identifies the body. */
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
}

export class ScheduleEmailCommand {
  constructor(
    readonly tenantId: string,
    readonly item: ScheduleEmailItem,
  ) {}
}
