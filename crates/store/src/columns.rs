//! Writes whose columns are named beside their values. A statement's SQL is generated from
//! the same list that binds the values, so adding a column is one line and a value cannot
//! land in its neighbour's column (positional `$n` parameters gave no such guarantee).

use sqlx::any::AnyArguments;
use sqlx::query::Query;

/// A value to bind. Only the types our tables use.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Param<'a> {
    Text(&'a str),
    MaybeText(Option<&'a str>),
    Int(i64),
    MaybeInt(Option<i64>),
    MaybeFloat(Option<f64>),
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(v: &'a str) -> Self {
        Param::Text(v)
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(v: &'a String) -> Self {
        Param::Text(v)
    }
}

impl<'a> From<Option<&'a str>> for Param<'a> {
    fn from(v: Option<&'a str>) -> Self {
        Param::MaybeText(v)
    }
}

impl From<i64> for Param<'_> {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}

impl From<Option<i64>> for Param<'_> {
    fn from(v: Option<i64>) -> Self {
        Param::MaybeInt(v)
    }
}

impl From<Option<f64>> for Param<'_> {
    fn from(v: Option<f64>) -> Self {
        Param::MaybeFloat(v)
    }
}

/// Flags are stored as 0/1 on both databases.
impl From<bool> for Param<'_> {
    fn from(v: bool) -> Self {
        Param::Int(i64::from(v))
    }
}

/// Columns of one row, in the order they are written, keyed by the row's `id`.
#[derive(Debug, Clone)]
pub(crate) struct Columns<'a> {
    id: &'a str,
    values: Vec<(&'static str, Param<'a>)>,
}

impl<'a> Columns<'a> {
    pub fn new(id: &'a str) -> Self {
        Self {
            id,
            values: Vec::new(),
        }
    }

    pub fn set(mut self, column: &'static str, value: impl Into<Param<'a>>) -> Self {
        self.values.push((column, value.into()));
        self
    }

    /// `INSERT INTO table (id, …) VALUES ($1, …)`.
    pub fn insert(self, table: &'static str) -> Query<'a, sqlx::Any, AnyArguments> {
        let names: Vec<&str> = self.values.iter().map(|(n, _)| *n).collect();
        let places: Vec<String> = (2..=self.values.len() + 1)
            .map(|i| format!("${i}"))
            .collect();
        let sql = format!(
            "INSERT INTO {table} (id, {}) VALUES ($1, {})",
            names.join(", "),
            places.join(", ")
        );
        self.bind(sql)
    }

    /// `UPDATE table SET … WHERE id = $1 {tail}`; `also` is a further assignment that binds
    /// nothing (e.g. `sequence = sequence + 1`), `tail` e.g. a `RETURNING` clause; either may
    /// be empty.
    pub fn update(
        self,
        table: &'static str,
        also: &'static str,
        tail: &'static str,
    ) -> Query<'a, sqlx::Any, AnyArguments> {
        let mut sets: Vec<String> = self
            .values
            .iter()
            .enumerate()
            .map(|(i, (n, _))| format!("{n} = ${}", i + 2))
            .collect();
        if !also.is_empty() {
            sets.push(also.to_string());
        }
        let sql = format!(
            "UPDATE {table} SET {} WHERE id = $1 {tail}",
            sets.join(", ")
        );
        self.bind(sql)
    }

    /// The SQL is made above from `&'static str` column and table names, never from input.
    fn bind(self, sql: String) -> Query<'a, sqlx::Any, AnyArguments> {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(self.id);
        for (_, v) in self.values {
            q = match v {
                Param::Text(v) => q.bind(v),
                Param::MaybeText(v) => q.bind(v),
                Param::Int(v) => q.bind(v),
                Param::MaybeInt(v) => q.bind(v),
                Param::MaybeFloat(v) => q.bind(v),
            };
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use sqlx::Execute;

    use super::*;

    #[test]
    fn insert_and_update_name_each_column_beside_its_parameter() {
        let cols = || {
            Columns::new("e1")
                .set("title", "A")
                .set("capacity", 3)
                .set("allow_guests", true)
        };
        assert_eq!(
            cols().insert("events").sql().as_str(),
            "INSERT INTO events (id, title, capacity, allow_guests) VALUES ($1, $2, $3, $4)"
        );
        assert_eq!(
            cols()
                .update("events", "sequence = sequence + 1", "")
                .sql()
                .as_str()
                .trim_end(),
            "UPDATE events SET title = $2, capacity = $3, allow_guests = $4, sequence = sequence + 1 WHERE id = $1"
        );
    }
}
