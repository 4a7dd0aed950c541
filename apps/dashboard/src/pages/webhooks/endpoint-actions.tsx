import { type ReactNode, useState } from 'react';
import type { RotatedWebhookSecret, WebhookEndpoint, WebhookTestResult } from '../../types';
import {
  deleteWebhook,
  rotateWebhookSecret,
  sendWebhookTest,
  updateWebhook,
} from '../../webhooks-api';

type Confirming = 'rotate' | 'delete' | undefined;

/** Enable or disable, send a test, rotate the secret, delete: each reports back to the page. */
export function EndpointActions({
  endpoint,
  onChanged,
  onTested,
  onRotated,
  onDeleted,
  onFailed,
}: {
  readonly endpoint: WebhookEndpoint;
  readonly onChanged: (message: string) => void;
  readonly onTested: (result: WebhookTestResult) => void;
  readonly onRotated: (rotated: RotatedWebhookSecret) => void;
  readonly onDeleted: () => void;
  readonly onFailed: (error: unknown) => void;
}): ReactNode {
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<Confirming>();

  const run = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      onFailed(error);
    } finally {
      setBusy(false);
      setConfirming(undefined);
    }
  };

  const toggle = (): Promise<void> =>
    run(async () => {
      const enabled = !endpoint.enabled;
      await updateWebhook(endpoint.id, { enabled });
      onChanged(
        enabled
          ? 'Enabled. Its pending deliveries resume.'
          : 'Disabled. Deliveries wait, pending, until you enable it again.',
      );
    });

  return (
    <div className="email-actions endpoint-actions">
      <div className="inline">
        <button
          type="button"
          className={endpoint.enabled ? 'button secondary' : 'button primary'}
          disabled={busy}
          onClick={() => void toggle()}
        >
          {endpoint.enabled ? 'Disable' : 'Enable'}
        </button>
        <button
          type="button"
          className="button secondary"
          disabled={busy}
          onClick={() => void run(async () => onTested(await sendWebhookTest(endpoint.id)))}
        >
          Send test
        </button>
        {confirming === undefined && (
          <>
            <button
              type="button"
              className="button secondary"
              onClick={() => setConfirming('rotate')}
            >
              Rotate secret…
            </button>
            <button
              type="button"
              className="button danger-outline"
              onClick={() => setConfirming('delete')}
            >
              Delete…
            </button>
          </>
        )}
      </div>
      {!endpoint.enabled && (
        <p className="hint">
          A test message waits, like every delivery, until the endpoint is enabled.
        </p>
      )}
      {confirming === 'rotate' && (
        <div className="confirm confirm-mild" role="group" aria-label="Confirm rotation">
          <span>
            Make a new signing secret? The current one keeps signing alongside it for a while, so
            you can update your receiver.
          </span>
          <button
            type="button"
            className="button primary"
            disabled={busy}
            onClick={() => void run(async () => onRotated(await rotateWebhookSecret(endpoint.id)))}
            autoFocus
          >
            Yes, rotate it
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => setConfirming(undefined)}
          >
            Keep it
          </button>
        </div>
      )}
      {confirming === 'delete' && (
        <div className="confirm" role="group" aria-label="Confirm deletion">
          <span>Delete this endpoint and its delivery log for good?</span>
          <button
            type="button"
            className="button danger"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await deleteWebhook(endpoint.id);
                onDeleted();
              })
            }
            autoFocus
          >
            Yes, delete it
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => setConfirming(undefined)}
          >
            Keep it
          </button>
        </div>
      )}
    </div>
  );
}
