//! The attack suite: what a member with a modified device tries, one test
//! per attack, on real SQLite files and loopback sockets. Each asserts the
//! refusal (or that the attempt changed nothing it should not) and that the
//! coordinator's review queue shows it.
//!
//! A modified device is simulated by writing into its store directly: a
//! change with the device's own Automerge actor (so it travels with its next
//! sync as if the app had made it), or a record signed with its own key.

mod support;

use support::{activity, tuesday as clock};

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc, ROOT};
use chrono::Duration;
use nabo_lib::engine::{Clock, DocId, Engine, EngineError, GateError, ManualClock, Refused};
use nabo_lib::net::sync::{self as live, Hub, SharedEngine};
use nabo_shared::activities::{CheckIn, ScanOutcome};
use nabo_shared::community::{CreateCommunity, JoinCommunity};
use nabo_shared::crypto::{MemberKey, SigningKey};
use nabo_shared::exchange::{Recipient, SyncFile, SyncFileProblem};
use nabo_shared::ids::{ActivityId, CheckinId};
use nabo_shared::members::Role;
use nabo_shared::review::ReviewReason;
use nabo_shared::signed::Signed;
use nabo_shared::sync::{PairingCode, Refusal};

/// A device of the test: its engine behind the lock the network uses, and
/// where its store is.
struct Device {
    engine: SharedEngine,
    path: PathBuf,
    clock: ManualClock,
}

