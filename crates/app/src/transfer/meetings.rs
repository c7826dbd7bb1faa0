//! Bringing past network meetings in: a CSV or JSON export of meeting records (date,
//! meeting, topic, presenters, organisation, recording link, slides, summary, attendance)
//! becomes published library items of kind event material, and, where a meeting series is
//! named, past events of that series with the items as their materials. Read first, shown
//! with its flags (unknown organisations with the nearest match offered, dates that do not
//! read, records already imported, links that are not web addresses), saved only when
//! confirmed, all in one transaction; importing the same file again adds nothing.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use lz_domain::meetings::{self, Field, MeetingRecord};
use lz_store::library::{self as library_store, ItemContent};

use super::access;
use super::Transfer;
use crate::{new_id, Actor, AppError, AppResult, Audit, Context};

/// At most this many records in one file.
pub const MAX_RECORDS: usize = 5_000;

/// A file read and checked against what the site holds: nothing saved yet.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MeetingsPreview {
    /// The file as UTF-8 (carried by the review form to the save).
    #[serde(skip)]
    pub text: String,
    /// "CSV" or "JSON".
    pub format: &'static str,
    /// Set when the file was not UTF-8 and was converted (Excel saves CSV as Windows-1252).
    pub converted_from: Option<&'static str>,
    /// Columns in the file that no field uses.
    pub unused_columns: Vec<String>,
    pub records: Vec<PreviewRecord>,
    /// Organisations named in the file that the site does not know, with what each becomes.
    pub unknown_organisations: Vec<UnknownOrganisation>,
    /// Meeting series named in the file: known ones get the past events; new ones are made.
    pub series: Vec<PreviewSeries>,
    pub to_import: usize,
    pub already_imported: usize,
    pub left_out: usize,
    /// Problems to confirm before saving (records left out, links dropped, unknown names).
    pub flag_count: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PreviewRecord {
    pub line: usize,
    pub date: Option<String>,
    pub series: String,
    pub topic: String,
    pub presenters: Vec<String>,
    /// The organisation the item will belong to.
    pub organisation_id: Option<String>,
    pub organisation_name: String,
    pub recording: Option<String>,
    pub slides: String,
    pub summary: String,
    pub attendees: Option<u32>,
    /// "new", "already_imported" (with `item_id`), or "left_out".
    pub outcome: &'static str,
    pub item_id: Option<String>,
    pub flags: Vec<String>,
    #[serde(skip)]
    key: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct UnknownOrganisation {
    /// As the file writes it.
    pub name: String,
    /// The nearest known organisation, when one is near enough to offer.
    pub suggestion: Option<(String, String)>,
    /// What the records of this name will belong to (the choice made, else the suggestion,
    /// else the importer's own organisation).
    pub becomes: Option<(String, String)>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PreviewSeries {
    pub title: String,
    /// The series' id when the site has it already.
    pub id: Option<String>,
    pub records: usize,
}

/// What the person decides on the review screen (or the API call says).
#[derive(Debug, Clone, Default)]
pub struct MeetingsChoices {
    /// "network" or "public": who may see the items and events.
    pub visibility: String,
    /// Unknown organisation names mapped to organisations (by id).
    pub organisations: Vec<(String, String)>,
    /// The flags were checked.
    pub confirmed: bool,
}

/// What a save made.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MeetingsImported {
    pub items: usize,
    pub events: usize,
    pub series_created: usize,
    pub already_imported: usize,
    pub left_out: usize,
    /// The series the past events went into: (id, title).
    pub series: Vec<(String, String)>,
}

/// Who may see the records: every signed-in partner (the default) or anyone.
fn visibility_of(choices: &MeetingsChoices) -> AppResult<&'static str> {
    match choices.visibility.as_str() {
        "" | "network" => Ok("network"),
        "public" => Ok("public"),
        _ => Err(AppError::field(
            "visibility",
            "Choose who can see the records: every signed-in partner, or anyone",
        )),
    }
}

/// The largest file: half a form's body, since the review form carries the file's text back
/// to the save (escaped, it grows).
pub fn max_file_bytes(config: &crate::Config) -> usize {
    config.max_body_bytes / 2
}

fn bad_file(message: impl Into<String>) -> AppError {
    AppError::field("file", message)
}

/// The file's text and, when it was not UTF-8, the encoding it was converted from.
pub fn decode(bytes: &[u8]) -> (String, Option<&'static str>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(_) => {
            // What Excel writes for "CSV" on Windows in the UK.
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), Some("Windows-1252"))
        }
    }
}

