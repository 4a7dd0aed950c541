import { IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

/** `DELETE /v1/admin/sessions`: which sessions to end (admin-sessions.controller.ts). */
export class EndSessionsQueryDto {
  /** One session, by the id the list shows. */
  @IsOptional()
  @IsUUID()
  id?: string;

  /** Every session of one OIDC account: the provider's subject, with `issuer`. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  subject?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  issuer?: string;

  /** Every session signed in with this API key. */
  @IsOptional()
  @IsUUID()
  apiKeyId?: string;
}
