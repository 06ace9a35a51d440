//! Every record kind, and what is derived from their declarations: the
//! projection schema, which tables a changed key touches (`store-changed`),
//! which kind a document key belongs to (the projection driver and rebuild),
//! and the list the review queue checks signers against.
//!
//! Adding a kind: its record in `shared`, its `Kind` in its capability's
//! engine module, one line in [`KINDS`].

use std::collections::BTreeSet;

use nabo_shared::api::Table;

use super::kinds::{Declared, KindDecl, TableDecl};
use super::{
    activities, budget, cards, closures, community, devices, hours, members, offers, payments,
    pool, rewards, rules, together,
};

/// Every record kind.
pub(crate) const KINDS: &[&dyn Declared] = &[
    &community::GENESIS,
    &community::JOIN_REQUEST,
    &community::INVITE_WITHDRAWAL,
    &members::MEMBERSHIP,
    &members::REVOCATION,
    &members::REINSTATEMENT,
    &devices::DEVICE_LINK,
    &devices::DEVICE_RETIREMENT,
    &devices::REPLACEMENT,
    &cards::CARD,
    &activities::ACTIVITY,
    &activities::CHECK_IN,
    &rewards::LEDGER_ENTRY,
    &rewards::MOVEMENT,
    &payments::PAYMENT,
    &payments::RETURN,
    &payments::OVERSPEND_ACCEPTED,
    &payments::STATEMENT,
    &payments::REFUSAL,
    &closures::CLOSURE,
    &offers::OFFER,
    &hours::HOUR_CLAIM,
    &hours::HOUR_DECISION,
    &rules::RULES,
    &budget::ROUND,
    &budget::PROPOSAL,
    &budget::PROPOSAL_REVIEW,
    &budget::PROPOSAL_PHOTO,
    &budget::BALLOT,
    &budget::PAPER_BALLOT,
    &budget::TALLY,
    &budget::CENSUS_CODES,
    &budget::CENSUS_BALLOT,
    &pool::POOL,
    &pool::APPLICATION,
    &pool::PANEL_VOTE,
    &pool::PAYOUT,
    &together::PROPOSAL_HELPERS,
    &together::PROPOSAL_EDIT,
    &together::REVIEWED_TEXT,
];

/// Every kind's declaration, in the order of [`KINDS`].
pub(crate) fn decls() -> impl Iterator<Item = &'static KindDecl> {
    KINDS.iter().map(|k| k.decl())
}

/// The kind a document key belongs to, and the key's id part.
pub(crate) fn kind_of(key: &str) -> Option<(&'static KindDecl, &str)> {
    checked_kind_of(key).map(|(kind, id)| (kind.decl(), id))
}

/// [`kind_of`], with the kind's record type (for checking signatures).
pub(crate) fn checked_kind_of(key: &str) -> Option<(&'static dyn Declared, &str)> {
    KINDS.iter().copied().find_map(|checked| {
        let kind = checked.decl();
        if kind.singleton {
            (key == kind.prefix).then_some((checked, ""))
        } else {
            key.strip_prefix(kind.prefix)
                .and_then(|rest| rest.strip_prefix('/'))
                .map(|id| (checked, id))
        }
    })
}

/// The rejected-values table, which every document kind may write to.
pub(crate) const REJECTED: TableDecl = TableDecl {
    table: Table::Rejected,
    columns: "record TEXT, signer TEXT, problem TEXT NOT NULL",
    indexes: &[],
    signed_at: None,
};

/// Every projection table with its declaration.
pub(crate) fn projection_tables() -> impl Iterator<Item = &'static TableDecl> {
    decls()
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

/// Indexes older versions made that today's replace: dropped on open.
const RETIRED_INDEXES: [&str; 4] = [
    // Each replaced by one that starts with the same columns and holds
    // more: `ledger_by_member`, `payments_by_payer_request`,
    // `payments_of_request`, `closures_of_request`.
    "ledger_by_to",
    "payments_by_payer",
    "payments_by_request",
    "closures_by_reference",
];

/// The SQL that creates every projection table and index (and drops the
/// indexes that are no longer used).
pub(crate) fn schema() -> String {
    let mut sql = String::new();
    for index in RETIRED_INDEXES {
        sql.push_str(&format!("DROP INDEX IF EXISTS {index};\n"));
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use nabo_shared::review::Writer;

    #[test]
    fn every_key_belongs_to_exactly_one_kind() {
        let mut prefixes: Vec<_> = decls().map(|k| k.prefix).collect();
        prefixes.sort();
        prefixes.dedup();
        assert_eq!(prefixes.len(), KINDS.len());
        for kind in decls() {
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
        for kind in decls() {
            assert!(
                kind.superseded_by.len() > 10,
                "{} does not say what supersedes it",
                kind.prefix
            );
            assert!(!kind.tables.is_empty(), "{} projects nowhere", kind.prefix);
            let signed = kind.tables.iter().any(|t| t.signed_at.is_some());
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
        for t in projection_tables() {
            let Some(at) = t.signed_at else { continue };
            let sql = format!("SELECT signer, {at} FROM {} LIMIT 0", t.table);
            assert!(conn.prepare(&sql).is_ok(), "{}", t.table);
        }
    }
}
