//! A document as slides: PresentationML (ECMA-376 Part 1, §19; DrawingML §20 and §21;
//! packaging per Part 2, Open Packaging Conventions), written by hand into a zip, since no
//! maintained Rust crate writes PPTX. 16:9 (12,192,000 × 6,858,000 EMU).
//!
//! The slides, in the outline's order:
//! - a title slide on the host's colour: the title (the title placeholder, read first), the
//!   subtitle, the host's name, what the document holds and the logo;
//! - one slide per level-2 heading with text under it (its paragraphs and flags), or with
//!   nothing at all under it; a heading with only tables under it (references, appendices)
//!   has none, nor has one with only claims (the claims' slides carry its name);
//! - one slide per claim: its section's heading as the title (with "(2 of 3)" where the
//!   section has several), the figure very large, the claim with its citation marker, and
//!   the source "[n] …" at the foot.
//!
//! Every slide has its title in a title placeholder, first in the reading order (the shape
//! tree's order); text is near-black on white, white on the host's colour where that reads
//! (4.5:1 or more) and near-black on it otherwise. Text is sized to fit its box, measured
//! with the PDF's font (DejaVu Sans, wider than the Arial the slides name, so the measure
//! errs on the safe side) and never smaller than 18 pt in a slide's body; text that would
//! not fit even so is cut at a sentence, with the full text in the speaker notes. The logo
//! is on the title slide and, small, in the corner of the slide master (so once for a
//! screen reader, not on every slide), with its alternative text (`descr` on `p:cNvPr`).
//!
//! Parts: `[Content_Types].xml`, `_rels/.rels`, `docProps/core.xml` (the title) and
//! `app.xml`, `ppt/presentation.xml` and its rels, `presProps`, `viewProps`, `tableStyles`,
//! one slide master, two layouts ("Title Slide", "Title and Content"), a theme, the slides,
//! a notes master with its own theme and a notes slide for each slide that has notes. The
//! zip is written part by part; no part is held longer than it takes to write it.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::fonts::Fonts;
use super::layout;
use super::outline::{contrast, text_on, Block, Claim, Document, Logo, INK, SECONDARY, WHITE};
use crate::{AppError, AppResult, Context};

/// The slide in points (960 × 540): 12,700 EMU to the point.
const SLIDE_W: f32 = 960.0;
const SLIDE_H: f32 = 540.0;
const EMU: f32 = 12_700.0;
/// Left and right margins, and the title bar's height.
const MARGIN: f32 = 48.0;
const BAR_H: f32 = 96.0;
/// A line's height for a font size (PowerPoint's single spacing is about 1.15 of the size
/// for Arial; 1.2 errs on the safe side), and the space after a paragraph.
const LINE: f32 = 1.2;
const AFTER: f32 = 0.5;
/// The body: below the title bar, above the footer.
const BODY_TOP: f32 = 120.0;
const BODY_BOTTOM: f32 = 490.0;
/// The footer's line and the corner logo's height.
const FOOT_Y: f32 = 504.0;
const FOOT_H: f32 = 24.0;
const CORNER_LOGO_H: f32 = 26.0;
/// Body text sizes, largest first; 18 pt is the least a slide's body is set in.
const BODY_SIZES: &[f32] = &[28.0, 24.0, 22.0, 20.0, 18.0];
const TITLE_SIZES: &[f32] = &[32.0, 28.0, 24.0, 20.0];
const FONT: &str = "Arial";
const LANG: &str = "en-GB";

const NS: &str = r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main""#;
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Text for XML, as element content or an attribute's value: the five special characters
/// as entities, line breaks and tabs as spaces, and characters XML 1.0 does not allow
/// (other control characters, U+FFFE, U+FFFF) dropped.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            '\u{FFFE}' | '\u{FFFF}' => {}
            c if c.is_control() && u32::from(c) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// Points as EMU.
fn emu(pt: f32) -> i64 {
    (pt * EMU).round() as i64
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("{r:02X}{g:02X}{b:02X}")
}

/// Runs of white space as one space.
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------
// The slides, planned from the outline.

/// A paragraph of a slide's body: its text, and whether it is bold (a flag, a subheading).
#[derive(Clone, Debug, PartialEq)]
struct Line {
    text: String,
    bold: bool,
}

#[derive(Debug)]
enum Kind<'a> {
    Title { subtitle: &'a str, about: &'a str },
    Section { title: String, body: Vec<Line> },
    Claim { title: String, claim: &'a Claim },
}

#[derive(Debug)]
struct Slide<'a> {
    kind: Kind<'a>,
    /// Speaker notes, one paragraph each.
    notes: Vec<String>,
}

/// A section as it is read: its heading's slide (if it earns one) and its claims' slides.
struct Section<'a> {
    title: String,
    body: Vec<Line>,
    notes: Vec<String>,
    tables: bool,
    claims: Vec<Slide<'a>>,
    /// Before the first heading: a slide only if there is text.
    implicit: bool,
}

impl<'a> Section<'a> {
    fn new(title: &str, implicit: bool) -> Self {
        Section {
            title: title.to_string(),
            body: Vec::new(),
            notes: Vec::new(),
            tables: false,
            claims: Vec::new(),
            implicit,
        }
    }

    /// Its slides: the heading's if it has text or notes, or nothing at all under it (and
    /// is a real heading); then the claims', titled with the heading.
    fn close(self, slides: &mut Vec<Slide<'a>>) {
        let empty = !self.tables && self.claims.is_empty();
        if !self.body.is_empty() || !self.notes.is_empty() || (empty && !self.implicit) {
            slides.push(Slide {
                kind: Kind::Section {
                    title: self.title.clone(),
                    body: self.body,
                },
                notes: self.notes,
            });
        }
        let count = self.claims.len();
        for (i, mut slide) in self.claims.into_iter().enumerate() {
            if let Kind::Claim { title, .. } = &mut slide.kind {
                *title = if count > 1 {
                    format!("{} ({} of {count})", self.title, i + 1)
                } else {
                    self.title.clone()
                };
            }
            slides.push(slide);
        }
    }
}

/// Where the next speaker notes go: the slide the blocks before them make.
enum NotesFor {
    Title,
    Section,
    Claim,
}

