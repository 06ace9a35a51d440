//! What this device remembers of other devices: the peers it synced with
//! and the hubs it paired with, for the sync screen.

use chrono::{DateTime, Utc};
use nabo_shared::api::Table;
use nabo_shared::crypto::{KeyId, MemberKey};
use nabo_shared::ids::CommunityId;
use nabo_shared::scan::Scanned;
use nabo_shared::sync::{
    KnownHub, PairingCode, PeerView, ShortCode, SyncProblem, SyncStatus, SyncTotals,
};
use rusqlite::params;

use super::pairing::known_hub;
use crate::engine::error::{Refused, Result};
use crate::engine::sql::ts;
use crate::engine::Engine;

impl Engine {
    /// Records how a sync with `peer` ended, for the sync screen.
    pub fn record_sync(
        &mut self,
        peer: &MemberKey,
        outcome: std::result::Result<&SyncTotals, SyncProblem>,
    ) -> Result<()> {
        let now = ts(self.now());
        let (error, totals) = match outcome {
            Ok(totals) => (
                None,
                Some(serde_json::to_string(totals).unwrap_or_default()),
            ),
            Err(problem) => (
                Some(serde_json::to_string(&problem).unwrap_or_default()),
                None,
            ),
        };
        self.conn.execute(
            "INSERT INTO peers(device, last_attempt, last_sync, last_error, last_totals)
             VALUES (?1, ?2, CASE WHEN ?3 IS NULL THEN ?2 END, ?3, COALESCE(?4, '{}'))
             ON CONFLICT(device) DO UPDATE SET
                last_attempt = excluded.last_attempt,
                last_sync = CASE WHEN ?3 IS NULL THEN ?2 ELSE peers.last_sync END,
                last_error = ?3,
                last_totals = COALESCE(?4, peers.last_totals)",
            params![peer.to_hex(), now, error, totals],
        )?;
        self.changed.insert(Table::Sync);
        Ok(())
    }

    /// Devices synced with, latest first.
    pub fn peers(&self) -> Result<Vec<PeerView>> {
        // Only a device in a community has peers.
        self.ctx()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT device, last_attempt, last_sync, last_error, last_totals
             FROM peers ORDER BY last_attempt DESC, device",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (device, attempt, sync, error, totals) in rows {
            let Some(key) = MemberKey::from_hex(&device) else {
                continue;
            };
            out.push(PeerView {
                device: key.key_id().to_string(),
                name: self.member_name(&key),
                last_sync: sync.as_deref().and_then(time),
                last_attempt: time(&attempt).unwrap_or_default(),
                last_error: error.and_then(|e| serde_json::from_str(&e).ok()),
                last_totals: serde_json::from_str(&totals).unwrap_or_default(),
            });
        }
        Ok(out)
    }

    /// Remembers a hub from its pairing QR code or typed short code.
    pub fn pair_hub(&mut self, text: &str) -> Result<KnownHub> {
        let ctx = self.ctx()?;
        let code = match ShortCode::parse(text) {
            Some(short) => short.pairing(ctx.community),
            None => match Scanned::parse(text) {
                Ok(Scanned::Pairing(code)) => code,
                Ok(other) => return Err(Refused::WrongKindOfCode(other.kind()).into()),
                Err(problem) if text.trim().starts_with(char::is_numeric) => {
                    log::debug!("not a pairing code ({problem}), nor a short code");
                    return Err(Refused::BadShortCode.into());
                }
                Err(problem) => return Err(Refused::UnreadableCode(problem).into()),
            },
        };
        self.remember_hub(&ctx.community, code)
    }

    pub(crate) fn remember_hub(
        &mut self,
        community: &CommunityId,
        code: PairingCode,
    ) -> Result<KnownHub> {
        if code.community != *community {
            return Err(Refused::HubOfOtherCommunity.into());
        }
        if code.hub == self.device_key().key_id() {
            // This device's own hub: nothing to pair.
            return Err(Refused::OwnHub.into());
        }
        let now = self.now();
        self.conn.execute(
            "INSERT INTO hubs(key_id, code, paired_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(key_id) DO UPDATE SET code = excluded.code",
            params![code.hub.to_string(), code.encode(), ts(now)],
        )?;
        self.changed.insert(Table::Sync);
        Ok(known_hub(&code, now, None, None, None))
    }

    /// Records how an attempt to sync with a paired hub ended.
    pub fn record_hub(
        &mut self,
        hub: &KeyId,
        outcome: std::result::Result<(), SyncProblem>,
    ) -> Result<()> {
        let now = ts(self.now());
        let error = outcome
            .err()
            .map(|p| serde_json::to_string(&p).unwrap_or_default());
        self.conn.execute(
            "UPDATE hubs SET last_attempt = ?2,
                last_sync = CASE WHEN ?3 IS NULL THEN ?2 ELSE last_sync END,
                last_error = ?3
             WHERE key_id = ?1",
            params![hub.to_string(), now, error],
        )?;
        self.changed.insert(Table::Sync);
        Ok(())
    }

    /// Forgets a paired hub.
    pub fn forget_hub(&mut self, key_id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM hubs WHERE key_id = ?1", [key_id])?;
        self.changed.insert(Table::Sync);
        Ok(())
    }

    /// Paired hubs with their pairing codes, newest first.
    pub fn hubs(&self) -> Result<Vec<(PairingCode, KnownHub)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT code, paired_at, last_attempt, last_sync, last_error
             FROM hubs ORDER BY paired_at DESC, key_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .filter_map(
                |(code, at, attempt, sync, error)| match Scanned::parse(&code) {
                    Ok(Scanned::Pairing(code)) => {
                        let mut hub = known_hub(
                            &code,
                            time(&at).unwrap_or_default(),
                            attempt.as_deref().and_then(time),
                            sync.as_deref().and_then(time),
                            error.and_then(|e| serde_json::from_str(&e).ok()),
                        );
                        hub.name = self.name_of_key_id(&code.hub);
                        Some((code, hub))
                    }
                    _ => None,
                },
            )
            .collect())
    }

    /// The name of the member whose device has this key id, if known.
    fn name_of_key_id(&self, id: &KeyId) -> Option<String> {
        let ctx = self.ctx().ok()?;
        let who = self.authority(&ctx).ok()?;
        who.members
            .keys()
            .chain(who.devices.keys())
            .find(|key| key.key_id() == *id)
            .and_then(|key| who.members.get(&who.identity(key)))
            .map(|m| m.name.clone())
    }

    /// The sync screen's lists (the hub part is filled in by whoever runs it).
    pub fn sync_status(&self) -> Result<SyncStatus> {
        Ok(SyncStatus {
            hub: None,
            hubs: self.hubs()?.into_iter().map(|(_, hub)| hub).collect(),
            peers: self.peers()?,
        })
    }
}

fn time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
