"""The live preview serves the built site and nothing else, to this machine only.

A request that climbs out of the output folder (``..``, percent-encoded, double-encoded, with
backslashes) never reads a file outside it; the server listens on ``BIND`` (127.0.0.1) only, so
the machine's other addresses refuse the connection. Only this machine is contacted.
"""

from __future__ import annotations

import contextlib
import fcntl
import http.client
import socket
import struct

import pytest

from blogtools.commands.preview import Preview
from blogtools.commands.settings import load_settings
from tests.conftest import PUBLISH_SETTINGS, SETTINGS

MARKER = "outside-the-output-folder-7f3a"
TRAVERSALS = [
    "/../secret.txt",
    "/../../secret.txt",
    "/../../etc/passwd",
    "/../../../../../../etc/passwd",
    "/posts/../../secret.txt",
    "../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/%2E%2E/etc/passwd",
    "/%2e%2e%2fsecret.txt",
    "/posts/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/%252e%252e/secret.txt",
    "/%252e%252e%252fsecret.txt",
    "/..\\secret.txt",
    "/%2e%2e%5csecret.txt",
    "/%2e%2e%255csecret.txt",
    "/..%00/secret.txt",
    "//etc/passwd",
    "/etc/passwd",
    "http://127.0.0.1/../secret.txt",
]


@pytest.fixture
def preview(tiny_site):
    tiny_site.post("a", "Hello.")
    (tiny_site.root / "secret.txt").write_text(MARKER + "\n")
    server = Preview(SETTINGS, tiny_site.output, [tiny_site.content], host=load_settings(SETTINGS)["BIND"],
                     port=0, overrides={"PATH": str(tiny_site.content),
                                        "CACHE_PATH": str(tiny_site.root / "cache"),
                                        "SOURCEMAP_PATH": str(tiny_site.root / "sources.json")},
                     interval=0.1, log=lambda line: None)
    server.start()
    assert server.ok, server.problems
    yield server
    server.stop()


def fetch(port: int, target: str) -> tuple[int, str]:
    """GET ``target`` exactly as written: http.client does not normalise the path."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


def test_the_preview_serves_the_site(preview):
    status, body = fetch(preview.port, "/posts/a/")
    assert status == 200 and "Hello." in body


@pytest.mark.parametrize("target", TRAVERSALS)
def test_the_preview_refuses_to_climb_out_of_the_output_folder(preview, target):
    status, body = fetch(preview.port, target)
    assert status in (400, 404), (status, body[:200])
    assert MARKER not in body
    assert "root:x:0:0" not in body


def interface_addresses() -> set[str]:
    """This machine's IPv4 addresses, one per network interface (Linux; no name lookup)."""
    addresses = set()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for _, name in socket.if_nameindex():
            request = struct.pack("256s", name.encode()[:15])
            with contextlib.suppress(OSError):  # an interface without an IPv4 address
                answer = fcntl.ioctl(probe.fileno(), 0x8915, request)  # SIOCGIFADDR
                addresses.add(socket.inet_ntoa(answer[20:24]))
    return addresses


def test_the_settings_bind_the_preview_to_this_machine_only():
    assert load_settings(SETTINGS)["BIND"] == "127.0.0.1"
    assert load_settings(PUBLISH_SETTINGS)["BIND"] == "127.0.0.1"


def test_the_preview_listens_on_127_0_0_1_only(preview):
    assert preview.server.server_address == ("127.0.0.1", preview.port)
    assert preview.server.socket.family == socket.AF_INET
    with socket.create_connection(("127.0.0.1", preview.port), timeout=5):
        pass  # the port is open on the loopback address...
    others = (interface_addresses() | {"127.0.0.2", "127.1.2.3"}) - {"127.0.0.1"}
    assert "127.0.0.2" in others
    for address in sorted(others):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            with pytest.raises(ConnectionRefusedError):  # ...and on no other address of this machine
                sock.connect((address, preview.port))
    if socket.has_ipv6:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            with pytest.raises(OSError):  # refused, or no IPv6 loopback at all
                sock.connect(("::1", preview.port))