fn plan(d: &Document) -> Vec<Slide<'_>> {
    let mut slides = Vec::new();
    let mut section = Section::new(&d.title, true);
    let mut notes_for = NotesFor::Section;
    for block in &d.blocks {
        match block {
            Block::TitlePage { subtitle, about } => {
                slides.push(Slide {
                    kind: Kind::Title { subtitle, about },
                    notes: Vec::new(),
                });
                notes_for = NotesFor::Title;
            }
            Block::Heading(level, text) if *level <= 2 => {
                let done = std::mem::replace(&mut section, Section::new(text, false));
                done.close(&mut slides);
                notes_for = NotesFor::Section;
            }
            Block::Heading(_, text) => section.body.push(Line {
                text: folded(text),
                bold: true,
            }),
            Block::Para(text) => section.body.push(Line {
                text: folded(text),
                bold: false,
            }),
            Block::Flag(text) => section.body.push(Line {
                text: folded(text),
                bold: true,
            }),
            Block::Table(_) => section.tables = true,
            Block::Claim(claim) => {
                section.claims.push(Slide {
                    kind: Kind::Claim {
                        title: String::new(),
                        claim,
                    },
                    notes: notes_of(&claim.notes),
                });
                notes_for = NotesFor::Claim;
            }
            Block::Notes(text) => {
                let notes = notes_of(text);
                match notes_for {
                    NotesFor::Title => {
                        if let Some(slide) = slides
                            .iter_mut()
                            .rev()
                            .find(|s| matches!(s.kind, Kind::Title { .. }))
                        {
                            slide.notes.extend(notes);
                        }
                    }
                    NotesFor::Section => section.notes.extend(notes),
                    NotesFor::Claim => {
                        if let Some(slide) = section.claims.last_mut() {
                            slide.notes.extend(notes);
                        }
                    }
                }
            }
        }
    }
    section.close(&mut slides);
    slides
}

/// Notes as paragraphs: one per line of the text, blank lines dropped.
fn notes_of(text: &str) -> Vec<String> {
    text.lines().map(folded).filter(|l| !l.is_empty()).collect()
}

// ---------------------------------------------------------------------------------------
// Fitting text to boxes.

/// One paragraph as drawn.
#[derive(Clone, Debug)]
struct Para {
    text: String,
    size: f32,
    bold: bool,
    colour: [u8; 3],
    /// Space after, in points.
    after: f32,
}

/// Lines in the secondary colour at `size`, no space after (source lines and footers).
fn secondary(lines: Vec<Line>, size: f32) -> Vec<Para> {
    lines
        .into_iter()
        .map(|l| Para {
            text: l.text,
            size,
            bold: false,
            colour: SECONDARY,
            after: 0.0,
        })
        .collect()
}

struct Measure {
    fonts: Fonts,
}

impl Measure {
    fn lines(&self, text: &str, size: f32, bold: bool, width: f32) -> usize {
        let face = self.fonts.face(bold);
        layout::wrap(text, width, &|s| face.width(s, size)).len()
    }

    /// The height of `lines` set at `size`, a paragraph's space after each but the last.
    fn height(&self, lines: &[Line], size: f32, width: f32) -> f32 {
        let text: f32 = lines
            .iter()
            .map(|l| self.lines(&l.text, size, l.bold, width) as f32 * LINE * size)
            .sum();
        text + lines.len().saturating_sub(1) as f32 * AFTER * size
    }

    /// The largest of `sizes` at which `lines` fit `width` × `height`, or `None`.
    fn fitting(&self, lines: &[Line], sizes: &[f32], width: f32, height: f32) -> Option<f32> {
        sizes
            .iter()
            .copied()
            .find(|&size| self.height(lines, size, width) <= height)
    }

    /// `lines` set to fit the box: at the largest size that holds them all; or, at the
    /// smallest size, as many whole paragraphs and then sentences (then words) as fit, with
    /// `more` after them. Returns the size, what is shown, and whether it was cut.
    fn fit(
        &self,
        lines: &[Line],
        sizes: &[f32],
        width: f32,
        height: f32,
        more: Option<&str>,
    ) -> (f32, Vec<Line>, bool) {
        if let Some(size) = self.fitting(lines, sizes, width, height) {
            return (size, lines.to_vec(), false);
        }
        let size = sizes.last().copied().unwrap_or(18.0);
        let tail = more.map(|m| Line {
            text: m.to_string(),
            bold: false,
        });
        let fits = |shown: &[Line]| {
            let mut all = shown.to_vec();
            all.extend(tail.clone());
            self.height(&all, size, width) <= height
        };
        let mut shown: Vec<Line> = Vec::new();
        'lines: for line in lines {
            let mut next = shown.clone();
            next.push(line.clone());
            if fits(&next) {
                shown = next;
                continue;
            }
            // Part of it: whole sentences, or else (one long sentence) whole words.
            let pieces: Vec<&str> = if shown.is_empty() && sentences(&line.text).len() == 1 {
                line.text.split(' ').collect()
            } else {
                sentences(&line.text)
            };
            let mut taken = String::new();
            for piece in pieces {
                let candidate = if taken.is_empty() {
                    piece.to_string()
                } else {
                    format!("{taken} {piece}")
                };
                let mut next = shown.clone();
                next.push(Line {
                    text: format!("{candidate}…"),
                    bold: line.bold,
                });
                if !fits(&next) {
                    break;
                }
                taken = candidate;
            }
            if !taken.is_empty() {
                let ends_sentence = taken.ends_with(['.', '!', '?']);
                shown.push(Line {
                    text: if ends_sentence {
                        taken
                    } else {
                        format!("{taken}…")
                    },
                    bold: line.bold,
                });
            }
            break 'lines;
        }
        shown.extend(tail);
        (size, shown, true)
    }
}

/// The sentences of `text`: each ends at ".", "!" or "?" followed by a space.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?') && bytes.get(i + 1) == Some(&b' ') {
            out.push(text[start..=i].trim());
            start = i + 1;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Shapes.

/// A box in points: left, top, width, height.
#[derive(Clone, Copy)]
struct Rect {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

fn xfrm(r: Rect) -> String {
    format!(
        r#"<a:xfrm><a:off x="{}" y="{}"/><a:ext cx="{}" cy="{}"/></a:xfrm>"#,
        emu(r.x),
        emu(r.y),
        emu(r.w),
        emu(r.h)
    )
}

/// A shape with text (§19.3.1.43 `p:sp`): a placeholder (`ph`, e.g. `<p:ph type="title"/>`)
/// or a text box.
struct TextShape<'a> {
    id: u32,
    name: &'a str,
    ph: Option<&'a str>,
    rect: Rect,
    fill: Option<[u8; 3]>,
    /// Insets: left, top, right, bottom.
    inset: [f32; 4],
    /// "t", "ctr" or "b".
    anchor: &'a str,
    paras: Vec<Para>,
}

