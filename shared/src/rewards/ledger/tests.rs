use std::collections::BTreeSet;

use chrono::{Duration, TimeZone};
use proptest::prelude::*;

use super::*;

const COORDINATOR: MemberKey = MemberKey([1; 32]);
const PARTNER: MemberKey = MemberKey([2; 32]);
const OUTSIDER: MemberKey = MemberKey([9; 32]);

fn resident(n: u8) -> MemberKey {
    MemberKey([10 + n; 32])
}

fn community() -> CommunityId {
    CommunityId::from_bytes([7; 16])
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap()
}

/// The coordinator, the partner and four residents; resident 3's access
/// was removed on day 10.
struct Neighbourhood;

impl Standing for Neighbourhood {
    fn is_coordinator(&self, key: &MemberKey, _at: DateTime<Utc>) -> bool {
        *key == COORDINATOR
    }
    fn is_partner(&self, key: &MemberKey) -> bool {
        *key == PARTNER
    }
    fn is_member(&self, key: &MemberKey, at: DateTime<Utc>) -> bool {
        if *key == resident(3) {
            return at < start() + Duration::days(10);
        }
        *key == COORDINATOR || *key == PARTNER || (0..4).any(|n| *key == resident(n))
    }
}

fn movement(id: u8, from: Account, to: Account, amount: u64, reason: Reason) -> Movement {
    Movement {
        id: EntryId::from_bytes([id; 16]),
        community: community(),
        from,
        to,
        amount,
        reason,
        at: start(),
    }
}

fn reward() -> Reason {
    Reason::CheckInReward {
        checkin: CheckinId::from_bytes([1; 16]),
        activity: ActivityId::from_bytes([2; 16]),
    }
}

fn payment() -> Reason {
    Reason::Payment {
        reference: [3; 16],
        what: "Kaffe".into(),
    }
}

fn member(key: MemberKey) -> Account {
    Account::Member(key)
}

#[test]
fn only_coordinators_issue() {
    let m = movement(1, Account::Community, member(resident(0)), 10, reward());
    assert_eq!(authorize(&m, &COORDINATOR, &Neighbourhood), Ok(()));
    assert_eq!(
        authorize(&m, &resident(0), &Neighbourhood),
        Err(Refusal::Signer)
    );
    assert_eq!(
        authorize(&m, &PARTNER, &Neighbourhood),
        Err(Refusal::Signer)
    );
}

#[test]
fn a_reward_goes_from_the_community_to_a_member_only() {
    let backwards = movement(1, member(resident(0)), Account::Community, 10, reward());
    assert_eq!(
        authorize(&backwards, &COORDINATOR, &Neighbourhood),
        Err(Refusal::Accounts)
    );
    let to_outsider = movement(1, Account::Community, member(OUTSIDER), 10, reward());
    assert_eq!(
        authorize(&to_outsider, &COORDINATOR, &Neighbourhood),
        Err(Refusal::NotAMember)
    );
}

#[test]
fn a_payment_is_signed_by_the_payer_and_reaches_a_partner() {
    let pay = movement(1, member(resident(0)), member(PARTNER), 20, payment());
    assert_eq!(authorize(&pay, &resident(0), &Neighbourhood), Ok(()));
    // Signed by someone else, even a coordinator.
    assert_eq!(
        authorize(&pay, &resident(1), &Neighbourhood),
        Err(Refusal::Signer)
    );
    assert_eq!(
        authorize(&pay, &COORDINATOR, &Neighbourhood),
        Err(Refusal::Signer)
    );
    // To a member who is not a partner.
    let to_friend = movement(1, member(resident(0)), member(resident(1)), 20, payment());
    assert_eq!(
        authorize(&to_friend, &resident(0), &Neighbourhood),
        Err(Refusal::NotAPartner)
    );
    // From the community account: nobody signs for it but coordinators,
    // and they issue, they do not pay.
    let from_community = movement(1, Account::Community, member(PARTNER), 20, payment());
    assert_eq!(
        authorize(&from_community, &COORDINATOR, &Neighbourhood),
        Err(Refusal::Accounts)
    );
}

#[test]
fn a_removed_member_pays_nothing_after_the_removal_and_keeps_what_came_before() {
    let mut pay = movement(1, member(resident(3)), member(PARTNER), 5, payment());
    pay.at = start() + Duration::days(9);
    assert_eq!(authorize(&pay, &resident(3), &Neighbourhood), Ok(()));
    pay.at = start() + Duration::days(11);
    assert_eq!(
        authorize(&pay, &resident(3), &Neighbourhood),
        Err(Refusal::NotAMember)
    );
}

