//! The network's places and organisations, and organisations' verified email domains.

use sqlx::FromRow;

use crate::{Conn, StoreResult};

#[derive(Debug, Clone, FromRow)]
pub struct PlaceRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub gss_code: Option<String>,
    pub summary: String,
}

pub struct NewPlace<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub gss_code: Option<&'a str>,
    pub summary: &'a str,
    pub now: i64,
}

pub async fn insert_place(c: &mut Conn, p: &NewPlace<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO places (id, slug, name, kind, gss_code, summary, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(p.id)
    .bind(p.slug)
    .bind(p.name)
    .bind(p.kind)
    .bind(p.gss_code)
    .bind(p.summary)
    .bind(p.now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn update_place(c: &mut Conn, p: &NewPlace<'_>) -> StoreResult<bool> {
    let r = sqlx::query(
        "UPDATE places SET slug = $2, name = $3, kind = $4, gss_code = $5, summary = $6
         WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(p.id)
    .bind(p.slug)
    .bind(p.name)
    .bind(p.kind)
    .bind(p.gss_code)
    .bind(p.summary)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn places(c: &mut Conn) -> StoreResult<Vec<PlaceRow>> {
    Ok(sqlx::query_as(
        "SELECT id, slug, name, kind, gss_code, summary FROM places
         WHERE deleted_at IS NULL ORDER BY LOWER(name)",
    )
    .fetch_all(c)
    .await?)
}

pub async fn place_by_id(c: &mut Conn, id: &str) -> StoreResult<Option<PlaceRow>> {
    Ok(sqlx::query_as(
        "SELECT id, slug, name, kind, gss_code, summary FROM places
         WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(id)
    .fetch_optional(c)
    .await?)
}

pub async fn place_by_slug(c: &mut Conn, slug: &str) -> StoreResult<Option<PlaceRow>> {
    Ok(sqlx::query_as(
        "SELECT id, slug, name, kind, gss_code, summary FROM places
         WHERE slug = $1 AND deleted_at IS NULL",
    )
    .bind(slug)
    .fetch_optional(c)
    .await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct OrganisationRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub sector: String,
    pub place_id: Option<String>,
    pub place_name: Option<String>,
    pub domains: Option<String>,
}

// Domains are folded into one comma-separated column so that a list page is one query.
const ORG_SELECT_SQLITE: &str = "SELECT o.id, o.slug, o.name, o.sector, o.place_id, p.name AS place_name,
        (SELECT GROUP_CONCAT(d.domain, ',') FROM organisation_domains d WHERE d.organisation_id = o.id) AS domains
     FROM organisations o LEFT JOIN places p ON p.id = o.place_id";
const ORG_SELECT_POSTGRES: &str = "SELECT o.id, o.slug, o.name, o.sector, o.place_id, p.name AS place_name,
        (SELECT STRING_AGG(d.domain, ',' ORDER BY d.domain) FROM organisation_domains d WHERE d.organisation_id = o.id) AS domains
     FROM organisations o LEFT JOIN places p ON p.id = o.place_id";

fn org_select(c: &Conn) -> &'static str {
    if c.backend_name() == "PostgreSQL" {
        ORG_SELECT_POSTGRES
    } else {
        ORG_SELECT_SQLITE
    }
}

impl OrganisationRow {
    pub fn domain_list(&self) -> Vec<String> {
        let mut d: Vec<String> = self
            .domains
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        d.sort();
        d
    }
}

pub struct NewOrganisation<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    pub name: &'a str,
    pub sector: &'a str,
    pub place_id: Option<&'a str>,
    pub now: i64,
}

pub async fn insert_organisation(c: &mut Conn, o: &NewOrganisation<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO organisations (id, slug, name, sector, place_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(o.id)
    .bind(o.slug)
    .bind(o.name)
    .bind(o.sector)
    .bind(o.place_id)
    .bind(o.now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn update_organisation(c: &mut Conn, o: &NewOrganisation<'_>) -> StoreResult<bool> {
    let r = sqlx::query(
        "UPDATE organisations SET slug = $2, name = $3, sector = $4, place_id = $5
         WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(o.id)
    .bind(o.slug)
    .bind(o.name)
    .bind(o.sector)
    .bind(o.place_id)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn organisations(c: &mut Conn) -> StoreResult<Vec<OrganisationRow>> {
    let sql = format!(
        "{} WHERE o.deleted_at IS NULL ORDER BY LOWER(o.name)",
        org_select(c)
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(c)
        .await?)
}

pub async fn organisation_by_id(c: &mut Conn, id: &str) -> StoreResult<Option<OrganisationRow>> {
    let sql = format!("{} WHERE o.id = $1 AND o.deleted_at IS NULL", org_select(c));
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

pub async fn organisation_by_domain(
    c: &mut Conn,
    domain: &str,
) -> StoreResult<Option<OrganisationRow>> {
    let sql = format!(
        "{} JOIN organisation_domains od ON od.organisation_id = o.id
         WHERE od.domain = $1 AND o.deleted_at IS NULL",
        org_select(c)
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(domain)
        .fetch_optional(c)
        .await?)
}

/// Replaces an organisation's domains. A domain held by another organisation is a conflict.
pub async fn set_domains(
    c: &mut Conn,
    org_id: &str,
    domains: &[String],
    now: i64,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM organisation_domains WHERE organisation_id = $1")
        .bind(org_id)
        .execute(&mut *c)
        .await?;
    for d in domains {
        sqlx::query(
            "INSERT INTO organisation_domains (domain, organisation_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(d)
        .bind(org_id)
        .bind(now)
        .execute(&mut *c)
        .await
        ?;
    }
    Ok(())
}

pub async fn counts(c: &mut Conn) -> StoreResult<(i64, i64)> {
    let places: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM places WHERE deleted_at IS NULL")
        .fetch_one(&mut *c)
        .await?;
    let orgs: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM organisations WHERE deleted_at IS NULL")
            .fetch_one(&mut *c)
            .await?;
    Ok((places, orgs))
}
