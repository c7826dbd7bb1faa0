//! The one outline every document is made from: a [`Document`] (its title, the host's name,
//! colour and logo, a running line) and its [`Block`]s in reading order; and the colours and
//! wording the renderers share (money, dates written out, RAG in words and colours).

use crate::plans::record::Rag;

/// A document to render as DOCX, PDF or PPTX: a pure value, no I/O.
pub struct Document {
    /// The document's title: its properties (DOCX, PPTX) and metadata (PDF), the title
    /// page's level-1 heading and the title slide's title.
    pub title: String,
    /// The host's name: on the title page, in the footer.
    pub site: String,
    /// The running line, e.g. "As at 23 November 2026": the PDF's running header, the
    /// slides' footer.
    pub running: String,
    /// The host's colour (sRGB): the slides' title bars and the title slide's background.
    /// It must carry white text; where it does not (below 4.5:1), near-black text is used.
    pub brand: [u8; 3],
    /// The host's logo: on the title page (DOCX, PDF) and the title slide, and small in a
    /// corner of the other slides.
    pub logo: Option<Logo>,
    pub blocks: Vec<Block>,
}

/// A logo: PNG bytes and the text that replaces it for someone who cannot see it.
pub struct Logo {
    pub png: Vec<u8>,
    pub alt: String,
}

impl Logo {
    /// The PNG's width and height in pixels, read from its header (IHDR, the first chunk).
    pub fn size(&self) -> Option<(u32, u32)> {
        const SIGNATURE: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        let png = &self.png;
        if png.len() < 24 || !png.starts_with(SIGNATURE) || &png[12..16] != b"IHDR" {
            return None;
        }
        let be = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
        let (w, h) = (be(16), be(20));
        (w > 0 && h > 0).then_some((w, h))
    }

    /// The logo's size to draw, in the caller's unit: `height` high, at most `max_width`
    /// wide, in proportion.
    pub fn fit(&self, height: f32, max_width: f32) -> Option<(f32, f32)> {
        let (w, h) = self.size()?;
        let (w, h) = (w as f32, h as f32);
        let scale = (height / h).min(max_width / w);
        Some((w * scale, h * scale))
    }
}

/// One piece of a document, in reading order.
pub enum Block {
    /// The first page (the title slide): the host's name, the document's title (the level-1
    /// heading), a subtitle (e.g. the date it is as at) and what the document holds. The
    /// next block starts a new page.
    TitlePage {
        subtitle: String,
        about: String,
    },
    /// A section heading (level 2; level 1 is the title page's). Each level-2 heading with
    /// text, claims or nothing under it is a slide; one with only tables under it is not.
    Heading(u8, String),
    Para(String),
    /// Something a reader must notice (over budget, past its end with no status, a missed
    /// milestone): a paragraph, marked out.
    Flag(String),
    Table(Table),
    /// A claim backed by a source: a paragraph with its citation in print, a slide of its own.
    Claim(Claim),
    /// Speaker notes for the slide the blocks before it make (the title slide's, a heading's);
    /// not in the DOCX or the PDF.
    Notes(String),
}

/// A claim: a figure, the sentence that makes it, and where it comes from.
#[derive(Debug)]
pub struct Claim {
    /// The citation's number: " [n]" after the claim, "[n]" before its source.
    pub number: u32,
    /// The headline figure, e.g. "17 %".
    pub figure: Option<String>,
    /// The claim, one sentence.
    pub text: String,
    /// The source on one line, e.g. "Blackpool Council, Social prescribing evaluation, 2025 —
    /// evaluation, Nesta level 3".
    pub source: String,
    /// The claim's slide's speaker notes.
    pub notes: String,
}

impl Claim {
    /// The claim followed by its citation marker: "… by 17 %. [3]".
    pub fn cited(&self) -> String {
        format!("{} [{}]", self.text, self.number)
    }

    /// The source line with its number: "[3] Blackpool Council, …".
    pub fn numbered_source(&self) -> String {
        format!("[{}] {}", self.number, self.source)
    }
}

/// A table: its columns, then rows of cells (one per column).
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

pub struct Column {
    pub title: String,
    /// Share of the table's width, relative to the other columns'.
    pub weight: u16,
    /// Amounts: aligned to the right.
    pub numeric: bool,
    /// Names, amounts and dates: the column is made wide enough, where the table has room,
    /// for each ", "-separated part of a cell to stay on one line.
    pub unbroken: bool,
}

impl Column {
    /// A column of text, which may break anywhere.
    pub fn text(title: impl Into<String>, weight: u16) -> Column {
        Column {
            title: title.into(),
            weight,
            numeric: false,
            unbroken: false,
        }
    }

    /// Names and dates: kept on one line where there is room.
    pub fn names(title: impl Into<String>, weight: u16) -> Column {
        Column {
            unbroken: true,
            ..Column::text(title, weight)
        }
    }

