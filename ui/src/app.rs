//! The shell: picks welcome or home, holds the current screen, the header
//! with the language switch, and the bottom tab bar (thumb reach).

use leptos::prelude::*;
use nabo_shared::api::Table;
use nabo_shared::community::{GetStatus, Lang, Profile};
use nabo_shared::review::ListReview;

use crate::api::{self, Store, SyncLive};
use crate::components::{Confirm, ConfirmHost, Toast, ToastHost};
use crate::i18n::{use_i18n, I18n};
use crate::icons::{Ico, Icon};
use crate::nav::{use_nav, Nav, ReviewCount, Screen, StatusRes};
use crate::{
    activities, budget, community, members, pool, review, rewards, rounds, settings, sync,
};

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n {
        lang: RwSignal::new(Lang::Da),
    };
    provide_context(i18n);
    let store = Store::listen();
    provide_context(store);
    provide_context(SyncLive::listen());
    Confirm::provide();
    Toast::provide();
    let status = LocalResource::new(move || {
        store.track(&[
            Table::Settings,
            Table::Communities,
            Table::Members,
            Table::JoinRequests,
            Table::DeviceLinks,
            Table::DeviceRetirements,
        ]);
        api::call(GetStatus)
    });
    provide_context(StatusRes(status));
    provide_context(Nav(RwSignal::new(Screen::Wallet)));

    // The chosen text size, applied as the window's zoom when it changes.
    let zoomed = StoredValue::new(100u16);
    Effect::new(move |_| {
        if let Some(Ok(s)) = status.get() {
            i18n.lang.set(s.lang);
            if s.text_size != zoomed.get_value() {
                zoomed.set_value(s.text_size);
                leptos::task::spawn_local(api::zoom(s.text_size));
            }
        }
    });
    // The page speaks the chosen language, in its direction.
    Effect::new(move |_| {
        let lang = i18n.lang.get();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.tag());
            let _ = html.set_attribute("dir", lang.dir());
        }
    });
    let profile = Memo::new(move |_| status.get().and_then(|r| r.ok()).and_then(|s| s.profile));
    let device = Memo::new(move |_| {
        status
            .get()
            .and_then(|r| r.ok())
            .map(|s| s.device)
            .unwrap_or_default()
    });
    let set_up = Memo::new(move |_| profile.get().is_some());
    let demo = Memo::new(move |_| status.get().and_then(|r| r.ok()).is_some_and(|s| s.demo));
    let text_size = Memo::new(move |_| {
        status
            .get()
            .and_then(|r| r.ok())
            .map_or(100, |s| s.text_size)
    });
    let failed = Memo::new(move |_| status.get().and_then(|r| r.err()));
    let loaded = Memo::new(move |_| status.get().is_some());

    // Once the first real screen is drawn (the status is in, and the browser
    // has painted it), the app is told: that is what start-up is timed to.
    Effect::new(move |told: Option<bool>| {
        if told == Some(true) || !loaded.get() {
            return told.unwrap_or(false);
        }
        request_animation_frame(|| leptos::task::spawn_local(api::ready()));
        true
    });
    // Only these memos decide the top-level view, so a status refetch that
    // changes nothing visible does not rebuild (and reset) the screens.
    view! {
        <ConfirmHost/>
        <ToastHost/>
        {move || match (loaded.get(), failed.get(), set_up.get()) {
            (false, _, _) => view! { <p class="loading">{move || i18n.t("working")}</p> }.into_any(),
            (_, Some(e), _) => view! { <p class="error" role="alert">{i18n.error(&e)}</p> }.into_any(),
            (_, None, false) => view! { <community::Welcome/> }.into_any(),
            (_, None, true) => view! { <Home profile=profile device=device demo=demo text_size=text_size/> }.into_any(),
        }}
    }
}

