"""Deploy to Amazon S3 (optionally behind CloudFront), uploading only what changed.

* A file is uploaded only when its MD5 differs from the object's ETag (every
  object is written with a single PutObject, so its ETag is its MD5).
* Every object gets its Content-Type and a Cache-Control by kind: fingerprinted
  assets (``style.3f2a9c1b.css``) are cached for a year and marked immutable;
  HTML, feeds, the sitemap and robots.txt only briefly, so a publish shows at
  once; everything else for a day.
* HTML objects carry the site's Content-Security-Policy and Referrer-Policy
  (taken from the page's own ``<meta>`` tags) as object metadata, for a
  CloudFront response-headers policy or an edge function to send as headers.
* Order (:func:`.tree.upload_phases`): new files first (assets, pages, then
  feeds and sitemap), then changed ones in the same order, stale objects
  deleted last, so no page a reader can reach links to an object that is not
  there yet. A deploy that fails half way leaves the old site plus some of the
  new files; running it again uploads the rest (only what still differs).
* The brake on deletions (:func:`.tree.check_deletions`) runs before the
  first upload.
* With a CloudFront distribution id, the changed and deleted paths are
  invalidated.

Credentials come only from the environment or the AWS config files (boto3's
usual chain), never from a setting. Settings: ``PUBLISH_S3_BUCKET``,
``PUBLISH_S3_PREFIX``, ``PUBLISH_S3_REGION``, ``PUBLISH_S3_ENDPOINT_URL``
(S3-compatible stores, tests), ``PUBLISH_CLOUDFRONT_DISTRIBUTION``,
``PUBLISH_CACHE_CONTROL`` (a dict overriding ``CACHE_CONTROL``).
"""

from __future__ import annotations

import mimetypes
import re
import time
from pathlib import Path

from blogtools.publish.tree import PAGES, Changes, check_deletions, deploy_rank, md5_of, site_files, upload_phases

CACHE_CONTROL = {
    "immutable": "public, max-age=31536000, immutable",
    "document": "public, max-age=300, must-revalidate",
    "default": "public, max-age=86400",
}
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
    ".gz": "application/gzip",
    ".br": "application/x-brotli",
}
DOCUMENT_SUFFIXES = (".html", ".htm", ".xml", ".json", ".txt", ".webmanifest")
# name.<8+ hex>.ext or name-<8+ hex>.ext: content-addressed, never changes.
FINGERPRINT = re.compile(r"[.-][0-9a-f]{8,}\.[A-Za-z0-9]+$")
META_CSP = re.compile(r"""<meta\s+http-equiv=["']Content-Security-Policy["']\s+content=["']([^"']+)["']""",
                      re.I)
META_REFERRER = re.compile(r"""<meta\s+name=["']referrer["']\s+content=["']([^"']+)["']""", re.I)
DEFAULT_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
               "base-uri 'self'; form-action 'self'; object-src 'none'")
DEFAULT_REFERRER = "strict-origin-when-cross-origin"
MAX_INVALIDATION_PATHS = 30


def content_type(path: str) -> str:
    name = path.lower()
    if name.endswith((".atom.xml", "atom.xml")):
        return "application/atom+xml"
    if name.endswith((".rss.xml", "rss.xml", "/index.xml")) or name == "index.xml":
        return "application/rss+xml"
    suffix = Path(name).suffix
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def cache_control(path: str, policy: dict | None = None) -> str:
    policy = {**CACHE_CONTROL, **(policy or {})}
    name = path.rsplit("/", 1)[-1]
    if name.lower().endswith(DOCUMENT_SUFFIXES):
        return policy["document"]
    if FINGERPRINT.search(name):
        return policy["immutable"]
    return policy["default"]


def security_metadata(html: bytes) -> dict[str, str]:
    text = html[:20000].decode("utf-8", "replace")
    csp = META_CSP.search(text)
    referrer = META_REFERRER.search(text)
    return {"content-security-policy": csp.group(1) if csp else DEFAULT_CSP,
            "referrer-policy": referrer.group(1) if referrer else DEFAULT_REFERRER}


def object_args(site: Path, path: str, policy: dict | None = None) -> dict:
    args = {"ContentType": content_type(path), "CacheControl": cache_control(path, policy)}
    if path.endswith(".gz") and not path.endswith(".tar.gz"):
        args["ContentType"] = content_type(path[:-3])
        args["ContentEncoding"] = "gzip"
    elif path.endswith(".br"):
        args["ContentType"] = content_type(path[:-3])
        args["ContentEncoding"] = "br"
    if deploy_rank(path) == PAGES and not path.endswith((".gz", ".br")):
        args["Metadata"] = security_metadata((site / path).read_bytes())
    return args


