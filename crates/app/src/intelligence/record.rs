//! Typed areas, indicators and observations made from store rows; a bad stored value is an
//! error, never a default.

use lz_domain::intelligence::{AreaType, Comparison, GssCode, Polarity};
use lz_store::intelligence::{AreaRow, IndicatorRow, ObservationRow};
use serde::Serialize;

use crate::{AppError, AppResult};

fn bad(what: &str, value: &str) -> AppError {
    AppError::internal(format!("stored {what} {value:?} is not valid"))
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaRecord {
    pub code: GssCode,
    pub name: String,
    pub area_type: AreaType,
    pub parent_code: Option<String>,
    pub parent_name: Option<String>,
    /// ISO dates.
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

impl AreaRecord {
    /// Whether the area existed on this ISO day (areas end: Cumbria's districts in 2023).
    pub fn existed_on(&self, day: &str) -> bool {
        self.valid_from.as_deref().is_none_or(|f| f <= day)
            && self.valid_to.as_deref().is_none_or(|t| day <= t)
    }

    pub fn type_label(&self) -> &'static str {
        self.area_type.label()
    }
}

impl TryFrom<AreaRow> for AreaRecord {
    type Error = AppError;
    fn try_from(r: AreaRow) -> AppResult<Self> {
        Ok(Self {
            code: GssCode::parse(&r.code).map_err(|_| bad("area code", &r.code))?,
            area_type: AreaType::parse(&r.area_type)
                .ok_or_else(|| bad("area type", &r.area_type))?,
            name: r.name,
            parent_code: r.parent_code,
            parent_name: r.parent_name,
            valid_from: r.valid_from,
            valid_to: r.valid_to,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRecord {
    pub id: String,
    pub source: String,
    pub source_id: String,
    pub name: String,
    pub unit: String,
    pub polarity: Polarity,
    pub age: String,
    pub licence: String,
    pub attribution: String,
    pub definition_url: String,
    /// Shown on every place's spine.
    pub key_indicator: bool,
    pub observations: i64,
    pub latest_period: Option<String>,
    pub updated_at: i64,
}

impl IndicatorRecord {
    pub fn polarity_label(&self) -> &'static str {
        self.polarity.label()
    }

    /// How the source is named to readers.
    pub fn source_label(&self) -> &'static str {
        match self.source.as_str() {
            "fingertips" => "OHID Fingertips",
            "iod" => "English Indices of Deprivation",
            "illustrative" => "Illustrative (not official)",
            _ => "Uploaded table",
        }
    }
}

impl TryFrom<IndicatorRow> for IndicatorRecord {
    type Error = AppError;
    fn try_from(r: IndicatorRow) -> AppResult<Self> {
        Ok(Self {
            polarity: Polarity::parse(&r.polarity).ok_or_else(|| bad("polarity", &r.polarity))?,
            id: r.id,
            source: r.source,
            source_id: r.source_id,
            name: r.name,
            unit: r.unit,
            age: r.age,
            licence: r.licence,
            attribution: r.attribution,
            definition_url: r.definition_url,
            key_indicator: r.key_indicator != 0,
            observations: r.observations,
            latest_period: r.latest_period,
            updated_at: r.updated_at,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ObservationRecord {
    pub id: String,
    pub indicator_id: String,
    pub area_code: String,
    pub area_name: String,
    pub area_type: AreaType,
    pub parent_code: Option<String>,
    pub period: String,
    pub period_start: String,
    pub period_end: String,
    pub sex: String,
    pub age: String,
    /// Missing stays missing (a suppressed or unpublished value), never 0.
    pub value: Option<f64>,
    pub lower_ci95: Option<f64>,
    pub upper_ci95: Option<f64>,
    pub count: Option<f64>,
    pub denominator: Option<f64>,
    pub note: Option<String>,
    /// As the source published it (Fingertips' "Compared to England" column).
    pub compared_to_england: Option<Comparison>,
    /// A demo value, not an official figure.
    pub illustrative: bool,
    pub source_file: String,
    pub source_row: i64,
    pub retrieved_at: i64,
}

impl ObservationRecord {
    pub fn ci(&self) -> Option<(f64, f64)> {
        Some((self.lower_ci95?, self.upper_ci95?))
    }
}

impl TryFrom<ObservationRow> for ObservationRecord {
    type Error = AppError;
    fn try_from(r: ObservationRow) -> AppResult<Self> {
        let compared_to_england = match r.compared_to_england.as_deref() {
            None | Some("") => None,
            Some(c) => Some(Comparison::parse(c).ok_or_else(|| bad("comparison", c))?),
        };
        Ok(Self {
            area_type: AreaType::parse(&r.area_type)
                .ok_or_else(|| bad("area type", &r.area_type))?,
            id: r.id,
            indicator_id: r.indicator_id,
            area_code: r.area_code,
            area_name: r.area_name,
            parent_code: r.parent_code,
            period: r.period,
            period_start: r.period_start,
            period_end: r.period_end,
            sex: r.sex,
            age: r.age,
            value: r.value,
            lower_ci95: r.lower_ci95,
            upper_ci95: r.upper_ci95,
            count: r.count,
            denominator: r.denominator,
            note: r.note,
            compared_to_england,
            illustrative: r.illustrative != 0,
            source_file: r.source_file,
            source_row: r.source_row,
            retrieved_at: r.retrieved_at,
        })
    }
}
