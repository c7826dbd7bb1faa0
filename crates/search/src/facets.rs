//! Facet counts (kind, theme, agenda, audience, place, organisation, year, and the evidence
//! records' type and strength) over a result set.
//! A custom collector reads the columnar fast fields by term ordinal: no stored docs, no strings per hit.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentReader};

use crate::schema::{
    F_AGENDA, F_AUDIENCE, F_EVIDENCE_TYPE, F_KIND, F_ORGANISATION, F_PLACE, F_STRENGTH, F_THEME,
    F_YEAR,
};
use crate::{FacetCount, Facets};

/// At most this many values are returned per facet.
pub const MAX_FACET_VALUES: usize = 50;

/// String facet fields, in the order used by the collector's vectors.
const STR_FACETS: [&str; 8] = [
    F_KIND,
    F_THEME,
    F_AGENDA,
    F_AUDIENCE,
    F_PLACE,
    F_ORGANISATION,
    F_EVIDENCE_TYPE,
    F_STRENGTH,
];

/// Year values this far apart or closer are counted in a dense array.
const DENSE_YEAR_SPAN: i64 = 4_096;

/// Counts facet values of every collected document.
pub struct FacetCollector;

/// Per-segment counts by value.
pub struct SegmentFacetCounts {
    strs: Vec<HashMap<String, u64>>,
    years: HashMap<i64, u64>,
}

enum YearCounts {
    /// Counts indexed by `year - min`; the common case (years span a few decades).
    Dense {
        min: i64,
        counts: Vec<u64>,
    },
    Sparse(HashMap<i64, u64>),
}

pub struct FacetSegmentCollector {
    columns: Vec<Option<StrColumn>>,
    /// Counts by term ordinal, one vector per string facet (sized to the segment dictionary).
    counts: Vec<Vec<u32>>,
    year: Option<Column<i64>>,
    year_counts: YearCounts,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: u32,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let fast = segment.fast_fields();
        let mut columns = Vec::with_capacity(STR_FACETS.len());
        let mut counts = Vec::with_capacity(STR_FACETS.len());
        for name in STR_FACETS {
            // `None` when no document of this segment has a value for the field.
            let column = fast.str(name)?;
            counts.push(vec![0u32; column.as_ref().map_or(0, |c| c.num_terms())]);
            columns.push(column);
        }
        let year = fast.column_opt::<i64>(F_YEAR)?;
        let year_counts = match &year {
            Some(col) if col.max_value().saturating_sub(col.min_value()) < DENSE_YEAR_SPAN => {
                let span = col.max_value().saturating_sub(col.min_value()) + 1;
                YearCounts::Dense {
                    min: col.min_value(),
                    counts: vec![0; usize::try_from(span).unwrap_or(0)],
                }
            }
            _ => YearCounts::Sparse(HashMap::new()),
        };
        Ok(FacetSegmentCollector {
            columns,
            counts,
            year,
            year_counts,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<SegmentFacetCounts>) -> tantivy::Result<Facets> {
        let mut strs: Vec<HashMap<String, u64>> = vec![HashMap::new(); STR_FACETS.len()];
        let mut years: HashMap<i64, u64> = HashMap::new();
        for seg in segments {
            for (total, part) in strs.iter_mut().zip(seg.strs) {
                for (value, n) in part {
                    *total.entry(value).or_default() += n;
                }
            }
            for (y, n) in seg.years {
                *years.entry(y).or_default() += n;
            }
        }
        let mut strs = strs.into_iter().map(top_values);
        let mut next = || strs.next().unwrap_or_default();
        Ok(Facets {
            kind: next(),
            theme: next(),
            agenda: next(),
            audience: next(),
            place: next(),
            organisation: next(),
            evidence_type: next(),
            strength: next(),
            year: top_values(years.into_iter().map(|(y, n)| (y.to_string(), n)).collect()),
        })
    }
}

/// Sorted by count desc then value asc, capped.
fn top_values(counts: HashMap<String, u64>) -> Vec<FacetCount> {
    let mut v: Vec<FacetCount> = counts
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v.truncate(MAX_FACET_VALUES);
    v
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = SegmentFacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (column, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    if let Some(c) = counts.get_mut(ord as usize) {
                        *c += 1;
                    }
                }
            }
        }
        if let Some(year) = &self.year {
            if let Some(y) = year.first(doc) {
                match &mut self.year_counts {
                    YearCounts::Dense { min, counts } => {
                        if let Some(c) = usize::try_from(y - *min)
                            .ok()
                            .and_then(|i| counts.get_mut(i))
                        {
                            *c += 1;
                        }
                    }
                    YearCounts::Sparse(map) => *map.entry(y).or_default() += 1,
                }
            }
        }
    }

    fn harvest(self) -> SegmentFacetCounts {
        let mut strs = Vec::with_capacity(self.columns.len());
        let mut buf = String::new();
        for (column, counts) in self.columns.iter().zip(self.counts) {
            let mut values = HashMap::new();
            if let Some(column) = column {
                for (ord, n) in counts.into_iter().enumerate() {
                    if n == 0 {
                        continue;
                    }
                    buf.clear();
                    // Only values actually hit are resolved to strings (a dictionary lookup each).
                    match column.ord_to_str(ord as u64, &mut buf) {
                        Ok(true) => {
                            values.insert(buf.clone(), u64::from(n));
                        }
                        Ok(false) => {}
                        Err(err) => tracing::warn!(%err, "facet value lookup failed"),
                    }
                }
            }
            strs.push(values);
        }
        let years = match self.year_counts {
            YearCounts::Dense { min, counts } => counts
                .into_iter()
                .enumerate()
                .filter(|(_, n)| *n > 0)
                .map(|(i, n)| (min + i as i64, n))
                .collect(),
            YearCounts::Sparse(map) => map,
        };
        SegmentFacetCounts { strs, years }
    }
}
