//! The demo network's static content: real North West places, partner organisations and the
//! people named in the source documents (`shared/seeds`, `shared/DOMAIN.md`).

pub struct DemoPlace {
    pub slug: &'static str,
    pub name: &'static str,
    /// One of `lz_domain::PlaceKind`'s codes: "se", "ldp", "uo", "ics", "local".
    pub kind: &'static str,
    /// Office for National Statistics GSS code where one applies.
    pub gss_code: Option<&'static str>,
    pub summary: &'static str,
}

pub struct DemoOrganisation {
    pub slug: &'static str,
    pub name: &'static str,
    /// One of `lz_domain::Sector`'s codes.
    pub sector: &'static str,
    pub place_slug: Option<&'static str>,
    /// Email domains that join a verified member to this organisation at once.
    pub domains: &'static [&'static str],
}

pub struct DemoPerson {
    pub name: &'static str,
    pub email: &'static str,
    /// One of `lz_domain::Role`'s codes.
    pub role: &'static str,
    pub organisation_slug: &'static str,
    pub note: &'static str,
}

pub const PLACES: &[DemoPlace] = &[
    DemoPlace {
        slug: "pennine-lancashire",
        name: "Pennine Lancashire",
        kind: "ldp",
        gss_code: None,
        summary: "Sport England Local Delivery Pilot since 2017, branded Together an Active \
                  Future (TaAF), covering Blackburn with Darwen, Burnley, Hyndburn, Pendle, \
                  Ribble Valley and Rossendale. Active Partnership: Active Lancashire; ICB: NHS \
                  Lancashire and South Cumbria.",
    },
    DemoPlace {
        slug: "blackburn-with-darwen",
        name: "Blackburn with Darwen",
        kind: "ldp",
        gss_code: Some("E06000008"),
        summary: "Unitary authority within the Pennine Lancashire Local Delivery Pilot (TaAF). \
                  Active Partnership: Active Lancashire; ICB: NHS Lancashire and South Cumbria; \
                  constituent member of the Lancashire Combined County Authority.",
    },
    DemoPlace {
        slug: "burnley",
        name: "Burnley",
        kind: "ldp",
        gss_code: Some("E07000117"),
        summary: "District within the Pennine Lancashire Local Delivery Pilot (TaAF). Active \
                  Partnership: Active Lancashire; ICB: NHS Lancashire and South Cumbria. \
                  \"Burnley #OutdoorTown\" was a Lancashire CPAN topic in October 2024.",
    },
    DemoPlace {
        slug: "hyndburn",
        name: "Hyndburn",
        kind: "ldp",
        gss_code: Some("E07000120"),
        summary: "District within the Pennine Lancashire Local Delivery Pilot (TaAF). Active \
                  Partnership: Active Lancashire; ICB: NHS Lancashire and South Cumbria. Home of \
                  Hyndburn Leisure Trust.",
    },
    DemoPlace {
        slug: "blackpool",
        name: "Blackpool",
        kind: "se",
        gss_code: Some("E06000009"),
        summary: "Sport England Place Expansion Phase 1 place (2025), branded Move Together \
                  Blackpool. Active Partnership: Active Lancashire; ICB: NHS Lancashire and South \
                  Cumbria; constituent member of the Lancashire Combined County Authority.",
    },
    DemoPlace {
        slug: "preston",
        name: "Preston",
        kind: "se",
        gss_code: Some("E07000123"),
        summary: "Sport England Place Expansion Phase 2 place (November 2025). Active \
                  Partnership: Active Lancashire; also one of the NHS Lancashire and South \
                  Cumbria place-based partnership localities.",
    },
    DemoPlace {
        slug: "chorley",
        name: "Chorley",
        kind: "local",
        gss_code: Some("E07000118"),
        summary: "Local public service reform partnership whose Executive agreed seven delivery \
                  mandates. Active Partnership: Active Lancashire; NHS locality: Central \
                  Lancashire.",
    },
    DemoPlace {
        slug: "greater-manchester",
        name: "Greater Manchester",
        kind: "ldp",
        gss_code: Some("E47000001"),
        summary: "Sport England Local Delivery Pilot since 2017; all 10 boroughs have had place \
                  partnerships since 2018. Active Partnership: GM Moving (formerly branded \
                  GreaterSport); NHS Greater Manchester ICB and the Greater Manchester Combined \
                  Authority.",
    },
    DemoPlace {
        slug: "oldham",
        name: "Oldham",
        kind: "ldp",
        gss_code: Some("E08000004"),
        summary: "Greater Manchester borough place partnership, deepening: expanding from \
                  Failsworth and Glodwick to one neighbourhood in each of its 5 districts. Active \
                  Partnership: GM Moving.",
    },
    DemoPlace {
        slug: "salford",
        name: "Salford",
        kind: "ldp",
        gss_code: Some("E08000006"),
        summary: "Greater Manchester borough with a place partnership since 2018; GM Moving \
                  publishes its key learnings for 2019-24. Active Partnership: GM Moving.",
    },
    DemoPlace {
        slug: "rochdale",
        name: "Rochdale",
        kind: "ldp",
        gss_code: Some("E08000005"),
        summary: "Greater Manchester borough with a place partnership since 2018. Active \
                  Partnership: GM Moving.",
    },
    DemoPlace {
        slug: "cumberland",
        name: "Cumberland",
        kind: "se",
        gss_code: None,
        summary: "Sport England Place Expansion Phase 1 place (2025), focused on Maryport, \
                  Workington and Whitehaven, under the Let's Move! banner. Active Partnership: \
                  Active Cumbria; ICB: NHS North East and North Cumbria (inferred).",
    },
    DemoPlace {
        slug: "barrow-in-furness",
        name: "Barrow-in-Furness",
        kind: "uo",
        gss_code: Some("E07000027"),
        summary: "Sport England Universal Offer place: \"Let's Move! Westmorland and Furness\", \
                  supported to at least March 2028. Active Partnership: Active Cumbria; ICB: NHS \
                  Lancashire and South Cumbria. The GSS code is the pre-2023 district's.",
    },
    DemoPlace {
        slug: "cheshire-east",
        name: "Cheshire East",
        kind: "se",
        gss_code: Some("E06000049"),
        summary: "Sport England Place Expansion Phase 1 place (2025). Active Partnership: Active \
                  Cheshire; ICB: NHS Cheshire and Merseyside; part of the Cheshire and Warrington \
                  Combined Authority.",
    },
    DemoPlace {
        slug: "cheshire-west-and-chester",
        name: "Cheshire West and Chester",
        kind: "se",
        gss_code: Some("E06000050"),
        summary: "Sport England Place Expansion Phase 1 place (2025). Active Partnership: Active \
                  Cheshire; ICB: NHS Cheshire and Merseyside; part of the Cheshire and Warrington \
                  Combined Authority.",
    },
    DemoPlace {
        slug: "knowsley",
        name: "Knowsley",
        kind: "uo",
        gss_code: Some("E08000011"),
        summary: "Liverpool City Region borough, listed as a Universal Offer place (inferred, not \
                  verified). Active Partnership: Merseyside Sport Partnership; ICB: NHS Cheshire \
                  and Merseyside.",
    },
];

