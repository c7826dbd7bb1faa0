-- Learning library: items with structured sections and a Markdown body, owned by an
-- organisation and a place, with a visibility and a workflow status; every save keeps a
-- version. A managed taxonomy (themes, agendas, audiences) tags them. Attachments' bytes
-- live in file storage under a content hash; their extracted text is kept here.
-- `search_changes` is the durable log the search index replays: written in the same
-- transaction as the change it names.
CREATE TABLE terms (
    id TEXT PRIMARY KEY NOT NULL,
    vocabulary TEXT NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    merged_into TEXT REFERENCES terms(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (vocabulary, slug)
);

CREATE TABLE items (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    context TEXT NOT NULL DEFAULT '',
    what_we_did TEXT NOT NULL DEFAULT '',
    what_we_learned TEXT NOT NULL DEFAULT '',
    do_differently TEXT NOT NULL DEFAULT '',
    outcomes TEXT NOT NULL DEFAULT '',
    contacts TEXT NOT NULL DEFAULT '',
    body_md TEXT NOT NULL DEFAULT '',
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    place_id TEXT REFERENCES places(id),
    visibility TEXT NOT NULL,
    status TEXT NOT NULL,
    featured BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT,
    published_at BIGINT,
    deleted_at BIGINT
);
CREATE INDEX items_status_published ON items(status, published_at);
CREATE INDEX items_org ON items(organisation_id);
CREATE INDEX items_place ON items(place_id);
CREATE INDEX items_created_by ON items(created_by);

CREATE TABLE item_authors (
    item_id TEXT NOT NULL REFERENCES items(id),
    position BIGINT NOT NULL,
    user_id TEXT REFERENCES users(id),
    name TEXT NOT NULL,
    PRIMARY KEY (item_id, position)
);
CREATE INDEX item_authors_user ON item_authors(user_id);

CREATE TABLE item_terms (
    item_id TEXT NOT NULL REFERENCES items(id),
    term_id TEXT NOT NULL REFERENCES terms(id),
    PRIMARY KEY (item_id, term_id)
);
CREATE INDEX item_terms_term ON item_terms(term_id);

CREATE TABLE item_links (
    id TEXT PRIMARY KEY NOT NULL,
    item_id TEXT NOT NULL REFERENCES items(id),
    position BIGINT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX item_links_item ON item_links(item_id);

CREATE TABLE item_versions (
    id TEXT PRIMARY KEY NOT NULL,
    item_id TEXT NOT NULL REFERENCES items(id),
    version BIGINT NOT NULL,
    status TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    changed_by TEXT REFERENCES users(id),
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (item_id, version)
);

CREATE TABLE item_reviews (
    id TEXT PRIMARY KEY NOT NULL,
    item_id TEXT NOT NULL REFERENCES items(id),
    decision TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    decided_by TEXT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX item_reviews_item ON item_reviews(item_id, created_at);

CREATE TABLE attachments (
    id TEXT PRIMARY KEY NOT NULL,
    item_id TEXT NOT NULL REFERENCES items(id),
    storage_key TEXT NOT NULL,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    text_status TEXT NOT NULL,
    extracted_text TEXT NOT NULL DEFAULT '',
    claimed_until BIGINT,
    uploaded_by TEXT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX attachments_item ON attachments(item_id);
CREATE INDEX attachments_text_status ON attachments(text_status);

CREATE TABLE item_marks (
    user_id TEXT NOT NULL REFERENCES users(id),
    item_id TEXT NOT NULL REFERENCES items(id),
    mark TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, item_id, mark)
);
CREATE INDEX item_marks_item ON item_marks(item_id, mark);

CREATE TABLE follows (
    user_id TEXT NOT NULL REFERENCES users(id),
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, subject_type, subject_id)
);

CREATE TABLE search_changes (
    seq BIGSERIAL PRIMARY KEY,
    item_id TEXT NOT NULL,
    at BIGINT NOT NULL
);

CREATE TABLE search_misses (
    id TEXT PRIMARY KEY NOT NULL,
    query TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX search_misses_at ON search_misses(at);
