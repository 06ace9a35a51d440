//! Volunteer hours on the points screen: a volunteer logs what they did,
//! offline, and sees each claim wait, then approved with its points or
//! declined with the reason; one still waiting can be changed or taken
//! back.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::activities::{ActivityView, ListActivities};
use nabo_shared::api::{ApiError, Table};
use nabo_shared::fields::FieldProblem;
use nabo_shared::ids::HourClaimId;
use nabo_shared::rewards::hours::{
    HoursLine, HoursState, ListHours, LogHours, MemberHours, Span, WithdrawHours, Work, MAX_TEXT,
};

use crate::activities::editor::{parse_time, today};
use crate::api::{self, use_store};
use crate::components::{use_confirm, use_toast, DateField, Field, StatusArea, TimeField};
use crate::i18n::{use_i18n, I18n};

/// The tables the list is made from.
const TABLES: [Table; 3] = [Table::HourClaims, Table::HourDecisions, Table::Activities];

/// The fields whose errors show at the field.
const FIELDS: &[&str] = &["work", "date", "start", "end", "duration", "note"];

/// Quarter hours in words: "2 t 15 min".
pub fn duration(i18n: I18n, quarters: u32) -> String {
    let (hours, minutes) = (quarters / 4, (quarters % 4) * 15);
    match (hours, minutes) {
        (0, m) => i18n.t_with("hours-minutes", &[("minutes", m.into())]),
        (h, 0) => i18n.t_with("hours-hours", &[("hours", h.into())]),
        (h, m) => i18n.t_with(
            "hours-hours-minutes",
            &[("hours", h.into()), ("minutes", m.into())],
        ),
    }
}

/// A duration typed as hours: `2`, `1,5`, `1.5` or `1:30`.
fn parse_duration(s: &str) -> Result<u32, ApiError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(ApiError::invalid("duration", FieldProblem::Required));
    }
    let bad = || ApiError::invalid("duration", FieldProblem::Invalid);
    let minutes = if let Some((h, m)) = s.split_once(':') {
        let h: u32 = h.trim().parse().map_err(|_| bad())?;
        let m: u32 = m.trim().parse().map_err(|_| bad())?;
        if m >= 60 {
            return Err(bad());
        }
        h.checked_mul(60)
            .and_then(|h| h.checked_add(m))
            .ok_or_else(bad)?
    } else {
        let hours: f64 = s.replace(',', ".").parse().map_err(|_| bad())?;
        if !hours.is_finite() || !(0.0..=48.0).contains(&hours) {
            return Err(ApiError::invalid("duration", FieldProblem::OutOfRange));
        }
        (hours * 60.0).round() as u32
    };
    Ok(minutes)
}

/// How the time is given in the form.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Times,
    Duration,
}

