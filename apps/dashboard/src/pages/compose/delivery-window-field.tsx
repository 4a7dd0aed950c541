import type { ReactNode } from 'react';
import { IssueList } from '../../components/issue-list';
import { TimeZoneSelect } from '../../components/time-zone-select';
import type { FieldIssue } from '../../types';
import { WEEKDAYS, type WindowDraft, toggleDay } from '../../zones';

/**
 * The delivery-window editor: the days and hours an email may go out, in a zone that follows the email's
 * until another is picked. An email due outside goes at the next opening.
 */
export function DeliveryWindowField({
  idPrefix,
  window,
  emailZone,
  issues,
  onChange,
}: {
  readonly idPrefix: string;
  readonly window: WindowDraft;
  readonly emailZone: string;
  readonly issues: readonly FieldIssue[];
  readonly onChange: (window: WindowDraft) => void;
}): ReactNode {
  const set = (change: Partial<WindowDraft>): void => onChange({ ...window, ...change });
  const errorId = `${idPrefix}-window-error`;
  const invalid =
    issues.length > 0 ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : {};
  return (
    <fieldset className="delivery-window">
      <legend>Delivery window</legend>
      <label className="check">
        <input
          type="checkbox"
          checked={window.enabled}
          onChange={(e) => set({ enabled: e.target.checked })}
        />{' '}
        Only send within these hours
      </label>
      {window.enabled && (
        <>
          <div className="days" role="group" aria-label="Days">
            {WEEKDAYS.map((day) => (
              <label key={day} className="check">
                <input
                  type="checkbox"
                  checked={window.days.includes(day)}
                  onChange={(e) => set({ days: toggleDay(window.days, day, e.target.checked) })}
                />{' '}
                {day}
              </label>
            ))}
          </div>
          <div className="grid-3">
            <div>
              <label htmlFor={`${idPrefix}-window-start`}>From</label>
              <input
                id={`${idPrefix}-window-start`}
                type="time"
                value={window.start}
                onChange={(e) => set({ start: e.target.value })}
                {...invalid}
              />
            </div>
            <div>
              <label htmlFor={`${idPrefix}-window-end`}>
                To <span className="optional">at or before From: the next morning</span>
              </label>
              <input
                id={`${idPrefix}-window-end`}
                type="time"
                value={window.end}
                onChange={(e) => set({ end: e.target.value })}
                {...invalid}
              />
            </div>
            <div>
              <label htmlFor={`${idPrefix}-window-zone`}>In time zone</label>
              <TimeZoneSelect
                id={`${idPrefix}-window-zone`}
                value={window.timeZone}
                follow={`the email's (${emailZone})`}
                onChange={(timeZone) => set({ timeZone })}
                {...invalid}
              />
            </div>
          </div>
        </>
      )}
      {issues.length > 0 && <IssueList issues={issues} className="field-error" id={errorId} />}
    </fieldset>
  );
}
