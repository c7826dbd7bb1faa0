//! The demo's delivery plan as it stands in December 2026: progress updates with RAG and
//! spend on every work area, milestones from the plan's own dates, the places that deliver
//! the work, the learning and events that show it, and the Executive's 2018 actions closed.
//! Written straight to the store (the demo's people posted these over the months), oldest
//! first, so each work area's status is its latest update's.

use lz_store::plans::{self as store, Linked, NewUpdate};

use crate::{new_id, App, AppError, AppResult};

const BETH: &str = "beth.kay@activelancashire.org.uk";
const AMANDA: &str = "amanda.forrest@activelancashire.org.uk";
const RICHARD: &str = "richard.davis-boreham@activelancashire.org.uk";

/// The four work areas of the plan, by the start of their titles.
const PLATFORM: &str = "Create and enable a Learning Zone";
const FRAMING: &str = "Improve the framing";
const SERIES: &str = "Deliver a minimum of three";
const ADVOCACY: &str = "Production of an advocacy resource";

/// (work area, by, posted on, RAG, spent to date in pounds, what happened)
type DemoUpdate = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<i64>,
    &'static str,
);

const UPDATES: &[DemoUpdate] = &[
    (ADVOCACY, RICHARD, "2026-06-30", "green", Some(3_000), "Consultant commissioned after three quotes; the call for evidence went to all twelve places with a template for claims and sources."),
    (FRAMING, RICHARD, "2026-07-31", "green", Some(2_500), "Framing consultant appointed; the North West workshop ran on 9 July with 31 partners from nine places. Draft frames shared for comment."),
    (SERIES, AMANDA, "2026-07-20", "green", Some(650), "Event 1 (enabling active environments) held at Preston Guild Hall: 42 people from 14 organisations; slides and recording are in the library."),
    (SERIES, AMANDA, "2026-09-21", "green", Some(900), "Event 2 (pivoting public leisure to wellbeing) held online with 61 people; operators from Blackpool and Hyndburn presented."),
    (PLATFORM, BETH, "2026-09-30", "green", Some(1_500), "Supplier procured and hosting agreed with Active Lancashire's IT; the internal course site's meeting notes are being moved across."),
    (FRAMING, RICHARD, "2026-10-15", "amber", Some(4_300), "Support to Active Partnership areas is running late: two of five areas done, the other three moved to December. The September milestone was missed."),
    (ADVOCACY, RICHARD, "2026-10-30", "red", Some(6_500), "The draft manifesto is delayed: evidence has come from six of twelve places, so the launch moves to January 2027. Asking place leads to send theirs by 11 December."),
    (PLATFORM, BETH, "2026-11-30", "green", Some(4_200), "Beta open to North West partners: nine organisations have joined and the learning library holds the first case studies and event materials."),
    (SERIES, BETH, "2026-11-25", "green", Some(1_650), "Event 3 (system leadership and adult social care) held in Blackburn and online: all three events delivered, average feedback 4.4 out of 5."),
];

/// (work area, milestone, due, done) beside those the import read from the plan's key
/// milestones: the events and the advocacy resource's delivery, from the plan's dates.
const MILESTONES: &[(&str, &str, &str, bool)] = &[
    (SERIES, "Learning series event 1 held", "2026-07-31", true),
    (SERIES, "Learning series event 2 held", "2026-09-30", true),
    (SERIES, "Learning series event 3 held", "2026-11-30", true),
    (
        ADVOCACY,
        "Narrated slide deck and supporting document delivered",
        "2026-09-30",
        false,
    ),
    (
        PLATFORM,
        "Beta open to North West partners",
        "2026-11-30",
        true,
    ),
];

/// The places that deliver each work area.
const DELIVERED_IN: &[(&str, &[&str])] = &[
    (
        FRAMING,
        &["pennine-lancashire", "greater-manchester", "cheshire-east"],
    ),
    (SERIES, &["preston", "blackburn-with-darwen"]),
    (ADVOCACY, &["blackpool", "chorley", "greater-manchester"]),
];

