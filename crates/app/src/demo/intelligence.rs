//! The demo's figures. Indicator 93015 (physically inactive adults, 19+) for 2018/19 and
//! 2023/24 and 93014 (active adults) for 2023/24 carry the real published values quoted in
//! DOMAIN.md (OHID Fingertips via Trafford Data Lab; Lancashire Insight), with the
//! comparison Fingertips published and no invented interval. Every other value — other
//! years, other areas, every confidence interval — is generated and saved as
//! *illustrative*, which every page, table, CSV and API answer says. The IoD2019 ranks are the
//! real ones for the six areas DOMAIN.md quotes. All of it goes through the same import a
//! person uses (the Fingertips format and the IoD summary's headings).

use crate::{App, AppError, AppResult};

const FINGERTIPS_HEADER: &str = "Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,Lower CI 99.8 limit,Upper CI 99.8 limit,Count,Denominator,Value note,Recent Trend,Compared to England value or percentiles,Compared to North West region value or percentiles,Time period Sortable,New data,Compared to goal";

const INACTIVE: (&str, &str) = ("93015", "Percentage of physically inactive adults");
const ACTIVE: (&str, &str) = ("93014", "Percentage of physically active adults");

/// (indicator, area code, area name, period, value, compared to England).
type RealRow = (
    (&'static str, &'static str),
    &'static str,
    &'static str,
    &'static str,
    f64,
    &'static str,
);

/// Real published values.
const REAL: &[RealRow] = &[
    (INACTIVE, "E92000001", "England", "2018/19", 21.4, ""),
    (
        INACTIVE,
        "E47000001",
        "Greater Manchester",
        "2018/19",
        23.5,
        "Worse",
    ),
    (
        INACTIVE,
        "E06000008",
        "Blackburn with Darwen",
        "2018/19",
        25.8,
        "Worse",
    ),
    (INACTIVE, "E06000009", "Blackpool", "2018/19", 26.8, "Worse"),
    (INACTIVE, "E07000117", "Burnley", "2018/19", 29.5, "Worse"),
    (INACTIVE, "E07000118", "Chorley", "2018/19", 23.4, "Similar"),
    (INACTIVE, "E08000004", "Oldham", "2018/19", 27.6, "Worse"),
    (INACTIVE, "E08000011", "Knowsley", "2018/19", 27.1, "Worse"),
    (
        INACTIVE,
        "E06000049",
        "Cheshire East",
        "2018/19",
        18.1,
        "Similar",
    ),
    (
        INACTIVE,
        "E07000027",
        "Barrow-in-Furness",
        "2018/19",
        21.7,
        "Similar",
    ),
    (INACTIVE, "E92000001", "England", "2023/24", 22.0, ""),
    (INACTIVE, "E06000009", "Blackpool", "2023/24", 36.6, ""),
    (
        INACTIVE,
        "E06000008",
        "Blackburn with Darwen",
        "2023/24",
        31.6,
        "",
    ),
    (INACTIVE, "E10000017", "Lancashire", "2023/24", 22.3, ""),
    (ACTIVE, "E06000009", "Blackpool", "2023/24", 48.9, ""),
    (
        ACTIVE,
        "E06000008",
        "Blackburn with Darwen",
        "2023/24",
        57.8,
        "",
    ),
];

const PERIODS: &[&str] = &[
    "2015/16", "2016/17", "2017/18", "2018/19", "2019/20", "2020/21", "2021/22", "2022/23",
    "2023/24",
];

/// The areas the illustrative rows cover: England, the region and its local authorities.
fn illustrative_areas() -> Vec<(&'static str, &'static str)> {
    crate::intelligence::reference_areas()
        .into_iter()
        .filter(|a| {
            let t = lz_domain::intelligence::GssCode::parse(a.code).map(|c| c.area_type());
            use lz_domain::intelligence::AreaType::*;
            matches!(
                t,
                Ok(Country | Region | Unitary | District | MetropolitanDistrict)
            )
        })
        .map(|a| (a.code, a.name))
        .collect()
}

/// A stable number in 0..1 from a text (the same demo every time).
fn unit_hash(s: &str) -> f64 {
    let h = s.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    });
    (h % 10_000) as f64 / 10_000.0
}

fn real(indicator: &str, code: &str, period: &str) -> Option<f64> {
    REAL.iter()
        .find(|r| r.0 .0 == indicator && r.1 == code && r.3 == period)
        .map(|r| r.4)
}

fn noise(code: &str, period: &str) -> f64 {
    unit_hash(&format!("{code}{period}")) * 1.2 - 0.6
}

/// An illustrative share of inactive adults for period `i` (0 = 2015/16, 8 = 2023/24): drawn
/// between the real 2018/19 and 2023/24 values where they are published, so that a place's
/// line passes through its real figures; elsewhere near England's level with a spread.
fn illustrative_inactive(code: &str, i: usize, period: &str) -> f64 {
    let then = real(INACTIVE.0, code, "2018/19");
    let now = real(INACTIVE.0, code, "2023/24");
    let level = match (then, now) {
        (Some(a), Some(b)) if i > 3 => a + (b - a) * (i as f64 - 3.0) / 5.0,
        (Some(a), _) => a + (i as f64 - 3.0) * 0.3,
        (None, Some(b)) => b - (8.0 - i as f64) * 0.4,
        (None, None) => {
            let spread = if code == "E92000001" {
                0.0
            } else {
                unit_hash(code) * 12.0 - 3.0
            };
            21.4 + spread + (i as f64 - 3.0) * 0.15
        }
    };
    level + noise(code, period)
}

