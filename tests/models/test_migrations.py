"""Alembic migrations agree with the models, go down and up again, and carry the CHECKs."""

from __future__ import annotations

import uuid

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

import migrations
from models import GENESIS_HASH, AuditHead, Base, make_engine
from tests.fixtures.db import _pg_url
from tests.fixtures.people import make_dossier
from workflow.core.registry import all_state_names


@pytest.fixture()
def empty_url(backend, db_templates, tmp_path) -> str:
    """An empty database (no table at all) of the test's own."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    name = f"vd_empty_{uuid.uuid4().hex[:10]}"
    db_templates._pg_create(name)  # dropped with the other test databases
    return _pg_url(name)


def _diff(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True},
        )
        return compare_metadata(context, Base.metadata)


def _tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names())


@pytest.mark.db
def test_upgrade_down_and_up_again_on_an_empty_database(empty_url):
    engine = make_engine(empty_url)
    try:
        assert _tables(engine) == set()
        migrations.upgrade(empty_url)
        assert _tables(engine) == set(Base.metadata.tables) | {"alembic_version"}
        assert _diff(engine) == []
        with engine.connect() as connection:
            assert connection.execute(select(AuditHead.seq, AuditHead.hash)).one() == (
                0,
                GENESIS_HASH,
            )

        command.downgrade(migrations.config(empty_url), "base")
        assert _tables(engine) == {"alembic_version"}

        migrations.upgrade(empty_url)
        assert _diff(engine) == []
        with engine.connect() as connection:
            head = ScriptDirectory.from_config(migrations.config()).get_current_head()
            assert (
                connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
            )
    finally:
        engine.dispose()


@pytest.mark.db
def test_the_template_database_has_no_pending_autogenerate_diff(engine):
    assert _diff(engine) == []


@pytest.mark.db
def test_dossier_state_check(session, world):
    """Every state a definition names is allowed (a new one needs a migration), no other."""
    dossier = make_dossier(session, world)
    statement = text("UPDATE dossier SET state = :s WHERE id = :i")
    for state in all_state_names():
        with session.begin_nested():
            session.execute(statement, {"s": state, "i": dossier.id})
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(statement, {"s": "bogus", "i": dossier.id})


@pytest.mark.db
def test_audit_visibility_check(session, world):
    make_dossier(session, world)
    from models.audit import DROP_TRIGGERS

    for drop in DROP_TRIGGERS[session.get_bind().dialect.name]:
        session.execute(text(drop))
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(text("UPDATE audit_event SET visibility = 'secret' WHERE seq = 1"))


@pytest.mark.db
def test_sqlite_foreign_keys_are_on(fresh_engine, backend):
    if backend != "sqlite":
        pytest.skip("a SQLite pragma")
    with fresh_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with pytest.raises(IntegrityError):
            connection.execute(
                text("INSERT INTO role_grant (user_id, role) VALUES (424242, 'admin')")
            )


def test_sqlite_foreign_keys_back_on_after_migrating_a_given_connection(tmp_path):
    """env.py turns the pragma off for batch rebuilds; the caller's connection gets it back."""
    engine = make_engine(f"sqlite:///{tmp_path / 'given.db'}")
    with engine.connect() as connection:
        config = migrations.config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


@pytest.mark.db
def test_ballots_closed_before_0017_are_given_their_result(empty_url, tmp_path):
    """The only threshold known for them is the award's as it stands: 3 of 5 for, 1/2 passes."""
    from sqlalchemy.orm import Session

    from tests.fixtures import ballot_keys as keyed
    from tests.fixtures.people import NOW, build_world, make_council_session
    from workflow.council import ballot as ballots

    migrations.upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        with Session(engine) as session:
            world = build_world(session, tmp_path)
            council = make_council_session(session, world)
            dossier = make_dossier(session, world, "nomination", "council_review", council=council)
            secretary = world.actor("secretary")
            keyed.open_ballot(session, council.id, dossier.id, secretary, now=NOW)
            for name in ("member1", "member2", "member3"):
                ballots.cast_vote(session, council.id, dossier.id, world.actor(name), "approve")
            keyed.close_ballot(session, council.id, dossier.id, secretary, now=NOW)
            session.commit()
        command.downgrade(migrations.config(empty_url), "0016")
        migrations.upgrade(empty_url)
        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT threshold, threshold_base, base, needed, passed FROM ballot")
            ).one()
        assert tuple(row) == ("1/2", "present", 5, 3, True)
    finally:
        engine.dispose()


