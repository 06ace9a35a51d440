//! A neighbourhood budget round in the app: a coordinator opens it with its
//! phases and rules, members propose, coordinators review, members vote
//! with signed ballots, and a coordinator closes voting with a signed
//! count every device computes both outcomes from.
//!
//! Who writes what, and what supersedes it:
//! - [`Round`]: coordinators; the newest `updated_at` counts.
//! - [`Proposal`]: its proposer; the newest version they signed counts until
//!   a coordinator reviews it. The ballot shows the version the review names.
//! - [`ProposalPhoto`]: its proposer; the newest `added_at` counts (an
//!   empty one takes the photo away).
//! - [`ProposalReview`]: coordinators; the newest `reviewed_at` counts.
//! - [`Ballot`]: the voter; one per member per round: the valid one with the
//!   highest `seq` of any of the member's keys counts (ties: the smaller
//!   signature), the same on every device.
//! - [`CensusCodes`]: coordinators: the one-time codes printed on paper
//!   ballots for voters who are not members (their hashes); every version
//!   signed in office adds its codes.
//! - [`CensusBallot`]: coordinators: a paper ballot entered by its one-time
//!   code; one counts per code (the newest `entered_at`; ties: the smaller
//!   signature), and a code entered more than once shows in the review
//!   queue.
//! - [`Tally`]: coordinators, when voting closes: which ballots counted,
//!   merged, with the budget and costs. The newest `closed_at` counts (a
//!   recount). Ballots signed or arriving after it change nothing, and every
//!   device computes the same outcome from it. Dates of the phases guide
//!   members' phones; the coordinators' review and count are what decide.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::crypto::MemberKey;
use crate::fields::{FieldProblem, MAX_TEXT, MAX_TITLE};
use crate::ids::{CensusId, CommunityId, ProposalId, RoundId};
use crate::signed::Record;

use super::pabulib::{Instance, Project, Vote, VoteType};
use super::report::BudgetReport;
#[cfg(doc)]
use super::together::EditProposalText;
use super::together::HelperView;
use super::BigRational;

/// The largest budget or cost accepted, in whole kroner.
pub const MAX_KRONER: u64 = 1_000_000_000;
/// The most proposals a round takes (a ballot lists at most these).
pub const MAX_PROPOSALS: usize = 500;
/// The most ballots a count holds (every device expands a count into its
/// ballots to compute the result).
pub const MAX_VOTERS: u64 = 1_000_000;

/// The phases' first days: ideas, then review, then voting; voting ends
/// the day before `result`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phases {
    /// Members propose from this day.
    pub ideas: NaiveDate,
    /// Coordinators review from this day.
    pub review: NaiveDate,
    /// Members vote from this day.
    pub voting: NaiveDate,
    /// The result is due this day (voting is over).
    pub result: NaiveDate,
}

impl Phases {
    /// The phases with `phase` starting on `today` (a coordinator moving
    /// the round on): earlier phases move back as needed so that each still
    /// starts before the next, later ones on.
    pub fn starting(self, phase: Phase, today: NaiveDate) -> Phases {
        let mut days = [self.ideas, self.review, self.voting, self.result];
        let at = match phase {
            Phase::NotYet | Phase::Ideas => 0,
            Phase::Review => 1,
            Phase::Voting => 2,
            Phase::Counting | Phase::Result => 3,
        };
        days[at] = today;
        for i in (0..at).rev() {
            days[i] = days[i].min(days[i + 1].pred_opt().unwrap_or(days[i + 1]));
        }
        for i in at + 1..days.len() {
            days[i] = days[i].max(days[i - 1].succ_opt().unwrap_or(days[i - 1]));
        }
        let [ideas, review, voting, result] = days;
        Phases {
            ideas,
            review,
            voting,
            result,
        }
    }
}

/// Where a round stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Before the ideas phase.
    NotYet,
    /// Members propose.
    Ideas,
    /// Coordinators check what can be done and what it costs.
    Review,
    /// Members vote.
    Voting,
    /// Voting is over by the dates, but no coordinator has counted yet.
    Counting,
    /// Counted: the result stands.
    Result,
}

/// What a valid ballot looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotRule {
    /// At least this many proposals (0: no minimum).
    pub min: u32,
    /// At most this many, if limited.
    pub max: Option<u32>,
    /// The ticked proposals may cost at most this together, if limited.
    pub cost_limit: Option<u64>,
}

/// Which outcome a round publishes (both are always computed and shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeRule {
    /// The Method of Equal Shares with its completion.
    EqualShares,
    /// Greedy by votes.
    Greedy,
}

