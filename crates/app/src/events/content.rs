//! The event form turned into what the store writes (`EventContent`): the field checks of
//! `input.rs`, then the checks that need the database — themes, the organisation the event
//! runs under, its series, the organisers' accounts — all into one `Problems`.

use lz_domain::EmailAddress;
use lz_store::events::{self as store, EventContent};

use super::access::may_run_for;
use super::input::{
    about, capacity, location, registration_window, status, times, venue_or_link, visibility,
    EventInput,
};
use super::Events;
use crate::{Actor, AppResult, Problems};

impl Events<'_> {
    /// The event form checked into what the store writes; `creating` requires a future start.
    pub(super) async fn event_content(
        &self,
        actor: &Actor,
        input: &EventInput,
        creating: bool,
    ) -> AppResult<EventContent> {
        let mut p = Problems::default();
        let (title, summary) = about(&mut p, input);
        let place = location(&mut p, input);
        let speakers = p.bounded("speakers", "Speakers", &input.speakers, 2_000);
        let joining_link = venue_or_link(&mut p, &place, &input.joining_link);
        let (start, end) = times(&mut p, input, creating.then(|| self.app.now()));
        let capacity = capacity(&mut p, &input.capacity);
        let (opens, closes) = registration_window(&mut p, input, start);
        let visibility = visibility(&mut p, &input.visibility);
        let status = status(&mut p, &input.status);
        let organisation_id = self
            .check_owner(&mut p, actor, &input.organisation_id)
            .await?;
        let term_ids = self.check_terms(&mut p, &input.terms).await?;
        let series_id = self.check_series(&mut p, &input.series_id).await?;
        let organiser_ids = self.check_organisers(&mut p, &input.organisers).await?;
        p.into_result()?;
        Ok(EventContent {
            series_id,
            title,
            summary,
            format: place.format.map(|f| f.code()).unwrap_or_default().into(),
            venue: place.venue,
            address: place.address,
            access_info: place.access_info,
            joining_link,
            speakers,
            starts_at: start.unwrap_or_default(),
            ends_at: end.unwrap_or_default(),
            capacity,
            registration_opens_at: opens,
            registration_closes_at: closes,
            organisation_id,
            visibility: visibility.map(|v| v.code()).unwrap_or_default().into(),
            status: status.map(|s| s.code()).unwrap_or_default().into(),
            allow_guests: input.allow_guests.on(),
            ask_access: input.ask_access.on(),
            ask_dietary: input.ask_dietary.on(),
            term_ids,
            organiser_ids,
        })
    }

    /// Theme ids that exist (merged terms become the term they were merged into).
    pub(super) async fn check_terms(
        &self,
        p: &mut Problems,
        raw: &[String],
    ) -> AppResult<Vec<String>> {
        let mut c = self.app.db.acquire().await?;
        let mut ids = Vec::new();
        for t in raw.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            match lz_store::library::term_by_id(&mut c, t).await? {
                Some(term) => ids.push(term.merged_into.unwrap_or(term.id)),
                None => {
                    p.add("terms", "Choose themes from the list");
                    break;
                }
            }
        }
        ids.sort();
        ids.dedup();
        Ok(ids)
    }

    /// The organisation must exist and be one the organiser may run events for.
    pub(super) async fn check_owner(
        &self,
        p: &mut Problems,
        actor: &Actor,
        organisation_id: &str,
    ) -> AppResult<String> {
        let mut c = self.app.db.acquire().await?;
        let org = match organisation_id.trim() {
            "" => None,
            id => lz_store::network::organisation_by_id(&mut c, id).await?,
        };
        match org {
            None => {
                p.add("organisation_id", "Choose the organisation running it");
                Ok(String::new())
            }
            Some(o) if !may_run_for(actor, &o.id) => {
                p.add("organisation_id", "Choose one of your own organisations");
                Ok(String::new())
            }
            Some(o) => Ok(o.id),
        }
    }

    async fn check_series(&self, p: &mut Problems, raw: &str) -> AppResult<Option<String>> {
        let id = raw.trim();
        if id.is_empty() {
            return Ok(None);
        }
        let mut c = self.app.db.acquire().await?;
        Ok(match store::series_by_id(&mut c, id).await? {
            Some(s) => Some(s.id),
            None => {
                p.add("series_id", "Choose a series from the list");
                None
            }
        })
    }

    /// Further organisers by their accounts' addresses (at most 20).
    async fn check_organisers(&self, p: &mut Problems, raw: &str) -> AppResult<Vec<String>> {
        let mut ids = vec![];
        for address in raw
            .split(['\n', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let mut c = self.app.db.acquire().await?;
            match EmailAddress::parse(address) {
                Ok(e) => match lz_store::users::by_email(&mut c, e.as_str()).await? {
                    Some(u) => ids.push(u.id),
                    None => p.add(
                        "organisers",
                        format!("No one has an account with the address {}", e.as_str()),
                    ),
                },
                Err(_) => p.add("organisers", "Enter organisers' email addresses"),
            }
        }
        if ids.len() > 20 {
            p.add("organisers", "Name at most 20 organisers");
        }
        ids.sort();
        ids.dedup();
        Ok(ids)
    }
}
