"""``python -m crossguard.cli``: the same as the ``crossguard`` command."""

from crossguard.cli.main import main

main()
