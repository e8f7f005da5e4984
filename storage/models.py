"""Database tables (SQLModel), layered ``XBase`` → ``XCreate`` → ``X(table=True)``.

Portable across SQLite and PostgreSQL:

* lists are JSON (JSONB on PostgreSQL, so they compare for equality and can be indexed);
* Telegram ids are 64-bit (``BigInteger``);
* every timestamp is timezone-aware UTC on the way in *and* out (:class:`UTCDateTime`), because
  SQLite stores datetimes without an offset and would otherwise hand back naive values.

Status columns are plain strings (the ``*Status`` enums below list the known values) so that a new
status never needs a database enum migration.

JSON list columns are not mutation-tracked: assign a new list instead of appending in place.
"""

from datetime import UTC, date, datetime
from enum import StrEnum

from pydantic import field_validator, model_validator
from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Dialect,
    Index,
    Integer,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from matching.models import MakerProfile, MakerStatus, VolumeStage

# Deterministic constraint names, so later migrations (and SQLite batch mode) can address them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = SQLModel.metadata


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (the only kind of datetime stored)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """``DateTime(timezone=True)`` that refuses naive values and always returns aware UTC."""

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: store timezone-aware datetimes")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite: stored as UTC without an offset
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JSONList = JSON().with_variant(JSONB(), "postgresql")


class RequestStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNMET = "unmet"  # no maker matched; the hub follows up by hand
    CLOSED = "closed"


class IntroductionStatus(StrEnum):
    REQUESTED = "requested"  # the designer asked; the brief is not out yet
    BRIEF_SENT = "brief_sent"  # the maker (or their hub, for makers without Telegram) has it
    INTERESTED = "interested"
    DECLINED = "declined"
    UNANSWERED = "unanswered"


class FollowUpStatus(StrEnum):
    PENDING = "pending"  # waiting for its due time (and the next working hours)
    QUEUED = "queued"  # claimed by a dispatcher: its message is in the outbox
    SENT = "sent"  # Telegram accepted the message; waiting for an answer
    ANSWERED = "answered"
    UNANSWERED = "unanswered"  # a freshness check nobody answered in time
    SKIPPED = "skipped"  # due while the person had check-ins off, or nobody to ask
    CANCELLED = "cancelled"  # the series ended, or the person blocked the bot
    FAILED = "failed"  # the message could not be delivered after every retry


class FollowUpKind(StrEnum):
    CHECKIN_CONTACT = "checkin.contact"  # ~7 days: did you get in touch / meet?
    CHECKIN_PROTOTYPE = "checkin.prototype"  # ~30 days: a prototype or sample?
    CHECKIN_PRODUCTION = "checkin.production"  # ~90 days: an order or production?
    FRESHNESS = "freshness"  # every N weeks: still taking requests?


class Outcome(StrEnum):
    """What came of an introduction, furthest stage first reported by either side."""

    NO_CONTACT = "no_contact"
    CONTACTED = "contacted"
    MET = "met"
    PROTOTYPE = "prototype"
    PRODUCTION = "production"


OUTCOME_ORDER = tuple(Outcome)  # later is further along


class Language(StrEnum):
    SWEDISH = "sv"
    ENGLISH = "en"


# --- hubs -----------------------------------------------------------------------------------


class HubBase(SQLModel):
    slug: str = Field(max_length=64, unique=True, index=True)
    name: str
    counties: list[str] = Field(default_factory=list, sa_type=JSONList)  # county codes, "14"
    telegram_chat_id: int | None = Field(default=None, sa_type=BigInteger)


