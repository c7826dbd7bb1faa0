//! Minimal but valid PDF, DOCX and PPTX documents built from plain paragraphs, for demo
//! data and tests (the product's demo loader uses them, so they live in the library).
//!
//! Output is deterministic (fixed ZIP timestamps), so the same input always gives the
//! same bytes and therefore the same storage key.

use std::io::{Cursor, Write};

use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str, TextStr};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

// ---------------------------------------------------------------------------------
// PDF

const PAGE_WIDTH: f32 = 595.0; // A4, in points
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 72.0;
const BODY_SIZE: f32 = 11.0;
const BODY_LEADING: f32 = 15.0;
const PARAGRAPH_GAP: f32 = 12.0;
const TITLE_SIZE: f32 = 18.0;
const TITLE_LEADING: f32 = 24.0;

/// A PDF with `title` as heading (and document title) and the paragraphs below it,
/// set in Helvetica (one of the standard fonts, so nothing is embedded) with WinAnsi
/// encoding, wrapped at word boundaries onto as many A4 pages as needed. Characters
/// WinAnsi lacks become `?`.
pub fn pdf(title: &str, paragraphs: &[&str]) -> Vec<u8> {
    pdf_padded(title, paragraphs, &[])
}

/// [`pdf`] with `padding` kept as one more (unreferenced) stream, the way a real report carries
/// images and fonts: for benchmarks that need documents of a realistic size.
pub fn pdf_padded(title: &str, paragraphs: &[&str], padding: &[u8]) -> Vec<u8> {
    // Lay out first: a list of pages, each a list of (font, size, y, text) lines.
    let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
    let mut y = PAGE_HEIGHT - MARGIN;
    let width = PAGE_WIDTH - 2.0 * MARGIN;
    let mut place = |font: FontChoice, size: f32, leading: f32, text: String| {
        if y - leading < MARGIN {
            pages.push(Vec::new());
            y = PAGE_HEIGHT - MARGIN;
        }
        y -= leading;
        if let Some(page) = pages.last_mut() {
            page.push(Line {
                font,
                size,
                y,
                text,
            });
        }
    };
    let title = title.trim();
    if !title.is_empty() {
        for line in wrap(title, TITLE_SIZE * 1.1, width) {
            place(FontChoice::Bold, TITLE_SIZE, TITLE_LEADING, line);
        }
        place(FontChoice::Regular, BODY_SIZE, PARAGRAPH_GAP, String::new());
    }
    for paragraph in paragraphs {
        for source_line in paragraph.lines() {
            for line in wrap(source_line, BODY_SIZE, width) {
                place(FontChoice::Regular, BODY_SIZE, BODY_LEADING, line);
            }
        }
        place(FontChoice::Regular, BODY_SIZE, PARAGRAPH_GAP, String::new());
    }

    let catalog_id = Ref::new(1);
    let page_tree_id = Ref::new(2);
    let regular_id = Ref::new(3);
    let bold_id = Ref::new(4);
    let info_id = Ref::new(5);
    let first_page = 6;
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|i| Ref::new(first_page + 2 * i as i32))
        .collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(page_tree_id);
    pdf.pages(page_tree_id)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    for (font_id, base) in [(regular_id, "Helvetica"), (bold_id, "Helvetica-Bold")] {
        pdf.type1_font(font_id)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    if !title.is_empty() {
        pdf.document_info(info_id).title(TextStr(title));
    }
    for (page_id, lines) in page_ids.iter().zip(&pages) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        page.parent(page_tree_id);
        page.contents(content_id);
        page.resources()
            .fonts()
            .pair(Name(b"F1"), regular_id)
            .pair(Name(b"F2"), bold_id);
        drop(page);

        let mut content = Content::new();
        for line in lines.iter().filter(|l| !l.text.is_empty()) {
            let font = match line.font {
                FontChoice::Regular => Name(b"F1"),
                FontChoice::Bold => Name(b"F2"),
            };
            let encoded = win_ansi(&line.text);
            content.begin_text();
            content.set_font(font, line.size);
            content.next_line(MARGIN, line.y);
            content.show(Str(&encoded));
            content.end_text();
        }
        pdf.stream(content_id, &content.finish());
    }
    if !padding.is_empty() {
        let next = first_page + 2 * page_ids.len() as i32;
        pdf.stream(Ref::new(next), padding);
    }
    pdf.finish()
}

