import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { IssueList } from '../../components/issue-list';
import { TimeZoneSelect } from '../../components/time-zone-select';
import { formatInstant } from '../../format';
import { type ScheduleDraft, blankSchedule, scheduleCreateRequest } from '../../schedules';
import { createSchedule } from '../../schedules-api';
import type { FieldIssue, ScheduleView } from '../../types';
import { defaultWindow, resolveWallClock } from '../../zones';
import { DeliveryWindowField } from '../compose/delivery-window-field';

type TextField = Exclude<keyof ScheduleDraft, 'ruleKind' | 'catchUp' | 'timeZone'>;

/** A labelled text input of the draft. */
function Input({
  draft,
  field,
  label,
  set,
  type,
  optional,
  rows,
}: {
  readonly draft: ScheduleDraft;
  readonly field: TextField;
  readonly label: string;
  readonly set: (field: TextField, value: string) => void;
  readonly type?: 'datetime-local' | 'number';
  readonly optional?: string;
  readonly rows?: number;
}): ReactNode {
  const id = `schedule-${field}`;
  return (
    <div>
      <label htmlFor={id}>
        {label} {optional && <span className="optional">{optional}</span>}
      </label>
      {rows === undefined ? (
        <input
          id={id}
          type={type}
          step={type === 'datetime-local' ? 1 : undefined}
          value={draft[field]}
          onChange={(e) => set(field, e.target.value)}
        />
      ) : (
        <textarea
          id={id}
          rows={rows}
          value={draft[field]}
          onChange={(e) => set(field, e.target.value)}
        />
      )}
    </div>
  );
}

/** A new recurring send: its rule, zone and bounds, catch-up policy, and the email each occurrence becomes. */
export function ScheduleForm({
  onCreated,
  onCancel,
}: {
  readonly onCreated: (schedule: ScheduleView) => void;
  readonly onCancel: () => void;
}): ReactNode {
  const [draft, setDraft] = useState(() => blankSchedule(Date.now()));
  const [window, setWindow] = useState(defaultWindow);
  const [issues, setIssues] = useState<readonly FieldIssue[]>([]);
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const set = (field: keyof ScheduleDraft, value: string): void =>
    setDraft({ ...draft, [field]: value });
  const startIso = resolveWallClock(draft.startAt, draft.timeZone);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setIssues([]);
    setProblem(undefined);
    try {
      onCreated(await createSchedule(scheduleCreateRequest(draft, window)));
    } catch (error) {
      if (error instanceof ApiError) setIssues(error.details);
      setProblem(errorMessage(error));
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={(event) => void submit(event)} noValidate>
      <h2>New schedule</h2>
      {problem && (
        <div className="notice notice-error" role="alert">
          {problem}
          {issues.length > 0 && <IssueList issues={issues} fieldAsCode />}
        </div>
      )}
      <fieldset className="send-at">
        <legend>When</legend>
        <div className="inline" role="radiogroup" aria-label="Rule kind">
          {(['rrule', 'cron'] as const).map((kind) => (
            <label key={kind} className="check">
              <input
                type="radio"
                name="rule-kind"
                checked={draft.ruleKind === kind}
                onChange={() =>
                  setDraft({
                    ...draft,
                    ruleKind: kind,
                    rule:
                      kind === 'cron' ? '0 9 * * 1-5' : 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0',
                  })
                }
              />{' '}
              {kind === 'rrule' ? 'RRULE (RFC 5545, no DTSTART)' : 'cron (5 or 6 fields)'}
            </label>
          ))}
        </div>
        <label htmlFor="schedule-rule">Rule</label>
        <input
          id="schedule-rule"
          className="mono"
          value={draft.rule}
          onChange={(e) => set('rule', e.target.value)}
        />
        <label htmlFor="schedule-zone">Time zone</label>
        <TimeZoneSelect
          id="schedule-zone"
          value={draft.timeZone}
          onChange={(zone) => set('timeZone', zone)}
        />
        <div className="grid-2">
          <Input draft={draft} field="startAt" label="Start at" type="datetime-local" set={set} />
          <Input
            draft={draft}
            field="until"
            label="Until"
            optional="optional"
            type="datetime-local"
            set={set}
          />
        </div>
        {startIso && (
          <p className="hint">
            Starts {formatInstant(startIso, draft.timeZone)} ({formatInstant(startIso, 'UTC')})
          </p>
        )}
        <label htmlFor="schedule-catch-up">Missed occurrences (while nothing ran)</label>
        <select
          id="schedule-catch-up"
          value={draft.catchUp}
          onChange={(e) => set('catchUp', e.target.value)}
        >
          <option value="skip">skip: record them as skipped, go on with the next</option>
          <option value="all">all: create and send each of them now</option>
        </select>
      </fieldset>
      <div className="grid-2">
        <Input draft={draft} field="from" label="From" set={set} />
        <Input draft={draft} field="to" label="To" set={set} />
        <Input draft={draft} field="cc" label="Cc" optional="optional" set={set} />
        <Input draft={draft} field="bcc" label="Bcc" optional="optional" set={set} />
      </div>
      <Input draft={draft} field="subject" label="Subject" set={set} />
      <Input draft={draft} field="text" label="Text" rows={4} set={set} />
      <Input draft={draft} field="html" label="HTML" optional="optional" rows={3} set={set} />
      <div className="grid-2">
        <Input
          draft={draft}
          field="tags"
          label="Tags"
          optional="optional, comma-separated"
          set={set}
        />
        <Input
          draft={draft}
          field="maxAttempts"
          label="Max attempts"
          optional="optional"
          type="number"
          set={set}
        />
        <Input
          draft={draft}
          field="expiresAfter"
          label="Expires after"
          optional="optional ISO-8601 duration, e.g. PT2H after each occurrence"
          set={set}
        />
      </div>
      <DeliveryWindowField
        idPrefix="schedule"
        window={window}
        emailZone={draft.timeZone}
        issues={issues.filter((issue) => issue.field.startsWith('email.deliveryWindow'))}
        onChange={setWindow}
      />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create schedule'}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
