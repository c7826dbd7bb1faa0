//! The PDF's pages laid out, as plain data: pages of [`Chunk`]s, each one piece of tagged
//! content (a leaf of the tag tree, named by its [`Key`]) or one artifact, with what to draw.
//! The title page (with the logo), headings (never left alone at the foot of a page),
//! paragraphs, flags and claims, the running header and the footer ("Page N of M") are
//! here; tables are in `tables.rs`. Speaker notes take no room.
//! Drawing the chunks with krilla is `pdf.rs`'s job.

use krilla::tagging::ArtifactType;

use super::fonts::Fonts;
use super::layout::{self, lines_that_fit};
use super::outline::{Block, Claim, Document, ACCENT, INK, SECONDARY};
use super::tables::Grid;

// A4, in points, measured down from the top left (as krilla draws).
pub(super) const PAGE_W: f32 = 595.28;
pub(super) const PAGE_H: f32 = 841.89;
pub(super) const LEFT: f32 = 50.0;
pub(super) const WIDTH: f32 = PAGE_W - 2.0 * LEFT;
/// Where the body starts on a page (below the running header) and must end (above the footer).
pub(super) const TOP: f32 = 78.0;
pub(super) const BOTTOM: f32 = PAGE_H - 64.0;

pub(super) const RULE: [u8; 3] = [0xB1, 0xB4, 0xB6];
const FLAG_BAR: [u8; 3] = [0xD4, 0x35, 0x1C];

#[derive(Clone, Copy, Debug)]
pub(super) struct Style {
    pub(super) size: f32,
    pub(super) leading: f32,
    pub(super) bold: bool,
    pub(super) colour: [u8; 3],
}

const fn style(size: f32, leading: f32, bold: bool, colour: [u8; 3]) -> Style {
    Style {
        size,
        leading,
        bold,
        colour,
    }
}

pub(super) const BODY: Style = style(10.5, 15.0, false, INK);
const H1: Style = style(28.0, 34.0, true, INK);
const H2: Style = style(15.0, 20.0, true, INK);
const SITE: Style = style(15.0, 20.0, true, ACCENT);
const AS_AT: Style = style(16.0, 22.0, false, INK);
const ABOUT: Style = style(11.0, 16.0, false, SECONDARY);
pub(super) const CELL: Style = style(9.0, 12.0, false, INK);
pub(super) const HEAD_CELL: Style = style(9.0, 12.0, true, INK);
const SMALL: Style = style(8.0, 10.0, false, SECONDARY);
/// A claim's figure, and its source line.
const FIGURE: Style = style(20.0, 26.0, true, INK);
const SOURCE: Style = style(9.0, 13.0, false, SECONDARY);
/// The logo's height on the title page.
const LOGO_H: f32 = 48.0;
/// "Work areas and budget (continued)" above a table's header on the pages it continues onto.
pub(super) const CONTINUED: Style = style(9.0, 16.0, false, SECONDARY);

/// What a piece of content is in the tag tree: the outline block it belongs to, and which
/// part of the block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Part {
    Whole,
    Site,
    /// The logo (a Figure with its alternative text).
    Logo,
    AsAt,
    /// A claim's figure and its source line (the claim itself is `Whole`).
    Figure,
    Source,
    About,
    /// A table cell; row 0 is the header row.
    Cell(usize, usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct Key {
    pub(super) block: usize,
    pub(super) part: Part,
}

#[derive(Clone, Copy, Debug)]
pub(super) enum Mark {
    Content(Key),
    Artifact(ArtifactType),
}

#[derive(Clone, Debug)]
pub(super) enum Draw {
    Text {
        x: f32,
        baseline: f32,
        style: Style,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<[u8; 3]>,
        outline: Option<[u8; 3]>,
    },
    /// The document's logo, its top left at (x, y).
    Logo { x: f32, y: f32, w: f32, h: f32 },
}

/// One marked piece of a page: tagged content (drawn inside one marked-content sequence,
/// a leaf of the tag tree) or an artifact.
#[derive(Clone, Debug)]
pub(super) struct Chunk {
    pub(super) mark: Mark,
    pub(super) draws: Vec<Draw>,
}

/// A heading for the bookmarks: its text, level, page and height on the page.
pub(super) struct Bookmark {
    pub(super) text: String,
    pub(super) level: u8,
    pub(super) page: usize,
    pub(super) y: f32,
}

/// The laid-out pages.
pub(super) struct Pages {
    pub(super) pages: Vec<Vec<Chunk>>,
    pub(super) bookmarks: Vec<Bookmark>,
}

/// Lays the outline out on pages, top to bottom.
pub(super) struct Flow<'a> {
    pub(super) fonts: &'a Fonts,
    pub(super) pages: Vec<Vec<Chunk>>,
    /// Where the next thing goes on the last page.
    pub(super) y: f32,
    pub(super) bookmarks: Vec<Bookmark>,
}

