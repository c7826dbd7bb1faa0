//! Reading an indicator file, row by row, with flags for a person to check.
//!
//! The app reads the file (CSV or a sheet of an XLSX) and gives [`TableReader`] the heading
//! row, then each data row as cells. The format is recognised from the headings; columns are
//! found by heading in any order. Rows that cannot be saved safely are left out with a
//! [`RowFlag`] saying why; doubtful ones are kept with a flag. Work is linear in the rows and
//! memory is what is kept: the observations and one small entry each for spotting repeats.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::{shorten, AreaType, Comparison, GssCode, Period, Polarity};
use crate::text::{nfc, unicode_problem};

/// The most data rows read from one file.
pub const MAX_ROWS: u64 = 2_000_000;
/// The longest area or indicator name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Ids, units, sex and age bands are short labels.
const MAX_LABEL_CHARS: usize = 100;
const MAX_NOTE_CHARS: usize = 1000;
/// Past this many of one kind, a person cannot check them one by one: they are counted.
const MAX_FLAGS_PER_KIND: u64 = 1000;
/// Untrusted text quoted in a message is cut to this many characters.
const QUOTE_CHARS: usize = 60;

const OGL: &str = "Open Government Licence v3.0";
const FINGERTIPS_ATTRIBUTION: &str = "Office for Health Improvement and Disparities, Public Health Outcomes Framework (Fingertips). Contains public sector information licensed under the Open Government Licence v3.0.";

