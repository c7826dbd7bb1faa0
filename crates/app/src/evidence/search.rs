//! What the search index holds of a published evidence record: one document in the same
//! index as the library's items (kind "evidence", id `evidence:<id>`), its claim as the
//! title, its measure, source and type as text, its agendas, places and organisations, type
//! and strength as facets, and the access tokens of its visibility computed as for items.
//! Drafts, checked and deleted records are not in the index: each change to a record logs
//! its key in `search_changes` (in the transaction of the change), and the indexer then
//! writes the document or removes it (`app/src/search.rs`).

use lz_search::SearchDoc;

use super::record::{EvidenceRecord, EvidenceSource};
use crate::library::item_tokens;
use crate::search::year_of;

/// The access tokens of a record: those of a library item of the same visibility. An
/// organisation's record belongs to its author's organisation; without one nobody's tokens
/// open it (only those who see everything).
pub(crate) fn evidence_tokens(visibility: &str, organisation_id: Option<&str>) -> Vec<String> {
    match organisation_id {
        Some(org) => item_tokens(visibility, org, None),
        None if visibility == "organisation" => vec![],
        None => item_tokens(visibility, "", None),
    }
}

/// The index document of a published record (the caller reads only published ones).
pub(crate) fn search_doc(r: EvidenceRecord) -> SearchDoc {
    let m = &r.measure;
    let amount = [m.value.as_deref().unwrap_or_default(), &m.unit]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let measure = [m.name.as_str(), &amount, &m.period]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let source = match &r.source {
        EvidenceSource::Item { title, locator, .. } => [title.as_str(), locator].join(", "),
        EvidenceSource::External {
            title, publisher, ..
        } => [title.as_str(), publisher].join(", "),
    };
    let body = [
        measure.as_str(),
        source.trim_matches([',', ' ']),
        r.evidence_type.label(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    // Read as one line in a result's snippet.
    .join(" · ");
    let published_at = r.published_at.unwrap_or_default();
    let slugs = |l: &[super::EvidenceLink]| l.iter().map(|x| x.slug.clone()).collect();
    SearchDoc {
        id: lz_search::evidence_doc_id(r.id.as_str()),
        kind: lz_search::EVIDENCE_KIND.to_string(),
        title: r.claim.clone(),
        summary: String::new(),
        body,
        attachments_text: String::new(),
        themes: vec![],
        agendas: slugs(&r.agendas),
        audiences: vec![],
        places: slugs(&r.places),
        organisations: slugs(&r.organisations),
        evidence_type: Some(r.evidence_type.code().to_string()),
        strength: Some(r.strength.level()),
        year: year_of(published_at),
        published_at,
        access: evidence_tokens(
            r.visibility.code(),
            r.organisation_id.as_ref().map(|o| o.as_str()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::record::tests::record_by;
    use crate::evidence::EvidenceLink;
    use lz_domain::evidence::EvidenceStatus;
    use lz_domain::ids::OrgId;
    use lz_domain::library::Visibility;

    #[test]
    fn tokens_follow_the_items_rule() {
        assert_eq!(evidence_tokens("public", None), ["public"]);
        assert_eq!(evidence_tokens("network", Some("o1")), ["network"]);
        assert_eq!(evidence_tokens("organisation", Some("o1")), ["org:o1"]);
        assert!(evidence_tokens("organisation", None).is_empty());
        // Place visibility is refused for evidence; a stored one opens to nobody.
        assert!(evidence_tokens("place", Some("o1")).is_empty());
        assert!(evidence_tokens("secret", Some("o1")).is_empty());
    }

    #[test]
    fn a_record_becomes_an_evidence_document() {
        let mut r = record_by("u1", EvidenceStatus::Published);
        r.claim = "Walking groups cut GP visits".into();
        r.measure.name = "GP visits".into();
        r.measure.value = Some("17".into());
        r.measure.unit = "% fewer".into();
        r.visibility = Visibility::Organisation;
        r.organisation_id = Some(OrgId::from("o1"));
        r.published_at = Some(1_780_000_000_000);
        let link = |slug: &str| EvidenceLink {
            id: format!("id-{slug}"),
            name: slug.to_uppercase(),
            slug: slug.into(),
        };
        r.places = vec![link("blackpool"), link("fylde")];
        r.agendas = vec![link("health")];
        let d = search_doc(r);
        assert_eq!(d.id, "evidence:e1");
        assert_eq!(d.kind, "evidence");
        assert_eq!(d.title, "Walking groups cut GP visits");
        assert_eq!(d.body, "GP visits, 17 % fewer · T · Evaluation");
        assert_eq!(d.places, ["blackpool", "fylde"]);
        assert_eq!(d.agendas, ["health"]);
        assert_eq!(d.evidence_type.as_deref(), Some("evaluation"));
        assert_eq!(d.strength, Some(2));
        assert_eq!(d.access, ["org:o1"]);
        assert_eq!(d.year, 2026);
    }
}
