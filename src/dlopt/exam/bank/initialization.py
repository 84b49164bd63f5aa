"""E資格形式の問題：重みの初期化（chapters/initialization）。

重みの形は『ゼロから作る』と同じ `(fan_in, fan_out)`、畳み込み層は `(FN, C, FH, FW)` です。
『ゼロから作る』の「Xavier の初期値」は common/multi_layer_net.py の `np.sqrt(1.0 / n)`（LeCun の初期値）で、
Glorot と Bengio の論文の $\\sqrt{2/(n_{\\text{in}} + n_{\\text{out}})}$ とは別の式です。
鍵は tests/exam_cases/initialization.py が計算し直します。
"""

_INIT = """\
import numpy as np


def fans(shape):
    if len(shape) == 2:  # 全結合層 (fan_in, fan_out)
        return shape[0], shape[1]
    FN, C, FH, FW = shape  # 畳み込み層
    return 【あ】, FN * FH * FW


def init_weight(shape, activation, rng):
    fan_in, fan_out = fans(shape)
    if activation == "relu":
        std = 【い】
    else:  # sigmoid と tanh: Glorot と Bengio の論文の式
        std = 【う】
    return rng.normal(0.0, std, size=shape)
"""

GROUPS = {
    "initialization-init": (
        "次のコードは、重みの形 `shape` から標準偏差を決めて、正規分布で重みを初期化します。"
        "全結合層の重みは『ゼロから作る』と同じ `(fan_in, fan_out)` の形です。"
        "畳み込み層の重みは `(FN, C, FH, FW)`（フィルタ数、入力チャンネル数、高さ、幅）の形です。"
        "ReLU には He の初期値、sigmoid と tanh には Xavier（Glorot）の初期値を使います。"
        "空欄【あ】〜【う】に入るものを、それぞれ選んでください。\n\n"
        f"```python\n{_INIT}```"
    ),
}

