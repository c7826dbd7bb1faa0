//! The demo's advocacy work: the draft "Manifesto for PAS in the North West" (a pack for
//! anyone, commissioned by the plan's advocacy work area, curated by Amanda and Beth) with
//! twelve chosen records across agendas and places — two of them not yet published, so the
//! pack page shows what is left out and why — and Blackpool's published narrative, shaped
//! by the second learning event, for the framing work area. Every figure is illustrative.

use crate::advocacy::{CollectionInput, SectionInput};
use crate::evidence::EvidenceFilter;
use crate::{App, AppError, AppResult};

const AMANDA: &str = "amanda.forrest@activelancashire.org.uk";
const BETH: &str = "beth.kay@activelancashire.org.uk";
const ALEX: &str = "alex.sample@blackpool.gov.uk";

/// (heading, text, the start of each chosen record's claim after "Illustrative …: ")
const MANIFESTO: &[(&str, &str, &[&str])] = &[
    (
        "Why physical activity matters to the North West",
        "Places across the North West use physical activity and sport to improve health, reduce inequalities and make neighbourhoods better places to live.\n\nThe evidence below comes from places' own evaluations and monitoring, checked by a second person before it is published.",
        &["Blackpool's wellbeing hub", "regular short walks"],
    ),
    (
        "Health and social care",
        "Activity keeps people independent for longer and eases the pressure on care.",
        &["3 in 5 hub members", "falls in the pilot", "people offered activity in reablement"],
    ),
    (
        "Places and the environment",
        "Active environments and greener leisure serve the climate agenda as well as health.",
        &["heat pumps", "1,400 residents", "free park sessions"],
    ),
    (
        "The economic case",
        "Every pound invested returns more in social value.",
        &["physical activity in Lancashire", "each £1 spent"],
    ),
    (
        "Stories from places",
        "What changed for people, in their words and in their places.",
        &["Oldham's co-designed", "a Burnley parent"],
    ),
];

const ASK: &str = "We ask integrated care boards, combined authorities and councils to name physical activity in their plans, to commission it with the places that already deliver it, and to share what works through the Learning Zone.";

impl App {
    pub(crate) async fn load_demo_advocacy(&self) -> AppResult<()> {
        let amanda = self.demo_actor(AMANDA).await?;
        let beth = self.demo_actor(BETH).await?;
        let records = self
            .evidence()
            .list(Some(&amanda), &EvidenceFilter::default())
            .await?
            .records;
        let record = |start: &str| {
            records
                .iter()
                .find(|r| {
                    r.claim
                        .split_once(": ")
                        .is_some_and(|(_, rest)| rest.starts_with(start))
                })
                .map(|r| r.id.to_string())
                .ok_or_else(|| {
                    AppError::internal(format!("demo advocacy: no evidence \"{start}\""))
                })
        };
        let beth_ref = &beth;
        let work_area = |title: &'static str| async move {
            for plan in self.plans().list(Some(beth_ref)).await?.plans {
                let view = self.plans().view(Some(beth_ref), plan.id.as_str()).await?;
                if let Some(w) = view.work_areas.iter().find(|w| w.title.starts_with(title)) {
                    return Ok(w.id.to_string());
                }
            }
            Err(AppError::internal(format!(
                "demo advocacy: no work area {title}"
            )))
        };
        let mut sections = Vec::new();
        for (heading, body, claims) in MANIFESTO {
            sections.push(SectionInput {
                heading: (*heading).into(),
                body: (*body).into(),
                evidence: claims.iter().map(|c| record(c)).collect::<AppResult<_>>()?,
            });
        }
        let manifesto = CollectionInput {
            kind: "pack".into(),
            title: "Manifesto for PAS in the North West".into(),
            summary: "Why physical activity and sport (PAS) deserve a place in the North West's plans for health, care, the economy and the environment, with the evidence from our places. Draft for the Executive: illustrative figures only.".into(),
            ask: ASK.into(),
            audience: "public".into(),
            work_area: work_area("Production of an advocacy resource").await?,
            curators: Some(BETH.into()),
            sections: Some(sections),
            ..CollectionInput::default()
        };
        self.advocacy().create(&amanda, &manifesto).await?;

        let alex = self.demo_actor(ALEX).await?;
        let workshop = self
            .events()
            .past(Some(&alex))
            .await?
            .into_iter()
            .find(|e| e.title.starts_with("Learning series event 2"))
            .map(|e| e.id.to_string());
        let places = self.network().places().await?;
        let blackpool = places
            .iter()
            .find(|p| p.slug == "blackpool")
            .map(|p| p.id.to_string())
            .ok_or_else(|| AppError::internal("demo advocacy: no Blackpool"))?;
        let narrative = CollectionInput {
            kind: "narrative".into(),
            title: "Blackpool: from leisure centres to wellbeing".into(),
            summary: "How Blackpool tells the story of physical activity to its health and care partners.".into(),
            audience: "network".into(),
            place: blackpool,
            work_area: work_area("Improve the framing").await?,
            events: workshop.into_iter().collect(),
            sections: Some(vec![
                SectionInput {
                    heading: "Our story".into(),
                    body: "Blackpool turned its leisure centres into wellbeing hubs, with GPs and social prescribers referring people who would never have walked through the door.".into(),
                    evidence: vec![record("Blackpool's wellbeing hub")?, record("3 in 5 hub members")?],
                },
                SectionInput {
                    heading: "What we ask of partners".into(),
                    body: "Refer early, share what you learn, and count activity as part of care.".into(),
                    evidence: vec![],
                },
            ]),
            ..CollectionInput::default()
        };
        let id = self.advocacy().create(&alex, &narrative).await?;
        self.advocacy().set_published(&beth, &id, true).await?;
        Ok(())
    }
}
