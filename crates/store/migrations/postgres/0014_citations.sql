-- Citation details for researchers: an item's original publication date (a year, a month or
-- a day, ISO: "2023", "2023-05", "2023-05-14"; NULL when it was first published here), its
-- licence (a code of lz_domain::citation::Licence; '' when none was chosen) and its authors as
-- they should be cited ("Surname, Given", one per line; '' to cite the named authors).
ALTER TABLE items ADD COLUMN original_date TEXT;
ALTER TABLE items ADD COLUMN licence TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN cite_as TEXT NOT NULL DEFAULT '';
