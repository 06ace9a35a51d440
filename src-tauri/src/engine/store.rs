//! The SQLite file: saved documents (as chunks), device-local settings, and
//! the projection tables the UI queries.

use std::path::Path;

use automerge::AutoCommit;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::docs::DocId;
use super::error::{EngineError, Result};

/// Schema version this build writes. Bump with a migration when it changes.
pub const SCHEMA_VERSION: i64 = 2;
// 1: check-ins and ledger entries in one document per community and month.
// 2: one document per member and month (migrated by `Engine::open`).

/// When a document has more chunks than this, it is compacted into one.
const COMPACT_AFTER: i64 = 64;

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS device (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    secret BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS docs (
    id TEXT PRIMARY KEY,
    community TEXT NOT NULL,
    kind TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS doc_chunks (
    doc_id TEXT NOT NULL REFERENCES docs(id),
    seq INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (doc_id, seq)
);

-- Live sync: Automerge's sync state per peer device and document (only the
-- heads both sides are known to share), so a sync with nothing new is cheap.
CREATE TABLE IF NOT EXISTS sync_states (
    peer TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    state BLOB NOT NULL,
    PRIMARY KEY (peer, doc_id)
);
-- Devices synced with (or tried): the sync screen's list.
CREATE TABLE IF NOT EXISTS peers (
    device TEXT PRIMARY KEY,
    last_attempt TEXT NOT NULL,
    last_sync TEXT,
    last_error TEXT,
    last_totals TEXT NOT NULL
);
-- Paired hubs: their pairing code text.
CREATE TABLE IF NOT EXISTS hubs (
    key_id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    paired_at TEXT NOT NULL,
    last_attempt TEXT,
    last_sync TEXT,
    last_error TEXT
);

-- The projection. Every row names the document and key it came from, so a
-- changed key is re-projected by deleting its rows and inserting anew. Rows
-- hold every version whose signature verifies; whether its signer was
-- allowed to write it is decided by the queries, over the merged state.
CREATE TABLE IF NOT EXISTS communities (
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    founding_key TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    created_at TEXT NOT NULL,
    doc_id TEXT NOT NULL, doc_key TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
    community TEXT NOT NULL,
    member_key TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    signer TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    doc_id TEXT NOT NULL, doc_key TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS revocations (
    community TEXT NOT NULL,
    member_key TEXT NOT NULL,
    signer TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    doc_id TEXT NOT NULL, doc_key TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS join_requests (
    community TEXT NOT NULL,
    member_key TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    invite_issuer TEXT NOT NULL,
    invite_ok INTEGER NOT NULL,
    requested_at TEXT NOT NULL,
    doc_id TEXT NOT NULL, doc_key TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS activities (
    id TEXT NOT NULL,
    community TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    place TEXT NOT NULL,
    schedule TEXT NOT NULL,
    reward INTEGER NOT NULL,
    daily_cap INTEGER,
    updated_at TEXT NOT NULL,
    signer TEXT NOT NULL,
    doc_id TEXT NOT NULL, doc_key TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checkins (
    id TEXT NOT NULL,
    community TEXT NOT NULL,
    activity TEXT NOT NULL,
    member_key TEXT NOT NULL,
    at TEXT NOT NULL,
    code BLOB NOT NULL,
    doc_id TEXT NOT NULL, doc_key TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger (
    id TEXT NOT NULL,
    community TEXT NOT NULL,
    to_key TEXT NOT NULL,
    amount INTEGER NOT NULL,
    checkin TEXT,
    activity TEXT,
    issued_at TEXT NOT NULL,
    signer TEXT NOT NULL,
    doc_id TEXT NOT NULL, doc_key TEXT NOT NULL
);
-- Values that did not verify, kept visible instead of silently dropped.
CREATE TABLE IF NOT EXISTS rejected (
    doc_id TEXT NOT NULL, doc_key TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS communities_src ON communities(doc_id, doc_key);
CREATE INDEX IF NOT EXISTS members_src ON members(doc_id, doc_key);
CREATE INDEX IF NOT EXISTS members_by_key ON members(community, member_key);
CREATE INDEX IF NOT EXISTS join_src ON join_requests(doc_id, doc_key);
CREATE INDEX IF NOT EXISTS revocations_src ON revocations(doc_id, doc_key);
CREATE INDEX IF NOT EXISTS activities_src ON activities(doc_id, doc_key);
CREATE INDEX IF NOT EXISTS activities_by_id ON activities(community, id);
CREATE INDEX IF NOT EXISTS checkins_src ON checkins(doc_id, doc_key);
CREATE INDEX IF NOT EXISTS checkins_by_member ON checkins(community, member_key, activity, at);
CREATE INDEX IF NOT EXISTS checkins_by_time ON checkins(community, at);
CREATE INDEX IF NOT EXISTS ledger_src ON ledger(doc_id, doc_key);
CREATE INDEX IF NOT EXISTS ledger_by_to ON ledger(community, to_key);
CREATE INDEX IF NOT EXISTS ledger_by_checkin ON ledger(community, checkin);
CREATE INDEX IF NOT EXISTS rejected_src ON rejected(doc_id, doc_key);
"#;

/// The projection tables, in the order [`rebuild`](super::Engine::rebuild_projection) clears them.
pub use nabo_shared::api::PROJECTION_TABLES;

/// Opens (creating if needed) the store at `path`. Also returns the schema
/// version the file had (the current one for a new file); the caller
/// migrates older files and then calls [`set_version`].
pub fn open(path: &Path) -> Result<(Connection, i64)> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| EngineError::Corrupt {
            what: format!("cannot create {}: {e}", dir.display()),
        })?;
    }
    let conn = Connection::open(path)?;
    // WAL: readers never block the writer, and a crash mid-write leaves the
    // last committed state intact.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(EngineError::Corrupt {
            what: format!("the database was written by a newer Nabo (schema {version})"),
        });
    }
    conn.execute_batch(SCHEMA)?;
    let fresh: bool = conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM docs)", [], |r| r.get(0))?;
    if version == 0 && fresh {
        set_version(&conn)?;
        return Ok((conn, SCHEMA_VERSION));
    }
    Ok((conn, version.max(1)))
}

