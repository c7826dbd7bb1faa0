//! Operations: health and readiness, metrics, the OpenAPI document, configuration errors,
//! and the binary's own commands: demo, user and token creation, backup while writing,
//! restore, and recovery after `kill -9`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use serde_json::json;

use crate::common::{temp_dir, Client, TestApp, PASSWORD};
use crate::on_both_databases;

on_both_databases!(health_metrics_and_openapi);

async fn health_metrics_and_openapi(app: TestApp) {
    let c = app.client();
    assert_eq!(
        c.get_text("/healthz").await,
        (StatusCode::OK, "ok".to_string())
    );
    assert_eq!(
        c.get_text("/readyz").await,
        (StatusCode::OK, "ready".to_string())
    );
    c.get("/sign-in").await;
    let (s, text) = c.get_text("/metrics").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        text.contains("lz_http_requests_total{method=\"GET\",route=\"/sign-in\",status=\"200\"}"),
        "{text}"
    );
    assert!(text.contains("lz_http_request_duration_seconds_bucket"));
    let (s, doc) = c.api_get("/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    // OpenAPI requires a description on every response object.
    let mut responses = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (verb, op) in item.as_object().expect("path item") {
            for (status, r) in op["responses"].as_object().into_iter().flatten() {
                responses += 1;
                let d = r["description"].as_str().unwrap_or_default();
                assert!(!d.is_empty(), "{verb} {path} {status} has a description");
            }
        }
    }
    assert!(
        responses > 50,
        "every operation lists its responses ({responses})"
    );
    for path in [
        "/api/v1/me",
        "/api/v1/accounts",
        "/api/v1/tokens",
        "/api/v1/join-requests/{id}/decision",
        "/api/v1/evidence",
        "/api/v1/evidence/{id}",
        "/api/v1/collections",
        "/api/v1/collections/{id}",
        "/api/v1/collections/{id}/pack.docx",
        "/api/v1/collections/{id}/pack.pdf",
        "/api/v1/collections/{id}/pack.pptx",
        "/api/v1/collections/{id}/shares",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
}

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_learning-zone")
}

fn command(data: &Path) -> Command {
    let mut c = Command::new(binary());
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LZ_DATA_DIR", data)
        .env("LZ_ARGON2_MEMORY_KIB", "256")
        .env("LZ_ARGON2_ITERATIONS", "1")
        .env("LZ_LOG", "warn");
    c
}

