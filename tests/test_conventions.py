"""Convention differences between dlopt (= torch.optim) and ゼロから作るDeep Learning / Keras.

The reference implementations below are written in this file on purpose, in the other books' forms
(ゼロから作るDeep Learning, common/optimizer.py; Keras's Adam). Each test's docstring states what it
shows. Notation: θ parameters, g gradient, η learning rate, α momentum, b torch's momentum buffer,
v ゼロから作る's velocity.

Momentum. ゼロから作る: v_t = α v_{t-1} − η g_t (v_0 = 0), θ_t = θ_{t-1} + v_t.
torch: b_1 = g_1, b_t = α b_{t-1} + g_t, θ_t = θ_{t-1} − η b_t.
With a constant η, v_t = −η b_t for every t ≥ 1 (induction: v_1 = −η g_1 = −η b_1, because b_0 = 0
and b_1 = g_1 are the same start when dampening is 0), so both produce the same θ_t up to rounding.
If η changes from η1 to η2 after step k, v still carries η1: for fixed gradients the θ's differ after
n more steps by exactly (η2 − η1) b_k (α + α² + … + αⁿ).

Nesterov. torch: θ_t = θ_{t-1} − η (g_t + α b_t). Bengio et al. (2012) rewrite Sutskever's Nesterov
momentum as θ_t = θ_{t-1} + α² v_{t-1} − (1 + α) η g_t with the OLD velocity, then v_t = α v_{t-1} − η g_t;
with v = −η b this is torch's update exactly. ゼロから作る's common/optimizer.py has had both orders
of these lines (oreilly-japan/deep-learning-from-scratch):
- since commit 89eadd0 ("Fix Nesterov update function", 2021-01-18) θ is updated first, with the old
  v: that is Bengio's form, so at a constant η it gives torch's θ_t to round-off (≈ 1e-15);
- before it (the code of the early printings) v was updated first and θ used the new v_t:
  θ_t = θ_{t-1} + α² v_t − (1 + α) η g_t = θ_{t-1} − η ((1 + α) g_t + α² b_t). That is a different
  algorithm (its first step is (1 + α + α²) η g_1 instead of (1 + α) η g_1), and the tests show it.

Adam. Keras (and ゼロから作る): η_t = η √(1 − β2^t) / (1 − β1^t), θ ← θ − η_t m / (√v + ε̂).
Ours (torch, the paper): θ ← θ − η/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε). Both are the same with
ε̂ = ε √(1 − β2^t): they agree as ε → 0 and differ when √v̂ is as small as ε.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from zero_kara import ZeroMomentum, ZeroNesterov, ZeroNesterovBefore2021

import dlopt

# ---------------------------------------------------------------------------------------------
# Keras's Adam, written out here (ゼロから作る's classes are transcribed once, in tests/zero_kara.py)


class KerasAdam:
    """Keras's Adam as in ゼロから作る (ε a parameter here; Keras's default is 1e-7)."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.iter, self.m, self.v = 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params:
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + self.eps)


# ---------------------------------------------------------------------------------------------
# problems

CURVATURE = np.array([0.2, 1.0, 3.0, 8.0])  # f(θ) = ½ Σ c_i θ_i²: an ill-conditioned bowl


def _quadratic_grad(theta: np.ndarray) -> np.ndarray:
    return CURVATURE * theta


def _start() -> np.ndarray:
    return np.array([1.0, -2.0, 0.5, 1.5])


def _fixed_gradients(steps: int) -> list[np.ndarray]:
    """A fixed sequence of gradients (as if from data): θ does not feed back into them."""
    rng = np.random.default_rng(1)
    return [rng.normal(size=4) + 1.0 for _ in range(steps)]


def _relative(a, b) -> float:
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-12)))


def _run_on_quadratic(optimizers, steps, lr_at=None):
    """Run every optimizer on the same bowl; ``lr_at`` = {step: η} changes η before that step."""
    params = [{"w": _start()} for _ in optimizers]
    history = []
    for step in range(steps):
        for opt, p in zip(optimizers, params, strict=True):
            if lr_at and step in lr_at:
                opt.lr = lr_at[step]
            opt.update(p, {"w": _quadratic_grad(p["w"])})
        history.append([p["w"].copy() for p in params])
    return history


# ---------------------------------------------------------------------------------------------
# Momentum


