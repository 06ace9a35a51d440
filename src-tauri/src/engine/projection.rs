//! Projects document records into SQLite tables, one key at a time.
//!
//! For a key, every value its document's history ever held (see
//! [`history`](super::history): deletes and overwrites take nothing away) is
//! opened and checked on its own by its kind's projector (see [`kinds`](super::kinds)): signature, that the record sits
//! under its own key and in the right document, and that its fields make
//! sense. Each value that passes becomes rows; each that fails becomes a
//! `rejected` row with its reason. Whether the signer had the right to
//! write it is not decided here but over the merged state (the queries and
//! [`Authority`](nabo_shared::members::authority::Authority)), so a key's
//! rows depend on nothing but that key's values: projecting keys in any
//! order, once each or again and again, gives the same tables.

use std::collections::{BTreeSet, HashSet};
use std::sync::mpsc;

use automerge::Change;
use nabo_shared::api::Table;
use nabo_shared::review::RecordProblem;
use nabo_shared::signed::claimed_signer;
use rusqlite::{params, Transaction};

use super::docs::DocId;
use super::error::{EngineError, Result};
use super::kinds::{self, Checked, CheckedValue, ProjectError, Row};
use super::{accounts, history, registry, review, rewards, store};

/// The SQL that creates the projection: the history, and every record
/// kind's tables.
pub fn schema() -> String {
    format!(
        "{}{}{}",
        history::SCHEMA,
        registry::schema(),
        rewards::VERSIONS
    )
}

/// Tables derived from the projection's rows as they are written (not
/// compared between devices: they only speed up reading them).
pub const DERIVED: [&str; 1] = ["ledger_versions"];

/// Every projection table's name.
pub fn table_names() -> impl Iterator<Item = &'static str> {
    registry::projection_tables()
        .map(|t| t.table.as_str())
        .chain(history::TABLES)
}

/// What re-projecting a document's changed keys did.
pub struct Applied {
    /// The tables it touched.
    pub tables: BTreeSet<Table>,
    /// The keys.
    pub keys: BTreeSet<String>,
    /// The keys (as stored) whose accounts the new rows can move (see
    /// `accounts.rs`).
    pub accounts: Vec<String>,
    /// The document keys of kinds a coordinator writes, for the review
    /// queue's look at who signed them (`review.rs`).
    pub needs_office: Vec<(String, String)>,
}

/// Records what the changes did and re-projects the keys they touched;
/// `track` says whether to find whose accounts and which signatures the
/// new rows concern (for what the engine keeps between calls: not needed
/// when it keeps nothing, as after a rebuild).
pub fn apply_changes(
    tx: &Transaction<'_>,
    id: &DocId,
    changes: &[automerge::Change],
    track: bool,
) -> Result<Applied> {
    apply(tx, id, changes, track, false)
}

/// [`apply_changes`]; `fresh`: the projection is being rebuilt (see
/// [`Row::fresh`]).
fn apply(
    tx: &Transaction<'_>,
    id: &DocId,
    changes: &[automerge::Change],
    track: bool,
    fresh: bool,
) -> Result<Applied> {
    let keys = history::record(tx, id, changes)?;
    let doc_id = id.to_string();
    let mut applied = Applied {
        tables: BTreeSet::new(),
        keys: BTreeSet::new(),
        accounts: Vec::new(),
        needs_office: Vec::new(),
    };
    for key in &keys {
        if track && review::needs_office(key) {
            applied.needs_office.push((doc_id.clone(), key.clone()));
        }
        let tables = project_key(tx, id, key, fresh)?;
        if track && accounts::moves_accounts(&tables) {
            applied
                .accounts
                .extend(accounts::touched(tx, &doc_id, key, &tables)?);
        }
        applied.tables.extend(tables);
    }
    applied.keys = keys;
    Ok(applied)
}

