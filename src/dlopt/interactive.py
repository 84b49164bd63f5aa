r"""Figures a reader can play with: sliders over precomputed optimizer runs, without a kernel.

Each function runs dlopt's real optimizers on a grid of slider values, once, in Python, and returns an
``InteractiveFigure``. In a notebook and in the built book it shows as self-contained HTML: inline SVG,
``<input type="range">`` sliders with Japanese labels, and a small inline script holding the runs as
JSON, so that moving a slider redraws from the data (offline: no external script, font or request).
Its ``text/plain`` form is a one-line description, which is what a PDF shows.

- ``learning_rate_stability()``: gradient descent on L(θ) = ½ a θ², slider η (the bound η < 2/a);
- ``momentum_paths()``: momentum (torch form) on f = x²/20 + y², sliders η and α;
- ``adam_betas()``: Adam on f = x²/20 + y², sliders β1 and β2.

The HTML is deterministic (same arguments, byte-identical HTML): element ids are derived from the
arguments, so two figures with different arguments never clash on one page (pass ``ident`` to show
the same figure twice). Numbers in the JSON are rounded to 4 significant digits.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from .functions import TestFunction, elliptic, trajectory
from .optimizers import SGD, Adam, Momentum

__all__ = ["InteractiveFigure", "learning_rate_stability", "momentum_paths", "adam_betas"]

COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728")
FONT = 12


@dataclass
class InteractiveFigure:
    """HTML with sliders (``_repr_html_``), its data, and a one-line description (``repr``)."""

    html: str
    description: str
    data: dict = field(repr=False)
    ident: str = ""

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.description

    def json_size(self) -> int:
        """Bytes of the JSON embedded in the HTML."""
        return len(_dumps(self.data).encode("utf-8"))


# ---------------------------------------------------------------- numbers and ids


def sig(x: float, digits: int = 4) -> float | None:
    """``x`` rounded to ``digits`` significant digits; None (JSON null) for NaN or ±inf."""
    x = float(x)
    if not math.isfinite(x):
        return None
    return float(f"{x:.{digits}g}")


def sig_list(values) -> list:
    return [sig(v) for v in np.asarray(values, dtype=np.float64).ravel()]


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _ident(kind: str, *args) -> str:
    digest = hashlib.sha256(repr((kind, args)).encode("utf-8")).hexdigest()[:10]
    return f"dlopt-{kind}-{digest}"


def _grid(name: str, values: Sequence[float]) -> list[float]:
    values = [float(v) for v in values]
    if not values:
        raise ValueError(f"{name} には 1 つ以上の値が必要です（{name}=[] が渡されました）")
    if any(not math.isfinite(v) for v in values) or sorted(set(values)) != values:
        raise ValueError(
            f"{name} は有限で、小さい順に並んだ重複のない値です（{name}={values!r} が渡されました）"
        )
    return values


def _nearest(values: list[float], value: float) -> int:
    return int(np.argmin([abs(v - value) for v in values]))


def _fmt(v: float) -> str:
    """A slider value as the reader types it: 0.1, 0.999, 1e-05."""
    return f"{v:g}"


# ---------------------------------------------------------------- SVG panels


@dataclass(frozen=True)
class Panel:
    """A plot area: ``x0, y0, w, h`` in SVG pixels, data ranges, and a log10 y-axis if ``logy``."""

    x0: float
    y0: float
    w: float
    h: float
    xmin: float
    xmax: float
    ymin: float
    ymax: float
    logy: bool = False

    def px(self, x: float) -> float:
        return self.x0 + (x - self.xmin) / (self.xmax - self.xmin) * self.w

    def py(self, y: float) -> float:
        if self.logy:
            y = math.log10(max(abs(y), 1e-300))
        return self.y0 + self.h - (y - self.ymin) / (self.ymax - self.ymin) * self.h

    def spec(self) -> dict:
        return {"x0": self.x0, "y0": self.y0, "w": self.w, "h": self.h, "xmin": self.xmin,
                "xmax": self.xmax, "ymin": self.ymin, "ymax": self.ymax, "logy": self.logy}


def _clamp(v: float) -> float:
    return max(-1e4, min(1e4, v))


def _num(v: float) -> str:
    """A pixel coordinate as the script writes it (JavaScript's toFixed(1), then no '-0.0')."""
    s = str(Decimal(v).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))  # ties away from 0, as toFixed
    return "0.0" if s == "-0.0" else s


