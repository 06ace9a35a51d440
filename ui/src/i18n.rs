//! Translations through Fluent. Every string the UI shows comes from
//! `ui/locales/<lang>/<capability>.ftl` (compiled in by `build.rs`, which
//! finds the files); a capability adds its texts by adding its file, a
//! language by adding a folder (and a variant of [`Lang`]). Components call
//! [`I18n::t`] inside reactive closures so text follows the chosen language.

use std::collections::HashMap;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use leptos::prelude::*;
use nabo_shared::activities::CheckinRejection;
use nabo_shared::api::ApiError;
use nabo_shared::budget::pabulib::PbProblem;
use nabo_shared::budget::pool::PoolProblem;
use nabo_shared::budget::round::BallotProblem;
use nabo_shared::codes::{CodeError, CodeKind};
use nabo_shared::community::InviteProblem;
use nabo_shared::exchange::SyncFileProblem;
use nabo_shared::fields::FieldProblem;
use nabo_shared::members::cards::CardProblem;
use nabo_shared::members::Role;
use nabo_shared::rewards::payments::PaymentProblem;
use nabo_shared::sync::{Refusal, SyncProblem};

pub use nabo_shared::community::Lang;

mod files {
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

/// `(language tag, file name, Fluent source)` of every translation file.
pub use files::FILES;
use files::IDS;

/// The languages the UI speaks. Adding one: a folder of `.ftl` files in
/// `ui/locales/<tag>/` with every message, and a variant of [`Lang`].
pub const LANGS: [Lang; 3] = [Lang::Da, Lang::En, Lang::Ar];

/// A language's messages, each file parsed the first time one of its
/// messages is asked for (start-up parses only what the first screen says).
struct Bundle {
    fluent: FluentBundle<FluentResource>,
    /// Which of [`FILES`] are in `fluent`.
    loaded: Vec<bool>,
}

impl Bundle {
    fn new(lang: Lang) -> Self {
        let id = lang.tag().parse().unwrap_or_default();
        let mut fluent = FluentBundle::new(vec![id]);
        // Bidi isolation marks around arguments only where the text runs
        // right to left (names and numbers inside Arabic sentences);
        // elsewhere they would show up as boxes in some fonts and in test
        // assertions.
        fluent.set_use_isolating(lang.dir() == "rtl");
        Bundle {
            fluent,
            loaded: vec![false; FILES.len()],
        }
    }

    /// Makes sure the file that holds `id` in `lang` is parsed.
    fn load_for(&mut self, lang: Lang, id: &str) {
        let Ok(at) = IDS.binary_search_by(|(tag, name, _)| (*tag, *name).cmp(&(lang.tag(), id)))
        else {
            return;
        };
        let file = IDS[at].2;
        if std::mem::replace(&mut self.loaded[file], true) {
            return;
        }
        let (tag, name, source) = FILES[file];
        let resource =
            FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, errors)| {
                leptos::logging::error!("{tag}/{name} translation errors: {errors:?}");
                partial
            });
        if let Err(errors) = self.fluent.add_resource(resource) {
            leptos::logging::error!("{tag}/{name} duplicate messages: {errors:?}");
        }
    }
}

thread_local! {
    /// Each language's messages, parsed file by file as they are used.
    static BUNDLES: std::cell::RefCell<HashMap<Lang, Bundle>> =
        std::cell::RefCell::new(HashMap::new());
}

/// Formats a message; a missing message shows its id (and is caught by a test).
pub fn format(lang: Lang, id: &str, args: Option<&FluentArgs<'_>>) -> String {
    BUNDLES.with_borrow_mut(|bundles| {
        let bundle = bundles.entry(lang).or_insert_with(|| Bundle::new(lang));
        if !bundle.fluent.has_message(id) {
            bundle.load_for(lang, id);
        }
        let fluent = &bundle.fluent;
        let Some(pattern) = fluent.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut errors = Vec::new();
        fluent
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    })
}

/// The current language, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    /// The chosen language.
    pub lang: RwSignal<Lang>,
}

impl I18n {
    /// A message in the current language (tracks the language signal).
    pub fn t(&self, id: &str) -> String {
        format(self.lang.get(), id, None)
    }

