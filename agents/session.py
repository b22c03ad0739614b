"""One conversation thread with the team: open (restoring its state), run, stop.

`TeamSession` is what the chat UI and the CLI drive. A run streams AutoGen's own events
plus ours (`RoutingEvent`, `NoticeEvent`, `ArtifactEvent`) and ends with a `TaskResult`.
Whatever happens inside (a failing endpoint, a timeout, a stop), the stream ends with a
readable `NoticeEvent` and a `TaskResult`, never a traceback; the state, the audit trail
and the model usage are saved after every run.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from autogen_agentchat.base import TaskResult
from autogen_agentchat.messages import BaseAgentEvent, BaseChatMessage, TextMessage
from autogen_core import CancellationToken
from autogen_core.models import ChatCompletionClient

from agents import store
from agents.brains import build_model_client, endpoint_of, for_role
from agents.config import Attachment, BrainConfig
from agents.errors import TeamError
from agents.events import ArtifactEvent, ClarifyEvent, NoticeEvent
from agents.in_play import DocumentsInPlay
from agents.intent_model import IntentClassifier
from agents.intents import LABELS, command_text, shared_classifier, task_text
from agents.metering import MeteredClient, UsageLog
from agents.roles import ROLE_NAMES, SELECTOR, tools_for_role
from agents.routing import Router
from agents.rulebooks import shared_rulebooks
from agents.second_reader import model_reader
from agents.team import Team, build_team
from agents.transcript import AuditLog
from knowledge.library import KnowledgeBase
from tools.agent_tools import AttachedFile, RulebookStore, ToolDeps
from tools.agent_tools.models import Artifact
from tools.quotes import verify_quotes
from tools.review.guards import ActionGuard

logger = logging.getLogger(__name__)

TEAM_SOURCE = "quorum"
WATCHDOG_GRACE_S = 30.0
CLARIFY_STOP = "asked the analyst what they meant"
Event = BaseAgentEvent | BaseChatMessage | TaskResult
# The requests answered from passages: they wait until the analyst's documents are indexed
# for search. An analysis, rule and library commands start on the text alone.
NEEDS_INDEX = frozenset({"question", "summarise", "compare", "debate", "followup"})


@dataclass(frozen=True)
class RunOutcome:
    """How a run ended: its closer spoke or a hard stop hit ("completed"), the analyst
    stopped it ("stopped"), or it failed (`error` says why, in words for the analyst)."""

    status: Literal["completed", "stopped", "failed"]
    stop_reason: str
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"


class _Done:
    """What `stop()` returns: awaiting it is optional and returns at once."""

    def __await__(self) -> Generator[Any, None, None]:
        return
        yield


class TeamSession:
    """The team of one conversation thread; see the module docstring."""

    def __init__(
        self,
        *,
        thread_id: str,
        owner: str,
        brain: BrainConfig,
        deps: ToolDeps,
        model_client: ChatCompletionClient | None = None,
        classifier: IntentClassifier | None = None,
    ) -> None:
        self.thread_id = thread_id
        self.classifier = classifier or shared_classifier()
        self.owner = owner
        self.brain = brain
        self.deps = deps
        self.usage = UsageLog()
        self.last_artifacts: list[Artifact] = []
        self.last_outcome: RunOutcome | None = None
        self._failure_text: str | None = None
        self._client = model_client or build_model_client(brain, classifier=self.classifier)
        if not brain.is_offline and deps.reader is None:
            # With a language model, the compliance checks get a second reader.
            deps.reader = model_reader(
                MeteredClient(
                    self._client, agent="compliance", endpoint=endpoint_of(brain), log=self.usage
                )
            )
        self.in_play = DocumentsInPlay()
        self._team: Team | None = None
        self._has_history = False
        self._running = False
        self._stopping = False
        self._told_brain = False

    # -- opening -------------------------------------------------------------------------
    @classmethod
    async def open(
        cls,
        *,
        thread_id: str,
        owner: str,
        knowledge: KnowledgeBase,
        brain: BrainConfig,
        reports_dir: Path | None = None,
        rulebooks: RulebookStore | None = None,
        rulebook: str | None = None,
        debate_rounds: int | None = None,
        model_client: ChatCompletionClient | None = None,
        role: str = "admin",
    ) -> TeamSession:
        """The thread's team, with its saved state restored when the thread resumes.

        `reports_dir` defaults to `<data dir>/reports/<owner>`; `rulebooks` to the rules in
        the knowledge base's database (shared by every session, kept across restarts, the
        ones `quorum rules` shows), starting from the rulebook named `rulebook` (default:
        the shipped financial rulebook); `debate_rounds` overrides the brain's;
        `model_client` replaces the brain's client (a replay client in tests); `role` is the
        user's (analyst, reviewer, admin): rule changes and deletions the team asks for
        wait for a person's confirmation and are refused for a role that may not do them.
        """
        if debate_rounds is not None:
            brain = BrainConfig(**{**brain.__dict__, "debate_rounds": debate_rounds})
        deps = ToolDeps(
            knowledge=knowledge,
            owner=owner,
            reports_dir=reports_dir or knowledge.config.data_dir / "reports" / _safe(owner),
            rulebooks=rulebooks or shared_rulebooks(knowledge, rulebook),
            guard=ActionGuard(
                knowledge.database.sessions, owner=owner, thread_id=thread_id, role=role
            ),
        )
        classifier = await asyncio.to_thread(shared_classifier, knowledge.config.model_cache_dir)
        session = cls(
            thread_id=thread_id, owner=owner, brain=brain, deps=deps, model_client=model_client,
            classifier=classifier,
        )
        await session._restore()
        return session

    async def _restore(self) -> None:
        """Build the team and load the thread's saved state, if any."""
        self._team = self._build()
        state = await store.load_state(
            self.deps.knowledge.database.sessions, thread_id=self.thread_id, owner=self.owner
        )
        self._has_history = state is not None
        if state is not None:
            try:
                await self._team.chat.load_state(state)
            except (ValueError, KeyError) as error:
                logger.warning("thread %s: saved state unreadable (%s)", self.thread_id, error)
                self._team = self._build()

    def _build(self) -> Team:
        endpoint = endpoint_of(self.brain)
        clients = {
            name: MeteredClient(
                for_role(self._client, name, self.in_play),
                agent=name,
                endpoint=endpoint,
                log=self.usage,
            )
            for name in [*ROLE_NAMES, SELECTOR]
        }
        return build_team(
            clients=clients,
            tools={role: tools_for_role(role, self.deps) for role in ROLE_NAMES},
            debate_rounds=self.brain.debate_rounds,
            max_messages=self.brain.max_messages,
            timeout_s=self.brain.timeout_s,
            stream=True,
            router=Router(debate_rounds=self.brain.debate_rounds, classifier=self.classifier),
            model_plans=not self.brain.is_offline,
            in_play=self.in_play,
        )

    @property
    def notice(self) -> str | None:
        """What to tell the analyst about the brain (set when no language model is in use)."""
        return self.brain.notice

    @property
    def running(self) -> bool:
        return self._running

    # -- running -------------------------------------------------------------------------
    async def needs_index(self, message: str, *, attachments: Sequence[Attachment] = ()) -> bool:
        """Whether this message is answered from passages (so from vectors as well as text)."""
        reading = await asyncio.to_thread(
            self.classifier.classify,
            message,
            has_attachments=bool(attachments),
            has_history=self._has_history,
        )
        return reading.confident and reading.intent in NEEDS_INDEX

    def stop(self) -> _Done:
        """End the current run cleanly after the speaking agent's turn (no-op when idle)."""
        if self._running and self._team is not None:
            self._stopping = True
            self._team.external.set()
        return _Done()

    async def run_stream(
        self, message: str, *, attachments: Sequence[Attachment] = ()
    ) -> AsyncIterator[Event]:
        """One turn of the team on the analyst's message; see the module docstring."""
        if self._running:
            raise TeamError("the team is still working on the previous message; wait or stop it")
        if self._team is None:
            await self._restore()
        team = self._team
        assert team is not None
        self._running, self._stopping, self._failure_text = True, False, None
        self.usage.drain()
        self.usage.last_error = None
        self.deps.begin_run(tuple(AttachedFile(a.path, a.filename) for a in attachments))
        run_id, audit = uuid.uuid4().hex, AuditLog()
        task = TextMessage(
            content=task_text(message, [a.filename for a in attachments]), source="user"
        )
        collected: list[BaseAgentEvent | BaseChatMessage] = []
        result: TaskResult | None = None
        # The intent model embeds the message: off the loop (it is cached for the router).
        clarify = await asyncio.to_thread(self._clarifying_question, message, attachments)
        try:
            if clarify is not None:
                yield self._noticed(audit, collected, clarify)
                self.last_outcome = RunOutcome("completed", CLARIFY_STOP)
                result = TaskResult(messages=collected, stop_reason=CLARIFY_STOP)
                yield result
                return
            if self.notice and not self._told_brain:
                self._told_brain = True
                yield self._noticed(
                    audit, collected, NoticeEvent(source=TEAM_SOURCE, content=self.notice)
                )
            async for event in self._guarded(team, task, audit, collected):
                if isinstance(event, TaskResult):
                    result = event
                else:
                    yield event
            for artifact in self.deps.memo.artifacts:
                yield self._noticed(audit, collected, _artifact_event(artifact))
            self.last_artifacts = list(self.deps.memo.artifacts)
            self.last_outcome = self._outcome(result)
            self._has_history = self._has_history or not self.last_outcome.failed
            result = TaskResult(messages=collected, stop_reason=self.last_outcome.stop_reason)
            audit.add(result)
            yield result
        finally:
            self._running = False
            await self._persist(run_id, audit, saved=result is not None)

    def _clarifying_question(
        self, message: str, attachments: Sequence[Attachment]
    ) -> ClarifyEvent | None:
        """A question back to the analyst when the message's intent is unclear, else None."""
        reading = self.classifier.classify(
            message, has_attachments=bool(attachments), has_history=self._has_history
        )
        if reading.confident:
            return None
        words = " ".join(message.split())
        options = [
            {"label": LABELS[intent], "intent": intent, "message": command_text(intent, words)}
            for intent in reading.likely(3)
        ]
        shown = words if len(words) <= 80 else words[:79] + "…"
        return ClarifyEvent(
            source=TEAM_SOURCE,
            content=f"I am not sure what you would like done with “{shown}”. Which is it?",
            options=options,
        )

    async def _guarded(
        self,
        team: Team,
        task: TextMessage,
        audit: AuditLog,
        collected: list[BaseAgentEvent | BaseChatMessage],
    ) -> AsyncIterator[Event]:
        """The team's stream; failures and time-outs become a NoticeEvent and a TaskResult."""
        token = CancellationToken()
        timed_out = asyncio.Event()

        def watchdog() -> None:
            timed_out.set()
            token.cancel()

        handle = asyncio.get_running_loop().call_later(
            self.brain.timeout_s + WATCHDOG_GRACE_S, watchdog
        )
        try:
            async for event in team.run_stream(task, cancellation_token=token):
                if isinstance(event, TaskResult):
                    yield event
                    return
                event = await self._quotes_checked(event)
                audit.add(event)
                collected.append(event)
                yield event
        except asyncio.CancelledError:
            if not timed_out.is_set():
                raise
            yield self._failure(audit, collected, f"stopped after {self.brain.timeout_s:g} s")
        except Exception as error:
            logger.info("team run failed", exc_info=True)
            text = self.usage.last_error or _describe(error)
            yield self._failure(audit, collected, text)
        finally:
            handle.cancel()

    async def _quotes_checked(
        self, event: BaseAgentEvent | BaseChatMessage
    ) -> BaseAgentEvent | BaseChatMessage:
        """A language model's answer, with every quote checked against its cited page
        (the offline engine only ever quotes the page itself)."""
        if self.brain.is_offline or not isinstance(event, TextMessage):
            return event
        if event.source not in ("reporter", "judge"):
            return event
        checked = await verify_quotes(
            event.content, knowledge=self.deps.knowledge, owner=self.owner
        )
        if not checked.removed:
            return event
        return event.model_copy(update={"content": checked.text})

    def _failure(
        self, audit: AuditLog, collected: list[BaseAgentEvent | BaseChatMessage], text: str
    ) -> NoticeEvent:
        """After a failed run the team is rebuilt from the last saved state."""
        self._team = None
        self._failure_text = text
        return self._noticed(
            audit, collected, NoticeEvent(source=TEAM_SOURCE, content=text, level="error")
        )

    def _noticed(
        self,
        audit: AuditLog,
        collected: list[BaseAgentEvent | BaseChatMessage],
        event: NoticeEvent | ArtifactEvent | ClarifyEvent,
    ) -> Any:
        audit.add(event)
        collected.append(event)
        return event

    def _outcome(self, result: TaskResult | None) -> RunOutcome:
        if self._failure_text is not None or result is None:
            text = self._failure_text or "the run ended without a result"
            return RunOutcome("failed", f"error: {text}", error=text)
        if self._stopping:
            return RunOutcome("stopped", "stopped by the analyst")
        return RunOutcome("completed", result.stop_reason or "done")

    async def _persist(self, run_id: str, audit: AuditLog, *, saved: bool) -> None:
        sessions = self.deps.knowledge.database.sessions
        thread_id, owner = self.thread_id, self.owner
        try:
            await store.add_audit(
                sessions, audit.entries, thread_id=thread_id, run_id=run_id, owner=owner
            )
            await store.add_usage(
                sessions, self.usage.drain(), thread_id=thread_id, run_id=run_id, owner=owner
            )
            if saved and self._team is not None:
                state = await self._team.chat.save_state()
                await store.save_state(
                    sessions,
                    thread_id=self.thread_id,
                    owner=self.owner,
                    brain=f"{self.brain.provider}:{endpoint_of(self.brain).model}",
                    state=state,
                )
        except Exception:
            logger.exception("thread %s: could not save the run's records", self.thread_id)

    async def close(self) -> None:
        await self._client.close()


def _artifact_event(artifact: Artifact) -> ArtifactEvent:
    return ArtifactEvent(
        source="reporter",
        kind=artifact.kind,
        name=artifact.name,
        path=artifact.path,
        mime=artifact.mime,
        data=artifact.data,
    )


def _describe(error: BaseException) -> str:
    """One line from a failure AutoGen re-raised as "Type: message\nTraceback: ..."."""
    first = str(error).split("\nTraceback", 1)[0].strip().splitlines()
    detail = " ".join(first)[:300] if first else type(error).__name__
    return f"The team stopped on an internal error ({detail}); try again or rephrase."


def _safe(owner: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in owner) or "owner"
