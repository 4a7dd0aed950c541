import { Injectable, type PipeTransform } from '@nestjs/common';
import { isReservedTenantId } from '@app/tenants';
import { TENANT_ID_PATTERN, TENANT_REASON } from '../../auth/principal';
import { validationFailed } from '../../common/validation';

/**
 * `:tenantId` of `/v1/admin/tenants/...`: a tenant id (400 naming `tenantId` otherwise), and not a
 * reserved one, which no sender key can be minted for and so has nothing to configure.
 */
@Injectable()
export class TenantIdPipe implements PipeTransform<string, string> {
  transform(tenantId: string): string {
    if (!TENANT_ID_PATTERN.test(tenantId)) {
      throw validationFailed([{ field: 'tenantId', reason: TENANT_REASON.message }]);
    }
    if (isReservedTenantId(tenantId)) {
      throw validationFailed([
        { field: 'tenantId', reason: `${tenantId} is reserved for the service itself` },
      ]);
    }
    return tenantId;
  }
}
