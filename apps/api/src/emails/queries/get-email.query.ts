import type { Position } from '@app/event-store';

export class GetEmailQuery {
  constructor(
    readonly emailId: string,
    readonly tenantId: string,
    /** Read-your-writes: wait for the projection to reach this position first. */
    readonly minPosition?: Position,
    /** Read-your-writes: wait for the projection to reach this revision of the email first. */
    readonly minRevision?: number,
    /** How long to wait for it, in ms. */
    readonly waitMs = 5_000,
  ) {}
}
