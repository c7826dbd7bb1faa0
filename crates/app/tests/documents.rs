//! The document pipeline without the web app: a short briefing (a title page with the
//! host's logo, two sections, three claims with speaker notes, "The ask" with notes and a
//! references table) written as DOCX, PDF and PPTX, then read back with independent
//! readers: python-pptx and python-docx, poppler's `pdfinfo` and `pdftotext`, pypdf for the
//! PDF's tag tree. A reader that is not installed skips its checks, saying so.

use std::path::{Path, PathBuf};
use std::process::Command;

use lz_app::documents::{self, Block, Cell, Claim, Column, Document, Logo, Table};

/// A small logo (120 × 40 pixels): "LZ" and a dot.
const LOGO: &[u8] = include_bytes!("fixtures/logo.png");
const TITLE: &str = "Social prescribing: what the evidence says <&>\"'";
const SITE: &str = "Zoë's Learning Zone";

fn claim(number: u32, figure: Option<&str>, text: &str) -> Block {
    Block::Claim(Claim {
        number,
        figure: figure.map(String::from),
        text: text.into(),
        source: format!(
            "Blackpool Council, Social prescribing evaluation {number}, 2025 — evaluation, \
             Nesta level 3"
        ),
        notes: format!("Claim {number}: say who measured it & how."),
    })
}

fn briefing() -> Document {
    Document {
        title: TITLE.into(),
        site: SITE.into(),
        running: "As at 23 November 2026".into(),
        brand: [0x1D, 0x4F, 0x91],
        logo: Some(Logo {
            png: LOGO.to_vec(),
            alt: "Learning Zone logo".into(),
        }),
        blocks: vec![
            Block::TitlePage {
                subtitle: "As at 23 November 2026".into(),
                about: "A briefing for the Executive on social prescribing in the cluster.".into(),
            },
            Block::Notes("Welcome, and thank Zoë for the evaluation.".into()),
            Block::Heading(2, "Why it matters".into()),
            Block::Para(
                "Loneliness is common in the cluster, and it costs GP time. People wait too \
                 long for help that is not medical."
                    .into(),
            ),
            Block::Flag("The link workers' funding ends in March 2027.".into()),
            Block::Heading(2, "What we found".into()),
            claim(1, Some("17 %"), "GP appointments fell by 17 % in a year."),
            claim(
                2,
                None,
                "People said they felt less alone after three months.",
            ),
            claim(3, Some("£1.20"), "Each £1 spent returned £1.20 in a year."),
            Block::Heading(2, "The ask".into()),
            Block::Para("Fund the three link workers for two more years.".into()),
            Block::Notes("Pause for questions before the decision.".into()),
            Block::Heading(2, "References".into()),
            Block::Table(Table {
                columns: vec![Column::names("Number", 12), Column::text("Source", 88)],
                rows: (1..=3)
                    .map(|n| {
                        vec![
                            Cell::text_of(format!("[{n}]")),
                            Cell::text_of(format!(
                                "Blackpool Council, Social prescribing evaluation {n}, 2025"
                            )),
                        ]
                    })
                    .collect(),
            }),
        ],
    }
}

fn temp_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("lz-documents-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("writing the document");
    path
}

