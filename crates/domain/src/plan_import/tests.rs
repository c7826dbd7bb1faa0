//! The two real documents, variants written the same way, and hostile input.

use super::*;
use jiff::civil::date;

const PLAN: &str = include_str!("../../../app/src/demo/seeds/nw-delivery-plan.txt");
const MINUTES: &str = include_str!("../../../app/src/demo/seeds/executive-mandates-minutes.txt");

fn leads(plan: &ParsedPlan) -> Vec<Vec<&str>> {
    plan.work_areas
        .iter()
        .map(|w| w.accountable_leads.iter().map(String::as_str).collect())
        .collect()
}

fn ranges(plan: &ParsedPlan) -> Vec<(Option<jiff::civil::Date>, Option<jiff::civil::Date>)> {
    plan.work_areas.iter().map(|w| (w.start, w.end)).collect()
}

#[test]
fn seed_plan() {
    let plan = parse_plan(PLAN).unwrap();
    assert_eq!(plan.title, "Place Cluster Delivery Plan Template");
    assert_eq!(plan.cluster.as_deref(), Some("NW"));
    assert_eq!(plan.lead_applicant.as_deref(), Some("Active Lancashire"));
    assert_eq!(plan.work_areas.len(), 4);
    let starts = [
        "Create and enable a Learning Zone",
        "Improve the framing",
        "Deliver a minimum of three",
        "Production of an advocacy resource",
    ];
    for (area, start) in plan.work_areas.iter().zip(starts) {
        assert!(area.title.starts_with(start), "{:?}", area.title);
        assert!(!area.title.contains("Accountable"), "{:?}", area.title);
        assert!(
            !area.title.contains("  ") && !area.title.contains('\n'),
            "{:?}",
            area.title
        );
    }
    assert_eq!(
        plan.work_areas[0].title,
        "Create and enable a Learning Zone (platform) for NW Places to access"
    );
    assert_eq!(
        leads(&plan),
        vec![
            vec!["Beth Kay"],
            vec!["Richard Davis Boreham"],
            vec!["Beth Kay", "Amanda Forrest"],
            vec![]
        ]
    );
    let totals: Vec<Option<i64>> = plan
        .work_areas
        .iter()
        .map(|w| w.budget_total_pence)
        .collect();
    assert_eq!(
        totals,
        [Some(800_000), Some(500_000), Some(200_000), Some(900_000)]
    );
    assert_eq!(
        ranges(&plan),
        [
            (Some(date(2026, 9, 1)), Some(date(2027, 3, 31))),
            (Some(date(2026, 4, 1)), Some(date(2026, 9, 30))),
            (Some(date(2026, 7, 1)), Some(date(2026, 11, 30))),
            (Some(date(2026, 5, 1)), Some(date(2026, 9, 30))),
        ]
    );
    assert!(plan.work_areas.iter().all(|w| !w.end_open));

    // Only the fourth area needs a person: its accountable lead is missing.
    for area in &plan.work_areas[..3] {
        assert!(area.flags.is_empty(), "{}: {:?}", area.title, area.flags);
    }
    let fourth = &plan.work_areas[3];
    assert_eq!(fourth.flags.len(), 1, "{:?}", fourth.flags);
    assert_eq!(fourth.flags[0].field, "accountable_leads");
    assert!(fourth.flags[0].message.contains("accountable lead"));
    assert!(plan.flags.is_empty(), "{:?}", plan.flags);

    // The cells land in the right fields.
    let first = &plan.work_areas[0];
    assert!(first
        .why
        .starts_with("It will be a resource which enables places"));
    assert!(first
        .progress
        .starts_with("The platform is available to all places to use by March 2027"));
    assert!(first
        .what_we_will_do
        .starts_with("Establish a platform that can be accessed by all NW Partners"));
    assert!(first
        .resources
        .ends_with("Procure capacity to complete this enabling work - £8k."));
    assert_eq!(first.when, "Sept 2026 to March 2027 (Subject top funding)");
    assert_eq!(
        first.budget_lines,
        [BudgetLine {
            label: "Procure capacity to complete this enabling work".into(),
            amount_pence: 800_000
        }]
    );
    assert_eq!(
        first.outcomes,
        [
            "NW partners are sharing learning and practice more effectively.",
            "The platform is valued by new/other NW structures as a learning resource.",
            "PBSW practice in places improves.",
        ]
    );
    assert_eq!(plan.work_areas[1].outcomes.len(), 3);
    assert_eq!(
        plan.work_areas[2].budget_lines[0].label,
        "Budget required to enable delivery"
    );
    assert_eq!(
        plan.work_areas[3].budget_lines[0].label,
        "Budget to deliver the outputs"
    );
    assert!(plan.work_areas[1]
        .what_we_will_do
        .contains("\n\nRun a NW workshop programme"));
}

