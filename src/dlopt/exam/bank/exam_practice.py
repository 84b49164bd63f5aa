"""E資格形式の問題：総合問題（chapters/exam_practice）。

章をまたぐ問題です。更新式から手法を見分ける、Momentum・AdaGrad・RMSProp・Adam の状態を比べる、
PyTorch・Keras 3・『ゼロから作る』の既定値を比べる、4 つのクラスを並べた numpy のコードを埋める、など。
クラスは oreilly-japan/deep-learning-from-scratch の common/optimizer.py（commit 07b1161）と同じ形です。
鍵は tests/exam_cases/exam_practice.py が dlopt で計算し直します。
"""

_CLASSES = """\
import numpy as np


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)

        for key in params.keys():
            【あ】
            params[key] += self.v[key]


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {}
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)

        for key in params.keys():
            【い】
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {}
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)

        for key in params.keys():
            self.h[key] *= self.decay_rate
            【う】
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m, self.v = {}, {}
            for key, val in params.items():
                self.m[key] = np.zeros_like(val)
                self.v[key] = np.zeros_like(val)

        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)

        for key in params.keys():
            【え】
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)
"""

GROUPS = {
    "exam_practice-classes": (
        "次のコードは、『ゼロから作るDeep Learning』の `common/optimizer.py` と同じ形の 4 "
        "つの最適化手法です。"
        "`params` と `grads` は、パラメータの名前をキーとする辞書です。"
        "`update` は `params` の配列をその場で更新します。"
        "空欄【あ】〜【え】に入る行を、それぞれ選んでください。\n\n"
        f"```python\n{_CLASSES}```"
    ),
}

