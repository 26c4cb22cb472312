"""Browse learning, code it (alone or blind in pairs), and look after the taxonomy. Thin views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviewhub.accounts.access import Action, role_required
from reviewhub.accounts.choices import Role
from reviewhub.audit.choices import AuditAction, Outcome
from reviewhub.audit.services import audit_event_record

from . import selectors, services
from . import taxonomy as taxonomy_yaml
from .choices import Axis, CodeSource
from .forms import (
    CodingForm,
    EmergingForm,
    ExerciseForm,
    FoldForm,
    LearningFilterForm,
    LearningPointForm,
    TaxonomyImportForm,
    ThemeForm,
)
from .models import (
    CODERS,
    LEARNING_STAFF,
    LearningPoint,
    LearningSource,
    TaxonomyVersion,
    Theme,
)

ALL_LEARNING = frozenset(Role.values)
CODER_ROLES = tuple(CODERS)


def _taxonomy(request):
    return services.taxonomy_load_default(partnership=request.partnership, user=request.user)


# ---------------------------------------------------------------------------------------------
# Browse


@require_GET
@role_required(*ALL_LEARNING)
def point_list(request):
    """Learning the user may see, filtered, with counts by theme, year, review type and agency."""
    filters = selectors.clean_filters(request.GET)
    national = Role.NATIONAL_ANALYST in request.roles
    scope = None if national else request.partnership
    points = selectors.learning_point_list(user=request.user, partnership=scope, filters=filters)
    selectors.learning_list_audit(points=points, filters=filters, detail="learning list")
    counts = {
        by: selectors.learning_counts_by(
            user=request.user, by=by, partnership=scope, filters=filters
        )
        for by in ("theme", "year", "review_type", "agency")
    }
    years = sorted({int(c.value) for c in counts["year"] if c.value.isdigit()}, reverse=True)
    themes = selectors.themes_for(request.partnership)
    form = LearningFilterForm(request.GET or None, themes=themes, years=years)

    def link(by, value):
        return "?" + urlencode(
            {
                **{k: v for k, v in request.GET.items() if k in selectors.FILTERS and k != by},
                by: value,
            }
        )

    count_tables = []
    for by, title in (
        ("theme", "By theme"),
        ("year", "By year"),
        ("review_type", "By review type"),
        ("agency", "By agency"),
    ):
        count_tables.append(
            {"title": title, "rows": [(row, link(by, row.value)) for row in counts[by]]}
        )
    return render(
        request,
        "learning/point_list.html",
        {
            "points": points[:200],
            "total": points.count(),
            "form": form,
            "filters": filters,
            "count_tables": count_tables,
            "is_staff": bool(set(request.roles) & LEARNING_STAFF),
            "can_code": bool(set(request.roles) & CODERS),
        },
    )


@require_GET
@role_required(*ALL_LEARNING)
def point_detail(request, pk: int):
    """One learning point, its source, its confirmed codes and the recommendations answering it."""
    point = selectors.learning_point_get(user=request.user, pk=pk)
    blind = selectors.open_exercises_for(request.user, point)
    return render(
        request,
        "learning/point_detail.html",
        {
            "point": point,
            "codes": [] if blind else selectors.confirmed_codes(point),
            "blind": blind,
            "recommendations": point.recommendations.all(),
            "can_code": bool(set(request.roles) & CODERS)
            and point.partnership_id == request.partnership.pk,
            "can_publish": bool(set(request.roles) & LEARNING_STAFF)
            and point.partnership_id == request.partnership.pk,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*LEARNING_STAFF)
def point_create(request):
    """Add a learning point (the engine's suggestions are stored for the coding screen)."""
    sources = LearningSource.objects.filter(partnership=request.partnership).order_by("title")
    form = LearningPointForm(request.POST or None, sources=sources)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _taxonomy(request)
        try:
            with transaction.atomic():
                source = data["source"] or services.source_get_or_create(
                    partnership=request.partnership,
                    kind=data["source_kind"],
                    title=data["source_title"],
                    review_type=data["source_review_type"],
                    year=data["source_year"],
                    url=data["source_url"],
                    user=request.user,
                )
                point = services.learning_point_create(
                    partnership=request.partnership,
                    source=source,
                    heading=data["heading"],
                    learned=data["learned"],
                    action=data["action"],
                    polarity=data["polarity"],
                    age_band=data["age_band"],
                    agencies=data["agencies"],
                    published=data["published"],
                    user=request.user,
                )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Learning point added.")
            return redirect("learning:point_detail", pk=point.pk)
    return render(request, "learning/point_form.html", {"form": form})


@require_POST
@role_required(*LEARNING_STAFF)
def point_publish(request, pk: int):
    """Publish a point (practitioners and partners then see it) or withdraw it."""
    point = selectors.learning_point_get(user=request.user, pk=pk, action=Action.CHANGE)
    publish = request.POST.get("published") == "yes"
    services.learning_point_update(point=point, user=request.user, published=publish)
    messages.success(request, "The point is published." if publish else "The point is unpublished.")
    return redirect("learning:point_detail", pk=point.pk)


# ---------------------------------------------------------------------------------------------
# Coding screen


def _coding_point(request, pk):
    point = selectors.learning_point_get(user=request.user, pk=pk, action=Action.CHANGE)
    if point.partnership_id != request.partnership.pk:
        raise Http404("No such learning point.")
    return point


@require_GET
@role_required(*CODER_ROLES)
def coding_start(request):
    """Go to the first point still to code."""
    point = selectors.next_uncoded_point(user=request.user, partnership=request.partnership)
    if point is None:
        return render(request, "learning/coding_done.html", {})
    return redirect("learning:coding_point", pk=point.pk)


@require_GET
@role_required(*CODER_ROLES)
def coding_point(request, pk: int):
    """The analyst's coding screen: the engine's suggestions (score and reason) and the codes."""
    return _render_coding(request, _coding_point(request, pk))


def _render_coding(request, point, errors=()):
    blind = selectors.open_exercises_for(request.user, point)
    if blind:
        messages.error(
            request,
            "You are coding this point blind in a coding exercise: its codes and the engine's "
            "suggestions stay hidden until both coders finish.",
        )
        return redirect("learning:exercise_detail", pk=blind[0].pk)
    screen = selectors.coding_screen(point)
    themes = selectors.themes_for(request.partnership, include_retired=False)
    next_point = selectors.next_uncoded_point(
        user=request.user, partnership=request.partnership, after_pk=point.pk
    )
    for axis in screen["axes"]:
        decided = {c.theme_id for c in axis["confirmed"]}
        axis["addable"] = [t for t in themes if t.axis == axis["axis"] and t.pk not in decided]
    return render(
        request,
        "learning/coding_point.html",
        {
            "point": point,
            "screen": screen,
            "next_point": next_point,
            "uncoded": selectors.uncoded_count(user=request.user, partnership=request.partnership),
            "errors": errors or [],
        },
    )


@require_POST
@role_required(*CODER_ROLES)
def coding_change(request, pk: int):
    """Confirm, reject or make primary one theme on the point (one action, audited)."""
    point = _coding_point(request, pk)
    if selectors.open_exercises_for(request.user, point):
        return redirect("learning:coding_point", pk=point.pk)
    op = request.POST.get("op")
    theme = Theme.objects.filter(
        taxonomy__partnership=request.partnership, theme_id=request.POST.get("theme", "")[:80]
    ).first()
    actions = {
        "confirm": services.code_confirm,
        "reject": services.code_reject,
        "primary": services.code_make_primary,
    }
    if op not in actions or theme is None:
        return HttpResponseBadRequest("Choose a theme and what to do with it.")
    try:
        actions[op](point=point, theme=theme, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(
        reverse("learning:coding_point", kwargs={"pk": point.pk}) + f"#axis-{theme.axis}"
    )


@require_POST
@role_required(*CODER_ROLES)
def coding_suggest(request, pk: int):
    """Ask the engine again (open suggestions are replaced; decisions are kept)."""
    point = _coding_point(request, pk)
    if selectors.open_exercises_for(request.user, point):
        return redirect("learning:coding_point", pk=point.pk)
    count = services.learning_point_suggest(point=point, user=request.user)
    messages.success(request, f"The engine made {count} suggestions.")
    return redirect("learning:coding_point", pk=point.pk)


@require_POST
@role_required(*CODER_ROLES)
def coding_complete(request, pk: int):
    """Mark the point coded (0-3 circumstances, 1-3 practice, one primary each) and go to the next."""
    point = _coding_point(request, pk)
    if selectors.open_exercises_for(request.user, point):
        return redirect("learning:coding_point", pk=point.pk)
    try:
        services.learning_point_coding_complete(point=point, user=request.user)
    except ValidationError as exc:
        return _render_coding(request, point, errors=exc.messages)
    messages.success(request, f"Coding complete: {point.heading[:80]}")
    following = selectors.next_uncoded_point(
        user=request.user, partnership=request.partnership, after_pk=point.pk
    )
    if following is None:
        return redirect("learning:coding_start")
    return redirect("learning:coding_point", pk=following.pk)


# ---------------------------------------------------------------------------------------------
# Taxonomy


@require_GET
@role_required(Role.ADMINISTRATOR, Role.ANALYST)
def taxonomy_view(request):
    """The partnership's themes (administrators edit; analysts read) and its versions."""
    taxonomy = _taxonomy(request)
    themes = list(selectors.themes_for(request.partnership))
    used = set(
        Theme.objects.filter(taxonomy=taxonomy, codes__isnull=False).values_list("pk", flat=True)
    )
    return render(
        request,
        "learning/taxonomy.html",
        {
            "taxonomy": taxonomy,
            "axes": [(axis.label, [t for t in themes if t.axis == axis.value]) for axis in Axis],
            "used": used,
            "versions": taxonomy.versions.select_related("created_by")[:20],
            "can_edit": Role.ADMINISTRATOR in request.roles,
        },
    )


@require_GET
@role_required(Role.ADMINISTRATOR, Role.ANALYST)
def taxonomy_export(request):
    """Download the taxonomy as YAML (same shape as themes.yaml) to share with other partnerships."""
    taxonomy = _taxonomy(request)
    text = taxonomy_yaml.dump(taxonomy.meta, list(taxonomy.themes.all()))
    audit_event_record(action=AuditAction.EXPORT, obj=taxonomy, detail="taxonomy exported")
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="taxonomy-{request.partnership.slug}-v{taxonomy.version}.yaml"'
    )
    return response


@require_GET
@role_required(Role.ADMINISTRATOR, Role.ANALYST)
def taxonomy_version(request, pk: int):
    """Download one recorded version of the taxonomy."""
    version = get_object_or_404(TaxonomyVersion, pk=pk, taxonomy__partnership=request.partnership)
    response = HttpResponse(version.snapshot, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="taxonomy-v{version.number}.yaml"'
    return response


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def taxonomy_import(request):
    """Upload a shared codebook: new themes are added, known ones updated, none deleted."""
    form = TaxonomyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.taxonomy_import(
                partnership=request.partnership,
                text=form.cleaned_data["file"],
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except (taxonomy_yaml.TaxonomyFormatError, ValidationError) as exc:
            form.add_error(
                "file", str(exc) if not isinstance(exc, ValidationError) else " ".join(exc.messages)
            )
        else:
            messages.success(
                request,
                f"Taxonomy imported: {result['added']} themes added, {result['updated']} changed.",
            )
            return redirect("learning:taxonomy")
    return render(request, "learning/taxonomy_import.html", {"form": form})


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def theme_create(request):
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # the form's fields are the service's arguments
            services.theme_create(taxonomy=_taxonomy(request), user=request.user, **data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"Theme {data['label']} added.")
            return redirect("learning:taxonomy")
    return render(request, "learning/theme_form.html", {"form": form, "theme": None})


def _form_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _theme(request, pk) -> Theme:
    """A theme of the active partnership's taxonomy; any other id is a 404 and an audited denial."""
    theme = Theme.objects.filter(pk=pk, taxonomy__partnership=request.partnership).first()
    if theme is None:
        audit_event_record(
            action=AuditAction.DENIED,
            object_type="learning.theme",
            object_id=str(pk),
            outcome=Outcome.DENIED,
            detail="theme of another partnership or not found",
        )
        raise Http404("No such theme.")
    return theme


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def theme_edit(request, pk: int):
    theme = _theme(request, pk)
    initial = {
        "label": theme.label,
        "definition": theme.definition,
        "keywords": "\n".join(theme.keywords),
        "display_order": theme.display_order,
    }
    form = ThemeForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.theme_update(
                theme=theme,
                user=request.user,
                note=data["note"],
                label=data["label"],
                definition=data["definition"],
                keywords=data["keywords"],
                display_order=data["display_order"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"Theme {theme.label} saved.")
            return redirect("learning:taxonomy")
    used = theme.codes.exists()
    return render(request, "learning/theme_form.html", {"form": form, "theme": theme, "used": used})


@require_POST
@role_required(Role.ADMINISTRATOR)
def theme_retire(request, pk: int):
    theme = _theme(request, pk)
    retire = request.POST.get("retired", "yes") != "no"
    services.theme_retire(theme=theme, user=request.user, retired=retire)
    messages.success(request, f"Theme {theme.label} {'retired' if retire else 'restored'}.")
    return redirect("learning:taxonomy")


@require_POST
@role_required(Role.ADMINISTRATOR)
def theme_delete(request, pk: int):
    theme = _theme(request, pk)
    try:
        services.theme_delete(theme=theme, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Theme {theme.label} deleted.")
    return redirect("learning:taxonomy")


# ---------------------------------------------------------------------------------------------
# Emerging themes: analysts find what the taxonomy misses and add it (a new theme, or keywords of
# an existing one); retiring, deleting and importing stay with administrators.

TAXONOMY_READERS = (Role.ADMINISTRATOR, Role.ANALYST)


def _cluster_terms(request) -> list[str]:
    """The terms an emerging theme's buttons pass along (at most 20, each at most 100 chars)."""
    terms = [" ".join(t.split())[:100] for t in request.GET.getlist("term")[:20]]
    return [t for t in terms if t]


@require_GET
@role_required(*TAXONOMY_READERS)
def emerging_themes(request):
    """Groups of recent learning that no theme fits well, to add as themes or fold into one."""
    from reviewhub.themes.selectors import EMERGING_DAYS
    from reviewhub.themes.selectors import emerging_themes as find

    _taxonomy(request)
    form = EmergingForm(request.GET or None)
    if form.is_bound and not form.is_valid():  # a threshold the page does not offer
        return render(request, "learning/emerging.html", {"form": form, "days": EMERGING_DAYS})
    found = find(user=request.user, partnership=request.partnership, poor_below=form.threshold())
    themes = {t.theme_id: t for t in selectors.themes_for(request.partnership)}
    clusters = []
    if found is not None:
        result, points = found
        for c in result.clusters:
            nearest = sorted(
                ((themes[t], score) for t, score in c.nearest.values() if t in themes),
                key=lambda p: -p[1],
            )
            query = urlencode([("term", t) for t in c.terms], doseq=True)
            clusters.append(
                {
                    "cluster": c,
                    "examples": [points[pk] for pk in c.examples],
                    "others": [points[pk] for pk in c.ids[len(c.examples) :]],
                    "nearest": nearest,
                    "adopt_query": query,
                    "fold_query": query + (f"&theme={nearest[0][0].pk}" if nearest else ""),
                }
            )
    return render(
        request,
        "learning/emerging.html",
        {
            "form": form,
            "found": found,
            "result": found[0] if found else None,
            "clusters": clusters,
            "days": EMERGING_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*TAXONOMY_READERS)
def emerging_adopt(request):
    """Make an emerging theme a new theme: the form starts from the group's terms."""
    terms = _cluster_terms(request)
    last = max((t.display_order for t in selectors.themes_for(request.partnership)), default=0)
    initial = {
        "display_order": last + 1,  # after the themes there are, not before them
        "label": terms[0][:1].upper() + terms[0][1:] if terms else "",
        "theme_id": slugify(terms[0])[:80].strip("-_").replace("_", "-") if terms else "",
        "keywords": "\n".join(terms),
        "note": f"Added from an emerging theme: {', '.join(terms)}"[:300] if terms else "",
    }
    form = ThemeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # a new theme like any other (a taxonomy version, audited, queuing a retraining),
            # whose version says where it came from even when the note was left empty
            data["note"] = data["note"] or f"Theme {data['theme_id']} added from an emerging theme"
            theme = services.theme_create(taxonomy=_taxonomy(request), user=request.user, **data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                f"Theme {theme.label} added. The theme model is being retrained to suggest it; "
                "until then the coding screen suggests themes from their keywords.",
            )
            return redirect("learning:taxonomy")
    return render(request, "learning/emerging_form.html", {"form": form, "adopt": True})


@require_http_methods(["GET", "POST"])
@role_required(*TAXONOMY_READERS)
def emerging_fold(request):
    """Fold an emerging theme into an existing theme by adding its terms to the keywords."""
    themes = selectors.themes_for(request.partnership, include_retired=False)
    terms = _cluster_terms(request)
    initial = {"keywords": "\n".join(terms), "theme": request.GET.get("theme", "")}
    form = FoldForm(request.POST or None, initial=initial, themes=themes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            added = services.theme_keywords_add(
                theme=data["theme"], user=request.user, keywords=data["keywords"], note=data["note"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                f"{data['theme'].label} now also has the keywords {', '.join(added)}. "
                "The theme model is being retrained with them.",
            )
            return redirect("learning:emerging")
    return render(request, "learning/emerging_form.html", {"form": form, "adopt": False})


# ---------------------------------------------------------------------------------------------
# Double coding


@require_GET
@role_required(*CODER_ROLES)
def exercise_list(request):
    exercises = selectors.coding_exercise_list(user=request.user, partnership=request.partnership)
    return render(
        request,
        "learning/exercise_list.html",
        {"exercises": exercises.select_related("coder_a", "coder_b")},
    )


@require_http_methods(["GET", "POST"])
@role_required(*CODER_ROLES)
def exercise_create(request):
    points = selectors.learning_point_list(user=request.user, partnership=request.partnership)
    form = ExerciseForm(
        request.POST or None,
        partnership=request.partnership,
        points=LearningPoint.objects.filter(pk__in=points.values("pk")).order_by("pk"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exercise = services.coding_exercise_create(
                partnership=request.partnership,
                name=data["name"],
                coder_a=data["coder_a"],
                coder_b=data["coder_b"],
                points=data["points"],
                user=request.user,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Coding exercise set up.")
            return redirect("learning:exercise_detail", pk=exercise.pk)
    return render(request, "learning/exercise_form.html", {"form": form})


def _exercise(request, pk):
    exercise = selectors.coding_exercise_get(user=request.user, pk=pk)
    if exercise.partnership_id != request.partnership.pk:
        raise Http404("No such exercise.")
    return exercise


@require_GET
@role_required(*CODER_ROLES)
def exercise_detail(request, pk: int):
    exercise = _exercise(request, pk)
    mine = (
        selectors.exercise_codings(exercise).get(request.user.pk, {})
        if exercise.is_coder(request.user)
        else {}
    )
    rows = [(p, p.pk in mine) for p in exercise.points.order_by("pk")]
    return render(
        request,
        "learning/exercise_detail.html",
        {
            "exercise": exercise,
            "rows": rows,
            "is_coder": exercise.is_coder(request.user),
            "finished": exercise.finished_at_for(request.user),
            "done": sum(1 for _, d in rows if d),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*CODER_ROLES)
def exercise_code(request, pk: int, point_pk: int):
    """One coder's blind coding of one point: no engine suggestions, no other coder's codes."""
    exercise = _exercise(request, pk)
    if not exercise.is_coder(request.user):
        raise Http404("Only the two coders of this exercise code in it.")
    point = get_object_or_404(exercise.points, pk=point_pk)
    themes = selectors.themes_for(request.partnership, include_retired=False)
    current = selectors.exercise_codings(exercise).get(request.user.pk, {}).get(point.pk)
    initial = {}
    if current:
        initial = {
            "circumstances": [
                t.theme_id
                for t in themes
                if t.theme_id in current["themes"] and t.axis == Axis.CIRCUMSTANCES
            ],
            "practice": [
                t.theme_id
                for t in themes
                if t.theme_id in current["themes"] and t.axis == Axis.PRACTICE
            ],
            "primary_circumstance": current["primary"].get(Axis.CIRCUMSTANCES, ""),
            "primary_practice": current["primary"].get(Axis.PRACTICE, ""),
        }
    form = CodingForm(request.POST or None, themes=themes, initial=initial)
    finished = exercise.finished_at_for(request.user) is not None
    if request.method == "POST" and not finished and form.is_valid():
        data = form.cleaned_data
        try:
            services.coding_exercise_code(
                exercise=exercise,
                point=point,
                coder=request.user,
                circumstances=data["circumstances"],
                practice=data["practice"],
                primary_circumstance=data["primary_circumstance"] or None,
                primary_practice=data["primary_practice"] or None,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            mine = selectors.exercise_codings(exercise).get(request.user.pk, {})
            following = exercise.points.exclude(pk__in=list(mine)).order_by("pk").first()
            if following is not None:
                return redirect("learning:exercise_code", pk=exercise.pk, point_pk=following.pk)
            messages.success(request, "You have coded every point. Finish when you are ready.")
            return redirect("learning:exercise_detail", pk=exercise.pk)
    return render(
        request,
        "learning/exercise_code.html",
        {"exercise": exercise, "point": point, "form": form, "finished": finished},
    )


@require_POST
@role_required(*CODER_ROLES)
def exercise_finish(request, pk: int):
    exercise = _exercise(request, pk)
    try:
        services.coding_exercise_finish(exercise=exercise, coder=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Your coding is finished.")
    return redirect("learning:exercise_detail", pk=exercise.pk)


@require_GET
@role_required(*CODER_ROLES)
def exercise_agreement(request, pk: int):
    """Agreement per theme and overall, disagreements side by side, and settling."""
    exercise = _exercise(request, pk)
    if not exercise.both_finished:
        return render(
            request, "learning/exercise_agreement.html", {"exercise": exercise, "ready": False}
        )
    result, codings = selectors.exercise_agreement(exercise)
    labels = {t.theme_id: t for t in selectors.themes_for(request.partnership)}
    a = codings.get(exercise.coder_a_id, {})
    b = codings.get(exercise.coder_b_id, {})
    themes = selectors.themes_for(request.partnership, include_retired=False)
    settled = {}
    items = []
    for point in exercise.points.order_by("pk"):
        ca = a.get(point.pk, {"themes": set(), "primary": {}})
        cb = b.get(point.pk, {"themes": set(), "primary": {}})
        agreed = ca["themes"] & cb["themes"]
        initial = {
            "circumstances": [
                t for t in agreed if labels.get(t) and labels[t].axis == Axis.CIRCUMSTANCES
            ],
            "practice": [t for t in agreed if labels.get(t) and labels[t].axis == Axis.PRACTICE],
            "primary_circumstance": ca["primary"].get(Axis.CIRCUMSTANCES)
            if ca["primary"].get(Axis.CIRCUMSTANCES) == cb["primary"].get(Axis.CIRCUMSTANCES)
            else "",
            "primary_practice": ca["primary"].get(Axis.PRACTICE)
            if ca["primary"].get(Axis.PRACTICE) == cb["primary"].get(Axis.PRACTICE)
            else "",
        }
        settled[point.pk] = point.coding_complete
        items.append(
            {
                "point": point,
                "same": ca["themes"] == cb["themes"] and ca["primary"] == cb["primary"],
                "a": sorted(
                    (labels[t] for t in ca["themes"] if t in labels),
                    key=lambda t: (t.axis, t.label),
                ),
                "b": sorted(
                    (labels[t] for t in cb["themes"] if t in labels),
                    key=lambda t: (t.axis, t.label),
                ),
                "a_primary": set(ca["primary"].values()),
                "b_primary": set(cb["primary"].values()),
                "only_a": ca["themes"] - cb["themes"],
                "only_b": cb["themes"] - ca["themes"],
                "form": CodingForm(themes=themes, initial=initial, prefix=f"p{point.pk}"),
            }
        )
    per_theme = [
        {"theme": labels.get(tid), "theme_id": tid, "table": table, "kappa": k}
        for tid, (table, k) in result.per_theme.items()
    ]
    audit_event_record(action=AuditAction.VIEW, obj=exercise, detail="agreement viewed")
    return render(
        request,
        "learning/exercise_agreement.html",
        {
            "exercise": exercise,
            "ready": True,
            "result": result,
            "per_theme": per_theme,
            "items": items,
        },
    )


@require_POST
@role_required(*CODER_ROLES)
def exercise_settle_agreed(request, pk: int):
    """Settle at once every point the two coders coded identically."""
    exercise = _exercise(request, pk)
    try:
        count = services.coding_exercise_settle_agreed(exercise=exercise, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Settled {count} agreed point{'s' if count != 1 else ''}.")
    return redirect("learning:exercise_agreement", pk=exercise.pk)


@require_POST
@role_required(*CODER_ROLES)
def exercise_settle(request, pk: int, point_pk: int):
    """Write the agreed final coding of one point of the exercise as its confirmed codes."""
    exercise = _exercise(request, pk)
    point = get_object_or_404(exercise.points, pk=point_pk)
    themes = selectors.themes_for(request.partnership, include_retired=False)
    form = CodingForm(request.POST, themes=themes, prefix=f"p{point.pk}")
    if not exercise.both_finished:
        messages.error(request, "Both coders must finish before the coding can be settled.")
    elif not form.is_valid():
        problems = [e for errors in form.errors.values() for e in errors]
        messages.error(request, f"Point {point.pk} not settled: " + " ".join(problems))
    else:
        data = form.cleaned_data
        try:
            services.coding_exercise_settle(
                exercise=exercise,
                point=point,
                user=request.user,
                circumstances=data["circumstances"],
                practice=data["practice"],
                primary_circumstance=data["primary_circumstance"] or None,
                primary_practice=data["primary_practice"] or None,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Final coding of point {point.pk} saved.")
    return redirect(
        reverse("learning:exercise_agreement", kwargs={"pk": exercise.pk}) + f"#point-{point.pk}"
    )


__all__ = ["CodeSource"]
