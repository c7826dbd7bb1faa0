//! Server-rendered SVG charts of public-health indicators (OHID Fingertips style): a time
//! series, a comparison of areas (horizontal bars) and a "spine" chart. Pure functions from
//! data to an SVG string that a page embeds inline beside the data table, which carries the
//! same figures as words (the table is the accessible equivalent; the SVG is `role="img"` with
//! a `<title>` and `<desc>` named by `aria-labelledby`).
//!
//! Conventions shared by every chart:
//! - `width="100%"`, a `viewBox`, no fixed height: it scales from 320 px to 1280 px wide. The
//!   design width is 640 user units and no text is smaller than 12 there.
//! - `font-family="inherit"`: the page's font ("GDS Transport", arial, sans-serif) is used.
//! - Only presentation attributes, no `style` attributes or `<style>` (the CSP stays strict).
//! - GOV.UK palette; a tone is never shown by colour alone: markers differ in shape
//!   (better ▲, worse ▼, similar ●, not compared ◆) and a key below each chart gives the words.
//! - Missing values (`None`) and NaN/infinite numbers are gaps, never 0.
//! - Every piece of text is XML-escaped; characters XML 1.0 forbids are dropped; long labels
//!   are cut with an ellipsis and the full text is kept in a child `<title>`.
//!
//! Elements carry classes the tests (and any page CSS) can rely on: `lz-chart-marker` (a
//! tone marker for one value), `lz-chart-ci` (a 95% confidence interval whisker),
//! `lz-chart-benchmark` (the benchmark line), `lz-chart-bar`, `lz-chart-nodata`.

use std::fmt::Write as _;

/// How an area's value compares with the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Better,
    Similar,
    Worse,
    /// Not compared, or no judgement (e.g. no polarity).
    Neutral,
}

impl Tone {
    /// The word a key or tooltip shows for this tone.
    pub fn word(self) -> &'static str {
        match self {
            Tone::Better => "Better",
            Tone::Similar => "Similar",
            Tone::Worse => "Worse",
            Tone::Neutral => "Not compared",
        }
    }

    /// The GOV.UK colour of this tone.
    pub fn colour(self) -> &'static str {
        match self {
            Tone::Better => GREEN,
            Tone::Similar => YELLOW,
            Tone::Worse => RED,
            Tone::Neutral => GREY,
        }
    }

    /// Yellow and grey fail 3:1 against white, so their shapes get a dark outline.
    fn outlined(self) -> bool {
        matches!(self, Tone::Similar | Tone::Neutral)
    }

    fn slug(self) -> &'static str {
        match self {
            Tone::Better => "better",
            Tone::Similar => "similar",
            Tone::Worse => "worse",
            Tone::Neutral => "neutral",
        }
    }

    const ALL: [Tone; 4] = [Tone::Better, Tone::Similar, Tone::Worse, Tone::Neutral];
}

/// One value (for one period, or one area) with its 95% confidence interval.
#[derive(Debug, Clone)]
pub struct Point {
    pub label: String,
    pub value: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub tone: Tone,
}

/// How a time series' line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The place being looked at: solid blue, tone markers, CI whiskers.
    Primary,
    /// Its region: solid grey.
    Region,
    /// The benchmark: black, dashed.
    England,
}

#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub style: Style,
    /// One per period, aligned with `periods`.
    pub points: Vec<Point>,
}

/// What every chart needs besides its data. `id` prefixes the ids of the `<title>` and
/// `<desc>` (made safe for XML: other characters become `-`), so it must be unique in the page.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// "%", "score", "per 100,000", or "" for counts.
    pub unit: &'a str,
}

/// One indicator of a spine chart.
#[derive(Debug, Clone)]
pub struct SpineRow {
    pub indicator: String,
    pub period: String,
    pub value: Option<f64>,
    pub benchmark: Option<f64>,
    /// The range of all comparable areas, for the bar behind.
    pub worst: Option<f64>,
    pub best: Option<f64>,
    pub tone: Tone,
    pub unit: String,
}

// GOV.UK palette.
const TEXT: &str = "#0b0c0c";
const SECONDARY: &str = "#505a5f";
const GREY: &str = "#b1b4b6";
const BLUE: &str = "#1d70b8";
const GREEN: &str = "#00703c";
const YELLOW: &str = "#ffdd00";
const RED: &str = "#d4351c";
const WHITE: &str = "#ffffff";
/// A white outline painted under a text's fill, so lines crossing it do not cut it.
const HALO: &str =
    "stroke=\"#ffffff\" stroke-width=\"4\" stroke-linejoin=\"round\" paint-order=\"stroke\"";

/// Design width (viewBox units) of every chart.
const WIDTH: f64 = 640.0;
/// Base font size at the design width.
const FONT: f64 = 14.0;
/// A generous estimate of the average advance of one character at `FONT` (Arial's digits
/// are 0.556 em), used to reserve room and to decide where to cut labels.
const CHAR_W: f64 = FONT * 0.58;
/// Height of one row of the key.
const KEY_ROW: f64 = 24.0;

// ---------------------------------------------------------------------------------------
// Public functions
// ---------------------------------------------------------------------------------------