def client(service: str, settings: dict, endpoint_url: str | None = None):
    import boto3
    from botocore.config import Config

    session = boto3.session.Session(region_name=settings.get("PUBLISH_S3_REGION") or None)
    config = Config(s3={"addressing_style": "path"}) if endpoint_url else None
    return session.client(service, endpoint_url=endpoint_url or None, config=config)


def remote_etags(s3, bucket: str, prefix: str) -> dict[str, str]:
    etags = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            etags[item["Key"]] = item["ETag"].strip('"')
    return etags


def invalidation_paths(keys: list[str], prefix: str) -> list[str]:
    paths = set()
    for key in keys:
        path = "/" + key[len(prefix):] if key.startswith(prefix) else "/" + key
        paths.add(path)
        if path.endswith("/index.html"):
            paths.add(path[: -len("index.html")])
    if len(paths) > MAX_INVALIDATION_PATHS:
        return ["/*"]
    return sorted(paths)


def split_dest(dest: str | None, settings: dict) -> tuple[str, str]:
    if dest:
        bucket, _, prefix = dest.removeprefix("s3://").partition("/")
    else:
        bucket, prefix = settings.get("PUBLISH_S3_BUCKET") or "", settings.get("PUBLISH_S3_PREFIX") or ""
    prefix = prefix.strip("/")
    return bucket, (prefix + "/" if prefix else "")


def deploy(site: Path, settings: dict, *, dest: str | None = None, dry_run: bool = False,
           distribution: str | None = None, endpoint_url: str | None = None, log=print,
           force: bool = False, **_) -> Changes:
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    bucket, prefix = split_dest(dest, settings)
    if not bucket:
        raise RuntimeError("no S3 bucket: set PUBLISH_S3_BUCKET in publishconf.py or pass --dest")
    endpoint_url = endpoint_url or settings.get("PUBLISH_S3_ENDPOINT_URL")
    distribution = distribution or settings.get("PUBLISH_CLOUDFRONT_DISTRIBUTION") or None
    log(f"Target: s3://{bucket}/{prefix}" + (f" via {endpoint_url}" if endpoint_url else "")
        + (f", CloudFront {distribution}" if distribution else ""))
    s3 = client("s3", settings, endpoint_url)
    try:
        remote = remote_etags(s3, bucket, prefix)
        changes = Changes()
        local = site_files(site)
        for path in local:
            key = prefix + path
            if key not in remote:
                changes.added.append(key)
            elif remote[key] != md5_of(site / path):
                changes.changed.append(key)
            else:
                changes.unchanged += 1
        wanted = {prefix + path for path in local}
        changes.deleted = sorted(key for key in remote if key not in wanted)
        changes.sort()
        if dry_run:
            return changes
        check_deletions(changes, settings, force=force)
        policy = settings.get("PUBLISH_CACHE_CONTROL")
        for what, keys in upload_phases(changes):
            log(f"Uploading {len(keys)} {what}")
            for key in keys:
                path = key[len(prefix):]
                with open(site / path, "rb") as body:
                    s3.put_object(Bucket=bucket, Key=key, Body=body,
                                  **object_args(site, path, policy))
        for start in range(0, len(changes.deleted), 1000):
            batch = changes.deleted[start:start + 1000]
            s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in batch],
                                                     "Quiet": True})
        if distribution and (changes.changed or changes.deleted):
            paths = invalidation_paths(changes.changed + changes.deleted, prefix)
            cloudfront = client("cloudfront", settings, settings.get("PUBLISH_CLOUDFRONT_ENDPOINT_URL"))
            cloudfront.create_invalidation(DistributionId=distribution, InvalidationBatch={
                "Paths": {"Quantity": len(paths), "Items": paths},
                "CallerReference": f"blog-publish-{time.time_ns()}"})
            changes.notes.append(f"CloudFront: invalidated {len(paths)} path(s): {', '.join(paths)}")
        return changes
    except NoCredentialsError:
        raise RuntimeError("no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/"
                           "AWS_SECRET_ACCESS_KEY in the environment (never in a settings file)") from None
    except (BotoCoreError, ClientError) as error:
        raise RuntimeError(f"S3: {error}") from None
