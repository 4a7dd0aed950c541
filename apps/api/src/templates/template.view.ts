import { ApiProperty } from '@nestjs/swagger';
import type { TemplateRow, VersionRow } from './templates.repository';

// Response views: classes only so that OpenAPI can describe them (the swagger plugin reads the `.view.ts`
// files at `nest build`); the api answers with plain objects of these shapes.

export class TemplateVersionView {
  readonly templateId!: string;
  readonly version!: number;
  /** A published version never changes; emails pin one when scheduled. */
  @ApiProperty({ enum: ['draft', 'published'], enumName: 'TemplateVersionStatus' })
  readonly status!: 'draft' | 'published';
  readonly subject!: string;
  readonly text!: string | null;
  readonly html!: string | null;
  readonly createdAt!: string;
  readonly publishedAt!: string | null;
}

export class TemplateView {
  readonly id!: string;
  readonly name!: string;
  /** The highest version number, draft or published. */
  readonly latestVersion!: number;
  /** What scheduling without a version uses; null until one is published. */
  readonly publishedVersion!: number | null;
  readonly createdAt!: string;
  readonly updatedAt!: string;
}

/** `GET /v1/templates/:id`, `POST /v1/templates`. */
export class TemplateDetailView extends TemplateView {
  @ApiProperty({ type: [TemplateVersionView] })
  readonly versions!: readonly TemplateVersionView[];
}

/** `GET /v1/templates`: newest first. */
export class TemplatePage {
  @ApiProperty({ type: [TemplateView] })
  readonly items!: readonly TemplateView[];
  readonly nextCursor!: string | null;
}

/** `POST /v1/templates/:id/preview`: what an email would say; parts the version lacks are absent. */
export class TemplatePreviewView {
  readonly subject!: string;
  readonly text?: string;
  readonly html?: string;
}

export function toTemplateView(row: TemplateRow): TemplateView {
  return {
    id: row.id,
    name: row.name,
    latestVersion: row.latest_version,
    publishedVersion: row.published_version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toVersionView(row: VersionRow): TemplateVersionView {
  return {
    templateId: row.template_id,
    version: row.version,
    status: row.status,
    subject: row.subject,
    text: row.text,
    html: row.html,
    createdAt: row.created_at.toISOString(),
    publishedAt: row.published_at === null ? null : row.published_at.toISOString(),
  };
}
