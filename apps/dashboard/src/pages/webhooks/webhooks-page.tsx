import { type ReactNode, useState } from 'react';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { Table } from '../../components/table';
import { formatInstant } from '../../format';
import { useNow } from '../../now';
import { usePolling } from '../../polling';
import { Link } from '../../router';
import type { CreatedWebhookEndpoint } from '../../types';
import { describeEvents } from '../../webhooks';
import { listWebhooks } from '../../webhooks-api';
import { EndpointForm } from './endpoint-form';
import { EndpointBadge, EndpointTrouble } from './endpoint-state';
import { SecretReveal } from './secret-reveal';

/** The tenant's webhook endpoints, live (the dispatcher may disable one), and a form for a new one. */
export function WebhooksPage(): ReactNode {
  const now = useNow();
  const list = usePolling('webhooks', listWebhooks, 5000);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedWebhookEndpoint | undefined>();

  return (
    <section className="page">
      <h1>Webhooks</h1>
      <p className="muted">
        Signed HTTP POSTs to your endpoints when your emails are scheduled, sent, fail, and more, in
        order per email, retried until they are delivered.
      </p>
      {created && (
        <SecretReveal
          title={`Endpoint created: ${created.url}`}
          secret={created.secret}
          onDismiss={() => setCreated(undefined)}
        >
          <p>
            <Link to={`/webhooks/${created.id}`}>Open the endpoint</Link> to send it a test message
            and follow its deliveries.
          </p>
        </SecretReveal>
      )}
      {creating ? (
        <EndpointForm
          onCreated={(endpoint) => {
            setCreating(false);
            setCreated(endpoint);
            list.reload();
          }}
          onCancel={() => setCreating(false)}
        />
      ) : (
        <div className="actions page-actions">
          <button
            type="button"
            className="button primary"
            onClick={() => {
              setCreated(undefined);
              setCreating(true);
            }}
          >
            Add endpoint
          </button>
        </div>
      )}
      {list.error !== undefined && <ErrorNotice error={list.error} retry={list.reload} />}
      {list.loading && <Loading label="Loading the endpoints…" />}
      {list.data?.items.length === 0 && (
        <Empty>
          <p>No endpoints yet: add one to hear about your emails as things happen.</p>
        </Empty>
      )}
      {list.data && list.data.items.length > 0 && (
        <Table className="endpoints" columns={['Endpoint', 'Events', 'State', 'Created']}>
          {list.data.items.map((endpoint) => (
            <tr key={endpoint.id}>
              <td data-label="Endpoint">
                <div className="wrap">
                  <Link to={`/webhooks/${endpoint.id}`} className="subject-link mono">
                    {endpoint.url}
                  </Link>
                  {endpoint.description && (
                    <span className="muted block">{endpoint.description}</span>
                  )}
                </div>
              </td>
              <td data-label="Events" className="wrap small">
                {describeEvents(endpoint.events)}
              </td>
              <td data-label="State">
                <div>
                  <EndpointBadge endpoint={endpoint} />
                  <EndpointTrouble endpoint={endpoint} now={now} />
                </div>
              </td>
              <td data-label="Created">
                <time dateTime={endpoint.createdAt}>{formatInstant(endpoint.createdAt)}</time>
              </td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
