//! The neighbourhood budget: the outcomes of a pabulib file (a real round
//! from pabulib.org, or one exported from another tool), both rules side by
//! side, and for each proposal why it was funded or not, in plain words.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::api::ApiError;
use nabo_shared::budget::report::{BudgetReport, ComputeBudget, Funding, ProjectLine};

use crate::api;
use crate::components::{Note, StatusArea};
use crate::i18n::{use_i18n, I18n};
use crate::icons::{Ico, Icon};
use crate::nav::{use_nav, Screen};

#[component]
pub fn Budget() -> impl IntoView {
    let i18n = use_i18n();
    let nav = use_nav();
    let error = RwSignal::new(None::<ApiError>);
    let report = RwSignal::new(None::<BudgetReport>);
    let busy = RwSignal::new(false);
    let open = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        error.set(None);
        report.set(None);
        busy.set(true);
        spawn_local(async move {
            match api::send_chosen::<ComputeBudget>(&input).await {
                Some(Ok(r)) => report.set(Some(r)),
                Some(Err(e)) => error.set(Some(e)),
                None => {}
            }
            busy.set(false);
        });
    };
    // Computing, or a tie the app's order could not settle.
    let message = Signal::derive(move || {
        if busy.get() {
            return Some(Note::Working(i18n.t("budget-working")));
        }
        report.with(|r| {
            let ties = r.as_ref().map(|r| &r.ties).filter(|t| !t.is_empty())?;
            let ties = ties
                .iter()
                .map(|names| names.join(", "))
                .collect::<Vec<_>>()
                .join("; ");
            Some(Note::Notice(
                i18n.t_with("budget-tie", &[("ties", ties.into())]),
            ))
        })
    });

    view! {
        <section class="budget">
            <h2>{move || i18n.t("budget-title")}</h2>
            <p class="lead">{move || i18n.t("budget-lead")}</p>
            <StatusArea error=error message=message id="budget-status"/>
            {move || report.get().map(|r| view! { <Report report=r/> })}
            <div class="bottom-action stack">
                <label class="file-button primary wide">
                    <Ico icon=Icon::Open/>
                    <span>{move || i18n.t("budget-open")}</span>
                    <input id="budget-file" type="file" accept=".pb,text/csv,text/plain" on:change=open disabled=move || busy.get()/>
                </label>
                <button id="close-budget" class="wide" on:click=move |_| nav.0.set(Screen::Rounds)>
                    <Ico icon=Icon::Back/><span>{move || i18n.t("back")}</span>
                </button>
            </div>
        </section>
    }
}

/// An amount (a decimal, to two places) in the language's digits and
/// grouping ("37.100" in Danish), with the file's currency if it names one.
fn money(i18n: I18n, amount: &str, currency: &str) -> String {
    let amount = amount
        .parse::<f64>()
        .map_or_else(|_| amount.to_owned(), |n| i18n.number(n));
    if currency.is_empty() {
        amount
    } else {
        format!("{amount} {currency}")
    }
}

/// Why Equal Shares funded a proposal or not, in words.
fn why(i18n: I18n, p: &ProjectLine, currency: &str) -> String {
    match &p.equal_shares {
        Funding::Paid {
            payment,
            paid,
            all_left,
        } => {
            let mut text = i18n.t_with(
                "budget-paid",
                &[
                    ("supporters", (*paid).into()),
                    ("payment", money(i18n, payment, currency).into()),
                ],
            );
            if *all_left > 0 {
                text.push(' ');
                text.push_str(
                    &i18n.t_with("budget-paid-all-left", &[("count", (*all_left).into())]),
                );
            }
            text
        }
        Funding::Completion => i18n.t("budget-completion"),
        Funding::Short { left } => i18n.t_with(
            "budget-short",
            &[
                ("left", money(i18n, left, currency).into()),
                ("cost", money(i18n, &p.cost, currency).into()),
            ],
        ),
        Funding::NoSupport => i18n.t("budget-no-support"),
    }
}

/// Why most votes passed a proposal over, if it did.
fn why_not_greedy(i18n: I18n, p: &ProjectLine, currency: &str) -> Option<String> {
    let left = p.greedy_left.as_ref()?;
    Some(i18n.t_with(
        "budget-greedy-short",
        &[
            ("left", money(i18n, left, currency).into()),
            ("cost", money(i18n, &p.cost, currency).into()),
        ],
    ))
}