/// The records of a CSV or JSON file, the format's name, and the unused columns.
fn read_records(
    text: &str,
    today: Date,
) -> AppResult<(Vec<MeetingRecord>, &'static str, Vec<String>)> {
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err(bad_file("The file is empty"));
    }
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        return read_json(trimmed, today).map(|(r, unused)| (r, "JSON", unused));
    }
    read_csv(text, today).map(|(r, unused)| (r, "CSV", unused))
}

fn read_csv(text: &str, today: Date) -> AppResult<(Vec<MeetingRecord>, Vec<String>)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headings = reader
        .headers()
        .map_err(|e| {
            bad_file(format!(
                "The first line of the file cannot be read as CSV headings: {e}"
            ))
        })?
        .clone();
    let fields: Vec<Option<Field>> = headings.iter().map(meetings::field_of).collect();
    require_columns(&fields, headings.iter())?;
    let unused = headings
        .iter()
        .zip(&fields)
        .filter(|(h, f)| f.is_none() && !h.trim().is_empty())
        .map(|(h, _)| h.to_string())
        .collect();
    let mut records = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row =
            row.map_err(|e| bad_file(format!("Record {} cannot be read as CSV: {e}", i + 1)))?;
        // The line it starts on (a quoted field may hold line breaks).
        let line = row.position().map_or(i + 2, |p| p.line() as usize);
        if row.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if records.len() == MAX_RECORDS {
            return Err(bad_file(format!(
                "The file has more than {MAX_RECORDS} records: split it into smaller files"
            )));
        }
        records.push(MeetingRecord::read(line, today, |f| {
            fields
                .iter()
                .position(|g| *g == Some(f))
                .and_then(|i| row.get(i))
                .unwrap_or_default()
                .to_string()
        }));
    }
    Ok((records, unused))
}

fn require_columns<'a>(
    fields: &[Option<Field>],
    headings: impl Iterator<Item = &'a str>,
) -> AppResult<()> {
    let missing: Vec<&str> = [Field::Date, Field::Topic]
        .into_iter()
        .filter(|f| !fields.contains(&Some(*f)))
        .map(Field::column)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let found: Vec<&str> = headings.filter(|h| !h.trim().is_empty()).collect();
    Err(bad_file(format!(
        "The file needs a column for the {} (download the template to see the headings); its columns are: {}",
        missing.join(" and the "),
        if found.is_empty() {
            "none".to_string()
        } else {
            found.join(", ")
        }
    )))
}

fn read_json(text: &str, today: Date) -> AppResult<(Vec<MeetingRecord>, Vec<String>)> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| bad_file(format!("The file is not valid JSON: {e}")))?;
    let list = match &value {
        serde_json::Value::Array(list) => list,
        serde_json::Value::Object(o) => match ["meetings", "records"].iter().find_map(|k| o.get(*k))
        {
            Some(serde_json::Value::Array(list)) => list,
            _ => return Err(bad_file(
                "The JSON must be a list of meeting records, or an object with a \"meetings\" list",
            )),
        },
        _ => return Err(bad_file("The JSON must be a list of meeting records")),
    };
    if list.len() > MAX_RECORDS {
        return Err(bad_file(format!(
            "The file has more than {MAX_RECORDS} records: split it into smaller files"
        )));
    }
    let mut unused: Vec<String> = Vec::new();
    let mut seen: HashSet<Field> = HashSet::new();
    let mut records = Vec::new();
    for (i, entry) in list.iter().enumerate() {
        let serde_json::Value::Object(o) = entry else {
            return Err(bad_file(format!(
                "Record {} is not an object of named fields",
                i + 1
            )));
        };
        let mut by_field: HashMap<Field, String> = HashMap::new();
        for (k, v) in o {
            let Some(f) = meetings::field_of(k) else {
                if !unused.contains(k) {
                    unused.push(k.clone());
                }
                continue;
            };
            seen.insert(f);
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .filter_map(|x| x.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                _ => String::new(),
            };
            by_field.insert(f, text);
        }
        records.push(MeetingRecord::read(i + 1, today, |f| {
            by_field.get(&f).cloned().unwrap_or_default()
        }));
    }
    let both = seen.contains(&Field::Date) && seen.contains(&Field::Topic);
    if !records.is_empty() && !both {
        let fields: Vec<Option<Field>> = seen.iter().copied().map(Some).collect();
        require_columns(&fields, std::iter::empty())?;
    }
    Ok((records, unused))
}

/// Organisations by id: (id, name, place).
struct Known {
    organisations: Vec<lz_store::network::OrganisationRow>,
}

