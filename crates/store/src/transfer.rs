//! Whole tables read and written row by row, for the site export and import
//! (`lz_app::transfer`). Which tables, in which order, and which columns are secret is the
//! app's decision; this layer only reads the schema of the database in hand and moves cells.
//!
//! Table and column names reach SQL only after they have been checked against the
//! database's own schema (`columns`), never as typed.

use futures_util::TryStreamExt;
use sqlx::{Column as _, Row};

use crate::{Backend, Conn, StoreError, StoreResult};

/// How a column's values are kept: every column of this schema is one of three kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Real,
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

/// Every table of the application (not sqlx's own), by name.
pub async fn tables(c: &mut Conn, backend: Backend) -> StoreResult<Vec<String>> {
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_sqlx%' ESCAPE '\\' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT table_name::TEXT FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_sqlx%' ORDER BY table_name"
        }
    };
    Ok(sqlx::query_scalar(sql).fetch_all(c).await?)
}

/// The columns of `table` in the database in hand, in their order; empty when there is no
/// such table.
pub async fn columns(c: &mut Conn, backend: Backend, table: &str) -> StoreResult<Vec<Column>> {
    let rows: Vec<(String, String)> = match backend {
        Backend::Sqlite => {
            sqlx::query_as("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
                .bind(table)
                .fetch_all(c)
                .await?
        }
        Backend::Postgres => {
            sqlx::query_as(
                "SELECT column_name::TEXT, data_type::TEXT FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1
                 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(c)
            .await?
        }
    };
    Ok(rows
        .into_iter()
        .map(|(name, ty)| {
            let ty = ty.to_ascii_uppercase();
            let kind = if ty.contains("INT") {
                Kind::Int
            } else if ty.contains("REAL") || ty.contains("DOUBLE") || ty.contains("FLOAT") {
                Kind::Real
            } else {
                Kind::Text
            };
            Column { name, kind }
        })
        .collect())
}

/// The newest migration applied: the schema version an export was made with.
pub async fn schema_version(c: &mut Conn) -> StoreResult<i64> {
    let v: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(c)
            .await?;
    Ok(v.unwrap_or(0))
}

/// A filter on the rows read: a `WHERE` clause written in code (never from input) and the
/// values of its `$1`, `$2`… (each bound, never written into the SQL).
pub struct Filter<'a> {
    pub clause: &'a str,
    pub params: &'a [&'a str],
}

