import type { ReactNode } from 'react';
import { formatInstant, viewerTimeZone } from '../../format';
import { type ComposeForm, localInputIn } from './compose-form';
import { FieldErrors, invalidProps } from './compose-field';

const QUICK_TIMES = [
  { label: 'in 10 s', ms: 10_000 },
  { label: 'in 1 h', ms: 3_600_000 },
  { label: 'in 1 day', ms: 86_400_000 },
] as const;

/** When to send, in the viewer's timezone, with quick picks and the instant in UTC as well. */
export function SendAtField({ form }: { readonly form: ComposeForm }): ReactNode {
  const zone = viewerTimeZone();
  const { sendAtIso } = form;
  return (
    <fieldset className="send-at">
      <legend>Send at</legend>
      <div className="send-at-row">
        <input
          id="sendAt"
          type="datetime-local"
          step={1}
          aria-label={`Send at, in your timezone ${zone}`}
          value={form.values.sendAt}
          onChange={(e) => form.edit('sendAt', e.target.value)}
          {...invalidProps(form, 'sendAt')}
        />
        <div className="quick" role="group" aria-label="Quick times">
          {QUICK_TIMES.map((quick) => (
            <button
              key={quick.label}
              type="button"
              className="button secondary small"
              onClick={() => form.edit('sendAt', localInputIn(quick.ms))}
            >
              {quick.label}
            </button>
          ))}
        </div>
      </div>
      <p className="hint" aria-live="polite">
        Your timezone: <strong>{zone}</strong>
        {sendAtIso && (
          <>
            {' '}
            · {formatInstant(sendAtIso)}
            {zone !== 'UTC' && zone !== 'Etc/UTC' && <> · {formatInstant(sendAtIso, 'UTC')}</>}
          </>
        )}
      </p>
      <FieldErrors form={form} field="sendAt" />
    </fieldset>
  );
}
