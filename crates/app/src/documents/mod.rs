//! Documents people forward, made one way: a feature builds one [`Document`] — its title,
//! the host's name, colour and logo, a running line, and an outline of [`Block`]s in
//! reading order (a title page, headings, paragraphs, flags, claims with their sources,
//! tables, speaker notes) — and each renderer turns that one value into a file. Nothing
//! here knows which feature the document is about, and nothing does any I/O.
//!
//! - [`docx`] (`docx.rs`, docx-rs): editable Word, under Word's own heading styles, with
//!   header rows that repeat and "Page N of M" in the footer.
//! - [`pdf`] (`pdf.rs`, krilla): a tagged, accessible PDF checked by krilla's PDF/UA-1
//!   validator, DejaVu Sans embedded (`fonts.rs`); laid out as plain data first (`layout.rs`
//!   breaks lines and rows, `pages.rs` places blocks, `tables.rs` tables), drawn after.
//! - [`pptx`] (`pptx.rs`, written by hand as PresentationML with the `zip` crate): 16:9
//!   slides — a title slide, one per level-2 heading with text, one per claim — with speaker
//!   notes; tables stay in the printed documents. Text is measured with the PDF's font so
//!   that it is sized to fit its box.
//!
//! A feature's own outline builder lives with the feature (the Executive report's is
//! `plans/report_docs.rs`).

mod docx;
mod fonts;
mod layout;
mod outline;
mod pages;
mod pdf;
mod pptx;
mod tables;

pub use docx::docx;
pub use outline::{
    contrast, long_date, money, parse_hex, rag_colours, rag_word, text_on, Block, Cell, Claim,
    Column, Document, Logo, Table, ACCENT, HEADER_FILL, INK, SECONDARY, WHITE,
};
pub use pdf::pdf;
pub use pptx::pptx;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small logo (120 × 40 pixels): "LZ" and a dot.
    pub(crate) const LOGO: &[u8] = include_bytes!("../../tests/fixtures/logo.png");

    /// A short briefing: a title page with notes, a section of text, two claims under one
    /// heading and one under another, "The ask" with notes, and references (a table only).
    pub(crate) fn briefing() -> Document {
        let claim = |number: u32, figure: Option<&str>, text: &str| {
            Block::Claim(Claim {
                number,
                figure: figure.map(String::from),
                text: text.into(),
                source: format!(
                    "Blackpool Council, Social prescribing evaluation {number}, 2025 — \
                     evaluation, Nesta level 3"
                ),
                notes: format!("Say where claim {number} comes from."),
            })
        };
        Document {
            title: "Social prescribing: what the evidence says <&>\"'".into(),
            site: "Zoë's Learning Zone".into(),
            running: "As at 23 November 2026".into(),
            brand: [0x1D, 0x4F, 0x91],
            logo: Some(Logo {
                png: LOGO.to_vec(),
                alt: "Learning Zone logo".into(),
            }),
            blocks: vec![
                Block::TitlePage {
                    subtitle: "As at 23 November 2026".into(),
                    about: "A briefing for the Executive.".into(),
                },
                Block::Notes("Welcome everyone.".into()),
                Block::Heading(2, "Why it matters".into()),
                Block::Para("Loneliness costs the system. People wait too long.".into()),
                Block::Flag("Funding ends in March.".into()),
                Block::Heading(2, "What we found".into()),
                claim(1, Some("17 %"), "GP visits fell by 17 % in a year."),
                claim(2, None, "People said they felt less alone."),
                Block::Heading(2, "Costs".into()),
                claim(3, Some("£1.20"), "Each £1 spent returned £1.20."),
                Block::Heading(2, "The ask".into()),
                Block::Para("Fund the link workers for two more years.".into()),
                Block::Notes("Pause for questions.".into()),
                Block::Heading(2, "References".into()),
                Block::Table(Table {
                    columns: vec![Column::names("Number", 10), Column::text("Source", 90)],
                    rows: (1..=3)
                        .map(|n| {
                            vec![
                                Cell::text_of(format!("[{n}]")),
                                Cell::text_of(format!("Source {n}")),
                            ]
                        })
                        .collect(),
                }),
            ],
        }
    }
}
