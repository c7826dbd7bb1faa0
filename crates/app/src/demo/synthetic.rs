//! Synthetic published library items for benchmarks (`learning-zone demo --synthetic N`):
//! realistic text from the domain's vocabulary, written straight to the store in large batches.
//!
//! Items skip the use cases (validation, audit entries, review rows, mail) because those cost
//! more than the rows themselves at a million items. Attachments get a row with extracted text
//! (so search inside attachments is measured) but no stored file: downloading one fails.

use crate::Context;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use lz_domain::library::{ItemStatus, TextStatus, Vocabulary};
use lz_store::library::{self as store, ItemContent, NewAttachment};

use crate::{commit, new_id, App, AppError, AppResult};

/// Items per transaction: large enough that commits (fsyncs) are not the cost, small
/// enough that progress moves and a failure loses little.
const BATCH: u64 = 1_000;

/// 2019-01-01T00:00:00Z and 2027-01-01T00:00:00Z in milliseconds: the span publication
/// dates are spread over (never past now).
const FROM_MS: i64 = 1_546_300_800_000;
const UNTIL_MS: i64 = 1_798_761_600_000;
const DAY_MS: i64 = 86_400_000;

const SUBJECTS: &[&str] = &[
    "The place partnership",
    "Our leisure trust",
    "The integrated care board",
    "Social prescribing link workers",
    "The district council's health improvement team",
    "Community connectors",
    "The Active Partnership",
    "Public health commissioners",
    "Volunteers from the local walking group",
    "The neighbourhood health team",
    "A coalition of VCFSE organisations",
    "The community sports club",
    "Adult social care colleagues",
    "The school sport partnership",
    "Housing association staff",
    "The combined authority's transport team",
    "Peer mentors",
    "The parks and green spaces service",
    "Our insight lead",
    "The primary care network",
    "Local councillors",
    "The family hub",
    "The youth service",
    "A group of residents",
];

const ACTIONS: &[&str] = &[
    "worked alongside",
    "co-produced a new offer with",
    "mapped community assets with",
    "tested a low-cost programme for",
    "reviewed Active Lives data about",
    "brought together partners to support",
    "trained staff to have active conversations with",
    "held listening events with",
    "ran a twelve-week pilot for",
    "commissioned a small grants scheme for",
    "redesigned the referral route for",
    "shared learning about",
    "gave small grants to groups led by",
    "carried out a rapid insight project with",
    "opened up facilities to",
    "set up a steering group that included",
    "made the case to the health and wellbeing board for",
    "removed cost barriers for",
];

const GROUPS: &[&str] = &[
    "residents in the most deprived wards",
    "people living with long-term conditions",
    "older adults at risk of falls",
    "families on low incomes",
    "care home residents and staff",
    "young people not in education, employment or training",
    "women and girls from South Asian communities",
    "disabled people and their carers",
    "people waiting for elective surgery",
    "unpaid carers",
    "people with severe mental illness",
    "men aged 40 to 65 who are inactive",
    "children on free school meals",
    "people recovering from cancer treatment",
    "refugees and asylum seekers",
    "people in recovery from drug and alcohol use",
    "economically inactive adults",
    "pregnant women and new parents",
    "people experiencing loneliness",
    "LGBTQ+ young people",
];

const SETTINGS: &[&str] = &[
    "in the town's leisure centres",
    "in parks and green spaces across the borough",
    "through GP practices",
    "in community centres and faith venues",
    "on the canal towpaths",
    "in primary schools",
    "through home care visits",
    "at the football club's community hub",
    "along new active travel routes",
    "in libraries and family hubs",
    "in sheltered housing schemes",
    "on the moors and in country parks",
    "at the hospital's outpatient clinics",
    "in workplaces across the district",
    "online and by phone",
];

