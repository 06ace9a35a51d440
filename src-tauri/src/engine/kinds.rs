//! How a record kind is declared: each kind is declared once, in its
//! capability's module, as a [`Kind`]: its document key, its home document,
//! who may write it, what supersedes it, its projection tables with their
//! indexes, and its projector. The list of kinds, and what is derived from
//! it, is in `registry.rs`.

use std::fmt::Display;
use std::marker::PhantomData;

use nabo_shared::api::Table;
use nabo_shared::crypto::MemberKey;
use nabo_shared::review::{RecordKind, RecordProblem, Writer};
use nabo_shared::signed::{Record, RecordError, Signed, Verified};
use rusqlite::{ToSql, Transaction};

use super::docs::{DocId, DocKind};

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
    /// For a kind a coordinator writes: the column with the signing time.
    /// Rows carry a `signer` column too, and the review queue checks that
    /// the signer held office at that time.
    pub signed_at: Option<&'static str>,
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

/// A kind as the registry lists it, its record type erased.
pub(crate) trait Declared: Sync {
    /// What it declares.
    fn decl(&'static self) -> &'static KindDecl;
    /// If `bytes` is a record of this kind whose signature holds: what
    /// [`Checked`] keeps to say so, and whether `known` already held it
    /// (then the signature is not checked again).
    fn check(
        &self,
        bytes: &[u8],
        known: &mut dyn FnMut(&CheckedValue) -> bool,
    ) -> Option<(CheckedValue, bool)>;
}

impl<T: Record> Declared for Kind<T> {
    fn decl(&'static self) -> &'static KindDecl {
        &self.decl
    }

    fn check(
        &self,
        bytes: &[u8],
        known: &mut dyn FnMut(&CheckedValue) -> bool,
    ) -> Option<(CheckedValue, bool)> {
        let value = CheckedValue::of::<T>(bytes);
        if known(&value) {
            return Some((value, true));
        }
        let signed = Signed::<T>::from_bytes(bytes).ok()?;
        signed.verify().ok()?;
        Some((value, false))
    }
}

/// A value whose signature was checked for its kind: the digest of the
/// kind's signature domain and the value's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct CheckedValue(pub [u8; 32]);

impl CheckedValue {
    fn of<T: Record>(bytes: &[u8]) -> Self {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        hash.update(T::DOMAIN.as_bytes());
        hash.update([0]);
        hash.update(bytes);
        Self(hash.finalize().into())
    }
}

thread_local! {
    /// The values whose signatures were checked already, elsewhere, while
    /// [`Checked::apply`] runs on this thread.
    static CHECKED: std::cell::RefCell<Option<std::collections::HashSet<CheckedValue>>> =
        const { std::cell::RefCell::new(None) };
}

/// The values this store has found signed as their kind requires, by
/// [`CheckedValue`]: kept beside the projection, not in it, so that a
/// rebuild checks again only the signatures it has never seen hold (a value
/// with one byte changed has another digest). Never cleared: a value, once
/// signed, stays signed.
pub(crate) const VERIFIED: &str = "
CREATE TABLE IF NOT EXISTS verified_values (
    digest BLOB PRIMARY KEY
) WITHOUT ROWID;
";

thread_local! {
    /// Values whose signatures [`open`] checked on this thread, waiting to
    /// be kept in `verified_values` (see [`remember_verified`]).
    static NEWLY_VERIFIED: std::cell::RefCell<Vec<CheckedValue>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Keeps in the store what [`open`] found signed on this thread since the
/// last call, and `more`.
pub(crate) fn remember_verified(
    tx: &Transaction<'_>,
    more: &[CheckedValue],
) -> rusqlite::Result<()> {
    let found = NEWLY_VERIFIED.with(|v| std::mem::take(&mut *v.borrow_mut()));
    if found.is_empty() && more.is_empty() {
        return Ok(());
    }
    let mut stmt =
        tx.prepare_cached("INSERT OR IGNORE INTO verified_values (digest) VALUES (?1)")?;
    for value in found.iter().chain(more) {
        stmt.execute([&value.0[..]])?;
    }
    Ok(())
}

/// Signatures checked ahead, on another thread (the rebuild checks each
/// document's on a second core while this one projects the last): [`open`]
/// takes a value found here as checked; any other it checks itself.
pub(crate) struct Checked(pub std::collections::HashSet<CheckedValue>);

impl Checked {
    /// Runs `f` with these values taken as checked on this thread.
    pub fn apply<R>(self, f: impl FnOnce() -> R) -> R {
        struct Forget;
        impl Drop for Forget {
            fn drop(&mut self) {
                CHECKED.with(|c| c.borrow_mut().take());
            }
        }
        CHECKED.with(|c| *c.borrow_mut() = Some(self.0));
        let _forget = Forget;
        f()
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
    /// The projection is being rebuilt: its tables were empty when the
    /// rebuild began, each key is projected once, and the tables derived
    /// from the rows ([`DERIVED`](super::projection::DERIVED)) are filled
    /// after the last, so a projector need not read what it wrote.
    pub fresh: bool,
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

/// The refusal of a record whose `field` has a value out of bounds.
pub(crate) fn invalid(field: &str, problem: nabo_shared::fields::FieldProblem) -> ProjectError {
    ProjectError::Refused(RecordProblem::InvalidField {
        field: field.into(),
        problem,
    })
}

/// Opens and verifies a signed record of kind `T` (its signature checked
/// here, unless [`Checked`] holds it).
pub(crate) fn open<T: Record>(bytes: &[u8]) -> Result<Verified<T>, ProjectError> {
    let opened = Signed::<T>::from_bytes(bytes).and_then(|signed| {
        signed.open_with(|signed| {
            let checked = CHECKED.with(|c| {
                c.borrow()
                    .as_ref()
                    .is_some_and(|set| set.contains(&CheckedValue::of::<T>(bytes)))
            });
            if checked {
                Ok(())
            } else {
                signed.verify()?;
                let value = CheckedValue::of::<T>(bytes);
                NEWLY_VERIFIED.with(|v| v.borrow_mut().push(value));
                Ok(())
            }
        })
    });
    opened.map_err(|e| {
        ProjectError::Refused(match e {
            RecordError::Signature(_) => RecordProblem::BadSignature,
            RecordError::Envelope(_) | RecordError::Body(_) => RecordProblem::Unreadable,
        })
    })
}

/// A member key as the id part of a document key (lowercase hex only).
pub(crate) fn member_key_in(id: &str) -> Result<MemberKey, ProjectError> {
    MemberKey::from_hex(id)
        .filter(|k| k.to_hex() == id)
        .ok_or(ProjectError::Refused(RecordProblem::UnknownKey))
}

/// Parses the id part of a key, which must be in its one canonical form.
pub(crate) fn id_of<T: std::str::FromStr + Display>(id: &str) -> Result<T, ProjectError> {
    match id.parse::<T>() {
        Ok(parsed) if parsed.to_string() == id => Ok(parsed),
        _ => Err(RecordProblem::UnknownKey.into()),
    }
}
