//! Executive minutes: the agenda item's title, the numbered list of mandates, and the
//! "Action – <owner> to <do something> by <date>" lines.

use super::clean::{
    collapse_ws, find_word, is_dash, list_number, number_word, prepare, strip_bullet,
};
use super::dates::due_date;
use super::{Flag, ImportError, ParsedAction, ParsedMinutes};

/// Reads minutes. Anything uncertain becomes a [`Flag`] on the minutes or the action.
pub fn parse_minutes(text: &str) -> Result<ParsedMinutes, ImportError> {
    let text = prepare(text)?;
    let lines: Vec<String> = text
        .split('\n')
        .map(|l| collapse_ws(&l.replace('\t', " ")))
        .collect();
    let mut flags = Vec::new();

    let title = match agenda_item_title(&lines) {
        Some(t) => t,
        None => {
            flags.push(Flag::new(
                "title",
                "No “Agenda item” heading was found; the first line was used as the title",
            ));
            let first = lines
                .iter()
                .find(|l| !l.is_empty())
                .cloned()
                .unwrap_or_default();
            shorten(&first, 200)
        }
    };

    let mandates = choose_mandates(numbered_lists(&lines), &mut flags);
    let mut actions = actions(&lines);
    for a in &mut actions {
        a.mandate = mandate_named(&a.description, &mandates);
        if a.mandate.is_none() && find_word(&a.description.to_lowercase(), "mandate").is_some() {
            a.flags.push(Flag::new(
                "mandate",
                "The action names a mandate that is not in the list; choose it by hand",
            ));
        }
    }
    if actions.is_empty() {
        flags.push(Flag::new(
            "actions",
            "No actions were found (lines starting “Action –”)",
        ));
    }
    Ok(ParsedMinutes {
        title,
        mandates,
        actions,
        flags,
    })
}

/// The text after "Agenda item" on its line ("Agenda item 5: Delivery Plan"), or the next
/// non-empty line.
fn agenda_item_title(lines: &[String]) -> Option<String> {
    const PREFIX: &str = "agenda item";
    for (i, line) in lines.iter().enumerate() {
        let Some(head) = line.get(..PREFIX.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(PREFIX) {
            continue;
        }
        let rest = &line[PREFIX.len()..];
        if rest.starts_with(char::is_alphabetic) {
            continue; // "Agenda items were…"
        }
        let rest = rest
            .trim_start_matches(|c: char| {
                c.is_ascii_digit()
                    || c.is_whitespace()
                    || matches!(c, '.' | ':' | ')')
                    || is_dash(c)
            })
            .trim();
        if rest.chars().any(char::is_alphabetic) {
            return Some(shorten(rest, 200));
        }
        return lines[i + 1..]
            .iter()
            .find(|l| !l.is_empty())
            .map(|l| shorten(l, 200));
    }
    None
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(p) if p > max / 2 => format!("{}…", &cut[..p]),
        _ => format!("{cut}…"),
    }
}

// ---------------------------------------------------------------------------------------------
// Mandates

struct NumberedList {
    /// The last line of text before the list ("The seven mandates which have been developed are:").
    lead_in: String,
    items: Vec<String>,
}

/// Lists numbered 1, 2, 3… (blank lines between items allowed; a line straight after an item
/// continues it; any other text ends the list).
fn numbered_lists(lines: &[String]) -> Vec<NumberedList> {
    let mut lists = Vec::new();
    let mut current: Option<NumberedList> = None;
    let mut expected = 1;
    let mut after_item = false;
    let mut last_text = String::new();
    for line in lines {
        if line.is_empty() {
            after_item = false;
            continue;
        }
        if let Some((n, rest)) = list_number(line) {
            if n == 1 {
                lists.extend(current.take());
                current = Some(NumberedList {
                    lead_in: last_text.clone(),
                    items: vec![rest.to_string()],
                });
                expected = 2;
                after_item = true;
                continue;
            }
            if let Some(list) = current.as_mut().filter(|_| n == expected) {
                list.items.push(rest.to_string());
                expected += 1;
                after_item = true;
                continue;
            }
        } else if after_item {
            if let Some(item) = current.as_mut().and_then(|l| l.items.last_mut()) {
                item.push(' ');
                item.push_str(line);
                continue;
            }
        }
        lists.extend(current.take());
        after_item = false;
        last_text.clone_from(line);
    }
    lists.extend(current);
    lists
}

