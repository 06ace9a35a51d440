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
use nabo_shared::rewards::hours::{DecideHours, HoursRef};
use nabo_shared::rewards::payments::{AcceptOverspend, ReverseOverspend};
use nabo_shared::rewards::{ApproveCheckins, DeclineCheckins};

use crate::api::{self, use_store};
use crate::components::{use_confirm, use_toast, Field, StatusArea};
use crate::i18n::{use_i18n, I18n};
use crate::icons::{Ico, Icon};
use crate::nav::{use_nav, Screen};

/// The tables the queue is made from.
pub const TABLES: [Table; 34] = [
    Table::Rules,
    Table::HourClaims,
    Table::HourDecisions,
    Table::Review,
    Table::InviteWithdrawals,
    Table::Checkins,
    Table::Rejected,
    Table::Members,
    Table::Revocations,
    Table::Reinstatements,
    Table::DeviceLinks,
    Table::DeviceRetirements,
    Table::Payments,
    Table::Returns,
    Table::OverspendDecisions,
    Table::JoinRequests,
    Table::Activities,
    Table::Ledger,
    Table::BudgetRounds,
    Table::Proposals,
    Table::ProposalReviews,
    Table::Ballots,
    Table::PaperBallots,
    Table::Tallies,
    Table::Pools,
    Table::Applications,
    Table::PanelVotes,
    Table::Payouts,
    Table::CensusCodes,
    Table::CensusBallots,
    Table::ProposalPhotos,
    Table::ProposalHelpers,
    Table::ProposalEdits,
    Table::ReviewedTexts,
];