    /// A message with arguments.
    pub fn t_with(&self, id: &str, args: &[(&str, FluentValue<'static>)]) -> String {
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(k.to_string(), v.clone());
        }
        format(self.lang.get(), id, Some(&fargs))
    }

    /// The locale dates and numbers are written in: the language's own
    /// conventions (Danish `5.12.2026`, British English `5 Dec 2026`; Arabic
    /// with Latin digits, so amounts, times and codes read the same
    /// everywhere in the app).
    fn locale(&self) -> &'static str {
        match self.lang.get() {
            Lang::Da => "da-DK",
            Lang::En => "en-GB",
            Lang::Ar => "ar-u-nu-latn",
        }
    }

    fn format_js(&self, date: &js_sys::Date, options: &[(&str, &str)], time: bool) -> String {
        let opts = js_sys::Object::new();
        for (k, v) in options {
            let _ = js_sys::Reflect::set(&opts, &(*k).into(), &(*v).into());
        }
        let text = if time {
            date.to_locale_string(self.locale(), &opts)
        } else {
            date.to_locale_date_string(self.locale(), &opts)
        };
        text.into()
    }

    /// A calendar date, e.g. "tir. 24. nov. 2026".
    pub fn date(&self, d: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let js = js_sys::Date::new_with_year_month_day_hr_min_sec(
            d.year() as u32,
            d.month0() as i32,
            d.day() as i32,
            12,
            0,
            0,
        );
        self.format_js(
            &js,
            &[
                ("weekday", "short"),
                ("day", "numeric"),
                ("month", "short"),
                ("year", "numeric"),
            ],
            false,
        )
    }

