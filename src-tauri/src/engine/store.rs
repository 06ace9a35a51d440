//! The SQLite file: saved documents (as chunks, with their current heads),
//! device-local settings, and the tables the projection and the sync
//! module declare.

use std::path::Path;

use automerge::{AutoCommit, ChangeHash};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::docs::DocId;
use super::error::{EngineError, Result};

/// Schema version this build writes. Bump it when the tables or the
/// projection change; opening an older file migrates it (`migrate.rs`),
/// which always ends by rebuilding the projection.
pub const SCHEMA_VERSION: i64 = 16;
// 1: check-ins and ledger entries in one document per community and month.
// 2: one document per member and month.
// 3: documents keep their heads in `docs`; projection rows name the actor
//    that wrote them; refusals are typed.
// 4: the projection comes from every value a document's history ever held
//    (history_values, history_changes).
// 5: join requests keep their invite's expiry, judged by the confirmer.
// 6: join requests name their invite and its use limit; withdrawals of
//    invites; coordinators' terms of office (no table of their own).
// 7: activities of the second format (rhythms, weekdays, archived).
// 8: ledger entries that decline a waiting check-in (`ledger.declined`).
// 9: movements of currency (coordinators' corrections).
// 10: volunteers' hour claims and coordinators' decisions on them.
// 11: changes of the community's rules.
// 12: a member's devices (links, retirements, replacement invites),
//     payments, offers, returns, statements.
// 13: check-ins keep their signer (a coordinator's, for a card holder);
//     member cards.
// 14: movements name the entry they correct (a reversed payment).
// 15: payees' refusals of payments.
// 16: payees' closures of their payment requests (a payment counts once
//     taken).

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
-- Every document, with its current heads (32 bytes each), so a sync can
-- tell which documents moved without loading them.
CREATE TABLE IF NOT EXISTS docs (
    id TEXT PRIMARY KEY,
    community TEXT NOT NULL,
    kind TEXT NOT NULL,
    heads BLOB
);
CREATE TABLE IF NOT EXISTS doc_chunks (
    doc_id TEXT NOT NULL REFERENCES docs(id),
    seq INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (doc_id, seq)
);
"#;

/// Opens (creating if needed) the store at `path`. Also returns the schema
/// version the file had (the current one for a new file); the caller
/// migrates older files.
pub fn open(path: &Path) -> Result<(Connection, i64)> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| EngineError::Folder {
            path: dir.to_owned(),
            source,
        })?;
    }
    let conn = Connection::open(path)?;
    super::sql::add_functions(&conn)?;
    // WAL: readers never block the writer, and a crash mid-write leaves the
    // last committed state intact.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Room for every statement the engine prepares (each kind's inserts
    // and deletes, the queries of every capability): rusqlite keeps 16 by
    // default, and a projection that cycles through more parses each one
    // again every time (a fifth of a rebuild went to SQLite's parser).
    conn.set_prepared_statement_cache_capacity(512);
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(EngineError::StoreTooNew { version });
    }
    conn.execute_batch(SCHEMA)?;
    let fresh: bool = conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM docs)", [], |r| r.get(0))?;
    if version == 0 && fresh {
        set_version(&conn)?;
        return Ok((conn, SCHEMA_VERSION));
    }
    Ok((conn, version.max(1)))
}

/// A read-only connection to the store `conn` has open, with the engine's
/// SQL functions, for reading beside it on another thread; `None` for a
/// store without a file (or whose file cannot be opened again).
pub fn reader_beside(conn: &Connection) -> Option<Connection> {
    use rusqlite::OpenFlags;
    let path = conn.path().filter(|p| !p.is_empty())?;
    let reader = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    reader
        .busy_timeout(std::time::Duration::from_secs(5))
        .ok()?;
    reader.set_prepared_statement_cache_capacity(64);
    super::sql::add_functions(&reader).ok()?;
    Some(reader)
}

/// Marks the file as migrated to [`SCHEMA_VERSION`].
pub fn set_version(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    Ok(())
}

/// Refreshes the query planner's table statistics where a table grew or
/// shrank a lot (SQLite's advice for long-lived connections; it reads a
/// bounded sample, milliseconds even on a five-year store). Without them
/// every index looks alike, since each starts with the one community: a
/// relay of payment closures once took minutes picking the wrong one, and
/// the review queue 1.5 s a call on a store that grew from nothing without
/// a restart (`BENCHMARKS.md`, five years).
pub fn refresh_statistics(conn: &Connection) -> Result<()> {
    conn.execute_batch("PRAGMA optimize=0x10002;")?;
    // Without its samples (`sqlite_stat4`, which the bundled SQLite also
    // collects): with them, every statement whose plan weighed a bound
    // value is planned again each time that value changes, which took a
    // tenth of a rebuild and of every projection. The per-index figures of
    // `sqlite_stat1` are what picks the right index here.
    let samples: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat4')",
        [],
        |r| r.get(0),
    )?;
    if samples {
        conn.execute_batch("DELETE FROM sqlite_stat4; ANALYZE sqlite_schema;")?;
    }
    Ok(())
}

