//! What a person types into the evidence form (or sends to the API), and its checks: one
//! function per group of fields, all writing into one `Problems`. What needs the database
//! (the source item the author may see, agenda terms, places, organisations) is checked in
//! `write`.

use lz_domain::evidence::{self, EvidenceType, Strength};
use lz_domain::library::Visibility;
use lz_store::evidence::EvidenceContent;

use crate::Problems;

/// The longest claim: one plain sentence.
pub const MAX_CLAIM: usize = 300;

/// What a person typed into the evidence form (or sent to the API).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct EvidenceInput {
    pub claim: String,
    pub agendas: Vec<String>,
    pub places: Vec<String>,
    pub organisations: Vec<String>,
    pub measure_name: String,
    pub measure_value: String,
    pub measure_unit: String,
    pub measure_baseline: String,
    pub measure_period: String,
    pub sample_size: String,
    /// "item" or "external".
    pub source_kind: String,
    pub source_item_id: String,
    pub source_locator: String,
    pub source_title: String,
    pub source_publisher: String,
    pub source_date: String,
    pub source_url: String,
    pub source_licence: String,
    pub evidence_type: String,
    pub strength: String,
    /// "yes" when the person quoted has agreed.
    pub consent_to_quote: String,
    pub visibility: String,
}

/// An item's id, or its address pasted whole ("https://…/library/<id>?x#y"): the id.
fn item_reference(raw: &str) -> String {
    let raw = raw.trim();
    match raw.split_once("/library/") {
        Some((_, rest)) => rest
            .split(['/', '?', '#'])
            .next()
            .unwrap_or_default()
            .to_string(),
        None => raw.to_string(),
    }
}

impl EvidenceInput {
    /// Checks every field that needs no database; the ids are checked in `write`.
    pub(crate) fn check(&self, problems: &mut Problems) -> EvidenceContent {
        let mut content = EvidenceContent {
            claim: claim(problems, &self.claim),
            agenda_ids: ids(&self.agendas),
            place_ids: ids(&self.places),
            organisation_ids: ids(&self.organisations),
            ..EvidenceContent::default()
        };
        if content.agenda_ids.is_empty() {
            problems.add("agendas", "Choose at least one agenda this evidence serves");
        }
        if content.place_ids.is_empty() && content.organisation_ids.is_empty() {
            problems.add("places", "Choose at least one place or organisation");
        }
        self.measure(problems, &mut content);
        self.source(problems, &mut content);
        self.kind_and_strength(problems, &mut content);
        content
    }

    fn measure(&self, problems: &mut Problems, c: &mut EvidenceContent) {
        c.measure_name = problems.bounded("measure_name", "Measure", &self.measure_name, 200);
        c.measure_unit = problems.bounded("measure_unit", "Unit", &self.measure_unit, 60);
        c.measure_period = problems.bounded("measure_period", "Period", &self.measure_period, 120);
        c.measure_value = number(problems, "measure_value", "Value", &self.measure_value);
        c.measure_baseline = number(
            problems,
            "measure_baseline",
            "Baseline",
            &self.measure_baseline,
        );
        if !self.sample_size.trim().is_empty() {
            c.sample_size =
                problems.check("sample_size", evidence::read_sample_size(&self.sample_size));
        }
    }

    fn source(&self, problems: &mut Problems, c: &mut EvidenceContent) {
        match self.source_kind.trim() {
            "item" => {
                if self.source_item_id.trim().is_empty() {
                    problems.add(
                        "source_item_id",
                        "Choose the library item this evidence comes from",
                    );
                }
                c.source_item_id = Some(item_reference(&self.source_item_id));
                c.source_locator = problems.bounded(
                    "source_locator",
                    "Page or section",
                    &self.source_locator,
                    200,
                );
            }
            "external" => {
                c.source_title = problems.bounded(
                    "source_title",
                    "Title of the publication",
                    &self.source_title,
                    300,
                );
                if c.source_title.is_empty() {
                    problems.add("source_title", "Enter the title of the publication");
                }
                c.source_publisher =
                    problems.bounded("source_publisher", "Publisher", &self.source_publisher, 200);
                c.source_date =
                    problems.optional_day("source_date", "Date of publication", &self.source_date);
                c.source_url = self.source_url.trim().to_string();
                if !c.source_url.is_empty() && !web_address(&c.source_url) {
                    problems.add(
                        "source_url",
                        "Enter a web address starting http:// or https://",
                    );
                }
                c.source_licence =
                    problems.bounded("source_licence", "Licence", &self.source_licence, 200);
            }
            _ => problems.add(
                "source_kind",
                "Say where this evidence comes from: a library item or an external publication",
            ),
        }
    }

