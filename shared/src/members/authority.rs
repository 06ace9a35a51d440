//! Who counts as what, decided over the merged records so every device that
//! holds the same records reaches the same verdict. The records are taken
//! in the order of their signing time, as one history:
//!
//! - **terms of office**: the founding key holds office from the start;
//!   anyone else from the moment a coordinator in office signs them a
//!   coordinator membership. What a key signs counts as a coordinator's
//!   while it is in office: after its term began, and outside the spans
//!   between a revocation of it and the reinstatement that ends it;
//! - **revoked**: a revocation or reinstatement counts only when its signer
//!   is in office at that moment (at the same moment a reinstatement is
//!   taken first, so the revocation wins). A revocation that would leave no
//!   coordinator in office counts for nothing: the last coordinator cannot
//!   be removed. A revoked coordinator's signatures made before the
//!   revocation keep counting, those after it do not;
//! - **confirmed members**: everyone with a membership signed by a
//!   coordinator in office at its signing time and not revoked now, with the
//!   name and role of their newest such membership (ties: the signer's key,
//!   then role and name, so two devices never pick differently).
//!
//! - **devices**: a member's identity is the key their membership names; a
//!   [`LinkFact`] signed by a coordinator in office makes another key act
//!   for them (the first link of a key counts; no chains: a key with
//!   devices linked to it is not linked itself, nor linked to a linked key;
//!   coordinators' keys are not linked), and a linked key's own membership
//!   (a coordinator's device that did not yet know the invite was for a
//!   member's new phone may have confirmed it as a member of its own) is
//!   superseded by the link. A [`RetirementFact`] takes a
//!   device of the member away from its signing time (the first counts).
//!
//! Because a word counts only once its signer's term began, nobody can
//! reach back before their own appointment, and the history has one
//! reading. Signing times are the signer's own claim, though: a
//! coordinator's device that is revoked (stolen, say) can still date what it
//! signs before its revocation; `THREAT-MODEL.md` says what that allows and
//! what limits it. A new coordinator's device signs no earlier than its
//! term's start (the engine sees to it), so a clock a little behind the
//! appointer's does not make its first records count for nothing.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use nabo_shared::crypto::{MemberKey, SigningKey};
//! use nabo_shared::members::authority::{Authority, MembershipFact};
//! use nabo_shared::members::Role;
//!
//! let founder = MemberKey::of(&SigningKey::from_bytes(&[1; 32]));
//! let amina = MemberKey::of(&SigningKey::from_bytes(&[2; 32]));
//! let at = Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap();
//! let made = MembershipFact { member: amina, name: "Amina".into(), role: Role::Resident, signer: founder, issued_at: at };
//! let who = Authority::compute(&[founder], &[made], &[]);
//! assert!(who.is_coordinator(&founder));
//! assert_eq!(who.member(&amina).map(|m| m.role), Some(Role::Resident));
//! ```

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::Role;
use crate::crypto::MemberKey;

/// A verified membership record, as the rule needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipFact {
    /// Whose membership.
    pub member: MemberKey,
    /// Their name in it.
    pub name: String,
    /// Their role in it.
    pub role: Role,
    /// Who signed it.
    pub signer: MemberKey,
    /// When it was signed.
    pub issued_at: DateTime<Utc>,
}

/// A verified revocation or reinstatement, as the rule needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationFact {
    /// Whose membership it withdraws or gives back.
    pub member: MemberKey,
    /// Who signed it.
    pub signer: MemberKey,
    /// When it was signed.
    pub issued_at: DateTime<Utc>,
    /// `true` for a reinstatement, `false` for a revocation.
    pub reinstates: bool,
}

/// A verified device link, as the rule needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkFact {
    /// The member (the key their membership names).
    pub member: MemberKey,
    /// The device that acts for them.
    pub device: MemberKey,
    /// Who signed it.
    pub signer: MemberKey,
    /// When it was signed.
    pub issued_at: DateTime<Utc>,
}

