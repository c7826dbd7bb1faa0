//! The permission matrix (issue 20): a table with one row for every route of the router —
//! pages and API, every verb — naming the access rule it follows, and a run that asks every
//! route as every kind of caller about objects of every visibility and state, and compares
//! each answer with the one the rule expects:
//!
//! - `Ok`: the request got past the access check (a page, a redirect that is not to the
//!   sign-in page, or the input refused with 400/409/422: the check came first);
//! - `SignIn`: a signed-out visitor is sent to sign in (401 from the API);
//! - `Forbidden`: 403, for what the caller may see but not do;
//! - `Hidden`: 404, for what the caller may not even know exists.
//!
//! A refused request must change nothing: the audit log, which every change writes to, is
//! counted around each one.
//!
//! A route of the router without a row fails `every_route_has_one_row` (the routes are read
//! from the web crate's source, where `.route(…)` names each), and so does a row for a route
//! that is gone. The table is this file's `TABLE`; the rules are `expect`.
//!
//! The callers, each in a relation to the objects, which an `Author` (a contributor of the
//! owning organisation, in the place "Home Place") made: see `Who`.
//!
//! Named cases from peers' known failures are in `peers_known_failures`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::{csrf_in, Client, Org, Person, Place, TestApp, PASSWORD};
use crate::on_both_databases;

on_both_databases!(
    every_route_answers_every_caller_as_its_rule_says,
    peers_known_failures
);

/// Who asks, by relation to the objects asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Who {
    /// A signed-out visitor.
    Out,
    /// A member of another organisation, in another place.
    Member,
    /// A contributor of another organisation, in another place.
    Contributor,
    /// The contributor of the owning organisation who made every object.
    Author,
    /// A member of the owning organisation.
    OwnerMember,
    /// The place lead of the objects' place (through another organisation there).
    LeadHere,
    /// A place lead of another place.
    LeadThere,
    /// The organisation admin of the owning organisation.
    AdminOwner,
    /// An organisation admin of another organisation.
    AdminOther,
    Moderator,
    NetworkAdmin,
}

const EVERYONE: [Who; 11] = [
    Who::Out,
    Who::Member,
    Who::Contributor,
    Who::Author,
    Who::OwnerMember,
    Who::LeadHere,
    Who::LeadThere,
    Who::AdminOwner,
    Who::AdminOther,
    Who::Moderator,
    Who::NetworkAdmin,
];

impl Who {
    fn signed_in(self) -> bool {
        self != Who::Out
    }
    /// Contributors and every role above them write shared content.
    fn contributes(self) -> bool {
        !matches!(self, Who::Out | Who::Member | Who::OwnerMember)
    }
    /// Moderators and network admins see all shared content.
    fn sees_all(self) -> bool {
        matches!(self, Who::Moderator | Who::NetworkAdmin)
    }
    fn belongs_to_owner(self) -> bool {
        matches!(self, Who::Author | Who::OwnerMember | Who::AdminOwner)
    }
    fn in_the_place(self) -> bool {
        self.belongs_to_owner() || self == Who::LeadHere
    }
    fn is(self, whom: &[Who]) -> bool {
        whom.contains(&self)
    }
}

/// The answer a rule expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Ok,
    SignIn,
    Forbidden,
    Hidden,
}
use Expect::*;

/// The state or visibility of the object a route is asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Variant {
    /// Objects without variants (a place, a user, an indicator…).
    One,
    Public,
    Network,
    Place,
    Organisation,
    Draft,
    /// Evidence checked, waiting to be published.
    Checked,
}

/// What a route's path names, from its first segments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Kind {
    Nothing,
    Item,
    Attachment,
    Event,
    Series,
    Registration,
    Evidence,
    Collection,
    Shared,
    Plan,
    WorkArea,
    Action,
    Milestone,
    Outcome,
    Indicator,
    Import,
    /// A folder of documents brought in as drafts (by the author).
    Folder,
    Place,
    Organisation,
    User,
    JoinRequest,
    Term,
    Token,
}

impl Kind {
    fn of(path: &str) -> Kind {
        if !path.contains('{') {
            return Kind::Nothing;
        }
        let p = path.trim_start_matches("/api/v1");
        let starts = |s: &str| p.starts_with(s);
        if starts("/library/import/folder/") || starts("/folder-imports/") {
            Kind::Folder
        } else if starts("/library/") || starts("/items/") {
            Kind::Item
        } else if starts("/attachments/") {
            Kind::Attachment
        } else if starts("/events/series/") {
            Kind::Series
        } else if starts("/events/") {
            Kind::Event
        } else if starts("/registrations/") {
            Kind::Registration
        } else if starts("/evidence/") {
            Kind::Evidence
        } else if starts("/collections/") {
            Kind::Collection
        } else if starts("/shared/") {
            Kind::Shared
        } else if starts("/plans/") {
            Kind::Plan
        } else if starts("/work-areas/") {
            Kind::WorkArea
        } else if starts("/actions/") {
            Kind::Action
        } else if starts("/milestones/") {
            Kind::Milestone
        } else if starts("/outcomes/") {
            Kind::Outcome
        } else if starts("/indicators/import/") {
            Kind::Import
        } else if starts("/indicators/") {
            Kind::Indicator
        } else if starts("/admin/places/") || starts("/places/") {
            Kind::Place
        } else if starts("/admin/organisations/") || starts("/organisations/") {
            Kind::Organisation
        } else if starts("/admin/users/") || starts("/users/") {
            Kind::User
        } else if starts("/admin/requests/") || starts("/join-requests/") {
            Kind::JoinRequest
        } else if starts("/admin/taxonomy/")
            || starts("/themes/")
            || starts("/agendas/")
            || starts("/audiences/")
        {
            Kind::Term
        } else if starts("/account/tokens/") {
            Kind::Token
        } else {
            panic!("the matrix does not know what {path} names: add it to Kind::of")
        }
    }

    fn variants(self) -> &'static [Variant] {
        use Variant::*;
        match self {
            Kind::Item => &[Public, Network, Place, Organisation, Draft],
            Kind::Attachment => &[Public, Organisation],
            Kind::Event => &[Public, Network, Draft],
            Kind::Evidence => &[Draft, Checked, Public, Organisation],
            Kind::Collection => &[Draft, Public, Network, Organisation],
            Kind::Plan => &[Network, Organisation],
            _ => &[One],
        }
    }
}

/// The access rules, as the app's `access` modules state them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    /// Anyone, signed in or not.
    Anyone,
    /// Pages for signed-out visitors (signing in, signing up): signed-in people are sent on.
    Visitors,
    SignedIn,
    /// Contributors and every role above.
    Contributors,
    /// Place leads, moderators and network admins have a review queue.
    ReviewQueue,
    /// Moderators and network admins.
    Curators,
    /// Organisation admins and network admins (join requests, the administration pages).
    Deciders,
    NetworkAdmin,
    /// Network admins and analysts import figures.
    Importers,
    // The library: an item's visibility and state.
    ItemRead,
    /// Signed-in readers of the item (marks, following).
    ItemReadSignedIn,
    ItemEdit,
    /// Moderators and network admins feature (after seeing the item).
    ItemFeature,
    // Events.
    EventRead,
    EventRegister,
    EventOrganise,
    /// A guest (signed out) registers on a public event.
    EventGuest,
    RegistrationOwn,
    // Evidence.
    EvidenceRead,
    EvidenceEdit,
    EvidenceCheck,
    EvidencePublish,
    // Collections (advocacy packs).
    CollectionRead,
    CollectionEdit,
    CollectionOversee,
    CollectionPublish,
    CollectionShare,
    // Delivery plans.
    PlanRead,
    PlanEdit,
    WorkAreaUpdate,
    ActionClose,
    // The network.
    JoinDecide,
    TokenOwn,
    /// The staged import of the network admin who uploaded it.
    ImportOwn,
    /// The folder of drafts its contributor brought in: others who could bring folders in
    /// find nothing there; those who cannot are refused first.
    FolderOwn,
    /// What only a link from an email opens (a guest's registration): hidden to all who
    /// come without it.
    LinkHolders,
    /// Feedback on an event comes from those registered for it, whatever else they may do.
    EventAttendee,
    /// Signing out ends at the sign-in page, for everyone.
    EndsAtSignIn,
    /// Authors delete their drafts; moderators and network admins remove any record.
    EvidenceDelete,
    /// Organisation admins for their own organisation, network admins for any (the
    /// organisation named in the request).
    DecidersForOwner,
    /// A curator revokes a link of their pack; another pack's link is not found.
    CollectionRevoke,
}
use Rule::*;