const PURPOSES: &[&str] = &[
    "to reduce inactivity",
    "as part of our place-based systems working",
    "so that being active becomes part of everyday life",
    "to tackle health inequalities",
    "to support recovery after a hospital stay",
    "to build confidence before joining a group",
    "to make the case for prevention",
    "to improve mental wellbeing",
    "to shift the leisure offer towards wellbeing",
    "to make walking and cycling the easy choice",
    "to strengthen community leadership",
    "to keep people independent at home",
    "to support people back into work",
    "to join up health and care pathways",
];

const FINDINGS: &[&str] = &[
    "Trusted relationships mattered more than the activity itself.",
    "People came back when someone remembered their name.",
    "The cost of travel was a bigger barrier than the cost of the session.",
    "Short, regular sessions close to home worked better than large events.",
    "Staff needed permission from managers as much as they needed training.",
    "Co-production took longer than planned but the offer was used far more.",
    "Data sharing agreements held the work up for months.",
    "Small grants with light reporting built trust quickly.",
    "A named contact in each organisation made referrals work.",
    "Feeling safe was the first thing people mentioned.",
    "Partners outside sport engaged when we used their language and their priorities.",
    "The hand-over from a funded programme to community groups is where people drop off.",
    "Evaluation was most useful when partners agreed the questions together.",
    "Local champions kept sessions going after the funding ended.",
    "Caring responsibilities shaped when people could take part.",
    "Transport and planning colleagues valued evidence from residents' journeys.",
    "The System Maturity Matrix workshop helped partners see gaps in leadership.",
    "Social prescribing works best when link workers know the local offer first-hand.",
    "Leisure staff wanted to talk with customers but the shift pattern left no time.",
    "Being active was valued for connection and mood more than for fitness.",
    "Children's activity rose when parents were invited to take part too.",
    "Short-term funding made it hard to keep good staff.",
    "Falls prevention sessions were fuller when held in familiar venues.",
    "Green spaces were used more once paths were lit and maintained.",
];

const TOPICS: &[&str] = &[
    "Falls prevention",
    "Social prescribing",
    "Active travel to school",
    "Pivoting leisure to wellbeing",
    "Physical activity in adult social care",
    "Green social prescribing",
    "Walking football",
    "Prehabilitation before surgery",
    "Co-producing activity with young people",
    "Active environments and local plans",
    "Using the System Maturity Matrix",
    "Workforce training on active conversations",
    "Tackling inactivity in deprived neighbourhoods",
    "Movement in care homes",
    "Women and girls' activity",
    "Community sport and mental health",
    "Healthy streets",
    "Park activation",
    "Physical activity and cancer recovery",
    "Working with the ICB on prevention",
    "Insight from doorstep conversations",
    "Family activity in holidays",
    "Economic inactivity and physical activity",
    "Decarbonising leisure buildings",
    "Physical activity for people with severe mental illness",
];

const ANGLES: &[&str] = &[
    "what we learned in year one",
    "a practical guide",
    "an evaluation",
    "a story of change",
    "notes from the learning event",
    "lessons for commissioners",
    "what worked and what did not",
    "a toolkit for partners",
    "reflections from practitioners",
    "early findings",
    "making the case",
    "three years on",
];

const HEADINGS: &[&str] = &[
    "Background",
    "How we worked",
    "What residents told us",
    "Partners involved",
    "Funding and resources",
    "Measuring change",
    "Challenges",
    "Next steps",
    "Recommendations",
    "Sustainability",
];

