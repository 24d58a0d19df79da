"""Deploys that are killed or fail half way, and the brake on deletions.

A deploy killed at any moment must leave the live site whole: the local
folder is the whole old site or the whole new one; an rsync destination or an
S3 bucket holds the old site plus some of the new files, in an order where no
page a reader can reach links to a file that is missing, and running the
deploy again completes it. A deploy that would delete much of the live site
stops before touching anything unless forced.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import invoke
import pytest

from blogtools.linkcheck.collect import collect_bytes, file_type
from blogtools.linkcheck.resolve import INTERNAL, Resolver, Site
from blogtools.publish import local, rsync
from blogtools.publish import s3 as s3_target
from blogtools.publish.tree import Changes, DeletionBrake, check_deletions, diff_trees, md5_of, upload_phases
from tests.conftest import PUBLISH_SETTINGS, ROOT, TinySite
from tests.publishing import BUCKET, empty_bucket, publish_tiny, tree_digest, two_posts, with_about_page

BASE_URL = "https://blog.example.org"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
QUIET = {"log": lambda line: None}

# Runs one target's deploy() in a child process, printing its log as it goes.
CHILD = """
import json, sys, time
from pathlib import Path
from blogtools.publish import target
print("ready", time.monotonic(), flush=True)
target(sys.argv[1]).deploy(Path(sys.argv[2]), json.loads(sys.argv[4]), dest=sys.argv[3],
                           root=Path(sys.argv[3]).parent, log=lambda line: print(line, flush=True))