/// The colours of the chart's bars (each at least 3:1 on white): funded by
/// both rules, by equal shares only, by most votes only, by neither.
const BAR_COLOURS: [(u8, u8, u8); 4] =
    [(27, 107, 80), (43, 95, 168), (176, 90, 0), (107, 107, 107)];

/// Which of the four a project is.
fn bar_kind(p: &ProjectLine) -> usize {
    let equal = matches!(p.equal_shares, Funding::Paid { .. } | Funding::Completion);
    match (equal, p.greedy) {
        (true, true) => 0,
        (true, false) => 1,
        (false, true) => 2,
        (false, false) => 3,
    }
}

/// Each proposal's votes as a bar, coloured by which rule funds it, as SVG
/// drawn by plotters (names and numbers are set as text, escaped).
fn chart_svg(report: &BudgetReport, votes: &str) -> Result<String, String> {
    use plotters::prelude::*;
    let n = report.projects.len().max(1);
    let height = 48 + 30 * n as u32;
    let most = report
        .projects
        .iter()
        .map(|p| p.votes)
        .max()
        .unwrap_or(0)
        .max(1);
    let label = |i: usize| {
        let name = report.projects.get(i).map_or("", |p| p.name.as_str());
        if name.chars().count() > 26 {
            format!("{}…", name.chars().take(25).collect::<String>())
        } else {
            name.to_owned()
        }
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, height)).into_drawing_area();
        let fail = |e: &dyn std::fmt::Display| e.to_string();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(36)
            .y_label_area_size(190)
            .build_cartesian_2d(0u64..most, (0..n).into_segmented())
            .map_err(|e| fail(&e))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|y| match y {
                SegmentValue::CenterOf(i) => label(*i),
                _ => String::new(),
            })
            .x_desc(votes)
            .label_style(("sans-serif", 13))
            .draw()
            .map_err(|e| fail(&e))?;
        chart
            .draw_series(report.projects.iter().enumerate().map(|(i, p)| {
                let (r, g, b) = BAR_COLOURS[bar_kind(p)];
                let mut bar = Rectangle::new(
                    [
                        (0, SegmentValue::Exact(i)),
                        (p.votes, SegmentValue::Exact(i + 1)),
                    ],
                    RGBColor(r, g, b).filled(),
                );
                bar.set_margin(4, 4, 0, 0);
                bar
            }))
            .map_err(|e| fail(&e))?;
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg)
}

/// The result as a chart, with its legend in words.
#[component]
fn ResultChart(report: BudgetReport) -> impl IntoView {
    let i18n = use_i18n();
    let svg = {
        let report = report.clone();
        move || chart_svg(&report, &i18n.t("budget-chart-votes")).unwrap_or_default()
    };
    let keys = [
        "budget-chart-both",
        "budget-chart-equal",
        "budget-chart-greedy",
        "budget-chart-neither",
    ];
    let legend = keys
        .into_iter()
        .enumerate()
        .filter(|(k, _)| report.projects.iter().any(|p| bar_kind(p) == *k))
        .map(|(k, key)| {
            let (r, g, b) = BAR_COLOURS[k];
            let colour = format!("background: rgb({r}, {g}, {b})");
            view! { <li><span class="swatch" style=colour aria-hidden="true"></span>{move || i18n.t(key)}</li> }
        })
        .collect_view();
    view! {
        <figure class="result-chart" id="budget-chart">
            <div class="chart" role="img" aria-label=move || i18n.t("budget-chart-label") inner_html=svg></div>
            <figcaption>
                <ul class="chart-legend">{legend}</ul>
            </figcaption>
        </figure>
    }
}

