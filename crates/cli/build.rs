//! Puts the git commit the binary was built from into `learning-zone --version`
//! ("0.1.0 (commit 1a2b3c4d)"), so that a host can say exactly what it runs. Without git
//! (a source tarball) the commit can be given as `LZ_BUILD_COMMIT`, else it reads "unknown".

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=LZ_BUILD_COMMIT");
    // A new commit moves HEAD or the branch it points to.
    for path in [
        "../../.git/HEAD",
        "../../.git/refs/heads",
        "../../.git/packed-refs",
    ] {
        if std::path::Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    let commit = std::env::var("LZ_BUILD_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| {
            let out = Command::new("git")
                .args(["rev-parse", "--short=10", "HEAD"])
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
                .filter(|c| !c.is_empty())
        })
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=LZ_BUILD_COMMIT={commit}");
}
