//! Delivery plans: a table exported from Word as text.
//!
//! Two layouts are read. In the usual one every cell begins with a TAB and runs on over any
//! number of lines, so the table is simply the sequence of tab-started cells: the header row
//! (recognised by its column titles) tells how many cells make a row. In the other, plain
//! tab-separated lines, each line holding tabs starts a row and lines without tabs continue
//! the cell before them.

use super::clean::{
    capitalise_first, clean_block, collapse_ws, find_word, is_dash, items, prepare,
    trim_trailing_punct, without_parens,
};
use super::dates::parse_date_range;
use super::money::scan_money;
use super::{Flag, ImportError, ParsedPlan, ParsedWorkArea};

/// Reads a delivery plan. Anything uncertain becomes a [`Flag`] on the plan or work area.
pub fn parse_plan(text: &str) -> Result<ParsedPlan, ImportError> {
    let text = prepare(text)?;
    if !text.contains('\t') {
        return Err(ImportError::NotATable(
            "no table cells were found (the cells of an exported Word table are separated by tabs)"
                .to_string(),
        ));
    }
    let table = if cells_start_with_tabs(&text) {
        tab_started_table(&text)?
    } else {
        tab_separated_table(&text)?
    };
    let mut flags = table.flags;

    let missing_required = missing_required(&table.header);
    if !missing_required.is_empty() {
        return Err(ImportError::MissingColumns(missing_required));
    }
    for (i, col) in table.header.iter().enumerate() {
        if col.is_none() {
            let name = table
                .header_texts
                .get(i)
                .map(|t| collapse_ws(t))
                .unwrap_or_default();
            flags.push(Flag::new(
                "columns",
                format!("The column “{name}” was not recognised and was ignored"),
            ));
        }
    }
    for col in [
        Col::Progress,
        Col::Why,
        Col::What,
        Col::Resources,
        Col::When,
        Col::Outcomes,
    ] {
        if !table.header.contains(&Some(col)) {
            flags.push(Flag::new(
                "columns",
                format!("The table has no “{}” column", col.name()),
            ));
        }
    }

    let (title, cluster, lead_applicant) = preamble_fields(&table.preamble);
    let title = title.unwrap_or_else(|| {
        flags.push(Flag::new(
            "title",
            "No plan title was found before the table",
        ));
        "Delivery plan".to_string()
    });
    if cluster.is_none() {
        flags.push(Flag::new(
            "cluster",
            "No cluster name was found (“Cluster Name: …”)",
        ));
    }
    if lead_applicant.is_none() {
        flags.push(Flag::new(
            "lead_applicant",
            "No lead applicant was found (“Lead Applicant Name: …”)",
        ));
    }

    let width = table.header.len();
    let mut work_areas = Vec::new();
    for row in &table.rows {
        if row.iter().all(|c| c.trim().is_empty()) || is_repeated_header(row, &table.header_texts) {
            continue;
        }
        if row.len() < width {
            flags.push(Flag::new(
                "rows",
                format!(
                    "A row has {} of {} cells; check that the whole table was exported",
                    row.len(),
                    width
                ),
            ));
        }
        work_areas.push(work_area(work_areas.len() + 1, &table.header, row));
    }
    if work_areas.is_empty() {
        flags.push(Flag::new(
            "work_areas",
            "The table has a header row but no work areas",
        ));
    }
    Ok(ParsedPlan {
        title,
        cluster,
        lead_applicant,
        work_areas,
        flags,
    })
}

