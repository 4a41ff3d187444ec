"""gunicorn settings for phoihop in production: `gunicorn -c deploy/gunicorn.conf.py`.

Pre-forked workers, each with a few threads (pages wait on the database more than on the CPU);
the app is loaded before forking so workers share its memory. Behind nginx (TLS, /static/
and nothing else: media is served by the app's permission-checked views).
"""

import gc
import multiprocessing
import os

wsgi_app = "phoihop.wsgi:application"
bind = os.environ.get("PHOIHOP_BIND", "127.0.0.1:8000")
# One worker per core: anonymous portal reads are answered from the page cache in about 0.1 ms
# of Python, so more processes than cores only add switching (bench.portal: CPU per request
# grew from 0.63 ms with 2 workers to 0.8-1.0 ms with 3-4 on 2 cores); the threads cover
# pages that wait on the database. Raise PHOIHOP_WORKERS for staff-heavy loads.
workers = int(os.environ.get("PHOIHOP_WORKERS", max(2, multiprocessing.cpu_count())))
worker_class = "gthread"
threads = int(os.environ.get("PHOIHOP_THREADS", "8"))
preload_app = True
# Recycle workers now and then so a slow leak never grows without bound: at 2,000 req/s on two
# workers each lives about a minute and a half (the earlier 5,000 recycled one every 5 s).
max_requests = 100000
max_requests_jitter = 10000
timeout = 60
graceful_timeout = 30
keepalive = 5
# Only the proxy on this host may set X-Forwarded-* (see PHOIHOP_TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("PHOIHOP_TRUSTED_PROXIES", "127.0.0.1")
accesslog = os.environ.get("PHOIHOP_ACCESS_LOG") or None
errorlog = "-"


# The app is loaded once in the master, then forked. Its objects (Django, the URL and template
# caches, the text engine's tables: some 220,000 of them) live as long as the worker, yet every
# full garbage collection in a worker walked them all, holding the GIL for about 110 ms while
# each of the worker's threads waited. Collection is paused while the master loads the app, and
# what it loaded is frozen before each fork: workers collect only what they create themselves,
# and the shared pages stay shared (https://docs.python.org/3/library/gc.html#gc.freeze).
gc.disable()


def pre_fork(server: object, worker: object) -> None:
    gc.freeze()


def post_fork(server: object, worker: object) -> None:
    gc.enable()
