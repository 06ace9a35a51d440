//! Creating and editing an activity (coordinators): every field with its
//! error at the field, dates in the chosen language, and the rhythm
//! (once, weekly or every other week on chosen weekdays, monthly).

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::activities::{
    ActivityInput, ActivityView, Repeat, SaveActivity, Schedule, Weekdays,
};
use nabo_shared::api::ApiError;
use nabo_shared::fields::FieldProblem;

use nabo_shared::rewards::rules::{GetRules, DEFAULT_PER_CHECKIN};

use crate::api;
use crate::components::{use_toast, DateField, Field, StatusArea, TimeField};
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};
use crate::nav::{use_nav, Screen};

/// The fields whose errors show at the field.
const FIELDS: &[&str] = &[
    "title",
    "description",
    "place",
    "date",
    "start",
    "end",
    "reward",
    "daily_cap",
];

/// Today by this device's clock.
pub fn today() -> NaiveDate {
    let d = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
        .unwrap_or_default()
}

/// A time typed as `15:00`, `15.00` or `1500`.
pub fn parse_time(s: &str, field: &str) -> Result<NaiveTime, ApiError> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.as_str(), "0"),
        3 => digits.split_at(1),
        4 => digits.split_at(2),
        0 => return Err(ApiError::invalid(field, FieldProblem::Required)),
        _ => return Err(ApiError::invalid(field, FieldProblem::Invalid)),
    };
    match (h.parse(), m.parse()) {
        (Ok(h), Ok(m)) => NaiveTime::from_hms_opt(h, m, 0)
            .ok_or_else(|| ApiError::invalid(field, FieldProblem::Invalid)),
        _ => Err(ApiError::invalid(field, FieldProblem::Invalid)),
    }
}

fn repeat_value(r: Repeat) -> &'static str {
    match r {
        Repeat::Once => "once",
        Repeat::Weekly => "weekly",
        Repeat::EveryOtherWeek => "every_other_week",
        Repeat::Monthly => "monthly",
    }
}

/// The rhythm's name's message id.
pub fn repeat_label(r: Repeat) -> &'static str {
    match r {
        Repeat::Once => "repeat-once",
        Repeat::Weekly => "repeat-weekly",
        Repeat::EveryOtherWeek => "repeat-every-other-week",
        Repeat::Monthly => "repeat-monthly",
    }
}

fn repeat_of(s: &str) -> Repeat {
    match s {
        "once" => Repeat::Once,
        "every_other_week" => Repeat::EveryOtherWeek,
        "monthly" => Repeat::Monthly,
        _ => Repeat::Weekly,
    }
}

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

