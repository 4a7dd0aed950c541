import { randomUUID } from 'node:crypto';
import { EmailStreams } from '@app/email-streams';
import { EmailCommands, TENANT } from '../testing/email-commands';
import { EmailActions } from './email-actions.service';

describe('EmailActions', () => {
  let commands: EmailCommands;
  let actions: EmailActions;
  const types = async (id: string): Promise<string[]> =>
    (await commands.events(id)).map((e) => e.type);

  beforeEach(async () => {
    commands = await EmailCommands.start();
    actions = new EmailActions(new EmailStreams(commands.store), commands.clock);
  });
  afterEach(() => commands.close());

  it('reports each email in order: done, too late and why, not found (another tenant’s too)', async () => {
    const [a, b] = [await commands.scheduleEmail(), await commands.scheduleEmail()];
    await actions.one('cancel', b, TENANT);
    const ghost = randomUUID();
    const report = await actions.many('pause', [a, b, ghost], TENANT, { reason: 'hold' });
    expect(report).toEqual({
      action: 'pause',
      total: 3,
      done: 1,
      skipped: 2,
      results: [
        { emailId: a, outcome: 'done', status: 'paused' },
        {
          emailId: b,
          outcome: 'skipped',
          status: 'cancelled',
          reason: 'the email has been cancelled',
        },
        { emailId: ghost, outcome: 'skipped', status: null, reason: 'the email was not found' },
      ],
    });
    const other = await actions.many('resume', [a], 'tenant-globex');
    expect(other.results[0]).toMatchObject({ outcome: 'skipped', status: null });
    expect(await types(a)).toEqual(['EmailScheduled', 'EmailPaused']);
  });

  it('decides again on the newer state when another writer wins the revision, never skipping for the conflict', async () => {
    const id = await commands.scheduleEmail();
    // Both read revision 0 before either appends: one append wins, the other meets a ConcurrencyError.
    commands.meet(id, 2);
    const [first, second] = await Promise.all([
      actions.many('pause', [id], TENANT),
      actions.many('pause', [id], TENANT),
    ]);
    const lines = [first.results[0], second.results[0]];
    expect(lines.filter((l) => l?.outcome === 'done')).toHaveLength(1);
    expect(lines.filter((l) => l?.outcome === 'skipped')).toEqual([
      { emailId: id, outcome: 'skipped', status: 'paused', reason: 'the email is paused' },
    ]);
    expect(await types(id)).toEqual(['EmailScheduled', 'EmailPaused']);
  });

  it('passes the batch to pause and resume, and resumes a past due time as now', async () => {
    const id = await commands.scheduleEmail();
    const batchId = randomUUID();
    await actions.many('pause', [id], TENANT, { batchId });
    commands.clock.at = '2030-01-01T11:00:00.000Z';
    await actions.many('resume', [id], TENANT, { batchId, reason: 'ignored by resume' });
    const [, paused, resumed] = await commands.events(id);
    expect(paused?.data).toMatchObject({ batchId });
    expect(resumed?.data).toEqual({
      resumedAt: '2030-01-01T11:00:00.000Z',
      dueAt: '2030-01-01T11:00:00.000Z',
      batchId,
    });
  });
});
