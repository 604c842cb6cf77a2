import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** gitlab-lite's own state: one SQLite file in its data dir, next to the bare repositories. */
export function openStore(dataDir: string) {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'gitlab-lite.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec(`
    CREATE TABLE IF NOT EXISTS users (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      username TEXT NOT NULL UNIQUE COLLATE NOCASE,
      email TEXT NOT NULL UNIQUE COLLATE NOCASE,
      name TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'active',
      is_admin INTEGER NOT NULL DEFAULT 0,
      external INTEGER NOT NULL DEFAULT 0,
      can_create_group INTEGER NOT NULL DEFAULT 1,
      projects_limit INTEGER NOT NULL DEFAULT 100000,
      created_at TEXT NOT NULL,
      confirmed_at TEXT,
      user_type TEXT NOT NULL DEFAULT 'human'
    );
    CREATE TABLE IF NOT EXISTS identities (
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      provider TEXT NOT NULL,
      extern_uid TEXT NOT NULL COLLATE NOCASE,
      PRIMARY KEY (provider, extern_uid),
      UNIQUE (user_id, provider)
    );
    CREATE TABLE IF NOT EXISTS namespaces (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL CHECK (kind IN ('user', 'group')),
      name TEXT NOT NULL,
      path TEXT NOT NULL,
      full_path TEXT NOT NULL UNIQUE COLLATE NOCASE,
      parent_id INTEGER REFERENCES namespaces(id),
      owner_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
      visibility TEXT NOT NULL DEFAULT 'private',
      description TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS projects (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      namespace_id INTEGER NOT NULL REFERENCES namespaces(id),
      name TEXT NOT NULL,
      path TEXT NOT NULL,
      description TEXT,
      visibility TEXT NOT NULL,
      default_branch TEXT NOT NULL,
      creator_id INTEGER NOT NULL REFERENCES users(id),
      created_at TEXT NOT NULL,
      last_activity_at TEXT NOT NULL,
      forked_from_id INTEGER REFERENCES projects(id) ON DELETE SET NULL,
      import_status TEXT NOT NULL DEFAULT 'none',
      import_error TEXT,
      UNIQUE (namespace_id, path COLLATE NOCASE),
      UNIQUE (namespace_id, name COLLATE NOCASE)
    );
    CREATE TABLE IF NOT EXISTS members (
      source_type TEXT NOT NULL CHECK (source_type IN ('project', 'namespace')),
      source_id INTEGER NOT NULL,
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      access_level INTEGER NOT NULL,
      expires_at TEXT,
      created_at TEXT NOT NULL,
      PRIMARY KEY (source_type, source_id, user_id)
    );
    CREATE TABLE IF NOT EXISTS protected_branches (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      push_access_level INTEGER NOT NULL,
      merge_access_level INTEGER NOT NULL,
      unprotect_access_level INTEGER NOT NULL,
      allow_force_push INTEGER NOT NULL DEFAULT 0,
      UNIQUE (project_id, name)
    );
    CREATE TABLE IF NOT EXISTS tokens (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      digest TEXT NOT NULL UNIQUE,
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      scopes TEXT NOT NULL,
      impersonation INTEGER NOT NULL DEFAULT 0,
      revoked INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      expires_at TEXT
    );
    CREATE TABLE IF NOT EXISTS web_sessions (
      id_digest TEXT PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS application_settings (
      name TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS project_hooks (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      url TEXT NOT NULL,
      token TEXT,
      name TEXT,
      description TEXT,
      push_events INTEGER NOT NULL DEFAULT 1,
      tag_push_events INTEGER NOT NULL DEFAULT 0,
      push_events_branch_filter TEXT,
      branch_filter_strategy TEXT NOT NULL DEFAULT 'wildcard',
      enable_ssl_verification INTEGER NOT NULL DEFAULT 1,
      created_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      author_id INTEGER NOT NULL,
      action TEXT NOT NULL,
      created_at TEXT NOT NULL,
      push_commit_count INTEGER,
      push_action TEXT,
      push_ref_type TEXT,
      push_commit_from TEXT,
      push_commit_to TEXT,
      push_ref TEXT,
      push_commit_title TEXT,
      push_ref_count INTEGER
    );
    CREATE INDEX IF NOT EXISTS events_by_project ON events (project_id, id);
    CREATE TABLE IF NOT EXISTS oidc_logins (
      state TEXT PRIMARY KEY,
      nonce TEXT NOT NULL,
      verifier TEXT NOT NULL,
      return_to TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
  `);
  addColumnIfMissing(db, 'users', 'user_type', "TEXT NOT NULL DEFAULT 'human'");
  addColumnIfMissing(db, 'projects', 'archived', 'INTEGER NOT NULL DEFAULT 0');
  return db;
}

/** Data dirs made by an older gitlab-lite gain the columns added since. */
function addColumnIfMissing(db: Database.Database, table: string, column: string, type: string) {
  const columns = db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>;
  if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
}

export type Store = ReturnType<typeof openStore>;