    /// The viewer's local day of a moment, e.g. "tir. 24. nov.".
    pub fn day_of(&self, t: chrono::DateTime<chrono::Utc>) -> String {
        let js = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.timestamp_millis() as f64));
        self.format_js(
            &js,
            &[("weekday", "short"), ("day", "numeric"), ("month", "short")],
            false,
        )
    }

    /// A moment in the viewer's local time, e.g. "24. nov. 15.05".
    pub fn datetime(&self, t: chrono::DateTime<chrono::Utc>) -> String {
        let js = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.timestamp_millis() as f64));
        self.format_js(
            &js,
            &[
                ("day", "numeric"),
                ("month", "short"),
                ("year", "numeric"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
            ],
            true,
        )
    }

    /// A clock time as the language writes it ("15.00", "15:00").
    pub fn time(&self, t: chrono::NaiveTime) -> String {
        use chrono::Timelike;
        let js = js_sys::Date::new_with_year_month_day_hr_min_sec(
            2026,
            0,
            5,
            t.hour() as i32,
            t.minute() as i32,
            0,
        );
        self.format_js(
            &js,
            &[
                ("hour", "2-digit"),
                ("minute", "2-digit"),
                ("hourCycle", "h23"),
            ],
            true,
        )
    }

    /// A whole number with the language's digit grouping ("1.250").
    pub fn number(&self, n: impl Into<f64>) -> String {
        js_sys::Number::from(n.into())
            .to_locale_string(self.locale())
            .into()
    }

    /// Points gained, with their sign, as one piece ("+1.250"); in a
    /// right-to-left language isolated left to right, so the sign stays in
    /// front of the number even where it stands alone.
    pub fn plus(&self, n: impl Into<f64>) -> FluentValue<'static> {
        let text = format!("+{}", self.number(n));
        if self.lang.get().dir() == "rtl" {
            format!("\u{2066}{text}\u{2069}").into()
        } else {
            text.into()
        }
    }

    /// A number taken away, e.g. "−20" (kept left to right).
    pub fn minus(&self, n: impl Into<f64>) -> FluentValue<'static> {
        let text = format!("\u{2212}{}", self.number(n));
        if self.lang.get().dir() == "rtl" {
            format!("\u{2066}{text}\u{2069}").into()
        } else {
            text.into()
        }
    }

    /// A month's name (1 = January).
    pub fn month(&self, month: u32) -> String {
        let js = js_sys::Date::new_with_year_month_day(2026, month.saturating_sub(1) as i32, 15);
        self.format_js(&js, &[("month", "long")], false)
    }

    /// A weekday's name.
    pub fn weekday(&self, day: chrono::Weekday) -> String {
        // 5 January 2026 is a Monday.
        let js =
            js_sys::Date::new_with_year_month_day(2026, 0, 5 + day.num_days_from_monday() as i32);
        self.format_js(&js, &[("weekday", "long")], false)
    }

    /// A role's name.
    pub fn role(&self, role: Role) -> String {
        self.t(match role {
            Role::Resident => "role-resident",
            Role::Volunteer => "role-volunteer",
            Role::Coordinator => "role-coordinator",
            Role::Partner => "role-partner",
        })
    }

    /// What is wrong with a budget file, in words.
    pub fn budget_problem(&self, problem: &PbProblem) -> String {
        let text = |id: &str, name: &'static str, value: &str| {
            self.t_with(id, &[(name, value.to_owned().into())])
        };
        match problem {
            PbProblem::Unreadable(_) => self.t("budget-problem-unreadable"),
            PbProblem::OutsideSection => self.t("budget-problem-outside-section"),
            PbProblem::MissingColumn { column, .. } => {
                text("budget-problem-missing-column", "column", column)
            }
            PbProblem::MissingSection(section) => {
                text("budget-problem-missing-section", "section", section)
            }
            PbProblem::MissingMeta(key) => text("budget-problem-missing-meta", "key", key),
            PbProblem::NotANumber(value) => text("budget-problem-not-a-number", "value", value),
            PbProblem::NoId(column) => text("budget-problem-no-id", "column", column),
            PbProblem::DuplicateProject(id) => text("budget-problem-duplicate-project", "id", id),
            PbProblem::DuplicateVoter(id) => text("budget-problem-duplicate-voter", "id", id),
            PbProblem::UnknownProject(id) => text("budget-problem-unknown-project", "id", id),
            PbProblem::UnknownVoteType(kind) => {
                text("budget-problem-unknown-vote-type", "kind", kind)
            }
            PbProblem::TooManyFields { .. } => self.t("budget-problem-too-many-fields"),
            PbProblem::PointsMismatch { .. } => self.t("budget-problem-points-mismatch"),
        }
    }

    /// Why a device refused another, in words.
    pub fn refusal(&self, reason: Refusal) -> String {
        self.t(match reason {
            Refusal::OtherCommunity => "refusal-other-community",
            Refusal::NotMember => "refusal-not-member",
            Refusal::Revoked => "refusal-revoked",
            Refusal::Retired => "refusal-retired",
            Refusal::UnexpectedPeer => "refusal-unexpected-peer",
            Refusal::BadIdentity => "refusal-bad-identity",
            Refusal::Unavailable => "refusal-unavailable",
        })
    }

    /// A form field's name, for messages about it.
    pub fn field(&self, field: &str) -> FluentValue<'static> {
        self.t(&format!("fieldname-{field}")).into()
    }

    /// The message for an error, in the current language.
    pub fn error(&self, e: &ApiError) -> String {
        let field = |f: &str| self.field(f);
        match e {
            ApiError::BudgetFile { line, problem } => {
                let why = self.budget_problem(problem);
                if *line == 0 {
                    self.t_with("error-budget-file", &[("problem", why.into())])
                } else {
                    self.t_with(
                        "error-budget-file-line",
                        &[("line", (*line).into()), ("problem", why.into())],
                    )
                }
            }
            ApiError::BudgetBallots { vote_type } => self.t_with(
                "error-budget-ballots",
                &[("kind", vote_type.clone().into())],
            ),
            ApiError::Ballot { problem } => match problem {
                BallotProblem::NotIdeas => self.t("error-ballot-not-ideas"),
                BallotProblem::NotVoting => self.t("error-ballot-not-voting"),
                BallotProblem::Counted => self.t("error-ballot-counted"),
                BallotProblem::NotCounted => self.t("error-ballot-not-counted"),
                BallotProblem::NotOnBallot => self.t("error-ballot-not-on-ballot"),
                BallotProblem::EmptyBallot => self.t("error-ballot-empty"),
                BallotProblem::UnknownCode => self.t("error-ballot-unknown-code"),
                BallotProblem::CodeUsed => self.t("error-ballot-code-used"),
                BallotProblem::NotHelper => self.t("error-ballot-not-helper"),
                BallotProblem::TextChanged => self.t("error-ballot-text-changed"),
                BallotProblem::TooFew { min } => {
                    self.t_with("error-ballot-too-few", &[("count", (*min).into())])
                }
                BallotProblem::TooMany { max } => {
                    self.t_with("error-ballot-too-many", &[("count", (*max).into())])
                }
                BallotProblem::OverLimit { limit } => self.t_with(
                    "error-ballot-over-limit",
                    &[("limit", crate::rounds::kroner(*self, *limit).into())],
                ),
            },
            ApiError::Pool { problem } => match problem {
                PoolProblem::NoPool => self.t("error-pool-none"),
                PoolProblem::NotOnPanel => self.t("error-pool-not-on-panel"),
                PoolProblem::OverCap { cap } => self.t_with(
                    "error-pool-over-cap",
                    &[("cap", crate::rounds::kroner(*self, *cap).into())],
                ),
                PoolProblem::Voted => self.t("error-pool-voted"),
                PoolProblem::Decided => self.t("error-pool-decided"),
                PoolProblem::NotGranted => self.t("error-pool-not-granted"),
                PoolProblem::OverGranted { left } => self.t_with(
                    "error-pool-over-granted",
                    &[("left", crate::rounds::kroner(*self, *left).into())],
                ),
                PoolProblem::OwnApplication => self.t("error-pool-own-application"),
                PoolProblem::Cancelled => self.t("error-pool-cancelled"),
            },
            ApiError::NotSetUp => self.t("error-not-set-up"),
            ApiError::AlreadySetUp => self.t("error-already-set-up"),
            ApiError::NotCoordinator => self.t("error-not-coordinator"),
            ApiError::OwnAccess => self.t("error-own-access"),
            ApiError::CoordinatorDevice => self.t("error-coordinator-device"),
            ApiError::OwnPoints => self.t("error-own-points"),
            ApiError::OwnHours => self.t("error-own-hours"),
            ApiError::HoursDecided => self.t("error-hours-decided"),
            ApiError::NotEnoughPoints { balance } => {
                self.t_with("error-not-enough-points", &[("balance", (*balance).into())])
            }
            ApiError::PaymentRefused { problem: p } => self.t(match p {
                PaymentProblem::OtherCommunity => "payment-other-community",
                PaymentProblem::NotAPartner => "payment-not-a-partner",
                PaymentProblem::Expired => "payment-expired",
                PaymentProblem::OwnRequest => "payment-own-request",
                PaymentProblem::NotForYou => "payment-not-for-you",
                PaymentProblem::UnknownRequest => "payment-unknown-request",
                PaymentProblem::AlreadyPaid => "payment-already-paid",
                PaymentProblem::UnknownPayer => "payment-unknown-payer",
                PaymentProblem::NoStatement => "payment-no-statement",
                PaymentProblem::ForeignStatement => "payment-foreign-statement",
                PaymentProblem::NotCovered { left } => {
                    return self.t_with("payment-not-covered", &[("left", (*left).into())])
                }
            }),
            ApiError::CardRefused { problem } => match problem {
                CardProblem::OtherCommunity => self.t("error-card-other-community"),
                CardProblem::Unknown => self.t("error-card-unknown"),
                CardProblem::Blocked => self.t("error-card-blocked"),
                CardProblem::WrongPin { left } => {
                    self.t_with("error-card-wrong-pin", &[("left", (*left).into())])
                }
                CardProblem::TooManyTries => self.t("error-card-too-many"),
            },
            ApiError::ActivityArchived => self.t("error-activity-archived"),
            ApiError::NotFound { .. } => self.t("error-not-found"),
            ApiError::InvalidField { field: f, problem } => {
                let id = match problem {
                    FieldProblem::Required => "error-field-required",
                    FieldProblem::TooLong => "error-field-too-long",
                    FieldProblem::OutOfRange => "error-field-out-of-range",
                    FieldProblem::EndsBeforeStart => "error-field-ends-before-start",
                    FieldProblem::BelowReward => "error-field-below-reward",
                    FieldProblem::Invalid => "error-field-invalid",
                    FieldProblem::MoreThanBalance => "error-field-more-than-balance",
                };
                self.t_with(id, &[("field", field(f))])
            }
            ApiError::UnreadableCode { problem } => self.t(match problem {
                CodeError::NotNabo => "error-code-not-nabo",
                CodeError::UnknownKind => "error-code-unknown-kind",
                CodeError::UnsupportedVersion { .. } => "error-code-version",
                CodeError::Outdated { .. } => "error-code-outdated",
                CodeError::Damaged => "error-code-damaged",
            }),
            // Where the code belongs instead.
            ApiError::WrongKindOfCode { found } => self.t(match found {
                CodeKind::Checkin => "error-wrong-kind-checkin",
                CodeKind::Invite => "error-wrong-kind-invite",
                CodeKind::Pairing => "error-wrong-kind-pairing",
                CodeKind::PaymentRequest => "error-wrong-kind-payment-request",
                CodeKind::Payment => "error-wrong-kind-payment",
                CodeKind::Card => "error-wrong-kind-card",
            }),
            ApiError::OwnHub => self.t("error-own-hub"),
            ApiError::CheckinRefused { reason } => self.t(match reason {
                CheckinRejection::ForeignCommunity => "error-checkin-foreign",
                CheckinRejection::UnknownSigner => "error-checkin-unknown-signer",
                CheckinRejection::BadSignature => "error-checkin-forged",
                CheckinRejection::Expired => "error-checkin-expired",
                CheckinRejection::NotYetValid => "error-checkin-not-yet",
                CheckinRejection::AlreadyCheckedIn => "error-checkin-repeat",
                CheckinRejection::UnknownActivity => "error-checkin-unknown-activity",
            }),
            ApiError::InviteRefused { reason } => self.t(match reason {
                InviteProblem::Forged => "error-invite-forged",
                InviteProblem::Expired => "error-invite-expired",
            }),
            ApiError::ImageUnreadable => self.t("error-image-unreadable"),
            ApiError::NoQrInImage => self.t("error-no-qr"),
            ApiError::BadSyncFile { problem } => self.t(match problem {
                SyncFileProblem::NotASyncFile => "error-sync-not-a-file",
                SyncFileProblem::TooNew => "error-sync-too-new",
                SyncFileProblem::Damaged => "error-sync-damaged",
                SyncFileProblem::OtherCommunity => "error-sync-other-community",
                SyncFileProblem::TooOld => "error-sync-too-old",
                SyncFileProblem::Forged => "error-sync-forged",
                SyncFileProblem::NotForThisDevice => "error-sync-not-for-this-device",
            }),
            ApiError::File { path, .. } => {
                self.t_with("error-file", &[("path", path.clone().into())])
            }
            ApiError::Database { .. } => self.t("error-database"),
            ApiError::DamagedStore { .. } => self.t("error-damaged-store"),
            ApiError::StoreTooNew { .. } => self.t("error-store-too-new"),
            ApiError::NoRandomness => self.t("error-no-randomness"),
            ApiError::Internal { .. } => self.t("error-internal"),
            ApiError::HubOfOtherCommunity => self.t("error-hub-other-community"),
            ApiError::BadShortCode => self.t("error-hub-short-code"),
            ApiError::NoHub => self.t("error-no-hub"),
            ApiError::HubFailed { detail } => {
                self.t_with("error-hub-failed", &[("detail", detail.clone().into())])
            }
            ApiError::SyncFailed { problem } => match problem {
                SyncProblem::Unreachable => self.t("error-sync-unreachable"),
                // Removed: what happened, and who to talk to.
                SyncProblem::RefusedByPeer {
                    reason: Refusal::Revoked,
                } => self.t("error-sync-revoked"),
                // Taken out of use: the membership lives on elsewhere.
                SyncProblem::RefusedByPeer {
                    reason: Refusal::Retired,
                } => self.t("error-sync-retired"),
                SyncProblem::RefusedByPeer { reason } => self.t_with(
                    "error-sync-refused-by-peer",
                    &[("reason", self.refusal(*reason).into())],
                ),
                SyncProblem::RefusedPeer { reason } => self.t_with(
                    "error-sync-refused-peer",
                    &[("reason", self.refusal(*reason).into())],
                ),
                SyncProblem::Damaged => self.t("error-sync-peer-damaged"),
                SyncProblem::OtherCommunity => self.t("error-sync-peer-other-community"),
                SyncProblem::Timeout => self.t("error-sync-timeout"),
                SyncProblem::Interrupted => self.t("error-sync-interrupted"),
                SyncProblem::Storage => self.t("error-storage"),
            },
            ApiError::Ipc { .. } => self.t("error-ipc"),
        }
    }
}

