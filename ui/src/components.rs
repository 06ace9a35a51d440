//! The app's own components and formatting, shared by every screen.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::api::ApiError;
use nabo_shared::community::{Lang, SetLanguage};

use crate::api;
use crate::i18n::{use_i18n, LANGS};
use crate::icons::{Ico, Icon};

/// The language picker: every language the app speaks, each in its own
/// words. The choice applies at once and is kept on the device.
#[component]
pub fn LangPicker(
    /// The id of the element that labels the picker (a heading); without
    /// it the picker gets its own visible label.
    #[prop(optional)]
    labelled_by: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let choose = move |ev: leptos::ev::Event| {
        let Some(next) = Lang::parse(&event_target_value(&ev)) else {
            return;
        };
        i18n.lang.set(next);
        spawn_local(async move {
            if let Err(e) = api::call(SetLanguage { lang: next }).await {
                leptos::logging::warn!("language not saved: {e}");
            }
        });
    };
    view! {
        <div class="lang-picker">
            {labelled_by.is_none().then(|| view! {
                <label for="lang-picker" class="lang-label">
                    <Ico icon=Icon::Globe/><span>{move || i18n.t("lang-label")}</span>
                </label>
            })}
            <select id="lang-picker" aria-labelledby=labelled_by on:change=choose>
                {LANGS.iter().map(|lang| {
                    let lang = *lang;
                    view! {
                        <option value=lang.tag() lang=lang.tag() selected=move || i18n.lang.get() == lang>
                            {lang.own_name()}
                        </option>
                    }
                }).collect_view()}
            </select>
        </div>
    }
}

/// The form field an error is about: a field the engine names, or `code`
/// for anything wrong with a typed or pasted code (invite, check-in or hub
/// code), which every form calls `code`.
pub fn field_of(e: &ApiError) -> Option<&str> {
    match e {
        ApiError::InvalidField { field, .. } => Some(field),
        ApiError::UnreadableCode { .. }
        | ApiError::WrongKindOfCode { .. }
        | ApiError::InviteRefused { .. }
        | ApiError::BadShortCode
        | ApiError::OwnHub
        | ApiError::HubOfOtherCommunity => Some("code"),
        _ => None,
    }
}

/// The error this screen shows where no field claims it: in the screen's
/// one status area.
fn unclaimed(e: &ApiError, fields: &[&str]) -> bool {
    field_of(e).is_none_or(|f| !fields.contains(&f))
}

/// A message in a screen's status area, when there is no error.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    /// Something is under way ("Læser billedet…").
    Working(String),
    /// Something went well ("Tjekket ind …").
    Done(String),
    /// Worth knowing, neither good nor bad ("Du har allerede tjekket ind").
    Notice(String),
}

/// A screen's one status area, just under its heading: one message at a
/// time (an error, or what is happening), each replacing the one before.
/// Its space is kept when empty, so a message never moves the buttons
/// below it. Errors about a form field show at the field instead (see
/// [`Field`]) when the field is named in `fields`.
#[component]
pub fn StatusArea(
    /// The screen's error.
    error: RwSignal<Option<ApiError>>,
    /// What is happening or what just happened, when there is no error.
    #[prop(optional, into)]
    message: Option<Signal<Option<Note>>>,
    /// The form fields whose errors show at the field.
    #[prop(optional)]
    fields: &'static [&'static str],
    /// The message's id (for tests and `aria-describedby`).
    #[prop(optional)]
    id: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown_error = move || error.get().filter(|e| unclaimed(e, fields));
    let note = move || message.and_then(|m| m.get());
    view! {
        <div class="status-area">
            {move || match (shown_error(), note()) {
                (Some(e), _) => view! { <p class="error" role="alert" id=id>{i18n.error(&e)}</p> }.into_any(),
                (None, Some(note)) => {
                    let (class, text) = match note {
                        Note::Working(t) => ("working", t),
                        Note::Done(t) => ("success", t),
                        Note::Notice(t) => ("note", t),
                    };
                    view! { <p class=class role="status" id=id>{text}</p> }.into_any()
                }
                (None, None) => view! { <p class="empty-status" role="status"></p> }.into_any(),
            }}
        </div>
    }
}

