//! A proposal's description written together: the helpers a proposer
//! names, every edit as a signed Automerge change, and the text a review
//! pins for the ballot (the records, who writes them and what supersedes
//! them, are in `nabo_shared::budget::together`).
//!
//! Every device merges the same edits into the same text: an edit counts
//! when its signer is a member and is the proposer or a helper in force,
//! or when a counted edit builds on it.

use nabo_shared::api::{Missing, Table};
use nabo_shared::budget::round::{BallotProblem, Phase, ProposalReview};
use nabo_shared::budget::together::doc::{self as text, EditProblem, Merged};
use nabo_shared::budget::together::{
    HelperView, ProposalEdit, ProposalHelpers, ReviewedText, MAX_REVIEWED_TEXT,
};
use nabo_shared::crypto::MemberKey;
use nabo_shared::fields::{FieldProblem, MAX_TEXT};
use nabo_shared::ids::{ProposalId, RoundId};
use nabo_shared::members::authority::Authority;
use nabo_shared::review::{RecordKind, Writer};
use nabo_shared::signed::Signed;
use nabo_shared::time::local_day;
use rusqlite::params;

use super::budget::{blob, invalid, just_after, newest, Found, Stored, PROPOSAL_REVIEW};
use super::docs::{DocId, DocKind};
use super::error::{Refused, Result};
use super::kinds::{self, Kind, KindDecl, ProjectError, Row, TableDecl};
use super::sql::ts;
use super::{Ctx, Engine};

/// `proposal-helpers/<proposal>`: who may edit a proposal's description,
/// signed by its proposer.
pub(crate) const PROPOSAL_HELPERS: Kind<ProposalHelpers> = Kind::new(KindDecl {
    record: RecordKind::ProposalHelpers,
    prefix: "proposal-helpers",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Subject,
    superseded_by: "a newer list for the same proposal signed by a key of its proposer (the \
                    newest `updated_at` counts; ties: the smaller signature)",
    tables: &[TableDecl {
        table: Table::ProposalHelpers,
        columns: "proposal TEXT NOT NULL, community TEXT NOT NULL, proposer TEXT NOT NULL, \
                  signer TEXT NOT NULL, updated_at TEXT NOT NULL, record BLOB NOT NULL, \
                  sig BLOB NOT NULL",
        indexes: &[],
        signed_at: None,
    }],
    project: project_helpers,
});

fn project_helpers(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let proposal: ProposalId = kinds::id_of(id)?;
    let h = kinds::open::<ProposalHelpers>(bytes)?;
    let v = &h.value;
    row.expect(v.community == row.doc.community && v.proposal == proposal)?;
    v.check().map_err(invalid)?;
    row.insert(
        Table::ProposalHelpers,
        &[
            &proposal.to_string(),
            &row.doc.community.to_string(),
            &v.proposer.to_hex(),
            &h.signer.to_hex(),
            &ts(v.updated_at),
            &blob(v)?,
            &h.sig.to_vec(),
        ],
    )
}

/// `proposal-edit/<proposal>`: one edit of a proposal's description, signed
/// by the member who made it. Every value the key ever held is an edit.
pub(crate) const PROPOSAL_EDIT: Kind<ProposalEdit> = Kind::new(KindDecl {
    record: RecordKind::ProposalEdit,
    prefix: "proposal-edit",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Subject,
    superseded_by: "nothing: every edit of the proposer or a helper in force counts, merged \
                    (and every edit a counted one builds on)",
    tables: &[TableDecl {
        table: Table::ProposalEdits,
        columns: "proposal TEXT NOT NULL, community TEXT NOT NULL, proposer TEXT NOT NULL, \
                  editor TEXT NOT NULL, edited_at TEXT NOT NULL, record BLOB NOT NULL, \
                  sig BLOB NOT NULL",
        indexes: &[],
        signed_at: None,
    }],
    project: project_edit,
});

fn project_edit(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let proposal: ProposalId = kinds::id_of(id)?;
    let e = kinds::open::<ProposalEdit>(bytes)?;
    let v = &e.value;
    row.expect(v.community == row.doc.community && v.proposal == proposal)?;
    if !v.well_formed() || text::parse(&v.change).is_none() {
        return Err(invalid(("description", FieldProblem::Invalid)));
    }
    row.insert(
        Table::ProposalEdits,
        &[
            &proposal.to_string(),
            &row.doc.community.to_string(),
            &v.proposer.to_hex(),
            &e.signer.to_hex(),
            &ts(v.edited_at),
            &blob(v)?,
            &e.sig.to_vec(),
        ],
    )
}

