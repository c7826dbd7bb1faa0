//! The real Fingertips rows from DOMAIN.md, the template, the IoD sheet, every flag, and
//! hostile input.

use super::*;
use jiff::civil::date;

const FINGERTIPS_HEADER: &str = "Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,Lower CI 99.8 limit,Upper CI 99.8 limit,Count,Denominator,Value note,Recent Trend,Compared to England value or percentiles,Compared to North West region value or percentiles,Time period Sortable,New data,Compared to goal";

/// Values and comparisons as published (DOMAIN.md section 4); the intervals, counts and
/// denominators are made up around them for the test.
const FINGERTIPS_ROWS: [&str; 4] = [
    "93015,Percentage of physically inactive adults,,,E92000001,England,England,Persons,19+ yrs,,,2018/19,21.4,21.2,21.6,21.1,21.7,38000,177000,,,Not compared,Not compared,20180000,,",
    "93015,Percentage of physically inactive adults,E12000002,North West region,E06000009,Blackpool,County & UA (4/23),Persons,19+ yrs,,,2018/19,26.8,23.0,30.9,21.5,32.5,140,522,,,Worse,Worse,20180000,,",
    "93015,Percentage of physically inactive adults,E10000017,Lancashire,E07000117,Burnley,District & UA (4/23),Persons,19+ yrs,,,2018/19,29.5,25.6,33.7,24.1,35.4,168,571,,,Worse,Worse,20180000,,",
    "93015,Percentage of physically inactive adults,E10000017,Lancashire,E07000118,Chorley,District & UA (4/23),Persons,19+ yrs,,,2018/19,23.4,19.9,27.3,18.6,28.9,120,513,,,Similar,Similar,20180000,,",
];

fn cells(line: &str) -> Vec<String> {
    line.split(',').map(str::to_string).collect()
}

/// Reads a CSV given as lines (no quoted commas), numbering rows as a file would: the
/// heading is line 1.
fn read(lines: &[&str]) -> Parsed {
    read_cells(&lines.iter().map(|l| cells(l)).collect::<Vec<_>>())
}

fn read_cells(rows: &[Vec<String>]) -> Parsed {
    let mut reader = TableReader::new(&rows[0]).unwrap();
    for (i, row) in rows[1..].iter().enumerate() {
        reader.push(i as u64 + 2, row).unwrap();
    }
    reader.finish()
}

fn fingertips(rows: &[&str]) -> Parsed {
    let mut lines = vec![FINGERTIPS_HEADER];
    lines.extend_from_slice(rows);
    read(&lines)
}

/// A Fingertips row for an imaginary indicator 90000, with the fields tests vary.
fn ft_row(
    code: &str,
    name: &str,
    period: &str,
    value: &str,
    lo: &str,
    hi: &str,
    note: &str,
) -> String {
    format!("90000,Test indicator,,,{code},{name},,Persons,18+ yrs,,,{period},{value},{lo},{hi},,,10,100,{note},,,,,,")
}

/// As `ft_row`, with numbers that may hold commas set cell by cell.
fn ft_cells(
    code: &str,
    name: &str,
    period: &str,
    value: &str,
    lo: &str,
    hi: &str,
    note: &str,
) -> Vec<String> {
    let mut row = cells(&ft_row(code, name, period, "", "", "", note));
    row[12] = value.into();
    row[13] = lo.into();
    row[14] = hi.into();
    row
}

fn kinds(p: &Parsed) -> Vec<FlagKind> {
    p.flags.iter().map(|f| f.kind).collect()
}

fn obs<'a>(p: &'a Parsed, code: &str) -> &'a ParsedObservation {
    p.observations
        .iter()
        .find(|o| o.area_code.as_str() == code)
        .unwrap()
}