def _points(panel: Panel, xs, ys) -> str:
    """The ``points`` attribute of a polyline, exactly as the script computes it."""
    out = []
    for x, y in zip(xs, ys, strict=True):
        if x is None or y is None:
            continue
        out.append(f"{_num(_clamp(panel.px(x)))},{_num(_clamp(panel.py(y)))}")
    return " ".join(out)


def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    from matplotlib.ticker import MaxNLocator

    ticks = MaxNLocator(nbins=n).tick_values(lo, hi)
    return [float(t) for t in ticks if lo - 1e-9 <= t <= hi + 1e-9]


def _tick_label(v: float) -> str:
    return f"{v:g}".replace("-", "−")


def _axes_svg(panel: Panel, xlabel: str, ylabel: str, title: str, clip_id: str, xticks=None) -> str:
    """Frame, ticks, tick labels, axis labels and title of a panel, and its clip path."""
    p = panel
    parts = [
        f'<clipPath id="{clip_id}"><rect x="{p.x0}" y="{p.y0}" width="{p.w}" height="{p.h}"/></clipPath>',
        f'<rect x="{p.x0}" y="{p.y0}" width="{p.w}" height="{p.h}" fill="none" stroke="#444" '
        'stroke-width="0.8"/>',
    ]
    for t in xticks if xticks is not None else _nice_ticks(p.xmin, p.xmax):
        x = _num(p.px(t))
        parts.append(f'<line x1="{x}" x2="{x}" y1="{p.y0 + p.h}" y2="{p.y0 + p.h + 4}" stroke="#444"/>')
        parts.append(f'<text x="{x}" y="{p.y0 + p.h + 15}" text-anchor="middle">{_tick_label(t)}</text>')
    if p.logy:
        yticks = list(range(math.ceil(p.ymin), math.floor(p.ymax) + 1))
        step = max(1, math.ceil(len(yticks) / 6))
        yticks = [(t, f"1e{t}") for t in yticks if t % step == 0]
    else:
        yticks = [(t, _tick_label(t)) for t in _nice_ticks(p.ymin, p.ymax)]
    for t, label in yticks:
        y = _num(p.y0 + p.h - (t - p.ymin) / (p.ymax - p.ymin) * p.h)
        parts.append(f'<line x1="{p.x0 - 4}" x2="{p.x0}" y1="{y}" y2="{y}" stroke="#444"/>')
        parts.append(f'<text x="{p.x0 - 6}" y="{y}" dy="0.35em" text-anchor="end">{label}</text>')
    cx = _num(p.x0 + p.w / 2)
    parts.append(f'<text x="{cx}" y="{p.y0 + p.h + 30}" text-anchor="middle">{html.escape(xlabel)}</text>')
    cy = _num(p.y0 + p.h / 2)
    parts.append(f'<text x="10" y="{cy}" text-anchor="middle" transform="rotate(-90 10 {cy})">'
                 f"{html.escape(ylabel)}</text>")
    parts.append(f'<text x="{cx}" y="{p.y0 - 8}" text-anchor="middle" font-weight="bold">'
                 f"{html.escape(title)}</text>")
    return "".join(parts)