/// Re-projects one key of one document (`fresh`: into a projection being
/// rebuilt, see [`Row::fresh`]); returns the tables it touched.
fn project_key(
    tx: &Transaction<'_>,
    id: &DocId,
    key: &str,
    fresh: bool,
) -> Result<BTreeSet<Table>> {
    let doc_id = id.to_string();
    let tables = registry::tables_of_key(key);
    // A rebuild projects each key once, into empty tables: nothing to
    // take away first.
    if !fresh {
        for table in &tables {
            tx.prepare_cached(&format!(
                "DELETE FROM {table} WHERE doc_id = ?1 AND doc_key = ?2"
            ))?
            .execute(params![doc_id, key])?;
        }
    }
    let values = history::values(tx, &doc_id, key)?;
    let kind = registry::kind_of(key).filter(|(kind, _)| kind.home == id.kind);
    for (value, actor) in values {
        let row = Row {
            tx,
            doc: id,
            doc_id: &doc_id,
            key,
            actor: &actor,
            fresh,
        };
        let Some((kind, part)) = kind else {
            reject(&row, None, None, &RecordProblem::UnknownKey)?;
            continue;
        };
        let Some(bytes) = value.as_deref() else {
            reject(&row, Some(kind.record), None, &RecordProblem::NotSigned)?;
            continue;
        };
        let projected = (kind.project)(&row, part, bytes);
        kinds::remember_verified(tx, &[])?;
        match projected {
            Ok(()) => {}
            Err(ProjectError::Sql(e)) => return Err(e.into()),
            Err(ProjectError::Refused(problem)) => {
                // Whoever the envelope claims signed it, for the review
                // queue; not verified (that may be the very problem).
                let signer = claimed_signer(bytes).map(|k| k.to_hex());
                reject(&row, Some(kind.record), signer, &problem)?;
            }
        }
    }
    Ok(tables)
}

fn reject(
    row: &Row<'_>,
    record: Option<nabo_shared::review::RecordKind>,
    signer: Option<String>,
    problem: &RecordProblem,
) -> Result<()> {
    log::warn!("refused {} {}: {problem}", row.doc_id, row.key);
    let record = record.map(|r| serde_json::to_string(&r).unwrap_or_default());
    let problem = serde_json::to_string(problem).unwrap_or_default();
    match row.insert(Table::Rejected, &[&record, &signer, &problem]) {
        Ok(()) => Ok(()),
        Err(ProjectError::Sql(e)) => Err(e.into()),
        Err(ProjectError::Refused(_)) => unreachable!("inserting a rejected row refuses nothing"),
    }
}

/// Clears every projection table (rebuild starts from here).
pub fn clear(tx: &Transaction<'_>) -> Result<()> {
    for table in table_names().chain(DERIVED) {
        tx.execute(&format!("DELETE FROM {table}"), [])?;
    }
    Ok(())
}

/// Projects every stored document anew, from its whole history (after
/// [`clear`]). This thread reads each document's bytes and projects it; a
/// second loads the next few and checks their signatures meanwhile (about
/// half of a rebuild's work, see `BENCHMARKS.md`). Whatever that thread
/// did not find checked, [`kinds::open`](super::kinds::open) checks here.
pub fn rebuild(tx: &Transaction<'_>, docs: Docs) -> Result<()> {
    // A rebuild writes every row of every table in one transaction: with
    // SQLite's default cache (2 MB) most of a big store's index pages are
    // read and written again and again.
    let cache: i64 = tx.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    tx.pragma_update(None, "cache_size", -REBUILD_CACHE_KIB)?;
    let rebuilt = rebuild_all(tx, docs);
    tx.pragma_update(None, "cache_size", cache)?;
    rebuilt
}

