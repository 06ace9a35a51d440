//! Engine tests on real SQLite files: the foundation slice end to end
//! without a window — community, invite, join, activity, signed rotating
//! code, check-in, exchange by sync file, reward under the cap, balance —
//! and the refusals: forged, expired, foreign and repeated codes, broken
//! files. Each device is an `Engine` over its own file in a temp dir.

mod support;

use support::{activity, tuesday as start};

use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::{Duration, NaiveTime};
use nabo_lib::engine::{Clock, Engine, EngineError, GateError, ManualClock, Reconciled, Refused};
use nabo_shared::activities::{CheckinCode, CheckinRejection, ScanOutcome};
use nabo_shared::community::{CreateCommunity, JoinCommunity};
use nabo_shared::crypto::{MemberKey, SigningKey};
use nabo_shared::exchange::{ImportResult, Recipient, SyncFileProblem};
use nabo_shared::fields::FieldProblem;
use nabo_shared::ids::{ActivityId, CheckinId, CommunityId};
use nabo_shared::members::Role;
use nabo_shared::rewards::LineStatus;
use nabo_shared::sync::Refusal;

struct Device {
    engine: Engine,
    path: PathBuf,
    clock: ManualClock,
}

impl Device {
    fn new(dir: &tempfile::TempDir, name: &str, clock: &ManualClock) -> Result<Self> {
        let path = dir.path().join(format!("{name}.sqlite3"));
        Ok(Self {
            engine: Engine::open(&path, clock.clone())?,
            path,
            clock: clock.clone(),
        })
    }

    /// Closes and reopens the store, as after an app restart.
    fn reopen(self) -> Result<Self> {
        let Device {
            engine,
            path,
            clock,
        } = self;
        drop(engine);
        Ok(Self {
            engine: Engine::open(&path, clock.clone())?,
            path,
            clock,
        })
    }
}

/// The rule an engine error names; any other failure (the database, a
/// damaged store) fails the test.
fn refused(e: EngineError) -> Refused {
    match e {
        EngineError::Refused(r) => r,
        other => panic!("expected a refusal, got {other}"),
    }
}

/// The network gate's verdict; a failure to check fails the test.
fn gate(engine: &Engine, community: &CommunityId, device: &MemberKey) -> Result<(), Refusal> {
    engine.admit(community, device, &[]).map_err(|e| match e {
        GateError::Refused(reason) => reason,
        GateError::Failed(e) => panic!("the gate could not check: {e}"),
    })
}

/// A new device that joined the community with an invite of `role` from
/// `hub` as `name` (the hub hears of it at the next sync), stored as
/// `name`'s first word, in lower case.
fn new_member(dir: &tempfile::TempDir, hub: &mut Device, name: &str, role: Role) -> Result<Device> {
    let invite = hub.engine.invite_code(role)?.encode();
    let file = name.split(' ').next().unwrap_or(name).to_lowercase();
    let mut device = Device::new(dir, &file, &hub.clock)?;
    device.engine.join_community(JoinCommunity {
        invite,
        my_name: name.into(),
    })?;
    Ok(device)
}

/// Moves everything `from` has to `to` through a sync file.
fn exchange(from: &mut Device, to: &mut Device) -> Result<ImportResult> {
    let file = from
        .engine
        .export_sync(Recipient::Member(to.engine.device_key()))?;
    Ok(to.engine.import_sync(&file.bytes)?)
}

/// A coordinator with a community and one activity, and a resident who joined it.
fn community_with_resident(dir: &tempfile::TempDir) -> Result<(Device, Device, ActivityId)> {
    let clock = start();
    let mut hub = Device::new(dir, "coordinator", &clock)?;
    hub.engine.create_community(CreateCommunity {
        community_name: "Tingbjerg".into(),
        my_name: "Sara".into(),
    })?;
    let lektie = hub
        .engine
        .save_activity(activity("Lektiecafé", 10, Some(25)))?
        .id;
    let invite = hub.engine.invite_code(Role::Resident)?.encode();
    let mut phone = Device::new(dir, "resident", &clock)?;
    phone.engine.join_community(JoinCommunity {
        invite,
        my_name: "Amina".into(),
    })?;
    Ok((hub, phone, lektie))
}

#[test]
fn founding_a_community_makes_this_device_its_coordinator() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut hub = Device::new(&dir, "hub", &start())?;
    assert!(hub.engine.status()?.profile.is_none());
    let status = hub.engine.create_community(CreateCommunity {
        community_name: "  Tingbjerg ".into(),
        my_name: "Sara".into(),
    })?;
    let profile = status.profile.expect("set up");
    assert_eq!(profile.community_name, "Tingbjerg");
    assert!(profile.is_coordinator && profile.confirmed);
    assert_eq!(profile.role, Role::Coordinator);

    let again = hub.engine.create_community(CreateCommunity {
        community_name: "Other".into(),
        my_name: "Sara".into(),
    });
    assert_eq!(again.map_err(refused).unwrap_err(), Refused::AlreadySetUp);

    // Everything survives a restart: identity, community, role.
    let key = hub.engine.device_key();
    let hub = hub.reopen()?;
    assert_eq!(hub.engine.device_key(), key);
    assert!(
        hub.engine
            .status()?
            .profile
            .expect("still set up")
            .is_coordinator
    );
    Ok(())
}

#[test]
fn empty_names_are_refused_with_the_field_named() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut hub = Device::new(&dir, "hub", &start())?;
    let err = hub
        .engine
        .create_community(CreateCommunity {
            community_name: "   ".into(),
            my_name: "Sara".into(),
        })
        .map_err(refused)
        .unwrap_err();
    assert_eq!(
        err,
        Refused::InvalidField {
            field: "community_name",
            problem: FieldProblem::Required
        }
    );
    assert!(hub.engine.status()?.profile.is_none(), "nothing was stored");
    Ok(())
}

#[test]
fn activities_are_created_edited_and_validated() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, id) = community_with_resident(&dir)?;
    let mut edit = activity("Lektiecafé for alle", 15, None);
    edit.id = Some(id);
    hub.clock.advance(Duration::minutes(1));
    let saved = hub.engine.save_activity(edit)?;
    assert_eq!(
        (saved.title.as_str(), saved.reward, saved.daily_cap),
        ("Lektiecafé for alle", 15, None)
    );
    assert_eq!(
        hub.engine.list_activities()?.len(),
        1,
        "an edit replaces, never duplicates"
    );

    let mut bad = activity("Havedag", 10, Some(5));
    let err = hub
        .engine
        .save_activity(bad.clone())
        .map_err(refused)
        .unwrap_err();
    assert_eq!(
        err,
        Refused::InvalidField {
            field: "daily_cap",
            problem: FieldProblem::BelowReward
        }
    );
    bad.daily_cap = None;
    bad.schedule.end = NaiveTime::from_hms_opt(14, 0, 0).unwrap();
    let err = hub.engine.save_activity(bad).map_err(refused).unwrap_err();
    assert!(matches!(err, Refused::InvalidField { field: "end", .. }));

    // A resident may not create activities.
    let err = phone
        .engine
        .save_activity(activity("Fest", 10, None))
        .map_err(refused)
        .unwrap_err();
    assert_eq!(err, Refused::NotCoordinator);
    Ok(())
}

#[test]
fn a_resident_checks_in_offline_and_is_rewarded_after_an_exchange() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, lektie) = community_with_resident(&dir)?;
    let waiting = phone.engine.status()?.profile.expect("joined");
    assert!(!waiting.confirmed, "a join waits for a coordinator");
    assert_eq!(waiting.community_name, "Tingbjerg");

    // The QR on the coordinator's screen names the activity and its
    // reward, so the phone can say what it checked in to before it knows
    // the activity.
    let qr = hub.engine.checkin_qr(lektie)?.text;
    phone.clock.advance(Duration::seconds(10));
    let outcome = phone.engine.scan_text(&qr)?;
    assert!(
        matches!(&outcome, ScanOutcome::CheckedIn { activity, reward: Some(10), .. } if activity == "Lektiecafé"),
        "the phone names it from the code: {outcome:?}"
    );
    let wallet = phone.engine.wallet()?;
    assert_eq!((wallet.balance, wallet.history.len()), (0, 1));
    assert_eq!(wallet.history[0].status, LineStatus::Pending);
    assert_eq!(
        (wallet.history[0].title.as_str(), wallet.history[0].amount),
        ("Lektiecafé", 10)
    );

    // At the community house: the phone's file goes to the coordinator...
    let result = exchange(&mut phone, &mut hub)?;
    assert_eq!(
        (
            result.members_confirmed,
            result.rewards_issued,
            result.capped
        ),
        (1, 1, 0)
    );
    let members = hub.engine.members()?;
    assert!(members
        .iter()
        .any(|m| m.name == "Amina" && m.confirmed && m.balance == 10));

    // ...and the coordinator's file comes back.
    exchange(&mut hub, &mut phone)?;
    let wallet = phone.engine.wallet()?;
    assert_eq!((wallet.balance, wallet.pending), (10, 0));
    assert_eq!(wallet.history[0].status, LineStatus::Issued);
    assert_eq!(wallet.history[0].title, "Lektiecafé");
    assert!(phone.engine.status()?.profile.expect("member").confirmed);

    // Exchanging again changes nothing and issues nothing twice.
    let again = exchange(&mut phone, &mut hub)?;
    assert_eq!((again.documents_changed, again.rewards_issued), (0, 0));
    assert_eq!(hub.engine.doc_heads()?, phone.engine.doc_heads()?);
    assert_eq!(
        hub.engine.projection_dump()?,
        phone.engine.projection_dump()?
    );
    Ok(())
}

#[test]
fn a_rebuild_checks_again_only_the_signatures_the_store_never_saw_hold() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, lektie) = community_with_resident(&dir)?;
    let qr = hub.engine.checkin_qr(lektie)?.text;
    phone.engine.scan_text(&qr)?;
    exchange(&mut phone, &mut hub)?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(10));
    let sql = |d: &Device, sql: &str| -> Result<i64> {
        Ok(rusqlite::Connection::open(&d.path)?.query_row(sql, [], |r| r.get(0))?)
    };
    // Every signed value the hub holds was checked as it arrived or was
    // written, and is kept as checked (one digest per distinct value).
    let values = "SELECT COUNT(DISTINCT bytes) FROM history_values WHERE bytes IS NOT NULL";
    let kept = "SELECT COUNT(*) FROM verified_values";
    let signed = sql(&hub, values)?;
    assert!(signed >= 5, "{signed}");
    assert_eq!(sql(&hub, kept)?, signed);
    // A rebuild that knows none checks every signature again and keeps
    // them; one that knows them all rebuilds the same rows.
    let before = hub.engine.projection_dump()?;
    rusqlite::Connection::open(&hub.path)?.execute_batch("DELETE FROM verified_values")?;
    hub.engine.rebuild_projection()?;
    assert_eq!(hub.engine.projection_dump()?, before);
    assert_eq!(sql(&hub, kept)?, signed);
    hub.engine.rebuild_projection()?;
    assert_eq!(hub.engine.projection_dump()?, before);
    assert_eq!(balance_of(&hub, "Amina")?, Some(10));
    Ok(())
}

#[test]
fn the_activities_list_counts_the_check_ins_of_today_only() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, lektie) = community_with_resident(&dir)?;
    let today = |hub: &Device| -> Result<u32> {
        Ok(hub
            .engine
            .list_activities()?
            .into_iter()
            .find(|a| a.id == lektie)
            .context("listed")?
            .checkins_today)
    };
    assert_eq!(today(&hub)?, 0);
    let qr = hub.engine.checkin_qr(lektie)?.text;
    phone.engine.scan_text(&qr)?;
    exchange(&mut phone, &mut hub)?;
    assert_eq!(today(&hub)?, 1);
    hub.clock.advance(Duration::days(1));
    assert_eq!(today(&hub)?, 0, "yesterday's is not today's");
    let qr = hub.engine.checkin_qr(lektie)?.text;
    phone.engine.scan_text(&qr)?;
    exchange(&mut phone, &mut hub)?;
    assert_eq!(today(&hub)?, 1);
    Ok(())
}

#[test]
fn how_far_reconcile_looked_is_kept_over_a_restart_but_not_a_rebuild() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, lektie) = community_with_resident(&dir)?;
    let marks = |d: &Device| -> Result<i64> {
        Ok(rusqlite::Connection::open(&d.path)?.query_row(
            "SELECT COUNT(*) FROM reconcile_marks",
            [],
            |r| r.get(0),
        )?)
    };
    let check_in = |hub: &Device, phone: &mut Device| -> Result<()> {
        let qr = hub.engine.checkin_qr(lektie)?.text;
        phone.engine.scan_text(&qr)?;
        Ok(())
    };
    check_in(&hub, &mut phone)?;
    exchange(&mut phone, &mut hub)?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(10));
    assert_eq!(marks(&hub)?, 1, "kept by the reconcile of the sync");
    // After a restart the hub reads only check-ins newer than the marks:
    // the next day's is rewarded.
    let mut hub = hub.reopen()?;
    hub.clock.advance(Duration::days(1));
    check_in(&hub, &mut phone)?;
    exchange(&mut phone, &mut hub)?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(20));
    // A rebuild numbers every row anew: the marks go with it, and the
    // next check-in is still found after a restart.
    hub.engine.rebuild_projection()?;
    assert_eq!(marks(&hub)?, 0, "a rebuild drops the marks");
    let mut hub = hub.reopen()?;
    hub.clock.advance(Duration::days(1));
    check_in(&hub, &mut phone)?;
    exchange(&mut phone, &mut hub)?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(30));
    Ok(())
}

#[test]
fn a_member_placed_anew_has_their_old_check_ins_looked_at_again_and_no_one_elses() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut amina, lektie) = community_with_resident(&dir)?;
    exchange(&mut amina, &mut hub)?;
    let mut omar = new_member(&dir, &mut hub, "Omar", Role::Resident)?;
    let check_in = |hub: &mut Device, phone: &mut Device| -> Result<()> {
        hub.clock.advance(Duration::minutes(1));
        let qr = hub.engine.checkin_qr(lektie)?.text;
        phone.engine.scan_text(&qr)?;
        exchange(phone, hub)?;
        Ok(())
    };
    check_in(&mut hub, &mut omar)?;
    assert_eq!(balance_of(&hub, "Omar")?, Some(10));
    let rewards_of = |d: &Device, key: &MemberKey| -> Result<i64> {
        Ok(rusqlite::Connection::open(&d.path)?.query_row(
            "SELECT COUNT(*) FROM ledger WHERE to_key = ?1",
            [key.to_hex()],
            |r| r.get(0),
        )?)
    };
    // Omar's reward taken out of the hub's projection by hand: only a look
    // at every check-in again issues it anew, which shows which look a
    // reconcile took.
    let omar_key = omar.engine.device_key();
    rusqlite::Connection::open(&hub.path)?
        .execute("DELETE FROM ledger WHERE to_key = ?1", [omar_key.to_hex()])?;
    // Amina, revoked, checks in anyway: nothing for her, and the hub's
    // reconcile goes past her check-in.
    let amina_id = amina.engine.device_key().key_id().to_string();
    hub.engine.revoke_member(&amina_id)?;
    check_in(&mut hub, &mut amina)?;
    hub.engine.reconcile()?;
    assert_eq!(rewards_of(&hub, &amina.engine.device_key())?, 0);
    // Reinstated, her place in the community changed: her check-ins are
    // looked at again (rewarded, as looking at everyone's would), and no
    // one else's (Omar's reward is not issued anew).
    hub.engine.reinstate_member(&amina_id)?;
    hub.engine.reconcile()?;
    let scoped = balance_of(&hub, "Amina")?;
    assert_eq!(rewards_of(&hub, &amina.engine.device_key())?, 1);
    assert_eq!(rewards_of(&hub, &omar_key)?, 0);
    // A new activity makes the hub look at its check-ins only (it has
    // none yet): Omar's reward is still not issued anew.
    hub.engine.save_activity(activity("Strikkeklub", 5, None))?;
    hub.engine.reconcile()?;
    assert_eq!(rewards_of(&hub, &omar_key)?, 0);
    // Nor does a change of the rules (rewards come from activities).
    let rules = hub.engine.rules()?.rules;
    hub.engine.set_rules(nabo_shared::rewards::rules::Rules {
        credit_limit: rules.credit_limit + 1,
        ..rules
    })?;
    hub.engine.reconcile()?;
    assert_eq!(rewards_of(&hub, &omar_key)?, 0);
    // Nor does a member card (it places its holder, whose check-ins are
    // looked at again), once the accounts are judged again after the
    // change of the rules (placing members scopes the look only while
    // verdicts are kept).
    assert_eq!(balance_of(&hub, "Amina")?, scoped);
    hub.engine
        .enrol_card("Zainab", "246813", &Default::default())?;
    hub.engine.reconcile()?;
    assert_eq!(rewards_of(&hub, &omar_key)?, 0);
    // A new coordinator changes the terms of office, which decide whose
    // signatures count: every check-in is looked at again. Omar's reward
    // comes back, and Amina's account is what the scoped look gave.
    second_coordinator(&dir, &mut hub)?;
    hub.engine.reconcile()?;
    assert!(rewards_of(&hub, &omar_key)? > 0);
    assert_eq!(balance_of(&hub, "Amina")?, scoped);
    Ok(())
}

#[test]
fn a_check_in_that_came_before_its_activity_is_rewarded_when_the_activity_comes() -> Result<()> {
    // With the hub's verdicts kept (the activity's check-ins looked at with
    // those of members placed anew), and with none kept (a store from before
    // they were: the activity's alone).
    for kept in [true, false] {
        let dir = tempfile::tempdir()?;
        let (mut hub, mut amina, lektie) = community_with_resident(&dir)?;
        let qr = hub.engine.checkin_qr(lektie)?.text;
        amina.engine.scan_text(&qr)?;
        assert_eq!(exchange(&mut amina, &mut hub)?.rewards_issued, 1);
        let mut ole = second_coordinator(&dir, &mut hub)?;
        exchange(&mut hub, &mut amina)?;
        // (A new coordinator can make any check-in rewardable: the hub
        // looks at every one once.)
        hub.engine.reconcile()?;
        // Her reward taken out of the hub's projection by hand: only a look
        // at every check-in again issues it anew, which shows which look a
        // reconcile took.
        let conn = rusqlite::Connection::open(&hub.path)?;
        conn.execute(
            "DELETE FROM ledger WHERE to_key = ?1",
            [amina.engine.device_key().to_hex()],
        )?;
        // Ole makes an activity on his own device and shows its code; Amina
        // checks in, and her phone meets the hub before Ole's device does.
        ole.clock.advance(Duration::minutes(1));
        let strik = ole
            .engine
            .save_activity(activity("Strikkeklub", 5, None))?
            .id;
        let qr = ole.engine.checkin_qr(strik)?.text;
        let ScanOutcome::CheckedIn { .. } = amina.engine.scan_text(&qr)? else {
            anyhow::bail!("a coordinator's code checks in");
        };
        let imported = exchange(&mut amina, &mut hub)?;
        assert_eq!(
            imported.rewards_issued, 0,
            "the hub does not know the activity yet"
        );
        if !kept {
            conn.execute_batch(
                "DELETE FROM kept; DELETE FROM kept_verdicts; DELETE FROM kept_stale;",
            )?;
            hub = hub.reopen()?;
        }
        // The activity arrives: the hub looks at its check-ins again,
        // however far it had looked before, and at no one else's.
        let imported = exchange(&mut ole, &mut hub)?;
        assert_eq!(
            imported.rewards_issued, 1,
            "the knitting club's, not the other ({kept})"
        );
        assert_eq!(balance_of(&hub, "Amina")?, Some(5));
        // Looking at every check-in finds the one taken out by hand.
        let again = hub.engine.reconcile_from_the_start()?;
        assert_eq!(again.rewarded, 1);
        assert_eq!(balance_of(&hub, "Amina")?, Some(15));
    }
    Ok(())
}

#[test]
fn what_was_judged_is_kept_over_a_restart_with_what_moved_since() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, lektie) = community_with_resident(&dir)?;
    let amina = phone.engine.device_key().key_id().to_string();
    let count = |d: &Device, sql: &str| -> Result<i64> {
        Ok(rusqlite::Connection::open(&d.path)?.query_row(sql, [], |r| r.get(0))?)
    };
    let qr = hub.engine.checkin_qr(lektie)?.text;
    phone.engine.scan_text(&qr)?;
    exchange(&mut phone, &mut hub)?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(10));
    hub.engine.review()?;
    assert_eq!(
        count(
            &hub,
            "SELECT COUNT(*) FROM kept WHERE what IN ('accounts', 'signatures')"
        )?,
        2,
        "accounts and signatures kept in the store"
    );
    // A correction moves Amina's account; nothing reads it before the app
    // closes, so the store marks it to be judged again.
    // (The correction is of a kind a coordinator signs: the queue looks
    // at its signature again too.)
    hub.engine.correct_points(&amina, 5, "Hjalp til")?;
    let stale = "SELECT COUNT(*) FROM kept_stale WHERE what = 'accounts'";
    assert_eq!(count(&hub, stale)?, 1);
    assert_eq!(count(&hub, "SELECT COUNT(*) FROM kept_stale")?, 2);
    let hub = hub.reopen()?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(15));
    assert_eq!(count(&hub, stale)?, 0);
    hub.engine.review()?;
    assert_eq!(count(&hub, "SELECT COUNT(*) FROM kept_stale")?, 0);
    assert_eq!(hub.engine.overspends()?, hub.engine.overspends_afresh()?);

    // Opening takes the verdicts up as the store keeps them (this device's
    // own store is trusted): one changed by hand shows, which is how this
    // test knows nothing was judged again.
    let set = |d: &Device, sql: &str| -> Result<()> {
        rusqlite::Connection::open(&d.path)?.execute(sql, [])?;
        Ok(())
    };
    let tamper = "UPDATE kept_verdicts SET verdict = json_set(verdict, '$.balance', 999)
                  WHERE what = 'accounts' AND json_extract(verdict, '$.balance') = 15";
    set(&hub, tamper)?;
    let mut hub = hub.reopen()?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(999));
    // A new activity moves no one's account (no hours wait), nor does a
    // budget round: everything stays kept, under the community document's
    // new heads.
    hub.engine.save_activity(activity("Strikkeklub", 5, None))?;
    assert_eq!(count(&hub, "SELECT COUNT(*) FROM kept")?, 2);
    let mut hub = hub.reopen()?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(999));
    let today = hub.clock.now().date_naive();
    hub.engine.save_round(support::round_input(today))?;
    let mut hub = hub.reopen()?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(999));
    // A change of Amina's place in the community (her phone revoked) marks
    // her account alone, in the same transaction: judged again, right.
    hub.engine.revoke_member(&amina)?;
    assert_eq!(count(&hub, stale)?, 1);
    assert_eq!(count(&hub, "SELECT COUNT(*) FROM kept")?, 2);
    assert_eq!(balance_of(&hub, "Amina")?, Some(15));
    hub.engine.reinstate_member(&amina)?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(15));
    // A change of the rules can move every account: they are forgotten
    // (what was signed out of office still holds: the terms are the same).
    set(&hub, tamper)?;
    let mut hub = hub.reopen()?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(999));
    let rules = hub.engine.rules()?.rules;
    hub.engine.set_rules(nabo_shared::rewards::rules::Rules {
        credit_limit: 5,
        ..rules
    })?;
    assert_eq!(
        count(&hub, "SELECT group_concat(what) = 'signatures' FROM kept")?,
        1
    );
    assert_eq!(balance_of(&hub, "Amina")?, Some(15));
    // Kept under other community heads (written there by hand): judged
    // again on opening.
    set(&hub, tamper)?;
    set(&hub, "UPDATE kept SET community_heads = x'00'")?;
    let hub = hub.reopen()?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(15));
    // Unreadable: judged again on opening, and kept afresh.
    set(
        &hub,
        "UPDATE kept_verdicts SET verdict = '{' WHERE what = 'accounts'",
    )?;
    let mut hub = hub.reopen()?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(15));
    assert!(
        count(
            &hub,
            "SELECT COUNT(*) FROM kept_verdicts WHERE verdict = '{'"
        )? == 0
    );
    // A rebuild forgets them too.
    hub.engine.rebuild_projection()?;
    assert_eq!(count(&hub, "SELECT COUNT(*) FROM kept")?, 0);
    assert_eq!(balance_of(&hub, "Amina")?, Some(15));
    Ok(())
}

