"""The author's write-up is in content/ byte for byte as it came from Hugo."""

import hashlib

import pytest

from tests.conftest import CONTENT, ROOT, WRITEUP

RECORDED_SHA256 = "418497b27b23bbbbc3c9a8528e86a4e1bb2b6e63cdae0eda2184dc50824675fe"
SHARED_COPY = ROOT.parent / "shared" / "author-posts" / "aws-ml-specialty-certification.md"


def test_post_matches_recorded_sha256():
    assert hashlib.sha256((CONTENT / WRITEUP).read_bytes()).hexdigest() == RECORDED_SHA256


@pytest.mark.skipif(not SHARED_COPY.exists(), reason="../shared/author-posts is not beside this checkout")
def test_post_is_identical_to_the_shared_copy():
    assert (CONTENT / WRITEUP).read_bytes() == SHARED_COPY.read_bytes()
