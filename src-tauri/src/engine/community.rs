//! A community: its founding record, join requests, invites, and this
//! device's status in it.

use chrono::{DateTime, Duration};
use nabo_shared::api::{Missing, Table};
use nabo_shared::community::legacy::JoinRequestV1;
use nabo_shared::community::{
    CreateCommunity, Genesis, InviteCode, InviteProblem, InviteTerms, InviteWithdrawal,
    JoinCommunity, JoinRequest, Lang, OpenInvite, Profile, Status, MAX_USES, TEXT_SIZES,
};
use nabo_shared::fields::{FieldProblem, MAX_TITLE};
use nabo_shared::ids::{CommunityId, InviteId};
use nabo_shared::members::{Membership, Role};
use nabo_shared::review::{RecordKind, RecordProblem, Writer};
use nabo_shared::scan::Scanned;
use nabo_shared::signed::Signed;
use nabo_shared::time::DEFAULT_TIME_ZONE;
use rusqlite::{params, Connection, OptionalExtension};

use super::docs::{DocId, DocKind};
use super::error::{Refused, Result};
use super::kinds::{self, Kind, KindDecl, ProjectError, Row, TableDecl};
use super::sql::{in_office, office_json, parse, time_of, ts};
use super::{members, projection, qr, random, required, Ctx, Engine, LOCAL_TABLES};
use nabo_shared::codes::QrView;

/// How long an invite admits new members.
const INVITE_DAYS: i64 = 14;

/// `genesis`: the founding record, one per community document.
pub(crate) const GENESIS: Kind<Genesis> = Kind::new(KindDecl {
    record: RecordKind::Genesis,
    prefix: "genesis",
    singleton: true,
    home: DocKind::Community,
    writer: Writer::Founder,
    superseded_by: "nothing: a community is founded once, and only its founding key can sign \
                    a genesis for its id",
    tables: &[TableDecl {
        table: Table::Communities,
        columns: "id TEXT NOT NULL, name TEXT NOT NULL, founding_key TEXT NOT NULL, \
                  time_zone TEXT NOT NULL, created_at TEXT NOT NULL",
        indexes: &[],
        signed_at: None,
    }],
    project: project_genesis,
});

fn project_genesis(row: &Row<'_>, _: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let g = kinds::open::<Genesis>(bytes)?;
    let community = row.doc.community;
    row.expect(g.value.community == community && g.signer == g.value.founding_key)?;
    if !g.value.is_self_certifying() {
        return Err(RecordProblem::NotSelfCertifying.into());
    }
    row.insert(
        Table::Communities,
        &[
            &community.to_string(),
            &g.value.name,
            &g.value.founding_key.to_hex(),
            &g.value.time_zone,
            &ts(g.value.created_at),
        ],
    )
}

/// `join/<member key>`: a new device's request, signed by that device.
pub(crate) const JOIN_REQUEST: Kind<JoinRequest> = Kind::new(KindDecl {
    record: RecordKind::JoinRequest,
    prefix: "join",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Subject,
    superseded_by: "the membership a coordinator signs for it; a revocation stops it from \
                    being confirmed",
    tables: &[TableDecl {
        table: Table::JoinRequests,
        // `invite_id` is NULL for a request made with a first-format invite
        // (no id, use limit or pass): a coordinator confirms those by hand.
        columns: "community TEXT NOT NULL, member_key TEXT NOT NULL, name TEXT NOT NULL, \
                  role TEXT NOT NULL, invite_issuer TEXT NOT NULL, invite_ok INTEGER NOT NULL, \
                  invite_expires INTEGER NOT NULL, requested_at TEXT NOT NULL, \
                  invite_id TEXT, invite_uses INTEGER NOT NULL",
        indexes: &[],
        signed_at: None,
    }],
    project: project_join,
});

