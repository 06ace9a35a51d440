//! Neighbourhood budget rounds: rounds, proposals, reviews, ballots and the
//! count (the records, who writes them and what supersedes them, are in
//! `nabo_shared::budget::round`).
//!
//! Every device decides the same way from the same records: the newest
//! version of a round or review signed by a key in office then, each
//! member's ballot with the highest `seq` among their keys (ties: the
//! smaller signature), and the result from the newest count alone. Dates
//! on this device guide what it offers; a coordinator's review decides
//! what is on the ballot, and a coordinator's count which ballots counted,
//! so a member's clock set back changes nothing.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use nabo_shared::api::{Missing, Table};
use nabo_shared::budget::report::{self, BudgetReport};
use nabo_shared::budget::round::{
    census_code, census_id, Ballot, BallotProblem, CensusBallot, CensusCodes, CensusTexts,
    PaperBallot, Phase, Proposal, ProposalPhoto, ProposalReview, ProposalView, ReviewView, Round,
    RoundDetail, RoundInput, RoundView, SaveProposal, Tally, CENSUS_LEN, CENSUS_LETTERS,
    MAX_CENSUS, MAX_PHOTO_BYTES,
};
use nabo_shared::budget::{pabulib, TieBreak};
use nabo_shared::crypto::MemberKey;
use nabo_shared::fields::FieldProblem;
use nabo_shared::ids::{CensusId, ProposalId, RoundId};
use nabo_shared::members::authority::Authority;
use nabo_shared::review::{RecordKind, RecordProblem, Writer};
use nabo_shared::signed::Signed;
use nabo_shared::time::local_day;
use rusqlite::{params, OptionalExtension};

use super::docs::{DocId, DocKind};
use super::error::{EngineError, Refused, Result};
use super::kinds::{self, Kind, KindDecl, ProjectError, Row, TableDecl};
use super::sql::{key_of, ts};
use super::together::PROPOSAL_EDIT;
use super::{random, Ctx, Engine};

/// `budget-round/<id>`: a version of a round, signed by a coordinator.
pub(crate) const ROUND: Kind<Round> = Kind::new(KindDecl {
    record: RecordKind::BudgetRound,
    prefix: "budget-round",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "a newer version of the same round signed by a coordinator (the newest \
                    `updated_at` counts; ties: the smaller signature)",
    tables: &[TableDecl {
        table: Table::BudgetRounds,
        columns: "id TEXT NOT NULL, community TEXT NOT NULL, updated_at TEXT NOT NULL, \
                  signer TEXT NOT NULL, record BLOB NOT NULL, sig BLOB NOT NULL",
        indexes: &[],
        signed_at: Some("updated_at"),
    }],
    project: project_round,
});

/// `proposal/<id>`: a version of a proposal, signed by its proposer.
pub(crate) const PROPOSAL: Kind<Proposal> = Kind::new(KindDecl {
    record: RecordKind::Proposal,
    prefix: "proposal",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Subject,
    superseded_by: "a newer version of the same proposal signed by the same proposer (the \
                    newest `updated_at` counts; the ballot shows the version a coordinator \
                    reviewed); another member's versions under the same id are a proposal of \
                    their own",
    tables: &[TableDecl {
        table: Table::Proposals,
        columns: "id TEXT NOT NULL, community TEXT NOT NULL, round TEXT NOT NULL, \
                  proposer TEXT NOT NULL, updated_at TEXT NOT NULL, record BLOB NOT NULL, \
                  sig BLOB NOT NULL",
        indexes: &["CREATE INDEX IF NOT EXISTS proposals_by_round ON proposals(community, round)"],
        signed_at: None,
    }],
    project: project_proposal,
});

/// `proposal-review/<proposal>`: a coordinator's review of a proposal.
pub(crate) const PROPOSAL_REVIEW: Kind<ProposalReview> = Kind::new(KindDecl {
    record: RecordKind::ProposalReview,
    prefix: "proposal-review",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "a newer review of the same proposal signed by a coordinator (the newest \
                    `reviewed_at` counts; ties: the smaller signature)",
    tables: &[TableDecl {
        table: Table::ProposalReviews,
        columns: "proposal TEXT NOT NULL, community TEXT NOT NULL, round TEXT NOT NULL, \
                  reviewed_at TEXT NOT NULL, signer TEXT NOT NULL, record BLOB NOT NULL, \
                  sig BLOB NOT NULL",
        indexes: &[
            "CREATE INDEX IF NOT EXISTS proposal_reviews_by_round ON proposal_reviews(community, round)",
        ],
        signed_at: Some("reviewed_at"),
    }],
    project: project_review,
});

/// `ballot/<round>`: a member's ballot, in the ledger document of the key
/// that signed it, of the month it claims.
pub(crate) const BALLOT: Kind<Ballot> = Kind::new(KindDecl {
    record: RecordKind::Ballot,
    prefix: "ballot",
    singleton: false,
    home: DocKind::Ledger,
    writer: Writer::Subject,
    superseded_by: "the member's valid ballot in the same round with the higher `seq`, of any \
                    of their keys (ties: the smaller signature); once a coordinator counts the \
                    round, nothing",
    tables: &[TableDecl {
        table: Table::Ballots,
        columns: "round TEXT NOT NULL, community TEXT NOT NULL, voter TEXT NOT NULL, \
                  seq INTEGER NOT NULL, record BLOB NOT NULL, sig BLOB NOT NULL",
        indexes: &["CREATE INDEX IF NOT EXISTS ballots_by_round ON ballots(community, round)"],
        signed_at: None,
    }],
    project: project_ballot,
});

/// `paper-ballot/<round>`: a paper ballot a coordinator's device entered
/// for a member, in the ledger document of the member's key it names, of
/// the month it was entered.
pub(crate) const PAPER_BALLOT: Kind<PaperBallot> = Kind::new(KindDecl {
    record: RecordKind::PaperBallot,
    prefix: "paper-ballot",
    singleton: false,
    home: DocKind::Ledger,
    writer: Writer::Coordinator,
    superseded_by: "a paper ballot for the same member in the same round entered later by a \
                    coordinator (the newest `entered_at` counts; ties: the smaller signature); \
                    a member's paper ballot counts instead of any phone ballot of theirs",
    tables: &[TableDecl {
        table: Table::PaperBallots,
        columns: "round TEXT NOT NULL, community TEXT NOT NULL, voter TEXT NOT NULL, \
                  entered_at TEXT NOT NULL, signer TEXT NOT NULL, record BLOB NOT NULL, \
                  sig BLOB NOT NULL",
        indexes: &[
            "CREATE INDEX IF NOT EXISTS paper_ballots_by_round ON paper_ballots(community, round)",
        ],
        signed_at: Some("entered_at"),
    }],
    project: project_paper_ballot,
});

fn project_paper_ballot(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let round: RoundId = kinds::id_of(id)?;
    let b = kinds::open::<PaperBallot>(bytes)?;
    let v = &b.value;
    row.expect(
        v.community == row.doc.community
            && v.round == round
            && DocId::ledger(v.community, &v.voter, v.entered_at) == *row.doc,
    )?;
    if !v.well_formed() {
        return Err(kinds::invalid("approves", FieldProblem::OutOfRange));
    }
    row.insert(
        Table::PaperBallots,
        &[
            &round.to_string(),
            &row.doc.community.to_string(),
            &v.voter.to_hex(),
            &ts(v.entered_at),
            &b.signer.to_hex(),
            &blob(v)?,
            &b.sig.to_vec(),
        ],
    )
}

