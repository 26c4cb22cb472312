import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def engine():
    from reviewhub.themes.engine import Engine

    return Engine.load()


@pytest.fixture(scope="session")
def taxonomy():
    from reviewhub.themes.taxonomy import default

    return default()
