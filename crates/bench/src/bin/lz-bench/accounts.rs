//! The benchmark accounts, created with the server binary's own `user create`.

use std::io::Write;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use lz_bench::{drain, wait_timeout, STEP_TIMEOUT};

/// Password of the benchmark accounts (zxcvbn-strong; the accounts live in a throwaway database).
pub(crate) const PASSWORD: &str = "heather moorland trail kestrel";
/// How many accounts are created; sign-ins rotate over them.
pub(crate) const ACCOUNTS: usize = 8;

pub(crate) fn account_email(n: usize) -> String {
    format!("bench{n}@example.org")
}

/// Runs `cmd user create …` for account `n`, the password on its stdin.
pub(crate) fn create_account(mut cmd: Command, n: usize) -> Result<()> {
    let email = account_email(n);
    let name = format!("Bench {n}");
    cmd.args([
        "user", "create", "--email", &email, "--name", &name, "--role", "member",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().context("running `learning-zone user create`")?;
    {
        let mut stdin = child.stdin.take().context("child stdin")?;
        stdin.write_all(format!("{PASSWORD}\n").as_bytes())?;
    } // Closing stdin ends the password.
    let out_thread = drain(child.stdout.take());
    let err_thread = drain(child.stderr.take());
    let status = match wait_timeout(&mut child, STEP_TIMEOUT)? {
        Some(s) => s,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            bail!("`user create` for {email} took longer than {STEP_TIMEOUT:?}");
        }
    };
    let out = out_thread.join().unwrap_or_default();
    let err = err_thread.join().unwrap_or_default();
    if !status.success() {
        bail!(
            "`learning-zone user create --email {email}` failed ({status}); with --database-url \
             use an empty database.\n{out}{err}"
        );
    }
    Ok(())
}