class Hub(HubBase, table=True):
    __tablename__ = "hubs"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Coordinator(SQLModel, table=True):
    """A Telegram account that coordinates one hub; admins are configured, never stored."""

    __tablename__ = "coordinators"
    __table_args__ = (UniqueConstraint("hub_id", "telegram_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    hub_id: int = Field(foreign_key="hubs.id", ondelete="CASCADE")
    telegram_user_id: int = Field(sa_type=BigInteger, index=True)
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    added_by: int | None = Field(default=None, sa_type=BigInteger)  # the inviter's user id


class InviteKind(StrEnum):
    MAKER = "maker"  # binds a Telegram account to a maker listing
    COORDINATOR = "coordinator"  # makes a Telegram account a coordinator of a hub


class Invite(SQLModel, table=True):
    """A single-use, expiring deep-link token (``t.me/<bot>?start=<token>``)."""

    __tablename__ = "invites"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=64, unique=True)
    kind: str = Field(max_length=16)  # an InviteKind value
    maker_id: int | None = Field(
        default=None, foreign_key="makers.id", ondelete="CASCADE", index=True
    )
    hub_id: int | None = Field(default=None, foreign_key="hubs.id", ondelete="CASCADE", index=True)
    created_by: int = Field(sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_by: int | None = Field(default=None, sa_type=BigInteger)


# --- makers ---------------------------------------------------------------------------------


class MakerBase(SQLModel):
    """The catalogue's fields: everything an import sets, nothing the bot learns later."""

    external_id: str = Field(unique=True, index=True)  # the catalogue's stable id
    name: str
    place_name: str = ""  # the municipality / place as typed in the catalogue
    municipality_code: str = Field(max_length=4)
    lat: float
    lon: float
    materials: list[str] = Field(default_factory=list, sa_type=JSONList)  # maker's own words
    processes: list[str] = Field(default_factory=list, sa_type=JSONList)
    volumes: list[str] = Field(default_factory=list, sa_type=JSONList)  # VolumeStage values
    # The volumes cell as the coordinator wrote it ("unikat, prototyp"), which ``volumes`` reads
    # as stages: the export writes it back, so a round trip through Excel keeps their words.
    volume_words: list[str] = Field(default_factory=list, sa_type=JSONList)
    description: str = Field(default="", sa_type=Text)
    contact_name: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    status: str = Field(default=MakerStatus.LISTED.value, max_length=16)
    paused_until: date | None = None  # only meaningful while status is "paused"


_VOLUME_ORDER = {stage.value: position for position, stage in enumerate(VolumeStage)}


class MakerCreate(MakerBase):
    """A validated catalogue row, the input of ``upsert_maker``.

    Normalises what would otherwise make re-importing the same file look like a change:
    volumes become a sorted set of :class:`VolumeStage` values, and ``paused_until`` is
    dropped unless the maker is paused.
    """

    @field_validator("municipality_code")
    @classmethod
    def _four_digits(cls, value: str) -> str:
        if len(value) != 4 or not value.isdigit():
            raise ValueError(f"municipality code must be 4 digits, got {value!r}")
        return value

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        return MakerStatus(value).value

    @field_validator("volumes")
    @classmethod
    def _known_volumes(cls, value: list[str]) -> list[str]:
        stages = {VolumeStage(item).value for item in value}
        return sorted(stages, key=_VOLUME_ORDER.__getitem__)

    @model_validator(mode="after")
    def _pause_date_only_when_paused(self) -> "MakerCreate":
        if self.status != MakerStatus.PAUSED and self.paused_until is not None:
            self.paused_until = None
        return self


class Maker(MakerBase, table=True):
    __tablename__ = "makers"

    id: int | None = Field(default=None, primary_key=True)
    last_confirmed: date | None = None  # last "still taking requests?" yes
    # 0 = fresh; raised by unanswered confirmation checks, 1 = fully stale.
    freshness_penalty: float = 0.0
    hub_id: int | None = Field(default=None, foreign_key="hubs.id", ondelete="SET NULL", index=True)
    telegram_user_id: int | None = Field(default=None, sa_type=BigInteger, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow}
    )
    # Set when the account blocked the bot (403); its briefs then go to the hub instead.
    unreachable_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set while the maker turned introduction check-ins off (/checkins).
    checkins_off_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    def to_profile(self) -> MakerProfile:
        """The matching core's view of this listing.

        Values the core does not know are read defensively (they are validated on the way in
        by :class:`MakerCreate`): an unknown status counts as unlisted, unknown volumes are
        skipped.
        """
        try:
            status = MakerStatus(self.status)
        except ValueError:
            status = MakerStatus.UNLISTED
        return MakerProfile(
            id=self.external_id,
            name=self.name,
            lat=self.lat,
            lon=self.lon,
            municipality_code=self.municipality_code,
            materials=tuple(self.materials),
            processes=tuple(self.processes),
            volumes=frozenset(VolumeStage(v) for v in self.volumes if v in _VOLUME_ORDER),
            description=self.description,
            status=status,
            paused_until=self.paused_until,
            last_confirmed=self.last_confirmed,
            freshness_penalty=self.freshness_penalty,
            town=self.place_name,
            website=self.website or "",
        )


# --- designers ------------------------------------------------------------------------------


class DesignerBase(SQLModel):
    telegram_user_id: int | None = Field(default=None, sa_type=BigInteger, unique=True)
    name: str | None = None
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    org_number: str | None = Field(default=None, max_length=32)
    language: str = Field(default=Language.SWEDISH.value, max_length=8)
    consent_version: str | None = Field(default=None, max_length=32)
    consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Designer(DesignerBase, table=True):
    __tablename__ = "designers"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    unreachable_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # blocked the bot
    checkins_off_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # /checkins off


# --- requests -------------------------------------------------------------------------------


class MatchRequestBase(SQLModel):
    designer_id: int | None = Field(
        default=None, foreign_key="designers.id", ondelete="SET NULL", index=True
    )
    text: str = Field(default="", sa_type=Text)
    photo_file_id: str | None = None
    materials: list[str] = Field(default_factory=list, sa_type=JSONList)  # taxonomy codes
    processes: list[str] = Field(default_factory=list, sa_type=JSONList)  # taxonomy codes
    volume_stage: str | None = Field(default=None, max_length=16)  # a VolumeStage value
    quantity: int | None = None
    place_name: str | None = None
    municipality_code: str | None = Field(default=None, max_length=4)
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None  # None: all of Sweden
    county_code: str | None = Field(default=None, max_length=2)  # "my county only" (län)
    status: str = Field(default=RequestStatus.DRAFT.value, max_length=16)
    hub_id: int | None = Field(default=None, foreign_key="hubs.id", ondelete="SET NULL", index=True)


class MatchRequest(MatchRequestBase, table=True):
    __tablename__ = "requests"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow}
    )


