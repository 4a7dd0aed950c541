import { type FormEvent, useState } from 'react';
import { ApiError, errorMessage, request } from '../../api';
import type { components } from '../../api-schema';
import { isoToLocalInput, localInputToIso } from '../../format';
import { useRouter } from '../../router';
import type { FieldIssue, WriteResult } from '../../types';
import { scheduleRequest } from './schedule-request';

/** The form's fields: the properties of the api's schedule request, each as the text typed. */
export type Field = keyof components['schemas']['ScheduleEmailDto'];
export type ComposeValues = Readonly<Record<Field, string>>;

/** A local `datetime-local` value `ms` from now. */
export function localInputIn(ms: number): string {
  return isoToLocalInput(new Date(Date.now() + ms).toISOString());
}

function blankForm(): ComposeValues {
  return {
    from: '',
    to: '',
    cc: '',
    bcc: '',
    subject: '',
    text: '',
    html: '',
    sendAt: localInputIn(3_600_000),
    tags: '',
    maxAttempts: '',
  };
}

export interface ComposeForm {
  readonly values: ComposeValues;
  /** The sendAt field as an instant; undefined while it is not a date and time. */
  readonly sendAtIso: string | undefined;
  readonly busy: boolean;
  /** The banner over the form. */
  readonly problem: string | undefined;
  /** Issues of no field of the form, listed in the banner. */
  readonly otherIssues: readonly FieldIssue[];
  readonly issuesOf: (field: Field) => readonly FieldIssue[];
  readonly edit: (field: Field, value: string) => void;
  readonly submit: (event: FormEvent) => Promise<void>;
}

/** The compose form's state: what was typed, the api's field issues, the submit. */
export function useComposeForm(): ComposeForm {
  const { navigate } = useRouter();
  const [values, setValues] = useState(blankForm);
  const [issues, setIssues] = useState<readonly FieldIssue[]>([]);
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // One key per email being composed: a double submit or a retry after a lost answer schedules once.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const sendAtIso = localInputToIso(values.sendAt);

  /** `to[2]`, `emails[0].subject` → the form field the issue belongs to. */
  const fieldOf = (issue: FieldIssue): Field | 'other' => {
    const name = issue.field.split(/[[.]/)[0] ?? '';
    return Object.hasOwn(values, name) ? (name as Field) : 'other';
  };

  // Editing a field takes its messages away; the banner goes with the last of them.
  const edit = (field: Field, value: string): void => {
    setValues({ ...values, [field]: value });
    const left = issues.filter((issue) => fieldOf(issue) !== field);
    if (left.length === issues.length) return;
    setIssues(left);
    if (left.length === 0) setProblem(undefined);
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
        json: scheduleRequest(values, sendAtIso),
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
    sendAtIso,
    busy,
    problem,
    otherIssues: issues.filter((issue) => fieldOf(issue) === 'other'),
    issuesOf: (field) => issues.filter((issue) => fieldOf(issue) === field),
    edit,
    submit,
  };
}
