//! Years of a neighbourhood, made up for the five-year benchmark
//! (`benches/five_years.rs`). Every record is the one a real device signs —
//! check-ins by residents' keys with the coordinator's codes, rewards and
//! hour decisions by the coordinator, payments by the payers and closures
//! by the partners who took them — written through the one write path
//! ([`Engine::commit`]), so the store is projected, verified and indexed as
//! a real hub's is. Only the devices are missing: the residents' keys live
//! here, and nothing is synced.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveTime, Utc};
use nabo_shared::activities::{Activity, CheckIn, CheckinCode, Repeat, Schedule, Weekdays};
use nabo_shared::community::CreateCommunity;
use nabo_shared::crypto::{MemberKey, SigningKey};
use nabo_shared::ids::{ActivityId, CheckinId, EntryId, HourClaimId};
use nabo_shared::members::{Membership, Role};
use nabo_shared::rewards::hours::{HourClaim, HourDecision, Span, Verdict, Work};
use nabo_shared::rewards::ledger::{Account, Movement, Reason};
use nabo_shared::rewards::payments::PaymentClosed;
use nabo_shared::rewards::{EntryReason, LedgerEntry};
use nabo_shared::signed::Signed;

use super::accounts::Figure;
use super::activities::{ACTIVITY, CHECK_IN};
use super::closures::CLOSURE;
use super::commit::Staged;
use super::docs::DocId;
use super::error::Result;
use super::hours::{HOUR_CLAIM, HOUR_DECISION};
use super::members::MEMBERSHIP;
use super::payments::PAYMENT;
use super::rewards::LEDGER_ENTRY;
use super::{Engine, ManualClock};

/// What to make up.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Residents (each comes to two activities a week, four weeks in five).
    pub residents: usize,
    /// Partners the residents pay.
    pub partners: usize,
    /// Weekly activities.
    pub activities: usize,
    /// Months of history, ending where the clock stands.
    pub months: u32,
}

impl Plan {
    /// The issue's five-year community: 2,000 residents, 60 activities,
    /// about a million ledger entries and 50,000 hour claims.
    pub fn five_years() -> Self {
        Self {
            residents: 2000,
            partners: 20,
            activities: 60,
            months: 60,
        }
    }
}

/// What was made.
#[derive(Debug, Clone, Default)]
pub struct Made {
    /// Check-ins, each rewarded.
    pub checkins: u64,
    /// Hour claims, each approved.
    pub hour_claims: u64,
    /// Payments to partners, each taken (closed by its partner).
    pub payments: u64,
    /// Ledger entries: rewards, hour decisions and payments.
    pub ledger_entries: u64,
    /// Signed records written, copies included.
    pub records: u64,
}

/// A resident's key, from their number (so a run can find them again).
pub fn resident_key(n: usize) -> SigningKey {
    key_of(1, n)
}

fn key_of(kind: u8, n: usize) -> SigningKey {
    let mut seed = [0u8; 32];
    seed[0] = kind;
    seed[1..9].copy_from_slice(&(n as u64).to_be_bytes());
    seed[31] = 0x5a;
    SigningKey::from_bytes(&seed)
}

/// One month's documents being written, found by id (a month touches
/// thousands, too many for [`Engine::stage_into`]'s search).
#[derive(Default)]
struct Batch {
    staged: Vec<Staged>,
    index: HashMap<DocId, usize>,
}

impl Batch {
    fn doc(&mut self, engine: &mut Engine, id: DocId) -> Result<&mut Staged> {
        let i = match self.index.get(&id) {
            Some(&i) => i,
            None => {
                self.staged.push(engine.stage(id)?);
                self.index.insert(id, self.staged.len() - 1);
                self.staged.len() - 1
            }
        };
        Ok(&mut self.staged[i])
    }
}

/// Ids that differ, from one counter.
struct Ids(u128);

impl Ids {
    fn next(&mut self) -> [u8; 16] {
        self.0 += 1;
        self.0.to_be_bytes()
    }
}