print("done", time.monotonic(), flush=True)
"""


class Sites:
    """Two real builds of a tiny site: the live one and the next one, which adds a post (with a new
    tag, image and tag feed), edits one to link to it, and removes another (its image, tag and feed)."""

    def __init__(self, root: Path):
        tiny = TinySite(root / "project")
        with_about_page(tiny)
        tiny.write("images/photo.png", PNG)
        tiny.write("images/old.png", PNG + b"old")
        two_posts(tiny)
        tiny.post("old-post", "Old. ![old](/images/old.png)", date="2020-02-03T04:05:06Z",
                  tags=["legacy"], summary="Old.")
        self.old = self._build(tiny, root / "old")
        (tiny.content / "posts" / "old-post.md").unlink()
        (tiny.content / "images" / "old.png").unlink()
        tiny.write("images/diagram.png", PNG + b"diagram")
        tiny.post("second-post", "Now pointing at [the third](/posts/third-post/).",
                  date="2021-02-03T04:05:06Z", summary="Second.")
        tiny.post("third-post", "New. ![diagram](/images/diagram.png)", date="2021-03-03T04:05:06Z",
                  tags=["kubernetes"], summary="Third.")
        self.new = self._build(tiny, root / "new")
        self.changes = diff_trees(self.new, self.old)

    @staticmethod
    def _build(tiny: TinySite, folder: Path) -> Path:
        result = tiny.build(PUBLISH_SETTINGS, SITEURL=BASE_URL, PUBLIC_URL=BASE_URL, FEED_DOMAIN=BASE_URL)
        assert result.ok, "\n".join(result.problems)
        shutil.move(result.output, folder)
        return folder


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Sites:
    built = Sites(tmp_path_factory.mktemp("sites"))
    # The change really has new, changed and deleted files of every kind the order is about.
    phases = dict(upload_phases(built.changes))
    assert {"new assets", "new pages", "new feeds, sitemap and robots.txt", "changed pages",
            "changed feeds, sitemap and robots.txt"} <= set(phases)
    assert "posts/old-post/index.html" in built.changes.deleted
    return built


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def broken_reachable_links(live: dict[str, bytes], seeds) -> list[str]:
    """Links that a reader can follow from the pages already known (``seeds``) to a missing file.

    Pages that are live but not linked from anything reachable (a new post whose
    index page is not updated yet) are not visited: no reader finds them.
    """
    files = set(live)
    folders = {""} | {path.rsplit("/", 1)[0] for path in files if "/" in path}
    folders |= {folder.rsplit("/", i)[0] for folder in list(folders) for i in range(folder.count("/") + 1)}
    site, resolver = Site("", files, folders), Resolver(BASE_URL)
    todo = sorted(path for path in seeds if path in files)
    seen, broken = set(todo), []
    while todo:
        page = todo.pop()
        if file_type(page) is None:
            continue
        for link in collect_bytes(page, live[page], positions=False).links:
            resolved = resolver.resolve(page, link.url, link.base)
            if resolved.kind != INTERNAL:
                continue
            found, why = site.lookup(resolved.path)
            if found is None:
                broken.append(f"{page} -> {link.url}: {why}")
            elif found not in seen:
                seen.add(found)
                todo.append(found)
    return sorted(broken)


def check_live(live: dict[str, bytes], sites: Sites, where: str) -> None:
    """The live files are old or new versions only, deletions come last, and no reachable link breaks."""
    old, new = files_of(sites.old), files_of(sites.new)
    for path, data in live.items():
        assert data in (old.get(path), new.get(path)), f"{where}: {path} is neither the old nor the new file"
    if any(path not in live for path in sites.changes.deleted):
        assert all(live.get(path) == data for path, data in new.items()), \
            f"{where}: something was deleted before every new file was up"
    assert broken_reachable_links(live, staying(sites)) == [], where


def staying(sites: Sites) -> set[str]:
    """Where readers start: every path of the live site that the new one keeps. (A page that is
    being deleted may lose what it links to a moment before it goes itself: deletions are the last
    step, and no kept page links to it by then.)"""
    return set(files_of(sites.old)) & set(files_of(sites.new))


def test_the_link_walk_sees_a_page_that_went_up_too_early(sites):
    live = files_of(sites.old)
    assert broken_reachable_links(live, live) == []
    assert broken_reachable_links(files_of(sites.new), files_of(sites.new)) == []
    # The new index before the new post it links to: a reader following it gets a 404.
    live["index.html"] = (sites.new / "index.html").read_bytes()
    assert any("third-post" in problem for problem in broken_reachable_links(live, staying(sites)))


# Killed deploys (SIGKILL to the whole process group, rsync included) -------------------------------

def deploy_and_kill(target: str, site: Path, dest: str, trigger: str, delay: float, settings=None) -> bool:
    """Start a deploy; ``delay`` seconds after it logs a line starting with ``trigger``,
    SIGKILL it and its children. True when it was still running then."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, target, str(site), dest, json.dumps(settings or {})],
                             cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             start_new_session=True)
    try:
        for line in child.stdout:
            if line.startswith(trigger):
                break
        else:
            return False
        time.sleep(delay)
        running = child.poll() is None
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return running
    finally:
        child.stdout.close()
        child.wait()


def timed_deploy(target: str, site: Path, dest: str, settings=None) -> float:
    """Seconds a whole deploy takes in a child process, from "ready" to "done"."""
    child = subprocess.run([sys.executable, "-c", CHILD, target, str(site), dest, json.dumps(settings or {})],
                           cwd=ROOT,
                           capture_output=True, text=True, check=True)
    lines = child.stdout.splitlines()
    return float(lines[-1].split()[1]) - float(lines[0].split()[1])


def padded(site: Path, folder: Path) -> Path:
    """A copy of ``site`` with 300 more static files, so that the copy takes long enough to be
    killed in the middle of it."""
    shutil.copytree(site, folder)
    bulk = folder / "images" / "bulk"
    bulk.mkdir(parents=True)
    for number in range(300):
        (bulk / f"{number:03}.png").write_bytes(PNG + bytes([number % 256]) * 4000)
    return folder


