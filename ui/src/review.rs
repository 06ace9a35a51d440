//! The coordinator's review queue ("Til gennemsyn"): what Nabo did not
//! accept, each with a plain reason, who signed it and which device it came
//! from.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::api::Table;
use nabo_shared::ids::CheckinId;
use nabo_shared::members::ApproveJoin;
use nabo_shared::review::{
    ApprovalNeeded, ListReview, Party, RecordKind, RecordProblem, ReviewItem, ReviewReason, Writer,
};
use nabo_shared::rewards::ApproveCheckin;

use crate::api::{self, use_store};
use crate::components::StatusArea;
use crate::i18n::{use_i18n, I18n};
use crate::icons::{Ico, Icon};
use crate::nav::{use_nav, Screen};

/// The tables the queue is made from.
pub const TABLES: [Table; 10] = [
    Table::Review,
    Table::InviteWithdrawals,
    Table::Checkins,
    Table::Rejected,
    Table::Members,
    Table::Revocations,
    Table::Reinstatements,
    Table::JoinRequests,
    Table::Activities,
    Table::Ledger,
];

/// What kind of record an item is about, in words.
fn kind_text(i18n: I18n, record: Option<RecordKind>) -> String {
    i18n.t(match record {
        Some(RecordKind::Genesis) => "record-kind-genesis",
        Some(RecordKind::Membership) => "record-kind-membership",
        Some(RecordKind::Revocation) => "record-kind-revocation",
        Some(RecordKind::Reinstatement) => "record-kind-reinstatement",
        Some(RecordKind::JoinRequest) => "record-kind-join-request",
        Some(RecordKind::InviteWithdrawal) => "record-kind-invite-withdrawal",
        Some(RecordKind::Activity) => "record-kind-activity",
        Some(RecordKind::CheckIn) => "record-kind-check-in",
        Some(RecordKind::LedgerEntry) => "record-kind-ledger-entry",
        None => "record-kind-unknown",
    })
}

/// Why an item is in the queue, in words.
fn reason_text(i18n: I18n, reason: &ReviewReason) -> String {
    match reason {
        ReviewReason::Refused { problem } => match problem {
            RecordProblem::UnknownKey => i18n.t("review-reason-unknown-key"),
            RecordProblem::NotSigned => i18n.t("review-reason-not-signed"),
            RecordProblem::Unreadable => i18n.t("review-reason-unreadable"),
            RecordProblem::BadSignature => i18n.t("review-reason-bad-signature"),
            RecordProblem::Misplaced => i18n.t("review-reason-misplaced"),
            RecordProblem::NotSelfCertifying => i18n.t("review-reason-not-self-certifying"),
            RecordProblem::InvalidField { field, .. } => i18n.t_with(
                "review-reason-invalid-field",
                &[("field", i18n.field(field))],
            ),
        },
        ReviewReason::NotEntitled { needs } => i18n.t(match needs {
            Writer::Coordinator => "review-reason-not-entitled-coordinator",
            Writer::Founder => "review-reason-not-entitled-founder",
            Writer::Subject => "review-reason-not-entitled-subject",
        }),
        ReviewReason::BadInvite => i18n.t("review-reason-bad-invite"),
        ReviewReason::AwaitingApproval { why } => i18n.t(match why {
            ApprovalNeeded::CoordinatorRole => "review-reason-awaiting-coordinator",
            ApprovalNeeded::InviteExpired => "review-reason-awaiting-expired",
            ApprovalNeeded::InviteUsedUp => "review-reason-awaiting-used-up",
            ApprovalNeeded::InviteWithdrawn => "review-reason-awaiting-withdrawn",
            ApprovalNeeded::OldInvite => "review-reason-awaiting-old-invite",
        }),
        ReviewReason::LateCheckin { activity, at } => i18n.t_with(
            "review-reason-late-checkin",
            &[
                ("activity", activity.clone().into()),
                ("time", i18n.datetime(*at).into()),
            ],
        ),
        ReviewReason::PosterCheckin { activity, at } => i18n.t_with(
            "review-reason-poster-checkin",
            &[
                ("activity", activity.clone().into()),
                ("time", i18n.datetime(*at).into()),
            ],
        ),
        ReviewReason::Erased => i18n.t("review-reason-erased"),
        ReviewReason::PutBack => i18n.t("review-reason-put-back"),
    }
}

