//! Members: memberships and revocations, confirming join requests, removing
//! and giving back access, the members list, and the gate network peers
//! pass. Who counts as what is decided in `authority.rs`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use nabo_shared::api::{Missing, Table};
use nabo_shared::community::JoinRequest;
use nabo_shared::crypto::MemberKey;
use nabo_shared::ids::{CommunityId, InviteId};
use nabo_shared::members::authority::Authority;
use nabo_shared::members::{MemberView, Membership, Reinstatement, Revocation, Role};
use nabo_shared::review::{ApprovalNeeded, RecordKind, Writer};
use nabo_shared::signed::Signed;
use nabo_shared::sync::Refusal;
use rusqlite::{params, Connection};

use super::accounts::Figure;
use super::docs::{DocId, DocKind};
use super::error::{EngineError, Refused, Result};
use super::kinds::{self, Kind, KindDecl, ProjectError, Row, TableDecl};
use super::sql::{key_of, keys_json, parse, time_of, ts};
use super::{community, Ctx, Engine};

/// `member/<member key>`: a membership, signed by a coordinator.
pub(crate) const MEMBERSHIP: Kind<Membership> = Kind::new(KindDecl {
    record: RecordKind::Membership,
    prefix: "member",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "a newer membership for the same member signed by a coordinator (the newest \
                    names them); a revocation withdraws it",
    tables: &[TableDecl {
        table: Table::Members,
        columns: "community TEXT NOT NULL, member_key TEXT NOT NULL, name TEXT NOT NULL, \
                  role TEXT NOT NULL, signer TEXT NOT NULL, issued_at TEXT NOT NULL",
        indexes: &["CREATE INDEX IF NOT EXISTS members_by_key ON members(community, member_key)"],
        signed_at: Some("issued_at"),
    }],
    project: project_membership,
});

/// The members chosen by fingerprint (of one of their phones or of the
/// key they joined with, as the member list and the views name them), as
/// identity keys, each once, in order; a fingerprint that is no member's
/// now refuses `field`.
pub(crate) fn chosen_members(
    who: &Authority,
    devices: &[String],
    field: &'static str,
) -> Result<Vec<MemberKey>> {
    let active = who.active_keys();
    let mut chosen = Vec::new();
    for device in devices {
        let device = device.trim();
        let key = active
            .iter()
            .find(|k| {
                (k.key_id().to_string() == device || who.identity(k).key_id().to_string() == device)
                    && who.member(k).is_some()
            })
            .ok_or(Refused::InvalidField {
                field,
                problem: nabo_shared::fields::FieldProblem::Invalid,
            })?;
        let member = who.identity(key);
        if !chosen.contains(&member) {
            chosen.push(member);
        }
    }
    Ok(chosen)
}

fn project_membership(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let member = kinds::member_key_in(id)?;
    let m = kinds::open::<Membership>(bytes)?;
    row.expect(m.value.community == row.doc.community && m.value.member == member)?;
    row.insert(
        Table::Members,
        &[
            &row.doc.community.to_string(),
            &member.to_hex(),
            &m.value.name,
            &m.value.role.as_str(),
            &m.signer.to_hex(),
            &ts(m.value.issued_at),
        ],
    )
}

/// `revoked/<member key>`: a coordinator's withdrawal of a membership.
pub(crate) const REVOCATION: Kind<Revocation> = Kind::new(KindDecl {
    record: RecordKind::Revocation,
    prefix: "revoked",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "a newer reinstatement signed by a coordinator, which gives the member \
                    access again",
    tables: &[TableDecl {
        table: Table::Revocations,
        columns: "community TEXT NOT NULL, member_key TEXT NOT NULL, signer TEXT NOT NULL, \
                  issued_at TEXT NOT NULL",
        indexes: &[],
        signed_at: Some("issued_at"),
    }],
    project: project_revocation,
});

fn project_revocation(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let member = kinds::member_key_in(id)?;
    let r = kinds::open::<Revocation>(bytes)?;
    row.expect(r.value.community == row.doc.community && r.value.member == member)?;
    row.insert(
        Table::Revocations,
        &[
            &row.doc.community.to_string(),
            &member.to_hex(),
            &r.signer.to_hex(),
            &ts(r.value.issued_at),
        ],
    )
}

/// A join request still waiting, merged over its values.
pub(crate) struct Pending {
    pub member: MemberKey,
    pub name: String,
    pub role: Role,
    /// What the values made from a whole invite of a coordinator in office
    /// ask for (none: nobody may confirm it).
    pub valid: Option<ValidJoin>,
}