def test_momentum_forms_agree_at_constant_lr():
    """At a constant η, ゼロから作る's v ← αv − ηg; θ ← θ + v and torch's b ← αb + g; θ ← θ − ηb
    give the same θ to round-off at every step, and the torch buffer equals −v/η (also at step 1:
    torch's b_1 = g_1 is v_0 = 0 in the other form)."""
    final = _assert_same_run_at_constant_lr(dlopt.Momentum, ZeroMomentum)
    assert np.max(np.abs(final)) < 1e-3, "both converged to the minimum"


def _assert_same_run_at_constant_lr(torch_form, other_form, lr=0.05, alpha=0.9, steps=300):
    """Both forms give the same θ to round-off at every step, and torch's buffer b equals −v/η."""
    ours, other = torch_form(lr=lr, momentum=alpha), other_form(lr=lr, momentum=alpha)
    a, b = {"w": _start()}, {"w": _start()}
    worst = worst_buffer = 0.0
    for _ in range(steps):
        ours.update(a, {"w": _quadratic_grad(a["w"])})
        other.update(b, {"w": _quadratic_grad(b["w"])})
        worst = max(worst, float(np.max(np.abs(a["w"] - b["w"]))))
        buffer = ours.state["w"]["momentum_buffer"]
        worst_buffer = max(worst_buffer, _relative(buffer, -other.v["w"] / other.lr))
    assert worst <= 1e-14, f"max |θ difference| over {steps} steps: {worst:.2e}"
    assert worst_buffer <= 1e-12, f"max relative |b + v/η|: {worst_buffer:.2e}"
    return a["w"]


def _assert_gap_after_lr_change(torch_form, other_form, factor):
    """η drops from η1 = 0.1 to η2 = 0.01 after k = 20 steps of fixed gradients; after n = 30 more,
    θ_other − θ_torch is exactly (η2 − η1) · factor · b_k (α + … + αⁿ), with b_k our buffer."""
    alpha, lr1, lr2, k, n = 0.9, 0.1, 0.01, 20, 30
    grads = _fixed_gradients(k + n)
    ours, other = torch_form(lr=lr1, momentum=alpha), other_form(lr=lr1, momentum=alpha)
    a, b = {"w": _start()}, {"w": _start()}
    for step, g in enumerate(grads):
        if step == k:
            b_k = ours.state["w"]["momentum_buffer"].copy()
            assert np.max(np.abs(a["w"] - b["w"])) <= 1e-14, "identical before the change"
            ours.lr = other.lr = lr2
        ours.update(a, {"w": g})
        other.update(b, {"w": g})
    predicted = (lr2 - lr1) * factor * b_k * sum(alpha**j for j in range(1, n + 1))
    difference = b["w"] - a["w"]
    np.testing.assert_allclose(difference, predicted, rtol=1e-9)
    bound = float(np.min(np.abs(predicted)))
    assert np.min(np.abs(difference)) >= 0.999 * bound > 1e-2, (
        f"every coordinate differs by at least {bound:.4f} (measured {np.abs(difference)})"
    )


def test_momentum_forms_differ_after_an_lr_change_by_the_derived_amount():
    """η drops from η1 = 0.1 to η2 = 0.01 after k = 20 steps. ゼロから作る's velocity still carries
    η1, so with fixed gradients θ_zero − θ_torch after n more steps is exactly
    (η2 − η1) b_k (α + … + αⁿ), which the test computes from our buffer b_k and checks."""
    _assert_gap_after_lr_change(dlopt.Momentum, ZeroMomentum, factor=1.0)


# ---------------------------------------------------------------------------------------------
# Nesterov


def test_nesterov_zero_kara_current_code_agrees_with_torch_at_constant_lr():
    """ゼロから作る's current code (θ first, since 89eadd0) is Bengio et al.'s θ ← θ + α²v − (1 + α)ηg
    (old v), then v ← αv − ηg. At a constant η it equals torch's θ ← θ − η(g + αb) to round-off,
    and the buffer is again b = −v/η."""
    _assert_same_run_at_constant_lr(dlopt.Nesterov, ZeroNesterov)


def test_nesterov_zero_kara_current_code_agrees_with_torch_optim_itself():
    """The same against torch.optim.SGD(nesterov=True) itself, in float64: the largest gap over 300
    steps on the bowl is round-off (about 1e-16 to 1e-15 for θ of order 1)."""
    torch = pytest.importorskip("torch")
    lr, alpha = 0.05, 0.9
    w = torch.tensor(_start(), dtype=torch.float64, requires_grad=True)
    theirs = torch.optim.SGD([w], lr=lr, momentum=alpha, nesterov=True)
    zero, params = ZeroNesterov(lr=lr, momentum=alpha), {"w": _start()}
    worst = 0.0
    for _ in range(300):
        theirs.zero_grad()
        w.grad = torch.from_numpy(_quadratic_grad(w.detach().numpy()))
        theirs.step()
        zero.update(params, {"w": _quadratic_grad(params["w"])})
        worst = max(worst, float(np.max(np.abs(w.detach().numpy() - params["w"]))))
    assert worst <= 1e-14, f"max |θ difference| over 300 steps: {worst:.2e}"


