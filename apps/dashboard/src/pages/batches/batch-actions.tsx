import { type ReactNode, useState } from 'react';
import { errorMessage } from '../../api';
import { batchAction } from '../../groups-api';
import type { GroupAction, GroupActionReport } from '../../types';

const CONFIRM: { readonly [Action in GroupAction]: string } = {
  cancel: 'Cancel every email of this batch that has not gone yet? This cannot be undone.',
  pause: 'Pause every scheduled email of this batch? None of them sends until resumed.',
  resume: 'Resume every paused email of this batch? Those whose time passed go now.',
  retry: 'Retry every failed email of this batch, each with a new attempt budget?',
};

/** The batch's actions, each behind a confirmation; the report goes to `onReport`. */
export function BatchActions({
  batchId,
  actions,
  onReport,
}: {
  readonly batchId: string;
  /** The actions some member can still take. */
  readonly actions: readonly GroupAction[];
  readonly onReport: (report: GroupActionReport) => void;
}): ReactNode {
  const [confirming, setConfirming] = useState<GroupAction | undefined>();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();

  const run = async (action: GroupAction): Promise<void> => {
    setBusy(true);
    setProblem(undefined);
    try {
      onReport(await batchAction(batchId, action, action === 'resume' ? undefined : reason.trim()));
      setConfirming(undefined);
      setReason('');
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  if (actions.length === 0)
    return <p className="muted">No email of this batch can still change.</p>;
  return (
    <div className="batch-actions">
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      {confirming ? (
        <div
          className={`confirm ${confirming === 'cancel' ? '' : 'confirm-mild'}`}
          role="group"
          aria-label={`Confirm ${confirming}`}
        >
          <span>{CONFIRM[confirming]}</span>
          {confirming !== 'resume' && (
            <input
              aria-label="Reason (optional)"
              placeholder="reason (optional)"
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
            />
          )}
          <button
            type="button"
            className={`button ${confirming === 'cancel' ? 'danger' : 'primary'}`}
            disabled={busy}
            onClick={() => void run(confirming)}
            autoFocus
          >
            {busy ? 'Working…' : `Yes, ${confirming} them`}
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => setConfirming(undefined)}
          >
            No
          </button>
        </div>
      ) : (
        <div className="actions">
          {actions.map((action) => (
            <button
              key={action}
              type="button"
              className={`button ${action === 'cancel' ? 'danger-outline' : 'secondary'}`}
              onClick={() => setConfirming(action)}
            >
              {action[0]?.toUpperCase()}
              {action.slice(1)} batch…
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
