import { Type } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

export const DEFAULT_TEMPLATE_PAGE_SIZE = 50;
export const MAX_TEMPLATE_PAGE_SIZE = 100;

/**
 * A version's parts, Liquid source (docs/adr/0010-templates-liquid.md): `{{ name }}` placeholders, `if`,
 * `for`, filters; no include, render or layout. Subject at most 2,000 characters, text and html 256 kB each;
 * at least one of text and html. Syntax is checked when saved (400 naming the part).
 */
export class TemplateVersionDto {
  @IsString()
  @IsNotEmpty()
  subject!: string;

  /** Null or absent: no text part (on PATCH, null removes it and absent keeps it). */
  @IsOptional()
  @IsString()
  text?: string | null;

  /** Variables are HTML-escaped here. Null or absent as for text. */
  @IsOptional()
  @IsString()
  html?: string | null;
}

export class CreateTemplateDto extends TemplateVersionDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
}

/** A draft's changes: the parts given replace the draft's. */
export class UpdateTemplateVersionDto {
  /** Absent: unchanged; null is refused (IsOptional would let it through). */
  @ValidateIf((_dto: unknown, value: unknown) => value !== undefined)
  @IsString()
  @IsNotEmpty()
  subject?: string;

  @IsOptional()
  @IsString()
  text?: string | null;

  @IsOptional()
  @IsString()
  html?: string | null;
}

export class PreviewTemplateDto {
  /** Any version, drafts too; absent: the latest published one. */
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}

/** `GET /v1/templates`. */
export class ListTemplatesQueryDto {
  /** The previous page's `nextCursor`. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  /** 1–100, default 50. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_TEMPLATE_PAGE_SIZE)
  limit?: number;
}