/// The i18n handle from context.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_bundle::FluentResource;
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    fn ids(source: &str) -> BTreeSet<String> {
        let resource =
            FluentResource::try_new(source.to_owned()).expect("locale parses without errors");
        resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }

    /// Every message of a language, over all its files; a message defined
    /// twice fails.
    fn messages(lang: Lang) -> BTreeSet<String> {
        let mut all = BTreeSet::new();
        for (_, name, source) in FILES.iter().filter(|(tag, _, _)| *tag == lang.tag()) {
            for id in ids(source) {
                assert!(
                    all.insert(id.clone()),
                    "{} defines {id} twice ({name})",
                    lang.tag()
                );
            }
        }
        all
    }

    /// Every Rust file of the UI, found by walking `ui/src`.
    fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("ui/src is readable") {
            let path = entry.expect("readable").path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn the_index_names_the_file_of_every_message() {
        let mut parsed = Vec::new();
        for (file, (tag, _, source)) in FILES.iter().enumerate() {
            for id in ids(source) {
                parsed.push((tag.to_string(), id, file));
            }
        }
        parsed.sort();
        let index: Vec<_> = IDS
            .iter()
            .map(|(tag, id, file)| (tag.to_string(), id.to_string(), *file))
            .collect();
        assert_eq!(index, parsed);
    }

    #[test]
    fn every_message_formats_in_every_language_file_by_file() {
        for lang in LANGS {
            for id in messages(lang) {
                assert_ne!(format(lang, &id, None), id, "{} {id}", lang.tag());
            }
            BUNDLES.with_borrow(|b| {
                assert!(b[&lang]
                    .loaded
                    .iter()
                    .enumerate()
                    .all(|(file, loaded)| { *loaded == (FILES[file].0 == lang.tag()) }))
            });
        }
    }

    #[test]
    fn every_language_has_every_message_in_the_same_files() {
        let da = messages(Lang::Da);
        for lang in LANGS {
            let other = messages(lang);
            assert_eq!(
                da.symmetric_difference(&other).collect::<Vec<_>>(),
                Vec::<&String>::new(),
                "messages missing in one language"
            );
            let files = |l: Lang| -> BTreeSet<&str> {
                FILES
                    .iter()
                    .filter(|(t, _, _)| *t == l.tag())
                    .map(|(_, n, _)| *n)
                    .collect()
            };
            assert_eq!(
                files(lang),
                files(Lang::Da),
                "{} has other files",
                lang.tag()
            );
        }
        assert!(FILES.len() >= 2 * 7, "the translation files were not found");
    }

    #[test]
    fn every_message_the_code_uses_exists() {
        let da = messages(Lang::Da);
        let mut files = Vec::new();
        sources(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        assert!(
            files.len() >= 10,
            "the UI's sources were not found: {files:?}"
        );
        files.sort();
        // Message ids are quoted kebab-case words whose first word starts an
        // id in the translations.
        let groups: BTreeSet<String> = da
            .iter()
            .filter_map(|id| id.split_once('-').map(|(g, _)| format!("{g}-")))
            .collect();
        let mut missing = Vec::new();
        let mut checked = 0;
        for file in &files {
            // String literals, per file: a quote in a char literal or escaped
            // in a string does not start one.
            let code = std::fs::read_to_string(file)
                .expect("readable")
                .replace("'\"'", "")
                .replace("\\\"", "");
            let pieces = code.split('"').collect::<Vec<_>>();
            for (i, piece) in pieces.iter().enumerate().skip(1).step_by(2) {
                // HTML attributes name elements and styles, not messages.
                let before = pieces[i - 1].trim_end();
                if ["class=", "id=", "for=", "name=", "aria-labelledby="]
                    .iter()
                    .any(|a| before.ends_with(a))
                {
                    continue;
                }
                let looks_like_id = groups
                    .iter()
                    .any(|g| piece.starts_with(g.as_str()) && piece.len() > g.len())
                    && piece
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit());
                if looks_like_id {
                    checked += 1;
                    if !da.contains(*piece) {
                        missing.push(format!("{}: {piece}", file.display()));
                    }
                }
            }
        }
        assert!(
            checked > 100,
            "only {checked} message ids found in the code"
        );
        assert!(
            missing.is_empty(),
            "messages used but not translated: {missing:?}"
        );
    }

    #[test]
    fn plurals_and_arguments_format() {
        let mut args = FluentArgs::new();
        args.set("count", 1);
        assert_eq!(
            format(Lang::Da, "activity-today", Some(&args)),
            "1 tjekket ind i dag"
        );
        args.set("count", 3);
        assert_eq!(
            format(Lang::En, "activity-today", Some(&args)),
            "3 checked in today"
        );
        let mut args = FluentArgs::new();
        args.set("activity", "Lektiecafé");
        args.set("amount", "+10");
        assert_eq!(
            format(Lang::Da, "scan-ok", Some(&args)),
            "Tjekket ind til Lektiecafé — +10 point venter. Synkronisér i beboerhuset for at få dem."
        );
        // Arabic isolates the arguments, so "+10" stays one piece.
        assert!(
            format(Lang::Ar, "line-pending-amount", Some(&args)).starts_with("\u{2068}+10\u{2069}")
        );
    }
}
