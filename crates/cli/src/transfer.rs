//! `export` and `import`: the whole site's content as documented JSON files (docs/EXPORT.md),
//! to move between databases and machines.

use super::*;

pub(crate) async fn export(config: Config, path: &Path, with_secrets: bool) -> Result<()> {
    let app = open(config).await?;
    let started = std::time::Instant::now();
    let summary = app
        .transfer()
        .export_site(path, with_secrets)
        .await
        .map_err(describe_transfer)?;
    println!(
        "Exported {} rows from {} tables and {} files to {} in {:.1} s.",
        summary.rows,
        summary.tables,
        summary.files,
        path.display(),
        started.elapsed().as_secs_f64()
    );
    if !summary.missing_files.is_empty() {
        // Said every time: an export that lacks files must not pass for a whole one.
        println!(
            "{} stored files that rows name were already missing from storage (listed in manifest.json as missing_files).",
            summary.missing_files.len()
        );
    }
    if !with_secrets {
        println!("Passwords and other secrets are not in the export: after an import, people set a new password with \"Forgotten your password?\".");
    }
    Ok(())
}

pub(crate) async fn import(config: Config, path: &Path) -> Result<()> {
    let app = open(config).await?;
    let started = std::time::Instant::now();
    let summary = app
        .transfer()
        .import_site(path)
        .await
        .map_err(describe_transfer)?;
    println!(
        "Imported {} rows and {} files from {} in {:.1} s. Rebuilding the search index…",
        summary.rows,
        summary.files,
        path.display(),
        started.elapsed().as_secs_f64()
    );
    let n = app
        .reindex(|_, _| {})
        .await
        .map_err(|e| anyhow::anyhow!("rebuilding the search index: {e}"))?;
    println!("Indexed {n} published items.");
    Ok(())
}

pub(crate) async fn import_folder(
    config: Config,
    zip: &Path,
    as_email: &str,
    organisation: Option<String>,
) -> Result<()> {
    let mut app = open(config).await?;
    // Each document is read in a child process with its own limits, as the server does.
    if let Ok(me) = std::env::current_exe() {
        app.use_extractor_program(me, EXTRACT_MEMORY_MIB);
    }
    let actor = app
        .actor_by_email(as_email)
        .await
        .map_err(|e| anyhow::anyhow!("{as_email}: {e}"))?;
    let file = std::fs::File::open(zip).with_context(|| format!("opening {}", zip.display()))?;
    let started = std::time::Instant::now();
    let choices = lz_app::transfer::folder::FolderChoices {
        organisation_id: organisation.unwrap_or_default(),
    };
    let done = app
        .transfer()
        .import_folder(&actor, std::io::BufReader::new(file), &choices)
        .await
        .map_err(describe_transfer)?;
    println!(
        "Brought in {} documents as drafts ({} left out, {} leftovers passed over) in {:.1} s: /library/import/folder/{}",
        done.drafts.len(),
        done.refused.len(),
        done.passed_over,
        started.elapsed().as_secs_f64(),
        done.batch
    );
    for r in &done.refused {
        println!("left out: {}: {}", r.path, r.reason);
    }
    Ok(())
}

fn describe_transfer(e: lz_app::AppError) -> anyhow::Error {
    match e {
        lz_app::AppError::Invalid(errs) => anyhow::anyhow!(errs
            .iter()
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("; ")),
        other => anyhow::anyhow!("{other}"),
    }
}