impl Known {
    fn by_name(&self, name: &str) -> Option<&lz_store::network::OrganisationRow> {
        let lower = name.to_lowercase();
        self.organisations
            .iter()
            .find(|o| o.name.to_lowercase() == lower || o.slug == lower)
    }

    fn by_id(&self, id: &str) -> Option<&lz_store::network::OrganisationRow> {
        self.organisations.iter().find(|o| o.id == id)
    }

    fn nearest(&self, name: &str) -> Option<&lz_store::network::OrganisationRow> {
        self.organisations
            .iter()
            .map(|o| (meetings::name_likeness(name, &o.name), o))
            .filter(|(score, _)| *score >= 0.6)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, o)| o)
    }
}

impl Transfer<'_> {
    /// Reads a file of meeting records and says what saving it would do.
    pub async fn preview_meetings(
        &self,
        actor: &Actor,
        bytes: &[u8],
        choices: &MeetingsChoices,
    ) -> AppResult<MeetingsPreview> {
        access::require_import_meetings(actor)?;
        visibility_of(choices)?;
        let max = max_file_bytes(&self.app.config);
        if bytes.len() > max {
            return Err(bad_file(format!(
                "The file is larger than {} KB: split it into smaller files (a year of meetings at a time)",
                max / 1024
            )));
        }
        let (text, converted_from) = decode(bytes);
        self.plan(actor, text, converted_from, choices).await
    }

    async fn plan(
        &self,
        actor: &Actor,
        text: String,
        converted_from: Option<&'static str>,
        choices: &MeetingsChoices,
    ) -> AppResult<MeetingsPreview> {
        let today = lz_domain::dates::utc_date(self.app.now() / 1000)
            .ok_or_else(|| AppError::internal("today's date"))?;
        let (records, format, unused_columns) = read_records(&text, today)?;
        if records.is_empty() {
            return Err(bad_file("The file has headings but no records"));
        }
        let mut c = self.app.db.acquire().await?;
        let known = Known {
            organisations: lz_store::network::organisations(&mut c).await?,
        };
        let imported: HashMap<String, String> = library_store::import_keys(&mut c)
            .await?
            .into_iter()
            .collect();
        let own = actor
            .active_memberships()
            .next()
            .and_then(|m| known.by_id(m.organisation_id.as_str()));
        let chosen = |name: &str| {
            choices
                .organisations
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, id)| known.by_id(id))
        };
        let mut nearest: HashMap<String, Option<&lz_store::network::OrganisationRow>> =
            HashMap::new();
        let mut unknown: Vec<UnknownOrganisation> = Vec::new();
        let mut series: Vec<PreviewSeries> = Vec::new();
        let mut seen_keys: HashSet<String> = HashSet::new();
        let mut out = Vec::with_capacity(records.len());
        let (mut to_import, mut already, mut left_out, mut flag_count) = (0, 0, 0, 0);
        for r in records {
            let mut flags: Vec<String> = r.problems.iter().map(|p| p.message()).collect();
            let key = r.key();
            let organisation = if r.organisation.is_empty() {
                if own.is_none() {
                    flags.push("no organisation is named, and you belong to none: the record is left out (name its organisation in the file)".into());
                }
                own
            } else if let Some(o) = known.by_name(&r.organisation) {
                Some(o)
            } else {
                let suggestion = *nearest
                    .entry(r.organisation.clone())
                    .or_insert_with(|| known.nearest(&r.organisation));
                let becomes = chosen(&r.organisation).or(suggestion).or(own);
                if !unknown.iter().any(|u| u.name == r.organisation) {
                    unknown.push(UnknownOrganisation {
                        name: r.organisation.clone(),
                        suggestion: suggestion.map(|o| (o.id.clone(), o.name.clone())),
                        becomes: becomes.map(|o| (o.id.clone(), o.name.clone())),
                    });
                }
                flags.push(match becomes {
                    Some(o) => format!(
                        "“{}” is not an organisation here: it will be {}",
                        r.organisation, o.name
                    ),
                    None => format!(
                        "“{}” is not an organisation here: choose one below, or the record is left out",
                        r.organisation
                    ),
                });
                becomes
            };
            let (outcome, item_id) = if r.left_out() || organisation.is_none() {
                left_out += 1;
                ("left_out", None)
            } else if let Some(id) = imported.get(&key) {
                already += 1;
                ("already_imported", Some(id.clone()))
            } else if !seen_keys.insert(key.clone()) {
                flags.push(
                    "the same meeting and topic on the same day as an earlier line: left out"
                        .into(),
                );
                left_out += 1;
                ("left_out", None)
            } else {
                to_import += 1;
                ("new", None)
            };
            if outcome == "new" && !r.series.is_empty() {
                match series
                    .iter_mut()
                    .find(|s| s.title.to_lowercase() == r.series.to_lowercase())
                {
                    Some(s) => s.records += 1,
                    None => series.push(PreviewSeries {
                        title: r.series.clone(),
                        id: lz_store::events::series_by_title(&mut c, &r.series)
                            .await?
                            .map(|s| s.id),
                        records: 1,
                    }),
                }
            }
            flag_count += flags.len();
            out.push(PreviewRecord {
                line: r.line,
                date: r.date.map(lz_domain::dates::iso),
                series: r.series,
                topic: r.topic,
                presenters: r.presenters,
                organisation_id: organisation.map(|o| o.id.clone()),
                organisation_name: organisation.map(|o| o.name.clone()).unwrap_or_default(),
                recording: r.recording,
                slides: r.slides,
                summary: r.summary,
                attendees: r.attendees,
                outcome,
                item_id,
                flags,
                key,
            });
        }
        Ok(MeetingsPreview {
            text,
            format,
            converted_from,
            unused_columns,
            records: out,
            unknown_organisations: unknown,
            series,
            to_import,
            already_imported: already,
            left_out,
            flag_count,
        })
    }

    /// Saves the records of `text` (as the review showed them, with `choices`), all in one
    /// transaction; records already imported are left as they are.
    pub async fn import_meetings(
        &self,
        actor: &Actor,
        text: &str,
        choices: &MeetingsChoices,
    ) -> AppResult<MeetingsImported> {
        access::require_import_meetings(actor)?;
        let visibility = visibility_of(choices)?;
        let preview = self.plan(actor, text.to_string(), None, choices).await?;
        if preview.flag_count > 0 && !choices.confirmed {
            return Err(AppError::field(
                "confirmed",
                "Confirm that you have checked the flagged records",
            ));
        }
        if preview.to_import == 0 {
            return Err(AppError::field(
                "file",
                "There is nothing new to import: every record is already here or left out",
            ));
        }
        let now = self.app.now();
        let places: HashMap<String, Option<String>> = {
            let mut c = self.app.db.acquire().await?;
            lz_store::network::organisations(&mut c)
                .await?
                .into_iter()
                .map(|o| (o.id, o.place_id))
                .collect()
        };
        let mut tx = self.app.db.begin().await?;
        let mut series_ids: HashMap<String, (String, String)> = HashMap::new();
        let mut series_created = 0;
        let (mut items, mut events) = (0, 0);
        for r in preview.records.iter().filter(|r| r.outcome == "new") {
            let Some(organisation_id) = r.organisation_id.clone() else {
                continue;
            };
            let date = r.date.clone().unwrap_or_default();
            let item_id = new_id();
            let content = item_content(r, &organisation_id, &places, visibility);
            library_store::insert_item(&mut tx, &item_id, &content, "published", actor.id(), now)
                .await?;
            library_store::mark_imported(&mut tx, &item_id, &r.key, now)
                .await
                .map_err(|e| match e {
                    // A second save of the same file at the same moment (a double click).
                    lz_store::StoreError::Conflict(_) => AppError::field(
                        "file",
                        "These records were saved a moment ago by another save: nothing was added twice",
                    ),
                    e => e.into(),
                })?;
            let snapshot = serde_json::to_string(&content).context("version snapshot")?;
            library_store::insert_version(
                &mut tx,
                &new_id(),
                &item_id,
                1,
                "published",
                &snapshot,
                Some(actor.id()),
                now,
            )
            .await?;
            library_store::log_change(&mut tx, &item_id, now).await?;
            items += 1;
            if r.series.is_empty() {
                continue;
            }
            let lower = r.series.to_lowercase();
            let series_id = match series_ids.get(&lower) {
                Some((id, _)) => id.clone(),
                None => {
                    let found = lz_store::events::series_by_title(&mut tx, &r.series).await?;
                    let id = match found {
                        Some(s) => s.id,
                        None => {
                            let row = lz_store::events::SeriesRow {
                                id: new_id(),
                                title: r.series.clone(),
                                purpose: String::new(),
                                organisation_id: organisation_id.clone(),
                                created_by: actor.id().to_string(),
                                created_at: now,
                            };
                            lz_store::events::insert_series(&mut tx, &row, &[], now).await?;
                            series_created += 1;
                            row.id
                        }
                    };
                    series_ids.insert(lower, (id.clone(), r.series.clone()));
                    id
                }
            };
            let event_id = new_id();
            let event = past_event(r, &date, &series_id, &organisation_id, visibility)?;
            lz_store::events::insert_event(&mut tx, &event_id, &event, actor.id(), now).await?;
            lz_store::events::link_material(&mut tx, &event_id, &item_id, now).await?;
            events += 1;
        }
        let detail = format!(
            "{items} items, {events} past events, {series_created} new series from meeting records"
        );
        Audit::new(
            Some(actor.id()),
            "meetings.import",
            ("import", &new_id()),
            &detail,
        )
        .commit(tx, now)
        .await?;
        self.app.wake_indexer();
        let mut series: Vec<(String, String)> = series_ids.into_values().collect();
        series.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(MeetingsImported {
            items,
            events,
            series_created,
            already_imported: preview.already_imported,
            left_out: preview.left_out,
            series,
        })
    }
}

