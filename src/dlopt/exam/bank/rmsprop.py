"""E資格形式の問題：RMSProp（chapters/rmsprop）。"""

GROUPS = {
    "rmsprop-class": (
        "次のコードは『ゼロから作る』と同じ形の RMSProp です（クラス名も『ゼロから作る』と同じ `RMSprop`）。"
        "`decay_rate` は減衰率（decay rate）$\\rho$ で、`h` は本書の $v_t$ にあたります。"
        "空欄【あ】〜【う】に入るものを、それぞれ選んでください。\n\n"
        "```python\n"
        "import numpy as np\n"
        "\n"
        "\n"
        "class RMSprop:\n"
        "    def __init__(self, lr=0.01, decay_rate=0.99):\n"
        "        self.lr = lr\n"
        "        self.decay_rate = decay_rate\n"
        "        self.h = None\n"
        "\n"
        "    def update(self, params, grads):\n"
        "        if self.h is None:\n"
        "            self.h = {}\n"
        "            for key, val in params.items():\n"
        "                self.h[key] = np.zeros_like(val)\n"
        "\n"
        "        for key in params.keys():\n"
        "            【あ】\n"
        "            【い】\n"
        "            params[key] -= self.lr * grads[key] / 【う】\n"
        "```"
    ),
    "rmsprop-torch": (
        "『ゼロから作る』の `RMSprop(lr=0.01, decay_rate=0.99)` と同じ計算を、"
        "PyTorch の `torch.optim.RMSprop` で 5 ステップ行います。"
        "損失は $\\sum_i w_i^2$ です。"
        "空欄【あ】【い】に入るものを、それぞれ選んでください。\n\n"
        "```python\n"
        "import torch\n"
        "\n"
        "w = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64, requires_grad=True)\n"
        "optimizer = torch.optim.RMSprop([w], lr=0.01, alpha=【あ】, eps=【い】)\n"
        "for _ in range(5):\n"
        "    optimizer.zero_grad()\n"
        "    loss = (w**2).sum()\n"
        "    loss.backward()\n"
        "    optimizer.step()\n"
        "```"
    ),
}

