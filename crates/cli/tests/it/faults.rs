//! Faults of the outside world (issue 20):
//! - the SMTP server down for an hour: mail waits in the outbox, is retried with growing
//!   pauses, and goes once — exactly once — when it is back (the clock is moved, not waited on);
//! - the disk full under SQLite and the file store: writes are refused with 507 saying nothing
//!   was saved, reads go on, and once space is freed writes work again without a restart, with
//!   every acknowledged write still there (and after a restart);
//! - PostgreSQL restarted under load: requests fail within seconds with 503 and Retry-After,
//!   never 500, succeed again once it is back without a restart of ours, and every
//!   acknowledged write is kept.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::{
    free_port, postgres_url, skip, temp_dir, Backend, Client, Smtp, TestApp, PASSWORD,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_waits_while_smtp_is_down_and_goes_once_sqlite() {
    mail_waits_while_smtp_is_down_and_goes_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_waits_while_smtp_is_down_and_goes_once_postgres() {
    if postgres_url().is_none() {
        skip(
            "faults::mail_waits_while_smtp_is_down_and_goes_once_postgres",
            "LZ_TEST_POSTGRES_URL is not set, so this PostgreSQL run did not happen",
        );
        return;
    }
    mail_waits_while_smtp_is_down_and_goes_once(Backend::Postgres).await;
}

/// The outbox row of the one message to `to`: (attempts, sent).
async fn outbox_state(app: &TestApp, to: &str) -> (i64, bool) {
    let row = app.outbox_to(to).await.expect("a queued message");
    (row.attempts, row.sent_at.is_some())
}

async fn mail_waits_while_smtp_is_down_and_goes_once(backend: Backend) {
    // The SMTP server is down from the start.
    let port = free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let app = TestApp::spawn_with(backend, &[("LZ_SMTP_URL", &url)])
        .await
        .expect("app");
    let to = "patient@example.org";
    let (s, v) = app
        .client()
        .api_post(
            "/accounts",
            json!({"email": to, "name": "Pat Ient", "password": PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");

    // An hour of an unreachable server: each attempt fails and the next is put off, 30 s
    // after the first failure and twice as long after each further one. The clock is moved
    // to each next attempt; the mailer looks every five seconds.
    let mut attempts = 0;
    let mut away_ms = 0;
    while away_ms < 60 * 60 * 1000 {
        if attempts > 0 {
            let pause = 30_000 * 2i64.pow(attempts as u32 - 1);
            app.app.clock.advance(pause + 1_000);
            away_ms += pause + 1_000;
        }
        let mut seen = attempts;
        for _ in 0..80 {
            let (n, sent) = outbox_state(&app, to).await;
            assert!(!sent, "nothing can be sent while the server is down");
            seen = n;
            if n > attempts {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            seen > attempts,
            "an attempt was made when due ({attempts} so far)"
        );
        attempts = seen;
    }
    let (n, sent) = outbox_state(&app, to).await;
    assert!(!sent);
    assert!(
        (3..10).contains(&n),
        "retried with growing pauses, not given up: {n} attempts"
    );
    let row = app.outbox_to(to).await.expect("row");
    assert!(row.last_error.is_some(), "the failure is recorded");

    // The server is back: the message goes at its next attempt, once.
    let smtp = Smtp::start_on(port).await;
    app.app
        .clock
        .advance(30_000 * 2i64.pow(attempts as u32 - 1) + 1_000);
    let mail = smtp.wait_for(to).await;
    assert!(mail.contains("Confirm your email address"), "{mail}");
    // Another round of the mailer sends nothing again.
    app.app.clock.advance(60 * 60 * 1000);
    tokio::time::sleep(Duration::from_secs(6)).await;
    let copies = smtp
        .messages()
        .iter()
        .filter(|m| {
            m.lines()
                .any(|l| l.to_ascii_lowercase().starts_with("to:") && l.contains(to))
        })
        .count();
    assert_eq!(copies, 1, "delivered exactly once");
    let (_, sent) = outbox_state(&app, to).await;
    assert!(sent);
}

/// A small tmpfs of the test's own, so that filling it fills nothing else; unmounted (lazily:
/// the app may still hold files open) and removed on drop, also when the test fails.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(size_mib: u32) -> Result<Tmpfs, String> {
        let dir = temp_dir("tmpfs");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size_mib}m"), "tmpfs"])
            .arg(&dir)
            .output();
        match out {
            Ok(o) if o.status.success() => Ok(Tmpfs(dir)),
            Ok(o) => {
                let _ = std::fs::remove_dir(&dir);
                Err(format!(
                    "mount -t tmpfs: {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                ))
            }
            Err(e) => {
                let _ = std::fs::remove_dir(&dir);
                Err(format!("mount: {e}"))
            }
        }
    }

    /// Writes a filler file until the file system has no block left; returns its path.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let path = self.0.join("filler");
        let mut f = std::fs::File::create(&path).expect("filler file");
        let mut chunk = vec![0x55u8; 1 << 20];
        // Megabytes, then pages, until a write fails for want of space.
        for size in [1 << 20, 4096] {
            chunk.truncate(size);
            let e = loop {
                if let Err(e) = f.write_all(&chunk) {
                    break e;
                }
            };
            assert_eq!(e.kind(), std::io::ErrorKind::StorageFull, "filling: {e}");
        }
        path
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

/// SQLite's log (WAL) is rewritten from its start after a checkpoint, so a log file larger
/// than what it holds has room inside it. Emptied, every write needs new space, as when a
/// disk fills while the log grows.
async fn empty_the_wal(app: &TestApp) {
    for _ in 0..100 {
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(app.app.db.pool())
            .await
            .expect("checkpoint");
        if busy == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the WAL could not be emptied: a reader kept it busy");
}

fn item_body(org: &str, title: &str) -> Value {
    json!({
        "kind": "case_study", "title": title, "summary": "What a partner learned.",
        "what_we_did": "We worked with partners across the place.",
        "organisation_id": org, "visibility": "network",
    })
}

/// POST /api/v1/items: (status, body, content type).
async fn post_item(api: &Client, org: &str, title: &str) -> (StatusCode, Value, String) {
    let body = serde_json::to_vec(&item_body(org, title)).expect("json");
    api.api_raw(Method::POST, "/items", "application/json", body)
        .await
}

async fn upload(api: &Client, item: &str, bytes: Vec<u8>) -> (StatusCode, Value, String) {
    api.api_raw(
        Method::POST,
        &format!("/items/{item}/attachments?name=notes.pdf"),
        "application/octet-stream",
        bytes,
    )
    .await
}

fn assert_storage_full(what: &str, (s, v, ct): &(StatusCode, Value, String)) {
    assert_eq!(*s, StatusCode::INSUFFICIENT_STORAGE, "{what}: {v}");
    assert!(ct.starts_with("application/problem+json"), "{what}: {ct}");
    assert_eq!(v["type"], "/api/v1/problems/storage-full", "{what}: {v}");
    let detail = v["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("run out of space") && detail.contains("nothing of this request was saved"),
        "{what}: {v}"
    );
}

/// The item form as a browser sends it.
async fn post_item_form(browser: &Client, org: &str, title: &str) -> reqwest::Response {
    browser
        .post_form(
            "/library/new",
            "/library/new",
            &[
                ("kind", "case_study"),
                ("title", title),
                ("summary", "What a partner learned."),
                ("organisation_id", org),
                ("visibility", "network"),
            ],
        )
        .await
}

/// SQLite only: on PostgreSQL the database's disk is the server's, not ours to fill (the
/// file store's disk is the same on both, and its full disk is tried here).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_and_recovers_sqlite() {
    let test = "faults::a_full_disk_refuses_writes_and_recovers_sqlite";
    let disk = match Tmpfs::mount(48) {
        Ok(disk) => disk,
        // CI can mount one (it runs as root): there the test must run.
        Err(why) if std::env::var_os("CI").is_some() => panic!("no small file system: {why}"),
        Err(why) => return skip(test, &format!("no small file system to fill: {why}")),
    };
    let app = TestApp::spawn_in(Backend::Sqlite, &disk.0, &[])
        .await
        .expect("app");
    let given = app.given();
    let admin = given.admin().await.clone();
    let org = given.organisation("full-disk-trust").await;
    let person = given.person("contributor").member_of(&org).await;
    let api = person.api().await;
    let browser = person.browser().await;

    // Acknowledged before the disk fills: items, one with a file.
    let mut saved: Vec<(String, String)> = Vec::new();
    for n in 0..5 {
        let title = format!("Written before the disk filled {n}");
        let (s, v, _) = post_item(&api, &org.id, &title).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        saved.push((v["id"].as_str().expect("id").to_string(), title));
    }
    let first = saved[0].0.clone();
    let pdf = lz_files::samples::pdf("Before", &["kestrel count before the disk filled"]);
    let (s, v, _) = upload(&api, &first, pdf.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let file = v["id"].as_str().expect("attachment id").to_string();

    // The disk fills.
    empty_the_wal(&app).await;
    let filler = disk.fill();
    let items = app.count("items").await;
    let attachments = app.count("attachments").await;

    // Writes are refused, saying why and that nothing was saved: not a 500.
    let answer = post_item(&api, &org.id, "Written while the disk was full").await;
    assert_storage_full("API item", &answer);
    let answer = upload(&api, &first, lz_files::samples::pdf("Full", &["no room"])).await;
    assert_storage_full("upload", &answer);
    let r = post_item_form(&browser, &org.id, "Typed while the disk was full").await;
    assert_eq!(r.status(), StatusCode::INSUFFICIENT_STORAGE);
    let html = r.text().await.expect("page");
    assert!(
        html.contains("Nothing was saved") && html.contains("run out of space"),
        "{html}"
    );
    assert_eq!(app.count("items").await, items, "no part of a refused item");
    assert_eq!(app.count("attachments").await, attachments);

    // Reads go on, also those that would note when a session or token was last used.
    app.app.clock.advance(61_000);
    for (id, title) in &saved {
        let (s, v) = api.api_get(&format!("/items/{id}")).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["title"], title.as_str());
    }
    let (s, _) = browser.get_text(&format!("/library/{first}")).await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = api.api_get("/search?q=quokka+zebrafinch").await;
    assert_eq!(s, StatusCode::OK, "a search that finds nothing: {v}");
    let r = browser.get(&format!("/attachments/{file}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.expect("file").as_ref(), pdf.as_slice());

    // Space returns: writes work again at once, without a restart.
    std::fs::remove_file(&filler).expect("remove the filler");
    let title = "Kittiwakes counted after space returned";
    let (s, v, _) = post_item(&api, &org.id, title).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let after = v["id"].as_str().expect("id").to_string();
    saved.push((after.clone(), title.into()));
    let r = post_item_form(&browser, &org.id, "Typed after space returned").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let pdf_after = lz_files::samples::pdf("After", &["osprey count after space returned"]);
    let (s, v, _) = upload(&api, &after, pdf_after.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let file_after = v["id"].as_str().expect("attachment id").to_string();
    // The search index takes changes again: a published item is found.
    for (who, action) in [(&api, "submit"), (&admin, "approve")] {
        let (s, v) = who
            .api_post(
                &format!("/items/{after}/workflow"),
                json!({ "action": action }),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{action}: {v}");
    }
    let mut found = Value::Null;
    for _ in 0..100 {
        (_, found) = api.api_get("/search?q=kittiwakes").await;
        if found["total"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(found["hits"][0]["id"], after.as_str(), "{found}");

    // Every acknowledged write is there, also after a restart on the same disk.
    let token = api.token.clone().expect("token");
    drop(app);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let app = TestApp::spawn_in(Backend::Sqlite, &disk.0, &[])
        .await
        .expect("app again");
    let api = Client::new(&app.base).with_token(&token);
    for (id, title) in &saved {
        let (s, v) = api.api_get(&format!("/items/{id}")).await;
        assert_eq!(s, StatusCode::OK, "{title}: {v}");
        assert_eq!(v["title"], title.as_str());
    }
    let browser = Client::new(&app.base);
    browser.sign_in(&person.email, PASSWORD).await;
    for (file, bytes) in [(&file, &pdf), (&file_after, &pdf_after)] {
        let r = browser.get(&format!("/attachments/{file}")).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.bytes().await.expect("file").as_ref(), bytes.as_slice());
    }
}

/// A PostgreSQL cluster of the test's own, so that the shared server other tests use is never
/// restarted: made by initdb as the `postgres` user (initdb refuses root), trust auth,
/// listening on loopback only; stopped and removed on drop, also when the test fails.
struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
}

impl Cluster {
    fn start() -> Result<Cluster, String> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .map_err(|e| format!("no PostgreSQL binaries in /usr/lib/postgresql: {e}"))?
            .filter_map(|d| d.ok().map(|d| d.path().join("bin")))
            .filter(|b| b.join("initdb").is_file() && b.join("pg_ctl").is_file())
            .max_by_key(|b| {
                b.parent()
                    .and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok())
                    .unwrap_or(0)
            })
            .ok_or("no initdb and pg_ctl in /usr/lib/postgresql/*/bin")?;
        let cluster = Cluster {
            bin,
            dir: temp_dir("pg"),
            port: free_port(),
        };
        run(Command::new("chown")
            .arg("postgres:postgres")
            .arg(&cluster.dir))?;
        let data = cluster.data();
        run(cluster.as_postgres("initdb").args([
            "-D",
            &data,
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]))?;
        run(&mut cluster.pg_ctl("start"))?;
        Ok(cluster)
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn as_postgres(&self, tool: &str) -> Command {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(self.bin.join(tool));
        c
    }

    /// `pg_ctl start` (waiting until it answers) or `pg_ctl stop -m fast` (which ends every
    /// session at once, as a restart does).
    fn pg_ctl(&self, action: &str) -> Command {
        let mut c = self.as_postgres("pg_ctl");
        c.args(["-D", &self.data(), "-w", "-t", "60", action]);
        match action {
            "start" => c.args([
                "-l",
                &self.dir.join("log").display().to_string(),
                "-o",
                &format!(
                    "-p {} -c listen_addresses=127.0.0.1 -k {}",
                    self.port,
                    self.dir.display()
                ),
            ]),
            _ => c.args(["-m", "fast"]),
        };
        c
    }

    /// Runs `pg_ctl` off the async threads, which serve the load meanwhile.
    async fn pg_ctl_async(&self, action: &str) {
        let mut c = self.pg_ctl(action);
        tokio::task::spawn_blocking(move || run(&mut c))
            .await
            .expect("pg_ctl task")
            .unwrap_or_else(|e| panic!("pg_ctl {action}: {e}"));
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .as_postgres("pg_ctl")
            .args(["-D", &self.data(), "-w", "stop", "-m", "immediate"])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(c: &mut Command) -> Result<(), String> {
    let out = c.output().map_err(|e| format!("{c:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{c:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// One request of the load: when it started and took (from the test's start), and what came back.
#[derive(Debug)]
struct Call {
    write: bool,
    started: Duration,
    took: Duration,
    status: u16,
    problem: String,
    retry_after: Option<String>,
    created: Option<String>,
}

impl Call {
    fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn answered(&self) -> Duration {
        self.started + self.took
    }
}

async fn call(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    t0: Instant,
    write: Option<&str>,
    read: &str,
) -> Call {
    let started = t0.elapsed();
    let request = match write {
        Some(org) => http
            .post(format!("{base}/api/v1/items"))
            .json(&item_body(org, "Written under load")),
        None => http.get(format!("{base}/api/v1/items/{read}")),
    };
    let (status, retry_after, body) = match request.bearer_auth(token).send().await {
        Ok(r) => {
            let retry = r
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap_or(Value::Null);
            (status, retry, body)
        }
        Err(e) => (0, None, Value::String(e.to_string())),
    };
    Call {
        write: write.is_some(),
        started,
        took: t0.elapsed() - started,
        status,
        problem: body["type"].as_str().unwrap_or_default().to_string(),
        retry_after,
        created: (status == 201)
            .then(|| body["id"].as_str().map(str::to_string))
            .flatten(),
    }
}

/// PostgreSQL only, and on a cluster of its own (`Cluster`); it needs no
/// `LZ_TEST_POSTGRES_URL`, only the PostgreSQL binaries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_restart_under_load_fails_fast_and_recovers_postgres() {
    let test = "faults::a_postgres_restart_under_load_fails_fast_and_recovers_postgres";
    let cluster = match Cluster::start() {
        Ok(cluster) => cluster,
        // CI has PostgreSQL's binaries: there the test must run.
        Err(why) if std::env::var_os("CI").is_some() => panic!("no PostgreSQL cluster: {why}"),
        Err(why) => return skip(test, &format!("no PostgreSQL cluster of its own: {why}")),
    };
    let url = cluster.url();
    let app = TestApp::spawn_with(Backend::Postgres, &[("LZ_DATABASE_URL", &url)])
        .await
        .expect("app");
    let given = app.given();
    let org = given.organisation("restart-trust").await;
    let person = given.person("contributor").member_of(&org).await;
    let api = person.api().await;
    let browser = person.browser().await;
    let token = api.token.clone().expect("token");
    let mut readable = Vec::new();
    for n in 0..4 {
        let (s, v, _) = post_item(&api, &org.id, &format!("Read under load {n}")).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        readable.push(v["id"].as_str().expect("id").to_string());
    }

    // Eight callers read and write, with a short pause between calls, until told to stop.
    // The client waits longer than the server's own 30 s timeout: a hang shows as one.
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(40))
        .build()
        .expect("client");
    let t0 = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(Mutex::new(Vec::<Call>::new()));
    let mut callers = Vec::new();
    for n in 0..8 {
        let (http, base, token, org) = (
            http.clone(),
            app.base.clone(),
            token.clone(),
            org.id.clone(),
        );
        let (stop, calls, readable) = (stop.clone(), calls.clone(), readable.clone());
        callers.push(tokio::spawn(async move {
            let mut i = n;
            while !stop.load(Ordering::Relaxed) {
                let write = (i % 2 == 0).then_some(org.as_str());
                let c = call(
                    &http,
                    &base,
                    &token,
                    t0,
                    write,
                    &readable[i % readable.len()],
                )
                .await;
                calls.lock().expect("calls").push(c);
                i += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }));
    }

    // Steady, then the server away for longer than a request waits for a connection, so that
    // requests made meanwhile must answer before it is back; then steady again.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let down = t0.elapsed();
    cluster.pg_ctl_async("stop").await;
    let stopped = Instant::now();
    // A page, once the session is no longer kept in memory (a second), says so too.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let asked = Instant::now();
    let r = browser.get(&format!("/library/{}", readable[0])).await;
    let took = asked.elapsed();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        took < Duration::from_secs(5),
        "the page answered in {took:?}"
    );
    assert_eq!(r.headers()["retry-after"], "5");
    let html = r.text().await.expect("page");
    assert!(html.contains("unavailable for a moment"), "{html}");
    tokio::time::sleep(Duration::from_secs(5).saturating_sub(stopped.elapsed())).await;
    cluster.pg_ctl_async("start").await;
    let up = t0.elapsed();
    tokio::time::sleep(Duration::from_secs(10)).await;
    stop.store(true, Ordering::Relaxed);
    for c in callers {
        c.await.expect("caller");
    }
    let calls = std::mem::take(&mut *calls.lock().expect("calls"));
    eprintln!(
        "{test}: {} calls; down at {down:?}, up at {up:?}; {} answered 503; slowest answer {:?}",
        calls.len(),
        calls.iter().filter(|c| c.status == 503).count(),
        calls.iter().map(|c| c.took).max().unwrap_or_default()
    );

    // Never a 500 nor a hang: each answer is a success or a 503 problem saying to try again,
    // within a few seconds.
    for c in &calls {
        assert!(
            c.ok() || c.status == 503,
            "only successes and 503s, got {c:?}"
        );
        assert!(c.took < Duration::from_secs(5), "answered fast: {c:?}");
        if c.status == 503 {
            assert_eq!(c.problem, "/api/v1/problems/unavailable", "{c:?}");
            assert_eq!(c.retry_after.as_deref(), Some("5"), "{c:?}");
        }
    }
    assert!(
        calls.iter().any(|c| c.status == 503 && c.answered() < up),
        "requests made while the server was away failed before it was back"
    );
    assert!(
        calls.iter().any(|c| c.ok() && c.started < down),
        "steady before"
    );
    // Back without a restart of ours: within 10 s of the server, every kind of request
    // succeeds, and from a second later every request does.
    let back = calls
        .iter()
        .filter(|c| c.started >= up)
        .filter(|c| c.ok())
        .map(|c| c.started)
        .min()
        .expect("a success after the server was back");
    assert!(
        back - up < Duration::from_secs(10),
        "recovered after {:?}",
        back - up
    );
    let settled: Vec<&Call> = calls
        .iter()
        .filter(|c| c.started > back + Duration::from_secs(1))
        .collect();
    assert!(settled.iter().any(|c| c.write) && settled.iter().any(|c| !c.write));
    for c in &settled {
        assert!(c.ok(), "once back, every request succeeds: {c:?}");
    }

    let (s, _) = browser.get_text(&format!("/library/{}", readable[0])).await;
    assert_eq!(s, StatusCode::OK, "the page is back");

    // Every acknowledged write is there.
    let acknowledged: Vec<&String> = calls.iter().filter_map(|c| c.created.as_ref()).collect();
    let stored: std::collections::HashSet<String> = sqlx::query_scalar("SELECT id FROM items")
        .fetch_all(app.app.db.pool())
        .await
        .expect("items")
        .into_iter()
        .collect();
    for id in &acknowledged {
        assert!(stored.contains(*id), "acknowledged item {id} is stored");
    }
    eprintln!(
        "{test}: {} acknowledged writes, all stored",
        acknowledged.len()
    );
}