fn choose_mandates(lists: Vec<NumberedList>, flags: &mut Vec<Flag>) -> Vec<String> {
    let introduced = |l: &NumberedList| l.lead_in.to_lowercase().contains("mandate");
    let chosen = match lists.iter().position(introduced) {
        Some(i) => Some(i),
        None => {
            let i = lists
                .iter()
                .position(|l| l.items.len() >= 2)
                .or(if lists.is_empty() { None } else { Some(0) });
            if i.is_some() {
                flags.push(Flag::new(
                    "mandates",
                    "The numbered list was not introduced as mandates; check that these are the mandates",
                ));
            }
            i
        }
    };
    let Some(list) = chosen.and_then(|i| lists.into_iter().nth(i)) else {
        flags.push(Flag::new(
            "mandates",
            "No numbered list of mandates was found",
        ));
        return Vec::new();
    };
    let mandates: Vec<String> = list
        .items
        .iter()
        .map(|m| trim_item(m))
        .filter(|m| !m.is_empty())
        .collect();
    if let Some(expected) = announced_count(&list.lead_in) {
        if expected != mandates.len() {
            flags.push(Flag::new(
                "mandates",
                format!(
                    "The minutes announce {expected} mandates but {} were found",
                    mandates.len()
                ),
            ));
        }
    }
    mandates
}

/// "The seven mandates which have been developed are:" → 7.
fn announced_count(lead_in: &str) -> Option<usize> {
    let lower = lead_in.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let at = words
        .iter()
        .position(|w| *w == "mandates" || *w == "mandate")?;
    number_word(words.get(at.checked_sub(1)?)?)
}

/// "Leadership, Organisation and Workforce Development; and" → without the list punctuation.
fn trim_item(item: &str) -> String {
    let mut t = collapse_ws(item);
    loop {
        let before = t.len();
        let lower = t.to_lowercase();
        for suffix in ["; and", ", and", "; or", ", or", ";and", ",and"] {
            if lower.ends_with(suffix) {
                t.truncate(t.len() - suffix.len());
                break;
            }
        }
        t = t
            .trim_end_matches(|c: char| matches!(c, ';' | ',' | '.' | ':') || c.is_whitespace())
            .to_string();
        if t.len() == before {
            return t;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Actions

/// "Action – text", "ACTION: text", "Action point 3 - text" → "text".
fn action_text(line: &str) -> Option<&str> {
    const WORD: &str = "action";
    let head = line.get(..WORD.len())?;
    if !head.eq_ignore_ascii_case(WORD) {
        return None;
    }
    let mut rest = line[WORD.len()..].trim_start();
    if let Some(p) = rest.get(..5).filter(|p| p.eq_ignore_ascii_case("point")) {
        rest = rest[p.len()..].trim_start();
    }
    rest = rest
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
        .trim_start();
    let sep = rest.chars().next()?;
    if sep != ':' && !is_dash(sep) {
        return None;
    }
    Some(rest[sep.len_utf8()..].trim())
}

fn actions(lines: &[String]) -> Vec<ParsedAction> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(first) = action_text(&lines[i]) else {
            i += 1;
            continue;
        };
        let mut raw = vec![lines[i].clone()];
        let mut description = first.to_string();
        i += 1;
        if description.is_empty() {
            // "Action:" with the text on the next line.
            while i < lines.len() && lines[i].is_empty() {
                i += 1;
            }
            if i < lines.len() && action_text(&lines[i]).is_none() {
                description.clone_from(&lines[i]);
                raw.push(lines[i].clone());
                i += 1;
            }
        }
        // Lines straight after it (no blank line) carry on the sentence.
        while i < lines.len()
            && !lines[i].is_empty()
            && action_text(&lines[i]).is_none()
            && strip_bullet(&lines[i]).is_none()
        {
            description.push(' ');
            description.push_str(&lines[i]);
            raw.push(lines[i].clone());
            i += 1;
        }
        out.push(action(description, raw.join("\n")));
    }
    out
}

fn action(description: String, raw: String) -> ParsedAction {
    let mut flags = Vec::new();
    let owner = owner_of(&description);
    if owner.is_none() {
        flags.push(Flag::new(
            "owner",
            "No owner was found (“<who> to <do what>”); enter who owns this action",
        ));
    }
    let due = due_of(&description, &mut flags);
    if description.is_empty() {
        flags.push(Flag::new("description", "The action has no text"));
    }
    ParsedAction {
        description,
        owner,
        due,
        raw,
        mandate: None,
        flags,
    }
}

/// Words that say nothing about which mandate is meant.
const MANDATE_STOP_WORDS: [&str; 12] = [
    "establish",
    "develop",
    "deliver",
    "delivering",
    "embed",
    "a",
    "an",
    "the",
    "and",
    "for",
    "of",
    "in",
];

/// The mandate an action names: the words before "mandate" in the action ("… the working
/// group for the Shared Intelligence system mandate …") hold every telling word of exactly one
/// mandate's title ("Establish a shared intelligence system"), or most of them (at least two)
/// and more than any other.
fn mandate_named(description: &str, mandates: &[String]) -> Option<usize> {
    let lower = description.to_lowercase();
    let before = &lower[..find_word(&lower, "mandate")?];
    let said: Vec<&str> = before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let telling = |title: &str| -> Vec<String> {
        title
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 2 && !MANDATE_STOP_WORDS.contains(w))
            .map(str::to_string)
            .collect()
    };
    let mut best: Option<(usize, usize, usize)> = None; // (index, matched, of)
    let mut tie = false;
    for (i, m) in mandates.iter().enumerate() {
        let words = telling(m);
        let matched = words.iter().filter(|w| said.contains(&w.as_str())).count();
        if matched < 2 || matched * 3 < words.len() * 2 {
            continue;
        }
        match best {
            Some((_, b, _)) if matched < b => {}
            Some((_, b, _)) if matched == b => tie = true,
            _ => {
                best = Some((i, matched, words.len()));
                tie = false;
            }
        }
    }
    if tie {
        return None;
    }
    best.map(|(i, _, _)| i)
}

