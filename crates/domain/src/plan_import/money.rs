//! Amounts of money in a resources cell: "£8k", "£2K budget", "£1.5m", "£2,500", "£8,000.50".
//!
//! Every amount becomes a [`BudgetLine`] labelled with the sentence (or, when a sentence holds
//! several amounts, the phrase) around it. A negative amount, a "£" with no number, or a range
//! ("£2k–£3k") is reported as an issue for a person to confirm.

use super::clean::{capitalise_first, collapse_ws, is_dash};
use super::BudgetLine;

/// Every amount of money found in `text`, in the order written. Amounts that cannot be taken
/// as a budget (negative, unreadable) are left out; [`scan_money`] says why.
pub fn parse_money(text: &str) -> Vec<BudgetLine> {
    scan_money(text).lines
}

/// Budget lines plus the problems met on the way, as messages for a person.
#[derive(Debug, Default)]
pub(crate) struct MoneyScan {
    pub lines: Vec<BudgetLine>,
    pub issues: Vec<String>,
}

pub(crate) fn scan_money(text: &str) -> MoneyScan {
    let chars: Vec<char> = text.chars().collect();
    let mut scan = MoneyScan::default();
    for (start, end) in sentences(&chars) {
        let sentence = &chars[start..end];
        let amounts = find_amounts(sentence);
        if amounts.is_empty() {
            continue;
        }
        for (k, a) in amounts.iter().enumerate() {
            let written: String = sentence[a.start..a.end].iter().collect();
            let written = collapse_ws(&written);
            match a.value {
                Value::Pence(p) => {
                    let (from, to) = phrase_bounds(sentence, &amounts, k);
                    let label = label_for(&sentence[from..to], &amounts, from);
                    scan.lines.push(BudgetLine {
                        label,
                        amount_pence: p,
                    });
                    if a.range {
                        scan.issues.push(format!(
                            "A range of amounts ({written}) was given; the higher one was used"
                        ));
                    }
                }
                Value::Negative => scan
                    .issues
                    .push(format!("A negative amount ({written}) was ignored")),
                Value::NotANumber => scan.issues.push(format!(
                    "“{written}” is not an amount of money and was ignored"
                )),
                Value::TooLarge => scan
                    .issues
                    .push(format!("The amount {written} is too large and was ignored")),
            }
        }
    }
    scan
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Value {
    Pence(i64),
    Negative,
    NotANumber,
    TooLarge,
}

#[derive(Debug, Clone, Copy)]
struct Amount {
    /// Char offsets in the sentence, end exclusive, including "£" and any suffix.
    start: usize,
    end: usize,
    value: Value,
    range: bool,
}

/// Sentences as char ranges: split at line breaks and at ". ", "! ", "? ", "; ".
fn sentences(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..chars.len() {
        let c = chars[i];
        let boundary = c == '\n'
            || (matches!(c, '.' | '!' | '?' | ';')
                && chars.get(i + 1).is_none_or(|n| n.is_whitespace()));
        if boundary {
            if i + 1 > start {
                out.push((start, i + 1));
            }
            start = i + 1;
        }
    }
    if start < chars.len() {
        out.push((start, chars.len()));
    }
    out
}

/// Where a currency marker starts at `i`: "£" (1 char) or "GBP" followed by a space.
fn currency_at(chars: &[char], i: usize) -> Option<usize> {
    if chars[i] == '£' {
        return Some(1);
    }
    let word_start = i == 0 || !chars[i - 1].is_alphanumeric();
    if word_start && chars.len() >= i + 4 {
        let w: String = chars[i..i + 3].iter().collect();
        if w.eq_ignore_ascii_case("gbp")
            && (chars[i + 3].is_whitespace() || chars[i + 3].is_ascii_digit())
        {
            return Some(3);
        }
    }
    None
}

fn find_amounts(s: &[char]) -> Vec<Amount> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let Some(marker) = currency_at(s, i) else {
            i += 1;
            continue;
        };
        let mut a = read_amount(s, i, marker);
        // "£2k – £3k", "£2k to £3k": one line, the higher figure.
        if let Value::Pence(low) = a.value {
            if let Some(next) = range_partner(s, a.end) {
                let b = read_amount(s, next, currency_at(s, next).unwrap_or(1));
                if let Value::Pence(high) = b.value {
                    a = Amount {
                        start: a.start,
                        end: b.end,
                        value: Value::Pence(low.max(high)),
                        range: true,
                    };
                }
            }
        }
        i = a.end.max(i + 1);
        out.push(a);
    }
    out
}

