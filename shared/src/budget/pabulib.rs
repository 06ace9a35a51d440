//! The pabulib `.pb` format: `META`, `PROJECTS` and `VOTES` sections of
//! `;`-separated rows with CSV quoting, each section's first row naming its
//! columns (<https://pabulib.org/format>).
//!
//! Real files are untidy, and each untidiness is handled on purpose: a
//! byte-order mark is dropped; empty lines are skipped; costs and budgets
//! may use a decimal comma; `None` or an empty field is an absent value; a
//! `num_votes` that does not match the rows is noted, the rows count; a
//! project named twice in one vote counts once and is noted; a `META` row
//! without a key is skipped. What cannot be
//! read (no cost, a project or vote without its id, a vote for a project not
//! listed, a project or voter listed twice, a row outside any section) is an
//! error naming its line.

use std::collections::BTreeSet;
use std::fmt;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::Signed as _;

/// A participatory-budgeting instance as a `.pb` file holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// The `META` rows, in file order (`budget` and `vote_type` among them).
    pub meta: Vec<(String, String)>,
    /// The `PROJECTS` columns after `project_id` and `cost`, in file order.
    pub project_columns: Vec<String>,
    /// The projects, in file order.
    pub projects: Vec<Project>,
    /// The `VOTES` columns after `voter_id` and `vote` (and `points` when the
    /// file has it), in file order: `voting_method` among them.
    pub vote_columns: Vec<String>,
    /// The votes, in file order.
    pub votes: Vec<Vote>,
    /// The budget, from `META`.
    pub budget: BigRational,
    /// What kind of ballots the votes are.
    pub vote_type: VoteType,
    /// What was read with a word of caution (a mismatched `num_votes`, a
    /// project twice in one vote), with its line.
    pub notes: Vec<Note>,
}

/// One project.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// Its id, as written.
    pub id: String,
    /// Its cost, exactly.
    pub cost: BigRational,
    /// The cost as written (kept so an export reads back identically).
    pub cost_text: String,
    /// The other columns' values, `None` for an absent one.
    pub fields: Vec<Option<String>>,
}

impl Project {
    /// The value of a column after `project_id` and `cost`, if present.
    pub fn field(&self, columns: &[String], name: &str) -> Option<&str> {
        let i = columns.iter().position(|c| c == name)?;
        self.fields.get(i)?.as_deref()
    }
}

/// One voter's ballot.
#[derive(Debug, Clone, PartialEq)]
pub struct Vote {
    /// The voter's id, as written.
    pub voter: String,
    /// The projects voted for, by index into [`Instance::projects`], each
    /// once, in the order written.
    pub projects: Vec<usize>,
    /// The points given to each (cumulative and scoring ballots), as
    /// written.
    pub points: Option<Vec<String>>,
    /// The other columns' values, `None` for an absent one.
    pub fields: Vec<Option<String>>,
}

/// The kind of ballots a file holds (`vote_type` in `META`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteType {
    /// A set of approved projects.
    Approval,
    /// Points spread over projects.
    Cumulative,
    /// A score per project.
    Scoring,
    /// A ranking.
    Ordinal,
}

impl VoteType {
    fn parse(text: &str) -> Option<Self> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "approval" => Self::Approval,
            "cumulative" => Self::Cumulative,
            "scoring" => Self::Scoring,
            "ordinal" => Self::Ordinal,
            _ => return None,
        })
    }

    /// As `META` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approval => "approval",
            Self::Cumulative => "cumulative",
            Self::Scoring => "scoring",
            Self::Ordinal => "ordinal",
        }
    }
}

/// Something read with a word of caution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The line (from 1).
    pub line: u64,
    /// What.
    pub what: NoteKind,
}

