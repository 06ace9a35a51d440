//! Member cards, for residents without a smartphone: enrolling a holder and
//! printing their card (coordinators), a new card for a lost one, checking
//! a holder in by card at the scan screen, and a holder paying by card with
//! their PIN where points are taken.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::activities::{ActivityView, ListActivities, ReadQrImage, ScanOutcome};
use nabo_shared::api::{ApiError, Table};
use nabo_shared::fields::MAX_TITLE;
use nabo_shared::ids::ActivityId;
use nabo_shared::members::cards::{
    CardScanned, CardTexts, CheckInCard, EnrolCard, NewCard, PayByCard, PrintedCard, MAX_PIN,
};
use nabo_shared::rewards::payments::{PaymentReceipt, RequestPayment, MAX_WHAT};

use crate::api::{self, use_store};
use crate::components::{use_confirm, use_toast, Field, Note, StatusArea};
use crate::i18n::{use_i18n, I18n};
use crate::icons::{Ico, Icon};

/// The words a card prints, in the coordinator's language.
fn texts(i18n: I18n) -> CardTexts {
    CardTexts {
        heading: i18n.t("card-heading"),
        code: i18n.t("card-code"),
        how: i18n.t("card-how"),
    }
}

/// Says where the card was saved.
fn saved(i18n: I18n, card: &PrintedCard) -> String {
    i18n.t_with(
        "card-saved",
        &[
            ("path", card.path.clone().into()),
            ("code", card.code.clone().into()),
        ],
    )
}

/// The PIN twice, as the holder types it, or the form's error.
fn chosen_pin(pin: &str, again: &str) -> Result<String, ApiError> {
    if pin.trim() != again.trim() {
        return Err(ApiError::InvalidField {
            field: "pin_again".into(),
            problem: nabo_shared::fields::FieldProblem::Invalid,
        });
    }
    Ok(pin.trim().to_owned())
}

/// A PIN field: digits, hidden, a phone's number pad.
#[component]
fn PinInput(id: &'static str, value: RwSignal<String>) -> impl IntoView {
    view! {
        <input id=id type="password" inputmode="numeric" autocomplete="off"
               maxlength=MAX_PIN.to_string()
               prop:value=move || value.get()
               on:input=move |ev| value.set(event_target_value(&ev))/>
    }
}

