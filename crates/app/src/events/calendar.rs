//! Calendar files (iCalendar): one event for a reader, the feed of upcoming events, and the
//! invitations in emails (iTIP REQUEST to the registrant, with ORGANIZER and ATTENDEE; an
//! update keeps the UID with the event's higher SEQUENCE; a cancellation raises it again).

use lz_domain::events::{self as rules, EventStatus, IcalEvent, IcalMethod, Person};
use lz_domain::ids::EventId;

use super::record::EventRecord;
use super::Events;
use crate::mail::Attachment;
use crate::{Actor, AppResult};

/// The calendar entry's text: the summary, and for registrants the joining link.
fn description_for(event: &EventRecord, with_link: bool) -> String {
    let link = event.stored_joining_link();
    if with_link && !link.is_empty() {
        format!("{}\n\nJoin online: {link}", event.summary)
    } else {
        event.summary.clone()
    }
}

/// One event for a calendar; `description` is the summary, with the joining link for
/// registrants (see `description_for`); `ids` are its UID and URL.
fn ics_event<'a>(
    event: &'a EventRecord,
    description: &'a str,
    with_link: bool,
    now: i64,
    ids: (&'a str, &'a str),
) -> IcalEvent<'a> {
    let location: &str = if !event.venue.is_empty() {
        &event.venue
    } else if with_link {
        event.stored_joining_link()
    } else {
        ""
    };
    IcalEvent {
        uid: ids.0,
        sequence: event.sequence,
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        stamp: now,
        summary: &event.title,
        description,
        location,
        url: ids.1,
        cancelled: event.is_cancelled(),
        organizer: None,
        attendee: None,
    }
}

impl Events<'_> {
    fn uid(&self, event: &EventRecord) -> String {
        let host = self
            .app
            .config
            .base_url
            .host_str()
            .unwrap_or("learning-zone");
        format!("{}@{host}", event.id)
    }

    /// The calendar file for a download (`attendee` none: PUBLISH), or for an email to the
    /// registrant `attendee` (REQUEST, or CANCEL); `with_link` adds the joining link.
    fn ics_for(
        &self,
        event: &EventRecord,
        method: IcalMethod,
        with_link: bool,
        now: i64,
        attendee: Option<Person<'_>>,
    ) -> Attachment {
        let uid = self.uid(event);
        let url = self.app.config.link(&format!("/events/{}", event.id));
        let description = description_for(event, with_link);
        let mut ie = ics_event(event, &description, with_link, now, (&uid, &url));
        let from = self.app.config.mail_from.as_str();
        let organizer_email = from
            .rsplit_once('<')
            .map(|(_, a)| a.trim_end_matches('>').trim())
            .unwrap_or(from.trim());
        if method != IcalMethod::Publish {
            ie.organizer = Some(Person {
                name: &self.app.config.site_name,
                email: organizer_email,
            });
            ie.attendee = attendee;
        }
        let file_name = if method == IcalMethod::Cancel {
            // A cancelled event already raised its SEQUENCE; one person's cancelled place
            // raises it for their copy alone.
            if !event.is_cancelled() {
                ie.sequence += 1;
            }
            ie.cancelled = true;
            "cancelled.ics"
        } else {
            "invite.ics"
        };
        Attachment {
            file_name: file_name.into(),
            media_type: format!("text/calendar; charset=utf-8; method={}", method.code()),
            text: rules::calendar(method, &event.title, &[ie]),
        }
    }

    /// The invitation (iTIP REQUEST, with the joining link) in an email to the registrant
    /// `(name, email)`.
    pub(super) fn invitation(
        &self,
        event: &EventRecord,
        (name, email): (&str, &str),
        now: i64,
    ) -> Attachment {
        self.ics_for(
            event,
            IcalMethod::Request,
            true,
            now,
            Some(Person { name, email }),
        )
    }

    /// The matching cancellation (iTIP CANCEL) in an email to the registrant `(name, email)`.
    pub(super) fn cancellation(
        &self,
        event: &EventRecord,
        (name, email): (&str, &str),
        now: i64,
    ) -> Attachment {
        self.ics_for(
            event,
            IcalMethod::Cancel,
            false,
            now,
            Some(Person { name, email }),
        )
    }

    /// One event's calendar file for the reader.
    pub async fn event_ics(&self, actor: Option<&Actor>, id: &EventId) -> AppResult<String> {
        let view = self.event(actor, id).await?;
        let with_link = view.joining_link().is_some();
        Ok(self
            .ics_for(
                &view.event,
                IcalMethod::Publish,
                with_link,
                self.app.now(),
                None,
            )
            .text)
    }

    /// The feed of upcoming (and cancelled upcoming) events the reader may see.
    pub async fn events_ics(&self, actor: Option<&Actor>) -> AppResult<String> {
        // Drafts (which organisers may see) are not in anyone's calendar.
        let events: Vec<EventRecord> = self
            .upcoming(actor)
            .await?
            .into_iter()
            .filter(|e| e.status != EventStatus::Draft)
            .collect();
        let now = self.app.now();
        let ids: Vec<(String, String)> = events
            .iter()
            .map(|e| {
                (
                    self.uid(e),
                    self.app.config.link(&format!("/events/{}", e.id)),
                )
            })
            .collect();
        let items: Vec<IcalEvent<'_>> = events
            .iter()
            .zip(ids.iter())
            .map(|(e, (uid, url))| ics_event(e, &e.summary, false, now, (uid, url)))
            .collect();
        Ok(rules::calendar(
            IcalMethod::Publish,
            &format!("{}: events", self.app.config.site_name),
            &items,
        ))
    }
}
