//! Bringing a folder of documents in, on both databases: a contributor uploads a ZIP made as a
//! shared drive holds it (Word, PowerPoint, Excel and PDF files written by their own programs'
//! libraries, with the leftovers of a Mac, a protected PDF, an empty one, a program, a ZIP
//! inside the ZIP and a photo), finds one draft per document titled and dated from its
//! properties and its text read, each refused file with its reason; changes many drafts at
//! once (bad choices change none), submits them, a moderator publishes one and search finds
//! it by its text; discards with a confirmation. Unsafe folders (a name outside the folder, a
//! bomb, not a ZIP) bring nothing in. The API and the command line do the same.

use std::path::Path;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{
    postgres_url, skip, temp_dir, zip_of, Backend, Client, TestApp, DEMO_PASSWORD,
};
use crate::on_both_databases;

on_both_databases!(
    a_contributor_brings_in_a_folder_of_documents,
    the_api_and_the_command_line_bring_folders_in
);

const CONTRIBUTOR: &str = "alex.sample@blackpool.gov.uk";

/// Documents as their own programs' libraries write them (python-docx, python-pptx,
/// openpyxl, pypdf), with titles and dates in their properties.
fn documents(dir: &Path) {
    let script = r#"
import sys, datetime, os
from docx import Document
from pptx import Presentation
from pptx.util import Inches
from openpyxl import Workbook
from pypdf import PdfReader, PdfWriter
d = sys.argv[1]
doc = Document()
doc.core_properties.title = "Walking for health in Blackpool: an evaluation"
doc.core_properties.created = datetime.datetime(2023, 5, 14, 10, 0, 0)
doc.add_paragraph("Park walks brought 240 new walkers to the promenade in a year.")
doc.save(os.path.join(d, "report.docx"))
deck = Presentation()
deck.core_properties.title = "Active travel briefing"
deck.core_properties.created = datetime.datetime(2024, 2, 1, 9, 0, 0)
s = deck.slides.add_slide(deck.slide_layouts[5])
s.shapes.title.text = "Bikeability sessions in every primary school"
deck.save(os.path.join(d, "deck.pptx"))
wb = Workbook()
wb.active["A1"] = "Year"
wb.save(os.path.join(d, "school-sport_figures 2024.xlsx"))
w = PdfWriter(clone_from=os.path.join(d, "plan.pdf"))
w.encrypt("secret")
w.write(os.path.join(d, "locked.pdf"))
"#;
    std::fs::write(
        dir.join("plan.pdf"),
        lz_files::samples::pdf(
            "Moving more in Hyndburn",
            &["The leisure trust opened its pools to walking groups on Tuesdays."],
        ),
    )
    .expect("pdf");
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(dir)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).expect("document")
}

/// The folder as a shared drive gives it, with what a computer leaves behind.
fn shared_drive(dir: &Path) -> Vec<u8> {
    documents(dir);
    let png =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    zip_of(&[
        ("Learning/Reports/report.docx", read(dir, "report.docx")),
        ("Learning/deck.pptx", read(dir, "deck.pptx")),
        (
            "Learning/school-sport_figures 2024.xlsx",
            read(dir, "school-sport_figures 2024.xlsx"),
        ),
        ("Learning/plan.pdf", read(dir, "plan.pdf")),
        ("Learning/locked.pdf", read(dir, "locked.pdf")),
        ("Learning/empty.pdf", Vec::new()),
        (
            "Learning/setup.exe",
            b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".repeat(8),
        ),
        ("Learning/old.zip", zip_of(&[("a.txt", b"hello".to_vec())])),
        ("Learning/photo.png", png),
        (
            "__MACOSX/Learning/._report.docx",
            b"\0\x05\x16\x07".to_vec(),
        ),
        ("Learning/.DS_Store", b"\0\0\0\x01Bud1".to_vec()),
    ])
}

/// The binary on the test app's database and files, as a host runs it beside the server.
fn cli(app: &TestApp, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_learning-zone"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LZ_DATA_DIR", app.dir.join("data"))
        .env("LZ_DATABASE_URL", &app.app.config.database_url)
        .env("LZ_LOG", "warn")
        .args(args)
        .output()
        .expect("run learning-zone")
}

async fn as_demo(app: &TestApp, email: &str) -> Client {
    let c = app.client();
    c.sign_in(email, DEMO_PASSWORD).await;
    c
}