/// A version of a budget round, signed by a coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// Stable across versions.
    pub id: RoundId,
    /// The community.
    pub community: CommunityId,
    /// E.g. "Solhøj 2027".
    pub title: String,
    /// The budget, in whole kroner.
    pub amount: u64,
    /// The area it covers, e.g. "Blok A–D".
    pub area: String,
    /// When each phase starts.
    pub phases: Phases,
    /// What a valid ballot looks like.
    pub ballot: BallotRule,
    /// The outcome it publishes.
    pub rule: OutcomeRule,
    /// When this version was signed.
    pub updated_at: DateTime<Utc>,
}

impl Record for Round {
    const DOMAIN: &'static str = "nabo/budget-round/v1";
}

impl Round {
    /// The first field out of bounds, if any.
    pub fn check(&self) -> Result<(), (&'static str, FieldProblem)> {
        text("title", &self.title, MAX_TITLE)?;
        if self.area.chars().count() > MAX_TITLE {
            return Err(("area", FieldProblem::TooLong));
        }
        if !(1..=MAX_KRONER).contains(&self.amount) {
            return Err(("amount", FieldProblem::OutOfRange));
        }
        let p = self.phases;
        if p.review <= p.ideas {
            return Err(("review", FieldProblem::EndsBeforeStart));
        }
        if p.voting <= p.review {
            return Err(("voting", FieldProblem::EndsBeforeStart));
        }
        if p.result <= p.voting {
            return Err(("result", FieldProblem::EndsBeforeStart));
        }
        let b = self.ballot;
        if b.min as usize > MAX_PROPOSALS {
            return Err(("min", FieldProblem::OutOfRange));
        }
        if let Some(max) = b.max {
            if max == 0 || max < b.min || max as usize > MAX_PROPOSALS {
                return Err(("max", FieldProblem::OutOfRange));
            }
        }
        if let Some(limit) = b.cost_limit {
            if !(1..=MAX_KRONER).contains(&limit) {
                return Err(("cost_limit", FieldProblem::OutOfRange));
            }
        }
        Ok(())
    }

    /// Where the round stands on `today` (this device's date), counted or
    /// not.
    pub fn phase(&self, today: NaiveDate, counted: bool) -> Phase {
        let p = self.phases;
        if counted {
            Phase::Result
        } else if today < p.ideas {
            Phase::NotYet
        } else if today < p.review {
            Phase::Ideas
        } else if today < p.voting {
            Phase::Review
        } else if today < p.result {
            Phase::Voting
        } else {
            Phase::Counting
        }
    }
}

/// A required text within `max` characters.
fn text(field: &'static str, value: &str, max: usize) -> Result<(), (&'static str, FieldProblem)> {
    crate::fields::required(value, max)
        .map(drop)
        .map_err(|p| (field, p))
}

/// A version of a member's proposal, signed by the proposer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// Stable across versions.
    pub id: ProposalId,
    /// The community.
    pub community: CommunityId,
    /// The round it is for.
    pub round: RoundId,
    /// Who proposes it (and signs it).
    pub proposer: MemberKey,
    /// E.g. "Bænke ved legepladsen".
    pub title: String,
    /// What it is and why.
    pub description: String,
    /// What it would cost, in whole kroner.
    pub cost: u64,
    /// E.g. "Udeareal".
    pub category: String,
    /// The association or organisation that would receive the money.
    pub recipient: String,
    /// Taken back by the proposer.
    pub withdrawn: bool,
    /// When this version was signed.
    pub updated_at: DateTime<Utc>,
}

impl Record for Proposal {
    const DOMAIN: &'static str = "nabo/budget-proposal/v1";
}

impl Proposal {
    /// The first field out of bounds, if any.
    pub fn check(&self) -> Result<(), (&'static str, FieldProblem)> {
        text("title", &self.title, MAX_TITLE)?;
        text("description", &self.description, MAX_TEXT)?;
        if !(1..=MAX_KRONER).contains(&self.cost) {
            return Err(("cost", FieldProblem::OutOfRange));
        }
        if self.category.chars().count() > MAX_TITLE {
            return Err(("category", FieldProblem::TooLong));
        }
        text("recipient", &self.recipient, MAX_TITLE)
    }
}

/// The largest photo a proposal carries, as stored (a JPEG the proposer's
/// device made from their picture).
pub const MAX_PHOTO_BYTES: usize = 400_000;

/// A proposal's photo, signed by its proposer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalPhoto {
    /// The proposal.
    pub proposal: ProposalId,
    /// Its proposer (who signs it).
    pub proposer: MemberKey,
    /// The community.
    pub community: CommunityId,
    /// The proposal's round.
    pub round: RoundId,
    /// The photo as JPEG; empty: the photo was taken away. (One byte
    /// string, not a sequence of numbers.)
    #[serde(with = "serde_bytes")]
    pub jpeg: Vec<u8>,
    /// When the proposer's device signed it.
    pub added_at: DateTime<Utc>,
}

