import { PreconditionFailedException } from '@nestjs/common';
import { IllegalStateError, NotFoundError, ValidationError } from '@app/domain';
import type { EmailWriteResult } from '@app/email-streams';
import { EmailCommands, IN_AN_HOUR, NOW, TENANT } from '../../testing/email-commands';
import { CancelEmailCommand } from './cancel-email.command';
import { RescheduleEmailCommand } from './reschedule-email.command';

const LATER = '2030-01-01T11:00:00.000Z';
const LATER_STILL = '2030-01-01T12:00:00.000Z';

describe('RescheduleEmailHandler', () => {
  let commands: EmailCommands;
  let emailId: string;
  const reschedule = (sendAt: string, ifMatch?: number, tenantId = TENANT) =>
    commands.execute<EmailWriteResult>(
      new RescheduleEmailCommand(emailId, tenantId, sendAt, undefined, ifMatch),
    );
  const types = async (): Promise<string[]> => (await commands.events(emailId)).map((e) => e.type);

  beforeEach(async () => {
    commands = await EmailCommands.start();
    emailId = await commands.scheduleEmail();
  });
  afterEach(() => commands.close());

  it('appends EmailRescheduled at the next revision, from the due time to the new one', async () => {
    const result = await reschedule(LATER);
    expect(result).toMatchObject({ id: emailId, status: 'scheduled', sendAt: LATER, revision: 1 });
    const [, rescheduled] = await commands.events(emailId);
    expect(rescheduled?.data).toEqual({
      sendAt: LATER,
      previousSendAt: IN_AN_HOUR,
      rescheduledAt: NOW,
    });
    expect(rescheduled?.metadata).toMatchObject({ tenantId: TENANT });
  });

  it('reads an offset-less sendAt as wall-clock time in the timeZone given, and refuses an unknown zone', async () => {
    const result = await commands.execute<EmailWriteResult>(
      new RescheduleEmailCommand(emailId, TENANT, '2030-01-01T18:00', 'Asia/Kolkata'),
    );
    expect(result).toMatchObject({ sendAt: '2030-01-01T12:30:00.000Z', revision: 1 });
    await expect(
      commands.execute(
        new RescheduleEmailCommand(emailId, TENANT, '2030-01-01T13:00', 'Asia/Kolkatta'),
      ),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ field: 'timeZone' })] });
  });

  it('takes an If-Match of the current revision, and refuses a stale one with 412, writing nothing', async () => {
    await reschedule(LATER, 0);
    await expect(reschedule(LATER_STILL, 0)).rejects.toBeInstanceOf(PreconditionFailedException);
    expect(await types()).toEqual(['EmailScheduled', 'EmailRescheduled']);
    expect(await reschedule(LATER_STILL, 1)).toMatchObject({ revision: 2, sendAt: LATER_STILL });
  });

  it('two with one If-Match that read the email together: one is applied, the other is a 412, no lost update', async () => {
    commands.meet(emailId, 2);
    const outcomes = await Promise.allSettled([reschedule(LATER, 0), reschedule(LATER_STILL, 0)]);
    const applied = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(applied).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(PreconditionFailedException);
    const events = await commands.events(emailId);
    expect(events.map((e) => e.type)).toEqual(['EmailScheduled', 'EmailRescheduled']);
    expect(events[1]?.data.sendAt).toBe(applied[0]?.sendAt);
  });

  it('without If-Match, the one that lost the race decides again on the new revision: both apply', async () => {
    commands.meet(emailId, 2);
    const results = await Promise.all([reschedule(LATER), reschedule(LATER_STILL)]);
    expect(results.map((r) => r.revision).sort()).toEqual([1, 2]);
    expect(await types()).toEqual(['EmailScheduled', 'EmailRescheduled', 'EmailRescheduled']);
  });

  it('refuses a cancelled email (409) and a sendAt past the horizon (400)', async () => {
    await expect(reschedule('2040-01-01T00:00:00.000Z')).rejects.toBeInstanceOf(ValidationError);
    await commands.execute(new CancelEmailCommand(emailId, TENANT));
    await expect(reschedule(LATER)).rejects.toBeInstanceOf(IllegalStateError);
    expect(await types()).toEqual(['EmailScheduled', 'EmailCancelled']);
  });

  it("knows no other tenant's email", async () => {
    await expect(reschedule(LATER, undefined, 'tenant-globex')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await types()).toEqual(['EmailScheduled']);
  });
});