/// The tidy CSV template offered for download: its heading row and two example rows (clearly
/// illustrative).
pub const TIDY_TEMPLATE: &str = "\
indicator_id,indicator_name,unit,polarity,area_code,area_name,period,sex,age,value,lower_ci95,upper_ci95,count,denominator,note
example.walking,EXAMPLE ONLY - replace these rows: adults walking for travel weekly,%,higher_is_better,E06000009,Blackpool,2022/23,Persons,19+ yrs,40.0,35.5,44.5,200,500,Made-up figures to show the layout
example.walking,EXAMPLE ONLY - replace these rows: adults walking for travel weekly,%,higher_is_better,E07000117,Burnley,2022/23,Persons,19+ yrs,,,,,,Made-up: a missing value is left empty (never 0)
";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Fingertips,
    Tidy,
    ImdSummary,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Fingertips => "Fingertips export",
            Format::Tidy => "Learning Zone indicator template",
            Format::ImdSummary => "Indices of Deprivation local authority summary",
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IndicatorDef {
    /// "fingertips", "tidy" or "iod".
    pub source: String,
    pub source_id: String,
    pub name: String,
    /// "" when unknown.
    pub unit: String,
    pub polarity: Option<Polarity>,
    pub age: String,
    pub licence: String,
    pub attribution: String,
    pub definition_url: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ParsedObservation {
    /// The line number in the file, as given to `push`.
    pub row: u64,
    /// The indicator's `source_id`.
    pub indicator: String,
    pub area_code: GssCode,
    pub area_name: String,
    /// From the code's prefix, else from the file's area type column; None when neither says.
    pub area_type: Option<AreaType>,
    pub parent_code: Option<GssCode>,
    pub parent_name: String,
    pub period: Period,
    /// "Persons" when absent.
    pub sex: String,
    /// "" when absent.
    pub age: String,
    pub value: Option<f64>,
    pub lower_ci95: Option<f64>,
    pub upper_ci95: Option<f64>,
    pub count: Option<f64>,
    pub denominator: Option<f64>,
    pub note: Option<String>,
    pub compared_to_england: Option<Comparison>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    UnknownArea,
    EndedArea,
    BadAreaCode,
    NotANumber,
    Suppressed,
    Duplicate,
    BadPeriod,
    TooLong,
    BadText,
    Negative,
    OutsideInterval,
    UnknownPolarity,
    MissingField,
}

impl FlagKind {
    pub const ALL: [FlagKind; 13] = [
        FlagKind::UnknownArea,
        FlagKind::EndedArea,
        FlagKind::BadAreaCode,
        FlagKind::NotANumber,
        FlagKind::Suppressed,
        FlagKind::Duplicate,
        FlagKind::BadPeriod,
        FlagKind::TooLong,
        FlagKind::BadText,
        FlagKind::Negative,
        FlagKind::OutsideInterval,
        FlagKind::UnknownPolarity,
        FlagKind::MissingField,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FlagKind::UnknownArea => "unknown_area",
            FlagKind::EndedArea => "ended_area",
            FlagKind::BadAreaCode => "bad_area_code",
            FlagKind::NotANumber => "not_a_number",
            FlagKind::Suppressed => "suppressed",
            FlagKind::Duplicate => "duplicate",
            FlagKind::BadPeriod => "bad_period",
            FlagKind::TooLong => "too_long",
            FlagKind::BadText => "bad_text",
            FlagKind::Negative => "negative",
            FlagKind::OutsideInterval => "outside_interval",
            FlagKind::UnknownPolarity => "unknown_polarity",
            FlagKind::MissingField => "missing_field",
        }
    }

    /// A short heading for grouping flags on the review screen.
    pub fn heading(self) -> &'static str {
        match self {
            FlagKind::UnknownArea => "Areas we do not know",
            FlagKind::EndedArea => "Areas that no longer exist",
            FlagKind::BadAreaCode => "Area codes that are not GSS codes",
            FlagKind::NotANumber => "Values that are not numbers",
            FlagKind::Suppressed => "Suppressed values",
            FlagKind::Duplicate => "Rows given more than once",
            FlagKind::BadPeriod => "Periods we cannot read",
            FlagKind::TooLong => "Text that is too long",
            FlagKind::BadText => "Text with hidden or control characters",
            FlagKind::Negative => "Negative counts",
            FlagKind::OutsideInterval => "Values outside their confidence interval",
            FlagKind::UnknownPolarity => "Indicators without a polarity",
            FlagKind::MissingField => "Missing fields",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowFlag {
    /// 0 when the flag is about the whole file.
    pub row: u64,
    pub kind: FlagKind,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Parsed {
    pub format: Format,
    pub indicators: Vec<IndicatorDef>,
    pub observations: Vec<ParsedObservation>,
    /// In row order, whole-file flags (row 0) first; at most 1,000 of each kind.
    pub flags: Vec<RowFlag>,
    /// Flags past the 1,000 of their kind, counted but not listed.
    pub flags_not_shown: u64,
    pub rows_read: u64,
    /// Rows read that give no observation and need no flag: category breakdowns, blank rows,
    /// exact repeats.
    pub rows_skipped: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("We cannot tell what kind of file this is from its headings. A Fingertips export has the columns Indicator ID, Indicator Name, Area Code, Area Name, Time period and Value; the Learning Zone template has indicator_id, area_code, period and value; the Indices of Deprivation summary sheet has Local Authority District code (2019 or 2024), its name, and IMD - Average score, IMD - Rank of average score or IMD - Proportion of LSOAs in most deprived 10% nationally")]
    Unrecognised,
    #[error("This looks like a {} but these columns are missing: {}", .format.label(), .missing.join(", "))]
    MissingColumns {
        format: Format,
        missing: Vec<String>,
    },
    #[error("The file has more than {0} rows: split it into smaller files")]
    TooManyRows(u64),
}

/// Known indicators whose unit, polarity and age band the file does not carry (Fingertips
/// CSVs carry neither): 93014 "Percentage of physically active adults" (%, higher is better,
/// 19+ yrs) and 93015 "Percentage of physically inactive adults" (%, lower is better, 19+
/// yrs). Also the Indices of Deprivation measures read from the summary sheet
/// ("iod2019.imd_average_score" and the like, source "iod").
pub fn known_indicator(source: &str, source_id: &str) -> Option<IndicatorDef> {
    let id = source_id.trim();
    match source.trim().to_ascii_lowercase().as_str() {
        "fingertips" => {
            let (name, polarity) = match id {
                "93014" => (
                    "Percentage of physically active adults",
                    Polarity::HigherIsBetter,
                ),
                "93015" => (
                    "Percentage of physically inactive adults",
                    Polarity::LowerIsBetter,
                ),
                _ => return None,
            };
            Some(IndicatorDef {
                unit: "%".into(),
                polarity: Some(polarity),
                age: "19+ yrs".into(),
                ..fingertips_def(id, name, "")
            })
        }
        "iod" => {
            let (edition, measure) = id.strip_prefix("iod")?.split_once('.')?;
            let edition: u16 = match edition {
                "2019" => 2019,
                "2025" => 2025,
                _ => return None,
            };
            let measure = ImdMeasure::ALL.into_iter().find(|m| m.id() == measure)?;
            Some(imd_def(edition, measure))
        }
        _ => None,
    }
}

fn fingertips_def(id: &str, name: &str, age: &str) -> IndicatorDef {
    // Fingertips ids are numbers; anything else is not put into a link.
    let definition_url = if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
        format!("https://fingertips.phe.org.uk/search/{id}")
    } else {
        String::new()
    };
    IndicatorDef {
        source: "fingertips".into(),
        source_id: id.into(),
        name: name.into(),
        unit: String::new(),
        polarity: None,
        age: age.into(),
        licence: OGL.into(),
        attribution: FINGERTIPS_ATTRIBUTION.into(),
        definition_url,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ImdMeasure {
    AverageScore,
    RankOfAverageScore,
    ProportionMostDeprived10,
}

impl ImdMeasure {
    const ALL: [ImdMeasure; 3] = [
        ImdMeasure::AverageScore,
        ImdMeasure::RankOfAverageScore,
        ImdMeasure::ProportionMostDeprived10,
    ];

    /// The heading on the summary sheet, normalised (lower case, single spaces).
    fn heading(self) -> &'static str {
        match self {
            ImdMeasure::AverageScore => "imd - average score",
            ImdMeasure::RankOfAverageScore => "imd - rank of average score",
            ImdMeasure::ProportionMostDeprived10 => {
                "imd - proportion of lsoas in most deprived 10% nationally"
            }
        }
    }

    fn id(self) -> &'static str {
        match self {
            ImdMeasure::AverageScore => "imd_average_score",
            ImdMeasure::RankOfAverageScore => "imd_rank_average_score",
            ImdMeasure::ProportionMostDeprived10 => "imd_proportion_most_deprived_10pc",
        }
    }
}

fn imd_def(edition: u16, measure: ImdMeasure) -> IndicatorDef {
    let (what, unit, polarity) = match measure {
        ImdMeasure::AverageScore => ("average score", "score", Polarity::LowerIsBetter),
        // Rank 1 is the most deprived, so a higher rank is a less deprived area.
        ImdMeasure::RankOfAverageScore => (
            "rank of average score",
            "rank (1 = most deprived)",
            Polarity::HigherIsBetter,
        ),
        ImdMeasure::ProportionMostDeprived10 => (
            "proportion of LSOAs in the most deprived 10% nationally",
            "proportion",
            Polarity::LowerIsBetter,
        ),
    };
    IndicatorDef {
        source: "iod".into(),
        source_id: format!("iod{edition}.{}", measure.id()),
        name: format!("Index of Multiple Deprivation {edition}: {what}"),
        unit: unit.into(),
        polarity: Some(polarity),
        age: String::new(),
        licence: OGL.into(),
        attribution: format!("English Indices of Deprivation {edition}, Ministry of Housing, Communities and Local Government. Contains public sector information licensed under the Open Government Licence v3.0."),
        definition_url: format!(
            "https://www.gov.uk/government/statistics/english-indices-of-deprivation-{edition}"
        ),
    }
}

/// Where each field is, by column index.
#[derive(Debug, Default)]
struct Columns {
    indicator_id: Option<usize>,
    indicator_name: Option<usize>,
    unit: Option<usize>,
    polarity: Option<usize>,
    parent_code: Option<usize>,
    parent_name: Option<usize>,
    area_code: Option<usize>,
    area_name: Option<usize>,
    area_type: Option<usize>,
    category_type: Option<usize>,
    period: Option<usize>,
    sex: Option<usize>,
    age: Option<usize>,
    value: Option<usize>,
    lower: Option<usize>,
    upper: Option<usize>,
    count: Option<usize>,
    denominator: Option<usize>,
    note: Option<usize>,
    compared: Option<usize>,
}

/// The summary sheet's edition ("2019", "2025") and measure columns, with their ids.
#[derive(Debug, Default)]
struct ImdLayout {
    period: String,
    measures: Vec<(usize, String)>,
}

const FINGERTIPS_HEADINGS: [&str; 26] = [
    "indicator id",
    "indicator name",
    "parent code",
    "parent name",
    "area code",
    "area name",
    "area type",
    "sex",
    "age",
    "category type",
    "category",
    "time period",
    "value",
    "lower ci 95.0 limit",
    "upper ci 95.0 limit",
    "lower ci 99.8 limit",
    "upper ci 99.8 limit",
    "count",
    "denominator",
    "value note",
    "recent trend",
    "compared to england value or percentiles",
    "time period sortable",
    "new data",
    "compared to goal",
    "time period range",
];

const TIDY_HEADINGS: [&str; 15] = [
    "indicator_id",
    "indicator_name",
    "unit",
    "polarity",
    "area_code",
    "area_name",
    "period",
    "sex",
    "age",
    "value",
    "lower_ci95",
    "upper_ci95",
    "count",
    "denominator",
    "note",
];

/// What the reader keeps per indicator besides its definition.
#[derive(Debug, Default)]
struct IndicatorState {
    polarity_flagged: bool,
}

type RepeatKey = (String, GssCode, String, String, String);

pub struct TableReader {
    format: Format,
    cols: Columns,
    imd: ImdLayout,
    max_rows: u64,
    indicators: Vec<IndicatorDef>,
    indicator_state: Vec<IndicatorState>,
    indicator_index: HashMap<String, usize>,
    observations: Vec<ParsedObservation>,
    /// A hash of each observation's key to its index: smaller than the key itself. Keys
    /// whose hash was taken by another key go to `repeats_collided`.
    repeats: HashMap<u64, usize>,
    repeats_collided: HashMap<RepeatKey, usize>,
    flags: Vec<RowFlag>,
    flag_counts: [u64; FlagKind::ALL.len()],
    flags_not_shown: u64,
    rows_read: u64,
    rows_skipped: u64,
}

/// One row's fields as text, whatever the format.
#[derive(Debug, Default, Clone, Copy)]
struct RawRow<'a> {
    indicator_id: &'a str,
    indicator_name: &'a str,
    unit: &'a str,
    polarity: &'a str,
    parent_code: &'a str,
    parent_name: &'a str,
    area_code: &'a str,
    area_name: &'a str,
    area_type: &'a str,
    period: &'a str,
    sex: &'a str,
    age: &'a str,
    value: &'a str,
    lower: &'a str,
    upper: &'a str,
    count: &'a str,
    denominator: &'a str,
    note: &'a str,
    compared: &'a str,
}

