//! Demo learning library: the managed taxonomy (the delivery plan's learning-series themes,
//! agendas, audiences) and about thirty items from North West places, written through the use cases.

use std::collections::HashMap;

use lz_domain::library::Transition;

use super::data;
use crate::library::ItemInput;
use crate::network::{OrganisationRecord, PlaceRecord};
use crate::{Actor, App, AppError, AppResult};

/// A term of one of the managed vocabularies: (name, one-line description).
type DemoTerm = (&'static str, &'static str);

/// The four learning-series themes named in the delivery plan come first.
pub const THEMES: &[DemoTerm] = &[
    ("Enabling active environments", "Shaping streets, parks, planning and places so that being active is the easy choice."),
    ("Performance improvement: NELP and the System Leadership Maturity Matrix", "Using NELP's evaluation and the System Maturity Matrix to see how a place's system is maturing and act on it."),
    ("Pivoting public leisure to wellbeing", "Turning leisure centres and trusts into community wellbeing services that reach the least active."),
    ("Physical activity in adult social care", "Bringing physical activity and sport into care homes, home care and reablement."),
    ("Workforce development", "Skills, training and confidence of the people who deliver and commission physical activity."),
    ("Community engagement and co-production", "Working with residents and community groups rather than doing to them."),
    ("Data, insight and evaluation", "Local data, Active Lives, insight work and evaluation methods that show what changes."),
    ("Social prescribing and health pathways", "Routes from primary care, the NHS and the voluntary sector into being active."),
];

/// The agendas that the advocacy resource makes the case to.
pub const AGENDAS: &[DemoTerm] = &[
    (
        "Health",
        "Prevention, long-term conditions and the NHS's priorities.",
    ),
    (
        "Adult social care",
        "Independence, reablement and the care workforce.",
    ),
    (
        "Mental health",
        "Wellbeing, loneliness and mental health services.",
    ),
    (
        "Economy",
        "Good work, skills, economic inactivity and local growth.",
    ),
    (
        "Active travel",
        "Walking, wheeling and cycling for everyday journeys.",
    ),
    (
        "Planning and environment",
        "Local plans, green and blue spaces, climate and decarbonisation.",
    ),
    (
        "Children and young people",
        "Schools, families, early years and youth services.",
    ),
    (
        "Inequalities",
        "Closing gaps in activity and health between communities.",
    ),
    (
        "Community safety",
        "Safer streets and parks, youth diversion and cohesion.",
    ),
];

pub const AUDIENCES: &[DemoTerm] = &[
    (
        "Commissioners",
        "People who commission services in councils, the NHS and combined authorities.",
    ),
    (
        "Elected members",
        "Councillors, cabinet members and combined authority members.",
    ),
    (
        "Practitioners",
        "Frontline staff and coordinators who run programmes with residents.",
    ),
    (
        "Leisure operators",
        "Leisure trusts, in-house council leisure and operators.",
    ),
    (
        "VCFSE organisations",
        "Voluntary, community, faith and social enterprise groups.",
    ),
    (
        "Researchers",
        "Universities, evaluators and the Research Network.",
    ),
    (
        "System leaders",
        "Chief officers, directors and partnership boards.",
    ),
];

/// What happens to a demo item after it is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Published,
    InReview,
    Draft,
    /// Submitted, then sent back with a comment: a draft with a review to act on.
    SentBack,
}

/// A generated document attached to an item; its text differs from the item's own words so
/// that a search can show a hit found only inside the attachment.
enum DemoFile {
    Pdf {
        name: &'static str,
        title: &'static str,
        paragraphs: &'static [&'static str],
    },
    Docx {
        name: &'static str,
        paragraphs: &'static [&'static str],
    },
    Pptx {
        name: &'static str,
        slides: &'static [&'static str],
    },
}

struct DemoItem {
    /// The creator's email (a demo account).
    by: &'static str,
    kind: &'static str,
    title: &'static str,
    summary: &'static str,
    context: &'static str,
    what_we_did: &'static str,
    what_we_learned: &'static str,
    do_differently: &'static str,
    outcomes: &'static str,
    contacts: &'static str,
    body_md: &'static str,
    organisation: &'static str,
    /// A place slug, or "" for the organisation's own place.
    place: &'static str,
    visibility: &'static str,
    themes: &'static [&'static str],
    agendas: &'static [&'static str],
    audiences: &'static [&'static str],
    /// One name per line; "" makes the creator the author.
    authors: &'static str,
    links: &'static str,
    file: Option<DemoFile>,
    state: State,
}

/// The defaults that most items share, so that each entry below only says what is its own.
const BASE: DemoItem = DemoItem {
    by: "",
    kind: "case_study",
    title: "",
    summary: "",
    context: "",
    what_we_did: "",
    what_we_learned: "",
    do_differently: "",
    outcomes: "",
    contacts: "",
    body_md: "",
    organisation: "",
    place: "",
    visibility: "public",
    themes: &[],
    agendas: &[],
    audiences: &[],
    authors: "",
    links: "",
    file: None,
    state: State::Published,
};

const ALEX: &str = "alex.sample@blackpool.gov.uk";
const JORDAN: &str = "jordan.testwell@gmmoving.co.uk";
const PRIYA: &str = "priya.example@lancashire.gov.uk";
const RICHARD: &str = "richard.davis-boreham@activelancashire.org.uk";
const CATH: &str = "cath.hudspith@chorley.gov.uk";
const BETH: &str = "beth.kay@activelancashire.org.uk";
const AMANDA: &str = "amanda.forrest@activelancashire.org.uk";

const ENV: &str = "Enabling active environments";
const NELP: &str = "Performance improvement: NELP and the System Leadership Maturity Matrix";
const LEISURE: &str = "Pivoting public leisure to wellbeing";
const ASC: &str = "Physical activity in adult social care";
const WORKFORCE: &str = "Workforce development";
const COPRO: &str = "Community engagement and co-production";
const DATA: &str = "Data, insight and evaluation";
const SOCIAL_RX: &str = "Social prescribing and health pathways";

