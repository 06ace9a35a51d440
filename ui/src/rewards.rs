//! The resident's first screen: the balance, big, then the history.

use leptos::prelude::*;
use nabo_shared::api::Table;
use nabo_shared::rewards::{GetWallet, LineStatus};

use crate::api::{self, use_store};
use crate::components::{local_time, ErrorBox};
use crate::i18n::use_i18n;

#[component]
pub fn Wallet() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let wallet = LocalResource::new(move || {
        store.track(&[
            Table::Ledger,
            Table::Checkins,
            Table::Activities,
            Table::Members,
        ]);
        api::call(GetWallet)
    });
    let error = RwSignal::new(None);
    Effect::new(move |_| error.set(wallet.get().and_then(|r| r.err())));
    let view_ = Memo::new(move |_| wallet.get().and_then(|r| r.ok()));

    view! {
        <section class="wallet">
            <h2 class="sr-only">{move || i18n.t("wallet-title")}</h2>
            <ErrorBox error=error/>
            <div class="balance-card">
                <p class="balance-label">{move || i18n.t("wallet-balance-label")}</p>
                <p id="balance" class="balance">{move || view_.get().map(|w| w.balance.to_string()).unwrap_or_default()}</p>
                <Show when=move || view_.get().is_some_and(|w| w.pending > 0)>
                    <p id="pending" class="pending">
                        {move || i18n.t_with("wallet-pending", &[("amount", view_.get().map(|w| w.pending).unwrap_or(0).into())])}
                    </p>
                </Show>
            </div>
            <h3>{move || i18n.t("wallet-history")}</h3>
            <Show when=move || view_.get().is_some_and(|w| w.history.is_empty())>
                <p class="empty">{move || i18n.t("wallet-empty")}</p>
            </Show>
            <ul class="history" id="history">
                {move || view_.get().map(|w| w.history.into_iter().map(|line| {
                    let status_class = match line.status {
                        LineStatus::Pending => "line pending",
                        LineStatus::Issued => "line issued",
                        LineStatus::Capped => "line capped",
                    };
                    let title = if line.title.is_empty() { None } else { Some(line.title.clone()) };
                    let amount = line.amount;
                    view! {
                        <li class=status_class>
                            <span class="line-title">{move || title.clone().unwrap_or_else(|| i18n.t("line-unknown-activity"))}</span>
                            <span class="line-time">{local_time(line.at)}</span>
                            <span class="line-amount">{move || match line.status {
                                LineStatus::Pending if amount == 0 => i18n.t("line-pending"),
                                LineStatus::Pending => i18n.t_with("line-pending-amount", &[("amount", amount.into())]),
                                LineStatus::Issued => i18n.t_with("line-issued", &[("amount", amount.into())]),
                                LineStatus::Capped => i18n.t("line-capped"),
                            }}</span>
                        </li>
                    }
                }).collect_view())}
            </ul>
        </section>
    }
}
