//! The Executive report as documents people forward, read back with independent tools: the
//! PDF with poppler (`pdfinfo`, `pdftotext`, `pdffonts`) and pypdf (its tag tree), the DOCX
//! with python-docx. The plan has a lead with accents ("Zoë Ó Briain"), an amber, a red and
//! a green work area, one over budget, missed and due milestones, overdue actions, and
//! enough work areas for the work-areas table to run onto another page.

use std::path::{Path, PathBuf};
use std::process::Command;

use reqwest::StatusCode;
use serde_json::json;

use crate::common::{python_reads, Client, TestApp};
use crate::on_both_databases;

on_both_databases!(
    report_pdf_is_tagged_and_accessible,
    report_docx_is_structured_for_word
);

const DATE: &str = "2026-11-23";
const LEAD: &str = "Zoë Ó Briain";
const PLAN_TITLE: &str = "Café and Parks Delivery Plan";
/// Filler work areas after the first three: enough rows to fill more than a page.
const MORE_AREAS: usize = 26;

/// The plan as a CSV in the template's columns.
fn plan_csv() -> String {
    let mut csv = String::from(
        "Work area,Accountable lead,Why is this work needed?,Key milestones / progress to date,\
         What you will do,Resources and budget,When (start and end dates),Outcomes\r\n",
    );
    let mut row = |title: &str, lead: &str, budget: &str| {
        csv.push_str(&format!(
            "\"{title}\",{lead},Places asked for it,None yet,Workshops and support,{budget},\
             April 2026 to March 2027,Places work better together\r\n"
        ));
    };
    row("Improve the framing of place", LEAD, "£5k");
    row("Workforce development", "Beth Kay", "£3k");
    row("Evaluation and learning", "Sam Patel", "£2k");
    for n in 1..=MORE_AREAS {
        row(
            &format!("Local partnership {n}: active travel and green spaces"),
            "Amanda Forrest",
            "£1k",
        );
    }
    csv
}

