//! What the budget screen shows for a pabulib file: both outcomes side by
//! side, and for each project whether each rule funds it and why, in
//! amounts the UI words.

use serde::{Deserialize, Serialize};

use super::mes::{self, Step};
use super::pabulib::{Instance, PbProblem};
use super::{greedy, rounded, RuleError, TieBreak};

/// → [`BudgetReport`]: the outcomes of a pabulib file (its bytes, sent raw),
/// with the app's tie-break order (lower cost, then more votes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComputeBudget;

crate::commands! {
    ComputeBudget => "compute_budget", raw -> BudgetReport;
}

/// Both outcomes of one instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetReport {
    /// What the file calls itself (`description`, else the place).
    pub title: String,
    /// Its currency, if it says.
    pub currency: String,
    /// The budget.
    pub budget: String,
    /// How many voted (empty ballots included).
    pub voters: u64,
    /// Every project, in the file's order.
    pub projects: Vec<ProjectLine>,
    /// What the Method of Equal Shares (with its completion) spends.
    pub equal_shares_total: String,
    /// What greedy by votes spends.
    pub greedy_total: String,
    /// Tied projects the order could not tell apart (names), each list a
    /// tie; the outcome went on with the first.
    pub ties: Vec<Vec<String>>,
}

/// One project of a [`BudgetReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectLine {
    /// Its id in the file.
    pub id: String,
    /// Its name (the id when the file has none).
    pub name: String,
    /// Its cost.
    pub cost: String,
    /// How many voted for it.
    pub votes: u64,
    /// How the Method of Equal Shares treated it.
    pub equal_shares: Funding,
    /// Whether greedy by votes funds it.
    pub greedy: bool,
    /// When greedy by votes passed it over: what was left of the budget
    /// when its turn came (to two decimals).
    pub greedy_left: Option<String>,
}

/// Why the Method of Equal Shares funded a project or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Funding {
    /// Funded: `paid` supporters paid `payment` each, `all_left` paid all
    /// they had left (less).
    Paid {
        /// What a supporter who could afford it paid (to two decimals).
        payment: String,
        /// How many paid that.
        paid: u64,
        /// How many paid all they had left.
        all_left: u64,
    },
    /// Funded by the completion, from what was left of the budget.
    Completion,
    /// Not funded: its supporters had only `left` between them.
    Short {
        /// What they had left (to two decimals).
        left: String,
    },
    /// Not funded: nobody voted for it (or it costs nothing and nobody
    /// needs to pay).
    NoSupport,
}

/// Why a file cannot be reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportError {
    /// The file is not a pabulib file this reader can read.
    File {
        /// The line (0: the file as a whole).
        line: u64,
        /// What is wrong.
        problem: PbProblem,
    },
    /// The ballots are not approval ballots.
    Ballots(&'static str),
}

/// Reads a pabulib file and computes both outcomes.
pub fn report_file(bytes: &[u8]) -> Result<BudgetReport, ReportError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ReportError::File {
        line: 0,
        problem: PbProblem::Unreadable("not UTF-8 text".into()),
    })?;
    let instance = super::pabulib::parse(text).map_err(|e| ReportError::File {
        line: e.line,
        problem: e.problem,
    })?;
    report(&instance, &TieBreak::default())
        .map_err(|RuleError::NotApproval(t)| ReportError::Ballots(t))
}

