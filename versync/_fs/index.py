"""Asking package indexes which versions they hold: the PEP 691 JSON simple API for Python
packages, the Cargo sparse index protocol for crates. Standard library HTTP only, requests in
a thread pool, each with a timeout. Only `check --published` imports this module.

An answer the caller cannot trust (no connection, a timeout, a 5xx, a body that is not what
the protocol says) raises `IndexUnavailable`, never a guess: a false "not published" would be
worse than no answer. A 404 means the index does not know the project (not published yet).
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Literal, NamedTuple

from versync.errors import UsageError, VersyncError

PYPI_SIMPLE = "https://pypi.org/simple/"
CRATES_SPARSE = "https://index.crates.io/"
PEP691_JSON = "application/vnd.pypi.simple.v1+json"
Protocol = Literal["pep691", "sparse"]

_SEPARATORS = re.compile(r"[-_.]+")
_ARCHIVES = (".tar.gz", ".tar.bz2", ".tar.xz", ".zip", ".tgz", ".tar", ".egg")


class IndexUnavailable(VersyncError):
    """An index answer that cannot be trusted; the message names the URL and the reason."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class Query(NamedTuple):
    """One project to look up: by which protocol, on which index, under which name."""

    protocol: Protocol
    base: str  # the index's address
    name: str

    @property
    def url(self) -> str:
        """The address the protocol reads the project's versions from."""
        base = self.base.removeprefix("sparse+")  # as cargo's configuration writes it
        base = base if base.endswith("/") else base + "/"
        if self.protocol == "pep691":
            return f"{base}{_SEPARATORS.sub('-', self.name).lower()}/"
        return base + sparse_path(self.name)


def sparse_path(crate: str) -> str:
    """The path of a crate's file in a Cargo sparse index: `1/a`, `2/ab`, `3/a/abc`,
    `ab/cd/abcd...`, lower-cased."""
    name = crate.lower()
    if len(name) <= 2:
        return f"{len(name)}/{name}"
    if len(name) == 3:
        return f"3/{name[0]}/{name}"
    return f"{name[:2]}/{name[2:4]}/{name}"


def published_versions(
    queries: Sequence[Query], *, timeout: float = 10.0, workers: int = 8
) -> dict[Query, set[str] | None]:
    """Every query's versions on its index (None when the index does not know the project),
    fetched concurrently. Raises `IndexUnavailable` for the first answer that cannot be
    trusted, in query order."""
    if not queries:
        return {}
    for base in dict.fromkeys(query.base for query in queries):
        check_index_url(base)
    with ThreadPoolExecutor(max_workers=min(workers, len(queries))) as pool:
        answers = list(pool.map(lambda q: _versions(q, timeout), queries))
    return dict(zip(queries, answers, strict=True))


def check_index_url(url: str) -> None:
    """`UsageError` unless `url` is an http(s) address with a host: an index is asked over
    HTTP, never through the file system."""
    try:
        parts = urllib.parse.urlsplit(url.removeprefix("sparse+"))
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid:
        raise UsageError(f"{url}: not an index address (an http:// or https:// URL)")


def _versions(query: Query, timeout: float) -> set[str] | None:
    url = query.url
    accept = PEP691_JSON if query.protocol == "pep691" else "text/plain, */*"
    answer = fetch(url, accept, timeout)
    if answer is None:
        return None
    body, content_type = answer
    if query.protocol == "pep691":
        if content_type.startswith("text/html"):
            raise IndexUnavailable(url, "answered HTML: the index does not speak PEP 691 JSON")
        return pep691_versions(url, body)
    return sparse_versions(url, body)


def fetch(url: str, accept: str, timeout: float) -> tuple[bytes, str] | None:
    """The body at `url` and its content type, None for a 404 (or 410); `IndexUnavailable`
    for anything else that is not a 200."""
    request = urllib.request.Request(
        url, headers={"Accept": accept, "User-Agent": "versync (check --published)"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read()
            return data, response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code in (404, 410):
            return None
        raise IndexUnavailable(url, f"HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise IndexUnavailable(url, f"no answer within {timeout:g} s") from exc
        raise IndexUnavailable(url, f"unreachable ({_reason(exc.reason)})") from exc
    except TimeoutError as exc:
        raise IndexUnavailable(url, f"no answer within {timeout:g} s") from exc
    except (OSError, ValueError, http.client.HTTPException) as exc:  # reset, bad URL or answer
        raise IndexUnavailable(url, _reason(exc)) from exc


def _reason(reason: object) -> str:
    return str(reason) or type(reason).__name__


def pep691_versions(url: str, body: bytes) -> set[str]:
    """The versions of a PEP 691 project page: its PEP 700 `versions`, else the versions in
    its file names."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise IndexUnavailable(url, "malformed answer: not PEP 691 JSON") from exc
    if not isinstance(document, dict):
        raise IndexUnavailable(url, "malformed answer: not a PEP 691 project page")
    versions = document.get("versions")
    if isinstance(versions, list) and all(isinstance(v, str) for v in versions):
        return set(versions)
    files = document.get("files")
    if not isinstance(files, list) or not all(
        isinstance(f, dict) and isinstance(f.get("filename"), str) for f in files
    ):
        raise IndexUnavailable(url, "malformed answer: no versions and no files")
    return {v for f in files if (v := _file_version(f["filename"])) is not None}


def _file_version(filename: str) -> str | None:
    """The version in a wheel's or an sdist's file name."""
    if filename.endswith(".whl"):
        parts = filename[:-4].split("-")
        return parts[1] if len(parts) >= 5 else None
    for suffix in _ARCHIVES:
        if filename.endswith(suffix):
            stem = filename[: -len(suffix)]
            return stem.rpartition("-")[2] if "-" in stem else None
    return None


def sparse_versions(url: str, body: bytes) -> set[str]:
    """The `vers` of every line of a sparse index file."""
    versions: set[str] = set()
    try:
        lines = body.decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise IndexUnavailable(url, "malformed answer: not UTF-8") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError as exc:
            raise IndexUnavailable(url, f"malformed answer: line {number} is not JSON") from exc
        if not isinstance(entry, dict) or not isinstance(entry.get("vers"), str):
            raise IndexUnavailable(url, f"malformed answer: line {number} has no vers")
        versions.add(entry["vers"])
    return versions
