//! `nabo pb FILE.pb [--rule mes|mes-plain|greedy] [--tie-break
//! cost-votes|pabutools] [--lot ID,ID,...] [--explain]`: the outcome of a
//! pabulib instance, for researchers and for checking Nabo against
//! pabutools. `--lot` gives the order of a lot drawn for ties the
//! `cost-votes` order leaves (first wins).
//!
//! Prints the funded project ids one per line, in the order the rule funded
//! them, then the total cost. `--explain` prints each round before that.
//! An unresolved tie is reported on standard error.

use std::fmt::Write as _;

use nabo_shared::budget::{
    decimal,
    greedy::{self, Step as GreedyStep},
    mes::{self, Step as MesStep},
    pabulib, Election, Outcome, TieBreak,
};

/// Which outcome to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The Method of Equal Shares, Add1 completion, then greedy.
    Mes,
    /// The Method of Equal Shares alone.
    MesPlain,
    /// Greedy by votes.
    Greedy,
}

/// What `nabo pb` was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    /// The file.
    pub file: std::path::PathBuf,
    /// The rule.
    pub rule: Rule,
    /// The tie-break order.
    pub tie: TieBreak,
    /// Whether to print the rounds.
    pub explain: bool,
}

/// The usage line.
pub const USAGE: &str = "usage: nabo pb FILE.pb [--rule mes|mes-plain|greedy] \
                         [--tie-break cost-votes|pabutools] [--lot ID,ID,...] [--explain]";

impl Args {
    /// Reads the arguments after `pb`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut file = None;
        let mut rule = Rule::Mes;
        let mut tie = TieBreak::default();
        let mut lot: Option<Vec<String>> = None;
        let mut explain = false;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
                _ => (arg.clone(), None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or(format!("{name} needs a value\n{USAGE}"))
            };
            match name.as_str() {
                "--rule" => {
                    rule = match value()?.as_str() {
                        "mes" => Rule::Mes,
                        "mes-plain" => Rule::MesPlain,
                        "greedy" => Rule::Greedy,
                        other => return Err(format!("unknown rule `{other}`\n{USAGE}")),
                    }
                }
                "--tie-break" => {
                    tie = match value()?.as_str() {
                        "cost-votes" => TieBreak::default(),
                        "pabutools" => TieBreak::ProjectId,
                        other => return Err(format!("unknown tie-break `{other}`\n{USAGE}")),
                    }
                }
                "--lot" => lot = Some(value()?.split(',').map(|id| id.trim().to_owned()).collect()),
                "--explain" => explain = true,
                flag if flag.starts_with("--") => {
                    return Err(format!("unknown option `{flag}`\n{USAGE}"))
                }
                _ if file.is_none() => file = Some(std::path::PathBuf::from(arg)),
                _ => return Err(format!("one file at a time\n{USAGE}")),
            }
        }
        if let Some(lot) = lot {
            if tie == TieBreak::ProjectId {
                return Err(format!("--lot goes with --tie-break cost-votes\n{USAGE}"));
            }
            tie = TieBreak::CostVotes { lot };
        }
        Ok(Self {
            file: file.ok_or_else(|| USAGE.to_owned())?,
            rule,
            tie,
            explain,
        })
    }
}

/// What to print: the report on standard output, warnings on standard
/// error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Standard output.
    pub out: String,
    /// Standard error.
    pub err: String,
}

/// Computes the outcome. An unreadable file or ballots the rules do not
/// count are an error to print.
pub fn run(args: &Args) -> Result<Report, String> {
    let bytes = std::fs::read(&args.file)
        .map_err(|e| format!("{}: cannot read it: {e}", args.file.display()))?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text", args.file.display()))?;
    let instance = pabulib::parse(&text).map_err(|e| format!("{}: {e}", args.file.display()))?;
    let e = instance
        .election()
        .map_err(|err| format!("{}: {err}", args.file.display()))?;
    let mut out = String::new();
    let outcome = match args.rule {
        Rule::Greedy => {
            let (outcome, steps) = greedy::greedy(&e, &args.tie);
            if args.explain {
                explain_greedy(&e, &steps, &mut out);
            }
            outcome
        }
        Rule::MesPlain => {
            let run = mes::mes(&e, &args.tie);
            if args.explain {
                explain_mes(&e, &run, &mut out);
            }
            run.outcome
        }
        Rule::Mes => {
            let done = mes::mes_add1(&e, &args.tie);
            if args.explain {
                let _ = writeln!(
                    out,
                    "# Add1: {} per-voter shares tried; settled on {}",
                    done.tries,
                    decimal(&done.mes.share)
                );
                explain_mes(&e, &done.mes, &mut out);
                let _ = writeln!(out, "# then greedy by votes");
                explain_greedy(&e, &done.greedy, &mut out);
            }
            done.outcome
        }
    };
    print_outcome(&e, &outcome, &mut out);
    let mut err = String::new();
    for note in &instance.notes {
        let _ = writeln!(err, "note: {}", note_text(note));
    }
    for tie in &outcome.ties {
        let ids: Vec<&str> = tie
            .among
            .iter()
            .map(|&p| e.projects[p].0.as_str())
            .collect();
        let _ = writeln!(
            err,
            "unresolved tie among {}: went on with {} (the lowest id); draw a lot",
            ids.join(", "),
            ids[0]
        );
    }
    Ok(Report { out, err })
}

fn note_text(note: &pabulib::Note) -> String {
    let at = if note.line == 0 {
        String::new()
    } else {
        format!("line {}: ", note.line)
    };
    match &note.what {
        pabulib::NoteKind::NumVotes { stated, counted } => {
            format!("{at}num_votes says {stated}, the file has {counted} votes")
        }
        pabulib::NoteKind::NumProjects { stated, counted } => {
            format!("{at}num_projects says {stated}, the file has {counted} projects")
        }
        pabulib::NoteKind::Repeated { voter, project } => {
            format!("{at}voter {voter} names project {project} twice; it counts once")
        }
    }
}

fn print_outcome(e: &Election, outcome: &Outcome, out: &mut String) {
    for &p in &outcome.selected {
        let _ = writeln!(out, "{}", e.projects[p].0);
    }
    let _ = writeln!(out, "{}", decimal(&outcome.cost));
}

/// A project as the explanation names it: id, cost and votes.
fn named(e: &Election, p: usize) -> String {
    format!(
        "{} (cost {}, {} votes)",
        e.projects[p].0,
        decimal(e.cost(p)),
        e.votes[p]
    )
}

fn explain_mes(e: &Election, run: &mes::Run, out: &mut String) {
    for step in &run.steps {
        let _ = match step {
            MesStep::Funded {
                project,
                payment,
                paid_in_full,
                paid_all_left,
            } => writeln!(
                out,
                "# funded {}: {paid_in_full} supporters paid {} each, \
                 {paid_all_left} paid all they had left",
                named(e, *project),
                decimal(payment),
            ),
            MesStep::Unaffordable { project, left } => writeln!(
                out,
                "# skipped {}: its supporters had only {} left",
                named(e, *project),
                decimal(left)
            ),
        };
    }
}

fn explain_greedy(e: &Election, steps: &[GreedyStep], out: &mut String) {
    for step in steps {
        let _ = match step {
            GreedyStep::Funded { project, left } => {
                writeln!(
                    out,
                    "# funded {}, {} left",
                    named(e, *project),
                    decimal(left)
                )
            }
            GreedyStep::TooDear { project, left } => writeln!(
                out,
                "# skipped {}: only {} left",
                named(e, *project),
                decimal(left)
            ),
        };
    }
}
