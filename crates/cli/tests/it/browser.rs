//! Browser journeys: headless Chromium (Debian's package) driven by playwright-core from
//! `tests/browser`, keyboard only, with axe-core checking every page for WCAG 2.2 A/AA.
//! The app runs here with the demo network and a real SMTP server; journeys that need people
//! of their own get a fresh scenario built by `app.given()` (see `evidence_scenario`).

use std::path::PathBuf;
use std::process::Command;

use serde_json::json;

use crate::common::{skip, Backend, TestApp, DEMO_PASSWORD, PASSWORD};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn chromium() -> Option<String> {
    let path = std::env::var("LZ_BROWSER_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    std::path::Path::new(&path).exists().then_some(path)
}

/// Installs the harness's npm packages (from the lockfile) when they are missing.
fn ensure_node_modules() -> Result<(), String> {
    let dir = repo_root().join("tests/browser");
    if dir.join("node_modules/playwright-core").exists()
        && dir.join("node_modules/axe-core").exists()
    {
        return Ok(());
    }
    let out = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("npm: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "npm ci failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The scenario of `journeys/evidence.mjs` (evidence bank and advocacy packs), as JSON for
/// `LZ_BROWSER_EVIDENCE`: a place and an organisation in it; a collator and a curator
/// (contributors of the organisation) and a moderator who checks, none of them in the demo;
/// and a published evaluation for anyone, of the organisation and place, serving the demo's
/// Health agenda. The people's password is `PASSWORD`.
async fn evidence_scenario(app: &TestApp) -> String {
    let given = app.given();
    let place = given.place("fylde-coast").await;
    let org = given.organisation_in("fylde-coast-active", &place).await;
    let collator = given
        .person("contributor")
        .member_of(&org)
        .named("Cara Collins")
        .email("cara.collins@fyldecoastactive.example.org")
        .await;
    let checker = given
        .person("moderator")
        .named("Mo Checkley")
        .email("mo.checkley@example.org")
        .await;
    let curator = given
        .person("contributor")
        .member_of(&org)
        .named("Kit Curran")
        .email("kit.curran@fyldecoastactive.example.org")
        .await;
    let (_, terms) = given.admin().await.api_get("/terms").await;
    let health = terms
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|t| t["vocabulary"] == "agenda" && t["name"] == "Health")
        })
        .and_then(|t| t["id"].as_str())
        .unwrap_or_else(|| panic!("the demo's Health agenda in {terms}"))
        .to_string();
    let title = "Coastal walking groups on the Fylde: an evaluation";
    let item = given
        .item(&org)
        .titled(title)
        .with(json!({
            "kind": "evaluation",
            "visibility": "public",
            "place_id": place.id,
            "terms": [health],
            "what_we_learned": "Of 120 walkers who joined in the first year, 84 were still walking after six months, and GP appointments among them fell by a fifth.",
        }))
        .await;
    let person = |p: &crate::common::Person| json!({"name": p.name, "email": p.email});
    json!({
        "password": PASSWORD,
        "place": place.name,
        "organisation": org.name,
        "collator": person(&collator),
        "checker": person(&checker),
        "curator": person(&curator),
        "item": {"id": item, "title": title},
    })
    .to_string()
}

