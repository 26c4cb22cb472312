import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def analyzer():
    """Load the spaCy model once for the whole session: it takes about a second."""
    from reviewhub.documents import pii

    return pii.build_analyzer()
