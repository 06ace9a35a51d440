//! A proposal's description written together: the proposer names helpers,
//! and the proposer and the helpers edit one Automerge text from their own
//! phones, at the same time if they like; every device merges the same
//! edits into the same text.
//!
//! Each edit is one Automerge change, signed as a record of its own, so it
//! is kept like every other signed record (a delete or an overwrite of its
//! key takes nothing away) and judged on every device by the same rule.
//!
//! Who writes what, and what supersedes it:
//! - [`ProposalHelpers`]: the proposer (any key of theirs); the newest
//!   `updated_at` counts.
//! - [`ProposalEdit`]: the proposer or a helper the helpers in force name.
//!   Edits are never superseded: the text is the merge of every edit that
//!   counts. An edit of someone no longer named still counts when a counted
//!   edit builds on it, so taking a helper off the list never takes away
//!   text the others wrote on top of theirs.
//! - [`ReviewedText`]: coordinators, with each review: the text as the
//!   coordinator reviewed it. Ballots show that text, so an edit signed
//!   later (or with a clock set back) never reaches the ballot.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::crypto::MemberKey;
use crate::fields::{FieldProblem, MAX_TEXT};
use crate::ids::{CommunityId, ProposalId, RoundId};
use crate::signed::Record;

/// The most helpers a proposal names.
pub const MAX_HELPERS: usize = 10;
/// The largest edit accepted, as stored (one Automerge change: a whole new
/// description of [`MAX_TEXT`] characters fits many times over).
pub const MAX_EDIT_BYTES: usize = 32 * 1024;
/// The longest text a review keeps. Edits made at the same time can make
/// the merged text longer than one person may write.
pub const MAX_REVIEWED_TEXT: usize = 4 * MAX_TEXT;

/// The members who may edit a proposal's description, signed by its
/// proposer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalHelpers {
    /// The proposal.
    pub proposal: ProposalId,
    /// Its proposer's key (as the proposal names it).
    pub proposer: MemberKey,
    /// The community.
    pub community: CommunityId,
    /// The proposal's round.
    pub round: RoundId,
    /// The helpers: members' identity keys.
    pub helpers: Vec<MemberKey>,
    /// When this version was signed.
    pub updated_at: DateTime<Utc>,
}

impl Record for ProposalHelpers {
    const DOMAIN: &'static str = "nabo/proposal-helpers/v1";
}

impl ProposalHelpers {
    /// The first field out of bounds, if any.
    pub fn check(&self) -> Result<(), (&'static str, FieldProblem)> {
        let mut seen = self.helpers.clone();
        seen.sort_unstable();
        seen.dedup();
        if self.helpers.len() > MAX_HELPERS {
            return Err(("helpers", FieldProblem::TooLong));
        }
        if seen.len() != self.helpers.len() {
            return Err(("helpers", FieldProblem::Invalid));
        }
        Ok(())
    }
}

/// One edit of a proposal's description: an Automerge change, signed by
/// the member who made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalEdit {
    /// The proposal.
    pub proposal: ProposalId,
    /// Its proposer's key (as the proposal names it).
    pub proposer: MemberKey,
    /// The community.
    pub community: CommunityId,
    /// The proposal's round.
    pub round: RoundId,
    /// The change, as Automerge writes one change (uncompressed). One byte
    /// string, not a sequence of numbers.
    #[serde(with = "serde_bytes")]
    pub change: Vec<u8>,
    /// When the editor's device signed it.
    pub edited_at: DateTime<Utc>,
}

impl Record for ProposalEdit {
    const DOMAIN: &'static str = "nabo/proposal-edit/v1";
}

impl ProposalEdit {
    /// Whether the change is within the size allowed and is one plain,
    /// uncompressed Automerge change chunk, by its header alone (whether
    /// it decodes is for [`doc::parse`] where Automerge is at hand).
    pub fn well_formed(&self) -> bool {
        !self.change.is_empty()
            && self.change.len() <= MAX_EDIT_BYTES
            && self.change.get(8) == Some(&1)
            && crate::guard::plain_chunks(&self.change)
    }
}

