"""Use cases that compose rules and the store in one transaction."""
