//! Activities and checking in: the list (coordinators also create, edit,
//! archive, see who came, show codes and print posters), the editor, the
//! rotating check-in code, the poster, and the check-in screen.

pub mod attendance;
pub mod editor;
pub mod poster;
pub mod qr;
pub mod scan;

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::activities::{ActivityView, ArchiveActivity, ListActivities};
use nabo_shared::api::{ApiError, Table};

use crate::api::{self, use_store};
use crate::components::{use_toast, SearchBar, StatusArea};
use crate::i18n::{use_i18n, I18n};
use crate::icons::{Ico, Icon};
use crate::nav::{use_nav, Screen};

/// How the list is ordered.
#[derive(Clone, Copy, PartialEq)]
enum Order {
    Title,
    Next,
}

/// When an activity meets, in words: its rhythm and next session.
fn when(i18n: I18n, a: &ActivityView) -> String {
    let rhythm = i18n.t(editor::repeat_label(a.schedule.repeat));
    let days = match a.schedule.repeat {
        nabo_shared::activities::Repeat::Weekly
        | nabo_shared::activities::Repeat::EveryOtherWeek => {
            let names: Vec<String> = a
                .schedule
                .weekdays()
                .days()
                .map(|d| i18n.weekday(d))
                .collect();
            format!(" ({})", names.join(", "))
        }
        _ => String::new(),
    };
    let next = match a.next_session {
        Some(d) => i18n.t_with(
            "activity-next",
            &[(
                "date",
                format!(
                    "{}, {}–{}",
                    i18n.date(d),
                    i18n.time(a.schedule.start),
                    i18n.time(a.schedule.end)
                )
                .into(),
            )],
        ),
        None => i18n.t("activity-no-next"),
    };
    format!("{next} · {rhythm}{days}")
}

#[component]
pub fn Activities(coordinator: Memo<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let nav = use_nav();
    let toast = use_toast();
    let list = LocalResource::new(move || {
        store.track(&[Table::Activities, Table::Checkins, Table::Members]);
        api::call(ListActivities)
    });
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        if let Some(Err(e)) = list.get() {
            error.set(Some(e));
        }
    });
    let items = Memo::new(move |_| list.get().and_then(|r| r.ok()));
    let query = RwSignal::new(String::new());
    let order = RwSignal::new(Order::Title);
    // What is shown: matching the search, in the chosen order; archived
    // ones apart, and only for coordinators.
    let shown = move |archived: bool| {
        let q = query.get().to_lowercase();
        let mut out: Vec<ActivityView> = items
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|a| a.archived == archived)
            .filter(|a| {
                q.is_empty()
                    || a.title.to_lowercase().contains(&q)
                    || a.place.to_lowercase().contains(&q)
            })
            .collect();
        if order.get() == Order::Next {
            out.sort_by_key(|a| {
                (
                    a.next_session.is_none(),
                    a.next_session,
                    a.title.to_lowercase(),
                )
            });
        }
        out
    };
    let archive = move |a: ActivityView, archived: bool| {
        error.set(None);
        spawn_local(async move {
            let title = a.title.clone();
            match api::call(ArchiveActivity {
                activity: a.id,
                archived,
            })
            .await
            {
                Ok(()) => toast.show(i18n.t_with(
                    if archived {
                        "activity-archived-toast"
                    } else {
                        "activity-unarchived-toast"
                    },
                    &[("title", title.into())],
                )),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let card = move |a: ActivityView| {
        let edit = a.clone();
        let again = a.clone();
        let poster = a.clone();
        let id = a.id;
        let title = a.title.clone();
        let reward = a.reward;
        let cap = a.daily_cap;
        let today = a.checkins_today;
        let archived = a.archived;
        let when_text = {
            let a = a.clone();
            move || when(i18n, &a)
        };
        view! {
            <li class="card activity-card" class:archived=archived data-title=a.title.clone()>
                <h3>{a.title.clone()}</h3>
                <p class="meta">{a.place.clone()}</p>
                <p class="meta">{when_text}</p>
                <p class="reward">
                    {move || i18n.t_with("activity-reward", &[("reward", reward.into())])}
                    {move || cap.map(|c| format!(" · {}", i18n.t_with("activity-cap", &[("cap", i18n.number(c).into())])))}
                </p>
                <p class="desc">{a.description.clone()}</p>
                {move || coordinator.get().then(|| {
                    let (edit, again, title, poster) = (edit.clone(), again.clone(), title.clone(), poster.clone());
                    view! {
                    <p class="meta">{move || i18n.t_with("activity-today", &[("count", today.into())])}</p>
                    <div class="actions">
                        <Show when=move || !archived>
                            <button class="primary show-qr" on:click=move |_| nav.0.set(Screen::Qr(id))>
                                <Ico icon=Icon::Qr/><span>{move || i18n.t("activity-show-qr")}</span>
                            </button>
                            <poster::PosterButton activity=poster.clone() error=error/>
                        </Show>
                        <button class="ghost attendance" on:click={
                            let title = title.clone();
                            move |_| nav.0.set(Screen::Attendance(id, title.clone()))
                        }>
                            <Ico icon=Icon::People/><span>{move || i18n.t("activity-attendance")}</span>
                        </button>
                        <button class="ghost edit" on:click={
                            let edit = edit.clone();
                            move |_| nav.0.set(Screen::Editor(Some(edit.clone())))
                        }>
                            <Ico icon=Icon::Edit/><span>{move || i18n.t("activity-edit")}</span>
                        </button>
                        <button class="ghost archive" on:click=move |_| archive(again.clone(), !archived)>
                            <Ico icon=Icon::Archive/>
                            <span>{move || i18n.t(if archived { "activity-unarchive" } else { "activity-archive" })}</span>
                        </button>
                    </div>
                    }
                })}
            </li>
        }
    };

    view! {
        <section class="activities">
            <div class="screen-body">
            <h2>{move || i18n.t("activities-title")}</h2>
            <StatusArea error=error/>
            <Show when=move || items.get().is_some_and(|a| a.len() > 3)>
                <SearchBar id="activity-search" label="activities-search" value=query>
                    <label for="activity-order" class="sr-only">{move || i18n.t("sort-label")}</label>
                    <select id="activity-order" on:change=move |ev| order.set(if event_target_value(&ev) == "next" { Order::Next } else { Order::Title })>
                        <option value="title">{move || i18n.t("sort-by-title")}</option>
                        <option value="next">{move || i18n.t("sort-by-next")}</option>
                    </select>
                </SearchBar>
            </Show>
            <Show when=move || items.get().is_some_and(|a| a.iter().all(|a| a.archived))>
                <div class="empty">
                    <p>{move || i18n.t("activities-empty")}</p>
                    <Show when=move || coordinator.get()>
                        <p>{move || i18n.t("activities-empty-coordinator")}</p>
                    </Show>
                </div>
            </Show>
            <Show when=move || !query.with(String::is_empty) && shown(false).is_empty()>
                <p class="empty">{move || i18n.t("search-nothing")}</p>
            </Show>
            <ul class="cards" id="activity-list">
                {move || shown(false).into_iter().map(card).collect_view()}
            </ul>
            <Show when=move || coordinator.get() && !shown(true).is_empty()>
                <details class="archived-list">
                    <summary>{move || i18n.t("activities-archived")}</summary>
                    <ul class="cards">
                        {move || shown(true).into_iter().map(card).collect_view()}
                    </ul>
                </details>
            </Show>
            </div>
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
