//! Identifiers: UUIDv7, so that URLs carry no guessable sequence and rows sort by creation.

use std::fmt;
use std::str::FromStr;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Id(uuid::Uuid);

impl Id {
    pub fn new() -> Self {
        Self(uuid::Uuid::now_v7())
    }
    pub fn as_uuid(&self) -> uuid::Uuid {
        self.0
    }
}

impl Default for Id {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl FromStr for Id {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        uuid::Uuid::parse_str(s).map(Self)
    }
}

/// Declares an id newtype: text as stored (UUIDv7 for new rows), with a distinct type per
/// record so that passing an item's id where an event's is wanted does not compile.
macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A new, unique id (UUIDv7).
            pub fn generate() -> Self {
                Self(Id::new().to_string())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    )*};
}

typed_id!(
    /// A person's account.
    UserId,
    /// A partner organisation.
    OrgId,
    /// A place (a place partnership, a county, a borough).
    PlaceId,
    /// A library item.
    ItemId,
    /// A learning event.
    EventId,
    /// An evidence record.
    EvidenceId,
    /// A collection of evidence (an advocacy pack or a narrative).
    CollectionId,
    /// A section of a collection's outline.
    SectionId,
    /// A read-only share link to a collection's pack.
    ShareLinkId,
    /// A series of learning events.
    SeriesId,
    /// A person's (or a guest's) place at an event.
    RegistrationId,
    /// A delivery plan.
    PlanId,
    /// A work area of a delivery plan.
    WorkAreaId,
    /// An action of a delivery plan or of Executive minutes.
    ActionId,
    /// A taxonomy term (theme, topic).
    TermId,
    /// An attachment of a library item.
    AttachmentId,
    /// A person's membership of (or request to join) an organisation.
    MembershipId,
    /// A personal API token.
    ApiTokenId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_ids_are_text_on_the_wire_and_distinct_types() {
        let e = EventId::generate();
        assert!(e.as_str().parse::<Id>().is_ok(), "new ids are UUIDs");
        let json = serde_json::to_string(&e).expect("serialises");
        assert_eq!(json, format!("\"{e}\""));
        let back: EventId = serde_json::from_str(&json).expect("deserialises");
        assert_eq!(back, e);
        assert_eq!(ItemId::from("abc"), "abc");
    }
}
