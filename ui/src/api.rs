//! The one typed client for the engine. Nothing else in the UI calls
//! `invoke`. Arguments and answers cross as JSON; errors come back as the
//! tagged [`ApiError`]. [`Store`] turns the engine's `store-changed` events
//! into signals that resources track, so views refetch when their tables
//! change.

use std::collections::HashMap;

use js_sys::{Reflect, Uint8Array, JSON};
use leptos::prelude::*;
use nabo_shared::api::{ApiError, StoreChanged, Table, STORE_CHANGED, SYNC_PROGRESS, UI_READY};
use nabo_shared::command::{Command, ARGS};
use nabo_shared::sync::SyncProgress;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    /// The app's webview (Tauri's JavaScript API).
    type Webview;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "webview"], js_name = getCurrentWebview, catch)]
    fn current_webview() -> Result<Webview, JsValue>;

    #[wasm_bindgen(method, js_name = setZoom, catch)]
    async fn set_zoom(this: &Webview, factor: f64) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = emit, catch)]
    async fn tauri_emit(event: &str, payload: JsValue) -> Result<JsValue, JsValue>;

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
    settle(cmd, tauri_invoke(cmd, args).await)
}

/// A command's answer, or its error as the UI's `ApiError`.
fn settle<T: DeserializeOwned>(cmd: &str, answer: Result<JsValue, JsValue>) -> Result<T, ApiError> {
    match answer {
        Ok(value) => from_js(value).map_err(|e| ipc(format!("{cmd}: {e}"))),
        Err(error) => Err(from_js::<ApiError>(error.clone()).unwrap_or_else(|_| {
            ipc(format!(
                "{cmd}: {}",
                error.as_string().unwrap_or_else(|| "no answer".into())
            ))
        })),
    }
}

/// Tells the app the first screen is drawn (`ui-ready`): the start-up
/// benchmark measures to this moment.
pub async fn ready() {
    // With the milliseconds since the page began loading, so the benchmark
    // can tell the page's part from the process's.
    let since_navigation = web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now());
    if let Err(e) = tauri_emit(UI_READY, JsValue::from_f64(since_navigation)).await {
        leptos::logging::warn!("ui-ready not sent: {e:?}");
    }
}

/// Zooms the whole window (the text size setting): layout and text grow
/// together, as a browser's zoom does.
pub async fn zoom(percent: u16) {
    let done = match current_webview() {
        Ok(webview) => webview
            .set_zoom(f64::from(percent) / 100.0)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = done {
        leptos::logging::warn!("zoom not applied: {e:?}");
    }
}

/// Calls a command with its arguments.
pub async fn call<C: Command>(args: C) -> Result<C::Reply, ApiError> {
    const { assert!(!C::RAW, "a raw command is sent with `upload`") };
    let mut body = serde_json::Map::new();
    let value = serde_json::to_value(&args).map_err(|e| ipc(e.to_string()))?;
    body.insert(ARGS.to_owned(), value);
    call_js(C::NAME, to_js(&body)?).await
}

/// Calls a command whose body is file bytes (sent raw, no JSON number
/// arrays).
pub async fn upload<C: Command>(bytes: &[u8]) -> Result<C::Reply, ApiError> {
    const { assert!(C::RAW, "a JSON command is sent with `call`") };
    call_js(C::NAME, Uint8Array::from(bytes).into()).await
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

/// One change counter per table, bumped by `store-changed`, so a resource
/// refetches only when a table it reads has changed. The counters are made
/// once, by the app, so they live as long as it does.
#[derive(Clone, Copy)]
pub struct Store {
    tables: StoredValue<HashMap<Table, RwSignal<u64>>>,
}

impl Store {
    /// Starts listening to the engine's change events.
    pub fn listen() -> Self {
        let store = Store {
            tables: StoredValue::new(Table::ALL.iter().map(|t| (*t, RwSignal::new(0))).collect()),
        };
        listen(STORE_CHANGED, move |changed: StoreChanged| {
            for table in changed.tables {
                if let Some(counter) = store.counter(table) {
                    counter.update(|n| *n += 1);
                }
            }
        });
        store
    }

    fn counter(&self, table: Table) -> Option<RwSignal<u64>> {
        self.tables.with_value(|t| t.get(&table).copied())
    }

    /// Reads (and so tracks) the change counters of `tables`.
    pub fn track(&self, tables: &[Table]) {
        for table in tables {
            if let Some(counter) = self.counter(*table) {
                counter.track();
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
/// Sends the file chosen in `input` as the body of command `C`, and clears
/// the input so the same file can be chosen again. `None` when no file was
/// chosen.
pub async fn send_chosen<C: Command>(
    input: &web_sys::HtmlInputElement,
) -> Option<Result<C::Reply, ApiError>> {
    let bytes = read_file(input).await;
    input.set_value("");
    Some(match bytes? {
        Ok(bytes) => upload::<C>(&bytes).await,
        Err(e) => Err(e),
    })
}

/// Sends a command in the background: its reply to `ok`, or its error to
/// the screen's `error` (what every form and button does).
pub fn send<C: Command + 'static>(
    args: C,
    error: leptos::prelude::RwSignal<Option<ApiError>>,
    ok: impl FnOnce(C::Reply) + 'static,
) {
    use leptos::prelude::Set;
    leptos::task::spawn_local(async move {
        match call(args).await {
            Ok(reply) => ok(reply),
            Err(e) => error.set(Some(e)),
        }
    });
}

/// Like [`send_chosen`], with `prefix` (an id the command needs) before
/// the file's bytes.
pub async fn send_chosen_after<C: Command>(
    input: &web_sys::HtmlInputElement,
    prefix: &[u8],
) -> Option<Result<C::Reply, ApiError>> {
    let bytes = read_file(input).await;
    input.set_value("");
    Some(match bytes? {
        Ok(bytes) => upload::<C>(&[prefix, &bytes].concat()).await,
        Err(e) => Err(e),
    })
}

async fn read_file(input: &web_sys::HtmlInputElement) -> Option<Result<Vec<u8>, ApiError>> {
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
