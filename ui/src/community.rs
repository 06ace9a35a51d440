//! First start: create a neighbourhood, join one, or try the demo.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::activities::ReadQrImage;
use nabo_shared::api::ApiError;
use nabo_shared::community::{CreateCommunity, JoinCommunity, StartDemo, Status};

use crate::api;
use crate::components::{Field, LangPicker, StatusArea};
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};
use crate::nav::StatusRes;

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Choose,
    Create,
    Join,
}

#[component]
pub fn Welcome() -> impl IntoView {
    let i18n = use_i18n();
    let StatusRes(status) = expect_context::<StatusRes>();
    let mode = RwSignal::new(Mode::Choose);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let community_name = RwSignal::new(String::new());
    let my_name = RwSignal::new(String::new());
    let invite = RwSignal::new(String::new());

    let run = move |fut: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Status, ApiError>>>,
    >| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match fut.await {
                Ok(_) => status.refetch(),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let create = CreateCommunity {
            community_name: community_name.get_untracked(),
            my_name: my_name.get_untracked(),
        };
        run(Box::pin(api::call(create)));
    };
    let join = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let join = JoinCommunity {
            invite: invite.get_untracked(),
            my_name: my_name.get_untracked(),
        };
        run(Box::pin(api::call(join)));
    };
    let demo = move |_| run(Box::pin(api::call(StartDemo)));
    let read_picture = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        error.set(None);
        spawn_local(async move {
            match api::send_chosen::<ReadQrImage>(&input).await {
                Some(Ok(text)) => invite.set(text),
                Some(Err(e)) => error.set(Some(e)),
                None => {}
            }
        });
    };
    let back = move |_| {
        error.set(None);
        mode.set(Mode::Choose);
    };

    view! {
        <div class="app welcome">
            <header class="topbar">
                <h1>{move || i18n.t("app-name")}</h1>
                <LangPicker/>
            </header>
            <main class="content">
                {move || match mode.get() {
                    Mode::Choose => view! {
                        <section class="choose">
                        <h2>{move || i18n.t("welcome-title")}</h2>
                        <p class="lead">{move || i18n.t("welcome-lead")}</p>
                        <StatusArea error=error/>
                        <div class="choices">
                            <button id="choose-join" class="choice primary" on:click=move |_| mode.set(Mode::Join)>
                                <Ico icon=Icon::Scan/>
                                <span class="choice-title">{move || i18n.t("welcome-join")}</span>
                                <span class="choice-help">{move || i18n.t("welcome-join-help")}</span>
                            </button>
                            <button id="choose-create" class="choice" on:click=move |_| mode.set(Mode::Create)>
                                <Ico icon=Icon::Plus/>
                                <span class="choice-title">{move || i18n.t("welcome-create")}</span>
                                <span class="choice-help">{move || i18n.t("welcome-create-help")}</span>
                            </button>
                            <button id="choose-demo" class="choice" on:click=demo disabled=move || busy.get()>
                                <Ico icon=Icon::Calendar/>
                                <span class="choice-title">{move || i18n.t("welcome-demo")}</span>
                                <span class="choice-help">{move || i18n.t("welcome-demo-help")}</span>
                            </button>
                        </div>
                        </section>
                    }.into_any(),
                    Mode::Create => view! {
                        <form class="form" on:submit=create>
                            <h2>{move || i18n.t("create-title")}</h2>
                            <StatusArea error=error fields=&["community_name", "my_name"]/>
                            <Field id="community-name" label="field-community-name" field="community_name" error=error>
                                <input id="community-name" type="text" maxlength="80" autocomplete="off"
                                       prop:value=move || community_name.get()
                                       on:input=move |ev| community_name.set(event_target_value(&ev))/>
                            </Field>
                            <Field id="my-name" label="field-my-name" field="my_name" error=error>
                                <input id="my-name" type="text" maxlength="80" autocomplete="name"
                                       prop:value=move || my_name.get()
                                       on:input=move |ev| my_name.set(event_target_value(&ev))/>
                            </Field>
                            <div class="actions">
                                <button type="button" class="ghost" on:click=back>
                                    <Ico icon=Icon::Back/><span>{move || i18n.t("back")}</span>
                                </button>
                                <button id="create-submit" type="submit" class="primary" disabled=move || busy.get()>
                                    <Ico icon=Icon::Plus/><span>{move || i18n.t("create-submit")}</span>
                                </button>
                            </div>
                        </form>
                    }.into_any(),
                    Mode::Join => view! {
                        <form class="form" on:submit=join>
                            <h2>{move || i18n.t("join-title")}</h2>
                            <StatusArea error=error fields=&["code", "my_name"]/>
                            <label class="file-button">
                                <Ico icon=Icon::Camera/>
                                <span>{move || i18n.t("invite-from-picture")}</span>
                                <input id="invite-image" type="file" accept="image/*" capture="environment" on:change=read_picture/>
                            </label>
                            <Field id="invite-text" label="field-invite" field="code" error=error>
                                <textarea id="invite-text" rows="3" spellcheck="false" dir="ltr"
                                          placeholder=move || i18n.t("invite-placeholder")
                                          prop:value=move || invite.get()
                                          on:input=move |ev| invite.set(event_target_value(&ev))></textarea>
                            </Field>
                            <Field id="my-name" label="field-my-name" field="my_name" error=error>
                                <input id="my-name" type="text" maxlength="80" autocomplete="name"
                                       prop:value=move || my_name.get()
                                       on:input=move |ev| my_name.set(event_target_value(&ev))/>
                            </Field>
                            <div class="actions">
                                <button type="button" class="ghost" on:click=back>
                                    <Ico icon=Icon::Back/><span>{move || i18n.t("back")}</span>
                                </button>
                                <button id="join-submit" type="submit" class="primary" disabled=move || busy.get()>
                                    <Ico icon=Icon::People/><span>{move || i18n.t("join-submit")}</span>
                                </button>
                            </div>
                        </form>
                    }.into_any(),
                }}
            </main>
        </div>
    }
}