pub const ORGANISATIONS: &[DemoOrganisation] = &[
    DemoOrganisation {
        slug: "sport-england",
        name: "Sport England",
        sector: "funder",
        place_slug: None,
        domains: &["sportengland.org"],
    },
    DemoOrganisation {
        slug: "apno",
        name: "Active Partnerships National Organisation (APNO)",
        sector: "national_body",
        place_slug: None,
        domains: &["activepartnerships.org"],
    },
    DemoOrganisation {
        slug: "active-lancashire",
        name: "Active Lancashire",
        sector: "active_partnership",
        place_slug: None,
        domains: &["activelancashire.org.uk"],
    },
    DemoOrganisation {
        slug: "active-cumbria",
        name: "Active Cumbria",
        sector: "active_partnership",
        place_slug: None,
        domains: &[],
    },
    DemoOrganisation {
        slug: "gm-moving",
        name: "GM Moving",
        sector: "active_partnership",
        place_slug: Some("greater-manchester"),
        domains: &["gmmoving.co.uk", "greatersport.co.uk"],
    },
    DemoOrganisation {
        slug: "active-cheshire",
        name: "Active Cheshire",
        sector: "active_partnership",
        place_slug: None,
        domains: &["activecheshire.org"],
    },
    DemoOrganisation {
        slug: "merseyside-sport-partnership",
        name: "Merseyside Sport Partnership",
        sector: "active_partnership",
        place_slug: None,
        domains: &["merseysidesport.com"],
    },
    DemoOrganisation {
        slug: "nhs-lancashire-and-south-cumbria-icb",
        name: "NHS Lancashire and South Cumbria ICB",
        sector: "nhs",
        place_slug: None,
        domains: &[],
    },
    DemoOrganisation {
        slug: "nhs-cheshire-and-merseyside-icb",
        name: "NHS Cheshire and Merseyside ICB",
        sector: "nhs",
        place_slug: None,
        domains: &[],
    },
    DemoOrganisation {
        slug: "nhs-greater-manchester-icb",
        name: "NHS Greater Manchester ICB",
        sector: "nhs",
        place_slug: Some("greater-manchester"),
        domains: &[],
    },
    DemoOrganisation {
        slug: "nhs-nw-leadership-academy",
        name: "NHS North West Leadership Academy",
        sector: "nhs",
        place_slug: None,
        domains: &[],
    },
    DemoOrganisation {
        slug: "lancashire-cca",
        name: "Lancashire Combined County Authority",
        sector: "combined_authority",
        place_slug: None,
        domains: &[],
    },
    DemoOrganisation {
        slug: "gmca",
        name: "Greater Manchester Combined Authority",
        sector: "combined_authority",
        place_slug: Some("greater-manchester"),
        domains: &["greatermanchester-ca.gov.uk"],
    },
    DemoOrganisation {
        slug: "lcrca",
        name: "Liverpool City Region Combined Authority",
        sector: "combined_authority",
        place_slug: None,
        domains: &["liverpoolcityregion-ca.gov.uk"],
    },
    DemoOrganisation {
        slug: "cheshire-and-warrington-ca",
        name: "Cheshire and Warrington Combined Authority",
        sector: "combined_authority",
        place_slug: None,
        domains: &[],
    },
    DemoOrganisation {
        slug: "lancashire-county-council",
        name: "Lancashire County Council (Public Health)",
        sector: "local_authority",
        place_slug: None,
        domains: &["lancashire.gov.uk"],
    },
    DemoOrganisation {
        slug: "blackburn-with-darwen-council",
        name: "Blackburn with Darwen Borough Council",
        sector: "local_authority",
        place_slug: Some("blackburn-with-darwen"),
        domains: &["blackburn.gov.uk"],
    },
    DemoOrganisation {
        slug: "blackpool-council",
        name: "Blackpool Council",
        sector: "local_authority",
        place_slug: Some("blackpool"),
        domains: &["blackpool.gov.uk"],
    },
    DemoOrganisation {
        slug: "chorley-council",
        name: "Chorley Council",
        sector: "local_authority",
        place_slug: Some("chorley"),
        domains: &["chorley.gov.uk"],
    },
    DemoOrganisation {
        slug: "blackpool-fc-community-trust",
        name: "Blackpool FC Community Trust",
        sector: "vcfse",
        place_slug: Some("blackpool"),
        domains: &["bfcct.co.uk"],
    },
    DemoOrganisation {
        slug: "hyndburn-leisure-trust",
        name: "Hyndburn Leisure Trust",
        sector: "leisure_trust",
        place_slug: Some("hyndburn"),
        domains: &["hyndburnleisure.co.uk"],
    },
    DemoOrganisation {
        slug: "shu-awrc",
        name: "Sheffield Hallam University Advanced Wellbeing Research Centre (AWRC)",
        sector: "research",
        place_slug: None,
        domains: &["shu.ac.uk"],
    },
    DemoOrganisation {
        slug: "nihr-arc-nwc",
        name: "NIHR ARC North West Coast",
        sector: "research",
        place_slug: None,
        domains: &[],
    },
    DemoOrganisation {
        slug: "edge-hill-university",
        name: "Edge Hill University",
        sector: "research",
        place_slug: None,
        domains: &["edgehill.ac.uk"],
    },
    DemoOrganisation {
        slug: "cimspa",
        name: "CIMSPA",
        sector: "workforce",
        place_slug: None,
        domains: &["cimspa.co.uk"],
    },
];

