"""The table behind tests/test_exercises.py: one ``Case`` per 穴埋め problem of dlopt.exercises.

A case lists right answers written otherwise than the reference, the typical mistakes (deliberate
wrong-answer variants, each of which the grader must reject), hand-computed examples that check the
reference itself, the "dlopt twin" (the same quantity computed by dlopt's classes), mistakes that must
miss the tolerance by a margin in every graded trial, and properties of the generated inputs.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

import dlopt
from dlopt.exercises import PROBLEMS


@dataclass(frozen=True)
class Case:
    correct: dict[str, Callable] = field(default_factory=dict)
    mistakes: dict[str, Callable] = field(default_factory=dict)
    examples: list[tuple[dict, object]] = field(default_factory=list)
    # twin(rng) -> (inputs, what dlopt computes for them, in the reference's structure)
    twin: Callable[[np.random.Generator], tuple[dict, object]] | None = None
    twin_trials: int = 20
    # (mistake, index of the returned element or None, factor): in each of the graded trials the
    # mistake misses by more than factor × the tolerance atol + rtol·|expected|
    margins: list[tuple[str, int | None, float]] = field(default_factory=list)
    every_input: Callable[[dict], bool] | None = None  # holds for each of 200 generated inputs
    graded_inputs: Callable[[list[dict]], bool] | None = None  # holds for the inputs check() uses


def generated(name: str, dlopt_computes: Callable[[dict], object]) -> Callable:
    """A twin on the problem's own generated inputs."""

    def twin(rng):
        inputs = PROBLEMS[name].make_inputs(rng)
        return inputs, dlopt_computes(inputs)

    return twin


def one_step(opt, inputs: dict, **state) -> tuple[np.ndarray, dict]:
    """One ``opt.update`` of the parameter θ = inputs["theta"] with the gradient inputs["grad"],
    from the optimizer state ``state`` (copied): returns (θ after the step, the new state)."""
    params = {"w": inputs["theta"].copy()}
    opt.state["w"] = {key: np.copy(value) if isinstance(value, np.ndarray) else value
                      for key, value in state.items()}
    opt.update(params, {"w": inputs["grad"].copy()})
    return params["w"], opt.state["w"]


def initializer_std(initializer: Callable, inputs: dict, seed: int = 0) -> float:
    """The σ by which ``initializer`` scales standard normal draws (the same generator, the same seed)."""
    shape = (inputs["fan_in"], inputs["fan_out"])
    draws = np.random.default_rng(seed).standard_normal(shape)
    return float(np.median(initializer(shape, rng=seed) / draws))


# --- initialization ------------------------------------------------------------------------------

HE_MISTAKES = {
    "1/√n (LeCun, ゼロから作るの Xavier)": lambda fan_in, fan_out: 1 / np.sqrt(fan_in),
    "fan_out instead of fan_in": lambda fan_in, fan_out: np.sqrt(2 / fan_out),
    "forgot the square root": lambda fan_in, fan_out: 2 / fan_in,
    "Xavier instead of He": lambda fan_in, fan_out: np.sqrt(2 / (fan_in + fan_out)),
    "uniform bound instead of std": lambda fan_in, fan_out: np.sqrt(6 / fan_in),
    "sqrt(2)/n": lambda fan_in, fan_out: np.sqrt(2) / fan_in,
}

XAVIER_MISTAKES = {
    "1/√fan_in (ゼロから作るの Xavier)": lambda fan_in, fan_out: 1 / np.sqrt(fan_in),
    "forgot the 2": lambda fan_in, fan_out: np.sqrt(1 / (fan_in + fan_out)),
    "forgot the square root": lambda fan_in, fan_out: 2 / (fan_in + fan_out),
    "He instead of Xavier": lambda fan_in, fan_out: np.sqrt(2 / fan_in),
    "fan_out only": lambda fan_in, fan_out: np.sqrt(1 / fan_out),
    "uniform bound instead of std": lambda fan_in, fan_out: np.sqrt(6 / (fan_in + fan_out)),
}


def initialization_case(name: str, initializer: Callable, mistakes: dict, correct: dict) -> Case:
    """A standard deviation: its twin is the σ by which ``initializer`` scales standard normal draws."""
    return Case(
        correct=correct,
        mistakes=mistakes,
        twin=generated(name, lambda inputs: initializer_std(initializer, inputs)),
        twin_trials=5,
        every_input=lambda inputs: inputs["fan_in"] >= 3 and inputs["fan_in"] != inputs["fan_out"],
    )


# --- gradient_descent ----------------------------------------------------------------------------


def gd_answer(eta_max, eta_opt, rate, eigen=lambda H: tuple(np.linalg.eigvalsh(H)[[0, -1]])):
    """The chapter's function with each of its three lines given by a function of (a_min, a_max)."""

    def answer(H):
        a_min, a_max = eigen(H)
        return eta_max(a_min, a_max), eta_opt(a_min, a_max), rate(a_min, a_max)

    return answer


good_max = lambda lo, hi: 2 / hi  # noqa: E731
good_opt = lambda lo, hi: 2 / (hi + lo)  # noqa: E731
good_rate = lambda lo, hi: (hi / lo - 1) / (hi / lo + 1)  # noqa: E731

GD_MISTAKES = {
    "limit 1/a_max instead of 2/a_max": gd_answer(lambda lo, hi: 1 / hi, good_opt, good_rate),
    "limit set by the smallest curvature": gd_answer(lambda lo, hi: 2 / lo, good_opt, good_rate),
    "optimum without the factor 2": gd_answer(good_max, lambda lo, hi: 1 / (hi + lo), good_rate),
    "optimum 1/a_max": gd_answer(good_max, lambda lo, hi: 1 / hi, good_rate),
    "rate κ/(κ+1)": gd_answer(good_max, good_opt, lambda lo, hi: (hi / lo) / (hi / lo + 1)),
    "rate 1 − 1/κ": gd_answer(good_max, good_opt, lambda lo, hi: 1 - lo / hi),
    "rate with κ inverted": gd_answer(good_max, good_opt, lambda lo, hi: (lo / hi - 1) / (lo / hi + 1)),
    "diagonal instead of eigenvalues": gd_answer(
        good_max, good_opt, good_rate, eigen=lambda H: (np.diag(H).min(), np.diag(H).max())
    ),
    "eigenvalues in the wrong order": gd_answer(
        good_max, good_opt, good_rate, eigen=lambda H: tuple(np.linalg.eigvalsh(H)[::-1][[0, -1]])
    ),
}


def hessian_is_spd_and_not_diagonal(inputs):
    H = inputs["H"]
    return np.allclose(H, H.T) and np.linalg.eigvalsh(H).min() > 0 and not np.allclose(H, np.diag(np.diag(H)))


# --- sgd -----------------------------------------------------------------------------------------


