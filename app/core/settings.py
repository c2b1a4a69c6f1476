"""Settings read from the environment, every variable prefixed `DOJO_`.

The defaults describe the embedded single-machine setup: SQLite for data and kombu's SQLAlchemy
transport for the broker, both files under `DOJO_DATA_DIR`. Production points
`DOJO_DATABASE_URL` at PostgreSQL and `DOJO_BROKER_URL` at Redis.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from limits import parse_many
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .files import private_file

REPO_ROOT = Path(__file__).resolve().parents[2]
DEV_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DOJO_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    data_dir: Path = REPO_ROOT / "var"
    database_url: str = ""  # empty: SQLite file under data_dir
    broker_url: str = ""  # empty: SQLAlchemy transport on its own SQLite file under data_dir
    bank_dir: Path = REPO_ROOT / "questions"
    secret_key: SecretStr = SecretStr(DEV_SECRET_KEY)
    admin_token: SecretStr | None = None  # a bearer credential acting as the bootstrap admin
    cookie_secure: bool | None = None  # None: secure cookies everywhere but development
    token_ttl_hours: int = Field(default=24 * 14, ge=1)
    # Addresses (IPs or CIDR blocks, comma-separated) of reverse proxies whose X-Forwarded-For and
    # X-Forwarded-Proto are believed: the client address for rate limits, https for HSTS and
    # Secure cookies. Empty: no proxy is trusted and the peer address is the client.
    trusted_proxies: str = ""
    password_hash_workers: int = Field(default=2, ge=1)  # argon2 takes 64 MiB each: bounded

    # Rate limits ("N/period" items separated by ";", as the `limits` library reads them).
    rate_limits: bool = True  # DOJO_RATE_LIMITS=off for load benchmarks; refused in production
    rate_limit_storage: str = ""  # empty: the Redis broker when there is one, else process memory
    rate_login_per_account: str = "10/minute;40/hour"
    rate_login_per_address: str = "30/minute;300/hour"
    rate_signup_per_address: str = "10/hour;50/day"
    rate_submissions_per_hour: int = Field(default=200, ge=1)  # per account, on top of max_queued_per_user
    rate_link_per_token: str = "300/minute;6000/hour"  # every request made with one candidate link

    # Grading
    unsafe_no_sandbox: bool = False  # runs candidate code as plain processes: development only
    max_code_bytes: int = Field(default=64 * 1024, ge=1024)
    max_body_bytes: int = Field(default=256 * 1024, ge=4096)
    max_queued_per_user: int = Field(default=5, ge=1)
    max_attempts: int = Field(default=3, ge=1)  # infrastructure failures and lost workers
    running_deadline_s: float = Field(default=300.0, gt=0)  # a running row older than this was lost
    queued_deadline_s: float = Field(default=600.0, gt=0)  # a queued row older than this lost its message
    reaper_interval_s: float = Field(default=5.0, gt=0)
    reaper_enabled: bool = True
    visibility_timeout_s: int = Field(default=3600, ge=60)  # Redis: redelivery of unacknowledged tasks
    worker_concurrency: int = Field(default=1, ge=1)
    runner_pool_size: int = Field(default=2, ge=0)  # warm runners kept per framework/limits; 0: none
    # Runners a pool starts at once when it refills. 0: one per 4 cores this worker may use, at
    # least one (a 2-core machine starts one at a time, a 16-core GPU node four).
    runner_pool_refill_parallel: int = Field(default=0, ge=0)
    broker_poll_interval_s: float = Field(default=0.1, gt=0)  # SQLAlchemy transport only

    # Interviews and streaming
    interview_link_valid_hours: int = Field(default=24 * 7, ge=1)  # before the candidate first opens it
    # Seconds in one minute of a take-home's duration. Only tests shorten it (DOJO_ENV=test), so
    # that a 5-minute take-home runs out in seconds while its validation stays as users see it.
    take_home_minute_s: float = Field(default=60.0, gt=0)
    sse_poll_interval_s: float = Field(default=0.1, gt=0)

    # Live streams and the event bus (app/events). The caps count per API process.
    events_url: str = ""  # empty: the Redis broker's pub/sub when it is Redis, else local sockets
    max_streams_per_account: int = Field(default=16, ge=1)  # event streams and sockets of one account
    max_streams_per_link: int = Field(default=16, ge=1)  # of one candidate link
    max_streams_total: int = Field(default=4000, ge=1)  # of the whole process

    @field_validator(
        "rate_login_per_account", "rate_login_per_address", "rate_signup_per_address", "rate_link_per_token"
    )
    @classmethod
    def _parse_rate(cls, value: str) -> str:
        try:
            parse_many(value)
        except ValueError as exc:
            raise ValueError(f"not a rate limit such as '10/minute;40/hour': {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _resolve_and_refuse_unsafe(self) -> Settings:
        self.data_dir = self.data_dir.expanduser().resolve()
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'dojo.sqlite3'}"
        if not self.broker_url:
            self.broker_url = f"sqla+sqlite:///{self.data_dir / 'broker.sqlite3'}"
        if self.cookie_secure is None:
            self.cookie_secure = self.env != "development"
        if self.env != "development" and self.secret_key.get_secret_value() == DEV_SECRET_KEY:
            raise ValueError(f"DOJO_SECRET_KEY must be set when DOJO_ENV={self.env}: the built-in key is public")
        if len(self.secret_key.get_secret_value()) < 16:
            raise ValueError("DOJO_SECRET_KEY must be at least 16 characters")
        if self.env == "production" and self.unsafe_no_sandbox:
            raise ValueError(
                "DOJO_UNSAFE_NO_SANDBOX is refused when DOJO_ENV=production: candidate code runs sandboxed"
            )
        if self.env != "test" and self.take_home_minute_s != 60.0:
            raise ValueError("DOJO_TAKE_HOME_MINUTE_S is for tests only (DOJO_ENV=test): a minute is 60 seconds")
        if self.env == "production" and not self.rate_limits:
            raise ValueError("DOJO_RATE_LIMITS=off is refused when DOJO_ENV=production")
        if not self.rate_limit_storage:
            redis = self.broker_url.startswith(("redis://", "rediss://"))
            self.rate_limit_storage = self.broker_url if redis else "memory://"
        return self

    @property
    def embedded_broker(self) -> bool:
        return self.broker_url.startswith("sqla+")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def ensure_data_dir(self) -> None:
        """The data dir, private to this user (0700), with the embedded broker's file at 0600."""
        created = not self.data_dir.exists()
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if created:
            self.data_dir.chmod(0o700)  # mkdir's mode is filtered by the umask
        if self.broker_url.startswith("sqla+sqlite:///"):
            private_file(Path(self.broker_url.removeprefix("sqla+sqlite:///")))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests build their own `Settings` and pass them explicitly."""
    return Settings()
