//! The network's shape: places (with a kind, since an NHS "place" is not a Sport England
//! Place Partnership), organisations by sector, slugs, and membership states.

use std::fmt;

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),+ } }
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == s.trim())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.label()) }
        }
    };
}
pub(crate) use code_enum;

code_enum!(
    /// What kind of "place" this is.
    PlaceKind {
        SportEngland = "se" / "Sport England place partnership",
        LocalDeliveryPilot = "ldp" / "Local Delivery Pilot",
        UniversalOffer = "uo" / "Universal Offer place",
        NhsLocality = "ics" / "NHS place-based partnership (locality)",
        Local = "local" / "Local partnership",
    }
);

code_enum!(
    /// The sector an organisation belongs to.
    Sector {
        Funder = "funder" / "Funder",
        ActivePartnership = "active_partnership" / "Active Partnership",
        NationalBody = "national_body" / "National body",
        Nhs = "nhs" / "NHS",
        LocalAuthority = "local_authority" / "Local authority",
        CombinedAuthority = "combined_authority" / "Combined authority",
        LeisureTrust = "leisure_trust" / "Leisure trust",
        Vcfse = "vcfse" / "Voluntary, community, faith or social enterprise",
        Research = "research" / "Research",
        Workforce = "workforce" / "Workforce body",
    }
);

code_enum!(
    /// A person's standing in an organisation.
    MembershipStatus {
        Pending = "pending" / "Waiting for approval",
        Active = "active" / "Member",
        Declined = "declined" / "Declined",
    }
);

/// URL-safe lower-case name: letters, digits and single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Option<Self> {
        let s = raw.trim();
        let ok = !s.is_empty()
            && s.len() <= 80
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        ok.then(|| Self(s.to_string()))
    }

    /// Derives a slug from a display name ("Blackburn with Darwen" → "blackburn-with-darwen").
    pub fn from_name(name: &str) -> Option<Self> {
        let mut out = String::new();
        for c in name.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let trimmed: String = out.trim_end_matches('-').chars().take(80).collect();
        Self::parse(trimmed.trim_end_matches('-'))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_names() {
        assert_eq!(
            Slug::from_name("Blackburn with Darwen").unwrap().as_str(),
            "blackburn-with-darwen"
        );
        assert_eq!(
            Slug::from_name("Pennine Lancashire (TaAF)")
                .unwrap()
                .as_str(),
            "pennine-lancashire-taaf"
        );
        assert!(Slug::parse("../etc").is_none());
        assert!(Slug::from_name("!!!").is_none());
    }

    #[test]
    fn codes_round_trip() {
        for k in PlaceKind::ALL {
            assert_eq!(PlaceKind::parse(k.code()), Some(*k));
        }
        assert_eq!(Sector::parse("nhs"), Some(Sector::Nhs));
        assert_eq!(Sector::parse("bank"), None);
    }
}
