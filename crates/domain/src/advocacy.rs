//! Advocacy: collections of evidence (an advocacy pack such as the manifesto, or a narrative
//! for the region or one place), which evidence may go into a pack for its audience and why
//! the rest is left out, and how long a share link lives. No I/O.

use crate::evidence::EvidenceStatus;
use crate::library::Visibility;
use crate::network::code_enum;

code_enum!(
    /// What a collection is for.
    CollectionKind {
        Pack = "pack" / "Advocacy pack",
        Narrative = "narrative" / "Narrative",
    }
);

code_enum!(
    /// Where a collection is: curators work on a draft; a published one is read by its
    /// audience.
    CollectionStatus {
        Draft = "draft" / "Draft",
        Published = "published" / "Published",
    }
);

/// Who a collection (and so its pack) is for. A pack only holds evidence its audience may
/// see; share links are for public packs only, since whoever holds the link reads it.
pub const AUDIENCES: [Visibility; 3] = [
    Visibility::Public,
    Visibility::Network,
    Visibility::Organisation,
];

/// The audience in words, for the form and the pack page.
pub fn audience_label(v: Visibility) -> &'static str {
    match v {
        Visibility::Public => "Anyone, including decision makers outside the network",
        Visibility::Network => "Signed-in partners of the network",
        Visibility::Place | Visibility::Organisation => "Members of the curator's organisation",
    }
}

/// How widely something may be seen, widest first.
fn breadth(v: Visibility) -> u8 {
    match v {
        Visibility::Public => 3,
        Visibility::Network => 2,
        Visibility::Place => 1,
        Visibility::Organisation => 0,
    }
}

/// May something visible as `inner` be shown to everyone who may see `outer`? (Evidence
/// drawn from an item cannot be seen more widely than the item.)
pub fn within(inner: Visibility, outer: Visibility) -> bool {
    breadth(inner) >= breadth(outer)
}

/// Why a chosen record is not in the pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeftOut {
    /// Deleted since it was chosen.
    Deleted,
    /// Not (or no longer) published: drafts and checked records are not evidence yet.
    NotPublished,
    /// Seen by fewer people than the pack's audience.
    NarrowerThanAudience,
    /// Kept to another organisation than the collection's.
    OtherOrganisation,
}

impl LeftOut {
    pub fn reason(self) -> &'static str {
        match self {
            LeftOut::Deleted => "the record has been deleted",
            LeftOut::NotPublished => {
                "the record is not published yet (it needs checking and publishing)"
            }
            LeftOut::NarrowerThanAudience => {
                "the record may be seen by fewer people than this pack's audience"
            }
            LeftOut::OtherOrganisation => "the record is kept to another organisation",
        }
    }
}

/// A chosen record as the pack rule sees it.
pub struct Candidate<'a> {
    pub deleted: bool,
    pub status: EvidenceStatus,
    pub visibility: Visibility,
    pub organisation_id: Option<&'a str>,
}

/// Whether a chosen record goes into a pack for `audience` (of a collection owned by
/// `organisation_id`), or why not.
pub fn admit(
    c: &Candidate<'_>,
    audience: Visibility,
    organisation_id: Option<&str>,
) -> Result<(), LeftOut> {
    if c.deleted {
        return Err(LeftOut::Deleted);
    }
    if c.status != EvidenceStatus::Published {
        return Err(LeftOut::NotPublished);
    }
    if !within(c.visibility, audience) {
        return Err(LeftOut::NarrowerThanAudience);
    }
    if matches!(c.visibility, Visibility::Organisation | Visibility::Place)
        && (c.organisation_id.is_none() || c.organisation_id != organisation_id)
    {
        return Err(LeftOut::OtherOrganisation);
    }
    Ok(())
}

/// Share links last from one day to a year; 30 days unless the curator says otherwise.
pub const SHARE_DAYS_DEFAULT: i64 = 30;
pub const SHARE_DAYS_MAX: i64 = 365;

/// The number of days a share link lasts, as typed.
pub fn read_share_days(raw: &str) -> Result<i64, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(SHARE_DAYS_DEFAULT);
    }
    match raw.parse::<i64>() {
        Ok(n @ 1..=SHARE_DAYS_MAX) => Ok(n),
        _ => Err("Enter how many days the link lasts, a whole number from 1 to 365"),
    }
}