/// `tally/<round>`: a coordinator's count of a round.
pub(crate) const TALLY: Kind<Tally> = Kind::new(KindDecl {
    record: RecordKind::Tally,
    prefix: "tally",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "a newer count of the same round signed by a coordinator (the newest \
                    `closed_at` counts; ties: the smaller signature)",
    tables: &[TableDecl {
        table: Table::Tallies,
        columns: "round TEXT NOT NULL, community TEXT NOT NULL, closed_at TEXT NOT NULL, \
                  signer TEXT NOT NULL, record BLOB NOT NULL, sig BLOB NOT NULL",
        indexes: &[],
        signed_at: Some("closed_at"),
    }],
    project: project_tally,
});

/// `proposal-photo/<proposal>`: a proposal's photo, signed by its proposer.
pub(crate) const PROPOSAL_PHOTO: Kind<ProposalPhoto> = Kind::new(KindDecl {
    record: RecordKind::ProposalPhoto,
    prefix: "proposal-photo",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Subject,
    superseded_by: "a newer photo of the same proposal signed by its proposer (the newest \
                    `added_at` counts; an empty one takes the photo away)",
    tables: &[TableDecl {
        table: Table::ProposalPhotos,
        columns: "proposal TEXT NOT NULL, community TEXT NOT NULL, proposer TEXT NOT NULL, \
                  added_at TEXT NOT NULL, record BLOB NOT NULL, sig BLOB NOT NULL",
        indexes: &[],
        signed_at: None,
    }],
    project: project_photo,
});

fn project_photo(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let proposal: ProposalId = kinds::id_of(id)?;
    let p = kinds::open::<ProposalPhoto>(bytes)?;
    let v = &p.value;
    row.expect(
        v.community == row.doc.community && v.proposal == proposal && v.proposer == p.signer,
    )?;
    if !v.well_formed() {
        return Err(kinds::invalid("photo", FieldProblem::Invalid));
    }
    row.insert(
        Table::ProposalPhotos,
        &[
            &proposal.to_string(),
            &row.doc.community.to_string(),
            &v.proposer.to_hex(),
            &ts(v.added_at),
            &blob(v)?,
            &p.sig.to_vec(),
        ],
    )
}

/// `census-codes/<round>`: one-time codes a coordinator printed on paper
/// ballots.
pub(crate) const CENSUS_CODES: Kind<CensusCodes> = Kind::new(KindDecl {
    record: RecordKind::CensusCodes,
    prefix: "census-codes",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "nothing: every set of codes signed by a coordinator in office adds its codes",
    tables: &[TableDecl {
        table: Table::CensusCodes,
        columns: "round TEXT NOT NULL, community TEXT NOT NULL, issued_at TEXT NOT NULL, \
                  signer TEXT NOT NULL, record BLOB NOT NULL, sig BLOB NOT NULL",
        indexes: &[],
        signed_at: Some("issued_at"),
    }],
    project: project_census_codes,
});

fn project_census_codes(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let round: RoundId = kinds::id_of(id)?;
    let c = kinds::open::<CensusCodes>(bytes)?;
    row.expect(c.value.community == row.doc.community && c.value.round == round)?;
    if !c.value.well_formed() {
        return Err(kinds::invalid("ids", FieldProblem::OutOfRange));
    }
    row.insert(
        Table::CensusCodes,
        &[
            &round.to_string(),
            &row.doc.community.to_string(),
            &ts(c.value.issued_at),
            &c.signer.to_hex(),
            &blob(&c.value)?,
            &c.sig.to_vec(),
        ],
    )
}

/// `census-ballot/<census id>`: a paper ballot a coordinator entered by
/// its one-time code.
pub(crate) const CENSUS_BALLOT: Kind<CensusBallot> = Kind::new(KindDecl {
    record: RecordKind::CensusBallot,
    prefix: "census-ballot",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "a paper ballot with the same code entered later by a coordinator (the newest \
                    `entered_at` counts; ties: the smaller signature); a code entered more \
                    than once shows in the review queue",
    tables: &[TableDecl {
        table: Table::CensusBallots,
        columns: "census TEXT NOT NULL, round TEXT NOT NULL, community TEXT NOT NULL, \
                  entered_at TEXT NOT NULL, signer TEXT NOT NULL, record BLOB NOT NULL, \
                  sig BLOB NOT NULL",
        indexes: &[
            "CREATE INDEX IF NOT EXISTS census_ballots_by_round ON census_ballots(community, round)",
        ],
        signed_at: Some("entered_at"),
    }],
    project: project_census_ballot,
});

fn project_census_ballot(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let census: CensusId = kinds::id_of(id)?;
    let b = kinds::open::<CensusBallot>(bytes)?;
    let v = &b.value;
    row.expect(v.community == row.doc.community && v.census == census)?;
    if !v.well_formed() {
        return Err(kinds::invalid("approves", FieldProblem::OutOfRange));
    }
    row.insert(
        Table::CensusBallots,
        &[
            &census.to_string(),
            &v.round.to_string(),
            &row.doc.community.to_string(),
            &ts(v.entered_at),
            &b.signer.to_hex(),
            &blob(v)?,
            &b.sig.to_vec(),
        ],
    )
}

