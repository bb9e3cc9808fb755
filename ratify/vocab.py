"""The closed vocabularies ratify speaks.

Every term here is part of the public interface (CLI arguments, fixture files,
JSON output), so a new term is admitted only when a real procedure or treaty
needs it and cannot be described with an existing one; renaming a term is a
breaking change.
"""

from __future__ import annotations

from enum import StrEnum


class TreatyKind(StrEnum):
    BILATERAL = "bilateral"
    MULTILATERAL = "multilateral"


class StageKind(StrEnum):
    """What a domestic stage is, whatever the body is called in a given state."""

    EXECUTIVE = "executive"  # cabinet decision preparing or submitting the treaty
    COMMITTEE = "committee"  # a committee's report or recommendation
    LOWER_HOUSE = "lower_house"
    UPPER_HOUSE = "upper_house"
    LEGISLATURE = "legislature"  # a unicameral legislature, or a body acting for it
    SCRUTINY = "scrutiny"  # a laying period with no positive vote (negative procedure)
    REFERENDUM = "referendum"
    COURT_REVIEW = "court_review"
    ASSENT = "assent"  # head of state signs or promulgates the ratification law
    DECREE = "decree"  # an executive act that itself ratifies
    INSTRUMENT = "instrument"  # deposit or exchange of the instrument

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


#: Stages that belong to the domestic approval of a treaty, before ratification.
LEGISLATIVE_KINDS = frozenset(
    {
        StageKind.COMMITTEE,
        StageKind.LOWER_HOUSE,
        StageKind.UPPER_HOUSE,
        StageKind.LEGISLATURE,
        StageKind.SCRUTINY,
        StageKind.REFERENDUM,
        StageKind.COURT_REVIEW,
    }
)
RATIFYING_KINDS = frozenset({StageKind.ASSENT, StageKind.DECREE})
VOTING_KINDS = frozenset(
    {
        StageKind.COMMITTEE,
        StageKind.LOWER_HOUSE,
        StageKind.UPPER_HOUSE,
        StageKind.LEGISLATURE,
        StageKind.REFERENDUM,
    }
)


class EventStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SCHEDULED = "scheduled"
    SKIPPED = "skipped"
    EXPECTED = "expected"  # announced or foreseen, not yet dated; replaced when the real step is recorded
    # A scrutiny stage's period began: the treaty was laid before the legislature (UK CRaG s. 20). The period
    # runs in sitting days, which no calendar gives, so its end is recorded with it (`until`), not computed.
    LAID = "laid"


class Threshold(StrEnum):
    """The share of a body whose "yes" carries a vote."""

    NONE = "none"
    MAJORITY_OF_VOTES_CAST = "majority_of_votes_cast"
    MAJORITY_OF_MEMBERS_PRESENT = "majority_of_members_present"
    MAJORITY_OF_ALL_MEMBERS = "majority_of_all_members"
    TWO_THIRDS_OF_VOTES_CAST = "two_thirds_of_votes_cast"
    TWO_THIRDS_OF_MEMBERS_PRESENT = "two_thirds_of_members_present"
    TWO_THIRDS_OF_ALL_MEMBERS = "two_thirds_of_all_members"
    THREE_FIFTHS_OF_ALL_MEMBERS = "three_fifths_of_all_members"


class NotVoting(StrEnum):
    """Whom a body counts as present when a member neither votes nor abstains.

    `present` (the default): a member who does not vote is present, so counts in
    a base of "members present". `absent`: only those who vote are present, as
    in the United States Senate, where two thirds of the senators present and
    voting give advice and consent.
    """

    PRESENT = "present"
    ABSENT = "absent"


class PartyState(StrEnum):
    """Where a party stands, in the order a ratification normally moves.

    `not_signed` comes first: a participant recorded before any signature or
    other step (a multilateral treaty's parties sign on their own dates).
    The last six sit outside that order: `rejected`, a failed stage that
    nothing reversed; `suspended`, in force but its operation suspended;
    `withdrawn`, its withdrawal (denunciation) has taken effect; `terminated`,
    the treaty itself has ended; `declined`, a signatory that declared it does
    not intend to become a party; `candidate`, the state an accession protocol
    admits, which joins the parent treaty instead of signing the protocol.
    """

    NOT_SIGNED = "not_signed"
    SIGNED = "signed"
    IN_LEGISLATURE = "in_legislature"
    APPROVED = "approved"
    RATIFIED = "ratified"
    DEPOSITED = "deposited"
    IN_FORCE = "in_force"
    REJECTED = "rejected"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    TERMINATED = "terminated"
    DECLINED = "declined"
    CANDIDATE = "candidate"


class ConsentType(StrEnum):
    """How a party expresses its consent to be bound (Vienna Convention, Arts. 11-16)."""

    RATIFICATION = "ratification"
    ACCEPTANCE = "acceptance"
    APPROVAL = "approval"
    ACCESSION = "accession"
    SUCCESSION = "succession"
    DEFINITIVE_SIGNATURE = "definitive_signature"
    FORMAL_CONFIRMATION = "formal_confirmation"  # an international organisation's ratification (VCLT 1986)
    # A protocol's own expression of consent: the CCW's protocols are joined by "notification of consent to be
    # bound" (CCW Art. 4(3)-(4)), which the UN Treaty Collection marks "P".
    CONSENT_TO_BE_BOUND = "consent_to_be_bound"

    @property
    def mark(self) -> str:
        """The letter the UN Treaty Collection prints after the date."""
        return _CONSENT_MARKS[self]


