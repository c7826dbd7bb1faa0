//! The server binary's CLI (`lz_bench::Lz`): a step run to completion, and personal API tokens.

use std::process::Stdio;

use anyhow::{bail, Context, Result};

use lz_bench::Lz;

/// Runs a CLI step to completion; its stdout. Its stderr is kept and shown on failure only.
pub(crate) fn run(lz: &Lz, sub: &[&str]) -> Result<String> {
    let out = lz
        .command(sub)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running `learning-zone {}`", sub.join(" ")))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!(
            "`learning-zone {}` failed ({}){}: {stdout}{}",
            sub.join(" "),
            out.status,
            lz.failure_hint(sub),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(stdout)
}

/// A personal API token for `email` (`learning-zone token create`).
pub(crate) fn token(lz: &Lz, email: &str) -> Result<String> {
    let out = run(
        lz,
        &[
            "token",
            "create",
            "--email",
            email,
            "--name",
            "lz-bench-pack",
        ],
    )?;
    token_in(&out).with_context(|| format!("no token in the output of `token create`: {out}"))
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