/// A line chart over periods: one line per series (Primary solid blue with tone markers and
/// 95% CI whiskers; Region solid grey; England black dashed), a y axis with 4–6 "nice" ticks
/// that include every value and CI end, x labels = periods (every k-th one when they would
/// not fit, always including the latest), and a key (line samples differ in stroke and dash,
/// the tone markers in shape, all with words).
///
/// The y axis starts at 0 when every value is ≥ 0 and the lowest is no more than half the
/// highest (the zero baseline then costs little resolution); otherwise it fits the data, so
/// changes over time stay visible — a line encodes by position, not length, so a non-zero
/// baseline does not mislead the way a cut bar would. The unit does not change this.
///
/// `series[i].points[j]` belongs to `periods[j]`; when `periods` is shorter, the points'
/// own labels name the extra periods.
pub fn time_series(frame: &Frame, periods: &[String], series: &[Series]) -> String {
    let slots = series
        .iter()
        .map(|s| s.points.len())
        .max()
        .unwrap_or(0)
        .max(periods.len());
    let label_of = |i: usize| period_label(periods, series, i);

    let mut values = Vec::new();
    for s in series {
        for p in s.points.iter().take(slots) {
            values.extend(finite(p.value));
            if s.style == Style::Primary {
                if let Some((lo, hi)) = ci(p) {
                    values.push(lo);
                    values.push(hi);
                }
            }
        }
    }
    let Some((min, max)) = min_max(&values) else {
        return empty_chart(frame);
    };
    let from = if min >= 0.0 && min <= max * 0.5 {
        0.0
    } else {
        min
    };
    let scale = nice_scale(from, max);
    let tick_labels: Vec<String> = scale
        .ticks
        .iter()
        .map(|&t| axis_label(t, scale.decimals, frame.unit))
        .collect();

    let caption = axis_caption(frame.unit);
    let widest_tick = tick_labels.iter().map(|l| char_len(l)).max().unwrap_or(1);
    let left = (widest_tick as f64 * CHAR_W + 16.0).max(40.0);
    let right = WIDTH - 16.0;
    let top = if caption.is_some() { 36.0 } else { 16.0 };
    let plot_h = 260.0;
    let bottom = top + plot_h;
    let y_of = |v: f64| bottom - scale.fraction(v) * plot_h;

    let pad = 12.0;
    let x_of = |i: usize| -> f64 {
        if slots <= 1 {
            (left + right) / 2.0
        } else {
            left + pad + i as f64 * (right - left - 2.0 * pad) / (slots - 1) as f64
        }
    };

    let mut b = String::new();

    // Y axis: gridlines and tick labels.
    if let Some(c) = &caption {
        text(
            &mut b,
            8.0,
            18.0,
            "start",
            &format!("fill=\"{SECONDARY}\""),
            c,
            40,
        );
    }
    for (t, l) in scale.ticks.iter().zip(&tick_labels) {
        let y = y_of(*t);
        let _ = write!(
            b,
            "<line class=\"lz-chart-grid\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{GREY}\" stroke-width=\"1\"/>",
            n(left),
            n(right),
            y = n(y)
        );
        text(&mut b, left - 8.0, y + 5.0, "end", "", l, 20);
    }
    let _ = write!(
        b,
        "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{SECONDARY}\" stroke-width=\"1\"/>",
        n(left),
        n(right),
        y = n(bottom)
    );

    // X axis labels: every k-th, counted back from the latest so it is always shown.
    if slots > 0 {
        let plot_w = right - left;
        let slot_w = plot_w / slots as f64;
        let widest = (0..slots)
            .map(|i| char_len(label_of(i)).min(16))
            .max()
            .unwrap_or(1);
        let needed = widest as f64 * CHAR_W + 12.0;
        let k = ((needed / slot_w).ceil() as usize).max(1);
        let room = ((k as f64 * slot_w - 8.0) / CHAR_W).floor().max(3.0) as usize;
        for i in (0..slots).filter(|i| (slots - 1 - i) % k == 0) {
            let x = x_of(i);
            let label = label_of(i);
            let shown = char_len(label).min(room).min(16);
            let half = shown as f64 * CHAR_W / 2.0;
            let cx = x.clamp(half + 2.0, WIDTH - half - 2.0);
            let _ = write!(
                b,
                "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{SECONDARY}\" stroke-width=\"1\"/>",
                n(bottom),
                n(bottom + 6.0),
                x = n(x)
            );
            text(&mut b, cx, bottom + 24.0, "middle", "", label, room.min(16));
        }
    }

    // Lines: England first, then Region, then the place on top.
    let rank = |s: &Series| match s.style {
        Style::England => 0,
        Style::Region => 1,
        Style::Primary => 2,
    };
    let mut order: Vec<&Series> = series.iter().collect();
    order.sort_by_key(|s| rank(s));
    let mut tones_seen = [false; 4];
    let mut any_ci = false;
    for s in &order {
        let pts: Vec<Option<(f64, f64)>> = s
            .points
            .iter()
            .take(slots)
            .enumerate()
            .map(|(i, p)| finite(p.value).map(|v| (x_of(i), y_of(v))))
            .collect();
        let (stroke, width, dash) = line_style(s.style);
        // One "M … L …" run per stretch without gaps: a missing value breaks the line.
        let mut d = String::new();
        let mut isolated = Vec::new();
        for (i, p) in pts.iter().enumerate() {
            let Some((x, y)) = p else { continue };
            let starts = i == 0 || pts[i - 1].is_none();
            let ends = !matches!(pts.get(i + 1), Some(Some(_)));
            if starts {
                if !d.is_empty() {
                    d.push(' ');
                }
                let _ = write!(d, "M{} {}", n(*x), n(*y));
                if ends {
                    isolated.push((*x, *y));
                }
            } else {
                let _ = write!(d, " L{} {}", n(*x), n(*y));
            }
        }
        if !d.is_empty() {
            let _ = write!(
                b,
                "<path class=\"lz-chart-line\" d=\"{d}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{width}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"{dash}/>"
            );
        }
        if s.style != Style::Primary {
            // A point between two gaps has no line to show it.
            for (x, y) in isolated {
                let _ = write!(
                    b,
                    "<circle class=\"lz-chart-dot\" cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{stroke}\"/>",
                    n(x),
                    n(y)
                );
            }
            continue;
        }
        for (i, p) in s.points.iter().take(slots).enumerate() {
            if let Some((lo, hi)) = ci(p) {
                any_ci = true;
                whisker_v(&mut b, x_of(i), y_of(lo), y_of(hi), 4.0);
            }
        }
        for (i, p) in s.points.iter().take(slots).enumerate() {
            if let Some(v) = finite(p.value) {
                tones_seen[tone_index(p.tone)] = true;
                let tip = format!(
                    "{}, {}: {} ({})",
                    s.name,
                    label_of(i),
                    format_value(v, frame.unit),
                    p.tone.word().to_lowercase()
                );
                marker(
                    &mut b,
                    "lz-chart-marker",
                    p.tone,
                    x_of(i),
                    y_of(v),
                    6.0,
                    Some(&tip),
                );
            }
        }
    }

    // Key.
    let mut items: Vec<KeyItem> = series
        .iter()
        .map(|s| KeyItem::Line(s.style, s.name.clone()))
        .collect();
    items.extend(tone_items(&tones_seen));
    if any_ci {
        items.push(KeyItem::Whisker);
    }
    let (key, key_h) = key(&items, bottom + 48.0);
    b.push_str(&key);
    let height = bottom + 48.0 + key_h;
    finish(frame, height, &b)
}