/// Marks the file as migrated to [`SCHEMA_VERSION`].
pub fn set_version(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    Ok(())
}

/// Loads a document by its stored name (also names older versions wrote).
pub fn load_named(conn: &Connection, name: &str) -> Result<Option<AutoCommit>> {
    let mut stmt =
        conn.prepare_cached("SELECT bytes FROM doc_chunks WHERE doc_id = ?1 ORDER BY seq")?;
    let chunks = stmt
        .query_map([name], |r| r.get::<_, Vec<u8>>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if chunks.is_empty() {
        return Ok(None);
    }
    // A saved document followed by incremental chunks loads as one byte run.
    AutoCommit::load(&chunks.concat())
        .map(Some)
        .map_err(|e| EngineError::doc(name, e))
}

/// Reads a device-local setting.
pub fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Writes a device-local setting inside a transaction.
pub fn put_setting(tx: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO settings(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// Loads a document from its chunks; `None` if it was never stored.
pub fn load_doc(conn: &Connection, id: &DocId) -> Result<Option<AutoCommit>> {
    load_named(conn, &id.to_string())
}

/// Every document of a community.
pub fn doc_ids(conn: &Connection, community: &str) -> Result<Vec<DocId>> {
    ids_of(
        conn,
        "SELECT id FROM docs WHERE community = ?1 ORDER BY id",
        &[&community],
    )
}

/// Every stored document, of every community.
pub fn all_doc_ids(conn: &Connection) -> Result<Vec<DocId>> {
    ids_of(conn, "SELECT id FROM docs ORDER BY id", &[])
}

fn ids_of(conn: &Connection, sql: &str, params: &[&dyn rusqlite::ToSql]) -> Result<Vec<DocId>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let ids = stmt
        .query_map(params, |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    ids.into_iter()
        .map(|s| {
            DocId::parse(&s).ok_or_else(|| EngineError::Corrupt {
                what: format!("document id {s}"),
            })
        })
        .collect()
}

/// Appends a chunk (the changes since the document's previous heads). When a
/// document has many chunks they are replaced by one full save.
pub fn append_chunk(
    tx: &Transaction<'_>,
    id: &DocId,
    chunk: &[u8],
    doc: &mut AutoCommit,
) -> Result<()> {
    let key = id.to_string();
    tx.execute(
        "INSERT OR IGNORE INTO docs(id, community, kind) VALUES (?1, ?2, ?3)",
        params![key, id.community.to_string(), id.kind.as_str()],
    )?;
    let (count, next): (i64, i64) = tx.query_row(
        "SELECT COUNT(*), COALESCE(MAX(seq), -1) + 1 FROM doc_chunks WHERE doc_id = ?1",
        [&key],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if count >= COMPACT_AFTER {
        tx.execute("DELETE FROM doc_chunks WHERE doc_id = ?1", [&key])?;
        tx.execute(
            "INSERT INTO doc_chunks(doc_id, seq, bytes) VALUES (?1, 0, ?2)",
            params![key, doc.save()],
        )?;
    } else {
        tx.execute(
            "INSERT INTO doc_chunks(doc_id, seq, bytes) VALUES (?1, ?2, ?3)",
            params![key, next, chunk],
        )?;
    }
    Ok(())
}
