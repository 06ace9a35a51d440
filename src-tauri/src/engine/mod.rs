//! The engine: Nabo's store, documents and rules, with no Tauri in sight, so
//! the desktop app, a headless hub and the tests all drive the same code.
//!
//! Every write follows one path ([`Engine::commit`]): change a *copy* of the
//! document, then in one SQLite transaction append the new changes and
//! re-project the keys they touched; only after the commit does the copy
//! replace the in-memory document.

mod bundle;
mod clock;
mod demo;
mod docs;
mod error;
mod migrate;
mod projection;
mod qr;
mod queries;
mod store;
mod sync;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use automerge::{transaction::Transactable, ActorId, AutoCommit, ChangeHash, Prop, ROOT};
use chrono::{DateTime, Duration, Utc};
use nabo_shared::api::{
    ActivityInput, ActivityView, ApiError, CreateCommunity, ImportResult, InviteProblem,
    JoinCommunity, Lang, MemberView, Profile, QrView, ScanOutcome, Status, SyncFileProblem,
    WalletView,
};
use nabo_shared::codes::{CheckinCode, InviteCode, Scanned};
use nabo_shared::crypto::{MemberKey, SigningKey};
use nabo_shared::ids::{ActivityId, CheckinId, CommunityId, EntryId};
use nabo_shared::records::{
    Activity, CheckIn, EntryReason, Genesis, JoinRequest, LedgerEntry, Membership, Record,
    Revocation, Role, Signed,
};
use nabo_shared::rules::{self, CheckinRejection, CodeContext};
use rusqlite::{params, Connection};

pub use bundle::SyncFile;
pub use clock::{Clock, ManualClock, SystemClock};
pub use docs::{DocId, DocKind, RecordKey};
pub use error::{EngineError, Result};
pub use qr::read_image as read_qr_image;
pub use sync::{short_code, PeerSync, RoundReport, MAX_DOCS_PER_ROUND};

/// How long an invite admits new members.
const INVITE_DAYS: i64 = 14;

/// What the engine knows about the community this device belongs to.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub community: CommunityId,
    /// The founding key this device trusts (from its own creation or the invite).
    pub anchor: MemberKey,
    pub me: MemberKey,
    pub tz: nabo_shared::rules::Tz,
}

/// A document copy being changed, with the heads it started from.
struct Staged {
    id: DocId,
    doc: AutoCommit,
    before: Vec<ChangeHash>,
}

impl Staged {
    fn put<T: Record>(&mut self, key: RecordKey, value: &Signed<T>) -> Result<()> {
        self.doc
            .put(ROOT, key.to_string(), value.to_bytes())
            .map_err(|e| EngineError::doc(self.id, e))
    }
}

/// What one commit stored.
#[derive(Debug, Clone, Copy, Default)]
struct Committed {
    /// Documents that changed.
    documents: u32,
    /// Records (document keys) that changed.
    records: u32,
}

/// One device's Nabo: its key, its SQLite store and its documents.
pub struct Engine {
    conn: Connection,
    key: SigningKey,
    actor: ActorId,
    clock: Box<dyn Clock>,
    docs: HashMap<DocId, AutoCommit>,
    changed: BTreeSet<&'static str>,
    /// Check-ins up to this rowid were already looked at by [`Engine::reconcile`];
    /// reset when the community document changes (an activity or a
    /// membership may make an old check-in rewardable).
    reconciled_up_to: i64,
}

impl Engine {
    /// Opens the store at `path` (creating it and this device's key on first use).
    pub fn open(path: &Path, clock: impl Clock + 'static) -> Result<Self> {
        let (mut conn, version) = store::open(path)?;
        let secret: Option<Vec<u8>> = {
            use rusqlite::OptionalExtension;
            conn.query_row("SELECT secret FROM device WHERE id = 1", [], |r| r.get(0))
                .optional()?
        };
        let key = match secret {
            Some(bytes) => {
                let bytes: [u8; 32] = bytes.try_into().map_err(|_| EngineError::Corrupt {
                    what: "device key".into(),
                })?;
                SigningKey::from_bytes(&bytes)
            }
            None => {
                let key = SigningKey::from_bytes(&random()?);
                let tx = conn.transaction()?;
                tx.execute(
                    "INSERT INTO device(id, secret, created_at) VALUES (1, ?1, ?2)",
                    params![key.to_bytes().to_vec(), projection::ts(clock.now())],
                )?;
                tx.commit()?;
                key
            }
        };
        // Automerge needs one actor per writer: this device's key names it.
        let actor = ActorId::from(&MemberKey::of(&key).0[..16]);
        let mut engine = Self {
            conn,
            key,
            actor,
            clock: Box::new(clock),
            docs: HashMap::new(),
            changed: BTreeSet::new(),
            reconciled_up_to: 0,
        };
        if version < store::SCHEMA_VERSION {
            engine.migrate_from_v1()?;
        }
        Ok(engine)
    }

