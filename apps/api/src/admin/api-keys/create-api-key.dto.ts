import {
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Validate,
  type ValidationArguments,
  ValidateIf,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { isReservedTenantId } from '@app/tenants';
import { ROLES, type Role, TENANT_ID_PATTERN } from '../../auth/principal';

/**
 * A sender's tenant may not be a reserved one: `admin` is where every admin writes, and the others
 * read as the service itself. Admin keys keep their tenant `admin`.
 */
@ValidatorConstraint({ name: 'notReservedForSenders' })
class NotReservedForSenders implements ValidatorConstraintInterface {
  validate(tenantId: unknown, { object }: ValidationArguments): boolean {
    return (
      (object as CreateApiKeyDto).role !== 'sender' ||
      typeof tenantId !== 'string' ||
      !isReservedTenantId(tenantId)
    );
  }

  defaultMessage(): string {
    return 'tenantId is reserved for the service itself: a sender key needs a tenant of its own';
  }
}

/** `POST /v1/admin/api-keys`: a sender key needs its tenant; an admin key may name one. */
export class CreateApiKeyDto {
  @IsIn(ROLES)
  role!: Role;

  @ValidateIf((dto: CreateApiKeyDto) => dto.role === 'sender' || dto.tenantId !== undefined)
  @IsString()
  @Matches(TENANT_ID_PATTERN, { message: 'tenantId must be 1–64 of A-Z a-z 0-9 _ -' })
  @Validate(NotReservedForSenders)
  tenantId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}