impl TextShape<'_> {
    fn xml(&self) -> String {
        let nv = match self.ph {
            Some(ph) => {
                format!(r#"<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>{ph}</p:nvPr>"#)
            }
            None => r#"<p:cNvSpPr txBox="1"/><p:nvPr/>"#.to_string(),
        };
        let fill = match self.fill {
            Some(c) => format!(
                r#"<a:solidFill><a:srgbClr val="{}"/></a:solidFill>"#,
                hex(c)
            ),
            None => "<a:noFill/>".to_string(),
        };
        let [l, t, r, b] = self.inset.map(emu);
        let mut out = format!(
            r#"<p:sp><p:nvSpPr><p:cNvPr id="{}" name="{}"/>{nv}</p:nvSpPr><p:spPr>{}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{fill}</p:spPr><p:txBody><a:bodyPr wrap="square" lIns="{l}" tIns="{t}" rIns="{r}" bIns="{b}" anchor="{}" rtlCol="0"><a:noAutofit/></a:bodyPr><a:lstStyle/>"#,
            self.id,
            escape(self.name),
            xfrm(self.rect),
            self.anchor
        );
        if self.paras.is_empty() {
            out.push_str(&format!(r#"<a:p><a:endParaRPr lang="{LANG}"/></a:p>"#));
        }
        for p in &self.paras {
            out.push_str(&paragraph(p));
        }
        out.push_str("</p:txBody></p:sp>");
        out
    }
}

/// A paragraph (§21.1.2.2.6 `a:p`) of one run, single-spaced, without a bullet.
fn paragraph(p: &Para) -> String {
    let size = (p.size * 100.0).round() as i64;
    format!(
        r#"<a:p><a:pPr marL="0" indent="0" algn="l"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc><a:spcBef><a:spcPts val="0"/></a:spcBef><a:spcAft><a:spcPts val="{}"/></a:spcAft><a:buNone/></a:pPr><a:r><a:rPr lang="{LANG}" sz="{size}" b="{}" dirty="0"><a:solidFill><a:srgbClr val="{}"/></a:solidFill><a:latin typeface="{FONT}"/><a:cs typeface="{FONT}"/></a:rPr><a:t>{}</a:t></a:r></a:p>"#,
        (p.after * 100.0).round() as i64,
        if p.bold { 1 } else { 0 },
        hex(p.colour),
        escape(&p.text)
    )
}

/// A picture (§19.3.1.37 `p:pic`) with its alternative text (`descr`).
fn picture(id: u32, logo: &Logo, rel: &str, rect: Rect) -> String {
    format!(
        r#"<p:pic><p:nvPicPr><p:cNvPr id="{id}" name="Logo" descr="{}"/><p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="{rel}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr>{}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>"#,
        escape(&logo.alt),
        xfrm(rect)
    )
}

/// A plain rectangle marked decorative (Office's `adec:decorative`, so screen readers skip
/// it): the white panel behind the logo on the title slide.
fn panel(id: u32, rect: Rect, colour: [u8; 3]) -> String {
    format!(
        r#"<p:sp><p:nvSpPr><p:cNvPr id="{id}" name="Logo panel"><a:extLst><a:ext uri="{{C183D7F6-B498-43B3-948B-1728B52AA6E4}}"><adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/></a:ext></a:extLst></p:cNvPr><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>{}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="{}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr></p:sp>"#,
        xfrm(rect),
        hex(colour)
    )
}

const GROUP: &str = r#"<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>"#;

fn background(colour: [u8; 3]) -> String {
    format!(
        r#"<p:bg><p:bgPr><a:solidFill><a:srgbClr val="{}"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>"#,
        hex(colour)
    )
}

// ---------------------------------------------------------------------------------------
// Slides' XML.

/// The colours of a slide: the host's colour and the text that reads on it, and the large
/// figure's colour (the host's where it reads on white, else near-black).
struct Palette {
    brand: [u8; 3],
    on_brand: [u8; 3],
    figure: [u8; 3],
}

impl Palette {
    fn of(brand: [u8; 3]) -> Self {
        Palette {
            brand,
            on_brand: text_on(brand),
            figure: if contrast(brand, WHITE) >= 4.5 {
                brand
            } else {
                INK
            },
        }
    }
}

/// A content slide's title, in the title placeholder filled as the bar.
fn title_bar(m: &Measure, pal: &Palette, title: &str, notes: &mut Vec<String>) -> String {
    let width = SLIDE_W - 2.0 * MARGIN;
    let line = [Line {
        text: folded(title),
        bold: true,
    }];
    let (size, shown, cut) = m.fit(&line, TITLE_SIZES, width, BAR_H - 12.0, None);
    if cut {
        notes.insert(0, format!("Title: {}", line[0].text));
    }
    TextShape {
        id: 2,
        name: "Title 1",
        ph: Some(r#"<p:ph type="title"/>"#),
        rect: Rect {
            x: 0.0,
            y: 0.0,
            w: SLIDE_W,
            h: BAR_H,
        },
        fill: Some(pal.brand),
        inset: [MARGIN, 6.0, MARGIN, 6.0],
        anchor: "ctr",
        paras: shown
            .into_iter()
            .map(|l| Para {
                text: l.text,
                size,
                bold: true,
                colour: pal.on_brand,
                after: 0.0,
            })
            .collect(),
    }
    .xml()
}

fn body_paras(lines: Vec<Line>, size: f32, more: Option<&str>) -> Vec<Para> {
    lines
        .into_iter()
        .map(|l| {
            let secondary = more.is_some_and(|m| m == l.text);
            Para {
                colour: if secondary { SECONDARY } else { INK },
                text: l.text,
                size,
                bold: l.bold,
                after: AFTER * size,
            }
        })
        .collect()
}

const MORE: &str = "The full text is in the speaker notes.";

fn section_slide(
    m: &Measure,
    pal: &Palette,
    title: &str,
    body: &[Line],
    notes: &mut Vec<String>,
) -> String {
    let rect = Rect {
        x: MARGIN,
        y: BODY_TOP,
        w: SLIDE_W - 2.0 * MARGIN,
        h: BODY_BOTTOM - BODY_TOP,
    };
    let (size, shown, cut) = m.fit(body, BODY_SIZES, rect.w, rect.h, Some(MORE));
    if cut {
        notes.push("The slide's full text:".into());
        notes.extend(body.iter().map(|l| l.text.clone()));
    }
    let mut shapes = title_bar(m, pal, title, notes);
    if !body.is_empty() {
        shapes.push_str(
            &TextShape {
                id: 3,
                name: "Content 2",
                ph: Some(r#"<p:ph idx="1"/>"#),
                rect,
                fill: None,
                inset: [0.0; 4],
                anchor: "t",
                paras: body_paras(shown, size, cut.then_some(MORE)),
            }
            .xml(),
        );
    }
    slide_xml(None, &shapes)
}

fn claim_slide(
    m: &Measure,
    pal: &Palette,
    title: &str,
    claim: &Claim,
    notes: &mut Vec<String>,
) -> String {
    let width = SLIDE_W - 2.0 * MARGIN;
    let mut shapes = title_bar(m, pal, title, notes);
    let mut top = BODY_TOP;
    let mut id = 3;
    if let Some(figure) = &claim.figure {
        let line = [Line {
            text: folded(figure),
            bold: true,
        }];
        let h = 150.0;
        let (size, shown, _) = m.fit(&line, &[120.0, 96.0, 80.0, 64.0, 48.0], width, h, None);
        shapes.push_str(
            &TextShape {
                id,
                name: "Figure",
                ph: None,
                rect: Rect {
                    x: MARGIN,
                    y: top,
                    w: width,
                    h,
                },
                fill: None,
                inset: [0.0; 4],
                anchor: "b",
                paras: shown
                    .into_iter()
                    .map(|l| Para {
                        text: l.text,
                        size,
                        bold: true,
                        colour: pal.figure,
                        after: 0.0,
                    })
                    .collect(),
            }
            .xml(),
        );
        id += 1;
        top += h + 12.0;
    }
    let source_top = 448.0;
    let rect = Rect {
        x: MARGIN,
        y: top,
        w: width,
        h: source_top - 10.0 - top,
    };
    let line = [Line {
        text: folded(&claim.cited()),
        bold: false,
    }];
    let sizes = [36.0, 32.0, 28.0, 24.0, 22.0, 20.0, 18.0];
    let (size, shown, cut) = m.fit(&line, &sizes, rect.w, rect.h, None);
    if cut {
        notes.push(format!("The claim in full: {}", line[0].text));
    }
    shapes.push_str(
        &TextShape {
            id,
            name: "Claim",
            ph: Some(r#"<p:ph idx="1"/>"#),
            rect,
            fill: None,
            inset: [0.0; 4],
            anchor: "t",
            paras: body_paras(shown, size, None),
        }
        .xml(),
    );
    let source = [Line {
        text: folded(&claim.numbered_source()),
        bold: false,
    }];
    let rect = Rect {
        x: MARGIN,
        y: source_top,
        w: width - 120.0,
        h: BODY_BOTTOM - source_top,
    };
    let (size, shown, cut) = m.fit(&source, &[16.0, 14.0, 12.0], rect.w, rect.h, None);
    if cut {
        notes.push(format!("Source: {}", source[0].text));
    }
    shapes.push_str(
        &TextShape {
            id: id + 1,
            name: "Source",
            ph: None,
            rect,
            fill: None,
            inset: [0.0; 4],
            anchor: "b",
            paras: secondary(shown, size),
        }
        .xml(),
    );
    slide_xml(None, &shapes)
}

/// The title slide on the host's colour. Reading order: the title, the subtitle, the
/// host's name, what the document holds, the logo.
fn title_slide(
    m: &Measure,
    d: &Document,
    pal: &Palette,
    subtitle: &str,
    about: &str,
    notes: &mut Vec<String>,
) -> String {
    let width = SLIDE_W - 2.0 * MARGIN;
    let ink = pal.on_brand;
    let logo_box = d.logo.as_ref().and_then(|l| {
        l.fit(64.0, 300.0).map(|(w, h)| Rect {
            x: MARGIN + 10.0,
            y: 46.0,
            w,
            h,
        })
    });
    let site_top = if logo_box.is_some() { 136.0 } else { 56.0 };
    let one = |text: &str, bold: bool| {
        [Line {
            text: folded(text),
            bold,
        }]
    };
    let set = |lines: Vec<Line>, size: f32, bold: bool, after: f32| -> Vec<Para> {
        lines
            .into_iter()
            .map(|l| Para {
                text: l.text,
                size,
                bold,
                colour: ink,
                after,
            })
            .collect()
    };
    let title_rect = Rect {
        x: MARGIN,
        y: site_top + 40.0,
        w: width,
        h: 360.0 - (site_top + 40.0) + 40.0,
    };
    let title = one(&d.title, true);
    let (size, shown, cut) = m.fit(
        &title,
        &[44.0, 40.0, 36.0, 32.0, 28.0],
        title_rect.w,
        title_rect.h,
        None,
    );
    if cut {
        notes.insert(0, format!("Title: {}", title[0].text));
    }
    let mut shapes = TextShape {
        id: 2,
        name: "Title 1",
        ph: Some(r#"<p:ph type="ctrTitle"/>"#),
        rect: title_rect,
        fill: None,
        inset: [0.0; 4],
        anchor: "b",
        paras: set(shown, size, true, 0.0),
    }
    .xml();
    let sub_rect = Rect {
        x: MARGIN,
        y: 412.0,
        w: width,
        h: 36.0,
    };
    let (size, shown, _) = m.fit(
        &one(subtitle, false),
        &[24.0, 20.0, 18.0],
        sub_rect.w,
        sub_rect.h,
        None,
    );
    shapes.push_str(
        &TextShape {
            id: 3,
            name: "Subtitle 2",
            ph: Some(r#"<p:ph type="subTitle" idx="1"/>"#),
            rect: sub_rect,
            fill: None,
            inset: [0.0; 4],
            anchor: "t",
            paras: set(shown, size, false, 0.0),
        }
        .xml(),
    );
    let site_rect = Rect {
        x: MARGIN,
        y: site_top,
        w: width,
        h: 32.0,
    };
    let (size, shown, _) = m.fit(&one(&d.site, true), &[22.0, 20.0, 18.0], width, 32.0, None);
    shapes.push_str(
        &TextShape {
            id: 4,
            name: "Site",
            ph: None,
            rect: site_rect,
            fill: None,
            inset: [0.0; 4],
            anchor: "t",
            paras: set(shown, size, true, 0.0),
        }
        .xml(),
    );
    let about_rect = Rect {
        x: MARGIN,
        y: 454.0,
        w: width,
        h: 64.0,
    };
    let about_lines = one(about, false);
    let (size, shown, cut) = m.fit(&about_lines, &[18.0, 16.0], width, about_rect.h, None);
    if cut {
        notes.push(about_lines[0].text.clone());
    }
    if !about.trim().is_empty() {
        shapes.push_str(
            &TextShape {
                id: 5,
                name: "About",
                ph: None,
                rect: about_rect,
                fill: None,
                inset: [0.0; 4],
                anchor: "t",
                paras: set(shown, size, false, 0.0),
            }
            .xml(),
        );
    }
    if let (Some(logo), Some(r)) = (&d.logo, logo_box) {
        let pad = 10.0;
        shapes.push_str(&panel(
            6,
            Rect {
                x: r.x - pad,
                y: r.y - pad,
                w: r.w + 2.0 * pad,
                h: r.h + 2.0 * pad,
            },
            WHITE,
        ));
        shapes.push_str(&picture(7, logo, "rId3", r));
    }
    slide_xml(Some(pal.brand), &shapes)
}

fn slide_xml(bg: Option<[u8; 3]>, shapes: &str) -> String {
    format!(
        r#"{XML_DECL}<p:sld {NS}><p:cSld>{}<p:spTree>{GROUP}{shapes}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"#,
        bg.map(background).unwrap_or_default()
    )
}

// ---------------------------------------------------------------------------------------
// The package.

struct Package {
    zip: ZipWriter<Cursor<Vec<u8>>>,
}

impl Package {
    fn put(&mut self, name: &str, bytes: &[u8], compress: bool) -> AppResult<()> {
        let method = if compress {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        self.zip
            .start_file(
                name,
                SimpleFileOptions::default().compression_method(method),
            )
            .context(format!("starting {name} in the PPTX"))?;
        self.zip
            .write_all(bytes)
            .context(format!("writing {name} into the PPTX"))
    }

    fn xml(&mut self, name: &str, xml: &str) -> AppResult<()> {
        self.put(name, xml.as_bytes(), true)
    }
}

/// Relationships (Part 2, §9.3): (id, type's last segment, target).
fn rels(list: &[(&str, &str, String)]) -> String {
    let mut out = format!(
        r#"{XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
    );
    for (id, kind, target) in list {
        let kind = if kind.starts_with("http") {
            kind.to_string()
        } else {
            format!("{REL}/{kind}")
        };
        out.push_str(&format!(
            r#"<Relationship Id="{id}" Type="{kind}" Target="{}"/>"#,
            escape(target)
        ));
    }
    out.push_str("</Relationships>");
    out
}

/// The document as a PPTX.
pub fn pptx(d: &Document) -> AppResult<Vec<u8>> {
    let m = Measure {
        fonts: Fonts::load()?,
    };
    if let Some(logo) = &d.logo {
        logo.size()
            .ok_or_else(|| AppError::internal(format!("the logo {:?} is not a PNG", logo.alt)))?;
    }
    let pal = Palette::of(d.brand);
    let slides = plan(d);
    // Fitting a slide's text may add to its notes (the full text of what was cut): a first
    // pass learns which slides have notes, for the content types, which come first.
    let with_notes: Vec<bool> = slides
        .iter()
        .map(|s| !render(&m, d, &pal, s).2.is_empty())
        .collect();
    let mut p = Package {
        zip: ZipWriter::new(Cursor::new(Vec::new())),
    };
    p.xml(
        "[Content_Types].xml",
        &content_types(&with_notes, d.logo.is_some()),
    )?;
    p.xml(
        "_rels/.rels",
        &rels(&[
            ("rId1", "officeDocument", "ppt/presentation.xml".into()),
            (
                "rId2",
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                "docProps/core.xml".into(),
            ),
            ("rId3", "extended-properties", "docProps/app.xml".into()),
        ]),
    )?;
    p.xml("docProps/core.xml", &core(d))?;
    let notes_count = with_notes.iter().filter(|n| **n).count();
    p.xml("docProps/app.xml", &app(d, slides.len(), notes_count))?;
    p.xml("ppt/presentation.xml", &presentation(slides.len()))?;
    let mut pres_rels = vec![
        (
            "rId1",
            "slideMaster",
            "slideMasters/slideMaster1.xml".to_string(),
        ),
        (
            "rId2",
            "notesMaster",
            "notesMasters/notesMaster1.xml".into(),
        ),
        ("rId3", "theme", "theme/theme1.xml".into()),
        ("rId4", "presProps", "presProps.xml".into()),
        ("rId5", "viewProps", "viewProps.xml".into()),
        ("rId6", "tableStyles", "tableStyles.xml".into()),
    ];
    let slide_ids: Vec<String> = (0..slides.len())
        .map(|i| format!("rId{}", i + 10))
        .collect();
    for (i, id) in slide_ids.iter().enumerate() {
        pres_rels.push((id, "slide", format!("slides/slide{}.xml", i + 1)));
    }
    p.xml("ppt/_rels/presentation.xml.rels", &rels(&pres_rels))?;
    p.xml(
        "ppt/presProps.xml",
        &format!("{XML_DECL}<p:presentationPr {NS}/>"),
    )?;
    p.xml(
        "ppt/viewProps.xml",
        &format!(
            r#"{XML_DECL}<p:viewPr {NS}><p:normalViewPr><p:restoredLeft sz="15620"/><p:restoredTop sz="94660"/></p:normalViewPr><p:gridSpacing cx="76200" cy="76200"/></p:viewPr>"#
        ),
    )?;
    p.xml(
        "ppt/tableStyles.xml",
        &format!(
            r#"{XML_DECL}<a:tblStyleLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" def="{{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}}"/>"#
        ),
    )?;
    p.xml("ppt/theme/theme1.xml", &theme("Learning Zone", d.brand))?;
    p.xml("ppt/theme/theme2.xml", &theme("Notes", d.brand))?;
    let mut master_rels = vec![
        (
            "rId1",
            "slideLayout",
            "../slideLayouts/slideLayout1.xml".to_string(),
        ),
        (
            "rId2",
            "slideLayout",
            "../slideLayouts/slideLayout2.xml".into(),
        ),
        ("rId3", "theme", "../theme/theme1.xml".into()),
    ];
    if d.logo.is_some() {
        master_rels.push(("rId4", "image", "../media/logo.png".into()));
    }
    p.xml("ppt/slideMasters/slideMaster1.xml", &master(&m, d, &pal))?;
    p.xml(
        "ppt/slideMasters/_rels/slideMaster1.xml.rels",
        &rels(&master_rels),
    )?;
    for (n, layout) in [(1, title_layout()), (2, content_layout())] {
        p.xml(&format!("ppt/slideLayouts/slideLayout{n}.xml"), &layout)?;
        p.xml(
            &format!("ppt/slideLayouts/_rels/slideLayout{n}.xml.rels"),
            &rels(&[(
                "rId1",
                "slideMaster",
                "../slideMasters/slideMaster1.xml".into(),
            )]),
        )?;
    }
    p.xml("ppt/notesMasters/notesMaster1.xml", &notes_master())?;
    p.xml(
        "ppt/notesMasters/_rels/notesMaster1.xml.rels",
        &rels(&[("rId1", "theme", "../theme/theme2.xml".into())]),
    )?;
    if let Some(logo) = &d.logo {
        p.put("ppt/media/logo.png", &logo.png, false)?;
    }
    for (i, slide) in slides.iter().enumerate() {
        let n = i + 1;
        let (xml, layout, notes) = render(&m, d, &pal, slide);
        p.xml(&format!("ppt/slides/slide{n}.xml"), &xml)?;
        let mut slide_rels = vec![(
            "rId1",
            "slideLayout",
            format!("../slideLayouts/slideLayout{layout}.xml"),
        )];
        if !notes.is_empty() {
            slide_rels.push((
                "rId2",
                "notesSlide",
                format!("../notesSlides/notesSlide{n}.xml"),
            ));
        }
        if layout == 1 && d.logo.is_some() {
            slide_rels.push(("rId3", "image", "../media/logo.png".into()));
        }
        p.xml(
            &format!("ppt/slides/_rels/slide{n}.xml.rels"),
            &rels(&slide_rels),
        )?;
        if !notes.is_empty() {
            p.xml(
                &format!("ppt/notesSlides/notesSlide{n}.xml"),
                &notes_slide(&notes),
            )?;
            p.xml(
                &format!("ppt/notesSlides/_rels/notesSlide{n}.xml.rels"),
                &rels(&[
                    (
                        "rId1",
                        "notesMaster",
                        "../notesMasters/notesMaster1.xml".into(),
                    ),
                    ("rId2", "slide", format!("../slides/slide{n}.xml")),
                ]),
            )?;
        }
    }
    let out = p
        .zip
        .finish()
        .context(format!("finishing {:?} as PPTX", d.title))?;
    Ok(out.into_inner())
}

/// A slide's XML, its layout (1: title, 2: title and content) and its notes (the plan's,
/// with the full text of anything cut to fit).
fn render(
    m: &Measure,
    d: &Document,
    pal: &Palette,
    slide: &Slide<'_>,
) -> (String, u8, Vec<String>) {
    let mut notes = slide.notes.clone();
    let (xml, layout) = match &slide.kind {
        Kind::Title { subtitle, about } => (title_slide(m, d, pal, subtitle, about, &mut notes), 1),
        Kind::Section { title, body } => (section_slide(m, pal, title, body, &mut notes), 2),
        Kind::Claim { title, claim } => (claim_slide(m, pal, title, claim, &mut notes), 2),
    };
    (xml, layout, notes)
}

/// [Content_Types].xml (Part 2, §10.1.2.2): defaults by extension, overrides by part.
fn content_types(with_notes: &[bool], logo: bool) -> String {
    const PML: &str = "application/vnd.openxmlformats-officedocument.presentationml";
    let mut out = format!(
        r#"{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>"#
    );
    if logo {
        out.push_str(r#"<Default Extension="png" ContentType="image/png"/>"#);
    }
    let mut over = |part: &str, kind: &str| {
        out.push_str(&format!(
            r#"<Override PartName="{part}" ContentType="{kind}"/>"#
        ));
    };
    over(
        "/ppt/presentation.xml",
        &format!("{PML}.presentation.main+xml"),
    );
    over("/ppt/presProps.xml", &format!("{PML}.presProps+xml"));
    over("/ppt/viewProps.xml", &format!("{PML}.viewProps+xml"));
    over("/ppt/tableStyles.xml", &format!("{PML}.tableStyles+xml"));
    over(
        "/ppt/slideMasters/slideMaster1.xml",
        &format!("{PML}.slideMaster+xml"),
    );
    for n in 1..=2 {
        over(
            &format!("/ppt/slideLayouts/slideLayout{n}.xml"),
            &format!("{PML}.slideLayout+xml"),
        );
    }
    over(
        "/ppt/notesMasters/notesMaster1.xml",
        &format!("{PML}.notesMaster+xml"),
    );
    for n in 1..=2 {
        over(
            &format!("/ppt/theme/theme{n}.xml"),
            "application/vnd.openxmlformats-officedocument.theme+xml",
        );
    }
    for (i, notes) in with_notes.iter().enumerate() {
        over(
            &format!("/ppt/slides/slide{}.xml", i + 1),
            &format!("{PML}.slide+xml"),
        );
        if *notes {
            over(
                &format!("/ppt/notesSlides/notesSlide{}.xml", i + 1),
                &format!("{PML}.notesSlide+xml"),
            );
        }
    }
    over(
        "/docProps/core.xml",
        "application/vnd.openxmlformats-package.core-properties+xml",
    );
    over(
        "/docProps/app.xml",
        "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    );
    out.push_str("</Types>");
    out
}

/// The core properties (Part 2, §11): title, creator (the host), language.
fn core(d: &Document) -> String {
    format!(
        r#"{XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>{LANG}</dc:language></cp:coreProperties>"#,
        escape(&d.title),
        escape(&d.site)
    )
}

/// The extended properties (Part 1, §22.2): the application (the host), slides and notes.
fn app(d: &Document, slides: usize, notes: usize) -> String {
    format!(
        r#"{XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>{}</Application><PresentationFormat>Widescreen</PresentationFormat><Slides>{slides}</Slides><Notes>{notes}</Notes></Properties>"#,
        escape(&d.site)
    )
}

/// The presentation (§19.2.1.26): its master, notes master, slides and sizes.
fn presentation(slides: usize) -> String {
    let mut ids = String::new();
    for i in 0..slides {
        ids.push_str(&format!(
            r#"<p:sldId id="{}" r:id="rId{}"/>"#,
            256 + i,
            i + 10
        ));
    }
    format!(
        r#"{XML_DECL}<p:presentation {NS} saveSubsetFonts="1"><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst><p:notesMasterIdLst><p:notesMasterId r:id="rId2"/></p:notesMasterIdLst><p:sldIdLst>{ids}</p:sldIdLst><p:sldSz cx="{}" cy="{}"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>"#,
        emu(SLIDE_W),
        emu(SLIDE_H)
    )
}

fn placeholder(id: u32, name: &str, ph: &str, rect: Rect) -> String {
    format!(
        r#"<p:sp><p:nvSpPr><p:cNvPr id="{id}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr>{}</p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="{LANG}"/></a:p></p:txBody></p:sp>"#,
        xfrm(rect)
    )
}

fn content_rect() -> Rect {
    Rect {
        x: MARGIN,
        y: BODY_TOP,
        w: SLIDE_W - 2.0 * MARGIN,
        h: BODY_BOTTOM - BODY_TOP,
    }
}

fn bar_rect() -> Rect {
    Rect {
        x: 0.0,
        y: 0.0,
        w: SLIDE_W,
        h: BAR_H,
    }
}

/// The slide master (§19.3.1.42): white, the title bar and body placeholders, the footer
/// line and the small logo, shown on every content slide; the text styles.
fn master(m: &Measure, d: &Document, pal: &Palette) -> String {
    let mut shapes = placeholder(
        2,
        "Title Placeholder 1",
        r#"<p:ph type="title"/>"#,
        bar_rect(),
    );
    shapes.push_str(&placeholder(
        3,
        "Text Placeholder 2",
        r#"<p:ph type="body" idx="1"/>"#,
        content_rect(),
    ));
    let corner = d.logo.as_ref().and_then(|l| {
        l.fit(CORNER_LOGO_H, 160.0).map(|(w, h)| Rect {
            x: SLIDE_W - MARGIN - w,
            y: FOOT_Y + (FOOT_H - h) / 2.0,
            w,
            h,
        })
    });
    let foot_w = SLIDE_W - 2.0 * MARGIN - corner.map_or(0.0, |r| r.w + 24.0);
    let foot = [Line {
        text: folded(&format!("{} · {}", d.site, d.running)),
        bold: false,
    }];
    let (size, shown, _) = m.fit(&foot, &[12.0, 11.0, 10.0], foot_w, FOOT_H, None);
    shapes.push_str(
        &TextShape {
            id: 4,
            name: "Footer",
            ph: None,
            rect: Rect {
                x: MARGIN,
                y: FOOT_Y,
                w: foot_w,
                h: FOOT_H,
            },
            fill: None,
            inset: [0.0; 4],
            anchor: "ctr",
            paras: secondary(shown, size),
        }
        .xml(),
    );
    if let (Some(logo), Some(r)) = (&d.logo, corner) {
        shapes.push_str(&picture(5, logo, "rId4", r));
    }
    let level = |size: u32, bold: bool, colour: &str| {
        format!(
            r#"<a:lvl1pPr marL="0" indent="0" algn="l" rtl="0"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc><a:spcBef><a:spcPts val="0"/></a:spcBef><a:buNone/><a:defRPr sz="{size}" b="{}" kern="1200"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill><a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl1pPr>"#,
            if bold { 1 } else { 0 }
        )
    };
    format!(
        r#"{XML_DECL}<p:sldMaster {NS}><p:cSld>{}<p:spTree>{GROUP}{shapes}</p:spTree></p:cSld><p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/><p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/><p:sldLayoutId id="2147483650" r:id="rId2"/></p:sldLayoutIdLst><p:txStyles><p:titleStyle>{}</p:titleStyle><p:bodyStyle>{}</p:bodyStyle><p:otherStyle>{}</p:otherStyle></p:txStyles></p:sldMaster>"#,
        background(WHITE),
        level(3200, true, &hex(pal.on_brand)),
        level(2400, false, &hex(INK)),
        level(1800, false, &hex(INK)),
    )
}

/// "Title Slide" (§19.3.1.39): no master shapes; the title and subtitle placeholders.
fn title_layout() -> String {
    let title = placeholder(
        2,
        "Title 1",
        r#"<p:ph type="ctrTitle"/>"#,
        Rect {
            x: MARGIN,
            y: 176.0,
            w: SLIDE_W - 2.0 * MARGIN,
            h: 224.0,
        },
    );
    let subtitle = placeholder(
        3,
        "Subtitle 2",
        r#"<p:ph type="subTitle" idx="1"/>"#,
        Rect {
            x: MARGIN,
            y: 412.0,
            w: SLIDE_W - 2.0 * MARGIN,
            h: 36.0,
        },
    );
    format!(
        r#"{XML_DECL}<p:sldLayout {NS} type="title" preserve="1" showMasterSp="0"><p:cSld name="Title Slide"><p:spTree>{GROUP}{title}{subtitle}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"#
    )
}

/// "Title and Content": the title bar and the body.
fn content_layout() -> String {
    let title = placeholder(2, "Title 1", r#"<p:ph type="title"/>"#, bar_rect());
    let body = placeholder(
        3,
        "Content Placeholder 2",
        r#"<p:ph idx="1"/>"#,
        content_rect(),
    );
    format!(
        r#"{XML_DECL}<p:sldLayout {NS} type="obj" preserve="1"><p:cSld name="Title and Content"><p:spTree>{GROUP}{title}{body}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"#
    )
}

/// The notes master (§19.3.1.27): the slide's image above, the notes below.
fn notes_master() -> String {
    format!(
        r#"{XML_DECL}<p:notesMaster {NS}><p:cSld><p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg><p:spTree>{GROUP}<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr><a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg" idx="2"/></p:nvPr></p:nvSpPr><p:spPr><a:xfrm><a:off x="685800" y="1143000"/><a:ext cx="5486400" cy="3086100"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln w="12700"><a:solidFill><a:prstClr val="black"/></a:solidFill></a:ln></p:spPr></p:sp><p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="body" sz="quarter" idx="3"/></p:nvPr></p:nvSpPr><p:spPr><a:xfrm><a:off x="685800" y="4400550"/><a:ext cx="5486400" cy="3600450"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="{LANG}"/></a:p></p:txBody></p:sp></p:spTree></p:cSld><p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/><p:notesStyle><a:lvl1pPr marL="0" algn="l" rtl="0"><a:defRPr sz="1200" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill><a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl1pPr></p:notesStyle></p:notesMaster>"#
    )
}

/// A notes slide (§19.3.1.26): the slide's image and the notes, a paragraph each.
fn notes_slide(notes: &[String]) -> String {
    let mut paras = String::new();
    for n in notes {
        paras.push_str(&format!(
            r#"<a:p><a:r><a:rPr lang="{LANG}" dirty="0"/><a:t>{}</a:t></a:r></a:p>"#,
            escape(n)
        ));
    }
    if paras.is_empty() {
        paras = format!(r#"<a:p><a:endParaRPr lang="{LANG}"/></a:p>"#);
    }
    format!(
        r#"{XML_DECL}<p:notes {NS}><p:cSld><p:spTree>{GROUP}<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr><a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp><p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="body" idx="1"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>{paras}</p:txBody></p:sp></p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"#
    )
}

/// A theme (DrawingML, §20.1.6.9): colours (the host's as the first accent), Arial for
/// headings and text, plain fills, lines and effects.
fn theme(name: &str, brand: [u8; 3]) -> String {
    let solid = |c: &str| format!(r#"<a:solidFill><a:schemeClr val="{c}"/></a:solidFill>"#);
    let line = |w: u32| {
        format!(
            r#"<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>"#
        )
    };
    let fills = solid("phClr").repeat(3);
    let lines = format!("{}{}{}", line(6350), line(12700), line(19050));
    let effects = "<a:effectStyle><a:effectLst/></a:effectStyle>".repeat(3);
    format!(
        r#"{XML_DECL}<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="{}"><a:themeElements><a:clrScheme name="{}"><a:dk1><a:srgbClr val="{}"/></a:dk1><a:lt1><a:srgbClr val="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="{}"/></a:dk2><a:lt2><a:srgbClr val="F3F2F1"/></a:lt2><a:accent1><a:srgbClr val="{}"/></a:accent1><a:accent2><a:srgbClr val="1D70B8"/></a:accent2><a:accent3><a:srgbClr val="00703C"/></a:accent3><a:accent4><a:srgbClr val="D4351C"/></a:accent4><a:accent5><a:srgbClr val="FFBF47"/></a:accent5><a:accent6><a:srgbClr val="505A5F"/></a:accent6><a:hlink><a:srgbClr val="1A65A6"/></a:hlink><a:folHlink><a:srgbClr val="54319F"/></a:folHlink></a:clrScheme><a:fontScheme name="{}"><a:majorFont><a:latin typeface="{FONT}"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="{FONT}"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme><a:fmtScheme name="{}"><a:fillStyleLst>{fills}</a:fillStyleLst><a:lnStyleLst>{lines}</a:lnStyleLst><a:effectStyleLst>{effects}</a:effectStyleLst><a:bgFillStyleLst>{fills}</a:bgFillStyleLst></a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"#,
        escape(name),
        escape(name),
        hex(INK),
        hex(brand),
        hex(brand),
        escape(name),
        escape(name),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::tests::briefing;
    use crate::documents::Block;

    fn part(pptx: &[u8], name: &str) -> String {
        crate::documents::docx::tests::part(pptx, name)
    }

    fn titles(d: &Document) -> Vec<String> {
        plan(d)
            .iter()
            .map(|s| match &s.kind {
                Kind::Title { .. } => d.title.clone(),
                Kind::Section { title, .. } | Kind::Claim { title, .. } => title.clone(),
            })
            .collect()
    }

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(escape("<&>\"'"), "&lt;&amp;&gt;&quot;&apos;");
        assert_eq!(escape("Zoë\u{1}\nÓ"), "Zoë Ó");
        let d = briefing();
        let pptx = pptx(&d).expect("a PPTX");
        let core = part(&pptx, "docProps/core.xml");
        assert!(
            core.contains("what the evidence says &lt;&amp;&gt;&quot;&apos;</dc:title>"),
            "{core}"
        );
        assert!(
            part(&pptx, "ppt/slideMasters/slideMaster1.xml").contains("Zoë&apos;s Learning Zone")
        );
    }

    #[test]
    fn one_slide_for_the_title_each_section_with_text_and_each_claim() {
        let d = briefing();
        assert_eq!(
            titles(&d),
            [
                d.title.as_str(),
                "Why it matters",
                "What we found (1 of 2)",
                "What we found (2 of 2)",
                "Costs",
                "The ask",
            ]
        );
        let pptx = pptx(&d).expect("a PPTX");
        let presentation = part(&pptx, "ppt/presentation.xml");
        assert_eq!(presentation.matches("<p:sldId ").count(), 6);
        // Every slide has a title placeholder, first in its shape tree.
        for n in 1..=6 {
            let slide = part(&pptx, &format!("ppt/slides/slide{n}.xml"));
            let first = slide.find("<p:sp>").expect("a shape");
            let title = slide.find("Title").expect("a title");
            assert!(
                title > first
                    && slide[first..]
                        .starts_with("<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Title 1\"")
            );
        }
    }

    #[test]
    fn a_section_of_only_tables_has_no_slide() {
        let mut d = briefing();
        d.blocks.push(Block::Heading(2, "Appendix".into()));
        d.blocks.push(Block::Table(crate::documents::Table {
            columns: vec![crate::documents::Column::text("A", 1)],
            rows: vec![],
        }));
        let titles = titles(&d);
        assert!(
            !titles.iter().any(|t| t == "Appendix" || t == "References"),
            "{titles:?}"
        );
        // An empty section is a divider slide.
        d.blocks.push(Block::Heading(2, "Questions".into()));
        assert_eq!(
            self::titles(&d).last().map(String::as_str),
            Some("Questions")
        );
    }

    #[test]
    fn notes_go_with_their_slides() {
        let d = briefing();
        let pptx = pptx(&d).expect("a PPTX");
        let notes = |n: usize| part(&pptx, &format!("ppt/notesSlides/notesSlide{n}.xml"));
        assert!(notes(1).contains("Welcome everyone."));
        assert!(notes(3).contains("Say where claim 1 comes from."));
        assert!(notes(5).contains("Say where claim 3 comes from."));
        assert!(notes(6).contains("Pause for questions."));
        let slide_rels = part(&pptx, "ppt/slides/_rels/slide2.xml.rels");
        assert!(!slide_rels.contains("notesSlide"), "{slide_rels}");
        let claim = part(&pptx, "ppt/slides/slide3.xml");
        assert!(
            claim.contains("GP visits fell by 17 % in a year. [1]") && claim.contains(">17 %<")
        );
        assert!(claim.contains("[1] Blackpool Council"));
        let title = part(&pptx, "ppt/slides/slide1.xml");
        assert!(title.contains(r#"descr="Learning Zone logo""#));
    }

    #[test]
    fn long_text_is_cut_at_a_sentence_with_the_full_text_in_the_notes() {
        let mut d = briefing();
        let long =
            "This sentence is about the work of the partnership and what it did. ".repeat(30);
        d.blocks.insert(3, Block::Para(long.clone()));
        let pptx = pptx(&d).expect("a PPTX");
        let slide = part(&pptx, "ppt/slides/slide2.xml");
        assert!(slide.contains(MORE), "{slide}");
        assert!(slide.contains("partnership and what it did.</a:t>"));
        assert!(slide.contains(r#"sz="1800""#));
        let notes = part(&pptx, "ppt/notesSlides/notesSlide2.xml");
        assert!(notes.contains(long.trim()));
        // Short text is large.
        assert!(part(&pptx, "ppt/slides/slide6.xml").contains(r#"sz="2800""#));
    }

    #[test]
    fn sentences_split_after_their_full_stop() {
        assert_eq!(
            sentences("One. Two! Three? 3.5 four"),
            ["One.", "Two!", "Three?", "3.5 four"]
        );
    }
}
