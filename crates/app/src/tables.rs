//! Tables people download, as CSV or as an Excel workbook: the same header and rows either
//! way. CSV cells that start like a formula are neutralised (`neutralise`); XLSX cells are
//! written as text or numbers, never as formulas, so nothing needs changing there.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::{AppError, AppResult, Context};

/// One table: its sheet name, its header and its rows (each as long as the header).
#[derive(Debug, Clone)]
pub struct Table {
    pub name: &'static str,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(name: &'static str, header: &[&str]) -> Self {
        Self {
            name,
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }
}

/// A spreadsheet cannot run a cell that starts like a formula: prefix it with an apostrophe.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The table as CSV (formulas neutralised), UTF-8 with a byte-order mark: without it Excel
/// reads the file in the machine's legacy code page and "£" comes out as "Â£".
pub fn csv(table: &Table) -> AppResult<String> {
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    w.write_record(&table.header).context("csv")?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| neutralise(c)))
            .context("csv")?;
    }
    let bytes = w.into_inner().context("csv")?;
    String::from_utf8(bytes).context("csv")
}

/// The tables as one workbook, a sheet each: a bold header row that stays in view, columns
/// sized to their text. Amounts written like "1234.50" become numbers; everything else text.
pub fn xlsx(tables: &[Table]) -> AppResult<Vec<u8>> {
    build(tables).map_err(|e| AppError::internal(format!("writing a workbook: {e}")))
}

fn build(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for table in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(table.name)?;
        for (c, h) in table.header.iter().enumerate() {
            sheet.write_string_with_format(0, column(c), h, &bold)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                match amount(cell) {
                    Some(n) => sheet.write_number(r, column(c), n)?,
                    None => sheet.write_string(r, column(c), cell)?,
                };
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofit();
    }
    book.save_to_buffer()
}

fn column(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// "1234.50" or "-12" (the tables' amounts), not "2026-07-15" or "007".
fn amount(cell: &str) -> Option<f64> {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let (whole, pence) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && (whole == "0" || !whole.starts_with('0'))
        && pence.len() <= 2
        && pence.bytes().all(|b| b.is_ascii_digit());
    plain.then(|| cell.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_numbers_and_the_rest_text() {
        assert_eq!(amount("1234.50"), Some(1234.5));
        assert_eq!(amount("-12"), Some(-12.0));
        assert_eq!(amount("0.75"), Some(0.75));
        for text in ["2026-07-15", "007", "=1+1", "", "12.345", "£8,000", "1e9"] {
            assert_eq!(amount(text), None, "{text}");
        }
    }

    #[test]
    fn a_workbook_is_a_zip_and_csv_neutralises_formulas() {
        let mut t = Table::new("Registrations", &["Name", "Spent"]);
        t.rows
            .push(vec!["=HYPERLINK(\"x\")".into(), "12.50".into()]);
        let book = xlsx(&[t.clone()]).expect("workbook");
        assert!(book.starts_with(b"PK"));
        let text = csv(&t).expect("csv");
        assert!(text.contains("'=HYPERLINK"), "{text}");
        assert!(
            text.starts_with("\u{feff}Name,Spent"),
            "a BOM, then the header"
        );
    }
}