#[test]
fn fingertips_real_rows() {
    let p = fingertips(&FINGERTIPS_ROWS);
    assert_eq!(p.format, Format::Fingertips);
    assert_eq!(p.flags, vec![]);
    assert_eq!((p.rows_read, p.rows_skipped), (4, 0));
    assert_eq!(p.observations.len(), 4);

    let england = obs(&p, "E92000001");
    assert_eq!(england.value, Some(21.4));
    assert_eq!(england.area_type, Some(AreaType::Country));
    assert_eq!(england.parent_code, None);
    assert_eq!(england.compared_to_england, Some(Comparison::NotCompared));
    assert_eq!(england.row, 2);

    let blackpool = obs(&p, "E06000009");
    assert_eq!(blackpool.area_name, "Blackpool");
    assert_eq!(blackpool.value, Some(26.8));
    assert_eq!(
        (blackpool.lower_ci95, blackpool.upper_ci95),
        (Some(23.0), Some(30.9))
    );
    assert_eq!(blackpool.area_type, Some(AreaType::Unitary));
    assert_eq!(
        blackpool.parent_code.as_ref().map(GssCode::as_str),
        Some("E12000002")
    );
    assert_eq!(blackpool.parent_name, "North West region");
    assert_eq!(blackpool.compared_to_england, Some(Comparison::Worse));
    assert_eq!(
        (blackpool.count, blackpool.denominator),
        (Some(140.0), Some(522.0))
    );
    assert_eq!(blackpool.sex, "Persons");
    assert_eq!(blackpool.age, "19+ yrs");
    assert_eq!(blackpool.note, None);
    assert_eq!(
        blackpool.period,
        Period {
            label: "2018/19".into(),
            start: date(2018, 4, 1),
            end: date(2019, 3, 31)
        }
    );

    let burnley = obs(&p, "E07000117");
    assert_eq!(burnley.value, Some(29.5));
    assert_eq!(burnley.area_type, Some(AreaType::District));
    assert_eq!(burnley.compared_to_england, Some(Comparison::Worse));
    assert_eq!(
        obs(&p, "E07000118").compared_to_england,
        Some(Comparison::Similar)
    );

    // Our own judgement agrees with Fingertips' for these rows.
    for o in &p.observations[1..] {
        let ours = compare(
            o.value,
            o.lower_ci95.zip(o.upper_ci95),
            england.value,
            Polarity::LowerIsBetter,
        );
        assert_eq!(Some(ours), o.compared_to_england, "{}", o.area_name);
    }

    assert_eq!(p.indicators.len(), 1);
    let def = &p.indicators[0];
    assert_eq!(def, &known_indicator("fingertips", "93015").unwrap());
    assert_eq!(def.source, "fingertips");
    assert_eq!(def.source_id, "93015");
    assert_eq!(def.name, "Percentage of physically inactive adults");
    assert_eq!(def.unit, "%");
    assert_eq!(def.polarity, Some(Polarity::LowerIsBetter));
    assert_eq!(def.age, "19+ yrs");
    assert_eq!(def.licence, "Open Government Licence v3.0");
    assert!(def
        .attribution
        .starts_with("Office for Health Improvement and Disparities"));
    assert_eq!(
        def.definition_url,
        "https://fingertips.phe.org.uk/search/93015"
    );

    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["observations"][1]["period"]["start"], "2018-04-01");
    assert_eq!(json["observations"][1]["area_code"], "E06000009");
    assert_eq!(json["observations"][1]["area_type"], "unitary");
    assert_eq!(json["observations"][1]["compared_to_england"], "worse");
    assert_eq!(json["indicators"][0]["polarity"], "lower_is_better");
    assert_eq!(json["format"], "fingertips");
}

#[test]
fn fingertips_time_period_range_and_columns_in_another_order() {
    let header = cells(FINGERTIPS_HEADER);
    let mut rows: Vec<Vec<String>> = FINGERTIPS_ROWS.iter().map(|r| cells(r)).collect();
    // A newer export: "Time period range" at the end; then every column reversed.
    let mut all = vec![header];
    all[0].push("Time period range".into());
    for r in &mut rows {
        r.push("1y".into());
    }
    all.extend(rows);
    for row in &mut all {
        row.reverse();
    }
    // Headings in other cases and with stray spaces, and a byte-order mark.
    all[0][0] = format!("\u{FEFF}  {}  ", all[0][0].to_uppercase());
    let p = read_cells(&all);
    let expected = fingertips(&FINGERTIPS_ROWS);
    assert_eq!(p.observations, expected.observations);
    assert_eq!(p.indicators, expected.indicators);
    assert_eq!(p.flags, vec![]);
}

#[test]
fn fingertips_breakdowns_and_blank_rows_are_skipped() {
    let decile = "93015,Percentage of physically inactive adults,,,E92000001,England,England,Persons,19+ yrs,LSOA11 deprivation deciles in England (IMD2019),Most deprived decile (IMD2019),2018/19,31.2,30.5,31.9,,,,,,,,,20180000,,";
    let p = fingertips(&[FINGERTIPS_ROWS[0], decile, ",,,,", ""]);
    assert_eq!(p.observations.len(), 1);
    assert_eq!((p.rows_read, p.rows_skipped), (4, 3));
    assert_eq!(p.flags, vec![]);
}

#[test]
fn fingertips_unknown_indicator() {
    let p = fingertips(&[&ft_row("E06000009", "Blackpool", "2019", "5", "", "", "")]);
    let def = &p.indicators[0];
    assert_eq!(def.source_id, "90000");
    assert_eq!(def.name, "Test indicator");
    assert_eq!(def.unit, "");
    assert_eq!(def.polarity, None);
    assert_eq!(def.age, "18+ yrs");
    assert_eq!(
        def.definition_url,
        "https://fingertips.phe.org.uk/search/90000"
    );
    assert_eq!(kinds(&p), vec![FlagKind::UnknownPolarity]);
    assert_eq!(p.flags[0].row, 0);
    assert!(
        p.flags[0].message.contains("90000"),
        "{}",
        p.flags[0].message
    );
}

