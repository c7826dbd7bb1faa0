-- Delivery plans: plans hold work areas (mandates are work areas agreed by an executive),
-- with leads, budget lines, outcomes, milestones; meetings raise actions; leads post updates.
-- Calendar dates are ISO text (YYYY-MM-DD); money is in pence; times are UTC milliseconds.
CREATE TABLE plans (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    owner_organisation_id TEXT REFERENCES organisations(id),
    cluster TEXT NOT NULL DEFAULT '',
    lead_applicant TEXT NOT NULL DEFAULT '',
    period_start TEXT,
    period_end TEXT,
    status TEXT NOT NULL,
    visibility TEXT NOT NULL,
    created_by TEXT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted_at BIGINT
);

CREATE TABLE work_areas (
    id TEXT PRIMARY KEY NOT NULL,
    plan_id TEXT NOT NULL REFERENCES plans(id),
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    why TEXT NOT NULL DEFAULT '',
    progress TEXT NOT NULL DEFAULT '',
    what_we_will_do TEXT NOT NULL DEFAULT '',
    resources TEXT NOT NULL DEFAULT '',
    when_text TEXT NOT NULL DEFAULT '',
    start_date TEXT,
    end_date TEXT,
    end_open BIGINT NOT NULL DEFAULT 0,
    rag TEXT,
    rag_reason TEXT NOT NULL DEFAULT '',
    budget_spent_pence BIGINT NOT NULL DEFAULT 0,
    budget_committed_pence BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX work_areas_plan ON work_areas(plan_id, position);

CREATE TABLE work_area_leads (
    id TEXT PRIMARY KEY NOT NULL,
    work_area_id TEXT NOT NULL REFERENCES work_areas(id),
    user_id TEXT REFERENCES users(id),
    name TEXT NOT NULL
);
CREATE INDEX work_area_leads_area ON work_area_leads(work_area_id);

CREATE TABLE budget_lines (
    id TEXT PRIMARY KEY NOT NULL,
    work_area_id TEXT NOT NULL REFERENCES work_areas(id),
    label TEXT NOT NULL,
    amount_pence BIGINT NOT NULL
);
CREATE INDEX budget_lines_area ON budget_lines(work_area_id);

CREATE TABLE outcomes (
    id TEXT PRIMARY KEY NOT NULL,
    work_area_id TEXT NOT NULL REFERENCES work_areas(id),
    position BIGINT NOT NULL,
    text TEXT NOT NULL,
    indicator TEXT NOT NULL DEFAULT '',
    baseline TEXT NOT NULL DEFAULT '',
    target TEXT NOT NULL DEFAULT '',
    current_value TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outcomes_area ON outcomes(work_area_id, position);

CREATE TABLE milestones (
    id TEXT PRIMARY KEY NOT NULL,
    work_area_id TEXT NOT NULL REFERENCES work_areas(id),
    title TEXT NOT NULL,
    due_date TEXT,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX milestones_area ON milestones(work_area_id, due_date);

CREATE TABLE meetings (
    id TEXT PRIMARY KEY NOT NULL,
    plan_id TEXT NOT NULL REFERENCES plans(id),
    title TEXT NOT NULL,
    held_on TEXT,
    attendees TEXT NOT NULL DEFAULT '',
    minutes_md TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX meetings_plan ON meetings(plan_id);

CREATE TABLE actions (
    id TEXT PRIMARY KEY NOT NULL,
    plan_id TEXT NOT NULL REFERENCES plans(id),
    work_area_id TEXT REFERENCES work_areas(id),
    meeting_id TEXT REFERENCES meetings(id),
    description TEXT NOT NULL,
    owner_user_id TEXT REFERENCES users(id),
    owner_name TEXT NOT NULL DEFAULT '',
    due_date TEXT,
    status TEXT NOT NULL,
    completion_note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    completed_at BIGINT
);
CREATE INDEX actions_plan ON actions(plan_id, status, due_date);
CREATE INDEX actions_owner ON actions(owner_user_id, status);

CREATE TABLE work_area_updates (
    id TEXT PRIMARY KEY NOT NULL,
    work_area_id TEXT NOT NULL REFERENCES work_areas(id),
    author_id TEXT REFERENCES users(id),
    posted_on TEXT NOT NULL,
    body TEXT NOT NULL,
    rag TEXT,
    spent_pence BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX work_area_updates_area ON work_area_updates(work_area_id, posted_on);
