import { type FormEvent, useState } from 'react';
import { ApiError, errorMessage, request } from '../../api';
import { useRouter } from '../../router';
import type { FieldIssue, WriteResult } from '../../types';
import {
  type WindowDraft,
  browserTimeZone,
  defaultWindow,
  resolveWallClock,
  wallClockIn,
} from '../../zones';
import { type ComposeValues, type Field, scheduleRequest } from './schedule-request';

/** Where an api issue is shown: by a field, by the window editor, or in the banner. */
type IssueHome = Field | 'deliveryWindow' | 'other';

/** A `datetime-local` value `ms` from now, in `timeZone`. */
export function localInputIn(ms: number, timeZone: string): string {
  return wallClockIn(Date.now() + ms, timeZone);
}

function blankForm(): ComposeValues {
  const timeZone = browserTimeZone();
  return {
    from: '',
    to: '',
    cc: '',
    bcc: '',
    subject: '',
    text: '',
    html: '',
    sendAt: localInputIn(3_600_000, timeZone),
    timeZone,
    expiresAt: '',
    tags: '',
    maxAttempts: '',
  };
}

export interface ComposeForm {
  readonly values: ComposeValues;
  readonly window: WindowDraft;
  /** The sendAt field as the instant it means in its zone; undefined while it is not a date and time. */
  readonly sendAtIso: string | undefined;
  readonly busy: boolean;
  /** The banner over the form. */
  readonly problem: string | undefined;
  /** Issues of no field of the form, listed in the banner. */
  readonly otherIssues: readonly FieldIssue[];
  readonly issuesOf: (field: Field | 'deliveryWindow') => readonly FieldIssue[];
  readonly edit: (field: Field, value: string) => void;
  readonly editWindow: (window: WindowDraft) => void;
  readonly submit: (event: FormEvent) => Promise<void>;
}

/** The compose form's state: what was typed, the api's field issues, the submit. */
export function useComposeForm(): ComposeForm {
  const { navigate } = useRouter();
  const [values, setValues] = useState(blankForm);
  const [window, setWindow] = useState(defaultWindow);
  const [issues, setIssues] = useState<readonly FieldIssue[]>([]);
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // One key per email being composed: a double submit or a retry after a lost answer schedules once.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const sendAtIso = resolveWallClock(values.sendAt, values.timeZone);

  /** `to[2]`, `deliveryWindow.days` → the form field the issue belongs to. */
  const fieldOf = (issue: FieldIssue): IssueHome => {
    const name = issue.field.split(/[[.]/)[0] ?? '';
    if (name === 'deliveryWindow') return name;
    return Object.hasOwn(values, name) ? (name as Field) : 'other';
  };

  // Editing a field takes its messages away; the banner goes with the last of them.
  const forget = (home: IssueHome): void => {
    const left = issues.filter((issue) => fieldOf(issue) !== home);
    if (left.length === issues.length) return;
    setIssues(left);
    if (left.length === 0) setProblem(undefined);
  };
  const edit = (field: Field, value: string): void => {
    setValues({ ...values, [field]: value });
    forget(field);
  };
  const editWindow = (next: WindowDraft): void => {
    setWindow(next);
    forget('deliveryWindow');
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setIssues([]);
    setProblem(undefined);
    if (sendAtIso === undefined) {
      setIssues([{ field: 'sendAt', reason: 'must be a date and time' }]);
      return;
    }
    setBusy(true);
    try {
      const { body: result } = await request<WriteResult>('/v1/emails', {
        method: 'POST',
        json: scheduleRequest(values, window),
        headers: { 'idempotency-key': idempotencyKey },
      });
      setIdempotencyKey(crypto.randomUUID());
      navigate(`/emails/${result.id}?minRevision=${result.revision}&created=1`);
    } catch (failure) {
      if (failure instanceof ApiError && failure.details.length > 0) setIssues(failure.details);
      setProblem(
        failure instanceof ApiError && failure.status === 400
          ? 'Please fix the fields marked below.'
          : errorMessage(failure),
      );
      setBusy(false);
    }
  };

  return {
    values,
    window,
    sendAtIso,
    busy,
    problem,
    otherIssues: issues.filter((issue) => fieldOf(issue) === 'other'),
    issuesOf: (field) => issues.filter((issue) => fieldOf(issue) === field),
    edit,
    editWindow,
    submit,
  };
}
