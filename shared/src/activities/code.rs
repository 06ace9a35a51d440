//! The rotating check-in code on a coordinator's screen, and the rule that
//! decides whether a scanned one is acceptable. The QR (`nabo:c2:…`) holds
//! the code and the activity's [`Label`] (its title and reward, signed by
//! the same coordinator), so a phone that has not synced yet can say what it
//! checked in to. A code alone (`nabo:c1:…`, as earlier versions showed) is
//! still accepted.
//!
//! A printed poster carries a *standing* code instead: the same QR format,
//! with the window [`STANDING_WINDOW`] and a signature under a domain of its
//! own, valid at any time. Since anyone can photograph a poster, a check-in
//! made with one earns nothing until a coordinator approves it.

use std::collections::BTreeSet;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::codes::{encode, CHECKIN_CODE_ONLY, CHECKIN_KIND, CHECKIN_VERSION};
use crate::crypto::{sign, KeyId, MemberKey, Signature, SigningKey};
use crate::ids::{ActivityId, CommunityId};

/// A check-in code is valid for one window of this many seconds.
pub const WINDOW_SECS: i64 = 30;

const CHECKIN_DOMAIN: &str = "nabo/checkin-code/v1";
/// A standing code is signed under its own domain, so a rotating code can
/// never be turned into one (or back) by changing its window.
const STANDING_DOMAIN: &str = "nabo/poster-code/v1";

/// The window of a poster's standing code: it names no time at all.
pub const STANDING_WINDOW: u32 = u32::MAX;
const LABEL_DOMAIN: &str = "nabo/activity-label/v1";

/// The longest title a check-in QR carries (longer ones are cut), so the
/// code stays coarse enough for cheap cameras.
pub const LABEL_TITLE_CHARS: usize = 40;

/// How many windows late a code may be scanned: the one just replaced is
/// still accepted, so a code that rotates while the phone focuses still works.
pub const GRACE_WINDOWS: u32 = 1;

/// The window number a moment falls in.
pub fn window_of(t: DateTime<Utc>) -> u32 {
    u32::try_from(t.timestamp().div_euclid(WINDOW_SECS)).unwrap_or(0)
}

/// When a window starts.
pub fn window_start(window: u32) -> DateTime<Utc> {
    Utc.timestamp_opt(i64::from(window) * WINDOW_SECS, 0)
        .single()
        .unwrap_or_default()
}

#[derive(Serialize)]
struct CheckinBody<'a> {
    community: &'a CommunityId,
    activity: &'a ActivityId,
    window: u32,
    key_id: &'a KeyId,
}

/// The code on a coordinator's check-in screen. It changes every
/// [`WINDOW_SECS`] seconds so a photo of it is useless a minute later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinCode {
    /// The community.
    pub community: CommunityId,
    /// The activity being checked in to.
    pub activity: ActivityId,
    /// The time window it is valid for (see [`window_of`]).
    pub window: u32,
    /// Fingerprint of the coordinator key that signed it.
    pub key_id: KeyId,
    /// The coordinator's signature over the fields above.
    pub sig: Signature,
}

impl CheckinCode {
    /// Signs the code for `now`'s window.
    pub fn issue(
        key: &SigningKey,
        community: CommunityId,
        activity: ActivityId,
        now: DateTime<Utc>,
    ) -> Self {
        Self::signed(key, community, activity, window_of(now))
    }

    /// Signs the standing code printed on an activity's poster: valid at
    /// any time, and a check-in made with it waits for a coordinator.
    pub fn standing(key: &SigningKey, community: CommunityId, activity: ActivityId) -> Self {
        Self::signed(key, community, activity, STANDING_WINDOW)
    }

    fn signed(key: &SigningKey, community: CommunityId, activity: ActivityId, window: u32) -> Self {
        let key_id = MemberKey::of(key).key_id();
        let sig = sign(
            key,
            domain_of(window),
            &checkin_body(&community, &activity, window, &key_id),
        );
        Self {
            community,
            activity,
            window,
            key_id,
            sig,
        }
    }

    /// Whether this is a poster's standing code.
    pub fn is_standing(&self) -> bool {
        self.window == STANDING_WINDOW
    }

    /// Whether `signer` made this code.
    pub fn signed_by(&self, signer: &MemberKey) -> bool {
        signer.key_id() == self.key_id
            && signer
                .verify(
                    domain_of(self.window),
                    &checkin_body(&self.community, &self.activity, self.window, &self.key_id),
                    &self.sig,
                )
                .is_ok()
    }

    /// When this code stops being shown.
    pub fn expires_at(&self) -> DateTime<Utc> {
        window_start(self.window.saturating_add(1))
    }

