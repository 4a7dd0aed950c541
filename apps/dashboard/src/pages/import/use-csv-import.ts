import { type FormEvent, useState } from 'react';
import { ApiError, errorMessage, request } from '../../api';
import { type CsvPreview, previewCsv } from '../../csv';
import type { FieldIssue, ImportReport } from '../../types';

export interface ImportProblem {
  readonly message: string;
  readonly details: readonly FieldIssue[];
}

export interface CsvImport {
  readonly file: File | undefined;
  /** The chosen file as the page reads it; the api judges it again. */
  readonly preview: CsvPreview | undefined;
  /** The sender of rows without a `from` column. */
  readonly from: string;
  readonly busy: boolean;
  readonly report: ImportReport | undefined;
  /** Why the whole import stopped. */
  readonly problem: ImportProblem | undefined;
  readonly choose: (file: File | undefined) => void;
  readonly setFrom: (from: string) => void;
  readonly submit: (event: FormEvent) => Promise<void>;
}

/** The import form's state: the chosen file and its preview, then the api's report. */
export function useCsvImport(): CsvImport {
  const [file, setFile] = useState<File | undefined>();
  const [preview, setPreview] = useState<CsvPreview | undefined>();
  const [from, setFrom] = useState('');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | undefined>();
  const [problem, setProblem] = useState<ImportProblem | undefined>();

  const choose = (chosen: File | undefined): void => {
    setFile(chosen);
    setReport(undefined);
    setProblem(undefined);
    setPreview(undefined);
    if (chosen) void chosen.text().then((text) => setPreview(previewCsv(text)));
  };
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!file) return;
    const form = new FormData();
    // The api reads `from` only when it comes before the file.
    if (from.trim() !== '') form.append('from', from.trim());
    form.append('file', file, file.name);
    setBusy(true);
    setProblem(undefined);
    try {
      const { body } = await request<ImportReport>('/v1/emails/import', { method: 'POST', form });
      setReport(body);
    } catch (error) {
      setProblem({
        message: errorMessage(error),
        details: error instanceof ApiError ? error.details : [],
      });
    } finally {
      setBusy(false);
    }
  };
  return { file, preview, from, busy, report, problem, choose, setFrom, submit };
}
