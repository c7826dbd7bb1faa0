//! The plan's timeline: a server-rendered SVG (no script) with one row per work area, a bar
//! from its start to its end coloured by RAG, milestones as diamonds, month ticks and today.
//! The same facts are on the page as text, so the picture is described briefly.

use jiff::civil::Date;
use jiff::ToSpan;
use lz_app::plans::{PlanView, Rag};

const LEFT: f64 = 250.0;
const WIDTH: f64 = 720.0;
const ROW: f64 = 34.0;
const TOP: f64 = 34.0;

/// Days are counted from 1970-01-01; only differences and order matter here.
const EPOCH: Date = jiff::civil::date(1970, 1, 1);

fn days(iso: &str) -> Option<i64> {
    lz_domain::dates::parse_iso_date(iso).map(day_number)
}

fn day_number(d: Date) -> i64 {
    i64::from(d.since(EPOCH).map(|s| s.get_days()).unwrap_or_default())
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

fn colour(rag: Option<Rag>) -> &'static str {
    match rag {
        Some(Rag::Green) => "#00703c",
        Some(Rag::Amber) => "#b35c00",
        Some(Rag::Red) => "#d4351c",
        None => "#505a5f",
    }
}

/// The SVG, or `None` when no work area has dates to draw.
pub fn svg(view: &PlanView, today: &str) -> Option<String> {
    let dated: Vec<_> = view
        .work_areas
        .iter()
        .filter(|w| w.start_date.is_some() || w.end_date.is_some())
        .collect();
    if dated.is_empty() {
        return None;
    }
    let all_days: Vec<i64> = dated
        .iter()
        .flat_map(|w| [w.start_date.as_deref(), w.end_date.as_deref()])
        .chain(view.milestones.iter().map(|m| m.due_date.as_deref()))
        .flatten()
        .filter_map(days)
        .collect();
    let (first, last) = (*all_days.iter().min()?, *all_days.iter().max()?);
    let span = (last - first).max(1) as f64;
    let x = |d: i64| LEFT + (d - first) as f64 / span * WIDTH;
    let height = TOP + ROW * dated.len() as f64 + 10.0;
    let mut out = format!(
        "<svg class=\"lz-timeline\" viewBox=\"0 0 {} {height}\" role=\"img\" aria-labelledby=\"timeline-title\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"timeline-title\">Timeline of {} work areas from {} to {}; bars are coloured by status, diamonds are milestones</title>",
        LEFT + WIDTH + 20.0,
        dated.len(),
        esc(&iso_of_day(first)),
        esc(&iso_of_day(last)),
    );
    month_ticks(&mut out, first, last, height, x)?;
    if let Some(t) = days(today).filter(|t| *t >= first && *t <= last) {
        out.push_str(&format!("<line x1=\"{0:.1}\" y1=\"{1}\" x2=\"{0:.1}\" y2=\"{height}\" stroke=\"#0b0c0c\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>", x(t), TOP - 12.0));
    }
    for (i, w) in dated.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        out.push_str(&format!(
            "<text x=\"0\" y=\"{}\" font-size=\"13\" fill=\"#0b0c0c\">{}</text>",
            y + 20.0,
            esc(&short(&w.title, 34))
        ));
        let start = w.start_date.as_deref().and_then(days).unwrap_or(first);
        let end = w.end_date.as_deref().and_then(days).unwrap_or(last);
        out.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{}\" width=\"{:.1}\" height=\"16\" fill=\"{}\"/>",
            x(start),
            y + 8.0,
            (x(end) - x(start)).max(3.0),
            colour(w.rag)
        ));
        for m in view.milestones.iter().filter(|m| m.work_area_id == w.id) {
            if let Some(d) = m.due_date.as_deref().and_then(days) {
                let (mx, my) = (x(d), y + 16.0);
                out.push_str(&format!(
                    "<path d=\"M{mx:.1} {:.1} L{:.1} {my:.1} L{mx:.1} {:.1} L{:.1} {my:.1} Z\" fill=\"#ffffff\" stroke=\"#0b0c0c\" stroke-width=\"2\"/>",
                    my - 8.0,
                    mx + 8.0,
                    my + 8.0,
                    mx - 8.0
                ));
            }
        }
    }
    out.push_str("</svg>");
    Some(out)
}

/// A line and a label at the first of each month between `first` and `last` (day numbers).
fn month_ticks(
    out: &mut String,
    first: i64,
    last: i64,
    height: f64,
    x: impl Fn(i64) -> f64,
) -> Option<()> {
    let mut month = day_from_number(first)?.first_of_month();
    while day_number(month) <= last {
        let d = day_number(month);
        if d >= first {
            let mx = x(d);
            out.push_str(&format!("<line x1=\"{mx:.1}\" y1=\"{}\" x2=\"{mx:.1}\" y2=\"{height}\" stroke=\"#b1b4b6\" stroke-width=\"1\"/>", TOP - 12.0));
            out.push_str(&format!(
                "<text x=\"{mx:.1}\" y=\"{}\" font-size=\"12\" fill=\"#0b0c0c\">{}</text>",
                TOP - 16.0,
                month.strftime("%b %y")
            ));
        }
        month = month.checked_add(1.month()).ok()?;
    }
    Some(())
}

fn day_from_number(d: i64) -> Option<Date> {
    EPOCH.checked_add(jiff::Span::new().try_days(d).ok()?).ok()
}

fn iso_of_day(d: i64) -> String {
    day_from_number(d)
        .map(|d| d.to_string())
        .unwrap_or_default()
}
