//! A fresh, migrated database per test (a temporary SQLite file; a new PostgreSQL database
//! when `LZ_TEST_POSTGRES_URL` is set) and rows written with plain SQL, so that a test states
//! exactly the data its query reads.

#![allow(dead_code)]

use std::io::Write;

use lz_store::{Conn, Db};

/// Runs each `async fn name(db: Db)` once per backend.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::common::sqlite().await).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(db) = $crate::common::postgres(concat!(module_path!(), "::postgres")).await {
                        super::$name(db).await;
                    }
                }
            }
        )+
    };
}

pub const NOW: i64 = 1_780_000_000_000;
pub const HOUR: i64 = 3_600_000;

fn unique() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

pub async fn sqlite() -> Db {
    let dir = std::env::temp_dir().join(format!("lz-store-test-{}", unique()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let db = Db::connect(&format!("sqlite://{}", dir.join("lz.db").display()), 5)
        .await
        .expect("open SQLite");
    db.migrate().await.expect("migrate SQLite");
    db
}

/// A fresh database on the test server, or None (said loudly) when there is none.
pub async fn postgres(test: &str) -> Option<Db> {
    let Some(admin_url) = std::env::var("LZ_TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.is_empty())
    else {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "\n*** SKIPPED {test}: LZ_TEST_POSTGRES_URL is not set, so this PostgreSQL run did not happen ***"
        );
        return None;
    };
    let admin = Db::connect(&admin_url, 1)
        .await
        .expect("connect to LZ_TEST_POSTGRES_URL");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    // Named like the integration suite's databases, which it drops once they are old.
    let name = format!("lzt_{now}_{}", &unique()[20..]);
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(admin.pool())
        .await
        .expect("create test database");
    admin.close().await;
    let mut url = url::Url::parse(&admin_url).expect("LZ_TEST_POSTGRES_URL is a URL");
    url.set_path(&format!("/{name}"));
    let db = Db::connect(url.as_str(), 5).await.expect("open PostgreSQL");
    db.migrate().await.expect("migrate PostgreSQL");
    Some(db)
}

pub async fn exec(c: &mut Conn, sql: &str, binds: &[Bind<'_>]) {
    // Test SQL is written in the tests themselves; values are bound.
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()));
    for b in binds {
        q = match b {
            Bind::Text(s) => q.bind(s.to_string()),
            Bind::Null => q.bind(None::<String>),
            Bind::NullInt => q.bind(None::<i64>),
            Bind::Int(i) => q.bind(*i),
        };
    }
    q.execute(c).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// A value to bind. PostgreSQL types a parameter by the value bound, so a missing number
/// is `NullInt` and a missing text `Null`.
pub enum Bind<'a> {
    Text(&'a str),
    Null,
    NullInt,
    Int(i64),
}

use Bind::{Int, Null, Text};

pub async fn place(c: &mut Conn, id: &str) {
    exec(
        c,
        "INSERT INTO places (id, slug, name, kind, created_at) VALUES ($1, $1, $1, 'local', $2)",
        &[Text(id), Int(NOW)],
    )
    .await;
}

pub async fn organisation(c: &mut Conn, id: &str, place: Option<&str>) {
    exec(
        c,
        "INSERT INTO organisations (id, slug, name, sector, place_id, created_at)
         VALUES ($1, $1, $1, 'vcfse', $2, $3)",
        &[Text(id), place.map_or(Null, Text), Int(NOW)],
    )
    .await;
}

pub async fn user(c: &mut Conn, id: &str) {
    exec(
        c,
        "INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at)
         VALUES ($1, $1 || '@example.org', $1, 'x', 'member', $2, $2)",
        &[Text(id), Int(NOW)],
    )
    .await;
}

pub async fn membership(c: &mut Conn, user: &str, organisation: &str, status: &str) {
    exec(
        c,
        "INSERT INTO memberships (id, user_id, organisation_id, status, via, created_at)
         VALUES ($1, $2, $3, $4, 'request', $5)",
        &[
            Text(&format!("{user}-{organisation}")),
            Text(user),
            Text(organisation),
            Text(status),
            Int(NOW),
        ],
    )
    .await;
}