#[component]
pub fn Editor(activity: Option<ActivityView>) -> impl IntoView {
    let i18n = use_i18n();
    let nav = use_nav();
    let toast = use_toast();
    let editing = activity.as_ref().map(|a| a.id);
    let a = activity.as_ref();
    let title = RwSignal::new(a.map(|a| a.title.clone()).unwrap_or_default());
    let description = RwSignal::new(a.map(|a| a.description.clone()).unwrap_or_default());
    let place = RwSignal::new(a.map(|a| a.place.clone()).unwrap_or_default());
    let date = RwSignal::new(Some(a.map(|a| a.schedule.date).unwrap_or_else(today)));
    let start = RwSignal::new(
        a.map(|a| a.schedule.start.format("%H:%M").to_string())
            .unwrap_or_else(|| "15:00".into()),
    );
    let end = RwSignal::new(
        a.map(|a| a.schedule.end.format("%H:%M").to_string())
            .unwrap_or_else(|| "17:00".into()),
    );
    let repeat = RwSignal::new(a.map(|a| a.schedule.repeat).unwrap_or(Repeat::Weekly));
    let days = RwSignal::new(a.map(|a| a.schedule.weekdays()).unwrap_or_default());
    let reward = RwSignal::new(
        a.map(|a| a.reward.to_string())
            .unwrap_or_else(|| DEFAULT_PER_CHECKIN.to_string()),
    );
    // A new activity offers the community's points per check-in, once the
    // rules are read (unless the coordinator already typed a number).
    if editing.is_none() {
        let rules = LocalResource::new(|| api::call(GetRules));
        Effect::new(move |_| {
            if let Some(Ok(view)) = rules.get() {
                if reward.get_untracked() == DEFAULT_PER_CHECKIN.to_string() {
                    reward.set(view.rules.per_checkin.to_string());
                }
            }
        });
    }
    let cap = RwSignal::new(
        a.and_then(|a| a.daily_cap)
            .map(|c| c.to_string())
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    // A weekly rhythm with no day ticked meets on the date's weekday.
    let shown_days = Memo::new(move |_| {
        let set = days.get();
        match (set.is_empty(), date.get()) {
            (true, Some(d)) => Weekdays::of(&[d.weekday()]),
            _ => set,
        }
    });

    let read = move || -> Result<ActivityInput, ApiError> {
        let date = date
            .get_untracked()
            .ok_or_else(|| ApiError::invalid("date", FieldProblem::Invalid))?;
        let start = parse_time(&start.get_untracked(), "start")?;
        let end = parse_time(&end.get_untracked(), "end")?;
        let reward: u32 = reward
            .get_untracked()
            .trim()
            .parse()
            .map_err(|_| ApiError::invalid("reward", FieldProblem::OutOfRange))?;
        let daily_cap = match cap.get_untracked().trim() {
            "" => None,
            c => Some(
                c.parse()
                    .map_err(|_| ApiError::invalid("daily_cap", FieldProblem::OutOfRange))?,
            ),
        };
        Ok(ActivityInput {
            id: editing,
            title: title.get_untracked(),
            description: description.get_untracked(),
            place: place.get_untracked(),
            schedule: Schedule {
                date,
                start,
                end,
                repeat: repeat.get_untracked(),
                days: shown_days.get_untracked(),
            },
            reward,
            daily_cap,
        })
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let input = match read() {
            Ok(input) => input,
            Err(e) => return error.set(Some(e)),
        };
        busy.set(true);
        spawn_local(async move {
            match api::call(SaveActivity { activity: input }).await {
                Ok(saved) => {
                    toast.show(i18n.t_with("editor-saved", &[("title", saved.title.into())]));
                    nav.0.set(Screen::Activities);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let text = move |id: &'static str,
                     label: &'static str,
                     field: &'static str,
                     value: RwSignal<String>| {
        view! {
            <Field id=id label=label field=field error=error>
                <input id=id type="text" prop:value=move || value.get()
                       on:input=move |ev| value.set(event_target_value(&ev))/>
            </Field>
        }
    };
    let number = move |id: &'static str,
                       label: &'static str,
                       field: &'static str,
                       value: RwSignal<String>,
                       help: Option<&'static str>| {
        let input = view! {
            <input id=id type="number" inputmode="numeric" min="0" max="1000" dir="ltr"
                   prop:value=move || value.get()
                   on:input=move |ev| value.set(event_target_value(&ev))/>
        };
        match help {
            Some(help) => {
                view! { <Field id=id label=label field=field error=error help=help>{input}</Field> }
                    .into_any()
            }
            None => view! { <Field id=id label=label field=field error=error>{input}</Field> }
                .into_any(),
        }
    };
    let weekly = move || matches!(repeat.get(), Repeat::Weekly | Repeat::EveryOtherWeek);

    view! {
        <form class="form editor" on:submit=save novalidate>
            <div class="screen-body">
            <h2>{move || i18n.t(if editing.is_some() { "editor-edit-title" } else { "editor-new-title" })}</h2>
            <StatusArea error=error fields=FIELDS/>
            {text("title", "field-title", "title", title)}
            <Field id="description" label="field-description" field="description" error=error>
                <textarea id="description" rows="3" prop:value=move || description.get()
                          on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            </Field>
            {text("place", "field-place", "place", place)}
            <DateField id="date" label="field-date" field="date" value=date error=error/>
            <div class="row">
                <div><TimeField id="start" label="field-start" field="start" value=start error=error/></div>
                <div><TimeField id="end" label="field-end" field="end" value=end error=error/></div>
            </div>
            <Field id="repeat" label="field-repeat" field="repeat" error=error>
                <select id="repeat" on:change=move |ev| repeat.set(repeat_of(&event_target_value(&ev)))>
                    {[Repeat::Once, Repeat::Weekly, Repeat::EveryOtherWeek, Repeat::Monthly].into_iter().map(|r| view! {
                        <option value=repeat_value(r) selected=move || repeat.get() == r>
                            {move || i18n.t(repeat_label(r))}
                        </option>
                    }).collect_view()}
                </select>
            </Field>
            <Show when=weekly>
                <fieldset class="weekdays" id="weekdays">
                    <legend>{move || i18n.t("field-weekdays")}</legend>
                    {WEEK.into_iter().map(|day| {
                        let id = format!("day-{}", day.num_days_from_monday());
                        let label_for = id.clone();
                        view! {
                            <label class="check" for=label_for>
                                <input type="checkbox" id=id
                                       prop:checked=move || shown_days.get().contains(day)
                                       on:change=move |_| days.set(shown_days.get_untracked().toggled(day))/>
                                <span>{move || i18n.weekday(day)}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            </Show>
            {number("reward", "field-reward", "reward", reward, None)}
            {number("daily-cap", "field-daily-cap", "daily_cap", cap, Some("field-daily-cap-help"))}
            </div>
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
