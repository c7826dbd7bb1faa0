//! The GOV.UK date input posts a day as three fields, `<name>-day`, `<name>-month` and
//! `<name>-year`. Forms are read after joining them into one `<name>` field, "day/month/year"
//! (empty when all three are), so that the app reads a date the same way from the page, from
//! a single box and from the API (`lz_domain::dates::read_day`), and names the field in its
//! error. A field posted under its own name as well as in parts keeps the parts.

use std::borrow::Cow;
use std::collections::BTreeMap;

const PARTS: [&str; 3] = ["-day", "-month", "-year"];

/// The form body with date parts joined; the body itself when it has none.
pub fn join_date_parts(body: &[u8]) -> Cow<'_, [u8]> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    let part_of = |key: &str| -> Option<(String, usize)> {
        PARTS.iter().enumerate().find_map(|(i, suffix)| {
            key.strip_suffix(suffix)
                .filter(|name| !name.is_empty())
                .map(|name| (name.to_string(), i))
        })
    };
    let mut dates: BTreeMap<String, [String; 3]> = BTreeMap::new();
    for (k, v) in &pairs {
        if let Some((name, i)) = part_of(k) {
            dates.entry(name).or_default()[i] = v.trim().to_string();
        }
    }
    if dates.is_empty() {
        return Cow::Borrowed(body);
    }
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        let joined_elsewhere = dates.contains_key(k.as_str());
        if part_of(k).is_none() && !joined_elsewhere {
            out.append_pair(k, v);
        }
    }
    for (name, [d, m, y]) in &dates {
        let value = if d.is_empty() && m.is_empty() && y.is_empty() {
            String::new()
        } else {
            format!("{d}/{m}/{y}")
        };
        out.append_pair(name, &value);
    }
    Cow::Owned(out.finish().into_bytes())
}

/// A day's value split for the three boxes: "2027-02-12" as ("12", "2", "2027"); a joined
/// "12//27" as typed ("12", "", "27"); anything else in the day box, so nothing typed is lost.
pub fn date_parts(value: &str) -> [String; 3] {
    if let Some(d) = lz_domain::dates::parse_iso_date(value) {
        return [
            d.day().to_string(),
            d.month().to_string(),
            d.year().to_string(),
        ];
    }
    let parts: Vec<&str> = value.split('/').collect();
    match parts.as_slice() {
        [d, m, y] => [d.to_string(), m.to_string(), y.to_string()],
        _ => [value.to_string(), String::new(), String::new()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(body: &str) -> String {
        String::from_utf8(join_date_parts(body.as_bytes()).into_owned()).expect("utf-8")
    }

    #[test]
    fn parts_are_joined_day_first_and_other_fields_kept() {
        assert_eq!(
            joined("title=A+b&start_date-day=12&start_date-month=2&start_date-year=2027&terms=x&terms=y"),
            "title=A+b&terms=x&terms=y&start_date=12%2F2%2F2027"
        );
        assert_eq!(joined("end-day=&end-month=&end-year="), "end=");
        assert_eq!(joined("due-day=3&due-year=2027"), "due=3%2F%2F2027");
        assert_eq!(joined("a=1&b=2"), "a=1&b=2");
        // A stray whole field beside its parts does not win over them.
        assert_eq!(
            joined("d=2020-01-01&d-day=1&d-month=2&d-year=2027"),
            "d=1%2F2%2F2027"
        );
        // "-day" alone is not a date part of a field with no name.
        assert_eq!(joined("-day=1"), "-day=1");
    }

    #[test]
    fn values_split_back_into_the_boxes() {
        assert_eq!(date_parts("2027-02-12"), ["12", "2", "2027"]);
        assert_eq!(date_parts("12//27"), ["12", "", "27"]);
        assert_eq!(date_parts(""), ["", "", ""]);
        assert_eq!(date_parts("next week"), ["next week", "", ""]);
    }
}
