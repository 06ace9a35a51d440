//! Creating and editing an activity (coordinators).

use chrono::{NaiveDate, NaiveTime};
use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::activities::{ActivityInput, ActivityView, Repeat, SaveActivity, Schedule};
use nabo_shared::api::ApiError;
use nabo_shared::fields::FieldProblem;

use crate::api;
use crate::components::ErrorBox;
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};
use crate::nav::{use_nav, Screen};

fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

fn invalid(field: &str, problem: FieldProblem) -> ApiError {
    ApiError::InvalidField {
        field: field.into(),
        problem,
    }
}

/// Reads the form into an input, or names the first field that does not parse.
#[allow(clippy::too_many_arguments)]
fn parse_form(
    id: Option<nabo_shared::ids::ActivityId>,
    title: String,
    description: String,
    place: String,
    date: &str,
    start: &str,
    end: &str,
    weekly: bool,
    reward: &str,
    cap: &str,
) -> Result<ActivityInput, ApiError> {
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| invalid("date", FieldProblem::Required))?;
    let time = |s: &str, field| {
        NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| invalid(field, FieldProblem::Required))
    };
    let start = time(start, "start")?;
    let end = time(end, "end")?;
    let reward: u32 = reward
        .trim()
        .parse()
        .map_err(|_| invalid("reward", FieldProblem::OutOfRange))?;
    let daily_cap = match cap.trim() {
        "" => None,
        c => Some(
            c.parse()
                .map_err(|_| invalid("daily_cap", FieldProblem::OutOfRange))?,
        ),
    };
    Ok(ActivityInput {
        id,
        title,
        description,
        place,
        schedule: Schedule {
            date,
            start,
            end,
            repeat: if weekly { Repeat::Weekly } else { Repeat::Once },
        },
        reward,
        daily_cap,
    })
}

#[component]
pub fn Editor(activity: Option<ActivityView>) -> impl IntoView {
    let i18n = use_i18n();
    let nav = use_nav();
    let editing = activity.as_ref().map(|a| a.id);
    let a = activity.as_ref();
    let title = RwSignal::new(a.map(|a| a.title.clone()).unwrap_or_default());
    let description = RwSignal::new(a.map(|a| a.description.clone()).unwrap_or_default());
    let place = RwSignal::new(a.map(|a| a.place.clone()).unwrap_or_default());
    let date = RwSignal::new(
        a.map(|a| a.schedule.date.format("%Y-%m-%d").to_string())
            .unwrap_or_else(today),
    );
    let start = RwSignal::new(
        a.map(|a| a.schedule.start.format("%H:%M").to_string())
            .unwrap_or_else(|| "15:00".into()),
    );
    let end = RwSignal::new(
        a.map(|a| a.schedule.end.format("%H:%M").to_string())
            .unwrap_or_else(|| "17:00".into()),
    );
    let weekly = RwSignal::new(
        a.map(|a| a.schedule.repeat == Repeat::Weekly)
            .unwrap_or(true),
    );
    let reward = RwSignal::new(
        a.map(|a| a.reward.to_string())
            .unwrap_or_else(|| "10".into()),
    );
    let cap = RwSignal::new(
        a.and_then(|a| a.daily_cap)
            .map(|c| c.to_string())
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let input = parse_form(
            editing,
            title.get_untracked(),
            description.get_untracked(),
            place.get_untracked(),
            &date.get_untracked(),
            &start.get_untracked(),
            &end.get_untracked(),
            weekly.get_untracked(),
            &reward.get_untracked(),
            &cap.get_untracked(),
        );
        let input = match input {
            Ok(input) => input,
            Err(e) => return error.set(Some(e)),
        };
        busy.set(true);
        spawn_local(async move {
            match api::call(SaveActivity { activity: input }).await {
                Ok(_) => nav.0.set(Screen::Activities),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let text = move |id: &'static str,
                     label: &'static str,
                     value: RwSignal<String>,
                     kind: &'static str| {
        view! {
            <label for=id>{move || i18n.t(label)}</label>
            <input id=id type=kind prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
        }
    };

    view! {
        <form class="form editor" on:submit=save>
            <h2>{move || i18n.t(if editing.is_some() { "editor-edit-title" } else { "editor-new-title" })}</h2>
            {text("title", "field-title", title, "text")}
            <label for="description">{move || i18n.t("field-description")}</label>
            <textarea id="description" rows="3" prop:value=move || description.get()
                      on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            {text("place", "field-place", place, "text")}
            {text("date", "field-date", date, "date")}
            <div class="row">
                <div>{text("start", "field-start", start, "time")}</div>
                <div>{text("end", "field-end", end, "time")}</div>
            </div>
            <label for="repeat">{move || i18n.t("field-repeat")}</label>
            <select id="repeat" on:change=move |ev| weekly.set(event_target_value(&ev) == "weekly")>
                <option value="weekly" selected=move || weekly.get()>{move || i18n.t("repeat-weekly")}</option>
                <option value="once" selected=move || !weekly.get()>{move || i18n.t("repeat-once")}</option>
            </select>
            {text("reward", "field-reward", reward, "number")}
            {text("daily-cap", "field-daily-cap", cap, "number")}
            <p class="help">{move || i18n.t("field-daily-cap-help")}</p>
            <ErrorBox error=error/>
            <div class="actions bottom-action">
                <button type="button" class="ghost" on:click=move |_| nav.0.set(Screen::Activities)>
                    <Ico icon=Icon::Back/><span>{move || i18n.t("cancel")}</span>
                </button>
                <button id="save-activity" type="submit" class="primary" disabled=move || busy.get()>
                    <Ico icon=Icon::Save/><span>{move || i18n.t("editor-save")}</span>
                </button>
            </div>
        </form>
    }
}