#[component]
fn Home(
    profile: Memo<Option<Profile>>,
    device: Memo<String>,
    demo: Memo<bool>,
    text_size: Memo<u16>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Nav(screen) = use_nav();
    // A new screen starts at its top, with focus on its heading (so a
    // screen reader says where the user is, and Tab goes on from there).
    Effect::new(move |first: Option<()>| {
        screen.track();
        if first.is_none() {
            return;
        }
        request_animation_frame(move || {
            window().scroll_to_with_x_and_y(0.0, 0.0);
            if let Some(heading) = document().query_selector("main h2").ok().flatten() {
                let _ = heading.set_attribute("tabindex", "-1");
                if let Ok(h) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(heading) {
                    let _ = h.focus();
                }
            }
        });
    });
    let is_coordinator = Memo::new(move |_| profile.get().is_some_and(|p| p.is_coordinator));
    let confirmed = Memo::new(move |_| profile.get().is_some_and(|p| p.confirmed));
    if is_coordinator.get_untracked() {
        screen.set(Screen::Activities);
    }
    // What waits in the review queue, for a coordinator: a badge on the
    // members tab, and the entry on the members screen.
    let store = api::use_store();
    let queue = LocalResource::new(move || {
        store.track(&review::TABLES);
        async move {
            if is_coordinator.get_untracked() {
                api::call(ListReview).await.map(|items| items.len())
            } else {
                Ok(0)
            }
        }
    });
    let waiting = Memo::new(move |_| queue.get().and_then(|r| r.ok()).unwrap_or(0));
    provide_context(ReviewCount(waiting));
    let no_badge = Memo::new(|_| 0);
    // Who takes payments scans more than check-in codes: the tab says so.
    let (_, takes) = crate::payments::standing();
    let scan_label = Signal::derive(move || {
        if takes.get() {
            "nav-scan-takes"
        } else {
            "nav-scan"
        }
    });
    let tab = move |target: Screen,
                    icon: Icon,
                    label: Signal<&'static str>,
                    id: &'static str,
                    badge: Memo<usize>| {
        let active = {
            let target = target.clone();
            move || {
                let current = screen.get();
                current == target
                    || matches!(
                        (&current, &target),
                        (
                            Screen::Editor(_) | Screen::Qr(_) | Screen::Attendance(..),
                            Screen::Activities
                        ) | (Screen::Review | Screen::MemberHistory(..), Screen::Members)
                    )
            }
        };
        view! {
            <button id=id class="tab" class:active=active.clone()
                    aria-current=move || if active() { "page" } else { "false" }
                    on:click=move |_| screen.set(target.clone())>
                <Ico icon=icon/>
                <span>{move || i18n.t(label.get())}</span>
                <Show when=move || { badge.get() > 0 }>
                    <span class="badge">{move || badge.get()}</span>
                    <span class="sr-only">{move || i18n.t_with("review-count", &[("count", badge.get().into())])}</span>
                </Show>
            </button>
        }
    };
    view! {
        <div class="app">
            <header class="topbar">
                <h1>{move || profile.get().map(|p| p.community_name).unwrap_or_default()}</h1>
                <Show when=move || demo.get()>
                    <span class="demo-badge">{move || i18n.t("demo-badge")}</span>
                </Show>
                <button id="open-settings" class="ghost icon-button" class:active=move || matches!(screen.get(), Screen::Settings | Screen::Budget | Screen::Rounds | Screen::Round(_) | Screen::Pool | Screen::Account)
                        aria-label=move || i18n.t("settings-title") title=move || i18n.t("settings-title")
                        on:click=move |_| screen.set(Screen::Settings)>
                    <Ico icon=Icon::Gear/>
                </button>
            </header>
            <Show when=move || demo.get()>
                <p class="banner demo" id="demo-banner">{move || i18n.t("demo-banner")}</p>
            </Show>
            <Show when=move || !confirmed.get()>
                <p class="banner" id="pending-banner">{move || i18n.t("pending-banner")}</p>
            </Show>
            <main class="content">
                {move || match screen.get() {
                    Screen::Wallet => view! { <rewards::Wallet/> }.into_any(),
                    Screen::Activities => view! { <activities::Activities coordinator=is_coordinator/> }.into_any(),
                    Screen::Editor(a) => view! { <activities::editor::Editor activity=a/> }.into_any(),
                    Screen::Qr(id) => view! { <activities::qr::CheckinQr activity=id/> }.into_any(),
                    Screen::Attendance(id, title) => view! { <activities::attendance::Attendance activity=id title=title/> }.into_any(),
                    Screen::MemberHistory(device, name) => view! { <rewards::MemberHistoryScreen device=device name=name/> }.into_any(),
                    Screen::Scan => view! { <activities::scan::Scan coordinator=is_coordinator/> }.into_any(),
                    Screen::Members => view! { <members::Members device=device/> }.into_any(),
                    Screen::Review => view! { <review::Review/> }.into_any(),
                    Screen::Sync => view! { <sync::Sync coordinator=is_coordinator/> }.into_any(),
                    Screen::Budget => view! { <budget::Budget/> }.into_any(),
                    Screen::Rounds => view! { <rounds::Rounds coordinator=is_coordinator/> }.into_any(),
                    Screen::Round(id) => view! { <rounds::RoundScreen id=id coordinator=is_coordinator/> }.into_any(),
                    Screen::Pool => view! { <pool::PoolScreen coordinator=is_coordinator/> }.into_any(),
                    Screen::Account => view! { <pool::AccountScreen coordinator=is_coordinator/> }.into_any(),
                    Screen::Settings => view! { <settings::Settings profile=profile device=device demo=demo text_size=text_size/> }.into_any(),
                }}
            </main>
            <nav class="tabbar" aria-label=move || i18n.t("app-name")>
                {tab(Screen::Wallet, Icon::Wallet, Signal::stored("nav-wallet"), "tab-wallet", no_badge)}
                {tab(Screen::Activities, Icon::Calendar, Signal::stored("nav-activities"), "tab-activities", no_badge)}
                {tab(Screen::Scan, Icon::Scan, scan_label, "tab-scan", no_badge)}
                <Show when=move || is_coordinator.get()>
                    {tab(Screen::Members, Icon::People, Signal::stored("nav-members"), "tab-members", waiting)}
                </Show>
                {tab(Screen::Sync, Icon::Swap, Signal::stored("nav-sync"), "tab-sync", no_badge)}
            </nav>
        </div>
    }
}
