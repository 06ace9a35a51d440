//! Volunteer hours: a volunteer's claim, logged offline, and a
//! coordinator's decision on it.
//!
//! A claim names the work (an activity, or "other" with a text), the day,
//! and either a start and end time or a duration; it counts in quarter
//! hours, rounded to the nearest. The volunteer may sign new versions of it
//! (an edit, or a withdrawal) until a coordinator decides; the decision
//! names the version it decided and locks it. A version signed after that
//! changes nothing and is shown as an edit after the decision. Nothing is
//! deleted: every version and every decision stays, with who signed it and
//! when. [`resolve`] gives every device the same answer from the same
//! records, whatever order they arrived in.
//!
//! ```
//! use chrono::{NaiveDate, NaiveTime};
//! use nabo_shared::rewards::hours::{quarters, Span};
//!
//! let span = Span::Times {
//!     start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
//!     end: NaiveTime::from_hms_opt(11, 20, 0).unwrap(),
//! };
//! // 2 h 20 min is nearest to 2 h 15 min: nine quarters.
//! assert_eq!(quarters(&span), Ok(9));
//! assert_eq!(nabo_shared::rewards::hours::points(9, 10), 22);
//! ```

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::crypto::MemberKey;
use crate::ids::{ActivityId, CommunityId, HourClaimId};
use crate::signed::Record;

/// At most one day's worth of quarter hours in one claim.
pub const MAX_QUARTERS: u32 = 96;
/// The points an hour earns until the community sets its own rate (a
/// coordinator may then change it, with the change recorded).
pub const DEFAULT_PER_HOUR: u32 = 10;
/// The most points an hour may earn: a decision that pays more counts for
/// nothing.
pub const MAX_PER_HOUR: u32 = 1_000;
/// The longest note or text a claim or decision keeps.
pub const MAX_TEXT: usize = 500;

/// What the hours were for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Work {
    /// An activity of the community.
    Activity(ActivityId),
    /// Something else, in the volunteer's words.
    Other(String),
}

/// How long the work took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Span {
    /// From a start to an end time on the claim's day.
    Times {
        /// Started.
        start: NaiveTime,
        /// Ended (after the start, on the same day).
        end: NaiveTime,
    },
    /// A duration in minutes.
    Minutes(u32),
}

/// Why a claim cannot count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HoursProblem {
    /// The end is not after the start.
    #[error("the end is not after the start")]
    EndBeforeStart,
    /// Less than half of a quarter hour.
    #[error("shorter than a quarter hour")]
    TooShort,
    /// More than a day.
    #[error("longer than a day")]
    TooLong,
    /// "Other" work without a text, or a text too long.
    #[error("the text is empty or too long")]
    Text,
}

/// The quarter hours a span counts for: its minutes rounded to the nearest
/// quarter (7 minutes and less round down, 8 and more up).
pub fn quarters(span: &Span) -> Result<u32, HoursProblem> {
    let minutes = match *span {
        Span::Times { start, end } => {
            if end <= start {
                return Err(HoursProblem::EndBeforeStart);
            }
            (end - start).num_minutes() as u32
        }
        Span::Minutes(m) => m,
    };
    if minutes > MAX_QUARTERS * 15 {
        return Err(HoursProblem::TooLong);
    }
    match (minutes + 7) / 15 {
        0 => Err(HoursProblem::TooShort),
        q => Ok(q),
    }
}

/// The points for `quarters` at `per_hour` points an hour, rounded down to
/// whole points.
pub fn points(quarters: u32, per_hour: u32) -> u64 {
    u64::from(quarters) * u64::from(per_hour) / 4
}

/// One version of a volunteer's claim, signed by the volunteer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct HourClaim {
    /// The claim (every version shares it).
    pub id: HourClaimId,
    /// The community.
    pub community: CommunityId,
    /// Who worked (and signs).
    pub volunteer: MemberKey,
    /// This version's number: 1, then one more per edit.
    pub version: u32,
    /// What for.
    pub work: Work,
    /// The day.
    pub date: NaiveDate,
    /// How long.
    pub span: Span,
    /// The volunteer's note.
    pub note: String,
    /// This version takes the claim back.
    pub withdrawn: bool,
    /// When the volunteer signed it (their clock: shown, never trusted).
    pub signed_at: DateTime<Utc>,
}

impl Record for HourClaim {
    const DOMAIN: &'static str = "nabo/hour-claim/v1";
}

impl HourClaim {
    /// Checks the claim's own fields: its span and texts.
    pub fn check(&self) -> Result<u32, HoursProblem> {
        let text_ok = |t: &str| t.chars().count() <= MAX_TEXT;
        let work_ok = match &self.work {
            Work::Activity(_) => true,
            Work::Other(text) => !text.trim().is_empty() && text_ok(text),
        };
        if !work_ok || !text_ok(&self.note) {
            return Err(HoursProblem::Text);
        }
        quarters(&self.span)
    }
}