const LEARNING_ZONE_NETWORKS: &str =
    "https://active-lancashire-learning-zone.thinkific.com/pages/networks";

const ITEMS: &[DemoItem] = &[
    DemoItem {
        by: ALEX,
        title: "From leisure centre to wellbeing hub: the first year in Blackpool",
        summary: "How Move Together Blackpool and the council's leisure service reshaped one centre's timetable and front desk around people who are not yet active.",
        context: "Blackpool has some of the highest levels of inactivity and health inequality in England. Our leisure centres were busy, but mostly with people who were already active; residents in the inner wards told us the centres felt 'not for people like us'.",
        what_we_did: "We gave a third of the timetable to low-intensity, social sessions, retrained front-of-house staff as wellbeing guides, and opened a drop-in desk run with the community health team. GP practices and community connectors could book a first visit directly.",
        what_we_learned: "The first conversation matters more than the offer. People came back when someone remembered their name, and when the first session was free of changing-room anxiety. Membership pricing was less of a barrier than we had assumed.",
        do_differently: "Involve the centre's own staff in the design from day one: the shift pattern changes were the hardest part and we brought them in too late.",
        outcomes: "In twelve months, 1,140 first visits came through the wellbeing desk; 41% of those people were inactive (under 30 minutes a week) when they arrived.",
        contacts: "Alex Sample, Blackpool Council leisure and wellbeing team.",
        body_md: "## Timetable changes\n\n| Before | After |\n|---|---|\n| 6 low-intensity sessions a week | 22 low-intensity sessions a week |\n| No drop-in support | Wellbeing desk, 5 days a week |\n| Referral by letter | Direct booking by connectors |\n\n## What staff said\n\n- \"I have time to talk to people now.\"\n- \"We needed the training before the launch, not after.\"",
        organisation: "blackpool-council",
        themes: &[LEISURE, COPRO],
        agendas: &["Health", "Inequalities"],
        audiences: &["Leisure operators", "Commissioners"],
        file: Some(DemoFile::Pdf {
            name: "wellbeing-hub-year-one.pdf",
            title: "Wellbeing hub: year one evaluation summary",
            paragraphs: &[
                "This summary sets out the findings of the first year of the wellbeing hub pilot at the town centre leisure site.",
                "Participants referred from cardiac rehabilitation and the musculoskeletal service made up a fifth of new users. The warm-water hydrotherapy sessions had the longest waiting list and the highest retention at twelve weeks.",
                "Recommendation: extend hydrotherapy provision to a second site and agree a shared outcome measure with the community rehabilitation team.",
            ],
        }),
        ..BASE
    },
    DemoItem {
        by: ALEX,
        kind: "learning_log",
        title: "Learning log: testing a 'walk and talk' offer for carers",
        summary: "A short reflection on six weeks of walking groups for unpaid carers in Blackpool, and why we changed the time of day.",
        context: "Unpaid carers were named as a priority group in our place plan, but very few took part in existing walking groups.",
        what_we_did: "We ran a weekly walk from a community café with a carers' support worker, and offered sitting-in cover through a local charity so carers could leave the house.",
        what_we_learned: "Morning sessions clashed with care visits. Moving to early afternoon doubled attendance. The café at the end of the walk was what people valued most.",
        outcomes: "Eighteen carers took part; twelve still meet on their own.",
        contacts: "Alex Sample, Blackpool Council.",
        organisation: "blackpool-council",
        visibility: "network",
        themes: &[COPRO],
        agendas: &["Mental health", "Adult social care"],
        audiences: &["Practitioners", "VCFSE organisations"],
        ..BASE
    },
    DemoItem {
        by: ALEX,
        kind: "tool",
        title: "Blackpool conversation guide for wellbeing desk staff",
        summary: "A one-page guide that helps front-of-house staff open a conversation about moving more without talking about weight.",
        context: "Staff told us they did not know how to start a conversation with someone who looked nervous at reception.",
        what_we_did: "We wrote the guide with staff and three residents, and tested the wording over a month.",
        what_we_learned: "Questions about what people enjoy work better than questions about what they should do.",
        contacts: "Alex Sample, Blackpool Council.",
        body_md: "## Opening questions\n\n1. What brings you in today?\n2. Is there anything you used to enjoy doing?\n3. What would make it easier to come back next week?\n\n## Avoid\n\n- Talking about weight or BMI first\n- Handing over a timetable without a conversation",
        organisation: "blackpool-council",
        visibility: "place",
        themes: &[LEISURE, WORKFORCE],
        agendas: &["Health"],
        audiences: &["Leisure operators", "Practitioners"],
        ..BASE
    },
    DemoItem {
        by: ALEX,
        kind: "evaluation",
        title: "Move Together Blackpool: insight from door-to-door conversations in Claremont",
        summary: "What 300 doorstep conversations told us about why residents in one ward are inactive, and what they would change.",
        context: "Before committing Place Expansion funding, the partnership wanted to hear directly from residents in Claremont, one of the most deprived wards in the country.",
        what_we_did: "Trained community researchers, all local residents, held structured conversations on the doorstep and at the school gates over eight weeks.",
        what_we_learned: "Safety after dark, the cost of getting to facilities and caring responsibilities came up far more than lack of motivation. Residents wanted activity close to home, with people they knew.",
        do_differently: "Pay community researchers from the start rather than offering vouchers; it changed who felt able to take part.",
        outcomes: "The findings shaped three of the partnership's first five investments.",
        contacts: "Alex Sample, Blackpool Council.",
        organisation: "blackpool-council",
        visibility: "network",
        themes: &[DATA, COPRO],
        agendas: &["Inequalities", "Community safety"],
        audiences: &["Commissioners", "Researchers"],
        file: Some(DemoFile::Docx {
            name: "claremont-insight-findings.docx",
            paragraphs: &[
                "Claremont insight: detailed findings",
                "Residents most often mentioned street lighting on the promenade side streets and the closure of the local youth club.",
                "Several respondents described the bus fare to the nearest pool as the deciding factor; a family ticket scheme was suggested by parents at two primary schools.",
                "Annex: interview schedule and consent form used by the community researchers.",
            ],
        }),
        ..BASE
    },
    DemoItem {
        by: ALEX,
        kind: "learning_log",
        title: "Draft: lessons from our first year of Place Expansion governance",
        summary: "Notes on setting up a partnership board and reporting to Sport England in the first year of Place Expansion.",
        context: "Blackpool joined Place Expansion in Phase 1 in 2025.",
        what_we_did: "We set up a partnership board with the council, the ICB place team and voluntary sector partners.",
        organisation: "blackpool-council",
        visibility: "network",
        themes: &[NELP],
        agendas: &["Health"],
        audiences: &["System leaders"],
        state: State::Draft,
        ..BASE
    },
    DemoItem {
        by: JORDAN,
        title: "Walking and wheeling in Greater Manchester: working with the Bee Network",
        summary: "How GM Moving worked with transport colleagues so that walking and wheeling were part of the active travel programme, not an afterthought.",
        context: "Greater Manchester's active travel investment had focused on cycling infrastructure. Many of the least active residents, including older and disabled people, told us they would never cycle but would walk more if routes felt safe.",
        what_we_did: "We brought together Transport for Greater Manchester, borough councils and disabled people's organisations to audit routes to schools, GP surgeries and local centres, and we funded community groups to lead 'first walks' on new routes.",
        what_we_learned: "Transport teams value lived-experience evidence when it is presented in their terms: journeys, crossings and dropped kerbs. Short, regular walks from trusted places did more than big launch events.",
        do_differently: "Agree shared measures with transport colleagues up front; we spent months reconciling counts.",
        outcomes: "Route audits in four boroughs fed into the next round of scheme design; 60 community walk leaders trained.",
        contacts: "Jordan Testwell, GM Moving.",
        organisation: "gm-moving",
        themes: &[ENV, COPRO],
        agendas: &["Active travel", "Planning and environment"],
        audiences: &["Commissioners", "Elected members"],
        links: "https://gmmoving.co.uk/priorities/in-place/place-based-partnerships GM Moving: place-based partnerships",
        file: Some(DemoFile::Pptx {
            name: "walking-wheeling-route-audits.pptx",
            slides: &[
                "Route audits with disabled people's organisations\nFour boroughs, 38 routes",
                "Most common barriers\nPavement parking\nMissing dropped kerbs\nNo seating on steep gradients",
                "What we asked for\nTactile paving at signal crossings\nBenches every 200 metres on routes to the health centre\nBikeability sessions for families alongside the walking offer",
            ],
        }),
        ..BASE
    },
    DemoItem {
        by: JORDAN,
        kind: "practice_guide",
        title: "A practice guide to 'doing with, not doing to' in borough place partnerships",
        summary: "Principles and practical steps that GM borough partnerships use to share power with communities in physical activity work.",
        context: "After the Local Delivery Pilot, each of the ten boroughs was at a different point in working with communities. Partners asked for a common, plain-English guide.",
        what_we_did: "We collected examples from Salford, Oldham and Rochdale and tested a draft with community organisers.",
        what_we_learned: "Small grants with light reporting built more trust than large commissioned programmes. Communities need feedback on what happened to their ideas.",
        contacts: "Jordan Testwell, GM Moving.",
        body_md: "## Five principles\n\n1. Start with what is already strong in the community.\n2. Share decisions about money, not just about activities.\n3. Keep reporting proportionate to the grant.\n4. Pay people for their time and expertise.\n5. Always close the loop: say what changed.\n\n## Practical steps\n\n- Map community assets with residents, not for them.\n- Hold decision panels in community venues.\n- Publish a short 'you said, we did' every quarter.",
        organisation: "gm-moving",
        themes: &[COPRO],
        agendas: &["Inequalities", "Children and young people"],
        audiences: &["Practitioners", "VCFSE organisations"],
        ..BASE
    },
    DemoItem {
        by: JORDAN,
        kind: "evaluation",
        title: "Key learning from the Greater Manchester Local Delivery Pilot, 2019–24",
        summary: "A synthesis of what five years of the Local Delivery Pilot taught us about system change in physical activity.",
        context: "Greater Manchester was one of the twelve Local Delivery Pilots announced by Sport England in 2017.",
        what_we_did: "We reviewed borough learning logs, partner interviews and evaluation reports from 2019 to 2024.",
        what_we_learned: "System change shows first in relationships and ways of working, then in policy, and only later in population activity levels. Distributed leadership across boroughs kept the work going through staff changes.",
        do_differently: "Build in a shared learning rhythm from the start; early learning was lost when people moved on.",
        outcomes: "The learning informed GM's place partnership approach and the borough plans for 2025 onwards.",
        contacts: "Jordan Testwell, GM Moving.",
        organisation: "gm-moving",
        themes: &[DATA, NELP],
        agendas: &["Health", "Inequalities"],
        audiences: &["System leaders", "Researchers"],
        links: "https://www.sportengland.org/campaigns-and-our-work/local-delivery Sport England: Place Partnerships",
        ..BASE
    },
    DemoItem {
        by: JORDAN,
        kind: "learning_log",
        title: "Learning log: physical activity conversations in GM's neighbourhood health teams",
        summary: "What happened when we offered short training on physical activity conversations to neighbourhood health teams in two boroughs.",
        context: "Neighbourhood teams see many people with long-term conditions but rarely talk about moving more.",
        what_we_did: "We offered a 90-minute session to district nurses and care coordinators, followed by a month of peer support.",
        what_we_learned: "Teams were more confident when they had a named local contact to refer people to, not just a leaflet.",
        organisation: "gm-moving",
        visibility: "network",
        themes: &[WORKFORCE, SOCIAL_RX],
        agendas: &["Health"],
        audiences: &["Practitioners"],
        state: State::InReview,
        ..BASE
    },
    DemoItem {
        by: JORDAN,
        kind: "tool",
        title: "Borough self-assessment template for place-based working",
        summary: "A short template borough partnerships use to rate themselves on leadership, relationships, insight and resources before a maturity workshop.",
        context: "Boroughs wanted a way to prepare for NELP's maturity workshop without a long questionnaire.",
        what_we_did: "We adapted our own borough review questions into a two-page template.",
        what_we_learned: "The conversation about the ratings is more useful than the ratings themselves.",
        contacts: "Jordan Testwell, GM Moving.",
        body_md: "| Area | Prompt | Rating (1–4) |\n|---|---|---|\n| Leadership | Who leads, and who else could? | |\n| Relationships | Which partners do we rarely speak to? | |\n| Insight | What do residents tell us, and how do we know? | |\n| Resources | What non-sport budgets support activity? | |",
        organisation: "gm-moving",
        visibility: "network",
        themes: &[NELP, DATA],
        agendas: &["Health"],
        audiences: &["System leaders", "Practitioners"],
        ..BASE
    },
    DemoItem {
        by: PRIYA,
        title: "Moving more in care homes: a Lancashire pilot with care providers",
        summary: "How Lancashire County Council's public health and adult social care teams worked with six care homes to make everyday movement part of daily care.",
        context: "Residents in care homes are among the least active people in the county. Staff wanted to help but felt they lacked time and permission.",
        what_we_did: "We trained movement champions in each home, funded simple equipment, and changed care plans so that movement was recorded as part of personal care.",
        what_we_learned: "Permission from managers mattered more than training. Short bursts of movement built into routines (walking to meals, standing for personal care) were sustainable where scheduled classes were not.",
        do_differently: "Involve families earlier: they were keen to help and could continue movement during visits.",
        outcomes: "Five of six homes kept the champion role after funding ended; homes reported fewer residents needing two-person transfers.",
        contacts: "Priya Example, Lancashire County Council public health.",
        organisation: "lancashire-county-council",
        place: "preston",
        themes: &[ASC, WORKFORCE],
        agendas: &["Adult social care", "Health"],
        audiences: &["Commissioners", "Practitioners"],
        file: Some(DemoFile::Docx {
            name: "care-home-movement-toolkit.docx",
            paragraphs: &[
                "Care home movement toolkit",
                "Section 1: Falls prevention. Use strength and balance exercises from the OTAGO programme, adapted for seated and standing residents.",
                "Section 2: Chair-based exercise routines of ten minutes, suitable before lunch and in the afternoon lounge.",
                "Section 3: Recording movement in the daily care record, with examples for night staff.",
            ],
        }),
        ..BASE
    },
    DemoItem {
        by: PRIYA,
        kind: "practice_guide",
        title: "Bringing physical activity into reablement: a guide for commissioners",
        summary: "What to put in a reablement specification so that being active is part of recovery at home.",
        context: "Reablement services help people regain independence after a hospital stay, but specifications rarely mention physical activity beyond the first six weeks.",
        what_we_did: "We reviewed specifications from three Lancashire districts and talked with reablement workers and the people they support.",
        what_we_learned: "The hand-over at the end of reablement is where activity stops. A warm hand-over to a community offer makes the difference.",
        contacts: "Priya Example, Lancashire County Council.",
        body_md: "## Checklist for a specification\n\n- Activity goals recorded alongside care goals\n- A named community offer for the hand-over\n- Training for reablement workers on active conversations\n- Outcome measures that include confidence and mobility",
        organisation: "lancashire-county-council",
        themes: &[ASC],
        agendas: &["Adult social care"],
        audiences: &["Commissioners"],
        ..BASE
    },
    DemoItem {
        by: PRIYA,
        kind: "evaluation",
        title: "Lancashire place partnerships: a review of early progress",
        summary: "A stocktake of how Lancashire's place partnerships are set up, what they fund and what they are learning, presented to the Lancashire CPAN.",
        context: "Lancashire has a Local Delivery Pilot in Pennine Lancashire and new Place Expansion places; partners wanted one picture of the county.",
        what_we_did: "We interviewed place leads and reviewed plans and funding agreements.",
        what_we_learned: "Places are at very different stages; sharing templates and governance models saves months of set-up.",
        outcomes: "A shared county learning session every quarter.",
        contacts: "Priya Example, Lancashire County Council.",
        organisation: "lancashire-county-council",
        visibility: "network",
        themes: &[NELP, DATA],
        agendas: &["Health", "Inequalities"],
        audiences: &["System leaders"],
        links: LEARNING_ZONE_NETWORKS,
        ..BASE
    },
    DemoItem {
        by: PRIYA,
        kind: "learning_log",
        title: "Learning log: what the district councils asked of the county",
        summary: "Notes from conversations with district leisure and health leads about the support they want from the county council.",
        context: "Drafted after a round of district visits.",
        what_we_did: "Visited eight district councils.",
        organisation: "lancashire-county-council",
        visibility: "organisation",
        themes: &[LEISURE],
        agendas: &["Health"],
        audiences: &["System leaders"],
        state: State::SentBack,
        ..BASE
    },
    DemoItem {
        by: CATH,
        title: "Chorley's active parks programme",
        summary: "How Chorley Council used park improvements and community events to get more families active in the borough's green spaces.",
        context: "Chorley's parks were well used at weekends but rarely on weekday evenings, and families from the most deprived neighbourhoods used them least.",
        what_we_did: "We improved lighting and paths in three parks, set up a free weekly family activity programme with local clubs, and worked with the police and neighbourhood teams on park safety.",
        what_we_learned: "Feeling safe was the first barrier; families came once the lighting and a visible presence were in place. Clubs recruited new members through the free sessions.",
        do_differently: "Start the activity programme at the same time as the works, not after; the momentum dipped in between.",
        outcomes: "Weekday evening use of the three parks rose by around a third; two clubs started new junior sections.",
        contacts: "Cath Hudspith, Chorley Council.",
        organisation: "chorley-council",
        themes: &[ENV, COPRO],
        agendas: &["Planning and environment", "Children and young people", "Community safety"],
        audiences: &["Elected members", "Practitioners"],
        file: Some(DemoFile::Docx {
            name: "chorley-ward-profiles.docx",
            paragraphs: &[
                "Ward profiles for the parks programme",
                "The three parks serve Lower Super Output Areas in the most deprived decile of the Index of Multiple Deprivation.",
                "Childhood obesity at Year 6 in these wards is above the borough average; the National Child Measurement Programme figures are in table 2.",
            ],
        }),
        ..BASE
    },
    DemoItem {
        by: CATH,
        kind: "event_material",
        title: "Partnership Executive workshop: framing physical activity for devolution",
        summary: "Materials from the workshop where Executive members tested messages about physical activity and sport for the new combined county authority.",
        context: "Devolution and ICB restructuring change who makes decisions about health and place; the Executive wanted a consistent way to describe what physical activity contributes.",
        what_we_did: "A half-day workshop testing three framings with elected members and officers.",
        what_we_learned: "Framings that start with what places want (good jobs, healthy ageing, safe streets) land better than framings that start with sport.",
        contacts: "Cath Hudspith, Chorley Council.",
        organisation: "chorley-council",
        visibility: "network",
        themes: &[NELP],
        agendas: &["Economy", "Health"],
        audiences: &["Elected members", "System leaders"],
        ..BASE
    },
    DemoItem {
        by: CATH,
        kind: "tool",
        title: "Chorley park activation checklist",
        summary: "A checklist we use before launching activity in a park: safety, access, toilets, partners and promotion.",
        context: "Written after our first park activation, when small practical gaps kept people away.",
        what_we_did: "Listed every problem we met and who fixed it.",
        body_md: "- [ ] Lighting checked on the main routes\n- [ ] Accessible toilets open during sessions\n- [ ] Neighbourhood team aware of session times\n- [ ] A local club or group leading each session\n- [ ] Promotion through schools and the family hub",
        organisation: "chorley-council",
        visibility: "place",
        themes: &[ENV],
        agendas: &["Planning and environment", "Community safety"],
        audiences: &["Practitioners"],
        ..BASE
    },
    DemoItem {
        by: RICHARD,
        kind: "practice_guide",
        title: "Running a System Maturity Matrix workshop in your place",
        summary: "A step-by-step guide to rating your place partnership collectively against NELP's System Maturity Matrix, and using the result to plan improvement.",
        context: "Full and Deepening places take part in NELP's annual maturity rating. Places asked how to make the workshop a useful conversation rather than a form-filling exercise.",
        what_we_did: "We ran workshops with three Lancashire places and wrote up what worked.",
        what_we_learned: "Invite partners who do not see themselves as 'sport' people. Agree the evidence for each rating in the room. Pick two conditions to work on, not all of them.",
        do_differently: "Send the matrix out a week before; people needed time to read it.",
        outcomes: "Each place left with an improvement plan of two or three actions.",
        contacts: "Richard Davis-Boreham, Active Lancashire.",
        body_md: "## Before the workshop\n\n1. Invite a mix of partners: council, NHS, voluntary sector, leisure, residents.\n2. Share the matrix and last year's rating.\n\n## In the room\n\n1. Rate each condition on your own first.\n2. Discuss the differences, with evidence.\n3. Agree a rating and write down why.\n\n## Afterwards\n\n- Choose two conditions to improve.\n- Name an owner and a date for each action.",
        organisation: "active-lancashire",
        themes: &[NELP],
        agendas: &["Health"],
        audiences: &["System leaders", "Practitioners"],
        links: "https://evaluatingcomplexity.org/resources/system-maturity-matrix-2025 NELP System Maturity Matrix 2025\nhttps://www.shu.ac.uk/advanced-wellbeing-research-centre/projects/nelp NELP at Sheffield Hallam",
        file: Some(DemoFile::Pdf {
            name: "smm-workshop-facilitator-notes.pdf",
            title: "Facilitator notes: maturity rating workshop",
            paragraphs: &[
                "Use the anchor examples for each condition to calibrate the group's first rating.",
                "After the workshop, ratings go to a moderation panel that compares them with other places; expect questions about the evidence behind any large change.",
                "The ratings feed NELP's configurational comparative analysis together with the contextual data and the annual resources survey.",
            ],
        }),
        ..BASE
    },
    DemoItem {
        by: RICHARD,
        kind: "evaluation",
        title: "Social value of physical activity in Lancashire, 2024–25",
        summary: "How Active Lancashire estimated the social value of its work and what the figures can and cannot say.",
        context: "Partners and funders increasingly ask for a social value figure alongside outcomes.",
        what_we_did: "We applied a recognised social value model to participation data from our programmes.",
        what_we_learned: "A headline figure opens doors with decision makers, but it has to sit alongside stories and local data to be trusted.",
        outcomes: "Active Lancashire reported £13.7m social value, £3.26 for every £1 invested.",
        contacts: "Richard Davis-Boreham, Active Lancashire.",
        organisation: "active-lancashire",
        themes: &[DATA],
        agendas: &["Economy", "Health"],
        audiences: &["Commissioners", "Elected members"],
        ..BASE
    },
    DemoItem {
        by: RICHARD,
        kind: "learning_log",
        title: "Learning log: positioning physical activity with the combined county authority",
        summary: "Reflections on early conversations with the Lancashire Combined County Authority about where physical activity fits.",
        context: "The combined county authority's priorities are transport, skills and housing.",
        what_we_did: "We met officers leading on transport and skills to understand their plans.",
        what_we_learned: "Active travel and economic inactivity are the clearest routes in; 'sport' on its own is not.",
        organisation: "active-lancashire",
        visibility: "organisation",
        themes: &[NELP],
        agendas: &["Economy", "Active travel"],
        audiences: &["System leaders"],
        ..BASE
    },
    DemoItem {
        by: RICHARD,
        kind: "practice_guide",
        title: "Making the case for physical activity to non-traditional partners",
        summary: "A guide for places preparing to talk with housing, transport, skills and community safety leads about physical activity.",
        context: "Part of the delivery plan's work on the advocacy resource.",
        what_we_did: "Drafted from early conversations in three places.",
        what_we_learned: "Each agenda needs its own evidence and its own language.",
        organisation: "active-lancashire",
        visibility: "network",
        themes: &[COPRO],
        agendas: &["Economy", "Community safety", "Planning and environment"],
        audiences: &["System leaders", "Elected members"],
        state: State::InReview,
        ..BASE
    },
    DemoItem {
        by: BETH,
        kind: "event_material",
        title: "Learning series event 1: enabling active environments",
        summary: "Slides, notes and the recording from the first North West learning series event, on planning, streets and green spaces.",
        context: "The delivery plan commits to at least three learning events for North West places; the first took enabling active environments as its theme.",
        what_we_did: "Three places presented their work, followed by table discussions on planning policy, park activation and active travel.",
        what_we_learned: "Places want practical examples of planning policy wording and contacts in planning teams.",
        outcomes: "Forty-two people from fourteen organisations attended; three follow-up conversations between places were arranged on the day.",
        contacts: "Beth Kay, Active Lancashire.",
        organisation: "active-lancashire",
        themes: &[ENV],
        agendas: &["Planning and environment", "Active travel"],
        audiences: &["Practitioners", "Commissioners"],
        links: "https://active-lancashire-learning-zone.thinkific.com/pages/networks Recording of the event",
        file: Some(DemoFile::Pptx {
            name: "learning-series-1-slides.pptx",
            slides: &[
                "North West learning series\nEvent 1: enabling active environments",
                "Local plan policies\nHealth impact assessment for major developments\nDesign codes that prioritise play streets",
                "Table discussion\nWhat would a healthy streets checklist need in your place?",
            ],
        }),
        ..BASE
    },
    DemoItem {
        by: BETH,
        kind: "event_material",
        title: "Learning series event 2: pivoting public leisure to wellbeing",
        summary: "Materials from the second learning series event, where leisure operators and commissioners shared how they are reshaping services around wellbeing.",
        context: "Many North West councils are reviewing their leisure contracts; places asked to learn from those further ahead.",
        what_we_did: "Presentations from Blackpool and Hyndburn, and a panel with commissioners.",
        what_we_learned: "Contract specifications and performance measures have to change for operators to change.",
        contacts: "Beth Kay, Active Lancashire.",
        organisation: "active-lancashire",
        visibility: "network",
        themes: &[LEISURE],
        agendas: &["Health"],
        audiences: &["Leisure operators", "Commissioners"],
        links: LEARNING_ZONE_NETWORKS,
        ..BASE
    },
    DemoItem {
        by: AMANDA,
        kind: "event_material",
        title: "Learning series event 3: system leadership and adult social care",
        summary: "Slides and notes from the third learning series event, held in Blackburn and online: NELP's maturity matrix, and physical activity in adult social care.",
        context: "The last of the three 2026 events the delivery plan commits to; places asked for practical help with system leadership and with adult social care commissioners.",
        what_we_did: "Sheffield Hallam University introduced the System Leadership Maturity Matrix; an adult social care commissioner and two places shared how they bring movement into care.",
        what_we_learned: "Rating a partnership together on the matrix starts better conversations than a report does; adult social care teams respond to reablement outcomes, not activity counts.",
        outcomes: "Thirty-four people took part, twelve in the room and twenty-two online; two places booked a maturity matrix workshop.",
        contacts: "Amanda Forrest, Active Lancashire.",
        organisation: "active-lancashire",
        visibility: "network",
        themes: &[NELP, ASC],
        agendas: &["Health", "Adult social care"],
        audiences: &["System leaders", "Commissioners"],
        links: LEARNING_ZONE_NETWORKS,
        file: Some(DemoFile::Pptx {
            name: "learning-series-3-slides.pptx",
            slides: &[
                "North West learning series\nEvent 3: system leadership and adult social care",
                "The System Leadership Maturity Matrix\nSix dimensions, rated together by partners",
                "Physical activity in adult social care\nReablement outcomes\nTraining care staff",
            ],
        }),
        ..BASE
    },
    DemoItem {
        by: BETH,
        kind: "tool",
        title: "Draft: template for sharing a story of change",
        summary: "A template to help partners write up their learning for the Learning Zone.",
        context: "Partners asked for a simple structure.",
        organisation: "active-lancashire",
        visibility: "network",
        themes: &[DATA],
        agendas: &["Health"],
        audiences: &["Practitioners"],
        state: State::Draft,
        ..BASE
    },
    DemoItem {
        by: AMANDA,
        kind: "event_material",
        title: "Lancashire CPAN: decarbonising leisure (Hyndburn Leisure Trust)",
        summary: "Summary and recording of the Lancashire Culture and Physical Activity Network meeting where Hyndburn Leisure Trust shared its decarbonisation plan.",
        context: "Energy costs and net-zero targets put pressure on leisure buildings across the county.",
        what_we_did: "Hyndburn Leisure Trust presented the changes made to its buildings and the funding routes used.",
        what_we_learned: "Reducing energy use protected the programmes that reach inactive people; savings were reinvested in community sessions.",
        contacts: "Hyndburn Leisure Trust, via the Lancashire CPAN.",
        organisation: "hyndburn-leisure-trust",
        authors: "Hyndburn Leisure Trust\nAmanda Forrest",
        themes: &[LEISURE, ENV],
        agendas: &["Planning and environment", "Economy"],
        audiences: &["Leisure operators"],
        links: "https://active-lancashire-learning-zone.thinkific.com/pages/networks Meeting recording (September 2024)",
        file: Some(DemoFile::Pptx {
            name: "decarbonisation-cpan-september-2024.pptx",
            slides: &[
                "Decarbonisation at Hyndburn Leisure Trust",
                "What we installed\nAir source heat pumps at the main pool\nSolar canopies over the car park\nLED lighting in sports halls",
                "Funding\nPublic Sector Decarbonisation Scheme\nSport England Swimming Pool Support Fund",
            ],
        }),
        ..BASE
    },
    DemoItem {
        by: AMANDA,
        title: "Burnley #OutdoorTown: using the landscape to get people moving",
        summary: "How Burnley's #OutdoorTown approach links parks, moorland and canal towpaths to everyday activity, presented at the Lancashire CPAN.",
        context: "Burnley is surrounded by countryside that many residents rarely use.",
        what_we_did: "Partners mapped walking and cycling routes from neighbourhoods to green spaces, promoted them under one brand and supported community groups to lead outings.",
        what_we_learned: "A shared identity helped partners who had worked separately to pull in the same direction.",
        outcomes: "New route maps, a programme of led walks and stronger links with the Together an Active Future partnership.",
        contacts: "Lancashire CPAN, via Active Lancashire.",
        organisation: "active-lancashire",
        place: "burnley",
        authors: "Amanda Forrest",
        themes: &[ENV, COPRO],
        agendas: &["Planning and environment", "Active travel", "Mental health"],
        audiences: &["Practitioners", "Elected members"],
        links: "https://active-lancashire-learning-zone.thinkific.com/pages/networks Meeting recording (October 2024)",
        file: Some(DemoFile::Pdf {
            name: "outdoortown-route-map-notes.pdf",
            title: "#OutdoorTown: route notes",
            paragraphs: &[
                "Route 3 follows the Leeds and Liverpool Canal from Weavers' Triangle to Towneley Park, with step-free access at both ends.",
                "The Sunday parkrun at Towneley is the most popular starting point for new walkers.",
            ],
        }),
        ..BASE
    },
    DemoItem {
        by: AMANDA,
        title: "Linking primary care and community activity in Lancashire and South Cumbria",
        summary: "How the integrated care board and Active Partnerships built a route from GP practices to local activity offers.",
        context: "Primary care staff wanted to recommend activity but did not know what was available locally.",
        what_we_did: "The ICB funded a shared directory of local offers and a named contact in each primary care network; Active Partnerships kept the directory current.",
        what_we_learned: "A named person beats a directory. Practices used the route when they got feedback about the people they sent.",
        outcomes: "Over 2,000 people referred in the first year across the two pilot areas.",
        contacts: "Amanda Forrest, Active Lancashire.",
        organisation: "nhs-lancashire-and-south-cumbria-icb",
        authors: "Amanda Forrest",
        themes: &[SOCIAL_RX],
        agendas: &["Health", "Mental health"],
        audiences: &["Commissioners", "Practitioners"],
        file: Some(DemoFile::Pdf {
            name: "primary-care-route-summary.pdf",
            title: "Primary care route: summary for PCN leads",
            paragraphs: &[
                "Social prescribing link workers in each primary care network hold the local offer list and make the first call.",
                "Most referrals came from practice nurses after long-term condition reviews; a smaller number came from pharmacists.",
            ],
        }),
        ..BASE
    },
    DemoItem {
        by: AMANDA,
        kind: "evaluation",
        title: "What NELP's first year tells places about system maturity",
        summary: "A briefing on the National Evaluation and Learning Partnership's approach and what its first year means for North West places.",
        context: "NELP runs from April 2025 to March 2029, led by Sheffield Hallam's Advanced Wellbeing Research Centre with partners.",
        what_we_did: "We summarised NELP's methods and timetable for places and held a briefing call.",
        what_we_learned: "Places are unsure how their maturity data will be used; early, open conversation with the evaluators helps.",
        contacts: "Amanda Forrest, Active Lancashire.",
        organisation: "shu-awrc",
        authors: "Amanda Forrest",
        themes: &[NELP, DATA],
        agendas: &["Health"],
        audiences: &["Researchers", "System leaders"],
        links: "https://www.shu.ac.uk/advanced-wellbeing-research-centre/projects/nelp NELP at Sheffield Hallam",
        file: Some(DemoFile::Pdf {
            name: "nelp-methods-briefing.pdf",
            title: "NELP methods: a briefing for places",
            paragraphs: &[
                "NELP uses a realist evaluation approach, asking what works, where, for whom and in what circumstances.",
                "Context-mechanism-outcome configurations are developed with places through workshops and then tested across the wider group of places.",
            ],
        }),
        ..BASE
    },
    DemoItem {
        by: AMANDA,
        title: "Blackpool FC Community Trust: football as a route to better mental health",
        summary: "How the club's community trust uses the pull of the club to reach men who would not go to a health service.",
        context: "Men in Blackpool are less likely to seek help for their mental health, and many are inactive.",
        what_we_did: "Weekly sessions combining walking football and a conversation, held at the stadium, with peer mentors who had been through the programme.",
        what_we_learned: "The venue is the draw. Peer mentors keep people coming back more than any structured content.",
        outcomes: "Participants report better wellbeing scores after twelve weeks; several have become volunteers.",
        contacts: "Blackpool FC Community Trust.",
        organisation: "blackpool-fc-community-trust",
        authors: "Blackpool FC Community Trust",
        themes: &[COPRO, SOCIAL_RX],
        agendas: &["Mental health", "Inequalities"],
        audiences: &["VCFSE organisations", "Commissioners"],
        ..BASE
    },
    DemoItem {
        by: AMANDA,
        kind: "evaluation",
        title: "Physical activity and ageing well: a rapid evidence review",
        summary: "Edge Hill University's rapid review of evidence on physical activity for older adults, written for North West commissioners.",
        context: "Commissioners asked for a short, current summary of what works for older adults.",
        what_we_did: "A rapid review of systematic reviews published since 2015, summarised for non-specialists.",
        what_we_learned: "Strength and balance activity has the strongest evidence; the social side of group activity matters for keeping people involved.",
        contacts: "Edge Hill University.",
        organisation: "edge-hill-university",
        authors: "Edge Hill University research team",
        visibility: "network",
        themes: &[DATA, ASC],
        agendas: &["Health", "Adult social care"],
        audiences: &["Researchers", "Commissioners"],
        file: Some(DemoFile::Docx {
            name: "ageing-well-evidence-tables.docx",
            paragraphs: &[
                "Evidence tables",
                "Table 1: prehabilitation before planned surgery shortens length of stay in four of six reviews.",
                "Table 2: sarcopenia and frailty outcomes for resistance training in adults over 75.",
            ],
        }),
        ..BASE
    },
    DemoItem {
        by: AMANDA,
        kind: "practice_guide",
        title: "Getting started with the Learning Zone: sharing your place's learning",
        summary: "How partners can share a story of change, a guide or an evaluation on the Learning Zone, and how review works.",
        context: "The Learning Zone is open to every signed-up North West partner.",
        what_we_did: "Wrote this guide with the first contributors.",
        what_we_learned: "Short, honest write-ups, including what did not work, are the most read.",
        contacts: "Amanda Forrest, Active Lancashire (moderator).",
        body_md: "## Sharing an item\n\n1. Choose the kind of item.\n2. Write a summary of one or two sentences.\n3. Fill in the sections that apply: context, what you did, what you learned.\n4. Tag themes, agendas and audiences.\n5. Submit it for review.\n\n## Review\n\nA moderator reads every item before it is published and may send it back with a comment.",
        organisation: "active-lancashire",
        authors: "Amanda Forrest",
        themes: &[WORKFORCE],
        agendas: &["Health"],
        audiences: &["Practitioners"],
        ..BASE
    },
];

