//! Who may bring content in and take it out. The host exports and imports the whole site
//! from the command line (it holds the server, so no rule applies there); on the web, an
//! organisation's items are exported by whoever decides for that organisation (its
//! organisation admins, and network admins), and meeting records are brought in by those who
//! look after all shared content (moderators and network admins), since they publish at once.

use crate::{Actor, AppError, AppResult};

pub fn require_export_organisation(actor: &Actor, organisation_id: &str) -> AppResult<()> {
    if actor.may_decide_for(organisation_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Whether the organisation page offers the export to this person.
pub fn may_export_organisation(actor: Option<&Actor>, organisation_id: &str) -> bool {
    actor.is_some_and(|a| a.may_decide_for(organisation_id))
}

/// The organisations this person belongs to and may export, by id and name (network admins
/// export any organisation from its page under Administration).
pub fn own_organisations_to_export(actor: &Actor) -> Vec<(String, String)> {
    actor
        .active_memberships()
        .filter(|m| actor.may_decide_for(m.organisation_id.as_str()))
        .map(|m| {
            (
                m.organisation_id.as_str().to_string(),
                m.organisation_name.clone(),
            )
        })
        .collect()
}

pub fn may_import_meetings(actor: Option<&Actor>) -> bool {
    actor.is_some_and(Actor::sees_all_content)
}

pub fn require_import_meetings(actor: &Actor) -> AppResult<()> {
    if may_import_meetings(Some(actor)) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Contributors and above bring a folder of documents in as their own drafts (as they may
/// write items); the drafts are theirs alone until they submit them for review.
pub fn may_import_folder(actor: Option<&Actor>) -> bool {
    actor.is_some_and(crate::library::LibraryAccess::may_write)
}

pub fn require_import_folder(actor: &Actor) -> AppResult<()> {
    if may_import_folder(Some(actor)) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
