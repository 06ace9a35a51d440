//! Neighbourhood budget rounds: the overview, opening a round, and one
//! round through its phases: proposals, the coordinators' review, the
//! ballot with a running total, the count, and both outcomes side by side.

use chrono::{Days, NaiveDate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::activities::ReadQrImage;
use nabo_shared::api::{ApiError, Table};
use nabo_shared::budget::round::{
    census_code, BallotProblem, BallotRule, CastBallot, CensusTexts, CloseVoting, EnterPaperBallot,
    ExportRound, GetProposalPhoto, GetRound, ListRounds, OutcomeRule, Phase, Phases,
    PrintCensusBallots, ProposalView, RemoveProposalPhoto, ReviewProposal, RoundDetail, RoundInput,
    RoundView, SaveProposal, SaveRound, SetProposalPhoto, WithdrawProposal, MAX_KRONER,
};
use nabo_shared::fields::FieldProblem;
use nabo_shared::ids::{ProposalId, RoundId};
use nabo_shared::members::ListMembers;

use crate::activities::editor::today;
use crate::api::{self, use_store};
use crate::components::{use_confirm, use_toast, DateField, Field, Note, StatusArea};
use crate::i18n::{use_i18n, I18n};
use crate::icons::{Ico, Icon};
use crate::nav::{use_nav, Screen};
use crate::together::{TextDrafts, WriteTogether};

/// The tables a round is made from.
const TABLES: [Table; 14] = [
    Table::ProposalPhotos,
    Table::ProposalHelpers,
    Table::ProposalEdits,
    Table::ReviewedTexts,
    Table::CensusCodes,
    Table::CensusBallots,
    Table::BudgetRounds,
    Table::Proposals,
    Table::ProposalReviews,
    Table::Ballots,
    Table::PaperBallots,
    Table::Tallies,
    Table::Members,
    Table::Rules,
];

/// An amount of kroner in the language's grouping ("50.000 kr.").
pub fn kroner(i18n: I18n, amount: u64) -> String {
    i18n.t_with(
        "round-kroner",
        &[("amount", i18n.number(amount as f64).into())],
    )
}

/// A phase's name.
fn phase_name(i18n: I18n, phase: Phase) -> String {
    i18n.t(match phase {
        Phase::NotYet => "round-phase-not-yet",
        Phase::Ideas => "round-phase-ideas",
        Phase::Review => "round-phase-review",
        Phase::Voting => "round-phase-voting",
        Phase::Counting => "round-phase-counting",
        Phase::Result => "round-phase-result",
    })
}

/// A whole number of kroner typed in a field, or the error that names it.
pub(crate) fn parse_kroner(
    field: &'static str,
    text: &str,
    required: bool,
) -> Result<Option<u64>, ApiError> {
    let text: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}' | ','))
        .collect();
    if text.is_empty() {
        return if required {
            Err(ApiError::invalid(field, FieldProblem::Required))
        } else {
            Ok(None)
        };
    }
    match text.parse::<u64>() {
        Ok(n) if (1..=MAX_KRONER).contains(&n) => Ok(Some(n)),
        Ok(_) => Err(ApiError::invalid(field, FieldProblem::OutOfRange)),
        Err(_) => Err(ApiError::invalid(field, FieldProblem::Invalid)),
    }
}