#[test]
fn only_a_partner_returns_currency_and_only_its_own() {
    let give_back = Reason::Return {
        note: "Månedens kaffe".into(),
    };
    let ret = movement(
        1,
        member(PARTNER),
        Account::Community,
        50,
        give_back.clone(),
    );
    assert_eq!(authorize(&ret, &PARTNER, &Neighbourhood), Ok(()));
    assert_eq!(
        authorize(&ret, &COORDINATOR, &Neighbourhood),
        Err(Refusal::Signer)
    );
    let not_partner = movement(1, member(resident(0)), Account::Community, 5, give_back);
    assert_eq!(
        authorize(&not_partner, &resident(0), &Neighbourhood),
        Err(Refusal::NotAPartner)
    );
}

#[test]
fn a_correction_says_why() {
    let silent = Reason::Correction {
        note: "  ".into(),
        corrects: None,
    };
    let m = movement(1, member(resident(0)), Account::Community, 5, silent);
    assert_eq!(
        authorize(&m, &COORDINATOR, &Neighbourhood),
        Err(Refusal::NoNote)
    );
    let why = Reason::Correction {
        note: "Dobbelt udbetalt".into(),
        corrects: Some(EntryId::from_bytes([4; 16])),
    };
    let m = movement(1, member(resident(0)), Account::Community, 5, why);
    assert_eq!(authorize(&m, &COORDINATOR, &Neighbourhood), Ok(()));
    assert_eq!(
        authorize(&m, &resident(0), &Neighbourhood),
        Err(Refusal::Signer)
    );
}

#[test]
fn nothing_moves_zero_too_much_or_to_itself() {
    let zero = movement(1, Account::Community, member(resident(0)), 0, reward());
    assert_eq!(
        authorize(&zero, &COORDINATOR, &Neighbourhood),
        Err(Refusal::Amount)
    );
    let huge = movement(
        1,
        Account::Community,
        member(resident(0)),
        MAX_AMOUNT + 1,
        reward(),
    );
    assert_eq!(
        authorize(&huge, &COORDINATOR, &Neighbourhood),
        Err(Refusal::Amount)
    );
    let itself = movement(1, member(PARTNER), member(PARTNER), 5, payment());
    assert_eq!(
        authorize(&itself, &PARTNER, &Neighbourhood),
        Err(Refusal::SameAccount)
    );
}

#[test]
fn expiry_takes_only_points_older_than_the_period_and_the_oldest_are_spent_first() {
    let mut ledger = Ledger::default();
    let who = resident(0);
    let add = |ledger: &mut Ledger, id: u8, from, to, amount, reason, days| {
        let mut m = movement(id, from, to, amount, reason);
        m.at = start() + Duration::days(days);
        ledger.insert(Posted {
            movement: m,
            signer: COORDINATOR,
            sig: [id; 64],
        });
    };
    add(
        &mut ledger,
        1,
        Account::Community,
        member(who),
        30,
        reward(),
        0,
    ); // January
    add(
        &mut ledger,
        2,
        Account::Community,
        member(who),
        20,
        reward(),
        100,
    ); // April
    add(
        &mut ledger,
        3,
        member(who),
        member(PARTNER),
        25,
        payment(),
        120,
    ); // January's first
    let july = start() + Duration::days(190);
    // Six months after January: 5 of January's 30 are left and expire.
    assert_eq!(ledger.expired(&who, 6, july), 5);
    // April's points are younger than six months.
    assert_eq!(ledger.expired(&who, 12, july), 0);
    add(
        &mut ledger,
        4,
        member(who),
        Account::Community,
        5,
        Reason::Expiry {
            month: crate::rewards::expiry::Month {
                year: 2026,
                month: 1,
            },
        },
        190,
    );
    assert_eq!(
        ledger.expired(&who, 6, july),
        0,
        "expiry expires each point once"
    );
    assert_eq!(ledger.balance(&member(who)), 20);
}

#[test]
fn the_same_id_twice_keeps_one_movement_on_every_device() {
    let a = Posted {
        movement: movement(1, Account::Community, member(resident(0)), 10, reward()),
        signer: COORDINATOR,
        sig: [5; 64],
    };
    let mut b = a.clone();
    b.movement.amount = 1000;
    b.sig = [6; 64];
    let mut one = Ledger::default();
    assert_eq!(one.insert(a.clone()), Inserted::New);
    assert_eq!(one.insert(a.clone()), Inserted::Again);
    assert_eq!(one.insert(b.clone()), Inserted::Conflict);
    let mut other = Ledger::default();
    other.insert(b);
    other.insert(a);
    assert_eq!(one, other);
    assert_eq!(one.balance(&member(resident(0))), 10);
}

