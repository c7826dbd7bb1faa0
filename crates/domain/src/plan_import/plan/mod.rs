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
use super::dates::{parse_date_range, DateRange};
use super::money::scan_money;
use super::{BudgetLine, Flag, ImportError, ParsedMilestone, ParsedPlan, ParsedWorkArea};

/// Reads a delivery plan. Anything uncertain becomes a [`Flag`] on the plan or work area.
pub fn parse_plan(text: &str) -> Result<ParsedPlan, ImportError> {
    let text = prepare(text)?;
    if !text.contains('\t') {
        return Err(ImportError::NotATable(
            "no table cells were found (the cells of an exported Word table are separated by tabs)"
                .to_string(),
        ));
    }
    let mut table = if cells_start_with_tabs(&text) {
        tab_started_table(&text)?
    } else {
        tab_separated_table(&text)?
    };
    let mut flags = std::mem::take(&mut table.flags);
    let missing = missing_required(&table.header);
    if !missing.is_empty() {
        return Err(ImportError::MissingColumns(missing));
    }
    flag_columns(&table, &mut flags);
    let (title, cluster, lead_applicant) = preamble(&table.preamble, &mut flags);
    let work_areas = work_areas(&table, &mut flags);
    Ok(ParsedPlan {
        title,
        cluster,
        lead_applicant,
        work_areas,
        flags,
    })
}

/// Flags columns that were not recognised and usual columns the table lacks.
fn flag_columns(table: &Table, flags: &mut Vec<Flag>) {
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
}

/// The plan's title, cluster and lead applicant from the text before the table; what is
/// missing is flagged (and the title given a default).
fn preamble(text: &str, flags: &mut Vec<Flag>) -> (String, Option<String>, Option<String>) {
    let (title, cluster, lead_applicant) = preamble_fields(text);
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
    (title, cluster, lead_applicant)
}

/// One work area per row, skipping blank rows and header rows repeated on each page.
fn work_areas(table: &Table, flags: &mut Vec<Flag>) -> Vec<ParsedWorkArea> {
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
    work_areas
}

mod columns;
mod leads;
mod preamble;
mod table;
#[cfg(test)]
mod tests;
mod work_area;

use columns::*;
use leads::*;
use preamble::*;
use table::*;
use work_area::*;
