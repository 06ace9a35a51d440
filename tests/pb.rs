//! The neighbourhood budget's outcomes against pabutools on two real
//! pabulib instances (Amsterdam 621 and Warszawa 2026, in `../shared/pabulib`
//! beside the project, with pabutools' lists in `expected.json`), through the
//! library and through the real `nabo pb` command.
//!
//! Those files are not in the project: without `../shared` (a fresh clone
//! on its own) the tests that need them say loudly that they were skipped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use nabo_shared::budget::{decimal, greedy, mes, pabulib, Election, Outcome, TieBreak};

const AMSTERDAM: &str = "Netherlands_Amsterdam_621.pb";
const WARSZAWA: &str = "Poland_Warszawa_2026.pb";

/// `../shared/pabulib`, or `None` (said loudly) when it is not there.
fn pabulib_dir(test: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/pabulib");
    if dir.join("expected.json").exists() {
        Some(dir)
    } else {
        eprintln!(
            "\n*** SKIPPED {test}: {} is absent (the pabulib instances live beside the \
             project, not in it) ***\n",
            dir.display()
        );
        None
    }
}

fn expected(dir: &Path, file: &str, call: &str) -> Result<BTreeSet<String>> {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json"))?)?;
    let list = json[file][call]["selected"]
        .as_array()
        .with_context(|| format!("expected.json has no {file} / {call}"))?;
    Ok(list
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect())
}

fn election(dir: &Path, file: &str) -> Result<Election> {
    let text = std::fs::read_to_string(dir.join(file))?;
    Ok(pabulib::parse(&text)?.election()?)
}

fn ids(e: &Election, o: &Outcome) -> BTreeSet<String> {
    o.selected
        .iter()
        .map(|&p| e.projects[p].0.clone())
        .collect()
}

/// Checks what an outcome promises whatever the rule: within the budget,
/// each project once, the cost its projects' sum.
fn sound(e: &Election, o: &Outcome) {
    assert!(o.cost <= e.budget, "over the budget");
    assert_eq!(o.cost, e.total_cost(&o.selected));
    let unique: BTreeSet<_> = o.selected.iter().collect();
    assert_eq!(unique.len(), o.selected.len(), "a project twice");
}

#[test]
fn amsterdam_greedy_by_votes_matches_pabutools() -> Result<()> {
    let Some(dir) = pabulib_dir("amsterdam_greedy_by_votes_matches_pabutools") else {
        return Ok(());
    };
    let e = election(&dir, AMSTERDAM)?;
    let (outcome, _) = greedy::greedy(&e, &TieBreak::ProjectId);
    sound(&e, &outcome);
    assert_eq!(
        ids(&e, &outcome),
        expected(&dir, AMSTERDAM, "greedy_by_votes")?
    );
    Ok(())
}

#[test]
fn amsterdam_equal_shares_with_add1_then_greedy_matches_pabutools() -> Result<()> {
    let Some(dir) = pabulib_dir("amsterdam_equal_shares_with_add1_then_greedy_matches_pabutools")
    else {
        return Ok(());
    };
    let e = election(&dir, AMSTERDAM)?;
    let done = mes::mes_add1(&e, &TieBreak::ProjectId);
    sound(&e, &done.outcome);
    assert!(done.outcome.ties.is_empty());
    assert_eq!(
        ids(&e, &done.outcome),
        expected(&dir, AMSTERDAM, "mes_add1_then_greedy")?
    );
    // MES alone never spends more than the voters' shares.
    assert!(done.mes.outcome.cost <= e.budget);
    Ok(())
}

#[test]
fn warszawa_equal_shares_exactly_matches_pabutools() -> Result<()> {
    let Some(dir) = pabulib_dir("warszawa_equal_shares_exactly_matches_pabutools") else {
        return Ok(());
    };
    let e = election(&dir, WARSZAWA)?;
    assert_eq!(e.voters, 61_668);
    assert!(
        e.groups.len() < 61_668,
        "identical ballots are merged: {}",
        e.groups.len()
    );
    let run = mes::mes(&e, &TieBreak::ProjectId);
    sound(&e, &run.outcome);
    assert_eq!(
        ids(&e, &run.outcome),
        expected(&dir, WARSZAWA, "mes_no_completion")?
    );
    // The fast pass and exact arithmetic alone agree, step for step.
    let exact = mes::mes_exact(&e, &TieBreak::ProjectId, &run.share);
    assert_eq!(exact.outcome, run.outcome);
    Ok(())
}

#[test]
fn warszawa_equal_shares_with_add1_then_greedy_matches_pabutools() -> Result<()> {
    let Some(dir) = pabulib_dir("warszawa_equal_shares_with_add1_then_greedy_matches_pabutools")
    else {
        return Ok(());
    };
    let e = election(&dir, WARSZAWA)?;
    let done = mes::mes_add1(&e, &TieBreak::ProjectId);
    sound(&e, &done.outcome);
    assert_eq!(
        ids(&e, &done.outcome),
        expected(&dir, WARSZAWA, "mes_increment1_then_greedy")?
    );
    Ok(())
}