def _indexed(connection, word: str) -> set[int]:
    """The nominations the former word index (0023 to 0029) finds by ``word``'s start."""
    if connection.dialect.name == "sqlite":
        query = "SELECT rowid FROM nomination_fts WHERE nomination_fts MATCH :q"
        return set(connection.execute(text(query), {"q": f'"{word}"*'}).scalars())
    query = "SELECT id FROM nomination WHERE search_words @@ to_tsquery('simple', :q)"
    return set(connection.execute(text(query), {"q": f"{word}:*"}).scalars())


@pytest.mark.db
def test_the_search_index_is_made_and_filled_on_a_database_with_data(empty_url, tmp_path):
    """0023 on a database that already has outcomes: they are found by word start at once,
    and later writes keep the index in step (SQLite triggers, PostgreSQL GIN index); 0030
    drops it and, going down, makes and fills it again."""
    from sqlalchemy.orm import Session

    from migrations.word_index import missing_word_index
    from tests.fixtures.people import build_world

    # The world is built with today's models, so it is written at head; going down to the
    # revision before the index leaves the outcomes without one, as on a database of then.
    migrations.upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        with engine.connect() as connection:
            assert missing_word_index(connection) != []  # dropped at head
        with Session(engine) as session:
            world = build_world(session, tmp_path)
            before = make_dossier(session, world, nominee_name="Nguyễn Thị Trước")
            session.commit()
            before_id = before.id
        command.downgrade(migrations.config(empty_url), "0022")
        with engine.connect() as connection:
            assert missing_word_index(connection) != []
        command.upgrade(migrations.config(empty_url), "0029")
        with Session(engine) as session:
            connection = session.connection()
            assert missing_word_index(connection) == []
            assert _indexed(connection, "truo") == {before_id}
            assert _indexed(connection, "ruoc") == set()
            # A write after the migration reaches the index too.
            session.execute(
                text("UPDATE nomination SET search_key = 'tran van sau' WHERE id = :i"),
                {"i": before_id},
            )
            assert _indexed(connection, "sau") == {before_id}
            assert _indexed(connection, "truoc") == set()
            session.rollback()
        migrations.upgrade(empty_url)
        with engine.connect() as connection:
            assert missing_word_index(connection) != []
        command.downgrade(migrations.config(empty_url), "0029")
        with engine.connect() as connection:
            assert missing_word_index(connection) == []
            assert _indexed(connection, "truoc") == {before_id}
    finally:
        engine.dispose()


@pytest.mark.db
def test_the_word_table_is_made_and_filled_on_a_database_with_data(empty_url, tmp_path):
    """0029 on a database that already has nominations: their words are in the table at once,
    with their state and sort keys; 0030 keeps those of the dossiers the public may see only
    and, going down, writes the others again; going below 0029 drops the table."""
    from sqlalchemy.orm import Session

    from models.search_terms import OutcomeTerm
    from models.text import person_sort_bytes
    from tests.fixtures.people import build_world
    from tests.workflow.publication.test_outcomes import publish

    migrations.upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        with Session(engine) as session:
            world = build_world(session, tmp_path)
            before = make_dossier(session, world, nominee_name="Nguyễn Thị Trước")
            shown = publish(session, world, nominee_name="Lê Văn Công")
            session.commit()
            before_id, shown_id = before.id, shown.id

        def rows(dossier_id: int) -> list:
            with Session(engine) as session:
                return session.execute(
                    select(OutcomeTerm.term, OutcomeTerm.state, OutcomeTerm.name_sort).where(
                        OutcomeTerm.dossier_id == dossier_id
                    )
                ).all()

        assert rows(before_id) == [] and rows(shown_id) != []
        command.downgrade(migrations.config(empty_url), "0029")
        assert {b"nguyen", b"thi", b"truoc"} <= {row.term for row in rows(before_id)}
        assert {(row.state, row.name_sort) for row in rows(before_id)} == {
            ("draft", person_sort_bytes("Nguyễn Thị Trước"))
        }
        command.downgrade(migrations.config(empty_url), "0028")
        assert "outcome_term" not in inspect(engine).get_table_names()
        command.upgrade(migrations.config(empty_url), "0029")
        assert {b"nguyen", b"thi", b"truoc"} <= {row.term for row in rows(before_id)}
        migrations.upgrade(empty_url)
        assert rows(before_id) == []
        assert {b"le", b"van", b"cong"} <= {row.term for row in rows(shown_id)}
    finally:
        engine.dispose()
