//! Letting content out and bringing it back: the whole-site export and import (the binary's
//! `export` and `import`), their round trip from SQLite into an empty PostgreSQL and back out,
//! bad exports refused with nothing half-loaded, and an organisation's items as a ZIP from
//! the web, read back by Python's zipfile.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::{postgres_url, skip, temp_dir, Backend, TestApp, DEMO_PASSWORD};

/// The binary with a data directory and, when given, a database URL.
fn lz(data: &Path, database: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_learning-zone"));
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LZ_DATA_DIR", data)
        .env("LZ_LOG", "warn")
        .env("LZ_ARGON2_MEMORY_KIB", "256")
        .env("LZ_ARGON2_ITERATIONS", "1");
    if let Some(url) = database {
        c.env("LZ_DATABASE_URL", url);
    }
    c.args(args).output().expect("run learning-zone")
}

fn ok(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A refusal: the command fails, says `message`, and does not panic.
fn refused(out: &Output, message: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "should be refused ({message})");
    assert!(err.contains(message), "expected {message:?} in: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// Every file under `dir`, by path relative to it.
fn files_of(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).expect("under dir").to_path_buf());
            }
        }
    }
    out.sort();
    out
}

fn manifest(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).expect("manifest"))
        .expect("manifest is JSON")
}

/// Two exports hold the same: every table file and stored file byte for byte, and the same
/// manifest bar the time it was made.
fn assert_same_export(a: &Path, b: &Path) {
    let (fa, fb) = (files_of(a), files_of(b));
    assert_eq!(fa, fb, "the same files");
    for f in &fa {
        if f == Path::new("manifest.json") {
            continue;
        }
        let (x, y) = (
            std::fs::read(a.join(f)).expect("read"),
            std::fs::read(b.join(f)).expect("read"),
        );
        if x != y {
            let (x, y) = (String::from_utf8_lossy(&x), String::from_utf8_lossy(&y));
            let first = x
                .lines()
                .zip(y.lines())
                .find(|(l, r)| l != r)
                .map(|(l, r)| format!("\n  first: {l}\n  again: {r}"))
                .unwrap_or_else(|| {
                    format!(" ({} vs {} lines)", x.lines().count(), y.lines().count())
                });
            panic!("{} differs after the round trip:{first}", f.display());
        }
    }
    let (mut ma, mut mb) = (manifest(a), manifest(b));
    ma["exported_at"] = Value::Null;
    mb["exported_at"] = Value::Null;
    assert_eq!(ma, mb, "the same manifest bar its time");
}