def sgd_with(rows=lambda idx: idx, scale=lambda idx, y: 1 / len(idx), sign=-1.0, lr_used=True, step=True):
    """The chapter's function with one part swapped: the rows used, the 1/B factor, the sign, η."""

    def answer(w, X, y, idx, lr):
        X_batch, y_batch = X[rows(idx)], y[rows(idx)]
        grad = X_batch.T @ (X_batch @ w - y_batch) * scale(idx, y)
        return w + sign * (lr if lr_used else 1.0) * grad if step else grad

    return answer


SGD_MISTAKES = {
    "sum_not_mean": sgd_with(scale=lambda idx, y: 1.0),
    "divided_by_n": sgd_with(scale=lambda idx, y: 1 / len(y)),
    "full_data": sgd_with(rows=lambda idx: slice(None), scale=lambda idx, y: 1 / len(y)),
    "wrong_sign": sgd_with(sign=1.0),
    "factor_two": sgd_with(scale=lambda idx, y: 2 / len(idx)),
    "no_learning_rate": sgd_with(lr_used=False),
    "returns_gradient": sgd_with(step=False),
    "first_rows_instead_of_idx": sgd_with(rows=lambda idx: slice(0, len(idx))),
}


def proper_minibatch(inputs):
    idx = inputs["idx"]
    return 2 <= len(idx) < len(inputs["y"]) and len(set(idx.tolist())) == len(idx)


# --- momentum ------------------------------------------------------------------------------------


def momentum_with(first=lambda b, g, a, d, lr: g.copy(), later=lambda b, g, a, d, lr: a * b + (1 - d) * g,
                  step=lambda theta, b, lr: theta - lr * b):
    """The chapter's function with the buffer's rule at t = 1 and t ≥ 2, or the step, swapped."""

    def answer(theta, b, grad, lr, momentum, dampening, t):
        b = (first if t == 1 else later)(b, grad, momentum, dampening, lr)
        return step(theta, b, lr), b

    return answer


zero_kara_velocity = lambda b, g, a, d, lr: a * b - lr * g  # noqa: E731  (v ← αv − ηg: b as a velocity)

MOMENTUM_MISTAKES = {
    "wrong sign in the buffer": momentum_with(later=lambda b, g, a, d, lr: a * b - (1 - d) * g),
    # b_1 = (1 − d) g_1 instead of g_1
    "first-step rule forgotten": momentum_with(first=lambda b, g, a, d, lr: a * b + (1 - d) * g),
    "learning rate inside the buffer": momentum_with(
        first=lambda b, g, a, d, lr: lr * g,
        later=lambda b, g, a, d, lr: a * b + lr * (1 - d) * g,
        step=lambda theta, b, lr: theta - b,
    ),
    "dampening ignored": momentum_with(later=lambda b, g, a, d, lr: a * b + g),
    "ゼロから作る's velocity form": momentum_with(
        first=zero_kara_velocity, later=zero_kara_velocity, step=lambda theta, v, lr: theta + v),
}


def momentum_twin(inputs):
    opt = dlopt.Momentum(lr=inputs["lr"], momentum=inputs["momentum"], dampening=inputs["dampening"])
    theta, state = one_step(opt, inputs, step=inputs["t"] - 1, momentum_buffer=inputs["b"])
    return theta, state["momentum_buffer"]


# --- nesterov ------------------------------------------------------------------------------------


def nesterov_keras_form(theta, v, grad, lr, momentum):
    """Θ ← Θ + α v_t − η g with the updated v_t is the same update."""
    v = momentum * v - lr * grad
    return theta + momentum * v - lr * grad, v


NESTEROV_MISTAKES = {
    "α instead of α²": lambda theta, v, grad, lr, momentum: (
        theta + momentum * v - (1 + momentum) * lr * grad, momentum * v - lr * grad),
    "1 + α missing": lambda theta, v, grad, lr, momentum: (
        theta + momentum**2 * v - lr * grad, momentum * v - lr * grad),
    "classical momentum": lambda theta, v, grad, lr, momentum: (
        theta + momentum * v - lr * grad, momentum * v - lr * grad),
    "v updated first (ゼロから作る's code before 2021-01-18)": lambda theta, v, grad, lr, momentum: (
        theta + momentum**2 * (momentum * v - lr * grad) - (1 + momentum) * lr * grad,
        momentum * v - lr * grad),
    "wrong velocity update": lambda theta, v, grad, lr, momentum: (
        theta + momentum**2 * v - (1 + momentum) * lr * grad, momentum * v + lr * grad),
}


def velocity_twin(cls, **hyper):
    """Bengio's (Θ, v) from the torch-form class: buffer b = −v/η at a step ≥ 2, and v = −η b after."""

    def dlopt_computes(inputs):
        opt = cls(lr=inputs["lr"], momentum=inputs["momentum"], **hyper)
        theta, state = one_step(opt, inputs, step=1, momentum_buffer=-inputs["v"] / inputs["lr"])
        return theta, -inputs["lr"] * state["momentum_buffer"]

    return dlopt_computes


# --- adagrad -------------------------------------------------------------------------------------


def adagrad_in_place(theta, h, grad, lr, eps):
    """In-place updates, as dlopt itself writes them, are fine too (the grader passes copies)."""
    h += grad**2
    theta -= lr * grad / (np.sqrt(h) + eps)
    return theta, h


def adagrad_with(new_h=lambda h, grad: h + grad * grad, root=lambda h, eps: np.sqrt(h) + eps, old_h=False):
    def answer(theta, h, grad, lr, eps):
        new = new_h(h, grad)
        return theta - lr * grad / root(h if old_h else new, eps), new

    return answer


ADAGRAD_MISTAKES = {
    "missing_square": adagrad_with(new_h=lambda h, grad: h + grad),
    "eps_inside_root": adagrad_with(root=lambda h, eps: np.sqrt(h + eps)),  # Keras's √(h + ε)
    "old_accumulator": adagrad_with(old_h=True),
    "forgets_h": lambda theta, h, grad, lr, eps: theta - lr * grad / (np.sqrt(h + grad * grad) + eps),
    "sign_error": lambda theta, h, grad, lr, eps: (
        theta + lr * grad / (np.sqrt(h + grad * grad) + eps), h + grad * grad),
    "returns_swapped": lambda theta, h, grad, lr, eps: (
        h + grad * grad, theta - lr * grad / (np.sqrt(h + grad * grad) + eps)),
}


def adagrad_twin(inputs):
    opt = dlopt.AdaGrad(lr=inputs["lr"], eps=inputs["eps"])
    theta, state = one_step(opt, inputs, step=0, sum=inputs["h"])
    return theta, state["sum"]


# --- rmsprop (chapters/rmsprop and exam_practice's decay_rate form) ------------------------------