/// Whether a row's area, period and labels were good enough to keep (its numbers may still
/// be flagged).
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Kept,
    Dropped,
}

fn normalise_heading(h: &str) -> String {
    h.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn position(headings: &[String], name: &str) -> Option<usize> {
    headings.iter().position(|h| h == name)
}

/// The year in "Local Authority District code (2019)".
fn heading_year(h: &str) -> Option<u16> {
    let inner = h.split_once('(')?.1.split_once(')')?.0.trim();
    (inner.len() == 4).then_some(())?;
    inner.parse().ok()
}

impl TableReader {
    /// Recognises the format from the heading row (case-insensitive, trimmed, BOM stripped
    /// from the first cell).
    pub fn new(headings: &[String]) -> Result<TableReader, FormatError> {
        let h: Vec<String> = headings
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let s = if i == 0 {
                    s.trim_start_matches('\u{FEFF}')
                } else {
                    s
                };
                normalise_heading(s)
            })
            .collect();
        let mut cols = Columns::default();
        let mut imd = ImdLayout::default();
        let lad_code = h
            .iter()
            .position(|s| s.starts_with("local authority district code ("));
        let format = if let Some(code_col) = lad_code {
            let mut missing = Vec::new();
            // IoD2025 labels its districts with their 2024 codes.
            match h.get(code_col).and_then(|s| heading_year(s)) {
                Some(2019) => imd.period = "2019".into(),
                Some(2024 | 2025) => imd.period = "2025".into(),
                _ => missing.push("Local Authority District code (2019) or (2024)".to_string()),
            }
            cols.area_code = Some(code_col);
            cols.area_name = h
                .iter()
                .position(|s| s.starts_with("local authority district name"));
            if cols.area_name.is_none() {
                missing.push("Local Authority District name".to_string());
            }
            for m in ImdMeasure::ALL {
                if let Some(i) = position(&h, m.heading()) {
                    imd.measures
                        .push((i, format!("iod{}.{}", imd.period, m.id())));
                }
            }
            if imd.measures.is_empty() {
                missing.push("IMD - Average score, IMD - Rank of average score or IMD - Proportion of LSOAs in most deprived 10% nationally".to_string());
            }
            if !missing.is_empty() {
                return Err(FormatError::MissingColumns {
                    format: Format::ImdSummary,
                    missing,
                });
            }
            Format::ImdSummary
        } else {
            let hits = |known: &[&str]| h.iter().filter(|s| known.contains(&s.as_str())).count();
            let (fingertips, tidy) = (hits(&FINGERTIPS_HEADINGS), hits(&TIDY_HEADINGS));
            let (format, required): (Format, &[(&str, &str)]) = if fingertips > tidy {
                cols = Columns {
                    indicator_id: position(&h, "indicator id"),
                    indicator_name: position(&h, "indicator name"),
                    parent_code: position(&h, "parent code"),
                    parent_name: position(&h, "parent name"),
                    area_code: position(&h, "area code"),
                    area_name: position(&h, "area name"),
                    area_type: position(&h, "area type"),
                    category_type: position(&h, "category type"),
                    period: position(&h, "time period"),
                    sex: position(&h, "sex"),
                    age: position(&h, "age"),
                    value: position(&h, "value"),
                    lower: position(&h, "lower ci 95.0 limit"),
                    upper: position(&h, "upper ci 95.0 limit"),
                    count: position(&h, "count"),
                    denominator: position(&h, "denominator"),
                    note: position(&h, "value note"),
                    compared: position(&h, "compared to england value or percentiles"),
                    ..Columns::default()
                };
                (
                    Format::Fingertips,
                    &[
                        ("indicator id", "Indicator ID"),
                        ("indicator name", "Indicator Name"),
                        ("area code", "Area Code"),
                        ("area name", "Area Name"),
                        ("time period", "Time period"),
                        ("value", "Value"),
                    ],
                )
            } else if tidy > fingertips {
                cols = Columns {
                    indicator_id: position(&h, "indicator_id"),
                    indicator_name: position(&h, "indicator_name"),
                    unit: position(&h, "unit"),
                    polarity: position(&h, "polarity"),
                    area_code: position(&h, "area_code"),
                    area_name: position(&h, "area_name"),
                    period: position(&h, "period"),
                    sex: position(&h, "sex"),
                    age: position(&h, "age"),
                    value: position(&h, "value"),
                    lower: position(&h, "lower_ci95"),
                    upper: position(&h, "upper_ci95"),
                    count: position(&h, "count"),
                    denominator: position(&h, "denominator"),
                    note: position(&h, "note"),
                    ..Columns::default()
                };
                (
                    Format::Tidy,
                    &[
                        ("indicator_id", "indicator_id"),
                        ("area_code", "area_code"),
                        ("period", "period"),
                        ("value", "value"),
                    ],
                )
            } else {
                return Err(FormatError::Unrecognised);
            };
            let missing: Vec<String> = required
                .iter()
                .filter(|(norm, _)| position(&h, norm).is_none())
                .map(|(_, shown)| shown.to_string())
                .collect();
            if !missing.is_empty() {
                return Err(FormatError::MissingColumns { format, missing });
            }
            format
        };
        Ok(TableReader {
            format,
            cols,
            imd,
            max_rows: MAX_ROWS,
            indicators: Vec::new(),
            indicator_state: Vec::new(),
            indicator_index: HashMap::new(),
            observations: Vec::new(),
            repeats: HashMap::new(),
            repeats_collided: HashMap::new(),
            flags: Vec::new(),
            flag_counts: [0; FlagKind::ALL.len()],
            flags_not_shown: 0,
            rows_read: 0,
            rows_skipped: 0,
        })
    }

    /// A lower row limit than [`MAX_ROWS`] (never a higher one), for smaller uploads.
    pub fn with_max_rows(mut self, max_rows: u64) -> TableReader {
        self.max_rows = max_rows.min(MAX_ROWS);
        self
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// One data row; `line` is its line number in the file (for flags). Returns Err only
    /// past MAX_ROWS.
    pub fn push(&mut self, line: u64, cells: &[String]) -> Result<(), FormatError> {
        if self.rows_read >= self.max_rows {
            return Err(FormatError::TooManyRows(self.max_rows));
        }
        self.rows_read += 1;
        if cells.iter().all(|c| c.trim().is_empty()) {
            self.rows_skipped += 1;
            return Ok(());
        }
        let cell = |i: Option<usize>| -> &str {
            i.and_then(|i| cells.get(i)).map(|s| s.trim()).unwrap_or("")
        };
        let c = &self.cols;
        let raw = RawRow {
            indicator_id: cell(c.indicator_id),
            indicator_name: cell(c.indicator_name),
            unit: cell(c.unit),
            polarity: cell(c.polarity),
            parent_code: cell(c.parent_code),
            parent_name: cell(c.parent_name),
            area_code: cell(c.area_code),
            area_name: cell(c.area_name),
            area_type: cell(c.area_type),
            period: cell(c.period),
            sex: cell(c.sex),
            age: cell(c.age),
            value: cell(c.value),
            lower: cell(c.lower),
            upper: cell(c.upper),
            count: cell(c.count),
            denominator: cell(c.denominator),
            note: cell(c.note),
            compared: cell(c.compared),
        };
        match self.format {
            Format::Fingertips | Format::Tidy => {
                // Breakdowns by deprivation decile, ethnicity and so on are not areas.
                if !cell(self.cols.category_type).is_empty() {
                    self.rows_skipped += 1;
                } else {
                    self.accept(line, raw);
                }
            }
            Format::ImdSummary => {
                // Taken out for the loop, since `accept` needs the reader mutably.
                let imd = std::mem::take(&mut self.imd);
                for (col, id) in &imd.measures {
                    let row = RawRow {
                        indicator_id: id,
                        period: &imd.period,
                        value: cell(Some(*col)),
                        ..raw
                    };
                    // The area and period are the same for every measure: flag them once.
                    if self.accept(line, row) == Outcome::Dropped {
                        break;
                    }
                }
                self.imd = imd;
            }
        }
        Ok(())
    }

    pub fn finish(mut self) -> Parsed {
        // An indicator must have a name to be saved; its rows wait for one. Counted in one
        // pass, so a file of many unnamed indicators stays linear.
        let mut unnamed: HashMap<String, u64> = self
            .indicators
            .iter()
            .filter(|d| d.name.is_empty())
            .map(|d| (d.source_id.clone(), 0))
            .collect();
        if !unnamed.is_empty() {
            for o in &self.observations {
                if let Some(n) = unnamed.get_mut(&o.indicator) {
                    *n += 1;
                }
            }
            self.observations
                .retain(|o| !unnamed.contains_key(&o.indicator));
            let column = match self.format {
                Format::Tidy => "indicator_name",
                _ => "Indicator Name",
            };
            let mut flags = Vec::new();
            self.indicators.retain(|d| match unnamed.remove(&d.source_id) {
                Some(n) => {
                    flags.push(format!(
                        "No row names indicator {}: give its name in the {column} column. Its {n} rows are left out.",
                        quote(&d.source_id)
                    ));
                    false
                }
                None => true,
            });
            for message in flags {
                self.flag(0, FlagKind::MissingField, message);
            }
        }
        let missing_polarity: Vec<(String, String)> = self
            .indicators
            .iter()
            .filter(|d| d.polarity.is_none())
            .map(|d| (d.source_id.clone(), d.name.clone()))
            .collect();
        for (id, name) in missing_polarity {
            let how = match self.format {
                Format::Tidy => {
                    " (higher_is_better, lower_is_better or no_judgement in the polarity column)"
                }
                _ => "",
            };
            self.flag(
                0,
                FlagKind::UnknownPolarity,
                format!(
                    "We do not know whether a higher or lower value is better for indicator {} ({}): set its polarity{how} before areas are compared.",
                    quote(&id),
                    shorten(&name, QUOTE_CHARS)
                ),
            );
        }
        // Stable: whole-file flags first, then each row's flags in the order found.
        self.flags.sort_by_key(|f| f.row);
        Parsed {
            format: self.format,
            indicators: self.indicators,
            observations: self.observations,
            flags: self.flags,
            flags_not_shown: self.flags_not_shown,
            rows_read: self.rows_read,
            rows_skipped: self.rows_skipped,
        }
    }

    fn flag(&mut self, row: u64, kind: FlagKind, message: String) {
        let n = &mut self.flag_counts[kind.index()];
        *n += 1;
        if *n > MAX_FLAGS_PER_KIND {
            self.flags_not_shown += 1;
        } else {
            self.flags.push(RowFlag { row, kind, message });
        }
    }

    /// Checks a label that is part of the row's identity; a bad one drops the row.
    fn label(&mut self, line: u64, raw: &str, what: &str, max: usize) -> Option<String> {
        match clean(raw, max) {
            Ok(s) => Some(s),
            Err(fault) => {
                let (kind, message) = fault.describe(what, raw, max);
                self.flag(line, kind, format!("{message} The row is left out."));
                None
            }
        }
    }

    fn accept(&mut self, line: u64, r: RawRow) -> Outcome {
        let Some(fields) = self.row_fields(line, &r) else {
            return Outcome::Dropped;
        };
        let RowFields {
            indicator_id,
            indicator_name,
            area_code,
            area_name,
            period,
            sex,
            age,
        } = fields;

        let area_type = match area_code.area_type() {
            AreaType::Other => AreaType::parse(r.area_type),
            t => Some(t),
        };
        // The parent only places the area; a bad one is simply not kept.
        let parent_code = GssCode::parse(r.parent_code).ok();
        let parent_name = clean(r.parent_name, MAX_NAME_CHARS).unwrap_or_default();

        let note = self.note(line, r.note);
        let suppressed_by_note = note
            .as_deref()
            .is_some_and(|n| n.to_lowercase().contains("suppress"));
        let value = match read_number(r.value) {
            _ if suppressed_by_note => {
                self.flag(
                    line,
                    FlagKind::Suppressed,
                    format!(
                        "The value note says the value is suppressed ({}): it is left empty.",
                        quote(note.as_deref().unwrap_or(""))
                    ),
                );
                None
            }
            Number::Empty => None,
            Number::Suppressed => {
                self.flag(
                    line,
                    FlagKind::Suppressed,
                    format!(
                        "The value is suppressed ({}): it is left empty.",
                        quote(r.value)
                    ),
                );
                None
            }
            Number::Invalid => {
                self.flag(
                    line,
                    FlagKind::NotANumber,
                    format!(
                        "The value {} is not a number: it is left empty.",
                        quote(r.value)
                    ),
                );
                None
            }
            Number::Value(v) => Some(v),
        };
        let mut lower = self.optional_number(line, r.lower, "lower 95% limit");
        let mut upper = self.optional_number(line, r.upper, "upper 95% limit");
        let count = self.non_negative(line, r.count, "count");
        let denominator = self.non_negative(line, r.denominator, "denominator");
        if let (Some(lo), Some(hi)) = (lower, upper) {
            if lo > hi {
                self.flag(
                    line,
                    FlagKind::OutsideInterval,
                    format!("The lower 95% limit ({lo}) is above the upper ({hi}): the interval is left out."),
                );
                (lower, upper) = (None, None);
            } else if let Some(v) = value.filter(|v| *v < lo || *v > hi) {
                self.flag(
                    line,
                    FlagKind::OutsideInterval,
                    format!("The value {v} is outside its 95% confidence interval ({lo} to {hi}): check it."),
                );
            }
        }

        self.indicator(line, &indicator_id, &indicator_name, &r, &age);

        let obs = ParsedObservation {
            row: line,
            indicator: indicator_id,
            area_code,
            area_name,
            area_type,
            parent_code,
            parent_name,
            period,
            sex,
            age,
            value,
            lower_ci95: lower,
            upper_ci95: upper,
            count,
            denominator,
            note,
            compared_to_england: Comparison::parse(r.compared),
        };
        self.keep(obs);
        Outcome::Kept
    }

    /// The fields that identify a row; None (with a flag) when one is missing or unusable.
    fn row_fields(&mut self, line: u64, r: &RawRow) -> Option<RowFields> {
        let missing = [
            (r.indicator_id, "indicator id"),
            (r.area_code, "area code"),
            (r.period, "period"),
        ]
        .into_iter()
        .find(|(v, _)| v.is_empty());
        if let Some((_, what)) = missing {
            self.flag(
                line,
                FlagKind::MissingField,
                format!("The row has no {what}: it is left out."),
            );
            return None;
        }
        let indicator_id = self.label(line, r.indicator_id, "indicator id", MAX_LABEL_CHARS)?;
        let area_code = match GssCode::parse(r.area_code) {
            Ok(code) => code,
            Err(e) => {
                self.flag(
                    line,
                    FlagKind::BadAreaCode,
                    format!("{e}. The row is left out."),
                );
                return None;
            }
        };
        let period = match Period::parse(r.period) {
            Ok(p) => p,
            Err(e) => {
                self.flag(
                    line,
                    FlagKind::BadPeriod,
                    format!("{e}. The row is left out."),
                );
                return None;
            }
        };
        let indicator_name =
            self.label(line, r.indicator_name, "indicator name", MAX_NAME_CHARS)?;
        let area_name = self.label(line, r.area_name, "area name", MAX_NAME_CHARS)?;
        let sex = self.label(line, r.sex, "sex", MAX_LABEL_CHARS)?;
        let sex = if sex.is_empty() {
            "Persons".to_string()
        } else {
            sex
        };
        let age = self.label(line, r.age, "age band", MAX_LABEL_CHARS)?;
        Some(RowFields {
            indicator_id,
            indicator_name,
            area_code,
            area_name,
            period,
            sex,
            age,
        })
    }

    /// The note, cleaned; a bad one is dropped and a long one cut, with a flag, keeping the row.
    fn note(&mut self, line: u64, raw: &str) -> Option<String> {
        match clean(raw, MAX_NOTE_CHARS) {
            Ok(s) if s.is_empty() => None,
            Ok(s) => Some(s),
            Err(TextFault::TooLong(_)) => {
                self.flag(
                    line,
                    FlagKind::TooLong,
                    format!(
                        "The note is longer than {MAX_NOTE_CHARS} characters: it is cut short."
                    ),
                );
                let cut = nfc(&raw.replace(['\t', '\n', '\r'], " "));
                Some(cut.chars().take(MAX_NOTE_CHARS).collect())
            }
            Err(fault) => {
                let (kind, message) = fault.describe("note", raw, MAX_NOTE_CHARS);
                self.flag(line, kind, format!("{message} The note is left out."));
                None
            }
        }
    }

    /// A confidence limit: suppression markers and blanks are simply missing.
    fn optional_number(&mut self, line: u64, raw: &str, what: &str) -> Option<f64> {
        match read_number(raw) {
            Number::Value(v) => Some(v),
            Number::Empty | Number::Suppressed => None,
            Number::Invalid => {
                self.flag(
                    line,
                    FlagKind::NotANumber,
                    format!(
                        "The {what} {} is not a number: it is left empty.",
                        quote(raw)
                    ),
                );
                None
            }
        }
    }

    fn non_negative(&mut self, line: u64, raw: &str, what: &str) -> Option<f64> {
        let v = self.optional_number(line, raw, what)?;
        if v < 0.0 {
            self.flag(
                line,
                FlagKind::Negative,
                format!("The {what} is negative ({v}): it is left out."),
            );
            return None;
        }
        Some(v)
    }

    /// Registers the row's indicator the first time it is seen and fills in what later rows
    /// add (tidy files: the first row that names it, gives a unit or a polarity wins).
    fn indicator(&mut self, line: u64, id: &str, name: &str, r: &RawRow, age: &str) {
        let i = match self.indicator_index.get(id) {
            Some(&i) => i,
            None => {
                let def = match self.format {
                    Format::Fingertips => known_indicator("fingertips", id)
                        .unwrap_or_else(|| fingertips_def(id, name, age)),
                    Format::ImdSummary => {
                        known_indicator("iod", id).unwrap_or_else(|| IndicatorDef {
                            source: "iod".into(),
                            ..fingertips_def(id, name, age)
                        })
                    }
                    Format::Tidy => known_indicator("tidy", id).unwrap_or_else(|| IndicatorDef {
                        source: "tidy".into(),
                        source_id: id.into(),
                        name: String::new(),
                        unit: String::new(),
                        polarity: None,
                        age: age.into(),
                        licence: String::new(),
                        attribution: String::new(),
                        definition_url: String::new(),
                    }),
                };
                self.indicators.push(def);
                self.indicator_state.push(IndicatorState::default());
                self.indicator_index
                    .insert(id.to_string(), self.indicators.len() - 1);
                self.indicators.len() - 1
            }
        };
        if self.format != Format::Tidy && self.format != Format::Fingertips {
            return;
        }
        let Some(def) = self.indicators.get_mut(i) else {
            return;
        };
        if def.name.is_empty() {
            def.name = name.to_string();
        }
        if self.format != Format::Tidy {
            return;
        }
        if def.unit.is_empty() {
            if let Ok(unit) = clean(r.unit, MAX_LABEL_CHARS) {
                def.unit = unit;
            }
        }
        if def.polarity.is_none() && !r.polarity.is_empty() {
            def.polarity = Polarity::parse(r.polarity);
            let unread = def.polarity.is_none();
            let first = self
                .indicator_state
                .get_mut(i)
                .is_some_and(|s| !std::mem::replace(&mut s.polarity_flagged, true));
            if unread && first {
                self.flag(
                    line,
                    FlagKind::UnknownPolarity,
                    format!(
                        "The polarity {} is not one we know: use higher_is_better, lower_is_better or no_judgement.",
                        quote(r.polarity)
                    ),
                );
            }
        }
    }

    /// Adds the observation, or settles a repeat of one already read: the same values are
    /// kept once; different ones are flagged and the later row wins.
    fn keep(&mut self, obs: ParsedObservation) {
        let hash = repeat_hash(&obs);
        let earlier = match self.repeats.get(&hash) {
            Some(&i) if self.observations.get(i).is_some_and(|o| same_key(o, &obs)) => Some(i),
            _ if self.repeats_collided.is_empty() => None,
            _ => self.repeats_collided.get(&repeat_key(&obs)).copied(),
        };
        let Some(i) = earlier else {
            let i = self.observations.len();
            match self.repeats.entry(hash) {
                Entry::Vacant(e) => {
                    e.insert(i);
                }
                Entry::Occupied(_) => {
                    self.repeats_collided.insert(repeat_key(&obs), i);
                }
            }
            self.observations.push(obs);
            return;
        };
        let Some(old) = self.observations.get(i) else {
            return;
        };
        let same = old.value == obs.value
            && old.lower_ci95 == obs.lower_ci95
            && old.upper_ci95 == obs.upper_ci95
            && old.count == obs.count
            && old.denominator == obs.denominator;
        if same {
            self.rows_skipped += 1;
            return;
        }
        let message = format!(
            "Rows {} and {} both give {} for {} in {}{}: {} and {}; the later row is kept.",
            old.row,
            obs.row,
            quote(&obs.indicator),
            obs.area_code,
            obs.period.label,
            breakdown(&obs),
            show(old),
            show(&obs),
        );
        self.flag(obs.row, FlagKind::Duplicate, message);
        if let Some(slot) = self.observations.get_mut(i) {
            *slot = obs;
        }
    }
}