/// After an amount ending at `end`: a dash or "to", then another "£".
fn range_partner(s: &[char], end: usize) -> Option<usize> {
    let mut j = skip_spaces(s, end);
    if j < s.len() && is_dash(s[j]) {
        j += 1;
    } else if j + 1 < s.len()
        && s[j].eq_ignore_ascii_case(&'t')
        && s[j + 1].eq_ignore_ascii_case(&'o')
        && s.get(j + 2).is_some_and(|c| c.is_whitespace())
    {
        j += 2;
    } else {
        return None;
    }
    let j = skip_spaces(s, j);
    (j < s.len() && currency_at(s, j).is_some()).then_some(j)
}

fn skip_spaces(s: &[char], mut j: usize) -> usize {
    while j < s.len() && s[j] == ' ' {
        j += 1;
    }
    j
}

/// Reads "£" + number + suffix starting at `p` (the marker is `marker` chars long).
fn read_amount(s: &[char], p: usize, marker: usize) -> Amount {
    let mut start = p;
    let mut negative = false;
    // "-£500" (a minus sign stuck to the £, not a dash between words).
    if p >= 1
        && matches!(s[p - 1], '-' | '−')
        && (p < 2 || s[p - 2].is_whitespace() || s[p - 2] == '(')
    {
        negative = true;
        start = p - 1;
    }
    let mut j = skip_spaces(s, p + marker);
    if j < s.len() && matches!(s[j], '-' | '−') {
        negative = true;
        j += 1;
    }
    let Some(num) = read_number(s, j) else {
        return Amount {
            start,
            end: p + marker,
            value: Value::NotANumber,
            range: false,
        };
    };
    let mut end = num.end;
    let mut mult: i128 = 1;
    if let Some((m, e)) = read_suffix(s, num.end) {
        mult = m;
        end = e;
    } else if let Some((high, m, e)) = shared_suffix_range(s, num.end) {
        // "£2-3k": the suffix belongs to both numbers.
        let value = if negative {
            Value::Negative
        } else {
            match (to_pence(&num, m), to_pence(&high, m)) {
                (Some(l), Some(h)) => Value::Pence(l.max(h)),
                _ => Value::TooLarge,
            }
        };
        return Amount {
            start,
            end: e,
            value,
            range: true,
        };
    }
    let value = if negative {
        Value::Negative
    } else {
        match to_pence(&num, mult) {
            Some(p) => Value::Pence(p),
            None => Value::TooLarge,
        }
    };
    Amount {
        start,
        end,
        value,
        range: false,
    }
}

struct Number {
    /// All digits (integer then fraction), without grouping commas.
    digits: String,
    fraction_len: usize,
    end: usize,
}

/// "8", "2,500", "8,000.50", "1.5" at `j`. Commas only group exactly three digits.
fn read_number(s: &[char], mut j: usize) -> Option<Number> {
    let mut digits = String::new();
    while j < s.len() && s[j].is_ascii_digit() {
        digits.push(s[j]);
        j += 1;
    }
    if digits.is_empty() {
        return None;
    }
    while j + 3 < s.len()
        && s[j] == ','
        && s[j + 1..j + 4].iter().all(char::is_ascii_digit)
        && s.get(j + 4).is_none_or(|c| !c.is_ascii_digit())
    {
        digits.extend(&s[j + 1..j + 4]);
        j += 4;
    }
    let mut fraction_len = 0;
    if j + 1 < s.len() && s[j] == '.' && s[j + 1].is_ascii_digit() {
        j += 1;
        while j < s.len() && s[j].is_ascii_digit() {
            digits.push(s[j]);
            fraction_len += 1;
            j += 1;
        }
    }
    Some(Number {
        digits,
        fraction_len,
        end: j,
    })
}

/// "k"/"K", "m"/"M", "bn" stuck to the number; or " thousand", " million", " billion",
/// " k", " m", " bn" after one space. Returns the multiplier and the end.
fn read_suffix(s: &[char], j: usize) -> Option<(i128, usize)> {
    let word_at = |from: usize| -> (String, usize) {
        let mut k = from;
        let mut w = String::new();
        while k < s.len() && s[k].is_alphabetic() {
            w.extend(s[k].to_lowercase());
            k += 1;
        }
        (w, k)
    };
    let mult = |w: &str, spaced: bool| -> Option<i128> {
        match w {
            "k" => Some(1_000),
            "m" => Some(1_000_000),
            "bn" => Some(1_000_000_000),
            "thousand" if spaced => Some(1_000),
            "million" | "mil" if spaced => Some(1_000_000),
            "billion" if spaced => Some(1_000_000_000),
            _ => None,
        }
    };
    let (w, k) = word_at(j);
    if !w.is_empty() {
        return mult(&w, false).map(|m| (m, k));
    }
    if j < s.len() && s[j] == ' ' {
        let (w, k) = word_at(j + 1);
        if let Some(m) = mult(&w, true) {
            return Some((m, k));
        }
    }
    None
}