/// The message of the form's error when it is about `field`.
fn error_at(error: RwSignal<Option<ApiError>>, field: &'static str) -> Memo<Option<String>> {
    let i18n = use_i18n();
    Memo::new(move |_| {
        error.with(|e| {
            e.as_ref()
                .filter(|e| field_of(e) == Some(field))
                .map(|e| i18n.error(e))
        })
    })
}

/// A field's error, right under it, when there is one.
#[component]
fn FieldError(id: String, message: Memo<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || message.with(Option::is_some)>
            <p class="field-error" id=id.clone()>
                <span aria-hidden="true">"⚠ "</span>{move || message.get().unwrap_or_default()}
            </p>
        </Show>
    }
}

/// A form field: its label, the control (the children, whose id is `id`),
/// an optional help text, and its error right under it. When the form's
/// error names this field, the control is marked invalid and described by
/// the message, and focus moves to it (scrolled into view clear of the
/// sticky bars); the message goes once the error is cleared.
#[component]
pub fn Field(
    /// The control's id.
    id: &'static str,
    /// The label's message id.
    label: &'static str,
    /// The field name the engine's errors use.
    field: &'static str,
    /// The form's error.
    error: RwSignal<Option<ApiError>>,
    /// A help text's message id.
    #[prop(optional)]
    help: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let mine = error_at(error, field);
    let error_id = format!("{id}-error");
    let help_id = format!("{id}-help");
    Effect::new({
        let (error_id, help_id) = (error_id.clone(), help_id.clone());
        move |_| {
            let invalid = mine.with(Option::is_some);
            let Some(control) = document().get_element_by_id(id) else {
                return;
            };
            let mut described: Vec<&str> = Vec::new();
            if help.is_some() {
                described.push(&help_id);
            }
            if invalid {
                described.push(&error_id);
                let _ = control.set_attribute("aria-invalid", "true");
            } else {
                let _ = control.remove_attribute("aria-invalid");
            }
            if described.is_empty() {
                let _ = control.remove_attribute("aria-describedby");
            } else {
                let _ = control.set_attribute("aria-describedby", &described.join(" "));
            }
            if invalid {
                if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(control) {
                    let _ = el.focus();
                }
            }
        }
    });
    // Once the member changes the field, its old error goes.
    let edited = move |_| {
        if mine.with_untracked(Option::is_some) {
            error.set(None);
        }
    };
    view! {
        <div class="field" class:invalid=move || mine.with(Option::is_some) on:input=edited on:change=edited>
            <label for=id>{move || i18n.t(label)}</label>
            {children()}
            {help.map(|h| view! { <p class="help" id=help_id.clone()>{move || i18n.t(h)}</p> })}
            <FieldError id=error_id.clone() message=mine/>
        </div>
    }
}

/// Short confirmations ("Kopieret", "Gemt") that appear above the tab bar
/// and go by themselves; they never take focus.
#[derive(Clone, Copy)]
pub struct Toast(RwSignal<Option<(u64, String)>>);

impl Toast {
    /// Makes the toast's state and shares it with everything below.
    pub fn provide() {
        provide_context(Toast(RwSignal::new(None)));
    }

    /// Shows `text` for a few seconds.
    pub fn show(&self, text: String) {
        let id = js_sys::Date::now() as u64;
        self.0.set(Some((id, text)));
        let shown = self.0;
        set_timeout(
            move || {
                if shown.with_untracked(|s| s.as_ref().is_some_and(|(n, _)| *n == id)) {
                    shown.set(None);
                }
            },
            std::time::Duration::from_secs(5),
        );
    }
}

/// The toast from context.
pub fn use_toast() -> Toast {
    expect_context::<Toast>()
}

