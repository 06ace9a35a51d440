//! Who signed a code, for a device that has not synced since they joined
//! (or got a new phone): the codes a member shows at a counter carry a
//! [`Voucher`], the membership a coordinator signed for them and, for a
//! device acting for them through a link, that link. The device that
//! reads one judges its terms of office again with those records added,
//! exactly as if a sync had brought them, and trusts the signer only if
//! that verdict makes them a member; then it keeps the records, as the
//! community house would have brought them.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use nabo_shared::crypto::MemberKey;
use nabo_shared::members::authority::{Authority, LinkFact, MembershipFact};
use nabo_shared::members::devices::DeviceLink;
use nabo_shared::members::Membership;
use nabo_shared::rewards::payments::Voucher;
use nabo_shared::scan::Vouched;
use nabo_shared::signed::{Record, Signed};
use rusqlite::params;

use super::commit::Staged;
use super::devices::DEVICE_LINK;
use super::docs::DocId;
use super::error::Result;
use super::kinds::Kind;
use super::members::MEMBERSHIP;
use super::sql::{in_office, office_json, time_of};
use super::{Ctx, Engine};

/// How much older than the newest membership a payee's device knows a
/// payer's own may be and still be carried: coordinators' devices sync
/// late, so the payee may lack a membership older than its newest.
const CARRIED_WHILE_DAYS: i64 = 14;

impl Engine {
    /// This device's own voucher, to carry in the codes it shows: the
    /// newest membership of its member, and of the link of this device to
    /// them when it is not the key the membership names, each signed by a
    /// coordinator in office then. `None` if this device holds neither, or
    /// if both are a fortnight older than the newest the payee knows
    /// (`payee_knows`, from its request): the payee knows this member, and
    /// the code stays small.
    pub(crate) fn own_voucher(
        &self,
        ctx: &Ctx,
        who: &Authority,
        payee_knows: Option<DateTime<Utc>>,
    ) -> Result<Option<Voucher>> {
        let member = who.identity(&ctx.me);
        let Some((joined, membership)) =
            self.newest(ctx, who, &MEMBERSHIP, &member, |m: &Membership| {
                (m.community == ctx.community && m.member == member).then_some(m.issued_at)
            })?
        else {
            return Ok(None);
        };
        // The hint is the payee's word, unsigned: any time at all.
        let known = |at: DateTime<Utc>| {
            payee_knows
                .and_then(|k| k.checked_sub_signed(Duration::days(CARRIED_WHILE_DAYS)))
                .is_some_and(|edge| at < edge)
        };
        if member == ctx.me {
            return Ok((!known(joined)).then(|| Voucher::of(&membership, None)));
        }
        let link = self.newest(ctx, who, &DEVICE_LINK, &ctx.me, |l: &DeviceLink| {
            (l.community == ctx.community && l.member == member && l.device == ctx.me)
                .then_some(l.issued_at)
        })?;
        Ok(link
            .filter(|(linked, _)| !known(joined.max(*linked)))
            .map(|(_, link)| Voucher::of(&membership, Some(&link))))
    }

    /// The newest signing time of the memberships and device links this
    /// device holds that a coordinator in office signed, never later than
    /// now: what it tells a payer in its requests ([`Engine::own_voucher`]).
    pub(crate) fn members_known_until(
        &self,
        ctx: &Ctx,
        who: &Authority,
    ) -> Result<Option<DateTime<Utc>>> {
        let mut newest: Option<DateTime<Utc>> = None;
        for table in ["members", "device_links"] {
            let at: Option<String> = self.conn.query_row(
                &format!(
                    "SELECT MAX(issued_at) FROM {table} WHERE community = ?1 AND {}",
                    in_office!("signer", "issued_at", "?2")
                ),
                params![ctx.community.to_string(), office_json(who)],
                |r| r.get(0),
            )?;
            if let Some(at) = at {
                let at = time_of(&at)?;
                newest = Some(newest.map_or(at, |n| n.max(at)));
            }
        }
        Ok(newest.map(|at| at.min(self.now())))
    }

    /// The newest value the community document ever held under `kind`'s
    /// key for `key` that `fits` (giving its signing time), signed by a
    /// coordinator in office then.
    fn newest<T: Record>(
        &self,
        ctx: &Ctx,
        who: &Authority,
        kind: &Kind<T>,
        key: &MemberKey,
        fits: impl Fn(&T) -> Option<DateTime<Utc>>,
    ) -> Result<Option<(DateTime<Utc>, Signed<T>)>> {
        let doc = DocId::community(ctx.community).to_string();
        let mut newest: Option<(DateTime<Utc>, Signed<T>)> = None;
        for (bytes, _) in super::history::values(&self.conn, &doc, kind.key(key.to_hex()).as_str())?
        {
            let Some(signed) = bytes.and_then(|b| Signed::<T>::from_bytes(&b).ok()) else {
                continue;
            };
            let Ok(opened) = signed.open() else { continue };
            let Some(at) = fits(&opened.value) else {
                continue;
            };
            if who.in_office_at(&opened.signer, at) && newest.as_ref().is_none_or(|(t, _)| at > *t)
            {
                newest = Some((at, signed));
            }
        }
        Ok(newest)
    }

    /// The verdict with the voucher a scanned code carries for `key`, when
    /// this device does not know `key` as a member and the voucher makes it
    /// one: its membership and link, for this neighbourhood and for `key`,
    /// signed by coordinators this device knows in office then. What this
    /// device will conclude once it syncs; with it, the voucher to keep
    /// beside what the code brings. Otherwise `who` as it is.
    pub(crate) fn vouched<'v>(
        &self,
        ctx: &Ctx,
        who: Arc<Authority>,
        carried: Option<&'v Vouched>,
        key: &MemberKey,
    ) -> Result<(Arc<Authority>, Option<&'v Vouched>)> {
        let Some(v) = carried else {
            return Ok((who, None));
        };
        let m = &v.membership.1;
        let names_key = match &v.link {
            None => m.value.member == *key,
            Some((_, l)) => {
                l.value.community == ctx.community
                    && l.value.device == *key
                    && l.value.member == m.value.member
            }
        };
        if who.member(key).is_some() || m.value.community != ctx.community || !names_key {
            return Ok((who, None));
        }
        let membership = MembershipFact {
            member: m.value.member,
            name: m.value.name.clone(),
            role: m.value.role,
            signer: m.signer,
            issued_at: m.value.issued_at,
        };
        let link = v.link.as_ref().map(|(_, l)| LinkFact {
            member: l.value.member,
            device: l.value.device,
            signer: l.signer,
            issued_at: l.value.issued_at,
        });
        let with = super::authority::load_authority_with(&self.conn, ctx, Some(membership), link)?;
        if with.member(key).is_none() {
            return Ok((who, None));
        }
        Ok((Arc::new(with), Some(v)))
    }

    /// Stages a voucher from [`Engine::vouched`] into the community
    /// document (coordinators' signed records, relayed as a hub would),
    /// unless there is none to keep.
    pub(crate) fn stage_vouched(
        &mut self,
        staged: &mut Vec<Staged>,
        ctx: &Ctx,
        vouched: Option<&Vouched>,
    ) -> Result<()> {
        let Some(v) = vouched else {
            return Ok(());
        };
        let i = self.stage_into(staged, DocId::community(ctx.community))?;
        let (membership, m) = &v.membership;
        staged[i].put(MEMBERSHIP.key(m.value.member.to_hex()), membership)?;
        if let Some((link, l)) = &v.link {
            staged[i].put(DEVICE_LINK.key(l.value.device.to_hex()), link)?;
        }
        Ok(())
    }
}