/// `reviewed-text/<proposal>`: the description as a coordinator reviewed
/// it, signed with the review.
pub(crate) const REVIEWED_TEXT: Kind<ReviewedText> = Kind::new(KindDecl {
    record: RecordKind::ReviewedText,
    prefix: "reviewed-text",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "the one signed with the review in force (same signer, same `reviewed_at`); \
                    others show nowhere",
    tables: &[TableDecl {
        table: Table::ReviewedTexts,
        columns: "proposal TEXT NOT NULL, community TEXT NOT NULL, reviewed_at TEXT NOT NULL, \
                  signer TEXT NOT NULL, record BLOB NOT NULL, sig BLOB NOT NULL",
        indexes: &[],
        signed_at: Some("reviewed_at"),
    }],
    project: project_reviewed_text,
});

fn project_reviewed_text(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let proposal: ProposalId = kinds::id_of(id)?;
    let t = kinds::open::<ReviewedText>(bytes)?;
    let v = &t.value;
    row.expect(v.community == row.doc.community && v.proposal == proposal)?;
    if !v.well_formed() {
        return Err(invalid(("description", FieldProblem::TooLong)));
    }
    row.insert(
        Table::ReviewedTexts,
        &[
            &proposal.to_string(),
            &row.doc.community.to_string(),
            &ts(v.reviewed_at),
            &t.signer.to_hex(),
            &blob(v)?,
            &t.sig.to_vec(),
        ],
    )
}

/// How a proposal's description stands, for its view.
pub(super) struct Together {
    /// The helpers in force.
    pub helpers: Vec<HelperView>,
    /// Whether this member may edit it now.
    pub writes: bool,
    /// The heads an edit starts from.
    pub base: Vec<String>,
    /// The merged text, when anyone edited it.
    pub live: Option<String>,
    /// The text the review in force pinned, if it did.
    pub reviewed: Option<String>,
}

impl Engine {
    /// The helpers in force of proposal `id` of `proposer`: identity keys
    /// from the newest list signed by a key of the proposer's.
    pub(super) fn helpers_of(
        &self,
        ctx: &Ctx,
        who: &Authority,
        id: ProposalId,
        proposer: &MemberKey,
    ) -> Result<Vec<MemberKey>> {
        let all: Vec<Stored<ProposalHelpers>> = self.stored(
            ctx,
            "SELECT record, signer, sig FROM proposal_helpers WHERE community = ?1 AND proposal = ?2",
            &id.to_string(),
        )?;
        let owner = who.identity(proposer);
        Ok(newest(
            all,
            |h| h.updated_at,
            |s| s.value.proposer == *proposer && who.identity(&s.signer) == owner,
        )
        .map(|s| s.value.helpers)
        .unwrap_or_default())
    }

    /// The merged description of proposal `id` of `proposer`, if anyone
    /// edited it.
    pub(super) fn text_of(
        &self,
        ctx: &Ctx,
        who: &Authority,
        id: ProposalId,
        proposer: &MemberKey,
        helpers: &[MemberKey],
    ) -> Result<Option<Merged>> {
        let all: Vec<Stored<ProposalEdit>> = self.stored(
            ctx,
            "SELECT record, editor, sig FROM proposal_edits WHERE community = ?1 AND proposal = ?2",
            &id.to_string(),
        )?;
        let owner = who.identity(proposer);
        let edits: Vec<_> = all
            .into_iter()
            .filter(|s| s.value.proposer == *proposer)
            .filter_map(|s| {
                let editor = who.identity(&s.signer);
                let counts = who.member(&s.signer).is_some()
                    && (editor == owner || helpers.contains(&editor));
                text::parse(&s.value.change).map(|c| (c, counts))
            })
            .collect();
        if edits.is_empty() {
            return Ok(None);
        }
        Ok(text::merge(id, edits).filter(|m| m.edits > 0))
    }

    /// The text pinned with `review`, if its coordinator pinned one.
    fn reviewed_text(
        &self,
        ctx: &Ctx,
        id: ProposalId,
        review: &Stored<ProposalReview>,
    ) -> Result<Option<String>> {
        let all: Vec<Stored<ReviewedText>> = self.stored(
            ctx,
            "SELECT record, signer, sig FROM reviewed_texts WHERE community = ?1 AND proposal = ?2",
            &id.to_string(),
        )?;
        Ok(all
            .into_iter()
            .filter(|s| {
                s.signer == review.signer
                    && s.value.reviewed_at == review.value.reviewed_at
                    && s.value.proposer == review.value.proposer
            })
            .min_by(|a, b| a.sig.cmp(&b.sig))
            .map(|s| s.value.text))
    }

