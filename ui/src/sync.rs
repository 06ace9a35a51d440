//! Sync at the community house: this device's hub (on/off, pairing QR),
//! paired hubs with "sync now", live progress, the devices synced with, and
//! the file route below for when there is no network.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::activities::{ScanImage, ScanOutcome};
use nabo_shared::api::{ApiError, Table};
use nabo_shared::sync::{
    ForgetHub, GetSyncStatus, PairHub, SetHub, SyncNow, SyncPhase, SyncProblem, SyncProgress,
    SyncSummary, SyncTotals,
};

use crate::api::{self, use_store, SyncLive};
use crate::components::{use_confirm, CopyShare, Field, Note, StatusArea};
use crate::exchange::Exchange;
use crate::i18n::{use_i18n, I18n};
use crate::icons::{Ico, Icon};

/// A sync problem in words, short, for a list; the status area has the
/// full message with what to do next.
fn problem_text(i18n: I18n, problem: SyncProblem) -> String {
    match problem {
        SyncProblem::RefusedByPeer {
            reason: nabo_shared::sync::Refusal::Revoked,
        } => i18n.t("sync-list-revoked"),
        SyncProblem::RefusedByPeer {
            reason: nabo_shared::sync::Refusal::Retired,
        } => i18n.t("sync-list-retired"),
        _ => i18n.error(&ApiError::SyncFailed { problem }),
    }
}

/// What a device's last sync brought, in the coordinator's list of
/// devices: news received and what this device approved for it.
fn brought_text(i18n: I18n, totals: &SyncTotals) -> String {
    let news = i18n.t_with("sync-peer-news", &[("count", totals.records_in.into())]);
    if totals.issued > 0 {
        format!(
            "{news} · {}",
            i18n.t_with("sync-peer-issued", &[("count", totals.issued.into())])
        )
    } else {
        news
    }
}

/// What a sync meant for the member, in their words.
fn summary_text(i18n: I18n, s: &SyncSummary) -> String {
    let mut parts = vec![i18n.t("sync-finished")];
    if s.confirmed_now {
        parts.push(i18n.t("sync-summary-confirmed"));
    }
    if s.points_in > 0 {
        parts.push(i18n.t_with(
            "sync-summary-points",
            &[("points", i18n.number(s.points_in as f64).into())],
        ));
    }
    if s.new_activities > 0 {
        parts.push(i18n.t_with(
            "sync-summary-activities",
            &[("count", s.new_activities.into())],
        ));
    }
    if parts.len() == 1 {
        parts.push(i18n.t(if s.sent {
            "sync-summary-sent"
        } else {
            "sync-summary-nothing"
        }));
    }
    parts.join(" ")
}

/// The other device, as the member knows it.
fn peer_name(i18n: I18n, p: &SyncProgress) -> String {
    match &p.name {
        Some(name) => i18n.t_with("sync-device-of", &[("name", name.clone().into())]),
        None => i18n.t("sync-house-computer"),
    }
}

fn progress_text(i18n: I18n, p: &SyncProgress) -> String {
    let who = peer_name(i18n, p);
    match &p.phase {
        SyncPhase::Connecting => i18n.t_with("sync-connecting", &[("peer", who.into())]),
        SyncPhase::Syncing { .. } => i18n.t_with("sync-syncing", &[("peer", who.into())]),
        SyncPhase::Done { .. } => i18n.t_with("sync-done", &[("peer", who.into())]),
        SyncPhase::Failed { problem } => format!(
            "{} {}",
            i18n.t_with("sync-failed", &[("peer", who.into())]),
            problem_text(i18n, *problem)
        ),
    }
}