    /// This device's public key.
    pub fn device_key(&self) -> MemberKey {
        MemberKey::of(&self.key)
    }

    /// The projection tables changed since the last call (for `store-changed`).
    pub fn take_changed(&mut self) -> Vec<String> {
        std::mem::take(&mut self.changed)
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        store::setting(&self.conn, key)
    }

    pub(crate) fn ctx(&self) -> Result<Ctx> {
        let community = self.setting("community")?.ok_or(ApiError::NotSetUp)?;
        let corrupt = |what: &str| EngineError::Corrupt { what: what.into() };
        let community: CommunityId = community
            .parse()
            .map_err(|_| corrupt("community setting"))?;
        let anchor = self
            .setting("founding_key")?
            .and_then(|h| MemberKey::from_hex(&h))
            .ok_or_else(|| corrupt("founding key setting"))?;
        let tz = queries::time_zone(&self.conn, &community)?;
        Ok(Ctx {
            community,
            anchor,
            me: self.device_key(),
            tz: rules::time_zone(&tz),
        })
    }

    fn require_coordinator(&self, ctx: &Ctx) -> Result<()> {
        if queries::coordinators(&self.conn, ctx)?.contains(&ctx.me) {
            Ok(())
        } else {
            Err(ApiError::NotCoordinator.into())
        }
    }

    // ----- documents -------------------------------------------------------

    fn stage(&mut self, id: DocId) -> Result<Staged> {
        let doc = match self.docs.get(&id) {
            Some(doc) => doc.clone(),
            None => store::load_doc(&self.conn, &id)?.unwrap_or_default(),
        };
        let mut doc = doc.with_actor(self.actor.clone());
        let before = doc.get_heads();
        Ok(Staged { id, doc, before })
    }

    /// The index of `id` among `staged`, staging it first if needed: one
    /// batch touches each document once.
    fn stage_into(&mut self, staged: &mut Vec<Staged>, id: DocId) -> Result<usize> {
        if let Some(i) = staged.iter().position(|s| s.id == id) {
            return Ok(i);
        }
        staged.push(self.stage(id)?);
        Ok(staged.len() - 1)
    }

    /// Persists staged documents and device settings in one transaction,
    /// re-projecting exactly the keys that changed. Memory changes after
    /// the commit only.
    fn commit(&mut self, staged: Vec<Staged>, settings: &[(&str, String)]) -> Result<Committed> {
        let tx = self.conn.transaction()?;
        let mut done = Vec::new();
        let mut tables = BTreeSet::new();
        let mut records = 0;
        for mut s in staged {
            let after = s.doc.get_heads();
            if after == s.before {
                continue;
            }
            let chunk = s.doc.save_after(&s.before);
            store::append_chunk(&tx, &s.id, &chunk, &mut s.doc)?;
            for key in changed_keys(&mut s.doc, &s.before, &after) {
                projection::project_key(&tx, &s.id, &s.doc, &key)?;
                records += 1;
                if s.id.kind == DocKind::Community {
                    self.reconciled_up_to = 0;
                }
            }
            tables.extend(tables_of(s.id.kind));
            done.push(s);
        }
        for (key, value) in settings {
            store::put_setting(&tx, key, value)?;
        }
        if !settings.is_empty() {
            tables.insert(nabo_shared::api::SETTINGS_TABLE);
        }
        tx.commit()?;
        let documents = done.len() as u32;
        for s in done {
            self.docs.insert(s.id, s.doc);
        }
        self.changed.extend(tables);
        Ok(Committed { documents, records })
    }