    /// The code alone as QR text, as earlier versions showed it
    /// (`nabo:c1:`).
    pub fn encode(&self) -> String {
        encode(CHECKIN_KIND, CHECKIN_CODE_ONLY, self)
    }
}

/// What an activity is, as a check-in QR names it: its title (at most
/// [`LABEL_TITLE_CHARS`]) and reward, signed by the coordinator who signed
/// the code, so the label cannot be swapped onto another activity's code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// The title.
    pub title: String,
    /// The points per check-in.
    pub reward: u32,
    /// The coordinator's signature over the activity id, title and reward.
    pub sig: Signature,
}

#[derive(Serialize)]
struct LabelBody<'a> {
    community: &'a CommunityId,
    activity: &'a ActivityId,
    title: &'a str,
    reward: u32,
}

/// A check-in QR: the code and, since the second format, its activity's
/// label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinQrCode {
    /// The code.
    pub code: CheckinCode,
    /// The activity's label (`None` for a code alone).
    pub label: Option<Label>,
}

impl CheckinQrCode {
    /// The code with its activity's label, signed with the same key.
    pub fn labelled(key: &SigningKey, code: CheckinCode, title: &str, reward: u32) -> Self {
        let title: String = title.chars().take(LABEL_TITLE_CHARS).collect();
        let sig = sign(
            key,
            LABEL_DOMAIN,
            &label_body(&code.community, &code.activity, &title, reward),
        );
        Self {
            code,
            label: Some(Label { title, reward, sig }),
        }
    }

    /// The label, if the signer of the code signed it too.
    pub fn label_by(&self, signer: &MemberKey) -> Option<&Label> {
        self.label.as_ref().filter(|l| {
            signer
                .verify(
                    LABEL_DOMAIN,
                    &label_body(
                        &self.code.community,
                        &self.code.activity,
                        &l.title,
                        l.reward,
                    ),
                    &l.sig,
                )
                .is_ok()
        })
    }

    /// The text put in the QR code (`nabo:c2:`).
    pub fn encode(&self) -> String {
        match &self.label {
            Some(label) => encode(CHECKIN_KIND, CHECKIN_VERSION, &(&self.code, label)),
            None => self.code.encode(),
        }
    }
}

fn label_body(c: &CommunityId, a: &ActivityId, title: &str, reward: u32) -> Vec<u8> {
    let body = LabelBody {
        community: c,
        activity: a,
        title,
        reward,
    };
    postcard::to_allocvec(&body).expect("code bodies always serialize")
}

/// The domain a code of `window` is signed under.
fn domain_of(window: u32) -> &'static str {
    if window == STANDING_WINDOW {
        STANDING_DOMAIN
    } else {
        CHECKIN_DOMAIN
    }
}

fn checkin_body(c: &CommunityId, a: &ActivityId, window: u32, key_id: &KeyId) -> Vec<u8> {
    let body = CheckinBody {
        community: c,
        activity: a,
        window,
        key_id,
    };
    postcard::to_allocvec(&body).expect("code bodies always serialize")
}

/// Why a scanned check-in code is refused. Each has its own message in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CheckinRejection {
    /// The code belongs to another community.
    #[error("the code is for another neighbourhood")]
    ForeignCommunity,
    /// No coordinator this device knows has that key.
    #[error("the code was not made by a coordinator")]
    UnknownSigner,
    /// The key is known but the signature does not match: forged or altered.
    #[error("the code is forged or altered")]
    BadSignature,
    /// The code's window has passed.
    #[error("the code has expired")]
    Expired,
    /// The code is from the future: one of the clocks is wrong.
    #[error("the code is not valid yet")]
    NotYetValid,
    /// This member already checked in to this activity today.
    #[error("already checked in today")]
    AlreadyCheckedIn,
    /// The activity is not known on this device.
    #[error("unknown activity")]
    UnknownActivity,
}

/// What a device knows when it checks a code.
#[derive(Debug, Clone, Copy)]
pub struct CodeContext<'a> {
    /// The device's community.
    pub community: CommunityId,
    /// The keys of every current coordinator this device knows.
    pub coordinators: &'a BTreeSet<MemberKey>,
    /// The moment of the scan.
    pub now: DateTime<Utc>,
}

