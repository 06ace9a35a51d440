//! The Method of Equal Shares with cost utilities, exactly.
//!
//! Every voter starts with an equal share of the budget. A project is
//! bought by its supporters, each paying the same amount, or all they have
//! left when that is less; the project funded next is the one whose
//! supporters pay the least per unit of its cost (its *affordability*,
//! `ρ = payment / cost`), and a project its supporters can no longer pay for
//! is dropped. This follows pabutools' `method_of_equal_shares` with
//! `Cost_Sat` step for step, comparisons included.
//!
//! Voters who have paid for the same projects have the same money left, so
//! the run keeps one exact amount per such *class* of voters rather than one
//! per voter: a project's affordability is computed over the few classes
//! among its supporters, and rational arithmetic stays cheap.
//!
//! The completion ([`mes_add1`]) is equalshares.net's: the per-voter share
//! raised by one currency unit at a time from exactly `budget / voters`
//! until the outcome would cost more than the budget (the previous outcome
//! is kept) or leaves no supported project that still fits; then greedy by
//! votes for what is left.

use num_bigint::BigInt;
use num_rational::BigRational;
use std::cmp::Ordering;

use num_traits::{One, Zero};

use super::greedy::{greedy_after, Step as GreedyStep};
use super::{Election, Outcome, Tie, TieBreak};

/// Why MES funded or dropped a project, in the order it happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Funded: each supporter paid `payment`, or all they had when less.
    Funded {
        /// The project.
        project: usize,
        /// What a supporter who could afford it paid.
        payment: BigRational,
        /// How many supporters paid that in full.
        paid_in_full: u64,
        /// How many paid all they had left (less than `payment`).
        paid_all_left: u64,
    },
    /// Dropped: its supporters had `left` between them, less than its cost.
    Unaffordable {
        /// The project.
        project: usize,
        /// What its supporters had left.
        left: BigRational,
    },
}

/// One run of MES at a per-voter share, with its steps.
#[derive(Debug, Clone)]
pub struct Run {
    /// The outcome.
    pub outcome: Outcome,
    /// The per-voter share it started from.
    pub share: BigRational,
    /// Why each project was funded or dropped.
    pub steps: Vec<Step>,
}

/// MES with the Add1 completion and then greedy by votes, explained.
#[derive(Debug, Clone)]
pub struct Completed {
    /// The outcome: MES's projects, then greedy's.
    pub outcome: Outcome,
    /// The MES run the completion settled on.
    pub mes: Run,
    /// How many per-voter shares were tried.
    pub tries: u64,
    /// Greedy's steps after it.
    pub greedy: Vec<GreedyStep>,
}

/// The projects MES can fund at all: with supporters and a cost above 0.
fn candidates(e: &Election) -> Vec<usize> {
    (0..e.projects.len())
        .filter(|&p| e.votes[p] > 0 && !e.cost(p).is_zero())
        .collect()
}

/// The arithmetic a run computes in: exact rationals, or `f64` as a fast
/// first pass that gives up when a decision is too close to call.
trait Amount: Clone {
    fn of(r: &BigRational) -> Self;
    fn zero() -> Self;
    fn plus(&self, o: &Self) -> Self;
    fn minus(&self, o: &Self) -> Self;
    fn times_w(&self, w: u64) -> Self;
    fn over_w(&self, w: u64) -> Self;
    fn times(&self, o: &Self) -> Self;
    fn over(&self, o: &Self) -> Self;
    /// An order for sorting and for choices that do not change the
    /// outcome (a payment is continuous in the budgets).
    fn order(&self, o: &Self) -> Ordering;
    /// An order for a decision, `None` when too close to call.
    fn decide(&self, o: &Self) -> Option<Ordering>;
    /// As an exact amount (for the record of a run's steps).
    fn exact(&self) -> BigRational;
}

