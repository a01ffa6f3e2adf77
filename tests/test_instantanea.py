"""The snapshot codec: a batch of history comes back exactly as it went, whichever way it is
kept (its first row and the steps to the next, with one from/to state; or arrays)."""

from __future__ import annotations

import numpy as np
import pytest

from repse.core.instantanea import _de_lote, _lote
from repse.core.motor import Lote


@pytest.mark.parametrize(("idx", "desde", "hacia"), [
    ([3, 4, 5, 260, 515], [2] * 5, [5] * 5),  # ascending, steps below 256
    (list(range(0, 1_000, 3)), [2] * 334, [5] * 334),
    ([7, 120_000], [2, 2], [5, 5]),  # ascending but far apart: arrays
    ([4, 2, 9], [1, 1, 1], [3, 3, 3]),  # not ascending: arrays
    ([1, 2, 3], [1, 2, 1], [3, 3, 4]),  # several states
    ([8], [0], [1]),
    ([], [], []),
])
def test_a_batch_comes_back_as_it_went(idx, desde, hacia):
    lote = Lote(12, 1_700_000_000, "2026-1", "senalar", np.array(idx, dtype=np.int32),
                np.array(desde, dtype=np.int8), np.array(hacia, dtype=np.int8), "nota")
    vuelta = _de_lote(_lote(lote))
    assert (vuelta.entrada, vuelta.at, vuelta.ciclo, vuelta.evento, vuelta.nota) == (
        12, 1_700_000_000, "2026-1", "senalar", "nota")
    for campo, dtype in (("idx", np.int32), ("desde", np.int8), ("hacia", np.int8)):
        v = getattr(vuelta, campo)
        assert v.dtype == dtype and v.tolist() == getattr(lote, campo).tolist()
