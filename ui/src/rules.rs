//! The community's rules for points, in the settings: what an hour of
//! volunteering earns, the daily cap on it, and what a new activity offers
//! per check-in, and whether unspent points expire, for everyone to read; a
//! coordinator changes them (after a question), and every change is listed
//! with who made it and when.

use leptos::prelude::*;
use nabo_shared::api::{ApiError, Table};
use nabo_shared::fields::FieldProblem;
use nabo_shared::rewards::expiry::MAX_MONTHS;
use nabo_shared::rewards::rules::{GetRules, Rules, SetRules, MAX_CREDIT_LIMIT};

use crate::api::{self, use_store};
use crate::components::{use_confirm, use_toast, Field, StatusArea};
use crate::i18n::{use_i18n, I18n};

/// The rules in plain words.
fn said(i18n: I18n, rules: Rules) -> String {
    let rate = i18n.t_with("rules-per-hour", &[("amount", rules.per_hour.into())]);
    let cap = match rules.hours_daily_cap {
        Some(cap) => i18n.t_with("rules-cap", &[("amount", cap.into())]),
        None => i18n.t("rules-no-cap"),
    };
    let checkin = i18n.t_with("rules-per-checkin", &[("amount", rules.per_checkin.into())]);
    let expiry = match rules.expiry_months {
        Some(months) => i18n.t_with("rules-expiry", &[("months", months.into())]),
        None => i18n.t("rules-no-expiry"),
    };
    let credit = match rules.credit_limit {
        0 => i18n.t("rules-no-credit"),
        n => i18n.t_with("rules-credit", &[("amount", n.into())]),
    };
    format!("{rate} {cap} {checkin} {expiry} {credit}")
}

