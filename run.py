"""One entry point: `python run.py` serves; subcommands init, pair, stations, volunteers, ..."""
import sys

from server.ops.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