    /// Heads of every stored document (tests compare devices with this).
    pub fn doc_heads(&mut self) -> Result<BTreeMap<String, Vec<ChangeHash>>> {
        let mut out = BTreeMap::new();
        for id in store::all_doc_ids(&self.conn)? {
            let mut s = self.stage(id)?;
            out.insert(id.to_string(), s.doc.get_heads());
        }
        Ok(out)
    }

    /// Clears the projection and rebuilds it from the documents alone.
    pub fn rebuild_projection(&mut self) -> Result<()> {
        let ids = store::all_doc_ids(&self.conn)?;
        let mut loaded = Vec::new();
        for id in ids {
            let doc = store::load_doc(&self.conn, &id)?.unwrap_or_default();
            loaded.push((id, doc));
        }
        let tx = self.conn.transaction()?;
        for table in store::PROJECTION_TABLES {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        for (id, doc) in &loaded {
            for key in automerge::ReadDoc::keys(doc, ROOT) {
                projection::project_key(&tx, id, doc, &key)?;
            }
        }
        tx.commit()?;
        self.docs = loaded.into_iter().collect();
        self.changed.extend(store::PROJECTION_TABLES);
        Ok(())
    }

    /// The heads and projection rows of the documents `device` may hold (a
    /// coordinator: all). Two devices agree on everything they share when
    /// these are equal.
    #[allow(clippy::type_complexity)]
    pub fn shared_state(
        &mut self,
        device: &MemberKey,
        coordinator: bool,
    ) -> Result<(BTreeMap<String, Vec<ChangeHash>>, Vec<String>)> {
        let visible =
            |doc: &str| DocId::parse(doc).is_some_and(|id| id.visible_to(device, coordinator));
        let mut heads = self.doc_heads()?;
        heads.retain(|doc, _| visible(doc));
        Ok((heads, queries::dump_where(&self.conn, visible)?))
    }

    /// Every projection row, sorted, as text: equal dumps mean equal projections.
    pub fn projection_dump(&self) -> Result<Vec<String>> {
        queries::dump(&self.conn)
    }

    // ----- status and setup ---------------------------------------------------

    /// What the UI needs to pick a screen.
    pub fn status(&self) -> Result<Status> {
        let lang = self
            .setting("lang")?
            .and_then(|l| Lang::parse(&l))
            .unwrap_or_default();
        let device = self.device_key().key_id().to_string();
        let profile = match self.setting("community")? {
            None => None,
            Some(_) => Some(self.profile()?),
        };
        Ok(Status {
            lang,
            device,
            profile,
        })
    }

    fn profile(&self) -> Result<Profile> {
        let ctx = self.ctx()?;
        let coordinators = queries::coordinators(&self.conn, &ctx)?;
        let membership = queries::membership(&self.conn, &ctx, &ctx.me)?;
        let community_name = match queries::community_name(&self.conn, &ctx.community)? {
            Some(name) => name,
            None => self.setting("community_name")?.unwrap_or_default(),
        };
        let requested_role = self
            .setting("role")?
            .and_then(|r| Role::parse(&r))
            .unwrap_or(Role::Resident);
        let is_coordinator = coordinators.contains(&ctx.me);
        Ok(Profile {
            community: ctx.community,
            community_name,
            my_name: self.setting("my_name")?.unwrap_or_default(),
            role: membership
                .as_ref()
                .map(|m| m.role)
                .unwrap_or(requested_role),
            confirmed: membership.is_some() || is_coordinator,
            is_coordinator,
        })
    }

    /// Chooses the UI language.
    pub fn set_language(&mut self, lang: Lang) -> Result<()> {
        self.commit(Vec::new(), &[("lang", lang.tag().to_owned())])?;
        Ok(())
    }

    /// Founds a community with this device as its first coordinator.
    pub fn create_community(&mut self, req: CreateCommunity) -> Result<Status> {
        self.found(req, "Europe/Copenhagen")?;
        self.status()
    }

    fn found(&mut self, req: CreateCommunity, time_zone: &str) -> Result<CommunityId> {
        if self.setting("community")?.is_some() {
            return Err(ApiError::AlreadySetUp.into());
        }
        let community_name = required("community_name", &req.community_name, rules::MAX_TITLE)?;
        let my_name = required("my_name", &req.my_name, rules::MAX_TITLE)?;
        let me = self.device_key();
        let salt: [u8; 16] = random()?;
        let community = CommunityId::derive(&me, &salt);
        let now = self.now();
        let genesis = Genesis {
            community,
            name: community_name.clone(),
            founding_key: me,
            time_zone: time_zone.to_owned(),
            created_at: now,
            salt,
        };
        let membership = Membership {
            community,
            member: me,
            name: my_name.clone(),
            role: Role::Coordinator,
            issued_at: now,
        };
        let mut doc = self.stage(DocId::community(community))?;
        doc.put(RecordKey::Genesis, &Signed::seal(&self.key, &genesis))?;
        doc.put(RecordKey::Member(me), &Signed::seal(&self.key, &membership))?;
        self.commit(
            vec![doc],
            &[
                ("community", community.to_string()),
                ("founding_key", me.to_hex()),
                ("community_name", community_name),
                ("my_name", my_name),
                ("role", Role::Coordinator.as_str().to_owned()),
            ],
        )?;
        Ok(community)
    }

    /// Joins with an invite: records a signed join request that a
    /// coordinator's device confirms when it receives it.
    pub fn join_community(&mut self, req: JoinCommunity) -> Result<Status> {
        if self.setting("community")?.is_some() {
            return Err(ApiError::AlreadySetUp.into());
        }
        let my_name = required("my_name", &req.my_name, rules::MAX_TITLE)?;
        let invite = match Scanned::parse(&req.invite)
            .map_err(|problem| ApiError::UnreadableCode { problem })?
        {
            Scanned::Invite(invite) => invite,
            Scanned::Checkin(_) | Scanned::Pairing(_) => {
                return Err(ApiError::WrongKindOfCode.into())
            }
        };
        if !invite.signature_ok() {
            return Err(ApiError::InviteRefused {
                reason: InviteProblem::Forged,
            }
            .into());
        }
        let now = self.now();
        if !invite.valid_at(now) {
            return Err(ApiError::InviteRefused {
                reason: InviteProblem::Expired,
            }
            .into());
        }
        let me = self.device_key();
        let request = JoinRequest {
            community: invite.community,
            member: me,
            name: my_name.clone(),
            invite: invite.clone(),
            requested_at: now,
        };
        let mut doc = self.stage(DocId::community(invite.community))?;
        doc.put(RecordKey::Join(me), &Signed::seal(&self.key, &request))?;
        self.commit(
            vec![doc],
            &[
                ("community", invite.community.to_string()),
                ("founding_key", invite.founding_key.to_hex()),
                ("community_name", invite.name.clone()),
                ("my_name", my_name),
                ("role", invite.role.as_str().to_owned()),
            ],
        )?;
        self.status()
    }

    /// Fills a fresh device with a living demo neighbourhood.
    pub fn start_demo(&mut self) -> Result<Status> {
        demo::seed(self)?;
        self.status()
    }

    // ----- activities -------------------------------------------------------

    /// The community's activities, by title.
    pub fn list_activities(&self) -> Result<Vec<ActivityView>> {
        let ctx = self.ctx()?;
        queries::activities(&self.conn, &ctx, self.now())
    }

    /// Creates or edits an activity (coordinators only).
    pub fn save_activity(&mut self, input: ActivityInput) -> Result<ActivityView> {
        let ctx = self.ctx()?;
        self.require_coordinator(&ctx)?;
        let id = match input.id {
            Some(id) => {
                if queries::activity(&self.conn, &ctx, id)?.is_none() {
                    return Err(ApiError::NotFound {
                        what: "activity".into(),
                    }
                    .into());
                }
                id
            }
            None => ActivityId::from_bytes(random()?),
        };
        let activity = Activity {
            id,
            community: ctx.community,
            title: input.title.trim().to_owned(),
            description: input.description.trim().to_owned(),
            place: input.place.trim().to_owned(),
            schedule: input.schedule,
            reward: input.reward,
            daily_cap: input.daily_cap,
            updated_at: self.now(),
        };
        rules::validate_activity(&activity).map_err(|(field, problem)| ApiError::InvalidField {
            field: field.into(),
            problem,
        })?;
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(RecordKey::Activity(id), &Signed::seal(&self.key, &activity))?;
        self.commit(vec![doc], &[])?;
        self.list_activities()?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| EngineError::Corrupt {
                what: "the saved activity did not project".into(),
            })
    }