#[test]
fn refused_codes_say_why_and_store_nothing() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, lektie) = community_with_resident(&dir)?;
    let before = (phone.engine.doc_heads()?, phone.engine.projection_dump()?);
    let reason =
        |phone: &mut Device, text: &str| phone.engine.scan_text(text).map_err(refused).unwrap_err();

    // Expired: scanned two windows after it was shown.
    let old = hub.engine.checkin_code(lektie)?.encode();
    phone.clock.advance(Duration::seconds(90));
    assert_eq!(
        reason(&mut phone, &old),
        Refused::Checkin(CheckinRejection::Expired)
    );

    // Forged: a stranger's key, and a coordinator's code with the activity changed.
    let now = phone.clock.now();
    let community = hub.engine.status()?.profile.unwrap().community;
    let stranger = SigningKey::from_bytes(&[9; 32]);
    let forged = CheckinCode::issue(&stranger, community, lektie, now).encode();
    assert_eq!(
        reason(&mut phone, &forged),
        Refused::Checkin(CheckinRejection::UnknownSigner)
    );
    let mut altered = hub.engine.checkin_code(lektie)?;
    altered.activity = ActivityId::from_bytes([1; 16]);
    assert_eq!(
        reason(&mut phone, &altered.encode()),
        Refused::Checkin(CheckinRejection::BadSignature)
    );

    // Foreign: a code from another neighbourhood's coordinator.
    let elsewhere = tempfile::tempdir()?;
    let mut other = Device::new(&elsewhere, "other", &phone.clock)?;
    other.engine.create_community(CreateCommunity {
        community_name: "Gellerup".into(),
        my_name: "Ole".into(),
    })?;
    let theirs = other.engine.save_activity(activity("Fodbold", 5, None))?.id;
    let foreign = other.engine.checkin_code(theirs)?.encode();
    assert_eq!(
        reason(&mut phone, &foreign),
        Refused::Checkin(CheckinRejection::ForeignCommunity)
    );
    let _ = CommunityId::from_bytes([0; 16]);

    // Garbled and wrong-kind codes.
    assert!(matches!(
        reason(&mut phone, "hello"),
        Refused::UnreadableCode(_)
    ));
    assert!(matches!(
        reason(&mut phone, "nabo:c1:AAAA"),
        Refused::UnreadableCode(_)
    ));
    let invite = hub.engine.invite_code(Role::Resident)?.encode();
    assert_eq!(
        reason(&mut phone, &invite),
        Refused::WrongKindOfCode(nabo_shared::codes::CodeKind::Invite)
    );

    assert_eq!(
        (phone.engine.doc_heads()?, phone.engine.projection_dump()?),
        before,
        "nothing was stored"
    );

    // Repeated: the first scan counts; the second the same day records
    // nothing and says so calmly.
    let fresh = hub.engine.checkin_code(lektie)?.encode();
    phone.engine.scan_text(&fresh)?;
    let after_first = phone.engine.doc_heads()?;
    assert!(matches!(
        phone.engine.scan_text(&fresh)?,
        ScanOutcome::AlreadyCheckedIn { .. }
    ));
    phone.clock.advance(Duration::minutes(5));
    let later = hub.engine.checkin_code(lektie)?.encode();
    assert!(matches!(
        phone.engine.scan_text(&later)?,
        ScanOutcome::AlreadyCheckedIn { .. }
    ));
    assert_eq!(phone.engine.doc_heads()?, after_first);
    Ok(())
}

#[test]
fn the_daily_cap_limits_what_an_activity_issues_in_a_day() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut first, lektie) = community_with_resident(&dir)?; // reward 10, cap 25
    let mut phones = vec![];
    for name in ["Yusuf", "Mette"] {
        let invite = hub.engine.invite_code(Role::Resident)?.encode();
        let mut p = Device::new(&dir, name, &hub.clock)?;
        p.engine.join_community(JoinCommunity {
            invite,
            my_name: name.into(),
        })?;
        phones.push(p);
    }
    let code = hub.engine.checkin_code(lektie)?.encode();
    first.engine.scan_text(&code)?;
    for p in &mut phones {
        hub.clock.advance(Duration::seconds(1));
        p.engine.scan_text(&code)?;
    }
    exchange(&mut first, &mut hub)?;
    let mut totals = (0, 0);
    for p in &mut phones {
        let r = exchange(p, &mut hub)?;
        totals.0 += r.rewards_issued;
        totals.1 += r.capped;
    }
    let balances: Vec<i64> = hub
        .engine
        .members()?
        .iter()
        .filter(|m| m.role == Role::Resident)
        .map(|m| m.balance)
        .collect();
    assert_eq!(
        balances.iter().sum::<i64>(),
        25,
        "10 + 10 + 5 under a cap of 25: {balances:?}"
    );
    assert_eq!(totals, (2, 0));

    // The next day the cap starts again.
    hub.clock.advance(Duration::days(1));
    let code = hub.engine.checkin_code(lektie)?.encode();
    first.engine.scan_text(&code)?;
    let r = exchange(&mut first, &mut hub)?;
    assert_eq!(r.rewards_issued, 1);
    Ok(())
}

#[test]
fn a_fourth_check_in_past_the_cap_is_recorded_with_nothing_issued() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let clock = start();
    let mut hub = Device::new(&dir, "hub", &clock)?;
    hub.engine.create_community(CreateCommunity {
        community_name: "Tingbjerg".into(),
        my_name: "Sara".into(),
    })?;
    let id = hub
        .engine
        .save_activity(activity("Havedag", 10, Some(20)))?
        .id;
    let mut phones = vec![];
    for i in 0..3 {
        let invite = hub.engine.invite_code(Role::Resident)?.encode();
        let mut p = Device::new(&dir, &format!("p{i}"), &clock)?;
        p.engine.join_community(JoinCommunity {
            invite,
            my_name: format!("P{i}"),
        })?;
        let code = hub.engine.checkin_code(id)?.encode();
        p.engine.scan_text(&code)?;
        clock.advance(Duration::seconds(1));
        phones.push(p);
    }
    let mut capped = 0;
    for p in &mut phones {
        capped += exchange(p, &mut hub)?.capped;
    }
    assert_eq!(capped, 1);
    // The activity's attendance list says the same, newest first.
    let came: Vec<(LineStatus, u32)> = hub
        .engine
        .activity_attendance(id, 100)?
        .rows
        .into_iter()
        .map(|a| (a.status, a.amount))
        .collect();
    assert_eq!(
        came,
        [
            (LineStatus::Capped, 0),
            (LineStatus::Issued, 10),
            (LineStatus::Issued, 10)
        ]
    );
    // A page of it: the newest two, and how many in all.
    let page = hub.engine.activity_attendance(id, 2)?;
    assert_eq!((page.checkins, page.people), (3, 3));
    assert_eq!(
        page.rows.iter().map(|a| a.status).collect::<Vec<_>>(),
        [LineStatus::Capped, LineStatus::Issued]
    );
    let last = phones.last_mut().unwrap();
    exchange(&mut hub, last)?;
    let wallet = last.engine.wallet()?;
    assert_eq!(wallet.balance, 0);
    assert_eq!(
        wallet.history[0].status,
        LineStatus::Capped,
        "visible, not dropped"
    );
    Ok(())
}

/// A store that grows from nothing while the app runs (a community house's
/// computer left on for weeks) gets the query planner's statistics as it
/// grows: without them every index looks alike to SQLite, since each
/// starts with the one community, and it picks badly.
#[test]
fn the_query_planner_learns_a_store_that_grows_without_a_restart() -> Result<()> {
    use nabo_lib::engine::synthetic::Plan;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("hub.sqlite3");
    let clock = start();
    let end = clock.now();
    let mut engine = Engine::open(&path, clock.clone())?;
    let plan = Plan {
        residents: 40,
        partners: 1,
        activities: 2,
        months: 4,
    };
    let made = engine.make_up_years(&plan, &clock, end, |_, _| {})?;
    assert!(made.records > 2_000, "{made:?}");
    // Read beside the running engine, as another connection sees the file.
    let conn = rusqlite::Connection::open(&path)?;
    let rows: Option<i64> = conn
        .query_row(
            "SELECT CAST(stat AS INTEGER) FROM sqlite_stat1 WHERE idx = 'ledger_by_member'",
            [],
            |r| r.get(0),
        )
        .ok();
    assert!(
        rows.is_some_and(|n| n > 100),
        "the ledger's index has statistics: {rows:?}"
    );
    drop(engine);
    Ok(())
}

#[test]
fn broken_or_foreign_sync_files_change_nothing() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, lektie) = community_with_resident(&dir)?;
    let code = hub.engine.checkin_code(lektie)?.encode();
    phone.engine.scan_text(&code)?;
    let before = (hub.engine.doc_heads()?, hub.engine.projection_dump()?);
    let problem =
        |hub: &mut Device, bytes: &[u8]| match hub.engine.import_sync(bytes).map_err(refused) {
            Err(Refused::SyncFile(problem)) => problem,
            other => panic!("expected a refusal, got {other:?}"),
        };

    let good = phone.engine.export_sync(Recipient::Coordinators)?.bytes;
    assert_eq!(
        problem(&mut hub, b"PK\x03\x04 a zip file"),
        SyncFileProblem::NotASyncFile
    );
    assert_eq!(
        problem(&mut hub, &good[..good.len() / 2]),
        SyncFileProblem::Damaged
    );
    let mut flipped = good.clone();
    let middle = flipped.len() - 40;
    flipped[middle] ^= 0xff;
    let result = hub.engine.import_sync(&flipped);
    assert!(
        result.is_err(),
        "a flipped byte inside a saved document is caught by its checksum"
    );

    let elsewhere = tempfile::tempdir()?;
    let mut other = Device::new(&elsewhere, "other", &hub.clock)?;
    other.engine.create_community(CreateCommunity {
        community_name: "Gellerup".into(),
        my_name: "Ole".into(),
    })?;
    let foreign = other.engine.export_sync(Recipient::Coordinators)?.bytes;
    assert_eq!(problem(&mut hub, &foreign), SyncFileProblem::OtherCommunity);

    assert_eq!(
        (hub.engine.doc_heads()?, hub.engine.projection_dump()?),
        before
    );
    // The good file still works afterwards.
    assert_eq!(hub.engine.import_sync(&good)?.rewards_issued, 1);
    Ok(())
}

#[test]
fn rebuilding_the_projection_from_documents_equals_the_incremental_one() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, lektie) = community_with_resident(&dir)?;
    let code = hub.engine.checkin_code(lektie)?.encode();
    phone.engine.scan_text(&code)?;
    exchange(&mut phone, &mut hub)?;
    let mut edit = activity("Lektiecafé (ny)", 12, None);
    edit.id = Some(lektie);
    hub.clock.advance(Duration::minutes(1));
    hub.engine.save_activity(edit)?;
    exchange(&mut hub, &mut phone)?;

    for device in [&mut hub, &mut phone] {
        let incremental = device.engine.projection_dump()?;
        assert!(incremental.iter().any(|r| r.starts_with("ledger:")));
        device.engine.rebuild_projection()?;
        assert_eq!(device.engine.projection_dump()?, incremental);
    }
    Ok(())
}

#[test]
fn two_devices_converge_whichever_way_files_travel_first() -> Result<()> {
    for hub_first in [true, false] {
        let dir = tempfile::tempdir()?;
        let (mut hub, mut phone, lektie) = community_with_resident(&dir)?;
        let code = hub.engine.checkin_code(lektie)?.encode();
        phone.engine.scan_text(&code)?;
        hub.engine.save_activity(activity("Havedag", 20, None))?;
        if hub_first {
            exchange(&mut hub, &mut phone)?;
            exchange(&mut phone, &mut hub)?;
            exchange(&mut hub, &mut phone)?;
        } else {
            exchange(&mut phone, &mut hub)?;
            exchange(&mut hub, &mut phone)?;
        }
        assert_eq!(hub.engine.doc_heads()?, phone.engine.doc_heads()?);
        assert_eq!(
            hub.engine.projection_dump()?,
            phone.engine.projection_dump()?
        );
        assert_eq!(phone.engine.wallet()?.balance, 10);
    }
    Ok(())
}

#[test]
fn forged_rewards_are_not_money_and_cannot_hide_real_ones() -> Result<()> {
    use automerge::{transaction::Transactable, AutoCommit, ROOT};
    use nabo_lib::engine::DocId;
    use nabo_shared::exchange::SyncFile;
    use nabo_shared::ids::{CheckinId, EntryId};
    use nabo_shared::rewards::{EntryReason, LedgerEntry};
    use nabo_shared::signed::Signed;

    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, lektie) = community_with_resident(&dir)?;
    let code = hub.engine.checkin_code(lektie)?.encode();
    let ScanOutcome::CheckedIn { checkin, .. } = phone.engine.scan_text(&code)? else {
        panic!("a check-in code checks in");
    };
    exchange(&mut phone, &mut hub)?;
    exchange(&mut hub, &mut phone)?;
    assert_eq!(phone.engine.wallet()?.balance, 10);

    // Someone who is not a coordinator signs two big "rewards" for the phone:
    // one under a new key, one under the key of the real reward.
    let community = phone.engine.status()?.profile.unwrap().community;
    let rogue = SigningKey::from_bytes(&[42; 32]);
    let forge = |checkin: CheckinId| LedgerEntry {
        id: EntryId::reward_for(checkin),
        community,
        to: phone.engine.device_key(),
        amount: 1000,
        reason: EntryReason::CheckIn {
            checkin,
            activity: lektie,
        },
        issued_at: phone.clock.now(),
    };
    let mut doc = AutoCommit::new();
    for entry in [forge(checkin), forge(CheckinId::from_bytes([5; 16]))] {
        doc.put(
            ROOT,
            format!("reward/{}", entry.id),
            Signed::seal(&rogue, &entry).to_bytes(),
        )?;
    }
    let file = SyncFile::seal(
        &rogue,
        community,
        Recipient::Member(phone.engine.device_key()),
        vec![(
            DocId::ledger(community, &phone.engine.device_key(), phone.clock.now()).to_string(),
            doc.save(),
        )],
    );
    let imported = phone.engine.import_sync(&file)?;
    assert_eq!(imported.refused_documents, 1, "not the stranger's to share");
    assert_eq!(
        phone.engine.wallet()?.balance,
        10,
        "forged entries are not money, the real one still counts"
    );

    // The phone itself cannot issue currency either.
    assert_eq!(phone.engine.reconcile()?, Reconciled::default());
    assert_eq!(
        phone.engine.members().map_err(refused).unwrap_err(),
        Refused::NotCoordinator
    );
    Ok(())
}

#[test]
fn only_confirmed_members_pass_the_network_gate() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, _) = community_with_resident(&dir)?;
    let community = hub.engine.status()?.profile.unwrap().community;
    let phone_key = phone.engine.device_key();
    assert_eq!(
        gate(&hub.engine, &community, &phone_key),
        Err(Refusal::NotMember),
        "a join request is not membership"
    );
    exchange(&mut phone, &mut hub)?;
    assert_eq!(gate(&hub.engine, &community, &phone_key), Ok(()));
    assert_eq!(
        gate(&phone.engine, &community, &hub.engine.device_key()),
        Ok(()),
        "the founder, known from the invite"
    );
    let stranger = SigningKey::from_bytes(&[8; 32]);
    assert_eq!(
        gate(&hub.engine, &community, &MemberKey::of(&stranger)),
        Err(Refusal::NotMember)
    );
    assert_eq!(
        gate(&hub.engine, &CommunityId::from_bytes([3; 16]), &phone_key),
        Err(Refusal::OtherCommunity)
    );
    Ok(())
}

#[test]
fn the_demo_is_a_living_neighbourhood() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut device = Device::new(&dir, "demo", &start())?;
    let status = device.engine.start_demo()?;
    assert!(status.profile.expect("set up").is_coordinator);
    assert_eq!(device.engine.list_activities()?.len(), 3);
    let members = device.engine.members()?;
    assert_eq!(members.len(), 5, "four residents and the coordinator");
    assert!(members
        .iter()
        .filter(|m| m.role != Role::Coordinator)
        .all(|m| m.balance > 0));
    // Volunteers' hours wait in the review queue; approved, they count.
    let hours: Vec<nabo_shared::rewards::hours::HoursRef> = device
        .engine
        .review()?
        .into_iter()
        .filter(|i| matches!(i.reason, nabo_shared::review::ReviewReason::Hours { .. }))
        .filter_map(|i| i.subject?.parse().ok())
        .collect();
    assert_eq!(hours.len(), 3);
    let before: i64 = device.engine.members()?.iter().map(|m| m.balance).sum();
    assert_eq!(device.engine.decide_hours(&hours, None)?, 3);
    let after: i64 = device.engine.members()?.iter().map(|m| m.balance).sum();
    assert_eq!(after - before, 20 + 30 + 15);
    let currency = device.engine.currency()?;
    assert_eq!(currency.circulating, after);
    assert_eq!(currency.community_account + after, 0);
    assert_eq!(currency.from_hours, 65);
    assert_eq!(
        i64::try_from(currency.from_checkins + currency.from_hours)?,
        after
    );
    assert_eq!(currency.holders, 4);
    let incremental = device.engine.projection_dump()?;
    device.engine.rebuild_projection()?;
    assert_eq!(device.engine.projection_dump()?, incremental);
    Ok(())
}

#[test]
fn a_coordinators_new_version_of_an_activity_counts_even_within_the_same_millisecond() -> Result<()>
{
    let dir = tempfile::tempdir()?;
    // The clock stands still: every version is signed at the same moment.
    let (mut hub, _phone, lektie) = community_with_resident(&dir)?;
    for round in 0..4 {
        let archived = round % 2 == 0;
        hub.engine.archive_activity(lektie, archived)?;
        let shown = hub.engine.list_activities()?;
        let a = shown.iter().find(|a| a.id == lektie).expect("listed");
        assert_eq!(a.archived, archived, "round {round}");
    }
    let mut edit = activity("Lektiecafé og kage", 10, Some(25));
    edit.id = Some(lektie);
    hub.engine.save_activity(edit)?;
    let titles: Vec<String> = hub
        .engine
        .list_activities()?
        .into_iter()
        .map(|a| a.title)
        .collect();
    assert_eq!(titles, ["Lektiecafé og kage"]);
    Ok(())
}

#[test]
fn waiting_check_ins_are_approved_a_day_at_once_or_declined_with_a_reason_the_member_sees(
) -> Result<()> {
    use nabo_shared::review::ReviewReason;
    use nabo_shared::rewards::LineStatus;

    let dir = tempfile::tempdir()?;
    let (mut hub, mut amina, lektie) = community_with_resident(&dir)?;
    let strikke = hub
        .engine
        .save_activity(activity("Strikkecafé", 5, None))?
        .id;
    let mut omar = new_member(&dir, &mut hub, "Omar", Role::Resident)?;
    let (lektie_poster, _) = hub.engine.poster_code(lektie)?;
    let (strikke_poster, _) = hub.engine.poster_code(strikke)?;
    amina.engine.scan_text(&lektie_poster)?;
    amina.engine.scan_text(&strikke_poster)?;
    omar.engine.scan_text(&lektie_poster)?;
    assert_eq!(
        amina
            .engine
            .wallet()?
            .history
            .iter()
            .filter(|l| l.status == LineStatus::AwaitingApproval)
            .count(),
        2,
        "the phone says its poster check-ins wait for a coordinator"
    );
    exchange(&mut amina, &mut hub)?;
    exchange(&mut omar, &mut hub)?;

    let waiting = |hub: &Device, title: &str| -> Result<Vec<CheckinId>> {
        Ok(hub
            .engine
            .review()?
            .into_iter()
            .filter(|i| matches!(&i.reason, ReviewReason::PosterCheckin { activity, .. } if activity == title))
            .filter_map(|i| i.subject.and_then(|s| s.parse().ok()))
            .collect())
    };
    let lektie_day = waiting(&hub, "Lektiecafé")?;
    assert_eq!(lektie_day.len(), 2);
    let mut asked = lektie_day.clone();
    asked.push(CheckinId::from_bytes([9; 16]));
    assert_eq!(
        hub.engine.approve_checkins(&asked)?,
        2,
        "the whole day at once; what is not waiting is passed over"
    );
    assert!(waiting(&hub, "Lektiecafé")?.is_empty());

    let knit = waiting(&hub, "Strikkecafé")?;
    assert_eq!(knit.len(), 1);
    assert!(matches!(
        refused(hub.engine.decline_checkin(knit[0], "  ").unwrap_err()),
        Refused::InvalidField {
            field: "reason",
            problem: FieldProblem::Required
        }
    ));
    assert_eq!(
        hub.engine.decline_checkins(
            &[knit[0], CheckinId::from_bytes([9; 16])],
            "Strikkecaféen var aflyst i dag"
        )?,
        1,
        "a whole day at once; what is not waiting is passed over"
    );
    assert!(waiting(&hub, "Strikkecafé")?.is_empty());
    assert_eq!(hub.engine.approve_checkins(&knit)?, 0, "a no is a no");
    assert!(matches!(
        refused(hub.engine.decline_checkin(knit[0], "igen").unwrap_err()),
        Refused::NotFound(_)
    ));

    exchange(&mut hub, &mut amina)?;
    exchange(&mut hub, &mut omar)?;
    assert_eq!(omar.engine.wallet()?.balance, 10);
    let wallet = amina.engine.wallet()?;
    assert_eq!((wallet.balance, wallet.pending), (10, 0));
    let declined = wallet
        .history
        .iter()
        .find(|l| l.title == "Strikkecafé")
        .expect("the declined line stays in the history");
    assert_eq!(declined.status, LineStatus::Declined);
    assert_eq!(
        declined.note.as_deref(),
        Some("Strikkecaféen var aflyst i dag")
    );

    // A store from before declines were kept migrates on open, and keeps
    // every balance.
    let hub = hub.reopen()?;
    {
        let conn = rusqlite::Connection::open(&hub.path)?;
        conn.execute("ALTER TABLE ledger DROP COLUMN declined", [])?;
        conn.pragma_update(None, "user_version", 7)?;
    }
    let hub = hub.reopen()?;
    let members = hub.engine.members()?;
    let balance = |name: &str| members.iter().find(|m| m.name == name).map(|m| m.balance);
    assert_eq!((balance("Amina"), balance("Omar")), (Some(10), Some(10)));
    assert!(hub
        .engine
        .review()?
        .iter()
        .all(|i| !matches!(i.reason, ReviewReason::PosterCheckin { .. })));
    Ok(())
}

