//! The JSON API as one account: a client with its personal token, and the few calls the
//! benchmark needs (each checks its status).

use anyhow::{bail, Context, Result};
use reqwest::{header, RequestBuilder, StatusCode};
use serde_json::Value;

use lz_bench::browser;

pub(crate) struct Api {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    pub(crate) fn new(base: &str, token: String) -> Result<Self> {
        Ok(Api {
            client: browser()?,
            base: base.trim_end_matches('/').to_string(),
            token,
        })
    }

    /// `GET {base}{path}` with the token.
    pub(crate) fn get(&self, path: &str) -> RequestBuilder {
        self.client
            .get(format!("{}{path}", self.base))
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
    }

    fn post(&self, path: &str) -> RequestBuilder {
        self.client
            .post(format!("{}{path}", self.base))
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
    }

    pub(crate) async fn get_json(&self, path: &str) -> Result<Value> {
        let r = self
            .get(path)
            .send()
            .await
            .with_context(|| format!("GET {path}"))?;
        answer(r, StatusCode::OK, "GET", path).await
    }

    /// POST a JSON body that must answer `201 {"id": …}`; the id.
    pub(crate) async fn create(&self, path: &str, body: &Value) -> Result<String> {
        let r = self
            .post(path)
            .json(body)
            .send()
            .await
            .with_context(|| format!("POST {path}"))?;
        let v = answer(r, StatusCode::CREATED, "POST", path).await?;
        v.get("id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .with_context(|| format!("POST {path}: no id in {v}"))
    }

    /// POST without a body that must answer `204`.
    pub(crate) async fn action(&self, path: &str) -> Result<()> {
        let r = self
            .post(path)
            .send()
            .await
            .with_context(|| format!("POST {path}"))?;
        let status = r.status();
        let body = r.text().await.unwrap_or_default();
        if status != StatusCode::NO_CONTENT {
            bail!("POST {path} answered {status}: {}", clip(&body));
        }
        Ok(())
    }
}

async fn answer(r: reqwest::Response, want: StatusCode, method: &str, path: &str) -> Result<Value> {
    let status = r.status();
    let body = r
        .text()
        .await
        .with_context(|| format!("{method} {path}: reading the body"))?;
    if status != want {
        bail!("{method} {path} answered {status}: {}", clip(&body));
    }
    serde_json::from_str(&body)
        .with_context(|| format!("{method} {path}: not JSON: {}", clip(&body)))
}

fn clip(s: &str) -> String {
    s.chars().take(500).collect()
}