/// Checks a scanned code: community, signer, signature, then time (a
/// standing code names none). Returns the coordinator who signed it.
pub fn verify_checkin_code(
    code: &CheckinCode,
    ctx: &CodeContext<'_>,
) -> Result<MemberKey, CheckinRejection> {
    if code.community != ctx.community {
        return Err(CheckinRejection::ForeignCommunity);
    }
    let signer = ctx
        .coordinators
        .iter()
        .find(|k| k.key_id() == code.key_id)
        .ok_or(CheckinRejection::UnknownSigner)?;
    if !code.signed_by(signer) {
        return Err(CheckinRejection::BadSignature);
    }
    if code.is_standing() {
        return Ok(*signer);
    }
    let now = window_of(ctx.now);
    if code.window.saturating_add(GRACE_WINDOWS) < now {
        return Err(CheckinRejection::Expired);
    }
    // A phone whose clock is a window behind the coordinator's still works.
    if code.window > now.saturating_add(GRACE_WINDOWS) {
        return Err(CheckinRejection::NotYetValid);
    }
    Ok(*signer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Scanned;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    use chrono::Duration;
    use proptest::prelude::*;

    fn coordinator() -> SigningKey {
        SigningKey::from_bytes(&[7; 32])
    }

    fn community() -> CommunityId {
        CommunityId::from_bytes([1; 16])
    }

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, h, m, s).unwrap()
    }

    fn code_at(t: DateTime<Utc>) -> CheckinCode {
        CheckinCode::issue(
            &coordinator(),
            community(),
            ActivityId::from_bytes([2; 16]),
            t,
        )
    }

    fn check(code: &CheckinCode, now: DateTime<Utc>) -> Result<MemberKey, CheckinRejection> {
        let keys = BTreeSet::from([MemberKey::of(&coordinator())]);
        verify_checkin_code(
            code,
            &CodeContext {
                community: community(),
                coordinators: &keys,
                now,
            },
        )
    }

    #[test]
    fn a_checkin_code_round_trips_through_text_and_is_compact() {
        let c = code_at(at(18, 0, 5));
        let text = c.encode();
        assert!(text.len() < 180, "{}", text.len());
        assert_eq!(
            Scanned::parse(&text),
            Ok(Scanned::Checkin(CheckinQrCode {
                code: c.clone(),
                label: None
            }))
        );
        // With its label, a long title is cut and the QR stays small.
        let qr = CheckinQrCode::labelled(
            &coordinator(),
            c,
            &"Lektiecafé for hele opgangen ".repeat(4),
            10,
        );
        let text = qr.encode();
        assert!(
            text.starts_with("nabo:c2:") && text.len() < 300,
            "{}",
            text.len()
        );
        assert_eq!(Scanned::parse(&text), Ok(Scanned::Checkin(qr.clone())));
        let signer = MemberKey::of(&coordinator());
        assert_eq!(qr.label_by(&signer).map(|l| l.reward), Some(10));
        assert_eq!(
            qr.label_by(&signer).map(|l| l.title.chars().count()),
            Some(LABEL_TITLE_CHARS)
        );
    }

    #[test]
    fn a_label_moved_onto_another_activitys_code_does_not_verify() {
        let signer = MemberKey::of(&coordinator());
        let lektie =
            CheckinQrCode::labelled(&coordinator(), code_at(at(18, 0, 5)), "Lektiecafé", 10);
        let mut other = code_at(at(18, 0, 5));
        other.activity = ActivityId::from_bytes([9; 16]);
        let moved = CheckinQrCode {
            code: other,
            label: lektie.label.clone(),
        };
        assert!(moved.label_by(&signer).is_none());
        let mut richer = lektie.clone();
        if let Some(l) = richer.label.as_mut() {
            l.reward = 1000;
        }
        assert!(richer.label_by(&signer).is_none());
        assert!(lektie
            .label_by(&MemberKey::of(&SigningKey::from_bytes(&[8; 32])))
            .is_none());
    }

    #[test]
    fn a_code_is_valid_until_its_window_ends() {
        let now = at(18, 0, 5);
        let c = code_at(now);
        assert_eq!(c.expires_at(), window_start(window_of(now) + 1));
        assert!(c.expires_at() > now);
    }

    #[test]
    fn a_fresh_code_from_a_coordinator_is_accepted() {
        assert_eq!(
            check(&code_at(at(18, 0, 0)), at(18, 0, 10)),
            Ok(MemberKey::of(&coordinator()))
        );
    }

    #[test]
    fn the_previous_window_is_still_accepted_but_not_older() {
        let code = code_at(at(18, 0, 0));
        assert!(check(&code, at(18, 0, 45)).is_ok());
        assert_eq!(check(&code, at(18, 1, 0)), Err(CheckinRejection::Expired));
        assert_eq!(check(&code, at(19, 0, 0)), Err(CheckinRejection::Expired));
    }

    #[test]
    fn a_code_from_the_future_is_refused() {
        assert_eq!(
            check(&code_at(at(18, 5, 0)), at(18, 0, 0)),
            Err(CheckinRejection::NotYetValid)
        );
    }

    #[test]
    fn a_code_from_another_community_is_foreign() {
        let code = CheckinCode::issue(
            &coordinator(),
            CommunityId::from_bytes([9; 16]),
            ActivityId::from_bytes([2; 16]),
            at(18, 0, 0),
        );
        assert_eq!(
            check(&code, at(18, 0, 1)),
            Err(CheckinRejection::ForeignCommunity)
        );
    }

    #[test]
    fn a_code_signed_by_a_stranger_is_refused() {
        let stranger = SigningKey::from_bytes(&[8; 32]);
        let code = CheckinCode::issue(
            &stranger,
            community(),
            ActivityId::from_bytes([2; 16]),
            at(18, 0, 0),
        );
        assert_eq!(
            check(&code, at(18, 0, 1)),
            Err(CheckinRejection::UnknownSigner)
        );
    }

    #[test]
    fn a_forged_code_with_a_coordinators_key_id_is_refused() {
        let mut code = code_at(at(18, 0, 0));
        code.activity = ActivityId::from_bytes([3; 16]);
        assert_eq!(
            check(&code, at(18, 0, 1)),
            Err(CheckinRejection::BadSignature)
        );
    }

    #[test]
    fn a_standing_code_is_valid_at_any_time_and_says_so() {
        let poster =
            CheckinCode::standing(&coordinator(), community(), ActivityId::from_bytes([2; 16]));
        assert!(poster.is_standing());
        assert!(!code_at(at(18, 0, 0)).is_standing());
        for now in [
            at(0, 0, 0),
            at(23, 59, 59),
            at(18, 0, 0) + Duration::days(4000),
        ] {
            assert_eq!(check(&poster, now), Ok(MemberKey::of(&coordinator())));
        }
        // It round-trips through the check-in QR's text like any code.
        let qr = CheckinQrCode::labelled(&coordinator(), poster.clone(), "Strikkecafé", 5);
        assert_eq!(Scanned::parse(&qr.encode()), Ok(Scanned::Checkin(qr)));
    }

    #[test]
    fn a_rotating_code_cannot_be_made_standing_nor_a_standing_one_rotating() {
        // Changing the window moves the code into the other domain, where
        // the signature does not verify.
        let mut forever = code_at(at(18, 0, 0));
        forever.window = STANDING_WINDOW;
        assert_eq!(
            check(&forever, at(18, 0, 1)),
            Err(CheckinRejection::BadSignature)
        );
        let mut dated =
            CheckinCode::standing(&coordinator(), community(), ActivityId::from_bytes([2; 16]));
        dated.window = window_of(at(18, 0, 0));
        assert_eq!(
            check(&dated, at(18, 0, 1)),
            Err(CheckinRejection::BadSignature)
        );
        // A standing code still names its community, activity and signer.
        let stranger = CheckinCode::standing(
            &SigningKey::from_bytes(&[8; 32]),
            community(),
            ActivityId::from_bytes([2; 16]),
        );
        assert_eq!(
            check(&stranger, at(18, 0, 1)),
            Err(CheckinRejection::UnknownSigner)
        );
        let foreign = CheckinCode::standing(
            &coordinator(),
            CommunityId::from_bytes([9; 16]),
            ActivityId::from_bytes([2; 16]),
        );
        assert_eq!(
            check(&foreign, at(18, 0, 1)),
            Err(CheckinRejection::ForeignCommunity)
        );
        let mut moved =
            CheckinCode::standing(&coordinator(), community(), ActivityId::from_bytes([2; 16]));
        moved.activity = ActivityId::from_bytes([3; 16]);
        assert_eq!(
            check(&moved, at(18, 0, 1)),
            Err(CheckinRejection::BadSignature)
        );
    }

    proptest! {
        #[test]
        fn codes_are_accepted_exactly_within_their_grace(offset in -200i64..200) {
            let issued = at(18, 0, 0);
            let code = code_at(issued);
            let now = issued + Duration::seconds(offset);
            let result = check(&code, now);
            let delta = i64::from(window_of(now)) - i64::from(code.window);
            if (-1..=1).contains(&delta) {
                prop_assert!(result.is_ok());
            } else if delta > 1 {
                prop_assert_eq!(result, Err(CheckinRejection::Expired));
            } else {
                prop_assert_eq!(result, Err(CheckinRejection::NotYetValid));
            }
        }

        #[test]
        fn every_single_bit_flip_is_caught(bit in 0usize..(120 * 8)) {
            // Flip one bit of the signed body: it either fails to decode or no
            // longer verifies. It never passes as a valid code.
            let c = code_at(at(18, 0, 5));
            let mut bytes = postcard::to_allocvec(&c).unwrap();
            prop_assume!(bit / 8 < bytes.len());
            bytes[bit / 8] ^= 1 << (bit % 8);
            let text = format!("nabo:c1:{}", URL_SAFE_NO_PAD.encode(&bytes));
            if let Ok(Scanned::Checkin(tampered)) = Scanned::parse(&text) {
                prop_assert!(!tampered.code.signed_by(&MemberKey::of(&coordinator())));
            }
        }
    }
}
