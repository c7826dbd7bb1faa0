//! A document as a tagged, accessible PDF (krilla, checked by its PDF/UA-1 validator as it is
//! written): A4, a title page (the logo a Figure with its alternative text), then sections; tables whose header row repeats on each page
//! they continue onto; RAG as a coloured swatch beside its word; "Page N of M" on every page.
//! The tag tree gives the document's language (en-GB) and title (shown as the window title),
//! H1/H2 headings, P for paragraphs and for a claim's figure, text and source, and
//! Table/THead/TBody/TR/TH/TD for tables, with bookmarks
//! for the headings; the running header, the footer, rules, swatches and repeated header rows
//! are artifacts. Text is DejaVu Sans, embedded and subset (`fonts.rs`), so names like
//! "Zoë Ó Briain" and "£" are drawn and extracted as written.
//!
//! Laying out comes first and is plain data (`pages.rs`, `tables.rs`); drawing it with
//! krilla and building the tag tree from the outline come after, here. A pure function of the
//! document: no I/O. Speaker notes are not printed.

use std::collections::HashMap;
use std::num::NonZeroU16;

use krilla::color::rgb;
use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ContentTag, Identifier, SpanTag, TableHeaderScope, Tag, TagGroup, TagTree,
};
use krilla::{Document as PdfDocument, SerializeSettings};

use super::fonts::Fonts;
use super::outline::{Block, Document};
use super::pages::{Bookmark, Chunk, Draw, Flow, Key, Mark, Part, LEFT, PAGE_H, PAGE_W};
use crate::{AppError, AppResult};

/// The document's language, for the catalog and the tag tree's root.
const LANGUAGE: &str = "en-GB";

/// The document as a PDF.
pub fn pdf(d: &Document) -> AppResult<Vec<u8>> {
    let fonts = Fonts::load()?;
    let mut flow = Flow::new(&fonts);
    flow.blocks(d);
    let pages = flow.finish(&d.site, &d.title, &d.running);
    let logo = match &d.logo {
        Some(logo) => Some(Image::from_png(logo.png.clone().into(), true).map_err(|e| {
            AppError::internal(format!("reading the logo {:?} as PNG: {e}", logo.alt))
        })?),
        None => None,
    };

    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| AppError::internal(format!("configuring the PDF: {e:?}")))?;
    let mut document = PdfDocument::new_with(SerializeSettings {
        configuration,
        enable_tagging: true,
        ..SerializeSettings::default()
    });
    let mut ids = draw_pages(&mut document, &fonts, logo.as_ref(), &pages.pages)?;
    document.set_tag_tree(tag_tree(d, &mut ids));
    document.set_outline(bookmarks(&pages.bookmarks));
    document.set_metadata(
        Metadata::new()
            .title(d.title.clone())
            .language(LANGUAGE.to_string())
            .creator(d.site.clone()),
    );
    document
        .finish()
        .map_err(|e| AppError::internal(format!("writing {:?} as PDF: {e:?}", d.title)))
}

fn colour([r, g, b]: [u8; 3]) -> rgb::Color {
    rgb::Color::new(r, g, b)
}

/// Draws the pages; returns each tagged piece's identifiers by what it is.
fn draw_pages(
    document: &mut PdfDocument,
    fonts: &Fonts,
    logo: Option<&Image>,
    pages: &[Vec<Chunk>],
) -> AppResult<HashMap<Key, Vec<Identifier>>> {
    let mut ids: HashMap<Key, Vec<Identifier>> = HashMap::new();
    for chunks in pages {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
            .ok_or_else(|| AppError::internal("the A4 page size is not valid"))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for chunk in chunks {
            let tag = match chunk.mark {
                Mark::Content(_) => ContentTag::Span(SpanTag::empty()),
                Mark::Artifact(kind) => ContentTag::Artifact(Artifact::with_kind(kind)),
            };
            let id = surface.start_tagged(tag);
            for draw in &chunk.draws {
                draw_one(&mut surface, fonts, logo, draw);
            }
            surface.end_tagged();
            if let Mark::Content(key) = chunk.mark {
                ids.entry(key).or_default().push(id);
            }
        }
        surface.finish();
        page.finish();
    }
    Ok(ids)
}

fn draw_one(surface: &mut Surface<'_>, fonts: &Fonts, logo: Option<&Image>, draw: &Draw) {
    match draw {
        Draw::Logo { x, y, w, h } => {
            let (Some(image), Some(size)) = (logo, Size::from_wh(*w, *h)) else {
                return;
            };
            surface.push_transform(&Transform::from_translate(*x, *y));
            surface.draw_image(image.clone(), size);
            surface.pop();
        }
        Draw::Text {
            x,
            baseline,
            style,
            text,
        } => {
            let face = fonts.face(style.bold);
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: colour(style.colour).into(),
                ..Fill::default()
            }));
            surface.draw_glyphs(
                Point::from_xy(*x, *baseline),
                &face.glyphs(text),
                face.font.clone(),
                text,
                style.size,
                false,
            );
        }
        Draw::Rect {
            x,
            y,
            w,
            h,
            fill,
            outline,
        } => {
            let mut path = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                path.push_rect(rect);
            }
            let Some(path) = path.finish() else { return };
            surface.set_fill(fill.map(|c| Fill {
                paint: colour(c).into(),
                ..Fill::default()
            }));
            surface.set_stroke(outline.map(|c| Stroke {
                paint: colour(c).into(),
                width: 0.75,
                opacity: NormalizedF32::ONE,
                ..Stroke::default()
            }));
            surface.draw_path(&path);
        }
    }
}

