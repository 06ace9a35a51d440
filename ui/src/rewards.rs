//! Points: the resident's first screen (the balance, big, then the
//! history), and a member's history for coordinators.

use leptos::prelude::*;
use nabo_shared::api::{ApiError, Table};
use nabo_shared::fields::FieldProblem;
use nabo_shared::rewards::{
    CorrectPoints, CurrencyView, GetCurrency, GetWallet, LineStatus, MemberHistory, WalletView,
    MAX_CORRECTION,
};

use crate::api::{self, use_store};
use crate::components::{use_confirm, use_toast, Field, StatusArea};
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};
use crate::nav::{use_nav, Screen};

/// The tables a wallet is made from.
const TABLES: [Table; 7] = [
    Table::Ledger,
    Table::Movements,
    Table::Payments,
    Table::Checkins,
    Table::Activities,
    Table::Members,
    Table::DeviceLinks,
];

/// A wallet's lines, newest first: earned, waiting, or held back by the
/// day's cap, each with its activity and time.
#[component]
fn History(wallet: Memo<Option<WalletView>>, empty: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || wallet.get().is_some_and(|w| w.history.is_empty())>
            <p class="empty">{move || i18n.t(empty)}</p>
        </Show>
        <ul class="history" id="history">
            {move || wallet.get().map(|w| w.history.into_iter().map(|line| {
                let title = if line.title.is_empty() { None } else { Some(line.title.clone()) };
                let status_class = match line.status {
                    LineStatus::Pending => "line pending",
                    LineStatus::Issued => "line issued",
                    LineStatus::Capped => "line capped",
                    LineStatus::AwaitingApproval => "line pending awaiting",
                    LineStatus::Declined => "line declined",
                    LineStatus::Corrected if line.debit => "line corrected debit",
                    LineStatus::Corrected => "line corrected",
                    LineStatus::Hours => "line issued hours",
                    LineStatus::Expired => "line corrected debit expired",
                    LineStatus::Paid => "line corrected debit paid",
                    LineStatus::Received => "line issued received",
                    LineStatus::Returned => "line corrected debit returned",
                    LineStatus::PaymentRefused => "line declined refused",
                    LineStatus::PaymentWaiting => "line pending debit paid",
                };
                let note = line.note.clone();
                let (status, debit) = (line.status, line.debit);
                let title = if status == LineStatus::Corrected {
                    None
                } else {
                    title
                };

                let amount = line.amount;
                let at = line.at;
                view! {
                    <li class=status_class>
                        <span class="line-title">{move || match (status, title.clone()) {
                    (LineStatus::Hours, Some(title)) => i18n.t_with("line-hours", &[("work", title.into())]),
                    (LineStatus::Expired, _) => i18n.t("line-expired"),
                    (LineStatus::Returned, _) => i18n.t("line-returned"),
                    (_, Some(title)) => title,
                    (LineStatus::Corrected, None) => i18n.t("line-correction"),
                    (_, None) => i18n.t("line-unknown-activity"),
                }}</span>
                        <span class="line-time">{move || i18n.datetime(at)}</span>
                        {note.map(|note| view! {
                            <span class="line-note">{move || match status {
                                LineStatus::Declined => i18n.t_with("line-declined-why", &[("reason", note.clone().into())]),
                                // The month whose points expired: "2026-03".
                                LineStatus::Expired => {
                                    let (year, month) = note.split_once('-').unwrap_or_default();
                                    i18n.t_with("line-expired-month", &[
                                        ("month", i18n.month(month.parse().unwrap_or(1)).into()),
                                        ("year", year.to_owned().into()),
                                    ])
                                }
                                LineStatus::Paid => i18n.t_with("line-paid-to", &[("payee", note.clone().into())]),
                                LineStatus::Received => i18n.t_with("line-received-from", &[("payer", note.clone().into())]),
                                LineStatus::PaymentRefused => i18n.t_with("line-refused-by", &[("payee", note.clone().into())]),
                                LineStatus::PaymentWaiting => i18n.t_with("line-waiting-for", &[("payee", note.clone().into())]),
                                _ => note.clone(),
                            }}</span>
                        })}
                        <span class="line-amount">{move || match line.status {
                            LineStatus::Pending if amount == 0 => i18n.t("line-pending"),
                            LineStatus::Pending => i18n.t_with("line-pending-amount", &[("amount", i18n.plus(amount))]),
                            LineStatus::Issued => i18n.t_with("line-issued", &[("amount", i18n.plus(amount))]),
                            LineStatus::Capped => i18n.t("line-capped"),
                            LineStatus::AwaitingApproval => i18n.t_with("line-awaiting-amount", &[("amount", i18n.plus(amount))]),
                            LineStatus::Declined | LineStatus::PaymentRefused => i18n.t("line-declined"),
                            LineStatus::PaymentWaiting => i18n.t_with("line-pending-amount", &[("amount", i18n.minus(amount))]),
                            LineStatus::Expired | LineStatus::Paid | LineStatus::Returned => i18n.t_with("line-issued", &[("amount", i18n.minus(amount))]),
                            LineStatus::Received => i18n.t_with("line-issued", &[("amount", i18n.plus(amount))]),
                            LineStatus::Corrected if debit => i18n.t_with("line-issued", &[("amount", i18n.minus(amount))]),
                            LineStatus::Corrected | LineStatus::Hours => i18n.t_with("line-issued", &[("amount", i18n.plus(amount))]),
                        }}</span>
                    </li>
                }
            }).collect_view())}
        </ul>
    }
}