QUESTIONS = [
    {
        "id": "exam_practice-formula-which",
        "kind": "formula",
        "keyword": "RMSProp",
        "difficulty": 1,
        "stem": (
            "次の更新式で表される最適化手法はどれですか。"
            "$g_t$ は勾配、$\\odot$ は要素ごとの積、$\\rho$ は 0 と 1 の間の定数、$v_0 = 0$ です。\n\n"
            "$$v_t = \\rho\\, v_{t-1} + (1 - \\rho)\\, g_t \\odot g_t, \\qquad "
            "\\theta_t = \\theta_{t-1} - \\eta\\, \\frac{g_t}{\\sqrt{v_t} + \\varepsilon}$$"
        ),
        "choices": ["AdaGrad", "Adam", "モメンタム", "RMSProp"],
        "answer": 3,
        "explanation": (
            "（エ）が正解です。"
            "勾配の 2 乗の指数移動平均 $v_t$ の平方根で割り、パラメータごとに歩幅を調整するのが RMSProp "
            "です。"
            "『ゼロから作る』の `decay_rate`、PyTorch の `alpha`、Keras の `rho` が $\\rho$ に当たります。"
            "\n\n"
            "- （ア）の AdaGrad は、指数移動平均ではなく累積和 $h_t = h_{t-1} + g_t \\odot g_t$ で割ります。"
            "\n"
            "- （イ）の Adam は、分子にも勾配の指数移動平均 $m_t$ を使い、$m_t, v_t$ をバイアス補正します。\n"
            "- （ウ）のモメンタムは、勾配をためた速度で進みます。勾配の 2 乗で割る処理はありません。"
        ),
    },
    {
        "id": "exam_practice-formula-states",
        "kind": "formula",
        "keyword": "Adam",
        "difficulty": 2,
        "stem": (
            "最適化手法と、その手法がパラメータごとに持つ状態の更新式の組として、正しいものを選んでください。"
            "$g_t$ は勾配、$\\eta$ は学習率、$\\odot$ は要素ごとの積です。"
        ),
        "choices": [
            "AdaGrad：$h_t = \\rho\\, h_{t-1} + (1 - \\rho)\\, g_t \\odot g_t$",
            "RMSProp：$h_t = h_{t-1} + g_t \\odot g_t$",
            "Adam：$m_t = \\beta_1 m_{t-1} + (1 - \\beta_1)\\, g_t$ と $v_t = \\beta_2 v_{t-1} + (1 - "
            "\\beta_2)\\, g_t \\odot g_t$",
            "モメンタム（『ゼロから作る』）：$v_t = \\alpha v_{t-1} + \\eta\\, g_t$ として $\\theta_t = "
            "\\theta_{t-1} + v_t$",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しい組です。"
            "Adam は 1 次モーメント $m_t$ と 2 次モーメント $v_t$ の 2 つの状態を持ちます。"
            "ほかの 3 つの手法の状態は 1 つです。\n\n"
            "- （ア）は RMSProp の式です。AdaGrad の $h_t$ は累積和なので、減衰率 $\\rho$ はありません。\n"
            "- （イ）は AdaGrad の式です。RMSProp は古い値を $\\rho$ 倍して忘れていきます。\n"
            "- （エ）は符号が逆です。正しくは $v_t = \\alpha v_{t-1} - \\eta\\, g_t$ です。"
            "この式では勾配の向き、つまり損失が増える向きに進みます。"
        ),
    },
    {
        "id": "exam_practice-concept-defaults",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "PyTorch（2.13）、Keras 3、『ゼロから作る』の最適化手法の既定値について、"
            "正しいものを選んでください。"
        ),
        "choices": [
            "SGD の学習率の既定値は、PyTorch が 0.01、Keras 3 と『ゼロから作る』が 0.001 である。",
            "RMSProp の減衰率の既定値は、PyTorch の `alpha` と『ゼロから作る』の `decay_rate` が 0.99、"
            "Keras 3 の `rho` が 0.9 である。",
            "Adam の $\\varepsilon$ の既定値は、3 つとも $10^{-8}$ である。",
            "モメンタム係数の既定値は、3 つとも 0.9 である。",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しい説明です。"
            "同じ RMSProp でも、減衰率の名前と既定値がライブラリごとに違います。"
            "移すときは値を明示してそろえます。\n\n"
            "- （ア）は逆です。PyTorch の `SGD` の既定値は `lr=1e-3` で、Keras 3 と『ゼロから作る』は 0.01 "
            "です。\n"
            "- （ウ）は誤りです。$10^{-8}$ は PyTorch の既定値です。"
            "Keras 3 は `epsilon=1e-7`、『ゼロから作る』は固定の `1e-7` を使います。\n"
            "- （エ）は誤りです。0.9 は『ゼロから作る』の `Momentum` だけです。"
            "PyTorch と Keras 3 の `SGD` の `momentum` の既定値は 0 で、"
            "指定しないとモメンタムなしになります。"
        ),
    },
    {
        "id": "exam_practice-concept-compare",
        "kind": "concept",
        "keyword": "AdaGrad",
        "difficulty": 2,
        "stem": "モメンタム・AdaGrad・RMSProp・Adam を比べた説明として、正しいものを選んでください。",
        "choices": [
            "AdaGrad の $h_t$ は勾配の 2 乗の累積和なので、実効的な学習率は学習が進むと小さくなり続ける。"
            "RMSProp は累積和を指数移動平均に変えて、これを防ぐ。",
            "RMSProp は、勾配の指数移動平均と勾配の 2 乗の指数移動平均の 2 つの状態を持つ。",
            "Adam のバイアス補正は、状態を 0 から始める偏りを直すもので、"
            "『ゼロから作る』のモメンタムにも同じ補正がある。",
            "モメンタムの速度 $v$ は勾配の 2 乗の移動平均で、パラメータごとに学習率を変える。",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しい説明です。"
            "AdaGrad の $h_t$ は減らないので、歩幅 $\\eta/\\sqrt{h_t}$ は縮み続け、"
            "学習が止まることがあります。"
            "RMSProp は古い勾配を忘れるので、勾配が小さくなれば歩幅が戻ります。\n\n"
            "- （イ）は Adam の説明です。RMSProp（中心化しない版）の状態は、勾配の 2 "
            "乗の指数移動平均だけです。\n"
            "- （ウ）は誤りです。"
            "『ゼロから作る』の `Momentum` は速度を 0 から始めますが、バイアス補正はしません。\n"
            "- （エ）は誤りです。モメンタムの速度は勾配（学習率を掛けたもの）をためた量で、2 乗はしません。"
            "パラメータごとに歩幅を変えるのは、AdaGrad、RMSProp、Adam です。"
        ),
    },
    {
        "id": "exam_practice-calc-first-step",
        "kind": "calculation",
        "keyword": "RMSProp",
        "difficulty": 2,
        "stem": (
            "1 次元のパラメータに勾配 $g_1 = 0.5$ を与え、次の 2 つの手法で最初の 1 ステップを更新します。"
            "\n\n"
            "- RMSProp：$\\eta = 0.01$、$\\rho = 0.99$、$v_0 = 0$\n"
            "- Adam：$\\eta = 0.001$、$\\beta_1 = 0.9$、$\\beta_2 = 0.999$（バイアス補正あり）\n\n"
            "それぞれの移動量の大きさを、この順に選んでください。$\\varepsilon$ は無視できるとします。"
        ),
        "choices": [
            "$(0.1,\\ 0.001)$",
            "$(0.01,\\ 0.001)$",
            "$(0.1,\\ 0.00316)$",
            "$(0.005,\\ 0.0005)$",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正解です。"
            "RMSProp は $v_1 = (1 - \\rho) g_1^2$ なので、移動量は $\\eta |g_1|/\\sqrt{(1 - \\rho) g_1^2} = "
            "\\eta/\\sqrt{0.01} = 10\\eta = 0.1$ です。"
            "Adam は $\\hat m_1 = g_1$、$\\hat v_1 = g_1^2$ なので、移動量はちょうど $\\eta = 0.001$ です。"
            "\n\n"
            "- （イ）は、RMSProp も最初の移動量が $\\eta$ になると考えています。"
            "RMSProp にはバイアス補正がないので、$1/\\sqrt{1 - \\rho}$ 倍の大きな 1 歩になります。\n"
            "- （ウ）は、Adam のバイアス補正を忘れた値です。$0.1/\\sqrt{0.001} \\approx 3.16$ 倍になります。"
            "\n"
            "- （エ）は、どちらも SGD のように $\\eta g_1$ としています。2 つとも勾配の大きさで割る手法です。"
        ),
    },
    {
        "id": "exam_practice-calc-fourth-step",
        "kind": "calculation",
        "keyword": "AdaGrad",
        "difficulty": 3,
        "stem": (
            "1 次元のパラメータに一定の勾配 $g = 2$ を与え続け、次の 2 つの手法で更新します。\n\n"
            "- AdaGrad：$\\eta = 0.1$、$h_0 = 0$\n"
            "- RMSProp：$\\eta = 0.1$、$\\rho = 0.9$、$v_0 = 0$\n\n"
            "4 ステップ目（$t = 4$）の移動量の大きさを、この順に選んでください。"
            "$\\varepsilon$ は無視できるとします。"
        ),
        "choices": [
            "$(0.025,\\ 0.1705)$",
            "$(0.050,\\ 0.1000)$",
            "$(0.050,\\ 0.1705)$",
            "$(0.100,\\ 0.1705)$",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正解です。"
            "AdaGrad は $h_4 = 4 g^2 = 16$ なので、移動量は $0.1 \\times 2/\\sqrt{16} = 0.05$ "
            "です（$\\eta/\\sqrt{t}$）。"
            "RMSProp は $v_4 = (1 - 0.9^4) g^2 = 0.3439 \\times 4$ です。"
            "移動量は $0.1/\\sqrt{0.3439} \\approx 0.1705$ です。\n\n"
            "- （ア）は AdaGrad の分母を $\\sqrt{h_t}$ ではなく $t\\,|g|$ としています（$\\eta/t$）。\n"
            "- （イ）は RMSProp の $v_t$ が最初から $g^2$ だと考えています。"
            "$v_0 = 0$ から始めるので、$v_t = (1 - \\rho^t) g^2$ はまだ $g^2$ より小さく、歩幅は $\\eta$ "
            "より大きくなります。\n"
            "- （エ）は AdaGrad の $h$ に最新の $g^2$ だけを入れています。累積しないと、歩幅は毎回 $\\eta$ "
            "のままです。"
        ),
    },
    {
        "id": "exam_practice-calc-memory",
        "kind": "calculation",
        "keyword": "Adam",
        "difficulty": 1,
        "stem": (
            "float32（1 要素 4 バイト）のパラメータを $10^6$ 個持つモデルがあります。"
            "モメンタム（PyTorch の `SGD(momentum=0.9)`）と Adam が、"
            "パラメータごとの状態のために使うメモリを、"
            "この順に MB（$10^6$ バイト）で選んでください。ステップ数などのスカラーは無視します。"
        ),
        "choices": [
            "$(4,\\ 4)$",
            "$(8,\\ 8)$",
            "$(8,\\ 16)$",
            "$(4,\\ 8)$",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正解です。"
            "モメンタムの状態はバッファ（速度）1 つで、パラメータと同じ形です。"
            "$10^6 \\times 4$ バイトで 4 MB です。"
            "Adam は $m_t$ と $v_t$ の 2 つを持つので 8 MB です。\n\n"
            "- （ア）は、Adam の状態を 1 つと数えています。$v_t$ を忘れています。\n"
            "- （イ）は、モメンタムも状態を 2 つ持つと考えています。\n"
            "- （ウ）は、1 要素を 8 バイト（float64）で数えています。"
            "状態はパラメータと同じ型（float32）で持ちます。"
        ),
    },
    {
        "id": "exam_practice-calc-early-stopping",
        "kind": "calculation",
        "keyword": "早期終了",
        "difficulty": 3,
        "stem": (
            "エポック 0 から順に、検証損失が次のように得られました。\n\n"
            "`0.80, 0.62, 0.55, 0.58, 0.545, 0.548, 0.56, 0.58`\n\n"
            "Keras の `EarlyStopping` と同じ規則（最小化）で、patience $= 2$、min_delta $\\delta = 0.01$ "
            "とします。"
            "改善の条件は、それまでの最良の値 $v^*$ に対して $v_n + \\delta < v^*$ です。"
            "止まるエポックと最良のエポック（どちらも 0 から数える）を、この順に選んでください。"
        ),
        "choices": [
            "$(6,\\ 4)$",
            "$(4,\\ 2)$",
            "$(5,\\ 2)$",
            "$(2,\\ 2)$",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正解です。"
            "エポック 2 の 0.55 が最良です。"
            "エポック 3 の 0.58 は改善しないので、待ち回数は 1 です。"
            "エポック 4 の 0.545 は $0.545 + 0.01 = 0.555$ が 0.55 より小さくないので、改善ではありません。"
            "待ち回数が 2 になり、エポック 4 で止まります。\n\n"
            "- （ア）は $\\delta$ を無視しています。0.545 を改善とみなすと、エポック 6 まで学習が続きます。\n"
            "- （ウ）は、待ち回数が patience を超えたときに止めています。1 エポック遅れます。\n"
            "- （エ）は、最良のエポックで止まると考えています。"
            "早期終了は改善しないエポックを patience 回数えてから止まるので、止まるのは $n^* + p$ です。"
        ),
    },
    {
        "id": "exam_practice-classes-momentum",
        "group": "exam_practice-classes",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "モメンタム",
        "difficulty": 1,
        "stem": (
            "【あ】には、`Momentum` の速度 `self.v[key]` を更新する行が入ります。正しいものを選んでください。"
        ),
        "choices": [
            "self.v[key] = self.momentum * self.v[key] + self.lr * grads[key]",
            "self.v[key] = self.momentum * self.v[key] + (1 - self.momentum) * grads[key]",
            "self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]",
            "self.v[key] = self.momentum * (self.v[key] - self.lr * grads[key])",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正解です。$v \\leftarrow \\alpha v - \\eta g$ で速度を更新し、次の行の $W \\leftarrow W "
            "+ v$ で進みます。\n\n"
            "- （ア）は符号が逆です。速度が勾配の向きを指すので、損失が増える向きに進みます。\n"
            "- （イ）は Adam の $m_t$ の形（指数移動平均）です。"
            "学習率を掛けず、符号も逆なので、次の行の `+=` で上る向きに進みます。\n"
            "- （エ）は新しい勾配にも $\\alpha$ を掛けています。歩幅が $\\alpha$ 倍に縮みます。"
        ),
    },
    {
        "id": "exam_practice-classes-adagrad",
        "group": "exam_practice-classes",
        "blank": "【い】",
        "kind": "code",
        "keyword": "AdaGrad",
        "difficulty": 1,
        "stem": "【い】には、`AdaGrad` の `self.h[key]` を更新する行が入ります。正しいものを選んでください。",
        "choices": [
            "self.h[key] += grads[key] * grads[key]",
            "self.h[key] = grads[key] * grads[key]",
            "self.h[key] += grads[key]",
            "self.h[key] = 0.99 * self.h[key] + 0.01 * grads[key] * grads[key]",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正解です。AdaGrad は勾配の 2 乗を $h \\leftarrow h + g \\odot g$ と累積し、$\\sqrt{h}$ "
            "で割ります。\n\n"
            "- （イ）は累積していません。毎回 $|g|$ で割るだけになり、勾配の符号だけで $\\eta$ ずつ進みます。"
            "\n"
            "- （ウ）は 2 乗していません。負の勾配で $h$ が負になると、平方根が計算できません。\n"
            "- （エ）は RMSProp の指数移動平均（$\\rho = 0.99$）です。AdaGrad は古い勾配を忘れません。"
        ),
    },
    {
        "id": "exam_practice-classes-rmsprop",
        "group": "exam_practice-classes",
        "blank": "【う】",
        "kind": "code",
        "keyword": "RMSProp",
        "difficulty": 2,
        "stem": (
            "【う】には、`RMSprop` の `self.h[key]` を更新する 2 行目が入ります。"
            "1 行目で `self.h[key]` を `decay_rate` 倍しています。正しいものを選んでください。"
        ),
        "choices": [
            "self.h[key] += self.decay_rate * grads[key] * grads[key]",
            "self.h[key] += grads[key] * grads[key]",
            "self.h[key] += (1 - self.decay_rate) * grads[key]",
            "self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正解です。2 行で $h \\leftarrow \\rho h + (1 - \\rho)\\, g \\odot g$ となり、勾配の 2 "
            "乗の指数移動平均です。\n\n"
            "- （ア）は $1 - \\rho$ と $\\rho$ を取り違えています。$\\rho = 0.99$ なら新しい $g^2$ に 0.99 "
            "が掛かります。\n"
            "- （イ）は係数 $1 - \\rho$ を忘れています。$h$ は $g^2$ の約 $1/(1 - \\rho)$ 倍まで大きくなり、"
            "歩幅が縮みます。\n"
            "- （ウ）は 2 乗していません。$h$ が負になると、平方根が計算できません。"
        ),
    },
    {
        "id": "exam_practice-classes-adam",
        "group": "exam_practice-classes",
        "blank": "【え】",
        "kind": "code",
        "keyword": "Adam",
        "difficulty": 2,
        "stem": (
            "【え】には、`Adam` の 1 次モーメント `self.m[key]` を更新する行が入ります。"
            "正しいものを選んでください。"
        ),
        "choices": [
            "self.m[key] += self.beta1 * (grads[key] - self.m[key])",
            "self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])",
            "self.m[key] = self.beta1 * self.m[key] - self.lr * grads[key]",
            "self.m[key] += (1 - self.beta1) * (grads[key] ** 2 - self.m[key])",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正解です。"
            "$m \\leftarrow m + (1 - \\beta_1)(g - m)$ は $m \\leftarrow \\beta_1 m + (1 - \\beta_1) g$ "
            "と同じ式で、"
            "勾配の指数移動平均です。\n\n"
            "- （ア）は $\\beta_1$ と $1 - \\beta_1$ を取り違えています。新しい勾配に 0.9 "
            "の重みが掛かります。\n"
            "- （ウ）はモメンタムの速度の式です。"
            "符号が逆で学習率も掛かっているので、次の `params[key] -= lr_t * ...` で上る向きに進みます。\n"
            "- （エ）は勾配を 2 乗しています。これは 2 次モーメント $v$ の式で、"
            "進む向きが分からなくなります。"
        ),
    },
]
