//! Paying with points by QR: the payee's request (partners, and
//! coordinators for the community house) on the points screen, and the
//! payer's yes and payment code on the scan screen.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::api::ApiError;
use nabo_shared::api::Table;
use nabo_shared::codes::QrView;
use nabo_shared::fields::FieldProblem;
use nabo_shared::members::Role;
use nabo_shared::rewards::offers::{ListOffers, OfferView, SaveOffer, WithdrawOffer};
use nabo_shared::rewards::payments::{
    Pay, PaymentAsk, RequestPayment, ReturnPoints, MAX_NOTE, MAX_WHAT,
};

use crate::api::{self, use_store};
use crate::components::{use_confirm, use_toast, Field, ShownCode, StatusArea};
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};

/// A number of points typed into `field`: required, a whole number above 0.
pub(crate) fn points(raw: &str, field: &'static str) -> Result<u64, ApiError> {
    match raw.trim().parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ if raw.trim().is_empty() => Err(ApiError::invalid(field, FieldProblem::Required)),
        _ => Err(ApiError::invalid(field, FieldProblem::Invalid)),
    }
}

/// Whether this device's member is a confirmed partner, and whether it
/// takes points (a partner, or a coordinator for the community house).
pub(crate) fn standing() -> (Memo<bool>, Memo<bool>) {
    let status = use_context::<crate::nav::StatusRes>();
    let profile = Memo::new(move |_| {
        status
            .and_then(|s| s.0.get())
            .and_then(|r| r.ok())
            .and_then(|s| s.profile)
    });
    let partner = Memo::new(move |_| {
        profile
            .get()
            .is_some_and(|p| p.confirmed && p.role == Role::Partner)
    });
    let takes =
        Memo::new(move |_| partner.get() || profile.get().is_some_and(|p| p.is_coordinator));
    (partner, takes)
}

/// The partners' offers, as the engine lists them.
fn offers() -> Memo<Vec<OfferView>> {
    let store = use_store();
    let list = LocalResource::new(move || {
        store.track(&[Table::Offers, Table::Members]);
        api::call(ListOffers)
    });
    Memo::new(move |_| list.get().and_then(|r| r.ok()).unwrap_or_default())
}

