//! The neighbourhood budget's outcomes: which proposals a round funds.
//!
//! Two rules over approval ballots, both always computed: greedy by votes
//! ([`greedy`]) and the Method of Equal Shares with cost utilities, completed
//! the way equalshares.net documents it (Add1, then utilitarian greedy;
//! [`mes`]). Arithmetic is exact ([`BigRational`]); MES runs a floating-point
//! pass first and re-runs exactly whenever that pass meets a near-tie, so the
//! answer is always the exact one. Ties the configured order cannot settle
//! are reported in the outcome, never settled silently.
//!
//! Real instances are read and written in the pabulib format
//! ([`pabulib`]); the outcomes match pabutools' on the same calls (see the
//! `pb` tests).

pub mod greedy;
pub mod mes;
pub mod pabulib;
pub mod pool;
#[cfg(test)]
mod properties;
pub mod report;
pub mod round;
pub mod together;

use std::cmp::Ordering;
use std::collections::HashMap;

use num_bigint::BigInt;
pub use num_rational::BigRational;
use num_traits::{One, Zero};

/// An election the rules compute: projects with costs, a budget and
/// approval ballots, identical ballots merged.
#[derive(Debug, Clone)]
pub struct Election {
    /// The budget.
    pub budget: BigRational,
    /// Each project's id and cost, in the order given.
    pub projects: Vec<(String, BigRational)>,
    /// The distinct ballots, each with how many voters cast it.
    pub groups: Vec<Group>,
    /// How many voters, empty ballots included.
    pub voters: u64,
    /// How many voters approve each project.
    pub votes: Vec<u64>,
}

/// Voters who approved the same projects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The projects approved, by index, ascending.
    pub approves: Vec<usize>,
    /// How many voters.
    pub weight: u64,
}

impl Election {
    /// An election of these projects and ballots (each a list of project
    /// indexes; a repeated index counts once).
    pub fn new(
        budget: BigRational,
        projects: Vec<(String, BigRational)>,
        ballots: impl IntoIterator<Item = Vec<usize>>,
    ) -> Self {
        let mut merged: HashMap<Vec<usize>, u64> = HashMap::new();
        let mut voters = 0;
        let mut votes = vec![0u64; projects.len()];
        for mut ballot in ballots {
            ballot.sort_unstable();
            ballot.dedup();
            ballot.retain(|&p| p < projects.len());
            for &p in &ballot {
                votes[p] += 1;
            }
            voters += 1;
            *merged.entry(ballot).or_default() += 1;
        }
        let mut groups: Vec<Group> = merged
            .into_iter()
            .map(|(approves, weight)| Group { approves, weight })
            .collect();
        // A fixed order, so every device computes the same way.
        groups.sort_unstable_by(|a, b| a.approves.cmp(&b.approves));
        Self {
            budget,
            projects,
            groups,
            voters,
            votes,
        }
    }

    /// The cost of project `p`.
    pub fn cost(&self, p: usize) -> &BigRational {
        &self.projects[p].1
    }

    /// The total cost of a set of projects.
    pub fn total_cost(&self, selected: &[usize]) -> BigRational {
        selected
            .iter()
            .fold(BigRational::zero(), |sum, &p| sum + self.cost(p))
    }
}

/// How ties between equally good projects are broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TieBreak {
    /// The app's default, equalshares.net's: the lower cost, then the more
    /// votes, then the order of a published lot (project ids, first wins).
    /// Projects still tied (no lot, or not in it) are an unresolved tie.
    CostVotes {
        /// The lot's order, if one was drawn.
        lot: Vec<String>,
    },
    /// pabutools' order, for checking against it: the project id, compared
    /// as text; the smaller wins.
    ProjectId,
}

impl Default for TieBreak {
    fn default() -> Self {
        Self::CostVotes { lot: Vec::new() }
    }
}

/// Tied projects the configured order could not tell apart. The outcome
/// went on with the first by project id, and says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tie {
    /// The tied projects, by index, the one taken first.
    pub among: Vec<usize>,
}