#[derive(Clone, Copy)]
enum FontChoice {
    Regular,
    Bold,
}

struct Line {
    font: FontChoice,
    size: f32,
    y: f32,
    text: String,
}

/// Helvetica advance widths (thousandths of the font size) for WinAnsi 32..=126.
const HELVETICA_WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // sp - /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0 - 9
    278, 278, 584, 584, 584, 556, 1015, // : - @
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A - M
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N - Z
    278, 278, 278, 469, 556, 333, // [ - `
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a - m
    556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n - z
    334, 260, 334, 584, // { - ~
];

fn text_width(text: &str, size: f32) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| {
            let code = c as u32;
            if (32..=126).contains(&code) {
                u32::from(HELVETICA_WIDTHS[(code - 32) as usize])
            } else {
                // Accented letters are about as wide as their base letters.
                556
            }
        })
        .sum();
    units as f32 * size / 1000.0
}

/// Greedy word wrap; a word longer than a whole line is split.
fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if text_width(&candidate, size) <= width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        // The word alone may still be too long: split it by characters.
        for c in word.chars() {
            let mut next = current.clone();
            next.push(c);
            if text_width(&next, size) > width && !current.is_empty() {
                lines.push(std::mem::replace(&mut current, c.to_string()));
            } else {
                current = next;
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Encodes text as WinAnsi (Windows-1252) bytes; unknown characters become `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            // Latin-1 and Windows-1252 agree from U+00A0 up.
            '\u{A0}'..='\u{FF}' => c as u32 as u8,
            '€' => 0x80,
            '‚' => 0x82,
            '„' => 0x84,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '™' => 0x99,
            '\t' => b' ',
            _ => b'?',
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// Office Open XML

const CONTENT_TYPES_NS: &str = "http://schemas.openxmlformats.org/package/2006/content-types";
const RELS_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const REL_OFFICE_DOCUMENT: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
const REL_BASE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_P: &str = "http://schemas.openxmlformats.org/presentationml/2006/main";
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// A Word document with one paragraph per item; `\n` inside an item is a line break
/// and `\t` a tab.
pub fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let mut body = String::new();
    for paragraph in paragraphs {
        body.push_str("<w:p><w:r>");
        let mut run = String::new();
        let flush = |run: &mut String, body: &mut String| {
            if !run.is_empty() {
                body.push_str("<w:t xml:space=\"preserve\">");
                body.push_str(&xml_escape(run));
                body.push_str("</w:t>");
                run.clear();
            }
        };
        for c in paragraph.chars() {
            match c {
                '\n' => {
                    flush(&mut run, &mut body);
                    body.push_str("<w:br/>");
                }
                '\t' => {
                    flush(&mut run, &mut body);
                    body.push_str("<w:tab/>");
                }
                '\r' => {}
                c => run.push(c),
            }
        }
        flush(&mut run, &mut body);
        body.push_str("</w:r></w:p>");
    }
    let document = format!(
        "{XML_DECL}<w:document xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\"><w:body>{body}\
         <w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\" \
         w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    );
    let content_types = format!(
        "{XML_DECL}<Types xmlns=\"{CONTENT_TYPES_NS}\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/word/document.xml\" \
         ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
         </Types>"
    );
    let root_rels = format!(
        "{XML_DECL}<Relationships xmlns=\"{RELS_NS}\">\
         <Relationship Id=\"rId1\" Type=\"{REL_OFFICE_DOCUMENT}\" Target=\"word/document.xml\"/>\
         </Relationships>"
    );
    zip_parts(&[
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", root_rels),
        ("word/document.xml", document),
    ])
}

/// A PowerPoint presentation with one slide per item, each holding one text box; every
/// line of an item is a paragraph. Includes the slide master, layout and theme that
/// PowerPoint requires.
pub fn pptx(slides: &[&str]) -> Vec<u8> {
    let mut parts: Vec<(&str, String)> = Vec::new();
    let mut slide_names = Vec::new();
    let mut content_types = format!(
        "{XML_DECL}<Types xmlns=\"{CONTENT_TYPES_NS}\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/ppt/presentation.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml\"/>\
         <Override PartName=\"/ppt/slideMasters/slideMaster1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.presentationml.slideMaster+xml\"/>\
         <Override PartName=\"/ppt/slideLayouts/slideLayout1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml\"/>\
         <Override PartName=\"/ppt/theme/theme1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.theme+xml\"/>"
    );
    let mut presentation_rels = format!(
        "{XML_DECL}<Relationships xmlns=\"{RELS_NS}\">\
         <Relationship Id=\"rId1\" Type=\"{REL_BASE}/slideMaster\" Target=\"slideMasters/slideMaster1.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"{REL_BASE}/theme\" Target=\"theme/theme1.xml\"/>"
    );
    let mut slide_ids = String::new();
    for (i, text) in slides.iter().enumerate() {
        let n = i + 1;
        content_types.push_str(&format!(
            "<Override PartName=\"/ppt/slides/slide{n}.xml\" \
             ContentType=\"application/vnd.openxmlformats-officedocument.presentationml.slide+xml\"/>"
        ));
        presentation_rels.push_str(&format!(
            "<Relationship Id=\"rId{}\" Type=\"{REL_BASE}/slide\" Target=\"slides/slide{n}.xml\"/>",
            n + 2
        ));
        slide_ids.push_str(&format!(
            "<p:sldId id=\"{}\" r:id=\"rId{}\"/>",
            255 + n,
            n + 2
        ));
        slide_names.push((
            format!("ppt/slides/slide{n}.xml"),
            slide_xml(text),
            format!("ppt/slides/_rels/slide{n}.xml.rels"),
        ));
    }
    content_types.push_str("</Types>");
    presentation_rels.push_str("</Relationships>");
    let slide_id_list = if slide_ids.is_empty() {
        String::new()
    } else {
        format!("<p:sldIdLst>{slide_ids}</p:sldIdLst>")
    };
    let presentation = format!(
        "{XML_DECL}<p:presentation xmlns:a=\"{NS_A}\" xmlns:r=\"{NS_R}\" xmlns:p=\"{NS_P}\">\
         <p:sldMasterIdLst><p:sldMasterId id=\"2147483648\" r:id=\"rId1\"/></p:sldMasterIdLst>\
         {slide_id_list}<p:sldSz cx=\"9144000\" cy=\"6858000\" type=\"screen4x3\"/>\
         <p:notesSz cx=\"6858000\" cy=\"9144000\"/></p:presentation>"
    );
    let root_rels = format!(
        "{XML_DECL}<Relationships xmlns=\"{RELS_NS}\">\
         <Relationship Id=\"rId1\" Type=\"{REL_OFFICE_DOCUMENT}\" Target=\"ppt/presentation.xml\"/>\
         </Relationships>"
    );
    let slide_rels = format!(
        "{XML_DECL}<Relationships xmlns=\"{RELS_NS}\">\
         <Relationship Id=\"rId1\" Type=\"{REL_BASE}/slideLayout\" Target=\"../slideLayouts/slideLayout1.xml\"/>\
         </Relationships>"
    );
    let master_rels = format!(
        "{XML_DECL}<Relationships xmlns=\"{RELS_NS}\">\
         <Relationship Id=\"rId1\" Type=\"{REL_BASE}/slideLayout\" Target=\"../slideLayouts/slideLayout1.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"{REL_BASE}/theme\" Target=\"../theme/theme1.xml\"/>\
         </Relationships>"
    );
    let layout_rels = format!(
        "{XML_DECL}<Relationships xmlns=\"{RELS_NS}\">\
         <Relationship Id=\"rId1\" Type=\"{REL_BASE}/slideMaster\" Target=\"../slideMasters/slideMaster1.xml\"/>\
         </Relationships>"
    );
    let empty_tree = "<p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>";
    let master = format!(
        "{XML_DECL}<p:sldMaster xmlns:a=\"{NS_A}\" xmlns:r=\"{NS_R}\" xmlns:p=\"{NS_P}\">\
         <p:cSld><p:spTree>{empty_tree}</p:spTree></p:cSld>\
         <p:clrMap bg1=\"lt1\" tx1=\"dk1\" bg2=\"lt2\" tx2=\"dk2\" accent1=\"accent1\" accent2=\"accent2\" \
         accent3=\"accent3\" accent4=\"accent4\" accent5=\"accent5\" accent6=\"accent6\" hlink=\"hlink\" folHlink=\"folHlink\"/>\
         <p:sldLayoutIdLst><p:sldLayoutId id=\"2147483649\" r:id=\"rId1\"/></p:sldLayoutIdLst>\
         </p:sldMaster>"
    );
    let layout = format!(
        "{XML_DECL}<p:sldLayout xmlns:a=\"{NS_A}\" xmlns:r=\"{NS_R}\" xmlns:p=\"{NS_P}\" type=\"blank\" preserve=\"1\">\
         <p:cSld name=\"Blank\"><p:spTree>{empty_tree}</p:spTree></p:cSld>\
         <p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"
    );

    parts.push(("[Content_Types].xml", content_types));
    parts.push(("_rels/.rels", root_rels));
    parts.push(("ppt/presentation.xml", presentation));
    parts.push(("ppt/_rels/presentation.xml.rels", presentation_rels));
    parts.push(("ppt/slideMasters/slideMaster1.xml", master));
    parts.push(("ppt/slideMasters/_rels/slideMaster1.xml.rels", master_rels));
    parts.push(("ppt/slideLayouts/slideLayout1.xml", layout));
    parts.push(("ppt/slideLayouts/_rels/slideLayout1.xml.rels", layout_rels));
    parts.push(("ppt/theme/theme1.xml", theme_xml()));
    for (slide, xml, rels) in &slide_names {
        parts.push((slide.as_str(), xml.clone()));
        parts.push((rels.as_str(), slide_rels.clone()));
    }
    zip_parts(&parts)
}

fn slide_xml(text: &str) -> String {
    let mut paragraphs = String::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            paragraphs.push_str("<a:p><a:endParaRPr lang=\"en-GB\"/></a:p>");
        } else {
            paragraphs.push_str(&format!(
                "<a:p><a:r><a:rPr lang=\"en-GB\" sz=\"2400\"/><a:t>{}</a:t></a:r></a:p>",
                xml_escape(line)
            ));
        }
    }
    if paragraphs.is_empty() {
        // A text body needs at least one paragraph.
        paragraphs.push_str("<a:p><a:endParaRPr lang=\"en-GB\"/></a:p>");
    }
    format!(
        "{XML_DECL}<p:sld xmlns:a=\"{NS_A}\" xmlns:r=\"{NS_R}\" xmlns:p=\"{NS_P}\"><p:cSld><p:spTree>\
         <p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>\
         <p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Text 1\"/><p:cNvSpPr txBox=\"1\"/><p:nvPr/></p:nvSpPr>\
         <p:spPr><a:xfrm><a:off x=\"457200\" y=\"457200\"/><a:ext cx=\"8229600\" cy=\"5943600\"/></a:xfrm>\
         <a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></p:spPr>\
         <p:txBody><a:bodyPr wrap=\"square\"/><a:lstStyle/>{paragraphs}</p:txBody></p:sp>\
         </p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"
    )
}

/// The smallest complete DrawingML theme: 12 colours, two fonts, three of each style.
fn theme_xml() -> String {
    let colour = |name: &str, rgb: &str| format!("<a:{name}><a:srgbClr val=\"{rgb}\"/></a:{name}>");
    let colours = [
        ("dk1", "000000"),
        ("lt1", "FFFFFF"),
        ("dk2", "1F497D"),
        ("lt2", "EEECE1"),
        ("accent1", "4F81BD"),
        ("accent2", "C0504D"),
        ("accent3", "9BBB59"),
        ("accent4", "8064A2"),
        ("accent5", "4BACC6"),
        ("accent6", "F79646"),
        ("hlink", "0000FF"),
        ("folHlink", "800080"),
    ]
    .iter()
    .map(|(n, v)| colour(n, v))
    .collect::<String>();
    let font = "<a:latin typeface=\"Calibri\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/>";
    let fill = "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>";
    let fills = fill.repeat(3);
    let lines = format!("<a:ln w=\"9525\">{fill}</a:ln>").repeat(3);
    let effects = "<a:effectStyle><a:effectLst/></a:effectStyle>".repeat(3);
    format!(
        "{XML_DECL}<a:theme xmlns:a=\"{NS_A}\" name=\"Learning Zone\"><a:themeElements>\
         <a:clrScheme name=\"Learning Zone\">{colours}</a:clrScheme>\
         <a:fontScheme name=\"Learning Zone\"><a:majorFont>{font}</a:majorFont><a:minorFont>{font}</a:minorFont></a:fontScheme>\
         <a:fmtScheme name=\"Learning Zone\"><a:fillStyleLst>{fills}</a:fillStyleLst>\
         <a:lnStyleLst>{lines}</a:lnStyleLst><a:effectStyleLst>{effects}</a:effectStyleLst>\
         <a:bgFillStyleLst>{fills}</a:bgFillStyleLst></a:fmtScheme>\
         </a:themeElements></a:theme>"
    )
}

/// Escapes text for XML content and drops characters XML 1.0 cannot contain.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Zips the parts in order, deflated, with a fixed timestamp. Writing to memory does
/// not fail in practice; if the zip crate ever reports an error, it is logged and the
/// result is empty (which `sniff` rejects), rather than a panic in demo loading.
fn zip_parts<S: AsRef<str>>(parts: &[(S, String)]) -> Vec<u8> {
    let build = || -> zip::result::ZipResult<Vec<u8>> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for (name, data) in parts {
            writer.start_file(name.as_ref(), options)?;
            writer.write_all(data.as_bytes())?;
        }
        Ok(writer.finish()?.into_inner())
    };
    build().unwrap_or_else(|e| {
        tracing::error!(error = %e, "could not build a sample office document");
        Vec::new()
    })
}

/// A minimal Excel workbook: one sheet, one row of text cells (inline strings).
pub fn xlsx(cells: &[&str]) -> Vec<u8> {
    let row: String = cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let col = (b'A' + (i % 26) as u8) as char;
            format!(
                "<c r=\"{col}1\" t=\"inlineStr\"><is><t>{}</t></is></c>",
                xml_escape(c)
            )
        })
        .collect();
    zip_parts(&[
        (
            "[Content_Types].xml",
            format!(
                "{XML_DECL}<Types xmlns=\"{CONTENT_TYPES_NS}\">\
                 <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
                 <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
                 <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
                 <Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>\
                 </Types>"
            ),
        ),
        (
            "_rels/.rels",
            format!(
                "{XML_DECL}<Relationships xmlns=\"{RELS_NS}\">\
                 <Relationship Id=\"rId1\" Type=\"{REL_OFFICE_DOCUMENT}\" Target=\"xl/workbook.xml\"/>\
                 </Relationships>"
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                "{XML_DECL}<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"{NS_R}\">\
                 <sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                "{XML_DECL}<Relationships xmlns=\"{RELS_NS}\">\
                 <Relationship Id=\"rId1\" Type=\"{REL_BASE}/worksheet\" Target=\"worksheets/sheet1.xml\"/>\
                 </Relationships>"
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                "{XML_DECL}<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
                 <sheetData><row r=\"1\">{row}</row></sheetData></worksheet>"
            ),
        ),
    ])
}

/// An Office file (DOCX, PPTX, XLSX) with its title and creation date set in
/// `docProps/core.xml`, and `media` kept as a stored picture part (the way real documents
/// carry their images): for tests of properties and benchmarks of realistic sizes.
pub fn with_properties(office: &[u8], title: &str, created: &str, media: &[u8]) -> Vec<u8> {
    let build = || -> zip::result::ZipResult<Vec<u8>> {
        let mut from = zip::ZipArchive::new(Cursor::new(office))?;
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..from.len() {
            writer.raw_copy_file(from.by_index_raw(i)?)?;
        }
        let deflated = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        writer.start_file("docProps/core.xml", deflated)?;
        writer.write_all(
            format!(
                "{XML_DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
                 xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
                 xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title>\
                 <dcterms:created xsi:type=\"dcterms:W3CDTF\">{}</dcterms:created></cp:coreProperties>",
                xml_escape(title),
                xml_escape(created)
            )
            .as_bytes(),
        )?;
        if !media.is_empty() {
            let stored = SimpleFileOptions::default()
                .compression_method(CompressionMethod::Stored)
                .last_modified_time(zip::DateTime::default());
            writer.start_file("docProps/thumbnail.jpeg", stored)?;
            writer.write_all(media)?;
        }
        Ok(writer.finish()?.into_inner())
    };
    build().unwrap_or_else(|e| {
        tracing::error!(error = %e, "could not add properties to a sample office document");
        Vec::new()
    })
}