def test_nesterov_zero_kara_code_before_2021_is_a_different_update_even_at_constant_lr():
    """ゼロから作る's code before 89eadd0 (2021-01-18) updates v before θ, so θ uses the new v: its
    step is −η((1 + α)g + α²b) instead of torch's −η(g + αb). The first steps differ by exactly
    α²η g_1 (the test asserts that bound), and the whole run equals the formula above to round-off."""
    alpha, lr = 0.9, 0.05
    ours, zero = dlopt.Nesterov(lr=lr, momentum=alpha), ZeroNesterovBefore2021(lr=lr, momentum=alpha)
    a, b, c = {"w": _start()}, {"w": _start()}, _start()
    buffer = np.zeros(4)
    g1 = _quadratic_grad(_start())
    worst_formula = max_gap = 0.0
    for step in range(100):
        ours.update(a, {"w": _quadratic_grad(a["w"])})
        zero.update(b, {"w": _quadratic_grad(b["w"])})
        g = _quadratic_grad(c)  # the update the pre-2021 order really computes, in torch's form
        buffer = g if step == 0 else alpha * buffer + g
        c -= lr * ((1 + alpha) * g + alpha**2 * buffer)
        worst_formula = max(worst_formula, float(np.max(np.abs(b["w"] - c))))
        max_gap = max(max_gap, float(np.max(np.abs(a["w"] - b["w"]))))
        if step == 0:
            first = np.abs(a["w"] - b["w"])
            np.testing.assert_allclose(first, alpha**2 * lr * np.abs(g1), rtol=1e-12)
    assert worst_formula <= 1e-14, f"the pre-2021 order vs its formula: {worst_formula:.2e}"
    bound = float(np.min(alpha**2 * lr * np.abs(g1)))
    assert np.min(first) >= 0.999 * bound > 1e-3, f"first step differs by ≥ {bound:.4f}"
    assert max_gap >= np.max(first), f"largest gap over 100 steps {max_gap:.4f}"


def test_nesterov_forms_differ_after_an_lr_change_by_the_derived_amount():
    """With η changed from η1 to η2 after k steps, Bengio's form (ゼロから作る's current code) still
    carries η1 in v; with fixed gradients θ_zero − θ_torch after n more steps is exactly
    (η2 − η1) α b_k (α + … + αⁿ)."""
    _assert_gap_after_lr_change(dlopt.Nesterov, ZeroNesterov, factor=0.9)


def test_lr_change_on_the_bowl_moves_the_forms_apart():
    """The same on a real run (gradients depend on θ): before the change the forms agree to
    round-off; the first step after it differs by exactly α(η2 − η1)b_k (Momentum) and
    α²(η2 − η1)b_k (Nesterov), computed from our buffer, and the gap is far above round-off."""
    alpha, lr1, lr2, k = 0.9, 0.05, 0.005, 15
    for ours, other, power in (
        (dlopt.Momentum(lr=lr1, momentum=alpha), ZeroMomentum(lr=lr1, momentum=alpha), 1),
        (dlopt.Nesterov(lr=lr1, momentum=alpha), ZeroNesterov(lr=lr1, momentum=alpha), 2),
    ):
        history = _run_on_quadratic([ours, other], k, None)
        assert np.max(np.abs(history[-1][0] - history[-1][1])) <= 1e-14
        b_k = ours.state["w"]["momentum_buffer"].copy()
        a, b = {"w": history[-1][0].copy()}, {"w": history[-1][0].copy()}  # the same θ_k
        ours.lr = other.lr = lr2
        ours.update(a, {"w": _quadratic_grad(a["w"])})
        other.update(b, {"w": _quadratic_grad(b["w"])})
        predicted = (lr2 - lr1) * alpha**power * b_k
        np.testing.assert_allclose(b["w"] - a["w"], predicted, rtol=1e-9, atol=1e-15)
        bound = float(np.min(np.abs(predicted)))
        assert bound > 1e-6, f"{type(ours).__name__}: first-step gap ≥ {bound:.2e}"


