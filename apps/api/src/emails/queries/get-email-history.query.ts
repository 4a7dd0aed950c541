export class GetEmailHistoryQuery {
  constructor(
    readonly emailId: string,
    readonly tenantId: string,
    /** Replay only events up to and including this revision. */
    readonly revision?: number,
    /** Replay only events recorded at or before this instant (epoch ms). */
    readonly atMs?: number,
  ) {}
}
