"""The systems a run can score: finpilot under any backend, and the plain vector-search baseline.

Both answer through the same small surface (funds, refusals, search, plans), so every metric is computed the same
way for both, and the baseline's constraint precision and latency stand beside ours in every report.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from eval._funds import FundCase, FundOutcome

if TYPE_CHECKING:
    from assistant.backends import CallCache, ChatBackend
    from assistant.campaigns import Plan, Planner
    from assistant.funds import Advisor
    from finpilot import Settings
    from retrieval import Fund, SearchIndex

BASELINE = "vector-baseline"
"""The backend name that selects the baseline: top-k by embedding similarity over the same Chroma collections, no
parsing, no limits, no refusals, no planner (what a generic LangChain RAG template retrieves before generating)."""


GENERATED = "demo-generated"
"""A catalog built in memory by the demo generator (no files, no index): fast fund-suite runs in tests."""


def catalog_funds(catalog: str, settings: Settings) -> list[Fund]:
    """The funds of a catalog (the demo generator's when `catalog` is demo-generated)."""
    if catalog == GENERATED:
        from retrieval import generate_funds

        return generate_funds(settings.demo_seed)
    from retrieval import open_catalog

    return open_catalog(catalog, settings).funds


class NotApplicable(Exception):
    """The system has no answer for this kind of case (the baseline cannot plan a campaign)."""


class System(Protocol):
    """What the harness runs: one answer per kind of case, so every metric is computed the same way whatever answers."""

    @property
    def name(self) -> str:
        """The backend name the run records."""
        ...

    @property
    def planner(self) -> Planner | None:
        """The campaign planner whose market and user table plans are checked against; None when there is none."""
        ...

    def funds(self, case: FundCase) -> FundOutcome:
        """The answer to a fund request, as the metrics read it."""
        ...

    def refuses(self, text: str) -> str | None:
        """The refusal category, or None when the request is answered."""
        ...

    def search(self, query: str, k: int = 10) -> list[str]:
        """The ids of the k knowledge documents ranked first."""
        ...

    def plan(self, case_id: str, brief: str) -> Plan:
        """The plan for a brief (NotApplicable when the system plans nothing)."""
        ...

    def edit(self, plan: Plan, text: str) -> Plan:
        """The plan after a marketer's edit."""
        ...

    def caches(self) -> list[CallCache]:
        """The model-call caches behind the system, for the record's hit counts."""
        ...


class Ours:
    """finpilot itself: the advisor, the safety check, hybrid retrieval and the planner, on one backend."""

    def __init__(self, backend: str, catalog: str, settings: Settings) -> None:
        self.backend, self.catalog, self.settings = backend, catalog, settings
        self.name = backend
        self._plans: dict[str, Plan] = {}

    @cached_property
    def advisor(self) -> Advisor:
        """The fund advisor on the run's catalog (built on first use: a run of compliance cases never pays for it)."""
        from assistant.funds import Advisor

        if self.catalog == GENERATED:
            return Advisor(GENERATED, funds=catalog_funds(GENERATED, self.settings), settings=self.settings, backend=self.backend)
        return Advisor(self.catalog, settings=self.settings, backend=self.backend)

    @cached_property
    def planner(self) -> Planner:
        """The campaign planner on the demo market, planning as of the suite's reference day."""
        from assistant.campaigns import Planner
        from eval._campaigns import SUITE_TODAY
        from retrieval import generate_demo

        generate_demo(self.settings)  # the demo market and users, on first use
        return Planner(settings=self.settings, backend=self.backend, today=SUITE_TODAY)

    @cached_property
    def knowledge(self) -> SearchIndex:
        """The knowledge-document index."""
        from retrieval import knowledge_index

        return knowledge_index(self.settings)

    def funds(self, case: FundCase) -> FundOutcome:
        """Ask the advisor, as a user with the case's investor grade would."""
        a = self.advisor.ask(case.request, investor_grade=case.investor_grade)
        return FundOutcome(
            codes=[v.code for v in a.shortlist], cited=[c.code for c in a.citations], filters=a.filters, clarification=a.clarification,
            refused=a.refused is not None, text=a.answer, source=a.answer_source, notes=a.notes,
            cited_values=[float(c.value) for c in a.citations if isinstance(c.value, int | float) and not isinstance(c.value, bool)],
            unparsed=[u.text for u in a.unparsed], agreement=a.agreement, ungrounded=a.ungrounded,
        )  # fmt: skip

    def refuses(self, text: str) -> str | None:
        """The refusal category, or None when the request is answered."""
        from assistant.safety import screen

        # Every layer the product runs: the rules, the learned screen, and with a model backend the model check.
        refusal = screen(text, self.chat)
        return refusal.category if refusal else None

    @cached_property
    def chat(self) -> ChatBackend | None:
        """The run's model backend for the safety check, or None offline (no catalog or market is built for it)."""
        from assistant.backends import get_backend
        from prompts import prompt_hash

        backend = get_backend(self.backend, self.settings, prompt_hash=prompt_hash("safety_check"))
        return backend if backend.reads_language else None

    def search(self, query: str, k: int = 10) -> list[str]:
        """Hybrid (dense + lexical) search over the knowledge documents."""
        return [h.id for h in self.knowledge.hybrid(query, k=k)]

    def plan(self, case_id: str, brief: str) -> Plan:
        """The plan for a brief (kept, so an edit case can start from it)."""
        if case_id not in self._plans:
            # This suite checks the arithmetic of plans; understanding (and the questions it asks) is scored by the
            # briefs suites, so a brief with a condition the tags cannot hold is planned without it here.
            self._plans[case_id] = self.planner.plan(brief, ask=False)
        return self._plans[case_id]

    def edit(self, plan: Plan, text: str) -> Plan:
        """The plan after a marketer's edit."""
        return self.planner.edit(plan, text)

    def caches(self) -> list[CallCache]:
        """The model-call caches behind this system's backends (none for offline or with the cache off)."""
        out = []
        for owner, attr in (("advisor", "backend"), ("planner", "model")):
            if owner in self.__dict__:
                cache = getattr(getattr(self.__dict__[owner], attr, None), "cache", None)
                if cache is not None:
                    out.append(cache)
        return out


class VectorBaseline:
    """Top-k by similarity over the same collections, with nothing on top: the peer every report shows."""

    name = BASELINE
    planner = None
    """Retrieval alone plans nothing."""

    def __init__(self, catalog: str, settings: Settings) -> None:
        self.catalog, self.settings = catalog, settings

    @cached_property
    def fund_index(self) -> SearchIndex:
        """The catalog's fund index (the same Chroma collection the advisor's hybrid retrieval uses)."""
        from finpilot import FinpilotError
        from retrieval import open_catalog

        index = open_catalog(self.catalog, self.settings).index()
        if index is None:
            raise FinpilotError(f"catalog {self.catalog!r} has no search index: run `finpilot index {self.catalog}` first")
        return index

    @cached_property
    def knowledge(self) -> SearchIndex:
        """The knowledge-document index."""
        from retrieval import knowledge_index

        return knowledge_index(self.settings)

    def funds(self, case: FundCase) -> FundOutcome:
        """The k funds nearest the request's embedding (k = the request's top-N, default 10); no limit is read."""
        k = int(case.expected.get("top_n", 10))
        codes = [h.id for h in self.fund_index.dense(case.request, k=k)]
        return FundOutcome(codes=codes, cited=codes, filters=None, source=BASELINE)

    def refuses(self, text: str) -> str | None:
        """Never: a retrieval template has no refusal layer, it answers whatever it is asked."""
        return None

    def search(self, query: str, k: int = 10) -> list[str]:
        """Dense search alone."""
        return [h.id for h in self.knowledge.dense(query, k=k)]

    def plan(self, case_id: str, brief: str) -> Plan:
        """Not applicable: retrieval alone makes no plan."""
        raise NotApplicable(self._NO_PLAN)

    def edit(self, plan: Plan, text: str) -> Plan:
        """Not applicable: there is no plan to edit."""
        raise NotApplicable(self._NO_PLAN)

    _NO_PLAN = "the vector baseline retrieves documents; it cannot plan a campaign"

    def caches(self) -> list[CallCache]:
        """No model calls, no cache."""
        return []


def open_system(backend: str, catalog: str, settings: Settings) -> System:
    """The system a backend name selects."""
    return VectorBaseline(catalog, settings) if backend == BASELINE else Ours(backend, catalog, settings)