    fn kind_and_strength(&self, problems: &mut Problems, c: &mut EvidenceContent) {
        let kind = EvidenceType::parse(&self.evidence_type);
        match kind {
            Some(k) => c.evidence_type = k.code().to_string(),
            None => problems.add("evidence_type", "Choose the type of evidence"),
        }
        if let Some(level) = problems.check("strength", Strength::parse(&self.strength)) {
            c.strength = i64::from(level.level());
        }
        c.consent_to_quote = matches!(self.consent_to_quote.trim(), "yes" | "true" | "on");
        if kind.is_some_and(evidence::consent_needed) && !c.consent_to_quote {
            problems.add(
                "consent_to_quote",
                "Testimony is quoted only with the person's consent: confirm they agreed",
            );
        }
        match Visibility::parse(&self.visibility) {
            Some(v @ (Visibility::Public | Visibility::Network | Visibility::Organisation)) => {
                c.visibility = v.code().to_string();
            }
            _ => problems.add("visibility", "Choose who can see it once published"),
        }
    }
}

fn claim(problems: &mut Problems, raw: &str) -> String {
    let text = problems.bounded("claim", "The claim", raw, MAX_CLAIM);
    if text.is_empty() {
        problems.add("claim", "Enter the claim: one plain sentence");
    } else if text.contains('\n') {
        problems.add("claim", "The claim must be one sentence on one line");
    }
    text
}

fn number(problems: &mut Problems, field: &'static str, label: &str, raw: &str) -> Option<String> {
    if raw.trim().is_empty() {
        return None;
    }
    match evidence::read_number(raw) {
        Ok(_) => Some(raw.trim().replace(',', "")),
        Err(e) => {
            problems.add(field, format!("{label} {e}"));
            None
        }
    }
}

fn ids(raw: &[String]) -> Vec<String> {
    let mut out: Vec<String> = raw
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn web_address(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && !url.chars().any(char::is_whitespace)
        && url.len() <= 2000
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> EvidenceInput {
        EvidenceInput {
            claim: "Walking groups cut loneliness by 20 %.".into(),
            agendas: vec!["t1".into()],
            places: vec!["p1".into()],
            source_kind: "external".into(),
            source_title: "A report".into(),
            source_url: "https://example.org/r".into(),
            evidence_type: "evaluation".into(),
            strength: "2".into(),
            visibility: "public".into(),
            measure_value: "20".into(),
            ..EvidenceInput::default()
        }
    }

    fn fields(i: &EvidenceInput) -> Vec<&'static str> {
        let mut p = Problems::default();
        i.check(&mut p);
        p.0.iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_valid_record_has_no_problems() {
        assert!(fields(&valid()).is_empty());
    }

    /// A field's name and a change that makes it wrong.
    type BadField = (&'static str, Box<dyn Fn(&mut EvidenceInput)>);

    #[test]
    fn each_bad_field_is_named() {
        let cases: Vec<BadField> = vec![
            ("claim", Box::new(|i| i.claim = "x".repeat(301))),
            ("claim", Box::new(|i| i.claim.clear())),
            ("agendas", Box::new(|i| i.agendas.clear())),
            ("places", Box::new(|i| i.places.clear())),
            ("source_kind", Box::new(|i| i.source_kind.clear())),
            (
                "source_url",
                Box::new(|i| i.source_url = "javascript:alert(1)".into()),
            ),
            ("strength", Box::new(|i| i.strength = "6".into())),
            (
                "measure_value",
                Box::new(|i| i.measure_value = "lots".into()),
            ),
            (
                "evidence_type",
                Box::new(|i| i.evidence_type = "rumour".into()),
            ),
            (
                "consent_to_quote",
                Box::new(|i| i.evidence_type = "testimony".into()),
            ),
            ("visibility", Box::new(|i| i.visibility = "place".into())),
        ];
        for (field, spoil) in cases {
            let mut i = valid();
            spoil(&mut i);
            assert_eq!(fields(&i), vec![field], "{field}");
        }
    }
}

#[cfg(test)]
mod reference_tests {
    #[test]
    fn an_item_is_named_by_its_id_or_its_address() {
        assert_eq!(super::item_reference(" abc "), "abc");
        assert_eq!(
            super::item_reference("https://lz.example/library/01a2-ff?tab=1#top"),
            "01a2-ff"
        );
        assert_eq!(super::item_reference("/library/xyz/history"), "xyz");
    }
}