/// Enrols a resident without a phone and saves their card to print
/// (coordinators, on the members screen).
#[component]
pub fn EnrolCardForm() -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let printed = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        printed.set(None);
        let chosen = match chosen_pin(&pin.get_untracked(), &again.get_untracked()) {
            Ok(p) => p,
            Err(e) => return error.set(Some(e)),
        };
        let args = EnrolCard {
            name: name.get_untracked(),
            pin: chosen,
            texts: texts(i18n),
        };
        busy.set(true);
        spawn_local(async move {
            match api::call(args).await {
                Ok(card) => {
                    // Said in the form's status area, where it stays to be read.
                    printed.set(Some(saved(i18n, &card)));
                    name.set(String::new());
                    pin.set(String::new());
                    again.set(String::new());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let note = Signal::derive(move || {
        if busy.get() {
            return Some(Note::Working(i18n.t("card-making")));
        }
        printed.get().map(Note::Done)
    });
    view! {
        <details class="card" id="enrol-card">
            <summary><h3>{move || i18n.t("card-enrol-title")}</h3></summary>
            <p class="help">{move || i18n.t("card-enrol-help")}</p>
            <form class="form" on:submit=submit>
                <StatusArea error=error message=note fields=&["name", "pin", "pin_again"] id="enrol-card-result"/>
                <Field id="card-name" label="fieldname-name" field="name" error=error>
                    <input id="card-name" type="text" maxlength=MAX_TITLE.to_string() autocomplete="off"
                           prop:value=move || name.get()
                           on:input=move |ev| name.set(event_target_value(&ev))/>
                </Field>
                <Field id="card-pin" label="fieldname-pin" field="pin" error=error help="card-pin-help">
                    <PinInput id="card-pin" value=pin/>
                </Field>
                <Field id="card-pin-again" label="fieldname-pin_again" field="pin_again" error=error>
                    <PinInput id="card-pin-again" value=again/>
                </Field>
                <button id="enrol-card-submit" type="submit" class="primary" disabled=move || busy.get()>
                    <Ico icon=Icon::Print/><span>{move || i18n.t("card-enrol-submit")}</span>
                </button>
            </form>
        </details>
    }
}

/// A new card for a member whose card was lost or worn: their earlier
/// cards stop working (coordinators, on the member's page).
#[component]
pub fn NewCardForm(member: String, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let toast = use_toast();
    let confirm = use_confirm();
    let pin = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let member = StoredValue::new(member);
    let name = StoredValue::new(name);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let chosen = match chosen_pin(&pin.get_untracked(), &again.get_untracked()) {
            Ok(p) => p,
            Err(e) => return error.set(Some(e)),
        };
        let args = NewCard {
            member: member.get_value(),
            pin: chosen,
            texts: texts(i18n),
        };
        let who = || ("name", name.get_value().into());
        confirm.ask(
            i18n.t_with("card-new-title", &[who()]),
            i18n.t_with("card-new-confirm", &[who()]),
            i18n.t("card-new-yes"),
            move || {
                let args = args.clone();
                api::send(args, error, move |card| {
                    toast.show(saved(i18n, &card));
                    pin.set(String::new());
                    again.set(String::new());
                });
            },
        );
    };
    view! {
        <form class="form" id="new-card" on:submit=submit>
            <h4>{move || i18n.t("card-new-heading")}</h4>
            <StatusArea error=error fields=&["pin", "pin_again"]/>
            <Field id="new-card-pin" label="fieldname-pin" field="pin" error=error help="card-pin-help">
                <PinInput id="new-card-pin" value=pin/>
            </Field>
            <Field id="new-card-pin-again" label="fieldname-pin_again" field="pin_again" error=error>
                <PinInput id="new-card-pin-again" value=again/>
            </Field>
            <button id="new-card-submit" type="submit" class="ghost">
                <Ico icon=Icon::Print/><span>{move || i18n.t("card-new-submit")}</span>
            </button>
        </form>
    }
}

/// After a card was scanned on a coordinator's device: check its holder
/// in to one of today's activities. The scan screen's status area says
/// what happened (`outcome`, `error`).
#[component]
pub fn CardDesk(
    card: CardScanned,
    coordinator: bool,
    checked: RwSignal<Option<(String, ScanOutcome)>>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let activities = LocalResource::new(move || {
        store.track(&[Table::Activities]);
        api::call(ListActivities)
    });
    let open = Memo::new(move |_| {
        activities
            .get()
            .and_then(|r| r.ok())
            .unwrap_or_default()
            .into_iter()
            .filter(|a| !a.archived)
            .collect::<Vec<ActivityView>>()
    });
    let chosen = RwSignal::new(None::<ActivityId>);
    // The first activity, until one is chosen.
    Effect::new(move |_| {
        if chosen.get().is_none() {
            if let Some(first) = open.with(|a| a.first().map(|a| a.id)) {
                chosen.set(Some(first));
            }
        }
    });
    let busy = RwSignal::new(false);
    // Paying with the card, here: the amount and what for, and the holder's
    // PIN (partners, and coordinators for the community house).
    let (_, takes) = crate::payments::standing();
    let amount = RwSignal::new(String::new());
    let what = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let pay_error = RwSignal::new(None::<ApiError>);
    let paid = RwSignal::new(None::<PaymentReceipt>);
    let paying = RwSignal::new(false);
    let (holder, text) = (card.holder.clone(), StoredValue::new(card.card.clone()));
    let holder_name = StoredValue::new(card.holder.clone());
    let check_in = move |_| {
        let Some(activity) = chosen.get_untracked() else {
            return;
        };
        error.set(None);
        checked.set(None);
        busy.set(true);
        spawn_local(async move {
            match api::call(CheckInCard {
                card: text.get_value(),
                activity,
            })
            .await
            {
                Ok(o) => checked.set(Some((holder_name.get_value(), o))),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let pay = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pay_error.set(None);
        paid.set(None);
        let amount = match crate::payments::points(&amount.get_untracked(), "amount") {
            Ok(n) => n,
            Err(e) => return pay_error.set(Some(e)),
        };
        let (what, pin_typed) = (what.get_untracked(), pin.get_untracked());
        paying.set(true);
        spawn_local(async move {
            // This device's request for it, paid at once with the card.
            let receipt = match api::call(RequestPayment { amount, what }).await {
                Ok(request) => {
                    api::call(PayByCard {
                        request: request.text,
                        card: text.get_value(),
                        pin: pin_typed,
                    })
                    .await
                }
                Err(e) => Err(e),
            };
            match receipt {
                Ok(r) => {
                    paid.set(Some(r));
                    pin.set(String::new());
                }
                Err(e) => pay_error.set(Some(e)),
            }
            paying.set(false);
        });
    };
    let pay_note = paying_note(i18n, paying, paid);
    view! {
        <section class="card" id="card-desk" aria-labelledby="card-desk-title">
            <h3 id="card-desk-title">{
                let holder = holder.clone();
                move || i18n.t_with("card-desk-title", &[("name", holder.clone().into())])
            }</h3>
            <Show when=move || coordinator>
                <Show when=move || !open.with(Vec::is_empty)
                      fallback=move || view! { <p class="empty">{move || i18n.t("card-desk-no-activities")}</p> }>
                    <div class="form">
                    <label for="card-activity">{move || i18n.t("card-desk-activity")}</label>
                    <select id="card-activity" on:change=move |ev| {
                        chosen.set(event_target_value(&ev).parse().ok());
                    }>
                        {move || open.get().into_iter().map(|a| {
                            let id = a.id;
                            view! {
                                <option value=id.to_string() selected=move || chosen.get() == Some(id)>{a.title.clone()}</option>
                            }
                        }).collect_view()}
                    </select>
                    <button id="card-checkin" class="primary" on:click=check_in disabled=move || busy.get()>
                        <Ico icon=Icon::Scan/><span>{move || i18n.t("card-desk-checkin")}</span>
                    </button>
                    </div>
                </Show>
            </Show>
            <Show when=move || takes.get()>
                <form class="form" id="card-desk-pay" on:submit=pay aria-labelledby="card-desk-pay-title">
                    <h4 id="card-desk-pay-title">{move || i18n.t("card-desk-pay-title")}</h4>
                    <p class="help">{move || i18n.t("card-desk-pay-help")}</p>
                    <StatusArea error=pay_error message=pay_note fields=&["amount", "what", "pin"] id="card-desk-result"/>
                    <Field id="card-desk-amount" label="fieldname-amount" field="amount" error=pay_error>
                        <input id="card-desk-amount" type="number" inputmode="numeric" min="1"
                               prop:value=move || amount.get()
                               on:input=move |ev| amount.set(event_target_value(&ev))/>
                    </Field>
                    <Field id="card-desk-what" label="fieldname-what" field="what" error=pay_error>
                        <input id="card-desk-what" type="text" maxlength=MAX_WHAT.to_string()
                               prop:value=move || what.get()
                               on:input=move |ev| what.set(event_target_value(&ev))/>
                    </Field>
                    <Field id="card-desk-pin" label="fieldname-pin" field="pin" error=pay_error help="card-pay-pin-help">
                        <PinInput id="card-desk-pin" value=pin/>
                    </Field>
                    <button id="card-desk-pay-submit" type="submit" class="primary" disabled=move || paying.get()>
                        {move || i18n.t("card-pay-submit")}
                    </button>
                </form>
            </Show>
        </section>
    }
}

/// What a card payment says while its PIN is checked, and once it is
/// taken.
fn paying_note(
    i18n: I18n,
    busy: RwSignal<bool>,
    paid: RwSignal<Option<PaymentReceipt>>,
) -> Signal<Option<Note>> {
    Signal::derive(move || {
        if busy.get() {
            return Some(Note::Working(i18n.t("card-pay-checking")));
        }
        paid.get().map(|r| {
            Note::Done(i18n.t_with(
                "scan-paid",
                &[
                    ("payer", r.payer.into()),
                    ("amount", r.amount.into()),
                    ("what", r.what.into()),
                ],
            ))
        })
    })
}

/// Where a payment request is shown: a holder without a phone pays it with
/// their card and PIN, typed on this device.
#[component]
pub fn CardPay(request: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let card = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let paid = RwSignal::new(None::<PaymentReceipt>);
    let picture = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        error.set(None);
        spawn_local(async move {
            match api::send_chosen::<ReadQrImage>(&input).await {
                Some(Ok(text)) => card.set(text),
                Some(Err(e)) => error.set(Some(e)),
                None => {}
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(request) = request.get_untracked() else {
            return;
        };
        error.set(None);
        paid.set(None);
        busy.set(true);
        let args = PayByCard {
            request,
            card: card.get_untracked(),
            pin: pin.get_untracked(),
        };
        spawn_local(async move {
            match api::call(args).await {
                Ok(receipt) => {
                    paid.set(Some(receipt));
                    pin.set(String::new());
                    card.set(String::new());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let note = paying_note(i18n, busy, paid);
    view! {
        <Show when=move || request.with(Option::is_some)>
            <details class="card-pay" id="card-pay">
                <summary>{move || i18n.t("card-pay-title")}</summary>
                <form class="form" on:submit=submit>
                    <StatusArea error=error message=note fields=&["pin"] id="card-pay-result"/>
                    <label class="file-button ghost">
                        <Ico icon=Icon::Camera/>
                        <span>{move || i18n.t("card-pay-picture")}</span>
                        <input id="card-pay-image" type="file" accept="image/*" capture="environment" on:change=picture/>
                    </label>
                    <label for="card-pay-text">{move || i18n.t("card-pay-text")}</label>
                    <textarea id="card-pay-text" rows="2" spellcheck="false"
                              prop:value=move || card.get()
                              on:input=move |ev| card.set(event_target_value(&ev))></textarea>
                    <Field id="card-pay-pin" label="fieldname-pin" field="pin" error=error help="card-pay-pin-help">
                        <PinInput id="card-pay-pin" value=pin/>
                    </Field>
                    <button id="card-pay-submit" type="submit" class="primary"
                            disabled=move || busy.get() || card.with(String::is_empty)>
                        {move || i18n.t("card-pay-submit")}
                    </button>
                </form>
            </details>
        </Show>
    }
}