/// Whether the store has a table of this name.
pub fn has_table(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
        [name],
        |r| r.get(0),
    )?)
}

/// Whether the `docs` table keeps heads (files older than version 3 do not).
pub fn has_heads_column(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info('docs') WHERE name = 'heads')",
        [],
        |r| r.get(0),
    )?)
}

/// Loads a document by its stored name (also names older versions wrote).
pub fn load_named(conn: &Connection, name: &str) -> Result<Option<AutoCommit>> {
    match saved_bytes(conn, name)? {
        Some(bytes) => load_bytes(name, &bytes).map(Some),
        None => Ok(None),
    }
}

/// A document's stored chunks as one byte run (`None`: never stored).
pub fn saved_bytes(conn: &Connection, name: &str) -> Result<Option<Vec<u8>>> {
    let mut stmt =
        conn.prepare_cached("SELECT bytes FROM doc_chunks WHERE doc_id = ?1 ORDER BY seq")?;
    let chunks = stmt
        .query_map([name], |r| r.get::<_, Vec<u8>>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // A saved document followed by incremental chunks loads as one byte run.
    Ok((!chunks.is_empty()).then(|| chunks.concat()))
}

/// Loads a document from [`saved_bytes`]: damage on disk must not crash
/// the app either (see `guard`).
pub fn load_bytes(name: &str, bytes: &[u8]) -> Result<AutoCommit> {
    if !nabo_shared::guard::plain_chunks(bytes) {
        return Err(EngineError::corrupt("document", name));
    }
    match nabo_shared::guard::catching(|| AutoCommit::load(bytes)) {
        Some(loaded) => loaded.map_err(|e| EngineError::doc(name, e)),
        None => Err(EngineError::corrupt("document", name)),
    }
}

/// Loads a document from its chunks; `None` if it was never stored.
pub fn load_doc(conn: &Connection, id: &DocId) -> Result<Option<AutoCommit>> {
    load_named(conn, &id.to_string())
}

/// A document's current heads without loading it (`None`: never stored).
pub fn heads(conn: &Connection, id: &DocId) -> Result<Option<Vec<ChangeHash>>> {
    let bytes: Option<Option<Vec<u8>>> = conn
        .prepare_cached("SELECT heads FROM docs WHERE id = ?1")?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?;
    match bytes {
        None => Ok(None),
        Some(Some(bytes)) => decode_heads(&bytes).map(Some),
        // Only possible halfway through a migration.
        Some(None) => Err(EngineError::corrupt("heads of", id)),
    }
}

/// The documents of a community with more than one head.
pub fn multi_headed(conn: &Connection, community: &str) -> Result<Vec<DocId>> {
    ids_of(
        conn,
        "SELECT id FROM docs WHERE community = ?1 AND length(heads) > 32 ORDER BY id",
        &[&community],
    )
}

fn encode_heads(heads: &[ChangeHash]) -> Vec<u8> {
    heads.iter().flat_map(|h| h.0).collect()
}

fn decode_heads(bytes: &[u8]) -> Result<Vec<ChangeHash>> {
    if !bytes.len().is_multiple_of(32) {
        return Err(EngineError::corrupt("document heads", bytes.len()));
    }
    Ok(bytes
        .chunks_exact(32)
        .map(|c| ChangeHash(c.try_into().expect("32 bytes")))
        .collect())
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
        .map(|s| DocId::parse(&s).ok_or_else(|| EngineError::corrupt("document id", s)))
        .collect()
}

/// Appends a chunk (the changes since the document's previous heads) and
/// records the document's new heads. When a document has many chunks they
/// are replaced by one full save.
pub fn append_chunk(
    tx: &Transaction<'_>,
    id: &DocId,
    chunk: &[u8],
    doc: &mut AutoCommit,
) -> Result<()> {
    let key = id.to_string();
    let heads = encode_heads(&doc.get_heads());
    tx.prepare_cached(
        "INSERT INTO docs(id, community, kind, heads) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET heads = excluded.heads",
    )?
    .execute(params![
        key,
        id.community.to_string(),
        id.kind.as_str(),
        heads
    ])?;
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

/// Records heads for a document saved before version 3 (migration only).
pub fn put_heads(tx: &Transaction<'_>, name: &str, heads: &[ChangeHash]) -> Result<()> {
    tx.execute(
        "UPDATE docs SET heads = ?2 WHERE id = ?1",
        params![name, encode_heads(heads)],
    )?;
    Ok(())
}

/// Removes a document and its chunks (migration only).
pub fn remove_doc(tx: &Transaction<'_>, name: &str) -> Result<()> {
    tx.execute("DELETE FROM doc_chunks WHERE doc_id = ?1", params![name])?;
    tx.execute("DELETE FROM docs WHERE id = ?1", params![name])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_round_trip_and_damage_is_named() {
        let heads = vec![ChangeHash([1; 32]), ChangeHash([2; 32])];
        assert_eq!(decode_heads(&encode_heads(&heads)).unwrap(), heads);
        assert!(decode_heads(&[0; 33]).is_err());
        assert_eq!(decode_heads(&[]).unwrap(), Vec::<ChangeHash>::new());
    }
}
