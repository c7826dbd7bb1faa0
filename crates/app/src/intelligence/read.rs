//! Reading the figures: the indicator list, an indicator across the region for one period and
//! over time for one area (with its region and England), a place's "spine" of key indicators
//! against England, the API's filtered observations, and CSV of each.

use std::collections::{BTreeMap, HashMap};

use lz_domain::intelligence::{compare, AreaType, Comparison, Polarity};
use lz_store::intelligence::{self as store, ObservationFilter};

use super::record::{AreaRecord, IndicatorRecord, ObservationRecord};
use super::{Intelligence, ENGLAND, NORTH_WEST};
use crate::tables::neutralise;
use crate::{Actor, AppError, AppResult, Context};

/// The API's filters: areas, a period, a sex, and a page.
#[derive(Debug, Clone, Default)]
pub struct ObservationQuery {
    pub areas: Vec<String>,
    pub period: Option<String>,
    pub sex: Option<String>,
    pub page: i64,
    pub per_page: i64,
}

/// One area's value for the comparison chart, with what can be said of it against England.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ComparisonRow {
    pub observation: ObservationRecord,
    pub comparison: Comparison,
}

/// One line of the time series: a value (or none) per period, oldest first.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SeriesLine {
    pub code: String,
    pub name: String,
    /// "primary" (the area looked at), "region" or "england".
    pub style: &'static str,
    pub points: Vec<Option<ComparisonRow>>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct IndicatorPage {
    pub indicator: IndicatorRecord,
    /// Newest first.
    pub periods: Vec<String>,
    pub period: Option<String>,
    pub sexes: Vec<String>,
    pub sex: String,
    pub england: Option<ObservationRecord>,
    pub region_name: String,
    /// The region's local authorities for `period`, best first (by polarity) then by name;
    /// missing values last.
    pub comparison: Vec<ComparisonRow>,
    pub area: Option<AreaRecord>,
    /// Oldest first, the periods of `series`.
    pub series_periods: Vec<String>,
    pub series: Vec<SeriesLine>,
    /// Any of the values shown is illustrative (demo data).
    pub illustrative: bool,
}

/// One row of a place's spine.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SpineEntry {
    pub indicator: IndicatorRecord,
    pub observation: ObservationRecord,
    pub england: Option<f64>,
    /// England's value is a demo figure, not an official one.
    pub england_illustrative: bool,
    /// The least and most favourable values among the region's areas for that period.
    pub worst: Option<f64>,
    pub best: Option<f64>,
    pub comparison: Comparison,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PlaceFigures {
    pub areas: Vec<AreaRecord>,
    /// The spine is of the main area (the first).
    pub spine: Vec<SpineEntry>,
    /// The trend of up to three key indicators with more than one period: the main area,
    /// its region and England.
    pub trends: Vec<Trend>,
    pub illustrative: bool,
}

/// One indicator over time for an area, its region and England.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Trend {
    pub indicator: IndicatorRecord,
    /// Oldest first.
    pub periods: Vec<String>,
    pub lines: Vec<SeriesLine>,
}

/// At most this many trend charts on a place's page.
const PLACE_TRENDS: usize = 3;

/// The comparison a reader is shown: computed from the confidence interval against England
/// when both are known (the same method for every source), else as the source published it.
fn judge(o: &ObservationRecord, england: Option<f64>, polarity: Polarity) -> Comparison {
    match (o.ci(), england) {
        (Some(_), Some(_)) => compare(o.value, o.ci(), england, polarity),
        _ => o.compared_to_england.unwrap_or(Comparison::NotCompared),
    }
}

/// Local authorities: what the comparison charts compare (not counties or regions, which
/// would count the same people twice).
fn is_local_authority(t: AreaType) -> bool {
    matches!(
        t,
        AreaType::Unitary
            | AreaType::District
            | AreaType::MetropolitanDistrict
            | AreaType::LondonBorough
    )
}

/// Whether `code` lies within `ancestor` (following parents, at most ten steps).
fn within(parents: &HashMap<String, Option<String>>, code: &str, ancestor: &str) -> bool {
    let mut at = code.to_string();
    for _ in 0..10 {
        match parents.get(&at).cloned().flatten() {
            Some(p) if p == ancestor => return true,
            Some(p) => at = p,
            None => return false,
        }
    }
    false
}