/// A verified device retirement, as the rule needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetirementFact {
    /// The member the device acts for.
    pub member: MemberKey,
    /// The lost device.
    pub device: MemberKey,
    /// Who signed it.
    pub signer: MemberKey,
    /// When it was signed.
    pub issued_at: DateTime<Utc>,
}

/// A confirmed member's current name and role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmed {
    /// Their name.
    pub name: String,
    /// Their role.
    pub role: Role,
}

/// A span in which a key was revoked: from a revocation to the
/// reinstatement that ended it (`None`: it still is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suspension {
    /// The revocation's signing time.
    pub from: DateTime<Utc>,
    /// The reinstatement's signing time, if any.
    pub until: Option<DateTime<Utc>>,
}

impl Suspension {
    /// Whether `at` falls inside the span.
    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        at >= self.from && self.until.is_none_or(|until| at < until)
    }
}

/// The verdict over one community's records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Authority {
    /// Every coordinator in office now.
    pub coordinators: BTreeSet<MemberKey>,
    /// Every key that ever held a coordinator's office, with the moment its
    /// term began (`None`: a founder, from the start).
    pub office: BTreeMap<MemberKey, Option<DateTime<Utc>>>,
    /// The spans in which a key (member or coordinator) was revoked: what a
    /// coordinator signed in them counts for nothing.
    pub suspensions: BTreeMap<MemberKey, Vec<Suspension>>,
    /// Every member or coordinator revoked now.
    pub revoked: BTreeSet<MemberKey>,
    /// Every confirmed member, by the key their membership names.
    pub members: BTreeMap<MemberKey, Confirmed>,
    /// Every linked device: the member it acts for and since when (retired
    /// ones too: what they signed before stays the member's).
    pub devices: BTreeMap<MemberKey, (MemberKey, DateTime<Utc>)>,
    /// Devices taken away, and from when.
    pub retired: BTreeMap<MemberKey, DateTime<Utc>>,
}

/// What happens at one moment of the history, in the order it is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Reinstate,
    Revoke,
    Appoint,
}

