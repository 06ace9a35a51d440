//! A member's devices: linking a new phone to a member, taking a lost one
//! away, and the invite a new phone joins with. The records are in
//! `nabo_shared::members::devices`; the rule that reads them in
//! `nabo_shared::members::authority`.

use std::collections::BTreeMap;

use nabo_shared::api::{Missing, Table};
use nabo_shared::community::OpenInvite;
use nabo_shared::crypto::MemberKey;
use nabo_shared::ids::InviteId;
use nabo_shared::members::authority::{Authority, LinkFact, RetirementFact};
use nabo_shared::members::devices::{DeviceLink, DeviceRetirement, DeviceView, Replacement};
use nabo_shared::review::{RecordKind, Writer};
use nabo_shared::signed::Signed;
use rusqlite::{params, Connection};

use super::docs::{DocId, DocKind};
use super::error::{Refused, Result};
use super::kinds::{self, Kind, KindDecl, ProjectError, Row, TableDecl};
use super::sql::{in_office, key_of, office_json, parse, time_of, ts};
use super::{members, Ctx, Engine};

/// `device/<device key>`: a coordinator's link of a new device to a member.
pub(crate) const DEVICE_LINK: Kind<DeviceLink> = Kind::new(KindDecl {
    record: RecordKind::DeviceLink,
    prefix: "device",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "nothing: the first link of a device signed by a coordinator in office counts \
                    for good; a retirement ends what the device may sign from then on",
    tables: &[TableDecl {
        table: Table::DeviceLinks,
        columns: "community TEXT NOT NULL, member_key TEXT NOT NULL, device_key TEXT NOT NULL, \
                  signer TEXT NOT NULL, issued_at TEXT NOT NULL",
        indexes: &[],
        signed_at: Some("issued_at"),
    }],
    project: project_link,
});

fn project_link(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let device = kinds::member_key_in(id)?;
    let l = kinds::open::<DeviceLink>(bytes)?;
    row.expect(l.value.community == row.doc.community && l.value.device == device)?;
    row.insert(
        Table::DeviceLinks,
        &[
            &row.doc.community.to_string(),
            &l.value.member.to_hex(),
            &device.to_hex(),
            &l.signer.to_hex(),
            &ts(l.value.issued_at),
        ],
    )
}

/// `retired-device/<device key>`: a coordinator's word that a member's
/// device is lost.
pub(crate) const DEVICE_RETIREMENT: Kind<DeviceRetirement> = Kind::new(KindDecl {
    record: RecordKind::DeviceRetirement,
    prefix: "retired-device",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "nothing: the first retirement of a device signed by a coordinator in office \
                    counts for good (a found phone joins again as a new device)",
    tables: &[TableDecl {
        table: Table::DeviceRetirements,
        columns: "community TEXT NOT NULL, member_key TEXT NOT NULL, device_key TEXT NOT NULL, \
                  signer TEXT NOT NULL, issued_at TEXT NOT NULL",
        indexes: &[],
        signed_at: Some("issued_at"),
    }],
    project: project_retirement,
});

fn project_retirement(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let device = kinds::member_key_in(id)?;
    let r = kinds::open::<DeviceRetirement>(bytes)?;
    row.expect(r.value.community == row.doc.community && r.value.device == device)?;
    row.insert(
        Table::DeviceRetirements,
        &[
            &row.doc.community.to_string(),
            &r.value.member.to_hex(),
            &device.to_hex(),
            &r.signer.to_hex(),
            &ts(r.value.issued_at),
        ],
    )
}

/// `replacement/<invite id>`: a coordinator's word that an invite is for a
/// member's new device.
pub(crate) const REPLACEMENT: Kind<Replacement> = Kind::new(KindDecl {
    record: RecordKind::Replacement,
    prefix: "replacement",
    singleton: false,
    home: DocKind::Community,
    writer: Writer::Coordinator,
    superseded_by: "nothing: the earliest signed by a coordinator in office names the member the \
                    invite is for",
    tables: &[TableDecl {
        table: Table::Replacements,
        columns: "community TEXT NOT NULL, invite_id TEXT NOT NULL, member_key TEXT NOT NULL, \
                  signer TEXT NOT NULL, issued_at TEXT NOT NULL",
        indexes: &[],
        signed_at: Some("issued_at"),
    }],
    project: project_replacement,
});

fn project_replacement(row: &Row<'_>, id: &str, bytes: &[u8]) -> Result<(), ProjectError> {
    let invite: InviteId = kinds::id_of(id)?;
    let r = kinds::open::<Replacement>(bytes)?;
    row.expect(r.value.community == row.doc.community && r.value.invite == invite)?;
    row.insert(
        Table::Replacements,
        &[
            &row.doc.community.to_string(),
            &invite.to_string(),
            &r.value.member.to_hex(),
            &r.signer.to_hex(),
            &ts(r.value.issued_at),
        ],
    )
}

/// The links and retirements of the community, as the rule needs them.
pub(crate) fn facts(conn: &Connection, ctx: &Ctx) -> Result<(Vec<LinkFact>, Vec<RetirementFact>)> {
    let read = |table: &str| -> Result<Vec<(MemberKey, MemberKey, MemberKey, _)>> {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT member_key, device_key, signer, issued_at FROM {table} WHERE community = ?1"
        ))?;
        let rows = stmt
            .query_map([ctx.community.to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.iter()
            .map(|(m, d, s, at)| Ok((key_of(m)?, key_of(d)?, key_of(s)?, time_of(at)?)))
            .collect()
    };
    let links = read("device_links")?
        .into_iter()
        .map(|(member, device, signer, issued_at)| LinkFact {
            member,
            device,
            signer,
            issued_at,
        })
        .collect();
    let retirements = read("device_retirements")?
        .into_iter()
        .map(|(member, device, signer, issued_at)| RetirementFact {
            member,
            device,
            signer,
            issued_at,
        })
        .collect();
    Ok((links, retirements))
}