    /// The check-in code for an activity, for the current 30-second window.
    pub fn checkin_code(&self, activity: ActivityId) -> Result<CheckinCode> {
        let ctx = self.ctx()?;
        self.require_coordinator(&ctx)?;
        if queries::activity(&self.conn, &ctx, activity)?.is_none() {
            return Err(ApiError::NotFound {
                what: "activity".into(),
            }
            .into());
        }
        Ok(CheckinCode::issue(
            &self.key,
            ctx.community,
            activity,
            self.now(),
        ))
    }

    /// The check-in QR code to show on the coordinator's screen.
    pub fn checkin_qr(&self, activity: ActivityId) -> Result<QrView> {
        let code = self.checkin_code(activity)?;
        let ctx = self.ctx()?;
        let title = queries::activity(&self.conn, &ctx, activity)?
            .map(|a| a.title)
            .unwrap_or_default();
        let text = code.encode();
        Ok(QrView {
            svg: qr::svg(&text)?,
            text,
            expires_at: code.expires_at(),
            title,
        })
    }

    // ----- scanning ---------------------------------------------------------

    /// Handles scanned or pasted text on the check-in screen.
    pub fn scan_text(&mut self, text: &str) -> Result<ScanOutcome> {
        let ctx = self.ctx()?;
        let code =
            match Scanned::parse(text).map_err(|problem| ApiError::UnreadableCode { problem })? {
                Scanned::Checkin(code) => code,
                Scanned::Pairing(code) => {
                    let hub = self.remember_hub(&ctx.community, code)?;
                    return Ok(ScanOutcome::HubPaired { hub });
                }
                Scanned::Invite(_) => return Err(ApiError::WrongKindOfCode.into()),
            };
        let now = self.now();
        let coordinators = queries::coordinators(&self.conn, &ctx)?;
        let refused = |reason| EngineError::from(ApiError::CheckinRefused { reason });
        rules::verify_checkin_code(
            &code,
            &CodeContext {
                community: ctx.community,
                coordinators: &coordinators,
                now,
            },
        )
        .map_err(refused)?;
        let day = rules::local_day(now, ctx.tz);
        if queries::checked_in_on(&self.conn, &ctx, &ctx.me, code.activity, day)? {
            return Err(refused(CheckinRejection::AlreadyCheckedIn));
        }
        let checkin = CheckIn {
            id: CheckinId::from_bytes(random()?),
            community: ctx.community,
            activity: code.activity,
            member: ctx.me,
            at: now,
            code: code.clone(),
        };
        let mut doc = self.stage(DocId::checkins(ctx.community, &ctx.me, now))?;
        doc.put(
            RecordKey::Checkin(checkin.id),
            &Signed::seal(&self.key, &checkin),
        )?;
        self.commit(vec![doc], &[])?;
        // A coordinator checking in on their own device rewards at once.
        if coordinators.contains(&ctx.me) {
            self.reconcile()?;
        }
        let activity = queries::activity(&self.conn, &ctx, code.activity)?;
        Ok(ScanOutcome::CheckedIn {
            checkin: checkin.id,
            activity: activity
                .as_ref()
                .map(|a| a.title.clone())
                .unwrap_or_default(),
            reward: activity.map(|a| a.reward).unwrap_or(0),
        })
    }