impl Record for ProposalPhoto {
    const DOMAIN: &'static str = "nabo/proposal-photo/v1";
}

impl ProposalPhoto {
    /// Whether it holds a JPEG within the size allowed, or nothing.
    pub fn well_formed(&self) -> bool {
        self.jpeg.is_empty()
            || (self.jpeg.len() <= MAX_PHOTO_BYTES && self.jpeg.starts_with(&[0xFF, 0xD8, 0xFF]))
    }
}

/// A coordinator's review of one version of a proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalReview {
    /// The proposal.
    pub proposal: ProposalId,
    /// Its proposer (a proposal is its id and its proposer).
    pub proposer: MemberKey,
    /// The community.
    pub community: CommunityId,
    /// Its round.
    pub round: RoundId,
    /// The `updated_at` of the version reviewed: the ballot shows that one.
    pub version: DateTime<Utc>,
    /// Whether it can be done (and goes on the ballot).
    pub feasible: bool,
    /// Why not, or a word on it; the proposer sees it.
    pub reason: String,
    /// The cost as reviewed, if a coordinator changed it.
    pub cost: Option<u64>,
    /// When it was signed.
    pub reviewed_at: DateTime<Utc>,
}

impl Record for ProposalReview {
    const DOMAIN: &'static str = "nabo/budget-review/v1";
}

impl ProposalReview {
    /// The first field out of bounds, if any.
    pub fn check(&self) -> Result<(), (&'static str, FieldProblem)> {
        if !self.feasible {
            text("reason", &self.reason, MAX_TEXT)?;
        } else if self.reason.chars().count() > MAX_TEXT {
            return Err(("reason", FieldProblem::TooLong));
        }
        if let Some(cost) = self.cost {
            if !(1..=MAX_KRONER).contains(&cost) {
                return Err(("cost", FieldProblem::OutOfRange));
            }
            if self.reason.trim().is_empty() {
                // A changed cost says why.
                return Err(("reason", FieldProblem::Required));
            }
        }
        Ok(())
    }
}

/// A member's ballot in a round, signed with one of their keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    /// The round.
    pub round: RoundId,
    /// The community.
    pub community: CommunityId,
    /// The key that signs it.
    pub voter: MemberKey,
    /// The proposals ticked.
    pub approves: Vec<ProposalId>,
    /// Counts up with each new ballot of the member: the highest counts.
    pub seq: u64,
    /// When the voter's device says it was signed.
    pub signed_at: DateTime<Utc>,
}

impl Record for Ballot {
    const DOMAIN: &'static str = "nabo/budget-ballot/v1";
}

impl Ballot {
    /// Whether the fields are in bounds (what is on the ballot is checked
    /// against the round when counted).
    pub fn well_formed(&self) -> bool {
        self.seq > 0 && distinct(&self.approves)
    }
}

/// A paper ballot a coordinator entered for a member (scanning their member
/// card, or choosing them), signed by the coordinator's device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperBallot {
    /// The round.
    pub round: RoundId,
    /// The community.
    pub community: CommunityId,
    /// A key of the member who voted (their card's, or a phone's).
    pub voter: MemberKey,
    /// The proposals ticked on the paper.
    pub approves: Vec<ProposalId>,
    /// When the coordinator's device entered it.
    pub entered_at: DateTime<Utc>,
}

impl Record for PaperBallot {
    const DOMAIN: &'static str = "nabo/budget-paper-ballot/v1";
}

impl PaperBallot {
    /// Whether the fields are in bounds.
    pub fn well_formed(&self) -> bool {
        distinct(&self.approves)
    }
}

/// The letters of a one-time census code: no 0 and O, no 1, I and L, so it
/// is read and typed without doubt.
pub const CENSUS_LETTERS: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// How many letters a census code has (about 50 bits).
pub const CENSUS_LEN: usize = 10;
/// The most codes printed at once.
pub const MAX_CENSUS: u32 = 2_000;

/// A typed or scanned census code in its one form ("ABCDE-FGHJK"), or
/// `None` if the text is not one: case, spaces and dashes do not matter.
pub fn census_code(text: &str) -> Option<String> {
    let letters: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{a0}'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let ok = letters.len() == CENSUS_LEN && letters.bytes().all(|b| CENSUS_LETTERS.contains(&b));
    ok.then(|| format!("{}-{}", &letters[..5], &letters[5..]))
}

/// The id a census code of `round` is stored under: a hash, so the codes
/// themselves are on paper only.
pub fn census_id(round: &RoundId, code: &str) -> Option<CensusId> {
    use sha2::{Digest, Sha256};
    let code = census_code(code)?;
    let mut h = Sha256::new();
    h.update(b"nabo/census-code/v1");
    h.update(round.as_bytes());
    h.update(code.as_bytes());
    let digest = h.finalize();
    let mut id = [0; 16];
    id.copy_from_slice(&digest[..16]);
    Some(CensusId::from_bytes(id))
}

