"""The nights' report: one self-contained HTML page of what arrived, what was rejected, and the biggest stories.

The charts are Plotly's, with plotly.js inlined once, so the page opens anywhere, offline, from a file or a mail.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

import plotly.graph_objects as go
import sqlalchemy as sa
from plotly.offline import get_plotlyjs

from pipeline.load.report import Nights, QuietSource, StoryCopy, read_nights

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin-bottom: 1rem; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
.canonical { font-weight: bold; } .empty { color: #777; } .quiet td { color: #a40000; }
"""


def write_report(engine: sa.Engine, path: Path, nights: int = 14, *, until: datetime | None = None) -> Path:
    """Write the report of the `nights` nights before `until` (default now) to `path`, one self-contained HTML
    page, and return the path."""
    end = until or datetime.now(UTC)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(read_nights(engine, end - timedelta(days=nights), end)), encoding="utf-8")
    return path


def render(nights: Nights) -> str:
    """The report as one HTML document."""
    span = f"{nights.since:%Y-%m-%d %H:%M} to {nights.until:%Y-%m-%d %H:%M} UTC"
    articles = sum(count.articles for count in nights.counts)
    copies = sum(count.copies for count in nights.counts)
    share = f"{copies / articles:.0%}" if articles else "none"
    sections = [
        f"<h1>wiredesk: the nights from {escape(span)}</h1>",
        f"<p>{articles} article(s) arrived, {copies} of them copies of a story another outlet ran too ({share}); "
        f"{sum(reject.rejects for reject in nights.rejects)} input(s) rejected.</p>",
        "<h2>Outlets that went quiet</h2>",
        _quiet(nights.quiet),
        "<h2>Articles per outlet per night</h2>",
        _chart(_arrivals(nights), "arrivals"),
        "<h2>Share of copies per night</h2>",
        _chart(_copy_share(nights), "copy-share"),
        "<h2>Rejects by reason</h2>",
        _chart(_rejects(nights), "rejects") + _reject_table(nights),
        "<h2>The biggest stories and their copies</h2>",
        _stories(nights.stories),
    ]
    body = "\n".join(sections)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>wiredesk nights {escape(span)}</title><style>{_STYLE}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head>\n<body>\n{body}\n</body></html>\n'
    )


def _chart(figure: go.Figure, name: str) -> str:
    figure.update_layout(height=360, margin={"l": 40, "r": 20, "t": 20, "b": 40})
    return str(figure.to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{name}"))


def _arrivals(nights: Nights) -> go.Figure:
    by_source: dict[str, dict[str, int]] = defaultdict(dict)
    for count in nights.counts:
        by_source[count.source][count.night.isoformat()] = count.articles
    figure = go.Figure([go.Bar(name=source, x=list(days), y=list(days.values())) for source, days in by_source.items()])
    figure.update_layout(barmode="stack", xaxis={"title": "night (UTC)", "type": "category"}, yaxis_title="articles")
    return figure


def _copy_share(nights: Nights) -> go.Figure:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for count in nights.counts:
        totals[count.night.isoformat()][0] += count.articles
        totals[count.night.isoformat()][1] += count.copies
    shares = [copies / articles for articles, copies in totals.values()]
    figure = go.Figure([go.Bar(x=list(totals), y=shares, name="copies")])
    figure.update_layout(
        xaxis={"title": "night (UTC)", "type": "category"}, yaxis={"title": "share of articles", "tickformat": ".0%"}
    )
    return figure


def _rejects(nights: Nights) -> go.Figure:
    labels = [f"{reject.stage}: {reject.reason}" for reject in nights.rejects]
    figure = go.Figure([go.Bar(x=[reject.rejects for reject in nights.rejects], y=labels, orientation="h")])
    figure.update_layout(xaxis_title="inputs rejected", yaxis={"autorange": "reversed"})
    return figure


def _reject_table(nights: Nights) -> str:
    if not nights.rejects:
        return '<p class="empty">No input was rejected.</p>'
    rows = "".join(
        f"<tr><td>{escape(r.stage)}</td><td>{escape(r.reason)}</td><td>{r.rejects}</td><td>{escape(r.example)}</td></tr>"
        for r in nights.rejects
    )
    return f"<table><tr><th>stage</th><th>reason</th><th>inputs</th><th>for example</th></tr>{rows}</table>"


def _quiet(quiet: list[QuietSource]) -> str:
    if not quiet:
        return '<p class="empty">No outlet that usually yields articles went without on its latest night.</p>'
    rows = "".join(
        f'<tr class="quiet"><td>{escape(q.name)} ({escape(q.slug)})</td>'
        f"<td>{q.night_end.astimezone(UTC):%Y-%m-%d %H:%M}</td><td>{q.yielding} of {q.nights}</td>"
        f"<td>{q.feeds_answered} of {q.feeds_tried} answered, "
        f"{q.pages_tried} new page(s) listed</td><td>{escape(q.reasons or '')}</td></tr>"
        for q in quiet
    )
    return (
        "<table><tr><th>outlet</th><th>latest night, ending (UTC)</th><th>earlier nights with articles</th>"
        f"<th>feeds on the latest night</th><th>rejects</th></tr>{rows}</table>"
    )


def _stories(copies: list[StoryCopy]) -> str:
    if not copies:
        return '<p class="empty">No story in this span.</p>'
    stories: dict[int, list[StoryCopy]] = defaultdict(list)
    for copy in copies:
        stories[copy.story_id].append(copy)
    tables = []
    for story_id, members in stories.items():
        first = members[0]
        size = "1 copy" if first.copies == 1 else f"{first.copies} copies"
        heading = f"Story {story_id}: {size} from {first.outlets} outlet(s)"
        rows = "".join(_copy_row(copy) for copy in members)
        tables.append(
            f"<h3>{escape(heading)}</h3><table><tr><th>outlet</th><th>published (UTC)</th><th>agencies</th>"
            f"<th>title</th></tr>{rows}</table>"
        )
    return "\n".join(tables)


def _copy_row(copy: StoryCopy) -> str:
    published = f"{copy.published_at.astimezone(UTC):%Y-%m-%d %H:%M}" if copy.published_at else ""
    mark = ' class="canonical" title="the canonical copy: published first"' if copy.canonical else ""
    return (
        f"<tr{mark}><td>{escape(copy.outlet)}</td><td>{published}</td><td>{escape('/'.join(copy.agencies))}</td>"
        f"<td>{escape(copy.title)}</td></tr>"
    )
