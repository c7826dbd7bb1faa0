//! Demo events: the delivery plan's learning series (July, September and November 2026) with
//! registrations, attendance and feedback, their materials linked from the library, and one
//! upcoming event open for registration.

use lz_domain::events::parse_local;
use lz_store::events::{self as store, EventContent, FeedbackRow, NewRegistration, SeriesRow};

use lz_domain::library::Vocabulary;

use super::data;
use crate::network::OrganisationRecord;
use crate::{new_id, App, AppError, AppResult};

struct DemoEvent {
    title: &'static str,
    summary: &'static str,
    format: &'static str,
    venue: &'static str,
    address: &'static str,
    link: &'static str,
    date: &'static str,
    start: &'static str,
    end: &'static str,
    capacity: i64,
    themes: &'static [&'static str],
    speakers: &'static str,
    /// The demo library item holding this event's materials.
    material: Option<&'static str>,
    /// (email, attended, rating, will do differently, topics next)
    people: &'static [(&'static str, Option<bool>, i64, &'static str, &'static str)],
    guests: &'static [(&'static str, &'static str, &'static str)],
}

const SERIES_THEMES: &[&str] = &[
    "Enabling active environments",
    "Performance improvement: NELP and the System Leadership Maturity Matrix",
    "Pivoting public leisure to wellbeing",
    "Physical activity in adult social care",
];

const EVENTS: &[DemoEvent] = &[
    DemoEvent {
        title: "Learning series event 1: enabling active environments",
        summary: "Places share how planning policy, streets and green spaces are being shaped so that being active is the easy choice, with a sector expert on active design.",
        format: "in_person",
        venue: "Preston Guild Hall, Lancaster Room",
        address: "Lancaster Road, Preston PR1 1HT",
        link: "",
        date: "2026-07-15",
        start: "10:00",
        end: "13:00",
        capacity: 50,
        themes: &["Enabling active environments"],
        speakers: "Beth Kay, Active Lancashire\nA planning officer from a North West council",
        material: Some("Learning series event 1: enabling active environments"),
        people: &[
            ("cath.hudspith@chorley.gov.uk", Some(true), 5, "Bring our planning team into the next PAS conversation.", "Planning policy wording"),
            ("alex.sample@blackpool.gov.uk", Some(true), 4, "Map our parks against the least active wards.", "Active travel funding"),
            ("priya.example@lancashire.gov.uk", Some(true), 4, "", "Working with combined authorities"),
            ("jamie.placeholder@hyndburnleisure.co.uk", Some(false), 0, "", ""),
            ("jordan.testwell@gmmoving.co.uk", Some(true), 5, "Share the Greater Manchester active design checklist with Lancashire.", ""),
        ],
        guests: &[("Morgan Visitor", "morgan.visitor@example.org", "Lancashire Wildlife Trust")],
    },
    DemoEvent {
        title: "Learning series event 2: pivoting public leisure to wellbeing",
        summary: "Leisure operators and commissioners on reshaping services around wellbeing and the least active: contracts, measures and workforce.",
        format: "online",
        venue: "",
        address: "",
        link: "https://meet.example.org/lz-learning-series-2",
        date: "2026-09-16",
        start: "10:00",
        end: "12:00",
        capacity: 80,
        themes: &["Pivoting public leisure to wellbeing"],
        speakers: "Leisure operators from Blackpool and Hyndburn\nA panel of commissioners",
        material: Some("Learning series event 2: pivoting public leisure to wellbeing"),
        people: &[
            ("cath.hudspith@chorley.gov.uk", Some(true), 4, "Rewrite our leisure outcomes around the least active.", "Social value in contracts"),
            ("jamie.placeholder@hyndburnleisure.co.uk", Some(true), 5, "Pilot a wellbeing offer in one centre.", "Workforce development"),
            ("chris.specimen@activecheshire.org", Some(true), 3, "", "More on measuring outcomes"),
            ("alex.sample@blackpool.gov.uk", None, 0, "", ""),
        ],
        guests: &[("Robin Example", "robin.example@example.org", "Fylde Coast Leisure")],
    },
    DemoEvent {
        title: "Learning series event 3: system leadership, NELP and physical activity in adult social care",
        summary: "Using NELP's learning and the System Leadership Maturity Matrix to drive improvement, and how places are integrating physical activity into adult social care.",
        format: "hybrid",
        venue: "Blackburn Central Library, Community Room",
        address: "Town Hall Street, Blackburn BB2 1AG",
        link: "https://meet.example.org/lz-learning-series-3",
        date: "2026-11-18",
        start: "13:30",
        end: "16:00",
        capacity: 40,
        themes: &[
            "Performance improvement: NELP and the System Leadership Maturity Matrix",
            "Physical activity in adult social care",
        ],
        speakers: "Sheffield Hallam University (NELP)\nAn adult social care commissioner",
        material: Some("Learning series event 3: system leadership and adult social care"),
        people: &[
            ("priya.example@lancashire.gov.uk", Some(true), 5, "Use the maturity matrix at our next partnership board.", "Adult social care commissioning"),
            ("jordan.testwell@gmmoving.co.uk", Some(true), 4, "", "Evaluation methods"),
            ("cath.hudspith@chorley.gov.uk", Some(false), 0, "", ""),
        ],
        guests: &[],
    },
    DemoEvent {
        title: "Physical activity in care homes: what works (open session)",
        summary: "An open session for care providers, commissioners and activity providers on bringing movement into care homes and home care.",
        format: "in_person",
        venue: "Chorley Town Hall, Lancastrian Room",
        address: "Market Street, Chorley PR7 1DP",
        link: "",
        date: "2027-01-20",
        start: "10:00",
        end: "12:30",
        capacity: 40,
        themes: &["Physical activity in adult social care"],
        speakers: "Amanda Forrest, Active Lancashire",
        material: None,
        people: &[("alex.sample@blackpool.gov.uk", None, 0, "", "")],
        guests: &[],
    },
];

