"""E資格形式の問題：早期終了（chapters/early_stopping）。"""

GROUPS = {
    "early_stopping-class": (
        "次のコードは、検証損失を見張る早期終了（early stopping）のクラスです。"
        "規則は Keras の `EarlyStopping` と同じで、止めるときに最良のエポックの重みへ戻します。"
        "`step` は毎エポックの終わりに、検証損失 `value` と重みの dict `params` を渡して呼びます。"
        "学習のコードは `params[key]` をその場で書き換えます（`params[key] -= ...`）。"
        "空欄【あ】〜【う】に入るものを、それぞれ選んでください。\n\n"
        "```python\n"
        "import numpy as np\n"
        "\n"
        "\n"
        "class EarlyStopping:\n"
        "    def __init__(self, patience=5, min_delta=0.0):\n"
        "        self.patience = patience\n"
        "        self.min_delta = min_delta\n"
        "        self.best = None\n"
        "        self.wait = 0\n"
        "        self.best_params = None\n"
        "\n"
        "    def step(self, value, params):\n"
        "        if self.best is None or 【あ】:\n"
        "            self.best = value\n"
        "            self.wait = 0\n"
        "            【い】\n"
        "            return False\n"
        "        self.wait += 1\n"
        "        if 【う】:\n"
        "            for key in params.keys():\n"
        "                params[key][...] = self.best_params[key]\n"
        "            return True\n"
        "        return False\n"
        "```"
    ),
}

