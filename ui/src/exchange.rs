//! Moving changes between devices with a file, until they meet on the
//! network: save a file here, open it on the other device.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::api::{ApiError, Table};
use nabo_shared::exchange::{ExportResult, ExportSyncFile, ImportResult, ImportSyncFile};
use nabo_shared::members::{ListMembers, Role};

use crate::api::{self, use_store};
use crate::components::StatusArea;
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};

#[component]
pub fn Exchange(coordinator: Memo<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<ApiError>);
    let exported = RwSignal::new(None::<ExportResult>);
    let imported = RwSignal::new(None::<ImportResult>);
    let busy = RwSignal::new(false);
    // A coordinator writes a file for someone: a member (only what their
    // phone may hold) or the coordinators. Everyone else writes for the
    // coordinators.
    let store = use_store();
    let members = LocalResource::new(move || {
        store.track(&[
            Table::Members,
            Table::JoinRequests,
            Table::Revocations,
            Table::Reinstatements,
        ]);
        let coordinator = coordinator.get();
        async move {
            if coordinator {
                api::call(ListMembers).await
            } else {
                Ok(Vec::new())
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Err(e)) = members.get() {
            error.set(Some(e))
        }
    });
    let to = RwSignal::new(String::new());

    let export = move |_| {
        error.set(None);
        imported.set(None);
        busy.set(true);
        let to = Some(to.get_untracked()).filter(|t| !t.is_empty());
        spawn_local(async move {
            match api::call(ExportSyncFile { to }).await {
                Ok(r) => exported.set(Some(r)),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let import = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        error.set(None);
        exported.set(None);
        busy.set(true);
        spawn_local(async move {
            match api::send_chosen::<ImportSyncFile>(&input).await {
                Some(Ok(r)) => imported.set(Some(r)),
                Some(Err(e)) => error.set(Some(e)),
                None => {}
            }
            busy.set(false);
        });
    };

    view! {
        <section class="exchange">
            <h2>{move || i18n.t("exchange-title")}</h2>
            <p class="lead">{move || i18n.t("exchange-help")}</p>
            <StatusArea error=error/>
            <Show when=move || busy.get()>
                <p class="working" role="status">{move || i18n.t("working")}</p>
            </Show>
            <Show when=move || exported.with(Option::is_some)>
                <div class="success" role="status">
                    <p>{move || i18n.t("exchange-exported")}</p>
                    <p id="export-path" class="code-text">{move || exported.get().map(|r| r.path).unwrap_or_default()}</p>
                    <p class="meta">{move || exported.get().map(|r| i18n.t_with("exchange-exported-detail", &[
                        ("documents", r.documents.into()),
                        ("kb", r.bytes.div_ceil(1024).into()),
                    ])).unwrap_or_default()}</p>
                </div>
            </Show>
            <Show when=move || imported.with(Option::is_some)>
                <div id="import-result" class="success" role="status">
                    <p>{move || imported.get().map(|r| i18n.t_with("exchange-imported", &[("documents", r.documents_changed.into())])).unwrap_or_default()}</p>
                    <Show when=move || coordinator.get()>
                        <p>{move || imported.get().map(|r| i18n.t_with("exchange-imported-coordinator", &[
                            ("members", r.members_confirmed.into()),
                            ("rewards", r.rewards_issued.into()),
                            ("capped", r.capped.into()),
                        ])).unwrap_or_default()}</p>
                    </Show>
                    <Show when=move || imported.get().is_some_and(|r| r.refused_documents > 0)>
                        <p>{move || imported.get().map(|r| i18n.t_with("exchange-imported-refused", &[
                            ("documents", r.refused_documents.into()),
                        ])).unwrap_or_default()}</p>
                    </Show>
                </div>
            </Show>
            <Show when=move || coordinator.get()>
                <label for="export-to">{move || i18n.t("exchange-to")}</label>
                <select id="export-to" on:change=move |ev| to.set(event_target_value(&ev))>
                    <option value="">{move || i18n.t("exchange-to-coordinators")}</option>
                    {move || members.get().and_then(Result::ok).unwrap_or_default().into_iter().filter(|m| !m.revoked && m.role != Role::Coordinator).map(|m| view! {
                        <option value=m.device.clone()>{m.name.clone()}</option>
                    }).collect_view()}
                </select>
            </Show>
            <div class="bottom-action stack">
                <button id="export-button" class="primary wide" on:click=export disabled=move || busy.get()>
                    <Ico icon=Icon::Save/><span>{move || i18n.t("exchange-export")}</span>
                </button>
                <label class="file-button wide">
                    <Ico icon=Icon::Open/>
                    <span>{move || i18n.t("exchange-import")}</span>
                    <input id="import-file" type="file" accept=".nabo,application/octet-stream" on:change=import/>
                </label>
            </div>
        </section>
    }
}