def _contours_svg(func: TestFunction, panel: Panel, clip_id: str, levels: int = 10,
                  resolution: int = 80) -> str:
    """Contour lines of ``func`` over the panel as SVG paths (contourpy, as matplotlib draws them)."""
    import contourpy
    from matplotlib import colormaps

    xs, ys = np.meshgrid(np.linspace(panel.xmin, panel.xmax, resolution),
                         np.linspace(panel.ymin, panel.ymax, resolution))
    zs = func(xs, ys)
    if func.log_levels:
        zs = zs - zs.min() + 1e-3
        values = np.logspace(np.log10(zs.min()), np.log10(zs.max()), levels + 2)[1:-1]
    else:
        # quadratic spacing: the contour lines of a quadratic bowl come out evenly spaced
        values = zs.min() + (zs.max() - zs.min()) * np.linspace(0.0, 1.0, levels + 2)[1:-1] ** 2
    generator = contourpy.contour_generator(xs, ys, zs)
    cmap = colormaps["viridis"]
    parts = [f'<g clip-path="url(#{clip_id})" fill="none" stroke-width="0.8">']
    for k, level in enumerate(values):
        r, g, b, _ = cmap(k / max(1, len(values) - 1))
        color = f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
        d = []
        for line in generator.lines(float(level)):
            pts = [f"{_num(panel.px(x))},{_num(panel.py(y))}" for x, y in line]
            d.append("M" + " L".join(pts))
        if d:
            parts.append(f'<path d="{" ".join(d)}" stroke="{color}"/>')
    if func.minimum is not None:
        mx, my = panel.px(func.minimum[0]), panel.py(func.minimum[1])
        parts.append(f'<path d="M{_num(mx - 4)},{_num(my)} L{_num(mx + 4)},{_num(my)} '
                     f'M{_num(mx)},{_num(my - 4)} L{_num(mx)},{_num(my + 4)}" stroke="#000" '
                     'stroke-width="1.5"/>')
    parts.append("</g>")
    return "".join(parts)


# ---------------------------------------------------------------- the page fragment

SCRIPT = """(function () {
  var id = "__ID__", root = document.getElementById(id);
  if (!root) return;
  var D = JSON.parse(document.getElementById(id + "-data").textContent);
  function px(p, x) { return p.x0 + (x - p.xmin) / (p.xmax - p.xmin) * p.w; }
  function py(p, y) {
    if (p.logy) y = Math.log10(Math.max(Math.abs(y), 1e-300));
    return p.y0 + p.h - (y - p.ymin) / (p.ymax - p.ymin) * p.h;
  }
  function cl(v) { return Math.max(-1e4, Math.min(1e4, v)); }
  function num(v) { var s = v.toFixed(1); return s === "-0.0" ? "0.0" : s; }
  function draw() {
    var k = 0;
    for (var i = 0; i < D.sliders.length; i++) {
      var j = +document.getElementById(id + "-s" + i).value;
      k = k * D.sliders[i].values.length + j;
      document.getElementById(id + "-o" + i).textContent = D.sliders[i].labels[j];
    }
    var run = D.runs[k];
    D.series.forEach(function (s, n) {
      var p = D.panels[s.panel], ys = run[s.y], xs = s.x === null ? null : run[s.x], pts = [];
      var last = null;
      for (var t = 0; t < ys.length; t++) {
        var x = xs ? xs[t] : t + s.t0, y = ys[t];
        if (x === null || y === null) continue;
        last = [num(cl(px(p, x))), num(cl(py(p, y)))];
        pts.push(last[0] + "," + last[1]);
      }
      document.getElementById(id + "-l" + n).setAttribute("points", pts.join(" "));
      var dot = document.getElementById(id + "-d" + n);
      if (dot && last) { dot.setAttribute("cx", last[0]); dot.setAttribute("cy", last[1]); }
    });
    document.getElementById(id + "-status").textContent = run.text;
  }
  for (var i = 0; i < D.sliders.length; i++) {
    document.getElementById(id + "-s" + i).addEventListener("input", draw);
  }
  draw();
})();"""

STYLE = (
    "font-family:inherit;font-size:{font}px;margin:0.5em 0 1em 0"
)


