//! `learning-zone`: the one binary. Serves the platform, migrates, loads demo data, manages
//! users and tokens, and backs up and restores the data directory.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use lz_app::config::{LogFormat, SETTINGS};
use lz_app::{App, Config};
use lz_domain::Role;

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

/// Address space of the text-extraction child: a large deck needs well under this.
const EXTRACT_MEMORY_MIB: u64 = 1024;

#[derive(Parser)]
#[command(name = "learning-zone", version, about = "Learning Zone: share learning and practice across a network of places and partners", after_help = settings_help())]
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
        memory_mib,
        cpu_seconds,
    } = &cli.command
    {
        return extract_text(kind, *memory_mib, *cpu_seconds);
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
            memory_mib,
            cpu_seconds,
        } => extract_text(&kind, memory_mib, cpu_seconds),
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
        Command::Backup { path } => backup(config, &path).await,
        Command::Restore { path } => restore(config, &path).await,
    }
}

/// `demo`: the demo network, or `--synthetic N` library items for benchmarks.
async fn demo(config: Config, synthetic: Option<u64>) -> Result<()> {
    let app = open(config).await?;
    let Some(n) = synthetic else {
        let accounts = app.load_demo().await.map_err(|e| anyhow::anyhow!("{e}"))?;
        print_demo_accounts(&accounts);
        return Ok(());
    };
    let bar = progress_bar(n, "items");
    app.generate_synthetic(n, |done| bar.set_position(done))
        .await
        .map_err(|e| anyhow::anyhow!("generating synthetic items: {e}"))?;
    bar.finish();
    println!("Added {n} synthetic items. Run `learning-zone reindex` (or start the server) to index them.");
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

/// `user create`: an account with a role; the password from standard input, or generated
/// and shown once.
async fn create_user(config: Config, email: &str, name: &str, role: &str) -> Result<()> {
    let role: Role = role.parse().map_err(|e| anyhow::anyhow!("--role: {e}"))?;
    let (password, generated) = read_or_generate_password()?;
    let app = open(config).await?;
    app.accounts()
        .create_user_direct(email, name, &password, role)
        .await
        .map_err(describe)?;
    println!("Created {email} ({}).", role.label());
    if generated {
        println!("Password (shown once): {password}");
    }
    Ok(())
}

/// The `extract-text` child: limits itself, reads the document, prints its text.
fn extract_text(kind: &str, memory_mib: u64, cpu_seconds: u64) -> Result<()> {
    limit_resources(memory_mib, cpu_seconds)?;
    let kind = lz_files::FileKind::parse(kind).with_context(|| format!("--kind {kind}"))?;
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .context("reading the document from standard input")?;
    let text = lz_files::extract_text(kind, &bytes, &lz_files::ExtractLimits::default())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
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

fn read_or_generate_password() -> Result<(String, bool)> {
    if std::io::stdin().is_terminal() {
        return Ok((
            lz_app::secrets::random_token("").chars().take(24).collect(),
            true,
        ));
    }
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("reading the password from standard input")?;
    let p = s.trim_end_matches(['\n', '\r']).to_string();
    if p.is_empty() {
        Ok((
            lz_app::secrets::random_token("").chars().take(24).collect(),
            true,
        ))
    } else {
        Ok((p, false))
    }
}

fn print_demo_accounts(accounts: &[lz_app::demo::DemoAccount]) {
    println!(
        "Demo data loaded. Demo accounts (password for all: {:?}):",
        lz_app::demo::DEMO_PASSWORD
    );
    for a in accounts {
        println!("  {:<16} {:<45} {}", a.role.label(), a.email, a.name);
    }
}

async fn serve(config: Config, demo: bool) -> Result<()> {
    let addr = config.addr;
    let mut app = open(config).await?;
    match std::env::current_exe() {
        Ok(me) => app.use_extractor_program(me, EXTRACT_MEMORY_MIB),
        Err(e) => tracing::warn!(error = %e, "own path unknown: extracting text in process"),
    }
    if demo {
        match app.load_demo().await {
            Ok(accounts) => print_demo_accounts(&accounts),
            Err(lz_app::AppError::Conflict(_)) => println!(
                "The database already holds data: demo data not loaded again. Demo password: {:?}",
                lz_app::demo::DEMO_PASSWORD
            ),
            Err(e) => bail!("loading demo data: {e}"),
        }
    }
    // Replay the search change log before serving, so that no search misses an item that
    // was acknowledged before a crash.
    let replayed = app
        .catch_up_index()
        .await
        .map_err(|e| anyhow::anyhow!("bringing the search index up to date: {e}"))?;
    if replayed > 0 {
        tracing::info!(replayed, "search index brought up to date");
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr} (LZ_ADDR)"))?;
    let local = listener.local_addr().context("reading the bound address")?;
    println!("Learning Zone is running at http://{local}/ (stop with Ctrl+C)");
    tracing::info!(%local, "listening");

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mailer = tokio::spawn(app.clone().run_mailer(stop_rx.clone()));
    let indexer = tokio::spawn(app.clone().run_indexer(stop_rx.clone()));
    let extractor = tokio::spawn(app.clone().run_extractor(stop_rx.clone()));
    let sweeper = tokio::spawn(app.clone().run_housekeeping(stop_rx));
    let shutdown = async move {
        wait_for_signal().await;
        tracing::info!("shutting down: finishing requests in flight");
    };
    lz_web::serve(app.clone(), listener, shutdown)
        .await
        .context("serving HTTP")?;
    let _ = stop_tx.send(true);
    let _ = mailer.await;
    let _ = sweeper.await;
    let _ = indexer.await;
    let _ = extractor.await;
    app.db.close().await;
    Ok(())
}

async fn wait_for_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

struct PlanImportOptions {
    dry_run: bool,
    json: bool,
    kind: String,
    plan: Option<String>,
    owner: Option<String>,
    visibility: String,
    accept_flags: bool,
    title: Option<String>,
}

async fn plan_import(config: Config, file: &Path, o: PlanImportOptions) -> Result<()> {
    let meta = std::fs::metadata(file).with_context(|| format!("reading {}", file.display()))?;
    if meta.len() > lz_domain::plan_import::MAX_IMPORT_BYTES as u64 {
        bail!(
            "{} is too large to be a plan document ({} bytes)",
            file.display(),
            meta.len()
        );
    }
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "{} is not UTF-8 text: save the document as plain text (UTF-8)",
            file.display()
        )
    })?;
    let is_plan = match o.kind.as_str() {
        "plan" => true,
        "minutes" => false,
        _ => lz_domain::plan_import::parse_plan(&text).is_ok(),
    };
    let app = open(config).await?;
    let (parsed, flags) = if is_plan {
        let p = app.plans().preview_plan(None, &text).map_err(describe)?;
        let n = p.flags.len() + p.work_areas.iter().map(|w| w.flags.len()).sum::<usize>();
        (serde_json::to_value(&p)?, n)
    } else {
        let m = app.plans().preview_minutes(&text).map_err(describe)?;
        let n = m.flags.len() + m.actions.iter().map(|a| a.flags.len()).sum::<usize>();
        (serde_json::to_value(&m)?, n)
    };
    if o.json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"kind": if is_plan { "plan" } else { "minutes" }, "parsed": parsed, "flag_count": flags})
            )?
        );
    } else {
        print_parsed(&parsed, is_plan);
    }
    if o.dry_run {
        eprintln!("Dry run: nothing saved ({flags} field(s) flagged for checking).");
        return Ok(());
    }
    if flags > 0 && !o.accept_flags {
        bail!("{flags} field(s) are flagged for checking: review them (--dry-run), then run again with --accept-flags, or import in the web page's review screen");
    }
    let owner = match &o.owner {
        None => None,
        Some(slug) => Some(
            app.organisations()
                .await
                .map_err(describe)?
                .into_iter()
                .find(|g| &g.slug == slug)
                .map(|g| g.id)
                .ok_or_else(|| anyhow::anyhow!("--owner: no organisation {slug:?}"))?,
        ),
    };
    if is_plan {
        let input = lz_app::plans::PlanImport {
            text,
            title: o.title,
            owner_organisation_id: owner,
            visibility: o.visibility,
            confirmed: true,
        };
        let id = app
            .plans()
            .import_plan(None, &input)
            .await
            .map_err(describe)?;
        eprintln!("Saved plan {id}");
    } else {
        let plan_id = match o.plan {
            Some(id) => id,
            None => {
                let title = parsed["title"]
                    .as_str()
                    .unwrap_or("Executive meeting")
                    .to_string();
                app.plans()
                    .create_plan(None, &title, owner.as_deref(), &o.visibility)
                    .await
                    .map_err(describe)?
            }
        };
        let id = app
            .plans()
            .import_minutes(None, &plan_id, &text)
            .await
            .map_err(describe)?;
        eprintln!("Saved meeting {id} in plan {plan_id}");
    }
    Ok(())
}

