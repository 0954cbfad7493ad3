"""Backups and restores of a whole published contest: SQLite + local files, PostgreSQL + S3
(moto over HTTP) and across them; the check that finds damage; the refusals."""

from __future__ import annotations

import json
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel, select

from contest.cli import main
from contest.core.models import Contest, Entry, ImageObject, User
from contest.judging.results import verify_snapshot
from contest.ops import archive
from contest.ops.backup import BackupRefused, backup
from contest.ops.pgdump import find_pg_dump
from contest.ops.restore import RestoreRefused, restore
from contest.ops.tables import NOT_OBJECT_KEYS, OBJECT_KEYS, tables
from contest.ops.verify import verify
from contest.runtime import Runtime, build_runtime
from tests.conftest import fresh_pg_database
from tests.factories import add_entry, make_settings, published_contest
from tests.support.postgres import pg_binary

KINDS = {
    "sqlite+local": ("sqlite", "local"),
    "postgresql+s3": ("postgresql", "s3"),
}
PG = pytest.mark.postgres


@pytest.fixture
def make_runtime(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """``make_runtime(kind)``: a fresh, empty runtime of that kind (database and store)."""
    made: list[Runtime] = []

    def make(kind: str) -> Runtime:
        database, storage = KINDS[kind]
        folder = tmp_path / uuid.uuid4().hex[:8]
        values: dict[str, Any] = {}
        if database == "postgresql":
            server = request.getfixturevalue("pg_server")
            values["database_url"] = fresh_pg_database(server, f"bk_{folder.name}")
        if storage == "s3":
            request.getfixturevalue("aws_credentials")
            values |= {
                "storage": "s3",
                "s3_endpoint_url": request.getfixturevalue("s3_endpoint"),
                "s3_bucket": f"backup-{folder.name}",
                "s3_create_bucket": True,
            }
        runtime = build_runtime(make_settings(folder, **values))
        made.append(runtime)
        return runtime

    yield make
    for runtime in made:
        runtime.engine.dispose()


def rows_of(runtime: Runtime) -> dict[str, list[dict[str, Any]]]:
    with runtime.engine.connect() as conn:
        return {
            table.name: [
                dict(row)
                for row in conn.execute(
                    sa.select(table).order_by(*table.primary_key.columns)
                ).mappings()
            ]
            for table in tables()
        }


def object_keys(runtime: Runtime) -> set[str]:
    with runtime.session() as session:
        images = session.exec(select(ImageObject)).all()
    return {key for i in images for key in (i.original_key, i.display_key, i.thumb_key)}


def assert_same(source: Runtime, target: Runtime) -> None:
    """Every row equal, every object byte-identical, the results record still sealed."""
    assert rows_of(target) == rows_of(source)
    keys = object_keys(source)
    assert keys and all(target.store.get(key) == source.store.get(key) for key in keys)


def drill(source_kind: str, target_kind: str, make_runtime: Any, tmp_path: Path) -> None:
    source = make_runtime(source_kind)
    scene = published_contest(source)
    manifest = backup(
        source.engine, source.store, tmp_path / "backup", source={"database": source_kind}
    )
    assert verify(tmp_path / "backup").ok
    target = make_runtime(target_kind)
    done = restore(target.engine, target.store, tmp_path / "backup")
    assert (done.rows, done.objects) == (manifest.rows, len(manifest.objects))
    assert_same(source, target)
    with target.session() as session:
        assert verify_snapshot(session, actor=scene.admin, snapshot_id=scene.snapshot_id)
    # The restored database goes on: new ids continue after the restored ones.
    with target.session() as session:
        contest = session.get(Contest, scene.contest_id)
        author = session.get(User, scene.authors[0].id)
        assert contest is not None and author is not None
        assert add_entry(session, contest=contest, author=author).id == max(scene.entries) + 1


def test_sqlite_and_local_files_restore_whole(make_runtime: Any, tmp_path: Path) -> None:
    drill("sqlite+local", "sqlite+local", make_runtime, tmp_path)


@PG
def test_postgresql_and_s3_restore_whole(make_runtime: Any, tmp_path: Path) -> None:
    drill("postgresql+s3", "postgresql+s3", make_runtime, tmp_path)


@PG
@pytest.mark.parametrize(
    ("source", "target"), [("sqlite+local", "postgresql+s3"), ("postgresql+s3", "sqlite+local")]
)
def test_a_backup_restores_onto_the_other_kind(
    source: str, target: str, make_runtime: Any, tmp_path: Path
) -> None:
    """The demo on a laptop moves to PostgreSQL + S3 (and back) through the same format."""
    drill(source, target, make_runtime, tmp_path)


@PG
def test_pg_dump_file_holds_the_same_snapshot(
    make_runtime: Any, tmp_path: Path, pg_server: str
) -> None:
    source = make_runtime("postgresql+s3")
    published_contest(source)
    manifest = backup(
        source.engine,
        source.store,
        tmp_path / "backup",
        source={},
        pg_dump=find_pg_dump(),
    )
    assert manifest.pg_dump is not None and verify(tmp_path / "backup").ok
    url = fresh_pg_database(pg_server, f"pgrestore_{uuid.uuid4().hex[:8]}")
    plain = sa.engine.make_url(url).set(drivername="postgresql").render_as_string(False)
    subprocess.run(
        [
            pg_binary("pg_restore"),
            "--no-owner",
            f"--dbname={plain}",
            str(tmp_path / "backup" / archive.PG_DUMP),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        counts = {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in tables()
        }
    engine.dispose()
    assert counts == {record.name: record.rows for record in manifest.tables}


def test_the_snapshot_is_the_database_before_the_objects(make_runtime: Any, tmp_path: Path) -> None:
    """A poster submitted while the objects are being copied is not in the backup, and the
    backup still verifies: rows first, then the objects they name."""
    source = make_runtime("sqlite+local")
    scene = published_contest(source)

    class HeldStore:
        def __init__(self, inner: Any) -> None:
            self.inner, self.reached, self.go = inner, threading.Event(), threading.Event()

        def get(self, key: str) -> bytes:
            self.reached.set()
            assert self.go.wait(30)
            return self.inner.get(key)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

    held = HeldStore(source.store)
    result: dict[str, Any] = {}
    worker = threading.Thread(
        target=lambda: result.update(
            manifest=backup(source.engine, held, tmp_path / "backup", source={})  # type: ignore[arg-type]
        )
    )
    worker.start()
    assert held.reached.wait(30)
    with source.session() as session:
        contest = session.get(Contest, scene.contest_id)
        author = session.get(User, scene.authors[1].id)
        assert contest is not None and author is not None
        add_entry(session, contest=contest, author=author)
    held.go.set()
    worker.join(60)
    entries = {t.name: t.rows for t in result["manifest"].tables}["entry"]
    assert entries == len(scene.entries)
    assert verify(tmp_path / "backup").ok


def test_verify_finds_damage(make_runtime: Any, tmp_path: Path) -> None:
    source = make_runtime("sqlite+local")
    published_contest(source)
    root = tmp_path / "backup"
    manifest = backup(source.engine, source.store, root, source={})
    first, second = manifest.objects[0], manifest.objects[1]
    damaged = archive.object_path(root, first.key)
    damaged.write_bytes(b"x" + damaged.read_bytes()[1:])
    archive.object_path(root, second.key).unlink()
    with (root / archive.table_path("vote")).open("a", encoding="utf-8") as out:
        out.write("{}\n")
    problems = verify(root).problems
    assert any(first.key in p and "SHA-256" in p for p in problems)
    assert any(second.key in p and "missing" in p for p in problems)
    assert any("vote.jsonl" in p for p in problems)
    with pytest.raises(RestoreRefused, match="does not verify"):
        restore(make_runtime("sqlite+local").engine, source.store, root)
    (root / archive.MANIFEST).unlink()
    assert "did not finish" in verify(root).problems[0]


def test_a_missing_object_is_named_and_fails_the_backup(make_runtime: Any, tmp_path: Path) -> None:
    source = make_runtime("sqlite+local")
    published_contest(source)
    gone = sorted(object_keys(source))[0]
    source.store.delete(gone)
    manifest = backup(source.engine, source.store, tmp_path / "backup", source={})
    assert manifest.missing == (gone,)
    assert any(gone in p for p in verify(tmp_path / "backup").problems)


def test_restore_refuses_a_target_with_data_unless_forced(
    make_runtime: Any, tmp_path: Path
) -> None:
    source = make_runtime("sqlite+local")
    published_contest(source)
    backup(source.engine, source.store, tmp_path / "backup", source={})
    with pytest.raises(RestoreRefused, match="not empty"):
        restore(source.engine, source.store, tmp_path / "backup")
    busy = make_runtime("sqlite+local")
    busy.store.put("thumbs/aa/other.webp", b"other", "image/webp")
    with pytest.raises(RestoreRefused, match="store holds objects"):
        restore(busy.engine, busy.store, tmp_path / "backup")
    with source.session() as session:
        session.delete(session.exec(select(Entry).where(Entry.number == 6)).one())
    restore(source.engine, source.store, tmp_path / "backup", force=True)
    with source.session() as session:
        assert len(session.exec(select(Entry)).all()) == 6


def test_backup_needs_an_empty_folder(make_runtime: Any, tmp_path: Path) -> None:
    source = make_runtime("sqlite+local")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "old.txt").write_text("old")
    with pytest.raises(BackupRefused, match="not an empty folder"):
        backup(source.engine, source.store, tmp_path / "busy", source={})


def test_the_commands(
    make_runtime: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """backup, verify-backup and restore as an operator types them, each configured by the
    environment of the side it works on."""
    source = make_runtime("sqlite+local")
    published_contest(source)
    monkeypatch.setenv("CONTEST_DATA_DIR", str(source.settings.data_dir))
    assert main(["backup", str(tmp_path / "backup")]) == 0
    assert main(["verify-backup", str(tmp_path / "backup")]) == 0
    assert ": ok," in capsys.readouterr().out
    monkeypatch.setenv("CONTEST_DATA_DIR", str(tmp_path / "fresh"))
    assert main(["restore", str(tmp_path / "backup")]) == 0
    assert "restored" in capsys.readouterr().out
    assert main(["restore", str(tmp_path / "backup")]) == 2
    assert "not empty" in capsys.readouterr().err


def test_every_table_is_backed_up_and_every_object_column_declared() -> None:
    """A table added to the models is in the backup by itself; a column that names an object
    in the store must be declared (OBJECT_KEYS) or the objects would be left behind."""
    assert {t.name for t in tables()} == set(SQLModel.metadata.tables)
    key_columns = {
        (table.name, column.name)
        for table in tables()
        for column in table.columns
        if column.name.endswith("_key")
    }
    declared = {(t, c) for t, columns in OBJECT_KEYS.items() for c in columns}
    assert key_columns == declared | NOT_OBJECT_KEYS


def test_rows_are_neutral_json(make_runtime: Any, tmp_path: Path) -> None:
    source = make_runtime("sqlite+local")
    published_contest(source)
    backup(source.engine, source.store, tmp_path / "backup", source={})
    first = json.loads(
        (tmp_path / "backup" / archive.table_path("contest")).read_text().splitlines()[0]
    )
    assert first["created_at"].endswith("+00:00") and isinstance(first["rubric"], list)