#[test]
fn a_coordinator_corrects_points_with_a_note_the_member_sees_and_never_below_zero() -> Result<()> {
    use nabo_shared::rewards::LineStatus;

    let dir = tempfile::tempdir()?;
    let (mut hub, mut amina, _lektie) = community_with_resident(&dir)?;
    exchange(&mut amina, &mut hub)?;
    let device = amina.engine.device_key().key_id().to_string();
    hub.engine
        .correct_points(&device, 30, "Hjalp til ved sommerfesten")?;
    hub.engine
        .correct_points(&device, -5, "Fem point for meget")?;
    let invalid = |e: EngineError| match refused(e) {
        Refused::InvalidField { field, problem } => (field, problem),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        invalid(
            hub.engine
                .correct_points(&device, -26, "for meget")
                .unwrap_err()
        ),
        ("amount", FieldProblem::MoreThanBalance)
    );
    assert_eq!(
        invalid(hub.engine.correct_points(&device, 0, "intet").unwrap_err()),
        ("amount", FieldProblem::OutOfRange)
    );
    assert_eq!(
        invalid(hub.engine.correct_points(&device, 5, "  ").unwrap_err()),
        ("note", FieldProblem::Required)
    );
    assert!(matches!(
        refused(
            amina
                .engine
                .correct_points(&device, 100, "til mig selv")
                .unwrap_err()
        ),
        Refused::NotCoordinator
    ));
    let own = hub.engine.device_key().key_id().to_string();
    assert!(matches!(
        refused(
            hub.engine
                .correct_points(&own, 100, "til mig selv")
                .unwrap_err()
        ),
        Refused::OwnPoints
    ));
    let amina_row = |hub: &Device| -> Result<i64> {
        Ok(hub
            .engine
            .members()?
            .into_iter()
            .find(|m| m.name == "Amina")
            .map(|m| m.balance)
            .unwrap_or_default())
    };
    assert_eq!(amina_row(&hub)?, 25);
    // The community's account issued every point: it stands at minus
    // what circulates.
    let currency = hub.engine.currency()?;
    assert_eq!(
        (
            currency.circulating,
            currency.community_account,
            currency.corrections_given,
            currency.corrections_taken,
            currency.holders
        ),
        (25, -25, 30, 5, 1)
    );
    assert!(matches!(
        refused(amina.engine.currency().unwrap_err()),
        Refused::NotCoordinator
    ));

    exchange(&mut hub, &mut amina)?;
    let wallet = amina.engine.wallet()?;
    assert_eq!(wallet.balance, 25);
    let lines: Vec<(u32, bool, Option<&str>)> = wallet
        .history
        .iter()
        .filter(|l| l.status == LineStatus::Corrected)
        .map(|l| (l.amount, l.debit, l.note.as_deref()))
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.contains(&(30, false, Some("Hjalp til ved sommerfesten"))));
    assert!(lines.contains(&(5, true, Some("Fem point for meget"))));
    // A rebuilt projection agrees.
    let dump = amina.engine.projection_dump()?;
    amina.engine.rebuild_projection()?;
    assert_eq!(amina.engine.projection_dump()?, dump);
    Ok(())
}

#[test]
fn volunteer_hours_are_logged_offline_edited_and_approved_or_declined_then_locked() -> Result<()> {
    use nabo_shared::review::ReviewReason;
    use nabo_shared::rewards::hours::{HoursRef, HoursState, LogHours, Span, Work};

    let dir = tempfile::tempdir()?;
    let (mut hub, mut amina, lektie) = community_with_resident(&dir)?;
    exchange(&mut amina, &mut hub)?;
    exchange(&mut hub, &mut amina)?;
    let today = amina.clock.now().date_naive();
    let amina_key = amina.engine.device_key();
    let hers = |claim| HoursRef {
        claim,
        volunteer: amina_key,
    };
    let sara = hub.engine.device_key();
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let log = |claim, work, date, span| LogHours {
        claim,
        work,
        date,
        span,
        note: "Lektiehjælp".into(),
    };
    let invalid = |e: EngineError| match refused(e) {
        Refused::InvalidField { field, problem } => (field, problem),
        other => panic!("{other:?}"),
    };
    // Offline, on her phone: 16:00–18:20 counts as nine quarters; she
    // corrects it to 18:00 before anyone decided.
    let helped = amina.engine.log_hours(log(
        None,
        Work::Activity(lektie),
        today,
        Span::Times {
            start: t(16, 0),
            end: t(18, 20),
        },
    ))?;
    amina.engine.log_hours(log(
        Some(helped),
        Work::Activity(lektie),
        today,
        Span::Times {
            start: t(16, 0),
            end: t(18, 0),
        },
    ))?;
    let tidied = amina.engine.log_hours(log(
        None,
        Work::Other("Ryddede op i fælleshuset".into()),
        today,
        Span::Minutes(60),
    ))?;
    let mistake = amina.engine.log_hours(log(
        None,
        Work::Other("Forkert dag".into()),
        today,
        Span::Minutes(30),
    ))?;
    amina.engine.withdraw_hours(mistake)?;
    for (input, expected) in [
        (
            log(
                None,
                Work::Activity(lektie),
                today + Duration::days(1),
                Span::Minutes(60),
            ),
            ("date", FieldProblem::OutOfRange),
        ),
        (
            log(
                None,
                Work::Activity(lektie),
                today,
                Span::Times {
                    start: t(18, 0),
                    end: t(16, 0),
                },
            ),
            ("end", FieldProblem::EndsBeforeStart),
        ),
        (
            log(None, Work::Other("  ".into()), today, Span::Minutes(60)),
            ("work", FieldProblem::Required),
        ),
        (
            log(None, Work::Activity(lektie), today, Span::Minutes(5)),
            ("duration", FieldProblem::OutOfRange),
        ),
    ] {
        assert_eq!(
            invalid(amina.engine.log_hours(input).unwrap_err()),
            expected
        );
    }
    let mine = amina.engine.list_hours()?;
    let state = |lines: &[nabo_shared::rewards::hours::HoursLine], id| {
        lines
            .iter()
            .find(|l| l.claim == id)
            .map(|l| (l.state, l.quarters, l.points))
    };
    assert_eq!(state(&mine, helped), Some((HoursState::Pending, 8, 20)));
    assert_eq!(state(&mine, tidied), Some((HoursState::Pending, 4, 10)));
    assert_eq!(state(&mine, mistake), Some((HoursState::Withdrawn, 2, 5)));
    assert_eq!(amina.engine.wallet()?.balance, 0);

    // At the community house: both wait in the review queue, the
    // withdrawn one does not.
    exchange(&mut amina, &mut hub)?;
    let waiting: Vec<(String, u32)> = hub
        .engine
        .review()?
        .into_iter()
        .filter_map(|i| match i.reason {
            ReviewReason::Hours {
                activity, quarters, ..
            } => Some((activity, quarters)),
            _ => None,
        })
        .collect();
    assert_eq!(
        waiting,
        vec![
            ("Lektiecafé".to_owned(), 8),
            ("Ryddede op i fælleshuset".to_owned(), 4)
        ]
    );
    assert_eq!(
        invalid(
            hub.engine
                .decide_hours(&[hers(tidied)], Some(" "))
                .unwrap_err()
        ),
        ("reason", FieldProblem::Required)
    );
    assert!(matches!(
        refused(
            amina
                .engine
                .decide_hours(&[hers(helped)], None)
                .unwrap_err()
        ),
        Refused::NotCoordinator
    ));
    assert_eq!(hub.engine.decide_hours(&[hers(helped)], None)?, 1);
    assert_eq!(
        hub.engine
            .decide_hours(&[hers(tidied), hers(helped)], Some("Det var ikke aftalt"))?,
        1,
        "a claim already decided is passed over"
    );
    assert!(!hub
        .engine
        .review()?
        .iter()
        .any(|i| matches!(i.reason, ReviewReason::Hours { .. })));
    let balance = |d: &Device, name: &str| -> Result<i64> {
        Ok(d.engine
            .members()?
            .into_iter()
            .find(|m| m.name == name)
            .map(|m| m.balance)
            .unwrap_or_default())
    };
    assert_eq!(balance(&hub, "Amina")?, 20);
    let currency = hub.engine.currency()?;
    assert_eq!(
        (
            currency.circulating,
            currency.from_hours,
            currency.from_checkins
        ),
        (20, 20, 0)
    );

    // Before that reached her, she changed the approved claim: the change
    // counts for nothing once the decision arrives, and is shown.
    amina.engine.log_hours(log(
        Some(helped),
        Work::Activity(lektie),
        today,
        Span::Times {
            start: t(16, 0),
            end: t(22, 0),
        },
    ))?;
    exchange(&mut amina, &mut hub)?;
    exchange(&mut hub, &mut amina)?;
    let mine = amina.engine.list_hours()?;
    assert_eq!(state(&mine, helped), Some((HoursState::Approved, 8, 20)));
    let approved = mine.iter().find(|l| l.claim == helped).unwrap();
    assert!(approved.edited_after);
    assert_eq!(approved.decided_by.as_deref(), Some("Sara"));
    let declined = mine.iter().find(|l| l.claim == tidied).unwrap();
    assert_eq!(declined.state, HoursState::Declined);
    assert_eq!(declined.reason.as_deref(), Some("Det var ikke aftalt"));
    let wallet = amina.engine.wallet()?;
    assert_eq!(wallet.balance, 20);
    assert!(wallet
        .history
        .iter()
        .any(|l| l.status == LineStatus::Hours && l.amount == 20 && l.title == "Lektiecafé"));
    assert_eq!(balance(&hub, "Amina")?, 20);
    // The coordinator sees her hours in her history, with who decided.
    let device = amina.engine.device_key().key_id().to_string();
    let seen = hub.engine.member_hours(&device)?;
    assert_eq!(state(&seen, helped), Some((HoursState::Approved, 8, 20)));
    assert_eq!(
        seen.iter()
            .find(|l| l.claim == tidied)
            .and_then(|l| l.decided_by.as_deref()),
        Some("Sara")
    );
    assert!(matches!(
        refused(amina.engine.member_hours(&device).unwrap_err()),
        Refused::NotCoordinator
    ));
    // Decided claims are locked.
    assert!(matches!(
        refused(amina.engine.withdraw_hours(tidied).unwrap_err()),
        Refused::HoursDecided
    ));
    assert!(matches!(
        refused(
            amina
                .engine
                .log_hours(log(
                    Some(helped),
                    Work::Activity(lektie),
                    today,
                    Span::Minutes(600)
                ))
                .unwrap_err()
        ),
        Refused::HoursDecided
    ));
    // A coordinator's own hours need another coordinator.
    let own = hub
        .engine
        .log_hours(log(None, Work::Activity(lektie), today, Span::Minutes(120)))?;
    assert!(matches!(
        refused(
            hub.engine
                .decide_hours(
                    &[HoursRef {
                        claim: own,
                        volunteer: sara
                    }],
                    None
                )
                .unwrap_err()
        ),
        Refused::OwnHours
    ));
    // In a whole day's batch, one's own are passed over and keep waiting.
    let another =
        amina
            .engine
            .log_hours(log(None, Work::Activity(lektie), today, Span::Minutes(60)))?;
    exchange(&mut amina, &mut hub)?;
    let own = HoursRef {
        claim: own,
        volunteer: sara,
    };
    assert_eq!(hub.engine.decide_hours(&[own, hers(another)], None)?, 1);
    assert!(hub
        .engine
        .review()?
        .iter()
        .any(|i| i.subject.as_deref() == Some(&own.to_string())));
    // A rebuilt projection agrees.
    let dump = amina.engine.projection_dump()?;
    amina.engine.rebuild_projection()?;
    assert_eq!(amina.engine.projection_dump()?, dump);
    Ok(())
}

#[test]
fn the_rules_set_the_rate_an_hour_and_cap_a_volunteers_day_and_every_change_is_kept() -> Result<()>
{
    use nabo_shared::rewards::hours::{HoursState, LogHours, Span, Work};
    use nabo_shared::rewards::rules::Rules;

    let dir = tempfile::tempdir()?;
    let (mut hub, mut amina, lektie) = community_with_resident(&dir)?;
    exchange(&mut amina, &mut hub)?;
    assert_eq!(hub.engine.rules()?.rules, Rules::default());
    assert!(hub.engine.rules()?.history.is_empty());
    let rules = Rules {
        per_hour: 12,
        hours_daily_cap: Some(30),
        per_checkin: 15,
        expiry_months: None,
        credit_limit: 0,
    };
    assert!(matches!(
        refused(amina.engine.set_rules(rules).unwrap_err()),
        Refused::NotCoordinator
    ));
    assert!(matches!(
        refused(
            hub.engine
                .set_rules(Rules {
                    per_hour: 5_000,
                    ..Rules::default()
                })
                .unwrap_err()
        ),
        Refused::InvalidField {
            field: "per_hour",
            problem: FieldProblem::OutOfRange
        }
    ));
    hub.engine.set_rules(Rules {
        per_hour: 15,
        ..Rules::default()
    })?;
    hub.clock.advance(Duration::minutes(1));
    hub.engine.set_rules(rules)?;
    let view = hub.engine.rules()?;
    assert_eq!(view.rules, rules);
    let kept: Vec<(u32, &str)> = view
        .history
        .iter()
        .map(|c| (c.rules.per_hour, c.by.as_str()))
        .collect();
    assert_eq!(kept, vec![(12, "Sara"), (15, "Sara")]);

    // Her phone learns the rate with the community's data.
    exchange(&mut hub, &mut amina)?;
    let today = amina.clock.now().date_naive();
    let mut log = |minutes| {
        amina.engine.log_hours(LogHours {
            claim: None,
            work: Work::Activity(lektie),
            date: today,
            span: Span::Minutes(minutes),
            note: String::new(),
        })
    };
    let two = log(120)?;
    let one = log(60)?;
    let mine = amina.engine.list_hours()?;
    assert_eq!(
        mine.iter().find(|l| l.claim == two).map(|l| l.points),
        Some(24)
    );
    // Both approved at once: the day's cap leaves 6 of the second's 12.
    exchange(&mut amina, &mut hub)?;
    let amina_key = amina.engine.device_key();
    let hers = |claim| nabo_shared::rewards::hours::HoursRef {
        claim,
        volunteer: amina_key,
    };
    assert_eq!(hub.engine.decide_hours(&[hers(two), hers(one)], None)?, 2);
    exchange(&mut hub, &mut amina)?;
    let mine = amina.engine.list_hours()?;
    let earned: Vec<(HoursState, u64)> = [two, one]
        .iter()
        .map(|id| {
            let l = mine.iter().find(|l| l.claim == *id).unwrap();
            (l.state, l.points)
        })
        .collect();
    assert_eq!(
        earned,
        vec![(HoursState::Approved, 24), (HoursState::Approved, 6)]
    );
    assert_eq!(amina.engine.wallet()?.balance, 30);
    // A later change of the rate changes no decision.
    hub.clock.advance(Duration::minutes(1));
    hub.engine.set_rules(Rules {
        per_hour: 100,
        ..rules
    })?;
    exchange(&mut hub, &mut amina)?;
    assert_eq!(amina.engine.wallet()?.balance, 30);
    assert_eq!(amina.engine.rules()?.rules.per_hour, 100);
    Ok(())
}

#[test]
fn unspent_points_expire_once_per_month_after_the_communitys_period() -> Result<()> {
    use nabo_shared::rewards::rules::Rules;

    let dir = tempfile::tempdir()?;
    let (mut hub, mut amina, _lektie) = community_with_resident(&dir)?;
    exchange(&mut amina, &mut hub)?;
    let device = amina.engine.device_key().key_id().to_string();
    // November: 30 points, 5 taken back.
    hub.engine.correct_points(&device, 30, "Sommerfesten")?;
    hub.engine.correct_points(&device, -5, "Fem for meget")?;
    hub.engine.set_rules(Rules {
        expiry_months: Some(2),
        ..Rules::default()
    })?;
    assert_eq!(hub.engine.expire_points()?, 0, "nothing has expired yet");
    // December: 10 more.
    hub.clock.advance(Duration::days(14));
    hub.engine.correct_points(&device, 10, "Julemarked")?;
    // 1 February (Copenhagen): November's points expire, December's not.
    hub.clock
        .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 1, 31, 23, 30, 0).unwrap());
    assert_eq!(hub.engine.expire_points()?, 1);
    assert_eq!(hub.engine.expire_points()?, 0, "a month expires once");
    let balance = |d: &Device| -> Result<i64> {
        Ok(d.engine
            .members()?
            .into_iter()
            .find(|m| m.name == "Amina")
            .map(|m| m.balance)
            .unwrap_or_default())
    };
    assert_eq!(balance(&hub)?, 10);
    let currency = hub.engine.currency()?;
    assert_eq!((currency.expired, currency.circulating), (25, 10));
    // Her phone shows it, with the month.
    exchange(&mut hub, &mut amina)?;
    let wallet = amina.engine.wallet()?;
    assert_eq!(wallet.balance, 10);
    let expired: Vec<(u32, Option<&str>)> = wallet
        .history
        .iter()
        .filter(|l| l.status == LineStatus::Expired)
        .map(|l| (l.amount, l.note.as_deref()))
        .collect();
    assert_eq!(expired, vec![(25, Some("2026-11"))]);
    // 1 March: December's points expire too.
    hub.clock
        .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 3, 1, 9, 0, 0).unwrap());
    hub.engine.reconcile()?;
    assert_eq!(balance(&hub)?, 0);
    let dump = hub.engine.projection_dump()?;
    hub.engine.rebuild_projection()?;
    assert_eq!(hub.engine.projection_dump()?, dump);
    Ok(())
}

/// Runs one of poppler's tools (installed by `scripts/setup.sh`) and
/// returns what it wrote to standard output.
/// A PDF page as a PNG picture at `dpi`, as a camera would see the print.
fn rendered(pdf: &std::path::Path, dpi: u32) -> Result<Vec<u8>> {
    let dpi = dpi.to_string();
    poppler(
        "pdftoppm",
        &[
            std::ffi::OsStr::new("-png"),
            std::ffi::OsStr::new("-r"),
            std::ffi::OsStr::new(&dpi),
            std::ffi::OsStr::new("-singlefile"),
            pdf.as_os_str(),
        ],
    )
}

fn poppler(tool: &str, args: &[&std::ffi::OsStr]) -> Result<Vec<u8>> {
    let out = std::process::Command::new(tool)
        .args(args)
        .output()
        .map_err(|e| {
            anyhow::anyhow!("{tool} (poppler-utils, installed by scripts/setup.sh): {e}")
        })?;
    anyhow::ensure!(out.status.success(), "{tool} failed: {:?}", out);
    Ok(out.stdout)
}

#[test]
fn a_printed_poster_names_its_activity_and_its_code_checks_in_only_with_a_coordinators_yes(
) -> Result<()> {
    use nabo_shared::activities::PosterTexts;
    use nabo_shared::review::ReviewReason;

    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, lektie) = community_with_resident(&dir)?;
    let texts = PosterTexts {
        community: "Tingbjerg".into(),
        heading: "Tjek ind her med Nabo".into(),
        when: "Hver uge (tirsdag), 15.00–17.00".into(),
        place: "Sted: Beboerhuset, 1. sal".into(),
        points: "10 point hver gang".into(),
        how: "Åbn Nabo, tryk på Tjek ind, og tag et billede af koden.".into(),
        note: "Tjek-ind med plakaten giver point, når en koordinator har godkendt det.".into(),
    };
    let (pdf, title) = hub.engine.poster(lektie, &texts)?;
    assert_eq!(title, "Lektiecafé");

    // The page as a printer sees it: its words, and a code a camera reads.
    let file = dir.path().join("poster.pdf");
    std::fs::write(&file, &pdf)?;
    let words = String::from_utf8(poppler(
        "pdftotext",
        &[file.as_os_str(), std::ffi::OsStr::new("-")],
    )?)?;
    for expected in [
        "Lektiecafé",
        "Tingbjerg",
        "Beboerhuset, 1. sal",
        "10 point hver gang",
        "15.00–17.00",
    ] {
        assert!(words.contains(expected), "{expected:?} not in {words:?}");
    }
    let code = nabo_lib::engine::read_qr_image(&rendered(&file, 100)?)?;

    // In Arabic the words print as written (the fonts are embedded and the
    // letters joined), and the code is the same.
    let arabic = PosterTexts {
        community: "تينغبيرغ".into(),
        heading: "سجّل حضورك هنا".into(),
        points: "10 نقاط في كل مرة".into(),
        ..texts.clone()
    };
    let (pdf, _) = hub.engine.poster(lektie, &arabic)?;
    let file_ar = dir.path().join("poster-ar.pdf");
    std::fs::write(&file_ar, &pdf)?;
    let words = String::from_utf8(poppler(
        "pdftotext",
        &[file_ar.as_os_str(), std::ffi::OsStr::new("-")],
    )?)?;
    for expected in ["تينغبيرغ", "حضورك", "نقاط", "Lektiecafé"] {
        assert!(words.contains(expected), "{expected:?} not in {words:?}");
    }
    assert_eq!(
        nabo_lib::engine::read_qr_image(&rendered(&file_ar, 100)?)?,
        code
    );

    // Scanning it checks in, and says a coordinator must approve it.
    let outcome = phone.engine.scan_text(&code)?;
    assert!(
        matches!(&outcome, ScanOutcome::CheckedIn { activity, needs_approval: true, .. } if activity == "Lektiecafé"),
        "{outcome:?}"
    );
    assert!(matches!(
        phone.engine.scan_text(&code)?,
        ScanOutcome::AlreadyCheckedIn { .. }
    ));
    exchange(&mut phone, &mut hub)?;
    exchange(&mut hub, &mut phone)?;
    assert_eq!(
        phone.engine.wallet()?.balance,
        0,
        "not without a human's yes"
    );
    let queue = hub.engine.review()?;
    let item = queue
        .iter()
        .find(|i| matches!(&i.reason, ReviewReason::PosterCheckin { activity, .. } if activity == "Lektiecafé"))
        .expect("the poster check-in waits in the review queue");
    hub.engine
        .approve_checkin(item.subject.as_deref().expect("approvable").parse()?)?;
    exchange(&mut hub, &mut phone)?;
    assert_eq!(phone.engine.wallet()?.balance, 10);
    assert!(!hub
        .engine
        .review()?
        .iter()
        .any(|i| matches!(i.reason, ReviewReason::PosterCheckin { .. })));

    // Only a coordinator prints one, and not for an archived activity.
    assert!(matches!(
        phone.engine.poster(lektie, &texts),
        Err(EngineError::Refused(Refused::NotCoordinator))
    ));
    hub.clock.advance(Duration::minutes(5));
    hub.engine.archive_activity(lektie, true)?;
    let archived = hub.engine.poster(lektie, &texts);
    assert!(
        matches!(
            archived,
            Err(EngineError::Refused(Refused::ActivityArchived))
        ),
        "{:?}",
        archived.map(|(_, t)| t)
    );
    Ok(())
}