_CONSENT_MARKS = {
    ConsentType.RATIFICATION: "",
    ConsentType.ACCEPTANCE: "A",
    ConsentType.APPROVAL: "AA",
    ConsentType.ACCESSION: "a",
    ConsentType.SUCCESSION: "d",
    ConsentType.DEFINITIVE_SIGNATURE: "s",
    ConsentType.FORMAL_CONFIRMATION: "c",
    ConsentType.CONSENT_TO_BE_BOUND: "P",
}


class EffectBasis(StrEnum):
    """Where a date of entry into force comes from."""

    COMPUTED = "computed"  # the treaty's rule over the instruments recorded
    PUBLISHED = "published"  # a date the depositary, a gazette or a ministry published, recorded with its source


class ActKind(StrEnum):
    """International acts of a party besides its instrument of consent, and dated events beside its procedure.

    A new kind is admitted when something a party did (or that happened to it) changes its standing or
    must be shown with its source in the party's history, and no stage of a procedure can hold it.
    """

    WITHDRAWAL = "withdrawal"  # denunciation: notice now, effect by the treaty's rule
    CONSENT_WITHDRAWN = "consent_withdrawn"  # ratification withdrawn; still a signatory
    SUSPENSION = "suspension"
    SUSPENSION_END = "suspension_end"
    PROVISIONAL_APPLICATION = "provisional_application"
    PROVISIONAL_APPLICATION_END = "provisional_application_end"
    RESERVATION = "reservation"
    DECLARATION = "declaration"
    OBJECTION = "objection"
    STATEMENT_WITHDRAWN = "statement_withdrawn"  # a reservation, declaration or objection withdrawn
    NOT_BECOMING_PARTY = "not_becoming_party"  # a signatory declares it does not intend to become a party
    # A successor state's notification that it succeeds to its predecessor's signature (the UN Treaty
    # Collection's "d" in the signature column): the party's signature is its predecessor's.
    SIGNATURE_BY_SUCCESSION = "signature_by_succession"
    WITHDRAWAL_REVOKED = "withdrawal_revoked"  # a notice of withdrawal taken back before it took effect
    # Dated events that bear on a party's procedure without being a step of it or changing its standing:
    COURT_RULING = "court_ruling"  # a court's ruling (a withdrawal held unlawful, a law struck down)
    DATED_EVENT = "dated_event"  # anything else dated and sourced (an application, an invitation)


#: Acts that are texts attached to a party's participation, shown in the chart's notes.
STATEMENT_KINDS = frozenset({ActKind.RESERVATION, ActKind.DECLARATION, ActKind.OBJECTION, ActKind.STATEMENT_WITHDRAWN})
#: Acts whose text says what happened, shown after the date wherever the act is named.
TEXT_KINDS = STATEMENT_KINDS | {ActKind.COURT_RULING, ActKind.DATED_EVENT}


class Ending(StrEnum):
    """What ended a party's consent to be bound: the `ended` of a status row.

    A new term is admitted with a new way for a consent to end that no existing term names.
    """

    WITHDRAWAL = "withdrawal"  # its withdrawal (denunciation) took effect
    CONSENT_WITHDRAWN = "consent_withdrawn"  # it withdrew its ratification and stays a signatory
    TERMINATION = "termination"  # the treaty itself ended


class ProcedurePath(StrEnum):
    """Which way a party's domestic procedure runs: toward consent, or back from it."""

    RATIFICATION = "ratification"
    REVOCATION = "revocation"  # the ratification revoked (ends in consent_withdrawn)
    SUSPENSION = "suspension"  # the treaty's operation suspended (ends in a suspension)
    WITHDRAWAL = "withdrawal"  # denunciation (ends in a withdrawal)

    @property
    def act(self) -> ActKind | None:
        """The international act a reversal ends in."""
        return {
            "revocation": ActKind.CONSENT_WITHDRAWN,
            "suspension": ActKind.SUSPENSION,
            "withdrawal": ActKind.WITHDRAWAL,
        }.get(self.value)


class TreatyRelation(StrEnum):
    """How a treaty belongs to an earlier one (its parent)."""

    PROTOCOL = "protocol"  # a protocol to the parent
    AMENDMENT = "amendment"  # amends the parent
    EXTENSION = "extension"  # extends the parent's duration (New START, 2021)

    @property
    def of(self) -> str:
        """The link read from the child: "protocol to", "amendment of", "extension of"."""
        return {"protocol": "protocol to", "amendment": "amendment of", "extension": "extension of"}[self.value]

    @property
    def by(self) -> str:
        """The link read from the parent: "protocols", "amended by", "extended by"."""
        return {"protocol": "protocols", "amendment": "amended by", "extension": "extended by"}[self.value]


class Depositary(StrEnum):
    """Whose published status tables a treaty's international side can be imported from."""

    UNTC = "untc"  # the UN Treaty Collection (treaties deposited with the Secretary-General)
    COE = "coe"  # the Council of Europe Treaty Office

    @property
    def label(self) -> str:
        return {"untc": "UN Treaty Collection", "coe": "Council of Europe Treaty Office"}[self.value]


class RevisionAction(StrEnum):
    """Why a version of a fact stopped being the record."""

    CORRECTED = "corrected"  # replaced by a newer version of the same fact
    RETRACTED = "retracted"  # withdrawn as a mistaken entry
    REMOVED = "removed"  # its party or treaty was removed, and it with them
    FULFILLED = "fulfilled"  # an expected step, replaced by the step itself


class DatePrecision(StrEnum):
    """How much of a recorded date its source gives: "ratified in March 1998" is `month`.

    A fact table stores the latest day the date can be, and this beside it
    (empty for an exact day), so that sorting, filtering and status are
    conservative without reading it.
    """

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    # On or before the day stored, no earlier bound known: a depositary's page shows a participation as ended
    # (in square brackets) without saying when, so it ended no later than the page's "status as at" date.
    BY = "by"
