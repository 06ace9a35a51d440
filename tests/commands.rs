//! Command tests: the real handlers and state on Tauri's mock runtime,
//! called the way the UI calls them (JSON arguments, raw file bodies), with
//! errors arriving as the tagged `ApiError` JSON the UI matches on.

mod support;

use std::sync::mpsc;
use std::time::Duration;

use anyhow::Result;
use nabo_lib::{commands::SERVED, Paths};
use nabo_shared::activities::{
    CheckinQr, ListActivities, ReadQrImage, SaveActivity, ScanImage, ScanText,
};
use nabo_shared::api::{all_commands, STORE_CHANGED};
use nabo_shared::command::Command;
use nabo_shared::community::{
    CreateCommunity, CreateInvite, GetStatus, JoinCommunity, ListInvites, SetLanguage,
    WithdrawInvite,
};
use nabo_shared::exchange::{ExportSyncFile, ImportSyncFile};
use nabo_shared::members::ListMembers;
use nabo_shared::review::ListReview;
use nabo_shared::rewards::GetWallet;
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
    /// Sends a request by name, with a JSON body as it arrives from the UI.
    fn send(&self, cmd: &str, body: Value) -> Result<Value, Value> {
        get_ipc_response(&self.window, request(cmd, InvokeBody::Json(body)))
            .map(|body| body.deserialize::<Value>().expect("JSON answer"))
    }

    /// Calls a command the way the UI does: its arguments as `args`.
    fn call<C: Command>(&self, args: Value) -> Result<Value, Value> {
        assert!(!C::RAW);
        self.send(C::NAME, json!({ "args": args }))
    }

    fn call_raw<C: Command>(&self, bytes: Vec<u8>) -> Result<Value, Value> {
        assert!(C::RAW);
        get_ipc_response(&self.window, request(C::NAME, InvokeBody::Raw(bytes)))
            .map(|body| body.deserialize::<Value>().expect("JSON answer"))
    }

    fn ok<C: Command>(&self, args: Value) -> Value {
        self.call::<C>(args)
            .unwrap_or_else(|e| panic!("{} failed: {e}", C::NAME))
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
    app.ok::<CreateCommunity>(json!({"community_name": "Tingbjerg", "my_name": "Sara"}))
}

fn lektiecafe() -> Value {
    json!({"activity": {
        "id": null, "title": "Lektiecafé", "description": "", "place": "Beboerhuset",
        "schedule": {"date": "2026-11-24", "start": "15:00:00", "end": "17:00:00", "repeat": "weekly"},
        "reward": 10, "daily_cap": null
    }})
}

#[test]
fn the_handler_serves_exactly_the_shared_command_names() -> Result<()> {
    let mut served: Vec<&str> = SERVED.to_vec();
    let mut shared: Vec<&str> = all_commands().collect();
    served.sort();
    shared.sort();
    assert_eq!(served, shared);
    let app = app()?;
    let unknown = |e: &Value| e.to_string().contains("not found");
    for name in all_commands() {
        if let Err(e) = app.send(name, json!({})) {
            assert!(!unknown(&e), "{name}: {e}");
        }
    }
    // The check above can tell: an unregistered name is not served.
    let e = app.send("no_such_command", json!({})).unwrap_err();
    assert!(unknown(&e), "{e}");
    Ok(())
}

#[test]
fn setting_up_answers_with_status_and_announces_the_change() -> Result<()> {
    let app = app()?;
    assert_eq!(app.ok::<GetStatus>(Value::Null)["profile"], Value::Null);
    let status = create(&app);
    assert_eq!(status["profile"]["community_name"], "Tingbjerg");
    assert_eq!(status["profile"]["is_coordinator"], true);
    assert_eq!(status["lang"], "da");
    assert!(
        app.changed("settings"),
        "store-changed names the settings table"
    );

    let again = app
        .call::<CreateCommunity>(json!({"community_name": "X", "my_name": "Y"}))
        .unwrap_err();
    assert_eq!(again, json!({"kind": "already_set_up"}));
    app.ok::<SetLanguage>(json!({"lang": "en"}));
    assert_eq!(app.ok::<GetStatus>(Value::Null)["lang"], "en");
    Ok(())
}