/// Words found only in attachments, so that benchmarks exercise search inside files.
const ATTACHMENT_SENTENCES: &[&str] = &[
    "Hydrotherapy sessions had the longest waiting list of any referral option.",
    "Cardiac rehabilitation patients were offered a supported transition to community classes.",
    "The OTAGO strength and balance programme was adapted for seated participants.",
    "Anchor examples were used to calibrate each condition before the moderation panel.",
    "Sarcopenia and frailty scores improved after sixteen weeks of resistance training.",
    "The Index of Multiple Deprivation was used to rank Lower Super Output Areas.",
    "Air source heat pumps and solar canopies reduced the pool's energy use.",
    "Context-mechanism-outcome configurations were refined in two rounds of workshops.",
    "Pulmonary rehabilitation graduates joined a weekly Nordic walking group.",
    "Bikeability training was offered to families alongside the school streets scheme.",
    "The Warwick-Edinburgh Mental Wellbeing Scale was used at baseline and twelve weeks.",
    "Musculoskeletal physiotherapy waiting lists shortened where self-referral was open.",
    "Tai chi and chair-based exercise were the most requested sessions in sheltered housing.",
    "Annex B lists the data fields collected by each delivery partner.",
];

const ATTACHMENT_NAMES: &[(&str, &str)] = &[
    ("evaluation-report.pdf", "pdf"),
    ("full-findings.pdf", "pdf"),
    ("event-slides.pptx", "pptx"),
    ("workshop-presentation.pptx", "pptx"),
    ("partner-briefing.docx", "docx"),
    ("toolkit.docx", "docx"),
    ("monitoring-framework.pdf", "pdf"),
];

const FIRST_NAMES: &[&str] = &[
    "Aisha", "Ben", "Claire", "Daniel", "Emma", "Farhan", "Grace", "Hannah", "Imran", "Jade",
    "Kieran", "Laura", "Mohammed", "Nadia", "Owen", "Paula", "Rachel", "Sam", "Tariq", "Vicky",
    "Will", "Zoe",
];

const LAST_NAMES: &[&str] = &[
    "Ahmed",
    "Barnes",
    "Collins",
    "Dawson",
    "Evans",
    "Fletcher",
    "Green",
    "Hussain",
    "Iqbal",
    "Jones",
    "Kelly",
    "Lord",
    "Mistry",
    "Nolan",
    "Patel",
    "Robinson",
    "Shaw",
    "Taylor",
    "Walsh",
    "Whittaker",
];

const LINKS: &[(&str, &str)] = &[
    (
        "https://www.sportengland.org/campaigns-and-our-work/local-delivery",
        "Sport England: Place Partnerships",
    ),
    (
        "https://www.shu.ac.uk/advanced-wellbeing-research-centre/projects/nelp",
        "NELP at Sheffield Hallam",
    ),
    (
        "https://evaluatingcomplexity.org/resources/system-maturity-matrix-2025",
        "System Maturity Matrix 2025",
    ),
    (
        "https://gmmoving.co.uk/priorities/in-place/place-based-partnerships",
        "GM Moving: place-based partnerships",
    ),
    (
        "https://active-lancashire-learning-zone.thinkific.com/pages/networks",
        "Recording of the network meeting",
    ),
];

/// What the generator draws from: existing organisations, places, terms and a creator.
struct Pools {
    /// (id, name, place id)
    orgs: Vec<(String, String, Option<String>)>,
    /// (id, name)
    places: Vec<(String, String)>,
    themes: Vec<String>,
    agendas: Vec<String>,
    audiences: Vec<String>,
    created_by: String,
}

fn pick<T: Copy>(rng: &mut StdRng, list: &[T]) -> T {
    list[rng.gen_range(0..list.len())]
}

/// Picks with a skew towards the start of the list, so that some tags, places and
/// organisations are much more common than others (as in real use, and for facet counts).
fn pick_skewed<'a, T>(rng: &mut StdRng, list: &'a [T]) -> &'a T {
    let r: f64 = rng.gen();
    let i = ((r * r) * list.len() as f64) as usize;
    &list[i.min(list.len() - 1)]
}

