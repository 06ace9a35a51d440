//! Property tests of the budget rules on small random elections: the
//! budget is never exceeded, the order of the ballots changes nothing,
//! greedy is its definition, and the Method of Equal Shares (alone and
//! with its completion) equals a slow reference written from the rule's
//! definition, voter by voter, in exact arithmetic.

use std::cmp::{Ordering, Reverse};

use num_traits::{One, Zero};
use proptest::prelude::*;

use super::greedy::greedy;
use super::mes::{mes_add1, mes_exact};
use super::{BigRational, Election, TieBreak};

fn int(n: i64) -> BigRational {
    BigRational::from_integer(n.into())
}

fn election(costs: &[i64], ballots: &[Vec<usize>], budget: i64) -> Election {
    Election::new(
        int(budget),
        costs
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("p{i}"), int(*c)))
            .collect(),
        ballots.to_vec(),
    )
}

/// Greedy by its definition: projects by votes, most first (those nobody
/// voted for last), then by id; each funded if it fits what is left.
fn greedy_reference(e: &Election, initial: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..e.projects.len())
        .filter(|p| !initial.contains(p))
        .collect();
    order.sort_by_key(|&p| (Reverse(e.votes[p]), e.projects[p].0.clone()));
    let mut left = &e.budget - e.total_cost(initial);
    let mut selected = initial.to_vec();
    for p in order {
        if *e.cost(p) <= left {
            left -= e.cost(p);
            selected.push(p);
        }
    }
    selected
}

/// Every voter, one by one (merged ballots expanded), with what they
/// approve.
fn voters(e: &Election) -> Vec<&Vec<usize>> {
    e.groups
        .iter()
        .flat_map(|g| std::iter::repeat_n(&g.approves, g.weight as usize))
        .collect()
}

/// The Method of Equal Shares with cost utilities, by its definition:
/// every voter starts with `share`; in each round, each project not yet
/// funded that its supporters can pay for together asks each supporter
/// for `min(their money, q)`, with `q` the least amount that pays its cost;
/// the project asking least per unit of cost (`q / cost`) is funded (ties:
/// the smaller id), and its supporters pay. Until none can be paid for.
fn mes_reference(e: &Election, share: &BigRational) -> Vec<usize> {
    let approvals = voters(e);
    let mut money = vec![share.clone(); approvals.len()];
    let mut selected: Vec<usize> = Vec::new();
    loop {
        let mut best: Option<(BigRational, usize, BigRational)> = None;
        for p in 0..e.projects.len() {
            let cost = e.cost(p);
            if selected.contains(&p) || e.votes[p] == 0 || cost.is_zero() {
                continue;
            }
            let mut theirs: Vec<BigRational> = approvals
                .iter()
                .enumerate()
                .filter(|(_, a)| a.contains(&p))
                .map(|(i, _)| money[i].clone())
                .collect();
            let total = theirs.iter().fold(BigRational::zero(), |s, m| s + m);
            if total < *cost {
                continue;
            }
            theirs.sort();
            // The least q with sum(min(m, q)) = cost.
            let mut rest = cost.clone();
            let mut q = BigRational::zero();
            for (k, m) in theirs.iter().enumerate() {
                let payers = int((theirs.len() - k) as i64);
                if m * &payers >= rest {
                    q = &rest / &payers;
                    break;
                }
                rest -= m;
            }
            let per_cost = &q / cost;
            let better = match &best {
                None => true,
                Some((b, bp, _)) => match per_cost.cmp(b) {
                    Ordering::Less => true,
                    Ordering::Equal => e.projects[p].0 < e.projects[*bp].0,
                    Ordering::Greater => false,
                },
            };
            if better {
                best = Some((per_cost, p, q));
            }
        }
        let Some((_, p, q)) = best else {
            return selected;
        };
        for (i, a) in approvals.iter().enumerate() {
            if a.contains(&p) {
                let pay = if money[i] < q {
                    money[i].clone()
                } else {
                    q.clone()
                };
                money[i] -= pay;
            }
        }
        selected.push(p);
    }
}

/// MES with the Add1 completion then greedy, by its definition: shares of
/// budget / voters, +1, +2, …; the first whose outcome leaves no
/// supported project that still fits is taken, or the last before one
/// that would overspend; then greedy by votes for what is left.
fn add1_reference(e: &Election) -> Vec<usize> {
    let fundable: Vec<usize> = (0..e.projects.len())
        .filter(|&p| e.votes[p] > 0 && !e.cost(p).is_zero())
        .collect();
    let mut share = if e.voters == 0 {
        e.budget.clone()
    } else {
        &e.budget / int(e.voters as i64)
    };
    let mut previous: Option<Vec<usize>> = None;
    let settled = loop {
        let run = mes_reference(e, &share);
        let cost = e.total_cost(&run);
        if cost > e.budget {
            break previous.unwrap_or(run);
        }
        let left = &e.budget - cost;
        let exhaustive = !fundable
            .iter()
            .any(|p| !run.contains(p) && *e.cost(*p) <= left);
        if exhaustive || e.voters == 0 {
            break run;
        }
        previous = Some(run);
        share += BigRational::one();
    };
    greedy_reference(e, &settled)
}

fn small_elections() -> impl Strategy<Value = (Vec<i64>, Vec<Vec<usize>>, i64)> {
    (
        proptest::collection::vec(1i64..12, 1..7),
        proptest::collection::vec(proptest::collection::vec(0usize..7, 0..4), 1..10),
        1i64..40,
    )
}

proptest! {
    #[test]
    fn neither_rule_spends_more_than_the_budget((costs, ballots, budget) in small_elections()) {
        let e = election(&costs, &ballots, budget);
        for tie in [TieBreak::ProjectId, TieBreak::default()] {
            prop_assert!(mes_add1(&e, &tie).outcome.cost <= e.budget);
            prop_assert!(greedy(&e, &tie).0.cost <= e.budget);
        }
    }

    #[test]
    fn the_order_of_the_ballots_changes_nothing(
        (costs, ballots, budget) in small_elections(),
        turn in 0usize..10,
    ) {
        let e = election(&costs, &ballots, budget);
        let mut shuffled = ballots.clone();
        shuffled.reverse();
        let n = shuffled.len();
        shuffled.rotate_left(turn % n);
        let f = election(&costs, &shuffled, budget);
        for tie in [TieBreak::ProjectId, TieBreak::default()] {
            prop_assert_eq!(mes_add1(&e, &tie).outcome, mes_add1(&f, &tie).outcome);
            prop_assert_eq!(greedy(&e, &tie).0, greedy(&f, &tie).0);
        }
    }

    #[test]
    fn greedy_is_its_definition((costs, ballots, budget) in small_elections()) {
        let e = election(&costs, &ballots, budget);
        prop_assert_eq!(greedy(&e, &TieBreak::ProjectId).0.selected, greedy_reference(&e, &[]));
    }

    #[test]
    fn equal_shares_is_its_definition(
        (costs, ballots, budget) in small_elections(),
        extra in 0i64..5,
    ) {
        let e = election(&costs, &ballots, budget);
        let share = &e.budget / int(e.voters as i64) + int(extra);
        prop_assert_eq!(
            mes_exact(&e, &TieBreak::ProjectId, &share).outcome.selected,
            mes_reference(&e, &share)
        );
    }

    #[test]
    fn the_completion_is_its_definition((costs, ballots, budget) in small_elections()) {
        let e = election(&costs, &ballots, budget);
        prop_assert_eq!(mes_add1(&e, &TieBreak::ProjectId).outcome.selected, add1_reference(&e));
    }
}