struct RowFields {
    indicator_id: String,
    indicator_name: String,
    area_code: GssCode,
    area_name: String,
    period: Period,
    sex: String,
    age: String,
}

fn repeat_key(o: &ParsedObservation) -> RepeatKey {
    (
        o.indicator.clone(),
        o.area_code.clone(),
        o.period.label.clone(),
        o.sex.clone(),
        o.age.clone(),
    )
}

fn repeat_hash(o: &ParsedObservation) -> u64 {
    let mut h = DefaultHasher::new();
    (&o.indicator, &o.area_code, &o.period.label, &o.sex, &o.age).hash(&mut h);
    h.finish()
}

fn same_key(a: &ParsedObservation, b: &ParsedObservation) -> bool {
    a.indicator == b.indicator
        && a.area_code == b.area_code
        && a.period.label == b.period.label
        && a.sex == b.sex
        && a.age == b.age
}

/// " (Female, 19+ yrs)" when the row is not the whole population.
fn breakdown(o: &ParsedObservation) -> String {
    match (o.sex.as_str(), o.age.as_str()) {
        ("Persons", "") => String::new(),
        (sex, "") => format!(" ({sex})"),
        (sex, age) => format!(" ({sex}, {age})"),
    }
}

/// The value and interval, as a person would read them.
fn show(o: &ParsedObservation) -> String {
    let value = o
        .value
        .map_or_else(|| "no value".to_string(), |v| v.to_string());
    match (o.lower_ci95, o.upper_ci95) {
        (Some(lo), Some(hi)) => format!("{value} ({lo} to {hi})"),
        _ => value,
    }
}

