"""The graders of chapters/exam_practice.ipynb (E資格 演習問題): each accepts the right answer and
rejects the typical mistakes that the chapter's solutions warn about."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

import dlopt
from dlopt.exercises import PROBLEMS, check


def passes(name, answer):
    verdict = check(name, answer)
    return bool(verdict) and "正解です" in verdict.message


def rejected(name, answer):
    verdict = check(name, answer)
    return not verdict and "不正解" in verdict.message


def sample_inputs(name, seed=3, n=20):
    rng = np.random.default_rng(seed)
    return [PROBLEMS[name].make_inputs(rng) for _ in range(n)]


def test_every_exam_problem_has_a_test_here():
    tested = {
        "exam_momentum_velocity", "exam_adam_bias_correction", "exam_adamw_decay",
        "exam_early_stopping_counter", "exam_rmsprop_step", "exam_he_normal", "exam_cosine_lr",
    }
    assert {name for name in PROBLEMS if name.startswith("exam_")} == tested


@pytest.mark.parametrize("name", sorted(n for n in PROBLEMS if n.startswith("exam_")))
def test_the_reference_passes_and_a_blank_is_reported(name):
    assert passes(name, PROBLEMS[name].reference)

    def blank(**kwargs):
        return ___  # noqa: F821  (the reader's blank)

    verdict = check(name, blank)
    assert not verdict and "空欄" in verdict.message


# --- モメンタム（ゼロから作る形式） ----------------------------------------------------------------

MOMENTUM = "exam_momentum_velocity"


def momentum_answer(theta, v, grad, lr, momentum):
    v = momentum * v - lr * grad
    theta = theta + v
    return theta, v


def test_momentum_chapter_solution_passes():
    assert passes(MOMENTUM, momentum_answer)


def test_momentum_reference_is_dlopt_momentum_with_v_equal_to_minus_lr_b():
    """From v_{t-1} = −η b_{t-1}, one step of dlopt.Momentum (torch form) gives the same θ and v = −η b."""
    for inputs in sample_inputs(MOMENTUM):
        theta, v = PROBLEMS[MOMENTUM].reference(**copy.deepcopy(inputs))
        opt = dlopt.Momentum(lr=inputs["lr"], momentum=inputs["momentum"])
        params = {"w": inputs["theta"].copy()}
        # step ≥ 2 so that b ← α b + g is used (at v_0 = 0 both forms give b_1 = g_1 anyway)
        opt.state["w"] = {"step": 1, "momentum_buffer": -inputs["v"] / inputs["lr"]}
        opt.update(params, {"w": inputs["grad"]})
        np.testing.assert_allclose(params["w"], theta, rtol=1e-12, atol=1e-14)
        v_torch = -inputs["lr"] * opt.state["w"]["momentum_buffer"]
        np.testing.assert_allclose(v_torch, v, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(
    "wrong",
    [
        lambda theta, v, grad, lr, momentum: (theta - (momentum * v - lr * grad), momentum * v - lr * grad),
        lambda theta, v, grad, lr, momentum: (theta + v, momentum * v - lr * grad),  # θ moved with the old v
        lambda theta, v, grad, lr, momentum: (theta + v - lr * grad, v - lr * grad),  # α forgotten
        lambda theta, v, grad, lr, momentum: (theta + momentum * v - grad, momentum * v - grad),  # no η
        lambda theta, v, grad, lr, momentum: (
            theta + momentum * v - (1 - momentum) * lr * grad, momentum * v - (1 - momentum) * lr * grad
        ),  # dampened with 1 − α
        lambda theta, v, grad, lr, momentum: (theta - (momentum * v + lr * grad), momentum * v + lr * grad),
    ],
    ids=["theta-minus-v", "old-v", "no-momentum", "no-lr", "one-minus-alpha", "v-with-the-wrong-sign"],
)
def test_momentum_typical_mistakes_are_rejected(wrong):
    assert rejected(MOMENTUM, wrong)


# --- Adam のバイアス補正（lr_t の形） ----------------------------------------------------------------

ADAM = "exam_adam_bias_correction"


def adam_with(lr_t_of):
    """The chapter's function with the lr_t line given by ``lr_t_of(lr, beta1, beta2, t)``."""

    def answer(theta, m, v, grad, t, lr, beta1, beta2, eps):
        lr_t = lr_t_of(lr, beta1, beta2, t)
        m = m + (1 - beta1) * (grad - m)
        v = v + (1 - beta2) * (grad**2 - v)
        theta = theta - lr_t * m / (np.sqrt(v) + eps)
        return theta, m, v

    return answer