/// Horizontal bars, one per point in the given order (the caller sorts), with CI whiskers,
/// a vertical dashed benchmark line labelled (e.g. "England 22.0%"), the `highlight` label's
/// bar in the highlight blue with its name and value in bold, others coloured by tone with a
/// tone-shaped marker beside the name; the value as text at the end of each bar; "no data"
/// for `None`. Bars always start at 0 (a bar encodes by length); negative values go left.
pub fn comparison(
    frame: &Frame,
    points: &[Point],
    benchmark: Option<(&str, f64)>,
    highlight: Option<&str>,
) -> String {
    if points.is_empty() {
        return empty_chart(frame);
    }
    let benchmark = benchmark.and_then(|(name, v)| v.is_finite().then_some((name, v)));
    let mut values = vec![0.0];
    for p in points {
        values.extend(finite(p.value));
        if let Some((lo, hi)) = ci(p) {
            values.push(lo);
            values.push(hi);
        }
    }
    if let Some((_, v)) = benchmark {
        values.push(v);
    }
    let (min, max) = min_max(&values).unwrap_or((0.0, 1.0));
    let scale = nice_scale(min, max);

    let value_texts: Vec<String> = points
        .iter()
        .map(|p| match finite(p.value) {
            Some(v) => format_value(v, frame.unit),
            None => "no data".to_string(),
        })
        .collect();
    let val_w = value_texts.iter().map(|t| char_len(t)).max().unwrap_or(7) as f64 * CHAR_W + 10.0;
    let neg_w = if scale.lo < 0.0 { val_w } else { 0.0 };
    let marker_col = 22.0;
    let widest_name = points
        .iter()
        .map(|p| char_len(&p.label))
        .max()
        .unwrap_or(1)
        .min(32);
    let room_for_names = WIDTH - 8.0 - val_w - marker_col - neg_w - 160.0 - 8.0;
    let name_chars = widest_name.min((room_for_names / CHAR_W).floor().max(4.0) as usize);
    let name_right = 8.0 + name_chars as f64 * CHAR_W;
    let plot_left = name_right + marker_col + neg_w;
    let plot_right = (WIDTH - 8.0 - val_w).max(plot_left + 40.0);
    let plot_w = plot_right - plot_left;
    let x_of = |v: f64| plot_left + scale.fraction(v) * plot_w;

    let top = 8.0;
    let bench_y = top + 14.0;
    let ticks_y = if benchmark.is_some() {
        bench_y + 22.0
    } else {
        top + 14.0
    };
    let bars_top = ticks_y + 10.0;
    let row_h = 24.0;
    let bar_h = 16.0;
    let bars_bottom = bars_top + points.len() as f64 * row_h;

    let mut b = String::new();
    // Gridlines and tick labels along the top.
    for &t in &scale.ticks {
        let x = x_of(t);
        let _ = write!(
            b,
            "<line class=\"lz-chart-grid\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{GREY}\" stroke-width=\"1\"/>",
            n(bars_top - 4.0),
            n(bars_bottom),
            x = n(x)
        );
        let l = axis_label(t, scale.decimals, frame.unit);
        let half = char_len(&l) as f64 * CHAR_W / 2.0;
        text(
            &mut b,
            x.clamp(half + 2.0, WIDTH - half - 2.0),
            ticks_y,
            "middle",
            "",
            &l,
            20,
        );
    }

    let mut tones_seen = [false; 4];
    let mut any_ci = false;
    let mut highlighted = None;
    // Value texts go on top of the benchmark line, with a white halo so it never cuts them.
    let mut texts = String::new();
    for (i, (p, vt)) in points.iter().zip(&value_texts).enumerate() {
        let cy = bars_top + i as f64 * row_h + row_h / 2.0;
        let is_hl = highlight.is_some_and(|h| h == p.label);
        if is_hl {
            highlighted = Some(p.label.as_str());
        }
        let bold = if is_hl { " font-weight=\"bold\"" } else { "" };
        text(
            &mut b,
            name_right,
            cy + 5.0,
            "end",
            bold.trim_start(),
            &p.label,
            name_chars,
        );
        let x0 = x_of(0.0);
        match finite(p.value) {
            Some(v) => {
                tones_seen[tone_index(p.tone)] = true;
                let xv = x_of(v);
                let (fill, outline) = if is_hl {
                    (BLUE, false)
                } else {
                    (p.tone.colour(), p.tone.outlined())
                };
                let stroke = if outline {
                    format!(" stroke=\"{TEXT}\" stroke-width=\"1\"")
                } else {
                    String::new()
                };
                let _ = write!(
                    b,
                    "<rect class=\"lz-chart-bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"{stroke}/>",
                    n(x0.min(xv)),
                    n(cy - bar_h / 2.0),
                    n((xv - x0).abs()),
                    n(bar_h)
                );
                let tip = format!("{}: {} ({})", p.label, vt, p.tone.word().to_lowercase());
                marker(
                    &mut b,
                    "lz-chart-marker",
                    p.tone,
                    name_right + marker_col / 2.0 + 1.0,
                    cy,
                    5.5,
                    Some(&tip),
                );
                let ci_x = ci(p).map(|(lo, hi)| (x_of(lo), x_of(hi)));
                let attrs = if is_hl {
                    format!("font-weight=\"bold\" {HALO}")
                } else {
                    HALO.to_string()
                };
                if v >= 0.0 {
                    let end = ci_x.map_or(xv, |(_, hi)| hi.max(xv));
                    text(&mut texts, end + 6.0, cy + 5.0, "start", &attrs, vt, 40);
                } else {
                    let end = ci_x.map_or(xv, |(lo, _)| lo.min(xv));
                    text(&mut texts, end - 6.0, cy + 5.0, "end", &attrs, vt, 40);
                }
            }
            None => {
                let _ = write!(
                    texts,
                    "<text class=\"lz-chart-nodata\" x=\"{}\" y=\"{}\" fill=\"{SECONDARY}\" {HALO}>no data</text>",
                    n(x0 + 6.0),
                    n(cy + 5.0)
                );
            }
        }
        if let Some((lo, hi)) = ci(p) {
            any_ci = true;
            whisker_h(&mut b, cy, x_of(lo), x_of(hi), 4.0);
        }
    }
    // The zero baseline.
    let _ = write!(
        b,
        "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{TEXT}\" stroke-width=\"1\"/>",
        n(bars_top - 4.0),
        n(bars_bottom),
        x = n(x_of(0.0))
    );
    if let Some((name, v)) = benchmark {
        let x = x_of(v);
        let _ = write!(
            b,
            "<line class=\"lz-chart-benchmark\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{TEXT}\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>",
            n(bars_top - 4.0),
            n(bars_bottom),
            x = n(x)
        );
        let label = format!("{} {}", name, format_value(v, frame.unit));
        let shown = char_len(&label).min(40);
        let half = shown as f64 * CHAR_W / 2.0;
        text(
            &mut b,
            x.clamp(half + 2.0, WIDTH - half - 2.0),
            bench_y,
            "middle",
            "font-weight=\"bold\"",
            &label,
            40,
        );
    }

    b.push_str(&texts);

    let mut items = tone_items(&tones_seen);
    if let Some(h) = highlighted {
        items.push(KeyItem::Swatch(BLUE, h.to_string()));
    }
    if let Some((name, _)) = benchmark {
        items.push(KeyItem::Benchmark(name.to_string()));
    }
    if any_ci {
        items.push(KeyItem::Whisker);
    }
    let key_top = bars_bottom + 16.0;
    let (key, key_h) = key(&items, key_top);
    b.push_str(&key);
    finish(frame, key_top + key_h, &b)
}

/// A spine chart with "England" as the benchmark; see [`spine_with_benchmark`].
pub fn spine(frame: &Frame, rows: &[SpineRow]) -> String {
    spine_with_benchmark(frame, rows, "England")
}