QUESTIONS = [
    # --- the class form (ゼロから作る) ---------------------------------------------------------
    {
        "id": "rmsprop-class-a",
        "group": "rmsprop-class",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "RMSProp",
        "difficulty": 1,
        "stem": "【あ】は、古い `h` を減衰させる行です。入るものはどれですか。",
        "choices": [
            "self.h[key] *= self.decay_rate",
            "self.h[key] *= 1 - self.decay_rate",
            "self.h[key] += self.decay_rate",
            "self.h[key] = self.decay_rate * grads[key] * grads[key]",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しいです。"
            "【あ】と【い】の 2 行で $h \\leftarrow \\rho h + (1 - \\rho)\\, g \\odot g$ を計算します。"
            "【あ】は、古い $h$ に $\\rho$ を掛ける部分です。\n\n"
            "- （イ）は古い $h$ に $1 - \\rho$ を掛けます。$\\rho = 0.99$ なら古い $h$ は 0.01 倍になり、"
            "ほとんど忘れてしまいます。\n"
            "- （ウ）は掛け算ではなく足し算で、$h$ に毎回 $\\rho$ が加わります。\n"
            "- （エ）は `=` で古い $h$ を捨てます。【い】と合わせると $h = g \\odot g$ となり、"
            "記憶がなくなります。"
        ),
    },
    {
        "id": "rmsprop-class-b",
        "group": "rmsprop-class",
        "blank": "【い】",
        "kind": "code",
        "keyword": "RMSProp",
        "difficulty": 2,
        "stem": "【い】は、新しい勾配の情報を `h` に加える行です。入るものはどれですか。",
        "choices": [
            "self.h[key] += self.decay_rate * grads[key] * grads[key]",
            "self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]",
            "self.h[key] += grads[key] * grads[key]",
            "self.h[key] += (1 - self.decay_rate) * grads[key]",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しいです。"
            "新しい勾配の 2 乗には、重み $1 - \\rho$ を掛けて足します。"
            "重みの和が $\\rho + (1 - \\rho) = 1$ なので、$h$ は $g^2$ の平均の推定値になります。\n\n"
            "- （ア）は新しい勾配に $\\rho$ を掛けています。"
            "重みの和が 1 にならず、$h$ は $g^2$ の $\\rho/(1 - \\rho)$ 倍ほど（$\\rho = 0.99$ で 99 "
            "倍）になります。\n"
            "- （ウ）は $1 - \\rho$ を掛け忘れています。"
            "$h$ が $g^2$ の $1/(1 - \\rho)$ 倍ほどに大きくなり、歩幅が $\\sqrt{1 - \\rho}$ 倍に縮みます。\n"
            "- （エ）は 2 乗を忘れています。負の勾配で $h$ が負になると、平方根が NaN になります。"
        ),
    },
    {
        "id": "rmsprop-class-c",
        "group": "rmsprop-class",
        "blank": "【う】",
        "kind": "code",
        "keyword": "RMSProp",
        "difficulty": 2,
        "stem": "【う】は、更新量の分母です。入るものはどれですか。",
        "choices": [
            "np.sqrt(self.h[key] + 1e-7)",
            "(self.h[key] + 1e-7)",
            "np.sqrt(self.h[key]) + 1e-7",
            "(np.sqrt(self.h[key]) + 1e-7)",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しいです。"
            "『ゼロから作る』は $10^{-7}$ を $\\sqrt{h}$ の外に足し、かっこで分母全体をくくります。\n\n"
            "- （ア）は $\\varepsilon$ を平方根の中に置く Keras 3 の形です。"
            "分母の下限が $\\sqrt{10^{-7}} \\approx 3.16 \\times 10^{-4}$ になり、別の計算になります。\n"
            "- （イ）は平方根を忘れています。\n"
            "- （ウ）はかっこがありません。"
            "割り算の結果に `1e-7` を足した量を引くので、毎ステップ余分に $10^{-7}$ だけ $\\theta$ "
            "が減ります。"
        ),
    },
    # --- PyTorch -------------------------------------------------------------------------------
    {
        "id": "rmsprop-torch-a",
        "group": "rmsprop-torch",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "RMSProp",
        "difficulty": 1,
        "stem": "【あ】（減衰率を渡す引数 `alpha`）に入るものはどれですか。",
        "choices": ["0.01", "0.9", "0.99", "0.999"],
        "answer": 2,
        "explanation": (
            "（ウ）が正しいです。"
            "PyTorch の `alpha` は『ゼロから作る』の `decay_rate` と同じ意味で、古い値に掛ける $\\rho$ "
            "です。\n\n"
            "- （ア）は $1 - \\rho$ を渡しています。古い勾配をほとんど忘れてしまいます。\n"
            "- （イ）は Keras 3 の `rho` の既定値で、『ゼロから作る』の既定値とは違います。\n"
            "- （エ）は Adam の $\\beta_2$ の既定値です。"
        ),
    },
    {
        "id": "rmsprop-torch-b",
        "group": "rmsprop-torch",
        "blank": "【い】",
        "kind": "code",
        "keyword": "RMSProp",
        "difficulty": 2,
        "stem": "【い】（`eps`）に入るものはどれですか。",
        "choices": ["1e-7", "1e-8", "1e-10", "1e-14"],
        "answer": 0,
        "explanation": (
            "（ア）が正しいです。"
            "PyTorch の RMSprop は、『ゼロから作る』と同じく $\\varepsilon$ を $\\sqrt{v_t}$ の外に足します。"
            "値を『ゼロから作る』の $10^{-7}$ にそろえれば、同じ計算になります。\n\n"
            "- （イ）は PyTorch の RMSprop の既定値です。この値では、結果が丸め誤差より大きくずれます。\n"
            "- （ウ）は PyTorch の Adagrad の既定値です。\n"
            "- （エ）は $\\sqrt{10^{-14}} = 10^{-7}$ となる値で、$\\varepsilon$ "
            "を平方根の中に置く流儀に合わせたつもりの値です。"
            "PyTorch は平方根の外に足すので、この換算は要りません。"
        ),
    },
    # --- calculations --------------------------------------------------------------------------
    {
        "id": "rmsprop-calc-first-step",
        "kind": "calculation",
        "keyword": "RMSProp",
        "difficulty": 2,
        "stem": (
            "『ゼロから作る』の RMSprop で、$\\eta = 0.001$、$\\rho = 0.9$（`decay_rate=0.9`）とします。"
            "最初の勾配が $g_1 = 2$ のとき、最初の移動量 $|\\theta_1 - \\theta_0|$ はいくらですか。"
        ),
        "choices": [
            "$1.05 \\times 10^{-3}$",
            "$5.00 \\times 10^{-3}$",
            "$1.00 \\times 10^{-3}$",
            "$3.16 \\times 10^{-3}$",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しいです。"
            "$h_1 = (1 - 0.9) \\times 2^2 = 0.4$ なので、移動量は $0.001 \\times 2/\\sqrt{0.4} \\approx "
            "3.16 \\times 10^{-3}$ です。"
            "これは $\\eta/\\sqrt{1 - \\rho} = \\sqrt{10}\\,\\eta$ です。"
            "バイアス補正がないので、最初の歩幅は $\\eta$ より大きくなります。\n\n"
            "- （ア）は $\\rho$ と $1 - \\rho$ を逆にして、$h_1 = 0.9 \\times 4 = 3.6$ とした値です。\n"
            "- （イ）は平方根を忘れて $h_1$ で割った値です。\n"
            "- （ウ）は Adam のようにバイアス補正 $h_1/(1 - \\rho)$ をしたときの値で、ちょうど $\\eta$ です。"
        ),
    },
    {
        "id": "rmsprop-calc-h2",
        "kind": "calculation",
        "keyword": "RMSProp",
        "difficulty": 1,
        "stem": (
            "RMSProp で $\\rho = 0.9$、$h_0 = 0$ とします"
            "（`h` は『ゼロから作る』の名前で、本書の $v_t$ です）。"
            "勾配が $g_1 = 1$、$g_2 = 3$ のとき、$h_2$ はいくらですか。"
        ),
        "choices": ["$8.19$", "$0.99$", "$9.90$", "$10.0$"],
        "answer": 1,
        "explanation": (
            "（イ）が正しいです。"
            "$h_1 = 0.1 \\times 1 = 0.1$、$h_2 = 0.9 \\times 0.1 + 0.1 \\times 9 = 0.99$ です。\n\n"
            "- （ア）は $\\rho$ と $1 - \\rho$ を逆にした値です（$h_1 = 0.9$、$h_2 = 0.1 \\times 0.9 + 0.9 "
            "\\times 9$）。\n"
            "- （ウ）は新しい勾配に $1 - \\rho$ を掛け忘れた値です（$h_1 = 1$、$h_2 = 0.9 \\times 1 + 9$）。"
            "\n"
            "- （エ）は AdaGrad の累積和 $1 + 9$ です。"
        ),
    },
    {
        "id": "rmsprop-calc-keras-eps",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 3,
        "stem": (
            "Keras 3 の RMSprop は $\\theta \\leftarrow \\theta - \\eta\\, g/\\sqrt{v + \\varepsilon}$ "
            "で更新し、"
            "$\\varepsilon = 10^{-7}$ を平方根の中に置きます。"
            "$\\rho = 0.9$ で同じ勾配 $g = 10^{-4}$ が続き、$v$ が $g^2$ に十分近づきました。"
            "このときの 1 ステップの移動量は、$\\eta$ の何倍ですか。"
        ),
        "choices": ["$0.3015$", "$0.3162$", "$0.9990$", "$1.0$"],
        "answer": 0,
        "explanation": (
            "（ア）が正しいです。"
            "$v \\approx 10^{-8}$ なので、$g/\\sqrt{v + \\varepsilon} = 10^{-4}/\\sqrt{1.1 \\times 10^{-7}} "
            "\\approx 0.3015$ です。"
            "勾配が小さいと、平方根の中の $\\varepsilon$ が歩幅を 3 割ほどに縮めます。\n\n"
            "- （イ）は $v$ を無視して $g/\\sqrt{\\varepsilon}$ とした値です。\n"
            "- （ウ）は $\\varepsilon$ を平方根の外に置く形 $g/(\\sqrt{v} + \\varepsilon)$ の値で、"
            "PyTorch や『ゼロから作る』の流儀です。\n"
            "- （エ）は $\\varepsilon$ を無視したときの値です。"
        ),
    },
    # --- formulas ------------------------------------------------------------------------------
    {
        "id": "rmsprop-formula-update",
        "kind": "formula",
        "keyword": "RMSProp",
        "difficulty": 1,
        "stem": (
            "本書の記号（PyTorch の形）で、RMSProp の更新式はどれですか。$v_0 = 0$ で、$\\rho$ は減衰率です。"
        ),
        "choices": [
            "$v_t = (1 - \\rho)\\, v_{t-1} + \\rho\\, g_t \\odot g_t,\\quad "
            "\\theta_t = \\theta_{t-1} - \\eta \\dfrac{g_t}{\\sqrt{v_t} + \\varepsilon}$",
            "$v_t = v_{t-1} + g_t \\odot g_t,\\quad "
            "\\theta_t = \\theta_{t-1} - \\eta \\dfrac{g_t}{\\sqrt{v_t} + \\varepsilon}$",
            "$v_t = \\rho\\, v_{t-1} + (1 - \\rho)\\, g_t \\odot g_t,\\quad "
            "\\theta_t = \\theta_{t-1} - \\eta \\dfrac{g_t}{\\sqrt{v_t} + \\varepsilon}$",
            "$v_t = \\rho\\, v_{t-1} + (1 - \\rho)\\, g_t \\odot g_t,\\quad "
            "\\theta_t = \\theta_{t-1} - \\eta \\dfrac{g_t}{\\sqrt{v_t/(1 - \\rho^t)} + \\varepsilon}$",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しいです。"
            "勾配の 2 乗の指数移動平均（exponential moving average）$v_t$ を作り、"
            "その平方根で勾配を割ります。\n\n"
            "- （ア）は $\\rho$ と $1 - \\rho$ が逆です。$\\rho = 0.99$ なら、"
            "直近の勾配だけをほぼそのまま使う式になります。\n"
            "- （イ）は AdaGrad の累積和です。\n"
            "- （エ）は Adam のバイアス補正を持ち込んだ式です。RMSProp には $1 - \\rho^t$ "
            "で割る補正がありません。"
        ),
    },
    {
        "id": "rmsprop-formula-expansion",
        "kind": "formula",
        "keyword": "RMSProp",
        "difficulty": 3,
        "stem": (
            "RMSProp の $v_t = \\rho\\, v_{t-1} + (1 - \\rho)\\, g_t \\odot g_t$ を、"
            "$v_0 = 0$ から展開した式はどれですか。"
        ),
        "choices": [
            "$v_t = \\rho \\sum_{k=0}^{t-1} (1 - \\rho)^k\\, g_{t-k} \\odot g_{t-k}$",
            "$v_t = \\sum_{k=0}^{t-1} \\rho^k\\, g_{t-k} \\odot g_{t-k}$",
            "$v_t = (1 - \\rho) \\sum_{k=0}^{t-1} \\rho^{k+1}\\, g_{t-k} \\odot g_{t-k}$",
            "$v_t = (1 - \\rho) \\sum_{k=0}^{t-1} \\rho^k\\, g_{t-k} \\odot g_{t-k}$",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しいです。"
            "$k$ ステップ前の勾配の 2 乗には、重み $(1 - \\rho)\\rho^k$ がかかります。"
            "重みの和は $t \\to \\infty$ で 1 になり、実効的な記憶の長さは $1/(1 - \\rho)$ ステップです。\n\n"
            "- （ア）は $\\rho$ と $1 - \\rho$ の役割を取り違えています。\n"
            "- （イ）は $1 - \\rho$ を掛け忘れていて、重みの和が $1/(1 - \\rho)$ になります。\n"
            "- （ウ）は指数が 1 つずれていて、最新の勾配 $g_t$ にも $\\rho$ が掛かります。"
        ),
    },
    # --- concepts ------------------------------------------------------------------------------
    {
        "id": "rmsprop-concept-no-stall",
        "kind": "concept",
        "keyword": "RMSProp",
        "difficulty": 1,
        "stem": (
            "AdaGrad は長い学習で止まりかけますが、RMSProp は止まりにくい手法です。"
            "その理由として正しいものはどれですか。"
        ),
        "choices": [
            "バイアス補正で $v_t$ を $1 - \\rho^t$ で割るので、$v_t$ が大きくならないから",
            "勾配の 2 乗を指数移動平均で蓄えて古い勾配を忘れるので、"
            "勾配が小さくなれば実効学習率が回復するから",
            "$\\varepsilon$ を平方根の外に置くので、分母が 0 にならないから",
            "勾配そのものの移動平均で割るので、符号の違う勾配が打ち消し合って分母が小さくなるから",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しいです。"
            "AdaGrad の $h_t$ は減ることのない和ですが、RMSProp の $v_t$ は重み $\\rho^k$ "
            "で古い勾配を忘れます。"
            "勾配が小さくなれば $v_t$ も小さくなり、実効学習率 $\\eta/(\\sqrt{v_t} + \\varepsilon)$ "
            "が大きく戻ります。\n\n"
            "- （ア）は誤りです。RMSProp にバイアス補正はありません。補正するのは Adam です。\n"
            "- （ウ）は AdaGrad も同じなので、違いの理由になりません。\n"
            "- （エ）は誤りです。割るのは勾配の 2 乗の移動平均の平方根です。勾配そのものの移動平均は Adam "
            "の $m_t$ です。"
        ),
    },
    {
        "id": "rmsprop-concept-first-step",
        "kind": "concept",
        "keyword": "RMSProp",
        "difficulty": 2,
        "stem": (
            "PyTorch の既定値 $\\rho = 0.99$ の RMSProp では、$\\varepsilon$ を無視すると、"
            "最初のステップで各成分が学習率 $\\eta$ の 10 倍動きます。"
            "その理由として正しいものはどれですか。"
        ),
        "choices": [
            "$\\rho$ が 1 に近いほど $v_t$ が大きくなり、実効学習率も大きくなるから",
            "$\\varepsilon = 10^{-8}$ が小さすぎて、分母がほぼ 0 になるから",
            "$v_0 = 0$ なので $v_1 = (1 - \\rho)\\, g_1^2$ となり、分母 $\\sqrt{v_1}$ が $|g_1|$ の "
            "$\\sqrt{1 - \\rho}$ 倍しかないから",
            "バイアス補正で $v_1$ を $1 - \\rho$ で割るので、分母が大きくなりすぎるから",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しいです。"
            "移動量は $\\eta\\, |g_1|/\\sqrt{(1 - \\rho)\\, g_1^2} = \\eta/\\sqrt{1 - \\rho}$ です。"
            "$\\rho = 0.99$ では $\\eta/\\sqrt{0.01} = 10\\eta$ になります。\n\n"
            "- （ア）は誤りです。$v_t$ が大きくなれば実効学習率は小さくなります。最初の $v_1$ は、"
            "むしろ小さすぎます。\n"
            "- （イ）は誤りです。分母は $\\sqrt{v_1} = 0.1\\,|g_1|$ で、$\\varepsilon$ "
            "よりずっと大きい値です。\n"
            "- （エ）は誤りです。RMSProp にバイアス補正はありません。"
            "Adam のように $1 - \\rho$ で割れば分母は $|g_1|$ になり、最初の歩幅は $\\eta$ になります。"
        ),
    },
    {
        "id": "rmsprop-concept-conventions",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 2,
        "stem": "RMSProp の減衰率の引数名と既定値の組として、正しいものはどれですか。",
        "choices": [
            "PyTorch は `alpha=0.99`、Keras 3 は `rho=0.9`、『ゼロから作る』は `decay_rate=0.99` です",
            "PyTorch は `rho=0.9`、Keras 3 は `alpha=0.99`、『ゼロから作る』は `decay_rate=0.99` です",
            "PyTorch は `alpha=0.9`、Keras 3 は `rho=0.99`、『ゼロから作る』は `decay_rate=0.9` です",
            "PyTorch は `alpha=0.99`、Keras 3 は `rho=0.9`、『ゼロから作る』は `decay_rate=0.9` です",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しいです。"
            "PyTorch と『ゼロから作る』の既定値は 0.99 で、Keras 3 だけが 0.9 です。"
            "本書は $\\alpha$ をモメンタム係数に使うので、減衰率を Keras と同じ $\\rho$ で書きます。\n\n"
            "- （イ）は、PyTorch と Keras 3 の引数名と既定値を入れ替えています。\n"
            "- （ウ）は、3 つの既定値がどれも違います。\n"
            "- （エ）は、『ゼロから作る』の既定値が違います（正しくは `decay_rate=0.99` です）。"
        ),
    },
]
