//! The one typed client for the engine. Nothing else in the UI calls
//! `invoke`. Arguments and answers cross as JSON; errors come back as the
//! tagged [`ApiError`]. [`Store`] turns the engine's `store-changed` events
//! into signals that resources track, so views refetch when their tables
//! change.

use std::collections::HashMap;

use js_sys::{Reflect, Uint8Array, JSON};
use leptos::prelude::*;
use nabo_shared::api::{
    cmd, ActivityInput, ActivityView, ApiError, CreateCommunity, ExportResult, ImportResult,
    JoinCommunity, KnownHub, Lang, MemberView, QrView, ScanOutcome, Status, StoreChanged,
    SyncProgress, SyncStatus, SyncTotals, WalletView, PROJECTION_TABLES, SETTINGS_TABLE,
    STORE_CHANGED, SYNC_PROGRESS, SYNC_TABLE,
};
use nabo_shared::ids::ActivityId;
use nabo_shared::records::Role;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen, catch)]
    async fn tauri_listen(
        event: &str,
        handler: &Closure<dyn FnMut(JsValue)>,
    ) -> Result<JsValue, JsValue>;
}

fn ipc(detail: impl Into<String>) -> ApiError {
    ApiError::Ipc {
        detail: detail.into(),
    }
}

fn to_js<A: Serialize>(args: &A) -> Result<JsValue, ApiError> {
    let text = serde_json::to_string(args).map_err(|e| ipc(e.to_string()))?;
    JSON::parse(&text).map_err(|_| ipc("arguments did not serialize"))
}

fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, serde_json::Error> {
    let text = if value.is_undefined() {
        "null".to_owned()
    } else {
        JSON::stringify(&value)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| "null".into())
    };
    serde_json::from_str(&text)
}

async fn call_js<T: DeserializeOwned>(cmd: &str, args: JsValue) -> Result<T, ApiError> {
    match tauri_invoke(cmd, args).await {
        Ok(value) => from_js(value).map_err(|e| ipc(format!("{cmd}: {e}"))),
        Err(error) => Err(from_js::<ApiError>(error.clone()).unwrap_or_else(|_| {
            ipc(format!(
                "{cmd}: {}",
                error.as_string().unwrap_or_else(|| "no answer".into())
            ))
        })),
    }
}

async fn call<A: Serialize, T: DeserializeOwned>(cmd: &str, args: &A) -> Result<T, ApiError> {
    call_js(cmd, to_js(args)?).await
}

/// Sends file bytes as the raw request body (no JSON number arrays).
async fn call_raw<T: DeserializeOwned>(cmd: &str, bytes: &[u8]) -> Result<T, ApiError> {
    call_js(cmd, Uint8Array::from(bytes).into()).await
}

pub async fn status() -> Result<Status, ApiError> {
    call(cmd::STATUS, &json!({})).await
}

pub async fn create_community(req: CreateCommunity) -> Result<Status, ApiError> {
    call(cmd::CREATE_COMMUNITY, &json!({ "req": req })).await
}

pub async fn join_community(req: JoinCommunity) -> Result<Status, ApiError> {
    call(cmd::JOIN_COMMUNITY, &json!({ "req": req })).await
}

pub async fn start_demo() -> Result<Status, ApiError> {
    call(cmd::START_DEMO, &json!({})).await
}

pub async fn set_language(lang: Lang) -> Result<(), ApiError> {
    call(cmd::SET_LANGUAGE, &json!({ "lang": lang })).await
}

pub async fn list_activities() -> Result<Vec<ActivityView>, ApiError> {
    call(cmd::LIST_ACTIVITIES, &json!({})).await
}

pub async fn save_activity(input: ActivityInput) -> Result<ActivityView, ApiError> {
    call(cmd::SAVE_ACTIVITY, &json!({ "input": input })).await
}

pub async fn checkin_qr(activity: ActivityId) -> Result<QrView, ApiError> {
    call(cmd::CHECKIN_QR, &json!({ "activity": activity })).await
}

pub async fn scan_text(text: String) -> Result<ScanOutcome, ApiError> {
    call(cmd::SCAN_TEXT, &json!({ "text": text })).await
}

pub async fn scan_image(image: &[u8]) -> Result<ScanOutcome, ApiError> {
    call_raw(cmd::SCAN_IMAGE, image).await
}

pub async fn read_qr_image(image: &[u8]) -> Result<String, ApiError> {
    call_raw(cmd::READ_QR_IMAGE, image).await
}

pub async fn wallet() -> Result<WalletView, ApiError> {
    call(cmd::WALLET, &json!({})).await
}

pub async fn list_members() -> Result<Vec<MemberView>, ApiError> {
    call(cmd::LIST_MEMBERS, &json!({})).await
}