pub const PEOPLE: &[DemoPerson] = &[
    DemoPerson {
        name: "Beth Kay",
        email: "beth.kay@activelancashire.org.uk",
        role: "network_admin",
        organisation_slug: "active-lancashire",
        note: "Accountable lead: Learning Zone; learning series",
    },
    DemoPerson {
        name: "Amanda Forrest",
        email: "amanda.forrest@activelancashire.org.uk",
        role: "moderator",
        organisation_slug: "active-lancashire",
        note: "Co-lead: learning series",
    },
    DemoPerson {
        name: "Richard Davis Boreham",
        email: "richard.davis-boreham@activelancashire.org.uk",
        role: "org_admin",
        organisation_slug: "active-lancashire",
        note: "Accountable lead: framing and positioning of PAS across the NW",
    },
    DemoPerson {
        name: "Cath Hudspith",
        email: "cath.hudspith@chorley.gov.uk",
        role: "org_admin",
        organisation_slug: "chorley-council",
        note: "Executive lead for the mandates (Executive minutes)",
    },
    DemoPerson {
        name: "Alex Sample",
        email: "alex.sample@blackpool.gov.uk",
        role: "contributor",
        organisation_slug: "blackpool-council",
        note: "Fictional demo account",
    },
    DemoPerson {
        name: "Priya Example",
        email: "priya.example@lancashire.gov.uk",
        role: "place_lead",
        organisation_slug: "lancashire-county-council",
        note: "Fictional demo account",
    },
    DemoPerson {
        name: "Jamie Placeholder",
        email: "jamie.placeholder@hyndburnleisure.co.uk",
        role: "member",
        organisation_slug: "hyndburn-leisure-trust",
        note: "Fictional demo account",
    },
    DemoPerson {
        name: "Jordan Testwell",
        email: "jordan.testwell@gmmoving.co.uk",
        role: "contributor",
        organisation_slug: "gm-moving",
        note: "Fictional demo account",
    },
    DemoPerson {
        name: "Chris Specimen",
        email: "chris.specimen@activecheshire.org",
        role: "member",
        organisation_slug: "active-cheshire",
        note: "Fictional demo account",
    },
];
