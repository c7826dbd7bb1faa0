//! `extract-text`: the child process that reads one untrusted document's text, under
//! limits of its own so that a hostile file ends this process only.

use super::*;

/// Address space of the text-extraction child: a large deck needs well under this.
pub(crate) const EXTRACT_MEMORY_MIB: u64 = 1024;

/// The `extract-text` child: limits itself, reads the document, prints its text.
/// With `properties`, prints `lz_files::DocumentText` as JSON instead, and a document at
/// fault (protected, damaged) ends it with `DOCUMENT_AT_FAULT` and the reason on stderr.
pub(crate) fn extract_text(
    kind: &str,
    properties: bool,
    max_chars: Option<usize>,
    memory_mib: u64,
    cpu_seconds: u64,
) -> Result<()> {
    limit_resources(memory_mib, cpu_seconds)?;
    // Parsers' panics are caught and said as "not a valid PDF"; the default hook would
    // also print the panic, with paths, where the reason for the uploader is read.
    std::panic::set_hook(Box::new(|_| {}));
    let mut limits = lz_files::ExtractLimits::default();
    if let Some(n) = max_chars {
        limits.max_text_chars = n;
    }
    let kind = lz_files::FileKind::parse(kind).with_context(|| format!("--kind {kind}"))?;
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .context("reading the document from standard input")?;
    if properties {
        return match lz_files::read_document(kind, &bytes, &limits) {
            Ok(doc) => serde_json::to_writer(std::io::stdout(), &doc).context("writing the text"),
            Err(e) if e.is_user_error() => {
                eprintln!("{e}");
                std::process::exit(lz_app::library::attachments::DOCUMENT_AT_FAULT)
            }
            Err(e) => Err(anyhow::anyhow!("{e}")),
        };
    }
    let text = lz_files::extract_text(kind, &bytes, &limits).map_err(|e| anyhow::anyhow!("{e}"))?;
    use std::io::Write;
    std::io::stdout()
        .write_all(text.as_bytes())
        .context("writing the text")?;
    Ok(())
}

/// Caps this process's address space and CPU time, so that a document built to exhaust
/// memory or loop forever ends this process only.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_resources(memory_mib: u64, cpu_seconds: u64) -> Result<()> {
    let set = |resource, value: u64| -> Result<()> {
        let lim = libc::rlimit {
            rlim_cur: value as libc::rlim_t,
            rlim_max: value as libc::rlim_t,
        };
        // SAFETY: setrlimit only reads the struct we pass.
        if unsafe { libc::setrlimit(resource, &lim) } != 0 {
            bail!("setrlimit: {}", std::io::Error::last_os_error());
        }
        Ok(())
    };
    set(libc::RLIMIT_AS, memory_mib.saturating_mul(1 << 20))?;
    set(libc::RLIMIT_CPU, cpu_seconds)?;
    Ok(())
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_resources(_: u64, _: u64) -> Result<()> {
    Ok(())
}
