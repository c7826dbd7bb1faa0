//! Learning Zone's domain: the types and rules of the product, with no I/O.
//! Values are parsed once at the edge (web, CLI) and passed inward already valid.

pub mod advocacy;
pub mod citation;
pub mod dates;
pub mod email;
pub mod events;
pub mod evidence;
pub mod ids;
pub mod intelligence;
pub mod library;
pub mod markdown;
pub mod meetings;
pub mod network;
pub mod password;
pub mod plan_import;
pub mod role;
pub mod text;

pub use email::EmailAddress;
pub use ids::Id;
pub use network::{MembershipStatus, PlaceKind, Sector, Slug};
pub use password::{check_password, PasswordProblem, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
pub use role::Role;
pub use text::{clean_line, TextProblem};