/// The tag tree, in reading order, from the outline and the identifiers of what was drawn.
fn tag_tree(d: &Document, ids: &mut HashMap<Key, Vec<Identifier>>) -> TagTree {
    let mut take = |block: usize, part: Part| ids.remove(&Key { block, part }).unwrap_or_default();
    let mut tree = TagTree::new().with_lang(Some(LANGUAGE.to_string()));
    for (i, block) in d.blocks.iter().enumerate() {
        match block {
            Block::TitlePage { .. } => {
                let logo = take(i, Part::Logo);
                if let (Some(l), false) = (&d.logo, logo.is_empty()) {
                    tree.push(leaves(
                        TagGroup::new(Tag::Figure(Some(l.alt.clone()))),
                        logo,
                    ));
                }
                tree.push(leaves(TagGroup::new(Tag::P), take(i, Part::Site)));
                tree.push(leaves(
                    TagGroup::new(heading(1, &d.title)),
                    take(i, Part::Whole),
                ));
                tree.push(leaves(TagGroup::new(Tag::P), take(i, Part::AsAt)));
                tree.push(leaves(TagGroup::new(Tag::P), take(i, Part::About)));
            }
            Block::Heading(level, text) => tree.push(leaves(
                TagGroup::new(heading(*level, text)),
                take(i, Part::Whole),
            )),
            Block::Para(_) | Block::Flag(_) => {
                tree.push(leaves(TagGroup::new(Tag::P), take(i, Part::Whole)))
            }
            Block::Claim(_) => {
                for part in [Part::Figure, Part::Whole, Part::Source] {
                    let parts = take(i, part);
                    if !parts.is_empty() {
                        tree.push(leaves(TagGroup::new(Tag::P), parts));
                    }
                }
            }
            Block::Notes(_) => {}
            Block::Table(table) => {
                let mut head_row = TagGroup::new(Tag::TR);
                for col in 0..table.columns.len() {
                    head_row.push(leaves(
                        TagGroup::new(Tag::TH(TableHeaderScope::Column)),
                        take(i, Part::Cell(0, col)),
                    ));
                }
                let mut head = TagGroup::new(Tag::THead);
                head.push(head_row);
                let mut body = TagGroup::new(Tag::TBody);
                for (r, row) in table.rows.iter().enumerate() {
                    let mut tr = TagGroup::new(Tag::TR);
                    for col in 0..row.len() {
                        tr.push(leaves(
                            TagGroup::new(Tag::TD),
                            take(i, Part::Cell(r + 1, col)),
                        ));
                    }
                    body.push(tr);
                }
                let mut group = TagGroup::new(Tag::Table);
                group.push(head);
                group.push(body);
                tree.push(group);
            }
        }
    }
    tree
}

fn heading(level: u8, text: &str) -> krilla::tagging::TagKind {
    let level = NonZeroU16::new(u16::from(level.max(1))).unwrap_or(NonZeroU16::MIN);
    Tag::Hn(level, Some(text.to_string())).into()
}

fn leaves(mut group: TagGroup, ids: Vec<Identifier>) -> TagGroup {
    for id in ids {
        group.push(id);
    }
    group
}

/// The bookmarks: the title, with the sections under it.
fn bookmarks(marks: &[Bookmark]) -> Outline {
    let mut outline = Outline::new();
    let node = |m: &Bookmark| {
        OutlineNode::new(
            m.text.clone(),
            XyzDestination::new(m.page, Point::from_xy(LEFT, m.y)),
        )
    };
    let mut top: Option<OutlineNode> = None;
    for m in marks {
        match (&mut top, m.level) {
            (Some(parent), level) if level > 1 => parent.push_child(node(m)),
            _ => {
                if let Some(done) = top.take() {
                    outline.push_child(done);
                }
                top = Some(node(m).with_open(true));
            }
        }
    }
    if let Some(done) = top {
        outline.push_child(done);
    }
    outline
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::tests::briefing;
    use crate::plans::report_docs::tests::sample_document as sample;

    #[test]
    fn the_pdf_is_made_and_tagged() {
        let bytes = pdf(&sample(40)).expect("a PDF");
        assert!(bytes.starts_with(b"%PDF-1.7"));
        let text = String::from_utf8_lossy(&bytes);
        for expect in [
            "/StructTreeRoot",
            "/MarkInfo",
            "/Lang(en-GB)",
            "/DisplayDocTitle true",
        ] {
            assert!(text.contains(expect), "{expect} is missing");
        }
    }

    #[test]
    fn the_logo_is_a_figure_with_its_alt_text() {
        let bytes = pdf(&briefing()).expect("a PDF");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/Figure"), "no Figure");
        assert!(text.contains("/Alt(Learning Zone logo)"), "no alt text");
        assert!(text.contains("/Subtype /Image") || text.contains("/Subtype/Image"));
    }
}