#[component]
pub fn Report(report: BudgetReport) -> impl IntoView {
    let i18n = use_i18n();
    let currency = report.currency.clone();
    let summary = {
        let (title, budget, currency, voters, projects) = (
            report.title.clone(),
            report.budget.clone(),
            currency.clone(),
            report.voters,
            report.projects.len(),
        );
        move || {
            i18n.t_with(
                "budget-summary",
                &[
                    ("title", title.clone().into()),
                    ("budget", money(i18n, &budget, &currency).into()),
                    ("voters", voters.into()),
                    ("projects", projects.into()),
                ],
            )
        }
    };
    let funded = |by: fn(&ProjectLine) -> bool| {
        report
            .projects
            .iter()
            .filter(|p| by(p))
            .map(|p| view! { <li>{p.name.clone()}</li> })
            .collect_view()
    };
    let equal = funded(|p| matches!(p.equal_shares, Funding::Paid { .. } | Funding::Completion));
    let greedy = funded(|p| p.greedy);
    let total = |amount: String| {
        let currency = currency.clone();
        move || {
            let total = money(i18n, &amount, &currency);
            i18n.t_with("budget-total", &[("total", total.into())])
        }
    };
    let equal_total = total(report.equal_shares_total.clone());
    let greedy_total = total(report.greedy_total.clone());
    let rows = report
        .projects
        .iter()
        .map(|p| {
            let p = p.clone();
            let currency = currency.clone();
            let funded_equal = matches!(p.equal_shares, Funding::Paid { .. } | Funding::Completion);
            let facts = {
                let p = p.clone();
                let currency = currency.clone();
                move || {
                    i18n.t_with(
                        "budget-facts",
                        &[
                            ("cost", money(i18n, &p.cost, &currency).into()),
                            ("votes", p.votes.into()),
                        ],
                    )
                }
            };
            let verdict = move || {
                let rule = |yes: bool| {
                    i18n.t(if yes {
                        "budget-funded"
                    } else {
                        "budget-not-funded"
                    })
                };
                format!(
                    "{}: {} · {}: {}",
                    i18n.t("budget-equal-shares"),
                    rule(funded_equal),
                    i18n.t("budget-greedy"),
                    rule(p.greedy)
                )
            };
            let explanation = {
                let p = p.clone();
                let currency = currency.clone();
                move || why(i18n, &p, &currency)
            };
            let greedy_reason = {
                let p = p.clone();
                move || why_not_greedy(i18n, &p, &currency)
            };
            view! {
                <li class="card budget-project" class:funded=funded_equal>
                    <h4>{p.name.clone()}</h4>
                    <p class="meta">{facts}</p>
                    <p class="budget-verdict">{verdict}</p>
                    <p>{explanation}</p>
                    {move || greedy_reason().map(|text| view! { <p>{text}</p> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <div id="budget-result">
            <p class="lead" id="budget-summary">{summary}</p>
            <ResultChart report=report.clone()/>
            <div class="budget-rules">
                <div class="card">
                    <h3>{move || i18n.t("budget-equal-shares")}</h3>
                    <p class="help">{move || i18n.t("budget-equal-shares-help")}</p>
                    <ul id="budget-equal-shares">{equal}</ul>
                    <p class="budget-total">{equal_total}</p>
                </div>
                <div class="card">
                    <h3>{move || i18n.t("budget-greedy")}</h3>
                    <p class="help">{move || i18n.t("budget-greedy-help")}</p>
                    <ul id="budget-greedy">{greedy}</ul>
                    <p class="budget-total">{greedy_total}</p>
                </div>
            </div>
            <h3>{move || i18n.t("budget-all")}</h3>
            <ul class="budget-projects" id="budget-projects">{rows}</ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(name: &str, votes: u64, equal: bool, greedy: bool) -> ProjectLine {
        ProjectLine {
            id: name.to_owned(),
            name: name.to_owned(),
            cost: "100".into(),
            votes,
            equal_shares: if equal {
                Funding::Completion
            } else {
                Funding::Short { left: "0".into() }
            },
            greedy,
            greedy_left: None,
        }
    }

    #[test]
    fn the_chart_draws_a_bar_per_proposal_in_its_rules_colour_and_escapes_names() {
        let report = BudgetReport {
            title: "Solhøj".into(),
            currency: "DKK".into(),
            budget: "200".into(),
            voters: 5,
            projects: vec![
                line("Bænke", 5, true, true),
                line("<script>alert(1)</script>", 3, false, false),
                line("Lys", 2, true, false),
            ],
            equal_shares_total: "200".into(),
            greedy_total: "100".into(),
            ties: Vec::new(),
        };
        let svg = chart_svg(&report, "Votes").unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(!svg.contains("<script>"), "a name is text, never markup");
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
        for (r, g, b) in [BAR_COLOURS[0], BAR_COLOURS[1], BAR_COLOURS[3]] {
            let colour = format!("#{r:02X}{g:02X}{b:02X}");
            assert!(svg.to_uppercase().contains(&colour), "{colour} in {svg}");
        }
        let (r, g, b) = BAR_COLOURS[2];
        assert!(!svg
            .to_uppercase()
            .contains(&format!("#{r:02X}{g:02X}{b:02X}")));
    }
}