def test_adam_chapter_solution_passes():
    assert passes(ADAM, adam_with(lambda lr, b1, b2, t: lr * np.sqrt(1 - b2**t) / (1 - b1**t)))


def test_adam_in_place_form_of_zero_kara_passes():
    def answer(theta, m, v, grad, t, lr, beta1, beta2, eps):
        lr_t = lr * math.sqrt(1.0 - beta2**t) / (1.0 - beta1**t)
        m += (1 - beta1) * (grad - m)
        v += (1 - beta2) * (grad**2 - v)
        theta -= lr_t * m / (np.sqrt(v) + eps)
        return theta, m, v

    assert passes(ADAM, answer)


def test_adam_reference_is_dlopt_adam_with_a_step_dependent_eps():
    """lr_t m / (√v + ε̂) = η m̂ / (√v̂ + ε̂/√(1 − β2^t)): dlopt.Adam with that ε gives the same step."""
    for inputs in sample_inputs(ADAM):
        theta, m, v = PROBLEMS[ADAM].reference(**copy.deepcopy(inputs))
        t, b2 = inputs["t"], inputs["beta2"]
        eps = inputs["eps"] / math.sqrt(1 - b2**t)
        opt = dlopt.Adam(lr=inputs["lr"], betas=(inputs["beta1"], b2), eps=eps)
        params = {"w": inputs["theta"].copy()}
        opt.state["w"] = {"step": t - 1, "exp_avg": inputs["m"].copy(), "exp_avg_sq": inputs["v"].copy()}
        opt.update(params, {"w": inputs["grad"]})
        np.testing.assert_allclose(params["w"], theta, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(opt.state["w"]["exp_avg"], m, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(opt.state["w"]["exp_avg_sq"], v, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    "lr_t_of",
    [
        lambda lr, b1, b2, t: lr,  # no bias correction
        lambda lr, b1, b2, t: lr * (1 - b2**t) / (1 - b1**t),  # square root forgotten
        lambda lr, b1, b2, t: lr * (1 - b1**t) / np.sqrt(1 - b2**t),  # upside down
        lambda lr, b1, b2, t: lr * np.sqrt(1 - b1**t) / (1 - b2**t),  # β1 and β2 swapped
        lambda lr, b1, b2, t: lr * np.sqrt(1 - b2 ** (t - 1)) / (1 - b1 ** (t - 1)) if t > 1 else lr,  # t − 1
        lambda lr, b1, b2, t: lr * np.sqrt(1 - b2 ** (t + 1)) / (1 - b1 ** (t + 1)),  # t + 1
        lambda lr, b1, b2, t: lr / (1 - b1**t),  # only the first moment corrected
    ],
    ids=["none", "no-sqrt", "inverted", "betas-swapped", "t-minus-1", "t-plus-1", "m-only"],
)
def test_adam_typical_mistakes_are_rejected(lr_t_of):
    assert rejected(ADAM, adam_with(lr_t_of))


def test_adam_pytorch_form_is_not_this_problem():
    """ε added to the corrected √v̂ (PyTorch) is another computation: ε is 1e-4..1e-2 here, so it shows."""

    def answer(theta, m, v, grad, t, lr, beta1, beta2, eps):
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad**2
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v

    assert rejected(ADAM, answer)


# --- AdamW の減衰の行 ------------------------------------------------------------------------------

ADAMW = "exam_adamw_decay"


def adamw_with(decay):
    def answer(theta, m_hat, v_hat, lr, eps, weight_decay):
        theta = decay(theta, lr, weight_decay)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        return theta

    return answer


def test_adamw_chapter_solution_and_the_multiplicative_form_pass():
    assert passes(ADAMW, adamw_with(lambda theta, lr, wd: theta - lr * wd * theta))
    assert passes(ADAMW, adamw_with(lambda theta, lr, wd: (1 - lr * wd) * theta))


def test_adamw_reference_is_one_step_of_dlopt_adamw():
    """With m̂, v̂ taken from dlopt.AdamW's own state, the reference gives dlopt.AdamW's θ."""
    rng = np.random.default_rng(1)
    for _ in range(10):
        lr, wd = float(rng.uniform(0.01, 0.1)), float(rng.uniform(0.05, 0.5))
        opt = dlopt.AdamW(lr=lr, weight_decay=wd)
        params = {"w": rng.normal(size=(2, 3))}
        for _ in range(int(rng.integers(0, 4))):
            opt.update(params, {"w": rng.normal(size=(2, 3))})
        theta, grad = params["w"].copy(), rng.normal(size=(2, 3))
        opt.update(params, {"w": grad})
        state, (b1, b2) = opt.state["w"], opt.betas
        t = state["step"]
        m_hat, v_hat = state["exp_avg"] / (1 - b1**t), state["exp_avg_sq"] / (1 - b2**t)
        expected = PROBLEMS[ADAMW].reference(theta, m_hat, v_hat, lr, opt.eps, wd)
        np.testing.assert_allclose(params["w"], expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(
    "wrong",
    [
        adamw_with(lambda theta, lr, wd: theta - wd * theta),  # not multiplied by lr (paper, η_t = 1)
        adamw_with(lambda theta, lr, wd: theta - lr * wd),  # θ forgotten
        adamw_with(lambda theta, lr, wd: theta + lr * wd * theta),  # wrong sign
        adamw_with(lambda theta, lr, wd: theta),  # no decay: plain Adam
        # decay after the Adam step (smallest mistake: η²λ m̂/(√v̂ + ε))
        lambda theta, m_hat, v_hat, lr, eps, weight_decay: (1 - lr * weight_decay)
        * (theta - lr * m_hat / (np.sqrt(v_hat) + eps)),
        # L2 in the adaptive step: the decay is divided by √v̂ (Adam + L2 in this notation)
        lambda theta, m_hat, v_hat, lr, eps, weight_decay: theta
        - lr * (m_hat + weight_decay * theta) / (np.sqrt(v_hat) + eps),
    ],
    ids=["no-lr", "no-theta", "wrong-sign", "no-decay", "after-the-step", "divided-by-sqrt-v"],
)
def test_adamw_typical_mistakes_are_rejected(wrong):
    assert rejected(ADAMW, wrong)


def test_adamw_decay_after_the_step_exceeds_the_tolerance_in_every_trial():
    problem = PROBLEMS[ADAMW]
    rng = np.random.default_rng(0)  # the seed check() uses
    for trial in range(problem.trials):
        inputs = problem.make_inputs(rng)
        expected = problem.reference(**inputs)
        lr, wd = inputs["lr"], inputs["weight_decay"]
        step = lr * inputs["m_hat"] / (np.sqrt(inputs["v_hat"]) + inputs["eps"])
        got = (1 - lr * wd) * (inputs["theta"] - step)
        ratio = np.max(np.abs(got - expected) / (problem.atol + problem.rtol * np.abs(expected)))
        assert ratio > 100, f"trial {trial}: the mistake is within {ratio:.3g}x the tolerance"


# --- 早期終了のカウンタ ------------------------------------------------------------------------------

COUNTER = "exam_early_stopping_counter"


def counter_with(improves=lambda value, best, d: value < best - d, reset=True,
                 stops=lambda wait, patience: wait >= patience, keep_best=False):
    def answer(value, best, wait, patience, min_delta):
        if improves(value, best, min_delta):
            return (best if keep_best else value), (0 if reset else wait), False
        wait = wait + 1
        return best, wait, stops(wait, patience)

    return answer


def test_counter_chapter_solution_and_the_keras_form_pass():
    assert passes(COUNTER, counter_with())
    assert passes(COUNTER, counter_with(improves=lambda value, best, d: value + d < best))


def test_counter_reference_agrees_with_dlopt_early_stopping():
    """Put dlopt.EarlyStopping in the state (best, wait) and feed it the value: same (best, wait, stop)."""
    for inputs in sample_inputs(COUNTER, n=200):
        es = dlopt.EarlyStopping(patience=inputs["patience"], min_delta=inputs["min_delta"])
        es.step(inputs["best"])  # epoch 0: best = the given best
        es.wait = inputs["wait"]
        stop = es.step(inputs["value"])
        assert PROBLEMS[COUNTER].reference(**inputs) == (es.best_value, es.wait, stop)


@pytest.mark.parametrize(
    "wrong",
    [
        counter_with(improves=lambda value, best, d: value <= best - d),  # ≤ instead of <
        counter_with(improves=lambda value, best, d: value < best),  # min_delta ignored
        counter_with(improves=lambda value, best, d: value < best + d),  # min_delta with the wrong sign
        counter_with(reset=False),  # the counter is not reset on improvement
        counter_with(stops=lambda wait, patience: wait > patience),  # one epoch late
        counter_with(keep_best=True),  # best not updated
    ],
    ids=["le-instead-of-lt", "ignores-min-delta", "wrong-sign", "no-reset", "wait-gt-patience", "best-kept"],
)
def test_counter_typical_mistakes_are_rejected(wrong):
    assert rejected(COUNTER, wrong)


# --- RMSProp（ゼロから作るの decay_rate） ------------------------------------------------------------

RMSPROP = "exam_rmsprop_step"


def rmsprop_with(new_h, denominator=lambda h, eps: np.sqrt(h) + eps):
    def answer(theta, h, grad, lr, decay_rate, eps):
        h = new_h(h, grad, decay_rate)
        theta = theta - lr * grad / denominator(h, eps)
        return theta, h

    return answer


def test_rmsprop_chapter_solution_and_the_in_place_form_pass():
    assert passes(RMSPROP, rmsprop_with(lambda h, g, rho: rho * h + (1 - rho) * g * g))

    def in_place(theta, h, grad, lr, decay_rate, eps):
        h *= decay_rate
        h += (1 - decay_rate) * grad * grad
        theta -= lr * grad / (np.sqrt(h) + eps)
        return theta, h

    assert passes(RMSPROP, in_place)


def test_rmsprop_reference_is_dlopt_rmsprop():
    for inputs in sample_inputs(RMSPROP):
        theta, h = PROBLEMS[RMSPROP].reference(**copy.deepcopy(inputs))
        opt = dlopt.RMSProp(lr=inputs["lr"], alpha=inputs["decay_rate"], eps=inputs["eps"])
        params = {"w": inputs["theta"].copy()}
        opt.state["w"] = {"step": 0, "square_avg": inputs["h"].copy()}
        opt.update(params, {"w": inputs["grad"]})
        np.testing.assert_allclose(params["w"], theta, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(opt.state["w"]["square_avg"], h, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    "wrong",
    [
        rmsprop_with(lambda h, g, rho: h + g * g),  # AdaGrad's sum
        rmsprop_with(lambda h, g, rho: rho * h + g * g),  # (1 − ρ) forgotten
        rmsprop_with(lambda h, g, rho: (1 - rho) * h + rho * g * g),  # ρ and 1 − ρ swapped
        rmsprop_with(lambda h, g, rho: rho * h + (1 - rho) * g),  # square forgotten
        rmsprop_with(lambda h, g, rho: rho * h + (1 - rho) * g * g, lambda h, eps: np.sqrt(h + eps)),  # ε in
        rmsprop_with(lambda h, g, rho: rho * h + (1 - rho) * g * g, lambda h, eps: h + eps),  # no root
    ],
    ids=["adagrad-sum", "no-one-minus-rho", "swapped", "no-square", "eps-inside-the-root", "no-sqrt"],
)
def test_rmsprop_typical_mistakes_are_rejected(wrong):
    assert rejected(RMSPROP, wrong)


def test_rmsprop_dividing_by_the_old_h_is_rejected():
    def answer(theta, h, grad, lr, decay_rate, eps):
        theta = theta - lr * grad / (np.sqrt(h) + eps)
        h = decay_rate * h + (1 - decay_rate) * grad * grad
        return theta, h

    assert rejected(RMSPROP, answer)


# --- He の初期値 ------------------------------------------------------------------------------------

HE = "exam_he_normal"


def he_with(scale, shape=lambda n_in, n_out: (n_in, n_out)):
    def answer(n_in, n_out, seed):
        rng = np.random.default_rng(seed)
        return rng.standard_normal(shape(n_in, n_out)) * scale(n_in, n_out)

    return answer


def test_he_chapter_solution_passes():
    assert passes(HE, he_with(lambda n_in, n_out: np.sqrt(2.0 / n_in)))


def test_he_reference_is_dlopt_he_normal():
    for inputs in sample_inputs(HE):
        expected = dlopt.initializers.he_normal((inputs["n_in"], inputs["n_out"]), rng=inputs["seed"])
        np.testing.assert_allclose(PROBLEMS[HE].reference(**inputs), expected, rtol=1e-14, atol=0)


@pytest.mark.parametrize(
    "wrong",
    [
        he_with(lambda n_in, n_out: np.sqrt(2.0 / n_out)),  # fan-out
        he_with(lambda n_in, n_out: np.sqrt(1.0 / n_in)),  # ゼロから作る's "Xavier" (LeCun)
        he_with(lambda n_in, n_out: 2.0 / n_in),  # the variance, not the standard deviation
        he_with(lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out))),  # Glorot
        he_with(lambda n_in, n_out: np.sqrt(2.0 / n_in), shape=lambda n_in, n_out: (n_out, n_in)),  # T
        he_with(lambda n_in, n_out: 0.01),  # a fixed std
    ],
    ids=["fan-out", "lecun", "variance", "glorot", "transposed-torch-shape", "fixed-0.01"],
)
def test_he_typical_mistakes_are_rejected(wrong):
    assert rejected(HE, wrong)


# --- コサインアニーリング ----------------------------------------------------------------------------

COSINE = "exam_cosine_lr"


def test_cosine_chapter_solution_passes():
    def answer(t, lr, T_max, eta_min):
        return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2

    assert passes(COSINE, answer)


def test_cosine_reference_is_dlopt_cosine_annealing():
    for inputs in sample_inputs(COSINE, n=100):
        schedule = dlopt.schedules.cosine_annealing(inputs["lr"], inputs["T_max"], inputs["eta_min"])
        assert math.isclose(PROBLEMS[COSINE].reference(**inputs), schedule(inputs["t"]), rel_tol=1e-13)


@pytest.mark.parametrize(
    "wrong",
    [
        # /2 forgotten
        lambda t, lr, T_max, eta_min: eta_min + (lr - eta_min) * (1 + np.cos(np.pi * t / T_max)),
        # η instead of η − η_min
        lambda t, lr, T_max, eta_min: eta_min + lr * (1 + np.cos(np.pi * t / T_max)) / 2,
        # η_min forgotten
        lambda t, lr, T_max, eta_min: lr * (1 + np.cos(np.pi * t / T_max)) / 2,
        # 2π: a full period in T_max steps
        lambda t, lr, T_max, eta_min: eta_min + (lr - eta_min) * (1 + np.cos(2 * np.pi * t / T_max)) / 2,
        # 1 − cos: rising instead of falling
        lambda t, lr, T_max, eta_min: eta_min + (lr - eta_min) * (1 - np.cos(np.pi * t / T_max)) / 2,
        # a quarter wave
        lambda t, lr, T_max, eta_min: eta_min + (lr - eta_min) * np.cos(np.pi * t / (2 * T_max)),
    ],
    ids=["no-half", "lr-instead-of-difference", "no-eta-min", "two-pi", "one-minus-cos", "quarter-cosine"],
)
def test_cosine_typical_mistakes_are_rejected(wrong):
    assert rejected(COSINE, wrong)