impl<'a> Flow<'a> {
    pub(super) fn new(fonts: &'a Fonts) -> Self {
        Flow {
            fonts,
            pages: vec![Vec::new()],
            y: TOP,
            bookmarks: Vec::new(),
        }
    }

    pub(super) fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    fn at_top(&self) -> bool {
        self.y <= TOP + 0.5
    }

    pub(super) fn room(&self) -> f32 {
        BOTTOM - self.y
    }

    pub(super) fn push(&mut self, chunk: Chunk) {
        if let Some(page) = self.pages.last_mut() {
            page.push(chunk);
        }
    }

    pub(super) fn wrap(&self, text: &str, style: Style, width: f32) -> Vec<String> {
        let text = self.fonts.printable(text);
        layout::wrap(&text, width, &|s| self.fonts.width(s, style))
    }

    /// Where the baseline of a line of `style` sits when the line's box starts at `top`.
    fn baseline(&self, top: f32, style: Style) -> f32 {
        let face = self.fonts.face(style.bold);
        let body = (face.ascent + face.descent) * style.size;
        top + (style.leading - body) / 2.0 + face.ascent * style.size
    }

    pub(super) fn text(&self, mark: Mark, x: f32, top: f32, style: Style, line: &str) -> Chunk {
        let draws = if line.is_empty() {
            vec![]
        } else {
            vec![Draw::Text {
                x,
                baseline: self.baseline(top, style),
                style,
                text: line.to_string(),
            }]
        };
        Chunk { mark, draws }
    }

    pub(super) fn blocks(&mut self, d: &Document) {
        let blocks = &d.blocks;
        let mut section = "";
        for (i, block) in blocks.iter().enumerate() {
            let key = |part| Key { block: i, part };
            match block {
                Block::TitlePage { subtitle, about } => self.title_page(i, d, subtitle, about),
                Block::Heading(level, text) => {
                    section = text;
                    let next = self.least_height(
                        blocks[i + 1..]
                            .iter()
                            .find(|b| !matches!(b, Block::Notes(_))),
                    );
                    self.heading(key(Part::Whole), *level, text, next)
                }
                Block::Para(text) => {
                    self.lines(key(Part::Whole), LEFT, WIDTH, BODY, text);
                    self.y += 6.0;
                }
                Block::Flag(text) => {
                    let parts = self.lines(key(Part::Whole), LEFT + 12.0, WIDTH - 12.0, BODY, text);
                    for (page, top, bottom) in parts {
                        let bar = Draw::Rect {
                            x: LEFT,
                            y: top,
                            w: 4.0,
                            h: bottom - top,
                            fill: Some(FLAG_BAR),
                            outline: None,
                        };
                        if let Some(p) = self.pages.get_mut(page) {
                            p.push(Chunk {
                                mark: Mark::Artifact(ArtifactType::Layout),
                                draws: vec![bar],
                            });
                        }
                    }
                    self.y += 6.0;
                }
                Block::Table(table) => self.table(i, table, section),
                Block::Claim(claim) => self.claim(i, claim),
                Block::Notes(_) => {}
            }
        }
    }