/// "-3k" / "–3k" right after a bare number.
fn shared_suffix_range(s: &[char], j: usize) -> Option<(Number, i128, usize)> {
    if j >= s.len() || !is_dash(s[j]) {
        return None;
    }
    let high = read_number(s, j + 1)?;
    let (m, e) = read_suffix(s, high.end)?;
    Some((high, m, e))
}

fn to_pence(n: &Number, mult: i128) -> Option<i64> {
    if n.digits.len() > 20 {
        return None;
    }
    let mantissa: i128 = n.digits.parse().ok()?;
    let den = 10i128.checked_pow(u32::try_from(n.fraction_len).ok()?)?;
    let num = mantissa.checked_mul(mult)?.checked_mul(100)?;
    let pence = (num + den / 2) / den;
    i64::try_from(pence).ok()
}

/// The char range of the phrase that belongs to amount `k`: the whole sentence when it is the
/// only amount, otherwise cut at the separators (", ", ";", " and ", " plus ", " & ")
/// between it and its neighbours.
fn phrase_bounds(s: &[char], amounts: &[Amount], k: usize) -> (usize, usize) {
    let from = if k == 0 {
        0
    } else {
        let lo = amounts[k - 1].end;
        last_separator(s, lo, amounts[k].start).unwrap_or(lo)
    };
    let to = if k + 1 == amounts.len() {
        s.len()
    } else {
        let hi = amounts[k + 1].start;
        first_separator(s, amounts[k].end, hi).unwrap_or(hi)
    };
    (from, to.max(from))
}

const SEPARATORS: [&str; 6] = [", ", ";", " and ", " plus ", " & ", " + "];

fn separators_in(s: &[char], lo: usize, hi: usize) -> Vec<(usize, usize)> {
    let seps: Vec<Vec<char>> = SEPARATORS.iter().map(|sep| sep.chars().collect()).collect();
    let mut out = Vec::new();
    for i in lo..hi {
        for sep in &seps {
            if i + sep.len() <= hi
                && s[i..i + sep.len()]
                    .iter()
                    .zip(sep)
                    .all(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
            {
                out.push((i, i + sep.len()));
            }
        }
    }
    out
}

fn first_separator(s: &[char], lo: usize, hi: usize) -> Option<usize> {
    separators_in(s, lo, hi).first().map(|&(a, _)| a)
}

fn last_separator(s: &[char], lo: usize, hi: usize) -> Option<usize> {
    separators_in(s, lo, hi).last().map(|&(_, b)| b)
}

/// Words that only join the label to the amount: "Budget of £9k", "Room hire at £500",
/// "up to £5k", "£500 for room hire".
const BEFORE_AMOUNT: [&str; 17] = [
    "of",
    "at",
    "costing",
    "between",
    "approx",
    "approx.",
    "approximately",
    "circa",
    "c.",
    "around",
    "about",
    "totalling",
    "totaling",
    "is",
    "up",
    "to",
    "=",
];
const AFTER_AMOUNT: [&str; 2] = ["for", "of"];

/// The label for the amounts inside `phrase` (which starts at `offset` in the sentence).
fn label_for(phrase: &[char], amounts: &[Amount], offset: usize) -> String {
    const GAP: &str = "\u{1}";
    let mut text = String::new();
    let mut i = 0;
    while i < phrase.len() {
        let at = offset + i;
        if let Some(a) = amounts.iter().find(|a| a.start == at) {
            text.push(' ');
            text.push_str(GAP);
            text.push(' ');
            i += (a.end - a.start).max(1);
            continue;
        }
        text.push(phrase[i]);
        i += 1;
    }
    let mut words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    // Drop joining words and dashes either side of each gap, then the gaps.
    let mut g = 0;
    while g < words.len() {
        if words[g] != GAP {
            g += 1;
            continue;
        }
        while g > 0 && is_joiner(&words[g - 1], &BEFORE_AMOUNT) {
            words.remove(g - 1);
            g -= 1;
        }
        while g + 1 < words.len() && is_joiner(&words[g + 1], &AFTER_AMOUNT) {
            words.remove(g + 1);
        }
        words.remove(g);
    }
    let joined = words
        .join(" ")
        .replace(" .", ".")
        .replace(" ,", ",")
        .replace("( )", "")
        .replace("()", "");
    let trimmed = joined.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '(' | ')' | '=') || is_dash(c)
    });
    let label = capitalise_first(&collapse_ws(trimmed));
    if label.is_empty() {
        "Budget".to_string()
    } else {
        label
    }
}

