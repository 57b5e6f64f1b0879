"""Map errors to the CLI contract: one line on stderr, exit code 2; never a traceback."""

from __future__ import annotations

import click

from crossguard.errors import CrossguardError


def run_guarded(command: click.Command) -> int:
    """Run a click command, turning every failure into exit code 2 and one stderr line.

    Tracebacks are never printed: their locals could hold customer data.
    """
    try:
        result = command.main(standalone_mode=False)
    except CrossguardError as error:
        click.echo(f"crossguard: error: {error}", err=True)
        return 2
    except click.exceptions.Abort:
        click.echo("crossguard: aborted", err=True)
        return 2
    except click.ClickException as error:
        click.echo(f"crossguard: error: {error.format_message()}", err=True)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        click.echo(f"crossguard: internal error ({type(error).__name__})", err=True)
        return 2
    return result if isinstance(result, int) else 0