/// Where points can be spent: every partner's offers with their prices.
#[component]
pub fn Offers() -> impl IntoView {
    let i18n = use_i18n();
    let offers = offers();
    view! {
        <section class="card offers" aria-labelledby="offers-title">
            <h3 id="offers-title">{move || i18n.t("offers-title")}</h3>
            <Show when=move || offers.with(Vec::is_empty)>
                <p class="empty">{move || i18n.t("offers-empty")}</p>
            </Show>
            <ul class="history" id="offers">
                {move || offers.get().into_iter().map(|o| view! {
                    <li class="line offer">
                        <span class="line-title">{o.title.clone()}</span>
                        <span class="line-note">{o.partner.clone()}</span>
                        <span class="line-amount">{move || i18n.t_with("offer-price", &[("amount", o.price.into())])}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// A partner's own offers: add one, or withdraw one (partners).
#[component]
pub fn MyOffers() -> impl IntoView {
    let i18n = use_i18n();
    let toast = use_toast();
    let (partner, _) = standing();
    let offers = offers();
    let title = RwSignal::new(String::new());
    let price = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let price_n = match points(&price.get_untracked(), "price") {
            Ok(n) => n,
            Err(e) => return error.set(Some(e)),
        };
        let args = SaveOffer {
            id: None,
            title: title.get_untracked(),
            price: price_n,
        };
        api::send(args, error, move |_| {
            title.set(String::new());
            price.set(String::new());
            toast.show(i18n.t("offer-saved"));
        });
    };
    let withdraw = move |id| {
        error.set(None);
        api::send(WithdrawOffer { id }, error, move |()| {
            toast.show(i18n.t("offer-withdrawn"));
        });
    };
    view! {
        <Show when=move || partner.get()>
            <section class="card my-offers" aria-labelledby="my-offers-title">
                <h3 id="my-offers-title">{move || i18n.t("my-offers-title")}</h3>
                <p class="help">{move || i18n.t("my-offers-help")}</p>
                <ul class="member-list" id="my-offers">
                    {move || offers.get().into_iter().filter(|o| o.mine).map(|o| {
                        let id = o.id;
                        view! {
                            <li class="member">
                                <span class="member-name">{o.title.clone()}</span>
                                <span class="meta">{move || i18n.t_with("offer-price", &[("amount", o.price.into())])}</span>
                                <button class="ghost small withdraw-offer" on:click=move |_| withdraw(id)>
                                    {move || i18n.t("offer-withdraw")}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <form class="form" on:submit=submit>
                    <StatusArea error=error fields=&["title", "price"]/>
                    <Field id="offer-title" label="fieldname-offer-title" field="title" error=error>
                        <input id="offer-title" type="text" maxlength=MAX_WHAT.to_string()
                               prop:value=move || title.get()
                               on:input=move |ev| title.set(event_target_value(&ev))/>
                    </Field>
                    <Field id="offer-price" label="fieldname-price" field="price" error=error>
                        <input id="offer-price" type="number" inputmode="numeric" min="1"
                               prop:value=move || price.get()
                               on:input=move |ev| price.set(event_target_value(&ev))/>
                    </Field>
                    <button id="offer-submit" type="submit" class="secondary">
                        {move || i18n.t("offer-submit")}
                    </button>
                </form>
            </section>
        </Show>
    }
}

/// Taking points: the amount and what for (or one of the partner's own
/// offers), then a request code for the payer to scan (partners;
/// coordinators for the community house).
#[component]
pub fn ReceivePoints() -> impl IntoView {
    let i18n = use_i18n();
    let (_, takes) = standing();
    let mine = {
        let all = offers();
        Memo::new(move |_| all.get().into_iter().filter(|o| o.mine).collect::<Vec<_>>())
    };
    let amount = RwSignal::new(String::new());
    let what = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let request = RwSignal::new(None::<QrView>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        request.set(None);
        let amount = match points(&amount.get_untracked(), "amount") {
            Ok(n) => n,
            Err(e) => return error.set(Some(e)),
        };
        let what = what.get_untracked();
        api::send(RequestPayment { amount, what }, error, move |qr| {
            request.set(Some(qr));
        });
    };
    view! {
        <Show when=move || takes.get()>
            <section class="card receive" aria-labelledby="receive-title">
                <h3 id="receive-title">{move || i18n.t("receive-title")}</h3>
                <p class="help">{move || i18n.t("receive-help")}</p>
                <form class="form" on:submit=submit>
                    <StatusArea error=error fields=&["amount", "what"]/>
                    <Show when=move || !mine.with(Vec::is_empty)>
                        <label for="receive-offer">{move || i18n.t("receive-offer")}</label>
                        <select id="receive-offer" on:change=move |ev| {
                            let chosen = event_target_value(&ev);
                            if let Some(o) = mine.get_untracked().into_iter().find(|o| o.id.to_string() == chosen) {
                                amount.set(o.price.to_string());
                                what.set(o.title);
                            }
                        }>
                            <option value="">{move || i18n.t("receive-offer-none")}</option>
                            {move || mine.get().into_iter().map(|o| view! {
                                <option value=o.id.to_string()>{o.title.clone()}" · "{o.price}</option>
                            }).collect_view()}
                        </select>
                    </Show>
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
                <crate::cards::CardPay request=Signal::derive(move || request.get().map(|r| r.text))/>
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
    let enough = after >= -i64::try_from(ask.credit_limit).unwrap_or(0);
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

/// A partner hands points back to the community's account, with a note,
/// after a question (partners).
#[component]
pub fn HandBack() -> impl IntoView {
    let i18n = use_i18n();
    let toast = use_toast();
    let confirm = use_confirm();
    let (partner, _) = standing();
    let amount = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let n = match points(&amount.get_untracked(), "amount") {
            Ok(n) => n,
            Err(e) => return error.set(Some(e)),
        };
        if note.get_untracked().trim().is_empty() {
            return error.set(Some(ApiError::invalid("note", FieldProblem::Required)));
        }
        let args = ReturnPoints {
            amount: n,
            note: note.get_untracked(),
        };
        confirm.ask(
            i18n.t_with("hand-back-ask", &[("amount", n.into())]),
            i18n.t_with(
                "hand-back-ask-note",
                &[("note", args.note.trim().to_owned().into())],
            ),
            i18n.t("hand-back-submit"),
            move || {
                let args = args.clone();
                api::send(args, error, move |()| {
                    amount.set(String::new());
                    note.set(String::new());
                    toast.show(i18n.t("hand-back-done"));
                });
            },
        );
    };
    view! {
        <Show when=move || partner.get()>
            <section class="card hand-back" aria-labelledby="hand-back-title">
                <h3 id="hand-back-title">{move || i18n.t("hand-back-title")}</h3>
                <p class="help">{move || i18n.t("hand-back-help")}</p>
                <form class="form" on:submit=submit>
                    <StatusArea error=error fields=&["amount", "note"]/>
                    <Field id="hand-back-amount" label="fieldname-amount" field="amount" error=error>
                        <input id="hand-back-amount" type="number" inputmode="numeric" min="1"
                               prop:value=move || amount.get()
                               on:input=move |ev| amount.set(event_target_value(&ev))/>
                    </Field>
                    <Field id="hand-back-note" label="fieldname-note" field="note" error=error>
                        <input id="hand-back-note" type="text" maxlength=MAX_NOTE.to_string()
                               prop:value=move || note.get()
                               on:input=move |ev| note.set(event_target_value(&ev))/>
                    </Field>
                    <button id="hand-back-submit" type="submit" class="secondary">
                        {move || i18n.t("hand-back-submit")}
                    </button>
                </form>
            </section>
        </Show>
    }
}