def rmsprop_with(new_v=lambda v, g, rho: rho * v + (1 - rho) * g * g,
                 denominator=lambda v, eps: np.sqrt(v) + eps, old_v=False, names=("v", "alpha")):
    """An answer of either RMSProp problem with one part swapped; ``names`` are the problem's names of
    the state and the decay rate: ("v", "alpha") in chapters/rmsprop, ("h", "decay_rate") in the exam's."""
    state, rate = names

    def answer(theta, grad, lr, eps, **rest):
        v, rho = rest[state], rest[rate]
        new = new_v(v, grad, rho)
        return theta - lr * grad / denominator(v if old_v else new, eps), new

    return answer


def exam_rmsprop_with(**swapped):
    return rmsprop_with(**swapped, names=("h", "decay_rate"))


RMSPROP_MISTAKES = {
    "adagrad_sum": rmsprop_with(new_v=lambda v, g, rho: v + g * g),
    "eps_inside_root": rmsprop_with(denominator=lambda v, eps: np.sqrt(v + eps)),
    "alpha_swapped": rmsprop_with(new_v=lambda v, g, rho: (1 - rho) * v + rho * g * g),
    "old_v_in_denominator": rmsprop_with(old_v=True),
    "missing_square": rmsprop_with(new_v=lambda v, g, rho: rho * v + (1 - rho) * g,
                                   denominator=lambda v, eps: np.sqrt(np.abs(v)) + eps),
    "missing_sqrt": rmsprop_with(denominator=lambda v, eps: v + eps),
}

EXAM_RMSPROP_MISTAKES = {
    "adagrad-sum": exam_rmsprop_with(new_v=lambda h, g, rho: h + g * g),
    "no-one-minus-rho": exam_rmsprop_with(new_v=lambda h, g, rho: rho * h + g * g),
    "swapped": exam_rmsprop_with(new_v=lambda h, g, rho: (1 - rho) * h + rho * g * g),
    "no-square": exam_rmsprop_with(new_v=lambda h, g, rho: rho * h + (1 - rho) * g),
    "eps-inside-the-root": exam_rmsprop_with(denominator=lambda h, eps: np.sqrt(h + eps)),
    "no-sqrt": exam_rmsprop_with(denominator=lambda h, eps: h + eps),
    "divides-by-the-old-h": exam_rmsprop_with(old_v=True),
}


def rmsprop_in_place(theta, h, grad, lr, decay_rate, eps):
    h *= decay_rate
    h += (1 - decay_rate) * grad * grad
    theta -= lr * grad / (np.sqrt(h) + eps)
    return theta, h


def rmsprop_twin(state_name, alpha_name):
    def dlopt_computes(inputs):
        opt = dlopt.RMSProp(lr=inputs["lr"], alpha=inputs[alpha_name], eps=inputs["eps"])
        theta, state = one_step(opt, inputs, step=0, square_avg=inputs[state_name])
        return theta, state["square_avg"]

    return dlopt_computes


# --- adam / adamw --------------------------------------------------------------------------------


def adam_with(correction=lambda beta, t: 1 - beta**t, root=lambda v_hat, eps: np.sqrt(v_hat) + eps,
              state=lambda m, v, m_hat, v_hat: (m, v), swap_betas=False,
              decay=lambda theta, lr, wd, beta1, t: theta - lr * wd * theta, decay_after=False, l2=0.0):
    """adam_step or adamw_step (with weight_decay) with one part swapped."""

    def answer(theta, m, v, grad, t, lr, betas, eps, weight_decay=None):
        beta1, beta2 = betas[::-1] if swap_betas else betas
        wd = weight_decay or 0.0
        grad = grad + l2 * wd * theta
        if weight_decay is not None and not decay_after:
            theta = decay(theta, lr, wd, beta1, t)
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad * grad
        m_hat, v_hat = m / correction(beta1, t), v / correction(beta2, t)
        theta = theta - lr * m_hat / root(v_hat, eps)
        if weight_decay is not None and decay_after:
            theta = decay(theta, lr, wd, beta1, t)
        return (theta, *state(m, v, m_hat, v_hat))

    return answer


ADAM_MISTAKES = {
    "no_bias_correction": adam_with(correction=lambda beta, t: 1.0),
    "eps_inside_root": adam_with(root=lambda v_hat, eps: np.sqrt(v_hat + eps)),
    "corrected_moments_in_state": adam_with(state=lambda m, v, m_hat, v_hat: (m_hat, v)),
    "corrected_v_in_state": adam_with(state=lambda m, v, m_hat, v_hat: (m, v_hat)),
    "t_from_zero": adam_with(correction=lambda beta, t: 1 - beta ** (t - 1)),
    "t_one_ahead": adam_with(correction=lambda beta, t: 1 - beta ** (t + 1)),
    "betas_swapped": adam_with(swap_betas=True),
    "missing_sqrt": adam_with(root=lambda v_hat, eps: v_hat + eps),
}


def adamw_in_place(theta, m, v, grad, t, lr, betas, eps, weight_decay):
    """θ *= 1 − ηλ, as dlopt and torch write it, is the same decay (the grader passes copies)."""
    beta1, beta2 = betas
    theta *= 1 - lr * weight_decay
    m *= beta1
    m += (1 - beta1) * grad
    v *= beta2
    v += (1 - beta2) * grad * grad
    theta -= lr / (1 - beta1**t) * m / (np.sqrt(v) / np.sqrt(1 - beta2**t) + eps)
    return theta, m, v


def adamw_no_v_bias_correction(theta, m, v, grad, t, lr, betas, eps, weight_decay):
    """The chapter's second blank left as v_hat = v."""
    beta1, beta2 = betas
    theta = theta - lr * weight_decay * theta
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    return theta - lr * m_hat / (np.sqrt(v) + eps), m, v


ADAMW_MISTAKES = {
    "decay_in_gradient": adam_with(decay=lambda theta, lr, wd, b1, t: theta, l2=1.0),  # Adam + L2
    "decay_without_lr": adam_with(decay=lambda theta, lr, wd, b1, t: theta - wd * theta),  # paper: η_t = 1
    "decay_after_adam_step": adam_with(decay_after=True),  # differs by η²λ·m̂/(√v̂ + ε)
    "decay_with_bias_corrected_step": adam_with(
        decay=lambda theta, lr, wd, b1, t: theta - lr / (1 - b1**t) * wd * theta),
    "no_bias_correction": adam_with(correction=lambda beta, t: 1.0),
    "no_v_bias_correction": adamw_no_v_bias_correction,
    "no_decay": adam_with(decay=lambda theta, lr, wd, b1, t: theta),  # plain Adam
    "decay_twice": adam_with(l2=1.0),  # both L2 in the gradient and the decoupled decay
    "corrected_moments_in_state": adam_with(state=lambda m, v, m_hat, v_hat: (m_hat, v_hat)),
}


