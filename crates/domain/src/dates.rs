//! Calendar dates and instants as the product writes them (jiff underneath): ISO 8601 days
//! ("2026-09-01") in forms and the database, RFC 3339 instants in feeds and the JSON API.

use jiff::civil::Date;
use jiff::Timestamp;

/// A day written as `YYYY-MM-DD` (four, two and two digits; the year may carry a sign, as
/// the `time` crate's `[year]` allowed) that exists. Anything else — "2026-9-1", "20260901",
/// "2026-02-30", a date with a time — is `None`.
pub fn parse_iso_date(s: &str) -> Option<Date> {
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let b = rest.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    let year: i16 = rest[0..4].parse().ok()?;
    let month = rest[5..7].parse().ok()?;
    let day = rest[8..10].parse().ok()?;
    Date::new(if negative { -year } else { year }, month, day).ok()
}

/// A day as a person types it, read the way the GOV.UK date pattern asks: the date input's
/// three boxes arrive joined as "day/month/year" (parts may be empty), and a single box may
/// hold "12/2/2027", "12-02-2027", "12.2.2027", "12 Feb 2027", "12 February 2027" or ISO
/// "2027-02-12". Day first, as in the UK. The error names the field (`label`, capitalised,
/// e.g. "Start date") and says what is wrong, in GOV.UK's words.
pub fn read_day(text: &str, label: &str) -> Result<Date, String> {
    let text = text.trim();
    if let Some(d) = parse_iso_date(text) {
        return Ok(d);
    }
    let parts: Vec<&str> = if text.contains('/') {
        text.split('/').map(str::trim).collect()
    } else {
        text.split(|c: char| c == '-' || c == '.' || c == ',' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .collect()
    };
    if parts.iter().all(|p| p.is_empty()) {
        return Err(format!("Enter the {}", label.to_lowercase()));
    }
    if parts.len() != 3 {
        return Err(format!(
            "{label} must be a real date, like 12 2 2027 (day, month and year)"
        ));
    }
    let missing: Vec<&str> = ["day", "month", "year"]
        .into_iter()
        .zip(&parts)
        .filter(|(_, p)| p.is_empty())
        .map(|(name, _)| name)
        .collect();
    match missing.as_slice() {
        [] => {}
        [one] => return Err(format!("{label} must include a {one}")),
        [a, b] => return Err(format!("{label} must include a {a} and a {b}")),
        _ => return Err(format!("Enter the {}", label.to_lowercase())),
    }
    let day: i8 = parts[0]
        .parse()
        .map_err(|_| format!("{label} must be a real date"))?;
    let month = month_number(parts[1]).ok_or_else(|| format!("{label} must be a real date"))?;
    if parts[2].len() != 4 || !parts[2].bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "The year of the {} must include 4 numbers",
            label.to_lowercase()
        ));
    }
    let year: i16 = parts[2]
        .parse()
        .map_err(|_| format!("{label} must be a real date"))?;
    Date::new(year, month, day).map_err(|_| format!("{label} must be a real date"))
}

/// "2", "02", "feb", "February" as 2.
fn month_number(text: &str) -> Option<i8> {
    if let Ok(n) = text.parse::<i8>() {
        return (1..=12).contains(&n).then_some(n);
    }
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = text.to_lowercase();
    let lower = lower.trim_end_matches('.');
    NAMES
        .iter()
        .position(|name| {
            *name == lower
                || (lower.len() >= 3 && name.starts_with(lower))
                || (lower == "sept" && *name == "september")
        })
        .and_then(|i| i8::try_from(i + 1).ok())
}

/// `d` as the product stores days: "2027-02-12".
pub fn iso(d: Date) -> String {
    // Four digits after the sign, so that `parse_iso_date` reads a negative year back
    // ("{:04}" counts the sign: -5 would be "-005").
    let sign = if d.year() < 0 { "-" } else { "" };
    format!(
        "{sign}{:04}-{:02}-{:02}",
        d.year().unsigned_abs(),
        d.month(),
        d.day()
    )
}

/// The UTC instant `secs` seconds after 1970 as RFC 3339 ("2026-11-23T10:51:00Z"), or `None`
/// outside the years 0000–9999 that RFC 3339 can write.
pub fn rfc3339(secs: i64) -> Option<String> {
    let t = Timestamp::from_second(secs).ok()?;
    let year = t.to_zoned(jiff::tz::TimeZone::UTC).year();
    (0..=9999).contains(&year).then(|| t.to_string())
}

/// The UTC calendar day of the instant `secs` seconds after 1970.
pub fn utc_date(secs: i64) -> Option<Date> {
    let t = Timestamp::from_second(secs).ok()?;
    Some(t.to_zoned(jiff::tz::TimeZone::UTC).date())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn iso_dates_are_read_strictly() {
        assert_eq!(parse_iso_date("2026-09-01"), Some(date(2026, 9, 1)));
        assert_eq!(parse_iso_date("2028-02-29"), Some(date(2028, 2, 29)));
        assert_eq!(parse_iso_date("+2026-09-01"), Some(date(2026, 9, 1)));
        for bad in [
            "2026-9-1",
            "20260901",
            "2026-02-30",
            "2026-13-01",
            "2026-09-01T10:00",
            " 2026-09-01",
            "",
            "+-2026-09-01",
            "２０２６-09-01",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_are_read_as_people_type_them() {
        let feb12 = date(2027, 2, 12);
        for ok in [
            "2027-02-12",
            "12/02/2027",
            "12/2/2027",
            " 12 / 2 / 2027 ",
            "12-02-2027",
            "12.2.2027",
            "12 Feb 2027",
            "12 february 2027",
            "12 FEB. 2027",
            "12, Feb 2027",
        ] {
            assert_eq!(read_day(ok, "Start date"), Ok(feb12), "{ok}");
        }
        assert_eq!(read_day("30 Sept 2027", "Due date"), Ok(date(2027, 9, 30)));
        let err = |t: &str| read_day(t, "Start date").expect_err(t);
        assert_eq!(err(""), "Enter the start date");
        assert_eq!(err("//"), "Enter the start date");
        assert_eq!(err("12//2027"), "Start date must include a month");
        assert_eq!(err("/2/"), "Start date must include a day and a year");
        assert_eq!(err("31/2/2027"), "Start date must be a real date");
        assert_eq!(err("12/13/2027"), "Start date must be a real date");
        assert_eq!(
            err("12/2/27"),
            "The year of the start date must include 4 numbers"
        );
        assert_eq!(
            err("tomorrow"),
            "Start date must be a real date, like 12 2 2027 (day, month and year)"
        );
        assert_eq!(err("12/Fe/2027"), "Start date must be a real date");
        assert_eq!(err("x/2/2027"), "Start date must be a real date");
        assert_eq!(iso(feb12), "2027-02-12");
    }

    #[test]
    fn instants_are_rfc3339_in_utc() {
        assert_eq!(rfc3339(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(
            rfc3339(1_795_431_060).as_deref(),
            Some("2026-11-23T10:51:00Z")
        );
        assert_eq!(rfc3339(-62_167_219_201), None);
        assert_eq!(utc_date(1_795_431_060), Some(date(2026, 11, 23)));
    }
}