#[test]
fn rows_left_out_with_a_flag() {
    let long = "x".repeat(MAX_NAME_CHARS + 1);
    let rows = [
        ft_row("E0600009", "Blackpool", "2019", "1", "", "", ""),
        ft_row("Blackpool", "Blackpool", "2019", "1", "", "", ""),
        ft_row("E06000009", "Blackpool", "2019/21", "1", "", "", ""),
        ft_row("E06000009", "Blackpool", "sometime", "1", "", "", ""),
        ft_row("E06000009", &long, "2019", "1", "", "", ""),
        ft_row("E06000009", "Black\u{202E}pool", "2019", "1", "", "", ""),
        ft_row("E06000009", "\u{200B}\u{200C}", "2019", "1", "", "", ""),
        ft_row("E06000009", "Black\u{7}pool", "2019", "1", "", "", ""),
        ft_row("", "Blackpool", "2019", "1", "", "", ""),
        ft_row("E06000009", "Blackpool", "", "1", "", "", ""),
    ];
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let p = fingertips(&rows);
    assert_eq!(p.observations, vec![]);
    // No observation kept, so no indicator either (and no polarity flag).
    assert_eq!(p.indicators, vec![]);
    use FlagKind::*;
    assert_eq!(
        kinds(&p),
        vec![
            BadAreaCode,
            BadAreaCode,
            BadPeriod,
            BadPeriod,
            TooLong,
            BadText,
            BadText,
            BadText,
            MissingField,
            MissingField
        ]
    );
    let rows: Vec<u64> = p.flags.iter().map(|f| f.row).collect();
    assert_eq!(rows, (2..12).collect::<Vec<u64>>());
    let m = |i: usize| p.flags[i].message.as_str();
    assert!(m(0).contains("\"E0600009\" is not a GSS code"), "{}", m(0));
    assert!(
        m(2).contains("\"2019/21\"") && m(2).contains("2018/19"),
        "{}",
        m(2)
    );
    assert!(m(4).contains("201 characters"), "{}", m(4));
    assert!(m(5).contains("direction of text"), "{}", m(5));
    // The direction override shows as an escape, not as a character that acts.
    assert!(m(5).contains("\\u{202e}"), "{}", m(5));
    assert!(m(8).contains("area code"), "{}", m(8));
    for f in &p.flags {
        assert!(f.message.ends_with("left out."), "{}", f.message);
    }
    // Indicator names are held to the same rules.
    let bad_name = format!("90000,{long},,,E06000009,Blackpool,,Persons,,,,2019,1,,,,,,,,,,,,,");
    assert_eq!(kinds(&fingertips(&[&bad_name])), vec![TooLong]);
}

#[test]
fn values_kept_with_a_flag() {
    let rows = [
        ft_cells("E06000001", "Hartlepool", "2019", "abc", "", "", ""),
        ft_cells("E06000002", "Middlesbrough", "2019", "*", "", "", ""),
        ft_cells(
            "E06000003",
            "Redcar and Cleveland",
            "2019",
            "[c]",
            "",
            "",
            "",
        ),
        ft_cells(
            "E06000004",
            "Stockton-on-Tees",
            "2019",
            "",
            "",
            "",
            "Value suppressed for disclosure control",
        ),
        ft_cells("E06000005", "Darlington", "2019", "", "", "", ""),
        ft_cells("E06000006", "Halton", "2019", "30", "10", "20", ""),
        ft_cells("E06000007", "Warrington", "2019", "15", "20", "10", ""),
        ft_cells(
            "E06000008",
            "Blackburn with Darwen",
            "2019",
            "1,234.5",
            "1,000",
            "1,500",
            "",
        ),
        ft_cells("E06000009", "Blackpool", "2019", "1,5", "nan", "inf", ""),
    ];
    let mut all = vec![cells(FINGERTIPS_HEADER)];
    all.extend(rows);
    let mut p = read_cells(&all);
    assert_eq!(p.observations.len(), 9);
    let value = |code| obs(&p, code).value;
    assert_eq!(value("E06000001"), None);
    assert_eq!(value("E06000002"), None);
    assert_eq!(value("E06000003"), None);
    assert_eq!(value("E06000004"), None);
    // Missing is never 0, and needs no flag.
    assert_eq!(value("E06000005"), None);
    assert_eq!(value("E06000006"), Some(30.0));
    assert_eq!(value("E06000008"), Some(1234.5));
    assert_eq!(obs(&p, "E06000008").lower_ci95, Some(1000.0));
    let warrington = obs(&p, "E06000007");
    assert_eq!((warrington.lower_ci95, warrington.upper_ci95), (None, None));
    assert_eq!(
        obs(&p, "E06000004").note.as_deref(),
        Some("Value suppressed for disclosure control")
    );
    p.flags.retain(|f| f.kind != FlagKind::UnknownPolarity);
    use FlagKind::*;
    assert_eq!(
        kinds(&p),
        vec![
            NotANumber,
            Suppressed,
            Suppressed,
            Suppressed,
            OutsideInterval,
            OutsideInterval,
            NotANumber,
            NotANumber,
            NotANumber
        ]
    );
    assert!(
        p.flags[0].message.contains("\"abc\""),
        "{}",
        p.flags[0].message
    );
    assert!(
        p.flags[4].message.contains("outside"),
        "{}",
        p.flags[4].message
    );
    assert!(
        p.flags[5].message.contains("above the upper"),
        "{}",
        p.flags[5].message
    );
    assert!(
        p.flags[6].message.contains("\"1,5\""),
        "{}",
        p.flags[6].message
    );
}

#[test]
fn negative_counts_are_dropped() {
    let p = read(&[
        "indicator_id,indicator_name,polarity,area_code,period,value,count,denominator",
        "a,A,higher,E06000009,2019,5,-3,-1",
        "a,A,higher,E07000117,2019,-5,3,10",
    ]);
    let o = &p.observations[0];
    assert_eq!((o.count, o.denominator, o.value), (None, None, Some(5.0)));
    // Values themselves may be negative (changes, differences).
    assert_eq!(p.observations[1].value, Some(-5.0));
    assert_eq!(kinds(&p), vec![FlagKind::Negative, FlagKind::Negative]);
}