    /// A claim: its figure, the claim with its citation marker, its source.
    fn claim(&mut self, block: usize, claim: &Claim) {
        let key = |part| Key { block, part };
        // A claim is short: it moves whole to the next page rather than leave its figure
        // (or its source) apart from it.
        let height = claim.figure.as_ref().map_or(0.0, |_| FIGURE.leading)
            + self.wrap(&claim.cited(), BODY, WIDTH).len() as f32 * BODY.leading
            + 2.0
            + self.wrap(&claim.source, SOURCE, WIDTH).len() as f32 * SOURCE.leading;
        if !self.at_top() && height <= BOTTOM - TOP && self.y + height > BOTTOM {
            self.new_page();
        }
        if let Some(figure) = &claim.figure {
            self.lines(key(Part::Figure), LEFT, WIDTH, FIGURE, figure);
        }
        self.lines(key(Part::Whole), LEFT, WIDTH, BODY, &claim.cited());
        self.y += 2.0;
        self.lines(key(Part::Source), LEFT, WIDTH, SOURCE, &claim.source);
        self.y += 10.0;
    }

    /// The title page: the logo, the host's name, the title (H1), the subtitle (the date),
    /// what the document holds.
    fn title_page(&mut self, block: usize, d: &Document, as_at: &str, about: &str) {
        let (site, title) = (d.site.as_str(), d.title.as_str());
        let key = |part| Mark::Content(Key { block, part });
        let band = Draw::Rect {
            x: 0.0,
            y: 0.0,
            w: PAGE_W,
            h: 14.0,
            fill: Some(ACCENT),
            outline: None,
        };
        self.push(Chunk {
            mark: Mark::Artifact(ArtifactType::Layout),
            draws: vec![band],
        });
        self.y = 96.0;
        if let Some((w, h)) = d.logo.as_ref().and_then(|l| l.fit(LOGO_H, WIDTH * 0.5)) {
            let draw = Draw::Logo {
                x: LEFT,
                y: self.y - SITE.leading + 4.0,
                w,
                h,
            };
            self.push(Chunk {
                mark: key(Part::Logo),
                draws: vec![draw],
            });
            self.y += h + 12.0;
        }
        for line in self.wrap(site, SITE, WIDTH) {
            let chunk = self.text(key(Part::Site), LEFT, self.y, SITE, &line);
            self.push(chunk);
            self.y += SITE.leading;
        }
        let rule = Draw::Rect {
            x: LEFT,
            y: self.y + 8.0,
            w: 72.0,
            h: 3.0,
            fill: Some(ACCENT),
            outline: None,
        };
        self.push(Chunk {
            mark: Mark::Artifact(ArtifactType::Layout),
            draws: vec![rule],
        });
        self.y = (self.y + 40.0).max(260.0);
        self.bookmarks.push(Bookmark {
            text: title.to_string(),
            level: 1,
            page: 0,
            y: self.y,
        });
        for line in self.wrap(title, H1, WIDTH) {
            let chunk = self.text(key(Part::Whole), LEFT, self.y, H1, &line);
            self.push(chunk);
            self.y += H1.leading;
        }
        self.y += 14.0;
        for line in self.wrap(as_at, AS_AT, WIDTH) {
            let chunk = self.text(key(Part::AsAt), LEFT, self.y, AS_AT, &line);
            self.push(chunk);
            self.y += AS_AT.leading;
        }
        self.y += 28.0;
        for line in self.wrap(about, ABOUT, WIDTH * 0.8) {
            let chunk = self.text(key(Part::About), LEFT, self.y, ABOUT, &line);
            self.push(chunk);
            self.y += ABOUT.leading;
        }
        self.new_page();
    }

    /// The least height the block after a heading needs beside it, so that a heading is
    /// never left alone at the foot of a page.
    fn least_height(&self, next: Option<&Block>) -> f32 {
        match next {
            Some(Block::Para(text) | Block::Flag(text)) => {
                self.wrap(text, BODY, WIDTH).len().min(2) as f32 * BODY.leading
            }
            Some(Block::Claim(claim)) => {
                claim.figure.as_ref().map_or(0.0, |_| FIGURE.leading)
                    + self.wrap(&claim.cited(), BODY, WIDTH).len().min(2) as f32 * BODY.leading
            }
            Some(Block::Table(table)) => {
                let grid = Grid::of(self, table);
                grid.header_height
                    + grid
                        .rows
                        .first()
                        .map_or(0.0, |r| grid.row_height(r.len().min(3)))
            }
            _ => 0.0,
        }
    }

