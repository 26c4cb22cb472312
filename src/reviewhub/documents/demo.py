"""Demo documents: a report whose publication was blocked, fixed and published, and a draft."""

from reviewhub.documents.models import Document
from reviewhub.documents.services import (
    PublicationRefused,
    document_import,
    document_pii_override,
    document_pii_pseudonymise,
    document_publish,
)

# Fictional people and places only.
PUBLISHED_REPORT = """Local Child Safeguarding Practice Review: Child A

1. Introduction
This review was commissioned by the Northshire Safeguarding Children Partnership after
Tyler Brennan, aged 3, was seriously injured at home at 14 Larch Close, Northtown NT4 7QD.

2. Findings
Finding 1: Practitioners did not know who was living in the household. Tyler's mother had a new
partner, and no agency asked who he was or checked what was known about him.
Finding 2: Tyler's voice was not heard. He was seen at Little Acorns Nursery, but staff were not
asked what they had noticed about his behaviour.

3. Recommendations
1. All agencies should ask who lives in the household at every assessment and record the answer.
2. Early years settings should be invited to contribute to every child protection strategy discussion.
"""

DRAFT_REPORT = """Rapid review summary: Baby B

Background
Baby B was born on 02/02/2024 and was admitted to hospital aged 7 weeks with bruising.

Learning
Bruising in a non-mobile baby must always be referred under the partnership's protocol. The
health visitor saw a mark at the new birth visit but it was not escalated.

Recommendations
1. Refresh training on the bruising in non-mobile babies protocol for all health visitors.
"""


def load(partnership, users):
    analyst = users["analyst"]
    published = document_import(
        partnership=partnership,
        name="lcspr-child-a.txt",
        data=PUBLISHED_REPORT.encode(),
        user=analyst,
        title="LCSPR Child A: who is in the household?",
    ).document
    if not published.published:
        try:
            document_publish(document=published, user=analyst)
        except PublicationRefused:
            # The first attempt is refused: the report names the child, his address and his
            # nursery. The analyst keeps his age (with a reason) and pseudonymises the rest.
            for finding in published.findings.filter(kind="age", status="open"):
                document_pii_override(
                    finding=finding,
                    reason="The child's age is needed for the learning",
                    user=analyst,
                )
            document_pii_pseudonymise(document=published, user=analyst)
            document_publish(document=published, user=analyst)
    from reviewhub.cases.models import Review

    # The draft belongs to the review the demo reviewer leads, so the reviewer can read and
    # search it; nobody outside that review's circle can.
    led = Review.objects.filter(partnership=partnership, lead_reviewer=users["reviewer"]).first()
    draft = document_import(
        partnership=partnership,
        name="rapid-review-baby-b.txt",
        data=DRAFT_REPORT.encode(),
        user=analyst,
        title="Rapid review Baby B (draft)",
        review=led,
    ).document
    if led is not None and draft.review_id is None:
        Document.objects.filter(pk=draft.pk).update(review=led)
    return Document.objects.filter(partnership=partnership)
