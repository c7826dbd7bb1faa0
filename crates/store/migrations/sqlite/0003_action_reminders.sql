-- When each action's reminders went out: set once, by the job that sends them, so that a
-- reminder is sent once however many server instances run and across restarts.
ALTER TABLE actions ADD COLUMN reminded_soon_at INTEGER;
ALTER TABLE actions ADD COLUMN reminded_overdue_at INTEGER;
