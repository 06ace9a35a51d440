use chrono::{Duration, TimeZone};
use proptest::prelude::*;

use super::*;

const VOLUNTEER: MemberKey = MemberKey([3; 32]);
const COORDINATOR: MemberKey = MemberKey([1; 32]);
const OTHER_COORDINATOR: MemberKey = MemberKey([2; 32]);

fn claim_id() -> HourClaimId {
    HourClaimId::from_bytes([5; 16])
}

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn when(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 5, 8, 0, 0).unwrap() + Duration::hours(hours)
}

fn version(n: u32, minutes: u32, withdrawn: bool) -> Seen<HourClaim> {
    Seen {
        value: HourClaim {
            id: claim_id(),
            community: CommunityId::from_bytes([7; 16]),
            volunteer: VOLUNTEER,
            version: n,
            work: Work::Activity(ActivityId::from_bytes([8; 16])),
            date: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
            span: Span::Minutes(minutes),
            note: "Havedag".into(),
            withdrawn,
            signed_at: when(i64::from(n)),
        },
        signer: VOLUNTEER,
        sig: [n as u8; 64],
    }
}

fn decision(by: MemberKey, version: u32, verdict: Verdict, hour: i64) -> Seen<HourDecision> {
    Seen {
        value: HourDecision {
            community: CommunityId::from_bytes([7; 16]),
            claim: claim_id(),
            volunteer: VOLUNTEER,
            version,
            verdict,
            decided_at: when(hour),
        },
        signer: by,
        sig: [hour as u8; 64],
    }
}

fn coordinators(key: &MemberKey, _at: DateTime<Utc>) -> bool {
    *key == COORDINATOR || *key == OTHER_COORDINATOR
}

fn approve(quarters: u32) -> Verdict {
    Verdict::Approved {
        quarters,
        points: points(quarters, DEFAULT_PER_HOUR),
    }
}

#[test]
fn spans_round_to_the_nearest_quarter_hour() {
    assert_eq!(quarters(&Span::Minutes(7)), Err(HoursProblem::TooShort));
    assert_eq!(quarters(&Span::Minutes(8)), Ok(1));
    assert_eq!(quarters(&Span::Minutes(52)), Ok(3));
    assert_eq!(quarters(&Span::Minutes(53)), Ok(4));
    assert_eq!(
        quarters(&Span::Times {
            start: t(17, 0),
            end: t(19, 30)
        }),
        Ok(10)
    );
    assert_eq!(
        quarters(&Span::Times {
            start: t(19, 0),
            end: t(17, 0)
        }),
        Err(HoursProblem::EndBeforeStart)
    );
    assert_eq!(quarters(&Span::Minutes(24 * 60)), Ok(MAX_QUARTERS));
    assert_eq!(
        quarters(&Span::Minutes(24 * 60 + 1)),
        Err(HoursProblem::TooLong)
    );
}

#[test]
fn points_follow_the_hourly_rate() {
    assert_eq!(points(4, 10), 10);
    assert_eq!(points(6, 10), 15);
    assert_eq!(points(1, 10), 2, "a quarter of 10 is 2.5, rounded down");
}

#[test]
fn other_work_needs_words() {
    let mut v = version(1, 60, false).value;
    v.work = Work::Other("  ".into());
    assert_eq!(v.check(), Err(HoursProblem::Text));
    v.work = Work::Other("Malede fælleshuset".into());
    assert_eq!(v.check(), Ok(4));
    v.note = "x".repeat(MAX_TEXT + 1);
    assert_eq!(v.check(), Err(HoursProblem::Text));
}

#[test]
fn the_newest_version_waits_until_a_coordinator_decides() {
    let versions = [version(1, 60, false), version(2, 90, false)];
    let status = resolve(claim_id(), &versions, &[], coordinators);
    assert_eq!(status, Some(Status::Pending(versions[1].value.clone())));
}

#[test]
fn a_claim_withdrawn_before_a_decision_is_withdrawn() {
    let versions = [version(1, 60, false), version(2, 60, true)];
    let status = resolve(claim_id(), &versions, &[], coordinators);
    assert_eq!(status, Some(Status::Withdrawn(versions[1].value.clone())));
}