/// The description as a coordinator reviewed it, signed with the review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewedText {
    /// The proposal.
    pub proposal: ProposalId,
    /// Its proposer's key.
    pub proposer: MemberKey,
    /// The community.
    pub community: CommunityId,
    /// The proposal's round.
    pub round: RoundId,
    /// The text.
    pub text: String,
    /// The `reviewed_at` of the review it goes with.
    pub reviewed_at: DateTime<Utc>,
}

impl Record for ReviewedText {
    const DOMAIN: &'static str = "nabo/reviewed-text/v1";
}

impl ReviewedText {
    /// Whether the text is within the length kept.
    pub fn well_formed(&self) -> bool {
        self.text.chars().count() <= MAX_REVIEWED_TEXT
    }
}

/// A helper as the proposal shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelperView {
    /// Their name.
    pub name: String,
    /// Their device fingerprint (as the member list names them).
    pub device: String,
}

/// → `()`: names the members who may edit one of this member's proposals'
/// description with them (in the ideas phase).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetProposalHelpers {
    /// The proposal.
    pub id: ProposalId,
    /// The helpers, by fingerprint as [`HelperView::device`] (or the member
    /// list) names them.
    pub helpers: Vec<String>,
}

/// → `()`: a new description of a proposal, by its proposer or a helper
/// (in the ideas phase). What changed since `base` is merged with what
/// others wrote meanwhile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditProposalText {
    /// The proposal.
    pub id: ProposalId,
    /// The text as it stood when the editor began ([`crate::budget::round::ProposalView::text_base`]).
    pub base: Vec<String>,
    /// The new description.
    pub text: String,
}

/// → `Vec<`[`HelperView`]`>`: the members this member may name as
/// helpers (everyone confirmed and not removed, but themselves), by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListHelperChoices;

crate::commands! {
    ListHelperChoices => "list_helper_choices" -> Vec<HelperView>;
    SetProposalHelpers => "set_proposal_helpers" -> ();
    EditProposalText => "edit_proposal_text" -> ();
}

/// Merging edits into one text with Automerge (devices only: the UI never
/// loads Automerge).
#[cfg(feature = "text")]
pub mod doc {
    use std::collections::{BTreeMap, BTreeSet};

    use automerge::transaction::{CommitOptions, Transactable};
    use automerge::{ActorId, AutoCommit, Change, ChangeHash, ObjId, ObjType, ReadDoc, ROOT};

    use crate::guard::{catching, plain_chunks};
    use crate::ids::ProposalId;

    /// Where the text sits in the document.
    const TEXT: &str = "description";

    /// The document every proposal's text starts from: the same change on
    /// every device (its actor is the proposal's id, its time zero), so
    /// edits made on different phones all work on one text.
    pub fn base(proposal: ProposalId) -> AutoCommit {
        let mut doc = AutoCommit::new().with_actor(ActorId::from(proposal.as_bytes()));
        doc.put_object(ROOT, TEXT, ObjType::Text)
            .expect("a new document takes a text");
        doc.commit_with(CommitOptions::default().with_time(0));
        doc
    }

    /// One change, from outside bytes: `None` unless they are exactly one
    /// plain, uncompressed change that Automerge decodes (inside the
    /// fence: a panic is a refusal).
    pub fn parse(bytes: &[u8]) -> Option<Change> {
        if bytes.get(8) != Some(&1) || !plain_chunks(bytes) {
            return None;
        }
        catching(|| Change::try_from(bytes).ok()).flatten()
    }

    /// The merged text of a proposal.
    pub struct Merged {
        /// The document, for further edits.
        pub doc: AutoCommit,
        /// The text.
        pub text: String,
        /// The heads the text stands at (an edit names them as its base).
        pub heads: Vec<ChangeHash>,
        /// How many edits are in it.
        pub edits: usize,
    }