def _render(ident: str, data: dict, panel_svgs: list[tuple[Panel, str, str]], initial: list[int],
            description: str) -> InteractiveFigure:
    """Assemble the HTML: sliders, one <svg> per panel (with the initial drawing), status, script."""
    n_per = [len(s["values"]) for s in data["sliders"]]
    k = 0
    for j, n in zip(initial, n_per, strict=True):
        k = k * n + j
    run = data["runs"][k]
    parts = [f'<div class="dlopt-interactive" id="{ident}" style="{STYLE.format(font=FONT)}">']
    parts.append('<div style="display:flex;flex-wrap:wrap;gap:0.3em 1.5em;align-items:center">')
    for i, (slider, j) in enumerate(zip(data["sliders"], initial, strict=True)):
        parts.append(
            f'<label for="{ident}-s{i}" style="white-space:nowrap">{html.escape(slider["label"])} '
            f'<input type="range" id="{ident}-s{i}" min="0" max="{len(slider["values"]) - 1}" step="1" '
            f'value="{j}" style="vertical-align:middle;width:10em"> '
            f'<output id="{ident}-o{i}" for="{ident}-s{i}" style="display:inline-block;min-width:3.5em">'
            f'{html.escape(slider["labels"][j])}</output></label>'
        )
    parts.append("</div>")
    parts.append('<div style="display:flex;flex-wrap:wrap;gap:0.5em">')
    n = 0
    for p_index, (panel, width_height, static) in enumerate(panel_svgs):
        width, height = width_height.split("x")
        parts.append(
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
            f'style="flex:1 1 300px;min-width:0;max-width:{width}px;height:auto" font-size="{FONT - 1}" '
            f'font-family="sans-serif">{static}'
        )
        for series_index, s in enumerate(data["series"]):
            if s["panel"] != p_index:
                continue
            xs = run[s["x"]] if s["x"] is not None else [t + s["t0"] for t in range(len(run[s["y"]]))]
            ys = run[s["y"]]
            points = _points(panel, xs, ys)
            parts.append(
                f'<g clip-path="url(#{ident}-c{p_index})"><polyline id="{ident}-l{series_index}" '
                f'points="{points}" fill="none" stroke="{s["color"]}" stroke-width="1.6"/>'
            )
            if s.get("dot"):
                last = points.split(" ")[-1].split(",") if points else ["0", "0"]
                parts.append(f'<circle id="{ident}-d{series_index}" cx="{last[0]}" cy="{last[1]}" r="3" '
                             f'fill="{s["color"]}"/>')
            parts.append("</g>")
            n += 1
        legend = [s for s in data["series"] if s["panel"] == p_index and s.get("legend")]
        for row, s in enumerate(legend):
            y = panel.y0 + 12 + 14 * row
            x = panel.x0 + panel.w - 8
            parts.append(f'<line x1="{x - 60}" x2="{x - 44}" y1="{y}" y2="{y}" stroke="{s["color"]}" '
                         f'stroke-width="2"/><text x="{x - 40}" y="{y}" dy="0.35em">'
                         f'{html.escape(s["legend"])}</text>')
        parts.append("</svg>")
    parts.append("</div>")
    parts.append(f'<p id="{ident}-status" style="margin:0.3em 0" aria-live="polite">'
                 f"{html.escape(run['text'])}</p>")
    payload = _dumps(data).replace("</", "<\\/")
    parts.append(f'<script type="application/json" id="{ident}-data">{payload}</script>')
    parts.append(f"<script>{SCRIPT.replace('__ID__', ident)}</script>")
    parts.append("</div>")
    return InteractiveFigure(html="".join(parts), description=description, data=data, ident=ident)


def _slider(label: str, values: list[float]) -> dict:
    return {"label": label, "values": values, "labels": [_fmt(v) for v in values]}


def _log_range(values, lo_floor: float = -12.0) -> tuple[float, float]:
    finite = np.abs(np.asarray([v for v in values if v is not None], dtype=np.float64))
    finite = finite[finite > 0]
    if finite.size == 0:
        return (-1.0, 1.0)
    lo = max(lo_floor, math.floor(math.log10(finite.min())))
    hi = math.ceil(math.log10(finite.max()))
    return (float(lo), float(max(hi, lo + 1)))


def _view_panel(func: TestFunction, x0: float = 50, y0: float = 24, w: float = 320) -> Panel:
    (xa, xb), (ya, yb) = func.view
    h = w * (yb - ya) / (xb - xa)  # equal aspect: 45° looks like 45°
    return Panel(x0, y0, w, round(h, 1), xa, xb, ya, yb)


def _size(panel: Panel) -> str:
    return f"{round(panel.x0 + panel.w + 10)}x{round(panel.y0 + panel.h + 36)}"


# ---------------------------------------------------------------- 1. learning rate


