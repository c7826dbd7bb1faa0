//! The collections that are measured: the demo manifesto (found by its title), and a large
//! collection of published public evidence records made through the API (one account records
//! them, a second checks and publishes them: never one's own).

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use lz_bench::progress;

use crate::api::Api;

/// The demo's pack (`learning-zone demo`), curated by Amanda and Beth.
pub(crate) const MANIFESTO: &str = "Manifesto for PAS in the North West";
pub(crate) const LARGE_TITLE: &str = "Benchmark pack: the evidence for physical activity";

/// A collection as the pack sees it.
#[derive(Clone)]
pub(crate) struct Collection {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) sections: usize,
    /// Records with a citation number: the claims in the pack.
    pub(crate) claims: usize,
}

/// The sections and claims of collection `id` (`GET /api/v1/collections/{id}`).
pub(crate) async fn collection(api: &Api, id: &str) -> Result<Collection> {
    let v = api.get_json(&format!("/api/v1/collections/{id}")).await?;
    let sections = v
        .get("sections")
        .and_then(Value::as_array)
        .context("a collection without sections")?;
    let claims = sections
        .iter()
        .filter_map(|s| s.get("evidence").and_then(Value::as_array))
        .flatten()
        .filter(|e| e.get("number").is_some_and(|n| !n.is_null()))
        .count();
    Ok(Collection {
        id: id.to_string(),
        title: str_of(&v, "title"),
        sections: sections.len(),
        claims,
    })
}

pub(crate) async fn find_manifesto(api: &Api) -> Result<Collection> {
    let list = api.get_json("/api/v1/collections").await?;
    let id = list
        .as_array()
        .context("GET /api/v1/collections: not a list")?
        .iter()
        .find(|c| c.get("title").and_then(Value::as_str) == Some(MANIFESTO))
        .map(|c| str_of(c, "id"))
        .with_context(|| format!("the demo has no collection titled {MANIFESTO:?}"))?;
    collection(api, &id).await
}

/// How the large collection was made.
pub(crate) struct Made {
    pub(crate) collection: Collection,
    pub(crate) records: usize,
    /// Recording, checking and publishing every record (three requests each, in sequence).
    pub(crate) evidence_time: Duration,
    pub(crate) collection_time: Duration,
}

/// `records` published public evidence records (recorded by `author`, checked and published by
/// `checker`) and one public pack holding them all, spread over `sections` sections.
pub(crate) async fn make_large(
    author: &Api,
    checker: &Api,
    records: usize,
    sections: usize,
) -> Result<Made> {
    let agendas = ids_where(author, "/api/v1/terms", Some(("vocabulary", "agenda"))).await?;
    let places = ids_where(author, "/api/v1/places", None).await?;
    if agendas.is_empty() || places.is_empty() {
        bail!(
            "the demo has {} agenda terms and {} places: a record needs one of each",
            agendas.len(),
            places.len()
        );
    }
    progress(&format!(
        "Recording, checking and publishing {records} evidence records through the API …"
    ));
    let t = Instant::now();
    let mut ids = Vec::with_capacity(records);
    for n in 0..records {
        let id = author
            .create("/api/v1/evidence", &record(n, &agendas, &places))
            .await?;
        checker
            .action(&format!("/api/v1/evidence/{id}/check"))
            .await?;
        checker
            .action(&format!("/api/v1/evidence/{id}/publish"))
            .await?;
        ids.push(id);
        if (n + 1).is_multiple_of(50) {
            progress(&format!("  {} of {records}", n + 1));
        }
    }
    let evidence_time = t.elapsed();

    progress(&format!(
        "Creating a pack of {records} records in {sections} sections …"
    ));
    let t = Instant::now();
    let per = records.div_ceil(sections.max(1)).max(1);
    let outline: Vec<Value> = (0..sections)
        .map(|s| {
            let chosen: Vec<&String> = ids.iter().skip(s * per).take(per).collect();
            json!({
                "heading": format!("{} ({})", HEADINGS[s % HEADINGS.len()], s + 1),
                "body": SECTION_TEXT,
                "evidence": chosen,
            })
        })
        .collect();
    let body = json!({
        "kind": "pack",
        "title": LARGE_TITLE,
        "summary": "A large pack made by lz-bench-pack to time the pack's generation. Every figure is invented.",
        "ask": "We ask partners to name physical activity in their plans and to commission it with the places that already deliver it.",
        "audience": "public",
        "sections": outline,
    });
    let id = author.create("/api/v1/collections", &body).await?;
    let collection_time = t.elapsed();
    let collection = collection(author, &id).await?;
    if collection.claims != records {
        progress(&format!(
            "warning: the pack cites {} of the {records} records",
            collection.claims
        ));
    }
    Ok(Made {
        collection,
        records,
        evidence_time,
        collection_time,
    })
}

