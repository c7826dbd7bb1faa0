//! The PDF's tables laid out: columns as wide as their weights and contents allow
//! (`layout::fit_columns`), cells wrapped to them, rows onto pages with the header row at the
//! top of each page (`layout::paginate_table`). The first header row is the table's TH
//! content; its repetitions, the rules, the header's shading and the RAG swatches are
//! artifacts. RAG is shown by a swatch and by its word.

use krilla::tagging::ArtifactType;

use super::layout::{self, paginate_table, RowSlice, TableMetrics};
use super::outline::{rag_colours, Cell, Table, HEADER_FILL, INK};
use super::pages::{
    Chunk, Draw, Flow, Key, Mark, Part, BOTTOM, CELL, CONTINUED, HEAD_CELL, LEFT, RULE, TOP, WIDTH,
};

/// Space around a table cell's text, across and down.
const PAD_X: f32 = 5.0;
const PAD_Y: f32 = 4.5;
/// A RAG swatch's side, and the gap between it and the word.
const SWATCH: f32 = 8.5;
const SWATCH_GAP: f32 = 4.5;

impl Flow<'_> {
    /// A table: its rows on as many pages as they need, the header row at the top of each.
    pub(super) fn table(&mut self, block: usize, table: &Table, section: &str) {
        let grid = Grid::of(self, table);
        let rows: Vec<usize> = grid
            .rows
            .iter()
            .map(|cells| cells.iter().map(Vec::len).max().unwrap_or(1))
            .collect();
        let pages = paginate_table(
            &rows,
            TableMetrics {
                header: grid.header_height,
                line: CELL.leading,
                padding: 2.0 * PAD_Y,
                first_room: self.room(),
                page_room: BOTTOM - TOP,
                continued: CONTINUED.leading,
            },
        );
        if pages.new_page_first {
            self.new_page();
        }
        for (n, slices) in pages.pages.iter().enumerate() {
            if n > 0 {
                self.new_page();
                let label = self.one_line(&format!("{section} (continued)"), CONTINUED, WIDTH);
                let chunk = self.text(
                    Mark::Artifact(ArtifactType::PaginationOther),
                    LEFT,
                    self.y,
                    CONTINUED,
                    &label,
                );
                self.push(chunk);
                self.y += CONTINUED.leading;
            }
            self.header_row(block, table, &grid, n > 0);
            for slice in slices {
                self.row(block, table, &grid, slice);
            }
        }
        self.y += 14.0;
    }

    /// The header row; a repetition (on a page the table continues onto) is an artifact, so
    /// a screen reader meets the header once.
    pub(super) fn header_row(&mut self, block: usize, table: &Table, grid: &Grid, repeated: bool) {
        let top = self.y;
        let h = grid.header_height;
        let background = Draw::Rect {
            x: LEFT,
            y: top,
            w: WIDTH,
            h,
            fill: Some(HEADER_FILL),
            outline: None,
        };
        let rule = Draw::Rect {
            x: LEFT,
            y: top + h - 1.5,
            w: WIDTH,
            h: 1.5,
            fill: Some(INK),
            outline: None,
        };
        self.push(Chunk {
            mark: Mark::Artifact(ArtifactType::Layout),
            draws: vec![background, rule],
        });
        for (col, lines) in grid.header.iter().enumerate() {
            let mark = if repeated {
                Mark::Artifact(ArtifactType::PaginationOther)
            } else {
                Mark::Content(Key {
                    block,
                    part: Part::Cell(0, col),
                })
            };
            let mut chunk = Chunk {
                mark,
                draws: vec![],
            };
            for (i, line) in lines.iter().enumerate() {
                let x = grid.text_x(
                    col,
                    table.columns[col].numeric,
                    self.fonts.width(line, HEAD_CELL),
                );
                let line_top = top + PAD_Y + i as f32 * HEAD_CELL.leading;
                chunk
                    .draws
                    .extend(self.text(mark, x, line_top, HEAD_CELL, line).draws);
            }
            self.push(chunk);
        }
        self.y += h;
    }

    pub(super) fn row(&mut self, block: usize, table: &Table, grid: &Grid, slice: &RowSlice) {
        let top = self.y;
        let h = slice.lines.len() as f32 * CELL.leading + 2.0 * PAD_Y;
        for (col, lines) in grid.rows[slice.row].iter().enumerate() {
            let key = Key {
                block,
                part: Part::Cell(slice.row + 1, col),
            };
            let shown = lines
                .get(slice.lines.start.min(lines.len())..slice.lines.end.min(lines.len()))
                .unwrap_or(&[]);
            if shown.is_empty() && slice.lines.start > 0 {
                continue;
            }
            let mut x0 = grid.x[col] + PAD_X;
            if let Some(Cell::Rag(rag)) = table.rows[slice.row].get(col) {
                if slice.lines.start == 0 {
                    let swatch = Draw::Rect {
                        x: x0,
                        y: top + PAD_Y + (CELL.leading - SWATCH) / 2.0,
                        w: SWATCH,
                        h: SWATCH,
                        fill: Some(rag_colours(*rag).0),
                        outline: Some(INK),
                    };
                    self.push(Chunk {
                        mark: Mark::Artifact(ArtifactType::Layout),
                        draws: vec![swatch],
                    });
                }
                x0 += SWATCH + SWATCH_GAP;
            }
            let mut chunk = Chunk {
                mark: Mark::Content(key),
                draws: vec![],
            };
            for (i, line) in shown.iter().enumerate() {
                let x = if table.columns[col].numeric {
                    grid.text_x(col, true, self.fonts.width(line, CELL))
                } else {
                    x0
                };
                let line_top = top + PAD_Y + i as f32 * CELL.leading;
                chunk
                    .draws
                    .extend(self.text(chunk.mark, x, line_top, CELL, line).draws);
            }
            self.push(chunk);
        }
        let rule = Draw::Rect {
            x: LEFT,
            y: top + h - 0.5,
            w: WIDTH,
            h: 0.5,
            fill: Some(RULE),
            outline: None,
        };
        self.push(Chunk {
            mark: Mark::Artifact(ArtifactType::Layout),
            draws: vec![rule],
        });
        self.y += h;
    }
}