fn project_join(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let member = kinds::member_key_in(id)?;
    let community = row.doc.community;
    // (name, role, issuer, whole, expiry, requested at, invite id, uses)
    let (name, role, issuer, whole, expires, requested_at, invite_id, uses) =
        match kinds::open::<JoinRequest>(bytes) {
            Ok(j) => {
                let v = &j.value;
                row.expect(v.community == community && v.member == member && j.signer == member)?;
                let i = &v.invite;
                let id = Some(i.id.to_string());
                (
                    v.name.clone(),
                    i.role,
                    i.issuer,
                    v.invite_holds(),
                    i.expires_at,
                    v.requested_at,
                    id,
                    i.uses,
                )
            }
            // Stores may hold requests of the first format: kept, never
            // granted anything without a human (no invite id).
            Err(e) => {
                let j = kinds::open::<JoinRequestV1>(bytes).map_err(|_| e)?;
                let v = &j.value;
                row.expect(v.community == community && v.member == member && j.signer == member)?;
                let i = &v.invite;
                let whole = i.community == community
                    && i.signature_ok()
                    && v.requested_at.timestamp() <= i.expires_at;
                (
                    v.name.clone(),
                    i.role,
                    i.issuer,
                    whole,
                    i.expires_at,
                    v.requested_at,
                    None,
                    1,
                )
            }
        };
    row.insert(
        Table::JoinRequests,
        &[
            &community.to_string(),
            &member.to_hex(),
            &name,
            &role.as_str(),
            &issuer.to_hex(),
            &whole,
            &expires,
            &ts(requested_at),
            &invite_id,
            &uses,
        ],
    )
}

/// `withdrawn/<invite id>`: a coordinator's withdrawal of an invite.
pub(crate) const INVITE_WITHDRAWAL: Kind<InviteWithdrawal> = Kind::new(KindDecl {
    record: RecordKind::InviteWithdrawal,
    prefix: "withdrawn",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "nothing: a withdrawn invite stays withdrawn (a coordinator makes a new one)",
    tables: &[TableDecl {
        table: Table::InviteWithdrawals,
        columns: "community TEXT NOT NULL, invite_id TEXT NOT NULL, signer TEXT NOT NULL, \
                  issued_at TEXT NOT NULL",
        indexes: &[],
        signed_at: Some("issued_at"),
    }],
    project: project_withdrawal,
});

fn project_withdrawal(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let invite: InviteId = kinds::id_of(id)?;
    let w = kinds::open::<InviteWithdrawal>(bytes)?;
    row.expect(w.value.community == row.doc.community && w.value.invite == invite)?;
    row.insert(
        Table::InviteWithdrawals,
        &[
            &row.doc.community.to_string(),
            &invite.to_string(),
            &w.signer.to_hex(),
            &ts(w.value.issued_at),
        ],
    )
}

/// The invites this device issued, with their QR text, kept on this device
/// only: the text holds the pass, which is as good as the invite itself.
pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS invites (
    id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    role TEXT NOT NULL,
    uses INTEGER NOT NULL,
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);
";

/// The invites a coordinator in office withdrew.
pub(crate) fn withdrawn_invites(
    conn: &Connection,
    ctx: &Ctx,
    who: &nabo_shared::members::authority::Authority,
) -> Result<std::collections::BTreeSet<InviteId>> {
    let mut stmt = conn.prepare_cached(concat!(
        "SELECT DISTINCT invite_id FROM invite_withdrawals WHERE community = ?1 AND ",
        in_office!("signer", "issued_at", "?2")
    ))?;
    let ids = stmt
        .query_map(params![ctx.community.to_string(), office_json(who)], |r| {
            r.get::<_, String>(0)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    ids.iter().map(|id| parse(id, "invite id")).collect()
}

/// The community's time zone name (its genesis), or the default.
pub(crate) fn time_zone(conn: &Connection, community: &CommunityId) -> Result<String> {
    Ok(conn
        .query_row(
            "SELECT time_zone FROM communities WHERE id = ?1 ORDER BY created_at LIMIT 1",
            [community.to_string()],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| DEFAULT_TIME_ZONE.to_owned()))
}

/// The community's name from its genesis, once this device has it.
pub(crate) fn community_name(conn: &Connection, community: &CommunityId) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT name FROM communities WHERE id = ?1 ORDER BY created_at DESC LIMIT 1",
            [community.to_string()],
            |r| r.get(0),
        )
        .optional()?)
}