/// Untrusted text in a message: cut short and quoted with escapes, so control and
/// direction characters show as codes rather than acting.
fn quote(s: &str) -> String {
    format!("{:?}", shorten(s, QUOTE_CHARS))
}

#[derive(Debug, PartialEq)]
enum TextFault {
    TooLong(usize),
    Control,
    Unicode(crate::text::UnicodeProblem),
}

impl TextFault {
    fn describe(&self, what: &str, raw: &str, max: usize) -> (FlagKind, String) {
        match self {
            TextFault::TooLong(n) => (
                FlagKind::TooLong,
                format!("The {what} is {n} characters long; the most is {max}."),
            ),
            TextFault::Control => (
                FlagKind::BadText,
                format!("The {what} {} contains control characters.", quote(raw)),
            ),
            TextFault::Unicode(p) => (
                FlagKind::BadText,
                format!("{} ({}).", p.message(&format!("The {what}")), quote(raw)),
            ),
        }
    }
}

/// Trimmed, tabs and line breaks made spaces, NFC; refused if it holds other control
/// characters, fails the Unicode policy or is longer than `max` characters.
fn clean(raw: &str, max: usize) -> Result<String, TextFault> {
    let s = raw.trim();
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(TextFault::Control);
    }
    if let Some(p) = unicode_problem(s) {
        return Err(TextFault::Unicode(p));
    }
    let s = nfc(&s.replace(['\t', '\n', '\r'], " "));
    let n = s.chars().count();
    if n > max {
        return Err(TextFault::TooLong(n));
    }
    Ok(s)
}