fn rows(dir: &Path, table: &str) -> Vec<Value> {
    std::fs::read_to_string(dir.join("tables").join(format!("{table}.jsonl")))
        .expect("table file")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// The demo, exported from SQLite, imported into an empty PostgreSQL (SQLite when there is
/// none), exported again: the two exports are the same; the imported site serves the items,
/// finds them, and lets nobody in with an old password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_round_trips_through_an_export_into_an_empty_postgres() {
    let source = temp_dir("export-src");
    ok(&lz(&source, None, &["demo"]), "demo");
    let first = temp_dir("export-1").join("out");
    let said = ok(
        &lz(&source, None, &["export", first.to_str().unwrap()]),
        "export",
    );
    assert!(
        said.contains("Passwords and other secrets are not in the export"),
        "{said}"
    );

    // What the export holds, read as a stranger would: the manifest names every file.
    let m = manifest(&first);
    assert_eq!(m["format"], "learning-zone-export");
    assert_eq!(m["scope"], "site");
    assert_eq!(m["with_secrets"], false);
    for t in m["tables"].as_array().expect("tables") {
        let file = first.join(t["file"].as_str().unwrap());
        let n = std::fs::read_to_string(&file)
            .expect("table file")
            .lines()
            .count();
        assert_eq!(n as u64, t["rows"].as_u64().unwrap(), "{file:?} row count");
    }
    let names: Vec<&str> = m["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    for missing in [
        "sessions",
        "email_tokens",
        "api_tokens",
        "share_links",
        "outbox",
    ] {
        assert!(!names.contains(&missing), "{missing} is left out");
    }
    let users = rows(&first, "users");
    assert!(users.len() >= 9, "the demo's people");
    assert!(
        users.iter().all(|u| u["password_hash"] == ""),
        "no password hashes"
    );
    assert!(
        rows(&first, "registrations")
            .iter()
            .all(|r| r["token_hash"].is_null()),
        "no guests' links"
    );
    let attachments = rows(&first, "attachments");
    assert!(!attachments.is_empty(), "the demo's attachments");
    for a in &attachments {
        let key = a["storage_key"].as_str().unwrap();
        assert!(
            first.join("files").join(key).is_file(),
            "files/{key} exported"
        );
    }
    assert!(!rows(&first, "items").is_empty());
    assert!(
        !rows(&first, "observations").is_empty(),
        "the demo's figures"
    );

    let (target_url, target_backend) = match postgres_url() {
        Some(admin) => (
            crate::common::fresh_postgres_database(&admin).await,
            Backend::Postgres,
        ),
        None => {
            if std::env::var_os("CI").is_some() {
                panic!("CI runs this round trip on PostgreSQL: set LZ_TEST_POSTGRES_URL");
            }
            skip(
                "transfer::the_demo_round_trips_through_an_export_into_an_empty_postgres (PostgreSQL half)",
                "LZ_TEST_POSTGRES_URL is not set: the import goes into SQLite instead",
            );
            let dir = temp_dir("export-target-db");
            (
                format!("sqlite://{}", dir.join("lz.db").display()),
                Backend::Sqlite,
            )
        }
    };
    let target = temp_dir("export-target");
    let target_data = target.join("data");
    let said = ok(
        &lz(
            &target_data,
            Some(&target_url),
            &["import", first.to_str().unwrap()],
        ),
        "import",
    );
    assert!(said.contains("Indexed"), "{said}");
    // Once in, a second import is refused: the instance is no longer empty.
    refused(
        &lz(
            &target_data,
            Some(&target_url),
            &["import", first.to_str().unwrap()],
        ),
        "already holds content",
    );
    let second = temp_dir("export-2").join("out");
    ok(
        &lz(
            &target_data,
            Some(&target_url),
            &["export", second.to_str().unwrap()],
        ),
        "export again",
    );
    assert_same_export(&first, &second);

    // The imported site works: items, their attachments, search; old passwords do not.
    let app = TestApp::spawn_in(target_backend, &target, &[("LZ_DATABASE_URL", &target_url)])
        .await
        .expect("the imported site starts");
    let client = app.client();
    let public = rows(&first, "items")
        .into_iter()
        .find(|i| {
            i["visibility"] == "public" && i["status"] == "published" && i["deleted_at"].is_null()
        })
        .expect("a public item");
    let (status, page) = client
        .get_text(&format!("/library/{}", public["id"].as_str().unwrap()))
        .await;
    assert_eq!(status, StatusCode::OK);
    let title = public["title"].as_str().unwrap();
    assert!(
        page.contains(&title.replace('&', "&amp;").replace('\'', "&#x27;")),
        "{title}"
    );
    let word = title.split_whitespace().max_by_key(|w| w.len()).unwrap();
    let (status, found) = client
        .get_text(&format!("/library?q={}", urlencoding(word)))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        found.contains(public["id"].as_str().unwrap()),
        "search finds {title} after the import"
    );
    let attached = attachments
        .iter()
        .find(|a| a["item_id"] == public["id"] && a["deleted_at"].is_null());
    if let Some(a) = attached {
        let r = client
            .get(&format!("/attachments/{}", a["id"].as_str().unwrap()))
            .await;
        assert_eq!(r.status(), StatusCode::OK, "an attachment downloads");
        let body = r.bytes().await.unwrap();
        assert_eq!(body.len() as i64, a["size_bytes"].as_i64().unwrap());
    }
    let r = client
        .post_form(
            "/sign-in",
            "/sign-in",
            &[
                ("email", "beth.kay@activelancashire.org.uk"),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
    assert!(
        r.status().is_client_error(),
        "no password came with the export, so a reset is needed: {}",
        r.status()
    );
}

fn urlencoding(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
}

/// With `--with-secrets` (a host moving its own instance) people keep their passwords.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_with_secrets_keeps_passwords() {
    let source = temp_dir("secrets-src");
    ok(&lz(&source, None, &["demo"]), "demo");
    let out = temp_dir("secrets-out").join("out");
    ok(
        &lz(
            &source,
            None,
            &["export", "--with-secrets", out.to_str().unwrap()],
        ),
        "export",
    );
    assert_eq!(manifest(&out)["with_secrets"], true);
    assert!(rows(&out, "users").iter().all(|u| u["password_hash"] != ""));
    let target = temp_dir("secrets-target");
    ok(
        &lz(
            &target.join("data"),
            None,
            &["import", out.to_str().unwrap()],
        ),
        "import",
    );
    let url = format!(
        "sqlite://{}",
        target.join("data").join("learning-zone.db").display()
    );
    let app = TestApp::spawn_in(Backend::Sqlite, &target, &[("LZ_DATABASE_URL", &url)])
        .await
        .expect("starts");
    app.client()
        .sign_in("beth.kay@activelancashire.org.uk", DEMO_PASSWORD)
        .await;
}

