//! Citing an item the way a researcher or a commissioner's report would: the item's licence,
//! its original publication date (a year, a month or a day), the authors as they should be
//! cited, and the reference written in APA (7th edition) and Harvard (Cite Them Right) style,
//! and as RIS and BibTeX records for reference managers (Zotero, EndNote, Mendeley).
//!
//! Written here rather than with a citation engine (hayagriva, a CSL processor): every item is
//! one kind of reference (a report or web document by a person or an organisation), so each
//! style is a few lines; the RIS and BibTeX records are read back by independent parsers in
//! the tests.

use std::fmt;

use jiff::civil::Date;

use crate::network::code_enum;

code_enum!(
    /// The licence an item is shared under.
    Licence {
        CcBy = "cc-by-4.0" / "Creative Commons Attribution 4.0 (CC BY 4.0)",
        CcBySa = "cc-by-sa-4.0" / "Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)",
        CcByNc = "cc-by-nc-4.0" / "Creative Commons Attribution-NonCommercial 4.0 (CC BY-NC 4.0)",
        Ogl = "ogl-3.0" / "Open Government Licence v3.0",
        AllRightsReserved = "all-rights-reserved" / "All rights reserved",
    }
);

impl Licence {
    /// The licence's own page, for schema.org's `license` and the item page's link.
    pub fn url(self) -> Option<&'static str> {
        match self {
            Licence::CcBy => Some("https://creativecommons.org/licenses/by/4.0/"),
            Licence::CcBySa => Some("https://creativecommons.org/licenses/by-sa/4.0/"),
            Licence::CcByNc => Some("https://creativecommons.org/licenses/by-nc/4.0/"),
            Licence::Ogl => {
                Some("https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
            }
            Licence::AllRightsReserved => None,
        }
    }
}

/// A publication date as precise as it is known: a year ("2023"), a month ("2023-05") or a
/// day ("2023-05-14").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i16,
    pub month: Option<i8>,
    pub day: Option<i8>,
}

/// The English name of month `m` (1–12), as jiff writes it.
fn month_name(m: i8) -> String {
    jiff::civil::date(2000, m.clamp(1, 12), 1)
        .strftime("%B")
        .to_string()
}

impl PartialDate {
    /// Reads "YYYY", "YYYY-MM" or "YYYY-MM-DD" (a real day), years 1000 to 9999.
    pub fn parse(s: &str) -> Option<PartialDate> {
        let parts: Vec<&str> = s.trim().split('-').collect();
        let number = |p: &str, len: usize| {
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse::<i16>().ok())
                .flatten()
        };
        let year = number(parts.first()?, 4).filter(|y| *y >= 1000)?;
        let month = match parts.get(1) {
            None => None,
            Some(m) => Some(number(m, 2).filter(|m| (1..=12).contains(m))? as i8),
        };
        let day = match parts.get(2) {
            None => None,
            Some(d) => {
                let d = number(d, 2)? as i8;
                Date::new(year, month?, d).ok()?;
                Some(d)
            }
        };
        if parts.len() > 3 {
            return None;
        }
        Some(PartialDate { year, month, day })
    }

    /// Reads a date as people type it: the ISO forms of `parse`, or "May 2023", "14 May
    /// 2023", "14 May, 2023", "05/2023", "14/05/2023" (day first, as in the UK); month names
    /// may be cut to three letters.
    pub fn read(s: &str) -> Option<PartialDate> {
        let s = s.trim();
        if let Some(d) = PartialDate::parse(s) {
            return Some(d);
        }
        let words: Vec<&str> = s
            .split(|c: char| c.is_whitespace() || c == ',' || c == '/' || c == '.')
            .filter(|w| !w.is_empty())
            .collect();
        let month_of = |w: &str| -> Option<i8> {
            let w = w.to_lowercase();
            if let Ok(n) = w.parse::<i8>() {
                return (1..=12).contains(&n).then_some(n);
            }
            (1..=12).find(|m| w.len() >= 3 && month_name(*m).to_lowercase().starts_with(&w))
        };
        let (day, month, year) = match words.as_slice() {
            [m, y] => (None, month_of(m)?, *y),
            [d, m, y] => (Some(d.parse::<i8>().ok()?), month_of(m)?, *y),
            _ => return None,
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let iso = match day {
            Some(d) => format!("{year}-{month:02}-{d:02}"),
            None => format!("{year}-{month:02}"),
        };
        PartialDate::parse(&iso)
    }

    /// The day of an instant's calendar date (for items without an original date).
    pub fn of_day(d: Date) -> PartialDate {
        PartialDate {
            year: d.year(),
            month: Some(d.month()),
            day: Some(d.day()),
        }
    }

    fn month_name(self) -> Option<String> {
        self.month.map(month_name)
    }
}