/// The region an area lies in (its nearest ancestor of type region), the North West if none.
fn region_of(areas: &[AreaRecord], code: &str) -> String {
    let by_code: HashMap<&str, &AreaRecord> = areas.iter().map(|a| (a.code.as_str(), a)).collect();
    let mut at = code;
    for _ in 0..10 {
        let Some(a) = by_code.get(at) else { break };
        if a.area_type == AreaType::Region {
            return a.code.as_str().to_string();
        }
        match a.parent_code.as_deref() {
            Some(p) => at = p,
            None => break,
        }
    }
    NORTH_WEST.to_string()
}

/// Best first: by polarity (higher or lower values first), missing values last, then name.
fn sort_best_first(rows: &mut [ComparisonRow], polarity: Polarity) {
    rows.sort_by(|a, b| {
        let (va, vb) = (a.observation.value, b.observation.value);
        match (va, vb) {
            (Some(x), Some(y)) => {
                let ord = x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal);
                match polarity {
                    Polarity::LowerIsBetter => ord,
                    _ => ord.reverse(),
                }
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| a.observation.area_name.cmp(&b.observation.area_name))
    });
}

impl Intelligence<'_> {
    pub async fn indicators(&self) -> AppResult<Vec<IndicatorRecord>> {
        let mut c = self.app.db.acquire().await?;
        store::indicators(&mut c)
            .await?
            .into_iter()
            .map(IndicatorRecord::try_from)
            .collect()
    }

    /// An indicator by its id or its source id ("93015").
    pub async fn indicator(&self, id: &str) -> AppResult<IndicatorRecord> {
        let mut c = self.app.db.acquire().await?;
        store::indicator_by_any_id(&mut c, id.trim())
            .await?
            .ok_or(AppError::NotFound)
            .and_then(IndicatorRecord::try_from)
    }

    /// The API's observations of an indicator, filtered and paged (at most 1,000 a page).
    pub async fn observations(
        &self,
        indicator_id: &str,
        q: &ObservationQuery,
    ) -> AppResult<Vec<ObservationRecord>> {
        let indicator = self.indicator(indicator_id).await?;
        let per_page = q.per_page.clamp(1, 1000);
        let page = q.page.max(1);
        if q.areas.len() > 100 {
            return Err(AppError::field("area", "Ask for at most 100 areas at once"));
        }
        let mut c = self.app.db.acquire().await?;
        store::observations(
            &mut c,
            &ObservationFilter {
                indicator_id: indicator.id,
                area_codes: q.areas.clone(),
                period: q.period.clone(),
                sex: q.sex.clone(),
                limit: per_page,
                offset: (page - 1).saturating_mul(per_page),
            },
        )
        .await?
        .into_iter()
        .map(ObservationRecord::try_from)
        .collect()
    }

    async fn all_observations(&self, indicator_id: &str) -> AppResult<Vec<ObservationRecord>> {
        let mut c = self.app.db.acquire().await?;
        store::observations(
            &mut c,
            &ObservationFilter {
                indicator_id: indicator_id.to_string(),
                limit: i64::MAX,
                ..Default::default()
            },
        )
        .await?
        .into_iter()
        .map(ObservationRecord::try_from)
        .collect()
    }

    /// An indicator for its page: the region compared for one period, and one area's series
    /// against its region and England. `area` and `period` are as chosen on the page.
    pub async fn indicator_page(
        &self,
        id: &str,
        area: Option<&str>,
        period: Option<&str>,
        sex: Option<&str>,
    ) -> AppResult<IndicatorPage> {
        let indicator = self.indicator(id).await?;
        let all = self.all_observations(&indicator.id).await?;
        let areas = self.areas().await?;
        let focus = match area.map(str::trim).filter(|a| !a.is_empty()) {
            Some(code) => Some(
                areas
                    .iter()
                    .find(|a| a.code.as_str().eq_ignore_ascii_case(code))
                    .cloned()
                    .ok_or_else(|| AppError::field("area", format!("There is no area {code}")))?,
            ),
            None => None,
        };
        let mut sexes: Vec<String> = Vec::new();
        for o in &all {
            if !sexes.contains(&o.sex) {
                sexes.push(o.sex.clone());
            }
        }
        let sex = match sex.filter(|s| sexes.iter().any(|x| x == s)) {
            Some(s) => s.to_string(),
            None if sexes.iter().any(|s| s == "Persons") => "Persons".into(),
            None => sexes.first().cloned().unwrap_or_default(),
        };
        let rows: Vec<&ObservationRecord> = all.iter().filter(|o| o.sex == sex).collect();
        // Periods newest first, by their dates.
        let mut by_period: BTreeMap<(String, String), String> = BTreeMap::new();
        for o in &rows {
            by_period.insert(
                (o.period_end.clone(), o.period_start.clone()),
                o.period.clone(),
            );
        }
        let mut periods: Vec<String> = by_period.values().cloned().collect();
        periods.dedup();
        let series_periods = periods.clone();
        periods.reverse();
        let period = match period.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) if periods.iter().any(|x| x == p) => Some(p.to_string()),
            Some(p) => {
                return Err(AppError::field(
                    "period",
                    format!("There are no figures for {p}"),
                ))
            }
            None => periods.first().cloned(),
        };
        let england_of = |p: &str| {
            rows.iter()
                .find(|o| o.area_code == ENGLAND && o.period == p)
                .map(|o| (*o).clone())
        };
        let england = period.as_deref().and_then(england_of);
        let region = focus
            .as_ref()
            .map(|a| region_of(&areas, a.code.as_str()))
            .unwrap_or_else(|| NORTH_WEST.to_string());
        let region_name = areas
            .iter()
            .find(|a| a.code.as_str() == region)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| "North West".into());
        let parents: HashMap<String, Option<String>> = areas
            .iter()
            .map(|a| (a.code.as_str().to_string(), a.parent_code.clone()))
            .collect();
        let mut comparison: Vec<ComparisonRow> = rows
            .iter()
            .filter(|o| Some(&o.period) == period.as_ref())
            .filter(|o| is_local_authority(o.area_type) && within(&parents, &o.area_code, &region))
            .map(|o| ComparisonRow {
                comparison: judge(
                    o,
                    england.as_ref().and_then(|e| e.value),
                    indicator.polarity,
                ),
                observation: (*o).clone(),
            })
            .collect();
        sort_best_first(&mut comparison, indicator.polarity);
        let mut series = Vec::new();
        let mut lines: Vec<(String, String, &'static str)> = Vec::new();
        if let Some(f) = &focus {
            lines.push((f.code.as_str().to_string(), f.name.clone(), "primary"));
        }
        if focus.as_ref().is_none_or(|f| f.code.as_str() != region) {
            lines.push((region.clone(), region_name.clone(), "region"));
        }
        lines.push((ENGLAND.to_string(), "England".into(), "england"));
        for (code, name, style) in lines {
            let points: Vec<Option<ComparisonRow>> = series_periods
                .iter()
                .map(|p| {
                    rows.iter()
                        .find(|o| o.area_code == code && &o.period == p)
                        .map(|o| {
                            let e = england_of(p).and_then(|e| e.value);
                            ComparisonRow {
                                comparison: if code == ENGLAND {
                                    Comparison::NotCompared
                                } else {
                                    judge(o, e, indicator.polarity)
                                },
                                observation: (*o).clone(),
                            }
                        })
                })
                .collect();
            if points.iter().any(Option::is_some) {
                series.push(SeriesLine {
                    code,
                    name,
                    style,
                    points,
                });
            }
        }
        let illustrative = comparison.iter().any(|r| r.observation.illustrative)
            || england.as_ref().is_some_and(|e| e.illustrative)
            || series
                .iter()
                .flat_map(|s| s.points.iter().flatten())
                .any(|r| r.observation.illustrative);
        Ok(IndicatorPage {
            indicator,
            periods,
            period,
            sexes,
            sex,
            england,
            region_name,
            comparison,
            area: focus,
            series_periods,
            series,
            illustrative,
        })
    }

    /// A place's figures: the areas it covers and, for the main one, the latest value of each
    /// key indicator (every indicator with figures for it when none is marked key) against
    /// England and the region's range.
    pub async fn place_figures(&self, place_id: &str) -> AppResult<std::sync::Arc<PlaceFigures>> {
        if let Ok(found) = self.app.place_figures.get(place_id, self.app.now()) {
            return Ok(found);
        }
        // One load at a time: when the answers expire under load, the requests that find
        // them stale wait for one load instead of each running its own (which queued dozens
        // of loads on the connection pool and made the slowest page take a second).
        let _one = self.app.place_figures_loading.lock().await;
        let now = self.app.now();
        match self.app.place_figures.get(place_id, now) {
            Ok(found) => Ok(found),
            Err(ticket) => {
                let found = std::sync::Arc::new(self.load_place_figures(place_id).await?);
                self.app
                    .place_figures
                    .put(ticket, place_id.to_string(), found.clone(), now);
                Ok(found)
            }
        }
    }

    async fn load_place_figures(&self, place_id: &str) -> AppResult<PlaceFigures> {
        let areas = self.place_areas(place_id).await?;
        let Some(main) = areas.first() else {
            return Ok(PlaceFigures {
                areas,
                spine: vec![],
                trends: vec![],
                illustrative: false,
            });
        };
        let indicators = self.indicators().await?;
        let any_key = indicators.iter().any(|i| i.key_indicator);
        let all_areas = self.areas().await?;
        let region = region_of(&all_areas, main.code.as_str());
        let parents: HashMap<String, Option<String>> = all_areas
            .iter()
            .map(|a| (a.code.as_str().to_string(), a.parent_code.clone()))
            .collect();
        let mut c = self.app.db.acquire().await?;
        let own: Vec<ObservationRecord> = store::area_observations(&mut c, main.code.as_str())
            .await?
            .into_iter()
            .map(ObservationRecord::try_from)
            .collect::<AppResult<_>>()?;
        let mut spine = Vec::new();
        for ind in indicators
            .into_iter()
            .filter(|i| !any_key || i.key_indicator)
        {
            // The newest period with a value, persons first.
            let Some(latest) = own
                .iter()
                .filter(|o| o.indicator_id == ind.id && o.value.is_some())
                .min_by_key(|o| (o.sex != "Persons", std::cmp::Reverse(o.period_end.clone())))
                .cloned()
            else {
                continue;
            };
            let same: Vec<ObservationRecord> = store::observations(
                &mut c,
                &ObservationFilter {
                    indicator_id: ind.id.clone(),
                    period: Some(latest.period.clone()),
                    sex: Some(latest.sex.clone()),
                    limit: 10_000,
                    ..Default::default()
                },
            )
            .await?
            .into_iter()
            .map(ObservationRecord::try_from)
            .collect::<AppResult<_>>()?;
            let england_row = same.iter().find(|o| o.area_code == ENGLAND);
            let england = england_row.and_then(|o| o.value);
            let england_illustrative = england_row.is_some_and(|o| o.illustrative);
            let peers: Vec<f64> = same
                .iter()
                .filter(|o| {
                    is_local_authority(o.area_type) && within(&parents, &o.area_code, &region)
                })
                .filter_map(|o| o.value)
                .collect();
            let lo = peers
                .iter()
                .copied()
                .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.min(v))));
            let hi = peers
                .iter()
                .copied()
                .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
            let (worst, best) = match ind.polarity {
                Polarity::LowerIsBetter => (hi, lo),
                _ => (lo, hi),
            };
            spine.push(SpineEntry {
                comparison: judge(&latest, england, ind.polarity),
                indicator: ind,
                observation: latest,
                england,
                england_illustrative,
                worst,
                best,
            });
        }
        let region_name = all_areas
            .iter()
            .find(|a| a.code.as_str() == region)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| "North West".into());
        let mut trends = Vec::new();
        for entry in &spine {
            if trends.len() == PLACE_TRENDS {
                break;
            }
            let lines = [
                (main.code.as_str().to_string(), main.name.clone(), "primary"),
                (region.clone(), region_name.clone(), "region"),
                (ENGLAND.to_string(), "England".to_string(), "england"),
            ];
            let rows: Vec<ObservationRecord> = store::observations(
                &mut c,
                &ObservationFilter {
                    indicator_id: entry.indicator.id.clone(),
                    area_codes: lines.iter().map(|l| l.0.clone()).collect(),
                    sex: Some(entry.observation.sex.clone()),
                    limit: 1_000,
                    ..Default::default()
                },
            )
            .await?
            .into_iter()
            .map(ObservationRecord::try_from)
            .collect::<AppResult<_>>()?;
            // Oldest first, as the query orders them.
            let mut periods: Vec<String> = Vec::new();
            for o in &rows {
                if !periods.contains(&o.period) {
                    periods.push(o.period.clone());
                }
            }
            if periods.len() < 2 {
                continue;
            }
            let england_of = |p: &str| {
                rows.iter()
                    .find(|o| o.area_code == ENGLAND && o.period == p)
                    .and_then(|o| o.value)
            };
            let lines: Vec<SeriesLine> = lines
                .into_iter()
                .map(|(code, name, style)| SeriesLine {
                    points: periods
                        .iter()
                        .map(|p| {
                            rows.iter()
                                .find(|o| o.area_code == code && &o.period == p)
                                .map(|o| ComparisonRow {
                                    comparison: if code == ENGLAND {
                                        Comparison::NotCompared
                                    } else {
                                        judge(o, england_of(p), entry.indicator.polarity)
                                    },
                                    observation: o.clone(),
                                })
                        })
                        .collect(),
                    code,
                    name,
                    style,
                })
                .filter(|l| l.points.iter().any(Option::is_some))
                .collect();
            trends.push(Trend {
                indicator: entry.indicator.clone(),
                periods,
                lines,
            });
        }
        let illustrative = spine
            .iter()
            .any(|s| s.observation.illustrative || s.england_illustrative)
            || trends
                .iter()
                .flat_map(|t| t.lines.iter().flat_map(|l| l.points.iter().flatten()))
                .any(|r| r.observation.illustrative);
        Ok(PlaceFigures {
            areas,
            spine,
            trends,
            illustrative,
        })
    }

    /// Every observation of an indicator as CSV (UTF-8 with a byte-order mark; text cells
    /// that start like a formula neutralised, numbers written as numbers).
    pub async fn indicator_csv(&self, id: &str) -> AppResult<(IndicatorRecord, String)> {
        let indicator = self.indicator(id).await?;
        let rows = self.all_observations(&indicator.id).await?;
        let csv = observations_csv(&indicator, rows.iter())?;
        Ok((indicator, csv))
    }

    /// The data of the comparison chart (one period) or of the series (one area) as CSV.
    pub async fn chart_csv(
        &self,
        id: &str,
        area: Option<&str>,
        period: Option<&str>,
        sex: Option<&str>,
    ) -> AppResult<(IndicatorRecord, String)> {
        let page = self.indicator_page(id, area, period, sex).await?;
        let csv = if page.area.is_some() {
            observations_csv(
                &page.indicator,
                page.series
                    .iter()
                    .flat_map(|s| s.points.iter().flatten())
                    .map(|r| &r.observation),
            )?
        } else {
            observations_csv(
                &page.indicator,
                page.england
                    .iter()
                    .chain(page.comparison.iter().map(|r| &r.observation)),
            )?
        };
        Ok((page.indicator, csv))
    }

    /// Marks an indicator as key (on place spines), and corrects its unit and polarity.
    pub async fn update_indicator(
        &self,
        actor: &Actor,
        id: &str,
        unit: &str,
        polarity: &str,
        key_indicator: bool,
    ) -> AppResult<()> {
        super::IntelligenceAccess::require_import(Some(actor))?;
        let indicator = self.indicator(id).await?;
        let mut problems = crate::Problems::default();
        let unit = problems.bounded("unit", "Unit", unit, 40);
        let polarity = match Polarity::parse(polarity) {
            Some(p) => p,
            None => {
                problems.add(
                    "polarity",
                    "Choose whether higher values are better, worse, or neither",
                );
                Polarity::NoJudgement
            }
        };
        problems.into_result()?;
        let mut tx = self.app.db.begin().await?;
        store::update_indicator(
            &mut tx,
            &indicator.id,
            &unit,
            polarity.code(),
            key_indicator,
            self.app.now(),
        )
        .await?;
        crate::Audit::new(
            Some(actor.id()),
            "indicator.update",
            ("indicator", &indicator.id),
            &indicator.name,
        )
        .commit(tx, self.app.now())
        .await
    }

    /// Recent saved imports, for the import page.
    pub async fn recent_imports(&self, actor: &Actor) -> AppResult<Vec<store::ImportRow>> {
        super::IntelligenceAccess::require_import(Some(actor))?;
        let mut c = self.app.db.acquire().await?;
        Ok(store::recent_imports(&mut c, 20).await?)
    }
}