/// The rounds, and (for coordinators) opening one and checking a file.
#[component]
pub fn Rounds(coordinator: Memo<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let nav = use_nav();
    let store = use_store();
    let rounds = LocalResource::new(move || {
        store.track(&TABLES);
        api::call(ListRounds)
    });
    let error = RwSignal::new(None::<ApiError>);
    let creating = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Err(e)) = rounds.get() {
            error.set(Some(e));
        }
    });
    let list = move || {
        let rounds: Vec<RoundView> = rounds.get().and_then(Result::ok).unwrap_or_default();
        if rounds.is_empty() {
            return view! { <p class="empty" id="rounds-empty">{move || i18n.t("rounds-empty")}</p> }
                .into_any();
        }
        view! {
            <ul class="rounds" id="rounds">
                {rounds.into_iter().map(|r| {
                    let id = r.id;
                    let facts = {
                        let r = r.clone();
                        move || i18n.t_with("round-facts", &[
                            ("amount", kroner(i18n, r.amount).into()),
                            ("phase", phase_name(i18n, r.phase).into()),
                            ("proposals", r.proposals.into()),
                        ])
                    };
                    view! {
                        <li class="card round-line">
                            <button class="link-button round-open" on:click=move |_| nav.0.set(Screen::Round(id))>
                                <span class="line-title">{r.title.clone()}</span>
                            </button>
                            <p class="meta">{r.area.clone()}</p>
                            <p class="meta">{facts}</p>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="rounds-screen">
            <h2>{move || i18n.t("rounds-title")}</h2>
            <p class="lead">{move || i18n.t("rounds-lead")}</p>
            <StatusArea error=error id="rounds-status"/>
            <Show when=move || creating.get()>
                <RoundForm done=Callback::new(move |()| creating.set(false))/>
            </Show>
            {list}
            <div class="bottom-action stack">
                <Show when=move || coordinator.get() && !creating.get()>
                    <button id="new-round" class="primary wide" on:click=move |_| creating.set(true)>
                        <Ico icon=Icon::Plus/><span>{move || i18n.t("rounds-new")}</span>
                    </button>
                    <button id="open-budget" class="wide" on:click=move |_| nav.0.set(Screen::Budget)>
                        <Ico icon=Icon::Open/><span>{move || i18n.t("settings-budget-open")}</span>
                    </button>
                </Show>
                <button id="open-pool" class="wide" on:click=move |_| nav.0.set(Screen::Pool)>
                    <Ico icon=Icon::Open/><span>{move || i18n.t("pool-open")}</span>
                </button>
                <button id="open-account" class="wide" on:click=move |_| nav.0.set(Screen::Account)>
                    <Ico icon=Icon::Open/><span>{move || i18n.t("account-open")}</span>
                </button>
                <button id="close-rounds" class="wide" on:click=move |_| nav.0.set(Screen::Settings)>
                    <Ico icon=Icon::Back/><span>{move || i18n.t("back")}</span>
                </button>
            </div>
        </section>
    }
}

/// The form that opens a round.
#[component]
fn RoundForm(
    /// The round to change; `None` opens a new one.
    #[prop(optional)]
    editing: Option<RoundView>,
    done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toast = use_toast();
    let nav = use_nav();
    let error = RwSignal::new(None::<ApiError>);
    let e = editing.as_ref();
    let id = e.map(|r| r.id);
    let text = |f: fn(&RoundView) -> String| RwSignal::new(e.map(f).unwrap_or_default());
    let title = text(|r| r.title.clone());
    let amount = text(|r| r.amount.to_string());
    let area = text(|r| r.area.clone());
    let start = today();
    let after = |d: u64| Some(start + Days::new(d));
    let ideas = RwSignal::new(e.map_or(Some(start), |r| Some(r.phases.ideas)));
    let review = RwSignal::new(e.map_or(after(14), |r| Some(r.phases.review)));
    let voting = RwSignal::new(e.map_or(after(28), |r| Some(r.phases.voting)));
    let result = RwSignal::new(e.map_or(after(42), |r| Some(r.phases.result)));
    let min = text(|r| match r.ballot.min {
        0 => String::new(),
        n => n.to_string(),
    });
    let max = text(|r| r.ballot.max.map(|n| n.to_string()).unwrap_or_default());
    // (A knapsack ballot's limit is the budget itself: unticking it leaves
    // no limit, not one equal to the budget.)
    let limit = text(|r| {
        r.ballot
            .cost_limit
            .filter(|&n| n != r.amount)
            .map(|n| n.to_string())
            .unwrap_or_default()
    });
    let rule = RwSignal::new(e.map_or(OutcomeRule::EqualShares, |r| r.rule));
    // A knapsack ballot: what is ticked must fit within the whole budget.
    let knapsack = RwSignal::new(e.is_some_and(|r| r.ballot.cost_limit == Some(r.amount)));
    let count = |field: &'static str, text: String| -> Result<Option<u32>, ApiError> {
        match text.trim() {
            "" => Ok(None),
            t => t
                .parse::<u32>()
                .map(Some)
                .map_err(|_| ApiError::invalid(field, FieldProblem::Invalid)),
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let read = || -> Result<RoundInput, ApiError> {
            let amount = parse_kroner("amount", &amount.get_untracked(), true)?.unwrap_or(0);
            let date = |field: &'static str, d: RwSignal<Option<NaiveDate>>| {
                d.get_untracked()
                    .ok_or_else(|| ApiError::invalid(field, FieldProblem::Invalid))
            };
            Ok(RoundInput {
                id,
                title: title.get_untracked(),
                amount,
                area: area.get_untracked(),
                phases: Phases {
                    ideas: date("ideas", ideas)?,
                    review: date("review", review)?,
                    voting: date("voting", voting)?,
                    result: date("result", result)?,
                },
                ballot: BallotRule {
                    min: count("min", min.get_untracked())?.unwrap_or(0),
                    max: count("max", max.get_untracked())?,
                    cost_limit: if knapsack.get_untracked() {
                        Some(amount)
                    } else {
                        parse_kroner("cost_limit", &limit.get_untracked(), false)?
                    },
                },
                rule: rule.get_untracked(),
            })
        };
        let input = match read() {
            Ok(input) => input,
            Err(e) => return error.set(Some(e)),
        };
        api::send(SaveRound { round: input }, error, move |round| {
            toast.show(i18n.t(if id.is_some() {
                "round-changed"
            } else {
                "round-opened"
            }));
            done.run(());
            nav.0.set(Screen::Round(round.id));
        });
    };
    view! {
        <form class="form card" id="round-form" on:submit=submit novalidate>
            <h3>{move || i18n.t(if id.is_some() { "round-change" } else { "rounds-new" })}</h3>
            <StatusArea error=error fields=&["title", "amount", "area", "ideas", "review", "voting", "result", "min", "max", "cost_limit"]/>
            <Field id="round-title" label="round-field-title" field="title" error=error>
                <input id="round-title" type="text" maxlength="80" prop:value=move || title.get()
                       on:input=move |ev| title.set(event_target_value(&ev))/>
            </Field>
            <Field id="round-amount" label="round-field-amount" field="amount" error=error>
                <input id="round-amount" type="text" inputmode="numeric" dir="ltr" prop:value=move || amount.get()
                       on:input=move |ev| amount.set(event_target_value(&ev))/>
            </Field>
            <Field id="round-area" label="round-field-area" field="area" error=error>
                <input id="round-area" type="text" maxlength="80" prop:value=move || area.get()
                       on:input=move |ev| area.set(event_target_value(&ev))/>
            </Field>
            <DateField id="round-ideas" label="round-field-ideas" field="ideas" value=ideas error=error/>
            <DateField id="round-review" label="round-field-review" field="review" value=review error=error/>
            <DateField id="round-voting" label="round-field-voting" field="voting" value=voting error=error/>
            <DateField id="round-result" label="round-field-result" field="result" value=result error=error/>
            <Field id="round-min" label="round-field-min" field="min" error=error help="round-min-help">
                <input id="round-min" type="number" inputmode="numeric" min="0" dir="ltr" prop:value=move || min.get()
                       on:input=move |ev| min.set(event_target_value(&ev))/>
            </Field>
            <Field id="round-max" label="round-field-max" field="max" error=error help="round-max-help">
                <input id="round-max" type="number" inputmode="numeric" min="1" dir="ltr" prop:value=move || max.get()
                       on:input=move |ev| max.set(event_target_value(&ev))/>
            </Field>
            <label class="option">
                <input type="checkbox" id="round-knapsack" aria-describedby="round-knapsack-help" prop:checked=move || knapsack.get()
                       on:change=move |ev| knapsack.set(event_target_checked(&ev))/>
                <span>{move || i18n.t("round-field-knapsack")}</span>
            </label>
            <p class="help" id="round-knapsack-help">{move || i18n.t("round-knapsack-help")}</p>
            <Show when=move || !knapsack.get()>
                <Field id="round-limit" label="round-field-limit" field="cost_limit" error=error help="round-limit-help">
                    <input id="round-limit" type="text" inputmode="numeric" dir="ltr" prop:value=move || limit.get()
                           on:input=move |ev| limit.set(event_target_value(&ev))/>
                </Field>
            </Show>
            <fieldset class="field">
                <legend>{move || i18n.t("round-field-rule")}</legend>
                <label class="option">
                    <input type="radio" name="round-rule" id="round-rule-equal" checked=move || rule.get() == OutcomeRule::EqualShares
                           on:change=move |_| rule.set(OutcomeRule::EqualShares)/>
                    <span>{move || i18n.t("budget-equal-shares")}</span>
                </label>
                <label class="option">
                    <input type="radio" name="round-rule" id="round-rule-greedy" checked=move || rule.get() == OutcomeRule::Greedy
                           on:change=move |_| rule.set(OutcomeRule::Greedy)/>
                    <span>{move || i18n.t("budget-greedy")}</span>
                </label>
                <p class="help">{move || i18n.t("round-rule-help")}</p>
            </fieldset>
            <div class="row">
                <button id="round-save" type="submit" class="primary">
                    <Ico icon=Icon::Save/><span>{move || i18n.t(if id.is_some() { "round-save-changes" } else { "round-open" })}</span>
                </button>
                <button type="button" on:click=move |_| done.run(())>{move || i18n.t("cancel")}</button>
            </div>
        </form>
    }
}

/// What is being typed or ticked on a round's screen: kept while the round
/// is drawn again with what a sync brought, so nothing typed is lost.
#[derive(Clone, Copy)]
struct Drafts {
    title: RwSignal<String>,
    description: RwSignal<String>,
    cost: RwSignal<String>,
    category: RwSignal<String>,
    recipient: RwSignal<String>,
    /// The boxes ticked on this member's ballot, once the ballot was shown
    /// (from the ballot last saved).
    ballot: RwSignal<Vec<ProposalId>>,
    ballot_shown: RwSignal<bool>,
    /// The paper ballot being entered: whose, and what is ticked.
    voter: RwSignal<String>,
    paper: RwSignal<Vec<ProposalId>>,
    /// The round's own form is open (coordinators).
    editing: RwSignal<bool>,
    /// The paper ballot's form is open.
    paper_open: RwSignal<bool>,
    /// How many census paper ballots to print, and the codes last printed.
    census_count: RwSignal<String>,
    census_codes: RwSignal<Vec<String>>,
    /// The printing form, and the list of codes printed, are open.
    census_open: RwSignal<bool>,
    codes_open: RwSignal<bool>,
    /// A coordinator's review being written, per proposal: the reason and a
    /// new cost; and which review forms are open.
    reviews: RwSignal<std::collections::HashMap<ProposalId, (String, String)>>,
    reviews_open: RwSignal<std::collections::HashSet<ProposalId>>,
    /// Descriptions being written together, and helpers being chosen.
    together: TextDrafts,
}

impl Drafts {
    fn new() -> Self {
        Self {
            title: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            cost: RwSignal::new(String::new()),
            category: RwSignal::new(String::new()),
            recipient: RwSignal::new(String::new()),
            ballot: RwSignal::new(Vec::new()),
            ballot_shown: RwSignal::new(false),
            voter: RwSignal::new(String::new()),
            paper: RwSignal::new(Vec::new()),
            editing: RwSignal::new(false),
            paper_open: RwSignal::new(false),
            census_count: RwSignal::new("20".to_owned()),
            census_codes: RwSignal::new(Vec::new()),
            census_open: RwSignal::new(false),
            codes_open: RwSignal::new(false),
            reviews: RwSignal::new(Default::default()),
            reviews_open: RwSignal::new(Default::default()),
            together: TextDrafts::new(),
        }
    }
}

/// The phases as a timeline, the current one marked.
#[component]
fn Timeline(round: RoundView) -> impl IntoView {
    let i18n = use_i18n();
    let steps = [
        (Phase::Ideas, Some(round.phases.ideas)),
        (Phase::Review, Some(round.phases.review)),
        (Phase::Voting, Some(round.phases.voting)),
        (Phase::Result, Some(round.phases.result)),
    ];
    let now = match round.phase {
        Phase::Counting => Phase::Result,
        p => p,
    };
    view! {
        <ol class="timeline" id="round-timeline">
            {steps.into_iter().map(|(phase, from)| {
                let current = phase == now;
                let done = phase < now;
                view! {
                    <li class:current=current class:done=done aria-current=current.then_some("step")>
                        <span class="timeline-name">{move || phase_name(i18n, phase)}</span>
                        <span class="meta">{move || from.map(|d| i18n.date(d)).unwrap_or_default()}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// One round.
#[component]
pub fn RoundScreen(id: RoundId, coordinator: Memo<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let nav = use_nav();
    let store = use_store();
    let detail = LocalResource::new(move || {
        store.track(&TABLES);
        api::call(GetRound { id })
    });
    let error = RwSignal::new(None::<ApiError>);
    let note = RwSignal::new(None::<Note>);
    let drafts = Drafts::new();
    Effect::new(move |_| {
        if let Some(Err(e)) = detail.get() {
            error.set(Some(e));
        }
    });
    let current = Memo::new(move |_| detail.get().and_then(Result::ok));
    view! {
        <section class="round-screen">
            {move || current.get().map(|d| view! {
                <h2 id="round-heading">{d.round.title.clone()}</h2>
                <p class="lead" id="round-summary">{
                    let r = d.round.clone();
                    move || i18n.t_with("round-summary", &[
                        ("amount", kroner(i18n, r.amount).into()),
                        ("area", r.area.clone().into()),
                        ("phase", phase_name(i18n, r.phase).into()),
                    ])
                }</p>
                <Timeline round=d.round.clone()/>
            })}
            <StatusArea error=error message=Signal::derive(move || note.get()) id="round-status"
                fields=&["title", "description", "cost", "category", "recipient", "reason", "count", "helpers"]/>
            {move || current.get().map(|d| view! { <RoundBody detail=d coordinator=coordinator error=error note=note drafts=drafts/> })}
            <div class="bottom-action stack">
                <button id="close-round" class="wide" on:click=move |_| nav.0.set(Screen::Rounds)>
                    <Ico icon=Icon::Back/><span>{move || i18n.t("back")}</span>
                </button>
            </div>
        </section>
    }
}

/// What a round shows in its phase.
#[component]
fn RoundBody(
    detail: RoundDetail,
    coordinator: Memo<bool>,
    error: RwSignal<Option<ApiError>>,
    note: RwSignal<Option<Note>>,
    drafts: Drafts,
) -> impl IntoView {
    let i18n = use_i18n();
    let confirm = use_confirm();
    let phase = detail.round.phase;
    let round = detail.round.id;
    let counted = detail.result.is_some();
    let on_ballot: Vec<ProposalView> = detail
        .proposals
        .iter()
        .filter(|p| p.review.as_ref().is_some_and(|r| r.feasible))
        .cloned()
        .collect();
    let close = move |_| {
        let ballots = detail.ballots.unwrap_or(0);
        confirm.ask(
            i18n.t("round-close-ask"),
            i18n.t_with("round-close-ask-note", &[("ballots", ballots.into())]),
            i18n.t("round-close"),
            move || {
                note.set(Some(Note::Working(i18n.t("budget-working"))));
                spawn_local(async move {
                    match api::call(CloseVoting { round }).await {
                        Ok(_) => note.set(Some(Note::Done(i18n.t("round-closed")))),
                        Err(e) => {
                            note.set(None);
                            error.set(Some(e));
                        }
                    }
                });
            },
        );
    };
    // A coordinator moves the round on to its next phase today.
    let next = match phase {
        Phase::NotYet => Some((Phase::Ideas, "round-start-ideas")),
        Phase::Ideas => Some((Phase::Review, "round-start-review")),
        Phase::Review => Some((Phase::Voting, "round-start-voting")),
        _ => None,
    }
    .filter(|_| coordinator.get_untracked() && !counted);
    let view_ = detail.round.clone();
    let move_on = move |(to, label): (Phase, &'static str)| {
        let r = view_.clone();
        confirm.ask(
            i18n.t(label),
            i18n.t_with(
                "round-start-ask-note",
                &[("phase", phase_name(i18n, to).into())],
            ),
            i18n.t(label),
            move || {
                let round = RoundInput {
                    id: Some(r.id),
                    title: r.title.clone(),
                    amount: r.amount,
                    area: r.area.clone(),
                    phases: r.phases.starting(to, today()),
                    ballot: r.ballot,
                    rule: r.rule,
                };
                spawn_local(async move {
                    if let Err(e) = api::call(SaveRound { round }).await {
                        error.set(Some(e));
                    }
                });
            },
        );
    };
    let ballots = detail.ballots;
    let paper_held = detail.paper;
    let result = detail.result.clone();
    let proposals = detail.proposals.clone();
    let can_close = coordinator.get_untracked() && !counted && phase >= Phase::Voting;
    let editing = drafts.editing;
    let can_change = coordinator.get_untracked() && !counted;
    let this_round = detail.round.clone();
    view! {
        {can_change.then(|| view! {
            <Show when=move || !editing.get()>
                <button id="round-change" class="ghost" on:click=move |_| editing.set(true)>
                    <Ico icon=Icon::Edit/><span>{move || i18n.t("round-change")}</span>
                </button>
            </Show>
            <Show when=move || editing.get()>
                <RoundForm editing=this_round.clone() done=Callback::new(move |()| editing.set(false))/>
            </Show>
        })}
        {next.map(|step| view! {
            <button id="round-next" class="secondary" on:click=move |_| move_on(step)>{move || i18n.t(step.1)}</button>
        })}
        {(phase == Phase::Ideas).then(|| view! { <ProposalForm round=round error=error drafts=drafts/> })}
        {result.map(|r| view! {
            <h3>{move || i18n.t("round-result")}</h3>
            <crate::budget::Report report=r/>
            <button id="round-export" class="secondary" on:click=move |_| {
                error.set(None);
                api::send(ExportRound { round }, error, move |saved| {
                    let said = i18n.t_with("round-exported", &[("path", saved.path.into())]);
                    note.set(Some(Note::Done(said)));
                });
            }>
                <Ico icon=Icon::Save/><span>{move || i18n.t("round-export")}</span>
            </button>
        })}
        {(phase == Phase::Voting && !on_ballot.is_empty()).then(|| view! {
            <BallotForm round=round amount=detail.round.amount rule=detail.round.ballot
                        proposals=on_ballot.clone() mine=detail.my_ballot.clone() paper=detail.my_ballot_paper error=error drafts=drafts/>
        })}
        {(can_close && !on_ballot.is_empty()).then(|| view! {
            <PaperForm round=round proposals=on_ballot.clone() error=error drafts=drafts/>
            <CensusForm round=round rule=detail.round.ballot error=error note=note drafts=drafts/>
        })}
        {can_close.then(|| view! {
            <div class="card" id="round-count">
                <p>{move || i18n.t_with("round-ballots-held", &[("ballots", ballots.unwrap_or(0).into()), ("paper", paper_held.unwrap_or(0).into())])}</p>
                <button id="round-close" class="secondary" on:click=close>{move || i18n.t("round-close")}</button>
            </div>
        })}
        <h3>{move || i18n.t("round-proposals")}</h3>
        {if proposals.is_empty() {
            view! { <p class="empty" id="proposals-empty">{move || i18n.t("round-no-proposals")}</p> }.into_any()
        } else {
            view! {
                <ul class="proposals" id="proposals">
                    {proposals.into_iter().map(|p| view! {
                        <ProposalCard proposal=p phase=phase counted=counted coordinator=coordinator error=error drafts=drafts/>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

/// A proposal's photo, fetched on its own (it is the largest thing a round
/// holds), described by the proposal's title.
#[component]
fn ProposalPicture(id: ProposalId, title: String) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let photo = LocalResource::new(move || {
        store.track(&[Table::ProposalPhotos]);
        api::call(GetProposalPhoto { id })
    });
    move || {
        photo.get().and_then(Result::ok).flatten().map(|url| {
            let alt = i18n.t_with("proposal-photo-alt", &[("title", title.clone().into())]);
            view! { <img class="proposal-photo" src=url alt=alt/> }
        })
    }
}

/// The form to propose an idea.
#[component]
fn ProposalForm(
    round: RoundId,
    error: RwSignal<Option<ApiError>>,
    drafts: Drafts,
) -> impl IntoView {
    let i18n = use_i18n();
    let toast = use_toast();
    let Drafts {
        title,
        description,
        cost,
        category,
        recipient,
        ..
    } = drafts;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let amount = match parse_kroner("cost", &cost.get_untracked(), true) {
            Ok(c) => c.unwrap_or(0),
            Err(e) => return error.set(Some(e)),
        };
        let input = SaveProposal {
            id: None,
            round,
            title: title.get_untracked(),
            description: description.get_untracked(),
            cost: amount,
            category: category.get_untracked(),
            recipient: recipient.get_untracked(),
            base: Vec::new(),
        };
        api::send(input, error, move |_| {
            toast.show(i18n.t("proposal-saved"));
            title.set(String::new());
            description.set(String::new());
            cost.set(String::new());
            category.set(String::new());
            recipient.set(String::new());
        });
    };
    view! {
        <form class="form card" id="proposal-form" on:submit=submit novalidate>
            <h3>{move || i18n.t("proposal-new")}</h3>
            <p class="help">{move || i18n.t("proposal-new-help")}</p>
            <Field id="proposal-title" label="proposal-field-title" field="title" error=error>
                <input id="proposal-title" type="text" maxlength="80" prop:value=move || title.get()
                       on:input=move |ev| title.set(event_target_value(&ev))/>
            </Field>
            <Field id="proposal-description" label="proposal-field-description" field="description" error=error>
                <textarea id="proposal-description" rows="4" maxlength="2000" prop:value=move || description.get()
                          on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            </Field>
            <Field id="proposal-cost" label="proposal-field-cost" field="cost" error=error>
                <input id="proposal-cost" type="text" inputmode="numeric" dir="ltr" prop:value=move || cost.get()
                       on:input=move |ev| cost.set(event_target_value(&ev))/>
            </Field>
            <Field id="proposal-category" label="proposal-field-category" field="category" error=error>
                <input id="proposal-category" type="text" maxlength="80" prop:value=move || category.get()
                       on:input=move |ev| category.set(event_target_value(&ev))/>
            </Field>
            <Field id="proposal-recipient" label="proposal-field-recipient" field="recipient" error=error help="proposal-recipient-help">
                <input id="proposal-recipient" type="text" maxlength="80" prop:value=move || recipient.get()
                       on:input=move |ev| recipient.set(event_target_value(&ev))/>
            </Field>
            <button id="proposal-save" type="submit" class="primary">
                <Ico icon=Icon::Plus/><span>{move || i18n.t("proposal-save")}</span>
            </button>
        </form>
    }
}

/// One proposal: what it is, where its review stands, and what the viewer
/// may do with it.
#[component]
fn ProposalCard(
    proposal: ProposalView,
    phase: Phase,
    counted: bool,
    coordinator: Memo<bool>,
    error: RwSignal<Option<ApiError>>,
    drafts: Drafts,
) -> impl IntoView {
    let i18n = use_i18n();
    let confirm = use_confirm();
    let toast = use_toast();
    let p = proposal.clone();
    let id = p.id;
    let facts = {
        let p = p.clone();
        move || {
            let mut facts = vec![kroner(i18n, p.cost)];
            if !p.category.is_empty() {
                facts.push(p.category.clone());
            }
            facts.push(i18n.t_with("proposal-to", &[("recipient", p.recipient.clone().into())]));
            facts.push(i18n.t_with("proposal-by", &[("proposer", p.proposer.clone().into())]));
            facts.join(" · ")
        }
    };
    let review = p.review.clone().map(|r| {
        let text = {
            let r = r.clone();
            let proposed = p.proposed_cost;
            move || {
                let mut text = if r.feasible {
                    i18n.t_with("proposal-feasible", &[("who", r.by.clone().into())])
                } else {
                    i18n.t_with(
                        "proposal-not-feasible",
                        &[
                            ("who", r.by.clone().into()),
                            ("reason", r.reason.clone().into()),
                        ],
                    )
                };
                if let Some(cost) = r.cost {
                    text.push(' ');
                    text.push_str(&i18n.t_with(
                        "proposal-cost-changed",
                        &[
                            ("proposed", kroner(i18n, proposed).into()),
                            ("cost", kroner(i18n, cost).into()),
                            ("reason", r.reason.clone().into()),
                        ],
                    ));
                }
                if r.outdated {
                    text.push(' ');
                    text.push_str(&i18n.t("proposal-review-outdated"));
                }
                text
            }
        };
        view! { <p class="proposal-review" class:refused=!r.feasible>{text}</p> }
    });
    let withdraw = move |_| {
        confirm.ask(
            i18n.t("proposal-withdraw-ask"),
            i18n.t("proposal-withdraw-ask-note"),
            i18n.t("proposal-withdraw"),
            move || {
                api::send(WithdrawProposal { id }, error, move |()| {
                    toast.show(i18n.t("proposal-withdrawn"));
                });
            },
        );
    };
    // What is typed stays when a sync redraws the card.
    let field = move |second: bool| {
        drafts.reviews.with(|m| {
            m.get(&id)
                .map(|(r, c)| if second { c.clone() } else { r.clone() })
                .unwrap_or_default()
        })
    };
    let set_field = move |second: bool, value: String| {
        drafts.reviews.update(|m| {
            let entry = m.entry(id).or_default();
            if second {
                entry.1 = value;
            } else {
                entry.0 = value;
            }
        })
    };
    let decide = move |feasible: bool| {
        error.set(None);
        let cost = match parse_kroner(
            "cost",
            &drafts
                .reviews
                .with_untracked(|m| m.get(&id).map(|f| f.1.clone()).unwrap_or_default()),
            false,
        ) {
            Ok(c) => c,
            Err(e) => return error.set(Some(e)),
        };
        let args = ReviewProposal {
            id,
            feasible,
            reason: drafts
                .reviews
                .with_untracked(|m| m.get(&id).map(|f| f.0.clone()).unwrap_or_default()),
            cost,
        };
        api::send(args, error, move |()| {
            drafts.reviews.update(|m| {
                m.remove(&id);
            });
            drafts.reviews_open.update(|o| {
                o.remove(&id);
            });
            toast.show(i18n.t("proposal-reviewed"));
        });
    };
    let has_photo = p.photo;
    let add_photo = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        error.set(None);
        spawn_local(async move {
            match api::send_chosen_after::<SetProposalPhoto>(&input, id.as_bytes()).await {
                Some(Ok(())) => toast.show(i18n.t("proposal-photo-saved")),
                Some(Err(e)) => error.set(Some(e)),
                None => {}
            }
        });
    };
    let remove_photo = move |_| {
        confirm.ask(
            i18n.t("proposal-photo-remove-ask"),
            i18n.t("proposal-photo-remove-ask-note"),
            i18n.t("proposal-photo-remove"),
            move || {
                api::send(RemoveProposalPhoto { id }, error, move |()| {
                    toast.show(i18n.t("proposal-photo-removed"));
                });
            },
        );
    };
    let reviewing = coordinator.get_untracked() && !counted && phase <= Phase::Voting;
    let can_withdraw = p.mine && phase == Phase::Ideas;
    let reason_id = format!("review-reason-{id}");
    let cost_id = format!("review-cost-{id}");
    view! {
        <li class="card proposal" data-id=id.to_string()>
            <h4>{p.title.clone()}</h4>
            {p.photo.then(|| view! { <ProposalPicture id=id title=p.title.clone()/> })}
            <p class="meta">{facts}</p>
            <p class="proposal-text">{p.description.clone()}</p>
            <WriteTogether proposal=p.clone() error=error drafts=drafts.together/>
            {review}
            {can_withdraw.then(|| view! {
                <div class="row">
                    <label class="file-button ghost proposal-photo-add">
                        <Ico icon=Icon::Camera/>
                        <span>{move || i18n.t(if has_photo { "proposal-photo-change" } else { "proposal-photo-add" })}</span>
                        <input class="proposal-photo-file" type="file" accept="image/*" on:change=add_photo/>
                    </label>
                    {has_photo.then(|| view! {
                        <button class="ghost proposal-photo-remove" on:click=remove_photo>{move || i18n.t("proposal-photo-remove")}</button>
                    })}
                </div>
                <button class="danger-outline withdraw-proposal" on:click=withdraw>{move || i18n.t("proposal-withdraw")}</button>
            })}
            {reviewing.then(|| view! {
                <details class="review-proposal" prop:open=move || drafts.reviews_open.with(|o| o.contains(&id))
                         on:toggle=move |ev| {
                             let open = event_target::<web_sys::Element>(&ev).has_attribute("open");
                             drafts.reviews_open.update(|o| { if open { o.insert(id); } else { o.remove(&id); } });
                         }>
                    <summary>{move || i18n.t("proposal-review")}</summary>
                    <label for=reason_id.clone()>{move || i18n.t("proposal-field-reason")}</label>
                    <input id=reason_id.clone() class="review-reason" type="text" maxlength="2000"
                           prop:value=move || field(false) on:input=move |ev| set_field(false, event_target_value(&ev))/>
                    <label for=cost_id.clone()>{move || i18n.t("proposal-field-new-cost")}</label>
                    <input id=cost_id.clone() class="review-cost" type="text" inputmode="numeric" dir="ltr"
                           prop:value=move || field(true) on:input=move |ev| set_field(true, event_target_value(&ev))/>
                    <div class="row">
                        <button class="secondary review-feasible" on:click=move |_| decide(true)>{move || i18n.t("proposal-put-on-ballot")}</button>
                        <button class="danger-outline review-not-feasible" on:click=move |_| decide(false)>{move || i18n.t("proposal-not-on-ballot")}</button>
                    </div>
                </details>
            })}
        </li>
    }
}

/// The ballot: a box per proposal on it, a running total against the
/// budget and the round's rule, and the button that signs it.
#[component]
fn BallotForm(
    round: RoundId,
    amount: u64,
    rule: BallotRule,
    proposals: Vec<ProposalView>,
    mine: Option<Vec<ProposalId>>,
    /// The ballot that counts is a paper one a coordinator entered.
    paper: bool,
    error: RwSignal<Option<ApiError>>,
    drafts: Drafts,
) -> impl IntoView {
    let i18n = use_i18n();
    let toast = use_toast();
    let voted = mine.is_some();
    let help = match (voted, paper) {
        (true, true) => "ballot-voted-paper",
        (true, false) => "ballot-voted",
        _ => "ballot-help",
    };
    // What is ticked: kept across redraws, starting from the saved ballot.
    let ticked = drafts.ballot;
    if !drafts.ballot_shown.get_untracked() {
        drafts.ballot_shown.set(true);
        ticked.set(mine.unwrap_or_default());
    }
    let costs: Vec<(ProposalId, u64)> = proposals.iter().map(|p| (p.id, p.cost)).collect();
    let total = Memo::new(move |_| {
        ticked.with(|t| {
            costs
                .iter()
                .filter(|(p, _)| t.contains(p))
                .map(|(_, c)| *c)
                .sum::<u64>()
        })
    });
    let rule_text = move || {
        let mut parts = Vec::new();
        if rule.min > 0 {
            parts.push(i18n.t_with("ballot-rule-min", &[("count", rule.min.into())]));
        }
        if let Some(max) = rule.max {
            parts.push(i18n.t_with("ballot-rule-max", &[("count", max.into())]));
        }
        if let Some(limit) = rule.cost_limit {
            parts.push(i18n.t_with(
                "ballot-rule-limit",
                &[("limit", kroner(i18n, limit).into())],
            ));
        }
        parts.join(" ")
    };
    let running = move || {
        i18n.t_with(
            "ballot-running",
            &[
                ("count", ticked.with(Vec::len).into()),
                ("total", kroner(i18n, total.get()).into()),
                ("budget", kroner(i18n, amount).into()),
            ],
        )
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let approves = ticked.get_untracked();
        api::send(CastBallot { round, approves }, error, move |()| {
            toast.show(i18n.t("ballot-cast"));
        });
    };
    view! {
        <form class="card ballot" id="ballot" on:submit=submit novalidate>
            <h3>{move || i18n.t("ballot-title")}</h3>
            <p class="help">{move || i18n.t(help)}</p>
            <p class="help" id="ballot-rule">{rule_text}</p>
            <Ticks proposals=proposals ticked=ticked prefix="ballot" legend="ballot-title"/>
            <div class="ballot-bar">
                <p id="ballot-total" aria-live="polite">{running}</p>
                // Over the budget is fine on an approval ballot; over a
                // ballot's cost limit is not.
                <Show when=move || { total.get() > amount && rule.cost_limit.is_none_or(|l| total.get() <= l) }>
                    <p class="help" id="ballot-over">{move || i18n.t("ballot-over-budget")}</p>
                </Show>
                {rule.cost_limit.map(|limit| view! {
                    <Show when=move || { total.get() > limit }>
                        <p class="field-error" id="ballot-over-limit">{move || i18n.t_with("error-ballot-over-limit", &[("limit", kroner(i18n, limit).into())])}</p>
                    </Show>
                })}
                <button id="ballot-cast" type="submit" class="primary">{move || i18n.t(if voted { "ballot-change" } else { "ballot-sign" })}</button>
            </div>
        </form>
    }
}

/// A box per proposal on the ballot, with its cost.
#[component]
fn Ticks(
    proposals: Vec<ProposalView>,
    ticked: RwSignal<Vec<ProposalId>>,
    /// The boxes' ids are `<prefix>-<proposal>`.
    prefix: &'static str,
    /// The group's name, for screen readers.
    legend: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="ticks">
            <legend class="sr-only">{move || i18n.t(legend)}</legend>
            {proposals.into_iter().map(|p| {
                let pid = p.id;
                let box_id = format!("{prefix}-{pid}");
                let cost = p.cost;
                view! {
                    <label class="option ballot-choice" for=box_id.clone()>
                        <input type="checkbox" id=box_id.clone() class="ballot-box"
                               prop:checked=move || ticked.with(|t| t.contains(&pid))
                               on:change=move |ev| {
                                   let on = event_target_checked(&ev);
                                   ticked.update(|t| {
                                       t.retain(|x| *x != pid);
                                       if on { t.push(pid); }
                                   });
                               }/>
                        <span class="line-title">{p.title.clone()}</span>
                        <span class="meta">{move || kroner(i18n, cost)}</span>
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// A paper ballot a coordinator enters: whose it is (their member card,
/// scanned from a picture or its short code typed, or the member chosen),
/// and the boxes ticked on the paper.
#[component]
fn PaperForm(
    round: RoundId,
    proposals: Vec<ProposalView>,
    error: RwSignal<Option<ApiError>>,
    drafts: Drafts,
) -> impl IntoView {
    let i18n = use_i18n();
    let toast = use_toast();
    let (voter, ticked) = (drafts.voter, drafts.paper);
    let members = LocalResource::new(|| api::call(ListMembers));
    let picture = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        error.set(None);
        spawn_local(async move {
            match api::send_chosen::<ReadQrImage>(&input).await {
                Some(Ok(text)) => voter.set(text),
                Some(Err(e)) => error.set(Some(e)),
                None => {}
            }
        });
    };
    let confirm = use_confirm();
    let entered = move |name: String| {
        // A voter who is not a member is named by the code.
        let said = match census_code(&name) {
            Some(code) => i18n.t_with("paper-entered-code", &[("code", code.into())]),
            None => i18n.t_with("paper-entered", &[("name", name.into())]),
        };
        toast.show(said);
        voter.set(String::new());
        ticked.set(Vec::new());
    };
    let enter = move || {
        error.set(None);
        let args = EnterPaperBallot {
            round,
            voter: voter.get_untracked(),
            approves: ticked.get_untracked(),
            replace: false,
        };
        spawn_local(async move {
            match api::call(args.clone()).await {
                Ok(name) => entered(name),
                // The same code again: a correction replaces it, on purpose.
                Err(ApiError::Ballot {
                    problem: BallotProblem::CodeUsed,
                }) => confirm.ask(
                    i18n.t("paper-code-used-ask"),
                    i18n.t("paper-code-used-ask-note"),
                    i18n.t("paper-code-replace"),
                    move || {
                        let args = EnterPaperBallot {
                            replace: true,
                            ..args.clone()
                        };
                        api::send(args, error, move |name| {
                            entered(name);
                        });
                    },
                ),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        enter();
    };
    view! {
        <details class="card" id="paper-ballot" prop:open=move || drafts.paper_open.get()
                 on:toggle=move |ev| drafts.paper_open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))>
            <summary>{move || i18n.t("paper-title")}</summary>
            <form class="form" on:submit=submit novalidate>
                <p class="help">{move || i18n.t("paper-help")}</p>
                <label class="file-button ghost">
                    <Ico icon=Icon::Camera/>
                    <span>{move || i18n.t("paper-card-picture")}</span>
                    <input id="paper-card-image" type="file" accept="image/*" capture="environment" on:change=picture/>
                </label>
                <label for="paper-voter">{move || i18n.t("paper-voter")}</label>
                <input id="paper-voter" type="text" spellcheck="false" autocomplete="off" dir="ltr"
                       prop:value=move || voter.get() on:input=move |ev| voter.set(event_target_value(&ev))/>
                <label for="paper-member">{move || i18n.t("paper-member")}</label>
                <select id="paper-member" on:change=move |ev| voter.set(event_target_value(&ev))>
                    <option value="">{move || i18n.t("paper-member-none")}</option>
                    {move || members.get().and_then(Result::ok).unwrap_or_default().into_iter()
                        .filter(|m| m.confirmed && !m.revoked)
                        .map(|m| view! { <option value=m.device.clone()>{m.name.clone()}</option> })
                        .collect_view()}
                </select>
                <Ticks proposals=proposals ticked=ticked prefix="paper" legend="paper-title"/>
                <button id="paper-enter" type="submit" class="primary" disabled=move || voter.with(|v| v.trim().is_empty())>
                    {move || i18n.t("paper-enter")}
                </button>
            </form>
        </details>
    }
}

/// Prints paper ballots for voters who are not members, each with its own
/// one-time code (coordinators).
#[component]
fn CensusForm(
    round: RoundId,
    rule: BallotRule,
    error: RwSignal<Option<ApiError>>,
    note: RwSignal<Option<Note>>,
    drafts: Drafts,
) -> impl IntoView {
    let i18n = use_i18n();
    let (count, codes) = (drafts.census_count, drafts.census_codes);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let n = match count.get_untracked().trim().parse::<u32>() {
            Ok(n) => n,
            Err(_) => return error.set(Some(ApiError::invalid("count", FieldProblem::Invalid))),
        };
        let rule_text = match rule.max {
            Some(max) => i18n.t_with("census-rule-max", &[("max", max.into())]),
            None => i18n.t("census-rule-none"),
        };
        let texts = CensusTexts {
            heading: i18n.t("census-heading"),
            how: i18n.t_with("census-how", &[("rule", rule_text.into())]),
            code: i18n.t("census-code"),
            hand_in: i18n.t("census-hand-in"),
        };
        note.set(Some(Note::Working(i18n.t("budget-working"))));
        spawn_local(async move {
            match api::call(PrintCensusBallots {
                round,
                count: n,
                texts,
            })
            .await
            {
                Ok(printed) => {
                    let done = i18n.t_with(
                        "census-printed",
                        &[
                            ("count", printed.codes.len().into()),
                            ("path", printed.path.into()),
                        ],
                    );
                    codes.set(printed.codes);
                    note.set(Some(Note::Done(done)));
                }
                Err(e) => {
                    note.set(None);
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <details class="card" id="census-ballots" prop:open=move || drafts.census_open.get()
                 on:toggle=move |ev| drafts.census_open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))>
            <summary>{move || i18n.t("census-title")}</summary>
            <form class="form" on:submit=submit novalidate>
                <p class="help">{move || i18n.t("census-help")}</p>
                <Field id="census-count" label="census-count" field="count" error=error>
                    <input id="census-count" type="number" inputmode="numeric" min="1" max="2000" dir="ltr"
                           prop:value=move || count.get() on:input=move |ev| count.set(event_target_value(&ev))/>
                </Field>
                <button id="census-print" type="submit" class="secondary">
                    <Ico icon=Icon::Print/><span>{move || i18n.t("census-print")}</span>
                </button>
            </form>
            <Show when=move || codes.with(|c| !c.is_empty())>
                <details id="census-codes" prop:open=move || drafts.codes_open.get()
                         on:toggle=move |ev| drafts.codes_open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))>
                    <summary>{move || i18n.t("census-codes")}</summary>
                    <ul class="codes" dir="ltr">
                        {move || codes.get().into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                    </ul>
                </details>
            </Show>
        </details>
    }
}

/// On the points screen: the budget rounds that want something from every
/// member now (ideas, or a vote), each with the way in, so nobody has to
/// find them in the settings.
#[component]
pub fn OpenRounds() -> impl IntoView {
    let i18n = use_i18n();
    let nav = use_nav();
    let store = use_store();
    let rounds = LocalResource::new(move || {
        store.track(&TABLES);
        api::call(ListRounds)
    });
    let open = move || {
        rounds
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|r| matches!(r.phase, Phase::Ideas | Phase::Voting))
            .collect::<Vec<_>>()
    };
    view! {
        <For each=open key=|r| (r.id, r.phase) let:r>
            {
                let id = r.id;
                let (text, button) = if r.phase == Phase::Voting {
                    ("open-round-voting", "open-round-vote")
                } else {
                    ("open-round-ideas", "open-round-propose")
                };
                let title = r.title.clone();
                let until = if r.phase == Phase::Voting { r.phases.result } else { r.phases.review };
                view! {
                    <div class="card open-round">
                        <p>{move || i18n.t_with(text, &[("title", title.clone().into()), ("until", i18n.date(until).into())])}</p>
                        <button class="primary open-round-go" on:click=move |_| nav.0.set(Screen::Round(id))>
                            {move || i18n.t(button)}
                        </button>
                    </div>
                }
            }
        </For>
    }
}