/// One step of a random history.
#[derive(Debug, Clone)]
enum Op {
    Reward { to: u8, amount: u64 },
    Pay { from: u8, amount: u64 },
    Return { amount: u64 },
    Correct { member: u8, amount: u64, give: bool },
    Expire { member: u8, amount: u64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3u8, 1..60u64).prop_map(|(to, amount)| Op::Reward { to, amount }),
        (0..3u8, 1..60u64).prop_map(|(from, amount)| Op::Pay { from, amount }),
        (1..40u64).prop_map(|amount| Op::Return { amount }),
        (0..3u8, 1..30u64, any::<bool>()).prop_map(|(member, amount, give)| Op::Correct {
            member,
            amount,
            give
        }),
        (0..3u8, 1..20u64).prop_map(|(member, amount)| Op::Expire { member, amount }),
    ]
}

/// Movements for `ops`, each at its own hour (`hours` shuffles the claimed
/// times against the ids) and signed by whoever may sign it.
fn history(ops: &[Op], hours: &[i64], sigs: &[u8]) -> Vec<Posted> {
    ops.iter()
        .enumerate()
        .map(|(i, op)| {
            let community = Account::Community;
            let (from, to, amount, reason, signer) = match *op {
                Op::Reward { to, amount } => (
                    community,
                    member(resident(to)),
                    amount,
                    reward(),
                    COORDINATOR,
                ),
                Op::Pay { from, amount } => (
                    member(resident(from)),
                    member(PARTNER),
                    amount,
                    payment(),
                    resident(from),
                ),
                Op::Return { amount } => (
                    member(PARTNER),
                    community,
                    amount,
                    Reason::Return {
                        note: "Refusion".into(),
                    },
                    PARTNER,
                ),
                Op::Correct {
                    member: m,
                    amount,
                    give,
                } => {
                    let reason = Reason::Correction {
                        note: "Rettelse".into(),
                        corrects: None,
                    };
                    if give {
                        (community, member(resident(m)), amount, reason, COORDINATOR)
                    } else {
                        (member(resident(m)), community, amount, reason, COORDINATOR)
                    }
                }
                Op::Expire { member: m, amount } => (
                    member(resident(m)),
                    community,
                    amount,
                    Reason::Expiry {
                        month: crate::rewards::expiry::Month {
                            year: 2026,
                            month: 1,
                        },
                    },
                    COORDINATOR,
                ),
            };
            let mut id = [0; 16];
            id[..8].copy_from_slice(&(i as u64).to_be_bytes());
            let m = Movement {
                id: EntryId::from_bytes(id),
                community: community_id(),
                from,
                to,
                amount,
                reason,
                at: start() + Duration::hours(hours[i % hours.len()]),
            };
            let mut sig = [0; 64];
            sig[0] = sigs[i % sigs.len()];
            sig[1..9].copy_from_slice(&(i as u64).to_be_bytes());
            Posted {
                movement: m,
                signer,
                sig,
            }
        })
        .collect()
}

fn community_id() -> CommunityId {
    community()
}

fn ledger_of<'a>(movements: impl IntoIterator<Item = &'a Posted>) -> Ledger {
    let mut ledger = Ledger::default();
    for p in movements {
        ledger.insert(p.clone());
    }
    ledger
}

