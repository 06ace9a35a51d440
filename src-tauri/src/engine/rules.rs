//! The community's rules for the impact currency: each change a signed
//! record in the community document, every change kept; the one in force is
//! chosen by `nabo_shared::rewards::rules::current`.

use nabo_shared::api::Table;
use nabo_shared::ids::RulesId;
use nabo_shared::members::authority::Authority;
use nabo_shared::review::{RecordKind, RecordProblem, Writer};
use nabo_shared::rewards::hours::Seen;
use nabo_shared::rewards::rules::{self, Rules, RulesChange, RulesChangeView, RulesView};
use nabo_shared::signed::Signed;
use rusqlite::{params, Connection};

use super::docs::{DocId, DocKind};
use super::error::{EngineError, Refused, Result};
use super::kinds::{self, Kind, KindDecl, ProjectError, Row, TableDecl};
use super::sql::{key_of, ts};
use super::{random, Ctx, Engine};

/// `rules/<id>`: one change of the rules, signed by a coordinator, in the
/// community document.
pub(crate) const RULES: Kind<RulesChange> = Kind::new(KindDecl {
    record: RecordKind::Rules,
    prefix: "rules",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "a newer change signed by a coordinator in office (the newest `changed_at`; \
                    ties: the smaller signature); every change is kept",
    tables: &[TableDecl {
        table: Table::Rules,
        columns: "id TEXT NOT NULL, community TEXT NOT NULL, changed_at TEXT NOT NULL, \
                  signer TEXT NOT NULL, record BLOB NOT NULL, sig BLOB NOT NULL",
        indexes: &["CREATE INDEX IF NOT EXISTS rules_by_community ON rules(community)"],
        signed_at: Some("changed_at"),
    }],
    project: project_rules,
});

fn project_rules(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let change_id: RulesId = kinds::id_of(id)?;
    let c = kinds::open::<RulesChange>(bytes)?;
    let v = &c.value;
    row.expect(
        v.community == row.doc.community
            && v.id == change_id
            && *row.doc == DocId::community(v.community),
    )?;
    if let Err((field, problem)) = Rules::from_list(&v.rules) {
        return Err(ProjectError::Refused(RecordProblem::InvalidField {
            field: field.into(),
            problem,
        }));
    }
    row.insert(
        Table::Rules,
        &[
            &change_id.to_string(),
            &row.doc.community.to_string(),
            &ts(v.changed_at),
            &c.signer.to_hex(),
            &postcard::to_allocvec(v).map_err(|_| RecordProblem::Unreadable)?,
            &c.sig.to_vec(),
        ],
    )
}

/// Every change of the community's rules this device holds.
fn changes(conn: &Connection, ctx: &Ctx) -> Result<Vec<Seen<RulesChange>>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, signer, record, sig FROM rules WHERE community = ?1")?;
    let rows = stmt
        .query_map(params![ctx.community.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Vec<u8>>(2)?,
                r.get::<_, Vec<u8>>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, signer, record, sig)| {
            Ok(Seen {
                value: postcard::from_bytes(&record)
                    .map_err(|_| EngineError::corrupt("rules change", &id))?,
                signer: key_of(&signer)?,
                sig: sig
                    .try_into()
                    .map_err(|_| EngineError::corrupt("signature of", &id))?,
            })
        })
        .collect()
}

/// The rules in force.
pub(crate) fn in_force(conn: &Connection, ctx: &Ctx, who: &Authority) -> Result<Rules> {
    Ok(rules::current(&changes(conn, ctx)?, |k, at| {
        who.in_office_at(k, at)
    }))
}

impl Engine {
    /// The rules in force and every change of them.
    pub fn rules(&self) -> Result<RulesView> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let all = changes(&self.conn, &ctx)?;
        let kept = rules::history(&all, |k, at| who.in_office_at(k, at));
        Ok(RulesView {
            rules: rules::current(&all, |k, at| who.in_office_at(k, at)),
            history: kept
                .into_iter()
                .map(|c| RulesChangeView {
                    at: c.value.changed_at,
                    by: self
                        .member_name(&c.signer)
                        .unwrap_or_else(|| c.signer.key_id().to_string()),
                    rules: Rules::from_list(&c.value.rules).unwrap_or_default(),
                })
                .collect(),
        })
    }

    /// Changes the rules (coordinators only): a new signed record.
    pub fn set_rules(&mut self, new: Rules) -> Result<()> {
        let ctx = self.ctx()?;
        self.require_coordinator(&ctx)?;
        let list = new.to_list();
        if let Err((field, problem)) = Rules::from_list(&list) {
            return Err(Refused::InvalidField { field, problem }.into());
        }
        let change = RulesChange {
            id: RulesId::from_bytes(random()?),
            community: ctx.community,
            rules: list,
            changed_at: self.signing_time(&ctx)?,
        };
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(RULES.key(change.id), &Signed::seal(&self.key, &change))?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }
}