impl Authority {
    /// Computes the verdict. `founders` are the founding keys this device
    /// trusts (the one from its invite or its own founding, and the
    /// founding key of the community's genesis).
    pub fn compute(
        founders: &[MemberKey],
        memberships: &[MembershipFact],
        revocations: &[RevocationFact],
    ) -> Self {
        // One order for every device, whatever order the records came in.
        let mut events: Vec<(DateTime<Utc>, Step, MemberKey, MemberKey)> = revocations
            .iter()
            .map(|w| {
                let step = if w.reinstates {
                    Step::Reinstate
                } else {
                    Step::Revoke
                };
                (w.issued_at, step, w.signer, w.member)
            })
            .chain(
                memberships
                    .iter()
                    .filter(|m| m.role == Role::Coordinator)
                    .map(|m| (m.issued_at, Step::Appoint, m.signer, m.member)),
            )
            .collect();
        events.sort();
        events.dedup();

        let mut office: BTreeMap<MemberKey, Option<DateTime<Utc>>> =
            founders.iter().map(|f| (*f, None)).collect();
        let mut out: BTreeMap<MemberKey, DateTime<Utc>> = BTreeMap::new();
        let mut suspensions: BTreeMap<MemberKey, Vec<Suspension>> = BTreeMap::new();
        let serving =
            |office: &BTreeMap<MemberKey, Option<DateTime<Utc>>>,
             out: &BTreeMap<MemberKey, DateTime<Utc>>,
             key: &MemberKey| { office.contains_key(key) && !out.contains_key(key) };
        let mut i = 0;
        while i < events.len() {
            let at = events[i].0;
            let end = events[i..]
                .iter()
                .position(|e| e.0 != at)
                .map_or(events.len(), |n| i + n);
            let moment = &events[i..end];
            for &(_, step, signer, member) in moment.iter().filter(|e| e.1 != Step::Appoint) {
                if !serving(&office, &out, &signer) {
                    continue;
                }
                match step {
                    Step::Reinstate => {
                        if let Some(from) = out.remove(&member) {
                            suspensions.entry(member).or_default().push(Suspension {
                                from,
                                until: Some(at),
                            });
                        }
                    }
                    Step::Revoke => {
                        let last = serving(&office, &out, &member)
                            && !office.keys().any(|k| *k != member && !out.contains_key(k));
                        if !last && !out.contains_key(&member) {
                            out.insert(member, at);
                        }
                    }
                    Step::Appoint => {}
                }
            }
            // Appointments at one moment may build on each other.
            loop {
                let mut grew = false;
                for &(_, _, signer, member) in moment.iter().filter(|e| e.1 == Step::Appoint) {
                    if serving(&office, &out, &signer)
                        && !office.contains_key(&member)
                        && !out.contains_key(&member)
                    {
                        office.insert(member, Some(at));
                        grew = true;
                    }
                }
                if !grew {
                    break;
                }
            }
            i = end;
        }
        for (key, from) in &out {
            suspensions.entry(*key).or_default().push(Suspension {
                from: *from,
                until: None,
            });
        }
        let revoked: BTreeSet<MemberKey> = out.keys().copied().collect();
        let coordinators = office
            .keys()
            .filter(|k| !revoked.contains(k))
            .copied()
            .collect();
        let mut who = Self {
            coordinators,
            office,
            suspensions,
            revoked,
            members: BTreeMap::new(),
            devices: BTreeMap::new(),
            retired: BTreeMap::new(),
        };
        let mut newest: BTreeMap<MemberKey, &MembershipFact> = BTreeMap::new();
        for m in memberships {
            if !who.in_office_at(&m.signer, m.issued_at) || who.revoked.contains(&m.member) {
                continue;
            }
            let order = |m: &MembershipFact| (m.issued_at, m.signer, m.role, m.name.clone());
            match newest.get(&m.member) {
                Some(current) if order(current) >= order(m) => {}
                _ => {
                    newest.insert(m.member, m);
                }
            }
        }
        who.members = newest
            .into_iter()
            .map(|(key, m)| {
                let confirmed = Confirmed {
                    name: m.name.clone(),
                    role: m.role,
                };
                (key, confirmed)
            })
            .collect();
        who
    }

    /// Adds the devices rule (see the module docs) to a verdict.
    pub fn with_devices(mut self, links: &[LinkFact], retirements: &[RetirementFact]) -> Self {
        let mut links: Vec<&LinkFact> = links
            .iter()
            .filter(|l| {
                l.member != l.device
                    && self.in_office_at(&l.signer, l.issued_at)
                    && !self.office.contains_key(&l.member)
                    && !self.office.contains_key(&l.device)
                    && (self.members.contains_key(&l.member) || self.revoked.contains(&l.member))
            })
            .collect();
        links.sort_by_key(|l| (l.issued_at, l.signer, l.device, l.member));
        for l in links {
            let taken = |key: &MemberKey| {
                self.devices.contains_key(key) || self.devices.values().any(|(m, _)| m == key)
            };
            if self.devices.contains_key(&l.member) || taken(&l.device) {
                continue;
            }
            self.devices.insert(l.device, (l.member, l.issued_at));
        }
        for device in self.devices.keys() {
            self.members.remove(device);
        }
        let mut retirements: Vec<&RetirementFact> = retirements
            .iter()
            .filter(|r| {
                self.in_office_at(&r.signer, r.issued_at)
                    && !self.office.contains_key(&r.device)
                    && self.identity(&r.device) == r.member
                    && (self.members.contains_key(&r.member) || self.revoked.contains(&r.member))
            })
            .collect();
        retirements.sort_by_key(|r| (r.issued_at, r.signer, r.device));
        for r in retirements {
            self.retired.entry(r.device).or_insert(r.issued_at);
        }
        self
    }

    /// The member `key` acts for: the member it is linked to, or itself.
    pub fn identity(&self, key: &MemberKey) -> MemberKey {
        self.devices.get(key).map_or(*key, |(member, _)| *member)
    }

