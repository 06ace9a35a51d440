//! Compatibility with the JavaScript automerge-repo world: two Nabo devices
//! exchange their community document through the standard sync server
//! (`@automerge/automerge-repo-sync-server` 0.2.8 from npm, automerge-repo
//! 1.2.1, bound to 127.0.0.1), each speaking the automerge-repo protocol
//! through `samod` with its documents stored in its own SQLite file. What
//! arrives goes into each engine through the same checked import as a sync
//! file: the resident learns the coordinator's activity, and the
//! coordinator's device confirms the resident's join request.
//!
//! `scripts/setup.sh` installs the server into the tools cache (the README's
//! test command runs it); the test fails with that advice if it is missing.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use futures::{SinkExt, StreamExt};
use nabo_lib::engine::{Engine, ManualClock};
use nabo_lib::net::storage::SqliteStorage;
use nabo_shared::activities::{ActivityInput, Repeat, Schedule};
use nabo_shared::community::{CreateCommunity, JoinCommunity};
use nabo_shared::exchange::{Recipient, SyncFile};
use nabo_shared::members::Role;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio_tungstenite::tungstenite::Message;

const WAIT: Duration = Duration::from_secs(30);

fn sync_server() -> Result<PathBuf> {
    let tools = std::env::var_os("NABO_TOOLS")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/nabo/tools")))
        .context("no HOME to find the tools cache")?;
    let server =
        tools.join("sync-server/node_modules/@automerge/automerge-repo-sync-server/src/index.js");
    if !server.is_file() {
        bail!(
            "the JavaScript sync server is not installed at {}: run scripts/setup.sh \
             (the README's test command does)",
            server.display()
        );
    }
    Ok(server)
}

/// The sync server, listening on 127.0.0.1 at a free port; killed on drop.
struct Server {
    child: tokio::process::Child,
    port: u16,
    _data: tempfile::TempDir,
}

