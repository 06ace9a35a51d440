//! Checking in: a picture of the code (the phone's camera opens for it) or
//! the code pasted as text. Verified offline by the engine.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::activities::{ScanImage, ScanOutcome, ScanText};
use nabo_shared::api::ApiError;
use nabo_shared::rewards::payments::PaymentWarning;

use crate::api;
use crate::components::{Note, StatusArea};
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};

#[component]
pub fn Scan(coordinator: Memo<bool>) -> impl IntoView {
    let i18n = use_i18n();
    // A partner or a coordinator scans payments and member cards too.
    let (_, takes) = crate::payments::standing();
    let said = move |plain: &'static str, taking: &'static str| {
        i18n.t(if takes.get() { taking } else { plain })
    };
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let outcome = RwSignal::new(None::<ScanOutcome>);
    let busy = RwSignal::new(false);
    // A card holder checked in at this device: their name and what it did.
    let checked = RwSignal::new(None::<(String, ScanOutcome)>);

    let done = move |result: Result<ScanOutcome, ApiError>| {
        checked.set(None);
        match result {
            Ok(o) => {
                outcome.set(Some(o));
                text.set(String::new());
            }
            Err(e) => error.set(Some(e)),
        }
        busy.set(false);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        outcome.set(None);
        busy.set(true);
        let code = text.get_untracked();
        spawn_local(async move { done(api::call(ScanText { text: code }).await) });
    };
    let picture = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        error.set(None);
        outcome.set(None);
        busy.set(true);
        spawn_local(async move {
            match api::send_chosen::<ScanImage>(&input).await {
                Some(result) => done(result),
                None => busy.set(false),
            }
        });
    };

    // What the scan did, in the member's words: which activity, how many
    // points, and what to do next; a repeat is calm news, not an error.
    let note = Signal::derive(move || {
        if busy.get() {
            return Some(Note::Working(i18n.t("scan-reading")));
        }
        let named = |activity: &str| (!activity.is_empty()).then(|| activity.to_owned());
        match checked.get() {
            Some((
                name,
                ScanOutcome::CheckedIn {
                    activity, reward, ..
                },
            )) => {
                return Some(Note::Done(i18n.t_with(
                    "card-checked-in",
                    &[
                        ("name", name.into()),
                        ("activity", activity.into()),
                        ("amount", reward.unwrap_or(0).into()),
                    ],
                )))
            }
            Some((name, ScanOutcome::AlreadyCheckedIn { activity })) => {
                return Some(Note::Notice(i18n.t_with(
                    "card-already",
                    &[("name", name.into()), ("activity", activity.into())],
                )))
            }
            _ => {}
        }
        Some(match outcome.get()? {
            ScanOutcome::CheckedIn {
                activity,
                needs_approval: true,
                ..
            } => Note::Done(match named(&activity) {
                Some(a) => i18n.t_with("scan-ok-poster", &[("activity", a.into())]),
                None => i18n.t("scan-ok-poster-unknown"),
            }),
            ScanOutcome::CheckedIn {
                activity, reward, ..
            } => Note::Done(match (named(&activity), reward) {
                (Some(a), Some(r)) => i18n.t_with(
                    "scan-ok",
                    &[("activity", a.into()), ("amount", i18n.plus(r))],
                ),
                (Some(a), None) => i18n.t_with("scan-ok-activity", &[("activity", a.into())]),
                (None, _) => i18n.t("scan-ok-unknown"),
            }),
            ScanOutcome::AlreadyCheckedIn { activity } => Note::Notice(match named(&activity) {
                Some(a) => i18n.t_with("scan-already", &[("activity", a.into())]),
                None => i18n.t("scan-already-unknown"),
            }),
            ScanOutcome::HubPaired { .. } => Note::Done(i18n.t("sync-paired")),
            // The card's panel below says whose it is.
            ScanOutcome::Card(_) => return None,
            // The panel below says what is asked.
            ScanOutcome::PaymentAsked(_) => return None,
            ScanOutcome::PaymentReceived(r) if r.again => Note::Notice(i18n.t_with(
                "scan-paid-again",
                &[("payer", r.payer.into()), ("amount", r.amount.into())],
            )),
            ScanOutcome::PaymentReceived(r) => {
                let paid = i18n.t_with(
                    "scan-paid",
                    &[
                        ("payer", r.payer.into()),
                        ("amount", r.amount.into()),
                        ("what", r.what.into()),
                    ],
                );
                match r.warning {
                    None => Note::Done(paid),
                    Some(PaymentWarning::NoStatement) => {
                        Note::Notice(format!("{paid} {}", i18n.t("scan-paid-no-statement")))
                    }
                    Some(PaymentWarning::OldStatement { days }) => Note::Notice(format!(
                        "{paid} {}",
                        i18n.t_with("scan-paid-old-statement", &[("days", days.into())])
                    )),
                }
            }
        })
    });
    let asked = move || match outcome.get() {
        Some(ScanOutcome::PaymentAsked(ask)) => Some(ask),
        _ => None,
    };
    let card = move || match outcome.get() {
        Some(ScanOutcome::Card(card)) => Some(card),
        _ => None,
    };
    view! {
        <section class="scan">
            <div class="screen-body">
            <h2>{move || said("scan-title", "scan-title-takes")}</h2>
            <p class="lead">{move || said("scan-help", "scan-help-takes")}</p>
            <StatusArea error=error message=note id="scan-result"/>
            {move || asked().map(|ask| view! { <crate::payments::PayPanel ask=ask error=error/> })}
            {move || card().map(|card| view! {
                <crate::cards::CardDesk card=card coordinator=coordinator.get_untracked() checked=checked error=error/>
            })}
            <form class="form" on:submit=submit>
                <label for="scan-text">{move || i18n.t("scan-paste-label")}</label>
                <textarea id="scan-text" rows="3" spellcheck="false"
                          placeholder=move || i18n.t("scan-paste-placeholder")
                          prop:value=move || text.get()
                          on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <button id="scan-submit" type="submit" class="ghost" disabled=move || busy.get()>
                    <Ico icon=Icon::Scan/><span>{move || said("scan-submit", "scan-submit-takes")}</span>
                </button>
            </form>
            </div>
            <div class="bottom-action">
                <label class="file-button primary wide">
                    <Ico icon=Icon::Camera/>
                    <span>{move || i18n.t("scan-picture")}</span>
                    <input id="scan-image" type="file" accept="image/*" capture="environment" on:change=picture/>
                </label>
            </div>
        </section>
    }
}