#[test]
fn duplicates_both_ways() {
    let a = ft_row("E06000009", "Blackpool", "2019", "26.8", "23", "30.9", "");
    let same = ft_row("E06000009", "Blackpool", "2019", "26.8", "23", "30.9", "");
    let other = ft_row("E06000009", "Blackpool", "2019", "27.1", "23", "30.9", "");
    let burnley = ft_row("E07000117", "Burnley", "2019", "29.5", "", "", "");
    let p = fingertips(&[&a, &burnley, &same]);
    assert_eq!(p.observations.len(), 2);
    assert_eq!(p.rows_skipped, 1);
    assert!(!kinds(&p).contains(&FlagKind::Duplicate));

    let p = fingertips(&[&a, &burnley, &other]);
    assert_eq!(p.observations.len(), 2);
    let blackpool = obs(&p, "E06000009");
    assert_eq!((blackpool.value, blackpool.row), (Some(27.1), 4));
    let dup: Vec<&RowFlag> = p
        .flags
        .iter()
        .filter(|f| f.kind == FlagKind::Duplicate)
        .collect();
    assert_eq!(dup.len(), 1);
    assert_eq!(dup[0].row, 4);
    assert!(
        dup[0].message.starts_with("Rows 2 and 4 both give"),
        "{}",
        dup[0].message
    );
    assert!(
        dup[0].message.contains("the later row is kept"),
        "{}",
        dup[0].message
    );

    // Another sex, age or period is not a repeat.
    let female = a.replace(",Persons,", ",Female,");
    let p = fingertips(&[&a, &female]);
    assert_eq!(p.observations.len(), 2);
}

#[test]
fn flags_are_capped_per_kind() {
    let mut reader = TableReader::new(&cells(
        "indicator_id,indicator_name,polarity,area_code,period,value",
    ))
    .unwrap();
    for i in 0..1_005u64 {
        reader
            .push(i + 2, &cells("a,A,higher,nowhere,2019,1"))
            .unwrap();
        reader
            .push(i + 2, &cells("a,A,higher,E06000009,2019,abc"))
            .unwrap();
    }
    let p = reader.finish();
    let count = |k| p.flags.iter().filter(|f| f.kind == k).count();
    assert_eq!(count(FlagKind::BadAreaCode), 1_000);
    assert_eq!(count(FlagKind::NotANumber), 1_000);
    assert_eq!(p.flags_not_shown, 10);
}

#[test]
fn tidy_template_reads_itself() {
    let lines: Vec<&str> = TIDY_TEMPLATE.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0],
        "indicator_id,indicator_name,unit,polarity,area_code,area_name,period,sex,age,value,lower_ci95,upper_ci95,count,denominator,note"
    );
    let p = read(&lines);
    assert_eq!(p.format, Format::Tidy);
    assert_eq!(p.flags, vec![]);
    assert_eq!(p.observations.len(), 2);
    let def = &p.indicators[0];
    assert_eq!(def.source, "tidy");
    assert!(def.name.contains("EXAMPLE"), "{}", def.name);
    assert_eq!(def.unit, "%");
    assert_eq!(def.polarity, Some(Polarity::HigherIsBetter));
    assert_eq!(def.licence, "");
    let blackpool = obs(&p, "E06000009");
    assert_eq!(blackpool.value, Some(40.0));
    assert_eq!(blackpool.period.start, date(2022, 4, 1));
    assert_eq!(obs(&p, "E07000117").value, None);
    for line in &lines[1..] {
        assert_eq!(line.split(',').count(), 15, "{line}");
    }
}

#[test]
fn tidy_names_units_and_polarity() {
    let p = read(&[
        "indicator_id,indicator_name,unit,polarity,area_code,area_name,period,value",
        "walk,,,,E06000009,Blackpool,2019,1",
        "walk,Walking,%,sideways,E07000117,Burnley,2019,2",
        "walk,Walking again,,lower,E07000118,Chorley,2019,3",
        "swim,,,,E06000009,Blackpool,2019,4",
    ]);
    // The first row that names it wins; "swim" is never named, so its row is left out.
    assert_eq!(p.indicators.len(), 1);
    let walk = &p.indicators[0];
    assert_eq!((walk.name.as_str(), walk.unit.as_str()), ("Walking", "%"));
    assert_eq!(walk.polarity, Some(Polarity::LowerIsBetter));
    assert_eq!(p.observations.len(), 3);
    assert!(p.observations.iter().all(|o| o.indicator == "walk"));
    assert_eq!(o_sex(&p), vec!["Persons"; 3]);
    use FlagKind::*;
    assert_eq!(kinds(&p), vec![MissingField, UnknownPolarity]);
    assert_eq!((p.flags[0].row, p.flags[1].row), (0, 3));
    assert!(
        p.flags[0].message.contains("\"swim\""),
        "{}",
        p.flags[0].message
    );

    // Never given a polarity: one flag for the whole file.
    let p = read(&[
        "indicator_id,indicator_name,area_code,period,value",
        "run,Running,E06000009,2019,1",
        "run,Running,E07000117,2019,1",
    ]);
    assert_eq!(kinds(&p), vec![UnknownPolarity]);
    assert_eq!(p.flags[0].row, 0);
}

