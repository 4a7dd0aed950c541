import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import busboy from 'busboy';
import { APP_CONFIG, type AppConfig } from '@app/platform';
import { CsvError, parse } from 'csv-parse';
import { toErrorBody } from '../../common/error-body';
import type { FieldIssue } from '../../common/validation';
import type { Principal } from '../../auth/principal';
import type { ScheduleEmailResult } from '../commands/email-scheduling';
import { type Requester, ScheduleEmailCommand } from '../commands/schedule-email.command';
import { QuotaExceededError } from '../../quotas/quota-exceeded.error';
import { BatchesRepository } from '../../batches/batches.repository';
import { csvField, mapRow, parseHeader, type CsvHeader } from './csv-row.mapping';
import type { ImportReport } from './import-report.view';
import { ImportSlots } from './import-slots';

/** Bounds of one import; a provider so that tests can change them. */
@Injectable()
export class CsvImportLimits {
  /** Data rows (the header excluded); one more stops the import. */
  maxRows = 100_000;
  /** Bytes of the uploaded file; one more stops the import. */
  maxFileBytes = 64 * 1024 * 1024;
  /** Bytes of the whole request beyond the file: the fields, part headers and boundaries. */
  maxFormOverheadBytes = 64 * 1024;
  /** Parts of the form: the field `from` and the file, with room for a few fields it ignores. */
  maxParts = 8;
  /** Header lines of one part (Content-Disposition, Content-Type, …). */
  maxPartHeaders = 8;
  /** Bytes of a single record, so that an unclosed quote cannot pile up the rest of the file. */
  maxRecordBytes = 1024 * 1024;
  /** Rows being scheduled at once: reading the file waits while this many are in flight. */
  concurrency = 8;
  /** From the request's headers to its last byte; then the upload is cut off with 408 (IMPORT_TIMEOUT_MS). */
  timeoutMs: number;
  /** Imports one key may run at once across api processes; one more answers 429 (IMPORTS_PER_KEY). */
  perKey: number;
  /** Retry-After of that 429, in seconds. */
  retryAfterSeconds = 10;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.timeoutMs = config.importTimeoutMs;
    this.perKey = config.importsPerKey;
  }
}

/** Stops the whole import; what was scheduled before it is kept and reported in `details`. */
class ImportAborted extends Error {
  constructor(
    readonly status: number,
    readonly problem: { readonly row?: number; readonly reason: string; readonly quota?: unknown },
  ) {
    super(problem.reason);
  }
}

@Injectable()
export class CsvImportService {
  constructor(
    private readonly commands: CommandBus,
    private readonly limits: CsvImportLimits,
    private readonly slots: ImportSlots,
    private readonly batches: BatchesRepository,
  ) {}

  /**
   * Reads a multipart request (optional field `from`, then the part `file`) as it arrives: busboy
   * feeds csv-parse, and the file is read only as fast as rows are scheduled. One of the key's
   * import slots is held throughout (429 when it has none left).
   */
  async importRequest(
    request: IncomingMessage,
    principal: Pick<Principal, 'keyId' | 'tenantId' | 'role'>,
  ): Promise<ImportReport> {
    const { limits } = this;
    // Held a minute past the time bound: by then the import has answered, or its process is gone.
    const slot = await this.slots.take(principal.keyId, limits.perKey, limits.timeoutMs + 60_000);
    if (slot === undefined) {
      throw new TooManyImports(limits.perKey, limits.retryAfterSeconds);
    }
    try {
      return await this.readForm(request, principal);
    } finally {
      await slot.release();
    }
  }

