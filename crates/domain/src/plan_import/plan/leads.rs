//! Accountable leads: "Accountable Lead: Beth Kay / Amanda Forrest".

use super::*;

/// Whether any line of `text` holds a lead label.
pub(super) fn has_lead_label(text: &str) -> bool {
    text.split('\n')
        .any(|line| lead_label_in(&line.chars().collect::<Vec<_>>()).is_some())
}

/// Where a lead label sits in a line, as char offsets: the text to cut (the label and, inside
/// "( … )", the brackets) and the names. "Accountable Lead(s)" / "Responsible Lead" count
/// anywhere; a plain "Lead(s):" only at the start of a line or just after "(".
struct LeadLabel {
    cut_from: usize,
    names_from: usize,
    names_to: usize,
    cut_to: usize,
}

fn starts_with_ci(chars: &[char], at: usize, word: &str) -> bool {
    let mut k = at;
    for w in word.chars() {
        match chars.get(k) {
            Some(c) if c.to_ascii_lowercase() == w => k += 1,
            _ => return false,
        }
    }
    true
}

fn lead_label_in(chars: &[char]) -> Option<LeadLabel> {
    (0..chars.len()).find_map(|i| lead_label_at(chars, i))
}

/// A lead label starting at char `i`, if there is one.
fn lead_label_at(chars: &[char], i: usize) -> Option<LeadLabel> {
    if i > 0 && chars[i - 1].is_alphanumeric() {
        return None;
    }
    let (colon, qualified) = label_words(chars, i)?;
    let before: String = chars[..i].iter().collect();
    let before = before.trim_end();
    let paren = before.ends_with('(');
    if !(qualified || before.is_empty() || paren) {
        return None;
    }
    let cut_from = if paren { before.chars().count() - 1 } else { i };
    let names_from = colon + 1;
    let (names_to, cut_to) = if paren {
        match chars[names_from..].iter().position(|&c| c == ')') {
            Some(p) => (names_from + p, names_from + p + 1),
            None => (chars.len(), chars.len()),
        }
    } else {
        (chars.len(), chars.len())
    };
    Some(LeadLabel {
        cut_from,
        names_from,
        names_to,
        cut_to,
    })
}

/// The words of a label at `i` ("Accountable Lead(s) Officer:"): where its separator is,
/// and whether it was qualified ("accountable", "responsible"; only then may a dash stand
/// for the colon).
fn label_words(chars: &[char], i: usize) -> Option<(usize, bool)> {
    let skip_spaces = |mut j: usize| {
        while chars.get(j) == Some(&' ') {
            j += 1;
        }
        j
    };
    let word_ends = |at: usize| !chars.get(at).is_some_and(|c| c.is_alphanumeric());
    let mut j = i;
    let mut qualified = false;
    if let Some(q) = ["accountable", "responsible"]
        .into_iter()
        .find(|q| starts_with_ci(chars, j, q))
    {
        j = skip_spaces(j + q.len());
        qualified = true;
    }
    if !starts_with_ci(chars, j, "lead") {
        return None;
    }
    j += 4;
    if starts_with_ci(chars, j, "(s)") {
        j += 3;
    } else if starts_with_ci(chars, j, "s") && word_ends(j + 1) {
        j += 1;
    }
    if !word_ends(j) {
        return None; // "Leadership"
    }
    let k = skip_spaces(j);
    if let Some(extra) = ["officers", "officer", "names", "name"]
        .into_iter()
        .find(|extra| starts_with_ci(chars, k, extra) && word_ends(k + extra.len()))
    {
        j = k + extra.len();
    }
    let j = skip_spaces(j);
    match chars.get(j) {
        Some(':') => Some((j, qualified)),
        Some(&c) if is_dash(c) && qualified => Some((j, qualified)),
        _ => None,
    }
}

/// Finds the lead label in a cell: (names, the cell without the label, whether one was found).
pub(super) fn take_leads(cell: &str) -> (Vec<String>, String, bool) {
    let mut names = Vec::new();
    let mut found = false;
    let mut kept = Vec::new();
    for line in cell.split('\n') {
        let chars: Vec<char> = line.chars().collect();
        match lead_label_in(&chars) {
            Some(label) if !found => {
                found = true;
                let value: String = chars[label.names_from..label.names_to].iter().collect();
                names = split_names(&value);
                let rest: String = chars[..label.cut_from]
                    .iter()
                    .chain(&chars[label.cut_to..])
                    .collect();
                kept.push(rest);
            }
            _ => kept.push(line.to_string()),
        }
    }
    (names, kept.join("\n"), found)
}

/// "Beth Kay / Amanda Forrest", "X and Y", "X, Y & Z" → separate names. Placeholders
/// ("TBC", "n/a") give none.
pub(super) fn split_names(value: &str) -> Vec<String> {
    let flat = collapse_ws(value);
    let lower = flat.to_lowercase();
    let lower = lower.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if matches!(
        lower,
        "" | "tbc" | "tbd" | "n/a" | "na" | "none" | "to be confirmed" | "to be agreed" | "-" | "?"
    ) {
        return Vec::new();
    }
    let joined: Vec<&str> = flat
        .split(' ')
        .map(|w| {
            if w.eq_ignore_ascii_case("and") {
                "/"
            } else {
                w
            }
        })
        .collect();
    joined
        .join(" ")
        .split(['/', ',', ';', '&', '+', '\n'])
        .map(|n| {
            collapse_ws(n.trim_matches(|c: char| {
                matches!(c, '.' | ',' | ';' | ':' | '"' | '“' | '”' | '‘' | '’')
                    || is_dash(c)
                    || c.is_whitespace()
            }))
        })
        .filter(|n| !n.is_empty() && !matches!(n.to_lowercase().as_str(), "tbc" | "tbd" | "n/a"))
        .map(|n| capitalise_first(&n))
        .collect()
}