fn o_sex(p: &Parsed) -> Vec<&str> {
    p.observations.iter().map(|o| o.sex.as_str()).collect()
}

#[test]
fn names_are_nfc() {
    let p = read(&[
        "indicator_id,indicator_name,polarity,area_code,area_name,period,value",
        "a,Caf\u{65}\u{301} visits,higher,E06000009,Ynys Me\u{302}n,2019,1",
    ]);
    assert_eq!(p.indicators[0].name, "Café visits");
    assert_eq!(p.observations[0].area_name, "Ynys Mên");
}

#[test]
fn imd_summary_sheet() {
    let header = "Local Authority District code (2019),Local Authority District name (2019),IMD - Average rank ,IMD - Rank of average rank,IMD - Average score,IMD - Rank of average score,IMD - Proportion of LSOAs in most deprived 10% nationally,IMD - Rank of proportion of LSOAs in most deprived 10% nationally,IMD 2019 - Extent,IMD 2019 - Rank of extent";
    let p = read(&[
        header,
        "E06000009,Blackpool,1,1,45.04,1,0.49,2,0.6,1",
        "E08000011,Knowsley,2,2,43.01,2,0.46,3,0.6,2",
        "E09000001,City of London,3,3,,,,,,",
    ]);
    assert_eq!(p.format, Format::ImdSummary);
    assert_eq!(p.indicators.len(), 3);
    let ids: Vec<&str> = p.indicators.iter().map(|d| d.source_id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "iod2019.imd_average_score",
            "iod2019.imd_rank_average_score",
            "iod2019.imd_proportion_most_deprived_10pc"
        ]
    );
    let rank = &p.indicators[1];
    assert_eq!(rank.unit, "rank (1 = most deprived)");
    assert_eq!(rank.polarity, Some(Polarity::HigherIsBetter));
    assert_eq!(p.indicators[0].polarity, Some(Polarity::LowerIsBetter));
    assert_eq!(p.indicators[2].unit, "proportion");
    assert_eq!(rank.source, "iod");
    assert_eq!(
        rank.attribution,
        "English Indices of Deprivation 2019, Ministry of Housing, Communities and Local Government. Contains public sector information licensed under the Open Government Licence v3.0."
    );
    assert_eq!(p.observations.len(), 9);
    let blackpool_rank = p
        .observations
        .iter()
        .find(|o| o.indicator == "iod2019.imd_rank_average_score" && o.area_name == "Blackpool")
        .unwrap();
    assert_eq!(blackpool_rank.value, Some(1.0));
    assert_eq!(blackpool_rank.period.label, "2019");
    assert_eq!(blackpool_rank.area_type, Some(AreaType::Unitary));
    assert_eq!(p.flags, vec![]);

    // IoD2025 labels districts with 2024 codes; a bad code is flagged once per row.
    let p = read(&[
        "Local Authority District code (2024),Local Authority District name (2024),IMD - Rank of average score",
        "E08000011,Knowsley,3",
        "X1,Nowhere,4",
    ]);
    assert_eq!(p.indicators[0].source_id, "iod2025.imd_rank_average_score");
    assert_eq!(p.observations[0].period.label, "2025");
    assert_eq!(p.observations[0].period.end, date(2025, 12, 31));
    assert_eq!(kinds(&p), vec![FlagKind::BadAreaCode]);
    assert_eq!(
        known_indicator("iod", "iod2025.imd_rank_average_score").map(|d| d.name),
        Some(p.indicators[0].name.clone())
    );
}