/// The balance, large, and what is waiting.
#[component]
fn Balance(wallet: Memo<Option<WalletView>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="balance-card">
            <p class="balance-label">{move || i18n.t("wallet-balance-label")}</p>
            <p id="balance" class="balance" dir="ltr">{move || wallet.get().map(|w| i18n.number(w.balance as f64)).unwrap_or_default()}</p>
            <Show when=move || wallet.get().is_some_and(|w| w.pending > 0)>
                <p id="pending" class="pending">
                    {move || i18n.t_with("wallet-pending", &[("amount", i18n.plus(wallet.get().map(|w| w.pending).unwrap_or(0) as f64))])}
                </p>
            </Show>
        </div>
    }
}

#[component]
pub fn Wallet() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let wallet = LocalResource::new(move || {
        store.track(&TABLES);
        api::call(GetWallet)
    });
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| error.set(wallet.get().and_then(|r| r.err())));
    // While a change is read again, the wallet shown stays (no flicker).
    let view_ = Memo::new(move |shown: Option<&Option<WalletView>>| {
        wallet
            .get()
            .and_then(|r| r.ok())
            .or_else(|| shown.cloned().flatten())
    });
    let status = use_context::<crate::nav::StatusRes>();
    let is_coordinator = Memo::new(move |_| {
        status
            .and_then(|s| s.0.get())
            .and_then(|r| r.ok())
            .and_then(|s| s.profile)
            .is_some_and(|p| p.is_coordinator)
    });

    view! {
        <section class="wallet">
            <h2 class="sr-only">{move || i18n.t("wallet-title")}</h2>
            <StatusArea error=error/>
            <Balance wallet=view_/>
            <crate::rounds::OpenRounds/>
            <crate::pool::PoolWaiting/>
            <crate::payments::ReceivePoints/>
            <crate::payments::MyOffers/>
            <crate::payments::HandBack/>
            <crate::hours::VolunteerHours error=error/>
            <crate::payments::Offers/>
            <h3>{move || i18n.t("wallet-history")}</h3>
            <History wallet=view_ empty="wallet-empty"/>
            <Show when=move || is_coordinator.get()>
                <Currency/>
            </Show>
        </section>
    }
}

/// The community's points as a whole (coordinators): what circulates, the
/// community's own account, and where the points came from.
#[component]
fn Currency() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let currency = LocalResource::new(move || {
        store.track(&[
            Table::Ledger,
            Table::Movements,
            Table::Payments,
            Table::HourDecisions,
            Table::Members,
            Table::DeviceLinks,
        ]);
        api::call(GetCurrency)
    });
    let view_ = Memo::new(move |_| currency.get().and_then(|r| r.ok()));
    let row = move |label: &'static str,
                    value: Box<dyn Fn(&CurrencyView) -> String + Send + Sync>| {
        view! {
            <div class="stat">
                <dt>{move || i18n.t(label)}</dt>
                <dd dir="ltr">{move || view_.get().map(|v| value(&v)).unwrap_or_default()}</dd>
            </div>
        }
    };
    view! {
        <section class="card currency" aria-labelledby="currency-title">
            <h3 id="currency-title">{move || i18n.t("currency-title")}</h3>
            <p class="help">{move || i18n.t("currency-help")}</p>
            <dl id="currency">
                {row("currency-circulating", Box::new(move |v| i18n.number(v.circulating as f64)))}
                {row("currency-community", Box::new(move |v| i18n.number(v.community_account as f64)))}
                {row("currency-checkins", Box::new(move |v| i18n.number(v.from_checkins as f64)))}
                {row("currency-hours", Box::new(move |v| i18n.number(v.from_hours as f64)))}
                {row("currency-given", Box::new(move |v| i18n.number(v.corrections_given as f64)))}
                {row("currency-taken", Box::new(move |v| i18n.number(v.corrections_taken as f64)))}
                {row("currency-expired", Box::new(move |v| i18n.number(v.expired as f64)))}
                {row("currency-holders", Box::new(move |v| i18n.number(v.holders)))}
            </dl>
        </section>
    }
}