    /// Every key of `member`: the one they joined with, then their linked
    /// devices by link time (retired ones too).
    pub fn keys_of(&self, member: &MemberKey) -> Vec<MemberKey> {
        let mut linked: Vec<(DateTime<Utc>, MemberKey)> = self
            .devices
            .iter()
            .filter(|(_, (m, _))| m == member)
            .map(|(device, (_, at))| (*at, *device))
            .collect();
        linked.sort();
        std::iter::once(*member)
            .chain(linked.into_iter().map(|(_, device)| device))
            .collect()
    }

    /// When a coordinator took the device `key` away, if one did.
    pub fn retired_at(&self, key: &MemberKey) -> Option<DateTime<Utc>> {
        self.retired.get(key).copied()
    }

    /// Whether `key` may no longer act: its member was removed, or the
    /// device itself was taken away.
    pub fn shut_out(&self, key: &MemberKey) -> bool {
        self.retired.contains_key(key) || self.revoked.contains(&self.identity(key))
    }

    /// Every key that acts for a confirmed member now (not retired).
    pub fn active_keys(&self) -> BTreeSet<MemberKey> {
        self.members
            .keys()
            .copied()
            .chain(
                self.devices
                    .iter()
                    .filter(|(_, (m, _))| self.members.contains_key(m))
                    .map(|(device, _)| *device),
            )
            .filter(|key| !self.retired.contains_key(key))
            .collect()
    }

    /// Whether `key` is a coordinator in office now.
    pub fn is_coordinator(&self, key: &MemberKey) -> bool {
        self.coordinators.contains(key)
    }

    /// Whether `key` was revoked at `at`.
    pub fn suspended_at(&self, key: &MemberKey, at: DateTime<Utc>) -> bool {
        self.suspensions
            .get(key)
            .is_some_and(|spans| spans.iter().any(|s| s.covers(at)))
    }

    /// Whether `key` signed as a coordinator in office at `at`: what it
    /// signed then counts.
    pub fn in_office_at(&self, key: &MemberKey, at: DateTime<Utc>) -> bool {
        self.office
            .get(key)
            .is_some_and(|since| since.is_none_or(|since| at >= since))
            && !self.suspended_at(key, at)
    }

    /// When `key`'s term began, if it holds one (`None` inside: a founder).
    pub fn term_start(&self, key: &MemberKey) -> Option<Option<DateTime<Utc>>> {
        self.office.get(key).copied()
    }

    /// The coordinators in office at `at`.
    pub fn coordinators_at(&self, at: DateTime<Utc>) -> BTreeSet<MemberKey> {
        self.office
            .keys()
            .filter(|key| self.in_office_at(key, at))
            .copied()
            .collect()
    }

    /// The confirmed membership `key` acts for, if it still may act.
    pub fn member(&self, key: &MemberKey) -> Option<&Confirmed> {
        if self.retired.contains_key(key) {
            return None;
        }
        self.members.get(&self.identity(key))
    }

    /// Whether the rule knows `key` as more than a join request: a member,
    /// a removed member, or a device of either.
    pub fn knows(&self, key: &MemberKey) -> bool {
        self.members.contains_key(key)
            || self.revoked.contains(key)
            || self.devices.contains_key(key)
    }

