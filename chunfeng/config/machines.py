"""The settings that let Chunfeng run on more than one machine (docs/deploy.md): database
connections, where files are kept, the job queue. Read from the environment, as the rest of
the settings; imported by ``settings`` only."""

from __future__ import annotations

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def database(url: str) -> dict:
    """Several web servers and workers share one PostgreSQL database: each process keeps its
    connections for CHUNFENG_DB_CONN_MAX_AGE seconds (checked before reuse), or, with
    CHUNFENG_DB_POOL=N, takes them from a psycopg pool of up to N per process. A statement
    running longer than CHUNFENG_DB_STATEMENT_TIMEOUT seconds is cancelled (0: no limit; set it
    for the web servers, where no page should take long, and leave the workers' unset)."""
    db: dict = dict(
        dj_database_url.parse(
            url,
            conn_max_age=int(os.environ.get("CHUNFENG_DB_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    )
    if not db["ENGINE"].endswith("postgresql"):
        return db
    options = db.setdefault("OPTIONS", {})
    timeout = float(os.environ.get("CHUNFENG_DB_STATEMENT_TIMEOUT", "0"))
    if timeout > 0:
        options["options"] = f"-c statement_timeout={int(timeout * 1000)}"
    pool = int(os.environ.get("CHUNFENG_DB_POOL", "0"))
    if pool > 0:  # Django's psycopg pool: the pool keeps the connections, not CONN_MAX_AGE
        options["pool"] = {"min_size": 1, "max_size": pool, "timeout": 30}
        db["CONN_MAX_AGE"] = 0
    return db


def default_storage() -> dict:
    """Uploaded and generated files (work reports, notices, attachments, household lists waiting
    for their import, finished exports) go through Django's storage API, never a path of one
    machine: CHUNFENG_STORAGE=local (the default) keeps them in MEDIA_ROOT — shared between
    servers only if that folder is (NFS) —, CHUNFENG_STORAGE=s3 in a private bucket of any
    S3-compatible service (django-storages): MinIO, Ceph, a cloud's object storage."""
    kind = os.environ.get("CHUNFENG_STORAGE", "local")
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"CHUNFENG_STORAGE 只能是 local 或 s3，不能是 {kind}")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("CHUNFENG_S3_BUCKET", "chunfeng"),
            "endpoint_url": os.environ.get("CHUNFENG_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("CHUNFENG_S3_REGION") or None,
            "access_key": os.environ.get("CHUNFENG_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("CHUNFENG_S3_SECRET_KEY") or None,
            "location": os.environ.get("CHUNFENG_S3_PREFIX", ""),
            "default_acl": None,  # private: every download goes through Chunfeng's permissions
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


def tasks(kind: str, redis_url: str) -> dict:
    """The job queue: the database (django-tasks-db, the default) or Redis (django-tasks-rq),
    for many workers on a busy installation; the jobs' progress and results stay in the
    database either way."""
    if kind == "database":
        return {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    if kind != "rq":
        raise ImproperlyConfigured(f"CHUNFENG_TASKS 只能是 database 或 rq，不能是 {kind}")
    if not redis_url:
        raise ImproperlyConfigured(
            "CHUNFENG_TASKS=rq 须设置 CHUNFENG_REDIS_URL（如 redis://127.0.0.1:6379/0）"
        )
    return {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def redis_cache(redis_url: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "chunfeng",
        }
    }
