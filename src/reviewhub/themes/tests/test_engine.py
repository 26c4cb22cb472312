from reviewhub.themes.engine import Engine, KeywordRanker, ModelState, train
from reviewhub.themes.taxonomy import from_dicts

SELF_NEGLECT = {
    "heading": "Hoarding and refusal of care",
    "learned": "Mr B lived in squalor, hoarded belongings that were a fire risk and refused care.",
    "action": "Assess mental capacity, including executive functioning, when someone declines help.",
}


def test_suggestion_ranks_every_theme_and_respects_axis_limits(engine, taxonomy):
    s = engine.suggest(SELF_NEGLECT)
    for axis, lo in (("circumstances", 0), ("practice", 1)):
        ax = s.axis(axis)
        ids = [t for t, _ in ax.ranking]
        assert sorted(ids) == sorted(t.id for t in taxonomy.active(axis))
        scores = [v for _, v in ax.ranking]
        assert scores == sorted(scores, reverse=True)
        assert lo <= len(ax.selected) <= 3
        assert set(ax.selected) <= set(ids)


def test_obvious_self_neglect_point_gets_self_neglect_and_capacity(engine):
    s = engine.suggest(SELF_NEGLECT)
    assert s.circumstances.primary == "self-neglect"
    assert "legal-literacy-and-mental-capacity" in [t for t, _ in s.practice.ranking[:3]]


def test_reason_names_matched_keywords_and_nearest_examples(engine):
    s = engine.suggest(SELF_NEGLECT)
    r = s.reasons["self-neglect"]
    assert "hoarding" in r.keywords
    assert r.nearest and all({"text", "similarity", "source"} <= set(n) for n in r.nearest)


def test_plain_string_and_batch_give_the_same_result_as_single(engine):
    text = "The baby slept on the sofa with a parent who had been drinking."
    one = engine.suggest(text)
    many = engine.suggest_many([text, {"learned": text}, "Another, much longer text " * 9])
    for s in many[:2]:
        assert s.circumstances.selected == one.circumstances.selected
        assert s.practice.selected == one.practice.selected
        # batches are padded, which may move a score in the last float digits only
        for (t1, v1), (t2, v2) in zip(
            s.practice.ranking[:5], one.practice.ranking[:5], strict=False
        ):
            assert t1 == t2 and abs(v1 - v2) < 1e-3


def test_keyword_ranker_has_the_same_interface(taxonomy):
    kr = KeywordRanker.load()
    s = kr.suggest(SELF_NEGLECT)
    assert s.circumstances.selected[0] == "self-neglect"
    assert len(s.circumstances.ranking) + len(s.practice.ranking) == len(taxonomy.active())
    assert len(kr.suggest_many([SELF_NEGLECT, "text"])) == 2


def _tiny_taxonomy():
    return from_dicts(
        [
            {"id": "fire", "axis": "circumstances", "label": "Fire", "definition": "Fires."},
            {"id": "flood", "axis": "circumstances", "label": "Flood", "definition": "Floods."},
            {"id": "talk", "axis": "practice", "label": "Talking", "definition": "Talking."},
            {"id": "write", "axis": "practice", "label": "Writing", "definition": "Writing."},
        ]
    )


def test_training_learns_from_confirmed_codes_and_state_round_trips():
    tax = _tiny_taxonomy()
    examples = [
        {"text": f"The kitchen smoke alarm {w} and the house burned", "circumstances": ["fire"],
         "practice": ["write"], "rejected": ["flood"]}
        for w in ("failed", "was missing", "was disabled", "had no battery")
    ] + [
        {"text": f"River water {w} the ground floor flat", "circumstances": ["flood"],
         "practice": ["talk"]}
        for w in ("filled", "entered", "ruined", "covered")
    ]  # fmt: skip
    state = train(tax, examples, use_codebook=False)
    assert state.version.startswith("m8-") and state.figures["n_confirmed"] == 8
    again = ModelState.from_bytes(state.to_bytes())
    assert again.version == state.version
    eng = Engine.load(taxonomy=tax, model_state=again)
    s = eng.suggest("The smoke alarm had no battery when the house burned")
    assert s.circumstances.ranking[0][0] == "fire"
    assert s.practice.ranking[0][0] == "write"
    # the same inputs give the same version: versions identify what a model was trained on
    assert train(tax, examples, use_codebook=False).version == state.version


def test_suggestions_are_deterministic_for_a_fixed_state(engine):
    items = [SELF_NEGLECT, {"learned": "Police did not share the domestic abuse incident."}]
    first = [s.to_dict() for s in engine.suggest_many(items)]
    reloaded = Engine.load(model_state=engine.state.to_bytes())
    assert [s.to_dict() for s in reloaded.suggest_many(items)] == first
    assert [s.to_dict() for s in engine.suggest_many(items)] == first


