"""Helpers for the writing and publishing tests (new-post, drafts, publish, live preview)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
from pathlib import Path

import pytest

from tests.conftest import PUBLISH_SETTINGS, TinySite


def tiny_overrides(tiny: TinySite, **more) -> dict:
    """Settings that point the project's settings at a tiny site, as TinySite.build does."""
    overrides = {"PATH": str(tiny.content)}
    overrides.update(more)
    return overrides


def tree_digest(folder: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every file, plus the folders, to compare trees byte for byte."""
    digest = {}
    for directory, dirs, names in os.walk(folder):
        for name in dirs:
            digest[os.path.relpath(os.path.join(directory, name), folder) + "/"] = "dir"
        for name in names:
            path = Path(directory) / name
            digest[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def publish_tiny(tiny: TinySite, target: str, *, dest=None, dry_run=False, settings=None,
                 options=None, lines=None, force=False) -> int:
    from blogtools.commands.publish import publish

    log = lines.append if lines is not None else (lambda line: None)
    return publish(target, dry_run=dry_run, skip_external=True, dest=None if dest is None else str(dest),
                   settings_file=PUBLISH_SETTINGS, build_overrides=tiny_overrides(tiny, **(settings or {})),
                   target_options=options, root=tiny.root, log=log, force=force)


def two_posts(tiny: TinySite) -> None:
    tiny.post("first-post", "The first post. See [the second](/posts/second-post/).",
              tags=["aws"], summary="First.")
    tiny.post("second-post", "The second post.", date="2021-02-03T04:05:06Z", summary="Second.")


def with_about_page(tiny: TinySite) -> TinySite:
    """An About page, as the real site has (the navigation lists the site's pages)."""
    tiny.write("pages/about.md", '+++\ntitle = "About"\n+++\n\nAbout the author.\n')
    return tiny


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def moto_server():
    """An S3 (and CloudFront) API served by moto on 127.0.0.1; yields its URL."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def fake_aws_environment(monkeypatch, tmp_path: Path) -> None:
    """Fake credentials from the environment only; no real AWS config is read."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))


# Fixtures (tests/conftest.py registers this module as a plugin) ---------------------------------

BUCKET = "blog-bucket"


@pytest.fixture(scope="module")
def moto_url():
    """moto's S3 API on 127.0.0.1, one per test module."""
    with moto_server() as url:
        yield url


def empty_bucket(client, bucket: str = BUCKET) -> None:
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])]
    if keys:
        client.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys]})


@pytest.fixture
def s3_bucket(monkeypatch, tmp_path, moto_url):
    """An empty bucket BUCKET on moto, with fake credentials; emptied and removed afterwards."""
    import boto3

    fake_aws_environment(monkeypatch, tmp_path)
    client = boto3.client("s3", endpoint_url=moto_url, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    yield client
    empty_bucket(client)
    client.delete_bucket(Bucket=BUCKET)