/// A server process on a free port; returns it and its base URL.
fn start_server(data: &Path) -> (Child, String) {
    let mut child = command(data)
        .args(["serve"])
        .env("LZ_ADDR", "127.0.0.1:0")
        // The writers below come from many addresses (X-Forwarded-For), as many people would:
        // sign-ups are limited per client.
        .env("LZ_TRUST_PROXY", "true")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        let line = line.expect("line");
        if let Some(rest) = line.strip_prefix("Learning Zone is running at ") {
            let url = rest
                .split(' ')
                .next()
                .unwrap()
                .trim_end_matches('/')
                .to_string();
            std::thread::spawn(move || for _ in lines {});
            return (child, url);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("server did not start");
}

async fn sqlite_emails(db: &Path) -> Vec<String> {
    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
        .await
        .expect("open db");
    sqlx::query_scalar("SELECT email FROM users")
        .fetch_all(&mut c)
        .await
        .expect("emails")
}

/// Signs up accounts as fast as it can until told to stop; records every acknowledged one.
fn spawn_writer(
    base: String,
    acknowledged: Arc<Mutex<Vec<String>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let c = Client::new(&base);
        let mut n = 0;
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            n += 1;
            let email = format!("writer{n}@example.org");
            let r = c
                .http
                .post(c.url("/api/v1/accounts"))
                .header(
                    "x-forwarded-for",
                    format!("10.{}.{}.{}", n / 65536 % 256, n / 256 % 256, n % 256),
                )
                .json(&json!({"email": email, "name": "Writer", "password": PASSWORD}))
                .send()
                .await;
            match r {
                Ok(r) if r.status() == StatusCode::ACCEPTED => {
                    acknowledged.lock().unwrap().push(email)
                }
                Ok(_) => {}
                Err(_) => break, // server gone
            }
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_while_writing_then_restore() {
    let data = temp_dir("backup-src");
    let (mut server, base) = start_server(&data);
    let acked = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = spawn_writer(base.clone(), acked.clone(), stop.clone());
    while acked.lock().unwrap().len() < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let before_backup: Vec<String> = acked.lock().unwrap().clone();
    let dest = temp_dir("backup-dest").join("backup");
    let out = command(&data)
        .arg("backup")
        .arg(&dest)
        .output()
        .expect("backup");
    assert!(
        out.status.success(),
        "backup: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.await.unwrap();
    let _ = server.kill();
    let _ = server.wait();

    // A backup goes only into a new directory.
    let again = command(&data).arg("backup").arg(&dest).output().unwrap();
    assert!(!again.status.success());

    let restored = temp_dir("restored");
    let out = command(&restored)
        .arg("restore")
        .arg(&dest)
        .output()
        .expect("restore");
    assert!(
        out.status.success(),
        "restore: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let emails = sqlite_emails(&restored.join("learning-zone.db")).await;
    for e in &before_backup {
        assert!(
            emails.contains(e),
            "{e} was acknowledged before the backup and is missing"
        );
    }
    // Restore refuses a data dir that already has a database.
    let out = command(&restored)
        .arg("restore")
        .arg(&dest)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty data directory"));
    // The restored copy serves.
    let (mut server, base) = start_server(&restored);
    let (s, _) = Client::new(&base).get_text("/readyz").await;
    assert_eq!(s, StatusCode::OK);
    let _ = server.kill();
    let _ = server.wait();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_writes_loses_nothing_acknowledged() {
    let data = temp_dir("kill9");
    let (mut server, base) = start_server(&data);
    let acked = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|_| spawn_writer(base.clone(), acked.clone(), stop.clone()))
        .collect();
    while acked.lock().unwrap().len() < 40 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    server.kill().expect("SIGKILL"); // Child::kill sends SIGKILL on Unix.
    let _ = server.wait();
    for w in writers {
        let _ = w.await;
    }
    let acknowledged = acked.lock().unwrap().clone();
    let (mut server, base) = start_server(&data);
    assert_eq!(
        Client::new(&base).get_text("/readyz").await.0,
        StatusCode::OK
    );
    let emails = sqlite_emails(&data.join("learning-zone.db")).await;
    for e in &acknowledged {
        assert!(emails.contains(e), "{e} was acknowledged, then lost");
    }
    let _ = server.kill();
    let _ = server.wait();
}

#[tokio::test]
async fn cli_demo_users_tokens_and_config_errors() {
    let data = temp_dir("cli");
    // A bad setting stops start-up and names the variable.
    let out = command(&data)
        .env("LZ_ADDR", "not-an-address")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("LZ_ADDR"));
    let out = command(&data)
        .env("LZ_BRAND_COLOUR", "red")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("LZ_BRAND_COLOUR"));
    // --help documents every setting.
    let out = command(&data).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for (name, _, _) in lz_app::config::SETTINGS {
        assert!(
            help.contains(&format!("LZ_{}", name.to_uppercase())),
            "{name} in --help"
        );
    }

    let out = command(&data).arg("demo").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("beth.kay@activelancashire.org.uk"));
    let out = command(&data).arg("demo").output().unwrap();
    assert!(!out.status.success(), "demo refuses a non-empty database");
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty database"));

    // user create: password from stdin, or generated and printed once.
    let mut child = command(&data)
        .args([
            "user",
            "create",
            "--email",
            "ops@example.org",
            "--name",
            "Ops Person",
            "--role",
            "network-admin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(PASSWORD.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = command(&data)
        .args([
            "user",
            "create",
            "--email",
            "ops@example.org",
            "--name",
            "Again",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success(), "duplicate email refused");
    let out = command(&data)
        .args([
            "user",
            "create",
            "--email",
            "x@example.org",
            "--name",
            "X",
            "--role",
            "emperor",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let out = command(&data)
        .args(["token", "create", "--email", "ops@example.org"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(token.starts_with("lzt_"));

    let (mut server, base) = start_server(&data);
    let api = Client::new(&base).with_token(&token);
    let (s, v) = api.api_get("/me").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["role"], "network_admin");
    let (s, v) = api.api_get("/users").await;
    assert_eq!(s, StatusCode::OK);
    assert!(v.as_array().unwrap().len() >= 10);
    // SIGTERM: the server shuts down cleanly.
    let pid = server.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let status = server.wait().unwrap();
    assert!(status.success(), "graceful exit on SIGTERM: {status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_requests_in_flight_finish() {
    let data = temp_dir("sigterm");
    // A deliberately slow password hash keeps a sign-in in flight when the signal arrives.
    let mut child = command(&data)
        .args(["serve"])
        .env("LZ_ADDR", "127.0.0.1:0")
        .env("LZ_ARGON2_MEMORY_KIB", "65536")
        .env("LZ_ARGON2_ITERATIONS", "12")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines.next().expect("server output").expect("line");
        if let Some(rest) = line.strip_prefix("Learning Zone is running at ") {
            break rest
                .split(' ')
                .next()
                .unwrap()
                .trim_end_matches('/')
                .to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let c = Client::new(&base);
    let started = std::time::Instant::now();
    let in_flight = tokio::spawn(async move {
        c.api_post(
            "/tokens",
            json!({"email": "nobody@example.org", "password": "whatever it is", "name": "x"}),
        )
        .await
    });
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let (status, body) = in_flight.await.expect("request task");
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the request in flight got its answer: {body}"
    );
    let exit = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.success(), "clean exit after SIGTERM: {exit:?}");
    assert!(started.elapsed() > std::time::Duration::from_millis(150));
}

/// Publishes library items as fast as it can; records the marker word of each acknowledged one.
fn spawn_item_writer(
    base: String,
    token: String,
    org: String,
    worker: usize,
    acknowledged: Arc<Mutex<Vec<(String, String)>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let c = Client::new(&base).with_token(&token);
        let mut n = 0;
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            n += 1;
            let marker = format!("crashmark{worker}x{n}");
            let (s, v) = c
                .api_post(
                    "/items",
                    json!({"kind": "learning_log", "title": format!("Crash test {marker}"), "summary": "Written during a crash test.",
                           "organisation_id": org, "visibility": "network"}),
                )
                .await;
            if s != StatusCode::CREATED {
                break;
            }
            let id = v["id"].as_str().unwrap_or_default().to_string();
            let mut published = true;
            for action in ["submit", "approve"] {
                let (s, _) = c
                    .api_post(
                        &format!("/items/{id}/workflow"),
                        json!({ "action": action }),
                    )
                    .await;
                published &= s == StatusCode::OK;
            }
            if !published {
                break;
            }
            acknowledged.lock().unwrap().push((id, marker));
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_item_writes_every_acknowledged_item_is_searchable() {
    let data = temp_dir("kill9-items");
    let out = command(&data).args(["demo"]).output().expect("demo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = command(&data)
        .args([
            "token",
            "create",
            "--email",
            "beth.kay@activelancashire.org.uk",
        ])
        .output()
        .expect("token");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let (mut server, base) = start_server(&data);
    let api = Client::new(&base).with_token(&token);
    let (_, orgs) = api.api_get("/organisations").await;
    let org = orgs
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["slug"] == "active-lancashire")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let acked = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers: Vec<_> = (0..3)
        .map(|w| {
            spawn_item_writer(
                base.clone(),
                token.clone(),
                org.clone(),
                w,
                acked.clone(),
                stop.clone(),
            )
        })
        .collect();
    while acked.lock().unwrap().len() < 15 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    server.kill().expect("SIGKILL");
    let _ = server.wait();
    for w in writers {
        let _ = w.await;
    }
    let acknowledged = acked.lock().unwrap().clone();
    // On start the server replays the change log into the index before it listens.
    let (mut server, base) = start_server(&data);
    let api = Client::new(&base).with_token(&token);
    for (id, marker) in &acknowledged {
        let (s, v) = api.api_get(&format!("/search?q={marker}")).await;
        assert_eq!(s, StatusCode::OK);
        let found = v["hits"]
            .as_array()
            .is_some_and(|h| h.iter().any(|x| x["id"] == id.as_str()));
        assert!(found, "{marker} was acknowledged, then not searchable: {v}");
    }
    let _ = server.kill();
    let _ = server.wait();
}

/// `learning-zone --version` names the commit it was built from, so a host can say exactly
/// what runs (issue 20, packaging).
#[test]
fn the_version_names_the_commit() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_learning-zone"))
        .arg("--version")
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(
        text.starts_with(&format!(
            "learning-zone {} (commit ",
            env!("CARGO_PKG_VERSION")
        )),
        "{text}"
    );
    let git = std::process::Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    if let Some(git) = git.ok().filter(|g| g.status.success()) {
        let commit = String::from_utf8_lossy(&git.stdout).trim().to_string();
        assert!(text.contains(&commit), "{text} names {commit}");
    }
}

/// Every crate linked into the binary has a licence we accept and comes from crates.io, and
/// THIRD-PARTY-LICENSES.md lists them as the lockfile has them (issue 20, supply chain).
#[test]
fn third_party_licences_are_accepted_and_listed() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = std::process::Command::new("python3")
        .arg("scripts/third_party.py")
        .arg("--check")
        .current_dir(&root)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