// ---------------------------------------------------------------------------------------------
// Columns

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
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
    fn name(self) -> &'static str {
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
fn classify_heading(cell: &str) -> Option<Col> {
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
fn missing_required(header: &[Option<Col>]) -> Vec<String> {
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

fn is_repeated_header(row: &[String], header_texts: &[String]) -> bool {
    row.len() == header_texts.len()
        && row
            .iter()
            .zip(header_texts)
            .all(|(a, b)| collapse_ws(a) == collapse_ws(b))
}

// ---------------------------------------------------------------------------------------------
// The table

struct Table {
    /// Text before the header row (title, cluster, lead applicant).
    preamble: String,
    header: Vec<Option<Col>>,
    header_texts: Vec<String>,
    rows: Vec<Vec<String>>,
    flags: Vec<Flag>,
}

/// Most lines holding a tab have nothing but spaces before it: every cell starts with a tab.
fn cells_start_with_tabs(text: &str) -> bool {
    let mut leading = 0usize;
    let mut total = 0usize;
    for line in text.split('\n').filter(|l| l.contains('\t')) {
        total += 1;
        if line
            .split('\t')
            .next()
            .is_none_or(|before| before.trim().is_empty())
        {
            leading += 1;
        }
    }
    leading * 2 >= total
}

fn tab_started_table(text: &str) -> Result<Table, ImportError> {
    let mut parts = text.split('\t');
    let before = parts.next().unwrap_or_default();
    let cells: Vec<&str> = parts.collect();
    let (start, header) = find_header_run(&cells)?;
    let width = header.len();
    let header_texts: Vec<String> = cells[start..start + width]
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut preamble = before.to_string();
    for c in &cells[..start] {
        preamble.push('\n');
        preamble.push_str(c);
    }
    let rows = cells[start + width..]
        .chunks(width)
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    Ok(Table {
        preamble,
        header,
        header_texts,
        rows,
        flags: Vec::new(),
    })
}

/// The header row: the first run of consecutive cells that each name a different column
/// (an unrecognised short title between two recognised ones is kept as an ignored column).
fn find_header_run(cells: &[&str]) -> Result<(usize, Vec<Option<Col>>), ImportError> {
    let limit = cells.len().min(200);
    let kinds: Vec<Option<Col>> = cells
        .iter()
        .take(limit + 12)
        .map(|c| classify_heading(c))
        .collect();
    let run_at = |s: usize| -> Vec<Option<Col>> {
        let mut run: Vec<Option<Col>> = Vec::new();
        let mut i = s;
        while i < kinds.len() {
            match kinds[i] {
                Some(c) if !run.contains(&Some(c)) => run.push(Some(c)),
                // "Start date" then "End date": two columns of dates, read together.
                Some(Col::When) if run.last() == Some(&Some(Col::When)) => {
                    run.push(Some(Col::When))
                }
                Some(_) => break,
                None => {
                    let bridge = !run.is_empty()
                        && collapse_ws(cells[i]).split(' ').count() <= 8
                        && kinds
                            .get(i + 1)
                            .copied()
                            .flatten()
                            .is_some_and(|n| !run.contains(&Some(n)));
                    if !bridge {
                        break;
                    }
                    run.push(None);
                }
            }
            i += 1;
        }
        run
    };
    let known = |run: &[Option<Col>]| run.iter().filter(|c| c.is_some()).count();
    let mut best_single: Option<Vec<Option<Col>>> = None;
    for (s, kind) in kinds.iter().enumerate().take(limit) {
        if kind.is_none() {
            continue;
        }
        let run = run_at(s);
        if known(&run) >= 2 {
            // A title cell that happens to hold a keyword may sit just before the header.
            let next = run_at(s + 1);
            return Ok(if known(&next) > known(&run) {
                (s + 1, next)
            } else {
                (s, run)
            });
        }
        if best_single.is_none() {
            best_single = Some(run);
        }
    }
    match best_single {
        Some(run) => Err(ImportError::MissingColumns(missing_required(&run))),
        None => Err(no_header()),
    }
}

fn no_header() -> ImportError {
    ImportError::NotATable(
        "no header row was found (column titles such as “Work Area”, “Why is this work needed?”, “What you will do”)"
            .to_string(),
    )
}

fn tab_separated_table(text: &str) -> Result<Table, ImportError> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut header_at = None;
    let mut best_single = None;
    for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.contains('\t')) {
        let kinds: Vec<Option<Col>> = line.split('\t').map(classify_heading).collect();
        let mut distinct: Vec<Col> = Vec::new();
        for c in kinds.iter().flatten() {
            if !distinct.contains(c) {
                distinct.push(*c);
            }
        }
        if distinct.len() >= 2 {
            header_at = Some((i, kinds));
            break;
        }
        if distinct.len() == 1 && best_single.is_none() {
            best_single = Some(kinds);
        }
    }
    let Some((h, header)) = header_at else {
        return Err(match best_single {
            Some(kinds) => ImportError::MissingColumns(missing_required(&kinds)),
            None => no_header(),
        });
    };
    let width = header.len();
    let header_texts: Vec<String> = lines[h].split('\t').map(str::to_string).collect();
    let preamble = lines[..h]
        .iter()
        .map(|l| l.replace('\t', " "))
        .collect::<Vec<_>>()
        .join("\n");
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut flags = Vec::new();
    for line in &lines[h + 1..] {
        if line.contains('\t') {
            let mut parts = line.split('\t').map(str::to_string);
            match rows.last_mut() {
                // A cell that ran over several lines: this line carries on the same row.
                Some(row) if row.len() < width => {
                    if let (Some(last), Some(first)) = (row.last_mut(), parts.next()) {
                        last.push('\n');
                        last.push_str(&first);
                    }
                    row.extend(parts);
                }
                _ => rows.push(parts.collect()),
            }
        } else if let Some(last) = rows.last_mut().and_then(|r| r.last_mut()) {
            last.push('\n');
            last.push_str(line);
        } else if !line.trim().is_empty() {
            // Text between the header and the first row begins the first row's first cell.
            rows.push(vec![line.to_string()]);
        }
    }
    for row in &mut rows {
        if row.len() > width {
            if row[width..].iter().any(|c| !c.trim().is_empty()) {
                flags.push(Flag::new(
                    "rows",
                    "A row has more cells than the header; the extra cells were ignored",
                ));
            }
            row.truncate(width);
        }
    }
    Ok(Table {
        preamble,
        header,
        header_texts,
        rows,
        flags,
    })
}

