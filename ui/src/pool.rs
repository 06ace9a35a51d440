//! The small-grants pool (*hurtigpulje*): its settings and panel, members'
//! applications, the panel's votes; and the neighbourhood budget's account:
//! what the rounds and the pool granted, paid and have left, and what was
//! paid to whom.

use std::collections::HashMap;

use chrono::NaiveDate;
use leptos::prelude::*;
use nabo_shared::api::{ApiError, Table};
use nabo_shared::budget::pool::{
    AccountLine, ApplicationView, CancelPayout, Decision, GetAccount, GetPool, Owed, PaidFor,
    PayoutView, PoolSettings, RecordPayout, SaveApplication, SavePool, VoteOnApplication,
    WithdrawApplication,
};
use nabo_shared::fields::FieldProblem;
use nabo_shared::ids::{ApplicationId, PayoutId};
use nabo_shared::members::ListMembers;

use crate::activities::editor::today;
use crate::api::{self, use_store};
use crate::components::{use_confirm, use_toast, DateField, Field, Note, StatusArea};
use crate::i18n::{use_i18n, I18n};
use crate::icons::{Ico, Icon};
use crate::nav::{use_nav, Screen};
use crate::rounds::{kroner, parse_kroner};

/// The tables the pool is made from.
const POOL_TABLES: [Table; 5] = [
    Table::Pools,
    Table::Applications,
    Table::PanelVotes,
    Table::Payouts,
    Table::Members,
];

/// The tables the account is made from.
const ACCOUNT_TABLES: [Table; 10] = [
    Table::Pools,
    Table::Applications,
    Table::PanelVotes,
    Table::Payouts,
    Table::Members,
    Table::BudgetRounds,
    Table::Proposals,
    Table::ProposalReviews,
    Table::Tallies,
    Table::Ballots,
];

/// An amount that may be below nothing ("-1.500 kr.").
fn signed_kroner(i18n: I18n, amount: i64) -> String {
    let text = kroner(i18n, amount.unsigned_abs());
    if amount < 0 {
        format!("−{text}")
    } else {
        text
    }
}

/// What is being typed on the pool's screen, kept while a sync redraws it.
#[derive(Clone, Copy)]
struct Drafts {
    /// The application form: open, which one it changes, and its fields.
    applying: RwSignal<bool>,
    editing: RwSignal<Option<ApplicationId>>,
    title: RwSignal<String>,
    description: RwSignal<String>,
    cost: RwSignal<String>,
    recipient: RwSignal<String>,
    /// A panel member's word on each application.
    notes: RwSignal<HashMap<ApplicationId, String>>,
    /// The pool's own form is open (coordinators).
    settings_open: RwSignal<bool>,
}

impl Drafts {
    fn new() -> Self {
        Self {
            applying: RwSignal::new(false),
            editing: RwSignal::new(None),
            title: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            cost: RwSignal::new(String::new()),
            recipient: RwSignal::new(String::new()),
            notes: RwSignal::new(HashMap::new()),
            settings_open: RwSignal::new(false),
        }
    }

    fn clear(&self) {
        self.applying.set(false);
        self.editing.set(None);
        for s in [self.title, self.description, self.cost, self.recipient] {
            s.set(String::new());
        }
    }
}