/// "Executive to advise …" → "Executive": the words before the first "to" that is followed
/// by a verb (a lower-case word), at most eight of them. Failing that, "(Owner: X)".
fn owner_of(description: &str) -> Option<String> {
    let words: Vec<&str> = description.split_whitespace().collect();
    if let Some(at) = words.iter().position(|w| *w == "to") {
        const NOT_VERBS: [&str; 14] = [
            "the", "a", "an", "all", "this", "that", "these", "those", "each", "every", "our",
            "their", "its", "be",
        ];
        let verb = words.get(at + 1).is_some_and(|w| {
            w.chars().next().is_some_and(char::is_lowercase)
                && !NOT_VERBS.contains(&w.to_lowercase().as_str())
        });
        let subject_ok = words
            .first()
            .and_then(|w| w.chars().next())
            .is_some_and(|c| !c.is_lowercase());
        if (1..=8).contains(&at) && verb && subject_ok {
            let mut subject = &words[..at];
            if subject.len() > 1 && subject[0].eq_ignore_ascii_case("the") {
                subject = &subject[1..];
            }
            let owner = subject.join(" ");
            let owner = owner
                .trim_matches(|c: char| matches!(c, ',' | ':' | ';') || is_dash(c))
                .trim();
            if !owner.is_empty() {
                return Some(owner.to_string());
            }
        }
    }
    let lower = description.to_lowercase();
    for label in ["owner:", "lead:", "responsible:"] {
        let Some(pos) = find_word(&lower, label.trim_end_matches(':'))
            .filter(|&p| lower[p..].starts_with(label))
        else {
            continue;
        };
        // `lower` and `description` may differ in length only if lower-casing changed a
        // character's width; fall back to nothing rather than slice badly.
        let rest = description.get(pos + label.len()..)?;
        let name: String = rest
            .chars()
            .take_while(|c| !matches!(c, ')' | ';' | ',' | '.'))
            .collect();
        let name = collapse_ws(&name);
        if !name.is_empty() {
            return Some(name);
        }
    }
    None
}

