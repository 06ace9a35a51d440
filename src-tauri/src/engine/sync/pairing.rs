//! This device as a hub: the pairing code it shows, and its short form.

use chrono::{DateTime, Utc};
use nabo_shared::codes::QrView;
use nabo_shared::sync::{KnownHub, PairingCode, ShortCode, SyncProblem};

use crate::engine::error::Result;
use crate::engine::{qr, Engine};

impl Engine {
    /// The pairing code for this device's hub listening on `port` at `addresses`.
    pub fn pairing_code(&self, addresses: Vec<std::net::IpAddr>, port: u16) -> Result<PairingCode> {
        Ok(PairingCode {
            community: self.ctx()?.community,
            hub: self.device_key().key_id(),
            addresses,
            port,
        })
    }

    /// A pairing code as a QR code to show.
    pub fn pairing_qr(&self, code: &PairingCode) -> Result<QrView> {
        let text = code.encode();
        Ok(QrView {
            svg: qr::svg(&text)?,
            text,
            // A pairing code does not expire; it names the hub until it moves.
            expires_at: None,
            title: self
                .status()?
                .profile
                .map(|p| p.community_name)
                .unwrap_or_default(),
        })
    }
}

/// The short code of the first endpoint of a pairing code.
pub fn short_code(code: &PairingCode) -> Option<ShortCode> {
    code.endpoints().first().map(|endpoint| ShortCode {
        endpoint: *endpoint,
        hub: code.hub,
    })
}

pub(super) fn known_hub(
    code: &PairingCode,
    paired_at: DateTime<Utc>,
    last_attempt: Option<DateTime<Utc>>,
    last_sync: Option<DateTime<Utc>>,
    last_error: Option<SyncProblem>,
) -> KnownHub {
    KnownHub {
        key_id: code.hub.to_string(),
        name: None,
        endpoints: code.endpoints().iter().map(|e| e.to_string()).collect(),
        short_code: short_code(code).map(|c| c.to_string()).unwrap_or_default(),
        paired_at,
        last_attempt,
        last_sync,
        last_error,
    }
}
