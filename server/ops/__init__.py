"""Operations: the command line, serving, background jobs, demo data, backups."""