# --- introductions --------------------------------------------------------------------------


class Introduction(SQLModel, table=True):
    """One maker asked about one request; at most one per (request, maker)."""

    __tablename__ = "introductions"
    __table_args__ = (UniqueConstraint("request_id", "maker_id"),)

    id: int | None = Field(default=None, primary_key=True)
    # Looked up by request through the unique constraint's index.
    request_id: int = Field(foreign_key="requests.id", ondelete="CASCADE")
    maker_id: int = Field(foreign_key="makers.id", ondelete="CASCADE", index=True)
    status: str = Field(default=IntroductionStatus.REQUESTED.value, max_length=16)
    decline_reason: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow}
    )
    # The reminder clock (services.introductions.tick): when the brief went out, when reminded.
    brief_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Both sides said yes and have each other's contacts (the check-ins count from here).
    introduced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # What came of it (services.followups): the furthest Outcome either side reported, and
    # "not going ahead" with its reason, which ends the check-ins.
    outcome: str | None = Field(default=None, max_length=16)
    outcome_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_reason: str | None = Field(default=None, max_length=32)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# --- follow-ups -----------------------------------------------------------------------------


class FollowUp(SQLModel, table=True):
    """A check-in due at a time: the source of truth for every follow-up (services.followups).

    A dispatcher claims due ``pending`` rows and, in the same transaction, puts their message
    in the outbox (``outbox_id``) and marks them ``queued``; the outbox's delivery outcome is
    mirrored here (``sent``, ``attempts``, ``last_error``, ``failed``/``cancelled``), and the
    person's answer ends the row ``answered``.
    """

    __tablename__ = "follow_ups"
    # The scheduler's query is "status = pending AND due_at <= now"; the composite index's
    # leading column also serves lookups by status alone.
    __table_args__ = (Index("ix_follow_ups_status_due_at", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    introduction_id: int | None = Field(
        default=None, foreign_key="introductions.id", ondelete="CASCADE", index=True
    )
    maker_id: int | None = Field(
        default=None, foreign_key="makers.id", ondelete="CASCADE", index=True
    )
    kind: str = Field(max_length=32)  # a FollowUpKind value
    side: str | None = Field(default=None, max_length=16)  # "designer" or "maker" (check-ins)
    # Only in the composite index above: an index on due_at alone tempted PostgreSQL's claim
    # plan to walk past every row ever sent whose due_at had passed (slower with each claim).
    due_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default=FollowUpStatus.PENDING.value, max_length=16)
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # One row per logical check-in however often it is planned ("checkin.contact:12:maker").
    dedupe_key: str = Field(max_length=128, unique=True)
    outbox_id: int | None = Field(
        default=None, foreign_key="outbox.id", ondelete="SET NULL", index=True
    )
    answer: str | None = Field(default=None, max_length=32)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# --- conversations --------------------------------------------------------------------------


class ConversationBase(SQLModel):
    """Where one person is in the designer dialogue; the only place that state lives."""

    telegram_user_id: int = Field(sa_type=BigInteger, unique=True)
    chat_id: int = Field(sa_type=BigInteger)
    language: str = Field(default=Language.SWEDISH.value, max_length=8)
    step: str = Field(max_length=32)
    # The step's working data (drafts, button tokens); shape owned by services.dialogue.
    data: dict[str, object] = Field(default_factory=dict, sa_type=JSONList)


class Conversation(ConversationBase, table=True):
    __tablename__ = "conversations"

    id: int | None = Field(default=None, primary_key=True)
    version: int = 0  # raised on every save: how many updates changed this conversation
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ProcessedUpdate(SQLModel, table=True):
    """A delivery already handled; Telegram may send the same update again after a restart."""

    __tablename__ = "processed_updates"

    source: str = Field(primary_key=True, max_length=16)
    update_id: int = Field(
        primary_key=True, sa_type=BigInteger, sa_column_kwargs={"autoincrement": False}
    )
    processed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


# --- the inbox ------------------------------------------------------------------------------


class InboxStatus(StrEnum):
    PENDING = "pending"  # received and committed; not handled yet
    DONE = "done"  # handled: its effects committed in the same transaction
    FAILED = "failed"  # its handler raised: nothing of it was kept, the person was told


class InboxUpdate(SQLModel, table=True):
    """An incoming update, committed before Telegram is told it arrived (see services.inbox).

    ``(source, update_id)`` is the one exactly-once key of the edge: a redelivery is never
    stored twice, so it is never handled twice. ``chat_key`` orders a chat's updates (the chat,
    else the sender, else 0); ``payload`` is the update's JSON, cleaned of control characters.
    Done rows are kept a week (Telegram redelivers for a day), then pruned.
    """

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("source", "update_id"),
        # The claim's query: the oldest pending update of each chat.
        Index(
            "ix_inbox_pending_chat",
            "chat_key",
            "id",
            postgresql_where=sql("status = 'pending'"),
            sqlite_where=sql("status = 'pending'"),
        ),
        Index("ix_inbox_received_at", "received_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=16)
    update_id: int = Field(sa_type=BigInteger)
    chat_key: int = Field(sa_type=BigInteger)
    payload: dict[str, object] = Field(default_factory=dict, sa_type=JSON)
    status: str = Field(default=InboxStatus.PENDING.value, max_length=16)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# --- outbox ---------------------------------------------------------------------------------


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a sender; its lease ends at not_before
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt
    BLOCKED = "blocked"  # the chat blocked the bot (403); never retried
    CANCELLED = "cancelled"  # withdrawn before it was sent (a check-in no longer wanted)


class Outbox(SQLModel, table=True):
    """A Telegram message to send, written in the transaction of the change that caused it.

    ``payload`` is a rendered reply: ``{"text": html, "buttons": [[{"label", "data"}]],
    "photo_file_id": str | None}`` (see :mod:`services.outbox`).
    """

    __tablename__ = "outbox"
    # The sender's query is "status IN (pending, sending) AND not_before <= now".
    __table_args__ = (Index("ix_outbox_status_not_before", "status", "not_before"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger, index=True)
    recipient_user_id: int | None = Field(default=None, sa_type=BigInteger)
    kind: str = Field(max_length=32)
    payload: dict[str, object] = Field(default_factory=dict, sa_type=JSONList)
    dedupe_key: str | None = Field(default=None, max_length=128, unique=True)
    status: str = Field(default=OutboxStatus.PENDING.value, max_length=16)
    attempts: int = 0
    not_before: datetime = Field(sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    telegram_message_id: int | None = Field(default=None, sa_type=BigInteger)
    # Courtesy: only sent on Swedish working days within the configured hours (check-ins).
    working_hours_only: bool = False


# --- Telegram's rate limits, shared by every process ------------------------------------------


class TelegramSend(SQLModel, table=True):
    """A message that is being or was recently sent to Telegram, for the rate limits every bot
    process on one database shares (:mod:`services.limits`).

    A send counts from before its request leaves until ``ends_at``: while ``in_flight`` the
    latest moment its answer can still come (a process that died mid-send holds it that long),
    afterwards the moment its answer came. Times are seconds since the epoch on the database's
    clock (plain numbers: the limiter does arithmetic on them on SQLite and PostgreSQL alike).
    Rows older than the longest window (a minute) are deleted as the limiter goes.
    """

    __tablename__ = "telegram_sends"
    __table_args__ = (Index("ix_telegram_sends_chat_id_ends_at", "chat_id", "ends_at"),)

    id: int | None = Field(
        default=None, primary_key=True, sa_type=BigInteger().with_variant(Integer(), "sqlite")
    )
    chat_id: int = Field(sa_type=BigInteger)
    ends_at: float = Field(index=True)
    in_flight: bool = True


class TelegramSendState(SQLModel, table=True):
    """One row: locked by every grant (so processes decide one at a time), and the pause a
    429 ``retry_after`` set for the whole bot (seconds since the epoch, database clock)."""

    __tablename__ = "telegram_send_state"

    id: int = Field(default=1, primary_key=True)
    grants: int = 0  # how many grant decisions were taken (the limiter prunes every so many)
    paused_until: float = 0.0


# --- the introduction lifecycle -------------------------------------------------------------


class IntroductionEvent(SQLModel, table=True):
    """One step of an introduction, with when and who (``None``: the bot itself)."""

    __tablename__ = "introduction_events"

    id: int | None = Field(default=None, primary_key=True)
    introduction_id: int = Field(foreign_key="introductions.id", ondelete="CASCADE", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    actor_user_id: int | None = Field(default=None, sa_type=BigInteger)
    event: str = Field(max_length=32)  # brief_sent, reminded, interested, declined, …
    detail: dict[str, object] = Field(default_factory=dict, sa_type=JSONList)


class ActionToken(SQLModel, table=True):
    """What a button in a bot-initiated message means: its data is only this opaque token.

    Addressed either to one person (``allowed_user_id``) or to whoever coordinates ``hub_id``.
    """

    __tablename__ = "action_tokens"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=32, unique=True)
    action: str = Field(max_length=32)  # see services.introductions.Action
    introduction_id: int | None = Field(
        default=None, foreign_key="introductions.id", ondelete="CASCADE", index=True
    )
    request_id: int | None = Field(
        default=None, foreign_key="requests.id", ondelete="CASCADE", index=True
    )
    maker_id: int | None = Field(default=None, foreign_key="makers.id", ondelete="CASCADE")
    allowed_user_id: int | None = Field(default=None, sa_type=BigInteger)
    hub_id: int | None = Field(default=None, foreign_key="hubs.id", ondelete="CASCADE")
    follow_up_id: int | None = Field(
        default=None, foreign_key="follow_ups.id", ondelete="CASCADE", index=True
    )
    created_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class IntroductionRelay(SQLModel, table=True):
    """A message expected from ``writer_user_id`` that the bot passes to the other side."""

    __tablename__ = "introduction_relays"

    id: int | None = Field(default=None, primary_key=True)
    introduction_id: int = Field(foreign_key="introductions.id", ondelete="CASCADE", index=True)
    writer_user_id: int = Field(sa_type=BigInteger, index=True)
    writer_role: str = Field(max_length=16)  # "maker" (a question) or "designer" (the answer)
    opened_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# --- the hub's outreach log -----------------------------------------------------------------


class OutreachOutcome(StrEnum):
    PENDING = "pending"  # contacted, no answer yet
    NOT_INTERESTED = "not_interested"
    MAYBE_LATER = "maybe_later"
    LISTED = "listed"


class OutreachEntry(SQLModel, table=True):
    """A company the hub contacted that is not (yet) listed: the recruitment work the hubs
    do and nobody sees."""

    __tablename__ = "outreach"

    id: int | None = Field(default=None, primary_key=True)
    hub_id: int | None = Field(default=None, foreign_key="hubs.id", ondelete="CASCADE", index=True)
    company: str
    place_name: str = ""
    municipality_code: str | None = Field(default=None, max_length=4)
    material: str = ""  # as the coordinator wrote it
    contacted_on: date
    outcome: str = Field(default=OutreachOutcome.PENDING.value, max_length=16)
    note: str = Field(default="", sa_type=Text)
    maker_id: int | None = Field(
        default=None, foreign_key="makers.id", ondelete="SET NULL"
    )  # once listed
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
