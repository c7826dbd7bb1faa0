//! The Executive report as documents: one outline (headings, paragraphs, tables) built from
//! the report, rendered as DOCX (editable, `docx-rs`) and PDF (printable, `pdf-writer` with
//! the standard Helvetica font, so nothing is embedded).

use super::record::Rag;
use super::report::Report;
use crate::AppResult;
use crate::Context;

pub enum Block {
    Heading(u8, String),
    Para(String),
    Table(Vec<String>, Vec<Vec<String>>),
}

/// Pence as "£8,000" or "£8,000.50".
pub fn money(pence: i64) -> String {
    let pounds = pence / 100;
    let digits = pounds.abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    let sign = if pence < 0 { "-" } else { "" };
    if pence % 100 == 0 {
        format!("{sign}£{out}")
    } else {
        format!("{sign}£{out}.{:02}", (pence % 100).abs())
    }
}

pub fn outline(r: &Report) -> Vec<Block> {
    let mut b = vec![
        Block::Heading(1, format!("Executive report: {}", r.plan_title)),
        Block::Para(format!("As it stood on {}.", r.date)),
        Block::Heading(2, "Status at a glance".into()),
        Block::Para(format!(
            "Red: {}. Amber: {}. Green: {}. No status: {}.",
            r.rag_counts[0], r.rag_counts[1], r.rag_counts[2], r.rag_counts[3]
        )),
        Block::Heading(2, "Work areas and budget".into()),
        Block::Para(format!(
            "Budget allocated {}, committed {}, spent {}.",
            money(r.allocated_pence),
            money(r.committed_pence),
            money(r.spent_pence)
        )),
    ];
    b.push(Block::Table(
        [
            "Work area",
            "Lead",
            "Status",
            "Allocated",
            "Committed",
            "Spent",
            "Flags",
        ]
        .map(String::from)
        .to_vec(),
        r.areas
            .iter()
            .map(|a| {
                vec![
                    a.title.clone(),
                    a.leads.join(", "),
                    a.rag.map_or("none", Rag::code).to_string(),
                    money(a.allocated_pence),
                    money(a.committed_pence),
                    money(a.spent_pence),
                    a.flags.join("; "),
                ]
            })
            .collect(),
    ));
    actions_section(r, &mut b);
    learning_and_updates(r, &mut b);
    b
}

/// Actions overdue and due soon, as tables.
fn actions_section(r: &Report, b: &mut Vec<Block>) {
    for (title, list) in [
        ("Actions overdue", &r.overdue),
        ("Actions due in the next four weeks", &r.due_soon),
    ] {
        b.push(Block::Heading(2, title.into()));
        if list.is_empty() {
            b.push(Block::Para("None.".into()));
        } else {
            b.push(Block::Table(
                ["Owner", "Action", "Due"].map(String::from).to_vec(),
                list.iter()
                    .map(|a| {
                        vec![
                            a.owner.clone(),
                            a.description.clone(),
                            a.due.clone().unwrap_or_default(),
                        ]
                    })
                    .collect(),
            ));
        }
    }
}

/// Linked learning and recent updates, as paragraphs.
fn learning_and_updates(r: &Report, b: &mut Vec<Block>) {
    b.push(Block::Heading(
        2,
        "Learning, evidence and events linked".into(),
    ));
    if r.learning.is_empty() {
        b.push(Block::Para("No learning linked to the work areas.".into()));
    }
    for l in &r.learning {
        // Evaluations and reports in the library are the evidence a work area can point to.
        let what = match l.kind.as_str() {
            "event" => "Event: ",
            "evaluation" => "Evidence: ",
            _ => "",
        };
        b.push(Block::Para(format!(
            "{}: {what}{} ({})",
            l.work_area, l.title, l.organisation
        )));
    }
    b.push(Block::Heading(2, "Recent updates".into()));
    if r.recent_updates.is_empty() {
        b.push(Block::Para(
            "No updates in the six weeks before this date.".into(),
        ));
    }
    for u in &r.recent_updates {
        b.push(Block::Para(format!(
            "{} · {} · {}: {}",
            u.posted_on,
            u.work_area,
            u.rag.map(Rag::code).unwrap_or_default(),
            u.body
        )));
    }
}

pub fn docx(r: &Report) -> AppResult<Vec<u8>> {
    use docx_rs::{Docx, Paragraph, Run, Style, StyleType, Table, TableCell, TableRow};
    let mut doc = Docx::new()
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("Heading 1")
                .size(36)
                .bold(),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("Heading 2")
                .size(28)
                .bold(),
        );
    let cell = |text: &str, bold: bool| {
        let run = Run::new().add_text(text);
        TableCell::new().add_paragraph(Paragraph::new().add_run(if bold {
            run.bold()
        } else {
            run
        }))
    };
    for block in outline(r) {
        doc = match block {
            Block::Heading(level, text) => doc.add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text(text))
                    .style(if level == 1 { "Heading1" } else { "Heading2" }),
            ),
            Block::Para(text) => {
                doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(text)))
            }
            Block::Table(head, rows) => {
                let mut all = vec![TableRow::new(head.iter().map(|h| cell(h, true)).collect())];
                all.extend(
                    rows.iter()
                        .map(|row| TableRow::new(row.iter().map(|c| cell(c, false)).collect())),
                );
                doc.add_table(Table::new(all))
            }
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).context("writing DOCX")?;
    Ok(out.into_inner())
}

