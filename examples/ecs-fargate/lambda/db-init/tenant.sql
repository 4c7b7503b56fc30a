-- tenant.sql: per-tenant provisioning in the shared Aurora PostgreSQL 15 database (tapgen System A).
--
-- This file is the ONLY copy of this SQL. The Rust renderer ships it as lambda/db-init/tenant.sql
-- next to index.mjs; index.mjs reads it at cold start, splits it, fills the placeholders and runs
-- every statement, in order, through the RDS Data API (one statement per ExecuteStatement call, no
-- transaction), connected as the cluster's master user. On Aurora that user is NOT a real superuser
-- (rds_superuser, CREATEROLE, owner of the database): nothing below may need more than that.
-- Every statement is idempotent and the whole file runs on every invocation, so a second run is
-- harmless and a changed password is applied.
--
-- SPLITTING RULE (implemented by splitTemplate() in index.mjs; keep this file to it):
--   1. The file is read line by line.
--   2. Outside a $$ body, a line whose first non-blank characters are two dashes is a comment and
--      is dropped whole. Never put a comment at the end of a line that holds SQL.
--   3. Each bare $$ toggles "inside a dollar-quoted body". Use only the bare $$ tag (no $name$),
--      and every DO block opens and closes its body with it.
--   4. Outside a $$ body, a line whose last non-blank character is a semicolon ends the statement.
--      That semicolon is removed; semicolons inside a $$ body never end a statement.
--   5. Blank lines between statements are ignored. Anything left after the last statement, or an
--      unclosed $$ body, is an error.
--   Splitting is done on this template BEFORE placeholders are filled, so no value can move a
--   statement boundary.
--
-- PLACEHOLDERS (filled only by index.mjs after validation; any other double-brace name is an error.
-- The code adds the quotes: never write quotes around a placeholder here):
--   {{schema}}            "tenant_acme_corp"          quoted identifier, ^[a-z_][a-z0-9_]{0,62}$
--   {{user}}              "tenant_acme_corp_app"      quoted identifier, same rule
--   {{user_literal}}      'tenant_acme_corp_app'      the same name as a string literal (catalog lookups)
--   {{database}}          "saasdb"                    quoted identifier, same rule
--   {{password}}          'SCRAM-SHA-256$4096:...'    string literal: the SCRAM-SHA-256 verifier that
--                                                     index.mjs computes from the plaintext password
--                                                     (plaintext must match ^[A-Za-z0-9._~-]{16,128}$).
--                                                     The server stores it as is; the plaintext never
--                                                     reaches the server, its logs or pg_stat_statements.
--   {{connection_limit}}  40                          integer 1..1000

-- 1. The tenant role. Created only when missing (with the attributes CREATE ROLE allows a
-- non-superuser CREATEROLE user to state). An existing role that a CREATEROLE user could not have
-- made, or that belongs to other roles, is refused rather than adopted and handed a password.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {{user_literal}}) THEN
    BEGIN
      CREATE ROLE {{user}} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS CONNECTION LIMIT {{connection_limit}};
    EXCEPTION WHEN duplicate_object THEN
      NULL;
    END;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_roles
             WHERE rolname = {{user_literal}} AND (rolsuper OR rolreplication OR rolbypassrls)) THEN
    RAISE EXCEPTION 'role % exists with SUPERUSER, REPLICATION or BYPASSRLS; refusing to manage it', {{user_literal}}
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_auth_members m
             JOIN pg_catalog.pg_roles r ON r.oid = m.member
             WHERE r.rolname = {{user_literal}}) THEN
    RAISE EXCEPTION 'role % is a member of other roles; refusing to manage it', {{user_literal}}
      USING ERRCODE = 'insufficient_privilege';
  END IF;
END
$$;

-- 2. Attributes and password, on every run (converges a drifted role; applies a changed password).
-- SUPERUSER/REPLICATION/BYPASSRLS are not named here: on PostgreSQL 15 naming them at all in ALTER
-- ROLE needs a real superuser, and statement 1 already guarantees they are off.
ALTER ROLE {{user}} WITH LOGIN NOCREATEDB NOCREATEROLE NOINHERIT CONNECTION LIMIT {{connection_limit}} PASSWORD {{password}};

-- 3. The admin must be a member of the tenant role to create a schema owned by it (PostgreSQL 15:
-- "must be member of role"); a real superuser passes anyway. This makes the admin a member of the
-- tenant, never the tenant a member of anything. Re-granting only raises a NOTICE.
GRANT {{user}} TO CURRENT_USER;

-- 4. The tenant's schema, owned by the tenant (owner = full rights inside it, nobody else has any).
CREATE SCHEMA IF NOT EXISTS {{schema}} AUTHORIZATION {{user}};

-- 5. Converge ownership if the schema already existed with another owner.
ALTER SCHEMA {{schema}} OWNER TO {{user}};

-- 6. No privileges on the tenant schema for anyone but its owner.
REVOKE ALL ON SCHEMA {{schema}} FROM PUBLIC;

-- 7. Database-wide settings shared by all tenants. The tenants' invocations run in parallel, and
-- concurrent GRANT/REVOKE on the same pg_database / pg_namespace row fails with "tuple concurrently
-- updated", so these run in one transaction behind a transaction-scoped advisory lock.
-- public schema: no USAGE/CREATE for PUBLIC (tenants get permission denied there).
-- database: no CONNECT/TEMP for PUBLIC; CONNECT for this tenant only.
DO $$
BEGIN
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('tapgen:db-init:shared-acl'));
  REVOKE ALL ON SCHEMA public FROM PUBLIC;
  REVOKE ALL ON DATABASE {{database}} FROM PUBLIC;
  GRANT CONNECT ON DATABASE {{database}} TO {{user}};
END
$$;

-- 8. Unqualified names resolve to the tenant's schema only.
ALTER ROLE {{user}} SET search_path = {{schema}};
