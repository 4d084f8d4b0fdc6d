"""run.py's command line: one click group of the commands in server/ops/commands/, `serve` by default."""
import os

import click

from server.ops.commands import Commands, data, printouts, start, stations, users


@click.group(cls=Commands, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def cli(ctx):
    """学雷锋志愿服务站点 kiosk and QR check-in server"""
    if ctx.invoked_subcommand is None:
        return ctx.invoke(start.serve)
    return None


@cli.result_callback()
@click.pass_context
def _exit_code(ctx, code, **_params):
    """The number a command returns is the process's exit code (2: refused, as for a bad option)."""
    ctx.exit(code or 0)


for command in (start.serve, start.init, stations.pair, stations.stations_list, stations.volunteers_list,
                printouts.print_command, data.backup, data.restore, stations.kiosk, data.export,
                data.demo, users.users):
    cli.add_command(command)


def main(argv):
    """Owner-only files (the database, its WAL, backups and exports hold personal data), then the command."""
    os.umask(0o077)
    return cli.main(args=argv, prog_name="run.py")