async fn upload(c: &Client, bytes: Vec<u8>, organisation: Option<&str>) -> (StatusCode, String) {
    let page = "/library/import/folder";
    let fields: Vec<(&str, &str)> = organisation
        .map(|o| ("organisation_id", o))
        .into_iter()
        .collect();
    c.post_file(page, page, &fields, "Learning.zip", bytes)
        .await
}

fn batch_of(page: &str) -> String {
    let marker = "action=\"/library/import/folder/";
    let start = page.find(marker).expect("the folder's form") + marker.len();
    page[start..].split('"').next().expect("batch").to_string()
}

/// The folder's drafts: (id, title, kind, status, original date).
async fn drafts(
    app: &TestApp,
    batch: &str,
) -> Vec<(String, String, String, String, Option<String>)> {
    let mut c = app.app.db.acquire().await.expect("db");
    sqlx::query_as(
        "SELECT id, title, kind, status, original_date FROM items WHERE import_key LIKE $1 AND deleted_at IS NULL ORDER BY import_key",
    )
    .bind(format!("folder:{batch}:%"))
    .fetch_all(&mut *c)
    .await
    .expect("drafts")
}

async fn change(c: &Client, batch: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let path = format!("/library/import/folder/{batch}");
    let r = c.post_form(&path, &path, fields).await;
    let status = r.status();
    (status, r.text().await.unwrap_or_default())
}

