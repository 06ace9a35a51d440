//! Who checked in to an activity, and what they got (coordinators).

use leptos::prelude::*;
use nabo_shared::activities::{ActivityAttendance, AttendanceList, Attendee};
use nabo_shared::api::{ApiError, Table};
use nabo_shared::ids::ActivityId;
use nabo_shared::rewards::LineStatus;

use crate::api::{self, use_store};
use crate::components::StatusArea;
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};
use crate::nav::{use_nav, Screen};

/// How many check-ins the screen asks for at a time.
const PAGE: u32 = 100;

#[component]
pub fn Attendance(activity: ActivityId, title: String) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let nav = use_nav();
    let limit = RwSignal::new(PAGE);
    let list = LocalResource::new(move || {
        store.track(&[
            Table::Checkins,
            Table::Ledger,
            Table::Members,
            Table::Activities,
        ]);
        api::call(ActivityAttendance {
            activity,
            limit: limit.get(),
        })
    });
    let error = RwSignal::new(None::<ApiError>);
    // The last list read stays while a longer one loads.
    let shown = RwSignal::new(None::<AttendanceList>);
    Effect::new(move |_| match list.get() {
        Some(Ok(l)) => {
            error.set(None);
            shown.set(Some(l));
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let totals = move || {
        shown.with(|l| {
            l.as_ref()
                .map_or((0, 0, 0), |l| (l.checkins, l.people, l.rows.len()))
        })
    };
    let summary = move || {
        let (checkins, people, _) = totals();
        i18n.t_with(
            "attendance-summary",
            &[("checkins", checkins.into()), ("people", people.into())],
        )
    };
    let more = move || {
        let (checkins, _, rows) = totals();
        u32::try_from(rows).unwrap_or(u32::MAX) < checkins
    };
    let row = move |a: Attendee| {
        let name = a.name.clone().unwrap_or_else(|| a.device.clone());
        let (device, who) = (a.device.clone(), name.clone());
        let at = a.at;
        let status = move || match a.status {
            LineStatus::Issued
            | LineStatus::Corrected
            | LineStatus::Hours
            | LineStatus::Received => {
                i18n.t_with("line-issued", &[("amount", i18n.plus(a.amount))])
            }
            LineStatus::Pending => {
                i18n.t_with("line-pending-amount", &[("amount", i18n.plus(a.amount))])
            }
            LineStatus::Capped => i18n.t("line-capped"),
            LineStatus::AwaitingApproval => {
                i18n.t_with("line-awaiting-amount", &[("amount", i18n.plus(a.amount))])
            }
            LineStatus::Declined | LineStatus::PaymentRefused => i18n.t("line-declined"),
            LineStatus::PaymentWaiting => {
                i18n.t_with("line-pending-amount", &[("amount", i18n.minus(a.amount))])
            }
            LineStatus::Expired | LineStatus::Paid | LineStatus::Returned => {
                i18n.t_with("line-issued", &[("amount", i18n.minus(a.amount))])
            }
        };
        view! {
            <li class="line attendee">
                <button class="link line-title" on:click=move |_| nav.0.set(Screen::MemberHistory(device.clone(), who.clone()))>
                    {name}
                </button>
                <span class="line-time">{move || i18n.datetime(at)}</span>
                <span class="line-amount">{status}</span>
            </li>
        }
    };
    view! {
        <section class="attendance">
            <div class="screen-body">
            <h2>{move || i18n.t_with("attendance-title", &[("title", title.clone().into())])}</h2>
            <StatusArea error=error/>
            <p class="lead" id="attendance-summary">{summary}</p>
            <Show when=move || shown.with(|l| l.as_ref().is_some_and(|l| l.rows.is_empty()))>
                <p class="empty">{move || i18n.t("attendance-empty")}</p>
            </Show>
            <ul class="history" id="attendance-list">
                {move || shown.get().map(|l| l.rows).unwrap_or_default().into_iter().map(row).collect_view()}
            </ul>
            <Show when=more>
                <p class="help" id="attendance-shown">{move || {
                    let (checkins, _, rows) = totals();
                    i18n.t_with("attendance-shown", &[("shown", rows.into()), ("total", checkins.into())])
                }}</p>
                <button id="attendance-more" class="secondary wide" on:click=move |_| limit.update(|n| *n = n.saturating_add(PAGE))>
                    {move || i18n.t("attendance-more")}
                </button>
            </Show>
            </div>
            <div class="bottom-action">
                <button id="close-attendance" class="primary wide" on:click=move |_| nav.0.set(Screen::Activities)>
                    <Ico icon=Icon::Back/><span>{move || i18n.t("back")}</span>
                </button>
            </div>
        </section>
    }
}
