//! Record kinds. Each kind is declared once, in its capability's module, as
//! a [`Kind`]: its document key, its home document, who may write it, what
//! supersedes it, its projection tables with their indexes, and its
//! projector. Everything else is derived from [`KINDS`]: the projection
//! schema, which tables a changed key touches (`store-changed`), the
//! projection driver and rebuild, and the review queue's checks of who
//! signed what.
//!
//! Adding a kind: its record in `shared`, its `Kind` in its capability's
//! engine module, one line in [`KINDS`].

use std::collections::BTreeSet;
use std::fmt::Display;
use std::marker::PhantomData;

use nabo_shared::api::Table;
use nabo_shared::review::{RecordKind, RecordProblem, Writer};
use nabo_shared::signed::{Record, RecordError, Signed, Verified};
use rusqlite::{ToSql, Transaction};

use super::docs::{DocId, DocKind};
use super::{activities, community, members, rewards};

/// Every record kind.
pub(crate) const KINDS: &[&KindDecl] = &[
    &community::GENESIS.decl,
    &community::JOIN_REQUEST.decl,
    &members::MEMBERSHIP.decl,
    &members::REVOCATION.decl,
    &activities::ACTIVITY.decl,
    &activities::CHECK_IN.decl,
    &rewards::LEDGER_ENTRY.decl,
];

/// A projection table: its columns (the driver adds `doc_id`, `doc_key`
/// and `actor`, the source of each row, and an index on the source) and
/// its other indexes.
pub(crate) struct TableDecl {
    /// The table.
    pub table: Table,
    /// Column definitions, as in `CREATE TABLE`.
    pub columns: &'static str,
    /// `CREATE INDEX IF NOT EXISTS` statements.
    pub indexes: &'static [&'static str],
    /// Whether rows carry a `signer` column the review queue checks
    /// against the kind's [`Writer`].
    pub signed_column: bool,
}

/// What a kind declares (see the module docs).
pub(crate) struct KindDecl {
    /// Its name in the review queue.
    pub record: RecordKind,
    /// Its key: `prefix/<id>`, or just `prefix` for a singleton.
    pub prefix: &'static str,
    /// Whether there is one per document (`genesis`).
    pub singleton: bool,
    /// The kind of document it lives in.
    pub home: DocKind,
    /// Who may write it. Rows by anyone else count for nothing and show up
    /// in the review queue.
    pub writer: Writer,
    /// What supersedes a record of this kind (the rule, in words; a test
    /// checks every kind states it).
    #[cfg_attr(not(test), allow(dead_code))]
    pub superseded_by: &'static str,
    /// Its projection tables.
    pub tables: &'static [TableDecl],
    /// Checks one value found under the key (`id` is the part after the
    /// prefix) and inserts its rows.
    pub project: fn(&Row<'_>, &str, &[u8]) -> Result<(), ProjectError>,
}

/// A kind whose records are `T`, so that writing one is type-checked.
pub(crate) struct Kind<T> {
    /// What it declares.
    pub decl: KindDecl,
    record: PhantomData<fn() -> T>,
}

impl<T: Record> Kind<T> {
    /// Declares a kind of `T` records.
    pub const fn new(decl: KindDecl) -> Self {
        Self {
            decl,
            record: PhantomData,
        }
    }

    /// The document key of the record with this id.
    pub fn key(&self, id: impl Display) -> Key<T> {
        debug_assert!(!self.decl.singleton);
        Key::new(format!("{}/{id}", self.decl.prefix))
    }

    /// The document key of a singleton.
    pub fn singleton_key(&self) -> Key<T> {
        debug_assert!(self.decl.singleton);
        Key::new(self.decl.prefix.to_owned())
    }
}

/// A document key that holds records of kind `T`.
pub(crate) struct Key<T> {
    key: String,
    record: PhantomData<fn() -> T>,
}

impl<T> Key<T> {
    fn new(key: String) -> Self {
        Self {
            key,
            record: PhantomData,
        }
    }

    /// The key as stored.
    pub fn as_str(&self) -> &str {
        &self.key
    }
}

/// The kind a document key belongs to, and the key's id part.
pub(crate) fn kind_of(key: &str) -> Option<(&'static KindDecl, &str)> {
    KINDS.iter().copied().find_map(|kind| {
        if kind.singleton {
            (key == kind.prefix).then_some((kind, ""))
        } else {
            key.strip_prefix(kind.prefix)
                .and_then(|rest| rest.strip_prefix('/'))
                .map(|id| (kind, id))
        }
    })
}

/// The rejected-values table, which every document kind may write to.
pub(crate) const REJECTED: TableDecl = TableDecl {
    table: Table::Rejected,
    columns: "record TEXT, signer TEXT, problem TEXT NOT NULL",
    indexes: &[],
    signed_column: false,
};

/// Every projection table with its declaration.
pub(crate) fn projection_tables() -> impl Iterator<Item = &'static TableDecl> {
    KINDS
        .iter()
        .flat_map(|k| k.tables.iter())
        .chain(std::iter::once(&REJECTED))
}

/// The tables a changed key can touch.
pub(crate) fn tables_of_key(key: &str) -> BTreeSet<Table> {
    let mut tables = BTreeSet::from([Table::Rejected]);
    if let Some((kind, _)) = kind_of(key) {
        tables.extend(kind.tables.iter().map(|t| t.table));
    }
    tables
}

