"""CPARA scoring (current version, revised May 2022): 9 benchmarks, one point each.

A benchmark answered "yes" or "n/a" is achieved (non-applicable questions are answered
Yes by the CPIMS form, so a benchmark that does not apply counts as achieved).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

YES, NO, NOT_APPLICABLE = "yes", "no", "na"
ANSWERS = [(YES, _("Yes")), (NO, _("No")), (NOT_APPLICABLE, _("Not applicable"))]

# number -> (domain, what achieving it means)
BENCHMARKS: dict[int, tuple[str, str]] = {
    1: ("healthy", _("Everyone's HIV status known, or a test not required after screening")),
    2: ("healthy", _("HIV+ members virally suppressed 12 months (or adherent if no VL)")),
    3: ("healthy", _("Adolescents 10-17 know 2 HIV risks, 1 protection and 1 service point")),
    4: ("healthy", _("No child under 5 undernourished; under-2s immunised")),
    5: ("stable", _("Caregiver pays school, medical and legal costs without distress")),
    6: ("safe", _("No violence in the last 6 months, or cases referred and served")),
    7: ("safe", _("A stable adult caregiver (18+, same home 12 months)")),
    8: ("safe", _("All under-18s have legal documents")),
    9: ("schooled", _("School-age children enrolled, attending and progressing")),
}
DOMAIN_MAXIMA = {"healthy": 4, "stable": 1, "safe": 3, "schooled": 1}

HIGHLY_VULNERABLE = "highly_vulnerable"
MEDIUM = "medium"
LOW = "low"
READY_TO_GRADUATE = "ready_to_graduate"
PATHWAYS = [
    (HIGHLY_VULNERABLE, _("Highly vulnerable")),
    (MEDIUM, _("Medium vulnerability")),
    (LOW, _("Low vulnerability")),
    (READY_TO_GRADUATE, _("Ready to graduate")),
]


@dataclass(frozen=True)
class CparaScore:
    total: int
    by_domain: dict[str, int]
    pathway: str
    unmet: tuple[int, ...]

    @property
    def all_met(self) -> bool:
        return not self.unmet


def pathway_for(total: int) -> str:
    """0-4 highly vulnerable, 5-7 medium, 8 low, 9 ready to graduate."""
    if not 0 <= total <= len(BENCHMARKS):
        raise ValueError(f"A CPARA score is between 0 and {len(BENCHMARKS)}, not {total}")
    if total <= 4:
        return HIGHLY_VULNERABLE
    if total <= 7:
        return MEDIUM
    if total == 8:
        return LOW
    return READY_TO_GRADUATE


def cpara_score(answers: dict[int, str]) -> CparaScore:
    """Score a CPARA from its benchmark answers (every one of the 9 must be answered)."""
    unknown = set(answers) - set(BENCHMARKS)
    if unknown:
        raise ValueError(f"Unknown benchmarks {sorted(unknown)}")
    missing = set(BENCHMARKS) - set(answers)
    if missing:
        raise ValueError(f"Benchmarks {sorted(missing)} are not answered")
    bad = {n: a for n, a in answers.items() if a not in (YES, NO, NOT_APPLICABLE)}
    if bad:
        raise ValueError(f"Answers must be yes, no or na, not {bad}")
    by_domain = dict.fromkeys(DOMAIN_MAXIMA, 0)
    unmet = []
    for number, (domain, _label) in sorted(BENCHMARKS.items()):
        if answers[number] == NO:
            unmet.append(number)
        else:
            by_domain[domain] += 1
    total = sum(by_domain.values())
    return CparaScore(total, by_domain, pathway_for(total), tuple(unmet))
