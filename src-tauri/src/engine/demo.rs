//! The demo neighbourhood: a few activities, members, past check-ins and
//! volunteers' hours waiting for approval, so someone trying Nabo sees a
//! living app. Everything is made through the same records and rules as
//! real data; this device is its coordinator.

use chrono::{Datelike, Duration, NaiveTime, Weekday};
use nabo_shared::activities::{Activity, CheckIn, CheckinCode, Repeat, Schedule};
use nabo_shared::community::{CreateCommunity, Status};
use nabo_shared::crypto::{MemberKey, SigningKey};
use nabo_shared::ids::{ActivityId, CheckinId, HourClaimId};
use nabo_shared::members::{Membership, Role};
use nabo_shared::rewards::hours::{HourClaim, Span, Work};
use nabo_shared::signed::Signed;

use super::activities::{ACTIVITY, CHECK_IN};
use super::commit::Staged;
use super::docs::DocId;
use super::error::Result;
use super::hours::HOUR_CLAIM;
use super::members::MEMBERSHIP;
use super::{random, Engine};

struct DemoActivity {
    title: &'static str,
    description: &'static str,
    place: &'static str,
    weekday: Weekday,
    hours: (u32, u32),
    reward: u32,
    daily_cap: Option<u32>,
}

const ACTIVITIES: [DemoActivity; 3] = [
    DemoActivity {
        title: "Lektiecafé",
        description: "Hjælp til lektier for børn og unge. Frivillige fra området hjælper.",
        place: "Beboerhuset, lokale 2",
        weekday: Weekday::Tue,
        hours: (15, 17),
        reward: 10,
        daily_cap: Some(200),
    },
    DemoActivity {
        title: "Havedag",
        description: "Vi luger, planter og høster i fælleshaven. Redskaber og kaffe er der.",
        place: "Fælleshaven bag blok C",
        weekday: Weekday::Sat,
        hours: (10, 13),
        reward: 20,
        daily_cap: Some(300),
    },
    DemoActivity {
        title: "Sprogcafé",
        description: "Øv dansk over en kop te. Alle niveauer er velkomne.",
        place: "Biblioteket i centret",
        weekday: Weekday::Thu,
        hours: (17, 19),
        reward: 10,
        daily_cap: None,
    },
];

const MEMBERS: [(&str, Role); 4] = [
    ("Amina", Role::Resident),
    ("Yusuf", Role::Volunteer),
    ("Mette", Role::Resident),
    ("Hodan", Role::Resident),
];

impl Engine {
    /// Fills a fresh device with a living demo neighbourhood.
    pub fn start_demo(&mut self) -> Result<Status> {
        seed(self)?;
        self.status()
    }
}

/// Seeds the demo on a device that has no community yet.
fn seed(engine: &mut Engine) -> Result<()> {
    let community = engine.found(
        CreateCommunity {
            community_name: "Solhøj (demo)".into(),
            my_name: "Koordinator".into(),
        },
        "Europe/Copenhagen",
    )?;
    let ctx = engine.ctx()?;
    let now = engine.now();
    let today = now.with_timezone(&ctx.tz).date_naive();

    let mut doc = engine.stage(DocId::community(community))?;
    let mut activities = Vec::new();
    for a in &ACTIVITIES {
        // The most recent session day on this weekday: the schedule starts
        // four weeks back so past check-ins fall on real sessions.
        let back =
            (7 + today.weekday().num_days_from_monday() - a.weekday.num_days_from_monday()) % 7;
        let last = today - Duration::days(i64::from(back));
        let activity = Activity {
            id: ActivityId::from_bytes(random()?),
            community,
            title: a.title.into(),
            description: a.description.into(),
            place: a.place.into(),
            schedule: Schedule {
                date: last - Duration::weeks(4),
                start: NaiveTime::from_hms_opt(a.hours.0, 0, 0).unwrap_or_default(),
                end: NaiveTime::from_hms_opt(a.hours.1, 0, 0).unwrap_or_default(),
                repeat: Repeat::Weekly,
                days: nabo_shared::activities::Weekdays::default(),
            },
            reward: a.reward,
            daily_cap: a.daily_cap,
            archived: false,
            updated_at: now,
        };
        doc.put(
            ACTIVITY.key(activity.id),
            &Signed::seal(&engine.key, &activity),
        )?;
        activities.push((activity, last));
    }
    let mut members = Vec::new();
    for (name, role) in MEMBERS {
        let key = SigningKey::from_bytes(&random()?);
        let membership = Membership {
            community,
            member: MemberKey::of(&key),
            name: name.into(),
            role,
            issued_at: now,
        };
        doc.put(
            MEMBERSHIP.key(membership.member.to_hex()),
            &Signed::seal(&engine.key, &membership),
        )?;
        members.push(key);
    }
    // Marked, so every screen says it is a demo and it can be left.
    engine.commit(vec![doc], &[("demo", "1".to_owned())])?;

    // Past check-ins: each member came to some of the last sessions.
    let mut staged: Vec<Staged> = Vec::new();
    for (i, member) in members.iter().enumerate() {
        for (j, (activity, last)) in activities.iter().enumerate() {
            for week in 0..3i64 {
                if (i + j + week as usize).is_multiple_of(3) {
                    continue;
                }
                let day = *last - Duration::weeks(week);
                let local =
                    day.and_time(activity.schedule.start) + Duration::minutes(10 + 7 * i as i64);
                let Some(at) = local.and_local_timezone(ctx.tz).earliest() else {
                    continue;
                };
                let at = at.with_timezone(&chrono::Utc);
                if at > now {
                    continue;
                }
                let checkin = CheckIn {
                    id: CheckinId::from_bytes(random()?),
                    community,
                    activity: activity.id,
                    member: MemberKey::of(member),
                    at,
                    code: CheckinCode::issue(
                        &engine.key,
                        community,
                        activity.id,
                        at - Duration::seconds(5),
                    ),
                };
                let idx = engine.stage_into(
                    &mut staged,
                    DocId::checkins(community, &MemberKey::of(member), at),
                )?;
                staged[idx].put(CHECK_IN.key(checkin.id), &Signed::seal(member, &checkin))?;
            }
        }
    }
    // Volunteers' hours waiting for the coordinator: Yusuf helped at the
    // last homework café and garden day, Mette painted benches.
    let logged: [(usize, Option<usize>, &str, u32, &str); 3] = [
        (1, Some(0), "", 120, "Hjalp med matematik"),
        (1, Some(1), "", 180, "Beskar buskene"),
        (2, None, "Malede bænkene på legepladsen", 90, ""),
    ];
    for (who, activity, other, minutes, note) in logged {
        let member = &members[who];
        let (work, date) = match activity {
            Some(a) => (
                Work::Activity(activities[a].0.id),
                activities[a].1.min(today),
            ),
            None => (Work::Other(other.into()), today - Duration::days(2)),
        };
        let claim = HourClaim {
            id: HourClaimId::from_bytes(random()?),
            community,
            volunteer: MemberKey::of(member),
            version: 1,
            work,
            date,
            span: Span::Minutes(minutes),
            note: note.into(),
            withdrawn: false,
            signed_at: now,
        };
        let idx = engine.stage_into(
            &mut staged,
            DocId::checkins(community, &MemberKey::of(member), now),
        )?;
        staged[idx].put(HOUR_CLAIM.key(claim.id), &Signed::seal(member, &claim))?;
    }
    engine.commit(staged, &[])?;
    engine.reconcile()?;
    Ok(())
}
