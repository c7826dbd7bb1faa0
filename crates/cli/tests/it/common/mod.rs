//! The test harness: `TestApp::spawn` starts the app on a random port with a fresh database,
//! `Client` is one person's browser (own cookies) or API caller; `app.given()` builds what a
//! scenario needs (`given.rs`) and `assert_only` tries a request as every role (`only.rs`).

#![allow(dead_code)]

mod given;
mod only;
mod smtp;

// The harness's whole vocabulary, whether or not today's scenarios use every word.
#[allow(unused_imports)]
pub use given::{Given, Org, Person, Place, ROLES};
#[allow(unused_imports)]
pub use only::{assert_only, assert_only_members, callers, page, Answer, Caller};
#[allow(unused_imports)]
pub use smtp::{free_port, python_reads, python_with, python_with_aiosmtpd, Smtp};

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use lz_app::{App, Config};
use reqwest::StatusCode;

pub const PASSWORD: &str = "heather moorland trail kestrel";
pub const DEMO_PASSWORD: &str = lz_app::demo::DEMO_PASSWORD;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each named scenario `async fn name(app: TestApp)` once per backend.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::common::TestApp::spawn($crate::common::Backend::Sqlite).await.expect("sqlite always runs");
                    super::$name(app).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::common::TestApp::spawn_or_skip($crate::common::Backend::Postgres, concat!(module_path!(), "::postgres")).await {
                        super::$name(app).await;
                    }
                }
            }
        )+
    };
}

pub struct TestApp {
    pub app: App,
    pub addr: SocketAddr,
    pub base: String,
    pub dir: PathBuf,
    pub backend: Backend,
    pub smtp: Option<Smtp>,
    stop: Option<tokio::sync::watch::Sender<bool>>,
    /// Whether `dir` is removed when the app stops (not when it was given: `spawn_in`).
    owns_dir: bool,
    /// What `given()` built once per app: the network admin who sets things up, and the
    /// people `assert_only` tries requests as.
    pub(crate) built: given::Built,
}

/// Says loudly, past the test harness's output capture, that a test did not run.
pub fn skip(test: &str, why: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "\n*** SKIPPED {test}: {why} ***");
}

