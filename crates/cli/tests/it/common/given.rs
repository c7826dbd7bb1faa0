//! `app.given()`: builds what a scenario needs — places, organisations, people with a role
//! and their memberships, items, events and plans — over the API, as a network admin would,
//! so that scenarios do not depend on the demo's people.
//!
//! Only the first network admin is made directly, the way `learning-zone user create` makes
//! one (`App::create_user_direct`), and so is every person with a role: nobody could grant
//! the first role over the API, and signing up and confirming by e-mail for each person would
//! test the sign-up again in every scenario (`accounts.rs` does that once). So is the empty
//! plan that Executive minutes go into, as `learning-zone plan import` makes it: no request
//! makes an empty plan. Taxonomy terms are added on the curators' page, which no API offers.

use std::collections::HashMap;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::{Client, TestApp, PASSWORD};

/// Every role, least to most trusted.
pub const ROLES: [&str; 6] = [
    "member",
    "contributor",
    "place_lead",
    "org_admin",
    "moderator",
    "network_admin",
];

/// The plan document the demo imports: a realistic plan for `Given::plan`.
const PLAN: &str = include_str!("../../../../app/src/demo/seeds/nw-delivery-plan.txt");

/// The Executive minutes the demo imports: seven mandates, two actions (`Given::executive`).
const MINUTES: &str = include_str!("../../../../app/src/demo/seeds/executive-mandates-minutes.txt");

/// The network admin who sets things up (`Given::admin`).
const ADMIN_EMAIL: &str = "setup.admin@example.org";

const DAY_MS: i64 = 86_400_000;

/// What `given()` keeps for the life of one app.
#[derive(Default)]
pub(crate) struct Built {
    admin: tokio::sync::OnceCell<Client>,
    people: AtomicUsize,
    /// `assert_only`'s callers by (role, organisation id), made once and reused.
    pub(crate) callers: tokio::sync::Mutex<HashMap<(String, String), super::Caller>>,
}

#[derive(Clone, Debug)]
pub struct Place {
    pub id: String,
    pub slug: String,
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct Org {
    pub id: String,
    pub slug: String,
    pub name: String,
}

/// A person with an account, a role and a password (`PASSWORD`).
#[derive(Clone, Debug)]
pub struct Person {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    base: String,
}

impl Person {
    /// An API client holding a new token of this person's.
    pub async fn api(&self) -> Client {
        Client::new(&self.base)
            .api_sign_in(&self.email, PASSWORD)
            .await
    }

    /// A browser signed in as this person.
    pub async fn browser(&self) -> Client {
        let browser = Client::new(&self.base);
        browser.sign_in(&self.email, PASSWORD).await;
        browser
    }
}

/// The builder `app.given()` returns.
#[derive(Clone, Copy)]
pub struct Given<'a> {
    app: &'a TestApp,
}

impl<'a> Given<'a> {
    pub(crate) fn new(app: &'a TestApp) -> Self {
        Self { app }
    }

