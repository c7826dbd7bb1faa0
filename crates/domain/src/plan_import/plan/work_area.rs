//! One work area: a row of the table, its cells read, checked and flagged.

use super::*;

pub(super) fn work_area(number: usize, header: &[Option<Col>], row: &[String]) -> ParsedWorkArea {
    let mut flags = Vec::new();
    let mut row = Row::new(header, row);
    let accountable_leads = row.take_leads(&mut flags);

    let mut title = trim_trailing_punct(&collapse_ws(&row.text_of(Col::Title).unwrap_or_default()));
    if title.is_empty() {
        flags.push(Flag::new("title", "This work area has no title"));
        title = format!("Work area {number}");
    }
    let why = row.field(Col::Why, "why", &mut flags);
    let progress = row.field(Col::Progress, "progress", &mut flags);
    let what_we_will_do = row.field(Col::What, "what_we_will_do", &mut flags);
    let resources = row.field(Col::Resources, "resources", &mut flags);
    let when = row.field(Col::When, "when", &mut flags);
    let outcomes_text = row.field(Col::Outcomes, "outcomes", &mut flags);

    let (budget_lines, budget_total_pence) = budget(&resources, &mut flags);
    let dates = parse_date_range(&when);
    flag_dates(&when, &dates, &mut flags);
    let milestones = milestones(&progress);

    ParsedWorkArea {
        title,
        accountable_leads,
        why,
        progress,
        what_we_will_do,
        resources,
        budget_lines,
        budget_total_pence,
        when,
        start: dates.start,
        end: dates.end,
        end_open: dates.end_open,
        outcomes: items(&outcomes_text),
        milestones,
        flags,
    }
}

/// Each sentence of the key milestones cell that names a day or a month with its year ("The
/// platform is available to all places by March 2027") is a milestone due then.
pub(crate) fn milestones(progress: &str) -> Vec<ParsedMilestone> {
    let mut out = Vec::new();
    for para in super::super::clean::paragraphs(progress) {
        for sentence in sentences(&para) {
            if let Some((due, _)) = super::super::dates::due_date(&sentence) {
                let title = trim_trailing_punct(&collapse_ws(&sentence));
                let title: String = title.chars().take(200).collect();
                if !title.is_empty() {
                    out.push(ParsedMilestone { title, due });
                }
            }
        }
    }
    out
}

/// A paragraph's sentences: split after ". ", "! " or "? " followed by a capital letter
/// (so "approx. 5" and "(i.e. linked" stay whole).
fn sentences(para: &str) -> Vec<String> {
    let chars: Vec<char> = para.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..chars.len() {
        let ends = matches!(chars[i], '.' | '!' | '?')
            && chars.get(i + 1).is_some_and(|c| c.is_whitespace())
            && chars.get(i + 2).is_some_and(|c| c.is_uppercase());
        if ends {
            out.push(
                chars[start..=i]
                    .iter()
                    .collect::<String>()
                    .trim()
                    .to_string(),
            );
            start = i + 1;
        }
    }
    let rest: String = chars[start..].iter().collect();
    if !rest.trim().is_empty() {
        out.push(rest.trim().to_string());
    }
    out
}

/// One row of the table, its cells beside the header's columns.
struct Row<'h> {
    header: &'h [Option<Col>],
    cells: Vec<String>,
}

impl<'h> Row<'h> {
    fn new(header: &'h [Option<Col>], row: &[String]) -> Self {
        let mut cells: Vec<String> = row.to_vec();
        cells.resize(header.len(), String::new());
        Self { header, cells }
    }

    /// The cells under `col` (a column may be split over several).
    fn find(&self, col: Col) -> Vec<usize> {
        (0..self.header.len())
            .filter(|&i| self.header[i] == Some(col))
            .collect()
    }

    /// The column's text, or `None` if the table has no such column.
    fn text_of(&self, col: Col) -> Option<String> {
        let idx = self.find(col);
        (!idx.is_empty()).then(|| {
            let parts: Vec<String> = idx
                .iter()
                .map(|&i| clean_block(&self.cells[i]))
                .filter(|c| !c.is_empty())
                .collect();
            parts.join("\n\n")
        })
    }

    /// The column's text; an empty cell (in a column the table has) is flagged.
    fn field(&self, col: Col, name: &str, flags: &mut Vec<Flag>) -> String {
        match self.text_of(col) {
            Some(t) if t.is_empty() => {
                flags.push(Flag::new(
                    name,
                    format!("The “{}” cell is empty", col.name()),
                ));
                t
            }
            Some(t) => t,
            None => String::new(),
        }
    }

    /// Leads: an "Accountable Lead: …" label in the title cell (or, failing that, any cell),
    /// cut out of that cell, and a lead column if the table has one. None is flagged.
    fn take_leads(&mut self, flags: &mut Vec<Flag>) -> Vec<String> {
        let mut leads = Vec::new();
        let mut label_seen = false;
        let title_cells = self.find(Col::Title);
        let mut search: Vec<usize> = title_cells.clone();
        search.extend(
            (0..self.cells.len())
                .filter(|i| !title_cells.contains(i) && self.header[*i] != Some(Col::Lead)),
        );
        for i in search {
            let (names, rest, found) = take_leads(&self.cells[i]);
            if found {
                self.cells[i] = rest;
                leads.extend(names);
                label_seen = true;
                break;
            }
        }
        for i in self.find(Col::Lead) {
            let (names, _, found) = take_leads(&self.cells[i]);
            leads.extend(if found {
                names
            } else {
                split_names(&self.cells[i].replace('\n', "/"))
            });
            label_seen = true;
        }
        let mut unique: Vec<String> = Vec::new();
        for name in leads {
            if !unique.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
                unique.push(name);
            }
        }
        if unique.is_empty() {
            let message = if label_seen {
                "The accountable lead is blank; add who is accountable for this work area"
            } else {
                "No accountable lead was found; add who is accountable for this work area"
            };
            flags.push(Flag::new("accountable_leads", message));
        }
        unique
    }
}

/// The budget lines in the resources cell and their total (`None` if there are none or
/// the total overflows; both are flagged).
pub(super) fn budget(resources: &str, flags: &mut Vec<Flag>) -> (Vec<BudgetLine>, Option<i64>) {
    let money = scan_money(resources);
    for issue in &money.issues {
        flags.push(Flag::new("budget", issue.clone()));
    }
    let lines = money.lines;
    if lines.is_empty() {
        flags.push(Flag::new(
            "budget",
            "No budget found: no amount in £ in the resources cell",
        ));
        return (lines, None);
    }
    let total = lines
        .iter()
        .try_fold(0i64, |sum, l| sum.checked_add(l.amount_pence));
    if total.is_none() {
        flags.push(Flag::new(
            "budget",
            "The budget lines add up to more than can be stored",
        ));
    }
    (lines, total)
}

/// Flags dates that were not understood or are half there.
fn flag_dates(when: &str, dates: &DateRange, flags: &mut Vec<Flag>) {
    if !dates.understood {
        let message = if when.is_empty() {
            "No dates were given; enter a start and end date".to_string()
        } else {
            format!(
                "The dates “{}” were not understood; enter a start and end date",
                collapse_ws(when)
            )
        };
        flags.push(Flag::new("when", message));
        return;
    }
    if dates.start.is_none() {
        flags.push(Flag::new(
            "when",
            "Only an end date was found; enter a start date",
        ));
    }
    if dates.end.is_none() && !dates.end_open {
        flags.push(Flag::new(
            "when",
            "Only a start date was found; enter an end date or mark it ongoing",
        ));
    }
}