mod properties {
    //! Random schedules of check-ins, edits and file exchanges between three
    //! devices: whatever the order, after everyone has exchanged with
    //! everyone, all devices hold the same documents and the same projection,
    //! and that projection equals a rebuild from the documents.

    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Step {
        /// Phone `0` or `1` scans the activity's current code.
        Scan(usize),
        /// The coordinator edits the activity.
        Edit(u32),
        /// Device `from` sends a file to device `to` (0 = hub, 1-2 = phones).
        Send(usize, usize),
        /// Time passes (minutes).
        Wait(i64),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0usize..2).prop_map(Step::Scan),
            (1u32..30).prop_map(Step::Edit),
            (0usize..3, 0usize..3).prop_map(|(a, b)| Step::Send(a, b)),
            (1i64..2000).prop_map(Step::Wait),
        ]
    }

    fn send(devices: &mut [Device], from: usize, to: usize) -> Result<()> {
        if from == to {
            return Ok(());
        }
        let to_key = devices[to].engine.device_key();
        let file = devices[from]
            .engine
            .export_sync(Recipient::Member(to_key))?;
        devices[to].engine.import_sync(&file.bytes)?;
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn devices_converge_on_documents_and_projection(steps in proptest::collection::vec(step(), 1..25)) {
            let dir = tempfile::tempdir().unwrap();
            let (mut hub, phone, lektie) = community_with_resident(&dir).unwrap();
            let invite = hub.engine.invite_code(Role::Resident).unwrap().encode();
            let mut second = Device::new(&dir, "second", &hub.clock).unwrap();
            second.engine.join_community(JoinCommunity { invite, my_name: "Yusuf".into() }).unwrap();
            let mut devices = vec![hub, phone, second];
            for s in steps {
                match s {
                    Step::Scan(p) => {
                        let code = devices[0].engine.checkin_code(lektie).unwrap().encode();
                        // A repeat the same day is refused, and is part of the schedule.
                        match devices[p + 1].engine.scan_text(&code) {
                            Ok(_) => {}
                            Err(other) => panic!("scanning failed: {other}"),
                        }
                    }
                    Step::Edit(reward) => {
                        let mut edit = activity("Lektiecafé", reward, Some(40));
                        edit.id = Some(lektie);
                        devices[0].engine.save_activity(edit).unwrap();
                    }
                    Step::Send(a, b) => send(&mut devices, a, b).unwrap(),
                    Step::Wait(minutes) => devices[0].clock.advance(Duration::minutes(minutes)),
                }
            }
            // Everyone to the hub, then the hub to everyone.
            for p in 1..3 {
                send(&mut devices, p, 0).unwrap();
            }
            for p in 1..3 {
                send(&mut devices, 0, p).unwrap();
            }
            // Each phone agrees with the hub on everything it may hold (the
            // community document and its own records), and holds nothing else.
            for p in 1..3 {
                let me = devices[p].engine.device_key();
                let on_hub = devices[0].engine.shared_state(&me, false).unwrap();
                let own = devices[p].engine.shared_state(&me, false).unwrap();
                prop_assert_eq!(&own, &on_hub);
                prop_assert_eq!(
                    &own,
                    &(devices[p].engine.doc_heads().unwrap(), devices[p].engine.projection_dump().unwrap())
                );
            }
            for d in devices.iter_mut() {
                let dump = d.engine.projection_dump().unwrap();
                d.engine.rebuild_projection().unwrap();
                prop_assert_eq!(&d.engine.projection_dump().unwrap(), &dump);
            }
            // The ledger never issues past the cap on any day.
            let paid = u64::try_from(devices[0].engine.members().unwrap().iter().map(|m| m.balance).sum::<i64>()).unwrap();
            let tz = nabo_shared::time::time_zone("Europe/Copenhagen");
            let local = |t| nabo_shared::time::local_day(t, tz);
            let days = 1 + (local(devices[0].clock.now()) - local(start().now())).num_days() as u64;
            prop_assert!(paid <= 40 * days, "paid {paid} over {days} days");
        }

        #[test]
        fn a_damaged_sync_file_is_refused_whole_or_merged_whole(position in 0usize..4000, mask in 1u8..=255) {
            let dir = tempfile::tempdir().unwrap();
            let (mut hub, mut phone, lektie) = community_with_resident(&dir).unwrap();
            let code = hub.engine.checkin_code(lektie).unwrap().encode();
            phone.engine.scan_text(&code).unwrap();
            let mut file = phone.engine.export_sync(Recipient::Coordinators).unwrap().bytes;
            let position = position % file.len();
            file[position] ^= mask;
            let before = (hub.engine.doc_heads().unwrap(), hub.engine.projection_dump().unwrap());
            match hub.engine.import_sync(&file) {
                Err(EngineError::Refused(Refused::SyncFile(_))) => {
                    prop_assert_eq!((hub.engine.doc_heads().unwrap(), hub.engine.projection_dump().unwrap()), before);
                }
                Err(other) => panic!("importing failed: {other}"),
                Ok(_) => {
                    // Merged whole: taking the same file in again changes nothing.
                    prop_assert_eq!(hub.engine.import_sync(&file).unwrap().documents_changed, 0);
                }
            }
            // Either way the store still works and the good file still merges.
            let good = phone.engine.export_sync(Recipient::Coordinators).unwrap().bytes;
            hub.engine.import_sync(&good).unwrap();
            let back = hub.engine.export_sync(Recipient::Member(phone.engine.device_key())).unwrap().bytes;
            phone.engine.import_sync(&back).unwrap();
            prop_assert_eq!(hub.engine.doc_heads().unwrap(), phone.engine.doc_heads().unwrap());
            prop_assert_eq!(phone.engine.wallet().unwrap().balance, 10);
        }
    }
}

#[test]
fn a_store_written_by_version_1_is_migrated_without_losing_a_record() -> Result<()> {
    use automerge::{AutoCommit, ReadDoc, ROOT};
    use rusqlite::params;

    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, lektie) = community_with_resident(&dir)?;
    let code = hub.engine.checkin_code(lektie)?.encode();
    phone.engine.scan_text(&code)?;
    exchange(&mut phone, &mut hub)?;
    let before = hub.engine.projection_dump()?;
    let members = hub.engine.members()?;
    assert!(members.iter().any(|m| m.name == "Amina" && m.balance == 10));
    let path = hub.path.clone();
    drop(hub);

    // Rewrite the file as version 1 kept it: per month, one document of all
    // check-ins and one of all ledger entries.
    {
        let conn = rusqlite::Connection::open(&path)?;
        let rows: Vec<(String, String)> = conn
            .prepare("SELECT id, community FROM docs WHERE kind IN ('checkins', 'ledger')")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        assert!(!rows.is_empty());
        let mut legacy: std::collections::BTreeMap<String, AutoCommit> = Default::default();
        for (id, community) in &rows {
            let chunks: Vec<Vec<u8>> = conn
                .prepare("SELECT bytes FROM doc_chunks WHERE doc_id = ?1 ORDER BY seq")?
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut doc = AutoCommit::load(&chunks.concat())?;
            let kind = id.split('/').next().unwrap();
            let month = id.rsplit('/').next().unwrap();
            let name = format!("{kind}/{community}/{month}");
            legacy.entry(name).or_default().merge(&mut doc)?;
            conn.execute("DELETE FROM doc_chunks WHERE doc_id = ?1", [id])?;
            conn.execute("DELETE FROM docs WHERE id = ?1", [id])?;
        }
        for (name, mut doc) in legacy {
            assert!(doc.keys(ROOT).count() > 0);
            let (kind, community) = {
                let mut parts = name.split('/');
                (
                    parts.next().unwrap().to_owned(),
                    parts.next().unwrap().to_owned(),
                )
            };
            conn.execute(
                "INSERT INTO docs(id, community, kind) VALUES (?1, ?2, ?3)",
                params![name, community, kind],
            )?;
            conn.execute(
                "INSERT INTO doc_chunks(doc_id, seq, bytes) VALUES (?1, 0, ?2)",
                params![name, doc.save()],
            )?;
        }
        conn.execute("DELETE FROM checkins", [])?;
        conn.execute("DELETE FROM ledger", [])?;
        conn.pragma_update(None, "user_version", 1)?;
    }

    // Opening it moves every record to its member's document.
    let mut hub = Engine::open(&path, start())?;
    // The same rows, but for the last column: the device that wrote a moved
    // record into its new document is this one. (Version 1 had no balance
    // statements: the one the hub signed at the exchange above is not a
    // record a version-1 file could hold, and is left out on both sides.)
    let records = |dump: Vec<String>| -> Vec<String> {
        dump.into_iter()
            .filter(|row| !row.starts_with("statements:") && !row.contains("statement/"))
            .map(|row| {
                row.rsplit_once(" Text(")
                    .map(|(r, _)| r.to_owned())
                    .unwrap_or(row)
            })
            .collect()
    };
    assert_eq!(
        records(hub.projection_dump()?),
        records(before),
        "every record is back where it was"
    );
    let hub_members = hub.members()?;
    assert!(hub_members
        .iter()
        .any(|m| m.name == "Amina" && m.balance == 10));
    let heads = hub.doc_heads()?;
    assert!(heads
        .keys()
        .all(|d| !d.starts_with("checkins/") || d.split('/').count() == 4));
    // And it stays migrated.
    drop(hub);
    let mut hub = Engine::open(&path, start())?;
    assert_eq!(hub.doc_heads()?, heads);
    Ok(())
}

/// The tables a version-2 file had beside its documents: the projection
/// without the actor column, and `docs` without heads.
const VERSION_2_TABLES: &str = r#"
CREATE TABLE communities (id TEXT NOT NULL, name TEXT NOT NULL, founding_key TEXT NOT NULL,
    time_zone TEXT NOT NULL, created_at TEXT NOT NULL, doc_id TEXT NOT NULL, doc_key TEXT NOT NULL);
CREATE TABLE members (community TEXT NOT NULL, member_key TEXT NOT NULL, name TEXT NOT NULL,
    role TEXT NOT NULL, signer TEXT NOT NULL, issued_at TEXT NOT NULL, doc_id TEXT NOT NULL, doc_key TEXT NOT NULL);
CREATE TABLE revocations (community TEXT NOT NULL, member_key TEXT NOT NULL, signer TEXT NOT NULL,
    issued_at TEXT NOT NULL, doc_id TEXT NOT NULL, doc_key TEXT NOT NULL);
CREATE TABLE join_requests (community TEXT NOT NULL, member_key TEXT NOT NULL, name TEXT NOT NULL,
    role TEXT NOT NULL, invite_issuer TEXT NOT NULL, invite_ok INTEGER NOT NULL, requested_at TEXT NOT NULL,
    doc_id TEXT NOT NULL, doc_key TEXT NOT NULL);
CREATE TABLE activities (id TEXT NOT NULL, community TEXT NOT NULL, title TEXT NOT NULL,
    description TEXT NOT NULL, place TEXT NOT NULL, schedule TEXT NOT NULL, reward INTEGER NOT NULL,
    daily_cap INTEGER, updated_at TEXT NOT NULL, signer TEXT NOT NULL, doc_id TEXT NOT NULL, doc_key TEXT NOT NULL);
CREATE TABLE checkins (id TEXT NOT NULL, community TEXT NOT NULL, activity TEXT NOT NULL,
    member_key TEXT NOT NULL, at TEXT NOT NULL, code BLOB NOT NULL, doc_id TEXT NOT NULL, doc_key TEXT NOT NULL);
CREATE TABLE ledger (id TEXT NOT NULL, community TEXT NOT NULL, to_key TEXT NOT NULL,
    amount INTEGER NOT NULL, checkin TEXT, activity TEXT, issued_at TEXT NOT NULL, signer TEXT NOT NULL,
    doc_id TEXT NOT NULL, doc_key TEXT NOT NULL);
CREATE TABLE rejected (doc_id TEXT NOT NULL, doc_key TEXT NOT NULL, reason TEXT NOT NULL);
CREATE INDEX join_src ON join_requests(doc_id, doc_key);
"#;

/// Rewrites a store as version 2 kept it (same documents, old tables).
fn as_version_2(path: &std::path::Path) -> Result<()> {
    let conn = rusqlite::Connection::open(path)?;
    for table in [
        "communities",
        "members",
        "revocations",
        "join_requests",
        "activities",
        "checkins",
        "ledger",
        "rejected",
    ] {
        conn.execute(&format!("DROP TABLE {table}"), [])?;
    }
    conn.execute_batch(VERSION_2_TABLES)?;
    conn.execute("ALTER TABLE docs DROP COLUMN heads", [])?;
    conn.pragma_update(None, "user_version", 2)?;
    Ok(())
}

#[test]
fn a_store_written_by_version_2_is_migrated_whole() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, lektie) = community_with_resident(&dir)?;
    let code = hub.engine.checkin_code(lektie)?.encode();
    phone.engine.scan_text(&code)?;
    exchange(&mut phone, &mut hub)?;
    let (dump, heads) = (hub.engine.projection_dump()?, hub.engine.doc_heads()?);
    let path = hub.path.clone();
    drop(hub);
    as_version_2(&path)?;

    let mut hub = Engine::open(&path, start())?;
    assert_eq!(hub.projection_dump()?, dump, "the same projection, rebuilt");
    assert_eq!(
        hub.doc_heads()?,
        heads,
        "documents untouched, heads recorded"
    );
    assert!(hub
        .members()?
        .iter()
        .any(|m| m.name == "Amina" && m.balance == 10));
    Ok(())
}

#[test]
fn a_store_written_before_members_had_several_phones_is_migrated_whole() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, lektie) = community_with_resident(&dir)?;
    let code = hub.engine.checkin_code(lektie)?.encode();
    phone.engine.scan_text(&code)?;
    exchange(&mut phone, &mut hub)?;
    exchange(&mut hub, &mut phone)?;
    let (dump, heads) = (phone.engine.projection_dump()?, phone.engine.doc_heads()?);
    let path = phone.path.clone();
    drop(phone);
    // As version 11 left it: no tables of devices.
    {
        let conn = rusqlite::Connection::open(&path)?;
        for table in ["device_links", "device_retirements", "replacements"] {
            conn.execute(&format!("DROP TABLE {table}"), [])?;
        }
        conn.pragma_update(None, "user_version", 11)?;
    }
    let mut phone = Device {
        engine: Engine::open(&path, start())?,
        path,
        clock: start(),
    };
    assert_eq!(phone.engine.projection_dump()?, dump);
    assert_eq!(phone.engine.doc_heads()?, heads);
    // Every member is the one phone they joined with: balance, history
    // and name as before, and a new phone can be linked to them.
    let wallet = phone.engine.wallet()?;
    assert_eq!((wallet.balance, wallet.history.len()), (10, 1));
    let amina = hub
        .engine
        .members()?
        .into_iter()
        .find(|m| m.name == "Amina");
    let amina = amina.expect("Amina");
    assert_eq!(amina.devices.len(), 1);
    let invite = hub.engine.replace_device(&amina.device, false)?;
    exchange(&mut hub, &mut phone)?;
    let conn = rusqlite::Connection::open(&phone.path)?;
    let marked: i64 = conn.query_row("SELECT COUNT(*) FROM replacements", [], |r| r.get(0))?;
    assert_eq!(marked, 1, "the migrated store projects the new records");
    assert!(!invite.qr.text.is_empty());
    Ok(())
}

#[test]
fn a_migration_that_fails_leaves_the_file_as_it_was() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (hub, _phone, _) = community_with_resident(&dir)?;
    let path = hub.path.clone();
    drop(hub);
    as_version_2(&path)?;
    // Damage one document, so rebuilding the projection fails half-way.
    {
        let conn = rusqlite::Connection::open(&path)?;
        conn.execute("UPDATE doc_chunks SET bytes = X'00112233'", [])?;
    }
    let schema = |path: &std::path::Path| -> Result<(i64, bool)> {
        let conn = rusqlite::Connection::open(path)?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let heads: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM pragma_table_info('docs') WHERE name = 'heads')",
            [],
            |r| r.get(0),
        )?;
        Ok((version, heads))
    };
    // Bytes that are not Automerge chunks at all are refused before
    // Automerge reads them (a damaged document, named as such).
    match Engine::open(&path, start()) {
        Err(EngineError::Corrupt {
            what: "document", ..
        }) => {}
        Err(other) => panic!("expected the damaged document to stop the migration, got {other}"),
        Ok(_) => panic!("a damaged document was migrated"),
    }
    assert_eq!(
        schema(&path)?,
        (2, false),
        "nothing of the migration stayed"
    );
    Ok(())
}

#[test]
fn a_join_request_of_the_first_format_is_kept_and_waits_for_a_human() -> Result<()> {
    use nabo_shared::community::legacy::{InviteV1, JoinRequestV1};
    use nabo_shared::review::{ApprovalNeeded, ReviewReason};
    use nabo_shared::signed::Signed;
    let dir = tempfile::tempdir()?;
    let clock = start();
    let path = dir.path().join("hub.sqlite3");
    drop(Engine::open(&path, clock.clone())?);
    // The hub's key, known to the test, as an earlier version signed with it.
    let hub_key = SigningKey::from_bytes(&[1; 32]);
    rusqlite::Connection::open(&path)?.execute(
        "UPDATE device SET secret = ?1 WHERE id = 1",
        [hub_key.to_bytes().to_vec()],
    )?;
    let mut hub = Engine::open(&path, clock.clone())?;
    hub.create_community(CreateCommunity {
        community_name: "Tingbjerg".into(),
        my_name: "Sara".into(),
    })?;
    let community = hub.community()?;
    let me = MemberKey::of(&hub_key);
    let invite = InviteV1::issue(
        &hub_key,
        community,
        "Tingbjerg",
        me,
        Role::Resident,
        (clock.now() + Duration::days(14)).timestamp(),
    );
    let phone = SigningKey::from_bytes(&[2; 32]);
    let request = JoinRequestV1 {
        community,
        member: MemberKey::of(&phone),
        name: "Amina".into(),
        invite,
        requested_at: clock.now(),
    };
    drop(hub);
    support::tamper(
        &path,
        &me,
        &nabo_lib::engine::DocId::community(community).to_string(),
        |doc| {
            use automerge::transaction::Transactable;
            doc.put(
                automerge::ROOT,
                format!("join/{}", MemberKey::of(&phone).to_hex()),
                Signed::seal(&phone, &request).to_bytes(),
            )?;
            Ok(())
        },
    )?;
    // As a store the previous version wrote: migrated on open.
    rusqlite::Connection::open(&path)?.pragma_update(None, "user_version", 5)?;
    let mut hub = Engine::open(&path, clock)?;
    assert_eq!(hub.reconcile()?.confirmed, 0);
    let queue = hub.review()?;
    assert!(
        queue.iter().any(|i| i.reason
            == ReviewReason::AwaitingApproval {
                why: ApprovalNeeded::OldInvite
            }),
        "{queue:?}"
    );
    hub.approve_join(&MemberKey::of(&phone).key_id().to_string())?;
    assert!(hub
        .members()?
        .iter()
        .any(|m| m.name == "Amina" && m.confirmed));
    Ok(())
}

#[test]
fn leaving_the_demo_forgets_everything_but_the_language() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut phone = Device::new(&dir, "phone", &start())?;
    phone
        .engine
        .set_language(nabo_shared::community::Lang::En)?;
    let status = phone.engine.start_demo()?;
    assert!(status.demo);
    let old = phone.engine.device_key();
    let status = phone.engine.leave_community()?;
    assert!(status.profile.is_none() && !status.demo);
    assert_eq!(status.lang, nabo_shared::community::Lang::En);
    assert_ne!(
        phone.engine.device_key(),
        old,
        "a new key, as a fresh install"
    );
    // Every table is empty but the device's key and its language.
    let conn = rusqlite::Connection::open(&phone.path)?;
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    assert!(tables.len() > 15, "{tables:?}");
    for table in tables {
        let rows: i64 =
            conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?;
        let expected = match table.as_str() {
            "device" | "settings" => 1,
            _ => 0,
        };
        assert_eq!(rows, expected, "{table}");
    }
    // And the device can start again, as new.
    let phone = phone.reopen()?;
    assert!(phone.engine.status()?.profile.is_none());
    let mut phone = phone;
    phone.engine.create_community(CreateCommunity {
        community_name: "Tingbjerg".into(),
        my_name: "Sara".into(),
    })?;
    let status = phone.engine.set_my_name("Sara Jensen")?;
    assert_eq!(
        status.profile.map(|p| p.my_name),
        Some("Sara Jensen".into())
    );
    assert!(phone
        .engine
        .members()?
        .iter()
        .any(|m| m.name == "Sara Jensen"));
    Ok(())
}

#[test]
fn a_lost_phone_is_taken_away_and_the_new_one_keeps_the_balance_and_history() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, lektie) = community_with_resident(&dir)?;
    let community = hub.engine.status()?.profile.expect("set up").community;
    let checkin = |hub: &mut Device, phone: &mut Device| -> Result<()> {
        let qr = hub.engine.checkin_qr(lektie)?.text;
        phone.clock.advance(Duration::seconds(10));
        phone.engine.scan_text(&qr)?;
        Ok(())
    };
    checkin(&mut hub, &mut phone)?;
    exchange(&mut phone, &mut hub)?;
    exchange(&mut hub, &mut phone)?;
    assert_eq!(phone.engine.wallet()?.balance, 10);
    let amina = hub
        .engine
        .members()?
        .into_iter()
        .find(|m| m.name == "Amina");
    let amina = amina.expect("Amina is a member").device;

    // The next day Amina checks in, offline, and then loses the phone.
    phone.clock.advance(Duration::days(1));
    checkin(&mut hub, &mut phone)?;
    hub.clock.advance(Duration::hours(1));
    let invite = hub.engine.replace_device(&amina, true)?;
    let old = phone.engine.device_key();
    assert_eq!(
        gate(&hub.engine, &community, &old),
        Err(Refusal::Retired),
        "the lost phone is refused on the network, as taken out of use"
    );
    // Whoever has it now checks in again, a day later.
    phone.clock.advance(Duration::days(1));
    checkin(&mut hub, &mut phone)?;

    // Amina joins on her new phone with the invite made for it.
    let mut new = Device::new(&dir, "new-phone", &phone.clock)?;
    new.engine.join_community(JoinCommunity {
        invite: invite.qr.text.clone(),
        my_name: "Amina H.".into(),
    })?;
    let result = exchange(&mut new, &mut hub)?;
    assert_eq!(result.members_confirmed, 1, "the new phone is linked");
    let members = hub.engine.members()?;
    let aminas: Vec<_> = members
        .iter()
        .filter(|m| m.name.starts_with("Amina"))
        .collect();
    assert_eq!(aminas.len(), 1, "one member, not two: {members:?}");
    let (row, new_key) = (aminas[0], new.engine.device_key());
    assert_eq!(
        (row.name.as_str(), row.balance, row.devices.len()),
        ("Amina", 10, 2)
    );
    assert!(row.devices[0].retired_at.is_some() && row.devices[0].linked_at.is_none());
    assert_eq!(row.devices[1].device, new_key.key_id().to_string());
    assert!(row.devices[1].linked_at.is_some() && row.devices[1].retired_at.is_none());
    assert_eq!(gate(&hub.engine, &community, &new_key), Ok(()));

    // The new phone's first file from the hub brings her history with it.
    exchange(&mut hub, &mut new)?;
    let status = new.engine.status()?.profile.expect("joined");
    assert!(status.confirmed);
    assert_eq!(status.my_name, "Amina");
    let wallet = new.engine.wallet()?;
    assert_eq!(wallet.balance, 10);
    assert_eq!(wallet.history.len(), 1, "{:?}", wallet.history);

    // The lost phone's file reaches the hub after all: the check-in made
    // before it was taken away counts, the one after it does not.
    exchange(&mut phone, &mut hub)?;
    let row = hub
        .engine
        .members()?
        .into_iter()
        .find(|m| m.device == amina);
    assert_eq!(row.expect("Amina").balance, 20);
    exchange(&mut hub, &mut new)?;
    let wallet = new.engine.wallet()?;
    assert_eq!(wallet.balance, 20);
    let pending = wallet
        .history
        .iter()
        .filter(|l| l.status == LineStatus::Pending)
        .count();
    assert_eq!(pending, 1, "the lost phone's last check-in earns nothing");

    // The new phone checks in and earns, into the same account.
    new.clock.advance(Duration::days(1));
    checkin(&mut hub, &mut new)?;
    exchange(&mut new, &mut hub)?;
    exchange(&mut hub, &mut new)?;
    assert_eq!(new.engine.wallet()?.balance, 30);
    let history = hub.engine.member_history(&new_key.key_id().to_string())?;
    assert_eq!(
        history.balance, 30,
        "the member's history, whichever device"
    );

    // Nothing of this depends on the order things are read in.
    let rebuilt = hub.reopen()?;
    assert_eq!(
        rebuilt
            .engine
            .members()?
            .iter()
            .find(|m| m.device == amina)
            .map(|m| m.balance),
        Some(30)
    );
    Ok(())
}

