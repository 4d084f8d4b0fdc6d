"""Domain rules as plain functions: no Flask, no database, tested directly."""
