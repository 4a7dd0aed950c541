import { PreconditionFailedException } from '@nestjs/common';
import {
  IllegalStateError,
  NotFoundError,
  ValidationError,
  type ContentChanges,
} from '@app/domain';
import type { EmailWriteResult } from '@app/email-streams';
import { EmailCommands, IN_AN_HOUR, NOW, TENANT } from '../../testing/email-commands';
import { CancelEmailCommand } from './cancel-email.command';
import type { EditEmailDto } from '../dto/edit-email.dto';
import { EditEmailCommand } from './edit-email.command';
import { toEmailEdit } from './email-edit.request';

const LATER = '2030-01-01T11:00:00.000Z';
const LATER_STILL = '2030-01-01T12:00:00.000Z';

describe('EditEmailHandler', () => {
  let commands: EmailCommands;
  let emailId: string;
  const reschedule = (sendAt: string, ifMatch?: number, tenantId = TENANT) =>
    commands.execute<EmailWriteResult>(
      new EditEmailCommand(emailId, tenantId, { reschedule: { sendAt } }, ifMatch),
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
      new EditEmailCommand(emailId, TENANT, {
        reschedule: { sendAt: '2030-01-01T18:00', timeZone: 'Asia/Kolkata' },
      }),
    );
    expect(result).toMatchObject({ sendAt: '2030-01-01T12:30:00.000Z', revision: 1 });
    await expect(
      commands.execute(
        new EditEmailCommand(emailId, TENANT, {
          reschedule: { sendAt: '2030-01-01T13:00', timeZone: 'Asia/Kolkatta' },
        }),
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

  describe('content', () => {
    const edit = (changes: ContentChanges, sendAt?: string, ifMatch?: number) =>
      commands.execute<EmailWriteResult>(
        new EditEmailCommand(
          emailId,
          TENANT,
          { changes, ...(sendAt === undefined ? {} : { reschedule: { sendAt } }) },
          ifMatch,
        ),
      );

    it('appends EmailContentEdited with what changed and what a null removed', async () => {
      await edit({ metadata: { campaign: 'spring' }, headers: { 'X-A': '1' } });
      const result = await edit({ subject: 'New', metadata: null, headers: { 'X-A': '1' } });
      expect(result).toMatchObject({ revision: 2 });
      const events = await commands.events(emailId);
      expect(events[2]?.data).toEqual({
        editedAt: NOW,
        changes: { subject: 'New' },
        removed: ['metadata'],
        dueAt: IN_AN_HOUR,
      });
    });

    it('a time and content in one request: both events in one append, the edit due at the new time', async () => {
      const result = await edit({ subject: 'Moved' }, LATER, 0);
      expect(result).toMatchObject({ revision: 2, sendAt: LATER });
      const events = await commands.events(emailId);
      expect(events.map((e) => e.type)).toEqual([
        'EmailScheduled',
        'EmailRescheduled',
        'EmailContentEdited',
      ]);
      expect(events[2]?.data).toMatchObject({ changes: { subject: 'Moved' }, dueAt: LATER });
    });

    it('all or nothing: a bad part refuses the time with it, a stale If-Match refuses both', async () => {
      await expect(edit({ headers: { From: 'x@evil.example' } }, LATER)).rejects.toMatchObject({
        issues: [expect.objectContaining({ field: 'headers.From' })],
      });
      await expect(edit({ subject: 'Moved' }, LATER, 7)).rejects.toBeInstanceOf(
        PreconditionFailedException,
      );
      expect(await types()).toEqual(['EmailScheduled']);
    });

    it('an edit that changes nothing appends nothing and answers the email as it stands', async () => {
      expect(await edit({ subject: 'Hi' })).toMatchObject({ revision: 0, status: 'scheduled' });
      expect(await types()).toEqual(['EmailScheduled']);
    });

    it('refuses a cancelled email (409)', async () => {
      await commands.execute(new CancelEmailCommand(emailId, TENANT));
      await expect(edit({ subject: 'Late' })).rejects.toBeInstanceOf(IllegalStateError);
    });
  });
});

describe('toEmailEdit', () => {
  it.each([null, {}, { variables: null }, { variables: ['x'] }])(
    'refuses template %j naming template.variables (a null crashed it into a 500)',
    (template) => {
      let fields: unknown;
      try {
        toEmailEdit({ template } as unknown as EditEmailDto);
      } catch (error) {
        fields = (error as { getResponse(): { details: { field: string }[] } })
          .getResponse()
          .details.map((issue) => issue.field);
      }
      expect(fields).toEqual(['template.variables']);
    },
  );
});