/// The SQL that creates every projection table and index.
pub(crate) fn schema() -> String {
    let mut sql = String::new();
    for t in projection_tables() {
        let name = t.table.as_str();
        sql.push_str(&format!(
            "CREATE TABLE IF NOT EXISTS {name} ({},\n    doc_id TEXT NOT NULL, doc_key TEXT NOT NULL, actor TEXT NOT NULL\n);\n\
             CREATE INDEX IF NOT EXISTS {name}_src ON {name}(doc_id, doc_key);\n",
            t.columns
        ));
        for index in t.indexes {
            sql.push_str(index);
            sql.push_str(";\n");
        }
    }
    sql
}

/// Why a value was not projected.
#[derive(Debug)]
pub(crate) enum ProjectError {
    /// The value is refused; it becomes a `rejected` row.
    Refused(RecordProblem),
    /// The database failed: the whole transaction is abandoned.
    Sql(rusqlite::Error),
}

impl From<RecordProblem> for ProjectError {
    fn from(problem: RecordProblem) -> Self {
        ProjectError::Refused(problem)
    }
}

impl From<rusqlite::Error> for ProjectError {
    fn from(e: rusqlite::Error) -> Self {
        ProjectError::Sql(e)
    }
}

/// Where a value being projected sits: the transaction, its document and
/// key, and the device (Automerge actor) that wrote it.
pub(crate) struct Row<'a> {
    pub tx: &'a Transaction<'a>,
    pub doc: &'a DocId,
    pub doc_id: &'a str,
    pub key: &'a str,
    pub actor: &'a str,
}

impl Row<'_> {
    /// Inserts a row into `table`: `values`, then the row's source.
    pub fn insert(&self, table: Table, values: &[&dyn ToSql]) -> Result<(), ProjectError> {
        let n = values.len();
        let marks: Vec<String> = (1..=n + 3).map(|i| format!("?{i}")).collect();
        let sql = format!("INSERT INTO {table} VALUES ({})", marks.join(", "));
        let source: [&dyn ToSql; 3] = [&self.doc_id, &self.key, &self.actor];
        let all: Vec<&dyn ToSql> = values.iter().copied().chain(source).collect();
        self.tx.prepare_cached(&sql)?.execute(all.as_slice())?;
        Ok(())
    }

    /// Checks that the record sits in its own place: the condition holds or
    /// the record is misplaced.
    pub fn expect(&self, holds: bool) -> Result<(), ProjectError> {
        if holds {
            Ok(())
        } else {
            Err(RecordProblem::Misplaced.into())
        }
    }
}

/// Opens and verifies a signed record of kind `T`.
pub(crate) fn open<T: Record>(bytes: &[u8]) -> Result<Verified<T>, ProjectError> {
    Signed::<T>::open_bytes(bytes).map_err(|e| {
        ProjectError::Refused(match e {
            RecordError::Signature(_) => RecordProblem::BadSignature,
            RecordError::Envelope(_) | RecordError::Body(_) => RecordProblem::Unreadable,
        })
    })
}

/// Parses the id part of a key, which must be in its one canonical form.
pub(crate) fn id_of<T: std::str::FromStr + Display>(id: &str) -> Result<T, ProjectError> {
    match id.parse::<T>() {
        Ok(parsed) if parsed.to_string() == id => Ok(parsed),
        _ => Err(RecordProblem::UnknownKey.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_belongs_to_exactly_one_kind() {
        let mut prefixes: Vec<_> = KINDS.iter().map(|k| k.prefix).collect();
        prefixes.sort();
        prefixes.dedup();
        assert_eq!(prefixes.len(), KINDS.len());
        for kind in KINDS {
            let key = if kind.singleton {
                kind.prefix.to_owned()
            } else {
                format!("{}/x", kind.prefix)
            };
            let found = kind_of(&key).map(|(k, _)| k.prefix);
            assert_eq!(found, Some(kind.prefix));
        }
        assert!(kind_of("nonsense").is_none());
        assert!(kind_of("genesis/1").is_none());
    }

    #[test]
    fn every_kind_says_who_writes_it_and_what_supersedes_it() {
        for kind in KINDS {
            assert!(
                kind.superseded_by.len() > 10,
                "{} does not say what supersedes it",
                kind.prefix
            );
            assert!(!kind.tables.is_empty(), "{} projects nowhere", kind.prefix);
            let signed = kind.tables.iter().any(|t| t.signed_column);
            assert_eq!(
                signed,
                kind.writer == Writer::Coordinator,
                "{}: a kind a coordinator writes keeps its signer for the review queue",
                kind.prefix
            );
        }
    }

    #[test]
    fn the_schema_creates_every_declared_table_once() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(&schema()).unwrap();
        let mut names: Vec<&str> = projection_tables().map(|t| t.table.as_str()).collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count, "a table is declared by two kinds");
        for name in names {
            let exists: bool = conn
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
                    [name],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(exists, "{name}");
        }
    }

    #[test]
    fn a_kind_that_names_its_signer_has_a_signer_column() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(&schema()).unwrap();
        for t in projection_tables().filter(|t| t.signed_column) {
            let sql = format!("SELECT signer FROM {} LIMIT 0", t.table);
            assert!(conn.prepare(&sql).is_ok(), "{}", t.table);
        }
    }
}