fn number(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn observations_csv<'a>(
    indicator: &IndicatorRecord,
    rows: impl Iterator<Item = &'a ObservationRecord>,
) -> AppResult<String> {
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    w.write_record([
        "indicator_id",
        "indicator_name",
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
        "compared_to_england",
        "illustrative",
        "source_file",
        "source_row",
    ])
    .context("csv")?;
    for o in rows {
        w.write_record([
            neutralise(&indicator.source_id),
            neutralise(&indicator.name),
            o.area_code.clone(),
            neutralise(&o.area_name),
            neutralise(&o.period),
            neutralise(&o.sex),
            neutralise(&o.age),
            number(o.value),
            number(o.lower_ci95),
            number(o.upper_ci95),
            number(o.count),
            number(o.denominator),
            neutralise(o.note.as_deref().unwrap_or("")),
            o.compared_to_england
                .map(|c| c.code().to_string())
                .unwrap_or_default(),
            if o.illustrative {
                "yes".into()
            } else {
                String::new()
            },
            neutralise(&o.source_file),
            o.source_row.to_string(),
        ])
        .context("csv")?;
    }
    let bytes = w.into_inner().context("csv")?;
    String::from_utf8(bytes).context("csv")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(
        code: &str,
        name: &str,
        value: Option<f64>,
        ci: Option<(f64, f64)>,
    ) -> ObservationRecord {
        ObservationRecord {
            id: code.into(),
            indicator_id: "i".into(),
            area_code: code.into(),
            area_name: name.into(),
            area_type: AreaType::District,
            parent_code: None,
            period: "2018/19".into(),
            period_start: "2018-04-01".into(),
            period_end: "2019-03-31".into(),
            sex: "Persons".into(),
            age: "19+ yrs".into(),
            value,
            lower_ci95: ci.map(|c| c.0),
            upper_ci95: ci.map(|c| c.1),
            count: None,
            denominator: None,
            note: None,
            compared_to_england: Some(Comparison::Worse),
            illustrative: false,
            source_file: "f".into(),
            source_row: 2,
            retrieved_at: 0,
        }
    }

    #[test]
    fn a_comparison_uses_the_interval_else_the_published_band() {
        let with_ci = obs("E06000009", "Blackpool", Some(26.8), Some((20.0, 30.0)));
        assert_eq!(
            judge(&with_ci, Some(21.4), Polarity::LowerIsBetter),
            Comparison::Similar,
            "the interval overlaps England"
        );
        let narrow = obs("E06000009", "Blackpool", Some(26.8), Some((25.0, 28.0)));
        assert_eq!(
            judge(&narrow, Some(21.4), Polarity::LowerIsBetter),
            Comparison::Worse
        );
        assert_eq!(
            judge(&narrow, Some(21.4), Polarity::HigherIsBetter),
            Comparison::Better
        );
        let published = obs("E06000009", "Blackpool", Some(26.8), None);
        assert_eq!(
            judge(&published, Some(21.4), Polarity::LowerIsBetter),
            Comparison::Worse,
            "no interval: as published"
        );
        let mut none = published.clone();
        none.compared_to_england = None;
        assert_eq!(
            judge(&none, Some(21.4), Polarity::LowerIsBetter),
            Comparison::NotCompared
        );
    }

    #[test]
    fn best_first_by_polarity_with_missing_values_last() {
        let rows = |values: &[(&str, Option<f64>)]| -> Vec<ComparisonRow> {
            values
                .iter()
                .map(|(n, v)| ComparisonRow {
                    observation: obs(n, n, *v, None),
                    comparison: Comparison::NotCompared,
                })
                .collect()
        };
        let names = |r: &[ComparisonRow]| {
            r.iter()
                .map(|x| x.observation.area_name.clone())
                .collect::<Vec<_>>()
        };
        let mut r = rows(&[
            ("A", Some(25.0)),
            ("B", None),
            ("C", Some(20.0)),
            ("D", Some(20.0)),
        ]);
        sort_best_first(&mut r, Polarity::LowerIsBetter);
        assert_eq!(names(&r), ["C", "D", "A", "B"]);
        sort_best_first(&mut r, Polarity::HigherIsBetter);
        assert_eq!(names(&r), ["A", "C", "D", "B"]);
    }

    #[test]
    fn areas_lie_within_their_ancestors_and_regions_are_found() {
        let parents: HashMap<String, Option<String>> = [
            ("E92000001", None),
            ("E12000002", Some("E92000001")),
            ("E10000017", Some("E12000002")),
            ("E07000117", Some("E10000017")),
            ("LOOP1", Some("LOOP2")),
            ("LOOP2", Some("LOOP1")),
        ]
        .into_iter()
        .map(|(c, p)| (c.to_string(), p.map(str::to_string)))
        .collect();
        assert!(within(&parents, "E07000117", "E12000002"));
        assert!(within(&parents, "E07000117", "E92000001"));
        assert!(!within(&parents, "E12000002", "E07000117"));
        assert!(
            !within(&parents, "LOOP1", "E12000002"),
            "a loop in parents ends"
        );
        assert!(is_local_authority(AreaType::Unitary) && !is_local_authority(AreaType::County));
    }
}
