-- Learning events: series hold events; people register (or join the waiting list); the
-- housekeeping job sends each registration's reminder and follow-up once (the *_at columns
-- are its claims) and deletes access and dietary answers after the event. Materials are
-- library items linked to their event. Outbox messages may carry one attachment (the .ics).
CREATE TABLE event_series (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE series_terms (
    series_id TEXT NOT NULL REFERENCES event_series(id),
    term_id TEXT NOT NULL REFERENCES terms(id),
    PRIMARY KEY (series_id, term_id)
);

CREATE TABLE events (
    id TEXT PRIMARY KEY NOT NULL,
    series_id TEXT REFERENCES event_series(id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL,
    venue TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    access_info TEXT NOT NULL DEFAULT '',
    joining_link TEXT NOT NULL DEFAULT '',
    speakers TEXT NOT NULL DEFAULT '',
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    capacity INTEGER NOT NULL,
    registration_opens_at INTEGER,
    registration_closes_at INTEGER,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    visibility TEXT NOT NULL,
    status TEXT NOT NULL,
    allow_guests INTEGER NOT NULL DEFAULT 0,
    ask_access INTEGER NOT NULL DEFAULT 1,
    ask_dietary INTEGER NOT NULL DEFAULT 0,
    sequence INTEGER NOT NULL DEFAULT 0,
    personal_data_deleted_at INTEGER,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX events_starts ON events(starts_at);
CREATE INDEX events_series ON events(series_id);

CREATE TABLE event_terms (
    event_id TEXT NOT NULL REFERENCES events(id),
    term_id TEXT NOT NULL REFERENCES terms(id),
    PRIMARY KEY (event_id, term_id)
);

CREATE TABLE event_organisers (
    event_id TEXT NOT NULL REFERENCES events(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_organisers_user ON event_organisers(user_id);

CREATE TABLE registrations (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES events(id),
    user_id TEXT REFERENCES users(id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    organisation_name TEXT NOT NULL DEFAULT '',
    organisation_id TEXT REFERENCES organisations(id),
    place_id TEXT REFERENCES places(id),
    status TEXT NOT NULL,
    access_needs TEXT,
    dietary_needs TEXT,
    token_hash TEXT,
    attended INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    registered_at INTEGER,
    cancelled_at INTEGER,
    reminded_at INTEGER,
    followed_up_at INTEGER
);
-- One live registration per person per event; a cancelled one does not block registering again.
CREATE UNIQUE INDEX registrations_one_live ON registrations(event_id, email_key) WHERE status <> 'cancelled';
CREATE INDEX registrations_event ON registrations(event_id, status, created_at);
CREATE INDEX registrations_user ON registrations(user_id);
CREATE INDEX registrations_token ON registrations(token_hash);

CREATE TABLE event_feedback (
    registration_id TEXT PRIMARY KEY NOT NULL REFERENCES registrations(id),
    event_id TEXT NOT NULL REFERENCES events(id),
    rating INTEGER NOT NULL,
    do_differently TEXT NOT NULL DEFAULT '',
    topics_next TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX event_feedback_event ON event_feedback(event_id);

CREATE TABLE event_materials (
    event_id TEXT NOT NULL REFERENCES events(id),
    item_id TEXT NOT NULL REFERENCES items(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (event_id, item_id)
);
CREATE INDEX event_materials_item ON event_materials(item_id);

ALTER TABLE outbox ADD COLUMN attachment_name TEXT;
ALTER TABLE outbox ADD COLUMN attachment_type TEXT;
ALTER TABLE outbox ADD COLUMN attachment_body TEXT;
