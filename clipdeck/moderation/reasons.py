"""The published list of report reasons, and the grounds a decision rests on.

A reason is what a person reporting says is wrong; the same codes are the
grounds of a decision, each naming the rule of the community guidelines or the
law it rests on (the "ground" of a statement of reasons, DSA art. 17(3)(d)–(e)).
Severity orders the moderation queue: the highest first, then the oldest.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    severity: int
    ground: str  # the rule or the law, as the statement of reasons quotes it
    illegal: bool = False


REASONS: tuple[Reason, ...] = (
    Reason(
        "illegal_child_sexual_abuse",
        "Illegal: child sexual abuse material",
        5,
        "Illegal content: child sexual abuse material (Directive 2011/93/EU, art. 5).",
        illegal=True,
    ),
    Reason(
        "illegal_terrorism",
        "Illegal: terrorist content",
        5,
        "Illegal content: terrorist content (Regulation (EU) 2021/784).",
        illegal=True,
    ),
    Reason(
        "illegal_hate_speech",
        "Illegal: incitement to hatred or violence",
        4,
        "Illegal content: public incitement to violence or hatred "
        "(Framework Decision 2008/913/JHA).",
        illegal=True,
    ),
    Reason(
        "illegal_non_consensual_imagery",
        "Illegal: intimate images shared without consent",
        5,
        "Illegal content: non-consensual sharing of intimate images (Directive (EU) 2024/1385).",
        illegal=True,
    ),
    Reason(
        "illegal_other",
        "Illegal: other (name the law in the details)",
        3,
        "Illegal content under the law named in the decision's explanation.",
        illegal=True,
    ),
    Reason(
        "minors_safety",
        "Minors' safety",
        5,
        "Community guidelines §1: content that endangers or sexualises minors.",
    ),
    Reason(
        "self_harm", "Suicide or self-harm", 4, "Community guidelines §2: suicide and self-harm."
    ),
    Reason(
        "violence",
        "Violence or threats",
        4,
        "Community guidelines §3: violent, graphic or threatening content.",
    ),
    Reason("hate", "Hate", 3, "Community guidelines §4: hateful behaviour."),
    Reason(
        "harassment",
        "Harassment or bullying",
        3,
        "Community guidelines §5: harassment and bullying.",
    ),
    Reason(
        "nudity",
        "Nudity or sexual content",
        2,
        "Community guidelines §6: nudity and sexual content.",
    ),
    Reason("scam", "Scam or fraud", 3, "Community guidelines §7: scams, fraud and deception."),
    Reason("spam", "Spam", 1, "Community guidelines §8: spam and fake engagement."),
    Reason(
        "intellectual_property",
        "Intellectual property",
        2,
        "Community guidelines §9: copyright and trademark infringement.",
    ),
    Reason("other", "Something else", 1, "Community guidelines (named in the explanation)."),
)

BY_CODE = {reason.code: reason for reason in REASONS}
CODES = tuple(BY_CODE)


def reason_for(code: str) -> Reason | None:
    """The reason ``code`` names, or None."""
    return BY_CODE.get(code)