/// A coordinator's answer to a claim.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Verdict {
    /// Approved for this many quarter hours (the claim's, or fewer), for
    /// this many points (the rate at the time of the decision: a later
    /// change of rate changes no decision).
    Approved {
        /// Quarter hours approved.
        quarters: u32,
        /// Points earned (at most [`MAX_PER_HOUR`] an hour).
        points: u64,
    },
    /// Declined, with the reason the volunteer sees.
    Declined {
        /// Why.
        reason: String,
    },
}

/// A coordinator's decision on one version of a claim.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct HourDecision {
    /// The community.
    pub community: CommunityId,
    /// The claim.
    pub claim: HourClaimId,
    /// Whose claim it is (the decision lives in their ledger).
    pub volunteer: MemberKey,
    /// The version decided: it is locked.
    pub version: u32,
    /// The answer.
    pub verdict: Verdict,
    /// When the coordinator signed it.
    pub decided_at: DateTime<Utc>,
}

impl Record for HourDecision {
    const DOMAIN: &'static str = "nabo/hour-decision/v1";
}

/// A verified record with its signer and signature (the tie-breaker).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen<T> {
    /// The record.
    pub value: T,
    /// Who signed it.
    pub signer: MemberKey,
    /// Its signature.
    pub sig: [u8; 64],
}

/// Where a claim stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Waiting for a coordinator: the version that counts.
    Pending(HourClaim),
    /// Taken back by the volunteer before any decision.
    Withdrawn(HourClaim),
    /// Decided: by whom, and the version decided (if this device has it).
    Decided {
        /// The decision that counts.
        decision: HourDecision,
        /// The coordinator who signed it.
        by: MemberKey,
        /// The version it decided.
        claim: Option<HourClaim>,
        /// The volunteer signed a newer version after the decision: it
        /// changes nothing, and the coordinator sees it.
        edited_after: bool,
        /// Other decisions on the same claim (two coordinators at once),
        /// with who signed each: the first signed counts, the others are
        /// shown.
        overruled: Vec<(MemberKey, HourDecision)>,
    },
}

/// Where a claim stands, from every version and decision a device holds
/// for it. `is_coordinator` says whether a key held office at a time.
/// Versions not signed by their volunteer, for another claim, or with
/// fields that do not check, and decisions by non-coordinators or with an
/// approval above the decided version's quarters or above [`MAX_PER_HOUR`],
/// for another volunteer, or by the volunteer themselves, count for nothing.
/// `None`: no valid version and no valid decision.
pub fn resolve(
    claim: HourClaimId,
    versions: &[Seen<HourClaim>],
    decisions: &[Seen<HourDecision>],
    is_coordinator: impl Fn(&MemberKey, DateTime<Utc>) -> bool,
) -> Option<Status> {
    let mut valid: Vec<&Seen<HourClaim>> = versions
        .iter()
        .filter(|v| {
            v.value.id == claim
                && v.signer == v.value.volunteer
                && v.value.version >= 1
                && v.value.check().is_ok()
        })
        .collect();
    // The newest version, then the smallest signature: the same on every device.
    valid.sort_by(|a, b| {
        (b.value.version, &a.sig, &a.signer, &a.value).cmp(&(
            a.value.version,
            &b.sig,
            &b.signer,
            &b.value,
        ))
    });
    let version = |n: u32| valid.iter().find(|v| v.value.version == n);
    // The most a decision may pay for the quarters it approves.
    let paid = |d: &Seen<HourDecision>| match d.value.verdict {
        Verdict::Approved { quarters, .. } => points(quarters, MAX_PER_HOUR),
        Verdict::Declined { .. } => 0,
    };
    let mut decided: Vec<&Seen<HourDecision>> = decisions
        .iter()
        .filter(|d| {
            d.value.claim == claim
                && d.signer != d.value.volunteer
                && is_coordinator(&d.signer, d.value.decided_at)
        })
        .filter(|d| match version(d.value.version) {
            Some(v) => v.value.volunteer == d.value.volunteer,
            None => true,
        })
        .filter(|d| match (&d.value.verdict, version(d.value.version)) {
            (Verdict::Approved { points: p, .. }, _) if *p > paid(d) => false,
            (Verdict::Approved { quarters, .. }, Some(v)) => {
                matches!(v.value.check(), Ok(claimed) if (1..=claimed).contains(quarters))
            }
            // Approving a version this device has not seen: the number is
            // checked when the version arrives; until then the bound holds.
            (Verdict::Approved { quarters, .. }, None) => (1..=MAX_QUARTERS).contains(quarters),
            (Verdict::Declined { reason }, _) => {
                !reason.trim().is_empty() && reason.chars().count() <= MAX_TEXT
            }
        })
        .collect();
    decided.sort_by(|a, b| {
        (a.value.decided_at, &a.sig, &a.signer, &a.value).cmp(&(
            b.value.decided_at,
            &b.sig,
            &b.signer,
            &b.value,
        ))
    });
    if let Some(first) = decided.first() {
        let newest = valid.first().map_or(0, |v| v.value.version);
        return Some(Status::Decided {
            decision: first.value.clone(),
            by: first.signer,
            claim: version(first.value.version).map(|v| v.value.clone()),
            edited_after: newest > first.value.version,
            overruled: decided[1..]
                .iter()
                .map(|d| (d.signer, d.value.clone()))
                .collect(),
        });
    }
    let newest = valid.first()?;
    Some(if newest.value.withdrawn {
        Status::Withdrawn(newest.value.clone())
    } else {
        Status::Pending(newest.value.clone())
    })
}

