"""The 穴埋め cases of chapters/adafactor_lion (see tests/exercise_cases.py for what a Case holds)."""

from __future__ import annotations

import math

import numpy as np
from exercise_cases import Case, generated, one_step

import dlopt

EPS1, EPS2 = float(np.finfo(np.float64).eps), 1e-3


# --- adafactor_step ------------------------------------------------------------------------------


def adafactor_with(row=lambda g2, R, k: R + k * (g2.mean(axis=1, keepdims=True) - R),
                   col=lambda g2, C, k: C + k * (g2.mean(axis=0, keepdims=True) - C),
                   v_hat=lambda R, C: R @ C / max(float(R.mean()), EPS1),
                   one_minus_beta2=lambda t: t**-0.8, clip=True):
    """The chapter's function with one part swapped (k = 1 − β̂2_t)."""

    def answer(theta, R, C, grad, t, lr, d):
        k = one_minus_beta2(t)
        rho = min(lr, 1.0 / math.sqrt(t))
        alpha = max(EPS2, float(np.sqrt(np.mean(theta**2)))) * rho
        g2 = grad * grad
        R, C = row(g2, R, k), col(g2, C, k)
        U = grad / np.sqrt(np.maximum(v_hat(R, C), EPS1**2))
        if clip:
            U = U / max(1.0, float(np.sqrt(np.mean(U**2))) / d)
        return theta - alpha * U, R, C

    return answer


def adafactor_sums(theta, R, C, grad, t, lr, d):
    """The paper's form: sums instead of means in the reconstruction, R_sum C_sum / total sum."""
    k = t**-0.8
    n, m = grad.shape
    R = (1 - k) * R + k * np.mean(grad**2, axis=1, keepdims=True)
    C = (1 - k) * C + k * np.mean(grad**2, axis=0, keepdims=True)
    v_hat = np.outer(R * m, C * n) / np.sum(R * m)
    U = grad / np.sqrt(v_hat)
    U /= max(1.0, np.linalg.norm(U) / math.sqrt(U.size) / d)
    scale = max(EPS2, np.linalg.norm(theta) / math.sqrt(theta.size))
    return theta - scale * min(lr, t**-0.5) * U, R, C


ADAFACTOR_CORRECT = {
    "sums_as_in_the_paper": adafactor_sums,
    "broadcast_product": adafactor_with(v_hat=lambda R, C: R * C / R.mean()),
    "row_factor_as_in_transformers": adafactor_with(v_hat=lambda R, C: (R / R.mean()) * C),
}

ADAFACTOR_MISTAKES = {
    "no_normalization": adafactor_with(v_hat=lambda R, C: R @ C),
    "divided_by_sum_of_R": adafactor_with(v_hat=lambda R, C: R @ C / R.sum()),
    "divided_by_mean_of_C": adafactor_with(v_hat=lambda R, C: R @ C / C.mean()),
    "beta2_swapped": adafactor_with(one_minus_beta2=lambda t: 1 - t**-0.8),
    "constant_beta2_0.999": adafactor_with(one_minus_beta2=lambda t: 0.001),
    "square_of_mean_abs_g": adafactor_with(
        row=lambda g2, R, k: R + k * (np.sqrt(g2).mean(axis=1, keepdims=True) ** 2 - R)),
    "sum_not_mean_in_R": adafactor_with(row=lambda g2, R, k: R + k * (g2.sum(axis=1, keepdims=True) - R)),
    "one_number_per_matrix": adafactor_with(v_hat=lambda R, C: R.mean() + 0 * (R @ C)),
    "no_clipping": adafactor_with(clip=False),
}


def adafactor_twin(inputs):
    opt = dlopt.Adafactor(lr=inputs["lr"], d=inputs["d"])
    theta, state = one_step(opt, inputs, step=inputs["t"] - 1, row_var=inputs["R"], col_var=inputs["C"])
    assert state["step"] == inputs["t"]
    return theta, state["row_var"], state["col_var"]


# --- lion_step -----------------------------------------------------------------------------------


