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