/// The library item a record becomes: event material, titled by its topic, first published
/// on the meeting's day, by its presenters.
fn item_content(
    r: &PreviewRecord,
    organisation_id: &str,
    places: &HashMap<String, Option<String>>,
    visibility: &str,
) -> ItemContent {
    let date = r.date.clone().unwrap_or_default();
    let when = lz_domain::dates::parse_iso_date(&date)
        .map(|d| d.strftime("%-d %B %Y").to_string())
        .unwrap_or_else(|| date.clone());
    let summary = item_summary(r);
    let mut body = Vec::new();
    if r.summary.chars().count() > meetings::MAX_SUMMARY {
        // The notes in full; the summary is their start.
        body.push(r.summary.clone());
    }
    if !r.series.is_empty() {
        body.push(format!(
            "Presented at **{}** on {when}.",
            escape_md(&r.series)
        ));
    }
    if let Some(n) = r.attendees {
        body.push(format!("{n} people attended."));
    }
    if !r.slides.is_empty() {
        body.push(format!(
            "Slides: {} (the file itself is not part of this record: attach it to this item).",
            escape_md(&r.slides)
        ));
    }
    ItemContent {
        kind: "event_material".into(),
        title: r.topic.clone(),
        summary,
        body_md: body.join("\n\n"),
        organisation_id: organisation_id.to_string(),
        place_id: places.get(organisation_id).cloned().flatten(),
        visibility: visibility.to_string(),
        authors: r.presenters.iter().map(|p| (None, p.clone())).collect(),
        links: r
            .recording
            .iter()
            .map(|url| (url.clone(), "Recording".to_string()))
            .collect(),
        original_date: Some(date),
        ..ItemContent::default()
    }
}

