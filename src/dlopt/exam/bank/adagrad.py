"""E資格形式の問題：AdaGrad（chapters/adagrad）。"""

GROUPS = {
    "adagrad-class": (
        "次のコードは『ゼロから作る』と同じ形の AdaGrad です。"
        "`params` と `grads` はパラメータと勾配の辞書で、`update` はパラメータをその場で更新します。"
        "空欄【あ】〜【う】に入るものを、それぞれ選んでください。\n\n"
        "```python\n"
        "import numpy as np\n"
        "\n"
        "\n"
        "class AdaGrad:\n"
        "    def __init__(self, lr=0.01):\n"
        "        self.lr = lr\n"
        "        self.h = None\n"
        "\n"
        "    def update(self, params, grads):\n"
        "        if self.h is None:\n"
        "            self.h = {}\n"
        "            for key, val in params.items():\n"
        "                【あ】\n"
        "\n"
        "        for key in params.keys():\n"
        "            【い】\n"
        "            params[key] -= 【う】\n"
        "```"
    ),
}

QUESTIONS = [
    # --- the class form (ゼロから作る) ---------------------------------------------------------
    {
        "id": "adagrad-class-a",
        "group": "adagrad-class",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "AdaGrad",
        "difficulty": 1,
        "stem": "【あ】は、最初の `update` で `h` の初期値を作る行です。入るものはどれですか。",
        "choices": [
            "self.h[key] = np.full_like(val, 0.1)",
            "self.h[key] = np.zeros_like(val)",
            "self.h = np.zeros_like(val)",
            "self.h[key] = np.ones_like(val)",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しいです。"
            "『ゼロから作る』は、パラメータと同じ形の 0 の配列を `h` の初期値にします。"
            "本書の $h_0 = 0$ で、PyTorch の `initial_accumulator_value=0` と同じです。\n\n"
            "- （ア）は Keras 3 の既定値 $h_0 = 0.1$ です。勾配が小さい間は、分母がほぼ $\\sqrt{0.1}$ "
            "に固定されます。\n"
            "- （ウ）は辞書ではなく 1 つの配列を `self.h` に入れます。次の `self.h[key]` "
            "がエラーになります。\n"
            "- （エ）は $h_0 = 1$ です。分母が大きくなり、歩幅が小さくなります。"
        ),
    },
    {
        "id": "adagrad-class-b",
        "group": "adagrad-class",
        "blank": "【い】",
        "kind": "code",
        "keyword": "AdaGrad",
        "difficulty": 1,
        "stem": "【い】は、勾配の情報を `h` に蓄える行です。入るものはどれですか。",
        "choices": [
            "self.h[key] = grads[key] * grads[key]",
            "self.h[key] += grads[key]",
            "self.h[key] = 0.99 * self.h[key] + 0.01 * grads[key] * grads[key]",
            "self.h[key] += grads[key] * grads[key]",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しいです。"
            "AdaGrad は、勾配の 2 乗を累積和 $h_t = h_{t-1} + g_t \\odot g_t$ に足していきます。\n\n"
            "- （ア）は `=` なので過去の勾配を忘れ、毎回 $h_t = g_t \\odot g_t$ になります。"
            "$\\varepsilon$ を除けば、どの成分も毎回 $\\eta$ ずつ動く、符号だけの更新です。\n"
            "- （イ）は 2 乗を忘れています。負の勾配で $h$ が負になると、平方根が NaN になります。\n"
            "- （ウ）は指数移動平均で、減衰率 0.99 の RMSProp の式です。"
        ),
    },
    {
        "id": "adagrad-class-c",
        "group": "adagrad-class",
        "blank": "【う】",
        "kind": "code",
        "keyword": "AdaGrad",
        "difficulty": 2,
        "stem": "【う】は、パラメータから引く更新量です。入るものはどれですか。",
        "choices": [
            "self.lr * grads[key] / np.sqrt(self.h[key]) + 1e-7",
            "self.lr * grads[key] / np.sqrt(self.h[key] + 1e-7)",
            "self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)",
            "self.lr * grads[key] / (self.h[key] + 1e-7)",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しいです。"
            "更新は $\\theta_t = \\theta_{t-1} - \\eta\\, g_t/(\\sqrt{h_t} + \\varepsilon)$ です。"
            "『ゼロから作る』は $\\varepsilon = 10^{-7}$ を平方根の**外**に足します。\n\n"
            "- （ア）はかっこがないので、割り算の結果に `1e-7` を足します。"
            "毎ステップ、余分に $10^{-7}$ だけ $\\theta$ が減ります。\n"
            "- （イ）は $\\varepsilon$ を平方根の中に置く Keras 3 の形です。"
            "分母の下限が $\\sqrt{10^{-7}} \\approx 3.16 \\times 10^{-4}$ になり、別の計算になります。\n"
            "- （エ）は平方根を忘れています。勾配の大きさで割る正規化にならず、"
            "歩幅が勾配の大きさに左右されます。"
        ),
    },
    # --- calculations --------------------------------------------------------------------------
    {
        "id": "adagrad-calc-two-steps",
        "kind": "calculation",
        "keyword": "AdaGrad",
        "difficulty": 2,
        "stem": (
            "1 次元のパラメータを『ゼロから作る』の AdaGrad で更新します。"
            "$\\theta_0 = 1$、学習率 $\\eta = 0.1$、$h_0 = 0$ です。"
            "勾配は $g_1 = 3$、$g_2 = 4$ でした。"
            "2 ステップ後の $\\theta_2$ はいくらですか。"
            "$\\varepsilon = 10^{-7}$ は表示の桁に影響しません。"
        ),
        "choices": ["$0.82$", "$0.80$", "$0.95$", "$1.18$"],
        "answer": 0,
        "explanation": (
            "（ア）が正しいです。"
            "$h_1 = 9$ なので、1 ステップ目は $0.1 \\times 3/\\sqrt{9} = 0.1$ 進んで $\\theta_1 = 0.9$ です。"
            "$h_2 = 9 + 16 = 25$ なので、2 ステップ目は $0.1 \\times 4/\\sqrt{25} = 0.08$ 進んで $\\theta_2 "
            "= 0.82$ です。\n\n"
            "- （イ）は $h$ を足し合わせずに $h_2 = g_2^2 = 16$ とした値です。毎回ちょうど $\\eta$ "
            "動きます。\n"
            "- （ウ）は平方根を忘れて $h_t$ で割った値です（$1 - 0.1 \\cdot 3/9 - 0.1 \\cdot 4/25 \\approx "
            "0.95$）。\n"
            "- （エ）は符号を逆にして、勾配の向きに進んだ値です。"
        ),
    },
    {
        "id": "adagrad-calc-step-16",
        "kind": "calculation",
        "keyword": "AdaGrad",
        "difficulty": 2,
        "stem": (
            "AdaGrad（$h_0 = 0$）に、毎ステップ同じ勾配 $g = 0.5$ を与えます。"
            "学習率は $\\eta = 0.01$ です。"
            "16 ステップ目の移動量 $|\\theta_{16} - \\theta_{15}|$ はいくらですか。"
            "$\\varepsilon$ は無視できるものとします。"
        ),
        "choices": [
            "$6.25 \\times 10^{-4}$",
            "$1.25 \\times 10^{-3}$",
            "$5.00 \\times 10^{-3}$",
            "$2.50 \\times 10^{-3}$",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しいです。"
            "$h_{16} = 16 \\times 0.5^2 = 4$ なので、移動量は $\\eta\\, |g|/\\sqrt{h_{16}} = 0.01 \\times "
            "0.5/2$ です。"
            "一定の勾配では移動量は $\\eta/\\sqrt{t}$ で、勾配の大きさによりません。\n\n"
            "- （ア）は $\\sqrt{t}$ の代わりに $t$ で割った値 $\\eta/16$ です。\n"
            "- （イ）は平方根を忘れて $\\eta\\, |g|/h_{16}$ とした値です。\n"
            "- （ウ）は $h$ で割らない SGD の移動量 $\\eta\\, |g|$ です。"
        ),
    },
    {
        "id": "adagrad-calc-tiny-gradient",
        "kind": "calculation",
        "keyword": "AdaGrad",
        "difficulty": 3,
        "stem": (
            "『ゼロから作る』の AdaGrad（$h_0 = 0$、$\\sqrt{h}$ の外に $10^{-7}$ を足す）で、"
            "最初の勾配が $g_1 = 10^{-7}$ でした。"
            "最初のステップの移動量 $|\\theta_1 - \\theta_0|$ は、学習率 $\\eta$ の何倍ですか。"
        ),
        "choices": ["$1.0$", "$0.50$", "$3.2 \\times 10^{-4}$", "$0.999$"],
        "answer": 1,
        "explanation": (
            "（イ）が正しいです。"
            "$h_1 = g_1^2$ なので $\\sqrt{h_1} = 10^{-7}$ です。"
            "移動量は $\\eta \\times 10^{-7}/(10^{-7} + 10^{-7})$ で、$\\eta$ の半分です。"
            "勾配が $\\varepsilon$ と同じくらい小さいと、最初の歩幅は $\\eta$ よりはっきり小さくなります。"
            "\n\n"
            "- （ア）は $\\varepsilon$ を無視した値です。勾配がこれほど小さいと成り立ちません。\n"
            "- （ウ）は $\\varepsilon$ を平方根の中に置いた形（Keras 3 の式で $h_0 = 0$）の値 "
            "$10^{-7}/\\sqrt{10^{-14} + 10^{-7}}$ です。\n"
            "- （エ）は PyTorch の既定値 $\\varepsilon = 10^{-10}$ での値です。"
        ),
    },
    # --- formulas ------------------------------------------------------------------------------
    {
        "id": "adagrad-formula-update",
        "kind": "formula",
        "keyword": "AdaGrad",
        "difficulty": 1,
        "stem": (
            "本書（PyTorch と同じ形）の AdaGrad の更新式はどれですか。"
            "$h_0 = 0$ で、平方根と割り算は要素ごとに計算します。"
        ),
        "choices": [
            "$h_t = \\rho\\, h_{t-1} + (1 - \\rho)\\, g_t \\odot g_t,\\quad "
            "\\theta_t = \\theta_{t-1} - \\dfrac{\\eta}{\\sqrt{h_t} + \\varepsilon} \\odot g_t$",
            "$h_t = h_{t-1} + g_t \\odot g_t,\\quad "
            "\\theta_t = \\theta_{t-1} - \\dfrac{\\eta}{h_t + \\varepsilon} \\odot g_t$",
            "$h_t = h_{t-1} + g_t \\odot g_t,\\quad "
            "\\theta_t = \\theta_{t-1} - \\dfrac{\\eta}{\\sqrt{h_{t-1}} + \\varepsilon} \\odot g_t$",
            "$h_t = h_{t-1} + g_t \\odot g_t,\\quad "
            "\\theta_t = \\theta_{t-1} - \\dfrac{\\eta}{\\sqrt{h_t} + \\varepsilon} \\odot g_t$",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しいです。"
            "勾配の 2 乗を累積和 $h_t$ に足し、**足した後の** $h_t$ の平方根で学習率を割ります。\n\n"
            "- （ア）は指数移動平均で蓄える RMSProp の式です。AdaGrad の $h_t$ は和です。\n"
            "- （イ）は平方根がありません。\n"
            "- （ウ）は足す前の $h_{t-1}$ で割ります。"
            "$h_0 = 0$ の最初のステップでは分母が $\\varepsilon$ だけになり、移動量が $\\eta\\, "
            "|g_1|/\\varepsilon$ と極端に大きくなります。"
        ),
    },
    {
        "id": "adagrad-formula-first-step",
        "kind": "formula",
        "keyword": "AdaGrad",
        "difficulty": 2,
        "stem": (
            "AdaGrad で $h_0 = 0$ とし、$\\varepsilon$ を無視します。"
            "最初の更新 $\\theta_1 - \\theta_0$ を成分ごとに表した式はどれですか。"
        ),
        "choices": [
            "$-\\eta\\, \\mathrm{sign}(g_1)$",
            "$-\\eta\\, g_1$",
            "$-\\eta / g_1$",
            "$-\\dfrac{\\eta}{\\varepsilon}\\, g_1$",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しいです。"
            "$h_1 = g_1 \\odot g_1$ なので $\\sqrt{h_1} = |g_1|$ で、更新は $-\\eta\\, g_1/|g_1| = "
            "-\\eta\\, \\mathrm{sign}(g_1)$ です。"
            "勾配の大小によらず、どの成分も $\\eta$ だけ動きます。\n\n"
            "- （イ）は SGD の更新です。\n"
            "- （ウ）は平方根を忘れて $g_1/h_1$ とした式です。\n"
            "- （エ）は更新前の $h_0 = 0$ の平方根で割った式です。分母に $\\varepsilon$ しか残らず、"
            "移動量が極端に大きくなります。"
        ),
    },
    {
        "id": "adagrad-formula-constant",
        "kind": "formula",
        "keyword": "AdaGrad",
        "difficulty": 2,
        "stem": (
            "AdaGrad（$h_0 = 0$）に、毎ステップ同じ勾配 $g \\neq 0$（1 次元）を与えます。"
            "$\\varepsilon$ を無視すると、ステップ $t$ の実効学習率（effective learning rate）"
            "$\\eta/\\sqrt{h_t}$ はどれですか。"
        ),
        "choices": [
            "$\\dfrac{\\eta}{g^2\\, t}$",
            "$\\dfrac{\\eta}{|g|\\, t}$",
            "$\\dfrac{\\eta}{|g| \\sqrt{t}}$",
            "$\\dfrac{\\eta}{\\sqrt{|g|\\, t}}$",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しいです。"
            "$h_t = t g^2$ なので $\\sqrt{h_t} = |g|\\sqrt{t}$ です。"
            "実効学習率は $1/\\sqrt{t}$ で減り続けます。"
            "移動量 $\\eta/\\sqrt{t}$ を $N$ ステップ足しても、進む距離は $2\\eta\\sqrt{N}$ 程度です。\n\n"
            "- （ア）は平方根をとらずに $h_t$ で割っています。\n"
            "- （イ）は $\\sqrt{t}$ を $t$ としています。\n"
            "- （エ）は 2 乗を忘れて、$h_t$ を $|g|\\, t$ としています。"
        ),
    },
    # --- concepts ------------------------------------------------------------------------------
    {
        "id": "adagrad-concept-stall",
        "kind": "concept",
        "keyword": "AdaGrad",
        "difficulty": 1,
        "stem": (
            "AdaGrad で長く学習すると、学習がほとんど進まなくなることがあります。"
            "その理由として正しいものはどれですか。"
        ),
        "choices": [
            "勾配の 2 乗の累積和 $h_t$ は減ることがないので、実効学習率 $\\eta/(\\sqrt{h_t} + "
            "\\varepsilon)$ が小さくなり続けるから",
            "$h_t$ が指数移動平均で古い勾配を忘れるので、実効学習率が大きくなりすぎて振動するから",
            "バイアス補正がないので最初のステップが極端に小さくなり、その後も取り戻せないから",
            "$\\varepsilon$ が平方根の外にあるので、勾配が 0 の成分の分母が 0 になるから",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しいです。"
            "$h_t = h_{t-1} + g_t \\odot g_t$ は和なので、勾配が出続ける成分では増え続けます。"
            "一定の勾配なら、実効学習率は $1/\\sqrt{t}$ で減ります。\n\n"
            "- （イ）は RMSProp の説明です。古い勾配を忘れるのは、止まらないための仕組みです。\n"
            "- （ウ）は誤りです。$h_0 = 0$ の AdaGrad の最初のステップは、$\\varepsilon$ を除けばちょうど "
            "$\\eta$ です。\n"
            "- （エ）は誤りです。$\\varepsilon$ は平方根の外でも分母に足されるので、分母は $\\varepsilon$ "
            "より小さくなりません。"
        ),
    },
    {
        "id": "adagrad-concept-sparse",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "ほとんどのステップで勾配が 0 で、まれにだけ勾配が来る重みがあります"
            "（疎な特徴量（sparse feature）につながる重み）。"
            "AdaGrad がこのような重みの学習に向いている理由として、正しいものはどれですか。"
        ),
        "choices": [
            "勾配が 0 のステップでは $h_t$ が 0 に戻るので、次に勾配が来たときに大きく動けるから",
            "勾配が来た回数が少ない重みは $h_t$ が小さいままなので、実効学習率が大きく保たれるから",
            "重みごとに学習率 $\\eta$ が別の値に自動で初期化されるから",
            "勾配が 0 のステップでも、前のステップと同じ量だけ動き続けるから",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しいです。"
            "$h_t$ は勾配が来たときだけ増えるので、まれにしか勾配が来ない重みでは小さいままです。"
            "その実効学習率 $\\eta/(\\sqrt{h_t} + \\varepsilon)$ は、毎回勾配が来る重みより大きくなります。"
            "\n\n"
            "- （ア）は誤りです。勾配が 0 でも $h_t$ はそのままで、0 には戻りません。\n"
            "- （ウ）は誤りです。$\\eta$ はすべての重みで同じで、違うのは $h_t$ です。\n"
            "- （エ）はモメンタムの性質です。AdaGrad は、勾配が 0 のステップでは動きません。"
        ),
    },
    {
        "id": "adagrad-concept-conventions",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 3,
        "stem": "AdaGrad の実装の流儀について、正しい記述はどれですか。",
        "choices": [
            "『ゼロから作る』は、$\\varepsilon = 10^{-7}$ を平方根の中に置いて $\\sqrt{h + 10^{-7}}$ "
            "で割ります",
            "PyTorch の `torch.optim.Adagrad` は、`initial_accumulator_value`（$h_0$）の既定値が 0.1 です",
            "Keras 3 の `Adagrad` は、$\\varepsilon$ を平方根の中に置き、$h_0$ の既定値は 0.1 です",
            "PyTorch の `torch.optim.Adagrad` は、`eps` の既定値が $10^{-7}$ "
            "で『ゼロから作る』と同じ計算になります",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しいです。"
            "Keras 3 は $\\theta \\leftarrow \\theta - \\eta\\, g/\\sqrt{h + \\varepsilon}$ で更新します。"
            "既定値は `initial_accumulator_value=0.1` と `epsilon=1e-7` です。\n\n"
            "- （ア）は誤りです。『ゼロから作る』は `np.sqrt(self.h[key]) + 1e-7` で割るので、"
            "$\\varepsilon$ は平方根の外です。\n"
            "- （イ）は誤りです。PyTorch の既定値は 0 で、0.1 は Keras 3 の既定値です。\n"
            "- （エ）は誤りです。PyTorch の `eps` の既定値は $10^{-10}$ です。"
            "『ゼロから作る』と同じ計算にするには `eps=1e-7` を指定します。"
        ),
    },
]
