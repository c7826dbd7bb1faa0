//! A plan outcome that follows a public indicator for one area: the baseline and the latest
//! published figure are read from the observations (nobody retypes them), the target is the
//! plan's. Set by those who may update the outcome's work area; read with the plan (the
//! Executive report shows the latest figure and its period).

use lz_domain::intelligence::{GssCode, Polarity};
use lz_store::intelligence::{self as store, OutcomeFigureRow};

use super::record::ObservationRecord;
use super::Intelligence;
use crate::{Actor, AppError, AppResult, Audit, Problems};

/// The form: an indicator, an area, and optionally the baseline period and the target.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct OutcomeInput {
    #[serde(default)]
    pub indicator: String,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub baseline_period: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub target_year: String,
}

/// What the plan page and the Executive report show.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OutcomeFigure {
    pub outcome_id: String,
    pub work_area_id: String,
    pub indicator_id: String,
    pub indicator_name: String,
    /// e.g. "OHID Fingertips 93015".
    pub source: String,
    pub unit: String,
    pub polarity: Polarity,
    pub area_code: String,
    pub area_name: String,
    pub baseline: Option<ObservationRecord>,
    pub latest: Option<ObservationRecord>,
    pub target: Option<f64>,
    pub target_year: Option<i64>,
    /// "better", "worse" or "no change" from the baseline to the latest, by polarity; none
    /// when either is missing or the indicator has no direction.
    pub movement: Option<&'static str>,
    pub illustrative: bool,
}