def adam_twin(cls, betas=lambda inputs: inputs["betas"], eps=lambda inputs: inputs["eps"], **names):
    """One step of dlopt.Adam/AdamW from the state (m, v) after step t − 1."""

    def dlopt_computes(inputs):
        hyper = {key: inputs[name] for key, name in names.items()}
        opt = cls(lr=inputs["lr"], betas=betas(inputs), eps=eps(inputs), **hyper)
        theta, state = one_step(opt, inputs, step=inputs["t"] - 1,
                                exp_avg=inputs["m"], exp_avg_sq=inputs["v"])
        assert state["step"] == inputs["t"]
        return theta, state["exp_avg"], state["exp_avg_sq"]

    return dlopt_computes


# --- early_stopping (chapters/early_stopping and exam_practice's one-epoch counter) -------------


def keras_rule(value, best, min_delta):
    """Keras's test, in Keras's order: value + min_delta < best."""
    return value + min_delta < best


def minus_rule(value, best, min_delta):
    """The same inequality written otherwise: best − min_delta rounds on its own in floats
    (0.4 − 0.1 = 0.30000000000000004), so 0.3 after 0.4 with min_delta 0.1 counts as an improvement."""
    return value < best - min_delta


def difference_rule(value, best, min_delta):
    """Another rewriting that rounds differently: best − value > min_delta (0.4 − 0.3 > 0.1 in floats)."""
    return best - value > min_delta


def stopping_with(improves=keras_rule, reset=True, stop_when=lambda wait, patience: wait >= patience,
                  offset=0):
    """The chapter's function with one part swapped for a (possibly wrong) variant."""

    def answer(values, patience, min_delta):
        best, wait = None, 0
        for epoch, value in enumerate(values):
            if best is None or improves(value, best, min_delta):
                best = value
                if reset:
                    wait = 0
            else:
                wait += 1
                if stop_when(wait, patience):
                    return epoch + offset
        return None

    return answer


def stopping_against_the_previous_value(values, patience, min_delta):
    previous, wait = None, 0
    for epoch, value in enumerate(values):
        if previous is None or value + min_delta < previous:
            wait = 0
        else:
            wait += 1
            if wait >= patience:
                return epoch
        previous = value
    return None


STOPPING_MISTAKES = {
    "le-instead-of-lt": stopping_with(lambda value, best, d: value + d <= best),  # a tie improves
    "ignores-min-delta": stopping_with(lambda value, best, d: value < best),
    "wrong-sign": stopping_with(lambda value, best, d: value - d < best),
    "best-minus-delta": stopping_with(minus_rule),  # the float tie 0.3 after 0.4 improves
    "difference": stopping_with(difference_rule),
    "no-reset": stopping_with(reset=False),  # the counter is not reset on improvement
    "wait-gt-patience": stopping_with(stop_when=lambda wait, patience: wait > patience),  # off by one
    "one-based": stopping_with(offset=1),  # epochs counted from 1
    "compares-with-the-previous-value": stopping_against_the_previous_value,
}


def stopping_twin(inputs):
    es = dlopt.EarlyStopping(patience=inputs["patience"], min_delta=inputs["min_delta"])
    for value in inputs["values"]:
        if es.step(value):
            break
    return es.stopped_epoch


def counter_with(improves=keras_rule, reset=True, stops=lambda wait, patience: wait >= patience,
                 keep_best=False):
    def answer(value, best, wait, patience, min_delta):
        if improves(value, best, min_delta):
            return (best if keep_best else value), (0 if reset else wait), False
        wait = wait + 1
        return best, wait, stops(wait, patience)

    return answer


COUNTER_MISTAKES = {
    "le-instead-of-lt": counter_with(improves=lambda value, best, d: value + d <= best),
    "ignores-min-delta": counter_with(improves=lambda value, best, d: value < best),
    "wrong-sign": counter_with(improves=lambda value, best, d: value - d < best),
    "best-minus-delta": counter_with(improves=minus_rule),  # the float tie 0.3 after 0.4 improves
    "difference": counter_with(improves=difference_rule),
    "no-reset": counter_with(reset=False),
    "wait-gt-patience": counter_with(stops=lambda wait, patience: wait > patience),  # one epoch late
    "best-kept": counter_with(keep_best=True),  # best not updated
}


def decided_by_a_float_tie(name: str, written_with_minus: Callable) -> Callable:
    """Some graded input is a float tie whose answer ``value < best - min_delta`` gets wrong."""

    def holds(trials):
        reference = PROBLEMS[name].reference
        return any(written_with_minus(**x) != reference(**x) for x in trials)

    return holds


def counter_twin(inputs):
    """dlopt.EarlyStopping put in the state (best, wait) and fed the value."""
    es = dlopt.EarlyStopping(patience=inputs["patience"], min_delta=inputs["min_delta"])
    es.step(inputs["best"])  # epoch 0: best = the given best
    es.wait = inputs["wait"]
    stop = es.step(inputs["value"])
    return es.best_value, es.wait, stop


# --- lr_schedules and exam_practice's cosine annealing -------------------------------------------


def warmup_with(warm=lambda t, W: t / W, progress=None, floor=True, clamp=True):
    """The chapter's function with one part swapped for a (possibly wrong) variant."""

    def answer(t, lr, warmup_steps, total_steps, start_factor, eta_min):
        if t < warmup_steps:
            return lr * (start_factor + (1 - start_factor) * warm(t, warmup_steps))
        if progress is not None:
            p = progress(t, warmup_steps, total_steps)
        else:
            elapsed = t - warmup_steps
            if clamp:
                elapsed = min(elapsed, total_steps - warmup_steps)
            p = elapsed / (total_steps - warmup_steps)
        cosine = (1 + math.cos(math.pi * p)) / 2
        return eta_min + (lr - eta_min) * cosine if floor else lr * cosine

    return answer


WARMUP_MISTAKES = {
    "warmup+1": warmup_with(warm=lambda t, W: (t + 1) / W),  # off by one in the warm-up
    "warmup-W-1": warmup_with(warm=lambda t, W: t / (W - 1) if W > 1 else 1.0),  # reaches η one step early
    "no-eta-min": warmup_with(floor=False),  # lr (1 + cos) / 2
    "progress-t-over-T": warmup_with(progress=lambda t, W, T: min(t, T) / T),  # warm-up not subtracted
    "denominator-T": warmup_with(progress=lambda t, W, T: min(t - W, T - W) / T),
    "progress+1": warmup_with(progress=lambda t, W, T: (min(t, T) - W + 1) / (T - W)),
    "no-clamp": warmup_with(clamp=False),  # torch-like: climbs again after total_steps
}


def eta_min_plus_lr_cosine(t, lr, warmup_steps, total_steps, start_factor, eta_min):
    if t < warmup_steps:
        return lr * (start_factor + (1 - start_factor) * t / warmup_steps)
    p = min(t - warmup_steps, total_steps - warmup_steps) / (total_steps - warmup_steps)
    return eta_min + lr * (1 + math.cos(math.pi * p)) / 2


