//! End to end, in the real app: two Nabo windows (a coordinator's and a
//! resident's profile, each with its own data dir) under Xvfb, driven by
//! WebKitWebDriver. The coordinator creates a community and an activity and
//! shows the check-in QR; the resident joins with the invite and checks in
//! from a picture of that QR; the coordinator turns the hub on and the
//! resident syncs with it over the network (her balance shows the reward
//! the hub issued); a sync file carries a new activity. At the end a third
//! window, a café's, joins as a partner and takes a payment from the
//! resident by QR. Every step waits on a condition, never a fixed sleep. A forged record sent in a sync file shows up in the coordinator's
//! review queue. Screenshots land in the target dir (`scripts/screenshots.sh`
//! runs this test to refresh the README's pictures in `docs/screenshots/`).

use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(40);

/// Waits until `ready` holds, checking every 50 ms, or fails after `limit`.
fn wait_until(what: &str, limit: Duration, mut ready: impl FnMut() -> bool) -> Result<()> {
    let start = Instant::now();
    while !ready() {
        if start.elapsed() > limit {
            bail!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// A child process in its own process group, killed with its children on drop.
struct Group(Child);

impl Drop for Group {
    fn drop(&mut self) {
        let pid = self.0.id() as i32;
        // Asked first, so that Xvfb removes its lock file and socket (a
        // killed one leaves them, and the displays run out); then the whole
        // group is killed. Plain kill(2) via the `kill` command.
        let signal = |name: &str| {
            let _ = Command::new("kill")
                .args(["-s", name, "--", &format!("-{pid}")])
                .status();
        };
        signal("TERM");
        let _ = wait_until("the process to end", Duration::from_secs(3), || {
            matches!(self.0.try_wait(), Ok(Some(_)))
        });
        signal("KILL");
        let _ = self.0.wait();
    }
}

fn spawn(cmd: &mut Command) -> Result<Group> {
    let child = cmd
        .process_group(0)
        .stdin(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {cmd:?}"))?;
    Ok(Group(child))
}

/// A private X display.
fn start_xvfb() -> Result<(Group, String)> {
    let xvfb = which("Xvfb")?;
    for n in 90..140 {
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        let lock = PathBuf::from(format!("/tmp/.X{n}-lock"));
        // A display whose server is gone (killed, so it left its lock and
        // socket behind) is free again.
        let server = std::fs::read_to_string(&lock)
            .ok()
            .and_then(|pid| pid.trim().parse::<u32>().ok());
        if server.is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists()) {
            let _ = std::fs::remove_file(&lock);
            let _ = std::fs::remove_file(&socket);
        }
        if socket.exists() || lock.exists() {
            continue;
        }
        let display = format!(":{n}");
        let mut group = spawn(
            Command::new(&xvfb)
                .args([
                    display.as_str(),
                    "-screen",
                    "0",
                    "1280x900x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )?;
        let up = wait_until("Xvfb", Duration::from_secs(10), || {
            socket.exists() || matches!(group.0.try_wait(), Ok(Some(_)))
        });
        if up.is_ok() && socket.exists() {
            return Ok((group, display));
        }
    }
    bail!("no free X display for Xvfb")
}

fn which(name: &str) -> Result<PathBuf> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
        })
        .with_context(|| {
            format!(
                "{name} is not installed: run scripts/setup.sh (the README's test command does)"
            )
        })
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// One WebKitWebDriver (it hosts one session) for one app profile.
struct Driver {
    _group: Group,
    url: String,
    log: PathBuf,
}

fn start_driver(display: &str, work: &Path, name: &str) -> Result<Driver> {
    let port = free_port()?;
    // Each app's hub gets a free port of its own (the app reads NABO_HUB_PORT).
    let hub_port = free_port()?;
    // The driver's output includes the app's own log lines.
    let log = work.join(format!("{name}-app.log"));
    // WebKit's caches go to a folder of the test's own.
    let home = work.join(format!("{name}-home"));
    std::fs::create_dir_all(&home)?;
    let out = std::fs::File::create(&log)?;
    let group = spawn(
        Command::new(which("WebKitWebDriver")?)
            .arg(format!("--port={port}"))
            .arg("--host=127.0.0.1")
            .env("DISPLAY", display)
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("TAURI_WEBVIEW_AUTOMATION", "true")
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("RUST_LOG", "info")
            .env("NABO_HUB_PORT", hub_port.to_string())
            .stdout(out.try_clone()?)
            .stderr(out),
    )?;
    wait_until("WebKitWebDriver to listen", Duration::from_secs(20), || {
        TcpStream::connect(("127.0.0.1", port)).is_ok()
    })?;
    Ok(Driver {
        _group: group,
        url: format!("http://127.0.0.1:{port}"),
        log,
    })
}

/// A page object over one app window.
struct Window {
    client: Client,
    name: &'static str,
}

impl Window {
    async fn open(driver: &Driver, name: &'static str, data_dir: &Path) -> Result<Self> {
        eprintln!("{name}: starting the app through {}", driver.url);
        let mut caps = serde_json::Map::new();
        caps.insert(
            "webkitgtk:browserOptions".into(),
            json!({
                "binary": env!("CARGO_BIN_EXE_nabo"),
                "args": ["--data-dir", data_dir],
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .with_context(|| format!("{name}: starting the app through WebDriver"))?;
        Ok(Self { client, name })
    }

    async fn find(&self, css: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("{}: waiting for {css}", self.name))
    }

    async fn click(&self, css: &str) -> Result<()> {
        eprintln!("{}: click {css}", self.name);
        let element = self.find(css).await?;
        // As a person would: scroll it to the middle, clear of the tab bar.
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'});",
                vec![serde_json::to_value(&element)?],
            )
            .await?;
        element
            .click()
            .await
            .with_context(|| format!("{}: clicking {css}", self.name))?;
        Ok(())
    }

    /// Syncs from the sync tab, waits until it is done (`what` names it),
    /// and goes back to the round (the only one).
    async fn sync_back_to_round(&self, what: &str) -> Result<()> {
        self.click("#tab-sync").await?;
        self.click("#sync-now").await?;
        self.text_when("#sync-result", what, |t| t.contains("Sync complete"))
            .await?;
        self.click("#open-settings").await?;
        self.click("#open-rounds").await?;
        self.click("#rounds .round-open").await
    }

    async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let field = self.find(css).await?;
        // As a person would: a field below the fold is scrolled to first.
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'});",
                vec![serde_json::to_value(&field)?],
            )
            .await?;
        field.clear().await?;
        field
            .send_keys(text)
            .await
            .with_context(|| format!("{}: typing into {css}", self.name))?;
        Ok(())
    }

    /// Chooses the option labelled `label` of a select, once it is there as
    /// the first member after "all coordinators".
    async fn choose(&self, css: &str, label: &str) -> Result<()> {
        eprintln!("{}: choose {label} in {css}", self.name);
        // Wait until the option is there (export: members follow "all
        // coordinators" once they are known).
        let start = Instant::now();
        loop {
            let there = self
                .client
                .execute(
                    "const s = document.querySelector(arguments[0]);
                     return !!s && [...s.options].some(o => o.text.includes(arguments[1]));",
                    vec![json!(css), json!(label)],
                )
                .await?;
            if there == json!(true) {
                break;
            }
            if start.elapsed() > WAIT {
                bail!("{}: {css} never offered {label}", self.name);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // As a user's choice does: the value changes, then `change` fires
        // (WebKitWebDriver cannot click an option of a closed select).
        let chosen = self
            .client
            .execute(
                "const s = document.querySelector(arguments[0]);
                 const o = [...s.options].find(o => o.text.includes(arguments[1]));
                 if (!o) return false;
                 s.value = o.value;
                 s.dispatchEvent(new Event('change', { bubbles: true }));
                 return true;",
                vec![json!(css), json!(label)],
            )
            .await
            .with_context(|| format!("{}: choosing {label} in {css}", self.name))?;
        anyhow::ensure!(
            chosen == json!(true),
            "{}: no option {label} in {css}",
            self.name
        );
        Ok(())
    }

    async fn upload(&self, css: &str, file: &Path) -> Result<()> {
        eprintln!("{}: choose {} in {css}", self.name, file.display());
        let input = self.find(css).await?;
        input
            .send_keys(&file.display().to_string())
            .await
            .with_context(|| format!("{}: choosing {} in {css}", self.name, file.display()))?;
        Ok(())
    }

    /// Waits until the element's text satisfies `ok`, and returns it.
    async fn text_when(&self, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> Result<String> {
        self.read_when(css, "e.innerText.trim()", what, ok).await
    }

    /// Waits until a form control's value satisfies `ok`, and returns it.
    async fn value_when(&self, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> Result<String> {
        self.read_when(css, "e.value", what, ok).await
    }

    /// Waits until `read` (a JavaScript expression of the element `e`)
    /// satisfies `ok`, and returns it.
    async fn read_when(
        &self,
        css: &str,
        read: &str,
        what: &str,
        ok: impl Fn(&str) -> bool,
    ) -> Result<String> {
        eprintln!("{}: wait for {what}", self.name);
        let start = Instant::now();
        let script =
            format!("const e = document.querySelector(arguments[0]); return e ? {read} : null;");
        let mut last = None;
        loop {
            // Read in the page: an element re-rendered between a find and a
            // read is simply read again on the next round.
            let text = self.client.execute(&script, vec![json!(css)]).await?;
            if let Some(text) = text.as_str() {
                if ok(text) {
                    return Ok(text.to_owned());
                }
                last = Some(text.to_owned());
            }
            if start.elapsed() > WAIT {
                let errors = self.errors().await;
                bail!(
                    "{}: {css} never showed {what} (last: {last:?}); errors on screen: {errors:?}",
                    self.name
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Whether anything matches `css` now, asked in the page (an element
    /// that goes between a find and WebDriver's handle for it would make
    /// `find_all` fail as stale).
    async fn present(&self, css: &str) -> Result<bool> {
        let found = self
            .client
            .execute(
                "return document.querySelector(arguments[0]) !== null;",
                vec![json!(css)],
            )
            .await?;
        Ok(found.as_bool() == Some(true))
    }

    /// Waits until nothing matches `css`.
    async fn gone(&self, css: &str, what: &str) -> Result<()> {
        eprintln!("{}: wait until {what} is gone", self.name);
        let start = Instant::now();
        while self.present(css).await? {
            if start.elapsed() > WAIT {
                bail!("{}: {what} ({css}) never went away", self.name);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// Answers yes in the app's own confirmation dialog (the webview's
    /// `confirm()` is never used), after checking that focus starts on the
    /// safe choice.
    async fn accept_question(&self) -> Result<()> {
        eprintln!("{}: accept the question", self.name);
        self.find("#confirm-dialog[open]").await?;
        let focused = self.client.active_element().await?.attr("id").await?;
        if focused.as_deref() != Some("confirm-no") {
            bail!("{}: the dialog opened with focus on {focused:?}", self.name);
        }
        self.click("#confirm-yes").await?;
        self.gone("#confirm-dialog[open]", "the dialog").await
    }

    /// Runs axe-core in the app's window and fails on any serious or
    /// critical violation of WCAG 2.2 A/AA on the screen as it is now.
    async fn audit(&self, screen: &str) -> Result<()> {
        eprintln!("{}: accessibility audit of {screen}", self.name);
        let loaded = self
            .client
            .execute("return typeof window.axe !== 'undefined';", vec![])
            .await?;
        if loaded != json!(true) {
            self.client
                .execute(&format!("{}\nreturn true;", axe_source()?), vec![])
                .await
                .context("injecting axe-core")?;
        }
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, {
                     runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
                     resultTypes: ['violations'],
                 }).then(r => done(r.violations
                     .filter(v => v.impact === 'serious' || v.impact === 'critical')
                     .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
                         + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — '
                             + (n.failureSummary || '').replace(/\\s+/g, ' ')).join('; '))))
                   .catch(e => done(['axe could not run: ' + e]));",
                vec![],
            )
            .await
            .with_context(|| format!("{}: auditing {screen}", self.name))?;
        let found: Vec<String> = serde_json::from_value(found)?;
        if !found.is_empty() {
            bail!(
                "{}: {screen} fails WCAG 2.2 AA:\n{}",
                self.name,
                found.join("\n")
            );
        }
        Ok(())
    }

    /// Makes this window the one the keyboard types into: two windows share
    /// the display, and WebDriver cannot give one the X input focus, so
    /// xdotool does, to the app window at this window's place on screen.
    async fn take_focus(&self, display: &str) -> Result<()> {
        let (x, y) = self
            .client
            .get_window_rect()
            .await
            .map(|(x, y, _, _)| (x, y))?;
        let found = Command::new(which("xdotool")?)
            .args(["search", "--onlyvisible", "--name", "Nabo"])
            .env("DISPLAY", display)
            .output()?;
        let mut focused = false;
        for id in String::from_utf8_lossy(&found.stdout).split_whitespace() {
            let geometry = Command::new(which("xdotool")?)
                .args(["getwindowgeometry", "--shell", id])
                .env("DISPLAY", display)
                .output()?;
            let text = String::from_utf8_lossy(&geometry.stdout);
            let at = |key: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(key))
                    .and_then(|v| v.parse::<u64>().ok())
            };
            if at("X=") == Some(x) && at("Y=") == Some(y) {
                focused = Command::new(which("xdotool")?)
                    .args(["windowfocus", "--sync", id])
                    .env("DISPLAY", display)
                    .status()?
                    .success();
                break;
            }
        }
        anyhow::ensure!(
            focused,
            "{}: no app window at ({x}, {y}) to focus",
            self.name
        );
        let start = Instant::now();
        while self
            .client
            .execute("return document.hasFocus();", vec![])
            .await?
            != json!(true)
        {
            if start.elapsed() > WAIT {
                bail!("{}: the window never got the keyboard", self.name);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// Moves the focus to an element and presses Enter on it, as a keyboard
    /// user does.
    async fn activate(&self, css: &str) -> Result<()> {
        eprintln!("{}: activate {css} with the keyboard", self.name);
        let element = self.find(css).await?;
        self.client
            .execute(
                "arguments[0].focus();",
                vec![serde_json::to_value(&element)?],
            )
            .await?;
        self.press(fantoccini::key::Key::Enter).await
    }

    /// Presses a key on whatever has the focus, as a keyboard user does.
    async fn press(&self, key: fantoccini::key::Key) -> Result<()> {
        self.client
            .active_element()
            .await?
            .send_keys(&key.to_string())
            .await
            .with_context(|| format!("{}: pressing a key", self.name))?;
        Ok(())
    }

    /// Presses Tab until the focus is on an element matching `css`, at most
    /// `limit` times. Every element the focus passes must show a focus ring
    /// and must not be hidden, not even partly, behind a sticky bar.
    async fn tab_to(&self, css: &str, limit: usize) -> Result<()> {
        eprintln!("{}: tab to {css}", self.name);
        for _ in 0..limit {
            self.press(fantoccini::key::Key::Tab).await?;
            let state = self
                .client
                .execute(
                    "const e = document.activeElement;
                     if (!e || e === document.body) return {at: 'nothing'};
                     const r = e.getBoundingClientRect();
                     const style = getComputedStyle(e);
                     const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
                     const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
                     const inside = (y) => { const t = document.elementFromPoint(x, y);
                                             return t === e || e.contains(t); };
                     const visible = r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight
                                     && inside(r.top + 2) && inside(r.bottom - 2);
                     const label = e.id || e.className || e.tagName;
                     const why = style.outlineStyle + ' ' + style.outlineWidth + ' focus-visible:' + e.matches(':focus-visible') + ' focus:' + e.matches(':focus') + ' hasFocus:' + document.hasFocus();
                     return {at: label, matches: e.matches(arguments[0]), ring, visible, why};",
                    vec![json!(css)],
                )
                .await?;
            let at = state["at"].as_str().unwrap_or("?").to_owned();
            if at == "nothing" {
                continue;
            }
            if state["ring"] != json!(true) {
                bail!(
                    "{}: the focus on {at} shows no focus ring ({})",
                    self.name,
                    state["why"]
                );
            }
            if state["visible"] != json!(true) {
                bail!("{}: the focus on {at} is hidden or covered", self.name);
            }
            if state["matches"] == json!(true) {
                return Ok(());
            }
        }
        bail!("{}: {limit} presses of Tab never reached {css}", self.name)
    }

    /// Fails unless the element with id `id` has the focus.
    async fn focused_is(&self, id: &str) -> Result<()> {
        let focused = self.client.active_element().await?.attr("id").await?;
        anyhow::ensure!(
            focused.as_deref() == Some(id),
            "{}: focus is on {focused:?}, not #{id}",
            self.name
        );
        Ok(())
    }

    async fn attr(&self, css: &str, name: &str) -> Result<String> {
        Ok(self.find(css).await?.attr(name).await?.unwrap_or_default())
    }

    /// Any error messages the UI is showing (for failure reports).
    async fn errors(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Ok(found) = self.client.find_all(Locator::Css(".error")).await {
            for e in found {
                out.push(e.text().await.unwrap_or_default());
            }
        }
        out
    }

    /// WebKit's picture of the page. It waits for a repaint, which a window
    /// hidden behind another never gets: bounded, so a test cannot hang.
    async fn screenshot(&self, path: &Path) -> Result<()> {
        eprintln!("{}: screenshot {}", self.name, path.display());
        let png = tokio::time::timeout(WAIT, self.client.screenshot())
            .await
            .with_context(|| format!("{}: no screenshot (is the window hidden?)", self.name))??;
        std::fs::write(path, png)?;
        Ok(())
    }
}

/// A picture of the topmost window as the X server shows it. (WebKit's own
/// screenshot can wait forever for a repaint of a window that is not being
/// repainted; the X server's pixels are what a person would see.)
fn x11_screenshot(display: &str, path: &Path) -> Result<()> {
    x11_screenshot_at(display, path, 0)
}

/// [`x11_screenshot`] of a window that was moved `x` pixels to the right.
fn x11_screenshot_at(display: &str, path: &Path, x: u32) -> Result<()> {
    let crop = format!("420x820+{x}+0");
    let status = Command::new(which("import")?)
        .args([
            "-display", display, "-window", "root", "-crop", &crop, "+repage",
        ])
        .arg(path)
        .status()?;
    if !status.success() {
        bail!("import could not take a screenshot of {display}");
    }
    Ok(())
}

async fn scenario(
    coordinator: &Window,
    resident: &Window,
    work: &Path,
    shots: &Path,
    display: &str,
) -> Result<()> {
    // The coordinator founds the neighbourhood.
    coordinator.find("#choose-create").await?;
    coordinator.audit("the welcome screen").await?;
    coordinator.click("#choose-create").await?;
    coordinator.audit("creating a neighbourhood").await?;
    coordinator
        .type_into("#community-name", "Tingbjerg")
        .await?;
    coordinator.type_into("#my-name", "Sara").await?;
    coordinator.click("#create-submit").await?;
    coordinator.find("#new-activity").await?;

    // ...creates an activity: first with an end before its start, which
    // is named at the field, with focus moved there...
    coordinator.click("#new-activity").await?;
    coordinator.type_into("#title", "Lektiecafé").await?;
    coordinator.type_into("#place", "Beboerhuset").await?;
    coordinator.type_into("#start", "17:00").await?;
    coordinator.type_into("#end", "15:00").await?;
    coordinator.type_into("#reward", "10").await?;
    coordinator.type_into("#daily-cap", "100").await?;
    coordinator.click("#save-activity").await?;
    coordinator
        .text_when("#end-error", "the error at the end field", |t| {
            t.contains("slutte efter")
        })
        .await?;
    coordinator.focused_is("end").await?;
    coordinator.audit("the editor with an error").await?;
    coordinator.type_into("#end", "18:00").await?;
    coordinator.click("#save-activity").await?;
    coordinator
        .find(".activity-card[data-title='Lektiecafé']")
        .await?;

    // ...and shows an invite.
    coordinator.click("#tab-members").await?;
    coordinator.click("#show-invite").await?;
    coordinator
        .find("#invite-qr[data-code^='nabo:i2:']")
        .await?;
    let invite = coordinator.attr("#invite-qr", "data-code").await?;
    coordinator.audit("members with an invitation").await?;

    // The resident joins with it and waits for confirmation.
    resident.click("#choose-join").await?;
    resident.type_into("#invite-text", &invite).await?;
    resident.type_into("#my-name", "Amina").await?;
    resident.click("#join-submit").await?;
    resident.find("#pending-banner").await?;
    resident
        .audit("points while waiting to be confirmed")
        .await?;

    // The coordinator opens the check-in screen; the resident takes a
    // picture of the QR code and checks in from it.
    coordinator.click("#tab-activities").await?;
    coordinator
        .click(".activity-card[data-title='Lektiecafé'] .show-qr")
        .await?;
    coordinator
        .find("#checkin-qr[data-code^='nabo:c2:'] svg")
        .await?;
    coordinator
        .screenshot(&shots.join("coordinator-checkin-qr.png"))
        .await?;
    coordinator.audit("the check-in code").await?;
    let picture = work.join("qr.png");
    std::fs::write(
        &picture,
        coordinator.find("#checkin-qr").await?.screenshot().await?,
    )?;

    resident.click("#tab-scan").await?;
    resident.upload("#scan-image", &picture).await?;
    // The phone has not synced yet, but the code names the activity and
    // its points, and says what to do next.
    resident
        .text_when("#scan-result", "the check-in", |t| {
            t.starts_with("Tjekket ind til Lektiecafé")
                && t.contains("+10")
                && t.contains("beboerhuset")
        })
        .await?;
    // Refusals are explained in the user's language, and store nothing.
    resident
        .type_into("#scan-text", "https://example.org")
        .await?;
    resident.click("#scan-submit").await?;
    resident
        .text_when(".scan .error", "the refusal of a foreign QR", |t| {
            t.contains("ikke en Nabo-kode")
        })
        .await?;
    // An invitation pasted here says where it belongs.
    resident.type_into("#scan-text", &invite).await?;
    resident.click("#scan-submit").await?;
    resident
        .text_when(".scan .error", "where an invitation belongs", |t| {
            t.contains("Det er en invitation")
        })
        .await?;
    // A second check-in the same day is calm news, not an error.
    let again = coordinator.attr("#checkin-qr", "data-code").await?;
    resident.type_into("#scan-text", &again).await?;
    resident.click("#scan-submit").await?;
    resident
        .text_when("#scan-result", "the notice of a second check-in", |t| {
            t.contains("allerede tjekket ind til Lektiecafé")
        })
        .await?;
    resident.gone(".scan .error", "any error").await?;
    resident.audit("check in").await?;

    resident.click("#tab-wallet").await?;
    // The phone does not know the activity yet (it arrives with the
    // coordinator's data), but its line is named from the code.
    resident
        .text_when("#history", "the pending check-in", |t| {
            t.contains("Lektiecafé") && t.contains("+10 · afventer")
        })
        .await?;
    resident
        .text_when("#balance", "a zero balance", |t| t == "0")
        .await?;

    // At the community house: the coordinator turns the hub on, the
    // resident types its short code and syncs. The hub confirms her, rewards
    // the check-in, and both come back in the same sync.
    coordinator.click("#tab-sync").await?;
    coordinator.click("#hub-toggle").await?;
    let short_code = coordinator
        .text_when("#hub-short-code", "the hub's short code", |t| {
            t.contains(':')
        })
        .await?;
    coordinator
        .find("#hub-qr[data-code^='nabo:p1:'] svg")
        .await?;
    coordinator
        .screenshot(&shots.join("coordinator-hub.png"))
        .await?;
    coordinator.audit("sync with sharing on").await?;
    resident.click("#tab-sync").await?;
    resident.type_into("#hub-code", "not a code").await?;
    resident.click("#pair-hub").await?;
    // The error shows at the field, which gets the focus.
    resident
        .text_when("#hub-code-error", "the refusal of a wrong hub code", |t| {
            t.contains("ikke en Nabo-kode") || t.contains("ikke en hub-kode")
        })
        .await?;
    resident.focused_is("hub-code").await?;
    resident.type_into("#hub-code", &short_code).await?;
    resident.click("#pair-hub").await?;
    resident.find("#hub-paired").await?;
    resident
        .gone("#hub-code-error", "the old error, now the code is right")
        .await?;
    resident.click("#sync-now").await?;
    // In her words: she is confirmed and got her points.
    resident
        .text_when("#sync-result", "the finished sync", |t| {
            t.contains("Synkronisering færdig")
                && t.contains("bekræftet som medlem")
                && t.contains("10 point modtaget")
        })
        .await?;
    resident
        .text_when("#hub-list", "the hub named for its owner", |t| {
            t.contains("Saras computer")
        })
        .await?;
    resident.audit("sync").await?;
    resident
        .text_when("#hub-list", "the hub's last sync", |t| {
            t.contains("Sidst synkroniseret")
        })
        .await?;
    x11_screenshot(display, &shots.join("resident-sync-da.png"))?;
    coordinator
        .text_when("#peer-list", "the resident among the devices", |t| {
            t.contains("Amina")
        })
        .await?;

    // The reward has arrived.
    resident.click("#tab-wallet").await?;
    resident
        .text_when("#balance", "a balance of 10", |t| t == "10")
        .await?;
    resident
        .text_when("#history", "the issued line", |t| {
            t.contains("Lektiecafé") && t.contains("+10")
        })
        .await?;
    resident
        .gone(
            "#pending-banner",
            "the waiting banner, now that a coordinator confirmed",
        )
        .await?;
    x11_screenshot(display, &shots.join("resident-wallet-da.png"))?;

    // And the same screen in English (the language is chosen in the
    // settings).
    resident.click("#open-settings").await?;
    resident.choose("#lang-picker", "English").await?;
    resident.audit("settings in English").await?;
    resident.click("#tab-wallet").await?;
    resident
        .text_when(".balance-label", "English", |t| t == "Points in total")
        .await?;
    resident.audit("points in English").await?;
    x11_screenshot(display, &shots.join("resident-wallet-en.png"))?;

    // Without a network, a file does the same: a new activity reaches the
    // resident by a sync file.
    coordinator.click("#tab-activities").await?;
    coordinator.click("#new-activity").await?;
    coordinator.type_into("#title", "Fællesspisning").await?;
    coordinator.type_into("#place", "Salen").await?;
    coordinator.type_into("#reward", "15").await?;
    coordinator.click("#save-activity").await?;
    coordinator
        .find(".activity-card[data-title='Fællesspisning']")
        .await?;
    coordinator.click("#tab-sync").await?;
    // The screen has loaded once the running hub shows its code (the page
    // grows then, so clicking earlier could hit whatever moved there).
    coordinator
        .find("#hub-qr[data-code^='nabo:p1:'] svg")
        .await?;
    // The file is for Amina: it holds only what her phone may hold.
    coordinator.choose("#export-to", "Amina").await?;
    coordinator.click("#export-button").await?;
    let from_coordinator = coordinator
        .text_when("#export-path", "a file path", |t| t.ends_with(".nabo"))
        .await?;
    resident.click("#tab-sync").await?;
    resident
        .upload("#import-file", Path::new(&from_coordinator))
        .await?;
    resident
        .text_when("#import-result", "the import", |t| {
            t.contains("Data received")
        })
        .await?;
    resident.click("#tab-activities").await?;
    resident
        .find(".activity-card[data-title='Fællesspisning']")
        .await?;

    // Who came: the coordinator's list for the activity names her.
    coordinator.click("#tab-activities").await?;
    coordinator
        .click(".activity-card[data-title='Lektiecafé'] .attendance")
        .await?;
    coordinator
        .text_when("#attendance-list", "Amina among those who came", |t| {
            t.contains("Amina") && t.contains("+10")
        })
        .await?;
    coordinator.audit("who came").await?;
    coordinator.click("#close-attendance").await?;

    // The coordinator withdraws the resident's access (after a question);
    // her phone is refused at the next sync and says why.
    coordinator.click("#tab-members").await?;
    coordinator.click("#member-list .member .revoke").await?;
    coordinator.accept_question().await?;
    coordinator
        .gone("#member-list .member .revoke", "the revoked member")
        .await?;
    resident.click("#tab-sync").await?;
    resident.click("#sync-now").await?;
    resident
        .text_when(".sync .error", "the refusal of a revoked member", |t| {
            t.contains("removed your access") && t.contains("community house")
        })
        .await?;
    resident
        .text_when("#hub-list", "the short word in the list", |t| {
            t.contains("Access removed")
        })
        .await?;

    // Undone: access again, and the next sync goes through.
    coordinator
        .text_when("#member-list", "the member shown as removed", |t| {
            t.contains("adgang fjernet")
        })
        .await?;
    coordinator.click("#member-list .member .reinstate").await?;
    coordinator
        .gone("#member-list .member .reinstate", "the removed mark")
        .await?;
    resident.click("#sync-now").await?;
    resident
        .text_when("#sync-result", "the sync after reinstating", |t| {
            t.contains("Sync complete")
        })
        .await?;

    // The coordinator prints Fællesspisning's poster (a PDF in the
    // downloads folder, named in the toast); the resident takes a picture
    // of the printed page and checks in with it. That waits for a human.
    coordinator.click("#tab-activities").await?;
    coordinator
        .click(".activity-card[data-title='Fællesspisning'] .poster")
        .await?;
    let saved = coordinator
        .text_when("#toast", "the poster's file", |t| {
            t.starts_with("Plakaten er gemt: ") && t.ends_with(".pdf")
        })
        .await?;
    let poster = PathBuf::from(saved.trim_start_matches("Plakaten er gemt: "));
    let printed = work.join("poster");
    let status = Command::new(which("pdftoppm")?)
        .args(["-png", "-r", "100", "-singlefile"])
        .arg(&poster)
        .arg(&printed)
        .status()?;
    std::fs::remove_file(&poster)?;
    anyhow::ensure!(status.success(), "pdftoppm could not read the poster");
    resident.click("#tab-scan").await?;
    resident
        .upload("#scan-image", &printed.with_extension("png"))
        .await?;
    resident
        .text_when("#scan-result", "the poster check-in", |t| {
            t.contains("Fællesspisning with the poster") && t.contains("coordinator")
        })
        .await?;
    resident.click("#tab-sync").await?;
    resident.click("#sync-now").await?;
    resident
        .text_when("#sync-result", "the sync with the poster check-in", |t| {
            t.contains("Sync complete")
        })
        .await?;
    // The coordinator declines it: a reason is needed (said at the field,
    // which gets the focus), and the resident sees it.
    coordinator.click("#tab-members").await?;
    coordinator
        .text_when("#review-entry", "the waiting check-in", |t| {
            t.contains("1 ting at se på")
        })
        .await?;
    coordinator.click("#open-review").await?;
    coordinator
        .text_when("#queue", "the poster check-in in review", |t| {
            t.contains("Fællesspisning") && t.contains("plakat")
        })
        .await?;
    coordinator.click("#queue .queue-item .decline").await?;
    coordinator.click("#decline-submit").await?;
    coordinator
        .text_when("#decline-reason-error", "the missing reason", |t| {
            !t.is_empty()
        })
        .await?;
    coordinator.focused_is("decline-reason").await?;
    coordinator.audit("declining a check-in").await?;
    coordinator
        .type_into("#decline-reason", "Fællesspisningen var aflyst")
        .await?;
    coordinator.click("#decline-submit").await?;
    coordinator.find("#queue-empty").await?;
    resident.click("#sync-now").await?;
    resident
        .text_when("#sync-result", "the sync after the decline", |t| {
            t.contains("Sync complete")
        })
        .await?;
    resident.click("#tab-wallet").await?;
    resident
        .text_when("#history", "the declined line", |t| {
            t.contains("Declined: Fællesspisningen var aflyst")
        })
        .await?;
    resident
        .text_when("#balance", "the balance unchanged", |t| t == "10")
        .await?;

    // A resident without a phone: the coordinator enrols her with the PIN
    // she chose and saves her card (a PDF named in the toast); the printed
    // card, scanned on the coordinator's device, checks her in.
    coordinator.click("#tab-members").await?;
    coordinator.click("#enrol-card summary").await?;
    coordinator.type_into("#card-name", "Zainab").await?;
    coordinator.type_into("#card-pin", "246813").await?;
    coordinator.type_into("#card-pin-again", "246812").await?;
    coordinator.click("#enrol-card-submit").await?;
    coordinator
        .text_when("#card-pin-again-error", "the PINs that differ", |t| {
            !t.is_empty()
        })
        .await?;
    coordinator.focused_is("card-pin-again").await?;
    coordinator.type_into("#card-pin-again", "246813").await?;
    coordinator.click("#enrol-card-submit").await?;
    let saved = coordinator
        .text_when("#enrol-card-result", "the card's file", |t| {
            t.starts_with("Kortet er gemt") && t.contains(".pdf")
        })
        .await?;
    coordinator.audit("a member card enrolled").await?;
    let card = saved
        .split_once(": ")
        .and_then(|(_, rest)| rest.rsplit_once(" (kode "))
        .map(|(path, _)| PathBuf::from(path))
        .with_context(|| format!("no file named in {saved:?}"))?;
    let card_print = work.join("card");
    let status = Command::new(which("pdftoppm")?)
        .args(["-png", "-r", "200", "-singlefile"])
        .arg(&card)
        .arg(&card_print)
        .status()?;
    std::fs::remove_file(&card)?;
    anyhow::ensure!(status.success(), "pdftoppm could not read the card");
    let card_picture = card_print.with_extension("png");
    coordinator.click("#tab-scan").await?;
    coordinator.upload("#scan-image", &card_picture).await?;
    coordinator
        .text_when("#card-desk-title", "whose card it is", |t| {
            t.contains("Zainab")
        })
        .await?;
    coordinator
        .choose("#card-activity", "Fællesspisning")
        .await?;
    coordinator.click("#card-checkin").await?;
    coordinator
        .text_when("#scan-result", "the card holder checked in", |t| {
            t.contains("Zainab er tjekket ind til Fællesspisning")
        })
        .await?;
    coordinator.audit("a card holder checked in").await?;
    coordinator.gone("#toast", "the decline's toast").await?;
    coordinator
        .screenshot(&shots.join("coordinator-card-da.png"))
        .await?;

    // The coordinator gives her 5 points for helping out, with a note,
    // after a question; she sees them and why after her next sync.
    coordinator.click("#tab-members").await?;
    coordinator
        .click("#member-list .member:has(.revoke) .member-name")
        .await?;
    coordinator.click("#correct-amount").await?;
    coordinator.type_into("#correct-amount", "5").await?;
    coordinator.click("#correct-submit").await?;
    coordinator
        .text_when("#correct-note-error", "the missing reason", |t| {
            !t.is_empty()
        })
        .await?;
    coordinator.focused_is("correct-note").await?;
    coordinator
        .type_into("#correct-note", "Tak for hjælpen ved oprydningen")
        .await?;
    coordinator.click("#correct-submit").await?;
    coordinator.accept_question().await?;
    coordinator
        .text_when("#toast", "the saved correction", |t| {
            t == "Rettelsen er gemt."
        })
        .await?;
    coordinator
        .audit("a member's history with a correction")
        .await?;
    coordinator.click("#close-history").await?;
    resident.click("#tab-sync").await?;
    resident.click("#sync-now").await?;
    resident
        .text_when("#sync-result", "the sync after the correction", |t| {
            t.contains("Sync complete")
        })
        .await?;
    resident.click("#tab-wallet").await?;
    resident
        .text_when("#balance", "the corrected balance", |t| t == "15")
        .await?;
    resident
        .text_when("#history", "the correction's note", |t| {
            t.contains("Tak for hjælpen ved oprydningen") && t.contains("+5")
        })
        .await?;

    // The coordinator sets the community's rate: 12 points an hour.
    coordinator.click("#open-settings").await?;
    coordinator
        .text_when("#rules-now", "the rate in force", |t| {
            t.contains("giver 10 point")
        })
        .await?;
    coordinator.click("#rules-per-hour").await?;
    coordinator.type_into("#rules-per-hour", "12").await?;
    coordinator.click("#rules-per-checkin").await?;
    coordinator.type_into("#rules-per-checkin", "12").await?;
    coordinator.click("#rules-expiry").await?;
    coordinator.type_into("#rules-expiry", "12").await?;
    coordinator.click("#rules-save").await?;
    coordinator.accept_question().await?;
    coordinator
        .text_when("#toast", "the saved rules", |t| t == "Reglerne er gemt.")
        .await?;
    coordinator
        .text_when("#rules-now", "the new rate", |t| {
            t.contains("giver 12 point") && t.contains("udløber 12 måneder")
        })
        .await?;
    coordinator.audit("the rules for points").await?;

    // She logs two hours and twenty minutes of tidying up, offline: the
    // missing start time is said at its field, which gets the focus.
    resident.click("#log-hours").await?;
    resident.choose("#hours-work", "Something else").await?;
    resident
        .type_into("#hours-other", "Tidied the community house")
        .await?;
    resident.click("#hours-save").await?;
    resident
        .text_when("#work-start-error", "the missing start", |t| !t.is_empty())
        .await?;
    resident.focused_is("work-start").await?;
    resident.audit("logging hours, with an error").await?;
    resident.type_into("#work-start", "16:00").await?;
    resident.type_into("#work-end", "18:20").await?;
    resident.click("#hours-save").await?;
    resident
        .text_when("#hours-list", "the hours waiting", |t| {
            t.contains("Tidied the community house")
                && t.contains("2 h 15 min")
                && t.contains("Waiting for approval")
        })
        .await?;
    // ...and one more hour of it, as a number of hours.
    resident.click("#log-hours").await?;
    resident.choose("#hours-work", "Something else").await?;
    resident
        .type_into("#hours-other", "Tidied the community house")
        .await?;
    resident.click("#hours-mode-duration").await?;
    resident.click("#hours-duration").await?;
    resident.type_into("#hours-duration", "1").await?;
    resident.click("#hours-save").await?;
    resident
        .text_when("#hours-list", "the second claim", |t| t.contains("1 hour"))
        .await?;
    resident.click("#tab-sync").await?;
    resident.click("#sync-now").await?;
    resident
        .text_when("#sync-result", "the sync with the hours", |t| {
            t.contains("Sync complete")
        })
        .await?;
    // The coordinator approves them in the review queue.
    coordinator.click("#tab-members").await?;
    coordinator
        .text_when("#review-entry", "the waiting hours", |t| {
            t.contains("2 ting at se på")
        })
        .await?;
    coordinator.click("#open-review").await?;
    coordinator
        .text_when("#queue", "the hours in review", |t| {
            t.contains("Frivillige timer: Tidied the community house")
                && t.contains("2 t 15 min")
                && t.contains("27 point")
        })
        .await?;
    // The day's two claims can be answered at once: declining them asks
    // why (at the field, which gets the focus); the coordinator thinks
    // again and approves both.
    coordinator
        .text_when("#queue-groups", "the day's claims together", |t| {
            t.contains("2 timeregistreringer venter")
        })
        .await?;
    coordinator.click("#queue-groups .decline-all").await?;
    coordinator.click("#decline-all-submit").await?;
    coordinator
        .text_when("#decline-all-reason-error", "the missing reason", |t| {
            !t.is_empty()
        })
        .await?;
    coordinator.focused_is("decline-all-reason").await?;
    coordinator.audit("hours in the review queue").await?;
    coordinator
        .click("#queue-groups .decline-form button[type=button]")
        .await?;
    coordinator.click("#queue-groups .approve-all").await?;
    coordinator.find("#queue-empty").await?;
    coordinator.click("#close-review").await?;
    // Her history, as the coordinator sees it, says who approved them.
    coordinator
        .click("#member-list .member:has(.revoke) .member-name")
        .await?;
    coordinator
        .text_when("#member-hours-list", "her approved hours", |t| {
            t.contains("Tidied the community house") && t.contains("Godkendt af Sara")
        })
        .await?;
    coordinator.audit("a member's hours").await?;
    coordinator.click("#close-history").await?;
    resident.click("#sync-now").await?;
    resident
        .text_when("#sync-result", "the sync after the approval", |t| {
            t.contains("Sync complete")
        })
        .await?;
    resident.click("#tab-wallet").await?;
    resident
        .text_when("#balance", "the balance with the hours", |t| t == "54")
        .await?;
    resident
        .text_when("#hours-list", "the approved hours", |t| {
            t.contains("Approved by Sara") && t.contains("+27")
        })
        .await?;
    resident.audit("points with approved hours").await?;
    // The coordinator's view of the community's points: her 54 and the
    // card holder's 15.
    coordinator.click("#tab-wallet").await?;
    coordinator
        .text_when("#currency", "the points in circulation", |t| {
            // Members 69, the community's account minus 69 (the locale
            // picks the minus sign).
            t.contains("Medlemmerne har i alt") && t.matches("69").count() == 2
        })
        .await?;
    coordinator.audit("the community's points").await?;

    // The resident's window steps aside (it lies over the coordinator's).
    resident.client.set_window_rect(440, 0, 420, 820).await?;

    // Someone who is not a coordinator signs an activity and it reaches the
    // coordinator in a sync file: it counts for nothing, and the review
    // queue says what it is, why, and who signed it.
    let forged = work.join("forged.nabo");
    std::fs::write(&forged, forged_activity_file(&invite)?)?;
    coordinator.click("#tab-sync").await?;
    coordinator
        .find("#hub-qr[data-code^='nabo:p1:'] svg")
        .await?;
    coordinator.upload("#import-file", &forged).await?;
    coordinator
        .text_when("#import-result", "the forged file taken in", |t| {
            t.contains("Data hentet")
        })
        .await?;
    coordinator.click("#tab-activities").await?;
    coordinator
        .find(".activity-card[data-title='Lektiecafé']")
        .await?;
    coordinator
        .gone(
            ".activity-card[data-title='Gratis point']",
            "the forged activity",
        )
        .await?;
    coordinator
        .text_when(
            "#tab-members .badge",
            "the badge of the review queue",
            |t| t == "1",
        )
        .await?;
    coordinator.click("#tab-members").await?;
    coordinator
        .text_when("#review-entry", "the review entry", |t| {
            t.contains("1 ting at se på")
        })
        .await?;
    coordinator.click("#open-review").await?;
    let item = coordinator
        .text_when("#queue", "the forged activity in review", |t| {
            t.contains("Kun medarbejdere må lave det")
        })
        .await?;
    if !item.contains("En aktivitet") {
        bail!("the review item does not name the record: {item}");
    }

    // On a 360 px phone the queue fits: nothing sticks out sideways.
    coordinator.client.set_window_size(360, 740).await?;
    let start = Instant::now();
    let fits = "const w = document.documentElement.clientWidth;
        const queue = document.querySelector('.review');
        return w <= 360 && document.documentElement.scrollWidth <= w
            && queue.scrollWidth <= queue.clientWidth;";
    while coordinator.client.execute(fits, vec![]).await?.as_bool() != Some(true) {
        if start.elapsed() > WAIT {
            x11_screenshot(display, &shots.join("coordinator-review-360-failed.png"))?;
            bail!("at 360 px the coordinator's screen does not fit");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    x11_screenshot(display, &shots.join("coordinator-review-360.png"))?;
    coordinator.audit("the review queue at 360 px").await?;

    // Text at 200 % on a 360 px phone: the text size setting zooms the
    // window; nothing sticks out sideways, the tab bar does not scroll
    // sideways (its tabs show their icons, named for screen readers), the
    // tab labels keep apart, the header's name does not break letter by
    // letter.
    coordinator.click("#open-settings").await?;
    coordinator.choose("#text-size", "200").await?;
    let start = Instant::now();
    let laid_out = "const w = document.documentElement.clientWidth;
        const tabs = [...document.querySelectorAll('.tab span:not(.sr-only):not(.badge)')]
            .map(t => t.getBoundingClientRect());
        const apart = tabs.every((a, i) => tabs.every((b, j) => i === j
            || a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top));
        const h1 = document.querySelector('.topbar h1');
        const range = document.createRange();
        range.selectNodeContents(h1);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
        const whole = lines <= h1.textContent.trim().split(/\\s+/).length;
        const bar = document.querySelector('.tabbar');
        const named = [...document.querySelectorAll('.tab')]
            .every(t => t.textContent.trim().length > 0);
        const still = bar.scrollWidth <= bar.clientWidth && named;
        return w < 300 && document.documentElement.scrollWidth <= w && apart && whole && still;";
    while coordinator
        .client
        .execute(laid_out, vec![])
        .await?
        .as_bool()
        != Some(true)
    {
        if start.elapsed() > WAIT {
            x11_screenshot(display, &shots.join("coordinator-200-failed.png"))?;
            bail!("at 200 % text on 360 px the layout breaks");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    x11_screenshot(display, &shots.join("coordinator-settings-200.png"))?;
    coordinator.audit("settings at 200 % text").await?;
    // (Zoomed, the driver's clicks land off target: the keyboard goes on.)
    coordinator.activate("#tab-activities").await?;
    coordinator.find(".activity-card").await?;
    coordinator.audit("activities at 200 % text").await?;
    coordinator.activate("#open-settings").await?;
    coordinator.choose("#text-size", "Normal").await?;
    coordinator.client.set_window_size(420, 820).await?;

    // Keyboard only: a new invitation, withdrawn through the dialog. Tab
    // reaches every control with a visible, uncovered focus ring; Escape
    // closes the dialog and gives focus back; Enter confirms.
    coordinator.click("#tab-members").await?;
    coordinator.find("#show-invite").await?;
    coordinator.take_focus(display).await?;
    coordinator
        .client
        .execute("document.querySelector('main h2').focus();", vec![])
        .await?;
    coordinator.tab_to("#show-invite", 40).await?;
    coordinator.press(fantoccini::key::Key::Enter).await?;
    coordinator.find("#open-invites .withdraw").await?;
    coordinator.audit("members with an open invitation").await?;
    coordinator.tab_to("#open-invites .withdraw", 40).await?;
    coordinator.press(fantoccini::key::Key::Enter).await?;
    coordinator.find("#confirm-dialog[open]").await?;
    coordinator.focused_is("confirm-no").await?;
    coordinator.audit("the confirmation dialog").await?;
    coordinator.press(fantoccini::key::Key::Escape).await?;
    coordinator
        .gone("#confirm-dialog[open]", "the dialog, after Escape")
        .await?;
    let back = coordinator
        .client
        .execute(
            "return document.activeElement.matches('#open-invites .withdraw');",
            vec![],
        )
        .await?;
    anyhow::ensure!(
        back == json!(true),
        "coordinator: focus did not come back from the dialog"
    );
    coordinator.press(fantoccini::key::Key::Enter).await?;
    coordinator.find("#confirm-dialog[open]").await?;
    coordinator.press(fantoccini::key::Key::Tab).await?;
    coordinator.focused_is("confirm-yes").await?;
    coordinator.press(fantoccini::key::Key::Enter).await?;
    coordinator
        .text_when("#toast", "the withdrawal", |t| {
            t.contains("trukket tilbage")
        })
        .await?;
    coordinator
        .gone("#open-invites", "the withdrawn invitation")
        .await?;

    // Every screen again, in English, through the audit.
    coordinator.click("#open-settings").await?;
    coordinator.choose("#lang-picker", "English").await?;
    coordinator
        .text_when("main h2", "the settings in English", |t| t == "Settings")
        .await?;
    // The Danish toast about the withdrawn invitation went with Danish.
    assert!(
        !coordinator.present("#toast").await?,
        "a toast in the old language stays"
    );
    coordinator.audit("settings in English").await?;

    // A neighbourhood budget round, from ideas to the count: the
    // coordinator opens it, both propose, the coordinator reviews and opens
    // voting, each votes on their own device, and the count's result shows
    // on both.
    coordinator.click("#open-rounds").await?;
    coordinator.find("#rounds-empty").await?;
    coordinator.audit("no budget round yet").await?;
    coordinator.click("#new-round").await?;
    coordinator.type_into("#round-title", "Solhøj 2027").await?;
    coordinator.type_into("#round-amount", "50000").await?;
    coordinator
        .type_into("#round-area", "Blocks A to D")
        .await?;
    coordinator.type_into("#round-max", "2").await?;
    // A knapsack ballot: the ticks must fit within the budget, so there is
    // no separate cost limit to give.
    coordinator.click("#round-knapsack").await?;
    coordinator
        .gone("#round-limit", "the cost limit, for a knapsack ballot")
        .await?;
    coordinator.audit("opening a budget round").await?;
    coordinator.click("#round-save").await?;
    coordinator
        .text_when("#round-summary", "the round open for ideas", |t| {
            t == "50,000 kr. to share in Blocks A to D. Now: Ideas."
        })
        .await?;
    // The area was wrong: the coordinator changes it.
    coordinator.click("#round-change").await?;
    coordinator
        .value_when("#round-title", "the form with the round", |v| {
            v == "Solhøj 2027"
        })
        .await?;
    // Saved as a knapsack ballot (a cost limit of the whole budget), it
    // reads back as one; the neighbourhood decides on plain approval.
    let knapsack = coordinator
        .client
        .execute(
            "return document.querySelector('#round-knapsack').checked",
            vec![],
        )
        .await?;
    anyhow::ensure!(
        knapsack == json!(true),
        "the knapsack ballot read back: {knapsack}"
    );
    // (Tapped on its words, as a person would.)
    coordinator
        .click("label.option:has(#round-knapsack) span")
        .await?;
    coordinator.find("#round-limit").await?;
    coordinator
        .type_into("#round-area", "Blocks A to E")
        .await?;
    coordinator.click("#round-save").await?;
    coordinator
        .text_when("#round-summary", "the changed area", |t| {
            t == "50,000 kr. to share in Blocks A to E. Now: Ideas."
        })
        .await?;
    coordinator.gone("#round-form", "the round's form").await?;
    coordinator.type_into("#proposal-title", "Benches").await?;
    coordinator
        .type_into("#proposal-description", "Two benches by the playground.")
        .await?;
    coordinator.type_into("#proposal-cost", "thirty").await?;
    coordinator
        .type_into("#proposal-recipient", "Residents' association")
        .await?;
    coordinator.click("#proposal-save").await?;
    coordinator
        .text_when("#proposal-cost-error", "a cost that is not a number", |t| {
            t.contains("Cost")
        })
        .await?;
    coordinator.type_into("#proposal-cost", "30000").await?;
    coordinator.click("#proposal-save").await?;
    coordinator
        .text_when("#proposals", "the proposal listed", |t| {
            t.contains("Benches") && t.contains("30,000 kr.")
        })
        .await?;
    resident
        .sync_back_to_round("the sync with the round")
        .await?;
    resident
        .type_into("#proposal-title", "Lights on the path")
        .await?;
    resident
        .type_into(
            "#proposal-description",
            "Lamps along the path to the car park.",
        )
        .await?;
    resident.type_into("#proposal-cost", "20000").await?;
    resident
        .type_into("#proposal-recipient", "Housing association")
        .await?;
    resident.click("#proposal-save").await?;
    resident
        .text_when("#proposals", "her proposal listed", |t| {
            t.contains("Lights on the path")
        })
        .await?;
    // A photo of the path, scaled down on her phone and shown with its
    // proposal on every device.
    resident
        .upload(".proposal .proposal-photo-file", &card_picture)
        .await?;
    let alt = resident.attr(".proposal img.proposal-photo", "alt").await?;
    assert_eq!(alt, "Photo for the proposal Lights on the path");
    resident.audit("proposing an idea").await?;
    resident.click("#tab-sync").await?;
    resident.click("#sync-now").await?;
    coordinator
        .text_when("#proposals", "her proposal arrived", |t| {
            t.contains("Lights on the path") && t.contains("proposed by Amina")
        })
        .await?;
    coordinator.find(".proposal img.proposal-photo").await?;
    // She asks Sara to write the description with her. Sara adds a word
    // while Amina, not yet synced, changes the start: both stay, on both.
    resident
        .text_when("#sync-result", "her proposal sent", |t| {
            t.contains("Sync complete")
        })
        .await?;
    resident.click("#open-settings").await?;
    resident.click("#open-rounds").await?;
    resident.click("#rounds .round-open").await?;
    resident
        .click(".proposal:has(.together-choose) .together-choose summary")
        .await?;
    resident
        .click(".together-choose input.together-helper[data-name='Sara']")
        .await?;
    resident.audit("choosing helpers").await?;
    resident.click(".together-helpers-save").await?;
    resident
        .text_when(".together-helpers", "Sara named as helper", |t| {
            t == "Written together with Sara"
        })
        .await?;
    resident.sync_back_to_round("the helper sent").await?;
    let lights = ".proposal:has(.proposal-photo)";
    coordinator
        .text_when(
            &format!("{lights} .together-helpers"),
            "she asked Sara",
            |t| t == "Written together with Sara",
        )
        .await?;
    coordinator
        .click(&format!("{lights} .together-write summary"))
        .await?;
    coordinator
        .type_into(
            &format!("{lights} .together-text"),
            "Lamps along the path to the car park, solar powered.",
        )
        .await?;
    coordinator.audit("writing a description together").await?;
    coordinator
        .click(&format!("{lights} .together-save"))
        .await?;
    coordinator
        .text_when(&format!("{lights} .proposal-text"), "Sara's words", |t| {
            t == "Lamps along the path to the car park, solar powered."
        })
        .await?;
    resident
        .click(&format!("{lights} .together-write summary"))
        .await?;
    resident
        .type_into(
            &format!("{lights} .together-text"),
            "Six lamps along the path to the car park.",
        )
        .await?;
    resident
        .value_when(
            &format!("{lights} .together-text"),
            "her words typed",
            |v| v == "Six lamps along the path to the car park.",
        )
        .await?;
    resident.gone("#toast", "the helpers' toast").await?;
    x11_screenshot_at(display, &shots.join("resident-write-together-en.png"), 440)?;
    resident.click(&format!("{lights} .together-save")).await?;
    resident
        .text_when(&format!("{lights} .proposal-text"), "her words", |t| {
            t == "Six lamps along the path to the car park."
        })
        .await?;
    resident.sync_back_to_round("the edits merged").await?;
    let both = "Six lamps along the path to the car park, solar powered.";
    resident
        .text_when(&format!("{lights} .proposal-text"), "both edits", |t| {
            t == both
        })
        .await?;
    coordinator
        .text_when(&format!("{lights} .proposal-text"), "both edits", |t| {
            t == both
        })
        .await?;
    resident.click("#tab-sync").await?;
    // Review: both go on the ballot, hers at a cost the electrician quoted.
    coordinator.click("#round-next").await?;
    coordinator.accept_question().await?;
    coordinator
        .text_when("#round-summary", "the review phase", |t| {
            t.ends_with("Now: Review.")
        })
        .await?;
    // She starts on the lights' review (a quote from the electrician),
    // puts the benches on the ballot meanwhile, which redraws the round:
    // what she typed stays.
    coordinator
        .click("#proposals li:nth-child(2) summary")
        .await?;
    coordinator
        .type_into(
            "#proposals li:nth-child(2) .review-reason",
            "A quote from the electrician",
        )
        .await?;
    coordinator
        .type_into("#proposals li:nth-child(2) .review-cost", "25000")
        .await?;
    coordinator.audit("reviewing a proposal").await?;
    coordinator
        .click("#proposals li:nth-child(1) summary")
        .await?;
    coordinator
        .click("#proposals li:nth-child(1) .review-feasible")
        .await?;
    coordinator
        .text_when(
            "#proposals li:nth-child(1)",
            "the benches on the ballot",
            |t| t.contains("On the ballot"),
        )
        .await?;
    coordinator
        .value_when(
            "#proposals li:nth-child(2) .review-reason",
            "the reason still typed",
            |v| v == "A quote from the electrician",
        )
        .await?;
    coordinator
        .find("#proposals li:nth-child(2) details[open]")
        .await?;
    coordinator
        .click("#proposals li:nth-child(2) .review-feasible")
        .await?;
    coordinator
        .text_when(
            "#proposals li:nth-child(2)",
            "the lights at the new cost",
            |t| t.contains("changed from 20,000 kr. to 25,000 kr.: A quote from the electrician"),
        )
        .await?;
    coordinator.click("#round-next").await?;
    coordinator.accept_question().await?;
    // The coordinator ticks the lights, and has not voted yet when her
    // ballot arrives.
    coordinator
        .click("#ballot .ballot-choice:nth-of-type(2) .ballot-box")
        .await?;
    coordinator
        .text_when("#ballot-total", "the running total", |t| {
            t == "1 ticked: 25,000 kr. of the 50,000 kr. budget"
        })
        .await?;
    // She votes on her phone for both.
    resident.click("#sync-now").await?;
    resident
        .text_when("#sync-result", "the sync with the ballot", |t| {
            t.contains("Sync complete")
        })
        .await?;
    // Her points screen says voting is open, with the way in.
    resident.click("#tab-wallet").await?;
    resident
        .text_when(".open-round", "the open vote on her points screen", |t| {
            t.starts_with("Voting is open in the neighbourhood budget Solhøj 2027, until")
        })
        .await?;
    resident.click(".open-round-go").await?;
    resident
        .click("#ballot .ballot-choice:nth-of-type(1) .ballot-box")
        .await?;
    resident
        .click("#ballot .ballot-choice:nth-of-type(2) .ballot-box")
        .await?;
    resident
        .text_when("#ballot-total", "her running total", |t| {
            t == "2 ticked: 55,000 kr. of the 50,000 kr. budget"
        })
        .await?;
    resident
        .text_when("#ballot-over", "more than the budget is fine", |t| {
            t.starts_with("That is more than the budget, which is fine")
        })
        .await?;
    resident.gone("#toast", "the last toast").await?;
    x11_screenshot_at(display, &shots.join("resident-ballot-en.png"), 440)?;
    resident.audit("the ballot").await?;
    resident.click("#ballot-cast").await?;
    resident
        .text_when("#toast", "her ballot saved", |t| {
            t == "Your ballot is saved"
        })
        .await?;
    resident.click("#tab-sync").await?;
    resident.click("#sync-now").await?;
    // Her ballot redraws the coordinator's round: what he ticked stays.
    coordinator
        .text_when("#round-count", "her ballot held", |t| {
            t.contains("1 ballot (0 on paper)")
        })
        .await?;
    coordinator
        .text_when("#ballot-total", "his ticks kept", |t| {
            t == "1 ticked: 25,000 kr. of the 50,000 kr. budget"
        })
        .await?;
    coordinator.click("#ballot-cast").await?;
    coordinator
        .text_when("#toast", "the ballot saved", |t| {
            t == "Your ballot is saved"
        })
        .await?;
    coordinator
        .text_when("#round-count", "both ballots held", |t| {
            t.contains("2 ballots (0 on paper)")
        })
        .await?;
    // Zainab, who has a member card and no phone, votes on paper for the
    // benches: her card read from a picture names her.
    coordinator.click("#paper-ballot summary").await?;
    coordinator
        .upload("#paper-card-image", &card_picture)
        .await?;
    coordinator
        .value_when("#paper-voter", "her card read", |v| v.starts_with("nabo:"))
        .await?;
    coordinator
        .click("#paper-ballot .ballot-choice:nth-of-type(1) .ballot-box")
        .await?;
    coordinator.audit("entering a paper ballot").await?;
    coordinator.click("#paper-enter").await?;
    coordinator
        .text_when("#toast", "her paper ballot entered", |t| {
            t == "The paper ballot of Zainab is entered"
        })
        .await?;
    coordinator
        .text_when("#round-count", "her paper ballot held", |t| {
            t.contains("3 ballots (1 on paper)")
        })
        .await?;
    // Sara hands in a paper ballot too, for the lights, chosen by name: it
    // counts instead of her phone's, and the review queue says so. (The
    // form stays open while the screen is drawn again.)
    coordinator.find("#paper-ballot[open]").await?;
    coordinator.choose("#paper-member", "Sara").await?;
    coordinator
        .click("#paper-ballot .ballot-choice:nth-of-type(2) .ballot-box")
        .await?;
    coordinator.click("#paper-enter").await?;
    coordinator
        .text_when("#toast", "her own paper ballot entered", |t| {
            t == "The paper ballot of Sara is entered"
        })
        .await?;
    coordinator
        .text_when(
            "#round-count",
            "a paper ballot instead of a phone one",
            |t| t.contains("3 ballots (2 on paper)"),
        )
        .await?;
    // A neighbour who is not a member votes on a printed paper ballot with
    // its own one-time code: the coordinator prints them, enters the
    // filled-in one by its code, and entering it again asks first.
    coordinator.click("#census-ballots summary").await?;
    coordinator.type_into("#census-count", "2").await?;
    coordinator.click("#census-print").await?;
    let printed = coordinator
        .text_when("#round-status", "the paper ballots saved", |t| {
            t.starts_with("2 paper ballots are saved: ") && t.ends_with(".pdf")
        })
        .await?;
    let pdf = std::fs::read(printed.trim_start_matches("2 paper ballots are saved: "))?;
    assert!(pdf.starts_with(b"%PDF"), "a PDF of paper ballots");
    coordinator.click("#census-codes summary").await?;
    let code = coordinator
        .text_when("#census-codes li", "the first code", |t| t.len() == 11)
        .await?;
    coordinator
        .audit("printing paper ballots with codes")
        .await?;
    coordinator
        .type_into("#paper-voter", &code.to_lowercase())
        .await?;
    coordinator
        .click("#paper-ballot .ballot-choice:nth-of-type(2) .ballot-box")
        .await?;
    coordinator.click("#paper-enter").await?;
    coordinator
        .text_when("#toast", "the coded paper ballot entered", |t| {
            t == format!("The paper ballot with code {code} is entered")
        })
        .await?;
    coordinator
        .text_when(
            "#round-count",
            "a ballot of a neighbour who is not a member",
            |t| t.contains("4 ballots (3 on paper)"),
        )
        .await?;
    coordinator.gone("#toast", "the toast").await?;
    coordinator.type_into("#paper-voter", &code).await?;
    coordinator
        .click("#paper-ballot .ballot-choice:nth-of-type(2) .ballot-box")
        .await?;
    coordinator.click("#paper-enter").await?;
    coordinator.accept_question().await?;
    coordinator
        .text_when("#toast", "the correction entered", |t| {
            t == format!("The paper ballot with code {code} is entered")
        })
        .await?;
    coordinator
        .text_when("#round-count", "still one ballot for the code", |t| {
            t.contains("4 ballots (3 on paper)")
        })
        .await?;
    coordinator.click("#round-close").await?;
    coordinator.accept_question().await?;
    coordinator
        .text_when("#round-summary", "the round counted", |t| {
            t.ends_with("Now: Result.")
        })
        .await?;
    let equal = coordinator
        .text_when(
            "#budget-equal-shares",
            "equal shares funding the lights",
            |t| t.contains("Lights on the path"),
        )
        .await?;
    assert!(!equal.contains("Benches"), "{equal}");
    coordinator
        .text_when("#budget-summary", "the count in a sentence", |t| {
            t == "Solhøj 2027: 50,000 DKK to share, 4 ballots, 2 proposals."
        })
        .await?;
    // A chart of the votes, coloured by which rule funds each, with its
    // legend in words.
    coordinator.find("#budget-chart svg rect").await?;
    coordinator
        .text_when("#budget-chart figcaption", "the chart's legend", |t| {
            t.contains("Funded by both rules") && t.contains("Not funded")
        })
        .await?;
    coordinator.audit("a counted round").await?;
    // Saved as a pabulib file that reads back as the same outcome.
    coordinator.click("#round-export").await?;
    let saved = coordinator
        .text_when("#round-status", "where the ballot file went", |t| {
            t.starts_with("Saved: ") && t.contains(".pb")
        })
        .await?;
    let path = saved
        .trim_start_matches("Saved: ")
        .split(". Tools")
        .next()
        .context("a path")?;
    let exported = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
    let back = nabo_shared::budget::report::report_file(exported.as_bytes())
        .map_err(|e| anyhow::anyhow!("the exported file: {e:?}"))?;
    assert_eq!((back.voters, back.projects.len()), (4, 2), "{exported}");
    assert_eq!(exported.matches(";paper").count(), 3, "{exported}");
    assert!(exported.contains("voting_method"), "{exported}");
    resident.click("#sync-now").await?;
    resident
        .text_when("#sync-result", "the sync with the count", |t| {
            t.contains("Sync complete")
        })
        .await?;
    resident.click("#open-settings").await?;
    resident.click("#open-rounds").await?;
    resident.click("#rounds .round-open").await?;
    resident
        .text_when(
            "#budget-equal-shares",
            "the same result on her phone",
            |t| t.contains("Lights on the path") && !t.contains("Benches"),
        )
        .await?;
    resident.click("#close-round").await?;
    resident.find("#rounds").await?;
    coordinator.click("#close-round").await?;

    // The quick-grants pool: Sara sets it up with herself and Amina on the
    // panel and applies for the youth club; Amina grants it from her
    // points screen; Sara says no to Amina's own application, with why;
    // Sara records the payment, and both see the same account.
    coordinator.click("#open-pool").await?;
    coordinator.find("#pool-empty").await?;
    coordinator.type_into("#pool-amount", "20000").await?;
    coordinator.type_into("#pool-cap", "50000").await?;
    coordinator
        .click("input.pool-panel-member[data-name='Sara']")
        .await?;
    coordinator
        .click("input.pool-panel-member[data-name='Amina']")
        .await?;
    coordinator
        .audit("setting up the quick-grants pool")
        .await?;
    coordinator.click("#pool-save").await?;
    coordinator
        .text_when("#pool-cap-error", "a cap above the pool", |t| {
            t.contains("The most per application")
        })
        .await?;
    coordinator.type_into("#pool-cap", "5000").await?;
    coordinator.click("#pool-save").await?;
    coordinator
        .text_when("#pool-panel", "the panel", |t| t == "Panel: Sara, Amina")
        .await?;
    coordinator.click("#pool-apply").await?;
    coordinator
        .type_into("#application-title", "Football goals")
        .await?;
    coordinator
        .type_into("#application-description", "Two small goals for the yard.")
        .await?;
    coordinator.type_into("#application-cost", "4000").await?;
    coordinator
        .type_into("#application-recipient", "Youth club Solhøj")
        .await?;
    coordinator.audit("applying for a quick grant").await?;
    coordinator.click("#application-save").await?;
    coordinator
        .text_when("#applications", "his application waiting", |t| {
            t.contains("Football goals") && t.contains("Waiting for the panel.")
        })
        .await?;
    resident.click("#tab-sync").await?;
    resident.click("#sync-now").await?;
    resident
        .text_when("#sync-result", "the sync with the pool", |t| {
            t.contains("Sync complete")
        })
        .await?;
    resident.click("#tab-wallet").await?;
    resident
        .text_when(
            "#pool-waiting",
            "a vote waiting on her points screen",
            |t| t.contains("An application is waiting for your vote"),
        )
        .await?;
    resident.click("#pool-waiting button").await?;
    resident
        .text_when("#applications", "the application to vote on", |t| {
            t.contains("Football goals") && t.contains("asked by Sara")
        })
        .await?;
    x11_screenshot_at(display, &shots.join("resident-grant-en.png"), 440)?;
    resident
        .audit("a quick-grant application to vote on")
        .await?;
    resident.click(".application .vote-yes").await?;
    resident
        .text_when(".application .application-status", "granted", |t| {
            t.starts_with("Granted.")
        })
        .await?;
    // Her own application: more than the cap is refused, in words.
    resident.click("#pool-apply").await?;
    resident
        .type_into("#application-title", "Paint for the bench")
        .await?;
    resident
        .type_into("#application-description", "The bench by the door is grey.")
        .await?;
    resident.type_into("#application-cost", "6000").await?;
    resident
        .type_into("#application-recipient", "Residents' association")
        .await?;
    resident.click("#application-save").await?;
    resident
        .text_when("#pool-status", "the cap said", |t| {
            t.contains("at most 5,000 kr.")
        })
        .await?;
    resident.type_into("#application-cost", "1500").await?;
    resident.click("#application-save").await?;
    resident
        .text_when("#applications", "her application listed", |t| {
            t.contains("Paint for the bench")
        })
        .await?;
    resident.click("#tab-sync").await?;
    resident.click("#sync-now").await?;
    coordinator
        .text_when("#applications", "her application and his grant", |t| {
            t.contains("Paint for the bench") && t.contains("Amina said yes")
        })
        .await?;
    // Were the pool smaller than what she asks, the panel would see it
    // before voting (a warning: panels decide offline, on several phones).
    coordinator.click("#pool-change").await?;
    coordinator.type_into("#pool-amount", "5000").await?;
    coordinator.click("#pool-save").await?;
    coordinator
        .text_when(
            ".application[data-decision='pending'] .application-over",
            "the pool too small for her application",
            |t| t == "It asks more than the pool has left to grant (1,000 kr.).",
        )
        .await?;
    coordinator.click("#pool-change").await?;
    coordinator.type_into("#pool-amount", "20000").await?;
    coordinator.click("#pool-save").await?;
    coordinator
        .gone(
            ".application[data-decision='pending'] .application-over",
            "the warning, with the pool as it was",
        )
        .await?;
    coordinator
        .type_into(
            ".application[data-decision='pending'] .application-note",
            "We repaint all benches in spring",
        )
        .await?;
    coordinator
        .click(".application[data-decision='pending'] .vote-no")
        .await?;
    coordinator
        .text_when("#applications", "her application declined", |t| {
            t.contains("Not granted.")
                && t.contains("Sara said no: We repaint all benches in spring")
        })
        .await?;
    coordinator
        .text_when("#pool-left", "what is left to grant", |t| {
            t == "Left to grant: 16,000 kr."
        })
        .await?;
    // The payment: at most what was granted, then to whom and for what.
    coordinator.click("#pool-account").await?;
    coordinator
        .text_when("#account-lines", "the round and the pool", |t| {
            t.contains("Solhøj 2027") && t.contains("Quick grants") && t.contains("All together")
        })
        .await?;
    coordinator
        .click(".owed-line:last-child .record-payout")
        .await?;
    coordinator
        .value_when("#payout-amount", "what is left to pay", |v| v == "4000")
        .await?;
    coordinator.type_into("#payout-amount", "5000").await?;
    coordinator.click("#payout-save").await?;
    coordinator
        .text_when("#account-status", "no more than granted", |t| {
            t == "At most 4,000 kr. is left to pay for it."
        })
        .await?;
    coordinator.type_into("#payout-amount", "4000").await?;
    coordinator.type_into("#payout-note", "Invoice 17").await?;
    coordinator.click("#payout-save").await?;
    let paid = coordinator
        .text_when("#payouts", "the payment listed", |t| {
            t.contains("4,000 kr.") && t.contains("to Youth club Solhøj")
        })
        .await?;
    assert!(
        paid.contains("for Football goals") && paid.contains("recorded by Sara"),
        "{paid}"
    );
    coordinator.gone("#toast", "the payment's toast").await?;
    x11_screenshot(display, &shots.join("coordinator-account-en.png"))?;
    coordinator.audit("the budget account").await?;
    resident.click("#tab-sync").await?;
    resident.click("#sync-now").await?;
    resident
        .text_when("#sync-result", "the sync with the decision", |t| {
            t.contains("Sync complete")
        })
        .await?;
    resident.click("#open-settings").await?;
    resident.click("#open-rounds").await?;
    resident.click("#open-pool").await?;
    resident
        .text_when("#applications", "the no and why on her phone", |t| {
            t.contains("Sara said no: We repaint all benches in spring")
        })
        .await?;
    resident.click("#pool-account").await?;
    resident
        .text_when("#payouts", "the payment on her phone", |t| {
            t.contains("4,000 kr.") && t.contains("to Youth club Solhøj")
        })
        .await?;
    resident.audit("the budget account on a phone").await?;
    resident.click("#close-account").await?;
    resident.find("#rounds").await?;
    coordinator.click("#close-account").await?;

    // The neighbourhood budget: a ballot file's outcome by equal shares and
    // by most votes, side by side, each proposal explained; a tie the app's
    // order cannot settle is said; a broken file names its line.
    coordinator.click("#open-budget").await?;
    coordinator.find("#budget-file").await?;
    let gear = coordinator.attr("#open-settings", "class").await?;
    assert!(
        gear.contains("active"),
        "the budget screen is part of settings: {gear}"
    );
    let ballots = work.join("solhoj.pb");
    std::fs::write(
        &ballots,
        "META\nkey;value\ndescription;Solhøj 2027\ncurrency;DKK\nbudget;9000\n\
         PROJECTS\nproject_id;cost;name\n1;3000;Benches\n2;3000;Lights\n3;3000;Paint\n4;3000;Youth club\n\
         VOTES\nvoter_id;vote\na;1,2,3\nb;1,2,3\nc;4\n",
    )?;
    coordinator.upload("#budget-file", &ballots).await?;
    coordinator
        .text_when(
            "#budget-equal-shares",
            "equal shares funding the youth club",
            |t| t.contains("Youth club") && t.contains("Benches"),
        )
        .await?;
    let greedy = coordinator
        .text_when("#budget-greedy", "most votes funding the paint", |t| {
            t.contains("Paint")
        })
        .await?;
    assert!(!greedy.contains("Youth club"), "{greedy}");
    coordinator
        .text_when("#budget-projects", "why the paint is left out", |t| {
            t.contains("had only 0 DKK left")
                && t.contains("2 people who voted for it paid 1,500 DKK each")
                && t.contains("By most votes, only 0 DKK was left when its turn came")
        })
        .await?;
    coordinator
        .text_when("#budget-status", "the tie said", |t| {
            t.contains("Draw a lot")
        })
        .await?;
    coordinator
        .text_when("#budget-summary", "the round in a sentence", |t| {
            t == "Solhøj 2027: 9,000 DKK to share, 3 ballots, 4 proposals."
        })
        .await?;
    coordinator.gone("#toast", "the last toast").await?;
    x11_screenshot(display, &shots.join("coordinator-budget-en.png"))?;
    coordinator.audit("the budget outcome in English").await?;
    let broken = work.join("broken.pb");
    std::fs::write(
        &broken,
        "META\nkey;value\nbudget;90\nPROJECTS\nproject_id;cost\n1;thirty\n",
    )?;
    coordinator.upload("#budget-file", &broken).await?;
    coordinator
        .text_when("#budget-status", "the broken line named", |t| {
            t.contains("Line 6") && t.contains("\"thirty\" is not a number")
        })
        .await?;
    coordinator.click("#close-budget").await?;
    coordinator.find("#open-budget").await?;

    for (tab, ready, screen) in [
        ("#tab-activities", ".activity-card", "activities"),
        ("#tab-scan", "#scan-text", "check in"),
        ("#tab-members", "#member-list", "members"),
        ("#tab-sync", "#hub-toggle", "sync"),
        ("#tab-wallet", "#balance", "points"),
    ] {
        coordinator.click(tab).await?;
        coordinator.find(ready).await?;
        coordinator.audit(&format!("{screen} in English")).await?;
    }
    coordinator.click("#tab-members").await?;
    coordinator.click("#open-review").await?;
    coordinator.find("#queue").await?;
    coordinator
        .text_when("#queue", "the double vote and its rule", |t| {
            t.contains("Voted both on paper and by phone in Solhøj 2027. The paper ballot counts")
        })
        .await?;
    coordinator.audit("the review queue in English").await?;
    coordinator.click("#tab-activities").await?;
    coordinator.click(".activity-card .attendance").await?;
    coordinator.find("#attendance-list").await?;
    coordinator.audit("who came, in English").await?;
    coordinator.click("#close-attendance").await?;
    coordinator.click(".activity-card .show-qr").await?;
    coordinator.find("#checkin-qr svg").await?;
    coordinator.audit("the check-in code in English").await?;
    coordinator.click("#close-qr").await?;
    coordinator.click("#new-activity").await?;
    // A new activity offers the community's points per check-in (set to
    // 12 in the rules above).
    coordinator
        .value_when("#reward", "the community's 12 points offered", |v| {
            v == "12"
        })
        .await?;
    coordinator.click("#save-activity").await?;
    coordinator.find("#title-error").await?;
    coordinator.focused_is("title").await?;
    coordinator
        .audit("the editor with an error, in English")
        .await?;

    // The resident reads Nabo in Arabic, right to left.
    resident.click("#open-settings").await?;
    resident.choose("#lang-picker", "العربية").await?;
    resident.click("#tab-wallet").await?;
    let dir = resident
        .client
        .execute("return document.documentElement.dir", vec![])
        .await?;
    anyhow::ensure!(dir == json!("rtl"), "the page is not right to left: {dir}");
    resident
        .text_when("#balance", "the balance in Latin digits", |t| t == "54")
        .await?;
    x11_screenshot_at(display, &shots.join("resident-wallet-ar.png"), 440)?;
    resident.audit("points in Arabic").await?;
    // The counted round in Arabic, right to left.
    resident.click("#open-settings").await?;
    resident.click("#open-rounds").await?;
    resident.click("#rounds .round-open").await?;
    resident
        .text_when("#round-summary", "the round in Arabic", |t| {
            t.contains("للتوزيع") && t.contains("النتيجة")
        })
        .await?;
    resident.find("#budget-equal-shares").await?;
    resident.audit("a counted round in Arabic").await?;
    resident.click("#close-round").await?;
    resident.click("#close-rounds").await?;
    resident.choose("#lang-picker", "Dansk").await?;
    // And in Danish.
    resident.click("#open-rounds").await?;
    resident.click("#rounds .round-open").await?;
    resident
        .text_when("#round-summary", "the round in Danish", |t| {
            t.starts_with("50.000 kr. til fordeling") && t.ends_with("Nu: Resultat.")
        })
        .await?;
    resident.audit("a counted round in Danish").await?;
    resident.click("#close-round").await?;
    resident.click("#close-rounds").await?;

    // She leaves the neighbourhood (after a clear warning), tries the demo,
    // which says it is a demo, and leaves it again: back to the welcome.
    resident.click("#leave-community").await?;
    resident.accept_question().await?;
    resident.click("#choose-demo").await?;
    resident
        .text_when("#demo-banner", "the demo banner", |t| t.contains("demo"))
        .await?;
    resident.audit("the demo").await?;
    resident.click("#open-settings").await?;
    resident
        .text_when("#leave-community", "the way out of the demo", |t| {
            t.contains("Forlad demoen")
        })
        .await?;
    resident.click("#leave-community").await?;
    resident.accept_question().await?;
    resident.find("#choose-create").await?;

    // Say her phone was lost, and this is her new one: the coordinator
    // (in English now) blocks the old phone after a question and makes an
    // invitation for the new one on her page.
    coordinator.click("#tab-members").await?;
    coordinator
        .click("#member-list .member:has(.revoke) .member-name")
        .await?;
    coordinator
        .text_when("#device-list", "her one phone in use", |t| {
            t.contains("joined with") && t.contains("In use")
        })
        .await?;
    coordinator.click("#replace-device").await?;
    coordinator.accept_question().await?;
    coordinator
        .find("#replace-qr[data-code^='nabo:i2:'] svg")
        .await?;
    let renewal = coordinator.attr("#replace-qr", "data-code").await?;
    coordinator
        .text_when("#device-list", "the old phone blocked", |t| {
            t.contains("Blocked")
        })
        .await?;
    coordinator.audit("a member's phones").await?;
    // The new phone joins with it and syncs once: it is hers, with her
    // name, her 54 points and her history.
    resident.click("#choose-join").await?;
    resident.type_into("#invite-text", &renewal).await?;
    resident.type_into("#my-name", "Amina").await?;
    resident.click("#join-submit").await?;
    resident.find("#pending-banner").await?;
    resident.click("#tab-sync").await?;
    resident.type_into("#hub-code", &short_code).await?;
    resident.click("#pair-hub").await?;
    resident.find("#hub-paired").await?;
    resident.click("#sync-now").await?;
    resident
        .text_when("#sync-result", "the new phone's first sync", |t| {
            t.contains("Synkronisering færdig")
        })
        .await?;
    resident.click("#tab-wallet").await?;
    resident
        .text_when("#balance", "her points on the new phone", |t| t == "54")
        .await?;
    resident
        .text_when("#history", "her history on the new phone", |t| {
            t.contains("Lektiecafé")
        })
        .await?;
    resident.audit("points on a new phone").await?;
    coordinator
        .text_when("#device-list", "the new phone in use", |t| {
            t.contains("New phone") && t.contains("In use")
        })
        .await?;

    // She books a room at the community house with 20 points, by QR and
    // offline: the coordinator's device shows what is asked, her phone says
    // what her balance will be, she says yes and shows her payment, and the
    // coordinator's device takes it.
    coordinator.click("#close-history").await?;
    coordinator.click("#tab-wallet").await?;
    coordinator.type_into("#receive-amount", "20").await?;
    coordinator.click("#receive-submit").await?;
    coordinator.find("#receive-what-error").await?;
    coordinator.focused_is("receive-what").await?;
    coordinator
        .type_into("#receive-what", "Room booking")
        .await?;
    coordinator.click("#receive-submit").await?;
    coordinator
        .find("#payment-request-qr[data-code^='nabo:q2:'] svg")
        .await?;
    let asked = coordinator.attr("#payment-request-qr", "data-code").await?;
    coordinator.audit("taking points").await?;
    resident.click("#tab-scan").await?;
    resident.type_into("#scan-text", &asked).await?;
    resident.click("#scan-submit").await?;
    resident
        .text_when("#pay-panel", "what is asked and the balance after", |t| {
            t.contains("20 point for Room booking") && t.contains("54") && t.contains("34")
        })
        .await?;
    resident.audit("a payment asked").await?;
    x11_screenshot_at(display, &shots.join("resident-pay-da.png"), 440)?;
    resident.click("#pay-confirm").await?;
    resident
        .find("#payment-qr[data-code^='nabo:y3:'] svg")
        .await?;
    let payment = resident.attr("#payment-qr", "data-code").await?;
    resident.audit("a payment to show").await?;
    coordinator.click("#tab-scan").await?;
    coordinator.type_into("#scan-text", &payment).await?;
    coordinator.click("#scan-submit").await?;
    coordinator
        .text_when("#scan-result", "the receipt", |t| {
            t.contains("Received 20 points from Amina for Room booking")
        })
        .await?;
    coordinator.audit("a payment received").await?;
    resident.click("#tab-wallet").await?;
    resident
        .text_when("#balance", "her balance after paying", |t| t == "34")
        .await?;
    resident
        .text_when("#history", "the payment waiting for its payee", |t| {
            t.contains("Room booking") && t.contains("Venter på at Tingbjerg tager imod den")
        })
        .await?;
    // The community house took it: after a sync her line says so.
    resident.click("#tab-sync").await?;
    resident.click("#sync-now").await?;
    resident
        .text_when("#sync-result", "the sync after paying", |t| {
            t.contains("Synkronisering færdig")
        })
        .await?;
    resident.click("#tab-wallet").await?;
    resident
        .text_when("#history", "the payment in her history", |t| {
            t.contains("Room booking") && t.contains("Betalt til Tingbjerg")
        })
        .await?;
    resident
        .text_when("#balance", "her balance after the sync", |t| t == "34")
        .await?;

    // Zainab, who has no phone, buys a coffee at the community house with
    // her card: a picture of it, her PIN typed on the coordinator's device
    // (a wrong one first).
    coordinator.click("#tab-wallet").await?;
    coordinator.type_into("#receive-amount", "6").await?;
    coordinator.type_into("#receive-what", "Coffee").await?;
    coordinator.click("#receive-submit").await?;
    coordinator
        .find("#payment-request-qr[data-code^='nabo:q2:'] svg")
        .await?;
    coordinator.click("#card-pay summary").await?;
    coordinator.upload("#card-pay-image", &card_picture).await?;
    coordinator
        .value_when("#card-pay-text", "the card read from its picture", |v| {
            v.starts_with("nabo:m1:")
        })
        .await?;
    coordinator.type_into("#card-pay-pin", "000000").await?;
    coordinator.click("#card-pay-submit").await?;
    coordinator
        .text_when("#card-pay-result", "the wrong PIN", |t| {
            t.contains("Wrong PIN") && t.contains("4 tries left")
        })
        .await?;
    coordinator.type_into("#card-pay-pin", "246813").await?;
    coordinator.click("#card-pay-submit").await?;
    coordinator
        .text_when("#card-pay-result", "the card's payment", |t| {
            t.contains("Received 6 points from Zainab for Coffee")
        })
        .await?;
    coordinator.audit("a payment by member card").await?;
    Ok(())
}

/// A café joins as a partner in a third window, asks for points, and the
/// resident pays it by QR: the café's device takes the payment offline and
/// shows it in its takings at once; after both sync, the resident's
/// history and the coordinator's list of members show it too.
async fn a_partner_takes_a_payment(
    coordinator: &Window,
    resident: &Window,
    partner: &Window,
    work: &Path,
    shots: &Path,
    display: &str,
) -> Result<()> {
    // The café's window stands beside the resident's.
    partner.client.set_window_rect(860, 0, 420, 820).await?;
    coordinator.click("#tab-sync").await?;
    let short_code = coordinator
        .text_when("#hub-short-code", "the hub's short code", |t| {
            t.contains(':')
        })
        .await?;
    // The coordinator (in English) invites the café as a partner.
    coordinator.click("#tab-members").await?;
    coordinator.choose("#invite-role", "Partner").await?;
    coordinator
        .gone("#invite-qr", "the invitation shown for another role")
        .await?;
    coordinator.click("#show-invite").await?;
    coordinator
        .find("#invite-qr[data-code^='nabo:i2:']")
        .await?;
    let invite = coordinator.attr("#invite-qr", "data-code").await?;
    partner.click("#choose-join").await?;
    partner.type_into("#invite-text", &invite).await?;
    partner.type_into("#my-name", "Café Solhøj").await?;
    partner.click("#join-submit").await?;
    partner.find("#pending-banner").await?;
    partner.click("#tab-sync").await?;
    partner.type_into("#hub-code", &short_code).await?;
    partner.click("#pair-hub").await?;
    partner.find("#hub-paired").await?;
    partner.click("#sync-now").await?;
    partner
        .text_when("#sync-result", "the café's first sync", |t| {
            t.contains("Synkronisering færdig")
        })
        .await?;
    // Confirmed as a partner, it asks for 5 points for a coffee.
    partner.click("#tab-wallet").await?;
    partner.type_into("#receive-amount", "5").await?;
    partner.type_into("#receive-what", "Kaffe").await?;
    partner.click("#receive-submit").await?;
    partner
        .find("#payment-request-qr[data-code^='nabo:q2:'] svg")
        .await?;
    let asked = partner.attr("#payment-request-qr", "data-code").await?;
    partner.audit("a partner asking for points").await?;
    // Amina's phone has not synced since the café joined: the request
    // carries the café's membership, so it says at once who asks, what is
    // asked and what she keeps; she pays.
    resident.click("#tab-scan").await?;
    resident.type_into("#scan-text", &asked).await?;
    resident.click("#scan-submit").await?;
    resident
        .text_when("#pay-panel", "what the café asks", |t| {
            t.contains("Café Solhøj")
                && t.contains("5 point for Kaffe")
                && t.contains("34")
                && t.contains("29")
        })
        .await?;
    resident.click("#pay-confirm").await?;
    resident
        .find("#payment-qr[data-code^='nabo:y3:'] svg")
        .await?;
    let payment = resident.attr("#payment-qr", "data-code").await?;
    // The café's device reads her payment and gives a receipt, offline.
    // (Its scan screen is for codes of every kind; hers is for checking in.)
    partner.click("#tab-scan").await?;
    partner
        .text_when(".scan h2", "a scan screen that takes payments", |t| {
            t == "Skan en kode"
        })
        .await?;
    resident
        .text_when(".scan h2", "a resident's scan screen", |t| t == "Tjek ind")
        .await?;
    partner.type_into("#scan-text", &payment).await?;
    partner.click("#scan-submit").await?;
    partner
        .text_when("#scan-result", "the café's receipt", |t| {
            t.contains("Modtaget 5 point fra Amina for Kaffe")
        })
        .await?;
    partner.audit("a partner's receipt").await?;
    x11_screenshot_at(display, &shots.join("partner-receipt-da.png"), 860)?;
    partner.click("#tab-wallet").await?;
    partner
        .text_when("#balance", "the café's takings", |t| t == "5")
        .await?;
    partner
        .text_when("#history", "the payment in the café's takings", |t| {
            t.contains("Kaffe") && t.contains("Fra Amina")
        })
        .await?;
    partner.audit("a partner's takings").await?;
    // Zainab, who has no phone, pays the café 2 points with her card: its
    // device reads the card on its scan screen and takes her PIN there.
    partner.click("#tab-scan").await?;
    partner
        .upload("#scan-image", &work.join("card").with_extension("png"))
        .await?;
    partner
        .text_when("#card-desk-title", "whose card it is", |t| {
            t.contains("Zainab")
        })
        .await?;
    partner.type_into("#card-desk-amount", "2").await?;
    partner.type_into("#card-desk-what", "Te").await?;
    partner.type_into("#card-desk-pin", "246813").await?;
    partner.click("#card-desk-pay-submit").await?;
    partner
        .text_when(
            "#card-desk-result",
            "the card's payment at the café",
            |t| t.contains("Modtaget 2 point fra Zainab for Te"),
        )
        .await?;
    partner.audit("a card payment at a partner").await?;
    partner.click("#tab-wallet").await?;
    partner
        .text_when("#balance", "the café's takings with the card's", |t| {
            t == "7"
        })
        .await?;
    // Both sync at the community house.
    for (who, window) in [("the café", partner), ("Amina", resident)] {
        window.click("#tab-sync").await?;
        window.click("#sync-now").await?;
        window
            .text_when("#sync-result", who, |t| t.contains("Synkronisering færdig"))
            .await?;
    }
    resident.click("#tab-wallet").await?;
    resident
        .text_when("#history", "her payment to the café", |t| {
            t.contains("Kaffe") && t.contains("Betalt til Café Solhøj")
        })
        .await?;
    resident
        .text_when("#balance", "her balance after the café", |t| t == "29")
        .await?;
    coordinator
        .text_when("#member-list", "the café among the members", |t| {
            t.contains("Café Solhøj")
        })
        .await?;
    Ok(())
}

/// A sync file with an activity signed by a key that is no coordinator's,
/// for the community of `invite`.
fn forged_activity_file(invite: &str) -> Result<Vec<u8>> {
    use automerge::transaction::Transactable;
    use nabo_lib::engine::DocId;
    use nabo_shared::activities::{Activity, Repeat, Schedule};
    use nabo_shared::crypto::SigningKey;
    use nabo_shared::exchange::SyncFile;
    use nabo_shared::ids::ActivityId;
    use nabo_shared::scan::Scanned;
    use nabo_shared::signed::Signed;

    let Ok(Scanned::Invite(invite)) = Scanned::parse(invite) else {
        bail!("not an invite: {invite}");
    };
    let rogue = SigningKey::from_bytes(&[42; 32]);
    let id = ActivityId::from_bytes([42; 16]);
    let activity = Activity {
        id,
        community: invite.invite.community,
        title: "Gratis point".into(),
        description: String::new(),
        place: "Overalt".into(),
        schedule: Schedule {
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).context("a date")?,
            start: chrono::NaiveTime::from_hms_opt(10, 0, 0).context("a time")?,
            end: chrono::NaiveTime::from_hms_opt(11, 0, 0).context("a time")?,
            repeat: Repeat::Weekly,
            days: nabo_shared::activities::Weekdays::default(),
        },
        reward: 1000,
        daily_cap: None,
        archived: false,
        updated_at: chrono::Utc::now(),
    };
    let mut doc = automerge::AutoCommit::new();
    doc.put(
        automerge::ROOT,
        format!("activity/{id}"),
        Signed::seal(&rogue, &activity).to_bytes(),
    )?;
    Ok(SyncFile::seal(
        &rogue,
        invite.invite.community,
        nabo_shared::exchange::Recipient::Coordinators,
        vec![(
            DocId::community(invite.invite.community).to_string(),
            doc.save(),
        )],
    ))
}

/// axe-core's script, installed by `scripts/setup.sh` into the tools
/// cache.
fn axe_source() -> Result<String> {
    let tools = std::env::var_os("NABO_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/nabo/tools")
        });
    let path = tools.join("axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).with_context(|| {
        format!(
            "{} is missing: run scripts/setup.sh (the README's test command does)",
            path.display()
        )
    })
}

/// Where screenshots go: `NABO_SCREENSHOTS` (the README's pictures, see
/// `scripts/screenshots.sh`), else the target dir, so a test run leaves the
/// work tree as it found it.
fn screenshot_dir() -> PathBuf {
    std::env::var_os("NABO_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_profiles_check_in_and_exchange_in_real_windows() -> Result<()> {
    let work = tempfile::tempdir()?;
    let shots = screenshot_dir();
    std::fs::create_dir_all(&shots)?;
    eprintln!("screenshots go to {}", shots.display());
    let (_xvfb, display) = start_xvfb()?;
    eprintln!("Xvfb on {display}");
    let coordinator_driver = start_driver(&display, work.path(), "coordinator")?;
    let resident_driver = start_driver(&display, work.path(), "resident")?;
    let partner_driver = start_driver(&display, work.path(), "partner")?;

    let coordinator = Window::open(
        &coordinator_driver,
        "coordinator",
        &work.path().join("coordinator"),
    )
    .await?;
    let resident =
        match Window::open(&resident_driver, "resident", &work.path().join("resident")).await {
            Ok(w) => w,
            Err(e) => {
                let _ = coordinator.client.close().await;
                return Err(e);
            }
        };
    let mut result = scenario(&coordinator, &resident, work.path(), &shots, &display).await;
    // The partner's window opens last: until the resident's window stands
    // aside, a third would cover the coordinator's.
    let mut partner = None;
    if result.is_ok() {
        result = match Window::open(&partner_driver, "partner", &work.path().join("partner")).await
        {
            Ok(window) => {
                let done = a_partner_takes_a_payment(
                    &coordinator,
                    &resident,
                    &window,
                    work.path(),
                    &shots,
                    &display,
                )
                .await;
                partner = Some(window);
                done
            }
            Err(e) => Err(e),
        };
    }
    if let Err(e) = &result {
        eprintln!("scenario failed: {e:#}");
        let mut windows = vec![
            ("coordinator", &coordinator, &coordinator_driver),
            ("resident", &resident, &resident_driver),
        ];
        if let Some(window) = &partner {
            windows.push(("partner", window, &partner_driver));
        }
        for (name, window, driver) in windows {
            let shown = window
                .client
                .execute("return document.body.innerText", vec![])
                .await;
            eprintln!(
                "--- {name} shows:\n{}",
                shown
                    .map(|v| v.as_str().unwrap_or_default().to_owned())
                    .unwrap_or_default()
            );
            eprintln!(
                "--- {name} log:\n{}",
                std::fs::read_to_string(&driver.log).unwrap_or_default()
            );
        }
        let _ = x11_screenshot(&display, &work.path().join("failure.png"));
        eprintln!("failure screenshots kept in {}", work.keep().display());
    }
    // Close the sessions whatever happened, or the apps outlive the test
    // (dropping the drivers kills what is left).
    for window in [Some(coordinator), Some(resident), partner]
        .into_iter()
        .flatten()
    {
        let _ = tokio::time::timeout(Duration::from_secs(10), window.client.close()).await;
    }
    eprintln!("sessions closed");
    result
}