/// What a [`Note`] is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteKind {
    /// `num_votes` in `META` says one number, the file holds another.
    NumVotes {
        /// What `META` says.
        stated: String,
        /// How many votes there are.
        counted: usize,
    },
    /// `num_projects` in `META` says one number, the file holds another.
    NumProjects {
        /// What `META` says.
        stated: String,
        /// How many projects there are.
        counted: usize,
    },
    /// A vote names a project more than once; it counts once.
    Repeated {
        /// The voter.
        voter: String,
        /// The project.
        project: String,
    },
}

/// Why a file cannot be read, with the line (from 1) it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PbError {
    /// The line, or 0 for the file as a whole.
    pub line: u64,
    /// What is wrong.
    pub problem: PbProblem,
}

/// What is wrong with a `.pb` file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PbProblem {
    /// Not text a CSV reader can read (bad quoting, not UTF-8).
    #[error("not readable as ;-separated text: {0}")]
    Unreadable(String),
    /// A row before the first section.
    #[error("a row outside META, PROJECTS and VOTES")]
    OutsideSection,
    /// A section lacks a column it needs.
    #[error("the {section} section has no `{column}` column")]
    MissingColumn {
        /// The section.
        section: String,
        /// The column.
        column: String,
    },
    /// A section the file needs is missing.
    #[error("there is no {0} section")]
    MissingSection(String),
    /// A `META` key the file needs is missing.
    #[error("META has no `{0}`")]
    MissingMeta(String),
    /// A number (budget, cost) is not one.
    #[error("`{0}` is not a number of at least 0")]
    NotANumber(String),
    /// A project or a vote has no id.
    #[error("the row has no `{0}`")]
    NoId(String),
    /// A project is listed twice.
    #[error("project {0} is listed twice")]
    DuplicateProject(String),
    /// A voter is listed twice.
    #[error("voter {0} is listed twice")]
    DuplicateVoter(String),
    /// A vote names a project that is not listed.
    #[error("the vote names project {0}, which is not listed")]
    UnknownProject(String),
    /// A `vote_type` this reader does not know.
    #[error("unknown vote_type `{0}`")]
    UnknownVoteType(String),
    /// A row has more fields than its section has columns.
    #[error("the row has {found} fields, the section {expected} columns")]
    TooManyFields {
        /// The fields found.
        found: usize,
        /// The columns.
        expected: usize,
    },
    /// `points` lists a different number of values than `vote`.
    #[error("`points` has {points} values for {votes} projects")]
    PointsMismatch {
        /// The points.
        points: usize,
        /// The projects.
        votes: usize,
    },
}

impl fmt::Display for PbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "line {}: {}", self.line, self.problem)
        }
    }
}

impl std::error::Error for PbError {}

#[derive(Clone, Copy, PartialEq)]
enum Section {
    None,
    Meta,
    Projects,
    Votes,
}

/// An absent value: empty or `None`.
fn present(field: &str) -> Option<&str> {
    let t = field.trim();
    (!t.is_empty() && t != "None").then_some(t)
}

/// A number as pabulib writes it (`1234`, `1234.5`, `1234,5`), exactly.
pub fn parse_number(text: &str) -> Option<BigRational> {
    let t = text.trim().replace(',', ".");
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, f),
        None => (t.as_str(), ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && frac.is_empty() || !digits(whole) || !digits(frac) {
        return None;
    }
    let numer: BigInt = format!("{whole}{frac}").parse().ok()?;
    let denom = BigInt::from(10u8).pow(u32::try_from(frac.len()).ok()?);
    let n = BigRational::new(numer, denom);
    (!n.is_negative()).then_some(n)
}