/// One-time codes a coordinator printed on paper ballots of a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CensusCodes {
    /// The round.
    pub round: RoundId,
    /// The community.
    pub community: CommunityId,
    /// The codes' ids.
    pub ids: Vec<CensusId>,
    /// When the coordinator's device printed them.
    pub issued_at: DateTime<Utc>,
}

impl Record for CensusCodes {
    const DOMAIN: &'static str = "nabo/census-codes/v1";
}

impl CensusCodes {
    /// Whether the fields are in bounds.
    pub fn well_formed(&self) -> bool {
        !self.ids.is_empty() && self.ids.len() <= MAX_CENSUS as usize
    }
}

/// A paper ballot a coordinator entered by the one-time code printed on it
/// (a voter who is not a member).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CensusBallot {
    /// The round.
    pub round: RoundId,
    /// The community.
    pub community: CommunityId,
    /// The code's id.
    pub census: CensusId,
    /// The proposals ticked on the paper.
    pub approves: Vec<ProposalId>,
    /// When the coordinator's device entered it.
    pub entered_at: DateTime<Utc>,
}

impl Record for CensusBallot {
    const DOMAIN: &'static str = "nabo/census-ballot/v1";
}

impl CensusBallot {
    /// Whether the fields are in bounds.
    pub fn well_formed(&self) -> bool {
        distinct(&self.approves)
    }
}

/// Each proposal at most once, and not too many.
fn distinct(approves: &[ProposalId]) -> bool {
    let mut ids = approves.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids.len() == approves.len() && ids.len() <= MAX_PROPOSALS
}

/// A coordinator's count when voting closes: what every device computes
/// the outcome from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// The round.
    pub round: RoundId,
    /// The community.
    pub community: CommunityId,
    /// When the coordinator's device closed voting.
    pub closed_at: DateTime<Utc>,
    /// The budget counted with.
    pub amount: u64,
    /// The proposals on the ballot, with the cost counted.
    pub proposals: Vec<(ProposalId, u64)>,
    /// The phone ballots that counted, identical ones merged: the
    /// proposals ticked and how many ballots ticked exactly those.
    pub groups: Vec<(Vec<ProposalId>, u64)>,
    /// The paper ballots that counted, merged the same way.
    pub paper: Vec<(Vec<ProposalId>, u64)>,
}

impl Record for Tally {
    const DOMAIN: &'static str = "nabo/budget-tally/v1";
}

impl Tally {
    /// Whether the fields are in bounds and every group names proposals on
    /// the ballot.
    pub fn well_formed(&self) -> bool {
        let on: std::collections::BTreeSet<_> = self.proposals.iter().map(|(p, _)| p).collect();
        (1..=MAX_KRONER).contains(&self.amount)
            && on.len() == self.proposals.len()
            && self.proposals.len() <= MAX_PROPOSALS
            && self
                .proposals
                .iter()
                .all(|(_, c)| (1..=MAX_KRONER).contains(c))
            && self.all_groups().all(|(g, n, _)| {
                *n > 0 && g.len() <= MAX_PROPOSALS && g.iter().all(|p| on.contains(p))
            })
            && self
                .all_groups()
                .try_fold(0u64, |sum, (_, n, _)| sum.checked_add(*n))
                .is_some_and(|voters| voters <= MAX_VOTERS)
    }

    /// Every group, phone ballots first, each with whether it is paper.
    fn all_groups(&self) -> impl Iterator<Item = (&Vec<ProposalId>, &u64, bool)> {
        self.groups
            .iter()
            .map(|(g, n)| (g, n, false))
            .chain(self.paper.iter().map(|(g, n)| (g, n, true)))
    }

    /// How many ballots counted (phone and paper).
    pub fn voters(&self) -> u64 {
        self.all_groups().map(|(_, n, _)| n).sum()
    }