/// Calls `each` with every row of `table` (as `columns` gives them), in one order that both
/// databases agree on: by every column in turn, text compared byte by byte.
pub async fn for_each_row<E>(
    c: &mut Conn,
    backend: Backend,
    table: &str,
    columns: &[Column],
    filter: Option<Filter<'_>>,
    mut each: impl FnMut(Vec<Cell>) -> Result<(), E>,
) -> StoreResult<Result<(), E>> {
    known_names(table, columns)?;
    let list = columns
        .iter()
        .map(|c| format!("\"{}\"", c.name))
        .collect::<Vec<_>>()
        .join(", ");
    let order = columns
        .iter()
        .map(|c| match (c.kind, backend) {
            (Kind::Text, Backend::Postgres) => format!("\"{}\" COLLATE \"C\"", c.name),
            _ => format!("\"{}\"", c.name),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let clause = filter.as_ref().map(|f| f.clause).unwrap_or("TRUE");
    let sql = trusted_sql!("SELECT {list} FROM \"{table}\" WHERE {clause} ORDER BY {order}");
    let mut query = sqlx::query(sql);
    if let Some(f) = &filter {
        for p in f.params {
            query = query.bind(*p);
        }
    }
    let mut rows = query.fetch(&mut *c);
    while let Some(row) = rows.try_next().await? {
        let mut cells = Vec::with_capacity(columns.len());
        for (i, col) in columns.iter().enumerate() {
            debug_assert_eq!(row.columns()[i].name(), col.name);
            let cell = match col.kind {
                Kind::Int => row.try_get::<Option<i64>, _>(i)?.map(Cell::Int),
                Kind::Real => row.try_get::<Option<f64>, _>(i)?.map(Cell::Real),
                Kind::Text => row.try_get::<Option<String>, _>(i)?.map(Cell::Text),
            };
            cells.push(cell.unwrap_or(Cell::Null));
        }
        if let Err(e) = each(cells) {
            return Ok(Err(e));
        }
    }
    Ok(Ok(()))
}

/// Most values one statement binds: under SQLite's limit (32,766) and PostgreSQL's (65,535).
const MAX_BINDS: usize = 30_000;

/// How many rows of `columns` one `insert_rows` statement takes: many, for few round trips
/// (one statement per row made a 100,000-item import take five minutes on PostgreSQL).
pub fn batch_size(columns: usize) -> usize {
    (MAX_BINDS / columns.max(1)).clamp(1, 500)
}

/// Inserts one row.
pub async fn insert_row(
    c: &mut Conn,
    table: &str,
    columns: &[Column],
    cells: Vec<Cell>,
) -> StoreResult<()> {
    insert_rows(c, table, columns, vec![cells]).await
}

/// Inserts rows that all give the same `columns` (each checked against the table's by the
/// caller), in one statement; at most `batch_size(columns.len())` of them.
pub async fn insert_rows(
    c: &mut Conn,
    table: &str,
    columns: &[Column],
    rows: Vec<Vec<Cell>>,
) -> StoreResult<()> {
    known_names(table, columns)?;
    if rows.is_empty() {
        return Ok(());
    }
    if rows.len() > batch_size(columns.len()) || rows.iter().any(|r| r.len() != columns.len()) {
        return Err(StoreError::Invalid(format!(
            "insert_rows into {table}: too many rows, or rows of another shape"
        )));
    }
    let list = columns
        .iter()
        .map(|c| format!("\"{}\"", c.name))
        .collect::<Vec<_>>()
        .join(", ");
    let n = columns.len();
    let values = (0..rows.len())
        .map(|r| {
            let params = (1..=n)
                .map(|i| format!("${}", r * n + i))
                .collect::<Vec<_>>()
                .join(", ");
            format!("({params})")
        })
        .collect::<Vec<_>>()
        .join(", ");
    let sql = trusted_sql!("INSERT INTO \"{table}\" ({list}) VALUES {values}");
    let mut query = sqlx::query(sql);
    for cells in rows {
        for (col, cell) in columns.iter().zip(cells) {
            query = match (col.kind, cell) {
                (Kind::Int, Cell::Int(v)) => query.bind(Some(v)),
                (Kind::Int, _) => query.bind(None::<i64>),
                (Kind::Real, Cell::Real(v)) => query.bind(Some(v)),
                (Kind::Real, Cell::Int(v)) => query.bind(Some(v as f64)),
                (Kind::Real, _) => query.bind(None::<f64>),
                (Kind::Text, Cell::Text(v)) => query.bind(Some(v)),
                (Kind::Text, _) => query.bind(None::<String>),
            };
        }
    }
    query.execute(c).await?;
    Ok(())
}

/// Removes every row of `table` (seeded reference data an import replaces).
pub async fn delete_all(c: &mut Conn, table: &str) -> StoreResult<()> {
    known_names(table, &[])?;
    sqlx::query(trusted_sql!("DELETE FROM \"{table}\""))
        .execute(c)
        .await?;
    Ok(())
}

/// How many rows `table` holds.
pub async fn count(c: &mut Conn, table: &str) -> StoreResult<i64> {
    known_names(table, &[])?;
    Ok(
        sqlx::query_scalar(trusted_sql!("SELECT COUNT(*) FROM \"{table}\""))
            .fetch_one(c)
            .await?,
    )
}

/// Names that reach SQL are plain identifiers (the callers take them from the schema; this
/// is the last guard).
fn known_names(table: &str, columns: &[Column]) -> StoreResult<()> {
    let plain = |s: &str| {
        !s.is_empty()
            && s.len() <= 63
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    if plain(table) && columns.iter().all(|c| plain(&c.name)) {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "not a table or column name: {table}"
        )))
    }
}
