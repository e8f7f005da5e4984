"""The dialogue's steps and the working data kept with each conversation (as JSON).

Everything the designer entered lives here until it is saved as a Designer or a MatchRequest,
so a restart, or a second bot process, continues exactly where the conversation was.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, ValidationError


class Step(StrEnum):
    """Every place a conversation can be; the stored ``step`` is always one of these."""

    START = "start"  # nothing yet (new, cancelled before consent, or data erased)
    LANGUAGE = "language"  # /language: choose, then back to ``resume``
    NAME = "name"
    COMPANY = "company"
    CONTACT = "contact"  # email and/or phone
    ORG_NUMBER = "org_number"  # optional
    CONSENT = "consent"
    DECLINED = "declined"  # consent declined: nothing kept
    DESCRIBE = "describe"  # what they want made (text, optional photo)
    CAPABILITIES = "capabilities"  # confirm or toggle the materials and processes understood
    ADD_MATERIAL = "add_material"
    VOLUME = "volume"
    QUANTITY = "quantity"  # optional
    LOCATION = "location"
    PLACE_CHOICE = "place_choice"  # ambiguous or misspelt place: pick a candidate
    RADIUS = "radius"
    DEADLINE = "deadline"  # optional: when it is needed
    BUDGET = "budget"  # optional: a budget range
    ATTACH = "attach"  # files that go with the brief (from the summary or the nudge)
    ATTACH_CONSENT = "attach_consent"  # a document goes as it is only if the designer says so
    SUMMARY = "summary"
    NUDGE = "nudge"  # before sending: what makers usually need and is missing
    RESULTS = "results"
    NO_MATCH = "no_match"
    IDLE = "idle"  # between requests
    PRIVACY = "privacy"  # /privacy: what is stored; export, correct, delete
    CORRECT = "correct"  # which detail of the profile to correct
    DELETE_CONFIRM = "delete_confirm"


PROFILE_STEPS = frozenset({Step.NAME, Step.COMPANY, Step.CONTACT, Step.ORG_NUMBER, Step.CONSENT})
REQUEST_STEPS = frozenset(
    {
        Step.DESCRIBE,
        Step.CAPABILITIES,
        Step.ADD_MATERIAL,
        Step.VOLUME,
        Step.QUANTITY,
        Step.LOCATION,
        Step.PLACE_CHOICE,
        Step.RADIUS,
        Step.DEADLINE,
        Step.BUDGET,
        Step.ATTACH,
        Step.ATTACH_CONSENT,
        Step.SUMMARY,
        Step.NUDGE,
        Step.RESULTS,
        Step.NO_MATCH,
    }
)
# Detours that return to the step the person came from.
DETOUR_STEPS = frozenset({Step.LANGUAGE, Step.PRIVACY, Step.CORRECT, Step.DELETE_CONFIRM})


class Radius(StrEnum):
    KM_25 = "25"
    KM_50 = "50"
    KM_100 = "100"
    COUNTY = "county"
    SWEDEN = "all"

    @property
    def km(self) -> float | None:
        return float(self.value) if self.value.isdigit() else None


class PlaceData(BaseModel):
    name: str
    label: str
    kind: str  # "municipality" | "locality"
    municipality_code: str
    county_code: str
    lat: float
    lon: float


class Capability(BaseModel):
    code: str
    kind: str  # "material" | "process"
    words: list[str] = Field(default_factory=list)  # the designer's words that showed it
    on: bool = True


class AttachmentDraft(BaseModel):
    """A file for the brief, until the request is saved (storage.models.RequestAttachment)."""

    file_id: str
    file_unique_id: str
    kind: str  # an AttachmentKind value
    file_name: str | None = None
    size: int | None = None
    mime: str | None = None
    metadata_policy: str | None = None  # a MetadataPolicy value; None: not yet consented


class RequestDraft(BaseModel):
    text: str = ""
    photo_file_id: str | None = None
    capabilities: list[Capability] = Field(default_factory=list)
    stage: str | None = None  # a VolumeStage value
    quantity: int | None = None
    place: PlaceData | None = None
    radius: Radius | None = None
    # Read from the description ("20 st … nära Skövde"), not answered to a question: shown
    # on the summary to confirm, replaced when the description is edited.
    stage_from_text: bool = False
    quantity_from_text: bool = False
    place_from_text: bool = False
    # The complete brief (storage.models.MatchRequest documents the meaning).
    deadline: str | None = None  # ISO date
    deadline_text: str | None = None
    deadline_from_text: bool = False
    budget_min: int | None = None
    budget_max: int | None = None
    budget_text: str | None = None
    attachments: list[AttachmentDraft] = Field(default_factory=list)
    details_asked: bool = False  # the deadline and budget questions came once; then summary
    nudged: bool = False  # the "makers usually need …" nudge was shown for this request
    from_nudge: bool = False  # adding what the nudge named: return to it, not the summary
    pending_file: AttachmentDraft | None = None  # a document waiting for the designer's consent
    file_resume: Step | None = None  # where the designer was when the document came

    def missing_for_makers(self) -> list[str]:
        """What makers usually need before they answer and this request does not say:
        "quantity" (unless a one-off or prototype), "deadline", "drawing" (no file or photo)."""
        missing = []
        if self.quantity is None and self.stage != "prototype":
            missing.append("quantity")
        if self.deadline is None:
            missing.append("deadline")
        if not self.attachments and self.photo_file_id is None:
            missing.append("drawing")
        return missing

    def codes(self, kind: str) -> list[str]:
        return [c.code for c in self.capabilities if c.on and c.kind == kind]


class ProfileDraft(BaseModel):
    name: str | None = None
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    org_number: str | None = None


class DialogueData(BaseModel):
    buttons: dict[str, str] = Field(default_factory=dict)  # token → action, this step only
    profile: ProfileDraft = Field(default_factory=ProfileDraft)
    request: RequestDraft = Field(default_factory=RequestDraft)
    editing: bool = False  # came from the summary's edit button: return there
    resume: Step | None = None  # where a detour returns to
    place_candidates: list[PlaceData] = Field(default_factory=list)
    page: int = 0  # results page (services.dialogue.paging)
    # Picked makers' external ids, at most 3: kept across pages, edits and new searches.
    selected: list[str] = Field(default_factory=list)
    names: dict[str, str] = Field(default_factory=dict)  # external id → name, of those shown
    email_suggestion: str | None = None  # "did you mean …?" asked at the contact step
    long_text: str | None = None  # a description over the limit, kept until it is shortened
    correcting: str | None = None  # the profile field being corrected from /privacy

    @classmethod
    def load(cls, raw: dict[str, Any] | None) -> DialogueData:
        """The stored data; an unreadable document (say, from a future version) starts fresh."""
        try:
            return cls.model_validate(raw or {})
        except ValidationError:
            return cls()

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