WARMUP_MISTAKES["eta-min-plus-lr-times-cosine"] = eta_min_plus_lr_cosine


def warmup_phases(trials):
    """check() uses seed 0 and 20 trials: warm-up, cosine and after-T cases all occur."""
    phases = {0 if x["t"] < x["warmup_steps"] else 1 if x["t"] <= x["total_steps"] else 2 for x in trials}
    return phases == {0, 1, 2}


def cosine_with(value):
    """An answer ``value(t, lr, T_max, eta_min, c)`` with c = cos(π t / T_max) at hand."""
    return lambda t, lr, T_max, eta_min: value(t, lr, T_max, eta_min, np.cos(np.pi * t / T_max))


COSINE_MISTAKES = {
    "no-half": cosine_with(lambda t, lr, T_max, eta_min, c: eta_min + (lr - eta_min) * (1 + c)),
    "lr-instead-of-difference": cosine_with(lambda t, lr, T_max, eta_min, c: eta_min + lr * (1 + c) / 2),
    "no-eta-min": cosine_with(lambda t, lr, T_max, eta_min, c: lr * (1 + c) / 2),
    "one-minus-cos": cosine_with(lambda t, lr, T_max, eta_min, c: eta_min + (lr - eta_min) * (1 - c) / 2),
    "two-pi": lambda t, lr, T_max, eta_min: (  # a full period in T_max steps
        eta_min + (lr - eta_min) * (1 + np.cos(2 * np.pi * t / T_max)) / 2),
    "quarter-cosine": lambda t, lr, T_max, eta_min: (
        eta_min + (lr - eta_min) * np.cos(np.pi * t / (2 * T_max))),
}


# --- choosing ------------------------------------------------------------------------------------


def mean_std_by_hand(results):
    n = results.shape[1]
    mean = results.sum(axis=1) / n
    std = np.sqrt(((results - mean[:, None]) ** 2).sum(axis=1) / (n - 1))
    return mean, std


MEAN_STD_MISTAKES = {
    "population": lambda results: (results.mean(axis=1), results.std(axis=1)),  # np.std's default ddof=0
    "wrong_axis": lambda results: (results.mean(axis=0), results.std(axis=0, ddof=1)),
    "variance": lambda results: (results.mean(axis=1), results.var(axis=1, ddof=1)),
    "standard_error": lambda results: (  # s/√n is a different quantity from s
        results.mean(axis=1), results.std(axis=1, ddof=1) / np.sqrt(results.shape[1])),
    "swapped": lambda results: (results.std(axis=1, ddof=1), results.mean(axis=1)),
}


def best_lr_chapter(lrs, val_losses):
    """The filled-in function of the chapter's solution."""
    lrs = np.asarray(lrs, dtype=float)
    val_losses = np.asarray(val_losses, dtype=float)
    tied = lrs[val_losses == val_losses.min()]
    return float(np.min(tied))


def best_lr_first_argmin(lrs, val_losses):
    """The typical mistake: np.argmin returns the FIRST minimum, which need not be the smaller η."""
    return float(np.asarray(lrs)[np.argmin(val_losses)])


BEST_LR_MISTAKES = {
    "first_argmin": best_lr_first_argmin,
    "largest_on_ties": lambda lrs, val_losses: float(
        np.asarray(lrs)[np.asarray(val_losses) == np.min(val_losses)].max()),
    "argmax": lambda lrs, val_losses: float(np.asarray(lrs)[np.argmax(val_losses)]),
    "returns_index": lambda lrs, val_losses: int(np.argmin(val_losses)),
    "returns_loss": lambda lrs, val_losses: float(np.min(val_losses)),
    "sorts_only_lrs": lambda lrs, val_losses: float(np.sort(lrs)[np.argmin(val_losses)]),  # breaks the pairs
}


def argmin_traps(trials):
    """Not by luck: several graded inputs tie at the minimum with the larger η listed first."""
    reference = PROBLEMS["choosing_best_lr"].reference
    return sum(best_lr_first_argmin(**x) != reference(**x) for x in trials) >= 3


# --- pytorch -------------------------------------------------------------------------------------


def decay_by_rule(decays):
    """An answer that gives λ to the parameters for which ``decays(name, array)`` is true."""
    return lambda params, weight_decay: np.array(
        [weight_decay if decays(name, p) else 0.0 for name, p in params.items()])


PARAM_GROUP_MISTAKES = {
    "ndim==2": decay_by_rule(lambda name, p: p.ndim == 2),  # conv weights left out
    "ndim>=1": decay_by_rule(lambda name, p: p.ndim >= 1),  # biases and norm layers decay
    "ndim>=3": decay_by_rule(lambda name, p: p.ndim >= 3),  # dense weights and embeddings left out
    "size>=2": decay_by_rule(lambda name, p: p.size >= 2),  # biases decay (by size, not ndim)
    "ndim>2": decay_by_rule(lambda name, p: p.ndim > 2),  # only conv weights
    "ndim!=1": decay_by_rule(lambda name, p: p.ndim != 1),  # the 0-d scalar decays
    "by-name": decay_by_rule(lambda name, p: "weight" in name),  # the 1-D norm.weight decays
    "by-size": decay_by_rule(lambda name, p: p.size > 1),  # biases decay
    "inverted": decay_by_rule(lambda name, p: p.ndim < 2),
    "all": decay_by_rule(lambda name, p: True),
    "sorted": lambda params, weight_decay: np.sort(  # the dict's order is the optimizer's order
        np.array([weight_decay if p.ndim >= 2 else 0.0 for p in params.values()])),
}


def tricky_parameters_occur(trials):
    seen = set().union(*(x["params"] for x in trials))
    return {"norm.weight", "temperature", "conv.weight", "head.weight", "fc.bias"} <= seen


def clip_with(norm, coef=lambda c, total: min(1.0, c / (total + 1e-6))):
    """An answer that measures ``norm(grads)`` and computes the coefficient ``coef(max_norm, norm)``."""
    def answer(grads, max_norm):
        total = norm(grads)
        return total, coef(max_norm, total)

    return answer


l2 = lambda grads: np.sqrt(sum(np.sum(g**2) for g in grads))  # noqa: E731