/// The ids of a list's entries (those whose `field` is `value`, when given).
async fn ids_where(api: &Api, path: &str, filter: Option<(&str, &str)>) -> Result<Vec<String>> {
    let list = api.get_json(path).await?;
    Ok(list
        .as_array()
        .with_context(|| format!("GET {path}: not a list"))?
        .iter()
        .filter(|e| filter.is_none_or(|(f, want)| e.get(f).and_then(Value::as_str) == Some(want)))
        .map(|e| str_of(e, "id"))
        .filter(|id| !id.is_empty())
        .collect())
}

fn str_of(v: &Value, field: &str) -> String {
    v.get(field)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

const HEADINGS: &[&str] = &[
    "Health and social care",
    "Places and the environment",
    "The economic case",
    "Children and young people",
    "Mental health and wellbeing",
    "Older people and falls",
    "Inequalities",
    "Active travel",
    "Workforce and volunteering",
    "Stories from places",
];

const SECTION_TEXT: &str = "Places across the region use physical activity and sport to improve health, reduce inequalities and make neighbourhoods better places to live. The records below come from places' own evaluations and monitoring, each checked by a second person before it was published.\n\nThis section was written by the benchmark: its figures are invented, and its length is that of a typical section of a real pack.";

const TYPES: &[&str] = &[
    "evaluation",
    "monitoring_data",
    "survey",
    "case_study",
    "quasi_experimental",
    "randomised_trial",
];

const MEASURES: &[(&str, &str)] = &[
    ("GP appointments", "%"),
    ("Falls", "%"),
    ("Active minutes a week", "minutes"),
    ("Social value for each £1", "£"),
    ("Participants still active after a year", "%"),
    ("Loneliness score", "points"),
];

/// Benchmark record `n`: a realistic claim of varying length, one or two agendas, a place, a
/// measure with baseline, period and sample, and an external source.
fn record(n: usize, agendas: &[String], places: &[String]) -> Value {
    let (measure, unit) = MEASURES[n % MEASURES.len()];
    let value = 5 + (n * 7) % 60;
    let mut claim = format!(
        "Benchmark record {}: in a twelve-month programme, {} changed by {value} {unit} among the people who took part, compared with those on the waiting list",
        n + 1,
        measure.to_lowercase()
    );
    if n.is_multiple_of(3) {
        claim.push_str(
            ", and most of them were still active when they were asked again six months later",
        );
    }
    claim.push('.');
    let mut chosen_agendas = vec![agendas[n % agendas.len()].clone()];
    if n % 2 == 1 && agendas.len() > 1 {
        chosen_agendas.push(agendas[(n + 1) % agendas.len()].clone());
    }
    json!({
        "claim": claim,
        "agendas": chosen_agendas,
        "places": [places[n % places.len()]],
        "measure_name": measure,
        "measure_value": value,
        "measure_unit": unit,
        "measure_baseline": value + 10,
        "measure_period": "2023-24",
        "sample_size": 40 + (n * 13) % 900,
        "source_title": format!("An illustrative evaluation, part {}", n + 1),
        "source_publisher": "Benchmark Research Unit",
        "source_date": "2024-06-30",
        "source_url": format!("https://example.org/evidence/{}", n + 1),
        "evidence_type": TYPES[n % TYPES.len()],
        "strength": 1 + n % 5,
        "visibility": "public",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_valid_shapes() {
        let a = vec!["t1".to_string(), "t2".to_string()];
        let p = vec!["p1".to_string()];
        for n in 0..12 {
            let r = record(n, &a, &p);
            let claim = r["claim"].as_str().unwrap();
            assert!(
                claim.chars().count() <= 300 && !claim.contains('\n'),
                "{claim}"
            );
            assert_ne!(r["evidence_type"], "testimony");
            assert!((1..=5).contains(&r["strength"].as_u64().unwrap()));
        }
    }
}