/// The expected answer of `rule` to `who` about an object in `variant`, asked for a page
/// (`page`) or over the API.
fn expect(rule: Rule, who: Who, variant: Variant, page: bool, read: bool) -> Expect {
    use Variant as V;
    use Who as W;
    // What a signed-out visitor may not see: pages send them to sign in (they may see it
    // then); the API's reads answer 404, its writes 401 (no token, no write).
    let hidden_to_visitor = match rule {
        // What only organisers do asks for a token first.
        EventOrganise => SignIn,
        _ if page || !read => SignIn,
        _ => Hidden,
    };
    let signed_out = SignIn;
    let gate = |allowed: bool| {
        if allowed {
            Ok
        } else if !who.signed_in() {
            signed_out
        } else {
            Forbidden
        }
    };
    // Seen first, then allowed: what may not be seen is hidden (its existence not given away).
    let seen_then = |seen: bool, allowed: bool| {
        if !seen {
            if who.signed_in() {
                Hidden
            } else {
                hidden_to_visitor
            }
        } else {
            gate(allowed)
        }
    };
    match rule {
        Anyone => Ok,
        Visitors => Ok,
        SignedIn => gate(who.signed_in()),
        Contributors => gate(who.contributes()),
        ReviewQueue => gate(who.is(&[W::LeadHere, W::LeadThere, W::Moderator, W::NetworkAdmin])),
        Curators => gate(who.sees_all()),
        Deciders => gate(who.is(&[W::AdminOwner, W::AdminOther, W::NetworkAdmin])),
        NetworkAdmin => gate(who == W::NetworkAdmin),
        Importers => gate(who == W::NetworkAdmin),
        ItemRead | ItemReadSignedIn | ItemEdit | ItemFeature => {
            let seen = match variant {
                V::Public => true,
                V::Network => who.signed_in(),
                V::Place => who.in_the_place() || who.sees_all(),
                V::Organisation => who.belongs_to_owner() || who.sees_all(),
                _ => who == W::Author || who.sees_all(),
            };
            let seen = seen || who == W::Author || who.sees_all();
            match rule {
                ItemRead => {
                    if seen {
                        Ok
                    } else {
                        seen_then(false, false)
                    }
                }
                ItemReadSignedIn => {
                    if !who.signed_in() {
                        signed_out
                    } else {
                        seen_then(seen, true)
                    }
                }
                ItemEdit => seen_then(seen, who == W::Author || who.sees_all()),
                // Featuring is asked of the role before the item is read.
                _ => gate(who.sees_all()),
            }
        }
        EventRead | EventRegister | EventOrganise | EventGuest => {
            let organiser = who == W::Author || who.sees_all();
            let seen = organiser
                || match variant {
                    V::Public => true,
                    V::Network => who.signed_in(),
                    _ => false,
                };
            match rule {
                EventRead => seen_then(seen, true),
                EventRegister => {
                    if !who.signed_in() {
                        signed_out
                    } else {
                        seen_then(seen, true)
                    }
                }
                // The guest form is for public events open to guests (none here): refused
                // on a public event, not found on any other.
                EventGuest => {
                    if variant == V::Public {
                        Forbidden
                    } else {
                        Hidden
                    }
                }
                _ => seen_then(seen, organiser),
            }
        }
        RegistrationOwn => seen_then(who == W::Member, true),
        EvidenceRead | EvidenceEdit | EvidenceDelete | EvidenceCheck | EvidencePublish => {
            let own = who == W::Author;
            let seen = own
                || who.sees_all()
                || match variant {
                    V::Public => true,
                    V::Organisation => who.belongs_to_owner(),
                    _ => false,
                };
            match rule {
                EvidenceRead => seen_then(seen, true),
                EvidenceEdit => seen_then(seen, own && variant == V::Draft),
                EvidenceDelete => seen_then(seen, (own && variant == V::Draft) || who.sees_all()),
                // Curating is asked of the role before the record is read; a record in
                // another state is a conflict (409) after that.
                _ => gate(who.sees_all()),
            }
        }
        CollectionRead | CollectionEdit | CollectionOversee | CollectionPublish
        | CollectionShare | CollectionRevoke => {
            let curator = who == W::Author;
            let seen = curator
                || who.sees_all()
                || match variant {
                    V::Public => true,
                    V::Network => who.signed_in(),
                    V::Organisation => who.belongs_to_owner(),
                    _ => false,
                };
            match rule {
                CollectionRead => seen_then(seen, true),
                CollectionEdit => seen_then(seen, curator),
                CollectionOversee | CollectionPublish => seen_then(seen, curator || who.sees_all()),
                // Only public packs are shared: others are refused as input (422).
                CollectionShare => seen_then(seen, curator),
                _ => match seen_then(seen, curator) {
                    Ok if !matches!(variant, V::Public | V::Draft) => Hidden,
                    other => other,
                },
            }
        }
        PlanRead | PlanEdit | WorkAreaUpdate | ActionClose => {
            let editor = who == W::NetworkAdmin || (who.contributes() && who.belongs_to_owner());
            let seen = editor
                || match variant {
                    V::Organisation => who.belongs_to_owner(),
                    _ => who.signed_in(),
                };
            match rule {
                PlanRead => seen_then(seen, true),
                PlanEdit => seen_then(seen, editor),
                WorkAreaUpdate => seen_then(seen, editor || who == W::LeadHere),
                // An action someone may not close is not found (404), signed in or not.
                _ => {
                    if editor || who == W::OwnerMember {
                        Ok
                    } else if who.signed_in() {
                        Hidden
                    } else {
                        signed_out
                    }
                }
            }
        }
        JoinDecide => match who {
            W::AdminOwner | W::NetworkAdmin => Ok,
            W::AdminOther => Hidden,
            _ => gate(false),
        },
        TokenOwn => seen_then(who == W::Author, true),
        ImportOwn => gate(who == W::NetworkAdmin),
        FolderOwn if !who.contributes() => gate(false),
        FolderOwn => seen_then(who == W::Author, true),
        LinkHolders => Hidden,
        EndsAtSignIn => SignIn,
        DecidersForOwner => gate(who.is(&[W::AdminOwner, W::NetworkAdmin])),
        EventAttendee => gate(false),
    }
}

