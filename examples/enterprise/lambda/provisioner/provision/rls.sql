-- rls.sql: the pooled tenants' tables in the shared Aurora PostgreSQL 15 database (tapgen System B),
-- isolated by row-level security on a per-transaction tenant setting.
--
-- This file is the ONLY copy of this SQL. The Rust renderer ships it as lambda/provision/rls.sql next
-- to index.mjs. On every create/update invocation index.mjs splits it (db-init's splitTemplate: the
-- SPLITTING RULE at the top of db-init/tenant.sql applies here too), fills the placeholders and runs
-- all statements, then the tenant's own row, inside ONE RDS Data API transaction connected as the
-- cluster's master user (rds_superuser + CREATEROLE, owner of the database, not a real superuser).
-- So either everything below holds afterwards or nothing changed; every statement is idempotent.
--
-- How the application uses it: it connects as {{app_role}} and, in every transaction, first runs
--   SELECT set_config('app.tenant_id', $1, true)      (the same as SET LOCAL app.tenant_id = ...)
-- The setting ends with the transaction, so a pooled connection never carries one tenant's id into
-- the next transaction. No setting (or an empty one) matches no row: reads see nothing and every
-- write is refused (fail closed).
--
-- PLACEHOLDERS (filled by index.mjs; the code adds the quotes):
--   {{app_role}}          "saasdb_app"    quoted identifier: the application role, <database>_app
--   {{app_role_literal}}  'saasdb_app'    the same name as a string literal (catalog lookups)

-- 1. Invocations for different tenants run in parallel: one at a time through this DDL (concurrent
-- CREATE TABLE IF NOT EXISTS can still collide on the catalog). Held until the transaction ends.
SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('tapgen:provision:rls'));

-- 2. The application role: may log in, owns nothing, cannot bypass RLS. An existing role with
-- more power than that is refused rather than adopted. Where the rds_iam role exists (Aurora) the
-- application authenticates with IAM tokens, so no database password exists for it at all.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {{app_role_literal}}) THEN
    CREATE ROLE {{app_role}} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT NOREPLICATION NOBYPASSRLS;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {{app_role_literal}}
             AND (rolsuper OR rolbypassrls OR rolreplication OR rolcreaterole OR rolcreatedb)) THEN
    RAISE EXCEPTION 'role % exists with SUPERUSER, BYPASSRLS, REPLICATION, CREATEROLE or CREATEDB; refusing to use it', {{app_role_literal}}
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_auth_members m
             JOIN pg_catalog.pg_roles r ON r.oid = m.member
             JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
             WHERE r.rolname = {{app_role_literal}} AND g.rolname <> 'rds_iam') THEN
    RAISE EXCEPTION 'role % is a member of other roles; refusing to use it', {{app_role_literal}}
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'rds_iam') THEN
    GRANT rds_iam TO {{app_role}};
  END IF;
END
$$;

-- 3. The schema belongs to the deploying (master) user; the application may only use it.
CREATE SCHEMA IF NOT EXISTS app;

REVOKE ALL ON SCHEMA app FROM PUBLIC;

GRANT USAGE ON SCHEMA app TO {{app_role}};

-- 4. Tenant-owned tables. Every key leads with tenant_id, so the primary keys are the indexes that
-- the RLS-scoped queries use, uniqueness never reveals another tenant's rows, and the composite
-- foreign keys keep a row from pointing at another tenant's row.
CREATE TABLE IF NOT EXISTS app.tenants (
  tenant_id  text PRIMARY KEY CHECK (tenant_id ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  tier       text NOT NULL CHECK (tier IN ('standard', 'premium')),
  status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'offboarded')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS app.users (
  tenant_id    text NOT NULL REFERENCES app.tenants (tenant_id),
  user_id      uuid NOT NULL DEFAULT gen_random_uuid(),
  email        text NOT NULL,
  display_name text NOT NULL DEFAULT '',
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id),
  UNIQUE (tenant_id, email)
);

CREATE TABLE IF NOT EXISTS app.projects (
  tenant_id  text NOT NULL,
  project_id uuid NOT NULL DEFAULT gen_random_uuid(),
  owner_id   uuid NOT NULL,
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, project_id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES app.users (tenant_id, user_id)
);

CREATE TABLE IF NOT EXISTS app.documents (
  tenant_id   text NOT NULL,
  document_id uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id  uuid NOT NULL,
  title       text NOT NULL,
  body        text NOT NULL DEFAULT '',
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, document_id),
  FOREIGN KEY (tenant_id, project_id) REFERENCES app.projects (tenant_id, project_id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS projects_tenant_owner_idx ON app.projects (tenant_id, owner_id);

CREATE INDEX IF NOT EXISTS documents_tenant_project_idx ON app.documents (tenant_id, project_id, updated_at DESC);

-- 5. Row-level security on every tenant-owned table, forced on the owner too (so even this
-- deploy-time code writes a tenant's row only under that tenant's setting). One policy for all
-- commands: USING filters what is read, updated and deleted; WITH CHECK refuses writing a row of
-- another tenant. The policy is re-created on every run so that its definition converges.
DO $$
DECLARE
  t text;
  tenant_match constant text DEFAULT 'tenant_id = NULLIF(pg_catalog.current_setting(''app.tenant_id'', true), '''')';
BEGIN
  FOREACH t IN ARRAY ARRAY['tenants', 'users', 'projects', 'documents'] LOOP
    EXECUTE format('ALTER TABLE app.%I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON app.%I', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON app.%I AS PERMISSIVE FOR ALL TO PUBLIC USING (%s) WITH CHECK (%s)',
                   t, tenant_match, tenant_match);
  END LOOP;
END
$$;

-- 6. What the application may do: read its tenant's row; read and write its tenant's data. Never
-- TRUNCATE (it ignores RLS), REFERENCES or TRIGGER; nothing for PUBLIC.
REVOKE ALL ON app.tenants, app.users, app.projects, app.documents FROM PUBLIC;

REVOKE ALL ON app.tenants, app.users, app.projects, app.documents FROM {{app_role}};

GRANT SELECT ON app.tenants TO {{app_role}};

GRANT SELECT, INSERT, UPDATE, DELETE ON app.users, app.projects, app.documents TO {{app_role}};
