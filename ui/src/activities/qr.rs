//! The coordinator's check-in screen: a QR code that changes every 30 s.

use std::time::Duration;

use leptos::prelude::*;
use nabo_shared::activities::CheckinQr as CheckinQrCommand;
use nabo_shared::ids::ActivityId;

use crate::api;
use crate::components::StatusArea;
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};
use crate::nav::{use_nav, Screen};

#[component]
pub fn CheckinQr(activity: ActivityId) -> impl IntoView {
    let i18n = use_i18n();
    let nav = use_nav();
    let rotation = RwSignal::new(0u32);
    let qr = LocalResource::new(move || {
        rotation.track();
        api::call(CheckinQrCommand { activity })
    });
    let now = RwSignal::new(js_sys::Date::now());
    let rotated_from = StoredValue::new(0i64);
    // Each second: update the countdown, and fetch a new code once the shown
    // one has expired (once per code).
    let tick = set_interval_with_handle(
        move || {
            let t = js_sys::Date::now();
            now.set(t);
            if let Some(Ok(expires)) = qr.get_untracked().map(|r| {
                r.map(|q| {
                    q.expires_at
                        .map(|t| t.timestamp_millis())
                        .unwrap_or(i64::MAX)
                })
            }) {
                if t as i64 >= expires && rotated_from.get_value() != expires {
                    rotated_from.set_value(expires);
                    rotation.update(|n| *n += 1);
                }
            }
        },
        Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(handle) = tick {
            handle.clear();
        }
    });
    let error = RwSignal::new(None);
    Effect::new(move |_| error.set(qr.get().and_then(|r| r.err())));
    let shown = Memo::new(move |_| qr.get().and_then(|r| r.ok()));
    let seconds = move || {
        shown
            .get()
            .and_then(|q| q.expires_at)
            .map(|expires| {
                ((expires.timestamp_millis() as f64 - now.get()) / 1000.0)
                    .ceil()
                    .max(0.0) as i64
            })
            .unwrap_or(0)
    };

    // Full screen: the code as large as the screen allows, for the big
    // screen in the community house. Escape or the button leaves it.
    let full = RwSignal::new(false);
    let toggle_full = move |_| {
        let on = !full.get_untracked();
        full.set(on);
        if let Some(root) = document().document_element() {
            if on {
                let _ = root.request_fullscreen();
            } else if document().fullscreen_element().is_some() {
                document().exit_fullscreen();
            }
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && full.get_untracked() {
            full.set(false);
        }
    };
    view! {
        <section class="qr-screen" class:fullscreen=move || full.get() on:keydown=on_key>
            <div class="screen-body">
            <h2>{move || shown.get().map(|q| i18n.t_with("qr-title", &[("title", q.title.into())])).unwrap_or_default()}</h2>
            <StatusArea error=error/>
            <div id="checkin-qr" class="qr"
                 data-code=move || shown.get().map(|q| q.text).unwrap_or_default()
                 inner_html=move || shown.get().map(|q| q.svg).unwrap_or_default()></div>
            <p class="countdown" aria-live="polite">{move || i18n.t_with("qr-rotates", &[("seconds", seconds().into())])}</p>
            <p class="help">{move || i18n.t("qr-help")}</p>
            <details>
                <summary>{move || i18n.t("qr-show-text")}</summary>
                <p class="sr-only">{move || i18n.t("qr-text-label")}</p>
                <code id="checkin-code" class="code-text">{move || shown.get().map(|q| q.text).unwrap_or_default()}</code>
            </details>
            </div>
            <div class="bottom-action">
                <button id="fullscreen-qr" class="secondary" on:click=toggle_full aria-pressed=move || full.get().to_string()>
                    <Ico icon=Icon::Expand/>
                    <span>{move || i18n.t(if full.get() { "qr-fullscreen-leave" } else { "qr-fullscreen" })}</span>
                </button>
                <button id="close-qr" class="primary wide" on:click=move |_| nav.0.set(Screen::Activities)>
                    <Ico icon=Icon::Back/><span>{move || i18n.t("close")}</span>
                </button>
            </div>
        </section>
    }
}