CLIP_MISTAKES = {
    "first-tensor-only": clip_with(lambda grads: np.sqrt(np.sum(grads[0] ** 2))),
    "largest-tensor-norm": clip_with(lambda grads: max(np.sqrt(np.sum(g**2)) for g in grads)),
    "sum-of-norms": clip_with(lambda grads: sum(np.sqrt(np.sum(g**2)) for g in grads)),
    "no-sqrt": clip_with(lambda grads: sum(np.sum(g**2) for g in grads)),
    "l1": clip_with(lambda grads: sum(np.sum(np.abs(g)) for g in grads)),
    "max-abs": clip_with(lambda grads: max(np.max(np.abs(g)) for g in grads)),
    "rms": clip_with(lambda grads: np.sqrt(np.mean(np.concatenate([g.ravel() ** 2 for g in grads])))),
    "no-min-1": clip_with(l2, coef=lambda c, total: c / (total + 1e-6)),  # small gradients amplified
    "max-instead-of-min": clip_with(l2, coef=lambda c, total: max(1.0, c / (total + 1e-6))),
    "no-eps": clip_with(l2, coef=lambda c, total: min(1.0, c / total)),
    "eps-outside": clip_with(l2, coef=lambda c, total: min(1.0, c / total + 1e-6)),
    "inverted": clip_with(l2, coef=lambda c, total: min(1.0, (total + 1e-6) / c)),
}


def clip_grad_norm_twin(inputs):
    """torch.nn.utils.clip_grad_norm_ on float64 tensors: (its return value, the factor by which the
    .grad's changed, read off all of them at once)."""
    import torch

    params = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in inputs["grads"]]
    for p, g in zip(params, inputs["grads"], strict=True):
        p.grad = torch.from_numpy(np.array(g, dtype=np.float64))
    total = torch.nn.utils.clip_grad_norm_(params, inputs["max_norm"])
    before = np.concatenate([g.ravel() for g in inputs["grads"]])
    after = np.concatenate([p.grad.numpy().ravel() for p in params])
    return float(total), float(after @ before / (before @ before))


def clipping_on_both_sides(trials):
    """Some graded trials need no clipping and some do, with several tensors (one tensor ≠ all)."""
    totals = [(l2(x["grads"]), x["max_norm"], len(x["grads"])) for x in trials]
    return (any(total < c for total, c, _ in totals) and any(total > c and n >= 2 for total, c, n in totals))


# --- exam_practice -------------------------------------------------------------------------------

EXAM_MOMENTUM_MISTAKES = {
    "theta-minus-v": lambda theta, v, grad, lr, momentum: (
        theta - (momentum * v - lr * grad), momentum * v - lr * grad),
    "old-v": lambda theta, v, grad, lr, momentum: (theta + v, momentum * v - lr * grad),
    "no-momentum": lambda theta, v, grad, lr, momentum: (theta + v - lr * grad, v - lr * grad),
    "no-lr": lambda theta, v, grad, lr, momentum: (theta + momentum * v - grad, momentum * v - grad),
    "one-minus-alpha": lambda theta, v, grad, lr, momentum: (
        theta + momentum * v - (1 - momentum) * lr * grad, momentum * v - (1 - momentum) * lr * grad),
    "v-with-the-wrong-sign": lambda theta, v, grad, lr, momentum: (
        theta - (momentum * v + lr * grad), momentum * v + lr * grad),
}


def exam_adam_with(lr_t_of):
    """The chapter's function with the lr_t line given by ``lr_t_of(lr, beta1, beta2, t)``."""

    def answer(theta, m, v, grad, t, lr, beta1, beta2, eps):
        lr_t = lr_t_of(lr, beta1, beta2, t)
        m = m + (1 - beta1) * (grad - m)
        v = v + (1 - beta2) * (grad**2 - v)
        theta = theta - lr_t * m / (np.sqrt(v) + eps)
        return theta, m, v

    return answer


def exam_adam_in_place(theta, m, v, grad, t, lr, beta1, beta2, eps):
    lr_t = lr * math.sqrt(1.0 - beta2**t) / (1.0 - beta1**t)
    m += (1 - beta1) * (grad - m)
    v += (1 - beta2) * (grad**2 - v)
    theta -= lr_t * m / (np.sqrt(v) + eps)
    return theta, m, v


adam_step = PROBLEMS["adam_step"].reference


def exam_adam_pytorch_form(theta, m, v, grad, t, lr, beta1, beta2, eps):
    """ε added to the corrected √v̂ (PyTorch) is another computation: ε is 1e-4..1e-2 here, so it shows."""
    return adam_step(theta, m, v, grad, t, lr, (beta1, beta2), eps)

EXAM_ADAM_MISTAKES = {
    "none": exam_adam_with(lambda lr, b1, b2, t: lr),  # no bias correction
    "no-sqrt": exam_adam_with(lambda lr, b1, b2, t: lr * (1 - b2**t) / (1 - b1**t)),
    "inverted": exam_adam_with(lambda lr, b1, b2, t: lr * (1 - b1**t) / np.sqrt(1 - b2**t)),
    "betas-swapped": exam_adam_with(lambda lr, b1, b2, t: lr * np.sqrt(1 - b1**t) / (1 - b2**t)),
    "t-minus-1": exam_adam_with(
        lambda lr, b1, b2, t: lr * np.sqrt(1 - b2 ** (t - 1)) / (1 - b1 ** (t - 1)) if t > 1 else lr),
    "t-plus-1": exam_adam_with(lambda lr, b1, b2, t: lr * np.sqrt(1 - b2 ** (t + 1)) / (1 - b1 ** (t + 1))),
    "m-only": exam_adam_with(lambda lr, b1, b2, t: lr / (1 - b1**t)),  # only the first moment corrected
    "pytorch-form": exam_adam_pytorch_form,
}


def exam_adam_twin(inputs):
    """lr_t m / (√v + ε̂) = η m̂ / (√v̂ + ε̂/√(1 − β2^t)): dlopt.Adam with that ε gives the same step."""
    twin = adam_twin(dlopt.Adam, betas=lambda x: (x["beta1"], x["beta2"]),
                     eps=lambda x: x["eps"] / math.sqrt(1 - x["beta2"] ** x["t"]))
    return twin(inputs)


def adamw_decay_with(decay):
    def answer(theta, m_hat, v_hat, lr, eps, weight_decay):
        theta = decay(theta, lr, weight_decay)
        return theta - lr * m_hat / (np.sqrt(v_hat) + eps)

    return answer


EXAM_ADAMW_MISTAKES = {
    "no-lr": adamw_decay_with(lambda theta, lr, wd: theta - wd * theta),  # the paper, η_t = 1
    "no-theta": adamw_decay_with(lambda theta, lr, wd: theta - lr * wd),
    "wrong-sign": adamw_decay_with(lambda theta, lr, wd: theta + lr * wd * theta),
    "no-decay": adamw_decay_with(lambda theta, lr, wd: theta),  # plain Adam
    # decay after the Adam step (the smallest mistake: η²λ m̂/(√v̂ + ε))
    "after-the-step": lambda theta, m_hat, v_hat, lr, eps, weight_decay: (1 - lr * weight_decay)
    * (theta - lr * m_hat / (np.sqrt(v_hat) + eps)),
    # L2 in the adaptive step: the decay is divided by √v̂ (Adam + L2 in this notation)
    "divided-by-sqrt-v": lambda theta, m_hat, v_hat, lr, eps, weight_decay: theta
    - lr * (m_hat + weight_decay * theta) / (np.sqrt(v_hat) + eps),
}