    /// The count as a pabulib instance (proposal names from `name`), so
    /// it is computed like any file and can be exported.
    pub fn instance(
        &self,
        title: &str,
        area: &str,
        name: impl Fn(&ProposalId) -> String,
    ) -> Instance {
        let index: std::collections::HashMap<&ProposalId, usize> = self
            .proposals
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (p, i))
            .collect();
        let projects = self
            .proposals
            .iter()
            .enumerate()
            .map(|(i, (p, cost))| Project {
                id: (i + 1).to_string(),
                cost: BigRational::from_integer((*cost).into()),
                cost_text: cost.to_string(),
                fields: vec![Some(name(p))],
            })
            .collect();
        let mut votes = Vec::new();
        for (ticked, n, paper) in self.all_groups() {
            let mut projects: Vec<usize> = ticked
                .iter()
                .filter_map(|p| index.get(p).copied())
                .collect();
            projects.sort_unstable();
            let method = if paper { "paper" } else { "internet" };
            for _ in 0..*n {
                votes.push(Vote {
                    voter: (votes.len() + 1).to_string(),
                    projects: projects.clone(),
                    points: None,
                    fields: vec![Some(method.to_owned())],
                });
            }
        }
        let meta = vec![
            ("description".to_owned(), title.to_owned()),
            ("country".to_owned(), "Denmark".to_owned()),
            ("unit".to_owned(), area.to_owned()),
            (
                "instance".to_owned(),
                self.closed_at.date_naive().to_string(),
            ),
            ("num_projects".to_owned(), self.proposals.len().to_string()),
            ("num_votes".to_owned(), votes.len().to_string()),
            ("budget".to_owned(), self.amount.to_string()),
            ("vote_type".to_owned(), "approval".to_owned()),
            ("rule".to_owned(), "equalshares/add1".to_owned()),
            ("currency".to_owned(), "DKK".to_owned()),
        ];
        Instance {
            meta,
            project_columns: vec!["name".to_owned()],
            projects,
            vote_columns: vec!["voting_method".to_owned()],
            votes,
            budget: BigRational::from_integer(self.amount.into()),
            vote_type: VoteType::Approval,
            notes: Vec::new(),
        }
    }
}

/// Why a ballot, a proposal or a count was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum BallotProblem {
    /// Proposals are taken only in the ideas phase.
    #[error("proposals are taken only in the ideas phase")]
    NotIdeas,
    /// Voting has not opened, or it has closed.
    #[error("voting is not open")]
    NotVoting,
    /// The round is counted: nothing changes it any more.
    #[error("the round is counted")]
    Counted,
    /// A ticked proposal is not on the ballot.
    #[error("a ticked proposal is not on the ballot")]
    NotOnBallot,
    /// Fewer proposals ticked than the round asks.
    #[error("tick at least {min}")]
    TooFew {
        /// The least.
        min: u32,
    },
    /// More proposals ticked than the round allows.
    #[error("tick at most {max}")]
    TooMany {
        /// The most.
        max: u32,
    },
    /// The ticked proposals cost more together than a ballot may.
    #[error("the ticked proposals cost more than {limit}")]
    OverLimit {
        /// The limit.
        limit: u64,
    },
    /// The round is not counted yet.
    #[error("the round is not counted yet")]
    NotCounted,
    /// No proposal is on the ballot yet (none reviewed as feasible).
    #[error("no proposal is on the ballot")]
    EmptyBallot,
    /// A census code this round's paper ballots were not printed with.
    #[error("no paper ballot of this round has that code")]
    UnknownCode,
    /// A paper ballot with this census code is already entered (entering
    /// it again replaces it, when asked to).
    #[error("a paper ballot with that code is already entered")]
    CodeUsed,
    /// Only the proposer and the helpers they named edit a description.
    #[error("only the proposer and their helpers edit this description")]
    NotHelper,
    /// The description changed on this device in a way an edit begun
    /// earlier cannot be merged into (a helper's edits no longer count):
    /// start again from the text as it is now.
    #[error("the description changed: start again from the text as it is now")]
    TextChanged,
}

impl BallotRule {
    /// Whether ticking `costs` (the ticked proposals' costs) makes a valid
    /// ballot.
    pub fn check(&self, costs: &[u64]) -> Result<(), BallotProblem> {
        let n = u32::try_from(costs.len()).unwrap_or(u32::MAX);
        if n < self.min {
            return Err(BallotProblem::TooFew { min: self.min });
        }
        if let Some(max) = self.max.filter(|&max| n > max) {
            return Err(BallotProblem::TooMany { max });
        }
        if let Some(limit) = self.cost_limit {
            let total = costs.iter().fold(0u64, |s, c| s.saturating_add(*c));
            if total > limit {
                return Err(BallotProblem::OverLimit { limit });
            }
        }
        Ok(())
    }
}

/// What a round asks, as the UI fills it in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundInput {
    /// The round to change; `None` for a new one.
    pub id: Option<RoundId>,
    /// Its title.
    pub title: String,
    /// The budget, in whole kroner.
    pub amount: u64,
    /// The area it covers.
    pub area: String,
    /// When each phase starts.
    pub phases: Phases,
    /// What a valid ballot looks like.
    pub ballot: BallotRule,
    /// The outcome it publishes.
    pub rule: OutcomeRule,
}

/// A round as the overview lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundView {
    /// The round.
    pub id: RoundId,
    /// Its title.
    pub title: String,
    /// The budget, in whole kroner.
    pub amount: u64,
    /// The area it covers.
    pub area: String,
    /// When each phase starts.
    pub phases: Phases,
    /// What a valid ballot looks like.
    pub ballot: BallotRule,
    /// The outcome it publishes.
    pub rule: OutcomeRule,
    /// Where it stands today (by this device's date).
    pub phase: Phase,
    /// How many proposals it has (withdrawn ones not counted).
    pub proposals: u32,
}

