//! Who counts as what in this device's community: the pure rule in
//! `nabo_shared::members::authority`, fed from the projection (genesis,
//! memberships, revocations, device links and retirements) and kept until the community document changes.
//! Every capability asks it before it lets a device do something.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use nabo_shared::crypto::MemberKey;
use nabo_shared::ids::CommunityId;
use nabo_shared::members::authority::{Authority, LinkFact, MembershipFact, RevocationFact};
use nabo_shared::members::Role;
use rusqlite::Connection;

use super::error::{EngineError, Refused, Result};
use super::sql::{key_of, time_of};
use super::{Ctx, Engine};

/// The founding keys of the community's genesis records.
fn founding_keys(conn: &Connection, community: &CommunityId) -> Result<Vec<MemberKey>> {
    let mut stmt = conn.prepare_cached("SELECT founding_key FROM communities WHERE id = ?1")?;
    let keys = stmt
        .query_map([community.to_string()], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    keys.iter().map(|k| key_of(k)).collect()
}

/// The verdict over the community's projected records.
pub(super) fn load_authority(conn: &Connection, ctx: &Ctx) -> Result<Authority> {
    load_authority_with(conn, ctx, None, None)
}

/// The verdict over the community's projected records and one membership
/// and device link more: what this device would conclude once it had the
/// records a scanned code carries.
pub(super) fn load_authority_with(
    conn: &Connection,
    ctx: &Ctx,
    carried: Option<MembershipFact>,
    link: Option<LinkFact>,
) -> Result<Authority> {
    let mut founders = founding_keys(conn, &ctx.community)?;
    founders.push(ctx.anchor);
    let community = ctx.community.to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT member_key, name, role, signer, issued_at FROM members WHERE community = ?1",
    )?;
    let rows = stmt
        .query_map([&community], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let memberships = rows
        .into_iter()
        .map(|(member, name, role, signer, at)| {
            Ok(MembershipFact {
                member: key_of(&member)?,
                name,
                role: Role::parse(&role).ok_or_else(|| EngineError::corrupt("role", &role))?,
                signer: key_of(&signer)?,
                issued_at: time_of(&at)?,
            })
        })
        .chain(carried.map(Ok))
        .collect::<Result<Vec<_>>>()?;
    let mut revocations = Vec::new();
    for (table, reinstates) in [("revocations", false), ("reinstatements", true)] {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT member_key, signer, issued_at FROM {table} WHERE community = ?1"
        ))?;
        let rows = stmt
            .query_map([&community], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (member, signer, at) in rows {
            revocations.push(RevocationFact {
                member: key_of(&member)?,
                signer: key_of(&signer)?,
                issued_at: time_of(&at)?,
                reinstates,
            });
        }
    }
    let (mut links, retirements) = super::devices::facts(conn, ctx)?;
    links.extend(link);
    Ok(
        Authority::compute(&founders, &memberships, &revocations)
            .with_devices(&links, &retirements),
    )
}

impl Engine {
    /// Who counts as what in this device's community.
    pub(crate) fn authority(&self, ctx: &Ctx) -> Result<Arc<Authority>> {
        if let Some(who) = self.authority.borrow().as_ref() {
            return Ok(who.clone());
        }
        let who = Arc::new(load_authority(&self.conn, ctx)?);
        self.authority.replace(Some(who.clone()));
        Ok(who)
    }

    /// The verdict, if this device is a coordinator; else the refusal.
    pub(crate) fn require_coordinator(&self, ctx: &Ctx) -> Result<Arc<Authority>> {
        let who = self.authority(ctx)?;
        if who.is_coordinator(&ctx.me) {
            Ok(who)
        } else {
            Err(Refused::NotCoordinator.into())
        }
    }

    /// The time a coordinator's record is signed with: now, or just after
    /// the start of this device's term when its clock is behind the device
    /// that appointed it (what it signed before its term would count for
    /// nothing).
    pub(crate) fn signing_time(&self, ctx: &Ctx) -> Result<DateTime<Utc>> {
        let now = self.now();
        Ok(match self.authority(ctx)?.term_start(&ctx.me) {
            Some(Some(since)) if since >= now => since + Duration::milliseconds(1),
            _ => now,
        })
    }

    /// Whether this device is a coordinator of its community.
    pub(crate) fn is_coordinator(&self, ctx: &Ctx) -> Result<bool> {
        Ok(self.authority(ctx)?.is_coordinator(&ctx.me))
    }
}
