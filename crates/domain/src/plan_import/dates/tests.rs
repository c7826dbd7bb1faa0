use super::*;
use jiff::civil::date;

fn range(text: &str) -> (Option<Date>, Option<Date>) {
    let r = parse_date_range(text);
    (r.start, r.end)
}

#[test]
fn the_seed_plans_date_cells() {
    assert_eq!(
        range("Sept 2026 to March 2027 (Subject top funding)"),
        (Some(date(2026, 9, 1)), Some(date(2027, 3, 31)))
    );
    assert_eq!(
        range("April 2026 – scoping.\n\nNW workshop – July2026.\n\nSupport to AP areas – July to Sept 2026"),
        (Some(date(2026, 4, 1)), Some(date(2026, 9, 30)))
    );
    assert_eq!(
        range("Events to take place in July, September and Nov 2026."),
        (Some(date(2026, 7, 1)), Some(date(2026, 11, 30)))
    );
    assert_eq!(
        range("Start May 2026 and delivered by September 2026."),
        (Some(date(2026, 5, 1)), Some(date(2026, 9, 30)))
    );
}

#[test]
fn quarters_financial_years_seasons_and_years() {
    assert_eq!(
        range("Q3 2026"),
        (Some(date(2026, 7, 1)), Some(date(2026, 9, 30)))
    );
    assert_eq!(
        range("2026/27"),
        (Some(date(2026, 4, 1)), Some(date(2027, 3, 31)))
    );
    assert_eq!(
        range("2026-27"),
        (Some(date(2026, 4, 1)), Some(date(2027, 3, 31)))
    );
    assert_eq!(
        range("FY26/27"),
        (Some(date(2026, 4, 1)), Some(date(2027, 3, 31)))
    );
    assert_eq!(
        range("Q4 2026/27"),
        (Some(date(2027, 1, 1)), Some(date(2027, 3, 31)))
    );
    assert_eq!(
        range("Q1 2026/27"),
        (Some(date(2026, 4, 1)), Some(date(2026, 6, 30)))
    );
    assert_eq!(
        range("Winter 2026"),
        (Some(date(2026, 12, 1)), Some(date(2027, 2, 28)))
    );
    assert_eq!(
        range("During 2027"),
        (Some(date(2027, 1, 1)), Some(date(2027, 12, 31)))
    );
    assert_eq!(
        range("July to September in 2026"),
        (Some(date(2026, 7, 1)), Some(date(2026, 9, 30)))
    );
}

#[test]
fn months_without_years() {
    assert_eq!(
        range("Dec to Feb 2027"),
        (Some(date(2026, 12, 1)), Some(date(2027, 2, 28)))
    );
    assert_eq!(
        range("Sept 2026 to March"),
        (Some(date(2026, 9, 1)), Some(date(2027, 3, 31)))
    );
    assert_eq!(
        range("January and February 2028"),
        (Some(date(2028, 1, 1)), Some(date(2028, 2, 29)))
    );
    let r = parse_date_range("July to September");
    assert!(!r.understood);
    assert_eq!((r.start, r.end), (None, None));
}

#[test]
fn spellings() {
    for text in [
        "sept 2026",
        "SEPT 2026",
        "Sep 2026",
        "September 2026",
        "Sept. 2026",
        "Sept '26",
        "Sept 26",
        "Sept2026",
    ] {
        assert_eq!(
            range(text),
            (Some(date(2026, 9, 1)), Some(date(2026, 9, 30))),
            "{text}"
        );
    }
    assert_eq!(
        range("1st Sept 2026 – 31st March 2027"),
        (Some(date(2026, 9, 1)), Some(date(2027, 3, 31)))
    );
    assert_eq!(
        range("01/09/2026 to 2027-03-15"),
        (Some(date(2026, 9, 1)), Some(date(2027, 3, 15)))
    );
    assert_eq!(
        range("April\u{2013}June 2026"),
        (Some(date(2026, 4, 1)), Some(date(2026, 6, 30)))
    );
}

#[test]
fn open_ended_and_one_sided() {
    let r = parse_date_range("from June 2026, ongoing");
    assert_eq!(
        r,
        DateRange {
            start: Some(date(2026, 6, 1)),
            end: None,
            end_open: true,
            understood: true
        }
    );
    let r = parse_date_range("Ongoing");
    assert!(r.end_open && !r.understood);
    let r = parse_date_range("To be completed by March 2027");
    assert_eq!((r.start, r.end), (None, Some(date(2027, 3, 31))));
    let r = parse_date_range("From April 2026 to March 2027");
    assert_eq!(
        (r.start, r.end),
        (Some(date(2026, 4, 1)), Some(date(2027, 3, 31)))
    );
    assert!(!r.end_open);
}

#[test]
fn may_and_march_as_ordinary_words() {
    assert_eq!(
        range("This may start in June 2026"),
        (Some(date(2026, 6, 1)), None)
    );
    assert_eq!(
        range("May take until June 2026"),
        (None, Some(date(2026, 6, 30)))
    );
    assert_eq!(
        range("May to July 2026"),
        (Some(date(2026, 5, 1)), Some(date(2026, 7, 31)))
    );
    assert_eq!(
        range("Workshops in May and June 2026"),
        (Some(date(2026, 5, 1)), Some(date(2026, 6, 30)))
    );
}

#[test]
fn nothing_understood() {
    for text in [
        "",
        "TBC",
        "(Subject top funding)",
        "When funding allows",
        "6 workshops in total",
        "£2026",
    ] {
        let r = parse_date_range(text);
        assert!(!r.understood, "{text}");
        assert_eq!((r.start, r.end), (None, None), "{text}");
    }
}

#[test]
fn due_dates() {
    for text in [
        "4th May 2018",
        "4 May 2018",
        "04/05/2018",
        "4/5/18",
        "2018-05-04",
        "May 4, 2018",
        "4th of May, 2018",
        "by 4th May 2018",
    ] {
        assert_eq!(parse_due_date(text), Some(date(2018, 5, 4)), "{text}");
    }
    assert_eq!(parse_due_date("end of May 2018"), Some(date(2018, 5, 31)));
    assert_eq!(due_date("May 2018"), Some((date(2018, 5, 31), false)));
    assert_eq!(parse_due_date("the next meeting"), None);
    assert_eq!(parse_due_date("4th May"), None);
    assert_eq!(parse_due_date("31/02/2018"), None);
}