/// One sentence built from the vocabulary; returns its word count.
fn sentence(rng: &mut StdRng, out: &mut String) -> usize {
    let start = out.len();
    if rng.gen_bool(0.35) {
        out.push_str(pick(rng, FINDINGS));
    } else {
        out.push_str(pick(rng, SUBJECTS));
        out.push(' ');
        out.push_str(pick(rng, ACTIONS));
        out.push(' ');
        out.push_str(pick(rng, GROUPS));
        if rng.gen_bool(0.7) {
            out.push(' ');
            out.push_str(pick(rng, SETTINGS));
        }
        if rng.gen_bool(0.6) {
            out.push(' ');
            out.push_str(pick(rng, PURPOSES));
        }
        out.push('.');
    }
    out[start..].split_ascii_whitespace().count()
}

/// `min..=max` sentences separated by spaces.
fn sentences(rng: &mut StdRng, min: usize, max: usize) -> String {
    let mut s = String::with_capacity(max * 110);
    for i in 0..rng.gen_range(min..=max) {
        if i > 0 {
            s.push(' ');
        }
        sentence(rng, &mut s);
    }
    s
}

/// A Markdown body of about `words` words: paragraphs, headings, some lists and tables.
fn body(rng: &mut StdRng, words: usize) -> String {
    let mut s = String::with_capacity(words * 7);
    let mut n = 0;
    let mut paragraphs = 0;
    while n < words {
        if paragraphs > 0 && paragraphs % 3 == 0 {
            s.push_str("## ");
            s.push_str(pick(rng, HEADINGS));
            s.push_str("\n\n");
        }
        match rng.gen_range(0..20) {
            0..=2 => {
                for _ in 0..rng.gen_range(3..=5) {
                    s.push_str("- ");
                    let item = pick(rng, GROUPS);
                    s.push_str(item);
                    s.push('\n');
                    n += 1 + item.split_ascii_whitespace().count();
                }
            }
            3 => {
                s.push_str("| Measure | Baseline | After |\n|---|---|---|\n");
                for label in [
                    "People taking part",
                    "Inactive at start (%)",
                    "Still active at 12 weeks (%)",
                ] {
                    let base = rng.gen_range(10..400);
                    s.push_str(&format!(
                        "| {label} | {base} | {} |\n",
                        base + rng.gen_range(0..200)
                    ));
                    n += 8;
                }
            }
            _ => {
                for i in 0..rng.gen_range(3..=6) {
                    if i > 0 {
                        s.push(' ');
                    }
                    n += sentence(rng, &mut s);
                }
                s.push('\n');
            }
        }
        s.push('\n');
        paragraphs += 1;
    }
    s.truncate(s.trim_end().len());
    s
}

fn person(rng: &mut StdRng) -> String {
    format!("{} {}", pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES))
}

/// Up to `max` distinct, skewed picks (at least one when the list has any).
fn some_terms(rng: &mut StdRng, list: &[String], min: usize, max: usize, out: &mut Vec<String>) {
    if list.is_empty() {
        return;
    }
    for _ in 0..rng.gen_range(min..=max) {
        let t = pick_skewed(rng, list);
        if !out.contains(t) {
            out.push(t.clone());
        }
    }
}

