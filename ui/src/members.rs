//! Members and invitations (coordinators).

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::api::{ApiError, Table};
use nabo_shared::codes::QrView;
use nabo_shared::community::InviteQr;
use nabo_shared::members::{ListMembers, ReinstateMember, RevokeMember, Role};

use crate::api::{self, use_store};
use crate::components::ErrorBox;
use crate::i18n::use_i18n;
use crate::icons::{Ico, Icon};
use crate::nav::{use_nav, ReviewCount, Screen};

#[component]
pub fn Members(device: Memo<String>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let list = LocalResource::new(move || {
        store.track(&[
            Table::Members,
            Table::JoinRequests,
            Table::Revocations,
            Table::Reinstatements,
            Table::Ledger,
        ]);
        api::call(ListMembers)
    });
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        if let Some(Err(e)) = list.get() {
            error.set(Some(e))
        }
    });
    let members = Memo::new(move |_| list.get().and_then(|r| r.ok()));
    let role = RwSignal::new(Role::Resident);
    let invite = RwSignal::new(None::<QrView>);
    let show_invite = move |_| {
        error.set(None);
        let role = role.get_untracked();
        spawn_local(async move {
            match api::call(InviteQr { role }).await {
                Ok(qr) => invite.set(Some(qr)),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let revoke = move |device: String, name: String| {
        let question = i18n.t_with("member-revoke-confirm", &[("name", name.into())]);
        if window().confirm_with_message(&question).unwrap_or(false) {
            error.set(None);
            spawn_local(async move {
                if let Err(e) = api::call(RevokeMember { device }).await {
                    error.set(Some(e));
                }
            });
        }
    };

    let reinstate = move |device: String| {
        error.set(None);
        spawn_local(async move {
            if let Err(e) = api::call(ReinstateMember { device }).await {
                error.set(Some(e));
            }
        });
    };

    let nav = use_nav();
    let ReviewCount(waiting) = expect_context::<ReviewCount>();

    view! {
        <section class="members">
            <h2>{move || i18n.t("members-title")}</h2>
            <ErrorBox error=error/>
            <div class="card" id="review-entry">
                <h3>{move || i18n.t("review-title")}</h3>
                <p class="help" role="status">{move || match waiting.get() {
                    0 => i18n.t("review-empty"),
                    n => i18n.t_with("review-count", &[("count", n.into())]),
                }}</p>
                <button id="open-review" class="secondary" on:click=move |_| nav.0.set(Screen::Review)>
                    <Ico icon=Icon::Review/><span>{move || i18n.t("members-open-review")}</span>
                </button>
            </div>
            <div class="card">
                <h3>{move || i18n.t("members-invite")}</h3>
                <p class="help">{move || i18n.t("members-invite-help")}</p>
                <label for="invite-role">{move || i18n.t("members-invite-role")}</label>
                <select id="invite-role" on:change=move |ev| {
                    role.set(Role::parse(&event_target_value(&ev)).unwrap_or(Role::Resident));
                    invite.set(None);
                }>
                    <option value="resident">{move || i18n.role(Role::Resident)}</option>
                    <option value="volunteer">{move || i18n.role(Role::Volunteer)}</option>
                    <option value="coordinator">{move || i18n.role(Role::Coordinator)}</option>
                </select>
                <button id="show-invite" class="primary" on:click=show_invite>
                    <Ico icon=Icon::Qr/><span>{move || i18n.t("members-show-invite")}</span>
                </button>
                <Show when=move || invite.with(Option::is_some)>
                    <div id="invite-qr" class="qr"
                         data-code=move || invite.get().map(|q| q.text).unwrap_or_default()
                         inner_html=move || invite.get().map(|q| q.svg).unwrap_or_default()></div>
                    <details>
                        <summary>{move || i18n.t("qr-show-text")}</summary>
                        <code class="code-text">{move || invite.get().map(|q| q.text).unwrap_or_default()}</code>
                    </details>
                </Show>
            </div>
            <Show when=move || members.get().is_some_and(|m| m.is_empty())>
                <p class="empty">{move || i18n.t("members-empty")}</p>
            </Show>
            <ul class="member-list" id="member-list">
                {move || members.get().map(|ms| ms.into_iter().map(|m| {
                    let confirmed = m.confirmed;
                    let balance = m.balance;
                    let role = m.role;
                    let revoked = m.revoked;
                    let revocable = confirmed && role != Role::Coordinator;
                    let (device, name) = (m.device.clone(), m.name.clone());
                    let again = m.device.clone();
                    view! {
                        <li class="member" class:pending=!confirmed class:revoked=revoked data-device=m.device.clone()>
                            <span class="member-name">{m.name.clone()}</span>
                            <span class="meta">{move || i18n.role(role)}
                                {move || match (confirmed, revoked) {
                                    (_, true) => format!(" · {}", i18n.t("member-revoked")),
                                    (false, _) => format!(" · {}", i18n.t("member-pending")),
                                    _ => String::new(),
                                }}
                            </span>
                            <span class="member-balance">{move || i18n.t_with("member-balance", &[("balance", balance.into())])}</span>
                            <Show when=move || revocable>
                                <button class="ghost small revoke" on:click={
                                    let (device, name) = (device.clone(), name.clone());
                                    move |_| revoke(device.clone(), name.clone())
                                }>
                                    {move || i18n.t("member-revoke")}
                                </button>
                            </Show>
                            <Show when=move || revoked>
                                <button class="ghost small reinstate" on:click={
                                    let again = again.clone();
                                    move |_| reinstate(again.clone())
                                }>
                                    {move || i18n.t("member-reinstate")}
                                </button>
                            </Show>
                        </li>
                    }
                }).collect_view())}
            </ul>
            <p class="meta">{move || i18n.t_with("your-device", &[("device", device.get().into())])}</p>
        </section>
    }
}
