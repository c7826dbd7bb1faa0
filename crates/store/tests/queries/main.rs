//! Store tests for the queries whose SQL is easy to get subtly wrong: who may read an item
//! (`PUBLISHED_VISIBLE`, `MAY_VIEW`) or an event (`EVENT_VISIBLE`), and the conditional
//! updates that let only one worker claim a job (outbox, text extraction, event mail, plan
//! reminders and reports) or hold an event's lock; on SQLite, and on PostgreSQL when
//! `LZ_TEST_POSTGRES_URL` is set.

mod common;

mod claims;
mod event_visibility;
mod library_visibility;
