import type { EmailEvent } from '@app/domain';
import { EMAIL_CATEGORY } from '@app/email-streams';
import { PostgresEventStore, type RecordedEvent } from '@app/event-store';
import {
  appendEmailHistories,
  createTestDatabase,
  emailHistory,
  toStoredEvents,
  waitFor,
  type TestDatabase,
} from '@app/testing';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import {
  CheckpointMovedError,
  GENERATION_VERSION,
  ProjectionRunner,
  applyEmailEvents,
  applyLiveBatch,
  contentBytes,
  countDifferences,
  replayIntoNewGeneration,
  migrateReadModel,
  readProjection,
  readProjectionStatus,
  requestRebuild,
  takeRebuildRequest,
  toPosition,
  listEmailsSql,
  type EmailCursor,
  type EmailFilter,
  type EmailRow,
} from './index';
import { activeSchema } from './testing/read-model-fixtures';

describe('the email projection', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('read_model');
    pool = new Pool({ connectionString: database.url, max: 6 });
    pool.on('error', () => undefined); // the drop terminates idle connections
    store = await PostgresEventStore.open({ connectionString: database.url });
    await migrateReadModel(pool);
    await migrateReadModel(pool); // a second start changes nothing
  });

  afterAll(async () => {
    await store?.close();
    await pool?.end();
    await database?.drop();
  });

  async function allEvents(): Promise<RecordedEvent[]> {
    return store.readCategory(EMAIL_CATEGORY, { after: 'start', maxCount: 1_000_000 });
  }

  /** Projects what is new in small batches, as the subscription would. */
  async function projectAll(): Promise<void> {
    let previous = toPosition((await readProjection(pool)).position);
    const pending = await store.readCategory(EMAIL_CATEGORY, {
      after: previous,
      maxCount: 100_000,
    });
    for (let i = 0; i < pending.length; i += 7) {
      previous = await applyLiveBatch(pool, previous, pending.slice(i, i + 7));
    }
  }

  /** Nothing after `position`, not even events an open transaction still holds back. */
  async function caughtUp(position: string | null): Promise<boolean> {
    const after = toPosition(position);
    const next = await store.readCategory(EMAIL_CATEGORY, { after, maxCount: 1 });
    return next.length === 0 && !(await store.hasHeldBackEvents(EMAIL_CATEGORY, after));
  }

  async function row(emailId: string): Promise<EmailRow | undefined> {
    const { rows } = await pool.query<EmailRow>(
      `SELECT * FROM read_model.emails WHERE email_id = $1`,
      [emailId],
    );
    return rows[0];
  }

  it('projects every shape of history into one row per email', async () => {
    const ids = await appendEmailHistories(store, 8);
    await projectAll();
    const rows = await Promise.all(ids.map(row));
    expect(rows.map((r) => r?.status)).toEqual([
      'scheduled',
      'scheduled',
      'cancelled',
      'attempting',
      'sent',
      'failed',
      'sent',
      'sent',
    ]);
    const at = (i: number): EmailRow => {
      const found = rows[i];
      if (!found) throw new Error(`no row for email ${i}`);
      return found;
    };
    const scheduled = at(0);
    const rescheduled = at(1);
    const cancelled = at(2);
    const attempting = at(3);
    const retried = at(4);
    const failed = at(5);
    const deferred = at(6);
    const inDoubt = at(7);
    expect(scheduled).toMatchObject({
      tenant_id: 'tenant-a',
      from_address: 'news@a.example',
      from_name: 'Sender',
      recipient_addresses: ['user0@example.com', 'cc@example.com'],
      subject: 'Subject 0',
      tags: ['news', 'batch-0'],
      attempts: 0,
      revision: '0',
      last_error: null,
      sent_at: null,
    });
    expect(scheduled.due_at).toEqual(scheduled.send_at);
    expect(scheduled.state).not.toHaveProperty('email.text');
    expect(rescheduled.send_at.getTime() - rescheduled.requested_send_at.getTime()).toBe(3_600_000);
    expect(rescheduled.revision).toBe('1');
    expect(cancelled.cancelled_at).not.toBeNull();
    expect(cancelled.due_at).toBeNull();
    expect(attempting.attempts).toBe(0);
    expect(retried).toMatchObject({ attempts: 2, revision: '4', lateness_ms: '61000' });
    expect(retried.message_id).toBe(`<${ids[4]}@mx>`);
    expect(retried.last_error).toBeNull();
    expect(failed.last_error).toMatchObject({ kind: 'permanent', code: 550 });
    expect(failed.failed_at).not.toBeNull();
    expect(deferred).toMatchObject({ lateness_ms: '121500', attempts: 1 });
    expect(inDoubt).toMatchObject({ lateness_ms: '62000', attempts: 2 });
    expect(scheduled.created_at.getTime()).toBeLessThanOrEqual(scheduled.updated_at.getTime());

    const { rows: sends } = await pool.query<{ sender: string; count: string }>(
      `SELECT sender, sum(count)::text AS count FROM read_model.sender_hourly_sends GROUP BY sender ORDER BY sender`,
    );
    // Emails 4 (billing@), 6 (news@) and 7 (billing@) were sent.
    expect(sends).toEqual([
      { sender: 'billing@a.example', count: '2' },
      { sender: 'news@a.example', count: '1' },
    ]);
    // Pending per tenant: emails 0, 1 (scheduled) and 3 (attempting), and their content bytes.
    const first = (await allEvents()).find((e) => e.type === 'EmailScheduled');
    expect(Number(scheduled.content_bytes)).toBe(
      contentBytes(first?.data as { subject: string; text?: string; html?: string }),
    );
    const { rows: pending } = await pool.query<{
      tenant_id: string;
      emails: string;
      bytes: string;
    }>(`SELECT tenant_id, emails, bytes FROM read_model.tenant_pending ORDER BY tenant_id`);
    const pendingOf = (tenant: string): { tenant_id: string; emails: string; bytes: string } => {
      const mine = [scheduled, rescheduled, attempting].filter((r) => r.tenant_id === tenant);
      const bytes = mine.map((r) => Number(r.content_bytes)).reduce((a, b) => a + b, 0);
      return { tenant_id: tenant, emails: String(mine.length), bytes: String(bytes) };
    };
    expect(pending).toEqual([pendingOf('tenant-a'), pendingOf('tenant-b')]);
    const status = await readProjectionStatus(pool, store);
    expect(status).toMatchObject({ state: 'live', lagEvents: 0, lagSeconds: 0, rebuild: null });
    expect(status.position).toBe(status.head);
  });

  it('changes nothing when a batch is applied twice, sends included', async () => {
    const schema = await activeSchema(pool);
    const generation = Number(schema.replace('read_model_g', ''));
    const snapshot = async (): Promise<unknown> => ({
      emails: (await pool.query(`SELECT * FROM ${schema}.emails ORDER BY email_id`)).rows,
      sends: (await pool.query(`SELECT * FROM ${schema}.sender_hourly_sends ORDER BY 1, 2, 3`))
        .rows,
      pending: (await pool.query(`SELECT * FROM ${schema}.tenant_pending ORDER BY 1`)).rows,
    });
    const before = await snapshot();
    const events = await allEvents();
    const client = await pool.connect();
    try {
      for (const slice of [events, events.slice(3, 20), events.slice(-5)]) {
        await client.query('BEGIN');
        await applyEmailEvents(client, generation, slice);
        await client.query('COMMIT');
      }
    } finally {
      client.release();
    }
    expect(await snapshot()).toEqual(before);
  });

  it('holds no row for a tenant with nothing pending, so a live read model equals its replay', async () => {
    // Scheduled in one batch and sent in the next, live: +1 then -1. A replay folds both at once and
    // counts nothing: a row left at 0 would be the one difference (the fault suite's read model check).
    const emailId = randomUUID();
    const history = emailHistory(emailId, 4).map((event) =>
      event.type === 'EmailScheduled'
        ? { ...event, data: { ...event.data, tenantId: 'tenant-done' } }
        : event,
    );
    expect(history[history.length - 1]?.type).toBe('EmailSent');
    await store.append(`email-${emailId}`, toStoredEvents(history, 'tenant-done'), 'no-stream');
    let previous = toPosition((await readProjection(pool)).position);
    const fresh = await store.readCategory(EMAIL_CATEGORY, { after: previous, maxCount: 100 });
    for (const batch of [fresh.slice(0, 1), fresh.slice(1)]) {
      previous = await applyLiveBatch(pool, previous, batch);
    }
    const { rows } = await pool.query(
      `SELECT * FROM read_model.tenant_pending WHERE tenant_id = 'tenant-done'`,
    );
    expect(rows).toEqual([]);
    const generation = await replayIntoNewGeneration(pool, store);
    try {
      expect(await countDifferences(pool, 'read_model', `read_model_g${generation}`)).toBe(0);
    } finally {
      await pool.query(`DROP SCHEMA read_model_g${generation} CASCADE`);
    }
  });

  it("keeps a batch's, a schedule's and the timing's fields in columns, filters by batch and schedule with cursor paging, counts paused as pending and expired as final", async () => {
    const tenant = 'tenant-groups';
    const batchId = randomUUID();
    const scheduleId = randomUUID();
    const window = { timeZone: 'Europe/Paris', days: ['mon', 'tue'], start: '09:00', end: '17:30' };
    const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const scheduled = (emailId: string, n: number, extra: Record<string, unknown>): EmailEvent => {
      const [first] = emailHistory(emailId, n);
      if (first?.type !== 'EmailScheduled') throw new Error('a history starts with EmailScheduled');
      return { ...first, data: { ...first.data, tenantId: tenant, ...extra } };
    };
    const [paused, inBatch, occurrence, other] = ids as [string, string, string, string];
    const histories: [string, EmailEvent[]][] = [
      [
        paused,
        [
          scheduled(paused, 1, {
            batchId,
            timeZone: 'Europe/Paris',
            localSendAt: '2027-03-28T02:30',
            deliveryWindow: window,
            expiresAt: '2027-03-29T00:00:00.000Z',
          }),
          { type: 'EmailPaused', data: { pausedAt: '2027-03-01T00:00:00.000Z', batchId } },
        ],
      ],
      [inBatch, [scheduled(inBatch, 2, { batchId })]],
      [
        occurrence,
        [scheduled(occurrence, 3, { scheduleId, occurrenceAt: '2027-03-01T09:00:00.000Z' })],
      ],
      [other, [scheduled(other, 4, {})]],
    ];
    for (const [emailId, events] of histories) {
      await store.append(`email-${emailId}`, toStoredEvents(events, tenant), 'no-stream');
    }
    await projectAll();
    const pendingEmails = async (): Promise<string | undefined> =>
      (
        await pool.query<{ emails: string }>(
          `SELECT emails FROM read_model.tenant_pending WHERE tenant_id = $1`,
          [tenant],
        )
      ).rows[0]?.emails;
    expect(await row(paused)).toMatchObject({
      status: 'paused',
      batch_id: batchId,
      schedule_id: null,
      time_zone: 'Europe/Paris',
      local_send_at: '2027-03-28T02:30',
      delivery_window: window,
      expires_at: new Date('2027-03-29T00:00:00.000Z'),
      paused_at: new Date('2027-03-01T00:00:00.000Z'),
      expired_at: null,
    });
    expect(await row(occurrence)).toMatchObject({
      batch_id: null,
      schedule_id: scheduleId,
      occurrence_at: new Date('2027-03-01T09:00:00.000Z'),
    });
    expect(await pendingEmails()).toBe('4');

    // Page by page, one row a page: the cursor keeps to the filter.
    const listed = async (filter: EmailFilter): Promise<string[]> => {
      const found: string[] = [];
      let after: EmailCursor | undefined;
      for (;;) {
        const { text, values } = listEmailsSql(filter, after, 1);
        const { rows } = await pool.query<{ email_id: string; cursor_send_at: string }>(
          text,
          values,
        );
        const [first] = rows;
        if (!first) return found;
        found.push(first.email_id);
        after = { sendAt: first.cursor_send_at, id: first.email_id };
      }
    };
    expect((await listed({ tenant, batchId })).sort()).toEqual([paused, inBatch].sort());
    expect(await listed({ batchId: batchId.toUpperCase() })).toHaveLength(2);
    expect(await listed({ tenant, scheduleId })).toEqual([occurrence]);
    expect(await listed({ tenant, status: 'paused' })).toEqual([paused]);

    await store.append(
      `email-${paused}`,
      toStoredEvents(
        [
          {
            type: 'EmailExpired',
            data: {
              expiredAt: '2027-03-29T00:00:00.000Z',
              expiresAt: '2027-03-29T00:00:00.000Z',
              reason: 'deadline-passed',
            },
          },
        ],
        tenant,
      ),
      1,
    );
    await projectAll();
    expect(await row(paused)).toMatchObject({
      status: 'expired',
      paused_at: null,
      expired_at: new Date('2027-03-29T00:00:00.000Z'),
      expiry_reason: 'deadline-passed',
    });
    expect(await pendingEmails()).toBe('3');
    const generation = await replayIntoNewGeneration(pool, store);
    try {
      expect(await countDifferences(pool, 'read_model', `read_model_g${generation}`)).toBe(0);
    } finally {
      await pool.query(`DROP SCHEMA read_model_g${generation} CASCADE`);
    }
  });

  it("keeps issue 19's message parts in columns, applies edits (removals too) and purges, and filters by metadata containment", async () => {
    const tenant = 'tenant-parts';
    const attachment = {
      filename: 'report.pdf',
      contentType: 'application/pdf',
      size: 3,
      sha256: 'a'.repeat(64),
    };
    const withParts = (emailId: string, n: number): EmailEvent[] => {
      const [first, ...rest] = emailHistory(emailId, n);
      if (first?.type !== 'EmailScheduled') throw new Error('a history starts with EmailScheduled');
      return [
        {
          ...first,
          data: {
            ...first.data,
            tenantId: tenant,
            replyTo: [{ address: 'help@a.example' }],
            headers: [{ name: 'X-Campaign', value: 'spring' }],
            metadata: { customer: '42', plan: 'gold' },
            attachments: [attachment],
            template: { id: 'welcome', version: 2, variables: { name: 'Jo' } },
          },
        },
        ...rest,
      ];
    };
    const [edited, purged] = [randomUUID(), randomUUID()];
    const editedAt = '2027-03-01T00:00:00.000Z';
    await store.append(
      `email-${edited}`,
      toStoredEvents(
        [
          ...withParts(edited, 0),
          {
            type: 'EmailContentEdited',
            data: {
              editedAt,
              changes: { subject: 'Edited', metadata: { customer: '43', plan: 'gold' } },
              removed: ['headers', 'template'],
            },
          },
        ],
        tenant,
      ),
      'no-stream',
    );
    await store.append(
      `email-${purged}`,
      toStoredEvents(
        [
          ...withParts(purged, 4),
          {
            type: 'EmailAttachmentsPurged',
            data: { purgedAt: editedAt, sha256: [attachment.sha256], retentionMs: 0 },
          },
        ],
        tenant,
      ),
      'no-stream',
    );
    await projectAll();
    expect(await row(edited)).toMatchObject({
      subject: 'Edited',
      reply_to: [{ address: 'help@a.example' }],
      headers: null,
      metadata: { customer: '43', plan: 'gold' },
      attachments: [attachment],
      attachments_purged_at: null,
      template_id: null,
      template_version: null,
    });
    expect(await row(purged)).toMatchObject({
      status: 'sent',
      headers: [{ name: 'X-Campaign', value: 'spring' }],
      metadata: { customer: '42', plan: 'gold' },
      attachments: [attachment],
      attachments_purged_at: new Date(editedAt),
      template_id: 'welcome',
      template_version: 2,
    });
    const ids = async (metadata: Record<string, string>): Promise<string[]> => {
      const { text, values } = listEmailsSql({ tenant, metadata }, undefined, 10);
      return (await pool.query<EmailRow>(text, values)).rows.map((r) => r.email_id);
    };
    expect(await ids({ plan: 'gold' })).toHaveLength(2);
    expect(await ids({ plan: 'gold', customer: '42' })).toEqual([purged]);
    expect(await ids({ plan: 'gold', customer: '41' })).toEqual([]);
    const generation = await replayIntoNewGeneration(pool, store);
    try {
      expect(await countDifferences(pool, 'read_model', `read_model_g${generation}`)).toBe(0);
    } finally {
      await pool.query(`DROP SCHEMA read_model_g${generation} CASCADE`);
    }
  });

  it('migrations 002 and 003 bring a layout-2 generation to layout 4 in place: columns (as a rebuild orders them), values from the stored state, indexes and view', async () => {
    const schema = await activeSchema(pool);
    const added = [
      'batch_id',
      'schedule_id',
      'occurrence_at',
      'time_zone',
      'local_send_at',
      'delivery_window',
      'expires_at',
      'paused_at',
      'expired_at',
      'expiry_reason',
      // Layout 4 (003): after layout 3's, as a rebuild orders them.
      'reply_to',
      'headers',
      'metadata',
      'attachments',
      'attachments_purged_at',
      'template_id',
      'template_version',
    ];
    // The live generation as layout 2 left it, and the migrations not yet applied.
    await pool.query(`
      DROP VIEW read_model.emails;
      ALTER TABLE ${schema}.emails ${added.map((c) => `DROP COLUMN ${c}`).join(', ')};
      CREATE VIEW read_model.emails AS SELECT * FROM ${schema}.emails;
      UPDATE read_model.projections SET active_version = 2;
      DELETE FROM read_model.schema_migrations
       WHERE version IN ('002_time_and_groups.sql', '003_message_parts.sql')`);
    await migrateReadModel(pool);

    expect((await readProjection(pool)).active_version).toBe(GENERATION_VERSION);
    const { rows: indexes } = await pool.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname IN ('emails_batch', 'emails_schedule', 'emails_metadata')`,
      [schema],
    );
    expect(indexes).toHaveLength(3);
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM read_model.emails WHERE batch_id IS NOT NULL AND time_zone = 'Europe/Paris'`,
    );
    expect(rows[0]?.n).toBe('1');
    const generation = await replayIntoNewGeneration(pool, store);
    try {
      expect(await countDifferences(pool, 'read_model', `read_model_g${generation}`)).toBe(0);
    } finally {
      await pool.query(`DROP SCHEMA read_model_g${generation} CASCADE`);
    }
  });

  it('stops, rather than rebuild it back, when the live generation was built by a newer release', async () => {
    const newer = GENERATION_VERSION + 1;
    await pool.query(`UPDATE read_model.projections SET active_version = $1`, [newer]);
    try {
      await expect(takeRebuildRequest(pool)).rejects.toThrow(/built by a newer release/);
      expect((await readProjection(pool)).state).not.toBe('rebuilding');
    } finally {
      await pool.query(`UPDATE read_model.projections SET active_version = $1`, [
        GENERATION_VERSION,
      ]);
    }
  });

  it('refuses a batch whose previous checkpoint is stale', async () => {
    const emailId = randomUUID();
    await store.append(
      `email-${emailId}`,
      toStoredEvents(emailHistory(emailId, 8), 'tenant-a'),
      'no-stream',
    );
    const events = await allEvents();
    await expect(applyLiveBatch(pool, 'start', events.slice(-1))).rejects.toBeInstanceOf(
      CheckpointMovedError,
    );
    expect(await row(emailId)).toBeUndefined();
  });

  it('rebuilds into a fresh generation while writes flow, then swaps it in', async () => {
    const logs: string[] = [];
    const runner = new ProjectionRunner(pool, store, {
      batchSize: 50,
      rebuildPollMs: 50,
      logger: { log: (m) => logs.push(m), warn: (m) => logs.push(`warn: ${m}`) },
    });
    runner.start();
    const before = await readProjection(pool);
    let writing = true;
    const writes = (async () => {
      for (let n = 100; writing; n += 10) await appendEmailHistories(store, 10, n, 4);
    })();
    try {
      await appendEmailHistories(store, 150, 1_000);
      await requestRebuild(pool);
      await waitFor(
        'the rebuilt generation to go live',
        async () => (await readProjection(pool)).last_swap_at !== null,
        60_000,
        50,
      );
    } finally {
      writing = false;
      await writes;
    }
    await waitFor(
      'the projector to reach the head',
      async () => caughtUp((await readProjection(pool)).position),
      30_000,
      20,
    ).catch(async (error: Error) => {
      const state = JSON.stringify(await readProjection(pool));
      throw new Error(`${error.message}: ${state}, logs ${logs.join('; ')}`);
    });
    await runner.stop();

    const after = await readProjection(pool);
    expect(Number(after.active_generation)).toBeGreaterThan(Number(before.active_generation));
    expect(after).toMatchObject({ state: 'live', rebuild_generation: null });
    const { rowCount } = await pool.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [
      `read_model_g${before.active_generation}`,
    ]);
    expect(rowCount).toBe(0);
    const replayed = await replayIntoNewGeneration(pool, store);
    expect(await countDifferences(pool, 'read_model', `read_model_g${replayed}`)).toBe(0);
    expect(logs.filter((l) => l.startsWith('warn'))).toEqual([]);
  }, 120_000);
});
