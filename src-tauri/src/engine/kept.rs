//! What the engine judged and keeps between calls, kept in the store as
//! well, so that opening the app does not judge everything again (seconds
//! on a five-year hub, and the coordinator's first screen asks for the
//! review queue): members' accounts (`accounts.rs`) and what the review
//! queue found signed out of office (`review.rs`).
//!
//! Each is kept whole or not at all, with the heads of the community
//! document it was judged under (who counts as what and the rules live
//! there, so a change of it can change every verdict) and the judgement's
//! version. Memory and disk move together:
//! - a commit that re-projects rows marks, in its own transaction, what
//!   they can move (`kept_stale`); one that changes the community document
//!   also marks what that change can move and keeps the rest under the
//!   document's new heads, or forgets what it can all move
//!   (`accounts::carry`, [`carry_over`]);
//! - judging again writes the new verdicts and clears the marks in one
//!   transaction;
//! - a rebuild, a migration or leaving forgets everything in its own.
//!
//! So what the store keeps, with its marks, always answers for the rows
//! beside it; opening takes it up only when the community document and the
//! judgement are still the ones it was made under. Nothing kept leaves the
//! device (it is not a document) and a verdict is only ever read back by
//! the device that wrote it.

use nabo_shared::ids::CommunityId;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::error::Result;
use super::store;
use super::DocId;

pub(super) const SCHEMA: &str = "
-- What is kept ('accounts', 'signatures'): the judgement that made it and
-- the community document's heads it holds under.
CREATE TABLE IF NOT EXISTS kept (
    what TEXT PRIMARY KEY,
    judgement TEXT NOT NULL,
    community_heads BLOB NOT NULL
);
-- The verdicts, as JSON: a member's account by their key (hex), or what
-- was signed out of office by document and key.
CREATE TABLE IF NOT EXISTS kept_verdicts (
    what TEXT NOT NULL,
    key TEXT NOT NULL,
    verdict TEXT NOT NULL,
    PRIMARY KEY (what, key)
) WITHOUT ROWID;
-- What commits moved since it was judged: keys (hex) whose accounts they
-- can move, document keys of kinds a coordinator writes.
CREATE TABLE IF NOT EXISTS kept_stale (
    what TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (what, key)
) WITHOUT ROWID;
";

/// The tables this module keeps (leaving a community empties them).
pub(super) const TABLES: [&str; 3] = ["kept", "kept_verdicts", "kept_stale"];

/// The judgement kept verdicts were made by: this version of the app and
/// of the rules in `accounts.rs` and `review.rs`. Raise `RULES` whenever
/// what they judge changes, so that a store kept by an older judgement is
/// judged again.
fn judgement() -> String {
    // 2: accounts keep where their points came from.
    const RULES: u32 = 2;
    format!("{}/{RULES}", env!("CARGO_PKG_VERSION"))
}

/// What is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum What {
    Accounts,
    Signatures,
}

impl What {
    fn name(self) -> &'static str {
        match self {
            What::Accounts => "accounts",
            What::Signatures => "signatures",
        }
    }
}

/// The community document's heads, as one blob.
pub(super) fn community_heads(conn: &Connection, community: CommunityId) -> Result<Vec<u8>> {
    let heads = store::heads(conn, &DocId::community(community))?.unwrap_or_default();
    Ok(heads.iter().flat_map(|h| h.0).collect())
}

/// Forgets everything kept, inside `tx` (the community document changed,
/// or the projection was made again).
pub(super) fn forget(tx: &Transaction<'_>) -> Result<()> {
    for table in TABLES {
        tx.execute(&format!("DELETE FROM {table}"), [])?;
    }
    Ok(())
}

/// Forgets `what` alone.
fn forget_one(conn: &Connection, what: What) -> Result<()> {
    let tx = conn.unchecked_transaction()?;
    forget_in(&tx, what)?;
    tx.commit()?;
    Ok(())
}

/// Forgets `what` alone, inside `tx`.
fn forget_in(tx: &Transaction<'_>, what: What) -> Result<()> {
    for table in TABLES {
        tx.execute(
            &format!("DELETE FROM {table} WHERE what = ?1"),
            [what.name()],
        )?;
    }
    Ok(())
}