impl Device {
    /// A new device whose signing key the test knows (`seed`), so the test
    /// can sign what a modified app would.
    fn with_key(
        dir: &Path,
        name: &str,
        clock: &ManualClock,
        seed: u8,
    ) -> Result<(Self, SigningKey)> {
        let path = dir.join(format!("{name}.sqlite3"));
        drop(Engine::open(&path, clock.clone())?);
        let key = SigningKey::from_bytes(&[seed; 32]);
        rusqlite::Connection::open(&path)?.execute(
            "UPDATE device SET secret = ?1 WHERE id = 1",
            [key.to_bytes().to_vec()],
        )?;
        let engine = Engine::open(&path, clock.clone())?;
        assert_eq!(engine.device_key(), MemberKey::of(&key));
        Ok((
            Self {
                engine: Arc::new(Mutex::new(engine)),
                path,
                clock: clock.clone(),
            },
            key,
        ))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Engine> {
        live::lock(&self.engine)
    }

    /// Changes one of its documents behind the app's back (see
    /// [`support::tamper`]), then restarts the app.
    fn tamper(
        &self,
        doc: &DocId,
        change: impl FnOnce(&mut AutoCommit) -> Result<()>,
    ) -> Result<()> {
        let me = self.lock().device_key();
        support::tamper(&self.path, &me, &doc.to_string(), change)?;
        let reopened = Engine::open(&self.path, self.clock.clone())?;
        *self.lock() = reopened;
        Ok(())
    }

    /// The bytes a document holds under a key now.
    fn value(&self, doc: &DocId, key: &str) -> Result<Vec<u8>> {
        let conn = rusqlite::Connection::open(&self.path)?;
        let chunks: Vec<Vec<u8>> = conn
            .prepare("SELECT bytes FROM doc_chunks WHERE doc_id = ?1 ORDER BY seq")?
            .query_map([doc.to_string()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let doc = AutoCommit::load(&chunks.concat())?;
        let (value, _) = doc.get(ROOT, key)?.context("no such key")?;
        Ok(value.as_bytes().context("not bytes")?.to_vec())
    }
}

/// A coordinator's hub with one activity (reward 10, no cap) and a resident
/// whose key the test knows, who joined and met the hub once.
struct Neighbourhood {
    _dir: tempfile::TempDir,
    hub: Device,
    phone: Device,
    phone_key: SigningKey,
    activity: ActivityId,
    code: PairingCode,
    _running: Hub,
}

async fn neighbourhood() -> Result<Neighbourhood> {
    let dir = tempfile::tempdir()?;
    let clock = clock();
    let (hub, _) = Device::with_key(dir.path(), "hub", &clock, 1)?;
    let activity = {
        let mut engine = hub.lock();
        engine.create_community(CreateCommunity {
            community_name: "Tingbjerg".into(),
            my_name: "Sara".into(),
        })?;
        engine
            .save_activity(support::activity("Lektiecafé", 10, None))?
            .id
    };
    let invite = hub.lock().invite_code(Role::Resident)?.encode();
    // The phone keeps its own time, which its owner may set anywhere.
    let phone_clock = ManualClock::at(clock.now());
    let (phone, phone_key) = Device::with_key(dir.path(), "phone", &phone_clock, 2)?;
    phone.lock().join_community(JoinCommunity {
        invite,
        my_name: "Amina".into(),
    })?;
    let running = Hub::start(
        hub.engine.clone(),
        "127.0.0.1:0".parse()?,
        live::no_events(),
    )
    .await?;
    let code = hub
        .lock()
        .pairing_code(vec!["127.0.0.1".parse()?], running.address().port())?;
    live::sync_with_hub(&phone.engine, &code, &live::no_events()).await?;
    Ok(Neighbourhood {
        _dir: dir,
        hub,
        phone,
        phone_key,
        activity,
        code,
        _running: running,
    })
}

/// The code of a payment a modified app signs with `payer` for a new
/// request of `cafe`'s for `amount`, dated `at` as the app chooses, with
/// the statement and voucher it chooses.
fn forged_payment(
    cafe: &Device,
    amount: u64,
    id: u8,
    payer: &SigningKey,
    at: chrono::DateTime<chrono::Utc>,
    statement: Option<&Signed<nabo_shared::rewards::payments::BalanceStatement>>,
    voucher: Option<&nabo_shared::rewards::payments::Voucher>,
) -> Result<String> {
    use nabo_shared::rewards::payments::{payment_for, payment_text};
    use nabo_shared::scan::Scanned;

    let request = cafe.lock().request_payment(amount, "Frokost")?.text;
    let Ok(Scanned::PaymentRequest(asked)) = Scanned::parse(&request) else {
        anyhow::bail!("not a request");
    };
    let payment = payment_for(
        &asked.request.value,
        nabo_shared::ids::EntryId::from_bytes([id; 16]),
        nabo_shared::rewards::ledger::Account::Member(MemberKey::of(payer)),
        at,
    );
    Ok(payment_text(
        &Signed::seal(payer, &payment),
        statement,
        voucher,
    ))
}

impl Neighbourhood {
    /// Amina checked in and synced, a café, and the coordinator's
    /// statement of her 10 points that her phone carries after one more
    /// sync.
    async fn stated_and_a_cafe(
        &self,
    ) -> Result<(
        Device,
        Signed<nabo_shared::rewards::payments::BalanceStatement>,
    )> {
        self.check_in()?;
        self.sync().await?;
        let (cafe, _) = self.cafe()?;
        self.hub.clock.advance(Duration::hours(2));
        self.sync().await?;
        let me = self.phone.lock().device_key();
        let statement: Vec<u8> = rusqlite::Connection::open(&self.phone.path)?.query_row(
            "SELECT bytes FROM statements WHERE member = ?1 ORDER BY issued_at DESC LIMIT 1",
            [me.to_hex()],
            |r| r.get(0),
        )?;
        Ok((cafe, Signed::from_bytes(&statement)?))
    }

    /// A café that joined as a partner, confirmed by the hub by sync file,
    /// with the key its device signs with.
    fn cafe(&self) -> Result<(Device, SigningKey)> {
        let (cafe, signing) = Device::with_key(self._dir.path(), "cafe", &self.hub.clock, 7)?;
        let invite = self.hub.lock().invite_code(Role::Partner)?.encode();
        cafe.lock().join_community(JoinCommunity {
            invite,
            my_name: "Café".into(),
        })?;
        let file = cafe.lock().export_sync(Recipient::Coordinators)?.bytes;
        self.hub.lock().import_sync(&file)?;
        let file = self
            .hub
            .lock()
            .export_sync(Recipient::Member(cafe.lock().device_key()))?
            .bytes;
        cafe.lock().import_sync(&file)?;
        Ok((cafe, signing))
    }

    async fn sync(&self) -> Result<()> {
        live::sync_with_hub(&self.phone.engine, &self.code, &live::no_events()).await?;
        Ok(())
    }

    fn check_in(&self) -> Result<CheckinId> {
        let code = self.hub.lock().checkin_code(self.activity)?.encode();
        match self.phone.lock().scan_text(&code)? {
            ScanOutcome::CheckedIn { checkin, .. } => Ok(checkin),
            other => anyhow::bail!("not checked in: {other:?}"),
        }
    }

    fn community(&self) -> Result<nabo_shared::ids::CommunityId> {
        Ok(self.hub.lock().community()?)
    }

    /// The reasons in the hub's review queue.
    /// Amina's balance on her own phone, and on the hub's list of members.
    fn amina_balance(&self) -> Result<(i64, i64)> {
        let phone = self.phone.lock().wallet()?.balance;
        let hub = self
            .hub
            .lock()
            .members()?
            .into_iter()
            .find(|m| m.name == "Amina")
            .context("listed")?
            .balance;
        Ok((phone, hub))
    }

    /// Amina earns 10 points, syncs twice (so her phone carries a
    /// statement of them) and buys a coffee for 4 at the community house,
    /// which takes it; returns the house's request and her payment, as
    /// taken.
    async fn coffee_at_the_house(
        &self,
    ) -> Result<(
        String,
        nabo_shared::signed::Verified<nabo_shared::rewards::ledger::Movement>,
    )> {
        self.check_in()?;
        self.sync().await?;
        self.hub.clock.advance(Duration::hours(2));
        self.sync().await?;
        let request = self.hub.lock().request_payment(4, "Kaffe")?.text;
        let paid = self.phone.lock().pay(&request)?.text;
        self.hub.lock().scan_text(&paid)?;
        self.sync().await?;
        assert_eq!(self.amina_balance()?, (6, 6));
        let Ok(nabo_shared::scan::Scanned::Payment(payment)) =
            nabo_shared::scan::Scanned::parse(&paid)
        else {
            anyhow::bail!("not a payment");
        };
        Ok((request, payment.payment))
    }

    fn review(&self) -> Result<Vec<ReviewReason>> {
        Ok(self
            .hub
            .lock()
            .review()?
            .into_iter()
            .map(|i| i.reason)
            .collect())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_revocation_still_revokes() -> Result<()> {
    let n = neighbourhood().await?;
    let phone = n.phone.lock().device_key();
    n.hub.lock().revoke_member(&phone.key_id().to_string())?;
    // The phone learns of its revocation by a file, and its modified app
    // deletes the record and sends its document back by file.
    let file = n.hub.lock().export_sync(Recipient::Member(phone))?.bytes;
    n.phone.lock().import_sync(&file)?;
    let community = DocId::community(n.community()?);
    n.phone.tamper(&community, |doc| {
        doc.delete(ROOT, format!("revoked/{}", phone.to_hex()))?;
        Ok(())
    })?;
    let file = n.phone.lock().export_sync(Recipient::Coordinators)?.bytes;
    n.hub.lock().import_sync(&file)?;

    let id = n.community()?;
    let gate = n.hub.lock().admit(&id, &phone, &[]);
    assert!(
        matches!(gate, Err(GateError::Refused(Refusal::Revoked))),
        "{gate:?}"
    );
    let queue = n.hub.lock().review()?;
    let erased = queue
        .iter()
        .find(|i| i.reason == ReviewReason::Erased)
        .expect("the delete is in the review queue");
    assert_eq!(
        erased.from.as_ref().and_then(|p| p.name.as_deref()),
        Some("Amina")
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_version_put_back_changes_nothing() -> Result<()> {
    let n = neighbourhood().await?;
    let community = DocId::community(n.community()?);
    let key = format!("activity/{}", n.activity);
    let first = n.phone.value(&community, &key)?;
    // The coordinator doubles the reward; the phone learns of it.
    n.hub.clock.advance(Duration::minutes(1));
    let mut edit = activity("Lektiecafé", 20, None);
    edit.id = Some(n.activity);
    n.hub.lock().save_activity(edit)?;
    n.sync().await?;
    // The phone's modified app puts the first version back and syncs.
    n.phone.tamper(&community, |doc| {
        doc.put(ROOT, key.as_str(), first.clone())?;
        Ok(())
    })?;
    n.sync().await?;

    for device in [&n.hub, &n.phone] {
        let reward = device.lock().list_activities()?[0].reward;
        assert_eq!(reward, 20, "the newest version counts");
    }
    assert!(n.review()?.contains(&ReviewReason::PutBack));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_check_in_and_signing_it_again_earns_nothing_more() -> Result<()> {
    let n = neighbourhood().await?;
    let first = n.check_in()?;
    n.sync().await?;
    assert_eq!(n.phone.lock().wallet()?.balance, 10);

    // The modified app deletes its check-in and signs a new one with the
    // same scanned code, a minute later the same day.
    let phone = n.phone.lock().device_key();
    let at = n.phone.clock.now();
    let doc = DocId::checkins(n.community()?, &phone, at);
    let old: Signed<CheckIn> =
        Signed::from_bytes(&n.phone.value(&doc, &format!("checkin/{first}"))?)?;
    let mut again = old.open()?.value;
    again.id = CheckinId::from_bytes([77; 16]);
    again.at += Duration::minutes(1);
    let signed = Signed::seal(&n.phone_key, &again);
    n.phone.tamper(&doc, |d| {
        d.delete(ROOT, format!("checkin/{first}"))?;
        d.put(ROOT, format!("checkin/{}", again.id), signed.to_bytes())?;
        Ok(())
    })?;
    n.sync().await?;

    assert_eq!(
        n.phone.lock().wallet()?.balance,
        10,
        "the deleted check-in still counts, so the new one is a repeat"
    );
    let members = n.hub.lock().members()?;
    let amina = members
        .iter()
        .find(|m| m.name == "Amina")
        .context("listed")?;
    assert_eq!(amina.balance, 10);
    assert!(n.review()?.contains(&ReviewReason::Erased));
    Ok(())
}

/// A rebuild checks signatures on a second thread: a value whose signature
/// is broken is refused there as it was when it arrived.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_with_a_broken_signature_stays_refused_through_a_rebuild() -> Result<()> {
    let n = neighbourhood().await?;
    let first = n.check_in()?;
    n.sync().await?;
    // The modified app copies its check-in to a new id and another
    // activity's time, and sends it with one bit of the signature flipped.
    let phone = n.phone.lock().device_key();
    let doc = DocId::checkins(n.community()?, &phone, n.phone.clock.now());
    let old: Signed<CheckIn> =
        Signed::from_bytes(&n.phone.value(&doc, &format!("checkin/{first}"))?)?;
    let mut copy = old.open()?.value;
    copy.id = CheckinId::from_bytes([78; 16]);
    let mut bytes = Signed::seal(&n.phone_key, &copy).to_bytes();
    *bytes.last_mut().context("a signature")? ^= 1;
    n.phone.tamper(&doc, |d| {
        d.put(ROOT, format!("checkin/{}", copy.id), bytes)?;
        Ok(())
    })?;
    n.sync().await?;
    let before = n.hub.lock().projection_dump()?;
    assert!(
        before
            .iter()
            .any(|row| row.starts_with("rejected:") && row.contains("bad_signature")),
        "{before:#?}"
    );
    n.hub.lock().rebuild_projection()?;
    assert_eq!(n.hub.lock().projection_dump()?, before);
    assert_eq!(n.amina_balance()?.1, 10);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_in_answered_for_one_activity_is_not_moved_to_another_by_a_later_version(
) -> Result<()> {
    let n = neighbourhood().await?;
    let spisning = n
        .hub
        .lock()
        .save_activity(activity("Fællesspisning", 5, None))?
        .id;
    let first = n.check_in()?;
    n.sync().await?;
    assert_eq!(n.amina_balance()?, (10, 10));
    // The modified app signs another version of the rewarded check-in, under
    // its id, for the other activity (with a real code for it) and a minute
    // earlier, so that by time it would sort first.
    let phone = n.phone.lock().device_key();
    let doc = DocId::checkins(n.community()?, &phone, n.phone.clock.now());
    let key = format!("checkin/{first}");
    let old: Signed<CheckIn> = Signed::from_bytes(&n.phone.value(&doc, &key)?)?;
    let mut moved = old.open()?.value;
    moved.activity = spisning;
    moved.code = n.hub.lock().checkin_code(spisning)?;
    moved.at -= Duration::minutes(1);
    let bytes = Signed::seal(&n.phone_key, &moved).to_bytes();
    n.phone.tamper(&doc, |d| {
        d.put(ROOT, key.clone(), bytes)?;
        Ok(())
    })?;
    n.sync().await?;
    // The coordinator's reward named the first activity: the check-in stays
    // there, and is not counted under the other as well.
    let hub = n.hub.lock();
    let came =
        |activity| -> Result<u64> { Ok(hub.activity_attendance(activity, 100)?.checkins.into()) };
    assert_eq!((came(n.activity)?, came(spisning)?), (1, 0));
    let today: Vec<(ActivityId, u32)> = hub
        .list_activities()?
        .into_iter()
        .map(|a| (a.id, a.checkins_today))
        .collect();
    assert!(
        today.contains(&(n.activity, 1)) && today.contains(&(spisning, 0)),
        "{today:?}"
    );
    let lines = hub.member_history(&phone.key_id().to_string())?.history;
    assert!(
        lines.iter().all(|l| l.title != "Fællesspisning"),
        "{lines:#?}"
    );
    drop(hub);
    assert_eq!(n.amina_balance()?, (10, 10));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_in_signed_for_someone_else_or_with_ones_own_code_earns_nothing() -> Result<()> {
    use nabo_shared::activities::CheckinCode;
    use nabo_shared::review::RecordProblem;

    let n = neighbourhood().await?;
    n.check_in()?;
    n.sync().await?;
    // Zainab has a member card and no phone; only a coordinator's device
    // checks her in.
    let card = n
        .hub
        .lock()
        .enrol_card("Zainab", "246813", &Default::default())?;
    n.sync().await?;

    // Amina's modified app signs, with a code of its own making, a check-in
    // for Zainab (as a coordinator's device does for a card holder) and one
    // for herself, in her own check-in document: the only one it may share.
    // The next day, so a check-in of hers would not be a repeat.
    n.hub.clock.advance(Duration::days(1));
    n.phone.clock.advance(Duration::days(1));
    let community = n.community()?;
    let phone = n.phone.lock().device_key();
    let at = n.phone.clock.now();
    let doc = DocId::checkins(community, &phone, at);
    let forge = |id: u8, member: MemberKey| {
        Signed::seal(
            &n.phone_key,
            &CheckIn {
                id: CheckinId::from_bytes([id; 16]),
                community,
                activity: n.activity,
                member,
                at,
                code: CheckinCode::issue(&n.phone_key, community, n.activity, at),
            },
        )
    };
    let for_zainab = forge(81, card.member);
    let for_herself = forge(82, phone);
    n.phone.tamper(&doc, |d| {
        for (id, signed) in [(81, &for_zainab), (82, &for_herself)] {
            let key = format!("checkin/{}", CheckinId::from_bytes([id; 16]));
            d.put(ROOT, key, signed.to_bytes())?;
        }
        Ok(())
    })?;
    n.sync().await?;

    assert_eq!(n.amina_balance()?, (10, 10), "her own code pays nothing");
    let zainab = n
        .hub
        .lock()
        .members()?
        .into_iter()
        .find(|m| m.name == "Zainab")
        .context("listed")?;
    assert_eq!(zainab.balance, 0, "nor does a check-in signed for her");
    assert!(
        n.review()?.contains(&ReviewReason::Refused {
            problem: RecordProblem::Misplaced
        }),
        "{:?}",
        n.review()?
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poster_check_in_passed_off_as_a_rotating_one_earns_nothing() -> Result<()> {
    use nabo_shared::activities::code::{window_of, CheckinQrCode};
    use nabo_shared::activities::CheckinCode;

    let n = neighbourhood().await?;
    // The poster on the door: the hub's standing code (the test knows the
    // hub's key, seed 1).
    let hub_key = SigningKey::from_bytes(&[1; 32]);
    let poster = CheckinCode::standing(&hub_key, n.community()?, n.activity);
    let text = CheckinQrCode::labelled(&hub_key, poster, "Lektiecafé", 10).encode();
    let ScanOutcome::CheckedIn {
        checkin: first,
        needs_approval: true,
        ..
    } = n.phone.lock().scan_text(&text)?
    else {
        anyhow::bail!("a poster checks in, waiting for approval");
    };

    // The modified app deletes that check-in and signs one whose code names
    // the current window instead, so it would not look like a poster's.
    let phone = n.phone.lock().device_key();
    let doc = DocId::checkins(n.community()?, &phone, n.phone.clock.now());
    let old: Signed<CheckIn> =
        Signed::from_bytes(&n.phone.value(&doc, &format!("checkin/{first}"))?)?;
    let mut dressed = old.open()?.value;
    dressed.id = CheckinId::from_bytes([78; 16]);
    dressed.code.window = window_of(dressed.at);
    let signed = Signed::seal(&n.phone_key, &dressed);
    n.phone.tamper(&doc, |d| {
        d.delete(ROOT, format!("checkin/{first}"))?;
        d.put(ROOT, format!("checkin/{}", dressed.id), signed.to_bytes())?;
        Ok(())
    })?;
    n.sync().await?;

    assert_eq!(
        n.phone.lock().wallet()?.balance,
        0,
        "the altered code does not verify, and the poster's waits"
    );
    let queue = n.review()?;
    assert!(queue.contains(&ReviewReason::Erased));
    assert!(
        queue
            .iter()
            .any(|r| matches!(r, ReviewReason::PosterCheckin { .. })),
        "the deleted poster check-in still waits for a human: {queue:?}"
    );
    Ok(())
}

/// Two answers to one check-in under its id: whichever was issued first
/// counts on the hub, whether her account is judged
/// alone or with everyone's, and on a store made before the engine kept
/// the ids with more than one entry (`ledger_versions`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_answers_to_one_check_in_the_first_issued_counts_however_it_is_judged() -> Result<()>
{
    use nabo_shared::ids::EntryId;
    use nabo_shared::rewards::{EntryReason, LedgerEntry};

    let n = neighbourhood().await?;
    let checkin = n.check_in()?;
    n.sync().await?;
    assert_eq!(n.amina_balance()?, (10, 10));
    // A second coordinator's device (here: the hub's key, a restored copy
    // of its store) had declined the check-in a minute before the reward
    // was issued; the decline reaches her phone and, from it, the hub.
    let me = n.phone.lock().device_key();
    let id = EntryId::reward_for(checkin);
    let doc = DocId::ledger(n.community()?, &me, n.phone.clock.now());
    let reward: Signed<LedgerEntry> =
        Signed::from_bytes(&n.phone.value(&doc, &format!("reward/{id}"))?)?;
    let reward = reward.open()?.value;
    let EntryReason::CheckIn { activity, .. } = reward.reason else {
        anyhow::bail!("a reward: {reward:?}");
    };
    let decline = LedgerEntry {
        amount: 0,
        reason: EntryReason::Declined {
            checkin,
            activity,
            reason: "Ikke mødt op".into(),
        },
        issued_at: reward.issued_at - Duration::minutes(1),
        ..reward
    };
    let signed = Signed::seal(&SigningKey::from_bytes(&[1; 32]), &decline);
    n.phone.tamper(&doc, |d| {
        d.put(ROOT, format!("reward/{id}"), signed.to_bytes())?;
        Ok(())
    })?;
    n.sync().await?;
    // (Her own phone wrote it behind its app's back, so only the hub has
    // projected it.)
    assert_eq!(n.amina_balance()?.1, 0, "the decline was issued first");
    let came = n.hub.lock().activity_attendance(n.activity, 100)?.rows;
    assert_eq!(came.len(), 1);
    assert_eq!(
        (came[0].status, came[0].amount),
        (nabo_shared::rewards::LineStatus::Declined, 0)
    );
    let (kept, afresh) = n.hub.lock().accounts_kept_and_afresh()?;
    assert_eq!(kept, afresh);

    // The same hub store as an older version left it: without the table,
    // which opening fills from the ledger.
    rusqlite::Connection::open(&n.hub.path)?.execute_batch("DROP TABLE ledger_versions")?;
    *n.hub.lock() = Engine::open(&n.hub.path, n.hub.clock.clone())?;
    // A correction moves her account: it is judged again from her rows.
    n.hub
        .lock()
        .correct_points(&me.key_id().to_string(), 1, "Rettelse")?;
    assert_eq!(n.amina_balance()?.1, 1, "the reward still does not count");
    let (kept, afresh) = n.hub.lock().accounts_kept_and_afresh()?;
    assert_eq!(kept, afresh);

    // A rebuild lists the id again once every entry is back (it builds
    // the list after the last row, not as each arrives).
    n.hub.lock().rebuild_projection()?;
    n.hub
        .lock()
        .correct_points(&me.key_id().to_string(), 1, "Rettelse")?;
    assert_eq!(
        n.amina_balance()?.1,
        2,
        "the reward counts for nothing after a rebuild too"
    );
    let (kept, afresh) = n.hub.lock().accounts_kept_and_afresh()?;
    assert_eq!(kept, afresh);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_who_signs_a_correction_to_herself_gets_nothing() -> Result<()> {
    use nabo_shared::ids::EntryId;
    use nabo_shared::rewards::ledger::{Account, Movement, Reason};

    let n = neighbourhood().await?;
    // A check-in rewarded, so her phone holds this month's ledger document.
    n.check_in()?;
    n.sync().await?;
    // The hub has judged her account and its queue already: what arrives
    // next is looked at on its own (the verdicts are kept between calls).
    assert_eq!(n.amina_balance()?, (10, 10));
    let entitled = |queue: &[ReviewReason]| {
        !queue
            .iter()
            .any(|r| matches!(r, ReviewReason::NotEntitled { .. }))
    };
    assert!(entitled(&n.review()?), "{:?}", n.review()?);
    let me = n.phone.lock().device_key();
    let at = n.phone.clock.now();
    let gift = Movement {
        id: EntryId::from_bytes([66; 16]),
        community: n.community()?,
        from: Account::Community,
        to: Account::Member(me),
        amount: 5000,
        reason: Reason::Correction {
            note: "Til mig selv".into(),
            corrects: None,
        },
        at,
    };
    let signed = Signed::seal(&n.phone_key, &gift);
    let doc = DocId::ledger(n.community()?, &me, at);
    n.phone.tamper(&doc, |d| {
        d.put(ROOT, format!("movement/{}", gift.id), signed.to_bytes())?;
        Ok(())
    })?;
    n.sync().await?;
    assert_eq!(
        n.amina_balance()?,
        (10, 10),
        "not money on her own phone, nor on the hub"
    );
    assert!(
        n.review()?.iter().any(|r| matches!(
            r,
            ReviewReason::NotEntitled {
                needs: nabo_shared::review::Writer::Coordinator
            }
        )),
        "the coordinator sees who tried: {:?}",
        n.review()?
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_who_links_a_second_phone_of_her_own_making_gets_nothing() -> Result<()> {
    use nabo_shared::members::devices::{DeviceLink, DeviceRetirement};

    let n = neighbourhood().await?;
    n.check_in()?;
    n.sync().await?;
    let me = n.phone.lock().device_key();
    let hub = n.hub.lock().device_key();
    let extra = SigningKey::from_bytes(&[77; 32]);
    let extra_key = MemberKey::of(&extra);
    let at = n.phone.clock.now();
    // She signs a link of a key she made to herself, and a retirement of
    // the coordinator's device.
    let link = Signed::seal(
        &n.phone_key,
        &DeviceLink {
            community: n.community()?,
            member: me,
            device: extra_key,
            issued_at: at,
        },
    );
    let retire = Signed::seal(
        &n.phone_key,
        &DeviceRetirement {
            community: n.community()?,
            member: hub,
            device: hub,
            issued_at: at,
        },
    );
    let doc = DocId::community(n.community()?);
    n.phone.tamper(&doc, |d| {
        d.put(
            ROOT,
            format!("device/{}", extra_key.to_hex()),
            link.to_bytes(),
        )?;
        d.put(
            ROOT,
            format!("retired-device/{}", hub.to_hex()),
            retire.to_bytes(),
        )?;
        Ok(())
    })?;
    n.sync().await?;
    let community = n.community()?;
    assert!(
        n.hub.lock().admit(&community, &extra_key, &[]).is_err(),
        "the made-up phone is no member's"
    );
    assert!(n.hub.lock().admit(&community, &hub, &[]).is_ok());
    let members = n.hub.lock().members()?;
    let amina = members
        .iter()
        .find(|m| m.name == "Amina")
        .context("Amina")?;
    assert_eq!(amina.devices.len(), 1, "{:?}", amina.devices);
    let entitled = n
        .review()?
        .iter()
        .filter(|r| {
            matches!(
                r,
                ReviewReason::NotEntitled {
                    needs: nabo_shared::review::Writer::Coordinator
                }
            )
        })
        .count();
    assert_eq!(entitled, 2, "the coordinator sees both: {:?}", n.review()?);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payments_signed_for_someone_else_or_to_a_non_partner_move_nothing() -> Result<()> {
    use nabo_shared::ids::EntryId;
    use nabo_shared::rewards::ledger::{Account, Movement, Reason};
    use nabo_shared::rewards::payments::PaymentProblem;

    let n = neighbourhood().await?;
    n.check_in()?;
    n.sync().await?;
    let (cafe, cafe_signing) = n.cafe()?;
    n.sync().await?;
    let (me, cafe_key, hub_key) = (
        n.phone.lock().device_key(),
        cafe.lock().device_key(),
        n.hub.lock().device_key(),
    );
    let at = n.phone.clock.now();
    let pay = |id: u8, from, to, signer: &SigningKey| {
        let m = Movement {
            id: EntryId::from_bytes([id; 16]),
            community: n.community().unwrap(),
            from,
            to,
            amount: 5,
            reason: Reason::Payment {
                reference: [id; 16],
                what: "Kaffe".into(),
            },
            at,
        };
        (m.id, Signed::seal(signer, &m))
    };
    // Amina signs a payment out of the café's account to herself, and one
    // from her account to the coordinator, who is no partner.
    let (stolen, stolen_bytes) = pay(
        81,
        Account::Member(cafe_key),
        Account::Member(me),
        &n.phone_key,
    );
    let (odd, odd_bytes) = pay(
        82,
        Account::Member(me),
        Account::Member(hub_key),
        &n.phone_key,
    );
    let doc = DocId::ledger(n.community()?, &me, at);
    n.phone.tamper(&doc, |d| {
        d.put(ROOT, format!("payment/{stolen}"), stolen_bytes.to_bytes())?;
        d.put(ROOT, format!("payment/{odd}"), odd_bytes.to_bytes())?;
        Ok(())
    })?;
    // And she accepts a debt of her own, as only a coordinator may.
    let accepted = Signed::seal(
        &n.phone_key,
        &nabo_shared::rewards::payments::OverspendAccepted {
            community: n.community()?,
            entry: EntryId::from_bytes([84; 16]),
            issued_at: at,
        },
    );
    n.phone.tamper(&DocId::community(n.community()?), |d| {
        d.put(
            ROOT,
            format!("overspend/{}", EntryId::from_bytes([84; 16])),
            accepted.to_bytes(),
        )?;
        Ok(())
    })?;
    n.sync().await?;
    assert_eq!(
        n.amina_balance()?,
        (10, 10),
        "nothing moved, here or on the hub"
    );
    let members = n.hub.lock().members()?;
    let cafe_row = members
        .iter()
        .find(|m| m.name == "Café")
        .context("the café")?;
    assert_eq!(cafe_row.balance, 0);
    assert!(
        n.review()?
            .iter()
            .any(|r| matches!(r, ReviewReason::Refused { .. })),
        "the payment signed for someone else is refused where the coordinator sees it: {:?}",
        n.review()?
    );
    assert!(
        n.review()?.iter().any(|r| matches!(
            r,
            ReviewReason::NotEntitled {
                needs: nabo_shared::review::Writer::Coordinator
            }
        )),
        "her acceptance counts for nothing: {:?}",
        n.review()?
    );
    // A request signed by a resident is no partner's: the phone refuses it.
    let request = {
        use nabo_shared::rewards::payments::{request_text, PaymentRequest};
        request_text(
            &Signed::seal(
                &n.phone_key,
                &PaymentRequest {
                    community: n.community()?,
                    payee: Account::Member(me),
                    reference: [9; 16],
                    amount: 3,
                    what: "Intet".into(),
                    expires_at: at.timestamp() + 600,
                },
            ),
            None,
            None,
        )
    };
    match cafe.lock().pay(&request) {
        Err(EngineError::Refused(Refused::Payment(PaymentProblem::NotAPartner))) => {}
        other => panic!("expected NotAPartner, got {other:?}"),
    }
    // A payment code the café never asked for is not taken.
    let (_, unasked) = pay(
        83,
        Account::Member(me),
        Account::Member(cafe_key),
        &n.phone_key,
    );
    let text = nabo_shared::rewards::payments::payment_text(&unasked, None, None);
    match cafe.lock().scan_text(&text) {
        Err(EngineError::Refused(Refused::Payment(PaymentProblem::UnknownRequest))) => {}
        other => panic!("expected UnknownRequest, got {other:?}"),
    }
    drop(cafe_signing);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_code_without_its_statement_or_with_one_she_signed_is_refused_at_the_counter(
) -> Result<()> {
    use nabo_shared::rewards::payments::{payment_text, BalanceStatement, PaymentProblem};
    use nabo_shared::scan::Scanned;

    let n = neighbourhood().await?;
    n.check_in()?;
    n.sync().await?;
    let (cafe, _) = n.cafe()?;
    // Once more, so her phone carries a statement of her 10 points.
    n.hub.clock.advance(Duration::hours(2));
    n.sync().await?;
    let community = n.community()?;
    let me = n.phone.lock().device_key();
    // Her phone signs a payment for a café request of 2, and her modified
    // app shows it without the statement, hoping for a mere warning.
    let paid = |amount: u64| -> Result<(String, Box<nabo_shared::scan::ScannedPayment>)> {
        let request = cafe.lock().request_payment(amount, "Frokost")?.text;
        let text = n.phone.lock().pay(&request)?.text;
        match Scanned::parse(&text) {
            Ok(Scanned::Payment(p)) => Ok((text, p)),
            other => anyhow::bail!("not a payment: {other:?}"),
        }
    };
    let (_, stripped) = paid(2)?;
    assert!(stripped.statement.is_some(), "the app put one in");
    match cafe
        .lock()
        .scan_text(&payment_text(&stripped.signed, None, None))
    {
        Err(EngineError::Refused(Refused::Payment(PaymentProblem::NoStatement))) => {}
        other => panic!("expected NoStatement, got {other:?}"),
    }
    // Then with a statement of 1,000 points she signed herself.
    let forged = Signed::seal(
        &n.phone_key,
        &BalanceStatement {
            community,
            member: me,
            balance: 1_000,
            issued_at: n.phone.clock.now(),
        },
    );
    let (_, second) = paid(2)?;
    match cafe
        .lock()
        .scan_text(&payment_text(&second.signed, Some(&forged), None))
    {
        Err(EngineError::Refused(Refused::Payment(PaymentProblem::ForeignStatement))) => {}
        other => panic!("expected ForeignStatement, got {other:?}"),
    }
    // And with a coordinator's real statement, of someone else's balance
    // (the café's, signed by the hub when it read the café's sync file).
    let cafe_key = cafe.lock().device_key();
    let bytes: Vec<u8> = rusqlite::Connection::open(&n.hub.path)?.query_row(
        "SELECT bytes FROM statements WHERE member = ?1",
        [cafe_key.to_hex()],
        |r| r.get(0),
    )?;
    let hubs_word = Signed::<BalanceStatement>::from_bytes(&bytes)?;
    let (_, third) = paid(2)?;
    match cafe
        .lock()
        .scan_text(&payment_text(&third.signed, Some(&hubs_word), None))
    {
        Err(EngineError::Refused(Refused::Payment(PaymentProblem::ForeignStatement))) => {}
        other => panic!("expected ForeignStatement, got {other:?}"),
    }
    // Her own code as the app made it is taken.
    let (honest, _) = paid(2)?;
    assert!(matches!(
        cafe.lock().scan_text(&honest)?,
        ScanOutcome::PaymentReceived(_)
    ));
    // After the café's and her syncs, only that one counts.
    let file = cafe.lock().export_sync(Recipient::Coordinators)?.bytes;
    n.hub.lock().import_sync(&file)?;
    n.sync().await?;
    assert_eq!(n.amina_balance()?, (8, 8));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_membership_carried_in_a_payment_code_vouches_only_as_a_coordinator_signed_it_for_that_key(
) -> Result<()> {
    use nabo_shared::ids::CommunityId;
    use nabo_shared::members::Membership;
    use nabo_shared::rewards::ledger::Account;
    use nabo_shared::rewards::payments::{request_text, PaymentProblem, PaymentRequest, Voucher};

    let n = neighbourhood().await?;
    n.check_in()?;
    n.sync().await?;
    let (cafe, cafe_signing) = n.cafe()?;
    n.sync().await?;
    let community = n.community()?;
    let at = n.phone.clock.now();
    // Amina's modified app makes a key of her own a "member" the café has
    // not heard of yet, to spend with it what the café cannot check.
    let stranger = SigningKey::from_bytes(&[77; 32]);
    let stranger_key = MemberKey::of(&stranger);
    let membership = |community, member, role, signer: &SigningKey| {
        Signed::seal(
            signer,
            &Membership {
                community,
                member,
                name: "Ny nabo".into(),
                role,
                issued_at: at,
            },
        )
    };
    // Her own membership as the hub signed it: real, but not the stranger's.
    let me = n.phone.lock().device_key();
    let hers: Vec<u8> = rusqlite::Connection::open(&n.hub.path)?.query_row(
        "SELECT bytes FROM history_values WHERE doc_key = ?1",
        [format!("member/{}", me.to_hex())],
        |r| r.get(0),
    )?;
    let elsewhere = SigningKey::from_bytes(&[78; 32]);
    let hers = Signed::from_bytes(&hers)?;
    // A link of the stranger's key to her, as only a coordinator may sign.
    let link = |signer: &SigningKey| {
        Signed::seal(
            signer,
            &nabo_shared::members::devices::DeviceLink {
                community,
                member: me,
                device: stranger_key,
                issued_at: at,
            },
        )
    };
    let carried = [
        (
            "signed by a resident",
            Voucher::of(
                &membership(community, stranger_key, Role::Resident, &n.phone_key),
                None,
            ),
        ),
        (
            "signed by the stranger itself",
            Voucher::of(
                &membership(community, stranger_key, Role::Resident, &stranger),
                None,
            ),
        ),
        ("a real membership of another key", Voucher::of(&hers, None)),
        (
            "her real membership, and a link to it she signed",
            Voucher::of(&hers, Some(&link(&n.phone_key))),
        ),
        (
            "her real membership, and a link to it the stranger signed",
            Voucher::of(&hers, Some(&link(&stranger))),
        ),
        (
            "another neighbourhood's, by its founder",
            Voucher::of(
                &membership(
                    CommunityId::from_bytes([5; 16]),
                    stranger_key,
                    Role::Resident,
                    &elsewhere,
                ),
                None,
            ),
        ),
    ];
    for (why, carried) in carried {
        let text = forged_payment(&cafe, 2, 91, &stranger, at, None, Some(&carried))?;
        match cafe.lock().scan_text(&text) {
            Err(EngineError::Refused(Refused::Payment(PaymentProblem::UnknownPayer))) => {}
            other => panic!("{why}: expected UnknownPayer, got {other:?}"),
        }
    }
    // The other way round: a request of the stranger's, with a partner's
    // membership signed by a resident, or the café's own real one.
    let cafe_key = cafe.lock().device_key();
    let cafes: Vec<u8> = rusqlite::Connection::open(&n.hub.path)?.query_row(
        "SELECT bytes FROM history_values WHERE doc_key = ?1",
        [format!("member/{}", cafe_key.to_hex())],
        |r| r.get(0),
    )?;
    for (why, carried) in [
        (
            "signed by a resident",
            membership(community, stranger_key, Role::Partner, &n.phone_key),
        ),
        ("the café's, for another key", Signed::from_bytes(&cafes)?),
    ] {
        let request = PaymentRequest {
            community,
            payee: Account::Member(stranger_key),
            reference: [92; 16],
            amount: 3,
            what: "Intet".into(),
            expires_at: at.timestamp() + 600,
        };
        let text = request_text(
            &Signed::seal(&stranger, &request),
            Some(&Voucher::of(&carried, None)),
            None,
        );
        match n.phone.lock().scan_text(&text) {
            Err(EngineError::Refused(Refused::Payment(PaymentProblem::NotAPartner))) => {}
            other => panic!("{why}: expected NotAPartner when asked, got {other:?}"),
        }
        match n.phone.lock().pay(&text) {
            Err(EngineError::Refused(Refused::Payment(PaymentProblem::NotAPartner))) => {}
            other => panic!("{why}: expected NotAPartner, got {other:?}"),
        }
    }
    // Nothing was kept: neither device holds a membership or a link of the
    // stranger.
    for path in [&cafe.path, &n.phone.path] {
        let kept: i64 = rusqlite::Connection::open(path)?.query_row(
            "SELECT count(*) FROM history_values WHERE doc_key IN (?1, ?2)",
            [
                format!("member/{}", stranger_key.to_hex()),
                format!("device/{}", stranger_key.to_hex()),
            ],
            |r| r.get(0),
        )?;
        assert_eq!(kept, 0, "{}", path.display());
    }
    n.sync().await?;
    assert_eq!(n.amina_balance()?, (10, 10), "nothing moved");
    // A café request whose unsigned hint of the memberships it knows is the
    // earliest or the latest time there is: her phone pays, and nothing
    // overflows.
    for (reference, hint) in [
        (93, chrono::DateTime::<chrono::Utc>::MIN_UTC),
        (94, chrono::DateTime::<chrono::Utc>::MAX_UTC),
    ] {
        let request = PaymentRequest {
            community,
            payee: Account::Member(cafe_key),
            reference: [reference; 16],
            amount: 1,
            what: "Vand".into(),
            expires_at: at.timestamp() + 600,
        };
        let text = request_text(&Signed::seal(&cafe_signing, &request), None, Some(hint));
        n.phone.lock().pay(&text)?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payer_who_backdates_her_payments_has_them_counted_at_the_counter_all_the_same(
) -> Result<()> {
    use nabo_shared::rewards::payments::PaymentProblem;

    let n = neighbourhood().await?;
    let (cafe, statement) = n.stated_and_a_cafe().await?;
    // Her modified app dates each payment a day before the statement, so
    // the café would not count it among what it took from her since.
    let backdated = |amount: u64, id: u8| {
        let at = n.phone.clock.now() - Duration::days(1);
        forged_payment(&cafe, amount, id, &n.phone_key, at, Some(&statement), None)
    };
    let first = backdated(8, 101)?;
    assert!(matches!(
        cafe.lock().scan_text(&first)?,
        ScanOutcome::PaymentReceived(_)
    ));
    n.hub.clock.advance(Duration::minutes(1));
    let second = backdated(8, 102)?;
    match cafe.lock().scan_text(&second) {
        Err(EngineError::Refused(Refused::Payment(PaymentProblem::NotCovered { left: 2 }))) => {}
        other => panic!("expected NotCovered with 2 left, got {other:?}"),
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thief_who_backdates_payments_from_a_blocked_phone_takes_nothing_from_its_member(
) -> Result<()> {
    let n = neighbourhood().await?;
    let (cafe, statement) = n.stated_and_a_cafe().await?;
    let me = n.phone.lock().device_key();
    let before_the_block = n.phone.clock.now();
    // Amina's phone is stolen; she tells the coordinator, who blocks it.
    n.hub.clock.advance(Duration::hours(1));
    n.hub
        .lock()
        .replace_device(&me.key_id().to_string(), true)?;
    // At a café that has not synced since, the thief's modified app pays
    // with the phone's key, dating the payment before the block.
    n.hub.clock.advance(Duration::hours(1));
    let text = forged_payment(
        &cafe,
        6,
        103,
        &n.phone_key,
        before_the_block,
        Some(&statement),
        None,
    )?;
    assert!(
        matches!(
            cafe.lock().scan_text(&text)?,
            ScanOutcome::PaymentReceived(_)
        ),
        "the café cannot know of the block yet"
    );
    // Once the café syncs, the payment counts for nothing: the café took
    // it after the block, by its own clock. Amina keeps her 10 points.
    let file = cafe.lock().export_sync(Recipient::Coordinators)?.bytes;
    n.hub.lock().import_sync(&file)?;
    let members = n.hub.lock().members()?;
    let balance = |name: &str| members.iter().find(|m| m.name == name).map(|m| m.balance);
    assert_eq!((balance("Amina"), balance("Café")), (Some(10), Some(0)));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payer_who_refuses_her_own_payment_after_paying_gets_nothing_back() -> Result<()> {
    use nabo_shared::rewards::ledger::Account;
    use nabo_shared::rewards::payments::{PaymentClosed, PaymentProblem, PaymentRefused};
    use nabo_shared::scan::Scanned;

    let n = neighbourhood().await?;
    let (request, taken) = n.coffee_at_the_house().await?;

    // Then her modified app signs a refusal of that payment, as if the
    // house had not taken it, in her own ledger document.
    let me = n.phone.lock().device_key();
    let at = taken.value.at;
    let refusal = Signed::seal(
        &n.phone_key,
        &PaymentRefused {
            community: n.community()?,
            payment: taken.value.id,
            payer: me,
            payee: Account::Community,
            problem: PaymentProblem::Expired,
            at,
        },
    );
    let doc = DocId::ledger(n.community()?, &me, at);
    n.phone.tamper(&doc, |d| {
        d.put(
            ROOT,
            format!("refused-payment/{}", taken.value.id),
            refusal.to_bytes(),
        )?;
        Ok(())
    })?;
    n.sync().await?;
    assert_eq!(
        n.amina_balance()?,
        (6, 6),
        "only the payee's refusal voids a payment"
    );
    // Nor does her own closure of the house's request, naming no payment,
    // as if it had expired unpaid.
    let Ok(Scanned::PaymentRequest(asked)) = Scanned::parse(&request) else {
        anyhow::bail!("not a request");
    };
    let closure = Signed::seal(
        &n.phone_key,
        &PaymentClosed {
            community: n.community()?,
            payee: Account::Community,
            reference: asked.request.value.reference,
            paid: None,
            at,
        },
    );
    n.phone.tamper(&doc, |d| {
        d.put(
            ROOT,
            format!(
                "closed-request/{}",
                hex::encode(asked.request.value.reference)
            ),
            closure.to_bytes(),
        )?;
        Ok(())
    })?;
    n.sync().await?;
    assert_eq!(
        n.amina_balance()?,
        (6, 6),
        "only the payee closes its request"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payer_who_signs_a_cheaper_version_of_a_taken_payment_pays_in_full() -> Result<()> {
    use nabo_shared::rewards::ledger::Movement;

    let n = neighbourhood().await?;
    let (_, taken) = n.coffee_at_the_house().await?;

    // Then her modified app signs the same payment again, under its id, for
    // 1 point, until the copy's signature sorts before the one taken.
    let cheaper = (0..10_000)
        .map(|i| {
            Signed::seal(
                &n.phone_key,
                &Movement {
                    amount: 1,
                    at: taken.value.at + Duration::milliseconds(i),
                    ..taken.value.clone()
                },
            )
        })
        .find(|s| s.open().is_ok_and(|v| v.sig < taken.sig))
        .context("a smaller signature")?;
    let me = n.phone.lock().device_key();
    let doc = DocId::ledger(n.community()?, &me, taken.value.at);
    n.phone.tamper(&doc, |d| {
        d.put(
            ROOT,
            format!("payment/{}", taken.value.id),
            cheaper.to_bytes(),
        )?;
        Ok(())
    })?;
    n.sync().await?;
    assert_eq!(
        n.amina_balance()?,
        (6, 6),
        "the payment the house took counts, not her cheaper copy"
    );
    // Nor does a dearer copy for a request no one closed void the payment
    // taken: the coordinator's device still counts the 4 points, and holds
    // the copy's 9 back from what she can spend, as for any payment no
    // payee has answered yet.
    let elsewhere = Signed::seal(
        &n.phone_key,
        &Movement {
            amount: 9,
            reason: nabo_shared::rewards::ledger::Reason::Payment {
                reference: [7; 16],
                what: "Kaffe".into(),
            },
            ..taken.value.clone()
        },
    );
    n.phone.tamper(&doc, |d| {
        d.put(
            ROOT,
            format!("payment/{}", taken.value.id),
            elsewhere.to_bytes(),
        )?;
        Ok(())
    })?;
    n.sync().await?;
    assert_eq!(
        n.amina_balance()?,
        (6, 10 - 4 - 9),
        "the payment taken still counts, once"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_who_signs_a_cheaper_copy_of_a_return_still_hands_back_what_it_did() -> Result<()>
{
    use nabo_shared::rewards::ledger::{Account, Movement};

    let n = neighbourhood().await?;
    n.check_in()?;
    n.sync().await?;
    n.hub.clock.advance(Duration::hours(2));
    n.sync().await?;
    let (cafe, cafe_signing) = n.cafe()?;
    n.sync().await?;
    // Amina pays the café 6 points; the café hands 5 back to the community
    // (what the housing association pays it for), and both sync.
    let request = cafe.lock().request_payment(6, "Frokost")?.text;
    let paid = n.phone.lock().pay(&request)?.text;
    cafe.lock().scan_text(&paid)?;
    cafe.lock().return_points(5, "December")?;
    let to_hub = |cafe: &Device| -> Result<()> {
        let file = cafe.lock().export_sync(Recipient::Coordinators)?.bytes;
        n.hub.lock().import_sync(&file)?;
        Ok(())
    };
    to_hub(&cafe)?;
    let balances = || -> Result<(i64, i64)> {
        let members = n.hub.lock().members()?;
        let of = |name: &str| members.iter().find(|m| m.name == name).map(|m| m.balance);
        Ok((
            of("Café").context("the café")?,
            of("Amina").context("Amina")?,
        ))
    };
    assert_eq!(balances()?, (1, 4));

    // Then its modified app signs the return again, under its id, for 1
    // point, until the copy's signature sorts before the first.
    let (id, at): (String, String) = rusqlite::Connection::open(&cafe.path)?.query_row(
        "SELECT id, at FROM returns",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let at = chrono::DateTime::parse_from_rfc3339(&at)?.with_timezone(&chrono::Utc);
    let cafe_key = cafe.lock().device_key();
    let doc = DocId::ledger(n.community()?, &cafe_key, at);
    let first =
        Signed::<Movement>::from_bytes(&cafe.value(&doc, &format!("return/{id}"))?)?.open()?;
    let cheaper = (0..10_000)
        .map(|i| {
            Signed::seal(
                &cafe_signing,
                &Movement {
                    amount: 1,
                    at: first.value.at + Duration::milliseconds(i),
                    ..first.value.clone()
                },
            )
        })
        .find(|s| s.open().is_ok_and(|v| v.sig < first.sig))
        .context("a smaller signature")?;
    cafe.tamper(&doc, |d| {
        d.put(ROOT, format!("return/{id}"), cheaper.to_bytes())?;
        Ok(())
    })?;
    to_hub(&cafe)?;
    assert_eq!(
        balances()?,
        (1, 4),
        "the café still handed back the 5 points it first did"
    );

    // Nor does a version under the same id that Amina signs as her own
    // return (she is no partner) touch the café's.
    let me = n.phone.lock().device_key();
    let hers = Signed::seal(
        &n.phone_key,
        &Movement {
            from: Account::Member(me),
            ..first.value.clone()
        },
    );
    n.phone
        .tamper(&DocId::ledger(n.community()?, &me, at), |d| {
            d.put(ROOT, format!("return/{id}"), hers.to_bytes())?;
            Ok(())
        })?;
    n.sync().await?;
    assert_eq!(
        balances()?,
        (1, 4),
        "a resident's return under the café's id changes nothing"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_volunteer_who_approves_her_own_hours_gets_nothing_and_they_still_wait() -> Result<()> {
    use nabo_shared::rewards::hours::{HourDecision, LogHours, Span, Verdict, Work};

    let n = neighbourhood().await?;
    n.check_in()?;
    n.sync().await?;
    let me = n.phone.lock().device_key();
    let at = n.phone.clock.now();
    let claim = n.phone.lock().log_hours(LogHours {
        claim: None,
        work: Work::Other("Malede opgangen".into()),
        date: at.date_naive(),
        span: Span::Minutes(120),
        note: String::new(),
    })?;
    // Her modified app signs a decision that approves it, for far more
    // than two hours could earn, and one within the rate.
    for (n_, points) in [(0u8, 9_999u64), (1, 20)] {
        let verdict = Verdict::Approved {
            quarters: 8,
            points,
        };
        let decision = HourDecision {
            community: n.community()?,
            claim,
            volunteer: me,
            version: 1,
            verdict,
            decided_at: at + chrono::Duration::seconds(i64::from(n_)),
        };
        let signed = Signed::seal(&n.phone_key, &decision);
        let doc = DocId::ledger(n.community()?, &me, decision.decided_at);
        n.phone.tamper(&doc, |d| {
            d.put(ROOT, format!("hour-decision/{claim}"), signed.to_bytes())?;
            Ok(())
        })?;
    }
    n.sync().await?;
    assert_eq!(
        n.amina_balance()?,
        (10, 10),
        "not money on her own phone, nor on the hub"
    );
    let review = n.review()?;
    assert!(
        review.iter().any(|r| matches!(
            r,
            ReviewReason::NotEntitled {
                needs: nabo_shared::review::Writer::Coordinator
            }
        )),
        "the coordinator sees who tried: {review:?}"
    );
    assert!(
        review
            .iter()
            .any(|r| matches!(r, ReviewReason::Hours { quarters: 8, .. })),
        "the hours still wait for a coordinator: {review:?}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_who_signs_new_rules_changes_nothing() -> Result<()> {
    use nabo_shared::ids::RulesId;
    use nabo_shared::rewards::rules::{Rule, Rules, RulesChange};

    let n = neighbourhood().await?;
    n.sync().await?;
    // Her modified app signs rules that pay 1,000 points an hour, dated
    // after everything, into the community document.
    let change = RulesChange {
        id: RulesId::from_bytes([77; 16]),
        community: n.community()?,
        rules: vec![Rule::PerHour(1_000)],
        changed_at: n.phone.clock.now() + chrono::Duration::days(365),
    };
    let signed = Signed::seal(&n.phone_key, &change);
    n.phone.tamper(&DocId::community(n.community()?), |d| {
        d.put(ROOT, format!("rules/{}", change.id), signed.to_bytes())?;
        Ok(())
    })?;
    n.sync().await?;
    assert_eq!(n.phone.lock().rules()?.rules, Rules::default());
    assert_eq!(n.hub.lock().rules()?.rules, Rules::default());
    assert!(n.hub.lock().rules()?.history.is_empty());
    assert!(
        n.review()?.iter().any(|r| matches!(
            r,
            ReviewReason::NotEntitled {
                needs: nabo_shared::review::Writer::Coordinator
            }
        )),
        "the coordinator sees who tried: {:?}",
        n.review()?
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expiry_under_another_id_than_its_months_counts_for_nothing() -> Result<()> {
    use nabo_shared::ids::EntryId;
    use nabo_shared::rewards::expiry::Month;
    use nabo_shared::rewards::ledger::{Account, Movement, Reason};

    let n = neighbourhood().await?;
    n.check_in()?;
    n.sync().await?;
    // A coordinator's key (the test knows the hub's, seed 1) signs a second
    // expiry of this month's points under an id of its own choosing: a
    // month could then expire twice.
    let hub_key = SigningKey::from_bytes(&[1; 32]);
    let me = n.phone.lock().device_key();
    let at = n.phone.clock.now();
    let month = Month::of(at, nabo_shared::time::time_zone("Europe/Copenhagen"));
    for id in [
        EntryId::from_bytes([91; 16]),
        EntryId::expiry_of(
            n.community()?,
            &me,
            Month {
                year: 2020,
                month: 1,
            },
        ),
    ] {
        let expiry = Movement {
            id,
            community: n.community()?,
            from: Account::Member(me),
            to: Account::Community,
            amount: 10,
            reason: Reason::Expiry { month },
            at,
        };
        let signed = Signed::seal(&hub_key, &expiry);
        n.phone
            .tamper(&DocId::ledger(n.community()?, &me, at), |d| {
                d.put(ROOT, format!("movement/{id}"), signed.to_bytes())?;
                Ok(())
            })?;
    }
    n.sync().await?;
    assert_eq!(n.amina_balance()?, (10, 10), "nothing expired");
    let misplaced = n
        .review()?
        .into_iter()
        .filter(|r| {
            matches!(
                r,
                ReviewReason::Refused {
                    problem: nabo_shared::review::RecordProblem::Misplaced
                }
            )
        })
        .count();
    assert_eq!(misplaced, 2, "both shown as refused: {:?}", n.review()?);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_signed_under_a_copied_id_is_never_decided_with_the_original() -> Result<()> {
    use nabo_shared::rewards::hours::{HourClaim, HoursRef, LogHours, Span, Work};

    let n = neighbourhood().await?;
    n.sync().await?;
    let amina = n.phone.lock().device_key();
    let at = n.phone.clock.now();
    let claim = n.phone.lock().log_hours(LogHours {
        claim: None,
        work: Work::Other("Malede opgangen".into()),
        date: at.date_naive(),
        span: Span::Minutes(120),
        note: String::new(),
    })?;
    n.sync().await?;
    // Another member who learnt the id signs ten hours under it, as a
    // "newer version", in her own document (the hub's key stands in).
    let other = SigningKey::from_bytes(&[1; 32]);
    let twin = HourClaim {
        id: claim,
        community: n.community()?,
        volunteer: MemberKey::of(&other),
        version: 9,
        work: Work::Other("Malede opgangen".into()),
        date: at.date_naive(),
        span: Span::Minutes(600),
        note: String::new(),
        withdrawn: false,
        signed_at: at,
    };
    let signed = Signed::seal(&other, &twin);
    // (Her document exists once she has logged hours of her own.)
    n.hub.lock().log_hours(LogHours {
        claim: None,
        work: Work::Other("Kaffe til mødet".into()),
        date: at.date_naive(),
        span: Span::Minutes(30),
        note: String::new(),
    })?;
    n.hub.tamper(
        &DocId::checkins(n.community()?, &MemberKey::of(&other), n.hub.clock.now()),
        |d| {
            d.put(ROOT, format!("hours/{claim}"), signed.to_bytes())?;
            Ok(())
        },
    )?;
    // The coordinator approves Amina's claim: two hours, not ten, and the
    // twin stays a claim of its own.
    let hers = HoursRef {
        claim,
        volunteer: amina,
    };
    let waiting: Vec<(String, u32)> = n
        .hub
        .lock()
        .review()?
        .into_iter()
        .filter_map(|i| match i.reason {
            ReviewReason::Hours { quarters, .. } => Some((i.subject?, quarters)),
            _ => None,
        })
        .collect();
    assert!(waiting.contains(&(hers.to_string(), 8)), "{waiting:?}");
    assert_eq!(n.hub.lock().decide_hours(&[hers], None)?, 1);
    n.sync().await?;
    assert_eq!(n.amina_balance()?, (20, 20));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invite_expired_by_the_confirmers_clock_waits_for_a_human() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let hub_clock = clock();
    let (hub, _) = Device::with_key(dir.path(), "hub", &hub_clock, 1)?;
    hub.lock().create_community(CreateCommunity {
        community_name: "Tingbjerg".into(),
        my_name: "Sara".into(),
    })?;
    let invite = hub.lock().invite_code(Role::Resident)?;
    // A month later the invite has long expired; a phone with its clock set
    // back to the day after the invite was made asks to join with it.
    hub_clock.advance(Duration::days(30));
    let phone_clock = clock();
    phone_clock.advance(Duration::days(1));
    let (phone, _) = Device::with_key(dir.path(), "phone", &phone_clock, 2)?;
    phone.lock().join_community(JoinCommunity {
        invite: invite.encode(),
        my_name: "Mallory".into(),
    })?;
    let me = phone.lock().device_key();
    let community = hub.lock().community()?;

    // The hub judges by its own clock: the ticket does not open its door...
    let ticket = phone.lock().join_ticket()?;
    let gate = hub.lock().admit(&community, &me, &ticket);
    assert!(
        matches!(gate, Err(GateError::Refused(Refusal::NotMember))),
        "{gate:?}"
    );
    // ...and a file brings the request, but nobody is confirmed by it.
    let file = phone.lock().export_sync(Recipient::Coordinators)?.bytes;
    assert_eq!(hub.lock().import_sync(&file)?.members_confirmed, 0);
    let queue = hub.lock().review()?;
    assert!(queue.iter().any(|i| i.reason
        == ReviewReason::AwaitingApproval {
            why: nabo_shared::review::ApprovalNeeded::InviteExpired
        }));
    assert!(hub
        .lock()
        .members()?
        .iter()
        .all(|m| !m.confirmed || m.name != "Mallory"));

    // A coordinator who knows the person says yes.
    hub.lock().approve_join(&me.key_id().to_string())?;
    assert!(hub
        .lock()
        .members()?
        .iter()
        .any(|m| m.confirmed && m.name == "Mallory"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_invite_is_never_confirmed_without_a_human() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let clock = clock();
    let (hub, _) = Device::with_key(dir.path(), "hub", &clock, 1)?;
    hub.lock().create_community(CreateCommunity {
        community_name: "Tingbjerg".into(),
        my_name: "Sara".into(),
    })?;
    let invite = hub.lock().invite_code(Role::Coordinator)?.encode();
    let (phone, _) = Device::with_key(dir.path(), "phone", &clock, 2)?;
    phone.lock().join_community(JoinCommunity {
        invite,
        my_name: "Ole".into(),
    })?;
    let running = Hub::start(
        hub.engine.clone(),
        "127.0.0.1:0".parse()?,
        live::no_events(),
    )
    .await?;
    let code = hub
        .lock()
        .pairing_code(vec!["127.0.0.1".parse()?], running.address().port())?;
    live::sync_with_hub(&phone.engine, &code, &live::no_events()).await?;

    let profile = phone.lock().status()?.profile.context("joined")?;
    assert!(!profile.is_coordinator && !profile.confirmed, "{profile:?}");
    let refused = phone.lock().save_activity(activity("Fest", 1000, None));
    assert!(
        matches!(refused, Err(EngineError::Refused(Refused::NotCoordinator))),
        "{refused:?}"
    );
    assert!(n_awaiting(
        &hub,
        nabo_shared::review::ApprovalNeeded::CoordinatorRole
    )?);

    let ole = phone.lock().device_key().key_id().to_string();
    hub.lock().approve_join(&ole)?;
    live::sync_with_hub(&phone.engine, &code, &live::no_events()).await?;
    assert!(
        phone
            .lock()
            .status()?
            .profile
            .context("joined")?
            .is_coordinator
    );
    Ok(())
}

/// Whether the hub's review queue has a join waiting for this reason.
fn n_awaiting(hub: &Device, why: nabo_shared::review::ApprovalNeeded) -> Result<bool> {
    Ok(hub
        .lock()
        .review()?
        .iter()
        .any(|i| i.reason == ReviewReason::AwaitingApproval { why }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yesterdays_code_with_the_clock_set_back_waits_for_a_human() -> Result<()> {
    let n = neighbourhood().await?;
    // A photo of yesterday's code on the coordinator's screen.
    let yesterday = n.hub.clock.now();
    let photo = n.hub.lock().checkin_code(n.activity)?.encode();
    // A day later the phone syncs as usual...
    n.hub.clock.advance(Duration::days(1));
    n.phone.clock.advance(Duration::days(1));
    n.sync().await?;
    // ...then its owner sets the clock back to when the photo was taken and
    // checks in with it, and syncs again.
    n.phone.clock.set(yesterday + Duration::seconds(5));
    n.phone.lock().scan_text(&photo)?;
    n.phone.clock.set(n.hub.clock.now());
    n.sync().await?;

    assert_eq!(
        n.phone.lock().wallet()?.balance,
        0,
        "nothing without a human's yes"
    );
    let queue = n.hub.lock().review()?;
    let late = queue
        .iter()
        .find(|i| matches!(i.reason, ReviewReason::LateCheckin { .. }))
        .context("the late check-in is in the review queue")?;
    let checkin: CheckinId = late.subject.as_deref().context("approvable")?.parse()?;

    // A coordinator who saw Amina there yesterday says yes.
    n.hub.lock().approve_checkin(checkin)?;
    n.sync().await?;
    assert_eq!(n.phone.lock().wallet()?.balance, 10);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_in_made_offline_after_the_last_sync_is_rewarded_as_always() -> Result<()> {
    let n = neighbourhood().await?;
    n.hub.clock.advance(Duration::hours(2));
    n.phone.clock.advance(Duration::hours(2));
    n.check_in()?;
    n.hub.clock.advance(Duration::hours(3));
    n.phone.clock.advance(Duration::hours(3));
    n.sync().await?;
    assert_eq!(n.phone.lock().wallet()?.balance, 10);
    assert!(!n
        .review()?
        .iter()
        .any(|r| matches!(r, ReviewReason::LateCheckin { .. })));
    Ok(())
}

/// The decoders of outside bytes, by fuzz target (see `tests/fuzz`): each
/// returns whether the input was refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_files_carry_only_what_their_reader_may_hold() -> Result<()> {
    let n = neighbourhood().await?;
    n.check_in()?;
    n.sync().await?;
    assert_eq!(n.phone.lock().wallet()?.balance, 10);
    // A second resident, Omar, whose modified app the test drives.
    let dir = tempfile::tempdir()?;
    let (omar, omar_key) = Device::with_key(dir.path(), "omar", &n.hub.clock, 3)?;
    let invite = n.hub.lock().invite_code(Role::Resident)?.encode();
    omar.lock().join_community(JoinCommunity {
        invite,
        my_name: "Omar".into(),
    })?;
    let request = omar.lock().export_sync(Recipient::Coordinators)?.bytes;
    assert_eq!(n.hub.lock().import_sync(&request)?.members_confirmed, 1);

    // The hub's file for Omar holds the community document and his own
    // ledger (the statement of his balance the hub signed as his file came
    // in), and nothing of Amina's.
    let community = DocId::community(n.community()?).to_string();
    let omar_device = omar.lock().device_key();
    let for_omar = n.hub.lock().export_sync(Recipient::Member(omar_device))?;
    let decoded = SyncFile::decode(&for_omar.bytes)?;
    assert_eq!(decoded.sender, n.hub.lock().device_key());
    let ids: Vec<&str> = decoded.docs.iter().map(|(id, _)| id.as_str()).collect();
    let own = DocId::ledger(n.community()?, &omar_device, n.hub.clock.now()).to_string();
    assert_eq!(
        ids,
        [community.as_str(), own.as_str()],
        "a neighbour's file leaks nothing"
    );
    assert_eq!(for_omar.documents, 2);

    // Amina cannot import Omar's file: it is not hers.
    let before = n.phone.lock().doc_heads()?;
    match n.phone.lock().import_sync(&for_omar.bytes) {
        Err(EngineError::Refused(Refused::SyncFile(SyncFileProblem::NotForThisDevice))) => {}
        other => panic!("expected NotForThisDevice, got {other:?}"),
    }
    assert_eq!(n.phone.lock().doc_heads()?, before);

    // Omar gets hold of a coordinators' file (Amina's documents in it),
    // empties Amina's documents and sends them on, signed by himself: the
    // hub leaves them out and Amina's points stay.
    let leaked = SyncFile::decode(&n.hub.lock().export_sync(Recipient::Coordinators)?.bytes)?;
    let hers: Vec<(String, Vec<u8>)> = leaked
        .docs
        .into_iter()
        .filter(|(id, _)| *id != community && *id != own)
        .map(|(id, saved)| -> Result<(String, Vec<u8>)> {
            let mut doc = AutoCommit::load(&saved)?;
            for key in doc.keys(ROOT).collect::<Vec<_>>() {
                doc.delete(ROOT, key)?;
            }
            Ok((id, doc.save()))
        })
        .collect::<Result<_>>()?;
    assert!(!hers.is_empty());
    let emptied = hers.len() as u32;
    let forged = SyncFile::seal(&omar_key, n.community()?, Recipient::Coordinators, hers);
    let hub_before = n.hub.lock().doc_heads()?;
    let imported = n.hub.lock().import_sync(&forged)?;
    assert_eq!(imported.refused_documents, emptied, "not Omar's to share");
    assert_eq!(n.hub.lock().doc_heads()?, hub_before);
    n.sync().await?;
    assert_eq!(n.phone.lock().wallet()?.balance, 10);

    // A file whose signature does not hold is refused whole.
    let mut altered = for_omar.bytes.clone();
    let last = altered.len() - 1;
    altered[last] ^= 1;
    match omar.lock().import_sync(&altered) {
        Err(EngineError::Refused(Refused::SyncFile(
            SyncFileProblem::Forged | SyncFileProblem::Damaged,
        ))) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
    Ok(())
}

/// A founding coordinator (Sara, key 1) alone in Tingbjerg.
fn founded(dir: &Path, clock: &ManualClock) -> Result<Device> {
    let (hub, _) = Device::with_key(dir, "hub", clock, 1)?;
    hub.lock().create_community(CreateCommunity {
        community_name: "Tingbjerg".into(),
        my_name: "Sara".into(),
    })?;
    Ok(hub)
}

/// A phone (key `seed`) that asks to join with `invite` and hands its
/// request to the hub by file; returns it and how many the hub confirmed.
fn join_by_file(
    hub: &Device,
    dir: &Path,
    clock: &ManualClock,
    seed: u8,
    name: &str,
    invite: &str,
) -> Result<(Device, u32)> {
    let (phone, _) = Device::with_key(dir, name, clock, seed)?;
    phone.lock().join_community(JoinCommunity {
        invite: invite.to_owned(),
        my_name: name.to_owned(),
    })?;
    let file = phone.lock().export_sync(Recipient::Coordinators)?.bytes;
    let confirmed = hub.lock().import_sync(&file)?.members_confirmed;
    Ok((phone, confirmed))
}

#[test]
fn an_invite_admits_no_more_than_its_use_limit_even_with_backdated_requests() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let clock = clock();
    let hub = founded(dir.path(), &clock)?;
    let invite = hub.lock().invite_code(Role::Resident)?.encode();
    let (_amina, confirmed) = join_by_file(&hub, dir.path(), &clock, 2, "Amina", &invite)?;
    assert_eq!(confirmed, 1);
    // A second phone, its clock set back to an hour before Amina asked,
    // uses the same (single) invite.
    let early = ManualClock::at(clock.now() - Duration::hours(1));
    let (mallory, confirmed) = join_by_file(&hub, dir.path(), &early, 3, "Mallory", &invite)?;
    assert_eq!(confirmed, 0, "the invite was used up");
    assert!(n_awaiting(
        &hub,
        nabo_shared::review::ApprovalNeeded::InviteUsedUp
    )?);
    // Amina stays; Mallory waits.
    let members = hub.lock().members()?;
    assert!(members.iter().any(|m| m.name == "Amina" && m.confirmed));
    assert!(members.iter().any(|m| m.name == "Mallory" && !m.confirmed));
    // At the door her ticket only lets the request wait, as by file.
    let me = mallory.lock().device_key();
    let ticket = mallory.lock().join_ticket()?;
    let community = hub.lock().community()?;
    assert!(hub.lock().admit(&community, &me, &ticket).is_ok());
    assert_eq!(hub.lock().reconcile()?.confirmed, 0);
    Ok(())
}

#[test]
fn a_join_request_copied_from_the_community_document_admits_nobody() -> Result<()> {
    use nabo_shared::community::JoinRequest;
    let dir = tempfile::tempdir()?;
    let clock = clock();
    let hub = founded(dir.path(), &clock)?;
    // A household invite for three, used by Amina alone so far.
    let household = hub.lock().create_invite(Role::Resident, 3)?.qr.text;
    let (amina, confirmed) = join_by_file(&hub, dir.path(), &clock, 2, "Amina", &household)?;
    assert_eq!(confirmed, 1);
    // A member who reads Amina's request in the community document (every
    // member's phone holds it) copies its invite and proof for a new key.
    let community = hub.lock().community()?;
    let doc = DocId::community(community);
    let amina_key = amina.lock().device_key();
    let read: Signed<JoinRequest> =
        Signed::from_bytes(&hub.value(&doc, &format!("join/{}", amina_key.to_hex()))?)?;
    let mut copied = read.open()?.value;
    let sybil = SigningKey::from_bytes(&[9; 32]);
    copied.member = MemberKey::of(&sybil);
    copied.name = "Tvilling".into();
    let ticket = Signed::seal(&sybil, &copied).to_bytes();
    // The door refuses it...
    let gate = hub
        .lock()
        .admit(&community, &MemberKey::of(&sybil), &ticket);
    assert!(
        matches!(gate, Err(GateError::Refused(Refusal::NotMember))),
        "{gate:?}"
    );
    // ...and put in the document by a member's modified app, it confirms
    // nobody and shows up as a bad invite.
    let (omar, _) = Device::with_key(dir.path(), "omar", &clock, 4)?;
    omar.lock().join_community(JoinCommunity {
        invite: household.clone(),
        my_name: "Omar".into(),
    })?;
    omar.tamper(&doc, |d| {
        d.put(
            ROOT,
            format!("join/{}", MemberKey::of(&sybil).to_hex()),
            ticket.clone(),
        )?;
        Ok(())
    })?;
    let file = omar.lock().export_sync(Recipient::Coordinators)?.bytes;
    assert_eq!(
        hub.lock().import_sync(&file)?.members_confirmed,
        1,
        "Omar only"
    );
    let members = hub.lock().members()?;
    assert!(!members.iter().any(|m| m.name == "Tvilling" && m.confirmed));
    assert!(hub
        .lock()
        .review()?
        .iter()
        .any(|i| i.reason == ReviewReason::BadInvite));
    Ok(())
}

#[test]
fn a_withdrawn_invite_opens_no_door_and_confirms_nobody() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let clock = clock();
    let hub = founded(dir.path(), &clock)?;
    let invite = hub.lock().create_invite(Role::Resident, 2)?;
    hub.lock().withdraw_invite(invite.id)?;
    let (phone, confirmed) = join_by_file(&hub, dir.path(), &clock, 2, "Amina", &invite.qr.text)?;
    assert_eq!(confirmed, 0);
    let me = phone.lock().device_key();
    let ticket = phone.lock().join_ticket()?;
    let community = hub.lock().community()?;
    let gate = hub.lock().admit(&community, &me, &ticket);
    assert!(
        matches!(gate, Err(GateError::Refused(Refusal::NotMember))),
        "{gate:?}"
    );
    assert!(n_awaiting(
        &hub,
        nabo_shared::review::ApprovalNeeded::InviteWithdrawn
    )?);
    Ok(())
}

/// Sara's hub and Ole, made coordinator by her (key 3), who has everything
/// the hub has. Ole's clock is ten minutes behind Sara's.
fn with_second_coordinator(dir: &Path, clock: &ManualClock) -> Result<(Device, Device)> {
    let hub = founded(dir, clock)?;
    let invite = hub.lock().invite_code(Role::Coordinator)?.encode();
    let ole_clock = ManualClock::at(clock.now() - Duration::minutes(10));
    let (ole, confirmed) = join_by_file(&hub, dir, &ole_clock, 3, "Ole", &invite)?;
    assert_eq!(confirmed, 0, "a coordinator waits for a human");
    let key = ole.lock().device_key();
    hub.lock().approve_join(&key.key_id().to_string())?;
    let file = hub.lock().export_sync(Recipient::Member(key))?.bytes;
    ole.lock().import_sync(&file)?;
    assert!(
        ole.lock()
            .status()?
            .profile
            .context("joined")?
            .is_coordinator
    );
    Ok((hub, ole))
}

#[test]
fn a_removed_coordinator_signs_nothing_that_counts() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let clock = clock();
    let (hub, ole) = with_second_coordinator(dir.path(), &clock)?;
    let ole_key = ole.lock().device_key();
    // Before his removal Ole makes an activity: it stays, though his clock
    // says it is before Sara made him coordinator (he signs it as of the
    // start of his term).
    ole.clock.advance(Duration::minutes(1));
    ole.lock().save_activity(activity("Før", 10, None))?;
    let file = ole.lock().export_sync(Recipient::Coordinators)?.bytes;
    hub.lock().import_sync(&file)?;
    // Sara removes Ole.
    clock.advance(Duration::minutes(2));
    hub.lock().revoke_member(&ole_key.key_id().to_string())?;
    // Ole's device, not knowing (or not caring), makes an activity with a
    // big reward and removes Sara, and hands both over by file.
    ole.clock.advance(Duration::minutes(30));
    ole.lock().save_activity(activity("Efter", 1000, None))?;
    let sara = hub.lock().device_key();
    ole.lock().revoke_member(&sara.key_id().to_string())?;
    let file = ole.lock().export_sync(Recipient::Coordinators)?.bytes;
    hub.lock().import_sync(&file)?;

    let titles: Vec<String> = hub
        .lock()
        .list_activities()?
        .into_iter()
        .map(|a| a.title)
        .collect();
    assert_eq!(titles, ["Før"]);
    let profile = hub.lock().status()?.profile.context("set up")?;
    assert!(profile.is_coordinator, "Ole's word no longer counts");
    let community = hub.lock().community()?;
    let gate = hub.lock().admit(&community, &ole_key, &[]);
    assert!(
        matches!(gate, Err(GateError::Refused(Refusal::Revoked))),
        "{gate:?}"
    );
    let queue = hub.lock().review()?;
    let not_entitled = queue
        .iter()
        .filter(|i| matches!(i.reason, ReviewReason::NotEntitled { .. }))
        .count();
    assert_eq!(not_entitled, 2, "the activity and the removal: {queue:?}");
    // Nor can a coordinator remove their own access.
    assert!(matches!(
        hub.lock().revoke_member(&sara.key_id().to_string()),
        Err(EngineError::Refused(Refused::OwnAccess))
    ));
    Ok(())
}

#[test]
fn a_lost_founding_key_is_removed_by_another_coordinator() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let clock = clock();
    let (hub, ole) = with_second_coordinator(dir.path(), &clock)?;
    // Sara's laptop is stolen: Ole removes the founding key.
    let sara = hub.lock().device_key();
    ole.clock.advance(Duration::minutes(5));
    ole.lock().revoke_member(&sara.key_id().to_string())?;
    // The thief's copy goes on signing: an activity, and Ole's removal.
    clock.advance(Duration::minutes(10));
    hub.lock().save_activity(activity("Tyveri", 1000, None))?;
    hub.lock()
        .revoke_member(&ole.lock().device_key().key_id().to_string())?;
    let file = hub.lock().export_sync(Recipient::Coordinators)?.bytes;
    ole.lock().import_sync(&file)?;

    assert!(ole.lock().list_activities()?.is_empty());
    assert!(
        ole.lock()
            .status()?
            .profile
            .context("set up")?
            .is_coordinator
    );
    let community = ole.lock().community()?;
    let gate = ole.lock().admit(&community, &sara, &[]);
    assert!(
        matches!(gate, Err(GateError::Refused(Refusal::Revoked))),
        "{gate:?}"
    );
    // And a new invite from Ole still lets people in.
    let invite = ole.lock().invite_code(Role::Resident)?.encode();
    let (_amina, confirmed) = join_by_file(&ole, dir.path(), &ole.clock, 2, "Amina", &invite)?;
    assert_eq!(confirmed, 1);
    Ok(())
}

/// What the hub's members and activities screens show, and the phone's
/// wallet: what a delete must not change.
fn what_counts(n: &Neighbourhood) -> Result<String> {
    let hub = n.hub.lock();
    let members: Vec<_> = hub
        .members()?
        .into_iter()
        .map(|m| {
            let devices: Vec<_> = m
                .devices
                .iter()
                .map(|d| (d.linked_at.is_some(), d.retired_at.is_some(), d.card))
                .collect();
            (m.name, m.role, m.confirmed, m.revoked, m.balance, devices)
        })
        .collect();
    let activities: Vec<_> = hub
        .list_activities()?
        .into_iter()
        .map(|a| (a.title, a.reward, a.archived))
        .collect();
    let open_invites = hub.list_invites()?.len();
    let rounds: Vec<_> = hub
        .rounds()?
        .into_iter()
        .map(|r| hub.round_detail(r.id))
        .collect::<Result<_, _>>()?;
    let pool = hub.pool()?;
    let account = hub.account()?;
    drop(hub);
    let wallet = n.phone.lock().wallet()?;
    let ballots: Vec<_> = rounds
        .iter()
        .map(|r| n.phone.lock().round_detail(r.round.id).map(|d| d.my_ballot))
        .collect::<Result<_, _>>()?;
    Ok(format!(
        "{members:?} {activities:?} {open_invites} {} {} {rounds:?} {ballots:?} {pool:?} {account:?}",
        wallet.balance,
        wallet.history.len()
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_every_record_of_every_kind_changes_nothing_signed() -> Result<()> {
    let n = neighbourhood().await?;
    // Records of every kind: a check-in and its reward, a second member
    // removed and given back access, his lost phone blocked and a new one
    // linked, a withdrawn invite, an activity edited.
    n.check_in()?;
    n.sync().await?;
    let (omar, _) = Device::with_key(n._dir.path(), "omar", &n.hub.clock, 3)?;
    let invite = n.hub.lock().invite_code(Role::Resident)?.encode();
    omar.lock().join_community(JoinCommunity {
        invite,
        my_name: "Omar".into(),
    })?;
    let file = omar.lock().export_sync(Recipient::Coordinators)?.bytes;
    n.hub.lock().import_sync(&file)?;
    let omar_id = omar.lock().device_key().key_id().to_string();
    n.hub.lock().revoke_member(&omar_id)?;
    n.hub.clock.advance(Duration::minutes(1));
    n.hub.lock().reinstate_member(&omar_id)?;
    // Omar's phone is lost: blocked, and his new phone linked to him.
    let renewal = n.hub.lock().replace_device(&omar_id, true)?;
    let (omar2, _) = Device::with_key(n._dir.path(), "omar2", &n.hub.clock, 4)?;
    omar2.lock().join_community(JoinCommunity {
        invite: renewal.qr.text,
        my_name: "Omar".into(),
    })?;
    let file = omar2.lock().export_sync(Recipient::Coordinators)?.bytes;
    assert_eq!(n.hub.lock().import_sync(&file)?.members_confirmed, 1);
    let spare = n.hub.lock().create_invite(Role::Resident, 2)?;
    n.hub.lock().withdraw_invite(spare.id)?;
    let mut edit = activity("Lektiecafé", 20, None);
    edit.id = Some(n.activity);
    n.hub.lock().save_activity(edit)?;
    // A resident without a phone gets a member card, checked in by it.
    let card = n
        .hub
        .lock()
        .enrol_card("Zainab", "246813", &Default::default())?;
    n.hub.lock().check_in_card(&card.code, n.activity)?;
    n.sync().await?;
    // Amina pays at the community house and at a café partner (its closure
    // relayed into her ledger, beside the hub's statements of her balance),
    // and the café refuses a code without its statement.
    let (cafe, _) = n.cafe()?;
    n.hub.clock.advance(Duration::hours(2));
    n.sync().await?;
    let request = n.hub.lock().request_payment(2, "Kaffe")?.text;
    let paid = n.phone.lock().pay(&request)?.text;
    n.hub.lock().scan_text(&paid)?;
    let request = cafe.lock().request_payment(3, "Kage")?.text;
    let paid = n.phone.lock().pay(&request)?.text;
    cafe.lock().scan_text(&paid)?;
    let request = cafe.lock().request_payment(1, "Te")?.text;
    let paid = n.phone.lock().pay(&request)?.text;
    let Ok(nabo_shared::scan::Scanned::Payment(stripped)) =
        nabo_shared::scan::Scanned::parse(&paid)
    else {
        anyhow::bail!("not a payment");
    };
    let stripped = nabo_shared::rewards::payments::payment_text(&stripped.signed, None, None);
    assert!(cafe.lock().scan_text(&stripped).is_err());
    let file = cafe.lock().export_sync(Recipient::Coordinators)?.bytes;
    n.hub.lock().import_sync(&file)?;
    n.sync().await?;
    // A budget round: her proposal reviewed onto the ballot, voting opened,
    // her ballot, and the count.
    {
        use nabo_shared::budget::round::{BallotRule, Phase, RoundInput};
        let today = n.hub.clock.now().date_naive();
        let mut input = RoundInput {
            area: "Blok A".into(),
            ballot: BallotRule {
                min: 1,
                ..support::round_input(today).ballot
            },
            ..support::round_input(today)
        };
        let round = n.hub.lock().save_round(input.clone())?.id;
        n.sync().await?;
        let grill = n
            .phone
            .lock()
            .save_proposal(nabo_shared::budget::round::SaveProposal {
                id: None,
                round,
                title: "Grill".into(),
                description: "Til gården".into(),
                cost: 4_000,
                category: String::new(),
                recipient: "Beboerforeningen".into(),
                base: Vec::new(),
            })?;
        n.sync().await?;
        // She writes its description with Sara.
        let sara = n.hub.lock().device_key().key_id().to_string();
        n.phone.lock().set_proposal_helpers(grill, &[sara])?;
        n.sync().await?;
        let base = n.hub.lock().round_detail(round)?.proposals[0]
            .text_base
            .clone();
        n.hub
            .lock()
            .edit_proposal_text(grill, &base, "Til gården, ved bænkene")?;
        n.sync().await?;
        n.hub.lock().review_proposal(grill, true, "", None)?;
        input.id = Some(round);
        input.phases = input.phases.starting(Phase::Voting, today);
        n.hub.lock().save_round(input)?;
        n.sync().await?;
        n.phone.lock().cast_ballot(round, vec![grill])?;
        n.sync().await?;
        n.hub.lock().close_voting(round)?;
        n.sync().await?;
    }
    // The quick-grants pool: her application granted by the panel, and
    // paid.
    {
        use nabo_shared::budget::pool::{PaidFor, RecordPayout, SaveApplication, SavePool};
        let sara = n.hub.lock().device_key().key_id().to_string();
        n.hub.lock().save_pool(SavePool {
            amount: 10_000,
            cap: 5_000,
            days: 7,
            panel: vec![sara],
        })?;
        n.sync().await?;
        let party = n.phone.lock().save_application(SaveApplication {
            id: None,
            title: "Fastelavn".into(),
            description: "Tønder".into(),
            cost: 2_000,
            recipient: "Beboerforeningen".into(),
        })?;
        n.sync().await?;
        n.hub.lock().vote_on_application(party, true, "")?;
        n.hub.lock().record_payout(RecordPayout {
            paid_for: PaidFor::Grant { application: party },
            amount: 2_000,
            paid_on: n.hub.clock.now().date_naive(),
            note: String::new(),
        })?;
        n.sync().await?;
    }
    let before = what_counts(&n)?;
    assert!(
        before.contains("Fastelavn")
            && before.contains("Granted")
            && before.contains("amount: 2000"),
        "{before}"
    );
    assert!(
        before.contains("Grill") && before.contains("Paid"),
        "{before}"
    );
    assert!(before.contains("Zainab"), "{before}");
    assert!(
        before.contains("Til gården, ved bænkene") && before.contains("name: \"Sara\""),
        "{before}"
    );
    assert_eq!(
        n.amina_balance()?,
        (5, 5),
        "10, less 2 and 3 taken: {before}"
    );

    // Amina's modified app deletes every key of every document it holds
    // (the community document: genesis, memberships, join requests,
    // revocations, reinstatements, withdrawals, activities, a budget round,
    // proposals, reviews and the count, the pool, an application, a vote
    // and a payment; her check-ins; her ledger: rewards,
    // payments, closures, a refusal, statements, her ballot) and syncs.
    let held: Vec<String> = n.phone.lock().doc_heads()?.into_keys().collect();
    assert!(held.len() >= 3, "{held:?}");
    for name in &held {
        let doc = DocId::parse(name).context("a document id")?;
        n.phone.tamper(&doc, |d| {
            for key in d.keys(ROOT).collect::<Vec<_>>() {
                d.delete(ROOT, key)?;
            }
            Ok(())
        })?;
    }
    n.sync().await?;
    // And once more by file, to a coordinator.
    let file = n.phone.lock().export_sync(Recipient::Coordinators)?.bytes;
    n.hub.lock().import_sync(&file)?;

    assert_eq!(what_counts(&n)?, before, "nothing signed was lost");
    let erased = n
        .review()?
        .iter()
        .filter(|r| **r == ReviewReason::Erased)
        .count();
    assert!(
        erased >= 10,
        "every delete is in the review queue: {erased}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_that_would_exhaust_memory_is_refused_unread() -> Result<()> {
    let n = neighbourhood().await?;
    // 429 bytes that made Automerge reserve gigabytes (a fuzz finding),
    // sent as the community document in a member's signed sync file.
    let kept = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fuzz/crashers/document/oom-9d5961e02bf2dc24d468d15b49563b97b4a254d1");
    let hostile = std::fs::read(kept)?;
    let file = SyncFile::seal(
        &n.phone_key,
        n.community()?,
        Recipient::Coordinators,
        vec![(DocId::community(n.community()?).to_string(), hostile)],
    );
    let before = n.hub.lock().doc_heads()?;
    match n.hub.lock().import_sync(&file) {
        Err(EngineError::Refused(Refused::SyncFile(SyncFileProblem::Damaged))) => {}
        other => panic!("expected the file refused as damaged, got {other:?}"),
    }
    assert_eq!(n.hub.lock().doc_heads()?, before);
    Ok(())
}

fn refused_by(target: &str, bytes: &[u8]) -> bool {
    use nabo_shared::exchange::SyncFile;
    use nabo_shared::scan::Scanned;
    use nabo_shared::sync::wire::{Hello, Wire};
    match target {
        "scan" => std::str::from_utf8(bytes).map_or(true, |t| Scanned::parse(t).is_err()),
        "records" => Signed::<CheckIn>::open_bytes(bytes).is_err(),
        "proposal_text" => nabo_shared::budget::together::doc::parse(bytes).is_none(),
        "sync_file" => SyncFile::decode(bytes).is_err(),
        "wire" => Hello::decode(bytes).is_none() && Wire::decode(bytes).is_none(),
        // Through the fence the engine puts around Automerge (see
        // `nabo_shared::guard`): a panic inside counts as a refusal.
        "document" => {
            use nabo_shared::guard::{catching, plain_chunks};
            let loads =
                plain_chunks(bytes) && matches!(catching(|| AutoCommit::load(bytes)), Some(Ok(_)));
            let decodes = matches!(
                catching(|| automerge::sync::Message::decode(bytes)),
                Some(Ok(m)) if m.changes.iter().all(plain_chunks)
            );
            !loads && !decodes
        }
        // A pabulib file: read (or refused) and written back without a
        // panic, and read back the same.
        "pabulib" => {
            use nabo_shared::budget::pabulib;
            std::str::from_utf8(bytes).map_or(true, |text| match pabulib::parse(text) {
                Err(_) => true,
                Ok(i) => pabulib::parse(&pabulib::write(&i))
                    .is_ok_and(|again| again.projects == i.projects && again.votes == i.votes),
            })
        }
        other => panic!("no decoder for fuzz target {other}"),
    }
}

#[test]
fn kept_fuzz_crashers_are_refused_without_a_panic() -> Result<()> {
    // Every input that once made a fuzz target fail is kept here for good.
    let kept = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fuzz/crashers");
    let mut checked = 0;
    for target in std::fs::read_dir(&kept)? {
        let target = target?;
        let name = target.file_name().to_string_lossy().into_owned();
        for input in std::fs::read_dir(target.path())? {
            let input = input?.path();
            if input.extension().is_some_and(|x| x == "md") {
                continue;
            }
            let bytes = std::fs::read(&input)?;
            assert!(
                refused_by(&name, &bytes),
                "{} was accepted",
                input.display()
            );
            checked += 1;
        }
    }
    eprintln!("{checked} kept crashers refused");
    Ok(())
}

#[test]
#[ignore = "writes the fuzz corpus's seeds; scripts/fuzz.sh runs it"]
fn write_fuzz_seeds() -> Result<()> {
    use nabo_shared::sync::wire::{Hello, Wire};
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fuzz/corpus");
    let write = |target: &str, name: &str, bytes: &[u8]| -> Result<()> {
        let dir = corpus.join(target);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(name), bytes)?;
        Ok(())
    };
    let dir = tempfile::tempdir()?;
    let clock = clock();
    let (hub, key) = Device::with_key(dir.path(), "hub", &clock, 1)?;
    let mut engine = hub.lock();
    engine.create_community(CreateCommunity {
        community_name: "Tingbjerg".into(),
        my_name: "Sara".into(),
    })?;
    let lektie = engine
        .save_activity(activity("Lektiecafé", 10, Some(25)))?
        .id;
    let checkin = engine.checkin_code(lektie)?;
    let community = engine.community()?;
    write("scan", "checkin", checkin.encode().as_bytes())?;
    write(
        "scan",
        "invite",
        engine.invite_code(Role::Resident)?.encode().as_bytes(),
    )?;
    let pairing = engine.pairing_code(vec!["192.168.1.20".parse()?], 47800)?;
    write("scan", "pairing", pairing.encode().as_bytes())?;
    let card = nabo_shared::members::cards::CardCode {
        community,
        card: MemberKey::of(&SigningKey::from_bytes(&[5; 32])),
        lock: nabo_shared::members::cards::CardLock {
            salt: [1; 16],
            nonce: [2; 12],
            sealed: vec![3; 48],
        },
    };
    write("scan", "card", card.encode().as_bytes())?;
    engine.enrol_card("Zainab", "246813", &Default::default())?;
    engine.scan_text(&checkin.encode())?;
    // A budget round with a proposal on the ballot, a ballot and a count.
    {
        use nabo_shared::budget::round::{BallotRule, RoundInput};
        let today = clock.now().date_naive();
        let round = engine
            .save_round(RoundInput {
                area: "Blok A".into(),
                ballot: BallotRule {
                    min: 1,
                    max: Some(3),
                    cost_limit: Some(9_000),
                },
                ..support::round_input(today)
            })?
            .id;
        let grill = engine.save_proposal(nabo_shared::budget::round::SaveProposal {
            id: None,
            round,
            title: "Grill".into(),
            description: "Til gården".into(),
            cost: 4_000,
            category: "Udeareal".into(),
            recipient: "Beboerforeningen".into(),
            base: Vec::new(),
        })?;
        // Its photo (a small picture, scaled and stored as JPEG).
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            8,
            8,
            image::Rgb([40, 120, 80]),
        ))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)?;
        engine.set_proposal_photo(grill, Some(&png))?;
        // Its helpers (nobody yet), and a helper's edit of its text.
        engine.set_proposal_helpers(grill, &[])?;
        let base = engine.round_detail(round)?.proposals[0].text_base.clone();
        engine.edit_proposal_text(grill, &base, "Til gården, ved bænkene")?;
        engine.review_proposal(grill, true, "Tilbud", Some(4_500))?;
        clock.advance(Duration::days(2));
        engine.cast_ballot(round, vec![grill])?;
        // A paper ballot with its one-time code.
        let (_, codes) = engine.print_census_ballots(round, 1, &Default::default())?;
        engine.enter_paper_ballot(round, &codes[0], vec![grill], false)?;
        engine.close_voting(round)?;
        // The quick-grants pool, an application, and a payout for the
        // funded proposal.
        use nabo_shared::budget::pool::{PaidFor, RecordPayout, SaveApplication, SavePool};
        let me = engine.device_key().key_id().to_string();
        engine.save_pool(SavePool {
            amount: 20_000,
            cap: 5_000,
            days: 14,
            panel: vec![me],
        })?;
        let party = engine.save_application(SaveApplication {
            id: None,
            title: "Fastelavn".into(),
            description: "Tønder og boller".into(),
            cost: 2_500,
            recipient: "Beboerforeningen".into(),
        })?;
        engine.record_payout(RecordPayout {
            paid_for: PaidFor::Project {
                round,
                proposal: grill,
            },
            amount: 4_500,
            paid_on: clock.now().date_naive(),
            note: "Faktura 17".into(),
        })?;
        // A panel member's vote (another member's key: nobody votes on
        // their own application).
        let vote = nabo_shared::budget::pool::PanelVote {
            application: party,
            applicant: engine.device_key(),
            community: engine.status()?.profile.context("set up")?.community,
            version: clock.now(),
            yes: false,
            note: "Næste år".into(),
            voted_at: clock.now(),
        };
        let panel = SigningKey::from_bytes(&[5; 32]);
        write(
            "records",
            &format!("panel-vote-{party}"),
            &Signed::seal(&panel, &vote).to_bytes(),
        )?;
    }
    let bytes = engine.export_sync(Recipient::Coordinators)?.bytes;
    write("sync_file", "coordinator", &bytes)?;
    let file = nabo_shared::exchange::SyncFile::decode(&bytes)?;
    for (i, (_, saved)) in file.docs.iter().enumerate() {
        write("document", &format!("saved-{i}"), saved)?;
        let doc = AutoCommit::load(saved)?;
        for (key, _) in doc.map_range(ROOT, ..).map(|i| (i.key.to_string(), ())) {
            if let Some((value, _)) = doc.get(ROOT, key.as_str())? {
                if let Some(bytes) = value.as_bytes() {
                    write("records", &key.replace('/', "-"), bytes)?;
                    // An edit of a description: signed, and its change.
                    if key.starts_with("proposal-edit/") {
                        let edit =
                            Signed::<nabo_shared::budget::together::ProposalEdit>::open_bytes(
                                bytes,
                            )?;
                        write("proposal_text", "signed", bytes)?;
                        write("proposal_text", "change", &edit.value.change)?;
                    }
                }
            }
        }
    }
    // A coordinator's correction (a movement), as its member's ledger holds it.
    let correction = nabo_shared::rewards::ledger::Movement {
        id: nabo_shared::ids::EntryId::from_bytes([3; 16]),
        community,
        from: nabo_shared::rewards::ledger::Account::Community,
        to: nabo_shared::rewards::ledger::Account::Member(MemberKey::of(&SigningKey::from_bytes(
            &[2; 32],
        ))),
        amount: 20,
        reason: nabo_shared::rewards::ledger::Reason::Correction {
            note: "Hjalp til ved sommerfesten".into(),
            corrects: None,
        },
        at: clock.now(),
    };
    write(
        "records",
        "movement",
        &Signed::seal(&key, &correction).to_bytes(),
    )?;
    // An expiry of a month's points (a movement with its month's id).
    let member = MemberKey::of(&SigningKey::from_bytes(&[2; 32]));
    let month = nabo_shared::rewards::expiry::Month {
        year: 2026,
        month: 3,
    };
    let expiry = nabo_shared::rewards::ledger::Movement {
        id: nabo_shared::ids::EntryId::expiry_of(community, &member, month),
        community,
        from: nabo_shared::rewards::ledger::Account::Member(member),
        to: nabo_shared::rewards::ledger::Account::Community,
        amount: 15,
        reason: nabo_shared::rewards::ledger::Reason::Expiry { month },
        at: clock.now(),
    };
    write(
        "records",
        "movement-expiry",
        &Signed::seal(&key, &expiry).to_bytes(),
    )?;
    // A volunteer's hour claim and a coordinator's decision on it.
    let volunteer = SigningKey::from_bytes(&[2; 32]);
    let claim = nabo_shared::rewards::hours::HourClaim {
        id: nabo_shared::ids::HourClaimId::from_bytes([4; 16]),
        community,
        volunteer: MemberKey::of(&volunteer),
        version: 1,
        work: nabo_shared::rewards::hours::Work::Other("Malede opgangen".into()),
        date: clock.now().date_naive(),
        span: nabo_shared::rewards::hours::Span::Minutes(120),
        note: "To timer".into(),
        withdrawn: false,
        signed_at: clock.now(),
    };
    write(
        "records",
        "hour-claim",
        &Signed::seal(&volunteer, &claim).to_bytes(),
    )?;
    let decision = nabo_shared::rewards::hours::HourDecision {
        community,
        claim: claim.id,
        volunteer: claim.volunteer,
        version: 1,
        verdict: nabo_shared::rewards::hours::Verdict::Approved {
            quarters: 8,
            points: 20,
        },
        decided_at: clock.now(),
    };
    write(
        "records",
        "hour-decision",
        &Signed::seal(&key, &decision).to_bytes(),
    )?;
    // A coordinator's change of the community's rules.
    let rules = nabo_shared::rewards::rules::RulesChange {
        id: nabo_shared::ids::RulesId::from_bytes([5; 16]),
        community,
        rules: vec![
            nabo_shared::rewards::rules::Rule::PerHour(12),
            nabo_shared::rewards::rules::Rule::HoursDailyCap(30),
        ],
        changed_at: clock.now(),
    };
    write("records", "rules", &Signed::seal(&key, &rules).to_bytes())?;
    // A member's new phone: the invite marked for it, the old phone
    // retired, the new one linked.
    let (amina, phone) = (
        MemberKey::of(&SigningKey::from_bytes(&[2; 32])),
        MemberKey::of(&SigningKey::from_bytes(&[5; 32])),
    );
    let at = clock.now();
    let replacement = nabo_shared::members::devices::Replacement {
        community,
        invite: nabo_shared::ids::InviteId::from_bytes([8; 16]),
        member: amina,
        issued_at: at,
    };
    write(
        "records",
        "replacement",
        &Signed::seal(&key, &replacement).to_bytes(),
    )?;
    let retirement = nabo_shared::members::devices::DeviceRetirement {
        community,
        member: amina,
        device: amina,
        issued_at: at,
    };
    write(
        "records",
        "retired-device",
        &Signed::seal(&key, &retirement).to_bytes(),
    )?;
    let link = nabo_shared::members::devices::DeviceLink {
        community,
        member: amina,
        device: phone,
        issued_at: at,
    };
    write("records", "device", &Signed::seal(&key, &link).to_bytes())?;
    // A payment request of the community house, and a payment to it.
    let asked = engine.request_payment(20, "Lokaleleje")?.text;
    write("scan", "payment-request", asked.as_bytes())?;
    let payment = nabo_shared::rewards::ledger::Movement {
        id: nabo_shared::ids::EntryId::from_bytes([4; 16]),
        community,
        from: nabo_shared::rewards::ledger::Account::Member(amina),
        to: nabo_shared::rewards::ledger::Account::Community,
        amount: 20,
        reason: nabo_shared::rewards::ledger::Reason::Payment {
            reference: [5; 16],
            what: "Lokaleleje".into(),
        },
        at,
    };
    let signed = Signed::seal(&SigningKey::from_bytes(&[2; 32]), &payment);
    write(
        "scan",
        "payment",
        nabo_shared::rewards::payments::payment_text(
            &signed,
            Some(&Signed::seal(
                &key,
                &nabo_shared::rewards::payments::BalanceStatement {
                    community,
                    member: amina,
                    balance: 54,
                    issued_at: at,
                },
            )),
            Some(&nabo_shared::rewards::payments::Voucher::of(
                &Signed::seal(
                    &key,
                    &nabo_shared::members::Membership {
                        community,
                        member: amina,
                        name: "Amina".into(),
                        role: Role::Resident,
                        issued_at: at,
                    },
                ),
                None,
            )),
        )
        .as_bytes(),
    )?;
    write("records", "payment", &signed.to_bytes())?;
    let offer = nabo_shared::rewards::offers::Offer {
        id: nabo_shared::ids::OfferId::from_bytes([6; 16]),
        community,
        partner: amina,
        title: "Kaffe".into(),
        price: 4,
        withdrawn: false,
        updated_at: at,
    };
    write(
        "records",
        "offer",
        &Signed::seal(&SigningKey::from_bytes(&[2; 32]), &offer).to_bytes(),
    )?;
    let hello = Hello::new(&key, community, &[5; 32], b"");
    write("wire", "hello", &hello.encode())?;
    write("wire", "done", &Wire::Done.encode())?;
    write(
        "wire",
        "start",
        &Wire::Start {
            digest: [1; 32],
            messages: vec![(format!("community/{community}"), vec![0x42, 1, 2])],
        }
        .encode(),
    )?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_cannot_review_count_or_vote_for_others_and_a_late_ballot_changes_no_count(
) -> Result<()> {
    use nabo_shared::budget::round::{
        Ballot, BallotProblem, BallotRule, OutcomeRule, PaperBallot, Phase, Phases, ProposalReview,
        RoundInput, SaveProposal, Tally,
    };
    use nabo_shared::review::Writer;

    let n = neighbourhood().await?;
    let today = n.hub.clock.now().date_naive();
    let round = n.hub.lock().save_round(RoundInput {
        id: None,
        title: "Solhøj 2027".into(),
        amount: 50_000,
        area: "Blok A".into(),
        phases: Phases {
            ideas: today,
            review: today + chrono::Days::new(7),
            voting: today + chrono::Days::new(14),
            result: today + chrono::Days::new(21),
        },
        ballot: BallotRule {
            min: 1,
            max: None,
            cost_limit: None,
        },
        rule: OutcomeRule::EqualShares,
    })?;
    n.sync().await?;
    let propose = |title: &str, cost| SaveProposal {
        id: None,
        round: round.id,
        title: title.into(),
        description: "Hvorfor".into(),
        cost,
        category: String::new(),
        recipient: "Beboerforeningen".into(),
        base: Vec::new(),
    };
    let hers = n.phone.lock().save_proposal(propose("Grill", 40_000))?;
    let sara = n.hub.lock().save_proposal(propose("Bænke", 30_000))?;
    n.sync().await?;
    let community = n.community()?;
    let amina = MemberKey::of(&n.phone_key);
    let hub_key = n.hub.lock().device_key();

    // Her modified app reviews her own proposal onto the ballot at a cost
    // of 1, deletes Sara's proposal, and signs a count of 100 votes for
    // hers.
    let review = ProposalReview {
        proposal: hers,
        proposer: amina,
        community,
        round: round.id,
        version: n.phone.clock.now(),
        feasible: true,
        reason: "Billigt".into(),
        cost: Some(1),
        reviewed_at: n.phone.clock.now(),
    };
    let count = Tally {
        round: round.id,
        community,
        closed_at: n.phone.clock.now() + chrono::Duration::days(30),
        amount: 50_000,
        proposals: vec![(hers, 1)],
        groups: vec![(vec![hers], 100)],
        paper: Vec::new(),
    };
    n.phone.tamper(&DocId::community(community), |d| {
        d.put(
            ROOT,
            format!("proposal-review/{hers}"),
            Signed::seal(&n.phone_key, &review).to_bytes(),
        )?;
        d.put(
            ROOT,
            format!("tally/{}", round.id),
            Signed::seal(&n.phone_key, &count).to_bytes(),
        )?;
        d.delete(ROOT, format!("proposal/{sara}"))?;
        Ok(())
    })?;
    n.sync().await?;
    for device in [&n.hub, &n.phone] {
        let seen = device.lock().round_detail(round.id)?;
        assert_eq!(seen.proposals.len(), 2, "a deleted proposal stays");
        assert!(seen.proposals.iter().all(|p| p.review.is_none()));
        assert!(seen.result.is_none(), "her count counts for nothing");
    }
    let entitled = n
        .review()?
        .iter()
        .filter(|r| {
            matches!(
                r,
                ReviewReason::NotEntitled {
                    needs: Writer::Coordinator
                }
            )
        })
        .count();
    assert!(
        entitled >= 2,
        "the coordinator sees both: {:?}",
        n.review()?
    );
    let entitled_before = entitled;

    // The real review and voting.
    n.hub.clock.advance(Duration::days(7));
    n.phone.clock.advance(Duration::days(7));
    n.hub.lock().review_proposal(hers, true, "", None)?;
    n.hub.lock().review_proposal(sara, true, "", None)?;
    n.hub.clock.advance(Duration::days(7));
    n.phone.clock.advance(Duration::days(7));
    n.sync().await?;
    assert_eq!(n.phone.lock().rounds()?[0].phase, Phase::Voting);
    n.phone.lock().cast_ballot(round.id, vec![hers])?;
    // And a ballot in Sara's name, in her own document: Sara did not vote.
    let forged = Ballot {
        round: round.id,
        community,
        voter: hub_key,
        approves: vec![hers],
        seq: 1,
        signed_at: n.phone.clock.now(),
    };
    let doc = DocId::ledger(community, &amina, n.phone.clock.now());
    n.phone.tamper(&doc, |d| {
        d.put(
            ROOT,
            format!("ballot/{}", round.id),
            Signed::seal(&n.phone_key, &forged).to_bytes(),
        )?;
        Ok(())
    })?;
    n.sync().await?;
    // And a "paper ballot" for herself, which would count over her phone's.
    let paper = PaperBallot {
        round: round.id,
        community,
        voter: amina,
        approves: vec![sara],
        entered_at: n.phone.clock.now(),
    };
    n.phone.tamper(&doc, |d| {
        d.put(
            ROOT,
            format!("paper-ballot/{}", round.id),
            Signed::seal(&n.phone_key, &paper).to_bytes(),
        )?;
        Ok(())
    })?;
    n.sync().await?;
    // One member's ballot: hers by phone (which the forgery overwrote under
    // the same key, and which still counts), not Sara's, and no paper one.
    let held = n.hub.lock().round_detail(round.id)?;
    assert_eq!((held.ballots, held.paper), (Some(1), Some(0)));
    assert!(!n.phone.lock().round_detail(round.id)?.my_ballot_paper);
    let entitled_now = n
        .review()?
        .iter()
        .filter(|r| {
            matches!(
                r,
                ReviewReason::NotEntitled {
                    needs: Writer::Coordinator
                }
            )
        })
        .count();
    assert_eq!(
        entitled_now,
        entitled_before + 1,
        "her paper ballot is shown"
    );
    let result = n.hub.lock().close_voting(round.id)?;
    assert_eq!(result.voters, 1, "only her own ballot counts");
    assert_eq!(
        result.projects.iter().map(|p| p.votes).sum::<u64>(),
        1,
        "{result:?}"
    );

    // Her phone, its clock set back to the first day of voting and unaware
    // of the count, signs a new ballot for Sara's benches: the count stands.
    n.phone.clock.advance(Duration::days(-1));
    let late = Ballot {
        round: round.id,
        community,
        voter: amina,
        approves: vec![sara],
        seq: 99,
        signed_at: n.phone.clock.now(),
    };
    let doc = DocId::ledger(community, &amina, n.phone.clock.now());
    n.phone.tamper(&doc, |d| {
        d.put(
            ROOT,
            format!("ballot/{}", round.id),
            Signed::seal(&n.phone_key, &late).to_bytes(),
        )?;
        Ok(())
    })?;
    n.sync().await?;
    assert_eq!(
        n.hub.lock().round_detail(round.id)?.result,
        Some(result.clone())
    );
    assert_eq!(n.phone.lock().round_detail(round.id)?.result, Some(result));
    match n.phone.lock().cast_ballot(round.id, vec![sara]) {
        Err(EngineError::Refused(Refused::Ballot(BallotProblem::Counted))) => {}
        other => panic!("a ballot after the count: {other:?}"),
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_cannot_sit_on_the_panel_grant_herself_or_record_payouts_and_a_no_stands(
) -> Result<()> {
    use nabo_shared::budget::pool::{
        Application, Decision, PaidFor, PanelVote, Payout, Pool, SaveApplication, SavePool,
    };
    use nabo_shared::ids::PayoutId;
    use nabo_shared::review::Writer;

    let n = neighbourhood().await?;
    let community = n.community()?;
    let amina = MemberKey::of(&n.phone_key);
    let sara = n.hub.lock().device_key();
    n.hub.lock().save_pool(SavePool {
        amount: 10_000,
        cap: 5_000,
        days: 7,
        panel: vec![sara.key_id().to_string()],
    })?;
    n.sync().await?;
    let grill = n.phone.lock().save_application(SaveApplication {
        id: None,
        title: "Grill".into(),
        description: "Hvorfor".into(),
        cost: 4_000,
        recipient: "Beboerforeningen".into(),
    })?;
    n.sync().await?;

    // Her modified app signs a pool of its own with her as the panel, a
    // new version of her application and her own yes to it, and a payout
    // of it to herself.
    let now = n.phone.clock.now() + Duration::minutes(1);
    let mine = Application {
        id: grill,
        community,
        applicant: amina,
        title: "Grill".into(),
        description: "Hvorfor".into(),
        cost: 5_000,
        recipient: "Beboerforeningen".into(),
        withdrawn: false,
        updated_at: now,
    };
    let pool = Pool {
        community,
        amount: 1_000_000,
        cap: 1_000_000,
        days: 1,
        panel: vec![amina],
        updated_at: now + Duration::days(1),
    };
    let yes = PanelVote {
        application: grill,
        applicant: amina,
        community,
        version: now,
        yes: true,
        note: String::new(),
        voted_at: now,
    };
    let payout = Payout {
        id: PayoutId::from_bytes([7; 16]),
        community,
        paid_for: PaidFor::Grant { application: grill },
        recipient: "Amina".into(),
        amount: 5_000,
        paid_on: now.date_naive(),
        note: String::new(),
        cancelled: false,
        recorded_at: now,
    };
    n.phone.tamper(&DocId::community(community), |d| {
        d.put(ROOT, "pool", Signed::seal(&n.phone_key, &pool).to_bytes())?;
        d.put(
            ROOT,
            format!("application/{grill}"),
            Signed::seal(&n.phone_key, &mine).to_bytes(),
        )?;
        d.put(
            ROOT,
            format!("panel-vote/{grill}"),
            Signed::seal(&n.phone_key, &yes).to_bytes(),
        )?;
        d.put(
            ROOT,
            format!("payout/{}", payout.id),
            Signed::seal(&n.phone_key, &payout).to_bytes(),
        )?;
        Ok(())
    })?;
    n.sync().await?;
    for device in [&n.hub, &n.phone] {
        let pool = device.lock().pool()?;
        let settings = pool.settings.context("the pool")?;
        assert_eq!(settings.amount, 10_000, "her pool counts for nothing");
        let app = &pool.applications[0];
        assert_eq!(
            app.decision,
            Decision::Pending,
            "her own yes counts for nothing"
        );
        assert!(app.votes.is_empty());
        assert!(
            device.lock().account()?.payouts.is_empty(),
            "her payout counts for nothing"
        );
    }
    let entitled = n
        .review()?
        .iter()
        .filter(|r| {
            matches!(
                r,
                ReviewReason::NotEntitled {
                    needs: Writer::Coordinator
                }
            )
        })
        .count();
    assert!(
        entitled >= 2,
        "the coordinator sees her pool and payout: {:?}",
        n.review()?
    );

    // Sara says no. Her app then signs a cheaper version and deletes the
    // vote: the no stands, on the version it was on.
    // (Her own device does not project what it wrote behind the app's
    // back: the coordinator's hub is the honest device that judges.)
    assert_eq!(
        n.hub.lock().pool()?.applications[0].cost,
        5_000,
        "her new version is hers to make"
    );
    n.hub.lock().vote_on_application(grill, false, "Nej tak")?;
    n.sync().await?;
    assert_eq!(
        n.hub.lock().pool()?.applications[0].decision,
        Decision::Declined
    );
    let later = Application {
        cost: 1_000,
        updated_at: now + Duration::minutes(1),
        ..mine
    };
    n.phone.tamper(&DocId::community(community), |d| {
        d.put(
            ROOT,
            format!("application/{grill}"),
            Signed::seal(&n.phone_key, &later).to_bytes(),
        )?;
        d.delete(ROOT, format!("panel-vote/{grill}"))?;
        Ok(())
    })?;
    n.sync().await?;
    let pool = n.hub.lock().pool()?;
    let app = &pool.applications[0];
    assert_eq!(app.decision, Decision::Declined, "the no stands");
    assert_eq!(app.cost, 5_000, "on the version it was on");
    assert_eq!(app.votes.len(), 1);
    assert_eq!(app.votes[0].note, "Nej tak");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_cannot_print_census_codes_or_enter_paper_ballots_with_them() -> Result<()> {
    use nabo_shared::budget::round::{
        census_id, BallotRule, CensusBallot, CensusCodes, CensusTexts, RoundInput, SaveProposal,
    };
    use nabo_shared::review::Writer;

    let n = neighbourhood().await?;
    let community = n.community()?;
    let today = n.hub.clock.now().date_naive();
    let round = n
        .hub
        .lock()
        .save_round(RoundInput {
            ballot: BallotRule {
                min: 1,
                ..support::round_input(today).ballot
            },
            ..support::round_input(today)
        })?
        .id;
    let bench = n.hub.lock().save_proposal(SaveProposal {
        id: None,
        round,
        title: "Bænk".into(),
        description: "Hvorfor".into(),
        cost: 3_000,
        category: String::new(),
        recipient: "Beboerforeningen".into(),
        base: Vec::new(),
    })?;
    // Review the next day, voting the day after.
    n.hub.clock.advance(Duration::days(1));
    n.phone.clock.advance(Duration::days(1));
    n.hub.lock().review_proposal(bench, true, "", None)?;
    n.hub.clock.advance(Duration::days(1));
    n.phone.clock.advance(Duration::days(1));
    let (_, printed) = n.hub.lock().print_census_ballots(
        round,
        1,
        &CensusTexts {
            heading: "Stemmeseddel".into(),
            ..Default::default()
        },
    )?;
    n.sync().await?;

    // Her modified app signs codes of its own and enters a paper ballot
    // with one, and another with the code Sara printed (its id is in
    // Sara's signed list): neither counts, nor blocks Sara's entry.
    let now = n.phone.clock.now();
    let own = census_id(&round, "ABCDE-FGHJK").context("a code")?;
    let real = census_id(&round, &printed[0]).context("a code")?;
    let codes = CensusCodes {
        round,
        community,
        ids: vec![own],
        issued_at: now,
    };
    let ballot = |census| CensusBallot {
        round,
        community,
        census,
        approves: vec![bench],
        entered_at: now,
    };
    n.phone.tamper(&DocId::community(community), |d| {
        d.put(
            ROOT,
            format!("census-codes/{round}"),
            Signed::seal(&n.phone_key, &codes).to_bytes(),
        )?;
        for census in [own, real] {
            d.put(
                ROOT,
                format!("census-ballot/{census}"),
                Signed::seal(&n.phone_key, &ballot(census)).to_bytes(),
            )?;
        }
        Ok(())
    })?;
    n.sync().await?;
    let held = n.hub.lock().round_detail(round)?;
    assert_eq!(
        (held.ballots, held.paper),
        (Some(0), Some(0)),
        "her codes and her entries count for nothing"
    );
    let entitled = n
        .review()?
        .iter()
        .filter(|r| {
            matches!(
                r,
                ReviewReason::NotEntitled {
                    needs: Writer::Coordinator
                }
            )
        })
        .count();
    assert!(entitled >= 3, "{:?}", n.review()?);
    // Sara enters the paper with the real code: it counts, once.
    n.hub
        .lock()
        .enter_paper_ballot(round, &printed[0], vec![bench], false)?;
    let held = n.hub.lock().round_detail(round)?;
    assert_eq!((held.ballots, held.paper), (Some(1), Some(1)));
    Ok(())
}

/// A round in its ideas phase (`support::round_input`) with Sara's
/// proposal (a bench) and then Amina's (a grill), described as given, each
/// synced.
async fn two_proposals(
    n: &Neighbourhood,
    saras: &str,
    hers: &str,
) -> Result<(
    nabo_shared::ids::RoundId,
    nabo_shared::ids::ProposalId,
    nabo_shared::ids::ProposalId,
)> {
    use nabo_shared::budget::round::SaveProposal;
    let today = n.hub.clock.now().date_naive();
    let round = n.hub.lock().save_round(support::round_input(today))?.id;
    let propose = |title: &str, description: &str, cost| SaveProposal {
        id: None,
        round,
        title: title.into(),
        description: description.into(),
        cost,
        category: String::new(),
        recipient: "Beboerforeningen".into(),
        base: Vec::new(),
    };
    let bench = n.hub.lock().save_proposal(propose("Bænk", saras, 3_000))?;
    n.sync().await?;
    let grill = n
        .phone
        .lock()
        .save_proposal(propose("Grill", hers, 2_000))?;
    n.sync().await?;
    Ok((round, bench, grill))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_cannot_put_a_photo_on_anothers_proposal_or_send_one_that_is_not_a_small_jpeg(
) -> Result<()> {
    use nabo_shared::budget::round::{ProposalPhoto, MAX_PHOTO_BYTES};

    let n = neighbourhood().await?;
    let community = n.community()?;
    let (round, saras, hers) = two_proposals(&n, "Hvorfor", "Hvorfor").await?;
    let amina = MemberKey::of(&n.phone_key);
    let sara = n.hub.lock().device_key();
    let photo = |proposal, proposer, jpeg: Vec<u8>| ProposalPhoto {
        proposal,
        proposer,
        community,
        round,
        jpeg,
        added_at: n.phone.clock.now(),
    };
    let jpeg = [vec![0xFF, 0xD8, 0xFF, 0xE0], vec![0; 100]].concat();
    // Her app signs a photo "by Sara" for Sara's proposal, one in her own
    // name for Sara's, and two of her own that are not small JPEGs.
    let forged = [
        (saras, photo(saras, sara, jpeg.clone())),
        (saras, photo(saras, amina, jpeg.clone())),
        (hers, photo(hers, amina, b"<svg onload=alert(1)>".to_vec())),
        (
            hers,
            photo(
                hers,
                amina,
                [jpeg.clone(), vec![0; MAX_PHOTO_BYTES]].concat(),
            ),
        ),
    ];
    for (proposal, p) in &forged {
        n.phone.tamper(&DocId::community(community), |d| {
            d.put(
                ROOT,
                format!("proposal-photo/{proposal}"),
                Signed::seal(&n.phone_key, p).to_bytes(),
            )?;
            Ok(())
        })?;
    }
    n.sync().await?;
    let seen = n.hub.lock().round_detail(round)?;
    assert!(
        seen.proposals.iter().all(|p| !p.photo),
        "no photo counts: {:?}",
        seen.proposals
    );
    assert_eq!(n.hub.lock().proposal_photo(saras)?, None);
    assert_eq!(n.hub.lock().proposal_photo(hers)?, None);
    let refused = n
        .review()?
        .iter()
        .filter(|r| matches!(r, ReviewReason::Refused { .. }))
        .count();
    assert!(refused >= 3, "{:?}", n.review()?);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_cannot_write_in_a_description_she_was_not_asked_to_or_change_what_was_reviewed(
) -> Result<()> {
    use nabo_shared::budget::together::{doc, ProposalEdit, ProposalHelpers, ReviewedText};

    let n = neighbourhood().await?;
    let community = n.community()?;
    let (round, saras, hers) = two_proposals(&n, "Bænke ved legepladsen", "Til gården").await?;
    let amina = MemberKey::of(&n.phone_key);
    let sara = n.hub.lock().device_key();
    let text_of = |id| -> Result<String> {
        Ok(n.hub
            .lock()
            .round_detail(round)?
            .proposals
            .into_iter()
            .find(|p| p.id == id)
            .context("the proposal")?
            .description)
    };
    // A real change to Sara's text, made from where it stands.
    let change = |id, base: &[String], text: &str| -> Result<Vec<u8>> {
        let mut merged = doc::merge(id, Vec::new()).context("the base")?;
        doc::edit(&mut merged, base, text)
            .map_err(|e| anyhow::anyhow!("{e:?}"))?
            .context("a change")
    };
    let edit = |proposal, proposer, change: Vec<u8>| ProposalEdit {
        proposal,
        proposer,
        community,
        round,
        change,
        edited_at: n.phone.clock.now(),
    };
    let put = |key: String, bytes: Vec<u8>| {
        n.phone.tamper(&DocId::community(community), |d| {
            d.put(ROOT, key, bytes)?;
            Ok(())
        })
    };
    // (From the base: her app does not need the text as it stands.)
    let base = doc::heads_text(&doc::base(saras).get_heads());
    // Her app names herself Sara's helper, signing as herself; writes in
    // Sara's text as herself, and as if Sara's proposal were hers; and
    // sends a change that is no change and one far too large.
    let helpers = ProposalHelpers {
        proposal: saras,
        proposer: sara,
        community,
        round,
        helpers: vec![amina],
        updated_at: n.phone.clock.now(),
    };
    put(
        format!("proposal-helpers/{saras}"),
        Signed::seal(&n.phone_key, &helpers).to_bytes(),
    )?;
    let forged = [
        edit(saras, sara, change(saras, &base, "Hærværk")?),
        edit(saras, amina, change(saras, &base, "Hærværk")?),
        edit(saras, sara, b"not automerge at all".to_vec()),
        edit(
            saras,
            sara,
            [change(saras, &base, "x")?, vec![0; 40_000]].concat(),
        ),
    ];
    for e in &forged {
        put(
            format!("proposal-edit/{saras}"),
            Signed::seal(&n.phone_key, e).to_bytes(),
        )?;
    }
    n.sync().await?;
    assert_eq!(text_of(saras)?, "Bænke ved legepladsen");
    let refused = n
        .review()?
        .iter()
        .filter(|r| matches!(r, ReviewReason::Refused { .. }))
        .count();
    assert!(refused >= 2, "{:?}", n.review()?);

    // Her own proposal is reviewed; then her app signs an edit behind the
    // review (dated before it) and a "reviewed text" of her own with the
    // review's time. The review's text stays the one Sara saw, and Sara is
    // told the proposal changed.
    n.hub.lock().review_proposal(hers, true, "", None)?;
    n.sync().await?;
    let reviewed_at = n.hub.clock.now();
    // (From the base: her app does not need the text as it stands.)
    let her_base = doc::heads_text(&doc::base(hers).get_heads());
    n.phone.clock.set(reviewed_at - Duration::days(1));
    put(
        format!("proposal-edit/{hers}"),
        Signed::seal(
            &n.phone_key,
            &edit(
                hers,
                amina,
                change(hers, &her_base, "Til gården og hele blokken")?,
            ),
        )
        .to_bytes(),
    )?;
    let pinned = ReviewedText {
        proposal: hers,
        proposer: amina,
        community,
        round,
        text: "Til gården og hele blokken".into(),
        reviewed_at,
    };
    put(
        format!("reviewed-text/{hers}"),
        Signed::seal(&n.phone_key, &pinned).to_bytes(),
    )?;
    n.sync().await?;
    let seen = n.hub.lock().round_detail(round)?;
    let grill = seen
        .proposals
        .iter()
        .find(|p| p.id == hers)
        .context("hers")?;
    assert!(
        grill.review.as_ref().is_some_and(|r| r.outdated),
        "{grill:?}"
    );
    // A third member, neither proposer, helper nor coordinator, sees what
    // the ballot shows: the text Sara reviewed.
    let (omar, _) = Device::with_key(n._dir.path(), "omar", &n.hub.clock, 3)?;
    let invite = n.hub.lock().invite_code(Role::Resident)?.encode();
    omar.lock().join_community(JoinCommunity {
        invite,
        my_name: "Omar".into(),
    })?;
    let file = omar.lock().export_sync(Recipient::Coordinators)?.bytes;
    n.hub.lock().import_sync(&file)?;
    let to_omar = Recipient::Member(omar.lock().device_key());
    let file = n.hub.lock().export_sync(to_omar)?.bytes;
    omar.lock().import_sync(&file)?;
    let his = omar.lock().round_detail(round)?;
    let grill = his
        .proposals
        .iter()
        .find(|p| p.id == hers)
        .context("hers")?;
    assert_eq!(grill.description, "Til gården");
    assert!(!grill.writes);
    Ok(())
}
