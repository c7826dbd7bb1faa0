//! The table: its header row and its rows of cells, in either layout.

use super::*;

pub(super) struct Table {
    /// Text before the header row (title, cluster, lead applicant).
    pub(super) preamble: String,
    pub(super) header: Vec<Option<Col>>,
    pub(super) header_texts: Vec<String>,
    pub(super) rows: Vec<Vec<String>>,
    pub(super) flags: Vec<Flag>,
}

/// Most lines holding a tab have nothing but spaces before it: every cell starts with a tab.
pub(super) fn cells_start_with_tabs(text: &str) -> bool {
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

pub(super) fn tab_started_table(text: &str) -> Result<Table, ImportError> {
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

pub(super) fn tab_separated_table(text: &str) -> Result<Table, ImportError> {
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