impl TieBreak {
    /// Orders two projects that a rule found equally good: `Less` when `a`
    /// goes first. `None` when this order cannot tell them apart.
    fn decide(&self, e: &Election, a: usize, b: usize) -> Option<Ordering> {
        match self {
            Self::ProjectId => Some(e.projects[a].0.cmp(&e.projects[b].0)),
            Self::CostVotes { lot } => {
                let by_cost = e.cost(a).cmp(e.cost(b));
                let by_votes = e.votes[b].cmp(&e.votes[a]);
                let place = |p: usize| lot.iter().position(|id| *id == e.projects[p].0);
                let by_lot = match (place(a), place(b)) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    _ => Ordering::Equal,
                };
                let order = by_cost.then(by_votes).then(by_lot);
                (order != Ordering::Equal || a == b).then_some(order)
            }
        }
    }

    /// The first of equally good projects, and the tie if it could not be
    /// settled.
    fn pick(&self, e: &Election, tied: &[usize]) -> (usize, Option<Tie>) {
        let mut best = tied[0];
        for &p in &tied[1..] {
            if self.decide(e, p, best) == Some(Ordering::Less) {
                best = p;
            }
        }
        let mut unsettled: Vec<usize> = tied
            .iter()
            .copied()
            .filter(|&p| p != best && self.decide(e, p, best).is_none())
            .collect();
        if unsettled.is_empty() {
            return (best, None);
        }
        unsettled.push(best);
        unsettled.sort_by(|&a, &b| e.projects[a].0.cmp(&e.projects[b].0));
        (unsettled[0], Some(Tie { among: unsettled }))
    }

    /// Sorts projects a rule ranks equally, best first; reports each run of
    /// projects the order cannot tell apart.
    fn sort(&self, e: &Election, projects: &mut [usize]) {
        projects.sort_by(|&a, &b| {
            self.decide(e, a, b)
                .unwrap_or_else(|| e.projects[a].0.cmp(&e.projects[b].0))
        });
    }
}

/// Why a rule cannot compute an outcome.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// The ballots are not approval ballots.
    #[error("the ballots are {0} ballots; the rules count approval ballots only")]
    NotApproval(&'static str),
}

/// Which projects a rule funds, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The funded projects, by index, in the order the rule chose them.
    pub selected: Vec<usize>,
    /// Their total cost.
    pub cost: BigRational,
    /// Ties the tie-break order could not settle.
    pub ties: Vec<Tie>,
}

/// A rational as text: an integer, a finite decimal, or else rounded to
/// six decimals with a `~`.
pub fn decimal(r: &BigRational) -> String {
    if r.is_integer() {
        return r.to_integer().to_string();
    }
    let ten = BigInt::from(10u8);
    let mut d = r.denom().clone();
    let mut places = 0u32;
    for prime in [2u8, 5] {
        let prime = BigInt::from(prime);
        while (&d % &prime).is_zero() {
            d /= &prime;
        }
    }
    let exact = d.is_one();
    let mut scaled = r.clone();
    while !scaled.is_integer() && (exact || places < 6) {
        scaled *= BigRational::from_integer(ten.clone());
        places += 1;
    }
    let n = scaled.round().to_integer();
    let sign = if n < BigInt::zero() { "-" } else { "" };
    let digits = n.magnitude().to_string();
    let width = places as usize + 1;
    let digits = format!("{digits:0>width$}");
    let (whole, frac) = digits.split_at(digits.len() - places as usize);
    let frac = if exact {
        frac
    } else {
        frac.trim_end_matches('0')
    };
    let approx = if exact { "" } else { "~" };
    if frac.is_empty() {
        return format!("{approx}{sign}{whole}");
    }
    format!("{approx}{sign}{whole}.{frac}")
}

/// A rational rounded to `places` decimals (halves away from zero), without
/// trailing zeros: `15`, `5.49`.
pub fn rounded(r: &BigRational, places: u32) -> String {
    let scale = BigRational::from_integer(BigInt::from(10u8).pow(places));
    let n = (r * &scale).round().to_integer();
    decimal(&(BigRational::from_integer(n) / scale))
}
