import { GoneException, Injectable } from '@nestjs/common';
import { NotFoundError, type AttachmentRef } from '@app/domain';
import { AttachmentStore } from '@app/attachments';
import { EmailStreams } from '@app/email-streams';

export interface AttachmentDownload {
  readonly ref: AttachmentRef;
  readonly bytes: Buffer;
}

/** One attachment of a tenant's email, as the stream says it is (not the read model): its ref and bytes. */
@Injectable()
export class AttachmentDownloads {
  constructor(
    private readonly streams: EmailStreams,
    private readonly store: AttachmentStore,
  ) {}

  async get(tenantId: string, emailId: string, index: number): Promise<AttachmentDownload> {
    const { state } = await this.streams.loadOwned(emailId, tenantId);
    if (state.status === 'initial') throw new NotFoundError();
    const ref = state.email.attachments?.[index];
    if (ref === undefined) throw new NotFoundError();
    const gone = new GoneException("this email's attachments were purged after its retention");
    if (state.email.attachmentsPurgedAt !== undefined) throw gone;
    // The janitor appends EmailAttachmentsPurged before it deletes: bytes missing here are mid-purge.
    const bytes = await this.store.read(tenantId, ref.sha256);
    if (bytes === undefined) throw gone;
    return { ref, bytes };
  }
}