pub fn postgres_url() -> Option<String> {
    std::env::var("LZ_TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

fn unique() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

pub fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lz-test-{tag}-{}", unique()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// A fresh PostgreSQL database on the test server; old ones from earlier runs are dropped.
pub async fn fresh_postgres_database(admin_url: &str) -> String {
    use sqlx::{Connection, Executor};
    let mut c = sqlx::PgConnection::connect(admin_url)
        .await
        .expect("connect to LZ_TEST_POSTGRES_URL");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let old: Vec<(String,)> =
        sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE 'lzt\\_%'")
            .fetch_all(&mut c)
            .await
            .unwrap_or_default();
    for (name,) in old {
        let ts: u64 = name
            .split('_')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(u64::MAX);
        if ts + 3 * 3600 < now {
            let _ = c
                .execute(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                )))
                .await;
        }
    }
    let name = format!("lzt_{now}_{}", &unique()[20..]);
    c.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .await
        .expect("create test database");
    let mut url = url::Url::parse(admin_url).expect("LZ_TEST_POSTGRES_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, &[]).await
    }

    pub async fn spawn_or_skip(backend: Backend, test: &str) -> Option<TestApp> {
        if backend == Backend::Postgres && postgres_url().is_none() {
            skip(
                test,
                "LZ_TEST_POSTGRES_URL is not set, so this PostgreSQL run did not happen",
            );
            return None;
        }
        Self::spawn_with(backend, &[]).await
    }

    /// Starts the app with extra `LZ_*` settings.
    pub async fn spawn_with(backend: Backend, extra: &[(&str, &str)]) -> Option<TestApp> {
        let mut app = Self::spawn_in(backend, &temp_dir("app"), extra).await?;
        app.owns_dir = true;
        Some(app)
    }

    /// Starts the app on `dir` (its SQLite database and `LZ_DATA_DIR`), which is left in
    /// place when the app stops, so that another app can start on it. An `LZ_DATABASE_URL`
    /// in `extra` replaces the test database.
    pub async fn spawn_in(
        backend: Backend,
        dir: &std::path::Path,
        extra: &[(&str, &str)],
    ) -> Option<TestApp> {
        // The tests' HTTP clients use rustls with ring, installed as the binary does at start.
        lz_files::install_crypto_provider();
        let dir = dir.to_path_buf();
        let database_url = match (extra.iter().find(|(k, _)| *k == "LZ_DATABASE_URL"), backend) {
            (Some((_, url)), _) => url.to_string(),
            (None, Backend::Sqlite) => format!("sqlite://{}", dir.join("lz.db").display()),
            (None, Backend::Postgres) => fresh_postgres_database(&postgres_url()?).await,
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let base = format!("http://{addr}");
        let mut env: Vec<(String, String)> = vec![
            ("LZ_DATABASE_URL".into(), database_url),
            ("LZ_DATA_DIR".into(), dir.join("data").display().to_string()),
            ("LZ_BASE_URL".into(), base.clone()),
            // Cheap hashing keeps the suite fast; the benchmark measures the real cost.
            ("LZ_ARGON2_MEMORY_KIB".into(), "256".into()),
            ("LZ_ARGON2_ITERATIONS".into(), "1".into()),
            ("LZ_DB_MAX_CONNECTIONS".into(), "5".into()),
        ];
        env.extend(
            extra
                .iter()
                .filter(|(k, _)| *k != "LZ_DATABASE_URL")
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        let config = Config::load(None, env).expect("test config");
        let mut app = App::open(config).await.expect("open app");
        // Text is extracted by the real binary in a child process, as `serve` does.
        let memory_mib = extra
            .iter()
            .find(|(k, _)| *k == "TEST_EXTRACT_MEMORY_MIB")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(1024);
        app.use_extractor_program(env!("CARGO_BIN_EXE_learning-zone").into(), memory_mib);
        let (stop, rx) = tokio::sync::watch::channel(false);
        tokio::spawn(app.clone().run_mailer(rx.clone()));
        tokio::spawn(app.clone().run_indexer(rx.clone()));
        tokio::spawn(app.clone().run_extractor(rx.clone()));
        let serve_app = app.clone();
        let mut rx2 = rx.clone();
        tokio::spawn(async move {
            let _ = lz_web::serve(serve_app, listener, async move {
                let _ = rx2.changed().await;
            })
            .await;
        });
        Some(TestApp {
            app,
            addr,
            base,
            dir,
            backend,
            smtp: None,
            stop: Some(stop),
            owns_dir: false,
            built: given::Built::default(),
        })
    }

    /// Starts the app with a real SMTP server (aiosmtpd) on loopback.
    pub async fn spawn_with_smtp(backend: Backend, test: &str) -> Option<TestApp> {
        if backend == Backend::Postgres && postgres_url().is_none() {
            skip(
                test,
                "LZ_TEST_POSTGRES_URL is not set, so this PostgreSQL run did not happen",
            );
            return None;
        }
        let smtp = Smtp::start().await;
        let url = format!("smtp://127.0.0.1:{}", smtp.port);
        let mut app = Self::spawn_with(backend, &[("LZ_SMTP_URL", &url)]).await?;
        app.smtp = Some(smtp);
        Some(app)
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// Builds places, organisations, people, items, events and plans for a scenario.
    pub fn given(&self) -> Given<'_> {
        Given::new(self)
    }

    /// Loads the demo network (places, organisations, one account per role).
    pub async fn load_demo(&self) {
        self.app.load_demo().await.expect("demo data");
    }

    /// The newest outbox message to `to`, from the database the app writes it to.
    pub async fn outbox_to(&self, to: &str) -> Option<lz_store::outbox::OutboxRow> {
        let mut c = self.app.db.acquire().await.expect("db");
        lz_store::outbox::recent(&mut c, 500)
            .await
            .expect("outbox")
            .into_iter()
            .find(|m| m.to_addr == to)
    }

    /// The link with `path` from the newest email to `to` (SMTP server if running, else outbox).
    pub async fn link_from_email(&self, to: &str, path: &str) -> String {
        let body = match &self.smtp {
            Some(s) => s.wait_for(to).await,
            None => {
                self.outbox_to(to)
                    .await
                    .expect("an email was queued")
                    .body_text
            }
        };
        find_link(&body, path).unwrap_or_else(|| panic!("no {path} link in email to {to}: {body}"))
    }

    /// The token query parameter from the newest email's link.
    pub async fn token_from_email(&self, to: &str, path: &str) -> String {
        let link = self.link_from_email(to, path).await;
        link.split("token=")
            .nth(1)
            .expect("token in link")
            .to_string()
    }

    /// Signs up, verifies and signs in a new person; returns their browser.
    pub async fn signed_in_member(&self, email: &str) -> Client {
        let c = self.client();
        let r = c
            .post_form(
                "/sign-up",
                "/sign-up",
                &[
                    ("name", "Test Person"),
                    ("email", email),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "sign-up of {email}");
        let token = self.token_from_email(email, "/verify").await;
        let r = c
            .post_form(
                "/verify",
                &format!("/verify?token={token}"),
                &[("token", &token)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        c.sign_in(email, PASSWORD).await;
        c
    }

    pub async fn count(&self, table: &str) -> i64 {
        let mut c = self.app.db.acquire().await.expect("db");
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&mut *c)
            .await
            .expect("count")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(true);
        }
        if self.owns_dir {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Where a redirect sends the browser (its `Location` header).
pub fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_else(|| panic!("a redirect with a Location header, got {}", r.status()))
        .to_string()
}

/// The response's body as text.
pub async fn body_text(r: reqwest::Response) -> String {
    r.text().await.expect("a response body")
}

pub fn find_link(body: &str, path: &str) -> Option<String> {
    // Quoted-printable soft breaks would split links; emails here are plain 7-bit text.
    let joined = body
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    joined
        .split_whitespace()
        .find(|w| w.starts_with("http") && w.contains(path))
        .map(|w| w.trim_end_matches(['.', ',', ')']).to_string())
}

/// One person's browser: its own cookie jar, redirects not followed (tests look at them).
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub token: Option<String>,
    jar: Arc<reqwest::cookie::Jar>,
}

impl Client {
    pub fn new(base: &str) -> Self {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            http,
            base: base.to_string(),
            token: None,
            jar,
        }
    }

    pub fn with_token(&self, token: &str) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            http,
            base: self.base.clone(),
            token: Some(token.to_string()),
            jar: Arc::new(reqwest::cookie::Jar::default()),
        }
    }

    /// `raw_post` for JSON with this client's bearer token.
    pub async fn raw_post_json(&self, path: &str, body: Vec<u8>) -> (u16, String) {
        let auth = self
            .token
            .as_deref()
            .map(|t| format!("Bearer {t}"))
            .unwrap_or_default();
        self.raw_post_with(path, "application/json", &auth, body)
            .await
    }

    /// `raw_post` with any content type and this client's bearer token.
    pub async fn raw_post_bearer(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (u16, String) {
        let auth = self
            .token
            .as_deref()
            .map(|t| format!("Bearer {t}"))
            .unwrap_or_default();
        self.raw_post_with(path, content_type, &auth, body).await
    }

    pub async fn raw_post(&self, path: &str, content_type: &str, body: Vec<u8>) -> (u16, String) {
        self.raw_post_with(path, content_type, "", body).await
    }

    /// Sends a request over a plain socket, writing the body while reading the answer: a
    /// server may (rightly) answer 413 and close before a large body is fully sent, which
    /// an ordinary client reports as a broken pipe instead of the response.
    async fn raw_post_with(
        &self,
        path: &str,
        content_type: &str,
        authorization: &str,
        body: Vec<u8>,
    ) -> (u16, String) {
        use reqwest::cookie::CookieStore;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let url = url::Url::parse(&self.url(path)).expect("url");
        let cookies = self
            .jar
            .cookies(&url)
            .and_then(|v| v.to_str().ok().map(str::to_string))
            .unwrap_or_default();
        let stream = tokio::net::TcpStream::connect((
            url.host_str().expect("host"),
            url.port().expect("port"),
        ))
        .await
        .expect("connect");
        let (mut read, mut write) = stream.into_split();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCookie: {cookies}\r\n{}Connection: close\r\n\r\n",
            url.authority(),
            body.len(),
            if authorization.is_empty() { String::new() } else { format!("Authorization: {authorization}\r\n") }
        );
        let writer = tokio::spawn(async move {
            let _ = write.write_all(head.as_bytes()).await;
            let _ = write.write_all(&body).await;
        });
        let mut response = Vec::new();
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            read.read_to_end(&mut response),
        )
        .await;
        writer.abort();
        let text = String::from_utf8_lossy(&response).to_string();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, text)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> (StatusCode, String) {
        let r = self.get(path).await;
        let s = r.status();
        (s, r.text().await.expect("body"))
    }

    /// The CSRF token in the form on `page`.
    pub async fn csrf(&self, page: &str) -> String {
        let (_, html) = self.get_text(page).await;
        csrf_in(&html).unwrap_or_else(|| panic!("no csrf_token on {page}"))
    }

    /// Submits a form to `action` the way a browser would after showing `page`.
    pub async fn post_form(
        &self,
        action: &str,
        page: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = self.csrf(page).await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", &token)];
        all.extend_from_slice(fields);
        self.http
            .post(self.url(action))
            .form(&all)
            .send()
            .await
            .expect("POST")
    }

    /// Sends a file (`name`, `bytes`) as the `file` field of the form on `page`, with `fields`,
    /// the way a browser does; (status, body).
    pub async fn post_file(
        &self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
        name: &str,
        bytes: Vec<u8>,
    ) -> (StatusCode, String) {
        let mut form = reqwest::multipart::Form::new().text("csrf_token", self.csrf(page).await);
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        let form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
        let r = self
            .http
            .post(self.url(action))
            .multipart(form)
            .send()
            .await
            .expect("upload");
        let status = r.status();
        (status, r.text().await.expect("body"))
    }

    /// Posts raw fields with no CSRF token added.
    pub async fn post_raw(&self, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(action))
            .form(fields)
            .send()
            .await
            .expect("POST")
    }

    pub async fn sign_in(&self, email: &str, password: &str) {
        let r = self
            .post_form(
                "/sign-in",
                "/sign-in",
                &[("email", email), ("password", password)],
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "sign in as {email}: {}",
            r.text().await.unwrap_or_default()
        );
    }

    fn api(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut b = self
            .http
            .request(method, self.url(&format!("/api/v1{path}")));
        if let Some(t) = &self.token {
            b = b.bearer_auth(t);
        }
        b
    }

    /// A POST of raw bytes to the API (`path` under `/api/v1`) with this client's token.
    pub async fn api_post_bytes(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, String) {
        let r = self
            .api(reqwest::Method::POST, path)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .expect("POST");
        let s = r.status();
        (s, r.text().await.unwrap_or_default())
    }

    pub async fn api_get(&self, path: &str) -> (StatusCode, serde_json::Value) {
        let r = self
            .api(reqwest::Method::GET, path)
            .send()
            .await
            .expect("API GET");
        json_of(r).await
    }

    pub async fn api_send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        let r = self
            .api(method, path)
            .json(&body)
            .send()
            .await
            .expect("API call");
        json_of(r).await
    }

    pub async fn api_post(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        self.api_send(reqwest::Method::POST, path, body).await
    }

    pub async fn api_raw(
        &self,
        method: reqwest::Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, serde_json::Value, String) {
        let r = self
            .api(method, path)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("API call");
        let ct = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let (s, v) = json_of(r).await;
        (s, v, ct)
    }

    /// Signs in over the API and returns a client using the new token.
    pub async fn api_sign_in(&self, email: &str, password: &str) -> Client {
        // A program, not this browser: no cookies travel with the request.
        let (s, v) = Client::new(&self.base)
            .api_post(
                "/tokens",
                serde_json::json!({"email": email, "password": password, "name": "test"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "API sign-in as {email}: {v}");
        self.with_token(v["token"].as_str().expect("token"))
    }
}

pub async fn json_of(r: reqwest::Response) -> (StatusCode, serde_json::Value) {
    let s = r.status();
    let text = r.text().await.unwrap_or_default();
    (
        s,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf_token\" value=\"")? + "name=\"csrf_token\" value=\"".len();
    Some(html[at..].split('"').next()?.to_string())
}

/// A ZIP file holding these entries (name, bytes), deflated.
pub fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("zip entry");
        w.write_all(bytes).expect("zip bytes");
    }
    w.finish().expect("zip").into_inner()
}