/// The small-grants pool.
#[component]
pub fn PoolScreen(coordinator: Memo<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let nav = use_nav();
    let store = use_store();
    let pool = LocalResource::new(move || {
        store.track(&POOL_TABLES);
        api::call(GetPool)
    });
    let error = RwSignal::new(None::<ApiError>);
    let note = RwSignal::new(None::<Note>);
    let drafts = Drafts::new();
    Effect::new(move |_| {
        if let Some(Err(e)) = pool.get() {
            error.set(Some(e));
        }
    });
    let current = Memo::new(move |_| pool.get().and_then(Result::ok));
    let body = move || {
        let view = current.get()?;
        let settings = view.settings.clone();
        let summary = settings.clone().map(|s| {
            let left = view.left;
            view! { <PoolSummary settings=s left=left/> }
        });
        let setup = coordinator.get().then(|| {
            let s = settings.clone();
            let open = drafts.settings_open;
            let has = s.is_some();
            view! {
                <Show when=move || !open.get() && has>
                    <button id="pool-change" class="ghost" on:click=move |_| open.set(true)>
                        <Ico icon=Icon::Edit/><span>{move || i18n.t("pool-change")}</span>
                    </button>
                </Show>
                <Show when=move || open.get() || !has>
                    <PoolForm settings=s.clone() error=error done=Callback::new(move |()| open.set(false))/>
                </Show>
            }
        });
        let empty = settings.is_none().then(|| {
            view! { <p class="empty" id="pool-empty">{move || i18n.t("pool-empty")}</p> }
        });
        let on_panel = view.on_panel;
        let applications = view.applications.clone();
        let apply = settings.as_ref().map(|s| {
            let cap = s.cap;
            view! {
                <Show when=move || !drafts.applying.get()>
                    <button id="pool-apply" class="primary" on:click=move |_| drafts.applying.set(true)>
                        <Ico icon=Icon::Plus/><span>{move || i18n.t("pool-apply")}</span>
                    </button>
                </Show>
                <Show when=move || drafts.applying.get()>
                    <ApplicationForm cap=cap error=error drafts=drafts/>
                </Show>
            }
        });
        let list = settings.is_some().then(|| {
            if applications.is_empty() {
                view! { <p class="empty" id="applications-empty">{move || i18n.t("pool-no-applications")}</p> }
                    .into_any()
            } else {
                view! {
                    <ul class="applications" id="applications">
                        {applications.into_iter().map(|a| view! {
                            <ApplicationCard application=a on_panel=on_panel left=view.left error=error drafts=drafts/>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }
        });
        Some(view! {
            {summary}
            {empty}
            {setup}
            {apply}
            {settings.is_some().then(|| view! { <h3>{move || i18n.t("pool-applications")}</h3> })}
            {list}
        })
    };
    view! {
        <section class="pool-screen">
            <h2>{move || i18n.t("pool-title")}</h2>
            <p class="lead">{move || i18n.t("pool-lead")}</p>
            <StatusArea error=error message=Signal::derive(move || note.get()) id="pool-status"
                fields=&["amount", "cap", "days", "panel", "title", "description", "cost", "recipient", "note"]/>
            {body}
            <div class="bottom-action stack">
                <button id="pool-account" class="wide" on:click=move |_| nav.0.set(Screen::Account)>
                    <Ico icon=Icon::Open/><span>{move || i18n.t("account-open")}</span>
                </button>
                <button id="close-pool" class="wide" on:click=move |_| nav.0.set(Screen::Rounds)>
                    <Ico icon=Icon::Back/><span>{move || i18n.t("back")}</span>
                </button>
            </div>
        </section>
    }
}

/// The pool's amount, cap, time and panel.
#[component]
fn PoolSummary(settings: PoolSettings, left: i64) -> impl IntoView {
    let i18n = use_i18n();
    let panel = settings
        .panel
        .iter()
        .map(|m| m.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <div class="card" id="pool-settings">
            <p>{move || i18n.t_with("pool-facts", &[
                ("amount", kroner(i18n, settings.amount).into()),
                ("cap", kroner(i18n, settings.cap).into()),
                ("days", settings.days.into()),
            ])}</p>
            <p id="pool-panel">{move || i18n.t_with("pool-panel", &[("names", panel.clone().into())])}</p>
            <p id="pool-left" class:over=left < 0>{move || i18n.t_with("pool-left", &[("left", signed_kroner(i18n, left).into())])}</p>
        </div>
    }
}

/// Sets up the pool, or changes it (coordinators).
#[component]
fn PoolForm(
    settings: Option<PoolSettings>,
    error: RwSignal<Option<ApiError>>,
    done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toast = use_toast();
    let s = settings.as_ref();
    let amount = RwSignal::new(s.map(|s| s.amount.to_string()).unwrap_or_default());
    let cap = RwSignal::new(s.map(|s| s.cap.to_string()).unwrap_or_default());
    let days = RwSignal::new(s.map_or_else(|| "14".to_owned(), |s| s.days.to_string()));
    let panel = RwSignal::new(
        s.map(|s| s.panel.iter().map(|m| m.device.clone()).collect::<Vec<_>>())
            .unwrap_or_default(),
    );
    let members = LocalResource::new(|| api::call(ListMembers));
    let has = settings.is_some();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let read = || -> Result<SavePool, ApiError> {
            Ok(SavePool {
                amount: parse_kroner("amount", &amount.get_untracked(), true)?.unwrap_or(0),
                cap: parse_kroner("cap", &cap.get_untracked(), true)?.unwrap_or(0),
                days: days
                    .get_untracked()
                    .trim()
                    .parse()
                    .map_err(|_| ApiError::invalid("days", FieldProblem::Invalid))?,
                panel: panel.get_untracked(),
            })
        };
        let args = match read() {
            Ok(args) => args,
            Err(e) => return error.set(Some(e)),
        };
        api::send(args, error, move |()| {
            toast.show(i18n.t("pool-saved"));
            done.run(());
        });
    };
    view! {
        <form class="form card" id="pool-form" on:submit=submit novalidate>
            <h3>{move || i18n.t(if has { "pool-change" } else { "pool-set-up" })}</h3>
            <Field id="pool-amount" label="pool-field-amount" field="amount" error=error>
                <input id="pool-amount" type="text" inputmode="numeric" dir="ltr" prop:value=move || amount.get()
                       on:input=move |ev| amount.set(event_target_value(&ev))/>
            </Field>
            <Field id="pool-cap" label="pool-field-cap" field="cap" error=error help="pool-cap-help">
                <input id="pool-cap" type="text" inputmode="numeric" dir="ltr" prop:value=move || cap.get()
                       on:input=move |ev| cap.set(event_target_value(&ev))/>
            </Field>
            <Field id="pool-days" label="pool-field-days" field="days" error=error>
                <input id="pool-days" type="number" inputmode="numeric" min="1" max="90" dir="ltr" prop:value=move || days.get()
                       on:input=move |ev| days.set(event_target_value(&ev))/>
            </Field>
            <fieldset class="field" id="pool-panel-choice" aria-describedby="pool-panel-help">
                <legend>{move || i18n.t("pool-field-panel")}</legend>
                <p class="help" id="pool-panel-help">{move || i18n.t("pool-panel-help")}</p>
                {move || members.get().and_then(Result::ok).unwrap_or_default().into_iter()
                    .filter(|m| m.confirmed && !m.revoked)
                    .map(|m| {
                        let device = m.device.clone();
                        let checked = {
                            let device = device.clone();
                            move || panel.with(|p| p.contains(&device))
                        };
                        view! {
                            <label class="option">
                                <input type="checkbox" class="pool-panel-member" value=device.clone() data-name=m.name.clone() checked=checked
                                       on:change=move |ev| {
                                           let on = event_target_checked(&ev);
                                           let device = device.clone();
                                           panel.update(|p| {
                                               p.retain(|d| *d != device);
                                               if on { p.push(device); }
                                           });
                                       }/>
                                <span>{m.name.clone()}</span>
                            </label>
                        }
                    }).collect_view()}
            </fieldset>
            <div class="row">
                <button id="pool-save" type="submit" class="primary">
                    <Ico icon=Icon::Save/><span>{move || i18n.t("pool-save")}</span>
                </button>
                {has.then(|| view! { <button type="button" on:click=move |_| done.run(())>{move || i18n.t("cancel")}</button> })}
            </div>
        </form>
    }
}

/// A member's application, new or changed.
#[component]
fn ApplicationForm(cap: u64, error: RwSignal<Option<ApiError>>, drafts: Drafts) -> impl IntoView {
    let i18n = use_i18n();
    let toast = use_toast();
    let Drafts {
        title,
        description,
        cost,
        recipient,
        editing,
        ..
    } = drafts;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let amount = match parse_kroner("cost", &cost.get_untracked(), true) {
            Ok(c) => c.unwrap_or(0),
            Err(e) => return error.set(Some(e)),
        };
        let args = SaveApplication {
            id: editing.get_untracked(),
            title: title.get_untracked(),
            description: description.get_untracked(),
            cost: amount,
            recipient: recipient.get_untracked(),
        };
        api::send(args, error, move |_| {
            toast.show(i18n.t("application-saved"));
            drafts.clear();
        });
    };
    view! {
        <form class="form card" id="application-form" on:submit=submit novalidate>
            <h3>{move || i18n.t(if editing.get().is_some() { "application-change" } else { "pool-apply" })}</h3>
            <p class="help">{move || i18n.t_with("application-help", &[("cap", kroner(i18n, cap).into())])}</p>
            <Field id="application-title" label="application-field-title" field="title" error=error>
                <input id="application-title" type="text" maxlength="80" prop:value=move || title.get()
                       on:input=move |ev| title.set(event_target_value(&ev))/>
            </Field>
            <Field id="application-description" label="application-field-description" field="description" error=error>
                <textarea id="application-description" rows="4" maxlength="2000" prop:value=move || description.get()
                          on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            </Field>
            <Field id="application-cost" label="application-field-cost" field="cost" error=error>
                <input id="application-cost" type="text" inputmode="numeric" dir="ltr" prop:value=move || cost.get()
                       on:input=move |ev| cost.set(event_target_value(&ev))/>
            </Field>
            <Field id="application-recipient" label="proposal-field-recipient" field="recipient" error=error help="proposal-recipient-help">
                <input id="application-recipient" type="text" maxlength="80" prop:value=move || recipient.get()
                       on:input=move |ev| recipient.set(event_target_value(&ev))/>
            </Field>
            <div class="row">
                <button id="application-save" type="submit" class="primary">
                    <Ico icon=Icon::Save/><span>{move || i18n.t("application-send")}</span>
                </button>
                <button type="button" on:click=move |_| drafts.clear()>{move || i18n.t("cancel")}</button>
            </div>
        </form>
    }
}

/// A decision's words.
fn decision_name(i18n: I18n, decision: Decision) -> String {
    i18n.t(match decision {
        Decision::Pending => "application-pending",
        Decision::Granted => "application-granted",
        Decision::Declined => "application-declined",
        Decision::Withdrawn => "application-withdrawn",
    })
}

/// One application: what it asks, where it stands, the panel's votes, and
/// what the viewer may do.
#[component]
fn ApplicationCard(
    application: ApplicationView,
    on_panel: bool,
    /// What the pool has left to grant.
    left: i64,
    error: RwSignal<Option<ApiError>>,
    drafts: Drafts,
) -> impl IntoView {
    let i18n = use_i18n();
    let confirm = use_confirm();
    let toast = use_toast();
    let a = application.clone();
    let id = a.id;
    let pending = a.decision == Decision::Pending;
    let facts = {
        let a = a.clone();
        move || {
            [
                kroner(i18n, a.cost),
                i18n.t_with("proposal-to", &[("recipient", a.recipient.clone().into())]),
                i18n.t_with("application-by", &[("who", a.applicant.clone().into())]),
                i18n.t_with("application-sent", &[("date", i18n.date(a.sent_on).into())]),
            ]
            .join(" · ")
        }
    };
    let status = {
        let a = a.clone();
        move || {
            let mut text = decision_name(i18n, a.decision);
            if a.decision == Decision::Pending {
                text.push(' ');
                // Past its day, it says so.
                let key = if a.due < today() {
                    "application-overdue"
                } else {
                    "application-due"
                };
                text.push_str(&i18n.t_with(key, &[("date", i18n.date(a.due).into())]));
            }
            if a.paid > 0 {
                text.push(' ');
                text.push_str(&i18n.t_with(
                    "application-paid",
                    &[("amount", kroner(i18n, a.paid).into())],
                ));
            }
            text
        }
    };
    let votes = a
        .votes
        .iter()
        .map(|v| {
            let v = v.clone();
            view! {
                <li class:refused=!v.yes>{move || {
                    let key = if v.yes { "application-vote-yes" } else { "application-vote-no" };
                    let mut text = i18n.t_with(key, &[("who", v.by.clone().into())]);
                    if !v.note.is_empty() {
                        text.push_str(": ");
                        text.push_str(&v.note);
                    }
                    text
                }}</li>
            }
        })
        .collect_view();
    let vote = move |yes: bool| {
        error.set(None);
        let note = drafts
            .notes
            .with_untracked(|n| n.get(&id).cloned().unwrap_or_default());
        api::send(VoteOnApplication { id, yes, note }, error, move |()| {
            drafts.notes.update(|n| {
                n.remove(&id);
            });
            toast.show(i18n.t("application-voted"));
        });
    };
    let withdraw = move |_| {
        confirm.ask(
            i18n.t("application-withdraw-ask"),
            i18n.t("application-withdraw-ask-note"),
            i18n.t("application-withdraw"),
            move || {
                api::send(WithdrawApplication { id }, error, move |()| {
                    toast.show(i18n.t("application-withdrawn-done"));
                });
            },
        );
    };
    let edit = {
        let a = a.clone();
        move |_| {
            drafts.editing.set(Some(id));
            drafts.title.set(a.title.clone());
            drafts.description.set(a.description.clone());
            drafts.cost.set(a.cost.to_string());
            drafts.recipient.set(a.recipient.clone());
            drafts.applying.set(true);
        }
    };
    let voting = on_panel && !a.mine && pending;
    let note_id = format!("application-note-{id}");
    let my_vote = a.my_vote;
    view! {
        <li class="card application" data-id=id.to_string() data-decision=format!("{:?}", a.decision).to_lowercase()>
            <h4>{a.title.clone()}</h4>
            <p class="meta">{facts}</p>
            <p class="proposal-text">{a.description.clone()}</p>
            <p class="application-status" class:refused=a.decision == Decision::Declined>{status}</p>
            {(!a.votes.is_empty()).then(|| view! { <ul class="votes">{votes}</ul> })}
            {(a.mine && pending).then(|| view! {
                <div class="row">
                    {a.votes.is_empty().then(|| view! {
                        <button class="ghost edit-application" on:click=edit.clone()>
                            <Ico icon=Icon::Edit/><span>{move || i18n.t("application-change")}</span>
                        </button>
                    })}
                    <button class="danger-outline withdraw-application" on:click=withdraw>{move || i18n.t("application-withdraw")}</button>
                </div>
            })}
            {voting.then(|| view! {
                <div class="panel-vote">
                    {(a.cost as i64 > left).then(|| view! {
                        <p class="notice application-over">{move || i18n.t_with("application-over-pool", &[("left", signed_kroner(i18n, left).into())])}</p>
                    })}
                    {my_vote.map(|yes| view! {
                        <p class="help">{move || i18n.t(if yes { "application-my-vote-yes" } else { "application-my-vote-no" })}</p>
                    })}
                    <label for=note_id.clone()>{move || i18n.t("application-field-note")}</label>
                    <input id=note_id.clone() class="application-note" type="text" maxlength="2000"
                           prop:value=move || drafts.notes.with(|n| n.get(&id).cloned().unwrap_or_default())
                           on:input=move |ev| {
                               let v = event_target_value(&ev);
                               drafts.notes.update(|n| { n.insert(id, v); });
                           }/>
                    <div class="row">
                        <button class="primary vote-yes" on:click=move |_| vote(true)>{move || i18n.t("application-yes")}</button>
                        <button class="secondary vote-no" on:click=move |_| vote(false)>{move || i18n.t("application-no")}</button>
                    </div>
                </div>
            })}
        </li>
    }
}

/// On the points screen: applications that wait for this panel member's
/// vote, with the way in.
#[component]
pub fn PoolWaiting() -> impl IntoView {
    let i18n = use_i18n();
    let nav = use_nav();
    let store = use_store();
    let pool = LocalResource::new(move || {
        store.track(&POOL_TABLES);
        api::call(GetPool)
    });
    let waiting = move || {
        pool.get().and_then(Result::ok).map_or(0, |p| {
            if !p.on_panel {
                return 0;
            }
            p.applications
                .iter()
                .filter(|a| a.decision == Decision::Pending && !a.mine && a.my_vote.is_none())
                .count()
        })
    };
    view! {
        <Show when=move || { waiting() > 0 }>
            <div class="card open-round" id="pool-waiting">
                <p>{move || i18n.t_with("pool-waiting", &[("count", waiting().into())])}</p>
                <button class="primary" on:click=move |_| nav.0.set(Screen::Pool)>{move || i18n.t("pool-waiting-go")}</button>
            </div>
        </Show>
    }
}

/// The neighbourhood budget's account.
#[component]
pub fn AccountScreen(coordinator: Memo<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let nav = use_nav();
    let store = use_store();
    let account = LocalResource::new(move || {
        store.track(&ACCOUNT_TABLES);
        api::call(GetAccount)
    });
    let error = RwSignal::new(None::<ApiError>);
    // The payout form open for one granted thing, with its amount, day
    // and note (kept while a sync redraws the account).
    let paying = RwSignal::new(None::<PaidFor>);
    let amount = RwSignal::new(String::new());
    let paid_on = RwSignal::new(Some(today()));
    let note = RwSignal::new(String::new());
    let reasons = RwSignal::new(HashMap::<PayoutId, String>::new());
    Effect::new(move |_| {
        if let Some(Err(e)) = account.get() {
            error.set(Some(e));
        }
    });
    let current = Memo::new(move |_| account.get().and_then(Result::ok));
    let body = move || {
        let a = current.get()?;
        let lines = if a.lines.is_empty() {
            view! { <p class="empty" id="account-empty">{move || i18n.t("account-empty")}</p> }
                .into_any()
        } else {
            let total = AccountLine {
                round: None,
                title: i18n.t("account-total"),
                budget: a.lines.iter().map(|l| l.budget).sum(),
                granted: a.lines.iter().map(|l| l.granted).sum(),
                paid: a.lines.iter().map(|l| l.paid).sum(),
                left: a.lines.iter().map(|l| l.left).sum(),
            };
            view! {
                <ul class="account-lines" id="account-lines">
                    {a.lines.iter().cloned().map(|l| view! { <AccountLineCard line=l total=false/> }).collect_view()}
                    <AccountLineCard line=total total=true/>
                </ul>
            }
            .into_any()
        };
        let owed: Vec<Owed> = a.owed.clone();
        let owed_view = (!owed.is_empty()).then(|| {
            view! {
                <h3>{move || i18n.t("account-owed")}</h3>
                <ul class="owed" id="owed">
                    {owed.into_iter().map(|o| {
                        let left = o.granted.saturating_sub(o.paid);
                        let what = o.paid_for;
                        let facts = {
                            let o = o.clone();
                            move || i18n.t_with("account-owed-line", &[
                                ("recipient", o.recipient.clone().into()),
                                ("granted", kroner(i18n, o.granted).into()),
                                ("paid", kroner(i18n, o.paid).into()),
                            ])
                        };
                        let open = move |_| {
                            error.set(None);
                            amount.set(left.to_string());
                            paid_on.set(Some(today()));
                            note.set(String::new());
                            paying.set(Some(what));
                        };
                        view! {
                            <li class="card owed-line">
                                <h4>{o.title.clone()}</h4>
                                <p class="meta">{facts}</p>
                                {(coordinator.get_untracked() && left > 0).then(|| view! {
                                    <Show when=move || paying.get() != Some(what)>
                                        <button class="secondary record-payout" on:click=open>{move || i18n.t("payout-record")}</button>
                                    </Show>
                                    <Show when=move || paying.get() == Some(what)>
                                        <PayoutForm paid_for=what amount=amount paid_on=paid_on note=note error=error
                                                    done=Callback::new(move |()| paying.set(None))/>
                                    </Show>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
        });
        let payouts = if a.payouts.is_empty() {
            view! { <p class="empty" id="payouts-empty">{move || i18n.t("account-no-payouts")}</p> }
                .into_any()
        } else {
            view! {
                <ul class="payouts" id="payouts">
                    {a.payouts.iter().cloned().map(|p| view! {
                        <PayoutLine payout=p coordinator=coordinator error=error reasons=reasons/>
                    }).collect_view()}
                </ul>
            }
            .into_any()
        };
        Some(view! {
            {lines}
            {owed_view}
            <h3>{move || i18n.t("account-payouts")}</h3>
            {payouts}
        })
    };
    view! {
        <section class="account-screen">
            <h2>{move || i18n.t("account-title")}</h2>
            <p class="lead">{move || i18n.t("account-lead")}</p>
            <StatusArea error=error id="account-status" fields=&["amount", "paid_on", "note"]/>
            {body}
            <div class="bottom-action stack">
                <button id="close-account" class="wide" on:click=move |_| nav.0.set(Screen::Rounds)>
                    <Ico icon=Icon::Back/><span>{move || i18n.t("back")}</span>
                </button>
            </div>
        </section>
    }
}

/// A round's or the pool's line of the account.
#[component]
fn AccountLineCard(line: AccountLine, total: bool) -> impl IntoView {
    let i18n = use_i18n();
    let title = if total || line.round.is_some() {
        line.title.clone()
    } else {
        i18n.t("pool-title")
    };
    let value = |key: &'static str, text: String| {
        view! { <div><dt>{move || i18n.t(key)}</dt><dd>{text}</dd></div> }
    };
    view! {
        <li class="card account-line" class:total=total>
            <h4>{title}</h4>
            <dl class="figures">
                {value("account-budget", kroner(i18n, line.budget))}
                {value("account-granted", kroner(i18n, line.granted))}
                {value("account-paid", kroner(i18n, line.paid))}
                {value("account-left", signed_kroner(i18n, line.left))}
            </dl>
        </li>
    }
}

/// The form that records a payout (coordinators).
#[component]
fn PayoutForm(
    paid_for: PaidFor,
    amount: RwSignal<String>,
    paid_on: RwSignal<Option<NaiveDate>>,
    note: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
    done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toast = use_toast();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let read = || -> Result<RecordPayout, ApiError> {
            Ok(RecordPayout {
                paid_for,
                amount: parse_kroner("amount", &amount.get_untracked(), true)?.unwrap_or(0),
                paid_on: paid_on
                    .get_untracked()
                    .ok_or_else(|| ApiError::invalid("paid_on", FieldProblem::Invalid))?,
                note: note.get_untracked(),
            })
        };
        let args = match read() {
            Ok(args) => args,
            Err(e) => return error.set(Some(e)),
        };
        api::send(args, error, move |()| {
            toast.show(i18n.t("payout-recorded"));
            done.run(());
        });
    };
    view! {
        <form class="form" id="payout-form" on:submit=submit novalidate>
            <Field id="payout-amount" label="payout-field-amount" field="amount" error=error>
                <input id="payout-amount" type="text" inputmode="numeric" dir="ltr" prop:value=move || amount.get()
                       on:input=move |ev| amount.set(event_target_value(&ev))/>
            </Field>
            <DateField id="payout-day" label="payout-field-day" field="paid_on" value=paid_on error=error/>
            <Field id="payout-note" label="payout-field-note" field="note" error=error>
                <input id="payout-note" type="text" maxlength="2000" prop:value=move || note.get()
                       on:input=move |ev| note.set(event_target_value(&ev))/>
            </Field>
            <div class="row">
                <button id="payout-save" type="submit" class="primary">
                    <Ico icon=Icon::Save/><span>{move || i18n.t("payout-save")}</span>
                </button>
                <button type="button" on:click=move |_| done.run(())>{move || i18n.t("cancel")}</button>
            </div>
        </form>
    }
}

/// One payout, and (for coordinators) cancelling it with why.
#[component]
fn PayoutLine(
    payout: PayoutView,
    coordinator: Memo<bool>,
    error: RwSignal<Option<ApiError>>,
    reasons: RwSignal<HashMap<PayoutId, String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let confirm = use_confirm();
    let toast = use_toast();
    let p = payout.clone();
    let id = p.id;
    let facts = {
        let p = p.clone();
        move || {
            let mut facts = vec![
                i18n.date(p.paid_on),
                kroner(i18n, p.amount),
                i18n.t_with("payout-to", &[("recipient", p.recipient.clone().into())]),
            ];
            if !p.title.is_empty() {
                facts.push(i18n.t_with("payout-for", &[("title", p.title.clone().into())]));
            }
            facts.push(i18n.t_with("payout-by", &[("who", p.by.clone().into())]));
            facts.join(" · ")
        }
    };
    let cancel = move |_| {
        error.set(None);
        let reason = reasons.with_untracked(|r| r.get(&id).cloned().unwrap_or_default());
        confirm.ask(
            i18n.t("payout-cancel-ask"),
            i18n.t("payout-cancel-ask-note"),
            i18n.t("payout-cancel"),
            move || {
                let reason = reason.clone();
                api::send(CancelPayout { id, reason }, error, move |()| {
                    reasons.update(|r| {
                        r.remove(&id);
                    });
                    toast.show(i18n.t("payout-cancelled-done"));
                });
            },
        );
    };
    let reason_id = format!("payout-reason-{id}");
    view! {
        <li class="card payout" class:cancelled=p.cancelled>
            <p class="meta">{facts}</p>
            {p.cancelled.then(|| {
                let note = p.note.clone();
                view! { <p class="refused">{move || i18n.t_with("payout-cancelled", &[("reason", note.clone().into())])}</p> }
            })}
            {(!p.cancelled && !p.note.is_empty()).then(|| view! { <p>{p.note.clone()}</p> })}
            {(coordinator.get_untracked() && !p.cancelled).then(|| view! {
                <details class="cancel-payout">
                    <summary>{move || i18n.t("payout-cancel")}</summary>
                    <label for=reason_id.clone()>{move || i18n.t("payout-field-reason")}</label>
                    <input id=reason_id.clone() class="payout-reason" type="text" maxlength="2000"
                           prop:value=move || reasons.with(|r| r.get(&id).cloned().unwrap_or_default())
                           on:input=move |ev| {
                               let v = event_target_value(&ev);
                               reasons.update(|r| { r.insert(id, v); });
                           }/>
                    <button class="danger-outline payout-cancel" on:click=cancel>{move || i18n.t("payout-cancel")}</button>
                </details>
            })}
        </li>
    }
}