pub(super) fn invalid((field, problem): (&'static str, FieldProblem)) -> ProjectError {
    kinds::invalid(field, problem)
}

/// A record's value as stored in its projection table.
pub(super) fn blob<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, ProjectError> {
    postcard::to_allocvec(value).map_err(|_| RecordProblem::Unreadable.into())
}

fn project_round(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let round: RoundId = kinds::id_of(id)?;
    let r = kinds::open::<Round>(bytes)?;
    row.expect(r.value.community == row.doc.community && r.value.id == round)?;
    r.value.check().map_err(invalid)?;
    row.insert(
        Table::BudgetRounds,
        &[
            &round.to_string(),
            &row.doc.community.to_string(),
            &ts(r.value.updated_at),
            &r.signer.to_hex(),
            &blob(&r.value)?,
            &r.sig.to_vec(),
        ],
    )
}

fn project_proposal(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let proposal: ProposalId = kinds::id_of(id)?;
    let p = kinds::open::<Proposal>(bytes)?;
    let v = &p.value;
    row.expect(v.community == row.doc.community && v.id == proposal && v.proposer == p.signer)?;
    v.check().map_err(invalid)?;
    row.insert(
        Table::Proposals,
        &[
            &proposal.to_string(),
            &row.doc.community.to_string(),
            &v.round.to_string(),
            &v.proposer.to_hex(),
            &ts(v.updated_at),
            &blob(v)?,
            &p.sig.to_vec(),
        ],
    )
}

fn project_review(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let proposal: ProposalId = kinds::id_of(id)?;
    let r = kinds::open::<ProposalReview>(bytes)?;
    let v = &r.value;
    row.expect(v.community == row.doc.community && v.proposal == proposal)?;
    v.check().map_err(invalid)?;
    row.insert(
        Table::ProposalReviews,
        &[
            &proposal.to_string(),
            &row.doc.community.to_string(),
            &v.round.to_string(),
            &ts(v.reviewed_at),
            &r.signer.to_hex(),
            &blob(v)?,
            &r.sig.to_vec(),
        ],
    )
}

fn project_ballot(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let round: RoundId = kinds::id_of(id)?;
    let b = kinds::open::<Ballot>(bytes)?;
    let v = &b.value;
    row.expect(
        v.community == row.doc.community
            && v.round == round
            && v.voter == b.signer
            && DocId::ledger(v.community, &v.voter, v.signed_at) == *row.doc,
    )?;
    if !v.well_formed() {
        return Err(kinds::invalid("approves", FieldProblem::OutOfRange));
    }
    row.insert(
        Table::Ballots,
        &[
            &round.to_string(),
            &row.doc.community.to_string(),
            &v.voter.to_hex(),
            &i64::try_from(v.seq).unwrap_or(i64::MAX),
            &blob(v)?,
            &b.sig.to_vec(),
        ],
    )
}

fn project_tally(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let round: RoundId = kinds::id_of(id)?;
    let t = kinds::open::<Tally>(bytes)?;
    row.expect(t.value.community == row.doc.community && t.value.round == round)?;
    if !t.value.well_formed() {
        return Err(kinds::invalid("groups", FieldProblem::OutOfRange));
    }
    row.insert(
        Table::Tallies,
        &[
            &round.to_string(),
            &row.doc.community.to_string(),
            &ts(t.value.closed_at),
            &t.signer.to_hex(),
            &blob(&t.value)?,
            &t.sig.to_vec(),
        ],
    )
}

/// The ballots that count in a round, by member.
#[derive(Default)]
pub(crate) struct Counted {
    /// Phone ballots: the proposals ticked.
    phone: BTreeMap<MemberKey, Vec<ProposalId>>,
    /// Paper ballots a coordinator entered.
    paper: BTreeMap<MemberKey, Vec<ProposalId>>,
    /// Members who voted both ways (their paper ballot counts).
    doubles: Vec<MemberKey>,
    /// Paper ballots of voters who are not members, by census code.
    census: BTreeMap<CensusId, Vec<ProposalId>>,
    /// Census codes entered more than once (the newest counts).
    codes_twice: Vec<CensusId>,
}

impl Counted {
    fn len(&self) -> u64 {
        (self.phone.len() + self.paper.len() + self.census.len()) as u64
    }

    /// Every paper ballot: members' and census voters'.
    fn papers(&self) -> impl Iterator<Item = &Vec<ProposalId>> {
        self.paper.values().chain(self.census.values())
    }

    /// A member's ballot that counts, and whether it is paper.
    fn of(&self, member: &MemberKey) -> Option<(&Vec<ProposalId>, bool)> {
        self.paper
            .get(member)
            .map(|b| (b, true))
            .or_else(|| self.phone.get(member).map(|b| (b, false)))
    }
}

/// Identical ballots merged, in a fixed order.
fn merged<'a>(ballots: impl Iterator<Item = &'a Vec<ProposalId>>) -> Vec<(Vec<ProposalId>, u64)> {
    let mut groups: BTreeMap<Vec<ProposalId>, u64> = BTreeMap::new();
    for b in ballots {
        let mut ticked = b.clone();
        ticked.sort_unstable();
        *groups.entry(ticked).or_default() += 1;
    }
    groups.into_iter().collect()
}

/// For the review queue: members who voted on paper and by phone, and
/// census codes entered more than once, each with its round's title.
pub(crate) type DoubleVotes = (Vec<(String, MemberKey)>, Vec<(String, CensusId)>);

/// A record as stored: the value, its signer and its signature.
pub(super) struct Stored<T> {
    pub value: T,
    pub signer: MemberKey,
    pub sig: Vec<u8>,
}

/// A proposal with the versions its proposer signed (oldest first) and the
/// review in force, if any.
pub(super) struct Found {
    versions: Vec<Proposal>,
    review: Option<Stored<ProposalReview>>,
}

impl Found {
    /// The review in force, if any.
    pub(super) fn review(&self) -> Option<&Stored<ProposalReview>> {
        self.review.as_ref()
    }

    pub(super) fn newest(&self) -> &Proposal {
        self.versions.last().expect("a proposal has a version")
    }

    /// The version the ballot shows: the one reviewed, else the newest.
    pub(super) fn shown(&self) -> &Proposal {
        self.review
            .as_ref()
            .and_then(|r| {
                self.versions
                    .iter()
                    .find(|v| v.updated_at == r.value.version)
            })
            .unwrap_or_else(|| self.newest())
    }

    /// On the ballot, at this cost: reviewed feasible, and not withdrawn in
    /// the version reviewed.
    pub(super) fn on_ballot(&self) -> Option<u64> {
        let r = &self.review.as_ref()?.value;
        let shown = self.shown();
        (r.feasible && !shown.withdrawn).then(|| r.cost.unwrap_or(shown.cost))
    }
}

/// `now`, or just after `newest` (a stored time) when that is not earlier,
/// so a new version supersedes the newest one.
pub(super) fn just_after(newest: Option<&str>, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    Ok(match newest.map(super::sql::time_of).transpose()? {
        Some(newest) if newest >= now => newest + Duration::milliseconds(1),
        _ => now,
    })
}

/// The record with the newest time among those `counts` accepts (ties: the
/// smaller signature).
pub(super) fn newest<T>(
    all: Vec<Stored<T>>,
    at: impl Fn(&T) -> DateTime<Utc>,
    counts: impl Fn(&Stored<T>) -> bool,
) -> Option<Stored<T>> {
    all.into_iter()
        .filter(|s| counts(s))
        .max_by(|a, b| at(&a.value).cmp(&at(&b.value)).then(b.sig.cmp(&a.sig)))
}

