//! Demo data: the North West place cluster, its partners and people, loaded into an empty
//! database so that a new installation can be tried at once.

use crate::Context;
mod advocacy;
pub mod data;
mod events;
mod evidence;
mod intelligence;
mod library;
mod progress;
mod synthetic;

use lz_domain::Role;
use lz_store::network::{self as store, NewOrganisation, NewPlace};
use lz_store::ops::is_empty;

use crate::{new_id, App, AppError, AppResult};

/// The password every demo account shares; printed by `serve --demo`.
pub const DEMO_PASSWORD: &str = "demo: moorland heather trail";

pub struct DemoAccount {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation: String,
}

impl App {
    /// Loads the demo network. Refuses a database that already holds people or places.
    pub async fn load_demo(&self) -> AppResult<Vec<DemoAccount>> {
        {
            let mut c = self.db.acquire().await?;
            if !is_empty(&mut c).await? {
                return Err(AppError::Conflict(
                    "the database already holds data: demo data only goes into an empty database (use a new LZ_DATA_DIR or database)".into(),
                ));
            }
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let mut place_ids = std::collections::HashMap::new();
        for p in data::PLACES {
            let id = new_id();
            store::insert_place(
                &mut tx,
                &NewPlace {
                    id: &id,
                    slug: p.slug,
                    name: p.name,
                    kind: p.kind,
                    gss_code: p.gss_code,
                    summary: p.summary,
                    now,
                },
            )
            .await?;
            place_ids.insert(p.slug, id);
        }
        for o in data::ORGANISATIONS {
            let id = new_id();
            let place_id = o
                .place_slug
                .and_then(|s| place_ids.get(s))
                .map(String::as_str);
            store::insert_organisation(
                &mut tx,
                &NewOrganisation {
                    id: &id,
                    slug: o.slug,
                    name: o.name,
                    sector: o.sector,
                    place_id,
                    now,
                },
            )
            .await?;
            let domains: Vec<String> = o.domains.iter().map(|d| d.to_string()).collect();
            store::set_domains(&mut tx, &id, &domains, now).await?;
        }
        crate::commit(tx).await?;

        let mut accounts = Vec::new();
        for person in data::PEOPLE {
            let role: Role = person.role.parse().context("demo data")?;
            // Accounts join their organisation through its verified email domain.
            self.accounts()
                .create_user_direct(person.email, person.name, DEMO_PASSWORD, role)
                .await?;
            accounts.push(DemoAccount {
                email: person.email.to_string(),
                name: person.name.to_string(),
                role,
                organisation: person.organisation_slug.to_string(),
            });
        }
        self.load_demo_plans().await?;
        self.load_demo_library().await?;
        self.load_demo_evidence().await?;
        let series = self.load_demo_events().await?;
        self.load_demo_progress(&series).await?;
        self.load_demo_advocacy().await?;
        self.load_demo_intelligence().await?;
        Ok(accounts)
    }

    /// The delivery plan and the Executive's mandates, loaded through the same import a
    /// person uses, from the two source documents.
    async fn load_demo_plans(&self) -> AppResult<()> {
        let orgs = self.network().organisations().await?;
        let org = |slug: &str| {
            orgs.iter()
                .find(|o| o.slug == slug)
                .map(|o| o.id.to_string())
        };
        let plan = crate::plans::PlanImport {
            text: include_str!("seeds/nw-delivery-plan.txt").to_string(),
            title: Some("North West Place Cluster Delivery Plan".into()),
            owner_organisation_id: org("active-lancashire"),
            visibility: "network".into(),
            confirmed: true,
        };
        self.plans().import_plan(None, &plan).await?;
        let minutes = include_str!("seeds/executive-mandates-minutes.txt");
        let title = self.plans().preview_minutes(minutes)?.title;
        let id = self
            .plans()
            .create_plan(
                None,
                &format!("Partnership Executive: {title}"),
                org("chorley-council").as_deref(),
                "network",
            )
            .await?;
        self.plans().import_minutes(None, &id, minutes).await?;
        Ok(())
    }
}
