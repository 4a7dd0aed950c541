import { UnprocessableEntityException } from '@nestjs/common';
import { ForbiddenError, ValidationError } from '@app/domain';
import { EmailCommands, IN_AN_HOUR, SENDER, TENANT } from '../../testing/email-commands';
import type { ScheduleOutcome } from './email-scheduling';
import { scheduleItem } from './idempotency';
import type { ScheduleEmailInput } from './schedule-email.command';
import { ScheduleEmailsCommand } from './schedule-emails.command';

const input = (n: number): ScheduleEmailInput => ({
  from: 'news@acme.example',
  to: [`reader${n}@example.com`],
  subject: `Issue ${n}`,
  text: 'Hello',
  sendAt: IN_AN_HOUR,
});

describe('ScheduleEmailsHandler', () => {
  let commands: EmailCommands;
  const scheduleMany = (
    items: readonly (readonly [ScheduleEmailInput, string?])[],
  ): Promise<ScheduleOutcome[]> =>
    commands.execute(
      new ScheduleEmailsCommand(
        SENDER,
        items.map(([body, key]) => scheduleItem(TENANT, body, key)),
      ),
    );

  beforeEach(async () => {
    commands = await EmailCommands.start();
  });
  afterEach(() => commands.close());

  it("refuses only the items from outside the tenant's domains, reading its settings once", async () => {
    const outcomes = await scheduleMany([
      [input(0)],
      [{ ...input(1), from: 'ceo@globex.example' }],
      [input(2)],
    ]);
    expect(outcomes[0]).toMatchObject({ status: 'scheduled', created: true });
    expect(outcomes[1]).toBeInstanceOf(ForbiddenError);
    expect(outcomes[2]).toMatchObject({ status: 'scheduled', created: true });
    expect(commands.tenants.reads).toBe(1);
  });

  it('answers each item in order: the valid ones scheduled, a refused one with its own error', async () => {
    const outcomes = await scheduleMany([[input(0)], [{ ...input(1), to: [] }], [input(2)]]);
    expect(outcomes[0]).toMatchObject({ status: 'scheduled', revision: 0, created: true });
    expect(outcomes[1]).toBeInstanceOf(ValidationError);
    expect(outcomes[2]).toMatchObject({ status: 'scheduled', revision: 0, created: true });
    for (const outcome of [outcomes[0], outcomes[2]]) {
      if (!outcome || outcome instanceof Error) throw new Error('expected a scheduled email');
      expect((await commands.events(outcome.id)).map((e) => e.data.subject)).toHaveLength(1);
    }
  });

  it('takes one key twice in a batch as one email: created once, then its repeat', async () => {
    const outcomes = await scheduleMany([
      [input(0), 'weekly'],
      [input(0), 'weekly'],
    ]);
    const [first, second] = outcomes;
    if (!first || first instanceof Error)
      throw new Error(`expected an email, got ${String(first)}`);
    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });
    expect(await commands.events(first.id)).toHaveLength(1);
  });

  it('refuses a key reused with another body for that item alone', async () => {
    const [earlier] = await scheduleMany([[input(0), 'monthly']]);
    const outcomes = await scheduleMany([
      [input(1), 'monthly'],
      [input(2), 'other'],
    ]);
    expect(outcomes[0]).toBeInstanceOf(UnprocessableEntityException);
    expect(outcomes[1]).toMatchObject({ created: true });
    if (!earlier || earlier instanceof Error) throw new Error('expected an email');
    expect((await commands.events(earlier.id)).map((e) => e.data.subject)).toEqual(['Issue 0']);
  });
});