#[test]
fn a_coordinators_phone_is_not_replaced_as_a_members() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, _, _) = community_with_resident(&dir)?;
    let me = hub.engine.device_key().key_id().to_string();
    assert!(matches!(
        hub.engine.replace_device(&me, true).map_err(refused),
        Err(Refused::CoordinatorDevice | Refused::NotFound(_))
    ));
    assert!(matches!(
        hub.engine
            .replace_device("0000-0000", true)
            .map_err(refused),
        Err(Refused::NotFound(_))
    ));
    Ok(())
}

#[test]
fn a_resident_pays_a_partner_and_the_community_house_by_qr_offline() -> Result<()> {
    use nabo_shared::rewards::payments::PaymentProblem;

    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, lektie) = community_with_resident(&dir)?;
    let qr = hub.engine.checkin_qr(lektie)?.text;
    phone.engine.scan_text(&qr)?;
    exchange(&mut phone, &mut hub)?;
    exchange(&mut hub, &mut phone)?;
    assert_eq!(phone.engine.wallet()?.balance, 10);
    // The café joins as a partner.
    let mut cafe = new_member(&dir, &mut hub, "Café Solhøj", Role::Partner)?;
    exchange(&mut cafe, &mut hub)?;
    exchange(&mut hub, &mut cafe)?;
    exchange(&mut hub, &mut phone)?;

    // The café lists what it offers; every member reads it after a sync,
    // and nobody else can offer in its name or change its prices.
    let coffee = cafe.engine.save_offer(None, "Kaffe", 4)?;
    let cake = cafe.engine.save_offer(None, "Kage", 9)?;
    cafe.engine.save_offer(Some(cake.id), "Kage", 7)?;
    assert_eq!(
        phone
            .engine
            .save_offer(None, "Gratis", 1)
            .map_err(refused)
            .err(),
        Some(Refused::Payment(PaymentProblem::NotAPartner))
    );
    assert!(matches!(
        hub.engine.withdraw_offer(coffee.id).map_err(refused),
        Err(Refused::NotFound(_))
    ));
    exchange(&mut cafe, &mut hub)?;
    exchange(&mut hub, &mut phone)?;
    let listed: Vec<(String, String, u64, bool)> = phone
        .engine
        .offers()?
        .into_iter()
        .map(|o| (o.partner, o.title, o.price, o.mine))
        .collect();
    assert_eq!(
        listed,
        [
            ("Café Solhøj".into(), "Kaffe".into(), 4, false),
            ("Café Solhøj".into(), "Kage".into(), 7, false)
        ]
    );
    cafe.engine.withdraw_offer(cake.id)?;
    assert_eq!(cafe.engine.offers()?.len(), 1);
    assert!(cafe.engine.offers()?[0].mine);

    // At the counter, neither online: the café asks 4 points for a coffee.
    hub.clock.advance(Duration::minutes(30));
    let request = cafe.engine.request_payment(4, "Kaffe")?.text;
    let ScanOutcome::PaymentAsked(ask) = phone.engine.scan_text(&request)? else {
        panic!("not a payment request");
    };
    assert_eq!(
        (
            ask.payee.as_str(),
            ask.amount,
            ask.what.as_str(),
            ask.balance
        ),
        ("Café Solhøj", 4, "Kaffe", 10)
    );
    let payment = phone.engine.pay(&ask.request)?.text;
    let wallet = phone.engine.wallet()?;
    assert_eq!(wallet.balance, 6, "the payer's history shows it at once");
    // Waiting for the café's word, which her phone hears at its next sync.
    assert_eq!(wallet.history[0].status, LineStatus::PaymentWaiting);
    assert_eq!(wallet.history[0].note.as_deref(), Some("Café Solhøj"));
    // Paying the same request again is refused, and so is more than the balance.
    assert_eq!(
        phone.engine.pay(&ask.request).map_err(refused).err(),
        Some(Refused::Payment(PaymentProblem::AlreadyPaid))
    );
    let dear = cafe.engine.request_payment(7, "Kage")?.text;
    assert_eq!(
        phone.engine.pay(&dear).map_err(refused).err(),
        Some(Refused::NotEnoughPoints { balance: 6 })
    );
    // The café scans the payment: a receipt, and its takings at once.
    let ScanOutcome::PaymentReceived(receipt) = cafe.engine.scan_text(&payment)? else {
        panic!("not a payment");
    };
    assert_eq!(
        (receipt.payer.as_str(), receipt.amount, receipt.again),
        ("Amina", 4, false)
    );
    assert_eq!(cafe.engine.wallet()?.balance, 4);
    assert_eq!(
        cafe.engine.wallet()?.history[0].status,
        LineStatus::Received
    );
    // Shown twice: nothing new.
    let ScanOutcome::PaymentReceived(again) = cafe.engine.scan_text(&payment)? else {
        panic!("not a payment");
    };
    assert!(again.again);
    assert_eq!(cafe.engine.wallet()?.balance, 4);
    // The community house (a coordinator's device) is paid into the
    // community's account: the points leave circulation.
    let rent = hub.engine.request_payment(5, "Lokaleleje")?.text;
    let paid = phone.engine.pay(&rent)?.text;
    let ScanOutcome::PaymentReceived(_) = hub.engine.scan_text(&paid)? else {
        panic!("not a payment");
    };
    // The payment to the café is not the community house's to take.
    assert_eq!(
        hub.engine.scan_text(&payment).map_err(refused).err(),
        Some(Refused::Payment(PaymentProblem::NotForYou))
    );
    assert_eq!(phone.engine.wallet()?.balance, 1);

    // The café hands 3 of its points back to the community (what the
    // housing association pays it for), never more than it holds; a
    // resident cannot.
    assert_eq!(
        cafe.engine
            .return_points(5, "December")
            .map_err(refused)
            .err(),
        Some(Refused::NotEnoughPoints { balance: 4 })
    );
    assert_eq!(
        phone.engine.return_points(1, "Nej").map_err(refused).err(),
        Some(Refused::Payment(PaymentProblem::NotAPartner))
    );
    cafe.clock.advance(Duration::minutes(1));
    cafe.engine.return_points(3, "Afregnet for december")?;
    let takings = cafe.engine.wallet()?;
    assert_eq!(takings.balance, 1);
    assert_eq!(takings.history[0].status, LineStatus::Returned);

    // After sync every device agrees: Amina 1, the café 1.
    exchange(&mut phone, &mut hub)?;
    exchange(&mut cafe, &mut hub)?;
    let members = hub.engine.members()?;
    let balance = |name: &str| members.iter().find(|m| m.name == name).map(|m| m.balance);
    assert_eq!(
        (balance("Amina"), balance("Café Solhøj")),
        (Some(1), Some(1))
    );
    let currency = hub.engine.currency()?;
    assert_eq!(currency.circulating, 2, "{currency:?}");
    assert_eq!(currency.community_account, -2);
    exchange(&mut hub, &mut phone)?;
    assert_eq!(phone.engine.wallet()?.balance, 1);
    Ok(())
}

#[test]
fn a_payment_goes_through_between_devices_that_have_not_synced_since_the_other_joined() -> Result<()>
{
    let dir = tempfile::tempdir()?;
    // The café joined long ago, and has not synced since.
    let (mut hub, mut amina, mut cafe, lektie) = earned_and_a_cafe(&dir)?;
    // Bo joins and earns 10 points at the community house.
    hub.clock.advance(Duration::days(1));
    let mut bo = new_member(&dir, &mut hub, "Bo", Role::Resident)?;
    exchange(&mut bo, &mut hub)?;
    exchange(&mut hub, &mut bo)?;
    hub.clock.advance(Duration::minutes(1));
    bo.engine.scan_text(&hub.engine.checkin_qr(lektie)?.text)?;
    exchange(&mut bo, &mut hub)?;
    exchange(&mut hub, &mut bo)?;
    assert_eq!(bo.engine.wallet()?.balance, 10);
    // The bakery joins after Amina's phone last synced.
    let mut bakery = new_member(&dir, &mut hub, "Bageriet", Role::Partner)?;
    exchange(&mut bakery, &mut hub)?;
    exchange(&mut hub, &mut bakery)?;

    // At the café, offline: its device has never heard of Bo, but the
    // payment carries the membership the coordinator signed for him.
    hub.clock.advance(Duration::minutes(5));
    let request = cafe.engine.request_payment(4, "Kaffe")?.text;
    let paid = bo.engine.pay(&request)?.text;
    let ScanOutcome::PaymentReceived(receipt) = cafe.engine.scan_text(&paid)? else {
        panic!("not a payment");
    };
    assert_eq!(
        (receipt.payer.as_str(), receipt.amount, receipt.warning),
        ("Bo", 4, None),
        "named, and checked against his statement"
    );
    assert_eq!(cafe.engine.wallet()?.balance, 4, "its takings at once");
    // Amina's phone has never heard of the bakery: its request carries
    // the bakery's membership, so she sees whom she pays.
    let request = bakery.engine.request_payment(3, "Rundstykke")?.text;
    let ScanOutcome::PaymentAsked(ask) = amina.engine.scan_text(&request)? else {
        panic!("not a payment request");
    };
    assert_eq!((ask.payee.as_str(), ask.balance), ("Bageriet", 10));
    let paid = amina.engine.pay(&ask.request)?.text;
    let wallet = amina.engine.wallet()?;
    assert_eq!(wallet.balance, 7);
    assert_eq!(wallet.history[0].note.as_deref(), Some("Bageriet"));
    let ScanOutcome::PaymentReceived(receipt) = bakery.engine.scan_text(&paid)? else {
        panic!("not a payment");
    };
    assert_eq!((receipt.payer.as_str(), receipt.amount), ("Amina", 3));

    // After sync every device agrees, and the relayed memberships are the
    // coordinator's own records: nobody's role or name changed.
    for device in [&mut amina, &mut bo, &mut cafe, &mut bakery] {
        exchange(device, &mut hub)?;
    }
    for (name, balance) in [("Amina", 7), ("Bo", 6), ("Café Solhøj", 4), ("Bageriet", 3)] {
        assert_eq!(balance_of(&hub, name)?, Some(balance), "{name}");
    }
    let roles: Vec<(String, Role)> = hub
        .engine
        .members()?
        .into_iter()
        .map(|m| (m.name, m.role))
        .collect();
    assert!(roles.contains(&("Bo".into(), Role::Resident)), "{roles:?}");
    assert!(
        roles.contains(&("Bageriet".into(), Role::Partner)),
        "{roles:?}"
    );
    no_records_put_back(&hub)?;
    exchange(&mut hub, &mut cafe)?;
    assert_eq!(cafe.engine.wallet()?.balance, 4);
    Ok(())
}

#[test]
fn a_new_phone_pays_at_a_partner_that_has_not_synced_since_it_was_linked() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, _, mut cafe, _) = earned_and_a_cafe(&dir)?;
    // Amina loses her phone; the coordinator blocks it and links a new one.
    hub.clock.advance(Duration::hours(1));
    let amina = fingerprint_of(&hub, "Amina")?;
    let invite = hub.engine.replace_device(&amina, true)?.qr.text;
    let mut new_phone = Device::new(&dir, "new-phone", &hub.clock)?;
    new_phone.engine.join_community(JoinCommunity {
        invite,
        my_name: "Amina".into(),
    })?;
    exchange(&mut new_phone, &mut hub)?;
    exchange(&mut hub, &mut new_phone)?;
    hub.clock.advance(Duration::minutes(1));
    exchange(&mut new_phone, &mut hub)?;
    exchange(&mut hub, &mut new_phone)?;
    assert_eq!(new_phone.engine.wallet()?.balance, 10);

    // The café has not synced since: the payment carries her membership
    // and the coordinator's link of the new phone to her.
    hub.clock.advance(Duration::minutes(5));
    let request = cafe.engine.request_payment(4, "Kaffe")?.text;
    let paid = new_phone.engine.pay(&request)?.text;
    // The largest payment code (statement, membership and link) still
    // reads back from a picture of it at the size the app draws it.
    assert_eq!(
        nabo_lib::engine::read_qr_image(&support::qr_picture(&paid, 280))?,
        paid
    );
    let ScanOutcome::PaymentReceived(receipt) = cafe.engine.scan_text(&paid)? else {
        panic!("not a payment");
    };
    assert_eq!((receipt.payer.as_str(), receipt.warning), ("Amina", None));
    assert_eq!(cafe.engine.wallet()?.balance, 4);
    exchange(&mut cafe, &mut hub)?;
    exchange(&mut new_phone, &mut hub)?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(6));
    assert_eq!(balance_of(&hub, "Café Solhøj")?, Some(4));
    no_records_put_back(&hub)?;
    Ok(())
}

/// Fails if the coordinator's review queue says a device erased a record
/// or put one back: a device that relays a coordinator's records it was
/// shown (a payment's voucher) is no cause for concern.
fn no_records_put_back(hub: &Device) -> Result<()> {
    use nabo_shared::review::ReviewReason;
    let queue = hub.engine.review()?;
    assert!(
        !queue
            .iter()
            .any(|i| matches!(i.reason, ReviewReason::PutBack | ReviewReason::Erased)),
        "{queue:?}"
    );
    Ok(())
}

#[test]
fn a_payer_the_partner_has_long_known_leaves_her_voucher_out_of_the_code() -> Result<()> {
    use nabo_shared::scan::Scanned;

    let dir = tempfile::tempdir()?;
    let (mut hub, mut amina, mut cafe, _) = earned_and_a_cafe(&dir)?;
    // A month later Bo joins, gets 5 points, and the café syncs.
    hub.clock.advance(Duration::days(30));
    let mut bo = new_member(&dir, &mut hub, "Bo", Role::Resident)?;
    exchange(&mut bo, &mut hub)?;
    let fingerprint = fingerprint_of(&hub, "Bo")?;
    hub.engine.correct_points(&fingerprint, 5, "Velkommen")?;
    hub.clock.advance(Duration::minutes(1));
    exchange(&mut hub, &mut bo)?;
    exchange(&mut bo, &mut hub)?;
    exchange(&mut hub, &mut bo)?;
    exchange(&mut hub, &mut cafe)?;
    let carried = |paid: &str| match Scanned::parse(paid) {
        Ok(Scanned::Payment(p)) => p.voucher.is_some(),
        other => panic!("not a payment: {other:?}"),
    };
    // Amina's membership is weeks older than the newest the café knows:
    // her code leaves it out, and the café takes it all the same.
    let request = cafe.engine.request_payment(2, "Kaffe")?.text;
    let paid = amina.engine.pay(&request)?.text;
    assert!(!carried(&paid), "{} characters", paid.len());
    let ScanOutcome::PaymentReceived(receipt) = cafe.engine.scan_text(&paid)? else {
        panic!("not a payment");
    };
    assert_eq!(receipt.payer, "Amina");
    // Bo's is a minute old: his code carries it.
    let request = cafe.engine.request_payment(2, "Kaffe")?.text;
    let paid = bo.engine.pay(&request)?.text;
    assert!(carried(&paid));
    let ScanOutcome::PaymentReceived(receipt) = cafe.engine.scan_text(&paid)? else {
        panic!("not a payment");
    };
    assert_eq!(receipt.payer, "Bo");
    Ok(())
}

/// A hub, Amina's phone with the 10 points of a check-in, and a café that
/// joined as a partner, all synced; with the activity.
fn earned_and_a_cafe(dir: &tempfile::TempDir) -> Result<(Device, Device, Device, ActivityId)> {
    let (mut hub, mut amina, lektie) = community_with_resident(dir)?;
    amina
        .engine
        .scan_text(&hub.engine.checkin_qr(lektie)?.text)?;
    exchange(&mut amina, &mut hub)?;
    exchange(&mut hub, &mut amina)?;
    let mut cafe = new_member(dir, &mut hub, "Café Solhøj", Role::Partner)?;
    exchange(&mut cafe, &mut hub)?;
    exchange(&mut hub, &mut cafe)?;
    Ok((hub, amina, cafe, lektie))
}

/// The fingerprint of the member called `name`, as a coordinator's device
/// lists them.
fn fingerprint_of(hub: &Device, name: &str) -> Result<String> {
    Ok(hub
        .engine
        .members()?
        .into_iter()
        .find(|m| m.name == name)
        .context("no such member")?
        .device)
}

/// The balance of the member called `name`, as a coordinator's device lists
/// it.
fn balance_of(hub: &Device, name: &str) -> Result<Option<i64>> {
    Ok(hub
        .engine
        .members()?
        .into_iter()
        .find(|m| m.name == name)
        .map(|m| m.balance))
}

/// Ole, a second coordinator confirmed by the hub, who knows what it knows.
fn second_coordinator(dir: &tempfile::TempDir, hub: &mut Device) -> Result<Device> {
    let mut ole = new_member(dir, hub, "Ole", Role::Coordinator)?;
    exchange(&mut ole, hub)?;
    hub.engine
        .approve_join(&ole.engine.device_key().key_id().to_string())?;
    exchange(hub, &mut ole)?;
    Ok(ole)
}

/// A hub, Amina with 10 points on her phone and on a second phone linked
/// to her (the first kept), and a café that is a partner, all synced.
fn two_phones_and_a_cafe(dir: &tempfile::TempDir) -> Result<(Device, Device, Device, Device)> {
    let (mut hub, mut phone, lektie) = community_with_resident(dir)?;
    let qr = hub.engine.checkin_qr(lektie)?.text;
    phone.engine.scan_text(&qr)?;
    exchange(&mut phone, &mut hub)?;
    let invite = hub.engine.invite_code(Role::Partner)?.encode();
    let mut cafe = Device::new(dir, "cafe", &hub.clock)?;
    cafe.engine.join_community(JoinCommunity {
        invite,
        my_name: "Café".into(),
    })?;
    exchange(&mut cafe, &mut hub)?;
    let amina = hub
        .engine
        .members()?
        .into_iter()
        .find(|m| m.name == "Amina");
    let renewal = hub
        .engine
        .replace_device(&amina.expect("Amina").device, false)?
        .qr
        .text;
    let mut second = Device::new(dir, "second", &hub.clock)?;
    second.engine.join_community(JoinCommunity {
        invite: renewal,
        my_name: "Amina".into(),
    })?;
    exchange(&mut second, &mut hub)?;
    for device in [&mut phone, &mut second, &mut cafe] {
        exchange(device, &mut hub)?;
        exchange(&mut hub, device)?;
    }
    assert_eq!(phone.engine.wallet()?.balance, 10);
    assert_eq!(second.engine.wallet()?.balance, 10);
    Ok((hub, phone, second, cafe))
}

#[test]
fn two_phones_of_one_member_that_spend_one_balance_are_flagged_alike_everywhere() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, mut second, mut cafe) = two_phones_and_a_cafe(&dir)?;
    assert_eq!(phone.engine.wallet()?.balance, 10);
    assert_eq!(second.engine.wallet()?.balance, 10);

    // Offline, each phone spends 8 of the same 10 points, one at the café,
    // one at the community house: neither counter has seen the other.
    hub.clock.advance(Duration::minutes(10));
    let a = cafe.engine.request_payment(8, "Frokost")?.text;
    let paid_a = phone.engine.pay(&a)?.text;
    cafe.engine.scan_text(&paid_a)?;
    hub.clock.advance(Duration::minutes(1));
    let b = hub.engine.request_payment(8, "Kage")?.text;
    let paid_b = second.engine.pay(&b)?.text;
    hub.engine.scan_text(&paid_b)?;
    assert!(phone.engine.overspends()?.is_empty(), "nothing seen yet");

    // After sync, the hub and both phones flag the same payment: the later.
    for device in [&mut phone, &mut second, &mut cafe] {
        exchange(device, &mut hub)?;
    }
    for device in [&mut phone, &mut second] {
        exchange(&mut hub, device)?;
    }
    let on_hub = hub.engine.overspends()?;
    assert_eq!(on_hub.len(), 1, "{on_hub:?}");
    assert_eq!(
        (on_hub[0].what.as_str(), on_hub[0].balance_after),
        ("Kage", -6)
    );
    assert_eq!(phone.engine.overspends()?, on_hub);
    assert_eq!(second.engine.overspends()?, on_hub);
    assert_eq!(
        phone.engine.wallet()?.balance,
        -6,
        "the account shows the debt"
    );
    let queue = hub.engine.review()?;
    assert!(
        queue.iter().any(|i| matches!(
            &i.reason,
            nabo_shared::review::ReviewReason::Overspend { amount: 8, .. }
        )),
        "{queue:?}"
    );
    // After a restart, the verdict is the same.
    let mut hub = hub.reopen()?;
    assert_eq!(hub.engine.overspends()?, on_hub);
    // The coordinator accepts it as a debt Amina works off: it leaves the
    // queue, and the balance stays.
    assert!(matches!(
        hub.engine
            .accept_overspend(nabo_shared::ids::EntryId::from_bytes([1; 16]))
            .map_err(refused),
        Err(Refused::NotFound(_))
    ));
    hub.engine.accept_overspend(on_hub[0].entry)?;
    assert!(!hub.engine.review()?.iter().any(|i| matches!(
        &i.reason,
        nabo_shared::review::ReviewReason::Overspend { .. }
    )));
    assert_eq!(
        hub.engine
            .members()?
            .iter()
            .find(|m| m.name == "Amina")
            .map(|m| m.balance),
        Some(-6)
    );

    // With a credit of 10 points in the rules, the same payments are within
    // it, and a phone may pay down to -10 but not further.
    hub.engine.set_rules(nabo_shared::rewards::rules::Rules {
        credit_limit: 10,
        ..Default::default()
    })?;
    assert!(hub.engine.overspends()?.is_empty());
    exchange(&mut hub, &mut phone)?;
    let c = cafe.engine.request_payment(4, "Te")?.text;
    let ScanOutcome::PaymentAsked(ask) = phone.engine.scan_text(&c)? else {
        panic!("not a request");
    };
    assert_eq!((ask.balance, ask.credit_limit), (-6, 10));
    phone.engine.pay(&c)?;
    let d = cafe.engine.request_payment(1, "Te")?.text;
    assert_eq!(
        phone.engine.pay(&d).map_err(refused).err(),
        Some(Refused::NotEnoughPoints { balance: -10 })
    );
    Ok(())
}

