//! A proposal's description written together: the proposer names helpers
//! from the member list, and the proposer and the helpers edit the text
//! from their own phones. What others wrote meanwhile is merged, not
//! overwritten: an edit names the text it began from.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use nabo_shared::api::ApiError;
use nabo_shared::budget::round::ProposalView;
use nabo_shared::budget::together::{
    EditProposalText, ListHelperChoices, SetProposalHelpers, MAX_HELPERS,
};
use nabo_shared::ids::ProposalId;

use crate::api;
use crate::components::use_toast;
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};

/// What is typed stays when a sync redraws the round: per proposal, the
/// text being written with where it began, and the helpers being chosen.
#[derive(Clone, Copy)]
pub struct TextDrafts {
    texts: RwSignal<HashMap<ProposalId, (String, Vec<String>)>>,
    writing: RwSignal<HashSet<ProposalId>>,
    helpers: RwSignal<HashMap<ProposalId, Vec<String>>>,
    choosing: RwSignal<HashSet<ProposalId>>,
}

impl TextDrafts {
    pub fn new() -> Self {
        Self {
            texts: RwSignal::new(HashMap::new()),
            writing: RwSignal::new(HashSet::new()),
            helpers: RwSignal::new(HashMap::new()),
            choosing: RwSignal::new(HashSet::new()),
        }
    }
}