def test_a_killed_local_deploy_leaves_the_whole_old_or_the_whole_new_site(sites, tmp_path):
    old, new = padded(sites.old, tmp_path / "old"), padded(sites.new, tmp_path / "new")
    old_digest, new_digest = tree_digest(old), tree_digest(new)
    www = tmp_path / "www"
    dest = www / "public"
    shutil.copytree(old, dest)
    duration = timed_deploy("local", new, str(dest))
    rng = random.Random(14)
    outcomes = []
    for trial in range(12):
        shutil.rmtree(www)
        shutil.copytree(old, dest)
        deploy_and_kill("local", new, str(dest), "ready", rng.uniform(0, 1.5 * duration))
        state = tree_digest(dest)
        assert state in (old_digest, new_digest), f"trial {trial}: the live folder is a mix"
        left = sorted(p.name for p in www.iterdir() if p.name != "public")
        outcomes.append(("new" if state == new_digest else "old", bool(left)))
        # Running it again completes it and removes what the killed deploy left beside it.
        local.deploy(new, {}, dest=str(dest), root=tmp_path, **QUIET)
        assert tree_digest(dest) == new_digest
        assert [p.name for p in www.iterdir()] == ["public"], f"trial {trial}: {left} left behind"
    # The seeded moments fell before, inside and after the swap: not all at one end.
    assert {"old", "new"} <= {state for state, _ in outcomes}, outcomes
    assert any(left for _, left in outcomes), outcomes


RSYNC_TEMP = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9]{6}$")


def rsync_live(dest: Path, sites: Sites) -> dict[str, bytes]:
    """The files a web server would serve from ``dest``, without rsync's temporary files
    (``.name.XXXXXX``, left by a killed rsync and deleted by the next run)."""
    live = {}
    for path, data in files_of(dest).items():
        folder, _, name = path.rpartition("/")
        temp = RSYNC_TEMP.match(name)
        if temp and (sites.new / folder / temp["name"]).is_file():
            continue
        live[path] = data
    return live


@pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed (apt-get install rsync)")
def test_a_killed_rsync_deploy_never_breaks_a_link_and_the_next_run_completes_it(sites, tmp_path):
    dest = tmp_path / "www"
    new_digest = tree_digest(sites.new)
    shutil.copytree(sites.old, dest)
    # Slowed down so that a kill at a random moment lands inside a transfer, not between runs.
    slow = {"PUBLISH_RSYNC_OPTIONS": ["--no-compress", "--bwlimit=400"]}
    duration = timed_deploy("rsync", sites.new, f"{dest}/", slow)
    steps = len(upload_phases(sites.changes)) + 1
    # At a moment anywhere in the deploy, then at a moment inside each of its passes.
    triggers = [("ready", duration)] * 8 + [(f"rsync pass {number}/{steps}", 0.05)
                                            for number in range(1, steps + 1) for _ in range(2)]
    rng = random.Random(14)
    states = set()
    for trial, (trigger, within) in enumerate(triggers):
        shutil.rmtree(dest)
        shutil.copytree(sites.old, dest)
        deploy_and_kill("rsync", sites.new, f"{dest}/", trigger, rng.uniform(0, within), slow)
        live = rsync_live(dest, sites)
        check_live(live, sites, f"trial {trial} (killed after '{trigger}')")
        states.add(frozenset(live.items()))
        rsync.deploy(sites.new, {}, dest=f"{dest}/", **QUIET)
        assert tree_digest(dest) == new_digest, f"trial {trial}: the second run did not complete it"
    assert len(states) >= 4, "the kills did not land at different points of the deploy"


@pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed (apt-get install rsync)")
def test_rsync_dry_run_lists_the_plan_and_touches_nothing(sites, tmp_path):
    dest = tmp_path / "www"
    shutil.copytree(sites.old, dest)
    before = tree_digest(dest)
    changes = rsync.deploy(sites.new, {}, dest=f"{dest}/", dry_run=True, **QUIET)
    assert tree_digest(dest) == before
    assert (changes.added, changes.changed, changes.deleted) == \
        (sites.changes.added, sites.changes.changed, sites.changes.deleted)