/// A "spine" chart as Fingertips draws it: one row per indicator; the dashed centre line is
/// the benchmark; a grey bar runs from the worst to the best of all comparable areas (worst
/// on the left, so "better" is always to the right whatever the polarity); the area's value
/// is a tone-shaped marker on that scale; the indicator (with its period below) and the value
/// are text on the left. Each row is scaled on its own: the centre is the benchmark (or the
/// middle of worst..best when there is none) and the ends are the furthest of worst, best and
/// the value from it. Rows with no value say "no data". `frame.unit` is unused: each row has
/// its own.
pub fn spine_with_benchmark(frame: &Frame, rows: &[SpineRow], benchmark_name: &str) -> String {
    if rows.is_empty() {
        return empty_chart(frame);
    }
    let name_x = 8.0;
    let value_right = 392.0;
    let spine_left = 410.0;
    let spine_right = WIDTH - 12.0;
    let centre = (spine_left + spine_right) / 2.0;
    let half_w = (spine_right - spine_left) / 2.0;
    let name_chars = ((value_right - 80.0 - name_x) / CHAR_W).floor() as usize;
    let header_y = 20.0;
    let rows_top = 32.0;
    let row_h = 44.0;
    let rows_bottom = rows_top + rows.len() as f64 * row_h;

    let mut b = String::new();
    let head = format!("fill=\"{SECONDARY}\" font-weight=\"bold\"");
    text(&mut b, name_x, header_y, "start", &head, "Indicator", 20);
    text(&mut b, value_right, header_y, "end", &head, "Value", 20);
    text(&mut b, spine_left, header_y, "start", &head, "Worst", 20);
    text(
        &mut b,
        centre,
        header_y,
        "middle",
        &head,
        benchmark_name,
        12,
    );
    text(&mut b, spine_right, header_y, "end", &head, "Best", 20);

    let mut tones_seen = [false; 4];
    let mut markers = String::new();
    for (i, r) in rows.iter().enumerate() {
        let y = rows_top + i as f64 * row_h;
        let cy = y + 22.0;
        let _ = write!(
            b,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{GREY}\" stroke-width=\"1\"/>",
            n(name_x),
            n(spine_right),
            y = n(y)
        );
        text(
            &mut b,
            name_x,
            y + 18.0,
            "start",
            "",
            &r.indicator,
            name_chars,
        );
        if !r.period.is_empty() {
            let attrs = format!("fill=\"{SECONDARY}\" font-size=\"12\"");
            text(
                &mut b,
                name_x,
                y + 35.0,
                "start",
                &attrs,
                &r.period,
                name_chars,
            );
        }
        let value = finite(r.value);
        let bench = finite(r.benchmark);
        let (worst, best) = (finite(r.worst), finite(r.best));
        match value {
            Some(v) => text(
                &mut b,
                value_right,
                y + 18.0,
                "end",
                "",
                &format_value(v, &r.unit),
                24,
            ),
            None => {
                let _ = write!(
                    b,
                    "<text class=\"lz-chart-nodata\" x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{SECONDARY}\">no data</text>",
                    n(value_right),
                    n(y + 18.0)
                );
            }
        }
        let mid = match (worst, best) {
            (Some(w), Some(bb)) => Some((w + bb) / 2.0),
            _ => None,
        };
        let Some(c) = bench.or(mid).or(value) else {
            continue;
        };
        let dir = match (worst, best) {
            (Some(w), Some(bb)) if bb < w => -1.0,
            _ => 1.0,
        };
        let half = [worst, best, value]
            .iter()
            .flatten()
            .map(|x| (x - c).abs())
            .filter(|d| d.is_finite())
            .fold(0.0_f64, f64::max);
        let pos = |v: f64| -> f64 {
            let p = if half > 0.0 {
                centre + dir * (v - c) / half * half_w
            } else {
                centre
            };
            if p.is_finite() {
                p.clamp(spine_left, spine_right)
            } else {
                centre
            }
        };
        if let (Some(w), Some(bb)) = (worst, best) {
            let (x1, x2) = (pos(w), pos(bb));
            let _ = write!(
                b,
                "<rect class=\"lz-chart-range\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\" fill=\"{GREY}\"/>",
                n(x1.min(x2)),
                n(cy - 7.0),
                n((x2 - x1).abs())
            );
        }
        if let Some(v) = value {
            tones_seen[tone_index(r.tone)] = true;
            let mut tip = format!(
                "{}{}: {} ({})",
                r.indicator,
                if r.period.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", r.period)
                },
                format_value(v, &r.unit),
                r.tone.word().to_lowercase()
            );
            if let Some(bv) = bench {
                let _ = write!(tip, "; {} {}", benchmark_name, format_value(bv, &r.unit));
            }
            if let (Some(w), Some(bb)) = (worst, best) {
                let _ = write!(
                    tip,
                    "; worst {}, best {}",
                    format_value(w, &r.unit),
                    format_value(bb, &r.unit)
                );
            }
            marker(
                &mut markers,
                "lz-chart-marker",
                r.tone,
                pos(v),
                cy,
                7.0,
                Some(&tip),
            );
        }
    }
    let _ = write!(
        b,
        "<line class=\"lz-chart-benchmark\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{TEXT}\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>",
        n(rows_top),
        n(rows_bottom),
        x = n(centre)
    );
    b.push_str(&markers);

    let mut items = tone_items(&tones_seen);
    items.push(KeyItem::Swatch(
        GREY,
        "Range of areas, worst to best".to_string(),
    ));
    items.push(KeyItem::Benchmark(benchmark_name.to_string()));
    let key_top = rows_bottom + 16.0;
    let (key, key_h) = key(&items, key_top);
    b.push_str(&key);
    finish(frame, key_top + key_h, &b)
}

/// Formats a value for display with its unit, for the charts and the pages' tables:
/// "%" → one decimal ("26.8%"); otherwise thousands separators, no decimals for whole numbers
/// ("1,234"), two below 1 ("0.25") and one elsewhere ("3.2"), then the unit after a space
/// when there is one ("3.2 score", "1,234.5 per 100,000"). NaN or infinity → "no data".
/// Never "-0".
pub fn format_value(value: f64, unit: &str) -> String {
    if !value.is_finite() {
        return "no data".to_string();
    }
    let unit = unit.trim();
    if unit == "%" {
        return format!("{}%", group(value, 1));
    }
    let decimals = if (value - value.round()).abs() < 1e-9 {
        0
    } else if value.abs() < 1.0 {
        2
    } else {
        1
    };
    let number = group(value, decimals);
    if unit.is_empty() {
        number
    } else {
        format!("{number} {unit}")
    }
}

// ---------------------------------------------------------------------------------------
// Scales
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Scale {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
    /// Decimals the tick labels need.
    decimals: usize,
}

impl Scale {
    /// Where `v` sits between `lo` (0) and `hi` (1); 0.5 when that is not a number.
    fn fraction(&self, v: f64) -> f64 {
        let f = (v - self.lo) / (self.hi - self.lo);
        if f.is_finite() {
            f.clamp(-0.05, 1.05)
        } else {
            0.5
        }
    }
}

/// A scale from `min` to `max` (finite, `min <= max`) with 4–6 ticks at 1, 2, 2.5 or 5 × 10ⁿ
/// that include both ends. Equal ends get a span around them.
fn nice_scale(min: f64, max: f64) -> Scale {
    let (mut min, mut max) = if min <= max { (min, max) } else { (max, min) };
    if max - min <= max.abs().max(min.abs()) * 1e-9 {
        if min == 0.0 {
            max = 1.0;
        } else {
            let pad = min.abs() * 0.1;
            min -= pad;
            max += pad;
        }
    }
    let span = max - min;
    if !span.is_finite() || span <= 0.0 {
        return Scale {
            lo: min,
            hi: max,
            ticks: vec![min, max],
            decimals: 0,
        };
    }
    let base = span.log10().floor() as i32 - 1;
    let mut fallback: Option<(f64, f64, f64, usize)> = None;
    let mut chosen: Option<(f64, f64, f64, usize)> = None;
    'search: for e in base - 1..=base + 3 {
        for m in [1.0, 2.0, 2.5, 5.0] {
            let step = m * 10f64.powi(e);
            if !step.is_finite() || step <= 0.0 {
                continue;
            }
            let lo = (min / step).floor() * step;
            let hi = (max / step).ceil() * step;
            let count = ((hi - lo) / step).round();
            if !count.is_finite() || count < 1.0 {
                continue;
            }
            let count = count as usize + 1;
            if (4..=6).contains(&count) {
                chosen = Some((lo, hi, step, count));
                break 'search;
            }
            if count <= 6 && fallback.is_none() {
                fallback = Some((lo, hi, step, count));
            }
        }
    }
    match chosen.or(fallback) {
        Some((lo, hi, step, count)) => {
            let ticks = (0..count)
                .map(|i| {
                    let t = lo + i as f64 * step;
                    // Snap away float noise such as 0.30000000000000004 and -0.
                    let t = (t / step).round() * step;
                    if t == 0.0 {
                        0.0
                    } else {
                        t
                    }
                })
                .collect();
            Scale {
                lo,
                hi,
                ticks,
                decimals: decimals_for(step),
            }
        }
        None => Scale {
            lo: min,
            hi: max,
            ticks: vec![min, max],
            decimals: decimals_for(span),
        },
    }
}

/// Decimals needed to show multiples of `step` exactly (2.5 → 1, 0.25 → 2, 20 → 0).
fn decimals_for(step: f64) -> usize {
    let mut d = 0;
    while d < 10 {
        let scaled = step * 10f64.powi(d as i32);
        if (scaled - scaled.round()).abs() <= scaled.abs() * 1e-9 + 1e-12 {
            return d;
        }
        d += 1;
    }
    d
}

