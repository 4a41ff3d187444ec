# Type stubs for django-ratelimit 4.1 (it ships none): the parts phoihop uses.
VERSION: tuple[int, int, int]
__version__: str
ALL: tuple[None]
UNSAFE: list[str]