# An S3 upload failing half way ----------------------------------------------------------------------

@pytest.fixture
def bucket(s3_bucket):
    return s3_bucket



@pytest.fixture
def fault(monkeypatch):
    """``fault["after"] = n``: the connection drops at the n-th PutObject (0-based) and stays down;
    ``fault["delete"] = True``: it drops at the first DeleteObjects."""
    from botocore.exceptions import EndpointConnectionError

    state = {"after": None, "delete": False, "puts": 0}
    real_client = s3_target.client

    def failing_client(service, settings, endpoint_url=None):
        client = real_client(service, settings, endpoint_url)

        def put(**_):
            state["puts"] += 1
            if state["after"] is not None and state["puts"] > state["after"]:
                raise EndpointConnectionError(endpoint_url=endpoint_url)

        def delete(**_):
            if state["delete"]:
                raise EndpointConnectionError(endpoint_url=endpoint_url)

        client.meta.events.register("before-call.s3.PutObject", put)
        client.meta.events.register("before-call.s3.DeleteObjects", delete)
        return client

    monkeypatch.setattr(s3_target, "client", failing_client)
    return state


def bucket_files(client) -> dict[str, bytes]:
    """Every object; the bodies of the files that hold links (others: their ETag, enough to compare)."""
    live = {}
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        key = item["Key"]
        live[key] = (client.get_object(Bucket=BUCKET, Key=key)["Body"].read() if file_type(key)
                     else item["ETag"].strip('"').encode())
    return live


def as_bucket(folder: Path) -> dict[str, bytes]:
    return {path: data if file_type(path) else md5_of(folder / path).encode()
            for path, data in files_of(folder).items()}


def test_an_s3_deploy_failing_half_way_never_breaks_a_link_and_the_next_run_completes_it(
        sites, bucket, moto_url, fault):
    order = [key for _, keys in upload_phases(sites.changes) for key in keys]
    rng = random.Random(14)
    # The first upload of each phase, a moment inside each, and the deletions.
    starts, at = [], 0
    for _, keys in upload_phases(sites.changes):
        starts += [at, at + rng.randrange(len(keys))]
        at += len(keys)
    points = sorted(set(starts)) + ["delete"]
    args = {"dest": BUCKET, "endpoint_url": moto_url, **QUIET}
    new = as_bucket(sites.new)

    for point in points:
        empty_bucket(bucket)
        fault.update(after=None, delete=False)
        s3_target.deploy(sites.old, {}, **args)
        assert bucket_files(bucket) == as_bucket(sites.old)
        fault.update(after=None if point == "delete" else point, delete=point == "delete", puts=0)
        with pytest.raises(RuntimeError, match="S3: Could not connect"):
            s3_target.deploy(sites.new, {}, **args)
        live = bucket_files(bucket)
        uploaded = len(order) if point == "delete" else point
        where = f"failed at upload {point} of {len(order)}"
        assert {k for k in live if live[k] == new.get(k) and live[k] != as_bucket(sites.old).get(k)} \
            == set(order[:uploaded]), where
        check_bucket(live, sites, where)
        fault.update(after=None, delete=False)
        s3_target.deploy(sites.new, {}, **args)
        assert bucket_files(bucket) == new, f"{where}: the second deploy did not complete it"


def test_an_s3_failure_tells_the_author_to_publish_again(blog, bucket, moto_url, fault):
    fault.update(after=3)
    lines = []
    assert publish_tiny(blog, "s3", dest=BUCKET, options={"endpoint_url": moto_url}, lines=lines) == 1
    assert any(line.startswith("error: S3: Could not connect") and "publishing again completes it" in line
               for line in lines), lines
    fault.update(after=None)
    assert publish_tiny(blog, "s3", dest=BUCKET, options={"endpoint_url": moto_url}) == 0


