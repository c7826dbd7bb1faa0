//! Before the table: title, cluster, lead applicant.

use super::*;

pub(super) fn preamble_fields(text: &str) -> (Option<String>, Option<String>, Option<String>) {
    let lines: Vec<String> = text
        .split('\n')
        .map(collapse_ws)
        .filter(|l| !l.is_empty())
        .collect();
    let mut title = None;
    let mut cluster = None;
    let mut lead_applicant = None;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        i += 1;
        let Some((key, value)) = line
            .split_once(':')
            .filter(|(k, _)| k.split_whitespace().count() <= 5)
        else {
            if title.is_none() {
                title = Some(trim_trailing_punct(line));
            }
            continue;
        };
        let key = key.to_lowercase();
        let mut value = value.trim().to_string();
        let field = if key.contains("cluster") {
            &mut cluster
        } else if key.contains("applicant")
            || key.contains("lead organisation")
            || key.contains("lead organization")
        {
            &mut lead_applicant
        } else {
            const META: [&str; 10] = [
                "urn",
                "ref",
                "reference",
                "version",
                "date",
                "updated",
                "author",
                "prepared",
                "submitted",
                "contact",
            ];
            if !META.iter().any(|m| find_word(&key, m).is_some()) && title.is_none() {
                title = Some(trim_trailing_punct(line));
            }
            continue;
        };
        // "Cluster Name:" with the name in the next cell.
        if value.is_empty() && lines.get(i).is_some_and(|next| !next.contains(':')) {
            value = lines[i].clone();
            i += 1;
        }
        if !value.is_empty() && field.is_none() {
            *field = Some(value);
        }
    }
    (title.filter(|t| !t.is_empty()), cluster, lead_applicant)
}
