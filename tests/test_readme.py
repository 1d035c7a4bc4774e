"""The README stays a five-minute read that starts with the two commands, and no link in it or in docs/ is dead."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]

_FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"!?\[[^\]\n]*\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_SHELL = {"sh", "bash", "shell", "console"}


def commands(markdown: str) -> list[str]:
    """The commands of the fenced code blocks, in order: every line of a shell block, `$ ` lines of the others."""
    found = []
    for block in _FENCE.finditer(markdown):
        shell = block["info"].strip() in _SHELL
        for line in block["body"].splitlines():
            if line.startswith("$ "):
                line = line[2:]
            elif not shell:
                continue
            command = line.split(" #", 1)[0].strip()
            if command and not command.startswith("#"):
                found.append(command)
    return found


def links(markdown: str) -> list[str]:
    """Targets of the Markdown links outside code."""
    prose = _INLINE_CODE.sub("", _FENCE.sub("", markdown))
    return [match["target"] for match in _LINK.finditer(prose)]


def anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings of a page."""
    headings = re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", _FENCE.sub("", markdown), re.MULTILINE)
    slugs = set()
    for heading in headings:
        text = _INLINE_CODE.sub(lambda code: code[0].strip("`"), heading).lower()
        slugs.add(re.sub(r"[^\w\- ]", "", text).replace(" ", "-"))
    return slugs


def test_readme_is_a_five_minute_read() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150, f"README.md has {len(lines)} lines; move the detail to docs/"


def test_readme_starts_with_the_test_and_demo_commands() -> None:
    first_two = commands(README.read_text(encoding="utf-8"))[:2]
    assert sorted(first_two) == ["make demo", "make test"], first_two


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_relative_links_resolve(page: Path) -> None:
    markdown = page.read_text(encoding="utf-8")
    for target in links(markdown):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):
            continue  # http(s), mailto: not checked here
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name}: {target} points to nothing"
        if anchor:
            assert linked.suffix == ".md", f"{page.name}: {target}: anchors are checked in Markdown pages only"
            assert anchor in anchors(linked.read_text(encoding="utf-8")), f"{page.name}: {target}: no such heading"


def test_the_checks_catch_what_they_are_for() -> None:
    page = "```sh\nmake test   # run the tests\n$ make demo\n```\n\n```\n$ psql x\n```\n[a](b.md#c) `[not](a link)`\n"
    assert commands(page) == ["make test", "make demo", "psql x"]
    assert links(page) == ["b.md#c"]
    assert anchors("# The `wiredesk` warehouse, and querying it\n") == {"the-wiredesk-warehouse-and-querying-it"}