/// A coordinator's review as the proposal shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    /// Whether it can be done.
    pub feasible: bool,
    /// Why not, or why the cost changed.
    pub reason: String,
    /// The cost as reviewed, if changed.
    pub cost: Option<u64>,
    /// The coordinator's name.
    pub by: String,
    /// The proposer changed the proposal after this review: the ballot
    /// shows the version reviewed.
    pub outdated: bool,
}

/// A proposal as the round shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalView {
    /// The proposal.
    pub id: ProposalId,
    /// Its title.
    pub title: String,
    /// What it is and why.
    pub description: String,
    /// What it costs (as reviewed, if a coordinator changed it).
    pub cost: u64,
    /// What the proposer asked.
    pub proposed_cost: u64,
    /// Its category.
    pub category: String,
    /// Who would receive the money.
    pub recipient: String,
    /// The proposer's name.
    pub proposer: String,
    /// This device's member proposed it.
    pub mine: bool,
    /// It has a photo (fetched on its own with [`GetProposalPhoto`]).
    pub photo: bool,
    /// The members the proposer named to write the description with them.
    pub helpers: Vec<HelperView>,
    /// This member may edit the description now (the proposer or a
    /// helper, in the ideas phase).
    pub writes: bool,
    /// Where the description stands, for an edit to start from
    /// ([`EditProposalText::base`], [`SaveProposal::base`]).
    pub text_base: Vec<String>,
    /// The coordinators' review, if any.
    pub review: Option<ReviewView>,
}

/// One round with its proposals, this member's ballot, and the result once
/// counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundDetail {
    /// The round.
    pub round: RoundView,
    /// Its proposals (withdrawn ones left out), by title.
    pub proposals: Vec<ProposalView>,
    /// The proposals this member's ballot ticks, if they voted.
    pub my_ballot: Option<Vec<ProposalId>>,
    /// For coordinators: how many members' ballots this device holds
    /// (phone and paper).
    pub ballots: Option<u64>,
    /// For coordinators: how many of those are paper ballots.
    pub paper: Option<u64>,
    /// This member's ballot that counts is a paper one a coordinator
    /// entered.
    pub my_ballot_paper: bool,
    /// Both outcomes, once counted.
    pub result: Option<BudgetReport>,
}

/// → `Vec<`[`RoundView`]`>`: every round, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListRounds;

/// → [`RoundDetail`]: one round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GetRound {
    /// The round.
    pub id: RoundId,
}

/// → [`RoundView`]: opens a round or changes one (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaveRound {
    /// The round.
    pub round: RoundInput,
}

/// → [`ProposalId`]: a new proposal of this device's member, or a new
/// version of one (in the ideas phase).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaveProposal {
    /// The proposal to change; `None` for a new one.
    pub id: Option<ProposalId>,
    /// Its round.
    pub round: RoundId,
    /// Its title.
    pub title: String,
    /// What it is and why.
    pub description: String,
    /// What it would cost, in whole kroner.
    pub cost: u64,
    /// Its category.
    pub category: String,
    /// Who would receive the money.
    pub recipient: String,
    /// For a new version: where the description stood when the proposer
    /// began ([`ProposalView::text_base`]), so what helpers wrote meanwhile
    /// is kept. Empty for a new proposal.
    #[serde(default)]
    pub base: Vec<String>,
}

/// → `()`: a photo for one of this member's proposals (in the ideas
/// phase): the raw request body is the proposal's id (16 bytes), then the
/// picture (PNG or JPEG), which the device scales down and stores as JPEG.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetProposalPhoto;

/// → `()`: takes the photo away from one of this member's proposals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemoveProposalPhoto {
    /// The proposal.
    pub id: ProposalId,
}

/// → `Option<String>`: a proposal's photo as a `data:` URL, if it has one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GetProposalPhoto {
    /// The proposal.
    pub id: ProposalId,
}

/// → `()`: takes back one of this member's proposals (before the vote).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WithdrawProposal {
    /// The proposal.
    pub id: ProposalId,
}

/// → `()`: a coordinator's review of a proposal's newest version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewProposal {
    /// The proposal.
    pub id: ProposalId,
    /// Whether it can be done.
    pub feasible: bool,
    /// Why not (required then), or a word on a changed cost.
    pub reason: String,
    /// A changed cost, if any.
    pub cost: Option<u64>,
}

/// → `()`: this member's ballot (replacing any earlier one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CastBallot {
    /// The round.
    pub round: RoundId,
    /// The proposals ticked.
    pub approves: Vec<ProposalId>,
}

