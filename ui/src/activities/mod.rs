//! Activities and checking in: the list (coordinators also create, edit
//! and show codes), the editor, the rotating check-in code, and the
//! check-in screen.

pub mod editor;
pub mod qr;
pub mod scan;

use leptos::prelude::*;
use nabo_shared::activities::{ListActivities, Repeat};
use nabo_shared::api::Table;

use crate::api::{self, use_store};
use crate::components::ErrorBox;
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};
use crate::nav::{use_nav, Screen};

#[component]
pub fn Activities(coordinator: Memo<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let nav = use_nav();
    let list = LocalResource::new(move || {
        store.track(&[Table::Activities, Table::Checkins, Table::Members]);
        api::call(ListActivities)
    });
    let error = RwSignal::new(None);
    Effect::new(move |_| error.set(list.get().and_then(|r| r.err())));
    let items = Memo::new(move |_| list.get().and_then(|r| r.ok()));

    view! {
        <section class="activities">
            <h2>{move || i18n.t("activities-title")}</h2>
            <ErrorBox error=error/>
            <Show when=move || items.get().is_some_and(|a| a.is_empty())>
                <div class="empty">
                    <p>{move || i18n.t("activities-empty")}</p>
                    <Show when=move || coordinator.get()>
                        <p>{move || i18n.t("activities-empty-coordinator")}</p>
                    </Show>
                </div>
            </Show>
            <ul class="cards">
                <For each=move || items.get().unwrap_or_default() key=|a| (a.id, a.title.clone(), a.reward, a.checkins_today, a.daily_cap, a.place.clone(), a.schedule)
                     let:a>
                    {
                        let edit = a.clone();
                        let id = a.id;
                        let reward = a.reward;
                        let cap = a.daily_cap;
                        let today = a.checkins_today;
                        let next = a.next_session;
                        let schedule = a.schedule;
                        view! {
                            <li class="card activity-card" data-title=a.title.clone()>
                                <h3>{a.title.clone()}</h3>
                                <p class="meta">{a.place.clone()}</p>
                                <p class="meta">
                                    {move || match next {
                                        Some(d) => i18n.t_with("activity-next", &[("date", format!("{} {}–{}", d.format("%d.%m.%Y"), schedule.start.format("%H:%M"), schedule.end.format("%H:%M")).into())]),
                                        None => i18n.t("activity-no-next"),
                                    }}
                                    " · "
                                    {move || i18n.t(match schedule.repeat {
                                        Repeat::Once => "repeat-once",
                                        Repeat::Weekly => "repeat-weekly",
                                    })}
                                </p>
                                <p class="reward">
                                    {move || i18n.t_with("activity-reward", &[("reward", reward.into())])}
                                    {move || cap.map(|c| format!(" · {}", i18n.t_with("activity-cap", &[("cap", c.into())])))}
                                </p>
                                <p class="desc">{a.description.clone()}</p>
                                <Show when=move || coordinator.get()>
                                    <p class="meta">{move || i18n.t_with("activity-today", &[("count", today.into())])}</p>
                                    <div class="actions">
                                        <button class="ghost edit" on:click={
                                            let edit = edit.clone();
                                            move |_| nav.0.set(Screen::Editor(Some(edit.clone())))
                                        }>
                                            <Ico icon=Icon::Edit/><span>{move || i18n.t("activity-edit")}</span>
                                        </button>
                                        <button class="primary show-qr" on:click=move |_| nav.0.set(Screen::Qr(id))>
                                            <Ico icon=Icon::Qr/><span>{move || i18n.t("activity-show-qr")}</span>
                                        </button>
                                    </div>
                                </Show>
                            </li>
                        }
                    }
                </For>
            </ul>
            <Show when=move || coordinator.get()>
                <div class="bottom-action">
                    <button id="new-activity" class="primary wide" on:click=move |_| nav.0.set(Screen::Editor(None))>
                        <Ico icon=Icon::Plus/><span>{move || i18n.t("activity-new")}</span>
                    </button>
                </div>
            </Show>
        </section>
    }
}
