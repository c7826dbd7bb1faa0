//! The generated Fingertips export of indicator 93015: synthetic districts the demo does not
//! know, every (area, period, sex, age) at most once.

use std::io::Write;

pub(crate) const HEADER: &str = "Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,Lower CI 99.8 limit,Upper CI 99.8 limit,Count,Denominator,Value note,Recent Trend,Compared to England value or percentiles,Compared to North West region value or percentiles,Time period Sortable,New data,Compared to goal";

pub(crate) const AREAS: u64 = 400;
const PERIODS: u64 = 30;
const SEXES: [&str; 3] = ["Persons", "Male", "Female"];
const AGES: [&str; 8] = [
    "16-24 yrs",
    "25-34 yrs",
    "35-44 yrs",
    "45-54 yrs",
    "55-64 yrs",
    "65-74 yrs",
    "75-84 yrs",
    "85+ yrs",
];
/// Every key once: 400 areas × 30 periods × 3 sexes × 8 ages.
pub(crate) const MAX_ROWS: u64 = AREAS * PERIODS * 3 * 8;

/// Synthetic district codes: valid GSS codes (E07, a district) far above the real ones the
/// demo knows (E07000026–E07000128), so each one is new.
pub(crate) fn area_code(n: u64) -> String {
    format!("E07{:06}", 900_000 + n)
}

/// Data row `i` (0-based). The area varies fastest, then the period, the sex and the age, so
/// that every key is distinct for `i < MAX_ROWS` and even a small file has all 400 areas.
pub(crate) fn row(i: u64) -> String {
    let area = i % AREAS + 1;
    let year = 2010 + (i / AREAS) % PERIODS;
    let sex = SEXES[((i / (AREAS * PERIODS)) % 3) as usize];
    let age = AGES[((i / (AREAS * PERIODS * 3)) % 8) as usize];
    // The value in tenths of a percent, 20.0–30.0; the 95% interval ± 2.5.
    let tenths = 200 + (i * 7_919 + 13) % 101;
    let tenth = |t: u64| format!("{}.{}", t / 10, t % 10);
    let denominator = 1_000 + (i * 37) % 3_000;
    let count = denominator * tenths / 1_000;
    format!(
        "93015,Percentage of physically inactive adults,E12000002,North West region,{},\
         Synthetic district {area},Districts & UAs,{sex},{age},,,{year}/{:02},{},{},{},,,\
         {count},{denominator},,,,,,,",
        area_code(area),
        (year + 1) % 100,
        tenth(tenths),
        tenth(tenths - 25),
        tenth(tenths + 25),
    )
}

/// The header and `rows` data rows.
pub(crate) fn write(out: &mut impl Write, rows: u64) -> std::io::Result<()> {
    writeln!(out, "{HEADER}")?;
    for i in 0..rows {
        writeln!(out, "{}", row(i))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_header_and_every_row_have_26_columns() {
        let mut out = Vec::new();
        write(&mut out, 10).expect("write to a Vec");
        let text = String::from_utf8(out).expect("UTF-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 11);
        assert_eq!(lines[0], HEADER);
        for l in &lines {
            assert_eq!(l.split(',').count(), 26, "{l}");
        }
        assert_eq!(
            lines[1],
            "93015,Percentage of physically inactive adults,E12000002,North West region,\
             E07900001,Synthetic district 1,Districts & UAs,Persons,16-24 yrs,,,2010/11,\
             21.3,18.8,23.8,,,213,1000,,,,,,,"
        );
    }

    #[test]
    fn keys_never_repeat_and_values_are_in_their_interval() {
        let mut keys = HashSet::new();
        for i in 0..MAX_ROWS {
            let r = row(i);
            let f: Vec<&str> = r.split(',').collect();
            let key = [f[4], f[11], f[7], f[8]].map(str::to_string);
            assert!(keys.insert(key), "{r}");
            let n = |k: usize| f[k].parse::<f64>().expect("a number");
            assert!(n(13) <= n(12) && n(12) <= n(14) && (20.0..=30.0).contains(&n(12)));
            assert!(n(17) <= n(18));
        }
        let codes: HashSet<String> = keys.into_iter().map(|[code, ..]| code).collect();
        assert_eq!(codes.len() as u64, AREAS);
        assert!(codes.iter().all(|c| c.len() == 9 && c.starts_with("E079")));
        assert!(row(MAX_ROWS - 1).contains("2039/40,"));
    }
}
