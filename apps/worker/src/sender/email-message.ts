// An email's stored details → the message the relay gets. The Message-ID derives from the email id alone, so
// every attempt (and an in-doubt resend) carries the same one and receivers can recognise a duplicate.

import type { Address, AttachmentRef, EmailDetails } from '@app/domain';
import type { MailAddress, OutgoingAttachment, OutgoingMail } from './mail-transport';

export function messageIdFor(email: Pick<EmailDetails, 'emailId' | 'from'>): string {
  const at = email.from.address.lastIndexOf('@');
  const domain = at >= 0 ? email.from.address.slice(at + 1) : 'localhost';
  return `<${email.emailId}@${domain}>`;
}

function toMailAddress(address: Address): MailAddress {
  return { name: address.name ?? '', address: address.address };
}

/** `contents`: every attachment's bytes by SHA-256, read from the store at send time. */
export function toOutgoingMail(
  email: EmailDetails,
  contents: ReadonlyMap<string, Buffer>,
): OutgoingMail {
  return {
    messageId: messageIdFor(email),
    from: toMailAddress(email.from),
    to: email.to.map(toMailAddress),
    cc: email.cc.map(toMailAddress),
    bcc: email.bcc.map(toMailAddress),
    ...(email.replyTo === undefined ? {} : { replyTo: email.replyTo.map(toMailAddress) }),
    subject: email.subject,
    ...(email.text === undefined ? {} : { text: email.text }),
    ...(email.html === undefined ? {} : { html: email.html }),
    // Metadata is the owner's and never leaves the service; only the headers it asked for are sent.
    ...(email.headers === undefined ? {} : { headers: email.headers.map((h) => ({ ...h })) }),
    ...(email.attachments === undefined || email.attachments.length === 0
      ? {}
      : { attachments: email.attachments.map((ref) => toOutgoingAttachment(ref, contents)) }),
  };
}

function toOutgoingAttachment(
  ref: AttachmentRef,
  contents: ReadonlyMap<string, Buffer>,
): OutgoingAttachment {
  const content = contents.get(ref.sha256);
  if (content === undefined) throw new Error(`no bytes for attachment ${ref.sha256}`);
  return {
    filename: ref.filename,
    contentType: ref.contentType,
    content,
    ...(ref.contentId === undefined ? {} : { cid: ref.contentId }),
  };
}
