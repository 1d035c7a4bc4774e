"""Reading inputs: untrusted dumps never crash the reader and never lose the rest of the file."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.fetch.files import MAX_PAGE_BYTES, InputOptions, expand_paths, read_documents, source_from_path
from pipeline.record import RawDocument, Reject
from pipeline.sources import Source
from tests.fetch.memory import run_measured

GOOD = {"url": "https://gulf-times.com/a", "source": "gulf-times", "text": "Title\n\nReuters\n\nBody."}
lines = st.one_of(
    st.binary(max_size=80).filter(lambda b: b"\n" not in b and b"\r" not in b),
    st.builds(lambda d: json.dumps(d).encode(), st.dictionaries(st.sampled_from(["url", "source", "text"]), st.text())),
    st.just(json.dumps(GOOD).encode()),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(lines, max_size=12))
def test_every_dump_line_becomes_a_document_or_a_reject(
    tmp_path_factory: object, sources: dict[str, Source], body: list[bytes]
) -> None:
    folder = tmp_path_factory.mktemp("dump")  # type: ignore[attr-defined]
    dump = folder / "wire.jsonl"
    dump.write_bytes(b"\n".join(body) + b"\n")
    items = list(read_documents([dump], sources, InputOptions()))

    expected = [n for n, line in enumerate(body, start=1) if line.strip()]
    assert [int(item.origin.rsplit(":", 1)[1]) for item in items] == expected
    for item, number in zip(items, expected, strict=True):
        if body[number - 1] == json.dumps(GOOD).encode():
            assert isinstance(item, RawDocument) and item.url == GOOD["url"]
        if isinstance(item, Reject):
            assert item.stage == "read" and f"{dump}:{number}" in item.detail


def test_source_comes_from_the_option_the_file_name_or_the_folder(sources: dict[str, Source], tmp_path: Path) -> None:
    assert source_from_path(Path("peninsula-2022-01-22-x.txt"), sources) == "peninsula"
    assert source_from_path(Path("gulf-times_story.html"), sources) == "gulf-times"
    assert source_from_path(Path("pages/peninsula/story.txt"), sources) == "peninsula"
    assert source_from_path(Path("pages/story.txt"), sources) is None
    story = tmp_path / "story.txt"
    story.write_text("Title\n\nAFP\n\nBody.")
    [without] = read_documents([story], sources, InputOptions())
    [with_option] = read_documents([story], sources, InputOptions(source="gulf-times", url="https://gulf-times.com/s"))
    assert isinstance(without, Reject) and without.reason == "unknown-source" and str(story) in without.detail
    assert isinstance(with_option, RawDocument) and (with_option.source, with_option.url) == (
        "gulf-times",
        "https://gulf-times.com/s",
    )


def test_folders_expand_to_their_inputs_in_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.html.gz", "notes.md", "sub/c.jsonl"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])] == [
        "a.html.gz",
        "b.txt",
        "sub/c.jsonl",
    ]


def gzip_of_zeros(path: Path, gib: int = 1) -> Path:
    """A gzip file of `gib` GiB of zeros (about 1 MB per GiB), written a megabyte at a time."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    zeros = bytes(1 << 20)
    with path.open("wb") as out:
        for _ in range(1024 * gib):
            out.write(compressor.compress(zeros))
        out.write(compressor.flush())
    return path


def test_a_small_html_gz_that_expands_to_a_gib_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    bomb = gzip_of_zeros(tmp_path / "peninsula-bomb.html.gz")
    assert bomb.stat().st_size < 1_100_000
    verdict, peak_kib = run_measured(f"""
        from pathlib import Path
        from pipeline.fetch.files import InputOptions, read_documents
        from pipeline.sources import load_sources
        from pipeline.resources import resource_dir
        sources = load_sources(resource_dir("config") / "sources.toml")
        [item] = read_documents([Path({str(bomb)!r})], sources, InputOptions())
        print(type(item).__name__, item.reason)
    """)
    assert verdict == "Reject decompression-bomb"
    assert peak_kib < 300 * 1024, f"peak RSS {peak_kib // 1024} MiB"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("peninsula-big.html", b"<p>" + b" " * (MAX_PAGE_BYTES + 1), "too-large"),
        ("peninsula-cut.html.gz", gzip.compress(b"<p>" * 1000)[:-20], "unreadable"),
        ("peninsula-not.html.gz", b"<p>not gzip</p>", "unreadable"),
    ],
)
def test_pages_too_large_or_not_whole_are_rejected_with_a_reason(
    sources: dict[str, Source], tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    [item] = read_documents([path], sources, InputOptions())
    assert isinstance(item, Reject) and item.reason == reason and str(path) in item.detail


def test_a_gzipped_page_is_read_whole(sources: dict[str, Source], tmp_path: Path) -> None:
    page = b"<html><body><p>" + "Doha, Qatar — talks resume. ".encode() * 5000 + b"</p></body></html>"
    path = tmp_path / "peninsula-story.html.gz"
    path.write_bytes(gzip.compress(page))
    [item] = read_documents([path], sources, InputOptions())
    assert isinstance(item, RawDocument) and item.payload == page