    /// The network admin who sets things up: the first account, made once per app.
    pub async fn admin(&self) -> &'a Client {
        let app = self.app;
        app.built
            .admin
            .get_or_init(|| async move {
                let admin = Given::new(app)
                    .create_person("network_admin", ADMIN_EMAIL, "Setup Admin")
                    .await;
                admin.api().await
            })
            .await
    }

    /// A place of kind `local` with this slug (its name is the slug in title case).
    pub async fn place(&self, slug: &str) -> Place {
        let name = title_case(slug);
        let (s, v) = self
            .admin()
            .await
            .api_post(
                "/places",
                json!({"name": name, "slug": slug, "kind": "local"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "given place {slug}: {v}");
        Place {
            id: id_of(&v),
            slug: slug.to_string(),
            name,
        }
    }

    /// A voluntary-sector organisation with this slug, in no place.
    pub async fn organisation(&self, slug: &str) -> Org {
        self.organisation_with(slug, json!({})).await
    }

    /// An organisation in `place`.
    pub async fn organisation_in(&self, slug: &str, place: &Place) -> Org {
        self.organisation_with(slug, json!({"place_id": place.id}))
            .await
    }

    /// An organisation with extra API fields (`name`, `sector`, `domains`, `place_id`).
    pub async fn organisation_with(&self, slug: &str, extra: Value) -> Org {
        let body = merged(
            json!({"name": title_case(slug), "slug": slug, "sector": "vcfse"}),
            extra,
        );
        let name = body["name"].as_str().unwrap_or_default().to_string();
        let (s, v) = self.admin().await.api_post("/organisations", body).await;
        assert_eq!(s, StatusCode::CREATED, "given organisation {slug}: {v}");
        Org {
            id: id_of(&v),
            slug: slug.to_string(),
            name,
        }
    }

    /// A person with `role` (a role code, e.g. "contributor"); add `.member_of(&org)`, then
    /// `.await` for the `Person`, or end with `.signed_in_api()` / `.signed_in()`.
    pub fn person(&self, role: &str) -> PersonBuilder<'a> {
        PersonBuilder {
            given: *self,
            role: role.to_string(),
            organisations: vec![],
            email: None,
            name: None,
        }
    }

    async fn create_person(&self, role: &str, email: &str, name: &str) -> Person {
        let code: lz_domain::Role = role.parse().unwrap_or_else(|e| panic!("role {role}: {e}"));
        let id = self
            .app
            .app
            .create_user_direct(email, name, PASSWORD, code)
            .await
            .unwrap_or_else(|e| panic!("given person {email}: {e:?}"));
        Person {
            id: id.to_string(),
            email: email.to_string(),
            name: name.to_string(),
            role: role.to_string(),
            base: self.app.base.clone(),
        }
    }

    /// `person` asks to join `org` and the network admin approves.
    async fn join(&self, person: &Person, org: &Org) {
        let (s, v) = person
            .api()
            .await
            .api_post(
                &format!("/organisations/{}/join-requests", org.id),
                json!({}),
            )
            .await;
        assert_eq!(
            s,
            StatusCode::CREATED,
            "{} asks to join {}: {v}",
            person.email,
            org.slug
        );
        let (s, v) = self
            .admin()
            .await
            .api_post(
                &format!("/join-requests/{}/decision", id_of(&v)),
                json!({"approve": true}),
            )
            .await;
        assert_eq!(
            s,
            StatusCode::OK,
            "{} joins {}: {v}",
            person.email,
            org.slug
        );
    }

    /// A case study by a new contributor of `org`, published; `.draft()`, `.by(&person)`,
    /// `.titled(..)`, `.visibility(..)` and `.with(json)` change it.
    pub fn item(&self, org: &Org) -> ItemBuilder<'a> {
        ItemBuilder {
            given: *self,
            org: org.clone(),
            author: None,
            body: json!({
                "kind": "case_study", "title": "A given case study",
                "summary": "What a partner learned.", "visibility": "network",
                "what_we_did": "We worked with partners across the place.",
            }),
            publish: true,
        }
    }

    /// An open, in-person network event of `org` thirty days from now, organised by a new
    /// contributor of `org`; `.by(&person)`, `.titled(..)` and `.with(json)` change it.
    pub fn event(&self, org: &Org) -> EventBuilder<'a> {
        EventBuilder {
            given: *self,
            org: org.clone(),
            organiser: None,
            body: json!({
                "title": "A given event", "summary": "Places share what works.",
                "format": "in_person", "venue": "Preston Guild Hall",
                "start_date": self.date_in(30), "start_time": "10:00", "end_time": "12:30",
                "capacity": 20, "visibility": "network", "status": "open",
            }),
        }
    }

    /// The demo's delivery plan imported by the network admin as a network plan titled
    /// `title`; returns its id. `extra` adds API fields (`visibility`, `owner_organisation_id`).
    pub async fn plan(&self, title: &str, extra: Value) -> String {
        let body = merged(
            json!({"text": PLAN, "confirmed": true, "title": title}),
            extra,
        );
        let (s, v) = self.admin().await.api_post("/plans/import", body).await;
        assert_eq!(s, StatusCode::CREATED, "given plan {title}: {v}");
        id_of(&v)
    }

    /// A network plan titled `title` holding the demo's Executive minutes; returns its id.
    pub async fn executive(&self, title: &str) -> String {
        let admin = self.admin().await;
        let id = self
            .app
            .app
            .plans()
            .create_plan(None, title, None, "network")
            .await
            .unwrap_or_else(|e| panic!("given plan {title}: {e:?}"));
        let (s, v) = admin
            .api_post(&format!("/plans/{id}/minutes"), json!({"text": MINUTES}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "given minutes in {title}: {v}");
        id
    }

    /// A term of `vocabulary` ("theme", "agenda", "audience") named `name`; returns its id.
    pub async fn term(&self, vocabulary: &str, name: &str) -> String {
        let admin = self.admin().await;
        let browser = self.app.client();
        browser.sign_in(ADMIN_EMAIL, PASSWORD).await;
        let r = browser
            .post_form(
                "/admin/taxonomy",
                "/admin/taxonomy",
                &[
                    ("vocabulary", vocabulary),
                    ("name", name),
                    ("description", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "given term {name}");
        let (_, terms) = admin.api_get("/terms").await;
        terms
            .as_array()
            .and_then(|all| {
                all.iter()
                    .find(|t| t["vocabulary"] == vocabulary && t["name"] == name)
            })
            .map(id_of)
            .unwrap_or_else(|| panic!("given term {name} in {terms}"))
    }

    /// The UK calendar date `days` from the app's now, as "YYYY-MM-DD".
    pub fn date_in(&self, days: i64) -> String {
        lz_domain::dates::utc_date((self.app.app.now() + days * DAY_MS) / 1000)
            .expect("a date in range")
            .to_string()
    }

    /// A new contributor of `org`, for items and events that name nobody.
    async fn contributor_of(&self, org: &Org) -> Person {
        self.person("contributor").member_of(org).await
    }
}

/// A person being built; `.await` it.
pub struct PersonBuilder<'a> {
    given: Given<'a>,
    role: String,
    organisations: Vec<Org>,
    email: Option<String>,
    name: Option<String>,
}

impl<'a> PersonBuilder<'a> {
    /// An active member of `org` (asked and approved over the API).
    pub fn member_of(mut self, org: &Org) -> Self {
        self.organisations.push(org.clone());
        self
    }

    pub fn email(mut self, email: &str) -> Self {
        self.email = Some(email.to_string());
        self
    }

    pub fn named(mut self, name: &str) -> Self {
        self.name = Some(name.to_string());
        self
    }

    /// The person's API client.
    pub async fn signed_in_api(self) -> Client {
        self.await.api().await
    }

    /// The person's signed-in browser.
    pub async fn signed_in(self) -> Client {
        self.await.browser().await
    }

    async fn build(self) -> Person {
        let n = self.given.app.built.people.fetch_add(1, Ordering::Relaxed) + 1;
        let email = self
            .email
            .unwrap_or_else(|| format!("{}.{n}@example.org", self.role.replace('_', ".")));
        let name = self
            .name
            .unwrap_or_else(|| format!("Given {} {n}", title_case(&self.role)));
        let person = self.given.create_person(&self.role, &email, &name).await;
        for org in &self.organisations {
            self.given.join(&person, org).await;
        }
        person
    }
}

impl<'a> IntoFuture for PersonBuilder<'a> {
    type Output = Person;
    type IntoFuture = Pin<Box<dyn Future<Output = Person> + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.build())
    }
}

