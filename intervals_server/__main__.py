"""``python -m intervals_server``: the same CLI as the ``intervals`` command."""

from intervals_server.cli import main

main()