/// Reads a `.pb` file.
pub fn parse(text: &str) -> Result<Instance, PbError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let err = |line: u64, problem| PbError { line, problem };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut section = Section::None;
    let mut header: Option<Vec<String>> = None;
    let mut meta: Vec<(String, String)> = Vec::new();
    let mut raw_projects: Vec<(u64, Vec<String>)> = Vec::new();
    let mut raw_votes: Vec<(u64, Vec<String>)> = Vec::new();
    let (mut project_header, mut vote_header) = (None, None);
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                return Err(err(line, PbProblem::Unreadable(e.to_string())));
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        let fields: Vec<String> = record.iter().map(str::to_owned).collect();
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if fields.len() == 1 {
            let name = fields[0].trim().to_ascii_uppercase();
            let next = match name.as_str() {
                "META" => Some(Section::Meta),
                "PROJECTS" => Some(Section::Projects),
                "VOTES" => Some(Section::Votes),
                _ => None,
            };
            if let Some(next) = next {
                section = next;
                header = None;
                continue;
            }
        }
        if section == Section::None {
            return Err(err(line, PbProblem::OutsideSection));
        }
        let Some(columns) = &header else {
            let columns: Vec<String> = fields.iter().map(|f| f.trim().to_owned()).collect();
            match section {
                Section::Projects => project_header = Some((line, columns.clone())),
                Section::Votes => vote_header = Some((line, columns.clone())),
                _ => {}
            }
            header = Some(columns);
            continue;
        };
        if fields.len() > columns.len() {
            return Err(err(
                line,
                PbProblem::TooManyFields {
                    found: fields.len(),
                    expected: columns.len(),
                },
            ));
        }
        match section {
            // A row without a key says nothing: skipped.
            Section::Meta if fields[0].trim().is_empty() => {}
            Section::Meta => {
                let value = fields.get(1).cloned().unwrap_or_default();
                meta.push((fields[0].trim().to_owned(), value));
            }
            Section::Projects => raw_projects.push((line, fields)),
            Section::Votes => raw_votes.push((line, fields)),
            Section::None => unreachable!("checked above"),
        }
    }

    let meta_value = |key: &str| {
        meta.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    };
    let budget_text =
        meta_value("budget").ok_or_else(|| err(0, PbProblem::MissingMeta("budget".into())))?;
    let budget = parse_number(budget_text)
        .ok_or_else(|| err(0, PbProblem::NotANumber(budget_text.to_owned())))?;
    let vote_type_text = meta_value("vote_type").unwrap_or("approval");
    let vote_type = VoteType::parse(vote_type_text)
        .ok_or_else(|| err(0, PbProblem::UnknownVoteType(vote_type_text.to_owned())))?;

    // Projects.
    let (p_line, p_columns) =
        project_header.ok_or_else(|| err(0, PbProblem::MissingSection("PROJECTS".into())))?;
    let col = |columns: &[String], name: &'static str, section: &'static str, line: u64| {
        columns.iter().position(|c| c == name).ok_or_else(|| {
            err(
                line,
                PbProblem::MissingColumn {
                    section: section.into(),
                    column: name.into(),
                },
            )
        })
    };
    let id_col = col(&p_columns, "project_id", "PROJECTS", p_line)?;
    let cost_col = col(&p_columns, "cost", "PROJECTS", p_line)?;
    let other = |columns: &[String], skip: &[usize]| -> Vec<usize> {
        (0..columns.len()).filter(|i| !skip.contains(i)).collect()
    };
    let p_other = other(&p_columns, &[id_col, cost_col]);
    let mut projects = Vec::with_capacity(raw_projects.len());
    let mut index = std::collections::HashMap::new();
    for (line, fields) in raw_projects {
        let get = |i: usize| fields.get(i).map(String::as_str).unwrap_or("");
        let id = get(id_col).trim().to_owned();
        if id.is_empty() {
            return Err(err(line, PbProblem::NoId("project_id".into())));
        }
        let cost_text = get(cost_col).trim().to_owned();
        let cost = parse_number(&cost_text)
            .ok_or_else(|| err(line, PbProblem::NotANumber(cost_text.clone())))?;
        if index.insert(id.clone(), projects.len()).is_some() {
            return Err(err(line, PbProblem::DuplicateProject(id)));
        }
        projects.push(Project {
            id,
            cost,
            cost_text,
            fields: p_other
                .iter()
                .map(|&i| present(get(i)).map(str::to_owned))
                .collect(),
        });
    }

    // Votes.
    let (v_line, v_columns) =
        vote_header.ok_or_else(|| err(0, PbProblem::MissingSection("VOTES".into())))?;
    let voter_col = col(&v_columns, "voter_id", "VOTES", v_line)?;
    let vote_col = col(&v_columns, "vote", "VOTES", v_line)?;
    let points_col = v_columns.iter().position(|c| c == "points");
    let mut skip = vec![voter_col, vote_col];
    skip.extend(points_col);
    let v_other = other(&v_columns, &skip);
    let mut notes = Vec::new();
    let mut votes = Vec::with_capacity(raw_votes.len());
    let mut voters = std::collections::HashSet::new();
    for (line, fields) in raw_votes {
        let get = |i: usize| fields.get(i).map(String::as_str).unwrap_or("");
        let voter = get(voter_col).trim().to_owned();
        if voter.is_empty() {
            return Err(err(line, PbProblem::NoId("voter_id".into())));
        }
        if !voters.insert(voter.clone()) {
            return Err(err(line, PbProblem::DuplicateVoter(voter)));
        }
        let mut seen = BTreeSet::new();
        let mut chosen = Vec::new();
        let listed: Vec<&str> = present(get(vote_col))
            .map(|v| v.split(',').map(str::trim).collect())
            .unwrap_or_default();
        for id in &listed {
            let &p = index
                .get(*id)
                .ok_or_else(|| err(line, PbProblem::UnknownProject((*id).to_owned())))?;
            if seen.insert(p) {
                chosen.push(p);
            } else {
                notes.push(Note {
                    line,
                    what: NoteKind::Repeated {
                        voter: voter.clone(),
                        project: (*id).to_owned(),
                    },
                });
            }
        }
        let points = match points_col.map(|i| present(get(i))) {
            Some(Some(p)) => {
                let p: Vec<String> = p.split(',').map(|s| s.trim().to_owned()).collect();
                if p.len() != listed.len() {
                    return Err(err(
                        line,
                        PbProblem::PointsMismatch {
                            points: p.len(),
                            votes: listed.len(),
                        },
                    ));
                }
                Some(p)
            }
            _ => None,
        };
        votes.push(Vote {
            voter,
            projects: chosen,
            points,
            fields: v_other
                .iter()
                .map(|&i| present(get(i)).map(str::to_owned))
                .collect(),
        });
    }
    for (key, counted, what) in [
        ("num_votes", votes.len(), 0),
        ("num_projects", projects.len(), 1),
    ] {
        if let Some(stated) = meta_value(key) {
            if stated.trim().parse::<usize>().ok() != Some(counted) {
                let stated = stated.to_owned();
                notes.push(Note {
                    line: 0,
                    what: if what == 0 {
                        NoteKind::NumVotes { stated, counted }
                    } else {
                        NoteKind::NumProjects { stated, counted }
                    },
                });
            }
        }
    }
    let names = |columns: &[String], keep: &[usize]| -> Vec<String> {
        keep.iter().map(|&i| columns[i].clone()).collect()
    };
    Ok(Instance {
        project_columns: names(&p_columns, &p_other),
        vote_columns: names(&v_columns, &v_other),
        meta,
        projects,
        votes,
        budget,
        vote_type,
        notes,
    })
}