impl Engine {
    /// What `member` can spend now, as the counter and the balance
    /// statements judge it (for the benchmark: the app asks through
    /// payments and statements).
    #[doc(hidden)]
    pub fn spendable(&self, member: &MemberKey) -> Result<i64> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        self.balance_kept(&ctx, &who, member, Figure::Spendable)
    }

    /// Founds a community on this device (its coordinator) at the start of
    /// `plan.months` before `end`, and fills it month by month up to `end`.
    /// `clock` is this engine's clock; it is left at `end`. `progress` hears
    /// each month as it is stored.
    #[doc(hidden)]
    pub fn make_up_years(
        &mut self,
        plan: &Plan,
        clock: &ManualClock,
        end: DateTime<Utc>,
        mut progress: impl FnMut(u32, &Made),
    ) -> Result<Made> {
        let start = end - Duration::days(i64::from(plan.months) * 365 / 12);
        clock.set(start);
        let community = self.found(
            CreateCommunity {
                community_name: "Fem år".into(),
                my_name: "Koordinator".into(),
            },
            "Europe/Copenhagen",
        )?;
        let ctx = self.ctx()?;
        let tz = ctx.tz;
        let mut made = Made::default();
        let mut ids = Ids(0);
        clock.set(start + Duration::minutes(1));
        let now = start + Duration::minutes(1);

        let mut doc = self.stage(DocId::community(community))?;
        let first_day = start.with_timezone(&tz).date_naive() + Duration::days(1);
        let activities: Vec<Activity> = (0..plan.activities)
            .map(|i| {
                let day = first_day + Duration::days(i as i64 % 7);
                Activity {
                    id: ActivityId::from_bytes(ids.next()),
                    community,
                    title: format!("Aktivitet {i}"),
                    description: String::new(),
                    place: "Beboerhuset".into(),
                    schedule: Schedule {
                        date: day,
                        start: NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default(),
                        end: NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default(),
                        repeat: Repeat::Weekly,
                        days: Weekdays::default(),
                    },
                    reward: 10,
                    daily_cap: None,
                    archived: false,
                    updated_at: now,
                }
            })
            .collect();
        for a in &activities {
            doc.put(ACTIVITY.key(a.id), &Signed::seal(&self.key, a))?;
        }
        let people = (0..plan.residents)
            .map(|n| (resident_key(n), Role::Resident, format!("Beboer {n}")))
            .chain(
                (0..plan.partners).map(|n| (key_of(2, n), Role::Partner, format!("Partner {n}"))),
            );
        for (key, role, name) in people {
            let membership = Membership {
                community,
                member: MemberKey::of(&key),
                name,
                role,
                issued_at: now,
            };
            doc.put(
                MEMBERSHIP.key(membership.member.to_hex()),
                &Signed::seal(&self.key, &membership),
            )?;
        }
        made.records += (plan.activities + plan.residents + plan.partners) as u64;
        self.commit(vec![doc], &[])?;

        let residents: Vec<SigningKey> = (0..plan.residents).map(resident_key).collect();
        let partners: Vec<SigningKey> = (0..plan.partners).map(|n| key_of(2, n)).collect();
        let weeks_per_month = 52.0 / 12.0;
        for month in 0..plan.months {
            let mut batch = Batch::default();
            let month_start = start + Duration::days(i64::from(month) * 365 / 12 + 1);
            let first_week = (f64::from(month) * weeks_per_month) as i64;
            let last_week = (f64::from(month + 1) * weeks_per_month) as i64;
            for (n, key) in residents.iter().enumerate() {
                let member = MemberKey::of(key);
                // Two activities a week, four weeks in five.
                for week in first_week..last_week {
                    for a in [n % plan.activities, (n * 7 + 3) % plan.activities] {
                        if (n * 31 + week as usize * 17 + a * 7).is_multiple_of(5) {
                            continue;
                        }
                        let activity = &activities[a];
                        let day = activity.schedule.date + Duration::weeks(week);
                        let local = day.and_time(activity.schedule.start)
                            + Duration::minutes((n % 300) as i64);
                        let Some(at) = local.and_local_timezone(tz).earliest() else {
                            continue;
                        };
                        let at = at.with_timezone(&Utc);
                        if at >= end {
                            continue;
                        }
                        let checkin = CheckIn {
                            id: CheckinId::from_bytes(ids.next()),
                            community,
                            activity: activity.id,
                            member,
                            at,
                            code: CheckinCode::issue(
                                &self.key,
                                community,
                                activity.id,
                                at - Duration::seconds(5),
                            ),
                        };
                        batch
                            .doc(self, DocId::checkins(community, &member, at))?
                            .put(CHECK_IN.key(checkin.id), &Signed::seal(key, &checkin))?;
                        let entry = LedgerEntry {
                            id: EntryId::reward_for(checkin.id),
                            community,
                            to: member,
                            amount: activity.reward,
                            reason: EntryReason::CheckIn {
                                checkin: checkin.id,
                                activity: activity.id,
                            },
                            issued_at: at + Duration::hours(3),
                        };
                        batch
                            .doc(self, DocId::ledger(community, &member, at))?
                            .put(LEDGER_ENTRY.key(entry.id), &Signed::seal(&self.key, &entry))?;
                        made.checkins += 1;
                        made.ledger_entries += 1;
                        made.records += 2;
                    }
                }
                // Volunteer hours five months in twelve, approved a week on.
                if (n + month as usize) % 12 < 5 {
                    let activity = &activities[n % plan.activities];
                    let at = month_start + Duration::days(3) + Duration::minutes(n as i64);
                    let claim = HourClaim {
                        id: HourClaimId::from_bytes(ids.next()),
                        community,
                        volunteer: member,
                        version: 1,
                        work: Work::Activity(activity.id),
                        date: at.with_timezone(&tz).date_naive(),
                        span: Span::Minutes(120),
                        note: String::new(),
                        withdrawn: false,
                        signed_at: at,
                    };
                    let decided_at = at + Duration::days(7);
                    let decision = HourDecision {
                        community,
                        claim: claim.id,
                        volunteer: member,
                        version: 1,
                        verdict: Verdict::Approved {
                            quarters: 8,
                            points: 20,
                        },
                        decided_at,
                    };
                    if decided_at < end {
                        batch
                            .doc(self, DocId::checkins(community, &member, at))?
                            .put(HOUR_CLAIM.key(claim.id), &Signed::seal(key, &claim))?;
                        batch
                            .doc(self, DocId::ledger(community, &member, decided_at))?
                            .put(
                                HOUR_DECISION.key(claim.id),
                                &Signed::seal(&self.key, &decision),
                            )?;
                        made.hour_claims += 1;
                        made.ledger_entries += 1;
                        made.records += 2;
                    }
                }
                // A payment to a partner five months in six, late in the month.
                if plan.partners > 0 && !(n + month as usize).is_multiple_of(6) {
                    let p = (n + month as usize) % plan.partners;
                    let partner = MemberKey::of(&partners[p]);
                    let at = month_start + Duration::days(20) + Duration::seconds(n as i64);
                    if at >= end {
                        continue;
                    }
                    let reference = ids.next();
                    let payment = Movement {
                        id: EntryId::from_bytes(ids.next()),
                        community,
                        from: Account::Member(member),
                        to: Account::Member(partner),
                        amount: 25,
                        reason: Reason::Payment {
                            reference,
                            what: "Kaffe og kage".into(),
                        },
                        at,
                    };
                    let paid = Signed::seal(key, &payment);
                    let closure = PaymentClosed {
                        community,
                        payee: Account::Member(partner),
                        reference,
                        paid: Some(payment.id),
                        at: at + Duration::seconds(30),
                    };
                    let closed = Signed::seal(&partners[p], &closure);
                    // The payer's copy, with the closure the hub relayed;
                    // the partner's, with its own closure.
                    for holder in [member, partner] {
                        let doc = batch.doc(self, DocId::ledger(community, &holder, at))?;
                        doc.put(PAYMENT.key(payment.id), &paid)?;
                        doc.put(CLOSURE.key(hex::encode(reference)), &closed)?;
                    }
                    made.payments += 1;
                    made.ledger_entries += 1;
                    made.records += 4;
                }
            }
            let month_end = (month_start + Duration::days(31)).min(end);
            clock.set(month_end);
            self.commit(batch.staged, &[])?;
            progress(month + 1, &made);
        }
        clock.set(end);
        Ok(made)
    }
}

