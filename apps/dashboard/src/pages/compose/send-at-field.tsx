import type { ReactNode } from 'react';
import { TimeZoneSelect } from '../../components/time-zone-select';
import { formatInstant } from '../../format';
import { resolveWallClock } from '../../zones';
import { type ComposeForm, localInputIn } from './compose-form';
import { FieldErrors, invalidProps } from './compose-field';

const QUICK_TIMES = [
  { label: 'in 10 s', ms: 10_000 },
  { label: 'in 1 h', ms: 3_600_000 },
  { label: 'in 1 day', ms: 86_400_000 },
] as const;

/** The instant a wall-clock time means, in its zone and in UTC. */
function Resolved({ iso }: { readonly iso: string | undefined }): ReactNode {
  if (iso === undefined) return null;
  return (
    <>
      {' '}
      · {formatInstant(iso)} · {formatInstant(iso, 'UTC')}
    </>
  );
}

/**
 * When to send and until when, as wall-clock times in a zone of the sender's choosing (the browser's by
 * default), each with the instant it means by the api's rule (a time skipped by DST moves forward).
 */
export function SendAtField({ form }: { readonly form: ComposeForm }): ReactNode {
  const { sendAtIso, values } = form;
  const zone = values.timeZone;
  const expiresIso = values.expiresAt === '' ? undefined : resolveWallClock(values.expiresAt, zone);
  return (
    <fieldset className="send-at">
      <legend>Send at</legend>
      <div className="send-at-row">
        <input
          id="sendAt"
          type="datetime-local"
          step={1}
          aria-label={`Send at, wall-clock time in ${zone}`}
          value={values.sendAt}
          onChange={(e) => form.edit('sendAt', e.target.value)}
          {...invalidProps(form, 'sendAt')}
        />
        <div className="quick" role="group" aria-label="Quick times">
          {QUICK_TIMES.map((quick) => (
            <button
              key={quick.label}
              type="button"
              className="button secondary small"
              onClick={() => form.edit('sendAt', localInputIn(quick.ms, zone))}
            >
              {quick.label}
            </button>
          ))}
        </div>
      </div>
      <label htmlFor="timeZone">Time zone</label>
      <TimeZoneSelect
        id="timeZone"
        value={zone}
        onChange={(next) => form.edit('timeZone', next)}
        {...invalidProps(form, 'timeZone')}
      />
      <FieldErrors form={form} field="timeZone" />
      <p className="hint" aria-live="polite">
        {values.sendAt} in <strong>{zone}</strong>
        <Resolved iso={sendAtIso} />
      </p>
      <FieldErrors form={form} field="sendAt" />
      <label htmlFor="expiresAt">
        Expires at <span className="optional">optional; never sent at or after it</span>
      </label>
      <input
        id="expiresAt"
        type="datetime-local"
        step={1}
        value={values.expiresAt}
        onChange={(e) => form.edit('expiresAt', e.target.value)}
        {...invalidProps(form, 'expiresAt')}
      />
      {expiresIso && (
        <p className="hint">
          {values.expiresAt} in <strong>{zone}</strong>
          <Resolved iso={expiresIso} />
        </p>
      )}
      <FieldErrors form={form} field="expiresAt" />
    </fieldset>
  );
}
