import type { Migration } from '@app/schema-migrations';

export const TEMPLATES_SCHEMA = 'templates';

/**
 * The numbered migrations of the `templates` schema: a tenant's templates and their versions. Never edit one
 * once released; add the next number.
 */
export const TEMPLATES_MIGRATIONS: readonly Migration[] = [
  {
    version: '001_templates',
    sql: `
      -- 001: templates (/v1/templates) and their versions; an email pins (template id, version) when scheduled.
      CREATE TABLE templates (
        id         uuid        PRIMARY KEY,
        tenant_id  text        NOT NULL CHECK (tenant_id ~ '^[A-Za-z0-9_-]{1,64}$'),
        name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- Set by DELETE: gone for new emails and lists; emails already scheduled carry their rendering.
        deleted_at timestamptz
      );
      -- GET /v1/templates: a tenant's live templates, newest first.
      CREATE INDEX templates_tenant_order ON templates (tenant_id, created_at DESC, id DESC)
        WHERE deleted_at IS NULL;
      CREATE TABLE versions (
        template_id  uuid        NOT NULL REFERENCES templates (id),
        version      integer     NOT NULL CHECK (version >= 1),
        status       text        NOT NULL CHECK (status IN ('draft', 'published')),
        subject      text        NOT NULL,
        text         text,
        html         text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        PRIMARY KEY (template_id, version),
        CHECK ((status = 'published') = (published_at IS NOT NULL))
      );
      -- A published version is what pinned emails were rendered from: the store itself keeps it as it is,
      -- whatever query runs (the api's updates also say WHERE status = 'draft').
      CREATE FUNCTION published_version_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'published' THEN
          RAISE EXCEPTION 'version % of template % is published and cannot change', OLD.version, OLD.template_id
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
      END $$;
      CREATE TRIGGER versions_published_immutable BEFORE UPDATE OR DELETE ON versions
        FOR EACH ROW EXECUTE FUNCTION published_version_is_immutable();`,
  },
];