#[test]
fn format_errors() {
    let new = |line: &str| TableReader::new(&cells(line)).err();
    assert!(matches!(new("a,b,c"), Some(FormatError::Unrecognised)));
    assert!(matches!(new(""), Some(FormatError::Unrecognised)));
    assert!(matches!(new("value,sex"), Some(FormatError::Unrecognised)));
    let msg = FormatError::Unrecognised.to_string();
    assert!(
        msg.contains("Indicator ID")
            && msg.contains("indicator_id")
            && msg.contains("Local Authority District code")
    );
    match new("Indicator ID,Area Code,Time period,Value") {
        Some(FormatError::MissingColumns { format, missing }) => {
            assert_eq!(format, Format::Fingertips);
            assert_eq!(missing, vec!["Indicator Name", "Area Name"]);
        }
        other => panic!("{other:?}"),
    }
    match new("indicator_id,area_code,value") {
        Some(FormatError::MissingColumns { format, missing }) => {
            assert_eq!(format, Format::Tidy);
            assert_eq!(missing, vec!["period"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        new("Local Authority District code (2019),Local Authority District name (2019)"),
        Some(FormatError::MissingColumns {
            format: Format::ImdSummary,
            ..
        })
    ));
    assert!(matches!(
        new("Local Authority District code (2001),Local Authority District name,IMD - Average score"),
        Some(FormatError::MissingColumns { format: Format::ImdSummary, .. })
    ));
    let e = new("Indicator ID,Value").unwrap().to_string();
    assert!(
        e.contains("Fingertips export") && e.contains("Area Code"),
        "{e}"
    );

    let mut reader = TableReader::new(&cells(
        "indicator_id,indicator_name,polarity,area_code,period,value",
    ))
    .unwrap()
    .with_max_rows(2);
    assert_eq!(reader.format(), Format::Tidy);
    let row = cells("a,A,higher,E06000009,2019,1");
    reader.push(2, &row).unwrap();
    reader.push(3, &row).unwrap();
    assert!(matches!(
        reader.push(4, &row),
        Err(FormatError::TooManyRows(2))
    ));
    assert_eq!(reader.finish().rows_read, 2);
}

#[test]
fn period_rules() {
    let p = |s: &str| {
        let p = Period::parse(s).unwrap_or_else(|e| panic!("{e}"));
        (p.start, p.end)
    };
    assert_eq!(p("2019"), (date(2019, 1, 1), date(2019, 12, 31)));
    assert_eq!(p(" 2018/19 "), (date(2018, 4, 1), date(2019, 3, 31)));
    assert_eq!(Period::parse(" 2018/19 ").unwrap().label, "2018/19");
    assert_eq!(p("1999/00"), (date(1999, 4, 1), date(2000, 3, 31)));
    assert_eq!(p("2018/2019"), (date(2018, 4, 1), date(2019, 3, 31)));
    for s in ["2015 - 17", "2015-17", "2015 - 2017", "2015 – 17"] {
        assert_eq!(p(s), (date(2015, 1, 1), date(2017, 12, 31)), "{s}");
    }
    assert_eq!(p("2015 - 24"), (date(2015, 1, 1), date(2024, 12, 31)));
    assert_eq!(p("2016/17 - 18/19"), (date(2016, 4, 1), date(2019, 3, 31)));
    assert_eq!(
        p("2016/17 - 2018/19"),
        (date(2016, 4, 1), date(2019, 3, 31))
    );
    for s in [
        "Nov 2023-24",
        "Nov 2023 - Nov 2024",
        "November 2023 – 24",
        "nov 2023-2024",
    ] {
        assert_eq!(p(s), (date(2023, 11, 1), date(2024, 10, 31)), "{s}");
    }
    assert_eq!(
        p("May 2020 - May 2021"),
        (date(2020, 5, 1), date(2021, 4, 30))
    );
    assert_eq!(p("Jan 2020-21"), (date(2020, 1, 1), date(2020, 12, 31)));
    assert_eq!(p("Mar 2019-20"), (date(2019, 3, 1), date(2020, 2, 29)));
    assert_eq!(p("2019 Q1"), (date(2019, 1, 1), date(2019, 3, 31)));
    assert_eq!(p("2019 Q2"), (date(2019, 4, 1), date(2019, 6, 30)));
    assert_eq!(p("2019q3"), (date(2019, 7, 1), date(2019, 9, 30)));
    assert_eq!(p("2019 Q4"), (date(2019, 10, 1), date(2019, 12, 31)));
    assert_eq!(p("1900"), (date(1900, 1, 1), date(1900, 12, 31)));
    assert_eq!(p("2100"), (date(2100, 1, 1), date(2100, 12, 31)));

    for bad in [
        "",
        "19",
        "1899",
        "2101",
        "2018/20",
        "2018/18",
        "2018/17",
        "2017 - 15",
        "2015 - 15",
        "2015 - 2026",
        "2016/17 - 15/16",
        "2016/17 - 18/20",
        "2000/01 - 20/21",
        "Nov 2023 - Oct 2024",
        "Nox 2023-24",
        "Nov 2023",
        "2019 Q5",
        "2019 Q0",
        "2100/01",
        "2019-2019",
        "2019.5",
        "FY2019",
        "2019 - 20 - 21",
        "02019",
        "２０１９",
        "2019\u{202E}",
        "Q",
    ] {
        let e = Period::parse(bad).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains(&format!("{:?}", bad.trim())), "{msg}");
        assert!(msg.contains("use 2019, 2018/19 or 2017 - 19"), "{msg}");
    }
}

#[test]
fn periods_never_panic() {
    let pieces = [
        "2019",
        "19",
        "/",
        "-",
        " ",
        "Q",
        "q9",
        "Nov",
        "é",
        "\u{0}",
        "99999999999999999999",
        "–",
        "/ /",
        "0",
        "1900",
        "2100",
        "Feb",
        "29",
        "\u{10FFFF}",
        "١٢",
        "a\u{301}",
    ];
    let mut seed = 12345u64;
    for _ in 0..20_000 {
        let mut s = String::new();
        for _ in 0..(next(&mut seed) % 7) {
            s.push_str(pieces[(next(&mut seed) % pieces.len() as u64) as usize]);
        }
        if let Ok(p) = Period::parse(&s) {
            assert!(p.start <= p.end, "{s:?}");
        }
    }
    let _ = Period::parse(&"2019/".repeat(10_000));
}

#[test]
fn gss_codes_and_area_types() {
    let code = GssCode::parse(" e06000009 ").unwrap();
    assert_eq!(code.as_str(), "E06000009");
    assert_eq!(code.to_string(), "E06000009");
    assert_eq!("E06000009".parse::<GssCode>().unwrap(), code);
    assert_eq!(serde_json::to_string(&code).unwrap(), "\"E06000009\"");
    for ok in ["W06000001", "S12000033", "N09000001", "K02000001"] {
        let c = GssCode::parse(ok).unwrap();
        assert_eq!(c.area_type(), AreaType::Other, "{ok}");
    }
    for bad in [
        "",
        "X12",
        "E0600000",
        "E060000090",
        "A06000009",
        "E06 000009",
        "E06OOOOO9",
        "Е06000009",
        "E06000009\u{0}",
    ] {
        let e = GssCode::parse(bad).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains(
                "is not a GSS code: a GSS code is a letter and eight digits, like E06000009"
            ),
            "{msg}"
        );
    }
    assert_eq!(
        GssCode::parse("X12").unwrap_err().to_string(),
        "\"X12\" is not a GSS code: a GSS code is a letter and eight digits, like E06000009"
    );
    let types = [
        ("E92000001", AreaType::Country),
        ("E12000002", AreaType::Region),
        ("E47000001", AreaType::CombinedAuthority),
        ("E10000017", AreaType::County),
        ("E11000001", AreaType::MetropolitanCounty),
        ("E06000009", AreaType::Unitary),
        ("E07000117", AreaType::District),
        ("E08000004", AreaType::MetropolitanDistrict),
        ("E09000001", AreaType::LondonBorough),
        ("E02000001", AreaType::Other),
    ];
    for (code, t) in types {
        assert_eq!(
            AreaType::from_gss(&GssCode::parse(code).unwrap()),
            t,
            "{code}"
        );
    }
    for t in AreaType::ALL {
        assert_eq!(AreaType::parse(t.code()), Some(t));
        assert_eq!(AreaType::parse(t.label()), Some(t), "{}", t.label());
        assert_eq!(serde_json::to_value(t).unwrap(), t.code());
    }
    assert_eq!(AreaType::CombinedAuthority.label(), "Combined authority");
    assert_eq!(AreaType::Unitary.label(), "Unitary authority");
    assert_eq!(
        AreaType::MetropolitanDistrict.label(),
        "Metropolitan borough"
    );
    assert_eq!(AreaType::parse("England"), Some(AreaType::Country));
    assert_eq!(
        AreaType::parse("Combined authorities"),
        Some(AreaType::CombinedAuthority)
    );
    assert_eq!(AreaType::parse("County & UA (4/23)"), None);
}