/// → `String` (the voter's name, or the census code in its one form): a
/// paper ballot a coordinator enters for a member, named by their member
/// card (scanned or its short code typed) or by their device's fingerprint
/// from the member list, or for a voter who is not a member, by the
/// one-time census code printed on the paper (coordinators only). A
/// member's counts instead of any phone ballot of theirs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnterPaperBallot {
    /// The round.
    pub round: RoundId,
    /// The card's code, the member's device fingerprint, or a census code.
    pub voter: String,
    /// The proposals ticked on the paper.
    pub approves: Vec<ProposalId>,
    /// A census code already used: replace that ballot (a correction).
    #[serde(default)]
    pub replace: bool,
}

/// The words printed on census paper ballots, in the coordinator's
/// language.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CensusTexts {
    /// E.g. "Stemmeseddel".
    pub heading: String,
    /// How to fill it in, with the round's rule.
    pub how: String,
    /// Before the code: e.g. "Engangskode".
    pub code: String,
    /// At the foot: where to hand it in.
    pub hand_in: String,
}

/// → [`PrintedBallots`]: paper ballots, each with its own one-time code,
/// as a PDF in the exports folder (coordinators only, once the ballot is
/// known).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrintCensusBallots {
    /// The round.
    pub round: RoundId,
    /// How many.
    pub count: u32,
    /// The words on them.
    pub texts: CensusTexts,
}

/// Paper ballots that were printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrintedBallots {
    /// The PDF.
    pub path: String,
    /// The codes on them, in print order.
    pub codes: Vec<String>,
}

/// → [`BudgetReport`]: closes voting and counts the ballots this device
/// holds (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloseVoting {
    /// The round.
    pub round: RoundId,
}

/// → [`SavedRound`]: writes a counted round as a pabulib file to the
/// exports folder, so it can be checked with outside tools.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportRound {
    /// The round.
    pub round: RoundId,
}

/// Where a round's pabulib file was saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedRound {
    /// The file.
    pub path: String,
}

