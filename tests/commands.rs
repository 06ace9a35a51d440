//! Command tests: the real handlers and state on Tauri's mock runtime,
//! called the way the UI calls them (JSON arguments, raw file bodies), with
//! errors arriving as the tagged `ApiError` JSON the UI matches on.

use std::sync::mpsc;
use std::time::Duration;

use anyhow::Result;
use nabo_lib::{commands::COMMANDS, Paths};
use nabo_shared::api::{cmd, STORE_CHANGED};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::{Listener, WebviewWindow, WebviewWindowBuilder};

struct App {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    events: mpsc::Receiver<String>,
    _dir: tempfile::TempDir,
}

fn app() -> Result<App> {
    let dir = tempfile::tempdir()?;
    let paths = Paths {
        database: dir.path().join("nabo.sqlite3"),
        exports: dir.path().join("exports"),
    };
    let app = nabo_lib::setup(mock_builder(), Some(paths))?.build(mock_context(noop_assets()))?;
    let (tx, events) = mpsc::channel();
    app.listen_any(STORE_CHANGED, move |event| {
        let _ = tx.send(event.payload().to_owned());
    });
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build()?;
    Ok(App {
        _app: app,
        window,
        events,
        _dir: dir,
    })
}

fn request(cmd: &str, body: InvokeBody) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("url"),
        body,
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

impl App {
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(&self.window, request(cmd, InvokeBody::Json(args)))
            .map(|body| body.deserialize::<Value>().expect("JSON answer"))
    }

    fn call_raw(&self, cmd: &str, bytes: Vec<u8>) -> Result<Value, Value> {
        get_ipc_response(&self.window, request(cmd, InvokeBody::Raw(bytes)))
            .map(|body| body.deserialize::<Value>().expect("JSON answer"))
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// Waits for a `store-changed` event naming `table`.
    fn changed(&self, table: &str) -> bool {
        while let Ok(payload) = self.events.recv_timeout(Duration::from_secs(5)) {
            if payload.contains(&format!("\"{table}\"")) {
                return true;
            }
        }
        false
    }
}

fn create(app: &App) -> Value {
    app.ok(
        cmd::CREATE_COMMUNITY,
        json!({"req": {"community_name": "Tingbjerg", "my_name": "Sara"}}),
    )
}

fn lektiecafe() -> Value {
    json!({"input": {
        "id": null, "title": "Lektiecafé", "description": "", "place": "Beboerhuset",
        "schedule": {"date": "2026-11-24", "start": "15:00:00", "end": "17:00:00", "repeat": "weekly"},
        "reward": 10, "daily_cap": null
    }})
}

#[test]
fn the_handler_serves_exactly_the_shared_command_names() -> Result<()> {
    assert_eq!(COMMANDS, cmd::ALL);
    let app = app()?;
    for name in cmd::ALL {
        if let Err(e) = app.call(name, json!({})) {
            assert!(!e.to_string().contains("not found"), "{name}: {e}");
        }
    }
    Ok(())
}

#[test]
fn setting_up_answers_with_status_and_announces_the_change() -> Result<()> {
    let app = app()?;
    assert_eq!(app.ok(cmd::STATUS, json!({}))["profile"], Value::Null);
    let status = create(&app);
    assert_eq!(status["profile"]["community_name"], "Tingbjerg");
    assert_eq!(status["profile"]["is_coordinator"], true);
    assert_eq!(status["lang"], "da");
    assert!(
        app.changed("settings"),
        "store-changed names the settings table"
    );

    let again = app
        .call(
            cmd::CREATE_COMMUNITY,
            json!({"req": {"community_name": "X", "my_name": "Y"}}),
        )
        .unwrap_err();
    assert_eq!(again, json!({"kind": "already_set_up"}));
    app.ok(cmd::SET_LANGUAGE, json!({"lang": "en"}));
    assert_eq!(app.ok(cmd::STATUS, json!({}))["lang"], "en");
    Ok(())
}