QUESTIONS = [
    {
        "id": "initialization-concept-symmetry",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 1,
        "stem": (
            "隠れ層の重みをすべて同じ値（たとえば 0.1）で初期化すると、学習がうまく進みません。"
            "その理由として、正しいものはどれですか。"
        ),
        "choices": [
            "同じ層のユニットが同じ出力を出して同じ勾配を受け取るので、更新後も同じままで区別できない。",
            "重みが同じ値だと勾配が 0 になり、どの重みも一度も更新されない。",
            "値が大きすぎるので活性化が飽和し、勾配が消える。",
            "バイアスも同じ値になるので、出力層のバイアスが更新されない。",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しい理由です。これを対称性（symmetry）の問題と呼びます。"
            "本文の digits の実験では、すべて 0.1 の $W_1$ は 10 エポック後も 32 列が同じで、階数は 1 "
            "でした。\n\n"
            "- （イ）勾配が 0 になるのは、すべて 0 の場合の隠れ層です。すべて 0.1 では重みは動きますが、"
            "どの列も同じだけ動きます。\n"
            "- （ウ）問題は値の大きさではなく、値がそろっていることです。0.1 でも乱数なら対称性は破れます。\n"
            "- （エ）バイアスは 0 で初期化してかまいません。出力層のバイアスはこの場合も更新されます。"
        ),
    },
    {
        "id": "initialization-formula-variance",
        "kind": "formula",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "全結合層 $z_j = \\sum_{i=1}^{n_{\\text{in}}} x_i w_{ij}$ で、重みは平均 0・分散 $\\sigma^2$ "
            "で独立に選び、"
            "入力 $x_i$ とも独立とします。入力の平均が 0 のとき、$\\mathrm{Var}(z_j)$ を表す式はどれですか。"
        ),
        "choices": [
            "$\\sigma^2\\, \\mathrm{Var}(x)$",
            "$\\sqrt{n_{\\text{in}}}\\, \\sigma^2\\, \\mathrm{Var}(x)$",
            "$n_{\\text{in}}\\, \\sigma\\, \\mathrm{Var}(x)$",
            "$n_{\\text{in}}\\, \\sigma^2\\, \\mathrm{Var}(x)$",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しい式です。$n_{\\text{in}}$ 個の項は無相関なので、和の分散は各項の分散 "
            "$\\mathrm{E}[x_i^2]\\,\\mathrm{E}[w_{ij}^2] = \\sigma^2\\,\\mathrm{Var}(x)$ の $n_{\\text{in}}$ "
            "倍です。"
            "倍率 $n_{\\text{in}}\\sigma^2$ を 1 にする $\\sigma^2 = 1/n_{\\text{in}}$ が LeCun "
            "の初期値です。\n\n"
            "- （ア）は和をとる項の数 $n_{\\text{in}}$ を落としています。\n"
            "- （イ）は標準偏差の倍率 $\\sqrt{n_{\\text{in}}}\\,\\sigma$ と分散の倍率を混ぜています。\n"
            "- （ウ）は分散 $\\sigma^2$ の代わりに標準偏差 $\\sigma$ を掛けています。"
        ),
    },
    {
        "id": "initialization-concept-activation",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 1,
        "stem": "活性化関数と、それに合わせて使う重みの初期値の組として、正しいものはどれですか。",
        "choices": [
            "ReLU には Xavier の初期値、sigmoid と tanh には He の初期値を使う。",
            "ReLU には He の初期値 $\\sqrt{2/n_{\\text{in}}}$ を使う。ReLU が負の半分を 0 "
            "にして分散を半分にするので、2 倍して補う。",
            "どの活性化関数でも、標準偏差 0.01 の正規分布を使えば深いネットワークでも学習できる。",
            "ReLU には He の初期値 $\\sqrt{1/(2n_{\\text{in}})}$ を使う。ReLU の出力は半分が 0 なので、"
            "分散も半分にそろえる。",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しい組です。ReLU の層の分散の倍率は $n_{\\text{in}}\\sigma^2/2$ なので、"
            "$\\sigma^2 = 2/n_{\\text{in}}$ で倍率が 1 になります。\n\n"
            "- （ア）は 2 つの組を入れ替えています。sigmoid と tanh には Xavier を使います。\n"
            "- （ウ）標準偏差 0.01 は浅いネットワーク向けです。本文の 30 層の実験では、信号が 30 層目で "
            "2.3e-38 まで消えました。\n"
            "- （エ）は補う向きが逆です。分散が $1/2$ になるのを補うには、重みの分散を 2 倍にします。"
        ),
    },
    {
        "id": "initialization-concept-naming",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "『ゼロから作る』は、前の層のノード数を $n$ として、標準偏差 $1/\\sqrt{n}$ の初期値を「Xavier "
            "の初期値」と呼びます。"
            "この式と、Glorot と Bengio の論文の式の関係として、正しいものはどれですか。"
        ),
        "choices": [
            "2 つはどの層でも同じ値になるので、名前の違いだけである。",
            "論文の式は $\\sqrt{2/n_{\\text{in}}}$ で、『ゼロから作る』の式より $\\sqrt{2}$ 倍大きい。",
            "論文の式は $\\sqrt{2/(n_{\\text{in}} + n_{\\text{out}})}$ で、$1/\\sqrt{n_{\\text{in}}}$ は "
            "LeCun の初期値にあたる。"
            "$n_{\\text{in}} = n_{\\text{out}}$ の層では一致する。",
            "論文の式は $\\sqrt{1/n_{\\text{out}}}$ で、逆伝播だけを保つ。",
        ],
        "answer": 2,
        "explanation": (
            "（ウ）が正しい説明です。Glorot と Bengio は、順伝播を保つ $1/n_{\\text{in}}$ と逆伝播を保つ "
            "$1/n_{\\text{out}}$ を"
            "折衷して $\\sigma^2 = 2/(n_{\\text{in}} + n_{\\text{out}})$ としました。"
            "784→100 の層では、LeCun が 0.0357、Xavier が 0.0476 です。\n\n"
            "- （ア）$n_{\\text{in}} \\ne n_{\\text{out}}$ の層では値が違います。"
            "100×100 のような正方形の層だけを見ると、違いに気づきません。\n"
            "- （イ）$\\sqrt{2/n_{\\text{in}}}$ は He の初期値です。\n"
            "- （エ）$1/n_{\\text{out}}$ は逆伝播だけを保つ条件です。論文は順伝播との折衷をとります。"
        ),
    },
    {
        "id": "initialization-concept-pytorch",
        "kind": "concept",
        "keyword": "発展",
        "difficulty": 3,
        "stem": (
            "ReLU の全結合層 `torch.nn.Linear(784, 100)` の重みを He の初期値にします。"
            "PyTorch の重みの形と `torch.nn.init` について、正しいものはどれですか。"
        ),
        "choices": [
            "`nn.Linear` の重みは既定で He の初期値になっているので、何もしなくてよい。",
            '重みの形は `(784, 100)` なので、`kaiming_normal_(w, mode="fan_out")` で $n_{\\text{in}} = '
            "784$ が使われる。",
            '`xavier_normal_(w)` に `mode="fan_in"` を渡すと、He の初期値になる。',
            '重みの形は `(100, 784)` で、`kaiming_normal_(w, mode="fan_in", nonlinearity="relu")` は '
            "$n_{\\text{in}} = 784$ を使い、標準偏差は $\\sqrt{2/784}$ になる。",
        ],
        "answer": 3,
        "explanation": (
            '（エ）が正しい説明です。PyTorch は重みを `(out, in)` の形で持ち、`mode="fan_in"` は '
            "`w.shape[1]` を使います。"
            '`nonlinearity="relu"` の係数は $\\sqrt{2}$ です。\n\n'
            "- （ア）`nn.Linear` の既定は一様分布 $U(\\pm 1/\\sqrt{n_{\\text{in}}})$ で、"
            "標準偏差は He の半分もありません。\n"
            '- （イ）形が逆です。`(out, in)` の重みに `mode="fan_out"` を使うと、$n_{\\text{out}} = 100$ '
            "で割ります。\n"
            "- （ウ）`xavier_normal_` は `mode` を受け取らず、いつも $n_{\\text{in}} + n_{\\text{out}}$ "
            "を使います。"
        ),
    },
    {
        "id": "initialization-calc-he",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 1,
        "stem": (
            "入力 512、出力 256 の全結合層を、ReLU のための He の初期値（正規分布）で初期化します。"
            "重みの標準偏差はいくつですか。"
        ),
        "choices": ["$0.0442$", "$0.0884$", "$0.0625$", "$0.0039$"],
        "answer": 2,
        "explanation": (
            "（ウ）が正しい値です。$\\sqrt{2/512} = \\sqrt{1/256} = 1/16 = 0.0625$ です。\n\n"
            "- （ア）は $\\sqrt{1/512}$ で、LeCun の初期値（『ゼロから作る』の「Xavier の初期値」）です。\n"
            "- （イ）は $\\sqrt{2/256}$ で、$n_{\\text{in}}$ の代わりに出力数 $n_{\\text{out}}$ "
            "を使っています。\n"
            "- （エ）は $2/512$ で、平方根をとり忘れた分散の値です。"
        ),
    },
    {
        "id": "initialization-calc-uniform",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 2,
        "stem": (
            "入力 300、出力 100 の全結合層を、Xavier（Glorot）の一様分布 $U(-a, a)$ で初期化します。"
            "分散が正規分布版の $2/(n_{\\text{in}} + n_{\\text{out}})$ と同じになる範囲 $a$ はいくつですか。"
        ),
        "choices": ["$0.0707$", "$0.1225$", "$0.2121$", "$0.1414$"],
        "answer": 1,
        "explanation": (
            "（イ）が正しい値です。$U(-a, a)$ の分散は $a^2/3$ なので、$a = \\sqrt{3}\\,\\sigma$ です。"
            "$\\sigma = \\sqrt{2/400} = 0.0707$ から、$a = \\sqrt{6/400} = 0.1225$ です。\n\n"
            "- （ア）は正規分布版の標準偏差 $\\sigma$ で、範囲ではありません。\n"
            "- （ウ）は $3\\sigma$ です。分散 $a^2/3$ の $3$ を平方根をとらずに掛けています。\n"
            "- （エ）は $\\sqrt{6/300}$ で、$n_{\\text{in}} + n_{\\text{out}}$ の代わりに $n_{\\text{in}}$ "
            "を使っています。"
        ),
    },
    {
        "id": "initialization-calc-deep",
        "kind": "calculation",
        "keyword": "発展",
        "difficulty": 3,
        "stem": (
            "幅 100 の ReLU の隠れ層を 10 層重ね、すべての重みを標準偏差 0.1 の正規分布で初期化します。"
            "活性化の大きさ（2 乗平均平方根）は、10 層を通ると何倍になりますか。"
        ),
        "choices": [
            "$1$",
            "$9.77 \\times 10^{-4}$",
            "$7.07 \\times 10^{-1}$",
            "$3.13 \\times 10^{-2}$",
        ],
        "answer": 3,
        "explanation": (
            "（エ）が正しい値です。ReLU の層の分散の倍率は $n_{\\text{in}}\\sigma^2/2 = 100 \\times 0.01/2 = "
            "1/2$ です。"
            "大きさの倍率は 1 層あたり $1/\\sqrt{2}$ で、10 層では $2^{-5} = 0.03125$ です。\n\n"
            "- （ア）は ReLU の $1/2$ を忘れた値です。$n_{\\text{in}}\\sigma^2 = 1$ になるのは線形の層です。"
            "\n"
            "- （イ）は分散の倍率 $2^{-10}$ で、大きさ（標準偏差）の倍率ではありません。\n"
            "- （ウ）は 1 層あたりの倍率 $1/\\sqrt{2}$ で、10 層ぶん掛けていません。"
        ),
    },
    {
        "id": "initialization-init-a",
        "group": "initialization-init",
        "blank": "【あ】",
        "kind": "code",
        "keyword": "発展",
        "difficulty": 2,
        "stem": "【あ】に入るもの（畳み込み層の `fan_in`）を選んでください。",
        "choices": ["C", "FN * FH * FW", "C * FH * FW", "FH * FW"],
        "answer": 2,
        "explanation": (
            "（ウ）が正しいコードです。1 つの出力は、$C$ チャンネルの $FH \\times FW$ の範囲の入力の和です。"
            "そのため `fan_in = C*FH*FW` です。"
            "形 `(32, 16, 3, 3)` なら `fan_in = 144` で、He の標準偏差は $\\sqrt{2/144} = 0.1179$ です。\n\n"
            "- （ア）はチャンネル数だけで、受容野の大きさ `FH*FW` を掛け忘れています。"
            "上の例では標準偏差を 3 倍に見積もります。\n"
            "- （イ）は `fan_out` です。\n"
            "- （エ）は受容野の大きさだけで、チャンネル数を掛け忘れています。"
        ),
    },
    {
        "id": "initialization-init-b",
        "group": "initialization-init",
        "blank": "【い】",
        "kind": "code",
        "keyword": "発展",
        "difficulty": 1,
        "stem": "【い】に入るもの（He の初期値の標準偏差）を選んでください。",
        "choices": [
            "np.sqrt(2.0 / fan_in)",
            "np.sqrt(1.0 / fan_in)",
            "2.0 / fan_in",
            "np.sqrt(2.0 / fan_out)",
        ],
        "answer": 0,
        "explanation": (
            "（ア）が正しいコードです。He の初期値は $\\sigma = \\sqrt{2/n_{\\text{in}}}$ で、`fan_out` "
            "は使いません。\n\n"
            "- （イ）は LeCun の初期値です。ReLU では 1 層ごとに分散が半分になり、深い層で信号が消えます。\n"
            "- （ウ）は分散 $\\sigma^2$ の値です。`rng.normal` の第 2 引数は標準偏差なので、"
            "平方根が必要です。\n"
            "- （エ）は出力数を使っています。$n_{\\text{in}} \\ne n_{\\text{out}}$ の層で、"
            "順伝播の分散が保たれません。"
        ),
    },
    {
        "id": "initialization-init-c",
        "group": "initialization-init",
        "blank": "【う】",
        "kind": "code",
        "keyword": "発展",
        "difficulty": 2,
        "stem": "【う】に入るもの（Glorot と Bengio の Xavier の初期値の標準偏差）を選んでください。",
        "choices": [
            "np.sqrt(1.0 / fan_in)",
            "np.sqrt(2.0 / (fan_in + fan_out))",
            "np.sqrt(6.0 / (fan_in + fan_out))",
            "np.sqrt(1.0 / (fan_in + fan_out))",
        ],
        "answer": 1,
        "explanation": (
            "（イ）が正しいコードです。順伝播を保つ $1/n_{\\text{in}}$ と逆伝播を保つ $1/n_{\\text{out}}$ "
            "を折衷して、"
            "$\\sigma^2 = 2/(n_{\\text{in}} + n_{\\text{out}})$ とします。\n\n"
            "- （ア）は『ゼロから作る』が「Xavier の初期値」と呼ぶ式で、LeCun の初期値です。"
            "$n_{\\text{in}} \\ne n_{\\text{out}}$ の層では論文の式と値が違います。\n"
            "- （ウ）は一様分布版の範囲 $a$ です。標準偏差として使うと $\\sqrt{3}$ 倍大きくなります。\n"
            "- （エ）は分子の 2 を落としています。標準偏差が $1/\\sqrt{2}$ 倍に小さくなります。"
        ),
    },
]