# ---------------------------------------------------------------------------------------------
# Adam


@pytest.mark.parametrize("eps", [0.0, 1e-12])
def test_adam_keras_form_agrees_as_eps_goes_to_zero(eps):
    """Step by step, the two forms differ only through ε: Keras's effective ε is ε/√(1 − β2^t),
    so their relative difference is at most ε (1/√(1 − β2^t) − 1) / √v̂_t, computed here from our
    state at every step. With ε = 0 that bound is 0 (agreement to round-off); with ε = 1e-12 and
    gradients of order 1 the steps agree to about 1e-10 relative."""
    beta2 = 0.999
    ours, keras = dlopt.Adam(lr=0.01, eps=eps), KerasAdam(lr=0.01, eps=eps)
    a, b = {"w": _start()}, {"w": _start()}
    worst = worst_excess = 0.0
    for t, g in enumerate(_fixed_gradients(200), start=1):
        before_a, before_b = a["w"].copy(), b["w"].copy()
        ours.update(a, {"w": g})
        keras.update(b, {"w": g})
        step_ours, step_keras = a["w"] - before_a, b["w"] - before_b
        relative = np.abs(step_keras - step_ours) / np.abs(step_ours)
        v_hat = ours.state["w"]["exp_avg_sq"] / (1 - beta2**t)
        bound = eps * (1 / math.sqrt(1 - beta2**t) - 1) / np.sqrt(v_hat)
        worst = max(worst, float(np.max(relative)))
        worst_excess = max(worst_excess, float(np.max(relative - bound)))
    assert worst_excess <= 1e-12, f"beyond the ε bound by {worst_excess:.2e} (round-off only)"
    assert worst <= (1e-12 if eps == 0 else 1e-9), f"largest relative step difference {worst:.2e}"


def test_adam_difference_shrinks_with_eps():
    """The gap between the forms is ε's doing: it shrinks in proportion to ε (first order in ε,
    so a 100 times smaller ε gives a 100 times smaller gap, within 10 %)."""
    gaps = []
    for eps in (1e-4, 1e-6, 1e-8):
        ours, keras = dlopt.Adam(lr=0.01, eps=eps), KerasAdam(lr=0.01, eps=eps)
        a, b = {"w": _start()}, {"w": _start()}
        for g in _fixed_gradients(50):
            ours.update(a, {"w": g})
            keras.update(b, {"w": g})
        gaps.append(float(np.max(np.abs(a["w"] - b["w"]))))
    ratios = [gaps[0] / gaps[1], gaps[1] / gaps[2]]
    assert all(90 < r < 110 for r in ratios), f"gaps for ε = 1e-4, 1e-6, 1e-8: {gaps}"


def test_adam_forms_differ_for_tiny_gradients():
    """For a constant gradient g with |g| ~ ε = 1e-8, m̂ = g and √v̂ = |g| exactly, so ours moves
    η g / (|g| + ε) per step and Keras moves η g / (|g| + ε / √(1 − β2^t)): at t = 1 Keras's
    effective ε is 31.6 ε. The test checks the total displacement after 20 steps against these
    sums and asserts the lower bound on the ratio that they give."""
    lr, beta2, eps, steps = 1e-3, 0.999, 1e-8, 20
    g = np.array([0.5e-8, -1e-8, 2e-8, 1.5e-8])
    ours, keras = dlopt.Adam(lr=lr, eps=eps), KerasAdam(lr=lr, eps=eps)
    a, b = {"w": _start()}, {"w": _start()}
    for _ in range(steps):
        ours.update(a, {"w": g})
        keras.update(b, {"w": g})
    ours_moved, keras_moved = _start() - a["w"], _start() - b["w"]
    expected_ours = steps * lr * g / (np.abs(g) + eps)
    expected_keras = sum(
        lr * g / (np.abs(g) + eps / math.sqrt(1 - beta2**t)) for t in range(1, steps + 1)
    )
    np.testing.assert_allclose(ours_moved, expected_ours, rtol=1e-11)  # θ ~ 1: round-off 1e-13
    np.testing.assert_allclose(keras_moved, expected_keras, rtol=1e-11)
    ratio = ours_moved / keras_moved
    bound = float(np.min(expected_ours / expected_keras))
    assert np.all(ratio >= 0.999 * bound), f"ratio {ratio}, derived lower bound {bound:.2f}"
    assert bound > 3.0, f"ours moves at least {bound:.2f}x farther than Keras's form"
