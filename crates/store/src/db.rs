//! Connection pool, backend detection, per-connection SQLite settings and migrations.

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor, SqlSafeStr};

use crate::{StoreError, StoreResult};

pub type Conn = sqlx::AnyConnection;
pub type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    handed_out: Arc<HandedOut>,
}

/// When the pool last handed out a connection: a request whose wait timed out waits on while
/// others keep getting theirs (the database is busy, not away).
struct HandedOut {
    since: Instant,
    /// Milliseconds after `since`.
    last_ms: AtomicU64,
}

impl HandedOut {
    fn now_ms(&self) -> u64 {
        self.since.elapsed().as_millis() as u64
    }

    fn note(&self) {
        self.last_ms.fetch_max(self.now_ms(), Ordering::Relaxed);
    }

    /// Whether a connection was handed out within the last second: the database answers.
    fn lately(&self) -> bool {
        self.now_ms()
            .saturating_sub(self.last_ms.load(Ordering::Relaxed))
            < 1_000
    }
}

impl Db {
    /// Connects to `url` (`sqlite://path` or `postgres://…`). A SQLite file is created if missing.
    pub async fn connect(url: &str, max_connections: u32) -> StoreResult<Self> {
        sqlx::any::install_default_drivers();
        let backend = backend_of(url)?;
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|e| StoreError::Invalid(format!("database URL: {e}")))?
            .log_statements(tracing::log::LevelFilter::Trace)
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(acquire_timeout(backend))
            // A ping before every use guards against a PostgreSQL connection dropped by the
            // server; an embedded SQLite connection cannot drop, and there the ping is one more
            // trip through the driver's thread on every request.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; FULL sync so that an
                        // acknowledged write survives a crash of the machine, not only the process.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            backend,
            handed_out: Arc::new(HandedOut {
                since: Instant::now(),
                last_ms: AtomicU64::new(0),
            }),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`):
    /// a deferred transaction that reads and then writes can fail with SQLITE_BUSY when
    /// another writer got in between, whereas waiting for the lock honours the busy timeout.
    pub async fn begin(&self) -> StoreResult<Tx<'static>> {
        let conn = self.acquire().await?;
        let statement = match self.backend {
            Backend::Sqlite => Some("BEGIN IMMEDIATE".into_sql_str()),
            Backend::Postgres => None,
        };
        Ok(sqlx::Transaction::begin(conn, statement).await?)
    }

    /// A read-only transaction that sees one moment of the database throughout (an export
    /// read table by table while others write): PostgreSQL's repeatable read; on SQLite in
    /// WAL mode a read transaction keeps the snapshot of its first read.
    pub async fn begin_snapshot(&self) -> StoreResult<Tx<'static>> {
        let conn = self.acquire().await?;
        let statement = match self.backend {
            Backend::Sqlite => "BEGIN".into_sql_str(),
            Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY".into_sql_str(),
        };
        Ok(sqlx::Transaction::begin(conn, Some(statement)).await?)
    }

    /// A connection, waited for as `acquire_timeout` says; past that, only while other
    /// requests keep getting theirs, up to `ACQUIRE_PATIENCE` in all.
    pub async fn acquire(&self) -> StoreResult<sqlx::pool::PoolConnection<sqlx::Any>> {
        let started = Instant::now();
        loop {
            // The last wait is cut so that the whole never passes `ACQUIRE_PATIENCE`.
            let left = ACQUIRE_PATIENCE.saturating_sub(started.elapsed());
            let Ok(got) = tokio::time::timeout(left, self.pool.acquire()).await else {
                return Err(sqlx::Error::PoolTimedOut.into());
            };
            match got {
                Ok(conn) => {
                    self.handed_out.note();
                    return Ok(conn);
                }
                Err(sqlx::Error::PoolTimedOut)
                    if self.handed_out.lately() && started.elapsed() < ACQUIRE_PATIENCE => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// Applies pending migrations (forward only).
    pub async fn migrate(&self) -> StoreResult<()> {
        self.migrator().run(&self.pool).await?;
        Ok(())
    }

    /// True when the database answers and every known migration has been applied.
    pub async fn is_ready(&self) -> bool {
        let expected = self
            .migrator()
            .iter()
            .filter(|m| m.migration_type.is_up_migration())
            .count() as i64;
        let applied: Result<i64, _> =
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_one(&self.pool)
                .await;
        matches!(applied, Ok(n) if n >= expected)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// How long a request waits for a connection before it hears "try again" (503), when nobody
/// else gets one meanwhile either.
///
/// On PostgreSQL the pool retries a refused connection until this timeout: while the server
/// restarts, each request waits this long, so it is short. A request that waited this long
/// behind others that did get connections waits on (`Db::acquire`). On SQLite connections
/// are only ever waited for behind other requests (writers queue on the busy timeout).
fn acquire_timeout(backend: Backend) -> Duration {
    match backend {
        Backend::Postgres => Duration::from_secs(3),
        Backend::Sqlite => ACQUIRE_PATIENCE,
    }
}

/// The longest a request waits for a connection behind other requests.
const ACQUIRE_PATIENCE: Duration = Duration::from_secs(10);

pub fn backend_of(url: &str) -> StoreResult<Backend> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(StoreError::Invalid(format!(
            "unsupported database URL {url:?}: use sqlite://PATH or postgres://…"
        )))
    }
}