/// After a change of the community document, inside its transaction:
/// what still `holds` is kept under the document's new `heads` (with the
/// marks the commit adds), the rest forgotten.
pub(super) fn carry_over(
    tx: &Transaction<'_>,
    holds: [(What, bool); 2],
    heads: &[u8],
) -> Result<()> {
    for (what, holds) in holds {
        if holds {
            tx.execute(
                "UPDATE kept SET community_heads = ?2 WHERE what = ?1",
                params![what.name(), heads],
            )?;
        } else {
            forget_in(tx, what)?;
        }
    }
    Ok(())
}

/// Marks what a commit's rows moved, inside its transaction, where it is
/// kept: `keys` are member keys as stored (hex) or document keys.
pub(super) fn mark_moved(tx: &Transaction<'_>, what: What, keys: &[String]) -> Result<()> {
    if keys.is_empty() {
        return Ok(());
    }
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO kept_stale(what, key)
         SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM kept WHERE what = ?1)",
    )?;
    for key in keys {
        stmt.execute(params![what.name(), key])?;
    }
    Ok(())
}

/// Writes what was judged, and clears the marks, in one transaction:
/// `whole` replaces everything kept of `what` (kept under the community
/// document's `heads`); otherwise only the verdicts in `verdicts` are
/// replaced (`None` deletes one). What cannot be written is forgotten
/// instead (the next opening judges it again): kept verdicts only save
/// time, and a reading never fails for them.
pub(super) fn save(
    conn: &Connection,
    what: What,
    whole: Option<&[u8]>,
    verdicts: &[(String, Option<String>)],
) {
    if let Err(e) = write(conn, what, whole, verdicts) {
        log::warn!("kept {} not saved ({e}): forgotten", what.name());
        if let Err(e) = forget_one(conn, what) {
            log::warn!("kept {} not forgotten either ({e})", what.name());
        }
    }
}

fn write(
    conn: &Connection,
    what: What,
    whole: Option<&[u8]>,
    verdicts: &[(String, Option<String>)],
) -> Result<()> {
    let tx = conn.unchecked_transaction()?;
    if let Some(heads) = whole {
        tx.execute("DELETE FROM kept_verdicts WHERE what = ?1", [what.name()])?;
        tx.execute(
            "INSERT OR REPLACE INTO kept(what, judgement, community_heads) VALUES (?1, ?2, ?3)",
            params![what.name(), judgement(), heads],
        )?;
    }
    {
        let mut delete =
            tx.prepare_cached("DELETE FROM kept_verdicts WHERE what = ?1 AND key = ?2")?;
        let mut insert =
            tx.prepare_cached("INSERT INTO kept_verdicts(what, key, verdict) VALUES (?1, ?2, ?3)")?;
        for (key, verdict) in verdicts {
            delete.execute(params![what.name(), key])?;
            if let Some(verdict) = verdict {
                insert.execute(params![what.name(), key, verdict])?;
            }
        }
    }
    tx.execute("DELETE FROM kept_stale WHERE what = ?1", [what.name()])?;
    tx.commit()?;
    Ok(())
}

/// What the store keeps of one thing: its verdicts by key, and the keys
/// commits moved since.
pub(super) struct Kept {
    pub verdicts: Vec<(String, String)>,
    pub marks: Vec<String>,
}

/// What is kept of `what`, read back by `read`, if it was kept under the
/// community document's `heads` by this judgement. Anything kept
/// otherwise, or that `read` cannot read (a judgement that did not raise
/// its `RULES`, damage), is forgotten, and judged again when asked for.
pub(super) fn restore<T>(
    conn: &Connection,
    what: What,
    heads: &[u8],
    read: impl FnOnce(Kept) -> std::result::Result<T, String>,
) -> Result<Option<T>> {
    let kept: Option<(String, Vec<u8>)> = conn
        .query_row(
            "SELECT judgement, community_heads FROM kept WHERE what = ?1",
            [what.name()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match kept {
        Some((made_by, kept_heads)) if made_by == judgement() && kept_heads == heads => {}
        Some(_) => {
            forget_one(conn, what)?;
            return Ok(None);
        }
        None => return Ok(None),
    }
    let verdicts = conn
        .prepare("SELECT key, verdict FROM kept_verdicts WHERE what = ?1")?
        .query_map([what.name()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let marks = conn
        .prepare("SELECT key FROM kept_stale WHERE what = ?1")?
        .query_map([what.name()], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    match read(Kept { verdicts, marks }) {
        Ok(kept) => Ok(Some(kept)),
        Err(problem) => {
            log::warn!(
                "kept {} could not be read back ({problem}): judged again",
                what.name()
            );
            forget_one(conn, what)?;
            Ok(None)
        }
    }
}
