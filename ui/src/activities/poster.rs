//! An activity's poster: the words it prints, in the coordinator's
//! language, and the button that saves it as a PDF.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::activities::{ActivityView, PosterTexts, Repeat, SavePoster};
use nabo_shared::api::ApiError;

use super::editor::repeat_label;
use crate::api;
use crate::components::use_toast;
use crate::i18n::{use_i18n, I18n};
use crate::icons::{Ico, Icon};
use crate::nav::StatusRes;

/// When the activity meets, as a poster says it: its days and hours.
fn meets(t: I18n, a: &ActivityView) -> String {
    let hours = format!("{}–{}", t.time(a.schedule.start), t.time(a.schedule.end));
    match a.schedule.repeat {
        Repeat::Once => format!("{}, {hours}", t.date(a.schedule.date)),
        Repeat::Monthly => t.t_with(
            "poster-monthly",
            &[
                ("day", a.schedule.date.format("%-d").to_string().into()),
                ("hours", hours.into()),
            ],
        ),
        Repeat::Weekly | Repeat::EveryOtherWeek => {
            let days: Vec<String> = a.schedule.weekdays().days().map(|d| t.weekday(d)).collect();
            format!(
                "{} ({}), {hours}",
                t.t(repeat_label(a.schedule.repeat)),
                days.join(", ")
            )
        }
    }
}

/// The poster's words for `a`.
fn texts(t: I18n, a: &ActivityView, community: String) -> PosterTexts {
    PosterTexts {
        community,
        heading: t.t("poster-heading"),
        when: meets(t, a),
        place: if a.place.trim().is_empty() {
            String::new()
        } else {
            t.t_with("poster-place", &[("place", a.place.clone().into())])
        },
        points: t.t_with("poster-points", &[("reward", a.reward.into())]),
        how: t.t("poster-how"),
        note: t.t("poster-note"),
    }
}

/// Saves the activity's poster to the exports folder and says where.
#[component]
pub fn PosterButton(activity: ActivityView, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let toast = use_toast();
    let status = use_context::<StatusRes>();
    let busy = RwSignal::new(false);
    let save = move |_| {
        // In the coordinator's language: the page's fonts have its letters.
        let printed = i18n;
        let community = status
            .and_then(|s| s.0.get_untracked())
            .and_then(|r| r.ok())
            .and_then(|s| s.profile)
            .map(|p| p.community_name)
            .unwrap_or_default();
        let args = SavePoster {
            activity: activity.id,
            texts: texts(printed, &activity, community),
        };
        error.set(None);
        busy.set(true);
        spawn_local(async move {
            match api::call(args).await {
                Ok(saved) => {
                    toast.show(i18n.t_with("poster-saved", &[("path", saved.path.into())]))
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <button class="ghost poster" on:click=save disabled=move || busy.get()>
            <Ico icon=Icon::Print/><span>{move || i18n.t("activity-poster")}</span>
        </button>
    }
}