    /// Where proposal `id` of `proposer`'s description stands.
    pub(super) fn together(
        &self,
        ctx: &Ctx,
        who: &Authority,
        (id, proposer): (ProposalId, &MemberKey),
        found: &Found,
        open: bool,
    ) -> Result<Together> {
        let helpers = self.helpers_of(ctx, who, id, proposer)?;
        let merged = self.text_of(ctx, who, id, proposer, &helpers)?;
        let me = who.identity(&ctx.me);
        let writes = open
            && who.member(&ctx.me).is_some()
            && (who.identity(proposer) == me || helpers.contains(&me));
        let base = match &merged {
            Some(m) => text::heads_text(&m.heads),
            None => text::heads_text(&text::base(id).get_heads()),
        };
        let reviewed = match found.review() {
            Some(r) => self.reviewed_text(ctx, id, r)?,
            None => None,
        };
        Ok(Together {
            helpers: helpers
                .iter()
                .map(|k| HelperView {
                    name: who
                        .member(k)
                        .map(|m| m.name.clone())
                        .unwrap_or_else(|| k.key_id().to_string()),
                    device: k.key_id().to_string(),
                })
                .collect(),
            writes,
            base,
            live: merged.map(|m| m.text),
            reviewed,
        })
    }

    /// The round of proposal `id`, if its proposals take changes now: not
    /// counted, in its ideas phase by this device's date.
    fn ideas_open(&self, ctx: &Ctx, who: &Authority, id: ProposalId) -> Result<RoundId> {
        let round = self.round_of(ctx, id, None)?;
        if self.tally_of(ctx, who, round)?.is_some() {
            return Err(Refused::Ballot(BallotProblem::Counted).into());
        }
        let r = self.round_in_force(ctx, who, round)?;
        if r.phase(local_day(self.now(), ctx.tz), false) != Phase::Ideas {
            return Err(Refused::Ballot(BallotProblem::NotIdeas).into());
        }
        Ok(round)
    }

    /// The proposal of id `id` this member writes: their own, else one
    /// whose proposer named them.
    fn written_by_me(
        &self,
        ctx: &Ctx,
        who: &Authority,
        (round, id): (RoundId, ProposalId),
    ) -> Result<MemberKey> {
        let found = self.proposals_of(ctx, who, round)?;
        let me = who.identity(&ctx.me);
        let mut any = false;
        for (_, proposer) in found.keys().filter(|(p, _)| *p == id) {
            any = true;
            if who.identity(proposer) == me
                || self.helpers_of(ctx, who, id, proposer)?.contains(&me)
            {
                return Ok(*proposer);
            }
        }
        Err(if any {
            Refused::Ballot(BallotProblem::NotHelper).into()
        } else {
            Refused::NotFound(Missing::Proposal).into()
        })
    }

    /// The signed edit that turns the description as it stood at `base`
    /// into `new`, if anything changes (`base` empty: from where it stands
    /// on this device).
    pub(super) fn edit_record(
        &self,
        ctx: &Ctx,
        who: &Authority,
        (round, id, proposer): (RoundId, ProposalId, &MemberKey),
        base: &[String],
        new: &str,
    ) -> Result<Option<Signed<ProposalEdit>>> {
        let helpers = self.helpers_of(ctx, who, id, proposer)?;
        let mut merged = match self.text_of(ctx, who, id, proposer, &helpers)? {
            Some(m) => m,
            None => {
                text::merge(id, Vec::new()).ok_or(Refused::Ballot(BallotProblem::TextChanged))?
            }
        };
        let base = if base.is_empty() {
            text::heads_text(&merged.heads)
        } else {
            base.to_vec()
        };
        let change = match text::edit(&mut merged, &base, new) {
            Ok(Some(change)) => change,
            Ok(None) => return Ok(None),
            Err(EditProblem::Stale | EditProblem::NoText) => {
                return Err(Refused::Ballot(BallotProblem::TextChanged).into())
            }
        };
        let newest: Option<String> = self.conn.query_row(
            "SELECT MAX(edited_at) FROM proposal_edits
              WHERE community = ?1 AND proposal = ?2 AND editor = ?3",
            params![ctx.community.to_string(), id.to_string(), ctx.me.to_hex()],
            |r| r.get(0),
        )?;
        let edit = ProposalEdit {
            proposal: id,
            proposer: *proposer,
            community: ctx.community,
            round,
            change,
            edited_at: just_after(newest.as_deref(), self.now())?,
        };
        if !edit.well_formed() {
            return Err(Refused::InvalidField {
                field: "description",
                problem: FieldProblem::TooLong,
            }
            .into());
        }
        Ok(Some(Signed::seal(&self.key, &edit)))
    }