    /// Amounts: on the right, on one line.
    pub fn amount(title: impl Into<String>, weight: u16) -> Column {
        Column {
            numeric: true,
            unbroken: true,
            ..Column::text(title, weight)
        }
    }
}

pub enum Cell {
    Text(String),
    /// Shown by colour and by word ("Red", "Amber", "Green", "No status").
    Rag(Option<Rag>),
}

impl Cell {
    pub fn text_of(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// What the cell says in words.
    pub fn text(&self) -> &str {
        match self {
            Cell::Text(t) => t,
            Cell::Rag(rag) => rag_word(*rag),
        }
    }
}

/// A RAG status in words.
pub fn rag_word(rag: Option<Rag>) -> &'static str {
    match rag {
        Some(Rag::Red) => "Red",
        Some(Rag::Amber) => "Amber",
        Some(Rag::Green) => "Green",
        None => "No status",
    }
}

/// A RAG status's colour (sRGB) and the text colour that reads on it: white on red
/// (4.9:1) and green (6.2:1), near-black on amber (11.9:1) and on the pale grey of "no
/// status" (14.8:1). Where the colour is a swatch beside the word (the PDF) it has a dark
/// outline, so even amber's edge stands out from the white page.
pub fn rag_colours(rag: Option<Rag>) -> ([u8; 3], [u8; 3]) {
    match rag {
        Some(Rag::Red) => ([0xD4, 0x35, 0x1C], WHITE),
        Some(Rag::Amber) => ([0xFF, 0xBF, 0x47], INK),
        Some(Rag::Green) => ([0x00, 0x70, 0x3C], WHITE),
        None => ([0xDE, 0xE0, 0xE2], INK),
    }
}

/// The text colour: near-black (GOV.UK's).
pub const INK: [u8; 3] = [0x0B, 0x0C, 0x0C];
pub const WHITE: [u8; 3] = [0xFF, 0xFF, 0xFF];
/// Secondary text (7:1 on white).
pub const SECONDARY: [u8; 3] = [0x50, 0x5A, 0x5F];
/// The accent: the site's blue (5.2:1 on white).
pub const ACCENT: [u8; 3] = [0x1D, 0x70, 0xB8];
/// Table header rows' background.
pub const HEADER_FILL: [u8; 3] = [0xF3, 0xF2, 0xF1];

/// WCAG 2's contrast ratio of two sRGB colours (1 to 21).
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f32 {
    fn luminance(c: [u8; 3]) -> f32 {
        let channel = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The text colour for `background`: white where it reads (4.5:1 or more), else near-black.
pub fn text_on(background: [u8; 3]) -> [u8; 3] {
    if contrast(WHITE, background) >= 4.5 {
        WHITE
    } else {
        INK
    }
}

/// "#1d4f91" as sRGB; `None` for anything else.
pub fn parse_hex(colour: &str) -> Option<[u8; 3]> {
    let hex = colour.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
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

/// An ISO date written out as people write it: "2026-11-23" as "23 November 2026". Text
/// that is not an ISO date is kept as it is.
pub fn long_date(iso: &str) -> String {
    lz_domain::dates::parse_iso_date(iso)
        .map(|d| d.strftime("%-d %B %Y").to_string())
        .unwrap_or_else(|| iso.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_has_thousands_and_pence() {
        assert_eq!(money(800_000), "£8,000");
        assert_eq!(money(800_050), "£8,000.50");
        assert_eq!(money(-150_000), "-£1,500");
        assert_eq!(money(0), "£0");
    }

    #[test]
    fn dates_are_written_out() {
        assert_eq!(long_date("2026-11-23"), "23 November 2026");
        assert_eq!(long_date("2027-02-01"), "1 February 2027");
        assert_eq!(long_date("soon"), "soon");
    }

    #[test]
    fn contrast_picks_a_text_colour_that_reads() {
        assert!((contrast(WHITE, [0, 0, 0]) - 21.0).abs() < 0.01);
        assert_eq!(text_on([0x1D, 0x4F, 0x91]), WHITE);
        assert_eq!(text_on([0xFF, 0xDD, 0x00]), INK);
        assert_eq!(parse_hex("#1d4f91"), Some([0x1D, 0x4F, 0x91]));
        assert_eq!(parse_hex("1d4f91"), None);
        assert_eq!(parse_hex("#1d4f9"), None);
    }

    #[test]
    fn a_logos_size_is_read_from_its_header() {
        let logo = Logo {
            png: crate::documents::tests::LOGO.to_vec(),
            alt: "Logo".into(),
        };
        let (w, h) = logo.size().expect("a PNG");
        assert!(w > 0 && h > 0);
        let (fw, fh) = logo.fit(10.0, 1000.0).expect("a size");
        assert!((fh - 10.0).abs() < 0.01 && (fw / fh - w as f32 / h as f32).abs() < 0.01);
        let not = Logo {
            png: b"GIF89a".to_vec(),
            alt: String::new(),
        };
        assert_eq!(not.size(), None);
    }
}
