from collections.abc import Callable
from dataclasses import dataclass

PERSONAS = (
    "anonymous",
    "teacher_on_case",
    "teacher_not_on_case",
    "af",
    "directie",
    "oka",
    "beheerder",
    "bestuur",
    "inspecteur",
    "teacher_other_school",
    "af_other_school",
)


@dataclass(frozen=True)
class Row:
    """One URL in the matrix. `expect` maps every persona to its status code.

    `kwargs` and `data` are callables taking the Personas fixture, so rows can point at the
    objects the fixture creates. `setup` may create extra objects first and return a dict
    that is merged into what `kwargs`/`data` receive as `p.extra`.
    """

    name: str
    expect: dict
    kwargs: Callable = lambda p: {}
    method: str = "get"
    data: Callable = lambda p: {}
    setup: Callable | None = None
    label: str = ""
    query: str = ""
    # The persona confirmed password and code just before (`require_recent_auth`).
    recent_auth: bool = False

    @property
    def id(self) -> str:
        return self.label or f"{self.method.upper()} {self.name}"


def everyone(status, **overrides):
    """An expectation dict: `status` for every logged-in persona, with overrides."""
    result = {p: status for p in PERSONAS if p != "anonymous"}
    result["anonymous"] = 302
    result.update(overrides)
    return result