    /// A new description of a proposal, by its proposer or a helper (in
    /// the ideas phase): what changed since `base`, merged with what others
    /// wrote meanwhile.
    pub fn edit_proposal_text(&mut self, id: ProposalId, base: &[String], new: &str) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        if who.member(&ctx.me).is_none() {
            return Err(Refused::NotSetUp.into());
        }
        let round = self.ideas_open(&ctx, &who, id)?;
        let proposer = self.written_by_me(&ctx, &who, (round, id))?;
        let new = new.trim();
        nabo_shared::fields::required(new, MAX_TEXT).map_err(|problem| Refused::InvalidField {
            field: "description",
            problem,
        })?;
        let Some(edit) = self.edit_record(&ctx, &who, (round, id, &proposer), base, new)? else {
            return Ok(());
        };
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(PROPOSAL_EDIT.key(id), &edit)?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }

    /// The members this member may name as helpers: everyone confirmed
    /// and not removed, but themselves, by name.
    pub fn helper_choices(&self) -> Result<Vec<HelperView>> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        if who.member(&ctx.me).is_none() {
            return Err(Refused::NotSetUp.into());
        }
        let me = who.identity(&ctx.me);
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for key in who.active_keys() {
            let member = who.identity(&key);
            if member == me || who.shut_out(&key) || !seen.insert(member) {
                continue;
            }
            if let Some(m) = who.member(&key) {
                out.push(HelperView {
                    name: m.name.clone(),
                    device: member.key_id().to_string(),
                });
            }
        }
        out.sort_by(|a, b| (&a.name, &a.device).cmp(&(&b.name, &b.device)));
        Ok(out)
    }

    /// Names the members who may edit one of this member's proposals'
    /// description with them (in the ideas phase), by their devices'
    /// fingerprints as the member list shows them.
    pub fn set_proposal_helpers(&mut self, id: ProposalId, devices: &[String]) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        if who.member(&ctx.me).is_none() {
            return Err(Refused::NotSetUp.into());
        }
        let round = self.ideas_open(&ctx, &who, id)?;
        let me = who.identity(&ctx.me);
        let found = self.proposals_of(&ctx, &who, round)?;
        let proposer = found
            .keys()
            .find(|(p, proposer)| *p == id && who.identity(proposer) == me)
            .map(|(_, proposer)| *proposer)
            .ok_or(Refused::NotFound(Missing::Proposal))?;
        let mut helpers = super::members::chosen_members(&who, devices, "helpers")?;
        helpers.retain(|m| *m != me);
        let newest: Option<String> = self.conn.query_row(
            "SELECT MAX(updated_at) FROM proposal_helpers WHERE community = ?1 AND proposal = ?2",
            params![ctx.community.to_string(), id.to_string()],
            |r| r.get(0),
        )?;
        let list = ProposalHelpers {
            proposal: id,
            proposer,
            community: ctx.community,
            round,
            helpers,
            updated_at: just_after(newest.as_deref(), self.now())?,
        };
        list.check()
            .map_err(|(field, problem)| Refused::InvalidField { field, problem })?;
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(PROPOSAL_HELPERS.key(id), &Signed::seal(&self.key, &list))?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }

    /// The review and the text it pins, sealed, to put in one commit.
    pub(super) fn seal_review(
        &self,
        ctx: &Ctx,
        who: &Authority,
        review: &ProposalReview,
        found: &Found,
    ) -> Result<(ProposalId, Signed<ProposalReview>, Signed<ReviewedText>)> {
        let helpers = self.helpers_of(ctx, who, review.proposal, &review.proposer)?;
        let text = self
            .text_of(ctx, who, review.proposal, &review.proposer, &helpers)?
            .map(|m| m.text)
            .unwrap_or_else(|| found.newest().description.clone());
        let pinned = ReviewedText {
            proposal: review.proposal,
            proposer: review.proposer,
            community: review.community,
            round: review.round,
            text: text.chars().take(MAX_REVIEWED_TEXT).collect(),
            reviewed_at: review.reviewed_at,
        };
        Ok((
            review.proposal,
            Signed::seal(&self.key, review),
            Signed::seal(&self.key, &pinned),
        ))
    }

    /// Puts a sealed review and its text in the community's document.
    pub(super) fn put_review(
        &mut self,
        ctx: &Ctx,
        (id, review, pinned): (ProposalId, Signed<ProposalReview>, Signed<ReviewedText>),
    ) -> Result<()> {
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(PROPOSAL_REVIEW.key(id), &review)?;
        doc.put(REVIEWED_TEXT.key(id), &pinned)?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }
}