impl App {
    /// Loads the demo's events; returns the ids of the learning series' events.
    pub(crate) async fn load_demo_events(&self) -> AppResult<Vec<String>> {
        let terms = self.library().terms().await?;
        let term = |name: &str| {
            terms
                .iter()
                .find(|t| t.name == name && t.vocabulary == Vocabulary::Theme)
                .map(|t| t.id.to_string())
                .ok_or_else(|| AppError::internal(format!("demo events: no theme {name}")))
        };
        let orgs = self.network().organisations().await?;
        let host = orgs
            .iter()
            .find(|o| o.slug == "active-lancashire")
            .ok_or_else(|| AppError::internal("demo events: no host organisation"))?;
        let beth = {
            let mut c = self.db.acquire().await?;
            lz_store::users::by_email(&mut c, "beth.kay@activelancashire.org.uk")
                .await?
                .ok_or_else(|| AppError::internal("demo events: no Beth"))?
        };
        let now = self.now();
        let series = SeriesRow {
            id: new_id(),
            title: "North West learning series 2026".into(),
            purpose: "At least three face-to-face or online events in July, September and November 2026 on the priorities all North West places share, drawing in sector experts, so that places develop and establish improved place-based practice.".into(),
            organisation_id: host.id.to_string(),
            created_by: beth.id.clone(),
            created_at: now,
        };
        let series_terms = SERIES_THEMES
            .iter()
            .map(|n| term(n))
            .collect::<AppResult<Vec<_>>>()?;
        let mut tx = self.db.begin().await?;
        store::insert_series(&mut tx, &series, &series_terms, now).await?;
        let mut in_series = Vec::new();
        for (i, ev) in EVENTS.iter().enumerate() {
            let id = new_id();
            if i < 3 {
                in_series.push(id.clone());
            }
            let mut content = ev.content(i, &series.id, host.id.as_str(), &beth.id)?;
            content.term_ids = ev
                .themes
                .iter()
                .map(|n| term(n))
                .collect::<AppResult<Vec<_>>>()?;
            store::insert_event(&mut tx, &id, &content, &beth.id, now).await?;
            let over = content.ends_at < now;
            ev.register_people(&mut tx, &id, over, content.ends_at, &orgs, now)
                .await?;
            ev.register_guests(&mut tx, &id, over, now).await?;
            if let Some(title) = ev.material {
                let item: Option<String> =
                    lz_store::library::item_id_by_title(&mut tx, title).await?;
                if let Some(item_id) = item {
                    store::link_material(&mut tx, &id, &item_id, now).await?;
                }
            }
        }
        crate::commit(tx).await?;
        Ok(in_series)
    }
}

