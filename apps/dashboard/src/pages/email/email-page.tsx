import { type ReactNode, useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { EmailBody } from '../../components/email-body';
import { ErrorNotice, PageLoading } from '../../components/states';
import { StatusBadge } from '../../components/status-badge';
import { Timeline } from '../../components/timeline';
import { useNow } from '../../now';
import { Link, useRouter } from '../../router';
import { currentBodies } from '../../content-edit';
import { AttachmentList } from './attachment-list';
import { EditContent } from './edit-content';
import { EmailActions } from './email-actions';
import { EmailFacts } from './email-facts';
import { StatusActions } from './status-actions';
import { pauseReason } from '../../groups';
import { useEmail } from './use-email';

export function EmailPage({ id }: { readonly id: string }): ReactNode {
  const { location, navigate } = useRouter();
  const now = useNow();
  const minRevision = location.query.get('minRevision') ?? undefined;
  const created = location.query.get('created') === '1';
  const [notice, setNotice] = useState<{ tone: 'ok' | 'error'; text: string } | undefined>(
    created ? { tone: 'ok', text: 'Scheduled. This page follows the email live.' } : undefined,
  );
  const loaded = useEmail(id, minRevision);

  if (loaded.data === undefined) {
    if (loaded.error instanceof ApiError && loaded.error.status === 404) {
      return (
        <section className="page">
          <h1>Email not found</h1>
          <p>There is no email {id} in your tenant.</p>
          <Link to="/emails?status=scheduled">Back to the emails</Link>
        </section>
      );
    }
    return <PageLoading error={loaded.error} retry={loaded.reload} label="Loading the email…" />;
  }

  const { email, history } = loaded.data;
  // As scheduled, then as edited: the read model's row holds no bodies.
  const bodies = currentBodies(history.events);
  // The stream's revision is the truth the If-Match is checked against; the row may trail it.
  const revision = history.revision ?? email.revision;
  // Read your own write: the next load waits until the read model has the write's revision.
  const done = (message: string, writeRevision: number): void => {
    setNotice({ tone: 'ok', text: message });
    loaded.follow();
    navigate(`/emails/${email.id}?minRevision=${writeRevision}`, { replace: true });
  };
  const failed = (error: unknown): void => {
    if (error instanceof ApiError && error.status === 412) {
      setNotice({
        tone: 'error',
        text: 'This email changed while you were looking at it. It has been reloaded: check it and try again.',
      });
    } else {
      setNotice({ tone: 'error', text: errorMessage(error) });
    }
    loaded.reload();
  };

  return (
    <section className="page email-page">
      <p className="crumbs">
        <Link to={`/emails?status=${email.status === 'attempting' ? '' : email.status}`}>
          ← Emails
        </Link>
      </p>
      <div className="title-row">
        <h1>{email.subject === '' ? '(no subject)' : email.subject}</h1>
        <StatusBadge status={email.status} />
      </div>
      {notice && (
        <p
          className={`notice ${notice.tone === 'ok' ? 'notice-ok' : 'notice-error'}`}
          role={notice.tone === 'ok' ? 'status' : 'alert'}
        >
          {notice.text}
        </p>
      )}
      {loaded.error !== undefined && <ErrorNotice error={loaded.error} retry={loaded.reload} />}
      <div className="email-grid">
        <div className="card">
          <EmailFacts
            email={email}
            revision={revision}
            now={now}
            pauseReason={pauseReason(history.events)}
          />
          {email.status === 'scheduled' && (
            <EmailActions email={email} revision={revision} onDone={done} onFailed={failed} />
          )}
          <StatusActions email={email} revision={revision} onDone={done} onFailed={failed} />
          {(email.status === 'scheduled' || email.status === 'paused') && (
            <EditContent
              key={revision}
              email={email}
              bodies={bodies}
              revision={revision}
              onDone={done}
              onFailed={failed}
            />
          )}
        </div>
        <div className="card">
          <h2>History</h2>
          <Timeline events={history.events} />
        </div>
      </div>
      <AttachmentList email={email} />
      <div className="card">
        <h2>Body</h2>
        <EmailBody key={revision} html={bodies.html} text={bodies.text} />
      </div>
    </section>
  );
}