/// The projection's indexes a rebuild does without, by name, with the SQL
/// that makes each: all but those on a row's source (`doc_id`, `doc_key`,
/// which a rebuild fills in order anyway) and the history's keys (which it
/// reads back). Rows inserted in document order land all over an index by
/// member or by id; on a five-year store, keeping those up to date row by
/// row was most of a rebuild's reading and writing, where making each once
/// at the end sorts its rows in one pass.
fn deferred_indexes(tx: &Transaction<'_>) -> Result<Vec<(String, String)>> {
    let tables: BTreeSet<&str> = table_names().collect();
    let mut stmt = tx.prepare(
        "SELECT name, tbl_name, sql FROM sqlite_master
          WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
    )?;
    let all = stmt
        .query_map([], |r| <(String, String, String)>::try_from(r))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(all
        .into_iter()
        .filter(|(name, table, _)| {
            tables.contains(table.as_str())
                && !name.ends_with("_src")
                && !history::TABLES.contains(&table.as_str())
        })
        .map(|(name, _, sql)| (name, sql))
        .collect())
}

/// SQLite's page cache during a rebuild, in KiB.
const REBUILD_CACHE_KIB: i64 = 256 * 1024;

/// SQLite's page cache while a rebuild makes the indexes it deferred, in
/// KiB (see [`rebuild_all`]).
const INDEX_CACHE_KIB: i64 = 64 * 1024;

/// How many documents the loading thread works ahead.
const AHEAD: usize = 8;

fn rebuild_all(tx: &Transaction<'_>, docs: Docs) -> Result<()> {
    let deferred = deferred_indexes(tx)?;
    // Dropping an index drops the planner's figures for it; the rebuilt
    // projection has the same rows, so the same figures hold after.
    let figures = if store::has_table(tx, "sqlite_stat1")? {
        let mut stmt = tx.prepare("SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx = ?1")?;
        let mut figures = Vec::new();
        for (name, _) in &deferred {
            let rows = stmt.query_map([name], |r| <(String, String, String)>::try_from(r))?;
            figures.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
        }
        figures
    } else {
        Vec::new()
    };
    for (name, _) in &deferred {
        tx.execute(&format!("DROP INDEX {name}"), [])?;
    }
    project_all(tx, docs)?;
    // SQLite sorts an index's rows in as much memory as its page cache may
    // hold, beside that cache: a smaller cache keeps the two within bounds.
    tx.pragma_update(None, "cache_size", -INDEX_CACHE_KIB)?;
    for (_, sql) in &deferred {
        tx.execute(sql, [])?;
    }
    for (table, index, stat) in &figures {
        tx.execute(
            "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?1, ?2, ?3)",
            params![table, index, stat],
        )?;
    }
    rewards::fill_versions(tx)
}

/// Whether the rebuild's transaction changed the documents before the
/// rebuild began.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Docs {
    /// It did not: the store as committed holds them as they are.
    AsCommitted,
    /// It did (a migration moves records between documents).
    ChangedHere,
}

/// What the projecting thread sends the loading thread: a document, with
/// its bytes when only the transaction has them as they are now.
type ToLoad = (DocId, Option<Option<Vec<u8>>>);

/// Projects every document into the cleared tables (see [`rebuild`]).
fn project_all(tx: &Transaction<'_>, docs: Docs) -> Result<()> {
    let ids = store::all_doc_ids(tx)?;
    // The loading thread reads the store as it was when the rebuild began,
    // on a connection of its own: which signatures it found holding
    // before, and each document's bytes unless the transaction changed
    // them (then this thread reads those, the loading thread could not).
    let reader = store::reader_beside(tx);
    let read_here = docs == Docs::ChangedHere || reader.is_none();
    std::thread::scope(|scope| {
        let (to_loader, to_load) = mpsc::sync_channel::<ToLoad>(AHEAD);
        let (to_projector, loaded) = mpsc::sync_channel(AHEAD);
        scope.spawn(move || {
            let mut known = Known::new(reader.as_ref());
            for (id, bytes) in to_load {
                let bytes = match (bytes, &reader) {
                    (Some(bytes), _) => Ok(bytes),
                    (None, Some(reader)) => store::saved_bytes(reader, &id.to_string()),
                    (None, None) => Ok(None),
                };
                let done = bytes
                    .and_then(|bytes| load_and_check(&id, bytes.as_deref(), &mut known))
                    .map(|l| (id, l));
                if to_projector.send(done).is_err() {
                    break;
                }
            }
        });
        let mut ids = ids.into_iter();
        let mut in_flight = 0;
        loop {
            while in_flight < AHEAD {
                let Some(id) = ids.next() else { break };
                let bytes = if read_here {
                    Some(store::saved_bytes(tx, &id.to_string())?)
                } else {
                    None
                };
                if to_loader.send((id, bytes)).is_err() {
                    break;
                }
                in_flight += 1;
            }
            if in_flight == 0 {
                return Ok(());
            }
            let Ok(done) = loaded.recv() else {
                return Err(EngineError::corrupt(
                    "rebuild",
                    "the loading thread stopped",
                ));
            };
            in_flight -= 1;
            let (id, (changes, checked, new)) = done?;
            checked.apply(|| apply(tx, &id, &changes, false, true))?;
            kinds::remember_verified(tx, &new)?;
        }
    })
}

