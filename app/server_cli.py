"""`dojo serve`, `dojo worker`, `dojo migrate`, `dojo questions sync|export`, `dojo admin`."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from app.cli import command_group
from app.core.settings import get_settings

log = logging.getLogger("dojo")
WORKER_STOP_S = 10.0
PARENT_ENV = "DOJO_SERVE_PID"  # set for the worker that `dojo serve` starts


def register(subparsers: argparse._SubParsersAction, groups: dict[str, argparse._SubParsersAction]) -> None:
    serve = subparsers.add_parser("serve", help="migrate, load the bank, run the API and a worker")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-worker", action="store_true", help="run the API only")
    serve.add_argument(
        "--workers", type=int, default=1, help="API processes sharing the port and the event bus (default 1)"
    )
    serve.set_defaults(func=cmd_serve)

    worker = subparsers.add_parser("worker", help="run a grading worker")
    worker.add_argument("--queues", default="cpu", help="cpu, gpu or cpu,gpu")
    worker.add_argument("--concurrency", type=int, default=None, help="default: DOJO_WORKER_CONCURRENCY")
    worker.add_argument("--hostname", default=None, help="worker name, e.g. gpu0@%%h")
    worker.set_defaults(func=cmd_worker)

    migrate = subparsers.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(func=cmd_migrate)

    questions = command_group(subparsers, groups, "questions", "the question bank")
    sync = questions.add_parser("sync", help="load the question folders into the database")
    sync.add_argument("--bank", type=Path, default=None, help="default: DOJO_BANK_DIR")
    sync.set_defaults(func=cmd_sync)
    export = questions.add_parser("export", help="write the database's questions to folders")
    export.add_argument("--out", type=Path, default=None, help="default: DOJO_BANK_DIR")
    export.add_argument("slugs", nargs="*", help="only these questions")
    export.set_defaults(func=cmd_export)

    admin = command_group(subparsers, groups, "admin", "accounts and roles")
    create = admin.add_parser("create-user", help="create a user (e.g. the first admin)")
    create.add_argument("--email", required=True)
    create.add_argument("--role", choices=["candidate", "interviewer", "admin"], default="admin")
    create.add_argument("--password", default=None, help="default: prompt, or generate and print")
    create.set_defaults(func=cmd_create_user)


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def cmd_migrate(_args: argparse.Namespace) -> int:
    from app.core.migrate import upgrade

    upgrade(get_settings())
    print("database is at the latest migration")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from app.core.database import Database
    from app.questions.bank_sync import sync_bank
    from workers.grading.spec import QuestionFormatError

    settings = get_settings()
    database = Database(settings)
    try:
        with database.session() as db:
            report = sync_bank(db, args.bank or settings.bank_dir)
    except QuestionFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"question bank synced: {report.summary()}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from app.core.database import Database
    from app.questions.bank_sync import export_bank

    settings = get_settings()
    out = args.out or settings.bank_dir
    with Database(settings).session() as db:
        written = export_bank(db, out, args.slugs or None)
    print(f"exported {len(written)} question(s) to {out}: {', '.join(written)}")
    return 0


def cmd_create_user(args: argparse.Namespace) -> int:
    from app.accounts.models import Role
    from app.accounts.service import create_user
    from app.core.database import Database
    from app.core.errors import DojoError

    password, generated = args.password, False
    if password is None and sys.stdin.isatty():
        password = getpass.getpass("password (empty: generate one): ") or None
    if password is None:
        password, generated = secrets.token_urlsafe(12), True
    try:
        with Database(get_settings()).session() as db:
            create_user(db, args.email, password, Role(args.role))
    except DojoError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    print(f"created {args.role} {args.email}" + (f" with password {password}" if generated else ""))
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    _logging()
    settings = get_settings()
    queues = [q.strip() for q in args.queues.split(",") if q.strip()]
    unknown = sorted(set(queues) - {"cpu", "gpu"})
    if unknown or not queues:
        print(
            f"error: unknown queue(s) {', '.join(unknown) or '(none)'}; use cpu, gpu",
            file=sys.stderr,
        )
        return 2
    from workers.tasks import make_launcher

    try:
        make_launcher(settings.unsafe_no_sandbox)  # fail now, not on the first submission
    except Exception as exc:
        print(
            f"error: the sandbox cannot start here ({exc}). Install bubblewrap, or for local "
            "development only set DOJO_UNSAFE_NO_SANDBOX=1.",
            file=sys.stderr,
        )
        return 1
    from workers.celery_app import app as celery_app

    argv = [
        "worker",
        f"--queues={','.join(queues)}",
        f"--concurrency={args.concurrency or settings.worker_concurrency}",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
    ]
    if args.hostname:
        argv.append(f"--hostname={args.hostname}")
    if os.environ.get(PARENT_ENV, "").isdigit():
        _exit_with_parent(int(os.environ[PARENT_ENV]))
    celery_app.worker_main(argv)
    return 0


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _start_worker() -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "app.cli", "worker", "--queues=cpu,gpu", "--hostname=embedded@%h"]
    env = os.environ.copy() | {PARENT_ENV: str(os.getpid())}
    return subprocess.Popen(argv, env=env)


def _exit_with_parent(parent_pid: int) -> None:
    """The embedded worker stops when `dojo serve` is gone, however it died."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        log.warning("dojo serve (pid %d) is gone; stopping the embedded worker", parent_pid)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(WORKER_STOP_S)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _stop_worker(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)  # warm shutdown: the running job finishes
        try:
            worker.wait(WORKER_STOP_S)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _sandbox_ready(unsafe_no_sandbox: bool) -> bool:
    """Say now, before anything starts, if the worker could not sandbox candidate code."""
    if unsafe_no_sandbox:
        return True
    from workers.grading.sandbox import sandbox_self_check

    problems = sandbox_self_check()
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        print(
            "The worker cannot grade safely here. Fix the above, or for local development only "
            "set DOJO_UNSAFE_NO_SANDBOX=1 (candidate code then runs without isolation).",
            file=sys.stderr,
        )
    return not problems


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.core.migrate import upgrade
    from app.main import create_app

    _logging()
    settings = get_settings()
    if args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    if not _port_free(args.host, args.port):
        print(f"error: {args.host}:{args.port} is in use; pick another with --port", file=sys.stderr)
        return 1
    if not args.no_worker and not _sandbox_ready(settings.unsafe_no_sandbox):
        return 1
    settings.ensure_data_dir()
    upgrade(settings)
    if cmd_sync(argparse.Namespace(bank=None)) != 0:
        return 1
    worker = None if args.no_worker else _start_worker()
    shown_host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    print(
        f"\n  TensorDojo is running at http://{shown_host}:{args.port}/  (API docs: /docs)\n",
        flush=True,
    )
    try:
        # proxy_headers=False: the app reads X-Forwarded-* itself, from DOJO_TRUSTED_PROXIES only.
        if args.workers > 1:
            # Each process builds its app from the same environment and listens on the bus itself.
            uvicorn.run(
                "app.main:create_app",
                factory=True,
                workers=args.workers,
                host=args.host,
                port=args.port,
                log_level="info",
                proxy_headers=False,
            )
        else:
            uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info", proxy_headers=False)
    finally:
        if worker is not None:
            _stop_worker(worker)
    return 0