impl Amount for BigRational {
    fn of(r: &BigRational) -> Self {
        r.clone()
    }
    fn zero() -> Self {
        Zero::zero()
    }
    fn plus(&self, o: &Self) -> Self {
        self + o
    }
    fn minus(&self, o: &Self) -> Self {
        self - o
    }
    fn times_w(&self, w: u64) -> Self {
        self * BigRational::from_integer(w.into())
    }
    fn over_w(&self, w: u64) -> Self {
        self / BigRational::from_integer(w.into())
    }
    fn times(&self, o: &Self) -> Self {
        self * o
    }
    fn over(&self, o: &Self) -> Self {
        self / o
    }
    fn order(&self, o: &Self) -> Ordering {
        self.cmp(o)
    }
    fn decide(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
    fn exact(&self) -> BigRational {
        self.clone()
    }
}

/// How close two `f64` amounts may be before the fast pass gives up: far
/// above the rounding a run accumulates (a few hundred operations on
/// numbers of one size, each off by at most 2⁻⁵³ of itself).
const NEAR: f64 = 1e-9;

impl Amount for f64 {
    fn of(r: &BigRational) -> Self {
        num_traits::ToPrimitive::to_f64(r).unwrap_or(f64::MAX)
    }
    fn zero() -> Self {
        0.0
    }
    fn plus(&self, o: &Self) -> Self {
        self + o
    }
    fn minus(&self, o: &Self) -> Self {
        self - o
    }
    fn times_w(&self, w: u64) -> Self {
        self * w as f64
    }
    fn over_w(&self, w: u64) -> Self {
        self / w as f64
    }
    fn times(&self, o: &Self) -> Self {
        self * o
    }
    fn over(&self, o: &Self) -> Self {
        self / o
    }
    fn order(&self, o: &Self) -> Ordering {
        self.total_cmp(o)
    }
    fn decide(&self, o: &Self) -> Option<Ordering> {
        let scale = self.abs().max(o.abs());
        // Amounts beyond f64's range are never decided here.
        if !self.is_finite() || !o.is_finite() || (self - o).abs() <= NEAR * scale {
            None
        } else {
            Some(self.total_cmp(o))
        }
    }
    fn exact(&self) -> BigRational {
        // Steps record amounts to a millionth of a unit.
        let micro = (self * 1e6).round();
        BigRational::new(BigInt::from(micro as i128), BigInt::from(1_000_000u32))
    }
}

/// The fast pass met a decision too close to call.
struct Doubt;

/// MES with every voter starting from `share`, exactly: a fast pass in
/// `f64`, and the exact run when that pass was in doubt.
pub fn mes_with_share(e: &Election, tie: &TieBreak, share: &BigRational) -> Run {
    run_share(e, tie, share, &supporters(e))
}

/// The fast pass, then the exact run if it was in doubt.
fn run_share(e: &Election, tie: &TieBreak, share: &BigRational, supporters: &[Supporters]) -> Run {
    run_in::<f64>(e, tie, share, supporters)
        .or_else(|Doubt| run_in::<BigRational>(e, tie, share, supporters))
        .unwrap_or_else(|Doubt| unreachable!("exact arithmetic is never in doubt"))
}

/// MES in exact arithmetic only (for checking the fast pass).
pub fn mes_exact(e: &Election, tie: &TieBreak, share: &BigRational) -> Run {
    let supporters = supporters(e);
    run_in::<BigRational>(e, tie, share, &supporters)
        .unwrap_or_else(|Doubt| unreachable!("exact arithmetic is never in doubt"))
}

/// A project's supporters: each group with its weight (kept beside it, so
/// the hot loops read one array).
type Supporters = Vec<(usize, u64)>;

/// Each project's supporters, as groups.
fn supporters(e: &Election) -> Vec<Supporters> {
    let mut supporters: Vec<Supporters> = vec![Vec::new(); e.projects.len()];
    for (g, group) in e.groups.iter().enumerate() {
        for &p in &group.approves {
            supporters[p].push((g, group.weight));
        }
    }
    supporters
}

fn run_in<N: Amount>(
    e: &Election,
    tie: &TieBreak,
    share: &BigRational,
    supporters: &[Supporters],
) -> Result<Run, Doubt> {
    let costs: Vec<N> = e.projects.iter().map(|(_, c)| N::of(c)).collect();
    // Money left per class of voters; every group starts in class 0.
    let mut budgets: Vec<N> = vec![N::of(share)];
    let mut class_of: Vec<usize> = vec![0; e.groups.len()];
    // Each candidate with its affordability as last computed: never more
    // than it is now, since voters' money only shrinks.
    let mut open: Vec<(usize, N)> = candidates(e)
        .into_iter()
        .map(|p| {
            (
                p,
                N::of(&BigRational::new(BigInt::one(), BigInt::from(e.votes[p]))),
            )
        })
        .collect();
    let mut selected = Vec::new();
    let mut steps = Vec::new();
    let mut ties = Vec::new();
    // Per computation: weight of supporters per class.
    let mut weight_in: Vec<u64> = vec![0];
    let mut touched: Vec<usize> = Vec::new();
    let mut classes: Vec<(usize, u64)> = Vec::new();
    loop {
        open.sort_by(|a, b| a.1.order(&b.1));
        let mut best: Option<N> = None;
        let mut tied: Vec<usize> = Vec::new();
        let mut dropped: Vec<usize> = Vec::new();
        for (i, (p, bound)) in open.iter_mut().enumerate() {
            let p = *p;
            if best
                .as_ref()
                .is_some_and(|b| bound.decide(b) == Some(Ordering::Greater))
            {
                break;
            }
            // The supporters' money, by class, poorest first.
            touched.clear();
            for &(g, w) in &supporters[p] {
                let c = class_of[g];
                if weight_in[c] == 0 {
                    touched.push(c);
                }
                weight_in[c] += w;
            }
            classes.clear();
            classes.extend(touched.iter().map(|&c| (c, weight_in[c])));
            for &c in &touched {
                weight_in[c] = 0;
            }
            let avail = classes
                .iter()
                .fold(N::zero(), |sum, &(c, w)| sum.plus(&budgets[c].times_w(w)));
            let cost = &costs[p];
            match avail.decide(cost) {
                None => return Err(Doubt),
                Some(Ordering::Less) => {
                    dropped.push(i);
                    steps.push(Step::Unaffordable {
                        project: p,
                        left: avail.exact(),
                    });
                    continue;
                }
                Some(_) => {}
            }
            // The payment each supporter makes: an equal split, with
            // those who have less than it paying all they have. Found by
            // filling up from the equal split (no sort: each pass moves
            // the classes below the split to paying all; a few passes
            // settle it, and the money is enough, so some class is left).
            let mut paid = N::zero();
            let mut count: u64 = classes.iter().map(|&(_, w)| w).sum();
            let mut rest = &mut classes[..];
            let payment = loop {
                let payment = cost.minus(&paid).over_w(count);
                let mut below = 0;
                for i in 0..rest.len() {
                    let (c, w) = rest[i];
                    if budgets[c].order(&payment) == Ordering::Less {
                        paid = paid.plus(&budgets[c].times_w(w));
                        count -= w;
                        rest.swap(i, below);
                        below += 1;
                    }
                }
                if below == 0 {
                    break payment;
                }
                rest = &mut rest[below..];
                if rest.is_empty() {
                    // Only rounding can get here: the money was enough.
                    return Err(Doubt);
                }
            };
            *bound = payment.over(cost);
            match best.as_ref().map(|b| bound.decide(b)) {
                Some(None) => return Err(Doubt),
                Some(Some(Ordering::Greater)) => {}
                Some(Some(Ordering::Equal)) => tied.push(p),
                None | Some(Some(Ordering::Less)) => {
                    best = Some(bound.clone());
                    tied = vec![p];
                }
            }
        }
        for &i in dropped.iter().rev() {
            open.remove(i);
        }
        let Some(rho) = best else { break };
        let (p, tie_) = if tied.len() == 1 {
            (tied[0], None)
        } else {
            tie.pick(e, &tied)
        };
        ties.extend(tie_);
        let payment = rho.times(&costs[p]);
        // Pay: each class among the supporters moves to a new class with
        // what it has left.
        // Where each class moved to (`usize::MAX`: not yet).
        let mut moved: Vec<usize> = vec![usize::MAX; budgets.len()];
        let (mut in_full, mut all_left) = (0, 0);
        for &(g, w) in &supporters[p] {
            let c = class_of[g];
            let full = payment.order(&budgets[c]) != Ordering::Greater;
            if full {
                in_full += w;
            } else {
                all_left += w;
            }
            if moved[c] == usize::MAX {
                budgets.push(if full {
                    budgets[c].minus(&payment)
                } else {
                    N::zero()
                });
                weight_in.push(0);
                moved[c] = budgets.len() - 1;
            }
            class_of[g] = moved[c];
        }
        open.retain(|&(q, _)| q != p);
        selected.push(p);
        steps.push(Step::Funded {
            project: p,
            payment: payment.exact(),
            paid_in_full: in_full,
            paid_all_left: all_left,
        });
    }
    let cost = e.total_cost(&selected);
    Ok(Run {
        outcome: Outcome {
            selected,
            cost,
            ties,
        },
        share: share.clone(),
        steps,
    })
}

/// MES without completion: every voter starts from `budget / voters`.
pub fn mes(e: &Election, tie: &TieBreak) -> Run {
    mes_with_share(e, tie, &first_share(e))
}

/// `budget / voters` (the whole budget when nobody voted).
fn first_share(e: &Election) -> BigRational {
    if e.voters == 0 {
        return e.budget.clone();
    }
    &e.budget / BigRational::from_integer(e.voters.into())
}

/// MES with the Add1 completion, then greedy by votes for what is left.
pub fn mes_add1(e: &Election, tie: &TieBreak) -> Completed {
    let fundable = candidates(e);
    let supporters = supporters(e);
    let mut share = first_share(e);
    let mut previous: Option<Run> = None;
    let mut tries = 0;
    let settled = loop {
        tries += 1;
        let run = run_share(e, tie, &share, &supporters);
        if run.outcome.cost > e.budget {
            // The first share never overspends: MES pays from the budget.
            break previous.unwrap_or(run);
        }
        let left = &e.budget - &run.outcome.cost;
        let exhaustive = !fundable
            .iter()
            .any(|p| !run.outcome.selected.contains(p) && *e.cost(*p) <= left);
        if exhaustive || e.voters == 0 {
            break run;
        }
        previous = Some(run);
        share += BigRational::one();
    };
    let (outcome, greedy) = greedy_after(e, tie, &settled.outcome.selected);
    let mut ties: Vec<Tie> = settled.outcome.ties.clone();
    ties.extend(outcome.ties);
    Completed {
        outcome: Outcome { ties, ..outcome },
        mes: settled,
        tries,
        greedy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(n: i64) -> BigRational {
        BigRational::from_integer(n.into())
    }

    /// An election from (id, cost) and (ballot of ids, how many voters).
    fn election(budget: i64, projects: &[(&str, i64)], ballots: &[(&[&str], usize)]) -> Election {
        let index = |id: &str| projects.iter().position(|(p, _)| *p == id).unwrap();
        Election::new(
            int(budget),
            projects
                .iter()
                .map(|(id, c)| ((*id).to_owned(), int(*c)))
                .collect(),
            ballots.iter().flat_map(|(b, n)| {
                std::iter::repeat_n(b.iter().map(|id| index(id)).collect::<Vec<_>>(), *n)
            }),
        )
    }

    fn ids(e: &Election, o: &Outcome) -> Vec<String> {
        o.selected
            .iter()
            .map(|&p| e.projects[p].0.clone())
            .collect()
    }

    #[test]
    fn a_minority_gets_its_share_where_greedy_gives_the_majority_everything() {
        let e = election(
            90,
            &[("X1", 30), ("X2", 30), ("X3", 30), ("Y", 30)],
            &[(&["X1", "X2", "X3"], 2), (&["Y"], 1)],
        );
        let run = mes(&e, &TieBreak::ProjectId);
        assert_eq!(ids(&e, &run.outcome), ["X1", "X2", "Y"]);
        assert_eq!(run.outcome.cost, int(90));
        assert_eq!(
            run.steps[0],
            Step::Funded {
                project: 0,
                payment: int(15),
                paid_in_full: 2,
                paid_all_left: 0
            }
        );
        assert!(run.steps.contains(&Step::Unaffordable {
            project: 2,
            left: int(0)
        }));
        let (g, _) = crate::budget::greedy::greedy(&e, &TieBreak::ProjectId);
        assert_eq!(ids(&e, &g), ["X1", "X2", "X3"]);
    }

    #[test]
    fn a_tie_the_order_cannot_settle_is_reported_and_a_lot_settles_it() {
        let e = election(
            100,
            &[("A", 50), ("B", 50), ("C", 50)],
            &[(&["A", "B"], 2), (&["C"], 2)],
        );
        let run = mes(&e, &TieBreak::default());
        assert_eq!(ids(&e, &run.outcome), ["A", "C"]);
        assert_eq!(
            run.outcome.ties,
            vec![Tie {
                among: vec![0, 1, 2]
            }]
        );
        let lot = TieBreak::CostVotes {
            lot: vec!["B".into(), "A".into(), "C".into()],
        };
        let run = mes(&e, &lot);
        assert_eq!(ids(&e, &run.outcome), ["B", "C"]);
        assert!(run.outcome.ties.is_empty());
        // The lower cost goes first without a lot.
        let e = election(100, &[("A", 50), ("B", 40)], &[(&["A", "B"], 4)]);
        let run = mes(&e, &TieBreak::default());
        assert_eq!(ids(&e, &run.outcome), ["B", "A"]);
    }

    #[test]
    fn add1_raises_the_share_one_unit_at_a_time_until_the_budget_is_used() {
        let e = election(100, &[("P", 60), ("Q", 40)], &[(&["P"], 1), (&["Q"], 1)]);
        let plain = mes(&e, &TieBreak::ProjectId);
        assert_eq!(ids(&e, &plain.outcome), ["Q"]);
        let done = mes_add1(&e, &TieBreak::ProjectId);
        assert_eq!(ids(&e, &done.outcome), ["P", "Q"]);
        assert_eq!(done.mes.share, int(60));
        assert_eq!(done.tries, 11, "shares 50 to 60");
        // A share that would overspend is not taken: the one before is, and
        // greedy fills the rest.
        let e = election(
            100,
            &[("P", 70), ("Q", 70), ("R", 30)],
            &[(&["P"], 1), (&["Q", "R"], 1)],
        );
        let done = mes_add1(&e, &TieBreak::ProjectId);
        assert_eq!(ids(&e, &done.mes.outcome), ["R"]);
        assert_eq!(done.mes.share, int(69));
        assert_eq!(ids(&e, &done.outcome), ["R", "P"]);
    }

    #[test]
    fn shares_are_exact_thirds_not_floats() {
        // 10 / 3 each: the three can pay exactly 10 together, not a hair
        // less.
        let e = election(10, &[("A", 10)], &[(&["A"], 3)]);
        let run = mes(&e, &TieBreak::ProjectId);
        assert_eq!(run.share, BigRational::new(10.into(), 3.into()));
        assert_eq!(ids(&e, &run.outcome), ["A"]);
    }
}

#[cfg(test)]
mod agreement {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The fast pass and the exact run fund the same projects in the
        /// same order, ties included, on small elections full of ties.
        #[test]
        fn the_fast_pass_agrees_with_exact_arithmetic(
            costs in proptest::collection::vec(1i64..6, 1..7),
            ballots in proptest::collection::vec(proptest::collection::vec(0usize..7, 0..4), 1..12),
            budget in 1i64..30,
            extra in 0i64..4,
        ) {
            let e = Election::new(
                BigRational::from_integer(budget.into()),
                costs.iter().enumerate().map(|(i, c)| (format!("p{i}"), BigRational::from_integer((*c).into()))).collect(),
                ballots,
            );
            let share = first_share(&e) + BigRational::from_integer(extra.into());
            for tie in [TieBreak::ProjectId, TieBreak::default()] {
                let fast = mes_with_share(&e, &tie, &share);
                let exact = mes_exact(&e, &tie, &share);
                prop_assert_eq!(&fast.outcome, &exact.outcome);
                prop_assert!(exact.outcome.cost <= &share * BigRational::from_integer(e.voters.into()));
            }
        }
    }
}