QUESTIONS = [
    {
        "id": "early_stopping-concept-1",
        "kind": "concept",
        "keyword": "早期終了",
        "difficulty": 1,
        "stem": "早期終了（early stopping）の説明として、最も適切なものを選んでください。",
        "choices": [
            "テストデータの損失が最小になったエポックを選び、その重みを使います。",
            "訓練損失が下がらなくなったら、すぐに学習を止めます。",
            "検証損失が 1 度でも前のエポックより上がったら、その場で学習を止めます。",
            "検証損失が一定のエポック数続けて改善しなければ止め、最良のエポックの重みを使います。",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しい説明です。"
            "検証データ（validation data）の損失を毎エポック測り、"
            "改善しない回数が patience に達したら止めます。"
            "そして、それまでで最良だったエポックの重みを使います。\n\n"
            "- （ア）止めるエポックもハイパーパラメータの一種です。"
            "テストデータで選ぶと、テストの結果が楽観的になり、汎化誤差の推定になりません。\n"
            "- （イ）過学習では訓練損失は下がり続けるので、訓練損失を見ても止めどきは分かりません。\n"
            "- （ウ）検証損失は上下に揺れながら推移します。"
            "1 度の悪化で止めると早すぎるので、patience だけ改善を待ちます。"
        ),
    },
    {
        "id": "early_stopping-formula-1",
        "kind": "formula",
        "keyword": "早期終了",
        "difficulty": 2,
        "stem": (
            '正解率のように大きいほど良い値を見張る早期終了（Keras の `mode="max"`）を考えます。'
            "エポック $n$ の値を $v_n$、それまでの最良の値を $v^*$、"
            "改善とみなす最小の変化幅（min_delta）を $\\delta \\ge 0$ とします。"
            "エポック $n$ を「改善」と数える条件を選んでください。"
        ),
        "choices": [
            "$v_n + \\delta > v^*$",
            "$v_n - \\delta > v^*$",
            "$v_n + \\delta < v^*$",
            "$v_n - \\delta \\ge v^*$",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しい条件です。"
            "最大化では、最良の値を $\\delta$ より大きく上回ったときだけ改善です。"
            "Keras はこれを `current - min_delta > best` の順で計算します。\n\n"
            "- （ア）$\\delta$ の符号が逆です。"
            "最良より少し下がった値（$v^* - \\delta < v_n \\le v^*$）まで改善と数えてしまいます。\n"
            '- （ウ）最小化（`mode="min"`）の条件です。'
            "正解率に使うと、値が下がるほど「改善」と数えます。\n"
            "- （エ）不等号が厳密ではありません。"
            "ちょうど $\\delta$ だけ上がった値も改善になり、Keras の規則と食い違います。"
        ),
    },
    {
        "id": "early_stopping-calc-1",
        "kind": "calculation",
        "keyword": "早期終了",
        "difficulty": 2,
        "stem": (
            "検証損失が、エポック 0 から順に次のように得られました。\n\n"
            "| エポック | 0 | 1 | 2 | 3 | 4 | 5 | 6 |\n"
            "|---|---|---|---|---|---|---|---|\n"
            "| 検証損失 | 0.90 | 0.75 | 0.78 | 0.74 | 0.76 | 0.77 | 0.73 |\n\n"
            "patience $p = 2$、min_delta $\\delta = 0.02$ の早期終了（Keras と同じ規則）を使います。"
            "止まるエポックと最良のエポックの組（止まるエポック, 最良のエポック）を選んでください。"
        ),
        "choices": ["$(3,\\ 1)$", "$(5,\\ 3)$", "$(4,\\ 1)$", "$(2,\\ 1)$"],
        "answer": 0,
        "explanation": (
            "（ア）が正解です。"
            "改善の条件は $v_n + \\delta < v^*$ です。\n\n"
            "- エポック 1：$0.75 + 0.02 < 0.90$ なので改善です（$v^* = 0.75$、待ち回数 $c = 0$）。\n"
            "- エポック 2：0.78 は改善ではなく、$c = 1$ です。\n"
            "- エポック 3：$0.74 + 0.02 = 0.76$ は 0.75 より小さくないので改善ではありません。"
            "$c = 2 \\ge p$ となり、エポック 3 で止まります。最良はエポック 1 です。\n\n"
            "（イ）は $\\delta$ を無視した答えです。"
            "$\\delta = 0$ ならエポック 3 の 0.74 が改善になり、エポック 5 で止まります。"
            "（ウ）は $c > p$ で止めた答えで、1 エポック遅れます。"
            "（エ）は patience を無視して、最初の悪化で止めた答えです。"
        ),
    },
    {
        "id": "early_stopping-calc-2",
        "kind": "calculation",
        "keyword": "早期終了",
        "difficulty": 1,
        "stem": (
            "patience $p = 5$ の早期終了（$\\delta = 0$）で学習しました。"
            "検証損失が最良になったのはエポック 7（エポックは 0 から数えます）で、その後は 1 "
            "度も改善しませんでした。"
            "止まるまでに学習したエポックの数を選んでください。"
        ),
        "choices": ["$12$", "$14$", "$8$", "$13$"],
        "answer": 3,
        "explanation": (
            "（エ）が正解です。"
            "最良のエポック $n^* = 7$ のあと、エポック 8〜12 の 5 回続けて改善しないので、"
            "待ち回数がエポック 12 で $p$ に達して止まります。"
            "止まるエポックは $n^* + p = 12$ で、エポック 0〜12 の 13 エポックを学習しています。\n\n"
            "- （ア）止まるエポックの番号 12 を、学習したエポック数と取り違えています。\n"
            "- （イ）待ち回数が $p$ を「超えた」ときに止めると数えています。"
            "これは PyTorch の `ReduceLROnPlateau` の数え方です。\n"
            "- （ウ）最良のエポックまでの数（$n^* + 1$）です。"
            "早期終了は最良のあとに $p$ エポック余分に学習します。"
        ),
    },
    {
        "id": "early_stopping-concept-2",
        "kind": "concept",
        "keyword": "早期終了",
        "difficulty": 2,
        "stem": (
            "Keras 3 の `keras.callbacks.EarlyStopping` と PyTorch について、正しい記述を選んでください。"
        ),
        "choices": [
            "Keras の `restore_best_weights` の既定は `True` で、最良の重みへ自動で戻ります。",
            "Keras は改善の判定で、検証損失を 1 つ前のエポックの値と比べます。",
            "Keras の `patience` の既定は 0 で、`restore_best_weights` の既定は `False` です。",
            "PyTorch には `torch.optim.EarlyStopping` があり、Keras と同じ既定値を持ちます。",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しい記述です。"
            "Keras の `EarlyStopping` は `patience=0`、`restore_best_weights=False` が既定です。"
            "最良の重みに戻したいときは、`restore_best_weights=True` を自分で指定します。\n\n"
            "- （ア）既定は `False` です。"
            "指定しないと、最後のエポックの重みが残ります。\n"
            "- （イ）比べる相手は 1 つ前の値ではなく、それまでの最良の値です。\n"
            "- （エ）PyTorch 本体には早期終了のクラスがありません。"
            "学習ループに数行を書き、`state_dict` の複製で最良の重みを保存します。"
        ),
    },
    {
        "id": "early_stopping-class-a",
        "group": "early_stopping-class",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "早期終了",
        "difficulty": 2,
        "stem": "空欄【あ】に入る改善の条件を選んでください（Keras と同じ計算順で書きます）。",
        "choices": [
            "value < self.best - self.min_delta",
            "value + self.min_delta < self.best",
            "value + self.min_delta <= self.best",
            "value - self.min_delta > self.best",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正解です。"
            "改善の条件は $v_n + \\delta < v^*$ で、Keras と同じく `value + min_delta < best` "
            "の順で計算します。\n\n"
            "- （ア）数式では同じ意味ですが、浮動小数点数では丸め方が違います。"
            "`0.4 - 0.1` は 0.30000000000000004 なので、0.4 のあとの "
            "0.3（$\\delta = 0.1$）を改善と判定します。"
            "Keras の順序では `0.3 + 0.1 < 0.4` は偽で、改善ではありません。\n"
            "- （ウ）不等号が厳密ではありません。"
            "$\\delta = 0$ のとき、最良と同じ値まで改善と数え、待ち回数が 0 に戻ってしまいます。\n"
            '- （エ）最大化（`mode="max"`）の条件です。'
            "損失が下がったときは改善にならず、上がったときに改善と数えます。"
        ),
    },
    {
        "id": "early_stopping-class-i",
        "group": "early_stopping-class",
        "blank": "【い】",
        "kind": "code",
        "keyword": "早期終了",
        "difficulty": 2,
        "stem": "空欄【い】に入る、最良の重みを保存する行を選んでください。",
        "choices": [
            "self.best_params = params",
            "self.best_params = params.copy()",
            "self.best_params = {key: val.copy() for key, val in params.items()}",
            "params = {key: val.copy() for key, val in params.items()}",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正解です。"
            "学習は `params[key]` の配列をその場で書き換えるので、配列ごとに `copy()` で複製して保存します。"
            "\n\n"
            "- （ア）同じ dict を指すだけです。"
            "学習が進むと「最良の重み」も一緒に書き換わり、止めたときに戻しても最後の重みのままです。\n"
            "- （イ）`dict.copy()` は浅いコピーで、中の配列は共有したままです。"
            "（ア）と同じく、保存した重みが学習とともに変わります。\n"
            "- （エ）ローカル変数 `params` に複製を入れるだけで、`self.best_params` は `None` のままです。"
            "止めるときの `self.best_params[key]` でエラーになります。"
        ),
    },
    {
        "id": "early_stopping-class-u",
        "group": "early_stopping-class",
        "blank": "【う】",
        "kind": "code",
        "keyword": "早期終了",
        "difficulty": 2,
        "stem": "空欄【う】に入る、学習を止める条件を選んでください。",
        "choices": [
            "self.wait >= self.patience",
            "self.wait > self.patience",
            "value > self.best",
            "self.wait >= self.patience - 1",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正解です。"
            "改善しなかった連続回数 `wait` が `patience` に達したら止めます。"
            "最良のエポック $n^*$ のあとに改善がなければ、エポック $n^* + p$ で止まります。\n\n"
            "- （イ）`patience` を超えるまで待つので、1 エポック遅れて止まります。"
            "これは PyTorch の `ReduceLROnPlateau` の数え方です。\n"
            "- （ウ）最良より悪い値が 1 度出ただけで止めます。"
            "patience を無視しているので、検証損失の揺れで止まってしまいます。\n"
            "- （エ）1 エポック早く止まります。"
            "たとえば `patience=2` でも、最初の悪化で止まってしまいます。"
        ),
    },
    {
        "id": "early_stopping-calc-3",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "Prechelt の汎化損失（generalization loss）は "
            "$\\mathrm{GL}(n) = 100\\left(E_{\\text{va}}(n)/E_{\\text{opt}}(n) - 1\\right)$ です。"
            "$E_{\\text{va}}(n)$ はエポック $n$ の検証損失、$E_{\\text{opt}}(n)$ "
            "はそれまでの検証損失の最小値です。"
            "$E_{\\text{opt}}(n) = 0.70$、$E_{\\text{va}}(n) = 0.75$ のときの $\\mathrm{GL}(n)$ "
            "を選んでください。"
        ),
        "choices": ["$6.67$", "$0.0714$", "$7.14$", "$5.00$"],
        "answer": 2,
        "explanation": (
            "（ウ）が正解です。"
            "$\\mathrm{GL}(n) = 100 \\times (0.75/0.70 - 1) = 100 \\times 0.0714 = 7.14$ で、"
            "最小値から 7.14 % 悪化しています。"
            "GL$_5$ の基準なら、$\\mathrm{GL}(n) > 5$ なのでここで止めます。\n\n"
            "- （ア）$100(1 - 0.70/0.75)$ と、今の検証損失で割っています。\n"
            "- （イ）100 を掛け忘れています。GL は百分率です。\n"
            "- （エ）$100 \\times (0.75 - 0.70)$ と、比ではなく差をとっています。"
        ),
    },
    {
        "id": "early_stopping-calc-4",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 3,
        "stem": (
            "2 次関数の損失の上で、原点から学習率 $\\eta = 0.01$ の勾配降下を $t = 500$ "
            "ステップ進めて止めました。"
            "Goodfellow らの議論によると、これは係数 $\\lambda$ の L2 正則化とおおよそ同じ解を与えます。"
            "$\\lambda$ の目安を選んでください。"
        ),
        "choices": ["$5$", "$0.2$", "$0.002$", "$2 \\times 10^{-5}$"],
        "answer": 1,
        "explanation": (
            "（イ）が正解です。"
            "曲率 $a$ の方向で $(1 - \\eta a)^t \\approx e^{-\\eta a t}$ と $\\lambda/(a + \\lambda)$ "
            "を比べると、"
            "$\\lambda \\approx 1/(\\eta t) = 1/(0.01 \\times 500) = 0.2$ です。"
            "長く学習するほど、弱い正則化に相当します。\n\n"
            "- （ア）$\\eta t$ そのもので、逆数をとり忘れています。\n"
            "- （ウ）$1/t$ で、学習率を入れ忘れています。\n"
            "- （エ）$\\eta/t$ です。$\\eta$ と $t$ は積で効きます。"
        ),
    },
    {
        "id": "early_stopping-calc-5",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 3,
        "stem": (
            "検証損失が、エポック 0 から $1.0,\\ 1.1,\\ 1.2,\\ 1.3,\\ 1.4$ と上がり続けました。"
            "`dlopt.EarlyStopping(patience=2)`（Keras と同じ規則）と、"
            'PyTorch の `ReduceLROnPlateau(optimizer, mode="min", patience=2)` '
            "に毎エポック同じ値を渡します。"
            "（早期終了が止まるエポック, `ReduceLROnPlateau` "
            "が初めて学習率を下げるエポック）の組を選んでください。"
        ),
        "choices": ["$(2,\\ 2)$", "$(3,\\ 3)$", "$(3,\\ 2)$", "$(2,\\ 3)$"],
        "answer": 3,
        "explanation": (
            "（エ）が正解です。"
            "早期終了は、改善しない回数が patience に「達した」ときに止まるので、"
            "2 回目の悪化のエポック 2 で止まります。"
            "`ReduceLROnPlateau` は、改善しない回数が patience を「超えた」ときに動きます。"
            "3 回目の悪化のエポック 3 で、初めて学習率を 0.1 倍にします。\n\n"
            "- （ア）`ReduceLROnPlateau` も「達した」ときに動くと数えています。\n"
            "- （イ）早期終了も「超えた」ときに止まると数えています。\n"
            "- （ウ）2 つの数え方を逆にしています。"
        ),
    },
    {
        "id": "early_stopping-concept-3",
        "kind": "concept",
        "keyword": "早期終了",
        "difficulty": 2,
        "stem": (
            "patience $p$ の早期終了で学習を止めたあと、どの重みを使うべきかについて、"
            "最も適切なものを選んでください。"
        ),
        "choices": [
            "最良のエポックの重みに戻します。止めた時点の重みは、最良から $p$ "
            "エポック分過学習が進んでいます。",
            "止めた時点の重みを使います。最良の重みとの差は、丸め誤差の程度しかありません。",
            "最後に改善したエポックの次のエポックの重みを使います。",
            "訓練損失が最小のエポックの重みに戻します。",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しい記述です。"
            "止まるのは最良のエポックの $p$ エポック後で、その間も学習は進んでいます。"
            "本書の実験でも、止めた時点の重みより最良の重みのほうがテスト正解率が高くなりました。\n\n"
            "- （イ）$p$ エポックの学習で重みは大きく変わることがあり、丸め誤差の程度ではありません。\n"
            "- （ウ）最良の次のエポックは、改善しなかったエポックです。"
            "選ぶ理由がありません。\n"
            "- （エ）過学習では訓練損失は最後まで下がり続けるので、最後のエポックを選ぶのと同じになります。"
        ),
    },
]
