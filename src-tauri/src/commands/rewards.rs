//! The wallet.

use nabo_shared::rewards::hours::{DecideHours, ListHours, LogHours, MemberHours, WithdrawHours};
use nabo_shared::rewards::offers::{ListOffers, SaveOffer, WithdrawOffer};
use nabo_shared::rewards::payments::{
    AcceptOverspend, Pay, RequestPayment, ReturnPoints, ReverseOverspend,
};
use nabo_shared::rewards::rules::{GetRules, SetRules};
use nabo_shared::rewards::{
    ApproveCheckins, CorrectPoints, DeclineCheckins, GetCurrency, GetWallet, MemberHistory,
};
use tauri::{AppHandle, Runtime, State};

use super::{with_engine, AppState, Reply};

#[tauri::command]
pub async fn wallet<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Reply<GetWallet> {
    with_engine(&app, &state, |e| e.wallet())
}

#[tauri::command]
pub async fn approve_checkins<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: ApproveCheckins,
) -> Reply<ApproveCheckins> {
    with_engine(&app, &state, |e| e.approve_checkins(&args.checkins))
}

#[tauri::command]
pub async fn decline_checkins<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: DeclineCheckins,
) -> Reply<DeclineCheckins> {
    with_engine(&app, &state, |e| {
        e.decline_checkins(&args.checkins, &args.reason)
    })
}

#[tauri::command]
pub async fn correct_points<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: CorrectPoints,
) -> Reply<CorrectPoints> {
    with_engine(&app, &state, |e| {
        e.correct_points(&args.device, args.amount, &args.note)
    })
}

#[tauri::command]
pub async fn member_history<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: MemberHistory,
) -> Reply<MemberHistory> {
    with_engine(&app, &state, |e| e.member_history(&args.device))
}

#[tauri::command]
pub async fn log_hours<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: LogHours,
) -> Reply<LogHours> {
    with_engine(&app, &state, |e| e.log_hours(args))
}

#[tauri::command]
pub async fn withdraw_hours<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: WithdrawHours,
) -> Reply<WithdrawHours> {
    with_engine(&app, &state, |e| e.withdraw_hours(args.claim))
}

#[tauri::command]
pub async fn list_hours<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<ListHours> {
    with_engine(&app, &state, |e| e.list_hours())
}

#[tauri::command]
pub async fn decide_hours<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: DecideHours,
) -> Reply<DecideHours> {
    with_engine(&app, &state, |e| {
        e.decide_hours(&args.claims, args.decline.as_deref())
    })
}

#[tauri::command]
pub async fn get_rules<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<GetRules> {
    with_engine(&app, &state, |e| e.rules())
}

#[tauri::command]
pub async fn set_rules<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: SetRules,
) -> Reply<SetRules> {
    with_engine(&app, &state, |e| e.set_rules(args.rules))
}

#[tauri::command]
pub async fn member_hours<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: MemberHours,
) -> Reply<MemberHours> {
    with_engine(&app, &state, |e| e.member_hours(&args.device))
}

#[tauri::command]
pub async fn currency<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<GetCurrency> {
    with_engine(&app, &state, |e| e.currency())
}

#[tauri::command]
pub async fn request_payment<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: RequestPayment,
) -> Reply<RequestPayment> {
    with_engine(&app, &state, |e| e.request_payment(args.amount, &args.what))
}

#[tauri::command]
pub async fn pay<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: Pay,
) -> Reply<Pay> {
    with_engine(&app, &state, |e| e.pay(&args.request))
}

#[tauri::command]
pub async fn list_offers<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<ListOffers> {
    with_engine(&app, &state, |e| e.offers())
}

#[tauri::command]
pub async fn save_offer<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: SaveOffer,
) -> Reply<SaveOffer> {
    with_engine(&app, &state, |e| {
        e.save_offer(args.id, &args.title, args.price)
    })
}

#[tauri::command]
pub async fn withdraw_offer<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: WithdrawOffer,
) -> Reply<WithdrawOffer> {
    with_engine(&app, &state, |e| e.withdraw_offer(args.id))
}

#[tauri::command]
pub async fn return_points<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: ReturnPoints,
) -> Reply<ReturnPoints> {
    with_engine(&app, &state, |e| e.return_points(args.amount, &args.note))
}

#[tauri::command]
pub async fn accept_overspend<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: AcceptOverspend,
) -> Reply<AcceptOverspend> {
    with_engine(&app, &state, |e| e.accept_overspend(args.entry))
}

#[tauri::command]
pub async fn reverse_overspend<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    args: ReverseOverspend,
) -> Reply<ReverseOverspend> {
    with_engine(&app, &state, |e| {
        e.reverse_overspend(args.entry, &args.note)
    })
}