/// A member's points and history, as they see them (coordinators).
#[component]
pub fn MemberHistoryScreen(device: String, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let nav = use_nav();
    let asked = device.clone();
    let wallet = LocalResource::new(move || {
        store.track(&TABLES);
        api::call(MemberHistory {
            device: asked.clone(),
        })
    });
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| error.set(wallet.get().and_then(|r| r.err())));
    // While a change is read again, the wallet shown stays (no flicker).
    let view_ = Memo::new(move |shown: Option<&Option<WalletView>>| {
        wallet
            .get()
            .and_then(|r| r.ok())
            .or_else(|| shown.cloned().flatten())
    });
    let name_shown = name.clone();
    let hours_of = device.clone();
    // A coordinator does not correct their own points.
    let status = use_context::<crate::nav::StatusRes>();
    let own = Memo::new(move |_| {
        status
            .and_then(|s| s.0.get())
            .and_then(|r| r.ok())
            .map(|s| s.device)
    });
    view! {
        <section class="member-history">
            <div class="screen-body">
            <h2>{move || i18n.t_with("member-history-title", &[("name", name_shown.clone().into())])}</h2>
            <p class="meta" dir="ltr">{device.clone()}</p>
            <StatusArea error=error/>
            <Balance wallet=view_/>
            <Show when={
                let device = device.clone();
                move || own.get().is_some_and(|own| own != device)
            }>
                <Correction device=device.clone() name=name.clone()/>
                <crate::members::MemberDevices device=device.clone() name=name.clone()/>
            </Show>
            <History wallet=view_ empty="member-history-empty"/>
            <crate::hours::MemberHoursList device=hours_of.clone()/>
            </div>
            <div class="bottom-action">
                <button id="close-history" class="primary wide" on:click=move |_| nav.0.set(Screen::Members)>
                    <Ico icon=Icon::Back/><span>{move || i18n.t("back")}</span>
                </button>
            </div>
        </section>
    }
}

/// A coordinator gives a member points or takes some back, with a note
/// the member sees, after a question.
#[component]
fn Correction(device: String, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let confirm = use_confirm();
    let toast = use_toast();
    let give = RwSignal::new(true);
    let amount = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let points = match amount.get_untracked().trim().parse::<i64>() {
            Ok(n) if (1..=MAX_CORRECTION).contains(&n) => n,
            Ok(_) | Err(_) if amount.get_untracked().trim().is_empty() => {
                return error.set(Some(ApiError::invalid("amount", FieldProblem::Required)));
            }
            _ => return error.set(Some(ApiError::invalid("amount", FieldProblem::Invalid))),
        };
        if note.get_untracked().trim().is_empty() {
            return error.set(Some(ApiError::invalid("note", FieldProblem::Required)));
        }
        let signed = if give.get_untracked() {
            points
        } else {
            -points
        };
        let args = CorrectPoints {
            device: device.clone(),
            amount: signed,
            note: note.get_untracked(),
        };
        let question = i18n.t_with(
            if signed > 0 {
                "correct-ask-give"
            } else {
                "correct-ask-take"
            },
            &[("name", name.clone().into()), ("amount", points.into())],
        );
        confirm.ask(
            question,
            i18n.t_with(
                "correct-ask-note",
                &[("note", args.note.trim().to_owned().into())],
            ),
            i18n.t("correct-submit"),
            move || {
                let args = args.clone();
                api::send(args, error, move |()| {
                    amount.set(String::new());
                    note.set(String::new());
                    toast.show(i18n.t("correct-done"));
                });
            },
        );
    };
    view! {
        <section class="card correction" aria-labelledby="correct-title">
            <h3 id="correct-title">{move || i18n.t("correct-title")}</h3>
            <form class="form" on:submit=submit>
                <StatusArea error=error fields=&["amount", "note"]/>
                <fieldset>
                    <legend>{move || i18n.t("correct-direction")}</legend>
                    <label class="check">
                        <input type="radio" name="correct-direction" id="correct-give"
                               prop:checked=move || give.get() on:change=move |_| give.set(true)/>
                        {move || i18n.t("correct-give")}
                    </label>
                    <label class="check">
                        <input type="radio" name="correct-direction" id="correct-take"
                               prop:checked=move || !give.get() on:change=move |_| give.set(false)/>
                        {move || i18n.t("correct-take")}
                    </label>
                </fieldset>
                <Field id="correct-amount" label="fieldname-amount" field="amount" error=error>
                    <input id="correct-amount" type="number" inputmode="numeric" min="1"
                           prop:value=move || amount.get()
                           on:input=move |ev| amount.set(event_target_value(&ev))/>
                </Field>
                <Field id="correct-note" label="fieldname-note" field="note" error=error help="correct-note-help">
                    <input id="correct-note" type="text" maxlength="300"
                           prop:value=move || note.get()
                           on:input=move |ev| note.set(event_target_value(&ev))/>
                </Field>
                <button id="correct-submit" type="submit" class="primary">
                    {move || i18n.t("correct-submit")}
                </button>
            </form>
        </section>
    }
}
