//! Columns: which of the plan's columns a header cell names.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Col {
    Title,
    Lead,
    Why,
    Progress,
    What,
    Resources,
    When,
    Outcomes,
}

impl Col {
    pub(super) fn name(self) -> &'static str {
        match self {
            Col::Title => "Work area",
            Col::Lead => "Accountable lead",
            Col::Why => "Why is this work needed",
            Col::Progress => "Key milestones / progress to date",
            Col::What => "What you will do",
            Col::Resources => "Resources",
            Col::When => "When (dates)",
            Col::Outcomes => "Outcomes",
        }
    }
}

/// Column-title keywords. A strong keyword counts anywhere in the first few words of a column
/// title; a weak one (an everyday word) only when the title is four words or fewer. Among
/// several, the one nearest the start wins: "What resources do you need to deliver this work
/// area?" is the resources column, not the work-area one.
const KEYWORDS: &[(&str, Col, bool)] = &[
    ("work area", Col::Title, true),
    ("work areas", Col::Title, true),
    ("workstream", Col::Title, true),
    ("workstreams", Col::Title, true),
    ("work stream", Col::Title, true),
    ("work streams", Col::Title, true),
    ("area of work", Col::Title, true),
    ("mandate", Col::Title, false),
    ("mandates", Col::Title, false),
    ("title", Col::Title, false),
    ("theme", Col::Title, false),
    ("themes", Col::Title, false),
    ("project", Col::Title, false),
    ("priority", Col::Title, false),
    ("priorities", Col::Title, false),
    ("accountable lead", Col::Lead, true),
    ("accountable leads", Col::Lead, true),
    ("lead officer", Col::Lead, true),
    ("lead", Col::Lead, false),
    ("leads", Col::Lead, false),
    ("owner", Col::Lead, false),
    ("responsible", Col::Lead, false),
    ("why", Col::Why, true),
    ("rationale", Col::Why, true),
    ("need", Col::Why, false),
    ("needed", Col::Why, false),
    ("purpose", Col::Why, false),
    ("context", Col::Why, false),
    ("background", Col::Why, false),
    ("milestone", Col::Progress, true),
    ("milestones", Col::Progress, true),
    ("progress", Col::Progress, true),
    ("what you will do", Col::What, true),
    ("what will you do", Col::What, true),
    ("what we will do", Col::What, true),
    ("what will we do", Col::What, true),
    ("activities", Col::What, true),
    ("activity", Col::What, false),
    ("actions", Col::What, false),
    ("how", Col::What, false),
    ("approach", Col::What, false),
    ("outputs", Col::What, false),
    ("delivery", Col::What, false),
    ("resource", Col::Resources, true),
    ("resources", Col::Resources, true),
    ("budget", Col::Resources, true),
    ("cost", Col::Resources, false),
    ("costs", Col::Resources, false),
    ("funding", Col::Resources, false),
    ("finance", Col::Resources, false),
    ("when", Col::When, true),
    ("dates", Col::When, true),
    ("date", Col::When, false),
    ("timescale", Col::When, true),
    ("timescales", Col::When, true),
    ("timeline", Col::When, true),
    ("timelines", Col::When, true),
    ("timeframe", Col::When, true),
    ("timing", Col::When, false),
    ("start and end", Col::When, true),
    ("outcome", Col::Outcomes, true),
    ("outcomes", Col::Outcomes, true),
    ("success measures", Col::Outcomes, true),
    ("measures of success", Col::Outcomes, true),
    ("impact", Col::Outcomes, false),
    ("results", Col::Outcomes, false),
    ("kpis", Col::Outcomes, false),
];

/// The column a header cell names, if any.
pub(super) fn classify_heading(cell: &str) -> Option<Col> {
    let mut plain = collapse_ws(&without_parens(cell)).to_lowercase();
    if plain.is_empty() {
        plain = collapse_ws(cell).to_lowercase();
    }
    if plain.is_empty() || plain.chars().count() > 300 || has_lead_label(cell) {
        return None;
    }
    let short = plain.split_whitespace().count() <= 4;
    let mut best: Option<(usize, usize, Col)> = None;
    for &(kw, col, strong) in KEYWORDS {
        if !strong && !short {
            continue;
        }
        let Some(pos) = find_word(&plain, kw) else {
            continue;
        };
        if pos > 40 {
            continue;
        }
        let better = match best {
            None => true,
            Some((bp, bl, _)) => pos < bp || (pos == bp && kw.len() > bl),
        };
        if better {
            best = Some((pos, kw.len(), col));
        }
    }
    best.map(|(_, _, col)| col)
}

/// Work area, and at least one of why / what you will do.
pub(super) fn missing_required(header: &[Option<Col>]) -> Vec<String> {
    let has = |c: Col| header.contains(&Some(c));
    let mut missing = Vec::new();
    if !has(Col::Title) {
        missing.push(Col::Title.name().to_string());
    }
    if !has(Col::Why) && !has(Col::What) {
        missing.push(format!("{} or {}", Col::Why.name(), Col::What.name()));
    }
    missing
}

pub(super) fn is_repeated_header(row: &[String], header_texts: &[String]) -> bool {
    row.len() == header_texts.len()
        && row
            .iter()
            .zip(header_texts)
            .all(|(a, b)| collapse_ws(a) == collapse_ws(b))
}
