-- Learning that delivers or shows a work area: links from work areas to library items.
CREATE TABLE work_area_links (
    work_area_id TEXT NOT NULL REFERENCES work_areas(id),
    item_id TEXT NOT NULL REFERENCES items(id),
    created_by TEXT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (work_area_id, item_id)
);
CREATE INDEX work_area_links_item ON work_area_links(item_id);
