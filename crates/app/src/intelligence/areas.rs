//! The reference areas (England, the North West and its counties, combined authorities,
//! unitary authorities and districts, with their real GSS codes and the dates the 2023
//! Cumbrian changes give them), seeded into every instance, and the areas each place covers.

use lz_domain::intelligence::{AreaType, GssCode};
use lz_store::intelligence as store;

use super::record::AreaRecord;
use super::{Intelligence, IntelligenceAccess};
use crate::{Actor, AppError, AppResult, Audit};

/// One reference area: (code, name, parent code, valid from, valid to).
pub struct ReferenceArea {
    pub code: &'static str,
    pub name: &'static str,
    pub parent: Option<&'static str>,
    pub valid_from: Option<&'static str>,
    pub valid_to: Option<&'static str>,
}

const fn area(code: &'static str, name: &'static str, parent: &'static str) -> ReferenceArea {
    ReferenceArea {
        code,
        name,
        parent: Some(parent),
        valid_from: None,
        valid_to: None,
    }
}

/// Cumbria County Council and its six districts were replaced on 1 April 2023 by Cumberland
/// and Westmorland and Furness (unitary authorities).
const CUMBRIA_ENDED: Option<&str> = Some("2023-03-31");
const CUMBRIA_UNITARIES_FROM: Option<&str> = Some("2023-04-01");

const fn ended(code: &'static str, name: &'static str, parent: &'static str) -> ReferenceArea {
    ReferenceArea {
        valid_to: CUMBRIA_ENDED,
        ..area(code, name, parent)
    }
}

/// England, the North West and the areas within it. Metropolitan boroughs are listed under
/// their combined authority, Lancashire's districts under the county.
pub fn reference_areas() -> Vec<ReferenceArea> {
    const NW: &str = super::NORTH_WEST;
    const GM: &str = "E47000001";
    const LCR: &str = "E47000004";
    const LANCS: &str = "E10000017";
    const CUMBRIA: &str = "E10000006";
    vec![
        ReferenceArea {
            code: super::ENGLAND,
            name: "England",
            parent: None,
            valid_from: None,
            valid_to: None,
        },
        area(NW, "North West", super::ENGLAND),
        area(GM, "Greater Manchester", NW),
        area(LCR, "Liverpool City Region", NW),
        area(LANCS, "Lancashire", NW),
        ended(CUMBRIA, "Cumbria", NW),
        area("E06000006", "Halton", LCR),
        area("E06000007", "Warrington", NW),
        area("E06000008", "Blackburn with Darwen", NW),
        area("E06000009", "Blackpool", NW),
        area("E06000049", "Cheshire East", NW),
        area("E06000050", "Cheshire West and Chester", NW),
        ReferenceArea {
            valid_from: CUMBRIA_UNITARIES_FROM,
            ..area("E06000063", "Cumberland", NW)
        },
        ReferenceArea {
            valid_from: CUMBRIA_UNITARIES_FROM,
            ..area("E06000064", "Westmorland and Furness", NW)
        },
        area("E08000001", "Bolton", GM),
        area("E08000002", "Bury", GM),
        area("E08000003", "Manchester", GM),
        area("E08000004", "Oldham", GM),
        area("E08000005", "Rochdale", GM),
        area("E08000006", "Salford", GM),
        area("E08000007", "Stockport", GM),
        area("E08000008", "Tameside", GM),
        area("E08000009", "Trafford", GM),
        area("E08000010", "Wigan", GM),
        area("E08000011", "Knowsley", LCR),
        area("E08000012", "Liverpool", LCR),
        area("E08000013", "St. Helens", LCR),
        area("E08000014", "Sefton", LCR),
        area("E08000015", "Wirral", LCR),
        area("E07000117", "Burnley", LANCS),
        area("E07000118", "Chorley", LANCS),
        area("E07000119", "Fylde", LANCS),
        area("E07000120", "Hyndburn", LANCS),
        area("E07000121", "Lancaster", LANCS),
        area("E07000122", "Pendle", LANCS),
        area("E07000123", "Preston", LANCS),
        area("E07000124", "Ribble Valley", LANCS),
        area("E07000125", "Rossendale", LANCS),
        area("E07000126", "South Ribble", LANCS),
        area("E07000127", "West Lancashire", LANCS),
        area("E07000128", "Wyre", LANCS),
        ended("E07000026", "Allerdale", CUMBRIA),
        ended("E07000027", "Barrow-in-Furness", CUMBRIA),
        ended("E07000028", "Carlisle", CUMBRIA),
        ended("E07000029", "Copeland", CUMBRIA),
        ended("E07000030", "Eden", CUMBRIA),
        ended("E07000031", "South Lakeland", CUMBRIA),
    ]
}