#[test]
fn the_partners_device_refuses_at_the_counter_what_the_payers_statement_does_not_cover(
) -> Result<()> {
    use nabo_shared::rewards::payments::{PaymentProblem, PaymentWarning};

    let dir = tempfile::tempdir()?;
    let (hub, mut phone, mut second, mut cafe) = two_phones_and_a_cafe(&dir)?;
    // Each phone's sync left a coordinator's statement on it: 10 points.
    let first = cafe.engine.request_payment(1, "Vand")?.text;
    let paid = phone.engine.pay(&first)?.text;
    let ScanOutcome::PaymentReceived(receipt) = cafe.engine.scan_text(&paid)? else {
        panic!("not a payment");
    };
    assert_eq!(receipt.warning, None, "the statement covers it");

    // Offline, the first phone pays 8; the second tries 8 more of the same
    // 10: the café's device refuses it, having taken 9 since the statement.
    hub.clock.advance(Duration::minutes(5));
    let a = cafe.engine.request_payment(8, "Frokost")?.text;
    let paid_a = phone.engine.pay(&a)?.text;
    cafe.engine.scan_text(&paid_a)?;
    let b = cafe.engine.request_payment(8, "Kage")?.text;
    let paid_b = second.engine.pay(&b)?.text;
    assert_eq!(
        cafe.engine.scan_text(&paid_b).map_err(refused).err(),
        Some(Refused::Payment(PaymentProblem::NotCovered { left: 1 }))
    );
    // A statement a week old still counts, with a warning.
    hub.clock.advance(Duration::days(8));
    let c = cafe.engine.request_payment(1, "Te")?.text;
    let paid_c = second.engine.pay(&c)?.text;
    let ScanOutcome::PaymentReceived(receipt) = cafe.engine.scan_text(&paid_c)? else {
        panic!("not a payment");
    };
    assert_eq!(
        receipt.warning,
        Some(PaymentWarning::OldStatement { days: 8 })
    );
    Ok(())
}

#[test]
fn a_resident_without_a_phone_is_checked_in_by_card_and_pays_only_with_their_pin() -> Result<()> {
    use nabo_shared::members::cards::{CardCode, CardProblem, CardTexts};
    use nabo_shared::rewards::ledger::Account;
    use nabo_shared::rewards::payments::{payment_for, payment_text, PaymentProblem};
    use nabo_shared::scan::Scanned;
    use nabo_shared::signed::Signed;

    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, lektie) = community_with_resident(&dir)?;
    exchange(&mut phone, &mut hub)?;
    let texts = CardTexts {
        heading: "Medlemskort".into(),
        code: "Kode".into(),
        how: "Vis kortet ved aktiviteter. Din pinkode skal bruges, når du betaler.".into(),
    };
    // The PIN is 6 to 12 digits; only a coordinator enrols.
    for pin in ["1234", "12345a", ""] {
        assert_eq!(
            hub.engine
                .enrol_card("Fatima", pin, &texts)
                .map_err(refused)
                .err(),
            Some(Refused::InvalidField {
                field: "pin",
                problem: FieldProblem::Invalid
            }),
            "{pin:?}"
        );
    }
    assert!(matches!(
        phone
            .engine
            .enrol_card("Fatima", "246813", &texts)
            .map_err(refused),
        Err(Refused::NotCoordinator)
    ));
    // Typed on an Arabic keyboard, the digits are the same PIN.
    let card = hub
        .engine
        .enrol_card("Fatima Al-Sayed فاطمة", "٢٤٦٨١٣", &texts)?;

    // The card as printed: her name in both scripts, the short code, and a
    // QR code an independent decoder reads from the rendered page.
    let file = dir.path().join("card.pdf");
    std::fs::write(&file, &card.pdf)?;
    let words = String::from_utf8(poppler(
        "pdftotext",
        &[file.as_os_str(), std::ffi::OsStr::new("-")],
    )?)?;
    for expected in [
        "Fatima",
        "Al-Sayed",
        "فاطمة",
        "Tingbjerg",
        "Medlemskort",
        &card.code,
    ] {
        assert!(words.contains(expected), "{expected:?} not in {words:?}");
    }
    let text = nabo_lib::engine::read_qr_image(&rendered(&file, 200)?)?;
    let Ok(Scanned::Card(code)) = Scanned::parse(&text) else {
        panic!("not a card: {text}");
    };
    assert_eq!(code.card.key_id().to_string(), card.code);
    assert_eq!(
        card.member, code.card,
        "a holder without a phone is her card"
    );

    // Checked in by card at the coordinator's device: rewarded at once,
    // once a day; by the short code written on it too.
    let ScanOutcome::Card(seen) = hub.engine.scan_text(&text)? else {
        panic!("the scan does not say whose card it is");
    };
    assert_eq!(seen.holder, "Fatima Al-Sayed فاطمة");
    let outcome = hub.engine.check_in_card(&text, lektie)?;
    assert!(
        matches!(&outcome, ScanOutcome::CheckedIn { activity, reward: Some(10), needs_approval: false, .. } if activity == "Lektiecafé"),
        "{outcome:?}"
    );
    assert!(matches!(
        hub.engine.check_in_card(&card.code, lektie)?,
        ScanOutcome::AlreadyCheckedIn { .. }
    ));
    // The activity's attendance lists her, checked in by the coordinator's
    // device in her name.
    let came = hub.engine.activity_attendance(lektie, 100)?;
    assert_eq!((came.checkins, came.people), (1, 1));
    assert_eq!(came.rows[0].device, card.member.key_id().to_string());
    let spisning = hub
        .engine
        .save_activity(activity("Fællesspisning", 5, None))?
        .id;
    hub.engine
        .check_in_card(&format!(" {} ", card.code.to_uppercase()), spisning)?;
    let balance = |hub: &Device, member: &MemberKey| -> Result<i64> {
        Ok(hub
            .engine
            .members()?
            .into_iter()
            .find(|m| m.device == member.key_id().to_string())
            .map(|m| m.balance)
            .unwrap_or(i64::MIN))
    };
    assert_eq!(balance(&hub, &card.member)?, 15);
    // Not a resident's to scan, nor to check someone in with.
    assert!(matches!(
        phone.engine.scan_text(&text).map_err(refused),
        Err(Refused::WrongKindOfCode(_))
    ));
    exchange(&mut hub, &mut phone)?;
    assert!(matches!(
        phone.engine.check_in_card(&text, lektie).map_err(refused),
        Err(Refused::NotCoordinator)
    ));

    // Paying at the community house: the holder types her PIN on the
    // coordinator's device. A wrong PIN moves nothing and counts.
    hub.clock.advance(Duration::minutes(10));
    let request = hub.engine.request_payment(6, "Kaffe")?.text;
    assert_eq!(
        hub.engine
            .pay_by_card(&request, &text, "000000")
            .map_err(refused)
            .err(),
        Some(Refused::Card(CardProblem::WrongPin { left: 4 }))
    );
    let receipt = hub.engine.pay_by_card(&request, &text, "246813")?;
    assert_eq!(
        (receipt.payer.as_str(), receipt.amount),
        ("Fatima Al-Sayed فاطمة", 6)
    );
    assert_eq!(balance(&hub, &card.member)?, 9);
    // Never more than the balance; never another device's request.
    let big = hub.engine.request_payment(50, "Udflugt")?.text;
    assert!(matches!(
        hub.engine
            .pay_by_card(&big, &text, "246813")
            .map_err(refused),
        Err(Refused::NotEnoughPoints { balance: 9 })
    ));
    let theirs = {
        let mut cafe = new_member(&dir, &mut hub, "Café", Role::Partner)?;
        exchange(&mut cafe, &mut hub)?;
        exchange(&mut hub, &mut cafe)?;
        cafe.engine.request_payment(2, "Kaffe")?.text
    };
    assert_eq!(
        hub.engine
            .pay_by_card(&theirs, &text, "246813")
            .map_err(refused)
            .err(),
        Some(Refused::Payment(PaymentProblem::UnknownRequest))
    );

    // Without her PIN nobody spends for her, a coordinator neither: a
    // payment from her account signed with another key is refused.
    let open = hub.engine.request_payment(3, "Te")?.text;
    let Ok(Scanned::PaymentRequest(asked)) = Scanned::parse(&open) else {
        panic!("not a request");
    };
    let forged = payment_for(
        &asked.request.value,
        nabo_shared::ids::EntryId::from_bytes([7; 16]),
        Account::Member(card.member),
        hub.clock.now(),
    );
    let coordinator = SigningKey::from_bytes(&[9; 32]);
    let forged = payment_text(&Signed::seal(&coordinator, &forged), None, None);
    assert_eq!(
        hub.engine.scan_text(&forged).map_err(refused).err(),
        Some(Refused::Payment(PaymentProblem::UnknownPayer))
    );
    // A lock copied onto her card's key opens to the wrong key.
    let other = hub.engine.enrol_card("Ole", "111111", &texts)?;
    let ole_pdf = dir.path().join("ole.pdf");
    std::fs::write(&ole_pdf, &other.pdf)?;
    let other_text = nabo_lib::engine::read_qr_image(&rendered(&ole_pdf, 200)?)?;
    let Ok(Scanned::Card(ole)) = Scanned::parse(&other_text) else {
        panic!("not a card");
    };
    let swapped = CardCode {
        lock: ole.lock,
        ..code.clone()
    }
    .encode();
    assert_eq!(
        hub.engine
            .pay_by_card(&open, &swapped, "111111")
            .map_err(refused)
            .err(),
        Some(Refused::Card(CardProblem::WrongPin { left: 4 })),
        "(the count starts again after a right PIN)"
    );
    // Five wrong PINs a day, then not even the right one.
    for left in [3, 2, 1, 0] {
        assert_eq!(
            hub.engine
                .pay_by_card(&open, &text, "999999")
                .map_err(refused)
                .err(),
            Some(Refused::Card(CardProblem::WrongPin { left }))
        );
    }
    assert_eq!(
        hub.engine
            .pay_by_card(&open, &text, "246813")
            .map_err(refused)
            .err(),
        Some(Refused::Card(CardProblem::TooManyTries))
    );
    assert_eq!(balance(&hub, &card.member)?, 9);

    // The card's secret is on the card only: not in the store, not in a
    // sync file.
    let sync = hub
        .engine
        .export_sync(Recipient::Member(phone.engine.device_key()))?;
    let store = std::fs::read(&hub.path)?;
    for bytes in [&sync.bytes, &store] {
        assert!(!bytes.windows(16).any(|w| *w == code.lock.sealed[..16]));
        assert!(!bytes.windows(16).any(|w| w == code.lock.salt));
    }

    // A lost card: blocked, a new one printed with a new PIN; the points
    // stay hers.
    hub.clock.advance(Duration::days(1));
    let new = hub.engine.new_card(&card.code, "864200", &texts)?;
    assert_eq!(new.member, card.member);
    assert_eq!(
        hub.engine
            .check_in_card(&text, lektie)
            .map_err(refused)
            .err(),
        Some(Refused::Card(CardProblem::Blocked))
    );
    hub.engine.check_in_card(&new.code, lektie)?;
    assert_eq!(balance(&hub, &card.member)?, 19);
    let devices = hub
        .engine
        .members()?
        .into_iter()
        .find(|m| m.device == card.code)
        .map(|m| m.devices)
        .unwrap_or_default();
    assert_eq!(devices.len(), 2);
    assert!(devices.iter().all(|d| d.card));
    assert!(devices[0].retired_at.is_some() && devices[1].retired_at.is_none());
    Ok(())
}

#[test]
fn a_flagged_payment_is_reversed_with_corrections_both_sides_see() -> Result<()> {
    use nabo_shared::ids::EntryId;
    use nabo_shared::review::ReviewReason;

    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, mut second, mut cafe) = two_phones_and_a_cafe(&dir)?;
    // Offline, her second phone spends 8 at the community house, then her
    // first phone 8 at the café: the café's payment overdraws.
    hub.clock.advance(Duration::minutes(10));
    let a = hub.engine.request_payment(8, "Kage")?.text;
    let paid_a = second.engine.pay(&a)?.text;
    hub.engine.scan_text(&paid_a)?;
    hub.clock.advance(Duration::minutes(1));
    let b = cafe.engine.request_payment(8, "Frokost")?.text;
    let paid_b = phone.engine.pay(&b)?.text;
    cafe.engine.scan_text(&paid_b)?;
    for device in [&mut phone, &mut second, &mut cafe] {
        exchange(device, &mut hub)?;
    }
    let flags = hub.engine.overspends()?;
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0].what, "Frokost");
    assert_eq!(balance_of(&hub, "Amina")?, Some(-6));
    assert_eq!(balance_of(&hub, "Café")?, Some(8));

    // Only a coordinator reverses, with a reason, and only a flag.
    assert!(matches!(
        cafe.engine
            .reverse_overspend(flags[0].entry, "Tilbage")
            .map_err(refused),
        Err(Refused::NotCoordinator)
    ));
    assert_eq!(
        hub.engine
            .reverse_overspend(flags[0].entry, "  ")
            .map_err(refused)
            .err(),
        Some(Refused::InvalidField {
            field: "note",
            problem: FieldProblem::Required
        })
    );
    assert!(matches!(
        hub.engine
            .reverse_overspend(EntryId::from_bytes([1; 16]), "Tilbage")
            .map_err(refused),
        Err(Refused::NotFound(_))
    ));
    hub.engine
        .reverse_overspend(flags[0].entry, "Frokosten er ført tilbage")?;
    // The café gives the 8 back, Amina gets them: 2 left, as if she had
    // paid only the community house; the community's account is unchanged.
    assert_eq!(balance_of(&hub, "Amina")?, Some(2));
    assert_eq!(balance_of(&hub, "Café")?, Some(0));
    let currency = hub.engine.currency()?;
    assert_eq!(currency.circulating + currency.community_account, 0);
    assert!(!hub
        .engine
        .review()?
        .iter()
        .any(|i| matches!(i.reason, ReviewReason::Overspend { .. })));
    // Settled once: neither reversed again nor accepted afterwards.
    assert!(matches!(
        hub.engine
            .reverse_overspend(flags[0].entry, "Igen")
            .map_err(refused),
        Err(Refused::NotFound(_))
    ));
    assert!(matches!(
        hub.engine.accept_overspend(flags[0].entry).map_err(refused),
        Err(Refused::NotFound(_))
    ));
    // Both see why after a sync, and every device agrees on the balances.
    exchange(&mut hub, &mut phone)?;
    exchange(&mut hub, &mut cafe)?;
    let mine = phone.engine.wallet()?;
    assert_eq!(mine.balance, 2);
    assert!(
        mine.history
            .iter()
            .any(|l| l.note.as_deref() == Some("Frokosten er ført tilbage")),
        "{:?}",
        mine.history
    );
    assert_eq!(cafe.engine.wallet()?.balance, 0);
    // After a restart and a rebuild of every table, the same.
    let hub = hub.reopen()?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(2));
    assert!(!hub
        .engine
        .review()?
        .iter()
        .any(|i| matches!(i.reason, ReviewReason::Overspend { .. })));
    Ok(())
}

mod overspend_order {
    //! Random offline spending by two phones of one member at the café and
    //! the community house, then the records reach two coordinators' devices
    //! in different orders: both flag the same spendings, and so do the
    //! member's phones once they hear from the hub.

    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

        #[test]
        fn every_device_flags_the_same_spendings_whatever_order_records_arrive_in(
            spends in proptest::collection::vec((any::<bool>(), any::<bool>(), 1u64..9), 2..7),
            order in Just(vec![0usize, 1, 2]).prop_shuffle(),
            restarts in proptest::collection::vec(any::<bool>(), 3),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let (mut hub, phone, second, cafe) = two_phones_and_a_cafe(&dir).unwrap();
            // A second coordinator, who will hear everything in another order.
            let mut ole = second_coordinator(&dir, &mut hub).unwrap();

            let mut sources = [phone, second, cafe];
            // Everyone learns that Ole is a coordinator, so they send him
            // what they have.
            for source in sources.iter_mut() {
                exchange(&mut hub, source).unwrap();
            }
            for (first_phone, at_cafe, amount) in spends {
                hub.clock.advance(Duration::minutes(1));
                let (phones, cafe) = sources.split_at_mut(2);
                let payer = &mut phones[usize::from(!first_phone)];
                let payee = if at_cafe { &mut cafe[0] } else { &mut hub };
                let request = payee.engine.request_payment(amount, "Kaffe").unwrap().text;
                // A phone never pays past what it knows; a counter may refuse.
                if let Ok(paid) = payer.engine.pay(&request) {
                    let _ = payee.engine.scan_text(&paid.text);
                }
            }
            // Each device keeps its verdicts between calls and judges again
            // only the accounts new rows move: after every sync they are
            // the ones judging everything afresh gives.
            // The app may close after any sync: the verdicts and what the
            // sync moved are taken up from the store.
            ole.engine.overspends().unwrap();
            for (&i, &restart) in order.iter().zip(&restarts) {
                let got = exchange(&mut sources[i], &mut ole).unwrap();
                prop_assert!(i == 2 || got.refused_documents == 0, "{got:?}");
                if restart {
                    ole = ole.reopen().unwrap();
                }
                prop_assert_eq!(ole.engine.overspends().unwrap(), ole.engine.overspends_afresh().unwrap());
            }
            exchange(&mut hub, &mut ole).unwrap();
            for source in sources.iter_mut().rev() {
                exchange(source, &mut hub).unwrap();
                prop_assert_eq!(hub.engine.overspends().unwrap(), hub.engine.overspends_afresh().unwrap());
            }
            // Last, each coordinator sends the other what it has.
            exchange(&mut ole, &mut hub).unwrap();
            exchange(&mut hub, &mut ole).unwrap();
            if restarts[0] {
                hub = hub.reopen().unwrap();
            }
            let on_hub = hub.engine.overspends().unwrap();
            prop_assert_eq!(&ole.engine.overspends().unwrap(), &on_hub);
            // A member's balance read alone (as the counter reads it) is the
            // one the whole community's list gives them, on both devices.
            let keys: Vec<_> = [&hub, &ole, &sources[0], &sources[1], &sources[2]]
                .iter()
                .map(|d| d.engine.device_key())
                .collect();
            for coordinator in [&hub, &ole] {
                let listed = coordinator.engine.members().unwrap();
                for key in &keys {
                    let alone = coordinator.engine.spendable(key).unwrap();
                    let in_list = listed
                        .iter()
                        .find(|m| m.device == key.key_id().to_string())
                        .map_or(alone, |m| m.balance);
                    prop_assert_eq!(alone, in_list, "{:?}", key);
                    let wallet =
                        coordinator.engine.member_history(&key.key_id().to_string()).unwrap();
                    prop_assert_eq!(wallet.balance, in_list, "the wallet of {:?}", key);
                }
            }
            for phone in &mut sources[..2] {
                exchange(&mut hub, phone).unwrap();
                prop_assert_eq!(&phone.engine.overspends().unwrap(), &on_hub);
            }
        }
    }
}

#[test]
fn a_phone_retired_offline_by_another_coordinator_moves_the_kept_account_when_heard_of(
) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, _second, _cafe) = two_phones_and_a_cafe(&dir)?;
    let mut ole = second_coordinator(&dir, &mut hub)?;
    let amina = phone.engine.device_key().key_id().to_string();
    // Ole, offline, takes Amina's phone away; she pays 4 at the community
    // house with it a minute later, before the hub has heard.
    hub.clock.advance(Duration::minutes(1));
    ole.engine.replace_device(&amina, true)?;
    hub.clock.advance(Duration::minutes(1));
    let request = hub.engine.request_payment(4, "Kaffe")?.text;
    let paid = phone.engine.pay(&request)?.text;
    hub.engine.scan_text(&paid)?;
    exchange(&mut phone, &mut hub)?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(6));
    // Ole's word arrives: the payment was signed after the phone was taken
    // away and counts for nothing. Only the community document changed,
    // and the kept account moves with it.
    exchange(&mut ole, &mut hub)?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(10));
    let (kept, afresh) = hub.engine.accounts_kept_and_afresh()?;
    assert_eq!(kept, afresh);
    // The same after a restart.
    let hub = hub.reopen()?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(10));
    Ok(())
}

mod kept_accounts {
    //! Random changes of the community document (members confirmed,
    //! revoked and reinstated, a coordinator appointed, a phone linked or
    //! replaced, activities added or renamed, the rules) between random
    //! spending, check-ins, hours and corrections, some made offline by a
    //! second coordinator and heard of after the spending they judge: the
    //! accounts the hub keeps, carried over each change and brought up to
    //! the store (after a restart too), are the ones judging everything
    //! afresh gives; and its reconcile, which after a change that only
    //! places members anew looks again at their check-ins alone, leaves
    //! nothing that looking at every check-in would reward.

    use super::*;
    use nabo_shared::rewards::hours::{LogHours, Span, Work};
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Step {
        CheckIn {
            second: bool,
        },
        Spend {
            second: bool,
            at_cafe: bool,
            amount: u64,
        },
        /// Both phones pay the same request: its payee takes the first
        /// and refuses the second.
        SpendTwice {
            at_cafe: bool,
            amount: u64,
        },
        /// The café hands points back to the community.
        Return(u64),
        Hours {
            second: bool,
            quarters: u32,
        },
        Correct(i64),
        NewActivity,
        RenameActivity,
        Join(Role),
        Approve,
        Revoke {
            by_ole: bool,
        },
        Reinstate {
            by_ole: bool,
        },
        OleSyncs,
        NewPhone {
            retire: bool,
            by_ole: bool,
        },
        CreditLimit(u32),
        Restart,
    }

