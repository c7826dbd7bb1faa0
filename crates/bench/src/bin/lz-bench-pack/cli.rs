//! The server binary's CLI: commands with only our settings, a step run to completion, and
//! personal API tokens.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use lz_bench::server_command;

pub(crate) struct Lz {
    pub(crate) bin: PathBuf,
    pub(crate) data_dir: PathBuf,
    pub(crate) database_url: Option<String>,
}

impl Lz {
    /// `learning-zone SUB…` with only our settings: nothing LZ_* from the caller's environment.
    pub(crate) fn command(&self, sub: &[&str]) -> Command {
        let mut c = server_command(&self.bin, sub);
        c.env("LZ_DATA_DIR", &self.data_dir)
            .env("LZ_ADDR", "127.0.0.1:0")
            .env("LZ_LOG", "warn");
        if let Some(url) = &self.database_url {
            c.env("LZ_DATABASE_URL", url);
        }
        c
    }

    /// Runs a CLI step to completion; its stdout. Its stderr is kept and shown on failure only.
    pub(crate) fn run(&self, sub: &[&str]) -> Result<String> {
        let out = self
            .command(sub)
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("running `learning-zone {}`", sub.join(" ")))?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        if !out.status.success() {
            let hint = if self.database_url.is_some() && sub.first() == Some(&"demo") {
                " (with --database-url, give an EMPTY database)"
            } else {
                ""
            };
            bail!(
                "`learning-zone {}` failed ({}){hint}: {stdout}{}",
                sub.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(stdout)
    }

    /// A personal API token for `email` (`learning-zone token create`).
    pub(crate) fn token(&self, email: &str) -> Result<String> {
        let out = self.run(&[
            "token",
            "create",
            "--email",
            email,
            "--name",
            "lz-bench-pack",
        ])?;
        token_in(&out).with_context(|| format!("no token in the output of `token create`: {out}"))
    }
}

/// The token is the last non-empty line of stdout (the notice about it goes to stderr).
fn token_in(stdout: &str) -> Option<String> {
    stdout
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.contains(char::is_whitespace))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_token() {
        assert_eq!(token_in("lzt_abc123\n").as_deref(), Some("lzt_abc123"));
        assert_eq!(
            token_in("Migrations applied.\nlzt_x\n\n").as_deref(),
            Some("lzt_x")
        );
        assert_eq!(token_in("\n"), None);
    }
}
