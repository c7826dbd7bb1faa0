//! Reading the figures: the list of indicators, one indicator (its region compared for a
//! period, an area's series against its region and England, what addresses it), CSV, and the
//! figures block of a place's page.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use lz_app::context;
use lz_app::intelligence::{ComparisonRow, IndicatorPage, IntelligenceAccess, PlaceFigures};
use lz_app::AppError;
use lz_domain::intelligence::{Comparison, Polarity};
use minijinja::Value;

use crate::charts::{self, Frame, Point, Series, SpineRow, Style, Tone};
use crate::error::PageResult;
use crate::pages::{form_again, notice_text, HtmlForm, HtmlQuery, NoticeQuery};
use crate::session::{page, SignedIn, Visitor};
use crate::AppState;

pub(crate) fn tone(c: Comparison) -> Tone {
    match c {
        Comparison::Better => Tone::Better,
        Comparison::Worse => Tone::Worse,
        Comparison::Similar => Tone::Similar,
        _ => Tone::Neutral,
    }
}

/// How a comparison reads in a table: "Better than England" and so on.
pub(crate) fn comparison_words(c: Comparison) -> &'static str {
    match c {
        Comparison::Better => "Better than England",
        Comparison::Worse => "Worse than England",
        Comparison::Similar => "Similar to England",
        Comparison::Higher => "Higher than England",
        Comparison::Lower => "Lower than England",
        Comparison::NotCompared => "Not compared",
    }
}

/// The unit written beside each number: "%" is, a longer unit ("rank (1 = most deprived)")
/// is said once beside the indicator's name instead.
fn short_unit(unit: &str) -> &str {
    if unit == "%" {
        unit
    } else {
        ""
    }
}

fn fmt(v: Option<f64>, unit: &str) -> String {
    v.map(|v| charts::format_value(v, short_unit(unit)))
        .unwrap_or_default()
}

fn row_ctx(r: &ComparisonRow, unit: &str) -> Value {
    let o = &r.observation;
    context! {
        area_code => o.area_code, area_name => o.area_name, period => o.period,
        value => fmt(o.value, unit), lower => fmt(o.lower_ci95, unit), upper => fmt(o.upper_ci95, unit),
        count => o.count.map(|c| charts::format_value(c, "")), denominator => o.denominator.map(|c| charts::format_value(c, "")),
        note => o.note, comparison => comparison_words(r.comparison), tone => tone(r.comparison).word().to_lowercase(),
        illustrative => o.illustrative, missing => o.value.is_none(),
        query => serde_html_form::to_string([("area", o.area_code.as_str()), ("period", o.period.as_str())]).unwrap_or_default(),
    }
}