/// The illustrative Fingertips rows: every period and area the real rows do not give.
fn illustrative_csv() -> String {
    let mut out = String::from(FINGERTIPS_HEADER);
    out.push('\n');
    let areas = illustrative_areas();
    for (k, (id, name)) in [INACTIVE, ACTIVE].into_iter().enumerate() {
        for (i, period) in PERIODS.iter().enumerate() {
            for (code, area) in &areas {
                if REAL
                    .iter()
                    .any(|r| r.0 .0 == id && r.1 == *code && r.3 == *period)
                {
                    continue;
                }
                // Cumbria's districts ended in 2023; its unitaries began then.
                let late = i >= 8;
                let cumbrian_district =
                    code.starts_with("E0700002") || code.starts_with("E0700003");
                let new_unitary = *code == "E06000063" || *code == "E06000064";
                if (late && cumbrian_district) || (!late && new_unitary) {
                    continue;
                }
                let inactive = illustrative_inactive(code, i, period);
                let value = if k == 0 {
                    inactive
                } else {
                    match real(ACTIVE.0, code, "2023/24") {
                        // Anchored to the real active share where one is published.
                        Some(a) => a - (8.0 - i as f64) * 0.2 + noise(code, period),
                        None => 100.0 - inactive - 11.5,
                    }
                };
                let half = match *code {
                    "E92000001" => 0.2,
                    "E12000002" => 0.5,
                    _ => 2.0 + unit_hash(&format!("{period}{code}")) * 2.5,
                };
                out.push_str(&format!(
                    "{id},{name},E12000002,North West region,{code},\"{area}\",Districts & UAs,Persons,19+ yrs,,,{period},{value:.1},{:.1},{:.1},,,,,Illustrative value for the demo: not an official figure,,,,,,\n",
                    value - half,
                    value + half
                ));
            }
        }
    }
    out
}

fn real_csv() -> String {
    let mut out = String::from(FINGERTIPS_HEADER);
    out.push('\n');
    for ((id, name), code, area, period, value, compared) in REAL {
        out.push_str(&format!(
            "{id},{name},E12000002,North West region,{code},\"{area}\",Districts & UAs,Persons,19+ yrs,,,{period},{value},,,,,,,,,{compared},,,,\n"
        ));
    }
    out
}

/// The IoD2019 local authority summary's headings, with the ranks DOMAIN.md quotes.
const IMD_2019: &str = "Local Authority District code (2019),Local Authority District name (2019),IMD - Rank of average score
E06000009,Blackpool,1
E08000011,Knowsley,2
E08000012,Liverpool,3
E08000003,Manchester,6
E07000117,Burnley,8
E06000008,Blackburn with Darwen,9
";

/// Which areas the demo's places cover beyond their own code.
const PLACE_AREAS: &[(&str, &[&str])] = &[
    (
        "pennine-lancashire",
        &[
            "E06000008",
            "E07000117",
            "E07000120",
            "E07000122",
            "E07000125",
        ],
    ),
    ("cumberland", &["E06000063"]),
];

impl App {
    pub(crate) async fn load_demo_intelligence(&self) -> AppResult<()> {
        let intel = self.intelligence();
        intel
            .import_bytes_now(
                "Fingertips 93015 and 93014, published values (demo).csv",
                real_csv().as_bytes(),
                false,
            )
            .await?;
        intel
            .import_bytes_now(
                "Illustrative demo figures (not official).csv",
                illustrative_csv().as_bytes(),
                true,
            )
            .await?;
        intel
            .import_bytes_now(
                "IoD2019 local authority summary, published ranks (demo).csv",
                IMD_2019.as_bytes(),
                false,
            )
            .await?;
        let missing = |what: &str| AppError::internal(format!("demo figures: no {what}"));
        let amanda = self
            .demo_actor("amanda.forrest@activelancashire.org.uk")
            .await?;
        let records = self
            .evidence()
            .list(Some(&amanda), &crate::evidence::EvidenceFilter::default())
            .await?
            .records;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        for (source, id) in [
            ("fingertips", "93015"),
            ("fingertips", "93014"),
            ("iod", "iod2019.imd_rank_average_score"),
        ] {
            let row = lz_store::intelligence::indicator_by_any_id(&mut tx, id)
                .await?
                .filter(|r| r.source == source)
                .ok_or_else(|| missing(id))?;
            lz_store::intelligence::update_indicator(
                &mut tx,
                &row.id,
                &row.unit,
                &row.polarity,
                true,
                now,
            )
            .await?;
        }
        let places = lz_store::network::places(&mut tx).await?;
        for (slug, codes) in PLACE_AREAS {
            let place = places
                .iter()
                .find(|p| p.slug == *slug)
                .ok_or_else(|| missing(slug))?;
            let codes: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
            lz_store::intelligence::set_place_areas(&mut tx, &place.id, &codes).await?;
        }
        let inactive = lz_store::intelligence::indicator_by_any_id(&mut tx, "93015")
            .await?
            .ok_or_else(|| missing("93015"))?;
        // What addresses inactivity in Blackpool: the wellbeing hub's story and its evaluation.
        for title in [
            "From leisure centre to wellbeing hub: the first year in Blackpool",
            "Move Together Blackpool: insight from door-to-door conversations in Claremont",
        ] {
            let item = lz_store::library::item_id_by_title(&mut tx, title)
                .await?
                .ok_or_else(|| missing(title))?;
            lz_store::intelligence::set_item_indicators(
                &mut tx,
                &item,
                std::slice::from_ref(&inactive.id),
            )
            .await?;
        }
        for r in &records {
            if r.claim.contains("Blackpool's wellbeing hub")
                || r.claim.contains("regular short walks")
            {
                lz_store::intelligence::set_evidence_indicators(
                    &mut tx,
                    r.id.as_str(),
                    std::slice::from_ref(&inactive.id),
                )
                .await?;
            }
        }
        crate::commit(tx).await
    }
}