def exam_adamw_twin(rng):
    """With m̂, v̂ taken from dlopt.AdamW's own state, the reference gives dlopt.AdamW's θ."""
    lr, wd = float(rng.uniform(0.01, 0.1)), float(rng.uniform(0.05, 0.5))
    opt = dlopt.AdamW(lr=lr, weight_decay=wd)
    params = {"w": rng.normal(size=(2, 3))}
    for _ in range(int(rng.integers(0, 4))):
        opt.update(params, {"w": rng.normal(size=(2, 3))})
    theta = params["w"].copy()
    opt.update(params, {"w": rng.normal(size=(2, 3))})
    state, (b1, b2) = opt.state["w"], opt.betas
    t = state["step"]
    m_hat, v_hat = state["exp_avg"] / (1 - b1**t), state["exp_avg_sq"] / (1 - b2**t)
    inputs = {"theta": theta, "m_hat": m_hat, "v_hat": v_hat, "lr": lr, "eps": opt.eps, "weight_decay": wd}
    return inputs, params["w"]


def he_with(scale, shape=lambda n_in, n_out: (n_in, n_out)):
    def answer(n_in, n_out, seed):
        rng = np.random.default_rng(seed)
        return rng.standard_normal(shape(n_in, n_out)) * scale(n_in, n_out)

    return answer


EXAM_HE_MISTAKES = {
    "fan-out": he_with(lambda n_in, n_out: np.sqrt(2.0 / n_out)),
    "lecun": he_with(lambda n_in, n_out: np.sqrt(1.0 / n_in)),  # ゼロから作る's "Xavier"
    "variance": he_with(lambda n_in, n_out: 2.0 / n_in),  # the variance, not the standard deviation
    "glorot": he_with(lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out))),
    "transposed-torch-shape": he_with(lambda n_in, n_out: np.sqrt(2.0 / n_in),
                                      shape=lambda n_in, n_out: (n_out, n_in)),
    "fixed-0.01": he_with(lambda n_in, n_out: 0.01),
}


# --- the table -----------------------------------------------------------------------------------