/// `python3 -c script file`'s output, or `None` (with a note) when python3 cannot import
/// `module`.
fn python(module: &str, script: &str, file: &Path) -> Option<String> {
    let can = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !can {
        eprintln!("SKIPPED: python3 cannot import {module}");
        return None;
    }
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(file)
        .output()
        .expect("running python3");
    assert!(
        out.status.success(),
        "{module} could not read {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `tool args… file`'s output, or `None` (with a note) when the tool is not installed.
fn tool(name: &str, args: &[&str], file: &Path) -> Option<String> {
    let Ok(out) = Command::new(name).args(args).arg(file).output() else {
        eprintln!("SKIPPED: {name} is not installed");
        return None;
    };
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Prints the slide size; per slide its title (from the title placeholder), whether the
/// title is first in the reading order, its texts, pictures' alternative text, notes, and
/// any shape that reaches off the slide; the master's pictures; the title property.
const PPTX_READER: &str = r#"
import sys
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
p = Presentation(sys.argv[1])
print('SIZE|%d|%d' % (p.slide_width, p.slide_height))
print('COUNT|%d' % len(p.slides))
for i, s in enumerate(p.slides, 1):
    t = s.shapes.title
    print('TITLE|%d|%s' % (i, t.text_frame.text if t is not None else ''))
    first = list(s.shapes)[0]
    is_title = first.is_placeholder and first.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
    print('FIRST_IS_TITLE|%d|%s' % (i, is_title))
    for sh in s.shapes:
        if sh.left < 0 or sh.top < 0 or sh.left + sh.width > p.slide_width or sh.top + sh.height > p.slide_height:
            print('OFF_SLIDE|%d|%s' % (i, sh.name))
        if sh.has_text_frame:
            for para in sh.text_frame.paragraphs:
                if para.text:
                    print('TEXT|%d|%s' % (i, para.text))
        if sh.shape_type == MSO_SHAPE_TYPE.PICTURE:
            print('PICTURE|%d|%s' % (i, sh._element.nvPicPr.cNvPr.get('descr')))
    if s.has_notes_slide:
        print('NOTES|%d|%s' % (i, s.notes_slide.notes_text_frame.text.replace('\n', ' / ')))
for sh in p.slide_master.shapes:
    if sh.shape_type == MSO_SHAPE_TYPE.PICTURE:
        print('MASTER_PICTURE|%s' % sh._element.nvPicPr.cNvPr.get('descr'))
print('PROPERTY_TITLE|' + p.core_properties.title)
"#;

#[test]
fn slides_read_back_with_python_pptx() {
    let dir = temp_dir();
    let d = briefing();
    let pptx = documents::pptx(&d).expect("a PPTX");
    let path = write(&dir, "briefing.pptx", &pptx);
    let Some(out) = python("pptx", PPTX_READER, &path) else {
        return;
    };
    let has = |line: &str| out.lines().any(|l| l == line);
    let all = |prefix: &str| -> Vec<&str> {
        out.lines().filter_map(|l| l.strip_prefix(prefix)).collect()
    };
    assert!(has("SIZE|12192000|6858000"), "{out}");
    // The title slide, "Why it matters", three claims (two titled by their section's
    // heading and place in it), "The ask"; no slide for the references.
    assert!(has("COUNT|6"), "{out}");
    let titles = all("TITLE|");
    assert_eq!(
        titles,
        [
            format!("1|{TITLE}"),
            "2|Why it matters".into(),
            "3|What we found (1 of 3)".into(),
            "4|What we found (2 of 3)".into(),
            "5|What we found (3 of 3)".into(),
            "6|The ask".into(),
        ],
        "{out}"
    );
    assert!(
        all("FIRST_IS_TITLE|").iter().all(|l| l.ends_with("|True")),
        "{out}"
    );
    assert!(all("OFF_SLIDE|").is_empty(), "{out}");
    // Each claim with its citation, and its source at the foot.
    for (slide, n) in [(3, 1), (4, 2), (5, 3)] {
        assert!(
            all("TEXT|")
                .iter()
                .any(|t| t.starts_with(&format!("{slide}|")) && t.ends_with(&format!(" [{n}]"))),
            "claim {n}: {out}"
        );
        assert!(
            has(&format!(
                "TEXT|{slide}|[{n}] Blackpool Council, Social prescribing evaluation {n}, 2025 — \
                 evaluation, Nesta level 3"
            )),
            "source {n}: {out}"
        );
        assert!(
            has(&format!(
                "NOTES|{slide}|Claim {n}: say who measured it & how."
            )),
            "notes {n}: {out}"
        );
    }
    assert!(has("TEXT|3|17 %") && has("TEXT|5|£1.20"), "{out}");
    assert!(
        has("NOTES|1|Welcome, and thank Zoë for the evaluation."),
        "{out}"
    );
    assert!(
        has("NOTES|6|Pause for questions before the decision."),
        "{out}"
    );
    assert!(!out.contains("NOTES|2|"), "{out}");
    // The logo: on the title slide and in the master's corner, with its alternative text.
    assert!(has("PICTURE|1|Learning Zone logo"), "{out}");
    assert!(has("MASTER_PICTURE|Learning Zone logo"), "{out}");
    assert!(has(&format!("PROPERTY_TITLE|{TITLE}")), "{out}");
    assert!(has(&format!("TEXT|1|{SITE}")), "{out}");
}

const DOCX_READER: &str = r#"
import sys, docx
d = docx.Document(sys.argv[1])
for p in d.paragraphs:
    if p.text:
        print('P|%s|%s' % (p.style.name if p.style is not None else '', p.text))
for s in d.inline_shapes:
    print('PICTURE|%s' % s._inline.docPr.get('descr'))
for t in d.tables:
    for row in t.rows:
        print('T|' + ' | '.join(c.text for c in row.cells))
print('PROPERTY_TITLE|' + d.core_properties.title)
"#;

#[test]
fn the_docx_reads_back_with_python_docx() {
    let dir = temp_dir();
    let docx = documents::docx(&briefing()).expect("a DOCX");
    let path = write(&dir, "briefing.docx", &docx);
    let Some(out) = python("docx", DOCX_READER, &path) else {
        return;
    };
    let has = |line: &str| out.lines().any(|l| l == line);
    for expect in [
        format!("P|Normal|{SITE}"),
        format!("P|Heading 1|{TITLE}"),
        "P|Heading 2|Why it matters".into(),
        "P|Heading 2|What we found".into(),
        "P|Heading 2|The ask".into(),
        "P|Heading 2|References".into(),
        "P|Normal|17 %".into(),
        "P|Normal|GP appointments fell by 17 % in a year. [1]".into(),
        "P|Normal|People said they felt less alone after three months. [2]".into(),
        "P|Normal|Each £1 spent returned £1.20 in a year. [3]".into(),
        "P|Normal|Blackpool Council, Social prescribing evaluation 3, 2025 — evaluation, Nesta level 3"
            .into(),
        "PICTURE|Learning Zone logo".into(),
        "T|[2] | Blackpool Council, Social prescribing evaluation 2, 2025".into(),
        format!("PROPERTY_TITLE|{TITLE}"),
    ] {
        assert!(has(&expect), "DOCX lacks {expect:?}:\n{out}");
    }
    assert!(
        !out.contains("say who measured it") && !out.contains("Welcome"),
        "{out}"
    );
}

/// The tag tree's Figure elements and their alternative text.
const FIGURES: &str = r#"
import sys
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject
root = PdfReader(sys.argv[1]).trailer['/Root']
def walk(node):
    node = node.get_object()
    if not isinstance(node, DictionaryObject):
        return
    if str(node.get('/S')) == '/Figure':
        print('FIGURE|%s' % node.get('/Alt'))
    k = node.get('/K')
    if k is None:
        return
    k = k.get_object()
    for x in (k if isinstance(k, ArrayObject) else [k]):
        walk(x)
walk(root['/StructTreeRoot'])
"#;

#[test]
fn the_pdf_is_tagged_and_reads_in_order() {
    let dir = temp_dir();
    let pdf = documents::pdf(&briefing()).expect("a PDF");
    let path = write(&dir, "briefing.pdf", &pdf);
    let Some(info) = tool("pdfinfo", &[], &path) else {
        return;
    };
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(str::trim)
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(field("Tagged"), "yes", "{info}");
    assert_eq!(field("Title"), TITLE, "{info}");
    // pdftotext (poppler, as pdfinfo) writes the text to standard output after "-".
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = folded(&String::from_utf8_lossy(&out.stdout));
    let order = [
        SITE,
        TITLE,
        "As at 23 November 2026",
        "Why it matters",
        "The link workers' funding ends in March 2027.",
        "What we found",
        "17 %",
        "GP appointments fell by 17 % in a year. [1]",
        "Blackpool Council, Social prescribing evaluation 1, 2025 — evaluation, Nesta level 3",
        "People said they felt less alone after three months. [2]",
        "Each £1 spent returned £1.20 in a year. [3]",
        "The ask",
        "References",
        "[3]",
    ];
    let mut from = 0;
    for expect in order {
        let at = text[from..]
            .find(expect)
            .unwrap_or_else(|| panic!("{expect:?} not after byte {from} in:\n{text}"));
        from += at + expect.len();
    }
    assert!(
        !text.contains("say who measured it"),
        "notes printed:\n{text}"
    );
    if let Some(figures) = python("pypdf", FIGURES, &path) {
        assert_eq!(figures.trim(), "FIGURE|Learning Zone logo", "{figures}");
    }
}
