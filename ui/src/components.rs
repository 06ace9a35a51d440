//! The app's own components and formatting, shared by every screen.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::api::ApiError;
use nabo_shared::community::{Lang, SetLanguage};

use crate::api;
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};

/// A date and time in the viewer's local time, e.g. "22.11. 18:05".
pub fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.timestamp_millis() as f64));
    format!(
        "{:02}.{:02}.{} {:02}:{:02}",
        d.get_date(),
        d.get_month() + 1,
        d.get_full_year(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The language button: shows the other language's name.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let toggle = move |_| {
        let next = match i18n.lang.get_untracked() {
            Lang::Da => Lang::En,
            Lang::En => Lang::Da,
        };
        i18n.lang.set(next);
        spawn_local(async move {
            if let Err(e) = api::call(SetLanguage { lang: next }).await {
                leptos::logging::warn!("language not saved: {e}");
            }
        });
    };
    view! {
        <button id="lang-switch" class="ghost" on:click=toggle title=move || i18n.t("lang-switch-label")>
            <Ico icon=Icon::Globe/>
            <span>{move || i18n.t("lang-switch")}</span>
        </button>
    }
}

/// Shows an error (translated) when there is one.
#[component]
pub fn ErrorBox(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || error.with(Option::is_some)>
            <p class="error" role="alert">{move || error.get().map(|e| i18n.error(&e)).unwrap_or_default()}</p>
        </Show>
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
