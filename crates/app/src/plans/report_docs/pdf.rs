//! The report as a tagged, accessible PDF (krilla, checked by its PDF/UA-1 validator as it is
//! written): A4, a title page, then sections; tables whose header row repeats on each page
//! they continue onto; RAG as a coloured swatch beside its word; "Page N of M" on every page.
//! The tag tree gives the document's language (en-GB) and title (shown as the window title),
//! H1/H2 headings, P for paragraphs and Table/THead/TBody/TR/TH/TD for tables, with bookmarks
//! for the headings; the running header, the footer, rules, swatches and repeated header rows
//! are artifacts. Text is DejaVu Sans, embedded and subset (`fonts.rs`), so names like
//! "Zoë Ó Briain" and "£" are drawn and extracted as written.
//!
//! Laying out comes first and is plain data (`pages.rs`, `tables.rs`); drawing it with
//! krilla and building the tag tree from the outline come after, here. A pure function of the
//! report: no I/O.

use std::collections::HashMap;
use std::num::NonZeroU16;

use krilla::color::rgb;
use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ContentTag, Identifier, SpanTag, TableHeaderScope, Tag, TagGroup, TagTree,
};
use krilla::{Document, SerializeSettings};

use super::fonts::Fonts;
use super::pages::{Bookmark, Chunk, Draw, Flow, Key, Mark, Part, LEFT, PAGE_H, PAGE_W};
use super::{outline, Block};
use crate::plans::report::Report;
use crate::{AppError, AppResult};

/// The document's language, for the catalog and the tag tree's root.
const LANGUAGE: &str = "en-GB";

/// The report as a PDF; `site_name` is the host's name for the title page and the footer.
pub fn pdf(r: &Report, site_name: &str) -> AppResult<Vec<u8>> {
    let fonts = Fonts::load()?;
    let blocks = outline(r, site_name);
    let mut flow = Flow::new(&fonts);
    flow.blocks(&blocks);
    let title = super::title(r);
    let running = format!("As at {}", super::long_date(&r.date));
    let pages = flow.finish(site_name, &title, &running);

    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| AppError::internal(format!("configuring the PDF: {e:?}")))?;
    let mut document = Document::new_with(SerializeSettings {
        configuration,
        enable_tagging: true,
        ..SerializeSettings::default()
    });
    let mut ids = draw_pages(&mut document, &fonts, &pages.pages)?;
    document.set_tag_tree(tag_tree(&blocks, &mut ids));
    document.set_outline(bookmarks(&pages.bookmarks));
    document.set_metadata(
        Metadata::new()
            .title(title)
            .language(LANGUAGE.to_string())
            .creator(site_name.to_string()),
    );
    document
        .finish()
        .map_err(|e| AppError::internal(format!("writing the report as PDF: {e:?}")))
}

fn colour([r, g, b]: [u8; 3]) -> rgb::Color {
    rgb::Color::new(r, g, b)
}

/// Draws the pages; returns each tagged piece's identifiers by what it is.
fn draw_pages(
    document: &mut Document,
    fonts: &Fonts,
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
                draw_one(&mut surface, fonts, draw);
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

fn draw_one(surface: &mut Surface<'_>, fonts: &Fonts, draw: &Draw) {
    match draw {
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
fn tag_tree(blocks: &[Block], ids: &mut HashMap<Key, Vec<Identifier>>) -> TagTree {
    let mut take = |block: usize, part: Part| ids.remove(&Key { block, part }).unwrap_or_default();
    let mut tree = TagTree::new().with_lang(Some(LANGUAGE.to_string()));
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::TitlePage { title, .. } => {
                tree.push(leaves(TagGroup::new(Tag::P), take(i, Part::Site)));
                tree.push(leaves(
                    TagGroup::new(heading(1, title)),
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
    use super::super::tests::sample;
    use super::*;

    #[test]
    fn the_pdf_is_made_and_tagged() {
        let bytes = pdf(&sample(40), "Learning Zone").expect("a PDF");
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
}