/// The invites coordinators in office marked as a member's new device: the
/// earliest word for each invite.
pub(crate) fn replacements(
    conn: &Connection,
    ctx: &Ctx,
    who: &Authority,
) -> Result<BTreeMap<InviteId, MemberKey>> {
    let mut stmt = conn.prepare_cached(concat!(
        "SELECT invite_id, member_key FROM replacements
          WHERE community = ?1 AND ",
        in_office!("signer", "issued_at", "?2"),
        " ORDER BY issued_at DESC, signer DESC, member_key DESC"
    ))?;
    let rows = stmt
        .query_map(params![ctx.community.to_string(), office_json(who)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // Newest first, so the earliest is inserted last and stays.
    let mut out = BTreeMap::new();
    for (invite, member) in rows {
        out.insert(parse(&invite, "invite id")?, key_of(&member)?);
    }
    Ok(out)
}

/// A member's devices, as a coordinator sees them.
pub(crate) fn device_views(
    who: &Authority,
    cards: &[MemberKey],
    member: &MemberKey,
) -> Vec<DeviceView> {
    who.keys_of(member)
        .into_iter()
        .map(|key| DeviceView {
            device: key.key_id().to_string(),
            linked_at: who.devices.get(&key).map(|(_, at)| *at),
            retired_at: who.retired_at(&key),
            card: cards.contains(&key),
        })
        .collect()
}

impl Engine {
    /// An invite for the new phone of the member with fingerprint `member`
    /// (coordinators only, not for a coordinator's own phone). With
    /// `retire`, the member's devices are taken away first: nothing they
    /// sign from now on counts, and they are refused on the network. The
    /// balance and history stay the member's; the new phone shows them once
    /// it is confirmed and has synced.
    pub fn replace_device(&mut self, member: &str, retire: bool) -> Result<OpenInvite> {
        let ctx = self.ctx()?;
        let who = self.require_coordinator(&ctx)?;
        let (member, role) = who
            .members
            .iter()
            .find(|(key, _)| key.key_id().to_string() == member.trim())
            .map(|(key, m)| (*key, m.role))
            .ok_or(Refused::NotFound(Missing::Member))?;
        if who.office.contains_key(&member) {
            return Err(Refused::CoordinatorDevice.into());
        }
        let invite = self.create_invite(role, 1)?;
        let now = self.signing_time(&ctx)?;
        let mut doc = self.stage(DocId::community(ctx.community))?;
        if retire {
            for device in who.keys_of(&member) {
                if who.retired_at(&device).is_some() {
                    continue;
                }
                let retirement = DeviceRetirement {
                    community: ctx.community,
                    member,
                    device,
                    issued_at: now,
                };
                doc.put(
                    DEVICE_RETIREMENT.key(device.to_hex()),
                    &Signed::seal(&self.key, &retirement),
                )?;
            }
        }
        let replacement = Replacement {
            community: ctx.community,
            invite: invite.id,
            member,
            issued_at: now,
        };
        doc.put(
            REPLACEMENT.key(invite.id),
            &Signed::seal(&self.key, &replacement),
        )?;
        self.commit(vec![doc], &[])?;
        Ok(invite)
    }

    /// Links to their member the devices that joined with an invite marked
    /// for a member's new device: those waiting, and those a coordinator's
    /// device that did not yet know confirmed as members of their own
    /// (the link supersedes that membership). Judged as any join: a whole
    /// invite of a coordinator in office, not withdrawn, not expired by
    /// this device's clock, within its use limit. Returns how many.
    pub(crate) fn link_replacements(&mut self, ctx: &Ctx) -> Result<u32> {
        let who = self.authority(ctx)?;
        let marked = replacements(&self.conn, ctx, &who)?;
        if marked.is_empty() {
            return Ok(0);
        }
        let now = self.now();
        let state = members::InviteState::load(&self.conn, ctx, &who)?;
        let mut link = Vec::new();
        for join in members::valid_joins(&self.conn, ctx, &who)? {
            let Some(invite) = join.valid.invite else {
                continue;
            };
            let Some(member) = marked.get(&invite) else {
                continue;
            };
            if join.member == *member
                || who.devices.contains_key(&join.member)
                || who.is_revoked(&join.member)
                || who.retired_at(&join.member).is_some()
                || who.office.contains_key(&join.member)
            {
                continue;
            }
            // A device already confirmed with the invite used it: the use
            // limit only holds back those still waiting.
            let confirmed = who.members.contains_key(&join.member);
            if !confirmed && join.valid.needs_approval(now, &state).is_some() {
                continue;
            }
            link.push((*member, join.member));
        }
        self.sign_links(ctx, &link)
    }

    /// Signs a link for each `(member, device)`.
    pub(crate) fn sign_links(&mut self, ctx: &Ctx, link: &[(MemberKey, MemberKey)]) -> Result<u32> {
        if link.is_empty() {
            return Ok(0);
        }
        let at = self.signing_time(ctx)?;
        let mut doc = self.stage(DocId::community(ctx.community))?;
        for (member, device) in link {
            let record = DeviceLink {
                community: ctx.community,
                member: *member,
                device: *device,
                issued_at: at,
            };
            doc.put(
                DEVICE_LINK.key(device.to_hex()),
                &Signed::seal(&self.key, &record),
            )?;
        }
        self.commit(vec![doc], &[])?;
        Ok(link.len() as u32)
    }
}