/// The comment a reviewer leaves when sending the demo's sent-back item to its author.
const SEND_BACK_COMMENT: &str = "Thank you: could you add what the districts asked for and what you will do next, and say whether this should be visible to the whole network?";

impl App {
    /// Creates the demo taxonomy and library items; runs only inside `load_demo`, which
    /// refuses a non-empty database, so nothing is duplicated.
    pub(crate) async fn load_demo_library(&self) -> AppResult<()> {
        let terms = self.load_demo_terms().await?;
        let orgs = self.network().organisations().await?;
        let places = self.network().places().await?;
        let mut actors: HashMap<&str, Actor> = HashMap::new();
        for person in data::PEOPLE {
            let user = {
                let mut c = self.db.acquire().await?;
                lz_store::users::by_email(&mut c, person.email).await?
            };
            if let Some(u) = user {
                actors.insert(person.email, self.actor(&u.id).await?);
            }
        }
        let who = |email: &str| {
            actors
                .get(email)
                .ok_or_else(|| AppError::internal(format!("demo library: no account {email}")))
        };
        let moderator = who(AMANDA)?;
        let admin = who(BETH)?;
        for it in ITEMS {
            let creator = who(it.by)?;
            let input = it.input(&orgs, &places, &terms)?;
            let id = self.library().create(creator, &input).await?;
            if let Some(file) = &it.file {
                let (name, bytes) = file.bytes();
                self.library().attach(creator, &id, name, &bytes).await?;
            }
            if it.state == State::Draft {
                continue;
            }
            self.library()
                .transition(creator, &id, Transition::Submit, "")
                .await?;
            // Nobody but a network admin approves their own item, so the moderator's own
            // items go to the network admin.
            let reviewer = if it.by == AMANDA { admin } else { moderator };
            let decision = match it.state {
                State::Published => Some((Transition::Approve, "Approved for the Learning Zone.")),
                State::SentBack => Some((Transition::SendBack, SEND_BACK_COMMENT)),
                State::InReview | State::Draft => None,
            };
            if let Some((transition, comment)) = decision {
                self.library()
                    .transition(reviewer, &id, transition, comment)
                    .await?;
            }
        }
        Ok(())
    }

