import { IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { ROLES, type Role, TENANT_ID_PATTERN } from '../../auth/principal';

/** `POST /v1/admin/api-keys`: a sender key needs its tenant; an admin key may name one. */
export class CreateApiKeyDto {
  @IsIn(ROLES)
  role!: Role;

  @ValidateIf((dto: CreateApiKeyDto) => dto.role === 'sender' || dto.tenantId !== undefined)
  @IsString()
  @Matches(TENANT_ID_PATTERN, { message: 'tenantId must be 1–64 of A-Z a-z 0-9 _ -' })
  tenantId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}