#[test]
fn seed_plan_serialises_dates_as_iso() {
    let plan = parse_plan(PLAN).unwrap();
    let json = serde_json::to_value(&plan).unwrap();
    let area = &json["work_areas"][0];
    assert_eq!(area["start"], "2026-09-01");
    assert_eq!(area["end"], "2027-03-31");
    assert_eq!(area["budget_total_pence"], 800_000);
    assert_eq!(
        json["work_areas"][3]["flags"][0]["field"],
        "accountable_leads"
    );
    let range = serde_json::to_value(parse_date_range("from June 2026, ongoing")).unwrap();
    assert_eq!(
        range,
        serde_json::json!({"start": "2026-06-01", "end": null, "end_open": true, "understood": true})
    );
}

#[test]
fn seed_minutes() {
    let minutes = parse_minutes(MINUTES).unwrap();
    assert_eq!(minutes.title, "Delivery Plan - Overview of Mandates");
    assert_eq!(minutes.mandates.len(), 7, "{:?}", minutes.mandates);
    assert_eq!(
        minutes.mandates[0],
        "Integrated Community Wellbeing reform key pathways"
    );
    assert_eq!(
        minutes.mandates[5],
        "Leadership, Organisation and Workforce Development"
    );
    assert_eq!(
        minutes.mandates[6],
        "Develop a Partnership Economic Reform Agenda"
    );
    assert_eq!(minutes.actions.len(), 2);
    for action in &minutes.actions {
        assert_eq!(action.owner.as_deref(), Some("Executive"));
        assert_eq!(action.due, Some(date(2018, 5, 4)));
        assert!(action.flags.is_empty(), "{:?}", action.flags);
        assert!(action.raw.starts_with("Action"));
        assert!(!action.description.starts_with("Action"));
    }
    assert!(minutes.actions[0]
        .description
        .contains("Shared Intelligence"));
    assert!(minutes.actions[1]
        .description
        .contains("Leadership, Organisation and Workforce Development"));
    assert_eq!(
        minutes.actions[0].description,
        "Executive to advise relevant representative for the working group for the Shared Intelligence system mandate to Cath Hudspith by 4th May 2018"
    );
    assert!(minutes.flags.is_empty(), "{:?}", minutes.flags);
    let json = serde_json::to_value(&minutes).unwrap();
    assert_eq!(json["actions"][0]["due"], "2018-05-04");
}

// ---------------------------------------------------------------------------------------------
// Variants in the same shape

/// A plan with the columns in another order, CRLF line endings, a BOM, non-breaking and extra
/// spaces, curly quotes, leads joined with "and", an "Outcomes" column before the dates, an
/// unknown column, two amounts in one cell, a financial year, a quarter, and "ongoing".
const VARIANT: &str = "\u{feff}\tSouth West Place Cluster Delivery Plan\r\n\
Cluster Name:   SW  \r\n\
Lead Applicant Name: Active Devon\r\n\
\r\n\
\tWORK AREA\r\n\
\r\n\
\tWhat will you do?\r\n\
\tNotes\r\n\
\tWhy is this work needed?\r\n\
\tOutcomes\r\n\
\tBudget\r\n\
\tTimescales\r\n\
\tRun a “learning exchange”   for  coastal places\r\n\
\r\n\
Lead: Sam\u{a0}Patel and Jo Green\r\n\
\tHost four exchanges.\r\n\
\r\n\
Publish what is learned.\r\n\
\tInternal note\r\n\
\tCoastal places face similar challenges\u{2019} and rarely meet.\r\n\
\t• Places meet quarterly\r\n\
• Two joint bids\r\n\
\tVenue hire £1,200 and facilitation £3.5k; travel bursaries of £800.\r\n\
\t2026/27\r\n\
\tRefresh the insight dashboard\r\n\
\r\n\
Accountable Leads: A. Brown, C. Diaz\r\n\
\tKeep the dashboard current.\r\n\
\t\r\n\
\tPartners lack shared data.\r\n\
\tDecisions use current data.\r\n\
\tStaff time only – no cash.\r\n\
\tfrom June 2026, ongoing\r\n\
\tPilot a maturity matrix (Accountable Lead – Priya Shah)\r\n\
\tTest the matrix in two places.\r\n\
\t\r\n\
\tTo learn what works.\r\n\
\tA tested matrix.\r\n\
\tUp to £2,500\r\n\
\tQ3 2026\r\n";

