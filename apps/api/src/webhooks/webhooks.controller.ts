import { randomBytes, randomUUID } from 'node:crypto';
import {
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
} from '@nestjs/swagger';
import { parseInstant } from '@app/domain';
import { APP_CONFIG, type AppConfig } from '@app/platform';
import { isReservedTenantId } from '@app/tenants';
import {
  WEBHOOK_TEST_TYPE,
  checkWebhookUrl,
  newWebhookSecret,
  type WebhookPayload,
} from '@app/webhooks';
import { CurrentPrincipal, type Principal } from '../auth/current-principal.decorator';
import {
  INSTANT_REASON,
  optionalInstant,
  validationFailed,
  type FieldIssue,
} from '../common/validation';
import { decodeDeliveryCursor, encodeDeliveryCursor } from './delivery-cursor';
import {
  DeliveryDetailView,
  DeliveryPage,
  DeliveryView,
  ReplayResultView,
  TestDeliveryView,
  toDeliveryDetailView,
  toDeliveryView,
} from './delivery.view';
import { CreateWebhookDto } from './dto/create-webhook.dto';
import { ReplayWebhookDto } from './dto/replay-webhook.dto';
import { UpdateWebhookDto } from './dto/update-webhook.dto';
import {
  DEFAULT_DELIVERY_PAGE_SIZE,
  ListDeliveriesQueryDto,
  ListWebhooksQueryDto,
} from './dto/webhook-queries.dto';
import { WebhookReplay } from './webhook-replay';
import {
  CreatedWebhookView,
  RotatedWebhookView,
  WebhookList,
  WebhookView,
  toWebhookView,
} from './webhook.view';
import {
  WebhooksRepository,
  deliveryAgain,
  subscriptionOf,
  type EndpointRow,
  type Owner,
} from './webhooks.repository';

/** Endpoints one tenant may have: each one is a fan-out of every event, and a lot of them is a mistake. */
export const MAX_ENDPOINTS_PER_TENANT = 20;
/** The longest range one replay may cover. */
export const MAX_REPLAY_RANGE_MS = 31 * 86_400_000;

const uuid = (field: string): ParseUUIDPipe =>
  new ParseUUIDPipe({
    version: undefined,
    exceptionFactory: () => validationFailed([{ field, reason: 'must be a UUID' }]),
  });

/** A sender key acts within its own tenant only; an admin on any endpoint, by id. */
function ownerOf(principal: Principal): Owner {
  return principal.role === 'admin' ? undefined : principal.tenantId;
}

/**
 * The tenant a request names (`tenantId`, admin keys only), or the key's own. A reserved tenant other than the
 * key's own is refused: no sender key can be minted for it, so it has no emails to be told about.
 */
function tenantOf(principal: Principal, requested: string | undefined): string {
  if (requested === undefined || requested === principal.tenantId) return principal.tenantId;
  if (principal.role !== 'admin') {
    throw validationFailed([
      { field: 'tenantId', reason: 'is for admin keys; a sender key acts on its own tenant' },
    ]);
  }
  if (isReservedTenantId(requested)) {
    throw validationFailed([
      { field: 'tenantId', reason: `${requested} is reserved for the service itself` },
    ]);
  }
  return requested;
}

