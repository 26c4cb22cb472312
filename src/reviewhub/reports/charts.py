"""Draw charts on the server so one chart serves the HTML page, the PDF and the Word document.

Every chart is drawn twice from the same figure, as SVG (for web pages) and as PNG at 150 dpi
(for PDF and DOCX), and travels with its data table and a text summary, because a chart alone
is not accessible: the table is printed beside it in every format.

Output is deterministic: the same data gives the same bytes (fixed SVG id salt, no creation
date or software version in the metadata), so a regenerated report does not look changed and
tests can compare bytes.

Colours follow the Government Analysis Function's categorical palette, designed so adjacent
colours stay distinguishable with colour-vision deficiency and contrast 3:1 with white; with two
series the "duo" pair (dark blue, orange) is used. Line charts also vary the marker shape and
bar charts print their values, so no reading depends on colour alone.
"""

from __future__ import annotations

import base64
import io
import math
import textwrap
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

#: Analysis Function categorical palette, in its prescribed order.
PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
#: Analysis Function "duo" palette, the best-contrasting pair for two series.
DUO = ("#12436D", "#F46A25")
#: Hatches that, after the palette runs out, keep repeated colours apart.
_HATCHES = ("", "//", "..", "xx")
_MARKERS = ("o", "s", "^", "D", "v", "P")

PNG_DPI = 150
#: Horizontal bar charts are laid out for at least this many bars, so few bars stay thin.
_MIN_SLOTS = 4
TEXT_COLOUR = "#0b0c0c"
GRID_COLOUR = "#b1b4b6"
_FONT_PREFERENCE = ("Liberation Sans", "Arial", "Helvetica", "DejaVu Sans")

# rcParams are process-global; a lock keeps one thread's settings out of another's chart.
_LOCK = threading.Lock()
_FONT: list[str] = []


@dataclass(eq=False)
class Chart:
    """A chart with everything needed to show it accessibly in any format.

    ``columns`` and ``rows`` are the data table (first column: the categories); ``alt`` is a
    short text alternative; ``summary`` says what the chart shows in a sentence or two. The
    images are drawn on first use and kept, so a report rendered only to HTML never pays for
    the PNG, nor a PDF for the SVG.
    """

    title: str
    kind: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    alt: str
    draw: Callable[[str], bytes] = field(repr=False)
    summary: str = ""
    _images: dict[str, bytes] = field(default_factory=dict, repr=False)

    def image(self, fmt: str) -> bytes:
        if fmt not in self._images:
            self._images[fmt] = self.draw(fmt)
        return self._images[fmt]

    @property
    def svg(self) -> bytes:
        return self.image("svg")

    @property
    def png(self) -> bytes:
        return self.image("png")

    def svg_data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")

    def png_data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def _font_family() -> list[str]:
    """Return the preferred installed sans-serif fonts, so matplotlib never warns per glyph."""
    if not _FONT:
        from matplotlib import font_manager

        installed = {f.name for f in font_manager.fontManager.ttflist}
        _FONT.extend([name for name in _FONT_PREFERENCE if name in installed] or ["sans-serif"])
    return _FONT


def _rc() -> dict:
    return {
        "svg.hashsalt": "reviewhub",
        "svg.fonttype": "path",
        "font.family": "sans-serif",
        "font.sans-serif": _font_family(),
        "font.size": 10,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.edgecolor": TEXT_COLOUR,
        "axes.labelcolor": TEXT_COLOUR,
        "text.color": TEXT_COLOUR,
        "xtick.color": TEXT_COLOUR,
        "ytick.color": TEXT_COLOUR,
        "hatch.color": "white",
        "hatch.linewidth": 1.0,
        "path.simplify": False,
    }


def _colours(n: int, colours: Sequence[str] | None) -> list[str]:
    if colours:
        return [colours[i % len(colours)] for i in range(n)]
    base = DUO if n == 2 else PALETTE
    return [base[i % len(base)] for i in range(n)]


def _check(categories: Sequence[str], series: Mapping[str, Sequence]) -> None:
    if not series:
        raise ValueError("a chart needs at least one series")
    for name, values in series.items():
        if len(values) != len(categories):
            raise ValueError(
                f"series {name!r} has {len(values)} values for {len(categories)} categories"
            )


def _wrap(label: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(label), width=width)) or str(label)


def _fmt_number(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _style_axes(ax, *, value_axis: str, integer: bool) -> None:
    from matplotlib.ticker import MaxNLocator

    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    axis = ax.xaxis if value_axis == "x" else ax.yaxis
    axis.grid(True, color=GRID_COLOUR, linewidth=0.6)
    ax.set_axisbelow(True)
    if integer:
        # Round steps (1, 2, 5, 10 ...) read more easily than the default 15s and 40s.
        axis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))


