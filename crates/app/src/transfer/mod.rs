//! Bringing material in and letting it out: past network meetings from an export of meeting
//! records (`meetings`), the whole site as documented JSON Lines files with the stored files
//! (`site`, for the host: `learning-zone export` and `import`), and an organisation's own
//! library items as a ZIP (`organisation`, for its admins, from the web). Reached through
//! `app.transfer()`; who may do which is decided in `access`.

pub mod access;
pub mod folder;
pub mod meetings;
mod organisation;
mod site;
pub mod tables;

pub use organisation::OrganisationExport;
pub use site::{ExportSummary, ImportSummary};

use crate::App;

/// The use cases: `app.transfer().export_site(…)`.
pub struct Transfer<'a> {
    app: &'a App,
}

impl App {
    pub fn transfer(&self) -> Transfer<'_> {
        Transfer { app: self }
    }
}

/// What `manifest.json` names the format, and its version (raised when a reader of an older
/// version could misread a newer export; added tables and columns do not raise it).
pub const FORMAT: &str = "learning-zone-export";
pub const FORMAT_VERSION: u32 = 1;

/// `manifest.json`: what the export holds (documented in `docs/EXPORT.md`).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// The newest database migration of the instance that wrote it.
    pub schema_version: i64,
    pub app_version: String,
    pub exported_at: String,
    /// `site`, or `organisation:<slug>`.
    pub scope: String,
    #[serde(default)]
    pub with_secrets: bool,
    pub tables: Vec<TableEntry>,
    /// Stored files (under `files/`), each named by the SHA-256 of its bytes.
    #[serde(default)]
    pub files: Vec<String>,
    /// Files that rows name but that storage no longer had when the export was made.
    #[serde(default)]
    pub missing_files: Vec<String>,
}

impl Manifest {
    /// A manifest of this version for `scope`, made `now_ms`; tables and files are added as
    /// they are written.
    fn new(scope: String, schema_version: i64, with_secrets: bool, now_ms: i64) -> Self {
        Manifest {
            format: FORMAT.to_string(),
            format_version: FORMAT_VERSION,
            schema_version,
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            exported_at: lz_domain::dates::rfc3339(now_ms / 1000).unwrap_or_default(),
            scope,
            with_secrets,
            tables: Vec::new(),
            files: Vec::new(),
            missing_files: Vec::new(),
        }
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct TableEntry {
    pub name: String,
    pub file: String,
    pub rows: u64,
}

/// Written beside the data so that whoever opens the folder knows what it is.
const README: &str = "This is an export from Learning Zone.

manifest.json        what the export holds: its format version, when it was made, and every
                     table with its file and number of rows
tables/NAME.jsonl    one table per file, one row per line as a JSON object (JSON Lines);
                     times are UTC milliseconds since 1970-01-01, ids are text
files/KEY            the stored files (attachments, uploaded figures), each named by the
                     SHA-256 of its bytes; rows name them in their storage_key column
items/ID.md          (organisation exports) each library item as readable Markdown

Passwords, sign-in sessions and other secrets are not in an export unless the host asked for
them (--with-secrets). `learning-zone import PATH` loads a whole-site export into an empty
instance, on SQLite or PostgreSQL. The format is described in docs/EXPORT.md of Learning Zone.
";