/// The form to log hours, or to change a claim still waiting.
#[component]
fn HoursForm(
    /// The claim being changed, if any.
    editing: Option<HoursLine>,
    /// Closes the form.
    done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toast = use_toast();
    let activities = LocalResource::new(|| api::call(ListActivities));
    let e = editing.as_ref();
    let claim = e.map(|l| l.claim);
    // "" until chosen; an activity's id, or "other".
    let work = RwSignal::new(match e.map(|l| &l.work) {
        Some(Work::Activity(id)) => id.to_string(),
        Some(Work::Other(_)) => "other".to_owned(),
        None => String::new(),
    });
    let other = RwSignal::new(match e.map(|l| &l.work) {
        Some(Work::Other(text)) => text.clone(),
        _ => String::new(),
    });
    let date = RwSignal::new(Some(e.map(|l| l.date).unwrap_or_else(today)));
    let (mode0, start0, end0, duration0) = match e.map(|l| l.span) {
        Some(Span::Times { start, end }) => (
            Mode::Times,
            start.format("%H:%M").to_string(),
            end.format("%H:%M").to_string(),
            String::new(),
        ),
        Some(Span::Minutes(m)) => (
            Mode::Duration,
            String::new(),
            String::new(),
            if m % 60 == 0 {
                (m / 60).to_string()
            } else {
                format!("{}:{:02}", m / 60, m % 60)
            },
        ),
        None => (Mode::Times, String::new(), String::new(), String::new()),
    };
    let mode = RwSignal::new(mode0);
    let start = RwSignal::new(start0);
    let end = RwSignal::new(end0);
    let length = RwSignal::new(duration0);
    let note = RwSignal::new(e.map(|l| l.note.clone()).unwrap_or_default());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);

    let read = move || -> Result<LogHours, ApiError> {
        let chosen = work.get_untracked();
        let work = match chosen.as_str() {
            "" => return Err(ApiError::invalid("work", FieldProblem::Required)),
            "other" => Work::Other(other.get_untracked()),
            id => Work::Activity(
                id.parse()
                    .map_err(|_| ApiError::invalid("work", FieldProblem::Invalid))?,
            ),
        };
        let date = date
            .get_untracked()
            .ok_or_else(|| ApiError::invalid("date", FieldProblem::Invalid))?;
        let span = match mode.get_untracked() {
            Mode::Times => Span::Times {
                start: parse_time(&start.get_untracked(), "start")?,
                end: parse_time(&end.get_untracked(), "end")?,
            },
            Mode::Duration => Span::Minutes(parse_duration(&length.get_untracked())?),
        };
        Ok(LogHours {
            claim,
            work,
            date,
            span,
            note: note.get_untracked(),
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
            match api::call(input).await {
                Ok(_) => {
                    toast.show(i18n.t(if claim.is_some() {
                        "hours-changed"
                    } else {
                        "hours-saved"
                    }));
                    done.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let choices = move || -> Vec<ActivityView> {
        activities
            .get()
            .and_then(|r| r.ok())
            .unwrap_or_default()
            .into_iter()
            .filter(|a| !a.archived)
            .collect()
    };
    view! {
        <form class="form hours-form" id="hours-form" on:submit=save novalidate>
            <h4>{move || i18n.t(if claim.is_some() { "hours-edit-title" } else { "hours-new-title" })}</h4>
            <StatusArea error=error fields=FIELDS/>
            <Field id="hours-work" label="hours-field-work" field="work" error=error>
                <select id="hours-work" on:change=move |ev| work.set(event_target_value(&ev))>
                    <option value="" selected=move || work.get().is_empty()>{move || i18n.t("hours-choose")}</option>
                    {move || choices().into_iter().map(|a| {
                        let value = a.id.to_string();
                        let selected = { let value = value.clone(); move || work.get() == value };
                        view! { <option value=value selected=selected>{a.title}</option> }
                    }).collect_view()}
                    <option value="other" selected=move || work.get() == "other">{move || i18n.t("hours-other")}</option>
                </select>
            </Field>
            <Show when=move || work.get() == "other">
                <Field id="hours-other" label="hours-field-other" field="work" error=error>
                    <input id="hours-other" type="text" maxlength=MAX_TEXT.to_string()
                           prop:value=move || other.get()
                           on:input=move |ev| other.set(event_target_value(&ev))/>
                </Field>
            </Show>
            <DateField id="hours-date" label="hours-field-date" field="date" value=date error=error/>
            <fieldset>
                <legend>{move || i18n.t("hours-field-how")}</legend>
                <label class="check">
                    <input type="radio" name="hours-mode" id="hours-mode-times"
                           prop:checked=move || mode.get() == Mode::Times
                           on:change=move |_| mode.set(Mode::Times)/>
                    {move || i18n.t("hours-mode-times")}
                </label>
                <label class="check">
                    <input type="radio" name="hours-mode" id="hours-mode-duration"
                           prop:checked=move || mode.get() == Mode::Duration
                           on:change=move |_| mode.set(Mode::Duration)/>
                    {move || i18n.t("hours-mode-duration")}
                </label>
            </fieldset>
            <Show when=move || mode.get() == Mode::Times>
                <div class="row">
                    <div><TimeField id="work-start" label="field-start" field="start" value=start error=error/></div>
                    <div><TimeField id="work-end" label="field-end" field="end" value=end error=error/></div>
                </div>
            </Show>
            <Show when=move || mode.get() == Mode::Duration>
                <Field id="hours-duration" label="hours-field-duration" field="duration" error=error help="hours-duration-help">
                    <input id="hours-duration" type="text" inputmode="decimal" dir="ltr" maxlength="6" autocomplete="off"
                           prop:value=move || length.get()
                           on:input=move |ev| length.set(event_target_value(&ev))/>
                </Field>
            </Show>
            <Field id="hours-note" label="hours-field-note" field="note" error=error>
                <input id="hours-note" type="text" maxlength=MAX_TEXT.to_string()
                       prop:value=move || note.get()
                       on:input=move |ev| note.set(event_target_value(&ev))/>
            </Field>
            <p class="help">{move || i18n.t("hours-rounding")}</p>
            <div class="actions">
                <button type="button" class="ghost" on:click=move |_| done.run(())>
                    {move || i18n.t("cancel")}
                </button>
                <button id="hours-save" type="submit" class="primary" disabled=move || busy.get()>
                    {move || i18n.t("hours-save")}
                </button>
            </div>
        </form>
    }
}

/// The volunteer's hours: the form, and each claim with where it stands.
/// Errors go to the screen's status area (`error`).
#[component]
pub fn VolunteerHours(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let confirm = use_confirm();
    let toast = use_toast();
    let list = LocalResource::new(move || {
        store.track(&TABLES);
        api::call(ListHours)
    });
    Effect::new(move |_| {
        if let Some(Err(e)) = list.get() {
            error.set(Some(e));
        }
    });
    let lines = Memo::new(move |_| list.get().and_then(|r| r.ok()));
    // None: the form is closed; Some(None): new hours; Some(Some(line)): a change.
    let form = RwSignal::new(None::<Option<HoursLine>>);
    let close = Callback::new(move |()| {
        form.set(None);
        if let Some(el) = document().get_element_by_id("log-hours") {
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    });
    let withdraw = move |claim: HourClaimId, title: String, date: NaiveDate| {
        confirm.ask(
            i18n.t_with(
                "hours-withdraw-ask",
                &[("work", title.into()), ("date", i18n.date(date).into())],
            ),
            i18n.t("hours-withdraw-note"),
            i18n.t("hours-withdraw"),
            move || {
                api::send(WithdrawHours { claim }, error, move |()| {
                    toast.show(i18n.t("hours-withdrawn-done"));
                });
            },
        );
    };
    view! {
        <section class="hours" aria-labelledby="hours-title">
            <h3 id="hours-title">{move || i18n.t("hours-title")}</h3>
            <p class="help">{move || i18n.t("hours-help")}</p>
            <Show when=move || form.get().is_none()>
                <button id="log-hours" class="primary" on:click=move |_| form.set(Some(None))>
                    {move || i18n.t("hours-log")}
                </button>
            </Show>
            {move || form.get().map(|editing| view! { <HoursForm editing=editing done=close/> })}
            <HoursLines id="hours-list" lines=lines empty="hours-empty"
                        edit=Callback::new(move |l: HoursLine| form.set(Some(Some(l))))
                        withdraw=Callback::new(move |l: HoursLine| withdraw(l.claim, l.title, l.date))/>
        </section>
    }
}

/// A member's hours, as a coordinator sees them in the member's history:
/// where each claim stands, who decided and when.
#[component]
pub fn MemberHoursList(device: String) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let list = LocalResource::new(move || {
        store.track(&TABLES);
        api::call(MemberHours {
            device: device.clone(),
        })
    });
    let lines = Memo::new(move |_| list.get().and_then(|r| r.ok()));
    view! {
        <section class="hours" aria-labelledby="member-hours-title">
            <h3 id="member-hours-title">{move || i18n.t("hours-title")}</h3>
            <HoursLines id="member-hours-list" lines=lines empty="member-hours-empty"/>
        </section>
    }
}

/// Claims with where each stands; with `edit` and `withdraw`, those still
/// waiting can be changed or taken back.
#[component]
fn HoursLines(
    /// The list's id.
    id: &'static str,
    lines: Memo<Option<Vec<HoursLine>>>,
    /// The empty state's message id.
    empty: &'static str,
    #[prop(optional)] edit: Option<Callback<HoursLine>>,
    #[prop(optional)] withdraw: Option<Callback<HoursLine>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let line = move |l: HoursLine| {
        let state_class = match l.state {
            HoursState::Pending => "line pending",
            HoursState::Withdrawn => "line capped",
            HoursState::Approved => "line issued",
            HoursState::Declined => "line declined",
        };
        let (state, points, quarters, date) = (l.state, l.points, l.quarters, l.date);
        let by = l.decided_by.clone().unwrap_or_default();
        let at = l.decided_at;
        let reason = l.reason.clone().unwrap_or_default();
        let others = l.overruled_by.join(", ");
        let editable = (state == HoursState::Pending).then(|| l.clone());
        view! {
            <li class=state_class>
                <span class="line-title">{l.title.clone()}</span>
                <span class="line-time">{move || format!("{} · {}", i18n.date(date), duration(i18n, quarters))}</span>
                {(!l.note.is_empty()).then(|| view! { <span class="line-note">{l.note.clone()}</span> })}
                <span class="line-note hours-state">{move || {
                    let when = at.map(|t| i18n.datetime(t)).unwrap_or_default();
                    match state {
                        HoursState::Pending => i18n.t("hours-state-pending"),
                        HoursState::Withdrawn => i18n.t("hours-state-withdrawn"),
                        HoursState::Approved => i18n.t_with("hours-state-approved", &[("who", by.clone().into()), ("time", when.into())]),
                        HoursState::Declined => i18n.t_with("hours-state-declined", &[("who", by.clone().into()), ("time", when.into()), ("reason", reason.clone().into())]),
                    }
                }}</span>
                {(!others.is_empty()).then(|| view! {
                    <span class="line-note">{move || i18n.t_with("hours-overruled", &[("who", others.clone().into())])}</span>
                })}
                {l.edited_after.then(|| view! { <span class="line-note">{move || i18n.t("hours-edited-after")}</span> })}
                <span class="line-amount">{move || match state {
                    HoursState::Pending => i18n.t_with("line-awaiting-amount", &[("amount", i18n.plus(points as f64))]),
                    HoursState::Approved => i18n.t_with("line-issued", &[("amount", i18n.plus(points as f64))]),
                    HoursState::Withdrawn | HoursState::Declined => String::new(),
                }}</span>
                {editable.filter(|_| edit.is_some() || withdraw.is_some()).map(|l| {
                    let again = l.clone();
                    view! {
                        <span class="line-actions">
                            {edit.map(|edit| view! {
                                <button class="ghost edit-hours" on:click=move |_| edit.run(l.clone())>
                                    {move || i18n.t("hours-edit")}
                                </button>
                            })}
                            {withdraw.map(|withdraw| view! {
                                <button class="ghost danger withdraw-hours" on:click=move |_| withdraw.run(again.clone())>
                                    {move || i18n.t("hours-withdraw")}
                                </button>
                            })}
                        </span>
                    }
                })}
            </li>
        }
    };
    view! {
        <Show when=move || lines.get().is_some_and(|l| l.is_empty())>
            <p class="empty">{move || i18n.t(empty)}</p>
        </Show>
        <ul class="history hours-list" id=id>
            {move || lines.get().map(|ls| ls.into_iter().map(line).collect_view())}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_read_as_a_volunteer_types_them() {
        assert_eq!(parse_duration("2").ok(), Some(120));
        assert_eq!(parse_duration("1,5").ok(), Some(90));
        assert_eq!(parse_duration(" 1.25 ").ok(), Some(75));
        assert_eq!(parse_duration("1:30").ok(), Some(90));
        let problem = |s| match parse_duration(s) {
            Err(ApiError::InvalidField { field, problem }) => (field, problem),
            other => panic!("{s}: {other:?}"),
        };
        assert_eq!(problem(""), ("duration".into(), FieldProblem::Required));
        assert_eq!(problem("to"), ("duration".into(), FieldProblem::Invalid));
        assert_eq!(problem("1:75"), ("duration".into(), FieldProblem::Invalid));
        assert_eq!(problem("-1"), ("duration".into(), FieldProblem::OutOfRange));
        assert_eq!(
            problem("NaN"),
            ("duration".into(), FieldProblem::OutOfRange)
        );
    }
}
