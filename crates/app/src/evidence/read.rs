//! Reading the evidence bank: one record with what the reader may do with it, the list with
//! its filters and counts, the published evidence drawn from a library item, and the CSV.

use lz_store::evidence::{self as store, EvidenceList};

use super::record::{records, EvidenceRecord, EvidenceSource};
use super::{Evidence, EvidenceAccess, EvidenceView};
use crate::library::reader;
use crate::tables::{self, Table};
use crate::{Actor, AppError, AppResult};

/// The list's filters, from the query string (each empty means "any").
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct EvidenceFilter {
    pub agenda: String,
    pub place: String,
    #[serde(rename = "type")]
    pub evidence_type: String,
    pub strength: String,
}

/// How many listed records carry one value of a filter.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FacetCount {
    pub value: String,
    pub label: String,
    pub count: usize,
    pub chosen: bool,
}

pub struct EvidenceListView {
    pub records: Vec<EvidenceRecord>,
    pub agendas: Vec<FacetCount>,
    pub places: Vec<FacetCount>,
    pub types: Vec<FacetCount>,
    pub strengths: Vec<FacetCount>,
    pub access: EvidenceAccess,
}

impl EvidenceFilter {
    fn keeps(&self, r: &EvidenceRecord) -> bool {
        (self.agenda.is_empty() || r.agendas.iter().any(|a| a.id == self.agenda))
            && (self.place.is_empty() || r.places.iter().any(|p| p.id == self.place))
            && (self.evidence_type.is_empty() || r.evidence_type.code() == self.evidence_type)
            && (self.strength.is_empty() || r.strength.level().to_string() == self.strength)
    }
}

/// Counts of one facet over `records`, most common first.
fn facet(
    records: &[EvidenceRecord],
    chosen: &str,
    values: impl Fn(&EvidenceRecord) -> Vec<(String, String)>,
) -> Vec<FacetCount> {
    let mut out: Vec<FacetCount> = Vec::new();
    for r in records {
        for (value, label) in values(r) {
            match out.iter_mut().find(|f| f.value == value) {
                Some(f) => f.count += 1,
                None => out.push(FacetCount {
                    chosen: value == chosen,
                    value,
                    label,
                    count: 1,
                }),
            }
        }
    }
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    out
}

impl Evidence<'_> {
    /// A record with what the reader may do with it; NotFound when they may not see it.
    pub async fn get(&self, actor: Option<&Actor>, id: &str) -> AppResult<EvidenceView> {
        let mut c = self.app.db.acquire().await?;
        let row = store::evidence(&mut c, &reader(actor), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let links = store::evidence_links(&mut c, std::slice::from_ref(&row.id)).await?;
        let record = records(vec![row], links)?.pop().ok_or(AppError::NotFound)?;
        let access = EvidenceAccess::of(actor, &record);
        Ok(EvidenceView { record, access })
    }

    /// Every record the reader may open (newest first), before filters.
    async fn visible(
        &self,
        actor: Option<&Actor>,
        list: EvidenceList<'_>,
    ) -> AppResult<Vec<EvidenceRecord>> {
        let mut c = self.app.db.acquire().await?;
        let rows = store::evidence_list(&mut c, &reader(actor), list, 2_000).await?;
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let mut links = Vec::new();
        for chunk in ids.chunks(300) {
            links.extend(store::evidence_links(&mut c, chunk).await?);
        }
        records(rows, links)
    }

    /// The list with its filters applied and, for each filter, the counts over the records
    /// the other filters keep.
    pub async fn list(
        &self,
        actor: Option<&Actor>,
        filter: &EvidenceFilter,
    ) -> AppResult<EvidenceListView> {
        let all = self.visible(actor, EvidenceList::All).await?;
        let kept: Vec<EvidenceRecord> = all.into_iter().filter(|r| filter.keeps(r)).collect();
        let links =
            |l: &[super::EvidenceLink]| l.iter().map(|x| (x.id.clone(), x.name.clone())).collect();
        Ok(EvidenceListView {
            agendas: facet(&kept, &filter.agenda, |r| links(&r.agendas)),
            places: facet(&kept, &filter.place, |r| links(&r.places)),
            types: facet(&kept, &filter.evidence_type, |r| {
                vec![(
                    r.evidence_type.code().to_string(),
                    r.evidence_type.label().to_string(),
                )]
            }),
            strengths: facet(&kept, &filter.strength, |r| {
                vec![(
                    r.strength.level().to_string(),
                    format!("Level {}", r.strength.level()),
                )]
            }),
            records: kept,
            access: EvidenceAccess::general(actor),
        })
    }

    /// Published evidence drawn from one library item that the reader may read.
    pub async fn from_item(
        &self,
        actor: Option<&Actor>,
        item_id: &str,
    ) -> AppResult<Vec<EvidenceRecord>> {
        self.visible(actor, EvidenceList::PublishedFrom { item_id })
            .await
    }

    /// The records the reader may open, filtered, as a table (for CSV).
    pub async fn table(&self, actor: Option<&Actor>, filter: &EvidenceFilter) -> AppResult<Table> {
        let view = self.list(actor, filter).await?;
        let mut table = Table::new(
            "Evidence",
            &[
                "id",
                "claim",
                "agendas",
                "places",
                "organisations",
                "measure",
                "value",
                "unit",
                "baseline",
                "period",
                "sample size",
                "source",
                "type",
                "strength (Nesta level)",
                "status",
                "checked by",
            ],
        );
        let names = |l: &[super::EvidenceLink]| {
            l.iter()
                .map(|x| x.name.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        };
        for r in view.records {
            let source = match &r.source {
                EvidenceSource::Item { title, locator, .. } if locator.is_empty() => title.clone(),
                EvidenceSource::Item { title, locator, .. } => format!("{title} ({locator})"),
                EvidenceSource::External {
                    title,
                    publisher,
                    url,
                    ..
                } => [title.as_str(), publisher, url]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            table.rows.push(vec![
                r.id.to_string(),
                r.claim.clone(),
                names(&r.agendas),
                names(&r.places),
                names(&r.organisations),
                r.measure.name.clone(),
                r.measure.value.clone().unwrap_or_default(),
                r.measure.unit.clone(),
                r.measure.baseline.clone().unwrap_or_default(),
                r.measure.period.clone(),
                r.measure
                    .sample_size
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                source,
                r.evidence_type.label().to_string(),
                r.strength.level().to_string(),
                r.status.label().to_string(),
                r.checked_by_name.clone().unwrap_or_default(),
            ]);
        }
        Ok(table)
    }

    /// The CSV of `table` (UTF-8 with a byte-order mark, formulas neutralised).
    pub async fn csv(&self, actor: Option<&Actor>, filter: &EvidenceFilter) -> AppResult<String> {
        tables::csv(&self.table(actor, filter).await?)
    }
}