impl Engine {
    /// Founds a community on this device (its coordinator) with `voters`
    /// residents and a budget round whose `proposals` (each a resident's)
    /// are all on the ballot, voting open, and every resident's signed
    /// ballot (2 to 8 proposals each, drawn from a fixed seed) in their
    /// ledger document: what the coordinator's device holds at the close
    /// of voting. Returns the round.
    #[doc(hidden)]
    pub fn make_up_round(
        &mut self,
        voters: usize,
        proposals: usize,
    ) -> Result<nabo_shared::ids::RoundId> {
        use nabo_shared::budget::round::{
            Ballot, BallotRule, OutcomeRule, Phase, Phases, Proposal, RoundInput,
        };
        use nabo_shared::ids::ProposalId;

        use super::budget::{BALLOT, PROPOSAL};

        let community = self.found(
            CreateCommunity {
                community_name: "Borgerbudget".into(),
                my_name: "Koordinator".into(),
            },
            "Europe/Copenhagen",
        )?;
        let ctx = self.ctx()?;
        let now = self.now();
        let today = nabo_shared::time::local_day(now, ctx.tz);
        let residents: Vec<SigningKey> = (0..voters).map(resident_key).collect();
        let mut doc = self.stage(DocId::community(community))?;
        for (n, key) in residents.iter().enumerate() {
            let membership = Membership {
                community,
                member: MemberKey::of(key),
                name: format!("Beboer {n}"),
                role: Role::Resident,
                issued_at: now,
            };
            doc.put(
                MEMBERSHIP.key(membership.member.to_hex()),
                &Signed::seal(&self.key, &membership),
            )?;
        }
        self.commit(vec![doc], &[])?;
        let mut input = RoundInput {
            id: None,
            title: "Borgerbudget 2027".into(),
            amount: 2_000_000,
            area: "Hele området".into(),
            phases: Phases {
                ideas: today,
                review: today + chrono::Days::new(1),
                voting: today + chrono::Days::new(2),
                result: today + chrono::Days::new(3),
            },
            ballot: BallotRule {
                min: 1,
                max: None,
                cost_limit: None,
            },
            rule: OutcomeRule::EqualShares,
        };
        let round = self.save_round(input.clone())?.id;
        let mut ids = Ids(0);
        let mut doc = self.stage(DocId::community(community))?;
        let mut on = Vec::new();
        for p in 0..proposals {
            let key = &residents[p % voters.max(1)];
            let proposal = Proposal {
                id: ProposalId::from_bytes(ids.next()),
                community,
                round,
                proposer: MemberKey::of(key),
                title: format!("Forslag {p}"),
                description: "Hvad og hvorfor".into(),
                cost: 20_000 + (p as u64 * 37_123) % 400_000,
                category: String::new(),
                recipient: "Beboerforeningen".into(),
                withdrawn: false,
                updated_at: now,
            };
            doc.put(PROPOSAL.key(proposal.id), &Signed::seal(key, &proposal))?;
            on.push(proposal.id);
        }
        self.commit(vec![doc], &[])?;
        for id in &on {
            self.review_proposal(*id, true, "", None)?;
        }
        input.id = Some(round);
        input.phases = input.phases.starting(Phase::Voting, today);
        self.save_round(input)?;
        let mut batch = Batch::default();
        let mut draw = 0x2545_f491_4f6c_dd1d_u64;
        for key in &residents {
            let mut next = || {
                draw ^= draw << 13;
                draw ^= draw >> 7;
                draw ^= draw << 17;
                draw
            };
            let count = 2 + (next() % 7) as usize;
            let mut approves: Vec<ProposalId> = (0..count)
                .map(|_| on[(next() % on.len() as u64) as usize])
                .collect();
            approves.sort();
            approves.dedup();
            let voter = MemberKey::of(key);
            let ballot = Ballot {
                round,
                community,
                voter,
                approves,
                seq: 1,
                signed_at: now,
            };
            batch
                .doc(self, DocId::ledger(community, &voter, now))?
                .put(BALLOT.key(round), &Signed::seal(key, &ballot))?;
        }
        self.commit(batch.staged, &[])?;
        Ok(round)
    }
}