#[test]
fn variant_plan_in_the_same_shape() {
    let plan = parse_plan(VARIANT).unwrap();
    assert_eq!(plan.title, "South West Place Cluster Delivery Plan");
    assert_eq!(plan.cluster.as_deref(), Some("SW"));
    assert_eq!(plan.lead_applicant.as_deref(), Some("Active Devon"));
    assert_eq!(plan.work_areas.len(), 3);
    assert_eq!(plan.flags.len(), 2, "{:?}", plan.flags); // the Notes column; no milestones column
    assert!(plan.flags.iter().any(|f| f.message.contains("Notes")));

    let a = &plan.work_areas[0];
    assert_eq!(a.title, "Run a “learning exchange” for coastal places");
    assert_eq!(a.accountable_leads, ["Sam Patel", "Jo Green"]);
    assert_eq!(
        a.what_we_will_do,
        "Host four exchanges.\n\nPublish what is learned."
    );
    assert_eq!(
        a.why,
        "Coastal places face similar challenges’ and rarely meet."
    );
    assert_eq!(a.outcomes, ["Places meet quarterly", "Two joint bids"]);
    let lines: Vec<(&str, i64)> = a
        .budget_lines
        .iter()
        .map(|l| (l.label.as_str(), l.amount_pence))
        .collect();
    assert_eq!(
        lines,
        [
            ("Venue hire", 120_000),
            ("Facilitation", 350_000),
            ("Travel bursaries", 80_000)
        ]
    );
    assert_eq!(a.budget_total_pence, Some(550_000));
    assert_eq!(
        (a.start, a.end),
        (Some(date(2026, 4, 1)), Some(date(2027, 3, 31)))
    );
    assert!(a.flags.is_empty(), "{:?}", a.flags);

    let b = &plan.work_areas[1];
    assert_eq!(b.title, "Refresh the insight dashboard");
    assert_eq!(b.accountable_leads, ["A. Brown", "C. Diaz"]);
    assert_eq!(b.budget_total_pence, None);
    assert!(b
        .flags
        .iter()
        .any(|f| f.field == "budget" && f.message.contains("No budget found")));
    assert_eq!(
        (b.start, b.end, b.end_open),
        (Some(date(2026, 6, 1)), None, true)
    );
    assert_eq!(b.flags.len(), 1, "{:?}", b.flags);

    let c = &plan.work_areas[2];
    assert_eq!(c.title, "Pilot a maturity matrix");
    assert_eq!(c.accountable_leads, ["Priya Shah"]);
    assert_eq!(
        c.budget_lines,
        [BudgetLine {
            label: "Budget".into(),
            amount_pence: 250_000
        }]
    );
    assert_eq!(
        (c.start, c.end),
        (Some(date(2026, 7, 1)), Some(date(2026, 9, 30)))
    );
}

#[test]
fn crlf_and_lf_read_the_same() {
    let crlf = PLAN.replace('\n', "\r\n");
    assert_eq!(parse_plan(&crlf).unwrap(), parse_plan(PLAN).unwrap());
    let crlf = MINUTES.replace('\n', "\r\n");
    assert_eq!(
        parse_minutes(&crlf).unwrap(),
        parse_minutes(MINUTES).unwrap()
    );
}

