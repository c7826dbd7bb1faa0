//! The report as a Word document (docx-rs): a title page, then sections under Word's own
//! "heading 1" / "heading 2" styles (with outline levels, so the navigation pane lists them),
//! tables with a bold header row that repeats on each page, RAG cells shaded in their colour
//! with the word in them, and "Page N of M" in the footer.
//!
//! docx-rs has no setter for a row's "repeat as header row" (`w:tblHeader`), so header rows
//! are the only rows written with `w:cantSplit`, and `mark_header_rows` adds `w:tblHeader`
//! beside each in the document's XML before it is packed.

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, LineSpacing, NumPages, PageMargin, PageNum, Paragraph,
    Run, RunFonts, Shading, ShdType, Style, StyleType, Table as WordTable, TableCell,
    TableLayoutType, TableRow, WidthType,
};

use super::{outline, rag_colours, Block, Cell, Table, ACCENT, HEADER_FILL, INK, SECONDARY};
use crate::plans::report::Report;
use crate::{AppResult, Context};

/// A4 in twentieths of a point, with 2 cm margins.
const PAGE_WIDTH: u32 = 11_906;
const PAGE_HEIGHT: u32 = 16_838;
const MARGIN: i32 = 1_134;
const TEXT_WIDTH: usize = PAGE_WIDTH as usize - 2 * MARGIN as usize;

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("{r:02X}{g:02X}{b:02X}")
}

/// Word's built-in heading styles: recognised by their names ("heading 1", shown as
/// "Heading 1"), each with its outline level.
fn heading_style(level: usize, half_points: usize) -> Style {
    Style::new(format!("Heading{level}"), StyleType::Paragraph)
        .name(format!("heading {level}"))
        .based_on("Normal")
        .next("Normal")
        .q_format(true)
        .ui_priority(9)
        .outline_lvl(level - 1)
        .size(half_points)
        .bold()
        .color(hex(INK))
        .line_spacing(
            LineSpacing::new()
                .before(if level == 1 { 0 } else { 360 })
                .after(120),
        )
}

/// A paragraph in Word's "Normal" style, named (docx-rs does not mark it as the default).
fn normal() -> Paragraph {
    Paragraph::new().style("Normal")
}

/// The report as DOCX; `site_name` is the host's name for the title page.
pub fn docx(r: &Report, site_name: &str) -> AppResult<Vec<u8>> {
    let mut doc = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(PageMargin {
            top: MARGIN,
            left: MARGIN,
            bottom: MARGIN,
            right: MARGIN,
            header: 567,
            footer: 567,
            gutter: 0,
        })
        .default_fonts(RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial"))
        .default_size(21)
        .default_line_spacing(LineSpacing::new().after(120))
        .add_style(heading_style(1, 52))
        .add_style(heading_style(2, 32))
        .footer(footer(site_name, &super::title(r)));
    for block in outline(r, site_name) {
        doc = match block {
            Block::TitlePage {
                site,
                title,
                as_at,
                about,
            } => title_page(doc, &site, &title, &as_at, &about),
            Block::Heading(level, text) => doc.add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text(text))
                    .style(if level <= 1 { "Heading1" } else { "Heading2" })
                    .keep_next(true),
            ),
            Block::Para(text) => doc.add_paragraph(normal().add_run(Run::new().add_text(text))),
            Block::Flag(text) => doc
                .add_paragraph(normal().add_run(Run::new().add_text(text).bold().color(hex(INK)))),
            Block::Table(table) => doc.add_table(word_table(&table)).add_paragraph(normal()),
        };
    }
    let mut xml = doc.build();
    xml.document = mark_header_rows(&xml.document);
    let mut out = std::io::Cursor::new(Vec::new());
    xml.pack(&mut out).context("writing the report as DOCX")?;
    Ok(out.into_inner())
}

/// The site's name, the title (heading 1), the date and what the report holds; then a page
/// break.
fn title_page(doc: Docx, site: &str, title: &str, as_at: &str, about: &str) -> Docx {
    doc.add_paragraph(
        normal()
            .add_run(Run::new().add_text(site).bold().size(32).color(hex(ACCENT)))
            .line_spacing(LineSpacing::new().after(2_400)),
    )
    .add_paragraph(
        Paragraph::new()
            .add_run(Run::new().add_text(title))
            .style("Heading1"),
    )
    .add_paragraph(
        normal()
            .add_run(Run::new().add_text(as_at).size(32))
            .line_spacing(LineSpacing::new().after(480)),
    )
    .add_paragraph(
        normal()
            .add_run(Run::new().add_text(about).color(hex(SECONDARY)))
            .add_run(Run::new().add_break(BreakType::Page)),
    )
}

