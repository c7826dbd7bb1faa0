//! Reading events: one event's page with what this reader may see and do (`EventView`), the
//! upcoming and past lists, series, a person's own registrations, and a guest's registration
//! from their emailed key. Nothing here writes.

use lz_domain::events::ShownStatus;
use lz_domain::ids::{EventId, SeriesId, UserId};
use lz_domain::library::ItemStatus;
use lz_store::events::{self as store, EventList};

use super::access::{self, reader, EventAccess};
use super::record::{EventRecord, Material, Organiser, RegistrationRecord, SeriesRecord, Theme};
use super::Events;
use crate::secrets::hash_token;
use crate::{Actor, AppError, AppResult};

/// An event with what its page shows to this reader.
pub struct EventView {
    pub event: EventRecord,
    /// What the reader may do: pages ask it which buttons to show.
    pub access: EventAccess,
    pub shown: ShownStatus,
    pub themes: Vec<Theme>,
    pub organisers: Vec<Organiser>,
    pub my_registration: Option<RegistrationRecord>,
    /// Why a signed-in person cannot register now (none: they can).
    pub closed_reason: Option<&'static str>,
    /// Material items the reader may see.
    pub materials: Vec<Material>,
    pub guests_allowed: bool,
}

impl EventView {
    pub fn may_organise(&self) -> bool {
        self.access.may_organise()
    }

    /// The joining link, for registered people and organisers.
    pub fn joining_link(&self) -> Option<&str> {
        self.event.joining_link_for(self.access)
    }
}

/// A guest's registration and its event, from the emailed key.
pub struct GuestView {
    pub registration: RegistrationRecord,
    pub event: EventRecord,
}

impl GuestView {
    pub fn joining_link(&self) -> Option<&str> {
        self.event
            .joining_link_for(EventAccess::for_guest(&self.registration))
    }
}

/// A series with its themes and the events the reader may see.
pub struct SeriesView {
    pub series: SeriesRecord,
    pub themes: Vec<Theme>,
    pub events: Vec<EventRecord>,
}

