-- Shared intelligence: public indicators (OHID Fingertips, the Indices of Deprivation, or a
-- tidy CSV) by area. Areas are ONS GSS codes with their parents and the dates they existed
-- (Cumbria's districts ended in April 2023); a place covers one or more areas. Observations
-- keep missing values missing (NULL, never 0) and say where they came from; a newer vintage
-- replaces an observation and the replaced value is kept in observation_history.
CREATE TABLE areas (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    area_type TEXT NOT NULL,
    parent_code TEXT REFERENCES areas(code),
    valid_from TEXT,
    valid_to TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX areas_parent ON areas(parent_code);

CREATE TABLE place_areas (
    place_id TEXT NOT NULL REFERENCES places(id),
    area_code TEXT NOT NULL REFERENCES areas(code),
    position INTEGER NOT NULL,
    PRIMARY KEY (place_id, area_code)
);
CREATE INDEX place_areas_area ON place_areas(area_code);

CREATE TABLE indicators (
    id TEXT PRIMARY KEY NOT NULL,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    polarity TEXT NOT NULL,
    age TEXT NOT NULL DEFAULT '',
    licence TEXT NOT NULL DEFAULT '',
    attribution TEXT NOT NULL DEFAULT '',
    definition_url TEXT NOT NULL DEFAULT '',
    key_indicator INTEGER NOT NULL DEFAULT 0,
    -- Kept by each import (the list of indicators does not count observations per read).
    observation_count INTEGER NOT NULL DEFAULT 0,
    latest_period TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (source, source_id)
);

-- An upload waiting for review (staged: the file is kept in file storage, nothing else is
-- saved), then saved or discarded. Saved imports are the provenance of their observations.
CREATE TABLE indicator_imports (
    id TEXT PRIMARY KEY NOT NULL,
    file_name TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    format TEXT NOT NULL,
    status TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    observations INTEGER NOT NULL,
    flags INTEGER NOT NULL,
    added INTEGER NOT NULL DEFAULT 0,
    replaced INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    created_by TEXT REFERENCES users(id),
    created_at INTEGER NOT NULL,
    decided_at INTEGER
);

CREATE TABLE observations (
    id TEXT PRIMARY KEY NOT NULL,
    indicator_id TEXT NOT NULL REFERENCES indicators(id),
    area_code TEXT NOT NULL REFERENCES areas(code),
    period TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    sex TEXT NOT NULL,
    age TEXT NOT NULL,
    value REAL,
    lower_ci95 REAL,
    upper_ci95 REAL,
    count REAL,
    denominator REAL,
    note TEXT,
    compared_to_england TEXT,
    illustrative INTEGER NOT NULL DEFAULT 0,
    source_file TEXT NOT NULL,
    source_row INTEGER NOT NULL,
    retrieved_at INTEGER NOT NULL,
    import_id TEXT REFERENCES indicator_imports(id),
    updated_at INTEGER NOT NULL,
    UNIQUE (indicator_id, area_code, period, sex, age)
);
CREATE INDEX observations_area ON observations(area_code, indicator_id);
-- One period of an indicator across areas (the comparison chart, a place's spine).
CREATE INDEX observations_period ON observations(indicator_id, period, sex);

CREATE TABLE observation_history (
    id TEXT PRIMARY KEY NOT NULL,
    observation_id TEXT NOT NULL REFERENCES observations(id),
    value REAL,
    lower_ci95 REAL,
    upper_ci95 REAL,
    count REAL,
    denominator REAL,
    note TEXT,
    source_file TEXT NOT NULL,
    source_row INTEGER NOT NULL,
    retrieved_at INTEGER NOT NULL,
    replaced_at INTEGER NOT NULL,
    replaced_by_import TEXT REFERENCES indicator_imports(id)
);
CREATE INDEX observation_history_observation ON observation_history(observation_id);

-- Library items and evidence records that address an indicator.
CREATE TABLE item_indicators (
    item_id TEXT NOT NULL REFERENCES items(id),
    indicator_id TEXT NOT NULL REFERENCES indicators(id),
    PRIMARY KEY (item_id, indicator_id)
);
CREATE INDEX item_indicators_indicator ON item_indicators(indicator_id);
CREATE TABLE evidence_indicators (
    evidence_id TEXT NOT NULL REFERENCES evidence(id),
    indicator_id TEXT NOT NULL REFERENCES indicators(id),
    PRIMARY KEY (evidence_id, indicator_id)
);
CREATE INDEX evidence_indicators_indicator ON evidence_indicators(indicator_id);

-- A plan outcome that follows a public indicator for one area: its baseline and latest
-- value are read from the observations (nobody retypes them); the target is the plan's.
CREATE TABLE outcome_figures (
    outcome_id TEXT PRIMARY KEY NOT NULL REFERENCES outcomes(id),
    indicator_id TEXT NOT NULL REFERENCES indicators(id),
    area_code TEXT NOT NULL REFERENCES areas(code),
    baseline_period TEXT,
    target REAL,
    target_year INTEGER,
    updated_by TEXT REFERENCES users(id),
    updated_at INTEGER NOT NULL
);

-- Analysts import indicator data (as network admins do).
ALTER TABLE users ADD COLUMN analyst INTEGER NOT NULL DEFAULT 0;
