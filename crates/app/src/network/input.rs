//! What administrators type about the network: a place, an organisation (with its verified
//! email domains). Each group of fields is checked by its own function writing into one
//! `Problems`, so a form reports every problem at once.

use lz_domain::{clean_line, email::is_domain, PlaceKind, Sector, Slug};

use crate::{AppError, AppResult, Problems};

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PlaceInput {
    pub name: String,
    #[serde(default)]
    pub slug: String,
    pub kind: String,
    #[serde(default)]
    pub gss_code: String,
    #[serde(default)]
    pub summary: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct OrganisationInput {
    pub name: String,
    #[serde(default)]
    pub slug: String,
    pub sector: String,
    #[serde(default)]
    pub place_id: String,
    /// Email domains, separated by commas, spaces or new lines.
    #[serde(default)]
    pub domains: String,
}

pub(crate) struct ValidPlace {
    pub name: String,
    pub slug: String,
    pub kind: PlaceKind,
    pub gss_code: Option<String>,
    pub summary: String,
}

pub(crate) struct ValidOrganisation {
    pub name: String,
    pub slug: String,
    pub sector: Sector,
    pub domains: Vec<String>,
}

const SLUG_PROBLEM: &str =
    "Web address name must use only lower-case letters, numbers and single hyphens";

/// The name, and the web address name typed or derived from it.
fn name_and_slug(
    problems: &mut Problems,
    name: &str,
    slug: &str,
    max_chars: usize,
) -> (Option<String>, Option<Slug>) {
    let name = problems.check("name", clean_line(name, "a name", max_chars));
    let slug = if slug.trim().is_empty() {
        name.as_deref().and_then(Slug::from_name)
    } else {
        Slug::parse(slug)
    };
    if slug.is_none() && name.is_some() {
        problems.add("slug", SLUG_PROBLEM);
    }
    (name, slug)
}

/// A GSS code like E06000008, or nothing.
fn gss_code(problems: &mut Problems, raw: &str) -> Option<String> {
    let gss = raw.trim();
    let ok = gss.is_empty()
        || (gss.len() == 9 && gss.starts_with('E') && gss[1..].chars().all(|c| c.is_ascii_digit()));
    if !ok {
        problems.add(
            "gss_code",
            "GSS code must look like E06000008 (or be left empty)",
        );
    }
    (!gss.is_empty()).then(|| gss.to_string())
}

impl PlaceInput {
    pub(crate) fn validate(&self) -> AppResult<ValidPlace> {
        let mut problems = Problems::default();
        let (name, slug) = name_and_slug(&mut problems, &self.name, &self.slug, 120);
        let kind = PlaceKind::parse(&self.kind);
        if kind.is_none() {
            problems.add("kind", "Select the kind of place");
        }
        let gss_code = gss_code(&mut problems, &self.gss_code);
        if self.summary.chars().count() > 2000 {
            problems.add("summary", "Summary must be 2000 characters or fewer");
        }
        problems.into_result()?;
        match (name, slug, kind) {
            (Some(name), Some(slug), Some(kind)) => Ok(ValidPlace {
                name,
                slug: slug.to_string(),
                kind,
                gss_code,
                summary: self.summary.trim().to_string(),
            }),
            _ => Err(AppError::internal("validated place missing fields")),
        }
    }
}

impl OrganisationInput {
    /// Checks every field but the place, which needs the database: `place_known` says
    /// whether the place typed (if any) exists.
    pub(crate) fn validate(&self, place_known: bool) -> AppResult<ValidOrganisation> {
        let mut problems = Problems::default();
        let (name, slug) = name_and_slug(&mut problems, &self.name, &self.slug, 160);
        let sector = Sector::parse(&self.sector);
        if sector.is_none() {
            problems.add("sector", "Select the organisation's sector");
        }
        if !place_known {
            problems.add("place_id", "Select a place from the list");
        }
        let domains = problems.check("domains", parse_domains(&self.domains));
        problems.into_result()?;
        match (name, slug, sector, domains) {
            (Some(name), Some(slug), Some(sector), Some(domains)) => Ok(ValidOrganisation {
                name,
                slug: slug.to_string(),
                sector,
                domains,
            }),
            _ => Err(AppError::internal("validated organisation missing fields")),
        }
    }
}

/// Domains shared by many organisations: none of them can join people to one.
const SHARED_DOMAINS: &[&str] = &[
    "gmail.com",
    "outlook.com",
    "hotmail.com",
    "yahoo.com",
    "yahoo.co.uk",
    "icloud.com",
    "nhs.net",
    "gov.uk",
    "nhs.uk",
];

/// Email domains separated by commas, spaces, semicolons or new lines; a leading `@` is
/// dropped and duplicates are kept once.
pub fn parse_domains(raw: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for d in raw
        .split([',', ' ', '\n', '\r', '\t', ';'])
        .map(|d| d.trim().trim_start_matches('@').to_lowercase())
    {
        if d.is_empty() {
            continue;
        }
        if !is_domain(&d) {
            return Err(format!("{d:?} is not an email domain like council.gov.uk"));
        }
        if SHARED_DOMAINS.contains(&d.as_str()) {
            return Err(format!(
                "{d} is shared by many organisations, so it cannot join people to one"
            ));
        }
        if !out.contains(&d) {
            out.push(d);
        }
    }
    if out.len() > 20 {
        return Err("List at most 20 email domains".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(err: AppError) -> Vec<&'static str> {
        match err {
            AppError::Invalid(errs) => errs.into_iter().map(|e| e.field).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_place_gets_its_slug_from_its_name() {
        let input = PlaceInput {
            name: "Blackburn with Darwen".into(),
            kind: "se".into(),
            ..PlaceInput::default()
        };
        let place = input.validate().expect("valid");
        assert_eq!(place.slug, "blackburn-with-darwen");
        assert_eq!(place.gss_code, None);
    }

    #[test]
    fn a_place_reports_every_bad_field() {
        let input = PlaceInput {
            name: "Fylde".into(),
            slug: "Not A Slug".into(),
            kind: "county".into(),
            gss_code: "X123".into(),
            summary: "x".repeat(2001),
        };
        assert_eq!(
            fields(input.validate().err().expect("invalid")),
            vec!["slug", "kind", "gss_code", "summary"]
        );
    }

    #[test]
    fn an_organisation_needs_a_known_place_and_a_sector() {
        let input = OrganisationInput {
            name: "Blackpool Council".into(),
            sector: "bank".into(),
            place_id: "p-unknown".into(),
            ..OrganisationInput::default()
        };
        assert_eq!(
            fields(input.validate(false).err().expect("invalid")),
            vec!["sector", "place_id"]
        );
    }

    #[test]
    fn domains_are_cleaned_and_shared_ones_refused() {
        assert_eq!(
            parse_domains("@Blackpool.gov.uk, blackpool.gov.uk\nfylde.gov.uk"),
            Ok(vec!["blackpool.gov.uk".into(), "fylde.gov.uk".into()])
        );
        assert!(parse_domains("gmail.com").is_err());
        assert!(parse_domains("not a domain!").is_err());
    }
}