/// A member by name, or a device by its fingerprint.
fn party_text(i18n: I18n, party: &Party) -> String {
    match &party.name {
        Some(name) => format!("{name} ({})", party.device),
        None => i18n.t_with(
            "review-unknown-device",
            &[("device", party.device.clone().into())],
        ),
    }
}

#[component]
pub fn Review() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let nav = use_nav();
    let list = LocalResource::new(move || {
        store.track(&TABLES);
        api::call(ListReview)
    });
    let error = RwSignal::new(None);
    Effect::new(move |_| error.set(list.get().and_then(|r| r.err())));
    let items = Memo::new(move |_| list.get().and_then(|r| r.ok()));
    let count = move || items.get().map(|i| i.len()).unwrap_or(0);

    // What a coordinator's yes does depends on what waits.
    let approve = move |reason: ReviewReason, subject: String| {
        error.set(None);
        spawn_local(async move {
            let done = match reason {
                ReviewReason::LateCheckin { .. } | ReviewReason::PosterCheckin { .. } => {
                    match subject.parse::<CheckinId>() {
                        Ok(checkin) => api::call(ApproveCheckin { checkin }).await,
                        Err(_) => Ok(()),
                    }
                }
                _ => api::call(ApproveJoin { device: subject }).await,
            };
            if let Err(e) = done {
                error.set(Some(e));
            }
        });
    };
    let item = move |item: ReviewItem| {
        let signer = item.signer.clone();
        let from = item.from.clone();
        let approvable = item
            .subject
            .clone()
            .map(|subject| (item.reason.clone(), subject));
        view! {
            <li class="card queue-item">
                <h3>{move || kind_text(i18n, item.record)}</h3>
                <p class="reason">{
                    let reason = item.reason.clone();
                    move || reason_text(i18n, &reason)
                }</p>
                {signer.map(|who| view! {
                    <p class="meta">{move || i18n.t_with("review-signed-by", &[("who", party_text(i18n, &who).into())])}</p>
                })}
                {from.map(|device| view! {
                    <p class="meta">{move || i18n.t_with("review-from", &[("device", party_text(i18n, &device).into())])}</p>
                })}
                {approvable.map(|(reason, subject)| view! {
                    <button class="primary approve" on:click=move |_| approve(reason.clone(), subject.clone())>
                        {move || i18n.t("review-approve")}
                    </button>
                })}
                <details>
                    <summary>{move || i18n.t("review-where")}</summary>
                    <code class="code-text">{item.location.clone()}</code>
                </details>
            </li>
        }
    };

    view! {
        <section class="review">
            <div class="screen-body">
            <h2>{move || i18n.t("review-title")}</h2>
            <p class="lead">{move || i18n.t("review-help")}</p>
            <StatusArea error=error/>
            <Show when=move || items.get().is_some_and(|i| i.is_empty())>
                <p class="empty" id="queue-empty">{move || i18n.t("review-empty")}</p>
            </Show>
            <Show when=move || { count() > 0 }>
                <p class="meta" role="status">{move || i18n.t_with("review-count", &[("count", count().into())])}</p>
            </Show>
            <ul class="cards" id="queue">
                {move || items.get().map(|items| items.into_iter().map(item).collect_view())}
            </ul>
            </div>
            <div class="bottom-action">
                <button id="close-review" class="primary wide" on:click=move |_| nav.0.set(Screen::Members)>
                    <Ico icon=Icon::Back/><span>{move || i18n.t("back")}</span>
                </button>
            </div>
        </section>
    }
}