    fn step() -> impl Strategy<Value = Step> {
        let role = prop_oneof![
            Just(Role::Resident),
            Just(Role::Partner),
            Just(Role::Coordinator)
        ];
        // Weighted towards what makes a change heard of late matter:
        // spending, phones replaced, and Ole's word arriving.
        prop_oneof![
            3 => any::<bool>().prop_map(|second| Step::CheckIn { second }),
            4 => (any::<bool>(), any::<bool>(), 1u64..9).prop_map(|(second, at_cafe, amount)| {
                Step::Spend { second, at_cafe, amount }
            }),
            1 => (any::<bool>(), 1u64..5)
                .prop_map(|(at_cafe, amount)| Step::SpendTwice { at_cafe, amount }),
            1 => (1u64..6).prop_map(Step::Return),
            1 => (any::<bool>(), 1u32..9)
                .prop_map(|(second, quarters)| Step::Hours { second, quarters }),
            1 => (-6i64..6).prop_map(Step::Correct),
            1 => Just(Step::NewActivity),
            1 => Just(Step::RenameActivity),
            1 => role.prop_map(Step::Join),
            1 => Just(Step::Approve),
            2 => any::<bool>().prop_map(|by_ole| Step::Revoke { by_ole }),
            2 => any::<bool>().prop_map(|by_ole| Step::Reinstate { by_ole }),
            3 => Just(Step::OleSyncs),
            3 => (any::<bool>(), any::<bool>())
                .prop_map(|(retire, by_ole)| Step::NewPhone { retire, by_ole }),
            1 => (0u32..5).prop_map(Step::CreditLimit),
            1 => Just(Step::Restart),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

        #[test]
        fn kept_accounts_are_the_ones_judged_afresh_after_any_change(
            steps in proptest::collection::vec(step(), 1..16),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let (mut hub, phone, second, mut cafe) = two_phones_and_a_cafe(&dir).unwrap();
            let mut phones = vec![phone, second];
            // A second coordinator, who works offline and is heard of late.
            let mut ole = second_coordinator(&dir, &mut hub).unwrap();
            // Members who joined (a coordinator confirms one by hand).
            let mut waiting: Vec<Device> = Vec::new();
            let amina = hub.engine.members().unwrap().into_iter()
                .find(|m| m.name == "Amina").unwrap().device;
            let lektie = hub.engine.list_activities().unwrap().into_iter()
                .find(|a| a.title == "Lektiecafé").unwrap().id;
            let same = |hub: &Device| -> Result<(), TestCaseError> {
                let (kept, afresh) = hub.engine.accounts_kept_and_afresh().unwrap();
                prop_assert_eq!(kept, afresh);
                Ok(())
            };
            // The hub keeps its verdicts from the start.
            same(&hub)?;
            for (i, step) in steps.into_iter().enumerate() {
                hub.clock.advance(Duration::minutes(1));
                // Any step may be refused (a revoked phone pays nothing, a
                // member reinstated who was never revoked): refusals move
                // nothing, and what did move is checked below.
                match step.clone() {
                    Step::CheckIn { second } => {
                        let qr = hub.engine.checkin_qr(lektie).unwrap().text;
                        let phone = &mut phones[usize::from(second)];
                        let _ = phone.engine.scan_text(&qr);
                        exchange(phone, &mut hub).unwrap();
                    }
                    Step::Spend { second, at_cafe, amount } => {
                        let payer = &mut phones[usize::from(second)];
                        let payee = if at_cafe { &mut cafe } else { &mut hub };
                        let request = payee.engine.request_payment(amount, "Kaffe").unwrap().text;
                        if let Ok(paid) = payer.engine.pay(&request) {
                            let _ = payee.engine.scan_text(&paid.text);
                        }
                        exchange(payer, &mut hub).unwrap();
                        exchange(&mut cafe, &mut hub).unwrap();
                    }
                    Step::SpendTwice { at_cafe, amount } => {
                        let payee = if at_cafe { &mut cafe } else { &mut hub };
                        let request = payee.engine.request_payment(amount, "Kage").unwrap().text;
                        for payer in phones.iter_mut().take(2) {
                            if let Ok(paid) = payer.engine.pay(&request) {
                                let _ = payee.engine.scan_text(&paid.text);
                            }
                        }
                        for payer in phones.iter_mut().take(2) {
                            exchange(payer, &mut hub).unwrap();
                        }
                        exchange(&mut cafe, &mut hub).unwrap();
                    }
                    Step::Return(amount) => {
                        let _ = cafe.engine.return_points(amount, "Måned");
                        exchange(&mut cafe, &mut hub).unwrap();
                    }
                    Step::Hours { second, quarters } => {
                        let volunteer = &mut phones[usize::from(second)];
                        let _ = volunteer.engine.log_hours(LogHours {
                            claim: None,
                            work: Work::Activity(lektie),
                            date: volunteer.clock.now().date_naive(),
                            span: Span::Minutes(15 * quarters),
                            note: String::new(),
                        });
                        exchange(volunteer, &mut hub).unwrap();
                    }
                    Step::Correct(points) => {
                        let _ = hub.engine.correct_points(&amina, points, "Rettelse");
                    }
                    Step::NewActivity => {
                        hub.engine.save_activity(activity(&format!("Strik {i}"), 5, None)).unwrap();
                    }
                    Step::RenameActivity => {
                        let mut renamed = activity(&format!("Lektiecafé {i}"), 10, Some(25));
                        renamed.id = Some(lektie);
                        hub.engine.save_activity(renamed).unwrap();
                    }
                    Step::Join(role) => {
                        let invite = hub.engine.invite_code(role).unwrap().encode();
                        let mut joiner = Device::new(&dir, &format!("joiner{i}"), &hub.clock).unwrap();
                        joiner.engine.join_community(JoinCommunity {
                            invite,
                            my_name: format!("Ny {i}"),
                        }).unwrap();
                        let _ = joiner.engine.log_hours(LogHours {
                            claim: None,
                            work: Work::Other("Ryddede op".into()),
                            date: joiner.clock.now().date_naive(),
                            span: Span::Minutes(60),
                            note: String::new(),
                        });
                        exchange(&mut joiner, &mut hub).unwrap();
                        waiting.push(joiner);
                    }
                    Step::Approve => {
                        if let Some(joiner) = waiting.first() {
                            let _ = hub.engine.approve_join(&joiner.engine.device_key().key_id().to_string());
                        }
                    }
                    Step::Revoke { by_ole } => {
                        let by = if by_ole { &mut ole } else { &mut hub };
                        let _ = by.engine.revoke_member(&amina);
                    }
                    Step::Reinstate { by_ole } => {
                        let by = if by_ole { &mut ole } else { &mut hub };
                        let _ = by.engine.reinstate_member(&amina);
                    }
                    Step::OleSyncs => {
                        exchange(&mut ole, &mut hub).unwrap();
                        exchange(&mut hub, &mut ole).unwrap();
                    }
                    Step::NewPhone { retire, by_ole } => {
                        let by = if by_ole { &mut ole } else { &mut hub };
                        if let Ok(invite) = by.engine.replace_device(&amina, retire) {
                            let mut new = Device::new(&dir, &format!("phone{i}"), &by.clock).unwrap();
                            new.engine.join_community(JoinCommunity {
                                invite: invite.qr.text,
                                my_name: "Amina".into(),
                            }).unwrap();
                            exchange(&mut new, by).unwrap();
                            exchange(by, &mut new).unwrap();
                            phones.push(new);
                        }
                    }
                    Step::CreditLimit(credit_limit) => {
                        let rules = hub.engine.rules().unwrap().rules;
                        hub.engine.set_rules(nabo_shared::rewards::rules::Rules {
                            credit_limit,
                            ..rules
                        }).unwrap();
                    }
                    Step::Restart => hub = hub.reopen().unwrap(),
                }
                same(&hub)?;
                // Reconcile looks again only at what the step can have
                // made rewardable: looking at every check-in finds nothing
                // more.
                hub.engine.reconcile().unwrap();
                let again = hub.engine.reconcile_from_the_start().unwrap();
                prop_assert_eq!((again.rewarded, again.capped), (0, 0), "after {:?}", step);
            }
        }
    }
}

#[test]
fn a_payment_code_never_scanned_moves_nothing_and_one_taken_counts_once_the_payee_says_so(
) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, _second, mut cafe) = two_phones_and_a_cafe(&dir)?;
    // Amina pays the café's request on her phone, shows the code, and walks
    // away: the café never scans it.
    let request = cafe.engine.request_payment(4, "Kaffe")?.text;
    phone.engine.pay(&request)?;
    let waiting = |wallet: &nabo_shared::rewards::WalletView| {
        wallet
            .history
            .iter()
            .any(|l| l.status == LineStatus::PaymentWaiting && l.note.as_deref() == Some("Café"))
    };
    // Her phone holds the 4 points back and says what it waits for.
    let wallet = phone.engine.wallet()?;
    assert_eq!(wallet.balance, 6);
    assert!(waiting(&wallet), "{:?}", wallet.history);
    let more = cafe.engine.request_payment(7, "Frokost")?.text;
    assert_eq!(
        phone.engine.pay(&more).map_err(refused).err(),
        Some(Refused::NotEnoughPoints { balance: 6 }),
        "what waits cannot be spent again"
    );
    exchange(&mut phone, &mut hub)?;
    // The community house waits too: nothing has moved to the café.
    assert_eq!(balance_of(&hub, "Amina")?, Some(6));
    assert_eq!(balance_of(&hub, "Café")?, Some(0));
    // The request expires at the café; its next sync closes it unpaid.
    hub.clock.advance(Duration::minutes(20));
    exchange(&mut cafe, &mut hub)?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(10));
    assert_eq!(balance_of(&hub, "Café")?, Some(0));
    // The hub passes the café's word on to her phone: the points are hers.
    exchange(&mut hub, &mut phone)?;
    let wallet = phone.engine.wallet()?;
    assert_eq!(wallet.balance, 10);
    assert!(!waiting(&wallet), "{:?}", wallet.history);
    assert!(
        wallet
            .history
            .iter()
            .any(|l| l.status == LineStatus::PaymentRefused && l.title == "Kaffe"),
        "{:?}",
        wallet.history
    );
    // A payment the café takes waits on her phone until she syncs, then
    // counts everywhere.
    let request = cafe.engine.request_payment(3, "Te")?.text;
    let paid = phone.engine.pay(&request)?.text;
    let receipt = cafe.engine.scan_text(&paid)?;
    assert!(
        matches!(receipt, ScanOutcome::PaymentReceived(_)),
        "{receipt:?}"
    );
    assert_eq!(
        cafe.engine.wallet()?.balance,
        3,
        "the café's takings at once"
    );
    assert!(waiting(&phone.engine.wallet()?));
    exchange(&mut phone, &mut hub)?;
    exchange(&mut cafe, &mut hub)?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(7));
    assert_eq!(balance_of(&hub, "Café")?, Some(3));
    exchange(&mut hub, &mut phone)?;
    let wallet = phone.engine.wallet()?;
    assert_eq!(wallet.balance, 7);
    assert!(!waiting(&wallet), "{:?}", wallet.history);
    assert!(wallet
        .history
        .iter()
        .any(|l| l.status == LineStatus::Paid && l.title == "Te"));
    // After a restart and a rebuild, the same.
    let hub = hub.reopen()?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(7));
    assert_eq!(balance_of(&hub, "Café")?, Some(3));
    Ok(())
}

#[test]
fn a_payment_its_payee_refused_counts_for_nothing_anywhere() -> Result<()> {
    use nabo_shared::rewards::payments::PaymentProblem;

    let dir = tempfile::tempdir()?;
    let (mut hub, mut phone, _second, mut cafe) = two_phones_and_a_cafe(&dir)?;
    // Amina's phone pays the café's request, but the café only scans the
    // payment after the request expired: it refuses it, and hands nothing
    // over.
    let request = cafe.engine.request_payment(4, "Kaffe")?.text;
    let paid = phone.engine.pay(&request)?.text;
    hub.clock.advance(Duration::minutes(20));
    let refusal = Some(Refused::Payment(PaymentProblem::Expired));
    assert_eq!(cafe.engine.scan_text(&paid).map_err(refused).err(), refusal);
    assert_eq!(
        cafe.engine.scan_text(&paid).map_err(refused).err(),
        refusal,
        "refused again the same way"
    );
    // Her phone counted its own payment until it hears of the refusal.
    assert_eq!(phone.engine.wallet()?.balance, 6);
    for device in [&mut phone, &mut cafe] {
        exchange(device, &mut hub)?;
    }
    assert_eq!(balance_of(&hub, "Amina")?, Some(10));
    assert_eq!(balance_of(&hub, "Café")?, Some(0));
    // The hub passes the café's refusal on to her phone.
    exchange(&mut hub, &mut phone)?;
    exchange(&mut hub, &mut cafe)?;
    let wallet = phone.engine.wallet()?;
    assert_eq!(wallet.balance, 10);
    assert!(
        wallet
            .history
            .iter()
            .any(|l| l.status == LineStatus::PaymentRefused
                && l.title == "Kaffe"
                && l.note.as_deref() == Some("Café")),
        "her history says the café did not take it: {:?}",
        wallet.history
    );
    assert_eq!(cafe.engine.wallet()?.balance, 0);
    // She pays a fresh request, and that one counts.
    let again = cafe.engine.request_payment(4, "Kaffe")?.text;
    let paid = phone.engine.pay(&again)?.text;
    cafe.engine.scan_text(&paid)?;
    for device in [&mut phone, &mut cafe] {
        exchange(device, &mut hub)?;
    }
    assert_eq!(balance_of(&hub, "Amina")?, Some(6));
    assert_eq!(balance_of(&hub, "Café")?, Some(4));
    // After a restart and a rebuild, the same.
    let hub = hub.reopen()?;
    assert_eq!(balance_of(&hub, "Amina")?, Some(6));
    Ok(())
}

#[test]
fn a_budget_round_goes_from_ideas_through_review_and_ballots_to_one_count_every_device_shares(
) -> Result<()> {
    use nabo_shared::budget::report::Funding;
    use nabo_shared::budget::round::{
        BallotProblem, BallotRule, OutcomeRule, Phase, Phases, RoundInput, SaveProposal,
    };
    use nabo_shared::review::ReviewReason;

    let dir = tempfile::tempdir()?;
    let (mut hub, mut amina, _) = community_with_resident(&dir)?;
    exchange(&mut amina, &mut hub)?;
    exchange(&mut hub, &mut amina)?;
    let today = hub.clock.now().date_naive();
    let days = |n| today + chrono::Days::new(n);
    let input = RoundInput {
        id: None,
        title: "Solhøj 2027".into(),
        amount: 50_000,
        area: "Blok A–D".into(),
        phases: Phases {
            ideas: today,
            review: days(7),
            voting: days(14),
            result: days(21),
        },
        ballot: BallotRule {
            min: 1,
            max: Some(2),
            cost_limit: None,
        },
        rule: OutcomeRule::EqualShares,
    };
    // Only a coordinator opens a round, and a wrong field is named.
    assert_eq!(
        refused(amina.engine.save_round(input.clone()).unwrap_err()),
        Refused::NotCoordinator
    );
    let mut wrong = input.clone();
    wrong.phases.voting = days(3);
    assert_eq!(
        refused(hub.engine.save_round(wrong).unwrap_err()),
        Refused::InvalidField {
            field: "voting",
            problem: FieldProblem::EndsBeforeStart
        }
    );
    let round = hub.engine.save_round(input)?;
    assert_eq!(round.phase, Phase::Ideas);
    exchange(&mut hub, &mut amina)?;
    assert_eq!(amina.engine.rounds()?, vec![round.clone()]);

    // Ideas: a member proposes; a cost of nothing is refused.
    let propose = |title: &str, cost| SaveProposal {
        id: None,
        round: round.id,
        title: title.into(),
        description: format!("{title}: hvorfor og hvordan"),
        cost,
        category: "Udeareal".into(),
        recipient: "Beboerforeningen Solhøj".into(),
        base: Vec::new(),
    };
    assert_eq!(
        refused(amina.engine.save_proposal(propose("Bænke", 0)).unwrap_err()),
        Refused::InvalidField {
            field: "cost",
            problem: FieldProblem::OutOfRange
        }
    );
    let benches = amina.engine.save_proposal(propose("Bænke", 30_000))?;
    let pool = amina.engine.save_proposal(propose("Svømmehal", 40_000))?;
    let lights = hub.engine.save_proposal(propose("Lys på stien", 20_000))?;
    exchange(&mut amina, &mut hub)?;

    // Review: no new ideas; a coordinator decides what goes on the ballot.
    // (Both devices keep the same clock.)
    hub.clock.advance(Duration::days(7));
    assert_eq!(
        refused(
            amina
                .engine
                .save_proposal(propose("For sent", 1_000))
                .unwrap_err()
        ),
        Refused::Ballot(BallotProblem::NotIdeas)
    );
    assert_eq!(
        refused(
            amina
                .engine
                .review_proposal(benches, true, "", None)
                .unwrap_err()
        ),
        Refused::NotCoordinator
    );
    assert_eq!(
        refused(
            hub.engine
                .review_proposal(pool, false, " ", None)
                .unwrap_err()
        ),
        Refused::InvalidField {
            field: "reason",
            problem: FieldProblem::Required
        }
    );
    hub.engine.review_proposal(benches, true, "", None)?;
    hub.engine
        .review_proposal(lights, true, "Tilbud fra elektrikeren", Some(25_000))?;
    hub.engine
        .review_proposal(pool, false, "Der er ikke plads på grunden", None)?;
    exchange(&mut hub, &mut amina)?;
    let seen = amina.engine.round_detail(round.id)?;
    let line = |title: &str| seen.proposals.iter().find(|p| p.title == title).unwrap();
    let no = line("Svømmehal").review.clone().unwrap();
    assert!(!no.feasible && no.reason == "Der er ikke plads på grunden" && no.by == "Sara");
    assert_eq!(
        (
            line("Lys på stien").cost,
            line("Lys på stien").proposed_cost
        ),
        (25_000, 20_000)
    );
    assert!(line("Bænke").mine && !line("Lys på stien").mine);

    // Voting: one ballot per member, the latest counts; only what is on
    // the ballot, within the round's rule.
    assert_eq!(
        refused(
            amina
                .engine
                .cast_ballot(round.id, vec![benches])
                .unwrap_err()
        ),
        Refused::Ballot(BallotProblem::NotVoting)
    );
    // (Both devices keep the same clock.)
    hub.clock.advance(Duration::days(7));
    for (ticked, problem) in [
        (vec![pool], BallotProblem::NotOnBallot),
        (vec![], BallotProblem::TooFew { min: 1 }),
    ] {
        assert_eq!(
            refused(amina.engine.cast_ballot(round.id, ticked).unwrap_err()),
            Refused::Ballot(problem)
        );
    }
    amina.engine.cast_ballot(round.id, vec![lights])?;
    amina.engine.cast_ballot(round.id, vec![benches, lights])?;
    let mut both = vec![benches, lights];
    both.sort();
    assert_eq!(amina.engine.round_detail(round.id)?.my_ballot, Some(both));
    hub.engine.cast_ballot(round.id, vec![lights])?;
    exchange(&mut amina, &mut hub)?;
    assert_eq!(hub.engine.round_detail(round.id)?.ballots, Some(2));
    assert_eq!(amina.engine.round_detail(round.id)?.ballots, None);

    // Paper: Zainab, who has a member card and no phone, votes on paper,
    // entered by her card's short code; Amina hands in a paper ballot too,
    // which counts instead of her phone's, and the queue says so.
    let zainab = hub
        .engine
        .enrol_card("Zainab", "246813", &Default::default())?;
    assert_eq!(
        refused(
            hub.engine
                .enter_paper_ballot(round.id, "no-such-card", vec![benches], false)
                .unwrap_err()
        ),
        Refused::Card(nabo_shared::members::cards::CardProblem::Unknown)
    );
    assert_eq!(
        refused(
            amina
                .engine
                .enter_paper_ballot(round.id, &zainab.code, vec![benches], false)
                .unwrap_err()
        ),
        Refused::NotCoordinator
    );
    assert_eq!(
        hub.engine
            .enter_paper_ballot(round.id, &zainab.code, vec![benches], false)?,
        "Zainab"
    );
    let amina_id = amina.engine.device_key().key_id().to_string();
    assert_eq!(
        hub.engine
            .enter_paper_ballot(round.id, &amina_id, vec![lights, benches], false)?,
        "Amina"
    );
    let held = hub.engine.round_detail(round.id)?;
    assert_eq!((held.ballots, held.paper), (Some(3), Some(2)));
    let doubles: Vec<_> = hub
        .engine
        .review()?
        .into_iter()
        .filter(|i| matches!(i.reason, ReviewReason::DoubleVote { .. }))
        .map(|i| i.signer.and_then(|s| s.name))
        .collect();
    assert_eq!(doubles, vec![Some("Amina".to_owned())]);
    exchange(&mut hub, &mut amina)?;
    let hers = amina.engine.round_detail(round.id)?;
    assert!(
        hers.my_ballot_paper,
        "her phone says the paper ballot counts"
    );

    // The count: a member cannot close voting; the coordinator's count is
    // the result, and a ballot cast after it changes nothing.
    assert_eq!(
        refused(amina.engine.close_voting(round.id).unwrap_err()),
        Refused::NotCoordinator
    );
    let result = hub.engine.close_voting(round.id)?;
    assert_eq!(result.voters, 3);
    let by_name = |r: &nabo_shared::budget::report::BudgetReport, name: &str| {
        r.projects.iter().find(|p| p.name == name).cloned().unwrap()
    };
    assert_eq!(by_name(&result, "Lys på stien").votes, 2);
    assert_eq!(by_name(&result, "Lys på stien").cost, "25000");
    assert!(matches!(
        by_name(&result, "Lys på stien").equal_shares,
        Funding::Paid { .. }
    ));
    assert!(result.projects.iter().all(|p| p.name != "Svømmehal"));
    assert_eq!(
        refused(hub.engine.cast_ballot(round.id, vec![benches]).unwrap_err()),
        Refused::Ballot(BallotProblem::Counted)
    );
    // Her phone has not heard of the count: it takes a new ballot, which
    // the count already made changes nothing for.
    amina.engine.cast_ballot(round.id, vec![benches])?;
    exchange(&mut amina, &mut hub)?;
    exchange(&mut hub, &mut amina)?;
    let on_hub = hub.engine.round_detail(round.id)?;
    let on_phone = amina.engine.round_detail(round.id)?;
    assert_eq!(on_hub.round.phase, Phase::Result);
    assert_eq!(on_hub.result.as_ref(), Some(&result));
    assert_eq!(on_phone.result.as_ref(), Some(&result));
    // Exported, it reads back as the same outcome.
    let file = amina.engine.export_round(round.id)?;
    let back = nabo_shared::budget::report::report_file(file.as_bytes())
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    assert_eq!(back.projects, result.projects);
    assert!(file.contains("voting_method"));
    // The ballot's rule goes with it, in pabulib's words.
    assert!(
        file.contains("\nmin_length;1\n") && file.contains("\nmax_length;2\n"),
        "{file}"
    );
    assert!(!file.contains("max_sum_cost"), "{file}");
    assert_eq!(file.matches(";paper").count(), 2, "{file}");
    Ok(())
}

