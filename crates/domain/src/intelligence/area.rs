//! Areas by their ONS GSS code (E06000009 is Blackpool) and the kind of area a code names.

use std::fmt;
use std::str::FromStr;

/// An ONS GSS code: a letter E, W, S, N or K and eight digits (E06000009).
///
/// Stored upper case; lower-case input is accepted, since spreadsheets sometimes lower it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct GssCode(String);

/// The text that was not a GSS code (shortened if it was long).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a GSS code: a GSS code is a letter and eight digits, like E06000009")]
pub struct BadGssCode(pub String);

impl GssCode {
    pub fn parse(raw: &str) -> Result<GssCode, BadGssCode> {
        let s = raw.trim().to_ascii_uppercase();
        let b = s.as_bytes();
        let ok = b.len() == 9
            && matches!(b[0], b'E' | b'W' | b'S' | b'N' | b'K')
            && b[1..].iter().all(u8::is_ascii_digit);
        if ok {
            Ok(GssCode(s))
        } else {
            Err(BadGssCode(super::shorten(raw.trim(), 40)))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn area_type(&self) -> AreaType {
        AreaType::from_gss(self)
    }
}

impl fmt::Display for GssCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for GssCode {
    type Err = BadGssCode;
    fn from_str(s: &str) -> Result<GssCode, BadGssCode> {
        GssCode::parse(s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaType {
    Country,
    Region,
    CombinedAuthority,
    County,
    MetropolitanCounty,
    Unitary,
    District,
    MetropolitanDistrict,
    LondonBorough,
    Other,
}

impl AreaType {
    pub const ALL: [AreaType; 10] = [
        AreaType::Country,
        AreaType::Region,
        AreaType::CombinedAuthority,
        AreaType::County,
        AreaType::MetropolitanCounty,
        AreaType::Unitary,
        AreaType::District,
        AreaType::MetropolitanDistrict,
        AreaType::LondonBorough,
        AreaType::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AreaType::Country => "country",
            AreaType::Region => "region",
            AreaType::CombinedAuthority => "combined_authority",
            AreaType::County => "county",
            AreaType::MetropolitanCounty => "metropolitan_county",
            AreaType::Unitary => "unitary",
            AreaType::District => "district",
            AreaType::MetropolitanDistrict => "metropolitan_district",
            AreaType::LondonBorough => "london_borough",
            AreaType::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AreaType::Country => "Country",
            AreaType::Region => "Region",
            AreaType::CombinedAuthority => "Combined authority",
            AreaType::County => "County",
            AreaType::MetropolitanCounty => "Metropolitan county",
            AreaType::Unitary => "Unitary authority",
            AreaType::District => "District",
            // Metropolitan districts call themselves boroughs (Oldham, Knowsley).
            AreaType::MetropolitanDistrict => "Metropolitan borough",
            AreaType::LondonBorough => "London borough",
            AreaType::Other => "Other area",
        }
    }

    /// The code, or (case-insensitively) a label or a common published name for the type
    /// ("England", "Combined authorities", "Non-metropolitan district").
    pub fn parse(code: &str) -> Option<AreaType> {
        let s: String = code
            .trim()
            .to_lowercase()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        let s = s.split_whitespace().collect::<Vec<_>>().join("_");
        if let Some(t) = AreaType::ALL.into_iter().find(|t| t.code() == s) {
            return Some(t);
        }
        let t = match s.as_str() {
            "england" | "nation" | "countries" => AreaType::Country,
            "regions" | "government_office_region" | "government_office_regions" => {
                AreaType::Region
            }
            "combined_authorities" | "ca" => AreaType::CombinedAuthority,
            "county_council" | "counties" | "shire_county" => AreaType::County,
            "metropolitan_counties" => AreaType::MetropolitanCounty,
            "unitary_authority" | "unitary_authorities" | "ua" => AreaType::Unitary,
            "district_council" | "non_metropolitan_district" | "shire_district" => {
                AreaType::District
            }
            "metropolitan_borough" | "metropolitan_districts" => AreaType::MetropolitanDistrict,
            "london_boroughs" => AreaType::LondonBorough,
            "other_area" => AreaType::Other,
            _ => return None,
        };
        Some(t)
    }

    /// The type a code's three-character prefix (its entity code) stands for in England.
    pub fn from_gss(code: &GssCode) -> AreaType {
        match code.as_str().get(..3) {
            Some("E92") => AreaType::Country,
            Some("E12") => AreaType::Region,
            Some("E47") => AreaType::CombinedAuthority,
            Some("E10") => AreaType::County,
            Some("E11") => AreaType::MetropolitanCounty,
            Some("E06") => AreaType::Unitary,
            Some("E07") => AreaType::District,
            Some("E08") => AreaType::MetropolitanDistrict,
            Some("E09") => AreaType::LondonBorough,
            _ => AreaType::Other,
        }
    }
}