/// Every route of the router with the rule it follows. Keep it in the router's order of
/// features; `every_route_has_one_row` says what is missing or gone.
const TABLE: &[(&str, &str, Rule)] = &[
    // Operations and assets.
    ("GET", "/healthz", Anyone),
    ("GET", "/readyz", Anyone),
    ("GET", "/metrics", Anyone),
    ("GET", "/assets/app.css", Anyone),
    ("GET", "/assets/theme.css", Anyone),
    ("GET", "/assets/govuk/govuk-frontend.min.css", Anyone),
    ("GET", "/assets/govuk/govuk-frontend.min.js", Anyone),
    ("GET", "/assets/lz-init.mjs", Anyone),
    // About.
    ("GET", "/", Anyone),
    ("GET", "/accessibility", Anyone),
    ("GET", "/contact", Anyone),
    ("GET", "/privacy", Anyone),
    // Accounts.
    ("GET", "/sign-in", Visitors),
    ("POST", "/sign-in", Visitors),
    ("POST", "/sign-out", EndsAtSignIn),
    ("GET", "/sign-up", Visitors),
    ("POST", "/sign-up", Visitors),
    ("GET", "/sign-up/check-email", Anyone),
    ("GET", "/verify", Anyone),
    ("POST", "/verify", Anyone),
    ("POST", "/verify/resend", Anyone),
    ("GET", "/password/forgot", Anyone),
    ("POST", "/password/forgot", Anyone),
    ("GET", "/password/reset", Anyone),
    ("POST", "/password/reset", Anyone),
    ("GET", "/account", SignedIn),
    ("POST", "/account/join", SignedIn),
    ("POST", "/account/password", SignedIn),
    ("POST", "/account/tokens", SignedIn),
    ("POST", "/account/tokens/{id}/revoke", TokenOwn),
    ("POST", "/api/v1/accounts", Anyone),
    ("POST", "/api/v1/accounts/verify", Anyone),
    ("POST", "/api/v1/tokens", Anyone),
    ("DELETE", "/api/v1/tokens/current", SignedIn),
    ("GET", "/api/v1/me", SignedIn),
    ("POST", "/api/v1/password-reset", Anyone),
    ("POST", "/api/v1/password-reset/complete", Anyone),
    ("GET", "/api/v1/openapi.json", Anyone),
    // The network.
    ("GET", "/places", Anyone),
    ("GET", "/organisations", Anyone),
    ("GET", "/admin", Deciders),
    ("GET", "/admin/audit", NetworkAdmin),
    ("GET", "/admin/outbox", NetworkAdmin),
    ("GET", "/admin/organisations", NetworkAdmin),
    ("POST", "/admin/organisations", NetworkAdmin),
    ("GET", "/admin/organisations/{id}", NetworkAdmin),
    ("POST", "/admin/organisations/{id}", NetworkAdmin),
    (
        "GET",
        "/admin/organisations/{id}/export.zip",
        DecidersForOwner,
    ),
    ("GET", "/library/import/meetings", Curators),
    ("POST", "/library/import/meetings", Curators),
    ("POST", "/library/import/meetings/save", Curators),
    ("GET", "/library/import/meetings/template.csv", Curators),
    ("POST", "/api/v1/meeting-records", Curators),
    ("GET", "/library/import/folder", Contributors),
    ("POST", "/library/import/folder", Contributors),
    ("GET", "/library/import/folder/{id}", FolderOwn),
    ("POST", "/library/import/folder/{id}", FolderOwn),
    ("POST", "/api/v1/folder-imports", Contributors),
    ("GET", "/api/v1/folder-imports/{id}", FolderOwn),
    ("POST", "/api/v1/folder-imports/{id}/changes", FolderOwn),
    ("GET", "/admin/places", NetworkAdmin),
    ("POST", "/admin/places", NetworkAdmin),
    ("GET", "/admin/places/{id}", NetworkAdmin),
    ("POST", "/admin/places/{id}", NetworkAdmin),
    ("POST", "/admin/places/{id}/areas", NetworkAdmin),
    ("GET", "/admin/requests", Deciders),
    ("POST", "/admin/requests/{id}", JoinDecide),
    ("GET", "/admin/users", NetworkAdmin),
    ("GET", "/admin/users/{id}", NetworkAdmin),
    ("POST", "/admin/users/{id}", NetworkAdmin),
    ("POST", "/admin/users/{id}/analyst", NetworkAdmin),
    ("GET", "/api/v1/places", SignedIn),
    ("POST", "/api/v1/places", NetworkAdmin),
    ("PUT", "/api/v1/places/{id}", NetworkAdmin),
    ("GET", "/api/v1/organisations", SignedIn),
    ("POST", "/api/v1/organisations", NetworkAdmin),
    ("PUT", "/api/v1/organisations/{id}", NetworkAdmin),
    ("POST", "/api/v1/organisations/{id}/join-requests", SignedIn),
    ("GET", "/api/v1/join-requests", Deciders),
    ("POST", "/api/v1/join-requests/{id}/decision", JoinDecide),
    ("GET", "/api/v1/users", NetworkAdmin),
    ("PUT", "/api/v1/users/{id}/role", NetworkAdmin),
    ("PUT", "/api/v1/users/{id}/analyst", NetworkAdmin),
    // The library.
    ("GET", "/library", Anyone),
    ("GET", "/library/mine", SignedIn),
    ("GET", "/library/review", ReviewQueue),
    ("GET", "/library/new", Contributors),
    ("POST", "/library/new", Contributors),
    ("GET", "/library/{id}", ItemRead),
    ("GET", "/library/{id}/history", ItemRead),
    ("GET", "/library/{id}/cite.ris", ItemRead),
    ("GET", "/library/{id}/cite.bib", ItemRead),
    ("GET", "/library/{id}/edit", ItemEdit),
    ("POST", "/library/{id}/edit", ItemEdit),
    ("POST", "/library/{id}/delete", ItemEdit),
    ("POST", "/library/{id}/workflow", ItemEdit),
    ("POST", "/library/{id}/marks", ItemReadSignedIn),
    ("POST", "/library/{id}/feature", ItemFeature),
    ("POST", "/library/{id}/attachments", ItemEdit),
    ("POST", "/library/{id}/indicators", ItemEdit),
    ("GET", "/attachments/{id}", ItemRead),
    ("POST", "/attachments/{id}/delete", ItemEdit),
    ("POST", "/follow", SignedIn),
    ("GET", "/feed.atom", Anyone),
    ("GET", "/places/{slug}", Anyone),
    ("GET", "/organisations/{slug}", Anyone),
    ("GET", "/themes/{slug}", Anyone),
    ("GET", "/themes/{slug}/feed.atom", Anyone),
    ("GET", "/agendas/{slug}", Anyone),
    ("GET", "/audiences/{slug}", Anyone),
    ("GET", "/admin/taxonomy", NetworkAdmin),
    ("POST", "/admin/taxonomy", NetworkAdmin),
    ("POST", "/admin/taxonomy/{id}", NetworkAdmin),
    ("POST", "/admin/taxonomy/{id}/merge", NetworkAdmin),
    ("GET", "/admin/search-gaps", Curators),
    ("GET", "/api/v1/search", Anyone),
    ("GET", "/api/v1/terms", Anyone),
    ("POST", "/api/v1/items", Contributors),
    ("GET", "/api/v1/items/{id}", ItemRead),
    ("PUT", "/api/v1/items/{id}", ItemEdit),
    ("POST", "/api/v1/items/{id}/workflow", ItemEdit),
    ("GET", "/api/v1/items/{id}/history", ItemRead),
    ("POST", "/api/v1/items/{id}/marks", ItemReadSignedIn),
    ("POST", "/api/v1/items/{id}/attachments", ItemEdit),
    ("PUT", "/api/v1/items/{id}/indicators", ItemEdit),
    // Events.
    ("GET", "/events", Anyone),
    ("GET", "/events.ics", Anyone),
    ("GET", "/events/new", Contributors),
    ("POST", "/events/new", Contributors),
    ("GET", "/events/series/new", Contributors),
    ("POST", "/events/series/new", Contributors),
    ("GET", "/events/series/{id}", Anyone),
    ("GET", "/events/registration", LinkHolders),
    ("POST", "/events/registration/confirm", LinkHolders),
    ("POST", "/events/registration/cancel", LinkHolders),
    ("GET", "/events/{id}", EventRead),
    ("GET", "/events/{id}/calendar.ics", EventRead),
    ("GET", "/events/{id}/edit", EventOrganise),
    ("POST", "/events/{id}/edit", EventOrganise),
    ("POST", "/events/{id}/cancel", EventOrganise),
    ("POST", "/events/{id}/email", EventOrganise),
    ("POST", "/events/{id}/materials", EventOrganise),
    ("POST", "/events/{id}/attendance", EventOrganise),
    ("GET", "/events/{id}/registrations", EventOrganise),
    ("GET", "/events/{id}/registrations.csv", EventOrganise),
    ("GET", "/events/{id}/registrations.xlsx", EventOrganise),
    ("GET", "/events/{id}/report", EventOrganise),
    ("POST", "/events/{id}/register", EventRegister),
    ("POST", "/events/{id}/guest", EventGuest),
    ("GET", "/events/{id}/feedback", EventAttendee),
    ("POST", "/events/{id}/feedback", EventAttendee),
    ("POST", "/registrations/{id}/cancel", RegistrationOwn),
    ("GET", "/api/v1/events", Anyone),
    ("POST", "/api/v1/events", Contributors),
    ("GET", "/api/v1/events/{id}", EventRead),
    ("PUT", "/api/v1/events/{id}", EventOrganise),
    ("POST", "/api/v1/events/{id}/cancel", EventOrganise),
    ("PUT", "/api/v1/events/{id}/attendance", EventOrganise),
    ("GET", "/api/v1/events/{id}/registrations", EventOrganise),
    ("POST", "/api/v1/events/{id}/registrations", EventRegister),
    ("POST", "/api/v1/events/{id}/feedback", EventAttendee),
    ("GET", "/api/v1/events/{id}/report", EventOrganise),
    ("POST", "/api/v1/series", Contributors),
    ("DELETE", "/api/v1/registrations/{id}", RegistrationOwn),
    // Evidence.
    ("GET", "/evidence", Anyone),
    ("GET", "/evidence.csv", Anyone),
    ("GET", "/evidence/new", Contributors),
    ("POST", "/evidence/new", Contributors),
    ("GET", "/evidence/{id}", EvidenceRead),
    ("GET", "/evidence/{id}/edit", EvidenceEdit),
    ("POST", "/evidence/{id}/edit", EvidenceEdit),
    ("POST", "/evidence/{id}/delete", EvidenceDelete),
    ("POST", "/evidence/{id}/check", EvidenceCheck),
    ("POST", "/evidence/{id}/publish", EvidencePublish),
    ("POST", "/evidence/{id}/indicators", EvidenceEdit),
    ("GET", "/api/v1/evidence", Anyone),
    ("POST", "/api/v1/evidence", Contributors),
    ("GET", "/api/v1/evidence/{id}", EvidenceRead),
    ("PUT", "/api/v1/evidence/{id}", EvidenceEdit),
    ("DELETE", "/api/v1/evidence/{id}", EvidenceDelete),
    ("POST", "/api/v1/evidence/{id}/check", EvidenceCheck),
    ("POST", "/api/v1/evidence/{id}/publish", EvidencePublish),
    ("PUT", "/api/v1/evidence/{id}/indicators", EvidenceEdit),
    // Collections and advocacy packs.
    ("GET", "/collections", Anyone),
    ("POST", "/collections", Contributors),
    ("GET", "/collections/new", Contributors),
    ("GET", "/collections/{id}", CollectionRead),
    ("GET", "/collections/{id}/edit", CollectionEdit),
    ("POST", "/collections/{id}/edit", CollectionEdit),
    ("POST", "/collections/{id}/delete", CollectionOversee),
    ("GET", "/collections/{id}/history", CollectionOversee),
    ("POST", "/collections/{id}/publish", CollectionPublish),
    ("POST", "/collections/{id}/sections", CollectionEdit),
    (
        "GET",
        "/collections/{id}/sections/{section}/edit",
        CollectionEdit,
    ),
    (
        "POST",
        "/collections/{id}/sections/{section}/edit",
        CollectionEdit,
    ),
    (
        "POST",
        "/collections/{id}/sections/{section}/delete",
        CollectionEdit,
    ),
    (
        "POST",
        "/collections/{id}/sections/{section}/move",
        CollectionEdit,
    ),
    (
        "GET",
        "/collections/{id}/sections/{section}/evidence",
        CollectionEdit,
    ),
    (
        "POST",
        "/collections/{id}/sections/{section}/evidence",
        CollectionEdit,
    ),
    (
        "POST",
        "/collections/{id}/sections/{section}/evidence/{evidence}/move",
        CollectionEdit,
    ),
    (
        "POST",
        "/collections/{id}/sections/{section}/evidence/{evidence}/remove",
        CollectionEdit,
    ),
    ("POST", "/collections/{id}/shares", CollectionShare),
    (
        "POST",
        "/collections/{id}/shares/{link}/revoke",
        CollectionRevoke,
    ),
    ("GET", "/collections/{id}/pack.docx", CollectionRead),
    ("GET", "/collections/{id}/pack.pdf", CollectionRead),
    ("GET", "/collections/{id}/pack.pptx", CollectionRead),
    ("GET", "/shared/{token}", Anyone),
    ("GET", "/shared/{token}/pack.docx", Anyone),
    ("GET", "/shared/{token}/pack.pdf", Anyone),
    ("GET", "/shared/{token}/pack.pptx", Anyone),
    ("GET", "/api/v1/collections", Anyone),
    ("POST", "/api/v1/collections", Contributors),
    ("GET", "/api/v1/collections/{id}", CollectionRead),
    ("PUT", "/api/v1/collections/{id}", CollectionEdit),
    ("GET", "/api/v1/collections/{id}/pack.docx", CollectionRead),
    ("GET", "/api/v1/collections/{id}/pack.pdf", CollectionRead),
    ("GET", "/api/v1/collections/{id}/pack.pptx", CollectionRead),
    ("POST", "/api/v1/collections/{id}/shares", CollectionShare),
    // Figures (shared intelligence).
    ("GET", "/indicators", Anyone),
    ("GET", "/indicators/import", Importers),
    ("POST", "/indicators/import", Importers),
    ("GET", "/indicators/import/template.csv", Anyone),
    ("GET", "/indicators/import/{id}", ImportOwn),
    ("POST", "/indicators/import/{id}", ImportOwn),
    ("POST", "/indicators/import/{id}/discard", ImportOwn),
    ("GET", "/indicators/{id}", Anyone),
    ("POST", "/indicators/{id}", NetworkAdmin),
    ("GET", "/indicators/{id}/chart.csv", Anyone),
    ("GET", "/indicators/{id}/data.csv", Anyone),
    ("GET", "/places/{slug}/figures.csv", Anyone),
    ("GET", "/api/v1/areas", Anyone),
    ("GET", "/api/v1/indicators", Anyone),
    ("POST", "/api/v1/indicators/imports", Importers),
    ("GET", "/api/v1/indicators/{id}", Anyone),
    ("GET", "/api/v1/indicators/{id}/observations", Anyone),
    ("GET", "/api/v1/indicators/{id}/observations.csv", Anyone),
    // Delivery plans.
    ("GET", "/plans", Anyone),
    ("GET", "/plans/template.csv", Anyone),
    ("GET", "/plans/import", Deciders),
    ("POST", "/plans/import", Deciders),
    ("POST", "/plans/import/upload", Deciders),
    ("GET", "/plans/{id}", PlanRead),
    ("POST", "/plans/{id}/actions", PlanEdit),
    ("POST", "/plans/{id}/minutes", PlanEdit),
    ("GET", "/plans/{id}/report", PlanRead),
    ("GET", "/plans/{id}/report/csv", PlanRead),
    ("GET", "/plans/{id}/report/docx", PlanRead),
    ("GET", "/plans/{id}/report/pdf", PlanRead),
    ("GET", "/plans/{id}/report/xlsx", PlanRead),
    ("POST", "/plans/{id}/report/schedule", PlanEdit),
    ("GET", "/work-areas/{id}/edit", WorkAreaUpdate),
    ("POST", "/work-areas/{id}/edit", WorkAreaUpdate),
    ("POST", "/work-areas/{id}/updates", WorkAreaUpdate),
    ("POST", "/work-areas/{id}/milestones", WorkAreaUpdate),
    ("POST", "/work-areas/{id}/learning", WorkAreaUpdate),
    (
        "POST",
        "/work-areas/{id}/learning/{item}/remove",
        WorkAreaUpdate,
    ),
    ("POST", "/milestones/{id}/status", WorkAreaUpdate),
    ("POST", "/outcomes/{id}/indicator", WorkAreaUpdate),
    ("POST", "/outcomes/{id}/figure", WorkAreaUpdate),
    ("POST", "/outcomes/{id}/figure/remove", WorkAreaUpdate),
    ("GET", "/actions", SignedIn),
    ("POST", "/actions/{id}/assign", PlanEdit),
    ("POST", "/actions/{id}/close", ActionClose),
    ("GET", "/api/v1/plans", Anyone),
    ("POST", "/api/v1/plans/import", DecidersForOwner),
    ("GET", "/api/v1/plans/{id}", PlanRead),
    ("POST", "/api/v1/plans/{id}/actions", PlanEdit),
    ("POST", "/api/v1/plans/{id}/minutes", PlanEdit),
    ("GET", "/api/v1/plans/{id}/report", PlanRead),
    ("GET", "/api/v1/actions/mine", SignedIn),
    ("POST", "/api/v1/actions/{id}/assign", PlanEdit),
    ("POST", "/api/v1/actions/{id}/close", ActionClose),
    ("POST", "/api/v1/work-areas/{id}/updates", WorkAreaUpdate),
    ("POST", "/api/v1/work-areas/{id}/learning", WorkAreaUpdate),
    (
        "DELETE",
        "/api/v1/work-areas/{id}/learning/{item}",
        WorkAreaUpdate,
    ),
];