    /// The text the edits make, from [`base`]: every edit whose `counts`
    /// is true, and every edit such an edit builds on. Edits that build on
    /// something missing wait, unseen. The same edits give the same text
    /// in any order. `None` if Automerge failed on them.
    pub fn merge(proposal: ProposalId, edits: Vec<(Change, bool)>) -> Option<Merged> {
        let mut by_hash: BTreeMap<ChangeHash, Change> = BTreeMap::new();
        let mut counted: BTreeSet<ChangeHash> = BTreeSet::new();
        for (change, counts) in edits {
            let hash = change.hash();
            if counts {
                counted.insert(hash);
            }
            by_hash.insert(hash, change);
        }
        let mut todo: Vec<ChangeHash> = counted.iter().copied().collect();
        while let Some(hash) = todo.pop() {
            for dep in by_hash[&hash].deps() {
                if by_hash.contains_key(dep) && counted.insert(*dep) {
                    todo.push(*dep);
                }
            }
        }
        catching(move || {
            let mut doc = base(proposal);
            let mut edits = 0;
            // One at a time, in the order of their hashes: a change
            // Automerge refuses (two changes of one actor with one number)
            // is left out alone, the same on every device.
            for hash in &counted {
                if doc.apply_changes([by_hash[hash].clone()]).is_ok() {
                    edits += 1;
                }
            }
            let text = text_object(&doc)
                .and_then(|obj| doc.text(&obj).ok())
                .unwrap_or_default();
            let heads = doc.get_heads();
            Merged {
                doc,
                text,
                heads,
                edits,
            }
        })
    }

    fn text_object(doc: &AutoCommit) -> Option<ObjId> {
        match doc.get(ROOT, TEXT).ok()?? {
            (automerge::Value::Object(ObjType::Text), obj) => Some(obj),
            _ => None,
        }
    }

