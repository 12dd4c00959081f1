"""The whitelist: every function, constant and alias the answer language knows."""

from __future__ import annotations

# name -> (canonical function, allowed argument counts)
FUNCTIONS: dict[str, tuple[str, tuple[int, ...]]] = {
    "sin": ("sin", (1,)),
    "cos": ("cos", (1,)),
    "tan": ("tan", (1,)),
    "sec": ("sec", (1,)),
    "csc": ("csc", (1,)),
    "cot": ("cot", (1,)),
    "asin": ("asin", (1,)),
    "arcsin": ("asin", (1,)),
    "acos": ("acos", (1,)),
    "arccos": ("acos", (1,)),
    "atan": ("atan", (1,)),
    "arctan": ("atan", (1,)),
    "sinh": ("sinh", (1,)),
    "cosh": ("cosh", (1,)),
    "tanh": ("tanh", (1,)),
    "sech": ("sech", (1,)),
    "csch": ("csch", (1,)),
    "coth": ("coth", (1,)),
    "acot": ("acot", (1,)),
    "arccot": ("acot", (1,)),
    # Inverse hyperbolics under every common spelling: asinh, arsinh (ISO), arcsinh.
    **{f"{prefix}{name}": (f"a{name}", (1,)) for name in ("sinh", "cosh", "tanh", "coth")
       for prefix in ("a", "ar", "arc")},
    "exp": ("exp", (1,)),
    "ln": ("log", (1,)),
    "log": ("log", (1, 2)),  # natural log; log(x, b) is log base b
    "log10": ("log10", (1,)),
    "log2": ("log2", (1,)),
    "sqrt": ("sqrt", (1,)),
    "abs": ("abs", (1,)),
    "sigmoid": ("sigmoid", (1,)),
    "σ": ("sigmoid", (1,)),
    "relu": ("relu", (1,)),
    "ReLU": ("relu", (1,)),
    "softplus": ("softplus", (1,)),
    "max": ("max", (2,)),
    "min": ("min", (2,)),
    "sign": ("sign", (1,)),
    "sgn": ("sign", (1,)),
    "erf": ("erf", (1,)),
    "step": ("step", (1,)),
    "heaviside": ("step", (1,)),
    "Heaviside": ("step", (1,)),
}

CONSTANTS = {"pi": "pi", "π": "pi", "e": "E"}

# Greek letters typed as symbols are the same names as their spelled-out forms.
GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
    "ρ": "rho", "σ": "sigma", "τ": "tau", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}
# Spellings that name the same variable as a declared one.
ALIASES = {"lambda": "lam", "lam": "lambda"}

# Names that would make the computer do the learner's work, or that people try out of habit.
FORBIDDEN = {
    "diff": "work out the derivative yourself",
    "Derivative": "work out the derivative yourself",
    "derivative": "work out the derivative yourself",
    "integrate": "work out the antiderivative yourself",
    "Integral": "work out the antiderivative yourself",
    "integral": "work out the antiderivative yourself",
    "subs": "substitute the values yourself",
    "limit": "work out the limit yourself",
    "lim": "work out the limit yourself",
    "solve": "solve it yourself",
    "simplify": "type the expression itself",
    "expand": "type the expression itself",
    "factor": "type the expression itself",
    "evalf": "type the expression itself",
    "factorial": "factorials are not part of the answer language",
}

# Vulgar fractions are numbers: ½x is x/2.
VULGAR_FRACTIONS = {"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5),
                    "⅖": (2, 5), "⅗": (3, 5), "⅘": (4, 5), "⅙": (1, 6), "⅚": (5, 6), "⅛": (1, 8),
                    "⅜": (3, 8), "⅝": (5, 8), "⅞": (7, 8)}

# Accents typed on a letter (ŷ, or y + a combining circumflex) name a decorated variable: y_hat.
ACCENTS = {"\u0302": "_hat", "\u0304": "_bar", "\u0303": "_tilde", "\u0307": "_dot"}

SUPERSCRIPTS = {
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7",
    "⁸": "8", "⁹": "9", "⁻": "-", "⁺": "+", "ⁿ": "n", "ˣ": "x", "ⁱ": "i", "ᵏ": "k",
}

# Characters that look like nothing or reorder text: never part of an answer.
INVISIBLE = set("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061"
                "\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\u00ad")