    /// Handles a picture of a QR code on the check-in screen.
    pub fn scan_image(&mut self, image: &[u8]) -> Result<ScanOutcome> {
        let text = qr::read_image(image)?;
        self.scan_text(&text)
    }

    // ----- wallet and members -------------------------------------------------

    /// This device's member's wallet.
    pub fn wallet(&self) -> Result<WalletView> {
        let ctx = self.ctx()?;
        queries::wallet(&self.conn, &ctx, &ctx.me)
    }

    /// The gate for network peers: `Ok` when `device` is a coordinator or a
    /// confirmed member of this device's community, or shows a `ticket` (its
    /// signed join request) made from an invite a coordinator issued, so a
    /// new resident's first sync can carry the request to the hub.
    pub fn admit(
        &self,
        community: &CommunityId,
        device: &MemberKey,
        ticket: &[u8],
    ) -> Result<(), crate::net::channel::Refusal> {
        use crate::net::channel::Refusal;
        let ctx = self.ctx().map_err(|_| Refusal::OtherCommunity)?;
        if *community != ctx.community {
            return Err(Refusal::OtherCommunity);
        }
        let coordinators = queries::coordinators(&self.conn, &ctx).unwrap_or_default();
        if !coordinators.contains(device)
            && queries::revoked(&self.conn, &ctx, device).unwrap_or(true)
        {
            return Err(Refusal::Revoked);
        }
        let member = queries::membership(&self.conn, &ctx, device)
            .map(|m| m.is_some())
            .unwrap_or(false);
        if coordinators.contains(device) || member {
            return Ok(());
        }
        if ticket.is_empty() {
            return Err(Refusal::NotMember);
        }
        let Ok(request) = Signed::<JoinRequest>::open_bytes(ticket) else {
            return Err(Refusal::BadIdentity);
        };
        let invite = &request.value.invite;
        let valid = request.signer == *device
            && request.value.member == *device
            && request.value.community == ctx.community
            && invite.community == ctx.community
            && invite.signature_ok()
            && coordinators.contains(&invite.issuer)
            && request.value.requested_at.timestamp() <= invite.expires_at
            && request.value.requested_at <= self.now() + Duration::days(1);
        if valid {
            Ok(())
        } else {
            Err(Refusal::NotMember)
        }
    }