#[component]
pub fn Sync(coordinator: Memo<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let SyncLive(live) = expect_context::<SyncLive>();
    let status = LocalResource::new(move || {
        store.track(&[Table::Sync, Table::Members, Table::JoinRequests]);
        api::call(GetSyncStatus)
    });
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        if let Some(Err(e)) = status.get() {
            error.set(Some(e))
        }
    });
    let view_of = Memo::new(move |_| status.get().and_then(|r| r.ok()));
    let hub = Memo::new(move |_| view_of.get().and_then(|s| s.hub));
    let hubs = Memo::new(move |_| view_of.get().map(|s| s.hubs).unwrap_or_default());
    let peers = Memo::new(move |_| view_of.get().map(|s| s.peers).unwrap_or_default());
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<SyncSummary>);
    let code = RwSignal::new(String::new());
    let paired = RwSignal::new(false);

    let sync_now = move |_| {
        error.set(None);
        result.set(None);
        paired.set(false);
        busy.set(true);
        spawn_local(async move {
            match api::call(SyncNow).await {
                Ok(t) => result.set(Some(t)),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let toggle_hub = move |_| {
        error.set(None);
        let on = hub.get_untracked().is_none();
        spawn_local(async move {
            if let Err(e) = api::call(SetHub { on }).await {
                error.set(Some(e));
            }
            status.refetch();
        });
    };
    let pair = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        result.set(None);
        paired.set(false);
        let text = code.get_untracked();
        api::send(PairHub { code: text }, error, move |_| {
            code.set(String::new());
            paired.set(true);
        });
    };
    let pair_picture = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        error.set(None);
        result.set(None);
        paired.set(false);
        spawn_local(async move {
            match api::send_chosen::<ScanImage>(&input).await {
                Some(Ok(ScanOutcome::HubPaired { .. })) => paired.set(true),
                Some(Ok(_)) => error.set(Some(ApiError::WrongKindOfCode {
                    found: nabo_shared::codes::CodeKind::Checkin,
                })),
                Some(Err(e)) => error.set(Some(e)),
                None => {}
            }
        });
    };
    let confirm = use_confirm();
    let forget = move |key: String| {
        confirm.ask(
            i18n.t("sync-forget-title"),
            i18n.t("sync-forget-confirm"),
            i18n.t("sync-forget"),
            move || {
                let key = key.clone();
                spawn_local(async move {
                    if let Err(e) = api::call(ForgetHub { hub: key }).await {
                        error.set(Some(e));
                    }
                });
            },
        );
    };

    // The hub card: first for a coordinator (running the hub is their job),
    // after the paired hubs for everyone else.
    let hub_card = move || {
        view! {
            <div class="card">
                <h3>{move || i18n.t("sync-hub-title")}</h3>
                <p class="help">{move || i18n.t("sync-hub-help-coordinator")}</p>
                <button id="hub-toggle" class="primary" on:click=toggle_hub>
                    {move || if hub.with(Option::is_some) { i18n.t("sync-hub-stop") } else { i18n.t("sync-hub-start") }}
                </button>
                <Show when=move || hub.with(Option::is_some)>
                    <div id="hub-qr" class="qr"
                         data-code=move || hub.get().map(|h| h.qr.text).unwrap_or_default()
                         inner_html=move || hub.get().map(|h| h.qr.svg).unwrap_or_default()></div>
                    <p class="meta">{move || i18n.t("sync-short-code")}</p>
                    <p id="hub-short-code" class="code-text big-code" dir="ltr">{move || hub.get().map(|h| h.short_code).unwrap_or_default()}</p>
                    <CopyShare id="hub-code" text=Signal::derive(move || hub.get().map(|h| h.short_code).unwrap_or_default())
                               title=Signal::derive(move || i18n.t("sync-hub-title"))/>
                    <p class="meta">{move || i18n.t_with("sync-hub-connected", &[("count", hub.get().map(|h| h.connected).unwrap_or(0).into())])}</p>
                </Show>
            </div>

        }
    };
    // One message at a time: the sync under way, what it brought, or
    // that a hub was added.
    let note = Signal::derive(move || {
        if busy.get() {
            let text = live
                .get()
                .map(|p| progress_text(i18n, &p))
                .unwrap_or_else(|| i18n.t("sync-starting"));
            return Some(Note::Working(text));
        }
        if let Some(summary) = result.get() {
            return Some(Note::Done(summary_text(i18n, &summary)));
        }
        paired.get().then(|| Note::Done(i18n.t("sync-paired")))
    });
    view! {
        <section class="sync">
            <h2>{move || i18n.t("sync-title")}</h2>
            <p class="lead">{move || i18n.t(if coordinator.get() { "sync-help-coordinator" } else { "sync-help" })}</p>
            <StatusArea error=error message=note fields=&["code"] id="sync-result"/>

            {move || coordinator.get().then(hub_card)}
            <div class="card">
                <h3>{move || i18n.t(if coordinator.get() { "sync-hubs-coordinator" } else { "sync-hubs" })}</h3>
                <Show when=move || hubs.with(Vec::is_empty)>
                    <p class="empty">{move || i18n.t("sync-no-hubs")}</p>
                </Show>
                <ul class="hub-list" id="hub-list">
                    {move || hubs.get().into_iter().map(|h| {
                        let key = h.key_id.clone();
                        view! {
                            <li class="hub">
                                <span class="member-name">{h.name.clone().map(|n| i18n.t_with("sync-device-of", &[("name", n.into())])).unwrap_or_else(|| i18n.t("sync-house-computer"))}</span>
                                <span class="meta code-text" dir="ltr">{h.short_code.clone()}</span>
                                <span class="meta">{match (h.last_error, h.last_sync) {
                                    (Some(p), Some(t)) => format!("{} {}",
                                        problem_text(i18n, p),
                                        i18n.t_with("sync-last", &[("time", i18n.datetime(t).into())])),
                                    (Some(p), None) => problem_text(i18n, p),
                                    (None, Some(t)) => i18n.t_with("sync-last", &[("time", i18n.datetime(t).into())]),
                                    (None, None) => i18n.t("sync-never"),
                                }}</span>
                                <button class="ghost small" on:click=move |_| forget(key.clone())>
                                    {move || i18n.t("sync-forget")}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <Show when=move || !hubs.with(Vec::is_empty)>
                    <button id="sync-now" class="primary wide" on:click=sync_now disabled=move || busy.get()>
                        <Ico icon=Icon::Swap/><span>{move || i18n.t("sync-now")}</span>
                    </button>
                </Show>
                <form class="stack" on:submit=pair>
                    <Field id="hub-code" label="sync-pair-label" field="code" error=error help="sync-pair-help">
                        <input id="hub-code" type="text" autocomplete="off" spellcheck="false" dir="ltr"
                               prop:value=move || code.get()
                               on:input=move |ev| code.set(event_target_value(&ev))/>
                    </Field>
                    <button id="pair-hub" type="submit" class="secondary"
                            disabled=move || code.with(|c| c.trim().is_empty())>
                        {move || i18n.t("sync-pair")}
                    </button>
                    <label class="file-button">
                        <Ico icon=Icon::Camera/>
                        <span>{move || i18n.t("sync-pair-picture")}</span>
                        <input type="file" accept="image/*" capture="environment" on:change=pair_picture/>
                    </label>
                </form>
                <Show when=move || paired.get()>
                    <p id="hub-paired" class="meta">{move || i18n.t("sync-paired-short")}</p>
                </Show>
            </div>

            <Show when=move || coordinator.get() || !peers.with(Vec::is_empty)>
            <div class="card">
                <h3>{move || i18n.t(if coordinator.get() { "sync-peers" } else { "sync-peers-resident" })}</h3>
                <Show when=move || peers.with(Vec::is_empty)>
                    <p class="empty">{move || i18n.t("sync-no-peers")}</p>
                </Show>
                <ul class="peer-list" id="peer-list">
                    {move || peers.get().into_iter().map(|p| {
                        let name = p.name.clone().unwrap_or_else(|| p.device.clone());
                        let detail = match (p.last_error, p.last_sync) {
                            (Some(e), _) => problem_text(i18n, e),
                            (None, Some(t)) => format!("{} · {}",
                                i18n.t_with("sync-last", &[("time", i18n.datetime(t).into())]),
                                brought_text(i18n, &p.last_totals)),
                            (None, None) => i18n.t("sync-never"),
                        };
                        view! {
                            <li class="peer">
                                <span class="member-name">{name}</span>
                                <span class="meta">{detail}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
            </Show>

            <div class="files">
                <Exchange coordinator=coordinator/>
            </div>
        </section>
    }
}
