import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { TenantsRepository } from '@app/tenants';
import { AdminOnly } from '../../auth/auth.decorators';
import { PutSenderDomainsDto, senderDomains } from './sender-domains.dto';
import { TenantIdPipe } from './tenant-id.pipe';
import { TenantSettingsList, TenantSettingsView, tenantSettingsView } from './tenant-settings.view';

/**
 * `/v1/admin/tenants`: the domains each tenant's sender keys may send from. A sender's `from` must be
 * at exactly one of them (403 otherwise, and for every `from` while there are none); admin keys may
 * send from any address. A change holds from the next request on; emails already scheduled keep going.
 */
@AdminOnly()
@Controller('v1/admin/tenants')
export class SenderDomainsController {
  constructor(private readonly tenants: TenantsRepository) {}

  /** Every tenant an admin has configured, by id. A tenant not listed has no sender domains. */
  @Get()
  @ApiOkResponse({ type: TenantSettingsList })
  async list(): Promise<TenantSettingsList> {
    return { items: (await this.tenants.list()).map(tenantSettingsView) };
  }

  @Get(':tenantId/sender-domains')
  @ApiOkResponse({ type: TenantSettingsView })
  async get(@Param('tenantId', TenantIdPipe) tenantId: string): Promise<TenantSettingsView> {
    return tenantSettingsView(await this.tenants.get(tenantId));
  }

  /** Replaces the tenant's sender domains (at most 100; lower-cased, duplicates dropped). */
  @Put(':tenantId/sender-domains')
  @ApiOkResponse({ type: TenantSettingsView })
  async put(
    @Param('tenantId', TenantIdPipe) tenantId: string,
    @Body() body: PutSenderDomainsDto,
  ): Promise<TenantSettingsView> {
    return tenantSettingsView(await this.tenants.putSenderDomains(tenantId, senderDomains(body)));
  }
}
