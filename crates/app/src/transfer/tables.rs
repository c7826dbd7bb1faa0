//! What a site export holds: every table of the schema is either exported (in `TABLES`, in
//! an order that satisfies every foreign key) or left out for a stated reason (`LEFT_OUT`).
//! A test fails when a migration adds a table that is in neither list.

/// One exported table.
pub struct TableSpec {
    pub name: &'static str,
    /// A column that refers to another row of the same table: rows are inserted parents
    /// first.
    pub parent: Option<&'static str>,
    /// Reference data every instance seeds itself when it opens: the seeded rows are replaced
    /// by the export's.
    pub seeded: bool,
    /// Exported only with `--with-secrets` (hashes of tokens that open the site).
    pub secret: bool,
    /// Columns that hold secrets, and what they become without `--with-secrets`.
    pub blanked: &'static [(&'static str, Blank)],
}

#[derive(Debug, Clone, Copy)]
pub enum Blank {
    Empty,
    Null,
}

const fn table(name: &'static str) -> TableSpec {
    TableSpec {
        name,
        parent: None,
        seeded: false,
        secret: false,
        blanked: &[],
    }
}

/// The exported tables, parents before children (the order the migrations create them in).
pub const TABLES: &[TableSpec] = &[
    table("places"),
    table("organisations"),
    table("organisation_domains"),
    TableSpec {
        // Without secrets people keep their accounts and sign in after a password reset.
        blanked: &[("password_hash", Blank::Empty)],
        ..table("users")
    },
    table("memberships"),
    TableSpec {
        secret: true,
        ..table("api_tokens")
    },
    table("audit_log"),
    table("plans"),
    table("work_areas"),
    table("work_area_leads"),
    table("budget_lines"),
    table("outcomes"),
    table("milestones"),
    table("meetings"),
    table("actions"),
    table("work_area_updates"),
    table("report_schedules"),
    TableSpec {
        parent: Some("merged_into"),
        ..table("terms")
    },
    table("items"),
    table("item_authors"),
    table("item_terms"),
    table("item_links"),
    table("item_versions"),
    table("item_reviews"),
    table("attachments"),
    table("item_marks"),
    table("follows"),
    table("search_misses"),
    table("work_area_links"),
    table("event_series"),
    table("series_terms"),
    table("events"),
    table("event_terms"),
    table("event_organisers"),
    TableSpec {
        // A guest's link to manage their registration; they can ask for a new one.
        blanked: &[("token_hash", Blank::Null)],
        ..table("registrations")
    },
    table("event_feedback"),
    table("event_materials"),
    table("work_area_events"),
    table("work_area_places"),
    table("evidence"),
    table("evidence_agendas"),
    table("evidence_places"),
    table("evidence_organisations"),
    table("collections"),
    table("collection_curators"),
    table("collection_sections"),
    table("collection_evidence"),
    table("collection_events"),
    table("collection_versions"),
    TableSpec {
        secret: true,
        ..table("share_links")
    },
    TableSpec {
        parent: Some("parent_code"),
        seeded: true,
        ..table("areas")
    },
    table("place_areas"),
    table("indicators"),
    table("indicator_imports"),
    table("observations"),
    table("observation_history"),
    table("item_indicators"),
    table("evidence_indicators"),
    table("outcome_figures"),
];

/// Tables no export holds, and why.
pub const LEFT_OUT: &[(&str, &str)] = &[
    (
        "sessions",
        "sign-ins end with the move: everyone signs in again",
    ),
    (
        "email_tokens",
        "links in emails already sent (confirmations, resets) are not carried over",
    ),
    (
        "outbox",
        "mail waiting to be sent holds one-use links; it is sent or dropped before the move",
    ),
    ("throttle", "counts of recent attempts, kept for minutes"),
    (
        "search_changes",
        "the search index's queue: the index is rebuilt after an import",
    ),
];

/// Columns whose values are keys in file storage: the files they name go with the export.
pub const FILE_COLUMNS: &[(&str, &str)] = &[
    ("attachments", "storage_key"),
    ("indicator_imports", "storage_key"),
];

pub fn spec(name: &str) -> Option<&'static TableSpec> {
    TABLES.iter().find(|t| t.name == name)
}