fn content(rng: &mut StdRng, pools: &Pools) -> ItemContent {
    let kind = match rng.gen_range(0..100) {
        0..=29 => "case_study",
        30..=44 => "practice_guide",
        45..=59 => "evaluation",
        60..=69 => "tool",
        70..=84 => "event_material",
        _ => "learning_log",
    };
    let (org_id, org_name, org_place) = pick_skewed(rng, &pools.orgs);
    // Region-wide organisations (Active Partnerships, ICBs) mostly write about one place.
    let place = match org_place {
        Some(p) => pools.places.iter().find(|(id, _)| id == p),
        None if !pools.places.is_empty() && rng.gen_bool(0.6) => {
            Some(pick_skewed(rng, &pools.places))
        }
        None => None,
    };
    let topic = pick(rng, TOPICS);
    let angle = pick(rng, ANGLES);
    let title = match place {
        Some((_, name)) if rng.gen_bool(0.7) => format!("{topic} in {name}: {angle}"),
        _ => format!("{topic}: {angle}"),
    };
    let visibility = match rng.gen_range(0..100) {
        0..=54 => "public",
        55..=89 => "network",
        90..=94 if place.is_some() => "place",
        _ => "organisation",
    };
    // Body lengths skew short (most items are a few hundred words), up to 1,500.
    let r: f64 = rng.gen();
    let words = 100 + (r * r * 1400.0) as usize;
    let mut term_ids = Vec::new();
    some_terms(rng, &pools.themes, 1, 3, &mut term_ids);
    some_terms(rng, &pools.agendas, 1, 3, &mut term_ids);
    let audiences = if rng.gen_ratio(1, 5) { 2 } else { 1 };
    some_terms(rng, &pools.audiences, 1, audiences, &mut term_ids);
    // Every child row is one more statement (the store has no bulk insert), and most real
    // items have a single author, so co-authors are the exception.
    let n_authors = match rng.gen_range(0..10) {
        0..=6 => 1,
        7..=8 => 2,
        _ => 3,
    };
    let authors = (0..n_authors).map(|_| (None, person(rng))).collect();
    let links = if rng.gen_bool(0.1) {
        let (url, t) = pick(rng, LINKS);
        vec![(url.to_string(), t.to_string())]
    } else {
        Vec::new()
    };
    let people = rng.gen_range(20..3000);
    let inactive = rng.gen_range(20..80);
    ItemContent {
        kind: kind.into(),
        title,
        summary: sentences(rng, 1, 3),
        context: sentences(rng, 1, 3),
        what_we_did: sentences(rng, 1, 4),
        what_we_learned: sentences(rng, 1, 3),
        do_differently: if rng.gen_bool(0.5) {
            sentences(rng, 1, 2)
        } else {
            String::new()
        },
        outcomes: format!(
            "{people} people took part; {inactive}% of them were inactive when they started. {}",
            sentences(rng, 0, 1)
        )
        .trim_end()
        .to_string(),
        contacts: format!("{}, {org_name}.", person(rng)),
        body_md: body(rng, words),
        organisation_id: org_id.clone(),
        place_id: place.map(|(id, _)| id.clone()),
        visibility: visibility.into(),
        term_ids,
        authors,
        links,
        original_date: None,
        licence: String::new(),
        cite_as: String::new(),
    }
}

/// The text of a synthetic attachment: mostly the shared vocabulary, with the words that
/// only attachments use.
fn attachment_text(rng: &mut StdRng) -> String {
    let words = rng.gen_range(150..1500);
    let mut s = String::with_capacity(words * 7);
    let mut n = 0;
    while n < words {
        if rng.gen_bool(0.25) {
            let t = pick(rng, ATTACHMENT_SENTENCES);
            s.push_str(t);
            n += t.split_ascii_whitespace().count();
        } else {
            n += sentence(rng, &mut s);
        }
        s.push(if rng.gen_bool(0.2) { '\n' } else { ' ' });
    }
    s.truncate(s.trim_end().len());
    s
}

impl App {
    /// Adds `n` published items with realistic text, calling `progress` with the number done
    /// after each transaction. An empty database gets the demo network first; otherwise the
    /// existing organisations, places and terms are used, created by the first network admin.
    pub async fn generate_synthetic(&self, n: u64, mut progress: impl FnMut(u64)) -> AppResult<()> {
        let (empty, existing) = {
            let mut c = self.db.acquire().await?;
            (
                lz_store::ops::is_empty(&mut c).await?,
                store::count_published(&mut c).await?,
            )
        };
        if empty {
            self.load_demo().await?;
        }
        let pools = self.synthetic_pools().await?;
        // Deterministic for a given database, but a second run adds different items.
        let mut rng = StdRng::seed_from_u64(0x4c5a_2026 ^ existing as u64);
        let until = self.now().min(UNTIL_MS);
        let mut done = 0;
        while done < n {
            let batch = BATCH.min(n - done);
            let now = self.now();
            let mut tx = self.db.begin().await?;
            for _ in 0..batch {
                insert_synthetic_item(&mut tx, &mut rng, &pools, until, now).await?;
            }
            commit(tx).await?;
            done += batch;
            progress(done);
        }
        self.wake_indexer();
        Ok(())
    }

