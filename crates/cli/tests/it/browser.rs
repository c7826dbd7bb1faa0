//! Browser journeys: headless Chromium (Debian's package) driven by playwright-core from
//! `tests/browser`, keyboard only, with axe-core checking every page for WCAG 2.2 A/AA.
//! The app runs here with the demo network and a real SMTP server.

use std::path::PathBuf;
use std::process::Command;

use crate::common::{skip, Backend, TestApp, DEMO_PASSWORD};

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
            .output()
    })
    .await
    .expect("join")
    .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
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
