"""The agents' rulebook in SQL: installed at first use, changes kept across restarts and
seen by `quorum rules`, a version that tells rule sets apart."""

from __future__ import annotations

import pytest
from compliance_docs import make_rule

from knowledge.db import Database
from tools.agent_tools import SqlRulebooks
from tools.compliance import Rulebook, default_rulebook
from tools.compliance.store import RuleStoreError, install_rulebook, list_rules

CUSTODY = make_rule(
    "text_pattern", {"patterns": [r"crypto\W+custody"]}, id="user.crypto_custody",
    category="custom.user_rule", title="Crypto custody",
)  # fmt: skip


@pytest.fixture
def url(database_url: str) -> str:
    return database_url


async def test_first_use_installs_the_default_rulebook(database: Database) -> None:
    shipped = default_rulebook()
    book = await SqlRulebooks(database.sessions).current(owner="ann")
    assert (book.name, book.version) == (shipped.name, shipped.version)
    assert [r.id for r in book.rules] == sorted(r.id for r in shipped.rules)
    async with database.sessions() as session:
        assert len(await list_rules(session)) == len(shipped.rules)


async def test_changes_survive_a_restart_and_show_in_the_rules_listing(
    database: Database, url: str
) -> None:
    store = SqlRulebooks(database.sessions)
    added = await store.add_rule(CUSTODY, owner="ann")
    changed = await store.set_enabled("privacy.unmasked_ssn", False, owner="ann")
    assert added.version != default_rulebook().version != changed.version
    assert changed.version.startswith(default_rulebook().version + ".")
    await database.dispose()

    restarted = Database(url)
    try:
        book = await SqlRulebooks(restarted.sessions).current(owner="bob")
        async with restarted.sessions() as session:
            listed = {rule.id: rule.enabled for rule in await list_rules(session)}
    finally:
        await restarted.dispose()
    assert book.version == changed.version
    assert book.rule("user.crypto_custody") == CUSTODY
    assert listed["user.crypto_custody"] is True and listed["privacy.unmasked_ssn"] is False


async def test_the_version_names_the_rule_set(database: Database) -> None:
    store = SqlRulebooks(database.sessions)
    shipped = default_rulebook().version
    off = await store.set_enabled("privacy.unmasked_card", False, owner="ann")
    back = await store.set_enabled("privacy.unmasked_card", True, owner="ann")
    again = await store.set_enabled("privacy.unmasked_card", False, owner="ann")
    assert off.version != shipped and back.version == shipped and again.version == off.version
    other = await store.set_enabled("privacy.unmasked_ssn", False, owner="ann")
    assert other.version not in {shipped, off.version}


async def test_mistakes_are_one_line_the_agent_can_act_on(database: Database) -> None:
    store = SqlRulebooks(database.sessions)
    await store.add_rule(CUSTODY, owner="ann")
    with pytest.raises(RuleStoreError, match=r"'user\.crypto_custody' already exists"):
        await store.add_rule(CUSTODY, owner="bob")
    with pytest.raises(RuleStoreError, match="no rule with id 'nope': list the rules"):
        await store.set_enabled("nope", False, owner="ann")


async def test_another_installed_rulebook_stays_out_of_sight(database: Database) -> None:
    other = Rulebook(
        name="other", version="1.0",
        rules=[CUSTODY.model_copy(update={"id": "other.rule"})],
    )  # fmt: skip
    async with database.sessions() as session:
        await install_rulebook(session, other)
        await session.commit()
    book = await SqlRulebooks(database.sessions).current(owner="ann")
    assert book.rule("other.rule") is None
    with pytest.raises(RuleStoreError, match=r"no rule with id 'other\.rule'"):
        await SqlRulebooks(database.sessions).set_enabled("other.rule", False, owner="ann")