#[test]
fn plain_tab_separated_lines() {
    let text = "Delivery plan: North East\nCluster: NE\n\
Work area\tWhy\tWhat you will do\tResources\tDates\tOutcomes\n\
Share learning (Lead: Kim Lee)\tPlaces work alone.\tRun a network.\n\nMeet monthly.\t£4k for events\tMay 2026 to March 2027\tMore sharing.\nBetter practice.\n\
Evaluate\tTo know what works.\tCommission an evaluation.\t£10,000\tQ4 2026\tA report.\n";
    let plan = parse_plan(text).unwrap();
    assert_eq!(plan.title, "Delivery plan: North East");
    assert_eq!(plan.cluster.as_deref(), Some("NE"));
    assert_eq!(plan.work_areas.len(), 2);
    let a = &plan.work_areas[0];
    assert_eq!(a.title, "Share learning");
    assert_eq!(a.accountable_leads, ["Kim Lee"]);
    assert_eq!(a.what_we_will_do, "Run a network.\n\nMeet monthly.");
    assert_eq!(a.budget_total_pence, Some(400_000));
    assert_eq!(a.outcomes, ["More sharing. Better practice."]);
    assert_eq!(
        (a.start, a.end),
        (Some(date(2026, 5, 1)), Some(date(2027, 3, 31)))
    );
    let b = &plan.work_areas[1];
    assert_eq!(b.title, "Evaluate");
    assert_eq!(b.budget_total_pence, Some(1_000_000));
    assert!(b.flags.iter().any(|f| f.field == "accountable_leads"));
}

#[test]
fn dates_that_cannot_be_read_are_flagged() {
    let text = "\tPlan\n\tWork area\n\tWhat you will do\n\tWhen\n\tDo a thing\nLead: Al Kay\n\tThings.\n\tWhen funding allows\n";
    let plan = parse_plan(text).unwrap();
    let area = &plan.work_areas[0];
    assert_eq!((area.start, area.end), (None, None));
    assert!(area
        .flags
        .iter()
        .any(|f| f.field == "when" && f.message.contains("When funding allows")));
}

#[test]
fn separate_start_and_end_date_columns() {
    let text = "\tWork area\n\tWhat you will do\n\tStart date\n\tEnd date\n\tBudget\n\
\tRun the network\nAccountable Lead: Jo Green\n\tMeet.\n\t1st May 2026\n\t31/03/2027\n\t£1,500\n\
\tKeep it going\nLead: Jo Green\n\tMeet again.\n\tApril 2027\n\tOngoing\n\t£0\n";
    let plan = parse_plan(text).unwrap();
    assert_eq!(plan.work_areas.len(), 2);
    let a = &plan.work_areas[0];
    assert_eq!(
        (a.start, a.end),
        (Some(date(2026, 5, 1)), Some(date(2027, 3, 31)))
    );
    assert_eq!(a.budget_total_pence, Some(150_000));
    let b = &plan.work_areas[1];
    assert_eq!(
        (b.start, b.end, b.end_open),
        (Some(date(2027, 4, 1)), None, true)
    );
    assert_eq!(b.budget_total_pence, Some(0));
}

#[test]
fn variant_minutes() {
    let text = "Minutes of the Place Executive\r\n\r\nAgenda Item 4: Mandates refresh\r\n\r\n\
The three mandates agreed were:\r\n\r\n\
1) Active environments;\r\n\
2) Workforce development, including\r\n   leadership; and\r\n\
3) Shared data.\r\n\r\n\
Other business\r\n\r\n\
1. Date of next meeting\r\n\r\n\
ACTION: Jo Green to circulate the revised mandates by 15/06/2019\r\n\
Action - All to review the data plan by end of July 2019\r\n\
Action – Report back to the Board at the next meeting\r\n";
    let m = parse_minutes(text).unwrap();
    assert_eq!(m.title, "Mandates refresh");
    assert_eq!(
        m.mandates,
        [
            "Active environments",
            "Workforce development, including leadership",
            "Shared data"
        ]
    );
    assert_eq!(m.actions.len(), 3);
    assert_eq!(m.actions[0].owner.as_deref(), Some("Jo Green"));
    assert_eq!(m.actions[0].due, Some(date(2019, 6, 15)));
    assert!(m.actions[0].flags.is_empty());
    assert_eq!(m.actions[1].owner.as_deref(), Some("All"));
    assert_eq!(m.actions[1].due, Some(date(2019, 7, 31)));
    assert_eq!(m.actions[2].owner, None);
    assert_eq!(m.actions[2].due, None);
    assert_eq!(m.actions[2].flags.len(), 2);
    assert!(m.flags.is_empty(), "{:?}", m.flags);
}