def check_bucket(live: dict[str, bytes], sites: Sites, where: str) -> None:
    old, new = as_bucket(sites.old), as_bucket(sites.new)
    for key, data in live.items():
        assert data in (old.get(key), new.get(key)), f"{where}: {key} is neither the old nor the new object"
    if any(key not in live for key in sites.changes.deleted):
        assert all(live.get(key) == data for key, data in new.items()), f"{where}: deleted too early"
    assert broken_reachable_links(live, staying(sites)) == [], where


# The brake on deletions --------------------------------------------------------------------------

def changes(deleted: int, live: int) -> Changes:
    return Changes(deleted=[f"f{i:03}" for i in range(deleted)], unchanged=live - deleted)


@pytest.mark.parametrize(("deleted", "live", "stops"), [
    (10, 12, False),    # a few files are always allowed, even most of a tiny site
    (11, 12, True),
    (40, 1000, False),  # a small share of a large site is allowed (a renamed category)
    (260, 1000, True),
    (300, 300, True),   # --dest pointing at somebody else's folder
    (0, 0, False),
])
def test_the_brake_needs_both_limits_passed(deleted, live, stops):
    if stops:
        with pytest.raises(DeletionBrake) as brake:
            check_deletions(changes(deleted, live), {})
        assert f"delete {deleted} of the {live} file(s)" in brake.value.summary()
    else:
        check_deletions(changes(deleted, live), {})
    check_deletions(changes(deleted, live), {}, force=True)


def test_the_brake_limits_come_from_the_settings():
    check_deletions(changes(50, 100), {"PUBLISH_MAX_DELETIONS": 50})
    with pytest.raises(DeletionBrake):
        check_deletions(changes(11, 1000), {"PUBLISH_MAX_DELETIONS_SHARE": 0})
    with pytest.raises(DeletionBrake):
        check_deletions(changes(3, 10), {"PUBLISH_MAX_DELETIONS": 0})


def publish_settings(tiny: TinySite) -> Path:
    path = tiny.root / "tinypublish.py"
    path.write_text(f"import runpy\nglobals().update((k, v) for k, v in runpy.run_path({str(PUBLISH_SETTINGS)!r})"
                    f".items() if k.isupper())\nPATH = {str(tiny.content)!r}\n")
    return path


def test_dest_pointing_at_a_folder_of_300_other_files_stops_until_forced(tiny_site, tmp_path):
    """The case from the issue, through the command line."""
    with_about_page(tiny_site)
    two_posts(tiny_site)
    other = tmp_path / "photos"
    other.mkdir()
    for number in range(300):
        (other / f"IMG_{number:04}.jpg").write_bytes(b"\xff\xd8" + bytes([number % 256]) * 100)
    before = tree_digest(other)
    command = [sys.executable, "-m", "blogtools.commands.publish", "--target", "local", "--dest", str(other),
               "--skip-external", "-s", str(publish_settings(tiny_site))]
    stopped = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert stopped.returncode == 1, stopped.stdout + stopped.stderr
    assert tree_digest(other) == before
    out = stopped.stdout
    assert "error: this deploy would delete 300 of the 300 file(s) at the target (100%)" in out
    assert "PUBLISH_MAX_DELETIONS = 10" in out and "Nothing was touched" in out
    assert "  - IMG_0000.jpg" in out and "  - IMG_0019.jpg" in out and "  - IMG_0020.jpg" not in out
    assert "  ... and 280 more" in out and "--force" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["content", "photos", "tinypublish.py"])

    forced = subprocess.run(command + ["--force"], cwd=ROOT, capture_output=True, text=True)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert (other / "posts" / "first-post" / "index.html").is_file()
    assert not list(other.glob("IMG_*"))
    assert "Deletion brake overridden by --force: deleted 300 of the 300 file(s)" in forced.stdout


