-- Evidence records: one claim, the agendas it serves, its places and organisations, the
-- measure (numbers kept as the decimal text that was checked), its source (a library item
-- or an external publication), type and strength (Nesta Standards of Evidence, 1-5), and
-- the workflow draft -> checked (by a second person) -> published. Deletion is soft.
CREATE TABLE evidence (
    id TEXT PRIMARY KEY NOT NULL,
    claim TEXT NOT NULL,
    measure_name TEXT NOT NULL DEFAULT '',
    measure_value TEXT,
    measure_unit TEXT NOT NULL DEFAULT '',
    measure_baseline TEXT,
    measure_period TEXT NOT NULL DEFAULT '',
    sample_size INTEGER,
    source_item_id TEXT REFERENCES items(id),
    source_locator TEXT NOT NULL DEFAULT '',
    source_title TEXT NOT NULL DEFAULT '',
    source_publisher TEXT NOT NULL DEFAULT '',
    source_date TEXT,
    source_url TEXT NOT NULL DEFAULT '',
    source_licence TEXT NOT NULL DEFAULT '',
    evidence_type TEXT NOT NULL,
    strength INTEGER NOT NULL,
    consent_to_quote INTEGER NOT NULL DEFAULT 0,
    visibility TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations(id),
    status TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    checked_by TEXT REFERENCES users(id),
    checked_at INTEGER,
    published_by TEXT REFERENCES users(id),
    published_at INTEGER,
    deleted_at INTEGER
);
CREATE INDEX evidence_status ON evidence(status, published_at);
CREATE INDEX evidence_source_item ON evidence(source_item_id);
CREATE INDEX evidence_created_by ON evidence(created_by);

CREATE TABLE evidence_agendas (
    evidence_id TEXT NOT NULL REFERENCES evidence(id),
    term_id TEXT NOT NULL REFERENCES terms(id),
    PRIMARY KEY (evidence_id, term_id)
);
CREATE INDEX evidence_agendas_term ON evidence_agendas(term_id);

CREATE TABLE evidence_places (
    evidence_id TEXT NOT NULL REFERENCES evidence(id),
    place_id TEXT NOT NULL REFERENCES places(id),
    PRIMARY KEY (evidence_id, place_id)
);
CREATE INDEX evidence_places_place ON evidence_places(place_id);

CREATE TABLE evidence_organisations (
    evidence_id TEXT NOT NULL REFERENCES evidence(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (evidence_id, organisation_id)
);
CREATE INDEX evidence_organisations_organisation ON evidence_organisations(organisation_id);
