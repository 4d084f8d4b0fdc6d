"""Public pages, no login: health, blank downloads, the volunteer's own page, the citizens' phone pages."""
