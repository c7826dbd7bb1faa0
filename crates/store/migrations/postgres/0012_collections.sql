-- Collections of evidence: an advocacy pack (such as the manifesto) or a narrative for the
-- region or one place. The outline is ordered sections, each with its own text and chosen
-- evidence records; every save keeps a version (the whole outline as JSON) like items do.
-- Curators change a collection; share links let people without an account read its pack.
CREATE TABLE collections (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    ask TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations(id),
    place_id TEXT REFERENCES places(id),
    work_area_id TEXT REFERENCES work_areas(id),
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    published_at BIGINT,
    deleted_at BIGINT
);
CREATE INDEX collections_place ON collections(place_id);
CREATE INDEX collections_work_area ON collections(work_area_id);

CREATE TABLE collection_curators (
    collection_id TEXT NOT NULL REFERENCES collections(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (collection_id, user_id)
);
CREATE INDEX collection_curators_user ON collection_curators(user_id);

CREATE TABLE collection_sections (
    id TEXT PRIMARY KEY NOT NULL,
    collection_id TEXT NOT NULL REFERENCES collections(id),
    position BIGINT NOT NULL,
    heading TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT ''
);
CREATE INDEX collection_sections_collection ON collection_sections(collection_id, position);

CREATE TABLE collection_evidence (
    section_id TEXT NOT NULL REFERENCES collection_sections(id),
    evidence_id TEXT NOT NULL REFERENCES evidence(id),
    position BIGINT NOT NULL,
    PRIMARY KEY (section_id, evidence_id)
);
CREATE INDEX collection_evidence_evidence ON collection_evidence(evidence_id);

-- The workshops (events) that shaped a narrative.
CREATE TABLE collection_events (
    collection_id TEXT NOT NULL REFERENCES collections(id),
    event_id TEXT NOT NULL REFERENCES events(id),
    PRIMARY KEY (collection_id, event_id)
);

CREATE TABLE collection_versions (
    id TEXT PRIMARY KEY NOT NULL,
    collection_id TEXT NOT NULL REFERENCES collections(id),
    version BIGINT NOT NULL,
    snapshot TEXT NOT NULL,
    changed_by TEXT REFERENCES users(id),
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (collection_id, version)
);

-- A read-only link to one collection's pack for people without an account. Only the
-- token's SHA-256 is kept; views are a count, nothing about the viewer.
CREATE TABLE share_links (
    id TEXT PRIMARY KEY NOT NULL,
    collection_id TEXT NOT NULL REFERENCES collections(id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    revoked_by TEXT REFERENCES users(id),
    views BIGINT NOT NULL DEFAULT 0,
    last_viewed_at BIGINT
);
CREATE INDEX share_links_collection ON share_links(collection_id);