// ---------------------------------------------------------------------------------------------
// Before the table: title, cluster, lead applicant

fn preamble_fields(text: &str) -> (Option<String>, Option<String>, Option<String>) {
    let lines: Vec<String> = text
        .split('\n')
        .map(collapse_ws)
        .filter(|l| !l.is_empty())
        .collect();
    let mut title = None;
    let mut cluster = None;
    let mut lead_applicant = None;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        i += 1;
        let Some((key, value)) = line
            .split_once(':')
            .filter(|(k, _)| k.split_whitespace().count() <= 5)
        else {
            if title.is_none() {
                title = Some(trim_trailing_punct(line));
            }
            continue;
        };
        let key = key.to_lowercase();
        let mut value = value.trim().to_string();
        let field = if key.contains("cluster") {
            &mut cluster
        } else if key.contains("applicant")
            || key.contains("lead organisation")
            || key.contains("lead organization")
        {
            &mut lead_applicant
        } else {
            const META: [&str; 10] = [
                "urn",
                "ref",
                "reference",
                "version",
                "date",
                "updated",
                "author",
                "prepared",
                "submitted",
                "contact",
            ];
            if !META.iter().any(|m| find_word(&key, m).is_some()) && title.is_none() {
                title = Some(trim_trailing_punct(line));
            }
            continue;
        };
        // "Cluster Name:" with the name in the next cell.
        if value.is_empty() && lines.get(i).is_some_and(|next| !next.contains(':')) {
            value = lines[i].clone();
            i += 1;
        }
        if !value.is_empty() && field.is_none() {
            *field = Some(value);
        }
    }
    (title.filter(|t| !t.is_empty()), cluster, lead_applicant)
}

// ---------------------------------------------------------------------------------------------
// One work area

