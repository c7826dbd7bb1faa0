//! The PDF's font: DejaVu Sans, regular and bold, compiled in (`assets/fonts`, copied from
//! the npm package `dejavu-fonts-ttf` by `tools/fonts/refresh.sh`); krilla embeds and subsets
//! it. Text is measured and placed glyph by glyph at the font's advance widths, read with
//! skrifa (the font reader krilla itself uses), so a line is drawn exactly as wide as it was
//! measured. No shaping, so no kerning or ligatures: a fair price for report text. A character
//! the font lacks becomes U+FFFD (PDF/UA forbids the .notdef glyph).

use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::MetadataProvider;

use super::pages::Style;
use crate::{AppError, AppResult};

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// One face of the font: krilla's handle for drawing, skrifa's tables for measuring.
pub(super) struct Face {
    pub(super) font: Font,
    charmap: Charmap<'static>,
    advances: GlyphMetrics<'static>,
    units_per_em: f32,
    pub(super) ascent: f32,
    pub(super) descent: f32,
}

impl Face {
    pub(super) fn load(data: &'static [u8], name: &str) -> AppResult<Face> {
        let font_ref = skrifa::FontRef::new(data)
            .map_err(|e| AppError::internal(format!("reading the font {name}: {e}")))?;
        let metrics = font_ref.metrics(Size::unscaled(), LocationRef::default());
        let units_per_em = f32::from(metrics.units_per_em.max(1));
        Ok(Face {
            font: Font::new(data.into(), 0)
                .ok_or_else(|| AppError::internal(format!("krilla cannot read the font {name}")))?,
            charmap: font_ref.charmap(),
            advances: font_ref.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em,
            ascent: metrics.ascent / units_per_em,
            descent: -metrics.descent / units_per_em,
        })
    }

    /// The glyph for `c` and its advance in ems; the .notdef glyph when the font lacks it.
    pub(super) fn glyph(&self, c: char) -> (u32, f32) {
        let id = self.charmap.map(c).unwrap_or_default();
        let advance = self.advances.advance_width(id).unwrap_or(0.0);
        (id.to_u32(), advance / self.units_per_em)
    }

    pub(super) fn covers(&self, c: char) -> bool {
        self.charmap.map(c).is_some_and(|g| g.to_u32() != 0)
    }

    pub(super) fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.glyph(c).1).sum::<f32>() * size
    }

    pub(super) fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(i, c)| {
                let (id, advance) = self.glyph(c);
                KrillaGlyph::new(
                    GlyphId::new(id),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    i..i + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }
}

pub(super) struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    pub(super) fn load() -> AppResult<Fonts> {
        Ok(Fonts {
            regular: Face::load(REGULAR, "DejaVuSans.ttf")?,
            bold: Face::load(BOLD, "DejaVuSans-Bold.ttf")?,
        })
    }

    pub(super) fn face(&self, bold: bool) -> &Face {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }

    pub(super) fn width(&self, text: &str, style: Style) -> f32 {
        self.face(style.bold).width(text, style.size)
    }

    /// Text both faces can draw: white space and control characters become spaces, invisible
    /// format characters go, and a character neither face has becomes U+FFFD.
    pub(super) fn printable(&self, text: &str) -> String {
        text.chars()
            .filter(|c| {
                !matches!(
                    c,
                    '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}'
                )
            })
            .map(|c| {
                if c.is_whitespace() || c.is_control() {
                    ' '
                } else if self.regular.covers(c) && self.bold.covers(c) {
                    c
                } else {
                    '\u{FFFD}'
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::pages::{BODY, CELL, HEAD_CELL};
    use super::*;

    #[test]
    pub(super) fn text_is_measured_with_the_fonts_advance_widths() {
        let fonts = Fonts::load().expect("the fonts load");
        // DejaVu Sans: "i" is narrow, "W" wide; bold is wider than regular.
        assert!(fonts.width("W", BODY) > 2.5 * fonts.width("i", BODY));
        assert!(fonts.width("Zoë Ó Briain", HEAD_CELL) > fonts.width("Zoë Ó Briain", CELL));
        assert_eq!(
            fonts.printable("Zoë Ó Briain £5\u{200B}\tok"),
            "Zoë Ó Briain £5 ok"
        );
        // A character DejaVu lacks (a CJK ideograph) becomes U+FFFD, not the .notdef glyph.
        assert_eq!(fonts.printable("日"), "\u{FFFD}");
    }
}
