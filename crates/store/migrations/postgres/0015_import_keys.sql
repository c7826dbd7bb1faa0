-- Items brought in from elsewhere (meeting records) carry the key that makes the same record
-- the same item when a file is imported again: a second import finds it and adds nothing.
ALTER TABLE items ADD COLUMN import_key TEXT;
CREATE UNIQUE INDEX items_import_key ON items(import_key) WHERE import_key IS NOT NULL;
