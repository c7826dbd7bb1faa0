//! What curators type (or send to the API) and its checks: the collection's details, one
//! section, the whole outline (the API's PUT), a share link. What needs the database (places,
//! work areas, events, curators' accounts, evidence the curator may open) is checked in
//! `write`.

use lz_domain::advocacy::{self, CollectionKind};
use lz_domain::library::Visibility;

use crate::Problems;

pub const MAX_TITLE: usize = 200;
pub const MAX_SUMMARY: usize = 2_000;
pub const MAX_SECTION_BODY: usize = 6_000;
pub const MAX_SECTIONS: usize = 60;
/// Enough for the largest packs the plan imagines (a few hundred claims).
pub const MAX_RECORDS_PER_SECTION: usize = 300;
pub const MAX_CURATORS: usize = 20;

/// A collection's details: the form (new and edit) and the API's body. `sections` is the
/// whole outline when the API sends it (each section with its evidence ids, in order); the
/// forms leave it out and edit sections one at a time.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct CollectionInput {
    /// "pack" or "narrative" (only when creating).
    pub kind: String,
    pub title: String,
    pub summary: String,
    /// The closing ask (the pack's last section and slide).
    pub ask: String,
    /// public, network or organisation.
    pub audience: String,
    /// A narrative's place ("" for the region's narrative).
    pub place: String,
    /// The plan work area that commissions it ("" for none).
    pub work_area: String,
    /// Workshop events that shaped a narrative.
    pub events: Vec<String>,
    /// Other curators' email addresses, one per line (or comma-separated); absent keeps the
    /// curators as they are.
    pub curators: Option<String>,
    pub sections: Option<Vec<SectionInput>>,
}

/// One section: its heading, its own text, and (from the API) its evidence ids in order.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct SectionInput {
    pub heading: String,
    pub body: String,
    pub evidence: Vec<String>,
}

/// The whole outline at once (the API's PUT): details and sections.
pub type OutlineInput = CollectionInput;

/// A new share link.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ShareInput {
    /// Days until it expires (1–365; 30 when empty).
    pub days: String,
    /// Who it is for, for the curator's list ("Lancashire ICB board").
    pub label: String,
}

/// The details once checked.
pub(crate) struct Details {
    pub kind: CollectionKind,
    pub title: String,
    pub summary: String,
    pub ask: String,
    pub audience: Visibility,
    pub place_id: Option<String>,
    pub work_area_id: Option<String>,
    pub event_ids: Vec<String>,
    /// None: keep the curators as they are.
    pub curator_emails: Option<Vec<String>>,
}

/// One section once checked (evidence ids are checked against the database in `write`).
pub(crate) struct Section {
    pub heading: String,
    pub body: String,
    pub evidence_ids: Vec<String>,
}

fn optional_id(raw: &str) -> Option<String> {
    let t = raw.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn ids(list: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in list.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if !out.iter().any(|x| x == id) {
            out.push(id.to_string());
        }
    }
    out
}

impl CollectionInput {
    pub(crate) fn check(&self, problems: &mut Problems, creating: bool) -> Details {
        let kind = if creating {
            match CollectionKind::parse(&self.kind) {
                Some(k) => k,
                None => {
                    problems.add(
                        "kind",
                        "Choose whether this is an advocacy pack or a narrative",
                    );
                    CollectionKind::Pack
                }
            }
        } else {
            CollectionKind::Pack
        };
        let title = problems.bounded("title", "Title", &self.title, MAX_TITLE);
        if title.is_empty() {
            problems.add("title", "Enter a title");
        }
        let audience = match Visibility::parse(&self.audience) {
            Some(v) if advocacy::AUDIENCES.contains(&v) => v,
            _ => {
                problems.add("audience", "Choose who the pack is for");
                Visibility::Network
            }
        };
        let curator_emails: Option<Vec<String>> = self.curators.as_ref().map(|list| {
            list.split([',', '\n', ';'])
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty())
                .collect()
        });
        if curator_emails
            .as_ref()
            .is_some_and(|l| l.len() > MAX_CURATORS)
        {
            problems.add("curators", format!("Name at most {MAX_CURATORS} curators"));
        }
        let events = ids(&self.events);
        if events.len() > 50 {
            problems.add("events", "Choose at most 50 workshops");
        }
        Details {
            kind,
            title,
            summary: problems.bounded("summary", "Summary", &self.summary, MAX_SUMMARY),
            ask: problems.bounded("ask", "The ask", &self.ask, MAX_SUMMARY),
            audience,
            place_id: optional_id(&self.place),
            work_area_id: optional_id(&self.work_area),
            event_ids: events,
            curator_emails,
        }
    }

    /// The API's sections, checked; None when the caller sent none.
    pub(crate) fn check_sections(&self, problems: &mut Problems) -> Option<Vec<Section>> {
        let sections = self.sections.as_ref()?;
        if sections.len() > MAX_SECTIONS {
            problems.add(
                "sections",
                format!("A collection has at most {MAX_SECTIONS} sections"),
            );
        }
        Some(sections.iter().map(|s| s.check(problems)).collect())
    }
}

impl SectionInput {
    pub(crate) fn check(&self, problems: &mut Problems) -> Section {
        let heading = problems.bounded("heading", "Heading", &self.heading, MAX_TITLE);
        if heading.is_empty() {
            problems.add("heading", "Enter the section's heading");
        }
        let evidence_ids = ids(&self.evidence);
        if evidence_ids.len() > MAX_RECORDS_PER_SECTION {
            problems.add(
                "evidence",
                format!("A section holds at most {MAX_RECORDS_PER_SECTION} records"),
            );
        }
        Section {
            heading,
            body: problems.bounded("body", "Text", &self.body, MAX_SECTION_BODY),
            evidence_ids,
        }
    }
}

impl ShareInput {
    /// (days, label)
    pub(crate) fn check(&self, problems: &mut Problems) -> (i64, String) {
        let days = problems
            .check("days", advocacy::read_share_days(&self.days))
            .unwrap_or(advocacy::SHARE_DAYS_DEFAULT);
        (
            days,
            problems.bounded("label", "Who it is for", &self.label, 120),
        )
    }
}
