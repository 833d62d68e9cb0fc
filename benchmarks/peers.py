"""The peer tools, configured to rewrite every pyproject.toml, Cargo.toml and bundle.py version
of a generated monorepo (none of them knows about Cargo.lock or the internal pins)."""

from __future__ import annotations

from pathlib import Path

PINNED = ("bumpver==2026.1132", "tbump==6.11.0", "bump-my-version==1.8.1")

# (file glob, the text around the version) for every version of a generated monorepo
TARGETS = (
    ("packages/*/pyproject.toml", 'version = "{v}"'),
    ("packages/*/Cargo.toml", 'version = "{v}"'),
    ("packages/*/*/bundle.py", '"version": "{v}"'),
)


def bumpver_config() -> str:
    patterns = "".join(f"\"{glob}\" = ['{text.format(v='{version}')}']\n" for glob, text in TARGETS)
    return (
        '[bumpver]\ncurrent_version = "0.1.1"\nversion_pattern = "MAJOR.MINOR.PATCH"\n'
        "commit = false\ntag = false\npush = false\n\n[bumpver.file_patterns]\n"
        '"bumpver.toml" = [\'current_version = "{version}"\']\n' + patterns
    )


def tbump_config() -> str:
    files = "".join(
        f"\n[[file]]\nsrc = \"{glob}\"\nsearch = '{text.format(v='{current_version}')}'\n"
        for glob, text in TARGETS
    )
    return (
        '[version]\ncurrent = "0.1.1"\n'
        "regex = '''(?P<major>\\d+)\\.(?P<minor>\\d+)\\.(?P<patch>\\d+)'''\n\n"
        '[git]\nmessage_template = "Bump to {new_version}"\ntag_template = "v{new_version}"\n'
        + files
    )


def bump_my_version_config() -> str:
    files = "".join(
        f'\n[[tool.bumpversion.files]]\nglob = "{glob}"\n'
        f"search = '{text.format(v='{current_version}')}'\n"
        f"replace = '{text.format(v='{new_version}')}'\n"
        for glob, text in TARGETS
    )
    return (
        '[tool.bumpversion]\ncurrent_version = "0.1.1"\ncommit = false\ntag = false\n'
        "allow_dirty = true\n" + files
    )


def write_configs(root: Path) -> None:
    (root / "bumpver.toml").write_text(bumpver_config())
    (root / "tbump.toml").write_text(tbump_config())
    (root / ".bumpversion.toml").write_text(bump_my_version_config())


def commands(bin_dir: Path, version: str) -> dict[str, list[str]]:
    """The bump commands: no commit, no tag, no network, no questions."""
    return {
        "bumpver": [str(bin_dir / "bumpver"), "update", "--no-fetch", "--set-version", version],
        "tbump": [str(bin_dir / "tbump"), "--only-patch", "--non-interactive", version],
        "bump-my-version": [str(bin_dir / "bump-my-version"), "bump", "--new-version", version],
    }


def tbump_dry_run(bin_dir: Path, version: str) -> list[str]:
    return [str(bin_dir / "tbump"), "--dry-run", "--only-patch", "--non-interactive", version]
