//! The Executive report as documents people forward: the report as one outline (a title
//! page, headings, paragraphs, flags and tables) for the shared pipeline in
//! `crate::documents`, which renders it as DOCX (editable) and as a tagged, accessible PDF.
//! The title page gives the site's name, and dates are written out in words ("23 November
//! 2026"). No I/O.

use super::report::Report;
use crate::config::Config;
use crate::documents::{long_date, money, parse_hex, Block, Cell, Column, Document, Table, ACCENT};

/// The report as a document: titled, with the host's name and colour, as at its date.
pub fn document(r: &Report, config: &Config) -> Document {
    let site = config.site_name.clone();
    Document {
        title: title(r),
        running: format!("As at {}", long_date(&r.date)),
        brand: parse_hex(&config.brand_colour).unwrap_or(ACCENT),
        logo: config.logo_png.as_ref().map(|l| crate::documents::Logo {
            png: l.0.to_vec(),
            alt: format!("{} logo", config.host_name),
        }),
        blocks: outline(r),
        site,
    }
}

/// The report's title, as on its title page and in the documents' properties.
pub fn title(r: &Report) -> String {
    format!("Executive report: {}", r.plan_title)
}

fn column(title: &str, weight: u16) -> Column {
    Column::text(title, weight)
}

/// Names and dates: kept on one line where there is room.
fn names(title: &str, weight: u16) -> Column {
    Column::names(title, weight)
}