CASES: dict[str, Case] = {
    "initialization_he_std": initialization_case(
        "initialization_he_std", dlopt.initializers.he_normal, HE_MISTAKES,
        {"math.sqrt": lambda fan_in, fan_out: math.sqrt(2 / fan_in)}),
    "initialization_xavier_std": initialization_case(
        "initialization_xavier_std", dlopt.initializers.xavier_normal, XAVIER_MISTAKES,
        {"power 0.5": lambda fan_in, fan_out: (2 / (fan_out + fan_in)) ** 0.5}),
    "gradient_descent_learning_rates": Case(
        correct={"chapter": gd_answer(good_max, good_opt, good_rate)},
        mistakes=GD_MISTAKES,
        examples=[({"H": np.diag([0.1, 2.0])}, (1.0, 2 / 2.1, 19 / 21))],  # the chapter's x²/20 + y²
        every_input=hessian_is_spd_and_not_diagonal,
    ),
    "sgd_minibatch_step": Case(
        correct={"chapter": sgd_with()},
        mistakes=SGD_MISTAKES,
        # batch {0, 1}: residuals (2 − 1, 2 − 0) = (1, 2); gradient = (1·1 + 0·2, 0·1 + 2·2) / 2 = (0.5, 2)
        examples=[({"w": np.array([2.0, 1.0]), "X": np.array([[1.0, 0.0], [0.0, 2.0], [5.0, 5.0]]),
                    "y": np.array([1.0, 0.0, 7.0]), "idx": np.array([0, 1]), "lr": 0.1},
                   np.array([2.0 - 0.05, 1.0 - 0.2]))],
        every_input=proper_minibatch,
    ),
    "momentum_step": Case(
        correct={"chapter": momentum_with()},
        mistakes=MOMENTUM_MISTAKES,
        twin=generated("momentum_step", momentum_twin),
    ),
    "nesterov_step": Case(
        correct={"keras form with the new velocity": nesterov_keras_form},
        mistakes=NESTEROV_MISTAKES,
        twin=generated("nesterov_step", velocity_twin(dlopt.Nesterov)),  # v = −η b
    ),
    "adagrad_step": Case(
        correct={"chapter": adagrad_with(), "in place": adagrad_in_place},
        mistakes=ADAGRAD_MISTAKES,
        twin=generated("adagrad_step", adagrad_twin),
        margins=[("eps_inside_root", 0, 2.0)],  # ε = 1e-7: still 5× the tolerance at least
        every_input=lambda x: x["eps"] == 1e-7,
    ),
    "rmsprop_step": Case(
        correct={"chapter": rmsprop_with()},
        mistakes=RMSPROP_MISTAKES,
        twin=generated("rmsprop_step", rmsprop_twin("v", "alpha")),
        margins=[("eps_inside_root", 0, 10.0)],
    ),
    "adam_step": Case(
        correct={"chapter": adam_with()},
        mistakes=ADAM_MISTAKES,
        twin=generated("adam_step", adam_twin(dlopt.Adam)),
        margins=[("eps_inside_root", 0, 10.0)],
        graded_inputs=lambda trials: 1 in {x["t"] for x in trials},  # 1 − β^t = 1 − β is graded
    ),
    "adamw_step": Case(
        correct={"chapter": adam_with(), "in place, multiplicative": adamw_in_place},
        mistakes=ADAMW_MISTAKES,
        twin=generated("adamw_step", adam_twin(dlopt.AdamW, weight_decay="weight_decay")),
        margins=[("decay_after_adam_step", 0, 100.0)],  # measured: 1e5 at least
        every_input=lambda x: x["lr"] >= 0.01 and x["weight_decay"] >= 0.05,
    ),
    "early_stopping_stop_epoch": Case(
        correct={"chapter": stopping_with(),
                 "min_delta first": stopping_with(lambda value, best, d: d + value < best),
                 "negated": stopping_with(lambda value, best, d: not value + d >= best)},
        mistakes=STOPPING_MISTAKES,
        examples=[({"values": [3.0, 2.0, 1.0], "patience": 1, "min_delta": 0.0}, None),  # never stops
                  # 0.3 is no improvement on 0.4 with min_delta 0.1: stops at epoch 2, not 3
                  ({"values": [0.4, 0.3, 0.5, 0.6], "patience": 2, "min_delta": 0.1}, 2)],
        twin=generated("early_stopping_stop_epoch", stopping_twin),
        twin_trials=200,
        every_input=lambda x: PROBLEMS["early_stopping_stop_epoch"].reference(**x) is not None,
        graded_inputs=decided_by_a_float_tie("early_stopping_stop_epoch", stopping_with(minus_rule)),
    ),
    "lr_schedules_warmup_cosine": Case(
        correct={"chapter": warmup_with()},
        mistakes=WARMUP_MISTAKES,
        twin=generated("lr_schedules_warmup_cosine", lambda x: dlopt.schedules.warmup_cosine(
            x["lr"], x["warmup_steps"], x["total_steps"], x["start_factor"], x["eta_min"])(x["t"])),
        twin_trials=300,
        graded_inputs=warmup_phases,
    ),
    "choosing_mean_std": Case(
        correct={"chapter": lambda results: (results.mean(axis=1), results.std(axis=1, ddof=1)),
                 "by hand": mean_std_by_hand},
        mistakes=MEAN_STD_MISTAKES,
        # the chapter prints mean ± std with np.std(ddof=1)
        examples=[({"results": np.array([[0.13, 0.14, 0.12], [0.16, 0.15, 0.17]])},
                   (np.array([0.13, 0.16]), np.array([0.01, 0.01])))],
        margins=[("population", 1, 1.0)],  # √((n − 1)/n) ≤ 0.91: beyond the tolerance, always
        every_input=lambda x: (2 <= x["results"].shape[1] <= 6
                               and x["results"].shape[0] != x["results"].shape[1]),
    ),
    "choosing_best_lr": Case(
        correct={"chapter": best_lr_chapter,
                 "min over (loss, lr) pairs": lambda lrs, val_losses: (
                     min(zip(val_losses, lrs, strict=True))[1])},
        mistakes=BEST_LR_MISTAKES,
        examples=[({"lrs": [0.1, 0.01, 0.03], "val_losses": [0.2, 0.15, 0.15]}, 0.01),
                  ({"lrs": [1.0, 0.3], "val_losses": [np.inf, 0.5]}, 0.3),
                  ({"lrs": [0.003], "val_losses": [0.16]}, 0.003)],
        every_input=lambda x: bool(np.isfinite(x["val_losses"]).any()),
        graded_inputs=argmin_traps,
    ),
    "pytorch_param_groups": Case(
        correct={"chapter": decay_by_rule(lambda name, p: p.ndim >= 2)},
        mistakes=PARAM_GROUP_MISTAKES,
        graded_inputs=tricky_parameters_occur,
    ),
    "pytorch_clip_grad_norm": Case(
        correct={
            "chapter": clip_with(l2),
            "one vector": clip_with(lambda gs: np.linalg.norm(np.concatenate([g.ravel() for g in gs]))),
            "norm of norms (torch's foreach)": clip_with(
                lambda gs: np.linalg.norm([np.linalg.norm(g.ravel()) for g in gs])),
            "if instead of min": clip_with(
                l2, coef=lambda c, total: c / (total + 1e-6) if total + 1e-6 > c else 1.0),
        },
        mistakes=CLIP_MISTAKES,
        examples=[
            ({"grads": [np.array([3.0]), np.array([[4.0]])], "max_norm": 1.0}, (5.0, 1 / (5 + 1e-6))),
            ({"grads": [np.array([0.3, 0.4]), np.zeros(())], "max_norm": 1.0}, (0.5, 1.0)),
        ],
        twin=generated("pytorch_clip_grad_norm", clip_grad_norm_twin),
        graded_inputs=clipping_on_both_sides,
    ),
    "exam_momentum_velocity": Case(
        correct={"chapter": lambda theta, v, grad, lr, momentum: (
            theta + (momentum * v - lr * grad), momentum * v - lr * grad)},
        mistakes=EXAM_MOMENTUM_MISTAKES,
        twin=generated("exam_momentum_velocity", velocity_twin(dlopt.Momentum)),  # v = −η b
    ),
    "exam_adam_bias_correction": Case(
        correct={"chapter": exam_adam_with(lambda lr, b1, b2, t: lr * np.sqrt(1 - b2**t) / (1 - b1**t)),
                 "in place (ゼロから作る)": exam_adam_in_place},
        mistakes=EXAM_ADAM_MISTAKES,
        twin=generated("exam_adam_bias_correction", exam_adam_twin),
    ),
    "exam_adamw_decay": Case(
        correct={"chapter": adamw_decay_with(lambda theta, lr, wd: theta - lr * wd * theta),
                 "multiplicative": adamw_decay_with(lambda theta, lr, wd: (1 - lr * wd) * theta)},
        mistakes=EXAM_ADAMW_MISTAKES,
        twin=exam_adamw_twin,
        twin_trials=10,
        margins=[("after-the-step", None, 100.0)],
    ),
    "exam_early_stopping_counter": Case(
        correct={"chapter": counter_with(),
                 "min_delta first": counter_with(lambda value, best, d: d + value < best),
                 "negated": counter_with(lambda value, best, d: not value + d >= best)},
        mistakes=COUNTER_MISTAKES,
        examples=[({"value": 0.3, "best": 0.4, "wait": 1, "patience": 2, "min_delta": 0.1},
                   (0.4, 2, True))],  # the float tie: no improvement, the second wait stops
        twin=generated("exam_early_stopping_counter", counter_twin),
        twin_trials=200,
        graded_inputs=decided_by_a_float_tie("exam_early_stopping_counter", counter_with(minus_rule)),
    ),
    "exam_rmsprop_step": Case(
        correct={"chapter": exam_rmsprop_with(), "in place": rmsprop_in_place},
        mistakes=EXAM_RMSPROP_MISTAKES,
        twin=generated("exam_rmsprop_step", rmsprop_twin("h", "decay_rate")),
    ),
    "exam_he_normal": Case(
        correct={"chapter": he_with(lambda n_in, n_out: np.sqrt(2.0 / n_in))},
        mistakes=EXAM_HE_MISTAKES,
        twin=generated("exam_he_normal", lambda x: dlopt.initializers.he_normal((x["n_in"], x["n_out"]),
                                                                                 rng=x["seed"])),
    ),
    "exam_cosine_lr": Case(
        correct={"chapter (math.cos)": lambda t, lr, T_max, eta_min: eta_min + (lr - eta_min) * (
            1 + math.cos(math.pi * t / T_max)) / 2},
        mistakes=COSINE_MISTAKES,
        twin=generated("exam_cosine_lr", lambda x: dlopt.schedules.cosine_annealing(
            x["lr"], x["T_max"], x["eta_min"])(x["t"])),
        twin_trials=100,
    ),
}

# The cases of the later chapters live in one module each (tests/exercise_cases_<chapter>.py); each
# builds its cases with this module's Case and helpers, so it is imported once those exist.
for _chapter in ("distributed", "adafactor_lion", "muon", "schedule_free"):
    CASES.update(importlib.import_module(f"exercise_cases_{_chapter}").CASES)