fn axis_label(v: f64, decimals: usize, unit: &str) -> String {
    let s = group(v, decimals);
    if unit.trim() == "%" {
        format!("{s}%")
    } else {
        s
    }
}

/// The unit written above the y axis when the tick labels do not carry it.
fn axis_caption(unit: &str) -> Option<String> {
    let u = unit.trim();
    (!u.is_empty() && u != "%").then(|| u.to_string())
}

/// `v` with `decimals` decimals and thousands separators; never "-0".
fn group(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 1);
    let zero = s.bytes().all(|c| c == b'0' || c == b'.');
    if v < 0.0 && !zero {
        out.push('-');
    }
    let len = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Drawing helpers
// ---------------------------------------------------------------------------------------

/// The label of period `i`: from `periods`, else from the first point that has one.
fn period_label<'a>(periods: &'a [String], series: &'a [Series], i: usize) -> &'a str {
    periods
        .get(i)
        .map(String::as_str)
        .or_else(|| {
            series
                .iter()
                .find_map(|s| s.points.get(i).map(|p| p.label.as_str()))
        })
        .unwrap_or("")
}

fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// Both ends of a point's confidence interval, in order, when both are numbers.
fn ci(p: &Point) -> Option<(f64, f64)> {
    match (finite(p.lower), finite(p.upper)) {
        (Some(a), Some(b)) => Some((a.min(b), a.max(b))),
        _ => None,
    }
}

fn min_max(values: &[f64]) -> Option<(f64, f64)> {
    values
        .iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, &v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((f64::min(lo, v), f64::max(hi, v))),
        })
}

fn tone_index(t: Tone) -> usize {
    match t {
        Tone::Better => 0,
        Tone::Similar => 1,
        Tone::Worse => 2,
        Tone::Neutral => 3,
    }
}

/// A coordinate with at most one decimal, never NaN, "-0" or absurdly large.
fn n(x: f64) -> String {
    let x = if x.is_finite() {
        x.clamp(-1e6, 1e6)
    } else {
        0.0
    };
    let r = (x * 10.0).round() / 10.0;
    let s = format!("{r:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s).to_string();
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

/// XML-escapes text for content and attribute values; drops characters XML 1.0 forbids.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// `s` cut to `max` characters, the last one an ellipsis, and whether it was cut.
fn truncate(s: &str, max: usize) -> (String, bool) {
    let s = s.trim();
    if char_len(s) <= max {
        return (s.to_string(), false);
    }
    if max <= 1 {
        return ("…".to_string(), true);
    }
    let kept: String = s.chars().take(max - 1).collect();
    (format!("{}…", kept.trim_end()), true)
}

/// A `<text>` element, cut to `max_chars` with the full text in a child `<title>`.
fn text(out: &mut String, x: f64, y: f64, anchor: &str, attrs: &str, full: &str, max_chars: usize) {
    let (shown, cut) = truncate(full, max_chars.max(1));
    let anchor = if anchor == "start" {
        String::new()
    } else {
        format!(" text-anchor=\"{anchor}\"")
    };
    let attrs = if attrs.is_empty() {
        String::new()
    } else {
        format!(" {attrs}")
    };
    let _ = write!(out, "<text x=\"{}\" y=\"{}\"{anchor}{attrs}>", n(x), n(y));
    if cut {
        let _ = write!(out, "<title>{}</title>", esc(full));
    }
    out.push_str(&esc(&shown));
    out.push_str("</text>");
}

/// A tone marker: ▲ better, ▼ worse, ● similar, ◆ not compared, with an optional tooltip.
fn marker(out: &mut String, class: &str, tone: Tone, x: f64, y: f64, r: f64, tip: Option<&str>) {
    let fill = tone.colour();
    let stroke = if tone.outlined() {
        format!("stroke=\"{TEXT}\" stroke-width=\"1.5\"")
    } else {
        format!("stroke=\"{WHITE}\" stroke-width=\"1\"")
    };
    let class = format!("{class} {class}-{}", tone.slug());
    let open = match tone {
        Tone::Similar => format!(
            "<circle class=\"{class}\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\" {stroke}",
            n(x),
            n(y),
            n(r * 0.9)
        ),
        Tone::Better | Tone::Worse | Tone::Neutral => {
            let d = match tone {
                Tone::Better => format!(
                    "M{} {} L{} {} L{} {} Z",
                    n(x),
                    n(y - r * 1.15),
                    n(x + r * 1.1),
                    n(y + r * 0.75),
                    n(x - r * 1.1),
                    n(y + r * 0.75)
                ),
                Tone::Worse => format!(
                    "M{} {} L{} {} L{} {} Z",
                    n(x),
                    n(y + r * 1.15),
                    n(x + r * 1.1),
                    n(y - r * 0.75),
                    n(x - r * 1.1),
                    n(y - r * 0.75)
                ),
                _ => format!(
                    "M{} {} L{} {} L{} {} L{} {} Z",
                    n(x),
                    n(y - r * 1.2),
                    n(x + r),
                    n(y),
                    n(x),
                    n(y + r * 1.2),
                    n(x - r),
                    n(y)
                ),
            };
            format!("<path class=\"{class}\" d=\"{d}\" fill=\"{fill}\" {stroke}")
        }
    };
    out.push_str(&open);
    match tip {
        Some(t) => {
            let _ = write!(out, "><title>{}</title>{}", esc(t), close_tag(tone));
        }
        None => out.push_str("/>"),
    }
}

fn close_tag(tone: Tone) -> &'static str {
    if tone == Tone::Similar {
        "</circle>"
    } else {
        "</path>"
    }
}

/// A vertical 95% CI whisker from `y1` to `y2` with caps.
fn whisker_v(out: &mut String, x: f64, y1: f64, y2: f64, cap: f64) {
    let _ = write!(
        out,
        "<path class=\"lz-chart-ci\" d=\"M{x} {a} V{b} M{l} {a} H{r} M{l} {b} H{r}\" fill=\"none\" stroke=\"{TEXT}\" stroke-width=\"1.5\"/>",
        x = n(x),
        a = n(y1),
        b = n(y2),
        l = n(x - cap),
        r = n(x + cap)
    );
}

/// A horizontal 95% CI whisker from `x1` to `x2` with caps.
fn whisker_h(out: &mut String, y: f64, x1: f64, x2: f64, cap: f64) {
    let _ = write!(
        out,
        "<path class=\"lz-chart-ci\" d=\"M{a} {y} H{b} M{a} {t} V{u} M{b} {t} V{u}\" fill=\"none\" stroke=\"{TEXT}\" stroke-width=\"1.5\"/>",
        y = n(y),
        a = n(x1),
        b = n(x2),
        t = n(y - cap),
        u = n(y + cap)
    );
}

/// Stroke colour, width and dash attribute of a series' line.
fn line_style(style: Style) -> (&'static str, &'static str, &'static str) {
    match style {
        Style::Primary => (BLUE, "3", ""),
        Style::Region => (SECONDARY, "2", ""),
        Style::England => (TEXT, "2", " stroke-dasharray=\"8 5\""),
    }
}

enum KeyItem {
    Tone(Tone),
    Line(Style, String),
    Swatch(&'static str, String),
    Benchmark(String),
    Whisker,
}

fn tone_items(seen: &[bool; 4]) -> Vec<KeyItem> {
    Tone::ALL
        .iter()
        .filter(|t| seen[tone_index(**t)])
        .map(|t| KeyItem::Tone(*t))
        .collect()
}

/// The key: samples with words, flowed left to right and wrapped. Returns the SVG and its
/// height.
fn key(items: &[KeyItem], top: f64) -> (String, f64) {
    let mut out = String::new();
    if items.is_empty() {
        return (out, 0.0);
    }
    let max_chars = 60;
    let mut x = 8.0;
    let mut row = 0usize;
    for item in items {
        let (sample_w, label) = match item {
            KeyItem::Tone(t) => (14.0, t.word().to_string()),
            KeyItem::Line(_, name) => (32.0, name.clone()),
            KeyItem::Swatch(_, l) => (14.0, l.clone()),
            KeyItem::Benchmark(name) => (10.0, name.clone()),
            KeyItem::Whisker => (12.0, "95% confidence interval".to_string()),
        };
        let shown = char_len(&label).min(max_chars) as f64;
        let w = sample_w + 6.0 + shown * CHAR_W + 20.0;
        if x > 8.0 && x + w > WIDTH - 8.0 {
            row += 1;
            x = 8.0;
        }
        let cy = top + row as f64 * KEY_ROW + KEY_ROW / 2.0;
        match item {
            KeyItem::Tone(t) => marker(&mut out, "lz-chart-key", *t, x + 7.0, cy, 5.5, None),
            KeyItem::Line(style, _) => {
                let (stroke, width, dash) = line_style(*style);
                let _ = write!(
                    out,
                    "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{stroke}\" stroke-width=\"{width}\"{dash}/>",
                    n(x),
                    n(x + sample_w),
                    y = n(cy)
                );
            }
            KeyItem::Swatch(colour, _) => {
                let _ = write!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"14\" fill=\"{colour}\"/>",
                    n(x),
                    n(cy - 7.0)
                );
            }
            KeyItem::Benchmark(_) => {
                let _ = write!(
                    out,
                    "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{TEXT}\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>",
                    n(cy - 9.0),
                    n(cy + 9.0),
                    x = n(x + 5.0)
                );
            }
            KeyItem::Whisker => {
                let _ = write!(
                    out,
                    "<path d=\"M{m} {a} V{b} M{l} {a} H{r} M{l} {b} H{r}\" fill=\"none\" stroke=\"{TEXT}\" stroke-width=\"1.5\"/>",
                    m = n(x + 6.0),
                    a = n(cy - 8.0),
                    b = n(cy + 8.0),
                    l = n(x + 2.0),
                    r = n(x + 10.0)
                );
            }
        }
        text(
            &mut out,
            x + sample_w + 6.0,
            cy + 5.0,
            "start",
            "",
            &label,
            max_chars,
        );
        x += w;
    }
    (out, (row + 1) as f64 * KEY_ROW + 8.0)
}

/// An XML id prefix from a caller's id: letters, digits, `-` and `_` kept, others `-`.
fn safe_id(id: &str) -> String {
    let mut s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        s.insert_str(0, "chart-");
    }
    s
}

