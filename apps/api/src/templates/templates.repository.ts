import type { Pool, PoolClient } from 'pg';
import { decodeCursor, encodeCursor } from '@app/read-model';
import { migrateSchema } from '@app/schema-migrations';
import { TEMPLATES_MIGRATIONS, TEMPLATES_SCHEMA } from './templates.migrations';

export type VersionStatus = 'draft' | 'published';

/** What a version says; text and html are null when absent. */
export interface VersionSource {
  readonly subject: string;
  readonly text: string | null;
  readonly html: string | null;
}

export interface TemplateRow {
  readonly id: string;
  readonly tenant_id: string;
  readonly name: string;
  readonly created_at: Date;
  readonly updated_at: Date;
  /** The highest version number, draft or not. */
  readonly latest_version: number;
  /** The highest published one; null while none is. */
  readonly published_version: number | null;
}

export interface VersionRow extends VersionSource {
  readonly template_id: string;
  readonly version: number;
  readonly status: VersionStatus;
  readonly created_at: Date;
  readonly published_at: Date | null;
}

/** Why a draft edit or a publish changed nothing: no such version, or it is published already. */
export type DraftRefusal = 'not-found' | 'published';

const TEMPLATE_COLUMNS = `t.id, t.tenant_id, t.name, t.created_at, t.updated_at,
  (SELECT max(version) FROM templates.versions v WHERE v.template_id = t.id) AS latest_version,
  (SELECT max(version) FROM templates.versions v
    WHERE v.template_id = t.id AND v.status = 'published') AS published_version`;

const VERSION_COLUMNS = `template_id, version, status, subject, text, html, created_at, published_at`;

/** `templates.*` in Postgres. Every read and write names the tenant: another tenant's template is not found. */
export class TemplatesRepository {
  constructor(private readonly pool: Pool) {}

  /** Creates or updates the schema; the api runs it at start. */
  migrate(): Promise<void> {
    return migrateSchema(this.pool, TEMPLATES_SCHEMA, TEMPLATES_MIGRATIONS);
  }

  /** The template with version 1 as a draft, in one transaction. */
  async create(
    id: string,
    tenantId: string,
    name: string,
    source: VersionSource,
  ): Promise<TemplateRow> {
    return this.transaction(async (client) => {
      await client.query(
        `INSERT INTO templates.templates (id, tenant_id, name) VALUES ($1, $2, $3)`,
        [id, tenantId, name],
      );
      await client.query(
        `INSERT INTO templates.versions (template_id, version, status, subject, text, html)
         VALUES ($1, 1, 'draft', $2, $3, $4)`,
        [id, source.subject, source.text, source.html],
      );
      const { rows } = await client.query<TemplateRow>(
        `SELECT ${TEMPLATE_COLUMNS} FROM templates.templates t WHERE t.id = $1`,
        [id],
      );
      return rows[0] as TemplateRow;
    });
  }

  async get(tenantId: string, id: string): Promise<TemplateRow | undefined> {
    const { rows } = await this.pool.query<TemplateRow>(
      `SELECT ${TEMPLATE_COLUMNS} FROM templates.templates t
        WHERE t.id = $1 AND t.tenant_id = $2 AND t.deleted_at IS NULL`,
      [id, tenantId],
    );
    return rows[0];
  }