def run_quadratic(lr: float, a: float = 2.0, theta0: float = 1.0, steps: int = 30) -> np.ndarray:
    """θ_0, …, θ_steps of ``dlopt.SGD(lr)`` on L(θ) = ½ a θ² (gradient aθ), as in gradient_descent."""
    params = {"theta": np.array(theta0, dtype=np.float64)}
    opt = SGD(lr=lr)
    thetas = [float(theta0)]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            opt.update(params, {"theta": a * params["theta"]})
            thetas.append(float(params["theta"]))
    return np.array(thetas)


def regime(lr: float, a: float) -> str:
    """収束 / 振動 / 発散 of gradient descent on ½ a θ² with learning rate ``lr``: θ_t = (1 − ηa)^t θ_0."""
    r = lr * a
    if math.isclose(r, 2.0, rel_tol=1e-9):
        return "振動（|1 − ηa| = 1：大きさが変わらない。η = 2/a が安定の境界）"
    if r > 2.0:
        return "発散（|1 − ηa| > 1：符号を変えながら大きくなる）"
    if math.isclose(r, 1.0, rel_tol=1e-9):
        return "収束（1 − ηa = 0：1 ステップで θ = 0）"
    if r > 1.0:
        return "振動しながら収束（−1 < 1 − ηa < 0）"
    if r == 0.0:
        return "動かない（η = 0）"
    return "収束（0 < 1 − ηa < 1：単調に減る）"


def learning_rate_stability(
    a: float = 2.0,
    theta0: float = 1.0,
    steps: int = 30,
    lrs: Sequence[float] | None = None,
    lr: float = 0.3,
    ident: str | None = None,
) -> InteractiveFigure:
    """Gradient descent (dlopt.SGD) on L(θ) = ½ a θ² with a slider for η: θ_t and |θ_t| against t.

    ``lrs`` is the slider's grid (default 0.05, 0.10, …, 1.10 / (a/2), which puts 1/a and 2/a on it);
    ``lr`` the value shown first. The status line names the regime 収束 / 振動 / 発散.
    """
    if lrs is None:
        lrs = [round(0.05 * k, 2) * 2.0 / a for k in range(1, 23)]
    lrs = _grid("lrs", lrs)
    if steps < 1:
        raise ValueError(f"steps は 1 以上の整数です（steps={steps!r} が渡されました）")
    ident = ident or _ident("lr", a, theta0, steps, tuple(lrs), lr)
    runs = []
    for eta in lrs:
        thetas = sig_list(run_quadratic(eta, a, theta0, steps))
        last = thetas[-1]
        text = (f"η = {_fmt(eta)}（ηa = {sig(eta * a):g}、安定の条件 η < 2/a = {sig(2 / a):g}）："
                f"{regime(eta, a)}。θ_{steps} = {'発散' if last is None else f'{last:.4g}'}")
        runs.append({"theta": thetas, "text": text})
    bound = abs(theta0) * 1.6
    left = Panel(60, 24, 280, 190, 0, steps, -bound, bound)
    all_values = [v for r in runs for v in r["theta"]]
    lo, hi = _log_range(all_values, lo_floor=-8.0)
    right = Panel(60, 24, 280, 190, 0, steps, lo, min(hi, lo + 14), logy=True)
    data = {
        "sliders": [_slider("学習率 η", lrs)],
        "panels": [left.spec(), right.spec()],
        "series": [
            {"panel": 0, "x": None, "y": "theta", "t0": 0, "color": COLORS[0], "dot": True},
            {"panel": 1, "x": None, "y": "theta", "t0": 0, "color": COLORS[3], "dot": True},
        ],
        "runs": runs,
        "a": a,
    }
    static_left = (_axes_svg(left, "ステップ t", "θ_t", f"θ_t（L(θ) = ½·{a:g}·θ²）", f"{ident}-c0")
                   + _dashed_level(left, 0.0))
    static_right = _axes_svg(right, "ステップ t", "|θ_t|", "|θ_t|（対数目盛）", f"{ident}-c1")
    description = (f"<学習率 η のスライダー付きの図（HTML 版）：L(θ) = ½·{a:g}·θ² の勾配降下法、"
                   f"η = {_fmt(lrs[0])}〜{_fmt(lrs[-1])}、{steps} ステップ>")
    return _render(ident, data, [(left, _size(left), static_left), (right, _size(right), static_right)],
                   [_nearest(lrs, lr)], description)


