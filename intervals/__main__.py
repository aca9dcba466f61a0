"""``python -m intervals``: the same CLI as the ``intervals`` command."""

from intervals.cli import main

main()