#[test]
fn the_real_instances_export_and_read_back_identically() -> Result<()> {
    let Some(dir) = pabulib_dir("the_real_instances_export_and_read_back_identically") else {
        return Ok(());
    };
    for file in [AMSTERDAM, WARSZAWA] {
        let read = pabulib::parse(&std::fs::read_to_string(dir.join(file))?)?;
        let again = pabulib::parse(&pabulib::write(&read))?;
        assert_eq!(again.meta, read.meta, "{file}");
        assert_eq!(again.projects, read.projects, "{file}");
        assert_eq!(again.votes, read.votes, "{file}");
    }
    let warszawa = pabulib::parse(&std::fs::read_to_string(dir.join(WARSZAWA))?)?;
    let methods: BTreeSet<_> = warszawa
        .votes
        .iter()
        .filter_map(|v| {
            v.fields[warszawa
                .vote_columns
                .iter()
                .position(|c| c == "voting_method")?]
            .clone()
        })
        .collect();
    assert!(methods.contains("internet"), "{methods:?}");
    Ok(())
}

/// Runs the app's binary as `nabo pb ARGS`.
fn nabo_pb(args: &[&str]) -> Result<(i32, String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_nabo"))
        .arg("pb")
        .args(args)
        .output()?;
    Ok((
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout)?,
        String::from_utf8(out.stderr)?,
    ))
}

#[test]
fn the_pb_command_prints_the_funded_ids_and_the_total() -> Result<()> {
    let Some(dir) = pabulib_dir("the_pb_command_prints_the_funded_ids_and_the_total") else {
        return Ok(());
    };
    let file = dir.join(AMSTERDAM);
    let file = file.to_str().context("path")?;
    let e = election(&dir, AMSTERDAM)?;
    for (rule, call) in [
        ("greedy", "greedy_by_votes"),
        ("mes", "mes_add1_then_greedy"),
    ] {
        let (code, out, err) = nabo_pb(&[file, "--rule", rule, "--tie-break", "pabutools"])?;
        assert_eq!(code, 0, "{err}");
        let mut lines: Vec<&str> = out.lines().collect();
        let total = lines.pop().context("a total")?;
        let want = expected(&dir, AMSTERDAM, call)?;
        let got: BTreeSet<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        assert_eq!(got, want, "{rule}");
        assert_eq!(lines.len(), want.len(), "each id once");
        let index: Vec<usize> = lines
            .iter()
            .map(|id| e.projects.iter().position(|(p, _)| p == id).unwrap())
            .collect();
        assert_eq!(total, decimal(&e.total_cost(&index)));
    }
    // --explain says what each supporter paid and why a project was left.
    let (code, out, _) = nabo_pb(&[file, "--explain", "--tie-break=pabutools"])?;
    assert_eq!(code, 0);
    assert!(out.contains("supporters paid"), "{out}");
    assert!(out.contains("# skipped"), "{out}");
    assert!(out.lines().next().unwrap_or("").starts_with("# Add1: "));
    Ok(())
}

#[test]
fn the_pb_command_names_the_line_of_a_broken_file_and_refuses_other_ballots() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let broken = dir.path().join("broken.pb");
    std::fs::write(
        &broken,
        "META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost\n1;50\n2;fifty\nVOTES\nvoter_id;vote\n",
    )?;
    let (code, out, err) = nabo_pb(&[broken.to_str().context("path")?])?;
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.contains("line 7: `fifty` is not a number"), "{err}");

    let scores = dir.path().join("scores.pb");
    std::fs::write(
        &scores,
        "META\nkey;value\nbudget;100\nvote_type;scoring\nPROJECTS\nproject_id;cost\n1;50\nVOTES\nvoter_id;vote;points\na;1;5\n",
    )?;
    let (code, _, err) = nabo_pb(&[scores.to_str().context("path")?])?;
    assert_eq!(code, 1);
    assert!(err.contains("scoring ballots"), "{err}");

    let (code, _, err) = nabo_pb(&[dir.path().join("none.pb").to_str().context("path")?])?;
    assert_eq!(code, 1);
    assert!(err.contains("cannot read it"), "{err}");
    let (code, _, err) = nabo_pb(&["--rule", "dictator", "x.pb"])?;
    assert_eq!(code, 2);
    assert!(err.contains("unknown rule `dictator`"), "{err}");

    // A tie the default order cannot settle is said, not hidden.
    let tied = dir.path().join("tied.pb");
    std::fs::write(
        &tied,
        "META\nkey;value\nbudget;50\nPROJECTS\nproject_id;cost\nA;50\nB;50\nVOTES\nvoter_id;vote\nx;A\ny;B\n",
    )?;
    let (code, out, err) = nabo_pb(&[tied.to_str().context("path")?, "--rule", "greedy"])?;
    assert_eq!((code, out.as_str()), (0, "A\n50\n"));
    assert!(err.contains("unresolved tie among A, B"), "{err}");
    // A lot drawn settles it, silently.
    let (code, out, err) = nabo_pb(&[
        tied.to_str().context("path")?,
        "--rule",
        "greedy",
        "--lot",
        "B,A",
    ])?;
    assert_eq!((code, out.as_str(), err.as_str()), (0, "B\n50\n", ""));
    Ok(())
}