def test_engine_refuses_a_sentence_model_its_state_was_not_fitted_on(engine, taxonomy):
    import pytest

    from reviewhub.themes.engine.embed import FULL_PRECISION, shared_encoder

    assert engine.state.encoder != FULL_PRECISION
    with pytest.raises(ValueError, match="sentence model"):
        Engine(taxonomy, engine.state, shared_encoder(FULL_PRECISION))


def test_state_saved_before_the_int8_model_still_loads_as_full_precision(engine):
    from reviewhub.themes.engine.embed import FULL_PRECISION

    d = engine.state.to_dict()
    del d["encoder"]
    assert ModelState.from_dict(d).encoder == FULL_PRECISION


def test_int8_model_is_built_once_and_reused(tmp_path, monkeypatch, caplog):
    import logging

    from reviewhub.themes.engine import embed

    monkeypatch.setenv("REVIEWHUB_MODEL_CACHE", str(tmp_path))
    root = logging.getLogger()
    handlers, filters = list(root.handlers), list(root.filters)
    first = embed.int8_model()
    stamp = first.stat().st_mtime_ns
    # the build says nothing (onnxruntime's pre-processing advice is dropped) and leaves the
    # root logger as it found it
    assert not [r for r in caplog.records if "pre-processing" in r.getMessage()]
    assert root.handlers == handlers and root.filters == filters
    assert first.parent == tmp_path and first.stat().st_size > 1_000_000
    assert embed.int8_model() == first and first.stat().st_mtime_ns == stamp