impl Engine {
    /// Every row `sql` selects (record, signer, signature) with this
    /// community as `?1` and `arg` as `?2`.
    pub(super) fn stored<T: serde::de::DeserializeOwned>(
        &self,
        ctx: &Ctx,
        sql: &str,
        arg: &str,
    ) -> Result<Vec<Stored<T>>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt
            .query_map(params![ctx.community.to_string(), arg], |r| {
                Ok((
                    r.get::<_, Vec<u8>>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(record, signer, sig)| {
                Ok(Stored {
                    value: postcard::from_bytes(&record)
                        .map_err(|_| EngineError::corrupt("budget record", signer.clone()))?,
                    signer: key_of(&signer)?,
                    sig,
                })
            })
            .collect()
    }

    /// Every round in force: each one's newest version signed in office.
    pub(super) fn rounds_in_force(
        &self,
        ctx: &Ctx,
        who: &Authority,
    ) -> Result<BTreeMap<RoundId, Round>> {
        let all: Vec<Stored<Round>> = self.stored(
            ctx,
            "SELECT record, signer, sig FROM budget_rounds WHERE community = ?1 AND ?2 = ?2",
            "",
        )?;
        let mut by_id: BTreeMap<RoundId, Vec<Stored<Round>>> = BTreeMap::new();
        for s in all {
            by_id.entry(s.value.id).or_default().push(s);
        }
        Ok(by_id
            .into_iter()
            .filter_map(|(id, versions)| {
                let r = newest(
                    versions,
                    |r| r.updated_at,
                    |s| who.in_office_at(&s.signer, s.value.updated_at),
                )?;
                Some((id, r.value))
            })
            .collect())
    }

    pub(super) fn round_in_force(&self, ctx: &Ctx, who: &Authority, id: RoundId) -> Result<Round> {
        self.rounds_in_force(ctx, who)?
            .remove(&id)
            .ok_or_else(|| Refused::NotFound(Missing::Round).into())
    }

    /// The round's proposals by (id, proposer), with the review in force.
    pub(super) fn proposals_of(
        &self,
        ctx: &Ctx,
        who: &Authority,
        round: RoundId,
    ) -> Result<BTreeMap<(ProposalId, MemberKey), Found>> {
        let versions: Vec<Stored<Proposal>> = self.stored(
            ctx,
            "SELECT record, proposer, sig FROM proposals WHERE community = ?1 AND round = ?2",
            &round.to_string(),
        )?;
        let reviews: Vec<Stored<ProposalReview>> = self.stored(
            ctx,
            "SELECT record, signer, sig FROM proposal_reviews WHERE community = ?1 AND round = ?2",
            &round.to_string(),
        )?;
        let mut found: BTreeMap<(ProposalId, MemberKey), Found> = BTreeMap::new();
        for s in versions {
            // Only members propose.
            if who.member(&s.value.proposer).is_none() {
                continue;
            }
            found
                .entry((s.value.id, s.value.proposer))
                .or_insert_with(|| Found {
                    versions: Vec::new(),
                    review: None,
                })
                .versions
                .push(s.value);
        }
        for f in found.values_mut() {
            f.versions
                .sort_by(|a, b| a.updated_at.cmp(&b.updated_at).then(a.title.cmp(&b.title)));
        }
        let mut by_proposal: BTreeMap<(ProposalId, MemberKey), Vec<Stored<ProposalReview>>> =
            BTreeMap::new();
        for r in reviews {
            by_proposal
                .entry((r.value.proposal, r.value.proposer))
                .or_default()
                .push(r);
        }
        for (key, reviews) in by_proposal {
            if let Some(f) = found.get_mut(&key) {
                f.review = newest(
                    reviews,
                    |r| r.reviewed_at,
                    |s| who.in_office_at(&s.signer, s.value.reviewed_at),
                );
            }
        }
        Ok(found)
    }

    /// What is on the ballot: each proposal id once (when two members'
    /// proposals share an id, the one with the smaller key), with its cost.
    fn ballot_of(found: &BTreeMap<(ProposalId, MemberKey), Found>) -> BTreeMap<ProposalId, u64> {
        let mut on = BTreeMap::new();
        for ((id, _), f) in found {
            if let Some(cost) = f.on_ballot() {
                on.entry(*id).or_insert(cost);
            }
        }
        on
    }

    /// The newest count of a round, signed in office.
    pub(super) fn tally_of(
        &self,
        ctx: &Ctx,
        who: &Authority,
        round: RoundId,
    ) -> Result<Option<Tally>> {
        let all: Vec<Stored<Tally>> = self.stored(
            ctx,
            "SELECT record, signer, sig FROM tallies WHERE community = ?1 AND round = ?2",
            &round.to_string(),
        )?;
        Ok(newest(
            all,
            |t| t.closed_at,
            |s| who.in_office_at(&s.signer, s.value.closed_at),
        )
        .map(|s| s.value))
    }

    /// Each member's ballot that counts, keyed by the member: their newest
    /// paper ballot a coordinator in office entered, else their phone
    /// ballot with the highest `seq` among their keys (ties: the smaller
    /// signature); only keys that belong to a member now, and only ballots
    /// valid against the ballot. Members with both are `doubles`.
    fn ballots_in_force(
        &self,
        ctx: &Ctx,
        who: &Authority,
        round: &Round,
        on: &BTreeMap<ProposalId, u64>,
    ) -> Result<Counted> {
        let valid = |approves: &[ProposalId], key: &MemberKey| {
            if who.member(key).is_none() || who.shut_out(key) {
                return false;
            }
            let costs: Option<Vec<u64>> = approves.iter().map(|p| on.get(p).copied()).collect();
            costs.is_some_and(|c| round.ballot.check(&c).is_ok())
        };
        let phone: Vec<Stored<Ballot>> = self.stored(
            ctx,
            "SELECT record, voter, sig FROM ballots WHERE community = ?1 AND round = ?2",
            &round.id.to_string(),
        )?;
        let mut best: BTreeMap<MemberKey, Stored<Ballot>> = BTreeMap::new();
        for s in phone {
            if !valid(&s.value.approves, &s.signer) {
                continue;
            }
            let member = who.identity(&s.signer);
            let better = best.get(&member).is_none_or(|b| {
                (s.value.seq, std::cmp::Reverse(&s.sig)) > (b.value.seq, std::cmp::Reverse(&b.sig))
            });
            if better {
                best.insert(member, s);
            }
        }
        let paper: Vec<Stored<PaperBallot>> = self.stored(
            ctx,
            "SELECT record, signer, sig FROM paper_ballots WHERE community = ?1 AND round = ?2",
            &round.id.to_string(),
        )?;
        let mut by_member: BTreeMap<MemberKey, Vec<Stored<PaperBallot>>> = BTreeMap::new();
        for s in paper {
            if valid(&s.value.approves, &s.value.voter) {
                by_member
                    .entry(who.identity(&s.value.voter))
                    .or_default()
                    .push(s);
            }
        }
        let mut counted = Counted::default();
        for (member, all) in by_member {
            let newest = newest(
                all,
                |b| b.entered_at,
                |s| who.in_office_at(&s.signer, s.value.entered_at),
            );
            if let Some(b) = newest {
                if best.remove(&member).is_some() {
                    counted.doubles.push(member);
                }
                counted.paper.insert(member, b.value.approves);
            }
        }
        counted.phone = best
            .into_iter()
            .map(|(m, s)| (m, s.value.approves))
            .collect();
        // Census voters: one ballot per code printed for this round by a
        // coordinator in office, the newest entered.
        let printed = self.census_printed(ctx, who, round.id)?;
        let entered: Vec<Stored<CensusBallot>> = self.stored(
            ctx,
            "SELECT record, signer, sig FROM census_ballots WHERE community = ?1 AND round = ?2",
            &round.id.to_string(),
        )?;
        let mut by_code: BTreeMap<CensusId, Vec<Stored<CensusBallot>>> = BTreeMap::new();
        for s in entered {
            if printed.contains(&s.value.census) && s.value.round == round.id {
                by_code.entry(s.value.census).or_default().push(s);
            }
        }
        for (code, all) in by_code {
            let all: Vec<_> = all
                .into_iter()
                .filter(|s| who.in_office_at(&s.signer, s.value.entered_at))
                .collect();
            // Entered by more than one device: two papers with one code,
            // or one paper entered twice (a device's own correction is not).
            let signers: BTreeSet<&MemberKey> = all.iter().map(|s| &s.signer).collect();
            if signers.len() > 1 {
                counted.codes_twice.push(code);
            }
            let valid = all.into_iter().filter(|s| {
                let costs: Option<Vec<u64>> = s
                    .value
                    .approves
                    .iter()
                    .map(|p| on.get(p).copied())
                    .collect();
                costs.is_some_and(|c| round.ballot.check(&c).is_ok())
            });
            if let Some(b) = newest(valid.collect(), |b| b.entered_at, |_| true) {
                counted.census.insert(code, b.value.approves);
            }
        }
        Ok(counted)
    }

    /// The census codes printed for a round by coordinators in office.
    fn census_printed(
        &self,
        ctx: &Ctx,
        who: &Authority,
        round: RoundId,
    ) -> Result<BTreeSet<CensusId>> {
        let all: Vec<Stored<CensusCodes>> = self.stored(
            ctx,
            "SELECT record, signer, sig FROM census_codes WHERE community = ?1 AND round = ?2",
            &round.to_string(),
        )?;
        Ok(all
            .into_iter()
            .filter(|s| s.value.round == round && who.in_office_at(&s.signer, s.value.issued_at))
            .flat_map(|s| s.value.ids)
            .collect())
    }

    fn view_of(&self, ctx: &Ctx, who: &Authority, round: &Round) -> Result<RoundView> {
        let counted = self.tally_of(ctx, who, round.id)?.is_some();
        let proposals = self
            .proposals_of(ctx, who, round.id)?
            .values()
            .filter(|f| !f.newest().withdrawn)
            .count();
        Ok(RoundView {
            id: round.id,
            title: round.title.clone(),
            amount: round.amount,
            area: round.area.clone(),
            phases: round.phases,
            ballot: round.ballot,
            rule: round.rule,
            phase: round.phase(local_day(self.now(), ctx.tz), counted),
            proposals: u32::try_from(proposals).unwrap_or(u32::MAX),
        })
    }

    /// Every round, the newest first (by when ideas open).
    pub fn rounds(&self) -> Result<Vec<RoundView>> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let mut rounds = self
            .rounds_in_force(&ctx, &who)?
            .into_values()
            .map(|r| self.view_of(&ctx, &who, &r))
            .collect::<Result<Vec<_>>>()?;
        rounds.sort_by(|a, b| (b.phases.ideas, &a.title).cmp(&(a.phases.ideas, &b.title)));
        Ok(rounds)
    }

    /// Opens a round, or changes one (coordinators only; not once counted).
    pub fn save_round(&mut self, input: RoundInput) -> Result<RoundView> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let id = match input.id {
            Some(id) => {
                self.round_in_force(&ctx, &who, id)?;
                if self.tally_of(&ctx, &who, id)?.is_some() {
                    return Err(Refused::Ballot(BallotProblem::Counted).into());
                }
                id
            }
            None => RoundId::from_bytes(random()?),
        };
        let round = Round {
            id,
            community: ctx.community,
            title: input.title.trim().to_owned(),
            amount: input.amount,
            area: input.area.trim().to_owned(),
            phases: input.phases,
            ballot: input.ballot,
            rule: input.rule,
            updated_at: self.after(&ctx, "budget_rounds", "updated_at", "id", &id.to_string())?,
        };
        round
            .check()
            .map_err(|(field, problem)| Refused::InvalidField { field, problem })?;
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(ROUND.key(id), &Signed::seal(&self.key, &round))?;
        self.commit(vec![doc], &[])?;
        let who = self.authority(&ctx)?;
        self.view_of(&ctx, &who, &round)
    }

