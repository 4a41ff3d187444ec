"""gunicorn settings for phoihop in production: `gunicorn -c deploy/gunicorn.conf.py`.

Pre-forked workers, each with a few threads (pages wait on the database more than on the CPU);
the app is loaded before forking so workers share its memory. Behind nginx (TLS, /static/
and nothing else: media is served by the app's permission-checked views).
"""

import multiprocessing
import os

wsgi_app = "phoihop.wsgi:application"
bind = os.environ.get("PHOIHOP_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PHOIHOP_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "gthread"
threads = int(os.environ.get("PHOIHOP_THREADS", "4"))
preload_app = True
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = 5000
max_requests_jitter = 500
timeout = 60
graceful_timeout = 30
keepalive = 5
# Only the proxy on this host may set X-Forwarded-* (see PHOIHOP_TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("PHOIHOP_TRUSTED_PROXIES", "127.0.0.1")
accesslog = os.environ.get("PHOIHOP_ACCESS_LOG") or None
errorlog = "-"
