"""E資格形式の問題：学習率スケジュール（chapters/lr_schedules）。"""

GROUPS = {
    "lr_schedules-functions": (
        "次のコードは、学習率スケジュール（learning rate schedule）を関数で書いたものです。"
        "`t` はそれまでに終えた更新の回数（0 から数える）で、戻り値は $t + 1$ 回目の更新に使う学習率 "
        "$\\eta_t$ です。"
        "コサインアニーリングは $T_{\\max}$ を過ぎたら $\\eta_{\\min}$ を保ちます（dlopt と Keras の "
        "`CosineDecay` と同じ）。"
        "空欄【あ】〜【う】に入るものを、それぞれ選んでください。\n\n"
        "```python\n"
        "import math\n"
        "\n"
        "\n"
        "def cosine_annealing(t, lr, T_max, eta_min=0.0):\n"
        "    t = 【あ】\n"
        "    return 【い】 + (lr - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2\n"
        "\n"
        "\n"
        "def step_decay(t, lr, step_size, gamma=0.1):\n"
        "    return lr * gamma ** 【う】\n"
        "```"
    ),
    "lr_schedules-torch": (
        "次のコードは、PyTorch の学習率スケジューラー（`torch.optim.lr_scheduler`）を使う学習ループです。"
        "1 エポックに 1 回だけ更新し、2 エポックごとに学習率を 0.5 倍にします。"
        "使う学習率は `dlopt.schedules.step_decay(0.1, step_size=2, gamma=0.5)` と同じ "
        "$0.1,\\ 0.1,\\ 0.05,\\ 0.05,\\ \\dots$ です。"
        "空欄【あ】【い】に入るものを、それぞれ選んでください。\n\n"
        "```python\n"
        "import torch\n"
        "from torch.optim import lr_scheduler\n"
        "\n"
        "w = torch.zeros(1, requires_grad=True)\n"
        "optimizer = torch.optim.SGD([w], lr=0.1)\n"
        "scheduler = 【あ】\n"
        "for epoch in range(6):\n"
        "    optimizer.zero_grad()\n"
        "    loss = w.sum()  # w の勾配はいつも 1 です\n"
        "    loss.backward()\n"
        "    【い】\n"
        "```"
    ),
}