/// Writes an instance as a `.pb` file: `META` as read, projects and votes
/// with their columns, so that [`parse`] reads it back identically.
pub fn write(instance: &Instance) -> String {
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let mut row = |fields: &[&str]| {
        out.write_record(fields).expect("writing to memory");
    };
    row(&["META"]);
    row(&["key", "value"]);
    for (k, v) in &instance.meta {
        row(&[k, v]);
    }
    row(&["PROJECTS"]);
    let mut header = vec!["project_id", "cost"];
    header.extend(instance.project_columns.iter().map(String::as_str));
    row(&header);
    for p in &instance.projects {
        let mut fields = vec![p.id.as_str(), p.cost_text.as_str()];
        fields.extend(p.fields.iter().map(|f| f.as_deref().unwrap_or("")));
        row(&fields);
    }
    row(&["VOTES"]);
    let has_points = instance.votes.iter().any(|v| v.points.is_some());
    let mut header = vec!["voter_id", "vote"];
    if has_points {
        header.push("points");
    }
    header.extend(instance.vote_columns.iter().map(String::as_str));
    row(&header);
    for v in &instance.votes {
        let vote = v
            .projects
            .iter()
            .map(|&p| instance.projects[p].id.as_str())
            .collect::<Vec<_>>()
            .join(",");
        let points = v.points.as_ref().map(|p| p.join(",")).unwrap_or_default();
        let mut fields = vec![v.voter.as_str(), vote.as_str()];
        if has_points {
            fields.push(points.as_str());
        }
        fields.extend(v.fields.iter().map(|f| f.as_deref().unwrap_or("")));
        row(&fields);
    }
    let bytes = out.into_inner().expect("writing to memory");
    String::from_utf8(bytes).expect("written from strings")
}

