import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { TenantsRepository } from '@app/tenants';
import { AdminOnly } from '../../auth/auth.decorators';
import { EmailQuotas } from '../../quotas/email-quotas';
import { TenantIdPipe } from './tenant-id.pipe';
import { TenantLimitsDto } from './tenant-limits.dto';
import { TenantLimitsView } from './tenant-limits.view';

/** `/v1/admin/tenants/:tenantId/limits`: a tenant's limit overrides, and its limits in effect with usage. */
@AdminOnly()
@Controller('v1/admin/tenants/:tenantId/limits')
export class TenantLimitsController {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly quotas: EmailQuotas,
  ) {}

  @Get()
  @ApiOkResponse({ type: TenantLimitsView })
  async get(@Param('tenantId', TenantIdPipe) tenantId: string): Promise<TenantLimitsView> {
    return this.view(tenantId);
  }

  /**
   * Replaces the tenant's overrides (a limit left out takes the default). The api applies them from its next
   * request; the workers within their settings cache (30 s).
   */
  @Put()
  @ApiOkResponse({ type: TenantLimitsView })
  async put(
    @Param('tenantId', TenantIdPipe) tenantId: string,
    @Body() body: TenantLimitsDto,
  ): Promise<TenantLimitsView> {
    await this.tenants.putLimits(tenantId, { ...body });
    return this.view(tenantId);
  }

  private async view(tenantId: string): Promise<TenantLimitsView> {
    const [{ own }, limits] = await Promise.all([
      this.quotas.limits(tenantId),
      this.quotas.usage(tenantId),
    ]);
    return { tenantId, overrides: own, limits };
  }
}