    /// Why an edit could not be made.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum EditProblem {
        /// The text it began from is not in this device's merge (a heads
        /// string that is no hash, or edits this device no longer counts).
        Stale,
        /// The document holds no text (someone replaced it).
        NoText,
    }

    /// The change that turns the text as it stood at `base` into `text`,
    /// as bytes to sign; `None` when nothing changes. The merge then keeps
    /// both this change and whatever others wrote since `base`.
    pub fn edit(
        merged: &mut Merged,
        base: &[String],
        text: &str,
    ) -> Result<Option<Vec<u8>>, EditProblem> {
        let heads = base
            .iter()
            .map(|h| h.parse::<ChangeHash>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| EditProblem::Stale)?;
        if heads.is_empty() {
            return Err(EditProblem::Stale);
        }
        let mut fork = merged.doc.fork_at(&heads).map_err(|_| EditProblem::Stale)?;
        fork.set_actor(ActorId::random());
        let obj = text_object(&fork).ok_or(EditProblem::NoText)?;
        if fork.text(&obj).ok().as_deref() == Some(text) {
            return Ok(None);
        }
        fork.update_text(&obj, text)
            .map_err(|_| EditProblem::NoText)?;
        if fork
            .commit_with(CommitOptions::default().with_time(0))
            .is_none()
        {
            return Ok(None);
        }
        Ok(fork.get_last_local_change().map(|c| c.raw_bytes().to_vec()))
    }

    /// Hashes as the view carries them.
    pub fn heads_text(heads: &[ChangeHash]) -> Vec<String> {
        heads.iter().map(ToString::to_string).collect()
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn id() -> ProposalId {
            ProposalId::from_bytes([7; 16])
        }

        #[test]
        fn the_base_is_the_same_everywhere() {
            assert_eq!(base(id()).get_heads(), base(id()).get_heads());
            assert_ne!(
                base(id()).get_heads(),
                base(ProposalId::from_bytes([8; 16])).get_heads()
            );
        }

        #[test]
        fn two_edits_from_one_text_both_stay() {
            let mut m = merge(id(), Vec::new()).unwrap();
            let start = heads_text(&m.heads);
            let first = edit(&mut m, &start, "Bænke ved legepladsen.")
                .unwrap()
                .unwrap();
            let first = parse(&first).unwrap();
            let mut m = merge(id(), vec![(first.clone(), true)]).unwrap();
            assert_eq!(m.text, "Bænke ved legepladsen.");
            let at = heads_text(&m.heads);
            let hers = edit(&mut m, &at, "To bænke ved legepladsen.")
                .unwrap()
                .unwrap();
            let his = edit(&mut m, &at, "Bænke ved legepladsen, i skyggen.")
                .unwrap()
                .unwrap();
            let edits = vec![
                (first, true),
                (parse(&his).unwrap(), true),
                (parse(&hers).unwrap(), true),
            ];
            let mut reversed = edits.clone();
            reversed.reverse();
            let m = merge(id(), edits).unwrap();
            assert_eq!(m.text, "To bænke ved legepladsen, i skyggen.");
            assert_eq!(m.text, merge(id(), reversed).unwrap().text);
        }

        #[test]
        fn an_edit_that_does_not_count_is_kept_only_under_one_that_does() {
            let mut m = merge(id(), Vec::new()).unwrap();
            let start = heads_text(&m.heads);
            let helper =
                parse(&edit(&mut m, &start, "Hjælperens tekst").unwrap().unwrap()).unwrap();
            let alone = merge(id(), vec![(helper.clone(), false)]).unwrap();
            assert_eq!(alone.text, "");
            let mut m = merge(id(), vec![(helper.clone(), true)]).unwrap();
            let at = heads_text(&m.heads);
            let on_top = parse(
                &edit(&mut m, &at, "Hjælperens tekst, rettet")
                    .unwrap()
                    .unwrap(),
            )
            .unwrap();
            let m = merge(id(), vec![(helper, false), (on_top, true)]).unwrap();
            assert_eq!(m.text, "Hjælperens tekst, rettet");
        }

        proptest::proptest! {
            /// Edits made on several phones, each adding words to the text
            /// as it stood after some of the earlier ones, some by someone
            /// whose edits no longer count: every order they arrive in
            /// gives the same text, and the words of every counted edit
            /// are in it, whole.
            #[test]
            fn every_order_of_the_same_edits_gives_the_same_text(
                steps in proptest::collection::vec(
                    (0usize..8, "[a-zæø]{1,6} ", proptest::bool::weighted(0.8)),
                    1..7,
                ),
                turn in 0usize..7,
            ) {
                let mut edits: Vec<(Change, bool)> = Vec::new();
                let mut words: Vec<(String, bool)> = Vec::new();
                for (seen, added, counts) in steps {
                    // This phone has the first `seen` edits.
                    let known = edits[..seen.min(edits.len())]
                        .iter()
                        .map(|(c, _)| (c.clone(), true))
                        .collect();
                    let mut m = merge(id(), known).unwrap();
                    let at = heads_text(&m.heads);
                    let new = format!("{}{added}", m.text);
                    let bytes = edit(&mut m, &at, &new).unwrap().unwrap();
                    edits.push((parse(&bytes).unwrap(), counts));
                    words.push((added, counts));
                }
                let first = merge(id(), edits.clone()).unwrap();
                let mut reversed = edits.clone();
                reversed.reverse();
                let mut turned = edits.clone();
                turned.rotate_left(turn % edits.len());
                let back = merge(id(), reversed).unwrap();
                let round = merge(id(), turned).unwrap();
                proptest::prop_assert_eq!(&first.text, &back.text);
                proptest::prop_assert_eq!(&first.text, &round.text);
                proptest::prop_assert_eq!(&first.heads, &back.heads);
                for (added, counts) in &words {
                    if *counts {
                        proptest::prop_assert!(
                            first.text.contains(added.as_str()),
                            "{:?} in {:?}",
                            added,
                            first.text
                        );
                    }
                }
            }
        }

        #[test]
        fn bad_bases_and_bytes_are_refused() {
            let mut m = merge(id(), Vec::new()).unwrap();
            assert_eq!(edit(&mut m, &[], "x"), Err(EditProblem::Stale));
            assert_eq!(edit(&mut m, &["zz".into()], "x"), Err(EditProblem::Stale));
            let other = heads_text(&base(ProposalId::from_bytes([9; 16])).get_heads());
            assert_eq!(edit(&mut m, &other, "x"), Err(EditProblem::Stale));
            let start = heads_text(&m.heads);
            assert_eq!(edit(&mut m, &start, ""), Ok(None));
            let good = edit(&mut m, &start, "tekst").unwrap().unwrap();
            assert!(parse(&good).is_some());
            assert!(parse(&good[..good.len() - 1]).is_none());
            let mut twice = good.clone();
            twice.extend_from_slice(&good);
            assert!(parse(&twice).is_none());
            assert!(parse(b"not automerge").is_none());
        }
    }
}
