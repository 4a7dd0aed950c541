// The api's command side in a unit spec: the schedule, batch, reschedule and cancel handlers behind Nest's
// CommandBus, as EmailsModule wires them, with adapters swapped by provider: an in-memory event store
// (whose whole-stream reads can be made to meet, MeetingStore), a clock that moves only when told,
// tenant settings that give TENANT the sender domain acme.example, quotas that never bind, no templates, and
// attachment bytes kept in memory.
import { CommandBus, CqrsModule, type ICommand } from '@nestjs/cqrs';
import { Test, type TestingModule } from '@nestjs/testing';
import { AttachmentStore } from '@app/attachments';
import { EmailStreams, emailStreamName } from '@app/email-streams';
import type { RecordedEvent } from '@app/event-store';
import { EVENT_STORE } from '@app/platform';
import { TenantsRepository, unconfiguredTenant, type TenantSettings } from '@app/tenants';
import { InMemoryEventStore, MeetingPoint, MeetingStore } from '@app/testing';
import { BatchesRepository, type BatchMember } from '../batches/batches.repository';
import { Clock } from '../emails/clock';
import { EMAIL_COMMAND_HANDLERS } from '../emails/commands/email-command-handlers';
import type { ScheduleEmailResult } from '../emails/commands/email-scheduling';
import { scheduleItem } from '../emails/commands/idempotency';
import { type Requester, ScheduleEmailCommand } from '../emails/commands/schedule-email.command';
import { EmailQuotas } from '../quotas/email-quotas';
import { TemplateRendering } from '../templates/template-rendering';
import { TemplatesRepository } from '../templates/templates.repository';

/** The clock's reading when a spec begins. */
export const NOW = '2030-01-01T09:00:00.000Z';
/** An hour after NOW: a valid sendAt. */
export const IN_AN_HOUR = '2030-01-01T10:00:00.000Z';
export const TENANT = 'tenant-acme';
/** A sender key of TENANT, which may send from acme.example. */
export const SENDER: Requester = { tenantId: TENANT, role: 'sender' };

/** TenantsRepository's read, from memory: TENANT has acme.example, every other tenant nothing. */
export class MemoryTenants implements Pick<TenantsRepository, 'get'> {
  readonly senderDomains = new Map<string, readonly string[]>([[TENANT, ['acme.example']]]);
  /** How many times the settings were read. */
  reads = 0;

  get(tenantId: string): Promise<TenantSettings> {
    this.reads += 1;
    return Promise.resolve({
      ...unconfiguredTenant(tenantId),
      senderDomains: this.senderDomains.get(tenantId) ?? [],
    });
  }
}

/** Clock's one method, answering `at` until a spec moves it. */
export class StillClock {
  at = NOW;

  now(): string {
    return this.at;
  }
}

/** No tenant has templates here: templated scheduling is templates.int-spec.ts's, against Postgres. */
const NO_TEMPLATES: Pick<TemplatesRepository, 'get' | 'version' | 'latestPublished'> = {
  get: () => Promise.resolve(undefined),
  version: () => Promise.resolve(undefined),
  latestPublished: () => Promise.resolve(undefined),
};

const UNLIMITED: Pick<EmailQuotas, 'reserve' | 'release'> = {
  reserve: () => Promise.resolve(undefined),
  release: () => Promise.resolve(),
};

/** The batch membership store's write, in memory: members by batch, in the order recorded. */
export class MemoryBatchMembers implements Pick<BatchesRepository, 'addMembers'> {
  readonly members = new Map<string, BatchMember[]>();

  addMembers(batchId: string, members: readonly BatchMember[]): Promise<void> {
    this.members.set(batchId, [...(this.members.get(batchId) ?? []), ...members]);
    return Promise.resolve();
  }
}

/** The attachment store's write, in memory: what each email stored, by (tenant, email) id. */
export class MemoryAttachments implements Pick<AttachmentStore, 'put'> {
  readonly stored = new Map<string, ReadonlyMap<string, Buffer>>();

  put(tenantId: string, emailId: string, files: ReadonlyMap<string, Buffer>): Promise<void> {
    this.stored.set(`${tenantId}/${emailId}`, files);
    return Promise.resolve();
  }
}

export class EmailCommands {
  private constructor(
    private readonly moduleRef: TestingModule,
    readonly store: MeetingStore,
    readonly clock: StillClock,
    readonly tenants: MemoryTenants,
    readonly batchMembers: MemoryBatchMembers,
    readonly attachments: MemoryAttachments,
  ) {}

  static async start(): Promise<EmailCommands> {
    const store = new MeetingStore(new InMemoryEventStore());
    const clock = new StillClock();
    const tenants = new MemoryTenants();
    const batchMembers = new MemoryBatchMembers();
    const attachments = new MemoryAttachments();
    const moduleRef = await Test.createTestingModule({
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: Clock, useValue: clock },
        { provide: TenantsRepository, useValue: tenants },
        // No quota binds here: the quotas are Redis's and the read model's (quotas.int-spec.ts).
        { provide: EmailQuotas, useValue: UNLIMITED },
        { provide: BatchesRepository, useValue: batchMembers },
        { provide: TemplatesRepository, useValue: NO_TEMPLATES },
        TemplateRendering,
        { provide: AttachmentStore, useValue: attachments },
        EmailStreams,
        ...EMAIL_COMMAND_HANDLERS,
      ],
    }).compile();
    // Registers the handlers with the bus.
    await moduleRef.init();
    return new EmailCommands(moduleRef, store, clock, tenants, batchMembers, attachments);
  }

  execute<R>(command: ICommand): Promise<R> {
    return this.moduleRef.get(CommandBus).execute<ICommand, R>(command);
  }

  /** Schedules an ordinary email of the tenant, due IN_AN_HOUR; answers its id. */
  async scheduleEmail(): Promise<string> {
    const item = scheduleItem(
      TENANT,
      {
        from: 'a@acme.example',
        to: 'b@example.com',
        subject: 'Hi',
        text: 'Hi',
        sendAt: IN_AN_HOUR,
      },
      undefined,
    );
    const { id } = await this.execute<ScheduleEmailResult>(new ScheduleEmailCommand(SENDER, item));
    return id;
  }

  /** The email's stream as stored; none when it has no events. */
  events(emailId: string): Promise<RecordedEvent[]> {
    return this.moduleRef.get(EmailStreams).read(emailId);
  }

  /** The next `racers` whole reads of the email's stream wait for each other: they decide on one revision. */
  meet(emailId: string, racers: number): void {
    this.store.meeting = new MeetingPoint(emailStreamName(emailId), racers);
  }

  close(): Promise<void> {
    return this.moduleRef.close();
  }
}