impl serde::Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for PartialDate {
    /// The ISO form it was read from.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// How one author is named in a reference: "Surname, Given names", or as written when the
/// name is an organisation's or was entered as it should be cited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedName {
    pub family: String,
    pub given: String,
}

impl CitedName {
    /// "Surname, Given" is taken as written; "Given Surname" is split at the last space; a
    /// single word is a family name alone (an organisation, or a mononym).
    pub fn read(name: &str) -> CitedName {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some((family, given)) = name.split_once(',') {
            return CitedName {
                family: family.trim().to_string(),
                given: given.trim().to_string(),
            };
        }
        match name.rsplit_once(' ') {
            Some((given, family)) => CitedName {
                family: family.to_string(),
                given: given.to_string(),
            },
            None => CitedName {
                family: name,
                given: String::new(),
            },
        }
    }

    /// Initials of the given names: "Anna Jane" → "A. J."; already-initialled names stay.
    fn initials(&self) -> String {
        self.given
            .split([' ', '.'])
            .filter(|p| !p.is_empty())
            .map(|p| {
                // "Jean-Paul" → "J.-P."
                p.split('-')
                    .filter_map(|q| q.chars().next())
                    .map(|c| format!("{}.", c.to_uppercase()))
                    .collect::<Vec<_>>()
                    .join("-")
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// "Smith, A. J." (APA and Harvard).
    fn short(&self) -> String {
        let i = self.initials();
        if i.is_empty() {
            self.family.clone()
        } else {
            format!("{}, {i}", self.family)
        }
    }

    /// "Smith, Anna Jane" (RIS and BibTeX keep the whole name).
    fn full(&self) -> String {
        if self.given.is_empty() {
            self.family.clone()
        } else {
            format!("{}, {}", self.family, self.given)
        }
    }
}

/// Everything a reference to one item needs.
#[derive(Debug, Clone)]
pub struct Citation {
    /// The authors as they should be cited; none means the organisation is the author.
    pub authors: Vec<CitedName>,
    pub organisation: String,
    pub title: String,
    /// The kind of document, e.g. "Case study".
    pub kind: String,
    pub date: PartialDate,
    pub url: String,
    /// The day the reference is made (Harvard's "Accessed").
    pub accessed: Date,
    pub licence: Option<Licence>,
    pub summary: String,
    pub keywords: Vec<String>,
    /// A stable key for BibTeX, e.g. the item's id.
    pub key: String,
}

/// Joins names the APA way: "A", "A, & B", "A, B, & C" (up to 20).
fn apa_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{}, & {last}", rest.join(", ")),
    }
}

/// Joins names the Harvard way: "A", "A and B", "A, B and C".
fn harvard_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Ends a sentence with a full stop unless it ends with punctuation already.
fn stop(s: &str) -> String {
    if s.ends_with(['.', '?', '!']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// Text safe on one RIS line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text safe inside a BibTeX field's braces. BibTeX counts every brace, escaped or not, so
/// typed braces become `\textbraceleft{}` and `\textbraceright{}` (the field can then never
/// be closed early), and the characters TeX gives meaning to are escaped.
fn bibtex_text(s: &str) -> String {
    let mut out = String::new();
    for c in one_line(s).chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            _ => out.push(c),
        }
    }
    out
}

impl Citation {
    fn author_names_short(&self) -> Vec<String> {
        self.authors.iter().map(CitedName::short).collect()
    }

    /// APA 7th edition, for a report or web document: "Smith, A., & Jones, B. (2023, May
    /// 14). *Title* [Case study]. Organisation. URL". The title is returned plain: `apa_parts`
    /// gives it apart, for pages that set it in italics.
    pub fn apa(&self) -> String {
        let (before, title, after) = self.apa_parts();
        format!("{before}{title}{after}")
    }

    /// APA in three parts: what comes before the title, the title (italic in print), and what
    /// follows it.
    pub fn apa_parts(&self) -> (String, String, String) {
        let date = match (self.date.month_name(), self.date.day) {
            (Some(m), Some(d)) => format!("{}, {m} {d}", self.date.year),
            (Some(m), None) => format!("{}, {m}", self.date.year),
            _ => self.date.year.to_string(),
        };
        let names = self.author_names_short();
        // An organisation as author is named once, first; not again as publisher.
        let (who, publisher) = if names.is_empty() {
            (self.organisation.clone(), String::new())
        } else {
            (apa_names(&names), format!(" {}", stop(&self.organisation)))
        };
        let before = format!("{} ({date}). ", stop(&who));
        let after = format!(" [{}].{publisher} {}", self.kind, self.url);
        (before, self.title.clone(), after)
    }

