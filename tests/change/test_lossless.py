"""Property: for any formatting of a manifest, a bump changes exactly the version literal's bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import versync

KEYS = st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True).filter(
    lambda k: k not in {"name", "version", "dynamic"}
)
COMMENTS = st.sampled_from(["", "  # note", " #", "\t# \"quoted\" 'x' = [1]"])
SPACES = st.sampled_from(["", " ", "  ", "\t"])
NEWLINES = st.sampled_from(["\n", "\r\n"])
SCALARS = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.sampled_from(
        [
            "true",
            "false",
            "1.5",
            "1979-05-27",
            "0x1f",
            "inf",
            "'lit'",
            '"a#b"',
            '""',
            "'''x\n'y'\n'''",
        ]
    ),
    st.lists(st.sampled_from(['"a"', "1", "'b'", "[]"]), max_size=3).map(
        lambda items: "[" + ", ".join(items) + "]"
    ),
    st.sampled_from(['{ a = 1, b = "x" }', "{}"]),
)
VERSIONS = st.from_regex(
    r"[0-9]{1,3}\.[0-9]{1,3}(\.[0-9]{1,3})?((a|b|rc)[0-9]{1,2})?", fullmatch=True
)


@st.composite
def manifests(draw: st.DrawFn) -> tuple[str, str, str]:
    """A pyproject.toml (as text before and after the bump) and the new version."""
    newline = draw(NEWLINES)
    old, new = draw(VERSIONS), draw(VERSIONS)
    quote = draw(st.sampled_from(['"', "'"]))

    def entry(key: str, value: str) -> str:
        return f"{draw(SPACES)}{key}{draw(SPACES)}={draw(SPACES)}{value}{draw(COMMENTS)}{newline}"

    others = draw(st.lists(st.tuples(KEYS, SCALARS), max_size=5, unique_by=lambda kv: kv[0]))
    position = draw(st.integers(0, len(others)))
    project_lines = [entry(k, v) for k, v in others]
    name_line = entry("name", '"pkg"')
    version_key = draw(st.sampled_from(["version", '"version"', "'version'"]))
    before_line = entry(version_key, f"{quote}{old}{quote}")
    after_line = before_line.replace(f"{quote}{old}{quote}", f"{quote}{new}{quote}", 1)
    tables = draw(
        st.lists(
            st.tuples(
                KEYS, st.lists(st.tuples(KEYS, SCALARS), max_size=3, unique_by=lambda kv: kv[0])
            ),
            max_size=3,
            unique_by=lambda t: t[0],
        )
    )
    rendered_tables = [
        f"{newline}[tool.{name}]{draw(COMMENTS)}{newline}" + "".join(entry(k, v) for k, v in items)
        for name, items in tables
    ]
    header = f"{draw(st.sampled_from(['', '# top comment' + newline]))}[{draw(SPACES)}project{draw(SPACES)}]{draw(COMMENTS)}{newline}"
    split = draw(st.integers(0, len(rendered_tables)))

    def render(version_line: str) -> str:
        lines = [*project_lines[:position], version_line, *project_lines[position:]]
        body = header + name_line + "".join(lines)
        return "".join(rendered_tables[:split]) + newline + body + "".join(rendered_tables[split:])

    return render(before_line), render(after_line), new


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifests())
def test_bump_changes_exactly_the_version_literal(case: tuple[str, str, str]) -> None:
    before, after, new = case
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "pyproject.toml").write_bytes(before.encode())
        workspace = versync.scan(root)
        plan = workspace.bump(new, allow_downgrade=True)
        plan.apply()
        assert (root / "pyproject.toml").read_bytes() == after.encode()
        assert versync.scan(root).packages[0].primary is not None