/// Bad exports are refused with the file and line, and nothing of them is loaded: after
/// every refusal the good export still goes into the same (still empty) instance.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_exports_are_refused_and_nothing_is_half_loaded() {
    let source = temp_dir("bad-src");
    ok(&lz(&source, None, &["demo"]), "demo");
    let good = temp_dir("bad-good").join("out");
    ok(
        &lz(&source, None, &["export", good.to_str().unwrap()]),
        "export",
    );
    // An export goes only into a new or empty directory.
    refused(
        &lz(&source, None, &["export", good.to_str().unwrap()]),
        "not empty",
    );
    // Into a site that holds content: refused.
    refused(
        &lz(&source, None, &["import", good.to_str().unwrap()]),
        "already holds content",
    );

    let target = temp_dir("bad-target");
    let copy = |tag: &str| -> PathBuf {
        let dir = temp_dir(tag).join("out");
        for f in files_of(&good) {
            let to = dir.join(&f);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(good.join(&f), to).unwrap();
        }
        dir
    };
    let edit_manifest = |dir: &Path, change: &dyn Fn(&mut Value)| {
        let mut m = manifest(dir);
        change(&mut m);
        std::fs::write(dir.join("manifest.json"), serde_json::to_vec(&m).unwrap()).unwrap();
    };
    let edit_table = |dir: &Path, table: &str, change: &dyn Fn(&str) -> String| {
        let path = dir.join("tables").join(format!("{table}.jsonl"));
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        let last = lines.len() - 1;
        lines[last] = change(&lines[last]);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    };
    let import = |dir: &Path| lz(&target, None, &["import", dir.to_str().unwrap()]);

    let nothing = temp_dir("bad-nothing");
    refused(&import(&nothing), "not a Learning Zone export");

    let d = copy("bad-table");
    edit_manifest(&d, &|m| {
        m["tables"].as_array_mut().unwrap().push(serde_json::json!({
            "name": "users; DROP TABLE items", "file": "tables/x.jsonl", "rows": 0
        }))
    });
    refused(&import(&d), "is not a table this version knows");

    let d = copy("bad-path");
    edit_manifest(&d, &|m| m["tables"][0]["file"] = "../../etc/passwd".into());
    refused(&import(&d), "should be in tables/places.jsonl");

    let d = copy("bad-newer");
    edit_manifest(&d, &|m| m["schema_version"] = 999_999.into());
    refused(&import(&d), "made by a newer Learning Zone");

    let d = copy("bad-column");
    edit_table(&d, "items", &|l| {
        let mut v: Value = serde_json::from_str(l).unwrap();
        v["password\"; --"] = "x".into();
        v.to_string()
    });
    refused(&import(&d), "is not a column of items");

    let d = copy("bad-type");
    edit_table(&d, "items", &|l| {
        let mut v: Value = serde_json::from_str(l).unwrap();
        v["version"] = "two".into();
        v.to_string()
    });
    refused(&import(&d), "`version` should be a whole number");

    let d = copy("bad-json");
    edit_table(&d, "organisations", &|l| l[..l.len() / 2].to_string());
    refused(&import(&d), "tables/organisations.jsonl line");

    // A row whose parent is not there fails at the end of a long load: all of it rolls back.
    let d = copy("bad-parent");
    edit_table(&d, "evidence_indicators", &|l| {
        let mut v: Value = serde_json::from_str(l).unwrap();
        v["evidence_id"] = "no-such-evidence".into();
        v.to_string()
    });
    refused(&import(&d), "tables/evidence_indicators.jsonl line");

    // A line lost on the way: the manifest's count no longer matches.
    let d = copy("bad-count");
    let path = d.join("tables").join("observations.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let kept: Vec<&str> = text.lines().skip(1).collect();
    std::fs::write(&path, kept.join("\n") + "\n").unwrap();
    refused(&import(&d), "tables/observations.jsonl has");

    let d = copy("bad-file");
    let key = manifest(&d)["files"][0].as_str().unwrap().to_string();
    std::fs::write(d.join("files").join(&key), b"not what was stored").unwrap();
    refused(&import(&d), "does not match its name");

    // Nothing of the above was loaded: the instance is still empty, so the good one goes in.
    ok(&import(&good), "the good export after the refusals");
}