    async fn synthetic_pools(&self) -> AppResult<Pools> {
        let mut terms = self.library().terms().await?;
        if terms.is_empty() {
            self.load_demo_terms().await?;
            terms = self.library().terms().await?;
        }
        let of = |v: Vocabulary| {
            terms
                .iter()
                .filter(|t| t.vocabulary == v)
                .map(|t| t.id.to_string())
                .collect::<Vec<_>>()
        };
        let orgs: Vec<_> = self
            .network()
            .organisations()
            .await?
            .into_iter()
            .map(|o| {
                (
                    o.id.into_string(),
                    o.name,
                    o.place_id.map(|p| p.into_string()),
                )
            })
            .collect();
        if orgs.is_empty() {
            return Err(AppError::Conflict(
                "add an organisation before generating items".into(),
            ));
        }
        let places = self
            .network()
            .places()
            .await?
            .into_iter()
            .map(|p| (p.id.into_string(), p.name))
            .collect();
        // The oldest network admin, else the oldest account: someone must have created them.
        let users = {
            let mut c = self.db.acquire().await?;
            lz_store::users::list(&mut c, "", i64::MAX).await?
        };
        let created_by = users
            .iter()
            .rev()
            .find(|u| u.role == lz_domain::Role::NetworkAdmin.code())
            .or_else(|| users.last())
            .map(|u| u.id.clone())
            .ok_or_else(|| {
                AppError::Conflict("create an account before generating items".into())
            })?;
        Ok(Pools {
            themes: of(Vocabulary::Theme),
            agendas: of(Vocabulary::Agenda),
            audiences: of(Vocabulary::Audience),
            orgs,
            places,
            created_by,
        })
    }
}

/// One published item with realistic text (a fifth with an attachment's text), written as
/// a draft on its creation date and published on its own date: the same two steps (and
/// timestamps) a real item goes through.
async fn insert_synthetic_item(
    tx: &mut lz_store::Conn,
    rng: &mut StdRng,
    pools: &Pools,
    until: i64,
    now: i64,
) -> AppResult<()> {
    let content = content(rng, pools);
    let published_at = rng.gen_range(FROM_MS..until.max(FROM_MS + DAY_MS));
    let created_at = published_at - rng.gen_range(DAY_MS / 24..45 * DAY_MS);
    let id = new_id();
    let (draft, published) = (ItemStatus::Draft.code(), ItemStatus::Published.code());
    store::insert_item(tx, &id, &content, draft, &pools.created_by, created_at).await?;
    store::set_status(tx, &id, draft, published, published_at).await?;
    let snapshot = serde_json::to_string(&content).context("version snapshot")?;
    let by = Some(pools.created_by.as_str());
    store::insert_version(
        tx,
        &new_id(),
        &id,
        1,
        published,
        &snapshot,
        by,
        published_at,
    )
    .await?;
    if rng.gen_ratio(1, 5) {
        let text = attachment_text(rng);
        let (file_name, kind) = pick(rng, ATTACHMENT_NAMES);
        let attachment_id = new_id();
        let done = TextStatus::Done.code();
        let attachment = NewAttachment {
            id: &attachment_id,
            item_id: &id,
            // The key of the text itself: no file is stored for synthetic items.
            storage_key: &lz_files::key_for(text.as_bytes()),
            file_name,
            kind,
            size_bytes: text.len() as i64,
            text_status: done,
            uploaded_by: by,
            now: created_at,
        };
        store::insert_attachment(tx, &attachment).await?;
        store::set_extracted_text(tx, &attachment_id, done, &text).await?;
    }
    store::log_change(tx, &id, now).await?;
    Ok(())
}
