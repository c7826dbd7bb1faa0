-- Paging through published items in id order (the search index's full rebuild) reads this
-- index instead of sorting every published row for each page.
CREATE INDEX items_status_id ON items(status, id);
