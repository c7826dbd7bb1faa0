//! A document as Word (docx-rs): a title page (the logo with its alternative text, the
//! host's name, the title, the subtitle and what the document holds), then sections under
//! Word's own "heading 1" / "heading 2" styles (with outline levels, so the navigation pane
//! lists them), claims with their citation and source, tables with a bold header row that
//! repeats on each page, RAG cells shaded in their colour with the word in them, and
//! "Page N of M" in the footer. Speaker notes are not printed.
//!
//! docx-rs has no setter for a row's "repeat as header row" (`w:tblHeader`), so header rows
//! are the only rows written with `w:cantSplit`, and `mark_header_rows` adds `w:tblHeader`
//! beside each in the document's XML before it is packed. Nor has it one for a picture's
//! alternative text or the document's title: `describe_logo` adds `descr` to the logo's
//! `wp:docPr`, and `with_title` adds `dc:title` to the core properties.

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, LineSpacing, NumPages, PageMargin, PageNum, Paragraph,
    Run, RunFonts, Shading, ShdType, Style, StyleType, Table as WordTable, TableCell,
    TableLayoutType, TableRow, WidthType,
};

use docx_rs::Pic;

use super::outline::{
    rag_colours, Block, Cell, Claim, Document, Logo, Table, ACCENT, HEADER_FILL, INK, SECONDARY,
};
use super::pptx::escape;
use crate::{AppError, AppResult, Context};

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

/// The document as DOCX.
pub fn docx(d: &Document) -> AppResult<Vec<u8>> {
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
        .footer(footer(&d.site, &d.title));
    for block in &d.blocks {
        doc = match block {
            Block::TitlePage { subtitle, about } => title_page(doc, d, subtitle, about)?,
            Block::Heading(level, text) => doc.add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text(text))
                    .style(if *level <= 1 { "Heading1" } else { "Heading2" })
                    .keep_next(true),
            ),
            Block::Para(text) => doc.add_paragraph(normal().add_run(Run::new().add_text(text))),
            Block::Flag(text) => doc
                .add_paragraph(normal().add_run(Run::new().add_text(text).bold().color(hex(INK)))),
            Block::Table(table) => doc.add_table(word_table(table)).add_paragraph(normal()),
            Block::Claim(claim) => claim_paragraphs(doc, claim),
            Block::Notes(_) => doc,
        };
    }
    let mut xml = doc.build();
    xml.document = mark_header_rows(&xml.document);
    if let Some(logo) = &d.logo {
        xml.document = describe_logo(&xml.document, &logo.alt);
    }
    xml.doc_props.core = with_title(&xml.doc_props.core, &d.title);
    let mut out = std::io::Cursor::new(Vec::new());
    xml.pack(&mut out)
        .context(format!("writing {:?} as DOCX", d.title))?;
    Ok(out.into_inner())
}

/// A claim: its figure (bold, larger) if it has one, the claim with its citation marker,
/// then its source, smaller, in the secondary colour.
fn claim_paragraphs(mut doc: Docx, claim: &Claim) -> Docx {
    if let Some(figure) = &claim.figure {
        doc = doc.add_paragraph(
            normal()
                .add_run(Run::new().add_text(figure).bold().size(40).color(hex(INK)))
                .keep_next(true)
                .line_spacing(LineSpacing::new().after(40)),
        );
    }
    doc.add_paragraph(
        normal()
            .add_run(Run::new().add_text(claim.cited()))
            .keep_next(true)
            .line_spacing(LineSpacing::new().after(40)),
    )
    .add_paragraph(
        normal()
            .add_run(
                Run::new()
                    .add_text(&claim.source)
                    .size(18)
                    .color(hex(SECONDARY)),
            )
            .line_spacing(LineSpacing::new().after(240)),
    )
}