/// Draws the [`Toast`]; the shell renders it once.
#[component]
pub fn ToastHost() -> impl IntoView {
    let Toast(shown) = use_toast();
    // A toast says what just happened in the language it was said in: when
    // the language changes, it goes.
    let i18n = use_i18n();
    Effect::new(move |before: Option<crate::i18n::Lang>| {
        let now = i18n.lang.get();
        if before.is_some_and(|b| b != now) {
            shown.set(None);
        }
        now
    });
    view! {
        <div class="toast-region" role="status" aria-live="polite">
            {move || shown.get().map(|(_, text)| view! { <p class="toast" id="toast">{text}</p> })}
        </div>
    }
}

/// A question to confirm before something that cannot simply be undone.
#[derive(Clone)]
pub struct Ask {
    /// The question, as the dialog's title.
    pub title: String,
    /// What will happen, in plain words.
    pub message: String,
    /// The label of the button that goes ahead ("Fjern adgang").
    pub yes: String,
    /// What going ahead does.
    pub on_yes: Callback<()>,
}

/// The app's one confirmation dialog, shared through context: a screen
/// calls [`Confirm::ask`], the dialog opens as a modal in the app's language
/// and style (never the webview's own `confirm()`), focus moves to
/// "Annuller" (the safe choice), Escape or Annuller closes it, and focus
/// returns to where it was.
#[derive(Clone, Copy)]
pub struct Confirm(RwSignal<Option<Ask>>);

impl Confirm {
    /// Makes the dialog's state and shares it with everything below.
    pub fn provide() {
        provide_context(Confirm(RwSignal::new(None)));
    }

    /// Asks; `on_yes` runs only if the user confirms.
    pub fn ask(
        &self,
        title: String,
        message: String,
        yes: String,
        on_yes: impl Fn() + Send + Sync + 'static,
    ) {
        self.0.set(Some(Ask {
            title,
            message,
            yes,
            on_yes: Callback::new(move |()| on_yes()),
        }));
    }
}

/// The confirmation dialog from context.
pub fn use_confirm() -> Confirm {
    expect_context::<Confirm>()
}

/// Draws the [`Confirm`] dialog; the shell renders it once.
#[component]
pub fn ConfirmHost() -> impl IntoView {
    let i18n = use_i18n();
    let Confirm(asked) = use_confirm();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let cancel = NodeRef::<leptos::html::Button>::new();
    // Where focus was before the dialog opened, to give it back.
    let before = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |_| {
        let open = asked.with(Option::is_some);
        let Some(dialog) = dialog.get() else { return };
        if open && !dialog.open() {
            before.set_value(
                document()
                    .active_element()
                    .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()),
            );
            if dialog.show_modal().is_err() {
                dialog.set_open(true);
            }
            if let Some(cancel) = cancel.get() {
                let _ = cancel.focus();
            }
        } else if !open && dialog.open() {
            dialog.close();
        }
    });
    let close = move || {
        asked.set(None);
        if let Some(el) = before.get_value() {
            let _ = el.focus();
        }
    };
    let yes = move |_| {
        let on_yes = asked.get_untracked().map(|a| a.on_yes);
        close();
        if let Some(on_yes) = on_yes {
            on_yes.run(());
        }
    };
    view! {
        <dialog node_ref=dialog id="confirm-dialog" class="dialog"
                aria-labelledby="confirm-title" aria-describedby="confirm-message"
                on:cancel=move |ev: web_sys::Event| { ev.prevent_default(); close(); }>
            <h2 id="confirm-title">{move || asked.get().map(|a| a.title).unwrap_or_default()}</h2>
            <p id="confirm-message">{move || asked.get().map(|a| a.message).unwrap_or_default()}</p>
            <div class="actions">
                <button node_ref=cancel id="confirm-no" type="button" on:click=move |_| close()>
                    {move || i18n.t("cancel")}
                </button>
                <button id="confirm-yes" type="button" class="primary danger" on:click=yes>
                    {move || asked.get().map(|a| a.yes).unwrap_or_default()}
                </button>
            </div>
        </dialog>
    }
}