/// Adds the reference areas an instance lacks (never renaming one a person changed); run
/// at start-up, after the migrations.
pub(crate) async fn seed_reference_areas(app: &crate::App) -> AppResult<()> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    for a in reference_areas() {
        let code = GssCode::parse(a.code).map_err(|e| AppError::internal(e.to_string()))?;
        store::insert_area_if_new(
            &mut tx,
            &store::NewArea {
                code: a.code,
                name: a.name,
                area_type: AreaType::from_gss(&code).code(),
                parent_code: a.parent,
                valid_from: a.valid_from,
                valid_to: a.valid_to,
            },
            now,
        )
        .await?;
    }
    crate::commit(tx).await
}

impl Intelligence<'_> {
    pub async fn areas(&self) -> AppResult<Vec<AreaRecord>> {
        let mut c = self.app.db.acquire().await?;
        store::areas(&mut c)
            .await?
            .into_iter()
            .map(AreaRecord::try_from)
            .collect()
    }

    pub async fn area(&self, code: &str) -> AppResult<AreaRecord> {
        let mut c = self.app.db.acquire().await?;
        store::area(&mut c, code.trim())
            .await?
            .ok_or(AppError::NotFound)
            .and_then(AreaRecord::try_from)
    }

    /// The areas a place covers, the main one first; a place nobody mapped yet covers the
    /// area of its own GSS code, when that area is known.
    pub async fn place_areas(&self, place_id: &str) -> AppResult<Vec<AreaRecord>> {
        let mut c = self.app.db.acquire().await?;
        let mut rows = store::place_areas(&mut c, place_id).await?;
        if rows.is_empty() {
            let own = lz_store::network::place_by_id(&mut c, place_id)
                .await?
                .and_then(|p| p.gss_code);
            if let Some(code) = own {
                rows.extend(store::area(&mut c, &code).await?);
            }
        }
        rows.into_iter().map(AreaRecord::try_from).collect()
    }

    /// Says which areas a place covers (network admins): GSS codes separated by commas,
    /// spaces or lines, each a known area.
    pub async fn set_place_areas(&self, actor: &Actor, place_id: &str, raw: &str) -> AppResult<()> {
        IntelligenceAccess::require_administer(actor)?;
        let mut codes: Vec<String> = Vec::new();
        let mut c = self.app.db.acquire().await?;
        for token in raw
            .split(|ch: char| ch == ',' || ch.is_whitespace())
            .filter(|t| !t.is_empty())
        {
            let code =
                GssCode::parse(token).map_err(|e| AppError::field("areas", e.to_string()))?;
            if store::area(&mut c, code.as_str()).await?.is_none() {
                return Err(AppError::field(
                    "areas",
                    format!("{code} is not an area we know: import figures for it first, or check the code"),
                ));
            }
            if !codes.iter().any(|x| x == code.as_str()) {
                codes.push(code.as_str().to_string());
            }
        }
        if codes.len() > 50 {
            return Err(AppError::field("areas", "A place covers at most 50 areas"));
        }
        drop(c);
        let mut tx = self.app.db.begin().await?;
        if lz_store::network::place_by_id(&mut tx, place_id)
            .await?
            .is_none()
        {
            return Err(AppError::NotFound);
        }
        store::set_place_areas(&mut tx, place_id, &codes).await?;
        let detail = codes.join(", ");
        Audit::new(
            Some(actor.id()),
            "place.areas",
            ("place", place_id),
            &detail,
        )
        .commit(tx, self.app.now())
        .await
    }
}

impl Intelligence<'_> {
    /// Grants or withdraws the analyst permission (importing figures): network admins only.
    pub async fn set_analyst(&self, actor: &Actor, user_id: &str, analyst: bool) -> AppResult<()> {
        IntelligenceAccess::require_administer(actor)?;
        let mut tx = self.app.db.begin().await?;
        if !lz_store::users::set_analyst(&mut tx, user_id, analyst).await? {
            return Err(AppError::NotFound);
        }
        let detail = if analyst { "granted" } else { "withdrawn" };
        Audit::new(Some(actor.id()), "user.analyst", ("user", user_id), detail)
            .commit(tx, self.app.now())
            .await
    }
}
