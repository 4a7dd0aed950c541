import type { ReactNode } from 'react';
import { formatInstant, formatRelative } from '../../format';
import type { WebhookEndpoint } from '../../types';
import { endpointState } from '../../webhooks';

export function EndpointBadge({ endpoint }: { readonly endpoint: WebhookEndpoint }): ReactNode {
  const state = endpointState(endpoint);
  return <span className={`badge badge-tone-${state.tone}`}>{state.label}</span>;
}

/** Why an endpoint is disabled, or since when it fails; nothing while all is well. */
export function EndpointTrouble({
  endpoint,
  now,
}: {
  readonly endpoint: WebhookEndpoint;
  readonly now: number;
}): ReactNode {
  if (!endpoint.enabled) {
    return (
      <span className="error-text block small">
        {endpoint.disabledReason ?? 'Disabled by you.'}
        {endpoint.disabledAt && <> Since {formatInstant(endpoint.disabledAt)}.</>}
      </span>
    );
  }
  if (!endpoint.failingSince) return null;
  return (
    <span className="warn-text block small">
      Failing since{' '}
      <time dateTime={endpoint.failingSince}>{formatInstant(endpoint.failingSince)}</time> (
      {formatRelative(endpoint.failingSince, now)})
    </span>
  );
}