/// A join request made from a whole invite of a coordinator in office.
pub(crate) struct ValidJoin {
    pub name: String,
    pub role: Role,
    /// The invite's expiry (Unix seconds).
    pub expires_at: i64,
    /// The invite (none: one of the first format, without a use limit).
    pub invite: Option<InviteId>,
    /// How many devices the invite may admit.
    pub uses: u32,
}

/// What the confirming device knows of the invites besides the request.
pub(crate) struct InviteState {
    /// Invites a coordinator withdrew.
    pub withdrawn: BTreeSet<InviteId>,
    /// Devices confirmed with each invite so far.
    pub used: BTreeMap<InviteId, u32>,
}

impl InviteState {
    pub fn load(conn: &Connection, ctx: &Ctx, who: &Authority) -> Result<Self> {
        Ok(Self {
            withdrawn: community::withdrawn_invites(conn, ctx, who)?,
            used: invite_uses(conn, ctx, who)?,
        })
    }
}

impl ValidJoin {
    /// Why a human must confirm it, judged by this device's clock and what
    /// it knows of the invite; `None` when it is confirmed as it arrives.
    pub fn needs_approval(
        &self,
        now: DateTime<Utc>,
        state: &InviteState,
    ) -> Option<ApprovalNeeded> {
        let Some(invite) = self.invite else {
            return Some(ApprovalNeeded::OldInvite);
        };
        if self.role == Role::Coordinator {
            Some(ApprovalNeeded::CoordinatorRole)
        } else if state.withdrawn.contains(&invite) {
            Some(ApprovalNeeded::InviteWithdrawn)
        } else if now.timestamp() > self.expires_at {
            Some(ApprovalNeeded::InviteExpired)
        } else if state.used.get(&invite).copied().unwrap_or(0) >= self.uses {
            Some(ApprovalNeeded::InviteUsedUp)
        } else {
            None
        }
    }
}

/// A join request's value as projected.
struct JoinValue {
    member: String,
    name: String,
    role: String,
    /// Made from a whole invite of a coordinator in office now.
    ok: bool,
    expires: i64,
    invite: Option<String>,
    uses: u32,
}