/// A table's columns and its cells' lines, wrapped to the columns' widths.
pub(super) struct Grid {
    /// Each column's left edge.
    pub(super) x: Vec<f32>,
    pub(super) widths: Vec<f32>,
    pub(super) header: Vec<Vec<String>>,
    pub(super) header_height: f32,
    /// Per row, per cell, the lines.
    pub(super) rows: Vec<Vec<Vec<String>>>,
}

impl Grid {
    pub(super) fn of(flow: &Flow<'_>, table: &Table) -> Grid {
        let widths = Grid::widths(flow, table);
        let x = widths
            .iter()
            .scan(LEFT, |left, w| {
                let here = *left;
                *left += w;
                Some(here)
            })
            .collect();
        let header: Vec<Vec<String>> = table
            .columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| flow.wrap(&c.title, HEAD_CELL, w - 2.0 * PAD_X))
            .collect();
        let header_lines = header.iter().map(Vec::len).max().unwrap_or(1);
        let rows = table
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&widths)
                    .map(|(cell, w)| {
                        let room = w - 2.0 * PAD_X;
                        match cell {
                            Cell::Text(t) => flow.wrap(t, CELL, room),
                            Cell::Rag(_) => {
                                flow.wrap(cell.text(), CELL, room - SWATCH - SWATCH_GAP)
                            }
                        }
                    })
                    .collect()
            })
            .collect();
        Grid {
            x,
            widths,
            header,
            header_height: header_lines as f32 * HEAD_CELL.leading + 2.0 * PAD_Y,
            rows,
        }
    }

    /// The columns' widths: by their weights, but wide enough for each word of the header,
    /// each amount, name and date (up to 30% of the table) and each RAG word (with its
    /// swatch) on one line.
    pub(super) fn widths(flow: &Flow<'_>, table: &Table) -> Vec<f32> {
        let fonts = flow.fonts;
        let widest = |words: &mut dyn Iterator<Item = f32>| words.fold(0.0_f32, f32::max);
        let least: Vec<f32> = table
            .columns
            .iter()
            .enumerate()
            .map(|(col, column)| {
                let title = fonts.printable(&column.title);
                let header =
                    widest(&mut title.split_whitespace().map(|w| fonts.width(w, HEAD_CELL)));
                let cells = widest(&mut table.rows.iter().filter_map(|row| row.get(col)).map(
                    |cell| match cell {
                        Cell::Rag(_) => fonts.width(cell.text(), CELL) + SWATCH + SWATCH_GAP,
                        Cell::Text(t) if column.unbroken => {
                            let parts = fonts.printable(t);
                            let widths = parts.split(", ").map(|part| fonts.width(part, CELL));
                            widths.fold(0.0_f32, f32::max).min(WIDTH * 0.3)
                        }
                        Cell::Text(_) => 0.0,
                    },
                ));
                header.max(cells) + 2.0 * PAD_X + 0.5
            })
            .collect();
        let weights: Vec<f32> = table.columns.iter().map(|c| f32::from(c.weight)).collect();
        layout::fit_columns(&weights, &least, WIDTH)
    }

    pub(super) fn row_height(&self, lines: usize) -> f32 {
        lines.max(1) as f32 * CELL.leading + 2.0 * PAD_Y
    }

    /// Where a line of `width` starts in column `col`: at the left, or the right for amounts.
    pub(super) fn text_x(&self, col: usize, numeric: bool, width: f32) -> f32 {
        if numeric {
            self.x[col] + self.widths[col] - PAD_X - width
        } else {
            self.x[col] + PAD_X
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fonts::Fonts;
    use super::*;
    use crate::plans::report_docs::tests::sample_document as sample;

    #[test]
    pub(super) fn a_long_table_repeats_its_header_on_the_next_page() {
        let fonts = Fonts::load().expect("the fonts load");
        let mut flow = Flow::new(&fonts);
        flow.blocks(&sample(60));
        let pages = flow.finish(
            "Learning Zone",
            "Executive report",
            "As at 23 November 2026",
        );
        assert!(pages.pages.len() >= 3, "{} pages", pages.pages.len());
        // The actions table's header ("Owner") is content once, and a repeated artifact on
        // each page the table continues onto.
        let says = |c: &Chunk, word: &str| {
            c.draws
                .iter()
                .any(|d| matches!(d, Draw::Text { text, .. } if text == word))
        };
        let content = pages
            .pages
            .iter()
            .flatten()
            .filter(|c| matches!(c.mark, Mark::Content(_)) && says(c, "Owner"))
            .count();
        let repeated: Vec<usize> = pages
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                p.iter().any(|c| {
                    matches!(c.mark, Mark::Artifact(ArtifactType::PaginationOther))
                        && says(c, "Owner")
                })
            })
            .map(|(n, _)| n)
            .collect();
        assert_eq!(content, 1);
        assert!(!repeated.is_empty());
        // Nothing is drawn below the body's foot but the footer.
        for p in &pages.pages {
            for c in p
                .iter()
                .filter(|c| !matches!(c.mark, Mark::Artifact(ArtifactType::Footer)))
            {
                for d in &c.draws {
                    if let Draw::Text { baseline, .. } = d {
                        assert!(*baseline <= BOTTOM, "text at {baseline}");
                    }
                }
            }
        }
    }
}