#[test]
fn minutes_without_agenda_item_or_mandates() {
    let m =
        parse_minutes("Notes of a call\n\nWe talked.\n\nAction: Sam to send notes by 4th May\n")
            .unwrap();
    assert_eq!(m.title, "Notes of a call");
    assert!(m.mandates.is_empty());
    assert_eq!(m.actions[0].owner.as_deref(), Some("Sam"));
    assert_eq!(m.actions[0].due, None);
    assert!(m.actions[0]
        .flags
        .iter()
        .any(|f| f.field == "due" && f.message.contains("4th May")));
    let fields: Vec<&str> = m.flags.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["title", "mandates"]);
}

#[test]
fn a_miscounted_mandate_list_is_flagged() {
    let m =
        parse_minutes("Agenda item\nMandates\nThe four mandates are:\n1. One\n2. Two\n3. Three\n")
            .unwrap();
    assert_eq!(m.mandates.len(), 3);
    assert!(m
        .flags
        .iter()
        .any(|f| f.message.contains("announce 4 mandates but 3")));
}

// ---------------------------------------------------------------------------------------------
// Hostile and broken input

#[test]
fn too_large() {
    let big = "\tWork area\n".repeat(1024 * 1024); // 11 MB
    assert!(big.len() > 10 * 1024 * 1024);
    assert_eq!(parse_plan(&big), Err(ImportError::TooLarge));
    assert_eq!(parse_minutes(&big), Err(ImportError::TooLarge));
    let just_over = "a".repeat(MAX_IMPORT_BYTES + 1);
    assert_eq!(parse_plan(&just_over), Err(ImportError::TooLarge));
}

#[test]
fn the_size_limit_itself_is_accepted_quickly() {
    // Near the limit, a table of many rows still parses (in linear time).
    let row = "\tA work area\nLead: Al Kay\n\tWhy\n\tWhat\n\t£1k\n\tQ1 2027\n\tOutcome\n";
    let header = "\tWork area\n\tWhy\n\tWhat you will do\n\tResources\n\tWhen\n\tOutcomes\n";
    let mut text = String::from("Plan\n");
    text.push_str(header);
    while text.len() + row.len() <= MAX_IMPORT_BYTES {
        text.push_str(row);
    }
    let plan = parse_plan(&text).unwrap();
    assert!(plan.work_areas.len() > 50_000);
    assert_eq!(plan.work_areas[0].budget_total_pence, Some(100_000));
}

#[test]
fn empty_and_binary() {
    assert_eq!(parse_plan(""), Err(ImportError::Empty));
    assert_eq!(parse_plan(" \r\n\t \u{feff}\n"), Err(ImportError::Empty));
    assert_eq!(parse_minutes("\n\n"), Err(ImportError::Empty));
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let garbage = String::from_utf8_lossy(&bytes);
    assert!(matches!(
        parse_plan(&garbage),
        Err(ImportError::NotATable(_) | ImportError::Empty)
    ));
    assert!(matches!(
        parse_minutes(&garbage),
        Err(ImportError::NotATable(_) | ImportError::Empty)
    ));
    let png = "\u{89}PNG\r\n\u{1a}\n\0\0\0\rIHDR\0\0\u{1}\0";
    assert!(matches!(parse_plan(png), Err(ImportError::NotATable(_))));
}

#[test]
fn text_that_is_not_a_table() {
    assert!(matches!(
        parse_plan("Just a paragraph about the plan."),
        Err(ImportError::NotATable(_))
    ));
    assert!(matches!(
        parse_plan(MINUTES),
        Err(ImportError::NotATable(_))
    ));
    assert!(matches!(
        parse_plan("a\tb\tc\n1\t2\t3\n"),
        Err(ImportError::NotATable(_))
    ));
}

