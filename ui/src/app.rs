//! The shell: picks welcome or home, holds the current screen, the header
//! with the language switch, and the bottom tab bar (thumb reach).

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::api::{ActivityView, ApiError, Lang, Profile, Status};
use nabo_shared::ids::ActivityId;

use crate::api::{self, Store, SyncLive};
use crate::i18n::{use_i18n, I18n};
use crate::icons::{Ico, Icon};
use crate::screens;

/// Which screen is showing.
#[derive(Clone, PartialEq)]
pub enum Screen {
    Wallet,
    Activities,
    Editor(Option<ActivityView>),
    Qr(ActivityId),
    Scan,
    Members,
    Sync,
}

/// The device status, shared so any screen can refresh it.
#[derive(Clone, Copy)]
pub struct StatusRes(pub LocalResource<Result<Status, ApiError>>);

/// The current screen, shared so screens can navigate.
#[derive(Clone, Copy)]
pub struct Nav(pub RwSignal<Screen>);

pub fn use_nav() -> Nav {
    expect_context::<Nav>()
}

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n {
        lang: RwSignal::new(Lang::Da),
    };
    provide_context(i18n);
    let store = Store::listen();
    provide_context(store);
    provide_context(SyncLive::listen());
    let status = LocalResource::new(move || {
        store.track(&["settings", "communities", "members", "join_requests"]);
        api::status()
    });
    provide_context(StatusRes(status));
    provide_context(Nav(RwSignal::new(Screen::Wallet)));

    Effect::new(move |_| {
        if let Some(Ok(s)) = status.get() {
            i18n.lang.set(s.lang);
            let html = document().document_element();
            if let Some(html) = html {
                let _ = html.set_attribute("lang", s.lang.tag());
            }
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
    let failed = Memo::new(move |_| status.get().and_then(|r| r.err()));
    let loaded = Memo::new(move |_| status.get().is_some());

    // Only these memos decide the top-level view, so a status refetch that
    // changes nothing visible does not rebuild (and reset) the screens.
    view! {
        {move || match (loaded.get(), failed.get(), set_up.get()) {
            (false, _, _) => view! { <p class="loading">{move || i18n.t("working")}</p> }.into_any(),
            (_, Some(e), _) => view! { <p class="error" role="alert">{i18n.error(&e)}</p> }.into_any(),
            (_, None, false) => view! { <screens::welcome::Welcome/> }.into_any(),
            (_, None, true) => view! { <Home profile=profile device=device/> }.into_any(),
        }}
    }
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
            if let Err(e) = api::set_language(next).await {
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

#[component]
fn Home(profile: Memo<Option<Profile>>, device: Memo<String>) -> impl IntoView {
    let i18n = use_i18n();
    let Nav(screen) = use_nav();
    let is_coordinator = Memo::new(move |_| profile.get().is_some_and(|p| p.is_coordinator));
    let confirmed = Memo::new(move |_| profile.get().is_some_and(|p| p.confirmed));
    if is_coordinator.get_untracked() {
        screen.set(Screen::Activities);
    }
    let tab = move |target: Screen, icon: Icon, label: &'static str, id: &'static str| {
        let active = {
            let target = target.clone();
            move || {
                let current = screen.get();
                current == target
                    || matches!(
                        (&current, &target),
                        (Screen::Editor(_) | Screen::Qr(_), Screen::Activities)
                    )
            }
        };
        view! {
            <button id=id class="tab" class:active=active.clone()
                    aria-current=move || if active() { "page" } else { "false" }
                    on:click=move |_| screen.set(target.clone())>
                <Ico icon=icon/>
                <span>{move || i18n.t(label)}</span>
            </button>
        }
    };
    view! {
        <div class="app">
            <header class="topbar">
                <h1>{move || profile.get().map(|p| p.community_name).unwrap_or_default()}</h1>
                <LangSwitch/>
            </header>
            <Show when=move || !confirmed.get()>
                <p class="banner" id="pending-banner">{move || i18n.t("pending-banner")}</p>
            </Show>
            <main class="content">
                {move || match screen.get() {
                    Screen::Wallet => view! { <screens::wallet::Wallet/> }.into_any(),
                    Screen::Activities => view! { <screens::activities::Activities coordinator=is_coordinator/> }.into_any(),
                    Screen::Editor(a) => view! { <screens::editor::Editor activity=a/> }.into_any(),
                    Screen::Qr(id) => view! { <screens::qr::CheckinQr activity=id/> }.into_any(),
                    Screen::Scan => view! { <screens::scan::Scan/> }.into_any(),
                    Screen::Members => view! { <screens::members::Members device=device/> }.into_any(),
                    Screen::Sync => view! { <screens::sync::Sync coordinator=is_coordinator/> }.into_any(),
                }}
            </main>
            <nav class="tabbar" aria-label=move || i18n.t("app-name")>
                {tab(Screen::Wallet, Icon::Wallet, "nav-wallet", "tab-wallet")}
                {tab(Screen::Activities, Icon::Calendar, "nav-activities", "tab-activities")}
                {tab(Screen::Scan, Icon::Scan, "nav-scan", "tab-scan")}
                <Show when=move || is_coordinator.get()>
                    {tab(Screen::Members, Icon::People, "nav-members", "tab-members")}
                </Show>
                {tab(Screen::Sync, Icon::Swap, "nav-sync", "tab-sync")}
            </nav>
        </div>
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