#[test]
fn errors_arrive_as_tagged_json_the_ui_can_match() -> Result<()> {
    let app = app()?;
    assert_eq!(
        app.call(cmd::WALLET, json!({})).unwrap_err(),
        json!({"kind": "not_set_up"})
    );
    create(&app);
    let mut bad = lektiecafe();
    bad["input"]["title"] = json!("  ");
    assert_eq!(
        app.call(cmd::SAVE_ACTIVITY, bad).unwrap_err(),
        json!({"kind": "invalid_field", "field": "title", "problem": "required"})
    );
    assert_eq!(
        app.call(cmd::SCAN_TEXT, json!({"text": "https://example.org"}))
            .unwrap_err(),
        json!({"kind": "unreadable_code", "problem": {"kind": "not_nabo"}})
    );
    assert_eq!(
        app.call_raw(cmd::IMPORT_SYNC_FILE, b"garbage".to_vec())
            .unwrap_err(),
        json!({"kind": "bad_sync_file", "problem": "not_a_sync_file"})
    );
    assert_eq!(
        app.call_raw(cmd::SCAN_IMAGE, b"not a picture".to_vec())
            .unwrap_err(),
        json!({"kind": "image_unreadable"})
    );
    Ok(())
}

/// Draws a QR code's modules into a PNG, as a phone camera would see it.
fn png_of(text: &str) -> Vec<u8> {
    let code = qrcode::QrCode::new(text.as_bytes()).expect("fits");
    let width = code.width();
    let colors = code.to_colors();
    let (scale, quiet) = (6u32, 4u32);
    let side = (width as u32 + 2 * quiet) * scale;
    let img = image::GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (
            (x / scale) as i64 - quiet as i64,
            (y / scale) as i64 - quiet as i64,
        );
        let dark = mx >= 0
            && my >= 0
            && (mx as usize) < width
            && (my as usize) < width
            && colors[my as usize * width + mx as usize] == qrcode::Color::Dark;
        image::Luma([if dark { 0 } else { 255 }])
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageLuma8(img)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("png");
    png
}

#[test]
fn an_activity_gets_a_drawn_code_that_a_picture_of_it_checks_in_with() -> Result<()> {
    let app = app()?;
    create(&app);
    let activity = app.ok(cmd::SAVE_ACTIVITY, lektiecafe());
    assert!(app.changed("activities"));
    let list = app.ok(cmd::LIST_ACTIVITIES, json!({}));
    assert_eq!(list.as_array().map(Vec::len), Some(1));

    let qr = app.ok(cmd::CHECKIN_QR, json!({"activity": activity["id"]}));
    assert!(qr["svg"].as_str().is_some_and(|s| s.starts_with("<svg")));
    let text = qr["text"].as_str().expect("text").to_owned();
    assert!(text.starts_with("nabo:c1:"));

    let read = app
        .call_raw(cmd::READ_QR_IMAGE, png_of(&text))
        .expect("decoded");
    assert_eq!(read, json!(text));
    let outcome = app
        .call_raw(cmd::SCAN_IMAGE, png_of(&text))
        .expect("checked in");
    assert_eq!(outcome["kind"], "checked_in");
    assert_eq!(outcome["reward"], 10);
    // The coordinator's own device rewards its own check-in at once.
    assert_eq!(app.ok(cmd::WALLET, json!({}))["balance"], 10);
    assert_eq!(
        app.call_raw(cmd::SCAN_IMAGE, png_of(&text)).unwrap_err(),
        json!({"kind": "checkin_refused", "reason": {"kind": "already_checked_in"}})
    );
    Ok(())
}

#[test]
fn an_export_writes_a_file_another_device_can_open() -> Result<()> {
    let hub = app()?;
    create(&hub);
    let invite = hub.ok(cmd::INVITE_QR, json!({"role": "resident"}));
    let phone = app()?;
    let status = phone.ok(
        cmd::JOIN_COMMUNITY,
        json!({"req": {"invite": invite["text"], "my_name": "Amina"}}),
    );
    assert_eq!(status["profile"]["confirmed"], false);

    let exported = phone.ok(cmd::EXPORT_SYNC_FILE, json!({}));
    let path = exported["path"].as_str().expect("path");
    assert!(path.ends_with(".nabo"), "{path}");
    let bytes = std::fs::read(path)?;
    assert_eq!(exported["bytes"], bytes.len());
    let imported = hub
        .call_raw(cmd::IMPORT_SYNC_FILE, bytes)
        .expect("imported");
    assert_eq!(imported["members_confirmed"], 1);
    let members = hub.ok(cmd::LIST_MEMBERS, json!({}));
    assert!(members
        .as_array()
        .expect("list")
        .iter()
        .any(|m| m["name"] == "Amina" && m["confirmed"] == true));
    Ok(())
}
