export class CancelEmailCommand {
  constructor(
    readonly emailId: string,
    readonly tenantId: string,
    /** From If-Match: the revision the caller saw; a mismatch is a 412. */
    readonly expectedRevision?: number,
  ) {}
}