// ---------------------------------------------------------------------------------------
// The routes of the router, read from the web crate's source.

/// Every (method, path) the router serves: each `.route("path", get(..).post(..))` in
/// `crates/web/src`, with `/api/v1` before those of `api/` (nested there in `lib.rs`).
fn routes_of_the_router() -> BTreeSet<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src");
    let mut found = BTreeSet::new();
    let mut files = vec![src.clone()];
    while let Some(at) = files.pop() {
        if at.is_dir() {
            for entry in std::fs::read_dir(&at).expect("web source folder") {
                files.push(entry.expect("entry").path());
            }
            continue;
        }
        if at.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let text = std::fs::read_to_string(&at).expect("web source file");
        let prefix = if at.strip_prefix(&src).is_ok_and(|p| p.starts_with("api")) {
            "/api/v1"
        } else {
            ""
        };
        for (path, methods) in routes_in(&text) {
            assert!(
                !methods.is_empty(),
                "{}: no verb found for {path}: name it with get(..)/post(..) in the route call \
                 or teach routes_in how this one is written",
                at.display()
            );
            for m in methods {
                found.insert((m, format!("{prefix}{path}")));
            }
        }
    }
    found
}

/// The `.route(…)` calls of one source file: the path and the verbs.
fn routes_in(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(".route(") {
        let body_start = at + ".route(".len();
        let bytes = rest.as_bytes();
        let mut depth = 1;
        let mut end = body_start;
        while depth > 0 && end < bytes.len() {
            match bytes[end] {
                b'(' => depth += 1,
                b')' => depth -= 1,
                _ => {}
            }
            end += 1;
        }
        let call = &rest[body_start..end.saturating_sub(1)];
        rest = &rest[end..];
        let mut quoted = call.split('"');
        let (Some(_), Some(path)) = (quoted.next(), quoted.next()) else {
            continue;
        };
        let after = call.splitn(3, '"').nth(2).unwrap_or_default();
        let mut methods = Vec::new();
        for verb in ["get", "post", "put", "patch", "delete"] {
            let pattern = format!("{verb}(");
            let mut from = 0;
            while let Some(i) = after[from..].find(&pattern) {
                let i = from + i;
                let before = after[..i].chars().last();
                if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    methods.push(verb.to_uppercase());
                }
                from = i + pattern.len();
            }
        }
        // A route built by a function of ours (e.g. a taxonomy page for each vocabulary):
        // it serves GET.
        if methods.is_empty() && after.contains("_route(") {
            methods.push("GET".to_string());
        }
        out.push((path.to_string(), methods));
    }
    out
}

#[test]
fn every_route_has_one_row() {
    let routes = routes_of_the_router();
    assert!(
        routes.len() > 200,
        "the router's routes were read: {routes:?}"
    );
    let mut rows = BTreeMap::new();
    for (m, p, _) in TABLE {
        let before = rows.insert((m.to_string(), p.to_string()), ());
        assert!(before.is_none(), "two rows for {m} {p}");
    }
    let missing: Vec<_> = routes
        .iter()
        .filter(|r| !rows.contains_key(*r))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    let gone: Vec<_> = rows
        .keys()
        .filter(|r| !routes.contains(*r))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the permission matrix (crates/cli/tests/it/matrix.rs): \
         {missing:#?}"
    );
    assert!(
        gone.is_empty(),
        "rows for routes the router no longer has: {gone:#?}"
    );
    for (_, p, _) in TABLE {
        Kind::of(p);
    }
}

// ---------------------------------------------------------------------------------------
// The world the matrix asks about.

struct Caller {
    who: Who,
    person: Option<Person>,
    api: Client,
    browser: Client,
    csrf: String,
}

/// The objects, by kind and variant, and the other ids paths name.
struct World {
    home: Place,
    owner: Org,
    author: Person,
    member: Person,
    /// The network admin among the callers (who stages imports).
    admin: Person,
    people: HashMap<Who, Person>,
    ids: HashMap<(Kind, Variant), String>,
    /// Second ids paths name: a collection's section and evidence, a share link.
    extra: HashMap<String, String>,
    indicator: String,
    n: usize,
}

async fn callers(app: &TestApp, people: &[(Who, Person)]) -> Vec<Caller> {
    let mut out = Vec::new();
    let out_browser = app.client();
    let csrf = out_browser.csrf("/sign-in").await;
    out.push(Caller {
        who: Who::Out,
        person: None,
        api: app.client(),
        browser: out_browser,
        csrf,
    });
    for (who, p) in people {
        let browser = p.browser().await;
        let (_, html) = browser.get_text("/account").await;
        let csrf = csrf_in(&html).expect("a CSRF token on /account");
        out.push(Caller {
            who: *who,
            person: Some(p.clone()),
            api: p.api().await,
            browser,
            csrf,
        });
    }
    let asked: Vec<Who> = out.iter().map(|c| c.who).collect();
    assert_eq!(asked, EVERYONE, "every relation is asked");
    out
}

async fn world(app: &TestApp) -> (World, Vec<(Who, Person)>) {
    let given = app.given();
    let home = given.place("home-place").await;
    let away = given.place("away-place").await;
    let owner = given.organisation_in("owner-org", &home).await;
    let lead_org = given.organisation_in("lead-org", &home).await;
    let other = given.organisation_in("other-org", &away).await;
    let staff = given.organisation("staff-org").await;
    let person = |role: &'static str, org: &Org| given.person(role).member_of(org);
    let author = person("contributor", &owner).await;
    let member = person("member", &other).await;
    let people = vec![
        (Who::Member, member.clone()),
        (Who::Contributor, person("contributor", &other).await),
        (Who::Author, author.clone()),
        (Who::OwnerMember, person("member", &owner).await),
        (Who::LeadHere, person("place_lead", &lead_org).await),
        (Who::LeadThere, person("place_lead", &other).await),
        (Who::AdminOwner, person("org_admin", &owner).await),
        (Who::AdminOther, person("org_admin", &other).await),
        (Who::Moderator, person("moderator", &staff).await),
        (Who::NetworkAdmin, person("network_admin", &staff).await),
    ];
    let admin = people
        .iter()
        .find(|(w, _)| *w == Who::NetworkAdmin)
        .map(|(_, p)| p.clone())
        .expect("the network admin");
    let mut w = World {
        people: people.iter().cloned().collect(),
        home,
        owner,
        author,
        member,
        admin,
        ids: HashMap::new(),
        extra: HashMap::new(),
        indicator: String::new(),
        n: 0,
    };
    w.indicator = indicator(app).await;
    w.ids
        .insert((Kind::Indicator, Variant::One), w.indicator.clone());
    for (vocabulary, name) in [
        ("theme", "Matrix Theme"),
        ("agenda", "Matrix Agenda"),
        ("audience", "Matrix Audience"),
    ] {
        let term = given.term(vocabulary, name).await;
        w.extra.insert(format!("{vocabulary}_id"), term);
        w.extra
            .insert(vocabulary.into(), name.to_lowercase().replace(' ', "-"));
    }
    // The item linked to the plan's work area.
    let linked = given
        .item(&w.owner)
        .by(&w.author)
        .titled("Linked learning")
        .visibility("public")
        .await;
    w.extra.insert("item".into(), linked);
    // The evidence in every pack: its own record, which no row changes.
    make(app, &mut w, Kind::Evidence, Variant::Public).await;
    let e = w.ids[&(Kind::Evidence, Variant::Public)].clone();
    w.extra.insert("pack_evidence".into(), e);
    for kind in [
        Kind::Item,
        Kind::Attachment,
        Kind::Event,
        Kind::Series,
        Kind::Registration,
        Kind::Evidence,
        Kind::Collection,
        Kind::Shared,
        Kind::Plan,
        Kind::Import,
        Kind::Folder,
        Kind::Place,
        Kind::Organisation,
        Kind::User,
        Kind::JoinRequest,
        Kind::Term,
        Kind::Token,
    ] {
        for v in kind.variants() {
            make(app, &mut w, kind, *v).await;
        }
    }
    (w, people)
}

