export class GetStatsQuery {
  constructor(
    /** Undefined: every tenant. */
    readonly tenant: string | undefined,
    readonly since: Date,
    readonly until: Date,
  ) {}
}