/// Every table of the schema is exported or left out for a stated reason: a new table
/// fails this until someone decides.
#[tokio::test]
async fn every_table_is_exported_or_left_out_for_a_reason() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("sqlite");
    let mut c = app.app.db.acquire().await.unwrap();
    let tables = lz_store::transfer::tables(&mut c, app.app.db.backend())
        .await
        .unwrap();
    use lz_app::transfer::tables::{LEFT_OUT, TABLES};
    for t in &tables {
        let exported = TABLES.iter().any(|s| s.name == t);
        let left_out = LEFT_OUT.iter().any(|(n, _)| n == t);
        assert!(
            exported ^ left_out,
            "{t}: add it to TABLES (in foreign-key order) or to LEFT_OUT with the reason"
        );
    }
    for s in TABLES {
        assert!(
            tables.iter().any(|t| t == s.name),
            "{} is not a table",
            s.name
        );
    }
}

/// `TABLES` is in an order that loads on PostgreSQL, whose foreign keys are checked row by
/// row: no table refers to one listed after it (a table may refer to itself).
#[tokio::test]
async fn the_tables_are_in_foreign_key_order() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("sqlite");
    let mut c = app.app.db.acquire().await.unwrap();
    use lz_app::transfer::tables::TABLES;
    for (i, spec) in TABLES.iter().enumerate() {
        let parents: Vec<String> =
            sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_list($1)")
                .bind(spec.name)
                .fetch_all(&mut *c)
                .await
                .unwrap();
        for parent in parents {
            if parent == spec.name {
                assert!(
                    spec.parent.is_some(),
                    "{} refers to itself: name the column in TableSpec::parent",
                    spec.name
                );
                continue;
            }
            let at = TABLES.iter().position(|t| t.name == parent);
            assert!(
                at.is_some_and(|at| at < i),
                "{} refers to {parent}, which must come before it in TABLES",
                spec.name
            );
        }
    }
}

/// Every column whose name says it holds a secret (a hash, a token, a key other than a
/// stored file's) is blanked without `--with-secrets`, or its table is left out or secret: a
/// new such column fails this until someone decides.
#[tokio::test]
async fn no_secret_column_is_exported_without_a_decision() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("sqlite");
    let mut c = app.app.db.acquire().await.unwrap();
    use lz_app::transfer::tables::{FILE_COLUMNS, TABLES};
    for spec in TABLES.iter().filter(|t| !t.secret) {
        let columns = lz_store::transfer::columns(&mut c, app.app.db.backend(), spec.name)
            .await
            .unwrap();
        for col in columns {
            let name = col.name.as_str();
            let secret_like = ["hash", "token", "secret", "password", "csrf"]
                .iter()
                .any(|w| name.contains(w))
                || (name.ends_with("_key")
                    && !FILE_COLUMNS.contains(&(spec.name, name))
                    && name != "email_key"
                    && name != "import_key");
            if secret_like {
                assert!(
                    spec.blanked.iter().any(|(n, _)| *n == name),
                    "{}.{name} looks secret: blank it (TableSpec::blanked), or make the table secret",
                    spec.name
                );
            }
        }
    }
}

