import { UnprocessableEntityException } from '@nestjs/common';
import { ForbiddenError, ValidationError } from '@app/domain';
import { EmailCommands, IN_AN_HOUR, NOW, SENDER, TENANT } from '../../testing/email-commands';
import type { ScheduleEmailResult } from './email-scheduling';
import { scheduleItem } from './idempotency';
import {
  type Requester,
  ScheduleEmailCommand,
  type ScheduleEmailInput,
} from './schedule-email.command';

const input: ScheduleEmailInput = {
  from: 'Acme Billing <billing@acme.example>',
  to: ['jane@example.com'],
  subject: 'Your invoice',
  text: 'Please find your invoice attached.',
  sendAt: IN_AN_HOUR,
};

describe('ScheduleEmailHandler', () => {
  let commands: EmailCommands;
  const schedule = (
    body: ScheduleEmailInput = input,
    idempotencyKey?: string,
    requester: Requester = SENDER,
  ): Promise<ScheduleEmailResult> =>
    commands.execute(
      new ScheduleEmailCommand(requester, scheduleItem(requester.tenantId, body, idempotencyKey)),
    );

  beforeEach(async () => {
    commands = await EmailCommands.start();
  });
  afterEach(() => commands.close());

  it('appends EmailScheduled at revision 0, stamped with the clock, and answers the new email', async () => {
    const result = await schedule();
    expect(result).toMatchObject({
      status: 'scheduled',
      sendAt: IN_AN_HOUR,
      revision: 0,
      created: true,
    });
    const events = await commands.events(result.id);
    expect(events.map((e) => [e.type, e.revision])).toEqual([['EmailScheduled', 0]]);
    expect(events[0]?.data).toMatchObject({
      emailId: result.id,
      tenantId: TENANT,
      from: { address: 'billing@acme.example', name: 'Acme Billing' },
      scheduledAt: NOW,
      sendAt: IN_AN_HOUR,
    });
    expect(events[0]?.metadata).toMatchObject({ tenantId: TENANT, schemaVersion: 1 });
    expect(events[0]?.metadata.correlationId).toEqual(expect.any(String));
  });

  it("sends a sendAt in the past at once: the clock's now", async () => {
    commands.clock.at = '2030-01-01T12:00:00.000Z';
    const result = await schedule();
    expect(result.sendAt).toBe('2030-01-01T12:00:00.000Z');
  });

  it('refuses what the domain refuses, naming the field, and writes nothing', async () => {
    const item = scheduleItem(TENANT, { ...input, to: ['not an address'] }, undefined);
    const refused = commands.execute(new ScheduleEmailCommand(SENDER, item));
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ issues: [{ field: 'to[0]' }] });
    expect(await commands.events(item.emailId)).toEqual([]);
  });

  describe("the tenant's sender identity", () => {
    it("refuses a sender a from outside its tenant's domains: 403 naming from, nothing written", async () => {
      const item = scheduleItem(TENANT, { ...input, from: 'ceo@globex.example' }, undefined);
      const refused = commands.execute(new ScheduleEmailCommand(SENDER, item));
      await expect(refused).rejects.toBeInstanceOf(ForbiddenError);
      await expect(refused).rejects.toMatchObject({ issue: { field: 'from' } });
      expect(await commands.events(item.emailId)).toEqual([]);
    });

    it('refuses every from while the tenant has no sender domains', async () => {
      commands.tenants.senderDomains.delete(TENANT);
      await expect(schedule()).rejects.toMatchObject({
        issue: {
          field: 'from',
          reason: expect.stringContaining('no sender domains configured') as unknown,
        },
      });
    });

    it('lets an admin send from any address, whatever its tenant has configured', async () => {
      const result = await schedule({ ...input, from: 'ceo@globex.example' }, undefined, {
        tenantId: TENANT,
        role: 'admin',
      });
      expect(result.created).toBe(true);
    });
  });

  describe('with an Idempotency-Key', () => {
    it('answers a repeat of the same request with the same email, created false, and appends nothing', async () => {
      const first = await schedule(input, 'order-42');
      commands.clock.at = '2030-01-01T09:05:00.000Z';
      // The same body in another key order is the same request.
      const reordered = Object.fromEntries(Object.entries(input).reverse()) as ScheduleEmailInput;
      const again = await schedule(reordered, 'order-42');
      expect(again).toEqual({ ...first, created: false });
      expect(await commands.events(first.id)).toHaveLength(1);
    });

    it('refuses the key with another body: 422, and the email stays as it was', async () => {
      const first = await schedule(input, 'order-43');
      await expect(schedule({ ...input, subject: 'Another' }, 'order-43')).rejects.toBeInstanceOf(
        UnprocessableEntityException,
      );
      const events = await commands.events(first.id);
      expect(events.map((e) => e.data.subject)).toEqual(['Your invoice']);
    });

    it("is the tenant's own: another tenant's same key is another email", async () => {
      const acme = await schedule(input, 'shared-key');
      const globex = await schedule(input, 'shared-key', {
        tenantId: 'tenant-globex',
        role: 'admin',
      });
      expect(globex.id).not.toBe(acme.id);
      expect(globex.created).toBe(true);
    });

    it('turns 20 racing identical requests into one email: one created, the others its repeat', async () => {
      const emailId = scheduleItem(TENANT, input, 'race').emailId;
      // They all find no stream and decide to create it; the first append wins, the others go round again.
      const results = await Promise.all(Array.from({ length: 20 }, () => schedule(input, 'race')));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.id))).toEqual(new Set([emailId]));
      expect(new Set(results.map((r) => r.revision))).toEqual(new Set([0]));
      expect(await commands.events(emailId)).toHaveLength(1);
    });
  });
});