impl Intelligence<'_> {
    /// The work area of an outcome the actor may update (its leads, or those who may change
    /// the plan).
    async fn updatable_outcome(&self, actor: &Actor, outcome_id: &str) -> AppResult<String> {
        let work_area_id = {
            let mut c = self.app.db.acquire().await?;
            lz_store::plans::outcome_work_area(&mut c, outcome_id)
                .await?
                .ok_or(AppError::NotFound)?
        };
        self.app
            .plans()
            .view_for_work_area(actor, &work_area_id)
            .await?;
        Ok(work_area_id)
    }

    /// Makes an outcome follow a public indicator for one area.
    pub async fn set_outcome(
        &self,
        actor: &Actor,
        outcome_id: &str,
        input: &OutcomeInput,
    ) -> AppResult<()> {
        self.updatable_outcome(actor, outcome_id).await?;
        let mut problems = Problems::default();
        let indicator = match input.indicator.trim() {
            "" => {
                problems.add("indicator", "Choose the indicator the outcome follows");
                None
            }
            id => match self.indicator(id).await {
                Ok(i) => Some(i),
                Err(AppError::NotFound) => {
                    problems.add("indicator", "Choose an indicator from the list");
                    None
                }
                Err(e) => return Err(e),
            },
        };
        let area = match GssCode::parse(input.area.trim()) {
            Ok(code) => match self.area(code.as_str()).await {
                Ok(a) => Some(a),
                Err(AppError::NotFound) => {
                    problems.add("area", format!("{code} is not an area we know"));
                    None
                }
                Err(e) => return Err(e),
            },
            Err(_) => {
                problems.add("area", "Choose the area whose figure the outcome follows");
                None
            }
        };
        let baseline = input.baseline_period.trim();
        let target = match input.target.trim() {
            "" => None,
            t => match t.trim_end_matches('%').trim().parse::<f64>() {
                Ok(v) if v.is_finite() && v.abs() < 1e12 => Some(v),
                _ => {
                    problems.add("target", "Enter the target as a number, like 21.5");
                    None
                }
            },
        };
        let target_year = match input.target_year.trim() {
            "" => None,
            y => match y.parse::<i64>() {
                Ok(v) if (2000..=2100).contains(&v) => Some(v),
                _ => {
                    problems.add(
                        "target_year",
                        "Enter the target year as four digits, like 2028",
                    );
                    None
                }
            },
        };
        if let (Some(i), Some(_)) = (&indicator, &area) {
            if !baseline.is_empty() {
                let mut c = self.app.db.acquire().await?;
                let known = store::periods(&mut c, &i.id).await?;
                if !known.iter().any(|(p, _, _)| p == baseline) {
                    problems.add(
                        "baseline_period",
                        format!("There are no figures for {baseline}: choose a period from the list, or leave it empty for the earliest"),
                    );
                }
            }
        }
        problems.into_result()?;
        let (Some(indicator), Some(area)) = (indicator, area) else {
            return Err(AppError::field(
                "indicator",
                "Choose the indicator the outcome follows",
            ));
        };
        let mut tx = self.app.db.begin().await?;
        store::set_outcome_figure(
            &mut tx,
            &store::NewOutcomeFigure {
                outcome_id,
                indicator_id: &indicator.id,
                area_code: area.code.as_str(),
                baseline_period: (!baseline.is_empty()).then_some(baseline),
                target,
                target_year,
                updated_by: actor.id(),
            },
            self.app.now(),
        )
        .await?;
        let detail = format!("{} for {}", indicator.name, area.name);
        Audit::new(
            Some(actor.id()),
            "outcome.figure",
            ("outcome", outcome_id),
            &detail,
        )
        .commit(tx, self.app.now())
        .await
    }

    pub async fn remove_outcome(&self, actor: &Actor, outcome_id: &str) -> AppResult<()> {
        self.updatable_outcome(actor, outcome_id).await?;
        let mut tx = self.app.db.begin().await?;
        store::remove_outcome_figure(&mut tx, outcome_id).await?;
        Audit::new(
            Some(actor.id()),
            "outcome.figure_removed",
            ("outcome", outcome_id),
            "",
        )
        .commit(tx, self.app.now())
        .await
    }

    /// The figures of a plan's outcomes that follow public indicators (the caller has
    /// checked that the plan may be read).
    pub async fn plan_outcomes(&self, plan_id: &str) -> AppResult<Vec<OutcomeFigure>> {
        let rows = {
            let mut c = self.app.db.acquire().await?;
            store::plan_outcome_figures(&mut c, plan_id).await?
        };
        let mut out = Vec::new();
        for row in rows {
            out.push(self.figure(row).await?);
        }
        Ok(out)
    }

    async fn figure(&self, row: OutcomeFigureRow) -> AppResult<OutcomeFigure> {
        let polarity = Polarity::parse(&row.polarity).unwrap_or(Polarity::NoJudgement);
        let mut c = self.app.db.acquire().await?;
        let mut values: Vec<ObservationRecord> = store::observations(
            &mut c,
            &store::ObservationFilter {
                indicator_id: row.indicator_id.clone(),
                area_codes: vec![row.area_code.clone()],
                limit: 1_000,
                ..Default::default()
            },
        )
        .await?
        .into_iter()
        .map(ObservationRecord::try_from)
        .collect::<AppResult<_>>()?;
        // Persons where the indicator has them; oldest period first (the query's order).
        if values.iter().any(|o| o.sex == "Persons") {
            values.retain(|o| o.sex == "Persons");
        }
        values.retain(|o| o.value.is_some());
        let baseline = match &row.baseline_period {
            Some(p) => values.iter().find(|o| &o.period == p).cloned(),
            None => values.first().cloned(),
        };
        let latest = values.last().cloned();
        let movement = match (&baseline, &latest, polarity) {
            (_, _, Polarity::NoJudgement) => None,
            (Some(b), Some(l), _) if b.id == l.id => None,
            (Some(b), Some(l), p) => {
                let (bv, lv) = (b.value.unwrap_or_default(), l.value.unwrap_or_default());
                Some(if (lv - bv).abs() < f64::EPSILON {
                    "no change"
                } else if (lv > bv) == (p == Polarity::HigherIsBetter) {
                    "better"
                } else {
                    "worse"
                })
            }
            _ => None,
        };
        let illustrative = baseline.as_ref().is_some_and(|o| o.illustrative)
            || latest.as_ref().is_some_and(|o| o.illustrative);
        let source = match row.source.as_str() {
            "fingertips" => format!("OHID Fingertips {}", row.source_id),
            "iod" => "English Indices of Deprivation".to_string(),
            _ => row.source_id.clone(),
        };
        Ok(OutcomeFigure {
            outcome_id: row.outcome_id,
            work_area_id: row.work_area_id,
            source,
            indicator_id: row.indicator_id,
            indicator_name: row.indicator_name,
            unit: row.unit,
            polarity,
            area_code: row.area_code,
            area_name: row.area_name,
            baseline,
            latest,
            target: row.target,
            target_year: row.target_year,
            movement,
            illustrative,
        })
    }
}