/// Wraps a chart body in the `<svg>` with its accessible name and description.
fn finish(frame: &Frame, height: f64, body: &str) -> String {
    let id = safe_id(frame.id);
    let mut out = String::with_capacity(body.len() + 512);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lz-chart\" width=\"100%\" viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"inherit\" font-size=\"{}\" fill=\"{TEXT}\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        n(WIDTH),
        n(height.ceil()),
        n(FONT),
        esc(frame.title),
        esc(frame.description)
    );
    out.push_str(body);
    out.push_str("</svg>");
    out
}

/// A chart with nothing to plot: says so.
fn empty_chart(frame: &Frame) -> String {
    let mut b = String::new();
    let attrs = format!("fill=\"{SECONDARY}\"");
    text(
        &mut b,
        WIDTH / 2.0,
        44.0,
        "middle",
        &attrs,
        "No data to show",
        40,
    );
    finish(frame, 72.0, &b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::events::Event;

    const NASTY: &str = "Barking & Dagenham <\"East\">";
    const NASTY_ESC: &str = "Barking &amp; Dagenham &lt;&quot;East&quot;&gt;";

    fn frame<'a>(id: &'a str, unit: &'a str) -> Frame<'a> {
        Frame {
            id,
            title: "Physically inactive adults & <others>",
            description: "Percentage of physically inactive adults, \"2015/16\" to 2022/23",
            unit,
        }
    }

    /// Parses the whole document; every tag closes, attributes are valid and unique, every
    /// `&` starts a predefined entity, and there is exactly one root, the `<svg>`.
    fn assert_well_formed(svg: &str) {
        let mut r = quick_xml::Reader::from_str(svg);
        r.config_mut().check_end_names = true;
        let mut depth = 0i64;
        let mut roots = 0;
        loop {
            match r.read_event() {
                Ok(Event::Eof) => break,
                Ok(Event::Start(e)) => {
                    if depth == 0 {
                        roots += 1;
                        assert_eq!(AsRef::<str>::as_ref(&e.name()), "svg");
                    }
                    for a in e.attributes() {
                        a.expect("valid attribute");
                    }
                    depth += 1;
                }
                Ok(Event::Empty(e)) => {
                    assert!(depth > 0, "element outside the root");
                    for a in e.attributes() {
                        a.expect("valid attribute");
                    }
                }
                Ok(Event::End(_)) => depth -= 1,
                Ok(Event::GeneralRef(e)) => {
                    let name = AsRef::<str>::as_ref(&e).to_string();
                    assert!(
                        ["amp", "lt", "gt", "quot", "apos"].contains(&name.as_str()),
                        "unexpected entity {name}"
                    );
                }
                Ok(_) => {}
                Err(e) => panic!("not well-formed at {}: {e}\n{svg}", r.buffer_position()),
            }
        }
        assert_eq!(depth, 0);
        assert_eq!(roots, 1);
        for (i, _) in svg.match_indices('&') {
            let rest = &svg[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                    .iter()
                    .any(|e| rest.starts_with(e)),
                "bare & at {i}"
            );
        }
        for bad in ["NaN", "\"inf", "-inf", " inf"] {
            assert!(!svg.contains(bad), "non-finite number in {svg}");
        }
    }

    fn assert_accessible(svg: &str, id: &str) {
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains(&format!("aria-labelledby=\"{id}-title {id}-desc\"")));
        assert!(svg.contains(&format!("<title id=\"{id}-title\">")));
        assert!(svg.contains(&format!("<desc id=\"{id}-desc\">")));
        assert!(svg.contains("Physically inactive adults &amp; &lt;others&gt;"));
        assert!(svg.contains("width=\"100%\""));
        assert!(svg.contains("viewBox=\"0 0 640 "));
        assert!(!svg.contains(" height=\"100%\""));
    }

    fn count(svg: &str, needle: &str) -> usize {
        svg.matches(needle).count()
    }

    fn markers(svg: &str) -> usize {
        count(svg, "class=\"lz-chart-marker ")
    }

    fn whiskers(svg: &str) -> usize {
        count(svg, "class=\"lz-chart-ci\"")
    }

    fn pt(label: &str, value: Option<f64>, ci: Option<(f64, f64)>, tone: Tone) -> Point {
        Point {
            label: label.to_string(),
            value,
            lower: ci.map(|c| c.0),
            upper: ci.map(|c| c.1),
            tone,
        }
    }

    fn periods(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("{}/{:02}", 2000 + i, (i + 1) % 100))
            .collect()
    }

    #[test]
    fn format_value_cases() {
        assert_eq!(format_value(26.84, "%"), "26.8%");
        assert_eq!(format_value(26.0, "%"), "26.0%");
        assert_eq!(format_value(1234.0, ""), "1,234");
        assert_eq!(format_value(1234567.0, ""), "1,234,567");
        assert_eq!(format_value(999.0, ""), "999");
        assert_eq!(format_value(1234.56, ""), "1,234.6");
        assert_eq!(format_value(3.2, "score"), "3.2 score");
        assert_eq!(format_value(0.25, "score"), "0.25 score");
        assert_eq!(format_value(512.3, "per 100,000"), "512.3 per 100,000");
        assert_eq!(format_value(-4.26, "%"), "-4.3%");
        assert_eq!(format_value(-1234.0, ""), "-1,234");
        assert_eq!(format_value(-0.01, "%"), "0.0%");
        assert_eq!(format_value(0.0, ""), "0");
        assert_eq!(format_value(12345.67, "%"), "12,345.7%");
        assert_eq!(format_value(f64::NAN, "%"), "no data");
        assert_eq!(format_value(f64::INFINITY, ""), "no data");
    }

    #[test]
    fn nice_scales_include_the_data() {
        for (lo, hi) in [
            (0.0, 26.8),
            (18.2, 27.9),
            (-3.5, 12.0),
            (22.0, 22.0),
            (0.0, 0.0),
            (-5.0, -5.0),
            (0.001, 0.0042),
            (1.0, 1e9),
            (-1e300, 1e300),
        ] {
            let s = nice_scale(lo, hi);
            assert!(s.lo <= lo && s.hi >= hi, "{lo}..{hi} → {s:?}");
            assert!(s.hi > s.lo, "{s:?}");
            assert!((2..=6).contains(&s.ticks.len()), "{s:?}");
            if (hi - lo).is_finite() && hi > lo {
                assert!(s.ticks.len() >= 4, "{s:?}");
            }
        }
        let s = nice_scale(0.0, 26.8);
        assert_eq!(s.ticks, vec![0.0, 10.0, 20.0, 30.0]);
    }

    #[test]
    fn time_series_is_accessible_and_escaped() {
        let ps = periods(6);
        let values = [
            Some(20.1),
            None,
            Some(22.4),
            Some(f64::NAN),
            Some(24.0),
            Some(23.5),
        ];
        let primary = Series {
            name: NASTY.to_string(),
            style: Style::Primary,
            points: values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let ci = (i != 4).then(|| (v.unwrap_or(0.0) - 1.5, v.unwrap_or(0.0) + 1.5));
                    let ci = if v.is_none() { None } else { ci };
                    pt(&ps[i], *v, ci, Tone::ALL[i % 4])
                })
                .collect(),
        };
        let england = Series {
            name: "England".to_string(),
            style: Style::England,
            points: (0..6)
                .map(|i| pt(&ps[i], Some(22.0 + i as f64 * 0.1), None, Tone::Neutral))
                .collect(),
        };
        let region = Series {
            name: "North East".to_string(),
            style: Style::Region,
            points: (0..6)
                .map(|i| pt(&ps[i], (i != 2).then_some(21.0), None, Tone::Neutral))
                .collect(),
        };
        let svg = time_series(
            &frame("ts-1", "%"),
            &ps,
            &[primary.clone(), region, england],
        );
        assert_well_formed(&svg);
        assert_accessible(&svg, "ts-1");
        assert!(svg.contains(NASTY_ESC));
        // Some(NaN) and None are gaps: 4 finite values → 4 markers.
        assert_eq!(markers(&svg), 4);
        // CIs: index 0, 2 and 5; not 1 (None), 3 (NaN ends) nor 4 (no CI).
        let expected_ci = primary.points.iter().filter(|p| ci(p).is_some()).count();
        assert_eq!(whiskers(&svg), expected_ci);
        assert!(
            svg.contains("stroke-dasharray=\"8 5\""),
            "England is dashed"
        );
        // The primary line breaks at the gaps: three runs → three moves.
        let primary_path = svg
            .split("<path class=\"lz-chart-line\"")
            .find(|p| p.split("/>").next().is_some_and(|tag| tag.contains(BLUE)))
            .unwrap();
        let d = primary_path
            .split("d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(d.matches('M').count(), 3, "{d}");
        // The region line has no isolated point (its gap splits it into two runs).
        assert_eq!(count(&svg, "class=\"lz-chart-dot\""), 0);
        for w in ["Better", "Similar", "Worse", "95% confidence interval"] {
            assert!(svg.contains(w), "key lacks {w}");
        }
    }

    #[test]
    fn time_series_edge_cases_do_not_panic() {
        let f = frame("ts-edge", "score");
        // 0 series, 0 periods.
        let svg = time_series(&f, &[], &[]);
        assert_well_formed(&svg);
        assert_accessible(&svg, "ts-edge");
        assert_eq!(markers(&svg), 0);
        // Periods but 0 series.
        let svg = time_series(&f, &periods(5), &[]);
        assert_well_formed(&svg);
        // One point, equal values, negatives, all missing, 300 periods, long labels.
        let one = Series {
            name: "x".repeat(300),
            style: Style::Primary,
            points: vec![pt("2020", Some(-3.0), Some((-4.0, -2.0)), Tone::Worse)],
        };
        let svg = time_series(&f, &periods(1), &[one]);
        assert_well_formed(&svg);
        assert_eq!(markers(&svg), 1);
        assert_eq!(whiskers(&svg), 1);
        assert!(svg.contains("…"));
        let flat = Series {
            name: "Flat".into(),
            style: Style::Region,
            points: (0..4)
                .map(|_| pt("", Some(5.0), None, Tone::Neutral))
                .collect(),
        };
        assert_well_formed(&time_series(&f, &periods(4), &[flat]));
        let missing = Series {
            name: "Missing".into(),
            style: Style::Primary,
            points: (0..4).map(|_| pt("", None, None, Tone::Similar)).collect(),
        };
        let svg = time_series(&f, &periods(4), &[missing]);
        assert_well_formed(&svg);
        assert_eq!(markers(&svg), 0);
        let big = Series {
            name: "Many".into(),
            style: Style::Primary,
            points: (0..300)
                .map(|i| {
                    pt(
                        "",
                        Some(i as f64 * 1.5 - 100.0),
                        Some((i as f64 - 101.0, i as f64 * 2.0 - 99.0)),
                        Tone::Better,
                    )
                })
                .collect(),
        };
        let long_periods: Vec<String> = (0..300)
            .map(|i| format!("A very long period label number {i}"))
            .collect();
        let svg = time_series(&f, &long_periods, &[big]);
        assert_well_formed(&svg);
        assert_eq!(markers(&svg), 300);
        assert_eq!(whiskers(&svg), 300);
        // Thinned: far fewer x labels than periods; the latest is there.
        assert!(count(&svg, "\"><title>A very long") < 30);
        assert!(svg.contains("number 299"));
        // Infinite and huge values.
        let wild = Series {
            name: "Wild".into(),
            style: Style::Primary,
            points: vec![
                pt(
                    "a",
                    Some(f64::INFINITY),
                    Some((f64::NEG_INFINITY, 1.0)),
                    Tone::Better,
                ),
                pt("b", Some(1e300), None, Tone::Better),
                pt("c", Some(-1e300), None, Tone::Better),
            ],
        };
        let svg = time_series(&f, &[], &[wild]);
        assert_well_formed(&svg);
        assert_eq!(markers(&svg), 2);
        assert_eq!(whiskers(&svg), 0);
    }

    #[test]
    fn comparison_is_accessible_and_escaped() {
        let points = vec![
            pt(NASTY, Some(28.4), Some((26.0, 30.9)), Tone::Worse),
            pt("Durham", Some(24.1), Some((22.0, 26.3)), Tone::Similar),
            pt("Hartlepool", None, None, Tone::Neutral),
            pt("Newcastle upon Tyne", Some(19.8), None, Tone::Better),
            pt(
                "Isles of Scilly",
                Some(f64::NAN),
                Some((1.0, 2.0)),
                Tone::Neutral,
            ),
            pt("Sunderland", Some(22.0), Some((20.5, 23.5)), Tone::Neutral),
        ];
        let svg = comparison(
            &frame("cmp", "%"),
            &points,
            Some(("England", 22.0)),
            Some("Durham"),
        );
        assert_well_formed(&svg);
        assert_accessible(&svg, "cmp");
        assert!(svg.contains(NASTY_ESC));
        let finite_values = points.iter().filter(|p| finite(p.value).is_some()).count();
        assert_eq!(markers(&svg), finite_values);
        assert_eq!(count(&svg, "class=\"lz-chart-bar\""), finite_values);
        assert_eq!(
            whiskers(&svg),
            points.iter().filter(|p| ci(p).is_some()).count()
        );
        assert_eq!(count(&svg, "class=\"lz-chart-nodata\""), 2);
        assert_eq!(count(&svg, "class=\"lz-chart-benchmark\""), 1);
        assert!(svg.contains("England 22.0%"));
        assert!(svg.contains("font-weight=\"bold\">Durham</text>"));
        assert!(svg.contains(&format!("fill=\"{BLUE}\"")));
        assert!(svg.contains(">28.4%</text>"));
        // Without a benchmark: no line.
        let svg = comparison(&frame("cmp2", "%"), &points, None, None);
        assert_well_formed(&svg);
        assert_eq!(count(&svg, "class=\"lz-chart-benchmark\""), 0);
    }

    #[test]
    fn comparison_edge_cases_do_not_panic() {
        let f = frame("9 bad id!", "");
        let svg = comparison(&f, &[], Some(("England", 1.0)), None);
        assert_well_formed(&svg);
        assert_accessible(&svg, "chart-9-bad-id-");
        let one = [pt("Only", Some(0.0), None, Tone::Similar)];
        let svg = comparison(&f, &one, Some(("England", f64::NAN)), Some("Only"));
        assert_well_formed(&svg);
        assert_eq!(markers(&svg), 1);
        assert_eq!(count(&svg, "class=\"lz-chart-benchmark\""), 0);
        let negative = [
            pt("Down", Some(-1234.0), Some((-1500.0, -1000.0)), Tone::Worse),
            pt("Up", Some(56789.0), None, Tone::Better),
        ];
        let svg = comparison(&f, &negative, Some(("England", 10.0)), None);
        assert_well_formed(&svg);
        assert!(svg.contains(">-1,234</text>") && svg.contains(">56,789</text>"));
        let many: Vec<Point> = (0..300)
            .map(|i| {
                let v = (i % 7 != 0).then_some(i as f64 / 3.0);
                pt(
                    &format!("Local authority with a rather long name number {i} & co"),
                    v,
                    v.map(|v| (v - 1.0, v + 1.0)),
                    Tone::ALL[i % 4],
                )
            })
            .collect();
        let svg = comparison(&f, &many, Some(("England", 50.0)), Some("nowhere"));
        assert_well_formed(&svg);
        let some = many.iter().filter(|p| p.value.is_some()).count();
        assert_eq!(markers(&svg), some);
        assert_eq!(whiskers(&svg), some);
        assert!(svg.contains(
            "<title>Local authority with a rather long name number 299 &amp; co</title>"
        ));
        let equal: Vec<Point> = (0..5)
            .map(|i| pt(&i.to_string(), Some(7.0), None, Tone::Similar))
            .collect();
        assert_well_formed(&comparison(&f, &equal, None, None));
    }

    fn row(
        name: &str,
        value: Option<f64>,
        bench: Option<f64>,
        worst: Option<f64>,
        best: Option<f64>,
        tone: Tone,
    ) -> SpineRow {
        SpineRow {
            indicator: name.to_string(),
            period: "2022/23".to_string(),
            value,
            benchmark: bench,
            worst,
            best,
            tone,
            unit: "%".to_string(),
        }
    }

    #[test]
    fn spine_is_accessible_and_escaped() {
        let rows = vec![
            row(
                NASTY,
                Some(28.4),
                Some(22.0),
                Some(35.0),
                Some(15.0),
                Tone::Worse,
            ),
            row(
                "Smoking prevalence",
                Some(12.0),
                Some(13.0),
                Some(20.0),
                Some(5.0),
                Tone::Similar,
            ),
            row(
                "Life expectancy",
                Some(80.1),
                Some(79.0),
                Some(74.0),
                Some(84.0),
                Tone::Better,
            ),
            row(
                "No value",
                None,
                Some(50.0),
                Some(10.0),
                Some(90.0),
                Tone::Neutral,
            ),
            row("No range", Some(5.0), None, None, None, Tone::Neutral),
        ];
        let svg = spine(&frame("sp", "%"), &rows);
        assert_well_formed(&svg);
        assert_accessible(&svg, "sp");
        assert!(svg.contains(NASTY_ESC));
        assert_eq!(markers(&svg), 4);
        assert_eq!(count(&svg, "class=\"lz-chart-nodata\""), 1);
        assert_eq!(count(&svg, "class=\"lz-chart-benchmark\""), 1);
        assert_eq!(count(&svg, "class=\"lz-chart-range\""), 4);
        assert_eq!(whiskers(&svg), 0);
        // Worse than England with lower-is-better polarity: left of the centre line.
        let first = svg.split("lz-chart-marker-worse\" d=\"M").nth(1).unwrap();
        let x: f64 = first.split(' ').next().unwrap().parse().unwrap();
        assert!(x < (410.0 + 628.0) / 2.0, "{x}");
        // Better, higher-is-better: right of it.
        let third = svg.split("lz-chart-marker-better\" d=\"M").nth(1).unwrap();
        let x: f64 = third.split(' ').next().unwrap().parse().unwrap();
        assert!(x > (410.0 + 628.0) / 2.0, "{x}");
    }

    #[test]
    fn spine_edge_cases_do_not_panic() {
        let f = frame("sp-edge", "");
        assert_well_formed(&spine(&f, &[]));
        let svg = spine(
            &f,
            &[row(
                "One",
                Some(1.0),
                Some(1.0),
                Some(1.0),
                Some(1.0),
                Tone::Similar,
            )],
        );
        assert_well_formed(&svg);
        assert_eq!(markers(&svg), 1);
        let wild = [
            row(
                "Not a number",
                Some(f64::NAN),
                Some(f64::INFINITY),
                None,
                Some(3.0),
                Tone::Better,
            ),
            row(
                &"Long ".repeat(100),
                Some(-1e300),
                Some(1e300),
                Some(-1e308),
                Some(1e308),
                Tone::Worse,
            ),
        ];
        let svg = spine(&f, &wild);
        assert_well_formed(&svg);
        assert_eq!(markers(&svg), 1);
        let many: Vec<SpineRow> = (0..300)
            .map(|i| {
                row(
                    &format!("Indicator {i}"),
                    (i % 3 != 0).then_some(i as f64),
                    Some(150.0),
                    Some(0.0),
                    Some(300.0),
                    Tone::ALL[i % 4],
                )
            })
            .collect();
        let svg = spine(&f, &many);
        assert_well_formed(&svg);
        assert_eq!(markers(&svg), 200);
        assert_eq!(count(&svg, "class=\"lz-chart-nodata\""), 100);
    }
}