crate::commands! {
    ListRounds => "list_rounds" -> Vec<RoundView>;
    GetRound => "get_round" -> RoundDetail;
    SaveRound => "save_round" -> RoundView;
    SaveProposal => "save_proposal" -> ProposalId;
    WithdrawProposal => "withdraw_proposal" -> ();
    ReviewProposal => "review_proposal" -> ();
    CastBallot => "cast_ballot" -> ();
    EnterPaperBallot => "enter_paper_ballot" -> String;
    CloseVoting => "close_voting" -> BudgetReport;
    ExportRound => "export_round" -> SavedRound;
    PrintCensusBallots => "print_census_ballots" -> PrintedBallots;
    SetProposalPhoto => "set_proposal_photo", raw -> ();
    RemoveProposalPhoto => "remove_proposal_photo" -> ();
    GetProposalPhoto => "get_proposal_photo" -> Option<String>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 3, d).unwrap()
    }

    fn round() -> Round {
        Round {
            id: RoundId::from_bytes([1; 16]),
            community: CommunityId::from_bytes([2; 16]),
            title: "Solhøj 2027".into(),
            amount: 100_000,
            area: "Blok A–D".into(),
            phases: Phases {
                ideas: day(1),
                review: day(8),
                voting: day(15),
                result: day(22),
            },
            ballot: BallotRule {
                min: 1,
                max: Some(3),
                cost_limit: Some(60_000),
            },
            rule: OutcomeRule::EqualShares,
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_round_moves_through_its_phases_by_date_and_is_done_once_counted() {
        let r = round();
        assert_eq!(r.check(), Ok(()));
        let phases = [2, 7, 8, 14, 15, 21, 22, 30].map(|d| r.phase(day(d), false));
        assert_eq!(r.phase(day(1) - chrono::Days::new(1), false), Phase::NotYet);
        assert_eq!(
            phases,
            [
                Phase::Ideas,
                Phase::Ideas,
                Phase::Review,
                Phase::Review,
                Phase::Voting,
                Phase::Voting,
                Phase::Counting,
                Phase::Counting
            ]
        );
        assert_eq!(r.phase(day(16), true), Phase::Result);
        let mut bad = round();
        bad.phases.voting = bad.phases.review;
        assert_eq!(bad.check(), Err(("voting", FieldProblem::EndsBeforeStart)));
        let mut bad = round();
        bad.ballot.max = Some(0);
        assert_eq!(bad.check(), Err(("max", FieldProblem::OutOfRange)));
        let mut bad = round();
        bad.amount = 0;
        assert_eq!(bad.check(), Err(("amount", FieldProblem::OutOfRange)));
    }

    #[test]
    fn a_phase_started_today_moves_the_others_only_as_far_as_needed() {
        let r = round();
        // Review from the 3rd instead of the 8th: the rest stays.
        let p = r.phases.starting(Phase::Review, day(3));
        assert_eq!((p.ideas, p.review, p.voting), (day(1), day(3), day(15)));
        // Voting on the 1st: ideas and review move back a day each.
        let p = r.phases.starting(Phase::Voting, day(1));
        assert_eq!(
            (p.ideas, p.review, p.voting, p.result),
            (
                day(1) - chrono::Days::new(2),
                day(1) - chrono::Days::new(1),
                day(1),
                day(22)
            )
        );
        // Voting on the 25th: the result moves on.
        let p = r.phases.starting(Phase::Voting, day(25));
        assert_eq!((p.review, p.voting, p.result), (day(8), day(25), day(26)));
        for phase in [Phase::Ideas, Phase::Review, Phase::Voting] {
            let mut moved = round();
            moved.phases = moved.phases.starting(phase, day(10));
            assert_eq!(moved.check(), Ok(()));
            assert_eq!(moved.phase(day(10), false), phase);
        }
    }

    #[test]
    fn a_ballot_rule_counts_and_adds_up_what_is_ticked() {
        let rule = round().ballot;
        assert_eq!(rule.check(&[]), Err(BallotProblem::TooFew { min: 1 }));
        assert_eq!(rule.check(&[10_000]), Ok(()));
        assert_eq!(
            rule.check(&[1, 1, 1, 1]),
            Err(BallotProblem::TooMany { max: 3 })
        );
        assert_eq!(
            rule.check(&[30_000, 30_001]),
            Err(BallotProblem::OverLimit { limit: 60_000 })
        );
        assert!(rule.check(&[u64::MAX, u64::MAX]).is_err());
    }

    #[test]
    fn a_census_code_is_read_however_it_is_typed_and_belongs_to_its_round() {
        assert_eq!(census_code("abcde fghjk").as_deref(), Some("ABCDE-FGHJK"));
        assert_eq!(census_code("ABCDE-FGHJK").as_deref(), Some("ABCDE-FGHJK"));
        // Letters that look alike are not in codes; nor is a card's code.
        assert_eq!(census_code("ABCDE-FGHJ0"), None);
        assert_eq!(census_code("ABCDE-FGHJ"), None);
        assert_eq!(census_code("8461-6d6c-78db-112b"), None);
        let a = RoundId::from_bytes([1; 16]);
        let b = RoundId::from_bytes([2; 16]);
        assert_eq!(census_id(&a, "abcdefghjk"), census_id(&a, "ABCDE-FGHJK"));
        assert_ne!(census_id(&a, "ABCDE-FGHJK"), census_id(&b, "ABCDE-FGHJK"));
        assert_eq!(census_id(&a, "nonsense"), None);
    }

    #[test]
    fn a_count_is_an_instance_whose_outcome_and_export_read_back() {
        let p = |b: u8| ProposalId::from_bytes([b; 16]);
        let tally = Tally {
            round: RoundId::from_bytes([1; 16]),
            community: CommunityId::from_bytes([2; 16]),
            closed_at: DateTime::UNIX_EPOCH,
            amount: 90,
            proposals: vec![(p(1), 30), (p(2), 30), (p(3), 60)],
            groups: vec![(vec![p(1), p(2)], 1), (vec![p(3)], 1)],
            paper: vec![(vec![p(1), p(2)], 1)],
        };
        assert!(tally.well_formed());
        assert_eq!(tally.voters(), 3);
        let names = |id: &ProposalId| format!("Forslag {}", id.as_bytes()[0]);
        let instance = tally.instance("Solhøj", "Blok A", names);
        let report =
            super::super::report::report(&instance, &super::super::TieBreak::default()).unwrap();
        assert_eq!(report.voters, 3);
        // Paper ballots are ballots like any other, and say so when exported.
        assert_eq!(
            instance
                .votes
                .iter()
                .filter(|v| v.fields == [Some("paper".to_owned())])
                .count(),
            1
        );
        let funded: Vec<&str> = report
            .projects
            .iter()
            .filter(|l| l.greedy)
            .map(|l| l.name.as_str())
            .collect();
        assert_eq!(funded, ["Forslag 1", "Forslag 2"]);
        let text = super::super::pabulib::write(&instance);
        let back = super::super::pabulib::parse(&text).unwrap();
        assert_eq!(super::super::pabulib::write(&back), text);
        // A group naming a proposal not on the ballot is not a count.
        let mut bad = tally.clone();
        bad.groups.push((vec![p(9)], 1));
        assert!(!bad.well_formed());
        // Nor is one too large for every device to expand.
        let mut bad = tally.clone();
        bad.groups.push((vec![p(1)], MAX_VOTERS));
        assert!(!bad.well_formed());
    }
}
