"""A small line chart of one test's scores over time, drawn as SVG on the server.

No chart library in the browser: the page stays light on a phone and the chart prints.
The same points are also given as text (``summary``) for screen readers and anyone who
cannot see the chart.
"""

from dataclasses import dataclass

from django.utils.formats import date_format

WIDTH, HEIGHT = 320, 160
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 12, 28


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # the date, written out for the text alternative
    short: str  # the date on the axis
    value: str  # the score


def score_chart(results):
    """The chart of ``results`` (one test, with a score), oldest first; None for fewer than
    two scores (one point says nothing about change)."""
    scored = sorted((r for r in results if r.score is not None), key=lambda r: r.taken_on)
    if len(scored) < 2:
        return None
    low = min(r.score for r in scored)
    high = max(r.score for r in scored)
    span = (high - low) or 1
    first, last = scored[0].taken_on, scored[-1].taken_on
    days = (last - first).days or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    points = [
        Point(
            x=round(LEFT + plot_w * (r.taken_on - first).days / days, 1),
            y=round(TOP + plot_h * float((high - r.score) / span), 1),
            label=date_format(r.taken_on, "j F Y"),
            short=date_format(r.taken_on, "j-n-Y"),
            value=r.score_display,
        )
        for r in scored
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "points": points,
        "line": " ".join(f"{p.x},{p.y}" for p in points),
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "high": scored[[r.score for r in scored].index(high)].score_display,
        "low": scored[[r.score for r in scored].index(low)].score_display,
        "first": points[0].short,
        "last": points[-1].short,
        "summary": "; ".join(f"{p.label}: {p.value}" for p in points),
    }