/// The date after the last " by " that reads as one (trying earlier ones if the last does
/// not: "by 4th May 2018 and report by email").
fn due_of(description: &str, flags: &mut Vec<Flag>) -> Option<jiff::civil::Date> {
    let mut bys = Vec::new();
    for (i, _) in description.char_indices() {
        if description
            .get(i..i + 4)
            .is_some_and(|w| w.eq_ignore_ascii_case(" by "))
        {
            bys.push(i + 4);
        }
    }
    for &at in bys.iter().rev() {
        if let Some((date, exact)) = due_date(&description[at..]) {
            if !exact {
                flags.push(Flag::new(
                    "due",
                    "The due date was given as a month; its last day was used",
                ));
            }
            return Some(date);
        }
    }
    match bys.last() {
        Some(&at) => {
            let written = description[at..].trim();
            flags.push(Flag::new(
                "due",
                format!("The due date “{written}” could not be read; enter it"),
            ));
            None
        }
        None => match due_date(description) {
            Some((date, _)) => {
                flags.push(Flag::new(
                    "due",
                    "A date was found but not after “by”; check it is the due date",
                ));
                Some(date)
            }
            None => {
                flags.push(Flag::new("due", "No due date was found; enter one"));
                None
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn list_items_lose_their_punctuation() {
        assert_eq!(
            trim_item("Leadership, Organisation and Workforce Development; and"),
            "Leadership, Organisation and Workforce Development"
        );
        assert_eq!(
            trim_item("Resilient Communities Plan;"),
            "Resilient Communities Plan"
        );
        assert_eq!(
            trim_item("Develop a Partnership Economic Reform Agenda."),
            "Develop a Partnership Economic Reform Agenda"
        );
        assert_eq!(
            trim_item("Sport and physical activity"),
            "Sport and physical activity"
        );
    }

    #[test]
    fn action_lines() {
        assert_eq!(
            action_text("Action – Executive to advise"),
            Some("Executive to advise")
        );
        assert_eq!(
            action_text("ACTION: CH to circulate"),
            Some("CH to circulate")
        );
        assert_eq!(
            action_text("Action point 3 - CH to circulate"),
            Some("CH to circulate")
        );
        assert_eq!(
            action_text("Action—CH to circulate"),
            Some("CH to circulate")
        );
        assert_eq!(action_text("Actioned at the last meeting"), None);
        assert_eq!(action_text("Action was agreed"), None);
    }

    #[test]
    fn owners_and_due_dates() {
        let a = action(
            "Cath Hudspith and Jo Green to circulate the paper by 04/05/2018".into(),
            String::new(),
        );
        assert_eq!(a.owner.as_deref(), Some("Cath Hudspith and Jo Green"));
        assert_eq!(a.due, Some(date(2018, 5, 4)));
        assert!(a.flags.is_empty());

        let a = action(
            "The Board to note the report by end of June 2019".into(),
            String::new(),
        );
        assert_eq!(a.owner.as_deref(), Some("Board"));
        assert_eq!(a.due, Some(date(2019, 6, 30)));
        assert_eq!(a.flags.len(), 1);

        let a = action(
            "Circulate the slides (Owner: JG) by the next meeting".into(),
            String::new(),
        );
        assert_eq!(a.owner.as_deref(), Some("JG"));
        assert_eq!(a.due, None);
        assert!(a
            .flags
            .iter()
            .any(|f| f.field == "due" && f.message.contains("the next meeting")));

        let a = action(
            "Report back to the group by 1 June 2018 and update members by email".into(),
            String::new(),
        );
        assert_eq!(a.owner, None);
        assert_eq!(a.due, Some(date(2018, 6, 1)));
        assert!(a.flags.iter().any(|f| f.field == "owner"));

        let a = action("All to note".into(), String::new());
        assert_eq!(a.owner.as_deref(), Some("All"));
        assert!(a.flags.iter().any(|f| f.field == "due"));
    }

    #[test]
    fn actions_are_linked_to_the_mandate_they_name() {
        let mandates: Vec<String> = [
            "Integrated Community Wellbeing reform key pathways",
            "Delivering the Out of Hospital strategy in Chorley",
            "Establish a shared intelligence system",
            "Leadership, Organisation and Workforce Development",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let named = |t: &str| mandate_named(t, &mandates);
        assert_eq!(
            named("Executive to advise relevant representative for the working group for the Shared Intelligence system mandate to Cath Hudspith by 4th May 2018"),
            Some(2)
        );
        assert_eq!(
            named("Executive to advise relevant representative for the Leadership, Organisation and Workforce Development mandate to Cath Hudspith"),
            Some(3)
        );
        assert_eq!(
            named("Executive to advise on the shared intelligence system"),
            None,
            "no word mandate"
        );
        assert_eq!(named("Cath to update the housing mandate"), None);
        assert_eq!(
            named("Lead to report on the intelligence mandate"),
            None,
            "one word is not enough"
        );
    }
}
