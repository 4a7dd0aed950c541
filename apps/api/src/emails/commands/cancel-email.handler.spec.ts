import { PreconditionFailedException } from '@nestjs/common';
import { IllegalStateError, NotFoundError } from '@app/domain';
import type { EmailWriteResult } from '@app/email-streams';
import { EmailCommands, TENANT } from '../../testing/email-commands';
import { CancelEmailCommand } from './cancel-email.command';

describe('CancelEmailHandler', () => {
  let commands: EmailCommands;
  let emailId: string;
  const cancel = (ifMatch?: number, tenantId = TENANT) =>
    commands.execute<EmailWriteResult>(new CancelEmailCommand(emailId, tenantId, ifMatch));
  const types = async (): Promise<string[]> => (await commands.events(emailId)).map((e) => e.type);

  beforeEach(async () => {
    commands = await EmailCommands.start();
    emailId = await commands.scheduleEmail();
  });
  afterEach(() => commands.close());

  it('appends EmailCancelled, stamped with the clock, and answers the cancelled email', async () => {
    commands.clock.at = '2030-01-01T09:30:00.000Z';
    expect(await cancel()).toMatchObject({ id: emailId, status: 'cancelled', revision: 1 });
    const [, cancelled] = await commands.events(emailId);
    expect(cancelled?.data).toEqual({ cancelledAt: '2030-01-01T09:30:00.000Z' });
    expect(cancelled?.metadata).toMatchObject({ tenantId: TENANT });
  });

  it('refuses a second cancel (409), naming the state', async () => {
    await cancel();
    await expect(cancel()).rejects.toBeInstanceOf(IllegalStateError);
    await expect(cancel()).rejects.toMatchObject({ status: 'cancelled' });
    expect(await types()).toEqual(['EmailScheduled', 'EmailCancelled']);
  });

  it('refuses a stale If-Match with 412 and takes the current one', async () => {
    await expect(cancel(1)).rejects.toBeInstanceOf(PreconditionFailedException);
    expect(await types()).toEqual(['EmailScheduled']);
    expect(await cancel(0)).toMatchObject({ status: 'cancelled', revision: 1 });
  });

  it("knows no other tenant's email, nor an unknown one", async () => {
    await expect(cancel(undefined, 'tenant-globex')).rejects.toBeInstanceOf(NotFoundError);
    emailId = '0190c0de-0000-7000-8000-00000000dead';
    await expect(cancel()).rejects.toBeInstanceOf(NotFoundError);
  });
});
