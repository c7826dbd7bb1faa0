//! Plan documents as files: the CSV template offered for download, and reading an uploaded
//! or pasted document (XLSX, CSV, or a Word table saved as text) as the tab-separated table
//! that `lz_domain::plan_import` parses, so every format shares one parser, its flags and its
//! review screen.

use crate::{AppError, AppResult};

/// The CSV template's columns, in order. Outcomes come last: one outcome per line in that cell.
pub const TEMPLATE_COLUMNS: &[&str] = &[
    "Work area",
    "Accountable lead",
    "Why is this work needed?",
    "Key milestones / progress to date",
    "What you will do",
    "Resources and budget",
    "When (start and end dates)",
    "Outcomes",
];

/// The CSV template offered for download: the columns and one example row.
pub fn plan_template_csv() -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let example = [
        "Run a learning series for places",
        "Beth Kay / Amanda Forrest",
        "Places share practice on common challenges.",
        "Priority themes agreed by the cluster.",
        "Three events, in person or online, with sector experts.",
        "Room hire and refreshments £1,500; expert input £500",
        "July to November 2026",
        "Places improve their practice\nNew sectors use their resources to promote PAS",
    ];
    // Writing to memory cannot fail; an error would leave the template empty, which tests catch.
    let _ = w.write_record(TEMPLATE_COLUMNS);
    let _ = w.write_record(example);
    w.into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

/// Reads a filled-in CSV template as the tab-separated table the plan parser reads, so that
/// both formats share one parser, its flags and its review screen.
pub fn csv_to_table(text: &str) -> AppResult<String> {
    // Quotes inside a quoted cell are doubled, so an odd count means a cell was never closed
    // (the csv reader would otherwise swallow the rest of the file into it).
    if text.matches('"').count() % 2 == 1 {
        return Err(AppError::field(
            "text",
            "A quoted cell in the CSV is not closed: check the quotation marks",
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            AppError::field(
                "text",
                format!("Row {} of the CSV cannot be read: {e}", i + 1),
            )
        })?;
        rows.push(record.iter().map(str::to_string).collect());
    }
    rows_to_table(rows)
}

/// The largest a spreadsheet may grow when unzipped: a small file that expands to gigabytes
/// (a "zip bomb") is refused before it is read.
const MAX_XLSX_UNZIPPED: u64 = 50 * 1024 * 1024;

/// Reads the first sheet of an XLSX template as the table the plan parser reads.
pub fn xlsx_to_table(bytes: &[u8]) -> AppResult<String> {
    let bad = |why: &str| AppError::field("file", format!("The spreadsheet cannot be read: {why}"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| bad("it is not an XLSX file"))?;
    let mut unzipped: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| bad("it is damaged"))?;
        unzipped = unzipped.saturating_add(entry.size());
    }
    if unzipped > MAX_XLSX_UNZIPPED {
        return Err(AppError::field(
            "file",
            "The spreadsheet is too large once unpacked: keep the plan to one sheet of text",
        ));
    }
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| bad(&e.to_string()))?;
    let sheet = book
        .worksheet_range_at(0)
        .ok_or_else(|| bad("it has no sheets"))?
        .map_err(|e| bad(&e.to_string()))?;
    let rows = sheet
        .rows()
        .map(|row| row.iter().map(|cell| cell.to_string()).collect())
        .collect();
    rows_to_table(rows)
}

/// Rows of cells as a tab-separated table. Line breaks would start a new row, so only the
/// last cell (outcomes) keeps them, as paragraph breaks, since each line there is one outcome.
fn rows_to_table(rows: Vec<Vec<String>>) -> AppResult<String> {
    let mut lines = Vec::new();
    for record in rows {
        let n = record.len();
        let cells: Vec<String> = record
            .into_iter()
            .enumerate()
            .map(|(j, c)| {
                let c = c.replace('\t', " ");
                if j + 1 == n {
                    c.split('\n')
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .collect::<Vec<_>>()
                        .join("\n\n")
                } else {
                    c.replace(['\r', '\n'], " ")
                }
            })
            .collect();
        if cells.iter().any(|c| !c.trim().is_empty()) {
            lines.push(cells.join("\t"));
        }
    }
    if lines.is_empty() {
        return Err(AppError::field("text", "The table is empty"));
    }
    Ok(lines.join("\n"))
}

/// An uploaded plan document: an XLSX template, or text (a Word table saved as text, or CSV).
pub fn uploaded_plan_text(bytes: &[u8]) -> AppResult<String> {
    if bytes.len() > lz_domain::plan_import::MAX_IMPORT_BYTES {
        return Err(AppError::field(
            "file",
            "The file is larger than 5 MB: a plan document is much smaller",
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return xlsx_to_table(bytes);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        AppError::field(
            "file",
            "The file is not text we can read: save it as plain text (UTF-8), CSV or XLSX",
        )
    })?;
    plan_text(text.trim_start_matches('\u{feff}'))
}

/// A pasted or uploaded plan: CSV (commas and no tabs in the first line) or a Word table.
pub fn plan_text(text: &str) -> AppResult<String> {
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("");
    if !first.contains('\t') && first.matches(',').count() >= 2 {
        csv_to_table(text)
    } else {
        Ok(text.to_string())
    }
}
