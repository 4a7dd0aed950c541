import { type ReactNode, useState } from 'react';
import { get, withQuery } from '../api';
import { Pager, useCursorPages } from '../components/pager';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { formatBytes, formatInstant } from '../format';
import { usePolling } from '../polling';
import type { CaughtMail, CaughtMailPage } from '../types';

export function OutboxPage(): ReactNode {
  const pages = useCursorPages();
  const [open, setOpen] = useState<string | undefined>();
  const path = withQuery('/v1/admin/outbox', { cursor: pages.cursor, limit: 25 });
  const page = usePolling(path, (signal) => get<CaughtMailPage>(path, signal), 3000);
  return (
    <section className="page">
      <h1>Outbox</h1>
      <p className="muted">
        What the local mail catcher received (it runs with <code>npm start</code> when{' '}
        <code>SMTP_URL</code> is unset). Newest first.
      </p>
      {page.error !== undefined && <ErrorNotice error={page.error} retry={page.reload} />}
      {page.loading && <Loading label="Loading the outbox…" />}
      {page.data?.items.length === 0 && (
        <Empty>
          <p>
            Nothing caught yet. With a real relay (<code>SMTP_URL</code> set) the catcher does not
            run and this stays empty.
          </p>
        </Empty>
      )}
      {page.data && page.data.items.length > 0 && (
        <ul className="outbox">
          {page.data.items.map((mail) => (
            <li key={mail.id} className="card outbox-item">
              <button
                type="button"
                className="outbox-summary"
                aria-expanded={open === mail.id}
                onClick={() => setOpen(open === mail.id ? undefined : mail.id)}
              >
                <strong>{mail.subject ?? '(no subject)'}</strong>
                <span className="muted">
                  {mail.from || '<>'} → {mail.to.join(', ')}
                </span>
                <span className="muted small">
                  {formatInstant(mail.receivedAt)} · {formatBytes(mail.size)}
                </span>
              </button>
              {open === mail.id && <CaughtMessage id={mail.id} />}
            </li>
          ))}
        </ul>
      )}
      <Pager pages={pages} list={page.data} previous="← Newer" next="Older →" />
    </section>
  );
}

function CaughtMessage({ id }: { readonly id: string }): ReactNode {
  const mail = usePolling(id, (signal) => get<CaughtMail>(`/v1/admin/outbox/${id}`, signal), null);
  if (mail.error !== undefined) return <ErrorNotice error={mail.error} retry={mail.reload} />;
  if (!mail.data) return <Loading />;
  return (
    <div className="caught">
      <p className="mono wrap small">Message-ID: {mail.data.messageId ?? '—'}</p>
      <pre className="raw">{mail.data.raw}</pre>
      {mail.data.rawTruncated && <p className="muted small">Cut after the first 1 MiB.</p>}
    </div>
  );
}