# ---------------------------------------------------------------- 2. momentum


def _dashed_level(panel: Panel, y: float) -> str:
    """A dashed horizontal line at data value ``y`` across ``panel`` (θ = 0, or a step of exactly η)."""
    level = _num(panel.py(y))
    return (f'<line x1="{panel.x0}" x2="{panel.x0 + panel.w}" y1="{level}" y2="{level}" '
            'stroke="#999" stroke-dasharray="3 3"/>')


def _path_panel_svg(func: TestFunction, panel: Panel, start, title: str, cid: str) -> str:
    """Axes, contour lines of ``func`` and the start point ○: the static part of a path panel."""
    return (_axes_svg(panel, "x", "y", title, cid) + _contours_svg(func, panel, cid)
            + f'<circle cx="{_num(panel.px(start[0]))}" cy="{_num(panel.py(start[1]))}" r="3.5" '
            'fill="none" stroke="#000"/>')


def _path_runs(make_optimizer, func: TestFunction, start, steps: int):
    path = trajectory(make_optimizer(), func, start, steps)
    with np.errstate(over="ignore", invalid="ignore"):
        loss = func(path[:, 0], path[:, 1])
    return path, loss


def _path_text(func: TestFunction, start, path: np.ndarray, loss: np.ndarray, steps: int) -> str:
    start_loss = float(func(*start))
    n = len(path) - 1
    if n < steps:
        return f"発散（{n + 1} ステップ目で数値があふれました）"
    last = float(loss[-1])
    if not math.isfinite(last) or last > start_loss:
        return f"発散（{steps} ステップ後の f = {last:.4g} は初期値 {start_loss:.4g} より大きい）"
    distance = float(np.hypot(*(path[-1] - np.asarray(func.minimum or (0.0, 0.0)))))
    return f"{steps} ステップ後：f = {last:.4g}、最小点までの距離 {distance:.4g}"


def momentum_paths(
    func: TestFunction = elliptic,
    start: tuple[float, float] = (-7.0, 2.0),
    steps: int = 40,
    lrs: Sequence[float] = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.95, 1.0, 1.3, 1.6, 2.0),
    momenta: Sequence[float] = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99),
    lr: float = 0.1,
    momentum: float = 0.9,
    ident: str | None = None,
) -> InteractiveFigure:
    """Momentum (dlopt.Momentum, torch form) on ``func`` with sliders η and α: path and loss per step.

    Defaults follow the momentum chapter: f = x²/20 + y² from (−7, 2); α = 0 is plain SGD.
    """
    lrs, momenta = _grid("lrs", lrs), _grid("momenta", momenta)
    ident = ident or _ident("momentum", func.name, tuple(start), steps, tuple(lrs), tuple(momenta),
                            lr, momentum)
    runs = []
    for eta in lrs:
        for alpha in momenta:
            path, loss = _path_runs(lambda e=eta, m=alpha: Momentum(lr=e, momentum=m), func, start, steps)
            text = f"η = {_fmt(eta)}、α = {_fmt(alpha)}：{_path_text(func, start, path, loss, steps)}"
            runs.append({"x": sig_list(path[:, 0]), "y": sig_list(path[:, 1]), "loss": sig_list(loss),
                         "text": text})
    left = _view_panel(func)
    lo, hi = _log_range([v for r in runs for v in r["loss"]], lo_floor=-10.0)
    right = Panel(60, 24, 280, 190, 0, steps, lo, min(hi, 6.0), logy=True)
    data = {
        "sliders": [_slider("学習率 η", lrs), _slider("モメンタム係数 α", momenta)],
        "panels": [left.spec(), right.spec()],
        "series": [
            {"panel": 0, "x": "x", "y": "y", "t0": 0, "color": COLORS[3], "dot": True},
            {"panel": 1, "x": None, "y": "loss", "t0": 0, "color": COLORS[0], "dot": True},
        ],
        "runs": runs,
    }
    static_left = _path_panel_svg(func, left, start, f"{func.name} 上の軌跡", f"{ident}-c0")
    static_right = _axes_svg(right, "ステップ t", "損失 f(x, y)", "損失（対数目盛）", f"{ident}-c1")
    description = (f"<η と α のスライダー付きの図（HTML 版）：モメンタムの軌跡と損失、"
                   f"{func.name}、始点 {tuple(start)}、{steps} ステップ>")
    return _render(ident, data, [(left, _size(left), static_left), (right, _size(right), static_right)],
                   [_nearest(lrs, lr), _nearest(momenta, momentum)], description)


