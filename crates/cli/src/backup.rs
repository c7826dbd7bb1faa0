//! `backup` and `restore`: the data directory (database and files) as one folder.

use super::*;

const BACKUP_DB: &str = "learning-zone.db";

pub(crate) async fn backup(config: Config, path: &Path) -> Result<()> {
    if !config.database_url.starts_with("sqlite:") {
        bail!("backup copies SQLite databases. For PostgreSQL use pg_dump (e.g. `pg_dump -Fc DB > lz.dump`) and copy {}/files", config.data_dir.display());
    }
    if path.exists()
        && std::fs::read_dir(path)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        bail!(
            "{} already exists and is not empty: choose a new directory",
            path.display()
        );
    }
    std::fs::create_dir_all(path).with_context(|| format!("creating {}", path.display()))?;
    let data_dir = config.data_dir.clone();
    let in_bucket = config.s3.is_some();
    let app = open(config).await?;
    app.db
        .backup_sqlite_to(&path.join(BACKUP_DB))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let files = data_dir.join("files");
    if files.exists() {
        copy_dir(&files, &path.join("files"))?;
    }
    println!("Backed up to {}", path.display());
    if in_bucket {
        // Said every time: a backup without the attachments must not pass for a whole one.
        println!("Attachments are in the S3 bucket (LZ_STORAGE_URL), not in this backup: back the bucket up with your provider's tools.");
    }
    Ok(())
}

pub(crate) async fn restore(config: Config, path: &Path) -> Result<()> {
    if !config.database_url.starts_with("sqlite:") {
        bail!("restore writes SQLite databases. For PostgreSQL use pg_restore, then copy the files into {}/files", config.data_dir.display());
    }
    let source = path.join(BACKUP_DB);
    if !source.is_file() {
        bail!(
            "{} is not a Learning Zone backup (no {BACKUP_DB})",
            path.display()
        );
    }
    let target = config
        .database_url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    let target = PathBuf::from(target);
    if target.exists() {
        bail!(
            "{} already exists: restore only into an empty data directory (set LZ_DATA_DIR)",
            target.display()
        );
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    std::fs::copy(&source, &target)
        .with_context(|| format!("copying {} to {}", source.display(), target.display()))?;
    if path.join("files").exists() {
        copy_dir(&path.join("files"), &config.data_dir.join("files"))?;
    }
    // Opening applies any migrations newer than the backup.
    open(config).await?;
    println!("Restored {} into {}", path.display(), target.display());
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else {
            std::fs::copy(entry.path(), &dest)
                .with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}