/// Both outcomes of an instance.
pub fn report(instance: &Instance, tie: &TieBreak) -> Result<BudgetReport, RuleError> {
    let e = instance.election()?;
    let done = mes::mes_add1(&e, tie);
    let (by_votes, greedy_steps) = greedy::greedy(&e, tie);
    let mut greedy_left: Vec<Option<String>> = vec![None; e.projects.len()];
    for step in &greedy_steps {
        if let greedy::Step::TooDear { project, left } = step {
            greedy_left[*project] = Some(rounded(left, 2));
        }
    }
    let in_mes = |p: usize| done.mes.outcome.selected.contains(&p);
    let mut funding: Vec<Funding> = vec![Funding::NoSupport; e.projects.len()];
    for step in &done.mes.steps {
        match step {
            Step::Funded {
                project,
                payment,
                paid_in_full,
                paid_all_left,
            } => {
                funding[*project] = Funding::Paid {
                    payment: rounded(payment, 2),
                    paid: *paid_in_full,
                    all_left: *paid_all_left,
                }
            }
            Step::Unaffordable { project, left } => {
                funding[*project] = Funding::Short {
                    left: rounded(left, 2),
                }
            }
        }
    }
    for &p in &done.outcome.selected {
        if !in_mes(p) {
            funding[p] = Funding::Completion;
        }
    }
    let name_of = |p: usize| {
        instance.projects[p]
            .field(&instance.project_columns, "name")
            .unwrap_or(&instance.projects[p].id)
            .to_owned()
    };
    let mut ties: Vec<Vec<String>> = Vec::new();
    for tie in done.outcome.ties.iter().chain(&by_votes.ties) {
        let names: Vec<String> = tie.among.iter().map(|&p| name_of(p)).collect();
        if !ties.contains(&names) {
            ties.push(names);
        }
    }
    let projects = (0..e.projects.len())
        .map(|p| ProjectLine {
            id: e.projects[p].0.clone(),
            name: name_of(p),
            cost: rounded(e.cost(p), 2),
            votes: e.votes[p],
            equal_shares: funding[p].clone(),
            greedy: by_votes.selected.contains(&p),
            greedy_left: greedy_left[p].clone(),
        })
        .collect();
    let meta = |k: &str| instance.meta(k).map(str::trim).unwrap_or_default();
    let title = [meta("description"), meta("unit"), meta("district")]
        .into_iter()
        .find(|t| !t.is_empty())
        .unwrap_or_default()
        .to_owned();
    Ok(BudgetReport {
        title,
        currency: meta("currency").to_owned(),
        budget: rounded(&e.budget, 2),
        voters: e.voters,
        projects,
        equal_shares_total: rounded(&done.outcome.cost, 2),
        greedy_total: rounded(&by_votes.cost, 2),
        ties,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_says_who_paid_what_and_why_a_project_was_left() {
        let text = "META\nkey;value\ndescription;Solhøj 2027\ncurrency;DKK\nbudget;90\nPROJECTS\nproject_id;cost;name\n1;30;Bænke\n2;30;Lys\n3;30;Maling\n4;30;Ungeklub\n5;10;Ingen stemmer\nVOTES\nvoter_id;vote\na;1,2,3\nb;1,2,3\nc;4\n";
        let r = report_file(text.as_bytes()).unwrap();
        assert_eq!(
            (r.title.as_str(), r.currency.as_str()),
            ("Solhøj 2027", "DKK")
        );
        assert_eq!((r.budget.as_str(), r.voters), ("90", 3));
        let line = |name: &str| r.projects.iter().find(|p| p.name == name).unwrap();
        assert_eq!(
            line("Bænke").equal_shares,
            Funding::Paid {
                payment: "15".into(),
                paid: 2,
                all_left: 0
            }
        );
        assert_eq!(
            line("Maling").equal_shares,
            Funding::Short { left: "0".into() }
        );
        assert!(line("Maling").greedy && !line("Ungeklub").greedy);
        assert_eq!(line("Ungeklub").greedy_left.as_deref(), Some("0"));
        assert_eq!(line("Maling").greedy_left, None);
        assert!(matches!(
            line("Ungeklub").equal_shares,
            Funding::Paid { .. }
        ));
        // Nobody voted for it.
        assert_eq!(line("Ingen stemmer").votes, 0);
        assert_eq!(line("Ingen stemmer").equal_shares, Funding::NoSupport);
        assert_eq!(
            (r.equal_shares_total.as_str(), r.greedy_total.as_str()),
            ("90", "90")
        );
        // Bænke, Lys and Maling tie on cost and votes, and then Lys and
        // Maling: said, not hidden.
        assert_eq!(
            r.ties,
            vec![
                vec!["Bænke".to_owned(), "Lys".into(), "Maling".into()],
                vec!["Lys".to_owned(), "Maling".into()]
            ]
        );
    }

    #[test]
    fn a_broken_file_or_other_ballots_are_errors_not_reports() {
        assert_eq!(
            report_file(b"META\nkey;value\nbudget;x\n"),
            Err(ReportError::File {
                line: 0,
                problem: PbProblem::NotANumber("x".into())
            })
        );
        assert_eq!(
            report_file(&[0xff, 0xfe]),
            Err(ReportError::File {
                line: 0,
                problem: PbProblem::Unreadable("not UTF-8 text".into())
            })
        );
        let scores = "META\nkey;value\nbudget;10\nvote_type;ordinal\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\na;1\n";
        assert_eq!(
            report_file(scores.as_bytes()),
            Err(ReportError::Ballots("ordinal"))
        );
    }
}
