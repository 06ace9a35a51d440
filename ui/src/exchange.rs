//! Moving changes between devices with a file, until they meet on the
//! network: save a file here, open it on the other device.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::api::ApiError;
use nabo_shared::exchange::{ExportResult, ExportSyncFile, ImportResult, ImportSyncFile};

use crate::api;
use crate::components::ErrorBox;
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};

#[component]
pub fn Exchange(coordinator: Memo<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<ApiError>);
    let exported = RwSignal::new(None::<ExportResult>);
    let imported = RwSignal::new(None::<ImportResult>);
    let busy = RwSignal::new(false);

    let export = move |_| {
        error.set(None);
        imported.set(None);
        busy.set(true);
        spawn_local(async move {
            match api::call(ExportSyncFile).await {
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
            match api::read_file(&input).await {
                Some(Ok(bytes)) => match api::upload::<ImportSyncFile>(&bytes).await {
                    Ok(r) => imported.set(Some(r)),
                    Err(e) => error.set(Some(e)),
                },
                Some(Err(e)) => error.set(Some(e)),
                None => {}
            }
            input.set_value("");
            busy.set(false);
        });
    };

    view! {
        <section class="exchange">
            <h2>{move || i18n.t("exchange-title")}</h2>
            <p class="lead">{move || i18n.t("exchange-help")}</p>
            <ErrorBox error=error/>
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
                </div>
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
