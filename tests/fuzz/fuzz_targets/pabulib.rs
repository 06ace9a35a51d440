//! A pabulib `.pb` file, as imported: read it, write it back and read that
//! again (the same instance), and compute the outcomes that always finish
//! (greedy, and the Method of Equal Shares without completion).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nabo_shared::budget::{greedy, mes, pabulib, TieBreak};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(instance) = pabulib::parse(text) else {
        return;
    };
    let again = pabulib::parse(&pabulib::write(&instance)).expect("an export reads back");
    assert_eq!(again.projects, instance.projects);
    assert_eq!(again.votes, instance.votes);
    assert_eq!(again.meta, instance.meta);
    if let Ok(e) = instance.election() {
        if e.projects.len() <= 64 && e.groups.len() <= 256 {
            let _ = greedy::greedy(&e, &TieBreak::ProjectId);
            let _ = mes::mes(&e, &TieBreak::default());
        }
    }
});