#[test]
fn the_small_grants_pool_is_decided_by_a_panel_majority_and_the_account_shows_what_was_paid_to_whom(
) -> Result<()> {
    use nabo_shared::budget::pool::{
        Decision, PaidFor, PoolProblem, RecordPayout, SaveApplication, SavePool,
    };
    use nabo_shared::budget::round::{BallotRule, RoundInput, SaveProposal};

    let dir = tempfile::tempdir()?;
    let (mut hub, mut amina, _) = community_with_resident(&dir)?;
    let mut omar = new_member(&dir, &mut hub, "Omar", Role::Resident)?;
    exchange(&mut amina, &mut hub)?;
    exchange(&mut omar, &mut hub)?;
    exchange(&mut hub, &mut amina)?;
    exchange(&mut hub, &mut omar)?;
    let fingerprint = |d: &Device| d.engine.device_key().key_id().to_string();
    let apply = |title: &str, cost| SaveApplication {
        id: None,
        title: title.into(),
        description: format!("{title}: hvad og hvorfor"),
        cost,
        recipient: "Beboerforeningen Solhøj".into(),
    };

    // No pool yet: nothing to apply to, and only a coordinator sets it up.
    assert!(amina.engine.pool()?.settings.is_none());
    assert_eq!(
        refused(
            amina
                .engine
                .save_application(apply("Fest", 1_000))
                .unwrap_err()
        ),
        Refused::Pool(PoolProblem::NoPool)
    );
    let settings = SavePool {
        amount: 20_000,
        cap: 5_000,
        days: 14,
        panel: vec![fingerprint(&hub), fingerprint(&omar)],
    };
    assert_eq!(
        refused(amina.engine.save_pool(settings.clone()).unwrap_err()),
        Refused::NotCoordinator
    );
    assert_eq!(
        refused(
            hub.engine
                .save_pool(SavePool {
                    panel: vec!["ukendt".into()],
                    ..settings.clone()
                })
                .unwrap_err()
        ),
        Refused::InvalidField {
            field: "panel",
            problem: FieldProblem::Invalid
        }
    );
    hub.engine.save_pool(settings)?;
    exchange(&mut hub, &mut amina)?;
    exchange(&mut hub, &mut omar)?;
    let pool = amina.engine.pool()?;
    let panel: Vec<_> = pool
        .settings
        .as_ref()
        .unwrap()
        .panel
        .iter()
        .map(|m| (m.name.as_str(), m.coordinator))
        .collect();
    assert_eq!(panel, [("Sara", true), ("Omar", false)]);
    assert!(!pool.on_panel && omar.engine.pool()?.on_panel);

    // Amina applies (within the cap), then changes what she asks.
    assert_eq!(
        refused(
            amina
                .engine
                .save_application(apply("Fastelavn", 6_000))
                .unwrap_err()
        ),
        Refused::Pool(PoolProblem::OverCap { cap: 5_000 })
    );
    let fest = amina.engine.save_application(apply("Fastelavn", 4_000))?;
    exchange(&mut amina, &mut hub)?;
    assert_eq!(
        refused(
            amina
                .engine
                .vote_on_application(fest, true, "")
                .unwrap_err()
        ),
        Refused::Pool(PoolProblem::NotOnPanel)
    );
    hub.engine.vote_on_application(fest, true, "God idé")?;
    assert_eq!(
        hub.engine.pool()?.applications[0].decision,
        Decision::Pending
    );
    hub.clock.advance(Duration::minutes(5));
    amina.engine.save_application(SaveApplication {
        id: Some(fest),
        ..apply("Fastelavn", 3_500)
    })?;
    exchange(&mut amina, &mut hub)?;
    // Sara's vote was on the version that asked 4.000 kr.: it no longer
    // counts, and she votes again.
    let seen = hub.engine.pool()?.applications[0].clone();
    assert_eq!((seen.cost, seen.votes.len()), (3_500, 0));
    hub.engine.vote_on_application(fest, true, "")?;
    exchange(&mut hub, &mut omar)?;
    assert_eq!(
        refused(
            omar.engine
                .vote_on_application(fest, false, " ")
                .unwrap_err()
        ),
        Refused::InvalidField {
            field: "note",
            problem: FieldProblem::Required
        }
    );
    omar.engine.vote_on_application(fest, true, "")?;
    exchange(&mut omar, &mut hub)?;
    exchange(&mut hub, &mut amina)?;
    for device in [&hub, &amina, &omar] {
        let seen = device.engine.pool()?.applications[0].clone();
        assert_eq!(seen.decision, Decision::Granted, "two of two said yes");
    }
    assert_eq!(
        refused(
            amina
                .engine
                .save_application(SaveApplication {
                    id: Some(fest),
                    ..apply("Fastelavn", 5_000)
                })
                .unwrap_err()
        ),
        Refused::Pool(PoolProblem::Decided)
    );
    assert_eq!(
        refused(amina.engine.withdraw_application(fest).unwrap_err()),
        Refused::Pool(PoolProblem::Decided)
    );

    // Omar, on the panel, applies himself: he does not vote on his own,
    // so Sara alone decides, and her no (with why) declines it.
    let grill = omar.engine.save_application(apply("Grill", 2_000))?;
    assert_eq!(
        refused(
            omar.engine
                .vote_on_application(grill, true, "")
                .unwrap_err()
        ),
        Refused::Pool(PoolProblem::OwnApplication)
    );
    exchange(&mut omar, &mut hub)?;
    hub.engine
        .vote_on_application(grill, false, "Der er allerede en grill")?;
    exchange(&mut hub, &mut omar)?;
    let his = omar.engine.pool()?;
    let his = his.applications.iter().find(|a| a.id == grill).unwrap();
    assert_eq!(his.decision, Decision::Declined);
    assert_eq!(his.votes[0].note, "Der er allerede en grill");
    assert_eq!(omar.engine.pool()?.left, 16_500);

    // A round, counted: one proposal the equal shares fund.
    let today = hub.clock.now().date_naive();
    let round = hub.engine.save_round(RoundInput {
        amount: 50_000,
        ballot: BallotRule {
            min: 1,
            ..support::round_input(today).ballot
        },
        ..support::round_input(today)
    })?;
    let lights = hub.engine.save_proposal(SaveProposal {
        id: None,
        round: round.id,
        title: "Lys på stien".into(),
        description: "Mørkt om vinteren".into(),
        cost: 20_000,
        category: String::new(),
        recipient: "Boligselskabet".into(),
        base: Vec::new(),
    })?;
    hub.clock.advance(Duration::days(1));
    hub.engine.review_proposal(lights, true, "", None)?;
    hub.clock.advance(Duration::days(1));
    hub.engine.cast_ballot(round.id, vec![lights])?;
    hub.engine.close_voting(round.id)?;

    // Payouts: only coordinators, only for what is granted, at most what
    // is left to pay, never in the future; a mistake is cancelled with why.
    let grant = PaidFor::Grant { application: fest };
    let today = hub.clock.now().date_naive();
    let pay = |paid_for, amount| RecordPayout {
        paid_for,
        amount,
        paid_on: today,
        note: "Faktura 17".into(),
    };
    assert_eq!(
        refused(amina.engine.record_payout(pay(grant, 100)).unwrap_err()),
        Refused::NotCoordinator
    );
    assert_eq!(
        refused(
            hub.engine
                .record_payout(pay(PaidFor::Grant { application: grill }, 100))
                .unwrap_err()
        ),
        Refused::Pool(PoolProblem::NotGranted)
    );
    assert_eq!(
        refused(hub.engine.record_payout(pay(grant, 4_000)).unwrap_err()),
        Refused::Pool(PoolProblem::OverGranted { left: 3_500 })
    );
    assert_eq!(
        refused(
            hub.engine
                .record_payout(RecordPayout {
                    paid_on: today + chrono::Days::new(1),
                    ..pay(grant, 100)
                })
                .unwrap_err()
        ),
        Refused::InvalidField {
            field: "paid_on",
            problem: FieldProblem::OutOfRange
        }
    );
    hub.engine.record_payout(pay(grant, 3_000))?;
    hub.engine.record_payout(pay(grant, 500))?;
    hub.engine.record_payout(pay(
        PaidFor::Project {
            round: round.id,
            proposal: lights,
        },
        20_000,
    ))?;
    let mistake = hub
        .engine
        .account()?
        .payouts
        .iter()
        .find(|p| p.amount == 500)
        .unwrap()
        .id;
    assert_eq!(
        refused(hub.engine.cancel_payout(mistake, "").unwrap_err()),
        Refused::InvalidField {
            field: "note",
            problem: FieldProblem::Required
        }
    );
    hub.engine.cancel_payout(mistake, "Betalt to gange")?;
    assert_eq!(
        refused(hub.engine.cancel_payout(mistake, "Igen").unwrap_err()),
        Refused::Pool(PoolProblem::Cancelled)
    );

    // Every device shows the same account: the round and the pool,
    // granted, paid and left, and what was paid to whom.
    exchange(&mut hub, &mut amina)?;
    let account = amina.engine.account()?;
    assert_eq!(account, hub.engine.account()?);
    let lines: Vec<_> = account
        .lines
        .iter()
        .map(|l| (l.title.as_str(), l.budget, l.granted, l.paid, l.left))
        .collect();
    assert_eq!(
        lines,
        [
            ("Solhøj 2027", 50_000, 20_000, 20_000, 30_000),
            ("", 20_000, 3_500, 3_000, 16_500)
        ]
    );
    let paid: Vec<_> = account
        .payouts
        .iter()
        .map(|p| {
            (
                p.title.as_str(),
                p.recipient.as_str(),
                p.amount,
                p.cancelled,
            )
        })
        .collect();
    assert!(paid.contains(&("Lys på stien", "Boligselskabet", 20_000, false)));
    assert!(paid.contains(&("Fastelavn", "Beboerforeningen Solhøj", 3_000, false)));
    assert!(paid.contains(&("Fastelavn", "Beboerforeningen Solhøj", 500, true)));
    let owed: Vec<_> = account
        .owed
        .iter()
        .map(|o| (o.title.as_str(), o.granted, o.paid))
        .collect();
    assert_eq!(
        owed,
        [
            ("Lys på stien", 20_000, 20_000),
            ("Fastelavn", 3_500, 3_000)
        ]
    );
    Ok(())
}

#[test]
fn paper_ballots_with_one_time_codes_count_once_each_and_a_code_entered_twice_is_flagged(
) -> Result<()> {
    use nabo_shared::budget::round::{
        census_code, BallotProblem, BallotRule, CensusTexts, OutcomeRule, Phases, RoundInput,
        SaveProposal,
    };
    use nabo_shared::review::ReviewReason;

    let dir = tempfile::tempdir()?;
    let (mut hub, mut amina, _) = community_with_resident(&dir)?;
    let mut bo = new_member(&dir, &mut hub, "Bo", Role::Coordinator)?;
    exchange(&mut amina, &mut hub)?;
    exchange(&mut bo, &mut hub)?;
    hub.engine
        .approve_join(&bo.engine.device_key().key_id().to_string())?;
    let today = hub.clock.now().date_naive();
    let round = |title: &str| RoundInput {
        id: None,
        title: title.into(),
        amount: 10_000,
        area: String::new(),
        phases: Phases {
            ideas: today,
            review: today + chrono::Days::new(1),
            voting: today + chrono::Days::new(2),
            result: today + chrono::Days::new(3),
        },
        ballot: BallotRule {
            min: 1,
            max: None,
            cost_limit: None,
        },
        rule: OutcomeRule::EqualShares,
    };
    let solhoj = hub.engine.save_round(round("Solhøj 2027"))?.id;
    let other = hub.engine.save_round(round("Anden runde"))?.id;
    let mut propose = |r, title: &str| {
        hub.engine.save_proposal(SaveProposal {
            id: None,
            round: r,
            title: title.into(),
            description: "Hvorfor".into(),
            cost: 3_000,
            category: String::new(),
            recipient: "Beboerforeningen".into(),
            base: Vec::new(),
        })
    };
    let bench = propose(solhoj, "Bænk")?;
    let paint = propose(other, "Maling")?;
    hub.clock.advance(Duration::days(1));
    hub.engine.review_proposal(bench, true, "", None)?;
    hub.engine.review_proposal(paint, true, "", None)?;
    hub.clock.advance(Duration::days(1));
    let texts = CensusTexts {
        heading: "Stemmeseddel".into(),
        how: "Sæt kryds".into(),
        code: "Engangskode".into(),
        hand_in: "Aflever den i fælleshuset".into(),
    };

    // Only a coordinator prints, and at least one.
    exchange(&mut hub, &mut amina)?;
    assert_eq!(
        refused(
            amina
                .engine
                .print_census_ballots(solhoj, 3, &texts)
                .unwrap_err()
        ),
        Refused::NotCoordinator
    );
    assert_eq!(
        refused(
            hub.engine
                .print_census_ballots(solhoj, 0, &texts)
                .unwrap_err()
        ),
        Refused::InvalidField {
            field: "count",
            problem: FieldProblem::OutOfRange
        }
    );
    let (pdf, codes) = hub.engine.print_census_ballots(solhoj, 3, &texts)?;
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(codes.len(), 3);
    assert!(codes
        .iter()
        .all(|c| census_code(c).as_deref() == Some(c.as_str())));
    let (_, elsewhere) = hub.engine.print_census_ballots(other, 1, &texts)?;

    // A code is entered once; typed in lower case, it is the same code.
    let typed = codes[0].to_lowercase().replace('-', " ");
    assert_eq!(
        hub.engine
            .enter_paper_ballot(solhoj, &typed, vec![bench], false)?,
        codes[0]
    );
    assert_eq!(
        refused(
            hub.engine
                .enter_paper_ballot(solhoj, &codes[0], vec![bench], false)
                .unwrap_err()
        ),
        Refused::Ballot(BallotProblem::CodeUsed)
    );
    // A correction replaces it, on purpose, and is not flagged.
    hub.engine
        .enter_paper_ballot(solhoj, &codes[0], vec![bench], true)?;
    // A code never printed, or printed for another round, is refused.
    for code in ["ABCDE-FGHJK", elsewhere[0].as_str()] {
        assert_eq!(
            refused(
                hub.engine
                    .enter_paper_ballot(solhoj, code, vec![bench], false)
                    .unwrap_err()
            ),
            Refused::Ballot(BallotProblem::UnknownCode)
        );
    }
    // Two coordinators enter the same code on their own devices: it
    // counts once, and the queue says so.
    exchange(&mut hub, &mut bo)?;
    bo.engine
        .enter_paper_ballot(solhoj, &codes[1], vec![bench], false)?;
    hub.engine
        .enter_paper_ballot(solhoj, &codes[1], vec![bench], false)?;
    exchange(&mut bo, &mut hub)?;
    let twice: Vec<_> = hub
        .engine
        .review()?
        .into_iter()
        .filter(|i| matches!(&i.reason, ReviewReason::CodeUsedTwice { round } if round == "Solhøj 2027"))
        .collect();
    assert_eq!(twice.len(), 1, "one code entered on two devices");
    let held = hub.engine.round_detail(solhoj)?;
    assert_eq!((held.ballots, held.paper), (Some(2), Some(2)));

    // Counted: census voters are voters, and their ballots say paper.
    let result = hub.engine.close_voting(solhoj)?;
    assert_eq!(result.voters, 2);
    let file = hub.engine.export_round(solhoj)?;
    assert_eq!(file.matches(";paper").count(), 2, "{file}");
    Ok(())
}

#[test]
fn a_proposal_carries_a_photo_its_proposer_adds_scaled_down_for_every_device() -> Result<()> {
    use base64::Engine as _;
    use nabo_shared::budget::round::{BallotProblem, SaveProposal, MAX_PHOTO_BYTES};

    let dir = tempfile::tempdir()?;
    let (mut hub, mut amina, _) = community_with_resident(&dir)?;
    exchange(&mut amina, &mut hub)?;
    let today = hub.clock.now().date_naive();
    let round = hub.engine.save_round(support::round_input(today))?.id;
    exchange(&mut hub, &mut amina)?;
    let bench = amina.engine.save_proposal(SaveProposal {
        id: None,
        round,
        title: "Bænk".into(),
        description: "Ved legepladsen".into(),
        cost: 3_000,
        category: String::new(),
        recipient: "Beboerforeningen".into(),
        base: Vec::new(),
    })?;
    // A phone's photo: large, and full of detail.
    let picture = image::RgbImage::from_fn(3000, 2000, |x, y| {
        image::Rgb([
            (x * 7 % 251) as u8,
            (y * 13 % 241) as u8,
            ((x ^ y) % 239) as u8,
        ])
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)?;
    assert_eq!(
        refused(
            amina
                .engine
                .set_proposal_photo(bench, Some(b"not a picture"))
                .unwrap_err()
        ),
        Refused::ImageUnreadable
    );
    assert!(!amina.engine.round_detail(round)?.proposals[0].photo);
    amina.engine.set_proposal_photo(bench, Some(&png))?;
    // Only its proposer adds one.
    exchange(&mut amina, &mut hub)?;
    assert_eq!(
        refused(
            hub.engine
                .set_proposal_photo(bench, Some(&png))
                .unwrap_err()
        ),
        Refused::NotFound(nabo_shared::api::Missing::Proposal)
    );
    // Every device shows it, scaled down to a JPEG that travels.
    assert!(hub.engine.round_detail(round)?.proposals[0].photo);
    let url = hub
        .engine
        .proposal_photo(bench)?
        .ok_or_else(|| anyhow::anyhow!("a photo"))?;
    let jpeg = base64::engine::general_purpose::STANDARD
        .decode(url.trim_start_matches("data:image/jpeg;base64,"))?;
    assert!(jpeg.starts_with(&[0xFF, 0xD8, 0xFF]) && jpeg.len() <= MAX_PHOTO_BYTES);
    let shown = image::load_from_memory(&jpeg)?;
    assert!(shown.width() <= 1280 && shown.height() <= 1280);
    let ratio = shown.width() as f32 / shown.height() as f32;
    assert!((ratio - 1.5).abs() < 0.01, "the picture keeps its shape");
    // Taken away, it is gone everywhere; after the ideas phase, no change.
    amina.engine.set_proposal_photo(bench, None)?;
    exchange(&mut amina, &mut hub)?;
    assert!(!hub.engine.round_detail(round)?.proposals[0].photo);
    assert_eq!(hub.engine.proposal_photo(bench)?, None);
    amina.clock.advance(Duration::days(1));
    assert_eq!(
        refused(
            amina
                .engine
                .set_proposal_photo(bench, Some(&png))
                .unwrap_err()
        ),
        Refused::Ballot(BallotProblem::NotIdeas)
    );
    Ok(())
}

#[test]
fn a_description_is_written_together_by_the_proposer_and_the_helpers_they_name() -> Result<()> {
    use nabo_shared::budget::round::{BallotProblem, Phases, RoundInput, SaveProposal};

    let dir = tempfile::tempdir()?;
    let (mut hub, mut amina, _) = community_with_resident(&dir)?;
    let mut omar = new_member(&dir, &mut hub, "Omar", Role::Resident)?;
    exchange(&mut amina, &mut hub)?;
    exchange(&mut omar, &mut hub)?;
    let today = hub.clock.now().date_naive();
    let round = hub
        .engine
        .save_round(RoundInput {
            phases: Phases {
                ideas: today,
                review: today + chrono::Days::new(5),
                voting: today + chrono::Days::new(6),
                result: today + chrono::Days::new(7),
            },
            ..support::round_input(today)
        })?
        .id;
    exchange(&mut hub, &mut amina)?;
    exchange(&mut hub, &mut omar)?;
    let bench = amina.engine.save_proposal(SaveProposal {
        id: None,
        round,
        title: "Bænk".into(),
        description: "Bænke ved legepladsen.".into(),
        cost: 3_000,
        category: String::new(),
        recipient: "Beboerforeningen".into(),
        base: Vec::new(),
    })?;
    let seen = |d: &Device| -> Result<nabo_shared::budget::round::ProposalView> {
        Ok(d.engine.round_detail(round)?.proposals.remove(0))
    };
    let sync_all = |hub: &mut Device, a: &mut Device, o: &mut Device| -> Result<()> {
        exchange(a, hub)?;
        exchange(o, hub)?;
        exchange(hub, a)?;
        exchange(hub, o)?;
        Ok(())
    };
    sync_all(&mut hub, &mut amina, &mut omar)?;
    let mine = seen(&amina)?;
    assert!(mine.writes && mine.helpers.is_empty());
    assert_eq!(seen(&omar)?.description, "Bænke ved legepladsen.");
    assert!(!seen(&omar)?.writes);

    // Only the proposer and the helpers they name edit it.
    assert_eq!(
        refused(
            omar.engine
                .edit_proposal_text(bench, &mine.text_base, "Mit eget forslag")
                .unwrap_err()
        ),
        Refused::Ballot(BallotProblem::NotHelper)
    );
    let fingerprint = |d: &Device| d.engine.device_key().key_id().to_string();
    assert_eq!(
        refused(
            omar.engine
                .set_proposal_helpers(bench, &[fingerprint(&omar)])
                .unwrap_err()
        ),
        Refused::NotFound(nabo_shared::api::Missing::Proposal)
    );
    // She chooses from everyone but herself.
    let choices = amina.engine.helper_choices()?;
    assert!(!choices.iter().any(|c| c.device == fingerprint(&amina)));
    let his_choice = choices
        .iter()
        .find(|c| c.name == "Omar")
        .ok_or_else(|| anyhow::anyhow!("Omar to choose: {choices:?}"))?;
    assert_eq!(his_choice.device, fingerprint(&omar));
    amina
        .engine
        .set_proposal_helpers(bench, std::slice::from_ref(&his_choice.device))?;
    sync_all(&mut hub, &mut amina, &mut omar)?;
    let his = seen(&omar)?;
    assert!(his.writes);
    assert_eq!(seen(&hub)?.helpers[0].name, "Omar");

    // Both edit the same text at the same time, on their own phones: both
    // edits stay, on every device.
    let start = his.text_base.clone();
    assert_eq!(start, seen(&amina)?.text_base);
    amina
        .engine
        .edit_proposal_text(bench, &start, "To bænke ved legepladsen.")?;
    omar.engine
        .edit_proposal_text(bench, &start, "Bænke ved legepladsen, i skyggen.")?;
    sync_all(&mut hub, &mut amina, &mut omar)?;
    let both = "To bænke ved legepladsen, i skyggen.";
    for d in [&hub, &amina, &omar] {
        assert_eq!(seen(d)?.description, both);
    }
    // An edit from a text this device never had, or no text, is refused
    // with nothing stored.
    assert_eq!(
        refused(
            omar.engine
                .edit_proposal_text(bench, &["00".repeat(32)], "x")
                .unwrap_err()
        ),
        Refused::Ballot(BallotProblem::TextChanged)
    );
    assert!(matches!(
        refused(
            omar.engine
                .edit_proposal_text(bench, &seen(&omar)?.text_base, "  ")
                .unwrap_err()
        ),
        Refused::InvalidField {
            field: "description",
            ..
        }
    ));
    assert_eq!(seen(&omar)?.description, both);

    // The review pins the text it saw: an edit after it shows the
    // coordinator that the proposal changed, and the ballot keeps the text
    // reviewed.
    hub.engine.review_proposal(bench, true, "", None)?;
    sync_all(&mut hub, &mut amina, &mut omar)?;
    let later = format!("{both} Og et bord.");
    omar.engine
        .edit_proposal_text(bench, &seen(&omar)?.text_base, &later)?;
    sync_all(&mut hub, &mut amina, &mut omar)?;
    let coordinator = seen(&hub)?;
    assert_eq!(coordinator.description, later);
    assert!(coordinator.review.is_some_and(|r| r.outdated));

    // The proposer builds on the helper's words, then takes the helper off:
    // what she built on stays; he writes no more, and sees the ballot's text.
    let built = format!("{both} Og et stort bord.");
    amina
        .engine
        .edit_proposal_text(bench, &seen(&amina)?.text_base, &built)?;
    amina.engine.set_proposal_helpers(bench, &[])?;
    sync_all(&mut hub, &mut amina, &mut omar)?;
    assert_eq!(seen(&hub)?.description, built);
    assert_eq!(seen(&amina)?.description, built);
    let off = seen(&omar)?;
    assert!(!off.writes);
    assert_eq!(off.description, both);
    assert_eq!(
        refused(
            omar.engine
                .edit_proposal_text(bench, &off.text_base, "Hærværk")
                .unwrap_err()
        ),
        Refused::Ballot(BallotProblem::NotHelper)
    );
    Ok(())
}
