import { type ReactNode, useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { ErrorNotice, PageLoading } from '../../components/states';
import { formatInstant } from '../../format';
import { useNow } from '../../now';
import { usePolling } from '../../polling';
import { Link, useRouter } from '../../router';
import type { RotatedWebhookSecret } from '../../types';
import { describeEvents } from '../../webhooks';
import { getWebhook } from '../../webhooks-api';
import { DeliveryLog } from './delivery-log';
import { EndpointActions } from './endpoint-actions';
import { EndpointBadge, EndpointTrouble } from './endpoint-state';
import { ReplayForm } from './replay-form';
import { SecretReveal } from './secret-reveal';

type Notice = { readonly tone: 'ok' | 'error'; readonly text: string };

/** One endpoint: its state (live), what can be done to it, its delivery log and a replay. */
export function WebhookPage({ id }: { readonly id: string }): ReactNode {
  const { navigate } = useRouter();
  const now = useNow();
  const loaded = usePolling(`webhook ${id}`, (signal) => getWebhook(id, signal), 5000);
  const [notice, setNotice] = useState<Notice | undefined>();
  const [rotated, setRotated] = useState<RotatedWebhookSecret | undefined>();
  // Bumped when something was queued from this page: the delivery log shows it at once.
  const [queued, setQueued] = useState(0);

  if (loaded.data === undefined) {
    if (loaded.error instanceof ApiError && loaded.error.status === 404) {
      return (
        <section className="page">
          <h1>Endpoint not found</h1>
          <p>There is no webhook endpoint {id} in your tenant.</p>
          <Link to="/webhooks">Back to the webhooks</Link>
        </section>
      );
    }
    return <PageLoading error={loaded.error} retry={loaded.reload} label="Loading the endpoint…" />;
  }
  const endpoint = loaded.data;
  const ok = (text: string): void => {
    setNotice({ tone: 'ok', text });
    loaded.reload();
  };
  const failed = (error: unknown): void => {
    setNotice({ tone: 'error', text: errorMessage(error) });
    loaded.reload();
  };

  return (
    <section className="page webhook-page">
      <p className="crumbs">
        <Link to="/webhooks">← Webhooks</Link>
      </p>
      <div className="title-row">
        <h1 className="mono">{endpoint.url}</h1>
        <EndpointBadge endpoint={endpoint} />
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
      {rotated && (
        <SecretReveal
          title="New signing secret"
          secret={rotated.secret}
          onDismiss={() => setRotated(undefined)}
        >
          <p>
            The previous secret also signs every message until{' '}
            {formatInstant(rotated.previousSecretExpiresAt)}: until then the{' '}
            <code>webhook-signature</code> header carries one signature per secret, so your receiver
            can switch to the new one without missing a message.
          </p>
        </SecretReveal>
      )}
      <div className="card">
        <dl className="facts">
          <div>
            <dt>Description</dt>
            <dd>{endpoint.description || '—'}</dd>
          </div>
          <div>
            <dt>Events</dt>
            <dd className="mono">{describeEvents(endpoint.events)}</dd>
          </div>
          <div>
            <dt>State</dt>
            <dd>
              {endpoint.enabled ? 'Enabled' : 'Disabled'}
              <EndpointTrouble endpoint={endpoint} now={now} />
            </dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>{formatInstant(endpoint.createdAt)}</dd>
          </div>
          <div>
            <dt>Updated</dt>
            <dd>{formatInstant(endpoint.updatedAt)}</dd>
          </div>
          <div>
            <dt>Id</dt>
            <dd className="mono small">{endpoint.id}</dd>
          </div>
        </dl>
        <EndpointActions
          endpoint={endpoint}
          onChanged={ok}
          onTested={(result) => {
            ok(`Test message ${result.messageId} queued: it shows in the deliveries below.`);
            setQueued((n) => n + 1);
          }}
          onRotated={(result) => {
            setNotice(undefined);
            setRotated(result);
            loaded.reload();
          }}
          onDeleted={() => navigate('/webhooks', { replace: true })}
          onFailed={failed}
        />
      </div>
      <div className="card">
        <h2>Deliveries</h2>
        <DeliveryLog
          endpointId={endpoint.id}
          refresh={queued}
          onRetried={(delivery) =>
            ok(`Delivery of ${delivery.eventType} queued to be tried again now.`)
          }
          onFailed={failed}
        />
      </div>
      <div className="card">
        <h2>Replay</h2>
        <ReplayForm
          endpointId={endpoint.id}
          onReplayed={(result) => {
            const queued = `${result.queued} ${result.queued === 1 ? 'message' : 'messages'} queued to be sent again.`;
            ok(
              result.truncated
                ? `${queued} The range holds more than one replay sends: continue it below.`
                : queued,
            );
            setQueued((n) => n + 1);
          }}
          onFailed={failed}
        />
      </div>
    </section>
  );
}