#[test]
fn comparing_with_england() {
    use Comparison::*;
    let ci = Some((20.0, 24.0));
    let england = Some(21.4);
    let c = |v, ci, b, p| compare(v, ci, b, p);
    // Interval wholly above, wholly below, overlapping.
    assert_eq!(
        c(
            Some(26.8),
            Some((23.0, 30.9)),
            england,
            Polarity::LowerIsBetter
        ),
        Worse
    );
    assert_eq!(
        c(
            Some(26.8),
            Some((23.0, 30.9)),
            england,
            Polarity::HigherIsBetter
        ),
        Better
    );
    assert_eq!(
        c(
            Some(26.8),
            Some((23.0, 30.9)),
            england,
            Polarity::NoJudgement
        ),
        Higher
    );
    assert_eq!(
        c(
            Some(17.0),
            Some((15.0, 19.0)),
            england,
            Polarity::LowerIsBetter
        ),
        Better
    );
    assert_eq!(
        c(
            Some(17.0),
            Some((15.0, 19.0)),
            england,
            Polarity::HigherIsBetter
        ),
        Worse
    );
    assert_eq!(
        c(
            Some(17.0),
            Some((15.0, 19.0)),
            england,
            Polarity::NoJudgement
        ),
        Lower
    );
    for p in Polarity::ALL {
        assert_eq!(c(Some(22.0), ci, england, p), Similar);
        // Touching the benchmark is overlapping it.
        assert_eq!(c(Some(22.0), Some((21.4, 24.0)), england, p), Similar);
        assert_eq!(c(None, ci, england, p), NotCompared);
        assert_eq!(c(Some(22.0), None, england, p), NotCompared);
        assert_eq!(c(Some(22.0), ci, None, p), NotCompared);
        assert_eq!(c(Some(22.0), Some((24.0, 20.0)), england, p), NotCompared);
        assert_eq!(c(Some(f64::NAN), ci, england, p), NotCompared);
        assert_eq!(
            c(Some(22.0), Some((f64::NEG_INFINITY, 24.0)), england, p),
            NotCompared
        );
    }
}