#[test]
fn missing_columns() {
    let no_title = "\tWhy\n\tWhat you will do\n\tOutcomes\n\tx\n\ty\n\tz\n";
    assert_eq!(
        parse_plan(no_title),
        Err(ImportError::MissingColumns(vec!["Work area".into()]))
    );
    let only_title = "\tWork area\n\tResources\n\tWhen\n\tA\n\t£1\n\tMay 2026\n";
    assert_eq!(
        parse_plan(only_title),
        Err(ImportError::MissingColumns(vec![
            "Why is this work needed or What you will do".into()
        ]))
    );
    let err = parse_plan("Work area\tNotes\nA\tB\n").unwrap_err();
    assert!(matches!(err, ImportError::MissingColumns(_)));
    assert!(err
        .to_string()
        .starts_with("The table is missing required columns: "));
}

#[test]
fn header_only_and_short_last_row() {
    let plan = parse_plan("\tWork area\n\tWhy\n\tWhen\n").unwrap();
    assert!(plan.work_areas.is_empty());
    assert!(plan.flags.iter().any(|f| f.field == "work_areas"));
    let plan = parse_plan("\tWork area\n\tWhy\n\tWhen\n\tA\nLead: X Y\n\tBecause\n").unwrap();
    assert_eq!(plan.work_areas.len(), 1);
    assert!(plan.flags.iter().any(|f| f.field == "rows"));
    assert!(plan.work_areas[0].flags.iter().any(|f| f.field == "when"));
}

#[test]
fn pathological_cells_do_not_panic() {
    let nasty = [
        "\tWork area\n\tWhy\n\t££££££\n\t£\n",
        "\tWork area\n\tWhy\n\tResources\n\tx\n\ty\n\t£9999999999999999999999999999999999k\n",
        "\tWork area\n\tWhy\n\tWhen\n\tx\n\ty\n\t99/99/9999 Q9 2026 0th May 2026 2026/2099 31 Feb 2026\n",
        "\tWork area\n\tWhy\n\tWhen\n\t(((((\n\t)))\n\tLead:\n",
        "\tWork area\n\tWhy\n\tWhen\n\tAccountable Lead: \n\t\u{1F600}\u{301}\n\t\u{130}\u{212A}\n",
    ];
    for text in nasty {
        let _ = parse_plan(text);
        let _ = parse_minutes(text);
    }
    for text in [
        "1.",
        "1. ",
        "Action:",
        "Action –",
        "Agenda item",
        "Agenda item\n",
        "Action: to by by by",
    ] {
        let _ = parse_minutes(text);
    }
    let p = parse_plan(
        "\tWork area\n\tWhy\n\tResources\n\tx\n\ty\n\t£9999999999999999999999999999999999k\n",
    )
    .unwrap();
    assert_eq!(p.work_areas[0].budget_total_pence, None);
    assert!(p.work_areas[0]
        .flags
        .iter()
        .any(|f| f.message.contains("too large")));
}

#[test]
fn random_documents_never_panic() {
    const PIECES: [&str; 40] = [
        "\t",
        "\n",
        "\r\n",
        " ",
        "\u{a0}",
        "£",
        "k",
        "m",
        ",",
        ".",
        "-",
        "–",
        "/",
        ":",
        "(",
        ")",
        "Sept",
        "May",
        "march",
        "2026",
        "27",
        "4th",
        "Q3",
        "ongoing",
        "Work area",
        "Why",
        "What you will do",
        "Resources",
        "When",
        "Outcomes",
        "Accountable Lead:",
        "Lead:",
        " and ",
        "1.",
        "2)",
        "Action –",
        " to ",
        " by ",
        "İ\u{212A}é",
        "\u{feff}",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..3000 {
        let len = (next() % 60) as usize;
        let doc: String = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        if let Ok(plan) = parse_plan(&doc) {
            for area in &plan.work_areas {
                if let (Some(s), Some(e)) = (area.start, area.end) {
                    assert!(s <= e, "{doc:?}");
                }
                let sum = area
                    .budget_lines
                    .iter()
                    .try_fold(0i64, |t, l| t.checked_add(l.amount_pence));
                assert_eq!(
                    area.budget_total_pence,
                    sum.filter(|_| !area.budget_lines.is_empty())
                );
            }
        }
        let _ = parse_minutes(&doc);
        let _ = parse_money(&doc);
        let _ = parse_date_range(&doc);
        let _ = parse_due_date(&doc);
    }
}
