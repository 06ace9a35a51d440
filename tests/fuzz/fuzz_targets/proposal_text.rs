//! An edit of a proposal's description, as a member's device signs it: the
//! signed record, then the Automerge change it carries, parsed and merged
//! as every device merges edits (`nabo_shared::budget::together::doc`),
//! and edited further as a helper's device would. The bytes are tried
//! both as a signed record and as a bare change. Only a panic outside the
//! fence the engine puts around Automerge, or running out of memory, is a
//! finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nabo_shared::budget::together::{doc, ProposalEdit};
use nabo_shared::guard::inside;
use nabo_shared::ids::ProposalId;
use nabo_shared::signed::Signed;

fn merge_and_edit(change: &[u8]) {
    let Some(parsed) = doc::parse(change) else {
        return;
    };
    let id = ProposalId::from_bytes([7; 16]);
    // Counted alone, then under nothing: both as every device would.
    for counts in [true, false] {
        if let Some(mut merged) = doc::merge(id, vec![(parsed.clone(), counts)]) {
            let heads = doc::heads_text(&merged.heads);
            let _ = doc::edit(&mut merged, &heads, "Bænke ved legepladsen");
        }
    }
}

fuzz_target!(
    init: {
        // libFuzzer's hook aborts on every panic; let the caught ones pass.
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !inside() {
                abort(info);
            }
        }));
    },
    |data: &[u8]| {
        if let Ok(edit) = Signed::<ProposalEdit>::open_bytes(data) {
            if edit.value.well_formed() {
                merge_and_edit(&edit.value.change);
            }
        }
        merge_and_edit(data);
    }
);