    /// Harvard (Cite Them Right): "Smith, A. and Jones, B. (2023) Title [Case study].
    /// Organisation. Available at: URL (Accessed: 7 December 2026)."
    pub fn harvard(&self) -> String {
        let names = self.author_names_short();
        let (who, publisher) = if names.is_empty() {
            (self.organisation.clone(), String::new())
        } else {
            (
                harvard_names(&names),
                format!(" {}", stop(&self.organisation)),
            )
        };
        let accessed = self.accessed.strftime("%-d %B %Y").to_string();
        format!(
            "{who} ({}) {} [{}].{publisher} Available at: {} (Accessed: {accessed}).",
            self.date.year, self.title, self.kind, self.url
        )
    }

    /// A RIS record (type RPRT), lines ending CRLF as the format asks.
    pub fn ris(&self) -> String {
        let mut lines = vec![("TY", "RPRT".to_string())];
        if self.authors.is_empty() {
            lines.push(("AU", one_line(&self.organisation)));
        }
        for a in &self.authors {
            lines.push(("AU", one_line(&a.full())));
        }
        lines.push(("TI", one_line(&self.title)));
        lines.push(("PY", self.date.year.to_string()));
        let da = format!(
            "{:04}/{}/{}/",
            self.date.year,
            self.date
                .month
                .map(|m| format!("{m:02}"))
                .unwrap_or_default(),
            self.date.day.map(|d| format!("{d:02}")).unwrap_or_default()
        );
        lines.push(("DA", da));
        lines.push(("PB", one_line(&self.organisation)));
        lines.push(("M3", one_line(&self.kind)));
        if !self.summary.trim().is_empty() {
            lines.push(("AB", one_line(&self.summary)));
        }
        for k in &self.keywords {
            lines.push(("KW", one_line(k)));
        }
        lines.push(("UR", self.url.clone()));
        let y = self.accessed.year();
        let m = self.accessed.month();
        let d = self.accessed.day();
        lines.push(("Y2", format!("{y:04}/{m:02}/{d:02}")));
        if let Some(l) = self.licence {
            lines.push(("N1", format!("Licence: {}", l.label())));
        }
        lines.push(("ER", String::new()));
        let mut out = String::new();
        for (tag, value) in lines {
            out.push_str(tag);
            out.push_str("  - ");
            out.push_str(&value);
            out.push_str("\r\n");
        }
        out
    }