fn print_parsed(v: &serde_json::Value, is_plan: bool) {
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    println!("{}", s(&v["title"]));
    if is_plan {
        for (i, w) in v["work_areas"].as_array().into_iter().flatten().enumerate() {
            let leads: Vec<String> = w["accountable_leads"]
                .as_array()
                .into_iter()
                .flatten()
                .map(s)
                .collect();
            let total = w["budget_total_pence"]
                .as_i64()
                .map(|p| format!("£{:.2}", p as f64 / 100.0))
                .unwrap_or_else(|| "none".into());
            println!(
                "{}. {}
   leads: {}
   budget: {total}
   dates: {} to {}",
                i + 1,
                s(&w["title"]),
                leads.join(", "),
                s(&w["start"]),
                if w["end_open"] == true {
                    "ongoing".into()
                } else {
                    s(&w["end"])
                }
            );
            for f in w["flags"].as_array().into_iter().flatten() {
                println!("   CHECK {}: {}", s(&f["field"]), s(&f["message"]));
            }
        }
    } else {
        for (i, m) in v["mandates"].as_array().into_iter().flatten().enumerate() {
            println!("mandate {}. {}", i + 1, s(m));
        }
        for a in v["actions"].as_array().into_iter().flatten() {
            println!(
                "action: {} (owner: {}, due: {})",
                s(&a["description"]),
                s(&a["owner"]),
                s(&a["due"])
            );
        }
    }
    for f in v["flags"].as_array().into_iter().flatten() {
        println!("CHECK {}: {}", s(&f["field"]), s(&f["message"]));
    }
}

const BACKUP_DB: &str = "learning-zone.db";

async fn backup(config: Config, path: &Path) -> Result<()> {
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

async fn restore(config: Config, path: &Path) -> Result<()> {
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
