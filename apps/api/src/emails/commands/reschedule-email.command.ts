export class RescheduleEmailCommand {
  constructor(
    readonly emailId: string,
    readonly tenantId: string,
    readonly sendAt: string,
    /** The zone an offset-less sendAt is wall-clock time in (absent: the email's own). */
    readonly timeZone: string | undefined,
    /** From If-Match: the revision the caller saw; a mismatch is a 412. */
    readonly expectedRevision?: number,
  ) {}
}