fn is_joiner(word: &str, list: &[&str]) -> bool {
    let w = word.to_lowercase();
    w.chars().all(is_dash)
        || w.chars().all(|c| matches!(c, ':' | '=' | ','))
        || list.contains(&w.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amounts(text: &str) -> Vec<i64> {
        parse_money(text)
            .into_iter()
            .map(|l| l.amount_pence)
            .collect()
    }

    #[test]
    fn suffixes_and_separators() {
        assert_eq!(amounts("£8k"), [800_000]);
        assert_eq!(amounts("£2K budget required"), [200_000]);
        assert_eq!(amounts("£5k"), [500_000]);
        assert_eq!(amounts("£9k."), [900_000]);
        assert_eq!(amounts("£1.5m"), [150_000_000]);
        assert_eq!(amounts("£2,500"), [250_000]);
        assert_eq!(amounts("£250"), [25_000]);
        assert_eq!(amounts("£8,000.50"), [800_050]);
        assert_eq!(amounts("£ 3 million"), [300_000_000]);
        assert_eq!(amounts("£2.5 thousand"), [250_000]);
        assert_eq!(amounts("GBP 400"), [40_000]);
        assert_eq!(amounts("£1bn"), [100_000_000_000]);
        assert_eq!(amounts("£0.99"), [99]);
    }

    #[test]
    fn words_after_the_number_are_not_suffixes() {
        assert_eq!(amounts("£5 kits for schools"), [500]);
        assert_eq!(amounts("£5km"), [500]);
        assert_eq!(amounts("£10 more"), [1000]);
    }

    #[test]
    fn labels_are_the_sentence_around_the_amount() {
        let lines = parse_money(
            "The development of the platform, so that it can be self-serve.\n\nProcure capacity to complete this enabling work - £8k. ",
        );
        assert_eq!(
            lines,
            [BudgetLine {
                label: "Procure capacity to complete this enabling work".into(),
                amount_pence: 800_000
            }]
        );
        assert_eq!(
            parse_money("£2K budget required to enable delivery.")[0].label,
            "Budget required to enable delivery"
        );
        assert_eq!(
            parse_money("Budget of £9k to deliver the outputs.")[0].label,
            "Budget to deliver the outputs"
        );
        assert_eq!(
            parse_money("The consultant will cost £5k.")[0].label,
            "The consultant will cost"
        );
        assert_eq!(parse_money("£500 for room hire")[0].label, "Room hire");
        assert_eq!(parse_money("£500")[0].label, "Budget");
    }

    #[test]
    fn several_amounts_give_several_lines() {
        let lines = parse_money(
            "Room hire £500 and catering £300; speaker fees of £1,200. Evaluation – £2k",
        );
        let got: Vec<(&str, i64)> = lines
            .iter()
            .map(|l| (l.label.as_str(), l.amount_pence))
            .collect();
        assert_eq!(
            got,
            [
                ("Room hire", 50_000),
                ("Catering", 30_000),
                ("Speaker fees", 120_000),
                ("Evaluation", 200_000)
            ]
        );
    }

    #[test]
    fn ranges_negatives_and_nonsense_are_reported() {
        let s = scan_money("Between £2k - £3k for the venue.");
        assert_eq!(s.lines.len(), 1);
        assert_eq!(s.lines[0].amount_pence, 300_000);
        assert_eq!(s.lines[0].label, "The venue");
        assert!(s.issues[0].contains("range"));

        let s = scan_money("£2-3k");
        assert_eq!(s.lines[0].amount_pence, 300_000);
        assert_eq!(s.issues.len(), 1);

        let s = scan_money("Refund -£500 and £-20.");
        assert!(s.lines.is_empty());
        assert_eq!(s.issues.len(), 2);
        assert!(s.issues.iter().all(|m| m.contains("negative")));

        let s = scan_money("Budget £TBC");
        assert!(s.lines.is_empty());
        assert!(s.issues[0].contains("not an amount"));

        let s = scan_money("£99999999999999999999999999999");
        assert!(s.lines.is_empty());
        assert!(s.issues[0].contains("too large"));
    }

    #[test]
    fn no_amount_no_lines() {
        assert!(parse_money("Staff time from partners; no cash required.").is_empty());
        assert!(parse_money("").is_empty());
        assert!(parse_money("8k from reserves").is_empty());
    }
}
