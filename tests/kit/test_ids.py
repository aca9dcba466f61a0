from __future__ import annotations

import re

from intervals_server.kit.ids import new_ids


def test_new_ids_are_distinct_and_shaped_like_the_references() -> None:
    made = new_ids("r", 5000)

    assert len(set(made)) == 5000
    assert all(re.fullmatch(r"r[a-z0-9]{14}", run_id) for run_id in made)
