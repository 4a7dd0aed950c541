import type { ReactNode } from 'react';
import { formatAddresses, formatInstant, formatRelative } from '../../format';
import { describeExpiry } from '../../groups';
import { Link } from '../../router';
import { lateness } from '../../timeline';
import type { EmailView } from '../../types';
import { describeWindow } from '../../zones';
import { FINAL } from './use-email';

function Fact({
  term,
  className,
  children,
}: {
  readonly term: string;
  readonly className?: string;
  readonly children: ReactNode;
}): ReactNode {
  return (
    <div>
      <dt>{term}</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}

/** What the read model knows of the email, the optional facts only when they apply. */
export function EmailFacts({
  email,
  revision,
  now,
  pauseReason,
}: {
  readonly email: EmailView;
  readonly revision: number;
  readonly now: number;
  /** The reason given with the pause it is in, from its history. */
  readonly pauseReason?: string;
}): ReactNode {
  const late = lateness(email.sendAt, email.sentAt);
  const { lastError } = email;
  return (
    <dl className="facts facts-wide">
      <Fact term="From">{formatAddresses([email.from])}</Fact>
      <Fact term="To">{formatAddresses(email.to)}</Fact>
      {email.cc.length > 0 && <Fact term="Cc">{formatAddresses(email.cc)}</Fact>}
      {email.bcc.length > 0 && <Fact term="Bcc">{formatAddresses(email.bcc)}</Fact>}
      {email.replyTo && email.replyTo.length > 0 && (
        <Fact term="Reply-To">{formatAddresses(email.replyTo)}</Fact>
      )}
      {email.template && (
        <Fact term="Template" className="mono wrap">
          <Link to={`/templates/${email.template.id}`}>
            {email.template.id}@{email.template.version}
          </Link>
        </Fact>
      )}
      <Fact term="Send at">
        {formatInstant(email.sendAt)}{' '}
        {!FINAL.has(email.status) && (
          <span className="muted">({formatRelative(email.sendAt, now)})</span>
        )}
      </Fact>
      {email.timeZone && (
        <Fact term="Asked for">
          {email.localSendAt ?? '—'} in {email.timeZone}{' '}
          <span className="muted">({formatInstant(email.requestedSendAt, email.timeZone)})</span>
        </Fact>
      )}
      {email.deliveryWindow && (
        <Fact term="Delivery window">{describeWindow(email.deliveryWindow)}</Fact>
      )}
      {email.expiresAt && <Fact term="Expires at">{formatInstant(email.expiresAt)}</Fact>}
      {email.status === 'paused' && (
        <Fact term="Paused">
          {formatInstant(email.pausedAt)}
          {pauseReason && <> · {pauseReason}</>}
        </Fact>
      )}
      {email.status === 'expired' && (
        <Fact term="Expired" className="error-text">
          {formatInstant(email.expiredAt)} · {describeExpiry(email.expiryReason)}
        </Fact>
      )}
      {email.batchId && (
        <Fact term="Batch" className="mono wrap">
          <Link to={`/batches/${email.batchId}`}>{email.batchId}</Link>
        </Fact>
      )}
      {email.scheduleId && (
        <Fact term="Schedule" className="mono wrap">
          <Link to={`/schedules/${email.scheduleId}`}>{email.scheduleId}</Link>
          {email.occurrenceAt && <> · occurrence of {formatInstant(email.occurrenceAt)}</>}
        </Fact>
      )}
      {email.cancelledAt && <Fact term="Cancelled at">{formatInstant(email.cancelledAt)}</Fact>}
      {email.failedAt && <Fact term="Failed at">{formatInstant(email.failedAt)}</Fact>}
      {email.requestedSendAt !== email.sendAt && (
        <Fact term="First asked for">{formatInstant(email.requestedSendAt)}</Fact>
      )}
      {email.sentAt && (
        <Fact term="Sent at">
          {formatInstant(email.sentAt)} {late && <span className="muted">({late} after due)</span>}
        </Fact>
      )}
      <Fact term="Attempts">
        {email.attempts} of {email.maxAttempts}
      </Fact>
      {lastError && (
        <Fact term="Last error" className="error-text">
          {[lastError.kind, lastError.code, lastError.message]
            .filter((part) => part !== undefined)
            .join(' · ')}
        </Fact>
      )}
      {email.messageId && (
        <Fact term="Message-ID" className="mono wrap">
          {email.messageId}
        </Fact>
      )}
      {email.tags.length > 0 && (
        <Fact term="Tags">
          {email.tags.map((tag) => (
            <span key={tag} className="tag">
              {tag}
            </span>
          ))}
        </Fact>
      )}
      {email.headers && email.headers.length > 0 && (
        <Fact term="Headers" className="mono wrap">
          {email.headers.map((header, index) => (
            <div key={index}>
              {header.name}: {header.value}
            </div>
          ))}
        </Fact>
      )}
      {email.metadata && Object.keys(email.metadata).length > 0 && (
        <Fact term="Metadata" className="wrap">
          {Object.entries(email.metadata).map(([key, value]) => (
            <div key={key}>
              <code>{key}</code> = {value}
            </div>
          ))}
        </Fact>
      )}
      <Fact term="Id" className="mono wrap">
        {email.id}
      </Fact>
      <Fact term="Revision">{revision}</Fact>
    </dl>
  );
}