    /// A BibTeX `@techreport` entry.
    pub fn bibtex(&self) -> String {
        let author = if self.authors.is_empty() {
            // Braced, so that BibTeX does not take the organisation's last word as a surname.
            format!("{{{}}}", bibtex_text(&self.organisation))
        } else {
            self.authors
                .iter()
                .map(|a| {
                    let name = bibtex_text(&a.full());
                    // "and" inside a name would split it into two authors: braced, it stays one.
                    if name.to_lowercase().split_whitespace().any(|w| w == "and") {
                        format!("{{{name}}}")
                    } else {
                        name
                    }
                })
                .collect::<Vec<_>>()
                .join(" and ")
        };
        let mut fields = vec![
            ("author", author),
            ("title", format!("{{{}}}", bibtex_text(&self.title))),
            ("institution", bibtex_text(&self.organisation)),
            ("type", bibtex_text(&self.kind)),
            ("year", self.date.year.to_string()),
        ];
        if let Some(m) = self.date.month {
            fields.push(("month", m.to_string()));
        }
        fields.push(("url", self.url.clone()));
        fields.push(("urldate", crate::dates::iso(self.accessed)));
        if let Some(l) = self.licence {
            fields.push(("note", format!("Licence: {}", bibtex_text(l.label()))));
        }
        if !self.keywords.is_empty() {
            fields.push(("keywords", bibtex_text(&self.keywords.join(", "))));
        }
        let key: String = self
            .key
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let mut out = format!("@techreport{{lz-{key},\n");
        for (name, value) in fields {
            out.push_str(&format!("  {name} = {{{value}}},\n"));
        }
        out.push_str("}\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn citation(authors: &[&str]) -> Citation {
        Citation {
            authors: authors.iter().map(|a| CitedName::read(a)).collect(),
            organisation: "Active Lancashire".into(),
            title: "Walking out of hospital: what we learned".into(),
            kind: "Case study".into(),
            date: PartialDate::parse("2023-05-14").expect("date"),
            url: "https://lz.example/library/abc".into(),
            accessed: Date::new(2026, 12, 7).expect("day"),
            licence: Some(Licence::CcBy),
            summary: "A summary.".into(),
            keywords: vec!["Health".into()],
            key: "abc".into(),
        }
    }

    #[test]
    fn partial_dates_are_a_year_a_month_or_a_real_day() {
        for ok in ["2023", "2023-05", "2023-05-14", "2024-02-29"] {
            let d = PartialDate::parse(ok).unwrap_or_else(|| panic!("{ok}"));
            assert_eq!(d.to_string(), ok);
        }
        for bad in [
            "",
            "23",
            "2023-5",
            "2023-13",
            "2023-02-30",
            "2023-05-14-1",
            "999",
            "2023-00",
            "May 2023",
            "2023/05",
            "+2023",
            "2023-05-",
        ] {
            assert_eq!(PartialDate::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_are_read_as_people_type_them() {
        for (typed, iso) in [
            ("2023", "2023"),
            ("May 2023", "2023-05"),
            ("14 May 2023", "2023-05-14"),
            ("14 may, 2023", "2023-05-14"),
            ("Sept 2023", "2023-09"),
            ("05/2023", "2023-05"),
            ("14/05/2023", "2023-05-14"),
        ] {
            assert_eq!(
                PartialDate::read(typed).map(|d| d.to_string()).as_deref(),
                Some(iso),
                "{typed}"
            );
        }
        for bad in [
            "30 February 2023",
            "Ma 2023",
            "14 Smarch 2023",
            "1/2/3/4",
            "yesterday",
            "13/2023",
            "May 2023-05",
            "5 May 23",
        ] {
            assert_eq!(PartialDate::read(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_are_read_as_people_write_them() {
        assert_eq!(CitedName::read("Anna Jane Smith").short(), "Smith, A. J.");
        assert_eq!(CitedName::read("Smith, Anna").full(), "Smith, Anna");
        assert_eq!(CitedName::read("Jean-Paul Sartre").short(), "Sartre, J.-P.");
        assert_eq!(CitedName::read("Smith, A. J.").short(), "Smith, A. J.");
        assert_eq!(CitedName::read("Sport England").short(), "England, S.");
        assert_eq!(CitedName::read("Plato").short(), "Plato");
    }

    #[test]
    fn apa_and_harvard_read_as_the_styles_ask() {
        let c = citation(&["Anna Smith", "Bilal Khan", "Chris Doe"]);
        assert_eq!(
            c.apa(),
            "Smith, A., Khan, B., & Doe, C. (2023, May 14). Walking out of hospital: what we \
             learned [Case study]. Active Lancashire. https://lz.example/library/abc"
        );
        assert_eq!(
            c.harvard(),
            "Smith, A., Khan, B. and Doe, C. (2023) Walking out of hospital: what we learned \
             [Case study]. Active Lancashire. Available at: https://lz.example/library/abc \
             (Accessed: 7 December 2026)."
        );
        let org = citation(&[]);
        assert!(
            org.apa()
                .starts_with("Active Lancashire. (2023, May 14). Walking"),
            "{}",
            org.apa()
        );
        assert!(
            !org.apa().contains("]. Active Lancashire."),
            "{}",
            org.apa()
        );
    }

    #[test]
    fn ris_and_bibtex_records_carry_every_field_safely() {
        let mut c = citation(&["Anna Smith"]);
        c.title = "100% {braces} & $money_#1 \\ ~^\nnew line".into();
        let ris = c.ris();
        assert!(ris.starts_with("TY  - RPRT\r\n") && ris.ends_with("ER  - \r\n"));
        assert!(ris.contains("AU  - Smith, Anna\r\n"));
        assert!(ris.contains("DA  - 2023/05/14/\r\n"));
        assert_eq!(ris.matches("\r\n").count(), ris.lines().count());
        let bib = c.bibtex();
        assert!(bib.starts_with("@techreport{lz-abc,\n"));
        assert!(
            bib.contains(
                "title = {{100\\% \\textbraceleft{}braces\\textbraceright{} \\& \\$money\\_\\#1 \\textbackslash{} \\textasciitilde{}\\textasciicircum{} new line}}"
            ),
            "{bib}"
        );
        assert_eq!(bib.matches('{').count(), bib.matches('}').count(), "{bib}");
        // A typed closing brace cannot end the field early and add a field of its own, and a
        // name with "and" in it stays one author.
        c.title = "Results}}, note = {x".into();
        c.authors = vec![CitedName::read("Spencer, Marks and Co")];
        let bib = c.bibtex();
        assert!(!bib.contains("note = {x"), "{bib}");
        assert!(bib.contains("author = {{Spencer, Marks and Co}},"), "{bib}");
    }
}
