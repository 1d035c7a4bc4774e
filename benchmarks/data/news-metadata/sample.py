"""Draw this folder's sample from the full news-metadata set: `python sample.py FULL_SET_FOLDER`.

Kept: every tier-A page whose truth has a title, authors or a body (postlight-parser, mozilla-readability, goose3),
and the 60 pages of each htmldate subset whose file names have the smallest SHA-1, so the draw is the same every time.
Writes `ground-truth.jsonl` (the sampled lines, unchanged) and `html.tar.xz` (the pages, uncompressed, named as in
`file` without `html/` and `.gz`).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PER_DATE_SUBSET = 60


def sample(records: list[dict[str, object]]) -> list[dict[str, object]]:
    """The records kept, in the full set's order."""
    tier_a = [record for record in records if record["tier"] == "A"]
    kept = {str(record["file"]) for record in tier_a if not str(record["subset"]).startswith("htmldate")}
    for subset in sorted({str(record["subset"]) for record in tier_a if str(record["subset"]).startswith("htmldate")}):
        files = sorted((str(r["file"]) for r in tier_a if r["subset"] == subset), key=_digest)
        kept |= set(files[:PER_DATE_SUBSET])
    return [record for record in records if record["file"] in kept]


def _digest(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()


def main(full: Path) -> None:
    """Write the sample of the set in `full` next to this file."""
    lines = [line for line in (full / "ground-truth.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    kept = sample([json.loads(line) for line in lines])
    (HERE / "ground-truth.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept), "utf-8")
    with tarfile.open(HERE / "html.tar.xz", "w:xz") as archive:
        for record in kept:
            html = gzip.decompress((full / str(record["file"])).read_bytes())
            info = tarfile.TarInfo(str(record["file"]).removeprefix("html/").removesuffix(".gz"))
            info.size = len(html)
            archive.addfile(info, io.BytesIO(html))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