fn work_area(number: usize, header: &[Option<Col>], row: &[String]) -> ParsedWorkArea {
    let mut flags = Vec::new();
    let mut cells: Vec<String> = row.to_vec();
    cells.resize(header.len(), String::new());
    let find = |col: Col| -> Vec<usize> {
        (0..header.len())
            .filter(|&i| header[i] == Some(col))
            .collect()
    };

    // Leads: an "Accountable Lead: …" label in the title cell (or, failing that, any cell),
    // and a lead column if the table has one.
    let mut leads = Vec::new();
    let mut label_seen = false;
    let title_cells = find(Col::Title);
    let mut search: Vec<usize> = title_cells.clone();
    search.extend(
        (0..cells.len()).filter(|i| !title_cells.contains(i) && header[*i] != Some(Col::Lead)),
    );
    for i in search {
        let (names, rest, found) = take_leads(&cells[i]);
        if found {
            cells[i] = rest;
            leads.extend(names);
            label_seen = true;
            break;
        }
    }
    for i in find(Col::Lead) {
        let (names, _, found) = take_leads(&cells[i]);
        leads.extend(if found {
            names
        } else {
            split_names(&cells[i].replace('\n', "/"))
        });
        label_seen = true;
    }
    let mut unique: Vec<String> = Vec::new();
    for name in leads {
        if !unique.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
            unique.push(name);
        }
    }
    let leads = unique;
    if leads.is_empty() {
        let message = if label_seen {
            "The accountable lead is blank; add who is accountable for this work area"
        } else {
            "No accountable lead was found; add who is accountable for this work area"
        };
        flags.push(Flag::new("accountable_leads", message));
    }

    let text_of = |col: Col| -> Option<String> {
        let idx = find(col);
        (!idx.is_empty()).then(|| {
            let parts: Vec<String> = idx
                .iter()
                .map(|&i| clean_block(&cells[i]))
                .filter(|c| !c.is_empty())
                .collect();
            parts.join("\n\n")
        })
    };

    let mut title = trim_trailing_punct(&collapse_ws(&text_of(Col::Title).unwrap_or_default()));
    if title.is_empty() {
        flags.push(Flag::new("title", "This work area has no title"));
        title = format!("Work area {number}");
    }

    let field = |col: Col, name: &str, flags: &mut Vec<Flag>| -> String {
        match text_of(col) {
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
    };
    let why = field(Col::Why, "why", &mut flags);
    let progress = field(Col::Progress, "progress", &mut flags);
    let what_we_will_do = field(Col::What, "what_we_will_do", &mut flags);
    let resources = field(Col::Resources, "resources", &mut flags);
    let when = field(Col::When, "when", &mut flags);
    let outcomes_text = field(Col::Outcomes, "outcomes", &mut flags);

    let money = scan_money(&resources);
    for issue in &money.issues {
        flags.push(Flag::new("budget", issue.clone()));
    }
    let budget_lines = money.lines;
    let budget_total_pence = if budget_lines.is_empty() {
        flags.push(Flag::new(
            "budget",
            "No budget found: no amount in £ in the resources cell",
        ));
        None
    } else {
        let total = budget_lines
            .iter()
            .try_fold(0i64, |sum, l| sum.checked_add(l.amount_pence));
        if total.is_none() {
            flags.push(Flag::new(
                "budget",
                "The budget lines add up to more than can be stored",
            ));
        }
        total
    };

    let dates = parse_date_range(&when);
    if !dates.understood {
        if !when.is_empty() {
            flags.push(Flag::new(
                "when",
                format!(
                    "The dates “{}” were not understood; enter a start and end date",
                    collapse_ws(&when)
                ),
            ));
        } else {
            flags.push(Flag::new(
                "when",
                "No dates were given; enter a start and end date",
            ));
        }
    } else {
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

    ParsedWorkArea {
        title,
        accountable_leads: leads,
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
        flags,
    }
}

// ---------------------------------------------------------------------------------------------
// "Accountable Lead: Beth Kay / Amanda Forrest"

/// Whether any line of `text` holds a lead label.
fn has_lead_label(text: &str) -> bool {
    text.split('\n')
        .any(|line| lead_label_in(&line.chars().collect::<Vec<_>>()).is_some())
}

/// Where a lead label sits in a line, as char offsets: the text to cut (the label and, inside
/// "( … )", the brackets) and the names. "Accountable Lead(s)" / "Responsible Lead" count
/// anywhere; a plain "Lead(s):" only at the start of a line or just after "(".
struct LeadLabel {
    cut_from: usize,
    names_from: usize,
    names_to: usize,
    cut_to: usize,
}

fn starts_with_ci(chars: &[char], at: usize, word: &str) -> bool {
    let mut k = at;
    for w in word.chars() {
        match chars.get(k) {
            Some(c) if c.to_ascii_lowercase() == w => k += 1,
            _ => return false,
        }
    }
    true
}

fn lead_label_in(chars: &[char]) -> Option<LeadLabel> {
    for i in 0..chars.len() {
        if i > 0 && chars[i - 1].is_alphanumeric() {
            continue;
        }
        let mut j = i;
        let mut qualified = false;
        for q in ["accountable", "responsible"] {
            if starts_with_ci(chars, j, q) {
                j += q.len();
                while chars.get(j) == Some(&' ') {
                    j += 1;
                }
                qualified = true;
                break;
            }
        }
        if !starts_with_ci(chars, j, "lead") {
            continue;
        }
        j += 4;
        if starts_with_ci(chars, j, "(s)") {
            j += 3;
        } else if starts_with_ci(chars, j, "s")
            && !chars.get(j + 1).is_some_and(|c| c.is_alphanumeric())
        {
            j += 1;
        }
        if chars.get(j).is_some_and(|c| c.is_alphanumeric()) {
            continue; // "Leadership"
        }
        let mut k = j;
        while chars.get(k) == Some(&' ') {
            k += 1;
        }
        for extra in ["officers", "officer", "names", "name"] {
            if starts_with_ci(chars, k, extra)
                && !chars
                    .get(k + extra.len())
                    .is_some_and(|c| c.is_alphanumeric())
            {
                j = k + extra.len();
                break;
            }
        }
        while chars.get(j) == Some(&' ') {
            j += 1;
        }
        let sep_ok = match chars.get(j) {
            Some(':') => true,
            Some(&c) if is_dash(c) => qualified,
            _ => false,
        };
        if !sep_ok {
            continue;
        }
        let before: String = chars[..i].iter().collect();
        let before = before.trim_end();
        let paren = before.ends_with('(');
        if !(qualified || before.is_empty() || paren) {
            continue;
        }
        let cut_from = if paren { before.chars().count() - 1 } else { i };
        let names_from = j + 1;
        let (names_to, cut_to) = if paren {
            match chars[names_from..].iter().position(|&c| c == ')') {
                Some(p) => (names_from + p, names_from + p + 1),
                None => (chars.len(), chars.len()),
            }
        } else {
            (chars.len(), chars.len())
        };
        return Some(LeadLabel {
            cut_from,
            names_from,
            names_to,
            cut_to,
        });
    }
    None
}

/// Finds the lead label in a cell: (names, the cell without the label, whether one was found).
fn take_leads(cell: &str) -> (Vec<String>, String, bool) {
    let mut names = Vec::new();
    let mut found = false;
    let mut kept = Vec::new();
    for line in cell.split('\n') {
        let chars: Vec<char> = line.chars().collect();
        match lead_label_in(&chars) {
            Some(label) if !found => {
                found = true;
                let value: String = chars[label.names_from..label.names_to].iter().collect();
                names = split_names(&value);
                let rest: String = chars[..label.cut_from]
                    .iter()
                    .chain(&chars[label.cut_to..])
                    .collect();
                kept.push(rest);
            }
            _ => kept.push(line.to_string()),
        }
    }
    (names, kept.join("\n"), found)
}

/// "Beth Kay / Amanda Forrest", "X and Y", "X, Y & Z" → separate names. Placeholders
/// ("TBC", "n/a") give none.
fn split_names(value: &str) -> Vec<String> {
    let flat = collapse_ws(value);
    let lower = flat.to_lowercase();
    let lower = lower.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if matches!(
        lower,
        "" | "tbc" | "tbd" | "n/a" | "na" | "none" | "to be confirmed" | "to be agreed" | "-" | "?"
    ) {
        return Vec::new();
    }
    let joined: Vec<&str> = flat
        .split(' ')
        .map(|w| {
            if w.eq_ignore_ascii_case("and") {
                "/"
            } else {
                w
            }
        })
        .collect();
    joined
        .join(" ")
        .split(['/', ',', ';', '&', '+', '\n'])
        .map(|n| {
            collapse_ws(n.trim_matches(|c: char| {
                matches!(c, '.' | ',' | ';' | ':' | '"' | '“' | '”' | '‘' | '’')
                    || is_dash(c)
                    || c.is_whitespace()
            }))
        })
        .filter(|n| !n.is_empty() && !matches!(n.to_lowercase().as_str(), "tbc" | "tbd" | "n/a"))
        .map(|n| capitalise_first(&n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_recognised_by_keywords() {
        let cases = [
            ("Work Area", Some(Col::Title)),
            ("Why is this work needed?\n(be explicit about alignment … learning to date)", Some(Col::Why)),
            ("Key milestones/\nprogress to date\n(i.e. where linked to an existing work area)", Some(Col::Progress)),
            ("What you will do\nDescribe the outputs and how will this work area will be delivered", Some(Col::What)),
            ("What resources do you need to delivery this work area?\n\n(i.e. linked to headings within budget template)", Some(Col::Resources)),
            ("When will the work take place? \n(start and end dates)", Some(Col::When)),
            ("Outcomes\n(what impact will you be able to show?)", Some(Col::Outcomes)),
            ("OUTCOMES", Some(Col::Outcomes)),
            ("Accountable lead", Some(Col::Lead)),
            ("Lead", Some(Col::Lead)),
            ("Timescales", Some(Col::When)),
            ("Budget (£)", Some(Col::Resources)),
            ("Place Cluster Delivery Plan Template\nCluster Name: NW\nLead Applicant Name: Active Lancashire\nURN:", None),
            ("Create and enable a Learning Zone\n\nAccountable Lead: Beth Kay", None),
            ("Lead the development of a shared approach across places", None),
            ("Notes", None),
        ];
        for (text, want) in cases {
            assert_eq!(classify_heading(text), want, "{text}");
        }
    }

    #[test]
    fn leads_are_split_and_removed_from_the_title() {
        let (names, rest, found) =
            take_leads("Create and enable a Learning Zone  \n\nAccountable Lead: Beth Kay");
        assert!(found);
        assert_eq!(names, ["Beth Kay"]);
        assert_eq!(collapse_ws(&rest), "Create and enable a Learning Zone");

        assert_eq!(
            take_leads("Accountable Lead: Beth Kay / Amanda Forrest").0,
            ["Beth Kay", "Amanda Forrest"]
        );
        assert_eq!(
            take_leads("Lead: Sam Patel and Jo Green").0,
            ["Sam Patel", "Jo Green"]
        );
        assert_eq!(
            take_leads("Accountable Leads: A One, B Two & C Three").0,
            ["A One", "B Two", "C Three"]
        );
        assert_eq!(take_leads("ACCOUNTABLE LEAD – Jo Green").0, ["Jo Green"]);
        assert_eq!(take_leads("Lead: “Jo Green”").0, ["Jo Green"]);
        assert_eq!(
            take_leads("Accountable Lead(s):   Jo   Green  ").0,
            ["Jo Green"]
        );
        let (names, rest, _) = take_leads("Run events (Lead: Jo Green) across the NW");
        assert_eq!(names, ["Jo Green"]);
        assert_eq!(collapse_ws(&rest), "Run events across the NW");
        let (names, _, found) = take_leads("Accountable Lead: TBC");
        assert!(found && names.is_empty());
        // Not labels.
        assert!(!take_leads("Leadership: building capacity").2);
        assert!(!take_leads("The lead: a note in the middle of a sentence").2);
        assert!(!take_leads("Production of an advocacy resource").2);
    }

    #[test]
    fn preamble() {
        let (t, c, l) =
            preamble_fields(" \nPlace Cluster Delivery Plan Template\nCluster Name: NW\nLead Applicant Name: Active Lancashire\nURN: \n");
        assert_eq!(t.as_deref(), Some("Place Cluster Delivery Plan Template"));
        assert_eq!(c.as_deref(), Some("NW"));
        assert_eq!(l.as_deref(), Some("Active Lancashire"));
        let (t, c, l) = preamble_fields("URN: 123\nCluster name:\nNorth East\nLead applicant:\n");
        assert_eq!((t, c.as_deref(), l), (None, Some("North East"), None));
    }
}