    fn heading(&mut self, key: Key, level: u8, text: &str, next: f32) {
        let lines = self.wrap(text, H2, WIDTH);
        let height = lines.len() as f32 * H2.leading + 6.0;
        let mut before = if self.at_top() { 0.0 } else { 16.0 };
        if !self.at_top() && self.y + before + height + next > BOTTOM {
            self.new_page();
            before = 0.0;
        }
        self.y += before;
        self.bookmarks.push(Bookmark {
            text: text.to_string(),
            level,
            page: self.pages.len() - 1,
            y: self.y,
        });
        for line in lines {
            let chunk = self.text(Mark::Content(key), LEFT, self.y, H2, &line);
            self.push(chunk);
            self.y += H2.leading;
        }
        self.y += 6.0;
    }

    /// A paragraph's lines, onto as many pages as they need (never one line alone at the
    /// foot of a page when more follow). Returns each page's part: page, top, bottom.
    fn lines(
        &mut self,
        key: Key,
        x: f32,
        width: f32,
        style: Style,
        text: &str,
    ) -> Vec<(usize, f32, f32)> {
        let lines = self.wrap(text, style, width);
        let mut parts = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            let left = lines.len() - i;
            let mut fit = lines_that_fit(left, style.leading, self.room());
            if fit == 0 || (fit == 1 && left > 1) {
                if !self.at_top() {
                    self.new_page();
                    continue;
                }
                fit = fit.max(1);
            }
            let top = self.y;
            for line in &lines[i..i + fit] {
                let chunk = self.text(Mark::Content(key), x, self.y, style, line);
                self.push(chunk);
                self.y += style.leading;
            }
            parts.push((self.pages.len() - 1, top, self.y));
            i += fit;
            if i < lines.len() {
                self.new_page();
            }
        }
        parts
    }

    /// The running header (from the second page) and the footer ("Page N of M") on every
    /// page, as artifacts: they repeat what the document already says.
    pub(super) fn finish(mut self, site: &str, title: &str, as_at: &str) -> Pages {
        let total = self.pages.len();
        for n in 0..total {
            let mut chunks = Vec::new();
            if n > 0 {
                let right = self.fonts.printable(as_at);
                let right_w = self.fonts.width(&right, SMALL);
                let left = self.one_line(title, SMALL, WIDTH - right_w - 18.0);
                chunks.push(Chunk {
                    mark: Mark::Artifact(ArtifactType::Header),
                    draws: vec![
                        Draw::Text {
                            x: LEFT,
                            baseline: 44.0,
                            style: SMALL,
                            text: left,
                        },
                        Draw::Text {
                            x: LEFT + WIDTH - right_w,
                            baseline: 44.0,
                            style: SMALL,
                            text: right,
                        },
                        Draw::Rect {
                            x: LEFT,
                            y: 52.0,
                            w: WIDTH,
                            h: 0.5,
                            fill: Some(RULE),
                            outline: None,
                        },
                    ],
                });
            }
            let page = format!("Page {} of {total}", n + 1);
            let page_w = self.fonts.width(&page, SMALL);
            let site = self.one_line(site, SMALL, WIDTH - page_w - 18.0);
            let baseline = PAGE_H - 36.0;
            chunks.push(Chunk {
                mark: Mark::Artifact(ArtifactType::Footer),
                draws: vec![
                    Draw::Rect {
                        x: LEFT,
                        y: baseline - 14.0,
                        w: WIDTH,
                        h: 0.5,
                        fill: Some(RULE),
                        outline: None,
                    },
                    Draw::Text {
                        x: LEFT,
                        baseline,
                        style: SMALL,
                        text: site,
                    },
                    Draw::Text {
                        x: LEFT + WIDTH - page_w,
                        baseline,
                        style: SMALL,
                        text: page,
                    },
                ],
            });
            if let Some(p) = self.pages.get_mut(n) {
                p.extend(chunks);
            }
        }
        Pages {
            pages: self.pages,
            bookmarks: self.bookmarks,
        }
    }

    /// `text` on one line of `max` points, cut short with an ellipsis if it is longer.
    pub(super) fn one_line(&self, text: &str, style: Style, max: f32) -> String {
        let mut text = self.fonts.printable(text);
        if self.fonts.width(&text, style) <= max {
            return text;
        }
        while !text.is_empty() && self.fonts.width(&format!("{text}…"), style) > max {
            text.pop();
        }
        format!("{}…", text.trim_end())
    }
}