# ---------------------------------------------------------------- 3. Adam


def adam_betas(
    func: TestFunction = elliptic,
    start: tuple[float, float] = (-7.0, 2.0),
    steps: int = 40,
    lr: float = 0.3,
    beta1s: Sequence[float] = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99),
    beta2s: Sequence[float] = (0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 0.9999),
    beta1: float = 0.9,
    beta2: float = 0.999,
    ident: str | None = None,
) -> InteractiveFigure:
    """Adam (dlopt.Adam, learning rate ``lr``) on ``func`` with sliders β1 and β2.

    Left: the path on the contour lines. Right: the step per coordinate, |Δx|/η and |Δy|/η, at every
    step t (bias correction makes the first step exactly η in each coordinate). Defaults follow the
    adam chapter: f = x²/20 + y² from (−7, 2), η = 0.3, 40 steps.
    """
    beta1s, beta2s = _grid("beta1s", beta1s), _grid("beta2s", beta2s)
    ident = ident or _ident("adam", func.name, tuple(start), steps, lr, tuple(beta1s), tuple(beta2s),
                            beta1, beta2)
    runs = []
    for b1 in beta1s:
        for b2 in beta2s:
            path, loss = _path_runs(lambda p=b1, q=b2: Adam(lr=lr, betas=(p, q)), func, start, steps)
            with np.errstate(over="ignore", invalid="ignore"):
                moves = np.abs(np.diff(path, axis=0)) / lr
            text = (f"β1 = {_fmt(b1)}、β2 = {_fmt(b2)}：{_path_text(func, start, path, loss, steps)}"
                    f"、最大の歩幅 max|Δθ_i|/η = {float(moves.max()):.4g}")
            runs.append({"x": sig_list(path[:, 0]), "y": sig_list(path[:, 1]),
                         "dx": sig_list(moves[:, 0]), "dy": sig_list(moves[:, 1]), "text": text})
    left = _view_panel(func)
    lo, hi = _log_range([v for r in runs for v in r["dx"] + r["dy"]], lo_floor=-4.0)
    right = Panel(60, 24, 280, 190, 0, steps, lo, hi, logy=True)
    data = {
        "sliders": [_slider("β1（1 次モーメント）", beta1s), _slider("β2（2 次モーメント）", beta2s)],
        "panels": [left.spec(), right.spec()],
        "series": [
            {"panel": 0, "x": "x", "y": "y", "t0": 0, "color": COLORS[3], "dot": True},
            {"panel": 1, "x": None, "y": "dx", "t0": 1, "color": COLORS[0], "legend": "|Δx|/η"},
            {"panel": 1, "x": None, "y": "dy", "t0": 1, "color": COLORS[1], "legend": "|Δy|/η"},
        ],
        "runs": runs,
        "lr": lr,
    }
    static_left = _path_panel_svg(func, left, start, f"Adam（η = {_fmt(lr)}）の軌跡", f"{ident}-c0")
    static_right = (_axes_svg(right, "ステップ t", "歩幅 / η", "座標ごとの歩幅（対数目盛）", f"{ident}-c1")
                    + _dashed_level(right, 1.0))
    description = (f"<β1 と β2 のスライダー付きの図（HTML 版）：Adam（η = {_fmt(lr)}）の軌跡と歩幅、"
                   f"{func.name}、始点 {tuple(start)}、{steps} ステップ>")
    return _render(ident, data, [(left, _size(left), static_left), (right, _size(right), static_right)],
                   [_nearest(beta1s, beta1), _nearest(beta2s, beta2)], description)
