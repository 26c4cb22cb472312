"""Small action records for tests: a recommendation and actions built through the services."""

import itertools
from datetime import date

from reviewhub.accounts.choices import Role
from reviewhub.actions import services
from reviewhub.actions.models import Action
from reviewhub.learning import services as learning_services
from reviewhub.learning.tests import factories as lf

_seq = itertools.count(1)


def recommendation(partnership, *, points=(), scope="local", src=None, text=None):
    src = src or lf.source(partnership)
    return learning_services.recommendation_create(
        partnership=partnership,
        source=src,
        text=text or f"Agencies should share information {next(_seq)}.",
        reference=f"R{next(_seq)}",
        points=points,
        scope=scope,
    )


def action(rec, agency, *, user=None, **fields) -> Action:
    defaults = {
        "title": f"Action {next(_seq)}",
        "target_date": date(2030, 1, 1),
        "status": "in_progress",
        "progress_percent": 10,
    }
    defaults.update(fields)
    return services.action_create(recommendation=rec, lead_agency=agency, user=user, **defaults)


class ActionWorld:
    """Records the permission battery needs: a recommendation answering a published point,
    an action led by the partner lead's agency, with a milestone and evidence with a file."""

    def __init__(self, world):
        p = world.partnership
        published = lf.learning_world(world).published
        self.recommendation = recommendation(p, points=[published])
        bu = world.users[Role.BUSINESS_UNIT]
        self.action = action(self.recommendation, world.agency, user=bu)
        self.milestone = services.milestone_add(
            action=self.action, user=bu, title="Audit", due_date=date(2029, 6, 1)
        )
        self.evidence = services.evidence_add(
            action=self.action,
            user=bu,
            kind="audit",
            summary="Audit of 20 files found the household recorded in 19.",
            upload_name="audit.txt",
            data=b"Audit results: 19 of 20 files record who lives in the household.\n",
        )
        self._bu = bu
        self._completed = None

    def completed(self) -> Action:
        """A second action of the partner lead's agency, with evidence, signed off complete."""
        if self._completed is None:
            done = action(self.recommendation, self.action.lead_agency, user=self._bu)
            services.evidence_add(
                action=done, user=self._bu, kind="training", summary="All staff trained."
            )
            self._completed = services.action_complete(action=done, user=self._bu)
        return self._completed


def action_world(world) -> ActionWorld:
    if not hasattr(world, "_actions"):
        world._actions = ActionWorld(world)
    return world._actions
