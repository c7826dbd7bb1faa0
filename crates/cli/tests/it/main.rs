//! Integration tests: each starts the real application on a real database (SQLite, and
//! PostgreSQL when `LZ_TEST_POSTGRES_URL` is set) and drives it over HTTP.

mod common;

mod accounts;
mod advocacy;
mod browser;
mod citations;
mod demo;
mod events;
mod evidence;
mod evidence_search;
mod faults;
mod first_use;
mod folder;
mod intelligence;
mod library;
mod matrix;
mod meetings;
mod membership;
mod ops;
mod permissions;
mod plans;
mod report_docs;
mod security;
mod storage;
mod transfer;
