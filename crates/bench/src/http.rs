//! Browser-style HTTP: one client per browser, the sign-in form, the readiness probe.

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use reqwest::{header, redirect, StatusCode};

use crate::{REQUEST_TIMEOUT, STEP_TIMEOUT};

/// One browser: its own cookie jar, redirects not followed, one kept-alive connection.
pub fn browser() -> Result<reqwest::Client> {
    // Built with the server, reqwest has rustls without a provider: install ring, as the
    // server does (a second install is a no-op).
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(1)
        .no_proxy() // loopback only, whatever HTTP_PROXY says
        .build()
        .context("building an HTTP client")
}

/// Polls `/readyz` every 100 ms until it answers `200` (bounded by [`STEP_TIMEOUT`]).
pub async fn wait_ready(client: &reqwest::Client, base: &str) -> Result<()> {
    let deadline = Instant::now() + STEP_TIMEOUT;
    loop {
        match client.get(format!("{base}/readyz")).send().await {
            Ok(r) if r.status() == StatusCode::OK => return Ok(()),
            _ if Instant::now() > deadline => bail!("/readyz not OK within {STEP_TIMEOUT:?}"),
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

pub fn csrf_in(html: &str) -> Option<String> {
    const NEEDLE: &str = "name=\"csrf_token\" value=\"";
    let at = html.find(NEEDLE)? + NEEDLE.len();
    let len = html[at..].find('"')?;
    Some(html[at..at + len].to_string())
}

/// Signs in the way a browser does; returns the POST's latency.
pub async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    email: &str,
    password: &str,
) -> Result<Duration> {
    let form = client.get(format!("{base}/sign-in")).send().await?;
    if form.status() != StatusCode::OK {
        bail!("GET /sign-in answered {}", form.status());
    }
    let html = form.text().await?;
    let token = csrf_in(&html).context("no csrf_token on /sign-in")?;
    let t0 = Instant::now();
    let resp = client
        .post(format!("{base}/sign-in"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await?;
    let status = resp.status();
    let location = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    resp.bytes().await?;
    let took = t0.elapsed();
    if status != StatusCode::SEE_OTHER || location != "/account" {
        bail!("POST /sign-in answered {status} (Location: {location:?})");
    }
    Ok(took)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_csrf_token() {
        let html = r#"<form><input type="hidden" name="csrf_token" value="abc-123_x"></form>"#;
        assert_eq!(csrf_in(html).as_deref(), Some("abc-123_x"));
        assert_eq!(csrf_in("<form></form>"), None);
    }
}