    /// Creates the demo themes, agendas and audiences as the system; returns their ids by
    /// name. Also used by the synthetic generator when a database has no taxonomy yet.
    pub(crate) async fn load_demo_terms(&self) -> AppResult<HashMap<&'static str, String>> {
        let mut ids = HashMap::new();
        for (vocabulary, list) in [
            ("theme", THEMES),
            ("agenda", AGENDAS),
            ("audience", AUDIENCES),
        ] {
            for (name, description) in list {
                let id = self
                    .library()
                    .create_term(None, vocabulary, name, description)
                    .await?;
                ids.insert(*name, id);
            }
        }
        Ok(ids)
    }
}

impl DemoItem {
    /// The item's form, with its organisation, place and terms found by name.
    fn input(
        &self,
        orgs: &[OrganisationRecord],
        places: &[PlaceRecord],
        terms: &HashMap<&'static str, String>,
    ) -> AppResult<ItemInput> {
        let organisation_id = orgs
            .iter()
            .find(|o| o.slug == self.organisation)
            .map(|o| o.id.to_string())
            .ok_or_else(|| {
                AppError::internal(format!(
                    "demo library: no organisation {}",
                    self.organisation
                ))
            })?;
        let place_id = match self.place {
            "" => String::new(),
            slug => places
                .iter()
                .find(|p| p.slug == slug)
                .map(|p| p.id.to_string())
                .ok_or_else(|| AppError::internal(format!("demo library: no place {slug}")))?,
        };
        let mut term_ids = Vec::new();
        for name in self.themes.iter().chain(self.agendas).chain(self.audiences) {
            let id = terms
                .get(name)
                .ok_or_else(|| AppError::internal(format!("demo library: no term {name}")))?;
            term_ids.push(id.clone());
        }
        Ok(ItemInput {
            kind: self.kind.into(),
            title: self.title.into(),
            summary: self.summary.into(),
            context: self.context.into(),
            what_we_did: self.what_we_did.into(),
            what_we_learned: self.what_we_learned.into(),
            do_differently: self.do_differently.into(),
            outcomes: self.outcomes.into(),
            contacts: self.contacts.into(),
            body_md: self.body_md.into(),
            organisation_id,
            place_id,
            visibility: self.visibility.into(),
            terms: term_ids,
            authors: self.authors.into(),
            links: self.links.into(),
            // The network shares its learning openly unless a partner says otherwise.
            licence: "cc-by-4.0".into(),
            ..ItemInput::default()
        })
    }
}

impl DemoFile {
    /// The file's name and bytes, made by the sample writers.
    fn bytes(&self) -> (&'static str, Vec<u8>) {
        match self {
            DemoFile::Pdf {
                name,
                title,
                paragraphs,
            } => (*name, lz_files::samples::pdf(title, paragraphs)),
            DemoFile::Docx { name, paragraphs } => (*name, lz_files::samples::docx(paragraphs)),
            DemoFile::Pptx { name, slides } => (*name, lz_files::samples::pptx(slides)),
        }
    }
}