/// Text in the PDF's WinAnsi encoding (what the standard fonts use); other characters become '?'.
fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' | '·' => 0xB7,
            '–' => 0x96,
            '—' => 0x97,
            '€' => 0x80,
            c if (c as u32) < 0x80 || (0xA0..=0xFF).contains(&(c as u32)) => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// Splits text into lines of at most `max` characters at spaces (Helvetica averages about
/// half an em a character, which is close enough for a report).
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = vec![];
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

const PDF_TOP: f32 = 800.0;
const PDF_BOTTOM: f32 = 50.0;
const PDF_LEFT: f32 = 50.0;

/// One printed line of the PDF.
struct PdfLine {
    size: f32,
    bold: bool,
    indent: f32,
    text: String,
}

fn pdf_line(size: f32, bold: bool, indent: f32, text: String) -> PdfLine {
    PdfLine {
        size,
        bold,
        indent,
        text,
    }
}

/// The outline as printed lines, wrapped to the page's width.
fn pdf_lines(r: &Report) -> Vec<PdfLine> {
    let mut lines = vec![];
    for block in outline(r) {
        match block {
            Block::Heading(level, text) => {
                let size = if level == 1 { 16.0 } else { 13.0 };
                lines.push(pdf_line(size * 0.6, false, 0.0, String::new()));
                for l in wrap(&text, if level == 1 { 60 } else { 75 }) {
                    lines.push(pdf_line(size, true, 0.0, l));
                }
            }
            Block::Para(text) => wrap(&text, 95)
                .into_iter()
                .for_each(|l| lines.push(pdf_line(10.0, false, 0.0, l))),
            Block::Table(head, rows) => {
                lines.push(pdf_line(10.0, true, 0.0, head.join(" | ")));
                for row in rows {
                    for (i, l) in wrap(&row.join(" | "), 90).into_iter().enumerate() {
                        lines.push(pdf_line(10.0, false, if i == 0 { 0.0 } else { 12.0 }, l));
                    }
                }
            }
        }
    }
    lines
}

/// Lines grouped into A4 pages.
fn paginate(lines: Vec<PdfLine>) -> Vec<Vec<PdfLine>> {
    let mut pages: Vec<Vec<PdfLine>> = vec![vec![]];
    let mut y = PDF_TOP;
    for line in lines {
        let step = line.size * 1.4;
        if y - step < PDF_BOTTOM {
            pages.push(vec![]);
            y = PDF_TOP;
        }
        y -= step;
        if let Some(p) = pages.last_mut() {
            p.push(line);
        }
    }
    pages
}

/// One page's text as a content stream.
fn page_content(lines: &[PdfLine]) -> Vec<u8> {
    use pdf_writer::{Content, Name, Str};
    let mut content = Content::new();
    let mut y = PDF_TOP;
    for line in lines {
        y -= line.size * 1.4;
        if line.text.is_empty() {
            continue;
        }
        content.begin_text();
        content.set_font(Name(if line.bold { b"F2" } else { b"F1" }), line.size);
        content.next_line(PDF_LEFT + line.indent, y);
        content.show(Str(&win_ansi(&line.text)));
        content.end_text();
    }
    content.finish().into_vec()
}

pub fn pdf(r: &Report) -> Vec<u8> {
    use pdf_writer::{Finish, Name, Pdf, Rect, Ref};
    let pages = paginate(pdf_lines(r));
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|i| Ref::new(10 + 2 * i as i32))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(pages.len() as i32);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info).title(pdf_writer::TextStr(&format!(
        "Executive report: {}",
        r.plan_title
    )));
    for (i, lines) in pages.iter().enumerate() {
        let content_id = Ref::new(11 + 2 * i as i32);
        let mut page = pdf.page(page_ids[i]);
        page.media_box(Rect::new(0.0, 0.0, 595.0, 842.0))
            .parent(tree)
            .contents(content_id);
        page.resources()
            .fonts()
            .pair(Name(b"F1"), regular)
            .pair(Name(b"F2"), bold);
        page.finish();
        pdf.stream(content_id, &page_content(lines));
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    #[test]
    fn wraps_at_spaces() {
        assert_eq!(
            super::wrap("one two three four", 9),
            ["one two", "three", "four"]
        );
        assert_eq!(super::wrap("", 9), [""]);
    }

    #[test]
    fn pound_signs_survive_encoding() {
        assert_eq!(
            super::win_ansi("£8,000 – ok"),
            [0xA3, b'8', b',', b'0', b'0', b'0', b' ', 0x96, b' ', b'o', b'k']
        );
    }
}
