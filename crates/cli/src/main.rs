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
    /// Load the demo network into an empty database.
    Demo,
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
enum TokenCommand {
    /// Create a personal API token for an account; it is printed once and stored hashed.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Command line")]
        name: String,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let config = Config::load(cli.config.as_deref(), std::env::vars())?;
    init_logging(&config);
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
        Command::Demo => {
            let app = open(config).await?;
            let accounts = app.load_demo().await.map_err(|e| anyhow::anyhow!("{e}"))?;
            print_demo_accounts(&accounts);
            Ok(())
        }
        Command::User {
            command: UserCommand::Create { email, name, role },
        } => {
            let role: Role = role.parse().map_err(|e| anyhow::anyhow!("--role: {e}"))?;
            let (password, generated) = read_or_generate_password()?;
            let app = open(config).await?;
            app.create_user_direct(&email, &name, &password, role)
                .await
                .map_err(describe)?;
            println!("Created {email} ({}).", role.label());
            if generated {
                println!("Password (shown once): {password}");
            }
            Ok(())
        }
        Command::Token {
            command: TokenCommand::Create { email, name },
        } => {
            let app = open(config).await?;
            let token = app
                .create_api_token_for_email(&email, &name)
                .await
                .map_err(describe)?;
            println!("{token}");
            eprintln!("This token is shown once. Send it as: Authorization: Bearer <token>");
            Ok(())
        }
        Command::Backup { path } => backup(config, &path).await,
        Command::Restore { path } => restore(config, &path).await,
    }
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
    let app = open(config).await?;
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
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr} (LZ_ADDR)"))?;
    let local = listener.local_addr().context("reading the bound address")?;
    println!("Learning Zone is running at http://{local}/ (stop with Ctrl+C)");
    tracing::info!(%local, "listening");

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mailer = tokio::spawn(app.clone().run_mailer(stop_rx.clone()));
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
