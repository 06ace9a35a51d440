//! Members: memberships and revocations, confirming join requests, removing
//! and giving back access, the members list, and the gate network peers
//! pass. Who counts as what is decided in `authority.rs`.

use chrono::{DateTime, Duration, Utc};
use nabo_shared::api::{Missing, Table};
use nabo_shared::community::JoinRequest;
use nabo_shared::crypto::MemberKey;
use nabo_shared::ids::CommunityId;
use nabo_shared::members::authority::Authority;
use nabo_shared::members::{MemberView, Membership, Reinstatement, Revocation, Role};
use nabo_shared::review::{ApprovalNeeded, RecordKind, Writer};
use nabo_shared::signed::Signed;
use nabo_shared::sync::Refusal;
use rusqlite::{params, Connection};

use super::docs::{DocId, DocKind};
use super::error::{EngineError, Refused, Result};
use super::kinds::{self, Kind, KindDecl, ProjectError, Row, TableDecl};
use super::sql::{key_of, keys_json, time_of, ts};
use super::{rewards, Ctx, Engine};

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
        signed_column: true,
    }],
    project: project_membership,
});

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
        signed_column: true,
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
    /// What the values made from a valid invite of a coordinator ask for
    /// (none: nobody may confirm it).
    pub valid: Option<ValidJoin>,
}

/// A join request made from a valid invite of a coordinator.
pub(crate) struct ValidJoin {
    pub name: String,
    pub role: Role,
    /// The invite's expiry (Unix seconds).
    pub expires_at: i64,
}

impl ValidJoin {
    /// Why a human must confirm it, judged by this device's clock; `None`
    /// when it is confirmed as it arrives.
    pub fn needs_approval(&self, now: DateTime<Utc>) -> Option<ApprovalNeeded> {
        if self.role == Role::Coordinator {
            Some(ApprovalNeeded::CoordinatorRole)
        } else if now.timestamp() > self.expires_at {
            Some(ApprovalNeeded::InviteExpired)
        } else {
            None
        }
    }
}

/// Join requests of devices that are neither confirmed nor revoked, by key.
/// Of several values for one key the smallest name and role are shown (as
/// text), so every device shows the same.
pub(crate) fn pending_joins(conn: &Connection, ctx: &Ctx, who: &Authority) -> Result<Vec<Pending>> {
    let mut stmt = conn.prepare_cached(
        "SELECT member_key, MIN(name), MIN(role), MIN(CASE WHEN ok THEN name END),
                MIN(CASE WHEN ok THEN role END), MAX(CASE WHEN ok THEN invite_expires END)
           FROM (SELECT *, invite_ok = 1 AND invite_issuer IN (SELECT value FROM json_each(?2)) AS ok
                   FROM join_requests WHERE community = ?1)
          GROUP BY member_key ORDER BY member_key",
    )?;
    let rows = stmt
        .query_map(
            params![ctx.community.to_string(), keys_json(&who.coordinators)],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<i64>>(5)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let role_of = |role: &str| Role::parse(role).unwrap_or(Role::Resident);
    let mut out = Vec::new();
    for (member, name, role, ok_name, ok_role, expires) in rows {
        let member = key_of(&member)?;
        if who.member(&member).is_some() || who.is_revoked(&member) {
            continue;
        }
        out.push(Pending {
            member,
            name,
            role: role_of(&role),
            valid: match (ok_name, ok_role, expires) {
                (Some(name), Some(role), Some(expires_at)) => Some(ValidJoin {
                    name,
                    role: role_of(&role),
                    expires_at,
                }),
                _ => None,
            },
        });
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
        signed_column: true,
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
        if who.is_revoked(device) {
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
            && invite.community == ctx.community
            && invite.signature_ok()
            && who.is_coordinator(&invite.issuer)
            // Judged by this device's clock: the asker's may say anything.
            && invite.valid_at(self.now());
        if valid {
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
        let pending: Vec<(MemberKey, (String, Role))> = pending_joins(&self.conn, ctx, &who)?
            .into_iter()
            .filter_map(|p| {
                let valid = p.valid?;
                valid
                    .needs_approval(now)
                    .is_none()
                    .then_some((p.member, (valid.name, valid.role)))
            })
            .collect();
        self.sign_memberships(ctx, &pending)
    }

    /// Confirms by hand a join request that waits for a coordinator (the
    /// invite makes a coordinator, or expired before the request arrived).
    pub fn approve_join(&mut self, device: &str) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let join = pending_joins(&self.conn, &ctx, &who)?
            .into_iter()
            .find(|p| p.member.key_id().to_string() == device.trim())
            .and_then(|p| Some((p.member, p.valid?)))
            .ok_or(Refused::NotFound(Missing::Member))?;
        let (member, valid) = join;
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
        let now = self.now();
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

    /// Withdraws the membership of the member whose device has key id
    /// `device` (coordinators only; a coordinator's own cannot be withdrawn
    /// here). Their device is refused from then on, by every device that has
    /// the revocation.
    pub fn revoke_member(&mut self, device: &str) -> Result<()> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let member = who
            .members
            .keys()
            .copied()
            .find(|key| key.key_id().to_string() == device.trim() && !who.is_coordinator(key))
            .ok_or(Refused::NotFound(Missing::Member))?;
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
        let now = self.now();
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
        let balances = rewards::balances(&self.conn, &ctx, &who)?;
        let balance = |key: &MemberKey| balances.get(key).copied().unwrap_or(0);
        let view = |key: &MemberKey, name: &str, role, confirmed, revoked, balance| MemberView {
            device: key.key_id().to_string(),
            name: name.to_owned(),
            role,
            confirmed,
            revoked,
            balance,
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
