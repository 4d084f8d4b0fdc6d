"""The commands of run.py, one module per concern, and the little they share."""
import json
import sys
from contextlib import contextmanager

import click

from server import create_app
from server.db import connect



class Commands(click.Group):
    """Commands listed in the order they were added, each with its whole one-line help."""

    def list_commands(self, ctx):
        return list(self.commands)

    def format_commands(self, ctx, formatter):
        with formatter.section("Commands"):
            formatter.write_dl([(name, cmd.short_help or cmd.help or "") for name, cmd in self.commands.items()])


json_option = click.option("--json", "as_json", is_flag=True, help="machine-readable output")


@contextmanager
def database(app):
    """A connection to the app's database, closed afterwards."""
    db = connect(app.config["DATABASE"])
    try:
        yield db
    finally:
        db.close()


@contextmanager
def app_and_db(config=None):
    """The app as the environment configures it, and a connection to its database."""
    app = create_app(config)
    with database(app) as db:
        yield app, db


def refuse(message):
    """Say on stderr why nothing was done; returns the exit code of a refusal (2)."""
    print(message, file=sys.stderr)
    return 2


def show(rows, as_json, line, keys=None):
    """Rows as one JSON list of their keys (--json), else a line(row) each; returns the exit code (0)."""
    if as_json:
        print(json.dumps([{k: r[k] for k in keys or r} for r in rows], ensure_ascii=False))
    else:
        for row in rows:
            print(line(row))
    return 0