def test_model_build_drops_only_the_pre_processing_advice_where_logging_is_not_set_up():
    """In a plain process (bootstrap), the build's other warnings still reach stderr and the
    root logger is left without handlers. The quantiser is replaced by one that logs both
    kinds of line, as onnxruntime's real advice cannot be made to come with another warning."""
    import subprocess
    import sys

    code = (
        "import logging\n"
        "from pathlib import Path\n"
        "import onnxruntime.quantization as q\n"
        "def quantise(src, out, **kw):\n"
        "    logging.warning('Please consider to run pre-processing before quantization.')\n"
        "    logging.warning('Failed to infer data type of tensor x')\n"
        "q.quantize_dynamic = quantise\n"
        "from reviewhub.themes.engine import embed\n"
        "embed._quantise(Path('in.onnx'), Path('out.onnx'))\n"
        "print(len(logging.getLogger().handlers), len(logging.getLogger().filters))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert "Failed to infer data type of tensor x" in done.stderr
    assert "pre-processing" not in done.stderr
    assert done.stdout.split() == ["0", "0"]


def test_streamed_batches_give_what_suggest_many_gives_chunk_by_chunk(engine):
    from reviewhub.themes.engine.embed import shared_encoder

    items = [
        {"id": k, "learned": f"{text} Case {k} was reviewed."}
        for k, text in enumerate(
            [
                "The baby slept on the sofa with a parent who had been drinking.",
                "Police did not share the domestic abuse incident with the school.",
                "Nobody asked the child what life at home was like.",
                "The GP was not told that the mother had stopped her medication.",
                "Managers did not challenge the decision to close the case.",
            ]
            * 3
        )
    ]
    shared_encoder(engine.state.encoder)._cache.clear()
    streamed = [s.to_contract() for s in engine.suggest_stream(items, chunk=4)]
    shared_encoder(engine.state.encoder)._cache.clear()
    chunked = [
        s.to_contract()
        for start in range(0, len(items), 4)
        for s in engine.suggest_many(items[start : start + 4], reasons=False)
    ]
    assert streamed == chunked and len(streamed) == len(items)


def test_fused_sentence_graph_computes_what_the_installed_model_computes(tmp_path):
    """The rebuilt graph (before quantisation) must be the same network as the export."""
    import onnxruntime as ort

    from reviewhub.themes.engine import embed
    from reviewhub.themes.engine.graph import build_fused

    source, _ = embed.model_paths()
    fused = tmp_path / "fused.onnx"
    build_fused(embed._fold(source, tmp_path), fused)
    enc = embed.Encoder(embed.FULL_PRECISION, threads=1)
    texts = [
        "The baby slept on the sofa with a parent who had been drinking.",
        "Agencies did not share information.",
        "Nobody asked the child what life at home was like, and the school's concerns about "
        "neglect were not passed on to children's social care for several months.",
    ]
    installed = enc.encode(texts)
    enc.session = ort.InferenceSession(str(fused), providers=["CPUExecutionProvider"])
    enc._cache.clear()
    rebuilt = enc.encode(texts)
    assert (installed * rebuilt).sum(1).min() > 0.9999


def test_default_state_runs_on_the_fused_int8_model(engine):
    from reviewhub.themes.engine.embed import FUSED_INT8

    assert engine.state.encoder == FUSED_INT8
    assert engine.scorer.encoder.id == FUSED_INT8


CASCADE_TEXTS = [
    "Mr B lived in squalor, hoarded belongings that were a fire risk and refused care. Assess "
    "mental capacity, including executive functioning, when someone declines help.",
    "The baby died while co-sleeping on a sofa with a parent who had been drinking; safer sleep "
    "advice was not repeated by the health visitor.",
    "Nobody asked the child what life at home was like.",
]


def test_batch_cascade_scores_sure_items_lexically_and_the_rest_with_the_sentence_model(engine):
    from reviewhub.themes.engine import Engine

    assert engine.state.cascade["min_top1"] > 0.5  # the packaged state is fitted for it
    lex, quick, unsure = engine._plan(CASCADE_TEXTS)
    assert unsure == [2]  # the first two match their themes' words on both axes
    batch = [s.to_contract() for s in engine.suggest_many(CASCADE_TEXTS, reasons=False)]
    lexical = Engine.load(lexical=True).suggest_many(CASCADE_TEXTS, reasons=False)
    assert batch[:2] == [s.to_contract() for s in lexical[:2]]
    full = Engine.load(cascade=False).suggest_many(CASCADE_TEXTS[2:], reasons=False)
    assert batch[2] == full[0].to_contract()
    # with reasons (the coding screen) every item gets the sentence model and its neighbours
    assert all(
        r.nearest for s in engine.suggest_many(CASCADE_TEXTS[:1]) for r in s.reasons.values()
    )


def test_a_state_with_few_confirmed_codes_has_no_cascade_and_batches_still_work():
    tax = _tiny_taxonomy()
    examples = [
        {"text": "The smoke alarm failed and the house burned", "circumstances": ["fire"],
         "practice": ["write"]},
        {"text": "River water filled the ground floor flat", "circumstances": ["flood"],
         "practice": ["talk"]},
    ]  # fmt: skip
    state = train(tax, examples, use_codebook=False)
    assert state.cascade == {}
    assert ModelState.from_bytes(state.to_bytes()).cascade == {}
    eng = Engine.load(taxonomy=tax, model_state=state)
    assert len(eng.suggest_many(["The house burned", "The flat flooded"], reasons=False)) == 2


def test_ranking_leads_with_the_models_top_theme_and_keeps_scores_in_order(engine):
    from reviewhub.themes.engine.model import _stack_predict

    for s in engine.suggest_many(CASCADE_TEXTS + [SELF_NEGLECT]):
        for ax in (s.circumstances, s.practice):
            scores = [v for _, v in ax.ranking]
            assert scores == sorted(scores, reverse=True)
            assert len(set(scores[:2])) == 2  # the top theme is never tied with a runner-up
    # the top theme is the full model's own first choice, not the blend's
    feats, *_ = engine.scorer.features([CASCADE_TEXTS[2]])
    probs = _stack_predict(engine.state.stack["practice"], feats["practice"])[0]
    ids = engine.scorer.axis_ids["practice"]
    top = engine.suggest(CASCADE_TEXTS[2]).practice.ranking[0][0]
    assert top == ids[int(probs.argmax())]


def test_the_packaged_model_is_labelled_with_its_content_hash():
    """Its label changes whenever its weights do, even if the training inputs stayed the same."""
    from reviewhub.themes.engine.default import _packaged

    state = _packaged()
    inputs, content = state.version.split(".")
    assert inputs.startswith("m") and content == state.content_hash()
    axis = next(iter(state.w_tfidf))
    state.w_tfidf[axis] = state.w_tfidf[axis] + 1e-3
    assert state.content_hash() != content


def test_lexicon_phrases_count_once_and_not_inside_a_longer_phrase(taxonomy):
    from reviewhub.themes.engine.keywords import KeywordIndex

    tax = _tiny_taxonomy()
    ix = KeywordIndex(tax, phrases={"talk": ["capacity"], "write": ["capacity assessment"]})
    scores, found = ix.scores("A capacity assessment was done.")
    assert scores["write"] > 0 and scores["talk"] == 0.0 and found == {"write": [
        "capacity assessment"]}  # fmt: skip
    scores, found = ix.scores("Her capacity was assumed; no capacity assessment was done.")
    assert scores["talk"] > 0 and found["talk"] == ["capacity"]
    # the taxonomy's own keywords are a separate index: none are given here
    assert KeywordIndex(tax).scores("capacity assessment")[1] == {}


def test_a_state_keeps_the_lexicon_it_was_fitted_with(monkeypatch):
    import numpy as np

    from reviewhub.themes.engine import model

    tax = _tiny_taxonomy()
    examples = [
        {"text": f"Staff {w} about the fire", "circumstances": ["fire"], "practice": ["write"]}
        for w in ("wrote notes", "made records", "filed a report", "kept a log")
    ] + [
        {"text": f"Staff {w} about the flood", "circumstances": ["flood"], "practice": ["talk"]}
        for w in ("spoke", "phoned", "met", "visited")
    ]  # fmt: skip
    monkeypatch.setattr(model, "load_codebook_phrases", lambda: {"talk": ["had a chat"]})
    state = train(tax, examples)
    assert state.lexicon == {"talk": ["had a chat"]}
    assert train(tax, examples, use_codebook=False).lexicon == {}
    eng = Engine.load(taxonomy=tax, model_state=state.to_bytes())
    text = "The nurse had a chat with the mother about the flood."
    feats, *_ = eng.scorer.features([text])
    lex = feats["practice"][0, :, model.FEATURES.index("lex")]
    ids = eng.scorer.axis_ids["practice"]
    assert lex[ids.index("talk")] > 0 and lex[ids.index("write")] == 0
    before = eng.suggest(text)
    assert "had a chat" in before.reasons["talk"].keywords
    # a later codebook changes neither a saved state's suggestions nor what it is called
    monkeypatch.setattr(model, "load_codebook_phrases", lambda: {"write": ["had a chat"]})
    again = Engine.load(taxonomy=tax, model_state=state.to_bytes()).suggest(text)
    assert again.to_dict() == before.to_dict()
    assert train(tax, examples).version != state.version
    # a state saved before the lexicon existed loads with none and scores the signal as zero
    d = state.to_dict()
    del d["lexicon"]
    old = Engine.load(taxonomy=tax, model_state=d)
    feats, *_ = old.scorer.features([text])
    assert not np.any(feats["practice"][..., model.FEATURES.index("lex")])


def test_theme_bias_corrects_a_theme_the_stacker_over_or_under_ranks():
    import numpy as np

    from reviewhub.themes.engine.model import _theme_bias

    logit = np.zeros((50, 3))  # the stacker says 0.5 for every theme
    y = np.zeros((50, 3))
    y[:40, 0] = 1  # confirmed on 80% of items
    y[:5, 1] = 1  # on 10%
    y[:25, 2] = 1  # on half: no correction
    b = _theme_bias(logit, y, lam=1.0)
    assert b[0] > 1.0 and b[1] < -1.5 and abs(b[2]) < 1e-6
    # with almost no penalty, the unpenalised answer log(0.8 / 0.2); a larger one shrinks it
    assert abs(_theme_bias(logit, y, lam=0.01)[0] - np.log(4)) < 0.01
    assert b[0] < np.log(4) and 0 < _theme_bias(logit, y, lam=100.0)[0] < b[0] / 2


def test_a_state_with_theme_corrections_still_suggests_after_a_theme_is_retired():
    tax = from_dicts(
        [
            {"id": "fire", "axis": "circumstances", "label": "Fire", "definition": "Fires."},
            {"id": "flood", "axis": "circumstances", "label": "Flood", "definition": "Floods."},
            {"id": "talk", "axis": "practice", "label": "Talking", "definition": "Talking."},
            {"id": "write", "axis": "practice", "label": "Writing", "definition": "Writing."},
            {"id": "plan", "axis": "practice", "label": "Planning", "definition": "Plans."},
        ]
    )
    words = ("failed", "was missing", "was off", "had no battery", "was broken", "beeped")
    examples = [
        {"text": f"Case {n}: the smoke alarm {w} and the house burned; nobody wrote it down",
         "circumstances": ["fire"], "practice": ["write"] + (["plan"] if n % 3 == 0 else []),
         "group": f"p{n % 5}"}
        for n, w in enumerate(words * 3)
    ] + [
        {"text": f"Case {n}: river water {w} the flat and no one spoke to the family",
         "circumstances": ["flood"], "practice": ["talk"], "group": f"p{n % 5}"}
        for n, w in enumerate(("filled", "entered", "ruined", "covered", "soaked", "reached") * 3)
    ]  # fmt: skip
    state = train(tax, examples, use_codebook=False)
    assert len(state.stack["practice"]["bias"]) == 3  # fitted: 36 confirmed codes
    retired = from_dicts(
        [{**t, "retired": t["id"] == "write"} for t in (
            {"id": t.id, "axis": t.axis, "label": t.label, "definition": t.definition}
            for t in tax.themes
        )]
    )  # fmt: skip
    s = Engine.load(taxonomy=retired, model_state=state).suggest("The alarm failed in the fire")
    assert [t for t, _ in s.practice.ranking] and "write" not in dict(s.practice.ranking)
    assert len(s.practice.ranking) == 2
