-- Executive reports to email on a given date (before a meeting), once.
CREATE TABLE report_schedules (
    id TEXT PRIMARY KEY NOT NULL,
    plan_id TEXT NOT NULL REFERENCES plans(id),
    recipients TEXT NOT NULL,
    send_on TEXT NOT NULL,
    created_by TEXT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX report_schedules_due ON report_schedules(sent_at, send_on);