/// Library items that deliver or show each work area.
const LEARNING: &[(&str, &str)] = &[
    (
        FRAMING,
        "Partnership Executive workshop: framing physical activity for devolution",
    ),
    (
        FRAMING,
        "Lancashire place partnerships: a review of early progress",
    ),
    (
        SERIES,
        "Learning series event 1: enabling active environments",
    ),
    (
        SERIES,
        "Learning series event 2: pivoting public leisure to wellbeing",
    ),
    (
        SERIES,
        "Learning series event 3: system leadership and adult social care",
    ),
    (
        ADVOCACY,
        "Social value of physical activity in Lancashire, 2024–25",
    ),
    (
        ADVOCACY,
        "Key learning from the Greater Manchester Local Delivery Pilot, 2019–24",
    ),
];

impl App {
    /// Puts the demo plan in flight; `events` are the demo's learning series events (ids).
    pub(crate) async fn load_demo_progress(&self, events: &[String]) -> AppResult<()> {
        let now = self.now();
        let missing = |what: &str| AppError::internal(format!("demo progress: no {what}"));
        let mut tx = self.db.begin().await?;
        // The system reads every plan: the demo's plans are for the network only.
        let all = store::plans(&mut tx, &crate::plans::access::system_reader()).await?;
        let nw = all
            .iter()
            .find(|p| p.title.starts_with("North West Place Cluster"))
            .ok_or_else(|| missing("delivery plan"))?;
        let areas = store::work_areas(&mut tx, &nw.id).await?;
        let area = |start: &str| {
            areas
                .iter()
                .find(|w| w.title.starts_with(start))
                .map(|w| w.id.clone())
                .ok_or_else(|| missing(start))
        };
        let mut person = std::collections::HashMap::new();
        for email in [BETH, AMANDA, RICHARD] {
            let user = lz_store::users::by_email(&mut tx, email)
                .await?
                .ok_or_else(|| missing(email))?;
            person.insert(email, user.id);
        }
        for (wa, by, on, rag, spent, body) in UPDATES {
            store::insert_update(
                &mut tx,
                &NewUpdate {
                    id: &new_id(),
                    work_area_id: &area(wa)?,
                    author_id: &person[by],
                    posted_on: on,
                    body,
                    rag,
                    spent_pence: spent.map(|pounds| pounds * 100),
                    now,
                },
            )
            .await?;
        }
        for (wa, title, due, done) in MILESTONES {
            let id = new_id();
            store::insert_milestone(&mut tx, &id, &area(wa)?, title, due, now).await?;
            if *done {
                store::set_milestone_status(&mut tx, &id, "done").await?;
            }
        }
        let places = lz_store::network::places(&mut tx).await?;
        for (wa, slugs) in DELIVERED_IN {
            let ids: Vec<String> = slugs
                .iter()
                .map(|s| {
                    places
                        .iter()
                        .find(|p| p.slug == *s)
                        .map(|p| p.id.clone())
                        .ok_or_else(|| missing(s))
                })
                .collect::<AppResult<_>>()?;
            store::set_work_area_places(&mut tx, &area(wa)?, &ids, now).await?;
        }
        for (wa, title) in LEARNING {
            let item = lz_store::library::item_id_by_title(&mut tx, title)
                .await?
                .ok_or_else(|| missing(title))?;
            store::link(&mut tx, Linked::Item, &area(wa)?, &item, &person[BETH], now).await?;
        }
        for event in events {
            store::link(
                &mut tx,
                Linked::Event,
                &area(SERIES)?,
                event,
                &person[BETH],
                now,
            )
            .await?;
        }
        // The Executive's 2018 actions were done at the time.
        if let Some(exec) = all
            .iter()
            .find(|p| p.title.starts_with("Partnership Executive"))
        {
            for a in store::actions_of_plan(&mut tx, &exec.id).await? {
                store::close_action(
                    &mut tx,
                    &a.id,
                    "done",
                    "Representative named to Cath Hudspith on 3 May 2018.",
                    now,
                )
                .await?;
            }
        }
        crate::commit(tx).await
    }
}