  /** Newest first, `limit` at a time; undefined for a cursor that is not one. */
  async list(
    tenantId: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ items: TemplateRow[]; nextCursor: string | null } | undefined> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && after === undefined) return undefined;
    const values: unknown[] = [tenantId];
    let keyset = '';
    if (after !== undefined) {
      values.push(after.sendAt, after.id);
      keyset = `AND (t.created_at, t.id) < ($2::timestamptz, $3::uuid)`;
    }
    values.push(limit + 1);
    const { rows } = await this.pool.query<TemplateRow & { cursor_at: string }>(
      `SELECT ${TEMPLATE_COLUMNS},
              to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
         FROM templates.templates t
        WHERE t.tenant_id = $1 AND t.deleted_at IS NULL ${keyset}
        ORDER BY t.created_at DESC, t.id DESC LIMIT $${values.length}`,
      values,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ cursor_at: _, ...row }) => row),
      // The keyset is (created_at, id), in the same form as the email list's (send_at, id).
      nextCursor:
        rows.length > limit && last ? encodeCursor({ sendAt: last.cursor_at, id: last.id }) : null,
    };
  }

  /** A live template's versions, oldest first. */
  async versions(templateId: string): Promise<VersionRow[]> {
    const { rows } = await this.pool.query<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM templates.versions WHERE template_id = $1 ORDER BY version`,
      [templateId],
    );
    return rows;
  }

  async version(
    tenantId: string,
    templateId: string,
    version: number,
  ): Promise<VersionRow | undefined> {
    const { rows } = await this.pool.query<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM templates.versions v
        WHERE template_id = $1 AND version = $2
          AND EXISTS (SELECT 1 FROM templates.templates t
                       WHERE t.id = v.template_id AND t.tenant_id = $3 AND t.deleted_at IS NULL)`,
      [templateId, version, tenantId],
    );
    return rows[0];
  }

  /** The highest published version of a live template; undefined when none is. */
  async latestPublished(tenantId: string, templateId: string): Promise<VersionRow | undefined> {
    const { rows } = await this.pool.query<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM templates.versions v
        WHERE template_id = $1 AND status = 'published'
          AND EXISTS (SELECT 1 FROM templates.templates t
                       WHERE t.id = v.template_id AND t.tenant_id = $2 AND t.deleted_at IS NULL)
        ORDER BY version DESC LIMIT 1`,
      [templateId, tenantId],
    );
    return rows[0];
  }

  /** A new draft numbered after the highest; undefined when the template is not the tenant's or is deleted. */
  async addVersion(
    tenantId: string,
    templateId: string,
    source: VersionSource,
  ): Promise<VersionRow | undefined> {
    return this.transaction(async (client) => {
      // The row lock orders concurrent additions, so each takes the next number.
      const { rowCount } = await client.query(
        `UPDATE templates.templates SET updated_at = now()
          WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL`,
        [templateId, tenantId],
      );
      if (rowCount === 0) return undefined;
      const { rows } = await client.query<VersionRow>(
        `INSERT INTO templates.versions (template_id, version, status, subject, text, html)
         SELECT $1, coalesce(max(version), 0) + 1, 'draft', $2, $3, $4
           FROM templates.versions WHERE template_id = $1
         RETURNING ${VERSION_COLUMNS}`,
        [templateId, source.subject, source.text, source.html],
      );
      return rows[0];
    });
  }

  /** Replaces a draft's parts; a published version is refused here and by the table's trigger. */
  async updateDraft(
    tenantId: string,
    templateId: string,
    version: number,
    source: VersionSource,
  ): Promise<VersionRow | DraftRefusal> {
    return this.changeDraft(tenantId, templateId, version, `subject = $4, text = $5, html = $6`, [
      source.subject,
      source.text,
      source.html,
    ]);
  }

  async publish(
    tenantId: string,
    templateId: string,
    version: number,
  ): Promise<VersionRow | DraftRefusal> {
    return this.changeDraft(
      tenantId,
      templateId,
      version,
      `status = 'published', published_at = now()`,
      [],
    );
  }

  /** Gone for new emails and lists; its versions stay, as emails scheduled from them may be audited. */
  async delete(tenantId: string, templateId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE templates.templates SET deleted_at = now(), updated_at = now()
        WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL`,
      [templateId, tenantId],
    );
    return rowCount === 1;
  }

  private async changeDraft(
    tenantId: string,
    templateId: string,
    version: number,
    assignments: string,
    values: readonly unknown[],
  ): Promise<VersionRow | DraftRefusal> {
    return this.transaction(async (client) => {
      const { rows } = await client.query<VersionRow>(
        `UPDATE templates.versions v SET ${assignments}
          WHERE template_id = $1 AND version = $2 AND status = 'draft'
            AND EXISTS (SELECT 1 FROM templates.templates t
                         WHERE t.id = v.template_id AND t.tenant_id = $3 AND t.deleted_at IS NULL)
          RETURNING ${VERSION_COLUMNS}`,
        [templateId, version, tenantId, ...values],
      );
      const changed = rows[0];
      if (changed === undefined) {
        return (await this.version(tenantId, templateId, version)) ? 'published' : 'not-found';
      }
      await client.query(`UPDATE templates.templates SET updated_at = now() WHERE id = $1`, [
        templateId,
      ]);
      return changed;
    });
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }
}