#[derive(Debug, PartialEq)]
enum Number {
    Empty,
    Suppressed,
    Value(f64),
    Invalid,
}

/// Markers statistical releases put where a value is withheld or not available.
const SUPPRESSED: [&str; 9] = ["*", "x", ":", "..", "-", "c", "[c]", "[x]", "suppressed"];

fn read_number(raw: &str) -> Number {
    let s = raw.trim();
    if s.is_empty() {
        return Number::Empty;
    }
    if SUPPRESSED.iter().any(|m| s.eq_ignore_ascii_case(m)) {
        return Number::Suppressed;
    }
    match plain_number(s) {
        Some(v) => Number::Value(v),
        None => Number::Invalid,
    }
}

/// A finite decimal number, with thousands separators in their proper places ("1,234.5";
/// "1,5" is refused, since it may be a decimal comma).
fn plain_number(s: &str) -> Option<f64> {
    let digits = if s.contains(',') {
        ungroup(s)?
    } else {
        s.to_string()
    };
    // Rust also reads "inf" and "NaN" as numbers; a value written in words is not one.
    let allowed = |b: u8| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E');
    if !digits.bytes().all(allowed) {
        return None;
    }
    digits.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn ungroup(s: &str) -> Option<String> {
    let (sign, rest) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (rest, None),
    };
    let mut groups = int.split(',');
    let first = groups.next()?;
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    if first.is_empty() || first.len() > 3 || !digits(first) {
        return None;
    }
    let mut out = format!("{sign}{first}");
    for g in groups {
        if g.len() != 3 || !digits(g) {
            return None;
        }
        out.push_str(g);
    }
    if let Some(frac) = frac {
        if frac.is_empty() || !digits(frac) {
            return None;
        }
        out.push('.');
        out.push_str(frac);
    }
    Some(out)
}
