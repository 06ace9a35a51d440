//! Paying with points by QR: the payee's request (partners, and
//! coordinators for the community house) on the points screen, and the
//! payer's yes and payment code on the scan screen.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::api::ApiError;
use nabo_shared::codes::QrView;
use nabo_shared::fields::FieldProblem;
use nabo_shared::members::Role;
use nabo_shared::rewards::payments::{Pay, PaymentAsk, RequestPayment, MAX_WHAT};

use crate::api;
use crate::components::{Field, ShownCode, StatusArea};
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};

/// Taking points: the amount and what for, then a request code for the
/// payer to scan (partners; coordinators for the community house).
#[component]
pub fn ReceivePoints() -> impl IntoView {
    let i18n = use_i18n();
    let status = use_context::<crate::nav::StatusRes>();
    let takes = Memo::new(move |_| {
        status
            .and_then(|s| s.0.get())
            .and_then(|r| r.ok())
            .and_then(|s| s.profile)
            .is_some_and(|p| p.confirmed && (p.is_coordinator || p.role == Role::Partner))
    });
    let amount = RwSignal::new(String::new());
    let what = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let request = RwSignal::new(None::<QrView>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        request.set(None);
        let raw = amount.get_untracked();
        let amount = match raw.trim().parse::<u64>() {
            Ok(n) if n > 0 => n,
            _ if raw.trim().is_empty() => {
                return error.set(Some(ApiError::invalid("amount", FieldProblem::Required)))
            }
            _ => return error.set(Some(ApiError::invalid("amount", FieldProblem::Invalid))),
        };
        let what = what.get_untracked();
        spawn_local(async move {
            match api::call(RequestPayment { amount, what }).await {
                Ok(qr) => request.set(Some(qr)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Show when=move || takes.get()>
            <section class="card receive" aria-labelledby="receive-title">
                <h3 id="receive-title">{move || i18n.t("receive-title")}</h3>
                <p class="help">{move || i18n.t("receive-help")}</p>
                <form class="form" on:submit=submit>
                    <StatusArea error=error fields=&["amount", "what"]/>
                    <Field id="receive-amount" label="fieldname-amount" field="amount" error=error>
                        <input id="receive-amount" type="number" inputmode="numeric" min="1"
                               prop:value=move || amount.get()
                               on:input=move |ev| amount.set(event_target_value(&ev))/>
                    </Field>
                    <Field id="receive-what" label="fieldname-what" field="what" error=error help="receive-what-help">
                        <input id="receive-what" type="text" maxlength=MAX_WHAT.to_string()
                               prop:value=move || what.get()
                               on:input=move |ev| what.set(event_target_value(&ev))/>
                    </Field>
                    <button id="receive-submit" type="submit" class="primary">
                        <Ico icon=Icon::Qr/><span>{move || i18n.t("receive-submit")}</span>
                    </button>
                </form>
                <Show when=move || request.with(Option::is_some)>
                    <p class="help" id="receive-next">{move || i18n.t("receive-next")}</p>
                </Show>
                <ShownCode id="payment-request" code=request share_title="payment-share-title"/>
            </section>
        </Show>
    }
}

/// What a scanned request asks, the payer's yes, and then the payment code
/// to show the payee.
#[component]
pub fn PayPanel(ask: PaymentAsk, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let paid = RwSignal::new(None::<QrView>);
    let dismissed = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let after = ask.balance - i64::try_from(ask.amount).unwrap_or(i64::MAX);
    let enough = after >= 0;
    let (payee, payee_shown, what) = (ask.payee.clone(), ask.payee.clone(), ask.what.clone());
    let request = StoredValue::new(ask.request.clone());
    let amount = ask.amount;
    let pay = move |_| {
        error.set(None);
        busy.set(true);
        spawn_local(async move {
            match api::call(Pay {
                request: request.get_value(),
            })
            .await
            {
                Ok(qr) => paid.set(Some(qr)),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <Show when=move || !dismissed.get()>
            <section class="card pay" id="pay-panel" aria-labelledby="pay-title">
                <h3 id="pay-title">{
                    let (payee, what) = (payee.clone(), what.clone());
                    move || i18n.t_with("pay-title", &[
                        ("payee", payee.clone().into()),
                        ("amount", amount.into()),
                        ("what", what.clone().into()),
                    ])
                }</h3>
                <Show when=move || paid.with(Option::is_none)
                      fallback={
                          let payee = payee_shown.clone();
                          move || view! {
                              <p class="help" id="pay-show">{
                                  let payee = payee.clone();
                                  move || i18n.t_with("pay-show", &[("payee", payee.clone().into())])
                              }</p>
                          }
                      }>
                    <p id="pay-balance">{move || if enough {
                        i18n.t_with("pay-balance", &[
                            ("balance", i18n.number(ask.balance as f64).into()),
                            ("after", i18n.number(after as f64).into()),
                        ])
                    } else {
                        i18n.t_with("error-not-enough-points", &[("balance", ask.balance.into())])
                    }}</p>
                    <div class="bottom-action">
                        <button id="pay-confirm" class="primary" disabled=move || busy.get() || !enough on:click=pay>
                            {move || i18n.t_with("pay-confirm", &[("amount", amount.into())])}
                        </button>
                        <button id="pay-cancel" class="ghost" on:click=move |_| dismissed.set(true)>
                            {move || i18n.t("cancel")}
                        </button>
                    </div>
                </Show>
                <ShownCode id="payment" code=paid share_title="payment-share-title"/>
            </section>
        </Show>
    }
}
