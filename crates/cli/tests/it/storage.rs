//! Attachments in S3-compatible object storage (`LZ_STORAGE_URL=s3://…`): uploaded over the
//! API, stored as objects `ab/cd/<sha256>` in a real S3 server (moto, from PyPI, on
//! loopback), downloaded through the app byte for byte, and found by a word in their text.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{postgres_url, skip, Backend, TestApp};

const BUCKET: &str = "lz-attachments";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_live_in_s3_sqlite() {
    attachments_live_in_s3(
        Backend::Sqlite,
        "storage::attachments_live_in_s3_sqlite",
        "",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_live_in_s3_postgres() {
    let test = "storage::attachments_live_in_s3_postgres";
    if postgres_url().is_none() {
        skip(
            test,
            "LZ_TEST_POSTGRES_URL is not set, so this PostgreSQL run did not happen",
        );
        return;
    }
    // This run also puts the objects under a prefix inside the bucket.
    attachments_live_in_s3(Backend::Postgres, test, "lz/files").await;
}

async fn attachments_live_in_s3(backend: Backend, test: &str, prefix: &str) {
    let moto = match Moto::start().await {
        Ok(moto) => moto,
        // CI installs moto (.ci/run), so there it must run.
        Err(why) if std::env::var_os("CI").is_some() => panic!("S3 test server: {why}"),
        Err(why) => return skip(test, &why),
    };
    let endpoint = moto.endpoint();
    let path = if prefix.is_empty() {
        String::new()
    } else {
        format!("/{prefix}")
    };
    let url = format!("s3://{BUCKET}{path}?endpoint={endpoint}&region=eu-west-2");
    let app = TestApp::spawn_with(
        backend,
        &[
            ("LZ_STORAGE_URL", &url),
            ("LZ_S3_ACCESS_KEY_ID", "test"),
            ("LZ_S3_SECRET_ACCESS_KEY", "test"),
        ],
    )
    .await
    .expect("app");
    assert!(matches!(app.app.files, lz_files::Storage::S3(_)));
    // Given: a contributor at Blackpool Council and a moderator of Active Lancashire.
    let given = app.given();
    let council = given.organisation("blackpool-council").await;
    let lancashire = given.organisation("active-lancashire").await;
    let author_person = given.person("contributor").member_of(&council).await;
    let moderator_person = given.person("moderator").member_of(&lancashire).await;
    let author = author_person.api().await;
    let org = council.id.clone();
    let (s, v) = author
        .api_post(
            "/items",
            json!({
                "kind": "case_study", "title": "Watching the estuary birds",
                "summary": "A season of volunteer wildlife counts.", "organisation_id": org,
                "visibility": "network", "what_we_did": "Volunteers walked the estuary weekly.",
            }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let item = v["id"].as_str().expect("item id").to_string();

    let pdf = lz_files::samples::pdf("T", &["osprey nesting survey"]);
    let (s, v, _) = author
        .api_raw(
            Method::POST,
            &format!("/items/{item}/attachments?name=x.pdf"),
            "application/octet-stream",
            pdf.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let attachment = v["id"].as_str().expect("attachment id").to_string();

    // The object is in the bucket, named like the local files, and nothing is on disk.
    let key = lz_files::key_for(&pdf);
    let object = format!("{}{}/{}/{key}", with_slash(prefix), &key[..2], &key[2..4]);
    // moto refuses anonymous reads of private objects but checks no signatures.
    let r = reqwest::Client::new()
        .get(format!("{endpoint}/{BUCKET}/{object}"))
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=test/20260101/eu-west-2/s3/aws4_request, \
             SignedHeaders=host, Signature=0",
        )
        .send()
        .await
        .expect("GET from moto");
    assert_eq!(r.status(), StatusCode::OK, "{object} is in the bucket");
    assert_eq!(r.bytes().await.expect("object").as_ref(), pdf.as_slice());
    assert!(
        !app.dir.join("data/files").exists(),
        "nothing was written under the data directory"
    );
    assert!(app.app.files.exists(&key).await);
    let missing = "0".repeat(64);
    assert!(!app.app.files.exists(&missing).await);
    assert!(matches!(
        app.app.files.get(&missing).await,
        Err(lz_files::FileError::NotFound)
    ));

    // Downloaded through the app: the same bytes, with the sniffed type.
    let browser = author_person.browser().await;
    let r = browser.get(&format!("/attachments/{attachment}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.bytes().await.expect("download").as_ref(), pdf.as_slice());

    // Its text (read back from the bucket) makes the published item findable.
    let moderator = moderator_person.api().await;
    for (who, action) in [(&author, "submit"), (&moderator, "approve")] {
        let (s, v) = who
            .api_post(
                &format!("/items/{item}/workflow"),
                json!({ "action": action }),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{action}: {v}");
    }
    let mut last = serde_json::Value::Null;
    for _ in 0..100 {
        let (s, v) = author.api_get("/search?q=osprey").await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let ids: Vec<&str> = v["hits"]
            .as_array()
            .map(|hits| hits.iter().filter_map(|h| h["id"].as_str()).collect())
            .unwrap_or_default();
        if ids == [item.as_str()] {
            return;
        }
        last = v;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the PDF's text never became searchable within 10 s: {last}");
}

fn with_slash(prefix: &str) -> String {
    if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix}/")
    }
}

/// moto's S3-compatible server (from PyPI) on a free loopback port, with the bucket made.
struct Moto {
    port: u16,
    child: Child,
}

impl Moto {
    async fn start() -> Result<Moto, String> {
        let python = tokio::task::spawn_blocking(python_with_moto)
            .await
            .map_err(|e| e.to_string())??;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let child = Command::new(&python)
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting {} -m moto.server: {e}", python.display()))?;
        let mut moto = Moto { port, child };
        let bucket = format!("{}/{BUCKET}", moto.endpoint());
        for _ in 0..300 {
            if let Ok(Some(status)) = moto.child.try_wait() {
                return Err(format!("moto.server ended at start with {status}"));
            }
            lz_files::install_crypto_provider();
            if let Ok(r) = reqwest::Client::new().put(&bucket).send().await {
                return if r.status().is_success() {
                    Ok(moto)
                } else {
                    Err(format!("creating the bucket: {}", r.status()))
                };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!(
            "moto.server did not answer on port {port} within 30 s"
        ))
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// python3 that can run `moto.server`: the system one, or the test venv under target/
/// with `moto[server]` installed from PyPI (once per test process).
fn python_with_moto() -> Result<PathBuf, String> {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let ok = |p: &std::path::Path| {
                Command::new(p)
                    .args(["-c", "import moto.server"])
                    .stderr(Stdio::null())
                    .output()
                    .map(|o| o.status.success())
                    .unwrap_or(false)
            };
            let system = PathBuf::from("python3");
            if ok(&system) {
                return Ok(system);
            }
            let venv =
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/test-tools/venv");
            let py = venv.join("bin/python");
            if !py.exists() {
                let _ = Command::new("python3")
                    .args(["-m", "venv"])
                    .arg(&venv)
                    .status();
            }
            if !ok(&py) {
                let installed = Command::new(&py)
                    .args(["-m", "pip", "install", "-q", "moto[server]"])
                    .status()
                    .map(|s| s.success())
                    .unwrap_or(false);
                if !installed || !ok(&py) {
                    return Err(format!(
                        "could not install moto[server] from PyPI into {}",
                        venv.display()
                    ));
                }
            }
            Ok(py)
        })
        .clone()
}