/// "Site · title" on the left, "Page N of M" (Word's PAGE and NUMPAGES fields) after it.
fn footer(site: &str, title: &str) -> Footer {
    let small = |t: &str| Run::new().add_text(t).size(18).color(hex(SECONDARY));
    Footer::new().add_paragraph(
        Paragraph::new()
            .add_run(small(&format!("{site} · {title} · ")))
            .add_run(small("Page "))
            .add_page_num(PageNum::new())
            .add_run(small(" of "))
            .add_num_pages(NumPages::new()),
    )
}

fn word_table(table: &Table) -> WordTable {
    let total: usize = table
        .columns
        .iter()
        .map(|c| usize::from(c.weight))
        .sum::<usize>()
        .max(1);
    let widths: Vec<usize> = table
        .columns
        .iter()
        .map(|c| TEXT_WIDTH * usize::from(c.weight) / total)
        .collect();
    let header = TableRow::new(
        table
            .columns
            .iter()
            .zip(&widths)
            .map(|(c, &w)| {
                cell(w, c.numeric, Run::new().add_text(c.title).bold()).shading(
                    Shading::new()
                        .shd_type(ShdType::Clear)
                        .fill(hex(HEADER_FILL)),
                )
            })
            .collect(),
    )
    // The only rows with cantSplit: `mark_header_rows` finds them by it.
    .cant_split();
    let mut rows = vec![header];
    rows.extend(table.rows.iter().map(|row| {
        TableRow::new(
            row.iter()
                .zip(table.columns.iter().zip(&widths))
                .map(|(c, (column, &w))| match c {
                    Cell::Text(t) => cell(w, column.numeric, Run::new().add_text(t)),
                    Cell::Rag(rag) => {
                        let (fill, ink) = rag_colours(*rag);
                        cell(
                            w,
                            false,
                            Run::new().add_text(c.text()).bold().color(hex(ink)),
                        )
                        .shading(Shading::new().shd_type(ShdType::Clear).fill(hex(fill)))
                    }
                })
                .collect(),
        )
    }));
    WordTable::new(rows)
        .set_grid(widths)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}

fn cell(width: usize, numeric: bool, run: Run) -> TableCell {
    let p = normal()
        .add_run(run)
        .line_spacing(LineSpacing::new().before(40).after(40));
    TableCell::new()
        .width(width, WidthType::Dxa)
        .add_paragraph(if numeric {
            p.align(AlignmentType::Right)
        } else {
            p
        })
}

/// Adds `<w:tblHeader/>` ("repeat as header row at the top of each page") to every row
/// written with `<w:cantSplit />`: the header rows (see `word_table`).
fn mark_header_rows(document: &[u8]) -> Vec<u8> {
    const MARK: &str = "<w:cantSplit />";
    String::from_utf8_lossy(document)
        .replace(MARK, "<w:cantSplit /><w:tblHeader />")
        .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::super::tests::sample;

    /// A part of a DOCX (a zip), as text.
    fn part(docx: &[u8], name: &str) -> String {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
        let mut xml = String::new();
        zip.by_name(name)
            .expect("the part is there")
            .read_to_string(&mut xml)
            .expect("UTF-8");
        xml
    }

    #[test]
    fn header_rows_repeat_and_only_header_rows() {
        let docx = super::docx(&sample(3), "Learning Zone").expect("a DOCX");
        let xml = part(&docx, "word/document.xml");
        let tables = xml.matches("<w:tbl>").count();
        assert!(tables >= 3, "{tables} tables");
        assert_eq!(xml.matches("<w:tblHeader />").count(), tables);
        assert!(xml.contains("Zoë Ó Briain") && xml.contains("23 November 2026"));
        assert!(xml.contains("w:fill=\"FFBF47\""), "amber shading");
    }

    #[test]
    fn headings_are_words_own_and_the_footer_numbers_pages() {
        let docx = super::docx(&sample(1), "Learning Zone").expect("a DOCX");
        let styles = part(&docx, "word/styles.xml");
        assert!(
            styles.contains("<w:name w:val=\"heading 1\" />"),
            "{styles}"
        );
        assert!(styles.contains("<w:outlineLvl w:val=\"1\" />"), "{styles}");
        let footer = part(&docx, "word/footer1.xml");
        assert!(
            footer.contains(">PAGE</w:instrText>") && footer.contains(">NUMPAGES</w:instrText>"),
            "{footer}"
        );
    }
}
