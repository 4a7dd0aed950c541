import { type FormEvent, useState } from 'react';
import { ApiError, errorMessage, request } from '../../api';
import { useRouter } from '../../router';
import {
  type AttachmentDraft,
  BLANK_ROW,
  type KeyValueRow,
  admitFiles,
  bytesToBase64,
  duplicateKeys,
} from '../../message-parts';
import type { FieldIssue, WriteResult } from '../../types';
import {
  type WindowDraft,
  browserTimeZone,
  defaultWindow,
  resolveWallClock,
  wallClockIn,
} from '../../zones';
import {
  type ComposeValues,
  type Field,
  type IssueHome,
  type Part,
  type TemplateChoice,
  issueHome,
  scheduleRequest,
  templateUse,
} from './schedule-request';

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
    replyTo: '',
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

const NO_TEMPLATE: TemplateChoice = {
  id: '',
  version: '',
  variables: { mode: 'rows', rows: [BLANK_ROW] },
};

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
  readonly issuesOf: (field: Field | Part) => readonly FieldIssue[];
  readonly edit: (field: Field, value: string) => void;
  readonly editWindow: (window: WindowDraft) => void;
  readonly headers: readonly KeyValueRow[];
  readonly editHeaders: (rows: readonly KeyValueRow[]) => void;
  readonly metadata: readonly KeyValueRow[];
  readonly editMetadata: (rows: readonly KeyValueRow[]) => void;
  readonly attachments: readonly AttachmentDraft[];
  /** Files the caps refused, by name and reason; cleared by the next change of the attachments. */
  readonly refusedFiles: readonly string[];
  readonly addFiles: (files: readonly File[]) => Promise<void>;
  readonly editAttachments: (attachments: readonly AttachmentDraft[]) => void;
  readonly template: TemplateChoice;
  readonly editTemplate: (choice: TemplateChoice) => void;
  readonly submit: (event: FormEvent) => Promise<void>;
}

/** The compose form's state: what was typed, the api's field issues, the submit. */
export function useComposeForm(): ComposeForm {
  const { navigate } = useRouter();
  const [values, setValues] = useState(blankForm);
  const [window, setWindow] = useState(defaultWindow);
  const [headers, setHeaders] = useState<readonly KeyValueRow[]>([]);
  const [metadata, setMetadata] = useState<readonly KeyValueRow[]>([]);
  const [attachments, setAttachments] = useState<readonly AttachmentDraft[]>([]);
  const [refusedFiles, setRefusedFiles] = useState<readonly string[]>([]);
  const [template, setTemplate] = useState(NO_TEMPLATE);
  const [issues, setIssues] = useState<readonly FieldIssue[]>([]);
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // One key per email being composed: a double submit or a retry after a lost answer schedules once.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const sendAtIso = resolveWallClock(values.sendAt, values.timeZone);

  const fieldOf = (issue: FieldIssue): IssueHome =>
    issueHome(issue, Object.keys(values), template.id !== '');

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
  const editHeaders = (rows: readonly KeyValueRow[]): void => {
    setHeaders(rows);
    forget('headers');
  };
  const editMetadata = (rows: readonly KeyValueRow[]): void => {
    setMetadata(rows);
    forget('metadata');
  };
  const editAttachments = (next: readonly AttachmentDraft[]): void => {
    setAttachments(next);
    setRefusedFiles([]);
    forget('attachments');
  };
  const editTemplate = (choice: TemplateChoice): void => {
    setTemplate(choice);
    forget('template');
  };
  // The caps are checked before any file is read: a 50 MB file is refused, not loaded into memory.
  const addFiles = async (files: readonly File[]): Promise<void> => {
    const { admitted, refused } = admitFiles(attachments, files);
    setRefusedFiles(refused);
    forget('attachments');
    const read = await Promise.all(
      admitted.map(async (file): Promise<AttachmentDraft | string> => {
        try {
          const bytes = new Uint8Array(await file.arrayBuffer());
          const content = bytesToBase64(bytes);
          return { filename: file.name, contentType: file.type, size: file.size, content };
        } catch (error) {
          return `${file.name}: could not be read (${errorMessage(error)})`;
        }
      }),
    );
    const unread = read.filter((item): item is string => typeof item === 'string');
    if (unread.length > 0) setRefusedFiles([...refused, ...unread]);
    setAttachments((current) => [
      ...current,
      ...read.filter((item): item is AttachmentDraft => typeof item !== 'string'),
    ]);
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setIssues([]);
    setProblem(undefined);
    if (sendAtIso === undefined) {
      setIssues([{ field: 'sendAt', reason: 'must be a date and time' }]);
      return;
    }
    // The rows show which key is given twice; sent, the object would keep the last silently.
    if (duplicateKeys(headers).length > 0 || duplicateKeys(metadata).length > 0) {
      setProblem('A header or metadata key is given twice: keep one of each.');
      return;
    }
    const use = templateUse(template);
    if ('issue' in use) {
      setIssues([use.issue]);
      return;
    }
    setBusy(true);
    try {
      const { body: result } = await request<WriteResult>('/v1/emails', {
        method: 'POST',
        json: scheduleRequest(values, window, {
          headers,
          metadata,
          attachments,
          ...(use.use === undefined ? {} : { template: use.use }),
        }),
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
    headers,
    editHeaders,
    metadata,
    editMetadata,
    attachments,
    refusedFiles,
    addFiles,
    editAttachments,
    template,
    editTemplate,
    submit,
  };
}