/**
 * `/v1/webhooks`: a tenant's outcome webhook endpoints (docs/WEBHOOKS.md), their delivery log, retries,
 * replays and test messages. Deliveries are queued here and sent by the dispatcher. Another tenant's endpoint
 * is as unknown as a missing one (404), so its ids tell a sender key nothing.
 */
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly endpoints: WebhooksRepository,
    private readonly replays: WebhookReplay,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 201 with the endpoint and its secret, the only answer besides rotate-secret that shows it. */
  @Post()
  @ApiCreatedResponse({ type: CreatedWebhookView })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateWebhookDto,
  ): Promise<CreatedWebhookView> {
    const tenantId = tenantOf(principal, body.tenantId);
    await this.checkUrl(body.url);
    const row = await this.endpoints.create(
      {
        id: randomUUID(),
        tenantId,
        url: body.url,
        description: body.description ?? null,
        eventTypes: body.events,
        secret: newWebhookSecret(),
      },
      MAX_ENDPOINTS_PER_TENANT,
    );
    if (row === undefined) {
      throw new ConflictException(
        `a tenant has at most ${MAX_ENDPOINTS_PER_TENANT} webhook endpoints; delete one first`,
      );
    }
    return { ...toWebhookView(row), secret: row.secret };
  }

  /** The caller's tenant's endpoints, oldest first (an admin: `?tenantId=` for another tenant's). */
  @Get()
  @ApiOkResponse({ type: WebhookList })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListWebhooksQueryDto,
  ): Promise<WebhookList> {
    const rows = await this.endpoints.list(tenantOf(principal, query.tenantId));
    return { items: rows.map(toWebhookView) };
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookView })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid('id')) id: string,
  ): Promise<WebhookView> {
    return toWebhookView(await this.owned(principal, id));
  }

  /** Changes the fields given. A new url is checked as at creation. */
  @Patch(':id')
  @ApiOkResponse({ type: WebhookView })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid('id')) id: string,
    @Body() body: UpdateWebhookDto,
  ): Promise<WebhookView> {
    if (body.url !== undefined) await this.checkUrl(body.url);
    const row = await this.endpoints.update(id, ownerOf(principal), {
      url: body.url,
      description: body.description,
      eventTypes: body.events,
      enabled: body.enabled,
    });
    if (row === undefined) throw notFound();
    return toWebhookView(row);
  }

  /** 204; its deliveries and their attempts go with it. */
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid('id')) id: string,
  ): Promise<void> {
    if (!(await this.endpoints.delete(id, ownerOf(principal)))) throw notFound();
  }

  /**
   * A new secret, shown this once. Deliveries are signed by both the new and the previous secret until
   * `previousSecretExpiresAt` (WEBHOOK_SECRET_OVERLAP, default 24 h), so receivers can switch without losing
   * one. Only one previous secret is kept: rotating again inside the overlap ends the older one at once.
   */
  @Post(':id/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: RotatedWebhookView })
  async rotateSecret(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid('id')) id: string,
  ): Promise<RotatedWebhookView> {
    const row = await this.endpoints.rotateSecret(
      id,
      ownerOf(principal),
      newWebhookSecret(),
      this.config.webhooks.secretOverlapMs,
    );
    if (row === undefined || row.previous_secret_expires_at === null) throw notFound();
    return {
      ...toWebhookView(row),
      secret: row.secret,
      previousSecretExpiresAt: row.previous_secret_expires_at.toISOString(),
    };
  }

  /** The delivery log, newest first; keyset paging by (createdAt, id). */
  @Get(':id/deliveries')
  @ApiOkResponse({ type: DeliveryPage })
  async deliveries(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid('id')) id: string,
    @Query() query: ListDeliveriesQueryDto,
  ): Promise<DeliveryPage> {
    const after = query.cursor === undefined ? undefined : decodeDeliveryCursor(query.cursor);
    if (query.cursor !== undefined && after === undefined) {
      throw validationFailed([{ field: 'cursor', reason: 'is not a cursor this api returned' }]);
    }
    const endpoint = await this.owned(principal, id);
    const limit = query.limit ?? DEFAULT_DELIVERY_PAGE_SIZE;
    const rows = await this.endpoints.deliveries(
      endpoint.id,
      { status: query.status, after },
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toDeliveryView),
      nextCursor:
        rows.length > limit && last !== undefined
          ? encodeDeliveryCursor({ createdAt: last.created_at_text, id: last.id })
          : null,
    };
  }

  /** One delivery with its attempt log and the payload it sends. */
  @Get(':id/deliveries/:deliveryId')
  @ApiOkResponse({ type: DeliveryDetailView })
  async delivery(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid('id')) id: string,
    @Param('deliveryId', uuid('deliveryId')) deliveryId: string,
  ): Promise<DeliveryDetailView> {
    const endpoint = await this.owned(principal, id);
    const row = await this.endpoints.delivery(endpoint.id, deliveryId);
    if (row === undefined) throw notFound('delivery');
    return toDeliveryDetailView(row, await this.endpoints.attempts(row.id));
  }

  /**
   * 202: the delivery is pending and due now whatever its status (a delivered one is sent again), with the
   * same `webhook-id` and payload; its attempt log is kept and goes on counting.
   */
  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: DeliveryView })
  async retry(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid('id')) id: string,
    @Param('deliveryId', uuid('deliveryId')) deliveryId: string,
  ): Promise<DeliveryView> {
    const endpoint = await this.owned(principal, id);
    const row = await this.endpoints.delivery(endpoint.id, deliveryId);
    if (row === undefined) throw notFound('delivery');
    await this.endpoints.enqueue([deliveryAgain(endpoint.id, row)], { existing: 'again' });
    const queued = await this.endpoints.delivery(endpoint.id, deliveryId);
    // Deleted with its endpoint in between: as gone as if it had never been.
    if (queued === undefined) throw notFound('delivery');
    return toDeliveryView(queued);
  }

  /**
   * 202: sends the endpoint's subscribed messages of its tenant's events recorded in [since, until] again
   * (until: default now; at most 31 days). At most 10,000 messages a call, the earliest first: past that,
   * `truncated` and `nextSince`, the `since` of the next call.
   */
  @Post(':id/replay')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: ReplayResultView })
  async replay(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid('id')) id: string,
    @Body() body: ReplayWebhookDto,
  ): Promise<ReplayResultView> {
    const { since, until } = replayRange(body, Date.now());
    const endpoint = await this.owned(principal, id);
    const outcome = await this.replays.replay(subscriptionOf(endpoint), { since, until });
    return {
      queued: outcome.queued,
      since: since.toISOString(),
      until: until.toISOString(),
      ...(outcome.nextSince === undefined
        ? {}
        : { truncated: true, nextSince: outcome.nextSince.toISOString() }),
    };
  }

  /**
   * 202: queues a signed `webhook.test` message (`data.webhookId`: this endpoint), a fresh `webhook-id` each
   * time. It is delivered like any other, and not while the endpoint is disabled.
   */
  @Post(':id/test')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: TestDeliveryView })
  async test(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid('id')) id: string,
  ): Promise<TestDeliveryView> {
    const endpoint = await this.owned(principal, id);
    const messageId = `msg_${randomBytes(16).toString('hex')}`;
    const at = new Date();
    const payload: WebhookPayload = {
      type: WEBHOOK_TEST_TYPE,
      id: messageId,
      timestamp: at.toISOString(),
      data: { webhookId: endpoint.id },
    };
    await this.endpoints.enqueue(
      [
        {
          endpointId: endpoint.id,
          messageId,
          eventType: WEBHOOK_TEST_TYPE,
          emailId: null,
          position: null,
          eventAt: at,
          payload: JSON.stringify(payload),
        },
      ],
      { existing: 'keep' },
    );
    const queued = await this.endpoints.deliveryByMessage(endpoint.id, messageId);
    if (queued === undefined) throw notFound();
    return { deliveryId: queued.id, messageId };
  }

  private async owned(principal: Principal, id: string): Promise<EndpointRow> {
    const endpoint = await this.endpoints.get(id, ownerOf(principal));
    if (endpoint === undefined) throw notFound();
    return endpoint;
  }

  /** The SSRF policy at the door: http(s), no credentials, a host resolving to allowed addresses only. */
  private async checkUrl(url: string): Promise<void> {
    const check = await checkWebhookUrl(url, {
      allowPrivateNetworks: this.config.webhooks.allowPrivateNetworks,
    });
    if (!check.ok) throw validationFailed([{ field: 'url', reason: check.reason }]);
  }
}

function notFound(what: 'webhook' | 'delivery' = 'webhook'): NotFoundException {
  return new NotFoundException(`no such ${what}`);
}

/** The replay's instants: since ≤ until ≤ now, at most 31 days apart; 400 naming each bad one. */
function replayRange(body: ReplayWebhookDto, nowMs: number): { since: Date; until: Date } {
  const issues: FieldIssue[] = [];
  const sinceMs = parseInstant(body.since);
  if (sinceMs === undefined) issues.push({ field: 'since', reason: INSTANT_REASON });
  const untilMs = optionalInstant(body.until, 'until', issues) ?? nowMs;
  if (issues.length === 0 && sinceMs !== undefined) {
    if (untilMs > nowMs) issues.push({ field: 'until', reason: 'must not be in the future' });
    else if (sinceMs > untilMs) issues.push({ field: 'since', reason: 'must not be after until' });
    else if (untilMs - sinceMs > MAX_REPLAY_RANGE_MS) {
      issues.push({ field: 'since', reason: 'must be at most 31 days before until' });
    }
  }
  if (issues.length > 0 || sinceMs === undefined) throw validationFailed(issues);
  return { since: new Date(sinceMs), until: new Date(untilMs) };
}