#[component]
pub fn CommunityRules(is_coordinator: Memo<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let confirm = use_confirm();
    let toast = use_toast();
    let view_ = LocalResource::new(move || {
        store.track(&[Table::Rules, Table::Members]);
        api::call(GetRules)
    });
    let error = RwSignal::new(None::<ApiError>);
    let current = Memo::new(move |_| view_.get().and_then(|r| r.ok()));
    let per_hour = RwSignal::new(String::new());
    let cap = RwSignal::new(String::new());
    let per_checkin = RwSignal::new(String::new());
    let expiry = RwSignal::new(String::new());
    let credit = RwSignal::new(String::new());
    // The form starts from the rules in force once they are read.
    Effect::new(move |_| {
        if let Some(v) = current.get() {
            per_hour.set(v.rules.per_hour.to_string());
            cap.set(
                v.rules
                    .hours_daily_cap
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
            );
            per_checkin.set(v.rules.per_checkin.to_string());
            expiry.set(
                v.rules
                    .expiry_months
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
            );
            credit.set(match v.rules.credit_limit {
                0 => String::new(),
                n => n.to_string(),
            });
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let rate = match per_hour.get_untracked().trim() {
            "" => return error.set(Some(ApiError::invalid("per_hour", FieldProblem::Required))),
            n => match n.parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    return error.set(Some(ApiError::invalid("per_hour", FieldProblem::Invalid)))
                }
            },
        };
        let daily = match cap.get_untracked().trim() {
            "" => None,
            n => match n.parse::<u32>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    return error.set(Some(ApiError::invalid(
                        "hours_daily_cap",
                        FieldProblem::OutOfRange,
                    )))
                }
            },
        };
        let checkin = match per_checkin.get_untracked().trim().parse::<u32>() {
            Ok(n) if n > 0 => n,
            _ if per_checkin.get_untracked().trim().is_empty() => {
                return error.set(Some(ApiError::invalid(
                    "per_checkin",
                    FieldProblem::Required,
                )))
            }
            _ => {
                return error.set(Some(ApiError::invalid(
                    "per_checkin",
                    FieldProblem::OutOfRange,
                )))
            }
        };
        let expiry_months = match expiry.get_untracked().trim() {
            "" => None,
            n => match n.parse::<u32>() {
                Ok(n) if (1..=MAX_MONTHS).contains(&n) => Some(n),
                _ => {
                    return error.set(Some(ApiError::invalid(
                        "expiry_months",
                        FieldProblem::OutOfRange,
                    )))
                }
            },
        };
        let credit_limit = match credit.get_untracked().trim() {
            "" => 0,
            n => match n.parse::<u32>() {
                Ok(n) if n <= MAX_CREDIT_LIMIT => n,
                _ => {
                    return error.set(Some(ApiError::invalid(
                        "credit_limit",
                        FieldProblem::OutOfRange,
                    )))
                }
            },
        };
        let rules = Rules {
            per_hour: rate,
            hours_daily_cap: daily,
            per_checkin: checkin,
            expiry_months,
            credit_limit,
        };
        confirm.ask(
            i18n.t("rules-ask"),
            i18n.t_with("rules-ask-note", &[("rules", said(i18n, rules).into())]),
            i18n.t("rules-save"),
            move || {
                api::send(SetRules { rules }, error, move |()| {
                    toast.show(i18n.t("rules-saved"));
                });
            },
        );
    };
    view! {
        <div class="card" id="settings-rules">
            <h3 id="rules-title">{move || i18n.t("rules-title")}</h3>
            <p id="rules-now">{move || current.get().map(|v| said(i18n, v.rules)).unwrap_or_default()}</p>
            <Show when=move || is_coordinator.get()>
                <form class="form" on:submit=submit novalidate>
                    <StatusArea error=error fields=&["per_hour", "hours_daily_cap", "per_checkin", "expiry_months", "credit_limit"]/>
                    <Field id="rules-per-hour" label="rules-field-per-hour" field="per_hour" error=error>
                        <input id="rules-per-hour" type="number" inputmode="numeric" min="0" max="1000" dir="ltr"
                               prop:value=move || per_hour.get()
                               on:input=move |ev| per_hour.set(event_target_value(&ev))/>
                    </Field>
                    <Field id="rules-cap" label="rules-field-cap" field="hours_daily_cap" error=error help="rules-cap-help">
                        <input id="rules-cap" type="number" inputmode="numeric" min="1" dir="ltr"
                               prop:value=move || cap.get()
                               on:input=move |ev| cap.set(event_target_value(&ev))/>
                    </Field>
                    <Field id="rules-per-checkin" label="rules-field-per-checkin" field="per_checkin" error=error help="rules-per-checkin-help">
                        <input id="rules-per-checkin" type="number" inputmode="numeric" min="1" max="1000" dir="ltr"
                               prop:value=move || per_checkin.get()
                               on:input=move |ev| per_checkin.set(event_target_value(&ev))/>
                    </Field>
                    <Field id="rules-expiry" label="rules-field-expiry" field="expiry_months" error=error help="rules-expiry-help">
                        <input id="rules-expiry" type="number" inputmode="numeric" min="1" max="120" dir="ltr"
                               prop:value=move || expiry.get()
                               on:input=move |ev| expiry.set(event_target_value(&ev))/>
                    </Field>
                    <Field id="rules-credit" label="rules-field-credit" field="credit_limit" error=error help="rules-credit-help">
                        <input id="rules-credit" type="number" inputmode="numeric" min="0" dir="ltr"
                               prop:value=move || credit.get()
                               on:input=move |ev| credit.set(event_target_value(&ev))/>
                    </Field>
                    <button id="rules-save" type="submit" class="secondary">
                        {move || i18n.t("rules-save")}
                    </button>
                </form>
                <Show when=move || current.get().is_some_and(|v| !v.history.is_empty())>
                    <details>
                        <summary>{move || i18n.t("rules-history")}</summary>
                        <ul class="history" id="rules-history">
                            {move || current.get().map(|v| v.history.into_iter().map(|c| view! {
                                <li class="line">
                                    <span class="line-title">{move || said(i18n, c.rules)}</span>
                                    <span class="line-time">{
                                        let by = c.by.clone();
                                        move || i18n.t_with("rules-changed-by", &[("who", by.clone().into()), ("time", i18n.datetime(c.at).into())])
                                    }</span>
                                </li>
                            }).collect_view())}
                        </ul>
                    </details>
                </Show>
            </Show>
        </div>
    }
}
