-- Events that deliver or show a work area (the learning series of a delivery plan, say),
-- beside the library items of `work_area_links`.
CREATE TABLE work_area_events (
    work_area_id TEXT NOT NULL REFERENCES work_areas(id),
    event_id TEXT NOT NULL REFERENCES events(id),
    created_by TEXT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (work_area_id, event_id)
);
CREATE INDEX work_area_events_event ON work_area_events(event_id);