    /// Whether a coordinator revoked `key`.
    pub fn is_revoked(&self, key: &MemberKey) -> bool {
        self.revoked.contains(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SigningKey;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn key(i: u8) -> MemberKey {
        MemberKey::of(&SigningKey::from_bytes(&[i + 1; 32]))
    }

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap() + Duration::minutes(minute)
    }

    fn role(i: u8) -> Role {
        [Role::Resident, Role::Volunteer, Role::Coordinator][usize::from(i % 3)]
    }

    fn membership() -> impl Strategy<Value = MembershipFact> {
        (0u8..6, 0u8..6, 0u8..3, 0i64..5, 0u8..3).prop_map(|(m, s, r, t, n)| MembershipFact {
            member: key(m),
            name: format!("name {n}"),
            role: role(r),
            signer: key(s),
            issued_at: at(t),
        })
    }

    fn revocation() -> impl Strategy<Value = RevocationFact> {
        (0u8..6, 0u8..6, 0i64..5, any::<bool>()).prop_map(|(m, s, t, reinstates)| RevocationFact {
            member: key(m),
            signer: key(s),
            issued_at: at(t),
            reinstates,
        })
    }

    #[test]
    fn a_reinstatement_supersedes_an_older_revocation_and_a_newer_one_wins_again() {
        let (founder, amina) = (key(0), key(1));
        let word = |minute, reinstates| RevocationFact {
            member: amina,
            signer: founder,
            issued_at: at(minute),
            reinstates,
        };
        let member = [MembershipFact {
            member: amina,
            name: "Amina".into(),
            role: Role::Resident,
            signer: founder,
            issued_at: at(0),
        }];
        let who = |words: &[RevocationFact]| Authority::compute(&[founder], &member, words);
        assert!(who(&[word(1, false)]).is_revoked(&amina));
        assert!(!who(&[word(1, false), word(2, true)]).is_revoked(&amina));
        assert!(who(&[word(1, false), word(2, true), word(3, false)]).is_revoked(&amina));
        // At the same moment, the revocation wins.
        assert!(who(&[word(2, true), word(2, false)]).is_revoked(&amina));
        // A deleted revocation is not a reinstatement: only a new word counts.
        assert!(who(&[word(1, false)]).member(&amina).is_none());
    }

    #[test]
    fn a_coordinator_made_by_a_coordinator_makes_members() {
        let (founder, sara, amina) = (key(0), key(1), key(2));
        let made = |member, role, signer| MembershipFact {
            member,
            name: "x".into(),
            role,
            signer,
            issued_at: at(0),
        };
        // Listed before the record that makes Sara a coordinator: order
        // does not matter.
        let records = [
            made(amina, Role::Resident, sara),
            made(sara, Role::Coordinator, founder),
        ];
        let who = Authority::compute(&[founder], &records, &[]);
        assert!(who.is_coordinator(&sara));
        assert!(who.member(&amina).is_some());
    }

    #[test]
    fn a_membership_signed_by_a_resident_counts_for_nothing() {
        let (founder, amina, yusuf) = (key(0), key(1), key(2));
        let records = [
            MembershipFact {
                member: amina,
                name: "Amina".into(),
                role: Role::Resident,
                signer: founder,
                issued_at: at(0),
            },
            MembershipFact {
                member: yusuf,
                name: "Yusuf".into(),
                role: Role::Coordinator,
                signer: amina,
                issued_at: at(1),
            },
        ];
        let who = Authority::compute(&[founder], &records, &[]);
        assert!(!who.is_coordinator(&yusuf));
        assert!(who.member(&yusuf).is_none());
    }

    #[test]
    fn the_newest_membership_names_the_member() {
        let (founder, amina) = (key(0), key(1));
        let version = |minute, role: Role| MembershipFact {
            member: amina,
            name: format!("Amina {minute}"),
            role,
            signer: founder,
            issued_at: at(minute),
        };
        let who = Authority::compute(
            &[founder],
            &[version(3, Role::Volunteer), version(1, Role::Resident)],
            &[],
        );
        assert_eq!(
            who.member(&amina),
            Some(&Confirmed {
                name: "Amina 3".into(),
                role: Role::Volunteer
            })
        );
    }

    #[test]
    fn a_revoked_coordinator_signs_nothing_that_counts_after_the_revocation() {
        let (founder, sara, amina, yusuf) = (key(0), key(1), key(2), key(3));
        let made = |member, role, signer, minute| MembershipFact {
            member,
            name: "x".into(),
            role,
            signer,
            issued_at: at(minute),
        };
        let memberships = [
            made(sara, Role::Coordinator, founder, 0),
            // Before Sara's removal: counts.
            made(amina, Role::Resident, sara, 1),
            // After it: counts for nothing.
            made(yusuf, Role::Coordinator, sara, 3),
        ];
        let removed = RevocationFact {
            member: sara,
            signer: founder,
            issued_at: at(2),
            reinstates: false,
        };
        let who = Authority::compute(&[founder], &memberships, std::slice::from_ref(&removed));
        assert!(!who.is_coordinator(&sara));
        assert!(who.is_revoked(&sara));
        assert!(who.member(&amina).is_some());
        assert!(!who.is_coordinator(&yusuf));
        assert!(who.member(&yusuf).is_none());
        assert!(who.in_office_at(&sara, at(1)));
        assert!(!who.in_office_at(&sara, at(2)));
        assert_eq!(who.coordinators_at(at(1)), BTreeSet::from([founder, sara]));
        assert_eq!(who.coordinators_at(at(4)), BTreeSet::from([founder]));

        // Sara, removed, cannot remove the founder in turn; given access
        // again, her word counts from then on.
        let back = RevocationFact {
            member: sara,
            signer: founder,
            issued_at: at(4),
            reinstates: true,
        };
        let coup = RevocationFact {
            member: founder,
            signer: sara,
            issued_at: at(3),
            reinstates: false,
        };
        let who = Authority::compute(&[founder], &memberships, &[removed.clone(), coup]);
        assert!(who.is_coordinator(&founder));
        let who = Authority::compute(&[founder], &memberships, &[removed, back]);
        assert!(who.is_coordinator(&sara));
        assert!(
            !who.in_office_at(&sara, at(3)),
            "her word while removed still counts for nothing"
        );
        assert!(who.in_office_at(&sara, at(5)));
    }

    #[test]
    fn the_last_coordinator_cannot_be_removed() {
        let (founder, sara) = (key(0), key(1));
        let word = |member, signer, minute| RevocationFact {
            member,
            signer,
            issued_at: at(minute),
            reinstates: false,
        };
        // Alone, the founder cannot remove itself.
        let who = Authority::compute(&[founder], &[], &[word(founder, founder, 1)]);
        assert!(who.is_coordinator(&founder));
        // With Sara in office, either may remove the other, but not both:
        // the second word would leave nobody.
        let sara_made = [MembershipFact {
            member: sara,
            name: "Sara".into(),
            role: Role::Coordinator,
            signer: founder,
            issued_at: at(0),
        }];
        let who = Authority::compute(&[founder], &sara_made, &[word(founder, sara, 1)]);
        assert!(!who.is_coordinator(&founder));
        assert!(who.is_coordinator(&sara));
        let who = Authority::compute(
            &[founder],
            &sara_made,
            &[word(founder, sara, 1), word(sara, sara, 2)],
        );
        assert_eq!(who.coordinators, BTreeSet::from([sara]));
    }

    fn link(member: MemberKey, device: MemberKey, signer: MemberKey, minute: i64) -> LinkFact {
        LinkFact {
            member,
            device,
            signer,
            issued_at: at(minute),
        }
    }

    fn retire(
        member: MemberKey,
        device: MemberKey,
        signer: MemberKey,
        minute: i64,
    ) -> RetirementFact {
        RetirementFact {
            member,
            device,
            signer,
            issued_at: at(minute),
        }
    }

    /// The founder (key 0), a coordinator Sara (1), residents Amina (2)
    /// and Omar (3).
    fn community() -> Authority {
        let made = |member, role| MembershipFact {
            member,
            name: format!("{member:?}"),
            role,
            signer: key(0),
            issued_at: at(0),
        };
        Authority::compute(
            &[key(0)],
            &[
                made(key(1), Role::Coordinator),
                made(key(2), Role::Resident),
                made(key(3), Role::Resident),
            ],
            &[],
        )
    }

    #[test]
    fn a_linked_phone_acts_for_its_member_until_it_is_retired() {
        let (founder, amina, phone) = (key(0), key(2), key(4));
        let who = community().with_devices(
            &[link(amina, phone, founder, 1)],
            &[retire(amina, amina, founder, 1)],
        );
        assert_eq!(who.identity(&phone), amina);
        assert_eq!(who.member(&phone).map(|m| m.role), Some(Role::Resident));
        assert!(who.member(&amina).is_none(), "the lost phone acts no more");
        assert!(who.shut_out(&amina) && !who.shut_out(&phone));
        assert_eq!(who.keys_of(&amina), vec![amina, phone]);
        assert!(who.active_keys().contains(&phone) && !who.active_keys().contains(&amina));
        assert_eq!(who.retired_at(&amina), Some(at(1)));
        // Removing the member shuts out every phone of theirs.
        let removed = RevocationFact {
            member: amina,
            signer: founder,
            issued_at: at(2),
            reinstates: false,
        };
        let made = MembershipFact {
            member: amina,
            name: "Amina".into(),
            role: Role::Resident,
            signer: founder,
            issued_at: at(0),
        };
        let who = Authority::compute(&[founder], &[made], &[removed])
            .with_devices(&[link(amina, phone, founder, 1)], &[]);
        assert!(who.shut_out(&phone) && who.member(&phone).is_none());
        assert_eq!(who.identity(&phone), amina, "her history stays hers");
    }

    #[test]
    fn only_a_coordinators_first_word_links_or_retires_and_never_across_members() {
        let (founder, sara, amina, omar, phone, other) =
            (key(0), key(1), key(2), key(3), key(4), key(5));
        // A resident's link, a link of a coordinator's key, a link to a key
        // that is itself linked, and a second link of the same phone.
        let who = community().with_devices(
            &[
                link(amina, other, amina, 1),
                link(amina, sara, founder, 1),
                link(omar, phone, founder, 2),
                link(phone, other, founder, 3),
                link(amina, phone, founder, 4),
            ],
            &[
                // A resident cannot retire a phone; a coordinator cannot
                // retire a phone as another member's.
                retire(omar, omar, amina, 5),
                retire(amina, phone, founder, 5),
                retire(sara, sara, founder, 5),
            ],
        );
        assert_eq!(who.identity(&other), other);
        assert_eq!(who.identity(&sara), sara);
        assert_eq!(who.identity(&phone), omar, "the first link counts");
        assert!(who.retired.is_empty(), "{:?}", who.retired);
        // A key confirmed as a member of its own before the link arrived
        // (a hub that did not know the invite was for a new phone) is the
        // member's phone from then on.
        let who = community().with_devices(&[link(amina, omar, founder, 1)], &[]);
        assert_eq!(who.identity(&omar), amina);
        assert!(who.member(&omar).is_some() && !who.members.contains_key(&omar));
        let who = community().with_devices(
            &[link(omar, phone, founder, 1), link(amina, omar, founder, 2)],
            &[],
        );
        assert_eq!(
            who.identity(&omar),
            omar,
            "Omar has a phone of his own linked"
        );
    }

    proptest! {
        #[test]
        fn device_links_and_retirements_reach_one_verdict_whatever_the_order(
            links in proptest::collection::vec((0u8..6, 0u8..8, 0u8..4, 0i64..5), 0..10),
            retirements in proptest::collection::vec((0u8..6, 0u8..8, 0u8..4, 0i64..5), 0..6),
        ) {
            let links: Vec<LinkFact> = links
                .into_iter()
                .map(|(m, d, s, t)| link(key(m), key(d), key(s), t))
                .collect();
            let retirements: Vec<RetirementFact> = retirements
                .into_iter()
                .map(|(m, d, s, t)| retire(key(m), key(d), key(s), t))
                .collect();
            let who = community().with_devices(&links, &retirements);
            let mut l = links.clone();
            l.reverse();
            let mut r = retirements.clone();
            r.reverse();
            prop_assert_eq!(&community().with_devices(&l, &r), &who);
            // No chains, no coordinators linked, every link to a member.
            for (device, (member, _)) in &who.devices {
                prop_assert!(!who.devices.contains_key(member));
                prop_assert!(!who.office.contains_key(device));
                prop_assert!(!who.members.contains_key(device));
                prop_assert!(who.members.contains_key(member) || who.revoked.contains(member));
            }
            // A retired key never acts.
            for device in who.retired.keys() {
                prop_assert!(who.member(device).is_none());
                prop_assert!(!who.active_keys().contains(device));
            }
        }
    }

    proptest! {
        #[test]
        fn the_verdict_follows_the_rules_whatever_the_order(
            founders in proptest::collection::vec(0u8..6, 1..3),
            memberships in proptest::collection::vec(membership(), 0..14),
            revocations in proptest::collection::vec(revocation(), 0..4),
            seed in any::<u64>(),
        ) {
            let founders: Vec<MemberKey> = founders.into_iter().map(key).collect();
            let who = Authority::compute(&founders, &memberships, &revocations);

            // The same records in another order give the same verdict.
            let mut shuffled = memberships.clone();
            let n = shuffled.len().max(1) as u64;
            shuffled.rotate_left((seed % n) as usize);
            shuffled.reverse();
            let mut revs = revocations.clone();
            revs.reverse();
            prop_assert_eq!(&Authority::compute(&founders, &shuffled, &revs), &who);

            // Founders hold office from the start; everyone else from an
            // appointment by a holder in office at that moment.
            for f in &founders {
                prop_assert_eq!(who.term_start(f), Some(None));
            }
            for (c, since) in &who.office {
                let Some(since) = since else {
                    prop_assert!(founders.contains(c));
                    continue;
                };
                let made = memberships.iter().any(|m| {
                    m.member == *c
                        && m.role == Role::Coordinator
                        && m.issued_at == *since
                        && who.in_office_at(&m.signer, m.issued_at)
                });
                prop_assert!(made, "{c:?} holds no office");
            }
            // Closed: nobody a holder in office made coordinator, while not
            // revoked, is left out.
            for m in &memberships {
                if m.role == Role::Coordinator
                    && who.in_office_at(&m.signer, m.issued_at)
                    && !who.suspended_at(&m.member, m.issued_at)
                {
                    prop_assert!(who.office.contains_key(&m.member));
                }
            }
            // Never without a coordinator; those in office now are the
            // holders not revoked.
            prop_assert!(!who.coordinators.is_empty());
            for c in who.office.keys() {
                prop_assert_eq!(who.is_coordinator(c), !who.is_revoked(c));
            }
            // Revoked members are not members.
            for r in &who.revoked {
                prop_assert!(who.member(r).is_none());
            }
            // A member who is no coordinator, spoken of only by founders
            // never revoked: the newest word decides (at the same moment,
            // the revocation).
            let steady = |k: &MemberKey| {
                who.term_start(k) == Some(None) && !who.suspensions.contains_key(k)
            };
            for member in revocations.iter().map(|r| r.member) {
                if who.office.contains_key(&member) {
                    continue;
                }
                let words: Vec<&RevocationFact> = revocations
                    .iter()
                    .filter(|v| v.member == member && who.office.contains_key(&v.signer))
                    .collect();
                if !words.iter().all(|v| steady(&v.signer)) {
                    continue;
                }
                let newest = words.iter().map(|v| (v.issued_at, !v.reinstates)).max();
                prop_assert_eq!(who.is_revoked(&member), newest.is_some_and(|(_, revokes)| revokes));
            }
            // A member's name and role come from the newest membership a
            // coordinator in office signed.
            for (member, confirmed) in &who.members {
                let newest = memberships
                    .iter()
                    .filter(|m| m.member == *member && who.in_office_at(&m.signer, m.issued_at))
                    .max_by_key(|m| (m.issued_at, m.signer, m.role, m.name.clone()))
                    .expect("a member has a membership");
                prop_assert_eq!(&confirmed.name, &newest.name);
                prop_assert_eq!(confirmed.role, newest.role);
            }
            for m in &memberships {
                if who.in_office_at(&m.signer, m.issued_at) && !who.is_revoked(&m.member) {
                    prop_assert!(who.member(&m.member).is_some());
                }
            }
        }
    }
}