/// A time of day typed as text (`15:00`, `15.00` or `1500`: see
/// `activities::editor::parse_time`), with its help and error.
#[component]
pub fn TimeField(
    /// The input's id.
    id: &'static str,
    /// The label's message id.
    label: &'static str,
    /// The field name errors use.
    field: &'static str,
    /// The text typed.
    value: RwSignal<String>,
    /// The form's error.
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    view! {
        <Field id=id label=label field=field error=error help="field-time-help">
            <input id=id type="text" inputmode="numeric" dir="ltr" maxlength="5" autocomplete="off"
                   prop:value=move || value.get()
                   on:input=move |ev| value.set(event_target_value(&ev))/>
        </Field>
    }
}

/// A date as three choices (day, month by name, year) in the chosen
/// language, so it never reads as 12/02 in one place and 02.12 in another.
/// `value` is `None` while the choice is not a real date (31 February).
#[component]
pub fn DateField(
    /// The fieldset's id (its parts are `<id>-day`, `-month`, `-year`).
    id: &'static str,
    /// The legend's message id.
    label: &'static str,
    /// The field name errors use.
    field: &'static str,
    /// The date.
    value: RwSignal<Option<chrono::NaiveDate>>,
    /// The form's error.
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    use chrono::Datelike;
    let i18n = use_i18n();
    let start = value.get_untracked().unwrap_or_default();
    let day = RwSignal::new(start.day());
    let month = RwSignal::new(start.month());
    let year = RwSignal::new(start.year());
    let this_year = js_sys::Date::new_0().get_full_year() as i32;
    let years: Vec<i32> = (start.year().min(this_year - 1)..=this_year + 2).collect();
    let update = move || {
        value.set(chrono::NaiveDate::from_ymd_opt(
            year.get_untracked(),
            month.get_untracked(),
            day.get_untracked(),
        ));
    };
    let mine = error_at(error, field);
    let error_id = format!("{id}-error");
    let day_id = format!("{id}-day");
    Effect::new({
        let day_id = day_id.clone();
        move |_| {
            if mine.with(Option::is_some) {
                if let Some(el) = document().get_element_by_id(&day_id) {
                    if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                        let _ = el.focus();
                    }
                }
            }
        }
    });
    let part = move |suffix: &'static str,
                     label: &'static str,
                     options: Vec<(String, String)>,
                     current: Memo<String>,
                     set: Callback<String>| {
        let part_id = format!("{id}-{suffix}");
        view! {
            <span class="date-part">
                <label for=part_id.clone() class="sr-only">{move || i18n.t(label)}</label>
                <select id=part_id aria-invalid=move || mine.with(Option::is_some).then_some("true")
                        aria-describedby=move || mine.with(Option::is_some).then(|| format!("{id}-error"))
                        on:change=move |ev| set.run(event_target_value(&ev))>
                    {options.into_iter().map(|(v, text)| {
                        let selected = { let v = v.clone(); move || current.get() == v };
                        view! { <option value=v selected=selected>{text}</option> }
                    }).collect_view()}
                </select>
            </span>
        }
    };
    let days: Vec<(String, String)> = (1..=31).map(|d| (d.to_string(), d.to_string())).collect();
    let day_now = Memo::new(move |_| day.get().to_string());
    let month_now = Memo::new(move |_| month.get().to_string());
    let year_now = Memo::new(move |_| year.get().to_string());
    view! {
        <fieldset class="field date-field" id=id class:invalid=move || mine.with(Option::is_some)>
            <legend>{move || i18n.t(label)}</legend>
            <div class="date-parts">
                {part("day", "date-day", days, day_now, Callback::new(move |v: String| { day.set(v.parse().unwrap_or(1)); update(); }))}
                {move || {
                    // Month names follow the language.
                    let months: Vec<(String, String)> = (1..=12).map(|m| (m.to_string(), i18n.month(m))).collect();
                    part("month", "date-month", months, month_now, Callback::new(move |v: String| { month.set(v.parse().unwrap_or(1)); update(); }))
                }}
                {part("year", "date-year", years.iter().map(|y| (y.to_string(), y.to_string())).collect(), year_now, Callback::new(move |v: String| { year.set(v.parse().unwrap_or(this_year)); update(); }))}
            </div>
            <FieldError id=error_id.clone() message=mine/>
        </fieldset>
    }
}