impl DemoEvent {
    /// The event's content (without its themes); the first three are the series'.
    fn content(
        &self,
        i: usize,
        series_id: &str,
        host_id: &str,
        organiser_id: &str,
    ) -> AppResult<EventContent> {
        let at = |t: &str| {
            parse_local(self.date, t).map_err(|e| AppError::internal(format!("demo events: {e}")))
        };
        Ok(EventContent {
            series_id: (i < 3).then(|| series_id.to_string()),
            title: self.title.into(),
            summary: self.summary.into(),
            format: self.format.into(),
            venue: self.venue.into(),
            address: self.address.into(),
            access_info: if self.venue.is_empty() {
                String::new()
            } else {
                "Step-free access from the main entrance; hearing loop in the room.".into()
            },
            joining_link: self.link.into(),
            speakers: self.speakers.into(),
            starts_at: at(self.start)?,
            ends_at: at(self.end)?,
            capacity: self.capacity,
            registration_opens_at: None,
            registration_closes_at: None,
            organisation_id: host_id.to_string(),
            // The open session is public, so that anyone can register (also without an account).
            visibility: if i == 3 { "public" } else { "network" }.into(),
            status: "open".into(),
            allow_guests: true,
            ask_access: true,
            ask_dietary: self.format != "online",
            term_ids: Vec::new(),
            organiser_ids: vec![organiser_id.to_string()],
        })
    }

    /// The demo's people registered (with attendance and feedback if the event is over).
    async fn register_people(
        &self,
        c: &mut lz_store::Conn,
        event_id: &str,
        over: bool,
        ended_at: i64,
        orgs: &[OrganisationRecord],
        now: i64,
    ) -> AppResult<()> {
        for (email, attended, rating, differently, topics) in self.people {
            let Some(p) = data::PEOPLE.iter().find(|p| p.email == *email) else {
                continue;
            };
            let user = lz_store::users::by_email(c, email).await?;
            let org = orgs.iter().find(|o| o.slug == p.organisation_slug);
            let rid = new_id();
            let new = NewRegistration {
                id: &rid,
                event_id,
                user_id: user.as_ref().map(|u| u.id.as_str()),
                name: p.name,
                email,
                organisation_name: org.map(|o| o.name.as_str()).unwrap_or_default(),
                organisation_id: org.map(|o| o.id.as_str()),
                place_id: org.and_then(|o| o.place_id.as_deref()),
                status: "registered",
                access_needs: None,
                dietary_needs: None,
                token_hash: None,
            };
            register_demo(c, new, over, *attended, now).await?;
            if over && *rating > 0 {
                let feedback = FeedbackRow {
                    registration_id: rid.clone(),
                    rating: *rating,
                    do_differently: differently.to_string(),
                    topics_next: topics.to_string(),
                    created_at: ended_at,
                };
                store::insert_feedback(c, event_id, &feedback).await?;
            }
        }
        Ok(())
    }

    /// Guests without accounts, all of whom came if the event is over.
    async fn register_guests(
        &self,
        c: &mut lz_store::Conn,
        event_id: &str,
        over: bool,
        now: i64,
    ) -> AppResult<()> {
        for (name, email, org) in self.guests {
            let rid = new_id();
            let new = NewRegistration {
                id: &rid,
                event_id,
                user_id: None,
                name,
                email,
                organisation_name: org,
                organisation_id: None,
                place_id: None,
                status: "registered",
                access_needs: None,
                dietary_needs: None,
                token_hash: None,
            };
            register_demo(c, new, over, Some(true), now).await?;
        }
        Ok(())
    }
}

/// Registers a demo person; for an event already over, its emails count as sent and the
/// attendance is recorded.
async fn register_demo(
    c: &mut lz_store::Conn,
    new: NewRegistration<'_>,
    over: bool,
    attended: Option<bool>,
    now: i64,
) -> AppResult<()> {
    store::insert_registration(c, &new, now).await?;
    if over {
        store::claim_mail(c, new.id, false, now).await?;
        store::claim_mail(c, new.id, true, now).await?;
        store::set_attendance(c, new.event_id, new.id, attended, now).await?;
    }
    Ok(())
}