/// The scenario of `journeys/figures.mjs` (shared intelligence), as JSON for
/// `LZ_BROWSER_FIGURES`: an analyst (a member a network admin made analyst), a place lead of
/// Blackpool Council (whose place delivers the plan's advocacy work), and a Fingertips export
/// of 93015 holding the real 2018/19 rows the demo has (unchanged on import), an area that
/// had ended (Allerdale in 2023/24) and a suppressed value, each flagged on review.
async fn figures_scenario(app: &TestApp) -> String {
    let given = app.given();
    let analyst = given
        .person("member")
        .named("Ana Lyst")
        .email("ana.lyst@example.org")
        .await;
    let admin = given.admin().await;
    let (s, v) = admin
        .api_send(
            reqwest::Method::PUT,
            &format!("/users/{}/analyst", analyst.id),
            json!({"analyst": true}),
        )
        .await;
    assert_eq!(s, reqwest::StatusCode::NO_CONTENT, "{v}");
    let (_, orgs) = admin.api_get("/organisations").await;
    let council = orgs
        .as_array()
        .and_then(|all| all.iter().find(|o| o["slug"] == "blackpool-council"))
        .unwrap_or_else(|| panic!("the demo's Blackpool Council in {orgs}"));
    let council = crate::common::Org {
        id: council["id"].as_str().unwrap_or_default().to_string(),
        slug: "blackpool-council".into(),
        name: "Blackpool Council".into(),
    };
    let lead = given
        .person("place_lead")
        .member_of(&council)
        .named("Pat Leadbetter")
        .email("pat.leadbetter@example.org")
        .await;
    let header = "Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,Lower CI 99.8 limit,Upper CI 99.8 limit,Count,Denominator,Value note,Recent Trend,Compared to England value or percentiles,Compared to North West region value or percentiles,Time period Sortable,New data,Compared to goal";
    let row = |code: &str, area: &str, period: &str, value: &str, note: &str, compared: &str| {
        format!("93015,Percentage of physically inactive adults,E12000002,North West region,{code},{area},Districts & UAs,Persons,19+ yrs,,,{period},{value},,,,,,,{note},,{compared},,,,\n")
    };
    let mut text = format!("{header}\n");
    text += &row("E92000001", "England", "2018/19", "21.4", "", "");
    text += &row("E06000009", "Blackpool", "2018/19", "26.8", "", "Worse");
    text += &row("E07000117", "Burnley", "2018/19", "29.5", "", "Worse");
    text += &row("E07000026", "Allerdale", "2023/24", "23.0", "", "");
    text += &row(
        "E07000118",
        "Chorley",
        "2023/24",
        "",
        "Value suppressed for disclosure control",
        "",
    );
    let person = |p: &crate::common::Person| json!({"name": p.name, "email": p.email});
    json!({
        "password": PASSWORD,
        "analyst": person(&analyst),
        "place_lead": person(&lead),
        "export": {"name": "fingertips-93015.csv", "text": text},
    })
    .to_string()
}

async fn run_journeys(backend: Backend, test: &str) {
    let Some(chromium) = chromium() else {
        skip(test, "Chromium not found at /usr/bin/chromium (apt-get install chromium chromium-driver), so the browser journeys did not run");
        return;
    };
    if Command::new("node").arg("--version").output().is_err() {
        skip(
            test,
            "node is not installed, so the browser journeys did not run",
        );
        return;
    }
    ensure_node_modules().expect("browser test packages");
    let Some(app) = TestApp::spawn_with_smtp(backend, test).await else {
        return;
    };
    app.load_demo().await;
    let evidence = evidence_scenario(&app).await;
    let figures = figures_scenario(&app).await;
    let smtp = app.smtp.as_ref().expect("smtp");
    let shots = std::env::var("LZ_BROWSER_SCREENSHOTS").unwrap_or_default();
    let base = app.base.clone();
    let maildir = smtp.maildir.clone();
    let out = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg("tests/browser/run.mjs")
            .current_dir(repo_root())
            .env("LZ_BROWSER_BASE_URL", base)
            .env("LZ_BROWSER_MAILDIR", maildir)
            .env("LZ_BROWSER_ADMIN_EMAIL", "beth.kay@activelancashire.org.uk")
            .env("LZ_BROWSER_ADMIN_PASSWORD", DEMO_PASSWORD)
            .env("LZ_BROWSER_CHROMIUM", chromium)
            .env("LZ_BROWSER_SCREENSHOTS", shots)
            .env("LZ_BROWSER_EVIDENCE", evidence)
            .env("LZ_BROWSER_FIGURES", figures)
            .output()
    })
    .await
    .expect("join")
    .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Shown with `--nocapture`: each journey's steps and its time.
    println!("{stdout}");
    assert!(
        out.status.success(),
        "browser journeys failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journeys_in_chromium_sqlite() {
    run_journeys(Backend::Sqlite, "browser::journeys_in_chromium_sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journeys_in_chromium_postgres() {
    run_journeys(Backend::Postgres, "browser::journeys_in_chromium_postgres").await;
}