impl Engine {
    /// The community this device belongs to.
    pub fn community(&self) -> Result<CommunityId> {
        Ok(self.ctx()?.community)
    }

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
        let demo = self.setting("demo")?.is_some();
        let text_size = self
            .setting("text_size")?
            .and_then(|s| s.parse().ok())
            .filter(|p| TEXT_SIZES.contains(p))
            .unwrap_or(100);
        Ok(Status {
            lang,
            device,
            profile,
            demo,
            text_size,
        })
    }

    fn profile(&self) -> Result<Profile> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        let membership = who.member(&ctx.me);
        let community_name = match community_name(&self.conn, &ctx.community)? {
            Some(name) => name,
            None => self.setting("community_name")?.unwrap_or_default(),
        };
        let requested_role = self
            .setting("role")?
            .and_then(|r| Role::parse(&r))
            .unwrap_or(Role::Resident);
        let is_coordinator = who.is_coordinator(&ctx.me);
        Ok(Profile {
            community: ctx.community,
            community_name,
            // The name the community knows them by, once confirmed (a new
            // phone of a member takes the member's).
            my_name: match membership {
                Some(m) => m.name.clone(),
                None => self.setting("my_name")?.unwrap_or_default(),
            },
            role: membership.map(|m| m.role).unwrap_or(requested_role),
            confirmed: membership.is_some() || is_coordinator,
            is_coordinator,
        })
    }

    /// Leaves the community (or the demo): everything this device holds
    /// of it is deleted in one transaction, and the device gets a new key,
    /// as after a fresh install. Only the language stays. Other devices keep
    /// what they hold; a coordinator may remove this device's old key.
    pub fn leave_community(&mut self) -> Result<Status> {
        let mut tables: Vec<&str> = projection::table_names().collect();
        tables.extend(projection::DERIVED);
        tables.extend(LOCAL_TABLES);
        let key = nabo_shared::crypto::SigningKey::from_bytes(&random()?);
        let now = ts(self.now());
        let tx = self.conn.transaction()?;
        for table in tables {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        tx.execute(
            "DELETE FROM settings WHERE key NOT IN ('lang', 'text_size')",
            [],
        )?;
        // The query planner's statistics say how many rows there were.
        let stats: Vec<String> = tx
            .prepare("SELECT name FROM sqlite_master WHERE name LIKE 'sqlite_stat%'")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for table in stats {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        tx.execute(
            "UPDATE device SET secret = ?1, created_at = ?2 WHERE id = 1",
            params![key.to_bytes().to_vec(), now],
        )?;
        tx.commit()?;
        self.replace_key(key);
        self.changed.extend(Table::ALL);
        self.status()
    }

    /// Changes a coordinator's own name as members see it: a new
    /// membership signed for themselves (coordinators only).
    pub fn set_my_name(&mut self, name: &str) -> Result<Status> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let name = required("my_name", name, MAX_TITLE)?;
        let role = who.member(&ctx.me).map_or(Role::Coordinator, |m| m.role);
        let membership = Membership {
            community: ctx.community,
            member: ctx.me,
            name: name.clone(),
            role,
            issued_at: self.signing_time(&ctx)?,
        };
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(
            members::MEMBERSHIP.key(ctx.me.to_hex()),
            &Signed::seal(&self.key, &membership),
        )?;
        self.commit(vec![doc], &[("my_name", name)])?;
        self.status()
    }

    /// Chooses the text size (percent, one of the sizes offered).
    pub fn set_text_size(&mut self, percent: u16) -> Result<()> {
        if !TEXT_SIZES.contains(&percent) {
            return Err(Refused::InvalidField {
                field: "text_size",
                problem: FieldProblem::OutOfRange,
            }
            .into());
        }
        self.commit(Vec::new(), &[("text_size", percent.to_string())])?;
        Ok(())
    }

    /// Chooses the UI language.
    pub fn set_language(&mut self, lang: Lang) -> Result<()> {
        self.commit(Vec::new(), &[("lang", lang.tag().to_owned())])?;
        Ok(())
    }

    /// Founds a community with this device as its first coordinator.
    pub fn create_community(&mut self, req: CreateCommunity) -> Result<Status> {
        self.found(req, DEFAULT_TIME_ZONE)?;
        self.status()
    }

    pub(crate) fn found(&mut self, req: CreateCommunity, time_zone: &str) -> Result<CommunityId> {
        if self.setting("community")?.is_some() {
            return Err(Refused::AlreadySetUp.into());
        }
        let community_name = required("community_name", &req.community_name, MAX_TITLE)?;
        let my_name = required("my_name", &req.my_name, MAX_TITLE)?;
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
        doc.put(GENESIS.singleton_key(), &Signed::seal(&self.key, &genesis))?;
        doc.put(
            members::MEMBERSHIP.key(me.to_hex()),
            &Signed::seal(&self.key, &membership),
        )?;
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
            return Err(Refused::AlreadySetUp.into());
        }
        let my_name = required("my_name", &req.my_name, MAX_TITLE)?;
        let invite = match Scanned::parse(&req.invite).map_err(Refused::UnreadableCode)? {
            Scanned::Invite(invite) => invite,
            other => return Err(Refused::WrongKindOfCode(other.kind()).into()),
        };
        let me = self.device_key();
        let pass = invite.pass_for(&me);
        let invite = invite.invite;
        if !invite.signature_ok() {
            return Err(Refused::Invite(InviteProblem::Forged).into());
        }
        let now = self.now();
        if !invite.valid_at(now) {
            return Err(Refused::Invite(InviteProblem::Expired).into());
        }
        let request = JoinRequest {
            community: invite.community,
            member: me,
            name: my_name.clone(),
            invite: invite.clone(),
            pass,
            requested_at: now,
        };
        let mut doc = self.stage(DocId::community(invite.community))?;
        doc.put(
            JOIN_REQUEST.key(me.to_hex()),
            &Signed::seal(&self.key, &request),
        )?;
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

    /// What this device shows a hub to be let in before it is confirmed: its
    /// signed join request (empty once it is a member, or if it has none).
    pub fn join_ticket(&mut self) -> Result<Vec<u8>> {
        let ctx = self.ctx()?;
        let who = self.authority(&ctx)?;
        if who.is_coordinator(&ctx.me) || who.member(&ctx.me).is_some() {
            return Ok(Vec::new());
        }
        let id = DocId::community(ctx.community);
        let key = JOIN_REQUEST.key(ctx.me.to_hex());
        let doc = self.doc_mut(id)?;
        let value = automerge::ReadDoc::get(doc, automerge::ROOT, key.as_str())
            .map_err(|e| super::EngineError::doc(id, e))?;
        Ok(value
            .and_then(|(value, _)| value.as_bytes().map(<[u8]>::to_vec))
            .unwrap_or_default())
    }

    /// A fresh invite for `uses` devices (one, or a household's few),
    /// kept on this device so it can be shown again or withdrawn
    /// (coordinators only).
    pub fn create_invite(&mut self, role: Role, uses: u8) -> Result<OpenInvite> {
        let code = self.issue_invite(role, uses)?;
        self.list_invites()?
            .into_iter()
            .find(|open| open.id == code.invite.id)
            .ok_or_else(|| super::EngineError::Invariant {
                what: "a new invite is open".into(),
            })
    }

    /// A fresh invite for one device (coordinators only).
    pub fn invite_code(&mut self, role: Role) -> Result<InviteCode> {
        self.issue_invite(role, 1)
    }

    fn issue_invite(&mut self, role: Role, uses: u8) -> Result<InviteCode> {
        let ctx = self.ctx()?;
        self.require_coordinator(&ctx)?;
        if !(1..=MAX_USES).contains(&uses) {
            return Err(Refused::InvalidField {
                field: "uses",
                problem: FieldProblem::OutOfRange,
            }
            .into());
        }
        let name = community_name(&self.conn, &ctx.community)?.unwrap_or_default();
        let now = self.now();
        let code = InviteCode::issue(
            &self.key,
            InviteTerms {
                id: InviteId::from_bytes(random()?),
                community: ctx.community,
                name,
                founding_key: ctx.anchor,
                role,
                expires_at: now + Duration::days(INVITE_DAYS),
                uses,
            },
            random()?,
        );
        let invite = &code.invite;
        let expires_at = DateTime::from_timestamp(invite.expires_at, 0).ok_or_else(|| {
            super::EngineError::Invariant {
                what: "an invite's expiry is a time".into(),
            }
        })?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO invites(id, text, role, uses, expires_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                invite.id.to_string(),
                code.encode(),
                role.as_str(),
                uses,
                ts(expires_at),
                ts(now)
            ],
        )?;
        tx.commit()?;
        self.changed.insert(Table::Invites);
        Ok(code)
    }

    /// The invites this device issued that still admit someone: not
    /// expired by this device's clock, not withdrawn, not used up; newest
    /// first (coordinators only).
    pub fn list_invites(&self) -> Result<Vec<OpenInvite>> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let withdrawn = withdrawn_invites(&self.conn, &ctx, &who)?;
        let used = members::invite_uses(&self.conn, &ctx, &who)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, text, role, uses, expires_at FROM invites
              WHERE expires_at > ?1 ORDER BY created_at DESC, id",
        )?;
        let rows = stmt
            .query_map([ts(self.now())], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, u8>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let title = community_name(&self.conn, &ctx.community)?.unwrap_or_default();
        let mut open = Vec::new();
        for (id, text, role, uses, expires_at) in rows {
            let id: InviteId = parse(&id, "invite id")?;
            let used = used.get(&id).copied().unwrap_or(0);
            if withdrawn.contains(&id) || used >= u32::from(uses) {
                continue;
            }
            let expires_at = time_of(&expires_at)?;
            open.push(OpenInvite {
                id,
                role: Role::parse(&role)
                    .ok_or_else(|| super::EngineError::corrupt("role", &role))?,
                uses,
                used: used.min(u32::from(uses)) as u8,
                expires_at,
                qr: QrView {
                    svg: qr::svg(&text)?,
                    text,
                    expires_at: Some(expires_at),
                    title: title.clone(),
                },
            });
        }
        Ok(open)
    }

    /// Withdraws an invite: a signed withdrawal in the community document,
    /// so every coordinator's device stops confirming joins made with it
    /// and hubs stop letting its holders in (coordinators only).
    pub fn withdraw_invite(&mut self, id: InviteId) -> Result<()> {
        let ctx = self.ctx()?;
        self.require_coordinator(&ctx)?;
        let known: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM invites WHERE id = ?1)
                 OR EXISTS (SELECT 1 FROM join_requests WHERE community = ?2 AND invite_id = ?1)",
            params![id.to_string(), ctx.community.to_string()],
            |r| r.get(0),
        )?;
        if !known {
            return Err(Refused::NotFound(Missing::Invite).into());
        }
        let withdrawal = InviteWithdrawal {
            community: ctx.community,
            invite: id,
            issued_at: self.signing_time(&ctx)?,
        };
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(
            INVITE_WITHDRAWAL.key(id),
            &Signed::seal(&self.key, &withdrawal),
        )?;
        self.commit(vec![doc], &[])?;
        self.changed.insert(Table::Invites);
        Ok(())
    }
}
