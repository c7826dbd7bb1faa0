//! `indicators import`: a Fingertips CSV, the tidy template or the IoD summary sheet, read
//! (streamed, for a CSV), printed with its flags, then saved in one transaction unless
//! `--dry-run`. `--format json` prints one JSON object: indicators, observations, flags.

use super::*;

pub(crate) async fn import(
    config: Config,
    file: &Path,
    dry_run: bool,
    json: bool,
    accept_flags: bool,
) -> Result<()> {
    let app = open(config).await?;
    let preview = app
        .intelligence()
        .preview(None, &lz_app::intelligence::ImportSource::File(file))
        .await
        .map_err(describe)?;
    if json {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        serde_json::to_writer(&mut out, &preview.to_json())?;
        writeln!(out)?;
        out.flush()?;
    } else {
        println!(
            "{} ({}): {} rows, {} figures ({} without a value), {} indicator(s), {} area(s), periods {}",
            preview.file_name,
            preview.format_label,
            preview.rows_read,
            preview.observations,
            preview.missing_values,
            preview.indicators.len(),
            preview.areas.len(),
            preview.periods.join(", ")
        );
        for g in &preview.flag_groups {
            println!("{} ({}):", g.heading, g.count);
            for f in &g.flags {
                println!("  line {}: {}", f.row, f.message);
            }
            if g.count > g.flags.len() {
                println!("  and {} more", g.count - g.flags.len());
            }
        }
    }
    let flags = preview.flags.len();
    if dry_run {
        eprintln!("Dry run: nothing saved ({flags} row(s) flagged for checking).");
        return Ok(());
    }
    if flags > 0 && !accept_flags {
        bail!("{flags} row(s) are flagged for checking: review them (--dry-run), then run again with --accept-flags, or import on the web page's review screen");
    }
    let saved = app
        .intelligence()
        .save_preview(&preview, true)
        .await
        .map_err(describe)?;
    eprintln!(
        "Saved: {} added, {} replaced (old values kept in history), {} unchanged; {} new area(s).",
        saved.added, saved.replaced, saved.unchanged, saved.areas_added
    );
    Ok(())
}