pub async fn invite_qr(role: Role) -> Result<QrView, ApiError> {
    call(cmd::INVITE_QR, &json!({ "role": role })).await
}

pub async fn export_sync_file() -> Result<ExportResult, ApiError> {
    call(cmd::EXPORT_SYNC_FILE, &json!({})).await
}

pub async fn import_sync_file(bytes: &[u8]) -> Result<ImportResult, ApiError> {
    call_raw(cmd::IMPORT_SYNC_FILE, bytes).await
}

pub async fn sync_status() -> Result<SyncStatus, ApiError> {
    call(cmd::SYNC_STATUS, &json!({})).await
}

pub async fn set_hub(on: bool) -> Result<SyncStatus, ApiError> {
    call(cmd::SET_HUB, &json!({ "on": on })).await
}

pub async fn pair_hub(code: String) -> Result<KnownHub, ApiError> {
    call(cmd::PAIR_HUB, &json!({ "code": code })).await
}

pub async fn forget_hub(hub: String) -> Result<(), ApiError> {
    call(cmd::FORGET_HUB, &json!({ "hub": hub })).await
}

pub async fn revoke_member(device: String) -> Result<(), ApiError> {
    call(cmd::REVOKE_MEMBER, &json!({ "device": device })).await
}

pub async fn reinstate_member(device: String) -> Result<(), ApiError> {
    call(cmd::REINSTATE_MEMBER, &json!({ "device": device })).await
}

pub async fn sync_now() -> Result<SyncTotals, ApiError> {
    call(cmd::SYNC_NOW, &json!({})).await
}

/// Calls `on` with the payload of every `event` from the engine, for as
/// long as the page lives.
fn listen<T: DeserializeOwned + 'static>(event: &'static str, mut on: impl FnMut(T) + 'static) {
    leptos::task::spawn_local(async move {
        let handler = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let payload = Reflect::get(&event, &"payload".into()).unwrap_or(JsValue::NULL);
            match from_js::<T>(payload) {
                Ok(value) => on(value),
                Err(e) => leptos::logging::warn!("unreadable event: {e}"),
            }
        });
        if let Err(e) = tauri_listen(event, &handler).await {
            leptos::logging::error!("cannot listen for {event}: {e:?}");
        }
        // The listener lives as long as the page.
        handler.forget();
    });
}

/// The latest live-sync progress, from `sync-progress` events.
#[derive(Clone, Copy)]
pub struct SyncLive(pub RwSignal<Option<SyncProgress>>);

impl SyncLive {
    /// Starts listening (once, by the app).
    pub fn listen() -> Self {
        let latest = RwSignal::new(None);
        listen(SYNC_PROGRESS, move |p: SyncProgress| latest.set(Some(p)));
        SyncLive(latest)
    }
}

/// One change counter per projection table, bumped by `store-changed`, so a
/// resource refetches only when a table it reads has changed. The counters
/// are made once, by the app, so they live as long as it does.
#[derive(Clone, Copy)]
pub struct Store {
    tables: StoredValue<HashMap<&'static str, RwSignal<u64>>>,
}

impl Store {
    /// Starts listening to the engine's change events.
    pub fn listen() -> Self {
        let store = Store {
            tables: StoredValue::new(
                PROJECTION_TABLES
                    .iter()
                    .chain([&SETTINGS_TABLE, &SYNC_TABLE])
                    .map(|t| (*t, RwSignal::new(0)))
                    .collect(),
            ),
        };
        listen(STORE_CHANGED, move |changed: StoreChanged| {
            for table in changed.tables {
                if let Some(counter) = store.counter(&table) {
                    counter.update(|n| *n += 1);
                }
            }
        });
        store
    }

    fn counter(&self, table: &str) -> Option<RwSignal<u64>> {
        self.tables.with_value(|t| t.get(table).copied())
    }

    /// Reads (and so tracks) the change counters of `tables`.
    pub fn track(&self, tables: &[&str]) {
        for table in tables {
            match self.counter(table) {
                Some(counter) => counter.track(),
                None => leptos::logging::warn!("no such table to track: {table}"),
            }
        }
    }
}

/// The store handle from context.
pub fn use_store() -> Store {
    expect_context::<Store>()
}

/// Reads the bytes of the first file chosen in a file input: `None` when
/// no file was chosen, an error naming the file when it cannot be read.
pub async fn read_file(input: &web_sys::HtmlInputElement) -> Option<Result<Vec<u8>, ApiError>> {
    let file = input.files()?.get(0)?;
    let read = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await;
    Some(match read {
        Ok(buffer) => Ok(Uint8Array::new(&buffer).to_vec()),
        Err(e) => Err(ApiError::File {
            path: file.name(),
            detail: JSON::stringify(&e)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default(),
        }),
    })
}