#[test]
fn a_decided_claim_is_locked_and_a_later_edit_is_shown_not_used() {
    let versions = [version(1, 60, false), version(2, 600, false)];
    let decisions = [decision(COORDINATOR, 1, approve(4), 5)];
    let Some(Status::Decided {
        decision,
        claim,
        edited_after,
        by,
        ..
    }) = resolve(claim_id(), &versions, &decisions, coordinators)
    else {
        panic!("decided");
    };
    assert_eq!(decision.verdict, approve(4));
    assert_eq!(claim, Some(versions[0].value.clone()));
    assert!(
        edited_after,
        "the ten-hour edit after the decision is flagged"
    );
    assert_eq!(by, COORDINATOR);
    // A withdrawal after the decision changes nothing either.
    let withdrawn = [version(1, 60, false), version(2, 60, true)];
    assert!(matches!(
        resolve(claim_id(), &withdrawn, &decisions, coordinators),
        Some(Status::Decided {
            edited_after: true,
            ..
        })
    ));
}

#[test]
fn only_a_coordinator_decides_and_never_for_more_than_was_claimed() {
    let versions = [version(1, 60, false)];
    let by_volunteer = [decision(VOLUNTEER, 1, approve(4), 5)];
    assert!(matches!(
        resolve(claim_id(), &versions, &by_volunteer, coordinators),
        Some(Status::Pending(_))
    ));
    let too_many = [decision(COORDINATOR, 1, approve(5), 5)];
    assert!(matches!(
        resolve(claim_id(), &versions, &too_many, coordinators),
        Some(Status::Pending(_))
    ));
    let no_reason = [decision(
        COORDINATOR,
        1,
        Verdict::Declined { reason: " ".into() },
        5,
    )];
    assert!(matches!(
        resolve(claim_id(), &versions, &no_reason, coordinators),
        Some(Status::Pending(_))
    ));
}

#[test]
fn a_version_signed_by_someone_else_counts_for_nothing() {
    let mut forged = version(2, 900, false);
    forged.signer = COORDINATOR;
    let versions = [version(1, 60, false), forged];
    let status = resolve(claim_id(), &versions, &[], coordinators);
    assert_eq!(status, Some(Status::Pending(versions[0].value.clone())));
}

#[test]
fn when_two_coordinators_decide_the_first_counts_and_the_other_is_shown() {
    let versions = [version(1, 60, false)];
    let decisions = [
        decision(
            OTHER_COORDINATOR,
            1,
            Verdict::Declined {
                reason: "Ikke aftalt".into(),
            },
            6,
        ),
        decision(COORDINATOR, 1, approve(4), 5),
    ];
    let Some(Status::Decided {
        decision,
        overruled,
        ..
    }) = resolve(claim_id(), &versions, &decisions, coordinators)
    else {
        panic!("decided");
    };
    assert_eq!(decision.verdict, approve(4));
    assert_eq!(overruled.len(), 1);
    assert_eq!(overruled[0].0, OTHER_COORDINATOR);
}

proptest! {
    #[test]
    fn rounding_is_never_off_by_more_than_half_a_quarter(minutes in 8..=1440u32) {
        let q = quarters(&Span::Minutes(minutes)).unwrap();
        prop_assert!((i64::from(q) * 15 - i64::from(minutes)).abs() <= 7);
    }

    #[test]
    fn every_device_reaches_the_same_status_whatever_order_records_arrive_in(
        sizes in proptest::collection::vec((1..300u32, any::<bool>(), 1..4u32), 1..6),
        verdicts in proptest::collection::vec((0..3u8, 1..6u32, 0..12i64, any::<bool>()), 0..4),
        seed in any::<u64>(),
    ) {
        let versions: Vec<Seen<HourClaim>> = sizes
            .iter()
            .enumerate()
            .map(|(i, &(minutes, withdrawn, n))| {
                let mut v = version(n, minutes, withdrawn);
                v.sig[1] = i as u8;
                v
            })
            .collect();
        let decisions: Vec<Seen<HourDecision>> = verdicts
            .iter()
            .map(|&(who, q, hour, approved)| {
                let by = [COORDINATOR, OTHER_COORDINATOR, VOLUNTEER][who as usize];
                let verdict = if approved { approve(q) } else { Verdict::Declined { reason: "Nej".into() } };
                decision(by, 1 + q % 3, verdict, hour)
            })
            .collect();
        let expected = resolve(claim_id(), &versions, &decisions, coordinators);
        let (mut v2, mut d2) = (versions.clone(), decisions.clone());
        let mut state = seed | 1;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for i in (1..v2.len()).rev() {
            let j = next(i + 1);
            v2.swap(i, j);
        }
        for i in (1..d2.len()).rev() {
            let j = next(i + 1);
            d2.swap(i, j);
        }
        let got = resolve(claim_id(), &v2, &d2, coordinators);
        // Overruled decisions are listed in signing order on both.
        prop_assert_eq!(got, expected);
    }
}
