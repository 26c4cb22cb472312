import pytest

from reviewhub.search import registry, semantic

from .factories import staff_or_published


@pytest.fixture
def hooks():
    """Register stand-in hooks for learning and briefings; restore the registry afterwards."""
    saved = dict(registry._HOOKS)
    registry.register_kind("learning", staff_or_published, label="Learning point")
    registry.register_kind("briefing", staff_or_published, label="Briefing")
    semantic.invalidate()
    yield registry
    registry._HOOKS.clear()
    registry._HOOKS.update(saved)
    semantic.invalidate()