/// Which signatures the store found holding before (`verified_values`),
/// asked one value at a time on the loading thread's own connection.
struct Known<'c>(Option<rusqlite::CachedStatement<'c>>);

impl<'c> Known<'c> {
    fn new(reader: Option<&'c rusqlite::Connection>) -> Self {
        // A store without the table yet (being migrated) knows none.
        Self(reader.and_then(|r| {
            r.prepare_cached("SELECT EXISTS (SELECT 1 FROM verified_values WHERE digest = ?1)")
                .ok()
        }))
    }

    fn holds(&mut self, value: &CheckedValue) -> bool {
        self.0.as_mut().is_some_and(|stmt| {
            stmt.query_row([&value.0[..]], |r| r.get(0))
                .unwrap_or(false)
        })
    }
}

/// A document's changes, the values in them whose signatures hold for the
/// kind their key names, and of those the ones `known` did not hold (their
/// signatures checked here), on the loading thread of [`rebuild`].
fn load_and_check(
    id: &DocId,
    bytes: Option<&[u8]>,
    known: &mut Known<'_>,
) -> Result<(Vec<Change>, Checked, Vec<CheckedValue>)> {
    use automerge::legacy::{Key, ObjectId, OpType};
    use automerge::ScalarValue;
    let mut checked = HashSet::new();
    let mut new = Vec::new();
    let Some(bytes) = bytes else {
        return Ok((Vec::new(), Checked(checked), new));
    };
    let changes = store::load_bytes(&id.to_string(), bytes)?.get_changes(&[]);
    for change in &changes {
        for op in change.decode().operations {
            let (ObjectId::Root, Key::Map(key), OpType::Put(ScalarValue::Bytes(value))) =
                (&op.obj, &op.key, &op.action)
            else {
                continue;
            };
            let kind = registry::checked_kind_of(key).filter(|(k, _)| k.decl().home == id.kind);
            let Some((kind, _)) = kind else { continue };
            if let Some((value, was_known)) = kind.check(value, &mut |v| known.holds(v)) {
                if !was_known {
                    new.push(value);
                }
                checked.insert(value);
            }
        }
    }
    Ok((changes, Checked(checked), new))
}

/// Every projection row, sorted, as text, for the documents `keep` accepts:
/// equal dumps mean equal projections.
pub fn dump_where(conn: &rusqlite::Connection, keep: impl Fn(&str) -> bool) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for table in table_names() {
        let mut stmt = conn.prepare(&format!("SELECT *, doc_id FROM {table}"))?;
        let n = stmt.column_count() - 1;
        let rows = stmt
            .query_map([], |r| {
                let mut line = format!("{table}:");
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line.push_str(&format!(" {v:?}"));
                }
                Ok((r.get::<_, String>(n)?, line))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.extend(
            rows.into_iter()
                .filter(|(doc, _)| keep(doc))
                .map(|(_, line)| line),
        );
    }
    out.sort();
    Ok(out)
}
