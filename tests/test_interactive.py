"""dlopt.interactive: the precomputed runs are dlopt's, and the HTML is small, deterministic and offline."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import dlopt
from dlopt import interactive

FIGURES = {
    "learning_rate_stability": interactive.learning_rate_stability,
    "momentum_paths": interactive.momentum_paths,
    "adam_betas": interactive.adam_betas,
}


@pytest.fixture(scope="module")
def figures():
    return {name: make() for name, make in FIGURES.items()}


def embedded(fig) -> dict:
    """The JSON the page's script reads, decoded from the HTML (not from fig.data)."""
    match = re.search(r'<script type="application/json" id="([^"]+)-data">(.*?)</script>', fig.html, re.S)
    assert match and match.group(1) == fig.ident
    return json.loads(match.group(2).replace("<\\/", "</"))


def run_index(data: dict, *indices: int) -> dict:
    k = 0
    for slider, j in zip(data["sliders"], indices, strict=True):
        k = k * len(slider["values"]) + j
    return data["runs"][k]


def rounded(values) -> list:
    return [interactive.sig(v) for v in np.asarray(values, dtype=np.float64).ravel()]


def test_learning_rate_data_is_dlopt_sgd(figures):
    data = embedded(figures["learning_rate_stability"])
    etas = data["sliders"][0]["values"]
    assert 1.0 in etas and 0.5 in etas  # 2/a and 1/a for a = 2
    for j in (0, 5, etas.index(1.0), len(etas) - 1):
        params = {"theta": np.array(1.0)}
        opt = dlopt.SGD(lr=etas[j])
        thetas = [1.0]
        for _ in range(30):
            opt.update(params, {"theta": 2.0 * params["theta"]})
            thetas.append(float(params["theta"]))
        assert run_index(data, j)["theta"] == rounded(thetas)
    assert run_index(data, 0)["theta"][-1] == pytest.approx((1 - 2 * etas[0]) ** 30, rel=1e-3)


REGIMES = [(0.3, "単調に減る"), (0.5, "1 ステップで"), (0.75, "振動しながら収束"),
           (1.0, "振動"), (1.05, "発散")]


@pytest.mark.parametrize(("lr", "word"), REGIMES)
def test_learning_rate_regime_text(figures, lr, word):
    data = embedded(figures["learning_rate_stability"])
    run = run_index(data, data["sliders"][0]["values"].index(lr))
    assert word in run["text"]
    assert interactive.regime(lr, 2.0) in run["text"]


def test_momentum_data_is_dlopt_momentum(figures):
    data = embedded(figures["momentum_paths"])
    lrs, momenta = data["sliders"][0]["values"], data["sliders"][1]["values"]
    for i, j in ((lrs.index(0.1), momenta.index(0.9)), (0, 0), (len(lrs) - 1, len(momenta) - 1), (7, 3)):
        opt = dlopt.Momentum(lr=lrs[i], momentum=momenta[j])
        path = dlopt.trajectory(opt, dlopt.elliptic, (-7.0, 2.0), 40)
        run = run_index(data, i, j)
        assert run["x"] == rounded(path[:, 0])
        assert run["y"] == rounded(path[:, 1])
        assert run["loss"] == rounded(dlopt.elliptic(path[:, 0], path[:, 1]))
        assert f"η = {lrs[i]:g}、α = {momenta[j]:g}" in run["text"]
    assert "発散" in run_index(data, lrs.index(2.0), 0)["text"]  # |1 − 2η| = 3 on y


def test_adam_data_is_dlopt_adam(figures):
    data = embedded(figures["adam_betas"])
    b1s, b2s = data["sliders"][0]["values"], data["sliders"][1]["values"]
    for i, j in ((b1s.index(0.9), b2s.index(0.999)), (0, 0), (len(b1s) - 1, len(b2s) - 1), (2, 6)):
        opt = dlopt.Adam(lr=0.3, betas=(b1s[i], b2s[j]))
        path = dlopt.trajectory(opt, dlopt.elliptic, (-7.0, 2.0), 40)
        run = run_index(data, i, j)
        assert run["x"] == rounded(path[:, 0]) and run["y"] == rounded(path[:, 1])
        moves = np.abs(np.diff(path, axis=0)) / 0.3
        assert run["dx"] == rounded(moves[:, 0]) and run["dy"] == rounded(moves[:, 1])
        assert run["dx"][0] == pytest.approx(1.0, rel=1e-3)  # bias correction: the first step is η


def test_html_is_deterministic(figures):
    for name, make in FIGURES.items():
        assert make().html == figures[name].html, name


def test_sizes(figures):
    for name, fig in figures.items():
        assert fig.json_size() < 300_000, name
        assert len(fig.html.encode("utf-8")) < 400_000, name


def test_html_is_offline_and_has_sliders(figures):
    for name, fig in figures.items():
        html = fig.html
        assert "<svg" in html and "<polyline" in html
        n_sliders = len(embedded(fig)["sliders"])
        assert html.count('type="range"') == n_sliders == (1 if name == "learning_rate_stability" else 2)
        assert html.count("<output") == n_sliders
        assert re.search(r"<script[^>]*\bsrc=", html) is None
        assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "https://" not in html and "@import" not in html and "url(http" not in html
        assert "$" not in html and "\\(" not in html  # no LaTeX: MathJax does not see inside SVG
    assert "学習率 η" in figures["learning_rate_stability"].html
    assert "モメンタム係数 α" in figures["momentum_paths"].html
    assert "β1" in figures["adam_betas"].html and "β2" in figures["adam_betas"].html


def test_text_plain_fallback(figures):
    for fig in figures.values():
        text = repr(fig)
        assert "\n" not in text and "0x" not in text and "HTML" in text
        assert fig._repr_html_() == fig.html


def test_ids_unique_across_instances():
    one = interactive.momentum_paths()
    two = interactive.momentum_paths(lr=0.5, momentum=0.5)
    three = interactive.learning_rate_stability(a=4.0)
    ids = [re.findall(r'\bid="([^"]+)"', fig.html) for fig in (one, two, three, interactive.adam_betas())]
    flat = [i for group in ids for i in group]
    assert len(flat) == len(set(flat))
    assert interactive.momentum_paths(ident="again").ident == "again"


def test_initial_drawing_is_the_chosen_run():
    fig = interactive.momentum_paths(lr=0.5, momentum=0.0)
    data = embedded(fig)
    assert f'value="{data["sliders"][0]["values"].index(0.5)}"' in fig.html
    assert "η = 0.5、α = 0：" in fig.html


def test_bad_grids_are_refused():
    with pytest.raises(ValueError, match="lrs"):
        interactive.learning_rate_stability(lrs=[])
    with pytest.raises(ValueError, match="momenta"):
        interactive.momentum_paths(momenta=(0.9, 0.5))
