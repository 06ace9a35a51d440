//! Settings and profile: the member's name, the language, the
//! neighbourhood and its rules for points, this device, leaving the demo or the neighbourhood, help
//! and about.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::api::ApiError;
use nabo_shared::community::{LeaveCommunity, Profile, SetMyName, SetTextSize, TEXT_SIZES};

use crate::api;
use crate::components::{use_confirm, use_toast, Field, LangPicker, StatusArea};
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};
use crate::nav::{use_nav, Screen, StatusRes};

#[component]
pub fn Settings(
    profile: Memo<Option<Profile>>,
    device: Memo<String>,
    demo: Memo<bool>,
    text_size: Memo<u16>,
) -> impl IntoView {
    let i18n = use_i18n();
    let nav = use_nav();
    let StatusRes(status) = expect_context::<StatusRes>();
    let confirm = use_confirm();
    let toast = use_toast();
    let error = RwSignal::new(None::<ApiError>);
    let is_coordinator = Memo::new(move |_| profile.get().is_some_and(|p| p.is_coordinator));
    let name = RwSignal::new(
        profile
            .get_untracked()
            .map(|p| p.my_name)
            .unwrap_or_default(),
    );
    let name_error = RwSignal::new(None::<ApiError>);

    let save_name = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        name_error.set(None);
        let name = name.get_untracked();
        spawn_local(async move {
            match api::call(SetMyName { name }).await {
                Ok(_) => {
                    status.refetch();
                    toast.show(i18n.t("settings-name-saved"));
                }
                Err(e) => name_error.set(Some(e)),
            }
        });
    };
    let leave = move |_| {
        let (title, message, yes) = if demo.get_untracked() {
            (
                "settings-leave-demo-title",
                "settings-leave-demo-confirm",
                "settings-leave-demo",
            )
        } else if is_coordinator.get_untracked() {
            (
                "settings-leave-title",
                "settings-leave-confirm-coordinator",
                "settings-leave",
            )
        } else {
            (
                "settings-leave-title",
                "settings-leave-confirm",
                "settings-leave",
            )
        };
        confirm.ask(i18n.t(title), i18n.t(message), i18n.t(yes), move || {
            error.set(None);
            api::send(LeaveCommunity, error, move |_| {
                status.refetch();
            });
        });
    };
    let role = move || profile.get().map(|p| i18n.role(p.role)).unwrap_or_default();

    view! {
        <section class="settings">
            <h2>{move || i18n.t("settings-title")}</h2>
            <StatusArea error=error/>
            <div class="card" id="settings-profile">
                <h3>{move || i18n.t("settings-you")}</h3>
                <Show when=move || is_coordinator.get()
                      fallback=move || view! {
                          <p class="settings-name">{move || profile.get().map(|p| p.my_name).unwrap_or_default()}</p>
                          <p class="help">{move || i18n.t("settings-name-help")}</p>
                      }>
                    <form class="form" on:submit=save_name>
                        <Field id="settings-name" label="field-my-name" error=name_error field="my_name">
                            <input id="settings-name" type="text" maxlength="80" autocomplete="name"
                                   prop:value=move || name.get()
                                   on:input=move |ev| name.set(event_target_value(&ev))/>
                        </Field>
                        <button id="save-name" type="submit" class="secondary">
                            <Ico icon=Icon::Save/><span>{move || i18n.t("settings-save-name")}</span>
                        </button>
                    </form>
                </Show>
                <p class="meta">{move || i18n.t_with("settings-role", &[("role", role().into())])}
                    {move || profile.get().filter(|p| !p.confirmed).map(|_| format!(" · {}", i18n.t("member-pending")))}
                </p>
            </div>
            <div class="card">
                <h3 id="language-heading">{move || i18n.t("settings-language")}</h3>
                <LangPicker labelled_by="language-heading"/>
                <label for="text-size">{move || i18n.t("settings-text-size")}</label>
                <select id="text-size" on:change=move |ev| {
                    let Ok(percent) = event_target_value(&ev).parse::<u16>() else { return };
                    api::send(SetTextSize { percent }, error, move |()| { status.refetch(); });
                }>
                    {TEXT_SIZES.into_iter().map(|p| view! {
                        <option value=p.to_string() selected=move || text_size.get() == p>
                            {move || i18n.t_with("settings-text-size-n", &[("percent", p.into())])}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <div class="card" id="settings-community">
                <h3>{move || i18n.t("settings-community")}</h3>
                <p class="settings-community-name">{move || profile.get().map(|p| p.community_name).unwrap_or_default()}</p>
                <Show when=move || demo.get()>
                    <p class="help">{move || i18n.t("settings-demo-help")}</p>
                </Show>
                <button id="leave-community" class="danger-outline" on:click=leave>
                    <Ico icon=Icon::Leave/>
                    <span>{move || i18n.t(if demo.get() { "settings-leave-demo" } else { "settings-leave" })}</span>
                </button>
            </div>
            <crate::rules::CommunityRules is_coordinator=is_coordinator/>
            <div class="card" id="settings-budget">
                <h3>{move || i18n.t("settings-budget")}</h3>
                <p class="help">{move || i18n.t("settings-budget-help")}</p>
                <button id="open-rounds" on:click=move |_| nav.0.set(Screen::Rounds)>
                    <Ico icon=Icon::Open/><span>{move || i18n.t("settings-budget-rounds")}</span>
                </button>
            </div>
            <div class="card">
                <h3>{move || i18n.t("settings-device")}</h3>
                <p class="help">{move || i18n.t("settings-device-help")}</p>
                <p class="code-text" dir="ltr" id="settings-device">{move || device.get()}</p>
            </div>
            <div class="card" id="settings-help">
                <h3>{move || i18n.t("settings-help")}</h3>
                <details>
                    <summary>{move || i18n.t("help-checkin-title")}</summary>
                    <p>{move || i18n.t("help-checkin")}</p>
                </details>
                <details>
                    <summary>{move || i18n.t("help-points-title")}</summary>
                    <p>{move || i18n.t("help-points")}</p>
                </details>
                <details>
                    <summary>{move || i18n.t("help-sync-title")}</summary>
                    <p>{move || i18n.t("help-sync")}</p>
                </details>
                <details>
                    <summary>{move || i18n.t("help-privacy-title")}</summary>
                    <p>{move || i18n.t("help-privacy")}</p>
                </details>
            </div>
            <div class="card" id="settings-about">
                <h3>{move || i18n.t("settings-about")}</h3>
                <p>{move || i18n.t_with("settings-version", &[("version", env!("CARGO_PKG_VERSION").into())])}</p>
                <p class="help">{move || i18n.t("settings-about-text")}</p>
            </div>
        </section>
    }
}