    /// What this device shows a hub to be let in before it is confirmed: its
    /// signed join request (empty once it is a member, or if it has none).
    pub fn join_ticket(&mut self) -> Result<Vec<u8>> {
        let ctx = self.ctx()?;
        if queries::coordinators(&self.conn, &ctx)?.contains(&ctx.me)
            || queries::membership(&self.conn, &ctx, &ctx.me)?.is_some()
        {
            return Ok(Vec::new());
        }
        let doc = self.stage(DocId::community(ctx.community))?;
        let value = automerge::ReadDoc::get(&doc.doc, ROOT, RecordKey::Join(ctx.me).to_string())
            .map_err(|e| EngineError::doc(doc.id, e))?;
        Ok(match value {
            Some((automerge::Value::Scalar(s), _)) => match s.as_ref() {
                automerge::ScalarValue::Bytes(bytes) => bytes.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        })
    }

    /// Withdraws the membership of the member whose device has key id
    /// `device` (coordinators only; a coordinator's own cannot be withdrawn
    /// here). Their device is refused from then on, by every device that has
    /// the revocation.
    pub fn revoke_member(&mut self, device: &str) -> Result<()> {
        let ctx = self.ctx()?;
        self.require_coordinator(&ctx)?;
        let coordinators = queries::coordinators(&self.conn, &ctx)?;
        let member = queries::confirmed_members(&self.conn, &ctx)?
            .into_iter()
            .map(|(key, _)| key)
            .find(|key| key.key_id().to_string() == device.trim() && !coordinators.contains(key))
            .ok_or_else(|| ApiError::NotFound {
                what: "member".into(),
            })?;
        let revocation = Revocation {
            community: ctx.community,
            member,
            issued_at: self.now(),
        };
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(
            RecordKey::Revoked(member),
            &Signed::seal(&self.key, &revocation),
        )?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }

    /// Gives the member whose access was removed (device key id `device`)
    /// access again: the revocation record is deleted (coordinators only).
    pub fn reinstate_member(&mut self, device: &str) -> Result<()> {
        let ctx = self.ctx()?;
        self.require_coordinator(&ctx)?;
        let member = queries::revoked_members(&self.conn, &ctx)?
            .into_iter()
            .find(|key| key.key_id().to_string() == device.trim())
            .ok_or_else(|| ApiError::NotFound {
                what: "member".into(),
            })?;
        let mut doc = self.stage(DocId::community(ctx.community))?;
        let id = doc.id;
        doc.doc
            .delete(ROOT, RecordKey::Revoked(member).to_string())
            .map_err(|e| EngineError::doc(id, e))?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }

    /// Members and pending join requests (coordinators only).
    pub fn members(&self) -> Result<Vec<MemberView>> {
        let ctx = self.ctx()?;
        self.require_coordinator(&ctx)?;
        queries::members(&self.conn, &ctx)
    }

    /// A fresh invite (coordinators only).
    pub fn invite_code(&self, role: Role) -> Result<InviteCode> {
        let ctx = self.ctx()?;
        self.require_coordinator(&ctx)?;
        let name = queries::community_name(&self.conn, &ctx.community)?.unwrap_or_default();
        Ok(InviteCode::issue(
            &self.key,
            ctx.community,
            &name,
            ctx.anchor,
            role,
            self.now() + Duration::days(INVITE_DAYS),
        ))
    }

    /// The invite as a QR code to show.
    pub fn invite_qr(&self, role: Role) -> Result<QrView> {
        let code = self.invite_code(role)?;
        let text = code.encode();
        Ok(QrView {
            svg: qr::svg(&text)?,
            text,
            expires_at: DateTime::from_timestamp(code.expires_at, 0).unwrap_or_default(),
            title: code.name,
        })
    }

    // ----- exchange -----------------------------------------------------------

    /// Every document of this device's community, as a sync file.
    pub fn export_sync(&mut self) -> Result<SyncFile> {
        let ctx = self.ctx()?;
        let mut docs = Vec::new();
        for id in store::doc_ids(&self.conn, &ctx.community.to_string())? {
            let mut s = self.stage(id)?;
            docs.push((id.to_string(), s.doc.save()));
        }
        Ok(SyncFile {
            community: ctx.community,
            docs,
        })
    }

    /// Merges a sync file. The whole file is checked before anything is
    /// stored; then a coordinator's device confirms join requests and issues
    /// rewards for what arrived.
    pub fn import_sync(&mut self, bytes: &[u8]) -> Result<ImportResult> {
        let ctx = self.ctx()?;
        let file = SyncFile::decode(bytes)?;
        let bad = |problem| EngineError::from(ApiError::BadSyncFile { problem });
        if file.community != ctx.community {
            return Err(bad(SyncFileProblem::OtherCommunity));
        }
        let coordinator = queries::coordinators(&self.conn, &ctx)?.contains(&ctx.me);
        let mut staged = Vec::new();
        for (id, saved) in &file.docs {
            let id = DocId::parse(id)
                .filter(|id| id.community == ctx.community)
                .ok_or_else(|| bad(SyncFileProblem::Damaged))?;
            if !id.visible_to(&ctx.me, coordinator) {
                // Another member's records: a coordinator's file holds them,
                // this device keeps only its own.
                continue;
            }
            let mut incoming =
                AutoCommit::load(saved).map_err(|_| bad(SyncFileProblem::Damaged))?;
            let i = self.stage_into(&mut staged, id)?;
            staged[i]
                .doc
                .merge(&mut incoming)
                .map_err(|_| bad(SyncFileProblem::Damaged))?;
        }
        let documents_changed = self.commit(staged, &[])?.documents;
        let (members_confirmed, rewards_issued, capped) = self.reconcile()?;
        Ok(ImportResult {
            documents_changed,
            members_confirmed,
            rewards_issued,
            capped,
        })
    }

    /// What a coordinator's device does with what it received: confirm join
    /// requests made from valid invites, then reward valid check-ins under
    /// the daily caps. Returns `(confirmed, rewarded, capped)`. Does nothing
    /// on other devices.
    pub fn reconcile(&mut self) -> Result<(u32, u32, u32)> {
        let ctx = self.ctx()?;
        let coordinators = queries::coordinators(&self.conn, &ctx)?;
        if !coordinators.contains(&ctx.me) {
            return Ok((0, 0, 0));
        }
        let now = self.now();
        let confirmed = {
            let pending = queries::confirmable_joins(&self.conn, &ctx)?;
            let mut doc = self.stage(DocId::community(ctx.community))?;
            for (member, name, role) in &pending {
                let membership = Membership {
                    community: ctx.community,
                    member: *member,
                    name: name.clone(),
                    role: *role,
                    issued_at: now,
                };
                doc.put(
                    RecordKey::Member(*member),
                    &Signed::seal(&self.key, &membership),
                )?;
            }
            self.commit(vec![doc], &[])?;
            pending.len() as u32
        };

        let last = queries::last_checkin_row(&self.conn)?;
        let pending = queries::unrewarded_checkins(&self.conn, &ctx, self.reconciled_up_to)?;
        // What was already issued on the days these check-ins fall on, read
        // once: per activity and local day the total (for the cap), and who
        // already got an entry (a repeat gets 0).
        let mut issued_today: HashMap<(ActivityId, chrono::NaiveDate), u32> = HashMap::new();
        let mut rewarded: BTreeSet<(MemberKey, ActivityId, chrono::NaiveDate)> = BTreeSet::new();
        if let (Some(first), Some(last)) = (pending.first(), pending.last()) {
            // Local days can start up to a day before or after UTC ones.
            let (from, to) = (first.at - Duration::days(2), last.at + Duration::days(2));
            for (activity, member, at, amount) in
                queries::entries_for_checkins_between(&self.conn, &ctx, from, to)?
            {
                let day = rules::local_day(at, ctx.tz);
                *issued_today.entry((activity, day)).or_default() += amount;
                rewarded.insert((member, activity, day));
            }
        }
        let mut activities = HashMap::new();
        let mut staged: Vec<Staged> = Vec::new();
        let (mut rewards, mut capped) = (0, 0);
        for c in pending {
            let valid_code = rules::verify_checkin_code(
                &c.code,
                &CodeContext {
                    community: ctx.community,
                    coordinators: &coordinators,
                    now: c.at,
                },
            );
            if let Err(reason) = valid_code {
                log::warn!("check-in {} not rewarded: {reason}", c.id);
                continue;
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = activities.entry(c.activity) {
                slot.insert(queries::activity(&self.conn, &ctx, c.activity)?);
            }
            let Some(activity) = activities[&c.activity].as_ref() else {
                // The activity has not reached this device yet; try again later.
                continue;
            };
            let day = rules::local_day(c.at, ctx.tz);
            let so_far = issued_today.get(&(c.activity, day)).copied().unwrap_or(0);
            let repeat = !rewarded.insert((c.member, c.activity, day));
            let amount = if repeat {
                0
            } else {
                rules::reward_amount(activity.reward, activity.daily_cap, so_far)
            };
            issued_today.insert((c.activity, day), so_far + amount);
            if amount == 0 {
                capped += 1;
            } else {
                rewards += 1;
            }
            let entry = LedgerEntry {
                id: EntryId::reward_for(c.id),
                community: ctx.community,
                to: c.member,
                amount,
                reason: EntryReason::CheckIn {
                    checkin: c.id,
                    activity: c.activity,
                },
                issued_at: now,
            };
            let i = self.stage_into(&mut staged, DocId::ledger(ctx.community, &c.member, c.at))?;
            staged[i].put(
                RecordKey::Reward(entry.id),
                &Signed::seal(&self.key, &entry),
            )?;
        }
        self.commit(staged, &[])?;
        self.reconciled_up_to = self.reconciled_up_to.max(last);
        Ok((confirmed, rewards, capped))
    }
}

/// The keys at the document's root that changed between two sets of heads.
fn changed_keys(
    doc: &mut AutoCommit,
    before: &[ChangeHash],
    after: &[ChangeHash],
) -> BTreeSet<String> {
    use automerge::PatchAction as A;
    let mut keys = BTreeSet::new();
    for patch in doc.diff(before, after) {
        if patch.obj != ROOT {
            // Nabo never nests objects; a nested write still shows up as a
            // change of the root key that holds it.
            if let Some((_, Prop::Map(key))) = patch.path.first() {
                keys.insert(key.clone());
            }
            continue;
        }
        match patch.action {
            A::PutMap { key, .. } | A::DeleteMap { key } => {
                keys.insert(key);
            }
            A::Conflict {
                prop: Prop::Map(key),
            }
            | A::Increment {
                prop: Prop::Map(key),
                ..
            } => {
                keys.insert(key);
            }
            _ => {}
        }
    }
    keys
}

fn tables_of(kind: DocKind) -> &'static [&'static str] {
    match kind {
        DocKind::Community => &[
            "communities",
            "members",
            "revocations",
            "join_requests",
            "activities",
            "rejected",
        ],
        DocKind::Checkins => &["checkins", "rejected"],
        DocKind::Ledger => &["ledger", "rejected"],
    }
}

fn required(field: &str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    let problem = if value.is_empty() {
        rules::FieldProblem::Required
    } else if value.chars().count() > max {
        rules::FieldProblem::TooLong
    } else {
        return Ok(value.to_owned());
    };
    Err(ApiError::InvalidField {
        field: field.into(),
        problem,
    }
    .into())
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0; N];
    getrandom::fill(&mut bytes).map_err(EngineError::Random)?;
    Ok(bytes)
}
