"""The scanner folding table: one data file, the same vectors here and in the kiosk's browser test."""
import json
from pathlib import Path

import pytest

from server.rules import badges

VECTORS = json.loads((Path(__file__).with_name("scan_folding_vectors.json")).read_text("utf-8"))["vectors"]
BADGE_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")


@pytest.mark.parametrize("vector", VECTORS, ids=[v["folded"] for v in VECTORS])
def test_shared_vectors(vector):
    folded = badges.normalise_scanned(vector["raw"])
    assert folded == vector["folded"]
    assert bool(badges._SHAPE.fullmatch(folded)) is vector["badge"]


def test_table_is_the_data_file_and_folds_only_outside_the_badge_alphabet():
    table = json.loads(badges.FOLDING_FILE.read_text("utf-8"))["fold"]
    assert table == badges.FOLDING
    assert {">", "/", "_", "ー", "。"} <= set(table)
    for source, target in table.items():
        assert len(source) == 1 and source not in BADGE_ALPHABET and source.upper() not in BADGE_ALPHABET
        assert target in {".", "-"}