/// What a share link's holder finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareState {
    Open,
    Revoked,
    Expired,
}

pub fn share_state(revoked_at: Option<i64>, expires_at: i64, now: i64) -> ShareState {
    if revoked_at.is_some() {
        ShareState::Revoked
    } else if now >= expires_at {
        ShareState::Expired
    } else {
        ShareState::Open
    }
}

/// The largest figure worth a slide: the measure's value with its unit ("17 %", "£2.40",
/// "1,200 people"); none when the record has no value.
pub fn figure(value: Option<&str>, unit: &str) -> Option<String> {
    let value = value?.trim();
    if value.is_empty() {
        return None;
    }
    let unit = unit.trim();
    Some(match unit {
        "" => value.to_string(),
        "%" => format!("{value}%"),
        _ if unit.starts_with('%') => format!("{value}{unit}"),
        "£" => format!("£{value}"),
        _ if unit.starts_with('£') => format!("£{value} {}", unit.trim_start_matches('£').trim()),
        _ => format!("{value} {unit}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(status: EvidenceStatus, visibility: Visibility, org: Option<&str>) -> Candidate<'_> {
        Candidate {
            deleted: false,
            status,
            visibility,
            organisation_id: org,
        }
    }

    #[test]
    fn a_pack_holds_only_published_evidence_its_audience_may_see() {
        use EvidenceStatus::*;
        use Visibility::*;
        let public = cand(Published, Public, None);
        let network = cand(Published, Network, None);
        let own_org = cand(Published, Organisation, Some("o1"));
        let other_org = cand(Published, Organisation, Some("o2"));
        assert_eq!(admit(&public, Public, None), Ok(()));
        assert_eq!(
            admit(&network, Public, None),
            Err(LeftOut::NarrowerThanAudience)
        );
        assert_eq!(admit(&network, Network, None), Ok(()));
        assert_eq!(
            admit(&own_org, Network, Some("o1")),
            Err(LeftOut::NarrowerThanAudience)
        );
        assert_eq!(admit(&own_org, Organisation, Some("o1")), Ok(()));
        assert_eq!(
            admit(&other_org, Organisation, Some("o1")),
            Err(LeftOut::OtherOrganisation)
        );
        assert_eq!(
            admit(&cand(Checked, Public, None), Public, None),
            Err(LeftOut::NotPublished)
        );
        assert_eq!(
            admit(&cand(Draft, Public, None), Network, None),
            Err(LeftOut::NotPublished)
        );
        let gone = Candidate {
            deleted: true,
            ..cand(Published, Public, None)
        };
        assert_eq!(admit(&gone, Public, None), Err(LeftOut::Deleted));
    }

    #[test]
    fn evidence_cannot_be_seen_more_widely_than_its_source() {
        assert!(within(Visibility::Public, Visibility::Network));
        assert!(within(Visibility::Network, Visibility::Network));
        assert!(!within(Visibility::Organisation, Visibility::Public));
        assert!(!within(Visibility::Place, Visibility::Network));
    }

    #[test]
    fn share_links_last_one_day_to_a_year() {
        assert_eq!(read_share_days(""), Ok(30));
        assert_eq!(read_share_days(" 7 "), Ok(7));
        for bad in ["0", "366", "-1", "ten", "1.5", "99999999999999999999"] {
            assert!(read_share_days(bad).is_err(), "{bad}");
        }
        assert_eq!(share_state(None, 10, 9), ShareState::Open);
        assert_eq!(share_state(None, 10, 10), ShareState::Expired);
        assert_eq!(share_state(Some(1), 10, 5), ShareState::Revoked);
    }

    #[test]
    fn figures_read_as_people_write_them() {
        assert_eq!(figure(Some("17"), "%").as_deref(), Some("17%"));
        assert_eq!(figure(Some("2.40"), "£").as_deref(), Some("£2.40"));
        assert_eq!(
            figure(Some("1,200"), "people").as_deref(),
            Some("1,200 people")
        );
        assert_eq!(figure(Some("3"), "").as_deref(), Some("3"));
        assert_eq!(figure(Some("20"), "% fewer").as_deref(), Some("20% fewer"));
        assert_eq!(figure(None, "%"), None);
        assert_eq!(figure(Some(" "), "%"), None);
    }
}