#[test]
fn polarity_and_comparison_words() {
    for p in Polarity::ALL {
        assert_eq!(Polarity::parse(p.code()), Some(p));
        assert_eq!(Polarity::parse(p.label()), Some(p), "{}", p.label());
        assert_eq!(serde_json::to_value(p).unwrap(), p.code());
    }
    assert_eq!(
        Polarity::NoJudgement.label(),
        "Neither higher nor lower is better"
    );
    for (s, p) in [
        ("RAG - High is good", Some(Polarity::HigherIsBetter)),
        ("RAG - Low is good", Some(Polarity::LowerIsBetter)),
        ("RAG - Low is good   ", Some(Polarity::LowerIsBetter)),
        ("BOB - Blue orange blue", Some(Polarity::NoJudgement)),
        ("Not applicable", Some(Polarity::NoJudgement)),
        ("higher", Some(Polarity::HigherIsBetter)),
        ("Lower", Some(Polarity::LowerIsBetter)),
        ("sideways", None),
        ("", None),
    ] {
        assert_eq!(Polarity::parse(s), p, "{s}");
    }
    for c in Comparison::ALL {
        assert_eq!(Comparison::parse(c.code()), Some(c));
        assert_eq!(Comparison::parse(c.word()), Some(c));
        assert_eq!(serde_json::to_value(c).unwrap(), c.code());
    }
    assert_eq!(Comparison::NotCompared.word(), "not compared");
    for (s, c) in [
        ("Better", Some(Comparison::Better)),
        ("WORSE", Some(Comparison::Worse)),
        (" similar ", Some(Comparison::Similar)),
        ("Higher", Some(Comparison::Higher)),
        ("Lower", Some(Comparison::Lower)),
        ("Not compared", Some(Comparison::NotCompared)),
        ("Better 95%", Some(Comparison::Better)),
        ("Lowest quintile", None),
        ("", None),
    ] {
        assert_eq!(Comparison::parse(s), c, "{s}");
    }
}

#[test]
fn flag_kinds_have_headings() {
    assert_eq!(
        FlagKind::NotANumber.heading(),
        "Values that are not numbers"
    );
    let mut seen = std::collections::HashSet::new();
    for k in FlagKind::ALL {
        assert!(!k.heading().is_empty());
        assert!(seen.insert(k.heading()), "{k:?}");
        assert_eq!(serde_json::to_value(k).unwrap(), k.code());
    }
    for f in [Format::Fingertips, Format::Tidy, Format::ImdSummary] {
        assert!(!f.label().is_empty());
    }
    assert_eq!(
        known_indicator("fingertips", "93014").unwrap().polarity,
        Some(Polarity::HigherIsBetter)
    );
    assert_eq!(
        known_indicator("fingertips", "93014").unwrap().name,
        "Percentage of physically active adults"
    );
    assert_eq!(known_indicator("fingertips", "1"), None);
    assert_eq!(known_indicator("tidy", "93015"), None);
}

/// A small linear congruential generator: enough to shuffle test input without a dependency.
fn next(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *seed >> 33
}

#[test]
fn random_rows_never_panic() {
    let pieces = [
        "",
        " ",
        "E06000009",
        "E07000117",
        "e92000001",
        "X",
        "2019",
        "2018/19",
        "Nov 2023-24",
        "2015 - 17",
        "26.8",
        "-1",
        "1,234",
        "1,5",
        "*",
        "[c]",
        "NaN",
        "inf",
        "1e400",
        "0",
        "Persons",
        "Female",
        "19+ yrs",
        "\u{202E}",
        "\u{200B}",
        "\u{FEFF}",
        "é",
        "e\u{301}",
        "\u{0}",
        "\n",
        "\t",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "مركز",
        "Value suppressed",
        "RAG - Low is good",
        "higher",
        "Worse",
        "Similar",
        "93015",
        "\u{10FFFF}",
        "\u{D7FF}",
        "\"",
        ",",
    ];
    let headers = [
        FINGERTIPS_HEADER.to_string(),
        TIDY_TEMPLATE.lines().next().unwrap().to_string(),
        "Local Authority District code (2019),Local Authority District name (2019),IMD - Average score,IMD - Rank of average score,IMD - Proportion of LSOAs in most deprived 10% nationally".to_string(),
    ];
    let mut seed = 42u64;
    for header in &headers {
        let header = cells(header);
        let mut reader = TableReader::new(&header).unwrap();
        let mut pushed = 0;
        for line in 0..3_000u64 {
            let width = (next(&mut seed) % (header.len() as u64 + 3)) as usize;
            let row: Vec<String> = (0..width)
                .map(|_| {
                    let mut cell = String::new();
                    for _ in 0..(next(&mut seed) % 3) {
                        cell.push_str(pieces[(next(&mut seed) % pieces.len() as u64) as usize]);
                    }
                    cell
                })
                .collect();
            reader.push(line, &row).unwrap();
            pushed += 1;
        }
        // And a pathological cell.
        reader
            .push(0, &vec!["\u{301}".repeat(10_000); header.len()])
            .unwrap();
        let p = reader.finish();
        assert_eq!(p.rows_read, pushed + 1);
        assert!(p.observations.len() as u64 <= (pushed + 1) * 3);
        for o in &p.observations {
            assert!(o.value.is_none_or(f64::is_finite));
            assert!(o.area_name.chars().count() <= MAX_NAME_CHARS);
            assert!(p.indicators.iter().any(|d| d.source_id == o.indicator));
        }
        for d in &p.indicators {
            assert!(!d.name.is_empty());
        }
        serde_json::to_string(&p).unwrap();
    }
}

#[test]
fn a_valid_row_survives_a_sea_of_odd_ones() {
    // Whatever came before, a good row still reads the same.
    let mut reader = TableReader::new(&cells(FINGERTIPS_HEADER)).unwrap();
    reader.push(2, &vec!["\u{FEFF}".to_string(); 3]).unwrap();
    reader.push(3, &[]).unwrap();
    reader.push(4, &cells(FINGERTIPS_ROWS[1])).unwrap();
    let p = reader.finish();
    assert_eq!(p.observations.len(), 1);
    assert_eq!(p.observations[0].value, Some(26.8));
}