fn point(r: &ComparisonRow, label: String) -> Point {
    Point {
        label,
        value: r.observation.value,
        lower: r.observation.lower_ci95,
        upper: r.observation.upper_ci95,
        tone: tone(r.comparison),
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct IndicatorQuery {
    #[serde(default)]
    area: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    sex: String,
    notice: Option<String>,
}

fn opt(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

pub(super) async fn list(
    State(s): State<AppState>,
    v: Visitor,
    HtmlQuery(q): HtmlQuery<NoticeQuery>,
) -> PageResult {
    let access = IntelligenceAccess::of(v.actor.as_ref());
    let indicators: Vec<Value> = s
        .app
        .intelligence()
        .indicators()
        .await?
        .into_iter()
        .map(|i| {
            context! {
                id => i.id, name => i.name, source => i.source_label(), source_id => i.source_id, unit => i.unit,
                age => i.age, polarity => i.polarity_label(), observations => i.observations,
                latest_period => i.latest_period, key => i.key_indicator,
            }
        })
        .collect();
    let imports: Vec<Value> = match (&v.actor, access.may_import()) {
        (Some(a), true) => s
            .app
            .intelligence()
            .recent_imports(a)
            .await?
            .into_iter()
            .take(5)
            .map(|m| context! { file_name => m.file_name, added => m.added, replaced => m.replaced, unchanged => m.unchanged, by => m.created_by_name, at => m.decided_at })
            .collect(),
        _ => vec![],
    };
    let notice = match q.notice.as_deref() {
        Some("imported") => Some("The figures have been saved."),
        Some("discarded") => Some("The upload has been discarded: nothing was saved."),
        other => notice_text(other),
    };
    Ok(page(
        &s,
        &v,
        "intelligence/list.html",
        context! { indicators, imports, notice, may_import => access.may_import() },
    ))
}

/// The page's charts and tables from the use case's view.
fn indicator_ctx(p: &IndicatorPage) -> Value {
    let i = &p.indicator;
    let unit = short_unit(&i.unit);
    let period = p.period.clone().unwrap_or_default();
    let england_value = p.england.as_ref().and_then(|e| e.value);
    let comparison_rows: Vec<Value> = p.comparison.iter().map(|r| row_ctx(r, unit)).collect();
    let title = format!("{} in the {}, {period}", i.name, p.region_name);
    let description = format!(
        "Local authorities of the {} ({} of them), {}, with 95% confidence intervals{}.",
        p.region_name,
        p.comparison.len(),
        match i.polarity {
            Polarity::LowerIsBetter => "lowest (best) first",
            Polarity::HigherIsBetter => "highest (best) first",
            Polarity::NoJudgement => "highest first",
        },
        england_value
            .map(|e| format!(
                " and England's value ({}) as a line",
                charts::format_value(e, unit)
            ))
            .unwrap_or_default()
    );
    let points: Vec<Point> = p
        .comparison
        .iter()
        .map(|r| point(r, r.observation.area_name.clone()))
        .collect();
    let highlight = p.area.as_ref().map(|a| a.name.clone());
    let comparison_svg = (!points.is_empty()).then(|| {
        charts::comparison(
            &Frame {
                id: "compare",
                title: &title,
                description: &description,
                unit,
            },
            &points,
            england_value.map(|e| ("England", e)),
            highlight.as_deref(),
        )
    });
    let (series_svg, series_title, series_rows) = match &p.area {
        Some(a) => {
            let title = format!("{} in {} over time", i.name, a.name);
            let (svg, rows) = series_chart("series", &title, unit, &p.series_periods, &p.series);
            (Some(svg), Some(title), rows)
        }
        None => (None, None, vec![]),
    };
    let series_names: Vec<&str> = p.series.iter().map(|l| l.name.as_str()).collect();
    context! {
        indicator => context! {
            id => i.id, name => i.name, source => i.source_label(), source_id => i.source_id, unit => i.unit,
            age => i.age, polarity => i.polarity_label(), polarity_code => i.polarity.code(), licence => i.licence,
            attribution => i.attribution, definition_url => i.definition_url, key => i.key_indicator,
        },
        period, periods => p.periods, sex => p.sex, sexes => p.sexes,
        area => p.area.as_ref().map(|a| context! { code => a.code.as_str(), name => a.name }),
        region_name => p.region_name,
        england => p.england.as_ref().map(|e| context! { value => fmt(e.value, unit), lower => fmt(e.lower_ci95, unit), upper => fmt(e.upper_ci95, unit), illustrative => e.illustrative }),
        comparison_title => title, comparison_svg, comparison_rows,
        series_title, series_svg, series_rows, series_names,
        illustrative => p.illustrative,
        compare_query => serde_html_form::to_string([("period", period.as_str()), ("sex", p.sex.as_str())]).unwrap_or_default(),
    }
}

async fn show_with(
    s: &AppState,
    v: &Visitor,
    id: &str,
    q: &IndicatorQuery,
) -> Result<Value, AppError> {
    let view = s
        .app
        .intelligence()
        .indicator_page(id, opt(&q.area), opt(&q.period), opt(&q.sex))
        .await?;
    let (items, evidence) = s
        .app
        .intelligence()
        .addressing(v.actor.as_ref(), &view.indicator.id)
        .await?;
    let areas: Vec<Value> = s
        .app
        .intelligence()
        .areas()
        .await?
        .into_iter()
        .filter(|a| a.code.as_str() != lz_app::intelligence::ENGLAND)
        .map(|a| context! { code => a.code.as_str(), name => a.name, type_label => a.type_label() })
        .collect();
    let items: Vec<Value> = items
        .into_iter()
        .map(|i| context! { id => i.id, title => i.title, summary => i.summary })
        .collect();
    let evidence: Vec<Value> = evidence
        .into_iter()
        .map(|r| context! { id => r.id, claim => r.claim })
        .collect();
    let query = serde_html_form::to_string([
        ("area", q.area.trim()),
        ("period", q.period.trim()),
        ("sex", q.sex.trim()),
    ])
    .unwrap_or_default();
    Ok(context! {
        items, evidence, areas, query,
        may_import => IntelligenceAccess::of(v.actor.as_ref()).may_import(),
        polarities => Polarity::ALL.iter().map(|p| context! { value => p.code(), label => p.label() }).collect::<Vec<_>>(),
        ..indicator_ctx(&view)
    })
}

pub(super) async fn show(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    HtmlQuery(q): HtmlQuery<IndicatorQuery>,
) -> PageResult {
    let notice = match q.notice.as_deref() {
        Some("saved") => Some("The indicator has been updated."),
        _ => None,
    };
    match show_with(&s, &v, &id, &q).await {
        Ok(ctx) => Ok(page(
            &s,
            &v,
            "intelligence/indicator.html",
            context! { notice, ..ctx },
        )),
        // A period or an area that is not there: the page without the choice, and the message.
        Err(AppError::Invalid(errs)) => {
            let plain = show_with(&s, &v, &id, &IndicatorQuery::default()).await?;
            Ok(form_again(
                &s,
                &v,
                "intelligence/indicator.html",
                &errs,
                plain,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct IndicatorForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    polarity: String,
    #[serde(default)]
    key_indicator: String,
}

pub(super) async fn update(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(form): HtmlForm<IndicatorForm>,
) -> PageResult {
    let done = s
        .app
        .intelligence()
        .update_indicator(
            &actor,
            &id,
            &form.unit,
            &form.polarity,
            form.key_indicator == "yes",
        )
        .await;
    match done {
        Ok(()) => {
            let ind = s.app.intelligence().indicator(&id).await?;
            Ok(Redirect::to(&format!("/indicators/{}?notice=saved", ind.id)).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            let ctx = show_with(&s, &v, &id, &IndicatorQuery::default()).await?;
            Ok(form_again(
                &s,
                &v,
                "intelligence/indicator.html",
                &errs,
                ctx,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

fn csv_download(name: String, body: String) -> axum::response::Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_string(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

/// A safe file name from an indicator's source id.
fn file_stem(source_id: &str) -> String {
    source_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(60)
        .collect()
}

pub(super) async fn data_csv(State(s): State<AppState>, Path(id): Path<String>) -> PageResult {
    let (ind, body) = s.app.intelligence().indicator_csv(&id).await?;
    Ok(csv_download(
        format!("indicator-{}.csv", file_stem(&ind.source_id)),
        body,
    ))
}

pub(super) async fn chart_csv(
    State(s): State<AppState>,
    Path(id): Path<String>,
    HtmlQuery(q): HtmlQuery<IndicatorQuery>,
) -> PageResult {
    let (ind, body) = s
        .app
        .intelligence()
        .chart_csv(&id, opt(&q.area), opt(&q.period), opt(&q.sex))
        .await?;
    let what = if opt(&q.area).is_some() {
        "series"
    } else {
        "comparison"
    };
    Ok(csv_download(
        format!("indicator-{}-{what}.csv", file_stem(&ind.source_id)),
        body,
    ))
}

/// A time series chart and its table's rows from series lines (the area, region, England).
fn series_chart(
    id: &str,
    title: &str,
    unit: &str,
    periods: &[String],
    lines: &[lz_app::intelligence::SeriesLine],
) -> (String, Vec<Value>) {
    let series: Vec<Series> = lines
        .iter()
        .map(|l| Series {
            name: l.name.clone(),
            style: match l.style {
                "primary" => Style::Primary,
                "region" => Style::Region,
                _ => Style::England,
            },
            points: l
                .points
                .iter()
                .zip(periods)
                .map(|(r, period)| match r {
                    Some(r) => point(r, period.clone()),
                    None => Point {
                        label: period.clone(),
                        value: None,
                        lower: None,
                        upper: None,
                        tone: Tone::Neutral,
                    },
                })
                .collect(),
        })
        .collect();
    let names: Vec<&str> = lines.iter().map(|l| l.name.as_str()).collect();
    let description = format!(
        "{} from {} to {}, with 95% confidence intervals where published.",
        names.join(", "),
        periods.first().cloned().unwrap_or_default(),
        periods.last().cloned().unwrap_or_default(),
    );
    let svg = charts::time_series(
        &Frame {
            id,
            title,
            description: &description,
            unit,
        },
        periods,
        &series,
    );
    let rows: Vec<Value> = periods
        .iter()
        .enumerate()
        .map(|(k, period)| {
            let cells: Vec<Value> = lines
                .iter()
                .map(|l| match &l.points[k] {
                    Some(r) => row_ctx(r, unit),
                    None => context! { missing => true },
                })
                .collect();
            context! { period, cells }
        })
        .collect();
    (svg, rows)
}

/// Place figures blocks already drawn: (the app's cached figures they were drawn from, the
/// block). Drawing four SVG charts on every view of a place's page was most of its cost; the
/// app's cache hands out the same `Arc` until the figures change (or five seconds pass), and
/// a block drawn from that same `Arc` is the same block.
#[derive(Default)]
pub(crate) struct FigureBlocks(
    std::sync::Mutex<std::collections::HashMap<String, (std::sync::Arc<PlaceFigures>, Value)>>,
);

/// The figures block of a place, drawn once per version of its figures.
pub(crate) async fn place_figures_block(
    s: &AppState,
    place_id: &str,
    place_name: &str,
) -> Result<Value, AppError> {
    let figures = s.app.intelligence().place_figures(place_id).await?;
    let lock = || s.figure_blocks.0.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((drawn_from, block)) = lock().get(place_id) {
        if std::sync::Arc::ptr_eq(drawn_from, &figures) {
            return Ok(block.clone());
        }
    }
    let block = place_figures_ctx(&figures, place_name);
    let mut blocks = lock();
    // Bounded: places are few, but a stray id must not grow it for ever.
    if blocks.len() >= 1_000 {
        blocks.clear();
    }
    blocks.insert(place_id.to_string(), (figures, block.clone()));
    Ok(block)
}

/// The figures block of a place's page: the spine chart and its table.
fn place_figures_ctx(f: &PlaceFigures, place_name: &str) -> Value {
    let Some(main) = f.areas.first() else {
        return context! { has_areas => false };
    };
    let rows: Vec<SpineRow> = f
        .spine
        .iter()
        .map(|e| SpineRow {
            indicator: e.indicator.name.clone(),
            period: e.observation.period.clone(),
            value: e.observation.value,
            benchmark: e.england,
            worst: e.worst,
            best: e.best,
            tone: tone(e.comparison),
            unit: short_unit(&e.indicator.unit).to_string(),
        })
        .collect();
    let title = format!("Key indicators for {} against England", main.name);
    let description = format!(
        "{} indicators for {place_name} ({}), each against England's value, with the range of the region's local authorities behind it: better is to the right.",
        f.spine.len(),
        main.name
    );
    let svg = (!rows.is_empty()).then(|| {
        charts::spine(
            &Frame {
                id: "spine",
                title: &title,
                description: &description,
                unit: "",
            },
            &rows,
        )
    });
    let table: Vec<Value> = f
        .spine
        .iter()
        .map(|e| {
            let unit = e.indicator.unit.as_str();
            context! {
                id => e.indicator.id, name => e.indicator.name, period => e.observation.period,
                value => fmt(e.observation.value, unit), lower => fmt(e.observation.lower_ci95, unit), upper => fmt(e.observation.upper_ci95, unit),
                england => fmt(e.england, unit), england_illustrative => e.england_illustrative,
                worst => fmt(e.worst, unit), best => fmt(e.best, unit),
                long_unit => (short_unit(unit) != unit && !unit.is_empty()).then_some(unit),
                comparison => comparison_words(e.comparison), illustrative => e.observation.illustrative,
                attribution => e.indicator.attribution,
            }
        })
        .collect();
    let trends: Vec<Value> = f
        .trends
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let title = format!("{} in {} over time", t.indicator.name, main.name);
            let (svg, rows) = series_chart(
                &format!("trend-{k}"),
                &title,
                short_unit(&t.indicator.unit),
                &t.periods,
                &t.lines,
            );
            context! {
                id => t.indicator.id, title, svg, rows, names => t.lines.iter().map(|l| l.name.clone()).collect::<Vec<_>>(),
                attribution => t.indicator.attribution, area => main.code.as_str(), indicator_name => t.indicator.name,
            }
        })
        .collect();
    let mut attributions: Vec<String> = f
        .spine
        .iter()
        .map(|e| e.indicator.attribution.clone())
        .filter(|a| !a.is_empty())
        .collect();
    attributions.sort();
    attributions.dedup();
    context! {
        has_areas => true, title, svg, table, attributions, illustrative => f.illustrative, trends,
        main => context! { code => main.code.as_str(), name => main.name },
        areas => f.areas.iter().map(|a| context! { code => a.code.as_str(), name => a.name, type_label => a.type_label() }).collect::<Vec<_>>(),
    }
}

/// The spine's figures of a place as CSV: one row per key indicator (its latest period), with
/// England's value and the region's range.
pub(super) async fn place_csv(State(s): State<AppState>, Path(slug): Path<String>) -> PageResult {
    let place = s
        .app
        .network()
        .places()
        .await?
        .into_iter()
        .find(|p| p.slug == slug)
        .ok_or(AppError::NotFound)?;
    let f = s
        .app
        .intelligence()
        .place_figures(place.id.as_str())
        .await?;
    let area = f
        .areas
        .first()
        .map(|a| (a.code.as_str().to_string(), a.name.clone()));
    let mut table = lz_app::tables::Table::new(
        "figures",
        &[
            "indicator_source_id",
            "indicator_name",
            "unit",
            "area_code",
            "area_name",
            "period",
            "value",
            "lower_ci95",
            "upper_ci95",
            "england",
            "region_worst",
            "region_best",
            "compared_to_england",
            "illustrative",
        ],
    );
    let n = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for e in &f.spine {
        let (code, name) = area.clone().unwrap_or_default();
        table.rows.push(vec![
            e.indicator.source_id.clone(),
            e.indicator.name.clone(),
            e.indicator.unit.clone(),
            code,
            name,
            e.observation.period.clone(),
            n(e.observation.value),
            n(e.observation.lower_ci95),
            n(e.observation.upper_ci95),
            n(e.england),
            n(e.worst),
            n(e.best),
            e.comparison.code().to_string(),
            if e.observation.illustrative || e.england_illustrative {
                "yes".into()
            } else {
                String::new()
            },
        ]);
    }
    Ok(csv_download(
        format!("figures-{}.csv", file_stem(&slug)),
        lz_app::tables::csv(&table)?,
    ))
}
