//! The app's own components and formatting, shared by every screen.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::api::ApiError;
use nabo_shared::community::{Lang, SetLanguage};

use crate::api;
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};

/// A date and time in the viewer's local time, e.g. "22.11. 18:05".
pub fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.timestamp_millis() as f64));
    format!(
        "{:02}.{:02}.{} {:02}:{:02}",
        d.get_date(),
        d.get_month() + 1,
        d.get_full_year(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The language button: shows the other language's name.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let toggle = move |_| {
        let next = match i18n.lang.get_untracked() {
            Lang::Da => Lang::En,
            Lang::En => Lang::Da,
        };
        i18n.lang.set(next);
        spawn_local(async move {
            if let Err(e) = api::call(SetLanguage { lang: next }).await {
                leptos::logging::warn!("language not saved: {e}");
            }
        });
    };
    view! {
        <button id="lang-switch" class="ghost" on:click=toggle title=move || i18n.t("lang-switch-label")>
            <Ico icon=Icon::Globe/>
            <span>{move || i18n.t("lang-switch")}</span>
        </button>
    }
}

/// Shows an error (translated) when there is one.
#[component]
pub fn ErrorBox(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || error.with(Option::is_some)>
            <p class="error" role="alert">{move || error.get().map(|e| i18n.error(&e)).unwrap_or_default()}</p>
        </Show>
    }
}