/// A saved indicator with one figure for Blackpool.
async fn indicator(app: &TestApp) -> String {
    let csv = "indicator_id,indicator_name,unit,polarity,area_code,area_name,period,sex,age,value\n\
               matrix-1,Matrix figure,%,higher_is_better,E06000009,Blackpool,2024,Persons,16+ yrs,61.5\n";
    let file = app.dir.join("matrix-indicator.csv");
    std::fs::write(&file, csv).expect("write the figures");
    let intelligence = app.app.intelligence();
    let preview = intelligence
        .preview(None, &lz_app::intelligence::ImportSource::File(&file))
        .await
        .expect("figures read");
    intelligence
        .save_preview(&preview, true)
        .await
        .expect("figures saved");
    let (_, v) = app.client().api_get("/indicators").await;
    v.as_array()
        .and_then(|all| all.iter().find(|i| i["source_id"] == "matrix-1"))
        .map(id)
        .unwrap_or_else(|| panic!("the matrix's indicator in {v}"))
}

fn id(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("an id in {v}"))
        .to_string()
}

/// Makes (again) the object of `kind` in `variant`, and the ids paths take from it.
async fn make(app: &TestApp, w: &mut World, kind: Kind, variant: Variant) {
    use Variant as V;
    w.n += 1;
    let n = w.n;
    let given = app.given();
    let admin = given.admin().await;
    let author = w.author.api().await;
    let made = match kind {
        Kind::Item => {
            let vis = match variant {
                V::Public => "public",
                V::Place => "place",
                V::Organisation => "organisation",
                _ => "network",
            };
            let b = given
                .item(&w.owner)
                .by(&w.author)
                .titled(&format!("Matrix item {n}"))
                .visibility(vis)
                .with(json!({"place_id": w.home.id}));
            if variant == V::Draft {
                b.draft().await
            } else {
                b.await
            }
        }
        Kind::Attachment => {
            let item_variant = variant;
            let item = {
                let vis = if item_variant == V::Public {
                    "public"
                } else {
                    "organisation"
                };
                given
                    .item(&w.owner)
                    .by(&w.author)
                    .titled(&format!("Matrix attached {n}"))
                    .visibility(vis)
                    .await
            };
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(b"%PDF-1.4\n%matrix\n".to_vec())
                    .file_name("notes.pdf")
                    .mime_str("application/pdf")
                    .expect("mime"),
            );
            let r = author
                .http
                .post(author.url(&format!("/api/v1/items/{item}/attachments")))
                .bearer_auth(author.token.as_deref().expect("token"))
                .multipart(form)
                .send()
                .await
                .expect("upload");
            let (s, v) = crate::common::json_of(r).await;
            assert_eq!(s, StatusCode::CREATED, "attachment: {v}");
            id(&v)
        }
        Kind::Event => {
            let (vis, status) = match variant {
                V::Public => ("public", "open"),
                V::Network => ("network", "open"),
                _ => ("network", "draft"),
            };
            given
                .event(&w.owner)
                .by(&w.author)
                .titled(&format!("Matrix event {n}"))
                .with(json!({"visibility": vis, "status": status}))
                .await
        }
        Kind::Series => {
            let (s, v) = author
                .api_post(
                    "/series",
                    json!({"title": format!("Matrix series {n}"), "purpose": "Meet.",
                           "organisation_id": w.owner.id, "terms": []}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "series: {v}");
            id(&v)
        }
        Kind::Registration => {
            let event = given
                .event(&w.owner)
                .by(&w.author)
                .titled(&format!("Matrix event {n}"))
                .await;
            let member = w.member.api().await;
            let (s, v) = member
                .api_post(&format!("/events/{event}/registrations"), json!({}))
                .await;
            assert!(s.is_success(), "registration: {s} {v}");
            id(&v)
        }
        Kind::Evidence => {
            let vis = if variant == V::Organisation {
                "organisation"
            } else {
                "public"
            };
            let (s, v) = author
                .api_post(
                    "/evidence",
                    json!({
                        "claim": format!("Matrix claim {n} (illustrative)."),
                        "places": [w.home.id], "organisations": [w.owner.id],
                        "agendas": [w.extra["agenda_id"]],
                        "source_title": "A matrix evaluation", "source_publisher": "Owner Org",
                        "source_date": "2025-03-12", "source_url": "https://example.org/m",
                        "evidence_type": "evaluation", "strength": 3, "visibility": vis,
                    }),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "evidence: {v}");
            let e = id(&v);
            let steps: &[&str] = match variant {
                V::Draft => &[],
                V::Checked => &["check"],
                _ => &["check", "publish"],
            };
            for step in steps {
                let (s, v) = admin
                    .api_post(&format!("/evidence/{e}/{step}"), json!({}))
                    .await;
                assert_eq!(s, StatusCode::NO_CONTENT, "{step}: {v}");
            }
            e
        }
        Kind::Collection | Kind::Shared => {
            let audience = match variant {
                V::Network => "network",
                V::Organisation => "organisation",
                _ => "public",
            };
            let (s, v) = author
                .api_post(
                    "/collections",
                    json!({"kind": "pack", "title": format!("Matrix pack {n}"),
                           "audience": audience}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "collection: {v}");
            let c = id(&v);
            let evidence = w.extra["pack_evidence"].clone();
            let (s, v) = author
                .api_send(
                    Method::PUT,
                    &format!("/collections/{c}"),
                    json!({"title": format!("Matrix pack {n}"), "audience": audience,
                           "sections": [{"heading": "One", "evidence": [evidence]}]}),
                )
                .await;
            assert_eq!(s, StatusCode::NO_CONTENT, "outline: {v}");
            let (_, v) = author.api_get(&format!("/collections/{c}")).await;
            let section = v["sections"][0]["id"]
                .as_str()
                .expect("section")
                .to_string();
            if kind == Kind::Shared || variant != V::Draft {
                let r = w.author.browser().await;
                let resp = r
                    .post_form(
                        &format!("/collections/{c}/publish"),
                        "/account",
                        &[("published", "yes")],
                    )
                    .await;
                assert!(
                    resp.status().is_redirection(),
                    "published: {}",
                    resp.status()
                );
            }
            if kind == Kind::Collection && matches!(variant, V::Public | V::Draft) {
                let (s, v) = author
                    .api_post(&format!("/collections/{c}/shares"), json!({"days": 3}))
                    .await;
                assert_eq!(s, StatusCode::CREATED, "share: {v}");
                w.extra.insert(format!("link {variant:?}"), id(&v));
            }
            if kind == Kind::Shared {
                let (s, v) = author
                    .api_post(&format!("/collections/{c}/shares"), json!({"days": 3}))
                    .await;
                assert_eq!(s, StatusCode::CREATED, "share: {v}");
                let url = v["url"].as_str().expect("url");
                let token = url.rsplit('/').next().expect("token").to_string();
                w.extra.insert("link".into(), id(&v));
                token
            } else {
                w.extra.insert(format!("section {variant:?}"), section);
                c
            }
        }
        Kind::Plan => {
            let vis = if variant == V::Organisation {
                "organisation"
            } else {
                "network"
            };
            let plan = given
                .plan(
                    &format!("Matrix plan {n}"),
                    json!({"visibility": vis, "owner_organisation_id": w.owner.id}),
                )
                .await;
            if variant == V::Network {
                Box::pin(plan_parts(w, &plan)).await;
            }
            plan
        }
        Kind::Import => {
            let csv = format!(
                "indicator_id,indicator_name,unit,polarity,area_code,area_name,period,sex,age,value\n\
                 matrix-{n},Staged figure {n},%,higher_is_better,E06000009,Blackpool,2024,Persons,16+ yrs,12\n"
            );
            let browser = w.admin.browser().await;
            let token = browser.csrf("/indicators/import").await;
            let form = reqwest::multipart::Form::new()
                .text("csrf_token", token)
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("staged.csv"),
                );
            let r = browser
                .http
                .post(browser.url("/indicators/import"))
                .multipart(form)
                .send()
                .await
                .expect("upload");
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "staged");
            crate::common::location(&r)
                .trim_start_matches("/indicators/import/")
                .to_string()
        }
        Kind::Folder => {
            let zip = crate::common::zip_of(&[(
                "Walking for health.docx",
                lz_files::samples::docx(&["Walking groups in Chorley."]),
            )]);
            let browser = w.author.browser().await;
            let token = browser.csrf("/library/import/folder").await;
            let form = reqwest::multipart::Form::new()
                .text("csrf_token", token)
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(zip).file_name("folder.zip"),
                );
            let r = browser
                .http
                .post(browser.url("/library/import/folder"))
                .multipart(form)
                .send()
                .await
                .expect("upload a folder");
            assert_eq!(r.status(), StatusCode::OK, "folder brought in");
            let page = r.text().await.expect("folder page");
            let start = page
                .find("action=\"/library/import/folder/")
                .expect("the folder's form")
                + "action=\"/library/import/folder/".len();
            page[start..].split('"').next().expect("batch").to_string()
        }
        Kind::Place => w.home.id.clone(),
        Kind::Organisation => w.owner.id.clone(),
        Kind::User => given.person("member").member_of(&w.owner).await.id,
        Kind::JoinRequest => {
            let asker = given
                .person("member")
                .email(&format!("asker{n}@example.org"))
                .await;
            let (s, v) = asker
                .api()
                .await
                .api_post(
                    &format!("/organisations/{}/join-requests", w.owner.id),
                    json!({}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "join request: {v}");
            id(&v)
        }
        Kind::Term => given.term("theme", &format!("Matrix theme {n}")).await,
        Kind::Token => {
            let (s, v) = app
                .client()
                .api_post(
                    "/tokens",
                    json!({"email": w.author.email, "password": PASSWORD, "name": "spare"}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "token: {v}");
            id(&v)
        }
        Kind::WorkArea | Kind::Action | Kind::Milestone | Kind::Outcome => {
            return Box::pin(make(app, w, Kind::Plan, V::Network)).await;
        }
        Kind::Nothing | Kind::Indicator => return,
    };
    w.ids.insert((kind, variant), made);
}

