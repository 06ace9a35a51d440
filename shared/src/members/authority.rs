//! Who counts as what, decided over the merged records so every device that
//! holds the same records reaches the same verdict:
//!
//! - **coordinators**: the founding key, then everyone a coordinator gave a
//!   coordinator membership, transitively;
//! - **revoked**: every member whose newest revocation or reinstatement
//!   signed by a coordinator is a revocation (at the same moment, the
//!   revocation wins);
//! - **confirmed members**: everyone with a membership signed by a
//!   coordinator and not revoked, with the name and role of their newest
//!   such membership (ties: the signer's key, then role and name, so two
//!   devices never pick differently).
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

/// A confirmed member's current name and role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmed {
    /// Their name.
    pub name: String,
    /// Their role.
    pub role: Role,
}

/// The verdict over one community's records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Authority {
    /// Every coordinator key.
    pub coordinators: BTreeSet<MemberKey>,
    /// Every member a coordinator revoked.
    pub revoked: BTreeSet<MemberKey>,
    /// Every confirmed member.
    pub members: BTreeMap<MemberKey, Confirmed>,
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
        let mut coordinators: BTreeSet<MemberKey> = founders.iter().copied().collect();
        // Transitive: a coordinator made by a coordinator makes others.
        loop {
            let before = coordinators.len();
            for m in memberships {
                if m.role == Role::Coordinator && coordinators.contains(&m.signer) {
                    coordinators.insert(m.member);
                }
            }
            if coordinators.len() == before {
                break;
            }
        }
        // Per member, the newest word of a coordinator; at the same moment a
        // revocation (reinstates = false) sorts last and wins.
        let mut newest: BTreeMap<MemberKey, (DateTime<Utc>, bool)> = BTreeMap::new();
        for r in revocations
            .iter()
            .filter(|r| coordinators.contains(&r.signer))
        {
            let word = (r.issued_at, !r.reinstates);
            let slot = newest.entry(r.member).or_insert(word);
            *slot = (*slot).max(word);
        }
        let revoked: BTreeSet<MemberKey> = newest
            .into_iter()
            .filter(|(_, (_, revokes))| *revokes)
            .map(|(member, _)| member)
            .collect();
        let mut newest: BTreeMap<MemberKey, &MembershipFact> = BTreeMap::new();
        for m in memberships {
            if !coordinators.contains(&m.signer) || revoked.contains(&m.member) {
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
        let members = newest
            .into_iter()
            .map(|(key, m)| {
                let confirmed = Confirmed {
                    name: m.name.clone(),
                    role: m.role,
                };
                (key, confirmed)
            })
            .collect();
        Self {
            coordinators,
            revoked,
            members,
        }
    }

    /// Whether `key` is a coordinator.
    pub fn is_coordinator(&self, key: &MemberKey) -> bool {
        self.coordinators.contains(key)
    }

    /// `key`'s confirmed membership, if any.
    pub fn member(&self, key: &MemberKey) -> Option<&Confirmed> {
        self.members.get(key)
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

            // Founders are coordinators; every other coordinator holds a
            // coordinator membership signed by a coordinator.
            for f in &founders {
                prop_assert!(who.is_coordinator(f));
            }
            for c in &who.coordinators {
                let made = memberships.iter().any(|m| {
                    m.member == *c && m.role == Role::Coordinator && who.is_coordinator(&m.signer)
                });
                prop_assert!(founders.contains(c) || made, "{c:?} is no coordinator");
            }
            // Closed: nobody a coordinator made coordinator is left out.
            for m in &memberships {
                if m.role == Role::Coordinator && who.is_coordinator(&m.signer) {
                    prop_assert!(who.is_coordinator(&m.member));
                }
            }
            // Revoked when a coordinator's newest word is a revocation;
            // revoked members are not members.
            for r in &who.revoked {
                prop_assert!(who.member(r).is_none());
            }
            for member in revocations.iter().map(|r| r.member) {
                let newest = revocations
                    .iter()
                    .filter(|v| v.member == member && who.is_coordinator(&v.signer))
                    .map(|v| (v.issued_at, !v.reinstates))
                    .max();
                prop_assert_eq!(who.is_revoked(&member), newest.is_some_and(|(_, revokes)| revokes));
            }
            // A member's name and role come from the newest membership a
            // coordinator signed.
            for (member, confirmed) in &who.members {
                let newest = memberships
                    .iter()
                    .filter(|m| m.member == *member && who.is_coordinator(&m.signer))
                    .max_by_key(|m| (m.issued_at, m.signer, m.role, m.name.clone()))
                    .expect("a member has a membership");
                prop_assert_eq!(&confirmed.name, &newest.name);
                prop_assert_eq!(confirmed.role, newest.role);
            }
            for m in &memberships {
                if who.is_coordinator(&m.signer) && !who.is_revoked(&m.member) {
                    prop_assert!(who.member(&m.member).is_some());
                }
            }
        }
    }
}
