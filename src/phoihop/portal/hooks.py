"""Hooks the portal offers to the apps above it (example 13 of STYLE.md): typed lists of
callables, each called once inside the transaction of the change, with who made it."""

from __future__ import annotations

from collections.abc import Callable

from phoihop.core.models import User
from phoihop.portal.models import Article

# The news the notifications app turns into messages: (the article, who moved it).
# The author sent the article for approval: «Chờ duyệt».
article_submitted: list[Callable[[Article, User], None]] = []
# An editor approved it and it is on the portal: «Đã đăng».
article_published: list[Callable[[Article, User], None]] = []
# An editor sent it back to its author as a draft; the reason is its `review_note`.
article_sent_back: list[Callable[[Article, User], None]] = []
# An editor took it off the portal: «Đã gỡ»; the reason is its `review_note`.
article_withdrawn: list[Callable[[Article, User], None]] = []