/// Where a volunteer's claim stands, in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoursState {
    /// Waiting for a coordinator; the volunteer may still edit it.
    Pending,
    /// Taken back by the volunteer.
    Withdrawn,
    /// Approved: the points are earned.
    Approved,
    /// Declined, with a reason.
    Declined,
}

/// One claim as a list shows it (the volunteer's own, or one waiting for a
/// coordinator).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursLine {
    /// The claim.
    pub claim: HourClaimId,
    /// What for.
    pub work: Work,
    /// The activity's title, or the volunteer's own words for "other".
    pub title: String,
    /// The day.
    pub date: NaiveDate,
    /// How long, as logged.
    pub span: Span,
    /// Quarter hours it counts for (approved: those approved).
    pub quarters: u32,
    /// The volunteer's note.
    pub note: String,
    /// Where it stands.
    pub state: HoursState,
    /// Points earned (approved) or expected at today's rate (pending).
    pub points: u64,
    /// Why it was declined.
    pub reason: Option<String>,
    /// Who decided, by name (or device fingerprint), and when.
    pub decided_by: Option<String>,
    /// When it was decided.
    pub decided_at: Option<DateTime<Utc>>,
    /// Coordinators who answered too, after the decision that counts (by
    /// name or device fingerprint): their answers change nothing.
    pub overruled_by: Vec<String>,
    /// The volunteer changed it after the decision (the change counts for
    /// nothing).
    pub edited_after: bool,
}

/// → the claim's id: logs hours, or (with `claim`) edits a claim still
/// waiting for a coordinator. The device signs a new version; nothing is
/// overwritten.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogHours {
    /// The claim to edit; `None` for a new one.
    pub claim: Option<HourClaimId>,
    /// What for.
    pub work: Work,
    /// The day (not after today).
    pub date: NaiveDate,
    /// How long.
    pub span: Span,
    /// A note (may be empty).
    pub note: String,
}

/// → `()`: takes back a claim still waiting for a coordinator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WithdrawHours {
    /// The claim.
    pub claim: HourClaimId,
}

/// → `Vec<`[`HoursLine`]`>`: this device's member's claims, newest day first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListHours;

/// → `Vec<`[`HoursLine`]`>`: a member's claims, newest day first, with who
/// decided what and when (coordinators only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberHours {
    /// The member's device key fingerprint.
    pub device: String,
}

/// One volunteer's claim: a claim is its id and its volunteer, so a claim
/// another member signs under a copied id is never decided with this one.
/// Written `<claim id>@<volunteer's key in hex>` (the review queue's
/// subject).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct HoursRef {
    /// The claim's id.
    pub claim: HourClaimId,
    /// Whose it is.
    pub volunteer: MemberKey,
}

impl std::fmt::Display for HoursRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{}", self.claim, self.volunteer.to_hex())
    }
}

impl std::str::FromStr for HoursRef {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        let (claim, volunteer) = s.split_once('@').ok_or(())?;
        Ok(Self {
            claim: claim.parse().map_err(|_| ())?,
            volunteer: MemberKey::from_hex(volunteer).ok_or(())?,
        })
    }
}

/// → the number decided: approves (at the community's hourly rate) or, with
/// `decline`, declines claims waiting for a coordinator, one or a whole
/// activity's day at once (coordinators only). Claims no longer waiting, and
/// the coordinator's own (another coordinator decides those), are passed
/// over; asked for one's own alone, the answer is a refusal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecideHours {
    /// The claims.
    pub claims: Vec<HoursRef>,
    /// Why they are declined (1 to [`MAX_TEXT`] characters); `None` approves.
    pub decline: Option<String>,
}

crate::commands! {
    LogHours => "log_hours" -> HourClaimId;
    WithdrawHours => "withdraw_hours" -> ();
    ListHours => "list_hours" -> Vec<HoursLine>;
    MemberHours => "member_hours" -> Vec<HoursLine>;
    DecideHours => "decide_hours" -> u32;
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod ref_tests {
    use super::*;

    #[test]
    fn a_claims_reference_prints_and_parses_back() {
        let r = HoursRef {
            claim: HourClaimId::from_bytes([4; 16]),
            volunteer: MemberKey([9; 32]),
        };
        assert_eq!(r.to_string().parse::<HoursRef>(), Ok(r));
        assert!("nonsense".parse::<HoursRef>().is_err());
        assert!(format!("{}@zz", r.claim).parse::<HoursRef>().is_err());
    }
}
