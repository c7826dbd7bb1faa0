//! Demo evidence records: illustrative claims drawn from the demo library's published items,
//! across several agendas and places — most published (for anyone, as their items are), one
//! checked, one a draft. Every
//! figure is made up for the demo and says so.

use lz_store::library::ItemList;

use crate::evidence::EvidenceInput;
use crate::{Actor, App, AppError, AppResult};

const ALEX: &str = "alex.sample@blackpool.gov.uk";
const JORDAN: &str = "jordan.testwell@gmmoving.co.uk";
const PRIYA: &str = "priya.example@lancashire.gov.uk";
const AMANDA: &str = "amanda.forrest@activelancashire.org.uk";
const BETH: &str = "beth.kay@activelancashire.org.uk";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Draft,
    Checked,
    Published,
}

struct DemoEvidence {
    by: &'static str,
    item: &'static str,
    locator: &'static str,
    claim: &'static str,
    agendas: &'static [&'static str],
    places: &'static [&'static str],
    measure: (&'static str, &'static str, &'static str, &'static str),
    evidence_type: &'static str,
    strength: &'static str,
    step: Step,
}

const RECORDS: &[DemoEvidence] = &[
    DemoEvidence {
        by: ALEX,
        item: "From leisure centre to wellbeing hub: the first year in Blackpool",
        locator: "Outcomes",
        claim: "Illustrative figure: Blackpool's wellbeing hub referrals grew by 40 % in its first year.",
        agendas: &["Health", "Inequalities"],
        places: &["blackpool"],
        measure: ("Referrals to the wellbeing hub", "40", "% more", "first year"),
        evidence_type: "monitoring_data",
        strength: "2",
        step: Step::Published,
    },
    DemoEvidence {
        by: ALEX,
        item: "From leisure centre to wellbeing hub: the first year in Blackpool",
        locator: "What we learned",
        claim: "Illustrative figure: 3 in 5 hub members said they felt less isolated after six months.",
        agendas: &["Mental health"],
        places: &["blackpool"],
        measure: ("Members feeling less isolated", "60", "%", "six months"),
        evidence_type: "survey",
        strength: "2",
        step: Step::Published,
    },
    DemoEvidence {
        by: JORDAN,
        item: "Walking and wheeling in Greater Manchester: working with the Bee Network",
        locator: "",
        claim: "Illustrative figure: regular short walks from trusted places drew 250 new walkers in a year.",
        agendas: &["Active travel", "Health"],
        places: &["greater-manchester"],
        measure: ("New regular walkers", "250", "people", "one year"),
        evidence_type: "evaluation",
        strength: "2",
        step: Step::Published,
    },
    DemoEvidence {
        by: PRIYA,
        item: "Moving more in care homes: a Lancashire pilot with care providers",
        locator: "",
        claim: "Illustrative figure: falls in the pilot care homes fell by 15 % over nine months.",
        agendas: &["Adult social care"],
        places: &["preston"],
        measure: ("Falls recorded", "15", "% fewer", "nine months"),
        evidence_type: "quasi_experimental",
        strength: "3",
        step: Step::Published,
    },
    DemoEvidence {
        by: PRIYA,
        item: "Chorley's active parks programme",
        locator: "",
        claim: "Illustrative figure: free park sessions brought 120 families to local clubs.",
        agendas: &["Children and young people", "Planning and environment"],
        places: &["chorley"],
        measure: ("Families joining clubs", "120", "families", "one season"),
        evidence_type: "case_study",
        strength: "1",
        step: Step::Checked,
    },
    DemoEvidence {
        by: JORDAN,
        item: "Key learning from the Greater Manchester Local Delivery Pilot, 2019–24",
        locator: "",
        claim: "Illustrative figure: each £1 spent returned £3 of social value (draft, to be checked).",
        agendas: &["Economy"],
        places: &["greater-manchester", "oldham"],
        measure: ("Social return on investment", "3", "£ per £1", "2019–24"),
        evidence_type: "evaluation",
        strength: "3",
        step: Step::Draft,
    },
    DemoEvidence {
        by: PRIYA,
        item: "Lancashire CPAN: decarbonising leisure (Hyndburn Leisure Trust)",
        locator: "",
        claim: "Illustrative figure: heat pumps at Hyndburn's pools cut the trust's energy use by 22 % in a year.",
        agendas: &["Planning and environment"],
        places: &["hyndburn"],
        measure: ("Energy used by the pools", "22", "% less", "one year"),
        evidence_type: "monitoring_data",
        strength: "2",
        step: Step::Published,
    },
    DemoEvidence {
        by: PRIYA,
        item: "Burnley #OutdoorTown: using the landscape to get people moving",
        locator: "",
        claim: "Illustrative figure: 1,400 residents joined guided outdoor activities in the first summer.",
        agendas: &["Health", "Planning and environment"],
        places: &["burnley"],
        measure: ("Residents joining guided activities", "1,400", "people", "first summer"),
        evidence_type: "monitoring_data",
        strength: "2",
        step: Step::Published,
    },
    DemoEvidence {
        by: PRIYA,
        item: "Bringing physical activity into reablement: a guide for commissioners",
        locator: "Section 3",
        claim: "Illustrative figure: people offered activity in reablement needed 2 fewer hours of home care a week at 12 weeks.",
        agendas: &["Adult social care"],
        places: &["preston"],
        measure: ("Home care hours a week", "2", "hours fewer", "12 weeks"),
        evidence_type: "evaluation",
        strength: "3",
        step: Step::Published,
    },
    DemoEvidence {
        by: ALEX,
        item: "Social value of physical activity in Lancashire, 2024–25",
        locator: "Summary",
        claim: "Illustrative figure: physical activity in Lancashire is worth £1.6 billion a year in social value.",
        agendas: &["Economy", "Health"],
        places: &["pennine-lancashire"],
        measure: ("Social value a year", "1.6", "£ billion", "2024–25"),
        evidence_type: "evaluation",
        strength: "3",
        step: Step::Published,
    },
    DemoEvidence {
        by: JORDAN,
        item: "A practice guide to 'doing with, not doing to' in borough place partnerships",
        locator: "",
        claim: "Illustrative figure: Oldham's co-designed sessions kept 7 in 10 new participants coming after three months.",
        agendas: &["Inequalities"],
        places: &["oldham"],
        measure: ("Participants still coming", "70", "%", "three months"),
        evidence_type: "case_study",
        strength: "1",
        step: Step::Published,
    },
    DemoEvidence {
        by: ALEX,
        item: "Learning series event 1: enabling active environments",
        locator: "Recording, 32 minutes in",
        claim: "Illustrative testimony: a Burnley parent said that once the path was lit, the family walked to school every day.",
        agendas: &["Children and young people", "Active travel"],
        places: &["burnley"],
        measure: ("", "", "", ""),
        evidence_type: "testimony",
        strength: "1",
        step: Step::Published,
    },
];