def test_a_build_that_lost_most_posts_does_not_empty_the_live_site(tiny_site, tmp_path):
    with_about_page(tiny_site)
    for number in range(12):
        tiny_site.post(f"post-{number}", f"Post {number}.", tags=[f"tag-{number}"], summary=f"{number}.")
    live = tmp_path / "public"
    assert publish_tiny(tiny_site, "local", dest=live) == 0
    before = tree_digest(live)
    for number in range(1, 12):
        (tiny_site.content / "posts" / f"post-{number}.md").unlink()
    lines = []
    assert publish_tiny(tiny_site, "local", dest=live, dry_run=True, lines=lines) == 0
    assert any(line.startswith("Deletion brake:") and "unless run with --force" in line for line in lines)
    lines.clear()
    assert publish_tiny(tiny_site, "local", dest=live, lines=lines) == 1
    assert tree_digest(live) == before
    assert any(line.startswith("error: this deploy would delete") for line in lines), lines
    assert publish_tiny(tiny_site, "local", dest=live, force=True) == 0
    assert not (live / "posts" / "post-5").exists()


@pytest.fixture
def blog(tiny_site):
    with_about_page(tiny_site)
    two_posts(tiny_site)
    return tiny_site


@pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed (apt-get install rsync)")
def test_the_brake_stops_rsync_before_any_pass(blog, tmp_path):
    dest = tmp_path / "www"
    dest.mkdir()
    for number in range(300):
        (dest / f"other-{number}.txt").write_text(str(number))
    before = tree_digest(dest)
    lines = []
    assert publish_tiny(blog, "rsync", dest=f"{dest}/", lines=lines) == 1
    assert tree_digest(dest) == before
    assert not any(line.startswith("rsync pass") for line in lines)
    assert publish_tiny(blog, "rsync", dest=f"{dest}/", force=True) == 0
    assert not list(dest.glob("other-*"))


def test_the_brake_stops_s3_before_any_upload(blog, bucket, moto_url, fault):
    for number in range(300):
        bucket.put_object(Bucket=BUCKET, Key=f"other/{number}.txt", Body=b"x")
    lines = []
    options = {"endpoint_url": moto_url}
    assert publish_tiny(blog, "s3", dest=BUCKET, options=options, lines=lines) == 1
    assert fault["puts"] == 0
    assert len(bucket.list_objects_v2(Bucket=BUCKET)["Contents"]) == 300
    assert any("delete 300 of the 300" in line for line in lines), lines
    assert publish_tiny(blog, "s3", dest=BUCKET, options=options, force=True) == 0
    assert not any(o["Key"].startswith("other/") for o in bucket.list_objects_v2(Bucket=BUCKET)["Contents"])


def git(repo, *args) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def test_the_brake_stops_ghpages_before_the_commit(blog, tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test Author")
    git(repo, "config", "user.email", "author@example.org")
    other = tmp_path / "other"
    other.mkdir()
    for number in range(300):
        (other / f"{number}.txt").write_text(str(number))
    subprocess.run([sys.executable, "-m", "ghp_import", "-n", "-b", "gh-pages", str(other)], cwd=repo, check=True)
    head = git(repo, "rev-parse", "gh-pages")
    settings = {"PUBLISH_GHPAGES_REPO": str(repo), "PUBLISH_GHPAGES_PUSH": False}
    lines = []
    assert publish_tiny(blog, "ghpages", settings=settings, lines=lines) == 1
    assert git(repo, "rev-parse", "gh-pages") == head
    assert any("Nothing was touched" in line for line in lines), lines
    assert publish_tiny(blog, "ghpages", settings=settings, force=True) == 0
    assert git(repo, "rev-parse", "gh-pages") != head


def test_invoke_publish_passes_force(monkeypatch):
    import tasks
    from blogtools.commands import publish as publish_command

    seen = []
    monkeypatch.setattr(publish_command, "main", lambda argv: seen.append(argv) or 0)
    tasks.publish(invoke.Context(), target="local", force=True)
    tasks.publish(invoke.Context(), target="local")
    assert "--force" in seen[0] and "--force" not in seen[1]