    /// The signing time of a new version: now, or just after this device's
    /// newest version of the same thing, so it supersedes it.
    pub(super) fn after(
        &self,
        ctx: &Ctx,
        table: &str,
        at: &str,
        id_column: &str,
        id: &str,
    ) -> Result<DateTime<Utc>> {
        let newest: Option<String> = self.conn.query_row(
            &format!("SELECT MAX({at}) FROM {table} WHERE community = ?1 AND {id_column} = ?2"),
            params![ctx.community.to_string(), id],
            |r| r.get(0),
        )?;
        let now = self.signing_time(ctx)?;
        just_after(newest.as_deref(), now)
    }

    /// One round: its proposals, this member's ballot, and the result once
    /// counted.
    pub fn round_detail(&self, id: RoundId) -> Result<RoundDetail> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let round = self.round_in_force(&ctx, &who, id)?;
        let found = self.proposals_of(&ctx, &who, id)?;
        let on = Self::ballot_of(&found);
        let me = who.identity(&ctx.me);
        let name = |key: &MemberKey| {
            who.member(key)
                .map(|m| m.name.clone())
                .unwrap_or_else(|| key.key_id().to_string())
        };
        let tally = self.tally_of(&ctx, &who, id)?;
        let open =
            tally.is_none() && round.phase(local_day(self.now(), ctx.tz), false) == Phase::Ideas;
        let mut proposals: Vec<ProposalView> = Vec::new();
        for ((pid, proposer), f) in found.iter().filter(|(_, f)| !f.newest().withdrawn) {
            let together = self.together(&ctx, &who, (*pid, proposer), f, open)?;
            let mine = who.identity(proposer) == me;
            // The proposer, the helpers and coordinators see the newest
            // version and the text as it stands; everyone else the ones on
            // the ballot.
            let live = mine || together.writes || who.is_coordinator(&ctx.me);
            let shown = if live { f.newest() } else { f.shown() };
            let description = if live {
                together.live.clone()
            } else {
                together.reviewed.clone().or_else(|| together.live.clone())
            }
            .unwrap_or_else(|| shown.description.clone());
            let text_changed = together
                .reviewed
                .as_ref()
                .is_some_and(|r| together.live.as_ref().is_some_and(|l| l != r));
            proposals.push(ProposalView {
                id: *pid,
                title: shown.title.clone(),
                description,
                cost: f
                    .review
                    .as_ref()
                    .and_then(|r| r.value.cost)
                    .unwrap_or(shown.cost),
                proposed_cost: shown.cost,
                category: shown.category.clone(),
                recipient: shown.recipient.clone(),
                proposer: name(proposer),
                mine,
                photo: self.photo_of(&ctx, *pid, proposer)?.is_some(),
                review: f.review.as_ref().map(|r| ReviewView {
                    feasible: r.value.feasible,
                    reason: r.value.reason.clone(),
                    cost: r.value.cost,
                    by: name(&r.signer),
                    outdated: r.value.version != f.newest().updated_at || text_changed,
                }),
                helpers: together.helpers,
                writes: together.writes,
                text_base: together.base,
            });
        }
        proposals.sort_by(|a, b| (&a.title, a.id).cmp(&(&b.title, b.id)));
        let ballots = self.ballots_in_force(&ctx, &who, &round, &on)?;
        let mine_counted = ballots.of(&me);
        let my_ballot = mine_counted.map(|(b, _)| b.clone());
        let my_ballot_paper = mine_counted.is_some_and(|(_, paper)| paper);
        let result = match &tally {
            Some(t) => Some(self.report_of(&round, t, &found)?),
            None => None,
        };
        let counted = tally.is_some();
        Ok(RoundDetail {
            round: RoundView {
                phase: round.phase(local_day(self.now(), ctx.tz), counted),
                proposals: u32::try_from(proposals.len()).unwrap_or(u32::MAX),
                id,
                title: round.title.clone(),
                amount: round.amount,
                area: round.area.clone(),
                phases: round.phases,
                ballot: round.ballot,
                rule: round.rule,
            },
            proposals,
            my_ballot,
            ballots: who.is_coordinator(&ctx.me).then(|| ballots.len()),
            paper: who
                .is_coordinator(&ctx.me)
                .then_some((ballots.paper.len() + ballots.census.len()) as u64),
            my_ballot_paper,
            result,
        })
    }

    pub(super) fn report_of(
        &self,
        round: &Round,
        tally: &Tally,
        found: &BTreeMap<(ProposalId, MemberKey), Found>,
    ) -> Result<BudgetReport> {
        let instance = self.instance_of(round, tally, found);
        // Every device computes a count's result each time it shows the
        // round; the same count gives the same result, so it is kept.
        let key = pabulib::write(&instance);
        if let Some(done) = self.round_results.borrow().get(&key) {
            return Ok(done.clone());
        }
        let done = report::report(&instance, &TieBreak::default()).map_err(|e| {
            EngineError::Invariant {
                what: format!("a count is approval ballots: {e:?}"),
            }
        })?;
        let mut kept = self.round_results.borrow_mut();
        if kept.len() >= 8 {
            kept.clear();
        }
        kept.insert(key, done.clone());
        Ok(done)
    }

    fn instance_of(
        &self,
        round: &Round,
        tally: &Tally,
        found: &BTreeMap<(ProposalId, MemberKey), Found>,
    ) -> pabulib::Instance {
        let titles: BTreeMap<ProposalId, String> = found
            .iter()
            .rev()
            .filter(|(_, f)| f.on_ballot().is_some())
            .map(|((id, _), f)| (*id, f.shown().title.clone()))
            .collect();
        let mut instance = tally.instance(&round.title, &round.area, |p| {
            titles.get(p).cloned().unwrap_or_else(|| p.to_string())
        });
        // The ballot's rule, in pabulib's words (a knapsack ballot is a
        // cost limit equal to the budget).
        let b = round.ballot;
        let rule = [
            ("min_length", (b.min > 0).then(|| b.min.to_string())),
            ("max_length", b.max.map(|m| m.to_string())),
            ("max_sum_cost", b.cost_limit.map(|l| l.to_string())),
        ];
        for (key, value) in rule {
            if let Some(value) = value {
                instance.meta.push((key.to_owned(), value));
            }
        }
        instance
    }

    /// Saves a new proposal of this device's member, or a new version of
    /// one of theirs (in the ideas phase, by this device's date).
    pub fn save_proposal(&mut self, input: SaveProposal) -> Result<ProposalId> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        if who.member(&ctx.me).is_none() {
            return Err(Refused::NotSetUp.into());
        }
        let round = self.round_in_force(&ctx, &who, input.round)?;
        if self.tally_of(&ctx, &who, round.id)?.is_some() {
            return Err(Refused::Ballot(BallotProblem::Counted).into());
        }
        let today = local_day(self.now(), ctx.tz);
        if round.phase(today, false) != Phase::Ideas {
            return Err(Refused::Ballot(BallotProblem::NotIdeas).into());
        }
        let id = match input.id {
            Some(id) => {
                let found = self.proposals_of(&ctx, &who, round.id)?;
                if !found.contains_key(&(id, ctx.me)) {
                    return Err(Refused::NotFound(Missing::Proposal).into());
                }
                id
            }
            None => ProposalId::from_bytes(random()?),
        };
        let proposal = Proposal {
            id,
            community: ctx.community,
            round: round.id,
            proposer: ctx.me,
            title: input.title.trim().to_owned(),
            description: input.description.trim().to_owned(),
            cost: input.cost,
            category: input.category.trim().to_owned(),
            recipient: input.recipient.trim().to_owned(),
            withdrawn: false,
            updated_at: self.after_own_proposal(&ctx, id)?,
        };
        proposal
            .check()
            .map_err(|(field, problem)| Refused::InvalidField { field, problem })?;
        // The description is also the text written together: the
        // proposer's change to it is an edit like a helper's.
        let edit = self.edit_record(
            &ctx,
            &who,
            (round.id, id, &ctx.me),
            &input.base,
            &proposal.description,
        )?;
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(PROPOSAL.key(id), &Signed::seal(&self.key, &proposal))?;
        if let Some(edit) = edit {
            doc.put(PROPOSAL_EDIT.key(id), &edit)?;
        }
        self.commit(vec![doc], &[])?;
        Ok(id)
    }

    fn after_own_proposal(&self, ctx: &Ctx, id: ProposalId) -> Result<DateTime<Utc>> {
        let newest: Option<String> = self.conn.query_row(
            "SELECT MAX(updated_at) FROM proposals WHERE community = ?1 AND id = ?2 AND proposer = ?3",
            params![ctx.community.to_string(), id.to_string(), ctx.me.to_hex()],
            |r| r.get(0),
        )?;
        let now = self.now();
        just_after(newest.as_deref(), now)
    }

    /// The round of proposal `id` (of `proposer`, if given).
    pub(super) fn round_of(
        &self,
        ctx: &Ctx,
        id: ProposalId,
        proposer: Option<&MemberKey>,
    ) -> Result<RoundId> {
        let round: Option<String> = self
            .conn
            .query_row(
                "SELECT round FROM proposals
                  WHERE community = ?1 AND id = ?2 AND (?3 IS NULL OR proposer = ?3) LIMIT 1",
                params![
                    ctx.community.to_string(),
                    id.to_string(),
                    proposer.map(MemberKey::to_hex)
                ],
                |r| r.get(0),
            )
            .optional()?;
        round
            .and_then(|r| r.parse().ok())
            .ok_or_else(|| Refused::NotFound(Missing::Proposal).into())
    }

    fn put_proposal(&mut self, ctx: &Ctx, proposal: &Proposal) -> Result<()> {
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(
            PROPOSAL.key(proposal.id),
            &Signed::seal(&self.key, proposal),
        )?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }

    /// The photo in force of a proposal of `proposer`: their newest, if it
    /// is not the empty one that takes it away.
    fn photo_of(&self, ctx: &Ctx, id: ProposalId, proposer: &MemberKey) -> Result<Option<Vec<u8>>> {
        let all: Vec<Stored<ProposalPhoto>> = self.stored(
            ctx,
            "SELECT record, proposer, sig FROM proposal_photos WHERE community = ?1 AND proposal = ?2",
            &id.to_string(),
        )?;
        Ok(
            newest(all, |p| p.added_at, |s| s.value.proposer == *proposer)
                .map(|s| s.value.jpeg)
                .filter(|jpeg| !jpeg.is_empty()),
        )
    }

    /// A proposal's photo as a `data:` URL, if it has one (the proposal as
    /// the round shows it: the one on the ballot when two share an id).
    pub fn proposal_photo(&self, id: ProposalId) -> Result<Option<String>> {
        use base64::Engine as _;
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let round = self.round_of(&ctx, id, None)?;
        let found = self.proposals_of(&ctx, &who, round)?;
        let Some((_, proposer)) = found.keys().find(|(p, _)| *p == id) else {
            return Err(Refused::NotFound(Missing::Proposal).into());
        };
        Ok(self.photo_of(&ctx, id, proposer)?.map(|jpeg| {
            format!(
                "data:image/jpeg;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(jpeg)
            )
        }))
    }

    /// A photo for one of this device's proposals, from a picture (PNG or
    /// JPEG), scaled down and stored as JPEG; `None` takes it away. While
    /// the proposal can be changed (the ideas phase).
    pub fn set_proposal_photo(&mut self, id: ProposalId, picture: Option<&[u8]>) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let round = self.round_of(&ctx, id, Some(&ctx.me))?;
        let r = self.round_in_force(&ctx, &who, round)?;
        if self.tally_of(&ctx, &who, round)?.is_some() {
            return Err(Refused::Ballot(BallotProblem::Counted).into());
        }
        if r.phase(local_day(self.now(), ctx.tz), false) != Phase::Ideas {
            return Err(Refused::Ballot(BallotProblem::NotIdeas).into());
        }
        let jpeg = match picture {
            Some(bytes) => super::qr::photo_jpeg(bytes, MAX_PHOTO_BYTES)?,
            None => Vec::new(),
        };
        let newest: Option<String> = self.conn.query_row(
            "SELECT MAX(added_at) FROM proposal_photos
              WHERE community = ?1 AND proposal = ?2 AND proposer = ?3",
            params![ctx.community.to_string(), id.to_string(), ctx.me.to_hex()],
            |r| r.get(0),
        )?;
        let photo = ProposalPhoto {
            proposal: id,
            proposer: ctx.me,
            community: ctx.community,
            round,
            jpeg,
            added_at: just_after(newest.as_deref(), self.now())?,
        };
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(PROPOSAL_PHOTO.key(id), &Signed::seal(&self.key, &photo))?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }

    /// Takes back one of this device's proposals (before the round is
    /// counted).
    pub fn withdraw_proposal(&mut self, id: ProposalId) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let round = self.round_of(&ctx, id, Some(&ctx.me))?;
        if self.tally_of(&ctx, &who, round)?.is_some() {
            return Err(Refused::Ballot(BallotProblem::Counted).into());
        }
        let found = self.proposals_of(&ctx, &who, round)?;
        let mut proposal = found
            .get(&(id, ctx.me))
            .ok_or(Refused::NotFound(Missing::Proposal))?
            .newest()
            .clone();
        proposal.withdrawn = true;
        proposal.updated_at = self.after_own_proposal(&ctx, id)?;
        self.put_proposal(&ctx, &proposal)
    }

    /// A coordinator's review of a proposal's newest version.
    pub fn review_proposal(
        &mut self,
        id: ProposalId,
        feasible: bool,
        reason: &str,
        cost: Option<u64>,
    ) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let round = self.round_of(&ctx, id, None)?;
        if self.tally_of(&ctx, &who, round)?.is_some() {
            return Err(Refused::Ballot(BallotProblem::Counted).into());
        }
        let found = self.proposals_of(&ctx, &who, round)?;
        // The proposal of this id that is (or would be) on the ballot.
        let Some(((_, proposer), f)) = found.iter().find(|((p, _), _)| *p == id) else {
            return Err(Refused::NotFound(Missing::Proposal).into());
        };
        let review = ProposalReview {
            proposal: id,
            proposer: *proposer,
            community: ctx.community,
            round,
            version: f.newest().updated_at,
            feasible,
            reason: reason.trim().to_owned(),
            cost,
            reviewed_at: self.after(
                &ctx,
                "proposal_reviews",
                "reviewed_at",
                "proposal",
                &id.to_string(),
            )?,
        };
        review
            .check()
            .map_err(|(field, problem)| Refused::InvalidField { field, problem })?;
        let sealed = self.seal_review(&ctx, &who, &review, f)?;
        self.put_review(&ctx, sealed)
    }

    /// This member's ballot, replacing any earlier one (while voting is
    /// open by this device's date, and the round not counted).
    pub fn cast_ballot(&mut self, round: RoundId, approves: Vec<ProposalId>) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        if who.member(&ctx.me).is_none() {
            return Err(Refused::NotSetUp.into());
        }
        let r = self.round_in_force(&ctx, &who, round)?;
        if self.tally_of(&ctx, &who, round)?.is_some() {
            return Err(Refused::Ballot(BallotProblem::Counted).into());
        }
        if r.phase(local_day(self.now(), ctx.tz), false) != Phase::Voting {
            return Err(Refused::Ballot(BallotProblem::NotVoting).into());
        }
        let approves = self.checked_ballot(&ctx, &who, &r, approves)?;
        // Higher than every ballot of this member's keys.
        let keys: Vec<String> = who
            .keys_of(&who.identity(&ctx.me))
            .iter()
            .chain(std::iter::once(&ctx.me))
            .map(|k| k.to_hex())
            .collect();
        let seq: i64 = self.conn.query_row(
            "SELECT COALESCE(MAX(seq), 0) FROM ballots
              WHERE community = ?1 AND round = ?2
                AND voter IN (SELECT value FROM json_each(?3))",
            params![
                ctx.community.to_string(),
                round.to_string(),
                serde_json::to_string(&keys).unwrap_or_default()
            ],
            |r| r.get(0),
        )?;
        let now = self.now();
        let ballot = Ballot {
            round,
            community: ctx.community,
            voter: ctx.me,
            approves,
            seq: u64::try_from(seq).unwrap_or(0) + 1,
            signed_at: now,
        };
        let mut doc = self.stage(DocId::ledger(ctx.community, &ctx.me, now))?;
        doc.put(BALLOT.key(round), &Signed::seal(&self.key, &ballot))?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }

    /// A paper ballot for a member, named by their card (scanned text or
    /// short code) or their device's fingerprint, entered by this
    /// coordinator's device while voting is open or waiting for the count;
    /// it counts instead of any phone ballot of theirs. Returns the voter's
    /// name.
    pub fn enter_paper_ballot(
        &mut self,
        round: RoundId,
        voter: &str,
        approves: Vec<ProposalId>,
        replace: bool,
    ) -> Result<String> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let r = self.round_in_force(&ctx, &who, round)?;
        if self.tally_of(&ctx, &who, round)?.is_some() {
            return Err(Refused::Ballot(BallotProblem::Counted).into());
        }
        if r.phase(local_day(self.now(), ctx.tz), false) < Phase::Voting {
            return Err(Refused::Ballot(BallotProblem::NotVoting).into());
        }
        if let Some(code) = census_code(voter) {
            return self.enter_census_ballot(&ctx, &who, &r, &code, approves, replace);
        }
        let typed = voter.trim().to_ascii_lowercase();
        let named = who
            .active_keys()
            .into_iter()
            .find(|k| k.key_id().to_string() == typed && who.member(k).is_some());
        let key = match named {
            Some(key) => key,
            None => self.card_holder(&ctx, &who, voter)?.0,
        };
        let approves = self.checked_ballot(&ctx, &who, &r, approves)?;
        let entered_at = self.signing_time(&ctx)?;
        let ballot = PaperBallot {
            round,
            community: ctx.community,
            voter: key,
            approves,
            entered_at,
        };
        let mut doc = self.stage(DocId::ledger(ctx.community, &key, entered_at))?;
        doc.put(PAPER_BALLOT.key(round), &Signed::seal(&self.key, &ballot))?;
        self.commit(vec![doc], &[])?;
        Ok(who.member(&key).map(|m| m.name.clone()).unwrap_or_default())
    }

    /// A paper ballot of a voter who is not a member, by the one-time code
    /// printed on it: a code this round's ballots were printed with, not
    /// entered before on this device unless `replace`.
    fn enter_census_ballot(
        &mut self,
        ctx: &Ctx,
        who: &Authority,
        round: &Round,
        code: &str,
        approves: Vec<ProposalId>,
        replace: bool,
    ) -> Result<String> {
        let census = census_id(&round.id, code)
            .filter(|id| {
                self.census_printed(ctx, who, round.id)
                    .is_ok_and(|printed| printed.contains(id))
            })
            .ok_or(Refused::Ballot(BallotProblem::UnknownCode))?;
        // Entered before by a coordinator (what anyone else signs does not
        // count, and does not block the code).
        let entered: Vec<Stored<CensusBallot>> = self.stored(
            ctx,
            "SELECT record, signer, sig FROM census_ballots WHERE community = ?1 AND census = ?2",
            &census.to_string(),
        )?;
        let used = entered
            .iter()
            .any(|s| who.in_office_at(&s.signer, s.value.entered_at));
        if used && !replace {
            return Err(Refused::Ballot(BallotProblem::CodeUsed).into());
        }
        let approves = self.checked_ballot(ctx, who, round, approves)?;
        let ballot = CensusBallot {
            round: round.id,
            community: ctx.community,
            census,
            approves,
            entered_at: self.after(
                ctx,
                "census_ballots",
                "entered_at",
                "census",
                &census.to_string(),
            )?,
        };
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(CENSUS_BALLOT.key(census), &Signed::seal(&self.key, &ballot))?;
        self.commit(vec![doc], &[])?;
        Ok(code.to_owned())
    }

    /// The ticked proposals in a fixed order, if they make a valid ballot
    /// of `round`.
    fn checked_ballot(
        &self,
        ctx: &Ctx,
        who: &Authority,
        round: &Round,
        approves: Vec<ProposalId>,
    ) -> Result<Vec<ProposalId>> {
        let on = Self::ballot_of(&self.proposals_of(ctx, who, round.id)?);
        if on.is_empty() {
            return Err(Refused::Ballot(BallotProblem::EmptyBallot).into());
        }
        let approves: Vec<ProposalId> = approves
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let costs: Option<Vec<u64>> = approves.iter().map(|p| on.get(p).copied()).collect();
        let costs = costs.ok_or(Refused::Ballot(BallotProblem::NotOnBallot))?;
        round.ballot.check(&costs).map_err(Refused::Ballot)?;
        Ok(approves)
    }

    /// Paper ballots for voters who are not members, each with its own
    /// one-time code: the codes' ids are signed (the codes are on paper
    /// only) and the pages are returned with the codes (coordinators only,
    /// once the ballot is known and until the count).
    pub fn print_census_ballots(
        &mut self,
        round: RoundId,
        count: u32,
        texts: &CensusTexts,
    ) -> Result<(Vec<u8>, Vec<String>)> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let r = self.round_in_force(&ctx, &who, round)?;
        if self.tally_of(&ctx, &who, round)?.is_some() {
            return Err(Refused::Ballot(BallotProblem::Counted).into());
        }
        if !(1..=MAX_CENSUS).contains(&count) {
            return Err(Refused::InvalidField {
                field: "count",
                problem: FieldProblem::OutOfRange,
            }
            .into());
        }
        let found = self.proposals_of(&ctx, &who, round)?;
        let on = Self::ballot_of(&found);
        if on.is_empty() {
            return Err(Refused::Ballot(BallotProblem::EmptyBallot).into());
        }
        let mut codes = Vec::with_capacity(count as usize);
        while codes.len() < count as usize {
            let bytes: [u8; CENSUS_LEN] = random()?;
            let letters: String = bytes
                .iter()
                .map(|b| CENSUS_LETTERS[*b as usize % CENSUS_LETTERS.len()] as char)
                .collect();
            let code = census_code(&letters).ok_or_else(|| EngineError::Invariant {
                what: "a census code of census letters".into(),
            })?;
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        let record = CensusCodes {
            round,
            community: ctx.community,
            ids: codes.iter().filter_map(|c| census_id(&round, c)).collect(),
            issued_at: self.signing_time(&ctx)?,
        };
        // Proposals as the ballot shows them, by title.
        let mut lines: Vec<(String, u64)> = found
            .iter()
            .filter_map(|((id, _), f)| on.get(id).map(|cost| (f.shown().title.clone(), *cost)))
            .collect();
        lines.sort();
        lines.dedup();
        let language = self.setting("lang")?.unwrap_or_else(|| "da".into());
        let pdf = super::poster::census_ballots(&r.title, &lines, &codes, texts, &language)?;
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(CENSUS_CODES.key(round), &Signed::seal(&self.key, &record))?;
        self.commit(vec![doc], &[])?;
        Ok((pdf, codes))
    }

    /// Members who voted both on paper and by phone, for the review queue:
    /// each round's title and the member (the paper ballot counts).
    pub(crate) fn double_votes(&self, ctx: &Ctx, who: &Authority) -> Result<DoubleVotes> {
        let mut members = Vec::new();
        let mut codes = Vec::new();
        for round in self.rounds_in_force(ctx, who)?.into_values() {
            let on = Self::ballot_of(&self.proposals_of(ctx, who, round.id)?);
            let counted = self.ballots_in_force(ctx, who, &round, &on)?;
            members.extend(
                counted
                    .doubles
                    .into_iter()
                    .map(|m| (round.title.clone(), m)),
            );
            codes.extend(
                counted
                    .codes_twice
                    .into_iter()
                    .map(|c| (round.title.clone(), c)),
            );
        }
        Ok((members, codes))
    }

    /// Closes voting and counts the ballots this device holds
    /// (coordinators only, once voting has opened).
    pub fn close_voting(&mut self, round: RoundId) -> Result<BudgetReport> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let r = self.round_in_force(&ctx, &who, round)?;
        if self.tally_of(&ctx, &who, round)?.is_some() {
            return Err(Refused::Ballot(BallotProblem::Counted).into());
        }
        if r.phase(local_day(self.now(), ctx.tz), false) < Phase::Voting {
            return Err(Refused::Ballot(BallotProblem::NotVoting).into());
        }
        let found = self.proposals_of(&ctx, &who, round)?;
        let on = Self::ballot_of(&found);
        if on.is_empty() {
            return Err(Refused::Ballot(BallotProblem::EmptyBallot).into());
        }
        let ballots = self.ballots_in_force(&ctx, &who, &r, &on)?;
        let tally = Tally {
            round,
            community: ctx.community,
            closed_at: self.after(&ctx, "tallies", "closed_at", "round", &round.to_string())?,
            amount: r.amount,
            proposals: on.into_iter().collect(),
            groups: merged(ballots.phone.values()),
            paper: merged(ballots.papers()),
        };
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(TALLY.key(round), &Signed::seal(&self.key, &tally))?;
        self.commit(vec![doc], &[])?;
        self.report_of(&r, &tally, &found)
    }

    /// A counted round as a pabulib file.
    pub fn export_round(&self, round: RoundId) -> Result<String> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let r = self.round_in_force(&ctx, &who, round)?;
        let tally = self
            .tally_of(&ctx, &who, round)?
            .ok_or(Refused::Ballot(BallotProblem::NotCounted))?;
        let found = self.proposals_of(&ctx, &who, round)?;
        Ok(pabulib::write(&self.instance_of(&r, &tally, &found)))
    }
}