def _legend_and_title(fig, ax, n: int, title: str) -> None:
    if n <= 1:
        if title:
            fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
        return
    handles, labels = ax.get_legend_handles_labels()
    # Fit the legend to the figure's width (about 90 characters at 10 pt) rather than the
    # axes', so long labels never squeeze the plot away.
    longest = max(len(label) for label in labels) + 5
    ncols = max(1, min(n, 4, 90 // longest))
    # The title rides as the legend's title: constrained layout stacks a suptitle and an
    # outside legend on top of each other.
    fig.legend(
        handles,
        labels,
        loc="outside upper left",
        ncols=ncols,
        frameon=False,
        handlelength=1.2,
        title=title or None,
        alignment="left",
        title_fontproperties={"size": 12, "weight": "bold"},
    )


def _save(fig, fmt: str) -> bytes:
    # No bbox_inches="tight": constrained layout already fits the figure, and a tight box
    # costs a second full draw.
    buf = io.BytesIO()
    if fmt == "svg":
        fig.savefig(
            buf,
            format="svg",
            metadata={"Date": None, "Creator": None},
        )
    elif fmt == "png":
        fig.savefig(
            buf,
            format="png",
            dpi=PNG_DPI,
            metadata={"Software": None},
        )
    else:
        raise ValueError(f"fmt must be 'svg' or 'png', not {fmt!r}")
    return buf.getvalue()


def _draw_bar(
    fig, title, categories, series, *, stacked, horizontal, colours, value_label, hatches
):
    ax = fig.add_subplot()
    names = list(series)
    n = len(names)
    cols = _colours(n, colours)
    values = {k: [0 if v is None else v for v in vals] for k, vals in series.items()}
    integer = all(float(v).is_integer() for vals in values.values() for v in vals)
    positions = list(range(len(categories)))
    # Horizontal bars read top to bottom in the order given.
    if horizontal:
        positions = positions[::-1]
    group = 0.8
    width = group if stacked or n == 1 else group / n
    bottoms = [0.0] * len(categories)
    for i, name in enumerate(names):
        vals = values[name]
        if stacked:
            pos = positions
        elif horizontal:
            # First series on top within each group, as in the legend.
            pos = [p + group / 2 - width * (i + 0.5) for p in positions]
        else:
            pos = [p - group / 2 + width * (i + 0.5) for p in positions]
        hatch = hatches[i % len(hatches)] if hatches else _HATCHES[(i // len(PALETTE)) % 4]
        kwargs = {
            "color": cols[i],
            "label": str(name),
            "hatch": hatch or None,
            "edgecolor": "white",
            "linewidth": 0.5,
        }
        if horizontal:
            bars = ax.barh(pos, vals, height=width, left=bottoms if stacked else None, **kwargs)
        else:
            bars = ax.bar(pos, vals, width=width, bottom=bottoms if stacked else None, **kwargs)
        if not stacked and len(categories) * n <= 40:
            ax.bar_label(bars, labels=[_fmt_number(v) for v in vals], padding=2, fontsize=8)
        if stacked:
            bottoms = [b + v for b, v in zip(bottoms, vals, strict=True)]
    if stacked and n > 1:
        # Totals at the bar ends; segment values are in the data table.
        for p, total in zip(positions, bottoms, strict=True):
            xy = (total, p) if horizontal else (p, total)
            ax.annotate(
                _fmt_number(total),
                xy,
                xytext=(3, 0) if horizontal else (0, 2),
                textcoords="offset points",
                fontsize=8,
                ha="left" if horizontal else "center",
                va="center" if horizontal else "bottom",
            )
    if horizontal:
        ax.set_yticks(positions, [_wrap(c, 32) for c in categories])
        ax.set_xlabel(value_label)
        ax.margins(x=0.08)
        if len(categories) < _MIN_SLOTS:
            # One or two bars would otherwise fill the whole plot as thick slabs.
            pad = (_MIN_SLOTS - len(categories)) / 2
            ax.set_ylim(-0.5 - pad, len(categories) - 0.5 + pad)
    else:
        wrap_at = 14 if len(categories) <= 6 else 10
        ax.set_xticks(positions, [_wrap(c, wrap_at) for c in categories])
        ax.set_ylabel(value_label)
        ax.margins(y=0.1)
    ax.tick_params(length=0 if horizontal else 3, axis="y" if horizontal else "x")
    _style_axes(ax, value_axis="x" if horizontal else "y", integer=integer)
    _legend_and_title(fig, ax, n, title)


def _draw_line(fig, title, categories, series, *, colours, value_label):
    ax = fig.add_subplot()
    names = list(series)
    cols = _colours(len(names), colours)
    xs = list(range(len(categories)))
    integer = True
    for i, name in enumerate(names):
        ys = [math.nan if v is None else v for v in series[name]]
        integer = integer and all(math.isnan(y) or float(y).is_integer() for y in ys)
        ax.plot(
            xs,
            ys,
            color=cols[i],
            marker=_MARKERS[i % len(_MARKERS)],
            markersize=5,
            linewidth=2,
            label=str(name),
        )
    step = max(1, math.ceil(len(categories) / 12))
    ax.set_xticks(xs[::step], [_wrap(c, 12) for c in categories][::step])
    ax.set_ylabel(value_label)
    ax.set_ylim(bottom=0)
    _style_axes(ax, value_axis="y", integer=integer)
    _legend_and_title(fig, ax, len(names), title)


def _figure_size(kind: str, n_categories: int, horizontal: bool, n_series: int, stacked: bool):
    if kind == "bar" and horizontal:
        per = 0.28 if stacked or n_series == 1 else 0.16 * n_series + 0.1
        return 6.3, max(2.2, 0.9 + per * n_categories)
    return 6.3, 3.4


def _render(
    kind,
    title,
    categories,
    series,
    *,
    stacked=False,
    horizontal=False,
    colours=None,
    value_label="Number",
    hatches=None,
    formats=("svg",),
) -> dict[str, bytes]:
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    categories = [str(c) for c in categories]
    _check(categories, series)
    with _LOCK, rc_context(_rc()):
        fig = Figure(
            figsize=_figure_size(kind, len(categories), horizontal, len(series), stacked),
            layout="constrained",
        )
        if not categories:
            ax = fig.add_subplot()
            ax.set_axis_off()
            if title:
                ax.set_title(title)
            ax.text(
                0.5,
                0.5,
                "No data for this period",
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
        elif kind == "bar":
            _draw_bar(
                fig,
                title,
                categories,
                series,
                stacked=stacked,
                horizontal=horizontal,
                colours=colours,
                value_label=value_label,
                hatches=hatches,
            )
        elif kind == "line":
            _draw_line(fig, title, categories, series, colours=colours, value_label=value_label)
        else:
            raise ValueError(f"unknown chart kind {kind!r}")
        return {fmt: _save(fig, fmt) for fmt in formats}


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    stacked: bool = False,
    horizontal: bool = False,
    fmt: str = "svg",
    colours: Sequence[str] | None = None,
    value_label: str = "Number",
) -> bytes:
    """Return a bar chart (grouped or stacked, vertical or horizontal) as SVG or PNG bytes."""
    return _render(
        "bar",
        title,
        categories,
        series,
        stacked=stacked,
        horizontal=horizontal,
        colours=colours,
        value_label=value_label,
        formats=(fmt,),
    )[fmt]


def line_chart(
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    fmt: str = "svg",
    colours: Sequence[str] | None = None,
    value_label: str = "Number",
) -> bytes:
    """Return a line chart (one line per series, gaps for None) as SVG or PNG bytes."""
    return _render(
        "line", title, categories, series, colours=colours, value_label=value_label, formats=(fmt,)
    )[fmt]


def _describe(kind, title, categories, series, stacked) -> str:
    what = "Line chart" if kind == "line" else ("Stacked bar chart" if stacked else "Bar chart")
    if not categories:
        return f"{what}: {title}. No data for this period."
    text = f"{what}: {title}, {len(categories)} categories"
    if len(series) > 1:
        text += " by " + ", ".join(str(s) for s in series)
    text += "."
    if stacked and len(series) > 1:
        totals = [sum(v or 0 for v in vals) for vals in zip(*series.values(), strict=True)]
        i = max(range(len(totals)), key=totals.__getitem__)
        text += f" Largest: {categories[i]} ({_fmt_number(totals[i])} in all)."
    else:
        best = None
        for name, vals in series.items():
            for i, v in enumerate(vals):
                if v is not None and (best is None or v > best[0]):
                    best = (v, categories[i], name)
        if best is not None:
            where = best[1] if len(series) == 1 else f"{best[1]}, {best[2]}"
            text += f" Highest: {where} ({_fmt_number(best[0])})."
    return text + " The figures are in the table with the chart."


def make_chart(
    kind: str,
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    stacked: bool = False,
    horizontal: bool = False,
    category_label: str = "Category",
    value_label: str = "Number",
    colours: Sequence[str] | None = None,
    hatches: Sequence[str] | None = None,
    summary: str = "",
    total_column: bool | None = None,
) -> Chart:
    """Make a chart (drawn as SVG or PNG on first use) with its data table and alt text.

    The image carries no title: the caption of the document it goes into does, so the title
    is not read twice by a screen reader. ``total_column`` adds a Total column to the table
    (default: for stacked charts with several series).
    """
    categories = [str(c) for c in categories]
    _check(categories, series)
    series = {name: list(values) for name, values in series.items()}

    def draw(fmt: str) -> bytes:
        return _render(
            kind,
            "",
            categories,
            series,
            stacked=stacked,
            horizontal=horizontal,
            colours=colours,
            value_label=value_label,
            hatches=hatches,
            formats=(fmt,),
        )[fmt]

    names = [str(s) for s in series]
    if total_column is None:
        total_column = stacked and len(names) > 1
    columns = (category_label, *names, *(("Total",) if total_column else ()))
    rows = []
    for i, category in enumerate(categories):
        values = [series[s][i] for s in series]
        row = (category, *values)
        if total_column:
            row += (sum(v or 0 for v in values),)
        rows.append(row)
    return Chart(
        title=title,
        kind=kind,
        columns=tuple(columns),
        rows=tuple(rows),
        alt=_describe(kind, title, categories, series, stacked),
        draw=draw,
        summary=summary,
    )