#[test]
fn errors_arrive_as_tagged_json_the_ui_can_match() -> Result<()> {
    let app = app()?;
    assert_eq!(
        app.call::<GetWallet>(Value::Null).unwrap_err(),
        json!({"kind": "not_set_up"})
    );
    create(&app);
    let mut bad = lektiecafe();
    bad["activity"]["title"] = json!("  ");
    assert_eq!(
        app.call::<SaveActivity>(bad).unwrap_err(),
        json!({"kind": "invalid_field", "field": "title", "problem": "required"})
    );
    assert_eq!(
        app.call::<ScanText>(json!({"text": "https://example.org"}))
            .unwrap_err(),
        json!({"kind": "unreadable_code", "problem": {"kind": "not_nabo"}})
    );
    assert_eq!(
        app.call_raw::<ImportSyncFile>(b"garbage".to_vec())
            .unwrap_err(),
        json!({"kind": "bad_sync_file", "problem": "not_a_sync_file"})
    );
    assert_eq!(
        app.call_raw::<ScanImage>(b"not a picture".to_vec())
            .unwrap_err(),
        json!({"kind": "image_unreadable"})
    );
    // A payment refusal names its problem; a payment too high, the balance.
    let asked = app
        .call::<nabo_shared::rewards::payments::RequestPayment>(
            json!({"amount": 5, "what": "Lokaleleje"}),
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let text = asked["text"].as_str().unwrap_or_default().to_owned();
    let refused = app
        .call::<nabo_shared::rewards::payments::Pay>(json!({ "request": text }))
        .unwrap_err();
    assert_eq!(
        refused,
        json!({"kind": "not_enough_points", "balance": 0}),
        "{refused}"
    );
    // A payment's refusal, as the UI receives it.
    let problem = nabo_shared::api::ApiError::PaymentRefused {
        problem: nabo_shared::rewards::payments::PaymentProblem::NotCovered { left: 1 },
    };
    assert_eq!(
        serde_json::to_value(&problem)?,
        json!({"kind": "payment_refused", "problem": {"not_covered": {"left": 1}}})
    );
    Ok(())
}

#[test]
fn an_activity_gets_a_drawn_code_that_a_picture_of_it_checks_in_with() -> Result<()> {
    let app = app()?;
    create(&app);
    let activity = app.ok::<SaveActivity>(lektiecafe());
    assert!(app.changed("activities"));
    let list = app.ok::<ListActivities>(Value::Null);
    assert_eq!(list.as_array().map(Vec::len), Some(1));

    let qr = app.ok::<CheckinQr>(json!({"activity": activity["id"]}));
    assert!(qr["svg"].as_str().is_some_and(|s| s.starts_with("<svg")));
    let text = qr["text"].as_str().expect("text").to_owned();
    assert!(text.starts_with("nabo:c2:"));

    let read = app
        .call_raw::<ReadQrImage>(support::qr_picture(&text, 400))
        .expect("decoded");
    assert_eq!(read, json!(text));
    let outcome = app
        .call_raw::<ScanImage>(support::qr_picture(&text, 400))
        .expect("checked in");
    assert_eq!(outcome["kind"], "checked_in");
    assert_eq!(outcome["reward"], 10);
    assert_eq!(outcome["activity"], "Lektiecafé");
    // The coordinator's own device rewards its own check-in at once.
    assert_eq!(app.ok::<GetWallet>(Value::Null)["balance"], 10);
    // A second scan the same day records nothing, and says so calmly.
    assert_eq!(
        app.call_raw::<ScanImage>(support::qr_picture(&text, 400))
            .expect("answered"),
        json!({"kind": "already_checked_in", "activity": "Lektiecafé"})
    );
    Ok(())
}

#[test]
fn an_export_writes_a_file_another_device_can_open() -> Result<()> {
    let hub = app()?;
    create(&hub);
    let invite = hub.ok::<CreateInvite>(json!({"role": "resident", "uses": 1}))["qr"].clone();
    let phone = app()?;
    let status = phone.ok::<JoinCommunity>(json!({"invite": invite["text"], "my_name": "Amina"}));
    assert_eq!(status["profile"]["confirmed"], false);

    let exported = phone.ok::<ExportSyncFile>(json!({ "to": null }));
    let path = exported["path"].as_str().expect("path");
    assert!(path.ends_with(".nabo"), "{path}");
    let bytes = std::fs::read(path)?;
    assert_eq!(exported["bytes"], bytes.len());
    let imported = hub.call_raw::<ImportSyncFile>(bytes).expect("imported");
    assert_eq!(imported["members_confirmed"], 1);
    let members = hub.ok::<ListMembers>(Value::Null);
    assert!(members
        .as_array()
        .expect("list")
        .iter()
        .any(|m| m["name"] == "Amina" && m["confirmed"] == true));
    Ok(())
}

#[test]
fn the_review_queue_shows_coordinators_what_was_refused() -> Result<()> {
    use automerge::{transaction::Transactable, AutoCommit, ROOT};
    use nabo_lib::engine::DocId;
    use nabo_shared::activities::{Activity, Repeat, Schedule};
    use nabo_shared::crypto::{MemberKey, SigningKey};
    use nabo_shared::exchange::SyncFile;
    use nabo_shared::ids::{ActivityId, CommunityId};
    use nabo_shared::signed::Signed;

    let hub = app()?;
    let status = create(&hub);
    assert_eq!(hub.ok::<ListReview>(Value::Null), json!([]), "nothing yet");
    let community: CommunityId = serde_json::from_value(status["profile"]["community"].clone())?;

    // A sync file with an activity signed by someone who is no coordinator,
    // and bytes that are no record under a member's key.
    let rogue = SigningKey::from_bytes(&[42; 32]);
    let id = ActivityId::from_bytes([42; 16]);
    let forged = Activity {
        id,
        community,
        title: "Gratis point".into(),
        description: String::new(),
        place: "Overalt".into(),
        schedule: Schedule {
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            start: chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            end: chrono::NaiveTime::from_hms_opt(11, 0, 0).unwrap(),
            repeat: Repeat::Weekly,
            days: nabo_shared::activities::Weekdays::default(),
        },
        reward: 1000,
        daily_cap: None,
        archived: false,
        updated_at: chrono::Utc::now(),
    };
    let mut doc = AutoCommit::new();
    doc.put(
        ROOT,
        format!("activity/{id}"),
        Signed::seal(&rogue, &forged).to_bytes(),
    )?;
    let stranger = MemberKey::of(&rogue).to_hex();
    doc.put(ROOT, format!("member/{stranger}"), b"junk".to_vec())?;
    let file = SyncFile::seal(
        &rogue,
        community,
        nabo_shared::exchange::Recipient::Coordinators,
        vec![(DocId::community(community).to_string(), doc.save())],
    );
    hub.call_raw::<ImportSyncFile>(file).expect("imported");
    assert!(hub.changed("rejected"));
    assert_eq!(
        hub.ok::<ListActivities>(Value::Null),
        json!([]),
        "the forged activity counts for nothing"
    );

    let queue = hub.ok::<ListReview>(Value::Null);
    let items = queue.as_array().expect("a list");
    assert_eq!(items.len(), 2, "{queue:#}");
    let refused = items
        .iter()
        .find(|i| i["reason"]["reason"] == "refused")
        .expect("the junk");
    assert_eq!(refused["record"], "membership");
    assert_eq!(refused["reason"]["problem"]["kind"], "unreadable");
    let not_entitled = items
        .iter()
        .find(|i| i["reason"]["reason"] == "not_entitled")
        .expect("the forged activity");
    assert_eq!(not_entitled["reason"]["needs"], "coordinator");
    assert_eq!(not_entitled["record"], "activity");
    assert_eq!(
        not_entitled["signer"]["device"],
        MemberKey::of(&rogue).key_id().to_string()
    );
    // The file was written by a device this one has never seen.
    assert_eq!(not_entitled["from"]["name"], Value::Null);

    // Residents have no review queue.
    let invite = hub.ok::<CreateInvite>(json!({"role": "resident", "uses": 1}))["qr"].clone();
    let phone = app()?;
    phone.ok::<JoinCommunity>(json!({"invite": invite["text"], "my_name": "Amina"}));
    assert_eq!(
        phone.call::<ListReview>(Value::Null).unwrap_err(),
        json!({"kind": "not_coordinator"})
    );
    Ok(())
}

#[test]
fn a_coordinator_invite_waits_in_the_review_queue_until_approved() -> Result<()> {
    use nabo_shared::members::ApproveJoin;
    let hub = app()?;
    create(&hub);
    let invite = hub.ok::<CreateInvite>(json!({"role": "coordinator", "uses": 1}))["qr"].clone();
    let phone = app()?;
    let status = phone.ok::<JoinCommunity>(json!({"invite": invite["text"], "my_name": "Ole"}));
    let device = status["device"].clone();
    let exported = phone.ok::<ExportSyncFile>(json!({ "to": null }));
    let bytes = std::fs::read(exported["path"].as_str().expect("path"))?;
    let imported = hub.call_raw::<ImportSyncFile>(bytes).expect("imported");
    assert_eq!(imported["members_confirmed"], 0);

    let queue = hub.ok::<ListReview>(Value::Null);
    let waiting = queue
        .as_array()
        .expect("a list")
        .iter()
        .find(|i| i["reason"]["reason"] == "awaiting_approval")
        .expect("the join waits");
    assert_eq!(waiting["reason"]["why"], "coordinator_role");
    assert_eq!(waiting["signer"]["device"], device);

    hub.ok::<ApproveJoin>(json!({ "device": device }));
    let members = hub.ok::<ListMembers>(Value::Null);
    assert!(members
        .as_array()
        .expect("a list")
        .iter()
        .any(|m| m["name"] == "Ole" && m["confirmed"] == true && m["role"] == "coordinator"));
    assert_eq!(
        hub.call::<ApproveJoin>(json!({ "device": device }))
            .unwrap_err(),
        json!({"kind": "not_found", "what": "member"}),
        "approved once"
    );
    Ok(())
}

#[test]
fn a_household_invite_admits_its_few_and_a_withdrawn_one_nobody() -> Result<()> {
    let hub = app()?;
    create(&hub);
    let household = hub.ok::<CreateInvite>(json!({"role": "resident", "uses": 2}));
    assert_eq!(household["used"], 0);
    assert_eq!(household["uses"], 2);
    let single = hub.ok::<CreateInvite>(json!({"role": "resident", "uses": 1}));
    assert!(hub.changed("invites"));
    assert_eq!(
        hub.ok::<ListInvites>(Value::Null).as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(
        hub.call::<CreateInvite>(json!({"role": "resident", "uses": 0}))
            .unwrap_err(),
        json!({"kind": "invalid_field", "field": "uses", "problem": "out_of_range"})
    );

    // Three phones try the household invite: two get in, the third waits.
    let mut confirmed = 0;
    for name in ["Amina", "Omar", "Hodan"] {
        let phone = app()?;
        phone.ok::<JoinCommunity>(json!({"invite": household["qr"]["text"], "my_name": name}));
        let file = phone.ok::<ExportSyncFile>(json!({ "to": null }));
        let bytes = std::fs::read(file["path"].as_str().expect("path"))?;
        let imported = hub.call_raw::<ImportSyncFile>(bytes).expect("imported");
        confirmed += imported["members_confirmed"].as_u64().expect("a count");
    }
    assert_eq!(confirmed, 2);
    let queue = hub.ok::<ListReview>(Value::Null);
    assert!(queue
        .as_array()
        .expect("a list")
        .iter()
        .any(|i| i["reason"]["why"] == "invite_used_up"));
    // Used up, it leaves the list of open invites.
    let open = hub.ok::<ListInvites>(Value::Null);
    assert_eq!(open.as_array().map(Vec::len), Some(1));
    assert_eq!(open[0]["id"], single["id"]);

    // Withdrawn, the single invite admits nobody without a human.
    hub.ok::<WithdrawInvite>(json!({"id": single["id"]}));
    assert_eq!(hub.ok::<ListInvites>(Value::Null), json!([]));
    let phone = app()?;
    phone.ok::<JoinCommunity>(json!({"invite": single["qr"]["text"], "my_name": "Yusuf"}));
    let file = phone.ok::<ExportSyncFile>(json!({ "to": null }));
    let bytes = std::fs::read(file["path"].as_str().expect("path"))?;
    let imported = hub.call_raw::<ImportSyncFile>(bytes).expect("imported");
    assert_eq!(imported["members_confirmed"], 0);
    let queue = hub.ok::<ListReview>(Value::Null);
    assert!(queue
        .as_array()
        .expect("a list")
        .iter()
        .any(|i| i["reason"]["why"] == "invite_withdrawn"));
    assert_eq!(
        hub.call::<WithdrawInvite>(json!({"id": "00000000-0000-0000-0000-000000000000"}))
            .unwrap_err(),
        json!({"kind": "not_found", "what": "invite"})
    );
    Ok(())
}

#[test]
fn a_budget_file_comes_back_as_both_outcomes_or_as_its_broken_line() -> Result<()> {
    use nabo_shared::budget::report::ComputeBudget;
    let app = app()?;
    let file = "META\nkey;value\ndescription;Solhøj\nbudget;90\nPROJECTS\nproject_id;cost;name\n1;60;Bænke\n2;30;Lys\nVOTES\nvoter_id;vote\na;1\nb;1\nc;2\n";
    let report = app
        .call_raw::<ComputeBudget>(file.as_bytes().to_vec())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    assert_eq!(report["title"], json!("Solhøj"));
    assert_eq!(report["voters"], json!(3));
    assert_eq!(
        report["projects"][0]["equal_shares"],
        json!({"kind": "paid", "payment": "30", "paid": 2, "all_left": 0})
    );
    assert_eq!(report["projects"][1]["greedy"], json!(true));
    assert_eq!(report["equal_shares_total"], json!("90"));
    assert_eq!(
        app.call_raw::<ComputeBudget>(
            b"META\nkey;value\nbudget;90\nPROJECTS\nproject_id;cost\n1;ti\n".to_vec()
        )
        .unwrap_err(),
        json!({"kind": "budget_file", "line": 6, "problem": {"not_a_number": "ti"}})
    );
    assert_eq!(
        app.call_raw::<ComputeBudget>(
            b"META\nkey;value\nbudget;9\nvote_type;scoring\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n".to_vec()
        )
        .unwrap_err(),
        json!({"kind": "budget_ballots", "vote_type": "scoring"})
    );
    Ok(())
}
