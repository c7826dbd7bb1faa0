use super::*;

#[test]
fn headings_are_recognised_by_keywords() {
    let cases = [
        ("Work Area", Some(Col::Title)),
        ("Why is this work needed?\n(be explicit about alignment … learning to date)", Some(Col::Why)),
        ("Key milestones/\nprogress to date\n(i.e. where linked to an existing work area)", Some(Col::Progress)),
        ("What you will do\nDescribe the outputs and how will this work area will be delivered", Some(Col::What)),
        ("What resources do you need to delivery this work area?\n\n(i.e. linked to headings within budget template)", Some(Col::Resources)),
        ("When will the work take place? \n(start and end dates)", Some(Col::When)),
        ("Outcomes\n(what impact will you be able to show?)", Some(Col::Outcomes)),
        ("OUTCOMES", Some(Col::Outcomes)),
        ("Accountable lead", Some(Col::Lead)),
        ("Lead", Some(Col::Lead)),
        ("Timescales", Some(Col::When)),
        ("Budget (£)", Some(Col::Resources)),
        ("Place Cluster Delivery Plan Template\nCluster Name: NW\nLead Applicant Name: Active Lancashire\nURN:", None),
        ("Create and enable a Learning Zone\n\nAccountable Lead: Beth Kay", None),
        ("Lead the development of a shared approach across places", None),
        ("Notes", None),
    ];
    for (text, want) in cases {
        assert_eq!(classify_heading(text), want, "{text}");
    }
}

#[test]
fn leads_are_split_and_removed_from_the_title() {
    let (names, rest, found) =
        take_leads("Create and enable a Learning Zone  \n\nAccountable Lead: Beth Kay");
    assert!(found);
    assert_eq!(names, ["Beth Kay"]);
    assert_eq!(collapse_ws(&rest), "Create and enable a Learning Zone");

    assert_eq!(
        take_leads("Accountable Lead: Beth Kay / Amanda Forrest").0,
        ["Beth Kay", "Amanda Forrest"]
    );
    assert_eq!(
        take_leads("Lead: Sam Patel and Jo Green").0,
        ["Sam Patel", "Jo Green"]
    );
    assert_eq!(
        take_leads("Accountable Leads: A One, B Two & C Three").0,
        ["A One", "B Two", "C Three"]
    );
    assert_eq!(take_leads("ACCOUNTABLE LEAD – Jo Green").0, ["Jo Green"]);
    assert_eq!(take_leads("Lead: “Jo Green”").0, ["Jo Green"]);
    assert_eq!(
        take_leads("Accountable Lead(s):   Jo   Green  ").0,
        ["Jo Green"]
    );
    let (names, rest, _) = take_leads("Run events (Lead: Jo Green) across the NW");
    assert_eq!(names, ["Jo Green"]);
    assert_eq!(collapse_ws(&rest), "Run events across the NW");
    let (names, _, found) = take_leads("Accountable Lead: TBC");
    assert!(found && names.is_empty());
    // Not labels.
    assert!(!take_leads("Leadership: building capacity").2);
    assert!(!take_leads("The lead: a note in the middle of a sentence").2);
    assert!(!take_leads("Production of an advocacy resource").2);
}

#[test]
fn preamble() {
    let (t, c, l) =
        preamble_fields(" \nPlace Cluster Delivery Plan Template\nCluster Name: NW\nLead Applicant Name: Active Lancashire\nURN: \n");
    assert_eq!(t.as_deref(), Some("Place Cluster Delivery Plan Template"));
    assert_eq!(c.as_deref(), Some("NW"));
    assert_eq!(l.as_deref(), Some("Active Lancashire"));
    let (t, c, l) = preamble_fields("URN: 123\nCluster name:\nNorth East\nLead applicant:\n");
    assert_eq!((t, c.as_deref(), l), (None, Some("North East"), None));
}

#[test]
fn key_milestones_become_milestones_where_they_name_a_date() {
    let got = super::work_area::milestones(
        "The platform is available to all places to use by March 2027 (subject to funding being secured).\n\n\
         The value of such a resource is seen as valuable to all partners in the NW.\n\n\
         The re-framing of PAS to be completed for the NW footprint by Sept 2026. Places given the support to create a NW narrative.",
    );
    let pairs: Vec<(String, String)> = got
        .iter()
        .map(|m| (m.title.clone(), m.due.to_string()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            (
                "The platform is available to all places to use by March 2027 (subject to funding being secured)".to_string(),
                "2027-03-31".to_string()
            ),
            (
                "The re-framing of PAS to be completed for the NW footprint by Sept 2026".to_string(),
                "2026-09-30".to_string()
            ),
        ]
    );
    assert!(super::work_area::milestones("Progress so far is good.").is_empty());
}