/// The ids of a plan's first work area (delivered in the home place), an action owned by a
/// member of the owning organisation, and a milestone and an outcome.
async fn plan_parts(w: &mut World, plan: &str) {
    let admin = w.admin.browser().await;
    let (_, v) = w.admin.api().await.api_get(&format!("/plans/{plan}")).await;
    let area = id(&v["work_areas"][0]);
    let page = format!("/work-areas/{area}/edit");
    let r = admin
        .post_form(
            &page,
            &page,
            &[
                ("title", "Sharing learning"),
                ("places", w.home.id.as_str()),
                ("places_shown", "yes"),
                ("start", "2026-04-01"),
                ("end", "2027-03-31"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "work area placed");
    let r = admin
        .post_form(
            &format!("/work-areas/{area}/milestones"),
            &format!("/plans/{plan}"),
            &[
                ("plan_id", plan),
                ("title", "A matrix milestone"),
                ("due_date", "2027-01-31"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "milestone");
    let owner_member = w.people[&Who::OwnerMember].id.clone();
    let (s, v) = w
        .admin
        .api()
        .await
        .api_post(
            &format!("/plans/{plan}/actions"),
            json!({"description": "Send the matrix", "owner_user_id": owner_member,
                   "due_date": "2027-02-01"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "action: {v}");
    w.ids.insert((Kind::Action, Variant::One), id(&v));
    let (_, html) = admin.get_text(&format!("/plans/{plan}")).await;
    let after = |marker: &str| {
        html.split(marker)
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("{marker} on the plan page"))
            .to_string()
    };
    w.ids.insert(
        (Kind::Milestone, Variant::One),
        after("action=\"/milestones/"),
    );
    w.ids
        .insert((Kind::Outcome, Variant::One), after("action=\"/outcomes/"));
    let (s, v) = w
        .admin
        .api()
        .await
        .api_post(
            &format!("/work-areas/{area}/learning"),
            json!({"item": w.extra["item"]}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "learning linked: {v}");
    w.ids.insert((Kind::WorkArea, Variant::One), area);
    w.extra.insert("plan".into(), plan.to_string());
}

// ---------------------------------------------------------------------------------------
// The run.

/// What came back, classified.
fn answer(status: StatusCode, location: &str) -> Result<Expect, String> {
    match status.as_u16() {
        401 => Result::Ok(SignIn),
        403 => Result::Ok(Forbidden),
        404 => Result::Ok(Hidden),
        300..=399 if location.starts_with("/sign-in") => Result::Ok(SignIn),
        200..=399 | 400 | 409 | 422 => Result::Ok(Ok),
        _ => Err(format!("{status}")),
    }
}

async fn every_route_answers_every_caller_as_its_rule_says(app: TestApp) {
    let (mut w, people) = world(&app).await;
    let callers = callers(&app, &people).await;
    let mut wrong = Vec::new();
    let mut asked = 0;
    for (method, template, rule) in TABLE {
        let kind = Kind::of(template);
        for variant in kind.variants() {
            for c in &callers {
                let path = fill(template, &w, kind, *variant);
                let page = !template.starts_with("/api/");
                let expected = expect(*rule, c.who, *variant, page, *method == "GET");
                let audited = app.count("audit_log").await;
                let (status, location, body) = ask(c, method, template, &path, &w).await;
                if expected != Ok && app.count("audit_log").await != audited {
                    wrong.push(format!(
                        "{method} {template} [{variant:?}] as {:?}: refused, yet something \
                         was written to the audit log",
                        c.who
                    ));
                }
                asked += 1;
                let got = answer(status, &location);
                let changed = expected == Ok || got == Result::Ok(Ok);
                match got {
                    Result::Ok(got) if got == expected => {}
                    Result::Ok(got) => {
                        wrong.push(format!(
                        "{method} {template} [{variant:?}] as {:?}: expected {expected:?}, got \
                         {got:?} ({status} {location} {})",
                        c.who,
                        body.chars().take(160).collect::<String>().replace(char::is_whitespace, " ")
                    ))
                    }
                    Err(e) => wrong.push(format!(
                        "{method} {template} [{variant:?}] as {:?}: {e} {}",
                        c.who,
                        body.chars()
                            .take(300)
                            .collect::<String>()
                            .replace(char::is_whitespace, " ")
                    )),
                }
                // What an allowed caller changed is made again for the next.
                if *method != "GET" && changed && kind != Kind::Nothing {
                    make(&app, &mut w, kind, *variant).await;
                }
            }
        }
    }
    if let Result::Ok(file) = std::env::var("LZ_MATRIX_REPORT") {
        std::fs::write(file, wrong.join("\n")).expect("report");
    }
    assert!(
        wrong.is_empty(),
        "{} of {asked} answers differ from the permission matrix:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

fn fill(template: &str, w: &World, kind: Kind, variant: Variant) -> String {
    let mut path = template.to_string();
    if path.contains("{slug}") {
        let slug = match kind {
            Kind::Place => w.home.slug.clone(),
            Kind::Organisation => w.owner.slug.clone(),
            _ => {
                let vocabulary = template.trim_start_matches('/').split('/').next();
                let vocabulary = vocabulary.unwrap_or_default().trim_end_matches('s');
                w.extra[vocabulary].clone()
            }
        };
        path = path.replace("{slug}", &slug);
    }
    if let Some(v) = w.ids.get(&(kind, variant)) {
        path = path.replacen("{id}", v, 1);
        path = path.replacen("{token}", v, 1);
    }
    if let Some(section) = w.extra.get(&format!("section {variant:?}")) {
        path = path.replace("{section}", section);
    }
    // A pack without a link of its own is asked to revoke another pack's link: not found.
    if let Some(link) = w.extra.get(&format!("link {variant:?}")) {
        path = path.replace("{link}", link);
    }
    for (k, v) in &w.extra {
        path = path.replace(&format!("{{{k}}}"), v);
    }
    path = path.replace("{evidence}", &w.extra["pack_evidence"]);
    path
}

async fn ask(
    c: &Caller,
    method: &str,
    template: &str,
    path: &str,
    w: &World,
) -> (StatusCode, String, String) {
    let m: Method = method.parse().expect("method");
    // Routes that end the caller's own session or token are asked with a spare one.
    let spare_api;
    let api = match (&c.person, path) {
        (Some(p), "/api/v1/tokens/current") => {
            spare_api = p.api().await;
            &spare_api
        }
        _ => &c.api,
    };
    let spare_browser;
    let (browser, csrf) = match (&c.person, path) {
        (Some(p), "/sign-out") => {
            spare_browser = p.browser().await;
            let (_, html) = spare_browser.get_text("/account").await;
            (&spare_browser, csrf_in(&html).expect("csrf"))
        }
        _ => (&c.browser, c.csrf.clone()),
    };
    let r = if path.starts_with("/api/") {
        let mut b = api.http.request(m.clone(), api.url(path));
        if let Some(t) = &api.token {
            b = b.bearer_auth(t);
        }
        match api_body(method, template, w) {
            ApiBody::None => {}
            ApiBody::Json(v) => b = b.json(&v),
            ApiBody::Bytes(ct, bytes) => b = b.header("content-type", ct).body(bytes),
            ApiBody::File => b = b.multipart(file_part()),
        }
        b.send().await.expect("API request")
    } else if m == Method::GET {
        browser.get(path).await
    } else {
        let fields = form_body(template, w);
        if fields.iter().any(|(k, _)| *k == "file") {
            let mut form = file_part().text("csrf_token", csrf.clone());
            for (k, v) in fields.into_iter().filter(|(k, _)| *k != "file") {
                form = form.text(k, v);
            }
            browser
                .http
                .post(browser.url(path))
                .multipart(form)
                .send()
                .await
                .expect("upload")
        } else {
            let mut all = vec![("csrf_token", csrf.clone())];
            all.extend(fields);
            browser
                .http
                .post(browser.url(path))
                .form(&all)
                .send()
                .await
                .expect("form")
        }
    };
    let status = r.status();
    let location = r
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = r.text().await.unwrap_or_default();
    (status, location, body)
}

enum ApiBody {
    None,
    Json(Value),
    Bytes(&'static str, Vec<u8>),
    File,
}

/// A small PDF as the multipart part `file`.
fn file_part() -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"%PDF-1.4\n%matrix\n".to_vec())
            .file_name("notes.pdf")
            .mime_str("application/pdf")
            .expect("mime"),
    )
}

/// A well-formed body for each API write, so that the answer is the access rule's and not
/// the input's. Ids in bodies name the owning organisation and the author's objects: a
/// caller may name only what they may use (peers' "two ids in one request").
fn api_body(method: &str, template: &str, w: &World) -> ApiBody {
    if method == "GET" {
        return ApiBody::None;
    }
    let owner = w.owner.id.as_str();
    let item = json!({"kind": "case_study", "title": "Matrix edit", "summary": "Changed.",
                      "visibility": "network", "organisation_id": owner,
                      "what_we_did": "We worked with partners."});
    let event = json!({"title": "Matrix event", "summary": "Places share what works.",
                       "format": "in_person", "venue": "Preston Guild Hall",
                       "start_date": "2027-06-01", "start_time": "10:00", "end_time": "12:00",
                       "capacity": 20, "visibility": "network", "status": "open",
                       "organisation_id": owner});
    let evidence = json!({"claim": "A matrix claim (illustrative).",
                          "agendas": [w.extra["agenda_id"]], "places": [w.home.id],
                          "source_title": "An evaluation", "source_publisher": "Owner Org",
                          "source_date": "2025-03-12", "source_url": "https://example.org/m",
                          "evidence_type": "evaluation", "strength": 3,
                          "visibility": "public"});
    let body = match template.trim_start_matches("/api/v1") {
        "/items" | "/items/{id}" => item,
        "/items/{id}/workflow" => json!({"action": "withdraw"}),
        "/folder-imports/{id}/changes" => json!({"ids": [], "action": "apply"}),
        "/items/{id}/marks" => json!({"mark": "useful", "on": true}),
        "/items/{id}/attachments" => return ApiBody::File,
        "/items/{id}/indicators" | "/evidence/{id}/indicators" => {
            json!({"indicators": [w.indicator]})
        }
        "/events" | "/events/{id}" => event,
        "/events/{id}/attendance" => json!({"marks": []}),
        "/events/{id}/feedback" => json!({"rating": 5}),
        "/series" => json!({"title": "Matrix series", "purpose": "Meet.",
                            "organisation_id": owner, "terms": []}),
        "/evidence" | "/evidence/{id}" => evidence,
        "/collections" => json!({"kind": "pack", "title": "Matrix pack", "audience": "network"}),
        "/collections/{id}" => json!({"title": "Matrix pack", "audience": "public"}),
        "/collections/{id}/shares" => json!({"days": 3}),
        "/indicators/imports" => {
            return ApiBody::Bytes("text/csv", lz_domain::intelligence::TIDY_TEMPLATE.into());
        }
        "/plans/import" => json!({"text": "Not a plan", "owner_organisation_id": owner}),
        "/plans/{id}/actions" => json!({"description": "Another", "owner_user_id": w.author.id,
                                        "due_date": "2027-02-01"}),
        "/plans/{id}/minutes" => json!({"text": "Minutes of nothing."}),
        "/actions/{id}/assign" => json!({"user_id": w.author.id}),
        "/actions/{id}/close" => json!({"status": "done", "note": "Sent."}),
        "/work-areas/{id}/updates" => json!({"rag": "green", "body": "On track."}),
        "/work-areas/{id}/learning" => json!({"item": w.ids[&(Kind::Item, Variant::Public)]}),
        "/places" | "/places/{id}" => json!({"name": "Home Place", "kind": "local"}),
        "/organisations" | "/organisations/{id}" => {
            json!({"name": "Owner Org", "sector": "vcfse", "place_id": w.home.id})
        }
        "/join-requests/{id}/decision" => json!({"approve": true}),
        "/users/{id}/role" => json!({"role": "member"}),
        "/users/{id}/analyst" => json!({"analyst": false}),
        _ => json!({}),
    };
    ApiBody::Json(body)
}

/// Well-formed fields for each form (the CSRF token is added by `ask`); a field named
/// "file" sends the form as multipart with a small PDF.
fn form_body(template: &str, w: &World) -> Vec<(&'static str, String)> {
    let s = |v: &str| v.to_string();
    let plan = w.extra.get("plan").cloned().unwrap_or_default();
    match template {
        "/admin/organisations" | "/admin/organisations/{id}" => vec![
            ("name", s("Owner Org")),
            ("sector", s("vcfse")),
            ("place_id", w.home.id.clone()),
        ],
        "/admin/places" | "/admin/places/{id}" => {
            vec![("name", s("Home Place")), ("kind", s("local"))]
        }
        "/admin/places/{id}/areas" => vec![("areas", s("E06000009"))],
        "/admin/requests/{id}" => vec![("decision", s("approve"))],
        "/admin/users/{id}" => vec![("role", s("member"))],
        "/admin/taxonomy" | "/admin/taxonomy/{id}" => vec![
            ("vocabulary", s("theme")),
            ("name", s("Matrix renamed")),
            ("description", s("")),
        ],
        "/admin/taxonomy/{id}/merge" => vec![("into", w.extra["theme_id"].clone())],
        "/library/new" | "/library/{id}/edit" => vec![
            ("kind", s("case_study")),
            ("title", s("Matrix edit")),
            ("summary", s("Changed.")),
            ("visibility", s("network")),
            ("organisation_id", w.owner.id.clone()),
            ("what_we_did", s("We worked with partners.")),
        ],
        "/library/{id}/workflow" => vec![("action", s("withdraw"))],
        "/library/{id}/marks" => vec![("mark", s("useful")), ("on", s("1"))],
        "/library/{id}/feature" => vec![("on", s("1"))],
        "/library/{id}/attachments"
        | "/events/{id}/materials"
        | "/indicators/import"
        | "/plans/import/upload" => {
            vec![("file", s(""))]
        }
        "/library/{id}/indicators" | "/evidence/{id}/indicators" => {
            vec![("indicators", w.indicator.clone())]
        }
        "/follow" => vec![
            ("subject_type", s("place")),
            ("subject_id", w.home.id.clone()),
            ("on", s("1")),
        ],
        "/collections/{id}/publish" => vec![("published", s("yes"))],
        "/collections/{id}/sections/{section}/move"
        | "/collections/{id}/sections/{section}/evidence/{evidence}/move" => {
            vec![("direction", s("down"))]
        }
        "/collections/{id}/sections/{section}/evidence" => {
            vec![("evidence", w.extra["pack_evidence"].clone())]
        }
        "/collections/{id}/sections" | "/collections/{id}/sections/{section}/edit" => {
            vec![("heading", s("Matrix heading"))]
        }
        "/collections" | "/collections/{id}/edit" => vec![
            ("kind", s("pack")),
            ("title", s("Matrix pack")),
            ("audience", s("public")),
        ],
        "/collections/{id}/shares" => vec![("days", s("3"))],
        "/events/{id}/feedback" => vec![("rating", s("5"))],
        "/events/{id}/guest" => vec![
            ("name", s("A Guest")),
            ("email", s("guest@example.org")),
            ("organisation", s("Guests")),
        ],
        "/work-areas/{id}/updates" => vec![
            ("plan_id", plan),
            ("rag", s("green")),
            ("body", s("On track.")),
        ],
        "/work-areas/{id}/learning" => vec![
            ("plan_id", plan),
            ("item", w.ids[&(Kind::Item, Variant::Public)].clone()),
        ],
        "/work-areas/{id}/milestones" => vec![
            ("plan_id", plan),
            ("title", s("Another")),
            ("due_date", s("2027-03-01")),
        ],
        "/milestones/{id}/status" => vec![("status", s("done"))],
        "/plans/import" => vec![
            ("text", s("Not a plan")),
            ("owner_organisation_id", w.owner.id.clone()),
        ],
        "/plans/{id}/minutes" => vec![("text", s("Minutes of nothing."))],
        "/plans/{id}/report/schedule" => vec![
            ("recipients", s("exec@example.org")),
            ("send_on", s("2027-01-01")),
        ],
        "/actions/{id}/close" => vec![("status", s("done")), ("note", s("Sent."))],
        "/actions/{id}/assign" => vec![("plan_id", plan), ("owner", w.author.id.clone())],
        "/outcomes/{id}/indicator" | "/outcomes/{id}/figure" | "/outcomes/{id}/figure/remove" => {
            vec![("plan_id", plan), ("indicator", w.indicator.clone())]
        }
        _ => vec![],
    }
}

// ---------------------------------------------------------------------------------------
// Peers' known failures, each a named case.

/// The failures other platforms' users and auditors have found, tried here by name:
/// mass assignment (API and forms), two ids in one request where only one is checked,
/// partial-update verbs, pending memberships with privileges, and "who registered" lists.
async fn peers_known_failures(app: TestApp) {
    let given = app.given();
    let home = given.place("home-place").await;
    let away = given.place("away-place").await;
    let owner = given.organisation_in("owner-org", &home).await;
    let other = given.organisation_in("other-org", &away).await;
    let author = given.person("contributor").member_of(&owner).await;
    let stranger = given.person("contributor").member_of(&other).await;
    let member = given.person("member").member_of(&other).await;
    let a = author.api().await;
    let items = app.count("items").await;
    let memberships = app.count("memberships").await;

    // Mass assignment over the API: every body refuses fields it does not name (422, the
    // field named) and nothing is saved.
    let cases: Vec<(&str, Value)> = vec![
        (
            "/items",
            json!({"kind": "case_study", "title": "Sneaky", "summary": "S.",
                   "visibility": "network", "organisation_id": owner.id,
                   "what_we_did": "x", "status": "published"}),
        ),
        (
            "/items",
            json!({"kind": "case_study", "title": "Sneaky", "summary": "S.",
                   "visibility": "network", "organisation_id": owner.id,
                   "what_we_did": "x", "created_by": stranger.id}),
        ),
        (
            "/evidence",
            json!({"claim": "Sneaky claim (illustrative).", "status": "published"}),
        ),
        (
            "/collections",
            json!({"kind": "pack", "title": "Sneaky", "audience": "public", "published": true}),
        ),
        (
            &format!("/organisations/{}/join-requests", owner.id),
            json!({"status": "approved", "role": "org_admin"}),
        ),
        (
            "/accounts",
            json!({"email": "new.person@example.org", "name": "New Person",
                   "password": PASSWORD, "role": "network_admin"}),
        ),
    ]
    .into_iter()
    .map(|(p, b)| (Box::leak(p.to_string().into_boxed_str()) as &str, b))
    .collect();
    for (path, body) in cases {
        let extra = ["status", "created_by", "published", "role"]
            .into_iter()
            .find(|f| body.get(f).is_some())
            .expect("a privileged field");
        let (s, v) = a.api_post(path, body).await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "POST {path} with {extra}: {v}"
        );
        assert!(
            v.to_string().contains(extra),
            "the problem names {extra}: {v}"
        );
    }
    assert_eq!(app.count("items").await, items, "no item was saved");
    assert_eq!(
        app.count("memberships").await,
        memberships,
        "no request to join was made"
    );

    // Mass assignment over forms: fields a form does not have are ignored. A new item is a
    // draft of its writer, whatever the form says.
    let browser = author.browser().await;
    let r = browser
        .post_form(
            "/library/new",
            "/library/new",
            &[
                ("kind", "case_study"),
                ("title", "Posted with extra fields"),
                ("summary", "S."),
                ("visibility", "network"),
                ("organisation_id", owner.id.as_str()),
                ("what_we_did", "x"),
                ("status", "published"),
                ("created_by", stranger.id.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "saved");
    let made = crate::common::location(&r)
        .trim_start_matches("/library/")
        .split(['?', '/'])
        .next()
        .expect("id")
        .to_string();
    let (_, v) = a.api_get(&format!("/items/{made}")).await;
    assert_eq!(v["status"], "draft", "{v}");
    let (s, _) = stranger
        .api()
        .await
        .api_get(&format!("/items/{made}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "the draft is not the stranger's");
    // A member asking to join cannot approve their own request or choose a role.
    let m = member.browser().await;
    let r = m
        .post_form(
            "/account/join",
            "/account",
            &[
                ("organisation_id", owner.id.as_str()),
                ("status", "approved"),
                ("role", "org_admin"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, me) = member.api().await.api_get("/me").await;
    assert_eq!(me["role"], "member", "{me}");
    let joined = me["memberships"]
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|m| m["organisation_id"] == owner.id.as_str())
        })
        .unwrap_or_else(|| panic!("the request to join: {me}"));
    assert_eq!(joined["status"], "pending", "{me}");
    assert_eq!(joined["via"], "request", "{me}");

    // Two ids in one request, only one checked: a contributor writes for another
    // organisation; a curator edits another pack's section through their own pack.
    let (s, v) = stranger
        .api()
        .await
        .api_post(
            "/items",
            json!({"kind": "case_study", "title": "For them", "summary": "S.",
                   "visibility": "network", "organisation_id": owner.id, "what_we_did": "x"}),
        )
        .await;
    assert!(
        s == StatusCode::FORBIDDEN || s == StatusCode::UNPROCESSABLE_ENTITY,
        "an item for an organisation one is not in: {s} {v}"
    );
    let pack = |api: Client, title: &'static str| async move {
        let (s, v) = api
            .api_post(
                "/collections",
                json!({"kind": "pack", "title": title, "audience": "network"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let c = id(&v);
        let (s, v) = api
            .api_send(
                Method::PUT,
                &format!("/collections/{c}"),
                json!({"title": title, "audience": "network", "sections": [{"heading": "Theirs"}]}),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
        let (_, v) = api.api_get(&format!("/collections/{c}")).await;
        (
            c,
            v["sections"][0]["id"]
                .as_str()
                .expect("section")
                .to_string(),
        )
    };
    let (mine, _) = pack(a.clone(), "Mine").await;
    let theirs_api = stranger.api().await;
    let (theirs, their_section) = pack(theirs_api.clone(), "Theirs").await;
    for (path, fields) in [
        (
            format!("/collections/{mine}/sections/{their_section}/edit"),
            vec![("heading", "Taken over")],
        ),
        (
            format!("/collections/{mine}/sections/{their_section}/delete"),
            vec![],
        ),
        (
            format!("/collections/{mine}/sections/{their_section}/move"),
            vec![("direction", "up")],
        ),
    ] {
        let r = browser.post_form(&path, "/account", &fields).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "POST {path}");
    }
    let (_, v) = theirs_api.api_get(&format!("/collections/{theirs}")).await;
    assert_eq!(
        v["sections"][0]["heading"], "Theirs",
        "their section is unchanged: {v}"
    );
    // A plan's editor links only learning they can see.
    let plan = given
        .plan("Peers' plan", json!({"owner_organisation_id": owner.id}))
        .await;
    let admin_owner = given
        .person("org_admin")
        .member_of(&owner)
        .await
        .api()
        .await;
    let (_, v) = admin_owner.api_get(&format!("/plans/{plan}")).await;
    let area = id(&v["work_areas"][0]);
    let private = given
        .item(&other)
        .by(&stranger)
        .titled("Their private learning")
        .visibility("organisation")
        .await;
    let (s, v) = admin_owner
        .api_post(
            &format!("/work-areas/{area}/learning"),
            json!({"item": private}),
        )
        .await;
    assert!(
        s == StatusCode::NOT_FOUND || s == StatusCode::UNPROCESSABLE_ENTITY,
        "learning one cannot see is not linked: {s} {v}"
    );
    let (_, v) = admin_owner.api_get(&format!("/plans/{plan}")).await;
    assert!(
        !v.to_string().contains(&private),
        "the private item is not in the plan: {v}"
    );

    // Partial-update verbs: no route answers PATCH, and PUT on what one may not change is
    // refused with nothing changed.
    let anyone = app.client();
    let with_token = stranger.api().await;
    for (_, path) in routes_of_the_router() {
        let path = path
            .replace("{id}", "x")
            .replace("{slug}", "x")
            .replace("{token}", "x")
            .replace("{section}", "x")
            .replace("{evidence}", "x")
            .replace("{item}", "x")
            .replace("{link}", "x");
        let r = anyone
            .http
            .patch(anyone.url(&path))
            .send()
            .await
            .expect("PATCH");
        // Refused before routing (no form, no token: 415/403) or by the router (405/404).
        assert!(
            r.status().is_client_error() && r.status() != StatusCode::UNPROCESSABLE_ENTITY,
            "PATCH {path}: {}",
            r.status()
        );
        if path.starts_with("/api/") {
            // With a token there is no CSRF check: the router itself refuses the verb.
            let r = with_token
                .http
                .patch(with_token.url(&path))
                .bearer_auth(with_token.token.as_deref().expect("token"))
                .json(&json!({"title": "Patched", "status": "published"}))
                .send()
                .await
                .expect("PATCH");
            assert!(
                r.status() == StatusCode::METHOD_NOT_ALLOWED || r.status() == StatusCode::NOT_FOUND,
                "PATCH {path} with a token: {}",
                r.status()
            );
        }
    }
    let published = given.item(&owner).by(&author).titled("Published").await;
    let (s, _) = stranger
        .api()
        .await
        .api_send(
            Method::PUT,
            &format!("/items/{published}"),
            json!({"kind": "case_study", "title": "Defaced", "summary": "S.",
                   "visibility": "public", "organisation_id": owner.id, "what_we_did": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, v) = a.api_get(&format!("/items/{published}")).await;
    assert_eq!(v["title"], "Published", "{v}");

    // A pending membership gives no privilege: an organisation admin whose request to join
    // is not yet approved decides nothing for it and reads nothing of its own.
    let pending = given.person("org_admin").await;
    let p = pending.api().await;
    let (s, v) = p
        .api_post(
            &format!("/organisations/{}/join-requests", owner.id),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let asker = given.person("member").await.api().await;
    let (s, v) = asker
        .api_post(
            &format!("/organisations/{}/join-requests", owner.id),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let request = id(&v);
    let (_, list) = p.api_get("/join-requests").await;
    assert!(
        !list.to_string().contains(&request),
        "a pending admin sees no requests to the organisation: {list}"
    );
    let (s, v) = p
        .api_post(
            &format!("/join-requests/{request}/decision"),
            json!({"approve": true}),
        )
        .await;
    assert!(
        s == StatusCode::NOT_FOUND || s == StatusCode::FORBIDDEN,
        "a pending admin decides nothing: {s} {v}"
    );
    let theirs_only = given
        .item(&owner)
        .by(&author)
        .titled("Owner only")
        .visibility("organisation")
        .await;
    let (s, _) = p.api_get(&format!("/items/{theirs_only}")).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "a pending member reads nothing of theirs"
    );

    // "Who registered": only organisers see the list; a person registered sees the event,
    // never the names or addresses of the others.
    let event = given.event(&owner).by(&author).titled("Who comes").await;
    for person in [&stranger, &member] {
        let (s, v) = person
            .api()
            .await
            .api_post(&format!("/events/{event}/registrations"), json!({}))
            .await;
        assert!(s.is_success(), "{s} {v}");
    }
    let m = member.browser().await;
    let (s, html) = m.get_text(&format!("/events/{event}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        !html.contains(&stranger.email) && !html.contains(&stranger.name),
        "another person's registration is not shown"
    );
    let (_, v) = member
        .api()
        .await
        .api_get(&format!("/events/{event}"))
        .await;
    assert!(
        !v.to_string().contains(&stranger.email) && !v.to_string().contains(&stranger.name),
        "{v}"
    );
    for path in [
        format!("/events/{event}/registrations"),
        format!("/events/{event}/registrations.csv"),
        format!("/events/{event}/registrations.xlsx"),
        format!("/events/{event}/report"),
    ] {
        assert_eq!(m.get(&path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let (s, _) = member
        .api()
        .await
        .api_get(&format!("/events/{event}/registrations"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