def lion_with(c=lambda m, g, b1: b1 * m + (1 - b1) * g, decay=lambda theta, lr, wd: lr * wd * theta,
              decay_after=False, swap=False, momentum_first=False, sign=np.sign):
    def answer(theta, m, grad, lr, betas, weight_decay):
        beta1, beta2 = betas[::-1] if swap else betas
        m_new = beta2 * m + (1 - beta2) * grad
        direction = sign(c(m_new if momentum_first else m, grad, beta1))
        if decay_after:
            theta = theta - lr * direction
            theta = theta - decay(theta, lr, weight_decay)
        else:
            theta = theta - decay(theta, lr, weight_decay) - lr * direction
        return theta, m_new

    return answer


def lion_in_place(theta, m, grad, lr, betas, weight_decay):
    """As lion_pytorch writes it: θ *= 1 − ηλ; θ −= η sign(c); m *= β2; m += (1 − β2) g."""
    beta1, beta2 = betas
    update = np.sign(m * beta1 + grad * (1 - beta1))
    theta *= 1 - lr * weight_decay
    theta -= lr * update
    m *= beta2
    m += (1 - beta2) * grad
    return theta, m


LION_CORRECT = {
    "in_place_as_lion_pytorch": lion_in_place,
    "lerp_form": lion_with(c=lambda m, g, b1: m + (1 - b1) * (g - m)),
}

LION_MISTAKES = {
    "betas_swapped": lion_with(swap=True),
    "momentum_updated_first": lion_with(momentum_first=True),
    "no_sign": lion_with(sign=lambda c: c),
    "sign_of_momentum_only": lion_with(c=lambda m, g, b1: m),
    "sign_of_gradient_only": lion_with(c=lambda m, g, b1: g),
    "decay_without_lr": lion_with(decay=lambda theta, lr, wd: wd * theta),
    "decay_after_sign_step": lion_with(decay_after=True),
    "no_decay": lion_with(decay=lambda theta, lr, wd: 0.0 * theta),
}


def lion_twin(inputs):
    opt = dlopt.Lion(lr=inputs["lr"], betas=inputs["betas"], weight_decay=inputs["weight_decay"])
    theta, state = one_step(opt, inputs, step=0, exp_avg=inputs["m"])
    return theta, state["exp_avg"]


CASES: dict[str, Case] = {
    "adafactor_step": Case(
        correct=ADAFACTOR_CORRECT,
        mistakes=ADAFACTOR_MISTAKES,
        examples=[
            # 1×… is not graded; a 2×2 by hand: t = 1 forgets R, C; g² = [[4, 0], [0, 0]] gives
            # R = (2, 0), C = (2, 0), V̂ = [[4, 0], [0, 0]]: U = sign-like (1 where g ≠ 0, 0 elsewhere),
            # RMS(U) = 1/2 ≤ d; RMS(θ) = 1, ρ = min(0.05, 1) → θ − 0.05·U.
            ({"theta": np.ones((2, 2)), "R": np.ones((2, 1)), "C": np.ones((1, 2)),
              "grad": np.array([[2.0, 0.0], [0.0, 0.0]]), "t": 1, "lr": 0.05, "d": 1.0},
             (np.array([[0.95, 1.0], [1.0, 1.0]]), np.array([[2.0], [0.0]]), np.array([[2.0, 0.0]]))),
        ],
        twin=generated("adafactor_step", adafactor_twin),
        every_input=lambda inputs: 1 <= inputs["t"] <= 30 and inputs["d"] >= 1.0,
        graded_inputs=lambda trials: (any(t["t"] == 1 for t in trials) and any(t["t"] > 5 for t in trials)
                                      and any(t["theta"].shape[0] != t["theta"].shape[1] for t in trials)),
    ),
    "lion_step": Case(
        correct=LION_CORRECT,
        mistakes=LION_MISTAKES,
        examples=[
            # c = 0.9·1 + 0.1·(−3) = 0.6 > 0: θ = 2(1 − 0.1·0.5) − 0.1 = 1.8; m = 0.99 + 0.01·(−3) = 0.96
            ({"theta": np.array([2.0]), "m": np.array([1.0]), "grad": np.array([-3.0]), "lr": 0.1,
              "betas": (0.9, 0.99), "weight_decay": 0.5},
             (np.array([1.8]), np.array([0.96]))),
        ],
        twin=generated("lion_step", lion_twin),
        margins=[("decay_after_sign_step", 0, 100.0)],
    ),
}