proptest! {
    #[test]
    fn every_generated_movement_is_one_its_signer_may_sign(
        ops in proptest::collection::vec(op(), 1..40),
        hours in proptest::collection::vec(0..2000i64, 1..40),
    ) {
        for p in history(&ops, &hours, &[0]) {
            // Resident 3 is not generated: every signer keeps its standing.
            prop_assert_eq!(authorize(&p.movement, &p.signer, &Neighbourhood), Ok(()));
        }
    }

    #[test]
    fn the_accounts_always_sum_to_zero_and_the_community_owes_what_circulates(
        ops in proptest::collection::vec(op(), 0..80),
        hours in proptest::collection::vec(0..2000i64, 1..80),
    ) {
        let movements = history(&ops, &hours, &[0]);
        let ledger = ledger_of(&movements);
        let balances = ledger.balances();
        prop_assert_eq!(balances.values().sum::<i64>(), 0);
        let circulating: i64 = balances
            .iter()
            .filter(|(a, _)| **a != Account::Community)
            .map(|(_, b)| b)
            .sum();
        prop_assert_eq!(ledger.balance(&Account::Community), -circulating);
        // Each balance is what reached the account minus what left it,
        // counted here independently of the ledger.
        for account in balances.keys() {
            let received: u64 = movements.iter().filter(|p| p.movement.to == *account).map(|p| p.movement.amount).sum();
            let sent: u64 = movements.iter().filter(|p| p.movement.from == *account).map(|p| p.movement.amount).sum();
            prop_assert_eq!(ledger.balance(account), received as i64 - sent as i64);
            prop_assert_eq!(balances[account], ledger.balance(account));
        }
    }

    #[test]
    fn replicas_that_merge_the_same_movements_in_any_order_reach_the_same_verdicts(
        ops in proptest::collection::vec(op(), 1..60),
        hours in proptest::collection::vec(0..500i64, 1..60),
        sigs in proptest::collection::vec(any::<u8>(), 1..8),
        clashes in proptest::collection::vec((any::<prop::sample::Index>(), 1..90u64, any::<u8>()), 0..6),
        orders in proptest::collection::vec(Just(()).prop_perturb(|_, mut rng| rng.next_u64()), 3..6),
        limit in 0..40u64,
    ) {
        let mut movements = history(&ops, &hours, &sigs);
        // A modified device reuses ids for movements of its own making.
        for (which, amount, sig) in clashes {
            let mut twin = which.get(&movements).clone();
            twin.movement.amount = amount;
            twin.sig[0] = sig;
            twin.sig[63] = 1;
            movements.push(twin);
        }
        let mut replicas = Vec::new();
        for seed in orders {
            // Each replica hears the movements in its own order, some twice.
            let mut order: Vec<&Posted> = movements.iter().chain(movements.iter().step_by(3)).collect();
            let mut state = seed | 1;
            for i in (1..order.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                order.swap(i, (state % (i as u64 + 1)) as usize);
            }
            replicas.push(ledger_of(order));
        }
        let first = &replicas[0];
        for other in &replicas[1..] {
            prop_assert_eq!(first, other);
            prop_assert_eq!(first.balances(), other.balances());
            prop_assert_eq!(first.overspends(limit), other.overspends(limit));
            for n in 0..3 {
                let at = start() + Duration::hours(300);
                prop_assert_eq!(first.expired(&resident(n), 1, at), other.expired(&resident(n), 1, at));
            }
        }
    }

    #[test]
    fn spending_within_the_balance_is_never_flagged_and_an_overdrawn_payer_always_is(
        steps in proptest::collection::vec((0..3u8, 1..50u64, any::<bool>()), 1..60),
        limit in 0..30u64,
    ) {
        // Rewards and payments only, each an hour after the one before.
        let ops: Vec<Op> = steps
            .iter()
            .map(|&(who, amount, earn)| if earn { Op::Reward { to: who, amount } } else { Op::Pay { from: who, amount } })
            .collect();
        let hours: Vec<i64> = (0..ops.len() as i64).collect();
        let movements = history(&ops, &hours, &[0]);
        let ledger = ledger_of(&movements);
        let flags = ledger.overspends(limit);
        let flagged: BTreeSet<EntryId> = flags.iter().map(|f| f.entry).collect();
        // Walk the history as it happened and judge each payment.
        let mut running = [0i64; 3];
        for (op, p) in ops.iter().zip(&movements) {
            match *op {
                Op::Reward { to, amount } => running[to as usize] += amount as i64,
                Op::Pay { from, amount } => {
                    running[from as usize] -= amount as i64;
                    let over = running[from as usize] < -(limit as i64);
                    prop_assert_eq!(flagged.contains(&p.movement.id), over);
                }
                _ => unreachable!(),
            }
        }
        for f in &flags {
            prop_assert!(f.balance_after < -(limit as i64));
        }
    }

    #[test]
    fn expiry_never_takes_more_than_is_there_and_takes_each_point_once(
        ops in proptest::collection::vec(op(), 0..60),
        hours in proptest::collection::vec(0..5000i64, 1..60),
        months in 1..6u32,
    ) {
        let movements = history(&ops, &hours, &[0]);
        let mut ledger = ledger_of(&movements);
        let now = start() + Duration::hours(6000);
        for n in 0..3 {
            let who = resident(n);
            let expired = ledger.expired(&who, months, now);
            let balance = ledger.balance(&member(who));
            prop_assert!(expired as i64 <= balance.max(0));
            if expired > 0 {
                let mut id = [0xee; 16];
                id[0] = n;
                ledger.insert(Posted {
                    movement: Movement {
                        id: EntryId::from_bytes(id),
                        community: community(),
                        from: member(who),
                        to: Account::Community,
                        amount: expired,
                        reason: Reason::Expiry { month: crate::rewards::expiry::Month { year: 2026, month: 1 } },
                        at: now,
                    },
                    signer: COORDINATOR,
                    sig: [0; 64],
                });
                prop_assert_eq!(ledger.expired(&who, months, now), 0);
                prop_assert_eq!(ledger.balance(&member(who)), balance - expired as i64);
            }
        }
    }
}