/// Every projected join request value of the community, by member key
/// then name, role and invite, so every device reads them in one order.
fn join_values(conn: &Connection, ctx: &Ctx, who: &Authority) -> Result<Vec<JoinValue>> {
    let mut stmt = conn.prepare_cached(
        "SELECT member_key, name, role,
                invite_ok = 1 AND invite_issuer IN (SELECT value FROM json_each(?2)),
                invite_expires, invite_id, invite_uses
           FROM join_requests WHERE community = ?1
          ORDER BY member_key, name, role, invite_id, invite_expires",
    )?;
    let rows = stmt
        .query_map(
            params![ctx.community.to_string(), keys_json(&who.coordinators)],
            |r| {
                Ok(JoinValue {
                    member: r.get(0)?,
                    name: r.get(1)?,
                    role: r.get(2)?,
                    ok: r.get(3)?,
                    expires: r.get(4)?,
                    invite: r.get(5)?,
                    uses: r.get(6)?,
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How many confirmed members (or members removed since) joined with each
/// invite: what its use limit is counted against.
pub(crate) fn invite_uses(
    conn: &Connection,
    ctx: &Ctx,
    who: &Authority,
) -> Result<BTreeMap<InviteId, u32>> {
    let mut seen: BTreeSet<(InviteId, MemberKey)> = BTreeSet::new();
    for v in join_values(conn, ctx, who)? {
        let (Some(invite), true) = (v.invite.as_deref(), v.ok) else {
            continue;
        };
        let member = key_of(&v.member)?;
        if who.knows(&member) {
            seen.insert((parse(invite, "invite id")?, member));
        }
    }
    let mut used = BTreeMap::new();
    for (invite, _) in seen {
        *used.entry(invite).or_insert(0) += 1;
    }
    Ok(used)
}

/// What a join request value made from a whole invite asks for.
fn valid_of(v: &JoinValue) -> Result<ValidJoin> {
    Ok(ValidJoin {
        name: v.name.clone(),
        role: Role::parse(&v.role).unwrap_or(Role::Resident),
        expires_at: v.expires,
        invite: v
            .invite
            .as_deref()
            .map(|i| parse(i, "invite id"))
            .transpose()?,
        uses: v.uses,
    })
}

/// A join request value made from a whole invite of a coordinator in
/// office, whether its device waits or was confirmed since.
pub(crate) struct Join {
    pub member: MemberKey,
    pub valid: ValidJoin,
}

/// Every [`Join`], in [`join_values`]' order.
pub(crate) fn valid_joins(conn: &Connection, ctx: &Ctx, who: &Authority) -> Result<Vec<Join>> {
    join_values(conn, ctx, who)?
        .iter()
        .filter(|v| v.ok)
        .map(|v| {
            Ok(Join {
                member: key_of(&v.member)?,
                valid: valid_of(v)?,
            })
        })
        .collect()
}

/// Join requests of devices that are neither confirmed nor revoked, by key.
/// Of several values for one key the first in [`join_values`]' order is
/// shown, and the first valid one is what a confirmation grants, so every
/// device shows and grants the same.
pub(crate) fn pending_joins(conn: &Connection, ctx: &Ctx, who: &Authority) -> Result<Vec<Pending>> {
    let role_of = |role: &str| Role::parse(role).unwrap_or(Role::Resident);
    let mut out: Vec<Pending> = Vec::new();
    for v in join_values(conn, ctx, who)? {
        let member = key_of(&v.member)?;
        if who.knows(&member) {
            continue;
        }
        let valid = || valid_of(&v);
        match out.last_mut() {
            Some(p) if p.member == member => {
                if p.valid.is_none() && v.ok {
                    p.valid = Some(valid()?);
                }
            }
            _ => out.push(Pending {
                member,
                name: v.name.clone(),
                role: role_of(&v.role),
                valid: if v.ok { Some(valid()?) } else { None },
            }),
        }
    }
    Ok(out)
}

/// `reinstated/<member key>`: a coordinator's giving back of a membership.
pub(crate) const REINSTATEMENT: Kind<Reinstatement> = Kind::new(KindDecl {
    record: RecordKind::Reinstatement,
    prefix: "reinstated",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "a newer revocation signed by a coordinator",
    tables: &[TableDecl {
        table: Table::Reinstatements,
        columns: "community TEXT NOT NULL, member_key TEXT NOT NULL, signer TEXT NOT NULL, \
                  issued_at TEXT NOT NULL",
        indexes: &[],
        signed_at: Some("issued_at"),
    }],
    project: project_reinstatement,
});

fn project_reinstatement(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let member = kinds::member_key_in(id)?;
    let r = kinds::open::<Reinstatement>(bytes)?;
    row.expect(r.value.community == row.doc.community && r.value.member == member)?;
    row.insert(
        Table::Reinstatements,
        &[
            &row.doc.community.to_string(),
            &member.to_hex(),
            &r.signer.to_hex(),
            &ts(r.value.issued_at),
        ],
    )
}

/// Why the network gate did not let a device in.
#[derive(Debug, thiserror::Error)]
pub enum GateError {
    /// The device is refused, for this reason (it is told).
    #[error("refused: {0}")]
    Refused(Refusal),
    /// This device could not check (its store failed): not the other
    /// device's fault.
    #[error("could not check the device: {0}")]
    Failed(#[source] EngineError),
}

impl Engine {
    /// The gate for network peers: `Ok` when `device` is a coordinator or a
    /// confirmed member of this device's community, or shows a `ticket` (its
    /// signed join request) made from an invite a coordinator issued, so a
    /// new resident's first sync can carry the request to the hub.
    pub fn admit(
        &self,
        community: &CommunityId,
        device: &MemberKey,
        ticket: &[u8],
    ) -> Result<(), GateError> {
        let refuse = |reason| Err(GateError::Refused(reason));
        let ctx = match self.ctx() {
            Ok(ctx) => ctx,
            Err(EngineError::Refused(Refused::NotSetUp)) => return refuse(Refusal::OtherCommunity),
            Err(e) => return Err(GateError::Failed(e)),
        };
        if *community != ctx.community {
            return refuse(Refusal::OtherCommunity);
        }
        let who = self.authority(&ctx).map_err(GateError::Failed)?;
        if who.is_coordinator(device) || who.member(device).is_some() {
            return Ok(());
        }
        if who.retired_at(device).is_some() {
            return refuse(Refusal::Retired);
        }
        if who.shut_out(device) {
            return refuse(Refusal::Revoked);
        }
        if ticket.is_empty() {
            return refuse(Refusal::NotMember);
        }
        let Ok(request) = Signed::<JoinRequest>::open_bytes(ticket) else {
            return refuse(Refusal::BadIdentity);
        };
        let invite = &request.value.invite;
        let valid = request.signer == *device
            && request.value.member == *device
            && request.value.community == ctx.community
            && request.value.invite_holds()
            && who.is_coordinator(&invite.issuer)
            // Judged by this device's clock: the asker's may say anything.
            && invite.valid_at(self.now());
        // A withdrawn invite lets nobody in; a used-up one lets the request
        // through to wait for a coordinator.
        let withdrawn = || -> Result<bool, GateError> {
            Ok(community::withdrawn_invites(&self.conn, &ctx, &who)
                .map_err(GateError::Failed)?
                .contains(&invite.id))
        };
        if valid && !withdrawn()? {
            Ok(())
        } else {
            refuse(Refusal::NotMember)
        }
    }

    /// Confirms join requests made from a coordinator's valid invite that
    /// this device, by its own clock, finds unexpired, for a role that is
    /// confirmed without a human (coordinators' devices do this with what
    /// they receive; the rest waits in the review queue). Returns how many.
    pub(crate) fn confirm_joins(&mut self, ctx: &Ctx) -> Result<u32> {
        let who = self.authority(ctx)?;
        let now = self.now();
        let mut state = InviteState::load(&self.conn, ctx, &who)?;
        let mut confirm = Vec::new();
        // In key order, each counted against its invite's limit as it goes.
        for p in pending_joins(&self.conn, ctx, &who)? {
            let Some(valid) = p.valid else { continue };
            if valid.needs_approval(now, &state).is_some() {
                continue;
            }
            if let Some(invite) = valid.invite {
                *state.used.entry(invite).or_insert(0) += 1;
            }
            confirm.push((p.member, (valid.name, valid.role)));
        }
        self.sign_memberships(ctx, &confirm)
    }

    /// Confirms by hand a join request that waits for a coordinator (the
    /// invite makes a coordinator, expired before the request arrived, was
    /// used up or withdrawn, or is of the first format).
    pub fn approve_join(&mut self, device: &str) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let join = pending_joins(&self.conn, &ctx, &who)?
            .into_iter()
            .find(|p| p.member.key_id().to_string() == device.trim())
            .and_then(|p| Some((p.member, p.valid?)))
            .ok_or(Refused::NotFound(Missing::Member))?;
        let (member, valid) = join;
        // An invite for a member's new phone links the phone to them.
        let marked = super::devices::replacements(&self.conn, &ctx, &who)?;
        if let Some(owner) = valid.invite.and_then(|invite| marked.get(&invite)) {
            if who.members.contains_key(owner) {
                self.sign_links(&ctx, &[(*owner, member)])?;
                return Ok(());
            }
        }
        self.sign_memberships(&ctx, &[(member, (valid.name, valid.role))])?;
        Ok(())
    }

    /// Signs a membership for each `(member, (name, role))`.
    fn sign_memberships(
        &mut self,
        ctx: &Ctx,
        pending: &[(MemberKey, (String, Role))],
    ) -> Result<u32> {
        if pending.is_empty() {
            return Ok(0);
        }
        let now = self.signing_time(ctx)?;
        let mut doc = self.stage(DocId::community(ctx.community))?;
        for (member, (name, role)) in pending {
            let membership = Membership {
                community: ctx.community,
                member: *member,
                name: name.clone(),
                role: *role,
                issued_at: now,
            };
            doc.put(
                MEMBERSHIP.key(member.to_hex()),
                &Signed::seal(&self.key, &membership),
            )?;
        }
        self.commit(vec![doc], &[])?;
        Ok(pending.len() as u32)
    }

    /// Withdraws the membership of the member or coordinator whose device
    /// has key id `device` (coordinators only; never one's own, and never
    /// the last coordinator). Their device is refused from then on, by every
    /// device that has the revocation, and what a coordinator signs after it
    /// counts for nothing. This is also the way back from a lost or stolen
    /// founding key: another coordinator removes it.
    pub fn revoke_member(&mut self, device: &str) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let member = who
            .members
            .keys()
            .chain(&who.coordinators)
            .copied()
            .find(|key| key.key_id().to_string() == device.trim())
            .ok_or(Refused::NotFound(Missing::Member))?;
        // Another coordinator, so one always stays (the rule in
        // `authority` also ignores a revocation that would leave none, for
        // two coordinators removing each other at once).
        if member == ctx.me {
            return Err(Refused::OwnAccess.into());
        }
        let revocation = Revocation {
            community: ctx.community,
            member,
            issued_at: self.after_newest_word(&ctx, &member)?,
        };
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(
            REVOCATION.key(member.to_hex()),
            &Signed::seal(&self.key, &revocation),
        )?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }

    /// Gives the member whose access was removed (device key id `device`)
    /// access again: a reinstatement that supersedes the revocation
    /// (coordinators only).
    pub fn reinstate_member(&mut self, device: &str) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let member = who
            .revoked
            .iter()
            .copied()
            .find(|key| key.key_id().to_string() == device.trim())
            .ok_or(Refused::NotFound(Missing::Member))?;
        let reinstatement = Reinstatement {
            community: ctx.community,
            member,
            issued_at: self.after_newest_word(&ctx, &member)?,
        };
        let mut doc = self.stage(DocId::community(ctx.community))?;
        doc.put(
            REINSTATEMENT.key(member.to_hex()),
            &Signed::seal(&self.key, &reinstatement),
        )?;
        self.commit(vec![doc], &[])?;
        Ok(())
    }

    /// The time a new revocation or reinstatement of `member` is signed
    /// with: now, or just after the newest one this device knows, so the new
    /// word supersedes the one it answers even when clocks disagree.
    fn after_newest_word(&self, ctx: &Ctx, member: &MemberKey) -> Result<DateTime<Utc>> {
        let newest: Option<String> = self.conn.query_row(
            "SELECT MAX(issued_at) FROM (
                 SELECT issued_at FROM revocations WHERE community = ?1 AND member_key = ?2
                 UNION ALL
                 SELECT issued_at FROM reinstatements WHERE community = ?1 AND member_key = ?2)",
            params![ctx.community.to_string(), member.to_hex()],
            |r| r.get(0),
        )?;
        let now = self.signing_time(ctx)?;
        Ok(match newest.as_deref().map(time_of).transpose()? {
            Some(newest) if newest >= now => newest + Duration::milliseconds(1),
            _ => now,
        })
    }

    /// Members, pending join requests and removed members, by name
    /// (coordinators only).
    pub fn members(&self) -> Result<Vec<MemberView>> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        // What each can spend, as their wallet shows it.
        let spendable = self.balances_kept(&ctx, &who, Figure::Spendable)?;
        let balance = |key: &MemberKey| spendable.get(key).copied().unwrap_or(0);
        let cards = super::cards::card_keys(&self.conn, &ctx, &who)?;
        let view = |key: &MemberKey, name: &str, role, confirmed, revoked, balance| MemberView {
            device: key.key_id().to_string(),
            name: name.to_owned(),
            role,
            confirmed,
            revoked,
            balance,
            devices: if confirmed || revoked {
                super::devices::device_views(&who, &cards, key)
            } else {
                Vec::new()
            },
        };
        let mut out: Vec<(MemberKey, MemberView)> = Vec::new();
        for (key, m) in &who.members {
            out.push((*key, view(key, &m.name, m.role, true, false, balance(key))));
        }
        for p in pending_joins(&self.conn, &ctx, &who)? {
            out.push((p.member, view(&p.member, &p.name, p.role, false, false, 0)));
        }
        for (key, name, role) in revoked_memberships(&self.conn, &ctx, &who)? {
            out.push((key, view(&key, &name, role, false, true, balance(&key))));
        }
        // By name as SQLite's NOCASE orders it (ASCII letters folded), then key.
        out.sort_by(|(a, va), (b, vb)| {
            (va.name.to_ascii_lowercase(), a.to_hex())
                .cmp(&(vb.name.to_ascii_lowercase(), b.to_hex()))
        });
        Ok(out.into_iter().map(|(_, v)| v).collect())
    }

    /// The name of a member device (or of a device asking to join), if it
    /// is one.
    pub fn member_name(&self, device: &MemberKey) -> Option<String> {
        let ctx = self.ctx().ok()?;
        let who = self.authority(&ctx).ok()?;
        if let Some(m) = who.member(device) {
            return Some(m.name.clone());
        }
        self.conn
            .query_row(
                "SELECT name FROM join_requests WHERE community = ?1 AND member_key = ?2 LIMIT 1",
                params![ctx.community.to_string(), device.to_hex()],
                |r| r.get(0),
            )
            .ok()
    }
}

/// Removed members with the smallest name and role among their membership
/// values (as text).
fn revoked_memberships(
    conn: &Connection,
    ctx: &Ctx,
    who: &Authority,
) -> Result<Vec<(MemberKey, String, Role)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT member_key, MIN(name), MIN(role) FROM members
          WHERE community = ?1 AND member_key IN (SELECT value FROM json_each(?2))
          GROUP BY member_key",
    )?;
    let rows = stmt
        .query_map(
            params![ctx.community.to_string(), keys_json(&who.revoked)],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(key, name, role)| {
            Ok((
                key_of(&key)?,
                name,
                Role::parse(&role).unwrap_or(Role::Resident),
            ))
        })
        .collect()
}