/// The scenario's plan, with its updates, milestones and actions; returns a network admin
/// in the browser and the plan's id.
async fn report_plan(app: &TestApp) -> (Client, String) {
    let given = app.given();
    let admin_person = given.person("network_admin").await;
    let zoe = given.person("member").named(LEAD).await;
    let admin = admin_person.api().await;
    let (s, v) = admin
        .api_post(
            "/plans/import",
            json!({"text": plan_csv(), "confirmed": true, "title": PLAN_TITLE}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().expect("the plan's id").to_string();
    let (s, plan) = admin.api_get(&format!("/plans/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{plan}");
    let area = |i: usize| -> String {
        plan["work_areas"][i]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("work area {i} in {plan}"))
            .to_string()
    };
    assert_eq!(
        plan["work_areas"][0]["accountable_leads"],
        json!([LEAD]),
        "{plan}"
    );
    // Amber; red and £1,500 over its £3,000; green.
    for (i, rag, body, spent) in [
        (0, "amber", "Workshop moved to October", "2500"),
        (1, "red", "Trainer left; recruiting", "4500"),
        (2, "green", "Survey out", "500"),
    ] {
        let update = json!({"rag": rag, "body": body, "posted_on": "2026-11-10", "spent": spent});
        let (s, v) = admin
            .api_post(&format!("/work-areas/{}/updates", area(i)), update)
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    }
    // A milestone missed, and one due within four weeks of the report's date.
    let browser = admin_person.browser().await;
    let page = format!("/plans/{id}");
    for (i, title, due) in [
        (2, "Baseline survey", "2026-11-01"),
        (0, "Framing workshop", "2026-12-01"),
    ] {
        let fields = [
            ("plan_id", id.as_str()),
            ("title", title),
            ("due_date", due),
        ];
        let r = browser
            .post_form(
                &format!("/work-areas/{}/milestones", area(i)),
                &page,
                &fields,
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{title}");
    }
    // Actions owned by Zoë: three overdue, one due soon.
    for (what, due) in [
        (
            "Send the partners the draft terms of reference",
            "2026-10-01",
        ),
        ("Book the venue for the framing workshop", "2026-10-15"),
        ("Collect the places' case studies", "2026-11-02"),
        ("Circulate the workshop notes", "2026-12-04"),
    ] {
        let body = json!({"description": what, "owner_user_id": zoe.id, "due_date": due});
        let (s, v) = admin.api_post(&format!("/plans/{id}/actions"), body).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    (browser, id)
}

/// `tool args… file [-]`'s standard output, or `None` when the tool is not installed.
/// `to_stdout` adds the "-" that pdftotext wants for its output.
fn run(tool: &str, args: &[&str], file: &Path, to_stdout: bool) -> Option<String> {
    let mut command = Command::new(tool);
    command.args(args).arg(file);
    if to_stdout {
        command.arg("-");
    }
    let out = command.output().ok()?;
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Text with every run of white space as one space.
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The report downloaded as `format` ("pdf", "docx") into a new folder.
async fn download(browser: &Client, id: &str, format: &str, content_type: &str) -> PathBuf {
    let r = browser
        .get(&format!("/plans/{id}/report/{format}?date={DATE}"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], content_type);
    let bytes = r.bytes().await.expect("the document's bytes");
    let path = crate::common::temp_dir("report-docs").join(format!("report.{format}"));
    std::fs::write(&path, &bytes).expect("writing the document");
    path
}

async fn report_pdf_is_tagged_and_accessible(app: TestApp) {
    // Given: the plan, and its report as PDF.
    let (browser, id) = report_plan(&app).await;
    let pdf = download(&browser, &id, "pdf", "application/pdf").await;
    let Some(info) = run("pdfinfo", &[], &pdf, false).or_else(|| {
        crate::common::skip(
            "report_docs::report_pdf_is_tagged_and_accessible",
            "poppler-utils (pdfinfo, pdftotext) is not installed",
        );
        None
    }) else {
        return;
    };

    // Tagged, titled, A4, more than one page of body after the title page.
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(str::trim)
            .unwrap_or_else(|| panic!("pdfinfo has no {name}:\n{info}"))
            .to_string()
    };
    assert_eq!(field("Tagged"), "yes", "{info}");
    assert_eq!(field("Title"), format!("Executive report: {PLAN_TITLE}"));
    let pages: usize = field("Pages").parse().expect("a page count");
    assert!(pages >= 3, "{pages} pages");

    // The text, as a reader copies it: accents and the pound sign intact, dates in words,
    // RAG in words, flags and milestones, page numbers.
    let text = folded(&run("pdftotext", &["-layout"], &pdf, true).expect("pdftotext"));
    for expect in [
        LEAD,
        "£5,000",
        "Café and Parks Delivery Plan",
        "As at 23 November 2026",
        "Page 1 of",
        &format!("Page {pages} of {pages}"),
        "Amber",
        "Red",
        "Green",
        "No status",
        "Over budget by £1,500",
        "Milestones missed",
        "Baseline survey",
        "1 November 2026",
        "Framing workshop",
        "1 December 2026",
        "Actions overdue",
        "1 October 2026",
    ] {
        assert!(text.contains(expect), "PDF text lacks {expect:?}:\n{text}");
    }
    assert!(!text.contains("2026-11-"), "ISO dates in the PDF:\n{text}");

    // The work-areas table starts on page 2 and runs onto page 3 under its header again.
    let page_text = |n: usize| {
        let n = n.to_string();
        folded(&run("pdftotext", &["-layout", "-f", &n, "-l", &n], &pdf, true).expect("pdftotext"))
    };
    let header = "Work area Lead Status Allocated Committed Spent Flags";
    let (two, three) = (page_text(2), page_text(3));
    assert!(two.contains(header), "page 2:\n{two}");
    assert!(
        three.contains("Work areas and budget (continued)") && three.contains(header),
        "page 3:\n{three}"
    );
    assert!(three.contains("Local partnership"), "page 3:\n{three}");
    assert!(page_text(1).contains("Page 1 of"));

    // The fonts are embedded and subset, with a Unicode map.
    let fonts = run("pdffonts", &[], &pdf, false)
        .map(|f| {
            f.lines()
                .filter(|l| l.contains("DejaVuSans"))
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    assert_eq!(fonts.len(), 2, "{fonts:?}");
    assert!(fonts.iter().all(|l| l.contains("yes yes yes")), "{fonts:?}");

    // The tag tree, read by pypdf: language, title shown, headings and table structure.
    let tree = python_reads("pypdf", "pypdf", TAG_TREE, &pdf);
    for expect in [
        "LANG|en-GB",
        "DISPLAYDOCTITLE|True",
        "MARKED|True",
        "FIRST_HEADING|/H1|Executive report: Café and Parks Delivery Plan",
    ] {
        assert!(
            tree.lines().any(|l| l == expect),
            "{expect} not in:\n{tree}"
        );
    }
    for tag in [
        "/H1", "/H2", "/P", "/Table", "/THead", "/TBody", "/TR", "/TH", "/TD",
    ] {
        assert!(
            tree.lines().any(|l| l.starts_with(&format!("TAG|{tag}|"))),
            "no {tag} in the tag tree:\n{tree}"
        );
    }
    // One TH per column of each table: the repeated header rows are artifacts.
    let count = |tag: &str| -> usize {
        tree.lines()
            .find_map(|l| l.strip_prefix(&format!("TAG|{tag}|")))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let tables = count("/Table");
    assert!(tables >= 4, "{tables} tables");
    assert_eq!(count("/THead"), tables);
    // Each table: one header row of TH (its repetitions on later pages are artifacts), and
    // as many TD in each other row as there are columns.
    let shapes: Vec<(usize, usize, usize)> = tree
        .lines()
        .filter_map(|l| l.strip_prefix("TABLE|"))
        .map(|l| {
            let n: Vec<usize> = l.split('|').map(|x| x.parse().expect("a count")).collect();
            (n[0], n[1], n[2])
        })
        .collect();
    assert_eq!(shapes.len(), tables);
    for (th, rows, td) in &shapes {
        assert_eq!(*td, (rows - 1) * th, "{th} TH, {rows} TR, {td} TD:\n{tree}");
    }
    // The first is the work areas: 7 columns, a header and a row per work area.
    assert_eq!(
        shapes[0],
        (7, 4 + MORE_AREAS, 7 * (3 + MORE_AREAS)),
        "{tree}"
    );
}

/// Prints the catalog's language, DisplayDocTitle and MarkInfo, the first heading, and a
/// count of each structure type in the tag tree (following /K only, never /P).
const TAG_TREE: &str = r#"
import sys
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject
root = PdfReader(sys.argv[1]).trailer['/Root']
print('LANG|' + str(root.get('/Lang')))
vp = root.get('/ViewerPreferences')
print('DISPLAYDOCTITLE|' + str(vp.get_object().get('/DisplayDocTitle') if vp is not None else None))
print('MARKED|' + str(root['/MarkInfo'].get_object().get('/Marked')))
seen = {}
headings = []
def kids(node):
    node = node.get_object()
    k = node.get('/K') if isinstance(node, DictionaryObject) else None
    if k is None:
        return []
    k = k.get_object()
    return [x.get_object() for x in k] if isinstance(k, ArrayObject) else [k]
def count(node, tag):
    node = node.get_object()
    here = 1 if isinstance(node, DictionaryObject) and str(node.get('/S')) == tag else 0
    return here + sum(count(k, tag) for k in kids(node))
def walk(node):
    node = node.get_object()
    if isinstance(node, DictionaryObject):
        s = node.get('/S')
        if s is not None:
            seen[str(s)] = seen.get(str(s), 0) + 1
            if str(s).startswith('/H') and '/T' in node:
                headings.append((str(s), str(node['/T'])))
            if str(s) == '/Table':
                print('TABLE|%d|%d|%d' % (count(node, '/TH'), count(node, '/TR'), count(node, '/TD')))
    for k in kids(node):
        walk(k)
walk(root['/StructTreeRoot'])
print('FIRST_HEADING|%s|%s' % headings[0])
for k in sorted(seen):
    print('TAG|%s|%d' % (k, seen[k]))
"#;

async fn report_docx_is_structured_for_word(app: TestApp) {
    // Given: the plan, and its report as DOCX.
    let (browser, id) = report_plan(&app).await;
    let docx = download(
        &browser,
        &id,
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    .await;

    // Read back with python-docx.
    let text = python_reads("docx", "python-docx", DOCX_READER, &docx);
    let has = |line: &str| text.lines().any(|l| l == line);
    // The title page: the site's name, the title as Heading 1, the date in words; then
    // sections as Heading 2, which Word's navigation pane lists (outline levels 0 and 1).
    for expect in [
        "P|Normal|Learning Zone",
        "P|Heading 1|Executive report: Café and Parks Delivery Plan",
        "P|Normal|As at 23 November 2026",
        "P|Heading 2|Work areas and budget",
        "P|Heading 2|Milestones missed",
        "P|Heading 2|Actions overdue",
        "OUTLINE|Heading 1|0",
        "OUTLINE|Heading 2|1",
        "FOOTER_FIELDS|PAGE NUMPAGES",
    ] {
        assert!(has(expect), "DOCX lacks {expect:?}:\n{text}");
    }
    assert!(text.contains("PAGE_BREAK_AFTER_TITLE|True"), "{text}");
    // Every table's first row repeats on each page; cells hold the lead, the RAG word (the
    // cell shaded in its colour), amounts and flags; dates written out.
    let tables = text.lines().filter(|l| l.starts_with("TABLE|")).count();
    assert!(tables >= 4, "{text}");
    assert!(
        text.lines()
            .filter(|l| l.starts_with("TABLE|"))
            .all(|l| l == "TABLE|header repeats"),
        "{text}"
    );
    assert!(has(
        "T|Work area | Lead | Status | Allocated | Committed | Spent | Flags"
    ));
    assert!(
        has("T|Improve the framing of place | Zoë Ó Briain | Amber | £5,000 | £0 | £2,500 | "),
        "{text}"
    );
    assert!(
        has("T|Workforce development | Beth Kay | Red | £3,000 | £0 | £4,500 | Over budget by £1,500"),
        "{text}"
    );
    for expect in [
        "SHADE|Amber|FFBF47",
        "SHADE|Red|D4351C",
        "SHADE|Green|00703C",
    ] {
        assert!(has(expect), "{expect} not in:\n{text}");
    }
    assert!(
        has("T|Evaluation and learning | Baseline survey | 1 November 2026"),
        "{text}"
    );
    assert!(
        has("T|Zoë Ó Briain | Send the partners the draft terms of reference | 1 October 2026"),
        "{text}"
    );
}

/// Prints each paragraph with its style, each table's rows and whether its first row
/// repeats, the RAG cells' shading, the heading styles' outline levels, the footer's fields.
const DOCX_READER: &str = r#"
import sys, docx
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
for p in d.paragraphs:
    print('P|%s|%s' % (p.style.name if p.style is not None else '', p.text))
title = [p for p in d.paragraphs if 'As at' in p.text or 'Status, budget' in p.text]
print('PAGE_BREAK_AFTER_TITLE|%s' % any('w:br' in p._p.xml and 'type="page"' in p._p.xml for p in title))
for t in d.tables:
    trPr = t.rows[0]._tr.trPr
    repeats = trPr is not None and trPr.find(qn('w:tblHeader')) is not None
    print('TABLE|' + ('header repeats' if repeats else 'header does not repeat'))
    for row in t.rows:
        print('T|' + ' | '.join(c.text for c in row.cells))
        for c in row.cells:
            if c.text in ('Red', 'Amber', 'Green', 'No status'):
                shd = c._tc.tcPr.find(qn('w:shd')) if c._tc.tcPr is not None else None
                print('SHADE|%s|%s' % (c.text, shd.get(qn('w:fill')) if shd is not None else None))
for name in ('Heading 1', 'Heading 2'):
    lvl = d.styles[name].element.pPr.find(qn('w:outlineLvl'))
    print('OUTLINE|%s|%s' % (name, lvl.get(qn('w:val')) if lvl is not None else None))
fields = []
for s in d.sections:
    for el in s.footer._element.iter(qn('w:instrText')):
        fields.append(el.text.strip())
print('FOOTER_FIELDS|' + ' '.join(fields))
"#;
