"""invoke publish --target s3: against a real S3 API (moto's server) on 127.0.0.1."""

from __future__ import annotations

import boto3
import pytest

from blogtools.publish import s3 as s3_target
from tests.publishing import BUCKET, publish_tiny, two_posts, with_about_page

HTML_CACHE = s3_target.CACHE_CONTROL["document"]
IMMUTABLE = s3_target.CACHE_CONTROL["immutable"]
DEFAULT_CACHE = s3_target.CACHE_CONTROL["default"]


@pytest.fixture
def aws(s3_bucket):
    return s3_bucket


@pytest.fixture
def blog(tiny_site):
    with_about_page(tiny_site)
    two_posts(tiny_site)
    tiny_site.write("images/logo.0123abcd89.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    tiny_site.write("images/photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    tiny_site.post("third-post", "With pictures: ![logo](/images/logo.0123abcd89.svg) "
                   "![photo](/images/photo.png)", date="2021-03-03T03:03:03Z", summary="Third.")
    return tiny_site


@pytest.fixture
def calls(monkeypatch):
    """Record the order of every upload and delete the deploy makes."""
    made = []
    real_client = s3_target.client

    def recording_client(service, settings, endpoint_url=None):
        client = real_client(service, settings, endpoint_url)

        def record(params, model, **_):
            made.append((model.name, params.get("Key") or len(params["Delete"]["Objects"])))

        client.meta.events.register("before-parameter-build.s3.PutObject", record)
        client.meta.events.register("before-parameter-build.s3.DeleteObjects", record)
        return client

    monkeypatch.setattr(s3_target, "client", recording_client)
    return made


def objects(client) -> dict[str, str]:
    return {o["Key"]: o["ETag"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def publish(blog, moto_url, lines=None, **kwargs):
    return publish_tiny(blog, "s3", dest=BUCKET, options={"endpoint_url": moto_url},
                        lines=lines if lines is not None else [], **kwargs)


def test_publish_uploads_the_site_with_types_and_cache_headers(blog, aws, moto_url, calls):
    lines = []
    assert publish(blog, moto_url, lines) == 0, "\n".join(lines)
    keys = set(objects(aws))
    assert {"index.html", "posts/first-post/index.html", "index.xml", "feeds/all.atom.xml",
            "sitemap.xml", "images/photo.png", "images/logo.0123abcd89.svg",
            "favicon.svg"} <= keys
    assert not any(key.startswith("drafts/") for key in keys)

    def head(key):
        return aws.head_object(Bucket=BUCKET, Key=key)

    page = head("posts/first-post/index.html")
    assert page["ContentType"] == "text/html; charset=utf-8"
    assert page["CacheControl"] == HTML_CACHE
    assert "default-src" in page["Metadata"]["content-security-policy"]
    assert page["Metadata"]["referrer-policy"]
    assert head("feeds/all.atom.xml")["ContentType"] == "application/atom+xml"
    assert head("index.xml")["ContentType"] == "application/rss+xml"
    assert head("index.xml")["CacheControl"] == HTML_CACHE
    assert head("sitemap.xml")["CacheControl"] == HTML_CACHE
    assert head("images/photo.png")["ContentType"] == "image/png"
    assert head("images/photo.png")["CacheControl"] == DEFAULT_CACHE
    logo = head("images/logo.0123abcd89.svg")
    assert logo["ContentType"] == "image/svg+xml"
    assert logo["CacheControl"] == IMMUTABLE

    # Assets first, then pages, then feeds, sitemap and robots.txt.
    order = [key for name, key in calls if name == "PutObject"]
    last_asset = max(i for i, k in enumerate(order) if not k.endswith((".html", ".xml", ".txt")))
    first_html = min(i for i, k in enumerate(order) if k.endswith(".html"))
    last_html = max(i for i, k in enumerate(order) if k.endswith(".html"))
    first_feed = min(i for i, k in enumerate(order) if k.endswith((".xml", "robots.txt")))
    assert last_asset < first_html and last_html < first_feed
    assert {"sitemap.xml", "robots.txt", "index.xml"} <= set(order[first_feed:])


def test_uploads_make_nothing_public_by_themselves(blog, aws, moto_url):
    """Objects are private to the bucket's owner; only the bucket's own policy (or CloudFront)
    decides what readers see, so nothing else in the bucket is ever made public by a deploy."""
    assert publish(blog, moto_url) == 0
    for key in ("index.html", "images/photo.png", "feeds/all.atom.xml"):
        grants = aws.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
        assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
        assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)


def test_second_publish_uploads_only_what_changed_and_deletes_stale_objects_last(
        blog, aws, moto_url, calls):
    assert publish(blog, moto_url) == 0
    aws.put_object(Bucket=BUCKET, Key="posts/removed-post/index.html", Body=b"old")
    aws.put_object(Bucket=BUCKET, Key="old.css", Body=b"old")
    before = objects(aws)
    calls.clear()

    blog.post("second-post", "The second post, now edited.", date="2021-02-03T04:05:06Z",
              summary="Second.")
    lines = []
    assert publish(blog, moto_url, lines) == 0, "\n".join(lines)
    after = objects(aws)
    uploaded = [key for name, key in calls if name == "PutObject"]
    changed = {key for key in after if before.get(key) != after[key]}
    assert set(uploaded) == changed
    assert "posts/second-post/index.html" in uploaded
    assert "posts/first-post/index.html" not in uploaded
    assert "images/photo.png" not in uploaded
    assert len(uploaded) < len(after) / 2
    assert "posts/removed-post/index.html" not in after and "old.css" not in after
    assert calls[-1][0] == "DeleteObjects"
    log = "\n".join(lines)
    assert "  - old.css" in log and "  ~ posts/second-post/index.html" in log


def test_dry_run_lists_and_touches_nothing(blog, aws, moto_url, calls):
    aws.put_object(Bucket=BUCKET, Key="stale.html", Body=b"old")
    before = objects(aws)
    lines = []
    assert publish(blog, moto_url, lines, dry_run=True) == 0, "\n".join(lines)
    assert objects(aws) == before
    assert calls == []
    log = "\n".join(lines)
    assert "  + posts/first-post/index.html" in log and "  - stale.html" in log
    assert "Dry run: nothing was changed." in log


def test_prefix_and_cloudfront_invalidation(blog, aws, moto_url):
    cloudfront = boto3.client("cloudfront", endpoint_url=moto_url, region_name="us-east-1")
    distribution = cloudfront.create_distribution(DistributionConfig={
        "CallerReference": "blog-test", "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "s3", "DomainName": f"{BUCKET}.s3.amazonaws.com",
                                              "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https",
                                 "TrustedSigners": {"Enabled": False, "Quantity": 0},
                                 "ForwardedValues": {"QueryString": False,
                                                     "Cookies": {"Forward": "none"}},
                                 "MinTTL": 0}})["Distribution"]["Id"]
    settings = {"PUBLISH_CLOUDFRONT_ENDPOINT_URL": moto_url}
    options = {"endpoint_url": moto_url, "distribution": distribution}
    assert publish_tiny(blog, "s3", dest=f"{BUCKET}/blog", options=options, settings=settings) == 0
    assert all(key.startswith("blog/") for key in objects(aws))
    blog.post("second-post", "Edited.", date="2021-02-03T04:05:06Z", summary="Second.")
    lines = []
    assert publish_tiny(blog, "s3", dest=f"{BUCKET}/blog", options=options, settings=settings,
                        lines=lines) == 0, "\n".join(lines)
    assert any(line.startswith("CloudFront: invalidated") for line in lines)
    invalidations = cloudfront.list_invalidations(DistributionId=distribution)
    assert invalidations["InvalidationList"]["Quantity"] == 1


def test_invalidation_paths():
    paths = s3_target.invalidation_paths(["blog/posts/a/index.html", "blog/index.xml"], "blog/")
    assert paths == ["/index.xml", "/posts/a/", "/posts/a/index.html"]
    many = [f"p{i}.html" for i in range(50)]
    assert s3_target.invalidation_paths(many, "") == ["/*"]


def test_missing_credentials_are_a_clear_error(blog, moto_url, monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    lines = []
    assert publish(blog, moto_url, lines) == 1
    assert any("no AWS credentials" in line for line in lines), lines