impl App {
    /// Records, checks and publishes the demo evidence (after the library has loaded).
    pub(crate) async fn load_demo_evidence(&self) -> AppResult<()> {
        let agendas = self.library().terms().await?;
        let places = self.network().places().await?;
        let moderator = self.demo_actor(AMANDA).await?;
        let admin = self.demo_actor(BETH).await?;
        for r in RECORDS {
            let author = self.demo_actor(r.by).await?;
            let items = self
                .library()
                .list(Some(&author), ItemList::Newest, 500)
                .await?;
            let item = items
                .iter()
                .find(|i| i.title == r.item)
                .ok_or_else(|| AppError::internal(format!("demo evidence: no item {}", r.item)))?;
            let term = |name: &str| {
                agendas
                    .iter()
                    .find(|t| t.name == name)
                    .map(|t| t.id.to_string())
            };
            let place = |slug: &str| {
                places
                    .iter()
                    .find(|p| p.slug == slug)
                    .map(|p| p.id.to_string())
            };
            let (name, value, unit, period) = r.measure;
            let input = EvidenceInput {
                claim: r.claim.into(),
                agendas: r.agendas.iter().filter_map(|a| term(a)).collect(),
                places: r.places.iter().filter_map(|p| place(p)).collect(),
                organisations: vec![item.organisation_id.to_string()],
                measure_name: name.into(),
                measure_value: value.into(),
                measure_unit: unit.into(),
                measure_period: period.into(),
                source_kind: "item".into(),
                source_item_id: item.id.to_string(),
                source_locator: r.locator.into(),
                evidence_type: r.evidence_type.into(),
                strength: r.strength.into(),
                visibility: "public".into(),
                consent_to_quote: if r.evidence_type == "testimony" {
                    "yes".into()
                } else {
                    String::new()
                },
                ..EvidenceInput::default()
            };
            let id = self.evidence().create(&author, &input).await?;
            if r.step == Step::Draft {
                continue;
            }
            self.evidence().check(&moderator, &id).await?;
            if r.step == Step::Published {
                self.evidence().publish(&admin, &id).await?;
            }
        }
        Ok(())
    }

    pub(super) async fn demo_actor(&self, email: &str) -> AppResult<Actor> {
        let user = {
            let mut c = self.db.acquire().await?;
            lz_store::users::by_email(&mut c, email).await?
        };
        let user =
            user.ok_or_else(|| AppError::internal(format!("demo evidence: no account {email}")))?;
        self.actor(&user.id).await
    }
}