/// A search field over a list (and, as children, how to order it).
#[component]
pub fn SearchBar(
    /// The input's id.
    id: &'static str,
    /// The label's message id (read out; the field shows an icon).
    label: &'static str,
    /// The text typed.
    value: RwSignal<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="search" role="search">
            <label for=id class="search-label">
                <Ico icon=Icon::Search/><span class="sr-only">{move || i18n.t(label)}</span>
            </label>
            <input id=id type="search" autocomplete="off"
                   placeholder=move || i18n.t(label)
                   prop:value=move || value.get()
                   on:input=move |ev| value.set(event_target_value(&ev))/>
            {children.map(|c| c())}
        </div>
    }
}

/// Copies `text` to the clipboard and says so with a toast; where the
/// system can share (a phone's share sheet), a second button shares it.
#[component]
pub fn CopyShare(
    /// What to copy or share.
    #[prop(into)]
    text: Signal<String>,
    /// A title for the share sheet.
    #[prop(into)]
    title: Signal<String>,
    /// Ids for the buttons (`<id>-copy`, `<id>-share`).
    id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let toast = use_toast();
    let navigator = window().navigator();
    let can_share = js_sys::Reflect::has(&navigator, &"share".into()).unwrap_or(false);
    let copy = move |_| {
        let value = text.get_untracked();
        let clipboard = window().navigator().clipboard();
        spawn_local(async move {
            let written = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&value)).await;
            toast.show(i18n.t(if written.is_ok() {
                "copied"
            } else {
                "copy-failed"
            }));
        });
    };
    let share = move |_| {
        let data = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&data, &"title".into(), &title.get_untracked().into());
        let _ = js_sys::Reflect::set(&data, &"text".into(), &text.get_untracked().into());
        let navigator = window().navigator();
        let shared = js_sys::Reflect::get(&navigator, &"share".into())
            .ok()
            .and_then(|f| wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok())
            .and_then(|f| f.call1(&navigator, &data).ok());
        if let Some(promise) =
            shared.and_then(|p| wasm_bindgen::JsCast::dyn_into::<js_sys::Promise>(p).ok())
        {
            spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            });
        }
    };
    view! {
        <div class="copy-share">
            <button id=format!("{id}-copy") type="button" class="ghost small" on:click=copy>
                <Ico icon=Icon::Copy/><span>{move || i18n.t("copy")}</span>
            </button>
            {can_share.then(|| view! {
                <button id=format!("{id}-share") type="button" class="ghost small" on:click=share>
                    <Ico icon=Icon::Share/><span>{move || i18n.t("share")}</span>
                </button>
            })}
        </div>
    }
}

/// A code to show: its QR (`<id>-qr`, with the text in `data-code`), copy
/// and share buttons, and its text to type in; nothing while there is none.
#[component]
pub fn ShownCode(
    /// The id the parts are named from.
    id: &'static str,
    /// The code.
    #[prop(into)]
    code: Signal<Option<nabo_shared::codes::QrView>>,
    /// The share sheet's title (a message id).
    share_title: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || code.get().map(|c| c.text).unwrap_or_default();
    view! {
        <Show when=move || code.with(Option::is_some)>
            <div id=format!("{id}-qr") class="qr" data-code=text
                 inner_html=move || code.get().map(|c| c.svg).unwrap_or_default()></div>
            <CopyShare id=id text=Signal::derive(text)
                       title=Signal::derive(move || i18n.t(share_title))/>
            <details>
                <summary>{move || i18n.t("qr-show-text")}</summary>
                <code class="code-text" dir="ltr">{text}</code>
            </details>
        </Show>
    }
}