/// What kind of record an item is about, in words.
fn kind_text(i18n: I18n, record: Option<RecordKind>) -> String {
    i18n.t(match record {
        Some(RecordKind::Genesis) => "record-kind-genesis",
        Some(RecordKind::Membership) => "record-kind-membership",
        Some(RecordKind::Revocation) => "record-kind-revocation",
        Some(RecordKind::Reinstatement) => "record-kind-reinstatement",
        Some(RecordKind::DeviceLink) => "record-kind-device-link",
        Some(RecordKind::DeviceRetirement) => "record-kind-device-retirement",
        Some(RecordKind::Replacement) => "record-kind-replacement",
        Some(RecordKind::Card) => "record-kind-card",
        Some(RecordKind::JoinRequest) => "record-kind-join-request",
        Some(RecordKind::InviteWithdrawal) => "record-kind-invite-withdrawal",
        Some(RecordKind::Activity) => "record-kind-activity",
        Some(RecordKind::CheckIn) => "record-kind-check-in",
        Some(RecordKind::LedgerEntry) => "record-kind-ledger-entry",
        Some(RecordKind::Movement) => "record-kind-movement",
        Some(RecordKind::Payment) => "record-kind-payment",
        Some(RecordKind::Offer) => "record-kind-offer",
        Some(RecordKind::Return) => "record-kind-return",
        Some(RecordKind::OverspendAccepted) => "record-kind-overspend-accepted",
        Some(RecordKind::BalanceStatement) => "record-kind-balance-statement",
        Some(RecordKind::PaymentRefused) => "record-kind-payment-refused",
        Some(RecordKind::PaymentClosed) => "record-kind-payment-closed",
        Some(RecordKind::HourClaim) => "record-kind-hour-claim",
        Some(RecordKind::HourDecision) => "record-kind-hour-decision",
        Some(RecordKind::Rules) => "record-kind-rules",
        Some(RecordKind::BudgetRound) => "record-kind-budget-round",
        Some(RecordKind::Proposal) => "record-kind-proposal",
        Some(RecordKind::ProposalReview) => "record-kind-proposal-review",
        Some(RecordKind::Ballot) => "record-kind-ballot",
        Some(RecordKind::PaperBallot) => "record-kind-paper-ballot",
        Some(RecordKind::Tally) => "record-kind-tally",
        Some(RecordKind::ProposalPhoto) => "record-kind-proposal-photo",
        Some(RecordKind::CensusCodes) => "record-kind-census-codes",
        Some(RecordKind::CensusBallot) => "record-kind-census-ballot",
        Some(RecordKind::Pool) => "record-kind-pool",
        Some(RecordKind::Application) => "record-kind-application",
        Some(RecordKind::PanelVote) => "record-kind-panel-vote",
        Some(RecordKind::Payout) => "record-kind-payout",
        Some(RecordKind::ProposalHelpers) => "record-kind-proposal-helpers",
        Some(RecordKind::ProposalEdit) => "record-kind-proposal-edit",
        Some(RecordKind::ReviewedText) => "record-kind-reviewed-text",
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
        ReviewReason::Hours {
            activity,
            date,
            quarters,
            points,
            note,
        } => {
            let text = i18n.t_with(
                "review-reason-hours",
                &[
                    ("work", activity.clone().into()),
                    ("date", i18n.date(*date).into()),
                    ("duration", crate::hours::duration(i18n, *quarters).into()),
                    ("amount", (*points).into()),
                ],
            );
            if note.is_empty() {
                text
            } else {
                i18n.t_with(
                    "review-hours-note",
                    &[("text", text.into()), ("note", note.clone().into())],
                )
            }
        }
        ReviewReason::Overspend {
            payee,
            amount,
            what,
            at,
            balance_after,
        } => i18n.t_with(
            "review-reason-overspend",
            &[
                ("amount", (*amount).into()),
                ("payee", payee.clone().into()),
                ("what", what.clone().into()),
                ("time", i18n.datetime(*at).into()),
                ("balance", (*balance_after).into()),
            ],
        ),
        ReviewReason::DoubleVote { round } => i18n.t_with(
            "review-reason-double-vote",
            &[("round", round.clone().into())],
        ),
        ReviewReason::CodeUsedTwice { round } => i18n.t_with(
            "review-reason-code-used-twice",
            &[("round", round.clone().into())],
        ),
        ReviewReason::Erased => i18n.t("review-reason-erased"),
        ReviewReason::PutBack => i18n.t("review-reason-put-back"),
    }
}

/// What waits for a coordinator's yes or no (besides a join).
#[derive(Clone, Copy, PartialEq)]
enum Waiting {
    Checkin(CheckinId),
    Hours(HoursRef),
}

/// What an item asks about, when it is a check-in or hours waiting for a
/// yes or no.
fn waiting(reason: &ReviewReason, subject: &str) -> Option<Waiting> {
    match reason {
        ReviewReason::LateCheckin { .. } | ReviewReason::PosterCheckin { .. } => {
            subject.parse().ok().map(Waiting::Checkin)
        }
        ReviewReason::Hours { .. } => subject.parse().ok().map(Waiting::Hours),
        _ => None,
    }
}

/// Check-ins and hours apart.
fn split(items: Vec<Waiting>) -> (Vec<CheckinId>, Vec<HoursRef>) {
    let mut checkins = Vec::new();
    let mut hours = Vec::new();
    for w in items {
        match w {
            Waiting::Checkin(c) => checkins.push(c),
            Waiting::Hours(h) => hours.push(h),
        }
    }
    (checkins, hours)
}

/// Says yes to check-ins or hours, or with a reason no; how many were
/// answered.
async fn answer_all(
    items: Vec<Waiting>,
    decline: Option<String>,
) -> Result<u32, nabo_shared::api::ApiError> {
    let (checkins, claims) = split(items);
    let mut n = 0;
    if !checkins.is_empty() {
        n += match decline.clone() {
            None => api::call(ApproveCheckins { checkins }).await?,
            Some(reason) => api::call(DeclineCheckins { checkins, reason }).await?,
        };
    }
    if !claims.is_empty() {
        n += api::call(DecideHours { claims, decline }).await?;
    }
    Ok(n)
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

    let toast = use_toast();
    // What a coordinator's yes does depends on what waits.
    let approve = move |reason: ReviewReason, subject: String| {
        error.set(None);
        spawn_local(async move {
            let done = match (waiting(&reason, &subject), &reason) {
                (Some(w), _) => answer_all(vec![w], None).await.map(|_| ()),
                (None, ReviewReason::Overspend { .. }) => match subject.parse() {
                    Ok(entry) => api::call(AcceptOverspend { entry }).await,
                    Err(_) => Ok(()),
                },
                (None, _) => api::call(ApproveJoin { device: subject }).await,
            };
            if let Err(e) = done {
                error.set(Some(e));
            }
        });
    };
    // A flagged spending undone: the points go back to the payer, after a
    // question.
    let confirm = use_confirm();
    let reverse = move |reason: ReviewReason, subject: String| {
        let ReviewReason::Overspend {
            payee,
            amount,
            what,
            ..
        } = reason
        else {
            return;
        };
        let Ok(entry) = subject.parse() else {
            return;
        };
        let words = [
            ("payee", payee.into()),
            ("amount", amount.into()),
            ("what", what.clone().into()),
        ];
        let note = i18n.t_with("review-reverse-note", &[("what", what.into())]);
        confirm.ask(
            i18n.t("review-reverse-title"),
            i18n.t_with("review-reverse-confirm", &words),
            i18n.t("review-reverse"),
            move || {
                error.set(None);
                let note = note.clone();
                api::send(ReverseOverspend { entry, note }, error, move |()| {
                    toast.show(i18n.t("review-reversed"));
                });
            },
        );
    };
    // A whole activity's day at once.
    let approve_group = move |items: Vec<Waiting>| {
        error.set(None);
        spawn_local(async move {
            match answer_all(items, None).await {
                Ok(n) => toast.show(i18n.t_with("review-approved-many", &[("count", n.into())])),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    // What is being declined (one item, or a whole day: its form is open),
    // and why.
    let declining = RwSignal::new(None::<Vec<Waiting>>);
    let why = RwSignal::new(String::new());
    let decline_error = RwSignal::new(None);
    let decline = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(items) = declining.get_untracked() else {
            return;
        };
        let reason = why.get_untracked();
        decline_error.set(None);
        spawn_local(async move {
            match answer_all(items, Some(reason)).await {
                Ok(_) => {
                    declining.set(None);
                    why.set(String::new());
                    toast.show(i18n.t("review-declined"));
                }
                Err(e) => decline_error.set(Some(e)),
            }
        });
    };
    // The reason's form, under what it declines.
    let decline_form = move |field_id: &'static str, submit_id: &'static str| {
        view! {
            <form class="form decline-form" on:submit=decline>
                <Field id=field_id label="review-decline-label" field="reason" error=decline_error help="review-decline-help">
                    <input id=field_id type="text" maxlength="300"
                           prop:value=move || why.get()
                           on:input=move |ev| why.set(event_target_value(&ev))/>
                </Field>
                <div class="actions">
                    <button type="button" on:click=move |_| declining.set(None)>
                        {move || i18n.t("cancel")}
                    </button>
                    <button id=submit_id type="submit" class="primary danger">
                        {move || i18n.t("review-decline-submit")}
                    </button>
                </div>
            </form>
        }
    };
    let ask_why = move |items: Vec<Waiting>| {
        decline_error.set(None);
        why.set(String::new());
        declining.set(Some(items));
    };
    // Waiting check-ins, and hours, by activity and day, for the "approve
    // all" buttons.
    let groups = Memo::new(move |_| {
        let mut groups: Vec<(bool, String, String, Vec<Waiting>)> = Vec::new();
        for item in items.get().unwrap_or_default() {
            let (hours, activity, day) = match &item.reason {
                ReviewReason::LateCheckin { activity, at }
                | ReviewReason::PosterCheckin { activity, at } => {
                    (false, activity.clone(), i18n.day_of(*at))
                }
                ReviewReason::Hours { activity, date, .. } => {
                    (true, activity.clone(), i18n.date(*date))
                }
                _ => continue,
            };
            let Some(w) = item
                .subject
                .as_deref()
                .and_then(|s| waiting(&item.reason, s))
            else {
                continue;
            };
            match groups
                .iter_mut()
                .find(|(h, a, d, _)| *h == hours && *a == activity && *d == day)
            {
                Some((_, _, _, ids)) => ids.push(w),
                None => groups.push((hours, activity, day, vec![w])),
            }
        }
        groups.retain(|(_, _, _, ids)| ids.len() > 1);
        groups
    });
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
                {approvable.map(|(reason, subject)| {
                    let checkin = waiting(&reason, &subject);
                    let label = if matches!(reason, ReviewReason::Overspend { .. }) {
                        "review-accept-debt"
                    } else {
                        "review-approve"
                    };
                    let undo = matches!(reason, ReviewReason::Overspend { .. })
                        .then(|| (reason.clone(), subject.clone()));
                    view! {
                    <div class="actions">
                        <button class="primary approve" on:click=move |_| approve(reason.clone(), subject.clone())>
                            {move || i18n.t(label)}
                        </button>
                        {undo.map(|(reason, subject)| view! {
                            <button class="ghost reverse" on:click=move |_| reverse(reason.clone(), subject.clone())>
                                {move || i18n.t("review-reverse")}
                            </button>
                        })}
                        {checkin.map(|checkin| view! {
                            <Show when=move || declining.get() != Some(vec![checkin])>
                                <button class="ghost decline" on:click=move |_| ask_why(vec![checkin])>
                                    {move || i18n.t("review-decline")}
                                </button>
                            </Show>
                        })}
                    </div>
                    {checkin.map(|checkin| view! {
                        <Show when=move || declining.get() == Some(vec![checkin])>
                            {decline_form("decline-reason", "decline-submit")}
                        </Show>
                    })}
                    }
                })}
                {(!item.location.is_empty()).then(|| view! {
                    <details>
                        <summary>{move || i18n.t("review-where")}</summary>
                        <code class="code-text">{item.location.clone()}</code>
                    </details>
                })}
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
            <Show when=move || !groups.get().is_empty()>
                <ul class="cards" id="queue-groups">
                    {move || groups.get().into_iter().map(|(hours, activity, day, ids)| {
                        let n = ids.len();
                        let text = {
                            let (activity, day) = (activity.clone(), day.clone());
                            move || i18n.t_with(if hours { "review-group-hours" } else { "review-group" }, &[
                                ("activity", activity.clone().into()),
                                ("day", day.clone().into()),
                                ("count", n.into()),
                            ])
                        };
                        let (all, mine) = (ids.clone(), ids.clone());
                        view! {
                            <li class="card queue-group">
                                <p>{text}</p>
                                <div class="actions">
                                    <button class="primary approve-all" on:click=move |_| approve_group(ids.clone())>
                                        {move || i18n.t_with("review-approve-all", &[("count", n.into())])}
                                    </button>
                                    <button class="ghost decline-all" on:click=move |_| ask_why(all.clone())>
                                        {move || i18n.t_with("review-decline-all", &[("count", n.into())])}
                                    </button>
                                </div>
                                <Show when=move || declining.get().as_ref() == Some(&mine)>
                                    {decline_form("decline-all-reason", "decline-all-submit")}
                                </Show>
                            </li>
                        }
                    }).collect_view()}
                </ul>
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