/// An item being built; `.await` gives its id.
pub struct ItemBuilder<'a> {
    given: Given<'a>,
    org: Org,
    author: Option<Person>,
    body: Value,
    publish: bool,
}

impl<'a> ItemBuilder<'a> {
    pub fn by(mut self, author: &Person) -> Self {
        self.author = Some(author.clone());
        self
    }

    pub fn titled(self, title: &str) -> Self {
        self.with(json!({"title": title, "summary": format!("Summary of {title}.")}))
    }

    pub fn visibility(self, visibility: &str) -> Self {
        self.with(json!({"visibility": visibility}))
    }

    /// Any other API fields.
    pub fn with(mut self, extra: Value) -> Self {
        self.body = merged(self.body, extra);
        self
    }

    /// Left as a draft instead of published.
    pub fn draft(mut self) -> Self {
        self.publish = false;
        self
    }

    async fn build(self) -> String {
        let author = match self.author {
            Some(a) => a,
            None => self.given.contributor_of(&self.org).await,
        };
        let api = author.api().await;
        let body = merged(self.body, json!({"organisation_id": self.org.id}));
        let (s, v) = api.api_post("/items", body).await;
        assert_eq!(s, StatusCode::CREATED, "given item: {v}");
        let id = id_of(&v);
        if self.publish {
            let workflow = format!("/items/{id}/workflow");
            let (s, v) = api.api_post(&workflow, json!({"action": "submit"})).await;
            assert_eq!(s, StatusCode::OK, "given item submitted: {v}");
            let admin = self.given.admin().await;
            let (s, v) = admin
                .api_post(&workflow, json!({"action": "approve"}))
                .await;
            assert_eq!(s, StatusCode::OK, "given item approved: {v}");
            assert_eq!(v["status"], "published");
        }
        id
    }
}

impl<'a> IntoFuture for ItemBuilder<'a> {
    type Output = String;
    type IntoFuture = Pin<Box<dyn Future<Output = String> + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.build())
    }
}

/// An event being built; `.await` gives its id.
pub struct EventBuilder<'a> {
    given: Given<'a>,
    org: Org,
    organiser: Option<Person>,
    body: Value,
}

impl<'a> EventBuilder<'a> {
    pub fn by(mut self, organiser: &Person) -> Self {
        self.organiser = Some(organiser.clone());
        self
    }

    pub fn titled(self, title: &str) -> Self {
        self.with(json!({"title": title}))
    }

    /// Any other API fields (`start_date`, `capacity`, `visibility`, `status`, …).
    pub fn with(mut self, extra: Value) -> Self {
        self.body = merged(self.body, extra);
        self
    }

    async fn build(self) -> String {
        let organiser = match self.organiser {
            Some(o) => o,
            None => self.given.contributor_of(&self.org).await,
        };
        let body = merged(self.body, json!({"organisation_id": self.org.id}));
        let (s, v) = organiser.api().await.api_post("/events", body).await;
        assert_eq!(s, StatusCode::CREATED, "given event: {v}");
        id_of(&v)
    }
}

impl<'a> IntoFuture for EventBuilder<'a> {
    type Output = String;
    type IntoFuture = Pin<Box<dyn Future<Output = String> + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.build())
    }
}

fn id_of(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("an id in {v}"))
        .to_string()
}

/// `base` with `extra`'s fields added or replaced.
fn merged(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
        b.extend(e);
    }
    base
}

/// "place_lead" → "Place Lead", "north-fylde" → "North Fylde".
fn title_case(code: &str) -> String {
    code.split(['_', '-', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}