QUESTIONS = [
    {
        "id": "lr_schedules-concept-1",
        "kind": "concept",
        "keyword": "学習率",
        "difficulty": 1,
        "stem": (
            "確率的勾配降下法が収束するための学習率の条件として、"
            "Robbins と Monro が示したものを選んでください。"
            "$\\eta_t$ は $t + 1$ 回目の更新に使う学習率です。"
        ),
        "choices": [
            "$\\sum_t \\eta_t < \\infty$ かつ $\\sum_t \\eta_t^2 = \\infty$",
            "$\\eta_t$ が一定の値 $\\eta > 0$ であること",
            "$\\sum_t \\eta_t = \\infty$ かつ $\\sum_t \\eta_t^2 < \\infty$",
            "$\\sum_t \\eta_t < \\infty$ かつ $\\sum_t \\eta_t^2 < \\infty$",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しい条件です。"
            "$\\sum_t \\eta_t = \\infty$ は「どれほど遠くからでも最小点まで進める」ことを表します。"
            "$\\sum_t \\eta_t^2 < \\infty$ は「積み重なる勾配のノイズの量が有限」であることを表します。"
            "たとえば $\\eta_t = \\eta_0/(t + 1)$ は両方を満たします。\n\n"
            "- （ア）2 つの条件が逆です。"
            "$\\sum_t \\eta_t < \\infty$ なら $\\sum_t \\eta_t^2$ も有限なので、"
            "この組み合わせは起こりません。\n"
            "- （イ）一定の学習率は 1 つ目の条件しか満たしません。"
            "損失は学習率にほぼ比例するノイズの床より下がりません。\n"
            "- （エ）$\\sum_t \\eta_t < \\infty$ では進める距離に上限があり、遠くの最小点に届きません。"
        ),
    },
    {
        "id": "lr_schedules-formula-1",
        "kind": "formula",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "コサインアニーリング（cosine annealing）の学習率 "
            "$\\eta_t$（$0 \\le t \\le T_{\\max}$）を選んでください。"
            "$\\eta$ は最大の学習率、$\\eta_{\\min}$ は下限です。"
            "$\\eta_0 = \\eta$、$\\eta_{T_{\\max}} = \\eta_{\\min}$ となります。"
        ),
        "choices": [
            "$\\eta_t = \\eta_{\\min} + (\\eta - \\eta_{\\min})\\,\\dfrac{1 + \\cos(\\pi t/T_{\\max})}{2}$",
            "$\\eta_t = \\eta_{\\min} + (\\eta - \\eta_{\\min})\\,\\dfrac{1 - \\cos(\\pi t/T_{\\max})}{2}$",
            "$\\eta_t = \\eta_{\\min} + (\\eta - \\eta_{\\min})\\cos(\\pi t/(2T_{\\max}))$",
            "$\\eta_t = \\eta\\,\\dfrac{1 + \\cos(\\pi t/T_{\\max})}{2} + \\eta_{\\min}$",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正解です。"
            "$t = 0$ で $\\cos 0 = 1$ なので $\\eta$、$t = T_{\\max}/2$ で中間の "
            "$(\\eta + \\eta_{\\min})/2$、"
            "$t = T_{\\max}$ で $\\cos\\pi = -1$ なので $\\eta_{\\min}$ です。"
            "傾きは両端で 0 になります。\n\n"
            "- （イ）$1 - \\cos$ では、$\\eta_{\\min}$ から $\\eta$ へ上がる曲線になります。\n"
            "- （ウ）余弦の 4 分の 1 周期です。"
            "値は両端で合いますが、終わりの傾きが 0 にならず、最後に速く下がります。\n"
            "- （エ）$t = 0$ で $\\eta + \\eta_{\\min}$ になり、最大値を超えます。"
            "$\\eta$ ではなく $\\eta - \\eta_{\\min}$ に掛けます。"
        ),
    },
    {
        "id": "lr_schedules-calc-1",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "`cosine_annealing(lr=0.1, T_max=100, eta_min=0.001)` の $t = 25$ の学習率 $\\eta_{25}$ を、"
            "有効数字 3 桁で選んでください。"
            "$\\cos(\\pi/4) = 1/\\sqrt{2} \\approx 0.7071$ です。"
        ),
        "choices": ["$0.0854$", "$0.0753$", "$0.0155$", "$0.0855$"],
        "answer": 3,
        "explanation": (
            "（エ）が正解です。"
            "$\\eta_{25} = 0.001 + 0.099 \\times (1 + 0.7071)/2"
            " = 0.001 + 0.099 \\times 0.8536 \\approx 0.0855$ です。"
            "4 分の 1 進んだ時点で、学習率はまだ最大値の 85 % 以上あります。\n\n"
            "- （ア）$\\eta_{\\min}$ を忘れて $0.1 \\times (1 + 0.7071)/2$ としています。\n"
            "- （イ）0.1 から 0.001 へ直線的に下げたときの値です。\n"
            "- （ウ）$1 - \\cos$ を使っています。"
            "これは学習率が上がっていく曲線の値です。"
        ),
    },
    {
        "id": "lr_schedules-calc-2",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "線形ウォームアップ付きコサイン `warmup_cosine(lr=0.1, warmup_steps=10, total_steps=110)` "
            "を使います。"
            "開始倍率は $f = 1/3$ で、ウォームアップ中は $\\eta_t = \\eta\\left(f + (1 - f)\\,t/W\\right)$ "
            "です。"
            "$t = 5$ の学習率 $\\eta_5$ を選んでください。"
        ),
        "choices": ["$0.0733$", "$0.0667$", "$0.0500$", "$0.0364$"],
        "answer": 1,
        "explanation": (
            "（イ）が正解です。"
            "$\\eta_5 = 0.1 \\times (1/3 + 2/3 \\times 5/10) = 0.1 \\times 2/3 \\approx 0.0667$ です。"
            "$t = 0$ の $\\eta/3$ から 1 回ごとに $(1 - f)\\eta/W$ ずつ増え、$t = 10$ で初めて $\\eta$ "
            "に届きます。\n\n"
            "- （ア）$t$ を 1 から数えて $t = 6$ を代入しています。"
            "PyTorch の `LinearLR` とも 1 回ずれます。\n"
            "- （ウ）開始倍率を $f = 0$（0 から上げる）としています。\n"
            "- （エ）分母に $W$ ではなく全体の回数 $T = 110$ を使っています。"
        ),
    },
    {
        "id": "lr_schedules-calc-3",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 3,
        "stem": (
            "ステップ減衰 `step_decay(lr=0.1, step_size=30, gamma=0.1)`、"
            "つまり $\\eta_t = \\eta\\,\\gamma^{\\lfloor t/s \\rfloor}$ を使います。"
            "$t$ はそれまでに終えた更新の回数（0 から数える）です。"
            "60 回目の更新に使う学習率を選んでください。"
        ),
        "choices": ["$0.001$", "$0.1$", "$0.01$", "$1.08 \\times 10^{-3}$"],
        "answer": 2,
        "explanation": (
            "（ウ）が正解です。"
            "60 回目の更新では、それまでに 59 回の更新を終えているので $t = 59$ です。"
            "$\\lfloor 59/30 \\rfloor = 1$ なので、$\\eta_{59} = 0.1 \\times 0.1 = 0.01$ です。"
            "2 回目の減衰は $t = 60$、つまり 61 回目の更新からです。\n\n"
            "- （ア）更新の番号 60 をそのまま $t$ に入れています。\n"
            "- （イ）1 回も減衰させていません。"
            "$t = 30$（31 回目の更新）からは 0.01 です。\n"
            "- （エ）床関数を忘れて $0.1 \\times 0.1^{59/30}$ としています。"
            "これは段差のない指数減衰の値です。"
        ),
    },
    {
        "id": "lr_schedules-calc-4",
        "kind": "calculation",
        "keyword": "Adam",
        "difficulty": 3,
        "stem": (
            "Adam（$\\eta = 0.001$、$\\beta_1 = 0.9$、$\\beta_2 = 0.999$）の最初のステップを考えます。"
            "ある成分の勾配は $g_1 = 0.02$ で、$m_0 = v_0 = 0$ です。"
            "この成分が 1 ステップ目に動く大きさ $|\\theta_1 - \\theta_0|$ を選んでください（$\\varepsilon$ "
            "の影響は無視できます）。"
        ),
        "choices": ["$0.00100$", "$0.00316$", "$0.00010$", "$0.00002$"],
        "answer": 0,
        "explanation": (
            "（ア）が正解です。"
            "バイアス補正で $\\hat m_1 = g_1$、$\\hat v_1 = g_1^2$ なので、"
            "歩幅は $\\eta\\,|g_1|/\\sqrt{g_1^2} = \\eta = 0.001$ です。"
            "勾配の大きさによらず、勾配が 0 でない成分は（$\\varepsilon$ を無視すると）"
            "すべてちょうど $\\eta$ 動きます。"
            "これが、Adam にウォームアップを組み合わせる理由の 1 つです。\n\n"
            "- （イ）バイアス補正を忘れた値です。"
            "$\\eta (1 - \\beta_1)/\\sqrt{1 - \\beta_2} = 0.001 \\times 0.1/0.0316 \\approx 0.00316$ "
            "になります。\n"
            "- （ウ）$m$ だけ補正を忘れた値で、$\\eta (1 - \\beta_1) = 0.0001$ です。\n"
            "- （エ）SGD の歩幅 $\\eta\\,|g_1| = 0.001 \\times 0.02$ です。"
        ),
    },
    {
        "id": "lr_schedules-concept-2",
        "kind": "concept",
        "keyword": "Adam",
        "difficulty": 2,
        "stem": "Adam で学習率のウォームアップ（warm-up）が効く理由として、最も適切なものを選んでください。",
        "choices": [
            "学習の最初は勾配が 0 に近く、大きな学習率でないと進まないからです。",
            "ウォームアップ中は、Adam の 2 次モーメント $v_t$ を更新しないからです。",
            "バイアス補正の $1 - \\beta_1^t$ が、最初のステップで 0 になるからです。",
            "最初の数ステップは $\\hat v_t$ の推定が粗く、歩幅が荒れるので、その間の学習率を抑えるためです。",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正解です。"
            "$\\hat v_t$ は少数のサンプルから推定した勾配の 2 乗の平均なので、"
            "最初の数ステップでは推定が粗くなります。"
            "最初のステップでは、勾配の大きさによらず（$\\varepsilon$ を無視すると）"
            "すべての成分がちょうど $\\eta$ 動きます。"
            "ウォームアップは、推定が落ち着くまで学習率を小さく抑えます。\n\n"
            "- （ア）ウォームアップは学習率を小さく始める方法で、大きくする方法ではありません。\n"
            "- （イ）ウォームアップ中も $m_t$ と $v_t$ はふつうに更新します。変えるのは学習率だけです。\n"
            "- （ウ）ステップ $t$ は 1 から数えるので、最初のステップでも "
            "$1 - \\beta_1^t = 1 - \\beta_1 > 0$ です。"
        ),
    },
    {
        "id": "lr_schedules-functions-a",
        "group": "lr_schedules-functions",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "発展",
        "difficulty": 2,
        "stem": "空欄【あ】に入るものを選んでください。",
        "choices": ["t", "min(t, T_max)", "t % T_max", "t - 1"],
        "answer": 1,
        "explanation": (
            "（イ）が正解です。"
            "`min(t, T_max)` で、$t > T_{\\max}$ でも余弦の角度が $\\pi$ で止まり、$\\eta_{\\min}$ "
            "を保ちます。\n\n"
            "- （ア）$T_{\\max}$ を過ぎると、余弦に沿って学習率が上がり始めます。"
            "$t = 2T_{\\max}$ で $\\eta$ に戻ります。"
            "PyTorch の `CosineAnnealingLR` の振る舞いで、この関数の仕様とは違います。\n"
            "- （ウ）$T_{\\max}$ ごとに $\\eta$ へ戻る再始動（SGDR）になります。\n"
            "- （エ）$t$ を 1 から数えたことになり、$\\eta_0$ が $\\eta$ になりません。"
        ),
    },
    {
        "id": "lr_schedules-functions-i",
        "group": "lr_schedules-functions",
        "blank": "【い】",
        "kind": "code",
        "keyword": "発展",
        "difficulty": 1,
        "stem": "空欄【い】に入るものを選んでください。",
        "choices": ["lr", "0.0", "eta_min * lr", "eta_min"],
        "answer": 3,
        "explanation": (
            "（エ）が正解です。"
            "$\\eta_t = \\eta_{\\min} + (\\eta - \\eta_{\\min})(1 + \\cos(\\pi t/T_{\\max}))/2$ "
            "の最初の項です。"
            "$t = T_{\\max}$ で第 2 項が 0 になり、$\\eta_t = \\eta_{\\min}$ になります。\n\n"
            "- （ア）$t = 0$ で $2\\eta - \\eta_{\\min}$ になり、最大値を超えます。\n"
            "- （イ）$\\eta_{\\min} > 0$ のとき、終わりの学習率が 0 になり、下限を保ちません。\n"
            "- （ウ）Keras の `CosineDecay` の `alpha` のように、下限を最大値に対する比として扱っています。"
            "この関数の `eta_min` は学習率の値そのものです。"
        ),
    },
    {
        "id": "lr_schedules-functions-u",
        "group": "lr_schedules-functions",
        "blank": "【う】",
        "kind": "code",
        "keyword": "発展",
        "difficulty": 2,
        "stem": "空欄【う】に入るものを選んでください。",
        "choices": [
            "(t // step_size)",
            "t // step_size",
            "(t / step_size)",
            "((t + 1) // step_size)",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正解です。"
            "$\\eta\\,\\gamma^{\\lfloor t/s \\rfloor}$ の指数 $\\lfloor t/s \\rfloor$ は、切り捨ての整数除算 "
            "`//` です。"
            "$t = 0, \\dots, s - 1$ の間は $\\eta$ のままです。\n\n"
            "- （イ）括弧がないので、`lr * gamma ** t // step_size` は `(lr * gamma ** t) // step_size` "
            "と計算されます。"
            "`**` が `//` より先に結合するからです。学習率は切り捨てられてほぼ 0 になります。\n"
            "- （ウ）切り捨てがないので、段差のない指数減衰になります。\n"
            "- （エ）$t$ を 1 から数えたことになり、1 回早く減衰します。"
        ),
    },
    {
        "id": "lr_schedules-torch-a",
        "group": "lr_schedules-torch",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "発展",
        "difficulty": 2,
        "stem": "空欄【あ】に入るスケジューラーを選んでください。",
        "choices": [
            "lr_scheduler.StepLR(optimizer, step_size=2, gamma=2)",
            "lr_scheduler.ExponentialLR(optimizer, gamma=0.5)",
            "lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)",
            "lr_scheduler.MultiStepLR(optimizer, milestones=[2], gamma=0.5)",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正解です。"
            "`StepLR(step_size=2, gamma=0.5)` は、`scheduler.step()` を 2 回呼ぶごとに学習率を 0.5 "
            "倍にします。\n\n"
            "- （ア）`gamma` は掛ける倍率です。"
            "`gamma=2` では学習率が 2 エポックごとに 2 倍になります。\n"
            "- （イ）`ExponentialLR` は毎回 `gamma` を掛けます。"
            "学習率は $0.1,\\ 0.05,\\ 0.025,\\ \\dots$ と毎エポック半分になります。\n"
            "- （エ）`MultiStepLR` は `milestones` に書いた回数でだけ減衰します。"
            "2 エポック目に 1 度 0.5 倍にしたあとは、0.05 のままです。"
        ),
    },
    {
        "id": "lr_schedules-torch-i",
        "group": "lr_schedules-torch",
        "blank": "【い】",
        "kind": "code",
        "keyword": "発展",
        "difficulty": 2,
        "stem": "空欄【い】に入るものを選んでください。",
        "choices": [
            "scheduler.step()\noptimizer.step()",
            "optimizer.step()\nscheduler.step()",
            "optimizer.step()",
            "optimizer.step()\nscheduler.step(epoch)",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正解です。"
            "PyTorch 1.1.0 以降は、`optimizer.step()` で更新してから `scheduler.step()` で学習率を進めます。"
            "こうすると、最初のエポックで学習率 0.1 がそのまま使われます。\n\n"
            "- （ア）順序が逆です。"
            "最初の更新の前にスケジュールが 1 つ進み、最初の学習率が飛ばされます。"
            "PyTorch はこの順序を見つけると警告を出します。\n"
            "- （ウ）`scheduler.step()` を呼ばないので、学習率は 0.1 のまま変わりません。\n"
            "- （エ）`step` に `epoch` を渡す書き方は非推奨です。"
            "エポック 0 の終わりに `last_epoch` を 0 に設定するので、減衰が 1 エポック遅れます。"
        ),
    },
]
