//! Members and invitations (coordinators).

use leptos::prelude::*;
use leptos::task::spawn_local;
use nabo_shared::api::{ApiError, Table};
use nabo_shared::community::{CreateInvite, ListInvites, OpenInvite, WithdrawInvite, MAX_USES};
use nabo_shared::ids::InviteId;
use nabo_shared::members::devices::ReplaceDevice;
use nabo_shared::members::{ListMembers, ReinstateMember, RevokeMember, Role};

use crate::api::{self, use_store};
use crate::components::{use_confirm, use_toast, SearchBar, ShownCode, StatusArea};
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
            Table::DeviceLinks,
            Table::DeviceRetirements,
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
    let query = RwSignal::new(String::new());
    let by_balance = RwSignal::new(false);
    // Those matching the search, by name (as the engine lists them) or by
    // balance, highest first.
    let listed = move || {
        let q = query.get().to_lowercase();
        let mut out: Vec<_> = members
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|m| q.is_empty() || m.name.to_lowercase().contains(&q) || m.device.contains(&q))
            .collect();
        if by_balance.get() {
            out.sort_by_key(|m| std::cmp::Reverse(m.balance));
        }
        out
    };
    // With one coordinator, a lost device leaves nobody who can remove it.
    let lone = Memo::new(move |_| {
        members.get().is_some_and(|ms| {
            ms.iter()
                .filter(|m| m.role == Role::Coordinator && m.confirmed && !m.revoked)
                .count()
                == 1
        })
    });
    let role = RwSignal::new(Role::Resident);
    let uses = RwSignal::new(1u8);
    // The invite on show: a new one, or one from the list of open invites.
    let shown = RwSignal::new(None::<InviteId>);
    let invites = LocalResource::new(move || {
        store.track(&[
            Table::Invites,
            Table::InviteWithdrawals,
            Table::JoinRequests,
            Table::Members,
        ]);
        api::call(ListInvites)
    });
    let open = Memo::new(move |_| invites.get().and_then(|r| r.ok()).unwrap_or_default());
    let invite = Memo::new(move |_| {
        let id = shown.get()?;
        open.get().into_iter().find(|i| i.id == id)
    });
    let show_invite = move |_| {
        error.set(None);
        let (role, uses) = (role.get_untracked(), uses.get_untracked());
        api::send(CreateInvite { role, uses }, error, move |new| {
            shown.set(Some(new.id));
        });
    };
    let confirm = use_confirm();
    let toast = use_toast();
    let withdraw = move |invite: OpenInvite| {
        let role = i18n.role(invite.role);
        confirm.ask(
            i18n.t("invite-withdraw-title"),
            i18n.t_with("invite-withdraw-confirm", &[("role", role.into())]),
            i18n.t("invite-withdraw"),
            move || {
                error.set(None);
                let id = invite.id;
                api::send(WithdrawInvite { id }, error, move |()| {
                    toast.show(i18n.t("invite-withdrawn"));
                });
            },
        );
    };

    let revoke = move |device: String, name: String| {
        confirm.ask(
            i18n.t_with("member-revoke-title", &[("name", name.clone().into())]),
            i18n.t_with("member-revoke-confirm", &[("name", name.into())]),
            i18n.t("member-revoke"),
            move || {
                error.set(None);
                let device = device.clone();
                api::send(RevokeMember { device }, error, move |()| {
                    toast.show(i18n.t("member-revoked-toast"));
                });
            },
        );
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
            <StatusArea error=error/>
            <Show when=move || lone.get()>
                <p class="notice" id="lone-coordinator">{move || i18n.t("members-lone-coordinator")}</p>
            </Show>
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
                    shown.set(None);
                }>
                    <option value="resident">{move || i18n.role(Role::Resident)}</option>
                    <option value="volunteer">{move || i18n.role(Role::Volunteer)}</option>
                    <option value="coordinator">{move || i18n.role(Role::Coordinator)}</option>
                    <option value="partner">{move || i18n.role(Role::Partner)}</option>
                </select>
                <label for="invite-uses">{move || i18n.t("members-invite-uses")}</label>
                <select id="invite-uses" aria-describedby="hint-uses" on:change=move |ev| {
                    uses.set(event_target_value(&ev).parse().unwrap_or(1));
                    shown.set(None);
                }>
                    {(1..=MAX_USES).map(|n| view! {
                        <option value=n.to_string()>{move || i18n.t_with("members-invite-uses-n", &[("count", n.into())])}</option>
                    }).collect_view()}
                </select>
                <p class="help" id="hint-uses">{move || i18n.t("members-invite-uses-help")}</p>
                <button id="show-invite" class="primary" on:click=show_invite>
                    <Ico icon=Icon::Qr/><span>{move || i18n.t("members-show-invite")}</span>
                </button>
                <ShownCode id="invite" code=Signal::derive(move || invite.get().map(|i| i.qr)) share_title="invite-share-title"/>
            </div>
            <Show when=move || !open.with(Vec::is_empty)>
                <div class="card" id="open-invites">
                    <h3>{move || i18n.t("invites-open")}</h3>
                    <ul class="member-list">
                        {move || open.get().into_iter().map(|inv| {
                            let id = inv.id;
                            let role = inv.role;
                            let left = i18n.t_with("invite-uses-left", &[
                                ("used", inv.used.into()),
                                ("uses", inv.uses.into()),
                            ]);
                            let until = i18n.t_with("invite-until", &[("time", i18n.datetime(inv.expires_at).into())]);
                            let again = inv.clone();
                            view! {
                                <li class="member invite" data-invite=id.to_string()>
                                    <span class="member-name">{move || i18n.role(role)}</span>
                                    <span class="meta">{left}" · "{until}</span>
                                    <div class="row-actions">
                                        <button class="ghost small show" on:click=move |_| shown.set(Some(id))>
                                            {move || i18n.t("invite-show")}
                                        </button>
                                        <button class="ghost small withdraw" on:click=move |_| withdraw(again.clone())>
                                            {move || i18n.t("invite-withdraw")}
                                        </button>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            </Show>
            <crate::cards::EnrolCardForm/>
            <h3 id="list-title-members">{move || i18n.t("members-list")}</h3>
            <Show when=move || members.get().is_some_and(|m| m.len() > 3)>
                <SearchBar id="member-search" label="members-search" value=query>
                    <label for="member-order" class="sr-only">{move || i18n.t("sort-label")}</label>
                    <select id="member-order" on:change=move |ev| by_balance.set(event_target_value(&ev) == "balance")>
                        <option value="name">{move || i18n.t("sort-by-name")}</option>
                        <option value="balance">{move || i18n.t("sort-by-balance")}</option>
                    </select>
                </SearchBar>
            </Show>
            <Show when=move || members.get().is_some_and(|m| m.is_empty())>
                <p class="empty">{move || i18n.t("members-empty")}</p>
            </Show>
            <Show when=move || !query.with(String::is_empty) && listed().is_empty()>
                <p class="empty">{move || i18n.t("search-nothing")}</p>
            </Show>
            <ul class="member-list" id="member-list" aria-labelledby="list-title-members">
                {move || Some(listed()).map(|ms| ms.into_iter().map(|m| {
                    let confirmed = m.confirmed;
                    let balance = m.balance;
                    let role = m.role;
                    let revoked = m.revoked;
                    // Coordinators too, by another coordinator: never one's own.
                    let revocable = confirmed && m.device != device.get_untracked();
                    let (device, name) = (m.device.clone(), m.name.clone());
                    let again = m.device.clone();
                    let (history_device, history_name) = (m.device.clone(), m.name.clone());
                    view! {
                        <li class="member" class:pending=!confirmed class:revoked=revoked data-device=m.device.clone()>
                            <button class="link member-name" on:click=move |_| {
                                if confirmed || revoked {
                                    nav.0.set(Screen::MemberHistory(history_device.clone(), history_name.clone()));
                                } else {
                                    nav.0.set(Screen::Review);
                                }
                            }>{m.name.clone()}</button>
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

/// A member's phones, and an invitation for a new one (with the old one
/// blocked when it is lost), on the member's page (coordinators).
#[component]
pub fn MemberDevices(device: String, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let confirm = use_confirm();
    let toast = use_toast();
    let list = LocalResource::new(move || {
        store.track(&[Table::Members, Table::DeviceLinks, Table::DeviceRetirements]);
        api::call(ListMembers)
    });
    let error = RwSignal::new(None::<ApiError>);
    let asked = device.clone();
    let member = Memo::new(move |_| {
        list.get()
            .and_then(|r| r.ok())
            .and_then(|ms| ms.into_iter().find(|m| m.device == asked && m.confirmed))
    });
    let retire = RwSignal::new(true);
    let invite = RwSignal::new(None::<OpenInvite>);
    let name = StoredValue::new(name);
    let member_of = StoredValue::new(device);
    let make = move |_| {
        error.set(None);
        let args = ReplaceDevice {
            member: member_of.get_value(),
            retire: retire.get_untracked(),
        };
        let go = move || {
            let args = args.clone();
            api::send(args, error, move |new| {
                invite.set(Some(new));
                toast.show(i18n.t("devices-replaced-toast"));
            });
        };
        if retire.get_untracked() {
            let who = || ("name", name.get_value().into());
            confirm.ask(
                i18n.t_with("devices-retire-title", &[who()]),
                i18n.t_with("devices-retire-confirm", &[who()]),
                i18n.t("devices-retire-yes"),
                go,
            );
        } else {
            go();
        }
    };
    view! {
        <Show when=move || member.with(Option::is_some)>
            <section class="card devices" aria-labelledby="devices-title">
                <h3 id="devices-title">{move || i18n.t("devices-title")}</h3>
                <StatusArea error=error/>
                <ul class="member-list" id="device-list">
                    {move || member.get().map(|m| m.devices.into_iter().map(|d| {
                        let what = match (d.card, d.linked_at) {
                            (true, None) => i18n.t("devices-card-first"),
                            (true, Some(at)) => i18n.t_with("devices-card-added", &[("time", i18n.datetime(at).into())]),
                            (false, None) => i18n.t_with("devices-first", &[("name", m.name.clone().into())]),
                            (false, Some(at)) => i18n.t_with("devices-added", &[("time", i18n.datetime(at).into())]),
                        };
                        let state = match d.retired_at {
                            Some(at) => i18n.t_with("devices-retired", &[("time", i18n.datetime(at).into())]),
                            None => i18n.t("devices-in-use"),
                        };
                        let retired = d.retired_at.is_some();
                        view! {
                            <li class="member device" class:revoked=retired data-device=d.device.clone()>
                                <span class="member-name">{what}</span>
                                <span class="meta"><span dir="ltr">{d.device.clone()}</span>" · "{state}</span>
                            </li>
                        }
                    }).collect_view())}
                </ul>
                <Show when=move || member.get().is_some_and(|m| m.role == Role::Coordinator)
                      fallback=move || view! {
                    <p class="help">{
                        move || i18n.t_with("devices-replace-help", &[("name", name.get_value().into())])
                    }</p>
                    <label class="check">
                        <input type="checkbox" id="replace-retire"
                               prop:checked=move || retire.get()
                               on:change=move |ev| retire.set(event_target_checked(&ev))/>
                        {move || i18n.t("devices-replace-retire")}
                    </label>
                    <button id="replace-device" class="secondary" on:click=make>
                        <Ico icon=Icon::Qr/><span>{move || i18n.t("devices-replace")}</span>
                    </button>
                }>
                    <p class="help">{move || i18n.t("devices-coordinator")}</p>
                </Show>
                <Show when=move || invite.with(Option::is_some)>
                    <p class="help">{
                        move || i18n.t_with("devices-invite-help", &[("name", name.get_value().into())])
                    }</p>
                </Show>
                <ShownCode id="replace" code=Signal::derive(move || invite.get().map(|i| i.qr)) share_title="invite-share-title"/>
                <Show when=move || member.get().is_some_and(|m| m.role != Role::Coordinator)>
                    <crate::cards::NewCardForm member=member_of.get_value() name=name.get_value()/>
                </Show>
            </section>
        </Show>
    }
}