impl Instance {
    /// The value of a `META` key.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// The election the outcome rules compute: costs, budget and approval
    /// ballots. Refused for ballots that are not approvals.
    pub fn election(&self) -> Result<super::Election, super::RuleError> {
        if self.vote_type != VoteType::Approval {
            return Err(super::RuleError::NotApproval(self.vote_type.as_str()));
        }
        Ok(super::Election::new(
            self.budget.clone(),
            self.projects
                .iter()
                .map(|p| (p.id.clone(), p.cost.clone()))
                .collect(),
            self.votes.iter().map(|v| v.projects.clone()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An untidy file with each thing real ones do.
    const UNTIDY: &str = "\u{feff}META\nkey;value\ndescription;\"Grøn; og tryg\"\nnum_projects;4\nnum_votes;9\nbudget;1000,5\nvote_type;approval\n\nPROJECTS\nproject_id;cost;name;category\n1;500;\"Bænke; to\";None\n2;0;Gratis;\n3;600,25;Lys;Tryghed\n\nVOTES\nvoter_id;vote;voting_method\na;1,2;paper\nb;2,3,3;internet\nc;;\n";

    #[test]
    fn an_untidy_file_is_read_with_each_untidiness_handled() {
        let i = parse(UNTIDY).expect("readable");
        assert_eq!(i.meta("description"), Some("Grøn; og tryg"));
        assert_eq!(i.budget, parse_number("1000.5").unwrap());
        assert_eq!(i.projects.len(), 3);
        assert_eq!(
            i.projects[0].field(&i.project_columns, "name"),
            Some("Bænke; to")
        );
        assert_eq!(i.projects[0].field(&i.project_columns, "category"), None);
        assert!(i.projects[1].cost.is_integer() && i.projects[1].cost.to_integer() == 0.into());
        assert_eq!(
            i.projects[2].cost,
            BigRational::new(60025.into(), 100.into())
        );
        assert_eq!(i.votes[1].projects, vec![1, 2], "3 counts once");
        assert!(
            i.votes[2].projects.is_empty(),
            "an empty ballot is a ballot"
        );
        assert_eq!(i.votes[2].fields, vec![None]);
        assert_eq!(
            i.notes,
            vec![
                Note {
                    line: 18,
                    what: NoteKind::Repeated {
                        voter: "b".into(),
                        project: "3".into()
                    }
                },
                Note {
                    line: 0,
                    what: NoteKind::NumVotes {
                        stated: "9".into(),
                        counted: 3
                    }
                },
                Note {
                    line: 0,
                    what: NoteKind::NumProjects {
                        stated: "4".into(),
                        counted: 3
                    }
                },
            ]
        );
    }

    #[test]
    fn an_export_reads_back_identically_voting_method_included() {
        let i = parse(UNTIDY).unwrap();
        let written = write(&i);
        let again = parse(&written).unwrap();
        assert_eq!(again.meta, i.meta);
        assert_eq!(again.projects, i.projects);
        assert_eq!(again.votes, i.votes);
        assert_eq!(again.vote_columns, vec!["voting_method".to_owned()]);
        assert_eq!(again.votes[0].fields, vec![Some("paper".to_owned())]);
        assert_eq!(write(&again), written);
    }

    #[test]
    fn a_malformed_file_is_an_error_with_its_line() {
        let cases: [(&str, u64, PbProblem); 6] = [
            (
                "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;ti\nVOTES\nvoter_id;vote\n",
                6,
                PbProblem::NotANumber("ti".into()),
            ),
            (
                "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\na;1,7\n",
                9,
                PbProblem::UnknownProject("7".into()),
            ),
            (
                "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\n1;6\nVOTES\nvoter_id;vote\n",
                7,
                PbProblem::DuplicateProject("1".into()),
            ),
            (
                "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\na;1\na;1\n",
                10,
                PbProblem::DuplicateVoter("a".into()),
            ),
            (
                "budget;10\nMETA\n",
                1,
                PbProblem::OutsideSection,
            ),
            (
                "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5;x\n",
                6,
                PbProblem::TooManyFields {
                    found: 3,
                    expected: 2,
                },
            ),
        ];
        for (text, line, problem) in cases {
            assert_eq!(parse(text), Err(PbError { line, problem }), "{text}");
        }
        assert_eq!(
            parse("META\nkey;value\nPROJECTS\nproject_id;cost\n")
                .unwrap_err()
                .problem,
            PbProblem::MissingMeta("budget".into())
        );
        assert_eq!(
            parse("META\nkey;value\nbudget;1\nPROJECTS\nid;cost\n").unwrap_err(),
            PbError {
                line: 5,
                problem: PbProblem::MissingColumn {
                    section: "PROJECTS".into(),
                    column: "project_id".into()
                }
            }
        );
        assert!(
            parse("META\nkey;value\nbudget;\"10\n").is_err(),
            "open quote"
        );
        assert_eq!(
            parse("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote;x\n;1;None\n")
                .unwrap_err(),
            PbError {
                line: 9,
                problem: PbProblem::NoId("voter_id".into())
            }
        );
        assert_eq!(
            parse("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n ;5\n").unwrap_err(),
            PbError {
                line: 6,
                problem: PbProblem::NoId("project_id".into())
            }
        );
        // A META row without a key is skipped (it would not read back).
        let i = parse(
            "META\nkey;value\n;x\nbudget;10\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n",
        )
        .unwrap();
        assert_eq!(i.meta, vec![("budget".to_owned(), "10".to_owned())]);
    }

    #[test]
    fn ballots_that_are_not_approvals_are_read_and_refused_for_the_rules() {
        let text = "META\nkey;value\nbudget;10\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n1;5\n2;5\nVOTES\nvoter_id;vote;points\na;1,2;3,7\n";
        let i = parse(text).unwrap();
        assert_eq!(i.vote_type, VoteType::Cumulative);
        assert_eq!(i.votes[0].points, Some(vec!["3".into(), "7".into()]));
        assert_eq!(
            i.election().unwrap_err().to_string(),
            "the ballots are cumulative ballots; the rules count approval ballots only"
        );
        assert_eq!(parse(&write(&i)).unwrap(), i);
    }

    #[test]
    fn numbers_are_read_exactly_or_not_at_all() {
        assert_eq!(
            parse_number("12"),
            Some(BigRational::from_integer(12.into()))
        );
        assert_eq!(
            parse_number("0,1"),
            Some(BigRational::new(1.into(), 10.into()))
        );
        for bad in ["", ".", "-1", "1e3", "1.2.3", "abc", "1 000"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }
}