/// The logo at 1.5 cm high (at most 8 cm wide), inline in its own paragraph.
fn logo_paragraph(logo: &Logo) -> AppResult<Paragraph> {
    const EMU_PER_CM: f32 = 360_000.0;
    let (w, h) = logo
        .size()
        .ok_or_else(|| AppError::internal(format!("the logo {:?} is not a PNG", logo.alt)))?;
    let (cx, cy) = logo
        .fit(1.5 * EMU_PER_CM, 8.0 * EMU_PER_CM)
        .unwrap_or((0.0, 0.0));
    let pic = Pic::new_with_dimensions(logo.png.clone(), w, h).size(cx as u32, cy as u32);
    Ok(normal()
        .add_run(Run::new().add_image(pic))
        .line_spacing(LineSpacing::new().after(240)))
}

/// The logo, the host's name, the title (heading 1), the subtitle and what the document
/// holds; then a page break.
fn title_page(mut doc: Docx, d: &Document, subtitle: &str, about: &str) -> AppResult<Docx> {
    if let Some(logo) = &d.logo {
        doc = doc.add_paragraph(logo_paragraph(logo)?);
    }
    let (site, title, as_at) = (d.site.as_str(), d.title.as_str(), subtitle);
    Ok(doc
        .add_paragraph(
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
        ))
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
                cell(w, c.numeric, Run::new().add_text(&c.title).bold()).shading(
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

/// Gives the logo (the only picture, which docx-rs writes as `<wp:docPr id="1"
/// name="Figure" />`) its name and alternative text (`descr`, ECMA-376 Part 1, 20.4.2.5).
fn describe_logo(document: &[u8], alt: &str) -> Vec<u8> {
    const PICTURE: &str = "<wp:docPr id=\"1\" name=\"Figure\" />";
    String::from_utf8_lossy(document)
        .replacen(
            PICTURE,
            &format!(
                "<wp:docPr id=\"1\" name=\"Logo\" descr=\"{}\" />",
                escape(alt)
            ),
            1,
        )
        .into_bytes()
}

/// Adds the title (`dc:title`) to the core properties docx-rs wrote without one.
fn with_title(core: &[u8], title: &str) -> Vec<u8> {
    const END: &str = "</cp:coreProperties>";
    let core = String::from_utf8_lossy(core);
    if core.contains("<dc:title") {
        return core.into_owned().into_bytes();
    }
    core.replacen(
        END,
        &format!("<dc:title>{}</dc:title>{END}", escape(title)),
        1,
    )
    .into_bytes()
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::documents::tests::briefing;
    use crate::plans::report_docs::tests::sample_document as sample;

    /// A part of a DOCX (a zip), as text.
    pub(crate) fn part(docx: &[u8], name: &str) -> String {
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
        let docx = super::docx(&sample(3)).expect("a DOCX");
        let xml = part(&docx, "word/document.xml");
        let tables = xml.matches("<w:tbl>").count();
        assert!(tables >= 3, "{tables} tables");
        assert_eq!(xml.matches("<w:tblHeader />").count(), tables);
        assert!(xml.contains("Zoë Ó Briain") && xml.contains("23 November 2026"));
        assert!(xml.contains("w:fill=\"FFBF47\""), "amber shading");
    }

    #[test]
    fn headings_are_words_own_and_the_footer_numbers_pages() {
        let docx = super::docx(&sample(1)).expect("a DOCX");
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

    #[test]
    fn the_logo_has_its_alt_text_claims_their_citations_and_notes_are_left_out() {
        let docx = super::docx(&briefing()).expect("a DOCX");
        let xml = part(&docx, "word/document.xml");
        assert!(
            xml.contains("name=\"Logo\" descr=\"Learning Zone logo\""),
            "{xml}"
        );
        assert!(xml.contains("GP visits fell by 17 % in a year. [1]"));
        assert!(xml.contains("Each £1 spent returned £1.20. [3]"));
        assert!(!xml.contains("Welcome everyone") && !xml.contains("Say where claim"));
        let core = part(&docx, "docProps/core.xml");
        assert!(
            core.contains("<dc:title>Social prescribing: what the evidence says &lt;&amp;&gt;&quot;&apos;</dc:title>"),
            "{core}"
        );
        assert!(
            docx.len() > 1000 && part(&docx, "word/_rels/document.xml.rels").contains("media/")
        );
    }
}
