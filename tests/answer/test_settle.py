"""settle(): a long-running frontend's engine leaves the cyclic collector's sight."""

from __future__ import annotations

import gc

from bot.engine import settle


def test_settle_freezes_what_is_allocated_and_objects_are_still_freed() -> None:
    try:
        settle()
        assert gc.get_freeze_count() > 0
        import weakref

        class Thing:
            pass

        thing = Thing()
        gone = weakref.ref(thing)
        settle()
        del thing  # frozen objects are still freed by reference counting
        assert gone() is None
    finally:
        gc.unfreeze()