impl Events<'_> {
    /// Whether the person may create events and series (for the "create" buttons).
    pub fn may_create(&self, actor: Option<&Actor>) -> bool {
        actor.is_some_and(access::may_create)
    }

    pub fn require_may_create(&self, actor: &Actor) -> AppResult<()> {
        access::require_create(actor)
    }

    pub async fn event(&self, actor: Option<&Actor>, id: &EventId) -> AppResult<EventView> {
        let mut c = self.app.db.acquire().await?;
        let event: EventRecord = store::event_visible(&mut c, reader(actor), id)
            .await?
            .ok_or(AppError::NotFound)?
            .try_into()?;
        let themes = Theme::all(store::terms_of(&mut c, false, id).await?);
        let organisers: Vec<Organiser> = store::organisers(&mut c, id)
            .await?
            .into_iter()
            .map(|(id, name)| Organiser {
                id: id.into(),
                name,
            })
            .collect();
        let my_registration = match actor {
            Some(a) => store::live_registration(&mut c, id, &a.user.email)
                .await?
                .map(RegistrationRecord::try_from)
                .transpose()?,
            None => None,
        };
        let organiser_ids: Vec<UserId> = organisers.iter().map(|o| o.id.clone()).collect();
        let access = EventAccess::of(actor, &event, &organiser_ids, my_registration.as_ref());
        access.require_read()?;
        let materials = self.materials_of(&mut c, actor, id).await?;
        let now = self.app.now();
        let clock = event.clock();
        Ok(EventView {
            shown: clock.shown(now),
            closed_reason: clock.accepts_registrations(now).err(),
            guests_allowed: self.app.config.guest_registration && event.allow_guests,
            event,
            access,
            themes,
            organisers,
            my_registration,
            materials,
        })
    }

    /// Material items of the event that the reader may see.
    async fn materials_of(
        &self,
        c: &mut lz_store::Conn,
        actor: Option<&Actor>,
        id: &EventId,
    ) -> AppResult<Vec<Material>> {
        let mut materials = vec![];
        let lib_reader = crate::library::reader(actor);
        for item_id in store::material_ids(c, id).await? {
            if let Some(i) = lz_store::library::item(c, &lib_reader, &item_id).await? {
                materials.push(Material {
                    id: i.id.into(),
                    title: i.title,
                    published: ItemStatus::parse(&i.status) == Some(ItemStatus::Published),
                });
            }
        }
        Ok(materials)
    }

    /// The event for its organisers only.
    pub(super) async fn organised(&self, actor: &Actor, id: &EventId) -> AppResult<EventView> {
        let view = self.event(Some(actor), id).await?;
        view.access.require_organise()?;
        Ok(view)
    }

    pub async fn upcoming(&self, actor: Option<&Actor>) -> AppResult<Vec<EventRecord>> {
        let now = self.app.now();
        self.list(actor, EventList::Upcoming { now }).await
    }

    pub async fn past(&self, actor: Option<&Actor>) -> AppResult<Vec<EventRecord>> {
        let now = self.app.now();
        self.list(actor, EventList::Past { now }).await
    }

    async fn list(
        &self,
        actor: Option<&Actor>,
        list: EventList<'_>,
    ) -> AppResult<Vec<EventRecord>> {
        let mut c = self.app.db.acquire().await?;
        EventRecord::all(store::events(&mut c, reader(actor), list, 200).await?)
    }

    /// The status people see now.
    pub fn shown_status(&self, event: &EventRecord) -> ShownStatus {
        event.shown(self.app.now())
    }

    pub async fn all_series(&self) -> AppResult<Vec<SeriesRecord>> {
        let mut c = self.app.db.acquire().await?;
        Ok(store::all_series(&mut c)
            .await?
            .into_iter()
            .map(SeriesRecord::from)
            .collect())
    }

    /// A series with its themes and the events the reader may see.
    pub async fn series(&self, actor: Option<&Actor>, id: &SeriesId) -> AppResult<SeriesView> {
        let mut c = self.app.db.acquire().await?;
        let series = store::series_by_id(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let themes = Theme::all(store::terms_of(&mut c, true, id).await?);
        let events = EventRecord::all(
            store::events(&mut c, reader(actor), EventList::Series(id), 200).await?,
        )?;
        Ok(SeriesView {
            series: series.into(),
            themes,
            events,
        })
    }

    /// The person's live registrations with their events, soonest first.
    pub async fn my_registrations(
        &self,
        actor: &Actor,
    ) -> AppResult<Vec<(RegistrationRecord, EventRecord)>> {
        let mut c = self.app.db.acquire().await?;
        let registrations =
            RegistrationRecord::all(store::registrations_of_user(&mut c, actor.id()).await?)?;
        let events = EventRecord::all(store::events_registered_by(&mut c, actor.id()).await?)?;
        let mut out: Vec<(RegistrationRecord, EventRecord)> = registrations
            .into_iter()
            .filter_map(|r| {
                let e = events.iter().find(|e| e.id == r.event_id)?.clone();
                Some((r, e))
            })
            .collect();
        out.sort_by_key(|(_, e)| e.starts_at);
        Ok(out)
    }

    /// A guest's registration from the emailed link's token.
    pub async fn guest_registration(&self, token: &str) -> AppResult<GuestView> {
        let mut c = self.app.db.acquire().await?;
        let registration: RegistrationRecord =
            store::registration_by_token(&mut c, &hash_token(token.trim()))
                .await?
                .ok_or(AppError::NotFound)?
                .try_into()?;
        let event = store::event_unchecked(&mut c, &registration.event_id)
            .await?
            .ok_or(AppError::NotFound)?
            .try_into()?;
        Ok(GuestView {
            registration,
            event,
        })
    }
}