/// Who writes the description with the proposer, the proposer's choice of
/// helpers, and the editor for the proposer and the helpers.
#[component]
pub fn WriteTogether(
    proposal: ProposalView,
    error: RwSignal<Option<ApiError>>,
    drafts: TextDrafts,
) -> impl IntoView {
    let i18n = use_i18n();
    let toast = use_toast();
    let id = proposal.id;
    let names = proposal
        .helpers
        .iter()
        .map(|h| h.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let has_helpers = !proposal.helpers.is_empty();
    let chosen: Vec<String> = proposal.helpers.iter().map(|h| h.device.clone()).collect();
    let writes = proposal.writes;
    let choose = proposal.mine && writes;
    let start = (proposal.description.clone(), proposal.text_base.clone());

    let text = {
        let start = start.clone();
        move || {
            drafts
                .texts
                .with(|t| t.get(&id).map(|(text, _)| text.clone()))
                .unwrap_or_else(|| start.0.clone())
        }
    };
    let typed = {
        let start = start.clone();
        move |value: String| {
            drafts.texts.update(|t| {
                // The text this edit began from is kept from the first key
                // pressed, whatever syncs meanwhile.
                t.entry(id).or_insert_with(|| start.clone()).0 = value;
            })
        }
    };
    let save_text = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let Some((text, base)) = drafts.texts.with_untracked(|t| t.get(&id).cloned()) else {
            drafts.writing.update(|w| {
                w.remove(&id);
            });
            return;
        };
        api::send(EditProposalText { id, base, text }, error, move |()| {
            drafts.texts.update(|t| {
                t.remove(&id);
            });
            drafts.writing.update(|w| {
                w.remove(&id);
            });
            toast.show(i18n.t("together-saved"));
        });
    };
    let cancel_text = move |_| {
        drafts.texts.update(|t| {
            t.remove(&id);
        });
        drafts.writing.update(|w| {
            w.remove(&id);
        });
    };

    let members = LocalResource::new(move || async move {
        if choose {
            api::call(ListHelperChoices).await
        } else {
            Ok(Vec::new())
        }
    });
    let picked = {
        let chosen = chosen.clone();
        move || {
            drafts
                .helpers
                .with(|h| h.get(&id).cloned())
                .unwrap_or_else(|| chosen.clone())
        }
    };
    let save_helpers = {
        let chosen = chosen.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            error.set(None);
            let helpers = drafts
                .helpers
                .with_untracked(|h| h.get(&id).cloned())
                .unwrap_or_else(|| chosen.clone());
            api::send(SetProposalHelpers { id, helpers }, error, move |()| {
                drafts.helpers.update(|h| {
                    h.remove(&id);
                });
                drafts.choosing.update(|c| {
                    c.remove(&id);
                });
                toast.show(i18n.t("together-helpers-saved"));
            });
        }
    };
    let text_id = format!("together-text-{id}");
    let help_id = format!("together-help-{id}");
    view! {
        <div class="together">
            {has_helpers.then(|| view! {
                <p class="together-helpers meta">{move || i18n.t_with("together-helpers", &[("names", names.clone().into())])}</p>
            })}
            {writes.then(|| view! {
                <details class="together-write" prop:open=move || drafts.writing.with(|w| w.contains(&id))
                         on:toggle=move |ev| {
                             let open = event_target::<web_sys::Element>(&ev).has_attribute("open");
                             drafts.writing.update(|w| { if open { w.insert(id); } else { w.remove(&id); } });
                         }>
                    <summary><Ico icon=Icon::Edit/><span>{move || i18n.t("together-write")}</span></summary>
                    <form class="form" on:submit=save_text novalidate>
                        <label for=text_id.clone()>{move || i18n.t("together-field-text")}</label>
                        <p class="help" id=help_id.clone()>{move || i18n.t("together-help")}</p>
                        <textarea id=text_id.clone() class="together-text" rows="6" maxlength="2000"
                                  aria-describedby=help_id.clone()
                                  prop:value=text on:input=move |ev| typed(event_target_value(&ev))></textarea>
                        <div class="row">
                            <button type="submit" class="primary together-save">
                                <Ico icon=Icon::Save/><span>{move || i18n.t("together-save")}</span>
                            </button>
                            <button type="button" class="ghost" on:click=cancel_text>{move || i18n.t("cancel")}</button>
                        </div>
                    </form>
                </details>
            })}
            {choose.then(|| view! {
                <details class="together-choose" prop:open=move || drafts.choosing.with(|c| c.contains(&id))
                         on:toggle=move |ev| {
                             let open = event_target::<web_sys::Element>(&ev).has_attribute("open");
                             drafts.choosing.update(|c| { if open { c.insert(id); } else { c.remove(&id); } });
                         }>
                    <summary><Ico icon=Icon::People/><span>{move || i18n.t("together-choose")}</span></summary>
                    <form class="form" on:submit=save_helpers novalidate>
                        <fieldset class="field">
                            <legend>{move || i18n.t("together-field-helpers")}</legend>
                            <p class="help">{move || i18n.t_with("together-helpers-help", &[("count", MAX_HELPERS.into())])}</p>
                            {move || {
                                let others = match members.get() {
                                    Some(Ok(others)) => others,
                                    Some(Err(e)) => {
                                        error.set(Some(e));
                                        Vec::new()
                                    }
                                    None => return view! { <p class="help">{move || i18n.t("working")}</p> }.into_any(),
                                };
                                if others.is_empty() {
                                    return view! { <p class="empty">{move || i18n.t("together-no-members")}</p> }.into_any();
                                }
                                others.into_iter().map(|m| {
                                    let dev = m.device.clone();
                                    let checked = {
                                        let dev = dev.clone();
                                        let picked = picked.clone();
                                        move || picked().contains(&dev)
                                    };
                                    let picked = picked.clone();
                                    view! {
                                        <label class="option">
                                            <input type="checkbox" class="together-helper" value=dev.clone() data-name=m.name.clone() prop:checked=checked
                                                   on:change=move |ev| {
                                                       let on = event_target_checked(&ev);
                                                       let mut now = picked();
                                                       now.retain(|d| *d != dev);
                                                       if on { now.push(dev.clone()); }
                                                       drafts.helpers.update(|h| { h.insert(id, now); });
                                                   }/>
                                            <span>{m.name.clone()}</span>
                                        </label>
                                    }
                                }).collect_view().into_any()
                            }}
                        </fieldset>
                        <button type="submit" class="secondary together-helpers-save">
                            <Ico icon=Icon::Save/><span>{move || i18n.t("together-helpers-save")}</span>
                        </button>
                    </form>
                </details>
            })}
        </div>
    }
}
