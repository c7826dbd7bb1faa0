//! Typed evidence records made from store rows: a bad stored value is an error, never a
//! default.

use lz_domain::evidence::{EvidenceStatus, EvidenceType, Strength};
use lz_domain::ids::{EvidenceId, ItemId, OrgId, UserId};
use lz_domain::library::Visibility;
use lz_store::evidence::{EvidenceLinkRow, EvidenceRow};

use crate::{AppError, AppResult};

/// A measure: all optional as a group; numbers kept as the checked decimal text.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Measure {
    pub name: String,
    pub value: Option<String>,
    pub unit: String,
    pub baseline: Option<String>,
    pub period: String,
    pub sample_size: Option<i64>,
}

/// Where the claim comes from: a library item (with an optional page or section) or an
/// external publication.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EvidenceSource {
    Item {
        item_id: ItemId,
        title: String,
        locator: String,
    },
    External {
        title: String,
        publisher: String,
        date: Option<String>,
        url: String,
        licence: String,
    },
}

/// An agenda, place or organisation the record is linked to.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EvidenceLink {
    pub id: String,
    pub name: String,
    pub slug: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct EvidenceRecord {
    pub id: EvidenceId,
    pub claim: String,
    pub measure: Measure,
    pub source: EvidenceSource,
    pub evidence_type: EvidenceType,
    pub strength: Strength,
    pub consent_to_quote: bool,
    pub visibility: Visibility,
    pub organisation_id: Option<OrgId>,
    pub status: EvidenceStatus,
    pub created_by: UserId,
    pub created_by_name: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub checked_by: Option<UserId>,
    pub checked_by_name: Option<String>,
    pub checked_at: Option<i64>,
    pub published_at: Option<i64>,
    pub agendas: Vec<EvidenceLink>,
    pub places: Vec<EvidenceLink>,
    pub organisations: Vec<EvidenceLink>,
}

fn bad(id: &str, what: &str, value: impl std::fmt::Display) -> AppError {
    AppError::internal(format!("evidence {id}: bad stored {what} \"{value}\""))
}

impl TryFrom<EvidenceRow> for EvidenceRecord {
    type Error = AppError;
    fn try_from(r: EvidenceRow) -> AppResult<Self> {
        let id = r.id.clone();
        let source = match r.source_item_id {
            Some(item) => EvidenceSource::Item {
                item_id: ItemId::from(item),
                title: r.source_item_title.unwrap_or_default(),
                locator: r.source_locator,
            },
            None => EvidenceSource::External {
                title: r.source_title,
                publisher: r.source_publisher,
                date: r.source_date,
                url: r.source_url,
                licence: r.source_licence,
            },
        };
        Ok(Self {
            claim: r.claim,
            measure: Measure {
                name: r.measure_name,
                value: r.measure_value,
                unit: r.measure_unit,
                baseline: r.measure_baseline,
                period: r.measure_period,
                sample_size: r.sample_size,
            },
            source,
            evidence_type: EvidenceType::parse(&r.evidence_type)
                .ok_or_else(|| bad(&id, "type", &r.evidence_type))?,
            strength: Strength::parse(&r.strength.to_string())
                .map_err(|_| bad(&id, "strength", r.strength))?,
            consent_to_quote: r.consent_to_quote != 0,
            visibility: Visibility::parse(&r.visibility)
                .ok_or_else(|| bad(&id, "visibility", &r.visibility))?,
            organisation_id: r.organisation_id.map(OrgId::from),
            status: EvidenceStatus::parse(&r.status)
                .ok_or_else(|| bad(&id, "status", &r.status))?,
            created_by: UserId::from(r.created_by),
            created_by_name: r.created_by_name,
            created_at: r.created_at,
            updated_at: r.updated_at,
            checked_by: r.checked_by.map(UserId::from),
            checked_by_name: r.checked_by_name,
            checked_at: r.checked_at,
            published_at: r.published_at,
            agendas: vec![],
            places: vec![],
            organisations: vec![],
            id: EvidenceId::from(id),
        })
    }
}

/// Records from rows, each with its links.
pub(crate) fn records(
    rows: Vec<EvidenceRow>,
    links: Vec<EvidenceLinkRow>,
) -> AppResult<Vec<EvidenceRecord>> {
    let mut out = rows
        .into_iter()
        .map(EvidenceRecord::try_from)
        .collect::<AppResult<Vec<_>>>()?;
    for l in links {
        let Some(rec) = out.iter_mut().find(|r| r.id == l.evidence_id.as_str()) else {
            continue;
        };
        let link = EvidenceLink {
            id: l.subject_id,
            name: l.name,
            slug: l.slug,
        };
        match l.kind.as_str() {
            "agenda" => rec.agendas.push(link),
            "place" => rec.places.push(link),
            "organisation" => rec.organisations.push(link),
            other => return Err(bad(&l.evidence_id, "link kind", other)),
        }
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A record by `author` in `status`, for the access rule's unit tests.
    pub(crate) fn record_by(author: &str, status: EvidenceStatus) -> EvidenceRecord {
        EvidenceRecord {
            id: EvidenceId::from("e1"),
            claim: "A claim".into(),
            measure: Measure::default(),
            source: EvidenceSource::External {
                title: "T".into(),
                publisher: String::new(),
                date: None,
                url: String::new(),
                licence: String::new(),
            },
            evidence_type: EvidenceType::Evaluation,
            strength: Strength::parse("2").expect("a level"),
            consent_to_quote: false,
            visibility: Visibility::Public,
            organisation_id: None,
            status,
            created_by: UserId::from(author),
            created_by_name: String::new(),
            created_at: 0,
            updated_at: 0,
            checked_by: None,
            checked_by_name: None,
            checked_at: None,
            published_at: None,
            agendas: vec![],
            places: vec![],
            organisations: vec![],
        }
    }
}
