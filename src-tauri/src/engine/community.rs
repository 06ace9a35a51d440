//! A community: its founding record, join requests, invites, and this
//! device's status in it.

use chrono::{DateTime, Duration};
use nabo_shared::api::Table;
use nabo_shared::codes::QrView;
use nabo_shared::community::{
    CreateCommunity, Genesis, InviteCode, InviteProblem, JoinCommunity, JoinRequest, Lang, Profile,
    Status,
};
use nabo_shared::fields::MAX_TITLE;
use nabo_shared::ids::CommunityId;
use nabo_shared::members::{Membership, Role};
use nabo_shared::review::{RecordKind, RecordProblem, Writer};
use nabo_shared::scan::Scanned;
use nabo_shared::signed::Signed;
use nabo_shared::time::DEFAULT_TIME_ZONE;
use rusqlite::{Connection, OptionalExtension};

use super::docs::{DocId, DocKind};
use super::error::{Refused, Result};
use super::kinds::{self, Kind, KindDecl, ProjectError, Row, TableDecl};
use super::sql::ts;
use super::{members, qr, random, required, Engine};

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
        signed_column: false,
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
        columns: "community TEXT NOT NULL, member_key TEXT NOT NULL, name TEXT NOT NULL, \
                  role TEXT NOT NULL, invite_issuer TEXT NOT NULL, invite_ok INTEGER NOT NULL, \
                  invite_expires INTEGER NOT NULL, requested_at TEXT NOT NULL",
        indexes: &[],
        signed_column: false,
    }],
    project: project_join,
});

fn project_join(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let member = kinds::member_key_in(id)?;
    let j = kinds::open::<JoinRequest>(bytes)?;
    let community = row.doc.community;
    row.expect(j.value.community == community && j.value.member == member && j.signer == member)?;
    let invite = &j.value.invite;
    let invite_ok = invite.community == community
        && invite.signature_ok()
        && j.value.requested_at.timestamp() <= invite.expires_at;
    row.insert(
        Table::JoinRequests,
        &[
            &community.to_string(),
            &member.to_hex(),
            &j.value.name,
            &invite.role.as_str(),
            &invite.issuer.to_hex(),
            &invite_ok,
            &invite.expires_at,
            &ts(j.value.requested_at),
        ],
    )
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
        Ok(Status {
            lang,
            device,
            profile,
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
            my_name: self.setting("my_name")?.unwrap_or_default(),
            role: membership.map(|m| m.role).unwrap_or(requested_role),
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
            Scanned::Checkin(_) | Scanned::Pairing(_) => {
                return Err(Refused::WrongKindOfCode.into())
            }
        };
        if !invite.signature_ok() {
            return Err(Refused::Invite(InviteProblem::Forged).into());
        }
        let now = self.now();
        if !invite.valid_at(now) {
            return Err(Refused::Invite(InviteProblem::Expired).into());
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

    /// A fresh invite (coordinators only).
    pub fn invite_code(&self, role: Role) -> Result<InviteCode> {
        let ctx = self.ctx()?;
        self.require_coordinator(&ctx)?;
        let name = community_name(&self.conn, &ctx.community)?.unwrap_or_default();
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
            expires_at: DateTime::from_timestamp(code.expires_at, 0),
            title: code.name,
        })
    }
}