/// The item's (and the event's) summary: the record's, shortened to an item's limit at a
/// word, or where it was presented when it has none.
fn item_summary(r: &PreviewRecord) -> String {
    if r.summary.is_empty() {
        let when = r
            .date
            .as_deref()
            .and_then(lz_domain::dates::parse_iso_date)
            .map(|d| d.strftime("%-d %B %Y").to_string())
            .unwrap_or_default();
        return match r.series.as_str() {
            "" => format!("Presented on {when}."),
            s => format!("Presented at {s} on {when}."),
        };
    }
    if r.summary.chars().count() <= meetings::MAX_SUMMARY {
        return r.summary.clone();
    }
    let cut: String = r.summary.chars().take(meetings::MAX_SUMMARY - 1).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end())
}

/// Text from a file shown as Markdown literally (a slides name like `*final*.pptx`).
fn escape_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_{}[]()#+-.!<>|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The past event a record becomes in its series: on the meeting's day, 10:00 to 11:00 UK
/// time (exports do not give the hour), closed to registration.
fn past_event(
    r: &PreviewRecord,
    date: &str,
    series_id: &str,
    organisation_id: &str,
    visibility: &str,
) -> AppResult<lz_store::events::EventContent> {
    let starts_at = lz_domain::events::parse_local(date, "10:00")
        .map_err(|e| AppError::internal(format!("meeting date {date}: {e}")))?;
    let mut summary = item_summary(r);
    if let Some(n) = r.attendees {
        summary = format!("{summary}\n\n{n} people attended.")
            .trim()
            .to_string();
    }
    Ok(lz_store::events::EventContent {
        series_id: Some(series_id.to_string()),
        title: r.topic.clone(),
        summary,
        format: if r.recording.is_some() {
            "online".into()
        } else {
            "in_person".into()
        },
        speakers: r.presenters.join(", "),
        starts_at,
        ends_at: starts_at + 3_600_000,
        capacity: i64::from(r.attendees.unwrap_or(0)).clamp(1, lz_domain::events::MAX_CAPACITY),
        organisation_id: organisation_id.to_string(),
        visibility: visibility.to_string(),
        status: "closed".into(),
        ..Default::default()
    })
}
