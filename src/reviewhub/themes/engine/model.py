"""The learned theme model: train a versioned state, load it, and suggest themes from it.

Signals per (text, theme), combined per axis by a small logistic stacker:

- ridge one-vs-rest on MiniLM sentence embeddings,
- ridge one-vs-rest on stemmed TF-IDF unigrams and bigrams,
- taxonomy keyword hits (stemmed, shared keywords down-weighted),
- hits of the codebook's phrase lexicon, counted the same way (practice themes only),
- similarity to the nearest coded statement of the theme.

Training rows are the taxonomy's own text (label, definition, keywords), the packaged codebook
(one-theme statements, and example learning points coded on the practice axis) and the
partnership's confirmed codes, which are weighted up as they accumulate. The stacker
and the selection thresholds are fitted on out-of-fold scores so they are calibrated on text
the first-level models did not see.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..codebook import load_codebook, load_codebook_phrases, load_codebook_points
from ..taxonomy import Taxonomy
from ..text import analyzer, stem, words
from .embed import FULL_PRECISION, FUSED_INT8, encode_docs
from .keywords import KeywordIndex
from .results import AXES, AxisSuggestion, Reason, Suggestion, item_text

FORMAT = 1
N_FOLDS = 5
RIDGE_EMB = 1.0
RIDGE_TFIDF = 0.6
MIN_EXAMPLES_TO_TUNE = 30
# a-priori selection rules used until enough confirmed codes exist to tune them
DEFAULT_SELECT = {
    "circumstances": {"first": 0.35, "add": 0.45},
    "practice": {"first": 0.0, "add": 0.35},
}
FEATURES = ("emb", "tfidf", "kw", "knn", "emb_max", "prior", "tfidf_rel", "lex")
# the full stacker: the within-item TF-IDF rank lowered its LOPO mean F1 (0.663 against 0.687)
FULL_FEATURES = ("emb", "tfidf", "kw", "knn", "emb_max", "prior", "lex")
# the signals that need no sentence model: the fast, lexical mode uses only these; the rank
# raised its LOPO mean F1 from 0.634 to 0.656
LEXICAL_FEATURES = ("tfidf", "kw", "prior", "tfidf_rel", "lex")
# batch cascade: the share of held-out confirmed codes on which the lexical stacker is so sure of
# its top theme on both axes that batch scoring skips the sentence model for items like them.
# 0.5, not 0.2: on a 2-core machine without AVX-512 (MiniLM int8 at about 200 sentences/s),
# 0.2 sent 60% of new publishers' points through the sentence model and ran at 125 points/s;
# 0.5 runs at 218-252 (bench/themes_speed.py, "new text"), for LOPO mean F1 0.690 against 0.693
# and practice recall@3 0.71 against 0.73 with the sentence model on every item
# (bench/themes_quality.py; the coding screen always uses the full model)
CASCADE_SKIP = 0.5
# weight of the lexical stacker in the ranking of the themes after the top one (see _ranking)
RANK_BLEND = 0.25
# L2 penalty of the per-theme correction of the stacker (see _theme_bias). LOPO practice
# recall@3 through themes suggest, batches of 16: 0.748 at 10, 0.739 at 3 and at 30; without the
# correction 0.735 (bench/themes_quality.py; mean of its three batchings at 10: 0.746)
THEME_BIAS_RIDGE = 10.0
# weight of the codebook's example learning points (a one-theme statement weighs 1.0)
POINT_WEIGHT = 1.0
POINT_AXES = frozenset({"practice"})  # the axes learned from them (why: see _rows)


# --------------------------------------------------------------------------- training data


@dataclass
class Example:
    """A confirmed coding: the text, the themes confirmed per axis and the themes rejected."""

    text: str
    circumstances: tuple[str, ...] = ()
    practice: tuple[str, ...] = ()
    rejected: tuple[str, ...] = ()
    group: str = ""  # e.g. publisher; used only to keep folds honest
    display: str = ""  # shown as a nearest example instead of the text, when given

    @classmethod
    def coerce(cls, x: Any) -> Example:
        if isinstance(x, Example):
            return x
        if not isinstance(x, dict):
            raise TypeError(f"an example must be a dict or Example, got {type(x).__name__}")
        text = x.get("text") or item_text(x)
        return cls(
            text=text,
            circumstances=tuple(x.get("circumstances") or ()),
            practice=tuple(x.get("practice") or ()),
            rejected=tuple(x.get("rejected") or ()),
            group=str(x.get("group") or x.get("publisher") or ""),
            display=str(x.get("display") or ""),
        )


@dataclass
class _Row:
    text: str
    labels: frozenset[str]
    rejected: frozenset[str]
    known: frozenset[str]  # axes on which the row is coded
    weight: float
    kind: str  # taxonomy | codebook | point | confirmed
    fold: int = -1  # -1: always in training
    display: str = ""


def _rows(taxonomy: Taxonomy, examples: Sequence[Example], use_codebook: bool) -> list[_Row]:
    rows: list[_Row] = []
    cb = load_codebook() if use_codebook else {}
    for t in taxonomy.active():
        known_other = frozenset(AXES) if t.axis == "practice" else frozenset({t.axis})
        lab = frozenset({t.id})
        rows.append(
            _Row(
                f"{t.label}. {t.definition}",
                lab,
                frozenset(),
                known_other,
                1.0,
                "taxonomy",
            )
        )
        if t.keywords:
            rows.append(
                _Row(
                    f"{t.label}: {', '.join(t.keywords)}",
                    lab,
                    frozenset(),
                    known_other,
                    1.0,
                    "taxonomy",
                )
            )
        for s in cb.get(t.id, ()):
            # a practice statement says nothing about harm, so it is a weak 'no circumstance' row
            rows.append(_Row(s, lab, frozenset(), known_other, 1.0, "codebook"))
    active = {t.id for t in taxonomy.active()}
    for p in load_codebook_points() if use_codebook else ():
        # An example learning point teaches the practice axis only, where it is fully coded (its
        # themes positive, the others negative). Its circumstance codes are not learned from:
        # with them, leave-one-publisher-out circumstances F1 fell from 0.741 to 0.710, as the
        # taxonomy rows, one-theme statements and confirmed codes already cover that axis.
        labs = frozenset(set(p.practice) & active)
        if labs:
            rows.append(_Row(p.text, labs, frozenset(), POINT_AXES, POINT_WEIGHT, "point"))
    n_ex = len(examples)
    # confirmed codes outweigh the codebook more as they accumulate
    w_ex = 1.5 + min(2.5, n_ex / 100.0)
    for e in examples:
        labs = frozenset((set(e.circumstances) | set(e.practice)) & active)
        rows.append(
            _Row(
                e.text,
                labs,
                frozenset(set(e.rejected) & active),
                frozenset(AXES),
                w_ex,
                "confirmed",
                display=e.display,
            )
        )
    # deterministic folds: codebook rows by position, confirmed rows by group when given
    groups = sorted({e.group for e in examples if e.group})
    gfold = {g: i % N_FOLDS for i, g in enumerate(groups)}
    k = 0
    ex_i = 0
    for r in rows:
        if r.kind in ("codebook", "point"):
            r.fold = k % N_FOLDS
            k += 1
        elif r.kind == "confirmed":
            g = examples[ex_i].group
            r.fold = gfold[g] if g else (k % N_FOLDS)
            k += 0 if g else 1
            ex_i += 1
    return rows


# --------------------------------------------------------------------------- numeric helpers


def _ridge(X, Y: np.ndarray, w: np.ndarray, lam: float) -> np.ndarray:
    """Solve weighted ridge for all columns of Y at once in the dual (rows << features)."""
    from scipy import sparse  # training only: importing scipy is a fifth of the engine's load

    sw = np.sqrt(w)[:, None]
    if isinstance(X, Rows):
        X = X.to_scipy()
    if sparse.issparse(X):
        Xs = sparse.csr_matrix(X.multiply(sw))
        K = (Xs @ Xs.T).toarray()
    else:
        Xs = X * sw
        K = Xs @ Xs.T
    K = K + 1.0 + lam * np.eye(K.shape[0])  # the +1 is an unpenalised-ish bias in kernel form
    A = np.linalg.solve(K, Y * sw)
    W = Xs.T @ A
    b = A.sum(0)
    return np.vstack([np.asarray(W), b[None, :]])


def _apply(X, W: np.ndarray) -> np.ndarray:
    out = X @ W[:-1] + W[-1]
    return np.asarray(out)


def _enc(a: np.ndarray, dtype=np.float32) -> dict[str, Any]:
    a = np.ascontiguousarray(a, dtype=dtype)
    return {
        "dtype": a.dtype.str,
        "shape": list(a.shape),
        "b64": base64.b64encode(a.tobytes()).decode(),
    }


def _dec(d: dict[str, Any]) -> np.ndarray:
    return np.frombuffer(base64.b64decode(d["b64"]), dtype=np.dtype(d["dtype"])).reshape(d["shape"])


def _prf(pred: list[set[str]], gold: list[set[str]]) -> dict[str, float]:
    tp = sum(len(p & g) for p, g in zip(pred, gold, strict=False))
    np_ = sum(len(p) for p in pred)
    ng = sum(len(g) for g in gold)
    p = tp / np_ if np_ else 0.0
    r = tp / ng if ng else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


# --------------------------------------------------------------------------- the model state


@dataclass
class ModelState:
    """Everything needed to suggest themes; JSON-serialisable through :meth:`to_dict`."""

    version: str
    taxonomy_fingerprint: str
    themes: list[str]
    axes: dict[str, str]
    vocab: dict[str, int]
    idf: np.ndarray
    w_emb: dict[str, np.ndarray]  # per axis (385, k)
    w_tfidf: dict[str, np.ndarray]
    stack: dict[str, dict[str, Any]]  # per axis: mean, scale, coef, intercept
    select: dict[str, dict[str, float]]
    ref_vecs: np.ndarray  # embeddings of coded statements (nearest-example reasons, knn signal)
    ref_labels: list[list[str]]
    ref_texts: list[str]
    ref_kind: list[str]
    figures: dict[str, Any] = field(default_factory=dict)
    prior: dict[str, list[float]] = field(default_factory=dict)
    stack_lex: dict[str, dict[str, Any]] = field(default_factory=dict)
    select_lex: dict[str, dict[str, float]] = field(default_factory=dict)
    encoder: str = FULL_PRECISION  # the sentence model the embedding weights were fitted on
    # {"min_top1": p}: in batch scoring, an item whose lexical top theme has at least
    # probability p on both axes is scored lexically (empty: always use the sentence model)
    cascade: dict[str, float] = field(default_factory=dict)
    # the codebook's phrase lexicon the state was fitted with ({theme id: phrases}); it travels
    # with the weights so a later codebook cannot change what a fixed model version suggests
    lexicon: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": self.version,
            "taxonomy_fingerprint": self.taxonomy_fingerprint,
            "themes": self.themes,
            "axes": self.axes,
            "vocab": self.vocab,
            "idf": _enc(self.idf),
            "w_emb": {a: _enc(w) for a, w in self.w_emb.items()},
            "w_tfidf": {a: _enc(w) for a, w in self.w_tfidf.items()},
            "stack": self.stack,
            "select": self.select,
            "ref_vecs": _enc(self.ref_vecs, np.float16),
            "ref_labels": self.ref_labels,
            "ref_texts": self.ref_texts,
            "ref_kind": self.ref_kind,
            "figures": self.figures,
            "prior": self.prior,
            "stack_lex": self.stack_lex,
            "select_lex": self.select_lex,
            "encoder": self.encoder,
            "cascade": self.cascade,
            # left out when empty, so states fitted before the lexicon keep their content hash
            **({"lexicon": self.lexicon} if self.lexicon else {}),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ModelState:
        if d.get("format") != FORMAT:
            raise ValueError(f"unsupported model state format {d.get('format')!r}")
        return cls(
            version=d["version"],
            taxonomy_fingerprint=d["taxonomy_fingerprint"],
            themes=list(d["themes"]),
            axes=dict(d["axes"]),
            vocab={k: int(v) for k, v in d["vocab"].items()},
            idf=_dec(d["idf"]),
            w_emb={a: _dec(w) for a, w in d["w_emb"].items()},
            w_tfidf={a: _dec(w) for a, w in d["w_tfidf"].items()},
            stack=d["stack"],
            select=d["select"],
            ref_vecs=_dec(d["ref_vecs"]).astype(np.float32),
            ref_labels=[list(x) for x in d["ref_labels"]],
            ref_texts=list(d["ref_texts"]),
            ref_kind=list(d["ref_kind"]),
            figures=dict(d.get("figures") or {}),
            prior={a: list(v) for a, v in (d.get("prior") or {}).items()},
            stack_lex=d.get("stack_lex") or {},
            select_lex=d.get("select_lex") or {},
            encoder=str(d.get("encoder") or FULL_PRECISION),
            cascade={k: float(v) for k, v in (d.get("cascade") or {}).items()},
            lexicon={k: list(v) for k, v in (d.get("lexicon") or {}).items()},
        )

    def to_bytes(self) -> bytes:
        return gzip.compress(json.dumps(self.to_dict(), sort_keys=True).encode(), mtime=0)

    def content_hash(self) -> str:
        """A short hash of everything in the state but its version label.

        ``version`` names what a model was trained on (the same inputs give the same version);
        this names what it is: two states whose weights differ never share it, even when a change
        to the training code left the inputs the same.
        """
        body = json.dumps({**self.to_dict(), "version": ""}, sort_keys=True).encode()
        return hashlib.sha256(body).hexdigest()[:8]

    @classmethod
    def from_bytes(cls, b: bytes) -> ModelState:
        return cls.from_dict(json.loads(gzip.decompress(b)))

    @classmethod
    def coerce(cls, x: Any) -> ModelState:
        if isinstance(x, ModelState):
            return x
        if isinstance(x, (bytes, bytearray, memoryview)):
            return cls.from_bytes(bytes(x))
        if isinstance(x, dict):
            return cls.from_dict(x)
        raise TypeError(f"cannot read a model state from {type(x).__name__}")


# --------------------------------------------------------------------------- scoring


class Tfidf:
    """Sublinear TF-IDF with L2 norm over the engine's stemmed n-grams.

    It reproduces scikit-learn's transform so loading the engine does not import scikit-learn.
    """

    def __init__(self, vocab: dict[str, int], idf: np.ndarray) -> None:
        self.vocab = vocab
        self.idf = np.asarray(idf, dtype=np.float32)

    def transform(self, texts: list[str]) -> Rows:
        indptr, indices, data = [0], [], []
        for t in texts:
            counts: dict[int, int] = {}
            for term in analyzer(t):
                j = self.vocab.get(term)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            cols = sorted(counts)
            vals = np.array([(1.0 + math.log(counts[j])) * self.idf[j] for j in cols])
            norm = float(np.sqrt((vals**2).sum())) if len(vals) else 0.0
            indices.extend(cols)
            data.extend((vals / norm).tolist() if norm else vals.tolist())
            indptr.append(len(indices))
        return Rows(
            np.array(data, dtype=np.float64),
            np.array(indices, dtype=np.int64),
            np.array(indptr, dtype=np.int64),
            (len(texts), len(self.idf)),
        )


class Rows:
    """Sparse rows (compressed sparse row layout): the little of ``scipy.sparse`` that scoring
    needs, so loading the engine does not import scipy (a fifth of its load time)."""

    __slots__ = ("data", "indices", "indptr", "shape")

    def __init__(self, data, indices, indptr, shape: tuple[int, int]) -> None:
        self.data, self.indices, self.indptr, self.shape = data, indices, indptr, shape

    def __matmul__(self, W: np.ndarray) -> np.ndarray:
        W = np.asarray(W)
        out = np.zeros((self.shape[0], W.shape[1]), dtype=np.result_type(self.data, W))
        rows = np.flatnonzero(np.diff(self.indptr))  # rows with at least one term
        if len(rows):
            terms = self.data[:, None] * W[self.indices]
            out[rows] = np.add.reduceat(terms, self.indptr[rows], axis=0)
        return out

    def __getitem__(self, rows) -> Rows:
        rows = np.atleast_1d(np.asarray(rows, dtype=np.int64))
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        take = np.concatenate([np.arange(a, b) for a, b in zip(starts, ends, strict=True)] or [[]])
        take = take.astype(np.int64)
        indptr = np.concatenate([[0], np.cumsum(ends - starts)]).astype(np.int64)
        return Rows(self.data[take], self.indices[take], indptr, (len(rows), self.shape[1]))

    def to_scipy(self):
        from scipy import sparse

        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)


class _Scorer:
    """Compute the four signals for a batch of texts from a state."""

    def __init__(self, state: ModelState, taxonomy: Taxonomy, encoder) -> None:
        self.state = state
        self.encoder = encoder
        self.kw = KeywordIndex(taxonomy)
        self.lex = KeywordIndex(taxonomy, phrases=state.lexicon)
        self.vec = Tfidf(state.vocab, state.idf)
        self.axis_ids = {a: [t for t in state.themes if state.axes[t] == a] for a in AXES}
        self.ref_label_sets = [set(x) for x in state.ref_labels]

    def _ref_cols(self, ids: list[str]) -> list[np.ndarray]:
        """Per theme, the reference statements coded with it (cached per theme list)."""
        key = tuple(ids)
        cache = self.__dict__.setdefault("_cols", {})
        if key not in cache:
            cache[key] = [
                np.array([r for r, labs in enumerate(self.ref_label_sets) if t in labs], dtype=int)
                for t in ids
            ]
        return cache[key]

    def lexical(self, texts: list[str]) -> tuple[Rows, list]:
        """Return the texts' TF-IDF matrix and, per text, (keyword scores, keywords matched,
        lexicon scores, lexicon phrases matched) (no sentence model)."""
        return self.vec.transform(texts), [self.kw.scores(t) + self.lex.scores(t) for t in texts]

    def features(self, texts: list[str], emb=None, exclude_ref=None, lex=None):
        """Return ({axis: (n, k, len(FEATURES)) features}, emb, tfidf matrix, keyword matches).

        ``emb`` is (document vectors, per-text sentence vectors), a future of them, or None to
        embed here; the lexical signals are computed while a future's sentence model runs.
        ``lex`` is the texts' :meth:`lexical` signals when already computed.
        """
        if emb is None:
            emb = encode_docs(self.encoder, texts)
        X, kws = lex if lex is not None else self.lexical(texts)
        if hasattr(emb, "result"):
            emb = emb.result()
        emb, sents = emb
        sims = emb @ self.state.ref_vecs.T  # (n, m)
        if exclude_ref is not None:
            sims = sims.copy()
            for i, js in enumerate(exclude_ref):
                sims[i, js] = -1.0
        # every sentence of every text in one matrix, and where each text's sentences start
        flat = np.concatenate(sents, 0) if sents else np.zeros((0, emb.shape[1]), np.float32)
        starts = np.cumsum([0] + [len(v) for v in sents[:-1]]) if sents else np.zeros(0, int)
        out = {}
        for a in AXES:
            ids = self.axis_ids[a]
            f_emb = _apply(emb, self.state.w_emb[a])
            f_tf = _apply(X, self.state.w_tfidf[a])
            f_kw = np.array([[kw[0].get(t, 0.0) for t in ids] for kw in kws], dtype=np.float32)
            f_lex = np.array([[kw[2].get(t, 0.0) for t in ids] for kw in kws], dtype=np.float32)
            f_knn = np.full((len(texts), len(ids)), 0.0, dtype=np.float32)
            for j, cols in enumerate(self._ref_cols(ids)):
                if len(cols):
                    s = np.sort(sims[:, cols], axis=1)[:, -2:]
                    f_knn[:, j] = s.mean(1)
            W = self.state.w_emb[a]
            # the best-scoring sentence of each text, per theme
            f_max = np.maximum.reduceat(_apply(flat, W), starts, axis=0) if sents else f_emb
            f_prior = np.tile(np.asarray(self.state.prior[a], dtype=np.float32), (len(texts), 1))
            out[a] = np.stack(
                [f_emb, f_tf, f_kw, f_knn, f_max, f_prior, _rel(f_tf), f_lex],
                axis=-1,
            )
        return out, emb, X, kws


def _merge_matches(*found: dict[str, list[str]]) -> dict[str, list[str]]:
    """Join {theme: phrases found} maps (taxonomy keywords first), each phrase once."""
    out: dict[str, list[str]] = {}
    for m in found:
        for t, ps in m.items():
            have = out.setdefault(t, [])
            have.extend(p for p in ps if p not in have)
    return out


def _rel(f: np.ndarray) -> np.ndarray:
    """Standardise a signal across the themes of each item.

    A ridge score's level varies from text to text (length, vocabulary) while the suggestion
    needs the ranking within an item; without the sentence model this helps the stacker.
    """
    f = np.asarray(f, dtype=np.float64)
    mu = f.mean(axis=1, keepdims=True)
    sd = f.std(axis=1, keepdims=True)
    return ((f - mu) / np.maximum(sd, 1e-6)).astype(np.float32)


def _stack_predict(params: dict[str, Any], F: np.ndarray, themes=None) -> np.ndarray:
    """Probability per (item, theme) from the signals ``F`` (items, themes, features)."""
    return 1.0 / (1.0 + np.exp(-_stack_logit(params, F, themes)))


def _stack_logit(params: dict[str, Any], F: np.ndarray, themes=None) -> np.ndarray:
    """The stacker's logit per (item, theme), with the per-theme correction when fitted.

    ``themes``: the positions, among the axis's themes in the state, of the themes in ``F``
    when it holds only some of them (a theme retired since the state was fitted).
    """
    F = F[..., params.get("cols", list(range(F.shape[-1])))]
    z = (F - np.array(params["mean"])) / np.array(params["scale"])
    logit = z @ np.array(params["coef"]) + params["intercept"]
    if "bias" in params:  # per theme (see _theme_bias); states fitted before it have none
        bias = np.array(params["bias"])
        logit = logit + (bias if themes is None else bias[themes])
    return logit


def _ranking(probs: np.ndarray, rank: np.ndarray, ids: list[str]) -> list[tuple[str, float]]:
    """Rank an axis's themes: the model's top theme first, then by ``rank``.

    ``rank`` is the full model's probability blended with the lexical stacker's: as an ensemble
    it orders the runners-up better (LOPO recall@3 on circumstances about 0.82 -> 0.87) but
    the full model alone is better at the top theme. Scores stay in ranking order: a runner-up
    never shows more than the top theme's probability (less 0.0001, the contract's last digit).
    """
    vals = [round(float(p), 6) for p in probs]
    top = min(range(len(ids)), key=lambda j: (-vals[j], j)) if ids else 0
    if rank is probs:
        order = sorted(range(len(ids)), key=lambda j: (-vals[j], j))
        return [(ids[j], vals[j]) for j in order]
    cap = max(0.0, vals[top] - 1e-4) if ids else 0.0
    rest = {j: round(float(rank[j]), 6) for j in range(len(ids)) if j != top}
    order = sorted(rest, key=lambda j: (-rest[j], j))
    return [(ids[top], vals[top])] + [(ids[j], min(rest[j], cap)) for j in order] if ids else []


def _select(
    probs: np.ndarray,
    ids: list[str],
    rule: dict[str, float],
    axis: str,
    residual: dict[str, set[str]],
) -> list[str]:
    order = sorted(range(len(ids)), key=lambda j: (-round(float(probs[j]), 6), j))
    chosen: list[str] = []
    for rank, j in enumerate(order[:3]):
        p = float(probs[j])
        if rank == 0:
            if axis == "practice" or p >= rule["first"]:
                chosen.append(ids[j])
            else:
                break
        elif p >= rule["add"]:
            chosen.append(ids[j])
        else:
            break
    # prefer a specific theme over a residual one when both are chosen
    for res, specifics in residual.items():
        if res in chosen and len(chosen) > 1 and specifics & set(chosen):
            chosen.remove(res)
    return chosen


def residual_themes(taxonomy: Taxonomy) -> dict[str, set[str]]:
    """Find residual themes (by their definition or overlap rules) and their specific partners."""
    out: dict[str, set[str]] = {}
    for t in taxonomy.active():
        text = (t.definition + " " + " ".join(o.rule for o in t.overlaps)).lower()
        if "residual" in text or "no more specific theme" in text:
            partners = {o.theme for o in t.overlaps}
            prefix = t.id.split("-")[0] + "-"
            partners |= {u.id for u in taxonomy.active(t.axis) if u.id.startswith(prefix)}
            partners.discard(t.id)
            out[t.id] = partners
    return out


# --------------------------------------------------------------------------- training


def _fit_first_level(rows, idx, emb, X, axis_ids, axes_known):
    """Fit the two ridge models per axis on the rows in ``idx``."""
    w_emb, w_tf = {}, {}
    for a in AXES:
        ids = axis_ids[a]
        sel = [i for i in idx if a in rows[i].known]
        Y = np.zeros((len(sel), len(ids)))
        for r, i in enumerate(sel):
            for j, t in enumerate(ids):
                if t in rows[i].labels:
                    Y[r, j] = 1.0
                elif t in rows[i].rejected:
                    Y[r, j] = -0.5  # an explicit rejection is stronger evidence than silence
        w = np.array([rows[i].weight * (0.5 if a not in axes_known(rows[i]) else 1.0) for i in sel])
        w_emb[a] = _ridge(emb[sel], Y, w, RIDGE_EMB)
        w_tf[a] = _ridge(X[sel], Y, w, RIDGE_TFIDF)
    return w_emb, w_tf


def _theme_bias(logit: np.ndarray, y: np.ndarray, lam: float = THEME_BIAS_RIDGE) -> np.ndarray:
    """Fit one additive logit per theme on the confirmed codes, with an L2 penalty.

    The stacker weighs the signals the same for every theme, so a theme whose signals run high
    on this partnership's text (leadership and governance words are in most reviews) is ranked
    too often and one they undersell too rarely. ``logit`` and ``y`` are (items, themes): the
    stacker's logits on the out-of-fold first-level signals of the confirmed points (the
    stacker's few shared weights were fitted on those rows too) and the confirmed codes. Newton
    steps on each theme's penalised log-loss; the penalty keeps a theme with few codes near no
    correction.
    """
    bias = np.zeros(logit.shape[1])
    for _ in range(25):
        p = 1.0 / (1.0 + np.exp(-(logit + bias)))
        step = ((p - y).sum(0) + lam * bias) / ((p * (1 - p)).sum(0) + lam)
        bias -= step
        if np.abs(step).max() < 1e-6:
            break
    return bias


def _prior(rows, idx, axis_ids) -> dict[str, list[float]]:
    """Log frequency of each theme among the confirmed codes (flat when there are none)."""
    conf = [rows[i] for i in idx if rows[i].kind == "confirmed"]
    out = {}
    for a, ids in axis_ids.items():
        counts = np.array([sum(t in r.labels for r in conf) for t in ids], dtype=np.float64)
        out[a] = np.log((counts + 1.0) / (len(conf) + len(ids))).round(6).tolist()
    return out


def train(
    taxonomy: Taxonomy,
    examples: Iterable[Any] = (),
    *,
    use_codebook: bool = True,
    encoder=None,
    version: str | None = None,
) -> ModelState:
    """Train a model state from the taxonomy, the codebook and confirmed examples.

    The same inputs give the same state (and version string), so suggestions are reproducible.
    """
    from .embed import shared_encoder

    encoder = encoder or shared_encoder(FUSED_INT8)
    exs = [Example.coerce(e) for e in examples]
    exs = [e for e in exs if e.text]
    rows = _rows(taxonomy, exs, use_codebook)
    themes = [t.id for t in taxonomy.active()]
    axes = {t.id: t.axis for t in taxonomy.active()}
    axis_ids = {a: [t for t in themes if axes[t] == a] for a in AXES}
    texts = [r.text for r in rows]
    emb, sents = encode_docs(encoder, texts)
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    fitted = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=1).fit(texts)
    vocab = {k: int(v) for k, v in fitted.vocabulary_.items()}
    vec = Tfidf(vocab, fitted.idf_.astype(np.float32))
    X = vec.transform(texts)

    def primary_axes(r: _Row) -> set[str]:
        # codebook/taxonomy practice rows are coded 'no circumstance' only weakly
        if r.kind in ("confirmed", "point"):
            return set(r.known)
        return {axes[next(iter(r.labels))]} if r.labels else set()

    # out-of-fold signals for the stacker and the thresholds
    ref_rows = [i for i, r in enumerate(rows) if r.kind != "taxonomy"]
    oof: dict[str, list[np.ndarray]] = {a: [] for a in AXES}
    oof_rows: list[int] = []
    kwi = KeywordIndex(taxonomy)
    phrases = load_codebook_phrases() if use_codebook else {}
    lexicon = {t: list(p) for t, p in sorted(phrases.items()) if t in axes}
    lexi = KeywordIndex(taxonomy, phrases=lexicon)
    for f in range(N_FOLDS):
        test = [i for i, r in enumerate(rows) if r.fold == f]
        if not test:
            continue
        tr = [i for i, r in enumerate(rows) if r.fold != f]
        we, wt = _fit_first_level(rows, tr, emb, X, axis_ids, primary_axes)
        refs = [i for i in ref_rows if rows[i].fold != f]
        st = ModelState(
            "oof", "", themes, axes, vocab, vec.idf, we, wt, {}, {},
            emb[refs], [sorted(rows[i].labels) for i in refs], [], [],
        )  # fmt: skip
        sc = _Scorer.__new__(_Scorer)
        sc.state, sc.encoder, sc.kw, sc.lex, sc.vec = st, encoder, kwi, lexi, vec
        sc.axis_ids, sc.ref_label_sets = axis_ids, [rows[i].labels for i in refs]
        sc.state.prior = _prior(rows, tr, axis_ids)
        F, *_ = sc.features([texts[i] for i in test], emb=(emb[test], [sents[i] for i in test]))
        for a in AXES:
            oof[a].append(F[a])
        oof_rows.extend(test)
    residual = residual_themes(taxonomy)
    conf = [r for r, i in enumerate(oof_rows) if rows[i].kind == "confirmed"]
    figures: dict[str, Any] = {
        "n_confirmed": len(exs),
        "n_codebook_rows": sum(r.kind == "codebook" for r in rows),
        "n_codebook_points": sum(r.kind == "point" for r in rows),
        "n_taxonomy_rows": sum(r.kind == "taxonomy" for r in rows),
    }

    def fit_stack(cols: list[int], figs: dict[str, Any]):
        stack: dict[str, dict[str, Any]] = {}
        select = json.loads(json.dumps(DEFAULT_SELECT))
        for a in AXES:
            F = np.concatenate(oof[a], 0)  # (rows, themes, features)
            ids = axis_ids[a]
            keep = [r for r, i in enumerate(oof_rows) if a in rows[i].known]
            Fk = F[keep][..., cols].reshape(-1, len(cols))
            y = np.array([[t in rows[oof_rows[r]].labels for t in ids] for r in keep]).reshape(-1)
            sw = np.repeat([rows[oof_rows[r]].weight for r in keep], len(ids))
            mean, scale = Fk.mean(0), Fk.std(0)
            scale = np.where(scale > 1e-6, scale, 1.0)  # a constant feature (no prior yet) stays 0
            lr = LogisticRegression(C=1.0, max_iter=1000)
            lr.fit((Fk - mean) / scale, y, sample_weight=sw)
            stack[a] = {
                "cols": cols,
                "mean": mean.tolist(),
                "scale": scale.tolist(),
                "coef": lr.coef_[0].tolist(),
                "intercept": float(lr.intercept_[0]),
            }
            # gold: the confirmed codes of this axis, for the held-out confirmed rows
            gold = [set(rows[oof_rows[r]].labels) & set(ids) for r in conf]
            if len(conf) >= MIN_EXAMPLES_TO_TUNE:
                y_conf = np.array([[t in g for t in ids] for g in gold], dtype=np.float64)
                logit = _stack_logit(stack[a], F[conf])  # no correction fitted yet
                stack[a]["bias"] = _theme_bias(logit, y_conf).round(6).tolist()
            probs = _stack_predict(stack[a], F)
            # thresholds: tuned on out-of-fold confirmed codes when there are enough of them
            if len(conf) >= MIN_EXAMPLES_TO_TUNE:
                best = None
                grid_first = [0.0] if a == "practice" else [0.15, 0.25, 0.35, 0.45, 0.55]
                for first in grid_first:
                    for add in (0.15, 0.2, 0.25, 0.3, 0.35, 0.45, 0.55, 0.7):
                        rule = {"first": first, "add": add}
                        pred = [set(_select(probs[r], ids, rule, a, residual)) for r in conf]
                        f1 = _prf(pred, gold)["f1"]
                        key = (f1, -abs(add - DEFAULT_SELECT[a]["add"]), -first)
                        if best is None or key > best[0]:
                            best = (key, rule)
                select[a] = best[1]
            if conf:
                pred = [set(_select(probs[r], ids, select[a], a, residual)) for r in conf]
                figs.setdefault("oof_confirmed", {})[a] = _prf(pred, gold)
            cb = [
                r
                for r, i in enumerate(oof_rows)
                if rows[i].kind == "codebook" and axes[next(iter(rows[i].labels))] == a
            ]
            top1 = [ids[int(np.argmax(probs[r]))] in rows[oof_rows[r]].labels for r in cb]
            figs.setdefault("oof_codebook_top1", {})[a] = (
                round(float(np.mean(top1)), 4) if cb else None
            )
            figs.setdefault("stack_coef", {})[a] = {
                FEATURES[c]: round(w, 4) for c, w in zip(cols, stack[a]["coef"], strict=False)
            }
        figs["select"] = select
        return stack, select

    stack, select = fit_stack([FEATURES.index(f) for f in FULL_FEATURES], figures)
    figures["lexical"] = {}
    stack_lex, select_lex = fit_stack(
        [FEATURES.index(f) for f in LEXICAL_FEATURES], figures["lexical"]
    )
    cascade: dict[str, float] = {}
    if len(conf) >= MIN_EXAMPLES_TO_TUNE:
        # the lexical stacker's confidence on held-out confirmed codes: its top theme's
        # probability, the lower of the two axes (axes without themes do not count)
        sure = np.min(
            [
                _stack_predict(stack_lex[a], np.concatenate(oof[a], 0)[conf]).max(1)
                for a in AXES
                if axis_ids[a]
            ],
            axis=0,
        )
        qs = {f"{q:.1f}": round(float(np.quantile(sure, 1 - q)), 6) for q in (0.2, 0.3, 0.4, 0.5)}
        cascade = {"min_top1": qs[f"{CASCADE_SKIP:.1f}"]}
        figures["cascade"] = {"skip": CASCADE_SKIP, "min_top1_by_skip": qs}
    # final first-level models on everything
    all_idx = list(range(len(rows)))
    w_emb, w_tf = _fit_first_level(rows, all_idx, emb, X, axis_ids, primary_axes)
    digest = hashlib.sha256()
    digest.update(taxonomy.fingerprint().encode())
    if (
        getattr(encoder, "id", FULL_PRECISION) != FULL_PRECISION
    ):  # states fitted on other vectors must not share a version
        digest.update(encoder.id.encode())
    for r in rows:
        digest.update(json.dumps([r.text, sorted(r.labels), sorted(r.rejected), r.kind]).encode())
    if lexicon:  # states fitted with another lexicon must not share a version
        digest.update(json.dumps(lexicon, sort_keys=True).encode())
    version = version or f"m{len(exs)}-{digest.hexdigest()[:10]}"
    return ModelState(
        version=version,
        taxonomy_fingerprint=taxonomy.fingerprint(),
        themes=themes,
        axes=axes,
        vocab=vocab,
        idf=vec.idf,
        w_emb=w_emb,
        w_tfidf=w_tf,
        stack=stack,
        select=select,
        ref_vecs=emb[ref_rows],
        ref_labels=[sorted(rows[i].labels) for i in ref_rows],
        ref_texts=[rows[i].display or rows[i].text for i in ref_rows],
        ref_kind=[rows[i].kind for i in ref_rows],
        figures=figures,
        prior=_prior(rows, all_idx, axis_ids),
        stack_lex=stack_lex,
        select_lex=select_lex,
        encoder=getattr(encoder, "id", FULL_PRECISION),
        cascade=cascade,
        lexicon=lexicon,
    )


# --------------------------------------------------------------------------- the engine


class Engine:
    """Suggest themes for learning text from a trained state (see :func:`train`)."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        state: ModelState,
        encoder,
        lexical: bool = False,
        cascade: bool = True,
    ) -> None:
        if lexical and not state.stack_lex:
            raise ValueError("this model state has no lexical (fast) mode; retrain it")
        self.lexical = lexical
        self.cascade = cascade
        if encoder is not None and getattr(encoder, "id", state.encoder) != state.encoder:
            raise ValueError(
                f"model state was fitted on sentence model {state.encoder!r}, got {encoder.id!r}"
            )
        missing = [t.id for t in taxonomy.active() if t.id not in state.axes]
        if missing:
            raise ValueError(f"model state does not cover themes {missing}; retrain it")
        self.taxonomy = taxonomy
        self.state = state
        self.version = state.version
        self.scorer = _Scorer(state, taxonomy, encoder)
        self.residual = residual_themes(taxonomy)
        self.active = {t.id for t in taxonomy.active()}

    @classmethod
    def load(
        cls,
        taxonomy: Any = None,
        model_state: Any = None,
        encoder=None,
        lexical: bool = False,
        cascade: bool = True,
    ) -> Engine:
        """Load the engine; with no state, use the packaged default model (or train one).

        ``lexical=True`` skips the sentence model (TF-IDF, keywords and the prior only): many
        times faster in batch, less accurate; the state carries a stacker fitted for it.
        ``cascade=False`` runs the sentence model on every item of a batch, even those the
        lexical signals are sure of (single suggestions with reasons always run it).
        """
        from ..taxonomy import coerce
        from .default import default_state
        from .embed import shared_encoder

        tax = coerce(taxonomy)
        state = ModelState.coerce(model_state) if model_state is not None else default_state(tax)
        if encoder is None and not lexical:
            encoder = shared_encoder(state.encoder)
        return cls(tax, state, encoder, lexical=lexical, cascade=cascade)

    def suggest(self, item: Any) -> Suggestion:
        return self.suggest_many([item])[0]

    def suggest_many(self, items: Iterable[Any], reasons: bool = True) -> list[Suggestion]:
        """Suggest themes for a batch of items.

        With ``reasons=False`` (batch scoring) and a state fitted for it, items on which the
        lexical signals alone are sure of both axes skip the sentence model (see ``cascade``).
        """
        texts = [item_text(i) for i in items]
        if not texts:
            return []
        if self._cascades(reasons):
            return self._finish(texts, *self._plan(texts), None)
        return self._suggest_texts(texts, None, reasons)

    def _cascades(self, reasons: bool) -> bool:
        return (
            self.cascade and not reasons and not self.lexical and "min_top1" in self.state.cascade
        )

    def _plan(self, texts: list[str]) -> tuple[Any, list[Suggestion], list[int]]:
        """The cascade's first step: score lexically; return (lexical signals, lexical
        suggestions, the indices of the texts the lexical signals are not sure of)."""
        lex = self.scorer.lexical(texts)
        quick = self._suggest_texts(texts, None, False, lex=lex, lexical=True)
        floor = self.state.cascade["min_top1"]
        unsure = [
            n
            for n, s in enumerate(quick)
            if any(ax.ranking and ax.ranking[0][1] < floor for ax in (s.circumstances, s.practice))
        ]
        return lex, quick, unsure

    def _finish(self, texts, lex, quick, unsure, emb) -> list[Suggestion]:
        """The cascade's second step: score the unsure texts with the sentence model too.

        ``emb`` embeds exactly those texts (or a future of it; None: embed them here)."""
        if not unsure:
            return quick
        X, kws = lex
        full = self._suggest_texts(
            [texts[n] for n in unsure], emb, False, lex=(X[unsure], [kws[n] for n in unsure])
        )
        out = list(quick)
        for n, s in zip(unsure, full, strict=True):
            out[n] = s
        return out

    def suggest_stream(
        self, items: Sequence[Any], chunk: int = 256, reasons: bool = False
    ) -> Iterator[Suggestion]:
        """Yield suggestions for many items, chunk by chunk, as :meth:`suggest_many` on each chunk.

        One thread runs the sentence model over the chunks in order while the caller's thread
        scores the chunk before: the lexical signals, the stacker and whatever the caller does
        with the results overlap the model instead of leaving a core idle. The chunks are
        embedded strictly one after another, as consecutive ``suggest_many`` calls would be,
        so the results are the same.
        """
        texts = [item_text(i) for i in items]
        parts = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
        if self.lexical or len(parts) < 2:
            for p in parts:
                yield from self.suggest_many(p, reasons)
            return
        from concurrent.futures import ThreadPoolExecutor

        cascade = self._cascades(reasons)
        with ThreadPoolExecutor(1, thread_name_prefix="embed-ahead") as ahead:

            def start(p: list[str]):
                plan = self._plan(p) if cascade else None
                todo = [p[n] for n in plan[2]] if plan else p
                return plan, ahead.submit(encode_docs, self.scorer.encoder, todo) if todo else None

            futures = []
            try:
                nxt = start(parts[0])
                futures.append(nxt[1])
                for k, p in enumerate(parts):
                    plan, fut = nxt
                    if k + 1 < len(parts):  # the next chunk's lexical step runs while this embeds
                        nxt = start(parts[k + 1])
                        futures.append(nxt[1])
                    if plan is not None:
                        yield from self._finish(p, *plan, fut)
                    else:
                        yield from self._suggest_texts(p, fut, reasons)
            finally:
                for fut in futures:
                    if fut is not None:
                        fut.cancel()

    def _suggest_texts(
        self, texts: list[str], emb, reasons: bool, lex=None, lexical: bool | None = None
    ) -> list[Suggestion]:
        lexical = self.lexical if lexical is None else lexical
        if lexical:  # no sentence model: those signals are zero and unused by the stacker
            zero = np.zeros((len(texts), self.state.ref_vecs.shape[1]), dtype=np.float32)
            feats, emb, X, kws = self.scorer.features(
                texts, emb=(zero, list(zero[:, None, :])), lex=lex
            )
        else:
            feats, emb, X, kws = self.scorer.features(texts, emb=emb, lex=lex)
        stack = self.state.stack_lex if lexical else self.state.stack
        select = self.state.select_lex if lexical else self.state.select
        per_axis_all: dict[str, list[AxisSuggestion]] = {}
        for a in AXES:
            all_ids = self.scorer.axis_ids[a]
            cols = [j for j, t in enumerate(all_ids) if t in self.active]
            ids = [all_ids[j] for j in cols]
            probs = _stack_predict(stack[a], feats[a][:, cols], cols)  # (n, k) for the batch
            rank = probs
            if not lexical and self.state.stack_lex:
                rank = (1 - RANK_BLEND) * probs + RANK_BLEND * _stack_predict(
                    self.state.stack_lex[a], feats[a][:, cols], cols
                )
            rows = []
            for n in range(len(texts)):
                chosen = _select(probs[n], ids, select[a], a, self.residual)
                rows.append(AxisSuggestion(chosen, _ranking(probs[n], rank[n], ids)))
            per_axis_all[a] = rows
        results = []
        for n in range(len(texts)):
            per_axis = {a: per_axis_all[a][n] for a in AXES}
            why = {}
            if reasons:
                focus = set()
                for a in AXES:
                    focus |= set(per_axis[a].selected) | {t for t, _ in per_axis[a].ranking[:3]}
                found = _merge_matches(kws[n][1], kws[n][3])
                why = {t: self._reason(t, texts[n], emb[n], X[n], found) for t in sorted(focus)}
            results.append(
                Suggestion(per_axis["circumstances"], per_axis["practice"], why, self.version)
            )
        return results

    def _reason(self, theme: str, text: str, e: np.ndarray, x, matched: dict) -> Reason:
        st = self.state
        ax = st.axes[theme]
        j = self.scorer.axis_ids[ax].index(theme)
        # words: the text's TF-IDF terms that pushed this theme's score up most
        x = x if isinstance(x, Rows) else self.scorer.vec.transform([text])
        inv = getattr(self.scorer, "_inv_vocab", None)
        if inv is None:
            inv = {v: k for k, v in st.vocab.items()}
            self.scorer._inv_vocab = inv
        contrib = sorted(
            (
                (float(v * st.w_tfidf[ax][c, j]), inv[c])
                for c, v in zip(x.indices, x.data, strict=False)
            ),
            reverse=True,
        )
        by_stem: dict[str, str] = {}
        for w in words(text):
            by_stem.setdefault(stem(w), w)
        top_words = []
        for val, term in contrib[:8]:
            if val <= 0:
                break
            top_words.append(" ".join(by_stem.get(s, s) for s in term.split("_")))
        # nearest coded statements of this theme, confirmed ones first on ties
        cols = [r for r, labs in enumerate(st.ref_labels) if theme in labs]
        nearest = []
        if cols and not self.lexical:
            sims = st.ref_vecs[cols] @ e
            for k in np.argsort(-sims, kind="stable")[:3]:
                r = cols[int(k)]
                nearest.append(
                    {
                        "text": st.ref_texts[r][:240],
                        "similarity": round(float(sims[k]), 3),
                        "source": st.ref_kind[r],
                    }
                )
        return Reason(
            theme,
            keywords=list(matched.get(theme, [])),
            words=top_words[:5],
            nearest=nearest,
        )