  private async readForm(request: IncomingMessage, requester: Requester): Promise<ImportReport> {
    const { limits } = this;
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: {
          files: 1,
          fileSize: limits.maxFileBytes,
          fields: limits.maxParts - 1,
          fieldSize: 4096,
          parts: limits.maxParts,
          headerPairs: limits.maxPartHeaders,
        },
      });
    } catch {
      throw badRequest('expected a multipart/form-data body with a CSV part named "file"');
    }
    let defaultFrom: string | undefined;
    let file: Readable | undefined;
    let imported: Promise<ImportReport> | undefined;
    let stop: (aborted: ImportAborted) => void = () => undefined;
    const finished = new Promise<void>((resolve, reject) => {
      // Stops reading the request; the import (if it began) stops at its next row, keeping the rows
      // before. The controller closes the connection after answering, so nothing more is read.
      stop = (aborted) => {
        request.unpipe(parser);
        file?.destroy(aborted);
        reject(aborted);
      };
      parser.on('field', (name, value) => {
        if (name === 'from') defaultFrom = value;
      });
      parser.on('file', (name, stream) => {
        if (name !== 'file' || imported !== undefined) {
          stream.resume();
          return;
        }
        file = stream;
        imported = this.importFile(stream, requester, defaultFrom);
        // Settle it now too, so a rejection is never "unhandled" while busboy finishes.
        imported.catch(() => undefined);
      });
      const tooManyParts = (): void =>
        stop(
          tooLarge(`the form has more than ${limits.maxParts} parts (one file, the rest fields)`),
        );
      parser.on('partsLimit', tooManyParts);
      parser.on('filesLimit', tooManyParts);
      parser.on('fieldsLimit', tooManyParts);
      parser.on('close', resolve);
      parser.on('error', reject);
    });
    // A client that goes away mid-upload ends the import (and frees its slot) now, not at the bound.
    request.on('close', () => {
      if (!request.complete) {
        stop(new ImportAborted(HttpStatus.BAD_REQUEST, { reason: 'the upload was cut short' }));
      }
    });
    let received = 0;
    const maxRequestBytes = limits.maxFileBytes + limits.maxFormOverheadBytes;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxRequestBytes) {
        stop(tooLarge(`the request is larger than ${maxRequestBytes} bytes`));
      }
    });
    const timer = setTimeout(
      () =>
        stop(
          new ImportAborted(HttpStatus.REQUEST_TIMEOUT, {
            reason: `the upload took longer than ${limits.timeoutMs} ms`,
          }),
        ),
      limits.timeoutMs,
    );
    request.pipe(parser);
    try {
      await finished;
    } catch (error) {
      if (!(error instanceof ImportAborted)) {
        await imported?.catch(() => undefined);
        throw badRequest(`malformed multipart body: ${(error as Error).message}`);
      }
      // A stopped import answers for itself: the cause, with the rows scheduled before it.
      throw this.failure(error, imported ? await imported : emptyReport());
    } finally {
      clearTimeout(timer);
    }
    if (imported === undefined) throw badRequest('no CSV part named "file" in the form');
    return imported;
  }

  private async importFile(
    file: Readable,
    requester: Requester,
    defaultFrom: string | undefined,
  ): Promise<ImportReport> {
    const report = emptyReport();
    const csv = parse({
      bom: true,
      skip_empty_lines: true,
      max_record_size: this.limits.maxRecordBytes,
      // Checked per row below, so that the rows before a short or long one are scheduled for sure.
      relax_column_count: true,
    });
    file.on('limit', () => {
      csv.destroy(
        new ImportAborted(HttpStatus.PAYLOAD_TOO_LARGE, {
          reason: `the file is larger than ${this.limits.maxFileBytes} bytes`,
        }),
      );
    });
    file.on('error', (error) => csv.destroy(error));
    file.pipe(csv);

    const inFlight = new Set<Promise<void>>();
    let unexpected: Error | undefined;
    let header: CsvHeader | undefined;
    let row = 0;
    let width = 0;
    try {
      for await (const cells of csv as AsyncIterable<string[]>) {
        if (header === undefined) {
          const parsed = parseHeader(cells, defaultFrom !== undefined);
          if ('issues' in parsed) throw new HeaderRejected(parsed.issues);
          header = parsed.header;
          width = cells.length;
          // The import's batch exists before its first row is scheduled (rows record their membership).
          await this.batches.open(report.batchId, requester.tenantId, 'import');
          continue;
        }
        row += 1;
        if (cells.length !== width) {
          throw new ImportAborted(HttpStatus.BAD_REQUEST, {
            row,
            reason: `expected ${width} fields as in the header, got ${cells.length}`,
          });
        }
        if (row > this.limits.maxRows) {
          throw new ImportAborted(HttpStatus.PAYLOAD_TOO_LARGE, {
            row,
            reason: `more than ${this.limits.maxRows} data rows; the rest of the file was not read`,
          });
        }
        const task = this.importRow(
          report,
          row,
          requester,
          mapRow(header, cells, defaultFrom),
        ).catch((error: unknown) => {
          unexpected ??= error instanceof Error ? error : new Error(String(error));
        });
        inFlight.add(task);
        void task.finally(() => inFlight.delete(task));
        if (inFlight.size >= this.limits.concurrency) await Promise.race(inFlight);
        if (unexpected !== undefined) throw unexpected;
      }
      if (header === undefined)
        throw new HeaderRejected([{ field: 'header', reason: 'the file is empty' }]);
      await Promise.all(inFlight);
      if (unexpected !== undefined) throw unexpected;
    } catch (error) {
      file.unpipe(csv);
      file.resume();
      await Promise.all(inFlight);
      throw this.failure(error, report);
    }
    report.ids.sort((a, b) => a.row - b.row);
    report.rows.sort((a, b) => a.row - b.row);
    return report;
  }

  private async importRow(
    report: ImportReport,
    row: number,
    requester: Requester,
    mapped: ReturnType<typeof mapRow>,
  ): Promise<void> {
    if ('issues' in mapped) {
      reject(report, row, HttpStatus.BAD_REQUEST, mapped.issues);
      return;
    }
    try {
      const result = await this.commands.execute<ScheduleEmailCommand, ScheduleEmailResult>(
        new ScheduleEmailCommand(requester, {
          emailId: randomUUID(),
          input: { ...mapped.input, batchId: report.batchId },
          position: row,
        }),
      );
      report.accepted += 1;
      report.ids.push({ row, id: result.id });
    } catch (error) {
      // Over a quota, so would the rows after it be: the import stops here (a 429 saying which limit),
      // keeping what was scheduled before.
      if (error instanceof QuotaExceededError) {
        throw new ImportAborted(HttpStatus.TOO_MANY_REQUESTS, {
          row,
          reason: `${error.message}; the rows without an id in \`ids\` were not scheduled`,
          quota: error.refusal,
        });
      }
      const body = toErrorBody(error);
      if (body.statusCode >= 500) throw error;
      const issues = Array.isArray(body.details)
        ? (body.details as FieldIssue[]).map((issue) => ({
            ...issue,
            field: csvField(issue.field),
          }))
        : [{ field: 'row', reason: body.message }];
      // A row's own status: 400 for what is wrong with it, 403 for a `from` the tenant may not use.
      reject(report, row, body.statusCode, issues);
    }
  }

  private failure(error: unknown, report: ImportReport): unknown {
    const sofar = {
      batchId: report.batchId,
      accepted: report.accepted,
      rejected: report.rejected,
      ids: report.ids,
    };
    if (error instanceof HeaderRejected) {
      return new HttpException(
        {
          message: `invalid CSV header: ${error.issues.map((i) => `${i.field} ${i.reason}`).join('; ')}`,
          details: error.issues,
        },
        HttpStatus.BAD_REQUEST,
      );
    }
    let aborted: ImportAborted | undefined;
    if (error instanceof ImportAborted) aborted = error;
    else if (error instanceof CsvError) {
      // `records` counts the header too, so it is the number of the data row that failed.
      aborted = new ImportAborted(HttpStatus.BAD_REQUEST, {
        row: Number((error as CsvError & { records?: number }).records ?? 0),
        reason: error.message,
      });
    }
    if (aborted === undefined) return error;
    const where = aborted.problem.row === undefined ? '' : `row ${aborted.problem.row}: `;
    const { quota, ...problem } = aborted.problem;
    return new HttpException(
      {
        message: `CSV import stopped at ${where}${aborted.problem.reason}`,
        // A quota's refusal (limit, limitValue, used, retryAfterSeconds) at the top, as for any 429.
        details: { ...(quota ?? {}), ...problem, ...sofar, rows: report.rows },
      },
      aborted.status,
    );
  }
}

class HeaderRejected extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super('invalid CSV header');
  }
}

function reject(
  report: ImportReport,
  row: number,
  status: number,
  errors: readonly FieldIssue[],
): void {
  report.rejected += 1;
  report.rows.push({ row, status, errors });
}

function emptyReport(): ImportReport {
  return { batchId: randomUUID(), accepted: 0, rejected: 0, rows: [], ids: [] };
}

function tooLarge(reason: string): ImportAborted {
  return new ImportAborted(HttpStatus.PAYLOAD_TOO_LARGE, { reason });
}

/** 429: the key already runs as many imports as it may; `retryAfterSeconds` goes in Retry-After. */
export class TooManyImports extends HttpException {
  constructor(
    limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      {
        message: `this key already has ${limit} CSV imports in flight (IMPORTS_PER_KEY); retry later`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

function badRequest(message: string): HttpException {
  return new HttpException({ message }, HttpStatus.BAD_REQUEST);
}
