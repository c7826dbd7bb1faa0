//! Line breaking and pagination for the PDF, as pure arithmetic on widths and heights: which
//! words go on which line of a column, and which table rows go on which page, with the
//! header row repeated at the top of each page a table continues onto. Nothing here knows a
//! font or draws; the widths come from the caller (the font's advance widths in `pdf.rs`).

use std::ops::Range;

/// Breaks `text` into lines no wider than `max` (as measured by `width`), at spaces; a word
/// wider than a whole line is broken between characters. Runs of whitespace (line breaks
/// included) count as one space. Empty text is one empty line.
pub fn wrap(text: &str, max: f32, width: &dyn Fn(&str) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if width(word) <= max {
            line = word.to_string();
        } else {
            // Too long for any line (a long web address): broken after a "/" where a part
            // fits, so that an address's last part (a record's id) stays whole and a
            // reader's de-hyphenation cannot eat its hyphens; else as many characters as fit.
            for piece in word.split_inclusive('/') {
                let joined = format!("{line}{piece}");
                if width(&joined) <= max {
                    line = joined;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                for c in piece.chars() {
                    line.push(c);
                    if width(&line) > max && line.chars().count() > 1 {
                        line.pop();
                        lines.push(std::mem::replace(&mut line, c.to_string()));
                    }
                }
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Column widths that share `total` in proportion to `weights`, but none narrower than its
/// `least` width (the longest word of its header, an amount that must not break): a column
/// below its least takes the difference from the others, in proportion to their weights.
/// If even the least widths do not fit, they are scaled down together.
pub fn fit_columns(weights: &[f32], least: &[f32], total: f32) -> Vec<f32> {
    let needed: f32 = least.iter().sum();
    if needed >= total && needed > 0.0 {
        return least.iter().map(|l| l * total / needed).collect();
    }
    let mut fixed = vec![false; weights.len()];
    loop {
        let free_weight: f32 = weights
            .iter()
            .zip(&fixed)
            .filter(|(_, f)| !**f)
            .map(|(w, _)| w)
            .sum();
        let free_room: f32 = total
            - least
                .iter()
                .zip(&fixed)
                .filter(|(_, f)| **f)
                .map(|(l, _)| l)
                .sum::<f32>();
        let widths: Vec<f32> = weights
            .iter()
            .zip(least)
            .zip(&fixed)
            .map(|((w, l), f)| {
                if *f {
                    *l
                } else {
                    free_room * w / free_weight.max(f32::EPSILON)
                }
            })
            .collect();
        let mut changed = false;
        for (i, (w, l)) in widths.iter().zip(least).enumerate() {
            if !fixed[i] && w < l {
                fixed[i] = true;
                changed = true;
            }
        }
        if !changed {
            return widths;
        }
    }
}

/// Part of one table row on one page: the row, and which of its lines (every cell shows
/// its own lines that fall in the range).
#[derive(Debug, Clone, PartialEq)]
pub struct RowSlice {
    pub row: usize,
    pub lines: Range<usize>,
}

/// A table's rows page by page. `new_page_first`: the table does not start where the flow
/// is (not even its header and the first line of a row would fit there), so it starts at the
/// top of the next page. Every page of `pages` begins with the header row.
#[derive(Debug, Clone, PartialEq)]
pub struct TablePages {
    pub new_page_first: bool,
    pub pages: Vec<Vec<RowSlice>>,
}

/// The heights that decide a table's pages, in points.
#[derive(Debug, Clone, Copy)]
pub struct TableMetrics {
    /// The header row's height, repeated on every page.
    pub header: f32,
    /// One line of a cell.
    pub line: f32,
    /// A row's padding, above and below its lines together.
    pub padding: f32,
    /// Free height where the table would start.
    pub first_room: f32,
    /// Free height on an empty page.
    pub page_room: f32,
    /// What a page the table continues onto needs above its header (a "continued" line).
    pub continued: f32,
}

/// Puts rows (each given as its number of lines) on pages. A row that fits on a page is
/// never split: it moves whole to the next page. Only a row taller than a whole page is
/// split between lines, starting where it is.
pub fn paginate_table(rows: &[usize], m: TableMetrics) -> TablePages {
    let height = |lines: usize| lines as f32 * m.line + m.padding;
    let body_room = m.page_room - m.continued - m.header;
    let first_needs = m.header + rows.first().map_or(0.0, |&n| height(n.min(1)));
    let new_page_first = m.first_room < first_needs
        || rows
            .first()
            .is_some_and(|&n| height(n) <= body_room && m.first_room < m.header + height(n));
    let mut room = if new_page_first {
        body_room
    } else {
        m.first_room - m.header
    };
    let mut pages: Vec<Vec<RowSlice>> = vec![Vec::new()];
    for (row, &lines) in rows.iter().enumerate() {
        let lines = lines.max(1);
        if height(lines) <= room {
            room -= height(lines);
            push(
                &mut pages,
                RowSlice {
                    row,
                    lines: 0..lines,
                },
            );
            continue;
        }
        let mut from = 0;
        if height(lines) <= body_room {
            // It fits on a fresh page: move it there whole.
            pages.push(Vec::new());
            room = body_room;
        } else {
            // Taller than a page: fill each page with as many of its lines as fit.
            while from < lines {
                let fit =
                    (((room - m.padding) / m.line).floor().max(0.0) as usize).min(lines - from);
                if fit == 0 {
                    pages.push(Vec::new());
                    room = body_room;
                    // Guard against a page too small for a single line.
                    if height(1) > body_room {
                        push(
                            &mut pages,
                            RowSlice {
                                row,
                                lines: from..lines,
                            },
                        );
                        room = 0.0;
                        from = lines;
                    }
                    continue;
                }
                push(
                    &mut pages,
                    RowSlice {
                        row,
                        lines: from..from + fit,
                    },
                );
                room -= height(fit);
                from += fit;
                if from < lines {
                    pages.push(Vec::new());
                    room = body_room;
                }
            }
            continue;
        }
        room -= height(lines);
        push(
            &mut pages,
            RowSlice {
                row,
                lines: from..lines,
            },
        );
    }
    TablePages {
        new_page_first,
        pages,
    }
}

fn push(pages: &mut Vec<Vec<RowSlice>>, slice: RowSlice) {
    match pages.last_mut() {
        Some(page) => page.push(slice),
        None => pages.push(vec![slice]),
    }
}

/// How many of a paragraph's `lines` fit in `room` (at least one on an empty page, so that
/// nothing is lost); the rest go to the next page.
pub fn lines_that_fit(lines: usize, line: f32, room: f32) -> usize {
    ((room / line).floor().max(0.0) as usize).min(lines)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_long_address_breaks_after_a_slash_not_inside_its_last_part() {
        let w = |t: &str| t.chars().count() as f32;
        let url = "http://127.0.0.1:8099/evidence/01a25001-fd65-76ae-a65e-7f642bd3e657";
        let lines = super::wrap(url, 40.0, &w);
        assert_eq!(
            lines,
            [
                "http://127.0.0.1:8099/evidence/",
                "01a25001-fd65-76ae-a65e-7f642bd3e657"
            ]
        );
        assert_eq!(super::wrap("abcdefghij", 4.0, &w), ["abcd", "efgh", "ij"]);
    }

    use super::*;

    /// One point per character: easy to reason about.
    fn chars(s: &str) -> f32 {
        s.chars().count() as f32
    }

    #[test]
    fn wraps_at_spaces_within_the_width() {
        assert_eq!(
            wrap("one two three four", 9.0, &chars),
            ["one two", "three", "four"]
        );
        assert_eq!(wrap("  one\ntwo  ", 20.0, &chars), ["one two"]);
        assert_eq!(wrap("", 9.0, &chars), [""]);
    }

    #[test]
    fn a_word_longer_than_the_line_is_broken_between_characters() {
        assert_eq!(
            wrap("see https://example.org/x", 8.0, &chars),
            ["see", "https://", "example.", "org/x"]
        );
        // Even a line narrower than one character keeps every character.
        assert_eq!(wrap("abc", 0.5, &chars), ["a", "b", "c"]);
    }

    #[test]
    fn wrapping_uses_the_measured_widths_not_the_character_count() {
        // "W" is wide and "i" narrow, as in a real font.
        let width = |s: &str| s.chars().map(|c| if c == 'W' { 3.0 } else { 1.0 }).sum();
        assert_eq!(wrap("WW ii ii", 6.0, &width), ["WW", "ii ii"]);
    }

    fn metrics(first_room: f32) -> TableMetrics {
        // Header 20, lines of 10, padding 4; a page holds the header and 80 points of rows.
        TableMetrics {
            header: 20.0,
            line: 10.0,
            padding: 4.0,
            first_room,
            page_room: 100.0,
            continued: 0.0,
        }
    }

    #[test]
    fn pages_a_table_continues_onto_keep_room_for_the_continued_line() {
        // With 14 points kept for "(continued)", four rows of 14 fit under the header, not five.
        let t = paginate_table(
            &[1; 12],
            TableMetrics {
                continued: 14.0,
                ..metrics(100.0)
            },
        );
        let sizes: Vec<usize> = t.pages.iter().map(Vec::len).collect();
        assert_eq!(sizes, [5, 4, 3]);
    }

    #[test]
    fn columns_share_the_width_but_keep_their_least() {
        assert_eq!(
            fit_columns(&[1.0, 1.0, 1.0], &[0.0, 0.0, 0.0], 90.0),
            [30.0, 30.0, 30.0]
        );
        // The middle column needs 50: the others share the other 40 by weight.
        assert_eq!(
            fit_columns(&[1.0, 1.0, 1.0], &[0.0, 50.0, 0.0], 90.0),
            [20.0, 50.0, 20.0]
        );
        assert_eq!(
            fit_columns(&[3.0, 1.0, 1.0], &[0.0, 50.0, 0.0], 90.0),
            [30.0, 50.0, 10.0]
        );
        // Least widths that cannot all fit are scaled down together.
        assert_eq!(fit_columns(&[1.0, 1.0], &[60.0, 60.0], 90.0), [45.0, 45.0]);
    }

    #[test]
    fn rows_spill_onto_pages_that_each_start_with_the_header() {
        // Rows of one line are 14 points: five fit under the header on a page (5 × 14 = 70).
        let t = paginate_table(&[1; 12], metrics(100.0));
        assert!(!t.new_page_first);
        let rows: Vec<Vec<usize>> = t
            .pages
            .iter()
            .map(|p| p.iter().map(|s| s.row).collect())
            .collect();
        assert_eq!(
            rows,
            [vec![0, 1, 2, 3, 4], vec![5, 6, 7, 8, 9], vec![10, 11]]
        );
        assert!(t.pages.iter().flatten().all(|s| s.lines == (0..1)));
    }

    #[test]
    fn a_table_with_no_room_for_its_header_and_first_row_starts_on_the_next_page() {
        let t = paginate_table(&[2, 1], metrics(30.0));
        assert!(t.new_page_first);
        assert_eq!(t.pages.len(), 1);
        // Room for the header and its first row: it starts here.
        assert!(!paginate_table(&[2, 1], metrics(45.0)).new_page_first);
    }

    #[test]
    fn a_row_that_fits_on_a_page_is_never_split() {
        // Rows of 24, 24 and 44 points: the third does not fit in the 32 left, so it moves whole.
        let t = paginate_table(&[2, 2, 4], metrics(100.0));
        assert_eq!(t.pages.len(), 2);
        assert_eq!(
            t.pages[1],
            [RowSlice {
                row: 2,
                lines: 0..4
            }]
        );
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_between_lines() {
        // 20 lines (204 points) under a header on pages with 80 points for rows: 7 lines each.
        let t = paginate_table(&[20], metrics(100.0));
        let parts: Vec<Range<usize>> = t.pages.iter().flatten().map(|s| s.lines.clone()).collect();
        assert_eq!(parts, [0..7, 7..14, 14..20]);
        assert_eq!(t.pages.len(), 3);
    }

    #[test]
    fn paragraph_lines_that_fit() {
        assert_eq!(lines_that_fit(10, 15.0, 46.0), 3);
        assert_eq!(lines_that_fit(2, 15.0, 100.0), 2);
        assert_eq!(lines_that_fit(2, 15.0, 10.0), 0);
    }
}