fn amount(title: &str, weight: u16) -> Column {
    Column::amount(title, weight)
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// The report in reading order, after its title page.
pub fn outline(r: &Report) -> Vec<Block> {
    let mut b = vec![
        Block::TitlePage {
            subtitle: format!("As at {}", long_date(&r.date)),
            about: "Status, budget, milestones and actions of each work area as they stood on \
                    that date, with recent updates and the learning linked to the plan."
                .into(),
        },
        Block::Heading(2, "Status at a glance".into()),
        Block::Para(format!(
            "Red: {}. Amber: {}. Green: {}. No status: {}.",
            r.rag_counts[0], r.rag_counts[1], r.rag_counts[2], r.rag_counts[3]
        )),
        Block::Para(format!(
            "Budget allocated {}, committed {}, spent {}.",
            money(r.allocated_pence),
            money(r.committed_pence),
            money(r.spent_pence)
        )),
    ];
    attention(r, &mut b);
    b.push(Block::Heading(2, "Work areas and budget".into()));
    b.push(Block::Table(areas_table(r)));
    milestones_section(r, &mut b);
    actions_section(r, &mut b);
    indicators_section(r, &mut b);
    updates_section(r, &mut b);
    learning_section(r, &mut b);
    evidence_section(r, &mut b);
    b
}

/// The flags: work areas over budget or past their end with no status, and missed
/// milestones, one line each.
fn attention(r: &Report, b: &mut Vec<Block>) {
    b.push(Block::Heading(2, "Needs attention".into()));
    let mut flags: Vec<String> = r
        .areas
        .iter()
        .flat_map(|a| a.flags.iter().map(move |f| format!("{}: {f}.", a.title)))
        .collect();
    let missed = r.milestones_missed.len();
    if missed > 0 {
        flags.push(format!(
            "{missed} milestone{} missed (see Milestones missed).",
            if missed == 1 { "" } else { "s" }
        ));
    }
    if flags.is_empty() {
        b.push(Block::Para("Nothing is flagged.".into()));
    }
    b.extend(flags.into_iter().map(Block::Flag));
}

fn areas_table(r: &Report) -> Table {
    Table {
        columns: vec![
            column("Work area", 26),
            names("Lead", 16),
            column("Status", 12),
            amount("Allocated", 10),
            amount("Committed", 10),
            amount("Spent", 8),
            column("Flags", 18),
        ],
        rows: r
            .areas
            .iter()
            .map(|a| {
                vec![
                    text(&a.title),
                    text(a.leads.join(", ")),
                    Cell::Rag(a.rag),
                    text(money(a.allocated_pence)),
                    text(money(a.committed_pence)),
                    text(money(a.spent_pence)),
                    text(a.flags.join("; ")),
                ]
            })
            .collect(),
    }
}

/// Planned milestones missed and due soon, as tables.
fn milestones_section(r: &Report, b: &mut Vec<Block>) {
    for (heading, list) in [
        ("Milestones missed", &r.milestones_missed),
        ("Milestones due in the next four weeks", &r.milestones_due),
    ] {
        b.push(Block::Heading(2, heading.into()));
        if list.is_empty() {
            b.push(Block::Para("None.".into()));
            continue;
        }
        b.push(Block::Table(Table {
            columns: vec![
                column("Work area", 34),
                column("Milestone", 44),
                names("Due", 22),
            ],
            rows: list
                .iter()
                .map(|m| vec![text(&m.work_area), text(&m.title), text(long_date(&m.due))])
                .collect(),
        }));
    }
}

/// Actions overdue and due soon, as tables.
fn actions_section(r: &Report, b: &mut Vec<Block>) {
    for (heading, list) in [
        ("Actions overdue", &r.overdue),
        ("Actions due in the next four weeks", &r.due_soon),
    ] {
        b.push(Block::Heading(2, heading.into()));
        if list.is_empty() {
            b.push(Block::Para("None.".into()));
            continue;
        }
        b.push(Block::Table(Table {
            columns: vec![names("Owner", 22), column("Action", 56), names("Due", 22)],
            rows: list
                .iter()
                .map(|a| {
                    vec![
                        text(&a.owner),
                        text(&a.description),
                        text(a.due.as_deref().map(long_date).unwrap_or_default()),
                    ]
                })
                .collect(),
        }));
    }
}

/// Outcomes with a measurable indicator, as a table.
fn indicators_section(r: &Report, b: &mut Vec<Block>) {
    if r.indicators.is_empty() {
        return;
    }
    b.push(Block::Heading(2, "Outcome indicators".into()));
    b.push(Block::Table(Table {
        columns: vec![
            column("Work area", 18),
            column("Outcome", 24),
            column("Indicator", 22),
            column("Baseline", 12),
            column("Target", 12),
            column("Current", 12),
        ],
        rows: r
            .indicators
            .iter()
            .map(|i| {
                // A published figure names its source and period beside the indicator.
                let indicator = if i.source.is_empty() {
                    i.indicator.clone()
                } else {
                    format!("{} ({})", i.indicator, i.source)
                };
                [
                    &i.work_area,
                    &i.outcome,
                    &indicator,
                    &i.baseline,
                    &i.target,
                    &i.current,
                ]
                .map(text)
                .into()
            })
            .collect(),
    }));
}

/// Updates in the six weeks before the date, as a table.
fn updates_section(r: &Report, b: &mut Vec<Block>) {
    b.push(Block::Heading(2, "Recent updates".into()));
    if r.recent_updates.is_empty() {
        b.push(Block::Para(
            "No updates in the six weeks before this date.".into(),
        ));
        return;
    }
    b.push(Block::Table(Table {
        columns: vec![
            names("Date", 18),
            column("Work area", 22),
            column("Status", 13),
            column("Update", 47),
        ],
        rows: r
            .recent_updates
            .iter()
            .map(|u| {
                let by = u
                    .author
                    .as_deref()
                    .map(|a| format!(" ({a})"))
                    .unwrap_or_default();
                vec![
                    text(long_date(&u.posted_on)),
                    text(&u.work_area),
                    Cell::Rag(u.rag),
                    text(format!("{}{by}", u.body)),
                ]
            })
            .collect(),
    }));
}

/// Linked learning, as paragraphs.
fn learning_section(r: &Report, b: &mut Vec<Block>) {
    b.push(Block::Heading(
        2,
        "Learning, evidence and events linked".into(),
    ));
    if r.learning.is_empty() {
        b.push(Block::Para("No learning linked to the work areas.".into()));
    }
    for l in &r.learning {
        // Evaluations and reports in the library are the evidence a work area can point to.
        let what = match l.kind.as_str() {
            "event" => "Event: ",
            "evaluation" => "Evidence: ",
            _ => "",
        };
        b.push(Block::Para(format!(
            "{}: {what}{} ({})",
            l.work_area, l.title, l.organisation
        )));
    }
}

/// The collections of evidence the work areas commission: where each pack stands and what
/// it has gathered per agenda and per place.
fn evidence_section(r: &Report, b: &mut Vec<Block>) {
    b.push(Block::Heading(2, "Evidence and advocacy".into()));
    if r.evidence.is_empty() {
        b.push(Block::Para(
            "No work area has commissioned a collection of evidence.".into(),
        ));
        return;
    }
    b.push(Block::Table(Table {
        columns: vec![
            column("Collection", 26),
            column("Pack", 22),
            column("By agenda", 26),
            column("By place", 26),
        ],
        rows: r
            .evidence
            .iter()
            .map(|e| {
                let left = if e.left_out > 0 {
                    format!(", {} left out", e.left_out)
                } else {
                    String::new()
                };
                vec![
                    Cell::Text(format!("{} ({} for {})", e.title, e.kind, e.work_area)),
                    Cell::Text(format!(
                        "{}, version {}: {} claim{}{left}",
                        e.status,
                        e.version,
                        e.claims,
                        if e.claims == 1 { "" } else { "s" }
                    )),
                    Cell::Text(if e.agendas.is_empty() {
                        "None yet".into()
                    } else {
                        e.agendas.clone()
                    }),
                    Cell::Text(if e.places.is_empty() {
                        "None yet".into()
                    } else {
                        e.places.clone()
                    }),
                ]
            })
            .collect(),
    }));
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::plans::record::Rag;
    use crate::plans::report::{ActionLine, AreaLine, MilestoneLine, UpdateLine};
    use crate::plans::{ActionStatus, WorkAreaKind};

    /// The sample report as a document, on "Learning Zone".
    pub(crate) fn sample_document(actions: usize) -> Document {
        let r = sample(actions);
        Document {
            title: title(&r),
            site: "Learning Zone".into(),
            running: format!("As at {}", long_date(&r.date)),
            brand: ACCENT,
            logo: None,
            blocks: outline(&r),
        }
    }

    /// A report with every section filled: a lead with accents, each RAG, an overspend,
    /// and `actions` overdue actions (enough to spill a table onto another page).
    pub(crate) fn sample(actions: usize) -> Report {
        let area = |title: &str, lead: &str, rag, spent: i64| AreaLine {
            title: title.into(),
            kind: WorkAreaKind::WorkArea,
            leads: vec![lead.into()],
            rag,
            reason: String::new(),
            allocated_pence: 500_000,
            committed_pence: 100_000,
            spent_pence: spent,
            start: None,
            end: None,
            flags: if spent > 500_000 {
                vec![format!("Over budget by {}", money(spent - 500_000))]
            } else {
                vec![]
            },
        };
        Report {
            plan_id: "p1".into(),
            plan_title: "North West Place Cluster Delivery Plan".into(),
            date: "2026-11-23".into(),
            areas: vec![
                area("Improve the framing of place", "Zoë Ó Briain", Some(Rag::Amber), 250_000),
                area("Workforce development", "Beth Kay", Some(Rag::Red), 650_000),
                area("Evaluation", "Sam Patel", Some(Rag::Green), 0),
                area("Communications", "Not assigned", None, 0),
            ],
            rag_counts: [1, 1, 1, 1],
            overdue: (0..actions)
                .map(|i| ActionLine {
                    description: format!("Action {i}: send the partners the draft terms of reference and collect comments"),
                    owner: "Zoë Ó Briain".into(),
                    due: Some("2026-10-01".into()),
                    status: ActionStatus::Open,
                    overdue: true,
                })
                .collect(),
            due_soon: vec![],
            allocated_pence: 2_000_000,
            committed_pence: 400_000,
            spent_pence: 900_000,
            recent_updates: vec![UpdateLine {
                work_area: "Improve the framing of place".into(),
                posted_on: "2026-11-20".into(),
                rag: Some(Rag::Amber),
                body: "Workshop moved to October".into(),
                author: Some("Zoë Ó Briain".into()),
            }],
            milestones_missed: vec![MilestoneLine {
                work_area: "Evaluation".into(),
                title: "Baseline survey".into(),
                due: "2026-11-01".into(),
            }],
            milestones_due: vec![],
            indicators: vec![],
            learning: vec![],
            evidence: vec![],
        }
    }

    #[test]
    fn the_outline_writes_dates_out_and_shows_flags_and_milestones() {
        let d = sample_document(1);
        let words: Vec<String> = d
            .blocks
            .iter()
            .flat_map(|b| match b {
                Block::TitlePage { subtitle, .. } => {
                    vec![d.site.clone(), d.title.clone(), subtitle.clone()]
                }
                Block::Heading(_, t) | Block::Para(t) | Block::Flag(t) | Block::Notes(t) => {
                    vec![t.clone()]
                }
                Block::Claim(c) => vec![c.cited()],
                Block::Table(t) => t
                    .rows
                    .iter()
                    .flatten()
                    .map(|c| c.text().to_string())
                    .collect(),
            })
            .collect();
        for expect in [
            "Learning Zone",
            "As at 23 November 2026",
            "Workforce development: Over budget by £1,500.",
            "1 milestone missed (see Milestones missed).",
            "Milestones missed",
            "Baseline survey",
            "1 November 2026",
            "1 October 2026",
            "Amber",
            "No status",
        ] {
            assert!(
                words.iter().any(|w| w == expect),
                "{expect:?} not in {words:?}"
            );
        }
        assert!(
            !words.iter().any(|w| w.contains("2026-")),
            "an ISO date: {words:?}"
        );
    }
}
