//! Points: the resident's first screen (the balance, big, then the
//! history), and a member's history for coordinators.

use leptos::prelude::*;
use nabo_shared::api::{ApiError, Table};
use nabo_shared::rewards::{GetWallet, LineStatus, MemberHistory, WalletView};

use crate::api::{self, use_store};
use crate::components::StatusArea;
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};
use crate::nav::{use_nav, Screen};

/// The tables a wallet is made from.
const TABLES: [Table; 4] = [
    Table::Ledger,
    Table::Checkins,
    Table::Activities,
    Table::Members,
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
                let status_class = match line.status {
                    LineStatus::Pending => "line pending",
                    LineStatus::Issued => "line issued",
                    LineStatus::Capped => "line capped",
                    LineStatus::AwaitingApproval => "line pending awaiting",
                    LineStatus::Declined => "line declined",
                };
                let note = line.note.clone();
                let title = if line.title.is_empty() { None } else { Some(line.title.clone()) };
                let amount = line.amount;
                let at = line.at;
                view! {
                    <li class=status_class>
                        <span class="line-title">{move || title.clone().unwrap_or_else(|| i18n.t("line-unknown-activity"))}</span>
                        <span class="line-time">{move || i18n.datetime(at)}</span>
                        {note.map(|note| view! {
                            <span class="line-note">{move || i18n.t_with("line-declined-why", &[("reason", note.clone().into())])}</span>
                        })}
                        <span class="line-amount">{move || match line.status {
                            LineStatus::Pending if amount == 0 => i18n.t("line-pending"),
                            LineStatus::Pending => i18n.t_with("line-pending-amount", &[("amount", i18n.plus(amount))]),
                            LineStatus::Issued => i18n.t_with("line-issued", &[("amount", i18n.plus(amount))]),
                            LineStatus::Capped => i18n.t("line-capped"),
                            LineStatus::AwaitingApproval => i18n.t_with("line-awaiting-amount", &[("amount", i18n.plus(amount))]),
                            LineStatus::Declined => i18n.t("line-declined"),
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
    let view_ = Memo::new(move |_| wallet.get().and_then(|r| r.ok()));

    view! {
        <section class="wallet">
            <h2 class="sr-only">{move || i18n.t("wallet-title")}</h2>
            <StatusArea error=error/>
            <Balance wallet=view_/>
            <h3>{move || i18n.t("wallet-history")}</h3>
            <History wallet=view_ empty="wallet-empty"/>
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
    let view_ = Memo::new(move |_| wallet.get().and_then(|r| r.ok()));
    view! {
        <section class="member-history">
            <div class="screen-body">
            <h2>{move || i18n.t_with("member-history-title", &[("name", name.clone().into())])}</h2>
            <p class="meta" dir="ltr">{device.clone()}</p>
            <StatusArea error=error/>
            <Balance wallet=view_/>
            <History wallet=view_ empty="member-history-empty"/>
            </div>
            <div class="bottom-action">
                <button id="close-history" class="primary wide" on:click=move |_| nav.0.set(Screen::Members)>
                    <Ico icon=Icon::Back/><span>{move || i18n.t("back")}</span>
                </button>
            </div>
        </section>
    }
}