/// An organisation admin downloads their organisation's items as a ZIP (read back by
/// Python's zipfile): only that organisation's items, as data and Markdown, with their
/// attachments. Another organisation's admin and a member may not; a network admin may.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_admin_takes_their_items_away_as_a_zip() {
    let Some(app) = TestApp::spawn_or_skip(Backend::Sqlite, "transfer::organisation_export").await
    else {
        return;
    };
    app.load_demo().await;
    let mut c = app.app.db.acquire().await.unwrap();
    let org: (String,) =
        sqlx::query_as("SELECT id FROM organisations WHERE slug = 'active-lancashire'")
            .fetch_one(&mut *c)
            .await
            .unwrap();
    // An organisation admin takes the published items and their own; a network admin every
    // state (as each sees them in the library).
    let expected: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM items i WHERE i.organisation_id = $1 AND i.deleted_at IS NULL
           AND (i.status = 'published' OR i.created_by = (SELECT id FROM users WHERE email = 'richard.davis-boreham@activelancashire.org.uk'))",
    )
    .bind(&org.0)
    .fetch_one(&mut *c)
    .await
    .unwrap();
    let all: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM items WHERE organisation_id = $1 AND deleted_at IS NULL",
    )
    .bind(&org.0)
    .fetch_one(&mut *c)
    .await
    .unwrap();
    drop(c);
    let path = format!("/admin/organisations/{}/export.zip", org.0);

    let as_demo = |email: &'static str| {
        let c = app.client();
        async move {
            c.sign_in(email, DEMO_PASSWORD).await;
            c
        }
    };
    let admin = as_demo("richard.davis-boreham@activelancashire.org.uk").await;
    let (_, index) = admin.get_text("/admin").await;
    assert!(
        index.contains(&path),
        "the administration page offers the export"
    );
    let r = admin.get(&path).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/zip");
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("active-lancashire-learning-zone-items.zip"));
    let bytes = r.bytes().await.unwrap();
    let zip = temp_dir("org-zip").join("export.zip");
    std::fs::write(&zip, &bytes).unwrap();
    let script = r#"
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = z.namelist()
m = json.loads(z.read("manifest.json"))
items = [json.loads(l) for l in z.read("tables/items.jsonl").decode().splitlines()]
orgs = {i["organisation_id"] for i in items}
md = [n for n in names if n.startswith("items/") and n.endswith(".md")]
files = [n for n in names if n.startswith("files/")]
atts = [json.loads(l) for l in z.read("tables/attachments.jsonl").decode().splitlines()]
for a in atts:
    assert "files/" + a["storage_key"] in names, a
first = z.read(md[0]).decode() if md else ""
print(json.dumps({"scope": m["scope"], "items": len(items), "orgs": sorted(orgs), "md": len(md),
                  "files": len(files), "attachments": len(atts), "readme": "README.txt" in names,
                  "users": "tables/users.jsonl" in names, "first": first[:200]}))
"#;
    let out = Command::new("python3")
        .args(["-c", script, zip.to_str().unwrap()])
        .output()
        .expect("python3");
    let said = ok(&out, "python reads the ZIP");
    let v: Value = serde_json::from_str(said.trim()).expect("python's summary");
    assert_eq!(v["scope"], "organisation:active-lancashire");
    assert_eq!(v["items"], expected);
    assert_eq!(
        v["orgs"],
        serde_json::json!([org.0]),
        "only this organisation's items"
    );
    assert_eq!(v["md"], expected, "each item as Markdown");
    assert!(v["attachments"].as_u64().unwrap() > 0, "with attachments");
    assert_eq!(v["files"], v["attachments"], "every attachment's file");
    assert_eq!(v["readme"], true);
    assert_eq!(v["users"], false, "no one's account details");
    assert!(
        v["first"].as_str().unwrap().starts_with("# "),
        "{}",
        v["first"]
    );

    // Others.
    let other = as_demo("cath.hudspith@chorley.gov.uk").await;
    assert_eq!(other.get(&path).await.status(), StatusCode::FORBIDDEN);
    let member = as_demo("jamie.placeholder@hyndburnleisure.co.uk").await;
    assert_eq!(member.get(&path).await.status(), StatusCode::FORBIDDEN);
    let visitor = app.client().get(&path).await;
    assert_ne!(visitor.status(), StatusCode::OK);
    let network_admin = as_demo("beth.kay@activelancashire.org.uk").await;
    let r = network_admin.get(&path).await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a ZIP");
    let mut items = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("tables/items.jsonl").expect("items"),
        &mut items,
    )
    .unwrap();
    assert_eq!(
        items.lines().count() as i64,
        all,
        "a network admin takes the organisation's items in every state"
    );
    let (_, form) = network_admin
        .get_text(&format!("/admin/organisations/{}", org.0))
        .await;
    assert!(
        form.contains(&path),
        "the organisation's page offers it to network admins"
    );
    assert_eq!(
        network_admin
            .get("/admin/organisations/no-such-org/export.zip")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}