async fn a_contributor_brings_in_a_folder_of_documents(app: TestApp) {
    app.load_demo().await;
    let dir = temp_dir("folder");
    let alex = as_demo(&app, CONTRIBUTOR).await;
    let (_, mine) = alex.get_text("/library/mine").await;
    assert!(
        mine.contains("/library/import/folder"),
        "Your learning offers it"
    );
    let items_before = app.count("items").await;

    let folder = shared_drive(&dir);
    let (status, page) = upload(&alex, folder.clone(), None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("4 drafts made, 5 files left out"), "{page}");
    for (file, why) in [
        (
            "Learning&#x2f;locked.pdf",
            "The file is protected with a password",
        ),
        ("Learning&#x2f;empty.pdf", "The file is empty"),
        (
            "Learning&#x2f;setup.exe",
            "This file is an executable program",
        ),
        ("Learning&#x2f;old.zip", "This file is a ZIP archive"),
        ("Learning&#x2f;photo.png", "This file is a PNG image"),
    ] {
        let row = page
            .split("govuk-summary-list__row")
            .find(|r| r.contains(file))
            .unwrap_or_else(|| panic!("{file} is listed: {page}"));
        assert!(row.contains(why), "{file}: {why} in {row}");
    }
    assert!(
        !page.contains(".DS_Store") && !page.contains("__MACOSX"),
        "leftovers pass quietly"
    );
    let batch = batch_of(&page);
    let made = drafts(&app, &batch).await;
    // The same ZIP again (a reload of the result page): nothing new, the same folder shown.
    let (status, again) = upload(&alex, folder, None).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert!(again.contains("This folder is already here"), "{again}");
    assert_eq!(batch_of(&again), batch);
    assert_eq!(app.count("items").await, items_before + 4);
    assert_eq!(app.count("items").await, items_before + 4);
    let titles: Vec<(&str, &str, Option<&str>)> = made
        .iter()
        .map(|d| (d.1.as_str(), d.2.as_str(), d.4.as_deref()))
        .collect();
    // openpyxl dates a workbook the moment it is saved: today, whatever day the test runs.
    let today = made[3].4.clone();
    assert!(
        today.as_deref().is_some_and(|d| d.starts_with("20")),
        "{today:?}"
    );
    assert_eq!(
        titles,
        [
            (
                "Walking for health in Blackpool: an evaluation",
                "evaluation",
                Some("2023-05-14")
            ),
            (
                "Active travel briefing",
                "event_material",
                Some("2024-02-01")
            ),
            ("Moving more in Hyndburn", "evaluation", None),
            ("School sport figures 2024", "tool", today.as_deref()),
        ],
        "titles and dates from the documents' properties, else the file name; ordered by path"
    );
    assert!(made.iter().all(|d| d.3 == "draft"));
    // The text was read for search, in the extraction child, as for any attachment.
    let mut c = app.app.db.acquire().await.expect("db");
    let texts: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT a.file_name, a.text_status, a.extracted_text FROM attachments a JOIN items i ON i.id = a.item_id
         WHERE i.import_key LIKE $1 ORDER BY i.import_key",
    )
    .bind(format!("folder:{batch}:%"))
    .fetch_all(&mut *c)
    .await
    .expect("attachments");
    drop(c);
    assert_eq!(texts.len(), 4);
    assert_eq!(texts[0].0, "report.docx");
    assert_eq!(texts[0].1, "done");
    assert!(texts[0]
        .2
        .as_deref()
        .unwrap_or_default()
        .contains("Park walks brought 240 new walkers"));
    assert!(texts[1]
        .2
        .as_deref()
        .unwrap_or_default()
        .contains("Bikeability sessions"));
    assert!(texts[2]
        .2
        .as_deref()
        .unwrap_or_default()
        .contains("walking groups on Tuesdays"));
    assert_eq!(texts[3].1, "none", "a spreadsheet's text is not read");

    // Only its uploader sees the folder: another contributor finds nothing, a member who
    // cannot bring folders in is refused first.
    let cath = as_demo(&app, "cath.hudspith@chorley.gov.uk").await;
    let (status, _) = cath
        .get_text(&format!("/library/import/folder/{batch}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let jamie = as_demo(&app, "jamie.placeholder@hyndburnleisure.co.uk").await;
    let (status, _) = jamie.get_text("/library/import/folder").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = alex.get_text("/library/import/folder/x%25").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a wildcard is no folder");
    let (_, mine) = alex.get_text("/library/mine").await;
    assert!(
        mine.contains(&format!("/library/import/folder/{batch}")),
        "Your learning lists the folder"
    );
    assert!(mine.contains("Folder of 4 documents"));

    // Bad changes change nothing.
    let theme: String = {
        let mut c = app.app.db.acquire().await.expect("db");
        sqlx::query_scalar("SELECT id FROM terms WHERE vocabulary = 'theme' ORDER BY name LIMIT 1")
            .fetch_one(&mut *c)
            .await
            .expect("a theme")
    };
    let other_org: String = {
        let mut c = app.app.db.acquire().await.expect("db");
        sqlx::query_scalar("SELECT id FROM organisations WHERE name = 'Chorley Council'")
            .fetch_one(&mut *c)
            .await
            .expect("Chorley")
    };
    let someone_elses: String = {
        let mut c = app.app.db.acquire().await.expect("db");
        sqlx::query_scalar(
            "SELECT id FROM items WHERE import_key IS NULL AND deleted_at IS NULL LIMIT 1",
        )
        .fetch_one(&mut *c)
        .await
        .expect("an item")
    };
    let (a, b) = (made[0].0.as_str(), made[1].0.as_str());
    for (fields, message) in [
        (
            vec![("ids", a), ("kind", "poem"), ("action", "apply")],
            "Choose a kind from the list",
        ),
        (
            vec![
                ("ids", a),
                ("ids", someone_elses.as_str()),
                ("kind", "case_study"),
                ("action", "apply"),
            ],
            "Choose drafts from this folder",
        ),
        (
            vec![
                ("ids", a),
                ("ids", b),
                ("organisation_id", other_org.as_str()),
                ("action", "apply"),
            ],
            "Choose one of your own organisations",
        ),
        (
            vec![("ids", a), ("terms", "not-a-term"), ("action", "apply")],
            "Choose themes, agendas and audiences from the lists",
        ),
        (
            vec![("kind", "case_study"), ("action", "apply")],
            "Choose at least one draft",
        ),
        (
            vec![("ids", a), ("kind", "case_study")],
            "Choose what to do",
        ),
    ] {
        let (status, page) = change(&alex, &batch, &fields).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}: {page}"
        );
        assert!(page.contains(message), "{message}: {page}");
    }
    // After an error the form keeps what was chosen: only the two drafts stay ticked.
    let c = made[2].0.as_str();
    let (_, page) = change(
        &alex,
        &batch,
        &[
            ("ids", a),
            ("ids", b),
            ("kind", "case_study"),
            ("organisation_id", other_org.as_str()),
            ("action", "apply"),
        ],
    )
    .await;
    let ticked = |id: &str| {
        page.split("<input")
            .find(|tag| tag.contains(&format!("value=\"{id}\"")))
            .is_some_and(|tag| {
                tag.split('>')
                    .next()
                    .unwrap_or_default()
                    .contains(" checked")
            })
    };
    assert!(ticked(a) && ticked(b) && !ticked(c), "the choice is kept");
    assert!(
        page.contains("value=\"case_study\" selected"),
        "the kind is kept"
    );
    let (status, _) = change(&alex, &batch, &[("ids", a), ("action", "publish")]).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "an unknown action is refused"
    );
    assert_eq!(drafts(&app, &batch).await, made, "nothing changed");

    // Many at once: the kind set and a theme added to two, then all four submitted.
    let (status, _) = change(
        &alex,
        &batch,
        &[
            ("ids", a),
            ("ids", b),
            ("kind", "case_study"),
            ("terms", theme.as_str()),
            ("action", "apply"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let now = drafts(&app, &batch).await;
    assert_eq!(
        (now[0].2.as_str(), now[1].2.as_str(), now[2].2.as_str()),
        ("case_study", "case_study", "evaluation")
    );
    {
        let mut c = app.app.db.acquire().await.expect("db");
        let tagged: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM item_terms WHERE term_id = $1 AND item_id IN ($2, $3)",
        )
        .bind(&theme)
        .bind(a)
        .bind(b)
        .fetch_one(&mut *c)
        .await
        .expect("terms");
        assert_eq!(tagged, 2);
        let versions: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM item_versions WHERE item_id = $1")
                .bind(a)
                .fetch_one(&mut *c)
                .await
                .expect("versions");
        assert_eq!(versions, 2, "the change is a new version");
    }
    let ids: Vec<(&str, &str)> = now.iter().map(|d| ("ids", d.0.as_str())).collect();
    let mut fields = ids.clone();
    fields.push(("action", "submit"));
    let (status, _) = change(&alex, &batch, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(drafts(&app, &batch)
        .await
        .iter()
        .all(|d| d.3 == "in_review"));
    let (_, page) = alex
        .get_text(&format!(
            "/library/import/folder/{batch}?notice=folder-submitted"
        ))
        .await;
    assert!(
        page.contains("submitted for review") && page.contains("0 of 4 still drafts"),
        "{page}"
    );
    // Submitting again: they are no longer drafts.
    let (status, page) = change(&alex, &batch, &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("is no longer a draft"));

    // A moderator publishes one; search finds it by a passage of its document.
    let amanda = as_demo(&app, "amanda.forrest@activelancashire.org.uk").await;
    let r = amanda
        .post_form(
            &format!("/library/{a}/workflow"),
            &format!("/library/{a}"),
            &[("action", "approve")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mut found = false;
    for _ in 0..100 {
        let (_, results) = alex.get_text("/library?q=promenade+walkers").await;
        if results.contains(a) {
            found = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(found, "the published draft is found by its document's text");

    // Submitted drafts are not discarded from the folder's list.
    let (status, page) = change(
        &alex,
        &batch,
        &[("ids", c), ("action", "discard"), ("confirmed", "true")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("choose only drafts to discard"), "{page}");

    // A folder larger than the forms' 1 MB limit comes in (uploads have their own limit).
    let mut noise = 0x2545_F491_4F6C_DD1Du64;
    let padding: Vec<u8> = (0..(1_600_000 / 8))
        .flat_map(|_| {
            noise ^= noise << 13;
            noise ^= noise >> 7;
            noise ^= noise << 17;
            noise.to_le_bytes()
        })
        .collect();
    let big = lz_files::samples::pdf_padded("A large report", &["With its pictures."], &padding);
    let (status, page) = upload(&alex, zip_of(&[("large.pdf", big)]), None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("1 draft made"), "{page}");

    // Discarding asks first, then soft-deletes with a trace.
    let (status, page) = upload(
        &alex,
        zip_of(&[(
            "notes.docx",
            lz_files::samples::docx(&["Notes from the network meeting."]),
        )]),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let second = batch_of(&page);
    let one = drafts(&app, &second).await;
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].1, "Notes");
    let (status, ask) = change(
        &alex,
        &second,
        &[("ids", one[0].0.as_str()), ("action", "discard")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(ask.contains("Discard 1 draft?"), "{ask}");
    assert_eq!(drafts(&app, &second).await.len(), 1, "not yet");
    let r = alex
        .post_form(
            &format!("/library/import/folder/{second}"),
            &format!("/library/import/folder/{second}"),
            &[
                ("ids", one[0].0.as_str()),
                ("action", "discard"),
                ("confirmed", "true"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        crate::common::location(&r),
        "/library/mine",
        "every draft of the folder discarded: back to Your learning"
    );
    let (_, mine) = alex.get_text("/library/mine").await;
    assert!(
        mine.contains("The chosen drafts have been discarded."),
        "{mine}"
    );
    assert!(drafts(&app, &second).await.is_empty());
    {
        let mut c = app.app.db.acquire().await.expect("db");
        let deleted: Option<i64> = sqlx::query_scalar("SELECT deleted_at FROM items WHERE id = $1")
            .bind(&one[0].0)
            .fetch_one(&mut *c)
            .await
            .expect("kept");
        assert!(deleted.is_some(), "soft: the row stays");
        let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('folder.import', 'item.delete') AND subject_id IN ($1, $2)")
            .bind(&second)
            .bind(&one[0].0)
            .fetch_one(&mut *c)
            .await
            .expect("audit");
        assert_eq!(
            audit, 2,
            "the import and the discard are in the audit trail"
        );
    }

    // Unsafe or wrong folders bring nothing in.
    let count = app.count("items").await;
    let files = app.count("attachments").await;
    let pdf = lz_files::samples::pdf("A report", &["Text."]);
    for (bytes, message) in [
        (
            zip_of(&[("ok.pdf", pdf.clone()), ("../../evil.pdf", pdf.clone())]),
            "points outside the folder",
        ),
        (
            zip_of(&[
                ("ok.pdf", pdf.clone()),
                ("/etc/cron.d/evil.pdf", pdf.clone()),
            ]),
            "points outside the folder",
        ),
        (pdf.clone(), "it is not a ZIP file"),
        (b"PK\x03\x04 broken".to_vec(), "it is not a ZIP file"),
        (
            zip_of(&[(".DS_Store", b"x".to_vec())]),
            "holds no documents",
        ),
        (
            zip_of(&[("empty.pdf", Vec::new())]),
            "None of the 1 files could be brought in",
        ),
        (Vec::new(), "Choose the ZIP file of the folder"),
    ] {
        let (status, page) = upload(&alex, bytes, None).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{message}: {page}"
        );
        assert!(page.contains(message), "{message}: {page}");
    }
    let (status, page) = upload(&alex, zip_of(&[("ok.pdf", pdf.clone())]), Some(&other_org)).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another organisation's: {page}"
    );
    assert!(page.contains("Choose one of your own organisations"));
    assert_eq!(app.count("items").await, count);
    assert_eq!(app.count("attachments").await, files);
    let _ = std::fs::remove_dir_all(&dir);
}

async fn the_api_and_the_command_line_bring_folders_in(app: TestApp) {
    app.load_demo().await;
    let dir = temp_dir("folder-api");
    documents(&dir);
    let alex = app.client().api_sign_in(CONTRIBUTOR, DEMO_PASSWORD).await;
    let zip = zip_of(&[
        ("report.docx", read(&dir, "report.docx")),
        ("locked.pdf", read(&dir, "locked.pdf")),
    ]);
    let (status, body) = alex
        .api_post_bytes("/folder-imports", "application/zip", zip)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let done: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(done["drafts"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        done["drafts"][0]["title"],
        "Walking for health in Blackpool: an evaluation"
    );
    assert_eq!(done["drafts"][0]["titled_from_properties"], true);
    assert_eq!(done["refused"][0]["path"], "locked.pdf");
    let batch = done["batch"].as_str().expect("batch").to_string();
    let id = done["drafts"][0]["id"].as_str().expect("id").to_string();
    let again = zip_of(&[
        ("report.docx", read(&dir, "report.docx")),
        ("locked.pdf", read(&dir, "locked.pdf")),
    ]);
    let (status, body) = alex
        .api_post_bytes("/folder-imports", "application/zip", again)
        .await;
    assert_eq!(status, StatusCode::OK, "the same ZIP again: {body}");
    let same: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        (same["already_here"].as_bool(), same["batch"].as_str()),
        (Some(true), Some(batch.as_str()))
    );
    assert_eq!(same["drafts"][0]["id"].as_str(), Some(id.as_str()));
    let (status, list) = alex.api_get(&format!("/folder-imports/{batch}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["items"][0]["file_name"], "report.docx");
    assert_eq!(list["items"][0]["text_status"], "done");

    // A mass-assigned field, a bad kind: problem details, nothing changed.
    let (status, problem) = alex
        .api_post(
            &format!("/folder-imports/{batch}/changes"),
            json!({"ids": [id], "action": "apply", "status": "published"}),
        )
        .await;
    assert!(
        status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::BAD_REQUEST,
        "{status} {problem}"
    );
    let (status, problem) = alex
        .api_post(
            &format!("/folder-imports/{batch}/changes"),
            json!({"ids": [id], "action": "apply", "kind": "poem"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "kind", "{problem}");
    let (status, _) = alex
        .api_post(
            &format!("/folder-imports/{batch}/changes"),
            json!({"ids": [id], "action": "discard"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "discarding needs confirmed"
    );
    let (status, answer) = alex
        .api_post(
            &format!("/folder-imports/{batch}/changes"),
            json!({"ids": [id], "action": "submit", "kind": "case_study"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["changed"], 1);
    let (_, list) = alex.api_get(&format!("/folder-imports/{batch}")).await;
    assert_eq!(
        (
            list["items"][0]["kind"].as_str(),
            list["items"][0]["status"].as_str()
        ),
        (Some("case_study"), Some("in_review"))
    );

    // Another caller's view of the folder: not found; a member may not bring folders in.
    let cath = app
        .client()
        .api_sign_in("cath.hudspith@chorley.gov.uk", DEMO_PASSWORD)
        .await;
    let (status, _) = cath.api_get(&format!("/folder-imports/{batch}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let jamie = app
        .client()
        .api_sign_in("jamie.placeholder@hyndburnleisure.co.uk", DEMO_PASSWORD)
        .await;
    let (status, _) = jamie
        .api_post_bytes(
            "/folder-imports",
            "application/zip",
            zip_of(&[("r.docx", read(&dir, "report.docx"))]),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // An unsafe folder: problem details, nothing made.
    let count = app.count("items").await;
    let (status, body) = alex
        .api_post_bytes(
            "/folder-imports",
            "application/zip",
            zip_of(&[("a/../../x.docx", read(&dir, "report.docx"))]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("points outside the folder"));
    assert_eq!(app.count("items").await, count);

    // The command line, for folders past the web's upload limit, as the same person.
    let zip_path = dir.join("folder.zip");
    std::fs::write(&zip_path, zip_of(&[("deck.pptx", read(&dir, "deck.pptx"))])).expect("zip");
    let out = cli(
        &app,
        &[
            "import-folder",
            zip_path.to_str().expect("path"),
            "--as",
            CONTRIBUTOR,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Brought in 1 documents as drafts"), "{said}");
    assert_eq!(app.count("items").await, count + 1);
    let out = cli(
        &app,
        &[
            "import-folder",
            zip_path.to_str().expect("path"),
            "--as",
            "jamie.placeholder@hyndburnleisure.co.uk",
        ],
    );
    assert!(!out.status.success(), "a member may not");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("permission"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A folder that unpacks past the host's bound is refused whole (run with a 20 MB bound, so
/// that the bomb is small to make).
async fn a_zip_bomb_brings_nothing_in(app: TestApp) {
    app.load_demo().await;
    let alex = as_demo(&app, CONTRIBUTOR).await;
    let count = app.count("items").await;
    let zeros = vec![0u8; 12 << 20];
    let bomb = zip_of(&[("a.pdf", zeros.clone()), ("b.pdf", zeros)]);
    assert!(bomb.len() < 200_000, "small when packed: {}", bomb.len());
    let (status, page) = upload(&alex, bomb, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("unpacks to more than 20 MB"), "{page}");
    assert_eq!(app.count("items").await, count);
}

mod a_zip_bomb_is_refused {
    const BOUND: &[(&str, &str)] = &[("LZ_MAX_FOLDER_UNPACKED_BYTES", "20971520")];

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let app = super::TestApp::spawn_with(super::Backend::Sqlite, BOUND)
            .await
            .expect("sqlite always runs");
        super::a_zip_bomb_brings_nothing_in(app).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if super::postgres_url().is_none() {
            super::skip(
                concat!(module_path!(), "::postgres"),
                "LZ_TEST_POSTGRES_URL is not set, so this PostgreSQL run did not happen",
            );
            return;
        }
        let app = super::TestApp::spawn_with(super::Backend::Postgres, BOUND)
            .await
            .expect("postgres");
        super::a_zip_bomb_brings_nothing_in(app).await;
    }
}
