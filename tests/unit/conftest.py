"""Fixtures the chart tests share: the sample positions frame and its latest stances (chartdata)."""

from __future__ import annotations

import pandas as pd
import pytest
from chartdata import sample_frame, sample_latest


@pytest.fixture
def frame() -> pd.DataFrame:
    """The positions frame of chartdata's sample dataset."""
    return sample_frame()


@pytest.fixture
def latest(frame: pd.DataFrame) -> pd.DataFrame:
    """Each actor's latest stance on each issue in ``frame``."""
    return sample_latest(frame)
