"""Index queries against a real loopback HTTP server: PEP 691 / PEP 700 and the Cargo sparse
index, 404s, failures, slow and garbage answers, concurrency."""

from __future__ import annotations

import socket
import time

import pytest

from tests.indexserver import Answer, Index, index
from versync._fs.index import (
    PEP691_JSON,
    IndexUnavailable,
    Query,
    published_versions,
    sparse_path,
)
from versync.errors import UsageError

__all__ = ["index"]  # the fixture


@pytest.mark.parametrize(
    ("crate", "path"),
    [
        pytest.param("a", "1/a", id="one"),
        pytest.param("ab", "2/ab", id="two"),
        pytest.param("abc", "3/a/abc", id="three"),
        pytest.param("Serde", "se/rd/serde", id="four-plus-lowercased"),
        pytest.param("lillux-proc", "li/ll/lillux-proc", id="hyphen"),
        pytest.param("abcd", "ab/cd/abcd", id="exactly-four"),
    ],
)
def test_sparse_prefixes(crate: str, path: str) -> None:
    assert sparse_path(crate) == path


def test_pep691_query_normalises_the_name_and_asks_for_json(index: Index) -> None:
    index.project("ryeos-core", versions=["0.1.0", "0.1.1"])
    query = Query("pep691", index.simple, "Ryeos_Core")
    assert published_versions([query]) == {query: {"0.1.0", "0.1.1"}}
    assert index.requests == [("/simple/ryeos-core/", PEP691_JSON)]


def test_pep691_without_versions_reads_the_file_names(index: Index) -> None:
    index.project(
        "lillux-proc",
        files=[
            "lillux_proc-0.1.1-py3-none-manylinux_2_17_x86_64.whl",
            "lillux_proc-0.1.2-py3-none-win_amd64.whl",
            "lillux-proc-0.1.0.tar.gz",
            "lillux_proc-0.0.9.zip",
            "README",
        ],
    )
    query = Query("pep691", index.simple, "lillux-proc")
    assert published_versions([query])[query] == {"0.1.1", "0.1.2", "0.1.0", "0.0.9"}


@pytest.mark.parametrize(
    "prefix", [pytest.param("", id="plain"), pytest.param("sparse+", id="cargo-config-form")]
)
def test_sparse_query(index: Index, prefix: str) -> None:
    index.crate("li/ll/lillux-watch", ["0.1.0", "0.1.1"])
    query = Query("sparse", prefix + index.sparse, "lillux-watch")
    assert published_versions([query]) == {query: {"0.1.0", "0.1.1"}}


def test_404_means_not_published(index: Index) -> None:
    queries = [Query("pep691", index.simple, "new-one"), Query("sparse", index.sparse, "fresh")]
    assert published_versions(queries) == dict.fromkeys(queries)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        pytest.param(Answer(status=500, body=b"oops"), "HTTP 500 Internal Server Error", id="500"),
        pytest.param(Answer(status=503, body=b""), "HTTP 503 Service Unavailable", id="503"),
        pytest.param(
            Answer(body=b"<html>garbage"), "malformed answer: not PEP 691 JSON", id="garbage"
        ),
        pytest.param(
            Answer(body=b"<html></html>", content_type="text/html"),
            "answered HTML: the index does not speak PEP 691 JSON",
            id="html-index",
        ),
        pytest.param(
            Answer(body=b"[1, 2]"),
            "malformed answer: not a PEP 691 project page",
            id="not-an-object",
        ),
        pytest.param(
            Answer(body=b'{"name": "x"}'),
            "malformed answer: no versions and no files",
            id="no-files",
        ),
        pytest.param(Answer(body=b"\xff\xfe"), "malformed answer: not PEP 691 JSON", id="not-utf8"),
    ],
)
def test_pep691_failures_name_the_url_and_the_reason(
    index: Index, answer: Answer, reason: str
) -> None:
    index.answers["/simple/broken/"] = answer
    with pytest.raises(IndexUnavailable) as caught:
        published_versions([Query("pep691", index.simple, "broken")])
    assert str(caught.value) == f"{index.simple}broken/: {reason}"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(
            b'{"vers": "1.0.0"}\nnot json\n',
            "malformed answer: line 2 is not JSON",
            id="garbage-line",
        ),
        pytest.param(b'{"name": "abc"}\n', "malformed answer: line 1 has no vers", id="no-vers"),
        pytest.param(b"\xff", "malformed answer: not UTF-8", id="not-utf8"),
    ],
)
def test_sparse_garbage(index: Index, body: bytes, reason: str) -> None:
    index.answers["/crates/3/a/abc"] = Answer(body=body, content_type="text/plain")
    with pytest.raises(IndexUnavailable) as caught:
        published_versions([Query("sparse", index.sparse, "abc")])
    assert caught.value.reason == reason
    assert caught.value.url == f"{index.sparse}3/a/abc"


def test_slow_answer_times_out(index: Index) -> None:
    index.answers["/simple/slow/"] = Answer(body=b'{"versions": []}', delay=1.0)
    started = time.monotonic()
    with pytest.raises(IndexUnavailable) as caught:
        published_versions([Query("pep691", index.simple, "slow")], timeout=0.2)
    assert time.monotonic() - started < 0.9
    assert caught.value.url == f"{index.simple}slow/"
    assert caught.value.reason == "no answer within 0.2 s"


def test_unreachable_index() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/simple/"
    with pytest.raises(IndexUnavailable) as caught:
        published_versions([Query("pep691", url, "anything")], timeout=2)
    assert caught.value.url == f"{url}anything/"
    assert caught.value.reason.startswith("unreachable (")


def test_queries_run_concurrently(index: Index) -> None:
    names = [f"pkg{n}" for n in range(6)]
    for name in names:
        index.answers[f"/simple/{name}/"] = Answer(body=b'{"versions": ["1.0"]}', delay=0.3)
    queries = [Query("pep691", index.simple, name) for name in names]
    started = time.monotonic()
    answers = published_versions(queries)
    assert time.monotonic() - started < 1.2  # one after another would take 1.8 s
    assert answers == {query: {"1.0"} for query in queries}


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("notaurl", id="no-scheme"),
        pytest.param("http://[::1", id="bad-ipv6"),
        pytest.param("file:///etc/", id="file"),
        pytest.param("https://", id="no-host"),
        pytest.param("ftp://example.org/simple/", id="ftp"),
    ],
)
def test_only_http_addresses_are_indexes(url: str) -> None:
    with pytest.raises(UsageError, match="not an index address"):
        published_versions([Query("pep691", url, "anything")])
