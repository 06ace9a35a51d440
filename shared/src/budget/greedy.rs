//! Greedy by votes: the projects in order of their number of votes, each
//! funded if it still fits the budget left, a project that does not fit
//! skipped for the next. This is pabutools' `greedy_utilitarian_welfare`
//! with cost utilities (a project's welfare per unit of cost is its number
//! of votes): projects without votes or without cost come last.

use num_rational::BigRational;
use num_traits::Zero;

use super::{Election, Outcome, Tie, TieBreak};

/// Why greedy took or left a project.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Funded, leaving this much of the budget.
    Funded {
        /// The project.
        project: usize,
        /// What is left after it.
        left: BigRational,
    },
    /// Skipped: it cost more than was left.
    TooDear {
        /// The project.
        project: usize,
        /// What was left.
        left: BigRational,
    },
}

/// Greedy by votes after `initial` (funded already, kept first), with the
/// steps that explain it.
pub fn greedy_after(e: &Election, tie: &TieBreak, initial: &[usize]) -> (Outcome, Vec<Step>) {
    let density = |p: usize| {
        if e.votes[p] == 0 || e.cost(p).is_zero() {
            0
        } else {
            e.votes[p]
        }
    };
    let mut order: Vec<usize> = (0..e.projects.len())
        .filter(|p| !initial.contains(p))
        .collect();
    tie.sort(e, &mut order);
    order.sort_by_key(|&p| std::cmp::Reverse(density(p)));
    let mut left = &e.budget - e.total_cost(initial);
    let mut selected = initial.to_vec();
    let mut steps = Vec::new();
    let mut taken = vec![false; e.projects.len()];
    for &p in &order {
        if *e.cost(p) <= left {
            left -= e.cost(p);
            selected.push(p);
            taken[p] = true;
            steps.push(Step::Funded {
                project: p,
                left: left.clone(),
            });
        } else {
            steps.push(Step::TooDear {
                project: p,
                left: left.clone(),
            });
        }
    }
    // A run of projects the order cannot tell apart matters only when it
    // was funded in part.
    let mut ties = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len()
            && density(order[end]) == density(order[start])
            && tie.decide(e, order[end - 1], order[end]).is_none()
        {
            end += 1;
        }
        let run = &order[start..end];
        let funded = run.iter().filter(|&&p| taken[p]).count();
        if funded > 0 && funded < run.len() {
            ties.push(Tie {
                among: run.to_vec(),
            });
        }
        start = end;
    }
    let cost = e.total_cost(&selected);
    (
        Outcome {
            selected,
            cost,
            ties,
        },
        steps,
    )
}

/// Greedy by votes from nothing.
pub fn greedy(e: &Election, tie: &TieBreak) -> (Outcome, Vec<Step>) {
    greedy_after(e, tie, &[])
}
