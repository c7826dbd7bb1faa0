-- The places that deliver a work area: their place leads may post its progress, and each
-- place's page lists the work it delivers.
CREATE TABLE work_area_places (
    work_area_id TEXT NOT NULL REFERENCES work_areas(id),
    place_id TEXT NOT NULL REFERENCES places(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (work_area_id, place_id)
);
CREATE INDEX work_area_places_place ON work_area_places(place_id);
