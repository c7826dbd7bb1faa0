//! `learning-zone`: the one binary. Serves the platform, migrates, loads demo data, manages
//! users and tokens, and backs up and restores the data directory.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use lz_app::config::{LogFormat, SETTINGS};
use lz_app::{App, Config};
use lz_domain::Role;

mod backup;
mod extract;
mod indicators;
mod plan_import;
mod serve;
mod transfer;
mod users;

use backup::{backup, restore};
use extract::{extract_text, EXTRACT_MEMORY_MIB};
use plan_import::{plan_import, PlanImportOptions};
use serve::serve;
use users::{create_user, demo, print_demo_accounts};

fn settings_help() -> String {
    let mut s = String::from("Configuration (a TOML file given with --config, then LZ_* environment variables, which win):\n");
    for (name, default, doc) in SETTINGS {
        s.push_str(&format!(
            "  LZ_{:<22} {doc}\n  {:<25} default: {default}\n",
            name.to_uppercase(),
            ""
        ));
    }
    s
}

/// The version and the commit it was built from (`build.rs`).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("LZ_BUILD_COMMIT"),
    ")"
);

#[derive(Parser)]
#[command(name = "learning-zone", version = VERSION, about = "Learning Zone: share learning and practice across a network of places and partners", after_help = settings_help())]
struct Cli {
    /// A TOML file with settings (names as below, in lower case without LZ_).
    #[arg(long, global = true, env = "LZ_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (applies migrations first).
    Serve {
        /// Load the demo network into an empty database first, and print the demo accounts.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations.
    Migrate,
    /// Load the demo network into an empty database, or add synthetic library items.
    Demo {
        /// Add N realistic synthetic published items (for benchmarks) instead of the demo network.
        #[arg(long, value_name = "N")]
        synthetic: Option<u64>,
    },
    /// Rebuild the search index from the database (stop the server first).
    Reindex,
    /// (Internal) Extract the text of one attachment from standard input to standard output,
    /// within memory and CPU limits; the server runs it for every uploaded document.
    #[command(hide = true)]
    ExtractText {
        /// pdf, docx, pptx or csv.
        #[arg(long)]
        kind: String,
        /// Print the text with the document's title and date, as JSON.
        #[arg(long)]
        properties: bool,
        /// Longest text returned, in characters.
        #[arg(long)]
        max_chars: Option<usize>,
        #[arg(long, default_value_t = 512)]
        memory_mib: u64,
        #[arg(long, default_value_t = 60)]
        cpu_seconds: u64,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage personal API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Delivery plans.
    Plan {
        #[command(subcommand)]
        command: PlanCommand,
    },
    /// The evidence bank.
    Evidence {
        #[command(subcommand)]
        command: EvidenceCommand,
    },
    /// Shared intelligence: public indicators by area.
    Indicators {
        #[command(subcommand)]
        command: IndicatorsCommand,
    },
    /// Write the whole site's content to PATH (a new directory): documented JSON Lines files
    /// and the stored files, without passwords or other secrets unless asked.
    Export {
        path: PathBuf,
        /// Include password hashes, API token hashes and share links (only for moving your
        /// own instance: never for handing content to someone else).
        #[arg(long)]
        with_secrets: bool,
    },
    /// Load an export from PATH into this instance, which must be empty (SQLite or
    /// PostgreSQL), then rebuild the search index.
    Import { path: PathBuf },
    /// Bring a folder of documents (a ZIP of PDF, Word, PowerPoint and Excel files) in as one
    /// person's drafts, one per document; they then set kind, themes and place for many at
    /// once on the web, under Your learning. For folders larger than the web's upload limit.
    ImportFolder {
        zip: PathBuf,
        /// The email address of the person whose drafts they become (a contributor or above).
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The id of the organisation the drafts belong to [default: the person's first].
        #[arg(long, value_name = "ID")]
        organisation: Option<String>,
    },
    /// Copy the database and files to PATH (a new directory) while the server runs.
    Backup { path: PathBuf },
    /// Restore a backup from PATH into an empty data directory.
    Restore { path: PathBuf },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a confirmed account. The password is read from standard input, or generated and printed once.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// member, contributor, place-lead, org-admin, moderator or network-admin.
        #[arg(long, default_value = "member")]
        role: String,
    },
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Import a delivery plan (a Word table saved as text) or Executive minutes.
    Import {
        file: PathBuf,
        /// Print what was read, without saving.
        #[arg(long)]
        dry_run: bool,
        /// text (readable) or json (amounts in pence, ISO dates, flags).
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        /// plan, minutes, or auto (a table is a plan, anything else minutes).
        #[arg(long, default_value = "auto", value_parser = ["auto", "plan", "minutes"])]
        kind: String,
        /// For minutes: the plan they belong to (default: a new plan named after the meeting).
        #[arg(long)]
        plan: Option<String>,
        /// The owning organisation's web address name (slug), e.g. active-lancashire.
        #[arg(long)]
        owner: Option<String>,
        /// public, network or organisation.
        #[arg(long, default_value = "network")]
        visibility: String,
        /// Save even though some fields are flagged for a person to check.
        #[arg(long)]
        accept_flags: bool,
        /// A title for the plan instead of the document's own.
        #[arg(long)]
        title: Option<String>,
    },
}

#[derive(Subcommand)]
enum EvidenceCommand {
    /// Write the evidence records to standard output (or --output), one row each.
    Export {
        /// csv (one row a record, the same columns as the evidence page's download).
        #[arg(long, default_value = "csv", value_parser = ["csv"])]
        format: String,
        /// Export what this account may see (drafts it wrote, its organisation's records);
        /// without it, the published records anyone may see.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum IndicatorsCommand {
    /// Import a Fingertips CSV export, the tidy CSV template, or the IoD summary sheet (XLSX).
    /// A CSV is read as a stream, so a large export is never held whole.
    Import {
        file: PathBuf,
        /// Print what was read and its flags, without saving.
        #[arg(long)]
        dry_run: bool,
        /// text (a summary) or json (indicators, observations and flags as one JSON object).
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        /// Save even though some rows are flagged for a person to check.
        #[arg(long)]
        accept_flags: bool,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a personal API token for an account; it is printed once and stored hashed.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Command line")]
        name: String,
    },
}

/// Large blocks (argon2's memory, about 19 MiB a hash) are mapped and unmapped on each use
/// instead of staying in glibc's per-thread arenas: without this, a burst of sign-ins leaves
/// the server holding hundreds of MiB it no longer uses (measured by `lz-bench`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_blocks_to_the_system() {
    // SAFETY: mallopt only changes allocator tuning; called once, before any other thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_blocks_to_the_system() {}

fn main() -> Result<()> {
    return_large_blocks_to_the_system();
    let cli = Cli::parse();
    // Before any configuration, logging or runtime: the extractor needs none of them.
    if let Command::ExtractText {
        kind,
        properties,
        max_chars,
        memory_mib,
        cpu_seconds,
    } = &cli.command
    {
        return extract_text(kind, *properties, *max_chars, *memory_mib, *cpu_seconds);
    }
    let config = Config::load(cli.config.as_deref(), std::env::vars())?;
    init_logging(&config);
    lz_files::install_crypto_provider();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(run(cli.command, config))
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LZ_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match config.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

async fn open(config: Config) -> Result<App> {
    App::open(config).await.map_err(|e| anyhow::anyhow!("{e}"))
}

async fn run(command: Command, config: Config) -> Result<()> {
    match command {
        Command::Serve { demo } => serve(config, demo).await,
        Command::Migrate => {
            open(config).await?;
            println!("Migrations applied.");
            Ok(())
        }
        Command::Demo { synthetic } => demo(config, synthetic).await,
        Command::ExtractText {
            kind,
            properties,
            max_chars,
            memory_mib,
            cpu_seconds,
        } => extract_text(&kind, properties, max_chars, memory_mib, cpu_seconds),
        Command::Reindex => reindex(config).await,
        Command::User {
            command: UserCommand::Create { email, name, role },
        } => create_user(config, &email, &name, &role).await,
        Command::Token {
            command: TokenCommand::Create { email, name },
        } => {
            let app = open(config).await?;
            let token = app
                .accounts()
                .create_api_token_for_email(&email, &name)
                .await
                .map_err(describe)?;
            println!("{token}");
            eprintln!("This token is shown once. Send it as: Authorization: Bearer <token>");
            Ok(())
        }
        Command::Plan {
            command:
                PlanCommand::Import {
                    file,
                    dry_run,
                    format,
                    kind,
                    plan,
                    owner,
                    visibility,
                    accept_flags,
                    title,
                },
        } => {
            let opts = PlanImportOptions {
                dry_run,
                json: format == "json",
                kind,
                plan,
                owner,
                visibility,
                accept_flags,
                title,
            };
            plan_import(config, &file, opts).await
        }
        Command::Evidence {
            command:
                EvidenceCommand::Export {
                    format: _,
                    as_email,
                    output,
                },
        } => evidence_export(config, as_email.as_deref(), output.as_deref()).await,
        Command::Indicators {
            command:
                IndicatorsCommand::Import {
                    file,
                    dry_run,
                    format,
                    accept_flags,
                },
        } => indicators::import(config, &file, dry_run, format == "json", accept_flags).await,
        Command::Export { path, with_secrets } => {
            transfer::export(config, &path, with_secrets).await
        }
        Command::Import { path } => transfer::import(config, &path).await,
        Command::ImportFolder {
            zip,
            as_email,
            organisation,
        } => transfer::import_folder(config, &zip, &as_email, organisation).await,
        Command::Backup { path } => backup(config, &path).await,
        Command::Restore { path } => restore(config, &path).await,
    }
}

/// `evidence export`: the evidence bank as CSV, as one account (or anyone) may see it.
async fn evidence_export(
    config: Config,
    as_email: Option<&str>,
    output: Option<&std::path::Path>,
) -> Result<()> {
    let app = open(config).await?;
    let actor = match as_email {
        Some(email) => Some(
            app.actor_by_email(email)
                .await
                .map_err(|e| anyhow::anyhow!("{email}: {e}"))?,
        ),
        None => None,
    };
    let csv = app
        .evidence()
        .csv(actor.as_ref(), &lz_app::evidence::EvidenceFilter::default())
        .await
        .map_err(|e| anyhow::anyhow!("exporting evidence: {e}"))?;
    match output {
        Some(path) => std::fs::write(path, csv)
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?,
        None => {
            use std::io::Write;
            std::io::stdout()
                .write_all(csv.as_bytes())
                .map_err(|e| anyhow::anyhow!("writing the export: {e}"))?;
        }
    }
    Ok(())
}

/// `reindex`: the search index rebuilt from the database, with a progress bar.
async fn reindex(config: Config) -> Result<()> {
    let app = open(config).await?;
    let bar = progress_bar(0, "items");
    let started = std::time::Instant::now();
    let n = app
        .reindex(|done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .await
        .map_err(|e| anyhow::anyhow!("reindexing: {e}"))?;
    bar.finish();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "Indexed {n} published items in {secs:.1} s ({:.0} items/s).",
        n as f64 / secs.max(0.001)
    );
    Ok(())
}

/// A progress bar on standard error (hidden when it is not a terminal).
fn progress_bar(len: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    let style = indicatif::ProgressStyle::with_template(&format!(
        "{{bar:40}} {{pos}}/{{len}} {what} ({{per_sec}}, {{eta}} left)"
    ))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

fn describe(e: lz_app::AppError) -> anyhow::Error {
    match e {
        lz_app::AppError::Invalid(errs) => anyhow::anyhow!(errs
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ")),
        lz_app::AppError::NotFound => anyhow::anyhow!("no such account"),
        other => anyhow::anyhow!("{other}"),
    }
}