async fn start_server() -> Result<Server> {
    let script = sync_server()?;
    let preload = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/support/loopback.mjs");
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let data = tempfile::tempdir()?;
    let mut child = tokio::process::Command::new("node")
        .arg("--import")
        .arg(preload.canonicalize()?)
        .arg(&script)
        .current_dir(data.path())
        .env("PORT", port.to_string())
        .env("DATA_DIR", data.path().join("store"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .context("starting node (the sync server)")?;
    let mut lines = BufReader::new(child.stdout.take().context("no stdout")?).lines();
    tokio::time::timeout(WAIT, async {
        while let Some(line) = lines.next_line().await? {
            eprintln!("sync server: {line}");
            if line.contains("Listening on port") {
                return Ok(());
            }
        }
        bail!("the sync server stopped before listening")
    })
    .await
    .context("the sync server did not start in time")??;
    // Only loopback: the preload kept it off the other interfaces.
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
    Ok(Server {
        child,
        port,
        _data: data,
    })
}

#[derive(Debug)]
struct WsError(String);

impl std::fmt::Display for WsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WsError {}

/// A plain WebSocket dialer for samod: one binary message per protocol message.
struct WsDialer(samod::Url);

impl samod::Dialer for WsDialer {
    type Error = WsError;

    fn url(&self) -> samod::Url {
        self.0.clone()
    }

    fn connect(
        &self,
    ) -> futures::future::BoxFuture<'static, Result<samod::Transport, samod::DialError<WsError>>>
    {
        let url = self.0.clone();
        Box::pin(async move {
            let (ws, _) = tokio_tungstenite::connect_async(url.as_str())
                .await
                .map_err(|e| samod::DialError::transient(WsError(e.to_string())))?;
            let (sink, stream) = ws.split();
            let stream = stream.filter_map(|m| async move {
                match m {
                    Ok(Message::Binary(bytes)) => Some(Ok(bytes.to_vec())),
                    Ok(_) => None,
                    Err(e) => Some(Err(WsError(e.to_string()))),
                }
            });
            let sink =
                sink.sink_map_err(|e| WsError(e.to_string()))
                    .with(|bytes: Vec<u8>| async move {
                        Ok::<_, WsError>(Message::Binary(bytes.into()))
                    });
            Ok(samod::Transport::new(Box::pin(stream), Box::pin(sink)))
        })
    }
}

/// A Nabo device's samod repo on its own SQLite file, connected to the server.
async fn connect(db: &Path, port: u16) -> Result<(samod::Repo, samod::ConnectionId)> {
    let repo = samod::Repo::build_tokio()
        .with_storage(SqliteStorage::open(db)?)
        .load()
        .await;
    let url = samod::Url::parse(&format!("ws://127.0.0.1:{port}"))?;
    let dialer = repo
        .dial(samod::BackoffConfig::default(), Arc::new(WsDialer(url)))
        .map_err(|_| anyhow::anyhow!("repo stopped"))?;
    tokio::time::timeout(WAIT, dialer.established())
        .await
        .context("no connection to the sync server in time")?
        .map_err(|e| anyhow::anyhow!("could not connect: {e:?}"))?;
    let connection = dialer.connection_id().context("no connection id")?;
    Ok((repo, connection))
}

/// The device's saved community document.
fn community_doc(engine: &mut Engine) -> Result<(String, Vec<u8>)> {
    let file = SyncFile::decode(&engine.export_sync(Recipient::Coordinators)?.bytes)?;
    file.docs
        .into_iter()
        .find(|(name, _)| name.starts_with("community/"))
        .context("no community document")
}

/// Merges a document that came through the server, by the checked import.
fn import(engine: &mut Engine, name: &str, doc: &automerge::Automerge) -> Result<()> {
    // The server is a relay: the file names it (a key of its own) as its
    // sender, which may share the community document.
    let relay = nabo_shared::crypto::SigningKey::from_bytes(&[9; 32]);
    let file = SyncFile::seal(
        &relay,
        engine.community()?,
        Recipient::Member(engine.device_key()),
        vec![(name.to_owned(), doc.save())],
    );
    engine.import_sync(&file)?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_devices_exchange_a_document_through_the_javascript_sync_server() -> Result<()> {
    let server = start_server().await?;
    let dir = tempfile::tempdir()?;
    let clock = ManualClock::at(chrono::Utc::now());
    let (coordinator_db, resident_db) = (
        dir.path().join("coordinator.sqlite3"),
        dir.path().join("resident.sqlite3"),
    );
    let mut coordinator = Engine::open(&coordinator_db, clock.clone())?;
    coordinator.create_community(CreateCommunity {
        community_name: "Tingbjerg".into(),
        my_name: "Sara".into(),
    })?;
    let today = chrono::Utc::now().date_naive();
    coordinator.save_activity(ActivityInput {
        id: None,
        title: "Lektiecafé".into(),
        description: String::new(),
        place: "Beboerhuset".into(),
        schedule: Schedule {
            date: today,
            start: chrono::NaiveTime::from_hms_opt(15, 0, 0).unwrap(),
            end: chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            repeat: Repeat::Weekly,
            days: nabo_shared::activities::Weekdays::default(),
        },
        reward: 10,
        daily_cap: None,
    })?;
    let invite = coordinator.invite_code(Role::Resident)?.encode();
    let mut resident = Engine::open(&resident_db, clock.clone())?;
    resident.join_community(JoinCommunity {
        invite,
        my_name: "Amina".into(),
    })?;
    assert!(resident.list_activities()?.is_empty());

    // The coordinator's device puts its community document into its samod
    // repo (stored in its SQLite file) and hands it to the server.
    let (name, saved) = community_doc(&mut coordinator)?;
    let (coordinator_repo, coordinator_conn) = connect(&coordinator_db, server.port).await?;
    let handle = coordinator_repo
        .create(automerge::Automerge::load(&saved)?)
        .await
        .map_err(|_| anyhow::anyhow!("repo stopped"))?;
    tokio::time::timeout(WAIT, handle.they_have_our_changes(coordinator_conn))
        .await
        .context("the server did not take the document")?;
    let id = handle.document_id().clone();

    // The resident's device asks the server for it by id...
    let (resident_repo, resident_conn) = connect(&resident_db, server.port).await?;
    let found = tokio::time::timeout(WAIT, resident_repo.find(id.clone()))
        .await
        .context("the server did not answer")?
        .map_err(|_| anyhow::anyhow!("repo stopped"))?
        .context("the server does not have the document")?;
    let doc = found.with_document(|d| d.clone());
    import(&mut resident, &name, &doc)?;
    let activities = resident.list_activities()?;
    assert_eq!(activities.len(), 1);
    assert_eq!(activities[0].title, "Lektiecafé");

    // ...and adds its own state (its join request) to the same document.
    let (_, mine) = community_doc(&mut resident)?;
    found.with_document(|d| d.merge(&mut automerge::Automerge::load(&mine)?).map(|_| ()))?;
    tokio::time::timeout(WAIT, found.they_have_our_changes(resident_conn))
        .await
        .context("the server did not take the resident's changes")?;

    // The server passes the change on to the coordinator's device, whose
    // engine confirms the join request from it.
    tokio::time::timeout(WAIT, handle.we_have_their_changes(coordinator_conn))
        .await
        .context("the coordinator's device did not get the changes")?;
    let mut changes = handle.changes();
    let confirmed = tokio::time::timeout(WAIT, async {
        loop {
            let doc = handle.with_document(|d| d.clone());
            import(&mut coordinator, &name, &doc)?;
            if coordinator
                .members()?
                .iter()
                .any(|m| m.name == "Amina" && m.confirmed)
            {
                return Ok::<_, anyhow::Error>(());
            }
            changes.next().await.context("the document closed")?;
        }
    })
    .await;
    confirmed.context("the join request never reached the coordinator")??;

    // Both repos kept the document in their SQLite files.
    let heads = found.with_document(|d| d.get_heads());
    coordinator_repo.stop().await;
    resident_repo.stop().await;
    let reopened = samod::Repo::build_tokio()
        .with_storage(SqliteStorage::open(&resident_db)?)
        .load()
        .await;
    let again = tokio::time::timeout(WAIT, reopened.find(id))
        .await?
        .map_err(|_| anyhow::anyhow!("repo stopped"))?
        .context("the resident's SQLite file lost the document")?;
    assert_eq!(again.with_document(|d| d.get_heads()), heads);
    reopened.stop().await;
    drop(server.child);
    Ok(())
}
